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
