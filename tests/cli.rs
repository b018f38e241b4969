//! The `regulars` command line, run as a user runs it: a real binary on a real database file in a
//! fresh temporary folder per test.

mod common;

use std::process::Command;

use common::Shop;
use serde_json::Value;

fn add_elodie(shop: &Shop) -> Value {
    shop.json(&[
        "customers", "add", "--first-name", "Élodie", "--last-name", "Lefèvre",
        "--email", " Elodie@Example.FR ", "--email", "elo@work.example", "--phone", "07911 123456",
        "--handle", "instagram:@Elo.Shop", "--handle", "https://www.tiktok.com/@elodance",
        "--tag", "VIP", "--consent", "email=yes", "--consent", "sms=no", "--birthday", "1990-04-21",
        "--city", "Nantes", "--postal-code", "44000", "--country", "FR", "--custom", "size=M",
        "--preferred-channel", "instagram",
    ])
}

#[test]
fn add_prints_the_shared_customer_json() {
    let shop = Shop::new();
    let c = add_elodie(&shop);
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, [
        "id", "first_name", "last_name", "display_name", "emails", "phones", "handles", "address", "company",
        "birthday", "customer_since", "tags", "notes", "consent", "preferred_channel", "custom", "lifetime_spend",
        "orders_count", "last_visit", "first_purchase_at", "last_purchase_at", "created_at", "updated_at",
        "consent_history", "value", "role", "labels", "label_reasons",
    ]);
    assert_eq!(c["display_name"], "Élodie Lefèvre");
    assert_eq!(c["emails"], serde_json::json!(["elodie@example.fr", "elo@work.example"]));
    assert_eq!(c["phones"], serde_json::json!(["+447911123456"]));
    assert_eq!(c["handles"], serde_json::json!({"instagram": "elo.shop", "tiktok": "elodance"}));
    assert_eq!(c["address"]["postal_code"], "44000");
    assert_eq!(c["consent"], serde_json::json!({"email": "yes", "sms": "no"}));
    assert_eq!(c["custom"], serde_json::json!({"size": "M"}));
    assert_eq!(c["consent_history"].as_array().unwrap().len(), 2);
}

#[test]
fn search_finds_a_phone_however_it_is_written_best_match_first() {
    let shop = Shop::new();
    add_elodie(&shop);
    shop.ok(&["customers", "add", "--first-name", "Anna", "--last-name", "Lefebvre", "--phone", "+33 6 12 34 56 78"]);
    for q in ["07911 123456", "+44 7911 123456", "123456", "lefèvre", "ELO", "nantes", "vip"] {
        let hits = shop.json(&["customers", "search", q]);
        assert_eq!(hits[0]["display_name"], "Élodie Lefèvre", "query {q}");
    }
    let hits = shop.json(&["customers", "search", "lefe"]);
    assert_eq!(hits.as_array().unwrap().len(), 2);
    let text = shop.ok(&["customers", "search", "123456"]);
    assert!(text.contains("Élodie Lefèvre") && text.contains("+44 7911 123456"), "{text}");
    // --region reads a national number as another country's.
    let hits = shop.json(&["customers", "search", "06 12 34 56 78", "--region", "FR"]);
    assert_eq!(hits[0]["display_name"], "Anna Lefebvre");
}

#[test]
fn edit_adds_removes_and_records_consent() {
    let shop = Shop::new();
    let id = add_elodie(&shop)["id"].to_string();
    let c = shop.json(&[
        "customers", "edit", &id, "--phone", "+33 6 12 34 56 78", "--remove-email", "ELO@work.example",
        "--remove-tag", "vip", "--tag", "regular", "--remove-handle", "tiktok", "--consent", "email=no",
        "--notes", "Prefers linen",
    ]);
    assert_eq!(c["phones"], serde_json::json!(["+447911123456", "+33612345678"]));
    assert_eq!(c["emails"], serde_json::json!(["elodie@example.fr"]));
    assert_eq!(c["tags"], serde_json::json!(["regular"]));
    assert_eq!(c["handles"], serde_json::json!({"instagram": "elo.shop"}));
    assert_eq!(c["notes"], "Prefers linen");
    let history: Vec<String> = c["consent_history"].as_array().unwrap().iter()
        .map(|e| format!("{}={} via {}", e["channel"].as_str().unwrap(), e["status"].as_str().unwrap(), e["source"].as_str().unwrap()))
        .collect();
    assert_eq!(history, ["email=yes via cli", "sms=no via cli", "email=no via cli"]);
    // Show by any reference a person would use.
    for r in [id.as_str(), "elodie@example.fr", "07911123456", "@elo.shop", "Élodie Lefèvre"] {
        assert_eq!(shop.json(&["customers", "show", r])["id"].to_string(), id, "{r}");
    }
    assert!(shop.fails(&["customers", "edit", &id, "--remove-tag", "nope"]).contains("has no tag “nope”"));
}

#[test]
fn delete_moves_to_the_trash_and_restore_undoes_it() {
    let shop = Shop::new();
    let id = add_elodie(&shop)["id"].to_string();
    let out = shop.ok(&["customers", "delete", "elodie@example.fr"]);
    assert!(out.contains("regulars customers restore"), "{out}");
    assert!(shop.fails(&["customers", "show", &id]).contains("in the trash"));
    assert_eq!(shop.json(&["customers", "search", "elodie"]), serde_json::json!([]));
    let back = shop.json(&["customers", "restore", &id]);
    assert_eq!(back["emails"][0], "elodie@example.fr");
    assert_eq!(shop.json(&["customers", "search", "elodie"])[0]["id"].to_string(), id);
}

#[test]
fn list_is_in_name_order_and_paged() {
    let shop = Shop::new();
    for name in ["Zoë", "adam", "Émile", "Bea"] {
        shop.ok(&["customers", "add", "--first-name", name]);
    }
    let names = |v: Value| -> Vec<String> { v.as_array().unwrap().iter().map(|c| c["display_name"].as_str().unwrap().to_string()).collect() };
    assert_eq!(names(shop.json(&["customers", "list"])), ["adam", "Bea", "Émile", "Zoë"]);
    assert_eq!(names(shop.json(&["customers", "list", "--limit", "2", "--offset", "1"])), ["Bea", "Émile"]);
}

#[test]
fn wrong_arguments_get_clear_messages_and_a_failing_exit() {
    let shop = Shop::new();
    add_elodie(&shop);
    let cases: &[(&[&str], &str)] = &[
        (&["customers", "add", "--first-name", "X", "--email", "not-an-email"], "“not-an-email” is not an email address"),
        (&["customers", "add", "--first-name", "X", "--phone", "12"], "“12” is not a phone number"),
        (&["customers", "add", "--first-name", "X", "--birthday", "21/04/1990"], "YYYY-MM-DD"),
        (&["customers", "add", "--first-name", "X", "--handle", "myspace:x"], "“myspace” is not a known platform"),
        (&["customers", "add", "--first-name", "X", "--handle", "jane"], "PLATFORM:HANDLE"),
        (&["customers", "add", "--first-name", "X", "--consent", "email=maybe"], "yes, no or unknown"),
        (&["customers", "add", "--first-name", "X", "--consent", "fax=yes"], "not a known consent channel"),
        (&["customers", "add", "--first-name", "X", "--phone", "07911 123456"], "already belongs to Élodie Lefèvre"),
        (&["customers", "add", "--first-name", "X", "--phone", "612345678", "--region", "Francia"], "--region"),
        (&["customers", "add"], "needs at least a name"),
        (&["customers", "show", "4242"], "there is no customer #4242"),
        (&["customers", "show", "nobody"], "no customer matches “nobody”"),
        (&["customers", "frobnicate"], "unrecognized subcommand"),
        (&["settings", "set", "country", "Narnia"], "two-letter"),
        (&["settings", "get", "colour"], "not a setting"),
        (&["export", "--format", "pdf"], "invalid value 'pdf'"),
    ];
    for (args, expected) in cases {
        let err = shop.fails(args);
        assert!(err.contains(expected), "{args:?}: expected “{expected}” in: {err}");
    }
    let err = shop.fails(&["customers", "add", "--email", "x", "--phone", "1", "--birthday", "soon"]);
    assert!(err.contains("3 problems") && err.contains("emails:") && err.contains("phones:") && err.contains("birthday:"), "{err}");
    assert_eq!(shop.json(&["customers", "list"]).as_array().unwrap().len(), 1, "refused commands stored nothing");
}

#[test]
fn exports_json_and_excel_safe_csv() {
    let shop = Shop::new();
    add_elodie(&shop);
    shop.ok(&["customers", "add", "--first-name", "=HYPERLINK(\"http://x\")", "--notes", "line one\nline \"two\", with comma"]);
    let json: Value = serde_json::from_str(&shop.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[1]["display_name"], "Élodie Lefèvre");
    let path = shop.dir().join("out.csv");
    shop.ok(&["export", "--format", "csv", "--out", path.to_str().unwrap()]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["id", "first_name", "last_name", "display_name"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("first_name")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&rows[0][col("notes")], "line one\nline \"two\", with comma");
    assert_eq!(&rows[1][col("phones")], "'+447911123456");
    assert_eq!(&rows[1][col("last_name")], "Lefèvre");
}

#[test]
fn settings_and_the_database_location() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("from-env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_regulars"))
        .args(["settings", "get", "country"])
        .env("REGULARS_DB", &env_db)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "FR", "a new database takes its country from the locale");
    assert!(env_db.exists(), "REGULARS_DB names the file");
    let shop = Shop::new();
    assert_eq!(shop.json(&["settings", "get"])["country"], "GB");
    assert_eq!(shop.ok(&["settings", "set", "shop_name", "  The Linen Room "]).trim(), "shop_name = The Linen Room");
    assert_eq!(shop.ok(&["settings", "get", "shop_name"]).trim(), "The Linen Room");
}

#[test]
fn demo_shop_loads_and_is_searchable() {
    let shop = Shop::new();
    assert_eq!(shop.json(&["demo", "--count", "250"])["created"], 250);
    assert_eq!(shop.json(&["customers", "list", "--limit", "1000"]).as_array().unwrap().len(), 250);
    // Name matches come first, then those that only match elsewhere ("Left a lovely review" in notes).
    let hits = shop.json(&["customers", "search", "lef"]);
    let by_name: Vec<bool> = hits.as_array().unwrap().iter().map(|c| c["last_name"].as_str().unwrap().starts_with("Lef")).collect();
    assert!(by_name[0], "{hits}");
    assert!(by_name.windows(2).all(|w| w[0] || !w[1]), "no name match after a notes match: {by_name:?}");
    assert!(hits.as_array().unwrap().iter().any(|c| c["notes"].as_str().unwrap().starts_with("Left")), "{hits}");
}
