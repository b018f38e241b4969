//! A real PostgreSQL server for the tests, from the system's packages: `REGULARS_TEST_POSTGRES`
//! (a server's address, as `scripts/test.sh` starts one for the whole run) when it is set, else a
//! throwaway cluster of this test's own (`initdb` in a temporary folder, a free loopback port,
//! stopped when dropped). Each test gets a database of its own on it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub struct Postgres {
    /// postgres://user@host:port (no database).
    base: String,
    own: Option<Cluster>,
}

struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    root: bool,
    options: String,
}

impl Postgres {
    /// The server a suite runs against when it runs against shared shops
    /// (`REGULARS_TEST_SHARED=1` beside `REGULARS_TEST_POSTGRES`, as `scripts/test.sh` runs its
    /// second pass), once for the whole suite.
    pub fn shared() -> Option<&'static Postgres> {
        static SERVER: std::sync::OnceLock<Option<Postgres>> = std::sync::OnceLock::new();
        SERVER
            .get_or_init(|| {
                let wanted = std::env::var("REGULARS_TEST_SHARED").is_ok_and(|v| v == "1");
                let given = std::env::var("REGULARS_TEST_POSTGRES").is_ok_and(|v| !v.is_empty());
                (wanted && given).then(Postgres::start)
            })
            .as_ref()
    }

    /// A server for tests: its cluster (if its own) skips fsync, as a test's data need not
    /// survive a power cut.
    pub fn start() -> Postgres {
        Postgres::start_with(false)
    }

    /// A server that syncs what it commits (`durable`), as a shop's would: for benchmarks.
    pub fn start_with(durable: bool) -> Postgres {
        Postgres::start_keeping(durable, None)
    }

    /// A server that keeps `memory` of its data in its own cache (`shared_buffers`, "1GB") instead
    /// of the packages' 128 MB, as one set up for a shop's use would (PostgreSQL's guide suggests
    /// a quarter of the machine's memory): for benchmarks.
    pub fn start_keeping(durable: bool, memory: Option<&str>) -> Postgres {
        if let Ok(url) = std::env::var("REGULARS_TEST_POSTGRES") {
            if !url.is_empty() {
                return Postgres { base: url.trim_end_matches('/').to_string(), own: None };
            }
        }
        Postgres::start_own_keeping(durable, memory)
    }

    /// A cluster of this test's own whatever the environment says (a test that stops it).
    pub fn start_own(durable: bool) -> Postgres {
        Postgres::start_own_keeping(durable, None)
    }

    fn start_own_keeping(durable: bool, memory: Option<&str>) -> Postgres {
        let bin = bin_dir();
        let root = is_root();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        if root {
            // initdb refuses to run as root: the cluster is the packages' postgres user's.
            assert!(Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().unwrap().success());
        }
        let out = as_owner(root, &bin.join("initdb"))
            .args(["-A", "trust", "-U", "regulars", "-E", "UTF8", "--no-locale", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let fsync = if durable { "on" } else { "off" };
        let mut options = format!("-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync={fsync} -c max_connections=40");
        if let Some(memory) = memory {
            options.push_str(&format!(" -c shared_buffers={memory}"));
        }
        let server = Postgres { base: format!("postgres://regulars@127.0.0.1:{port}"), own: Some(Cluster { dir, bin, root, options }) };
        server.resume();
        server
    }

    /// Stops this test's own server at once, as a crash or a pulled cable would (its data stays).
    pub fn pause(&self) {
        let c = self.own.as_ref().expect("only a server of the test's own can be paused");
        let out = as_owner(c.root, &c.bin.join("pg_ctl")).args(["-m", "immediate", "-w", "-D"]).arg(c.dir.path().join("data")).arg("stop").output().unwrap();
        assert!(out.status.success(), "PostgreSQL did not stop: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Starts this test's own server (again), on the same port, and waits until it answers.
    pub fn resume(&self) {
        let c = self.own.as_ref().expect("only a server of the test's own can be started");
        let out = as_owner(c.root, &c.bin.join("pg_ctl"))
            .args(["-w", "-t", "30", "-D"])
            .arg(c.dir.path().join("data"))
            .arg("-l")
            .arg(c.dir.path().join("log"))
            .args(["-o", &c.options, "start"])
            .output()
            .unwrap();
        let log = || std::fs::read_to_string(c.dir.path().join("log")).unwrap_or_default();
        assert!(out.status.success(), "PostgreSQL did not start: {}\n{}", String::from_utf8_lossy(&out.stderr), log());
        let port: u16 = self.base.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "PostgreSQL does not answer on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A new, empty database on the server: its address.
    pub fn database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("shop_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
        let mut admin = self.admin();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        format!("{}/{name}", self.base)
    }

    /// A plain connection to the server's maintenance database, to look at or spoil what the
    /// tests made.
    pub fn admin(&self) -> postgres::Client {
        postgres::Client::connect(&format!("{}/postgres", self.base), postgres::NoTls).unwrap()
    }

    pub fn connect(&self, url: &str) -> postgres::Client {
        postgres::Client::connect(url, postgres::NoTls).unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(c) = &self.own {
            let _ = as_owner(c.root, &c.bin.join("pg_ctl")).args(["-m", "immediate", "-w", "-D"]).arg(c.dir.path().join("data")).arg("stop").output();
        }
    }
}

/// The server's programs: Debian keeps them in /usr/lib/postgresql/VERSION/bin (the newest wins),
/// elsewhere they are on the PATH.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    versions.sort_by_key(|b| b.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0));
    if let Some(newest) = versions.pop() {
        return newest;
    }
    let found = Command::new("sh").args(["-c", "command -v initdb"]).output().ok().filter(|o| o.status.success());
    let path = found.map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())).filter(|p| p.exists());
    let path = path.unwrap_or_else(|| panic!("PostgreSQL is not installed: `apt-get install postgresql` (scripts/setup.sh --test does)"));
    path.parent().map(Path::to_path_buf).unwrap()
}

fn as_owner(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}
