//! Which customers this connection's writes touched: temporary triggers (of this connection only,
//! never stored in the file) note the customer behind every row written to the tables the shop's
//! insight reads, so that what is derived from every customer can be brought up to date by
//! computing again only those. The notes live in a temporary table and so take part in
//! transactions: a rolled-back write leaves no note, and a note taken inside a transaction that is
//! rolled back comes back. Writes by other processes leave no note here; they change the
//! database's `data_version` instead (see `Store::stamp`), and whoever derives from it starts over.

use super::{Db, Store};
use crate::error::Result;
use crate::model::CustomerId;

/// Noted when any customer may have changed (bulk work runs without notes): no customer has it.
pub const EVERYONE: CustomerId = 0;

/// The tables whose rows belong to a customer, and the column that says whose.
const OWNED: &[(&str, &[&str])] = &[
    ("customers", &["id"]),
    ("customer_emails", &["customer_id"]),
    ("customer_phones", &["customer_id"]),
    ("customer_tags", &["customer_id"]),
    ("touchpoints", &["customer_id"]),
    ("purchases", &["customer_id"]),
    ("referrals", &["referrer_id", "referred_id"]),
];

impl Store {
    /// Installs the triggers that note changed customers on this connection.
    pub(super) fn note_changes(&self) -> Result<()> {
        let mut sql = String::from("CREATE TEMP TABLE IF NOT EXISTS changed_customers (customer_id INTEGER PRIMARY KEY);\n");
        for (table, columns) in OWNED {
            for (event, rows) in [("INSERT", &["NEW"][..]), ("DELETE", &["OLD"]), ("UPDATE", &["OLD", "NEW"])] {
                let notes: String = rows
                    .iter()
                    // No conflict clause: an outer statement's (an import's OR REPLACE, say) would
                    // overrule it. A note already taken is left alone instead.
                    .flat_map(|row| columns.iter().map(move |c| format!(
                        "INSERT INTO temp.changed_customers SELECT {row}.{c} WHERE {row}.{c} IS NOT NULL \
                         AND NOT EXISTS (SELECT 1 FROM temp.changed_customers WHERE customer_id = {row}.{c}); "
                    )))
                    .collect();
                sql.push_str(&format!(
                    "CREATE TEMP TRIGGER IF NOT EXISTS note_{table}_{event} AFTER {event} ON main.{table} BEGIN {notes}END;\n",
                    event = event.to_lowercase()
                ));
            }
        }
        self.conn.execute_batch(&sql)?;
        Ok(())
    }

    /// Notes that any customer may have changed (`EVERYONE`): after work done without notes.
    pub(super) fn note_everyone_changed(&self) -> Result<()> {
        self.conn.execute("INSERT INTO temp.changed_customers SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM temp.changed_customers WHERE customer_id = ?1)", [EVERYONE])?;
        Ok(())
    }

    /// The customers noted as changed since the notes were last taken, in id order (`EVERYONE`
    /// first when anyone may have), and the notes taken (cleared).
    pub fn take_changed_customers(&self) -> Result<Vec<CustomerId>> {
        let ids = self.db().changed_customers()?;
        self.conn.execute("DELETE FROM temp.changed_customers", [])?;
        Ok(ids)
    }
}

impl Db<'_> {
    /// The customers noted as changed, in id order.
    pub fn changed_customers(&self) -> Result<Vec<CustomerId>> {
        let mut stmt = self.conn.prepare_cached("SELECT customer_id FROM temp.changed_customers ORDER BY customer_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_to_a_customers_rows_is_noted_and_a_rollback_takes_its_note_back() {
        let mut store = Store::open_in_memory().unwrap();
        store.conn.execute_batch(
            "INSERT INTO customers (id, display_name, sort_name, created_at, updated_at) VALUES (1, 'Ann', 'ann', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), (2, 'Ben', 'ben', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        ).unwrap();
        assert_eq!(store.take_changed_customers().unwrap(), [1, 2]);
        assert!(store.take_changed_customers().unwrap().is_empty(), "taken");
        store.conn.execute("INSERT INTO referrals (referred_id, referrer_id, at, source) VALUES (2, 1, '2026-01-02T00:00:00Z', 'test')", []).unwrap();
        assert_eq!(store.db().changed_customers().unwrap(), [1, 2], "both ends of a referral");
        // An outer statement's conflict clause overrules a trigger's: the notes need none.
        store.conn.execute("INSERT OR ROLLBACK INTO referrals (referred_id, referrer_id, at, source) VALUES (1, 2, '2026-01-03T00:00:00Z', 'test')", []).unwrap();
        assert_eq!(store.db().changed_customers().unwrap(), [1, 2]);
        store.take_changed_customers().unwrap();
        {
            let tx = store.conn.transaction().unwrap();
            tx.execute("UPDATE customers SET display_name = 'Benny' WHERE id = 2", []).unwrap();
            tx.rollback().unwrap();
        }
        assert!(store.take_changed_customers().unwrap().is_empty(), "a rolled-back write leaves no note");
        // Bulk work drops the temporary triggers (changing temp_store does): it says anyone changed.
        store.bulk(|s| s.write(|w| w.set_setting("x", "y"))).unwrap();
        assert_eq!(store.take_changed_customers().unwrap(), [EVERYONE]);
        store.conn.execute("UPDATE customers SET display_name = 'Benny' WHERE id = 2", []).unwrap();
        assert_eq!(store.take_changed_customers().unwrap(), [2], "noted again after bulk work");
    }
}
