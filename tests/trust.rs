//! Nothing lost: backups made by hand and before every import, undo and restore; restoring one,
//! after a confirmation that says what it replaces; a damaged backup refused with the database
//! untouched. Through the real `regulars` binary on real database files.

mod common;

use common::Shop;

fn names(shop: &Shop) -> Vec<String> {
    let list = shop.json(&["customers", "list"]);
    let items = list.get("items").cloned().unwrap_or(list);
    items.as_array().unwrap().iter().map(|c| c["display_name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_backup_restores_what_it_held_and_keeps_what_it_replaced() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let backup = shop.json(&["backup", "create"]);
    let id = backup["id"].as_i64().unwrap();
    assert!(std::path::Path::new(backup["path"].as_str().unwrap()).exists());
    shop.ok(&["customers", "add", "--first-name", "Ben", "--email", "ben@example.com"]);
    assert_eq!(names(&shop), ["Ann", "Ben"]);

    // Without --yes it only says what would be replaced.
    let said = shop.fails(&["backup", "restore", &id.to_string()]);
    assert!(said.contains("(2 customers)") && said.contains("(1 customers)") && said.contains("--yes"), "{said}");
    assert_eq!(names(&shop), ["Ann", "Ben"], "nothing changed yet");

    let restored = shop.json(&["backup", "restore", &id.to_string(), "--yes"]);
    assert_eq!(names(&shop), ["Ann"]);
    // The state it replaced is a backup of its own: restoring that brings Ben back.
    let safety = restored["backup_of_previous_state"]["id"].as_i64().unwrap();
    let list = shop.json(&["backup", "list"]);
    let ids: Vec<i64> = list.as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.first(), Some(&safety), "newest first: {list}");
    assert!(ids.contains(&id));
    shop.ok(&["backup", "restore", &safety.to_string(), "--yes"]);
    assert_eq!(names(&shop), ["Ann", "Ben"]);
    let err = shop.fails(&["backup", "restore", "12345", "--yes"]);
    assert!(err.contains("no backup #12345"), "{err}");
}

#[test]
fn imports_and_undos_are_backed_up_first_and_a_damaged_backup_is_refused() {
    let shop = Shop::new();
    let file = shop.dir().join("list.csv");
    std::fs::write(&file, "Name,Email\nCara Diaz,cara@example.com\n").unwrap();
    let report = shop.json(&["import", file.to_str().unwrap()]);
    shop.ok(&["imports", "undo", &report["import_id"].to_string()]);
    let list = shop.json(&["backup", "list"]);
    let reasons: Vec<&str> = list.as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"before-import") && reasons.contains(&"before-undo"), "{reasons:?}");

    // A backup file that was damaged on disk is refused, and the database is left as it was.
    shop.ok(&["customers", "add", "--first-name", "Dee"]);
    let target = &list[0];
    std::fs::write(target["path"].as_str().unwrap(), b"this is not a database, just bytes on a disk that failed").unwrap();
    let err = shop.fails(&["backup", "restore", &target["id"].to_string(), "--yes"]);
    assert!(err.contains("not a database") || err.contains("damaged"), "{err}");
    assert_eq!(names(&shop), ["Dee"]);
}

/// Bytes of the database file and its write-ahead log, lower-cased.
fn database_bytes(shop: &Shop) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", shop.db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            all.extend(bytes.to_ascii_lowercase());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn one_customers_record_exports_whole_and_erasure_leaves_no_trace_in_the_files() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Zelda", "--last-name", "Quixotic", "--email", "zelda.quixotic@example.com",
        "--notes", "Loves xylophone music", "--consent", "email=yes", "--handle", "instagram:zq.garnet"]);
    shop.ok(&["customers", "add", "--first-name", "Keep", "--last-name", "Me", "--email", "keep@example.com"]);
    shop.ok(&["customers", "edit", "zelda.quixotic@example.com", "--consent", "email=no"]);
    shop.ok(&["touchpoints", "add", "--customer", "zelda.quixotic@example.com", "--channel", "instagram", "--kind", "comment",
        "--text", "=HYPERLINK(\"http://x\") unforgettable marzipan voyage"]);
    shop.ok(&["purchases", "add", "--customer", "zelda.quixotic@example.com", "--amount", "31.50", "--items", "Periwinkle teapot"]);

    // Access: the whole record, as JSON and as spreadsheet-safe CSV.
    let record = shop.json(&["customers", "export-one", "zelda.quixotic@example.com"]);
    assert_eq!(record["customer"]["last_name"], "Quixotic");
    assert_eq!(record["consent_history"].as_array().unwrap().len(), 2);
    assert_eq!(record["touchpoints"].as_array().unwrap().len(), 1);
    assert_eq!(record["purchases"][0]["items"], "Periwinkle teapot");
    let csv = shop.ok(&["customers", "export-one", "zelda.quixotic@example.com", "--format", "csv"]);
    assert!(csv.contains("touchpoint,") && csv.contains("purchase,") && csv.contains("Periwinkle teapot"), "{csv}");
    assert!(csv.contains("'=HYPERLINK"), "no cell starts a formula: {csv}");

    let before = shop.json(&["backup", "create"]);
    let bytes = database_bytes(&shop);
    assert!(contains(&bytes, "marzipan") && contains(&bytes, "periwinkle"), "the test can see what it looks for");

    // Erasure asks first, then leaves nothing behind.
    let said = shop.fails(&["customers", "erase", "zelda.quixotic@example.com"]);
    assert!(said.contains("1 touchpoints, 1 purchases and 2 consent records") && said.contains("--yes"), "{said}");
    let erased = shop.json(&["customers", "erase", "zelda.quixotic@example.com", "--yes"]);
    assert_eq!(erased["older_backups"][0]["id"], before["id"], "older backups still hold them, and are named");
    let bytes = database_bytes(&shop);
    for trace in ["quixotic", "zelda", "xylophone", "marzipan", "periwinkle", "zq.garnet"] {
        assert!(!contains(&bytes, trace), "“{trace}” is still in the database files");
    }
    assert!(contains(&bytes, "keep@example.com"), "the other customer is untouched");
    let found = shop.json(&["customers", "search", "quixotic"]);
    assert_eq!(found.as_array().unwrap().len(), 0);
    let err = shop.fails(&["customers", "show", "zelda.quixotic@example.com"]);
    assert!(err.contains("no customer"), "{err}");
}

mod exports {
    use proptest::prelude::*;
    use regulars::customers::{self, Change};
    use regulars::model::CustomerDraft;
    use regulars::normalize::Region;
    use regulars::{export, Store};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever a customer's fields hold, no exported CSV cell starts what a spreadsheet would
        /// run as a formula (OWASP's CSV-injection rule), and the text survives the round trip.
        #[test]
        fn no_exported_cell_starts_a_formula(notes in "\\PC{0,40}", company in "[=+@\\t\\r-]?\\PC{0,20}", tag in "[=+@-]?[a-z]{1,8}") {
            let mut store = Store::open_in_memory().unwrap();
            let change = Change { now: "2026-11-25T10:00:00Z".parse().unwrap(), region: Region::parse("GB").unwrap(), source: "test".into() };
            let draft = CustomerDraft { first_name: "Ann".into(), notes: notes.clone(), company: company.clone(), tags: vec![tag], ..Default::default() };
            let Ok(_) = customers::create(&mut store, &draft, &change) else { return Ok(()) };
            let mut out = Vec::new();
            export::write(&store, "csv", &export::Selection::All, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
                }
            }
        }
    }
}

#[test]
fn damage_that_still_lets_the_file_open_is_found_by_the_full_check_not_the_quick_open() {
    use regulars::customers::{self, Change};
    use regulars::{backup, normalize::Region, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    {
        let mut store = Store::open(&path).unwrap();
        let now: chrono::DateTime<chrono::Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let change = Change { now, region: Region::parse("GB").unwrap(), source: "test".into() };
        customers::create_many(&mut store, &regulars::demo::drafts(2_000, 7, now.date_naive()), &change).unwrap();
        store.purge(std::time::Duration::ZERO).unwrap();
    }
    // Compacted, then grown by more customers, so that the file's last pages hold their data (free
    // pages at its end would hide damage from any check, and the schema's pages are read by any open).
    rusqlite::Connection::open(&path).unwrap().execute_batch("VACUUM").unwrap();
    {
        let mut store = Store::open(&path).unwrap();
        let now: chrono::DateTime<chrono::Utc> = "2026-11-25T10:00:00Z".parse().unwrap();
        let change = Change { now, region: Region::parse("GB").unwrap(), source: "test".into() };
        let mut more = regulars::demo::drafts(600, 11, now.date_naive());
        for (i, d) in more.iter_mut().enumerate() {
            d.emails = vec![format!("more{i}@example.com")];
            d.phones.clear();
            d.handles.clear();
        }
        customers::create_many(&mut store, &more, &change).unwrap();
        store.purge(std::time::Duration::ZERO).unwrap();
    }
    assert!(backup::open_quick(&path).unwrap().1.is_none());
    assert!(backup::check(&path).unwrap().is_none(), "a sound file passes");

    // A failing disk: the last pages of the file overwritten; the first pages still read.
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    assert!(n > 16_384 * 8, "{n} bytes");
    for b in &mut bytes[n - 3 * 16_384..] {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let (store, damage) = backup::open_quick(&path).unwrap();
    assert!(damage.is_none(), "the quick open does not read every page");
    drop(store);
    let damage = backup::check(&path).unwrap().expect("the full check reads every page");
    assert!(!damage.problems.is_empty());
    assert!(backup::open_checked(&path).unwrap().1.is_some(), "open and check together still refuse it");
}

/// Imports (or with `dry_run` previews) `file` into the shop on a thread of its own, as the app
/// would, holding on for `hold` after the first batch; returns once it is under way.
fn import_holding_on(shop: &Shop, file: std::path::PathBuf, hold: std::time::Duration, dry_run: bool) -> std::thread::JoinHandle<regulars::import::Report> {
    use regulars::import::{self, Options};
    use regulars::normalize::Region;
    let (started_tx, started) = std::sync::mpsc::channel();
    let db = shop.db.clone();
    let importer = std::thread::spawn(move || {
        let mut store = regulars::Store::open(&db).unwrap();
        let options = Options { region: Region::parse("GB").unwrap(), phones_as: None, sheet: None, mapping: Vec::new(), dry_run };
        let mut first = true;
        import::run(&mut store, &file, &options, chrono::Utc::now(), &mut |_| {
            if std::mem::take(&mut first) {
                started_tx.send(()).unwrap();
                std::thread::sleep(hold);
            }
            true
        })
        .unwrap()
    });
    started.recv().unwrap();
    importer
}

/// The adversarial run's finding: a restore that backed up first and took the write lock only
/// afterwards overwrote an import that committed in between, and no backup held it.
#[test]
fn a_restore_waits_for_an_import_in_progress_and_its_safety_backup_holds_it() {
    use regulars::Store;
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let id = shop.json(&["backup", "create"])["id"].as_i64().unwrap();
    let file = shop.dir().join("new.csv");
    let mut text = String::from("Name,Email\n");
    for i in 0..5_000 {
        text.push_str(&format!("Person {i},p{i}@example.com\n"));
    }
    std::fs::write(&file, text).unwrap();

    // An import (the app, say) inside its transaction, holding on for a while before it commits.
    let importer = import_holding_on(&shop, file, std::time::Duration::from_millis(1_500), false);
    let restored = shop.json(&["backup", "restore", &id.to_string(), "--yes"]);
    let report = importer.join().unwrap();
    assert_eq!(report.counts.created, 5_000);

    // The restore came after the import: the shop is as the backup was, and the import is in the
    // backup of the state it replaced.
    assert_eq!(names(&shop), ["Ann"]);
    let safety = std::path::PathBuf::from(restored["backup_of_previous_state"]["path"].as_str().unwrap());
    let held = Store::open_backup(&safety).unwrap().db().customer_count().unwrap();
    assert_eq!(held, 5_001, "the safety backup holds the import");
    // Reading a backup leaves nothing beside it.
    let dir = safety.parent().unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| !n.ends_with(".db")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_backup_from_an_older_schema_restores_and_leftovers_of_killed_backups_are_swept() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let backup = shop.json(&["backup", "create"]);
    let dir = std::path::Path::new(backup["path"].as_str().unwrap()).parent().unwrap().to_path_buf();
    // What a killed backup and an old reader leave: stale for an hour.
    let stale = std::time::SystemTime::now() - std::time::Duration::from_secs(3_600);
    for name in ["1700000000-before-import.db.partial", "1700000000-daily.db-wal", "1700000000-daily.db-shm"] {
        let f = std::fs::File::create(dir.join(name)).unwrap();
        f.set_modified(stale).unwrap();
    }
    // A fresh one may be another process's backup in progress: it stays.
    std::fs::write(dir.join("1800000000-manual.db.partial"), b"in progress").unwrap();
    shop.ok(&["backup", "create"]);
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.iter().all(|n| n.ends_with(".db") || n == "1800000000-manual.db.partial"), "{names:?}");
    assert!(names.contains(&"1800000000-manual.db.partial".to_string()));
}

#[test]
fn a_database_from_a_newer_regulars_is_left_byte_for_byte_untouched() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann"]);
    // A newer Regulars's file: a schema version past this build's, in rollback-journal mode.
    {
        let conn = rusqlite::Connection::open(&shop.db).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&shop.db).unwrap();
    let err = shop.fails(&["customers", "list"]);
    assert!(err.contains("newer Regulars"), "{err}");
    assert_eq!(std::fs::read(&shop.db).unwrap(), before, "not even switched to WAL");
    assert!(!std::path::Path::new(&format!("{}-wal", shop.db.display())).exists());
}

#[test]
fn a_database_path_in_a_missing_folder_is_refused_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("shop.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_regulars")).arg("--db").arg(&path).args(["customers", "list"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("does not exist"), "{err}");
    assert!(!path.parent().unwrap().exists(), "no folder was made");
}

#[test]
fn every_field_has_a_sane_length() {
    let shop = Shop::new();
    let long_email = format!("{}@example.com", "a".repeat(100_000));
    let err = shop.fails(&["customers", "add", "--first-name", "Ann", "--email", &long_email]);
    assert!(err.contains("too long") && err.len() < 1_000, "{}", &err[..err.len().min(300)]);
    let err = shop.fails(&["customers", "add", "--first-name", "Ann", "--tag", &"t".repeat(100_000)]);
    assert!(err.contains("100 characters") && err.len() < 1_000, "{}", &err[..err.len().min(300)]);
    let err = shop.fails(&["customers", "add", "--first-name", "Ann", "--notes", &"n".repeat(30_000)]);
    assert!(err.contains("20000 characters"), "{}", &err[..err.len().min(300)]);
}

#[test]
fn erasure_reaches_unlinked_touchpoints_and_import_reports_and_lists_what_only_mentions_them() {
    let shop = Shop::new();
    let file = shop.dir().join("list.csv");
    // Her row has a phone that cannot be read: the report quotes her row; the layout samples her.
    std::fs::write(&file, "Name,Email,Phone,Notes\nZelda Quixotic,zelda.quixotic@example.com,12ab,Loves xylophone music\nKeep Me,keep@example.com,,\n").unwrap();
    shop.ok(&["import", file.to_str().unwrap()]);
    // A review under her name only (never linked: names do not link) and one by her email before she
    // was a customer... and someone else's comment that mentions her.
    shop.ok(&["touchpoints", "add", "--author", "Zelda Quixotic", "--channel", "google_reviews", "--kind", "review", "--rating", "2", "--text", "Marzipan voyage was late"]);
    shop.ok(&["touchpoints", "add", "--author", "@someone.else", "--channel", "instagram", "--kind", "comment", "--text", "Tell Zelda Quixotic the periwinkle teapot is back"]);
    let bytes = database_bytes(&shop);
    assert!(contains(&bytes, "marzipan") && contains(&bytes, "xylophone"), "the test can see what it looks for");

    let said = shop.fails(&["customers", "erase", "zelda.quixotic@example.com"]);
    assert!(said.contains("Also 1 touchpoints never linked"), "{said}");
    assert!(said.contains("1 other touchpoints mention them") && said.contains("@someone.else") && said.contains("periwinkle"), "{said}");
    let erased = shop.json(&["customers", "erase", "zelda.quixotic@example.com", "--yes"]);
    assert_eq!(erased["unlinked_touchpoints"], 1);
    assert_eq!(erased["import_reports_scrubbed"], 1);
    assert_eq!(erased["purge_pending"], false);
    let bytes = database_bytes(&shop);
    for trace in ["zelda.quixotic@", "xylophone", "marzipan", "12ab"] {
        assert!(!contains(&bytes, trace), "“{trace}” is still in the database files");
    }
    assert!(contains(&bytes, "periwinkle"), "what only mentions her is the owner's to decide");
    let imports = shop.json(&["imports", "list"]);
    assert_eq!(imports[0]["rows"], 2, "the import's counts stay");
}

#[test]
fn an_erasure_under_a_reader_says_what_is_pending_and_finishes_at_the_next_open() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Zelda", "--last-name", "Quixotic", "--notes", "Loves xylophone music"]);
    shop.ok(&["customers", "add", "--first-name", "Keep", "--last-name", "Me"]);
    // Another program (the app's analysis connection, say) in the middle of a read.
    let reader = rusqlite::Connection::open_with_flags(&shop.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    let out = shop.ok(&["customers", "erase", "Zelda Quixotic", "--yes"]);
    assert!(out.contains("still in its log") && out.contains("next time"), "{out}");
    assert!(contains(&database_bytes(&shop), "xylophone"), "the reader kept the log from being emptied");
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    // Any next open finishes it.
    assert_eq!(names(&shop), ["Keep Me"]);
    assert!(!contains(&database_bytes(&shop), "xylophone"), "purged at the next open");
    assert!(!contains(&database_bytes(&shop), "quixotic"));
}

/// Another process's edit during a long import waits for it, saying so, instead of failing after
/// five seconds with SQLite's "database is locked".
#[test]
fn a_writer_waits_for_an_import_in_another_process_and_says_what_it_waits_for() {
    let shop = Shop::new();
    let file = shop.dir().join("customers.csv");
    std::fs::write(&file, "Name,Email\nAnn Abbott,ann@example.com\n").unwrap();
    // Longer than the five seconds a writer used to wait before failing.
    let importer = import_holding_on(&shop, file, std::time::Duration::from_millis(6_500), false);
    let out = shop.run(&["customers", "add", "--first-name", "Ben", "--email", "ben@example.com"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Waiting for the import of customers.csv to finish"), "{err}");
    importer.join().unwrap();
    assert_eq!(names(&shop), ["Ann Abbott", "Ben"]);
    assert!(!std::path::Path::new(&format!("{}.busy", shop.db.display())).exists(), "the marker goes with the work");
}

/// A database the user may not write to gets a sentence, not SQLite's "attempt to write a readonly
/// database". Root may write anything, so as root the command runs as `nobody` (util-linux's
/// setpriv), where file permissions apply.
#[test]
fn a_read_only_database_is_refused_in_plain_words() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann"]);
    let dir = shop.db.parent().unwrap();
    // Readable and listable by everyone, writable by nobody else.
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let mut perms = entry.metadata().unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o444);
        std::fs::set_permissions(entry.path(), perms).unwrap();
    }
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_regulars")]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_regulars"))
    };
    let out = command.arg("--db").arg(&shop.db).args(["customers", "add", "--first-name", "Ben"]).env_remove("REGULARS_DB").output().unwrap();
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("read-only") && !err.contains("attempt to write"), "{err}");
}

/// The CLI's way back from a damaged database is the app's: `backup check` says what is wrong and
/// which backup is sound, and `backup restore` sets the damaged file aside (never deletes it) and
/// puts the backup in its place, where it used to refuse because the safety backup failed its check.
#[test]
fn the_cli_recovers_a_damaged_database_from_its_newest_sound_backup() {
    let shop = Shop::new();
    shop.ok(&["demo", "--count", "2000"]);
    let sound = shop.json(&["backup", "create"]);
    assert_eq!(shop.json(&["backup", "check"])["sound"], true);
    // A failing disk: the last pages of the file overwritten; the first pages still read.
    let mut bytes = std::fs::read(&shop.db).unwrap();
    let n = bytes.len();
    for b in &mut bytes[n - 3 * 16_384..] {
        *b = 0xA5;
    }
    std::fs::write(&shop.db, bytes).unwrap();

    let check = shop.json(&["backup", "check"]);
    assert_eq!(check["sound"], false, "{check}");
    assert_eq!(check["damage"]["newest_sound_backup"]["id"], sound["id"], "{check}");
    let id = sound["id"].to_string();
    let said = shop.fails(&["backup", "restore", &id]);
    assert!(said.contains("is damaged") && said.contains("kept, not deleted"), "{said}");
    let restored = shop.json(&["backup", "restore", &id, "--yes"]);
    let kept = std::path::PathBuf::from(restored["damaged_kept_as"].as_str().expect("set aside"));
    assert!(kept.exists(), "the damaged file is kept");
    assert_eq!(shop.json(&["backup", "check"])["sound"], true);
    let listed = String::from_utf8(shop.run(&["customers", "list"]).stderr).unwrap();
    assert!(listed.contains("of 2000 customers"), "{listed}");
}

/// A preview holds no lock on a shop small enough to copy: an edit from another process during a
/// long preview goes through at once, with nothing to wait for.
#[test]
fn a_preview_holds_no_lock_on_a_small_shop() {
    let shop = Shop::new();
    let file = shop.dir().join("customers.csv");
    std::fs::write(&file, "Name,Email\nAnn Abbott,ann@example.com\n").unwrap();
    let previewer = import_holding_on(&shop, file, std::time::Duration::from_millis(6_500), true);
    let out = shop.run(&["customers", "add", "--first-name", "Ben", "--email", "ben@example.com"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains("Waiting"), "{err}");
    let report = previewer.join().unwrap();
    assert_eq!(report.counts.created, 1, "the preview still says what the import would do");
    assert_eq!(names(&shop), ["Ben"], "and stores nothing");
}

/// An erasure killed while it purges (here: while a reader keeps the log from being emptied) is
/// finished by the next open of the database, from the record its own transaction left.
#[test]
fn an_erasure_killed_while_it_purges_is_finished_at_the_next_open() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Zelda", "--last-name", "Quixotic", "--notes", "Loves xylophone music"]);
    shop.ok(&["customers", "add", "--first-name", "Keep", "--last-name", "Me"]);
    let reader = rusqlite::Connection::open_with_flags(&shop.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    let mut erasing = std::process::Command::new(env!("CARGO_BIN_EXE_regulars"))
        .arg("--db")
        .arg(&shop.db)
        .args(["customers", "erase", "Zelda Quixotic", "--yes"])
        .env_remove("REGULARS_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The erasure commits at once, then tries to empty the log for three seconds: kill it then.
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    erasing.kill().unwrap();
    erasing.wait().unwrap();
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    assert!(contains(&database_bytes(&shop), "xylophone"), "the killed purge left the old copy in the log");
    assert_eq!(names(&shop), ["Keep Me"], "the erasure itself was committed");
    assert!(!contains(&database_bytes(&shop), "xylophone"), "the next open finished the purge");
    let err = shop.fails(&["customers", "erase", "Zelda Quixotic", "--yes"]);
    assert!(err.contains("no customer"), "{err}");
}
