//! The SQL of touchpoints and purchases: logging and reading them, linking touchpoints to the
//! customers who wrote them, and keeping each customer's purchase totals in step.

use super::sql::{params, Optional, Row};

use super::{parse_time, time_text, Db, WriteDb};
use crate::error::Result;
use crate::model::{
    CustomerId, Money, Purchase, PurchaseChannel, PurchaseId, ReplyStatus, Touchpoint, TouchpointId,
};
use crate::sentiment::Label;

/// How a touchpoint's author is recognised when they become a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorKey {
    Handle { platform: String, handle: String },
    Email(String),
    Phone(String),
    Name(String),
}

impl AuthorKey {
    fn columns(&self) -> (&'static str, Option<&str>, &str) {
        match self {
            AuthorKey::Handle { platform, handle } => ("handle", Some(platform), handle),
            AuthorKey::Email(e) => ("email", None, e),
            AuthorKey::Phone(p) => ("phone", None, p),
            AuthorKey::Name(n) => ("name", None, n),
        }
    }
}

/// An inbound touchpoint waiting for a reply, with what the inbox needs of its author.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub touchpoint: Touchpoint,
    pub customer_name: Option<String>,
    /// The customer's spend in cents (purchases, else imported totals), 0 when unknown.
    pub spend_cents: i64,
}

const TOUCHPOINT_COLUMNS: &str = "t.id, t.customer_id, t.author, t.channel, t.kind, t.direction, t.text, t.url, t.rating,
     t.reach, t.at, t.sentiment, t.sentiment_label, t.sentiment_by_owner, t.topics, t.status, t.reply_id,
     t.replied_at, t.in_reply_to, t.created_at, t.linked_by";

pub(super) fn parsed<T: std::str::FromStr<Err = String>>(i: usize, text: String) -> rusqlite::Result<T> {
    text.parse().map_err(|e: String| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

fn touchpoint(r: &Row<'_>) -> rusqlite::Result<Touchpoint> {
    Ok(Touchpoint {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        author: r.get(2)?,
        channel: parsed(3, r.get(3)?)?,
        kind: parsed(4, r.get::<_, String>(4)?)?,
        direction: parsed(5, r.get::<_, String>(5)?)?,
        text: r.get(6)?,
        url: r.get(7)?,
        rating: r.get::<_, Option<i64>>(8)?.map(|n| n.clamp(1, 5) as u8),
        reach: r.get::<_, Option<i64>>(9)?.map(|n| n.max(0) as u64),
        at: parse_time(&r.get::<_, String>(10)?),
        sentiment: r.get(11)?,
        sentiment_label: r.get::<_, String>(12)?.parse().unwrap_or(Label::Neutral),
        sentiment_by_owner: r.get(13)?,
        topics: r.get::<_, String>(14)?.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        status: parsed(15, r.get::<_, String>(15)?)?,
        reply_id: r.get(16)?,
        replied_at: r.get::<_, Option<String>>(17)?.map(|t| parse_time(&t)),
        in_reply_to: r.get(18)?,
        created_at: parse_time(&r.get::<_, String>(19)?),
        linked_by_name: r.get::<_, Option<String>>(20)?.is_some(),
    })
}

fn purchase(r: &Row<'_>) -> rusqlite::Result<Purchase> {
    Ok(Purchase {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        at: parse_time(&r.get::<_, String>(2)?),
        amount: Money::from_cents(r.get(3)?),
        currency: r.get(4)?,
        items: r.get(5)?,
        channel: r.get::<_, String>(6)?.parse().unwrap_or(PurchaseChannel::InStore),
        is_return: r.get(7)?,
        external_id: r.get(8)?,
    })
}

impl Db<'_> {
    pub fn touchpoint(&self, id: TouchpointId) -> Result<Option<Touchpoint>> {
        let sql = format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE t.id = ?1");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id], touchpoint).optional()?)
    }

    pub fn touchpoint_with_fingerprint(&self, fingerprint: &str) -> Result<Option<TouchpointId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM touchpoints WHERE fingerprint = ?1")?
            .query_row([fingerprint], |r| r.get(0))
            .optional()?)
    }

    /// Touchpoints newest first: one customer's, or everyone's; at most `limit`.
    pub fn touchpoints(&self, customer: Option<CustomerId>, limit: u64) -> Result<Vec<Touchpoint>> {
        let sql = match customer {
            Some(_) => format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE t.customer_id = ?1 ORDER BY t.at DESC, t.id DESC LIMIT ?2"),
            None => format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE ?1 IS NULL ORDER BY t.at DESC, t.id DESC LIMIT ?2"),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer, super::sql::row_limit(limit)], touchpoint)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many messages a customer has sent (inbound touchpoints).
    pub fn messages_in(&self, customer: CustomerId) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM touchpoints WHERE customer_id = ?1 AND direction = 'in'")?
            .query_row([customer], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Touchpoints that happened in [from, to), oldest first.
    pub fn touchpoints_between(&self, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<Vec<Touchpoint>> {
        let sql = format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE t.at >= ?1 AND t.at < ?2 ORDER BY t.at, t.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([time_text(from), time_text(to)], touchpoint)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's messages on `channel` that wait for a reply and came at or before `by`, oldest
    /// first.
    pub fn waiting_from(&self, customer: CustomerId, channel: &str, by: chrono::DateTime<chrono::Utc>) -> Result<Vec<TouchpointId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM touchpoints WHERE customer_id = ?1 AND channel = ?2 AND direction = 'in'
               AND status = 'needs_reply' AND at <= ?3 ORDER BY at, id",
        )?;
        let rows = stmt.query_map(params![customer, channel, time_text(by)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Inbound touchpoints that need a reply (all, or `only` these), with their authors' names and spend.
    pub fn waiting(&self, only: Option<&[TouchpointId]>) -> Result<Vec<Waiting>> {
        let (filter, ids) = match only {
            Some(ids) => (" AND t.id IN rarray(?1)", Some(super::id_list(ids))),
            None => ("", None),
        };
        let sql = format!(
            "SELECT {TOUCHPOINT_COLUMNS}, c.display_name,
                    CASE WHEN c.purchases_count > 0 THEN c.purchases_spend_cents ELSE coalesce(c.lifetime_spend_cents, 0) END
             FROM touchpoints t LEFT JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL
             WHERE t.status = 'needs_reply'{filter}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(ids, |r| {
            Ok(Waiting { touchpoint: touchpoint(r)?, customer_name: r.get(21)?, spend_cents: r.get::<_, Option<i64>>(22)?.unwrap_or(0) })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Display names of these customers (live or not).
    pub fn display_names(&self, ids: &[CustomerId]) -> Result<std::collections::HashMap<CustomerId, String>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, display_name FROM customers WHERE id IN rarray(?1)")?;
        let rows = stmt.query_map([super::id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn purchase_with_external_id(&self, external_id: &str) -> Result<Option<PurchaseId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM purchases WHERE external_id = ?1")?
            .query_row([external_id], |r| r.get(0))
            .optional()?)
    }

    /// A customer's purchases, newest first.
    pub fn purchases_of(&self, customer: CustomerId) -> Result<Vec<Purchase>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_id, at, amount_cents, currency, items, channel, is_return, external_id
             FROM purchases WHERE customer_id = ?1 ORDER BY at DESC, id DESC",
        )?;
        let rows = stmt.query_map([customer], purchase)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The id of the one live customer who holds this external (other system's) customer id in
    /// a custom field such as "Square Customer ID", if exactly one does.
    pub fn customer_with_custom_value(&self, value: &str) -> Result<Option<CustomerId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT c.id FROM customers c, json_each(c.custom) j
             WHERE c.deleted_at IS NULL AND c.custom <> '{}' AND j.value = ?1 LIMIT 2",
        )?;
        let ids: Vec<CustomerId> = stmt.query_map([value], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(if ids.len() == 1 { ids.first().copied() } else { None })
    }
}

impl WriteDb<'_> {
    /// Stores a new touchpoint (its `id` is ignored) and returns its id.
    pub fn insert_touchpoint(&self, t: &Touchpoint, author: Option<&AuthorKey>, fingerprint: &str) -> Result<TouchpointId> {
        let (kind, platform, value) = match author.map(AuthorKey::columns) {
            Some((k, p, v)) => (Some(k), p, Some(v)),
            None => (None, None, None),
        };
        let topics = t.topics.join(",");
        self.conn.prepare_cached(
            "INSERT INTO touchpoints (customer_id, author, author_kind, author_platform, author_value, channel, kind,
                 direction, text, url, rating, reach, at, sentiment, sentiment_label, sentiment_by_owner, topics,
                 status, reply_id, replied_at, in_reply_to, fingerprint, created_at, linked_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        )?
        .execute(params![
            t.customer_id, t.author, kind, platform, value, t.channel.as_str(), t.kind.as_str(), t.direction.as_str(),
            t.text, t.url, t.rating, t.reach.map(|r| r.min(i64::MAX as u64) as i64), time_text(t.at), t.sentiment,
            t.sentiment_label.as_str(), t.sentiment_by_owner, topics, t.status.as_str(), t.reply_id,
            t.replied_at.map(time_text), t.in_reply_to, fingerprint, time_text(t.created_at),
            t.linked_by_name.then_some("name"),
        ])?;
        Ok(self.conn.last_insert_rowid()?)
    }

    pub fn set_touchpoint_status(
        &self,
        id: TouchpointId,
        status: ReplyStatus,
        reply: Option<(TouchpointId, chrono::DateTime<chrono::Utc>)>,
    ) -> Result<()> {
        self.conn.prepare_cached("UPDATE touchpoints SET status = ?2, reply_id = ?3, replied_at = ?4 WHERE id = ?1")?.execute(
            params![id, status.as_str(), reply.map(|r| r.0), reply.map(|r| time_text(r.1))],
        )?;
        Ok(())
    }

    pub fn set_touchpoint_sentiment(&self, id: TouchpointId, compound: f64, label: Label, by_owner: bool) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE touchpoints SET sentiment = ?2, sentiment_label = ?3, sentiment_by_owner = ?4 WHERE id = ?1")?
            .execute(params![id, compound, label.as_str(), by_owner])?;
        Ok(())
    }

    /// Links a touchpoint to a customer by the owner's word (no longer "linked by name").
    pub fn set_touchpoint_customer(&self, id: TouchpointId, customer: CustomerId) -> Result<()> {
        self.conn.prepare_cached("UPDATE touchpoints SET customer_id = ?2, linked_by = NULL WHERE id = ?1")?.execute(params![id, customer])?;
        Ok(())
    }

    /// Remembers that the author of these keys is not a customer.
    pub fn add_not_customer(&self, key: &AuthorKey, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        let (kind, platform, value) = key.columns();
        self.conn.execute(
            "INSERT INTO not_customers (author_kind, author_platform, author_value, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (author_kind, author_platform, author_value) DO UPDATE SET at = excluded.at",
            params![kind, platform.unwrap_or(""), value, time_text(at)],
        )?;
        Ok(())
    }

    /// Takes touchpoint `id` off its customer, back to its author alone.
    pub fn unlink_touchpoint(&self, id: TouchpointId) -> Result<()> {
        self.conn.execute("UPDATE touchpoints SET customer_id = NULL, linked_by = NULL WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Links every unlinked touchpoint whose author's handle, email or phone now belongs to a live
    /// customer. Returns how many were linked. Costs one look-up per unlinked touchpoint.
    pub fn link_touchpoints(&self) -> Result<usize> {
        let n = self.conn.prepare_cached(
            "UPDATE touchpoints AS t SET customer_id = m.customer_id
             FROM (
                 SELECT t2.id AS tid, coalesce(
                     (SELECT h.customer_id FROM customer_handles h JOIN customers c ON c.id = h.customer_id AND c.deleted_at IS NULL
                      WHERE t2.author_kind = 'handle' AND h.platform = t2.author_platform AND h.handle = t2.author_value),
                     (SELECT e.customer_id FROM customer_emails e JOIN customers c ON c.id = e.customer_id AND c.deleted_at IS NULL
                      WHERE t2.author_kind = 'email' AND e.email = t2.author_value),
                     (SELECT p.customer_id FROM customer_phones p JOIN customers c ON c.id = p.customer_id AND c.deleted_at IS NULL
                      WHERE t2.author_kind = 'phone' AND p.e164 = t2.author_value)) AS customer_id
                 FROM touchpoints t2 WHERE t2.customer_id IS NULL AND t2.author_kind IN ('handle', 'email', 'phone')
             ) AS m
             WHERE t.id = m.tid AND m.customer_id IS NOT NULL",
        )?
        .execute(())?;
        Ok(n)
    }

    pub fn insert_purchase(&self, p: &Purchase, now: chrono::DateTime<chrono::Utc>) -> Result<PurchaseId> {
        self.conn
            .prepare_cached(
                "INSERT INTO purchases (customer_id, at, amount_cents, currency, items, channel, is_return, external_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                p.customer_id, time_text(p.at), p.amount.cents(), p.currency, p.items, p.channel.as_str(), p.is_return,
                p.external_id, time_text(now),
            ])?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Recomputes a customer's totals from their purchases: net spend (returns subtract), orders
    /// (returns do not count), first and last purchase.
    pub fn refresh_purchase_totals(&self, customer: CustomerId) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE customers SET
                     purchases_spend_cents = (SELECT coalesce(sum(amount_cents), 0) FROM purchases WHERE customer_id = ?1),
                     purchases_count = (SELECT count(*) FROM purchases WHERE customer_id = ?1 AND NOT is_return),
                     first_purchase_at = (SELECT min(at) FROM purchases WHERE customer_id = ?1 AND NOT is_return),
                     last_purchase_at = (SELECT max(at) FROM purchases WHERE customer_id = ?1 AND NOT is_return)
                 WHERE id = ?1",
            )?
            .execute([customer])?;
        Ok(())
    }
}

/// Erasure's look-ups and deletes: touchpoints that were never linked to the person, and the
/// import reports that quote them.
impl Db<'_> {
    /// Every author of inbound messages who is not linked to a customer (nor said to be none),
    /// one row each: their latest message's id, the author as written, its channel, how many
    /// messages they sent and when the last was. Newest first.
    pub fn unlinked_authors(&self, limit: u64) -> Result<Vec<(TouchpointId, String, String, u64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            // Each author's newest message says how they are shown.
            "SELECT g.last, l.author, l.channel, g.n, g.at FROM (
                 SELECT max(t.id) AS last, count(*) AS n, max(t.at) AS at
                 FROM touchpoints t
                 WHERE t.customer_id IS NULL AND t.direction = 'in' AND t.author_kind IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM not_customers n WHERE n.author_kind = t.author_kind
                       AND n.author_value = t.author_value AND n.author_platform = coalesce(t.author_platform, ''))
                 GROUP BY t.author_kind, coalesce(t.author_platform, ''), t.author_value
             ) g JOIN touchpoints l ON l.id = g.last
             ORDER BY g.at DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([super::sql::row_limit(limit)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64, r.get(4)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the owner said touchpoint `id`'s author is not a customer.
    pub fn author_is_not_customer(&self, id: TouchpointId) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM touchpoints t JOIN not_customers n ON n.author_kind = t.author_kind
                 AND n.author_value = t.author_value AND n.author_platform = coalesce(t.author_platform, '') WHERE t.id = ?1)",
            [id],
            |r| r.get(0),
        )?)
    }

    /// Unlinked touchpoints whose author key is one of the person's: an email, a phone, a
    /// (platform, handle), or a name given exactly (case and accents aside, as folded by the caller).
    pub fn unlinked_by_author(&self, emails: &[String], phones: &[String], handles: &[(String, String)], names: &[String]) -> Result<Vec<TouchpointId>> {
        let mut ids = Vec::new();
        let mut by = |kind: &str, platform: Option<&str>, value: &str| -> Result<()> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id FROM touchpoints WHERE customer_id IS NULL AND author_kind = ?1 AND author_value = ?2
                 AND (?3 IS NULL OR author_platform = ?3)",
            )?;
            for id in stmt.query_map(params![kind, value, platform], |r| r.get(0))? {
                ids.push(id?);
            }
            Ok(())
        };
        for e in emails {
            by("email", None, e)?;
        }
        for p in phones {
            by("phone", None, p)?;
        }
        for (platform, handle) in handles {
            by("handle", Some(platform), handle)?;
        }
        if !names.is_empty() {
            let mut stmt = self.conn.prepare_cached("SELECT id, author_value FROM touchpoints WHERE customer_id IS NULL AND author_kind = 'name'")?;
            for row in stmt.query_map((), |r| Ok((r.get::<_, TouchpointId>(0)?, r.get::<_, String>(1)?)))? {
                let (id, value) = row?;
                if names.contains(&crate::normalize::fold(value.trim())) {
                    ids.push(id);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Which of `ids` have purchases recorded.
    pub fn with_purchases(&self, ids: &[CustomerId]) -> Result<std::collections::HashSet<CustomerId>> {
        let mut stmt = self.conn.prepare_cached("SELECT DISTINCT customer_id FROM purchases WHERE customer_id IN rarray(?1)")?;
        let rows = stmt.query_map([super::id_list(ids)], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every unlinked touchpoint's author and text: (id, author, text).
    pub fn unlinked_texts(&self) -> Result<Vec<(TouchpointId, String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, author, text FROM touchpoints WHERE customer_id IS NULL ORDER BY id")?;
        let rows = stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every import's stored report: (import, report JSON).
    pub fn import_reports(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare("SELECT id, report FROM imports ORDER BY id")?;
        let rows = stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl WriteDb<'_> {
    pub fn delete_touchpoints(&self, ids: &[TouchpointId]) -> Result<usize> {
        let mut n = 0;
        let mut stmt = self.conn.prepare_cached("DELETE FROM touchpoints WHERE id = ?1")?;
        for id in ids {
            n += stmt.execute([id])?;
        }
        Ok(n)
    }

    pub fn set_import_report(&self, id: i64, report: &str) -> Result<()> {
        self.conn.prepare_cached("UPDATE imports SET report = ?2 WHERE id = ?1")?.execute(params![id, report])?;
        Ok(())
    }
}
