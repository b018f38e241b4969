//! A shop on more than one computer: moving the shop's file into a PostgreSQL database that every
//! computer of the shop then uses (`to_postgres`), and making a local file of it again (`back`).
//! A move is whole or nothing: a backup of the file first, then every table in one transaction on
//! the receiving side, the rows counted on both sides.
//!
//! The app's "Share this shop" form names the server (`Server`: host, port, database, user; the
//! password goes to the system's keychain), looks before it leaps (`look`: what the database holds,
//! whether the connection is encrypted), and this computer remembers where its shop now is
//! (`remember`, in Regulars' data folder, read by `crate::db_path` for the app and the command
//! line alike).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::backup::{self, Backup};
use crate::error::{Error, Result};
use crate::store::keychain::Secret;
use crate::store::postgres::{Holds, PgStore};
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

/// A shared shop's server, as the "Share this shop" form names it (its password is kept in the
/// system's keychain, never here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

/// Where this computer keeps the name of its shared shop (beside its own file).
const REMEMBERED: &str = "shared-shop.json";

impl Server {
    /// The server named in full: a host, a database and a user, each without spaces.
    pub fn checked(self) -> Result<Server> {
        let mut problems = Vec::new();
        let mut field = |name: &str, value: &str, say: &str| {
            if value.trim().is_empty() || value.trim().contains(char::is_whitespace) {
                problems.push(crate::FieldProblem::new(name, say.to_string()));
            }
        };
        field("host", &self.host, "say which server: its name or address on your network, e.g. backoffice.local or 192.168.1.20");
        field("database", &self.database, "say which database on that server: e.g. shop");
        field("user", &self.user, "say your login on that server: each person has their own");
        if self.port == 0 {
            problems.push(crate::FieldProblem::new("port", "the port is a number from 1 to 65535; PostgreSQL's is usually 5432".to_string()));
        }
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        let trim = |v: &str| v.trim().to_string();
        Ok(Server { host: trim(&self.host), port: self.port, database: trim(&self.database), user: trim(&self.user) })
    }

    /// The address that opens the shop (with the password, if any: never shown; see
    /// `store::postgres::shown_url` for what may be).
    pub fn url(&self, password: Option<&str>) -> String {
        let host = if self.host.contains(':') && !self.host.starts_with('[') { format!("[{}]", self.host) } else { self.host.clone() };
        let login = match password.filter(|p| !p.is_empty()) {
            Some(p) => format!("{}:{}", escape(&self.user), escape(p)),
            None => escape(&self.user),
        };
        format!("postgres://{login}@{host}:{}/{}", self.port, escape(&self.database))
    }

    /// The server of a shared shop's address (`None` for a file's path or an address without a
    /// single host).
    pub fn from_url(url: &str) -> Option<Server> {
        let config: postgres::Config = url.parse().ok()?;
        let host = match config.get_hosts() {
            [postgres::config::Host::Tcp(name)] => name.clone(),
            _ => return None,
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        Some(Server { host, port, database: config.get_dbname()?.to_string(), user: config.get_user()?.to_string() })
    }

    /// Its password in the system's keychain.
    pub fn secret(&self) -> Secret {
        Secret::new("Regulars shared shop", format!("{}@{}:{}/{}", self.user, self.host, self.port, self.database))
    }
}

/// Moves the shop in `store` (a file, left as it was) into `server`'s empty database and makes that
/// this computer's shop (remembered in `folder`, Regulars' data folder). The password is kept
/// first (a keychain that refuses it stops everything before a row moves), then the move (see
/// `to_postgres`), then the shared shop is opened (its search words made) and remembered. Returns what moved, and the shop opened there.
pub fn share_on(folder: &Path, store: &Store, server: Server, password: Option<&str>, now: DateTime<Utc>) -> Result<(Shared, Store)> {
    let server = server.checked()?;
    let kept = keep_password(&server, password)?;
    let url = server.url(password);
    let mut pg = PgStore::connect(&url)?;
    let moved = to_postgres(store, &mut pg, now)?;
    let shared = open_there(folder, &server, &url, kept)?;
    Ok((moved, shared))
}

/// Makes the shop already on `server` (shared from another computer) this computer's shop
/// (remembered in `folder`).
pub fn join(folder: &Path, server: Server, password: Option<&str>) -> Result<Store> {
    let server = server.checked()?;
    let url = server.url(password);
    match look(&server, password)?.holds {
        Holds::Shop { .. } => {}
        Holds::Nothing => return Err(Error::conflict("That database holds no shop yet: move this shop there instead")),
        Holds::Newer => return Err(Error::conflict("That shop was written by a newer Regulars: update Regulars on this computer first")),
        Holds::Other => return Err(Error::conflict("That database holds something other than a Regulars shop: choose an empty database")),
    }
    let kept = keep_password(&server, password)?;
    open_there(folder, &server, &url, kept)
}

/// Puts a password given into the keychain: whether there was one.
fn keep_password(server: &Server, password: Option<&str>) -> Result<bool> {
    match password.filter(|p| !p.is_empty()) {
        Some(p) => server.secret().save(p).map(|()| true),
        None => Ok(false),
    }
}

fn open_there(folder: &Path, server: &Server, url: &str, password_kept: bool) -> Result<Store> {
    let mut store = Store::open(Path::new(url))?;
    crate::customers::refresh_search_words(&mut store)?;
    remember(folder, Some(server), password_kept)?;
    Ok(store)
}

/// Percent-encodes what is not plain in a URL's user, password or database.
fn escape(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What "Test connection" found: the server as it may be shown, whether the connection is
/// encrypted, and what the database holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Looked {
    pub shown: String,
    pub encrypted: bool,
    pub holds: Holds,
}

/// Connects to `server` (named in full, see `Server::checked`) and looks at what its database
/// holds, changing nothing.
pub fn look(server: &Server, password: Option<&str>) -> Result<Looked> {
    let server = server.clone().checked()?;
    let mut pg = PgStore::connection(&server.url(password))?;
    let holds = pg.holds()?;
    Ok(Looked { shown: pg.shown().to_string(), encrypted: pg.encrypted(), holds })
}

/// What this computer keeps of its shared shop: the server, and whether its password is in the
/// keychain (so that a computer whose server needs none never asks a keychain for it).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    #[serde(flatten)]
    server: Server,
    #[serde(default)]
    password_kept: bool,
}

fn read_remembered(folder: &Path) -> Option<Remembered> {
    let text = std::fs::read_to_string(folder.join(REMEMBERED)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The shared shop this computer uses, if it uses one (`None` when its shop is its own file), as
/// kept in `folder` (Regulars' data folder, `store::data_folder`).
pub fn remembered(folder: &Path) -> Option<Server> {
    read_remembered(folder).map(|r| r.server)
}

/// The address of the shared shop this computer uses, with its kept password.
pub fn remembered_url(folder: &Path) -> Option<String> {
    let r = read_remembered(folder)?;
    let password = if r.password_kept { r.server.secret().get().ok().flatten() } else { None };
    Some(r.server.url(password.as_deref()))
}

/// Remembers `server` as this computer's shop (`password_kept`: its password was put in the
/// keychain), or forgets it (`None`: the computer's own file again), the kept password with it.
pub fn remember(folder: &Path, server: Option<&Server>, password_kept: bool) -> Result<()> {
    let path = folder.join(REMEMBERED);
    let cannot = |e: std::io::Error| Error::conflict(format!("Regulars could not write {}: {e}", path.display()));
    match server {
        Some(server) => {
            std::fs::create_dir_all(folder).map_err(cannot)?;
            let text = serde_json::to_string_pretty(&Remembered { server: server.clone(), password_kept }).expect("plain data");
            std::fs::write(&path, text).map_err(cannot)
        }
        None => {
            if let Some(old) = read_remembered(folder).filter(|r| r.password_kept) {
                old.server.secret().forget()?;
            }
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(cannot(e)),
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, user: &str, database: &str) -> Server {
        Server { host: host.into(), port: 5432, database: database.into(), user: user.into() }
    }

    #[test]
    fn a_server_is_named_in_full_before_anything_is_tried() {
        let err = Server { port: 0, ..server(" ", "", "my shop") }.checked().unwrap_err();
        let fields: Vec<&str> = err.field_problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["host", "database", "user", "port"]);
        let ok = server(" backoffice.local ", "anna ", "shop").checked().unwrap();
        assert_eq!((ok.host.as_str(), ok.user.as_str()), ("backoffice.local", "anna"));
    }

    #[test]
    fn its_address_carries_any_password_escaped_and_reads_back_to_the_same_server() {
        let s = server("db.example.com", "anna@shop", "shop/one");
        let url = s.url(Some("p@ss:w/rd ?é"));
        assert_eq!(url, "postgres://anna%40shop:p%40ss%3Aw%2Frd%20%3F%C3%A9@db.example.com:5432/shop%2Fone");
        assert_eq!(Server::from_url(&url), Some(s.clone()));
        assert_eq!(s.url(Some("")), "postgres://anna%40shop@db.example.com:5432/shop%2Fone", "an empty password is none");
        let config: postgres::Config = url.parse().unwrap();
        assert_eq!(config.get_password(), Some("p@ss:w/rd ?é".as_bytes()));
        assert!(!crate::store::postgres::shown_url(&url).contains("p%40ss"), "never shown");
        let v6 = server("::1", "anna", "shop");
        assert_eq!(v6.url(None), "postgres://anna@[::1]:5432/shop");
        assert_eq!(Server::from_url(&v6.url(None)), Some(v6));
        assert_eq!(Server::from_url("/home/anna/shop.db"), None);
    }

    #[test]
    fn this_computer_remembers_its_shared_shop_without_its_password_and_forgets_it() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(remembered(folder.path()), None);
        let s = server("backoffice.local", "anna", "shop");
        remember(folder.path(), Some(&s), false).unwrap();
        assert_eq!(remembered(folder.path()), Some(s.clone()));
        assert_eq!(remembered_url(folder.path()).as_deref(), Some("postgres://anna@backoffice.local:5432/shop"));
        let text = std::fs::read_to_string(folder.path().join(REMEMBERED)).unwrap();
        assert!(text.contains("\"password_kept\": false"), "{text}");
        remember(folder.path(), None, false).unwrap();
        assert_eq!(remembered(folder.path()), None);
        remember(folder.path(), None, false).unwrap();
    }
}
