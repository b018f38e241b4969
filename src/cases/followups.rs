//! Customise: the follow-up engine. From the inbox, the touchpoints, the purchases and each
//! customer's insight, as of a given `now`, it suggests what to do today: who to answer, check on,
//! thank, invite, recognise, win back, welcome or wish a happy birthday, and when one topic's
//! complaints spike, to rally. Each suggestion has its customer, channel, priority, due time, the
//! facts behind it (`why`, with figures) and a draft message with the customer's details merged in.
//!
//! Rules: service messages (reply, check-in, thanks, recognition) go out on the channel the customer
//! used; marketing (win-back, birthday, advocate invitations, welcome) only on a channel they agreed
//! to (email, or text and WhatsApp under the SMS consent), their preferred channel first, else in
//! person if they shop in store, else not at all; at most one marketing touch per customer per
//! `marketing_cap_days`. A suggestion is stored under its reason (`key`), so its id is stable, and a
//! dismissed or done one does not come back for the same reason; a snoozed one comes back when due.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::cases::board::{self, Merge};
pub use crate::cases::board::{marketing_channel, Kind};
use crate::insight::{self, Label, Shop};
use crate::listening;
use crate::model::{Channel, CustomerId, TouchpointId};
use crate::store::{BaseRow, Contact, Store, SuggestionStatus};

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: i64,
    /// The reason it exists ("thank:t42"): the same reason keeps the same id.
    pub key: String,
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub kind: Kind,
    /// Where to say it; `in_store` means in person, next time they come in.
    pub channel: Option<Channel>,
    /// 0 to 100: the list is sorted by it, highest first.
    pub priority: u32,
    pub due: DateTime<Utc>,
    pub why: String,
    pub draft: String,
    /// The touchpoint it answers, if any.
    pub touchpoint_id: Option<TouchpointId>,
    pub marketing: bool,
    /// Where to write to them, when there is an address: "mailto:…", "sms:…", a profile URL.
    pub address: Option<String>,
}

fn first_name(b: &BaseRow) -> String {
    if b.first_name.trim().is_empty() {
        b.display_name.split_whitespace().next().unwrap_or("there").trim_start_matches('@').to_string()
    } else {
        b.first_name.to_string()
    }
}

fn ago(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    match (now - at).num_days() {
        0 => format!("{} ago", listening::minutes_text((now - at).num_minutes().max(0))),
        1 => "yesterday".to_string(),
        d => format!("{d} days ago"),
    }
}

fn quote(text: &str) -> String {
    let t: String = text.chars().take(80).collect();
    if t.chars().count() < text.chars().count() {
        format!("“{}…”", t.trim_end())
    } else {
        format!("“{t}”")
    }
}

/// Checks an address before the system is asked to open it: an email (`mailto:`), a phone (`sms:`,
/// `tel:`), or an https link to a known social network or WhatsApp, with nothing that a handler
/// could take for options or scripts. Returns it as it should be opened.
pub fn checked_address(address: &str) -> Result<String> {
    const HOSTS: &[&str] = &["instagram.com", "facebook.com", "www.tiktok.com", "x.com", "www.youtube.com", "wa.me"];
    let a = address.trim();
    let bad = || Error::invalid_field("address", format!("“{a}” is not an address Regulars opens"));
    if a.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')) {
        return Err(bad());
    }
    if let Some(email) = a.strip_prefix("mailto:") {
        if email.contains(['?', '&', '=', '%', ',', ';']) {
            return Err(bad());
        }
        return crate::normalize::email(email).map(|e| format!("mailto:{e}")).map_err(|_| bad());
    }
    for scheme in ["sms:", "tel:"] {
        if let Some(phone) = a.strip_prefix(scheme) {
            if phone.starts_with('+') && phone.len() > 4 && phone[1..].chars().all(|c| c.is_ascii_digit()) {
                return Ok(a.to_string());
            }
            return Err(bad());
        }
    }
    let rest = a.strip_prefix("https://").ok_or_else(bad)?;
    let host = rest.split('/').next().unwrap_or("");
    let path = &rest[host.len()..];
    if HOSTS.contains(&host) && path.starts_with('/') && path.len() > 1 && path.chars().all(|c| c.is_ascii_alphanumeric() || "/@._-".contains(c)) {
        Ok(a.to_string())
    } else {
        Err(bad())
    }
}

/// An address to write to a customer on a channel, when there is one.
fn address(b: &Contact, channel: Option<Channel>) -> Option<String> {
    let handle = |platform: &str| b.handles.iter().find(|(p, _)| p == platform).map(|(_, h)| h.clone());
    match channel? {
        Channel::Email => b.email.as_ref().map(|e| format!("mailto:{e}")),
        Channel::Sms => b.phone.as_ref().map(|p| format!("sms:{p}")),
        Channel::Phone => b.phone.as_ref().map(|p| format!("tel:{p}")),
        Channel::Whatsapp => b.phone.as_ref().map(|p| format!("https://wa.me/{}", p.trim_start_matches('+'))),
        Channel::Instagram => handle("instagram").map(|h| format!("https://instagram.com/{h}")),
        Channel::Facebook => handle("facebook").map(|h| format!("https://facebook.com/{h}")),
        Channel::Tiktok => handle("tiktok").map(|h| format!("https://www.tiktok.com/@{h}")),
        Channel::X => handle("x").map(|h| format!("https://x.com/{h}")),
        Channel::Youtube => handle("youtube").map(|h| format!("https://www.youtube.com/@{h}")),
        _ => None,
    }
}

/// The suggestions as of `now`, most important first (at most `limit`). New reasons are stored, so
/// that each keeps its id; dismissed and done ones, and snoozed ones not yet due, are left out.
pub fn suggest(store: &mut Store, now: DateTime<Utc>, limit: usize) -> Result<Vec<Suggestion>> {
    let tag = minute(now);
    let mut all = all_suggestions(store, now, limit)?;
    let shown = limit.min(all.list.len());
    // Ids and merge fields are settled only for the suggestions handed out, once, in place: the
    // kept list lets go of its copy first.
    if all.list[..shown].iter().any(|s| s.id == 0) || all.merges[..shown].iter().any(Option::is_some) {
        KEPT.forget(store);
        let filled = std::sync::Arc::make_mut(&mut all);
        let shop = insight::compute_cached(store, now)?;
        let shop_name = shop_name(store)?;
        let formats = crate::settings::formats(store)?;
        fill_merge_fields(store, &shop, now, &shop_name, &formats, &mut filled.list[..shown], &filled.merges[..shown])?;
        let ids: Vec<i64> = store.write(|w| {
            filled.list[..shown]
                .iter()
                .map(|s| w.ensure_suggestion(&s.key, s.customer_id, s.kind.as_str(), s.marketing, now))
                .collect()
        })?;
        for (s, id) in filled.list[..shown].iter_mut().zip(ids) {
            s.id = id;
        }
        for m in &mut filled.merges[..shown] {
            *m = None;
        }
        KEPT.put(store, tag, all.clone())?;
    }
    Ok(all.list[..shown].to_vec())
}

/// The list, kept or computed: all of it, or at least its first `at_least`.
fn all_suggestions(store: &mut Store, now: DateTime<Utc>, at_least: usize) -> Result<std::sync::Arc<All>> {
    let tag = minute(now);
    match KEPT.get(store, tag)? {
        Some(all) if all.complete || all.list.len() >= at_least => Ok(all),
        _ => {
            let all = std::sync::Arc::new(compute_all(store, now, at_least.max(KEEP))?);
            KEPT.put(store, tag, all.clone())?;
            Ok(all)
        }
    }
}

fn shop_name(store: &Store) -> Result<String> {
    let name = crate::settings::load(store)?.shop_name;
    Ok(if name.trim().is_empty() { "the shop".to_string() } else { name })
}

/// The suggestions as of a minute, kept between calls while nothing changes (`KEPT`, see `cases::memo`):
/// most important first; those not yet handed out have id 0 and their merge fields still to fill.
#[derive(Debug, Clone)]
struct All {
    list: Vec<Suggestion>,
    merges: Vec<Option<Merge>>,
    /// Whether `list` is every suggestion, or only the first ones (`KEEP`, or as many as asked).
    complete: bool,
    /// Marketing suggestions past today's budget, waiting for the days after.
    later: usize,
    per_day: usize,
}

/// What waits beyond today's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coming {
    /// Marketing suggestions that did not fit in today's budget.
    pub marketing_later: usize,
    /// The budget: marketing suggestions a day.
    pub per_day: usize,
    /// Days it takes to offer them all, at that pace.
    pub days: usize,
}

/// How much marketing waits for the coming days (see the `marketing_per_day` setting).
pub fn coming(store: &mut Store, now: DateTime<Utc>) -> Result<Coming> {
    let all = all_suggestions(store, now, 1)?;
    let days = if all.per_day == 0 { 0 } else { all.later.div_ceil(all.per_day) };
    Ok(Coming { marketing_later: all.later, per_day: all.per_day, days })
}

/// How many suggestions are kept between calls: more than any screen shows (the app asks for at
/// most 500). A chain has a hundred thousand, and keeping them all held about 50 MB at 100,000
/// customers for a screen that shows fifty.
const KEEP: usize = 500;

/// The suggestion list last computed for each store.
static KEPT: crate::cases::memo::Memo<All> = crate::cases::memo::Memo::new();

fn minute(now: DateTime<Utc>) -> u64 {
    now.timestamp().div_euclid(60) as u64
}

/// The suggestions, most important first: the first `keep` of them, ranked from the board
/// (`cases::board`), which is brought up to date rather than made afresh.
fn compute_all(store: &mut Store, now: DateTime<Utc>, keep: usize) -> Result<All> {
    let board = board::current(store, now)?;
    let per_day = crate::settings::marketing_per_day(store)?;
    // What the last 24 hours' offers already spent of the day's budget.
    let budget = per_day.saturating_sub(store.db().marketing_done_since(now - Duration::days(1))?);
    let ranked = board.rank(store, now, budget, keep)?;
    let mut list = Vec::with_capacity(ranked.list.len());
    let mut merges = Vec::with_capacity(ranked.list.len());
    for p in ranked.list {
        let c = p.cand;
        let (key, why, draft) = p.rally.unwrap_or_else(|| (c.key(p.customer), String::new(), String::new()));
        list.push(Suggestion {
            id: 0,
            key,
            customer_id: p.customer,
            customer_name: String::new(),
            kind: c.kind,
            channel: c.channel,
            priority: c.priority.into(),
            due: c.due_at(now),
            why,
            draft,
            touchpoint_id: c.touchpoint(),
            marketing: c.kind.is_marketing(),
            address: None,
        });
        merges.push(Some(c.merge));
    }
    Ok(All { list, merges, complete: ranked.complete, later: ranked.later, per_day })
}

fn reply_draft(priority: listening::Priority, name: Option<&str>, topics: &[String]) -> String {
    let about = topics.first().map(|t| format!("the {t}")).unwrap_or_else(|| "this".into());
    let hi = name.unwrap_or("there");
    match priority {
        listening::Priority::Complaint => format!(
            "Hi {hi}, I'm so sorry about {about}. Thank you for telling us. Could you send me your order details? I'll put it right today."
        ),
        listening::Priority::Question => format!("Hi {hi}, thanks for asking! "),
        listening::Priority::Other => match name {
            Some(name) => format!("Thank you so much, {name}! It means a lot to us."),
            None => "Thank you so much! It means a lot to us.".to_string(),
        },
    }
}

/// The given name in an author's name as written ("Ann Smith" → "Ann"); none for a handle, an
/// address or a number.
fn given_name(author: &str) -> Option<String> {
    let first = author.split_whitespace().next()?;
    let plain = first.chars().next().is_some_and(char::is_uppercase) && first.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    plain.then(|| first.to_string())
}

/// Writes what is still to be written into these suggestions (see `Merge`), with one look-up of
/// last items, praise and the messages quoted for all of them.
// One piece: one arm per kind of suggestion's words, side by side so that they read as one voice.
fn fill_merge_fields(
    store: &Store,
    shop: &Shop,
    now: DateTime<Utc>,
    shop_name: &str,
    formats: &crate::format::Formats,
    list: &mut [Suggestion],
    merges: &[Option<Merge>],
) -> Result<()> {
    let looks_up = |m: &Option<Merge>| matches!(m, Some(Merge::Invite | Merge::WinBack | Merge::Welcome));
    let wanted: Vec<CustomerId> = list.iter().zip(merges).filter(|(_, m)| looks_up(m)).filter_map(|(c, _)| c.customer_id).collect();
    let (items, praise) = if wanted.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        (store.db().last_items(&wanted)?, store.db().latest_praise(&wanted)?)
    };
    let filled: Vec<CustomerId> = list.iter().zip(merges).filter(|(_, m)| m.is_some()).filter_map(|(c, _)| c.customer_id).collect();
    let contacts = store.db().contacts(&filled)?;
    // The messages answered, checked on and thanked for.
    let answered: Vec<TouchpointId> = list.iter().zip(merges).filter(|(_, m)| **m == Some(Merge::Reply)).filter_map(|(c, _)| c.touchpoint_id).collect();
    let inbox = listening::items(store, &answered, now)?;
    let quoted: Vec<TouchpointId> = list.iter().zip(merges).filter(|(_, m)| matches!(m, Some(Merge::CheckIn | Merge::Thank))).filter_map(|(c, _)| c.touchpoint_id).collect();
    let said = if quoted.is_empty() { HashMap::new() } else { store.db().said(&quoted)? };
    for (c, merge) in list.iter_mut().zip(merges) {
        let Some(merge) = *merge else { continue };
        if merge == Merge::Reply {
            let Some(item) = c.touchpoint_id.and_then(|t| inbox.get(&t)) else { continue };
            let t = &item.touchpoint;
            match c.customer_id {
                None => {
                    c.customer_name = item.who.clone();
                    c.why = format!("{} from {}", item.why, item.who);
                    c.draft = reply_draft(item.priority, given_name(&item.who).as_deref(), &t.topics);
                }
                Some(customer) => {
                    let name = shop.get(customer).map(|(b, _)| first_name(b)).filter(|n| n != "there");
                    c.why = format!("{}: {}", item.why, quote(&t.text));
                    c.draft = reply_draft(item.priority, name.as_deref(), &t.topics);
                }
            }
        }
        let Some((b, i)) = c.customer_id.and_then(|id| shop.get(id)) else { continue };
        c.customer_name = b.display_name.to_string();
        c.address = contacts.get(&b.id).and_then(|contact| address(contact, c.channel));
        let id = b.id;
        let name = first_name(b);
        let item = items.get(&id);
        let reason = |label: Label, name: &str| capitalise(&i.reasons.iter().find(|r| r.label() == label).map_or(name.to_string(), insight::Reason::detail));
        let channel_words = c.channel.map_or("a channel", Channel::words);
        match merge {
            Merge::Plain | Merge::Reply => {}
            Merge::CheckIn => {
                let Some(s) = c.touchpoint_id.and_then(|t| said.get(&t)) else { continue };
                let about = s.topics.first().map(|t| format!("the {t}")).unwrap_or_else(|| "it".into());
                c.why = format!(
                    "Their complaint on {channel_words} was answered {} ({}); nothing from them since",
                    s.replied_at.map_or_else(String::new, |at| ago(now, at)),
                    quote(&s.text)
                );
                c.draft = format!("Hi {name}, just checking in: is everything sorted with {about} now? If not, tell me and I'll make it right.");
            }
            Merge::Thank => {
                let Some(s) = c.touchpoint_id.and_then(|t| said.get(&t)) else { continue };
                let influencer = i.labels.contains(&Label::Influencer);
                let stars = s.rating.map(|r| format!(", {r} stars")).unwrap_or_default();
                let reach = if influencer { format!("; {} followers", formats.number(i.activity.max_reach)) } else { String::new() };
                c.why = format!("Positive {} on {channel_words} {}{stars}: {}{reach}", s.kind, ago(now, s.at), quote(&s.text));
                c.draft = format!("Thank you for the lovely words, {name}! {} made our day.", quote(&s.text));
            }
            Merge::Recognize => {
                c.why = reason(Label::SuperUser, "helps other customers");
                c.draft = format!("Hi {name}, thank you for helping other customers with their questions. It means a lot to us, and to them.");
            }
            Merge::Birthday => {
                let Some(next) = b.birthday.and_then(|born| board::next_birthday(born, now.date_naive())) else { continue };
                let when = match (next - now.date_naive()).num_days() {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    d => format!("in {d} days"),
                };
                c.why = format!("Birthday on {} ({when})", next.format("%-d %B"));
                c.draft = format!("Happy birthday, {name}! Here's a little treat from all of us at {shop_name}: 15% off anything this week.");
            }
            Merge::Invite => {
                let reach = if i.activity.max_reach >= insight::INFLUENCER_REACH { format!("; {} followers", formats.number(i.activity.max_reach)) } else { String::new() };
                c.why = format!("{}{reach}", reason(Label::Advocate, "speaks well of you"));
                let review = praise.get(&id).map(|t| format!(" Your words ({}) meant a lot to us.", quote(t))).unwrap_or_default();
                c.draft = format!(
                    "Hi {name}, thank you for being such a friend to {shop_name}.{review} We'd love to invite you to an early look at our new collection, and to bring a friend. Would you like to come?"
                );
            }
            Merge::WinBack => {
                let how = i.reasons.iter().find(|r| r.label() == Label::AtRisk).map(insight::Reason::detail).unwrap_or_default();
                let standing = match i.value.monetary {
                    5 => ", one of your best customers",
                    4 => ", more than most",
                    _ => "",
                };
                let orders = if i.value.orders == 1 { "1 order".to_string() } else { format!("{} orders", formats.number(i.value.orders.into())) };
                c.why = format!("{}; spent {} over {orders}{standing}", capitalise(&how), formats.money(i.value.spend));
                c.draft = match item.map(|i| Bought::of(i)) {
                    Some(Bought::Product(item)) => format!("Hi {name}, we've missed you! There's something new that goes well with your {item}: pop in this week and take 10% off."),
                    _ => format!("Hi {name}, we've missed you! Pop in this week and take 10% off anything you like."),
                };
            }
            Merge::Welcome => {
                let Some(first) = b.first_purchase else { continue };
                let bought = item.map(|i| Bought::of(i));
                c.why = format!("First purchase {}{}", ago(now, first), item.map(|i| format!(": {i}")).unwrap_or_default());
                let ask = match bought {
                    Some(Bought::Product(item)) => format!("How are you getting on with your {item}?"),
                    Some(Bought::Experience(item)) => format!("We hope you enjoyed the {item}!"),
                    Some(Bought::Gift(item)) => format!("We hope the {item} makes someone very happy!"),
                    Some(Bought::Service(item)) => format!("How did you find the {item}?"),
                    None => "How are you getting on with your first order?".to_string(),
                };
                c.draft = format!("Hi {name}, thank you for choosing {shop_name}! {ask} If anything isn't right, just reply.");
            }
        }
    }
    Ok(())
}

/// What a customer bought, as a draft speaks of it: a thing they own ("your linen shirt"), an
/// experience ("the pottery workshop"), a gift card, or a service ("the alteration").
#[derive(Debug, PartialEq)]
enum Bought {
    Product(String),
    Experience(String),
    Gift(String),
    Service(String),
}

impl Bought {
    fn of(item: &str) -> Bought {
        let words = crate::normalize::fold(item);
        let has = |list: &[&str]| list.iter().any(|w| words.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w || x.strip_suffix('s') == Some(w)));
        let item = sentence_case(item.trim());
        if has(&["gift", "voucher", "giftcard", "certificate"]) && has(&["card", "voucher", "giftcard", "certificate"]) {
            Bought::Gift(item)
        } else if has(&["workshop", "class", "course", "lesson", "session", "tasting", "event", "ticket", "masterclass", "tour"]) {
            Bought::Experience(item)
        } else if has(&["repair", "alteration", "fitting", "engraving", "delivery", "shipping", "postage", "fee", "service", "installation", "consultation"]) {
            Bought::Service(item)
        } else {
            Bought::Product(item)
        }
    }
}

/// "Pottery workshop" as said inside a sentence: "pottery workshop". A name whose other words are
/// capitalised too ("Nike Air Max") or an acronym ("USB lamp") is a name, and stays as it is.
fn sentence_case(item: &str) -> String {
    let mut words = item.split_whitespace();
    let Some(first) = words.next() else { return String::new() };
    let first_is_plain = first.chars().next().is_some_and(char::is_uppercase) && first.chars().skip(1).all(|c| !c.is_uppercase()) && !first.chars().any(|c| c.is_ascii_digit());
    let rest_plain = words.all(|w| !w.chars().next().is_some_and(char::is_uppercase));
    if first_is_plain && rest_plain {
        let mut c = item.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
    } else {
        item.to_string()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn stored(store: &Store, id: i64) -> Result<crate::store::SuggestionRow> {
    store.db().suggestion(id)?.ok_or_else(|| Error::not_found(format!("there is no suggestion #{id}")))
}

/// Marks a suggestion done, logging what was sent as an outbound touchpoint on the suggestion's
/// channel (a reply, for a reply). Returns the touchpoint logged, if any.
pub fn done(store: &mut Store, id: i64, text: Option<&str>, now: DateTime<Utc>) -> Result<Option<crate::model::Touchpoint>> {
    let row = stored(store, id)?;
    if row.status == SuggestionStatus::Done {
        return Err(Error::conflict(format!("suggestion #{id} is already done")));
    }
    // Handed out, it is among the first suggestions, unless the list has changed much since.
    let position = match all_suggestions(store, now, KEEP)?.list.iter().position(|s| s.key == row.key) {
        Some(p) => Some(p),
        None => all_suggestions(store, now, usize::MAX)?.list.iter().position(|s| s.key == row.key),
    };
    let current = match position {
        Some(p) => suggest(store, now, p + 1)?.pop(),
        None => None,
    };
    let text = text.map(str::to_string).or_else(|| current.as_ref().map(|s| s.draft.clone())).unwrap_or_default();
    let change = crate::customers::Change::from_settings(store, now, "follow-up")?;
    let mut outcome = None;
    // What was sent and the suggestion marked done: one unit of work.
    store.write(|w| {
        outcome = match &current {
            Some(s) if s.kind == Kind::Reply && s.touchpoint_id.is_some() => {
                Some(crate::touchpoints::reply_in(w, s.touchpoint_id.unwrap_or_default(), &text, now, now)?)
            }
            Some(s) if s.customer_id.is_some() && s.channel.is_some() => {
                let channel = s.channel.unwrap_or(Channel::InStore);
                let kind = match channel {
                    Channel::InStore => "visit",
                    Channel::Phone => "call",
                    _ if matches!(s.kind, Kind::CheckIn | Kind::Thank | Kind::Recognize) => "reply",
                    _ => "dm",
                };
                let draft = crate::model::TouchpointDraft {
                    customer_id: s.customer_id,
                    channel: channel.as_str().into(),
                    kind: kind.into(),
                    direction: "out".into(),
                    text: text.clone(),
                    at: now.to_rfc3339(),
                    status: "no_reply_needed".into(),
                    ..Default::default()
                };
                Some(crate::touchpoints::log(w, &draft, &change)?.touchpoint)
            }
            _ => None,
        };
        let outcome_id = outcome.as_ref().map(|t| t.id);
        w.set_suggestion_status(id, SuggestionStatus::Done, None, Some(now), outcome_id)
    })?;
    Ok(outcome)
}

/// Hides a suggestion until `until`.
pub fn snooze(store: &mut Store, id: i64, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    stored(store, id)?;
    if until <= now {
        return Err(Error::invalid_field("until", "snooze until a time after now"));
    }
    store.write(|w| w.set_suggestion_status(id, SuggestionStatus::Snoozed, Some(until), None, None))
}

/// Dismisses a suggestion: it does not come back for the same reason.
pub fn dismiss(store: &mut Store, id: i64, now: DateTime<Utc>) -> Result<()> {
    stored(store, id)?;
    store.write(|w| w.set_suggestion_status(id, SuggestionStatus::Dismissed, None, Some(now), None))
}

/// Takes back a dismissal or a snooze: the suggestion is open again, in its place in the list.
pub fn reopen(store: &mut Store, id: i64) -> Result<()> {
    let row = stored(store, id)?;
    if row.status == SuggestionStatus::Done {
        return Err(Error::conflict(format!("suggestion #{id} is done; what was sent is on the customer's history")));
    }
    store.write(|w| w.set_suggestion_status(id, SuggestionStatus::Open, None, None, None))?;
    KEPT.forget(store);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(consent_email: &str, consent_sms: &str, preferred: Option<&str>) -> BaseRow {
        BaseRow {
            consent_email: consent_email.parse().unwrap(),
            consent_sms: consent_sms.parse().unwrap(),
            preferred_channel: preferred.map(|p| p.parse().unwrap()),
            has_email: true,
            has_phone: true,
            ..BaseRow::default()
        }
    }

    #[test]
    fn marketing_goes_only_where_consent_allows_preferred_first() {
        assert_eq!(marketing_channel(&base("yes", "yes", Some("sms")), false), Some(Channel::Sms));
        assert_eq!(marketing_channel(&base("yes", "no", Some("sms")), false), Some(Channel::Email));
        assert_eq!(marketing_channel(&base("no", "unknown", Some("instagram")), true), Some(Channel::InStore));
        assert_eq!(marketing_channel(&base("no", "no", None), false), None);
        assert_eq!(marketing_channel(&base("unknown", "yes", Some("whatsapp")), false), Some(Channel::Whatsapp));
    }

    #[test]
    fn only_plain_addresses_are_opened() {
        assert!(checked_address("mailto:ann@example.com").is_ok());
        assert!(checked_address("sms:+447911123456").is_ok());
        assert!(checked_address("https://instagram.com/ann.smith").is_ok());
        assert!(checked_address("https://wa.me/447911123456").is_ok());
        for bad in ["javascript:alert(1)", "https://evil.example/x", "file:///etc/passwd", "https://instagram.com/a b",
            "mailto:x@y.com?body=hi", "sms:+44;rm", "https://instagram.com/", "https://instagram.com.evil.example/a", "--help"] {
            assert!(checked_address(bad).is_err(), "{bad}");
        }
    }

    /// Only the first suggestions are kept between calls; asking for more, or acting on one further
    /// down, works on the whole list as if it were all kept.
    #[test]
    fn the_kept_first_suggestions_answer_as_the_whole_list_would() {
        let mut store = Store::open_in_memory().unwrap();
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let change = crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() };
        crate::demo::load(&mut store, 4000, 7, &change).unwrap();
        crate::settings::set(&mut store, "marketing_per_day", "10000").unwrap();
        let whole = {
            let mut fresh = store.copy_in_memory().unwrap();
            suggest(&mut fresh, now, usize::MAX).unwrap()
        };
        assert!(whole.len() > KEEP + 100, "the demo shop has more suggestions than are kept ({})", whole.len());
        let keys = |list: &[Suggestion]| list.iter().map(|s| s.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&suggest(&mut store, now, 50).unwrap()), keys(&whole[..50]));
        let kept = KEPT.get(&store, minute(now)).unwrap().expect("kept");
        assert!(!kept.complete && kept.list.len() == KEEP, "only the first {KEEP} are kept");
        let longer = suggest(&mut store, now, KEEP + 100).unwrap();
        assert_eq!(keys(&longer), keys(&whole[..KEEP + 100]));
        // One handed out beyond the kept ones (marketing: a reply done would free its customer for
        // marketing), then the list kept short again (a new minute).
        let far = longer[KEEP + 1..].iter().find(|s| s.customer_id.is_some() && s.channel.is_some() && s.marketing).expect("one to act on").clone();
        let later = now + Duration::minutes(1);
        assert_eq!(suggest(&mut store, later, 10).unwrap().len(), 10);
        assert!(KEPT.get(&store, minute(later)).unwrap().is_some_and(|all| !all.complete));
        // The whole list a minute later (a check-in may come due in that minute), then done.
        let whole_later = suggest(&mut store.copy_in_memory().unwrap(), later, usize::MAX).unwrap();
        let logged = done(&mut store, far.id, Some("Thank you!"), later).unwrap().expect("what was sent is logged");
        assert_eq!((logged.text.as_str(), logged.customer_id), ("Thank you!", far.customer_id));
        assert_eq!(store.db().suggestion(far.id).unwrap().unwrap().status, SuggestionStatus::Done);
        let after = suggest(&mut store, later, usize::MAX).unwrap();
        assert!(after.iter().all(|s| s.key != far.key), "done is gone from the list");
        assert_eq!(keys(&after), keys(&whole_later).into_iter().filter(|k| *k != far.key).collect::<Vec<_>>());
    }

}
