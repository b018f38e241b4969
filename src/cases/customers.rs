//! Customer profiles: checking and normalising a draft, creating, editing, trashing and restoring
//! customers, and finding one from what a person types (an id, an email, a phone, a handle or a name).
//!
//! Identity rule: an email, an E.164 phone or a platform handle belongs to at most one customer. A draft
//! that reuses one is refused with the owner's name, so two profiles of one person are never made by
//! accident (imports merge instead; see the import issue).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::{Error, FieldProblem, Result};
use crate::model::{
    Channel, ConsentChannel, ConsentEvent, ConsentStatus, Customer, CustomerDraft, CustomerId, Money, Platform,
};
use crate::model::TouchpointId;
use crate::normalize::{self, Region};
use crate::search;
use crate::store::{Owner, Presence, Reads, SearchDoc, Store, WriteDb};

/// Who is changing data, when, and with which default phone region.
#[derive(Debug, Clone)]
pub struct Change {
    pub now: DateTime<Utc>,
    /// Default region for phone numbers written without a country code.
    pub region: Region,
    /// Recorded with consent changes: "app", "cli", an import's file name.
    pub source: String,
}

impl Change {
    /// A change made now-ish by `source`, with the shop's country as the phone region.
    pub fn from_settings(store: &Store, now: DateTime<Utc>, source: &str) -> Result<Change> {
        Ok(Change { now, region: crate::settings::region(store)?, source: source.to_string() })
    }
}

/// Everything the profile page shows about one customer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    pub customer: Customer,
    /// The customer's phones written for people, in the same order.
    pub phones_display: Vec<String>,
    pub consent_history: Vec<ConsentEvent>,
}

pub fn profile(store: &Store, id: CustomerId) -> Result<Profile> {
    let customer = get(store, id)?;
    let phones_display = customer.phones.iter().map(|p| normalize::phone_display(p)).collect();
    Ok(Profile { customer, phones_display, consent_history: store.db().consent_history(id)? })
}

/// The longest notes a customer may have, in characters.
pub const MAX_NOTES_CHARS: usize = 20_000;

/// A draft's emails, phones and handles, normalised; each that is not one is a problem.
type Contacts = (Vec<String>, Vec<String>, std::collections::BTreeMap<Platform, String>);

fn contacts(draft: &CustomerDraft, region: Region, problems: &mut Vec<FieldProblem>) -> Contacts {
    let mut emails: Vec<String> = Vec::new();
    for raw in draft.emails.iter().filter(|e| !e.trim().is_empty()) {
        match normalize::email(raw) {
            Ok(e) if !emails.contains(&e) => emails.push(e),
            Ok(_) => {}
            Err(m) => problems.push(FieldProblem::new("emails", m)),
        }
    }
    let mut phones: Vec<String> = Vec::new();
    for raw in draft.phones.iter().filter(|p| !p.trim().is_empty()) {
        match normalize::phone(raw, region) {
            Ok(p) if !phones.contains(&p) => phones.push(p),
            Ok(_) => {}
            Err(m) => problems.push(FieldProblem::new("phones", m)),
        }
    }
    let mut handles = std::collections::BTreeMap::new();
    for (platform, raw) in draft.handles.iter().filter(|(_, h)| !h.trim().is_empty()) {
        match platform.parse::<Platform>() {
            Ok(p) => match normalize::handle(p, raw) {
                Ok(h) => {
                    handles.insert(p, h);
                }
                Err(m) => problems.push(FieldProblem::new("handles", m)),
            },
            Err(m) => problems.push(FieldProblem::new("handles", m)),
        }
    }
    (emails, phones, handles)
}

/// Every field has a sane length: a pasted book is a mistake, not a name.
fn check_lengths(customer: &Customer, draft: &CustomerDraft, problems: &mut Vec<FieldProblem>) {
    let limits: [(&str, &str, usize); 10] = [
        ("first_name", &customer.first_name, 200),
        ("last_name", &customer.last_name, 200),
        ("display_name", &customer.display_name, 200),
        ("company", &customer.company, 200),
        ("address.street", &draft.address.street, 500),
        ("address.city", &draft.address.city, 200),
        ("address.region", &draft.address.region, 200),
        ("address.postal_code", &draft.address.postal_code, 40),
        ("address.country", &draft.address.country, 100),
        ("notes", &draft.notes, MAX_NOTES_CHARS),
    ];
    for (field, value, max) in limits {
        if value.trim().chars().count() > max {
            problems.push(FieldProblem::new(field, format!("this is longer than {max} characters")));
        }
    }
    let (tags, custom) = (&customer.tags, &customer.custom);
    if let Some(tag) = tags.iter().find(|t| t.chars().count() > 100) {
        problems.push(FieldProblem::new("tags", format!("the tag “{tag}” is longer than 100 characters")));
    }
    if tags.len() > 200 {
        problems.push(FieldProblem::new("tags", format!("{} tags is too many; a customer has at most 200", tags.len())));
    }
    if let Some((key, _)) = custom.iter().find(|(k, v)| k.chars().count() > 200 || v.chars().count() > 5_000) {
        problems.push(FieldProblem::new("custom", format!("the detail “{key}” is too long (200 characters for its name, 5,000 for its value)")));
    }
    if custom.len() > 500 {
        problems.push(FieldProblem::new("custom", format!("{} details is too many; a customer has at most 500", custom.len())));
    }
}

/// Checks and normalises a draft into a customer (id 0, times set to `now`), or lists every problem.
// One piece: the draft's fields checked in turn into one customer; the checks that stand alone are `contacts` and `check_lengths`.
pub fn validate(draft: &CustomerDraft, region: Region, now: DateTime<Utc>) -> Result<Customer, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let text = |s: &str| s.trim().to_string();
    let (emails, phones, handles) = contacts(draft, region, &mut problems);
    let mut date = |field: &str, raw: &str| {
        if raw.trim().is_empty() {
            return None;
        }
        match normalize::iso_date(raw) {
            Ok(d) if d > now.date_naive() => {
                problems.push(FieldProblem::new(field, format!("{d} is in the future")));
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(FieldProblem::new(field, m));
                None
            }
        }
    };
    let birthday = date("birthday", &draft.birthday);
    let customer_since = date("customer_since", &draft.customer_since);
    let last_visit = date("last_visit", &draft.last_visit);
    let preferred_channel = if draft.preferred_channel.trim().is_empty() {
        None
    } else {
        match draft.preferred_channel.parse::<Channel>() {
            Ok(c) => Some(c),
            Err(m) => {
                problems.push(FieldProblem::new("preferred_channel", m));
                None
            }
        }
    };
    let mut tags: Vec<String> = Vec::new();
    for tag in draft.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag) || normalize::fold(t) == normalize::fold(tag)) {
            tags.push(tag.to_string());
        }
    }
    let mut custom = std::collections::BTreeMap::new();
    for (key, value) in &draft.custom {
        let key = key.trim();
        if key.is_empty() {
            problems.push(FieldProblem::new("custom", "a custom field needs a name"));
        } else if !value.trim().is_empty() {
            custom.insert(key.to_string(), value.trim().to_string());
        }
    }

    let first_name = text(&draft.first_name);
    let last_name = text(&draft.last_name);
    let company = text(&draft.company);
    let display_name = display_name(&text(&draft.display_name), &first_name, &last_name, &company, &emails, &phones, &handles);
    let Some(display_name) = display_name else {
        if problems.is_empty() {
            problems.push(FieldProblem::new("first_name", "a customer needs at least a name, an email, a phone or a handle"));
        }
        return Err(problems);
    };
    let customer = Customer {
        id: 0,
        first_name,
        last_name,
        display_name,
        emails,
        phones,
        handles,
        address: crate::model::Address {
            street: text(&draft.address.street),
            city: text(&draft.address.city),
            region: text(&draft.address.region),
            postal_code: text(&draft.address.postal_code),
            country: text(&draft.address.country),
        },
        company,
        birthday,
        customer_since,
        tags,
        notes: draft.notes.trim().to_string(),
        consent: draft.consent,
        preferred_channel,
        custom,
        lifetime_spend: draft.lifetime_spend,
        orders_count: draft.orders_count,
        last_visit,
        first_purchase_at: None,
        last_purchase_at: None,
        created_at: now,
        updated_at: now,
    };
    check_lengths(&customer, draft, &mut problems);
    if problems.is_empty() { Ok(customer) } else { Err(problems) }
}

/// The name a customer is shown by: the one given, else their name, company, first email, first
/// phone or first handle. `None` when there is nothing to show.
pub fn display_name(
    given: &str,
    first: &str,
    last: &str,
    company: &str,
    emails: &[String],
    phones: &[String],
    handles: &std::collections::BTreeMap<Platform, String>,
) -> Option<String> {
    let full_name = [first, last].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(" ");
    [given.to_string(), full_name, company.to_string()]
        .into_iter()
        .chain(emails.first().cloned())
        .chain(phones.first().map(|p| normalize::phone_display(p)))
        .chain(handles.iter().next().map(|(_, h)| format!("@{h}")))
        .find(|s| !s.is_empty())
}

/// `other`'s emails, phones and tags added to `c`'s, none twice (a tag is the same whatever its case
/// and accents): what an import's row and a merge both add.
pub(crate) fn join_keys(c: &mut Customer, other: &Customer) {
    for e in &other.emails {
        if !c.emails.contains(e) {
            c.emails.push(e.clone());
        }
    }
    for p in &other.phones {
        if !c.phones.contains(p) {
            c.phones.push(p.clone());
        }
    }
    for tag in &other.tags {
        if !c.tags.iter().any(|t| normalize::fold(t) == normalize::fold(tag)) {
            c.tags.push(tag.clone());
        }
    }
}

/// What an import's row adds to a customer who is already known: new emails, phones, handles and
/// tags are added; blanks are filled; nothing is overwritten with a blank. A value that differs is
/// kept as it was, except that consent withdrawn ("no") wins, and totals keep the larger figure.
/// Returns the merged customer and sentences about what was kept and why.
pub fn merge(existing: &Customer, incoming: &Customer) -> (Customer, Vec<String>) {
    let mut m = existing.clone();
    let mut notes = Vec::new();
    let had_name = !m.first_name.is_empty() || !m.last_name.is_empty();
    let fill = |slot: &mut String, value: &str| {
        if slot.trim().is_empty() && !value.trim().is_empty() {
            *slot = value.to_string();
        }
    };
    fill(&mut m.first_name, &incoming.first_name);
    fill(&mut m.last_name, &incoming.last_name);
    fill(&mut m.company, &incoming.company);
    fill(&mut m.address.street, &incoming.address.street);
    fill(&mut m.address.city, &incoming.address.city);
    fill(&mut m.address.region, &incoming.address.region);
    fill(&mut m.address.postal_code, &incoming.address.postal_code);
    fill(&mut m.address.country, &incoming.address.country);
    join_keys(&mut m, incoming);
    for (platform, handle) in &incoming.handles {
        match m.handles.get(platform) {
            None => {
                m.handles.insert(*platform, handle.clone());
            }
            Some(h) if h != handle => notes.push(format!(
                "{} already has the {platform} handle @{h}; @{handle} was not added",
                existing.display_name
            )),
            Some(_) => {}
        }
    }
    let new_note = incoming.notes.trim();
    if !new_note.is_empty() && !m.notes.contains(new_note) {
        m.notes = if m.notes.trim().is_empty() { new_note.to_string() } else { format!("{}\n{new_note}", m.notes) };
    }
    m.birthday = m.birthday.or(incoming.birthday);
    m.customer_since = match (m.customer_since, incoming.customer_since) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    m.last_visit = m.last_visit.max(incoming.last_visit);
    m.lifetime_spend = m.lifetime_spend.max(incoming.lifetime_spend);
    m.orders_count = m.orders_count.max(incoming.orders_count);
    m.preferred_channel = m.preferred_channel.or(incoming.preferred_channel);
    for &channel in ConsentChannel::ALL {
        use crate::model::ConsentStatus::{No, Unknown, Yes};
        match (m.consent.get(channel), incoming.consent.get(channel)) {
            (_, Unknown) => {}
            (Unknown, answer) | (Yes, answer @ No) => m.consent.set(channel, answer),
            (No, Yes) => notes.push(format!(
                "{} said no to {channel} marketing; the file's “yes” was not applied (change it on their profile if they agreed again)",
                existing.display_name
            )),
            _ => {}
        }
    }
    for (key, value) in &incoming.custom {
        m.custom.entry(key.clone()).or_insert_with(|| value.clone());
    }
    // A customer known only by an email or phone takes the name the file gives them.
    if !had_name && (!m.first_name.is_empty() || !m.last_name.is_empty()) {
        if let Some(name) = display_name("", &m.first_name, &m.last_name, &m.company, &[], &[], &Default::default()) {
            m.display_name = name;
        }
    }
    (m, notes)
}

/// Whether two versions of a customer hold the same data (times aside).
pub fn same_data(a: &Customer, b: &Customer) -> bool {
    Customer { updated_at: a.updated_at, created_at: a.created_at, id: a.id, ..b.clone() } == *a
}

/// What an edit takes away from a customer: emails, phones (as people write them), tags, and the
/// handles of these platforms.
#[derive(Debug, Clone, Default)]
pub struct Removals {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub platforms: Vec<String>,
}

/// Takes `removals` out of a draft of `customer`; each that the customer does not have is a problem
/// naming it (field `remove_email`, `remove_phone`, `remove_tag` or `remove_handle`).
pub fn remove_from(draft: &mut CustomerDraft, customer: &Customer, removals: &Removals, region: Region) -> Result<()> {
    let name = &customer.display_name;
    let mut problems = Vec::new();
    for raw in &removals.emails {
        match normalize::email(raw) {
            Ok(email) if draft.emails.contains(&email) => draft.emails.retain(|e| *e != email),
            Ok(email) => problems.push(FieldProblem::new("remove_email", format!("{name} has no email {email}"))),
            Err(m) => problems.push(FieldProblem::new("remove_email", m)),
        }
    }
    for raw in &removals.phones {
        match normalize::phone(raw, region) {
            Ok(phone) if draft.phones.contains(&phone) => draft.phones.retain(|p| *p != phone),
            Ok(phone) => problems.push(FieldProblem::new("remove_phone", format!("{name} has no phone {}", normalize::phone_display(&phone)))),
            Err(m) => problems.push(FieldProblem::new("remove_phone", m)),
        }
    }
    for tag in &removals.tags {
        let before = draft.tags.len();
        draft.tags.retain(|t| !t.eq_ignore_ascii_case(tag.trim()));
        if draft.tags.len() == before {
            problems.push(FieldProblem::new("remove_tag", format!("{name} has no tag “{}”", tag.trim())));
        }
    }
    for platform in &removals.platforms {
        match platform.parse::<Platform>() {
            Ok(p) if draft.handles.remove(p.as_str()).is_some() => {}
            Ok(p) => problems.push(FieldProblem::new("remove_handle", format!("{name} has no {p} handle"))),
            Err(m) => problems.push(FieldProblem::new("remove_handle", m)),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::invalid(problems)) }
}

/// Creates a customer from a draft.
pub fn create(store: &mut Store, draft: &CustomerDraft, change: &Change) -> Result<Customer> {
    store.write(|w| create_in(w, draft, change))
}

/// Creates a customer from a draft, inside the caller's transaction.
pub fn create_in(w: &WriteDb<'_>, draft: &CustomerDraft, change: &Change) -> Result<Customer> {
    let mut customer = validate(draft, change.region, change.now).map_err(Error::invalid)?;
    customer.id = insert(w, &customer, change)?;
    w.link_touchpoints()?;
    Ok(customer)
}

/// Creates many customers in one transaction: all of them, or (on the first problem, which names
/// the draft's position) none.
pub fn create_many(store: &mut Store, drafts: &[CustomerDraft], change: &Change) -> Result<Vec<CustomerId>> {
    store.write(|w| {
        drafts
            .iter()
            .enumerate()
            .map(|(i, draft)| {
                let at = |e: Error| Error::invalid(e.field_problems().iter()
                    .map(|p| FieldProblem::new(&p.field, format!("customer {}: {}", i + 1, p.message))).collect());
                let customer = validate(draft, change.region, change.now).map_err(|ps| at(Error::invalid(ps)))?;
                insert(w, &customer, change).map_err(|e| if matches!(e.kind, crate::ErrorKind::Invalid(_)) { at(e) } else { e })
            })
            .collect::<Result<Vec<_>>>()
            .and_then(|ids| w.link_touchpoints().map(|_| ids))
    })
}

fn insert(w: &WriteDb<'_>, customer: &Customer, change: &Change) -> Result<CustomerId> {
    check_identity(w, customer, None)?;
    insert_checked(w, customer, &index_keys(customer), change)
}

/// What a customer is sorted and found by: their folded name and search words. Pure, so an
/// import computes it on its reading thread.
pub fn index_keys(customer: &Customer) -> (String, crate::store::SearchDoc) {
    (normalize::fold(&customer.display_name), search::document(customer))
}

/// Inserts a customer whose emails, phones and handles are known to be free (an import checked
/// them in bulk), with their consent record and search words (`index`, from `index_keys`).
pub(crate) fn insert_checked(
    w: &WriteDb<'_>,
    customer: &Customer,
    index: &(String, crate::store::SearchDoc),
    change: &Change,
) -> Result<CustomerId> {
    let id = w.insert_customer(customer, &index.0)?;
    record_consent(w, id, &crate::model::Consent::default(), customer, change)?;
    w.insert_search_doc(id, &index.1)?;
    Ok(id)
}

/// Inserts new customers whose emails, phones and handles are known to be free, each with the id
/// reserved for it (`WriteDb::reserve_customer_ids`), their consent records and search words:
/// `insert_checked` for a whole batch, a statement a table on a server.
pub(crate) fn insert_reserved(w: &WriteDb<'_>, news: &[crate::store::NewCustomer<'_>], change: &Change) -> Result<()> {
    w.insert_new_customers(news)?;
    let unknown = crate::model::Consent::default();
    let events: Vec<(CustomerId, ConsentEvent)> =
        news.iter().flat_map(|n| consent_changes(&unknown, n.customer, change).map(|e| (n.customer.id, e))).collect();
    w.append_consents(&events)
}

/// Stores a new version of a customer whose identity was checked (an import's merge, an undo):
/// their row and consent changes against `before`. The caller renews their search words with
/// `reindex` (an import does it once at its end: every search-index delete flushes FTS5's pending
/// inserts, so one per merged row would cost a millisecond each).
pub(crate) fn replace_checked(w: &WriteDb<'_>, before: &Customer, after: &Customer, change: &Change) -> Result<()> {
    w.update_customer(after, &normalize::fold(&after.display_name))?;
    record_consent(w, after.id, &before.consent, after, change)
}

/// The setting that says the search words were made by an older Regulars (see migration 0007).
pub const SEARCH_WORDS_STALE: &str = "search_words_stale";

/// Makes every customer's search words again when an upgrade asked for it (once, at the first
/// open after it). Returns whether it did.
pub fn refresh_search_words(store: &mut Store) -> Result<bool> {
    if store.db().setting(SEARCH_WORDS_STALE)?.is_none() {
        return Ok(false);
    }
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = store.db().ids_after(after, 5_000)?;
        let Some(last) = page.last().cloned() else { break };
        ids.extend(page.into_iter().map(|(_, id)| id));
        after = Some(last);
    }
    store.announce("making the search words again", |store| {
        store.bulk(|store| store.write(|w| w.with_search_merging_deferred(|| {
            w.clear_search_docs()?;
            reindex(w, &ids)?;
            w.remove_setting(SEARCH_WORDS_STALE)
        })))
    })?;
    store.settle_search_words()?;
    Ok(true)
}

/// Renews the search words of these customers (those in the trash get none): all deletes first,
/// then all inserts, in the order of their numbers (FTS5 writes what it holds as a segment of its
/// own whenever a number comes lower than the one before, and refuses past 2,000 segments).
pub(crate) fn reindex(w: &WriteDb<'_>, ids: &[CustomerId]) -> Result<()> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    w.remove_search_docs(&ids)?;
    for chunk in ids.chunks(500) {
        let live = w.live_among(chunk)?;
        let docs: Vec<(CustomerId, SearchDoc)> = w.customers(&live)?.iter().map(|c| (c.id, search::document(c))).collect();
        w.insert_search_docs(&docs)?;
    }
    Ok(())
}

/// Replaces a live customer's profile with a draft; consent changes are added to the record.
pub fn update(store: &mut Store, id: CustomerId, draft: &CustomerDraft, change: &Change) -> Result<Customer> {
    let mut customer = validate(draft, change.region, change.now).map_err(Error::invalid)?;
    store.write(|w| {
        let before = get(w, id)?;
        update_in(w, id, &before, &mut customer, change)
    })
}

/// Replaces customer `id` (now `before`) with `customer`, inside the caller's transaction.
fn update_in(w: &WriteDb<'_>, id: CustomerId, before: &Customer, customer: &mut Customer, change: &Change) -> Result<Customer> {
    customer.id = id;
    customer.created_at = before.created_at;
    check_identity(w, customer, Some(id))?;
    w.update_customer(customer, &normalize::fold(&customer.display_name))?;
    record_consent(w, id, &before.consent, customer, change)?;
    w.set_search_doc(id, &search::document(customer))?;
    w.link_touchpoints()?;
    Ok(customer.clone())
}

/// Which side a field both people changed keeps, when saving an edit that someone else's save
/// overtook (`save_edit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Mine,
    Theirs,
}

/// Saves an edit of customer `id` made from the version `opened` (what the form showed). When
/// nobody saved them since, it is `update`. When someone did (on another computer, or in another
/// window), nothing of theirs is lost: each field this edit left as it was takes their value, each
/// field only this edit changed keeps this edit's, and a field both changed differently keeps the
/// side `keep` names for it (by the form's field name: `first_name`, `emails`, `city`,
/// `consent_email`, …). A clash `keep` does not settle refuses the save with every clashing
/// field and what it was changed to (`ErrorKind::ChangedMeanwhile`), and nothing is stored.
pub fn save_edit(
    store: &mut Store,
    id: CustomerId,
    draft: &CustomerDraft,
    opened: &Customer,
    keep: &BTreeMap<String, Keep>,
    change: &Change,
) -> Result<Customer> {
    let mut mine = validate(draft, change.region, change.now).map_err(Error::invalid)?;
    let saved = store.write(|w| {
        // Compared field by field, not by the time saved: two saves in the same second are seen.
        let theirs = get(w, id)?;
        let clashes = fold_in_theirs(opened, &theirs, &mut mine, keep);
        if !clashes.is_empty() {
            let who = &theirs.display_name;
            return Err(Error::changed_meanwhile(
                format!("{who} was changed elsewhere while you were editing; their other changes are kept. Choose, for each field marked, whether to keep yours or theirs."),
                clashes,
            ));
        }
        update_in(w, id, &theirs, &mut mine, change)
    })?;
    Ok(saved)
}

/// Someone else's save (`theirs`) since `opened`, folded into `mine`: each field `mine` left as
/// it was takes their value; a field both changed differently keeps the side `keep` names, else
/// it is a clash, returned with what they made it.
fn fold_in_theirs(opened: &Customer, theirs: &Customer, mine: &mut Customer, keep: &BTreeMap<String, Keep>) -> Vec<FieldProblem> {
    let mut clashes = Vec::new();
    macro_rules! field {
        ($name:literal, $($f:ident).+, $show:expr) => {
            if theirs.$($f).+ != opened.$($f).+ {
                if mine.$($f).+ == opened.$($f).+ {
                    mine.$($f).+ = theirs.$($f).+.clone();
                } else if mine.$($f).+ != theirs.$($f).+ {
                    match keep.get($name) {
                        Some(Keep::Mine) => {}
                        Some(Keep::Theirs) => mine.$($f).+ = theirs.$($f).+.clone(),
                        None => {
                            let shown: String = $show(&theirs.$($f).+);
                            let shown = if shown.is_empty() { "nothing".to_string() } else { format!("“{shown}”") };
                            clashes.push(FieldProblem::new($name, format!("Changed elsewhere meanwhile, to {shown}.")));
                        }
                    }
                }
            }
        };
    }
    let text = |s: &String| s.clone();
    let list = |v: &Vec<String>| v.join(", ");
    let date = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    field!("first_name", first_name, text);
    field!("last_name", last_name, text);
    field!("display_name", display_name, text);
    field!("company", company, text);
    field!("birthday", birthday, date);
    field!("customer_since", customer_since, date);
    field!("emails", emails, list);
    field!("phones", phones, list);
    field!("preferred_channel", preferred_channel, |c: &Option<Channel>| c.map(|c| c.as_str().to_string()).unwrap_or_default());
    field!("handles", handles, |h: &BTreeMap<Platform, String>| h.iter().map(|(p, h)| format!("{} {h}", p.as_str())).collect::<Vec<_>>().join(", "));
    field!("street", address.street, text);
    field!("city", address.city, text);
    field!("region", address.region, text);
    field!("postal_code", address.postal_code, text);
    field!("country", address.country, text);
    field!("consent_email", consent.email, |s: &ConsentStatus| s.as_str().to_string());
    field!("consent_sms", consent.sms, |s: &ConsentStatus| s.as_str().to_string());
    field!("tags", tags, list);
    field!("notes", notes, text);
    field!("custom", custom, |m: &BTreeMap<String, String>| m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "));
    field!("lifetime_spend", lifetime_spend, |m: &Option<Money>| m.map(|m| m.to_string()).unwrap_or_default());
    field!("orders_count", orders_count, |n: &Option<u32>| n.map(|n| n.to_string()).unwrap_or_default());
    field!("last_visit", last_visit, date);
    clashes
}

fn record_consent(w: &WriteDb<'_>, id: CustomerId, before: &crate::model::Consent, after: &Customer, change: &Change) -> Result<()> {
    for event in consent_changes(before, after, change) {
        w.append_consent(id, &event)?;
    }
    Ok(())
}

/// The consent events that take a customer's record from `before` to `after`'s consent.
fn consent_changes<'a>(before: &'a crate::model::Consent, after: &'a Customer, change: &'a Change) -> impl Iterator<Item = ConsentEvent> + 'a {
    ConsentChannel::ALL.iter().filter_map(move |&channel| {
        let status = after.consent.get(channel);
        (status != before.get(channel)).then(|| ConsentEvent { channel, status, at: change.now, source: change.source.clone() })
    })
}

fn check_identity(w: &WriteDb<'_>, c: &Customer, this: Option<CustomerId>) -> Result<()> {
    let mut problems = Vec::new();
    let mut check = |field: &str, what: String, owner: Option<Owner>| {
        if let Some(owner) = owner.filter(|o| Some(o.id) != this) {
            let whose = if owner.deleted {
                format!("{} (#{}, in the trash: restore them instead)", owner.display_name, owner.id)
            } else {
                format!("{} (#{})", owner.display_name, owner.id)
            };
            problems.push(FieldProblem::new(field, format!("{what} already belongs to {whose}")));
        }
    };
    for email in &c.emails {
        check("emails", email.clone(), w.owner_of_email(email)?);
    }
    for phone in &c.phones {
        check("phones", normalize::phone_display(phone), w.owner_of_phone(phone)?);
    }
    for (&platform, handle) in &c.handles {
        check("handles", format!("{platform} @{handle}"), w.owner_of_handle(platform, handle)?);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems))
    }
}

/// A live customer.
pub fn get(store: &(impl Reads + ?Sized), id: CustomerId) -> Result<Customer> {
    match store.reader().presence(id)? {
        Presence::Live => store.reader().customer(id)?.ok_or_else(|| no_customer(id)),
        Presence::Deleted => Err(Error::not_found(format!("customer #{id} is in the trash; restore them to see them"))),
        Presence::Missing => Err(no_customer(id)),
    }
}

fn no_customer(id: CustomerId) -> Error {
    Error::not_found(format!("there is no customer #{id}"))
}

/// Moves a customer to the trash; `restore` brings them back with everything they had.
pub fn delete(store: &mut Store, id: CustomerId, now: DateTime<Utc>) -> Result<Customer> {
    let customer = get(store, id)?;
    store.write(|w| {
        w.set_deleted(id, Some(now))?;
        w.remove_search_doc(id)
    })?;
    Ok(customer)
}

pub fn restore(store: &mut Store, id: CustomerId) -> Result<Customer> {
    if let Some(keep) = store.db().merged_into(id)? {
        let merges = store.db().merges_of(keep)?;
        return Err(Error::conflict(format!(
            "customer #{id} was merged into #{keep}; take the merge back instead{}",
            merges.first().map(|m| format!(" (regulars customers unmerge {m})")).unwrap_or_default()
        )));
    }
    match store.db().presence(id)? {
        Presence::Deleted => {}
        Presence::Live => return Err(Error::conflict(format!("customer #{id} is not in the trash"))),
        Presence::Missing => return Err(no_customer(id)),
    }
    let customer = store.db().customer(id)?.ok_or_else(|| no_customer(id))?;
    store.write(|w| {
        w.set_deleted(id, None)?;
        w.set_search_doc(id, &search::document(&customer))?;
        w.link_touchpoints().map(|_| ())
    })?;
    Ok(customer)
}

/// Finds the one live customer a person means: `12` or `#12`, an email, a phone number, `@handle` or
/// `platform:handle`, a profile URL, or an exact display name.
pub fn resolve(store: &(impl Reads + ?Sized), reference: &str, region: Region) -> Result<CustomerId> {
    let r = reference.trim();
    let db = store.reader();
    let live = |owner: Option<Owner>| owner.filter(|o| !o.deleted).map(|o| o.id);
    if let Ok(id) = r.trim_start_matches('#').parse::<CustomerId>() {
        if r.len() < 7 || r.starts_with('#') {
            get(store, id)?;
            return Ok(id);
        }
    }
    if r.contains('@') && !r.starts_with('@') {
        if let Ok(email) = normalize::email(r) {
            return live(db.owner_of_email(&email)?).ok_or_else(|| Error::not_found(format!("no customer has the email {email}")));
        }
    }
    if let Ok(phone) = normalize::phone(r, region) {
        if let Some(id) = live(db.owner_of_phone(&phone)?) {
            return Ok(id);
        }
    }
    let named_platform = r.split_once(':').and_then(|(p, h)| Some((p.parse::<Platform>().ok()?, h)));
    let handle_ref = match (normalize::platform_of_url(r), named_platform) {
        (Some(p), _) => Some((vec![p], r)),
        (None, Some((p, h))) => Some((vec![p], h)),
        (None, None) if r.starts_with('@') => Some((Platform::ALL.to_vec(), r)),
        (None, None) => None,
    };
    if let Some((platforms, raw)) = handle_ref {
        let mut found = Vec::new();
        for p in platforms {
            if let Ok(h) = normalize::handle(p, raw) {
                found.extend(live(db.owner_of_handle(p, &h)?));
            }
        }
        found.dedup();
        return match found.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::not_found(format!("no customer has the handle {r}"))),
            _ => Err(Error::conflict(format!("several customers have the handle {r}; say which platform, e.g. instagram:{}", r.trim_start_matches('@')))),
        };
    }
    match db.ids_named(r)?.as_slice() {
        [id] => Ok(*id),
        [] => match search::search(store, r, 2, region)?.as_slice() {
            [only] => Ok(only.id),
            [] => Err(Error::not_found(format!("no customer matches “{r}”"))),
            _ => Err(Error::conflict(format!("several customers match “{r}”; use their number (see `regulars customers search`)"))),
        },
        ids => {
            let list: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
            Err(Error::conflict(format!("several customers are called “{r}” ({}); use the number", list.join(", "))))
        }
    }
}

/// What an erasure did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Erased {
    pub id: CustomerId,
    pub display_name: String,
    /// Backups made before the erasure: they still hold the customer's details.
    pub older_backups: Vec<crate::backup::Backup>,
    /// Touchpoints never linked to them but logged under one of their emails, phones, handles or
    /// their name: erased with them.
    pub unlinked_touchpoints: usize,
    /// Import reports that quoted them (a problem with their row, a sample value): scrubbed.
    pub import_reports_scrubbed: usize,
    /// The old copy of their details still in the database's log, because another program was
    /// reading the database: it goes at the next chance (any open of the database), on its own.
    pub purge_pending: bool,
    /// On a shared shop's server: what Regulars cannot reach and the owner should know of (the
    /// server's own backups).
    pub beyond_reach: Option<String>,
}

/// What erasing a customer will remove, and what it will not but the owner should look at.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ErasePlan {
    pub id: CustomerId,
    pub display_name: String,
    pub touchpoints: usize,
    pub purchases: usize,
    pub consent_records: usize,
    /// Unlinked touchpoints logged under their email, phone, handle or name: erased too.
    pub unlinked_touchpoints: Vec<TouchpointId>,
    /// Other unlinked touchpoints whose text mentions their name, email, phone or handle: not
    /// erased, listed for the owner to check.
    pub mentions: Vec<Mention>,
}

/// A touchpoint that mentions someone: its id, its author, an excerpt of its text.
pub type Mention = (TouchpointId, String, String);

/// What identifies a person in text: lower-case words and, for phones, their digits; and their
/// full names folded, as unlinked touchpoints keep an author's name.
struct Traces {
    words: Vec<String>,
    digits: Vec<String>,
    names: Vec<String>,
}

impl Traces {
    fn of(c: &Customer) -> Traces {
        let mut words: Vec<String> = c.emails.clone();
        words.extend(c.handles.values().filter(|h| h.len() >= 3).map(|h| h.to_lowercase()));
        let full_names = [c.display_name.trim().to_string(), format!("{} {}", c.first_name.trim(), c.last_name.trim()).trim().to_string()];
        for name in full_names.iter().map(|n| n.to_lowercase()) {
            if name.contains(' ') && name.len() >= 5 && !words.contains(&name) {
                words.push(name);
            }
        }
        let names = full_names.iter().map(|n| normalize::fold(n)).filter(|n| n.contains(' ')).collect();
        // Longer values of theirs are theirs too wherever they appear (a report's sample of a column).
        for value in [&c.notes, &c.address.street] {
            let value = value.trim().to_lowercase();
            if value.chars().count() >= 8 && !words.contains(&value) {
                words.push(value);
            }
        }
        // A phone appears as "+44 7911 123456", "07911 123456" or "7911123456": its last nine digits.
        let digits = c.phones.iter().map(|p| normalize::phone_tail(p)).filter(|d| d.len() >= 7).collect();
        Traces { words, digits, names }
    }

    fn found_in(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        if self.words.iter().any(|w| lower.contains(w.as_str())) {
            return true;
        }
        if self.digits.is_empty() {
            return false;
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        self.digits.iter().any(|d| digits.contains(d.as_str()))
    }

    /// A stored import report with every problem about their `row` (or that names them) dropped,
    /// and every other value that names them blanked; `None` when nothing in it is about them.
    fn scrub(&self, report: &str, row: Option<u64>) -> Option<String> {
        let mut value: serde_json::Value = serde_json::from_str(report).ok()?;
        let mut changed = false;
        if let (Some(row), Some(problems)) = (row, value.get_mut("problems").and_then(|p| p.as_array_mut())) {
            let before = problems.len();
            problems.retain(|p| p.get("row").and_then(|r| r.as_u64()) != Some(row));
            changed = problems.len() != before;
        }
        // The first values of each column may be theirs: an import that brought them in keeps
        // its mapping, without the samples.
        if row.is_some() {
            if let Some(columns) = value.pointer_mut("/layout/columns").and_then(|c| c.as_array_mut()) {
                for column in columns {
                    if let Some(samples) = column.get_mut("samples").and_then(|s| s.as_array_mut()) {
                        changed |= !samples.is_empty();
                        samples.clear();
                    }
                }
            }
        }
        changed |= self.scrub_value(&mut value);
        changed.then(|| value.to_string())
    }

    fn scrub_value(&self, value: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::String(s) if self.found_in(s) => {
                *s = "(erased)".into();
                true
            }
            Value::Array(items) => {
                let before = items.len();
                // A problem about their row goes whole; counts elsewhere stay as they were.
                items.retain(|item| !(item.get("row").is_some() && item.get("message").is_some_and(|m| m.as_str().is_some_and(|m| self.found_in(m)))));
                let mut changed = items.len() != before;
                for item in items.iter_mut() {
                    changed |= self.scrub_value(item);
                }
                changed
            }
            Value::Object(map) => {
                let mut changed = false;
                for v in map.values_mut() {
                    changed |= self.scrub_value(v);
                }
                changed
            }
            _ => false,
        }
    }
}

/// The unlinked touchpoints that are the person's by their keys, and those that only mention them.
fn unlinked_of(store: &Store, c: &Customer, traces: &Traces) -> Result<(Vec<TouchpointId>, Vec<Mention>)> {
    let handles: Vec<(String, String)> = c.handles.iter().map(|(p, h)| (p.as_str().to_string(), h.clone())).collect();
    let theirs = store.db().unlinked_by_author(&c.emails, &c.phones, &handles, &traces.names)?;
    let mentions = store
        .db()
        .unlinked_texts()?
        .into_iter()
        .filter(|(id, author, text)| !theirs.contains(id) && (traces.found_in(author) || traces.found_in(text)))
        .map(|(id, author, text)| (id, author, crate::error::excerpt(&text).into_owned()))
        .collect();
    Ok((theirs, mentions))
}

/// What erasing customer `id` will remove, for the owner's confirmation.
pub fn erase_plan(store: &Store, id: CustomerId) -> Result<ErasePlan> {
    let record = record(store, id)?;
    let traces = Traces::of(&record.customer);
    let (unlinked_touchpoints, mentions) = unlinked_of(store, &record.customer, &traces)?;
    Ok(ErasePlan {
        id,
        display_name: record.customer.display_name.clone(),
        touchpoints: record.touchpoints.len(),
        purchases: record.purchases.len(),
        consent_records: record.consent_history.len(),
        unlinked_touchpoints,
        mentions,
    })
}

/// Erases a customer for good (the right to erasure): their profile, touchpoints (also those
/// logged under their email, phone, handle or name but never linked), purchases, consent record,
/// what import reports quoted of them, and every trace in the search index and the database files.
/// Unlike `delete`, there is no undo. It all happens in one transaction, which also records that
/// the files still need purging: if the purge is cut short (a kill, another program reading), it
/// is finished at the next open of the database.
pub fn erase(store: &mut Store, id: CustomerId, now: DateTime<Utc>) -> Result<Erased> {
    let customer = store.db().customer(id)?.ok_or_else(|| no_customer(id))?;
    let traces = Traces::of(&customer);
    let (unlinked, _) = unlinked_of(store, &customer, &traces)?;
    let rows: std::collections::HashMap<i64, u64> = store.db().import_rows_of(id)?.into_iter().collect();
    let reports: Vec<(i64, String)> = store.db().import_reports()?.into_iter().filter_map(|(i, r)| traces.scrub(&r, rows.get(&i).copied()).map(|s| (i, s))).collect();
    store.write(|w| {
        w.erase_customer(id)?;
        w.delete_touchpoints(&unlinked)?;
        for (import, report) in &reports {
            w.set_import_report(*import, report)?;
        }
        w.set_setting(crate::store::PURGE_PENDING, "1")
    })?;
    let purged = store.purge(std::time::Duration::from_secs(3))?;
    // A shared shop's backups are files on this computer too (a shop in memory has none).
    let older_backups = match store.backup_home() {
        Some(_) => crate::backup::list(store)?.into_iter().filter(|b| b.at <= now).collect(),
        None => Vec::new(),
    };
    let beyond_reach = store.db().is_shared().then(|| {
        "The shared shop's server may keep backups of its own (base backups, an archive of its log, copies its owner made): \
         those made before now still hold their details until they expire or are deleted there, which Regulars cannot do from here."
            .to_string()
    });
    Ok(Erased {
        id,
        display_name: customer.display_name,
        older_backups,
        unlinked_touchpoints: unlinked.len(),
        import_reports_scrubbed: reports.len(),
        purge_pending: !purged,
        beyond_reach,
    })
}

/// One customer's whole record (the right of access and portability): profile, consent history,
/// touchpoints and purchases.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    pub customer: Customer,
    pub consent_history: Vec<crate::model::ConsentEvent>,
    pub touchpoints: Vec<crate::model::Touchpoint>,
    pub purchases: Vec<crate::model::Purchase>,
}

pub fn record(store: &Store, id: CustomerId) -> Result<Record> {
    let customer = store.db().customer(id)?.ok_or_else(|| no_customer(id))?;
    Ok(Record {
        consent_history: store.db().consent_history(id)?,
        touchpoints: store.db().touchpoints(Some(id), u64::MAX >> 1)?,
        purchases: store.db().purchases_of(id)?,
        customer,
    })
}

/// Like `resolve`, but also finds customers in the trash by number (erasure and access apply to
/// them too).
pub fn resolve_any(store: &(impl Reads + ?Sized), reference: &str, region: Region) -> Result<CustomerId> {
    if let Ok(id) = reference.trim().trim_start_matches('#').parse::<CustomerId>() {
        if store.reader().customer(id)?.is_some() {
            return Ok(id);
        }
    }
    resolve(store, reference, region)
}

/// Sets one marketing consent in one step (withdrawing is one click), recorded with its time and
/// source like every consent change.
pub fn set_consent(store: &mut Store, id: CustomerId, channel: ConsentChannel, status: crate::model::ConsentStatus, change: &Change) -> Result<Customer> {
    let before = get(store, id)?;
    let mut draft = CustomerDraft::from(&before);
    draft.consent.set(channel, status);
    update(store, id, &draft, change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ConsentStatus, CustomerDraft};

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn change() -> Change {
        Change { now: now(), region: Region::parse("GB").unwrap(), source: "test".into() }
    }

    fn draft(first: &str, last: &str) -> CustomerDraft {
        CustomerDraft { first_name: first.into(), last_name: last.into(), ..Default::default() }
    }

    /// Two people edit the same customer from the same version: the second save keeps the first's
    /// changes to fields it did not touch, and asks (saving nothing) only about a field both
    /// changed differently, until told which side to keep.
    #[test]
    fn an_overtaken_edit_keeps_both_and_asks_only_where_both_changed_a_field() {
        let mut store = Store::open_in_memory().unwrap();
        let mut d = draft("Ann", "Lee");
        d.emails = vec!["ann@example.com".into()];
        d.address.city = "York".into();
        let opened = create(&mut store, &d, &change()).unwrap();
        let (id, same_second) = (opened.id, change());

        let mut theirs = CustomerDraft::from(&opened);
        theirs.address.city = "Leeds".into();
        theirs.notes = "likes linen".into();
        theirs.consent.email = ConsentStatus::Yes;
        update(&mut store, id, &theirs, &same_second).unwrap();

        let mut mine = CustomerDraft::from(&opened);
        mine.phones = vec!["07911 123456".into()];
        mine.notes = "wants a call".into();
        mine.address.city = "Leeds".into();
        let none = BTreeMap::new();
        let err = save_edit(&mut store, id, &mine, &opened, &none, &same_second).unwrap_err();
        assert_eq!(err.code(), "changed_meanwhile");
        let asked: Vec<(&str, &str)> = err.field_problems().iter().map(|p| (p.field.as_str(), p.message.as_str())).collect();
        assert_eq!(asked, [("notes", "Changed elsewhere meanwhile, to “likes linen”.")], "the same change on both sides is no clash");
        let stored = get(&store, id).unwrap();
        assert!(stored.phones.is_empty() && stored.notes == "likes linen", "nothing saved until asked");

        let keep_mine = BTreeMap::from([("notes".to_string(), Keep::Mine)]);
        let saved = save_edit(&mut store, id, &mine, &opened, &keep_mine, &same_second).unwrap();
        assert_eq!((saved.address.city.as_str(), saved.notes.as_str()), ("Leeds", "wants a call"));
        assert_eq!(saved.phones, ["+447911123456"], "this edit's own change");
        assert_eq!(saved.consent.email, ConsentStatus::Yes, "their change to a field this edit left alone");
        assert_eq!(get(&store, id).unwrap(), saved);

        // Opened before both saves and taking theirs: the field comes back as they made it.
        let mut late = CustomerDraft::from(&opened);
        late.notes = "birthday in May".into();
        let take = BTreeMap::from([("notes".to_string(), Keep::Theirs)]);
        let saved = save_edit(&mut store, id, &late, &opened, &take, &same_second).unwrap();
        assert_eq!((saved.notes.as_str(), saved.phones.len()), ("wants a call", 1));
        // Nobody else saved: the edit is a plain one.
        let mut plain = CustomerDraft::from(&saved);
        plain.company = "Lee & Co".into();
        assert_eq!(save_edit(&mut store, id, &plain, &saved, &none, &same_second).unwrap().company, "Lee & Co");
    }

    fn problems(d: &CustomerDraft) -> Vec<(String, String)> {
        match validate(d, Region::parse("GB").unwrap(), now()) {
            Ok(_) => vec![],
            Err(ps) => ps.into_iter().map(|p| (p.field, p.message)).collect(),
        }
    }

    /// A shop from before the other spellings: its search words are made again at the next open.
    #[test]
    fn stale_search_words_are_made_again_once() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(!refresh_search_words(&mut store).unwrap(), "a new shop has nothing to make again");
        let c = create(&mut store, &draft("Jonas", "Müller"), &change()).unwrap();
        let old_words = crate::store::SearchDoc { name: "jonas muller jonas muller".into(), ..crate::search::document(&c) };
        store.write(|w| {
            w.remove_search_doc(c.id)?;
            w.insert_search_doc(c.id, &old_words)?;
            w.set_setting(SEARCH_WORDS_STALE, "true")
        }).unwrap();
        let gb = Region::parse("GB").unwrap();
        assert!(crate::search::search(&store, "mueller", 5, gb).unwrap().is_empty(), "the old words lack the spelling");
        assert!(refresh_search_words(&mut store).unwrap());
        assert_eq!(crate::search::search(&store, "mueller", 5, gb).unwrap().len(), 1);
        assert!(!refresh_search_words(&mut store).unwrap(), "once");
    }

    /// Words made again for a shop larger than FTS5's limit of segments, listed in another order
    /// than their numbers (the list's, by name): written out of order, each would flush a segment
    /// of its own, and SQLite says "database or disk is full" past 2,000 of them.
    #[test]
    fn stale_search_words_of_a_large_shop_are_made_again_in_one_go() {
        let mut store = Store::open_in_memory().unwrap();
        store.write(|w| {
            for i in 0..2_500 {
                // Later numbers, earlier names: the list's order runs against the numbers'.
                create_in(w, &draft(&format!("N{:05}", 99_999 - i), "Shopper"), &change())?;
            }
            w.set_setting(SEARCH_WORDS_STALE, "true")
        }).unwrap();
        assert!(refresh_search_words(&mut store).unwrap());
        let hits = crate::search::search(&store, "N97500", 5, Region::parse("GB").unwrap()).unwrap();
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn validation_names_each_bad_field() {
        let mut d = draft("Ann", "");
        d.emails = vec!["ann@".into()];
        d.phones = vec!["12".into()];
        d.handles.insert("myspace".into(), "ann".into());
        d.birthday = "21/04/1990".into();
        d.customer_since = "2030-01-01".into();
        d.preferred_channel = "pigeon".into();
        let fields: Vec<String> = problems(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["emails", "phones", "handles", "birthday", "customer_since", "preferred_channel"]);
        assert_eq!(problems(&CustomerDraft::default())[0].0, "first_name");
    }

    #[test]
    fn validation_normalises_and_derives_display_name() {
        let mut d = draft("  Élodie ", "Lefèvre");
        d.emails = vec![" Elodie@Example.FR ".into(), "elodie@example.fr".into()];
        d.phones = vec!["07911 123456".into()];
        d.handles.insert("Instagram".into(), "https://instagram.com/elodie.l/".into());
        d.tags = vec!["VIP".into(), "vip".into(), " regular ".into()];
        let c = validate(&d, Region::parse("GB").unwrap(), now()).unwrap();
        assert_eq!(c.display_name, "Élodie Lefèvre");
        assert_eq!(c.emails, ["elodie@example.fr"]);
        assert_eq!(c.phones, ["+447911123456"]);
        assert_eq!(c.handles.get(&Platform::Instagram).map(String::as_str), Some("elodie.l"));
        assert_eq!(c.tags, ["VIP", "regular"]);
        let only_phone = CustomerDraft { phones: vec!["+33 6 12 34 56 78".into()], ..Default::default() };
        assert_eq!(validate(&only_phone, Region::parse("GB").unwrap(), now()).unwrap().display_name, "+33 6 12 34 56 78");
    }

    #[test]
    fn one_email_phone_or_handle_identifies_one_customer() {
        let mut store = Store::open_in_memory().unwrap();
        let mut a = draft("Ann", "Lee");
        a.emails = vec!["ann@example.com".into()];
        a.phones = vec!["07911 123456".into()];
        let ann = create(&mut store, &a, &change()).unwrap();
        let mut b = draft("Bob", "Lee");
        b.emails = vec!["ANN@example.com".into()];
        b.phones = vec!["+44 7911 123456".into()];
        let err = create(&mut store, &b, &change()).unwrap_err();
        assert_eq!(err.code(), "invalid");
        let msgs: Vec<&str> = err.field_problems().iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs, [
            format!("ann@example.com already belongs to Ann Lee (#{})", ann.id),
            format!("+44 7911 123456 already belongs to Ann Lee (#{})", ann.id),
        ]);
        assert_eq!(store.db().customer_count().unwrap(), 1, "nothing half-written");
        // Editing Ann with her own email is fine.
        let mut a2 = a.clone();
        a2.notes = "likes blue".into();
        update(&mut store, ann.id, &a2, &change()).unwrap();
    }

    #[test]
    fn consent_changes_are_recorded_with_time_and_source() {
        let mut store = Store::open_in_memory().unwrap();
        let mut d = draft("Cy", "");
        d.consent.email = ConsentStatus::Yes;
        let c = create(&mut store, &d, &change()).unwrap();
        d.consent.email = ConsentStatus::No;
        d.consent.sms = ConsentStatus::Yes;
        let later = Change { now: now() + chrono::Duration::days(3), source: "cli".into(), ..change() };
        update(&mut store, c.id, &d, &later).unwrap();
        update(&mut store, c.id, &d, &later).unwrap();
        let history: Vec<String> = store.db().consent_history(c.id).unwrap().iter()
            .map(|e| format!("{} {} {} {}", e.channel, e.status, e.at.date_naive(), e.source)).collect();
        assert_eq!(history, ["email yes 2026-11-23 test", "email no 2026-11-26 cli", "sms yes 2026-11-26 cli"]);
    }

    #[test]
    fn delete_and_restore_keep_everything() {
        let mut store = Store::open_in_memory().unwrap();
        let mut d = draft("Dee", "Vo");
        d.emails = vec!["dee@example.com".into()];
        let c = create(&mut store, &d, &change()).unwrap();
        delete(&mut store, c.id, now()).unwrap();
        assert_eq!(get(&store, c.id).unwrap_err().code(), "not_found");
        assert!(search::search(&store, "dee", 10, Region::parse("GB").unwrap()).unwrap().is_empty());
        let err = create(&mut store, &d, &change()).unwrap_err();
        assert!(err.to_string().contains("in the trash"), "{err}");
        let back = restore(&mut store, c.id).unwrap();
        assert_eq!(back, get(&store, c.id).unwrap());
        assert_eq!(back.emails, ["dee@example.com"]);
        assert_eq!(search::search(&store, "dee", 10, Region::parse("GB").unwrap()).unwrap()[0].id, c.id);
        assert_eq!(restore(&mut store, c.id).unwrap_err().code(), "conflict");
    }

    #[test]
    fn references_resolve_the_way_people_write_them() {
        let mut store = Store::open_in_memory().unwrap();
        let mut d = draft("Eve", "Ng");
        d.emails = vec!["eve@example.com".into()];
        d.phones = vec!["07712 345678".into()];
        d.handles.insert("instagram".into(), "eve.ng".into());
        let eve = create(&mut store, &d, &change()).unwrap();
        create(&mut store, &draft("Sam", "Twin"), &change()).unwrap();
        create(&mut store, &draft("Sam", "Twin"), &change()).unwrap();
        let region = Region::parse("GB").unwrap();
        for r in [eve.id.to_string(), format!("#{}", eve.id), "EVE@example.com".into(), "+44 7712 345678".into(),
                  "07712345678".into(), "@eve.ng".into(), "instagram:eve.ng".into(), "https://instagram.com/eve.ng".into(), "eve ng".into()] {
            assert_eq!(resolve(&store, &r, region).unwrap(), eve.id, "{r}");
        }
        assert_eq!(resolve(&store, "Sam Twin", region).unwrap_err().code(), "conflict");
        assert_eq!(resolve(&store, "twi", region).unwrap_err().code(), "conflict");
        assert_eq!(resolve(&store, "ng", region).unwrap(), eve.id, "a single search match is enough");
        assert_eq!(resolve(&store, "nobody@example.com", region).unwrap_err().code(), "not_found");
        assert_eq!(resolve(&store, "999", region).unwrap_err().code(), "not_found");
    }
}
