//! The memory the follow-ups keep on a shop file, phase by phase (Linux: the process's own
//! resident memory, `RssAnon`), for profiling the app's memory: `followups_memory SHOP.db`.

use regulars::{followups, segments, store::Store};

fn own_mb() -> String {
    regulars::memory::own_resident().map_or("unknown (no /proc)".into(), |b| format!("{} MB own", b >> 20))
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: followups_memory SHOP.db");
        std::process::exit(2);
    };
    let now = "2026-11-24T10:00:00Z".parse().expect("a time");
    println!("start: {}", own_mb());
    let mut store = Store::open(std::path::Path::new(&path)).expect("open the shop");
    println!("opened: {}", own_mb());
    let shop = regulars::insight::compute(&store, now).expect("insight");
    regulars::memory::give_back_freed();
    println!("insight alone, held (given back): {} ({} customers)", own_mb(), shop.customers.len());
    drop(shop);
    regulars::memory::give_back_freed();
    println!("insight dropped (given back): {}", own_mb());
    followups::suggest(&mut store, now, 50).expect("suggest");
    println!("Today's 50 suggestions (the rest kept): {}", own_mb());
    segments::list(&mut store, now).expect("segments");
    println!("segments: {}", own_mb());
    let started = std::time::Instant::now();
    store.release_memory();
    regulars::memory::give_back_freed();
    println!("given back in {:.1?}: {}", started.elapsed(), own_mb());
    let started = std::time::Instant::now();
    followups::suggest(&mut store, now, 50).expect("suggest");
    store.release_memory();
    regulars::memory::give_back_freed();
    println!("Today's suggestions again, then given back, in {:.1?}: {}", started.elapsed(), own_mb());
    drop(store);
    println!("closed: {}", own_mb());
    regulars::memory::give_back_freed();
    println!("closed, given back: {}", own_mb());
}
