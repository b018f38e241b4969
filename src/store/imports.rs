//! The SQL of imports: the history (`imports`), what each import changed (`import_changes`), and the
//! batched identity look-ups an import makes for thousands of rows at a time.

use std::collections::HashMap;

use super::sql::{params, List, Optional};

use super::{parse_time, time_text, Db, WriteDb};
use crate::error::Result;
use crate::model::{CustomerId, ImportCounts, ImportId, ImportKind, ImportSummary, Platform};

/// Who holds each of a batch of keys: the customer's id and whether they are in the trash.
pub type Holders = HashMap<String, (CustomerId, bool)>;

fn text_list<'a>(values: impl IntoIterator<Item = &'a str>) -> List {
    List::texts(values.into_iter().map(str::to_string))
}

/// What an import did to one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportChange {
    pub customer_id: CustomerId,
    /// `created` or `merged`.
    pub action: String,
    /// The customer's JSON before a merge.
    pub before: Option<String>,
}

impl Db<'_> {
    fn holders(&self, sql: &str, keys: &[&str], extra: Option<&str>) -> Result<Holders> {
        let mut out = Holders::new();
        if keys.is_empty() {
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(sql)?;
        let list = text_list(keys.iter().copied());
        let mut rows = match extra {
            Some(platform) => stmt.query(params![list, platform])?,
            None => stmt.query([list])?,
        };
        while let Some(row) = rows.next()? {
            out.insert(row.get(0)?, (row.get(1)?, row.get::<_, Option<String>>(2)?.is_some()));
        }
        Ok(out)
    }

    /// The holders of these normalised emails.
    pub fn email_holders(&self, emails: &[&str]) -> Result<Holders> {
        self.holders(
            "SELECT e.email, c.id, c.deleted_at FROM customer_emails e JOIN customers c ON c.id = e.customer_id
             WHERE e.email IN rarray(?1)",
            emails,
            None,
        )
    }

    /// The holders of these E.164 phones.
    pub fn phone_holders(&self, phones: &[&str]) -> Result<Holders> {
        self.holders(
            "SELECT p.e164, c.id, c.deleted_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id
             WHERE p.e164 IN rarray(?1)",
            phones,
            None,
        )
    }

    /// The holders of these handles on one platform.
    pub fn handle_holders(&self, platform: Platform, handles: &[&str]) -> Result<Holders> {
        self.holders(
            "SELECT h.handle, c.id, c.deleted_at FROM customer_handles h JOIN customers c ON c.id = h.customer_id
             WHERE h.handle IN rarray(?1) AND h.platform = ?2",
            handles,
            Some(platform.as_str()),
        )
    }

    /// Live customers whose folded display name is one of these: (folded name, id, display name).
    pub fn customers_sort_named(&self, folded: &[&str]) -> Result<Vec<(String, CustomerId, String)>> {
        if self.conn.is_pg() {
            // One statement: a server reads the names index once for each name of the list.
            let found = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT ON (sort_name) sort_name, id, display_name FROM customers
                     WHERE sort_name = ANY(?1::text[]) AND deleted_at IS NULL ORDER BY sort_name, id",
                )?
                .query_map([text_list(folded.iter().copied())], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            return Ok(found);
        }
        // One indexed look-up per name: `IN rarray(…)` would scan the whole table.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name FROM customers WHERE sort_name = ?1 AND deleted_at IS NULL ORDER BY id LIMIT 1",
        )?;
        let mut out = Vec::new();
        for name in folded {
            if let Some((id, display)) = stmt.query_row([name], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
                out.push((name.to_string(), id, display));
            }
        }
        Ok(out)
    }

    /// Every import, newest first.
    pub fn imports(&self) -> Result<Vec<ImportSummary>> {
        self.import_rows("SELECT id, file_name, file_hash, format, at, rows, created, merged, unchanged, rejected, problems, undone_at, kind, done_by
                          FROM imports ORDER BY id DESC", ())
    }

    pub fn import(&self, id: ImportId) -> Result<Option<ImportSummary>> {
        Ok(self
            .import_rows("SELECT id, file_name, file_hash, format, at, rows, created, merged, unchanged, rejected, problems, undone_at, kind, done_by
                          FROM imports WHERE id = ?1", [id])?
            .pop())
    }

    /// The newest import of a file with this hash that has not been undone, other than `except`.
    pub fn import_of_hash(&self, hash: &str, except: Option<ImportId>) -> Result<Option<ImportSummary>> {
        Ok(self
            .import_rows("SELECT id, file_name, file_hash, format, at, rows, created, merged, unchanged, rejected, problems, undone_at, kind, done_by
                          FROM imports WHERE file_hash = ?1 AND undone_at IS NULL AND id IS NOT ?2 ORDER BY id DESC LIMIT 1",
                         params![hash, except])?
            .pop())
    }

    fn import_rows(&self, sql: &str, p: impl super::sql::Args) -> Result<Vec<ImportSummary>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(p, |r| {
            let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
            Ok(ImportSummary {
                id: r.get(0)?,
                file_name: r.get(1)?,
                file_hash: r.get(2)?,
                format: r.get(3)?,
                at: parse_time(&r.get::<_, String>(4)?),
                counts: ImportCounts {
                    rows: n(5)?,
                    created: n(6)?,
                    merged: n(7)?,
                    unchanged: n(8)?,
                    rejected: n(9)?,
                    problems: n(10)?,
                },
                undone_at: r.get::<_, Option<String>>(11)?.map(|t| parse_time(&t)),
                kind: r.get::<_, String>(12)?.parse().unwrap_or(ImportKind::Customers),
                done_by: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The import's stored report (JSON).
    pub fn import_report(&self, id: ImportId) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT report FROM imports WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// What an import did, customer by customer.
    pub fn import_changes(&self, id: ImportId) -> Result<Vec<ImportChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id, action, before FROM import_changes WHERE import_id = ?1 ORDER BY customer_id",
        )?;
        let rows = stmt.query_map([id], |r| Ok(ImportChange { customer_id: r.get(0)?, action: r.get(1)?, before: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Later imports, not undone, that changed any customer this import changed: (import id, customer id).
    pub fn later_imports_touching(&self, id: ImportId) -> Result<Vec<(ImportId, CustomerId)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT later.import_id, later.customer_id FROM import_changes mine
             JOIN import_changes later ON later.customer_id = mine.customer_id AND later.import_id > mine.import_id
             JOIN imports i ON i.id = later.import_id AND i.undone_at IS NULL
             WHERE mine.import_id = ?1 ORDER BY later.import_id LIMIT 20",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl WriteDb<'_> {
    /// Starts a customer import's record; `finish_import` fills in its counts.
    pub fn begin_import(&self, file_name: &str, file_hash: &str, format: &str, at: chrono::DateTime<chrono::Utc>) -> Result<ImportId> {
        self.begin_import_of(ImportKind::Customers, file_name, file_hash, format, at)
    }

    /// Starts the record of an import of any kind.
    pub fn begin_import_of(&self, kind: ImportKind, file_name: &str, file_hash: &str, format: &str, at: chrono::DateTime<chrono::Utc>) -> Result<ImportId> {
        self.conn
            .prepare_cached(
                "INSERT INTO imports (file_name, file_hash, format, at, rows, created, merged, unchanged, rejected, problems, kind)
                 VALUES (?1, ?2, ?3, ?4, 0, 0, 0, 0, 0, 0, ?5)",
            )?
            .execute(params![file_name, file_hash, format, time_text(at), kind.as_str()])?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Marks touchpoint or purchase `id` as brought in by import `import`.
    pub fn mark_imported(&self, kind: ImportKind, id: i64, import: ImportId) -> Result<()> {
        let sql = match kind {
            ImportKind::Touchpoints => "UPDATE touchpoints SET import_id = ?2 WHERE id = ?1",
            ImportKind::Purchases => "UPDATE purchases SET import_id = ?2 WHERE id = ?1",
            ImportKind::Customers => return Ok(()),
        };
        self.conn.prepare_cached(sql)?.execute(params![id, import])?;
        Ok(())
    }

    /// Takes away the touchpoints or purchases an import brought in (refreshing the purchase
    /// totals of the customers concerned): how many.
    pub fn remove_imported(&self, kind: ImportKind, import: ImportId) -> Result<u64> {
        let removed = match kind {
            ImportKind::Touchpoints => {
                // What the import's own outbound messages had answered waits again.
                self.conn
                    .prepare_cached(
                        "UPDATE touchpoints SET status = 'needs_reply', reply_id = NULL, replied_at = NULL
                         WHERE reply_id IN (SELECT id FROM touchpoints WHERE import_id = ?1)",
                    )?
                    .execute([import])?;
                self.conn.prepare_cached("DELETE FROM touchpoints WHERE import_id = ?1")?.execute([import])?
            }
            ImportKind::Purchases => {
                let customers: Vec<CustomerId> = {
                    let mut stmt = self.conn.prepare_cached("SELECT DISTINCT customer_id FROM purchases WHERE import_id = ?1")?;
                    let rows = stmt.query_map([import], |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                let n = self.conn.prepare_cached("DELETE FROM purchases WHERE import_id = ?1")?.execute([import])?;
                for c in customers {
                    self.refresh_purchase_totals(c)?;
                }
                n
            }
            ImportKind::Customers => 0,
        };
        Ok(removed as u64)
    }

    /// Completes an import's record: the file's hash (known once it is read through), counts, report.
    pub fn finish_import(&self, id: ImportId, file_hash: &str, counts: &ImportCounts, report_json: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE imports SET rows = ?2, created = ?3, merged = ?4, unchanged = ?5, rejected = ?6, problems = ?7,
                 report = ?8, file_hash = ?9 WHERE id = ?1",
            )?
            .execute(params![
                id, counts.rows as i64, counts.created as i64, counts.merged as i64, counts.unchanged as i64,
                counts.rejected as i64, counts.problems as i64, report_json, file_hash
            ])?;
        Ok(())
    }

    /// Records that an import created (`before` None) or changed a customer. A customer changed
    /// twice by one import keeps the first `before`.
    /// Records that `row` of import `id` created (`before` none) or changed `customer`.
    pub fn record_import_change(&self, id: ImportId, customer: CustomerId, before: Option<&str>, row: u64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO import_changes (import_id, customer_id, action, before, row) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (import_id, customer_id) DO NOTHING",
            )?
            .execute(params![id, customer, if before.is_some() { "merged" } else { "created" }, before, row as i64])?;
        Ok(())
    }

    pub fn mark_import_undone(&self, id: ImportId, at: chrono::DateTime<chrono::Utc>) -> Result<()> {
        self.conn.prepare_cached("UPDATE imports SET undone_at = ?2 WHERE id = ?1")?.execute(params![id, time_text(at)])?;
        Ok(())
    }
}

impl Db<'_> {
    /// The shop's replies, made since, to touchpoints an import brought in (undoing it would leave
    /// them answering nothing): how many.
    pub fn replies_to_imported(&self, import: ImportId) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM touchpoints t JOIN touchpoints r ON r.id = t.reply_id
             WHERE t.import_id = ?1 AND (r.import_id IS NOT ?1)",
            [import],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// The rows of each import that created or changed `customer`: (import, row).
    pub fn import_rows_of(&self, customer: CustomerId) -> Result<Vec<(ImportId, u64)>> {
        let mut stmt = self.conn.prepare_cached("SELECT import_id, row FROM import_changes WHERE customer_id = ?1 AND row IS NOT NULL")?;
        let rows = stmt.query_map([customer], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
