//! The SQL of merging customers: what hangs off a customer (touchpoints, purchases, suggestions,
//! consent events, referrals), moving it to another customer and back by the ids
//! recorded, the merged-away customer's mark, and the record of each merge.

use super::sql::{params, Optional};
use serde::{Deserialize, Serialize};

use super::{time_text, Db, WriteDb};
use crate::error::Result;
use crate::model::CustomerId;

/// What hung off a customer when it was merged away: each row by its id, to be put back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub touchpoints: Vec<i64>,
    pub purchases: Vec<i64>,
    pub suggestions: Vec<i64>,
    /// The copies of their consent record made on the kept customer.
    #[serde(default)]
    pub consent_copies: Vec<i64>,
    /// Who referred them, and when and how it was recorded.
    pub referred_by: Option<(CustomerId, String, String)>,
    /// Whom they referred.
    pub referred: Vec<CustomerId>,
}

/// A merge as recorded.
#[derive(Debug, Clone)]
pub struct MergeRow {
    pub id: i64,
    pub keep: CustomerId,
    pub at: chrono::DateTime<chrono::Utc>,
    pub record: String,
    pub undone: bool,
    /// Who merged: their login on a shared shop's server (empty in a file).
    pub done_by: String,
}

impl Db<'_> {
    fn ids(&self, sql: &str, id: CustomerId) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything that hangs off customer `id` (their consent record is copied, not moved).
    pub fn hanging_off(&self, id: CustomerId) -> Result<Moved> {
        let referred_by = self
            .conn
            .query_row("SELECT referrer_id, at, source FROM referrals WHERE referred_id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(Moved {
            touchpoints: self.ids("SELECT id FROM touchpoints WHERE customer_id = ?1 ORDER BY id", id)?,
            purchases: self.ids("SELECT id FROM purchases WHERE customer_id = ?1 ORDER BY id", id)?,
            suggestions: self.ids("SELECT id FROM suggestions WHERE customer_id = ?1 ORDER BY id", id)?,
            consent_copies: Vec::new(),
            referred_by,
            referred: self.ids("SELECT referred_id FROM referrals WHERE referrer_id = ?1 ORDER BY referred_id", id)?,
        })
    }

    fn consent_rows(&self, id: CustomerId) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT channel, status, at, source FROM consent_events WHERE customer_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The customer `id` was merged into, if it was.
    pub fn merged_into(&self, id: CustomerId) -> Result<Option<CustomerId>> {
        Ok(self.conn.query_row("SELECT merged_into FROM customers WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten())
    }

    pub fn merge(&self, id: i64) -> Result<Option<MergeRow>> {
        Ok(self
            .conn
            .query_row("SELECT id, keep_id, at, record, undone_at IS NOT NULL, done_by FROM merges WHERE id = ?1", [id], |r| {
                Ok(MergeRow { id: r.get(0)?, keep: r.get(1)?, at: super::parse_time(&r.get::<_, String>(2)?), record: r.get(3)?, undone: r.get(4)?, done_by: r.get(5)? })
            })
            .optional()?)
    }

    /// The merges into customer `id` not taken back, newest first.
    pub fn merges_of(&self, id: CustomerId) -> Result<Vec<i64>> {
        self.ids("SELECT id FROM merges WHERE keep_id = ?1 AND undone_at IS NULL ORDER BY id DESC", id)
    }

    /// Rows added to customer `id` after `at` (logged on the kept customer since a merge).
    pub fn added_since(&self, id: CustomerId, at: chrono::DateTime<chrono::Utc>) -> Result<(u64, u64)> {
        let t = time_text(at);
        let touchpoints: i64 = self.conn.query_row("SELECT count(*) FROM touchpoints WHERE customer_id = ?1 AND created_at >= ?2", params![id, t], |r| r.get(0))?;
        let purchases: i64 = self.conn.query_row("SELECT count(*) FROM purchases WHERE customer_id = ?1 AND created_at >= ?2", params![id, t], |r| r.get(0))?;
        Ok((touchpoints as u64, purchases as u64))
    }
}

impl WriteDb<'_> {
    /// Moves everything hanging off `from` to `to` (a referral between them is dropped: nobody
    /// refers themselves). The consent record is append-only: `from`'s events are copied to `to`
    /// (their ids returned, to be taken away by an undo) and stay on `from` too. The import history
    /// stays with `from`: an import's undo must never put `to` back as `from` was.
    pub fn move_hanging(&self, from: CustomerId, to: CustomerId) -> Result<Vec<i64>> {
        let mut copies = Vec::new();
        for (channel, status, at, source) in self.consent_rows(from)? {
            self.conn.execute(
                "INSERT INTO consent_events (customer_id, channel, status, at, source) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![to, channel, status, at, format!("{source} (merged from #{from})")],
            )?;
            copies.push(self.conn.last_insert_rowid()?);
        }
        for table in ["touchpoints", "purchases", "suggestions"] {
            self.conn.execute(&format!("UPDATE {table} SET customer_id = ?2 WHERE customer_id = ?1"), params![from, to])?;
        }
        self.conn.execute("DELETE FROM referrals WHERE (referred_id = ?1 AND referrer_id = ?2) OR (referred_id = ?2 AND referrer_id = ?1)", params![from, to])?;
        self.conn.execute("UPDATE referrals SET referred_id = ?2 WHERE referred_id = ?1 AND NOT EXISTS (SELECT 1 FROM referrals WHERE referred_id = ?2)", params![from, to])?;
        self.conn.execute("DELETE FROM referrals WHERE referred_id = ?1", [from])?;
        self.conn.execute("UPDATE referrals SET referrer_id = ?2 WHERE referrer_id = ?1", params![from, to])?;
        self.refresh_purchase_totals(to)?;
        Ok(copies)
    }

    /// Puts back on `to` what `moved` recorded, from `from` (rows deleted since stay gone).
    pub fn move_back(&self, moved: &Moved, from: CustomerId, to: CustomerId) -> Result<()> {
        for (table, ids) in [("touchpoints", &moved.touchpoints), ("purchases", &moved.purchases), ("suggestions", &moved.suggestions)] {
            let mut stmt = self.conn.prepare_cached(&format!("UPDATE {table} SET customer_id = ?3 WHERE id = ?1 AND customer_id = ?2"))?;
            for id in ids {
                stmt.execute(params![id, from, to])?;
            }
        }
        // The copies of `to`'s consent record that the merge gave `from` (`to` kept its own).
        let mut stmt = self.conn.prepare_cached("DELETE FROM consent_events WHERE id = ?1 AND customer_id = ?2")?;
        for id in &moved.consent_copies {
            stmt.execute(params![id, from])?;
        }
        if let Some((referrer, at, source)) = &moved.referred_by {
            self.conn.execute(
                "INSERT INTO referrals (referred_id, referrer_id, at, source) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (referred_id) DO UPDATE SET referrer_id = excluded.referrer_id, at = excluded.at, source = excluded.source",
                params![to, referrer, at, source],
            )?;
        }
        for referred in &moved.referred {
            self.conn.execute("UPDATE referrals SET referrer_id = ?2 WHERE referred_id = ?1 AND referrer_id = ?3", params![referred, to, from])?;
        }
        self.refresh_purchase_totals(from)?;
        self.refresh_purchase_totals(to)
    }

    /// Marks `id` as merged into `keep` (in the trash), or (None) as itself again.
    pub fn set_merged_into(&self, id: CustomerId, keep: Option<CustomerId>, at: Option<chrono::DateTime<chrono::Utc>>) -> Result<()> {
        self.conn.execute("UPDATE customers SET merged_into = ?2, deleted_at = ?3 WHERE id = ?1", params![id, keep, at.map(time_text)])?;
        if keep.is_some() {
            for table in ["customer_emails", "customer_phones", "customer_handles", "customer_tags"] {
                self.conn.execute(&format!("DELETE FROM {table} WHERE customer_id = ?1"), [id])?;
            }
        }
        Ok(())
    }

    pub fn insert_merge(&self, keep: CustomerId, at: chrono::DateTime<chrono::Utc>, record: &str) -> Result<i64> {
        self.conn.execute("INSERT INTO merges (keep_id, at, record) VALUES (?1, ?2, ?3)", params![keep, time_text(at), record])?;
        Ok(self.conn.last_insert_rowid()?)
    }

    pub fn set_merge_undone(&self, id: i64, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.conn.execute("UPDATE merges SET undone_at = ?2 WHERE id = ?1", params![id, time_text(at)])?;
        Ok(())
    }
}
