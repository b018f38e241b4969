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
pub fn list(store: &Store, now: DateTime<Utc>) -> Result<Vec<Segment>> {
    let shop = insight::compute_cached(store, now)?;
    let filters = all_filters(store)?;
    let mut counts = vec![0; filters.len()];
    for (b, i) in &shop.customers {
        for (count, (_, filter, _)) in counts.iter_mut().zip(&filters) {
            *count += usize::from(filter.keeps(b, i));
        }
    }
    Ok(filters.into_iter().zip(counts).map(|((name, filter, built_in), count)| Segment { count, name, filter, built_in }).collect())
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
