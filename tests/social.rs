//! Touchpoints, purchases and listening, through the real `regulars` binary on a real database
//! file: linking authors to customers, the inbox's order and reply clock, totals that follow from
//! purchases, bulk imports of reviews and order exports, and the timeline.

mod common;

use common::Shop;
use serde_json::Value;

fn log(shop: &Shop, args: &[&str]) -> Value {
    let mut all = vec!["touchpoints", "add"];
    all.extend_from_slice(args);
    shop.json(&all)
}

fn inbox_ids(shop: &Shop, now: &str) -> Vec<i64> {
    let inbox = shop.json(&["inbox", "--now", now]);
    inbox["items"].as_array().unwrap().iter().map(|i| i["touchpoint"]["id"].as_i64().unwrap()).collect()
}

#[test]
fn an_unknown_authors_touchpoints_join_the_customer_when_they_appear() {
    let shop = Shop::new();
    let t = log(&shop, &["--author", "@Mia.Styles", "--channel", "instagram", "--kind", "comment", "--at", "2026-11-20T10:00:00Z", "--text", "Love the new boots"]);
    assert_eq!(t["customer_id"], Value::Null);
    assert_eq!(t["sentiment_label"], "positive");
    // A customer added by hand with that handle takes it.
    let mia = shop.json(&["customers", "add", "--first-name", "Mia", "--handle", "instagram:mia.styles"]);
    let listed = shop.json(&["touchpoints", "list", "--customer", "@mia.styles"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["customer_id"], mia["id"]);
    // Later touchpoints by the handle go straight to her.
    let later = log(&shop, &["--author", "@mia.styles", "--channel", "instagram", "--kind", "dm", "--at", "2026-11-21T10:00:00Z", "--text", "Is it in stock?"]);
    assert_eq!(later["customer_id"], mia["id"]);

    // An author who arrives through a customer import is linked too; undoing the import keeps
    // what they said, unlinked again.
    let t2 = log(&shop, &["--author", "ben@example.com", "--channel", "email", "--kind", "question", "--at", "2026-11-22T09:00:00Z", "--text", "Do you ship to Ireland?"]);
    assert_eq!(t2["customer_id"], Value::Null);
    let file = shop.dir().join("people.csv");
    std::fs::write(&file, "Name,Email\nBen Okafor,Ben@Example.com\n").unwrap();
    let report = shop.json(&["import", file.to_str().unwrap()]);
    let ben = shop.json(&["customers", "show", "ben@example.com"]);
    let after = shop.json(&["touchpoints", "list", "--customer", "ben@example.com"]);
    assert_eq!(after[0]["id"], t2["id"]);
    assert_eq!(after[0]["customer_id"], ben["id"]);
    shop.ok(&["imports", "undo", &report["import_id"].to_string()]);
    let all = shop.json(&["touchpoints", "list"]);
    let kept = all.as_array().unwrap().iter().find(|t| t["id"] == t2["id"]).expect("the question is kept");
    assert_eq!(kept["customer_id"], Value::Null);
}

#[test]
fn quick_log_can_create_the_customer_on_the_spot_and_rejects_bad_fields_by_name() {
    let shop = Shop::new();
    let t = log(&shop, &["--author", "@newfan", "--create-customer", "--channel", "tiktok", "--kind", "mention", "--text", "obsessed with this shop"]);
    let id = t["created_customer"].as_i64().expect("a customer was created");
    assert_eq!(t["customer_id"], id);
    let c = shop.json(&["customers", "show", &id.to_string()]);
    assert_eq!(c["handles"]["tiktok"], "newfan");

    let err = shop.fails(&["touchpoints", "add", "--customer", "nobody@example.com", "--channel", "email", "--kind", "question"]);
    assert!(err.contains("nobody@example.com"), "{err}");
    let err = shop.fails(&["touchpoints", "add", "--author", "x", "--channel", "myspace", "--kind", "review", "--rating", "9", "--at", "yesterday"]);
    assert!(err.contains("myspace") && err.contains("1 to 5") && err.contains("yesterday"), "{err}");
    let err = shop.fails(&["touchpoints", "add", "--channel", "email", "--kind", "question"]);
    assert!(err.contains("who"), "{err}");
}

#[test]
fn the_inbox_puts_complaints_first_then_reach_and_value_and_the_clock_runs_against_targets() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Vera", "--email", "vip@example.com"]);
    shop.ok(&["purchases", "add", "--customer", "vip@example.com", "--amount", "2400", "--at", "2026-06-01"]);
    shop.ok(&["customers", "add", "--first-name", "Neil", "--email", "new@example.com"]);
    let now = "2026-11-24T12:00:00Z";
    // Old praise, a fresh complaint, and questions from a big account, a valued customer and a nobody.
    let praise = log(&shop, &["--author", "@fan", "--channel", "instagram", "--kind", "comment", "--at", "2026-11-22T12:00:00Z", "--text", "Gorgeous window display!"]);
    let complaint = log(&shop, &["--author", "@angry", "--channel", "x", "--kind", "complaint", "--at", "2026-11-24T11:50:00Z", "--text", "Third week waiting for my refund"]);
    let big = log(&shop, &["--author", "@influencer", "--channel", "instagram", "--kind", "question", "--reach", "250000", "--at", "2026-11-24T11:00:00Z", "--text", "Do you ship abroad?"]);
    let vip = log(&shop, &["--customer", "vip@example.com", "--channel", "email", "--kind", "question", "--at", "2026-11-24T11:00:00Z", "--text", "Can I reserve the green coat?"]);
    let nobody = log(&shop, &["--customer", "new@example.com", "--channel", "email", "--kind", "question", "--at", "2026-11-24T11:00:00Z", "--text", "Are you open Sunday?"]);
    let order = inbox_ids(&shop, now);
    let id = |v: &Value| v["id"].as_i64().unwrap();
    assert_eq!(order[0], id(&complaint), "a complaint comes first, however new: {order:?}");
    assert_eq!(order.last().copied(), Some(id(&praise)), "praise waits, however old: {order:?}");
    let pos = |v: &Value| order.iter().position(|&o| o == id(v)).unwrap();
    assert!(pos(&big) < pos(&nobody), "larger reach earlier");
    assert!(pos(&vip) < pos(&nobody), "higher customer value earlier");
    // A screen asks for the most urgent few; the counts still cover everyone.
    let first = shop.json(&["inbox", "--now", now, "--limit", "2"]);
    let shown: Vec<i64> = first["items"].as_array().unwrap().iter().map(|i| i["touchpoint"]["id"].as_i64().unwrap()).collect();
    assert_eq!(shown, order[..2], "the same order, cut short");
    assert_eq!(first["total"], order.len());
    assert_eq!(first["overdue"], shop.json(&["inbox", "--now", now])["overdue"]);
    assert!(first["items"][1]["why"].as_str().is_some_and(|w| !w.is_empty()), "the items shown say why");

    let inbox = shop.json(&["inbox", "--now", now]);
    let first = &inbox["items"][0];
    assert_eq!(first["target_minutes"], 60);
    assert_eq!(first["waiting_minutes"], 10);
    assert_eq!(first["overdue"], false);
    assert!(first["why"].as_str().unwrap().contains("Complaint"), "{first}");
    // The owner tightens the target: now the complaint is overdue, and it says so.
    shop.ok(&["reply-targets", "complaint", "5"]);
    let inbox = shop.json(&["inbox", "--now", now]);
    assert_eq!(inbox["items"][0]["overdue"], true);
    assert!(inbox["items"][0]["why"].as_str().unwrap().contains("overdue"));

    // Replying logs the reply, stops the clock, and takes it out of the inbox.
    let reply = shop.json(&["touchpoints", "reply", &id(&complaint).to_string(), "--text", "So sorry, refunding now", "--at", "2026-11-24T12:20:00Z"]);
    assert_eq!(reply["direction"], "out");
    assert_eq!(reply["in_reply_to"], complaint["id"]);
    assert!(!inbox_ids(&shop, now).contains(&id(&complaint)));
    let all = shop.json(&["touchpoints", "list"]);
    let replied = all.as_array().unwrap().iter().find(|t| t["id"] == complaint["id"]).unwrap();
    assert_eq!(replied["status"], "replied");
    assert_eq!(replied["replied_at"], "2026-11-24T12:20:00Z");
    let overview = shop.json(&["listening", "--now", "2026-11-24T13:00:00Z"]);
    assert_eq!(overview["median_reply_minutes"], 30);
    assert_eq!(overview["inbound"], 5);
    assert!(overview["topics"].as_array().unwrap().iter().any(|t| t["topic"] == "refunds and returns"));
    // Marking by hand: no reply needed takes it out too.
    shop.ok(&["touchpoints", "mark", &id(&praise).to_string(), "no_reply_needed"]);
    assert!(!inbox_ids(&shop, now).contains(&id(&praise)));
    let err = shop.fails(&["touchpoints", "reply", &reply["id"].to_string()]);
    assert!(err.contains("nothing to reply to"), "{err}");
}

#[test]
fn totals_follow_from_purchases_and_returns() {
    let shop = Shop::new();
    let file = shop.dir().join("crm.csv");
    std::fs::write(&file, "Email,Total Spent,Total Orders\nann@example.com,500.00,7\n").unwrap();
    shop.ok(&["import", file.to_str().unwrap()]);
    let ann = shop.json(&["customers", "show", "ann@example.com"]);
    assert_eq!((ann["lifetime_spend"].as_f64(), ann["orders_count"].as_i64()), (Some(500.0), Some(7)), "imported totals stand until purchases are recorded");
    assert_eq!(ann["first_purchase_at"], Value::Null);

    shop.ok(&["purchases", "add", "--customer", "ann@example.com", "--amount", "£40.00", "--at", "2026-03-02T10:00:00Z", "--order", "A-1"]);
    shop.ok(&["purchases", "add", "--customer", "ann@example.com", "--amount", "60", "--at", "2026-10-15T10:00:00Z", "--items", "Scarf", "--channel", "online"]);
    shop.ok(&["purchases", "add", "--customer", "ann@example.com", "--amount", "15", "--return", "--at", "2026-10-20T10:00:00Z"]);
    // The same order number twice is recorded once.
    let again = shop.json(&["purchases", "add", "--customer", "ann@example.com", "--amount", "40", "--order", "A-1"]);
    assert_eq!(again["duplicate"], true);
    let ann = shop.json(&["customers", "show", "ann@example.com"]);
    assert_eq!(ann["lifetime_spend"].as_f64(), Some(85.0));
    assert_eq!(ann["orders_count"].as_i64(), Some(2));
    assert_eq!(ann["first_purchase_at"], "2026-03-02T10:00:00Z");
    assert_eq!(ann["last_purchase_at"], "2026-10-15T10:00:00Z");

    log(&shop, &["--customer", "ann@example.com", "--channel", "in_store", "--kind", "visit", "--at", "2026-10-16T10:00:00Z"]);
    let timeline = shop.json(&["timeline", "ann@example.com"]);
    let kinds: Vec<String> = timeline.as_array().unwrap().iter().map(|e| format!("{}@{}", e["type"].as_str().unwrap(), &e["at"].as_str().unwrap()[..10])).collect();
    assert_eq!(kinds, ["purchase@2026-10-20", "touchpoint@2026-10-16", "purchase@2026-10-15", "purchase@2026-03-02"], "newest first");

    let err = shop.fails(&["purchases", "add", "--customer", "ann@example.com", "--amount", "lots"]);
    assert!(err.contains("lots"), "{err}");
}

#[test]
fn order_exports_import_once_linked_by_email_phone_or_the_other_systems_customer_id() {
    let shop = Shop::new();
    let customers = shop.dir().join("square_customers.csv");
    std::fs::write(&customers, "First Name,Last Name,Email Address,Phone Number,Square Customer ID\nAnn,Lee,ann@example.com,,SQ1\nBo,Chan,,07911 123456,SQ2\nCy,Dunn,,,SQ3\n").unwrap();
    shop.ok(&["import", customers.to_str().unwrap()]);

    // Shopify writes one row per line item; only the first row of an order has its total.
    let shopify = shop.dir().join("orders_export.csv");
    std::fs::write(
        &shopify,
        "Name,Email,Financial Status,Paid at,Currency,Total,Refunded Amount,Lineitem name,Billing Phone\n\
         #1001,ann@example.com,paid,2026-10-01 14:03:00 +0100,GBP,120.00,0.00,Wool coat,\n\
         #1001,ann@example.com,,,,,,Gloves,\n\
         #1002,,paid,2026-10-05 09:00:00 +0100,GBP,35.50,10.00,Beanie,+44 7911 123456\n\
         #1003,stranger@example.com,paid,2026-10-06 09:00:00 +0100,GBP,10.00,0.00,Socks,\n\
         #1004,ann@example.com,paid,not a date,GBP,10.00,0.00,Socks,\n",
    )
    .unwrap();
    let dry = shop.json(&["purchases", "import", shopify.to_str().unwrap(), "--dry-run"]);
    assert_eq!((dry["added"].as_u64(), dry["dry_run"].as_bool()), (Some(2), Some(true)));
    assert!(shop.json(&["purchases", "list", "--customer", "ann@example.com"]).as_array().unwrap().is_empty(), "a dry run stores nothing");
    let report = shop.json(&["purchases", "import", shopify.to_str().unwrap()]);
    assert_eq!((report["rows"].as_u64(), report["added"].as_u64(), report["rejected"].as_u64()), (Some(4), Some(2), Some(2)), "{report}");
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["row"] == 5 && p["message"].as_str().unwrap().contains("stranger@example.com")), "{report}");
    assert!(problems.iter().any(|p| p["row"] == 6 && p["column"] == "Paid at"), "{report}");
    let ann = shop.json(&["purchases", "list", "--customer", "ann@example.com"]);
    assert_eq!(ann[0]["items"], "Wool coat, Gloves");
    assert_eq!(ann[0]["amount"].as_f64(), Some(120.0));
    assert_eq!(ann[0]["at"], "2026-10-01T13:03:00Z");
    let bo = shop.json(&["purchases", "list", "--customer", "+447911123456"]);
    assert_eq!(bo[0]["amount"].as_f64(), Some(25.5), "refunds come off");
    let again = shop.json(&["purchases", "import", shopify.to_str().unwrap()]);
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)), "importing again adds nothing");

    // Square transactions name the customer by Square's id, kept from the customer import.
    let square = shop.dir().join("transactions.csv");
    std::fs::write(
        &square,
        "Date,Time,Time Zone,Gross Sales,Net Sales,Transaction ID,Event Type,Description,Customer ID,Customer Name\n\
         2026-09-30,15:04:00,London,\"£18.00\",\"£18.00\",TX9,Payment,Candle,SQ3,Cy Dunn\n\
         2026-10-02,10:00:00,London,-£18.00,-£18.00,TX10,Refund,Candle,SQ3,Cy Dunn\n",
    )
    .unwrap();
    let report = shop.json(&["purchases", "import", square.to_str().unwrap()]);
    assert_eq!(report["added"].as_u64(), Some(2), "{report}");
    let cy = shop.json(&["customers", "show", "Cy Dunn"]);
    assert_eq!((cy["lifetime_spend"].as_f64(), cy["orders_count"].as_i64()), (Some(0.0), Some(1)));
}

#[test]
fn review_exports_import_with_their_rows_checked() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let file = shop.dir().join("reviews.csv");
    std::fs::write(
        &file,
        "Reviewer,Platform,Rating,Review,Date,Followers\n\
         ann@example.com,google_reviews,5,Wonderful staff and a great selection,2026-11-01,\n\
         @boots_lover,instagram,,The heel fell apart after a week,2026-11-02 10:30,5400\n\
         Jo,myspace,3,meh,2026-11-03,\n\
         Kim,google_reviews,4,Nice,31/02/2026,\n",
    )
    .unwrap();
    let report = shop.json(&["touchpoints", "import", file.to_str().unwrap()]);
    assert_eq!((report["rows"].as_u64(), report["added"].as_u64(), report["rejected"].as_u64()), (Some(4), Some(2), Some(2)), "{report}");
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["row"] == 4 && p["message"].as_str().unwrap().contains("myspace")), "{report}");
    assert!(problems.iter().any(|p| p["row"] == 5 && p["column"] == "Date"), "{report}");
    let ann = shop.json(&["touchpoints", "list", "--customer", "ann@example.com"]);
    assert_eq!((ann[0]["kind"].as_str(), ann[0]["rating"].as_i64()), (Some("review"), Some(5)));
    let all = shop.json(&["touchpoints", "list"]);
    let heel = all.as_array().unwrap().iter().find(|t| t["author"] == "@boots_lover").unwrap();
    assert_eq!((heel["sentiment_label"].as_str(), heel["reach"].as_i64(), heel["kind"].as_str()), (Some("negative"), Some(5400), Some("comment")));
    let again = shop.json(&["touchpoints", "import", file.to_str().unwrap()]);
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
}

#[test]
fn sentiment_reads_standard_input_line_by_line_in_order() {
    let shop = Shop::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_regulars"))
        .args(["sentiment", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all("I love this shop!\nmy parcel never arrived\n\nwhat time do you open\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let labels: Vec<&str> = lines.iter().map(|l| l["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["positive", "negative", "neutral", "neutral"]);
    assert!(lines[0]["compound"].as_f64().unwrap() > 0.5);
    drop(shop);
}

#[test]
fn review_and_order_imports_are_in_the_history_and_undo_takes_exactly_them_away() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    shop.ok(&["purchases", "add", "--customer", "ann@example.com", "--amount", "20", "--at", "2026-01-05", "--order", "#1"]);
    let reviews = shop.dir().join("reviews.csv");
    std::fs::write(&reviews, "Reviewer,Platform,Rating,Review,Date\nann@example.com,google_reviews,5,Lovely,2026-02-01\nbo@example.com,google_reviews,2,Slow service,2026-02-02\n").unwrap();
    let orders = shop.dir().join("orders.csv");
    std::fs::write(&orders, "Name,Email,Paid at,Total,Lineitem name\n#2,ann@example.com,2026-02-03,30.00,Mug\n#3,ann@example.com,2026-02-04,15.50,Card\n").unwrap();

    // A preview is the import rolled back: nothing stored, nothing in the history.
    let preview = shop.json(&["touchpoints", "import", reviews.to_str().unwrap(), "--dry-run"]);
    assert_eq!((preview["added"].as_u64(), preview["import_id"].clone()), (Some(2), Value::Null));
    assert!(shop.json(&["imports", "list"]).as_array().unwrap().is_empty());

    let r = shop.json(&["touchpoints", "import", reviews.to_str().unwrap()]);
    let o = shop.json(&["purchases", "import", orders.to_str().unwrap()]);
    let history = shop.json(&["imports", "list"]);
    assert_eq!(history[0]["id"], o["import_id"]);
    assert_eq!((history[0]["kind"].as_str(), history[0]["created"].as_u64()), (Some("purchases"), Some(2)));
    assert_eq!((history[1]["kind"].as_str(), history[1]["file_name"].as_str()), (Some("touchpoints"), Some("reviews.csv")));
    assert_eq!(shop.json(&["customers", "show", "ann@example.com"])["lifetime_spend"], 65.5);

    let undone = shop.json(&["imports", "undo", &o["import_id"].to_string()]);
    assert_eq!(undone["records"], 2);
    let ann = shop.json(&["customers", "show", "ann@example.com"]);
    assert_eq!(ann["lifetime_spend"], 20.0, "the order added by hand stays; the totals follow");
    assert_eq!(shop.json(&["timeline", "ann@example.com"]).as_array().unwrap().iter().filter(|e| e["type"] == "purchase").count(), 1);

    // A reply made since to an imported review: the undo is refused, with why.
    let waiting = shop.json(&["touchpoints", "list"]);
    let slow = waiting.as_array().unwrap().iter().find(|t| t["text"] == "Slow service").unwrap()["id"].to_string();
    shop.ok(&["touchpoints", "reply", &slow, "--text", "Sorry, we were short-staffed"]);
    let refused = shop.fails(&["imports", "undo", &r["import_id"].to_string()]);
    assert!(refused.contains("replied to 1 of the messages"), "{refused}");
}

#[test]
fn review_and_order_exports_in_other_languages_are_read_by_their_headings() {
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "FR"]);
    shop.ok(&["customers", "add", "--first-name", "Léa", "--email", "lea@example.fr"]);
    let avis = shop.dir().join("avis.csv");
    std::fs::write(&avis, "Auteur;Plateforme;Note;Commentaire;Date\nlea@example.fr;google_reviews;5;Très belle boutique;2026-03-01\n").unwrap();
    let r = shop.json(&["touchpoints", "import", avis.to_str().unwrap()]);
    assert_eq!((r["added"].as_u64(), r["rejected"].as_u64()), (Some(1), Some(0)), "{r}");
    let commandes = shop.dir().join("bestellungen.csv");
    std::fs::write(&commandes, "Bestellnummer,E-Mail,Bestelldatum,Betrag,Artikel\nB-1,lea@example.fr,2026-03-02,\"42,50\",Vase\n").unwrap();
    let o = shop.json(&["purchases", "import", commandes.to_str().unwrap()]);
    assert_eq!((o["added"].as_u64(), o["rejected"].as_u64()), (Some(1), Some(0)), "{o}");
    assert_eq!(shop.json(&["customers", "show", "lea@example.fr"])["lifetime_spend"], 42.5);
}

#[test]
fn columns_whose_heading_says_nothing_are_read_by_their_values_and_shown_in_the_preview() {
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "GB"]);
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let file = shop.dir().join("wall.csv");
    std::fs::write(
        &file,
        "Reviewer,Stars,Posted on,What they said,Ref,Platform\n\
         ann@example.com,5,01/03/2026,Wonderful staff and a great selection,A1,google_reviews\n\
         @boots,2,02/03/2026,The heel fell apart after a week,A2,\n",
    )
    .unwrap();
    let preview = shop.json(&["touchpoints", "import", file.to_str().unwrap(), "--dry-run"]);
    let read_as: Vec<(String, String)> = serde_json::from_value(preview["columns"].clone()).unwrap();
    let fields: Vec<&str> = read_as.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(fields, ["author", "rating", "at", "text", "", "channel"], "{preview}");
    assert_eq!(preview["sample"][1][3], "The heel fell apart after a week", "{preview}");
    assert_eq!((preview["added"].as_u64(), preview["rejected"].as_u64()), (Some(1), Some(1)), "{preview}");
    assert!(preview["problems"][0]["message"].as_str().unwrap().starts_with("no channel given"), "{preview}");
    let r = shop.json(&["touchpoints", "import", file.to_str().unwrap()]);
    assert_eq!(r["added"], 1, "{r}");
    let ann = shop.json(&["touchpoints", "list", "--customer", "ann@example.com"]);
    assert_eq!((ann[0]["text"].as_str(), ann[0]["at"].as_str().map(|t| &t[..10])), (Some("Wonderful staff and a great selection"), Some("2026-03-01")), "{ann}");
}

#[test]
fn regulars_import_knows_a_review_or_order_file_from_a_customer_list() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@example.com"]);
    let reviews = shop.dir().join("reviews.csv");
    std::fs::write(&reviews, "Reviewer,Platform,Rating,Review,Date\nann@example.com,google_reviews,5,Lovely,2026-02-01\n").unwrap();
    let orders = shop.dir().join("orders.csv");
    std::fs::write(&orders, "Name,Email,Paid at,Total,Lineitem name\n#2,ann@example.com,2026-02-03,30.00,Mug\n").unwrap();
    assert_eq!(shop.json(&["import", reviews.to_str().unwrap()])["added"], 1);
    assert_eq!(shop.json(&["import", orders.to_str().unwrap()])["added"], 1);
    let kinds: Vec<String> = shop.json(&["imports", "list"]).as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, ["purchases", "touchpoints"]);
    // Every customer list the tests hold stays a customer list.
    for dir in ["tests/data/imports", "tests/data/contacts"] {
        for entry in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "csv" || e == "xlsx") {
                assert_eq!(regulars::records::kind_of(&path).unwrap(), regulars::model::ImportKind::Customers, "{}", path.display());
            }
        }
    }
}
