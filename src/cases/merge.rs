//! Merging customers who are one person, and taking a merge back. Everything moves to the kept
//! customer: emails, phones, handles and tags (the merged-away ones then find the kept customer),
//! notes (both kept), extra details, touchpoints, purchases (totals recomputed), suggestions and
//! referrals. The import history stays with the customer an import made or changed (undoing the
//! import then never puts the kept customer back as another was). Field by field the owner's choice stands, else the fuller value,
//! else the newer customer's; an address or handle that loses is kept in the notes. Consent: the
//! most recent answer per channel stands and both records are kept, so a withdrawal is never
//! lost. A merge is one transaction inside the caller's, recorded with what moved; `unmerge` puts
//! each customer back as they were and each row with the customer it came from, keeps on the kept
//! customer what was logged there since (and says so), and refuses only where putting back would
//! lose something.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customers::{self, Change};
use crate::error::{Error, Result};
use crate::model::{ConsentChannel, ConsentStatus, Customer, CustomerId};
use crate::store::{Moved, Presence, Reads, Store, WriteDb};

/// The fields whose value the owner picks, by name, with whose value stands.
pub type Choices = BTreeMap<String, CustomerId>;

/// The fields the owner picks between (the rest are joined).
pub const FIELDS: &[&str] = &["first_name", "last_name", "display_name", "company", "address", "birthday", "preferred_channel"];

/// What a merge did, or (`dry_run`) would do.
#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    /// The merge's number (`unmerge` takes it); none for a dry run.
    pub merge_id: Option<i64>,
    /// The kept customer as they are after it.
    pub customer: Customer,
    /// The customers merged into them.
    pub merged: Vec<CustomerId>,
    /// Touchpoints and purchases that moved.
    pub touchpoints_moved: usize,
    pub purchases_moved: usize,
}

/// What a merge recorded, to be taken back.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    kept: Customer,
    merged: Vec<(Customer, Moved)>,
}

/// What taking a merge back did.
#[derive(Debug, Clone, Serialize)]
pub struct Unmerged {
    pub customers: Vec<Customer>,
    /// Logged on the kept customer after the merge: they stay there.
    pub touchpoints_kept: u64,
    pub purchases_kept: u64,
    /// The kept customer was changed after the merge: their details stay as now, without what came
    /// from the others.
    pub kept_edits: bool,
}

/// Which value stands for a field that both have: the owner's choice, else the fuller (a value
/// over none), else the newer customer's.
fn pick<'a, T: PartialEq>(field: &str, choices: &Choices, keep: &'a Customer, other: &'a Customer, get: impl Fn(&Customer) -> &T, empty: impl Fn(&T) -> bool) -> bool {
    if let Some(&who) = choices.get(field) {
        return who == other.id;
    }
    let (k, o) = (get(keep), get(other));
    match (empty(k), empty(o)) {
        (true, false) => true,
        (false, true) | (true, true) => false,
        (false, false) => k != o && other.updated_at > keep.updated_at,
    }
}

/// The kept customer with `other` folded in.
fn combine(keep: &Customer, other: &Customer, choices: &Choices) -> Customer {
    let mut c = keep.clone();
    let text = |s: &String| s.trim().is_empty();
    if pick("first_name", choices, keep, other, |c| &c.first_name, text) {
        c.first_name = other.first_name.clone();
    }
    if pick("last_name", choices, keep, other, |c| &c.last_name, text) {
        c.last_name = other.last_name.clone();
    }
    if pick("display_name", choices, keep, other, |c| &c.display_name, text) {
        c.display_name = other.display_name.clone();
    }
    // Shown as their name when both were (not a company or a nickname), unless the owner chose.
    let named = format!("{} {}", c.first_name.trim(), c.last_name.trim()).trim().to_string();
    let derived = |x: &Customer| x.display_name.trim() == format!("{} {}", x.first_name.trim(), x.last_name.trim()).trim();
    if !choices.contains_key("display_name") && !named.is_empty() && derived(keep) && derived(other) {
        c.display_name = named;
    }
    if pick("company", choices, keep, other, |c| &c.company, text) {
        c.company = other.company.clone();
    }
    if pick("birthday", choices, keep, other, |c| &c.birthday, Option::is_none) {
        c.birthday = other.birthday;
    }
    if pick("preferred_channel", choices, keep, other, |c| &c.preferred_channel, Option::is_none) {
        c.preferred_channel = other.preferred_channel;
    }
    let blank = |a: &crate::model::Address| a.street.trim().is_empty() && a.city.trim().is_empty() && a.postal_code.trim().is_empty();
    let mut notes: Vec<String> = [keep.notes.trim(), other.notes.trim()].into_iter().filter(|n| !n.is_empty()).map(str::to_string).collect();
    let (stands, loses) = if pick("address", choices, keep, other, |c| &c.address, |a| blank(a)) { (&other.address, &keep.address) } else { (&keep.address, &other.address) };
    if !blank(loses) && loses != stands {
        let parts: Vec<&str> = [&loses.street, &loses.postal_code, &loses.city, &loses.region, &loses.country].into_iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        notes.push(format!("Other address: {}", parts.join(", ")));
    }
    c.address = stands.clone();
    customers::join_keys(&mut c, other);
    for (platform, handle) in &other.handles {
        match c.handles.get(platform) {
            None => {
                c.handles.insert(*platform, handle.clone());
            }
            Some(h) if h == handle => {}
            Some(_) if choices.get(platform.as_str()) == Some(&other.id) => {
                let lost = c.handles.insert(*platform, handle.clone()).unwrap_or_default();
                notes.push(format!("Also on {} as @{lost}", platform.as_str()));
            }
            Some(_) => notes.push(format!("Also on {} as @{handle}", platform.as_str())),
        }
    }
    for (key, value) in &other.custom {
        match c.custom.get(key) {
            None => {
                c.custom.insert(key.clone(), value.clone());
            }
            Some(v) if v == value => {}
            Some(_) => {
                c.custom.insert(format!("{key} (from #{})", other.id), value.clone());
            }
        }
    }
    c.notes = notes.join("\n\n");
    c.customer_since = [keep.customer_since, other.customer_since].into_iter().flatten().min();
    c.last_visit = [keep.last_visit, other.last_visit].into_iter().flatten().max();
    c.lifetime_spend = [keep.lifetime_spend, other.lifetime_spend].into_iter().flatten().max();
    c.orders_count = [keep.orders_count, other.orders_count].into_iter().flatten().max();
    c
}

/// The consent that stands once both records are one: per channel, the most recent answer.
fn latest_consent(w: &WriteDb<'_>, ids: &[CustomerId], fallback: &Customer) -> Result<crate::model::Consent> {
    let mut consent = fallback.consent;
    for &channel in ConsentChannel::ALL {
        let mut latest: Option<(DateTime<Utc>, ConsentStatus)> = None;
        for &id in ids {
            for event in w.consent_history(id)?.into_iter().filter(|e| e.channel == channel && e.status != ConsentStatus::Unknown) {
                if latest.is_none_or(|(at, _)| event.at >= at) {
                    latest = Some((event.at, event.status));
                }
            }
        }
        if let Some((_, status)) = latest {
            consent.set(channel, status);
        }
    }
    Ok(consent)
}

/// Merges `others` into `keep` inside the caller's transaction (see `merge`).
pub fn merge_in(w: &WriteDb<'_>, keep: CustomerId, others: &[CustomerId], choices: &Choices, change: &Change, record: bool) -> Result<Merged> {
    if others.is_empty() {
        return Err(Error::invalid_field("customers", "say which customers to merge into the one kept"));
    }
    let mut seen = vec![keep];
    for &o in others {
        if seen.contains(&o) {
            return Err(Error::invalid_field("customers", format!("#{o} is named twice: a customer is merged once")));
        }
        seen.push(o);
    }
    for &id in &seen {
        if w.presence(id)? != Presence::Live {
            return Err(match w.merged_into(id)? {
                Some(k) => Error::conflict(format!("#{id} was merged into #{k} already")),
                None => Error::not_found(format!("there is no customer #{id} (or they are in the trash)")),
            });
        }
    }
    let kept = customers::get(w, keep)?;
    let mut merged_customer = kept.clone();
    let mut moved_all = Vec::new();
    let consent = latest_consent(w, &seen, &kept)?;
    for &o in others {
        let other = customers::get(w, o)?;
        let mut moved = w.hanging_off(o)?;
        merged_customer = combine(&merged_customer, &other, choices);
        w.set_merged_into(o, Some(keep), Some(change.now))?;
        w.remove_search_doc(o)?;
        moved.consent_copies = w.move_hanging(o, keep)?;
        moved_all.push((other, moved));
    }
    merged_customer.consent = consent;
    merged_customer.updated_at = change.now;
    w.update_customer(&merged_customer, &crate::normalize::fold(&merged_customer.display_name))?;
    w.set_search_doc(keep, &crate::search::document(&merged_customer))?;
    w.link_touchpoints()?;
    let touchpoints_moved = moved_all.iter().map(|(_, m)| m.touchpoints.len()).sum();
    let purchases_moved = moved_all.iter().map(|(_, m)| m.purchases.len()).sum();
    let merge_id = if record {
        let rec = Record { kept, merged: moved_all };
        Some(w.insert_merge(keep, change.now, &serde_json::to_string(&rec).map_err(|e| Error::invalid_field("merge", e.to_string()))?)?)
    } else {
        None
    };
    Ok(Merged { merge_id, customer: customers::get(w, keep)?, merged: others.to_vec(), touchpoints_moved, purchases_moved })
}

/// Merges `others` into `keep`: one transaction, a backup first; with `dry_run`, the same rolled back.
pub fn merge(store: &mut Store, keep: CustomerId, others: &[CustomerId], choices: &Choices, change: &Change, dry_run: bool) -> Result<Merged> {
    if dry_run {
        return store.rehearse(|w| merge_in(w, keep, others, choices, change, false));
    }
    crate::backup::before(store, crate::backup::BEFORE_MERGE, change.now)?;
    store.write(|w| merge_in(w, keep, others, choices, change, true))
}

/// Takes merge `id` back inside the caller's transaction (see `unmerge`).
pub fn unmerge_in(w: &WriteDb<'_>, id: i64, change: &Change) -> Result<Unmerged> {
    let row = w.merge(id)?.ok_or_else(|| Error::not_found(format!("there is no merge #{id}")))?;
    if row.undone {
        return Err(Error::conflict(format!("merge #{id} was taken back already")));
    }
    let record: Record = serde_json::from_str(&row.record).map_err(|e| Error::invalid_field("merge", format!("merge #{id}'s record cannot be read: {e}")))?;
    let keep = row.keep;
    if w.presence(keep)? != Presence::Live {
        return Err(Error::conflict(format!("#{keep}, who the others were merged into, is in the trash or merged again; restore them first")));
    }
    let now_kept = customers::get(w, keep)?;
    // Nothing of the merged customers may have gone to someone else meanwhile.
    for (other, _) in &record.merged {
        if w.merged_into(other.id)? != Some(keep) {
            return Err(Error::conflict(format!("#{} is no longer merged into #{keep}", other.id)));
        }
        for email in &other.emails {
            if let Some(owner) = w.owner_of_email(email)?.filter(|o| o.id != keep) {
                return Err(Error::conflict(format!("{email} belongs to #{} now; putting #{} back would take it away", owner.id, other.id)));
            }
        }
        for phone in &other.phones {
            if let Some(owner) = w.owner_of_phone(phone)?.filter(|o| o.id != keep) {
                return Err(Error::conflict(format!("{phone} belongs to #{} now; putting #{} back would take it away", owner.id, other.id)));
            }
        }
        for (platform, handle) in &other.handles {
            if let Some(owner) = w.owner_of_handle(*platform, handle)?.filter(|o| o.id != keep) {
                return Err(Error::conflict(format!("@{handle} on {} belongs to #{} now; putting #{} back would take it away", platform.as_str(), owner.id, other.id)));
            }
        }
    }
    let kept_edits = now_kept.updated_at > row.at;
    let mut restored_kept = if kept_edits { now_kept.clone() } else { record.kept.clone() };
    restored_kept.updated_at = if kept_edits { now_kept.updated_at } else { change.now };
    for (other, _) in &record.merged {
        restored_kept.emails.retain(|e| !other.emails.contains(e) || record.kept.emails.contains(e));
        restored_kept.phones.retain(|p| !other.phones.contains(p) || record.kept.phones.contains(p));
        restored_kept.handles.retain(|pl, h| other.handles.get(pl) != Some(h) || record.kept.handles.get(pl) == Some(h));
    }
    w.update_customer(&restored_kept, &crate::normalize::fold(&restored_kept.display_name))?;
    let mut customers = Vec::new();
    for (other, moved) in &record.merged {
        w.set_merged_into(other.id, None, None)?;
        w.update_customer(other, &crate::normalize::fold(&other.display_name))?;
        w.move_back(moved, keep, other.id)?;
        w.set_search_doc(other.id, &crate::search::document(other))?;
        customers.push(customers::get(w, other.id)?);
    }
    let consent = latest_consent(w, &[keep], &restored_kept)?;
    if consent != restored_kept.consent {
        restored_kept.consent = consent;
        w.update_customer(&restored_kept, &crate::normalize::fold(&restored_kept.display_name))?;
    }
    w.set_search_doc(keep, &crate::search::document(&restored_kept))?;
    let (touchpoints_kept, purchases_kept) = w.added_since(keep, row.at)?;
    w.set_merge_undone(id, change.now)?;
    customers.insert(0, customers::get(w, keep)?);
    Ok(Unmerged { customers, touchpoints_kept, purchases_kept, kept_edits })
}

/// Takes merge `id` back: one transaction, a backup first.
pub fn unmerge(store: &mut Store, id: i64, change: &Change) -> Result<Unmerged> {
    crate::backup::before(store, crate::backup::BEFORE_UNDO, change.now)?;
    store.write(|w| unmerge_in(w, id, change))
}

/// A merge into a customer, as their history shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MergeSummary {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who was merged in: their number and name as they were.
    pub merged: Vec<(CustomerId, String)>,
    /// Who merged them (a login on a shared shop; empty in a file).
    pub by: String,
}

/// The merges into customer `id` that can still be taken back, newest first (for their history).
pub fn history(store: &(impl Reads + ?Sized), id: CustomerId) -> Result<Vec<MergeSummary>> {
    let db = store.reader();
    let mut list = Vec::new();
    for merge in db.merges_of(id)? {
        let Some(row) = db.merge(merge)? else { continue };
        let record: Record = serde_json::from_str(&row.record).map_err(|e| Error::invalid_field("merge", format!("merge #{merge}'s record cannot be read: {e}")))?;
        list.push(MergeSummary { id: merge, at: row.at, merged: record.merged.iter().map(|(c, _)| (c.id, c.display_name.clone())).collect(), by: row.done_by });
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: CustomerId, first: &str, updated: &str) -> Customer {
        let at: DateTime<Utc> = updated.parse().unwrap();
        Customer {
            id,
            first_name: first.into(),
            last_name: "Lee".into(),
            display_name: format!("{first} Lee"),
            emails: Vec::new(),
            phones: Vec::new(),
            handles: Default::default(),
            address: Default::default(),
            company: String::new(),
            birthday: None,
            customer_since: None,
            tags: Vec::new(),
            notes: String::new(),
            consent: Default::default(),
            preferred_channel: None,
            custom: Default::default(),
            lifetime_spend: None,
            orders_count: None,
            last_visit: None,
            first_purchase_at: None,
            last_purchase_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_fuller_the_newer_or_the_owners_pick_stands_and_the_name_shown_follows() {
        let keep = customer(1, "Ann", "2026-01-01T00:00:00Z");
        let mut other = customer(2, "Annie", "2026-02-01T00:00:00Z");
        other.company = "Lee & Co".into();
        let merged = combine(&keep, &other, &Choices::new());
        assert_eq!((merged.first_name.as_str(), merged.display_name.as_str(), merged.company.as_str()), ("Annie", "Annie Lee", "Lee & Co"), "the newer, the fuller");
        let picked = combine(&keep, &other, &Choices::from([("first_name".to_string(), 1)]));
        assert_eq!((picked.first_name.as_str(), picked.display_name.as_str()), ("Ann", "Ann Lee"), "the owner's pick");
        let older = combine(&other, &keep, &Choices::new());
        assert_eq!(older.first_name, "Annie", "the kept one is the newer here");
    }
}
