//! The shop on a PostgreSQL server, for a shop on more than one computer: the connection, the
//! schema's own append-only migrations (recorded in the table `regulars_schema`, applied under an
//! advisory lock so two computers opening a new database at once apply them once), and the refusal
//! of a database a newer Regulars wrote, which is left untouched.
//!
//! The client is `postgres`, the blocking face of `tokio-postgres`: the store's callers are
//! synchronous (as with SQLite), and it is the same protocol code an async caller (LISTEN/NOTIFY
//! in the app) can use directly. TLS is rustls with the web's root certificates, as the mailbox
//! uses: required for every server but one on the loopback (this computer), where the connection
//! never leaves the machine.

use std::collections::BTreeMap;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};

use crate::error::{Error, Result, Storage};

/// The Postgres schema, in order. Append only: a released migration is never edited (a test pins
/// them). Each mirrors the SQLite file's tables at some schema version (see `0001_shop.sql`).
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_shop.sql"),
    include_str!("migrations/0002_in_use.sql"),
    include_str!("migrations/0003_words_by_field.sql"),
    include_str!("migrations/0004_done_by.sql"),
    include_str!("migrations/0005_names_in_byte_order.sql"),
    include_str!("migrations/0006_customer_finds.sql"),
    include_str!("migrations/0007_customer_starts.sql"),
    include_str!("migrations/0008_customer_changes.sql"),
    include_str!("migrations/0009_common_keys.sql"),
];

/// The Postgres schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock the migrations are applied under (any number the shop's other users of the
/// server are unlikely to pick: "REGU" in ASCII).
const MIGRATION_LOCK: i64 = 0x5245_4755;

/// The advisory lock each write transaction holds until it ends, so that a shop's writes take
/// turns as in the file ("REGW").
pub(crate) const WRITE_LOCK: i64 = 0x5245_4757;

/// Whether a `--db` value names a PostgreSQL database rather than a file.
pub fn is_url(value: &str) -> bool {
    value.starts_with("postgres://") || value.starts_with("postgresql://")
}

/// A connection to a shop's PostgreSQL database, its schema brought up to date.
pub struct PgStore {
    pub(super) client: Client,
    shown: String,
    /// The address as given (with its password, if any): only to open another connection to the
    /// same shop, never shown.
    url: String,
}

/// What a database holds, as far as Regulars is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Holds {
    /// Nothing yet: a shop can move in.
    Nothing,
    /// A shop, with this many customers (not counting the trash).
    Shop { customers: u64 },
    /// A shop a newer Regulars wrote: left alone.
    Newer,
    /// Tables of something else: left alone.
    Other,
}

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain: only to a server on this computer.
    None,
    /// rustls, the server's certificate checked against the web's roots.
    Required,
}

/// Which TLS a connection to these hosts must have: none is allowed only when every host is this
/// computer (the loopback or a local socket); anywhere else TLS is required, and a URL that turns
/// it off (`sslmode=disable`) is refused before anything is sent.
pub fn tls_for(config: &Config) -> Result<Tls> {
    let local = !config.get_hosts().is_empty()
        && config.get_hosts().iter().all(|h| match h {
            Host::Tcp(name) => is_loopback(name),
            #[cfg(unix)]
            Host::Unix(_) => true,
        });
    match (local, config.get_ssl_mode()) {
        (true, SslMode::Require) => Ok(Tls::Required),
        (true, _) => Ok(Tls::None),
        (false, SslMode::Disable) => Err(Error::invalid_field(
            "url",
            "A shared shop's server must be reached over TLS: remove sslmode=disable (plain connections are only for a server on this computer)",
        )),
        (false, _) => Ok(Tls::Required),
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The URL as it may be shown or logged: user, hosts, ports and database, never the password.
pub fn shown(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = match h {
                Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    let user = config.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    format!("postgres://{user}{}/{}", hosts.join(","), config.get_dbname().unwrap_or(""))
}

/// A `--db` address as it may be shown, without its password, whether or not it parses.
pub fn shown_url(url: &str) -> String {
    url.parse::<Config>().map_or_else(|_| redact(url), |c| shown(&c))
}

/// A Postgres error as the library's error, with the server's own words (and detail) when it
/// sent any, after `context`.
pub(super) fn pg_error(context: &str, e: postgres::Error) -> Error {
    let kind = if e.is_closed() || e.as_db_error().is_none() && e.code().is_none() { Storage::CannotOpen } else { Storage::Other };
    let said = match e.as_db_error() {
        Some(db) => {
            let mut s = db.message().to_string();
            if let Some(detail) = db.detail() {
                s.push_str(&format!(" ({detail})"));
            }
            if let Some(place) = db.where_() {
                s.push_str(&format!(" [{place}]"));
            }
            s
        }
        None => e.to_string(),
    };
    Error::storage(kind, format!("{context}: {said}"))
}

impl PgStore {
    /// Connects to `url` and brings its schema up to date (a database a newer Regulars wrote is
    /// refused and left as it is).
    pub fn connect(url: &str) -> Result<PgStore> {
        let mut store = PgStore::connection(url)?;
        store.migrate()?;
        Ok(store)
    }

    /// Connects to `url` and leaves its schema as it is (a listener, a connection made again,
    /// a look before anything is written).
    pub fn connection(url: &str) -> Result<PgStore> {
        let mut config: Config = url
            .parse()
            .map_err(|e| Error::invalid_field("url", format!("“{}” is not a PostgreSQL address: {e}", redact(url))))?;
        if config.get_hosts().is_empty() {
            return Err(Error::invalid_field("url", "A PostgreSQL address needs a server: postgres://user@server/database"));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.application_name("Regulars");
        // Regulars' statements are short: compiling one (JIT) or starting workers for it costs
        // more than it saves (a search's look-up took 30 ms of JIT). Options in the address stay.
        let options = format!("{} -c jit=off -c max_parallel_workers_per_gather=0", config.get_options().unwrap_or_default());
        config.options(options.trim());
        let shown = shown(&config);
        let cannot = |e| pg_error(&format!("Regulars could not connect to {shown}"), e);
        let client = match tls_for(&config)? {
            Tls::None => config.connect(NoTls).map_err(cannot)?,
            Tls::Required => {
                config.ssl_mode(SslMode::Require);
                config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls_config())).map_err(cannot)?
            }
        };
        Ok(PgStore { client, shown, url: url.to_string() })
    }

    /// Whether the connection is encrypted (false only on the loopback).
    pub fn encrypted(&self) -> bool {
        let config: Option<Config> = self.url.parse().ok();
        config.and_then(|c| tls_for(&c).ok()) == Some(Tls::Required)
    }

    /// What the database holds, looked at without changing it.
    pub fn holds(&mut self) -> Result<Holds> {
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Ok(Holds::Newer);
        }
        let e = |e| pg_error("Regulars could not look into the database", e);
        if version == 0 {
            let tables: i64 = self
                .client
                .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", &[])
                .map_err(e)?
                .get(0);
            return Ok(if tables == 0 { Holds::Nothing } else { Holds::Other });
        }
        let has_customers: bool = self.client.query_one("SELECT to_regclass('customers') IS NOT NULL", &[]).map_err(e)?.get(0);
        if !has_customers {
            return Ok(Holds::Nothing);
        }
        let customers: i64 = self.client.query_one("SELECT count(*) FROM customers WHERE deleted_at IS NULL", &[]).map_err(e)?.get(0);
        Ok(Holds::Shop { customers: customers.max(0) as u64 })
    }

    /// The shop as a store, its statements run on this connection.
    pub fn into_store(self) -> super::Store {
        super::Store::on_server(super::sql::PgConn::new(self))
    }

    /// The address as given, to open another connection with (never to be shown: it may hold
    /// the password).
    pub(crate) fn address(&self) -> &str {
        &self.url
    }

    /// The address, without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The schema version recorded in the database (0: none yet).
    pub fn schema_version(&mut self) -> Result<i64> {
        let e = |e| pg_error("Regulars could not read the shared shop's schema version", e);
        let exists: bool = self.client.query_one("SELECT to_regclass('regulars_schema') IS NOT NULL", &[]).map_err(e)?.get(0);
        if !exists {
            return Ok(0);
        }
        Ok(self.client.query_one("SELECT coalesce(max(version), 0) FROM regulars_schema", &[]).map_err(e)?.get(0))
    }

    fn migrate(&mut self) -> Result<()> {
        let shown = self.shown.clone();
        let e = |e| pg_error(&format!("Regulars could not prepare the shared shop at {shown}"), e);
        let mut tx = self.client.transaction().map_err(e)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(e)?;
        // Looked for first: a person's own login may use the shop's tables without being allowed
        // to create any (and the server checks that before it sees the table is there).
        let made: bool = tx.query_one("SELECT to_regclass('regulars_schema') IS NOT NULL", &[]).map_err(e)?.get(0);
        if !made {
            tx.batch_execute("CREATE TABLE regulars_schema (version BIGINT NOT NULL)").map_err(e)?;
        }
        let current: i64 = tx.query_one("SELECT coalesce(max(version), 0) FROM regulars_schema", &[]).map_err(e)?.get(0);
        if current > SCHEMA_VERSION {
            return Err(Error::storage(
                Storage::Other,
                format!(
                    "The shared shop at {shown} was written by a newer Regulars (schema {current}; this one knows {SCHEMA_VERSION}). \
                     Update Regulars on this computer; nothing was changed."
                ),
            ));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.batch_execute(sql).map_err(|err| pg_error(&format!("migration {} of the shared shop failed", i + 1), err))?;
        }
        if current < SCHEMA_VERSION {
            tx.execute("DELETE FROM regulars_schema", &[]).map_err(e)?;
            tx.execute("INSERT INTO regulars_schema (version) VALUES ($1)", &[&SCHEMA_VERSION]).map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    /// The shop's tables and their columns with their types (`bigint`, `double precision`,
    /// `text`), the schema's own record and what is made where the shop is used (the search
    /// words) left out.
    pub fn tables(&mut self) -> Result<BTreeMap<String, Vec<(String, String)>>> {
        let rows = self
            .client
            .query(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text
                 FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'regulars_schema'
                 ORDER BY c.table_name, c.ordinal_position",
                &[],
            )
            .map_err(|e| pg_error("Regulars could not read the shared shop's tables", e))?;
        let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for row in rows {
            let table: String = row.get(0);
            if !super::share::derived(&table) {
                tables.entry(table).or_default().push((row.get(1), row.get(2)));
            }
        }
        Ok(tables)
    }
}

/// What watching a shared shop hears (`watch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Connected (again): listening from now on.
    Connected,
    /// Someone committed a change to the shop (several in a quarter of a second are one).
    Changed,
}

/// The channel every committed write on a shared shop notifies (see `Store::write`), saying which
/// process wrote (`this_process`).
const CHANGES: &str = "regulars_changed";

/// This process among every computer's: what its writes' notifications carry, so that its own
/// watch does not hear its own changes (the screen that made them shows them already).
pub(crate) fn this_process() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        format!("{:x}-{:x}", std::process::id(), nanos)
    })
}

/// Listens to the shared shop at `url` on a connection of its own, telling `heard` when it is
/// connected and each time someone commits a change (within a second of it), until `heard`
/// returns false (then `Ok`) or the connection fails (then the error: the server is unreachable;
/// the caller says so and watches again).
pub fn watch(url: &str, mut heard: impl FnMut(Heard) -> bool) -> Result<()> {
    use postgres::fallible_iterator::FallibleIterator;
    let mut pg = PgStore::connection(url)?;
    let lost = |e| pg_error("The shared shop's server cannot be reached", e);
    pg.client.batch_execute(&format!("LISTEN {CHANGES}")).map_err(lost)?;
    if !heard(Heard::Connected) {
        return Ok(());
    }
    let others = |n: &postgres::Notification| n.payload() != this_process();
    loop {
        // Woken at least every few seconds, to notice a connection that died quietly.
        let first = pg.client.notifications().timeout_iter(std::time::Duration::from_secs(5)).next().map_err(lost)?;
        let Some(first) = first else {
            pg.client.simple_query("SELECT 1").map_err(lost)?;
            continue;
        };
        // A burst of commits (an import's batches) is heard once, at most a second late.
        let mut someone_else = others(&first);
        let burst = std::time::Instant::now();
        while burst.elapsed() < std::time::Duration::from_secs(1) {
            match pg.client.notifications().timeout_iter(std::time::Duration::from_millis(250)).next().map_err(lost)? {
                Some(n) => someone_else |= others(&n),
                None => break,
            }
        }
        if !someone_else {
            continue;
        }
        if !heard(Heard::Changed) {
            return Ok(());
        }
    }
}

/// rustls with the web's root certificates (as the mailbox's connection).
fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// A URL that did not parse, its password (if it can be found) left out.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Config {
        url.parse().unwrap()
    }

    #[test]
    fn tls_is_required_except_on_this_computer() {
        assert_eq!(tls_for(&config("postgres://shop@localhost/regulars")).unwrap(), Tls::None);
        assert_eq!(tls_for(&config("postgres://shop@127.0.0.1:5433/regulars")).unwrap(), Tls::None);
        assert_eq!(tls_for(&config("postgres://shop@[::1]/regulars")).unwrap(), Tls::None);
        assert_eq!(tls_for(&config("postgres://shop@localhost/regulars?sslmode=require")).unwrap(), Tls::Required);
        assert_eq!(tls_for(&config("postgres://shop@nas.local/regulars")).unwrap(), Tls::Required);
        assert_eq!(tls_for(&config("postgres://shop@db.example.com/regulars?sslmode=prefer")).unwrap(), Tls::Required);
        assert_eq!(tls_for(&config("postgres://shop@localhost,db.example.com/regulars")).unwrap(), Tls::Required, "one remote host is remote");
        let refused = tls_for(&config("postgres://shop@db.example.com/regulars?sslmode=disable")).unwrap_err();
        assert!(refused.to_string().contains("TLS"), "{refused}");
    }

    #[test]
    fn an_address_is_shown_without_its_password() {
        let c = config("postgres://anna:s3cret@db.example.com:6543/shop");
        assert_eq!(shown(&c), "postgres://anna@db.example.com:6543/shop");
        assert_eq!(redact("postgres://anna:s3cret@db.example.com:bad/shop"), "postgres://anna@db.example.com:bad/shop");
        let bad = PgStore::connect("postgres://anna:s3cret@db.example.com:notaport/shop").err().unwrap();
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        assert!(is_url("postgresql://x@y/z") && is_url("postgres://x@y/z") && !is_url("/home/anna/shop.db"));
    }

    #[test]
    fn migrations_are_append_only() {
        use crate::store::tests::checksum;
        let pinned: &[u64] = &[0x790c_97ea_c665_ce29, 0xcf57_cbf6_29c3_5244, 0xf9ba_e246_8564_a341, 0x1eb9_402b_fb4e_2e77, 0x6159_9819_9905_2ad1, 0xe8f0_c8d7_296b_6592, 0xe5af_3bc2_1abb_0e9d, 0xfb1f_412f_552f_91ba, 0x0e22_c2c9_3b61_734c];
        assert_eq!(MIGRATIONS.len(), pinned.len(), "a new Postgres migration needs its checksum pinned here");
        for (i, (sql, want)) in MIGRATIONS.iter().zip(pinned).enumerate() {
            let got = checksum(sql);
            assert_eq!(got, *want, "Postgres migration {} was edited after release (checksum {got:#x})", i + 1);
        }
    }
}
