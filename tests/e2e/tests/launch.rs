//! The app's launch at scale, for the benchmark harness (`./scripts/bench.sh`): the release app on
//! a shop of 100,000 customers, timed from the launch request to a customer list with rows that
//! answers, and the memory of its processes. Ignored in the test suite (it needs the harness's
//! database); the harness runs it with `--ignored` and reads the JSON it writes.

use std::path::Path;
use std::time::{Duration, Instant};

use regulars_e2e::{process_memory, processes_with, App};

#[test]
#[ignore = "a benchmark: ./scripts/bench.sh runs it on its 100k shop"]
fn launch_at_scale() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set (run ./scripts/bench.sh)"));
    let (bin, db, out) = (var("REGULARS_BENCH_APP"), var("REGULARS_BENCH_APP_DB"), var("REGULARS_BENCH_APP_OUT"));
    let runs: usize = std::env::var("REGULARS_BENCH_APP_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let (mut list, mut app_peak, mut app_private, mut app_private_peak, mut web) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut web_private = Vec::new();
    for run in 0..runs {
        let app = App::start_on(Path::new(&bin), Path::new(&db));
        // The owner goes to Customers as soon as the window answers; the list must show rows, and
        // the search box must take a query and answer it.
        let deadline = Instant::now() + Duration::from_secs(30);
        let go = "const rows = [...document.querySelectorAll('.customer-row')].filter(r => r.offsetParent).length; \
                  const b = document.getElementById('nav-customers'); \
                  if (!rows && b && b.offsetParent && !b.classList.contains('active')) b.click(); \
                  return rows";
        while app.script(go).as_u64().unwrap_or(0) == 0 {
            assert!(Instant::now() < deadline, "no customer rows after 30 s");
            std::thread::sleep(Duration::from_millis(5));
        }
        let took = app.launched.elapsed().as_secs_f64();
        app.find("#search").type_text("oli");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !app.script("return [...document.querySelectorAll('.customer-row')].every(r => /oli/i.test(r.textContent))").as_bool().unwrap_or(false) {
            assert!(Instant::now() < deadline, "search did not answer");
            std::thread::sleep(Duration::from_millis(10));
        }
        let pid = app_process(&bin, &db);
        // Today's suggestions are computed in the background after the list shows: wait for them
        // (the Today count appears) so the peak includes them.
        // Its own memory is sampled meanwhile: the highest sample is the work's transient peak.
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut own_peak = 0;
        while app.script("return document.getElementById('nav-today-count').hidden").as_bool().unwrap_or(true) && Instant::now() < deadline {
            own_peak = own_peak.max(process_memory(pid).map_or(0, |m| m.private));
            std::thread::sleep(Duration::from_millis(20));
        }
        // Settled: what the open app goes on holding once the launch's background work (the page
        // check of the whole file, seconds on a big shop) is over too, sampled until then.
        let settle = Instant::now() + Duration::from_secs(8);
        while Instant::now() < settle {
            own_peak = own_peak.max(process_memory(pid).map_or(0, |m| m.private));
            std::thread::sleep(Duration::from_millis(20));
        }
        let memory = process_memory(pid).expect("the app's memory");
        own_peak = own_peak.max(memory.private);
        let web_memory = web_views(pid);
        let web_rss: u64 = web_memory.iter().map(|m| m.resident).sum();
        let web_own: u64 = web_memory.iter().map(|m| m.private).sum();
        eprintln!(
            "run {run}: customer list after {took:.3} s; app peak {} MB; its own {} MB once settled ({} MB at most), web view {} MB ({} MB its own)",
            memory.peak >> 20,
            memory.private >> 20,
            own_peak >> 20,
            web_rss >> 20,
            web_own >> 20
        );
        if run == 0 {
            app.screenshot("launch-at-scale");
        }
        list.push(took);
        app_peak.push(memory.peak as f64);
        app_private.push(memory.private as f64);
        app_private_peak.push(own_peak as f64);
        if web_rss > 0 {
            web.push(web_rss as f64);
            web_private.push(web_own as f64);
        }
    }
    // The same app on an empty shop, on its first screen: what the app and its page hold before
    // any customer (the part of the figures above that no shop's size changes).
    let empty_dir = tempfile::tempdir().expect("a temporary folder");
    let app = App::start_on(Path::new(&bin), &empty_dir.path().join("empty.db"));
    app.find("#shop-name-input");
    std::thread::sleep(Duration::from_secs(8));
    let pid = app_process(&bin, &empty_dir.path().join("empty.db").display().to_string());
    let memory = process_memory(pid).expect("the app's memory");
    let web_own: u64 = web_views(pid).iter().map(|m| m.private).sum();
    eprintln!("empty shop: the app's own {} MB, resident {} MB; web view's own {} MB", memory.private >> 20, memory.resident >> 20, web_own >> 20);
    drop(app);
    let json = serde_json::json!({
        "list_seconds": list, "app_peak_bytes": app_peak, "app_private_bytes": app_private, "app_private_peak_bytes": app_private_peak,
        "webview_rss_bytes": web, "webview_private_bytes": web_private,
        "empty_app_private_bytes": [memory.private], "empty_app_rss_bytes": [memory.resident], "empty_webview_private_bytes": [web_own],
    });
    std::fs::write(out, json.to_string()).expect("write the figures");
}

/// The process of the app binary `bin` that was started on the database `db`.
fn app_process(bin: &str, db: &str) -> u32 {
    let name = Path::new(bin).file_name().unwrap().to_string_lossy().to_string();
    let on_db = processes_with(db);
    processes_with(&name).into_iter().map(|(p, _)| p).find(|p| on_db.iter().any(|(q, _)| q == p)).expect("the app's process")
}

/// The memory of the web view processes the app `pid` started.
fn web_views(pid: u32) -> Vec<regulars_e2e::Memory> {
    processes_with("WebKitWebProcess").iter().filter(|(_, parent)| *parent == pid).filter_map(|(p, _)| process_memory(*p)).collect()
}
