//! The suggestion board: what Today's list is made of, per customer, kept between calls and brought
//! up to date instead of made afresh. For each customer it keeps what their suggestions come from
//! (messages waiting for a reply, answered complaints, praise, negative topics, when they were last
//! sent marketing) and the candidates made of it with their insight; for each message nobody is
//! linked to, the same. After a change only the customers and messages noted since
//! (`Db::changed_since`) are read again, and only they, and those whose moment has come (a birthday
//! a day nearer, praise out of its fortnight, their insight's own moment), are made again; when the
//! shop-wide figures of the insight move, everyone is made again from what is kept, without reading.
//! Each call then ranks: the inbox's order for replies, the marketing budget, the first `keep`.
//! The rules of each kind of suggestion live here; their words are written in `cases::followups`,
//! for the suggestions handed out.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::insight::{self, Insight, Label, Shop};
use crate::listening::{self, Priority};
use crate::model::{Channel, CustomerId, TouchpointId, TouchpointKind};
use crate::store::{BaseRow, NegativeRow, Said, Store, SuggestionRow, SuggestionStatus, WaitRow, Whose};

/// What a suggestion is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Reply,
    CheckIn,
    Thank,
    InviteAdvocate,
    Recognize,
    WinBack,
    Welcome,
    Birthday,
    Rally,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::CheckIn => "check_in",
            Kind::Thank => "thank",
            Kind::InviteAdvocate => "invite_advocate",
            Kind::Recognize => "recognize",
            Kind::WinBack => "win_back",
            Kind::Welcome => "welcome",
            Kind::Birthday => "birthday",
            Kind::Rally => "rally",
        }
    }

    /// Marketing needs consent and counts against the frequency cap; service does not.
    pub fn is_marketing(self) -> bool {
        matches!(self, Kind::WinBack | Kind::Birthday | Kind::InviteAdvocate | Kind::Welcome)
    }
}

/// Days after a complaint is answered before checking that it was resolved.
pub(crate) const CHECK_IN_AFTER_DAYS: i64 = 3;
/// Days after an answered complaint it is still worth checking on.
const CHECK_IN_UNTIL_DAYS: i64 = 14;
/// How far back praise is worth a thank-you.
pub(crate) const THANK_WITHIN_DAYS: i64 = 14;
/// Days after a first purchase for a welcome.
const WELCOME_AFTER_DAYS: i64 = 3;
const WELCOME_UNTIL_DAYS: i64 = 14;
/// Birthdays this many days ahead.
const BIRTHDAY_AHEAD_DAYS: i64 = 7;
/// The weeks a rally compares: the last one, against the four before.
const RALLY_RECENT_DAYS: i64 = 7;
const RALLY_SINCE_DAYS: i64 = 35;
/// How many replies rank above the rest (priority 100 down to 70); the others share 70.
const REPLIES_RANKED: usize = 30;
/// What is read stays valid this much longer than its window (reads of a customer's rows are
/// taken with this margin, so that what is kept covers every later moment's window).
const MARGIN_DAYS: i64 = 1;
const DAY: i64 = 86_400;

/// What is still to be written into a suggestion handed out (see `cases::followups`): its
/// customer's name and address always, and the reason and draft, which some kinds write from a
/// look-up (the message answered, the last item bought, the words of their praise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Merge {
    /// Only the name and address: the reason and draft are written.
    Plain,
    Reply,
    CheckIn,
    Thank,
    Invite,
    Recognize,
    WinBack,
    Welcome,
    Birthday,
}

/// A suggestion before its words: small, since a chain has hundreds of thousands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cand {
    pub kind: Kind,
    pub priority: u8,
    pub channel: Option<Channel>,
    /// When it is due, in unix seconds; `NOW` for whenever it is asked.
    pub due: i64,
    /// The message it is about (0: none; held small, as is the rest).
    pub message: TouchpointId,
    /// The day its reason's key names: a win-back's last purchase, a birthday's date.
    pub day: Option<NaiveDate>,
    /// Snoozed by the owner until then (unix seconds; 0: not snoozed).
    pub snoozed: i64,
    pub merge: Merge,
}

/// Due whenever asked.
const NOW: i64 = i64::MIN;

impl Cand {
    pub fn touchpoint(&self) -> Option<TouchpointId> {
        (self.message != 0).then_some(self.message)
    }

    fn snoozed_until(&self) -> Option<i64> {
        (self.snoozed != 0).then_some(self.snoozed)
    }

    /// When it is due, as of `now` (for those due whenever asked).
    pub fn due_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.due == NOW {
            now
        } else {
            DateTime::from_timestamp(self.due, 0).unwrap_or(now)
        }
    }

    /// The reason it exists: the same reason keeps the same stored suggestion and id.
    pub fn key(&self, customer: Option<CustomerId>) -> String {
        let c = customer.unwrap_or_default();
        let t = self.message;
        match self.kind {
            Kind::Reply => format!("reply:t{t}"),
            Kind::CheckIn => format!("check_in:t{t}"),
            Kind::Thank => format!("thank:t{t}"),
            Kind::InviteAdvocate => format!("invite_advocate:c{c}"),
            Kind::Recognize => format!("recognize:c{c}:t{t}"),
            Kind::WinBack => format!("win_back:c{c}:{}", self.day.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
            Kind::Welcome => format!("welcome:c{c}"),
            Kind::Birthday => format!("birthday:c{c}:{}", self.day.map_or(0, |d| d.year())),
            // A rally's key names its topic and week: see `Picked::rally`.
            Kind::Rally => String::new(),
        }
    }
}

/// Where marketing may reach this customer: their preferred channel if allowed, else email, text
/// or WhatsApp with consent, else in person if they shop in store; `None` if nowhere.
pub fn marketing_channel(b: &BaseRow, shops_in_store: bool) -> Option<Channel> {
    let email = b.consent_email == crate::model::ConsentStatus::Yes && b.has_email;
    let sms = b.consent_sms == crate::model::ConsentStatus::Yes && b.has_phone;
    let allowed = |c: Channel| match c {
        Channel::Email => email,
        Channel::Sms | Channel::Whatsapp => sms,
        Channel::InStore => shops_in_store,
        _ => false,
    };
    let preferred = b.preferred_channel;
    preferred
        .filter(|&c| allowed(c))
        .or_else(|| [Channel::Email, Channel::Sms].into_iter().find(|&c| allowed(c)))
        .or_else(|| shops_in_store.then_some(Channel::InStore))
}

pub(crate) fn next_birthday(born: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), born.month(), born.day())
        .or_else(|| NaiveDate::from_ymd_opt(today.year(), 3, 1))?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, born.month(), born.day()).or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, 3, 1))
    }
}

/// A message waiting for a reply, as much of it as ranking the inbox needs.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Wait {
    id: TouchpointId,
    customer: Option<CustomerId>,
    kind: TouchpointKind,
    channel: Channel,
    at: DateTime<Utc>,
    reach: Option<u64>,
    class: Priority,
    spend_cents: i64,
    /// Its reply suggestion done or dismissed.
    hidden: bool,
    snoozed_until: Option<i64>,
}

impl Wait {
    fn of(w: WaitRow) -> Wait {
        Wait {
            id: w.id,
            customer: w.customer_id,
            kind: w.kind,
            channel: w.channel,
            at: w.at,
            reach: w.reach,
            class: listening::class(w.kind, w.label, w.asks),
            spend_cents: w.spend_cents,
            hidden: false,
            snoozed_until: None,
        }
    }
}

/// A customer's (or a loose message's) rows that suggestions are made of: only those that can still
/// be in a window (read with a margin; let go of once out of it for good).
#[derive(Debug, Clone, Default, PartialEq)]
struct Rows {
    waits: Vec<Wait>,
    /// Answered complaints nothing was said after: (message, channel, replied at).
    complaints: Vec<(TouchpointId, Option<Channel>, i64)>,
    /// Praise: (message, channel, at), oldest first.
    praise: Vec<(TouchpointId, Option<Channel>, i64)>,
    /// Negative messages' topics (interned: `Board::topics`), with when each was said.
    negatives: Vec<(i64, TouchpointId, Box<[u32]>)>,
    /// When they were last sent marketing (unix seconds).
    marketed: Option<i64>,
}

impl Rows {
    fn is_empty(&self) -> bool {
        self.waits.is_empty() && self.complaints.is_empty() && self.praise.is_empty() && self.negatives.is_empty() && self.marketed.is_none()
    }

    /// Holds its rows in no more room than they take.
    fn shrink(&mut self) {
        self.waits.shrink_to_fit();
        self.complaints.shrink_to_fit();
        self.praise.shrink_to_fit();
        self.negatives.shrink_to_fit();
    }

    /// Lets go of what no window can hold any more as of `now` (time only moves on).
    fn prune(&mut self, now: i64, cap_days: i64) {
        self.complaints.retain(|c| c.2 >= now - CHECK_IN_UNTIL_DAYS * DAY);
        self.praise.retain(|p| p.2 >= now - THANK_WITHIN_DAYS * DAY);
        self.negatives.retain(|n| n.0 >= now - RALLY_SINCE_DAYS * DAY);
        self.marketed = self.marketed.filter(|&m| m + cap_days * DAY >= now);
    }
}

/// One customer's part of the board. Held small (a chain has a part for most customers): rows
/// only for those who have any, candidates in a slice of their exact length.
#[derive(Debug, Clone, Default, PartialEq)]
struct Part {
    rows: Option<Box<Rows>>,
    cands: Box<[Cand]>,
    /// Whether a complaint or question of theirs waits for an answer (nobody waiting is sold to).
    waiting: bool,
    /// An advocate who is no detractor: their positive messages (a rally names the first; kept in
    /// `Board::advocates`, not with the part).
    advocate: Option<u32>,
}

/// The rows of a part that has none.
static NO_ROWS: Rows = Rows { waits: Vec::new(), complaints: Vec::new(), praise: Vec::new(), negatives: Vec::new(), marketed: None };

impl Part {
    fn is_empty(&self) -> bool {
        self.rows().is_empty() && self.cands.is_empty()
    }

    fn rows(&self) -> &Rows {
        self.rows.as_deref().unwrap_or(&NO_ROWS)
    }

    fn set_rows(&mut self, mut rows: Rows) {
        rows.shrink();
        self.rows = (!rows.is_empty()).then(|| Box::new(rows));
    }
}

/// The board (see the module's notes).
#[derive(Debug, Clone)]
pub(crate) struct Board {
    as_of: DateTime<Utc>,
    /// The notes of changes it covers, up to this one.
    mark: i64,
    cap_days: i64,
    /// The insight's shop-wide figures its candidates were made with.
    shared: insight::Shared,
    /// Every customer of the shop, in id order, with the moment (unix seconds) from which time alone
    /// may change their part.
    ids: Vec<CustomerId>,
    until: Vec<i64>,
    /// The parts of customers with rows; their candidates are in `cands`.
    parts: HashMap<CustomerId, Part>,
    /// Every customer's candidates, in customer order (a part of its own for each customer with
    /// one held three times their room).
    cands: Vec<(CustomerId, Cand)>,
    /// Messages nobody is linked to: waiting, or negative with topics.
    loose: HashMap<TouchpointId, Rows>,
    topics: Vec<Box<str>>,
    topic_ids: HashMap<Box<str>, u32>,
    /// Everyone's candidates in the list's order (`Key`), kept as the parts change so that ranking
    /// takes the first ones without visiting every customer: service and marketing, each due at a
    /// time of its own or whenever asked (`SERVICE`, `SERVICE_NOW`, `MARKETING`, `MARKETING_NOW`).
    ranks: [std::collections::BTreeSet<Key>; 4],
    /// Every waiting message, and every negative message's topics by when (the parts' and loose
    /// messages' rows, gathered for ranking the same way).
    waits: HashMap<TouchpointId, Wait>,
    negatives: std::collections::BTreeMap<(i64, TouchpointId), Box<[u32]>>,
    /// Customers with a snoozed candidate, and those sent marketing lately: their candidates are
    /// looked at one by one when ranking (time alone ends both).
    snoozed: HashSet<CustomerId>,
    marketed: HashSet<CustomerId>,
    /// Advocates who are no detractors, most positive first.
    advocates: std::collections::BTreeSet<(std::cmp::Reverse<u32>, CustomerId)>,
    advocate_of: HashMap<CustomerId, u32>,
}

/// A candidate's place in the list: priority first, then due (`NOW` for whenever asked), then the
/// reason.
type Key = (std::cmp::Reverse<u8>, i64, Kind, CustomerId, TouchpointId, Option<NaiveDate>);

const SERVICE: usize = 0;
const SERVICE_NOW: usize = 1;
const MARKETING: usize = 2;
const MARKETING_NOW: usize = 3;

fn key(c: &Cand, customer: Option<CustomerId>) -> Key {
    (std::cmp::Reverse(c.priority), c.due, c.kind, customer.unwrap_or_default(), c.message, c.day)
}

/// The list's order as of `now` (unix seconds): those due whenever asked are due now.
fn at(mut k: Key, now: i64) -> Key {
    if k.1 == NOW {
        k.1 = now;
    }
    k
}

fn rank_of(c: &Cand) -> usize {
    match (c.kind.is_marketing(), c.due == NOW) {
        (false, false) => SERVICE,
        (false, true) => SERVICE_NOW,
        (true, false) => MARKETING,
        (true, true) => MARKETING_NOW,
    }
}

/// What the owner did with the suggestions of some reasons: done or dismissed, or snoozed until;
/// and whose they were (only their candidates' keys are looked up).
#[derive(Debug, Default)]
pub(crate) struct Settled {
    by_key: HashMap<String, (SuggestionStatus, Option<i64>)>,
    customers: HashSet<CustomerId>,
}

impl Settled {
    fn get(&self, key: &str) -> Option<&(SuggestionStatus, Option<i64>)> {
        self.by_key.get(key)
    }
}

fn settled_of(rows: Vec<SuggestionRow>) -> Settled {
    let customers = rows.iter().filter_map(|s| s.customer_id).collect();
    Settled { by_key: rows.into_iter().map(|s| (s.key, (s.status, s.snoozed_until.map(|t| t.timestamp())))).collect(), customers }
}

/// Rows read from the store, before they are sorted into parts.
pub(crate) struct Read {
    waits: Vec<WaitRow>,
    complaints: Vec<Said>,
    praise: Vec<Said>,
    negatives: Vec<NegativeRow>,
    marketed: Vec<(CustomerId, DateTime<Utc>)>,
}

impl Read {
    fn of(store: &Store, now: DateTime<Utc>, cap_days: i64, whose: Whose<'_>) -> Result<Read> {
        let db = store.db();
        let margin = Duration::days(MARGIN_DAYS);
        Ok(Read {
            waits: db.waits(whose)?,
            complaints: db.answered_complaints(now - Duration::days(CHECK_IN_UNTIL_DAYS) - margin, whose)?,
            praise: db.praise(now - Duration::days(THANK_WITHIN_DAYS) - margin, whose)?,
            negatives: db.negative_topics(now - Duration::days(RALLY_SINCE_DAYS) - margin, whose)?,
            marketed: db.last_marketed(now - Duration::days(cap_days) - margin, whose)?,
        })
    }
}

/// A customer's or a loose message's rows, by whose they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Owner {
    Customer(CustomerId),
    Message(TouchpointId),
}

impl Board {
    /// The board of the whole shop as of `now`, read afresh (`read` is what `read_all` returned,
    /// read meanwhile on another connection, or none to read it here).
    pub fn build(store: &Store, shop: &Shop, now: DateTime<Utc>, mark: i64, read: Option<(Read, Settled)>) -> Result<Board> {
        let cap_days = crate::settings::marketing_cap_days(store)?;
        let (read, settled) = match read {
            Some(read) => read,
            None => Board::read_all(store, now, cap_days)?,
        };
        let mut board = Board {
            as_of: now,
            mark,
            cap_days,
            shared: shop.shared(),
            ids: shop.customers.iter().map(|(b, _)| b.id).collect(),
            until: vec![i64::MAX; shop.customers.len()],
            parts: HashMap::new(),
            cands: Vec::new(),
            loose: HashMap::new(),
            topics: Vec::new(),
            topic_ids: HashMap::new(),
            ranks: Default::default(),
            waits: HashMap::new(),
            negatives: std::collections::BTreeMap::new(),
            snoozed: HashSet::new(),
            marketed: HashSet::new(),
            advocates: std::collections::BTreeSet::new(),
            advocate_of: HashMap::new(),
        };
        board.sort_in(read);
        // Everyone, in order; then those with rows who are no customer (any more).
        // (The ranks are built whole from their keys: one by one, a chain's take seconds.)
        let moments = shop.moments();
        let mut keys: [Vec<Key>; 4] = Default::default();
        let mut advocates = Vec::new();
        for (i, (b, insight)) in shop.customers.iter().enumerate() {
            let mut part = board.parts.remove(&b.id).unwrap_or_default();
            board.until[i] = make_part(&mut part, b, insight, shop.in_store.contains(&b.id), moments[i], &settled, now);
            if let Some(rows) = part.rows.as_mut() {
                settle_waits(&mut rows.waits, &settled);
                board.waits.extend(rows.waits.iter().map(|w| (w.id, *w)));
            }
            for c in &part.cands {
                keys[rank_of(c)].push(key(c, Some(b.id)));
            }
            if part.cands.iter().any(|c| c.snoozed != 0) {
                board.snoozed.insert(b.id);
            }
            if let Some(positive) = part.advocate {
                advocates.push((std::cmp::Reverse(positive), b.id));
            }
            board.cands.extend(std::mem::take(&mut part.cands).iter().map(|c| (b.id, *c)));
            if !part.is_empty() {
                board.parts.insert(b.id, part);
            }
        }
        board.cands.shrink_to_fit();
        board.ranks = keys.map(std::collections::BTreeSet::from_iter);
        board.advocate_of = advocates.iter().map(|a| (a.1, a.0 .0)).collect();
        board.advocates = advocates.into_iter().collect();
        let gone: Vec<CustomerId> = board.parts.keys().copied().filter(|id| shop.position(*id).is_none()).collect();
        board.make(shop, &gone, &settled, now);
        board.settle_loose(&settled, &board.loose.keys().copied().collect::<Vec<_>>());
        Ok(board)
    }

    /// Everything the board reads, for everyone, and what the owner did with every suggestion:
    /// what `build` needs, to be read on a connection of its own while the insight is computed.
    pub fn read_all(store: &Store, now: DateTime<Utc>, cap_days: i64) -> Result<(Read, Settled)> {
        Ok((Read::of(store, now, cap_days, Whose::All)?, settled_of(store.db().settled_suggestions(Whose::All)?)))
    }

    /// The marketing cap the board was made with (`read_all` needs it).
    pub fn cap_days(store: &Store) -> Result<i64> {
        crate::settings::marketing_cap_days(store)
    }

    fn topic(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.topic_ids.get(name) {
            return id;
        }
        let id = self.topics.len() as u32;
        self.topics.push(name.into());
        self.topic_ids.insert(name.into(), id);
        id
    }

    /// Sorts rows read into the parts and loose messages they belong to (replacing what those held).
    fn sort_in(&mut self, read: Read) {
        let mut fresh: HashMap<Owner, Rows> = HashMap::new();
        let owner = |customer: Option<CustomerId>, id: TouchpointId| customer.map_or(Owner::Message(id), Owner::Customer);
        for w in read.waits {
            let o = owner(w.customer_id, w.id);
            fresh.entry(o).or_default().waits.push(Wait::of(w));
        }
        for s in read.complaints {
            let Some(replied) = s.replied_at else { continue };
            fresh.entry(Owner::Customer(s.customer_id)).or_default().complaints.push((s.id, s.channel.parse().ok(), replied.timestamp()));
        }
        for s in read.praise {
            fresh.entry(Owner::Customer(s.customer_id)).or_default().praise.push((s.id, s.channel.parse().ok(), s.at.timestamp()));
        }
        for n in read.negatives {
            let topics: Box<[u32]> = n.topics.split(',').filter(|t| !t.is_empty()).map(|t| self.topic(t)).collect();
            fresh.entry(owner(n.customer_id, n.id)).or_default().negatives.push((n.at.timestamp(), n.id, topics));
        }
        for (c, at) in read.marketed {
            fresh.entry(Owner::Customer(c)).or_default().marketed = Some(at.timestamp());
        }
        for (o, rows) in fresh {
            match o {
                Owner::Customer(c) => {
                    let mut part = self.take(c);
                    part.set_rows(rows);
                    self.put(c, part);
                }
                Owner::Message(m) => {
                    self.take_loose(m);
                    self.put_loose(m, rows);
                }
            }
        }
    }

    /// Takes a customer's part out of the board (and out of its ranks and gathered rows).
    fn take(&mut self, id: CustomerId) -> Part {
        let mut part = self.parts.remove(&id).unwrap_or_default();
        let range = self.cand_range(id);
        part.cands = self.cands.drain(range).map(|(_, c)| c).collect();
        self.ungather(part.rows());
        for c in &part.cands {
            self.ranks[rank_of(c)].remove(&key(c, Some(id)));
        }
        self.snoozed.remove(&id);
        self.marketed.remove(&id);
        if let Some(positive) = self.advocate_of.remove(&id) {
            self.advocates.remove(&(std::cmp::Reverse(positive), id));
        }
        part
    }

    /// Puts a customer's part into the board (kept only if it holds rows or candidates).
    fn put(&mut self, id: CustomerId, part: Part) {
        if let Some(positive) = part.advocate {
            self.advocates.insert((std::cmp::Reverse(positive), id));
            self.advocate_of.insert(id, positive);
        }
        if part.is_empty() {
            return;
        }
        self.gather(part.rows());
        for c in &part.cands {
            self.ranks[rank_of(c)].insert(key(c, Some(id)));
        }
        if part.cands.iter().any(|c| c.snoozed != 0) {
            self.snoozed.insert(id);
        }
        if part.rows().marketed.is_some() {
            self.marketed.insert(id);
        }
        // Into the customers' candidates in their place, with a little room to spare when it grows
        // (doubling would hold twice a chain's candidates for one more).
        let at = self.cands.partition_point(|(c, _)| *c < id);
        if self.cands.len() + part.cands.len() > self.cands.capacity() {
            self.cands.reserve_exact(part.cands.len() + self.cands.len() / 16);
        }
        self.cands.splice(at..at, part.cands.iter().map(|c| (id, *c)));
        let part = Part { cands: Box::default(), ..part };
        if !part.is_empty() {
            self.parts.insert(id, part);
        }
    }

    /// Where a customer's candidates are in `cands`.
    fn cand_range(&self, id: CustomerId) -> std::ops::Range<usize> {
        let from = self.cands.partition_point(|(c, _)| *c < id);
        from..from + self.cands[from..].partition_point(|(c, _)| *c == id)
    }

    /// A customer's candidates.
    fn cands_of(&self, id: CustomerId) -> impl Iterator<Item = &Cand> {
        self.cands[self.cand_range(id)].iter().map(|(_, c)| c)
    }

    fn take_loose(&mut self, m: TouchpointId) -> Rows {
        let rows = self.loose.remove(&m).unwrap_or_default();
        self.ungather(&rows);
        rows
    }

    fn put_loose(&mut self, m: TouchpointId, rows: Rows) {
        if !rows.is_empty() {
            self.gather(&rows);
            self.loose.insert(m, rows);
        }
    }

    fn gather(&mut self, rows: &Rows) {
        self.waits.extend(rows.waits.iter().map(|w| (w.id, *w)));
        self.negatives.extend(rows.negatives.iter().map(|(at, id, topics)| ((*at, *id), topics.clone())));
    }

    fn ungather(&mut self, rows: &Rows) {
        for w in &rows.waits {
            self.waits.remove(&w.id);
        }
        for (at, id, _) in &rows.negatives {
            self.negatives.remove(&(*at, *id));
        }
    }

    /// Makes the candidates of these customers again, from their kept rows and their insight.
    fn make(&mut self, shop: &Shop, who: &[CustomerId], settled: &Settled, now: DateTime<Utc>) {
        // (Few in the tests, whose shops are small, so that both ways are taken there.)
        const MADE_ONE_BY_ONE: usize = if cfg!(test) { 8 } else { 256 };
        let moments = shop.moments();
        // Many customers at once (everyone, when the shop-wide figures moved): taken out of and put
        // back into the candidates' list one by one, each would move the rest of the list (100,000
        // customers made again took 8 s). The list is made again instead, in id order: each
        // customer's candidates moved to its end as their turn comes, where taking and putting
        // them moves nothing else.
        let many = who.len() > MADE_ONE_BY_ONE;
        let in_order: std::borrow::Cow<'_, [CustomerId]> = if many {
            let mut sorted = who.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            sorted.into()
        } else {
            who.into()
        };
        let old = if many { std::mem::take(&mut self.cands) } else { Vec::new() };
        if many {
            self.cands.reserve_exact(old.len() + old.len() / 16);
        }
        let mut next = 0;
        for &id in in_order.iter() {
            if many {
                let theirs = next + old[next..].partition_point(|(c, _)| *c < id);
                let end = theirs + old[theirs..].partition_point(|(c, _)| *c == id);
                self.cands.extend_from_slice(&old[next..end]);
                next = end;
            }
            let found = shop.position(id);
            let at = self.ids.binary_search(&id);
            match (found, at) {
                (Some(_), Err(k)) => {
                    self.ids.insert(k, id);
                    self.until.insert(k, i64::MAX);
                }
                (None, Ok(k)) => {
                    self.ids.remove(k);
                    self.until.remove(k);
                }
                _ => {}
            }
            let mut part = self.take(id);
            if let Some(rows) = part.rows.as_mut() {
                rows.prune(now.timestamp(), self.cap_days);
            }
            let until = match found {
                Some(i) => {
                    let (b, insight) = &shop.customers[i];
                    let until = make_part(&mut part, b, insight, shop.in_store.contains(&id), moments[i], settled, now);
                    Some(until)
                }
                None => {
                    part.cands = Box::default();
                    part.waiting = false;
                    part.advocate = None;
                    None
                }
            };
            if let Some(rows) = part.rows.as_mut() {
                settle_waits(&mut rows.waits, settled);
            }
            if let (Some(until), Ok(k)) = (until, self.ids.binary_search(&id)) {
                self.until[k] = until;
            }
            self.put(id, part);
        }
        self.cands.extend_from_slice(&old[next..]);
    }

    fn settle_loose(&mut self, settled: &Settled, which: &[TouchpointId]) {
        for &m in which {
            let mut rows = self.take_loose(m);
            settle_waits(&mut rows.waits, settled);
            self.put_loose(m, rows);
        }
    }

    /// Brings the board (made at an earlier moment) up to `now` and `shop` (the insight as of now).
    /// The result equals `build` as of now. Returns false, changing nothing of use, when building
    /// afresh is the better way (time ran backwards, too much changed, the notes since were let go
    /// of, the marketing cap changed).
    // One piece: the update in its passes (who changed, their rows read again, everyone whose moment came, all again when the insight's shop-wide figures moved), which share the board's tables.
    pub fn update(&mut self, store: &Store, shop: &Shop, now: DateTime<Utc>) -> Result<bool> {
        if now < self.as_of || crate::settings::marketing_cap_days(store)? != self.cap_days {
            return Ok(false);
        }
        let most = 1_000.max(self.ids.len() / 20);
        let db = store.db();
        let Some((noted, mark)) = db.changed_since(self.mark, most)? else { return Ok(false) };
        let customers: Vec<CustomerId> = noted.iter().copied().filter(|&id| id > 0).collect();
        let messages: Vec<TouchpointId> = noted.iter().filter(|&&id| id < 0).map(|&id| -id).collect();
        // Their rows read again.
        if !customers.is_empty() || !messages.is_empty() {
            for &id in &customers {
                let mut part = self.take(id);
                part.rows = None;
                self.put(id, part);
            }
            for &m in &messages {
                self.take_loose(m);
            }
            let mut read = Read::of(store, now, self.cap_days, Whose::Customers(&customers))?;
            let more = Read::of(store, now, self.cap_days, Whose::Messages(&messages))?;
            read.waits.extend(more.waits);
            read.negatives.extend(more.negatives);
            self.sort_in(read);
        }
        // Who is made again: those noted, those whose moment came, or everyone if the shop-wide
        // figures moved.
        let t = now.timestamp();
        let everyone = shop.shared() != self.shared;
        let mut who: Vec<CustomerId> = customers.iter().copied().chain(self.ids.iter().zip(&self.until).filter(|(_, &u)| u <= t).map(|(id, _)| *id)).collect();
        let everyone = everyone || who.len() > most;
        if everyone {
            who = self.ids.iter().copied().chain(self.parts.keys().copied()).chain(customers.iter().copied()).collect();
        }
        who.sort_unstable();
        who.dedup();
        // What the owner did with their suggestions: for a few, looked up by the keys they may have.
        let settled = if everyone {
            settled_of(db.settled_suggestions(Whose::All)?)
        } else {
            let mut keys = Vec::new();
            for id in &who {
                if let Some((b, i)) = shop.get(*id) {
                    let mut part = Part { rows: self.parts.get(id).and_then(|p| p.rows.clone()), ..Part::default() };
                    let _ = make_part(&mut part, b, i, shop.in_store.contains(id), i64::MAX, &Settled::default(), now);
                    keys.extend(part.cands.iter().map(|c| c.key(Some(*id))));
                }
                if let Some(part) = self.parts.get(id) {
                    keys.extend(part.rows().waits.iter().map(|w| format!("reply:t{}", w.id)));
                }
            }
            keys.extend(messages.iter().map(|m| format!("reply:t{m}")));
            settled_of(db.suggestions_with_keys(&keys)?.into_values().filter(|s| s.status != SuggestionStatus::Open).collect())
        };
        self.make(shop, &who, &settled, now);
        self.settle_loose(&settled, &messages);
        self.shared = shop.shared();
        self.as_of = now;
        self.mark = mark;
        Ok(true)
    }
}

/// Hides or snoozes waiting messages' replies as the owner did.
fn settle_waits(waits: &mut [Wait], settled: &Settled) {
    if settled.by_key.is_empty() {
        for w in waits {
            w.hidden = false;
            w.snoozed_until = None;
        }
        return;
    }
    for w in waits {
        let (hidden, snoozed) = match settled.get(&format!("reply:t{}", w.id)) {
            Some((SuggestionStatus::Done | SuggestionStatus::Dismissed, _)) => (true, None),
            Some((SuggestionStatus::Snoozed, until)) => (false, *until),
            _ => (false, None),
        };
        w.hidden = hidden;
        w.snoozed_until = snoozed;
    }
}

/// Makes a customer's candidates from their rows and insight as of `now`, as the owner settled
/// them; returns the moment (unix seconds) from which time alone may change them (`insight_moment`
/// among them).
// One piece: one block per kind of suggestion that comes from who a customer is and what they said, side by side so that their priorities and moments read together.
fn make_part(part: &mut Part, b: &BaseRow, i: &Insight, in_store: bool, insight_moment: i64, settled: &Settled, now: DateTime<Utc>) -> i64 {
    let t = now.timestamp();
    let today = now.date_naive();
    let mut until = insight_moment;
    let mut soonest = |moment: i64| {
        if moment > t {
            until = until.min(moment);
        }
    };
    let mut out: Vec<Cand> = Vec::new();
    let cand = |kind, priority: u32, channel, due, touchpoint: Option<TouchpointId>, day, merge| Cand {
        kind,
        priority: priority.min(100) as u8,
        channel,
        due,
        message: touchpoint.unwrap_or_default(),
        day,
        snoozed: 0,
        merge,
    };
    // Check in on complaints answered three to fourteen days ago, nothing said since.
    let rows = part.rows.as_deref().unwrap_or(&NO_ROWS);
    for &(id, channel, replied) in &rows.complaints {
        let (from, to) = (replied + CHECK_IN_AFTER_DAYS * DAY, replied + CHECK_IN_UNTIL_DAYS * DAY);
        soonest(from);
        soonest(to + 1);
        if t >= from && t <= to {
            out.push(cand(Kind::CheckIn, 70, channel, from, Some(id), None, Merge::CheckIn));
        }
    }
    // Thank for their newest praise of the last fortnight.
    if let Some(&(id, channel, at)) = rows.praise.iter().rev().find(|p| p.2 >= t - THANK_WITHIN_DAYS * DAY) {
        soonest(at + THANK_WITHIN_DAYS * DAY + 1);
        let influencer = i.labels.contains(&Label::Influencer);
        out.push(cand(Kind::Thank, if influencer { 60 } else { 55 }, channel, at + DAY, Some(id), None, Merge::Thank));
    }
    part.advocate = (i.labels.contains(&Label::Advocate) && !i.labels.contains(&Label::Detractor)).then_some(i.activity.positive);
    if i.labels.contains(&Label::Advocate) {
        out.push(cand(Kind::InviteAdvocate, 50, None, NOW, None, None, Merge::Invite));
    }
    if let (true, Some((answer, channel))) = (i.labels.contains(&Label::SuperUser), &i.activity.last_answer) {
        out.push(cand(Kind::Recognize, 48, channel.parse().ok(), NOW, Some(*answer), None, Merge::Recognize));
    }
    if i.labels.contains(&Label::AtRisk) && (i.value.monetary >= 3 || i.value.frequency >= 4) {
        out.push(cand(Kind::WinBack, 58 + i.value.monetary as u32, None, NOW, None, b.last_purchase.map(|t| t.date_naive()), Merge::WinBack));
    }
    if let Some(first) = b.first_purchase {
        let (from, to) = (first + Duration::days(WELCOME_AFTER_DAYS), first + Duration::days(WELCOME_UNTIL_DAYS + 1));
        soonest(from.timestamp());
        soonest(to.timestamp());
        let days = (now - first).num_days();
        if (WELCOME_AFTER_DAYS..=WELCOME_UNTIL_DAYS).contains(&days) && i.value.orders <= 1 {
            out.push(cand(Kind::Welcome, 45, None, from.timestamp(), None, None, Merge::Welcome));
        }
    }
    if let Some(next) = b.birthday.and_then(|d| next_birthday(d, today)) {
        let days = (next - today).num_days();
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map_or(i64::MAX, |m| m.and_utc().timestamp());
        // Each day nearer counts (its priority rises); before its week, the week's first day.
        soonest(if days <= BIRTHDAY_AHEAD_DAYS + 1 { midnight(today + Duration::days(1)) } else { midnight(next - Duration::days(BIRTHDAY_AHEAD_DAYS)) });
        if days <= BIRTHDAY_AHEAD_DAYS {
            let due = next.and_hms_opt(9, 0, 0).map_or(t, |d| d.and_utc().timestamp());
            out.push(cand(Kind::Birthday, 40 + (BIRTHDAY_AHEAD_DAYS - days) as u32, None, due, None, Some(next), Merge::Birthday));
        }
    }
    // Marketing: only on a channel they agreed to, and not to someone whose complaint or question
    // waits (the cap on how often is checked when ranking: it passes with time).
    part.waiting = rows.waits.iter().any(|w| matches!(w.class, Priority::Complaint | Priority::Question));
    let channel = marketing_channel(b, in_store);
    out.retain_mut(|c| {
        if !c.kind.is_marketing() {
            return true;
        }
        match channel {
            _ if part.waiting => false,
            // Someone who has stopped coming in is not won back "next time they are in".
            Some(Channel::InStore) if c.kind == Kind::WinBack => false,
            Some(channel) => {
                c.channel = Some(channel);
                true
            }
            None => false,
        }
    });
    // What the owner did with each reason: dismissed and done stay gone; snoozed waits.
    if settled.customers.contains(&b.id) {
        out.retain_mut(|c| match settled.get(&c.key(Some(b.id))) {
            Some((SuggestionStatus::Done | SuggestionStatus::Dismissed, _)) => false,
            Some((SuggestionStatus::Snoozed, until)) => {
                c.snoozed = until.unwrap_or_default();
                true
            }
            _ => true,
        });
    }
    part.cands = out.into_boxed_slice();
    until
}

/// One suggestion ranked in: a candidate and whom it is about; a rally, with its words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Picked {
    pub cand: Cand,
    pub customer: Option<CustomerId>,
    /// A rally's key, reason and draft (about the whole shop, written when ranked).
    pub rally: Option<(String, String, String)>,
}

/// The ranked list: its first suggestions, whether that is all of them, and the marketing waiting
/// for the days after.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ranked {
    pub list: Vec<Picked>,
    pub complete: bool,
    pub later: usize,
}

impl Board {
    /// The candidate behind a key (one of a customer's own).
    fn cand(&self, k: &Key) -> Option<&Cand> {
        self.cands_of(k.3).find(|c| c.kind == k.2 && c.message == k.4 && c.day == k.5)
    }

    /// Whether a customer was sent marketing within the cap, as of `now`.
    fn marketed_now(&self, id: CustomerId, now: i64) -> bool {
        self.marketed.contains(&id) && self.parts.get(&id).and_then(|p| p.rows().marketed).is_some_and(|m| m + self.cap_days * DAY >= now)
    }

    /// The first `keep` suggestions as of `now` (that the board was brought up to), most important
    /// first, with a day's marketing `budget` at most. Visits the first ones of the ranks kept in
    /// order, the customers snoozed or sent marketing lately, and every waiting message (the
    /// inbox's order moves with time); not every customer.
    // One piece: the ranking's stages in order (replies by the inbox's order, the rest, the rally, the marketing budget, the first ones), each a loop of a few lines.
    pub fn rank(&self, store: &Store, now: DateTime<Utc>, budget: usize, keep: usize) -> Result<Ranked> {
        let t = now.timestamp();
        let visible = |c: &Cand| c.snoozed_until().is_none_or(|until| until <= t);
        // Replies, in the inbox's order: the first thirty ranked from 100 down, the rest at 70.
        let targets = listening::reply_targets(store)?;
        let mut waits: Vec<(Priority, (bool, f64), i64, TouchpointId, &Wait)> = self
            .waits
            .values()
            .map(|w| {
                let s = listening::standing(w.kind, w.at, w.reach, w.spend_cents, &targets, now);
                (w.class, s.order, w.at.timestamp(), w.id, w)
            })
            .collect();
        let by_inbox = |a: &(Priority, (bool, f64), i64, TouchpointId, &Wait), b: &(Priority, (bool, f64), i64, TouchpointId, &Wait)| {
            a.0.cmp(&b.0).then(a.1 .0.cmp(&b.1 .0)).then(a.1 .1.total_cmp(&b.1 .1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3))
        };
        if waits.len() > REPLIES_RANKED {
            waits.select_nth_unstable_by(REPLIES_RANKED, by_inbox);
        }
        let ranked = waits.len().min(REPLIES_RANKED + 1);
        waits[..ranked].sort_by(by_inbox);
        let mut replies: Vec<(Key, Cand, Option<CustomerId>)> = waits
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.4.hidden)
            .map(|(k, (_, _, _, _, w))| {
                let priority = 100u32.saturating_sub(k.min(REPLIES_RANKED) as u32).max(70);
                let due = listening::standing(w.kind, w.at, w.reach, w.spend_cents, &targets, now).due_at.timestamp();
                let c = Cand { kind: Kind::Reply, priority: priority as u8, channel: Some(w.channel), due, message: w.id, day: None, snoozed: w.snoozed_until.unwrap_or_default(), merge: Merge::Reply };
                (key(&c, w.customer), c, w.customer)
            })
            .filter(|r| visible(&r.1))
            .collect();
        let replies_visible = replies.len();
        if replies.len() > keep {
            replies.select_nth_unstable_by(keep, |a, b| a.0.cmp(&b.0));
            replies.truncate(keep);
        }
        let rallies = self.rallies(store, now)?;
        // The first visible ones of everyone's own service suggestions, beside the replies and rallies.
        let snoozed_out = |k: &Key| self.snoozed.contains(&k.3) && self.cand(k).is_some_and(|c| !visible(c));
        let mut service: Vec<(Key, Picked)> = replies.into_iter().map(|(k, cand, customer)| (k, Picked { cand, customer, rally: None })).collect();
        service.extend(rallies.into_iter().map(|p| (at(key(&p.cand, None), t), p)));
        for rank in [SERVICE, SERVICE_NOW] {
            for k in self.ranks[rank].iter().filter(|k| !snoozed_out(k)).take(keep) {
                if let Some(c) = self.cand(k) {
                    service.push((at(*k, t), Picked { cand: *c, customer: Some(k.3), rally: None }));
                }
            }
        }
        let hidden_service = self.snoozed.iter().flat_map(|id| self.cands_of(*id)).filter(|c| !c.kind.is_marketing() && !visible(c)).count();
        let service_total = replies_visible + service.iter().filter(|s| s.1.cand.kind == Kind::Rally).count() + self.ranks[SERVICE].len() + self.ranks[SERVICE_NOW].len() - hidden_service;
        // A day's marketing is a day's work: one offer a customer, the first `budget` of them, in
        // the list's order; the rest wait for the days after.
        let offer = |k: &&Key| !snoozed_out(k) && !self.marketed_now(k.3, t);
        let mut fixed = self.ranks[MARKETING].iter().filter(offer).peekable();
        let mut floating = self.ranks[MARKETING_NOW].iter().filter(offer).peekable();
        let mut chosen: Vec<(Key, Picked)> = Vec::new();
        let mut seen = HashSet::new();
        while chosen.len() < budget {
            let next = match (fixed.peek(), floating.peek()) {
                (Some(a), Some(b)) if **a <= at(**b, t) => fixed.next(),
                (Some(_), Some(_)) | (None, Some(_)) => floating.next(),
                (Some(_), None) => fixed.next(),
                (None, None) => None,
            };
            let Some(k) = next else { break };
            if seen.insert(k.3) {
                if let Some(c) = self.cand(k) {
                    chosen.push((at(*k, t), Picked { cand: *c, customer: Some(k.3), rally: None }));
                }
            }
        }
        // Offers that count: all, less those of customers sent marketing lately and those snoozed.
        let offers = |id: CustomerId| self.cands_of(id).filter(|c| c.kind.is_marketing() && visible(c)).count();
        let all_offers = self.ranks[MARKETING].len() + self.ranks[MARKETING_NOW].len();
        let marketed: usize = self.marketed.iter().filter(|id| self.marketed_now(**id, t)).map(|id| self.cands_of(*id).filter(|c| c.kind.is_marketing()).count()).sum();
        let snoozed_offers: usize = self
            .snoozed
            .iter()
            .filter(|id| !self.marketed_now(**id, t))
            .flat_map(|id| self.cands_of(*id))
            .filter(|c| c.kind.is_marketing() && !visible(c))
            .count();
        let later = all_offers - marketed - snoozed_offers - chosen.iter().map(|c| offers(c.1.customer.unwrap_or_default())).sum::<usize>();
        // The first `keep` of it all.
        let total = service_total + chosen.len();
        service.extend(chosen);
        if service.len() > keep {
            service.select_nth_unstable_by(keep, |a, b| a.0.cmp(&b.0));
            service.truncate(keep);
        }
        service.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Ranked { list: service.into_iter().map(|s| s.1).collect(), complete: total <= keep, later })
    }

    /// When one topic's negative messages in the last week are at least three and at least double
    /// the weekly rate of the four weeks before: a crisis in the making.
    fn rallies(&self, store: &Store, now: DateTime<Utc>) -> Result<Vec<Picked>> {
        let t = now.timestamp();
        let (recent_from, since) = (t - RALLY_RECENT_DAYS * DAY, t - RALLY_SINCE_DAYS * DAY);
        let mut recent = vec![0u32; self.topics.len()];
        let mut before = vec![0u32; self.topics.len()];
        for ((at, _), topics) in self.negatives.range((since, TouchpointId::MIN)..=(t, TouchpointId::MAX)) {
            let bucket = if *at >= recent_from { &mut recent } else { &mut before };
            for &topic in topics.iter() {
                bucket[topic as usize] += 1;
            }
        }
        let mut topics: Vec<(&str, u32, f64)> = (0..self.topics.len())
            .map(|k| (&*self.topics[k], recent[k], before[k] as f64 / 4.0))
            .filter(|&(_, n, weekly_before)| n >= 3 && n as f64 >= 2.0 * weekly_before.max(0.5))
            .collect();
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        topics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // The three most positive advocates, by name among equals (names looked up for those
        // that can be among them only).
        let mut first: Vec<(std::cmp::Reverse<u32>, CustomerId)> = Vec::new();
        for a in &self.advocates {
            if first.len() >= 3 && first[2].0 != a.0 {
                break;
            }
            first.push(*a);
        }
        let named = store.db().display_names(&first.iter().map(|a| a.1).collect::<Vec<_>>())?;
        let mut first: Vec<(std::cmp::Reverse<u32>, &str)> = first.iter().filter_map(|a| Some((a.0, named.get(&a.1)?.as_str()))).collect();
        first.sort();
        let names: Vec<&str> = first.iter().take(3).map(|a| a.1).collect();
        let keys: Vec<String> = topics.iter().map(|(topic, _, _)| format!("rally:{topic}:{}", now.format("%G-W%V"))).collect();
        let settled = store.db().suggestions_with_keys(&keys)?;
        let mut out = Vec::new();
        for ((topic, n, weekly_before), key) in topics.into_iter().zip(keys) {
            let snoozed_until = match settled.get(&key) {
                Some(s) if matches!(s.status, SuggestionStatus::Done | SuggestionStatus::Dismissed) => continue,
                Some(s) if s.status == SuggestionStatus::Snoozed => s.snoozed_until.map(|u| u.timestamp()),
                _ => None,
            };
            if snoozed_until.is_some_and(|u| u > t) {
                continue;
            }
            let ask = if names.is_empty() {
                "Once it is fixed, customers who have had good experiences may be glad to say so.".to_string()
            } else {
                format!(
                    "Once you have said what you are doing about it, you could ask customers who know you well ({}) whether they'd share their own honest experience. Never give them words to post.",
                    names.join(", ")
                )
            };
            let why = format!("{n} negative messages about {topic} in the last 7 days, against about {weekly_before:.1} a week before");
            let draft = format!("Several customers are unhappy about {topic} this week. Answer each of them first, then say in public what you are doing about it. {ask}");
            let cand = Cand { kind: Kind::Rally, priority: 88, channel: None, due: NOW, message: 0, day: None, snoozed: snoozed_until.unwrap_or_default(), merge: Merge::Plain };
            out.push(Picked { cand, customer: None, rally: Some((key, why, draft)) });
        }
        Ok(out)
    }
}

/// The board as of `now`, kept (see `cases::memo`) and brought up to date with the insight, or
/// built afresh.
pub(crate) fn current(store: &Store, now: DateTime<Utc>) -> Result<std::sync::Arc<Board>> {
    let tag = now.timestamp().div_euclid(60) as u64;
    if let Some(board) = KEPT.get(store, tag)? {
        return Ok(board);
    }
    if let Some((_, _, mut board)) = KEPT.latest(store)? {
        let shop = insight::compute_cached(store, now)?;
        KEPT.forget(store);
        if std::sync::Arc::make_mut(&mut board).update(store, &shop, now)? {
            KEPT.put(store, tag, board.clone())?;
            return Ok(board);
        }
    }
    // Afresh: what it reads does not depend on the insight, so when that has to be computed too,
    // it is read meanwhile on a connection of its own (see `insight::compute`).
    let mark = store.db().changes_mark()?;
    let cap_days = Board::cap_days(store)?;
    let (shop, read) = std::thread::scope(|scope| {
        let reader = store.parallel_reader().filter(|_| store.db().autocommit() && !insight::is_cached(store, now));
        let ahead = reader.map(|reader| scope.spawn(move || Board::read_all(&reader.open()?, now, cap_days)));
        let shop = insight::compute_cached(store, now)?;
        let read = match ahead {
            Some(handle) => Some(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?),
            None => None,
        };
        Ok::<_, Error>((shop, read))
    })?;
    let board = std::sync::Arc::new(Board::build(store, &shop, now, mark, read)?);
    KEPT.put(store, tag, board.clone())?;
    Ok(board)
}

/// The board last made for each store.
static KEPT: crate::cases::memo::Memo<Board> = crate::cases::memo::Memo::new();


#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ConsentStatus, CustomerDraft, PurchaseDraft, TouchpointDraft};

    #[test]
    fn birthdays_roll_to_next_year_and_leap_days_to_march() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        assert_eq!(next_birthday(NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(), today), NaiveDate::from_ymd_opt(2027, 1, 2));
        assert_eq!(next_birthday(NaiveDate::from_ymd_opt(1992, 2, 29).unwrap(), NaiveDate::from_ymd_opt(2026, 2, 20).unwrap()), NaiveDate::from_ymd_opt(2026, 3, 1));
    }

    /// A seeded stream of numbers, so that a failure repeats.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn change(now: DateTime<Utc>) -> crate::customers::Change {
        crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() }
    }

    fn draft(i: u64, dice: &mut Dice, now: DateTime<Utc>) -> CustomerDraft {
        let consent = |d: &mut Dice| [ConsentStatus::Yes, ConsentStatus::No, ConsentStatus::Unknown][d.roll(3) as usize];
        CustomerDraft {
            first_name: format!("C{i}"),
            emails: if dice.roll(3) > 0 { vec![format!("c{i}@example.com")] } else { Vec::new() },
            phones: if dice.roll(2) > 0 { vec![format!("+44 7911 {:06}", 100_000 + i)] } else { Vec::new() },
            // Birthdays near now, so that they come into their week and pass.
            birthday: if dice.roll(2) > 0 { (now.date_naive() + Duration::days(dice.roll(40) as i64)).format("1990-%m-%d").to_string() } else { String::new() },
            consent: crate::model::Consent { email: consent(dice), sms: consent(dice) },
            ..Default::default()
        }
    }

    /// One random change, as the owner and the shop's messages make them (`what` says which).
    // One piece: one arm per kind of change, side by side.
    fn random_change(store: &mut Store, ids: &mut Vec<CustomerId>, dice: &mut Dice, now: DateTime<Utc>, step: u64, buying: bool) -> u64 {
        let who = ids[dice.roll(ids.len() as u64) as usize];
        let when = (now - Duration::hours(dice.roll(24 * 30) as i64)).to_rfc3339();
        let kinds = ["review", "comment", "complaint", "question", "post", "answer", "mention", "dm"];
        let texts = ["Love it, wonderful shop", "Terrible, the delivery broke it", "Where is my parcel?", "ok", "Awful sizes, returns are slow"];
        let message = |dice: &mut Dice, customer: Option<CustomerId>| TouchpointDraft {
            customer_id: customer,
            author: if customer.is_none() { format!("@someone{}", dice.roll(6)) } else { String::new() },
            channel: ["instagram", "email", "google_reviews", "whatsapp"][dice.roll(4) as usize].into(),
            kind: kinds[dice.roll(8) as usize].into(),
            text: texts[dice.roll(5) as usize].into(),
            reach: Some(dice.roll(9_000) as i64),
            rating: Some(1 + dice.roll(5) as i64),
            at: (now - Duration::hours(dice.roll(24 * 20) as i64)).to_rfc3339(),
            ..Default::default()
        };
        let waiting = |store: &Store| store.db().waits(Whose::All).unwrap();
        let what = dice.roll(13);
        // Some changes are refused (a reply to what no longer waits): nothing changes then.
        let _ = match what {
            0 | 1 if buying => {
                let draft = PurchaseDraft { customer_id: Some(who), at: when, amount: format!("{}.50", 5 + dice.roll(90)), channel: ["in_store", "online"][dice.roll(2) as usize].into(), ..Default::default() };
                crate::purchases::add(store, &draft, &change(now)).map(|_| ())
            }
            // A few customers say much (advocates, detractors), the rest little.
            0..=3 => {
                let who = if dice.roll(2) == 0 { ids[dice.roll(5.min(ids.len() as u64)) as usize] } else { who };
                crate::touchpoints::add(store, &message(dice, Some(who)), &change(now)).map(|_| ())
            }
            4 => crate::touchpoints::add(store, &message(dice, None), &change(now)).map(|_| ()),
            5 => match waiting(store).get(dice.roll(8) as usize) {
                Some(w) => crate::touchpoints::reply(store, w.id, "Thank you, sorted!", now, now).map(|_| ()),
                None => Ok(()),
            },
            6 => match waiting(store).into_iter().find(|w| w.customer_id.is_none()) {
                Some(w) => crate::touchpoints::link(store, w.id, who, &change(now)).map(|_| ()),
                None => Ok(()),
            },
            7 => crate::customers::get(store, who).and_then(|c| {
                let mut d = CustomerDraft::from(&c);
                let fresh = draft(step, dice, now);
                d.birthday = fresh.birthday;
                d.consent = fresh.consent;
                crate::customers::update(store, who, &d, &change(now)).map(|_| ())
            }),
            8 | 9 => {
                let list = crate::followups::suggest(store, now, 40).unwrap();
                match list.get(dice.roll(list.len().max(1) as u64) as usize) {
                    Some(s) => match dice.roll(4) {
                        0 => crate::followups::done(store, s.id, None, now).map(|_| ()),
                        1 => crate::followups::dismiss(store, s.id, now),
                        2 => crate::followups::snooze(store, s.id, now + Duration::hours(1 + dice.roll(72) as i64), now),
                        _ => crate::followups::reopen(store, s.id),
                    },
                    None => Ok(()),
                }
            }
            // Referrals make advocates.
            11 => insight::set_referral(store, ids[dice.roll(ids.len() as u64) as usize], ids[5 + dice.roll(5) as usize], now, "test"),
            10 if ids.len() > 10 => crate::customers::delete(store, who, now).map(|_| ids.retain(|&i| i != who)),
            _ => crate::customers::create(store, &draft(100 + step, dice, now), &change(now)).map(|c| ids.push(c.id)),
        };
        what
    }

    /// The list as plainly as it can be made: every candidate of every customer and message,
    /// sorted whole, the budget walked from the top. What `Board::rank` must equal.
    fn rank_plainly(board: &Board, store: &Store, now: DateTime<Utc>, budget: usize, keep: usize) -> Ranked {
        let t = now.timestamp();
        let visible = |c: &Cand| c.snoozed_until().is_none_or(|until| until <= t);
        let targets = listening::reply_targets(store).unwrap();
        let mut waits: Vec<&Wait> = board.parts.values().flat_map(|p| &p.rows().waits).chain(board.loose.values().flat_map(|r| &r.waits)).collect();
        let place = |w: &Wait| {
            let s = listening::standing(w.kind, w.at, w.reach, w.spend_cents, &targets, now);
            (w.class, s.order.0, s.order.1, w.at, w.id, s.due_at.timestamp())
        };
        waits.sort_by(|a, b| {
            let (a, b) = (place(a), place(b));
            (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)).then((a.3, a.4).cmp(&(b.3, b.4)))
        });
        let mut all: Vec<(Key, Picked)> = Vec::new();
        for (i, w) in waits.iter().enumerate() {
            let c = Cand { kind: Kind::Reply, priority: 100u32.saturating_sub(i as u32).max(70) as u8, channel: Some(w.channel), due: place(w).5, message: w.id, day: None, snoozed: w.snoozed_until.unwrap_or_default(), merge: Merge::Reply };
            if !w.hidden && visible(&c) {
                all.push((key(&c, w.customer), Picked { cand: c, customer: w.customer, rally: None }));
            }
        }
        for &(id, c) in &board.cands {
            let marketed = board.parts.get(&id).is_some_and(|p| p.rows().marketed.is_some_and(|m| m + board.cap_days * DAY >= t));
            if visible(&c) && !(c.kind.is_marketing() && marketed) {
                all.push((at(key(&c, Some(id)), t), Picked { cand: c, customer: Some(id), rally: None }));
            }
        }
        all.extend(board.rallies(store, now).unwrap().into_iter().map(|p| (at(key(&p.cand, None), t), p)));
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let (mut kept, mut offered, mut later) = (Vec::new(), HashSet::new(), 0);
        for (_, p) in all {
            if p.cand.kind.is_marketing() {
                let id = p.customer.unwrap();
                if offered.contains(&id) {
                    continue;
                }
                if offered.len() >= budget {
                    later += 1;
                    continue;
                }
                offered.insert(id);
            }
            kept.push(p);
        }
        let complete = kept.len() <= keep;
        kept.truncate(keep);
        Ranked { list: kept, complete, later }
    }

    /// Random changes (purchases, messages with and without a customer, replies, links, edits,
    /// the owner's done, dismissed, snoozed and reopened, deletions, new customers) and time moving
    /// on (by minutes, hours and days, across birthdays' weeks, welcome and thank-you windows and
    /// snoozes' ends): the board brought up to date ranks every suggestion as a board built afresh.
    /// In a shop without purchases the insight's shop-wide figures never move (with purchases they
    /// move with each day, and everyone is made again): there, each moment alone brings its
    /// customer's suggestions up to date.
    #[test]
    fn brought_up_to_date_ranks_as_built_afresh_after_random_changes() {
        ranks_as_built_afresh(&[(5, true, 250), (19, true, 250), (2026, true, 250), (7, false, 250), (23, false, 250)], || Store::open_in_memory().unwrap());
    }

    /// The same on a shop shared on a real PostgreSQL server (tests/common/pg_server.rs), whose
    /// notes are its own triggers' (Postgres migration 0008).
    #[test]
    fn brought_up_to_date_ranks_as_built_afresh_on_a_server_too() {
        let server = crate::test_server::Postgres::start();
        ranks_as_built_afresh(&[(5, true, 250), (7, false, 250)], || Store::open_shared(&server.database()).unwrap());
    }

    /// Many customers made again at once, in any order and not the last ones: the list of
    /// candidates is made again in id order, everyone else's kept as they were.
    #[test]
    fn customers_made_again_in_bulk_leave_the_board_as_built() {
        let mut dice = Dice(31);
        let now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut ids: Vec<CustomerId> = (0..60).map(|i| crate::customers::create(&mut store, &draft(i, &mut dice, now), &change(now)).unwrap().id).collect();
        for step in 0..150 {
            random_change(&mut store, &mut ids, &mut dice, now, step, true);
        }
        let shop = insight::compute(&store, now).unwrap();
        let mark = store.db().changes_mark().unwrap();
        let fresh = Board::build(&store, &shop, now, mark, None).unwrap();
        let settled = settled_of(store.db().settled_suggestions(Whose::All).unwrap());
        let mut middle: Vec<CustomerId> = ids[10..40].to_vec();
        middle.reverse();
        assert!(middle.len() > 8 && fresh.cands.iter().any(|(c, _)| *c > ids[40]), "more than are made one by one, and some after them");
        for who in [middle.clone(), ids.clone(), ids[..3].to_vec()] {
            let mut board = Board::build(&store, &shop, now, mark, None).unwrap();
            board.make(&shop, &who, &settled, now);
            assert_eq!(board.cands, fresh.cands, "{} made again", who.len());
            assert_eq!(board.rank(&store, now, 1_000, usize::MAX).unwrap(), fresh.rank(&store, now, 1_000, usize::MAX).unwrap());
        }
    }

    /// Each (seed, with purchases, steps) of random changes on a new store from `open`.
    fn ranks_as_built_afresh(runs: &[(u64, bool, u64)], open: impl Fn() -> Store) {
        for &(seed, buying, steps) in runs {
            let mut dice = Dice(seed);
            let mut now: DateTime<Utc> = "2026-06-01T12:00:00Z".parse().unwrap();
            let mut store = open();
            let mut ids: Vec<CustomerId> = (0..40).map(|i| crate::customers::create(&mut store, &draft(i, &mut dice, now), &change(now)).unwrap().id).collect();
            let shop = insight::compute(&store, now).unwrap();
            let mut board = Board::build(&store, &shop, now, store.db().changes_mark().unwrap(), None).unwrap();
            let mut seen = HashSet::new();
            for step in 0..steps {
                let what = random_change(&mut store, &mut ids, &mut dice, now, step, buying);
                now += match dice.roll(4) {
                    0 => Duration::zero(),
                    1 => Duration::minutes(dice.roll(90) as i64),
                    2 => Duration::hours(dice.roll(30) as i64),
                    _ => Duration::days(dice.roll(6) as i64),
                };
                let shop = insight::compute(&store, now).unwrap();
                assert!(board.update(&store, &shop, now).unwrap(), "step {step}: brought up to date");
                let mark = store.db().changes_mark().unwrap();
                let fresh = Board::build(&store, &shop, now, mark, None).unwrap();
                for budget in [2, 1_000] {
                    let (got, want) = (board.rank(&store, now, budget, usize::MAX).unwrap(), fresh.rank(&store, now, budget, usize::MAX).unwrap());
                    assert_eq!(got, want, "seed {seed}, step {step} ({what}), budget {budget}");
                    assert_eq!(got, rank_plainly(&fresh, &store, now, budget, usize::MAX), "seed {seed}, step {step}: ranked as plainly");
                    seen.extend(want.list.iter().map(|p| p.cand.kind));
                }
                let (got, want) = (board.rank(&store, now, 2, 7).unwrap(), fresh.rank(&store, now, 2, 7).unwrap());
                assert_eq!(got, want, "seed {seed}, step {step}: the first seven");
                assert_eq!(got, rank_plainly(&board, &store, now, 2, 7), "seed {seed}, step {step}: the first seven, as plainly");
            }
            let kinds: &[Kind] = if buying {
                &[Kind::Reply, Kind::CheckIn, Kind::Thank, Kind::InviteAdvocate, Kind::WinBack, Kind::Welcome, Kind::Birthday]
            } else {
                &[Kind::Reply, Kind::CheckIn, Kind::Thank, Kind::InviteAdvocate, Kind::Birthday]
            };
            for kind in kinds {
                assert!(seen.contains(kind), "seed {seed}: the changes made a {kind:?} at some point ({seen:?})");
            }
        }
    }
}
