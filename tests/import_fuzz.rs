//! Property tests: the sniffer, the readers and every value parser take any bytes or text without
//! panicking, and what they accept is well-formed. A bad file is a clear error, never a crash.

use std::io::Write;

use proptest::prelude::*;
use regulars::import::layout::{self, Field};
use regulars::import::read::{self, Cell};
use regulars::import::values::{self, DateOrder};
use regulars::import::{self as import_mod, Options};
use regulars::normalize::Region;
use regulars::Store;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn value_parsers_never_panic(text in "\\PC{0,40}") {
        let _ = values::parse_date(&text, DateOrder::DayFirst, today());
        let _ = values::parse_date(&text, DateOrder::MonthFirst, today());
        let _ = values::parse_money(&text);
        let _ = values::parse_count(&text);
        let _ = values::parse_consent(&text);
        let _ = values::split_name(&text);
        let _ = values::split_list(&text, &[',', ';', '|']);
        let _ = values::order_evidence(&text);
        let _ = values::is_numeric_date(&text);
        let _ = layout::field_of_header(&text);
        let _ = layout::shape(&Cell::Text(text.clone()));
        let _ = layout::is_summary(&[Cell::Text(text.clone())]);
        let _ = regulars::normalize::phone(&text, Region::parse("GB").unwrap());
        let _ = text.parse::<Field>();
    }

    #[test]
    fn dates_that_parse_are_real_dates(y in 1900i32..2030, m in 1u32..13, d in 1u32..29) {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        prop_assert_eq!(values::parse_date(&format!("{d:02}/{m:02}/{y}"), DateOrder::DayFirst, today()), Ok(date));
        prop_assert_eq!(values::parse_date(&format!("{m}/{d}/{y}"), DateOrder::MonthFirst, today()), Ok(date));
        prop_assert_eq!(values::parse_date(&date.to_string(), DateOrder::MonthFirst, today()), Ok(date));
    }

    #[test]
    fn money_round_trips_through_both_decimal_marks(cents in 0i64..10_000_000_000) {
        let (units, rest) = (cents / 100, cents % 100);
        let grouped = |sep: char| {
            let digits = units.to_string();
            let mut out = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 { out.push(sep); }
                out.push(ch);
            }
            out
        };
        let english = format!("${}.{rest:02}", grouped(','));
        let european = format!("{},{rest:02} €", grouped('.'));
        prop_assert_eq!(values::parse_money(&english).map(|m| m.cents()), Ok(cents), "{}", english);
        prop_assert_eq!(values::parse_money(&european).map(|m| m.cents()), Ok(cents), "{}", european);
    }

    /// An amount written any ordinary way (either mark, any real grouping, a currency before or
    /// after, a sign in front) reads back exactly; one with an exponent or a misplaced sign never
    /// reads as another amount.
    #[test]
    fn money_written_any_ordinary_way_reads_back_and_mangled_money_is_refused(
        cents in 0i64..100_000_000_000,
        comma_decimal in any::<bool>(),
        grouped in any::<bool>(),
        currency in prop_oneof![Just(""), Just("£"), Just("€ "), Just("$"), Just("GBP "), Just(" EUR")],
        negative in any::<bool>(),
        exponent in 1u32..9,
    ) {
        let (units, rest) = (cents / 100, cents % 100);
        let (decimal, thousands) = if comma_decimal { (',', '.') } else { ('.', ',') };
        let digits = units.to_string();
        let mut whole = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if grouped && i > 0 && (digits.len() - i) % 3 == 0 { whole.push(thousands); }
            whole.push(ch);
        }
        let number = format!("{}{whole}{decimal}{rest:02}", if negative { "-" } else { "" });
        let text = if currency.starts_with(' ') { format!("{number}{currency}") } else { format!("{currency}{number}") };
        let mark = if comma_decimal { values::DecimalMark::Comma } else { values::DecimalMark::Point };
        let want = if negative { -cents } else { cents };
        prop_assert_eq!(values::parse_amount(&text, mark).map(|a| a.amount.cents()), Ok(want), "{}", text);
        prop_assert_eq!(values::parse_money(&text).map(|m| m.cents()), Ok(want), "{}", text);
        for mangled in [format!("{units}E{exponent}"), format!("{units}e+{exponent}"), format!("{units}-{exponent}"), format!("{whole}{decimal}{rest:02}{decimal}{exponent}")] {
            prop_assert!(values::parse_money(&mangled).is_err(), "{} was read as {:?}", mangled, values::parse_money(&mangled));
        }
    }

    #[test]
    fn the_sniffer_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read::detect_encoding(&bytes, true);
        let _ = read::detect_encoding(&bytes, false);
        let _ = read::sniff_delimiter(&String::from_utf8_lossy(&bytes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Whole imports of arbitrary files (text-like, or starting like a zip or an old Excel file)
    /// end in a report or an error; the database stays sound either way.
    #[test]
    fn whole_imports_of_arbitrary_files_never_panic(
        prefix in prop_oneof![Just(Vec::new()), Just(b"PK\x03\x04".to_vec()), Just(vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), Just(b"\xEF\xBB\xBF".to_vec()), Just(b"\xFF\xFE".to_vec())],
        body in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b','), Just(b';'), Just(b'\n'), Just(b'"'), Just(b'@'), Just(b'a'), Just(b'0')], 0..800),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("any.csv");
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(&prefix).unwrap();
        file.write_all(&body).unwrap();
        drop(file);
        let mut store = Store::open_in_memory().unwrap();
        let options = Options { region: Region::parse("GB").unwrap(), phones_as: None, sheet: None, mapping: Vec::new(), dry_run: false };
        let now = "2026-11-24T10:00:00Z".parse().unwrap();
        if let Ok(report) = import_mod::run(&mut store, &path, &options, now, &mut |_| true) {
            let c = report.counts;
            prop_assert_eq!(c.rows, c.created + c.merged + c.unchanged + c.rejected + c.repeats);
        }
        prop_assert!(store.db().integrity_problems().unwrap().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// ODS sheets whose rows and cells repeat any number of times import or are refused with a
    /// sentence; none is expanded past the limit, and none crashes.
    #[test]
    fn ods_sheets_with_any_repeats_import_or_are_refused(
        rows in proptest::collection::vec((prop_oneof![0u64..3_000, 0u64..2_000_000_000], 0u64..40_000, any::<bool>()), 1..6),
    ) {
        let mut body = String::from(r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Email</text:p></table:table-cell></table:table-row>"#);
        for (i, (row_repeats, cell_repeats, filled)) in rows.iter().enumerate() {
            let cell = if *filled {
                format!(r#"<table:table-cell table:number-columns-repeated="{cell_repeats}" office:value-type="string"><text:p>p{i}@example.com</text:p></table:table-cell>"#)
            } else {
                format!(r#"<table:table-cell table:number-columns-repeated="{cell_repeats}"/>"#)
            };
            body.push_str(&format!(r#"<table:table-row table:number-rows-repeated="{row_repeats}"><table:table-cell office:value-type="string"><text:p>Person {i}</text:p></table:table-cell>{cell}</table:table-row>"#));
        }
        let content = format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("repeats.ods");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("mimetype", options).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("content.xml", options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap();
        // What the sheet would expand to: rows up to the last with content, times the widest.
        let total_rows: u64 = 1 + rows.iter().map(|r| r.0).sum::<u64>();
        let widest: u64 = rows.iter().map(|r| if r.2 { 1 + r.1 } else { 1 }).max().unwrap_or(1).max(2);
        let mut store = Store::open_in_memory().unwrap();
        let options = Options { region: Region::parse("GB").unwrap(), phones_as: None, sheet: None, mapping: Vec::new(), dry_run: true };
        let now = "2026-11-24T10:00:00Z".parse().unwrap();
        match import_mod::run(&mut store, &path, &options, now, &mut |_| true) {
            Ok(_) => prop_assert!(total_rows.saturating_mul(widest) <= read::MAX_SHEET_CELLS, "{} rows x {} read", total_rows, widest),
            Err(e) => prop_assert!(!e.to_string().contains("panicked"), "{e}"),
        }
    }
}
