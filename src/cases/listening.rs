//! Listening: who needs an answer first (the inbox), everything a customer did in one line (the
//! timeline), and what people are saying overall (the overview: volume by channel, sentiment over
//! time, topics, pain points, who talks most, how fast the shop answers). Every function takes
//! `now`; nothing here reads the clock.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{CustomerId, Direction, Purchase, ReplyStatus, Touchpoint, TouchpointKind};
use crate::normalize;
use crate::sentiment::Label;
use crate::store::Store;

/// Reply targets in minutes, per kind, unless the owner sets their own.
const DEFAULT_TARGETS: &[(TouchpointKind, u32)] = &[
    (TouchpointKind::Complaint, 60),
    (TouchpointKind::Question, 240),
    (TouchpointKind::Dm, 240),
    (TouchpointKind::Comment, 720),
    (TouchpointKind::Review, 1440),
    (TouchpointKind::Mention, 1440),
];
const OTHER_TARGET: u32 = 1440;

fn target_key(kind: TouchpointKind) -> String {
    format!("reply_target.{}", kind.as_str())
}

/// The reply target, in minutes, for each kind of touchpoint.
pub fn reply_targets(store: &Store) -> Result<BTreeMap<TouchpointKind, u32>> {
    let db = store.db();
    TouchpointKind::ALL
        .iter()
        .filter(|k| !matches!(k, TouchpointKind::Reply | TouchpointKind::Note))
        .map(|&kind| {
            let default = DEFAULT_TARGETS.iter().find(|(k, _)| *k == kind).map_or(OTHER_TARGET, |(_, m)| *m);
            let minutes = db.setting(&target_key(kind))?.and_then(|v| v.parse().ok()).unwrap_or(default);
            Ok((kind, minutes))
        })
        .collect()
}

/// Sets the reply target for a kind, in minutes (1 minute to 30 days).
pub fn set_reply_target(store: &mut Store, kind: TouchpointKind, minutes: u32) -> Result<()> {
    if !(1..=43_200).contains(&minutes) {
        return Err(Error::invalid_field("minutes", format!("a reply target is 1 minute to 30 days, not {minutes} minutes")));
    }
    store.write(|w| w.set_setting(&target_key(kind), &minutes.to_string()))
}

/// How urgent a waiting touchpoint is, coarsely: complaints (and anything negative) first, then
/// questions, then the rest (praise, comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Complaint,
    Question,
    Other,
}

fn priority(t: &Touchpoint) -> Priority {
    class(t.kind, t.sentiment_label, t.text.contains('?'))
}

/// How urgent a kind of message is: complaints and negative messages first, then questions (a
/// question mark counts: `asks`), then the rest.
pub(crate) fn class(kind: TouchpointKind, label: Label, asks: bool) -> Priority {
    if kind == TouchpointKind::Complaint || label == Label::Negative {
        Priority::Complaint
    } else if kind == TouchpointKind::Question || asks {
        Priority::Question
    } else {
        Priority::Other
    }
}

/// Where a waiting message stands against its reply target at `now`.
pub(crate) struct Standing {
    pub target: u32,
    pub waiting_minutes: i64,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    /// Its place in the inbox after its class and whether it is overdue (lower first).
    pub order: (bool, f64),
}

pub(crate) fn standing(kind: TouchpointKind, at: DateTime<Utc>, reach: Option<u64>, spend_cents: i64, targets: &BTreeMap<TouchpointKind, u32>, now: DateTime<Utc>) -> Standing {
    let target = targets.get(&kind).copied().unwrap_or(OTHER_TARGET);
    let waiting_minutes = (now - at).num_minutes().max(0);
    let due_at = at + Duration::minutes(target as i64);
    let overdue = now > due_at;
    let spend = spend_cents.max(0) as f64 / 100.0;
    let reach = reach.unwrap_or(0) as f64;
    let clock = (waiting_minutes as f64 / target as f64).min(4.0);
    let urgency = clock + 0.5 * (1.0 + reach).log10() + 0.5 * (1.0 + spend).log10();
    Standing { target, waiting_minutes, due_at, overdue, order: (!overdue, -urgency) }
}

/// One touchpoint waiting for a reply, with why it sits where it does.
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    pub touchpoint: Touchpoint,
    /// The customer's name, or the author as written.
    pub who: String,
    pub customer_name: Option<String>,
    pub priority: Priority,
    pub target_minutes: u32,
    pub waiting_minutes: i64,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    /// What the customer has spent, in the shop's currency (0 when unknown).
    pub customer_spend: f64,
    /// A sentence: "Complaint, 2 h 10 min waiting (target 1 h), 12,400 followers, spent 420.00".
    pub why: String,
    /// The owner said its author is not a customer (they are not offered for linking).
    pub not_a_customer: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    /// The most urgent first; at most the number asked for.
    pub items: Vec<InboxItem>,
    /// Everyone waiting, shown or not.
    pub total: usize,
    pub overdue: usize,
}

/// Everything that needs a reply, most urgent first: complaints and other negative messages, then
/// questions, then the rest; within each, those past their reply target first; then by how far
/// past it they are, the author's reach and the customer's value (each counted on a log scale, so
/// that no one of them drowns the others); then oldest first.
pub fn inbox(store: &Store, now: DateTime<Utc>) -> Result<Inbox> {
    inbox_first(store, now, usize::MAX)
}

/// The `limit` most urgent of the inbox, with the counts of the whole: what a screen shows without
/// loading every waiting message into the page (a chain can have tens of thousands).
pub fn inbox_first(store: &Store, now: DateTime<Utc>, limit: usize) -> Result<Inbox> {
    let targets = reply_targets(store)?;
    let mut scored: Vec<(Priority, (bool, f64), InboxItem)> = store.db().waiting(None)?.into_iter().map(|w| item(w, &targets, now)).collect();
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1 .0.cmp(&b.1 .0))
            .then(a.1 .1.total_cmp(&b.1 .1))
            .then(a.2.touchpoint.at.cmp(&b.2.touchpoint.at))
            .then(a.2.touchpoint.id.cmp(&b.2.touchpoint.id))
    });
    let (total, overdue) = (scored.len(), scored.iter().filter(|s| s.2.overdue).count());
    scored.truncate(limit);
    let items = written(store, scored.into_iter().map(|(_, _, item)| item).collect())?;
    Ok(Inbox { items, total, overdue })
}

/// A waiting message as the inbox shows it, with its class and order; its `why` is written for
/// the items shown only (`written`).
fn item(w: crate::store::Waiting, targets: &BTreeMap<TouchpointKind, u32>, now: DateTime<Utc>) -> (Priority, (bool, f64), InboxItem) {
    let t = w.touchpoint;
    let s = standing(t.kind, t.at, t.reach, w.spend_cents, targets, now);
    let p = priority(&t);
    let who = w.customer_name.clone().unwrap_or_else(|| if t.author.is_empty() { "someone".into() } else { t.author.clone() });
    let item = InboxItem {
        who,
        customer_name: w.customer_name,
        priority: p,
        target_minutes: s.target,
        waiting_minutes: s.waiting_minutes,
        due_at: s.due_at,
        overdue: s.overdue,
        customer_spend: w.spend_cents.max(0) as f64 / 100.0,
        why: String::new(),
        not_a_customer: false,
        touchpoint: t,
    };
    (p, s.order, item)
}

/// Writes why each of these items waits, and whether an author is known to be no customer.
fn written(store: &Store, mut items: Vec<InboxItem>) -> Result<Vec<InboxItem>> {
    let formats = crate::settings::formats(store)?;
    for item in &mut items {
        item.why = why(item.priority, &item.touchpoint, item.waiting_minutes, item.target_minutes, item.customer_spend, &formats);
        if item.touchpoint.customer_id.is_none() {
            item.not_a_customer = store.db().author_is_not_customer(item.touchpoint.id)?;
        }
    }
    Ok(items)
}

/// These waiting messages as the inbox shows them (those no longer waiting are left out).
pub(crate) fn items(store: &Store, ids: &[crate::model::TouchpointId], now: DateTime<Utc>) -> Result<HashMap<crate::model::TouchpointId, InboxItem>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let targets = reply_targets(store)?;
    let items = store.db().waiting(Some(ids))?.into_iter().map(|w| item(w, &targets, now).2).collect();
    Ok(written(store, items)?.into_iter().map(|i| (i.touchpoint.id, i)).collect())
}

/// "2 h 10 min", "3 days".
pub fn minutes_text(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 48 * 60 => match m % 60 {
            0 => format!("{} h", m / 60),
            r => format!("{} h {r} min", m / 60),
        },
        m => format!("{} days", m / (24 * 60)),
    }
}

/// A kind of touchpoint in plain words ("message", not "dm").
fn kind_words(kind: TouchpointKind) -> &'static str {
    match kind {
        TouchpointKind::Dm => "message",
        other => other.as_str(),
    }
}

fn why(p: Priority, t: &Touchpoint, waiting: i64, target: u32, spend: f64, formats: &crate::format::Formats) -> String {
    let mut parts = vec![match p {
        Priority::Complaint if t.kind == TouchpointKind::Complaint => "Complaint".to_string(),
        Priority::Complaint => format!("Negative {}", kind_words(t.kind)),
        Priority::Question => "Question".to_string(),
        Priority::Other => format!("{}{}", kind_words(t.kind)[..1].to_uppercase(), &kind_words(t.kind)[1..]),
    }];
    let clock = if waiting as u64 > target as u64 {
        format!("waiting {} (target {}, overdue)", minutes_text(waiting), minutes_text(target as i64))
    } else {
        format!("waiting {} (target {})", minutes_text(waiting), minutes_text(target as i64))
    };
    parts.push(clock);
    if let Some(reach) = t.reach.filter(|r| *r >= 1000) {
        parts.push(format!("{} followers", formats.number(reach)));
    }
    if spend > 0.0 {
        parts.push(format!("has spent {}", formats.money(spend)));
    }
    parts.join(", ")
}

/// One line of a customer's timeline.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    Touchpoint(Touchpoint),
    Purchase(Purchase),
}

impl TimelineEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::Touchpoint(t) => t.at,
            TimelineEntry::Purchase(p) => p.at,
        }
    }
}

/// A customer's touchpoints and purchases together, newest first (at most `limit`).
pub fn timeline(store: &Store, customer: CustomerId, limit: u64) -> Result<Vec<TimelineEntry>> {
    Ok(timeline_page(store, customer, 0, limit)?.entries)
}

/// One page of a customer's timeline: a customer of many years can have thousands of entries.
#[derive(Debug, Clone, Serialize)]
pub struct TimelinePage {
    /// Newest first, from `offset`.
    pub entries: Vec<TimelineEntry>,
    pub offset: u64,
    /// Older entries follow this page.
    pub more: bool,
    /// Every message the customer ever sent, not only those on this page.
    pub messages_in: u64,
}

/// Entries `offset..offset + limit` of a customer's timeline, newest first. Each page merges the
/// newest `offset + limit + 1` touchpoints and purchases, so pages follow on without a gap.
pub fn timeline_page(store: &Store, customer: CustomerId, offset: u64, limit: u64) -> Result<TimelinePage> {
    crate::customers::get(store, customer)?;
    let wanted = offset.saturating_add(limit).saturating_add(1);
    let db = store.db();
    let mut entries: Vec<TimelineEntry> = db
        .touchpoints(Some(customer), wanted)?
        .into_iter()
        .map(TimelineEntry::Touchpoint)
        .chain(db.purchases_of(customer)?.into_iter().take(wanted as usize).map(TimelineEntry::Purchase))
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.at()));
    let more = entries.len() as u64 > offset.saturating_add(limit);
    let entries = entries.into_iter().skip(offset as usize).take(limit as usize).collect();
    Ok(TimelinePage { entries, offset, more, messages_in: db.messages_in(customer)? })
}

/// One week of the overview.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Week {
    pub start: NaiveDate,
    /// Inbound touchpoints per channel.
    pub by_channel: BTreeMap<String, u32>,
    pub positive: u32,
    pub neutral: u32,
    pub negative: u32,
    /// Mean compound sentiment of inbound touchpoints, if any.
    pub average_sentiment: Option<f64>,
    /// Median minutes to the shop's first reply, for messages that week that were answered.
    pub median_reply_minutes: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicCount {
    pub topic: String,
    pub count: u32,
    pub negative: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PainPoint {
    pub phrase: String,
    /// Negative touchpoints that say it.
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Talker {
    pub customer_id: Option<CustomerId>,
    pub name: String,
    pub count: u32,
    /// The largest reach seen.
    pub reach: u64,
    pub average_sentiment: f64,
}

/// What people said over the last `days` days.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub inbound: u32,
    pub positive: u32,
    pub neutral: u32,
    pub negative: u32,
    pub needs_reply: u32,
    pub weeks: Vec<Week>,
    pub channels: Vec<String>,
    pub topics: Vec<TopicCount>,
    pub pain_points: Vec<PainPoint>,
    pub talkers: Vec<Talker>,
    /// Median minutes from an inbound touchpoint to the shop's reply, for those replied in the period.
    pub median_reply_minutes: Option<i64>,
    pub replied: u32,
}

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "your", "with", "this", "that", "was", "were", "have", "has",
    "had", "they", "them", "their", "from", "what", "when", "where", "which", "will", "would", "could", "should",
    "there", "here", "been", "being", "just", "very", "really", "than", "then", "into", "about", "after", "again",
    "its", "it's", "our", "out", "all", "any", "can", "did", "does", "don't", "didn't", "doesn't", "still", "only",
    "also", "too", "get", "got", "one", "two", "now", "how", "why", "who", "her", "his", "she", "him", "off", "over",
    "more", "most", "some", "such", "no", "nor", "own", "same", "so", "my", "me", "i'm", "ive", "i've", "we", "us",
    "it", "is", "in", "on", "at", "to", "of", "a", "an", "or", "as", "be", "by", "if", "do", "i", "you're", "im",
    "because", "never", "ever", "week", "weeks", "day", "days", "time", "back", "order", "ordered", "shop", "store",
    "three", "four", "five", "six", "first", "second", "last", "again", "today", "yesterday", "much", "many", "lot",
];

/// The overview of the `days` days before `now`.
// One piece: one pass over the period's touchpoints filling every figure of the overview.
pub fn overview(store: &Store, now: DateTime<Utc>, days: u32) -> Result<Overview> {
    let days = days.clamp(7, 3660);
    let from = now - Duration::days(days as i64);
    let all = store.db().touchpoints_between(from, now + Duration::seconds(1))?;
    let inbound: Vec<&Touchpoint> = all.iter().filter(|t| t.direction == Direction::In).collect();
    let first_day = from.date_naive();
    let week_count = (days as usize).div_ceil(7);
    let mut weeks: Vec<Week> =
        (0..week_count).map(|i| Week { start: first_day + Duration::days(7 * i as i64), ..Week::default() }).collect();
    let mut sums = vec![(0.0f64, 0u32); week_count];
    let mut channels = BTreeMap::<String, u32>::new();
    let mut topics = BTreeMap::<String, (u32, u32)>::new();
    let mut talkers = HashMap::<(Option<CustomerId>, String), (u32, u64, f64)>::new();
    let (mut positive, mut neutral, mut negative, mut needs_reply) = (0, 0, 0, 0);
    for t in &inbound {
        let index = (((t.at - from).num_days().max(0)) / 7).min(week_count as i64 - 1) as usize;
        let week = &mut weeks[index];
        *week.by_channel.entry(t.channel.as_str().to_string()).or_default() += 1;
        *channels.entry(t.channel.as_str().to_string()).or_default() += 1;
        match t.sentiment_label {
            Label::Positive => (week.positive += 1, positive += 1),
            Label::Neutral => (week.neutral += 1, neutral += 1),
            Label::Negative => (week.negative += 1, negative += 1),
        };
        sums[index].0 += t.sentiment;
        sums[index].1 += 1;
        for topic in &t.topics {
            let e = topics.entry(topic.clone()).or_default();
            e.0 += 1;
            e.1 += (t.sentiment_label == Label::Negative) as u32;
        }
        if t.status == ReplyStatus::NeedsReply {
            needs_reply += 1;
        }
        let key = (t.customer_id, if t.customer_id.is_some() { String::new() } else { t.author.clone() });
        let e = talkers.entry(key).or_default();
        e.0 += 1;
        e.1 = e.1.max(t.reach.unwrap_or(0));
        e.2 += t.sentiment;
    }
    let mut week_replies: Vec<Vec<i64>> = vec![Vec::new(); week_count];
    for t in &inbound {
        if let Some(r) = t.replied_at {
            let index = (((t.at - from).num_days().max(0)) / 7).min(week_count as i64 - 1) as usize;
            week_replies[index].push((r - t.at).num_minutes().max(0));
        }
    }
    for ((week, (sum, n)), replies) in weeks.iter_mut().zip(&sums).zip(&mut week_replies) {
        week.average_sentiment = (*n > 0).then(|| (sum / *n as f64 * 1000.0).round() / 1000.0);
        replies.sort_unstable();
        week.median_reply_minutes = (!replies.is_empty()).then(|| replies[replies.len() / 2]);
    }
    let mut channel_list: Vec<(String, u32)> = channels.into_iter().collect();
    channel_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut topic_list: Vec<TopicCount> =
        topics.into_iter().map(|(topic, (count, negative))| TopicCount { topic, count, negative }).collect();
    topic_list.sort_by(|a, b| b.count.cmp(&a.count).then(a.topic.cmp(&b.topic)));

    let ids: Vec<CustomerId> = talkers.keys().filter_map(|k| k.0).collect();
    let names = store.db().display_names(&ids)?;
    let mut talker_list: Vec<Talker> = talkers
        .into_iter()
        .map(|((id, author), (count, reach, sum))| Talker {
            customer_id: id,
            name: id.and_then(|id| names.get(&id).cloned()).unwrap_or(if author.is_empty() { "someone".into() } else { author }),
            count,
            reach,
            average_sentiment: (sum / count as f64 * 1000.0).round() / 1000.0,
        })
        .collect();
    talker_list.sort_by(|a, b| b.count.cmp(&a.count).then(b.reach.cmp(&a.reach)).then(a.name.cmp(&b.name)));
    talker_list.truncate(10);

    let mut reply_minutes: Vec<i64> = inbound
        .iter()
        .filter_map(|t| t.replied_at.map(|r| (r - t.at).num_minutes().max(0)))
        .collect();
    reply_minutes.sort_unstable();
    let median_reply_minutes = match reply_minutes.len() {
        0 => None,
        n if n % 2 == 1 => Some(reply_minutes[n / 2]),
        n => Some((reply_minutes[n / 2 - 1] + reply_minutes[n / 2]) / 2),
    };
    let negatives: Vec<&str> =
        inbound.iter().filter(|t| t.sentiment_label == Label::Negative).map(|t| t.text.as_str()).collect();
    Ok(Overview {
        from,
        to: now,
        inbound: inbound.len() as u32,
        positive,
        neutral,
        negative,
        needs_reply,
        weeks,
        channels: channel_list.into_iter().map(|c| c.0).collect(),
        topics: topic_list,
        pain_points: pain_points(&negatives, 8),
        talkers: talker_list,
        replied: reply_minutes.len() as u32,
        median_reply_minutes,
    })
}

/// The words and two-word phrases that recur in negative texts (in at least two of them), most
/// frequent first; a word is left out when a phrase containing it recurs as often.
pub fn pain_points(texts: &[&str], limit: usize) -> Vec<PainPoint> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for text in texts {
        let folded = normalize::fold(text);
        let words: Vec<&str> = folded
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .map(|w| w.trim_matches('\''))
            .filter(|w| !w.is_empty())
            .collect();
        let mut seen = HashSet::new();
        for (i, w) in words.iter().enumerate() {
            let content = |w: &str| w.chars().count() >= 3 && !STOPWORDS.contains(&w) && !w.chars().all(|c| c.is_ascii_digit());
            if content(w) {
                seen.insert(w.to_string());
                if let Some(next) = words.get(i + 1).filter(|n| content(n)) {
                    seen.insert(format!("{w} {next}"));
                }
            }
        }
        for phrase in seen {
            *counts.entry(phrase).or_default() += 1;
        }
    }
    let phrases: Vec<(String, u32)> = counts.iter().filter(|(p, c)| **c >= 2 && p.contains(' ')).map(|(p, c)| (p.clone(), *c)).collect();
    let mut list: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(p, c)| *c >= 2 && (p.contains(' ') || !phrases.iter().any(|(ph, pc)| pc >= c && ph.split(' ').any(|w| w == p))))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.contains(' ').cmp(&a.0.contains(' '))).then(a.0.cmp(&b.0)));
    list.truncate(limit);
    list.into_iter().map(|(phrase, count)| PainPoint { phrase, count }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pain_points_are_recurring_phrases_of_complaints() {
        let texts = [
            "My delivery never came, where is my refund?",
            "Still waiting for my refund, delivery was late",
            "The strap broke. Late delivery too.",
        ];
        let points = pain_points(&texts, 5);
        let names: Vec<&str> = points.iter().map(|p| p.phrase.as_str()).collect();
        assert_eq!(names[0], "delivery");
        assert!(names.contains(&"refund"), "{names:?}");
        assert!(names.contains(&"late"), "{names:?}");
        assert!(!names.contains(&"strap"), "said once is not a pattern: {names:?}");
    }

    #[test]
    fn a_long_timeline_comes_in_pages_that_follow_on_without_gaps_or_repeats() {
        let mut store = Store::open_in_memory().unwrap();
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let change = crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() };
        let draft = crate::model::CustomerDraft { first_name: "Ada".into(), ..Default::default() };
        let ada = crate::customers::create(&mut store, &draft, &change).unwrap().id;
        crate::demo::activity_at_scale(&mut store, &[ada], 60, 300, 7, now).unwrap();
        let whole = timeline(&store, ada, 10_000).unwrap();
        assert_eq!(whole.len(), 360);
        let key = |e: &TimelineEntry| serde_json::to_string(e).unwrap();
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let page = timeline_page(&store, ada, offset, 150).unwrap();
            assert_eq!(page.offset, offset);
            assert_eq!(page.messages_in, 300, "every message counts, not only this page's");
            offset += page.entries.len() as u64;
            paged.extend(page.entries.iter().map(key));
            if !page.more {
                break;
            }
            assert_eq!(page.entries.len(), 150);
        }
        assert_eq!(paged, whole.iter().map(key).collect::<Vec<_>>(), "three pages, newest first, each entry once");
        assert!(whole.windows(2).all(|w| w[0].at() >= w[1].at()));
    }

    #[test]
    fn durations_read_like_speech() {
        assert_eq!(minutes_text(5), "5 min");
        assert_eq!(minutes_text(130), "2 h 10 min");
        assert_eq!(minutes_text(60 * 24 * 3), "3 days");
    }
}
