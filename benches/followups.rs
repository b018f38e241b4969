//! Follow-ups at scale: a shop of 100,000 customers with 1,000,000 touchpoints and 500,000
//! purchases (sizes from `REGULARS_BENCH_CUSTOMERS`, `…_TOUCHPOINTS`, `…_PURCHASES`), built once in a
//! temporary database; then the full recompute of every customer's value, role and labels, the
//! whole suggestion list, and what the Today screen asks for (the first 50 suggestions and the
//! dashboard), each timed over several runs. Prints a Markdown table for the README.

use std::time::{Duration, Instant};

use regulars::customers::{self, Change};
use regulars::normalize::Region;
use regulars::{followups, insight, segments, Store};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], last.expect("at least one run"))
}

fn main() {
    let (n_customers, n_touchpoints, n_purchases) =
        (env("REGULARS_BENCH_CUSTOMERS", 100_000), env("REGULARS_BENCH_TOUCHPOINTS", 1_000_000), env("REGULARS_BENCH_PURCHASES", 500_000));
    let dir = tempfile::tempdir().expect("temporary folder");
    // REGULARS_BENCH_DB=path keeps the database (and reuses it when it exists) for a closer look.
    let path = std::env::var_os("REGULARS_BENCH_DB").map(std::path::PathBuf::from).unwrap_or_else(|| dir.path().join("bench.db"));
    let reuse = path.exists();
    let mut store = Store::open(&path).expect("database");
    let now = "2026-11-24T10:00:00Z".parse().unwrap();
    let change = Change { now, region: Region::parse("GB").unwrap(), source: "bench".into() };
    let started = Instant::now();
    if !reuse {
        let ids = customers::create_many(&mut store, &regulars::demo::drafts(n_customers, 42, now.date_naive()), &change).expect("customers");
        regulars::demo::activity_at_scale(&mut store, &ids, n_purchases, n_touchpoints, 42, now).expect("activity");
    }
    let built = started.elapsed();
    println!(
        "Follow-ups on {n_customers} customers, {n_touchpoints} touchpoints, {n_purchases} purchases (database built in {:.0} s)\n",
        built.as_secs_f64()
    );
    println!("| what | median | slowest | goal |");
    println!("|---|---|---|---|");
    drop(store);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // Cold: a fresh connection each run, so nothing is reused.
    let (m, s, shop) = time(5, || insight::compute(&Store::open(&path).expect("open"), now).expect("insight"));
    println!("| value, role and labels for every customer | {:.0} ms | {:.0} ms | |", ms(m), ms(s));
    let today = |store: &mut Store| {
        let first = followups::suggest(store, now, 50).expect("suggest");
        let list = segments::list(store, now).expect("segments");
        (first, list)
    };
    let (m, s, (first, _)) = time(5, || today(&mut Store::open(&path).expect("open")));
    println!(
        "| every suggestion and label recomputed, the first 50 handed out with the segments (Today after a change) | **{:.0} ms** | {:.0} ms | under 1 s |",
        ms(m),
        ms(s)
    );
    let mut store = Store::open(&path).expect("open");
    today(&mut store);
    let (m, s, _) = time(5, || today(&mut store));
    println!("| the Today screen's data, opened again with nothing changed | **{:.0} ms** | {:.0} ms | under 100 ms |", ms(m), ms(s));
    println!(
        "\n{} suggestions shown first; pyramid: {} creators, {} responders, {} lurkers",
        first.len(),
        shop.pyramid.creators,
        shop.pyramid.responders,
        shop.pyramid.lurkers
    );
}
