//! Instant search as you type. Each customer has folded words in the store's search index (see
//! `document`); a query becomes up to four bounded index look-ups, from the most telling to the
//! least (phone digits, then names and handles, then contact details and tags, then notes), and the
//! candidates are ranked here by how well the words match the name.
//!
//! Every look-up is capped, so a one-letter query costs about as much as a long one: that bound is
//! what keeps as-you-type search fast at any database size. When more customers match a tier than
//! its cap, the ones it returns are the oldest: a query one letter longer narrows them down.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::{Customer, CustomerId, CustomerSummary};
use crate::normalize::{self, fold, words, Region};
use crate::store::{Field, Lookup, Reads, SearchDoc, Shown};

/// How many candidates one look-up may return.
const TIER_CAP: usize = 200;

/// The words a customer is found by.
pub fn document(c: &Customer) -> SearchDoc {
    let join = |parts: &mut dyn Iterator<Item = String>| parts.collect::<Vec<_>>().join(" ");
    SearchDoc {
        name: name_words(&c.first_name, &c.last_name, &c.display_name),
        handles: join(&mut c.handles.values().map(|h| fold(h))),
        emails: join(&mut c.emails.iter().cloned()),
        phones: join(&mut c.phones.iter().flat_map(|p| normalize::phone_search_terms(p))),
        tags: join(&mut c.tags.iter().map(|t| fold(t))),
        city: with_variants(&c.address.city),
        company: with_variants(&c.company),
        notes: fold(&c.notes),
        shown: Shown {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            display_name: c.display_name.clone(),
            city: c.address.city.clone(),
            email: c.emails.first().cloned(),
            phone: c.phones.first().cloned(),
            tags: c.tags.clone(),
        },
    }
}

/// Text folded, followed by its other spellings.
fn with_variants(text: &str) -> String {
    let variants = normalize::spelling_variants(text);
    if variants.is_empty() { fold(text) } else { format!("{} {variants}", fold(text)) }
}

/// The words a customer's name is found and ranked by.
fn name_words(first: &str, last: &str, display: &str) -> String {
    with_variants(&format!("{first} {last} {display}"))
}

/// Customers matching `query`, best first. An empty query finds nobody.
pub fn search(store: &(impl Reads + ?Sized), query: &str, limit: usize, region: Region) -> Result<Vec<CustomerSummary>> {
    let plan = plan(query, region);
    let db = store.reader();
    // Each candidate's tier (the first look-up that found them), in the order found, and what the
    // store read of them with the look-up (on a server): no further reads for those, and their
    // name's search words ranked as read.
    let mut tier_of: HashMap<CustomerId, usize> = HashMap::new();
    let mut shown: HashMap<CustomerId, (Shown, String)> = HashMap::new();
    for (tier, lookup) in plan.lookups.iter().enumerate() {
        for hit in db.search_hits(lookup, TIER_CAP)? {
            if let std::collections::hash_map::Entry::Vacant(e) = tier_of.entry(hit.id) {
                e.insert(tier);
                if let Some(s) = hit.shown {
                    shown.insert(hit.id, s);
                }
            }
        }
        // A whole phone number that belongs to someone is what was meant: its digits as prefixes
        // of every other field would only add noise (and time).
        let whole_number_found = tier == 0 && plan.whole_number && !tier_of.is_empty();
        if whole_number_found || tier_of.len() >= limit && tier + 1 >= plan.decisive_tiers {
            break;
        }
    }
    let unread: Vec<CustomerId> = tier_of.keys().copied().filter(|id| !shown.contains_key(id)).collect();
    let rank = |id: CustomerId, name: &str, display: &str| (tier_of[&id], name_score(&plan.words, name), fold(display), id);
    let mut ranked: Vec<(usize, u32, String, CustomerId)> = db
        .names(&unread)?
        .into_iter()
        .map(|(id, first, last, display)| rank(id, &name_words(&first, &last, &display), &display))
        .chain(shown.iter().map(|(&id, (s, name))| rank(id, name, &s.display_name)))
        .collect();
    ranked.sort();
    ranked.truncate(limit);
    let best: Vec<CustomerId> = ranked.into_iter().map(|(_, _, _, id)| id).collect();
    let unread: Vec<CustomerId> = best.iter().copied().filter(|id| !shown.contains_key(id)).collect();
    let mut read: HashMap<CustomerId, CustomerSummary> = db.summaries(&unread)?.into_iter().map(|s| (s.id, s)).collect();
    Ok(best.into_iter().filter_map(|id| shown.remove(&id).map(|(s, _)| s.summary(id)).or_else(|| read.remove(&id))).collect())
}

/// What a query looks up, in order.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    /// The query's folded words.
    words: Vec<String>,
    /// Look-ups, most telling first.
    lookups: Vec<Lookup>,
    /// Look-ups that always run even when earlier ones filled the page (names must not be
    /// crowded out by notes, nor phone matches by names).
    decisive_tiers: usize,
    /// The query is a whole phone number of the region (the first look-up is its exact match).
    whole_number: bool,
}

fn plan(query: &str, region: Region) -> Plan {
    let folded = fold(query);
    let words: Vec<String> = words(&folded).map(str::to_string).collect();
    let mut lookups = Vec::new();
    if words.is_empty() {
        return Plan { words, lookups, decisive_tiers: 0, whole_number: false };
    }
    let whole_number = normalize::phone(query.trim(), region).is_ok();
    let prefixes = |fields: &[Field]| Lookup { fields: fields.to_vec(), words: words.clone(), prefix: true, any: false };
    if let Some(digits) = phone_digits(query, region) {
        // Whole-term matches first: a number that ends with the digits typed (or is them) beats one
        // that merely contains them.
        for prefix in [false, true] {
            lookups.push(Lookup { fields: vec![Field::Phones], words: digits.clone(), prefix, any: true });
        }
    }
    lookups.push(prefixes(&[Field::Name, Field::Handles]));
    lookups.push(prefixes(&[Field::Name, Field::Handles, Field::Emails, Field::Phones, Field::Tags, Field::City, Field::Company]));
    lookups.push(prefixes(&[]));
    let decisive_tiers = lookups.len() - 2;
    let whole_number = whole_number && lookups[0].fields == [Field::Phones];
    Plan { words, lookups, decisive_tiers, whole_number }
}

/// The digit strings a phone-like query may be the start of: its digits as typed without leading
/// zeros, and its E.164 digits when it parses as a whole number of `region`.
fn phone_digits(query: &str, region: Region) -> Option<Vec<String>> {
    let q = query.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if !phone_like || digits.len() < 3 {
        return None;
    }
    let mut out = vec![digits.clone()];
    let trimmed = digits.trim_start_matches('0');
    if !trimmed.is_empty() && trimmed != digits {
        out.push(trimmed.to_string());
    }
    if let Ok(e164) = normalize::phone(q, region) {
        out.push(e164.trim_start_matches('+').to_string());
    }
    out.dedup();
    Some(out)
}

/// Lower is better: per query word, 0 when a name word equals it, 1 when one starts with it, 2 when
/// it matched elsewhere.
fn name_score(query_words: &[String], folded_name: &str) -> u32 {
    query_words
        .iter()
        .map(|q| {
            let mut best = 2;
            for w in words(folded_name) {
                if w == q {
                    return 0;
                }
                if w.starts_with(q.as_str()) {
                    best = 1;
                }
            }
            best
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::{self, Change};
    use crate::model::CustomerDraft;
    use crate::store::Store;

    fn gb() -> Region {
        Region::parse("GB").unwrap()
    }

    fn store_with(people: &[(&str, &str, &str, &str)]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let change = Change { now: "2026-11-23T10:00:00Z".parse().unwrap(), region: gb(), source: "test".into() };
        for (first, last, phone, extra) in people {
            let mut d = CustomerDraft { first_name: first.to_string(), last_name: last.to_string(), ..Default::default() };
            if !phone.is_empty() {
                d.phones.push(phone.to_string());
            }
            for part in extra.split(';').filter(|p| !p.is_empty()) {
                let (k, v) = part.split_once('=').unwrap();
                match k {
                    "email" => d.emails.push(v.into()),
                    "ig" => { d.handles.insert("instagram".into(), v.into()); }
                    "tag" => d.tags.push(v.into()),
                    "city" => d.address.city = v.into(),
                    "notes" => d.notes = v.into(),
                    _ => panic!("test helper: unknown key {k}"),
                }
            }
            customers::create(&mut store, &d, &change).unwrap();
        }
        store
    }

    fn check(store: &Store, query: &str, expected: &[&str]) {
        let got: Vec<String> = search(store, query, 10, gb()).unwrap().into_iter().map(|s| s.display_name).collect();
        assert_eq!(got, expected, "query {query:?}");
    }

    #[test]
    fn finds_by_every_field_accent_blind_and_by_prefix() {
        let store = store_with(&[
            ("Élodie", "Lefèvre", "07911 123456", "email=elodie@example.fr;ig=elo.shop;tag=VIP;city=Nantes"),
            ("Tom", "Baker", "020 7946 0000", "notes=Asked about the linen shirts"),
            ("Anna", "Lefebvre", "", "city=Lyon"),
        ]);
        check(&store, "lefe", &["Anna Lefebvre", "Élodie Lefèvre"]);
        check(&store, "LEFÈVRE", &["Élodie Lefèvre"]);
        check(&store, "elo", &["Élodie Lefèvre"]);
        check(&store, "elodie@exa", &["Élodie Lefèvre"]);
        check(&store, "vip", &["Élodie Lefèvre"]);
        check(&store, "nant", &["Élodie Lefèvre"]);
        check(&store, "linen", &["Tom Baker"]);
        check(&store, "tom bak", &["Tom Baker"]);
        check(&store, "zzz", &[]);
        check(&store, "", &[]);
    }

    #[test]
    fn german_and_nordic_spellings_find_each_other() {
        let store = store_with(&[
            ("Jonas", "Müller", "", ""),
            ("Lea", "Mueller", "", ""),
            ("Søren", "Kierkegaard", "", ""),
            ("Åse", "Berg", "", ""),
            ("Jürgen", "Strasse", "", ""),
        ]);
        check(&store, "Mueller", &["Jonas Müller", "Lea Mueller"]);
        check(&store, "Müller", &["Jonas Müller", "Lea Mueller"]);
        check(&store, "Muller", &["Jonas Müller", "Lea Mueller"]);
        check(&store, "Soeren", &["Søren Kierkegaard"]);
        check(&store, "Aase", &["Åse Berg"]);
        check(&store, "Juergen", &["Jürgen Strasse"]);
        check(&store, "Straße", &["Jürgen Strasse"]);
    }

    #[test]
    fn phone_numbers_match_however_they_are_written() {
        let store = store_with(&[("Élodie", "Lefèvre", "07911 123456", ""), ("Tom", "Baker", "020 7946 0000", "")]);
        for q in ["07911 123456", "+44 7911 123456", "123456", "7911", "0791", "+447911123456", "(07911) 123-456"] {
            check(&store, q, &["Élodie Lefèvre"]);
        }
        check(&store, "7946", &["Tom Baker"]);
    }

    #[test]
    fn exact_names_rank_before_prefixes_and_notes() {
        let store = store_with(&[
            ("Jonathan", "Reed", "", ""),
            ("Jo", "Reed", "", ""),
            ("Mary", "Jones", "", ""),
            ("Ben", "Ode", "", "notes=jo recommended him"),
        ]);
        check(&store, "jo", &["Jo Reed", "Jonathan Reed", "Mary Jones", "Ben Ode"]);
    }

    #[test]
    fn hostile_query_text_is_only_words() {
        let store = store_with(&[("Ann", "Quote", "", "notes=he said \"hi\" OR NOT")]);
        for q in ["\"", "ann\" OR \"", "NOT", "*", "{notes}:hi", "ann AND", "(", "^ann", "NEAR(ann quote)"] {
            search(&store, q, 10, gb()).unwrap();
        }
        check(&store, "\"hi\" OR", &["Ann Quote"]);
    }

    #[test]
    fn plans_phone_lookups_only_for_phone_like_queries() {
        let fts5: Vec<String> = plan("07911 12", gb()).lookups[..2].iter().map(Lookup::fts5).collect();
        assert_eq!(fts5, [
            "{phones} : (\"0791112\" OR \"791112\")",
            "{phones} : (\"0791112\"* OR \"791112\"*)",
        ]);
        assert_ne!(plan("jo", gb()).lookups[0].fields, [Field::Phones]);
        assert!(plan("07911 123456", gb()).whole_number, "a whole number stops at its exact match");
        assert!(!plan("07911 12", gb()).whole_number);
        assert!(plan("", gb()).lookups.is_empty());
    }
}
