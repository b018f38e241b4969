//! Regulars' core: customer profiles, their storage, search and export, for the desktop app and the
//! `regulars` command line alike. It knows nothing of Tauri or of terminals; it takes the time
//! (`now`) and the shop's region as arguments, so its rules are testable on fixed dates.
//!
//! The tree shows the layers: `domain` (the model and its pure rules), `store` (the one module that
//! speaks SQL, and backups), `cases` (the use cases), `ingest` (files in). See ARCHITECTURE.md.

// The layers, lowest first: the model and its rules, the store (the only SQL), the use cases, and
// ingest (files in). Each module is also reachable at the root (`regulars::customers`), as before.
pub mod domain;
pub mod store;
pub mod cases;
pub mod ingest;
pub mod memory;

/// A real PostgreSQL server for the unit tests that need one (the integration tests' own).
#[cfg(test)]
#[path = "../tests/common/pg_server.rs"]
#[allow(dead_code)]
pub(crate) mod test_server;

pub use cases::{customers, demo, duplicates, export, followups, insight, listening, merge, purchases, search, segments, settings, share, touchpoints};
pub use domain::{countries, error, format, model, money, normalize, sentiment};
pub use ingest::{conversations, import, mailbox, records};

use std::path::PathBuf;

pub use error::{Error, ErrorKind, FieldProblem, Result};
pub use store::{backup, Store};

/// The environment variable that names the database file, for the app and the CLI alike.
pub const DB_ENV: &str = "REGULARS_DB";

/// Where the database lives unless told otherwise: the OS's per-user data folder
/// (`~/.local/share/Regulars` on Linux, `~/Library/Application Support/Regulars` on macOS,
/// `%APPDATA%\Regulars` on Windows).
pub fn default_db_path() -> PathBuf {
    store::data_folder().join("regulars.db")
}

/// Makes the default data folder on a first run. A path given explicitly (`--db`, `REGULARS_DB`)
/// gets no folders made for it: a mistyped folder is an error, not a new place nobody looks.
pub fn prepare_db_folder(path: &std::path::Path) -> Result<()> {
    if path == default_db_path() && store::shared_address(path).is_none() {
        Store::create_folder_of(path)?;
    }
    Ok(())
}

/// The database to open: an explicit path, else `REGULARS_DB` (passed in as `env`), else the
/// shared shop this computer was set to use (Settings → Share this shop), else the default file.
pub fn db_path(explicit: Option<PathBuf>, env: Option<std::ffi::OsString>) -> PathBuf {
    explicit
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| share::remembered_url(&store::data_folder()).map(PathBuf::from))
        .unwrap_or_else(default_db_path)
}

