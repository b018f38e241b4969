//! The desktop app on a shop shared on a PostgreSQL server, beside a second computer (the command
//! line on the same database): what one does, the other sees. The server is a real PostgreSQL 15
//! cluster of this test's own (tests/common/pg_server.rs).

#[path = "../../common/pg_server.rs"]
#[allow(dead_code)]
mod pg_server;

use std::process::Command;

use regulars_e2e::{cli, keys, target_dir, App};

/// The command line on the shared shop, as another computer of the shop runs it.
fn other_computer(url: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(target_dir().join("debug/regulars")).arg("--db").arg(url).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "regulars {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_app_on_a_shared_shop_logs_and_answers_and_the_other_computer_sees_it() {
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
        app.find(".ql-match").click();
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
}
