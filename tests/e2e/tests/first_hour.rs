//! A new owner's first hour in the real app: the Log dialog keeps the customer they chose (by
//! mouse and by keyboard) and never logs an empty message, E opens the editor without typing an
//! "e", and imports read phones the way the file shows.

use std::sync::Mutex;

use regulars_e2e::{cli, keys, App};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn shop_with_amelia(db: &std::path::Path) {
    cli(db, &["settings", "set", "country", "GB"]);
    cli(db, &["settings", "set", "onboarded", "true"]);
    cli(db, &["settings", "set", "shop_name", "Hart & Home"]);
    cli(db, &["customers", "add", "--first-name", "Amelia", "--last-name", "Hart", "--email", "amelia@example.com", "--phone", "07911 123456"]);
}

/// The touchpoints of a customer, as the command line sees them.
fn touchpoints_of(db: &std::path::Path, who: &str) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(regulars_e2e::target_dir().join("debug/regulars"))
        .args(["--db", db.to_str().unwrap(), "touchpoints", "list", "--customer", who, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

#[test]
fn the_log_dialog_keeps_the_chosen_customer_and_never_logs_an_empty_message() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(shop_with_amelia);
    let db = app.db_dir.path().join("e2e.db");
    app.wait_text("#today-title", "the day's list", |t| !t.is_empty());

    // By mouse: type part of her name, click her, log a 5-star review.
    app.find("#quick-log-button").click();
    app.find("#ql-text").type_text("Lovely shop, the best vases in town");
    app.find("#ql-who").type_text("Amel");
    app.find(".ql-match").click();
    app.wait_text("#ql-chosen", "Amelia chosen", |t| t.contains("Amelia Hart"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.script("return document.getElementById('ql-chosen').hidden"), false, "the choice sticks");
    app.find("#ql-kind option[value='review']").click();
    app.find("#ql-rating option[value='5']").click();
    app.screenshot("quick-log-chosen");
    app.find("#ql-save").click();
    app.wait_gone("#quick-log", "the dialog to close");

    // By keyboard: Ctrl+L, the text, then the name, Down and Enter.
    app.find("#search").type_text(&format!("{}l", keys::CONTROL));
    app.find("#ql-text").type_text("Do you have the blue one?");
    app.find("#ql-who").type_text(&format!("Amel{}", keys::ARROW_DOWN));
    app.wait_text("#ql-matches", "the match", |t| t.contains("Amelia Hart"));
    app.find(".ql-match").type_text(keys::ENTER);
    app.wait_text("#ql-chosen", "Amelia chosen", |t| t.contains("Amelia Hart"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.script("return document.getElementById('ql-chosen').hidden"), false, "the choice sticks");
    app.find("#ql-text").type_text(&format!("{}{}", keys::CONTROL, keys::ENTER));
    app.wait_gone("#quick-log", "the dialog to close");

    let logged = touchpoints_of(&db, "amelia@example.com");
    assert_eq!(logged.len(), 2, "both are hers: {logged:?}");
    assert!(logged.iter().any(|t| t["rating"] == 5 && t["kind"] == "review"));

    // Enter alone never logs; an empty message is refused where it is typed.
    app.find("#search").type_text(&format!("{}l", keys::CONTROL));
    app.find("#ql-who").type_text(&format!("@someone{}", keys::ENTER));
    app.find("#ql-reach").type_text(&format!("12{}", keys::ENTER));
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(app.count("#quick-log[open]"), 1, "Enter did not log it");
    app.find("#ql-save").click();
    app.wait_text("#ql-error", "why not", |t| t.contains("empty"));
    app.screenshot("quick-log-empty");
    app.find("#ql-cancel").click();
    let everything = std::process::Command::new(regulars_e2e::target_dir().join("debug/regulars"))
        .args(["--db", db.to_str().unwrap(), "touchpoints", "list", "--json"])
        .output()
        .unwrap();
    let everything: serde_json::Value = serde_json::from_slice(&everything.stdout).unwrap();
    assert_eq!(everything.as_array().unwrap().len(), 2, "nothing empty was logged: {everything}");

    // E opens her profile's editor, and her name stays as it was.
    app.find("#nav-customers").click();
    app.find(".customer-row").click();
    app.wait_text("#profile-name", "her profile", |t| t == "Amelia Hart");
    app.press("e");
    let first = app.find("#f-first_name");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.script("return document.getElementById('f-first_name').value"), "Amelia", "E typed nothing");
    drop(first);
}
