//! Amounts of money as people write them: `$1,234.50`, `1.234,50 €`, `(12.00)`, `EUR 99`. Read
//! strictly: a sign only in front, thousands groups that are real groups, one decimal mark (the
//! column's, else the country's), an optional currency sign or code, and at most ten billion; what
//! cannot be read one way is refused with a sentence that quotes it.

use crate::error::excerpt;
use crate::model::Money;

/// Which mark separates the units from the cents in a column of amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `1,234.50`: a point; commas (and spaces, apostrophes) group thousands.
    Point,
    /// `1.234,50`: a comma; points (and spaces) group thousands.
    Comma,
    /// Decided for each value: the last of two different marks, a mark that appears once unless it
    /// is followed by exactly three digits of a valid thousands group (`1,234`, `12.345`).
    #[default]
    Either,
}

impl DecimalMark {
    /// The mark the shop's country writes (for a column whose values do not decide it).
    pub fn for_country(country: &str) -> DecimalMark {
        if crate::format::comma_decimal(country) { DecimalMark::Comma } else { DecimalMark::Point }
    }

    /// What one value says about its column's mark: `Some` only when the value can be read one way.
    pub fn shown_by(raw: &str) -> Option<DecimalMark> {
        match (parse_amount(raw, DecimalMark::Point).is_ok(), parse_amount(raw, DecimalMark::Comma).is_ok()) {
            (true, false) => Some(DecimalMark::Point),
            (false, true) => Some(DecimalMark::Comma),
            // Both readings (a lone mark before three digits, or no mark at all): undecided.
            _ => None,
        }
    }
}

/// An amount as written: its value, and the currency it names, if it names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub amount: Money,
    /// An ISO code (`USD`), or a sign several currencies share (`$`, `¥`, `kr`).
    pub currency: Option<&'static str>,
}

/// Amounts above this many whole units are refused as mistakes (ten billion).
const MAX_UNITS: i64 = 10_000_000_000;

/// Currency signs and the codes they stand for; a sign several currencies share stands for itself.
const SIGNS: &[(&str, &str)] = &[
    ("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"), ("HK$", "HKD"),
    ("S$", "SGD"), ("R$", "BRL"), ("$", "$"), ("£", "GBP"), ("€", "EUR"), ("¥", "¥"), ("￥", "¥"), ("₹", "INR"),
    ("₩", "KRW"), ("₽", "RUB"), ("₺", "TRY"), ("₪", "ILS"), ("₫", "VND"), ("₱", "PHP"), ("฿", "THB"), ("₴", "UAH"),
    ("₦", "NGN"), ("₲", "PYG"), ("₵", "GHS"), ("₡", "CRC"), ("zł", "PLN"), ("Kč", "CZK"), ("kr.", "kr"), ("kr", "kr"),
    ("Fr.", "CHF"), ("Ft", "HUF"), ("lei", "RON"), ("R", "ZAR"),
];

/// The currencies a shared sign may stand for.
fn family(sign: &str) -> &'static [&'static str] {
    match sign {
        "$" => &["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "ARS", "CLP", "COP", "TWD"],
        "¥" => &["JPY", "CNY"],
        "kr" => &["SEK", "NOK", "DKK", "ISK"],
        _ => &[],
    }
}

/// The ISO code an amount's currency sign means in a shop that counts in `shop`: a shared sign is
/// the shop's own currency when it can be (`$` in a Canadian shop is CAD).
pub fn currency_code(sign: &'static str, shop: &str) -> &'static str {
    let options = family(sign);
    if options.is_empty() {
        return sign;
    }
    options.iter().copied().find(|c| c.eq_ignore_ascii_case(shop)).unwrap_or(options[0])
}

/// A currency sign or ISO code at the start (`prefix`) or the end of `text`: the code, and the rest.
fn take_currency(text: &str, prefix: bool) -> (Option<&'static str>, &str) {
    for &(sign, code) in SIGNS {
        let rest = if prefix { text.strip_prefix(sign) } else { text.strip_suffix(sign) };
        if let Some(rest) = rest {
            // A letter sign must stand apart from other letters ("R" is not the start of "Rabbit").
            let next = if prefix { rest.chars().next() } else { rest.chars().next_back() };
            if sign.chars().all(char::is_alphabetic) && next.is_some_and(char::is_alphabetic) {
                continue;
            }
            return (Some(code), rest.trim_matches(SPACES));
        }
    }
    let word: String = if prefix { text.chars().take(4).collect() } else { text.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect() };
    let letters = if prefix { word.chars().take_while(char::is_ascii_alphabetic).count() } else { word.chars().rev().take_while(char::is_ascii_alphabetic).count() };
    if letters == 3 {
        let (code, rest) = if prefix { (&text[..3], &text[3..]) } else { (&text[text.len() - 3..], &text[..text.len() - 3]) };
        if let Some(code) = iso_code(code) {
            return (Some(code), rest.trim_matches(SPACES));
        }
    }
    (None, text)
}

/// A three-letter code, upper-cased, as a `&'static str` (the codes Regulars knows, else none).
fn iso_code(code: &str) -> Option<&'static str> {
    const CODES: &[&str] = &[
        "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR", "GBP", "GHS",
        "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN",
        "PHP", "PKR", "PLN", "RON", "RSD", "RUB", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "UYU", "VND",
        "ZAR",
    ];
    CODES.iter().copied().find(|c| c.eq_ignore_ascii_case(code))
}

const SPACES: &[char] = &[' ', '\u{a0}', '\u{202f}'];

/// An amount of money, read strictly: an optional sign in front (or accounting brackets), an
/// optional currency sign or code before or after, digits in thousands groups that are real groups,
/// and one decimal mark (`mark`, or decided from the value). Anything else is refused with a reason.
// One piece: a single left-to-right reading of an amount (sign, currency, digits, groups, mark), whose every refusal names what it saw.
pub fn parse_amount(raw: &str, mark: DecimalMark) -> Result<Amount, String> {
    let trimmed = raw.trim();
    let bad = || format!("“{}” is not an amount of money", excerpt(trimmed));
    let mut text = trimmed;
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        text = inner.trim();
    }
    fn sign(t: &str) -> Option<(bool, &str)> {
        t.strip_prefix(['-', '−']).map(|r| (true, r)).or_else(|| t.strip_prefix('+').map(|r| (false, r)))
    }
    if let Some((minus, rest)) = sign(text) {
        negative |= minus;
        text = rest.trim_start_matches(SPACES);
    }
    let (before, rest) = take_currency(text, true);
    text = rest;
    if before.is_some() {
        if let Some((minus, rest)) = sign(text) {
            negative |= minus;
            text = rest.trim_start_matches(SPACES);
        }
    }
    let (after, rest) = take_currency(text, false);
    text = rest;
    let currency = match (before, after) {
        (Some(a), Some(b)) if a != b => return Err(format!("“{}” names two currencies", excerpt(trimmed))),
        (a, b) => a.or(b),
    };
    let number = text;
    if number.is_empty() || !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    // Digit groups and the one separator between each pair.
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = None;
    for (i, c) in number.char_indices() {
        if c.is_ascii_digit() {
            start.get_or_insert(i);
            continue;
        }
        if !matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’') {
            return Err(bad());
        }
        match start.take() {
            Some(s) => groups.push(&number[s..i]),
            // Only a decimal mark may lead (".50"), and never two separators in a row.
            None if i == 0 && matches!(c, '.' | ',') => groups.push(""),
            None => return Err(bad()),
        }
        seps.push(c);
    }
    match start {
        Some(s) => groups.push(&number[s..]),
        None => return Err(bad()),
    }
    let count = |m: char| seps.iter().filter(|&&s| s == m).count();
    let first_is_group = |g: &str| (1..=3).contains(&g.len()) && !g.starts_with('0');
    let decimal_at = match (seps.last().copied(), mark) {
        (None, _) => None,
        (Some('.'), DecimalMark::Point) | (Some(','), DecimalMark::Comma) => Some(seps.len() - 1),
        (Some(_), DecimalMark::Point | DecimalMark::Comma) => None,
        (Some(last @ ('.' | ',')), DecimalMark::Either) => {
            let other = if last == '.' { ',' } else { '.' };
            if count(other) > 0 || (count(last) == 1 && !(groups.len() == 2 && groups[1].len() == 3 && first_is_group(groups[0]))) {
                Some(seps.len() - 1)
            } else {
                None
            }
        }
        (Some(_), DecimalMark::Either) => None,
    };
    let (whole_groups, whole_seps, fraction) = match decimal_at {
        Some(at) => (&groups[..=at], &seps[..at], groups[at + 1]),
        None => (&groups[..], &seps[..], ""),
    };
    if let Some(&thousands) = whole_seps.first() {
        let decimal = decimal_at.map(|at| seps[at]);
        let valid = whole_seps.iter().all(|&s| s == thousands)
            && Some(thousands) != decimal
            && first_is_group(whole_groups[0])
            && whole_groups[1..].iter().all(|g| g.len() == 3);
        if !valid {
            return Err(bad());
        }
    }
    let whole: String = whole_groups.concat();
    let whole = whole.trim_start_matches('0');
    if whole.len() > 11 {
        return Err(format!("“{}” is too large an amount", excerpt(trimmed)));
    }
    let units: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    if units >= MAX_UNITS {
        return Err(format!("“{}” is too large an amount", excerpt(trimmed)));
    }
    let fraction = fraction.get(..fraction.len().min(12)).unwrap_or(fraction);
    // Cents, rounded half up from the digits after them.
    let mut cents: i64 = 0;
    for (i, d) in fraction.bytes().take(2).enumerate() {
        cents += i64::from(d - b'0') * if i == 0 { 10 } else { 1 };
    }
    if fraction.len() > 2 && fraction.as_bytes()[2] >= b'5' {
        cents += 1;
    }
    let total = units * 100 + cents;
    Ok(Amount { amount: Money::from_cents(if negative { -total } else { total }), currency })
}

/// An amount of money whatever its currency, its mark decided from the value: `$1,234.50`,
/// `1.234,50 €`, `120,40 €`, `£12`, `EUR 99`, `(12.00)`, `-5`.
pub fn parse_money(raw: &str) -> Result<Money, String> {
    parse_amount(raw, DecimalMark::Either).map(|a| a.amount)
}

/// An amount in the shop's currency (`shop`, an ISO code): one that names another currency is
/// refused, since counting dollars as pounds would be quietly wrong.
pub fn parse_money_in(raw: &str, mark: DecimalMark, shop: &str) -> Result<Money, String> {
    let a = parse_amount(raw, mark)?;
    match a.currency.map(|c| currency_code(c, shop)) {
        Some(code) if !code.eq_ignore_ascii_case(shop) => Err(format!(
            "“{}” is in {code}, but the shop counts in {shop}; convert it, or set the shop's currency",
            excerpt(raw.trim())
        )),
        _ => Ok(a.amount),
    }
}
