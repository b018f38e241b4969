//! Moving a whole shop between its SQLite file and a PostgreSQL database, table by table: the two
//! schemas hold the same tables and columns (a test keeps them in step), so a move copies each
//! table's rows as they are, in one transaction on the receiving side, with the rows counted on
//! both sides before it commits. Derived data (the search index, the notes of changed customers)
//! is not moved: the receiving side makes its own.
//!
//! Into Postgres the rows go by `COPY … FROM STDIN` (text format), read from one snapshot of the
//! file, with the references between tables and the plain indexes made again after the rows are in
//! (one pass each, not one a row); back, they are read from one repeatable-read snapshot of the server and inserted with
//! prepared statements.

use std::collections::BTreeMap;
use std::io::Write as _;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::IsolationLevel;
use rusqlite::types::ValueRef;
use rusqlite::TransactionBehavior;

use super::postgres::{pg_error, PgStore};
use super::{changes, Store};
use crate::error::{Error, Result};

/// One table moved: its rows where they came from and where they went (equal, or nothing moved).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCount {
    pub table: String,
    pub from: u64,
    pub to: u64,
}

/// Tables made from others where the shop is used, never moved.
pub(super) fn derived(table: &str) -> bool {
    table.starts_with("customer_search") || table == "customer_changes" || table == "customer_finds" || table == "customer_starts" || table.starts_with("sqlite_")
}

/// After rows came in by the million (a move, a restore): the server counts them for its planner
/// and marks them seen by everyone (`VACUUM (ANALYZE)`), now, outside the transaction, instead of
/// its own vacuum doing it in the middle of the first people's work, with plans made meanwhile
/// for empty tables. A login that does not own a table is only warned by the server.
fn settle(pg: &mut PgStore, tables: &BTreeMap<String, Vec<(String, String)>>) -> Result<()> {
    let all: Vec<String> = tables.keys().map(|t| quoted(t)).collect();
    pg.client.batch_execute(&format!("VACUUM (ANALYZE) {}", all.join(", "))).map_err(failed("The shared shop could not count the rows it took"))
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_list(columns: &[(String, String)]) -> String {
    columns.iter().map(|(c, _)| quoted(c)).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// The file's tables that a move carries, and their columns, in the file's order.
    pub fn movable_tables(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let names: Vec<String> = self
            .lite()?
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut tables = BTreeMap::new();
        for name in names.into_iter().filter(|n| !derived(n)) {
            let columns: Vec<String> = self
                .lite()?
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
                .query_map([&name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tables.insert(name, columns);
        }
        Ok(tables)
    }

    /// Copies every table of this file into `pg`, whose shop must be empty, in one transaction
    /// there: nothing is written unless every table's rows arrived, counted on both sides.
    pub fn copy_to_postgres(&self, pg: &mut PgStore) -> Result<Vec<TableCount>> {
        let tables = same_tables(self, pg)?;
        let mut tx = pg.client.transaction().map_err(failed("Regulars could not start writing to the shared shop"))?;
        tx.batch_execute(&format!("SET CONSTRAINTS ALL DEFERRED; {}", super::changes::PG_BULK)).map_err(failed("Regulars could not defer the shared shop's checks"))?;
        refuse_unless_empty(&mut tx, &tables)?;
        let rebuild = set_aside_checks_and_indexes(&mut tx)?;
        let counts = self.copy_rows(&mut tx, &tables)?;
        for statement in rebuild {
            tx.batch_execute(&statement).map_err(failed(format!("The shared shop refused the moved rows ({statement})")))?;
        }
        tx.batch_execute(super::changes::PG_EVERYONE).map_err(failed("Regulars could not note the moved shop"))?;
        tx.commit().map_err(failed("The shared shop did not take the move"))?;
        settle(pg, &tables)?;
        Ok(counts)
    }

    /// Replaces everything the shared shop at `pg` holds with this file's shop (a backup being
    /// restored), in one transaction there that first locks every table against writers (readers
    /// go on): `before_replacing` runs once they are locked (the safety backup, on a connection of
    /// its own, sees exactly what is replaced), and nothing another computer writes can fall in
    /// between and be lost. The search words are made again at the next opening.
    pub(super) fn replace_on_server<T>(&self, pg: &mut PgStore, before_replacing: impl FnOnce() -> Result<T>) -> Result<T> {
        let tables = same_tables(self, pg)?;
        let mut tx = pg.client.transaction().map_err(failed("Regulars could not start writing to the shared shop"))?;
        let mut all: Vec<String> = tables.keys().map(|t| quoted(t)).collect();
        all.extend(["customer_finds".into(), "customer_starts".into()]);
        tx.batch_execute(&format!("SET CONSTRAINTS ALL DEFERRED; LOCK TABLE {} IN EXCLUSIVE MODE; {}", all.join(", "), super::changes::PG_BULK))
            .map_err(failed("Regulars could not hold the shared shop still for the restore"))?;
        let value = before_replacing()?;
        tx.batch_execute(&format!("TRUNCATE {}", all.join(", "))).map_err(failed("Regulars could not empty the shared shop for the restore"))?;
        self.copy_rows(&mut tx, &tables)?;
        // Whoever kept what they derived from the shop computes it afresh.
        tx.batch_execute(super::changes::PG_EVERYONE).map_err(failed("Regulars could not note the restore"))?;
        tx.commit().map_err(failed("The shared shop did not take the restore"))?;
        settle(pg, &tables)?;
        Ok(value)
    }

    /// Copies every table's rows from one snapshot of this file into the server's transaction
    /// `tx`, counting them on both sides; new rows there are numbered after them, and the search
    /// words are marked to be made where the shop is used.
    // One piece: per table, the rows streamed in COPY's text format, then counted and renumbered.
    fn copy_rows(&self, tx: &mut postgres::Transaction<'_>, tables: &BTreeMap<String, Vec<(String, String)>>) -> Result<Vec<TableCount>> {
        // One snapshot of the file for every table (WAL: writers elsewhere go on meanwhile).
        let snapshot = self.lite()?.unchecked_transaction()?;
        let mut counts = Vec::new();
        for (table, columns) in tables {
            let list = column_list(columns);
            let mut sink = tx
                .copy_in(&format!("COPY {} ({list}) FROM STDIN", quoted(table)))
                .map_err(failed(format!("Regulars could not start copying {table}")))?;
            let mut stmt = snapshot.prepare(&format!("SELECT {list} FROM {}", quoted(table)))?;
            let mut rows = stmt.query(())?;
            let mut line = Vec::with_capacity(1 << 16);
            let mut from = 0u64;
            while let Some(row) = rows.next()? {
                from += 1;
                for (i, (column, _)) in columns.iter().enumerate() {
                    if i > 0 {
                        line.push(b'\t');
                    }
                    encode(row.get_ref(i)?, &mut line).map_err(|why| Error::invalid_field(column, format!("{table}, row {from}, {column}: {why}")))?;
                }
                line.push(b'\n');
                if line.len() >= 1 << 16 {
                    sink.write_all(&line).map_err(|err| Error::io(format!("copying {table}"), err))?;
                    line.clear();
                }
            }
            sink.write_all(&line).map_err(|err| Error::io(format!("copying {table}"), err))?;
            let to = sink.finish().map_err(failed(format!("The shared shop refused the rows of {table}")))?;
            let counted: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {}", quoted(table)), &[])
                .map_err(failed(format!("Regulars could not count {table} in the shared shop")))?
                .get(0);
            if to != from || counted as u64 != from {
                return Err(Error::conflict(format!(
                    "{table}: {from} rows in the file but {counted} arrived in the shared shop; nothing was moved"
                )));
            }
            if columns.iter().any(|(c, _)| c == "id") {
                // New rows there are numbered after the moved ones.
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM {0}), 1), (SELECT count(*) > 0 FROM {0}))",
                        quoted(table)
                    ),
                    &[table],
                )
                .map_err(failed(format!("Regulars could not renumber {table}")))?;
            }
            counts.push(TableCount { table: table.clone(), from, to: counted as u64 });
        }
        // The search words are made where the shop is used, at its first opening there.
        tx.execute("INSERT INTO settings (key, value) VALUES ('search_words_stale', 'true') ON CONFLICT (key) DO NOTHING", &[])
            .map_err(failed("Regulars could not mark the shared shop's search words to be made"))?;
        drop(snapshot);
        Ok(counts)
    }

    /// Copies every table of `pg`'s shop into this file, which must hold no shop yet (a new
    /// file), in one transaction, from one snapshot of the server. The search words are left to be
    /// made (the setting `search_words_stale`), as after an upgrade.
    pub fn copy_from_postgres(&mut self, pg: &mut PgStore) -> Result<Vec<TableCount>> {
        let tables = same_tables(self, pg)?;
        let mut source = pg
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(failed("Regulars could not start reading the shared shop"))?;
        let tx = self.lite_mut()?.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        for table in tables.keys().filter(|t| *t != "settings") {
            let holds: bool = tx.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(table)), (), |r| r.get(0))?;
            if holds {
                return Err(Error::conflict(format!("This file already holds a shop (its {table} has rows): bring the shared shop back into a new file")));
            }
        }
        let noting = changes::stop_noting(&tx)?;
        let mut counts = Vec::new();
        for (table, columns) in &tables {
            let list = column_list(columns);
            let slots = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            // The settings a new file starts with give way to the shop's own.
            let verb = if table == "settings" { "INSERT OR REPLACE" } else { "INSERT" };
            let mut insert = tx.prepare(&format!("{verb} INTO {} ({list}) VALUES ({slots})", quoted(table)))?;
            let none: [&(dyn ToSql + Sync); 0] = [];
            let mut from = 0u64;
            let mut rows = source
                .query_raw(&format!("SELECT {list} FROM {}", quoted(table)), none)
                .map_err(failed(format!("Regulars could not read {table} from the shared shop")))?;
            while let Some(row) = rows.next().map_err(|err| pg_error(&format!("Regulars could not read {table} from the shared shop"), err))? {
                from += 1;
                let mut values = Vec::with_capacity(columns.len());
                for (i, (column, kind)) in columns.iter().enumerate() {
                    let value = match kind.as_str() {
                        "bigint" => row.try_get::<_, Option<i64>>(i).map(|v| v.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Integer)),
                        "double precision" => row.try_get::<_, Option<f64>>(i).map(|v| v.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Real)),
                        _ => row.try_get::<_, Option<String>>(i).map(|v| v.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)),
                    };
                    values.push(value.map_err(|err| pg_error(&format!("{table}, row {from}, {column}"), err))?);
                }
                insert.execute(rusqlite::params_from_iter(values))?;
            }
            drop(rows);
            drop(insert);
            let to: i64 = tx.query_row(&format!("SELECT count(*) FROM {}", quoted(table)), (), |r| r.get(0))?;
            let counted: i64 = source
                .query_one(&format!("SELECT count(*) FROM {}", quoted(table)), &[])
                .map_err(failed(format!("Regulars could not count {table} in the shared shop")))?
                .get(0);
            if counted as u64 != from || (table != "settings" && to as u64 != from) {
                return Err(Error::conflict(format!(
                    "{table}: {counted} rows in the shared shop but {to} arrived in the file; nothing was written"
                )));
            }
            counts.push(TableCount { table: table.clone(), from, to: to as u64 });
        }
        tx.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('search_words_stale', 'true')", ())?;
        changes::resume_noting(&tx, &noting, 0)?;
        tx.commit()?;
        source.commit().map_err(failed("Regulars could not finish reading the shared shop"))?;
        Ok(counts)
    }
}

/// Turns a Postgres error into the library's, after `what`.
fn failed(what: impl Into<String>) -> impl FnOnce(postgres::Error) -> Error {
    let what = what.into();
    move |err| pg_error(&what, err)
}

/// The tables both sides hold, each with the file's columns (in the file's order) and their types
/// on the server (`bigint`, `double precision`, `text`); an error naming the first difference (a
/// Regulars whose two schemas disagree must not move half a shop).
fn same_tables(store: &Store, pg: &mut PgStore) -> Result<BTreeMap<String, Vec<(String, String)>>> {
    let here = store.movable_tables()?;
    let there = pg.tables()?;
    let mut both = BTreeMap::new();
    for (table, columns) in here {
        let Some(theirs) = there.get(&table) else {
            return Err(Error::conflict(format!("The shared shop has no table {table}; nothing was moved")));
        };
        let mut typed = Vec::with_capacity(columns.len());
        for column in &columns {
            let Some((_, kind)) = theirs.iter().find(|(c, _)| c == column) else {
                return Err(Error::conflict(format!("The shared shop's {table} has no column {column}; nothing was moved")));
            };
            typed.push((column.clone(), kind.clone()));
        }
        if let Some((extra, _)) = theirs.iter().find(|(c, _)| !columns.contains(c)) {
            return Err(Error::conflict(format!("The file's {table} has no column {extra}; nothing was moved")));
        }
        both.insert(table, typed);
    }
    if let Some(extra) = there.keys().find(|t| !both.contains_key(*t)) {
        return Err(Error::conflict(format!("The file has no table {extra}; nothing was moved")));
    }
    Ok(both)
}

/// Drops the empty shop's references between tables and its plain indexes (not its primary
/// keys or unique ones, which hold the identity rule as the rows arrive) inside the move's
/// transaction, and returns the statements that make them again: each is then built or checked
/// in one pass over the moved rows instead of once a row. Nothing is lost if the move fails: the
/// drops roll back with it.
fn set_aside_checks_and_indexes(tx: &mut postgres::Transaction<'_>) -> Result<Vec<String>> {
    let e = failed("Regulars could not prepare the shared shop's tables for the move");
    let rows = tx
        .query(
            "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.conrelid::regclass::text, c.conname),
                    format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid))
             FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
             UNION ALL
             SELECT format('DROP INDEX %I', x.indexrelid::regclass::text), pg_get_indexdef(x.indexrelid)
             FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
             WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary AND NOT x.indisunique
               AND t.relname <> 'regulars_schema'",
            &[],
        )
        .map_err(e)?;
    let mut rebuild = Vec::with_capacity(rows.len());
    for row in &rows {
        let (drop, make): (String, String) = (row.get(0), row.get(1));
        tx.batch_execute(&drop).map_err(failed(format!("Regulars could not set aside a check for the move ({drop})")))?;
        rebuild.push(make);
    }
    tx.batch_execute("SET LOCAL maintenance_work_mem = '256MB'").map_err(failed("Regulars could not give the index builds memory"))?;
    Ok(rebuild)
}

fn refuse_unless_empty(tx: &mut postgres::Transaction<'_>, tables: &BTreeMap<String, Vec<(String, String)>>) -> Result<()> {
    for table in tables.keys() {
        let holds: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(table)), &[])
            .map_err(|e| pg_error(&format!("Regulars could not look into {table} in the shared shop"), e))?
            .get(0);
        if holds {
            return Err(Error::conflict(format!(
                "That PostgreSQL database already holds a shop (its {table} has rows): share into a new, empty database. Nothing was changed."
            )));
        }
    }
    Ok(())
}

/// One value in COPY's text format: `\N` for none, text with its backslashes, tabs and line
/// breaks escaped. What Postgres text cannot hold (a NUL, bytes that are not UTF-8, a blob) is
/// refused, never changed.
fn encode(value: ValueRef<'_>, out: &mut Vec<u8>) -> std::result::Result<(), &'static str> {
    match value {
        ValueRef::Null => out.extend_from_slice(b"\\N"),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Real(f) if f.is_nan() => out.extend_from_slice(b"NaN"),
        ValueRef::Real(f) if f.is_infinite() => out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" }),
        ValueRef::Real(f) => {
            let _ = write!(out, "{f:?}");
        }
        ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).map_err(|_| "the text is not UTF-8")?;
            for &b in bytes {
                match b {
                    0 => return Err("the text holds a NUL character, which PostgreSQL cannot store"),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
        ValueRef::Blob(_) => return Err("a blob where the shop keeps text"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: ValueRef<'_>) -> std::result::Result<String, &'static str> {
        let mut out = Vec::new();
        encode(value, &mut out).map(|_| String::from_utf8(out).unwrap())
    }

    #[test]
    fn values_are_written_in_copy_text_format_or_refused() {
        assert_eq!(text(ValueRef::Null).unwrap(), "\\N");
        assert_eq!(text(ValueRef::Integer(-42)).unwrap(), "-42");
        assert_eq!(text(ValueRef::Real(0.1)).unwrap(), "0.1");
        assert_eq!(text(ValueRef::Real(-0.0)).unwrap(), "-0.0");
        assert_eq!(text(ValueRef::Real(f64::INFINITY)).unwrap(), "Infinity");
        assert_eq!(text(ValueRef::Text("a\tb\nc\\d\re \\N".as_bytes())).unwrap(), "a\\tb\\nc\\\\d\\re \\\\N");
        assert_eq!(text(ValueRef::Text("Zoë 🌷".as_bytes())).unwrap(), "Zoë 🌷");
        assert!(text(ValueRef::Text(b"nul\0here")).unwrap_err().contains("NUL"));
        assert!(text(ValueRef::Text(b"\xff\xfe")).unwrap_err().contains("UTF-8"));
        assert!(text(ValueRef::Blob(b"x")).is_err());
    }
}
