//! Conversations from the platforms' own downloads, through the CLI on real database files: the
//! florist's samples (tests/data/conversations, whose README says what a correct import gives),
//! then each format's variants, written here line by line.

mod common;

use std::path::{Path, PathBuf};

use common::Shop;
use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conversations")
}

/// The florist in Portland with the customers the samples' README lists.
fn florist() -> Shop {
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "US"]);
    shop.ok(&["settings", "set", "shop_name", "Bloom & Twine"]);
    shop.ok(&["settings", "set", "time_zone", "America/Los_Angeles"]);
    shop.ok(&["customers", "add", "--first-name", "Dana", "--last-name", "Whitfield", "--email", "dana@whitfield.example", "--phone", "+1 503 555 0199"]);
    shop.ok(&["customers", "add", "--first-name", "Jonas", "--last-name", "Becker", "--email", "jonas@becker.example"]);
    shop.ok(&["customers", "add", "--first-name", "René", "--last-name", "García", "--email", "rene@garcia.example"]);
    shop.ok(&["customers", "add", "--first-name", "Carla", "--last-name", "Mendes", "--email", "carla@mendes.example"]);
    shop
}

fn import(shop: &Shop, path: &Path, dry_run: bool) -> Value {
    let mut args = vec!["touchpoints", "import", path.to_str().unwrap()];
    if dry_run {
        args.push("--dry-run");
    }
    shop.json(&args)
}

fn waiting_authors(shop: &Shop) -> Vec<String> {
    let inbox = shop.json(&["inbox", "--now", "2026-03-21T12:00:00Z"]);
    let mut who: Vec<String> = inbox["items"].as_array().unwrap().iter().map(|i| i["touchpoint"]["author"].as_str().unwrap().to_string()).collect();
    who.sort();
    who
}

fn messages_of(shop: &Shop, customer: &str) -> Vec<Value> {
    let mut list = shop.json(&["touchpoints", "list", "--customer", customer]).as_array().unwrap().clone();
    list.sort_by_key(|t| (t["at"].as_str().unwrap().to_string(), t["id"].as_i64()));
    list
}

#[test]
fn the_florists_downloads_put_every_message_on_the_right_customer_at_the_right_time() {
    let shop = florist();
    let preview = import(&shop, &samples(), true);
    assert_eq!((preview["rows"].as_u64(), preview["added"].as_u64()), (Some(21), Some(21)), "{preview}");
    assert!(waiting_authors(&shop).is_empty(), "a preview saves nothing");
    let r = import(&shop, &samples(), false);
    assert_eq!((r["rows"].as_u64(), r["added"].as_u64(), r["rejected"].as_u64()), (Some(21), Some(21), Some(0)), "{r}");
    assert_eq!((r["messages_in"].as_u64(), r["messages_out"].as_u64()), (Some(15), Some(6)));
    let left_out: Vec<(String, u64)> = r["left_out"].as_array().unwrap().iter().map(|l| (l["reason"].as_str().unwrap().to_string(), l["count"].as_u64().unwrap())).collect();
    assert_eq!(left_out, [("notice".to_string(), 2), ("bulk".to_string(), 1)], "the two encryption notices and the newsletter");
    // Each conversation: where, with whom, on which customer (and whether by name alone), in, out, waiting.
    let expected: &[(&str, &str, Option<&str>, bool, u64, u64, u64)] = &[
        ("google_reviews", "Dana Whitfield", Some("Dana Whitfield"), true, 1, 1, 0),
        ("google_reviews", "Marcus Lee", None, false, 1, 0, 1),
        ("google_reviews", "A Google User", None, false, 1, 0, 1),
        ("whatsapp", "Jonas Becker", Some("Jonas Becker"), true, 2, 1, 0),
        ("whatsapp", "+1 503-555-0147", None, false, 1, 0, 1),
        ("whatsapp", "Dana Whitfield", Some("Dana Whitfield"), true, 4, 1, 0),
        ("sms", "Dana Whitfield", Some("Dana Whitfield"), false, 1, 1, 0),
        ("instagram", "René García", Some("René García"), true, 1, 1, 0),
        ("facebook", "Alice Ng", None, false, 1, 0, 1),
        ("email", "carla@mendes.example", Some("Carla Mendes"), false, 1, 1, 0),
        ("email", "bjorn@olsen.example", None, false, 1, 0, 1),
    ];
    let mut got: Vec<(String, String, Option<String>, bool, u64, u64, u64)> = r["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["channel"].as_str().unwrap().to_string(),
                c["with"].as_str().unwrap().to_string(),
                c["customer_name"].as_str().map(str::to_string),
                c["linked_by_name"].as_bool().unwrap(),
                c["messages_in"].as_u64().unwrap(),
                c["messages_out"].as_u64().unwrap(),
                c["waiting"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut want: Vec<_> = expected.iter().map(|(a, b, c, d, e, f, g)| (a.to_string(), b.to_string(), c.map(str::to_string), *d, *e, *f, *g)).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    // Who still waits, and nobody who was answered.
    assert_eq!(waiting_authors(&shop), ["+1 503-555-0147", "A Google User", "Alice Ng", "Marcus Lee", "bjorn@olsen.example"]);
    // Dana: WhatsApp in Portland time (9:02 AM PDT), a message on two lines joined, the photo noted,
    // her thanks after the shop's answer needing no reply; the text answered by the shop's text.
    let dana = messages_of(&shop, "dana@whitfield.example");
    let whatsapp: Vec<&Value> = dana.iter().filter(|t| t["channel"] == "whatsapp").collect();
    assert_eq!(whatsapp[0]["at"], "2026-03-14T16:02:00Z");
    assert_eq!((whatsapp[0]["status"].as_str(), whatsapp[0]["replied_at"].as_str()), (Some("replied"), Some("2026-03-14T16:15:00Z")));
    assert_eq!(whatsapp[1]["direction"], "out");
    assert!(whatsapp.iter().any(|t| t["text"] == "Pick up please\nAround 11 if that works"), "{whatsapp:?}");
    assert!(whatsapp.iter().any(|t| t["text"] == "(a photo, video or file)" && t["status"] == "no_reply_needed"));
    assert!(whatsapp.iter().all(|t| t["status"] != "needs_reply"));
    let sms: Vec<&Value> = dana.iter().filter(|t| t["channel"] == "sms").collect();
    assert_eq!((sms[0]["status"].as_str(), sms[0]["replied_at"].as_str()), (Some("replied"), Some("2026-03-12T20:05:00Z")));
    let review = dana.iter().find(|t| t["channel"] == "google_reviews" && t["direction"] == "in").unwrap();
    assert_eq!((review["rating"].as_u64(), review["replied_at"].as_str()), (Some(5), Some("2026-03-18T09:00:00Z")));
    // Jonas: an iPhone with German settings (2 March, dots, seconds), the German notice left out,
    // the photo with his complaint, the shop's answer the same afternoon.
    let jonas = messages_of(&shop, "jonas@becker.example");
    assert_eq!(jonas.len(), 3);
    assert_eq!((jonas[0]["at"].as_str(), jonas[0]["replied_at"].as_str()), (Some("2026-03-02T22:05:10Z"), Some("2026-03-02T23:20:00Z")));
    assert_eq!(jonas[1]["text"], "(a photo)");
    // René: the export's mojibake repaired, tulips and all.
    let rene = messages_of(&shop, "rene@garcia.example");
    assert_eq!(rene[0]["text"], "Will you have tulips next week? 🌷");
    assert_eq!(rene[0]["linked_by_name"], true);
    // Carla: her question answered by the shop's reply in the same Gmail thread.
    let carla = messages_of(&shop, "carla@mendes.example");
    assert_eq!((carla[0]["status"].as_str(), carla[1]["direction"].as_str()), (Some("replied"), Some("out")));
    assert!(carla[0]["text"].as_str().unwrap().contains("We’re getting married in June"));
    // The .eml: an encoded-word name, HTML only, as plain text.
    let inbox = shop.json(&["inbox", "--now", "2026-03-21T12:00:00Z"]);
    let bjorn = inbox["items"].as_array().unwrap().iter().find(|i| i["touchpoint"]["channel"] == "email").unwrap();
    assert_eq!(bjorn["touchpoint"]["text"], "Late delivery\n\nThe anniversary flowers came a day late. Not great.");
    // Everything once: the same download again adds nothing.
    let again = import(&shop, &samples(), false);
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(21)), "{again}");
}

#[test]
fn a_newer_export_that_overlaps_adds_only_what_is_new_and_a_later_customer_picks_up_the_messages() {
    let shop = florist();
    let dir = shop.dir().join("chats");
    std::fs::create_dir(&dir).unwrap();
    let chat = dir.join("WhatsApp Chat with +1 503-555-0147.txt");
    let old = "3/20/26, 4:11\u{202f}PM - +1 503-555-0147: Do you deliver to Beaverton?\n";
    std::fs::write(&chat, old).unwrap();
    assert_eq!(import(&shop, &chat, false)["added"], 1);
    std::fs::write(&chat, format!("{old}3/20/26, 4:30\u{202f}PM - Bloom & Twine: We do, $10 within 5 miles.\n3/20/26, 4:31\u{202f}PM - +1 503-555-0147: Great, thanks!\n")).unwrap();
    let newer = import(&shop, &chat, false);
    assert_eq!((newer["added"].as_u64(), newer["unchanged"].as_u64()), (Some(2), Some(1)), "{newer}");
    assert!(waiting_authors(&shop).is_empty(), "answered, then thanked: nothing waits");
    // The number becomes a customer: their messages come with them.
    shop.ok(&["customers", "add", "--first-name", "Sam", "--phone", "(503) 555-0147"]);
    assert_eq!(messages_of(&shop, "+15035550147").len(), 3);
    // And importing the chat again after that adds nothing twice.
    assert_eq!(import(&shop, &chat, false)["added"], 0);
}

#[test]
fn whatsapp_chats_in_every_locale_read_their_dates_clocks_and_lines() {
    // (file name, the shop's country, the chat, (time in UTC, direction, text) of each message kept, left out)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str, &'a str)], u64);
    let cases: &[Case] = &[
        (
            "WhatsApp-Chat mit Anna Schmidt.txt",
            "DE",
            "14.03.26, 09:02 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Tippe, um mehr zu erfahren.\n\
             14.03.26, 09:02 - Anna Schmidt: Habt ihr Tulpen?\n\
             14.03.26, 09:10 - Bloom & Twine: Ja, ab morgen!\n\
             14.03.26, 09:11 - Anna Schmidt: Diese Nachricht wurde gelöscht\n",
            &[("2026-03-14T09:02:00Z", "in", "Habt ihr Tulpen?"), ("2026-03-14T09:10:00Z", "out", "Ja, ab morgen!")],
            2,
        ),
        (
            "Chat de WhatsApp con Lucía.txt",
            "ES",
            "14/3/26, 9:02 p. m. - Lucía: ¿Tenéis rosas?\n14/3/26, 9:40 p. m. - Bloom & Twine: Sí\n",
            &[("2026-03-14T21:02:00Z", "in", "¿Tenéis rosas?"), ("2026-03-14T21:40:00Z", "out", "Sí")],
            0,
        ),
        (
            "WhatsApp Chat - Ana.txt",
            "US",
            "\u{200e}[3/14/26, 9:02:15 PM] Ana: \u{200e}Messages and calls are end-to-end encrypted.\n\
             [3/14/26, 9:02:15 PM] Ana: Hi!\n\
             [3/14/26, 9:03:00 PM] Ana: \u{200e}image omitted\n\
             [3/14/26, 9:04:00 PM] Ana: \u{200e}Missed voice call\n\
             [3/14/26, 12:05:00 AM] Bloom & Twine: Hello\n",
            &[("2026-03-14T00:05:00Z", "out", "Hello"), ("2026-03-14T21:02:15Z", "in", "Hi!"), ("2026-03-14T21:03:00Z", "in", "(a photo)")],
            2,
        ),
        (
            "WhatsApp Chat with Group of friends.txt",
            "GB",
            "14/03/2026, 10:00 - Ben added Cleo\n14/03/2026, 10:01 - Ben: Lovely shop\n14/03/2026, 10:02 - Cleo: Agreed\n14/03/2026, 10:05 - Bloom & Twine: Thank you both\n",
            &[("2026-03-14T10:00:00Z", "in", "Ben added Cleo")][..0],
            1,
        ),
    ];
    for (name, country, chat, expected, left_out) in cases {
        let shop = Shop::new();
        shop.ok(&["settings", "set", "country", country]);
        shop.ok(&["settings", "set", "shop_name", "Bloom & Twine"]);
        shop.ok(&["settings", "set", "time_zone", "UTC"]);
        let file = shop.dir().join(name);
        std::fs::write(&file, chat).unwrap();
        let r = import(&shop, &file, false);
        let dropped: u64 = r["left_out"].as_array().unwrap().iter().map(|l| l["count"].as_u64().unwrap()).sum();
        assert_eq!(dropped, *left_out, "{name}: {r}");
        if expected.is_empty() {
            // A group: each friend is their own author; the shop's message answers them both.
            assert_eq!(r["added"], 3, "{name}: {r}");
            assert!(waiting_authors(&shop).is_empty(), "{name}");
            continue;
        }
        let mut all: Vec<Value> = shop.json(&["touchpoints", "list"]).as_array().unwrap().clone();
        all.sort_by_key(|t| t["at"].as_str().unwrap().to_string());
        let got: Vec<(String, String, String)> = all
            .iter()
            .map(|t| (t["at"].as_str().unwrap().to_string(), t["direction"].as_str().unwrap().to_string(), t["text"].as_str().unwrap().to_string()))
            .collect();
        let want: Vec<(String, String, String)> = expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn mail_as_mail_programs_write_it_with_bulk_spam_and_automatic_replies_left_out() {
    let shop = florist();
    let mbox = shop.dir().join("All mail Including Spam and Trash.mbox");
    let mail = "From 1@xxx Mon Mar 09 10:00:00 +0000 2026\n\
X-GM-THRID: 77\n\
X-Gmail-Labels: Inbox\n\
Delivered-To: hello@bloomandtwine.example\n\
Date: Mon, 9 Mar 2026 10:00:00 +0000\n\
From: =?utf-8?B?SMOpbMOobmU=?= Dubois <helene@dubois.example>\n\
To: hello@bloomandtwine.example\n\
Subject: =?UTF-8?Q?Bouquet_pour_samedi?=\n\
Message-ID: <h1@dubois.example>\n\
Content-Type: multipart/alternative; boundary=\"b1\"\n\
\n\
--b1\n\
Content-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: base64\n\
\n\
Q291bGQgeW91IG1ha2UgYSBib3VxdWV0IGZvciBTYXR1cmRheT8=\n\
--b1\n\
Content-Type: text/html; charset=utf-8\n\
\n\
<p>Could you make a bouquet for Saturday?</p>\n\
--b1--\n\
\n\
From 2@xxx Mon Mar 09 11:00:00 +0000 2026\n\
X-GM-THRID: 77\n\
X-Gmail-Labels: Sent\n\
Date: Mon, 9 Mar 2026 11:00:00 +0000\n\
From: Bloom & Twine <hello@bloomandtwine.example>\n\
To: =?utf-8?B?SMOpbMOobmU=?= Dubois <helene@dubois.example>\n\
Subject: Re: Bouquet pour samedi\n\
Message-ID: <s1@bloomandtwine.example>\n\
In-Reply-To: <h1@dubois.example>\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
Of course, see you Saturday.\n\
\n\
On Mon, 9 Mar 2026 at 10:00, Helene <helene@dubois.example> wrote:\n\
> Could you make a bouquet for Saturday?\n\
\n\
From 3@xxx Mon Mar 09 12:00:00 +0000 2026\n\
X-Gmail-Labels: Spam\n\
Date: Mon, 9 Mar 2026 12:00:00 +0000\n\
From: Prince <p@scam.example>\n\
To: hello@bloomandtwine.example\n\
Subject: Money\n\
\n\
Send money.\n\
\n\
From 4@xxx Mon Mar 09 13:00:00 +0000 2026\n\
X-Gmail-Labels: Inbox\n\
Date: Mon, 9 Mar 2026 13:00:00 +0000\n\
From: Supplier <orders@supplier.example>\n\
To: hello@bloomandtwine.example\n\
Subject: Automatic reply: your order\n\
Auto-Submitted: auto-replied\n\
\n\
I am away.\n\
\n\
From 5@xxx Mon Mar 09 14:00:00 +0000 2026\n\
X-Gmail-Labels: Inbox\n\
Date: Mon, 9 Mar 2026 14:00:00 +0000\n\
From: Mia <mia@example.org>\n\
To: hello@bloomandtwine.example\n\
Subject: Thorns\n\
Message-ID: <m1@example.org>\n\
Content-Type: text/html; charset=iso-8859-1\n\
Content-Transfer-Encoding: quoted-printable\n\
\n\
<p>The roses had thorns =E9verywhere &amp; cut my hand.</p>\n\
>From the shop I expected better.\n";
    std::fs::write(&mbox, mail).unwrap();
    let r = import(&shop, &mbox, false);
    assert_eq!((r["added"].as_u64(), r["rejected"].as_u64()), (Some(3), Some(0)), "{r}");
    let left: Vec<String> = r["left_out"].as_array().unwrap().iter().map(|l| l["reason"].as_str().unwrap().to_string()).collect();
    assert_eq!(left, ["spam_or_trash", "automatic"]);
    let all = shop.json(&["touchpoints", "list"]);
    let texts: Vec<&str> = all.as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"Bouquet pour samedi\n\nCould you make a bouquet for Saturday?"), "{texts:?}");
    assert!(texts.contains(&"Of course, see you Saturday."), "the quoted mail under the reply is trimmed: {texts:?}");
    assert!(texts.iter().any(|t| t.contains("thorns éverywhere & cut my hand.") && t.contains("From the shop I expected better.")), "{texts:?}");
    assert_eq!(waiting_authors(&shop), ["mia@example.org"], "Hélène was answered in her thread");
}

#[test]
fn texts_from_an_sms_backup_with_mms_and_unsent_drafts() {
    let shop = florist();
    let xml = shop.dir().join("sms-20260321.xml");
    std::fs::write(
        &xml,
        r#"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="4">
  <sms address="+1 503 555 0199" date="1773345600000" type="1" body="Can I pick up at 5? &amp; bring a vase" contact_name="Dana Whitfield" />
  <sms address="5035550199" date="1773345700000" type="3" body="draft never sent" contact_name="Dana Whitfield" />
  <mms date="1773345900000" msg_box="2" address="+15035550199">
    <parts>
      <part ct="application/smil" text="&lt;smil&gt;" />
      <part ct="image/jpeg" name="vase.jpg" />
      <part ct="text/plain" text="Here is the vase we kept for you" />
    </parts>
  </mms>
  <mms date="1773346000000" msg_box="1" address="+15035550199">
    <parts><part ct="image/jpeg" name="thumbs.jpg" /></parts>
  </mms>
</smses>"#,
    )
    .unwrap();
    let r = import(&shop, &xml, false);
    assert_eq!((r["added"].as_u64(), r["left_out"][0]["reason"].as_str()), (Some(3), Some("unsent")), "{r}");
    let dana = messages_of(&shop, "dana@whitfield.example");
    let got: Vec<(&str, &str, &str)> = dana.iter().map(|t| (t["direction"].as_str().unwrap(), t["text"].as_str().unwrap(), t["status"].as_str().unwrap())).collect();
    assert_eq!(got, [("in", "Can I pick up at 5? & bring a vase", "replied"), ("out", "Here is the vase we kept for you", "no_reply_needed"), ("in", "(a photo)", "no_reply_needed")]);
}

#[test]
fn instagram_threads_with_photos_unsent_messages_and_likes() {
    let shop = florist();
    let dir = shop.dir().join("instagram-bloomandtwine-2026/your_instagram_activity/messages/inbox/mia_1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("message_1.json"),
        r#"{"participants":[{"name":"Mia Stone"},{"name":"Bloom & Twine"}],
            "messages":[
              {"sender_name":"Mia Stone","timestamp_ms":1773853300000,"content":"Liked a message"},
              {"sender_name":"Mia Stone","timestamp_ms":1773853250000,"content":"oops","is_unsent":true},
              {"sender_name":"Mia Stone","timestamp_ms":1773853200000,"photos":[{"uri":"photos/1.jpg"}]},
              {"sender_name":"Mia Stone","timestamp_ms":1773853100000,"content":"Do you ship to Seattle? \u00e2\u009c\u0088\u00ef\u00b8\u008f"}
            ],
            "title":"Mia Stone","thread_path":"inbox/mia_1"}"#,
    )
    .unwrap();
    let r = import(&shop, &shop.dir().join("instagram-bloomandtwine-2026"), false);
    assert_eq!((r["added"].as_u64(), r["conversations"][0]["with"].as_str()), (Some(2), Some("Mia Stone")), "{r}");
    let reasons: Vec<&str> = r["left_out"].as_array().unwrap().iter().map(|l| l["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["deleted", "reactions"]);
    let inbox = shop.json(&["inbox", "--now", "2026-03-21T12:00:00Z"]);
    assert_eq!(inbox["items"][0]["touchpoint"]["text"], "Do you ship to Seattle? ✈️");
    assert_eq!(inbox["items"][0]["touchpoint"]["channel"], "instagram");
}

#[test]
fn regulars_import_knows_conversations_and_undo_takes_exactly_them_away() {
    let shop = florist();
    let chat = samples().join("WhatsApp Chat with Dana Whitfield.txt");
    let r = shop.json(&["import", chat.to_str().unwrap()]);
    assert_eq!(r["added"], 5, "{r}");
    let id = r["import_id"].as_i64().unwrap().to_string();
    assert_eq!(shop.json(&["imports", "list"])[0]["kind"], "touchpoints");
    shop.ok(&["imports", "undo", &id]);
    assert!(messages_of(&shop, "dana@whitfield.example").is_empty());
}

#[test]
fn a_file_nothing_reads_says_so_and_bad_lines_are_named() {
    let shop = florist();
    let notes = shop.dir().join("notes.json");
    std::fs::write(&notes, r#"{"shopping": ["milk"]}"#).unwrap();
    let err = shop.fails(&["touchpoints", "import", notes.to_str().unwrap()]);
    assert!(err.contains("notes.json"), "{err}");
    let chat = shop.dir().join("WhatsApp Chat with Ana.txt");
    std::fs::write(&chat, "3/14/26, 9:02 AM - Ana: Hi\n3/14/26, 9:03 AM - Ana: Are you open?\n31/31/26, 9:04 AM - Ana: Hello?\n").unwrap();
    let r = import(&shop, &chat, false);
    assert_eq!(r["added"], 2, "{r}");
    assert_eq!((r["problems"][0]["row"].as_u64(), r["problems"][0]["column"].as_str()), (Some(3), Some("WhatsApp Chat with Ana.txt")), "{r}");
}
