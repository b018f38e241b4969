//! Import speed and memory, against what a shop owner would otherwise use, in the same run:
//!
//! - a 100,000-row, 20-column CSV (a Shopify-like export with repeat customers), imported end to end
//!   (normalised, de-duplicated, indexed for search) into a fresh database file, against `sqlite3`'s
//!   raw `.import` of the same file into a bare table;
//! - a 50,000-row XLSX, against Python's openpyxl (read-only) reading it and inserting the rows into
//!   SQLite;
//! - peak memory (VmHWM) of a 1,000,000-row CSV import, in a child process.
//!
//! `cargo bench --bench import` prints a Markdown table for the README. `REGULARS_BENCH_ROWS`
//! changes the CSV size; `REGULARS_BENCH_MILLION=0` skips the million-row run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use regulars::import::{self, Options};
use regulars::normalize::Region;
use regulars::Store;

const FIRST: &[&str] = &["Olivia", "Amelia", "Élodie", "Chloé", "Zoë", "Aoife", "Priya", "Fatima", "Mei", "Ingrid", "Małgorzata",
    "Lucía", "Noah", "Oliver", "Jürgen", "Søren", "Mateo", "José", "Kwame", "Tomasz", "Arjun", "Sam", "Alex", "Robin"];
const LAST: &[&str] = &["Smith", "Jones", "Taylor", "Brown", "Patel", "Lefèvre", "Müller", "O'Brien", "Núñez", "Kowalski",
    "Nguyen", "Okafor", "García", "Rossi", "Khan", "Chen", "Murphy", "da Silva", "van der Berg", "Novak"];
const CITIES: &[&str] = &["London", "Bristol", "Manchester", "Leeds", "Brighton", "Glasgow", "Cardiff", "Norwich", "York", "Bath"];
const TAGS: &[&str] = &["VIP", "wholesale", "newsletter", "gift buyer", "local", "loyalty card"];

/// A deterministic 20-column customer CSV; every 50th row repeats an earlier customer's email with
/// a second phone (a repeat customer the import must merge).
fn write_csv(path: &Path, rows: usize) {
    let mut out = String::with_capacity(rows * 260);
    out.push_str("First Name,Last Name,Email,Phone,Instagram,Company,Address1,Address2,City,Province,Zip,Country,Birthday,First Visit,Last Visit,Tags,Note,Accepts Email Marketing,Total Spent,Total Orders\n");
    for i in 0..rows {
        let n = if i % 50 == 49 { i - 25 } else { i };
        let (first, last) = (FIRST[n % FIRST.len()], LAST[(n / 7) % LAST.len()]);
        let phone = if n == i { format!("07{:03} {:06}", 100 + n / 1_000_000, n % 1_000_000) } else { format!("07{:03} {:06}", 900, i % 1_000_000) };
        let _ = writeln!(
            out,
            "{first},{last},{}.{}{n}@example.com,{phone},@{}_{n},,{} High Street,,{},England,LS{} 1AA,United Kingdom,{:02}/{:02}/{},{}-{:02}-{:02},{}-{:02}-{:02},\"{}, {}\",{},{},{}.{:02},{}",
            first.to_lowercase().replace(['é', 'ë', 'ł', 'í', 'ü', 'ø'], "e"), last.to_lowercase().replace([' ', '\'', 'è', 'ü', 'ú', 'í'], ""),
            first.to_lowercase().replace(['é', 'ë', 'ł', 'í', 'ü', 'ø'], "e"),
            n % 300, CITIES[n % CITIES.len()], n % 30, 1 + n % 28, 1 + n % 12, 1950 + n % 50,
            2015 + n % 10, 1 + n % 12, 1 + n % 28, 2024 + n % 2, 1 + n % 12, 1 + n % 28,
            TAGS[n % TAGS.len()], TAGS[(n / 3) % TAGS.len()],
            if n % 5 == 0 { "Asked about the linen range" } else { "" },
            if n % 3 == 0 { "yes" } else { "no" }, n % 900, n % 100, n % 40,
        );
    }
    std::fs::write(path, out).expect("write the CSV");
}

fn write_xlsx(path: &Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    let headers = ["Name", "Email", "Mobile", "Instagram", "City", "Birthday", "Total Spent", "Orders", "Tags", "Notes"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for i in 0..rows {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 7) % LAST.len()])).unwrap();
        sheet.write_string(r, 1, format!("customer{i}@example.com")).unwrap();
        sheet.write_number(r, 2, 7_100_000_000.0 + i as f64).unwrap();
        sheet.write_string(r, 3, format!("https://www.instagram.com/shopper_{i}/")).unwrap();
        sheet.write_string(r, 4, CITIES[i % CITIES.len()]).unwrap();
        sheet.write_number_with_format(r, 5, 25_000.0 + (i % 9_000) as f64, &date).unwrap();
        sheet.write_number(r, 6, (i % 500) as f64 + 0.5).unwrap();
        sheet.write_number(r, 7, (i % 30) as f64).unwrap();
        sheet.write_string(r, 8, TAGS[i % TAGS.len()]).unwrap();
        if i % 4 == 0 {
            sheet.write_string(r, 9, "Prefers the blue glaze").unwrap();
        }
    }
    book.save(path).expect("write the XLSX");
}

fn import_once(file: &Path, db: &Path) -> (Duration, import::Report) {
    let _ = std::fs::remove_file(db);
    let mut store = Store::open(db).expect("database");
    let options = Options { region: Region::parse("GB").unwrap(), sheet: None, mapping: Vec::new(), dry_run: false };
    let now = "2026-11-24T10:00:00Z".parse().unwrap();
    let started = Instant::now();
    let report = import::run(&mut store, file, &options, now, &mut |_| true).expect("import");
    (started.elapsed(), report)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn sqlite3_import(file: &Path, dir: &Path) -> Option<Duration> {
    let db = dir.join("raw.db");
    let mut times = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_file(&db);
        let started = Instant::now();
        let out = Command::new("sqlite3").arg(&db).arg(format!(".import --csv {} customers", file.display())).output().ok()?;
        if !out.status.success() {
            return None;
        }
        times.push(started.elapsed());
    }
    Some(median(times))
}

const OPENPYXL: &str = r#"
import sqlite3, sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True)
rows = book.worksheets[0].iter_rows(values_only=True)
header = next(rows)
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE customers (%s)" % ", ".join('"c%d"' % i for i in range(len(header))))
db.executemany("INSERT INTO customers VALUES (%s)" % ", ".join("?" * len(header)), rows)
db.commit()
"#;

fn openpyxl_import(file: &Path, dir: &Path) -> Option<Duration> {
    let db = dir.join("openpyxl.db");
    let script = dir.join("openpyxl_import.py");
    std::fs::write(&script, OPENPYXL).ok()?;
    let mut times = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_file(&db);
        let started = Instant::now();
        let out = Command::new("python3").arg(&script).arg(file).arg(&db).output().ok()?;
        if !out.status.success() {
            return None;
        }
        times.push(started.elapsed());
    }
    Some(median(times))
}

/// Runs as a child: imports a file and prints the process's peak resident memory in bytes.
fn child_import(file: &str, db: &str) {
    let (_, report) = import_once(Path::new(file), Path::new(db));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: u64 = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0);
    println!("{} {}", kb * 1024, report.counts.rows);
}

/// Imports a file in a child process: (peak resident bytes, rows read).
fn child_peak(file: &Path, db: &Path) -> (u64, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--child-import", file.to_str().unwrap(), db.to_str().unwrap()])
        .output()
        .expect("child import");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    (parts.next().and_then(|s| s.parse().ok()).unwrap_or(0), parts.next().and_then(|s| s.parse().ok()).unwrap_or(0))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child-import") {
        return child_import(&args[i + 1], &args[i + 2]);
    }
    let rows: usize = std::env::var("REGULARS_BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    if let Ok(keep) = std::env::var("REGULARS_BENCH_WRITE_CSV") {
        return write_csv(Path::new(&keep), rows);
    }
    let csv = dir.path().join("customers.csv");
    write_csv(&csv, rows);
    let db = dir.path().join("bench.db");
    let (_, report) = import_once(&csv, &db);
    let times: Vec<Duration> = (0..3).map(|_| import_once(&csv, &db).0).collect();
    let ours = median(times.clone());
    let c = report.counts;
    println!("CSV: {rows} rows x 20 columns, {:.1} MB: {} created, {} merged, {} rejected\n", std::fs::metadata(&csv).unwrap().len() as f64 / 1e6, c.created, c.merged, c.rejected);
    println!("| what | Regulars | peer | ratio | goal |");
    println!("|---|---|---|---|---|");
    match sqlite3_import(&csv, dir.path()) {
        Some(raw) => println!(
            "| {rows}-row CSV import, end to end (runs: {}) | **{}** | `sqlite3 .import`: {} | {:.2}x | under 1 s and at most 3x |",
            times.iter().map(|t| format!("{:.2}", t.as_secs_f64())).collect::<Vec<_>>().join(", "),
            secs(ours), secs(raw), ours.as_secs_f64() / raw.as_secs_f64()
        ),
        None => println!("| {rows}-row CSV import | **{}** | sqlite3 not installed | – | under 1 s |", secs(ours)),
    }

    let xlsx = dir.path().join("customers.xlsx");
    write_xlsx(&xlsx, 50_000);
    let xtimes: Vec<Duration> = (0..3).map(|_| import_once(&xlsx, &db).0).collect();
    let x = median(xtimes);
    let (xlsx_peak, _) = child_peak(&xlsx, &dir.path().join("xlsx-peak.db"));
    match openpyxl_import(&xlsx, dir.path()) {
        Some(py) => println!(
            "| 50,000-row XLSX import, end to end (peak memory {} MB) | **{}** | openpyxl (read-only) + sqlite3 inserts: {} | {:.1}x faster | at least 10x faster |",
            xlsx_peak >> 20, secs(x), secs(py), py.as_secs_f64() / x.as_secs_f64()
        ),
        None => println!("| 50,000-row XLSX import | **{}** | openpyxl not installed (`pip install openpyxl`) | – | at least 10x faster |", secs(x)),
    }

    if std::env::var("REGULARS_BENCH_MILLION").as_deref() != Ok("0") {
        let big = dir.path().join("million.csv");
        write_csv(&big, 1_000_000);
        let started = Instant::now();
        let (peak, imported) = child_peak(&big, &dir.path().join("million.db"));
        println!(
            "| 1,000,000-row CSV import ({} rows read) | peak memory **{} MB**, {} | – | – | under 200 MB |",
            imported, peak / (1 << 20), secs(started.elapsed())
        );
    }
    let _: PathBuf = dir.path().to_path_buf();
}
