//! A new owner's first hour, through the real `regulars` binary: the contact exports they have
//! (Outlook, Google, a German list) land in the right fields with every phone read by its best
//! evidence, counts that count customers, and nothing left out without being counted.

mod common;

use common::{contacts, Shop};
use serde_json::Value;

fn import(shop: &Shop, file: &str, extra: &[&str]) -> Value {
    let path = contacts().join(file);
    let mut args = vec!["import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = shop.json(&args);
    let n = |k: &str| r[k].as_u64().unwrap();
    assert_eq!(n("rows"), n("created") + n("merged") + n("unchanged") + n("rejected") + n("repeats"), "{r}");
    r
}

fn customer(shop: &Shop, email: &str) -> Value {
    shop.json(&["customers", "show", email])
}

#[test]
fn canadian_contacts_in_a_british_shop_keep_their_phones_and_their_home_address() {
    let shop = Shop::new(); // GB
    let r = import(&shop, "outlook_canada.csv", &[]);
    assert_eq!((r["created"].as_u64(), r["rejected"].as_u64()), (Some(3), Some(0)), "{r}");
    assert_eq!(r["left_out"], 0, "no value was left out: {}", r["problems"]);
    assert_eq!(r["layout"]["phones"]["region"], "CA", "{}", r["layout"]["phones"]);
    assert_eq!(r["layout"]["phones"]["by"], "file");

    let elodie = customer(&shop, "elodie.tremblay@example.ca");
    assert_eq!(elodie["phones"], serde_json::json!(["+15145550170", "+14385550111"]), "mobile first, no fax or assistant");
    let a = &elodie["address"];
    assert_eq!((a["street"].as_str(), a["city"].as_str(), a["postal_code"].as_str()), (Some("1200 Rue Sherbrooke O"), Some("Montréal"), Some("H3A 1H6")), "the home address, whole");
    assert_eq!(elodie["company"], "Tremblay Design", "not its Yomi");
    let custom = &elodie["custom"];
    assert_eq!(custom["Job title"], "Designer");
    assert_eq!(custom["IM address"], "elodie@im.example");
    assert_eq!(custom["Assistant's phone"], "(514) 555-0199");
    assert_eq!(custom["Fax"], "(514) 555-0188");
    assert_eq!(custom["Nickname"], "Lodie");
    assert_eq!(elodie["display_name"], "Élodie Tremblay", "a nickname is a detail, not the name");

    // No country on the row: the file's own reading (Canada/US), not the shop's, is used.
    assert_eq!(customer(&shop, "marc.gagnon@example.ca")["phones"], serde_json::json!(["+15035550070"]));
    let priya = customer(&shop, "priya.shah@example.ca");
    assert_eq!(priya["address"]["city"], "Toronto", "a business address when it is the only one");
    assert_eq!(priya["phones"], serde_json::json!(["+14165550123"]));
}

#[test]
fn a_german_list_reads_german_numbers_and_says_so() {
    let shop = Shop::new(); // GB
    let preview = import(&shop, "kunden_de.csv", &["--dry-run"]);
    let phones = &preview["layout"]["phones"];
    assert_eq!((phones["region"].as_str(), phones["country"].as_str(), phones["by"].as_str()), (Some("DE"), Some("Germany"), Some("file")));
    assert_eq!((phones["valid"].as_u64(), phones["sampled"].as_u64()), (Some(4), Some(4)));
    assert_eq!(preview["left_out"], 0, "{}", preview["problems"]);
    let text = shop.ok(&["import", contacts().join("kunden_de.csv").to_str().unwrap(), "--dry-run"]);
    assert!(text.contains("read as Germany (from the file's numbers; 4 of 4 valid)"), "{text}");

    import(&shop, "kunden_de.csv", &[]);
    let jonas = customer(&shop, "jonas.mueller@example.de");
    assert_eq!(jonas["phones"], serde_json::json!(["+4915101352233", "+493012345678"]));
    assert_eq!(jonas["birthday"], "1988-10-18");

    // The owner's choice wins over the file's numbers, and what it leaves out is counted.
    let other = Shop::new();
    let chosen = import(&other, "kunden_de.csv", &["--region", "GB", "--dry-run"]);
    assert_eq!(chosen["layout"]["phones"]["by"], "choice");
    // Two German mobiles are no British numbers; the other two happen to be (0160… is Northallerton).
    assert_eq!(chosen["left_out"], 2, "{}", chosen["problems"]);
}

#[test]
fn google_contacts_old_and_new_map_phones_by_their_type_and_rows_by_their_country() {
    let shop = Shop::new(); // GB
    let r = import(&shop, "google_contacts.csv", &[]);
    assert_eq!((r["created"].as_u64(), r["left_out"].as_u64()), (Some(3), Some(0)), "{}", r["problems"]);
    let amelia = customer(&shop, "amelia.hart@example.co.uk");
    assert_eq!(amelia["phones"], serde_json::json!(["+447911123456"]), "the mobile, not the work fax");
    assert_eq!(amelia["custom"]["Work Fax"], "020 7946 0018");
    assert_eq!(amelia["company"], "Hart Florals");
    assert_eq!(amelia["custom"]["Job title"], "Head Florist");
    assert_eq!(amelia["custom"]["Phonetic First Name"], "Uh-MEE-lee-uh", "kept as a detail, not as a phone");
    assert_eq!(amelia["tags"], serde_json::json!(["Regulars"]));
    assert_eq!(amelia["address"]["street"], "12 Rose Lane");
    // Each row's own country reads its number.
    assert_eq!(customer(&shop, "bia.souza@example.com.br")["phones"], serde_json::json!(["+5511987654321"]));
    assert_eq!(customer(&shop, "siobhan@example.ie")["phones"], serde_json::json!(["+353871234567"]));

    let legacy = Shop::new();
    let r = import(&legacy, "google_contacts_legacy.csv", &[]);
    assert_eq!((r["created"].as_u64(), r["left_out"].as_u64()), (Some(1), Some(0)), "{}", r["problems"]);
    let oliver = customer(&legacy, "oliver@bennett.example");
    assert_eq!(oliver["phones"], serde_json::json!(["+447912345678"]));
    assert_eq!(oliver["custom"]["Work Fax"], "0117 496 0123");
    assert_eq!((oliver["company"].as_str(), oliver["custom"]["Job title"].as_str()), (Some("Bennett Bakes"), Some("Baker")));
    assert_eq!(oliver["first_name"], "Oliver");
    assert!(oliver["custom"].get("Sensitivity").is_none(), "the export's bookkeeping is not kept: {}", oliver["custom"]);
}

#[test]
fn mailchimp_confirmations_shopify_ids_and_repeated_rows_are_read_as_meant() {
    let shop = Shop::new();
    let mailchimp = shop.dir().join("subscribed_members_export.csv");
    std::fs::write(&mailchimp, "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\n\
        ana@example.com,Ana,Abbott,2,2024-03-01 10:00:00,,2024-03-01 10:05:12,1.2.3.4,,,,,,GB,,2024-03-01 10:05:12,123,abc,,\"Regulars\"\n\
        ben@example.com,Ben,Bell,2,2024-03-02 11:00:00,,,,,,,,,GB,,2024-03-02 11:00:00,124,abd,,\n").unwrap();
    let r = shop.json(&["import", mailchimp.to_str().unwrap()]);
    assert_eq!(r["left_out"], 0, "{}", r["problems"]);
    assert_eq!(customer(&shop, "ana@example.com")["consent"]["email"], "yes", "a confirmed opt-in is a yes");
    assert_eq!(customer(&shop, "ben@example.com")["consent"]["email"], "unknown", "no confirmation, no yes");

    let unsubscribed = shop.dir().join("unsubscribed_members_export.csv");
    std::fs::write(&unsubscribed, "Email Address,First Name,CONFIRM_TIME,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE\n\
        ana@example.com,Ana,2024-03-01 10:05:12,2024-06-01 09:00:00,June news\n").unwrap();
    shop.json(&["import", unsubscribed.to_str().unwrap()]);
    assert_eq!(customer(&shop, "ana@example.com")["consent"]["email"], "no", "who left is a no, whatever else the row says");

    let shopify = shop.dir().join("customers_export.csv");
    std::fs::write(&shopify, "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags\n\
        '7210000001,Cleo,Cole,cleo@example.com,yes,,1 High St,,Leeds,,GB,LS1 1AA,,'+447911100001,no,12.50,1,,no,\n\
        '7210000002,Dev,Das,dev@example.com,no,,,,Dublin,,IE,,,'0871234567,no,0.00,0,,no,\n\
        '7210000003,Cleo,Cole,cleo@example.com,yes,,1 High St,,Leeds,,GB,LS1 1AA,,,no,12.50,1,second row for Cleo,no,\n").unwrap();
    let r = shop.json(&["import", shopify.to_str().unwrap()]);
    assert_eq!((r["created"].as_u64(), r["merged"].as_u64(), r["repeats"].as_u64()), (Some(2), Some(0), Some(1)), "a repeat within the file is no customer you had: {r}");
    let cleo = customer(&shop, "cleo@example.com");
    assert_eq!(cleo["custom"]["Customer ID"], "7210000001", "the apostrophe that kept it text is not part of it");
    assert_eq!(cleo["notes"], "second row for Cleo");
    assert_eq!(customer(&shop, "dev@example.com")["phones"], serde_json::json!(["+353871234567"]), "read as Irish by its row's country");
    let text = shop.ok(&["import", shopify.to_str().unwrap(), "--dry-run"]);
    assert!(!text.contains("1 customers"), "{text}");
    let again = shop.json(&["import", shopify.to_str().unwrap()]);
    let counts = ["created", "merged", "unchanged", "repeats"].map(|k| again[k].as_u64().unwrap());
    assert_eq!(counts, [0, 0, 2, 1], "imported again: two customers unchanged, Cleo's second row a repeat (not three customers): {again}");
}

#[test]
fn a_reply_logged_by_hand_answers_what_waits_and_an_empty_message_is_refused() {
    let shop = Shop::new();
    shop.ok(&["customers", "add", "--first-name", "Amelia", "--last-name", "Hart", "--email", "amelia@example.com", "--phone", "07911 123456"]);
    let add = |args: &[&str]| {
        let mut all = vec!["touchpoints", "add", "--customer", "amelia@example.com"];
        all.extend_from_slice(args);
        shop.json(&all)
    };
    let first = add(&["--channel", "whatsapp", "--kind", "question", "--at", "2026-11-30T09:00:00Z", "--text", "Do you have the blue vase?"]);
    let second = add(&["--channel", "whatsapp", "--kind", "question", "--at", "2026-11-30T09:05:00Z", "--text", "Or the green one?"]);
    let elsewhere = add(&["--channel", "instagram", "--kind", "dm", "--at", "2026-11-30T09:10:00Z", "--text", "Is the shop open Sunday?"]);
    let waiting = |shop: &Shop| -> Vec<i64> {
        shop.json(&["inbox", "--now", "2026-11-30T12:00:00Z"])["items"].as_array().unwrap().iter().map(|i| i["touchpoint"]["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(waiting(&shop).len(), 3);

    // The shop answered on WhatsApp and logs it after the fact.
    let reply = add(&["--channel", "whatsapp", "--kind", "reply", "--direction", "out", "--at", "2026-11-30T10:00:00Z", "--text", "Yes, both are in!"]);
    assert_eq!(reply["in_reply_to"], second["id"], "it answers the latest message waiting there");
    assert_eq!(waiting(&shop), vec![elsewhere["id"].as_i64().unwrap()], "both WhatsApp questions are answered; Instagram still waits");
    let answered = shop.json(&["touchpoints", "list", "--customer", "amelia@example.com"]);
    let find = |id: &Value| answered.as_array().unwrap().iter().find(|t| t["id"] == *id).unwrap().clone();
    assert_eq!((find(&first["id"])["status"].as_str(), find(&first["id"])["replied_at"].as_str()), (Some("replied"), Some("2026-11-30T10:00:00Z")));
    assert_eq!(find(&second["id"])["reply_id"], reply["id"]);

    // A message before the question does not answer it.
    let early = add(&["--channel", "instagram", "--kind", "reply", "--direction", "out", "--at", "2026-11-30T08:00:00Z", "--text", "Morning!"]);
    assert_eq!(early["in_reply_to"], Value::Null);
    assert_eq!(waiting(&shop).len(), 1);

    // Nothing said is nothing to log; a star-only review and a visit are something.
    let err = shop.fails(&["touchpoints", "add", "--customer", "amelia@example.com", "--channel", "instagram", "--kind", "comment", "--text", "  "]);
    assert!(err.contains("empty"), "{err}");
    add(&["--channel", "google_reviews", "--kind", "review", "--rating", "5"]);
    add(&["--channel", "in_store", "--kind", "visit"]);
}
