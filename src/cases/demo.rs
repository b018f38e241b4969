//! A made-up shop for first runs, screenshots, tests and benchmarks: realistic, varied customers
//! (accents, several channels, partial records, consent both ways) from a seed, so the same seed
//! always gives the same shop. Phone numbers are from UK mobile ranges and unique per index.

use chrono::{Duration, NaiveDate};

use crate::model::{Address, Consent, ConsentStatus, CustomerDraft};

const FIRST: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Grace", "Élodie", "Chloé",
    "Zoë", "Aoife", "Siobhan", "Priya", "Aisha", "Fatima", "Mei", "Yuki", "Ingrid", "Małgorzata", "Lucía",
    "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Theo", "Jack", "Muhammad", "Finley",
    "Rhys", "Ciarán", "Jürgen", "Søren", "Mateo", "José", "Kwame", "Tomasz", "Hiroshi", "Arjun", "Ravi",
    "Sam", "Alex", "Jo", "Robin", "Charlie",
];

const LAST: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Lefèvre", "Müller", "O'Brien", "Núñez", "Kowalski", "Nguyen", "Okafor", "Søndergaard", "García",
    "Rossi", "Ó Súilleabháin", "Khan", "Begum", "Chen", "Kim", "Ahmed", "Murphy", "Kelly", "MacLeod",
    "Fitzgerald", "da Silva", "van der Berg", "Novak", "Hughes", "Edwards", "Price", "Clarke", "Lewis",
];

const CITIES: &[(&str, &str)] = &[
    ("London", "E8 4DG"), ("Bristol", "BS1 5TR"), ("Manchester", "M4 1HN"), ("Leeds", "LS1 6AE"),
    ("Brighton", "BN1 4GH"), ("Glasgow", "G1 1XQ"), ("Cardiff", "CF10 1BH"), ("Norwich", "NR2 1NR"),
    ("York", "YO1 7HH"), ("Bath", "BA1 1LN"), ("Edinburgh", "EH1 1YZ"), ("Belfast", "BT1 5GS"),
];

const STREETS: &[&str] = &["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue", "Queen Street"];

const TAGS: &[&str] = &["VIP", "wholesale", "newsletter", "gift buyer", "local", "loyalty card", "vegan", "online", "staff friend", "bridal"];

const NOTES: &[&str] = &[
    "Prefers linen over cotton; size M.",
    "Asked us to hold the blue ceramic set until Friday.",
    "Runs a café two doors down — good for collaborations.",
    "Allergic to wool. Loves anything with pockets.",
    "Comes in every Saturday morning with her dog, Biscuit.",
    "Bought a gift card for her sister's birthday in March.",
    "Interested in the pottery workshop — call when dates are set.",
    "Left a lovely review last spring.",
];

const DOMAINS: &[&str] = &["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.co.uk", "proton.me", "btinternet.com"];

/// A small deterministic generator (SplitMix64): no dependency, and the same seed gives the same shop.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Adds `count` demo customers made from `seed`, with their purchases and what they said on social
/// media (some of it waiting for a reply), in two transactions; returns how many customers.
/// The most customers a demo shop may have.
pub const MAX_COUNT: usize = 1_000_000;

pub fn load(store: &mut crate::Store, count: usize, seed: u64, change: &crate::customers::Change) -> crate::Result<usize> {
    if count > MAX_COUNT {
        return Err(crate::Error::invalid_field("count", format!("a demo shop has at most {MAX_COUNT} customers")));
    }
    let drafts = drafts(count, seed, change.now.date_naive());
    let add = |store: &mut crate::Store| {
        let ids = crate::customers::create_many(store, &drafts, change)?;
        let customers = store.db().customers(&ids)?;
        store.write(|w| activity(w, &customers, seed, change.now))?;
        Ok(ids.len())
    };
    // On a server, as bulk work: everyone is new, and noting each row as changed costs a trigger
    // a statement there (300 customers: 6.9 s, 2.0 s so). A file notes them as they come.
    if store.is_shared() { store.bulk(add) } else { add(store) }
}

const PRAISE: &[&str] = &[
    "Love my new linen shirt, fits perfectly!",
    "Such a friendly shop, Sarah was so helpful 😍",
    "Best candles in town. Will be back for more.",
    "The ceramic mugs arrived beautifully packaged. Thank you!",
    "Five stars, highly recommend the pottery workshop",
    "Obsessed with the new autumn collection 🔥",
    "Great quality and fast delivery, very happy",
];
const QUESTIONS: &[&str] = &[
    "Do you have the green apron in a size M?",
    "What time do you open on Sunday?",
    "Is the blue ceramic set back in stock?",
    "Can I reserve the wool scarf until Saturday?",
    "Do you ship to Ireland?",
    "Are the workshop dates for December out yet?",
];
const COMPLAINTS: &[&str] = &[
    "My parcel never arrived and nobody answers my emails",
    "The handle fell apart after two days. I want a refund.",
    "Still waiting for my refund, it has been three weeks",
    "Wrong size again, really disappointed",
    "Delivery was late and the box was damaged",
    "Rude staff on Saturday, not impressed",
];

/// Adds `purchases` purchases and `touchpoints` inbound touchpoints spread over `customers` (ids),
/// in one transaction: a shop at scale for benchmarks. Customers, times (the last two years) and
/// texts are drawn from `seed`; about one in a hundred touchpoints still needs a reply.
pub fn activity_at_scale(
    store: &mut crate::Store,
    customers: &[crate::model::CustomerId],
    purchases: usize,
    touchpoints: usize,
    seed: u64,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::Result<()> {
    use crate::model::{Channel, Direction, Money, Purchase, PurchaseChannel, ReplyStatus, Touchpoint, TouchpointKind};
    if customers.is_empty() {
        return Ok(());
    }
    let mut rng = Rng(seed ^ 0xb16);
    store.bulk(|store| store.write(|w| {
        let mut touched = std::collections::BTreeSet::new();
        for _ in 0..purchases {
            let id = customers[rng.below(customers.len())];
            let p = Purchase {
                id: 0,
                customer_id: id,
                at: now - Duration::minutes(30 + rng.below(60 * 24 * 730) as i64),
                amount: Money::from_cents(500 + 100 * rng.below(200) as i64),
                currency: "GBP".into(),
                items: rng.pick(&["Linen shirt", "Ceramic mug set", "Soy candle", "Wool scarf", "Tote bag"]).into(),
                channel: if rng.chance(40) { PurchaseChannel::Online } else { PurchaseChannel::InStore },
                is_return: false,
                external_id: None,
            };
            w.insert_purchase(&p, now)?;
            touched.insert(id);
        }
        for id in touched {
            w.refresh_purchase_totals(id)?;
        }
        let channels = [Channel::Instagram, Channel::Facebook, Channel::Tiktok, Channel::Email, Channel::GoogleReviews, Channel::Community];
        for n in 0..touchpoints {
            let id = customers[rng.below(customers.len())];
            let (kind, text) = match rng.below(10) {
                0..=5 => (if rng.chance(30) { TouchpointKind::Review } else { TouchpointKind::Comment }, rng.pick(PRAISE)),
                6 => (TouchpointKind::Answer, "It runs a size small, go up one"),
                7 => (TouchpointKind::Question, rng.pick(QUESTIONS)),
                _ => (TouchpointKind::Complaint, rng.pick(COMPLAINTS)),
            };
            let (sentiment, label) = crate::touchpoints::sentiment_of(text, None);
            let waiting = rng.chance(1);
            let at = now - Duration::minutes(if waiting { 10 + rng.below(600) } else { 60 + rng.below(60 * 24 * 730) } as i64);
            let t = Touchpoint {
                id: 0,
                customer_id: Some(id),
                author: String::new(),
                channel: channels[rng.below(channels.len())],
                kind,
                direction: Direction::In,
                text: text.into(),
                url: None,
                rating: None,
                reach: Some((rng.below(30) as u64).pow(3)),
                at,
                sentiment,
                sentiment_label: label,
                sentiment_by_owner: false,
                topics: crate::touchpoints::topics_of(text),
                status: if waiting { ReplyStatus::NeedsReply } else { ReplyStatus::NoReplyNeeded },
                reply_id: None,
                replied_at: None,
                in_reply_to: None,
                created_at: now,
                linked_by_name: false,
            };
            w.insert_touchpoint(&t, None, &format!("bulk-{seed}-{n}"))?;
        }
        Ok(())
    }))
}

/// Purchases and touchpoints for the demo customers: about half have bought something, a third
/// have said something online, a few things are waiting for a reply.
// One piece: a made-up shop's week of activity, written in one transaction in the order it happened.
fn activity(w: &crate::store::WriteDb<'_>, customers: &[crate::model::Customer], seed: u64, now: chrono::DateTime<chrono::Utc>) -> crate::Result<()> {
    use crate::model::{Channel, Direction, Money, Purchase, PurchaseChannel, ReplyStatus, Touchpoint, TouchpointKind};
    let mut rng = Rng(seed ^ 0x5eed);
    for c in customers {
        if rng.chance(55) {
            for _ in 0..1 + rng.below(6) {
                let at = now - Duration::days(1 + rng.below(700) as i64) - Duration::minutes(rng.below(600) as i64);
                let p = Purchase {
                    id: 0,
                    customer_id: c.id,
                    at,
                    amount: Money::from_cents(900 + 100 * rng.below(180) as i64),
                    currency: "GBP".into(),
                    items: rng.pick(&["Linen shirt", "Ceramic mug set", "Soy candle", "Wool scarf", "Pottery workshop", "Gift card", "Tote bag"]).into(),
                    channel: if rng.chance(35) { PurchaseChannel::Online } else { PurchaseChannel::InStore },
                    is_return: false,
                    external_id: None,
                };
                w.insert_purchase(&p, now)?;
            }
            w.refresh_purchase_totals(c.id)?;
        }
        if !rng.chance(35) {
            continue;
        }
        for _ in 0..1 + rng.below(3) {
            let (kind, text) = match rng.below(10) {
                0..=5 => (if rng.chance(40) { TouchpointKind::Review } else { TouchpointKind::Comment }, rng.pick(PRAISE)),
                6..=7 => (TouchpointKind::Question, rng.pick(QUESTIONS)),
                _ => (TouchpointKind::Complaint, rng.pick(COMPLAINTS)),
            };
            let (channel, author) = match c.handles.iter().next() {
                Some((platform, handle)) => (platform.as_str().parse().unwrap_or(Channel::Instagram), format!("@{handle}")),
                None if kind == TouchpointKind::Review => (Channel::GoogleReviews, c.display_name.clone()),
                None => (Channel::Email, c.emails.first().cloned().unwrap_or_else(|| c.display_name.clone())),
            };
            let at = now - Duration::minutes(20 + rng.below(60 * 24 * 80) as i64);
            let rating = (kind == TouchpointKind::Review).then(|| if text.contains("refund") { 1 } else { 4 + rng.below(2) as u8 });
            let (sentiment, label) = crate::touchpoints::sentiment_of(text, rating);
            let recent = now - at < Duration::hours(30);
            let mut t = Touchpoint {
                id: 0,
                customer_id: Some(c.id),
                author,
                channel,
                kind,
                direction: Direction::In,
                text: text.into(),
                url: None,
                rating,
                reach: Some((rng.below(40) as u64).pow(3)),
                at,
                sentiment,
                sentiment_label: label,
                sentiment_by_owner: false,
                topics: crate::touchpoints::topics_of(text),
                status: ReplyStatus::NeedsReply,
                reply_id: None,
                replied_at: None,
                in_reply_to: None,
                created_at: now,
                linked_by_name: false,
            };
            let id = w.insert_touchpoint(&t, None, &crate::touchpoints::fingerprint(&t))?;
            if !recent {
                // Older messages were answered, within minutes to a day.
                let reply_at = at + Duration::minutes(5 + rng.below(60 * 20) as i64);
                let reply = Touchpoint {
                    id: 0,
                    author: String::new(),
                    kind: TouchpointKind::Reply,
                    direction: Direction::Out,
                    text: "Thank you for letting us know!".into(),
                    rating: None,
                    reach: None,
                    at: reply_at,
                    sentiment: 0.0,
                    sentiment_label: crate::sentiment::Label::Neutral,
                    topics: Vec::new(),
                    status: ReplyStatus::NoReplyNeeded,
                    in_reply_to: Some(id),
                    ..t.clone()
                };
                let reply_id = w.insert_touchpoint(&reply, None, &format!("{}-reply", crate::touchpoints::fingerprint(&reply)))?;
                w.set_touchpoint_status(id, ReplyStatus::Replied, Some((reply_id, reply_at)))?;
            }
            t.id = id;
        }
    }
    Ok(())
}

/// `count` customers, deterministic for a `seed`; dates fall before `today`.
pub fn drafts(count: usize, seed: u64, today: NaiveDate) -> Vec<CustomerDraft> {
    let mut rng = Rng(seed);
    (0..count).map(|i| draft(&mut rng, i, today)).collect()
}

fn ascii_slug(s: &str) -> String {
    crate::normalize::fold(s).chars().filter(char::is_ascii_alphanumeric).collect()
}

fn draft(rng: &mut Rng, i: usize, today: NaiveDate) -> CustomerDraft {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let (city, postcode) = CITIES[rng.below(CITIES.len())];
    let slug = format!("{}.{}", ascii_slug(first), ascii_slug(last));
    let mut d = CustomerDraft { first_name: first.into(), last_name: last.into(), ..Default::default() };
    if rng.chance(85) {
        d.emails.push(format!("{slug}{}@{}", i, rng.pick(DOMAINS)));
    }
    if rng.chance(70) {
        // 071-073 are UK mobile ranges; the index makes the number unique. Written with the country
        // code, so that the numbers are valid whatever the shop's country.
        let scrambled = (i as u64).wrapping_mul(7919) % 100_000_000;
        d.phones.push(format!("+44 7{}{:02} {:06}", 1 + rng.below(3), scrambled / 1_000_000, scrambled % 1_000_000));
    }
    if rng.chance(45) {
        d.handles.insert("instagram".into(), format!("{}_{}{}", ascii_slug(first), ascii_slug(last), i));
    }
    if rng.chance(15) {
        d.handles.insert("tiktok".into(), format!("{}{}", ascii_slug(first), i));
    }
    if rng.chance(10) {
        d.handles.insert("facebook".into(), format!("{slug}.{i}"));
    }
    if rng.chance(60) {
        d.address = Address {
            street: format!("{} {}", 1 + rng.below(180), rng.pick(STREETS)),
            city: city.into(),
            region: String::new(),
            postal_code: postcode.into(),
            country: "GB".into(),
        };
    }
    for _ in 0..rng.below(3) {
        let tag = rng.pick(TAGS).to_string();
        if !d.tags.contains(&tag) {
            d.tags.push(tag);
        }
    }
    if rng.chance(25) {
        d.notes = rng.pick(NOTES).into();
    }
    if rng.chance(40) {
        let born = today - Duration::days(365 * (18 + rng.below(60) as i64) + rng.below(365) as i64);
        d.birthday = born.to_string();
    }
    d.customer_since = (today - Duration::days(1 + rng.below(5 * 365) as i64)).to_string();
    let consent = |rng: &mut Rng| match rng.below(10) {
        0..=5 => ConsentStatus::Yes,
        6..=7 => ConsentStatus::No,
        _ => ConsentStatus::Unknown,
    };
    d.consent = Consent { email: consent(rng), sms: consent(rng) };
    if rng.chance(30) {
        d.preferred_channel = rng.pick(&["email", "instagram", "sms", "whatsapp", "in_store"]).into();
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::validate;
    use crate::normalize::Region;

    #[test]
    fn demo_is_deterministic_valid_and_varied() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = drafts(500, 7, today);
        assert_eq!(a, drafts(500, 7, today));
        assert_ne!(a, drafts(500, 8, today));
        let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let mut phones = std::collections::HashSet::new();
        for d in &a {
            let c = validate(d, Region::parse("GB").unwrap(), now).unwrap_or_else(|p| panic!("{d:?}: {p:?}"));
            for p in c.phones {
                assert!(phones.insert(p), "phones are unique");
            }
        }
        assert!(a.iter().any(|d| d.handles.contains_key("instagram")));
        assert!(a.iter().any(|d| d.last_name.contains('è')));
        assert!(a.iter().any(|d| d.emails.is_empty()));
    }
}
