//! Times a full recompute of the follow-ups on a shop file, phase by phase, for profiling (the
//! benchmark harness gives the figures that count): `followups_time SHOP.db [RUNS]`.

use std::time::Instant;

use regulars::{followups, insight, segments, store::Store};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: followups_time SHOP.db [RUNS]");
        std::process::exit(2);
    };
    let now = "2026-11-24T10:00:00Z".parse().expect("a time");
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    for _ in 0..runs {
        let started = Instant::now();
        let mut store = Store::open(std::path::Path::new(path)).expect("open the shop");
        let opened = started.elapsed();
        drop(insight::compute(&store, now).expect("insight"));
        let insight = started.elapsed();
        followups::suggest(&mut store, now, 50).expect("suggest");
        let suggested = started.elapsed();
        segments::list(&mut store, now).expect("segments");
        let total = started.elapsed();
        println!(
            "open {opened:.1?} · insight alone {:.1?} · suggestions (computing insight again) {:.1?} · segments {:.1?}",
            insight - opened,
            suggested - insight,
            total - suggested
        );
    }
}
