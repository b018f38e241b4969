//! Numbers and money written the shop's way, for the sentences the core writes (a suggestion's
//! reasons, a draft): "£1,234.50" and "54,872" in a British shop, "1.234,50 €" and "54.872" in a
//! German one, "1 234,50 €" in a French one. The app's screens do the same with the browser's own
//! formatting for the shop's country.

/// How the shop writes numbers and money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    pub country: String,
    pub currency: String,
}

/// Countries that group thousands with a space (a no-break one, so a figure never splits).
const SPACE_GROUPED: &[&str] = &["FR", "SE", "NO", "FI", "PL", "CZ", "SK", "RU", "UA", "EE", "LV", "LT", "HU", "BG", "PT"];
/// Countries that write the currency's sign before the amount even when it is the euro.
const SIGN_FIRST: &[&str] = &["GB", "US", "IE", "AU", "NZ", "CA", "SG", "IN", "ZA", "MT", "CY", "MX", "JP", "CN", "HK", "NL"];

/// Whether a country writes a decimal comma ("12,50"), not a point.
pub fn comma_decimal(country: &str) -> bool {
    const COMMA: &[&str] = &[
        "AR", "AT", "BA", "BE", "BG", "BO", "BR", "CL", "CO", "CR", "CZ", "DE", "DK", "EC", "EE", "ES", "FI", "FR", "GR",
        "HR", "HU", "ID", "IS", "IT", "LT", "LU", "LV", "NL", "NO", "PL", "PT", "PY", "RO", "RS", "RU", "SE", "SI", "SK",
        "TR", "UA", "UY", "VE", "VN",
    ];
    COMMA.contains(&country)
}

impl Formats {
    fn comma_decimal(&self) -> bool {
        comma_decimal(&self.country)
    }

    fn group_separator(&self) -> &'static str {
        if self.country == "CH" {
            "’"
        } else if SPACE_GROUPED.contains(&self.country.as_str()) {
            "\u{202f}"
        } else if self.comma_decimal() {
            "."
        } else {
            ","
        }
    }

    /// A whole number with its thousands grouped: "54,872".
    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + 8);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(self.group_separator());
            }
            out.push(d);
        }
        out
    }

    /// An amount in the shop's currency: "£608.00", "1.234,50 €".
    pub fn money(&self, amount: f64) -> String {
        self.money_in(amount, &self.currency)
    }

    /// An amount in any currency, written the shop's way.
    pub fn money_in(&self, amount: f64, currency: &str) -> String {
        let cents = (amount.abs() * 100.0).round() as u64;
        let decimals = if currency == "JPY" { String::new() } else { format!("{}{:02}", if self.comma_decimal() { ',' } else { '.' }, cents % 100) };
        let whole = if currency == "JPY" { self.number((amount.abs()).round() as u64) } else { self.number(cents / 100) };
        let minus = if amount < 0.0 && cents > 0 { "-" } else { "" };
        let sign = match currency {
            "GBP" => "£",
            "EUR" => "€",
            "JPY" => "¥",
            "INR" => "₹",
            "USD" if self.country == "US" => "$",
            "CAD" if self.country == "CA" => "$",
            "AUD" if self.country == "AU" => "$",
            "NZD" if self.country == "NZ" => "$",
            "USD" => "US$",
            _ => "",
        };
        if sign.is_empty() {
            format!("{minus}{whole}{decimals}\u{a0}{currency}")
        } else if SIGN_FIRST.contains(&self.country.as_str()) {
            let space = if self.country == "NL" { "\u{a0}" } else { "" };
            format!("{minus}{sign}{space}{whole}{decimals}")
        } else {
            format!("{minus}{whole}{decimals}\u{a0}{sign}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop(country: &str, currency: &str) -> Formats {
        Formats { country: country.into(), currency: currency.into() }
    }

    #[test]
    fn money_and_numbers_are_written_the_shops_way() {
        let cases = [
            (shop("GB", "GBP"), 608.0, "£608.00", 54_872, "54,872"),
            (shop("US", "USD"), 1234.5, "$1,234.50", 1_000_000, "1,000,000"),
            (shop("DE", "EUR"), 1234.5, "1.234,50\u{a0}€", 54_872, "54.872"),
            (shop("FR", "EUR"), 1234.5, "1\u{202f}234,50\u{a0}€", 54_872, "54\u{202f}872"),
            (shop("IE", "EUR"), 1234.5, "€1,234.50", 999, "999"),
            (shop("CH", "CHF"), 1234.5, "1’234.50\u{a0}CHF", 12_345, "12’345"),
            (shop("GB", "USD"), -5.0, "-US$5.00", 0, "0"),
        ];
        for (f, amount, money, n, number) in cases {
            assert_eq!(f.money(amount), money, "{f:?}");
            assert_eq!(f.number(n), number, "{f:?}");
        }
    }
}
