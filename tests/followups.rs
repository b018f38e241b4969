//! The follow-up engine and customer insight on small hand-built shops with a fixed `now`, through
//! the real `regulars` binary: one scenario per rule and per consent case, asserting the order of
//! the list.

mod common;

use common::Shop;
use serde_json::Value;

const NOW: &str = "2026-06-15T09:00:00Z";

fn suggest(shop: &Shop, now: &str) -> Vec<Value> {
    shop.json(&["suggest", "--now", now]).as_array().unwrap().clone()
}

fn kinds(list: &[Value]) -> Vec<String> {
    list.iter().map(|s| format!("{}:{}", s["kind"].as_str().unwrap(), s["customer_name"].as_str().unwrap())).collect()
}

fn add(shop: &Shop, first: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["customers", "add", "--first-name", first];
    args.extend_from_slice(extra);
    shop.json(&args)["id"].as_i64().unwrap()
}

fn buy(shop: &Shop, who: &str, at: &str, amount: &str, channel: &str) {
    shop.ok(&["purchases", "add", "--customer", who, "--at", at, "--amount", amount, "--items", "Linen shirt", "--channel", channel]);
}

fn say(shop: &Shop, who: &str, channel: &str, kind: &str, at: &str, text: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["touchpoints", "add", "--customer", who, "--channel", channel, "--kind", kind, "--at", at, "--text", text];
    args.extend_from_slice(extra);
    shop.json(&args)["id"].as_i64().unwrap()
}

/// A regular who bought every 30 days for a year and then stopped: at risk, and valuable.
fn regular_gone_quiet(shop: &Shop, name: &str, email: &str, consent: &[&str], channel: &str) {
    let mut extra = vec!["--email", email];
    extra.extend_from_slice(consent);
    add(shop, name, &extra);
    for month in 1..=12 {
        buy(shop, email, &format!("2025-{month:02}-10"), "120", channel);
    }
}

#[test]
fn the_list_puts_a_big_complaint_first_then_questions_then_win_backs_thanks_and_birthdays() {
    let shop = Shop::new();
    add(&shop, "Ivy", &["--handle", "instagram:ivy.loud"]);
    add(&shop, "Quin", &["--email", "quin@example.com"]);
    add(&shop, "Pat", &["--handle", "instagram:pat.fan"]);
    add(&shop, "Bea", &["--email", "bea@example.com", "--consent", "email=yes", "--birthday", "1990-06-16"]);
    regular_gone_quiet(&shop, "Wren", "wren@example.com", &["--consent", "email=yes"], "in_store");
    say(&shop, "@ivy.loud", "instagram", "complaint", "2026-06-15T05:00:00Z", "The strap broke on day two", &["--reach", "48000"]);
    say(&shop, "quin@example.com", "email", "question", "2026-06-15T08:00:00Z", "Do you have it in blue?", &[]);
    say(&shop, "@pat.fan", "instagram", "mention", "2026-06-14T10:00:00Z", "Love my new shirt from here!", &[]);

    let list = suggest(&shop, NOW);
    assert_eq!(
        kinds(&list),
        ["reply:Ivy", "reply:Quin", "win_back:Wren", "thank:Pat", "birthday:Bea"],
        "{list:#?}"
    );
    let first = &list[0];
    assert_eq!(first["channel"], "instagram", "service goes out where they wrote");
    assert!(first["why"].as_str().unwrap().contains("48,000 followers"), "{first}");
    assert!(first["draft"].as_str().unwrap().starts_with("Hi Ivy, I'm so sorry"), "{first}");
    let win_back = &list[2];
    assert_eq!(win_back["channel"], "email");
    let why = win_back["why"].as_str().unwrap().to_lowercase();
    assert!(why.contains("usually buys every 30 days") || why.contains("usually buys every 31 days"), "{why}");
    assert!(why.contains("nothing for 186 days"), "{why}");
    assert!(why.contains("spent £1,440.00 over 12 orders, one of your best customers"), "money with the shop's currency, no jargon: {why}");
    assert!(win_back["draft"].as_str().unwrap().contains("goes well with your linen shirt"), "the offer is tied to what they buy, as a person says it: {win_back}");
    assert!(list[4]["why"].as_str().unwrap().contains("tomorrow"));
    // Every suggestion has the fields the CLI promises.
    for s in &list {
        for field in ["id", "customer_id", "customer_name", "kind", "channel", "priority", "due", "why", "draft"] {
            assert!(s.get(field).is_some(), "{field} missing in {s}");
        }
    }
    // The same reasons keep the same ids.
    let again = suggest(&shop, NOW);
    assert_eq!(list.iter().map(|s| &s["id"]).collect::<Vec<_>>(), again.iter().map(|s| &s["id"]).collect::<Vec<_>>());
}

#[test]
fn marketing_only_where_consent_allows_preferred_channel_first_else_in_person_else_nothing() {
    let shop = Shop::new();
    regular_gone_quiet(&shop, "Emma", "emma@example.com", &["--consent", "email=yes"], "online");
    regular_gone_quiet(&shop, "Sam", "sam@example.com", &["--phone", "07911 100001", "--consent", "email=yes", "--consent", "sms=yes", "--preferred-channel", "sms"], "online");
    regular_gone_quiet(&shop, "Nia", "nia@example.com", &["--consent", "email=no", "--preferred-channel", "email", "--birthday", "1985-06-17"], "in_store");
    regular_gone_quiet(&shop, "Oto", "oto@example.com", &["--consent", "email=no"], "online");
    let list = suggest(&shop, NOW);
    let channel_of = |name: &str| list.iter().find(|s| s["customer_name"] == name).map(|s| s["channel"].as_str().unwrap_or("").to_string());
    assert_eq!(channel_of("Emma").as_deref(), Some("email"));
    assert_eq!(channel_of("Sam").as_deref(), Some("sms"), "the preferred channel wins where allowed");
    // No consent, but she shops in store: her birthday in person. Winning her back "next time she
    // is in" is no win-back: she has stopped coming in.
    assert_eq!(channel_of("Nia").as_deref(), Some("in_store"), "no consent: in person, since she shops in store");
    assert_eq!(list.iter().find(|s| s["customer_name"] == "Nia").unwrap()["kind"], "birthday");
    assert_eq!(channel_of("Oto"), None, "no consent and never in store: nothing");
    assert!(list.iter().all(|s| s["kind"] == "win_back" || s["customer_name"] == "Nia"));
}

#[test]
fn one_marketing_touch_per_customer_per_period_and_done_logs_it_on_the_timeline() {
    let shop = Shop::new();
    regular_gone_quiet(&shop, "Bo", "bo@example.com", &["--consent", "email=yes", "--birthday", "1980-06-17"], "online");
    let list = suggest(&shop, NOW);
    assert_eq!(kinds(&list), ["win_back:Bo"], "a birthday the same week waits: one marketing touch at a time");
    let id = list[0]["id"].to_string();
    let done = shop.json(&["suggestions", "done", &id, "--now", NOW]);
    assert_eq!(done["touchpoint"]["direction"], "out");
    assert_eq!(done["touchpoint"]["channel"], "email");
    let timeline = shop.json(&["timeline", "bo@example.com"]);
    assert_eq!(timeline[0]["type"], "touchpoint");
    assert!(timeline[0]["text"].as_str().unwrap().contains("missed you"), "{}", timeline[0]);
    // Within the cap, the birthday does not follow the win-back; with no cap it does.
    assert!(suggest(&shop, "2026-06-16T09:00:00Z").is_empty());
    shop.ok(&["settings", "set", "marketing_cap_days", "0"]);
    assert_eq!(kinds(&suggest(&shop, "2026-06-16T09:00:00Z")), ["birthday:Bo"]);
}

#[test]
fn dismissed_stays_gone_snoozed_comes_back_when_due() {
    let shop = Shop::new();
    add(&shop, "Ann", &["--email", "ann@example.com"]);
    add(&shop, "Ben", &["--email", "ben@example.com"]);
    let a = say(&shop, "ann@example.com", "email", "question", "2026-06-15T07:00:00Z", "Open on Sunday?", &[]);
    say(&shop, "ben@example.com", "email", "question", "2026-06-15T08:00:00Z", "Gift wrap?", &[]);
    let list = suggest(&shop, NOW);
    assert_eq!(kinds(&list), ["reply:Ann", "reply:Ben"]);
    shop.ok(&["suggestions", "dismiss", &list[0]["id"].to_string(), "--now", NOW]);
    shop.ok(&["suggestions", "snooze", &list[1]["id"].to_string(), "--until", "2026-06-15T12:00:00Z", "--now", NOW]);
    assert!(suggest(&shop, "2026-06-15T10:00:00Z").is_empty());
    assert_eq!(kinds(&suggest(&shop, "2026-06-15T12:30:00Z")), ["reply:Ben"], "the snooze is over; the dismissal holds");
    // Dismissing a suggestion does not answer the customer: the inbox still has Ann.
    let inbox = shop.json(&["inbox", "--now", NOW]);
    assert!(inbox["items"].as_array().unwrap().iter().any(|i| i["touchpoint"]["id"] == a));
    let err = shop.fails(&["suggestions", "done", "999"]);
    assert!(err.contains("no suggestion #999"), "{err}");
}

#[test]
fn a_complaint_answered_days_ago_gets_a_check_in_unless_they_spoke_since() {
    let shop = Shop::new();
    add(&shop, "Cat", &["--handle", "instagram:cat.c"]);
    add(&shop, "Dan", &["--handle", "instagram:dan.d"]);
    let c = say(&shop, "@cat.c", "instagram", "complaint", "2026-06-10T09:00:00Z", "Parcel arrived damaged", &[]);
    let d = say(&shop, "@dan.d", "instagram", "complaint", "2026-06-10T09:00:00Z", "Wrong size sent", &[]);
    shop.ok(&["touchpoints", "reply", &c.to_string(), "--text", "So sorry, replacing it", "--at", "2026-06-10T10:00:00Z"]);
    shop.ok(&["touchpoints", "reply", &d.to_string(), "--text", "Sending the right one", "--at", "2026-06-10T10:00:00Z"]);
    say(&shop, "@dan.d", "instagram", "comment", "2026-06-12T10:00:00Z", "Got it, thanks", &["--status", "no_reply_needed"]);
    assert!(suggest(&shop, "2026-06-12T11:00:00Z").iter().all(|s| s["kind"] != "check_in"), "too soon");
    let list = suggest(&shop, NOW);
    let checks: Vec<&Value> = list.iter().filter(|s| s["kind"] == "check_in").collect();
    assert_eq!(checks.len(), 1, "{list:#?}");
    assert_eq!(checks[0]["customer_name"], "Cat");
    assert_eq!(checks[0]["channel"], "instagram");
    assert!(checks[0]["why"].as_str().unwrap().contains("answered 4 days ago"), "{}", checks[0]);
}

#[test]
fn advocates_super_users_newcomers_and_a_topic_spike() {
    let shop = Shop::new();
    add(&shop, "Ada", &["--email", "ada@example.com", "--consent", "email=yes", "--handle", "instagram:ada.a"]);
    say(&shop, "ada@example.com", "google_reviews", "review", "2026-05-01T10:00:00Z", "Wonderful shop, so helpful", &["--rating", "5", "--status", "replied"]);
    say(&shop, "@ada.a", "instagram", "post", "2026-06-01T10:00:00Z", "My favourite shop in town!", &["--reach", "9000"]);
    add(&shop, "Sol", &["--handle", "facebook:sol.s"]);
    say(&shop, "@sol.s", "community", "answer", "2026-06-05T10:00:00Z", "It runs a size small, go up one", &[]);
    say(&shop, "@sol.s", "community", "answer", "2026-06-08T10:00:00Z", "They restock on Fridays", &[]);
    add(&shop, "Neo", &["--email", "neo@example.com", "--consent", "email=yes"]);
    buy(&shop, "neo@example.com", "2026-06-11T15:00:00Z", "45", "online");
    for (i, who) in ["x1", "x2", "x3"].iter().enumerate() {
        add(&shop, who, &["--handle", &format!("instagram:{who}")]);
        say(&shop, &format!("@{who}"), "instagram", "complaint", &format!("2026-06-1{}T10:00:00Z", i + 2), "Delivery took three weeks, terrible", &["--status", "replied"]);
    }
    let list = suggest(&shop, NOW);
    let ks = kinds(&list);
    assert_eq!(ks[0], "rally:", "a crisis in the making comes before the rest: {ks:?}");
    let rally = &list[0];
    assert!(rally["why"].as_str().unwrap().starts_with("3 negative messages about delivery"), "{rally}");
    assert!(rally["draft"].as_str().unwrap().contains("Ada"), "asks trusted advocates: {rally}");
    assert!(rally["draft"].as_str().unwrap().contains("Never give them words to post"));
    assert!(ks.contains(&"invite_advocate:Ada".to_string()), "{ks:?}");
    assert!(ks.contains(&"recognize:Sol".to_string()), "{ks:?}");
    assert!(ks.contains(&"welcome:Neo".to_string()), "{ks:?}");
    let sol = list.iter().find(|s| s["kind"] == "recognize").unwrap();
    assert_eq!(sol["channel"], "community");
    // Texts are written when a suggestion is handed out: each kind's reason, draft and address.
    assert!(sol["why"].as_str().unwrap().starts_with("Answered other customers 2 times"), "plain words: {sol}");
    assert!(sol["draft"].as_str().unwrap().starts_with("Hi Sol, thank you for helping other customers"), "{sol}");
    assert_eq!(sol["customer_name"], "Sol");
    let ada = list.iter().find(|s| s["kind"] == "invite_advocate").unwrap();
    assert!(ada["why"].as_str().unwrap().starts_with("2 positive messages"), "{ada}");
    assert!(ada["why"].as_str().unwrap().ends_with("; 9,000 followers"), "grouped: {ada}");
    assert!(ada["draft"].as_str().unwrap().contains("“Wonderful shop, so helpful”") || ada["draft"].as_str().unwrap().contains("“My favourite shop in town!”"), "{ada}");
    assert_eq!(ada["address"], "mailto:ada@example.com");
    let neo = list.iter().find(|s| s["kind"] == "welcome").unwrap();
    assert!(neo["why"].as_str().unwrap().starts_with("First purchase"), "{neo}");
    assert!(neo["draft"].as_str().unwrap().starts_with("Hi Neo, thank you for choosing"), "{neo}");

    // The customer JSON carries value, role and labels.
    let ada = shop.json(&["customers", "show", "ada@example.com", "--now", NOW]);
    assert_eq!(ada["role"], "creator");
    let labels: Vec<&str> = ada["labels"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(labels.contains(&"advocate") && labels.contains(&"influencer"), "{labels:?}");
    let sol = shop.json(&["customers", "show", "@sol.s", "--now", NOW]);
    assert_eq!(sol["role"], "responder");
    assert!(sol["labels"].as_array().unwrap().contains(&Value::from("super_user")));
    let neo = shop.json(&["customers", "show", "neo@example.com", "--now", NOW]);
    assert_eq!(neo["role"], "lurker");
    assert!(neo["labels"].as_array().unwrap().contains(&Value::from("new")));
    assert_eq!(neo["value"]["rfm"].as_str().unwrap().len(), 3);
}

#[test]
fn value_scores_labels_and_segments_follow_purchases() {
    let shop = Shop::new();
    // Five customers, each a different spend: quintiles give each a different score.
    for (i, name) in ["Al", "Bo", "Cy", "Di", "Ed"].iter().enumerate() {
        let email = format!("{}@example.com", name.to_lowercase());
        add(&shop, name, &["--email", &email, "--consent", "email=yes", "--tag", "local"]);
        for k in 0..=i {
            buy(&shop, &email, &format!("2026-0{}-0{}", 1 + k, 1 + i), &format!("{}", 50 * (i + 1)), "in_store");
        }
    }
    let ed = shop.json(&["customers", "show", "ed@example.com", "--now", NOW]);
    assert_eq!((ed["value"]["monetary"].as_u64(), ed["value"]["frequency"].as_u64()), (Some(5), Some(5)));
    let al = shop.json(&["customers", "show", "al@example.com", "--now", NOW]);
    assert_eq!(al["value"]["monetary"].as_u64(), Some(1));
    let lapsed = shop.json(&["customers", "show", "al@example.com", "--now", NOW]);
    assert!(lapsed["labels"].as_array().unwrap().iter().all(|l| l != "new"));

    let segments = shop.json(&["segments", "list"]);
    let count = |name: &str| segments.as_array().unwrap().iter().find(|s| s["name"] == name).map(|s| s["count"].as_u64().unwrap());
    assert_eq!(count("Lurkers who buy"), Some(5));
    shop.ok(&["segments", "save", "Top locals", "--min-value", "4", "--tag", "local"]);
    let top = shop.json(&["segments", "show", "top locals"]);
    let names: Vec<&str> = top["customers"].as_array().unwrap().iter().map(|c| c["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Di", "Ed"]);
    let file = shop.dir().join("audience.csv");
    shop.ok(&["segments", "export", "Top locals", "--format", "mailchimp", "--out", file.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("Email Address,First Name,Last Name,Tags"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    shop.ok(&["customers", "edit", "ed@example.com", "--consent", "email=no"]);
    shop.ok(&["segments", "export", "Top locals", "--format", "mailchimp", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2, "consent withdrawn: out of the audience");
    let err = shop.fails(&["segments", "save", "Bad", "--label", "royalty"]);
    assert!(err.contains("royalty"), "{err}");
}

#[test]
fn today_is_a_calm_list_no_selling_to_who_waits_a_daily_budget_and_plain_drafts() {
    let shop = Shop::new();
    // Fifteen regulars gone quiet who agreed to email: far more marketing than a day's work.
    for i in 0..15 {
        regular_gone_quiet(&shop, &format!("Reg{i:02}"), &format!("reg{i}@example.com"), &["--consent", "email=yes"], "online");
    }
    // One of them has a question waiting: no offer for her until it is answered.
    say(&shop, "reg0@example.com", "email", "question", "2026-06-15T07:00:00Z", "Where is my order?", &[]);
    let list = suggest(&shop, NOW);
    let marketing: Vec<&Value> = list.iter().filter(|s| s["marketing"] == true).collect();
    assert_eq!(marketing.len(), 10, "the default budget is ten a day: {}", kinds(&list).join(", "));
    assert!(!kinds(&list).contains(&"win_back:Reg00".to_string()), "no win-back while her question waits");
    let reply = list.iter().find(|s| s["kind"] == "reply").unwrap();
    assert!(reply["why"].as_str().unwrap().contains("has spent £1,440.00"), "money with the shop's currency: {reply}");
    let text = shop.ok(&["suggest", "--now", NOW]);
    assert!(text.contains("4 more marketing suggestions wait for the coming days (10 a day: about 1 day)"), "{text}");
    // Ten sent today are the day's ten: the next ones come tomorrow, not as soon as these are done.
    for s in &marketing {
        shop.ok(&["suggestions", "done", &s["id"].to_string(), "--now", NOW]);
    }
    assert_eq!(suggest(&shop, "2026-06-15T10:00:00Z").iter().filter(|s| s["marketing"] == true).count(), 0, "the day's budget is spent");
    assert_eq!(suggest(&shop, "2026-06-16T10:00:00Z").iter().filter(|s| s["marketing"] == true).count(), 4, "the rest, the next day");
    shop.ok(&["settings", "set", "marketing_per_day", "3"]);
    assert_eq!(suggest(&shop, "2026-06-17T10:00:00Z").iter().filter(|s| s["marketing"] == true).count(), 3, "the pace the owner set");

    // Drafts speak of what was bought as a person would.
    let w = Shop::new();
    add(&w, "Pia", &["--email", "pia@example.com", "--consent", "email=yes"]);
    w.ok(&["purchases", "add", "--customer", "pia@example.com", "--at", "2026-06-10T10:00:00Z", "--amount", "45", "--items", "Pottery workshop"]);
    add(&w, "Gil", &["--email", "gil@example.com", "--consent", "email=yes"]);
    w.ok(&["purchases", "add", "--customer", "gil@example.com", "--at", "2026-06-10T10:00:00Z", "--amount", "25", "--items", "Gift card"]);
    let list = suggest(&w, NOW);
    let draft_of = |name: &str| list.iter().find(|s| s["customer_name"] == name).unwrap()["draft"].as_str().unwrap().to_string();
    assert!(draft_of("Pia").contains("We hope you enjoyed the pottery workshop!"), "{}", draft_of("Pia"));
    assert!(draft_of("Gil").contains("We hope the gift card makes someone very happy!"), "{}", draft_of("Gil"));
    assert!(!draft_of("Gil").contains("your Gift card"));

    // A review from someone who is no customer yet: thanked without "there", under their name.
    say(&w, "", "google_reviews", "review", "2026-06-15T07:00:00Z", "Lovely shop", &["--author", "Rosa Diaz", "--rating", "5"]);
    let list = suggest(&w, NOW);
    let rosa = list.iter().find(|s| s["kind"] == "reply").expect("a reply to Rosa");
    assert_eq!(rosa["customer_name"], "Rosa Diaz");
    assert_eq!(rosa["draft"], "Thank you so much, Rosa! It means a lot to us.");
}

#[test]
fn customers_imported_with_a_history_are_not_new() {
    let shop = Shop::new();
    let file = shop.dir().join("old.csv");
    std::fs::write(&file, "Name,Email,Total Spent,Total Orders,Customer Since\nOld Timer,old@example.com,608.00,5,\nJust Joined,new@example.com,,,\n").unwrap();
    shop.ok(&["import", file.to_str().unwrap()]);
    let labels = |email: &str| shop.json(&["customers", "show", email, "--now", NOW])["labels"].clone();
    assert!(!labels("old@example.com").as_array().unwrap().iter().any(|l| l == "new"), "{}", labels("old@example.com"));
    let profile = shop.json(&["customers", "show", "new@example.com"]);
    assert!(profile["labels"].as_array().unwrap().iter().any(|l| l == "new"), "{profile}");
}
