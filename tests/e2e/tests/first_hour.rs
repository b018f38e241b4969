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

/// What a command prints as JSON, run on the app's database.
fn cli_json(db: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(regulars_e2e::target_dir().join("debug/regulars"))
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The touchpoints of a customer, as the command line sees them.
fn touchpoints_of(db: &std::path::Path, who: &str) -> Vec<serde_json::Value> {
    cli_json(db, &["touchpoints", "list", "--customer", who]).as_array().unwrap().clone()
}

#[test]
fn the_log_dialog_keeps_the_chosen_customer_and_never_logs_an_empty_message() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(shop_with_amelia);
    let db = app.db();
    app.wait_text("#today-title", "the day's list", |t| !t.is_empty());

    // By mouse: type part of her name, click her, log a 5-star review.
    app.find("#quick-log-button").click();
    app.find("#ql-text").type_text("Lovely shop, the best vases in town");
    app.find("#ql-who").type_text("Amel");
    app.click(".ql-match");
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
    app.find("#ql-who").type_text("Amel");
    app.wait_text("#ql-matches", "the match", |t| t.contains("Amelia Hart"));
    // Each letter searched; the last answer may still redraw the list: let it settle first.
    std::thread::sleep(std::time::Duration::from_millis(300));
    app.find("#ql-who").type_text(keys::ARROW_DOWN);
    app.press(keys::ENTER);
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
    let everything = cli_json(&db, &["touchpoints", "list"]);
    assert_eq!(everything.as_array().unwrap().len(), 2, "nothing empty was logged: {everything}");

    // E opens her profile's editor, and her name stays as it was.
    app.find("#nav-customers").click();
    app.find(".customer-row").click();
    app.wait_text("#profile-name", "her profile", |t| t == "Amelia Hart");
    app.press("e");
    app.find("#f-first_name");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(app.script("return document.getElementById('f-first_name').value"), "Amelia", "E typed nothing");
}

/// The shared samples through the app's own import screen, with only the shop's country set (in
/// Settings), give the customers `expected.json` lists; an Outlook export of Canadian contacts in
/// a British shop keeps every phone, and the preview says how it read them.
#[test]
fn the_samples_import_through_the_app_with_only_the_country_set() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start();
    let db = app.db();
    app.first_run("#start-empty");
    app.wait_text("#list-count", "no customers", |t| t == "0 customers");
    let data = regulars_e2e::workspace().join("tests/data");
    let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data.join("imports/expected.json")).unwrap()).unwrap();
    for (file, want) in expected.as_object().unwrap() {
        // Settings: start over (after the first), then the shop's country.
        app.find("#nav-settings").click();
        app.wait_text("#settings-title", "settings", |t| t == "Settings");
        if file != expected.as_object().unwrap().keys().next().unwrap() {
            app.wait_text("#start-over", "the shop's customers", |t| t.contains("Remove"));
            app.find("#start-over").click();
            app.wait_text("#confirm-text", "what starting over does", |t| t.contains("A backup is made first"));
            app.find("#confirm-ok").click();
            app.wait_text("#start-over", "an empty shop", |t| t == "Start over…");
        }
        let country = want["default_region"].as_str().unwrap_or("US");
        if app.script("return document.getElementById('setting-country').value") != country {
            app.find(&format!("#setting-country option[value='{country}']")).click();
            app.wait_text("label[for='setting-country'] .saved", "the country saved", |t| t == "Saved");
        }

        app.find("#nav-import").click();
        app.choose_file(&data.join("imports").join(file));
        app.wait_text("#import-file", "the preview", |t| t == file);
        app.find("#import-run").click();
        app.wait_text("#import-done", "the import", |t| t == format!("Imported {file}"));
        let customers = cli_json(&db, &["export", "--format", "json"]);
        assert_eq!(customers.as_array().unwrap().len() as u64, want["customers"].as_u64().unwrap(), "{file}");
        let example = &want["example"];
        let c = cli_json(&db, &["customers", "show", example["email"].as_str().unwrap()]);
        for key in ["first_name", "last_name", "birthday", "orders_count"] {
            if let Some(v) = example.get(key) {
                assert_eq!(&c[key], v, "{file}: {key}");
            }
        }
        if let Some(phones) = example.get("phones") {
            assert_eq!(&c["phones"], phones, "{file}");
        }
        if let Some(spend) = example["lifetime_spend"].as_f64() {
            assert!((c["lifetime_spend"].as_f64().unwrap() - spend).abs() < 0.005, "{file}: {}", c["lifetime_spend"]);
        }
    }
    app.screenshot("settings");

    // A British shop and a Canadian Outlook export: every phone kept, and the preview says so.
    app.find("#nav-settings").click();
    app.wait_text("#start-over", "the shop's customers", |t| t.contains("Remove"));
    app.find("#start-over").click();
    app.find("#confirm-ok").click();
    app.wait_text("#start-over", "an empty shop", |t| t == "Start over…");
    if app.script("return document.getElementById('setting-country').value") != "GB" {
        app.find("#setting-country option[value='GB']").click();
        app.wait_text("label[for='setting-country'] .saved", "the country saved", |t| t == "Saved");
    }
    app.find("#nav-import").click();
    app.choose_file(&data.join("contacts/outlook_canada.csv"));
    app.wait_text("#import-phones", "how phones are read", |t| t.contains("read as numbers of Canada (1 of 1 valid") && t.contains("Rows that name their country"));
    app.wait_text("#count-left-out strong", "nothing left out", |t| t == "0");
    app.screenshot("import-preview-outlook");
    // Read as British instead, the number on the row without a country is left out, and the
    // cards say so.
    app.find("#import-phones-as option[value='GB']").click();
    app.wait_text("#count-left-out strong", "one left out", |t| t == "1");
    app.wait_text("#count-left-out span", "in words", |t| t == "value left out");
}

/// The Inbox's "This is…" and "Add as a customer", stars on reviews, and a 1024×700 window where
/// the profile holds together.
#[test]
fn the_inbox_links_a_stranger_and_the_profile_holds_at_1024_by_700() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(|db| {
        shop_with_amelia(db);
        cli(db, &["customers", "add", "--first-name", "Maximiliana Konstantina", "--last-name", "von Hohenzollern-Sigmaringen",
            "--email", "max@example.com"]);
        cli(db, &["purchases", "add", "--customer", "max@example.com", "--amount", "123456.78", "--at", "2026-10-01"]);
        cli(db, &["touchpoints", "add", "--author", "Amelia H", "--channel", "google_reviews", "--kind", "review", "--rating", "5", "--text", "Beautiful flowers, kind staff"]);
        cli(db, &["touchpoints", "add", "--author", "@new.fan", "--channel", "instagram", "--kind", "question", "--text", "Do you deliver?"]);
    });
    let db = app.db();
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.resize(1024, 700);
    app.find("#nav-inbox").click();
    app.wait_text("#inbox-title", "two waiting", |t| t == "2 messages need a reply");
    // The review shows its stars; it is Amelia's: "This is…", then her name.
    let review = app.find(".inbox-item[data-id] .stars");
    assert_eq!(review.text(), "★★★★★");
    let review_item = app.script("return [...document.querySelectorAll('.inbox-item')].findIndex((e) => e.querySelector('.stars'))").as_u64().unwrap();
    app.find(&format!(".inbox-item:nth-child({})", review_item + 1)).click();
    app.find("#link-open").click();
    app.find("#link-search").type_text("Amel");
    app.wait_text("#link-matches", "Amelia", |t| t.contains("Amelia Hart"));
    app.screenshot("inbox-this-is");
    app.find("#link-search").type_text(keys::ENTER);
    app.wait_text(".toast:last-child", "linked", |t| t == "Linked to Amelia Hart.");
    assert!(touchpoints_of(&db, "amelia@example.com").iter().any(|t| t["rating"] == 5), "the review is hers now");
    // The review still waits for its answer, now as hers; the other is a new fan: add them.
    let fan_item = app.script("return [...document.querySelectorAll('.inbox-item')].findIndex((e) => e.textContent.includes('new.fan'))").as_u64().unwrap();
    app.find(&format!(".inbox-item:nth-child({})", fan_item + 1)).click();
    app.wait_text(".inbox-item.selected", "the question", |t| t.contains("new.fan"));
    // "Add as a customer…": the form, filled from the message (the handle), for the owner to complete.
    app.find("#author-add").click();
    app.wait_text("#customer-form h1", "the form from a message", |t| t == "New customer from a message");
    assert_eq!(app.script("return document.querySelector('[name=\"handle-instagram\"]').value"), "new.fan");
    assert!(app.find("#customer-form .lead").text().contains("Filled in from it: Instagram @new.fan."), "the owner sees what was filled in");
    // An empty date field is marked so that WebKit's grey "today" is not shown as if it were a birthday.
    assert_eq!(app.script("return document.querySelector('[name=\"birthday\"]').dataset.empty"), "true");
    app.find("[name=first_name]").type_text("Nia");
    app.screenshot("add-author-form");
    app.find("#save-customer").click();
    app.wait_text(".toast:last-child", "added", |t| t == "Added Nia, with 1 message.");
    app.wait_text("#profile-name", "her profile", |t| t == "Nia");
    let fan = cli_json(&db, &["customers", "show", "instagram:new.fan"]);
    assert_eq!((fan["first_name"].as_str(), fan["handles"]["instagram"].as_str()), (Some("Nia"), Some("new.fan")));
    assert_eq!(touchpoints_of(&db, "instagram:new.fan").len(), 1, "her question came along");
    // The reply box is a key away: Enter from the list.
    app.find("#nav-inbox").click();
    app.wait_text("#inbox-title", "both still waiting", |t| t == "2 messages need a reply");
    app.find(".inbox-item.selected").click();
    app.press(keys::ENTER);
    assert_eq!(app.script("return document.activeElement.id"), "reply-text");
    app.screenshot("inbox-1024");

    // The profile at 1024×700: the name wraps by words, the figures stay inside the window, and a
    // customer opens at the top.
    app.find("#nav-customers").click();
    app.find("#search").type_text("Maximiliana");
    app.wait_text("#list-count", "one match", |t| t == "1 match for “Maximiliana”");
    app.find(".customer-row").click();
    app.wait_text("#profile-name", "the long name", |t| t.starts_with("Maximiliana"));
    let fits = app.script(
        "const d = document.getElementById('detail');
         const cards = [...d.querySelectorAll('.card.value .stat')];
         const right = d.getBoundingClientRect().right;
         const h1 = document.getElementById('profile-name');
         const words = h1.textContent.split(' ');
         return { overflow: d.scrollWidth > d.clientWidth + 1, cards: cards.every((c) => c.getBoundingClientRect().right <= right + 1),
                  brokenWord: words.some((w) => w.length > 3 && h1.offsetWidth < 0) };",
    );
    assert_eq!(fits["overflow"], false, "nothing sticks out sideways: {fits}");
    assert_eq!(fits["cards"], true, "the figure cards wrap: {fits}");
    app.wait_text("#profile-spend", "money with the shop's currency", |t| t == "£123,456.78");
    app.screenshot("profile-1024");
    app.script("document.getElementById('detail').scrollTop = 10000; return true");
    app.find("#search").clear();
    app.find("#search").type_text("Amelia");
    app.wait_text("#list-count", "one match", |t| t == "1 match for “Amelia”");
    app.find(".customer-row").click();
    app.wait_text("#profile-name", "Amelia", |t| t == "Amelia Hart");
    assert_eq!(app.script("return document.getElementById('detail').scrollTop"), 0, "a customer opens at the top");
}

/// Today's groups open their customers; a dismissal can be taken back from its toast. The shop is
/// American on a British computer: its money and dates are written the American way.
#[test]
fn today_groups_open_and_a_dismissal_is_undone_from_the_toast() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(|db| {
        cli(db, &["settings", "set", "country", "US"]);
        cli(db, &["settings", "set", "shop_name", "Hart & Home"]);
        cli(db, &["settings", "set", "onboarded", "true"]);
        cli(db, &["demo", "--count", "120"]);
    });
    app.wait_text("#today-title", "the day's list", |t| t.ends_with("to do today"));
    let selected = || app.script("return document.querySelector('.suggestion.selected').dataset.id");
    let first = selected();
    app.find("#suggestion-dismiss").click();
    app.wait_text(".toast:last-child", "the dismissal", |t| t.starts_with("Dismissed"));
    assert_ne!(selected(), first);
    app.find(".toast:last-child button").click();
    app.wait_text(".toast:last-child", "the undo", |t| t == "It is back on the list.");
    assert_eq!(selected(), first, "it is back, first again");

    app.find("#label-counts button[data-label='advocate']").click();
    app.wait_text("#members-title", "the advocates", |t| t.starts_with("Advocates: "));
    assert!(app.count("#members-list .member") > 0);
    assert!(app.find("#members-newsletter").text().contains("agreed to email"));
    app.screenshot("today-advocates");
    app.find("#members-list .member").click();
    app.wait_text("#profile-name", "a customer's profile", |t| !t.is_empty());
    let since = app.find(".profile-head .sub").text();
    let month_first = since.split(" · ").last().and_then(|s| s.split_whitespace().nth(1)).is_some_and(|w| w.chars().all(char::is_alphabetic));
    assert!(month_first, "the American way (“Added December 2, 2026”), whatever the computer's language: {since}");
    let spend = app.find("#profile-spend").text();
    assert!(spend == "–" || spend.starts_with('$'), "dollars: {spend}");
}

/// A file of reviews through the same Import screen: recognised, previewed, imported, listed in the
/// history, and undone.
#[test]
fn a_review_export_goes_through_the_import_screen_as_reviews() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(shop_with_amelia);
    let db = app.db();
    let reviews = app.db_dir.path().join("google-reviews.csv");
    std::fs::write(&reviews, "Reviewer,Platform,Rating,Review,Date\namelia@example.com,google_reviews,5,The best vases in town,2026-11-20\nsomeone@example.com,google_reviews,2,Closed when it said open,2026-11-21\n").unwrap();
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.find("#nav-import").click();
    app.choose_file(&reviews);
    app.wait_text("#import-detected", "what the file holds", |t| t.starts_with("This file holds reviews and messages"));
    app.wait_text("#count-created strong", "two to add", |t| t == "2");
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 0, "a preview stores nothing");
    app.screenshot("import-preview-reviews");
    app.find("#import-run").click();
    app.wait_text("#import-done", "the import", |t| t == "Imported google-reviews.csv");
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 1);
    app.find("#import-back").click();
    app.wait_text("#import-history", "the history", |t| t.contains("google-reviews.csv") && t.contains("2 reviews and messages"));
    app.find("#import-history .history-row button").click();
    app.find("#confirm-ok").click();
    app.wait_text(".toast:last-child", "the undo", |t| t.contains("2 reviews and messages taken away"));
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 0, "undone");
}

#[test]
fn a_whatsapp_chat_goes_through_the_import_screen_onto_the_profile_and_into_the_inbox() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(|db| {
        shop_with_amelia(db);
        cli(db, &["settings", "set", "time_zone", "Europe/London"]);
    });
    let db = app.db();
    let chat = app.db_dir.path().join("WhatsApp Chat with Amelia Hart.txt");
    std::fs::write(
        &chat,
        "20/11/2026, 09:02 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n\
         20/11/2026, 09:02 - Amelia Hart: Do you still have the green linen apron?\n\
         20/11/2026, 09:30 - Hart & Home: We do! Shall I keep one for you?\n\
         20/11/2026, 09:31 - Amelia Hart: Yes please\n\
         I'll come on Saturday\n\
         21/11/2026, 18:00 - Amelia Hart: Is the shop open on Sunday?\n",
    )
    .unwrap();
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.find("#nav-import").click();
    app.choose_file(&chat);
    app.wait_text("#import-detected", "what the file holds", |t| t.starts_with("WhatsApp chat: 1 conversation"));
    app.wait_text("#count-created strong", "four messages to add", |t| t == "4");
    app.wait_text("#import-conversations", "the conversation", |t| t.contains("Amelia Hart") && t.contains("by name"));
    assert!(app.find("#import-left-out").text().contains("1 WhatsApp's encryption notice"));
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 0, "a preview stores nothing");
    app.screenshot("import-preview-whatsapp");
    app.find("#import-run").click();
    app.wait_text("#import-done", "the import", |t| t == "Imported WhatsApp Chat with Amelia Hart.txt");
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 4);
    // The conversation on her profile, newest first.
    app.find("#nav-customers").click();
    app.find("#search").type_text("Amelia");
    app.wait_text("#list-count", "her", |t| t.starts_with("1 match"));
    app.find(".customer-row").click();
    app.wait_text("#timeline", "the chat on her timeline", |t| t.contains("Is the shop open on Sunday?") && t.contains("Shall I keep one for you?"));
    // Linked by her name alone: the owner confirms one message as hers.
    let by_name = app.count(".linked-by-name");
    assert_eq!(by_name, 4, "her three messages and the shop's answer to her, linked by name");
    app.click(".linked-by-name .btn");
    app.wait_text(".toast:last-child", "the confirmation", |t| t == "Confirmed.");
    let started = std::time::Instant::now();
    while app.count(".linked-by-name") != by_name - 1 {
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the confirmed message still asks");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Her last question waits in the inbox; the first was answered.
    app.find("#nav-inbox").click();
    let inbox = app.wait_text("#inbox-list", "her question", |t| t.contains("Is the shop open on Sunday?"));
    assert!(!inbox.contains("green linen apron"), "answered: {inbox}");
    app.screenshot("inbox-after-whatsapp");
}

#[test]
fn settings_has_the_shops_time_zone_and_a_mailbox_that_says_what_is_missing() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(shop_with_amelia);
    let db = app.db();
    app.resize(1024, 700);
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.find("#nav-settings").click();
    app.wait_text("#mailbox-status", "the mailbox card", |t| t.starts_with("No mailbox yet"));
    let zone = app.find("#setting-time_zone");
    zone.clear();
    zone.type_text("Europe/Paris\n");
    app.script("document.getElementById('setting-time_zone').dispatchEvent(new Event('change')); return true");
    app.wait_text("label[for=setting-time_zone] .saved", "the zone saved", |t| t == "Saved");
    let out = std::process::Command::new(regulars_e2e::target_dir().join("debug/regulars")).arg("--db").arg(&db).args(["settings", "get", "time_zone"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Europe/Paris");
    // Nothing filled in: each missing thing said, nothing saved.
    app.find("#mailbox-save").click();
    app.wait_text("#mailbox-error", "what is missing", |t| t.contains("Say which server") && t.contains("Say the user name"));
    app.screenshot("settings-mailbox-1024");
}

#[test]
fn two_customers_who_are_one_person_are_merged_from_the_duplicates_view_and_the_merge_undone() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(|db| {
        cli(db, &["settings", "set", "country", "GB"]);
        cli(db, &["settings", "set", "onboarded", "true"]);
        cli(db, &["settings", "set", "shop_name", "Hart & Home"]);
        cli(db, &["customers", "add", "--first-name", "Ann", "--last-name", "Lee", "--email", "ann.lee@gmail.com"]);
        // Annie is the newer (times are kept to the second).
        std::thread::sleep(std::time::Duration::from_millis(1100));
        cli(db, &["customers", "add", "--first-name", "Annie", "--last-name", "Lee", "--email", "annlee+shop@googlemail.com", "--city", "York"]);
        cli(db, &["touchpoints", "add", "--customer", "2", "--channel", "instagram", "--kind", "question", "--text", "Do you have the blue scarf?"]);
    });
    let db = app.db();
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.find("#nav-customers").click();
    // From Annie's profile: the one who may be her.
    app.click("#customer-2");
    app.wait_text("#profile-name", "Annie", |t| t == "Annie Lee");
    app.find("#customer-duplicates").click();
    app.wait_text("#duplicate-list", "Ann, from Annie's profile", |t| t.contains("Ann Lee") && t.contains("the same mailbox"));
    app.find("#show-duplicates").click();
    app.wait_text("#duplicates-count", "one group", |t| t.starts_with("1 group"));
    assert!(app.find("#duplicate-list").text().contains("the same mailbox written two ways"));
    app.click(".duplicate-group .btn");
    app.wait_text("#merge-compare", "the two side by side", |t| t.contains("Annie") && t.contains("York"));
    app.screenshot("merge-compare");
    // The newer name stands unless the owner picks the other: here, Ann.
    assert!(app.script("return document.querySelector('input[name=pick-first_name][value=\"2\"]').checked").as_bool().unwrap(), "Annie, the newer, is picked to start with");
    app.click("input[name=pick-first_name][value='1']");
    app.click("input[name=pick-display_name][value='1']");
    app.find("#merge-run").click();
    app.wait_text("#profile-name", "the kept customer", |t| t == "Ann Lee");
    app.wait_text("#detail", "both addresses on the profile", |t| t.contains("annlee+shop@googlemail.com") && t.contains("York"));
    assert_eq!(touchpoints_of(&db, "ann.lee@gmail.com").len(), 1, "Annie's message moved");
    // The merge is in her history, with its Undo (the toast's Undo does the same).
    app.wait_text("#profile-merges", "the merge in her history", |t| t.contains("Annie Lee (#2)"));
    app.screenshot("merged-profile");
    app.click("#profile-merges .btn");
    app.wait_text(".toast:last-child", "the undo", |t| t.contains("apart again"));
    assert_eq!(touchpoints_of(&db, "annlee+shop@googlemail.com").len(), 1, "the message back with Annie");
    assert_eq!(cli_json(&db, &["customers", "show", "ann.lee@gmail.com"])["emails"], serde_json::json!(["ann.lee@gmail.com"]));
}

#[test]
fn who_is_this_lists_the_unknown_writer_with_the_likely_customer_first_and_linking_teaches_the_profile() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let app = App::start_with(|db| {
        shop_with_amelia(db);
        cli(db, &["touchpoints", "add", "--author", "@amelia.hart.home", "--channel", "instagram", "--kind", "comment", "--text", "Love the new linen!"]);
    });
    let db = app.db();
    app.wait_text("#today-title", "the app, ready", |t| !t.is_empty());
    app.find("#nav-customers").click();
    app.find("#show-unknown").click();
    app.wait_text("#unknown-count", "one person", |t| t.starts_with("1 person wrote to you"));
    app.click(".unknown-author #link-open");
    app.wait_text(".unknown-author .ql-matches", "the likely customer, before typing", |t| t.contains("Amelia Hart"));
    app.screenshot("who-is-this");
    app.click(".unknown-author .ql-match");
    app.wait_text("#unknown-count", "nobody left", |t| t.starts_with("Everyone who wrote to you"));
    let amelia = cli_json(&db, &["customers", "show", "amelia@example.com"]);
    assert_eq!(amelia["handles"]["instagram"], "amelia.hart.home", "the profile learned the handle: {amelia}");
    assert_eq!(touchpoints_of(&db, "amelia@example.com").len(), 1);
}
