//! Crash tests: an import (one transaction) killed with SIGKILL at many moments leaves a database
//! that passes `PRAGMA integrity_check` and holds all of the import or none of it; so does a burst
//! of edits, each its own transaction, killed part-way.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Shop;
use regulars::Store;

const ROWS: usize = 3_000;
const RUNS: u64 = 16;

/// Deterministic, spread-out delays: run `i` of `n` waits `i/n` of `span`, jittered.
fn delay(i: u64, span: Duration) -> Duration {
    let jitter = (i.wrapping_mul(2_654_435_761) % 97) as f64 / 97.0 / RUNS as f64;
    span.mul_f64((i as f64 / RUNS as f64 + jitter).min(1.0))
}

fn check(db: &std::path::Path) -> u64 {
    let store = Store::open(db).expect("the database opens after a kill");
    let problems = store.db().integrity_problems().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    store.db().customer_count().unwrap()
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_of_it_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.csv");
    let mut text = String::from("Name,Email,Phone,City,Notes\n");
    for i in 0..ROWS {
        text.push_str(&format!("Customer {i},c{i}@example.com,07911 {:06},Leeds,\"likes, linen\"\n", 100_000 + i));
    }
    std::fs::write(&file, text).unwrap();

    // How long an uninterrupted import takes here, to spread the kills across it.
    let timing = Shop::new();
    let started = Instant::now();
    timing.ok(&["import", file.to_str().unwrap()]);
    let span = started.elapsed() + Duration::from_millis(50);
    assert_eq!(check(&timing.db), ROWS as u64);

    let (mut none, mut all) = (0, 0);
    for run in 0..RUNS {
        let shop = Shop::new();
        shop.ok(&["customers", "add", "--first-name", "Already", "--last-name", "Here"]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&shop.db)
            .args(["import", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay(run, span));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        match check(&shop.db) {
            1 => none += 1,
            n if n == ROWS as u64 + 1 => all += 1,
            n => panic!("run {run}: {n} customers: part of an import survived a kill"),
        }
    }
    assert_eq!(none + all, RUNS);
    eprintln!("{RUNS} kills: {none} left nothing, {all} left the whole import; every database intact");
}

/// Kills `regulars ARGS` at RUNS spread moments, each on a fresh shop made by `prepare`, and
/// checks that each left nothing or everything, as `count` counts it. Returns (none, all).
fn kill_at_spread_moments(args: &[&str], prepare: impl Fn(&Shop), count: impl Fn(&Store) -> usize, whole: usize) -> (u64, u64) {
    let timing = Shop::new();
    prepare(&timing);
    let started = Instant::now();
    timing.ok(args);
    // A little past the end too, so that the late kills find it finished.
    let span = started.elapsed().mul_f64(1.3) + Duration::from_millis(50);
    assert_eq!(count(&Store::open(&timing.db).unwrap()), whole, "an uninterrupted import brings in everything");
    let (mut none, mut all) = (0, 0);
    for run in 0..RUNS {
        let shop = Shop::new();
        prepare(&shop);
        let mut child = Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&shop.db)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay(run, span));
        let _ = child.kill();
        let _ = child.wait();
        check(&shop.db);
        match count(&Store::open(&shop.db).unwrap()) {
            0 => none += 1,
            n if n == whole => all += 1,
            n => panic!("run {run}: {n} of {whole} rows: part of an import survived a kill"),
        }
    }
    (none, all)
}

#[test]
fn touchpoint_and_purchase_imports_killed_at_any_moment_leave_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = dir.path().join("reviews.csv");
    let orders = dir.path().join("orders.csv");
    let (mut r, mut o) = (String::from("Reviewer,Platform,Rating,Review,Date\n"), String::from("Name,Email,Paid at,Total,Lineitem name\n"));
    for i in 0..ROWS {
        r.push_str(&format!("fan{i}@example.com,google_reviews,5,Lovely visit number {i},2026-0{}-{:02}\n", 1 + i % 9, 1 + i % 28));
        o.push_str(&format!("#{},ann@example.com,2026-0{}-{:02},{}.50,Linen shirt\n", 1000 + i, 1 + i % 9, 1 + i % 28, 10 + i % 90));
    }
    std::fs::write(&reviews, r).unwrap();
    std::fs::write(&orders, o).unwrap();
    let ann = |shop: &Shop| {
        shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    };
    let (none, all) = kill_at_spread_moments(&["touchpoints", "import", reviews.to_str().unwrap()], ann, |s| s.db().touchpoints(None, u64::MAX).unwrap().len(), ROWS);
    eprintln!("touchpoints: {RUNS} kills: {none} left nothing, {all} the whole import");
    let purchases = |s: &Store| s.db().purchases_of(1).unwrap().len();
    let (none, all) = kill_at_spread_moments(&["purchases", "import", orders.to_str().unwrap()], ann, purchases, ROWS);
    eprintln!("purchases: {RUNS} kills: {none} left nothing, {all} the whole import");
}

#[test]
fn edits_killed_part_way_keep_every_finished_edit_whole() {
    let shop = Shop::new();
    for i in 0..RUNS {
        let name = format!("Edit{i}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&shop.db)
            .args(["demo", "--count", "200", "--seed", &(i + 2).to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(10 * i));
        let _ = child.kill();
        let _ = child.wait();
        shop.ok(&["customers", "add", "--first-name", &name, "--phone", &format!("07911 2{:05}", i)]);
        let n = check(&shop.db);
        // Each demo load adds its 200 customers in one transaction, or nothing: the count moves
        // in whole hundreds, plus the customers added by hand.
        assert_eq!((n - (i + 1)) % 200, 0, "run {i}: {n} customers");
    }
}
