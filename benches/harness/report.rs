//! Figures and the Markdown they become: each measurement is a line with our runs, the peer's runs
//! when one ran (or why not), the goal and whether it is met; `BENCHMARKS.md` gets one table a
//! section, the growth from size to size, and the machine.

use std::fmt::Write as _;
use std::process::Command;

#[derive(Clone, Copy, PartialEq)]
pub enum Unit {
    Seconds,
    Bytes,
    /// Latencies, shown as p50 / p99 / max rather than median and spread.
    Latency,
}

#[derive(Clone)]
pub struct Stats {
    pub values: Vec<f64>,
    pub unit: Unit,
}

impl Stats {
    pub fn new(unit: Unit, mut values: Vec<f64>) -> Stats {
        values.sort_by(f64::total_cmp);
        Stats { values, unit }
    }
    pub fn at(&self, q: f64) -> f64 {
        self.values[((self.values.len() as f64 - 1.0) * q).round() as usize]
    }
    /// The largest run (a goal held in every run is held by it).
    pub fn max(&self) -> f64 {
        self.values.last().copied().unwrap_or(f64::NAN)
    }
    pub fn median(&self) -> f64 {
        let v = &self.values;
        let mid = v.len() / 2;
        if v.len() % 2 == 0 { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
    }
    fn show(&self, x: f64) -> String {
        match self.unit {
            Unit::Seconds | Unit::Latency if x < 0.000_1 => format!("{:.2} µs", x * 1e6),
            Unit::Seconds | Unit::Latency if x < 0.001 => format!("{:.0} µs", x * 1e6),
            Unit::Seconds | Unit::Latency if x < 1.0 => format!("{:.1} ms", x * 1e3),
            Unit::Seconds | Unit::Latency => format!("{x:.2} s"),
            Unit::Bytes => format!("{:.0} MB", x / (1 << 20) as f64),
        }
    }
    /// "**1.2 s** (1.1–1.4 s, 3 runs)" or "p50 0.8 ms · **p99 2.1 ms** · max 4 ms (9,600 queries)".
    pub fn cell(&self) -> String {
        let n = self.values.len();
        match self.unit {
            Unit::Latency => format!("p50 {} · **p99 {}** · max {} ({n} queries)", self.show(self.at(0.5)), self.show(self.at(0.99)), self.show(self.at(1.0))),
            _ if n == 1 => format!("**{}** (1 run)", self.show(self.values[0])),
            _ => format!("**{}** ({}–{}, {n} runs)", self.show(self.median()), self.show(self.values[0]), self.show(self.values[n - 1])),
        }
    }
    /// The figure growth and goals are judged on: the median, or p99 for latencies.
    pub fn headline(&self) -> f64 {
        if self.unit == Unit::Latency { self.at(0.99) } else { self.median() }
    }
}

pub enum Peer {
    None,
    Missing(String),
    Ran { name: String, stats: Stats },
}

pub struct Line {
    pub section: &'static str,
    pub what: String,
    pub size: Option<usize>,
    pub ours: Stats,
    pub peer: Peer,
    pub goal: String,
    pub met: Option<bool>,
}

impl Line {
    pub fn ratio(&self) -> Option<f64> {
        match &self.peer {
            Peer::Ran { stats, .. } => Some(self.ours.median() / stats.median()),
            _ => None,
        }
    }
}

pub fn size_name(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn command(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("MemTotal")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or_else(String::new, |kb| format!(", {:.0} GiB", kb / 1024.0 / 1024.0));
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("PRETTY_NAME=")).map(|l| l[12..].trim_matches('"').to_string()))
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let rustc = command("rustc", &["-V"]).unwrap_or_default();
    let commit = command("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let dirty = command("git", &["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    format!("{cpu}, {cores} cores{mem}; {os}; {rustc}; commit {commit}{}", if dirty { " with uncommitted changes" } else { "" })
}

pub fn markdown(lines: &[Line], sizes: &[usize], machine: &str, date: &str, took: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `./scripts/bench.sh` (which runs `cargo bench --bench harness`) on {date}, in {:.0} minutes.\n\nMachine: {machine}.\n",
        took / 60.0
    );
    let _ = writeln!(
        out,
        "Sizes: {} customers, each with {} touchpoints and {} purchases on average. Release build; every run \
         starts from a fresh database file unless the line says otherwise. Figures are medians with the \
         spread (fastest–slowest) of the runs; latencies are percentiles over all queries. A peer is the \
         tool a shop owner or developer would otherwise use, run on the same files in the same run.\n",
        sizes.iter().map(|&n| size_name(n)).collect::<Vec<_>>().join(", "),
        super::data::TOUCHPOINTS_PER_CUSTOMER,
        super::data::PURCHASES_PER_CUSTOMER
    );
    let mut sections: Vec<&str> = Vec::new();
    for l in lines {
        if !sections.contains(&l.section) {
            sections.push(l.section);
        }
    }
    let mark = |met: Option<bool>| match met {
        Some(true) => "met",
        Some(false) => "**not met**",
        None => "",
    };
    for section in sections {
        let _ = writeln!(out, "## {section}\n");
        let _ = writeln!(out, "| what | size | Regulars | peer, same run | ratio | goal | |");
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for l in lines.iter().filter(|l| l.section == section) {
            let peer = match &l.peer {
                Peer::None => "–".to_string(),
                Peer::Missing(why) => format!("not run: {why}"),
                Peer::Ran { name, stats } => format!("{name}: {}", stats.cell().replace("**", "")),
            };
            let ratio = l.ratio().map_or("–".to_string(), |r| if r >= 1.0 { format!("{r:.1}x slower") } else { format!("{:.1}x faster", 1.0 / r) });
            let _ = writeln!(
                out,
                "| {} | {} | {} | {peer} | {ratio} | {} | {} |",
                l.what,
                l.size.map_or("–".into(), size_name),
                l.ours.cell(),
                l.goal,
                mark(l.met)
            );
        }
        let _ = writeln!(out);
    }
    // Growth: how each figure measured at more than one size grows with the shop.
    let mut rows = String::new();
    // A line's name without what is said in brackets (counts differ from size to size).
    let name = |l: &Line| l.what.split(" (").next().unwrap_or("").to_string();
    let mut seen: Vec<(&str, String)> = Vec::new();
    for l in lines.iter().filter(|l| l.size.is_some()) {
        if seen.contains(&(l.section, name(l))) {
            continue;
        }
        seen.push((l.section, name(l)));
        let at: Vec<(usize, f64)> = lines
            .iter()
            .filter(|m| m.section == l.section && name(m) == name(l))
            .filter_map(|m| Some((m.size?, m.ours.headline())))
            .collect();
        if at.len() < 2 {
            continue;
        }
        let mut cells = Vec::new();
        let mut worst_ok = true;
        for w in at.windows(2) {
            let ((n0, v0), (n1, v1)) = (w[0], w[1]);
            let nlogn = (n1 as f64 * (n1 as f64).ln()) / (n0 as f64 * (n0 as f64).ln());
            let growth = v1 / v0;
            worst_ok &= growth <= nlogn * 1.1;
            cells.push(format!("{} → {}: x{growth:.1} (n log n: x{nlogn:.1})", size_name(n0), size_name(n1)));
        }
        let _ = writeln!(rows, "| {} | {} | {} |", name(l), cells.join("; "), if worst_ok { "no worse than n log n" } else { "**worse than n log n**" });
    }
    if !rows.is_empty() {
        let _ = writeln!(out, "## Growth\n\nEach figure's growth from one size to the next, beside what n log n growth would allow.\n");
        let _ = writeln!(out, "| what | growth | |\n|---|---|---|\n{rows}");
    }
    out
}
