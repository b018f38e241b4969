//! The desktop app on a shop shared on a PostgreSQL server, beside a second computer (the command
//! line on the same database): what one does, the other sees, live, and two edits of one customer
//! at once lose nothing. The server is a real PostgreSQL 15
//! cluster of this test's own (tests/common/pg_server.rs).

use std::process::Command;
use std::sync::Mutex;

use regulars_e2e::{cli, keys, pg_server, target_dir, App};

/// One app at a time: each starts its own driver and display, but WebKit is heavy on 2 cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The command line on the shared shop, as another computer of the shop runs it.
fn other_computer(url: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(target_dir().join("debug/regulars")).arg("--db").arg(url).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "regulars {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_app_on_a_shared_shop_logs_answers_and_edits_beside_another_computer_and_loses_nothing() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let server = pg_server::Postgres::start();
    let url = server.database();
    let app = App::start_shared(&url, |db| {
        cli(db, &["settings", "set", "country", "GB"]);
        cli(db, &["settings", "set", "shop_name", "Linen Room"]);
        cli(db, &["settings", "set", "onboarded", "true"]);
        cli(db, &["customers", "add", "--first-name", "Zoë", "--last-name", "Fairweather", "--email", "zoe@example.com", "--phone", "07911 123456"]);
    });
    app.wait_text("#list-count", "the customer added by the other computer", |t| t == "1 customer");

    // Found as typed, accents or not, by the server's search words.
    let search = app.find("#search");
    search.type_text("zoe fair");
    app.wait_text("#list-count", "one match", |t| t == "1 match for “zoe fair”");

    // A complaint logged in the app is waiting on the other computer at once.
    search.type_text(&format!("{}l", keys::CONTROL));
    app.find("#ql-text").type_text("The cushion covers faded after one wash");
    if app.count("#ql-chosen:not([hidden])") == 0 {
        app.find("#ql-who").type_text("zoe@example.com");
        app.find(".ql-match");
        app.find("#ql-who").type_text(keys::ENTER);
    }
    app.find("#ql-kind option[value='complaint']").click();
    app.find("#ql-save").click();
    app.wait_gone("#quick-log", "the quick log to close");
    let waiting = other_computer(&url, &["inbox"]);
    assert_eq!(waiting["total"], 1, "{waiting}");

    // Answered in the app: nobody waits, on either computer.
    app.find("#nav-inbox").click();
    app.wait_text("#inbox-title", "one waiting", |t| t == "1 message needs a reply");
    app.find("#reply-text").type_text(&format!("So sorry, Zoë: new covers are on their way{}{}", keys::CONTROL, keys::ENTER));
    app.wait_text("#inbox-title", "none left", |t| t == "Nobody is waiting for a reply");
    app.screenshot("shared-shop-inbox-answered");
    let waiting = other_computer(&url, &["inbox"]);
    assert_eq!(waiting["total"], 0, "{waiting}");

    // Two people edit Zoë at once. While the app's form is open, the other computer saves her
    // town and her notes; the app's save keeps their town, and asks only about the notes, which
    // both changed. Nothing is saved until the person chooses.
    app.find("#nav-customers").click();
    app.find(".customer-row").click();
    app.wait_text("#profile-name", "Zoë's profile", |t| t == "Zoë Fairweather");
    app.find("#edit-customer").click();
    other_computer(&url, &["customers", "edit", "zoe@example.com", "--city", "Bath", "--notes", "Prefers linen"]);
    let notes = app.find("#f-notes");
    notes.clear();
    notes.type_text("Call before delivery");
    app.find("#save-customer").click();
    app.wait_text("#f-notes-error", "what the other computer made the notes", |t| t.contains("“Prefers linen”"));
    assert_eq!(app.count(".clash-choice"), 1, "only the field both changed is asked about");
    assert_eq!(other_computer(&url, &["customers", "show", "zoe@example.com"])["notes"], "Prefers linen", "nothing saved yet");
    app.script("document.getElementById('f-notes').scrollIntoView({ block: 'center' })");
    std::thread::sleep(std::time::Duration::from_millis(700)); // the scroll is smooth
    app.screenshot("shared-shop-changed-meanwhile");
    // "Keep mine" is the choice offered first; saving sends it.
    assert_eq!(app.script("return document.querySelector('.clash-choice').value"), "mine");
    app.find("#save-customer").click();
    app.wait_text("#profile-name", "the saved profile", |t| t == "Zoë Fairweather");
    let zoe = other_computer(&url, &["customers", "show", "zoe@example.com"]);
    assert_eq!((zoe["notes"].as_str(), zoe["address"]["city"].as_str()), (Some("Call before delivery"), Some("Bath")), "{zoe}");

    // A question logged on the other computer shows in the app's inbox by itself, within a
    // second or so: nobody clicks anything here.
    app.find("#nav-inbox").click();
    app.wait_text("#inbox-title", "nobody waiting", |t| t == "Nobody is waiting for a reply");
    other_computer(&url, &["touchpoints", "add", "--customer", "zoe@example.com", "--channel", "whatsapp", "--kind", "question", "--text", "Do you deliver on Saturdays?"]);
    app.wait_text("#inbox-title", "the other computer's question", |t| t == "1 message needs a reply");
    app.wait_text("#nav-inbox-count", "the count beside Inbox", |t| t == "1");
    app.screenshot("shared-shop-live-inbox");
}

/// A shop of one customer, Zoë, set up as a shop in Britain.
fn shop_of_zoe(db: &std::path::Path) {
    cli(db, &["settings", "set", "country", "GB"]);
    cli(db, &["settings", "set", "onboarded", "true"]);
    cli(db, &["customers", "add", "--first-name", "Zoë", "--email", "zoe@example.com"]);
}

#[test]
fn when_the_server_goes_away_the_app_says_so_keeps_what_was_typed_and_carries_on_when_it_is_back() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let server = pg_server::Postgres::start_own(false);
    let url = server.database();
    let app = App::start_shared(&url, shop_of_zoe);
    app.wait_text("#list-count", "the shop", |t| t == "1 customer");
    app.find("#new-customer").click();
    app.find("#f-first_name").type_text("Maya");
    app.find("#f-emails").type_text("maya@example.com");

    // The server stops (a restart, a pulled cable): a plain banner says so, and a save fails
    // plainly with the form and what was typed kept.
    server.pause();
    app.wait_text("#shared-banner", "the banner", |t| t.contains("cannot be reached"));
    assert_eq!(app.script("return document.getElementById('shared-banner').hidden"), false);
    app.screenshot("shared-shop-unreachable");
    app.find("#save-customer").click();
    app.wait_text("#customer-form .form-error", "why nothing was saved", |t| t.contains("cannot be reached"));
    assert_eq!(app.script("return document.getElementById('f-first_name').value"), "Maya");
    assert_eq!(app.script("return document.getElementById('f-emails').value"), "maya@example.com");

    // Back: the banner goes by itself, and the same save goes through on a new connection.
    server.resume();
    let started = std::time::Instant::now();
    while app.script("return document.getElementById('shared-banner').hidden") != true {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the banner stays after the server is back");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    app.find("#save-customer").click();
    app.wait_text("#profile-name", "Maya, saved", |t| t == "Maya");
    assert_eq!(other_computer(&url, &["customers", "show", "maya@example.com"])["first_name"], "Maya");
}

/// Fills Settings → "Share this shop" with the server of `url` (a test server: its login needs
/// no password, which is what a keychain-less test machine can offer).
fn fill_share_form(app: &App, url: &str, port_instead: Option<&str>) {
    let rest = url.trim_start_matches("postgres://");
    let (user, rest) = rest.split_once('@').unwrap();
    let (host_port, database) = rest.split_once('/').unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    for (field, value) in [("#share-host", host), ("#share-database", database), ("#share-user", user)] {
        app.find(field).type_text(value);
    }
    let port_field = app.find("#share-port");
    port_field.clear();
    port_field.type_text(port_instead.unwrap_or(port));
}

#[test]
fn settings_shares_the_shop_with_a_server_and_this_computer_can_go_back_to_its_file() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let server = pg_server::Postgres::start();
    let url = server.database();
    let app = App::start_with(|db| {
        cli(db, &["settings", "set", "country", "GB"]);
        cli(db, &["settings", "set", "onboarded", "true"]);
        cli(db, &["customers", "add", "--first-name", "Zoë", "--last-name", "Fairweather", "--email", "zoe@example.com"]);
        cli(db, &["customers", "add", "--first-name", "Arjun", "--email", "arjun@example.com"]);
    });
    app.wait_text("#list-count", "the shop's file", |t| t == "2 customers");
    app.find("#nav-settings").click();
    app.wait_text("#settings-title", "settings", |t| t == "Settings");

    app.find("#share-host");
    app.script("document.getElementById('settings-sharing').scrollIntoView({ block: 'start' })");
    std::thread::sleep(std::time::Duration::from_millis(700)); // the scroll is smooth
    // A wrong port: said plainly, nothing moved.
    fill_share_form(&app, &url, Some("1"));
    app.find("#share-test").click();
    app.wait_text("#share-error", "why it could not connect", |t| t.contains("could not connect"));
    assert_eq!(app.count("#share-move"), 0);

    // Tested first: the empty database is found, and only then can the shop move there.
    for field in ["#share-host", "#share-database", "#share-user"] {
        app.find(field).clear();
    }
    fill_share_form(&app, &url, None);
    app.find("#share-test").click();
    app.wait_text("#share-result", "what the database holds", |t| t.contains("The database is empty"));
    assert!(app.find("#share-result").text().contains("not encrypted"), "the loopback goes without TLS, and says so");
    app.script("document.getElementById('share-move').scrollIntoView({ block: 'center' })");
    std::thread::sleep(std::time::Duration::from_millis(700));
    app.screenshot("share-this-shop-tested");
    app.find("#share-move").click();
    app.find("#confirm-ok").click();
    app.wait_text("#share-status", "the app on the shared shop", |t| t.contains("uses the shared shop at"));
    app.screenshot("share-this-shop-shared");

    // Both customers are on the server; this computer remembers the shop there (no password in
    // the file), and what another computer adds shows here by itself.
    let there = other_computer(&url, &["customers", "list"]);
    assert_eq!(there.as_array().map(Vec::len), Some(2), "{there}");
    let remembered = std::fs::read_to_string(app.db_dir.path().join("data/Regulars/shared-shop.json")).unwrap();
    let remembered: serde_json::Value = serde_json::from_str(&remembered).unwrap();
    let keys: Vec<&str> = remembered.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["host", "port", "database", "user", "password_kept"], "the server's name only, never a password: {remembered}");
    other_computer(&url, &["customers", "add", "--first-name", "Maya", "--email", "maya@example.com"]);
    app.find("#nav-customers").click();
    app.wait_text("#list-count", "the other computer's customer", |t| t == "3 customers");

    // Back to this computer's own file, as it was when the shop was shared.
    app.find("#nav-settings").click();
    app.find("#share-leave");
    app.script("document.getElementById('share-leave').scrollIntoView({ block: 'center' })");
    std::thread::sleep(std::time::Duration::from_millis(700));
    app.find("#share-leave").click();
    app.find("#confirm-ok").click();
    app.wait_text("#share-status", "the form again", |t| t.contains("keep it in a PostgreSQL database"));
    assert!(!app.db_dir.path().join("data/Regulars/shared-shop.json").exists());
    app.find("#nav-customers").click();
    app.wait_text("#list-count", "the file's customers", |t| t == "2 customers");
    assert_eq!(other_computer(&url, &["customers", "list"]).as_array().map(Vec::len), Some(3), "the shared shop stays for the others");
}

#[test]
fn a_shared_shop_whose_server_is_away_at_launch_can_be_tried_again_or_left_for_this_computers_file() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let server = pg_server::Postgres::start_own(false);
    let url = server.database();
    let app = App::start_shared(&url, |db| {
        shop_of_zoe(db);
        server.pause();
    });
    // Not an error page with no way on: what is wrong, and what can be done.
    app.wait_text("#closed-title", "the screen of a shop away", |t| t == "The shared shop cannot be reached");
    assert!(app.find("#closed-why").text().contains("could not connect"), "why, in the server's words");
    app.screenshot("shared-shop-away-at-launch");
    app.find("#closed-retry").click();
    app.wait_text("#closed-retry", "the try, done", |t| t == "Try again");
    assert!(app.find("#closed-why").text().contains("could not connect"), "still away: said again");

    // The server is back: trying again opens the shop, and the app works as ever.
    server.resume();
    app.find("#closed-retry").click();
    app.wait_text("#list-count", "the shared shop", |t| t == "1 customer");
    app.find("#new-customer").click();
    app.find("#f-first_name").type_text("Maya");
    app.find("#f-emails").type_text("maya@example.com");
    app.find("#save-customer").click();
    app.wait_text("#profile-name", "Maya, saved", |t| t == "Maya");
    assert_eq!(other_computer(&url, &["customers", "show", "maya@example.com"])["first_name"], "Maya");
    drop(app);

    // Away again at the next launch: this computer's own file instead, as new (nothing on the
    // server changes).
    server.pause();
    let app = App::start_shared(&url, |_| {});
    app.wait_text("#closed-title", "the screen of a shop away", |t| t == "The shared shop cannot be reached");
    app.find("#closed-home").click();
    app.wait_text("#welcome-title", "this computer's own, new file", |t| t == "Welcome to Regulars");
    server.resume();
    assert_eq!(other_computer(&url, &["customers", "list"]).as_array().map(Vec::len), Some(2), "the shared shop is as it was");
}
