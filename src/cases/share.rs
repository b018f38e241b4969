//! A shop on more than one computer: moving the shop's file into a PostgreSQL database that every
//! computer of the shop then uses (`to_postgres`), and making a local file of it again (`back`).
//! A move is whole or nothing: a backup of the file first, then every table in one transaction on
//! the receiving side, the rows counted on both sides.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::backup::{self, Backup};
use crate::error::{Error, Result};
use crate::store::postgres::PgStore;
use crate::store::share::TableCount;
use crate::Store;

/// What a move did: each table's rows on both sides, and the backup made first (into Postgres).
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    pub to: String,
    pub tables: Vec<TableCount>,
    pub backup: Option<Backup>,
}

impl Shared {
    /// The customers moved (in the trash or not).
    pub fn customers(&self) -> u64 {
        self.tables.iter().find(|t| t.table == "customers").map_or(0, |t| t.to)
    }
}

/// Moves the shop in `store` into the empty shop database `pg`, a backup of the file first. The
/// file is left as it was.
pub fn to_postgres(store: &Store, pg: &mut PgStore, now: DateTime<Utc>) -> Result<Shared> {
    let backup = backup::before(store, backup::BEFORE_SHARE, now)?;
    let tables = store.copy_to_postgres(pg)?;
    Ok(Shared { to: pg.shown().to_string(), tables, backup })
}

/// Restores backup `id` in place of the shop's content (a safety backup first, see
/// `backup::restore`), then makes its search words where they are kept apart from the rows (a
/// shared shop's are made from them, as after a move).
pub fn restore(store: &mut Store, id: i64, now: DateTime<Utc>) -> Result<Backup> {
    let safety = backup::restore(store, id, now)?;
    crate::customers::refresh_search_words(store)?;
    Ok(safety)
}

/// Makes a new file at `file` of the shop in `pg` (which is left as it was), its search words
/// made. A file already there is refused; a move that fails leaves no file behind.
pub fn back(pg: &mut PgStore, file: &Path) -> Result<Shared> {
    if file.exists() {
        return Err(Error::conflict(format!("{} already exists: bring the shared shop back into a new file", file.display())));
    }
    let made = (|| {
        let mut store = Store::open(file)?;
        // As an import: a larger page cache for the one big transaction.
        let tables = store.bulk(|store| store.copy_from_postgres(pg))?;
        crate::customers::refresh_search_words(&mut store)?;
        Ok(tables)
    })();
    match made {
        Ok(tables) => Ok(Shared { to: file.display().to_string(), tables, backup: None }),
        Err(e) => {
            crate::store::remove_database_files(file);
            Err(e)
        }
    }
}
