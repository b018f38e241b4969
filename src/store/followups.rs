//! The SQL behind the suggestion board (`cases::board`): what each customer's suggestions are made
//! of (messages waiting for a reply, answered complaints, praise, negative topics, what the owner
//! did with their suggestions, when they were last sent marketing), read for the whole shop once
//! and then only for the customers and messages noted as changed since (`Db::changed_since`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use super::sql::{Arg, List};

use super::insight::{suggestion_row, SUGGESTION_COLUMNS};
use super::{parse_time, time_text, Db, Said, SuggestionRow};
use crate::error::Result;
use super::touchpoints::parsed;
use crate::model::{Channel, CustomerId, TouchpointId, TouchpointKind};
use crate::sentiment::Label;

/// Whose rows to read: everyone's, these customers', or these messages' that have no customer.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    All,
    Customers(&'a [CustomerId]),
    Messages(&'a [TouchpointId]),
}

impl Whose<'_> {
    /// The condition on a query's rows (`customer` and `id` name its columns), and the list it binds
    /// as `:only`.
    fn filter(self, customer: &str, id: &str) -> (String, Option<List>) {
        match self {
            Whose::All => (String::new(), None),
            Whose::Customers(ids) => (format!(" AND {customer} IN rarray(:only)"), Some(super::id_list(ids))),
            Whose::Messages(ids) => (format!(" AND {id} IN rarray(:only) AND {customer} IS NULL"), Some(super::id_list(ids))),
        }
    }
}

/// A message waiting for a reply, as much of it as ranking the inbox needs.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitRow {
    pub id: TouchpointId,
    pub customer_id: Option<CustomerId>,
    pub kind: TouchpointKind,
    pub channel: Channel,
    pub at: DateTime<Utc>,
    pub reach: Option<u64>,
    pub label: Label,
    /// Whether its text asks something (has a question mark).
    pub asks: bool,
    /// Its customer's spend in cents (0 without a live customer), as the inbox counts it.
    pub spend_cents: i64,
}

/// A negative inbound message about some topics.
#[derive(Debug, Clone, PartialEq)]
pub struct NegativeRow {
    pub id: TouchpointId,
    pub customer_id: Option<CustomerId>,
    pub at: DateTime<Utc>,
    pub topics: String,
}

impl Db<'_> {
    fn rows<T>(&self, sql: &str, since: Option<DateTime<Utc>>, only: Option<List>, row: impl FnMut(&super::sql::Row<'_>) -> rusqlite::Result<T>) -> Result<Vec<T>> {
        let since = since.map(time_text);
        let mut params: Vec<(&str, &dyn Arg)> = Vec::new();
        if let Some(since) = &since {
            params.push((":since", since));
        }
        if let Some(only) = &only {
            params.push((":only", only));
        }
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params.as_slice(), row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Messages waiting for a reply.
    pub fn waits(&self, whose: Whose<'_>) -> Result<Vec<WaitRow>> {
        let (filter, only) = whose.filter("t.customer_id", "t.id");
        let sql = format!(
            "SELECT t.id, t.customer_id, t.kind, t.channel, t.at, t.reach, t.sentiment_label, instr(t.text, '?') > 0,
                    CASE WHEN c.id IS NULL THEN 0 WHEN c.purchases_count > 0 THEN c.purchases_spend_cents ELSE coalesce(c.lifetime_spend_cents, 0) END
             FROM touchpoints t LEFT JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL
             WHERE t.status = 'needs_reply'{filter}"
        );
        self.rows(&sql, None, only, |r| {
            Ok(WaitRow {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                kind: parsed(2, r.get(2)?)?,
                channel: parsed(3, r.get(3)?)?,
                at: parse_time(&r.get::<_, String>(4)?),
                reach: r.get::<_, Option<i64>>(5)?.map(|n| n.max(0) as u64),
                label: r.get::<_, String>(6)?.parse().unwrap_or(Label::Neutral),
                asks: r.get(7)?,
                spend_cents: r.get::<_, Option<i64>>(8)?.unwrap_or(0),
            })
        })
    }

    /// Complaints (and negative messages) answered since `since` that their customer has said
    /// nothing after.
    pub fn answered_complaints(&self, since: DateTime<Utc>, whose: Whose<'_>) -> Result<Vec<Said>> {
        if matches!(whose, Whose::Messages(_)) {
            return Ok(Vec::new());
        }
        let (filter, only) = whose.filter("t.customer_id", "t.id");
        let sql = format!(
            "SELECT {} FROM touchpoints t
             WHERE t.status = 'replied' AND t.direction = 'in' AND t.customer_id IS NOT NULL
               AND (t.kind = 'complaint' OR t.sentiment_label = 'negative') AND t.replied_at >= :since{filter}
               AND NOT EXISTS (SELECT 1 FROM touchpoints u WHERE u.customer_id = t.customer_id AND u.direction = 'in' AND u.at > t.replied_at)",
            super::insight::SAID_COLUMNS
        );
        self.rows(&sql, Some(since), only, super::insight::said)
    }

    /// Positive public messages since `since` that need no reply (posts, mentions, shares, and
    /// reviews or comments already answered or set aside), oldest first.
    pub fn praise(&self, since: DateTime<Utc>, whose: Whose<'_>) -> Result<Vec<Said>> {
        if matches!(whose, Whose::Messages(_)) {
            return Ok(Vec::new());
        }
        let (filter, only) = whose.filter("t.customer_id", "t.id");
        let sql = format!(
            "SELECT {} FROM touchpoints t
             WHERE t.direction = 'in' AND t.customer_id IS NOT NULL AND t.sentiment_label = 'positive'
               AND t.kind IN ('review', 'post', 'mention', 'share', 'comment') AND t.status = 'no_reply_needed' AND t.at >= :since{filter}
             ORDER BY t.at, t.id",
            super::insight::SAID_COLUMNS
        );
        self.rows(&sql, Some(since), only, super::insight::said)
    }

    /// Negative inbound messages with topics since `since`.
    pub fn negative_topics(&self, since: DateTime<Utc>, whose: Whose<'_>) -> Result<Vec<NegativeRow>> {
        let (filter, only) = whose.filter("customer_id", "id");
        let sql = format!(
            "SELECT id, customer_id, at, topics FROM touchpoints
             WHERE direction = 'in' AND sentiment_label = 'negative' AND at >= :since AND topics <> ''{filter}"
        );
        self.rows(&sql, Some(since), only, |r| {
            Ok(NegativeRow { id: r.get(0)?, customer_id: r.get(1)?, at: parse_time(&r.get::<_, String>(2)?), topics: r.get(3)? })
        })
    }

    /// The suggestions the owner dealt with (done, dismissed or snoozed): a customer's, or a
    /// reply's to a message with no customer (`Whose::Messages`).
    pub fn settled_suggestions(&self, whose: Whose<'_>) -> Result<Vec<SuggestionRow>> {
        let (filter, only) = match whose {
            Whose::All => (String::new(), None),
            Whose::Customers(ids) => (" AND customer_id IN rarray(:only)".to_string(), Some(super::id_list(ids))),
            Whose::Messages(ids) => (
                " AND customer_id IS NULL AND key IN rarray(:only)".to_string(),
                Some(List::texts(ids.iter().map(|id| format!("reply:t{id}")))),
            ),
        };
        let sql = format!("SELECT {SUGGESTION_COLUMNS} FROM suggestions WHERE status <> 'open'{filter}");
        self.rows(&sql, None, only, suggestion_row)
    }

    /// When each customer was last sent marketing (a marketing suggestion done) since `since`.
    pub fn last_marketed(&self, since: DateTime<Utc>, whose: Whose<'_>) -> Result<Vec<(CustomerId, DateTime<Utc>)>> {
        if matches!(whose, Whose::Messages(_)) {
            return Ok(Vec::new());
        }
        let (filter, only) = whose.filter("customer_id", "id");
        let sql = format!(
            "SELECT customer_id, max(closed_at) FROM suggestions
             WHERE status = 'done' AND marketing = 1 AND closed_at >= :since AND customer_id IS NOT NULL{filter}
             GROUP BY customer_id"
        );
        self.rows(&sql, Some(since), only, |r| Ok((r.get(0)?, parse_time(&r.get::<_, String>(1)?))))
    }

    /// The stored suggestions with these keys.
    pub fn suggestions_with_keys(&self, keys: &[String]) -> Result<HashMap<String, SuggestionRow>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let list = List::texts(keys.iter().cloned());
        let sql = format!("SELECT {SUGGESTION_COLUMNS} FROM suggestions WHERE key IN rarray(:only)");
        Ok(self.rows(&sql, None, Some(list), suggestion_row)?.into_iter().map(|s| (s.key.clone(), s)).collect())
    }

    /// These touchpoints, as suggestions quote them.
    pub fn said(&self, ids: &[TouchpointId]) -> Result<HashMap<TouchpointId, Said>> {
        let sql = format!("SELECT {} FROM touchpoints t WHERE t.id IN rarray(:only)", super::insight::SAID_COLUMNS);
        Ok(self.rows(&sql, None, Some(super::id_list(ids)), super::insight::said)?.into_iter().map(|s| (s.id, s)).collect())
    }
}
