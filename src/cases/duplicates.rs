//! Finding the customers who are probably one person: the evidence weighed together (the same
//! mailbox written two ways, the same phone in another form, the same handle on two platforms,
//! the same street and postcode, a nickname for the same given name, accents and transliterations,
//! first and last name swapped, a typo, a name one of them signed messages with that is the
//! other's, the same or another town), each pair's reasons in plain words and a score, pairs
//! joined into groups, best first. Customers are compared only within blocks that share a key (a
//! canonical mailbox, a phone's last digits, a handle, an address, a name's canonical form or its
//! first letters, a signed name's), never every pair; a block too common to mean anything (the
//! shop's hundred Smiths sharing only a surname) is passed over, and a name that more than three
//! customers have weighs a pair down when nothing but names joins it.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
use crate::model::CustomerId;
use crate::normalize::fold;
use crate::store::{Identity, Reads};

/// A pair listed from this score up.
pub const THRESHOLD: i32 = 25;

/// A block with more customers than this says nothing about any two of them.
const MAX_BLOCK: usize = 60;

/// Pairs this sure join into groups (a key shared, or a name and an address)...
const STRONG: i32 = 50;

/// ...of at most this many customers.
const MAX_GROUP: usize = 8;

/// A name more customers than this share says less about any two of them ("John Smith").
const COMMON_NAME: usize = 3;

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
    crate::normalize::umlauts_as_letters(&folded)
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
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
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
    /// Each email's mailbox, in the order of `who.emails`.
    mailboxes: Vec<String>,
    phones: Vec<String>,
    /// The name as written, folded (to tell "the same name" from one spelled otherwise).
    raw_name: String,
    /// `first last`, canonical.
    full: String,
    handles: Vec<(String, String)>,
    first: String,
    last: String,
    given: Vec<String>,
    city: String,
    address: Option<String>,
    /// The names their messages were signed with: canonical first and last, the given name's forms.
    aliases: Vec<Alias>,
}

struct Alias {
    /// Its place in the customer's `wrote_as`.
    at: usize,
    first: String,
    last: String,
    given: Vec<String>,
}

impl Alias {
    fn of(at: usize, name: &str) -> Option<Alias> {
        // A first and a last name, not a number or a single word.
        if name.chars().filter(char::is_ascii_digit).count() > 3 {
            return None;
        }
        let (first, last) = crate::normalize::split_name(name);
        let alias = Alias { at, first: canon(&first), last: canon(&last), given: given_forms(&first) };
        (!alias.first.is_empty() && !alias.last.is_empty()).then_some(alias)
    }

    /// Whether this is the name of `p`: the same, a form of the same given name, or swapped.
    fn names(&self, p: &Prepared<'_>) -> bool {
        !p.last.is_empty()
            && ((self.last == p.last && (self.first == p.first || self.given.iter().any(|g| p.given.contains(g))))
                || (self.first == p.last && self.last == p.first))
    }
}

fn prepare(who: &Identity) -> Prepared<'_> {
    let (first, last) = if who.first_name.is_empty() && who.last_name.is_empty() {
        crate::normalize::split_name(&who.display_name)
    } else {
        (who.first_name.clone(), who.last_name.clone())
    };
    let address = (!who.street.trim().is_empty() && !who.postal_code.trim().is_empty())
        .then(|| format!("{}|{}", fold(&who.postal_code).replace(' ', ""), street_key(&who.street)));
    let (first_c, last_c) = (canon(&first), canon(&last));
    Prepared {
        who,
        mailboxes: who.emails.iter().map(|e| mailbox(e)).collect(),
        phones: who.phones.iter().map(|p| crate::normalize::phone_tail(p)).filter(|t| t.len() >= 7).collect(),
        handles: who.handles.iter().map(|h| h.split_once(':').map_or((String::new(), h.to_lowercase()), |(p, h)| (p.to_string(), h.to_lowercase()))).collect(),
        given: given_forms(&first),
        raw_name: fold(&format!("{} {}", who.first_name, who.last_name)),
        full: format!("{first_c} {last_c}"),
        first: first_c,
        last: last_c,
        city: canon(&who.city),
        address,
        aliases: who.wrote_as.iter().enumerate().filter_map(|(at, (name, _))| Alias::of(at, name)).collect(),
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
        name_keys(&p.given, &p.last, &mut keys);
        let prefix: String = p.last.chars().take(3).collect();
        keys.push(format!("q:{}:{prefix}", p.first.chars().next().unwrap_or('-')));
        keys.push(format!("r:{}:{}", p.last, p.first.chars().next().unwrap_or('-')));
    }
    for alias in &p.aliases {
        name_keys(&alias.given, &alias.last, &mut keys);
    }
    keys
}

/// A name's blocking keys: each form of the given name with the last name, in either order (so
/// that swapped names meet).
fn name_keys(given: &[String], last: &str, keys: &mut Vec<String>) {
    for g in given {
        let g = canon(g);
        let (x, y) = if g.as_str() <= last { (g.as_str(), last) } else { (last, g.as_str()) };
        keys.push(format!("n:{x} {y}"));
    }
}

/// One piece of evidence that two customers are one person (or, `OtherTown`, are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// The same mailbox: the index of the email in each customer's list.
    Mailbox(usize, usize),
    Phone,
    /// The same handle: the index of the handle in each customer's list.
    Handle(usize, usize),
    Address,
    SameName,
    NameSpelledOtherwise,
    GivenNameForms,
    Swapped,
    Slip,
    /// One of them signed messages with the other's name: `(the second wrote it, which name)`.
    WroteAs(bool, usize),
    /// The name they share is common: how many customers have it.
    CommonName(usize),
    SameTown,
    OtherTown,
}

impl Evidence {
    fn weight(self) -> i32 {
        match self {
            Evidence::Mailbox(..) => 60,
            Evidence::Phone => 55,
            Evidence::Handle(..) => 40,
            Evidence::Address | Evidence::SameName | Evidence::WroteAs(..) => 30,
            Evidence::NameSpelledOtherwise => 28,
            Evidence::GivenNameForms | Evidence::Swapped => 25,
            Evidence::Slip => 15,
            Evidence::SameTown => 10,
            Evidence::OtherTown | Evidence::CommonName(_) => -20,
        }
    }

    /// In the owner's words.
    fn words(self, a: &Identity, b: &Identity) -> String {
        match self {
            Evidence::Mailbox(i, j) => format!("the same mailbox written two ways ({} and {})", a.emails[i], b.emails[j]),
            Evidence::Phone => "the same phone number written another way".into(),
            Evidence::Handle(i, j) => {
                let (pa, h) = a.handles[i].split_once(':').unwrap_or(("", &a.handles[i]));
                let pb = b.handles[j].split_once(':').map_or("", |(p, _)| p);
                format!("the same handle @{h} on {pa} and {pb}")
            }
            Evidence::Address => "the same street and postcode".into(),
            Evidence::SameName => "the same name".into(),
            Evidence::NameSpelledOtherwise => format!("{} and {} are the same name written another way", a.display_name, b.display_name),
            Evidence::GivenNameForms => format!("{} and {} are forms of one given name", a.first_name, b.first_name),
            Evidence::Swapped => "first and last name swapped".into(),
            Evidence::Slip => format!("{} and {} are a letter apart", a.display_name, b.display_name),
            Evidence::WroteAs(second, i) => {
                let (writer, other) = if second { (b, a) } else { (a, b) };
                let (name, channel) = &writer.wrote_as[i];
                let channel = channel.parse::<crate::model::Channel>().map_or(channel.as_str(), |c| c.words());
                format!("{} wrote as “{name}” on {channel}, the name of {}", writer.display_name, other.display_name)
            }
            Evidence::SameTown => format!("both in {}", a.city),
            Evidence::OtherTown => format!("but one in {} and one in {}", a.city, b.city),
            Evidence::CommonName(n) => format!("but {n} customers have that name"),
        }
    }
}

/// What says that `a` and `b` are one person (or not), and how sure that makes it; `names` says
/// how many customers have each name (`Prepared::full`).
fn compare(a: &Prepared<'_>, b: &Prepared<'_>, names: &HashMap<&str, usize>) -> (i32, Vec<Evidence>) {
    let mut found: Vec<Evidence> = Vec::new();
    if let Some((i, j)) = a.mailboxes.iter().enumerate().find_map(|(i, m)| b.mailboxes.iter().position(|n| n == m).map(|j| (i, j))) {
        found.push(Evidence::Mailbox(i, j));
    }
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        found.push(Evidence::Phone);
    }
    if let Some((i, j)) = a.handles.iter().enumerate().find_map(|(i, (pa, ha))| b.handles.iter().position(|(pb, hb)| hb == ha && pb != pa).map(|j| (i, j))) {
        found.push(Evidence::Handle(i, j));
    }
    if a.address.is_some() && a.address == b.address {
        found.push(Evidence::Address);
    }
    // What the keys said; the names and towns below only add to it.
    let keys_said = !found.is_empty();
    let both_named = !a.last.is_empty() && !b.last.is_empty();
    if both_named && a.last == b.last && a.first == b.first {
        found.push(if a.raw_name == b.raw_name { Evidence::SameName } else { Evidence::NameSpelledOtherwise });
    } else if both_named && a.last == b.last && a.given.iter().any(|g| b.given.contains(g)) {
        found.push(Evidence::GivenNameForms);
    } else if both_named && a.first == b.last && a.last == b.first {
        found.push(Evidence::Swapped);
    } else if both_named && a.full.len() >= 6 && a.full.len().abs_diff(b.full.len()) <= 1 && distance(&a.full, &b.full) <= 1 {
        // One slip (a letter wrong, missing, added, or two swapped): two are another name as often
        // as a typo (Robert and Roger).
        found.push(Evidence::Slip);
    } else if let Some(n) = a.aliases.iter().find(|n| n.names(b)) {
        found.push(Evidence::WroteAs(false, n.at));
    } else if let Some(n) = b.aliases.iter().find(|n| n.names(a)) {
        found.push(Evidence::WroteAs(true, n.at));
    }
    if !keys_said && !found.is_empty() {
        // Only the names said it: the commoner of the two weighs it down (the shop's five John
        // Smiths are not one person for sharing a name).
        let shared = [&a.full, &b.full].iter().map(|n| names.get(n.as_str()).copied().unwrap_or(1)).max().unwrap_or(1);
        if shared > COMMON_NAME {
            found.push(Evidence::CommonName(shared));
        }
    }
    if !a.city.is_empty() && !b.city.is_empty() {
        if a.city == b.city {
            found.push(Evidence::SameTown);
        } else if !keys_said {
            found.push(Evidence::OtherTown);
        }
    }
    (found.iter().map(|e| e.weight()).sum(), found)
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
    let mut names: HashMap<&str, usize> = HashMap::new();
    for p in prepared.iter().filter(|p| !p.last.is_empty()) {
        *names.entry(p.full.as_str()).or_default() += 1;
    }
    let mut pairs: HashMap<(usize, usize), (i32, Vec<Evidence>)> = HashMap::new();
    for members in blocks.values().filter(|m| m.len() > 1 && m.len() <= MAX_BLOCK) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let key = (i.min(j), i.max(j));
                if i == j || pairs.contains_key(&key) {
                    continue;
                }
                pairs.insert(key, compare(&prepared[key.0], &prepared[key.1], &names));
            }
        }
    }
    Ok(group(&prepared, pairs.into_iter().filter(|(_, (s, _))| *s >= THRESHOLD).collect()))
}

/// The groups that hold customer `id`: those who are probably the same person as them.
pub fn of(store: &(impl Reads + ?Sized), id: CustomerId) -> Result<Vec<Group>> {
    Ok(find(store)?.into_iter().filter(|g| g.customers.iter().any(|m| m.id == id)).collect())
}

/// Joins the pairs into groups (who is a duplicate of whom, however linked), best first.
/// Two customers (by their place in the list), how sure, and why.
type Pair = ((usize, usize), (i32, Vec<Evidence>));

fn group(prepared: &[Prepared<'_>], mut pairs: Vec<Pair>) -> Vec<Group> {
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
    // Only sure pairs join groups, and a group stays small enough to compare side by side: a
    // weaker pair, or one that would make a crowd, is shown as a pair of its own.
    let mut size: HashMap<usize, usize> = HashMap::new();
    for ((i, j), (score, _)) in &pairs {
        let (a, b) = (root(&mut parent, *i), root(&mut parent, *j));
        let joined = size.get(&a).copied().unwrap_or(1) + size.get(&b).copied().unwrap_or(1);
        if a != b && *score >= STRONG && joined <= MAX_GROUP {
            parent.insert(a.max(b), a.min(b));
            size.insert(a.min(b), joined);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(usize, usize), usize> = HashMap::new();
    for ((i, j), (score, why)) in pairs {
        let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
        let key = if ri == rj { (ri, usize::MAX) } else { (i, j) };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group { score, customers: Vec::new(), reasons: Vec::new() });
            groups.len() - 1
        });
        let g = &mut groups[at];
        for k in [i, j] {
            if !g.customers.iter().any(|m| m.id == prepared[k].who.id) {
                let w = prepared[k].who;
                g.customers.push(Member { id: w.id, display_name: w.display_name.clone(), emails: w.emails.clone(), phones: w.phones.clone(), city: w.city.clone() });
            }
        }
        let (a, b) = (&prepared[i].who, &prepared[j].who);
        let words: Vec<String> = why.iter().map(|e| e.words(a, b)).collect();
        g.reasons.push(format!("#{} {} and #{} {}: {}", a.id, a.display_name, b.id, b.display_name, words.join("; ")));
    }
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
            wrote_as: Vec::new(),
        }
    }

    fn wrote(mut who: Identity, name: &str, channel: &str) -> Identity {
        who.wrote_as.push((name.into(), channel.into()));
        who
    }

    fn score(a: Identity, b: Identity) -> (i32, Vec<Evidence>) {
        compare(&prepare(&a), &prepare(&b), &HashMap::new())
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
            ("signed a message with the other's name", wrote(who(1, "", "", &[], &["+447911000222"], &[], "", "", ""), "Ann Lee", "whatsapp"), who(2, "Ann", "Lee", &["ann@lee.example"], &[], &[], "", "", ""), true),
            ("signed with a short form of the other's name", who(1, "Ann", "Lee", &["ann@lee.example"], &[], &[], "", "", ""), wrote(who(2, "", "", &[], &["+447911000222"], &[], "", "", ""), "Annie Lee", "facebook"), true),
            ("signed with someone else's name", wrote(who(1, "", "", &[], &["+447911000222"], &[], "", "", ""), "Tom Jones", "whatsapp"), who(2, "Ann", "Lee", &["ann@lee.example"], &[], &[], "", "", ""), false),
            ("signed with a number, not a name", wrote(who(1, "", "", &[], &["+447911000222"], &[], "", "", ""), "+44 7911 000333", "whatsapp"), who(2, "Ann", "Lee", &["ann@lee.example"], &[], &[], "", "", ""), false),
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

    #[test]
    fn a_common_name_alone_is_no_duplicate_but_a_common_name_at_one_address_is() {
        let tom = |id, street: &str| who(id, "Tom", "Jones", &[], &[], &[], street, if street.is_empty() { "" } else { "CF10 1AA" }, "Cardiff");
        let (a, b, c, d) = (tom(1, ""), tom(2, ""), tom(3, "4 Quay St"), tom(4, "4 Quay Street"));
        let four: HashMap<&str, usize> = [("tom jones", 4)].into_iter().collect();
        let two: HashMap<&str, usize> = [("tom jones", 2)].into_iter().collect();
        let (common, _) = compare(&prepare(&a), &prepare(&b), &four);
        assert!(common < THRESHOLD, "four Tom Joneses in Cardiff are not one person for sharing a name: {common}");
        let (rare, _) = compare(&prepare(&a), &prepare(&b), &two);
        assert!(rare >= THRESHOLD, "two may be: {rare}");
        let (home, why) = compare(&prepare(&c), &prepare(&d), &four);
        assert!(home >= STRONG && !why.iter().any(|e| matches!(e, Evidence::CommonName(_))), "one address: {home} {why:?}");
        assert_eq!(Evidence::CommonName(4).words(&a, &b), "but 4 customers have that name");
    }

    #[test]
    fn a_name_signed_in_a_conversation_blocks_and_explains_the_pair() {
        let mut a = wrote(who(7, "", "", &[], &["+447911000222"], &[], "", "", ""), "Annie Lee", "whatsapp");
        a.display_name = "+44 7911 000222".into();
        let b = who(9, "Ann", "Lee", &["ann@lee.example"], &[], &[], "", "", "");
        let (pa, pb) = (prepare(&a), prepare(&b));
        let (ka, kb) = (keys(&pa), keys(&pb));
        assert!(ka.iter().any(|k| kb.contains(k)), "they share a block: {ka:?} {kb:?}");
        let (_, why) = compare(&pa, &pb, &HashMap::new());
        let words: Vec<String> = why.iter().map(|e| e.words(&a, &b)).collect();
        assert_eq!(words, ["+44 7911 000222 wrote as “Annie Lee” on WhatsApp, the name of Ann Lee"]);
    }
}
