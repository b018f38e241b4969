//! The SQL behind insight and follow-ups: whole-shop reads in a few passes (customers, purchase
//! times, touchpoint roll-ups), and the suggestions' state, referrals and saved segments.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use super::sql::{params, Optional};

use super::{parse_time, time_text, Db, WriteDb};
use crate::error::Result;
use crate::model::{parse_instant, Channel, ConsentStatus, CustomerId};

/// What insight needs of one live customer. Kept for every customer while nothing changes (a
/// chain has a million), so held compactly: values parsed, texts without spare capacity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaseRow {
    pub id: CustomerId,
    pub display_name: Box<str>,
    pub first_name: Box<str>,
    pub birthday: Option<NaiveDate>,
    pub consent_email: ConsentStatus,
    pub consent_sms: ConsentStatus,
    pub preferred_channel: Option<Channel>,
    /// Spend in cents and orders: from purchases when there are any, else the imported totals.
    pub spend_cents: Option<i64>,
    pub orders: Option<i64>,
    /// Last purchase from purchases, else the imported last visit (a date, taken at noon UTC).
    pub last_purchase: Option<DateTime<Utc>>,
    pub first_purchase: Option<DateTime<Utc>>,
    pub purchases_count: i64,
    /// When they became a customer: "customer since" if known, else when they were added.
    pub since: Option<DateTime<Utc>>,
    /// Whether they have an email address, a phone number (the addresses themselves are read
    /// for the suggestions handed out: `Db::contacts`).
    pub has_email: bool,
    pub has_phone: bool,
    /// Tags and cities repeat across a shop: each distinct one is held once, and shared.
    pub tags: Vec<Arc<str>>,
    pub city: Arc<str>,
}

/// Where to write to a customer: their first email and phone, and their handles by platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub handles: Vec<(String, String)>,
}

/// One customer's inbound touchpoints of one kind, channel and sentiment since a time (borrowed
/// from the query's row: a chain has hundreds of thousands of them, read once).
#[derive(Debug, Clone)]
pub struct TouchpointRollup<'a> {
    pub customer_id: CustomerId,
    pub kind: &'a str,
    pub channel: &'a str,
    pub label: &'a str,
    pub count: u32,
    pub max_reach: u64,
    pub max_rating: Option<u8>,
    pub last_id: i64,
    /// The earliest of them (unix seconds): when it leaves the window, the roll-up changes.
    pub first_at: i64,
}

/// An inbound touchpoint, as follow-ups need it.
#[derive(Debug, Clone)]
pub struct Said {
    pub id: i64,
    pub customer_id: CustomerId,
    pub kind: String,
    pub channel: String,
    pub text: String,
    pub at: DateTime<Utc>,
    pub replied_at: Option<DateTime<Utc>>,
    pub rating: Option<u8>,
    pub topics: Vec<String>,
}

pub(super) fn said(r: &super::sql::Row<'_>) -> rusqlite::Result<Said> {
    Ok(Said {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        kind: r.get(2)?,
        channel: r.get(3)?,
        text: r.get(4)?,
        at: parse_time(&r.get::<_, String>(5)?),
        replied_at: r.get::<_, Option<String>>(6)?.map(|t| parse_time(&t)),
        rating: r.get::<_, Option<i64>>(7)?.map(|n| n.clamp(1, 5) as u8),
        topics: r.get::<_, String>(8)?.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
    })
}

pub(super) const SAID_COLUMNS: &str = "t.id, t.customer_id, t.kind, t.channel, t.text, t.at, t.replied_at, t.rating, t.topics";

/// What the owner did with a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionStatus {
    Open,
    Done,
    Dismissed,
    Snoozed,
}

impl SuggestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Done => "done",
            SuggestionStatus::Dismissed => "dismissed",
            SuggestionStatus::Snoozed => "snoozed",
        }
    }

    fn parse(text: &str) -> SuggestionStatus {
        match text {
            "done" => SuggestionStatus::Done,
            "dismissed" => SuggestionStatus::Dismissed,
            "snoozed" => SuggestionStatus::Snoozed,
            _ => SuggestionStatus::Open,
        }
    }
}

/// A suggestion's stored state.
#[derive(Debug, Clone)]
pub struct SuggestionRow {
    pub id: i64,
    pub key: String,
    pub customer_id: Option<CustomerId>,
    pub kind: String,
    pub marketing: bool,
    pub status: SuggestionStatus,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

pub(super) fn suggestion_row(r: &super::sql::Row<'_>) -> rusqlite::Result<SuggestionRow> {
    Ok(SuggestionRow {
        id: r.get(0)?,
        key: r.get(1)?,
        customer_id: r.get(2)?,
        kind: r.get(3)?,
        marketing: r.get(4)?,
        status: SuggestionStatus::parse(&r.get::<_, String>(5)?),
        snoozed_until: r.get::<_, Option<String>>(6)?.map(|t| parse_time(&t)),
        closed_at: r.get::<_, Option<String>>(7)?.map(|t| parse_time(&t)),
    })
}

pub(super) const SUGGESTION_COLUMNS: &str = "id, key, customer_id, kind, marketing, status, snoozed_until, closed_at";

impl Db<'_> {
    /// Every live customer, as insight needs them, in id order. The first email and phone, the
    /// handles and the tags are read a table at a time, in table order, and joined here by id: a
    /// look-up per customer in each table costs twice as much.
    pub fn insight_customers(&self, only: Option<&[CustomerId]>) -> Result<Vec<BaseRow>> {
        // Every live customer, or `only` these (of them, the live ones).
        let (filter, ids) = match only {
            Some(ids) => (" AND customer_id IN rarray(?1)", Some(super::id_list(ids))),
            None => ("", None),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.display_name, c.first_name, c.birthday, c.consent_email, c.consent_sms, c.preferred_channel,
                    CASE WHEN c.purchases_count > 0 THEN c.purchases_spend_cents ELSE c.lifetime_spend_cents END,
                    CASE WHEN c.purchases_count > 0 THEN c.purchases_count ELSE c.orders_count END,
                    CASE WHEN c.purchases_count > 0 THEN c.last_purchase_at ELSE c.last_visit END,
                    c.first_purchase_at, c.purchases_count, coalesce(c.customer_since, c.created_at), c.city
             FROM customers c WHERE c.deleted_at IS NULL{} ORDER BY c.id",
            filter.replace("customer_id", "c.id")
        ))?;
        let mut shared: HashSet<Arc<str>> = HashSet::new();
        let mut share = move |text: &str| match shared.get(text) {
            Some(known) => known.clone(),
            None => {
                let new: Arc<str> = text.into();
                shared.insert(new.clone());
                new
            }
        };
        let rows = stmt.query_map(ids.clone(), |r| {
            let text = |i: usize| r.get_ref(i).map(|v| v.as_str().unwrap_or_default());
            let instant = |i: usize| text(i).map(parse_instant);
            Ok(BaseRow {
                id: r.get(0)?,
                display_name: text(1)?.into(),
                first_name: text(2)?.into(),
                birthday: text(3)?.parse().ok(),
                consent_email: text(4)?.parse().unwrap_or_default(),
                consent_sms: text(5)?.parse().unwrap_or_default(),
                preferred_channel: text(6)?.parse().ok(),
                spend_cents: r.get(7)?,
                orders: r.get(8)?,
                last_purchase: instant(9)?,
                first_purchase: instant(10)?,
                purchases_count: r.get(11)?,
                since: instant(12)?,
                city: share(text(13)?),
                ..BaseRow::default()
            })
        })?;
        let mut customers: Vec<BaseRow> = rows.collect::<rusqlite::Result<_>>()?;
        let slot = |customers: &mut Vec<BaseRow>, id: CustomerId| customers.binary_search_by_key(&id, |b| b.id).ok();
        // (customer, position, value), in customer then position order.
        let by_customer = |sql: &str| -> Result<Vec<(CustomerId, i64, String)>> {
            let mut stmt = self.conn.prepare_cached(&format!("{sql}{filter}"))?;
            let rows = stmt.query_map(ids.clone(), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let mut out: Vec<(CustomerId, i64, String)> = rows.collect::<rusqlite::Result<_>>()?;
            out.sort_by_key(|r| (r.0, r.1));
            Ok(out)
        };
        for (id, _, _) in by_customer("SELECT customer_id, 0, '' FROM customer_emails WHERE position = 0")? {
            if let Some(i) = slot(&mut customers, id) {
                customers[i].has_email = true;
            }
        }
        for (id, _, _) in by_customer("SELECT customer_id, 0, '' FROM customer_phones WHERE position = 0")? {
            if let Some(i) = slot(&mut customers, id) {
                customers[i].has_phone = true;
            }
        }
        for (id, _, tag) in by_customer("SELECT customer_id, position, tag FROM customer_tags WHERE TRUE")? {
            if let Some(i) = slot(&mut customers, id) {
                customers[i].tags.push(share(&tag));
            }
        }
        for c in &mut customers {
            c.tags.shrink_to_fit();
        }
        Ok(customers)
    }

    /// Every purchase (not returns) as (customer, unix seconds, in the shop), by customer then time.
    /// Read in table order (one sequential pass) and sorted here: far cheaper than walking the
    /// customer index and looking each row up.
    pub fn purchase_times(&self, only: Option<&[CustomerId]>) -> Result<Vec<(CustomerId, i64, bool)>> {
        let (filter, ids) = match only {
            Some(ids) => (" AND customer_id IN rarray(?1)", Some(super::id_list(ids))),
            None => ("", None),
        };
        let mut stmt = self.conn.prepare_cached(&format!("SELECT customer_id, at, channel = 'in_store' FROM purchases WHERE NOT is_return{filter}"))?;
        let rows = stmt.query_map(ids, |r| {
            let at = r.get_ref(1)?.as_str().map(|t| parse_time(t).timestamp()).unwrap_or(0);
            Ok((r.get(0)?, at, r.get(2)?))
        })?;
        let mut out: Vec<(CustomerId, i64, bool)> = rows.collect::<rusqlite::Result<_>>()?;
        out.sort_unstable_by_key(|p| (p.0, p.1));
        Ok(out)
    }

    /// Inbound touchpoints of linked customers since `since`, rolled up by customer, kind, channel
    /// and sentiment, handed to `each` one at a time (in customer order, as the index is).
    pub fn touchpoint_rollups(&self, since: DateTime<Utc>, only: Option<&[CustomerId]>, mut each: impl FnMut(&TouchpointRollup<'_>)) -> Result<()> {
        let filter = if only.is_some() { " AND customer_id IN rarray(?2)" } else { "" };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT customer_id, kind, channel, sentiment_label, count(*), coalesce(max(reach), 0), max(rating), max(id), min(at)
             FROM touchpoints
             WHERE direction = 'in' AND customer_id IS NOT NULL AND at >= ?1{filter}
             GROUP BY customer_id, kind, channel, sentiment_label"
        ))?;
        let since = rusqlite::types::Value::Text(time_text(since));
        let mut rows = match only {
            Some(ids) => stmt.query(params![since, super::id_list(ids)])?,
            None => stmt.query([since])?,
        };
        while let Some(r) = rows.next()? {
            let str_at = |i| r.get_ref(i).ok().and_then(|v| v.as_str().ok()).unwrap_or("");
            each(&TouchpointRollup {
                customer_id: r.get(0)?,
                kind: str_at(1),
                channel: str_at(2),
                label: str_at(3),
                count: r.get::<_, i64>(4)?.max(0) as u32,
                max_reach: r.get::<_, i64>(5)?.max(0) as u64,
                max_rating: r.get::<_, Option<i64>>(6)?.map(|n| n.clamp(1, 5) as u8),
                last_id: r.get(7)?,
                first_at: parse_time(str_at(8)).timestamp(),
            });
        }
        Ok(())
    }

    /// The latest positive thing each of these customers said (a review's words for a draft).
    pub fn latest_praise(&self, ids: &[CustomerId]) -> Result<HashMap<CustomerId, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id, text FROM touchpoints t
             WHERE customer_id IN rarray(?1) AND direction = 'in' AND sentiment_label = 'positive' AND text <> ''
             ORDER BY at",
        )?;
        let rows = stmt.query_map([super::id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many customers each customer referred.
    pub fn referral_counts(&self, only: Option<&[CustomerId]>) -> Result<HashMap<CustomerId, u32>> {
        let (filter, ids) = match only {
            Some(ids) => (" WHERE referrer_id IN rarray(?1)", Some(super::id_list(ids))),
            None => ("", None),
        };
        let mut stmt = self.conn.prepare_cached(&format!("SELECT referrer_id, count(*) FROM referrals{filter} GROUP BY referrer_id"))?;
        let rows = stmt.query_map(ids, |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u32)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Where to write to each of these customers.
    pub fn contacts(&self, ids: &[CustomerId]) -> Result<HashMap<CustomerId, Contact>> {
        let mut out: HashMap<CustomerId, Contact> = ids.iter().map(|&id| (id, Contact::default())).collect();
        let list = super::id_list(ids);
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id, 'email', email FROM customer_emails WHERE customer_id IN rarray(?1) AND position = 0
             UNION ALL SELECT customer_id, 'phone', e164 FROM customer_phones WHERE customer_id IN rarray(?1) AND position = 0
             UNION ALL SELECT customer_id, platform, handle FROM customer_handles WHERE customer_id IN rarray(?1)",
        )?;
        let rows = stmt.query_map([list], |r| Ok((r.get::<_, CustomerId>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (id, what, value) = row?;
            let Some(c) = out.get_mut(&id) else { continue };
            match what.as_str() {
                "email" => c.email = Some(value),
                "phone" => c.phone = Some(value),
                _ => c.handles.push((what, value)),
            }
        }
        Ok(out)
    }

    /// The items of each customer's latest purchase.
    pub fn last_items(&self, ids: &[CustomerId]) -> Result<HashMap<CustomerId, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id, items FROM purchases p
             WHERE customer_id IN rarray(?1) AND NOT is_return AND items <> ''
               AND at = (SELECT max(at) FROM purchases q WHERE q.customer_id = p.customer_id AND NOT q.is_return AND q.items <> '')",
        )?;
        let rows = stmt.query_map([super::id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn suggestion(&self, id: i64) -> Result<Option<SuggestionRow>> {
        let sql = format!("SELECT {SUGGESTION_COLUMNS} FROM suggestions WHERE id = ?1");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id], suggestion_row).optional()?)
    }

    /// How many marketing suggestions were done since `since` (what today's budget has spent).
    pub fn marketing_done_since(&self, since: DateTime<Utc>) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM suggestions WHERE status = 'done' AND marketing = 1 AND closed_at >= ?1")?
            .query_row([time_text(since)], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    pub fn segment(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT filter FROM segments WHERE name = ?1 COLLATE NOCASE")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    pub fn segments(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT name, filter FROM segments ORDER BY name COLLATE NOCASE")?;
        let rows = stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl WriteDb<'_> {
    /// The id of the suggestion with this key, stored now if it is new.
    pub fn ensure_suggestion(&self, key: &str, customer: Option<CustomerId>, kind: &str, marketing: bool, now: DateTime<Utc>) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO suggestions (key, customer_id, kind, marketing, first_seen) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO NOTHING",
            )?
            .execute(params![key, customer, kind, marketing, time_text(now)])?;
        Ok(self.conn.prepare_cached("SELECT id FROM suggestions WHERE key = ?1")?.query_row([key], |r| r.get(0))?)
    }

    pub fn set_suggestion_status(
        &self,
        id: i64,
        status: SuggestionStatus,
        snoozed_until: Option<DateTime<Utc>>,
        closed_at: Option<DateTime<Utc>>,
        outcome: Option<i64>,
    ) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE suggestions SET status = ?2, snoozed_until = ?3, closed_at = ?4, outcome_id = coalesce(?5, outcome_id) WHERE id = ?1")?
            .execute(params![id, status.as_str(), snoozed_until.map(time_text), closed_at.map(time_text), outcome])?;
        Ok(())
    }

    pub fn set_referral(&self, referred: CustomerId, referrer: CustomerId, at: DateTime<Utc>, source: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO referrals (referred_id, referrer_id, at, source) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (referred_id) DO UPDATE SET referrer_id = excluded.referrer_id, at = excluded.at, source = excluded.source",
            )?
            .execute(params![referred, referrer, time_text(at), source])?;
        Ok(())
    }

    pub fn save_segment(&self, name: &str, filter: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO segments (name, filter, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET filter = excluded.filter",
            )?
            .execute(params![name, filter, time_text(now)])?;
        Ok(())
    }

    pub fn delete_segment(&self, name: &str) -> Result<bool> {
        Ok(self.conn.prepare_cached("DELETE FROM segments WHERE name = ?1 COLLATE NOCASE")?.execute([name])? > 0)
    }
}
