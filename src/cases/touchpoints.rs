//! Logging what customers say and do on every channel: a review, a DM, a complaint, a visit. A
//! touchpoint belongs to a customer, or, until one is known, to its author's handle, email or phone
//! (linked by `WriteDb::link_touchpoints` when a customer with that key appears). Inbound text is
//! scored for sentiment and tagged with topics when logged; the owner may correct the sentiment.
//! Replying logs the shop's answer as an outbound touchpoint and starts nothing else: the inbox
//! (`listening`) reads the statuses.

use chrono::{DateTime, Utc};

use crate::customers::{self, Change};
use crate::error::{Error, FieldProblem, Result};
use crate::model::{
    Channel, CustomerDraft, CustomerId, Direction, Platform, ReplyStatus, Touchpoint, TouchpointDraft, TouchpointId,
    TouchpointKind,
};
use crate::normalize::{self, Region};
use crate::sentiment::{self, Label};
use crate::store::{AuthorKey, Reads, Store, WriteDb};

/// Longest text kept for one touchpoint (a long email fits; a pasted book does not).
const MAX_TEXT: usize = 20_000;

/// Topics a touchpoint is about, each with the word stems that show it. Checked against the
/// folded text's words; a stem matches a word that starts with it.
pub const TOPICS: &[(&str, &[&str])] = &[
    ("delivery", &["deliver", "arriv", "parcel", "package", "shipping", "shipped", "courier", "postage", "tracking", "dispatch", "post office"]),
    ("size and fit", &["size", "sizing", "fit", "fits", "fitted", "tight", "loose", "too small", "too big", "length"]),
    ("quality", &["quality", "broke", "broken", "fell apart", "ripped", "torn", "stitch", "seam", "faulty", "damaged", "defect", "material", "fabric", "flimsy", "sturdy", "well made"]),
    ("price", &["price", "expensive", "cheap", "cost", "value", "discount", "sale", "overpriced", "worth"]),
    ("refunds and returns", &["refund", "return", "exchange", "money back", "reimburs"]),
    ("staff and service", &["staff", "service", "helpful", "rude", "friendly", "assistant", "team", "manager", "served"]),
    ("stock", &["stock", "sold out", "restock", "available", "availability", "back in"]),
    ("website and app", &["website", "site", "app", "checkout", "login", "password", "online order", "link"]),
    ("the shop", &["opening", "hours", "parking", "queue", "fitting room", "changing room", "location", "open on"]),
];

/// Which topics `text` is about, in the order of `TOPICS`.
pub fn topics_of(text: &str) -> Vec<String> {
    let folded = format!(" {} ", normalize::fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
    TOPICS
        .iter()
        .filter(|(_, stems)| stems.iter().any(|stem| folded.contains(&format!(" {stem}"))))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The status a new touchpoint starts with when none is given: customers' complaints, questions,
/// DMs, reviews and comments need a reply; so does a negative mention. The rest do not.
pub fn default_status(kind: TouchpointKind, direction: Direction, label: Label) -> ReplyStatus {
    use TouchpointKind::*;
    match (direction, kind) {
        (Direction::Out, _) => ReplyStatus::NoReplyNeeded,
        (_, Complaint | Question | Dm | Review | Comment) => ReplyStatus::NeedsReply,
        (_, Mention | Post | Share) if label == Label::Negative => ReplyStatus::NeedsReply,
        _ => ReplyStatus::NoReplyNeeded,
    }
}

/// A review's stars as a sentiment (-0.8 for one star to 0.8 for five).
fn stars_sentiment(rating: u8) -> f64 {
    (rating as f64 - 3.0) * 0.4
}

/// The sentiment of a touchpoint's text, with its stars counting as much as its words.
pub fn sentiment_of(text: &str, rating: Option<u8>) -> (f64, Label) {
    let words = sentiment::score(text).compound;
    let compound = match rating {
        Some(r) if text.trim().is_empty() => stars_sentiment(r),
        Some(r) => (words + stars_sentiment(r)) / 2.0,
        None => words,
    };
    let compound = (compound * 10_000.0).round() / 10_000.0;
    (compound, Label::of(compound))
}

/// How an author is recognised on a channel: a handle on a social platform, an email, or a phone.
fn author_key(channel: Channel, author: &str, region: Region) -> Option<AuthorKey> {
    let author = author.trim();
    if author.is_empty() {
        return None;
    }
    if let Ok(email) = normalize::email(author) {
        return Some(AuthorKey::Email(email));
    }
    let phone_channel = matches!(channel, Channel::Sms | Channel::Phone | Channel::Whatsapp);
    if phone_channel || author.starts_with('+') {
        if let Ok(phone) = normalize::phone(author, region) {
            return Some(AuthorKey::Phone(phone));
        }
    }
    let platform = author
        .split_once(':')
        .and_then(|(p, _)| p.parse::<Platform>().ok())
        .or_else(|| normalize::platform_of_url(author))
        .or_else(|| channel.as_str().parse::<Platform>().ok());
    match platform {
        Some(platform) => {
            let raw = author.split_once(':').filter(|(p, _)| p.parse::<Platform>().is_ok()).map_or(author, |(_, h)| h);
            match normalize::handle(platform, raw) {
                Ok(handle) => Some(AuthorKey::Handle { platform: platform.as_str().to_string(), handle }),
                Err(_) => Some(AuthorKey::Name(author.to_string())),
            }
        }
        None => Some(AuthorKey::Name(author.to_string())),
    }
}

/// A stable fingerprint of what makes a touchpoint the same touchpoint.
pub(crate) fn fingerprint(t: &Touchpoint) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [t.channel.as_str(), t.kind.as_str(), t.direction.as_str(), &t.author, &t.at.to_rfc3339(), &t.text] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.update(t.customer_id.unwrap_or(0).to_le_bytes());
    normalize::hex(&h.finalize()[..16])
}

/// The fingerprint of a message its source names for good (`TouchpointDraft::source_key`).
fn source_fingerprint(key: &str) -> String {
    use sha2::{Digest, Sha256};
    normalize::hex(&Sha256::digest(format!("source\0{key}").as_bytes())[..16])
}

/// Checks a draft and turns it into a touchpoint (not yet stored, `id` 0) with how its author is
/// recognised. `customer` is the already-resolved customer, if any.
// One piece: the draft's fields checked in turn, so that every problem is listed at once.
fn validate(
    draft: &TouchpointDraft,
    customer: Option<CustomerId>,
    now: DateTime<Utc>,
    region: Region,
) -> std::result::Result<(Touchpoint, Option<AuthorKey>), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut field = |name: &str, message: String| problems.push(FieldProblem::new(name, message));
    let channel = draft.channel.parse::<Channel>().map_err(|m| field("channel", m)).ok();
    let kind = draft.kind.parse::<TouchpointKind>().map_err(|m| field("kind", m)).ok();
    let direction = match draft.direction.trim() {
        "" => kind.map(|k| if k == TouchpointKind::Reply { Direction::Out } else { Direction::In }),
        d => d.parse::<Direction>().map_err(|m| field("direction", m)).ok(),
    };
    let at = match draft.at.trim() {
        "" => Some(now),
        t => normalize::instant(t).map_err(|m| field("at", m)).ok(),
    };
    let rating = match draft.rating {
        None => None,
        Some(r @ 1..=5) => Some(r as u8),
        Some(r) => {
            field("rating", format!("a rating is 1 to 5 stars, not {r}"));
            None
        }
    };
    let reach = match draft.reach {
        Some(r) if r < 0 => {
            field("reach", format!("reach is a number of followers, not {r}"));
            None
        }
        r => r.map(|r| r as u64),
    };
    let text = draft.text.trim();
    if text.len() > MAX_TEXT {
        field("text", format!("the text is {} characters; at most {MAX_TEXT} are kept", text.chars().count()));
    }
    let url = draft.url.trim();
    if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
        field("url", format!("“{url}” is not a web link (it should start with https://)"));
    }
    let by_owner = match draft.sentiment.trim() {
        "" => None,
        s => s.parse::<Label>().map_err(|m| field("sentiment", m)).ok(),
    };
    let status = match draft.status.trim() {
        "" => None,
        s => s.parse::<ReplyStatus>().map_err(|m| field("status", m)).ok(),
    };
    // A message with nothing in it is no message (a star-only review, a visit or a call, and the
    // shop's own note that it replied elsewhere, are).
    let may_be_empty = matches!(kind, Some(TouchpointKind::Visit | TouchpointKind::Call | TouchpointKind::Reply))
        || (kind == Some(TouchpointKind::Review) && rating.is_some())
        || direction == Some(Direction::Out);
    if text.is_empty() && kind.is_some() && !may_be_empty {
        field("text", "say what they said: the message is empty".to_string());
    }
    if customer.is_none() && draft.author.trim().is_empty() {
        field("customer", "say who it is from: a customer, or the author's handle, email or phone".to_string());
    }
    let (Some(channel), Some(kind), Some(direction), Some(at)) = (channel, kind, direction, at) else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (sentiment, label) = match by_owner {
        Some(label) => (label_compound(label), label),
        None => sentiment_of(text, rating),
    };
    let author = draft.author.trim().to_string();
    let key = author_key(channel, &author, region);
    let touchpoint = Touchpoint {
        id: 0,
        customer_id: customer,
        author,
        channel,
        kind,
        direction,
        text: text.to_string(),
        url: (!url.is_empty()).then(|| url.to_string()),
        rating,
        reach,
        at,
        sentiment,
        sentiment_label: label,
        sentiment_by_owner: by_owner.is_some(),
        topics: topics_of(text),
        status: status.unwrap_or_else(|| default_status(kind, direction, label)),
        reply_id: None,
        replied_at: None,
        in_reply_to: None,
        created_at: now,
        linked_by_name: false,
    };
    Ok((touchpoint, key))
}

/// The compound an owner's label stands for.
fn label_compound(label: Label) -> f64 {
    match label {
        Label::Positive => 0.6,
        Label::Neutral => 0.0,
        Label::Negative => -0.6,
    }
}

/// What logging a touchpoint did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Logged {
    pub touchpoint: Touchpoint,
    /// A customer made on the spot for an unknown author.
    pub created_customer: Option<CustomerId>,
    /// Already logged (same channel, author, time and text): nothing was added.
    pub duplicate: bool,
}

/// Logs a touchpoint. The customer is the draft's reference when given; else the author, when a
/// customer has that handle, email or phone; else nobody yet (or a new customer, when the draft
/// asks for one).
pub fn add(store: &mut Store, draft: &TouchpointDraft, change: &Change) -> Result<Logged> {
    store.write(|w| log(w, draft, change))
}

/// Logs a touchpoint inside the caller's transaction (see `add`).
pub fn log(w: &WriteDb<'_>, draft: &TouchpointDraft, change: &Change) -> Result<Logged> {
    let region = change.region;
    let mut customer = match draft.customer.trim() {
        _ if draft.customer_id.is_some() => draft.customer_id.map(|id| customers::get(w, id).map(|c| c.id)).transpose()?,
        "" => None,
        r => Some(customers::resolve(w, r, region).map_err(|e| match e.kind {
            crate::ErrorKind::NotFound => Error::invalid_field("customer", e.to_string()),
            _ => e,
        })?),
    };
    let (mut touchpoint, key) = validate(draft, customer, change.now, region).map_err(Error::invalid)?;
    if customer.is_none() {
        customer = match &key {
            Some(AuthorKey::Handle { platform, handle }) => customers::resolve(w, &format!("{platform}:{handle}"), region).ok(),
            Some(AuthorKey::Email(e)) => customers::resolve(w, e, region).ok(),
            Some(AuthorKey::Phone(p)) => customers::resolve(w, p, region).ok(),
            _ => None,
        };
    }
    if let (None, true, Some(AuthorKey::Name(name))) = (customer, draft.link_by_name, &key) {
        if let [only] = w.ids_named(name)?.as_slice() {
            customer = Some(*only);
            touchpoint.linked_by_name = true;
        }
    }
    let mut created_customer = None;
    if customer.is_none() && draft.create_customer {
        let c = customers::create_in(w, &draft_for_author(&touchpoint.author, key.as_ref()), change)?;
        created_customer = Some(c.id);
        customer = Some(c.id);
    }
    touchpoint.customer_id = customer;
    let print = match draft.source_key.as_str() {
        "" => fingerprint(&touchpoint),
        source => source_fingerprint(source),
    };
    if let Some(existing) = w.touchpoint_with_fingerprint(&print)? {
        let touchpoint = w.touchpoint(existing)?.ok_or_else(|| Error::not_found("the touchpoint vanished"))?;
        return Ok(Logged { touchpoint, created_customer, duplicate: true });
    }
    // The shop's message to a customer, on the channel they wrote on, after they wrote, answers
    // what waits there: logged by hand, it counts as much as a reply made from the inbox.
    let answers = match (touchpoint.direction, touchpoint.customer_id) {
        (Direction::Out, Some(c)) => w.waiting_from(c, touchpoint.channel.as_str(), touchpoint.at)?,
        _ => Vec::new(),
    };
    if touchpoint.in_reply_to.is_none() {
        touchpoint.in_reply_to = answers.last().copied();
    }
    touchpoint.id = w.insert_touchpoint(&touchpoint, key.as_ref(), &print)?;
    for &waiting in &answers {
        w.set_touchpoint_status(waiting, ReplyStatus::Replied, Some((touchpoint.id, touchpoint.at)))?;
    }
    Ok(Logged { touchpoint, created_customer, duplicate: false })
}

/// The shop's message `reply` answers the messages `waiting` (of one conversation, before it): each
/// still waiting is replied, at the reply's time (the reply clock stops there).
pub fn answer(w: &WriteDb<'_>, waiting: &[TouchpointId], reply: &Touchpoint) -> Result<()> {
    for &id in waiting {
        if w.touchpoint(id)?.is_some_and(|t| t.status == ReplyStatus::NeedsReply && t.at <= reply.at) {
            w.set_touchpoint_status(id, ReplyStatus::Replied, Some((reply.id, reply.at)))?;
        }
    }
    Ok(())
}

/// The messages `waiting` need no reply after all (the customer closed the conversation with
/// their thanks).
pub fn settle(w: &WriteDb<'_>, waiting: &[TouchpointId]) -> Result<()> {
    for &id in waiting {
        if w.touchpoint(id)?.is_some_and(|t| t.status == ReplyStatus::NeedsReply) {
            w.set_touchpoint_status(id, ReplyStatus::NoReplyNeeded, None)?;
        }
    }
    Ok(())
}

/// A new customer's draft for an author known only by a handle, email, phone or name.
fn draft_for_author(author: &str, key: Option<&AuthorKey>) -> CustomerDraft {
    let mut draft = CustomerDraft::default();
    match key {
        Some(AuthorKey::Handle { platform, handle }) => {
            draft.handles.insert(platform.clone(), handle.clone());
        }
        Some(AuthorKey::Email(e)) => draft.emails.push(e.clone()),
        Some(AuthorKey::Phone(p)) => draft.phones.push(p.clone()),
        Some(AuthorKey::Name(n)) => {
            let (first, last) = normalize::split_name(n);
            (draft.first_name, draft.last_name) = (first, last);
        }
        None => draft.display_name = author.to_string(),
    }
    draft
}

pub fn get(store: &(impl Reads + ?Sized), id: TouchpointId) -> Result<Touchpoint> {
    store.reader().touchpoint(id)?.ok_or_else(|| Error::not_found(format!("there is no touchpoint #{id}")))
}

/// Touchpoints newest first: one customer's, or everyone's.
pub fn list(store: &Store, customer: Option<CustomerId>, limit: u64) -> Result<Vec<Touchpoint>> {
    store.db().touchpoints(customer, limit)
}

/// Logs the shop's reply to touchpoint `id` (on its channel, to its customer) and marks it replied.
/// `text` may be empty when the reply was made elsewhere.
pub fn reply(store: &mut Store, id: TouchpointId, text: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Touchpoint> {
    store.write(|w| reply_in(w, id, text, at, now))
}

/// Logs the shop's reply inside the caller's transaction (see `reply`).
pub fn reply_in(w: &WriteDb<'_>, id: TouchpointId, text: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Touchpoint> {
    let original = get(w, id)?;
    if original.direction == Direction::Out {
        return Err(Error::invalid_field("touchpoint", format!("#{id} is the shop's own message; there is nothing to reply to")));
    }
    if let (ReplyStatus::Replied, Some(reply_id)) = (original.status, original.reply_id) {
        return get(w, reply_id);
    }
    if at < original.at {
        return Err(Error::invalid_field("at", "a reply cannot come before the message it answers"));
    }
    let text = text.trim();
    let (sentiment, label) = sentiment_of(text, None);
    let mut reply = Touchpoint {
        id: 0,
        customer_id: original.customer_id,
        // Who answered, for the history (their login on a shared shop).
        author: w.person()?,
        channel: original.channel,
        kind: TouchpointKind::Reply,
        direction: Direction::Out,
        text: text.to_string(),
        url: None,
        rating: None,
        reach: None,
        at,
        sentiment,
        sentiment_label: label,
        sentiment_by_owner: false,
        topics: Vec::new(),
        status: ReplyStatus::NoReplyNeeded,
        reply_id: None,
        replied_at: None,
        in_reply_to: Some(id),
        created_at: now,
        linked_by_name: false,
    };
    let print = fingerprint(&reply) + &id.to_string();
    reply.id = w.insert_touchpoint(&reply, None, &print)?;
    w.set_touchpoint_status(id, ReplyStatus::Replied, Some((reply.id, at)))?;
    Ok(reply)
}

/// Sets a touchpoint's status by hand ("no reply needed", or back to "needs a reply").
pub fn set_status(store: &mut Store, id: TouchpointId, status: ReplyStatus) -> Result<Touchpoint> {
    let t = get(store, id)?;
    if status == ReplyStatus::Replied {
        return Err(Error::invalid_field("status", "to mark it replied, log the reply (it records when)"));
    }
    store.write(|w| w.set_touchpoint_status(t.id, status, None))?;
    get(store, id)
}

/// The owner's correction of a touchpoint's sentiment; `None` goes back to the scorer's.
pub fn set_sentiment(store: &mut Store, id: TouchpointId, label: Option<Label>) -> Result<Touchpoint> {
    let t = get(store, id)?;
    let (compound, label, by_owner) = match label {
        Some(l) => (label_compound(l), l, true),
        None => {
            let (c, l) = sentiment_of(&t.text, t.rating);
            (c, l, false)
        }
    };
    store.write(|w| w.set_touchpoint_sentiment(id, compound, label, by_owner))?;
    get(store, id)
}

/// Links a touchpoint to a customer by hand (a Google review's author the owner recognises).
pub fn link(store: &mut Store, id: TouchpointId, customer: CustomerId, change: &Change) -> Result<Linked> {
    store.write(|w| link_in(w, id, customer, change))
}

/// What linking a touchpoint to its customer did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Linked {
    pub touchpoint: Touchpoint,
    /// Other messages by the same author, linked with it.
    pub also_linked: usize,
    /// The author's email, phone or handle, now on the customer's profile (so that the next
    /// message links by itself); none for a name, or when someone else has it.
    pub learned: Option<String>,
}

/// Links touchpoint `id` to `customer` by the owner's word, inside the caller's transaction: every
/// other unlinked message by the same author comes along, and the profile learns the author's
/// email, phone or handle (the identity rule holds: not when another customer has it).
pub fn link_in(w: &WriteDb<'_>, id: TouchpointId, customer: CustomerId, change: &Change) -> Result<Linked> {
    let t = get(w, id)?;
    let mut c = customers::get(w, customer)?;
    w.set_touchpoint_customer(id, customer)?;
    let key = if t.direction == Direction::In { author_key(t.channel, &t.author, change.region) } else { None };
    let learned = match &key {
        Some(AuthorKey::Email(e)) if w.owner_of_email(e)?.is_none() => {
            c.emails.push(e.clone());
            Some(e.clone())
        }
        Some(AuthorKey::Phone(p)) if w.owner_of_phone(p)?.is_none() => {
            c.phones.push(p.clone());
            Some(p.clone())
        }
        Some(AuthorKey::Handle { platform, handle }) => match platform.parse::<crate::model::Platform>() {
            Ok(pl) if !c.handles.contains_key(&pl) && w.owner_of_handle(pl, handle)?.is_none() => {
                c.handles.insert(pl, handle.clone());
                Some(format!("{platform}:{handle}"))
            }
            _ => None,
        },
        _ => None,
    };
    if learned.is_some() {
        c.updated_at = change.now;
        w.update_customer(&c, &normalize::fold(&c.display_name))?;
        w.set_search_doc(customer, &crate::search::document(&c))?;
    }
    let mut also_linked = w.link_touchpoints()?;
    if let Some(AuthorKey::Name(name)) = &key {
        for other in w.unlinked_by_author(&[], &[], &[], &[normalize::fold(name.trim())])? {
            if get(w, other)?.channel == t.channel {
                w.set_touchpoint_customer(other, customer)?;
                also_linked += 1;
            }
        }
    }
    Ok(Linked { touchpoint: get(w, id)?, also_linked, learned })
}

/// The owner confirms that a message linked by name alone is the customer's.
pub fn confirm_link(store: &mut Store, id: TouchpointId) -> Result<Touchpoint> {
    let t = get(store, id)?;
    let Some(customer) = t.customer_id else { return Err(Error::conflict(format!("#{id} is on no customer to confirm"))) };
    store.write(|w| w.set_touchpoint_customer(id, customer))?;
    get(store, id)
}

/// Takes a message off the customer it was linked to (linked by name to the wrong one): it waits
/// for its author to be said again.
pub fn unlink(store: &mut Store, id: TouchpointId) -> Result<Touchpoint> {
    get(store, id)?;
    store.write(|w| w.unlink_touchpoint(id))?;
    get(store, id)
}

/// The owner says a message's author is not a customer (a supplier, a spammer): it is taken off any
/// customer it was linked to by name, and the author is not offered for linking again.
pub fn not_a_customer(store: &mut Store, id: TouchpointId, change: &Change) -> Result<Touchpoint> {
    let t = get(store, id)?;
    let key = author_key(t.channel, &t.author, change.region).ok_or_else(|| Error::invalid_field("touchpoint", format!("#{id} has no author")))?;
    store.write(|w| {
        if t.linked_by_name {
            w.unlink_touchpoint(id)?;
        }
        w.add_not_customer(&key, change.now)
    })?;
    get(store, id)
}

/// Someone who wrote to the shop and is not linked to a customer yet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unknown {
    /// Their latest message (what "This is…", "Add as a customer" and "Not a customer" act on).
    pub touchpoint: Touchpoint,
    pub messages: u64,
}

/// Who is this? Everyone who wrote and is not linked to a customer, newest first (at most
/// `limit`); those said to be no customer are left out.
pub fn unknown_authors(store: &(impl Reads + ?Sized), limit: u64) -> Result<Vec<Unknown>> {
    let db = store.reader();
    db.unlinked_authors(limit)?
        .into_iter()
        .map(|(id, _, _, messages, _)| Ok(Unknown { touchpoint: get(store, id)?, messages }))
        .collect()
}

/// The customers the author of touchpoint `id` most likely is, best first (for "This is…" before
/// anything is typed): found by the author's name, handle, email or phone as search finds them.
pub fn likely_customers(store: &Store, id: TouchpointId, region: Region, limit: usize) -> Result<Vec<crate::model::CustomerSummary>> {
    let t = get(store, id)?;
    let query = match author_key(t.channel, &t.author, region) {
        Some(AuthorKey::Email(e)) => e.split('@').next().unwrap_or_default().replace(['.', '_', '-'], " "),
        Some(AuthorKey::Handle { handle, .. }) => handle.replace(['.', '_', '-'], " "),
        Some(AuthorKey::Phone(p)) => p.chars().rev().take(6).collect::<String>().chars().rev().collect(),
        Some(AuthorKey::Name(n)) => n,
        None => return Ok(Vec::new()),
    };
    // "amelia hart home" finds nobody; "amelia hart" may: fewer words until someone is found.
    let words: Vec<&str> = query.split_whitespace().collect();
    for n in (1..=words.len()).rev() {
        let hits = crate::search::search(store, &words[..n].join(" "), limit, region)?;
        if !hits.is_empty() {
            let ids: Vec<CustomerId> = hits.iter().map(|h| h.id).collect();
            return store.db().summaries(&ids);
        }
    }
    Ok(Vec::new())
}

/// What "Add as a customer" starts from: the author of touchpoint `id` as a new customer's draft
/// (their handle, email, phone or name; a name read from an address like `ann.lee@…`), for the
/// owner to check and complete before anything is stored.
pub fn author_draft(store: &(impl Reads + ?Sized), id: TouchpointId, region: Region) -> Result<CustomerDraft> {
    let t = unknown_author(store, id)?;
    let key = author_key(t.channel, &t.author, region);
    let mut draft = draft_for_author(&t.author, key.as_ref());
    if let Some(AuthorKey::Email(e)) = &key {
        let local = e.split('@').next().unwrap_or_default();
        let words: Vec<&str> = local.split(['.', '_']).collect();
        if let [first, last] = words.as_slice() {
            if first.len() > 1 && last.len() > 1 && words.iter().all(|w| w.chars().all(char::is_alphabetic)) {
                (draft.first_name, draft.last_name) = (normalize::tidy_case(first), normalize::tidy_case(last));
            }
        }
    }
    Ok(draft)
}

/// A message whose author may become a customer: inbound, signed, on no customer yet.
fn unknown_author(store: &(impl Reads + ?Sized), id: TouchpointId) -> Result<Touchpoint> {
    let t = get(store, id)?;
    if let Some(c) = t.customer_id {
        return Err(Error::conflict(format!("#{id} is already linked to customer #{c}")));
    }
    if t.direction == Direction::Out || t.author.trim().is_empty() {
        return Err(Error::invalid_field("touchpoint", format!("#{id} has no author to make a customer of")));
    }
    Ok(t)
}

/// The author of a message, made a customer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AddedAuthor {
    pub customer: crate::model::Customer,
    /// Their messages now on the new customer: this one and every other by the same author.
    pub messages: u64,
}

/// Makes the author of touchpoint `id` a customer (a review from someone the shop did not know)
/// from `draft` (`author_draft`, as the owner completed it): the touchpoint, and every other one by
/// the same author, is linked to them.
pub fn author_as_customer(store: &mut Store, id: TouchpointId, draft: &CustomerDraft, change: &Change) -> Result<AddedAuthor> {
    store.write(|w| author_as_customer_in(w, id, draft, change))
}

pub fn author_as_customer_in(w: &WriteDb<'_>, id: TouchpointId, draft: &CustomerDraft, change: &Change) -> Result<AddedAuthor> {
    unknown_author(w, id)?;
    let customer = customers::create_in(w, draft, change)?;
    link_in(w, id, customer.id, change)?;
    // Creating them linked what their keys found; linking the message brought what their name did.
    Ok(AddedAuthor { customer: customers::get(w, customer.id)?, messages: w.messages_in(customer.id)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_found_by_their_words() {
        assert_eq!(topics_of("My parcel never arrived and I want a refund"), ["delivery", "refunds and returns"]);
        assert_eq!(topics_of("Sizes run small, the staff were lovely"), ["size and fit", "staff and service"]);
        assert!(topics_of("hello").is_empty());
    }

    #[test]
    fn authors_are_recognised_by_channel() {
        let gb = Region::parse("GB").unwrap();
        assert_eq!(
            author_key(Channel::Instagram, "@Mia.Styles", gb),
            Some(AuthorKey::Handle { platform: "instagram".into(), handle: "mia.styles".into() })
        );
        assert_eq!(author_key(Channel::Email, "Ann <ann@example.com>", gb).map(|k| matches!(k, AuthorKey::Email(_) | AuthorKey::Name(_))), Some(true));
        assert_eq!(author_key(Channel::Whatsapp, "07911 123456", gb), Some(AuthorKey::Phone("+447911123456".into())));
        assert_eq!(author_key(Channel::GoogleReviews, "Ann Smith", gb), Some(AuthorKey::Name("Ann Smith".into())));
    }

    #[test]
    fn stars_weigh_as_much_as_words() {
        assert!(sentiment_of("", Some(1)).0 < -0.5);
        assert!(sentiment_of("Lovely shop", Some(1)).0 < sentiment_of("Lovely shop", None).0);
        assert_eq!(sentiment_of("", Some(3)).1, Label::Neutral);
    }
}
