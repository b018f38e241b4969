//! Differentiate: who matters how, computed from the data and explained. For every live customer:
//! value (recency, frequency and spend scored 1 to 5 by quintile within the shop, the usual interval
//! between purchases), participation by the 1-9-90 rule over a window (creator, responder, lurker),
//! and labels (advocate, detractor, influencer, super-user, new, active, at risk, lapsed), each with
//! the facts behind it. The whole shop is computed in a few passes over the database against a given
//! `now`; nothing here writes.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::CustomerId;
use crate::store::{BaseRow, Store};

/// The window participation and sentiment labels look back over.
pub const WINDOW_DAYS: i64 = 365;
/// Reach (followers) from which a customer counts as an influencer.
pub const INFLUENCER_REACH: u64 = 5_000;
/// A customer is new for this many days after their first purchase (or, with none, being added).
pub const NEW_DAYS: i64 = 30;

/// Value from purchases: each score is 1 (lowest fifth of the shop) to 5 (highest), 0 with no data.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Value {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
    /// The three scores as one code, "545".
    pub rfm: Rfm,
    pub days_since_purchase: Option<i64>,
    pub orders: u32,
    pub spend: f64,
    /// Median days between their purchases (two or more purchases).
    pub usual_interval_days: Option<f64>,
}

/// The three value scores as one code ("545"; "000" with no purchases), held in three bytes and
/// written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfm([u8; 3]);

impl Rfm {
    pub fn new(recency: u8, frequency: u8, monetary: u8) -> Rfm {
        Rfm([recency, frequency, monetary].map(|s| b'0' + s.min(9)))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("000")
    }
}

impl Default for Rfm {
    fn default() -> Rfm {
        Rfm(*b"000")
    }
}

impl Serialize for Rfm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A customer's labels, as a set (of eight, one bit each), in the labels' order; written as a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Labels(u8);

impl Labels {
    pub fn contains(&self, label: &Label) -> bool {
        self.0 & (1 << *label as u8) != 0
    }

    pub fn iter(&self) -> LabelsIter {
        LabelsIter { labels: *self, next: 0 }
    }
}

impl FromIterator<Label> for Labels {
    fn from_iter<I: IntoIterator<Item = Label>>(labels: I) -> Labels {
        Labels(labels.into_iter().fold(0, |bits, l| bits | 1 << l as u8))
    }
}

/// The labels of a set, in their order.
pub struct LabelsIter {
    labels: Labels,
    next: usize,
}

impl Iterator for LabelsIter {
    type Item = Label;

    fn next(&mut self) -> Option<Label> {
        let found = Label::ALL[self.next.min(Label::ALL.len())..].iter().position(|l| self.labels.contains(l))?;
        let label = Label::ALL[self.next + found];
        self.next += found + 1;
        Some(label)
    }
}

impl IntoIterator for &Labels {
    type Item = Label;
    type IntoIter = LabelsIter;
    fn into_iter(self) -> LabelsIter {
        self.iter()
    }
}

impl Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Participation by the 1-9-90 rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes reviews and posts about the shop.
    Creator,
    /// Comments, shares, answers, mentions.
    Responder,
    /// Buys or reads, but says nothing in public.
    Lurker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Advocate,
    Detractor,
    Influencer,
    SuperUser,
    New,
    Active,
    AtRisk,
    Lapsed,
}

impl Label {
    /// Every label, in their order.
    pub const ALL: [Label; 8] =
        [Label::Advocate, Label::Detractor, Label::Influencer, Label::SuperUser, Label::New, Label::Active, Label::AtRisk, Label::Lapsed];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Advocate => "advocate",
            Label::Detractor => "detractor",
            Label::Influencer => "influencer",
            Label::SuperUser => "super_user",
            Label::New => "new",
            Label::Active => "active",
            Label::AtRisk => "at_risk",
            Label::Lapsed => "lapsed",
        }
    }
}

/// What a customer did in the window, in counts: the facts the labels stand on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub positive: u32,
    pub negative: u32,
    pub created: u32,
    pub responded: u32,
    /// Times they answered another customer.
    pub answers: u32,
    pub max_reach: u64,
    pub referrals: u32,
    pub best_rating: Option<u8>,
    /// Their latest answer to another customer: (touchpoint id, channel).
    pub last_answer: Option<(i64, String)>,
}

/// One customer, differentiated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insight {
    pub customer_id: CustomerId,
    pub value: Value,
    pub role: Role,
    pub labels: Labels,
    pub activity: Activity,
    /// One per label, with figures: why it was given.
    pub reasons: Vec<Reason>,
}

/// The shop's participation pyramid against the 1/9/90 reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pyramid {
    pub creators: u32,
    pub responders: u32,
    pub lurkers: u32,
}

/// The whole shop, differentiated.
#[derive(Debug, Clone, Default)]
pub struct Shop {
    pub customers: Vec<(BaseRow, Insight)>,
    pub pyramid: Pyramid,
    /// The shop's median interval between purchases, for customers with one purchase.
    pub shop_interval_days: f64,
    /// Customers who have bought in the shop itself (marketing may reach them in person).
    pub in_store: std::collections::HashSet<CustomerId>,
    /// The customers' ids, in the same (id) order: searched instead of the customers themselves,
    /// whose size makes every step of a search a cache miss.
    ids: Vec<CustomerId>,
}

impl Shop {
    pub fn get(&self, id: CustomerId) -> Option<&(BaseRow, Insight)> {
        self.ids.binary_search(&id).ok().map(|i| &self.customers[i])
    }
}

const PUBLIC: &[&str] = &["instagram", "facebook", "tiktok", "x", "youtube", "google_reviews", "community", "website"];

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// Quintile cut points of `values` (those present): a value scores 1 + how many cuts it passes.
fn quintile_cuts(mut values: Vec<f64>) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    values.sort_by(f64::total_cmp);
    (1..5).map(|q| values[(q * values.len() / 5).min(values.len() - 1)]).collect()
}

fn score(value: f64, cuts: &[f64]) -> u8 {
    1 + cuts.iter().filter(|&&c| value >= c).count() as u8
}

/// Each customer's activity since `since`, from the touchpoint roll-up, by customer id.
fn activity_since(db: &crate::store::Db<'_>, since: DateTime<Utc>) -> Result<Vec<(CustomerId, Activity)>> {
    let mut activity: Vec<(CustomerId, Activity)> = Vec::new();
    db.touchpoint_rollups(since, |r| {
        // The roll-up comes grouped by customer in id order (its index's order): one entry per
        // customer, appended, with no hashing. Should a plan ever differ, it still comes out right.
        let at = match activity.last() {
            Some((last, _)) if *last == r.customer_id => activity.len() - 1,
            Some((last, _)) if *last > r.customer_id => match activity.binary_search_by_key(&r.customer_id, |a| a.0) {
                Ok(i) => i,
                Err(i) => {
                    activity.insert(i, (r.customer_id, Activity::default()));
                    i
                }
            },
            _ => {
                activity.push((r.customer_id, Activity::default()));
                activity.len() - 1
            }
        };
        let a = &mut activity[at].1;
        let rated_positive = r.max_rating.is_some_and(|s| s >= 4);
        match r.label {
            "positive" => a.positive += r.count,
            "negative" => a.negative += r.count,
            _ if rated_positive => a.positive += r.count,
            _ => {}
        }
        if PUBLIC.contains(&r.channel) {
            match r.kind {
                "review" | "post" => a.created += r.count,
                "comment" | "share" | "answer" | "mention" | "question" | "complaint" => a.responded += r.count,
                _ => {}
            }
        }
        if r.kind == "answer" {
            a.answers += r.count;
            if a.last_answer.as_ref().is_none_or(|(id, _)| r.last_id > *id) {
                a.last_answer = Some((r.last_id, r.channel.to_string()));
            }
        }
        a.max_reach = a.max_reach.max(r.max_reach);
        a.best_rating = a.best_rating.max(r.max_rating);
    })?;
    Ok(activity)
}

/// Differentiates every live customer as of `now`.
pub fn compute(store: &Store, now: DateTime<Utc>) -> Result<Shop> {
    let since = now - Duration::days(WINDOW_DAYS);
    // The touchpoint roll-up (the largest read) and the purchase times run on read-only
    // connections of their own, on other threads, while this one reads the customers. Outside a
    // transaction all of them see the same committed data; inside one (or in memory) it all
    // runs here.
    std::thread::scope(|scope| {
        let reader = store.parallel_reader().filter(|_| store.db().autocommit());
        let rollup = reader.clone().map(|reader| scope.spawn(move || activity_since(&reader.open()?.db(), since)));
        let purchases = reader.map(|reader| scope.spawn(move || reader.open()?.db().purchase_times()));
        compute_with(store, now, since, rollup, purchases)
    })
}

type Pending<'scope, T> = Option<std::thread::ScopedJoinHandle<'scope, Result<T>>>;

fn joined<T>(pending: Pending<'_, T>, here: impl FnOnce() -> Result<T>) -> Result<T> {
    match pending {
        Some(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        None => here(),
    }
}

// One piece: the shop's insight in its passes (purchases, intervals, activity, quintiles, one row per customer), which share their tables.
fn compute_with(
    store: &Store,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
    rollup: Pending<'_, Vec<(CustomerId, Activity)>>,
    purchases: Pending<'_, Vec<(CustomerId, i64, bool)>>,
) -> Result<Shop> {
    let db = store.db();
    let base = db.insight_customers()?;

    // Purchase intervals, per customer, from the purchase times (sorted by customer, then time).
    let mut intervals: HashMap<CustomerId, Vec<f64>> = HashMap::new();
    let mut all_intervals = Vec::new();
    let times = joined(purchases, || db.purchase_times())?;
    let in_store = times.iter().filter(|p| p.2).map(|p| p.0).collect();
    for pair in times.windows(2) {
        if pair[0].0 == pair[1].0 {
            let days = (pair[1].1 - pair[0].1) as f64 / 86_400.0;
            if days >= 1.0 {
                intervals.entry(pair[0].0).or_default().push(days);
                all_intervals.push(days);
            }
        }
    }
    let shop_interval_days = median(&mut all_intervals).unwrap_or(90.0).max(7.0);

    let mut activity = joined(rollup, || activity_since(&db, since))?;
    for (id, n) in db.referral_counts()? {
        match activity.binary_search_by_key(&id, |a| a.0) {
            Ok(i) => activity[i].1.referrals = n,
            Err(i) => activity.insert(i, (id, Activity { referrals: n, ..Activity::default() })),
        }
    }
    let mut activity = activity.into_iter().peekable();

    // Raw value figures, then the shop's quintiles.
    let raw: Vec<(Option<i64>, f64, f64)> = base
        .iter()
        .map(|b| {
            let days = b.last_purchase.map(|t| (now - t).num_days().max(0));
            (days, b.orders.unwrap_or(0).max(0) as f64, b.spend_cents.unwrap_or(0).max(0) as f64 / 100.0)
        })
        .collect();
    let bought = |r: &&(Option<i64>, f64, f64)| r.1 > 0.0 || r.2 > 0.0;
    let recency_cuts = quintile_cuts(raw.iter().filter(bought).filter_map(|r| r.0.map(|d| -(d as f64))).collect());
    let frequency_cuts = quintile_cuts(raw.iter().filter(bought).map(|r| r.1).collect());
    let monetary_cuts = quintile_cuts(raw.iter().filter(bought).map(|r| r.2).collect());

    let mut pyramid = Pyramid::default();
    let customers: Vec<(BaseRow, Insight)> = base
        .into_iter()
        .zip(raw)
        .map(|(b, (days, orders, spend))| {
            let has_value = orders > 0.0 || spend > 0.0;
            let usual = intervals.get_mut(&b.id).and_then(|v| median(v));
            let value = if has_value {
                let r = days.map_or(0, |d| score(-(d as f64), &recency_cuts));
                let f = score(orders, &frequency_cuts);
                let m = score(spend, &monetary_cuts);
                Value {
                    recency: r,
                    frequency: f,
                    monetary: m,
                    rfm: Rfm::new(r, f, m),
                    days_since_purchase: days,
                    orders: orders as u32,
                    spend,
                    usual_interval_days: usual.map(|u| (u * 10.0).round() / 10.0),
                }
            } else {
                Value { days_since_purchase: days, ..Value::default() }
            };
            // Both in id order: walk along.
            while activity.next_if(|(id, _)| *id < b.id).is_some() {}
            let a = activity.next_if(|(id, _)| *id == b.id).map(|(_, a)| a).unwrap_or_default();
            let role = if a.created > 0 {
                Role::Creator
            } else if a.responded > 0 {
                Role::Responder
            } else {
                Role::Lurker
            };
            match role {
                Role::Creator => pyramid.creators += 1,
                Role::Responder => pyramid.responders += 1,
                Role::Lurker => pyramid.lurkers += 1,
            }
            let (labels, reasons) = labels(&b, &value, &a, usual, shop_interval_days, now);
            let labels = labels.into_iter().collect();
            let insight = Insight { customer_id: b.id, value, role, labels, activity: a, reasons };
            (b, insight)
        })
        .collect();
    let ids = customers.iter().map(|(b, _)| b.id).collect();
    Ok(Shop { customers, pyramid, shop_interval_days, in_store, ids })
}

/// Why a label was given, with its figures: shown as one sentence ("at risk: usually buys every
/// 30 days; nothing for 75 days"). Kept as its figures (the insight of a chain's every customer is
/// held in memory), written out when shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    Advocate { positive: u32, referrals: u32 },
    Detractor { negative: u32, positive: u32 },
    Influencer { reach: u64 },
    SuperUser { answers: u32 },
    New { bought: bool },
    /// `usual`: their own usual interval between purchases, if known, else the shop's (`shop`).
    Lapsed { usual: Option<f64>, shop: f64, days: i64 },
    AtRisk { usual: Option<f64>, shop: f64, days: i64 },
}

impl Reason {
    /// The sentence after its label ("usually buys every 30 days; nothing for 75 days").
    pub fn detail(&self) -> String {
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        let how = |usual: &Option<f64>, shop: &f64| match usual {
            Some(u) => format!("usually buys every {u:.0} days"),
            None => format!("the shop's customers usually come back within {shop:.0} days"),
        };
        match self {
            Reason::Advocate { positive, referrals } => {
                let referred = if *referrals > 0 { format!(" and referred {referrals} customer{}", plural(*referrals)) } else { String::new() };
                format!("{positive} positive message{} in the last year{referred}", plural(*positive))
            }
            Reason::Detractor { negative, positive } => format!("{negative} negative and {positive} positive messages in the last year"),
            Reason::Influencer { reach } => format!("{reach} followers"),
            Reason::SuperUser { answers } => format!("answered other customers {answers} times"),
            Reason::New { bought } => format!("{} in the last {NEW_DAYS} days", if *bought { "first purchase" } else { "added" }),
            Reason::Lapsed { usual, shop, days } | Reason::AtRisk { usual, shop, days } => format!("{}; nothing for {days} days", how(usual, shop)),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Reason::Advocate { .. } => "advocate",
            Reason::Detractor { .. } => "detractor",
            Reason::Influencer { .. } => "influencer",
            Reason::SuperUser { .. } => "super-user",
            Reason::New { .. } => "new",
            Reason::Lapsed { .. } => "lapsed",
            Reason::AtRisk { .. } => "at risk",
        }
    }

    /// The label it explains.
    pub fn label(&self) -> Label {
        match self {
            Reason::Advocate { .. } => Label::Advocate,
            Reason::Detractor { .. } => Label::Detractor,
            Reason::Influencer { .. } => Label::Influencer,
            Reason::SuperUser { .. } => Label::SuperUser,
            Reason::New { .. } => Label::New,
            Reason::Lapsed { .. } => Label::Lapsed,
            Reason::AtRisk { .. } => Label::AtRisk,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name(), self.detail())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn labels(b: &BaseRow, v: &Value, a: &Activity, usual: Option<f64>, shop_interval: f64, now: DateTime<Utc>) -> (Vec<Label>, Vec<Reason>) {
    let mut labels = Vec::new();
    let mut reasons = Vec::new();
    let positive = a.positive + a.referrals;
    if positive >= 2 && positive >= 2 * a.negative {
        labels.push(Label::Advocate);
        reasons.push(Reason::Advocate { positive: a.positive, referrals: a.referrals });
    }
    if a.negative >= 1 && a.negative > a.positive {
        labels.push(Label::Detractor);
        reasons.push(Reason::Detractor { negative: a.negative, positive: a.positive });
    }
    if a.max_reach >= INFLUENCER_REACH {
        labels.push(Label::Influencer);
        reasons.push(Reason::Influencer { reach: a.max_reach });
    }
    if a.answers >= 2 {
        labels.push(Label::SuperUser);
        reasons.push(Reason::SuperUser { answers: a.answers });
    }
    let (first, created) = (b.first_purchase, b.since);
    // Someone imported with a history (orders, spend, a last visit) is no new customer, whenever
    // they were added.
    let history = v.orders > 0 || v.spend > 0.0 || b.last_purchase.is_some();
    let is_new = match first {
        Some(t) => now - t <= Duration::days(NEW_DAYS),
        None => !history && created.is_some_and(|t| now - t <= Duration::days(NEW_DAYS)),
    };
    if is_new {
        labels.push(Label::New);
        reasons.push(Reason::New { bought: first.is_some() });
    }
    if let Some(days) = v.days_since_purchase.filter(|_| v.orders > 0) {
        let interval = usual.unwrap_or(shop_interval);
        let lapsed_after = (4.0 * interval).max(365.0);
        let risk_after = (2.0 * interval).max(interval + 30.0);
        if days as f64 > lapsed_after {
            labels.push(Label::Lapsed);
            reasons.push(Reason::Lapsed { usual, shop: shop_interval, days });
        } else if days as f64 > risk_after {
            labels.push(Label::AtRisk);
            reasons.push(Reason::AtRisk { usual, shop: shop_interval, days });
        } else if !is_new {
            labels.push(Label::Active);
        }
    }
    labels.sort();
    (labels, reasons)
}

/// Records that `referrer` brought `referred` to the shop (one referrer per customer).
pub fn set_referral(store: &mut Store, referred: CustomerId, referrer: CustomerId, at: DateTime<Utc>, source: &str) -> Result<()> {
    if referred == referrer {
        return Err(crate::error::Error::invalid_field("referrer", "a customer cannot refer themselves"));
    }
    crate::customers::get(store, referred)?;
    crate::customers::get(store, referrer)?;
    store.write(|w| w.set_referral(referred, referrer, at, source))
}

/// The shop's insight as of `now`, reused while nothing changed in the database and `now` is in the
/// same minute (the Today screen, segments and profiles all ask for it).
pub fn compute_cached(store: &Store, now: DateTime<Utc>) -> Result<std::sync::Arc<Shop>> {
    KEPT.get_or(store, now.timestamp().div_euclid(60) as u64, |s| compute(s, now))
}

/// The insight last computed for each store (see `cases::memo`).
pub(crate) static KEPT: crate::cases::memo::Memo<Shop> = crate::cases::memo::Memo::new();

/// Whether the insight as of `now` is kept (`compute_cached` will not compute it).
pub fn is_cached(store: &Store, now: DateTime<Utc>) -> bool {
    KEPT.get(store, now.timestamp().div_euclid(60) as u64).is_ok_and(|kept| kept.is_some())
}

/// One customer's insight (computed with the whole shop, since scores are relative to it).
pub fn of_customer(store: &Store, id: CustomerId, now: DateTime<Utc>) -> Result<Option<Insight>> {
    Ok(compute_cached(store, now)?.get(id).map(|(_, i)| i.clone()))
}

/// A customer as the command line and any other reader of JSON sees them: every stored field, the
/// consent history, and (when the shop's insight has them) their value, role, labels and why.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerDocument {
    #[serde(flatten)]
    pub customer: crate::model::Customer,
    pub consent_history: Vec<crate::model::ConsentEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_reasons: Option<Vec<Reason>>,
}

/// One customer's document (see `CustomerDocument`), judged as of `now`.
pub fn document(store: &Store, customer: crate::model::Customer, now: DateTime<Utc>) -> Result<CustomerDocument> {
    let consent_history = store.db().consent_history(customer.id)?;
    let insight = of_customer(store, customer.id, now)?;
    Ok(CustomerDocument {
        consent_history,
        value: insight.as_ref().map(|i| i.value.clone()),
        role: insight.as_ref().map(|i| i.role),
        labels: insight.as_ref().map(|i| i.labels),
        label_reasons: insight.map(|i| i.reasons),
        customer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_scores_are_held_small_and_written_as_before() {
        let labels: Labels = [Label::Lapsed, Label::Advocate, Label::Influencer].into_iter().collect();
        assert!(labels.contains(&Label::Advocate) && !labels.contains(&Label::Detractor));
        assert_eq!(labels.iter().collect::<Vec<_>>(), vec![Label::Advocate, Label::Influencer, Label::Lapsed], "in the labels' order");
        assert_eq!(serde_json::to_string(&labels).unwrap(), r#"["advocate","influencer","lapsed"]"#);
        assert_eq!(serde_json::to_string(&Labels::default()).unwrap(), "[]");
        let every: Labels = Label::ALL.into_iter().collect();
        assert_eq!(every.iter().count(), 8);
        assert_eq!(serde_json::to_string(&Rfm::new(5, 4, 3)).unwrap(), r#""543""#);
        assert_eq!(Value::default().rfm.as_str(), "000");
        let reason = Reason::AtRisk { usual: Some(29.6), shop: 90.0, days: 75 };
        assert_eq!(reason.to_string(), "at risk: usually buys every 30 days; nothing for 75 days");
        assert_eq!(serde_json::to_value(Reason::Advocate { positive: 1, referrals: 2 }).unwrap(), "advocate: 1 positive message in the last year and referred 2 customers");
        assert!(std::mem::size_of::<(BaseRow, Insight)>() <= 400, "{} bytes a customer, before their texts", std::mem::size_of::<(BaseRow, Insight)>());
    }
}
