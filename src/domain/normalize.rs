//! Turning what people type into the one form Regulars stores: emails trimmed and lower-case, phones as
//! E.164 (parsed with libphonenumber's rules and the shop's country as default region), social handles
//! without "@" (taken out of profile URLs too), dates as ISO, and text folded for accent-blind search.
//! Every function here is pure; a refusal is a sentence a shop owner understands.

use chrono::NaiveDate;
use rlibphonenumber::{PhoneNumber, PhoneNumberFormat};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::Platform;

/// A country code the phone parser knows, such as `GB` or `FR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(rlibphonenumber::Region, [u8; 2]);

impl Region {
    pub fn parse(code: &str) -> Result<Region, String> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() == 2 {
            if let Ok(id) = code.parse::<rlibphonenumber::Region>() {
                let bytes = code.as_bytes();
                return Ok(Region(id, [bytes[0], bytes[1]]));
            }
        }
        Err(format!("“{code}” is not a two-letter country code such as GB, US, FR or DE"))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.1).unwrap_or("US")
    }
}

/// Reads a moment in time, the one way the core reads them: RFC 3339 ("2026-11-24T15:04:00Z", or
/// with an offset), a date and time ("2026-11-24 15:04", with seconds and an offset or without:
/// UTC), or a plain date (taken as noon UTC, so that it stays on its day in every time zone a
/// shop is likely to be in).
pub fn instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    use chrono::{DateTime, Utc};
    let t = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(t) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_hms_opt(12, 0, 0).map(|d| d.and_utc()).unwrap_or_default());
    }
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(time) = DateTime::parse_from_str(t, format) {
            return Ok(time.with_timezone(&Utc));
        }
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return Ok(naive.and_utc());
        }
    }
    Err(format!("“{t}” is not a date or time like 2026-11-24 or 2026-11-24T15:04:00Z"))
}

const NAME_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "m", "mme", "mlle", "herr", "frau", "sr", "sra",
    "srta", "sig", "sig ra", "dhr", "mevr", "hr",
];

/// Splits a full name into first and last: "Ana Abbott", "Abbott, Ana", "Dr. Jean-Luc van der Berg".
pub fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    if let Some((last, first)) = full.split_once(',') {
        let (first, last) = (first.trim(), last.trim());
        if !first.is_empty() && !last.is_empty() && !first.contains(',') {
            return (tidy_case(first), tidy_case(last));
        }
    }
    let mut words: Vec<&str> = full.split_whitespace().collect();
    while words.len() > 1 && NAME_TITLES.contains(&fold(words[0]).trim_end_matches('.')) {
        words.remove(0);
    }
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] => (tidy_case(one), String::new()),
        [first, rest @ ..] => (tidy_case(first), tidy_case(&rest.join(" "))),
    }
}

/// Names typed all in capitals or all in lower case get capitals at the starts of words
/// ("ANA ABBOTT" → "Ana Abbott", "o'brien" → "O'Brien"); names in mixed case are left as typed.
pub fn tidy_case(name: &str) -> String {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    let all_upper = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
    let all_lower = !letters.is_empty() && letters.iter().all(|c| c.is_lowercase());
    if !all_upper && !all_lower {
        return name.trim().to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.trim().chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// Bytes as lower-case hexadecimal (a file's hash, a fingerprint).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case text with accents and ligatures folded away, for search: "Lefèvre" becomes "lefevre",
/// "Straße" becomes "strasse".
pub fn fold(text: &str) -> String {
    // Plain ASCII has nothing to decompose: lower case is all there is to do (most names, every
    // email and number; search ranks hundreds of candidates a keystroke).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The other spellings of a text's words that people type for them, folded: German umlauts as
/// "ae", "oe", "ue" ("Müller" is also "mueller") and those written out the other way ("Mueller" is
/// also "muller"), Danish and Norwegian "ø" as "oe" and "å" as "aa". Empty when there are none.
pub fn spelling_variants(text: &str) -> String {
    // Plain ASCII has variants only where "ae", "oe" or "ue" is written (as in "Mueller").
    if text.is_ascii() {
        let lower = text.to_ascii_lowercase();
        if !["ae", "oe", "ue"].iter().any(|p| lower.contains(p)) {
            return String::new();
        }
    }
    variants_word_by_word(text)
}

fn variants_word_by_word(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let lower = word.to_lowercase();
        if lower.contains(['ä', 'ö', 'ü', 'ø', 'å']) {
            let written_out = lower.replace('ä', "ae").replace('ö', "oe").replace('ü', "ue").replace('ø', "oe").replace('å', "aa");
            out.push(fold(&written_out));
        }
        let folded = fold(word);
        if ["ae", "oe", "ue"].iter().any(|p| folded.contains(p)) {
            out.push(umlauts_as_letters(&folded));
        }
    }
    out.join(" ")
}

/// Folded text with umlauts written out read as their letter ("mueller" is "muller", as "Müller"
/// folds).
pub fn umlauts_as_letters(folded: &str) -> String {
    folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")
}

/// A phone's last nine digits: the same number however it is written, with or without its
/// country prefix.
pub fn phone_tail(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].to_string()
}

/// Splits folded text into search words: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

pub fn email(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > 254 {
        return Err(format!("“{trimmed}” is too long for an email address (at most 254 characters)"));
    }
    let e = trimmed.strip_prefix("mailto:").unwrap_or(trimmed).trim().to_lowercase();
    let valid = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.contains(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        }
        None => false,
    };
    if valid {
        Ok(e)
    } else {
        Err(format!("“{trimmed}” is not an email address (it should look like name@example.com)"))
    }
}

/// Parses a phone number written any common way into E.164 (`+447911123456`). Numbers without a
/// country code are read as numbers of `region`.
pub fn phone(raw: &str, region: Region) -> Result<String, String> {
    let trimmed = raw.trim();
    // The longest number written with spaces and an extension is far shorter than this.
    if trimmed.len() > 64 {
        return Err(format!("“{trimmed}” is not a phone number"));
    }
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    let looks_like_phone = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c) || c.is_whitespace());
    if trimmed.is_empty() || digits < 4 || !looks_like_phone {
        return Err(format!("“{trimmed}” is not a phone number"));
    }
    // A leading "00" is the international prefix used across Europe; the parser wants "+".
    let cleaned = match trimmed.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => trimmed.to_string(),
    };
    match PhoneNumber::parse(&cleaned, Some(region.0)) {
        Ok(number) if number.is_valid() => Ok(number.format_as(PhoneNumberFormat::E164).into_owned()),
        _ => Err(format!(
            "“{trimmed}” is not a valid phone number for {}; write it with its country code, such as +44 7911 123456",
            region.code()
        )),
    }
}

/// Whether an E.164 number is known to be a mobile (one person's), rather than a landline, an
/// office or shared number, or one whose kind the numbering plan does not tell (US numbers).
pub fn is_mobile(e164: &str) -> bool {
    PhoneNumber::parse(e164, None).is_ok_and(|n| matches!(n.get_type(), rlibphonenumber::PhoneNumberType::Mobile))
}

/// Formats an E.164 number for people: `+44 7911 123456`. Remembers the numbers it formatted last
/// (parsing one costs microseconds, and a search shows a hundred); what it answers is the same.
pub fn phone_display(e164: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    /// How many formatted numbers are remembered before they are all forgotten.
    const REMEMBERED: usize = 50_000;
    static FORMATTED: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let formatted = FORMATTED.get_or_init(Default::default);
    if let Some(shown) = formatted.lock().ok().and_then(|m| m.get(e164).cloned()) {
        return shown;
    }
    let shown = match PhoneNumber::parse(e164, None) {
        Ok(n) => n.format_as(PhoneNumberFormat::International).into_owned(),
        Err(_) => e164.to_string(),
    };
    if let Ok(mut m) = formatted.lock() {
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(e164.to_string(), shown.clone());
    }
    shown
}

/// The digit strings a stored phone can be found by as the user types: the full international
/// digits, the national form with its trunk "0", and every suffix of the national number, so that
/// "07911 123456", "+44 7911 123456" and "123456" all find `+447911123456`.
pub fn phone_search_terms(e164: &str) -> Vec<String> {
    let Ok(n) = PhoneNumber::parse(e164, None) else {
        return vec![e164.trim_start_matches('+').to_string()];
    };
    let national = n.get_national_significant_number();
    let mut terms = vec![e164.trim_start_matches('+').to_string(), format!("0{national}")];
    for start in 0..national.len().saturating_sub(2) {
        terms.push(national[start..].to_string());
    }
    terms
}

/// Reads a handle as typed, "@name", or a profile URL, into the bare, lower-case handle.
pub fn handle(platform: Platform, raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    let from_url = handle_from_url(trimmed);
    let bare = from_url.as_deref().unwrap_or(trimmed).trim_start_matches('@').trim();
    if platform == Platform::Whatsapp {
        // A WhatsApp "handle" is the account's phone number: keep its digits.
        let digits: String = bare.chars().filter(char::is_ascii_digit).collect();
        let plausible = bare.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        return if plausible && digits.len() >= 6 {
            Ok(digits)
        } else {
            Err(format!("“{trimmed}” is not a WhatsApp number"))
        };
    }
    let ok = !bare.is_empty()
        && bare.len() <= 100
        && bare.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(bare.to_lowercase())
    } else {
        Err(format!("“{trimmed}” is not a {platform} handle (letters, digits, dots, dashes and underscores)"))
    }
}

/// The platform a profile URL belongs to, if it is one.
pub fn platform_of_url(raw: &str) -> Option<Platform> {
    let host = url_host(raw)?;
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host).to_string();
    let platform = match host.as_str() {
        "instagram.com" | "instagr.am" => Platform::Instagram,
        "facebook.com" | "fb.com" | "fb.me" => Platform::Facebook,
        "tiktok.com" => Platform::Tiktok,
        "x.com" | "twitter.com" => Platform::X,
        "youtube.com" => Platform::Youtube,
        "linkedin.com" => Platform::Linkedin,
        "pinterest.com" | "pinterest.co.uk" | "pin.it" => Platform::Pinterest,
        "wa.me" | "whatsapp.com" | "api.whatsapp.com" => Platform::Whatsapp,
        _ => return None,
    };
    Some(platform)
}

fn url_host(raw: &str) -> Option<String> {
    let lower = raw.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next()?;
    host.contains('.').then(|| host.to_string())
}

/// The profile name inside a profile URL: the path segment that names the account.
fn handle_from_url(raw: &str) -> Option<String> {
    url_host(raw)?;
    let rest = raw.split_once("://").map_or(raw, |(_, r)| r);
    let (_, path_and_query) = rest.split_once('/')?;
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let segments: Vec<&str> = path.split(['/', '#']).filter(|s| !s.is_empty()).collect();
    // facebook.com/profile.php?id=123 names the account in its query.
    if segments.first() == Some(&"profile.php") {
        return query.split('&').find_map(|kv| kv.strip_prefix("id=")).map(str::to_string);
    }
    let skip = ["in", "user", "c", "channel", "u", "send"];
    let segment = segments.iter().find(|s| !skip.contains(s))?;
    Some(segment.to_string())
}

/// A date written `YYYY-MM-DD`.
pub fn iso_date(raw: &str) -> Result<NaiveDate, String> {
    let trimmed = raw.trim();
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .map_err(|_| format!("“{trimmed}” is not a date written as YYYY-MM-DD (for example 1990-04-21)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb() -> Region {
        Region::parse("GB").unwrap()
    }

    #[test]
    fn folds_accents_and_ligatures() {
        let cases = [("Lefèvre", "lefevre"), ("ÉLODIE", "elodie"), ("Straße", "strasse"), ("Søren Ærø", "soren aero"), ("Łukasz", "lukasz"), ("Ñandú", "nandu")];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn plain_ascii_folds_as_any_text_does() {
        let every: String = (0u8..128).map(char::from).collect();
        assert_eq!(fold(&every), fold_unicode(&every));
        assert_eq!(fold("Maria O'Neil-SMITH +44 7911"), "maria o'neil-smith +44 7911");
        for text in ["Maria Smith", "Anna MUELLER", "Joel Boehm-Sue", "Rae", "a e", "Zoe_22", "", "Müller"] {
            assert_eq!(spelling_variants(text), variants_word_by_word(text), "{text}");
        }
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(email("  Jane.Doe@Example.COM "), Ok("jane.doe@example.com".into()));
        assert_eq!(email("mailto:a@b.co"), Ok("a@b.co".into()));
        for bad in ["", "jane", "jane@", "@x.com", "jane@example", "a b@c.com", "a@b@c.com", "a@.com"] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn phones_any_way_written_become_e164() {
        let cases = [
            ("07911 123456", "GB", "+447911123456"),
            ("+44 7911 123456", "GB", "+447911123456"),
            ("0044 7911 123456", "FR", "+447911123456"),
            ("(415) 555-2671", "US", "+14155552671"),
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("+49 30 901820", "GB", "+4930901820"),
        ];
        for (raw, region, expected) in cases {
            assert_eq!(phone(raw, Region::parse(region).unwrap()), Ok(expected.to_string()), "{raw}");
        }
        for bad in ["123", "hello", "07911 12345a", "+44 12", ""] {
            assert!(phone(bad, gb()).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn phone_terms_cover_national_international_and_suffixes() {
        let terms = phone_search_terms("+447911123456");
        for wanted in ["447911123456", "07911123456", "7911123456", "123456", "456"] {
            assert!(terms.contains(&wanted.to_string()), "{wanted} missing from {terms:?}");
        }
        assert_eq!(phone_display("+447911123456"), "+44 7911 123456");
    }

    #[test]
    fn handles_come_bare_from_at_names_and_urls() {
        let cases = [
            (Platform::Instagram, "@Jane.Doe", "jane.doe"),
            (Platform::Instagram, "https://www.instagram.com/jane_doe/?hl=en", "jane_doe"),
            (Platform::Tiktok, "tiktok.com/@dancer", "dancer"),
            (Platform::Linkedin, "https://linkedin.com/in/jane-doe-123", "jane-doe-123"),
            (Platform::Facebook, "https://facebook.com/profile.php?id=10001", "10001"),
            (Platform::Youtube, "https://youtube.com/@MyChannel", "mychannel"),
            (Platform::Whatsapp, "+44 7911 123456", "447911123456"),
            (Platform::Whatsapp, "https://wa.me/447911123456", "447911123456"),
        ];
        for (platform, raw, expected) in cases {
            assert_eq!(handle(platform, raw), Ok(expected.to_string()), "{raw}");
        }
        assert!(handle(Platform::X, "two words").is_err());
        assert!(handle(Platform::X, "<script>").is_err());
        assert_eq!(platform_of_url("https://twitter.com/someone"), Some(Platform::X));
        assert_eq!(platform_of_url("@someone"), None);
    }

    #[test]
    fn regions_and_dates_explain_refusals() {
        assert_eq!(Region::parse("gb").unwrap().code(), "GB");
        assert!(Region::parse("England").unwrap_err().contains("two-letter"));
        assert_eq!(iso_date("1990-04-21"), Ok(NaiveDate::from_ymd_opt(1990, 4, 21).unwrap()));
        assert!(iso_date("21/04/1990").unwrap_err().contains("YYYY-MM-DD"));
        assert!(iso_date("1990-02-30").is_err());
    }
}
