//! Countries by the names people write for them: "Deutschland", "DE", "DEU", "Germany" and
//! "Allemagne" are all `DE`. The table (`countries.tsv`, made by `scripts/build-countries.py`)
//! holds every ISO 3166-1 country with its English name and the names used in the languages the
//! import understands. Pure and allocation-free after the first call.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalize::fold;

const TABLE: &str = include_str!("countries.tsv");

struct Countries {
    /// Code and the name Regulars shows, in code order.
    list: Vec<(&'static str, &'static str)>,
    /// Every name, code and alias, folded (see `key`), to its code.
    by_name: HashMap<String, &'static str>,
}

fn countries() -> &'static Countries {
    static TABLE_READ: OnceLock<Countries> = OnceLock::new();
    TABLE_READ.get_or_init(|| {
        let mut list = Vec::new();
        let mut by_name = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let mut parts = line.split('\t');
            let (Some(code), Some(shown)) = (parts.next(), parts.next()) else { continue };
            list.push((code, shown));
            let others = parts.next().unwrap_or("");
            for name in std::iter::once(code).chain(std::iter::once(shown)).chain(others.split('|')) {
                // The first country to claim a name keeps it ("Korea" is the South's, listed first).
                by_name.entry(key(name)).or_insert(code);
            }
        }
        Countries { list, by_name }
    })
}

/// A name as looked up: folded, letters only, single spaces ("U.S.A." → "usa", "Côte d'Ivoire" →
/// "cote divoire").
fn key(name: &str) -> String {
    let folded = fold(name);
    let kept: String = folded.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '-' || *c == ',').collect();
    let spaced = kept.replace(['-', ','], " ");
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The two-letter code of a country written any common way, if it is one.
pub fn code_of(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.is_empty() || text.len() > 80 {
        return None;
    }
    countries().by_name.get(&key(text)).copied()
}

/// The name Regulars shows for a code ("DE" → "Germany").
pub fn name(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    countries().list.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Every country as (code, name), sorted by name, for menus.
pub fn all() -> Vec<(&'static str, &'static str)> {
    let mut list = countries().list.clone();
    list.sort_by_key(|(_, n)| fold(n));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_found_by_code_and_by_name_in_many_languages() {
        let cases = [
            ("DE", Some("DE")), ("Deutschland", Some("DE")), ("germany", Some("DE")), ("Allemagne", Some("DE")),
            ("DEU", Some("DE")), ("IE", Some("IE")), ("Ireland", Some("IE")), ("Brazil", Some("BR")),
            ("Brasil", Some("BR")), ("U.S.A.", Some("US")), ("United States of America", Some("US")),
            ("Canada", Some("CA")), ("Österreich", Some("AT")), ("Oesterreich", Some("AT")), ("Royaume-Uni", Some("GB")),
            ("UK", Some("GB")), ("England", Some("GB")), ("Nederland", Some("NL")), ("España", Some("ES")),
            ("Côte d'Ivoire", Some("CI")), ("Korea, Republic of", Some("KR")), ("Narnia", None), ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(code_of(text), want, "{text}");
        }
        assert_eq!(name("de"), Some("Germany"));
        assert!(all().len() > 240);
    }
}
