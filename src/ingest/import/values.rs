//! Reading the values people put in spreadsheet cells: dates in every common order and language
//! (and Excel's serial numbers), amounts of money with any currency sign and decimal mark, yes/no
//! words for consent, full names to split, lists to split, phone numbers that a spreadsheet
//! stored as numbers, moments (a date with or without its time) and star ratings. Each parser is pure and total: it returns the value or a sentence saying why not.

use chrono::{Datelike, NaiveDate};

use crate::model::ConsentStatus;
use crate::normalize::fold;

/// How a column writes its all-numeric dates: decided per column from the values that can only be
/// read one way (`13/05/1988` is day first), else from the shop's country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl DateOrder {
    /// The usual order in a country: month first in the United States and a few others.
    pub fn for_region(code: &str) -> DateOrder {
        match code {
            "US" | "PH" | "FM" | "MH" | "PW" | "BZ" | "GU" | "AS" | "PR" | "VI" | "MP" | "UM" => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        }
    }
}

/// Evidence from one value about a column's date order.
pub fn order_evidence(raw: &str) -> Option<DateOrder> {
    let parts = numeric_parts(raw)?;
    let [a, b, _] = parts;
    if parts[0] > 31 {
        return None; // year first: ISO-like, no ambiguity
    }
    match (a > 12, b > 12) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// Whether text is an all-numeric date with separators (`13/05/1988`, `1988-05-13`, `5.13.88`).
pub fn is_numeric_date(raw: &str) -> bool {
    let t = raw.trim();
    t.contains(['/', '.', '-']) && numeric_parts(t).is_some_and(|[a, b, c]| {
        (a > 31 && (1..=12).contains(&b) && (1..=31).contains(&c)) || (a <= 31 && b <= 31 && (a <= 12 || b <= 12) && a > 0 && b > 0)
    })
}

/// The three numbers of an all-numeric date such as `05/13/1988`, `13.5.88` or `1988-05-13`.
fn numeric_parts(raw: &str) -> Option<[u32; 3]> {
    let date_part = raw.trim().split([' ', 'T']).next()?;
    let mut parts = [0u32; 3];
    let mut n = 0;
    for piece in date_part.split(['/', '.', '-']) {
        if n == 3 || piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[n] = piece.parse().ok()?;
        n += 1;
    }
    (n == 3).then_some(parts)
}

const MONTHS: &[(&str, u32)] = &[
    // English, French, German, Spanish, Italian, Dutch, Portuguese; folded (no accents), full and short.
    ("january", 1), ("jan", 1), ("janvier", 1), ("janv", 1), ("januar", 1), ("jänner", 1), ("enero", 1), ("ene", 1),
    ("gennaio", 1), ("gen", 1), ("januari", 1), ("janeiro", 1),
    ("february", 2), ("feb", 2), ("fevrier", 2), ("fevr", 2), ("fev", 2), ("februar", 2), ("febrero", 2),
    ("febbraio", 2), ("februari", 2), ("fevereiro", 2),
    ("march", 3), ("mar", 3), ("mars", 3), ("marz", 3), ("maerz", 3), ("marzo", 3), ("maart", 3), ("marco", 3), ("mrt", 3),
    ("april", 4), ("apr", 4), ("avril", 4), ("avr", 4), ("abril", 4), ("abr", 4), ("aprile", 4),
    ("may", 5), ("mai", 5), ("mayo", 5), ("maggio", 5), ("mag", 5), ("mei", 5), ("maio", 5),
    ("june", 6), ("jun", 6), ("juin", 6), ("juni", 6), ("junio", 6), ("giugno", 6), ("giu", 6), ("junho", 6),
    ("july", 7), ("jul", 7), ("juillet", 7), ("juil", 7), ("juli", 7), ("julio", 7), ("luglio", 7), ("lug", 7), ("julho", 7),
    ("august", 8), ("aug", 8), ("aout", 8), ("agosto", 8), ("ago", 8), ("augustus", 8),
    ("september", 9), ("sep", 9), ("sept", 9), ("septembre", 9), ("septiembre", 9), ("set", 9), ("settembre", 9),
    ("setembro", 9),
    ("october", 10), ("oct", 10), ("octobre", 10), ("oktober", 10), ("okt", 10), ("octubre", 10), ("ottobre", 10),
    ("ott", 10), ("outubro", 10), ("out", 10),
    ("november", 11), ("nov", 11), ("novembre", 11), ("noviembre", 11), ("novembro", 11),
    ("december", 12), ("dec", 12), ("decembre", 12), ("dezember", 12), ("dez", 12), ("diciembre", 12), ("dic", 12),
    ("dicembre", 12), ("dezembro", 12),
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    MONTHS.iter().find(|(name, _)| *name == w).map(|&(_, n)| n)
}

/// Excel's day number (1900 system, the default on Windows and in CSV files Excel writes) as a date.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Excel counts 1900-02-29, a day that never was; from day 61 on, 1899-12-30 is day 0.
    let days = serial.floor() as i64;
    let epoch = if days >= 61 { NaiveDate::from_ymd_opt(1899, 12, 30)? } else { NaiveDate::from_ymd_opt(1899, 12, 31)? };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

fn full_year(y: u32, today: NaiveDate) -> i32 {
    if y >= 100 {
        return y as i32;
    }
    // Two-digit years: the most recent year that is not in the future (a birthday in '98 is 1998).
    let century = today.year() / 100 * 100;
    let candidate = century + y as i32;
    if candidate > today.year() { candidate - 100 } else { candidate }
}

/// A date written any common way: ISO (`1988-05-13`, with or without a time), all-numeric in the
/// column's order (`13/05/1988`, `5.13.88`), with a month name in one of seven languages
/// (`5 January 1992`, `Jan 5, 1992`, `13 mai 1988`, `05-Jan-92`), or an Excel day number.
pub fn parse_date(raw: &str, order: DateOrder, today: NaiveDate) -> Result<NaiveDate, String> {
    let trimmed = raw.trim();
    let bad = || format!("“{trimmed}” is not a date");
    if trimmed.is_empty() {
        return Err(bad());
    }
    if let Some([a, b, c]) = numeric_parts(trimmed) {
        let (y, m, d) = if a > 31 || (a >= 100) {
            (full_year(a, today), b, c)
        } else {
            match order {
                DateOrder::DayFirst => (full_year(c, today), b, a),
                DateOrder::MonthFirst => (full_year(c, today), a, b),
            }
        };
        return NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
            let hint = match order {
                DateOrder::DayFirst => "day/month/year",
                DateOrder::MonthFirst => "month/day/year",
            };
            format!("“{trimmed}” is not a date (this column is read as {hint})")
        });
    }
    if trimmed.split(['/', '.', '-']).count() == 2 && trimmed.split(['/', '.', '-']).all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("“{trimmed}” has no year"));
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if let Ok(serial) = trimmed.parse::<f64>() {
            // Eight digits are a compact date (19880513); smaller numbers are Excel day numbers.
            if trimmed.len() == 8 && !trimmed.contains('.') {
                let n: u32 = trimmed.parse().map_err(|_| bad())?;
                if let Some(d) = NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100) {
                    return Ok(d);
                }
            }
            if (1000.0..100_000.0).contains(&serial) {
                return excel_serial_date(serial).ok_or_else(bad);
            }
        }
        return Err(bad());
    }
    // Words: a month name, a day and a year in any order.
    let folded = fold(trimmed);
    let (mut day, mut month, mut year) = (None, None, None);
    for token in folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
        if let Some(m) = month_number(token) {
            if month.replace(m).is_some() {
                return Err(bad());
            }
            continue;
        }
        let digits = token.trim_end_matches(|c: char| c.is_alphabetic()); // 1st, 2nd, 3rd, 21st
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            // Weekday names, "de", "of", "the": skip short words, refuse anything else.
            if token.len() <= 9 && (digits.is_empty() || token.chars().all(char::is_alphabetic)) {
                continue;
            }
            return Err(bad());
        }
        let n: u32 = digits.parse().map_err(|_| bad())?;
        if digits.len() >= 3 || n > 31 || (day.is_some() && year.is_none()) {
            if year.replace(n).is_some() {
                return Err(bad());
            }
        } else if day.is_none() {
            day = Some(n);
        } else {
            return Err(bad());
        }
    }
    match (day, month, year) {
        (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(full_year(y, today), m, d).ok_or_else(bad),
        (None, Some(_), Some(_)) | (Some(_), Some(_), None) => Err(format!("“{trimmed}” has no {}", if day.is_none() { "day" } else { "year" })),
        _ => Err(bad()),
    }
}

pub use crate::money::{currency_code, parse_amount, parse_money, parse_money_in, Amount, DecimalMark};

/// A whole number of orders or visits: `3`, `3.0`, `1,204`.
pub fn parse_count(raw: &str) -> Result<u32, String> {
    let trimmed = raw.trim();
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\'')).collect();
    let cleaned = cleaned.strip_suffix(".0").or_else(|| cleaned.strip_suffix(".00")).unwrap_or(&cleaned);
    cleaned.parse::<u32>().map_err(|_| format!("“{trimmed}” is not a whole number"))
}

/// A moment written in a file: any form `normalize::instant` reads (RFC 3339, a date and time in
/// UTC), a date and a time ("13/05/2026 14:30"), a plain date (noon), or an Excel day number;
/// numeric dates in `order`.
pub fn parse_time(raw: &str, order: DateOrder, today: NaiveDate) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let raw = raw.trim();
    if let Ok(t) = crate::normalize::instant(raw) {
        return Ok(t);
    }
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
    if let Ok(serial) = raw.parse::<f64>() {
        if let Some(d) = excel_serial_date(serial) {
            return Ok(d.and_time(noon).and_utc());
        }
    }
    let (date_part, time_part) = raw.split_once([' ', 'T']).map_or((raw, ""), |(d, t)| (d, t));
    let date = parse_date(date_part, order, today).or_else(|_| parse_date(raw, order, today))?;
    let time = chrono::NaiveTime::parse_from_str(time_part.trim(), "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time_part.trim(), "%H:%M"))
        .unwrap_or(noon);
    Ok(date.and_time(time).and_utc())
}

/// A star rating: `4`, `4.5` (rounded), `4★`, `★★★★`, or the word Google writes (`FOUR`).
pub fn parse_rating(raw: &str) -> Result<i64, String> {
    let trimmed = raw.trim();
    if !trimmed.is_empty() && trimmed.chars().all(|c| c == '★' || c == '⭐') {
        return Ok(trimmed.chars().count() as i64);
    }
    let words = ["ONE", "TWO", "THREE", "FOUR", "FIVE"];
    if let Some(i) = words.iter().position(|w| w.eq_ignore_ascii_case(trimmed)) {
        return Ok(i as i64 + 1);
    }
    let number = trimmed.trim_end_matches(['★', '⭐', '*', ' ']).replace(',', ".");
    let number = number.split_once('/').map_or(number.as_str(), |(n, _)| n).trim();
    number.parse::<f64>().map(|x| x.round() as i64).map_err(|_| format!("“{trimmed}” is not a number of stars"))
}

/// A consent answer in the words exports use: yes/no, true/false, 1/0, subscribed/unsubscribed,
/// opted in/out, in seven languages. Words that say nothing (pending, unknown) are `Unknown`.
pub fn parse_consent(raw: &str) -> Result<ConsentStatus, String> {
    let trimmed = raw.trim();
    let words = fold(trimmed).replace(['_', '-'], " ");
    let w = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let yes = [
        "yes", "y", "true", "1", "x", "subscribed", "subscriber", "opted in", "opt in", "optin", "confirmed", "accepted",
        "accepts", "granted", "oui", "o", "ja", "j", "si", "s", "sim", "vero", "waar", "inscrit", "abonne", "abonniert",
        "suscrito", "iscritto", "ingeschreven", "subscrito", "ok", "agreed", "consented",
    ];
    let no = [
        "no", "n", "false", "0", "unsubscribed", "opted out", "opt out", "optout", "declined", "refused", "denied",
        "non", "nein", "nee", "nao", "falso", "onwaar", "desinscrit", "desabonne", "abgemeldet", "cancelled",
        "canceled", "cleaned", "bounced", "not subscribed", "non subscribed", "never subscribed", "revoked", "withdrawn",
    ];
    let unknown = ["", "unknown", "pending", "not asked", "n a", "na", "none", "null", "transactional", "inconnu", "unbekannt"];
    if yes.contains(&w.as_str()) {
        Ok(ConsentStatus::Yes)
    } else if no.contains(&w.as_str()) {
        Ok(ConsentStatus::No)
    } else if unknown.contains(&w.as_str()) {
        Ok(ConsentStatus::Unknown)
    } else {
        Err(format!("“{trimmed}” is not a yes or no answer"))
    }
}

pub use crate::normalize::{split_name, tidy_case};


/// Splits a cell holding several values: tags on `,` `;` `|`, emails and phones on `;` `,` and new
/// lines. Google's "Group Membership" (`* myContacts ::: Friends`) splits on `:::` and drops its `*`.
pub fn split_list(raw: &str, separators: &[char]) -> Vec<String> {
    raw.split(":::")
        .flat_map(|part| part.split(|c: char| separators.contains(&c) || c == '\n' || c == '\r'))
        .map(|s| s.trim().trim_start_matches("* ").trim().trim_matches('"').trim())
        .filter(|s| !s.is_empty() && *s != "*" && !s.eq_ignore_ascii_case("mycontacts"))
        .map(str::to_string)
        .collect()
}

/// Email cells written as an address book writes them, `Ana Abbott <ana@example.com>`, keep only
/// the addresses between the angle brackets; other cells are returned as they are.
pub fn angle_addresses(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('<') || !raw.contains('>') {
        return raw.into();
    }
    let inside: Vec<&str> = raw.split('<').skip(1).filter_map(|part| part.split_once('>').map(|(a, _)| a.trim())).collect();
    if inside.is_empty() { raw.into() } else { inside.join(";").into() }
}

/// Whether text is a number in scientific notation (`4.47912E+11`), as Excel shows long numbers.
pub fn is_scientific(raw: &str) -> bool {
    let t = raw.trim();
    let Some((mantissa, exponent)) = t.split_once(['e', 'E']) else { return false };
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && exponent.trim_start_matches(['+', '-']).bytes().all(|b| b.is_ascii_digit())
        && !exponent.trim_start_matches(['+', '-']).is_empty()
}

/// A phone number a spreadsheet stored as a number lost its leading zero and any "+": 7911100060.
/// Written back as digits, the phone parser reads it as a national number of the shop's country.
pub fn number_as_phone(n: f64) -> Option<String> {
    (n.fract() == 0.0 && n > 0.0 && n < 1e16).then(|| format!("{}", n as u64))
}

/// The apostrophe that spreadsheet-safe exports put before `=`, `+`, `-`, `@` (OWASP's rule), and
/// the one that keeps a long number as text (Shopify's `'7210000001`), are not part of the value.
pub fn strip_formula_guard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b' ') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_and_star_ratings_are_read_every_way_files_write_them() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let cases = [
            ("2026-03-01T09:30:00Z", DateOrder::DayFirst, "2026-03-01T09:30:00+00:00"),
            ("01/03/2026 09:30", DateOrder::DayFirst, "2026-03-01T09:30:00+00:00"),
            ("03/01/2026 09:30:15", DateOrder::MonthFirst, "2026-03-01T09:30:15+00:00"),
            ("1 March 2026", DateOrder::DayFirst, "2026-03-01T12:00:00+00:00"),
            ("46082", DateOrder::DayFirst, "2026-03-01T12:00:00+00:00"),
        ];
        for (raw, order, expected) in cases {
            assert_eq!(parse_time(raw, order, today).map(|t| t.to_rfc3339()).as_deref(), Ok(expected), "{raw}");
        }
        assert!(parse_time("soon", DateOrder::DayFirst, today).unwrap_err().contains("“soon”"));
        for (raw, stars) in [("4", 4), ("4.6", 5), ("4★", 4), ("★★★", 3), ("FIVE", 5), ("4/5", 4), ("3,5", 4)] {
            assert_eq!(parse_rating(raw), Ok(stars), "{raw}");
        }
        assert!(parse_rating("great").is_err());
    }
    use crate::model::Money;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_common_form() {
        let cases = [
            ("1988-05-13", DateOrder::DayFirst, d(1988, 5, 13)),
            ("1988-05-13T00:00:00", DateOrder::MonthFirst, d(1988, 5, 13)),
            ("2024-01-05 00:00:00", DateOrder::DayFirst, d(2024, 1, 5)),
            ("13/05/1988", DateOrder::DayFirst, d(1988, 5, 13)),
            ("05/13/1988", DateOrder::MonthFirst, d(1988, 5, 13)),
            ("3/4/1990", DateOrder::DayFirst, d(1990, 4, 3)),
            ("3/4/1990", DateOrder::MonthFirst, d(1990, 3, 4)),
            ("13.5.88", DateOrder::DayFirst, d(1988, 5, 13)),
            ("1.2.05", DateOrder::DayFirst, d(2005, 2, 1)),
            ("5 January 1992", DateOrder::MonthFirst, d(1992, 1, 5)),
            ("January 5, 1992", DateOrder::DayFirst, d(1992, 1, 5)),
            ("Jan 5th 1992", DateOrder::DayFirst, d(1992, 1, 5)),
            ("05-Jan-92", DateOrder::DayFirst, d(1992, 1, 5)),
            ("13 mai 1988", DateOrder::DayFirst, d(1988, 5, 13)),
            ("13. März 1988", DateOrder::DayFirst, d(1988, 3, 13)),
            ("13 de mayo de 1988", DateOrder::DayFirst, d(1988, 5, 13)),
            ("Friday, 13 May 1988", DateOrder::DayFirst, d(1988, 5, 13)),
            ("32276", DateOrder::DayFirst, d(1988, 5, 13)),
            ("19880513", DateOrder::DayFirst, d(1988, 5, 13)),
        ];
        for (raw, order, want) in cases {
            assert_eq!(parse_date(raw, order, today()), Ok(want), "{raw}");
        }
        for bad in ["", "soon", "13/13/1988", "31/02/1990", "5 Smarch 1990", "1/2", "12345678901"] {
            assert!(parse_date(bad, DateOrder::DayFirst, today()).is_err(), "{bad} should be refused");
        }
        assert!(parse_date("13/05/1988", DateOrder::MonthFirst, today()).unwrap_err().contains("month/day/year"));
        assert!(parse_date("April 21", DateOrder::DayFirst, today()).unwrap_err().contains("no year"));
        assert!(parse_date("04/21", DateOrder::MonthFirst, today()).unwrap_err().contains("no year"));
    }

    #[test]
    fn date_order_evidence_and_excel_serials() {
        assert_eq!(order_evidence("13/05/1988"), Some(DateOrder::DayFirst));
        assert_eq!(order_evidence("05/13/1988"), Some(DateOrder::MonthFirst));
        assert_eq!(order_evidence("05/06/1988"), None);
        assert_eq!(order_evidence("1988-05-13"), None);
        assert_eq!(DateOrder::for_region("US"), DateOrder::MonthFirst);
        assert_eq!(DateOrder::for_region("GB"), DateOrder::DayFirst);
        assert_eq!(excel_serial_date(1.0), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial_date(60.0), Some(d(1900, 3, 1)), "the day that never was (29 February 1900) reads as the next");
        assert_eq!(excel_serial_date(61.0), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial_date(45292.0), Some(d(2024, 1, 1)));
        assert_eq!(excel_serial_date(-3.0), None);
    }

    #[test]
    fn money_is_read_strictly_or_refused() {
        // Each of these was once quietly changed into another amount (2E3 into 23.00).
        for bad in ["2E3", "1.5E+3", "12.5.6", "5-3", "1e308", "12,34,5", "1..5", "1,2345.6", "0,050.00", "12 apples",
                    "99999999999999", "EUR 5 USD", "1 000 000,5.5", "5-"] {
            assert!(parse_money(bad).is_err(), "{bad} should be refused, got {:?}", parse_money(bad));
        }
        assert_eq!(parse_money("0.050"), Ok(Money::from_cents(5)), "a leading zero is never a thousands group");
        assert_eq!(parse_money("0,5"), Ok(Money::from_cents(50)));
        assert_eq!(parse_money("$-5"), Ok(Money::from_cents(-500)));
        assert_eq!(parse_money("-£1,000"), Ok(Money::from_cents(-100_000)));
        assert_eq!(parse_money("12.9951"), Ok(Money::from_cents(1_300)), "fractions of a cent round");
        // The column's mark decides what a lone mark before three digits means.
        assert_eq!(parse_amount("1.234", DecimalMark::Point).map(|a| a.amount), Ok(Money::from_cents(123)));
        assert_eq!(parse_amount("1.234", DecimalMark::Comma).map(|a| a.amount), Ok(Money::from_cents(123_400)));
        assert!(parse_amount("1.234,5", DecimalMark::Point).is_err());
        assert_eq!(DecimalMark::shown_by("12,50"), Some(DecimalMark::Comma));
        assert_eq!(DecimalMark::shown_by("1,234.50"), Some(DecimalMark::Point));
        assert_eq!(DecimalMark::shown_by("1,234"), None);
        assert_eq!(DecimalMark::for_country("DE"), DecimalMark::Comma);
        // Another currency than the shop's is refused, never counted as the shop's.
        assert!(parse_money_in("USD 12", DecimalMark::Either, "GBP").unwrap_err().contains("USD"));
        assert!(parse_money_in("$12", DecimalMark::Either, "EUR").is_err());
        assert_eq!(parse_money_in("$12", DecimalMark::Either, "CAD"), Ok(Money::from_cents(1_200)));
        assert_eq!(parse_money_in("12 £", DecimalMark::Either, "GBP"), Ok(Money::from_cents(1_200)));
        assert_eq!(parse_amount("R$ 5,00", DecimalMark::Either).unwrap().currency, Some("BRL"));
        assert_eq!(parse_amount("100 kr", DecimalMark::Either).map(|a| currency_code(a.currency.unwrap(), "NOK")), Ok("NOK"));
        // A huge bad value is quoted as a short excerpt.
        let huge = "x".repeat(1 << 20);
        assert!(parse_money(&huge).unwrap_err().chars().count() < 120);
    }

    #[test]
    fn money_with_any_sign_and_decimal_mark() {
        let cases = [
            ("$1,234.50", 123_450), ("1.234,50 €", 123_450), ("120,40 €", 12_040), ("£12", 1_200), ("EUR 99", 9_900),
            ("(12.00)", -1_200), ("-5", -500), ("0.00", 0), ("1 234,5", 123_450), ("1'234.50 CHF", 123_450),
            ("209.79", 20_979), ("1,234", 123_400), ("1.234.567", 123_456_700), ("12.345", 1_234_500), ("3.14159", 314),
            ("R$ 1.000,00", 100_000),
        ];
        for (raw, cents) in cases {
            assert_eq!(parse_money(raw), Ok(Money::from_cents(cents)), "{raw}");
        }
        for bad in ["", "free", "12 apples?", "€"] {
            assert!(parse_money(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(parse_count("3"), Ok(3));
        assert_eq!(parse_count("1,204"), Ok(1204));
        assert_eq!(parse_count("3.0"), Ok(3));
        assert!(parse_count("three").is_err());
    }

    #[test]
    fn consent_words() {
        for yes in ["yes", "TRUE", "1", "subscribed", "Opted-in", "oui", "ja", "sí"] {
            assert_eq!(parse_consent(yes), Ok(ConsentStatus::Yes), "{yes}");
        }
        for no in ["no", "False", "0", "unsubscribed", "non", "nein", "Opted out", "cleaned", "not_subscribed"] {
            assert_eq!(parse_consent(no), Ok(ConsentStatus::No), "{no}");
        }
        assert_eq!(parse_consent("pending"), Ok(ConsentStatus::Unknown));
        assert!(parse_consent("maybe later").unwrap_err().contains("yes or no"));
    }

    #[test]
    fn names_split_and_tidied() {
        let cases = [
            ("Ana Abbott", ("Ana", "Abbott")),
            ("Abbott, Ana", ("Ana", "Abbott")),
            ("Dr. Jean-Luc van der Berg", ("Jean-Luc", "van der Berg")),
            ("ANA ABBOTT", ("Ana", "Abbott")),
            ("seán o'brien", ("Seán", "O'Brien")),
            ("Madonna", ("Madonna", "")),
            ("McDonald, Mary", ("Mary", "McDonald")),
        ];
        for (raw, (first, last)) in cases {
            assert_eq!(split_name(raw), (first.to_string(), last.to_string()), "{raw}");
        }
    }

    #[test]
    fn lists_phones_and_guards() {
        assert_eq!(split_list("VIP, wholesale;local|x", &[',', ';', '|']), ["VIP", "wholesale", "local", "x"]);
        assert_eq!(split_list("* myContacts ::: Friends ::: Family", &[',', ';', '|']), ["Friends", "Family"]);
        assert_eq!(number_as_phone(7911100060.0).as_deref(), Some("7911100060"));
        assert_eq!(number_as_phone(12.5), None);
        assert_eq!(strip_formula_guard("'+447911123456"), "+447911123456");
        assert_eq!(strip_formula_guard("'quoted"), "'quoted");
        assert_eq!(angle_addresses("Ana Abbott <ana@example.com>, Bea <bea@example.com>"), "ana@example.com;bea@example.com");
        assert_eq!(angle_addresses("ana@example.com"), "ana@example.com");
        assert!(is_scientific("4.47912E+11") && is_scientific("7,9111E+09") && !is_scientific("07911 123456") && !is_scientific("E+11"));
    }
}
