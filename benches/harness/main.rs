//! The one benchmark harness: generates deterministic shops of 10,000, 100,000 and 1,000,000
//! customers (with touchpoints and purchases), runs every benchmark on them beside the tools a
//! user would otherwise reach for (sqlite3, openpyxl, vaderSentiment) when they are installed, and
//! writes the results, with the machine, into `BENCHMARKS.md`.
//!
//! `./scripts/bench.sh` runs it (it first builds the release app for the launch figures).
//! Environment: `REGULARS_BENCH_SIZES=10000,100000` (default 10k, 100k, 1M), `REGULARS_BENCH_RUNS`
//! (default 3), `REGULARS_BENCH_ONLY=import,search,duplicates,conversations,followups,share,clients,sentiment,app` (default all),
//! `REGULARS_BENCH_OUT` (default `BENCHMARKS.md` in the workspace; `-` prints it instead).

mod clients;
mod data;
mod report;
#[allow(dead_code)]
#[path = "../../tests/common/pg_server.rs"]
mod pg_server;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use regulars::import::{self, Options};
use regulars::normalize::Region;
use regulars::sentiment::{self, evaluation};
use regulars::{followups, insight, search, segments, Store};
use report::{Line, Peer, Stats, Unit};

const NOW: &str = "2026-11-24T10:00:00Z";

struct Bench {
    runs: usize,
    only: Vec<String>,
    dir: PathBuf,
    lines: Vec<Line>,
    /// Markdown added after the tables (the sentiment accuracy table).
    notes: String,
}

impl Bench {
    fn wants(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == section)
    }
    fn push(&mut self, line: Line) {
        eprintln!("  {} · {} · {}", line.what, line.size.map_or("–".into(), report::size_name), line.ours.cell().replace("**", ""));
        self.lines.push(line);
    }
}

fn env_list(name: &str) -> Option<Vec<String>> {
    std::env::var(name).ok().filter(|s| !s.is_empty()).map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
}

fn on_path(program: &str) -> bool {
    find_on_path(program).is_some()
}

/// Where `program` is on the PATH.
fn find_on_path(program: &str) -> Option<PathBuf> {
    let out = Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().ok().filter(|o| o.status.success())?;
    Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Drops the system's cache of files (possible as root only), so what is read next comes from
/// disk. Whether it did.
fn drop_system_cache() -> bool {
    Command::new("sh").args(["-c", "sync && echo 1 > /proc/sys/vm/drop_caches"]).status().is_ok_and(|s| s.success())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child-import") {
        return child_import(&args[i + 1], &args[i + 2]);
    }
    if let Some(i) = args.iter().position(|a| a == "--child-conversations") {
        return child_conversations(&args[i + 1], &args[i + 2]);
    }
    if let Some(i) = args.iter().position(|a| a == "--child-client") {
        let number = |k: usize| args[i + k].parse().expect("a number");
        return clients::child(&args[i + 1], number(2), number(3), number(4) as usize);
    }
    if let Some(i) = args.iter().position(|a| a == "--child-undo") {
        return child_undo(&args[i + 1]);
    }
    // The generated customer CSV alone, for profiling an import by hand: `--write-csv N FILE`.
    if let Some(i) = args.iter().position(|a| a == "--write-csv") {
        return data::write_csv(Path::new(&args[i + 2]), args[i + 1].parse().expect("a number of rows"));
    }
    let started = Instant::now();
    let sizes: Vec<usize> = env_list("REGULARS_BENCH_SIZES")
        .map(|v| v.iter().filter_map(|s| s.replace('_', "").parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let runs = std::env::var("REGULARS_BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(3usize).max(1);
    // The app is launched on one shop only (REGULARS_BENCH_APP_AT, default 100,000 customers).
    // The sizes the app is launched at (a list: "100000,1000000").
    let app_at: Vec<usize> = std::env::var("REGULARS_BENCH_APP_AT").ok().map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect()).unwrap_or_else(|| vec![100_000, 1_000_000]);
    let keep = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&keep).expect("target/bench");
    let mut bench = Bench { runs, only: env_list("REGULARS_BENCH_ONLY").unwrap_or_default(), dir: keep, lines: Vec::new(), notes: String::new() };

    for &n in &sizes {
        eprintln!("{} customers", report::size_name(n));
        let db = bench.dir.join(format!("shop-{n}.db"));
        if bench.wants("import") || !db.exists() {
            import_csv(&mut bench, n, &db);
        }
        if bench.wants("import") {
            import_xlsx(&mut bench, n);
        }
        if bench.wants("search") {
            search_as_you_type(&mut bench, n, &db);
        }
        if bench.wants("duplicates") {
            duplicates(&mut bench, n, &db);
        }
        if bench.wants("conversations") {
            conversations(&mut bench, n);
        }
        if bench.wants("followups") || bench.wants("app") || bench.wants("share") || bench.wants("clients") {
            add_activity(n, &db);
        }
        if bench.wants("followups") {
            follow_ups(&mut bench, n, &db);
        }
        if bench.wants("share") && n <= 100_000 {
            share(&mut bench, n, &db);
        }
        // Ten people for a minute (REGULARS_BENCH_CLIENT_SECONDS), at 100k customers.
        if bench.wants("clients") && n == 100_000 {
            let seconds = std::env::var("REGULARS_BENCH_CLIENT_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
            if seconds > 0 {
                clients::clients(&mut bench, n, &db, seconds);
            }
        }
        // The customer CSV imported into a shop on the server (REGULARS_BENCH_PG_IMPORT: at which
        // sizes, default 100,000; "0" for none).
        let pg_import: Vec<usize> = env_list("REGULARS_BENCH_PG_IMPORT").map(|v| v.iter().filter_map(|s| s.parse().ok()).collect()).unwrap_or_else(|| vec![100_000]);
        if bench.wants("clients") && pg_import.contains(&n) {
            clients::import_into_server(&mut bench, n);
        }
        if bench.wants("app") && app_at.contains(&n) {
            app_launch(&mut bench, n, &db);
        }
    }
    if bench.wants("sentiment") {
        sentiment_sets(&mut bench);
    }

    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let md = report::markdown(&bench.lines, &sizes, &report::machine(), &date, started.elapsed().as_secs_f64()) + &bench.notes;
    let out = std::env::var("REGULARS_BENCH_OUT").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md").into());
    if out == "-" {
        println!("{md}");
    } else {
        std::fs::write(&out, md).expect("write BENCHMARKS.md");
        eprintln!("wrote {out}");
    }
}

/// Runs in a child process: imports a file into a fresh database and prints the seconds it took
/// and the process's peak resident memory in bytes.
fn child_import(file: &str, db: &str) {
    let _ = std::fs::remove_file(db);
    let mut store = Store::open(Path::new(db)).expect("database");
    let options = Options { region: Region::parse("GB").unwrap(), phones_as: None, sheet: None, mapping: Vec::new(), dry_run: false };
    let started = Instant::now();
    let report = import::run(&mut store, Path::new(file), &options, NOW.parse().unwrap(), &mut |_| true).expect("import");
    let took = started.elapsed().as_secs_f64();
    println!("{took} {} {} {}", peak_bytes(), report.counts.created, report.counts.merged);
}

/// Runs in a child process: imports the conversations in a file into a fresh database (the
/// florist's shop, one customer) and prints the seconds it took, the peak memory and the messages added.
fn child_conversations(file: &str, db: &str) {
    let _ = std::fs::remove_file(db);
    let mut store = Store::open(Path::new(db)).expect("database");
    regulars::settings::set(&mut store, "shop_name", "Bloom & Twine").expect("name");
    regulars::settings::set(&mut store, "time_zone", "UTC").expect("zone");
    let region = Region::parse("US").unwrap();
    let change = regulars::customers::Change { now: NOW.parse().unwrap(), region, source: "bench".into() };
    let draft = regulars::model::CustomerDraft { first_name: "Dana".into(), last_name: "Whitfield".into(), ..Default::default() };
    regulars::customers::create(&mut store, &draft, &change).expect("customer");
    let started = Instant::now();
    let report = regulars::conversations::import(&mut store, Path::new(file), &change, false).expect("import");
    let took = started.elapsed().as_secs_f64();
    println!("{took} {} {}", peak_bytes(), report.records.added);
}

/// The whole list of possible duplicates of the imported shop (one in fifty customers shares a
/// name with another; many share first names and surnames).
fn duplicates(bench: &mut Bench, n: usize, db: &Path) {
    let store = Store::open(db).expect("the imported shop");
    let mut groups = 0;
    let times = timed_peer(bench.runs, || {
        groups = regulars::duplicates::find(&store).expect("duplicates").len();
        true
    })
    .unwrap_or_default();
    let ours = Stats::new(Unit::Seconds, times);
    bench.push(Line {
        section: "Finding possible duplicates (blocking by mailbox, phone, handle, address and name; every pair in a block weighed)",
        what: format!("the whole list ({groups} groups)"),
        size: Some(n),
        met: (n == 100_000).then(|| ours.median() < 2.0),
        ours,
        peer: Peer::None,
        goal: if n == 100_000 { "under 2 s".into() } else { String::new() },
    });
}

/// A WhatsApp chat and a Gmail mbox of `n` messages each, imported in a child process.
fn conversations(bench: &mut Bench, n: usize) {
    const SECTION: &str = "Importing conversations (every message checked, linked, replies matched; one transaction)";
    let sources: [(&str, &str, fn(&Path, usize)); 2] = [("WhatsApp chat", "txt", data::write_whatsapp), ("Gmail mbox", "mbox", data::write_mbox)];
    for (what, ext, write) in sources {
        let file = bench.dir.join(format!("conversations-{n}.{ext}"));
        write(&file, n);
        let megabytes = std::fs::metadata(&file).map(|m| m.len() as f64 / (1 << 20) as f64).unwrap_or(0.0);
        let db = bench.dir.join("conversations.db");
        let (times, peaks, rest) = child_runs("--child-conversations", &file, &db, bench.runs, 1);
        let added = &rest[0];
        let peak = Stats::new(Unit::Bytes, peaks);
        bench.push(Line {
            section: SECTION,
            what: format!("{what} of {:.0} MB, end to end ({added} messages added; peak memory {:.0} MB)", megabytes.max(1.0), peak.median() / (1 << 20) as f64),
            size: Some(n),
            ours: Stats::new(Unit::Seconds, times),
            peer: Peer::None,
            goal: String::new(),
            met: None,
        });
        bench.push(Line {
            section: SECTION,
            what: format!("{what}, peak memory of the process"),
            size: Some(n),
            met: (n >= 1_000_000).then(|| peak.median() < 200.0 * (1 << 20) as f64),
            ours: peak,
            peer: Peer::None,
            goal: if n >= 1_000_000 { "under 200 MB, as the customer import".into() } else { String::new() },
        });
        let _ = std::fs::remove_file(&file);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let _ = std::fs::remove_dir_all(regulars::backup::folder(&db));
    }
}

/// The shop (with its activity) moved into a PostgreSQL server on this machine (its own cluster,
/// syncing what it commits, with 1 GB of cache) and back into a new file, `runs` times each into a
/// fresh database.
fn share(bench: &mut Bench, n: usize, db: &Path) {
    const SECTION: &str = "A shop on more than one computer (PostgreSQL 15 on this machine, over the loopback)";
    let server = pg_server::Postgres::start_keeping(true, Some("1GB"));
    let store = Store::open(db).expect("the shop");
    let (mut to, mut back, mut rows, mut words, mut searches) = (Vec::new(), Vec::new(), 0, Vec::new(), Vec::new());
    let region = Region::parse("GB").unwrap();
    for run in 0..bench.runs {
        let url = server.database();
        let mut pg = regulars::store::postgres::PgStore::connect(&url).expect("connect");
        let started = Instant::now();
        let moved = store.copy_to_postgres(&mut pg).expect("share --to");
        to.push(started.elapsed().as_secs_f64());
        rows = moved.iter().map(|t| t.to).sum::<u64>();
        if run == 0 {
            // Used there: its search words made at the first opening, then searched as in the file.
            let mut shared = Store::open_shared(&url).expect("the shared shop");
            let started = Instant::now();
            regulars::customers::refresh_search_words(&mut shared).expect("search words");
            words.push(started.elapsed().as_secs_f64());
            // As the app does at launch, in the background, before anyone types.
            shared.db().warm_search().expect("warm the search words");
            for (_, queries) in data::queries(n) {
                for q in queries {
                    let started = Instant::now();
                    std::hint::black_box(search::search(&shared, &q, 100, region).expect("search"));
                    searches.push(started.elapsed().as_secs_f64());
                }
            }
        }
        let file = bench.dir.join("share-back.db");
        let started = Instant::now();
        regulars::share::back(&mut pg, &file).expect("share --back");
        back.push(started.elapsed().as_secs_f64());
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
    for (what, times) in [
        (format!("the shop moved into PostgreSQL (`share --to`: {rows} rows in one transaction, counted on both sides)"), to),
        ("brought back into a new file (`share --back`, its search words made)".to_string(), back),
    ] {
        bench.push(Line { section: SECTION, what, size: Some(n), ours: Stats::new(Unit::Seconds, times), peer: Peer::None, goal: String::new(), met: None });
    }
    let what = "its search words made there, at the first opening (one run)".to_string();
    bench.push(Line { section: SECTION, what, size: Some(n), ours: Stats::new(Unit::Seconds, words), peer: Peer::None, goal: String::new(), met: None });
    let ours = Stats::new(Unit::Latency, searches);
    let (goal, met) = if n == 100_000 { ("p99 under 5 ms", Some(ours.at(0.99) < 0.005)) } else { ("", None) };
    let what = "search as you type on the shared shop (the same queries as the file's)".to_string();
    bench.push(Line { section: SECTION, what, size: Some(n), ours, peer: Peer::None, goal: goal.into(), met });
}

/// Runs in a child process: undoes import #1 of `db` and prints the seconds it took and the
/// process's peak resident memory in bytes.
fn child_undo(db: &str) {
    let mut store = Store::open(Path::new(db)).expect("database");
    let started = Instant::now();
    let undone = import::undo(&mut store, 1, NOW.parse().unwrap(), Region::parse("GB").unwrap()).expect("undo");
    let took = started.elapsed().as_secs_f64();
    println!("{took} {} {}", peak_bytes(), undone.removed);
}

/// The process's peak resident memory (Linux; 0 elsewhere).
fn peak_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: u64 = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0);
    kb * 1024
}

/// Undoes the import in `db` (a copy each run), in a child process: (seconds, peak bytes).
fn undo_runs(db: &Path, scratch: &Path, runs: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut times, mut peaks) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        std::fs::copy(db, scratch).expect("a copy of the imported shop");
        let out = Command::new(std::env::current_exe().unwrap()).args(["--child-undo", scratch.to_str().unwrap()]).output().expect("child undo");
        let text = String::from_utf8_lossy(&out.stdout);
        let parts: Vec<&str> = text.split_whitespace().collect();
        assert!(out.status.success() && parts.len() == 3, "undo failed: {}", String::from_utf8_lossy(&out.stderr));
        times.push(parts[0].parse().unwrap());
        peaks.push(parts[1].parse().unwrap());
        let _ = std::fs::remove_dir_all(regulars::backup::folder(scratch));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
        }
    }
    (times, peaks)
}

/// Runs this harness as a child with `flag FILE DB`, `runs` times: the seconds and peak bytes of
/// each run, and the rest of the last run's answer (its counts).
fn child_runs(flag: &str, file: &Path, db: &Path, runs: usize, counts: usize) -> (Vec<f64>, Vec<f64>, Vec<String>) {
    let (mut times, mut peaks, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let out = Command::new(std::env::current_exe().unwrap()).args([flag, file.to_str().unwrap(), db.to_str().unwrap()]).output().expect("child import");
        let text = String::from_utf8_lossy(&out.stdout);
        let parts: Vec<&str> = text.split_whitespace().collect();
        assert!(out.status.success() && parts.len() == 2 + counts, "import failed: {}", String::from_utf8_lossy(&out.stderr));
        times.push(parts[0].parse().unwrap());
        peaks.push(parts[1].parse().unwrap());
        rest = parts[2..].iter().map(|p| p.to_string()).collect();
    }
    (times, peaks, rest)
}

/// Imports `file` into `db` in a child process, `runs` times: (seconds, peak bytes) of each run.
fn import_runs(file: &Path, db: &Path, runs: usize) -> (Vec<f64>, Vec<f64>, String) {
    let (times, peaks, rest) = child_runs("--child-import", file, db, runs, 2);
    (times, peaks, format!("{} created, {} merged", rest[0], rest[1]))
}

fn timed_peer(runs: usize, mut once: impl FnMut() -> bool) -> Option<Vec<f64>> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        if !once() {
            return None;
        }
        times.push(started.elapsed().as_secs_f64());
    }
    Some(times)
}

/// SQLite doing the import's work in SQL alone (`same_work.sql`, which says what it leaves out),
/// timed from reading the file to the commit, on a database with Regulars' schema made beforehand
/// (untimed, as the import's database is made before it is timed too).
fn same_work_runs(csv: &Path, dir: &Path, runs: usize) -> Option<Vec<f64>> {
    let db = dir.join("same-work.db");
    let script = include_str!("same_work.sql").replace("{csv}", &csv.display().to_string().replace('\'', "''"));
    let mut times = Vec::new();
    for _ in 0..runs {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        // Regulars' schema; the import drops the triggers that note changed customers inside its
        // transaction, so they are left out here.
        drop(Store::open(&db).expect("the schema"));
        let conn = rusqlite::Connection::open(&db).ok()?;
        rusqlite::vtab::csvtab::load_module(&conn).ok()?;
        let triggers: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND substr(name, -6) = '_noted'")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .ok()?;
        for t in triggers {
            conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).ok()?;
        }
        let started = Instant::now();
        if let Err(e) = conn.execute_batch(&script) {
            eprintln!("  same_work.sql failed: {e}");
            return None;
        }
        times.push(started.elapsed().as_secs_f64());
    }
    Some(times)
}

/// Imports the generated CSV (each run into a fresh file) beside its peers, then undoes it. The
/// shop the later sections work on is the import's result: kept from an earlier run of the same
/// generator when there is one (at a million customers its activity takes a quarter of an hour to
/// add), made from this run's import otherwise. At a million the imports run once each.
fn import_csv(bench: &mut Bench, n: usize, shop: &Path) {
    let csv = bench.dir.join(format!("customers-{n}.csv"));
    data::write_csv(&csv, n);
    let db = &bench.dir.join(format!("import-{n}.db"));
    let runs = if n >= 1_000_000 { 1 } else { bench.runs };
    let (times, peaks, counts) = import_runs(&csv, db, runs);
    let raw = bench.dir.join("sqlite3-import.db");
    let peer = if on_path("sqlite3") {
        let runs = timed_peer(runs, || {
            let _ = std::fs::remove_file(&raw);
            Command::new("sqlite3").arg(&raw).arg(format!(".import --csv {} customers", csv.display())).status().is_ok_and(|s| s.success())
        });
        runs.map_or(Peer::Missing("sqlite3 failed".into()), |t| Peer::Ran { name: "`sqlite3 .import`".into(), stats: Stats::new(Unit::Seconds, t) })
    } else {
        Peer::Missing("sqlite3 is not installed".into())
    };
    let _ = std::fs::remove_file(&raw);
    let ours = Stats::new(Unit::Seconds, times.clone());
    let mut line = Line {
        section: "Importing a customer CSV (20 columns; normalised, de-duplicated, indexed for search)",
        what: format!("CSV import, end to end ({counts})"),
        size: Some(n),
        ours,
        peer,
        goal: "at most 3x sqlite3".into(),
        met: None,
    };
    line.met = line.ratio().map(|r| r <= 3.0);
    if n == 100_000 {
        line.goal = "under 1 s and at most 3x sqlite3".into();
        line.met = Some(line.ours.median() < 1.0 && line.met.unwrap_or(true));
    }
    bench.push(line);
    // Beside SQLite doing the same work (`same_work.sql`): the fair limit issue 19 asked for.
    let peer = match same_work_runs(&csv, &bench.dir, runs) {
        Some(t) => Peer::Ran { name: "the same work in SQL (`same_work.sql`)".into(), stats: Stats::new(Unit::Seconds, t) },
        None => Peer::Missing("same_work.sql failed".into()),
    };
    let mut line = Line {
        section: "Importing a customer CSV (20 columns; normalised, de-duplicated, indexed for search)",
        what: "CSV import, beside the same work in SQL".into(),
        size: Some(n),
        ours: Stats::new(Unit::Seconds, times.clone()),
        peer,
        goal: if n == 100_000 { "at most 1.5x".into() } else { String::new() },
        met: None,
    };
    line.met = line.ratio().filter(|_| n == 100_000).map(|r| r <= 1.5);
    bench.push(line);
    bench.push(Line {
        section: "Importing a customer CSV (20 columns; normalised, de-duplicated, indexed for search)",
        what: "CSV import, peak memory of the process".into(),
        size: Some(n),
        ours: Stats::new(Unit::Bytes, peaks.clone()),
        peer: Peer::None,
        goal: if n >= 1_000_000 { "under 200 MB".into() } else { String::new() },
        met: (n >= 1_000_000).then(|| Stats::new(Unit::Bytes, peaks.clone()).median() < 200.0 * (1 << 20) as f64),
    });
    // Undoing it: every customer it created removed, beside the import itself.
    let (undo_times, undo_peaks) = undo_runs(db, &bench.dir.join("undo-scratch.db"), runs);
    let mut line = Line {
        section: "Importing a customer CSV (20 columns; normalised, de-duplicated, indexed for search)",
        what: "Undoing that import (every customer it created removed; its backup first)".into(),
        size: Some(n),
        ours: Stats::new(Unit::Seconds, undo_times),
        peer: Peer::Ran { name: "the import itself".into(), stats: Stats::new(Unit::Seconds, times) },
        goal: "as fast as the import (at most 1.2x)".into(),
        met: None,
    };
    line.met = line.ratio().map(|r| r <= 1.2);
    bench.push(line);
    let import_peak = Stats::new(Unit::Bytes, peaks).median();
    let undo_peak = Stats::new(Unit::Bytes, undo_peaks);
    bench.push(Line {
        section: "Importing a customer CSV (20 columns; normalised, de-duplicated, indexed for search)",
        what: "Undoing that import, peak memory of the process".into(),
        size: Some(n),
        met: Some(undo_peak.median() <= import_peak * 1.1),
        ours: undo_peak,
        peer: Peer::None,
        goal: format!("no more than the import's ({:.0} MB)", import_peak / (1 << 20) as f64),
    });
    let _ = std::fs::remove_file(&csv);
    let kept = shop.exists();
    if !kept {
        let _ = std::fs::remove_file(shop.with_extension("activity"));
    }
    for suffix in ["", "-wal", "-shm"] {
        let (from, to) = (format!("{}{suffix}", db.display()), format!("{}{suffix}", shop.display()));
        let _ = if kept { std::fs::remove_file(from) } else { std::fs::rename(from, to) };
    }
    let _ = std::fs::remove_dir_all(regulars::backup::folder(db));
}

const OPENPYXL: &str = r#"
import sqlite3, sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True)
rows = book.worksheets[0].iter_rows(values_only=True)
header = next(rows)
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE customers (%s)" % ", ".join('"c%d"' % i for i in range(len(header))))
db.executemany("INSERT INTO customers VALUES (%s)" % ", ".join("?" * len(header)), rows)
db.commit()
"#;

fn import_xlsx(bench: &mut Bench, n: usize) {
    let xlsx = bench.dir.join(format!("customers-{n}.xlsx"));
    data::write_xlsx(&xlsx, n);
    let scratch = bench.dir.join("xlsx-import.db");
    // At a million, once each (as the CSV import).
    let runs = if n >= 1_000_000 { 1 } else { bench.runs };
    let (times, peaks, counts) = import_runs(&xlsx, &scratch, runs);
    let has_openpyxl = Command::new("python3").args(["-c", "import openpyxl"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    let peer = if has_openpyxl {
        let script = bench.dir.join("openpyxl_import.py");
        std::fs::write(&script, OPENPYXL).expect("script");
        let py_db = bench.dir.join("openpyxl.db");
        let runs = timed_peer(runs, || {
            let _ = std::fs::remove_file(&py_db);
            Command::new("python3").arg(&script).arg(&xlsx).arg(&py_db).status().is_ok_and(|s| s.success())
        });
        let _ = std::fs::remove_file(&py_db);
        runs.map_or(Peer::Missing("openpyxl failed".into()), |t| Peer::Ran { name: "openpyxl (read-only) + inserts".into(), stats: Stats::new(Unit::Seconds, t) })
    } else {
        Peer::Missing("openpyxl is not installed (`pip install openpyxl`)".into())
    };
    let mut line = Line {
        section: "Importing a workbook (XLSX, 10 columns; numbers and dates as cells)",
        what: format!("XLSX import, end to end ({counts}; peak memory {:.0} MB)", Stats::new(Unit::Bytes, peaks).median() / (1 << 20) as f64),
        size: Some(n),
        ours: Stats::new(Unit::Seconds, times),
        peer,
        goal: "at least 10x faster than openpyxl".into(),
        met: None,
    };
    line.met = line.ratio().map(|r| r <= 0.1);
    bench.push(line);
    let _ = std::fs::remove_file(&scratch);
    let _ = std::fs::remove_file(&xlsx);
}

fn search_as_you_type(bench: &mut Bench, n: usize, db: &Path) {
    // As the app runs it: at launch, a background thread reads the search index into the cache
    // (`Db::warm_search`) before anyone types. That read is timed from a cold file: the
    // system's cache is dropped first when the harness may (as root), and the line says so.
    let dropped = drop_system_cache();
    let store = Store::open(db).expect("open");
    let started = Instant::now();
    let bytes = store.db().warm_search().expect("warm the search index");
    bench.push(Line {
        section: "Search as you type (1 to 6 characters: names, phone fragments, @handles, emails; 100 results)",
        what: format!(
            "the app's launch-time read of the search index, in the background ({} MB{})",
            bytes >> 20,
            if dropped { ", from a cold file" } else { "; the system cache could not be dropped" }
        ),
        size: Some(n),
        ours: Stats::new(Unit::Seconds, vec![started.elapsed().as_secs_f64()]),
        peer: Peer::None,
        goal: String::new(),
        met: None,
    });
    let region = Region::parse("GB").unwrap();
    let mut all = Vec::new();
    for (_, queries) in data::queries(n) {
        for q in queries {
            let started = Instant::now();
            std::hint::black_box(search::search(&store, &q, 100, region).expect("search"));
            all.push(started.elapsed().as_secs_f64());
        }
    }
    let ours = Stats::new(Unit::Latency, all);
    let (goal, met) = match n {
        100_000 => ("p99 under 5 ms", Some(ours.at(0.99) < 0.005)),
        1_000_000 => ("p99 under 20 ms", Some(ours.at(0.99) < 0.020)),
        _ => ("", None),
    };
    bench.push(Line {
        section: "Search as you type (1 to 6 characters: names, phone fragments, @handles, emails; 100 results)",
        what: "search (after the launch-time read)".into(),
        size: Some(n),
        ours,
        peer: Peer::None,
        goal: goal.into(),
        met,
    });
}

/// Touchpoints and purchases for every customer (built once; not a benchmark of its own).
fn add_activity(n: usize, db: &Path) {
    let marker = db.with_extension("activity");
    if marker.exists() {
        return;
    }
    let mut store = Store::open(db).expect("open");
    let mut ids = Vec::with_capacity(n);
    let mut after = None;
    loop {
        let page = store.db().ids_after(after.clone(), 10_000).expect("ids");
        let Some(last) = page.last().cloned() else { break };
        ids.extend(page.iter().map(|(_, id)| *id));
        after = Some(last);
    }
    let started = Instant::now();
    regulars::demo::activity_at_scale(&mut store, &ids, n * data::PURCHASES_PER_CUSTOMER, n * data::TOUCHPOINTS_PER_CUSTOMER, 42, NOW.parse().unwrap())
        .expect("activity");
    eprintln!("  activity for {} customers added in {:.0} s", ids.len(), started.elapsed().as_secs_f64());
    // A returning owner: the app opens on Today, not on the first-run screen.
    store
        .write(|w| ["country=GB", "shop_name=The Bench Shop", "onboarded=true"].iter().try_for_each(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            w.set_setting(k, v)
        }))
        .expect("settings");
    std::fs::write(marker, "").expect("marker");
}

fn follow_ups(bench: &mut Bench, n: usize, db: &Path) {
    let now = NOW.parse().unwrap();
    let section = "Follow-ups (value, role and labels for every customer, and every suggestion)";
    let runs = bench.runs;
    let time = |f: &mut dyn FnMut()| {
        let mut t = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            f();
            t.push(started.elapsed().as_secs_f64());
        }
        Stats::new(Unit::Seconds, t)
    };
    let insight = time(&mut || {
        insight::compute(&Store::open(db).expect("open"), now).expect("insight");
    });
    bench.push(Line { section, what: "value, role and labels for every customer (fresh connection)".into(), size: Some(n), ours: insight, peer: Peer::None, goal: String::new(), met: None });
    let today = |store: &mut Store| {
        followups::suggest(store, now, 50).expect("suggest");
        segments::list(store, now).expect("segments");
    };
    let full = time(&mut || today(&mut Store::open(db).expect("open")));
    let met = (n == 100_000).then(|| full.median() < 1.0);
    bench.push(Line {
        section,
        what: "full recompute: every suggestion and label, the first 50 handed out, segment counts".into(),
        size: Some(n),
        ours: full,
        peer: Peer::None,
        goal: if n == 100_000 { "under 1 s".into() } else { String::new() },
        met,
    });
    let mut store = Store::open(db).expect("open");
    today(&mut store);
    let warm = time(&mut || today(&mut store));
    bench.push(Line { section, what: "Today screen again, nothing changed".into(), size: Some(n), ours: warm, peer: Peer::None, goal: String::new(), met: None });
    // One change by the owner (a comment logged for a customer), then Today again: the insight is
    // brought up to date for that customer, not computed afresh.
    let ids = store.db().ids_after(None, 1_000).expect("ids");
    let change = regulars::customers::Change { now, region: Region::parse("GB").unwrap(), source: "bench".into() };
    let mut k = 0;
    let after_change = time(&mut || {
        k += 1;
        let draft = regulars::model::TouchpointDraft {
            customer_id: Some(ids[(k * 37) % ids.len()].1),
            channel: "instagram".into(),
            kind: "comment".into(),
            // A text of its own each time (the shop is kept between runs of the harness): the same
            // message logged again is the same message, and changes nothing.
            text: format!("Lovely, thank you ({k}, {})", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
            at: now.to_rfc3339(),
            ..Default::default()
        };
        regulars::touchpoints::add(&mut store, &draft, &change).expect("log");
        today(&mut store);
    });
    let met = (n == 1_000_000).then(|| after_change.median() < 0.2);
    bench.push(Line {
        section,
        what: "Today after one change (a comment logged for one customer)".into(),
        size: Some(n),
        ours: after_change,
        peer: Peer::None,
        goal: if n == 1_000_000 { "under 200 ms".into() } else { String::new() },
        met,
    });
    // A sale moves the shop-wide figures (the quintiles, the usual interval), so that every
    // customer's suggestions are made again from what is kept.
    let after_sale = time(&mut || {
        k += 1;
        let draft = regulars::model::PurchaseDraft {
            customer_id: Some(ids[(k * 41) % ids.len()].1),
            at: now.to_rfc3339(),
            amount: format!("{}.{:02}", 20 + k % 50, chrono::Utc::now().timestamp_subsec_nanos() % 100),
            external_id: format!("bench-{k}-{}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
            ..Default::default()
        };
        regulars::purchases::add(&mut store, &draft, &change).expect("sale");
        today(&mut store);
    });
    bench.push(Line {
        section,
        what: "Today after a sale (the shop-wide figures move: everyone's suggestions made again)".into(),
        size: Some(n),
        ours: after_sale,
        peer: Peer::None,
        goal: String::new(),
        met: None,
    });
}

fn sentiment_sets(bench: &mut Bench) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sentiment");
    /// VADER 3.3.2's figures under the sets' protocol (from their README): r, weighted F1, macro F1, accuracy.
    const REFERENCE: &[(&str, [f64; 4])] = &[
        ("tweets", [0.872, 0.877, 0.726, 0.885]),
        ("movie_reviews", [0.427, 0.580, 0.408, 0.553]),
        ("news_editorials", [0.503, 0.548, 0.537, 0.540]),
        // Product reviews, measured the same way with vaderSentiment 3.3.2 (see the folder's README).
        ("heldout/product_reviews", [0.590, 0.608, 0.533, 0.591]),
    ];
    let mut texts = Vec::new();
    let mut table = String::from(
        "## Sentiment accuracy\n\nThe human-rated sets in `tests/data/sentiment/` under their fixed protocol; \
         VADER's reference figures in brackets.\n\n| set | snippets | Pearson r | weighted F1 | macro F1 | accuracy |\n|---|---|---|---|---|---|\n",
    );
    for (name, reference) in REFERENCE {
        if let Ok(content) = std::fs::read_to_string(dir.join(format!("{name}.tsv"))) {
            let (rated, _) = evaluation::parse_tsv(&content);
            let predicted: Vec<f64> = rated.iter().map(|r| sentiment::score(&r.text).compound).collect();
            let f = evaluation::figures(&rated, &predicted);
            let _ = writeln!(
                table,
                "| {name} | {} | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.3} ({:.3}) |",
                f.count, f.pearson_r, reference[0], f.weighted_f1, reference[1], f.macro_f1, reference[2], f.accuracy, reference[3]
            );
            if name.starts_with("heldout/") {
                // Its halves: the products whose snippets were read while the product vocabulary
                // was written (odd numbers) and those never read (even), with VADER's figures.
                let product = |l: &str| l.split('_').next().and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
                let products: Vec<u32> = content.lines().map(product).collect();
                for (odd, what, vader) in [(1, "studied", [0.596, 0.625]), (0, "never read", [0.582, 0.592])] {
                    let h = evaluation::figures_where(&rated, &predicted, |i| products.get(i).is_some_and(|p| p % 2 == odd));
                    let _ = writeln!(table, "| {name}, {what} half | {} | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.3} | {:.3} |", h.count, h.pearson_r, vader[0], h.weighted_f1, vader[1], h.macro_f1, h.accuracy);
                }
            }
            texts.extend(rated.into_iter().map(|r| r.text));
        }
    }
    bench.notes.push_str(&table);
    if texts.is_empty() {
        eprintln!("  sentiment: tests/data/sentiment is missing; skipped");
        return;
    }
    let _ = sentiment::score("warm up");
    let ours: Vec<f64> = (0..bench.runs.max(3))
        .map(|_| {
            let started = Instant::now();
            for t in &texts {
                std::hint::black_box(sentiment::score(t));
            }
            started.elapsed().as_secs_f64() / texts.len() as f64
        })
        .collect();
    let peer = match python_vader(&texts, bench.runs) {
        Ok(t) => Peer::Ran { name: "Python vaderSentiment".into(), stats: Stats::new(Unit::Seconds, t) },
        Err(why) => Peer::Missing(why),
    };
    // For information: issue 19 retired the speed goal (accuracy on shop text is what matters).
    bench.push(Line {
        section: "Sentiment (the 23,703 human-rated snippets of the four sets; accuracy below)",
        what: "time per snippet, one core".into(),
        size: None,
        ours: Stats::new(Unit::Seconds, ours),
        peer,
        goal: String::new(),
        met: None,
    });
}

fn python_vader(texts: &[String], runs: usize) -> Result<Vec<f64>, String> {
    let script = format!(
        "import sys,time\nfrom vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as S\n\
         a=S();t=[l.rstrip('\\n') for l in sys.stdin]\nfor r in range({runs}):\n  s=time.perf_counter()\n  \
         for x in t: a.polarity_scores(x)\n  print((time.perf_counter()-s)/len(t))"
    );
    let mut child = Command::new("python3")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| "python3 is not installed".to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(texts.join("\n").as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err("vaderSentiment is not installed (`pip install vaderSentiment==3.3.2`)".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(|s| s.parse().ok()).collect())
}

/// Drops the system's cache (when the harness may, as root) so the first launch reads the shop's
/// file from disk, then reads the programs the launch runs and the libraries they link back into
/// it: a cold WebKitGTK costs about 2 s on this machine's disk whatever the shop, which is the
/// system's, not Regulars', and is measured apart (BENCHMARKS.md). Whether it dropped the cache.
fn cold_database_warm_programs(app: &Path) -> bool {
    let dropped = drop_system_cache();
    let webkit = Path::new("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1");
    let mut programs = vec![app.to_path_buf()];
    programs.extend(["tauri-driver", "WebKitWebDriver"].into_iter().filter_map(find_on_path));
    programs.extend(std::fs::read_dir(webkit).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_file()));
    let mut files = programs.clone();
    for program in &programs {
        // `ldd` lines: "libx.so.1 => /usr/lib/…/libx.so.1 (0x…)".
        if let Ok(out) = Command::new("ldd").arg(program).output() {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            files.extend(text.lines().filter_map(|l| l.split("=> ").nth(1)).filter_map(|r| r.split(" (").next()).map(PathBuf::from));
        }
    }
    files.sort();
    files.dedup();
    for file in files {
        let _ = std::fs::read(file);
    }
    dropped
}

/// Launches the release app on the 100k shop through the end-to-end harness (tauri-driver), which
/// writes its figures to a JSON file.
fn app_launch(bench: &mut Bench, n: usize, db: &Path) {
    let section = "The desktop app";
    let app = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/regulars-app");
    let why = if !app.exists() {
        Some("target/release/regulars-app is missing (scripts/bench.sh builds it)")
    } else if !on_path("tauri-driver") || !on_path("WebKitWebDriver") {
        Some("tauri-driver or WebKitWebDriver is missing (scripts/setup.sh --test)")
    } else {
        None
    };
    if let Some(why) = why {
        eprintln!("  app: {why}");
        bench.push(Line { section, what: format!("launch: not measured ({why})"), size: Some(n), ours: Stats::new(Unit::Seconds, vec![f64::NAN]), peer: Peer::None, goal: String::new(), met: None });
        return;
    }
    let out = bench.dir.join("app-launch.json");
    let _ = std::fs::remove_file(&out);
    let cold = cold_database_warm_programs(&app);
    let status = Command::new("cargo")
        .args(["test", "--release", "-p", "regulars-e2e", "--test", "launch", "launch_at_scale", "--", "--ignored", "--exact", "--nocapture"])
        .env("REGULARS_BENCH_APP", &app)
        .env("REGULARS_BENCH_APP_DB", db)
        .env("REGULARS_BENCH_APP_RUNS", bench.runs.to_string())
        .env("REGULARS_BENCH_APP_OUT", &out)
        .status();
    let figures: serde_json::Value = std::fs::read_to_string(&out).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    let list = |key: &str| figures[key].as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect::<Vec<_>>()).unwrap_or_default();
    let (launch, rss, private, private_peak, web) =
        (list("list_seconds"), list("app_peak_bytes"), list("app_private_bytes"), list("app_private_peak_bytes"), list("webview_rss_bytes"));
    let web_own = list("webview_private_bytes");
    if launch.is_empty() {
        eprintln!("  app: the launch test did not report ({status:?})");
        return;
    }
    let launch = Stats::new(Unit::Seconds, launch);
    // The goals: at 100,000 customers a list within a second and each process's own memory under
    // 150 MB (in every run: the slowest and largest run is held to it); at a million, within 2 s
    // and the app's own memory under 1 GB (the web view's is reported there, not judged).
    let (goal, big) = (n == 100_000, n == 1_000_000);
    let met = (goal || big).then(|| launch.max() < if big { 2.0 } else { 1.0 });
    let launch_goal = if goal { "under 1 s".into() } else if big { "under 2 s".into() } else { String::new() };
    let what = if cold {
        "launch to an interactive customer list (the first run on a database file out of the system cache)"
    } else {
        "launch to an interactive customer list (the system cache could not be dropped)"
    };
    bench.push(Line { section, what: what.into(), size: Some(n), ours: launch, peer: Peer::None, goal: launch_goal, met });
    let limit = if big { 1024.0 } else { 150.0 };
    let under_150 = |s: &Stats| (goal || big).then(|| s.max() < limit * (1 << 20) as f64);
    let goal_text = || if goal { "under 150 MB in every run".to_string() } else if big { "under 1 GB in every run".to_string() } else { String::new() };
    if !private.is_empty() {
        let own = Stats::new(Unit::Bytes, private);
        let met = under_150(&own);
        bench.push(Line {
            section,
            what: "memory of the app's Rust process: its own (heap and stacks), settled (8 s after Today's suggestions show)".into(),
            size: Some(n),
            ours: own,
            peer: Peer::None,
            goal: goal_text(),
            met,
        });
    }
    if !private_peak.is_empty() {
        bench.push(Line {
            section,
            what: "its own memory at the highest sample while launching (every 20 ms, until settled)".into(),
            size: Some(n),
            ours: Stats::new(Unit::Bytes, private_peak),
            peer: Peer::None,
            goal: String::new(),
            met: None,
        });
    }
    // Reported beside the goal, not judged (issue 19: the goal is the app's own memory).
    bench.push(Line {
        section,
        what: "peak of all its resident pages (with WebKitGTK and the system libraries it maps from disk; for information)".into(),
        size: Some(n),
        ours: Stats::new(Unit::Bytes, rss),
        peer: Peer::None,
        goal: String::new(),
        met: None,
    });
    if !web_own.is_empty() {
        let own = Stats::new(Unit::Bytes, web_own);
        // Its goal is set at 100,000 customers only; at a million it is reported.
        let met = goal.then(|| own.max() < 150.0 * (1 << 20) as f64);
        let goal_text = if goal { goal_text() } else { String::new() };
        bench.push(Line { section, what: "memory of the web view process (WebKit): its own (heap, JavaScript, the page), settled".into(), size: Some(n), ours: own, peer: Peer::None, goal: goal_text, met });
    }
    if !web.is_empty() {
        bench.push(Line { section, what: "all resident pages of the web view process (with the WebKit and system libraries it maps from disk)".into(), size: Some(n), ours: Stats::new(Unit::Bytes, web), peer: Peer::None, goal: String::new(), met: None });
    }
    // The same app on an empty shop (its first screen), once: what any shop pays before its customers.
    for (key, what) in [
        ("empty_app_private_bytes", "the app's own memory with an empty shop (its first screen, settled)"),
        ("empty_webview_private_bytes", "the web view's own memory with an empty shop"),
        ("empty_app_rss_bytes", "all the app's resident pages with an empty shop"),
    ] {
        let figures = list(key);
        if !figures.is_empty() {
            bench.push(Line { section, what: what.into(), size: Some(n), ours: Stats::new(Unit::Bytes, figures), peer: Peer::None, goal: String::new(), met: None });
        }
    }
}
