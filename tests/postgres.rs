//! A shop on more than one computer: the shop's file moved into a real PostgreSQL server (from
//! the system's packages, see `common::pg_server`) and brought back, through the real `regulars`
//! binary. Nothing is lost or changed on the way, a database that holds a shop is never written
//! over, and a database from a newer Regulars is refused untouched.

mod common;

use std::collections::BTreeMap;

use common::pg_server::Postgres;
use common::Shop;
use regulars::store::postgres::{PgStore, SCHEMA_VERSION as PG_SCHEMA_VERSION};
use regulars::Store;
use rusqlite::types::Value;

/// A shop with something in most tables: the demo shop (customers, touchpoints, purchases,
/// suggestions), an import, and a customer whose details hold what COPY's text format escapes.
fn busy_shop() -> Shop {
    let shop = Shop::new();
    shop.ok(&["demo", "--count", "120", "--seed", "7"]);
    shop.ok(&["import", common::samples().join("square_customer_directory.csv").to_str().unwrap()]);
    shop.ok(&[
        "customers", "add", "--first-name", "Zoë\tTab", "--last-name", "O'Brien \\N", "--email", "zoe@example.com",
        "--notes", "line one\nline two\r\nback\\slash 🌷", "--tag", "vip", "--consent", "email=yes",
    ]);
    shop
}

/// Every row of every table a move carries, in a fixed order.
fn rows_of(db: &std::path::Path) -> BTreeMap<String, Vec<Vec<Value>>> {
    let store = Store::open(db).unwrap();
    let tables = store.movable_tables().unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut all = BTreeMap::new();
    for (table, columns) in tables {
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY {}", order.join(", "))).unwrap();
        let n = stmt.column_count();
        let rows: Vec<Vec<Value>> = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect()).unwrap().map(Result::unwrap).collect();
        all.insert(table, rows);
    }
    all
}

#[test]
fn a_shop_moves_to_postgres_and_back_unchanged() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = busy_shop();
    let before = rows_of(&shop.db);
    assert!(before["customers"].len() > 120 && !before["touchpoints"].is_empty() && !before["imports"].is_empty());

    let moved = shop.json(&["share", "--to", &url]);
    let tables = moved["tables"].as_array().unwrap();
    for t in tables {
        assert_eq!(t["from"], t["to"], "{t}");
        assert_eq!(t["from"].as_u64().unwrap() as usize, before[t["table"].as_str().unwrap()].len(), "{t}");
    }
    assert!(moved["backup"]["path"].as_str().is_some_and(|p| std::path::Path::new(p).exists()), "a backup first: {moved}");
    assert_eq!(rows_of(&shop.db), before, "the file is left as it was");

    // On the server: the same customers, and new rows numbered after the moved ones.
    let mut client = pg.connect(&url);
    let customers: i64 = client.query_one("SELECT count(*) FROM customers", &[]).unwrap().get(0);
    assert_eq!(customers as usize, before["customers"].len());
    // Settled before the first person uses it: its rows counted for the planner, and marked
    // seen by everyone (a page of the table all visible), by the move rather than the server's
    // own vacuum later.
    let (counted, visible): (f32, i32) = client
        .query_one("SELECT reltuples, relallvisible FROM pg_class WHERE oid = 'touchpoints'::regclass", &[])
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert!(counted as usize == before["touchpoints"].len() && visible > 0, "counted {counted}, pages all visible {visible}");
    let notes: String = client.query_one("SELECT notes FROM customers WHERE first_name = 'Zoë\tTab'", &[]).unwrap().get(0);
    assert_eq!(notes, "line one\nline two\r\nback\\slash 🌷");
    let next: i64 = client
        .query_one("INSERT INTO segments (name, filter, created_at) VALUES ('x', '{}', 'now') RETURNING (SELECT nextval(pg_get_serial_sequence('customers', 'id')))", &[])
        .unwrap()
        .get(0);
    assert_eq!(next, before["customers"].iter().map(|r| match r[0] { Value::Integer(i) => i, _ => 0 }).max().unwrap() + 1);
    client.batch_execute("DELETE FROM segments WHERE name = 'x'").unwrap();
    // The move set the checks and indexes aside while the rows arrived: every one is back.
    let fresh = pg.database();
    PgStore::connect(&fresh).unwrap();
    let shape = |c: &mut postgres::Client| -> Vec<String> {
        c.query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
             UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    assert_eq!(shape(&mut client), shape(&mut pg.connect(&fresh)));

    // Back into a new file: every row as it was, and the customers found by search again.
    let back = shop.dir().join("back.db");
    Shop::at(&url).ok(&["share", "--back", back.to_str().unwrap()]);
    let mut after = rows_of(&back);
    let mut want = before.clone();
    // The settings a move marks: the search words to be made (and made, so the mark is gone).
    for rows in [&mut after, &mut want] {
        rows.get_mut("settings").unwrap().retain(|r| r[0] != Value::Text("search_words_stale".into()));
    }
    assert_eq!(after, want);
    let found = Shop::at(back).json(&["customers", "search", "zoe"]);
    assert!(found.to_string().contains("O'Brien"), "{found}");
}

#[test]
fn a_database_that_holds_a_shop_is_never_written_over() {
    let pg = Postgres::start();
    let url = pg.database();
    let first = busy_shop();
    first.ok(&["share", "--to", &url]);
    let mut client = pg.connect(&url);
    let count = |c: &mut postgres::Client| -> i64 { c.query_one("SELECT count(*) FROM customers", &[]).unwrap().get(0) };
    let held = count(&mut client);

    let second = Shop::new();
    second.ok(&["customers", "add", "--first-name", "Late", "--email", "late@example.com"]);
    let err = second.fails(&["share", "--to", &url]);
    assert!(err.contains("already holds a shop") && err.contains("Nothing was changed"), "{err}");
    assert_eq!(count(&mut client), held);

    // Nor is an existing file written over on the way back.
    let err = Shop::at(&url).fails(&["share", "--back", second.db.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(second.json(&["customers", "list"]).as_array().map(Vec::len), Some(1), "the file is as it was");
}

#[test]
fn a_database_from_a_newer_regulars_is_refused_untouched() {
    let pg = Postgres::start();
    let url = pg.database();
    PgStore::connect(&url).unwrap();
    let mut client = pg.connect(&url);
    client.batch_execute("UPDATE regulars_schema SET version = 99; CREATE TABLE from_the_future (x int)").unwrap();

    let shop = Shop::new();
    let err = Shop::at(&url).fails(&["share", "--back", shop.dir().join("b.db").to_str().unwrap()]);
    assert!(err.contains("newer Regulars") && err.contains("nothing was changed"), "{err}");
    let version: i64 = client.query_one("SELECT version FROM regulars_schema", &[]).unwrap().get(0);
    assert_eq!(version, 99);
    assert!(!shop.dir().join("b.db").exists(), "no file is left behind");
}

#[test]
fn both_schemas_hold_the_same_tables_and_columns() {
    let pg = Postgres::start();
    let mut shared = PgStore::connect(&pg.database()).unwrap();
    assert_eq!(shared.schema_version().unwrap(), PG_SCHEMA_VERSION);
    let file = Store::open_in_memory().unwrap();
    let here = file.movable_tables().unwrap();
    let there: BTreeMap<String, Vec<String>> =
        shared.tables().unwrap().into_iter().map(|(t, cols)| (t, cols.into_iter().map(|(c, _)| c).collect())).collect();
    assert_eq!(
        here.keys().collect::<Vec<_>>(),
        there.keys().collect::<Vec<_>>(),
        "a table added to one schema needs a migration of the other"
    );
    for (table, columns) in &here {
        let mut a = columns.clone();
        let mut b = there[table].clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "{table}: a column added to one schema needs a migration of the other");
    }
    // Connecting again applies nothing twice.
    drop(shared);
    let mut again = PgStore::connect(&pg.database()).unwrap();
    assert_eq!(again.schema_version().unwrap(), PG_SCHEMA_VERSION);
}

#[test]
fn a_moved_shop_is_used_where_it_went_and_its_password_is_never_shown() {
    let pg = Postgres::start();
    let url = pg.database().replace("postgres://regulars@", "postgres://regulars:hunter2@");
    let shop = busy_shop();
    let out = shop.ok(&["share", "--to", &url]);
    assert!(out.contains("customers") && !out.contains("hunter2"), "{out}");
    // Every command works on the shop where it went, its search words made at the first opening.
    let there = Shop::at(&url);
    let listed = there.json(&["customers", "list"]);
    let here = shop.json(&["customers", "list"]);
    assert_eq!(listed, here, "the same customers, in the same order");
    let name = here[0]["display_name"].as_str().unwrap().to_string();
    let word = name.split_whitespace().next().unwrap().to_lowercase();
    let found = there.json(&["customers", "search", &word]);
    assert_eq!(found, shop.json(&["customers", "search", &word]), "search finds the same customers there");
    let err = there.fails(&["customers", "show", "999999"]);
    assert!(!err.contains("hunter2"), "{err}");
    // Erased there: gone from the shop and from its search (the server vacuums after).
    let id = here[0]["id"].to_string();
    there.ok(&["backup", "create"]);
    let erased = there.json(&["customers", "erase", &id, "--yes"]);
    assert_eq!(erased["older_backups"].as_array().map(Vec::len), Some(1), "the backup made here still holds them: {erased}");
    assert!(erased["beyond_reach"].as_str().unwrap().contains("server may keep backups of its own"), "{erased}");
    assert!(there.fails(&["customers", "show", &id]).contains("no customer"));
    assert!(there.json(&["customers", "search", &word]).as_array().unwrap().iter().all(|c| c["id"].to_string() != id));
    let err = Shop::at("postgres://regulars:hunter2@127.0.0.1:1/nowhere").fails(&["share", "--back", "x.db"]);
    assert!(err.contains("could not connect") && !err.contains("hunter2"), "{err}");
}

#[test]
fn a_shared_shops_backups_are_files_of_it_made_before_imports_and_by_hand_and_restore_onto_the_server() {
    let pg = Postgres::start();
    let shop = Shop::at(pg.database());
    shop.ok(&["settings", "set", "country", "GB"]);
    shop.ok(&["demo", "--count", "40"]);
    let made = shop.json(&["backup", "create"]);
    let file = made["path"].as_str().unwrap().to_string();
    assert!(file.starts_with(shop.dir().to_str().unwrap()), "in Regulars' data folder on this computer: {file}");
    assert!(file.contains("shared") && file.ends_with(".db"), "{file}");
    // The backup is a shop's file: the same customers, found by the same search.
    let copy = Shop::at(&file);
    assert_eq!(copy.json(&["customers", "list"]), shop.json(&["customers", "list"]));
    let contacts = common::contacts().join("google_contacts.csv");
    shop.ok(&["import", contacts.to_str().unwrap()]);
    let listed = shop.json(&["backup", "list"]);
    let reasons: Vec<&str> = listed.as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("before-import")), "{reasons:?}");
    // Restored onto the server: the import's customers gone, the state before kept as a backup,
    // and every customer found again by search.
    let before_restore = shop.json(&["customers", "list"]);
    // Asked first, it says what would be replaced: the shop on the server, not a file.
    let said = shop.fails(&["backup", "restore", &made["id"].to_string()]);
    let now = before_restore.as_array().unwrap().len();
    assert!(said.contains("the shared shop postgres://") && said.contains(&format!("({now} customers)")) && said.contains("(40 customers)") && !said.contains("damaged"), "{said}");
    let restored = shop.json(&["backup", "restore", &made["id"].to_string(), "--yes"]);
    assert!(restored["backup_of_previous_state"]["path"].is_string(), "{restored}");
    assert_eq!(shop.json(&["customers", "list"]), copy.json(&["customers", "list"]));
    assert_ne!(before_restore, copy.json(&["customers", "list"]), "the import had added customers");
    let name = copy.json(&["customers", "list"])[0]["last_name"].as_str().unwrap().to_lowercase();
    assert_eq!(shop.json(&["customers", "search", &name]), copy.json(&["customers", "search", &name]));
    // New customers there are numbered after the restored ones.
    let added = shop.json(&["customers", "add", "--first-name", "Nova", "--email", "nova@example.com"]);
    assert!(added["id"].as_i64().unwrap() > 40, "{added}");
}

/// The server of `url` (a test server's address: its login needs no password).
fn server_of(url: &str) -> regulars::share::Server {
    regulars::share::Server::from_url(url).expect("a test server's address")
}

#[test]
fn share_this_shop_looks_first_moves_the_shop_and_every_computer_then_opens_it_by_default() {
    use regulars::share;
    use regulars::store::postgres::Holds;
    let pg = Postgres::start();
    let url = pg.database();
    let shop = busy_shop();
    let customers = Store::open(&shop.db).unwrap().db().customer_count().unwrap();

    // "Test connection" changes nothing: an empty database, on the loopback, not encrypted.
    let looked = share::look(&server_of(&url), None).unwrap();
    assert_eq!((looked.holds, looked.encrypted), (Holds::Nothing, false));
    assert_eq!(PgStore::connection(&url).unwrap().schema_version().unwrap(), 0, "looking wrote nothing");
    let wrong = regulars::share::Server { port: 1, ..server_of(&url) };
    let err = share::look(&wrong, Some("s3cret")).unwrap_err().to_string();
    assert!(err.contains("could not connect") && !err.contains("s3cret"), "{err}");

    // The move: this computer's shop is then the one on the server, remembered without a password.
    let here = tempfile::tempdir().unwrap();
    let store = Store::open(&shop.db).unwrap();
    let (moved, mut shared) = share::share_on(here.path(), &store, server_of(&url), None, chrono::Utc::now()).unwrap();
    assert!(moved.backup.is_some(), "a backup of the file first");
    assert_eq!(regulars::search::search(&shared, "zoe@example.com", 10, regulars::normalize::Region::parse("GB").unwrap()).unwrap().len(), 1, "searchable there at once");
    assert_eq!(shared.db().customer_count().unwrap(), customers);
    assert_eq!(share::remembered(here.path()), Some(server_of(&url)));
    assert_eq!(share::look(&server_of(&url), None).unwrap().holds, Holds::Shop { customers });
    customers_add(&mut shared);

    // A second computer joins it; a database that holds no shop, or another program's tables, is
    // not joined.
    let there = tempfile::tempdir().unwrap();
    let joined = share::join(there.path(), server_of(&url), None).unwrap();
    assert_eq!(joined.db().customer_count().unwrap(), customers + 1, "what the first computer added");
    let empty = pg.database();
    let refused = share::join(there.path(), server_of(&empty), None).err().expect("an empty database is not joined");
    assert!(refused.to_string().contains("holds no shop"), "{refused}");
    pg.connect(&empty).batch_execute("CREATE TABLE invoices (id int)").unwrap();
    assert_eq!(share::look(&server_of(&empty), None).unwrap().holds, Holds::Other);

    // The command line without --db opens the shop this computer remembers.
    let data = tempfile::tempdir().unwrap();
    share::remember(&data.path().join("Regulars"), Some(&server_of(&url)), false).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_regulars"))
        .args(["customers", "list", "--limit", "1000", "--json"])
        .env_remove("REGULARS_DB")
        .env("XDG_DATA_HOME", data.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(customers as usize + 1));

    // Back to its own file: forgotten, and the file is as it was.
    share::remember(here.path(), None, false).unwrap();
    assert_eq!(share::remembered(here.path()), None);
    assert_eq!(Store::open(&shop.db).unwrap().db().customer_count().unwrap(), customers);
}

/// Adds a customer on a store (as the app's form would).
fn customers_add(store: &mut Store) {
    let draft = regulars::model::CustomerDraft { first_name: "Maya".into(), emails: vec!["maya@example.com".into()], ..Default::default() };
    let change = regulars::customers::Change::from_settings(store, chrono::Utc::now(), "app").unwrap();
    regulars::customers::create(store, &draft, &change).unwrap();
}

#[test]
fn each_person_has_their_own_login_and_their_name_on_what_they_import_merge_and_answer() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "GB"]);
    shop.ok(&["share", "--to", &url]);
    // The owner gives two people of the shop their own logins on the shop's tables.
    let mut admin = pg.connect(&url);
    let unique = url.rsplit('/').next().unwrap().to_string();
    let (anna, ben) = (format!("anna_{unique}"), format!("ben_{unique}"));
    for person in [&anna, &ben] {
        admin
            .batch_execute(&format!(
                "CREATE ROLE {person} LOGIN; GRANT ALL ON ALL TABLES IN SCHEMA public TO {person}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {person}"
            ))
            .unwrap();
    }
    let as_person = |person: &str| Shop::at(url.replacen(&format!("://{}@", url_user(&url)), &format!("://{person}@"), 1));
    let (anna_shop, ben_shop) = (as_person(&anna), as_person(&ben));

    let csv = shop.dir().join("regulars.csv");
    std::fs::write(&csv, "First Name,Last Name,Email\nZoë,Fairweather,zoe@example.com\nZoe,Fairweather,zoe.f@example.com\n").unwrap();
    anna_shop.ok(&["import", csv.to_str().unwrap()]);
    let imports = ben_shop.json(&["imports", "list"]);
    assert_eq!(imports[0]["done_by"], anna.as_str(), "{imports}");
    assert!(ben_shop.ok(&["imports", "list"]).contains(&format!("by {anna}")));

    let merged = ben_shop.json(&["customers", "merge", "zoe@example.com", "zoe.f@example.com"]);
    let kept = merged["customer"]["id"].as_i64().unwrap();
    let by: String = admin.query_one("SELECT done_by FROM merges WHERE keep_id = $1", &[&kept]).unwrap().get(0);
    assert_eq!(by, ben);

    let asked = anna_shop.json(&["touchpoints", "add", "--customer", "zoe@example.com", "--channel", "instagram", "--kind", "question", "--text", "Open on Sunday?"]);
    let id = asked["id"].as_i64().unwrap().to_string();
    let reply = ben_shop.json(&["touchpoints", "reply", &id, "--text", "Yes, 10 to 4"]);
    assert_eq!(reply["author"], ben.as_str(), "the reply carries who wrote it: {reply}");

    // In the file, nobody in particular: the same columns, empty.
    let file = shop.dir().join("back.db");
    Shop::at(&url).ok(&["share", "--back", file.to_str().unwrap()]);
    assert_eq!(Shop::at(file.to_str().unwrap()).json(&["imports", "list"])[0]["done_by"], anna.as_str(), "kept on the way back");
    shop.ok(&["import", csv.to_str().unwrap()]);
    assert_eq!(shop.json(&["imports", "list"])[0]["done_by"], "");
}

#[test]
fn every_login_reads_how_common_the_search_words_are() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    for (name, email) in [("Maya", "maya@example.com"), ("Omar", "omar@example.com"), ("Ines", "ines@shop.test")] {
        shop.ok(&["customers", "add", "--first-name", name, "--email", email]);
    }
    shop.ok(&["share", "--to", &url]);
    Shop::at(&url).ok(&["customers", "search", "maya"]); // the first opening there makes the search words
    let mut admin = pg.connect(&url);
    let person = format!("cleo_{}", url.rsplit('/').next().unwrap());
    admin.batch_execute(&format!("ANALYZE customer_finds; CREATE ROLE {person} LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {person}")).unwrap();
    let mut cleo = pg.connect(&url.replacen(&format!("://{}@", url_user(&url)), &format!("://{person}@"), 1));
    let hidden: i64 = cleo.query_one("SELECT count(*) FROM pg_stats WHERE tablename = 'customer_finds_keys'", &[]).unwrap().get(0);
    assert_eq!(hidden, 0, "the server shows its counts of an index to the index's owner alone");
    let mut share = |key: &str| -> Option<f32> {
        cleo.query_opt("SELECT f FROM regulars_common_keys(0.5) WHERE k = $1", &[&key]).unwrap().map(|r| r.get(0))
    };
    let example = share("2=example").expect("example.com is common");
    assert!((example - 2.0 / 3.0).abs() < 1e-6, "two customers in three have an email at example.com: {example}");
    assert_eq!(share("0m"), None, "one in three is less than the half asked for");
}

#[test]
fn previews_on_the_server_use_up_no_numbers() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "GB"]);
    shop.ok(&["share", "--to", &url]);
    let there = Shop::at(&url);
    let list = shop.dir().join("customers.csv");
    std::fs::write(&list, "Name,Email\nAnn Abbott,ann@example.com\nBen Booth,ben@example.com\n").unwrap();
    let sales = shop.dir().join("orders.csv");
    std::fs::write(&sales, "Order,Email,Total,Date\n1001,ann@example.com,12.50,2026-11-30\n").unwrap();
    for _ in 0..2 {
        there.ok(&["import", list.to_str().unwrap(), "--dry-run"]);
    }
    there.ok(&["import", list.to_str().unwrap()]);
    there.ok(&["purchases", "import", sales.to_str().unwrap(), "--dry-run"]);
    there.ok(&["purchases", "import", sales.to_str().unwrap()]);
    let imports = there.json(&["imports", "list"]);
    let mut numbers: Vec<i64> = imports.as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2], "each import numbered as if no preview had run: {imports}");
    let customers: Vec<i64> = there.json(&["customers", "list"]).as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(customers, [1, 2]);
}

/// The login in a test server's address.
fn url_user(url: &str) -> &str {
    url.trim_start_matches("postgres://").split('@').next().unwrap()
}

#[test]
fn people_editing_one_customer_at_once_on_the_server_lose_none_of_their_edits() {
    use regulars::customers::{self, Change, Keep};
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Zoë", "--email", "zoe@example.com"]);
    shop.ok(&["share", "--to", &url]);
    // Four people, each adding tags to Zoë from the version their form showed; one whose save
    // meets another's is asked, and makes the change again on what is there now.
    let people: Vec<_> = (0..4)
        .map(|person| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(std::path::Path::new(&url)).unwrap();
                let mut saved = Vec::new();
                for k in 0..25 {
                    let tag = format!("p{person}-{k}");
                    loop {
                        let opened = customers::get(&store, 1).unwrap();
                        let mut draft = regulars::model::CustomerDraft::from(&opened);
                        draft.tags.push(tag.clone());
                        let change = Change::from_settings(&store, chrono::Utc::now(), "app").unwrap();
                        match customers::save_edit(&mut store, 1, &draft, &opened, &BTreeMap::<String, Keep>::new(), &change) {
                            Ok(_) => break,
                            Err(e) if e.code() == "changed_meanwhile" => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                    saved.push(tag);
                }
                saved
            })
        })
        .collect();
    let saved: Vec<String> = people.into_iter().flat_map(|p| p.join().unwrap()).collect();
    let zoe = customers::get(&Store::open(std::path::Path::new(&url)).unwrap(), 1).unwrap();
    let lost: Vec<&String> = saved.iter().filter(|t| !zoe.tags.contains(t)).collect();
    assert!(lost.is_empty(), "{} of {} saved edits lost: {lost:?}", lost.len(), saved.len());
}

#[test]
fn on_the_server_a_name_is_looked_up_and_the_list_ordered_through_the_names_index() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Zoë", "--email", "zoe@example.com"]);
    shop.ok(&["share", "--to", &url]);
    let mut client = pg.connect(&url);
    // However few the rows, the plan must be able to read the index by name (not only filter).
    client.batch_execute("SET enable_seqscan = off; SET enable_bitmapscan = off").unwrap();
    let mut plan = |sql: &str| -> String {
        client.query(&format!("EXPLAIN {sql}"), &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n")
    };
    let lookup = plan("SELECT id FROM customers WHERE sort_name = 'zoe' AND deleted_at IS NULL ORDER BY id LIMIT 1");
    assert!(lookup.contains("customers_by_name") && lookup.contains("Index Cond: (sort_name = 'zoe'"), "{lookup}");
    let page = plan("SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY sort_name, id LIMIT 50");
    assert!(page.contains("customers_by_name") && !page.contains("Sort"), "a page of the list reads the index in order: {page}");
}

/// What a query finds in a shop: each customer's number and name, best first.
fn found(store: &Store, query: &str) -> Vec<(i64, String)> {
    let region = regulars::normalize::Region::parse("GB").unwrap();
    regulars::search::search(store, query, 10, region).unwrap().into_iter().map(|s| (s.id, s.display_name)).collect()
}

#[test]
fn search_finds_the_same_customers_best_first_in_the_file_and_on_the_server() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    // Enough customers that a letter or a common first name finds more than a look-up returns
    // (200): the ones kept are then the oldest, on both.
    shop.ok(&["demo", "--count", "2500", "--seed", "11"]);
    shop.ok(&["customers", "add", "--first-name", "Jürgen", "--last-name", "Straße", "--handle", "instagram:jurgen.s", "--phone", "07911 123456", "--region", "GB"]);
    let mut queries: Vec<String> = ('a'..='z').map(String::from).chain(["07", "7911", "+44 7911 123456", "Juergen", "strasse", "@jurgen"].map(String::from)).collect();
    let conn = rusqlite::Connection::open(&shop.db).unwrap();
    let mut people = conn
        .prepare(
            "SELECT first_name, last_name, (SELECT email FROM customer_emails WHERE customer_id = id ORDER BY position LIMIT 1),
                    (SELECT handle FROM customer_handles WHERE customer_id = id LIMIT 1)
             FROM customers WHERE id % 23 = 1",
        )
        .unwrap();
    let rows = people.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?))).unwrap();
    for row in rows {
        let (first, last, email, handle) = row.unwrap();
        for n in 1..=6 {
            let start = |s: &str| s.chars().take(n).collect::<String>();
            queries.push(start(&first));
            queries.push(format!("{first} {}", start(&last)));
            queries.extend(email.iter().map(|e| start(e)));
            queries.extend(handle.iter().map(|h| format!("@{}", start(h))));
        }
    }
    drop(people);
    drop(conn);
    shop.ok(&["share", "--to", &url]);
    let file = Store::open(&shop.db).unwrap();
    let mut shared = Store::open_shared(&url).unwrap();
    regulars::customers::refresh_search_words(&mut shared).unwrap();
    let mut checked = 0;
    let names = |found: &[(i64, String)]| found.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>();
    for q in &queries {
        let (here, there) = (found(&file, q), found(&shared, q));
        if here != there {
            // Where more match in other fields than a look-up keeps, the file keeps the oldest and
            // the server those it reaches first: the page may then show another of two namesakes.
            assert_eq!(names(&there), names(&here), "query {q:?}");
        }
        checked += usize::from(!here.is_empty());
    }
    assert!(checked > queries.len() * 9 / 10, "most queries find someone: {checked} of {}", queries.len());
    assert_eq!(found(&shared, "m").len(), 10, "a letter fills the page");
}

/// A customer list of `rows` rows that repeats people within a batch of the import (2,000 rows)
/// and across batches, and shares landlines between people of other names.
fn repeating_list(rows: usize) -> String {
    let mut csv = String::from("First Name,Last Name,Email,Phone,Instagram,Tags,Note\n");
    let first = ["Ann", "Bob", "Chloé", "Dev", "Eun-ji"];
    for i in 0..rows {
        let (person, tag, note) = match i {
            i if i % 9 == 8 => (i - 3, "again", "seen twice"),
            i if i % 97 == 0 && i > 2_100 => (i - 2_100, "returning", "back after a while"),
            _ => (i, "", ""),
        };
        let phone = if i % 50 == 10 { format!("020 8123 {:04}", i - 5) } else if person % 50 == 5 { format!("020 8123 {person:04}") } else { format!("07911 1{person:05}") };
        let name = first[if i % 50 == 10 { 1 } else { person % 5 }];
        csv.push_str(&format!("{name},Lee{},p{person}@example.com,{phone},p_{person},{tag},{note}\n", person % 40));
    }
    csv
}

/// What a shop holds of each customer, whatever their number and the times they were written.
fn exported(shop: &Shop) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> = serde_json::from_str(&shop.ok(&["export"])).unwrap();
    for c in &mut all {
        let c = c.as_object_mut().unwrap();
        c.retain(|k, _| !["created_at", "updated_at"].contains(&k.as_str()));
    }
    all.sort_by_key(|c| c["id"].as_i64());
    all
}

#[test]
fn an_import_into_the_server_writes_what_it_writes_into_the_file() {
    let pg = Postgres::start();
    let (file, server) = (Shop::new(), Shop::at(pg.database()));
    server.ok(&["settings", "set", "country", "GB"]);
    let list = file.dir().join("regulars.csv");
    std::fs::write(&list, repeating_list(4_700)).unwrap();
    let list = list.to_str().unwrap();
    let report = |shop: &Shop, args: &[&str]| {
        let mut r = shop.json(args);
        // Its number aside (the server's preview took one): counts, problems, rows shown.
        r.as_object_mut().unwrap().remove("import_id");
        for row in r["preview"].as_array_mut().unwrap() {
            if let Some(c) = row["customer"].as_object_mut() {
                c.retain(|k, _| !["created_at", "updated_at"].contains(&k.as_str()));
            }
        }
        r
    };
    // The preview first (rolled back on both), then the import.
    let same = |a: serde_json::Value, b: serde_json::Value| {
        if a != b {
            let dir = std::env::temp_dir();
            std::fs::write(dir.join("regulars-file.json"), serde_json::to_string_pretty(&a).unwrap()).unwrap();
            std::fs::write(dir.join("regulars-server.json"), serde_json::to_string_pretty(&b).unwrap()).unwrap();
            panic!("the file and the server differ: see regulars-file.json and regulars-server.json in {}", dir.display());
        }
        a
    };
    let preview = same(report(&file, &["import", list, "--dry-run"]), report(&server, &["import", list, "--dry-run"]));
    let imported = same(report(&file, &["import", list]), report(&server, &["import", list]));
    let counts = |r: &serde_json::Value| ["rows", "created", "merged", "unchanged", "rejected", "repeats"].map(|k| r[k].as_u64().unwrap());
    assert_eq!(counts(&preview), counts(&imported));
    assert_eq!(counts(&imported), [4_700, 4_160, 0, 0, 0, 540]);
    assert!(imported["problems"].to_string().contains("Shared phone"), "{}", imported["problems"]);
    // The same customers, numbered the same: in the order of their rows.
    let here = exported(&file);
    assert_eq!(here.len(), 4_160);
    assert_eq!(exported(&server), here);
    // Imported again: nothing new; undone: nothing left.
    let again = report(&server, &["import", list]);
    assert_eq!(counts(&again), [4_700, 0, 0, 4_160, 0, 540]);
    assert_eq!(exported(&server), here);
    for shop in [&file, &server] {
        let history = shop.json(&["imports", "list"]);
        let first = history.as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).min().unwrap();
        shop.ok(&["imports", "undo", &first.to_string()]);
    }
    assert_eq!(exported(&server), exported(&file));
    assert!(exported(&server).is_empty());
}

#[test]
fn on_the_server_each_write_notes_its_customers_and_what_is_kept_follows_them() {
    let pg = Postgres::start();
    let url = pg.database();
    let shop = Shop::new();
    shop.ok(&["demo", "--count", "40", "--seed", "5"]);
    shop.ok(&["share", "--to", &url]);
    let other = Shop::at(&url);
    let mut store = Store::open_shared(&url).unwrap();
    let now = chrono::Utc::now();
    // The first opening makes the search words (bulk work, like the move itself).
    assert!(regulars::customers::refresh_search_words(&mut store).unwrap());
    let moved = store.db().changes_mark().unwrap();
    assert!(store.db().changed_since(moved - 1, 100).unwrap().is_none(), "the move noted that anyone may have changed");
    assert_eq!(store.db().changed_since(moved, 100).unwrap(), Some((vec![], moved)), "nothing since");
    let kept = regulars::insight::compute_cached(&store, now).unwrap();
    let orders = |shop: &regulars::insight::Shop, id| shop.get(id).unwrap().1.value.orders;

    // Another computer tags #3 and records a purchase of #5: those two are noted, and only they.
    other.ok(&["customers", "edit", "3", "--tag", "noted"]);
    other.ok(&["purchases", "add", "--customer", "5", "--amount", "12.50", "--at", "2026-11-30"]);
    let (who, mark) = store.db().changed_since(moved, 100).unwrap().expect("noted one by one");
    assert_eq!(who, [3, 5]);
    let followed = regulars::insight::compute_cached(&store, now).unwrap();
    assert_eq!(orders(&followed, 5), orders(&kept, 5) + 1, "brought up to date from the notes");
    let fresh = regulars::insight::compute(&store, now).unwrap();
    assert_eq!(followed.customers.len(), fresh.customers.len());
    for (row, insight) in &fresh.customers {
        assert_eq!(orders(&followed, row.id), insight.value.orders, "#{}", row.id);
    }

    // A preview notes nothing (it is rolled back); an import, that anyone may have changed.
    let list = shop.dir().join("list.csv");
    std::fs::write(&list, "First Name,Email\nNoa,noa@example.com\nEli,eli@example.com\n").unwrap();
    other.ok(&["import", list.to_str().unwrap(), "--dry-run"]);
    assert_eq!(store.db().changes_mark().unwrap(), mark, "a preview leaves no note");
    other.ok(&["import", list.to_str().unwrap()]);
    assert!(store.db().changed_since(mark, 100).unwrap().is_none(), "bulk work: anyone may have changed");
    let after_import = store.db().changes_mark().unwrap();
    assert_eq!(after_import, mark + 1, "one note for the whole import, not one a row");
    assert_eq!(regulars::insight::compute_cached(&store, now).unwrap().customers.len(), fresh.customers.len() + 2);
}
