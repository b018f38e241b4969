//! The slowest as-you-type queries on a benchmark shop, for finding what makes search's p99:
//! `cargo run --release --example slow_search target/bench/shop-100000.db 100000` (after
//! `./scripts/bench.sh` made the shop); `--warm` first reads the search index as the app does at launch.
#[path = "../benches/harness/data.rs"]
#[allow(dead_code)]
mod data;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let store = regulars::Store::open(std::path::Path::new(&path)).unwrap();
    if std::env::args().any(|a| a == "--warm") {
        let t = std::time::Instant::now();
        let bytes = store.db().warm_search().unwrap();
        println!("search index warmed: {} MB in {:?}", bytes >> 20, t.elapsed());
    }
    let region = regulars::normalize::Region::parse("GB").unwrap();
    let mut all = Vec::new();
    for (kind, qs) in data::queries(n) {
        for q in qs {
            let t = std::time::Instant::now();
            let hits = regulars::search::search(&store, &q, 100, region).unwrap();
            all.push((t.elapsed(), kind, q, hits.len()));
        }
    }
    all.sort_by(|a, b| b.0.cmp(&a.0));
    for x in all.iter().take(25) { println!("{:?} {} {:?} {}", x.0, x.1, x.2, x.3); }
}
