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
        let options = Options { region: Region::parse("GB").unwrap(), sheet: None, mapping: Vec::new(), dry_run: false };
        let now = "2026-11-24T10:00:00Z".parse().unwrap();
        if let Ok(report) = import_mod::run(&mut store, &path, &options, now, &mut |_| true) {
            let c = report.counts;
            prop_assert_eq!(c.rows, c.created + c.merged + c.unchanged + c.rejected);
        }
        prop_assert!(store.db().integrity_problems().unwrap().is_empty());
    }
}
