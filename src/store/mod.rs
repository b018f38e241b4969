//! The SQLite file and every SQL statement Regulars runs. Nothing outside this module writes SQL.
//!
//! `Store` owns the connection. Reads go through `Store::db()`; writes only through `Store::write`,
//! which runs a closure inside one `BEGIN IMMEDIATE` transaction, so a multi-step change (a customer
//! and its emails, phones, search words and consent record) lands whole or not at all.
//! Migrations live in `migrations/*.sql`, are applied in order and recorded in `user_version`;
//! connection settings (pragmas) are applied on every open, outside the migrations.

pub mod backup;
mod bulk;
mod changes;
mod identity;
mod merges;
mod imports;
mod insight;
mod touchpoints;
mod followups;
pub mod keychain;
pub mod postgres;
pub mod share;
pub(crate) mod sql;
mod search;

pub use identity::Identity;
pub use search::{Field, Hit, Lookup};
pub use merges::{MergeRow, Moved};
pub use bulk::NewCustomer;
pub use imports::{Holders, ImportChange};
pub use insight::{BaseRow, Contact, Said, SuggestionRow, SuggestionStatus, TouchpointRollup};
pub use touchpoints::{AuthorKey, Waiting};
pub use followups::{NegativeRow, WaitRow, Whose};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior};

use sql::{params, Conn, List, Optional, PgConn};

use crate::error::{Error, Result, Storage};
use crate::model::{
    Address, Channel, Consent, ConsentChannel, ConsentEvent, ConsentStatus, Customer, CustomerId,
    CustomerSummary, Money, Page, Platform,
};

/// The schema, in order. Append only: a released migration is never edited (a test pins them).
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_customers.sql"),
    include_str!("migrations/0002_imports.sql"),
    include_str!("migrations/0003_touchpoints.sql"),
    include_str!("migrations/0004_followups.sql"),
    include_str!("migrations/0005_rollup_index.sql"),
    include_str!("migrations/0006_import_change_rows.sql"),
    include_str!("migrations/0007_search_spellings.sql"),
    include_str!("migrations/0008_import_kinds.sql"),
    include_str!("migrations/0009_conversations.sql"),
    include_str!("migrations/0010_merges.sql"),
    include_str!("migrations/0011_customer_changes.sql"),
    include_str!("migrations/0012_message_changes.sql"),
    include_str!("migrations/0013_signed_names.sql"),
    include_str!("migrations/0014_done_by.sql"),
];

/// How long a write waits for another connection's transaction before it gives up (announced
/// long work is waited for apart from this: see `Store::announce`).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The setting that says an erasure's purge has not finished (see `Store::purge`).
pub const PURGE_PENDING: &str = "erasure_purge_pending";

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The words a customer is found by, already folded, one string per indexed column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    pub name: String,
    pub handles: String,
    pub emails: String,
    pub phones: String,
    pub tags: String,
    pub city: String,
    pub company: String,
    pub notes: String,
    /// What a search result shows of the customer (kept beside the words on a server).
    pub shown: Shown,
}

/// What a search result shows of a customer, as written: the names it is ranked by, and the
/// summary's town, first email and phone (E.164) and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub city: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tags: Vec<String>,
}

impl Shown {
    /// Customer `id`'s list line, from what their search result showed.
    pub fn summary(self, id: CustomerId) -> CustomerSummary {
        CustomerSummary {
            id,
            display_name: self.display_name,
            email: self.email,
            phone_display: self.phone.as_deref().map(crate::normalize::phone_display),
            phone: self.phone,
            city: self.city,
            tags: self.tags,
        }
    }
}

/// Who holds an email, phone or handle, for identity checks and friendly conflict messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub id: CustomerId,
    pub display_name: String,
    pub deleted: bool,
}

/// Whether a customer id is in use, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Live,
    Deleted,
    Missing,
}

pub struct Store {
    conn: Backend,
    path: Option<PathBuf>,
    /// Told what this store waits for, when another process's long work holds the write lock.
    waiting: Option<Box<dyn Fn(&str) + Send>>,
    /// This store's number in the process, new again when its content is replaced wholesale (a
    /// restore): the first part of its change stamp.
    instance: u64,
    /// In bulk work (`Store::bulk`): its writes note that anyone may have changed, not each
    /// customer (see `changes.rs`).
    bulk: bool,
}

/// Where a shop is kept: its SQLite file, or a PostgreSQL server (a shop on more than one computer).
enum Backend {
    Lite(Connection),
    Pg(PgConn),
}

/// What identifies a store's content at a moment (`Store::stamp`): equal stamps, same content. Use
/// cases keep values derived from the whole shop under it (`cases::memo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The store (`Store::instance`).
    pub store: u64,
    /// Rows changed through this connection.
    pub changes: u64,
    /// Other connections' commits (`data_version`).
    pub others: i64,
}

/// A number for a store not yet numbered.
fn next_instance() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    /// The folder must exist: a mistyped path is an error, not a new folder (`create_folder_of`
    /// makes the default one).
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(url) = shared_address(path) {
            return Store::open_shared(url);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::not_found(format!(
                    "the folder {} does not exist; create it first, or choose another place for the database",
                    dir.display()
                )));
            }
        }
        let store = Connection::open(path)
            .map_err(Error::from)
            .and_then(|conn| Store::init(conn, Some(path.to_path_buf())))
            .map_err(|e| plain_open_error(e, path))?;
        // An erasure whose purge was cut short is finished now (without waiting for readers).
        if store.purge_pending()? {
            store.purge(std::time::Duration::ZERO)?;
        }
        Ok(store)
    }

    /// Creates the folder that will hold the database at `path` (the default data folder on a
    /// first run).
    pub fn create_folder_of(path: &Path) -> Result<()> {
        match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create the folder {}", dir.display()), e)),
            None => Ok(()),
        }
    }

    /// Opens a database file only to read it (a backup being described), without migrating it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if let Some(url) = shared_address(path) {
            let store = Store::open_shared(url)?;
            // The server refuses any write on this connection.
            store.db().conn.execute_batch("SET default_transaction_read_only = on")?;
            return Ok(store);
        }
        // No mutex: a connection is used by one thread at a time, and SQLite's own lock around
        // every column read is a measurable cost on whole-shop reads.
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        rusqlite::vtab::array::load_module(&conn)?;
        Ok(Store::with_connection(conn, Some(path.to_path_buf())))
    }

    /// Opens the shared shop at a `postgres://` address, its schema brought up to date.
    pub fn open_shared(url: &str) -> Result<Store> {
        Ok(postgres::PgStore::connect(url)?.into_store())
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    fn with_connection(conn: Connection, path: Option<PathBuf>) -> Store {
        Store { conn: Backend::Lite(conn), path, waiting: None, instance: next_instance(), bulk: false }
    }

    /// A store on a PostgreSQL server (its schema already brought up to date).
    pub(crate) fn on_server(conn: PgConn) -> Store {
        Store { conn: Backend::Pg(conn), path: None, waiting: None, instance: next_instance(), bulk: false }
    }

    /// Where this shop's backups are kept beside: its file, or for a shared shop a name of its own
    /// in the data folder (`shared/SERVER-PORT-DATABASE.db`, never itself a database).
    pub fn backup_home(&self) -> Option<PathBuf> {
        match &self.conn {
            Backend::Lite(_) => self.path.clone(),
            Backend::Pg(pg) => {
                let shown = pg.shop.borrow().shown().to_string();
                let place = shown.split_once('@').map_or(shown.as_str(), |(_, rest)| rest);
                let name: String = place.chars().map(|c| if c.is_alphanumeric() || c == '.' { c } else { '-' }).collect();
                Some(data_folder().join("shared").join(format!("{name}.db")))
            }
        }
    }

    /// Whether this shop is kept on a PostgreSQL server.
    pub fn is_shared(&self) -> bool {
        matches!(self.conn, Backend::Pg(_))
    }

    /// The SQLite connection, for what only a shop's file has (its pragmas, the backup API); a
    /// shop on a server is told so plainly.
    fn lite(&self) -> Result<&Connection> {
        match &self.conn {
            Backend::Lite(c) => Ok(c),
            Backend::Pg(_) => Err(only_in_a_file()),
        }
    }

    fn lite_mut(&mut self) -> Result<&mut Connection> {
        match &mut self.conn {
            Backend::Lite(c) => Ok(c),
            Backend::Pg(_) => Err(only_in_a_file()),
        }
    }

    fn init(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // A database from a newer Regulars is refused before anything touches it (not even the
        // journal mode): it stays byte for byte as it was.
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(newer_schema(version));
        }
        // WAL lets the app read while the CLI writes. synchronous=FULL makes every committed
        // transaction survive a power cut, not only an application crash: a shop owner's saved
        // edit must not vanish, and the cost (one fsync per transaction) is invisible at human pace
        // and small for bulk work, which runs as one transaction.
        // Larger pages for new files (a no-op on existing ones): fewer, cheaper B-tree splits in bulk work.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted content is overwritten, not just unlinked: an erased customer's details must not
        // linger in free pages of the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // A modest page cache for everyday work (the OS caches the file too); bulk work raises it
        // for its duration (`Store::bulk`).
        conn.pragma_update(None, "cache_size", -EVERYDAY_CACHE_KB)?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.busy_timeout(BUSY_TIMEOUT)?;
        rusqlite::vtab::array::load_module(&conn)?;
        let mut store = Store::with_connection(conn, path);
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i64 = self.lite()?.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current > SCHEMA_VERSION {
            return Err(newer_schema(current));
        }
        if current > 0 && current < SCHEMA_VERSION {
            if let Some(path) = self.path.clone() {
                crate::backup::before_migration(self, &path, current)?;
            }
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self.lite_mut()?.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        if current == 0 {
            // Migration 0007 marks an older shop's search words to be made again; a new database
            // has none made the old way.
            self.lite()?.execute("DELETE FROM settings WHERE key = 'search_words_stale'", ())?;
        }
        Ok(())
    }

    /// A private copy of this database in memory: a dry run of work made of many small
    /// transactions runs against it and is dropped.
    pub fn copy_in_memory(&self) -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(self.lite()?, &mut conn)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        Store::init(conn, None)
    }

    /// Copies the whole database, consistently, into a new file at `to` with SQLite's online backup
    /// (never a file copy of a live database), then checks the copy.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        if let Backend::Pg(pg) = &self.conn {
            // A shared shop's backup is a file of it, from one snapshot of the server.
            let mut file = Store::open(to)?;
            file.bulk(|file| file.copy_from_postgres(&mut pg.shop.borrow_mut()))?;
            file.lite()?.pragma_update(None, "journal_mode", "DELETE")?;
            let problems = file.quick_check()?;
            drop(file);
            if !problems.is_empty() {
                return Err(Error::conflict(format!("the backup {} did not check out: {}", to.display(), problems.join("; "))));
            }
            return Ok(());
        }
        let mut dest = Connection::open(to)?;
        rusqlite::backup::Backup::new(self.lite()?, &mut dest)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        // A backup is a plain file: in rollback mode, so reading it never leaves a -wal or -shm.
        dest.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = dest.pragma_query_value(None, "quick_check", |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::conflict(format!("the backup {} did not check out: {check}", to.display())));
        }
        Ok(())
    }

    /// Opens a backup file to read it, without leaving anything beside it (no `-wal` or `-shm`)
    /// and without taking a lock: backups never change once made.
    pub fn open_backup(path: &Path) -> Result<Store> {
        let uri = immutable_uri(path);
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(uri, flags)?;
        rusqlite::vtab::array::load_module(&conn)?;
        Ok(Store::with_connection(conn, Some(path.to_path_buf())))
    }

    /// Replaces this database's content with the backup at `from`, holding the write lock from
    /// before `before_replacing` runs until the content is replaced: `before_replacing` (the
    /// safety backup, on a connection of its own) sees exactly what is replaced, and nothing that
    /// another process commits can fall in between and be lost. The backup is checked first, and
    /// one from an older Regulars is brought up to date in a copy before anything is locked.
    pub fn replace_with<T>(&mut self, from: &Path, before_replacing: impl FnOnce() -> Result<T>) -> Result<T> {
        if let Backend::Pg(pg) = &self.conn {
            let (source, _upgraded) = Store::current_backup(from, from.parent().unwrap_or(Path::new(".")))?;
            let value = source.replace_on_server(&mut pg.shop.borrow_mut(), before_replacing)?;
            self.instance = next_instance();
            return Ok(value);
        }
        // An older backup is brought up to date in a private copy, never in place.
        let dir = self.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        let (src, upgraded) = Store::current_backup(from, dir)?;
        drop(src);
        let source = upgraded.as_ref().map_or(from, |t| t.path());
        self.lite()?.execute("ATTACH DATABASE ?1 AS restore_src", [immutable_uri(source)])?;
        let outcome = self.replace_attached(before_replacing);
        let detached = self.lite()?.execute_batch("DETACH DATABASE restore_src");
        self.instance = next_instance();
        let value = outcome?;
        detached?;
        Ok(value)
    }

    fn replace_attached<T>(&mut self, before_replacing: impl FnOnce() -> Result<T>) -> Result<T> {
        let tx = self.begin_write()?;
        let value = before_replacing()?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let mark = changes::mark(Conn::Lite(&tx))?;
        let triggers = changes::stop_noting(&tx)?;
        let tables: Vec<String> = tx
            .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND (name NOT LIKE 'sqlite%' OR name = 'sqlite_sequence') ORDER BY name")?
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in &tables {
            let quoted = format!("\"{}\"", table.replace('"', "\"\""));
            let exists: bool = tx.query_row("SELECT count(*) FROM restore_src.sqlite_schema WHERE name = ?1", [table], |r| r.get(0))?;
            tx.execute(&format!("DELETE FROM main.{quoted}"), ())?;
            if exists {
                tx.execute(&format!("INSERT INTO main.{quoted} SELECT * FROM restore_src.{quoted}"), ())?;
            }
        }
        // Everything changed, noted after every note a reader of the replaced content has seen.
        changes::resume_noting(&tx, &triggers, mark)?;
        tx.commit()?;
        Ok(value)
    }

    /// The backup at `from`, checked, opened to read as this Regulars' schema has it: an older one
    /// brought up to date in a private copy in `dir` (removed when the returned file is dropped).
    fn current_backup(from: &Path, dir: &Path) -> Result<(Store, Option<TempFile>)> {
        let src = Store::open_sound_backup(from)?;
        let version: i64 = src.lite()?.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::conflict(format!("the backup {} was made by a newer Regulars; nothing was replaced", from.display())));
        }
        if version == SCHEMA_VERSION {
            return Ok((src, None));
        }
        let tmp = temp_file_in(dir, "restoring");
        {
            let mut conn = Connection::open(tmp.path())?;
            rusqlite::backup::Backup::new(src.lite()?, &mut conn)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
            Store::init(conn, None)?;
        }
        Ok((Store::open_backup(tmp.path())?, Some(tmp)))
    }

    /// Where another connection to this shop opens: its file, or the server's address as given
    /// (which may hold a password: never to be shown).
    pub fn place(&self) -> Option<PathBuf> {
        match &self.conn {
            Backend::Lite(_) => self.path.clone(),
            Backend::Pg(pg) => Some(PathBuf::from(pg.shop.borrow().address())),
        }
    }

    /// Replaces this database's content with the backup at `from` (checked first), in one step,
    /// then brings its schema up to date. Only for a fresh file (recovering a damaged one): a
    /// database in use is replaced with `replace_with`, under the write lock.
    pub fn restore_from(&mut self, from: &Path) -> Result<()> {
        let src = Store::open_sound_backup(from)?;
        rusqlite::backup::Backup::new(src.lite()?, self.lite_mut()?)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        self.instance = next_instance();
        self.migrate()
    }

    /// A backup opened to read (`open_backup`), refused when SQLite's check finds it damaged.
    fn open_sound_backup(from: &Path) -> Result<Store> {
        let src = Store::open_backup(from)?;
        let problems = src.quick_check()?;
        if !problems.is_empty() {
            return Err(Error::conflict(format!("the backup {} is damaged ({}); nothing was replaced", from.display(), problems.join("; "))));
        }
        Ok(src)
    }

    /// SQLite's quick integrity check: empty when the file is sound, else what is wrong.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        if self.is_shared() {
            // The server keeps its own pages; what the shop can check there is its indexes.
            return self.db().integrity_problems();
        }
        let mut stmt = self.lite()?.prepare("PRAGMA quick_check")?;
        let rows: Vec<String> = stmt.query_map((), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// After an erasure: rewrites the search index without the erased words, and moves everything
    /// from the write-ahead log into the main file and empties the log. Another connection reading
    /// (the app's analysis, another process) stops the log from being emptied: it is tried again
    /// for up to `patience`, then left for later. Returns whether everything left the log.
    /// `PURGE_PENDING` is set by the erasure's own transaction and cleared here once done, so a
    /// purge that was cut short (a kill, a reader that never let go) is finished at the next open.
    pub fn purge(&self, patience: std::time::Duration) -> Result<bool> {
        if let Backend::Pg(pg) = &self.conn {
            // The server keeps deleted rows until a vacuum: the erased customer's rows are
            // reclaimed now, and the purge is marked done in the same way.
            pg.client().batch_execute("VACUUM").map_err(sql::SqlError::from)?;
            self.db().conn.execute("DELETE FROM settings WHERE key = ?1", [PURGE_PENDING])?;
            return Ok(true);
        }
        self.lite()?.execute("INSERT INTO customer_search (customer_search) VALUES ('optimize')", ())?;
        let start = std::time::Instant::now();
        loop {
            if self.checkpoint_truncate()? {
                break;
            }
            if start.elapsed() >= patience {
                return Ok(false);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if self.db().setting(PURGE_PENDING)?.is_some() {
            self.lite()?.execute("DELETE FROM settings WHERE key = ?1", [PURGE_PENDING])?;
            // The log now holds only the settings page; emptied too when nobody reads.
            self.checkpoint_truncate()?;
        }
        Ok(true)
    }

    /// One `wal_checkpoint(TRUNCATE)`: whether it copied every frame and emptied the log.
    fn checkpoint_truncate(&self) -> Result<bool> {
        let (busy, log, done): (i64, i64, i64) = self.lite()?.query_row("PRAGMA wal_checkpoint(TRUNCATE)", (), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(busy == 0 && log <= 0 && done <= 0)
    }

    /// Whether an erasure's purge is still to finish (see `purge`).
    pub fn purge_pending(&self) -> Result<bool> {
        Ok(self.db().setting(PURGE_PENDING)?.is_some())
    }

    /// What identifies the database's content now: the store, rows changed through this
    /// connection, and other connections' commits (`data_version`).
    pub fn stamp(&self) -> Result<Stamp> {
        if self.is_shared() {
            // Another computer's change is not seen from here yet: a shared shop's stamp is never
            // the same twice, so what is derived from it is computed afresh.
            return Ok(Stamp { store: self.instance, changes: next_instance(), others: 0 });
        }
        let others = self.lite()?.pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok(Stamp { store: self.instance, changes: self.lite()?.total_changes(), others })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn db(&self) -> Db<'_> {
        Db {
            conn: match &self.conn {
                Backend::Lite(c) => Conn::Lite(c),
                Backend::Pg(p) => Conn::Pg(p),
            },
        }
    }

    /// Says what to do while waiting for another process's long work (an import, an undo, a
    /// restore) to let go of the database: the CLI prints it.
    pub fn on_wait(&mut self, notice: impl Fn(&str) + Send + 'static) {
        self.waiting = Some(Box::new(notice));
    }

    /// The file beside the database that names the long work holding its write lock.
    fn busy_marker(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| PathBuf::from(format!("{}.busy", p.display())))
    }

    /// Runs long work (`what`: "the import of customers.csv") so that other processes that want
    /// to write wait for it, saying what they wait for, instead of failing after a few seconds.
    /// On a server, the work is named in the session's `application_name` ("Regulars: the import
    /// of customers.csv"), which every login may read beside the lock it holds; a server forgets
    /// it with the session, as a killed process's marker is ignored.
    pub fn announce<T>(&mut self, what: &str, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if let Backend::Pg(pg) = &self.conn {
            let conn = Conn::Pg(pg);
            let before: String = conn.query_row("SELECT current_setting('application_name')", (), |r| r.get(0))?;
            let named = format!("{ANNOUNCED}{what}");
            conn.query_row("SELECT set_config('application_name', ?1, false)", [named.as_str()], |r| r.get::<_, String>(0))?;
            let value = f(self);
            if let Backend::Pg(pg) = &self.conn {
                let _ = Conn::Pg(pg).query_row("SELECT set_config('application_name', ?1, false)", [before.as_str()], |r| r.get::<_, String>(0));
            }
            return value;
        }
        let marker = self.busy_marker();
        if let Some(m) = &marker {
            let _ = std::fs::write(m, what);
        }
        let value = f(self);
        if let Some(m) = &marker {
            let _ = std::fs::remove_file(m);
        }
        value
    }

    /// Runs `f` on this connection without waiting for another's lock: what is locked fails at once.
    fn at_once<T>(&self, f: impl FnOnce(&Connection) -> T) -> Result<T> {
        self.lite()?.busy_timeout(std::time::Duration::ZERO)?;
        let value = f(self.lite()?);
        self.lite()?.busy_timeout(BUSY_TIMEOUT)?;
        Ok(value)
    }

    /// Waits while another process's announced long work holds the write lock (at most an hour),
    /// telling `on_wait` once what it waits for. A marker left by a killed process is ignored: the
    /// lock it names is free.
    fn wait_for_long_work(&self) -> Result<()> {
        let Some(marker) = self.busy_marker() else { return Ok(()) };
        let start = std::time::Instant::now();
        let mut told = false;
        while let Ok(what) = std::fs::read_to_string(&marker) {
            let free = self.at_once(|conn| conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK").is_ok())?;
            if free || start.elapsed() > std::time::Duration::from_secs(3_600) {
                break;
            }
            if !told {
                if let Some(notice) = &self.waiting {
                    notice(what.trim());
                }
                told = true;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        Ok(())
    }

    /// Opens a write transaction, after any announced long work: a writer that still finds the
    /// database locked after five seconds gets a sentence, not SQLite's "database is locked".
    fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        self.wait_for_long_work()?;
        self.lite_mut()?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::conflict(
                "the database is busy: another program (the app, or another regulars command) is writing to it; try again in a moment",
            ),
            _ => e.into(),
        })
    }

    /// Runs `f` in one transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&WriteDb<'_>) -> Result<T>) -> Result<T> {
        if let Backend::Pg(pg) = &self.conn {
            return pg_transaction(pg, true, self.bulk, self.waiting.as_deref(), f);
        }
        let bulk = self.bulk;
        let tx = self.begin_write()?;
        let unnoted = if bulk { Some(changes::stop_noting(&tx)?) } else { None };
        let value = f(&WriteDb { db: Db { conn: Conn::Lite(&tx) } })?;
        if let Some(triggers) = unnoted {
            changes::resume_noting(&tx, &triggers, 0)?;
        }
        tx.commit()?;
        Ok(value)
    }

    /// Runs bulk work (an import, generated activity) with a large page cache, which it needs
    /// because it touches every index, and gives the memory back afterwards.
    pub fn bulk<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if self.is_shared() {
            let was = std::mem::replace(&mut self.bulk, true);
            let value = f(self);
            self.bulk = was;
            self.trim_changes();
            return value;
        }
        self.lite()?.pragma_update(None, "cache_size", -BULK_CACHE_KB)?;
        // Bulk work runs many small statements that each keep a statement journal (a delete that
        // cascades to a customer's emails, phones and tags): in memory, not a temporary file
        // written and read back for every one (40% of a 150,000-customer undo).
        self.lite()?.pragma_update(None, "temp_store", "MEMORY")?;
        // Rows are not noted one by one: each transaction notes that anyone may have changed.
        let was = std::mem::replace(&mut self.bulk, true);
        let value = f(self);
        self.bulk = was;
        self.lite()?.pragma_update(None, "temp_store", "DEFAULT")?;
        self.trim_changes();
        self.lite()?.pragma_update(None, "cache_size", -EVERYDAY_CACHE_KB)?;
        self.lite()?.cache_flush().ok();
        value
    }

    /// Lets go of the memory of the page cache (up to `EVERYDAY_CACHE_KB`; it fills again from the
    /// operating system's file cache as pages are read): after heavy work, so that a long-running
    /// process does not go on holding it. Best effort: nothing is lost if it does not.
    pub fn release_memory(&self) {
        if let Backend::Lite(c) = &self.conn {
            let _ = c.execute_batch("PRAGMA shrink_memory");
        }
    }

    /// A way to open another connection to this database, only for reading, on another thread
    /// (work that reads while this connection computes); none for a database in memory.
    pub fn parallel_reader(&self) -> Option<ParallelReader> {
        self.path.clone().map(ParallelReader)
    }

    /// Runs `f` exactly as `write` would, then rolls everything back: a rehearsal whose answer is
    /// what the change would do (an import's preview), with nothing stored.
    pub fn rehearse<T>(&mut self, f: impl FnOnce(&WriteDb<'_>) -> Result<T>) -> Result<T> {
        if let Backend::Pg(pg) = &self.conn {
            return pg_transaction(pg, false, self.bulk, self.waiting.as_deref(), f);
        }
        let bulk = self.bulk;
        let tx = self.begin_write()?;
        if bulk {
            // Rolled back with the rest: nothing to make again.
            changes::stop_noting(&tx)?;
        }
        let value = f(&WriteDb { db: Db { conn: Conn::Lite(&tx) } });
        tx.rollback()?;
        value
    }
}

/// How a session doing announced long work names itself on a server (`Store::announce`).
const ANNOUNCED: &str = "Regulars: ";

/// Runs `f` in one transaction on the server: committed when `commit` and `f` succeeds, else
/// rolled back. In `bulk` work nothing is noted row by row; the commit notes that anyone may
/// have changed (see `changes.rs`). A transaction that commits takes the shop's turn to write
/// first; when another session's announced long work holds it, `waiting` hears once what it waits
/// for. A rehearsal (`commit` false: an import's preview) stores nothing, so it takes no turn and
/// others write while it runs, as a preview of a small shop in a file.
fn pg_transaction<T>(
    pg: &PgConn,
    commit: bool,
    bulk: bool,
    waiting: Option<&(dyn Fn(&str) + Send)>,
    f: impl FnOnce(&WriteDb<'_>) -> Result<T>,
) -> Result<T> {
    let conn = Conn::Pg(pg);
    // The shop's writes take turns, as in the file (one writer at a time): each reads what the
    // one before it committed, so a read-modify-write (an edit checked against what is stored,
    // an import's one-email-one-customer) holds with any number of people at once. Readers
    // never wait.
    let unnoted = if bulk { changes::PG_BULK } else { "" };
    let lock = postgres::WRITE_LOCK;
    if !commit {
        conn.execute_batch(&format!("BEGIN; {unnoted}"))?;
        pg.in_transaction.set(true);
    } else if let Some(notice) = waiting {
        conn.execute_batch(&format!("BEGIN; {unnoted}"))?;
        pg.in_transaction.set(true);
        let turn = conn.query_row("SELECT pg_try_advisory_xact_lock(?1)", [lock], |r| r.get::<_, bool>(0));
        let told = turn.and_then(|turn| if turn { Ok(None) } else { announced_holder(&conn) });
        let locked = match told {
            Ok(told) => {
                if let Some(what) = told {
                    notice(&what);
                }
                conn.execute_batch(&format!("SELECT pg_advisory_xact_lock({lock})"))
            }
            Err(e) => Err(e),
        };
        if let Err(e) = locked {
            let _ = conn.execute_batch("ROLLBACK");
            pg.in_transaction.set(false);
            return Err(e.into());
        }
    } else {
        conn.execute_batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({lock}); {unnoted}"))?;
        pg.in_transaction.set(true);
    }
    let value = f(&WriteDb { db: Db { conn } });
    // Every computer watching the shop hears of the change when (and only if) it commits.
    let everyone = if bulk { changes::PG_EVERYONE } else { "" };
    let notify = format!("{everyone} NOTIFY regulars_changed, '{}'; COMMIT", postgres::this_process());
    let end = if commit && value.is_ok() { notify.as_str() } else { "ROLLBACK" };
    let ended = conn.execute_batch(end);
    pg.in_transaction.set(false);
    let value = value?;
    ended?;
    Ok(value)
}

/// What the session holding the shop's turn to write announced it is doing, if it did.
fn announced_holder(conn: &Conn<'_>) -> sql::SqlResult<Option<String>> {
    let lock = postgres::WRITE_LOCK;
    let sql = format!(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {} AND l.objid = {} AND l.objsubid = 1
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        lock >> 32,
        lock & 0xffff_ffff
    );
    let holders: Vec<String> = conn.prepare(&sql)?.query_map((), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(holders.into_iter().find_map(|name| name.strip_prefix(ANNOUNCED).map(str::to_string)))
}

/// What a shop on a server cannot do yet, said plainly.
pub(crate) fn only_in_a_file() -> Error {
    Error::conflict("this is not available yet for a shop shared on a PostgreSQL server; it works on a shop kept in a file")
}

/// Opens read-only connections to a store's file on other threads (see `Store::parallel_reader`).
#[derive(Debug, Clone)]
pub struct ParallelReader(PathBuf);

impl ParallelReader {
    pub fn open(&self) -> Result<Store> {
        Store::open_read_only(&self.0)
    }
}

/// Anything the database can be read through: the store itself, a read view, or a transaction in
/// progress (which sees its own writes). Use cases that only read take `&impl Reads`, so that a
/// caller holding a transaction hands them that, and one unit of work stays one.
pub trait Reads {
    fn reader(&self) -> Db<'_>;
}

impl Reads for Store {
    fn reader(&self) -> Db<'_> {
        self.db()
    }
}

impl Reads for Db<'_> {
    fn reader(&self) -> Db<'_> {
        *self
    }
}

impl Reads for WriteDb<'_> {
    fn reader(&self) -> Db<'_> {
        self.db
    }
}

/// Read access to the database.
#[derive(Clone, Copy)]
pub struct Db<'a> {
    conn: Conn<'a>,
}

impl Db<'_> {
    /// The shop is on a shared shop's server (not in a file).
    pub fn is_shared(&self) -> bool {
        self.conn.is_pg()
    }

    /// Who works on this connection, for the history: their own login on a shared shop's server;
    /// in a file, nobody in particular (empty: one computer, one shop).
    pub fn person(&self) -> Result<String> {
        if !self.conn.is_pg() {
            return Ok(String::new());
        }
        Ok(self.conn.query_row("SELECT current_user::text", (), |r| r.get(0))?)
    }

    /// No transaction is open on this connection: another connection reads the same data.
    pub fn autocommit(&self) -> bool {
        self.conn.is_autocommit()
    }
}

/// Read and write access, inside a transaction (see `Store::write`).
pub struct WriteDb<'a> {
    db: Db<'a>,
}

impl WriteDb<'_> {
    /// Runs `f` inside the transaction so that, if it fails, what it wrote is undone and the rest
    /// of the transaction stands (one bad row of an import is left out, not half-written).
    pub fn attempt<T>(&self, f: impl FnOnce(&WriteDb<'_>) -> Result<T>) -> Result<T> {
        self.db.conn.execute_batch("SAVEPOINT attempt")?;
        match f(self) {
            Ok(value) => {
                self.db.conn.execute_batch("RELEASE attempt")?;
                Ok(value)
            }
            Err(e) => {
                self.db.conn.execute_batch("ROLLBACK TO attempt; RELEASE attempt")?;
                Err(e)
            }
        }
    }
}

impl<'a> std::ops::Deref for WriteDb<'a> {
    type Target = Db<'a>;

    fn deref(&self) -> &Db<'a> {
        &self.db
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as C;
        let kind = match err.sqlite_error_code() {
            Some(C::DatabaseCorrupt | C::NotADatabase) => Storage::Damaged,
            Some(C::ReadOnly) => Storage::ReadOnly,
            Some(C::CannotOpen) => Storage::CannotOpen,
            Some(C::DatabaseBusy | C::DatabaseLocked) => Storage::Busy,
            _ => Storage::Other,
        };
        Error::storage(kind, format!("database error: {err}"))
    }
}

/// SQLite's words for a file that cannot be written, in plain ones.
fn plain_open_error(e: Error, path: &Path) -> Error {
    let code = match &e.kind {
        crate::error::ErrorKind::Storage(kind) => Some(*kind),
        _ => None,
    };
    match code {
        Some(Storage::ReadOnly) => Error::conflict(format!(
            "the database {} cannot be written: the file or its folder is read-only. Give yourself permission to change it, or copy it somewhere you can write",
            path.display()
        )),
        Some(Storage::CannotOpen) => Error::conflict(format!("the database {} cannot be opened: check that you may read and write it and its folder", path.display())),
        _ => e,
    }
}

fn newer_schema(version: i64) -> Error {
    Error::conflict(format!(
        "this database was written by a newer Regulars (schema {version}, this one knows {SCHEMA_VERSION}); update Regulars to open it"
    ))
}

/// The folder of Regulars' own data on this computer (`~/.local/share/Regulars` on Linux,
/// `~/Library/Application Support/Regulars` on macOS, `%APPDATA%\Regulars` on Windows).
pub fn data_folder() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("Regulars")
}

/// The address when `path` names a shared shop (`postgres://…`) rather than a file: every way of
/// opening a shop by its location (the app's, the command line's) opens either.
pub fn shared_address(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| postgres::is_url(p))
}

/// The `file:` URI that opens `path` as immutable: no lock taken, no side file made.
fn immutable_uri(path: &Path) -> String {
    format!("file:{}?immutable=1", uri_path(path))
}

/// A path as the `file:` URI SQLite reads (`?` `#` `%` escaped).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// A temporary file beside the database, removed when dropped.
pub(crate) struct TempFile(PathBuf);

impl TempFile {
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        remove_database_files(&self.0);
    }
}

/// Removes a database file and the journal files SQLite keeps beside it (what is not there is
/// no error): for files this process made and gave up on.
pub(crate) fn remove_database_files(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn temp_file_in(dir: &Path, what: &str) -> TempFile {
    let name = format!(".regulars-{what}-{}-{}.db", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    TempFile(dir.join(name))
}

fn id_list(ids: &[CustomerId]) -> List {
    List::ints(ids.iter().copied())
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn parse_time(text: &str) -> DateTime<Utc> {
    crate::model::parse_utc(text).unwrap_or_default()
}

fn parse_date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

const TAG_SEPARATOR: char = '\u{1f}';

/// Page cache sizes, in KiB.
const EVERYDAY_CACHE_KB: i64 = 8 * 1024;
const BULK_CACHE_KB: i64 = 64 * 1024;

/// Runs `f` with the values of a customer's own row, numbered as the INSERT and UPDATE statements
/// expect: ?1 id, ?2..?22 the fields, and ?23 the creation time (inserts only). The values are
/// borrowed, not copied: this runs once per row of a 100,000-row import.
fn with_customer_params<T>(
    c: &Customer,
    sort_name: &str,
    with_created: bool,
    f: impl FnOnce(&[&dyn sql::Arg]) -> sql::SqlResult<T>,
) -> sql::SqlResult<T> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let (birthday, since, last_visit) = (date(c.birthday), date(c.customer_since), date(c.last_visit));
    let custom = if c.custom.is_empty() { "{}".to_string() } else { serde_json::to_string(&c.custom).unwrap_or_else(|_| "{}".into()) };
    let (updated, created) = (time_text(c.updated_at), time_text(c.created_at));
    let spend = c.lifetime_spend.map(|m| m.cents());
    let orders = c.orders_count.map(i64::from);
    let params: [&dyn sql::Arg; 23] = [
        &c.id, &c.first_name, &c.last_name, &c.display_name, &sort_name, &c.company, &c.address.street,
        &c.address.city, &c.address.region, &c.address.postal_code, &c.address.country, &birthday, &since,
        &c.notes, &c.consent.email.as_str(), &c.consent.sms.as_str(), &c.preferred_channel.map(Channel::as_str),
        &custom, &updated, &spend, &orders, &last_visit, &created,
    ];
    f(if with_created { &params } else { &params[..22] })
}

impl Db<'_> {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        let value = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?;
        Ok(value)
    }

    /// The database's size in bytes (its pages, as SQLite counts them).
    pub fn size_bytes(&self) -> Result<u64> {
        if self.conn.is_pg() {
            let bytes: i64 = self.conn.query_row("SELECT pg_database_size(current_database())", (), |r| r.get(0))?;
            return Ok(bytes.max(0) as u64);
        }
        let conn = self.conn.lite().ok_or_else(only_in_a_file)?;
        let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        let size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        Ok((pages * size).max(0) as u64)
    }

    pub fn schema_version(&self) -> Result<i64> {
        match self.conn.lite() {
            Some(conn) => Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?),
            None => Ok(self.conn.query_row("SELECT coalesce(max(version), 0) FROM regulars_schema", (), |r| r.get(0))?),
        }
    }

    /// Runs SQLite's own consistency checks; returns the problems it reports (empty when sound).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if self.conn.is_pg() {
            // The server enforces every reference as it is written; what can go wrong underneath
            // is an index left unusable (a failed concurrent build).
            let mut stmt = self.conn.prepare("SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace")?;
            for index in stmt.query_map((), |r| r.get::<_, String>(0))? {
                problems.push(format!("the index {} is not usable", index?));
            }
            return Ok(problems);
        }
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map((), |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query(())?;
        while let Some(row) = rows.next()? {
            problems.push(format!("row {} of {} points nowhere", row.get::<_, i64>(1)?, row.get::<_, String>(0)?));
        }
        Ok(problems)
    }

    pub fn customer_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM customers WHERE deleted_at IS NULL", (), |r| r.get(0))?;
        Ok(n as u64)
    }

    pub fn presence(&self, id: CustomerId) -> Result<Presence> {
        let deleted: Option<Option<String>> = self
            .conn
            .query_row("SELECT deleted_at FROM customers WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        Ok(match deleted {
            None => Presence::Missing,
            Some(None) => Presence::Live,
            Some(Some(_)) => Presence::Deleted,
        })
    }

    fn owner(&self, statement: &str, params: impl sql::Args) -> Result<Option<Owner>> {
        let owner = self
            .conn
            .query_row(statement, params, |r| {
                Ok(Owner { id: r.get(0)?, display_name: r.get(1)?, deleted: r.get::<_, Option<String>>(2)?.is_some() })
            })
            .optional()?;
        Ok(owner)
    }

    pub fn owner_of_email(&self, email: &str) -> Result<Option<Owner>> {
        self.owner(
            "SELECT c.id, c.display_name, c.deleted_at FROM customer_emails e JOIN customers c ON c.id = e.customer_id WHERE e.email = ?1",
            [email],
        )
    }

    pub fn owner_of_phone(&self, e164: &str) -> Result<Option<Owner>> {
        self.owner(
            "SELECT c.id, c.display_name, c.deleted_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?1",
            [e164],
        )
    }

    pub fn owner_of_handle(&self, platform: Platform, handle: &str) -> Result<Option<Owner>> {
        self.owner(
            "SELECT c.id, c.display_name, c.deleted_at FROM customer_handles h JOIN customers c ON c.id = h.customer_id WHERE h.platform = ?1 AND h.handle = ?2",
            params![platform.as_str(), handle],
        )
    }

    /// Live customers whose display name is exactly `name` (ignoring case).
    pub fn ids_named(&self, name: &str) -> Result<Vec<CustomerId>> {
        let mut stmt = self.conn.prepare_cached(
            // The folded name (`sort_name`) finds the rows through the list's index; the name
            // itself decides. Without it every look-up by name read the whole table, once for
            // each message of a conversation import known by a name.
            "SELECT id FROM customers WHERE deleted_at IS NULL AND sort_name = ?2 AND display_name = ?1 COLLATE NOCASE ORDER BY id LIMIT 10",
        )?;
        let ids = stmt.query_map(params![name, crate::normalize::fold(name)], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The customer with this id, live or in the trash.
    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        Ok(self.customers(&[id])?.into_iter().next())
    }

    /// The customers with these ids (live or in the trash), in the order given; unknown ids are skipped.
    // One piece: the customers of a list of ids read with one query per table (emails, phones, handles, tags), assembled in order.
    pub fn customers(&self, ids: &[CustomerId]) -> Result<Vec<Customer>> {
        let list = id_list(ids);
        let mut by_id: HashMap<CustomerId, Customer> = HashMap::with_capacity(ids.len());
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, first_name, last_name, display_name, company, street, city, region, postal_code, country,
                    birthday, customer_since, notes, consent_email, consent_sms, preferred_channel, custom,
                    created_at, updated_at, lifetime_spend_cents, orders_count, last_visit,
                    purchases_count, purchases_spend_cents, first_purchase_at, last_purchase_at
             FROM customers WHERE id IN rarray(?1)",
        )?;
        let rows = stmt.query_map([list.clone()], |r| {
            let consent = |i: usize| -> rusqlite::Result<ConsentStatus> {
                Ok(r.get::<_, String>(i)?.parse().unwrap_or_default())
            };
            Ok(Customer {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                display_name: r.get(3)?,
                company: r.get(4)?,
                address: Address {
                    street: r.get(5)?,
                    city: r.get(6)?,
                    region: r.get(7)?,
                    postal_code: r.get(8)?,
                    country: r.get(9)?,
                },
                birthday: parse_date(r.get(10)?),
                customer_since: parse_date(r.get(11)?),
                notes: r.get(12)?,
                consent: Consent { email: consent(13)?, sms: consent(14)? },
                preferred_channel: r.get::<_, Option<String>>(15)?.and_then(|c| c.parse::<Channel>().ok()),
                custom: serde_json::from_str(&r.get::<_, String>(16)?).unwrap_or_default(),
                created_at: parse_time(&r.get::<_, String>(17)?),
                updated_at: parse_time(&r.get::<_, String>(18)?),
                // Once purchases are recorded here, the totals follow from them; until then, the
                // totals brought in from another system stand.
                lifetime_spend: match r.get::<_, i64>(22)? {
                    0 => r.get::<_, Option<i64>>(19)?.map(Money::from_cents),
                    _ => Some(Money::from_cents(r.get(23)?)),
                },
                orders_count: match r.get::<_, i64>(22)? {
                    0 => r.get::<_, Option<i64>>(20)?.map(|n| n.clamp(0, u32::MAX as i64) as u32),
                    n => Some(n.clamp(0, u32::MAX as i64) as u32),
                },
                last_visit: parse_date(r.get(21)?),
                first_purchase_at: r.get::<_, Option<String>>(24)?.map(|t| parse_time(&t)),
                last_purchase_at: r.get::<_, Option<String>>(25)?.map(|t| parse_time(&t)),
                emails: Vec::new(),
                phones: Vec::new(),
                handles: BTreeMap::new(),
                tags: Vec::new(),
            })
        })?;
        for row in rows {
            let c = row?;
            by_id.insert(c.id, c);
        }
        self.each_child(
            "SELECT customer_id, email FROM customer_emails WHERE customer_id IN rarray(?1) ORDER BY customer_id, position",
            &list,
            |id, v| by_id.get_mut(&id).map(|c| c.emails.push(v)),
        )?;
        self.each_child(
            "SELECT customer_id, e164 FROM customer_phones WHERE customer_id IN rarray(?1) ORDER BY customer_id, position",
            &list,
            |id, v| by_id.get_mut(&id).map(|c| c.phones.push(v)),
        )?;
        self.each_child(
            "SELECT customer_id, tag FROM customer_tags WHERE customer_id IN rarray(?1) ORDER BY customer_id, position",
            &list,
            |id, v| by_id.get_mut(&id).map(|c| c.tags.push(v)),
        )?;
        self.each_child(
            "SELECT customer_id, platform || char(31) || handle FROM customer_handles WHERE customer_id IN rarray(?1)",
            &list,
            |id, v| {
                let (platform, handle) = v.split_once(TAG_SEPARATOR)?;
                let platform = platform.parse::<Platform>().ok()?;
                by_id.get_mut(&id).map(|c| c.handles.insert(platform, handle.to_string()))
            },
        )?;
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    fn each_child<R>(
        &self,
        sql: &str,
        list: &List,
        mut f: impl FnMut(CustomerId, String) -> Option<R>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([list.clone()])?;
        while let Some(row) = rows.next()? {
            f(row.get(0)?, row.get(1)?);
        }
        Ok(())
    }

    /// Live customers in name order, one page at a time.
    pub fn list_page(&self, offset: u64, limit: u64) -> Result<Page<CustomerSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY sort_name, id LIMIT ?1 OFFSET ?2",
        )?;
        let ids: Vec<CustomerId> = stmt.query_map([sql::row_limit(limit), sql::row_limit(offset)], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(Page { total: self.customer_count()?, items: self.summaries(&ids)? })
    }

    /// Ids of all live customers in name order, `limit` at a time after `after` (keyset paging
    /// for exports that must not hold every customer in memory).
    pub fn ids_after(&self, after: Option<(String, CustomerId)>, limit: u64) -> Result<Vec<(String, CustomerId)>> {
        let (name, id) = after.unwrap_or_default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT sort_name, id FROM customers WHERE deleted_at IS NULL AND (sort_name, id) > (?1, ?2)
             ORDER BY sort_name, id LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![name, id, sql::row_limit(limit)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The list lines of these customers, in the order given.
    pub fn summaries(&self, ids: &[CustomerId]) -> Result<Vec<CustomerSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.display_name, c.city,
                (SELECT email FROM customer_emails e WHERE e.customer_id = c.id ORDER BY position LIMIT 1),
                (SELECT e164 FROM customer_phones p WHERE p.customer_id = c.id ORDER BY position LIMIT 1),
                (SELECT group_concat(tag, char(31)) FROM
                    (SELECT tag FROM customer_tags t WHERE t.customer_id = c.id ORDER BY position) AS ordered)
             FROM customers c WHERE c.id IN rarray(?1)",
        )?;
        let mut by_id: HashMap<CustomerId, CustomerSummary> = stmt
            .query_map([id_list(ids)], |r| {
                let tags: Option<String> = r.get(5)?;
                let phone: Option<String> = r.get(4)?;
                Ok(CustomerSummary {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    city: r.get(2)?,
                    email: r.get(3)?,
                    phone_display: phone.as_deref().map(crate::normalize::phone_display),
                    phone,
                    tags: tags.map(|t| t.split(TAG_SEPARATOR).map(str::to_string).collect()).unwrap_or_default(),
                })
            })?
            .map(|s| s.map(|s| (s.id, s)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Those of these customers who are not in the trash, in id order.
    pub fn live_among(&self, ids: &[CustomerId]) -> Result<Vec<CustomerId>> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM customers WHERE id IN rarray(?1) AND deleted_at IS NULL ORDER BY id")?;
        let rows = stmt.query_map([id_list(ids)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (id, first name, last name, display name) of these customers, for ranking search results.
    pub fn names(&self, ids: &[CustomerId]) -> Result<Vec<(CustomerId, String, String, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, first_name, last_name, display_name FROM customers WHERE id IN rarray(?1) AND deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([id_list(ids)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn consent_history(&self, id: CustomerId) -> Result<Vec<ConsentEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT channel, status, at, source FROM consent_events WHERE customer_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (channel, status, at, source) = row?;
            if let (Ok(channel), Ok(status)) = (channel.parse::<ConsentChannel>(), status.parse::<ConsentStatus>()) {
                events.push(ConsentEvent { channel, status, at: parse_time(&at), source });
            }
        }
        Ok(events)
    }
}

impl WriteDb<'_> {
    pub fn remove_setting(&self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Inserts a new customer (its `id` is ignored) and returns the id it was given.
    pub fn insert_customer(&self, c: &Customer, sort_name: &str) -> Result<CustomerId> {
        self.conn
            .prepare_cached(
                "INSERT INTO customers (first_name, last_name, display_name, sort_name, company, street, city, region,
                    postal_code, country, birthday, customer_since, notes, consent_email, consent_sms,
                    preferred_channel, custom, updated_at, lifetime_spend_cents, orders_count, last_visit, created_at)
                 VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
            )
            .and_then(|mut stmt| with_customer_params(c, sort_name, true, |p| stmt.execute(p)))?;
        let id = self.conn.last_insert_rowid()?;
        self.insert_children(id, c)?;
        Ok(id)
    }

    /// Replaces every stored value of customer `c.id` with those of `c`.
    pub fn update_customer(&self, c: &Customer, sort_name: &str) -> Result<()> {
        let changed = self.conn.prepare_cached(
            "UPDATE customers SET first_name = ?2, last_name = ?3, display_name = ?4, sort_name = ?5, company = ?6,
                street = ?7, city = ?8, region = ?9, postal_code = ?10, country = ?11, birthday = ?12,
                customer_since = ?13, notes = ?14, consent_email = ?15, consent_sms = ?16,
                preferred_channel = ?17, custom = ?18, updated_at = ?19, lifetime_spend_cents = ?20,
                orders_count = ?21, last_visit = ?22
             WHERE id = ?1",
        ).and_then(|mut stmt| with_customer_params(c, sort_name, false, |p| stmt.execute(p)))?;
        if changed == 0 {
            return Err(Error::not_found(format!("there is no customer #{}", c.id)));
        }
        for table in ["customer_emails", "customer_phones", "customer_handles", "customer_tags"] {
            self.conn.prepare_cached(&format!("DELETE FROM {table} WHERE customer_id = ?1"))?.execute([c.id])?;
        }
        self.insert_children(c.id, c)
    }

    /// Inserts the emails, phones, tags and handles of customer `id` (`c.id` is not used).
    fn insert_children(&self, id: CustomerId, c: &Customer) -> Result<()> {
        let mut stmt = self.conn.prepare_cached("INSERT INTO customer_emails (customer_id, position, email) VALUES (?1, ?2, ?3)")?;
        for (i, email) in c.emails.iter().enumerate() {
            stmt.execute(params![id, i as i64, email])?;
        }
        let mut stmt = self.conn.prepare_cached("INSERT INTO customer_phones (customer_id, position, e164) VALUES (?1, ?2, ?3)")?;
        for (i, phone) in c.phones.iter().enumerate() {
            stmt.execute(params![id, i as i64, phone])?;
        }
        let mut stmt = self.conn.prepare_cached("INSERT INTO customer_tags (customer_id, position, tag) VALUES (?1, ?2, ?3)")?;
        for (i, tag) in c.tags.iter().enumerate() {
            stmt.execute(params![id, i as i64, tag])?;
        }
        let mut stmt = self.conn.prepare_cached("INSERT INTO customer_handles (customer_id, platform, handle) VALUES (?1, ?2, ?3)")?;
        for (platform, handle) in &c.handles {
            stmt.execute(params![id, platform.as_str(), handle])?;
        }
        Ok(())
    }

    /// Removes a customer and everything hanging off them (emails, phones, consent record, search
    /// words). Only for undoing an import's creation: deleting by hand goes to the trash.
    /// Erases a customer and everything about them: touchpoints (theirs and the shop's replies to
    /// them), purchases, consent record, import records, suggestions, referrals and search words.
    pub fn erase_customer(&self, id: CustomerId) -> Result<()> {
        self.remove_search_doc(id)?;
        self.conn.prepare_cached("DELETE FROM touchpoints WHERE customer_id = ?1")?.execute([id])?;
        self.conn.prepare_cached("DELETE FROM customers WHERE id = ?1")?.execute([id])?;
        Ok(())
    }

    /// Removes a customer row (an undone import's creation). What they said is kept, unlinked,
    /// with its author's handle, email or phone, to be linked again if they come back.
    pub fn remove_customer(&self, id: CustomerId) -> Result<()> {
        self.remove_search_doc(id)?;
        self.conn.prepare_cached("UPDATE touchpoints SET customer_id = NULL WHERE customer_id = ?1")?.execute([id])?;
        self.conn.prepare_cached("DELETE FROM customers WHERE id = ?1")?.execute([id])?;
        Ok(())
    }

    /// Empties the shop of everything it holds (customers, what they said and bought, imports,
    /// suggestions, segments) and keeps its settings: starting over.
    pub fn clear_shop(&self) -> Result<()> {
        // The search words: the file's index, or a server's tables (their rows would otherwise
        // go one by one with their customers).
        let search = if self.conn.is_pg() { "DELETE FROM customer_starts; DELETE FROM customer_finds;" } else { "DELETE FROM customer_search;" };
        self.conn.execute_batch(&format!(
            "DELETE FROM import_changes; DELETE FROM imports; DELETE FROM suggestions; DELETE FROM referrals;
             DELETE FROM segments; DELETE FROM purchases; DELETE FROM touchpoints; DELETE FROM consent_events;
             DELETE FROM customer_emails; DELETE FROM customer_phones; DELETE FROM customer_handles;
             DELETE FROM customer_tags; {search} DELETE FROM customers;"
        ))?;
        Ok(())
    }

    pub fn append_consent(&self, id: CustomerId, event: &ConsentEvent) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO consent_events (customer_id, channel, status, at, source) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![id, event.channel.as_str(), event.status.as_str(), time_text(event.at), event.source])?;
        Ok(())
    }

    /// Moves a customer to the trash (`deleted = Some(time)`) or back out of it (`None`).
    pub fn set_deleted(&self, id: CustomerId, deleted: Option<DateTime<Utc>>) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE customers SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![id, deleted.map(time_text)])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Released migrations are frozen: editing one would leave existing databases on a schema that
    /// new ones do not have. Add a migration instead, and its checksum here.
    #[test]
    fn an_older_database_is_backed_up_before_it_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.execute(
                "INSERT INTO customers (first_name, display_name, sort_name, created_at, updated_at) VALUES ('Ann', 'Ann', 'ann', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.db().schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.db().customer_count().unwrap(), 1);
        let backups = crate::backup::list(&store).unwrap();
        assert_eq!(backups.len(), 1);
        assert_eq!(backups[0].reason, "before-migration-v1");
        let old = Store::open_read_only(&backups[0].path).unwrap();
        assert_eq!(old.db().schema_version().unwrap(), 1, "the backup holds the database as it was");
        // Opened again, it is current: no second backup.
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(crate::backup::list(&store).unwrap().len(), 1);
    }

    #[test]
    fn bulk_work_has_a_large_page_cache_and_gives_it_back_even_when_it_fails() {
        let mut store = Store::open_in_memory().unwrap();
        let cache = |s: &Store| s.lite().unwrap().pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(cache(&store), -EVERYDAY_CACHE_KB);
        let inside = store.bulk(|s| Ok(cache(s))).unwrap();
        assert_eq!(inside, -BULK_CACHE_KB);
        assert_eq!(cache(&store), -EVERYDAY_CACHE_KB);
        let failed: Result<()> = store.bulk(|_| Err(Error::conflict("stopped")));
        assert!(failed.is_err());
        assert_eq!(cache(&store), -EVERYDAY_CACHE_KB);
    }

    #[test]
    fn a_database_of_every_earlier_schema_upgrades_and_keeps_every_row() {
        for version in 1..SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            {
                let conn = Connection::open(&path).unwrap();
                for sql in &MIGRATIONS[..version as usize] {
                    conn.execute_batch(sql).unwrap();
                }
                for name in ["Ann", "Ben", "Cy"] {
                    conn.execute(
                        "INSERT INTO customers (first_name, display_name, sort_name, created_at, updated_at) VALUES (?1, ?1, lower(?1), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                        [name],
                    )
                    .unwrap();
                }
                conn.execute("INSERT INTO customer_emails (customer_id, position, email) VALUES (1, 0, 'ann@example.com')", ()).unwrap();
                if version >= 3 {
                    conn.execute(
                        "INSERT INTO touchpoints (customer_id, channel, kind, direction, text, at, status, fingerprint, created_at)
                         VALUES (1, 'instagram', 'comment', 'in', 'Lovely!', '2026-01-02T00:00:00Z', 'no_reply_needed', 'f1', '2026-01-02T00:00:00Z')",
                        [],
                    )
                    .unwrap();
                    conn.execute(
                        "INSERT INTO purchases (customer_id, at, amount_cents, currency, channel, created_at) VALUES (2, '2026-01-03T00:00:00Z', 4200, 'GBP', 'in_store', '2026-01-03T00:00:00Z')",
                        [],
                    )
                    .unwrap();
                }
                conn.pragma_update(None, "user_version", version).unwrap();
            }
            let store = Store::open(&path).unwrap();
            assert_eq!(store.db().schema_version().unwrap(), SCHEMA_VERSION, "from version {version}");
            assert!(store.db().integrity_problems().unwrap().is_empty());
            assert_eq!(store.db().customer_count().unwrap(), 3, "from version {version}");
            assert_eq!(store.db().owner_of_email("ann@example.com").unwrap().map(|o| o.id), Some(1));
            if version >= 3 {
                assert_eq!(store.db().touchpoints(Some(1), 10).unwrap().len(), 1);
                assert_eq!(store.db().purchases_of(2).unwrap().len(), 1);
            }
            assert_eq!(crate::backup::list(&store).unwrap()[0].reason, format!("before-migration-v{version}"));
        }
    }

    #[test]
    fn warming_the_search_index_reads_all_of_it() {
        let mut store = Store::open_in_memory().unwrap();
        let empty = store.db().warm_search().unwrap();
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let change = crate::customers::Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() };
        crate::customers::create_many(&mut store, &crate::demo::drafts(300, 3, now.date_naive()), &change).unwrap();
        assert!(store.db().warm_search().unwrap() > empty + 300, "the index grows with the customers");
    }

    #[test]
    fn migrations_are_append_only() {
        let frozen: Vec<u64> = MIGRATIONS.iter().map(|m| checksum(m)).collect();
        let pinned: &[u64] = &[0xd1f9_840f_0265_e5b8, 0xd9c8_160c_2b85_5455, 0x2bb2_2a9e_5ac1_673c, 0x0c17_76f5_8f21_9cd1, 0xc01a_9b1e_6a92_58d4, 0xa7bb_2afe_760f_d6b7, 0xc171_5834_02bb_a2b1, 0x52ee_3cd3_8b7b_7b8c, 0xca5c_4363_d070_2912, 0x9c6f_ade0_ded0_41de, 0x108c_dbf6_b2ee_73e5, 0xdcf0_eb5c_2b08_19ff, 0xdd5c_f663_6e85_94fd, 0xe0c2_43ff_1cc8_3ee7];
        assert_eq!(MIGRATIONS.len(), pinned.len(), "a new migration needs its checksum pinned here");
        for (i, (got, want)) in frozen.iter().zip(pinned).enumerate() {
            assert_eq!(got, want, "migration {} was edited after release (checksum {got:#x})", i + 1);
        }
    }

    /// FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
    pub(super) fn checksum(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }

    #[test]
    fn migrations_apply_cleanly_and_reopen_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/regulars.db");
        assert!(Store::open(&path).is_err(), "a missing folder is not made quietly");
        Store::create_folder_of(&path).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.db().schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.db().integrity_problems().unwrap(), Vec::<String>::new());
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.db().schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = store.lite().unwrap().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = store.lite().unwrap().pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = store.lite().unwrap().pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn a_first_version_database_upgrades_and_keeps_its_customers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, first_name, display_name, sort_name, created_at, updated_at)
             VALUES (1, 'Ann', 'Ann', 'ann', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO customer_emails VALUES (1, 0, 'ann@example.com');",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.db().schema_version().unwrap(), SCHEMA_VERSION);
        let ann = store.db().customer(1).unwrap().unwrap();
        assert_eq!((ann.display_name.as_str(), ann.emails.as_slice()), ("Ann", &["ann@example.com".to_string()][..]));
        assert_eq!((ann.lifetime_spend, ann.orders_count, ann.last_visit), (None, None, None));
        assert!(store.db().imports().unwrap().is_empty());
    }

    #[test]
    fn a_newer_schema_is_refused_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let err = Store::open(&path).err().expect("must refuse");
        assert!(err.to_string().contains("newer Regulars"), "{err}");
    }

    #[test]
    fn consent_record_is_append_only() {
        let mut store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let c = Customer {
            id: 0, first_name: "A".into(), last_name: String::new(), display_name: "A".into(),
            emails: vec![], phones: vec![], handles: BTreeMap::new(), address: Address::default(),
            company: String::new(), birthday: None, customer_since: None, tags: vec![], notes: String::new(),
            consent: Consent::default(), preferred_channel: None, custom: BTreeMap::new(), lifetime_spend: None,
            orders_count: None, last_visit: None, first_purchase_at: None, last_purchase_at: None, created_at: now, updated_at: now,
        };
        let id = store.write(|w| w.insert_customer(&c, "a")).unwrap();
        let event = ConsentEvent { channel: ConsentChannel::Email, status: ConsentStatus::Yes, at: now, source: "test".into() };
        store.write(|w| w.append_consent(id, &event)).unwrap();
        let err = store.lite().unwrap().execute("UPDATE consent_events SET status = 'no'", ()).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
