//! One person, every channel, through the CLI on real database files: the possible duplicates
//! with their reasons, merging them (a dry run first), and taking a merge back.

mod common;

use common::Shop;

#[test]
fn possible_duplicates_come_best_first_with_their_reasons_and_near_misses_stay_out() {
    let shop = Shop::new();
    let add = |args: &[&str]| {
        let mut all = vec!["customers", "add"];
        all.extend_from_slice(args);
        shop.ok(&all);
    };
    add(&["--first-name", "Ann", "--last-name", "Lee", "--email", "ann.lee@gmail.com"]);
    add(&["--first-name", "Annie", "--last-name", "Lee", "--email", "annlee+shop@googlemail.com"]);
    add(&["--first-name", "Bob", "--last-name", "Smith", "--city", "Leeds"]);
    add(&["--first-name", "Robert", "--last-name", "Smith", "--city", "Leeds"]);
    add(&["--first-name", "Tom", "--last-name", "Jones", "--city", "Cardiff"]);
    add(&["--first-name", "Tom", "--last-name", "Jones", "--city", "Leeds"]);
    add(&["--first-name", "Mia", "--handle", "instagram:mia.styles"]);
    add(&["--first-name", "Mia", "--last-name", "Stone", "--handle", "tiktok:mia.styles"]);
    let groups = shop.json(&["customers", "duplicates"]);
    let ids: Vec<Vec<i64>> = groups.as_array().unwrap().iter().map(|g| g["customers"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect()).collect();
    assert_eq!(ids, [vec![1, 2], vec![7, 8], vec![3, 4]], "best first; the two Tom Joneses in two towns are not listed: {groups}");
    assert!(groups[0]["reasons"][0].as_str().unwrap().contains("the same mailbox written two ways"), "{groups}");
    assert!(groups[2]["reasons"][0].as_str().unwrap().contains("Bob and Robert are forms of one given name"), "{groups}");
    let text = shop.ok(&["customers", "duplicates"]);
    assert!(text.starts_with("#1 Ann Lee · #2 Annie Lee"), "{text}");
    // Of one customer: only the groups that hold them.
    let of = shop.json(&["customers", "duplicates", "--of", "4"]);
    assert_eq!((of.as_array().unwrap().len(), of[0]["customers"][0]["id"].as_i64()), (1, Some(3)), "{of}");
    assert!(shop.json(&["customers", "duplicates", "--of", "5"]).as_array().unwrap().is_empty(), "Tom Jones of Cardiff has none");
}

#[test]
fn a_customer_who_signed_messages_with_another_customers_name_is_a_possible_duplicate() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--last-name", "Lee", "--email", "ann@lee.example"]);
    shop.ok(&["customers", "add", "--phone", "+44 7911 000222"]);
    shop.ok(&["customers", "add", "--first-name", "Tom", "--last-name", "Jones"]);
    // Messages from the number, signed with a name (as a WhatsApp or Messenger download gives them).
    shop.ok(&["touchpoints", "add", "--customer", "2", "--author", "Annie Lee", "--channel", "whatsapp", "--kind", "question", "--text", "Is my order ready?"]);
    let groups = shop.json(&["customers", "duplicates"]);
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    let ids: Vec<i64> = groups[0]["customers"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 2], "{groups}");
    assert!(groups[0]["reasons"][0].as_str().unwrap().contains("wrote as “Annie Lee” on WhatsApp, the name of Ann Lee"), "{groups}");
}

fn show(shop: &Shop, who: &str) -> serde_json::Value {
    shop.json(&["customers", "show", who])
}

fn count_of(shop: &Shop, args: &[&str]) -> usize {
    shop.json(args).as_array().unwrap().len()
}

#[test]
fn a_merge_moves_everything_a_dry_run_changes_nothing_and_unmerge_puts_each_thing_back() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--last-name", "Lee", "--email", "ann.lee@gmail.com", "--phone", "07911 123456", "--tag", "vip", "--notes", "Likes linen", "--consent", "email=yes"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    shop.ok(&["customers", "add", "--first-name", "Annie", "--last-name", "Lee", "--email", "annlee@googlemail.com", "--handle", "instagram:annie.lee", "--tag", "local", "--notes", "Prefers mornings", "--city", "York", "--street", "1 Stonegate", "--consent", "email=no"]);
    shop.ok(&["touchpoints", "add", "--customer", "2", "--channel", "instagram", "--kind", "question", "--text", "Do you have the blue scarf?", "--at", "2026-11-01T10:00:00Z"]);
    shop.ok(&["touchpoints", "add", "--customer", "2", "--channel", "instagram", "--kind", "comment", "--text", "Love it", "--at", "2026-11-02T10:00:00Z"]);
    shop.ok(&["purchases", "add", "--customer", "2", "--amount", "30.00", "--at", "2026-11-03T10:00:00Z"]);
    shop.ok(&["purchases", "add", "--customer", "1", "--amount", "20.00", "--at", "2026-10-03T10:00:00Z"]);
    // A dry run says what the merge makes and changes nothing.
    let dry = shop.json(&["customers", "merge", "1", "2", "--dry-run"]);
    assert_eq!((dry["merge_id"].is_null(), dry["customer"]["emails"].as_array().unwrap().len()), (true, 2), "{dry}");
    assert_eq!(dry["customer"]["address"]["city"], "York", "by default the fuller value stands");
    assert_eq!(count_of(&shop, &["touchpoints", "list", "--customer", "2"]), 2, "nothing moved");
    // The merge.
    let merged = shop.json(&["customers", "merge", "1", "2", "--pick", "first_name=1"]);
    let merge_id = merged["merge_id"].as_i64().expect("a merge number").to_string();
    let ann = show(&shop, "1");
    assert_eq!(ann["emails"], serde_json::json!(["ann.lee@gmail.com", "annlee@googlemail.com"]));
    assert_eq!((ann["first_name"].as_str(), ann["display_name"].as_str(), ann["handles"]["instagram"].as_str()), (Some("Ann"), Some("Ann Lee"), Some("annie.lee")), "the owner's pick stands");
    assert_eq!(ann["tags"], serde_json::json!(["vip", "local"]));
    assert_eq!(ann["notes"], "Likes linen\n\nPrefers mornings");
    assert_eq!((ann["address"]["city"].as_str(), ann["address"]["street"].as_str()), (Some("York"), Some("1 Stonegate")), "the fuller address stands");
    assert_eq!(ann["consent"]["email"], "no", "the most recent answer stands: a withdrawal is never lost");
    assert_eq!(ann["consent_history"].as_array().unwrap().len(), 2, "both records kept: {ann}");
    assert_eq!(count_of(&shop, &["touchpoints", "list", "--customer", "1"]), 2);
    assert_eq!(count_of(&shop, &["purchases", "list", "--customer", "1"]), 2);
    assert_eq!(show(&shop, "annlee@googlemail.com")["id"], 1, "the merged-away address finds the kept customer");
    assert_eq!(show(&shop, "instagram:annie.lee")["id"], 1);
    assert_eq!(shop.json(&["customers", "list"]).as_array().map_or(0, |a| a.len()).max(1), 1);
    let refused = shop.fails(&["customers", "restore", "2"]);
    assert!(refused.contains(&format!("unmerge {merge_id}")), "{refused}");
    // Logged on the kept customer after the merge: stays there when the merge is taken back.
    shop.ok(&["touchpoints", "add", "--customer", "1", "--channel", "email", "--kind", "question", "--text", "Open Sunday?"]);
    let undone = shop.json(&["customers", "unmerge", &merge_id]);
    assert_eq!(undone["touchpoints_kept"], 1, "{undone}");
    let (ann, annie) = (show(&shop, "1"), show(&shop, "2"));
    assert_eq!(ann["emails"], serde_json::json!(["ann.lee@gmail.com"]));
    assert_eq!(annie["emails"], serde_json::json!(["annlee@googlemail.com"]));
    assert_eq!((annie["handles"]["instagram"].as_str(), annie["consent"]["email"].as_str()), (Some("annie.lee"), Some("no")));
    assert_eq!(ann["consent"]["email"], "yes");
    assert_eq!(count_of(&shop, &["touchpoints", "list", "--customer", "2"]), 2, "each message with the customer it came from");
    assert_eq!(count_of(&shop, &["touchpoints", "list", "--customer", "1"]), 1);
    assert_eq!(count_of(&shop, &["purchases", "list", "--customer", "2"]), 1);
    assert!(shop.fails(&["customers", "unmerge", &merge_id]).contains("taken back already"));
    assert!(shop.fails(&["customers", "merge", "1", "1"]).contains("named twice"));
}

#[test]
fn a_merge_across_an_import_that_is_then_undone_loses_nothing() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Carla", "--last-name", "Mendes", "--email", "carla@mendes.example"]);
    let file = shop.dir().join("list.csv");
    std::fs::write(&file, "First Name,Last Name,Email,Phone\nCarla,Mendes,c.mendes@gmail.com,07700 900123\nBen,Ode,ben@ode.example,\n").unwrap();
    let imported = shop.json(&["import", file.to_str().unwrap()]);
    let import_id = imported["import_id"].as_i64().unwrap().to_string();
    let carla_two = show(&shop, "c.mendes@gmail.com")["id"].as_i64().unwrap().to_string();
    shop.ok(&["touchpoints", "add", "--customer", &carla_two, "--channel", "sms", "--kind", "question", "--text", "Is my order ready?"]);
    let merged = shop.json(&["customers", "merge", "1", &carla_two]);
    assert!(merged["merge_id"].is_i64());
    // Undoing the import now: the customer it created lives on in Carla #1, with her message.
    let undo = shop.run(&["imports", "undo", &import_id, "--json"]);
    let carla = show(&shop, "1");
    assert!(carla["emails"].as_array().unwrap().iter().any(|e| e == "carla@mendes.example"), "{carla}");
    assert_eq!(count_of(&shop, &["touchpoints", "list", "--customer", "1"]), 1, "her message is not lost");
    if undo.status.success() {
        assert!(shop.run(&["customers", "show", "ben@ode.example"]).status.success() == false, "Ben, created by the import, is gone");
    } else {
        let said = String::from_utf8_lossy(&undo.stderr);
        assert!(said.contains("merge"), "a refusal names the merge: {said}");
    }
}

#[test]
fn unmerge_refuses_with_a_reason_when_a_key_of_the_merged_customer_went_to_someone_else() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--last-name", "Lee", "--email", "ann@lee.example"]);
    shop.ok(&["customers", "add", "--first-name", "Annie", "--last-name", "Lee", "--email", "annie@lee.example", "--handle", "instagram:annie.lee"]);
    let merge_id = shop.json(&["customers", "merge", "1", "2"])["merge_id"].as_i64().unwrap().to_string();
    // The owner moves the handle off Ann and onto a third customer.
    shop.ok(&["customers", "edit", "1", "--remove-handle", "instagram"]);
    shop.ok(&["customers", "add", "--first-name", "Annabel", "--handle", "instagram:annie.lee"]);
    let refused = shop.fails(&["customers", "unmerge", &merge_id]);
    assert!(refused.contains("@annie.lee on instagram belongs to #3"), "a reason, not a database error: {refused}");
    assert_eq!(show(&shop, "instagram:annie.lee")["id"], 3, "nothing changed");
    assert_eq!(show(&shop, "annie@lee.example")["id"], 1, "the merge still stands");
}

#[test]
fn linking_who_wrote_teaches_the_profile_and_a_name_link_is_confirmed_or_undone() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--last-name", "Lee", "--email", "ann@lee.example"]);
    let said = |author: &str, text: &str| -> i64 {
        shop.json(&["touchpoints", "add", "--author", author, "--channel", "whatsapp", "--kind", "question", "--text", text])["id"].as_i64().unwrap()
    };
    let first = said("+44 7911 000111", "Is the shop open today?");
    said("+44 7911 000111", "And tomorrow?");
    // The likely customer, before anything is typed: by name.
    let by_name = said("Ann Lee", "Hello from my other phone");
    assert_eq!(shop.json(&["touchpoints", "likely", &by_name.to_string()])[0]["id"], 1);
    // "This is Ann": both messages from that number, and the number on her profile.
    let linked = shop.json(&["touchpoints", "link", &first.to_string(), "--customer", "1"]);
    assert_eq!((linked["also_linked"].as_u64(), linked["learned"].as_str()), (Some(1), Some("+447911000111")), "{linked}");
    assert_eq!(shop.json(&["customers", "show", "1"])["phones"], serde_json::json!(["+447911000111"]));
    let next = shop.json(&["touchpoints", "add", "--author", "07911 000111", "--channel", "sms", "--kind", "question", "--text", "Me again"]);
    assert_eq!(next["customer_id"], 1, "the next message links by itself: {next}");
    // A message linked by name alone (a conversation import) is confirmed, or said to be no customer's.
    let chat = shop.dir().join("WhatsApp Chat with Ann Lee.txt");
    std::fs::write(&chat, "01/03/2026, 10:00 - Ann Lee: Thank you for the flowers\n01/03/2026, 11:00 - Ann Lee: Are you open Sunday?\n").unwrap();
    shop.ok(&["settings", "set", "shop_name", "Bloom"]);
    shop.json(&["touchpoints", "import", chat.to_str().unwrap()]);
    let mine: Vec<serde_json::Value> = shop.json(&["touchpoints", "list", "--customer", "1"]).as_array().unwrap().iter().filter(|t| t["linked_by_name"] == true).cloned().collect();
    assert_eq!(mine.len(), 2, "linked by name, marked");
    let one = mine[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(shop.json(&["touchpoints", "confirm", &one])["linked_by_name"], false);
    let other = mine[1]["id"].as_i64().unwrap().to_string();
    let taken_off = shop.json(&["touchpoints", "not-a-customer", &other]);
    assert!(taken_off["customer_id"].is_null(), "{taken_off}");
}

#[test]
fn who_is_this_lists_everyone_unlinked_once_and_not_those_said_to_be_no_customer() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Ann", "--email", "ann@lee.example"]);
    let said = |author: &str, channel: &str, text: &str| -> i64 {
        shop.json(&["touchpoints", "add", "--author", author, "--channel", channel, "--kind", "comment", "--text", text])["id"].as_i64().unwrap()
    };
    said("@mia.styles", "instagram", "Love it");
    let latest = said("@mia.styles", "instagram", "When is the sale?");
    said("ann@lee.example", "email", "Thanks!");
    let supplier = said("orders@supplier.example", "email", "Invoice attached");
    shop.ok(&["touchpoints", "not-a-customer", &supplier.to_string()]);
    let unknown = shop.json(&["touchpoints", "unknown"]);
    let rows: Vec<(i64, u64)> = unknown.as_array().unwrap().iter().map(|u| (u["touchpoint"]["id"].as_i64().unwrap(), u["messages"].as_u64().unwrap())).collect();
    assert_eq!(rows, [(latest, 2)], "Mia once, with her two messages; Ann is a customer; the supplier is no customer: {unknown}");
    // Add as a customer: the handle from the message, the name from the owner; both messages come along.
    let added = shop.json(&["touchpoints", "add-customer", &latest.to_string(), "--first-name", "Mia"]);
    assert_eq!((added["customer"]["display_name"].as_str(), added["customer"]["handles"]["instagram"].as_str(), added["messages"].as_u64()), (Some("Mia"), Some("mia.styles"), Some(2)), "{added}");
    assert!(shop.json(&["touchpoints", "unknown"]).as_array().unwrap().is_empty());
    // From an address like first.last@…, the name is read for the owner to check.
    let letter = said("ben.ode@mail.example", "email", "Do you deliver?");
    let ben = shop.json(&["touchpoints", "add-customer", &letter.to_string()]);
    assert_eq!((ben["customer"]["first_name"].as_str(), ben["customer"]["last_name"].as_str(), ben["customer"]["emails"][0].as_str()), (Some("Ben"), Some("Ode"), Some("ben.ode@mail.example")), "{ben}");
    assert!(shop.fails(&["touchpoints", "add-customer", &letter.to_string()]).contains("already linked"));
}
