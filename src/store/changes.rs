//! Which customers each write touched: triggers (migration 0011) note the customer behind every row
//! written to the tables the shop's insight reads, in order, in the database itself, so that any
//! connection of any process can bring what it derived from every customer up to date by computing
//! again only those (`cases::insight::update`, `cases::board`). Migration 0012 adds the messages
//! nobody is linked to (noted as minus their ids) and the suggestions the owner dealt with. The notes take part in transactions: a rolled-back
//! write leaves none. Bulk work and a restore note only that anyone may have changed. The notes
//! are trimmed to the last `KEPT_NOTES` now and then; a reader that fell further behind is told
//! so, and computes afresh.

use rusqlite::Connection;

use super::sql::{params, Conn};

use super::{Db, Store};
use crate::error::Result;
use crate::model::CustomerId;

/// Noted when anyone may have changed (bulk work, a restore): no customer has this number.
const EVERYONE: CustomerId = 0;

/// On a server, bulk work's transaction notes nothing row by row (the triggers of Postgres
/// migration 0008 read this setting; a person's login cannot drop them)...
pub(super) const PG_BULK: &str = "SET LOCAL regulars.bulk = 'on';";
/// ...and notes, last, that anyone may have changed.
pub(super) const PG_EVERYONE: &str = "INSERT INTO customer_changes (seq, customer_id) SELECT coalesce(max(seq), 0) + 1, 0 FROM customer_changes;";

/// Drops the triggers that note changes, inside the caller's transaction, for bulk work (a trigger
/// costs bulk work as much again, even when it notes nothing); returns them, to be made again by
/// `resume_noting` in the same transaction.
pub(super) fn stop_noting(conn: &Connection) -> Result<Vec<(String, String)>> {
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND substr(name, -6) = '_noted'")?
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER main.\"{name}\""))?;
    }
    Ok(triggers)
}

/// Makes the triggers `stop_noting` dropped again, and notes that anyone may have changed (after
/// note `after` too: a restore brings back an older file's notes).
pub(super) fn resume_noting(conn: &Connection, triggers: &[(String, String)], after: i64) -> Result<()> {
    for (_, sql) in triggers {
        conn.execute_batch(sql)?;
    }
    note_everyone_after(Conn::Lite(conn), after)
}

/// The last note's number (0 with none).
pub(super) fn mark(conn: Conn<'_>) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM main.customer_changes")?.query_row((), |r| r.get(0))?)
}

/// Notes that anyone may have changed, numbered after `after` and after every note there is.
fn note_everyone_after(conn: Conn<'_>, after: i64) -> Result<()> {
    conn.execute("INSERT INTO main.customer_changes (seq, customer_id) VALUES (max(?1, (SELECT coalesce(max(seq), 0) FROM main.customer_changes)) + 1, ?2)", [after, EVERYONE])?;
    Ok(())
}

/// How many notes are kept (a day's work of a busy shop many times over; an import of more
/// customers than this is computed afresh anyway).
const KEPT_NOTES: i64 = 50_000;

impl Store {
    /// Lets go of all but the last `KEPT_NOTES` notes: after bulk work, and with the daily backup.
    /// Best effort, and without waiting: while another process writes, they are trimmed another time.
    pub(super) fn trim_changes(&self) {
        if self.is_shared() {
            let _ = self.db().conn.execute("DELETE FROM customer_changes WHERE seq <= (SELECT max(seq) FROM customer_changes) - ?1", [KEPT_NOTES]);
            return;
        }
        let _ = self.at_once(|conn| conn.execute("DELETE FROM customer_changes WHERE seq <= (SELECT max(seq) FROM customer_changes) - ?1", [KEPT_NOTES]));
    }
}

impl Db<'_> {
    /// Where the notes stand: the last one's number (0 with none).
    pub fn changes_mark(&self) -> Result<i64> {
        mark(self.conn)
    }

    /// The customers noted after mark `since`, once each in id order, with the mark they come up
    /// to (first, as minus their ids, the messages noted that have no customer: migration 0012);
    /// none when notes after `since` were let go of, anyone may have changed (bulk work, a
    /// restore), or more than `most` customers changed.
    pub fn changed_since(&self, since: i64, most: usize) -> Result<Option<(Vec<CustomerId>, i64)>> {
        let (first, last): (Option<i64>, Option<i64>) =
            self.conn.prepare_cached("SELECT min(seq), max(seq) FROM customer_changes")?.query_row((), |r| Ok((r.get(0)?, r.get(1)?)))?;
        let last = last.unwrap_or(0);
        if last <= since {
            return Ok(Some((Vec::new(), since)));
        }
        if first.is_some_and(|first| first > since + 1) {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare_cached("SELECT DISTINCT customer_id FROM customer_changes WHERE seq > ?1 AND seq <= ?2 ORDER BY customer_id LIMIT ?3")?;
        let ids: Vec<CustomerId> = stmt.query_map(params![since, last, most as i64 + 1], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok((ids.len() <= most && ids.binary_search(&EVERYONE).is_err()).then_some((ids, last)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_to_a_customers_rows_is_noted_and_a_rollback_leaves_no_note() {
        let mut store = Store::open_in_memory().unwrap();
        let start = store.db().changes_mark().unwrap();
        store.lite().unwrap().execute_batch(
            "INSERT INTO customers (id, display_name, sort_name, created_at, updated_at) VALUES (1, 'Ann', 'ann', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), (2, 'Ben', 'ben', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        ).unwrap();
        let (ids, mark) = store.db().changed_since(start, 10).unwrap().unwrap();
        assert_eq!(ids, [1, 2]);
        assert_eq!(store.db().changed_since(mark, 10).unwrap().unwrap().0, Vec::<CustomerId>::new(), "nothing since");
        store.lite().unwrap().execute("INSERT INTO referrals (referred_id, referrer_id, at, source) VALUES (2, 1, '2026-01-02T00:00:00Z', 'test')", ()).unwrap();
        // An outer statement's conflict clause overrules a trigger's: the notes need none.
        store.lite().unwrap().execute("INSERT OR ROLLBACK INTO customer_tags (customer_id, position, tag) VALUES (1, 0, 'vip')", ()).unwrap();
        let (ids, mark) = store.db().changed_since(mark, 10).unwrap().unwrap();
        assert_eq!(ids, [1, 2], "both ends of a referral, the tag's customer");
        assert!(store.db().changed_since(start, 1).unwrap().is_none(), "more than asked for");
        {
            let tx = store.lite_mut().unwrap().transaction().unwrap();
            tx.execute("UPDATE customers SET display_name = 'Benny' WHERE id = 2", ()).unwrap();
            tx.rollback().unwrap();
        }
        assert_eq!(store.db().changes_mark().unwrap(), mark, "a rolled-back write leaves no note");
        // A message nobody is linked to is noted as minus its id, and once linked as its customer
        // too; the owner dealing with a reply to it, as its customer (migration 0012).
        store.lite().unwrap().execute_batch(
            "INSERT INTO touchpoints (id, author, channel, kind, direction, text, at, created_at, status, fingerprint) VALUES (7, '@x', 'instagram', 'question', 'in', 'Open?', '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z', 'needs_reply', 'f7');
             INSERT INTO suggestions (key, kind, first_seen) VALUES ('reply:t7', 'reply', '2026-01-03T00:00:00Z'), ('rally:fit:2026-W01', 'rally', '2026-01-03T00:00:00Z')",
        ).unwrap();
        let (ids, mark) = store.db().changed_since(mark, 10).unwrap().unwrap();
        assert_eq!(ids, [-7], "a message nobody is linked to; open suggestions are not noted");
        store.lite().unwrap().execute_batch("UPDATE touchpoints SET customer_id = 1 WHERE id = 7; UPDATE suggestions SET status = 'dismissed' WHERE key = 'reply:t7'").unwrap();
        let (ids, mark) = store.db().changed_since(mark, 10).unwrap().unwrap();
        assert_eq!(ids, [-7, 1], "linked: both; the reply dismissed: the message's customer now");
        store.lite().unwrap().execute("UPDATE suggestions SET status = 'dismissed' WHERE kind = 'rally'", ()).unwrap();
        assert_eq!(store.db().changed_since(mark, 10).unwrap().unwrap().0, Vec::<CustomerId>::new(), "one about the whole shop is looked up each time");
        let mark = store.db().changes_mark().unwrap();
        // Trimmed: a reader from before the kept notes is told it fell behind.
        store.lite().unwrap().execute("DELETE FROM customer_changes WHERE seq <= ?1", [start + 1]).unwrap();
        assert!(store.db().changed_since(start, 10).unwrap().is_none());
        store.trim_changes();
        assert_eq!(store.db().changes_mark().unwrap(), mark, "the last notes are kept");
        // Bulk work notes no row, only that anyone may have changed; the triggers are back after it,
        // and after bulk work that failed.
        let before = store_triggers(&store);
        assert_eq!(before, 23, "seven tables, three kinds of write; the suggestions' status");
        store.bulk(|s| s.write(|w| {
            assert_eq!(store_triggers_in(w), 0, "none during bulk work");
            w.set_setting("x", "y")
        })).unwrap();
        let failed: Result<()> = store.bulk(|s| s.write(|_| Err(crate::error::Error::conflict("stopped"))));
        assert!(failed.is_err());
        assert_eq!(store_triggers(&store), before);
        let bulk = store.db().changes_mark().unwrap();
        assert!(store.db().changed_since(mark, 10).unwrap().is_none(), "compute afresh");
        store.lite().unwrap().execute("UPDATE customers SET display_name = 'Benny' WHERE id = 2", ()).unwrap();
        assert_eq!(store.db().changed_since(bulk, 10).unwrap().unwrap().0, [2], "noted again after bulk work");
    }

    fn store_triggers(store: &Store) -> i64 {
        store.lite().unwrap().query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%noted'", (), |r| r.get(0)).unwrap()
    }

    fn store_triggers_in(w: &crate::store::WriteDb<'_>) -> i64 {
        w.conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%noted'", (), |r| r.get(0)).unwrap()
    }
}
