//! Hostile and mangled input, through the real `regulars` binary: files built to exhaust memory or
//! never end are refused in bounded time and memory, never with a crash; valid files written in an
//! unusual order keep every cell; amounts that are not amounts are refused, not changed into others;
//! and output that cannot be written is an error, not a panic. Each test reproduces a finding of an
//! adversarial run. This binary also measures its children's peak memory (`peak_child_mb`), so it
//! holds only tests whose children should stay small.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Shop;
use regulars::Store;

/// The highest resident memory of any child this test binary has waited for, in MB.
fn peak_child_mb() -> u64 {
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 / 1024
}

/// Runs `regulars` on the shop with a deadline: a run that would hang is killed and fails the test.
fn run_within(shop: &Shop, args: &[&str], limit: Duration) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regulars"))
        .arg("--db")
        .arg(&shop.db)
        .args(args)
        .env_remove("REGULARS_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            break;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{args:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let code = out.status.code();
    assert!(code.is_some() && code != Some(101), "{args:?} crashed: {:?}: {stderr}", out.status);
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// A zip file of `parts` (name, bytes), deflated.
fn zip_of(path: &Path, parts: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(false);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The parts of an XLSX workbook with one sheet, its cells given as inline strings.
fn xlsx_parts(sheet_rows: &str, shared_strings: Option<Vec<u8>>) -> Vec<(&'static str, Vec<u8>)> {
    let mut parts = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>"#).into_bytes()),
    ];
    if let Some(strings) = shared_strings {
        parts.push(("xl/sharedStrings.xml", strings));
    }
    parts
}

fn cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn customers(shop: &Shop) -> Vec<serde_json::Value> {
    let list = shop.json(&["customers", "list"]);
    list.get("items").cloned().unwrap_or(list).as_array().unwrap().iter().map(|c| shop.json(&["customers", "show", &c["id"].to_string()])).collect()
}

#[test]
fn xlsx_cells_written_out_of_column_order_are_all_kept() {
    let shop = Shop::new();
    let path = shop.dir().join("out-of-order.xlsx");
    // Row 2 writes C, then A, then B: valid (cells carry their reference), and other readers keep all three.
    let rows = format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}{}</row>"#,
        cell("A1", "Name"), cell("B1", "Email"), cell("C1", "City"),
        cell("C2", "Leeds"), cell("A2", "Ann Abbott"), cell("B2", "ann@example.com"),
    );
    zip_of(&path, &xlsx_parts(&rows, None));
    shop.ok(&["import", path.to_str().unwrap()]);
    let all = customers(&shop);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["display_name"], "Ann Abbott");
    assert_eq!(all[0]["emails"][0], "ann@example.com");
    assert_eq!(all[0]["address"]["city"], "Leeds");
}

#[test]
fn an_ods_asking_for_a_hundred_million_rows_is_refused_and_a_real_one_still_imports() {
    let shop = Shop::new();
    let ods = |rows: &str| -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
            ("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.to_vec()),
            ("content.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#).into_bytes()),
        ]
    };
    let text_cell = |t: &str| format!(r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#);
    let header = format!("<table:table-row>{}{}</table:table-row>", text_cell("Name"), text_cell("Email"));

    let bomb = shop.dir().join("bomb.ods");
    zip_of(&bomb, &ods(&format!(r#"{header}<table:table-row table:number-rows-repeated="100000000">{}{}</table:table-row>"#, text_cell("Ann"), text_cell("ann@example.com"))));
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2_000);
    let (ok, _, err) = run_within(&shop, &["import", bomb.to_str().unwrap()], Duration::from_secs(60));
    assert!(!ok && err.contains("expand to more than"), "{err}");
    let wide = shop.dir().join("wide.ods");
    zip_of(&wide, &ods(&format!(r#"{header}<table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#)));
    let (ok, _, err) = run_within(&shop, &["import", wide.to_str().unwrap()], Duration::from_secs(60));
    assert!(!ok && err.contains("expand to more than"), "{err}");

    // LibreOffice ends every sheet with a million empty rows and a thousand empty columns.
    let real = shop.dir().join("real.ods");
    zip_of(&real, &ods(&format!(
        r#"{header}<table:table-row>{}{}<table:table-cell table:number-columns-repeated="1022"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        text_cell("Ann Abbott"), text_cell("ann@example.com"),
    )));
    shop.ok(&["import", real.to_str().unwrap()]);
    assert_eq!(customers(&shop).len(), 1);
    assert!(peak_child_mb() < 400, "a child peaked at {} MB", peak_child_mb());
}

/// Sets a zip entry's declared uncompressed size (local header and central directory) to `size`.
fn lie_about_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let sig = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let (name_len_at, size_at, name_at) = match sig {
            0x0403_4b50 => (at + 26, at + 22, at + 30),
            0x0201_4b50 => (at + 28, at + 24, at + 46),
            _ => continue,
        };
        let len = u16::from_le_bytes(bytes[name_len_at..name_len_at + 2].try_into().unwrap()) as usize;
        if bytes.get(name_at..name_at + len) == Some(name.as_bytes()) {
            bytes[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "the local header and the directory entry");
}

#[test]
fn an_xlsx_whose_directory_understates_a_huge_part_is_measured_and_refused() {
    let shop = Shop::new();
    let path = shop.dir().join("liar.xlsx");
    // 300 MB of shared strings that deflate to a few hundred KB, declared as 1,000 bytes.
    let mut strings = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#.to_vec();
    strings.resize(300 << 20, b'a');
    strings.extend_from_slice(b"</t></si></sst>");
    let rows = format!(r#"<row r="1">{}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>"#, cell("A1", "Name"));
    zip_of(&path, &xlsx_parts(&rows, Some(strings)));
    let mut bytes = std::fs::read(&path).unwrap();
    lie_about_size(&mut bytes, "xl/sharedStrings.xml", 1_000);
    std::fs::write(&path, &bytes).unwrap();
    let (ok, _, err) = run_within(&shop, &["import", path.to_str().unwrap()], Duration::from_secs(120));
    assert!(!ok && err.contains("zip bomb"), "{err}");
    assert!(peak_child_mb() < 400, "a child peaked at {} MB", peak_child_mb());
}

#[test]
fn a_pipe_is_refused_at_once_and_nothing_heavy_happens_first() {
    let shop = Shop::new();
    let fifo = shop.dir().join("customers.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (ok, _, err) = run_within(&shop, &["import", fifo.to_str().unwrap()], Duration::from_secs(30));
    assert!(!ok && err.contains("not an ordinary file"), "{err}");
    let (ok, _, err) = run_within(&shop, &["import", shop.dir().to_str().unwrap()], Duration::from_secs(30));
    assert!(!ok && err.contains("a folder"), "{err}");
    let (ok, _, err) = run_within(&shop, &["import", "/nonexistent/list.csv"], Duration::from_secs(30));
    assert!(!ok && err.contains("cannot open"), "{err}");
    // No backup was made for any of them: a backup comes only once the file is open and recognised.
    let backups = shop.json(&["backup", "list"]);
    assert_eq!(backups.as_array().unwrap().len(), 0, "{backups}");
    let good = shop.dir().join("good.csv");
    std::fs::write(&good, "Name,Email\nAnn,ann@example.com\n").unwrap();
    shop.ok(&["import", good.to_str().unwrap()]);
    assert_eq!(shop.json(&["backup", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn an_unclosed_quote_in_a_long_csv_is_refused_while_reading() {
    let shop = Shop::new();
    let path = shop.dir().join("unclosed.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "Name,Email,Notes").unwrap();
    writeln!(file, "Ann,ann@example.com,\"this quote is never closed").unwrap();
    let line = "Bea,bea@example.com,more text that the open quote swallows\n";
    for _ in 0..(60 << 20) / line.len() {
        file.write_all(line.as_bytes()).unwrap();
    }
    drop(file);
    let (ok, _, err) = run_within(&shop, &["import", path.to_str().unwrap()], Duration::from_secs(120));
    assert!(!ok && err.contains("row 2") && err.contains("16 MB"), "{err}");
    assert!(peak_child_mb() < 400, "a child peaked at {} MB", peak_child_mb());
}

#[test]
fn huge_bad_values_are_quoted_as_short_excerpts() {
    let shop = Shop::new();
    let path = shop.dir().join("huge-values.csv");
    let bad = "x".repeat(900_000);
    let mut text = String::from("Name,Email,Phone\n");
    for i in 0..30 {
        text.push_str(&format!("Person {i},{bad},{bad}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let (ok, out, err) = run_within(&shop, &["import", path.to_str().unwrap(), "--json"], Duration::from_secs(120));
    assert!(ok, "{err}");
    assert!(out.len() < 200_000, "the report is {} bytes", out.len());
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = report["problems"][0]["message"].as_str().unwrap();
    assert!(first.contains('…') && first.chars().count() < 300, "{first}");
    let stored = shop.ok(&["imports", "list", "--json"]);
    assert!(stored.len() < 200_000, "{} bytes", stored.len());
    // What the shop holds, beside an empty one (a server's database has its own catalogue).
    let size = |shop: &Shop| match common::shared_server() {
        Some(_) => Store::open(&shop.db).unwrap().db().size_bytes().unwrap(),
        None => std::fs::metadata(&shop.db).unwrap().len() + std::fs::metadata(format!("{}-wal", shop.db.display())).map_or(0, |m| m.len()),
    };
    let db = size(&shop) - size(&Shop::new()).min(size(&shop));
    assert!(db < 8 << 20, "the database holds {db} bytes more than an empty one");
}

#[test]
fn amounts_that_are_not_amounts_are_refused_with_their_row_and_column() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    for bad in ["2E3", "1.5E+3", "12.5.6", "5-3", "1e308", "USD 12x"] {
        let err = shop.fails(&["purchases", "add", "--customer", "ann@example.com", "--amount", bad]);
        assert!(err.contains("amount"), "{bad}: {err}");
    }
    // A currency written with the amount is the purchase's, never quietly the shop's.
    let bought = shop.json(&["purchases", "add", "--customer", "ann@example.com", "--amount", "USD 12"]);
    assert_eq!(bought["currency"], "USD", "{bought}");
    assert_eq!(bought["amount"], 12.0);
    let err = shop.fails(&["purchases", "add", "--customer", "ann@example.com", "--amount", "USD 12", "--currency", "EUR"]);
    assert!(err.contains("USD"), "{err}");
    let fine = shop.json(&["purchases", "add", "--customer", "ann@example.com", "--amount", "0.050"]);
    assert_eq!(fine["amount"], 0.05);

    let path = shop.dir().join("spend.csv");
    std::fs::write(
        &path,
        "Name,Email,Total Spent\nBo,bo@example.com,2E3\nCy,cy@example.com,0.050\nDi,di@example.com,USD 12\nEd,ed@example.com,\"1,234.50\"\nFi,fi@example.com,£40\n",
    )
    .unwrap();
    let report = shop.json(&["import", path.to_str().unwrap()]);
    let problems = report["problems"].as_array().unwrap();
    let about = |row: u64| problems.iter().find(|p| p["row"] == row).map(|p| (p["column"].as_str().unwrap().to_string(), p["message"].as_str().unwrap().to_string()));
    let (column, message) = about(2).expect("2E3 is named");
    assert_eq!(column, "Total Spent");
    assert!(message.contains("2E3"), "{message}");
    let (_, message) = about(4).expect("USD in a GB shop is named");
    assert!(message.contains("USD") && message.contains("GBP"), "{message}");
    let spend = |email: &str| shop.json(&["customers", "show", email])["lifetime_spend"].clone();
    assert_eq!(spend("bo@example.com"), serde_json::Value::Null, "never 23.00");
    assert_eq!(spend("cy@example.com"), 0.05, "never 50.00");
    assert_eq!(spend("di@example.com"), serde_json::Value::Null, "never 12.00 GBP");
    assert_eq!(spend("ed@example.com"), 1234.5);
    assert_eq!(spend("fi@example.com"), 40.0);
}

#[test]
fn a_shared_landline_does_not_merge_two_people_but_a_mobile_still_does() {
    let shop = Shop::new();
    let path = shop.dir().join("households.csv");
    std::fs::write(
        &path,
        "First Name,Last Name,Phone\nAnn,Smith,020 7946 0000\nBob,Smith,020 7946 0000\nCara,Jones,07911 123456\nCara,Jones-Hill,07911 123456\nDan,Lee,020 7946 0111\nDaniel,Lee,020 7946 0111\n",
    )
    .unwrap();
    let report = shop.json(&["import", path.to_str().unwrap()]);
    assert_eq!(report["created"], 4, "{report}");
    assert_eq!(report["repeats"], 2, "Cara's mobile and Dan/Daniel's line merge, as repeats within the file: {report}");
    let bob = shop.json(&["customers", "search", "Bob"]);
    let bob = shop.json(&["customers", "show", &bob[0]["id"].to_string()]);
    assert_eq!(bob["phones"].as_array().unwrap().len(), 0, "the landline stays with Ann");
    assert_eq!(bob["custom"]["Shared phone"], "+44 20 7946 0000", "and is kept on Bob's profile");
    let flagged = report["problems"].as_array().unwrap().iter().any(|p| p["row"] == 3 && p["message"].as_str().unwrap().contains("landline"));
    assert!(flagged, "{report}");
}

#[test]
fn output_that_cannot_be_written_and_absurd_counts_are_errors_not_panics() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann"]);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    for args in [&["customers", "list"][..], &["customers", "show", "1"], &["customers", "search", "Ann"], &["settings", "get"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&shop.db)
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("No space left") && !err.contains("panicked"), "{args:?}: {err}");
    }
    for count in ["18446744073709551615", "100000000", "0"] {
        let (ok, _, err) = run_within(&shop, &["demo", "--count", count], Duration::from_secs(30));
        assert!(!ok && err.contains("count"), "{count}: {err}");
    }
}

#[test]
fn the_demo_shop_loads_in_any_country() {
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "US"]);
    shop.ok(&["demo", "--count", "40"]);
    assert_eq!(customers(&shop).len(), 40);
}
