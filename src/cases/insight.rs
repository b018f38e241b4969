//! Differentiate: who matters how, computed from the data and explained. For every live customer:
//! value (recency, frequency and spend scored 1 to 5 by quintile within the shop, the usual interval
//! between purchases), participation by the 1-9-90 rule over a window (creator, responder, lurker),
//! and labels (advocate, detractor, influencer, super-user, new, active, at risk, lapsed), each with
//! the facts behind it. The whole shop is computed in a few passes over the database against a given
//! `now`, and once computed is brought up to date customer by customer from the store's notes of
//! changed customers and the moments time alone changes someone's figures (`update`); nothing here
//! writes.

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
    /// What the figures stand on, kept to bring them up to date (`update`).
    basis: Basis,
    /// Who each update changed, for those who keep counts of their own (`Shop::changed_since`).
    log: Log,
}

/// The customers each of a shop's last updates changed (`EVERYONE`: everyone was scored again).
#[derive(Debug, Clone, Default)]
struct Log {
    /// Which computation from scratch the shop comes from (each has a number of its own).
    epoch: u64,
    /// How many updates changed something since.
    seq: u64,
    /// The last updates' changes, by their number.
    last: std::collections::VecDeque<(u64, Vec<CustomerId>)>,
}

/// Numbers each computation from scratch.
static EPOCHS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
/// How many updates the log keeps.
const LOGGED: usize = 64;
const EVERYONE: CustomerId = 0;

/// What a shop's insight was computed from, beyond each customer's own row: the moment, each
/// customer's purchase intervals, the next moment time alone changes their insight, and the
/// quintiles. Held small (the app keeps it for every customer): the shop-wide figures are taken
/// again from the customers when something changes, not kept sorted.
#[derive(Debug, Clone, Default, PartialEq)]
struct Basis {
    as_of: DateTime<Utc>,
    /// The notes of changed customers it covers, up to this one (`Db::changes_mark`).
    mark: i64,
    /// Per customer (in `Shop::customers` order): their intervals between purchases, in seconds
    /// (held small: a chain has millions).
    intervals: Vec<Box<[i32]>>,
    /// Per customer: from this moment (unix seconds) on, time alone may have changed their
    /// insight (a day more since their last purchase, no longer new, a message out of the window).
    changes_at: Vec<i64>,
    cuts: Cuts,
}

/// The shop's quintile cut points of recency, frequency and spend.
#[derive(Debug, Clone, Default, PartialEq)]
struct Cuts {
    recency: Vec<f64>,
    frequency: Vec<f64>,
    monetary: Vec<f64>,
}

impl Cuts {
    /// The cuts of the customers with value (`raws`): minus the days since their last purchase
    /// (when known), orders, spend.
    fn of(raws: impl Iterator<Item = Raw>) -> Cuts {
        let (mut recency, mut frequency, mut monetary) = (Vec::new(), Vec::new(), Vec::new());
        for (r, f, m) in raws.filter_map(|r| r.keys()) {
            recency.extend(r);
            frequency.push(f);
            monetary.push(m);
        }
        Cuts { recency: quintile_cuts(&mut recency), frequency: quintile_cuts(&mut frequency), monetary: quintile_cuts(&mut monetary) }
    }
}

impl Shop {
    pub fn get(&self, id: CustomerId) -> Option<&(BaseRow, Insight)> {
        self.ids.binary_search(&id).ok().map(|i| &self.customers[i])
    }

    /// Where the shop stands: its computation from scratch, and how many updates since.
    pub(crate) fn version(&self) -> (u64, u64) {
        (self.log.epoch, self.log.seq)
    }

    /// The customers whose row or insight changed since `version` (each once, in id order); none
    /// when that is not known (another computation from scratch, too long ago, or everyone).
    pub(crate) fn changed_since(&self, version: (u64, u64)) -> Option<Vec<CustomerId>> {
        if version.0 != self.log.epoch || version.1 > self.log.seq {
            return None;
        }
        if version.1 == self.log.seq {
            return Some(Vec::new());
        }
        if self.log.last.front().is_none_or(|(first, _)| *first > version.1 + 1) {
            return None;
        }
        let mut who: Vec<CustomerId> = self.log.last.iter().filter(|(n, _)| *n > version.1).flat_map(|(_, ids)| ids.iter().copied()).collect();
        who.sort_unstable();
        who.dedup();
        (who.first() != Some(&EVERYONE)).then_some(who)
    }

    /// Where a customer is in `customers`.
    pub(crate) fn position(&self, id: CustomerId) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// Per customer (in `customers` order): the moment (unix seconds) from which time alone may
    /// change their insight.
    pub(crate) fn moments(&self) -> &[i64] {
        &self.basis.changes_at
    }

    /// What every customer's insight shares (the quintiles and the usual interval): while it is the
    /// same, a customer whose rows did not change and whose moment has not come has the same insight.
    pub(crate) fn shared(&self) -> Shared {
        Shared { cuts: self.basis.cuts.clone(), interval_days: self.shop_interval_days }
    }
}

/// See `Shop::shared`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Shared {
    cuts: Cuts,
    interval_days: f64,
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

/// The value at place `k` were `values` sorted (they are reordered).
fn nth<T: Ord + Copy>(values: &mut [T], k: usize) -> T {
    *values.select_nth_unstable(k).1
}

/// The median of intervals in seconds (reordered), in days.
fn median_days(values: &mut [i32]) -> Option<f64> {
    let n = values.len();
    let days = |s: i32| f64::from(s) / 86_400.0;
    (n > 0).then(|| if n % 2 == 1 { days(nth(values, n / 2)) } else { (days(nth(values, n / 2 - 1)) + days(nth(values, n / 2))) / 2.0 })
}

/// Quintile cut points of `values` (reordered): a value scores 1 + how many cuts it passes.
fn quintile_cuts(values: &mut [i64]) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    (1..5).map(|q| nth(values, (q * values.len() / 5).min(values.len() - 1)) as f64).collect()
}

fn score(value: f64, cuts: &[f64]) -> u8 {
    1 + cuts.iter().filter(|&&c| value >= c).count() as u8
}

/// Each customer's activity since `since` (of `only` these, or everyone), from the touchpoint
/// roll-up and the referrals, by customer id, with the time of their earliest message in it.
fn activity_since(db: &crate::store::Db<'_>, since: DateTime<Utc>, only: Option<&[CustomerId]>) -> Result<Vec<(CustomerId, Activity, i64)>> {
    let mut activity: Vec<(CustomerId, Activity, i64)> = Vec::new();
    db.touchpoint_rollups(since, only, |r| {
        // The roll-up comes grouped by customer in id order (its index's order): one entry per
        // customer, appended, with no hashing. Should a plan ever differ, it still comes out right.
        let at = match activity.last() {
            Some((last, _, _)) if *last == r.customer_id => activity.len() - 1,
            Some((last, _, _)) if *last > r.customer_id => match activity.binary_search_by_key(&r.customer_id, |a| a.0) {
                Ok(i) => i,
                Err(i) => {
                    activity.insert(i, (r.customer_id, Activity::default(), i64::MAX));
                    i
                }
            },
            _ => {
                activity.push((r.customer_id, Activity::default(), i64::MAX));
                activity.len() - 1
            }
        };
        activity[at].2 = activity[at].2.min(r.first_at);
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
    for (id, n) in db.referral_counts(only)? {
        match activity.binary_search_by_key(&id, |a| a.0) {
            Ok(i) => activity[i].1.referrals = n,
            Err(i) => activity.insert(i, (id, Activity { referrals: n, ..Activity::default() }, i64::MAX)),
        }
    }
    Ok(activity)
}

/// Differentiates every live customer as of `now`.
pub fn compute(store: &Store, now: DateTime<Utc>) -> Result<Shop> {
    let since = now - Duration::days(WINDOW_DAYS);
    // The touchpoint roll-up (the largest read) and the purchase times run on read-only
    // connections of their own, on other threads, while this one reads the customers. Outside a
    // transaction all of them see the same committed data; inside one (or in memory) it all
    // runs here.
    // What is noted from here on is brought in by the next update, even if this pass saw it too.
    let mark = store.db().changes_mark()?;
    std::thread::scope(|scope| {
        let reader = store.parallel_reader().filter(|_| store.db().autocommit());
        let rollup = reader.clone().map(|reader| scope.spawn(move || activity_since(&reader.open()?.db(), since, None)));
        let purchases = reader.map(|reader| scope.spawn(move || reader.open()?.db().purchase_times(None)));
        let db = store.db();
        let base = db.insight_customers(None)?;
        let times = joined(purchases, || db.purchase_times(None))?;
        let activity = joined(rollup, || activity_since(&db, since, None))?;
        let mut shop = build(base, &times, activity, now);
        shop.basis.mark = mark;
        Ok(shop)
    })
}

type Pending<'scope, T> = Option<std::thread::ScopedJoinHandle<'scope, Result<T>>>;

fn joined<T>(pending: Pending<'_, T>, here: impl FnOnce() -> Result<T>) -> Result<T> {
    match pending {
        Some(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        None => here(),
    }
}

/// One customer's purchase figures, before the shop's quintiles score them.
#[derive(Debug, Clone, Copy)]
struct Raw {
    days: Option<i64>,
    orders: i64,
    cents: i64,
}

impl Raw {
    fn of(b: &BaseRow, now: DateTime<Utc>) -> Raw {
        Raw { days: b.last_purchase.map(|t| (now - t).num_days().max(0)), orders: b.orders.unwrap_or(0).max(0), cents: b.spend_cents.unwrap_or(0).max(0) }
    }

    fn has_value(&self) -> bool {
        self.orders > 0 || self.cents > 0
    }

    /// What the quintiles are taken from (customers with value only): minus the days since their
    /// last purchase (when known), orders, spend.
    fn keys(&self) -> Option<(Option<i64>, i64, i64)> {
        self.has_value().then(|| (self.days.map(|d| -d), self.orders, self.cents))
    }
}

/// The intervals of at least a day between one customer's purchase times, in seconds (at most
/// 68 years).
fn intervals_of(times: &[(CustomerId, i64, bool)]) -> Box<[i32]> {
    times.windows(2).map(|p| (p[1].1 - p[0].1).min(i64::from(i32::MAX)) as i32).filter(|&s| s >= 86_400).collect()
}

/// One customer's insight, against the shop's cuts and usual interval.
fn insight_of(b: &BaseRow, raw: Raw, intervals: &[i32], activity: Activity, cuts: &Cuts, shop_interval: f64, now: DateTime<Utc>) -> Insight {
    let usual = median(&mut intervals.iter().map(|&s| f64::from(s) / 86_400.0).collect::<Vec<_>>());
    let value = if raw.has_value() {
        let r = raw.days.map_or(0, |d| score(-(d as f64), &cuts.recency));
        let f = score(raw.orders as f64, &cuts.frequency);
        let m = score(raw.cents as f64, &cuts.monetary);
        Value {
            recency: r,
            frequency: f,
            monetary: m,
            rfm: Rfm::new(r, f, m),
            days_since_purchase: raw.days,
            orders: raw.orders as u32,
            spend: raw.cents as f64 / 100.0,
            usual_interval_days: usual.map(|u| (u * 10.0).round() / 10.0),
        }
    } else {
        Value { days_since_purchase: raw.days, ..Value::default() }
    };
    let role = if activity.created > 0 {
        Role::Creator
    } else if activity.responded > 0 {
        Role::Responder
    } else {
        Role::Lurker
    };
    let (labels, reasons) = labels(b, &value, &activity, usual, shop_interval, now);
    Insight { customer_id: b.id, value, role, labels: labels.into_iter().collect(), activity, reasons }
}

/// From when (unix seconds) time alone may change a customer's insight computed at `now`: a day
/// more since their last purchase, the end of their new days, their earliest message in the
/// window leaving it. Never later than the truth; earlier only costs a needless recompute.
fn changes_at(b: &BaseRow, raw: Raw, first_message: i64, now: DateTime<Utc>) -> i64 {
    let day = 86_400;
    let mut at = i64::MAX;
    if let (Some(t), Some(d)) = (b.last_purchase, raw.days) {
        at = at.min(t.timestamp() + (d + 1) * day);
    }
    for t in [b.first_purchase, b.since].into_iter().flatten() {
        let ends = t.timestamp() + NEW_DAYS * day;
        if ends >= now.timestamp() {
            at = at.min(ends);
        }
    }
    if first_message != i64::MAX {
        at = at.min(first_message + WINDOW_DAYS * day);
    }
    at
}

fn count_role(pyramid: &mut Pyramid, role: Role, by: i32) {
    let slot = match role {
        Role::Creator => &mut pyramid.creators,
        Role::Responder => &mut pyramid.responders,
        Role::Lurker => &mut pyramid.lurkers,
    };
    *slot = slot.saturating_add_signed(by);
}

/// The shop's usual interval: the median of every customer's intervals, at least a week (three
/// months when nobody has bought twice).
fn shop_interval<'a>(intervals: impl Iterator<Item = &'a [i32]>) -> f64 {
    let mut all: Vec<i32> = intervals.flat_map(|i| i.iter().copied()).collect();
    median_days(&mut all).unwrap_or(90.0).max(7.0)
}

/// The shop's insight from every customer's row, purchase times (by customer, then time) and
/// activity (by customer).
fn build(base: Vec<BaseRow>, times: &[(CustomerId, i64, bool)], activity: Vec<(CustomerId, Activity, i64)>, now: DateTime<Utc>) -> Shop {
    let in_store = times.iter().filter(|p| p.2).map(|p| p.0).collect();
    let mut basis = Basis { as_of: now, ..Basis::default() };
    let mut at = 0;
    for b in &base {
        // Both in id order: walk along.
        let from = at + times[at..].partition_point(|t| t.0 < b.id);
        at = from + times[from..].partition_point(|t| t.0 == b.id);
        basis.intervals.push(intervals_of(&times[from..at]));
    }
    let raws: Vec<Raw> = base.iter().map(|b| Raw::of(b, now)).collect();
    basis.cuts = Cuts::of(raws.iter().copied());
    let shop_interval_days = shop_interval(basis.intervals.iter().map(|i| &i[..]));
    let mut pyramid = Pyramid::default();
    let mut activity = activity.into_iter().peekable();
    let mut customers = Vec::with_capacity(base.len());
    for ((b, raw), intervals) in base.into_iter().zip(raws).zip(&basis.intervals) {
        while activity.next_if(|(id, _, _)| *id < b.id).is_some() {}
        let (a, first) = activity.next_if(|(id, _, _)| *id == b.id).map_or((Activity::default(), i64::MAX), |(_, a, f)| (a, f));
        let insight = insight_of(&b, raw, intervals, a, &basis.cuts, shop_interval_days, now);
        count_role(&mut pyramid, insight.role, 1);
        basis.changes_at.push(changes_at(&b, raw, first, now));
        customers.push((b, insight));
    }
    let ids = customers.iter().map(|(b, _)| b.id).collect();
    let log = Log { epoch: EPOCHS.fetch_add(1, std::sync::atomic::Ordering::Relaxed), ..Log::default() };
    Shop { customers, pyramid, shop_interval_days, in_store, ids, basis, log }
}

/// How many customers may have changed, at most, for `update` to bring the insight up to date
/// rather than compute it afresh (one in twenty: past that, one pass over everything is quicker).
fn most_to_update(customers: usize) -> usize {
    1_000.max(customers / 20)
}

/// Brings `shop` (computed at an earlier moment) up to `now`: the customers noted as changed since
/// (by any connection: `Db::changed_since`), and those whose insight time alone has changed, are
/// computed again; the shop-wide quintiles and usual interval follow, and only when they move is
/// everyone scored or labelled again. The result equals `compute(store, now)`. Returns false,
/// changing nothing, when computing afresh is the better way (time ran backwards, too much
/// changed, or the notes since were let go of).
// One piece: the update in its passes (who, their rows, out with the old, in with the new, the shop-wide figures, everyone again if they moved), which share the shop's tables.
fn update(shop: &mut Shop, store: &Store, now: DateTime<Utc>) -> Result<bool> {
    let most = most_to_update(shop.customers.len());
    let db = store.db();
    let Some((mut who, mark)) = db.changed_since(shop.basis.mark, most)?.filter(|_| now >= shop.basis.as_of) else { return Ok(false) };
    who.extend(shop.basis.changes_at.iter().zip(&shop.ids).filter(|(at, _)| **at <= now.timestamp()).map(|(_, id)| *id));
    who.sort_unstable();
    who.dedup();
    if who.len() > most {
        return Ok(false);
    }
    if who.is_empty() {
        // Nobody changed, and time changed nobody's figures: nor the shop's, which are theirs.
        shop.basis.as_of = now;
        shop.basis.mark = mark;
        return Ok(true);
    }
    let base = db.insight_customers(Some(&who))?;
    let times = db.purchase_times(Some(&who))?;
    let activity = activity_since(&db, now - Duration::days(WINDOW_DAYS), Some(&who))?;
    // Out with the old: their counts, and what the shop-wide figures took from them.
    let basis = &mut shop.basis;
    let mut old_keys = Vec::new();
    let mut old_intervals: Vec<i32> = Vec::new();
    for id in &who {
        let Ok(i) = shop.ids.binary_search(id) else { continue };
        let (b, insight) = &shop.customers[i];
        // As the kept figures took them: at the kept moment.
        old_keys.extend(Raw::of(b, basis.as_of).keys());
        old_intervals.extend(basis.intervals[i].iter());
        count_role(&mut shop.pyramid, insight.role, -1);
        shop.in_store.remove(id);
    }
    // In with the new (a customer deleted or merged away has no row: they stay out).
    shop.in_store.extend(times.iter().filter(|p| p.2).map(|p| p.0));
    let mut fresh = Vec::with_capacity(base.len());
    for b in base {
        let from = times.partition_point(|t| t.0 < b.id);
        let to = times.partition_point(|t| t.0 <= b.id);
        let intervals = intervals_of(&times[from..to]);
        let raw = Raw::of(&b, now);
        let (a, first) = match activity.binary_search_by_key(&b.id, |a| a.0) {
            Ok(k) => (activity[k].1.clone(), activity[k].2),
            Err(_) => (Activity::default(), i64::MAX),
        };
        fresh.push((b, raw, intervals, a, first));
    }
    // The shop-wide figures, from everyone: taken again only if the changed customers' own
    // figures moved (the others' did not: their moment has not come).
    let mut new_keys: Vec<_> = fresh.iter().filter_map(|f| f.1.keys()).collect();
    let mut new_intervals: Vec<i32> = fresh.iter().flat_map(|f| f.2.iter().copied()).collect();
    old_keys.sort_unstable();
    new_keys.sort_unstable();
    old_intervals.sort_unstable();
    new_intervals.sort_unstable();
    let who_set: std::collections::HashSet<CustomerId> = if old_keys != new_keys || old_intervals != new_intervals { who.iter().copied().collect() } else { Default::default() };
    let others = |i: usize| !who_set.contains(&shop.ids[i]);
    let cuts = if old_keys == new_keys {
        basis.cuts.clone()
    } else {
        Cuts::of(shop.customers.iter().enumerate().filter(|(i, _)| others(*i)).map(|(_, (b, _))| Raw::of(b, now)).chain(fresh.iter().map(|f| f.1)))
    };
    let shop_interval_days = if old_intervals == new_intervals {
        shop.shop_interval_days
    } else {
        shop_interval(basis.intervals.iter().enumerate().filter(|(i, _)| others(*i)).map(|(_, i)| &i[..]).chain(fresh.iter().map(|f| &f.2[..])))
    };
    // Everyone else again, only as far as the shop-wide figures moved: scores with the cuts, and
    // the labels of those who have bought with the usual interval (the shop's stands in for theirs,
    // and is named in why they are at risk or lapsed).
    let relabel = shop_interval_days != shop.shop_interval_days;
    if cuts != basis.cuts || relabel {
        for ((b, insight), intervals) in shop.customers.iter_mut().zip(&basis.intervals) {
            if relabel && insight.value.orders > 0 {
                *insight = insight_of(b, Raw::of(b, now), intervals, std::mem::take(&mut insight.activity), &cuts, shop_interval_days, now);
            } else if insight.value.orders > 0 || insight.value.spend > 0.0 {
                let raw = Raw::of(b, now);
                let v = &mut insight.value;
                v.recency = raw.days.map_or(0, |d| score(-(d as f64), &cuts.recency));
                v.frequency = score(raw.orders as f64, &cuts.frequency);
                v.monetary = score(raw.cents as f64, &cuts.monetary);
                v.rfm = Rfm::new(v.recency, v.frequency, v.monetary);
            }
        }
    }
    // The changed customers in their places: in place when they stay (a chain's customers are
    // too many to move for each), out when gone, in when new.
    let mut fresh = fresh.into_iter().peekable();
    for id in &who {
        let found = shop.ids.binary_search(id);
        let new = fresh.next_if(|f| f.0.id == *id);
        match (found, new) {
            (Ok(i), Some((b, raw, intervals, a, first))) => {
                let insight = insight_of(&b, raw, &intervals, a, &cuts, shop_interval_days, now);
                count_role(&mut shop.pyramid, insight.role, 1);
                basis.changes_at[i] = changes_at(&b, raw, first, now);
                basis.intervals[i] = intervals;
                shop.customers[i] = (b, insight);
            }
            (Ok(i), None) => {
                shop.customers.remove(i);
                shop.ids.remove(i);
                basis.intervals.remove(i);
                basis.changes_at.remove(i);
            }
            (Err(i), Some((b, raw, intervals, a, first))) => {
                let insight = insight_of(&b, raw, &intervals, a, &cuts, shop_interval_days, now);
                count_role(&mut shop.pyramid, insight.role, 1);
                basis.changes_at.insert(i, changes_at(&b, raw, first, now));
                basis.intervals.insert(i, intervals);
                shop.ids.insert(i, b.id);
                shop.customers.insert(i, (b, insight));
            }
            (Err(_), None) => {}
        }
    }
    let log = &mut shop.log;
    log.seq += 1;
    log.last.push_back((log.seq, if cuts != basis.cuts || relabel { vec![EVERYONE] } else { who }));
    if log.last.len() > LOGGED {
        log.last.pop_front();
    }
    basis.cuts = cuts;
    basis.as_of = now;
    basis.mark = mark;
    shop.shop_interval_days = shop_interval_days;
    Ok(true)
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
    // Held exactly (a chain keeps every customer's; a vector grown by pushes keeps room for four).
    reasons.shrink_to_fit();
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
/// same minute (the Today screen, segments and profiles all ask for it), and otherwise brought up
/// to date from what is kept when that is quicker than computing it afresh.
pub fn compute_cached(store: &Store, now: DateTime<Utc>) -> Result<std::sync::Arc<Shop>> {
    let tag = now.timestamp().div_euclid(60) as u64;
    if let Some(kept) = KEPT.get(store, tag)? {
        return Ok(kept);
    }
    // What is kept is brought up to date customer by customer (`update`), whoever wrote since.
    if let Some((_, _, mut shop)) = KEPT.latest(store)? {
        KEPT.forget(store);
        if update(std::sync::Arc::make_mut(&mut shop), store, now)? {
            KEPT.put(store, tag, shop.clone())?;
            return Ok(shop);
        }
    }
    let shop = std::sync::Arc::new(compute(store, now)?);
    KEPT.put(store, tag, shop.clone())?;
    Ok(shop)
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

    /// A seeded stream of numbers, so that a failure repeats.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn assert_same(updated: &Shop, fresh: &Shop, step: &str) {
        assert_eq!(updated.ids, fresh.ids, "{step}: who");
        for (u, f) in updated.customers.iter().zip(&fresh.customers) {
            assert_eq!(u, f, "{step}: customer #{}", f.0.id);
        }
        assert_eq!((&updated.pyramid, updated.shop_interval_days, &updated.in_store), (&fresh.pyramid, fresh.shop_interval_days, &fresh.in_store), "{step}: the shop");
        assert_eq!(updated.basis, fresh.basis, "{step}: what it stands on");
    }

    /// A shop of 40 customers, some with imported totals.
    fn shop_of_forty(now: DateTime<Utc>) -> (Store, Vec<CustomerId>) {
        shop_of_forty_in(Store::open_in_memory().unwrap(), now)
    }

    /// `shop_of_forty` in `store`.
    fn shop_of_forty_in(mut store: Store, now: DateTime<Utc>) -> (Store, Vec<CustomerId>) {
        let mut ids = Vec::new();
        for i in 0..40 {
            let mut draft = crate::model::CustomerDraft { first_name: format!("C{i}"), ..Default::default() };
            if i % 3 == 0 {
                draft.lifetime_spend = Some(crate::money::parse_money(&format!("{}", 10 * i + 5)).unwrap());
                draft.orders_count = Some(1 + i as u32 % 4);
                draft.last_visit = format!("2026-0{}-1{}", 1 + i % 5, i % 10);
            }
            ids.push(crate::customers::create(&mut store, &draft, &change(now)).unwrap().id);
        }
        (store, ids)
    }

    fn change(now: DateTime<Utc>) -> crate::customers::Change {
        crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() }
    }

    /// One random change to the shop, as the owner makes them (`what` says which).
    fn random_change(store: &mut Store, ids: &mut Vec<CustomerId>, dice: &mut Dice, now: DateTime<Utc>, step: u64) -> u64 {
        use crate::model::{CustomerDraft, PurchaseDraft, TouchpointDraft};
        let who = ids[dice.roll(ids.len() as u64) as usize];
        let when = (now - Duration::hours(dice.roll(24 * 400) as i64)).to_rfc3339();
        let kinds = ["review", "comment", "complaint", "question", "post", "answer", "mention"];
        let texts = ["Love it, wonderful shop", "Terrible, it broke", "Where is my parcel?", "ok"];
        let what = dice.roll(8);
        // A referral of someone to themselves, or of the deleted, is refused: nothing changes.
        let _ = match what {
            0 | 1 => {
                let draft = PurchaseDraft { customer_id: Some(who), at: when, amount: format!("{}.50", 5 + dice.roll(90)), channel: ["in_store", "online"][dice.roll(2) as usize].into(), ..Default::default() };
                crate::purchases::add(store, &draft, &change(now)).map(|_| ())
            }
            2 | 3 => {
                let draft = TouchpointDraft {
                    customer_id: Some(who),
                    channel: ["instagram", "email", "google_reviews"][dice.roll(3) as usize].into(),
                    kind: kinds[dice.roll(7) as usize].into(),
                    text: texts[dice.roll(4) as usize].into(),
                    reach: Some(dice.roll(9_000) as i64),
                    rating: Some(1 + dice.roll(5) as i64),
                    at: when,
                    ..Default::default()
                };
                crate::touchpoints::add(store, &draft, &change(now)).map(|_| ())
            }
            4 => crate::customers::get(store, who).and_then(|c| {
                let mut draft = CustomerDraft::from(&c);
                draft.orders_count = Some(dice.roll(9) as u32);
                draft.lifetime_spend = crate::money::parse_money(&format!("{}", dice.roll(500))).ok();
                crate::customers::update(store, who, &draft, &change(now)).map(|_| ())
            }),
            5 if ids.len() > 10 => crate::customers::delete(store, who, now).map(|_| ids.retain(|&i| i != who)),
            6 => crate::customers::create(store, &CustomerDraft { first_name: format!("N{step}"), ..Default::default() }, &change(now)).map(|c| ids.push(c.id)),
            _ => set_referral(store, who, ids[dice.roll(ids.len() as u64) as usize], now, "test"),
        };
        what
    }

    /// Random changes (purchases, messages, edits, deletions, new customers, referrals) and time
    /// moving on (by minutes, hours and days, across the new days' and the window's ends): the
    /// insight brought up to date equals the insight computed afresh, every time.
    #[test]
    fn brought_up_to_date_equals_computed_afresh_after_random_changes() {
        for seed in [7, 11, 2026] {
            let mut dice = Dice(seed);
            let mut now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
            let (mut store, mut ids) = shop_of_forty(now);
            let mut shop = compute(&store, now).unwrap();
            for step in 0..300 {
                let what = random_change(&mut store, &mut ids, &mut dice, now, step);
                now += match dice.roll(4) {
                    0 => Duration::zero(),
                    1 => Duration::minutes(dice.roll(90) as i64),
                    2 => Duration::hours(dice.roll(30) as i64),
                    _ => Duration::days(dice.roll(20) as i64),
                };
                assert!(update(&mut shop, &store, now).unwrap(), "step {step}: brought up to date");
                assert_same(&shop, &compute(&store, now).unwrap(), &format!("seed {seed}, step {step} ({what})"));
            }
        }
    }

    /// The same on a shop shared on a real PostgreSQL server (tests/common/pg_server.rs), where
    /// the notes are its own triggers' (Postgres migration 0008).
    #[test]
    fn brought_up_to_date_equals_computed_afresh_on_a_server_too() {
        let server = crate::test_server::Postgres::start();
        let mut dice = Dice(2026);
        let mut now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
        let (mut store, mut ids) = shop_of_forty_in(Store::open_shared(&server.database()).unwrap(), now);
        let mut shop = compute(&store, now).unwrap();
        let start = store.db().changes_mark().unwrap();
        for step in 0..150 {
            let what = random_change(&mut store, &mut ids, &mut dice, now, step);
            now += Duration::hours(dice.roll(30) as i64);
            assert!(update(&mut shop, &store, now).unwrap(), "step {step}: brought up to date");
            assert_same(&shop, &compute(&store, now).unwrap(), &format!("on the server, step {step} ({what})"));
        }
        assert!(store.db().changes_mark().unwrap() > start + 100, "the writes were noted");
    }

    /// Through the memo as the app uses it: a change on this connection, and one by another
    /// connection or process, are brought up to date; a reader that fell behind the kept notes
    /// computes afresh; each answers as a fresh computation would.
    #[test]
    fn the_kept_insight_follows_every_connections_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
        let mut store = Store::open(&path).unwrap();
        let id = crate::customers::create(&mut store, &crate::model::CustomerDraft { first_name: "Ann".into(), ..Default::default() }, &change(now)).unwrap().id;
        let before = compute_cached(&store, now).unwrap();
        let draft = crate::model::PurchaseDraft { customer_id: Some(id), at: "2026-05-30T10:00:00Z".into(), amount: "20.00".into(), ..Default::default() };
        crate::purchases::add(&mut store, &draft, &change(now)).unwrap();
        let after = compute_cached(&store, now).unwrap();
        assert_eq!((before.get(id).unwrap().1.value.orders, after.get(id).unwrap().1.value.orders), (0, 1));
        assert_eq!(after.basis.mark, store.db().changes_mark().unwrap(), "brought up to the last note");
        // Another connection (the app's other one, or another process) writes.
        let mut other = Store::open(&path).unwrap();
        crate::purchases::add(&mut other, &crate::model::PurchaseDraft { at: "2026-05-31T10:00:00Z".into(), ..draft.clone() }, &change(now)).unwrap();
        let seen = compute_cached(&store, now).unwrap();
        assert_eq!(seen.get(id).unwrap().1.value.orders, 2, "another's write is seen");
        assert_eq!(seen.basis, compute(&store, now).unwrap().basis);
        // A restore on another connection: what this one kept is computed afresh.
        let backup = crate::backup::create(&other, "manual", now).unwrap();
        crate::purchases::add(&mut other, &crate::model::PurchaseDraft { at: "2026-05-29T10:00:00Z".into(), ..draft.clone() }, &change(now)).unwrap();
        assert_eq!(compute_cached(&store, now).unwrap().get(id).unwrap().1.value.orders, 3);
        other.replace_with(&backup.path, || Ok(())).unwrap();
        assert_eq!(compute_cached(&store, now).unwrap().get(id).unwrap().1.value.orders, 2, "the restored file's figures");
    }

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
