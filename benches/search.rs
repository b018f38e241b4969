//! Search latency as you type, in the core, on a real database file of demo customers
//! (100,000 unless `REGULARS_BENCH_SIZE` says otherwise). Prints a Markdown table for the README.
//!
//! Queries are what a person types while looking someone up: the first 1 to 6 characters of first
//! names, last names, handles and emails, and phone fragments (national prefix, last digits, the
//! number as written). Each query runs once, cold in that it was never seen before; p50/p99/max are
//! over all of them, with 100 results asked for (as the app does).

use std::time::{Duration, Instant};

use regulars::customers::{self, Change};
use regulars::normalize::Region;
use regulars::{search, Store};

fn main() {
    let size: usize = std::env::var("REGULARS_BENCH_SIZE").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("database");
    let region = Region::parse("GB").unwrap();
    let change = Change { now: "2026-11-23T10:00:00Z".parse().unwrap(), region, source: "bench".into() };
    let drafts = regulars::demo::drafts(size, 42, change.now.date_naive());
    let started = Instant::now();
    customers::create_many(&mut store, &drafts, &change).expect("load");
    let load = started.elapsed();

    let mut kinds: Vec<(&str, Vec<String>)> = vec![("names", vec![]), ("phone fragments", vec![]), ("handles", vec![]), ("emails", vec![])];
    for d in drafts.iter().step_by((size / 400).max(1)) {
        for n in 1..=6 {
            let prefix = |s: &str| s.chars().take(n).collect::<String>();
            kinds[0].1.push(prefix(&d.first_name));
            kinds[0].1.push(format!("{} {}", d.first_name, prefix(&d.last_name)));
            if let Some(h) = d.handles.get("instagram") {
                kinds[2].1.push(format!("@{}", prefix(h)));
            }
            if let Some(e) = d.emails.first() {
                kinds[3].1.push(prefix(e));
            }
        }
        if let Some(p) = d.phones.first() {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            for n in 3..=6 {
                kinds[1].1.push(digits[digits.len() - n..].to_string());
                kinds[1].1.push(digits[..n + 1].to_string());
            }
            kinds[1].1.push(p.clone());
        }
    }

    println!("Search on {size} customers (database built in {:.1} s)\n", load.as_secs_f64());
    println!("| queries | count | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    let mut all = Vec::new();
    for (kind, queries) in &kinds {
        let mut times: Vec<Duration> = queries
            .iter()
            .map(|q| {
                let t = Instant::now();
                let hits = search::search(&store, q, 100, region).expect("search");
                std::hint::black_box(hits);
                t.elapsed()
            })
            .collect();
        all.extend(times.iter().copied());
        row(kind, &mut times);
    }
    row("all", &mut all);
}

fn row(kind: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    println!("| {kind} | {} | {} | {} | {} |", times.len(), ms(at(0.5)), ms(at(0.99)), ms(times[times.len() - 1]));
}
