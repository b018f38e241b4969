//! Several people at once on one shop: ten client processes against one PostgreSQL server for a
//! minute, each a person's day in miniature (search as they type, open profiles, log messages,
//! answer them, and edit a few customers everyone else is editing too), then the same work by
//! the two app processes one computer can run on a file. Measured: throughput, each operation's
//! p50 and p99, errors, edits that met another's (and were asked about, then made again), every
//! client's memory, and, afterwards, whether any saved edit was lost.
//!
//! Each client is this binary again (`--child-client`), so that its memory is its own. An edit
//! replaces the client's own tag on the customer with a new one no other edit makes; after the run
//! each client's last saved tag on each customer must be there: one missing is a lost update.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regulars::customers::{self, Change, Keep};
use regulars::model::{CustomerDraft, CustomerId, TouchpointDraft};
use regulars::normalize::Region;
use regulars::{search, touchpoints, Store};
use serde_json::{json, Value};

use crate::report::{Line, Peer, Stats, Unit};
use crate::{data, peak_bytes, Bench};

/// How many customers every client edits (so that edits meet): the first live ones.
const HOT: usize = 5;
/// How long a client's form stays open before its edit is saved.
const FORM_OPEN: Duration = Duration::from_millis(20);

const OPERATIONS: [&str; 5] = ["search", "profile", "log", "reply", "edit"];

/// A small deterministic random source (each client its own).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Runs in a child process: one person's work on the shop at `place` for `seconds`; prints what it
/// measured as JSON.
pub fn child(place: &str, seconds: u64, index: u64, customers: usize) {
    let mut store = Store::open(Path::new(place)).expect("the shop");
    let region = Region::parse("GB").unwrap();
    let queries: Vec<String> = data::queries(customers).into_iter().flat_map(|(_, q)| q).collect();
    let change = || Change { now: chrono::Utc::now(), region, source: "bench".into() };
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (index + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut times: BTreeMap<&str, Vec<f64>> = OPERATIONS.iter().map(|o| (*o, Vec::new())).collect();
    let (mut errors, mut collisions, mut saved, mut waiting) = (Vec::<String>::new(), 0u64, 0u64, Vec::new());
    let mut latest: BTreeMap<CustomerId, String> = BTreeMap::new();
    let mine = format!("c{index}-");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    // Customers who are there (an import's merged rows left gaps in the ids): the first few are
    // everyone's, the rest are whom messages come from.
    let live = store.db().live_among(&(1..=3000).collect::<Vec<CustomerId>>()).expect("live customers");
    let (hot, senders) = live.split_at(HOT);
    let mut k = 0u64;
    while Instant::now() < deadline {
        k += 1;
        let roll = dice.next() % 100;
        let op = match roll {
            0..=39 => "search",
            40..=64 => "profile",
            65..=79 => "log",
            80..=89 if !waiting.is_empty() => "reply",
            80..=89 => "log",
            _ => "edit",
        };
        let someone = 1 + (dice.next() % customers as u64) as CustomerId;
        let started = Instant::now();
        let done: regulars::Result<()> = match op {
            "search" => search::search(&store, &queries[(dice.next() % queries.len() as u64) as usize], 100, region).map(|_| ()),
            "profile" => match customers::profile(&store, someone) {
                // A customer merged away or in the trash is a profile that is not there: not an error.
                Err(e) if e.code() == "not_found" => Ok(()),
                other => other.map(|_| ()),
            },
            "log" => {
                let draft = TouchpointDraft {
                    customer_id: Some(senders[(dice.next() % senders.len() as u64) as usize]),
                    channel: "instagram".into(),
                    kind: "question".into(),
                    text: format!("Do you have the blue one in stock? ({index}-{k})"),
                    ..Default::default()
                };
                let c = change();
                store.write(|w| touchpoints::log(w, &draft, &c)).map(|logged| waiting.push(logged.touchpoint.id))
            }
            "reply" => {
                let id = waiting.pop().expect("one waiting");
                let now = chrono::Utc::now();
                touchpoints::reply(&mut store, id, "Yes, in every size: shall we keep one for you?", now, now).map(|_| ())
            }
            _ => {
                let id = hot[(dice.next() % hot.len() as u64) as usize];
                let tag = format!("c{index}-{k}");
                loop {
                    let opened = match customers::get(&store, id) {
                        Ok(c) => c,
                        Err(e) => break Err(e),
                    };
                    std::thread::sleep(FORM_OPEN);
                    let mut draft = CustomerDraft::from(&opened);
                    draft.tags.retain(|t| !t.starts_with(&mine));
                    draft.tags.push(tag.clone());
                    match customers::save_edit(&mut store, id, &draft, &opened, &BTreeMap::<String, Keep>::new(), &change()) {
                        Ok(_) => {
                            saved += 1;
                            latest.insert(id, tag);
                            break Ok(());
                        }
                        // Someone saved the same customer meanwhile: the person is asked, and
                        // makes their change again on what is there now.
                        Err(e) if e.code() == "changed_meanwhile" => collisions += 1,
                        Err(e) => break Err(e),
                    }
                }
            }
        };
        let took = started.elapsed().as_secs_f64() - if op == "edit" { FORM_OPEN.as_secs_f64() } else { 0.0 };
        match done {
            Ok(()) => times.get_mut(op).unwrap().push(took.max(0.0)),
            Err(e) => errors.push(format!("{op}: {e}")),
        }
    }
    let latest: Vec<(CustomerId, String)> = latest.into_iter().collect();
    let out = json!({ "times": times, "errors": errors, "collisions": collisions, "saved": saved, "latest": latest, "peak": peak_bytes() });
    println!("{out}");
}

/// What the clients did together.
struct Run {
    seconds: f64,
    times: BTreeMap<String, Vec<f64>>,
    errors: Vec<String>,
    collisions: u64,
    lost: usize,
    saved: u64,
    peaks: Vec<f64>,
}

/// Starts `clients` clients on `place` for `seconds`, waits for them, and checks afterwards that
/// each client's last saved edit of each customer is there.
fn run(place: &str, clients: u64, seconds: u64, customers: usize) -> Run {
    let me = std::env::current_exe().expect("the harness");
    let started = Instant::now();
    let children: Vec<_> = (0..clients)
        .map(|i| {
            Command::new(&me)
                .args(["--child-client", place, &seconds.to_string(), &i.to_string(), &customers.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .expect("a client")
        })
        .collect();
    let mut run = Run { seconds: 0.0, times: BTreeMap::new(), errors: Vec::new(), collisions: 0, lost: 0, saved: 0, peaks: Vec::new() };
    let mut saved: Vec<(CustomerId, String)> = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("a client's report");
        assert!(out.status.success(), "a client failed");
        let v: Value = serde_json::from_slice(&out.stdout).expect("a client's JSON");
        for (op, list) in v["times"].as_object().unwrap() {
            run.times.entry(op.clone()).or_default().extend(list.as_array().unwrap().iter().filter_map(Value::as_f64));
        }
        run.errors.extend(v["errors"].as_array().unwrap().iter().filter_map(|e| e.as_str().map(str::to_string)));
        run.collisions += v["collisions"].as_u64().unwrap();
        run.peaks.push(v["peak"].as_f64().unwrap());
        run.saved += v["saved"].as_u64().unwrap();
        for pair in v["latest"].as_array().unwrap() {
            saved.push((pair[0].as_i64().unwrap(), pair[1].as_str().unwrap().to_string()));
        }
    }
    run.seconds = started.elapsed().as_secs_f64();
    let store = Store::open(Path::new(place)).expect("the shop, afterwards");
    run.lost = saved.iter().filter(|(id, tag)| !customers::get(&store, *id).expect("a hot customer").tags.contains(tag)).count();
    run
}

/// Ten clients on the shop moved into a server, then two on a copy of its file, `seconds` each.
pub fn clients(bench: &mut Bench, n: usize, db: &Path, seconds: u64) {
    const SECTION: &str = "Several people at once on one shop (a mix of search, profiles, logging, replies and edits that meet)";
    let server = crate::pg_server::Postgres::start_with(true);
    let url = server.database();
    {
        let store = Store::open(db).expect("the shop");
        let mut pg = regulars::store::postgres::PgStore::connect(&url).expect("connect");
        store.copy_to_postgres(&mut pg).expect("share --to");
        let mut shared = Store::open_shared(&url).expect("the shared shop");
        customers::refresh_search_words(&mut shared).expect("search words");
    }
    let file = bench.dir.join("clients.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    std::fs::copy(db, &file).expect("a copy of the shop");
    for (place, clients, name) in [(url.as_str(), 10, "PostgreSQL 15 on this machine"), (file.to_str().unwrap(), 2, "the SQLite file")] {
        eprintln!("  {clients} clients on {name} for {seconds} s");
        let r = run(place, clients, seconds, n);
        let total: usize = r.times.values().map(Vec::len).sum();
        for op in OPERATIONS {
            let times = r.times.get(op).cloned().unwrap_or_default();
            let what = format!("{clients} clients on {name}: {op} ({} done, {:.0} a second)", times.len(), times.len() as f64 / r.seconds);
            bench.push(Line { section: SECTION, what, size: Some(n), ours: Stats::new(Unit::Latency, times), peer: Peer::None, goal: String::new(), met: None });
        }
        let what = format!(
            "{clients} clients on {name}: {total} operations in {:.0} s ({:.0} a second); {} errors; {} edits met another's and were made again; of {} edits saved, {} lost (each client's last edit of each customer checked afterwards); each client's peak memory",
            r.seconds,
            total as f64 / r.seconds,
            r.errors.len(),
            r.collisions,
            r.saved,
            r.lost
        );
        for e in r.errors.iter().take(5) {
            eprintln!("    error: {e}");
        }
        let met = Some(r.errors.is_empty() && r.lost == 0);
        bench.push(Line { section: SECTION, what, size: Some(n), ours: Stats::new(Unit::Bytes, r.peaks), peer: Peer::None, goal: "zero errors, zero lost updates".into(), met });
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

/// The customer CSV imported into an empty shop on the server, beside the same import into a file.
pub fn import_into_server(bench: &mut Bench, n: usize) {
    let csv = bench.dir.join(format!("customers-{n}.csv"));
    if !csv.exists() {
        data::write_csv(&csv, n);
    }
    let server = crate::pg_server::Postgres::start_with(true);
    let options = regulars::import::Options { region: Region::parse("GB").unwrap(), phones_as: None, sheet: None, mapping: Vec::new(), dry_run: false };
    let mut times = Vec::new();
    for _ in 0..bench.runs.min(2) {
        let mut store = Store::open_shared(&server.database()).expect("an empty shop on the server");
        let started = Instant::now();
        let mut told = Instant::now();
        let mut progress = |p: regulars::import::Progress| {
            if told.elapsed() > Duration::from_secs(30) {
                eprintln!("    {} rows in {:.0} s", p.rows, started.elapsed().as_secs_f64());
                told = Instant::now();
            }
            true
        };
        regulars::import::run(&mut store, &csv, &options, crate::NOW.parse().unwrap(), &mut progress).expect("import");
        times.push(started.elapsed().as_secs_f64());
    }
    let file = bench.dir.join("import-beside.db");
    let _ = std::fs::remove_file(&file);
    let (file_times, _, _) = crate::import_runs(&csv, &file, bench.runs.min(2));
    let _ = std::fs::remove_file(&file);
    bench.push(Line {
        section: "Several people at once on one shop (a mix of search, profiles, logging, replies and edits that meet)",
        what: "the customer CSV imported into an empty shop on PostgreSQL 15 on this machine, beside the same import into a file".into(),
        size: Some(n),
        ours: Stats::new(Unit::Seconds, times),
        peer: Peer::Ran { name: "the file".into(), stats: Stats::new(Unit::Seconds, file_times) },
        goal: String::new(),
        met: None,
    });
}
