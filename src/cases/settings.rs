//! The shop's settings: its country (the default region for phone numbers) and its name, stored in
//! the database so that the desktop app and the command line agree.

use crate::error::{Error, Result};
use crate::model::Settings;
use crate::normalize::Region;
use crate::store::{Store, Reads};

/// The settings a person can read and change, with what each is for.
pub const KEYS: &[(&str, &str)] = &[
    ("country", "two-letter country code of the shop, used for phone numbers without a country code"),
    ("shop_name", "the shop's name, shown in the app"),
    ("onboarded", "whether the first-run screen has been answered (true or false)"),
    ("marketing_cap_days", "at most one marketing message per customer in this many days (0 to 365; default 14)"),
    ("currency", "the shop's currency code, e.g. GBP (default: from the country)"),
    ("marketing_per_day", "at most this many marketing suggestions a day; the rest wait for the days after (0 to 10,000; default 10)"),
    ("time_zone", "the shop's time zone, e.g. Europe/London: the times of chat exports that do not say theirs (default: the computer's)"),
];

/// The frequency cap's default: one marketing touch per customer per this many days.
pub const DEFAULT_CAP_DAYS: i64 = 14;

/// Marketing suggestions a day unless the shop says otherwise.
pub const DEFAULT_MARKETING_PER_DAY: usize = 10;

const FALLBACK_COUNTRY: &str = "US";

pub fn load(store: &(impl Reads + ?Sized)) -> Result<Settings> {
    let db = store.reader();
    let country = country(store)?;
    Ok(Settings {
        currency: currency_for(store, &country)?,
        country,
        shop_name: db.setting("shop_name")?.unwrap_or_default(),
        onboarded: db.setting("onboarded")?.as_deref() == Some("true"),
        marketing_per_day: marketing_per_day(store)?,
        marketing_cap_days: marketing_cap_days(store)?,
        time_zone: time_zone(store)?.name().to_string(),
    })
}

/// The shop's time zone: as set, else the computer's, else UTC. Exports that write local times
/// without a zone (WhatsApp chats) are read in it.
pub fn time_zone(store: &(impl Reads + ?Sized)) -> Result<chrono_tz::Tz> {
    let set = store.reader().setting("time_zone")?.and_then(|z| z.parse().ok());
    Ok(set.or_else(|| iana_time_zone::get_timezone().ok().and_then(|z| z.parse().ok())).unwrap_or(chrono_tz::UTC))
}

/// The shop's country code, as set (else the fallback).
fn country(store: &(impl Reads + ?Sized)) -> Result<String> {
    Ok(store.reader().setting("country")?.unwrap_or_else(|| FALLBACK_COUNTRY.to_string()))
}

/// How the shop writes numbers and money (for the sentences the core writes).
pub fn formats(store: &(impl Reads + ?Sized)) -> Result<crate::format::Formats> {
    let country = country(store)?;
    Ok(crate::format::Formats { currency: currency_for(store, &country)?, country })
}

/// The shop's currency: as set, else its country's.
pub fn currency(store: &(impl Reads + ?Sized)) -> Result<String> {
    currency_for(store, &country(store)?)
}

/// The currency as set, else that of `country` (already read).
fn currency_for(store: &(impl Reads + ?Sized), country: &str) -> Result<String> {
    Ok(store.reader().setting("currency")?.unwrap_or_else(|| currency_of_country(country).to_string()))
}

/// The marketing frequency cap in days (the `marketing_cap_days` setting).
pub fn marketing_cap_days(store: &(impl Reads + ?Sized)) -> Result<i64> {
    Ok(store.reader().setting("marketing_cap_days")?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CAP_DAYS))
}

/// How many marketing suggestions Today holds at most.
pub fn marketing_per_day(store: &(impl Reads + ?Sized)) -> Result<usize> {
    Ok(store.reader().setting("marketing_per_day")?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_MARKETING_PER_DAY))
}

fn currency_of_country(country: &str) -> &'static str {
    match country {
        "GB" => "GBP",
        "US" => "USD",
        "CA" => "CAD",
        "AU" => "AUD",
        "NZ" => "NZD",
        "CH" => "CHF",
        "SE" => "SEK",
        "NO" => "NOK",
        "DK" => "DKK",
        "PL" => "PLN",
        "JP" => "JPY",
        "BR" => "BRL",
        "MX" => "MXN",
        "IN" => "INR",
        "ZA" => "ZAR",
        "SG" => "SGD",
        "DE" | "FR" | "ES" | "IT" | "NL" | "PT" | "BE" | "AT" | "IE" | "FI" | "GR" | "LU" | "EE" | "LV" | "LT" | "SK" | "SI"
        | "MT" | "CY" | "HR" => "EUR",
        _ => "USD",
    }
}

/// The shop's default phone region (asked on every search and edit: it reads the country alone).
pub fn region(store: &(impl Reads + ?Sized)) -> Result<Region> {
    Region::parse(&country(store)?).map_err(|m| Error::invalid_field("country", m))
}

pub fn get(store: &(impl Reads + ?Sized), key: &str) -> Result<String> {
    let s = load(store)?;
    match key {
        "country" => Ok(s.country),
        "shop_name" => Ok(s.shop_name),
        "onboarded" => Ok(s.onboarded.to_string()),
        "marketing_cap_days" => Ok(marketing_cap_days(store)?.to_string()),
        "currency" => currency(store),
        "marketing_per_day" => Ok(marketing_per_day(store)?.to_string()),
        "time_zone" => Ok(s.time_zone),
        _ => Err(unknown(key)),
    }
}

/// Checks and stores one setting; returns the stored form.
pub fn set(store: &mut Store, key: &str, value: &str) -> Result<String> {
    let stored = match key {
        "country" => Region::parse(value).map_err(|m| Error::invalid_field("country", m))?.code().to_string(),
        "shop_name" if value.trim().is_empty() => return Err(Error::invalid_field("shop_name", "the shop needs a name")),
        "shop_name" => value.trim().chars().take(120).collect(),
        "onboarded" => match value.trim() {
            "true" | "yes" => "true".to_string(),
            "false" | "no" => "false".to_string(),
            other => return Err(Error::invalid_field("onboarded", format!("“{other}” is not true or false"))),
        },
        "marketing_cap_days" => match value.trim().parse::<u16>() {
            Ok(n) if n <= 365 => n.to_string(),
            _ => return Err(Error::invalid_field("marketing_cap_days", format!("“{}” is not a number of days from 0 to 365", value.trim()))),
        },
        "marketing_per_day" => match value.trim().parse::<u16>() {
            Ok(n) if n <= 10_000 => n.to_string(),
            _ => return Err(Error::invalid_field("marketing_per_day", format!("“{}” is not a number from 0 to 10,000", value.trim()))),
        },
        "currency" => match value.trim() {
            c if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
            c => return Err(Error::invalid_field("currency", format!("“{c}” is not a currency code like EUR or GBP"))),
        },
        "time_zone" => match value.trim().parse::<chrono_tz::Tz>() {
            Ok(zone) => zone.name().to_string(),
            Err(_) => return Err(Error::invalid_field("time_zone", format!("“{}” is not a time zone; write it as Region/City, e.g. Europe/London or America/Los_Angeles", value.trim()))),
        },
        _ => return Err(unknown(key)),
    };
    store.write(|w| w.set_setting(key, &stored))?;
    Ok(stored)
}

/// Sets the country on a database that has none yet, from the user's locale when it names one.
pub fn ensure_country(store: &mut Store, locale: Option<&str>) -> Result<()> {
    if store.db().setting("country")?.is_none() {
        let guess = locale.and_then(country_of_locale).unwrap_or(FALLBACK_COUNTRY.to_string());
        store.write(|w| w.set_setting("country", &guess))?;
    }
    Ok(())
}

/// The country in a POSIX or BCP 47 locale name: `en_GB.UTF-8` and `fr-FR` give GB and FR.
pub fn country_of_locale(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next()?;
    let (_, country) = base.split_once(['_', '-'])?;
    Region::parse(country).ok().map(|r| r.code().to_string())
}

fn unknown(key: &str) -> Error {
    let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    Error::invalid_field("key", format!("“{key}” is not a setting; the settings are {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_refuse_nonsense() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(get(&store, "country").unwrap(), "US");
        assert_eq!(set(&mut store, "country", " fr ").unwrap(), "FR");
        assert_eq!(region(&store).unwrap().code(), "FR");
        assert!(set(&mut store, "country", "France").unwrap_err().to_string().contains("two-letter"));
        assert!(set(&mut store, "colour", "red").unwrap_err().to_string().contains("not a setting"));
        assert_eq!(get(&store, "country").unwrap(), "FR", "a refused value changes nothing");
    }

    #[test]
    fn country_comes_from_the_locale_once() {
        assert_eq!(country_of_locale("en_GB.UTF-8").as_deref(), Some("GB"));
        assert_eq!(country_of_locale("fr-FR").as_deref(), Some("FR"));
        assert_eq!(country_of_locale("C.UTF-8"), None);
        let mut store = Store::open_in_memory().unwrap();
        ensure_country(&mut store, Some("de_DE.UTF-8")).unwrap();
        ensure_country(&mut store, Some("en_GB.UTF-8")).unwrap();
        assert_eq!(get(&store, "country").unwrap(), "DE");
    }
}
