//! Segments: saved smart filters over customers' insight and profile ("high-value at risk",
//! "advocates with over 5,000 followers", "lurkers who buy"), counted live, and exported as CSV or
//! as a file Mailchimp imports as an audience (only customers who agreed to email).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::insight::{self, Label, Role, Shop};
use crate::model::CustomerId;
use crate::store::{BaseRow, Store};

/// What a segment keeps: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Labels the customer must all have.
    pub labels: Vec<Label>,
    pub role: Option<Role>,
    /// Lowest spend score (1 to 5).
    pub min_monetary: Option<u8>,
    /// Lowest order-count score (1 to 5).
    pub min_frequency: Option<u8>,
    /// Followers at least.
    pub min_reach: Option<u64>,
    /// Any of these tags.
    pub tags: Vec<String>,
    pub city: Option<String>,
    /// Only those who agreed to email.
    pub email_consent: bool,
}

impl Filter {
    pub fn keeps(&self, b: &BaseRow, i: &insight::Insight) -> bool {
        self.labels.iter().all(|l| i.labels.contains(l))
            && self.role.is_none_or(|r| r == i.role)
            && self.min_monetary.is_none_or(|m| i.value.monetary >= m)
            && self.min_frequency.is_none_or(|f| i.value.frequency >= f)
            && self.min_reach.is_none_or(|r| i.activity.max_reach >= r)
            && (self.tags.is_empty() || self.tags.iter().any(|t| b.tags.iter().any(|bt| bt.eq_ignore_ascii_case(t))))
            && self.city.as_ref().is_none_or(|c| b.city.eq_ignore_ascii_case(c))
            && (!self.email_consent || (b.consent_email == crate::model::ConsentStatus::Yes && b.has_email))
    }
}

/// A segment and how many customers are in it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub name: String,
    pub filter: Filter,
    pub count: usize,
    /// Built in (always there) or saved by the owner.
    pub built_in: bool,
}

/// The segments every shop starts with.
pub fn built_in() -> Vec<(&'static str, Filter)> {
    vec![
        ("High-value at risk", Filter { labels: vec![Label::AtRisk], min_monetary: Some(4), ..Filter::default() }),
        ("Advocates with over 5,000 followers", Filter { labels: vec![Label::Advocate], min_reach: Some(5_000), ..Filter::default() }),
        ("Lurkers who buy", Filter { role: Some(Role::Lurker), min_frequency: Some(1), ..Filter::default() }),
        ("Advocates", Filter { labels: vec![Label::Advocate], ..Filter::default() }),
        ("Detractors", Filter { labels: vec![Label::Detractor], ..Filter::default() }),
        ("New customers", Filter { labels: vec![Label::New], ..Filter::default() }),
    ]
}

fn members<'a>(shop: &'a Shop, filter: &Filter) -> Vec<&'a (BaseRow, insight::Insight)> {
    shop.customers.iter().filter(|(b, i)| filter.keeps(b, i)).collect()
}

fn all_filters(store: &Store) -> Result<Vec<(String, Filter, bool)>> {
    let mut out: Vec<(String, Filter, bool)> = built_in().into_iter().map(|(n, f)| (n.to_string(), f, true)).collect();
    for (name, json) in store.db().segments()? {
        let filter: Filter = serde_json::from_str(&json).map_err(|e| Error::conflict(format!("segment “{name}” cannot be read ({e})")))?;
        out.retain(|(n, _, _)| !n.eq_ignore_ascii_case(&name));
        out.push((name, filter, false));
    }
    Ok(out)
}

/// Every segment with its live count: one pass over the customers for all of them (a chain's
/// insight is larger than the processor's caches, so each pass is a trip through memory).
/// The counts are kept with each customer's memberships, and brought up to date from the customers
/// the insight changed since (`Shop::changed_since`).
pub fn list(store: &Store, now: DateTime<Utc>) -> Result<Vec<Segment>> {
    let shop = insight::compute_cached(store, now)?;
    let filters = all_filters(store)?;
    let mut counted = match COUNTED.latest(store)? {
        Some((_, _, kept)) if kept.filters == filters && filters.len() <= 32 => kept,
        _ => std::sync::Arc::new(Counted::of(&shop, filters)),
    };
    if counted.version != shop.version() {
        COUNTED.forget(store);
        let c = std::sync::Arc::make_mut(&mut counted);
        match shop.changed_since(c.version) {
            Some(who) => c.recount(&shop, &who),
            None => *c = Counted::of(&shop, std::mem::take(&mut c.filters)),
        }
    }
    COUNTED.put(store, 0, counted.clone())?;
    Ok(counted.filters.iter().cloned().zip(&counted.counts).map(|((name, filter, built_in), &count)| Segment { count, name, filter, built_in }).collect())
}

/// Every segment's count, and which segments each customer is in (a bit a segment, in id order).
#[derive(Debug, Clone)]
struct Counted {
    version: (u64, u64),
    filters: Vec<(String, Filter, bool)>,
    ids: Vec<CustomerId>,
    memberships: Vec<u32>,
    counts: Vec<usize>,
}

static COUNTED: crate::cases::memo::Memo<Counted> = crate::cases::memo::Memo::new();

fn memberships(filters: &[(String, Filter, bool)], b: &BaseRow, i: &insight::Insight) -> u32 {
    filters.iter().enumerate().filter(|(_, (_, f, _))| f.keeps(b, i)).fold(0, |m, (k, _)| m | (1 << k))
}

impl Counted {
    /// One pass over the customers for all segments (a chain's insight is larger than the
    /// processor's caches, so each pass is a trip through memory).
    fn of(shop: &Shop, filters: Vec<(String, Filter, bool)>) -> Counted {
        let mut counts = vec![0; filters.len()];
        let memberships: Vec<u32> = shop
            .customers
            .iter()
            .map(|(b, i)| {
                let m = memberships(&filters, b, i);
                for (k, count) in counts.iter_mut().enumerate() {
                    *count += ((m >> k) & 1) as usize;
                }
                m
            })
            .collect();
        let ids = shop.customers.iter().map(|(b, _)| b.id).collect();
        Counted { version: shop.version(), filters, ids, memberships, counts }
    }

    /// Counts these customers again.
    fn recount(&mut self, shop: &Shop, who: &[CustomerId]) {
        let add = |counts: &mut Vec<usize>, m: u32, sign: isize| {
            for (k, count) in counts.iter_mut().enumerate() {
                if (m >> k) & 1 == 1 {
                    *count = count.saturating_add_signed(sign);
                }
            }
        };
        for id in who {
            let now = shop.get(*id).map(|(b, i)| memberships(&self.filters, b, i));
            match (self.ids.binary_search(id), now) {
                (Ok(at), Some(m)) => {
                    add(&mut self.counts, self.memberships[at], -1);
                    add(&mut self.counts, m, 1);
                    self.memberships[at] = m;
                }
                (Ok(at), None) => {
                    add(&mut self.counts, self.memberships[at], -1);
                    self.ids.remove(at);
                    self.memberships.remove(at);
                }
                (Err(at), Some(m)) => {
                    add(&mut self.counts, m, 1);
                    self.ids.insert(at, *id);
                    self.memberships.insert(at, m);
                }
                (Err(_), None) => {}
            }
        }
        self.version = shop.version();
    }
}

/// One segment and the ids of its customers, in name order.
pub fn show(store: &Store, name: &str, now: DateTime<Utc>) -> Result<(Segment, Vec<CustomerId>)> {
    let (name, filter, built_in) = all_filters(store)?
        .into_iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| Error::not_found(format!("there is no segment “{}”", name.trim())))?;
    let ids = matching(store, &filter, now)?;
    Ok((Segment { name, count: ids.len(), filter, built_in }, ids))
}

/// The ids of the customers a filter keeps (a segment's, or one label's), in name order.
pub fn matching(store: &Store, filter: &Filter, now: DateTime<Utc>) -> Result<Vec<CustomerId>> {
    let shop = insight::compute_cached(store, now)?;
    let mut kept: Vec<(String, CustomerId)> = members(&shop, filter).iter().map(|(b, _)| (crate::normalize::fold(&b.display_name), b.id)).collect();
    kept.sort();
    Ok(kept.into_iter().map(|(_, id)| id).collect())
}

/// Who a filter keeps, for the screen: how many, how many of them agreed to email, and the first
/// `limit` of them.
#[derive(Debug, Clone, Serialize)]
pub struct Members {
    pub count: usize,
    pub email_consented: usize,
    pub first: Vec<crate::model::CustomerSummary>,
}

pub fn members_of(store: &Store, filter: &Filter, limit: usize, now: DateTime<Utc>) -> Result<Members> {
    let ids = matching(store, filter, now)?;
    let consented = Filter { email_consent: true, ..filter.clone() };
    let email_consented = matching(store, &consented, now)?.len();
    let first = store.db().summaries(&ids[..ids.len().min(limit)])?;
    Ok(Members { count: ids.len(), email_consented, first })
}

/// Writes the customers a filter keeps: as a newsletter audience (Mailchimp's columns, only those
/// who agreed to email) or as a full spreadsheet (CSV). Returns how many were written.
pub fn export_filtered(store: &Store, filter: &Filter, newsletter: bool, now: DateTime<Utc>, out: &mut dyn Write) -> Result<u64> {
    let ids = matching(store, filter, now)?;
    if newsletter {
        write_audience(store, &ids, out).map(|n| n as u64)
    } else {
        crate::export::write_csv(store, &crate::export::Selection::Ids(ids), out)
    }
}

/// Saves (or replaces) a segment.
pub fn save(store: &mut Store, name: &str, filter: &Filter, now: DateTime<Utc>) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::invalid_field("name", "a segment needs a name of 1 to 80 characters"));
    }
    let json = serde_json::to_string(filter).map_err(|e| Error::invalid_field("filter", e.to_string()))?;
    store.write(|w| w.save_segment(name, &json, now))
}

/// Writes a segment as a Mailchimp audience import: email, first and last name, tags, and only
/// customers who agreed to email. Returns how many were written.
pub fn export_mailchimp(store: &Store, name: &str, now: DateTime<Utc>, out: &mut dyn Write) -> Result<usize> {
    let (_, ids) = show(store, name, now)?;
    write_audience(store, &ids, out)
}

/// These customers as a Mailchimp audience import: only those who agreed to email.
fn write_audience(store: &Store, ids: &[CustomerId], out: &mut dyn Write) -> Result<usize> {
    let customers = store.db().customers(ids)?;
    let io = |e: std::io::Error| Error::io("cannot write the audience file", e);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(["Email Address", "First Name", "Last Name", "Tags"]).map_err(csv_err)?;
    let mut written = 0;
    for c in customers.iter().filter(|c| c.consent.email == crate::model::ConsentStatus::Yes) {
        let Some(email) = c.emails.first() else { continue };
        let tags = c.tags.join(",");
        let cells = [email.as_str(), c.first_name.as_str(), c.last_name.as_str(), tags.as_str()];
        w.write_record(cells.iter().map(|v| crate::export::spreadsheet_safe(v).into_owned())).map_err(csv_err)?;
        written += 1;
    }
    w.flush().map_err(io)?;
    Ok(written)
}

/// What the dashboard draws: the participation pyramid, the segments with their counts, how many
/// customers have each spend score (0 for no purchases, then 1 to 5), and how many carry each label.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub pyramid: insight::Pyramid,
    pub segments: Vec<Segment>,
    pub monetary: [u32; 6],
    pub labels: std::collections::BTreeMap<&'static str, u32>,
}

pub fn dashboard(store: &Store, now: DateTime<Utc>) -> Result<Dashboard> {
    let shop = insight::compute_cached(store, now)?;
    let mut monetary = [0u32; 6];
    let mut labels = std::collections::BTreeMap::new();
    for (_, i) in &shop.customers {
        monetary[i.value.monetary.min(5) as usize] += 1;
        for l in &i.labels {
            *labels.entry(l.as_str()).or_insert(0) += 1;
        }
    }
    Ok(Dashboard { pyramid: shop.pyramid.clone(), segments: list(store, now)?, monetary, labels })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    /// Counts kept and brought up to date from the customers the insight changed equal a count of
    /// everyone, after each of many changes (purchases, messages, new tags, deletions, new
    /// customers) and a saved segment.
    #[test]
    fn counts_kept_up_to_date_equal_a_fresh_count() {
        let mut store = Store::open_in_memory().unwrap();
        let mut now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
        let change = |now| crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() };
        crate::demo::load(&mut store, 300, 3, &change(now)).unwrap();
        let ids = store.db().ids_after(None, 300).unwrap();
        let fresh = |store: &Store, now| Counted::of(&insight::compute(store, now).unwrap(), all_filters(store).unwrap()).counts;
        let counts = |store: &Store, now| list(store, now).unwrap().into_iter().map(|s| s.count).collect::<Vec<_>>();
        assert_eq!(counts(&store, now), fresh(&store, now));
        for k in 0..60usize {
            let who = ids[(k * 37) % ids.len()].1;
            match k % 5 {
                0 => {
                    let draft = crate::model::PurchaseDraft { customer_id: Some(who), at: now.to_rfc3339(), amount: "950.00".into(), ..Default::default() };
                    crate::purchases::add(&mut store, &draft, &change(now)).map(|_| ()).unwrap();
                }
                1 => {
                    let draft = crate::model::TouchpointDraft { customer_id: Some(who), channel: "instagram".into(), kind: "review".into(), text: ["Terrible, broken", "Wonderful, love it"][k % 2].into(), reach: Some(9_000), at: now.to_rfc3339(), ..Default::default() };
                    crate::touchpoints::add(&mut store, &draft, &change(now)).map(|_| ()).unwrap();
                }
                2 => {
                    let _ = crate::customers::delete(&mut store, who, now);
                }
                3 => {
                    crate::customers::create(&mut store, &crate::model::CustomerDraft { first_name: format!("N{k}"), tags: vec!["VIP".into()], ..Default::default() }, &change(now)).unwrap();
                }
                _ => now += Duration::hours(7),
            }
            if k == 30 {
                save(&mut store, "VIPs", &Filter { tags: vec!["vip".into()], ..Filter::default() }, now).unwrap();
            }
            assert_eq!(counts(&store, now), fresh(&store, now), "after change {k}");
        }
    }
}
