//! Finding the customers who are probably one person: the evidence weighed together (the same
//! mailbox written two ways, the same phone in another form, the same handle on two platforms,
//! the same street and postcode, a nickname for the same given name, accents and transliterations,
//! first and last name swapped, a typo, the same or another town), each pair's reasons in plain
//! words and a score, pairs joined into groups, best first. Customers are compared only within
//! blocks that share a key (a canonical mailbox, a phone's last digits, a handle, an address, a
//! name's canonical form or its first letters), never every pair; a block too common to mean
//! anything (the shop's hundred Smiths sharing only a surname) is passed over.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::error::Result;
use crate::model::CustomerId;
use crate::normalize::fold;
use crate::store::{Identity, Reads};

/// A pair listed from this score up.
pub const THRESHOLD: i32 = 25;

/// A block with more customers than this says nothing about any two of them.
const MAX_BLOCK: usize = 60;

/// Customers who are probably one person.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The best pair's score (about 25 to 100 and more: how sure).
    pub score: i32,
    pub customers: Vec<Member>,
    /// Why, pair by pair, in plain words.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: CustomerId,
    pub display_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub city: String,
}

/// Given names and their short and foreign forms: each row is one name.
const NICKNAMES: &[&[&str]] = &[
    &["robert", "bob", "bobby", "rob", "robbie", "bert", "roberto", "roberta"],
    &["william", "will", "bill", "billy", "liam", "willy", "guillermo", "wilhelm"],
    &["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "elisabeth", "elisabetta", "isabel", "elsa", "lisa"],
    &["catherine", "katherine", "kathryn", "kate", "katie", "kathy", "cathy", "kat", "kitty", "caterina", "katharina", "catalina", "katrin"],
    &["margaret", "maggie", "meg", "peggy", "marge", "greta", "margarita", "margherita", "marguerite", "gretchen"],
    &["james", "jim", "jimmy", "jamie", "diego", "santiago", "giacomo", "jacques"],
    &["john", "jack", "johnny", "jon", "juan", "jean", "giovanni", "gianni", "johannes", "hans", "johann", "joao"],
    &["michael", "mike", "mick", "mikey", "michel", "miguel", "michele", "micha"],
    &["richard", "rick", "ricky", "rich", "dick", "ricardo", "riccardo"],
    &["thomas", "tom", "tommy", "tomas", "tommaso"],
    &["christopher", "chris", "kit", "christoph", "cristobal"],
    &["christine", "christina", "chris", "tina", "kristina", "cristina", "kristin"],
    &["jennifer", "jen", "jenny", "jenn"],
    &["jessica", "jess", "jessie"],
    &["alexander", "alex", "sasha", "xander", "alejandro", "alessandro", "alexandre"],
    &["alexandra", "alex", "sandra", "sasha", "lexi", "alejandra", "alessandra"],
    &["anthony", "tony", "antonio", "toni", "anton", "antoine"],
    &["daniel", "dan", "danny", "dani"],
    &["david", "dave", "davy", "davide"],
    &["edward", "ed", "eddie", "ted", "ned", "eduardo", "edoardo", "edouard"],
    &["francis", "frank", "fran", "francisco", "paco", "francesco", "franz", "francois", "franck"],
    &["frances", "fran", "francesca", "francoise", "franziska", "francisca"],
    &["joseph", "joe", "joey", "jose", "pepe", "giuseppe", "beppe", "josef"],
    &["josephine", "jo", "josie", "josefina", "giuseppina"],
    &["matthew", "matt", "matteo", "mateo", "mathieu", "matthias"],
    &["nicholas", "nick", "nicky", "nico", "nicolas", "nicola", "nikolaus", "klaus"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["patrick", "pat", "paddy", "patrice"],
    &["peter", "pete", "pierre", "pedro", "pietro", "piet"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammy"],
    &["stephen", "steven", "steve", "stephan", "stefan", "esteban", "stefano", "etienne"],
    &["susan", "sue", "susie", "suzy", "suzanne", "susanne", "susana"],
    &["victoria", "vicky", "tori", "vicki"],
    &["benjamin", "ben", "benji", "benny"],
    &["andrew", "andy", "drew", "andreas", "andre", "andres", "andrea"],
    &["anne", "ann", "anna", "annie", "nan", "ana", "anita"],
    &["deborah", "deb", "debbie", "debra"],
    &["rebecca", "becky", "becca"],
    &["abigail", "abby", "abbie"],
    &["charlotte", "charlie", "lottie", "carlota"],
    &["charles", "charlie", "chuck", "carlos", "carlo", "karl", "carl"],
    &["henry", "harry", "hank", "henri", "enrique", "enrico", "heinrich", "heinz", "quique"],
    &["dolores", "lola"],
    &["ignacio", "nacho"],
    &["manuel", "manolo", "manu"],
    &["dominic", "dom", "dominik", "domenico", "dominique"],
    &["jacob", "jake", "jakob", "giacobbe"],
    &["timothy", "tim", "timmy"],
    &["gregory", "greg"],
    &["philip", "phil", "philippe", "felipe", "filippo"],
    &["benedict", "ben", "benedikt", "benedetto"],
    &["frederick", "fred", "freddie", "friedrich", "fritz", "federico"],
    &["theodore", "theo", "ted", "teddy"],
    &["eleanor", "ellie", "nora", "elly", "leonor"],
    &["amelia", "millie", "amy"],
    &["emily", "em", "emmy", "emilia", "emilie"],
    &["olivia", "liv", "livvy"],
    &["sophia", "sophie", "sofia", "sofie"],
    &["maria", "mary", "marie", "mia", "molly", "polly", "mari"],
];

/// A name folded for comparing: no accents, case, apostrophes, hyphens or spaces; German and
/// Nordic spellings of umlauts as the letter ("Mueller" is "muller", as "Müller" folds).
fn canon(name: &str) -> String {
    let folded: String = fold(name).chars().filter(|c| c.is_alphanumeric()).collect();
    folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")
}

/// The given name's full forms: itself, and the names it is short for or a form of.
fn given_forms(first: &str) -> Vec<String> {
    let c: String = fold(first).chars().filter(|c| c.is_alphanumeric()).collect();
    let mut forms: Vec<String> = NICKNAMES.iter().filter(|row| row.contains(&c.as_str())).map(|row| row[0].to_string()).collect();
    if forms.is_empty() {
        forms.push(canon(first));
    }
    forms
}

/// The same mailbox however it is written: Gmail ignores dots and `+tags` (and googlemail.com is
/// gmail.com); other providers ignore `+tags`.
pub fn mailbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else { return email };
    let local = local.split('+').next().unwrap_or(local);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

/// A phone's last nine digits: the same number with or without its country prefix.
fn phone_tail(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].to_string()
}

/// A street with its abbreviations folded ("12 High Street" is "12 high st").
fn street_key(street: &str) -> String {
    let words: Vec<String> = fold(street)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "street" | "str" | "strasse" => "st".to_string(),
            "road" => "rd".to_string(),
            "avenue" | "av" => "ave".to_string(),
            "lane" => "ln".to_string(),
            "drive" => "dr".to_string(),
            "boulevard" => "blvd".to_string(),
            "place" => "pl".to_string(),
            "court" => "ct".to_string(),
            "square" => "sq".to_string(),
            "rue" | "r" => "rue".to_string(),
            w => w.to_string(),
        })
        .collect();
    words.join(" ")
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// One customer prepared for comparing.
struct Prepared<'a> {
    who: &'a Identity,
    mailboxes: BTreeSet<String>,
    phones: BTreeSet<String>,
    handles: Vec<(String, String)>,
    first: String,
    last: String,
    given: Vec<String>,
    city: String,
    address: Option<String>,
}

fn prepare(who: &Identity) -> Prepared<'_> {
    let (first, last) = if who.first_name.is_empty() && who.last_name.is_empty() {
        crate::normalize::split_name(&who.display_name)
    } else {
        (who.first_name.clone(), who.last_name.clone())
    };
    let address = (!who.street.trim().is_empty() && !who.postal_code.trim().is_empty())
        .then(|| format!("{}|{}", fold(&who.postal_code).replace(' ', ""), street_key(&who.street)));
    Prepared {
        who,
        mailboxes: who.emails.iter().map(|e| mailbox(e)).collect(),
        phones: who.phones.iter().map(|p| phone_tail(p)).filter(|t| t.len() >= 7).collect(),
        handles: who.handles.iter().filter_map(|h| h.split_once(':')).map(|(p, h)| (p.to_string(), h.to_lowercase())).collect(),
        given: given_forms(&first),
        first: canon(&first),
        last: canon(&last),
        city: canon(&who.city),
        address,
    }
}

/// The keys a customer is blocked under.
fn keys(p: &Prepared<'_>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(p.mailboxes.iter().map(|m| format!("e:{m}")));
    keys.extend(p.phones.iter().map(|t| format!("p:{t}")));
    keys.extend(p.handles.iter().map(|(_, h)| format!("h:{h}")));
    keys.extend(p.address.iter().map(|a| format!("a:{a}")));
    if !p.last.is_empty() {
        for g in &p.given {
            let g = canon(g);
            let (x, y) = if g <= p.last { (g.clone(), p.last.clone()) } else { (p.last.clone(), g.clone()) };
            keys.push(format!("n:{x} {y}"));
        }
        let prefix: String = p.last.chars().take(3).collect();
        keys.push(format!("q:{}:{prefix}", p.first.chars().next().unwrap_or('-')));
        keys.push(format!("r:{}:{}", p.last, p.first.chars().next().unwrap_or('-')));
    }
    keys
}

/// How sure that `a` and `b` are one person, and why.
fn compare(a: &Prepared<'_>, b: &Prepared<'_>) -> (i32, Vec<String>) {
    let mut score = 0;
    let mut why: Vec<String> = Vec::new();
    if let Some(m) = a.mailboxes.intersection(&b.mailboxes).next() {
        score += 60;
        let written = |p: &Prepared<'_>| p.who.emails.iter().find(|e| mailbox(e) == *m).cloned().unwrap_or_default();
        why.push(format!("the same mailbox written two ways ({} and {})", written(a), written(b)));
    }
    if a.phones.intersection(&b.phones).next().is_some() {
        score += 55;
        why.push("the same phone number written another way".into());
    }
    for (pa, ha) in &a.handles {
        if let Some((pb, _)) = b.handles.iter().find(|(pb, hb)| hb == ha && pb != pa) {
            score += 40;
            why.push(format!("the same handle @{ha} on {pa} and {pb}"));
            break;
        }
    }
    if a.address.is_some() && a.address == b.address {
        score += 30;
        why.push("the same street and postcode".into());
    }
    // What the keys said; the names and towns below only add to it.
    let keys_said = score;
    let names = !a.last.is_empty() && !b.last.is_empty();
    let same_last = names && a.last == b.last;
    let given_shared = a.given.iter().any(|g| b.given.contains(g));
    if names && same_last && a.first == b.first {
        let raw = |p: &Prepared<'_>| fold(&format!("{} {}", p.who.first_name, p.who.last_name));
        if raw(a) == raw(b) {
            score += 30;
            why.push("the same name".into());
        } else {
            score += 28;
            why.push(format!("{} and {} are the same name written another way", a.who.display_name, b.who.display_name));
        }
    } else if names && same_last && given_shared {
        score += 25;
        why.push(format!("{} and {} are forms of one given name", a.who.first_name, b.who.first_name));
    } else if names && a.first == b.last && a.last == b.first {
        score += 25;
        why.push("first and last name swapped".into());
    } else if names {
        let (x, y) = (format!("{} {}", a.first, a.last), format!("{} {}", b.first, b.last));
        // One slip (a letter wrong, missing, added, or two swapped): two are another name as often
        // as a typo (Robert and Roger).
        if x.len() >= 6 && distance(&x, &y) <= 1 {
            score += 15;
            why.push(format!("{} and {} are a letter apart", a.who.display_name, b.who.display_name));
        }
    }
    if !a.city.is_empty() && !b.city.is_empty() {
        if a.city == b.city {
            score += 10;
            why.push(format!("both in {}", a.who.city));
        } else if keys_said == 0 {
            score -= 20;
            why.push(format!("but one in {} and one in {}", a.who.city, b.who.city));
        }
    }
    (score, why)
}

/// Every group of customers who are probably one person, best first.
pub fn find(store: &(impl Reads + ?Sized)) -> Result<Vec<Group>> {
    let identities = store.reader().identities()?;
    let prepared: Vec<Prepared<'_>> = identities.iter().map(prepare).collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in prepared.iter().enumerate() {
        for key in keys(p) {
            blocks.entry(key).or_default().push(i);
        }
    }
    let mut pairs: HashMap<(usize, usize), (i32, Vec<String>)> = HashMap::new();
    for members in blocks.values().filter(|m| m.len() > 1 && m.len() <= MAX_BLOCK) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let key = (i.min(j), i.max(j));
                if i == j || pairs.contains_key(&key) {
                    continue;
                }
                pairs.insert(key, compare(&prepared[key.0], &prepared[key.1]));
            }
        }
    }
    Ok(group(&prepared, pairs.into_iter().filter(|(_, (s, _))| *s >= THRESHOLD).collect()))
}

/// Joins the pairs into groups (who is a duplicate of whom, however linked), best first.
fn group(prepared: &[Prepared<'_>], mut pairs: Vec<((usize, usize), (i32, Vec<String>))>) -> Vec<Group> {
    pairs.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut parent: HashMap<usize, usize> = HashMap::new();
    fn root(parent: &mut HashMap<usize, usize>, i: usize) -> usize {
        let p = *parent.get(&i).unwrap_or(&i);
        if p == i {
            return i;
        }
        let r = root(parent, p);
        parent.insert(i, r);
        r
    }
    for ((i, j), _) in &pairs {
        let (a, b) = (root(&mut parent, *i), root(&mut parent, *j));
        if a != b {
            parent.insert(a.max(b), a.min(b));
        }
    }
    let mut groups: Vec<(usize, Group)> = Vec::new();
    for ((i, j), (score, why)) in pairs {
        let r = root(&mut parent, i);
        let at = match groups.iter().position(|(g, _)| *g == r) {
            Some(at) => at,
            None => {
                groups.push((r, Group { score, customers: Vec::new(), reasons: Vec::new() }));
                groups.len() - 1
            }
        };
        let g = &mut groups[at].1;
        for k in [i, j] {
            if !g.customers.iter().any(|m| m.id == prepared[k].who.id) {
                let w = prepared[k].who;
                g.customers.push(Member { id: w.id, display_name: w.display_name.clone(), emails: w.emails.clone(), phones: w.phones.clone(), city: w.city.clone() });
            }
        }
        let (a, b) = (&prepared[i].who, &prepared[j].who);
        g.reasons.push(format!("#{} {} and #{} {}: {}", a.id, a.display_name, b.id, b.display_name, why.join("; ")));
    }
    let mut groups: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
    for g in &mut groups {
        g.customers.sort_by_key(|m| m.id);
    }
    groups.sort_by(|a, b| b.score.cmp(&a.score).then(a.customers[0].id.cmp(&b.customers[0].id)));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(id: i64, first: &str, last: &str, emails: &[&str], phones: &[&str], handles: &[&str], street: &str, postal: &str, city: &str) -> Identity {
        Identity {
            id,
            first_name: first.into(),
            last_name: last.into(),
            display_name: format!("{first} {last}"),
            emails: emails.iter().map(|s| s.to_string()).collect(),
            phones: phones.iter().map(|s| s.to_string()).collect(),
            handles: handles.iter().map(|s| s.to_string()).collect(),
            street: street.into(),
            postal_code: postal.into(),
            city: city.into(),
        }
    }

    fn score(a: Identity, b: Identity) -> (i32, Vec<String>) {
        compare(&prepare(&a), &prepare(&b))
    }

    #[test]
    fn each_kind_of_evidence_and_each_near_miss() {
        // (what, a, b, listed)
        let cases: Vec<(&str, Identity, Identity, bool)> = vec![
            ("gmail dots and +tags", who(1, "Ann", "Lee", &["ann.lee+shop@gmail.com"], &[], &[], "", "", ""), who(2, "A", "L", &["annlee@googlemail.com"], &[], &[], "", "", ""), true),
            ("a phone with and without its prefix", who(1, "Ann", "Lee", &[], &["+447911123456"], &[], "", "", ""), who(2, "Annie", "L", &[], &["+4407911123456"], &[], "", "", ""), true),
            ("one handle on two platforms", who(1, "", "", &[], &[], &["instagram:mia.styles"], "", "", ""), who(2, "Mia", "Stone", &[], &[], &["tiktok:mia.styles"], "", "", ""), true),
            ("the same street abbreviated", who(1, "Jo", "Park", &[], &[], &[], "12 High Street", "SW1A 1AA", "London"), who(2, "J", "Parker", &[], &[], &[], "12 High St", "sw1a1aa", "London"), true),
            ("Bob is Robert", who(1, "Bob", "Smith", &[], &[], &[], "", "", "Leeds"), who(2, "Robert", "Smith", &[], &[], &[], "", "", "Leeds"), true),
            ("Kate is Catherine", who(1, "Kate", "Moss", &[], &[], &[], "", "", ""), who(2, "Catherine", "Moss", &[], &[], &[], "", "", ""), true),
            ("O'Connor is OConnor", who(1, "Sean", "O'Connor", &[], &[], &[], "", "", ""), who(2, "Sean", "OConnor", &[], &[], &[], "", "", ""), true),
            ("Müller is Mueller", who(1, "Jürgen", "Müller", &[], &[], &[], "", "", ""), who(2, "Juergen", "Mueller", &[], &[], &[], "", "", ""), true),
            ("swapped names", who(1, "Chen", "Wei", &[], &[], &[], "", "", "Bristol"), who(2, "Wei", "Chen", &[], &[], &[], "", "", "Bristol"), true),
            ("a typo in the same town", who(1, "Amelia", "Hart", &[], &[], &[], "", "", "York"), who(2, "Amelia", "Hrat", &[], &[], &[], "", "", "York"), true),
            ("the same name, same town", who(1, "Tom", "Jones", &[], &[], &[], "", "", "Cardiff"), who(2, "Tom", "Jones", &[], &[], &[], "", "", "Cardiff"), true),
            ("the same common name in another town", who(1, "Tom", "Jones", &[], &[], &[], "", "", "Cardiff"), who(2, "Tom", "Jones", &[], &[], &[], "", "", "Leeds"), false),
            ("a typo alone", who(1, "Amelia", "Hart", &[], &[], &[], "", "", ""), who(2, "Amelia", "Hrat", &[], &[], &[], "", "", ""), false),
            ("other people", who(1, "Ann", "Lee", &["ann@x.example"], &[], &[], "", "", ""), who(2, "Ben", "Ode", &["ben@x.example"], &[], &[], "", "", ""), false),
            ("another given name", who(1, "Robert", "Smith", &[], &[], &[], "", "", "Leeds"), who(2, "Roger", "Smith", &[], &[], &[], "", "", "Leeds"), false),
            ("another mailbox at gmail", who(1, "", "", &["ann.lee@gmail.com"], &[], &[], "", "", ""), who(2, "", "", &["annlee2@gmail.com"], &[], &[], "", "", ""), false),
        ];
        for (what, a, b, listed) in cases {
            let (s, why) = score(a, b);
            assert_eq!(s >= THRESHOLD, listed, "{what}: {s} {why:?}");
            if listed {
                assert!(!why.is_empty(), "{what}");
            }
        }
    }

    #[test]
    fn mailboxes_are_compared_as_the_provider_reads_them() {
        assert_eq!(mailbox("Ann.Lee+shop@GoogleMail.com"), "annlee@gmail.com");
        assert_eq!(mailbox("ann+x@fastmail.example"), "ann@fastmail.example");
        assert_eq!(mailbox("ann.lee@outlook.com"), "ann.lee@outlook.com", "dots count elsewhere");
        assert_eq!(distance("hart", "hrat"), 1);
        assert_eq!(street_key("12, High Street"), street_key("12 high st"));
    }
}
