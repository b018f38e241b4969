//! Deciding who each row is and writing it, a batch of rows at a time inside the import's one
//! transaction. The same normalised email, E.164 phone or handle is the same person, whether they
//! are already in the database or earlier in the file: the row merges into them. Anything else is
//! a new customer; one who shares only a name with someone is kept apart and flagged for review.

use std::collections::HashMap;

use super::row::Incoming;
use super::{Counts, Outcome, Problem, PreviewRow, PREVIEW_ROWS, PROBLEMS_LISTED};
use crate::customers::{self, Change};
use crate::error::Result;
use crate::model::{Customer, CustomerId, ImportId, Platform};
use crate::normalize::{self, fold};
use crate::store::{Holders, WriteDb};

/// A key that identifies one person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Email(String),
    Phone(String),
    Handle(Platform, String),
}

impl Key {
    fn describe(&self) -> String {
        match self {
            Key::Email(e) => e.clone(),
            Key::Phone(p) => normalize::phone_display(p),
            Key::Handle(p, h) => format!("{p} @{h}"),
        }
    }
}

fn keys(c: &Customer) -> Vec<Key> {
    let mut keys: Vec<Key> = c.emails.iter().map(|e| Key::Email(e.clone())).collect();
    keys.extend(c.phones.iter().map(|p| Key::Phone(p.clone())));
    keys.extend(c.handles.iter().map(|(p, h)| Key::Handle(*p, h.clone())));
    keys
}

/// Who holds a key: (customer, in the trash).
type Holder = (CustomerId, bool);

pub(super) struct Applier<'w, 'c> {
    pub w: &'w WriteDb<'c>,
    pub change: Change,
    pub import_id: ImportId,
    pub counts: Counts,
    pub problems: Vec<Problem>,
    pub preview: Vec<PreviewRow>,
    /// Keys written by this import so far in the current batch (earlier batches are in the database).
    written: HashMap<Key, CustomerId>,
    /// Folded names of customers this import created, for the possible-duplicate check.
    created_names: HashMap<String, (CustomerId, u64)>,
    /// Customers merged into, whose search words are renewed once, at the end.
    reindex: Vec<CustomerId>,
    reindex_seen: std::collections::HashSet<CustomerId>,
    /// Customers an earlier row of this file created or changed: a later row for them is a repeat.
    touched: std::collections::HashSet<CustomerId>,
    /// Ids a server gave for the customers this import creates, smallest last (in a file, none:
    /// each new customer is written as its row comes).
    reserved: Vec<CustomerId>,
    /// The first and last id reserved, to give back what is not used.
    reserved_range: Option<(CustomerId, CustomerId)>,
    /// New customers with a reserved id, written together at the end of their batch, or before
    /// anything reads one of them. Their ids go up, and every customer stored has a smaller one.
    pending: Vec<Pending>,
}

/// A new customer not yet written, and the row that brought them.
struct Pending {
    row: u64,
    customer: Customer,
    index: (String, crate::store::SearchDoc),
}

impl<'w, 'c> Applier<'w, 'c> {
    pub fn new(w: &'w WriteDb<'c>, change: Change, import_id: ImportId) -> Self {
        Applier {
            w,
            change,
            import_id,
            counts: Counts::default(),
            problems: Vec::new(),
            preview: Vec::new(),
            written: HashMap::new(),
            created_names: HashMap::new(),
            reindex: Vec::new(),
            reindex_seen: std::collections::HashSet::new(),
            touched: std::collections::HashSet::new(),
            reserved: Vec::new(),
            reserved_range: None,
            pending: Vec::new(),
        }
    }

    /// Completes the import's writes: the search words of every customer it merged into. A
    /// preview (`rolled_back`) gives back every id it reserved and its own number, an import the
    /// ids it did not use.
    pub fn finish(&mut self, rolled_back: bool) -> Result<()> {
        self.write_pending()?;
        if let Some((first, last)) = self.reserved_range {
            let unused = if rolled_back { Some(first) } else { self.reserved.last().copied() };
            if let Some(from) = unused {
                self.w.give_back_customer_ids(from, last)?;
            }
        }
        if rolled_back {
            self.w.give_back_import_id(self.import_id)?;
        }
        self.w.link_touchpoints()?;
        customers::reindex(self.w, &self.reindex)
    }

    pub fn note(&mut self, problem: Problem) {
        self.counts.problems_total += 1;
        if problem.level == super::Level::Warning {
            self.counts.left_out += 1;
        }
        if self.problems.len() < PROBLEMS_LISTED {
            self.problems.push(problem);
        }
    }

    /// Looks up every key of the batch in the database at once.
    fn holders(&self, batch: &[Incoming]) -> Result<HashMap<Key, Holder>> {
        let mut emails = Vec::new();
        let mut phones = Vec::new();
        let mut handles: HashMap<Platform, Vec<&str>> = HashMap::new();
        for c in batch.iter().filter_map(|i| i.customer.as_ref().ok()) {
            emails.extend(c.emails.iter().map(String::as_str));
            phones.extend(c.phones.iter().map(String::as_str));
            for (p, h) in &c.handles {
                handles.entry(*p).or_default().push(h);
            }
        }
        let mut out = HashMap::new();
        let mut take = |held: Holders, make: &dyn Fn(String) -> Key| {
            for (k, v) in held {
                out.insert(make(k), v);
            }
        };
        take(self.w.email_holders(&emails)?, &Key::Email);
        take(self.w.phone_holders(&phones)?, &Key::Phone);
        for (p, hs) in handles {
            take(self.w.handle_holders(p, &hs)?, &|h| Key::Handle(p, h));
        }
        Ok(out)
    }

    /// Customers already in the database by the folded names of this batch's new people.
    fn namesakes(&self, batch: &[Incoming]) -> Result<HashMap<String, (CustomerId, String)>> {
        let names: Vec<String> = batch.iter().filter_map(|i| i.customer.as_ref().ok()).map(|c| fold(&c.display_name)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut out = HashMap::new();
        for (name, id, display) in self.w.customers_sort_named(&refs)? {
            out.entry(name).or_insert((id, display));
        }
        Ok(out)
    }

    // One piece: who a row is, decided in one pass over its keys (owners, shared landlines, the trash, keys held by others), then one create or merge.
    pub fn apply_batch(&mut self, batch: Vec<Incoming>) -> Result<()> {
        let held = self.holders(&batch)?;
        let namesakes = self.namesakes(&batch)?;
        self.written.clear();
        if self.reserved.len() < batch.len() {
            if let Some(more) = self.w.reserve_customer_ids(batch.len() - self.reserved.len())? {
                if let (Some(&first), Some(&last)) = (more.first(), more.last()) {
                    self.reserved_range = Some((self.reserved_range.map_or(first, |(f, _)| f), last));
                }
                self.reserved.splice(0..0, more.into_iter().rev());
            }
        }
        for incoming in batch {
            self.counts.rows += 1;
            for p in incoming.problems {
                self.note(p);
            }
            let row = incoming.row;
            let mut index = incoming.index;
            let mut customer = match incoming.customer {
                Ok(c) => c,
                Err(problem) => {
                    self.counts.rejected += 1;
                    self.note(problem.clone());
                    self.preview_row(row, Outcome::Rejected, None, Some(problem.message));
                    continue;
                }
            };
            // Who the row's keys belong to, most telling first (emails, phones, handles).
            let mut owners: Vec<(Key, Holder)> = Vec::new();
            for key in keys(&customer) {
                let holder = self.written.get(&key).map(|&id| (id, false)).or_else(|| held.get(&key).copied());
                if let Some(h) = holder {
                    owners.push((key, h));
                }
            }
            // A landline (a household's, an office's) is no identity: two people with other first
            // names who share only such a number stay two customers. Mobiles are one person's.
            let mut shared_lines: Vec<(String, CustomerId, String)> = Vec::new();
            let mut kept = Vec::with_capacity(owners.len());
            for (key, holder) in owners {
                if let Key::Phone(p) = &key {
                    if !normalize::is_mobile(p) {
                        if let Some(name) = self.other_person(&customer, holder.0)? {
                            shared_lines.push((p.clone(), holder.0, name));
                            continue;
                        }
                    }
                }
                kept.push((key, holder));
            }
            let owners = kept;
            if !shared_lines.is_empty() {
                index = None; // its search words are made again without the number
            }
            for (phone, id, holder) in &shared_lines {
                let shown = normalize::phone_display(phone);
                customer.phones.retain(|x| x != phone);
                let label = (1..).map(|n| if n == 1 { "Shared phone".to_string() } else { format!("Shared phone {n}") }).find(|k| !customer.custom.contains_key(k)).expect("a free label");
                customer.custom.insert(label, shown.clone());
                self.note(Problem::review(
                    row,
                    "",
                    format!("{shown} is a landline that {holder} (#{id}) also has, and the names differ: kept apart (the number is kept as “Shared phone”); merge them by hand if they are one person"),
                ));
            }
            if let Some((key, (id, _))) = owners.iter().find(|(_, (_, trashed))| *trashed) {
                let name = self.stored(*id)?.map(|c| c.display_name).unwrap_or_default();
                let message = format!("{} belongs to {name} (#{id}), who is in the trash: restore them, then import again", key.describe());
                self.counts.rejected += 1;
                self.note(Problem::error(row, "", message.clone()));
                self.preview_row(row, Outcome::Rejected, None, Some(message));
                continue;
            }
            let target = owners.first().map(|(_, (id, _))| *id);
            // Keys held by someone else than the target stay with them.
            for (key, (id, _)) in owners.iter().filter(|(_, (id, _))| Some(*id) != target) {
                let holder = self.stored(*id)?.map(|c| c.display_name).unwrap_or_default();
                self.note(Problem::review(row, "", format!("{} already belongs to {holder} (#{id}); it was not added to this row's customer", key.describe())));
                match key {
                    Key::Email(e) => customer.emails.retain(|x| x != e),
                    Key::Phone(p) => customer.phones.retain(|x| x != p),
                    Key::Handle(p, _) => {
                        customer.handles.remove(p);
                    }
                }
            }
            match target {
                None => {
                    let index = index.unwrap_or_else(|| customers::index_keys(&customer));
                    self.create(row, customer, index, &namesakes)?
                }
                Some(id) => self.merge(row, id, customer)?,
            }
        }
        self.write_pending()
    }

    /// Writes the new customers not yet written, all at once.
    fn write_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let news: Vec<crate::store::NewCustomer<'_>> = self
            .pending
            .iter()
            .map(|p| crate::store::NewCustomer { customer: &p.customer, sort_name: &p.index.0, doc: &p.index.1 })
            .collect();
        customers::insert_reserved(self.w, &news, &self.change)?;
        let rows: Vec<(CustomerId, u64)> = self.pending.iter().map(|p| (p.customer.id, p.row)).collect();
        self.w.record_import_creations(self.import_id, &rows)?;
        self.pending.clear();
        Ok(())
    }

    /// Customer `id` as stored, written first if this import has yet to write them.
    fn stored(&mut self, id: CustomerId) -> Result<Option<Customer>> {
        if self.pending.first().is_some_and(|p| id >= p.customer.id) {
            self.write_pending()?;
        }
        self.w.customer(id)
    }

    /// Customer `id`'s name when their first name and the row's cannot be one person's ("Ann"
    /// and "Bob"; "Rob" and "Robert" may be).
    fn other_person(&mut self, row: &Customer, id: CustomerId) -> Result<Option<String>> {
        let Some(other) = self.stored(id)? else { return Ok(None) };
        let (a, b) = (fold(row.first_name.trim()), fold(other.first_name.trim()));
        let differ = !a.is_empty() && !b.is_empty() && !a.starts_with(&b) && !b.starts_with(&a);
        Ok(differ.then_some(other.display_name))
    }

    fn create(&mut self, row: u64, customer: Customer, index: (String, crate::store::SearchDoc), namesakes: &HashMap<String, (CustomerId, String)>) -> Result<()> {
        let name = index.0.clone();
        let id = match self.reserved.pop() {
            Some(id) => {
                self.pending.push(Pending { row, customer: Customer { id, ..customer.clone() }, index });
                id
            }
            None => {
                let id = customers::insert_checked(self.w, &customer, &index, &self.change)?;
                self.w.record_import_change(self.import_id, id, None, row)?;
                id
            }
        };
        for key in keys(&customer) {
            self.written.insert(key, id);
        }
        let earlier = self.created_names.get(&name).map(|&(other, other_row)| (other, format!("row {other_row}")));
        let known = namesakes.get(&name).filter(|(other, _)| *other != id).map(|(other, display)| (*other, format!("{display} (#{other})")));
        if let Some((_, who)) = earlier.or(known) {
            self.note(Problem::review(
                row,
                "",
                format!("{} has the same name as {who} but other contact details: kept apart; merge them by hand if they are one person", customer.display_name),
            ));
        }
        self.created_names.entry(name).or_insert((id, row));
        self.touched.insert(id);
        self.counts.created += 1;
        self.preview_row(row, Outcome::Created, Some(Customer { id, ..customer }), None);
        Ok(())
    }

    fn merge(&mut self, row: u64, id: CustomerId, incoming: Customer) -> Result<()> {
        let Some(existing) = self.stored(id)? else {
            return Err(crate::Error::not_found(format!("there is no customer #{id}")));
        };
        let (mut merged, notes) = customers::merge(&existing, &incoming);
        for note in notes {
            self.note(Problem::review(row, "", note));
        }
        // A row for someone an earlier row of the file already brought in is counted apart, so
        // that the counts are of customers: "2 new" for a file listing one person twice is wrong.
        let repeat = self.touched.contains(&id);
        if customers::same_data(&existing, &merged) {
            if repeat {
                self.counts.repeats += 1;
                self.preview_row(row, Outcome::Repeat, Some(existing), None);
            } else {
                // Counted once: a later row for them is a repeat.
                self.touched.insert(id);
                self.counts.unchanged += 1;
                self.preview_row(row, Outcome::Unchanged, Some(existing), None);
            }
            return Ok(());
        }
        merged.updated_at = self.change.now;
        let before = serde_json::to_string(&existing).unwrap_or_default();
        customers::replace_checked(self.w, &existing, &merged, &self.change)?;
        self.w.record_import_change(self.import_id, id, Some(&before), row)?;
        if self.reindex_seen.insert(id) {
            self.reindex.push(id);
        }
        for key in keys(&merged) {
            self.written.insert(key, id);
        }
        if repeat {
            self.counts.repeats += 1;
            self.preview_row(row, Outcome::Repeat, Some(merged), None);
        } else {
            self.touched.insert(id);
            self.counts.merged += 1;
            self.preview_row(row, Outcome::Merged, Some(merged), None);
        }
        Ok(())
    }

    fn preview_row(&mut self, row: u64, outcome: Outcome, customer: Option<Customer>, reason: Option<String>) {
        if self.preview.len() < PREVIEW_ROWS {
            self.preview.push(PreviewRow { row, outcome, customer, reason });
        }
    }
}
