//! Deterministic shop data for every size: the customer spreadsheet a shop would import (CSV and
//! XLSX), the queries a person types while looking someone up, and the touchpoints and purchases
//! that follow (10 touchpoints and 5 purchases a customer on average, as in a busy shop's year).

use std::fmt::Write as _;
use std::path::Path;

const FIRST: &[&str] = &["Olivia", "Amelia", "Élodie", "Chloé", "Zoë", "Aoife", "Priya", "Fatima", "Mei", "Ingrid", "Małgorzata",
    "Lucía", "Noah", "Oliver", "Jürgen", "Søren", "Mateo", "José", "Kwame", "Tomasz", "Arjun", "Sam", "Alex", "Robin"];
const LAST: &[&str] = &["Smith", "Jones", "Taylor", "Brown", "Patel", "Lefèvre", "Müller", "O'Brien", "Núñez", "Kowalski",
    "Nguyen", "Okafor", "García", "Rossi", "Khan", "Chen", "Murphy", "da Silva", "van der Berg", "Novak"];
/// Syllables of the surnames that are not among the twenty common ones: three in a row make about
/// 9,000 surnames, so that a shop of 100,000 has as many names as a real one (most shared by a few
/// customers, the common ones by thousands).
const SYLLABLES: &[&str] = &["al", "ber", "cas", "dor", "el", "fen", "gar", "hol", "is", "jan", "kel", "lor", "mar", "nor", "ol",
    "pen", "quin", "ros", "sal", "tor", "ul", "van", "wel", "yar", "zan", "bri", "cro", "dun", "fal", "gri"];
const ENDINGS: &[&str] = &["", "s", "son", "er", "ley", "ton", "ow", "in", "ez", "ski"];
const CITIES: &[&str] = &["London", "Bristol", "Manchester", "Leeds", "Brighton", "Glasgow", "Cardiff", "Norwich", "York", "Bath"];
const TAGS: &[&str] = &["VIP", "wholesale", "newsletter", "gift buyer", "local", "loyalty card"];

pub const TOUCHPOINTS_PER_CUSTOMER: usize = 10;
pub const PURCHASES_PER_CUSTOMER: usize = 5;

/// Row `i` of the customer list. Every 50th row repeats an earlier customer's email with a second
/// phone: a repeat customer the import must merge. Every 97th row is an earlier customer again
/// under another email and phone, with the same name and address: a possible duplicate for the
/// owner to merge.
pub struct Person {
    pub first: &'static str,
    pub last: String,
    pub email: String,
    pub phone: String,
    pub handle: String,
    n: usize,
}

fn ascii(s: &str) -> String {
    s.to_lowercase().chars().filter_map(|c| match c {
        'é' | 'ë' | 'è' => Some('e'),
        'ł' => Some('l'),
        'í' => Some('i'),
        'ü' | 'ú' => Some('u'),
        'ø' => Some('o'),
        c if c.is_ascii_alphanumeric() => Some(c),
        _ => None,
    }).collect()
}

/// A UK mobile number, spread over the number space as real customers' are (no two rows share
/// one): "07" and a mobile range digit (1–4 for first phones, 5 and 7–9 for second ones), then
/// eight digits from a bijection of `i`.
fn mobile(i: usize, second: bool) -> (u64, u64) {
    let digits: [u64; 4] = if second { [5, 7, 8, 9] } else { [1, 2, 3, 4] };
    (digits[i % 4], ((i / 4) as u64 * 387_420_489) % 100_000_000)
}

/// A surname: one of the twenty common ones for a quarter of the shop, else one of about 9,000.
fn surname(n: usize) -> String {
    if n % 4 == 0 {
        return LAST[(n / 7) % LAST.len()].to_string();
    }
    let k = (n / 4).wrapping_mul(2_654_435_761) % 9_000;
    let (a, b, c) = (k % 30, (k / 30) % 30, k / 900);
    let mut name: String = format!("{}{}{}", SYLLABLES[a], SYLLABLES[b], ENDINGS[c % ENDINGS.len()]);
    name[..1].make_ascii_uppercase();
    name
}

pub fn person(i: usize) -> Person {
    let n = if i % 50 == 49 { i - 25 } else if i % 97 == 96 { i - 40 } else { i };
    // The repeat customer keeps the email; the possible duplicate has an email and handle of its own.
    let own = if i % 97 == 96 && i % 50 != 49 { i } else { n };
    let (first, last) = (FIRST[n % FIRST.len()], surname(n));
    let (range, rest) = mobile(i, n != i);
    let phone = format!("07{range}{:02} {:06}", rest / 1_000_000, rest % 1_000_000);
    let email = format!("{}.{}{own}@example.com", ascii(first), ascii(&last));
    Person { first, last, email, phone, handle: format!("{}_{own}", ascii(first)), n }
}

/// The street of customer `n`'s house (number `n % 300`): one of 900, so that few households share
/// an address, as in a real shop.
fn street(n: usize) -> String {
    let k = (n / 300) % 900;
    let mut name = format!("{}{}", SYLLABLES[k % 30], SYLLABLES[k / 30]);
    name[..1].make_ascii_uppercase();
    name
}

/// A 20-column customer CSV, as a Shopify or POS export looks.
pub fn write_csv(path: &Path, rows: usize) {
    let mut out = String::with_capacity(rows * 260);
    out.push_str("First Name,Last Name,Email,Phone,Instagram,Company,Address1,Address2,City,Province,Zip,Country,Birthday,First Visit,Last Visit,Tags,Note,Accepts Email Marketing,Total Spent,Total Orders\n");
    for i in 0..rows {
        let p = person(i);
        let n = p.n;
        let _ = writeln!(
            out,
            "{},{},{},{},@{},,{} {} Street,,{},England,LS{} {}AA,United Kingdom,{:02}/{:02}/{},{}-{:02}-{:02},{}-{:02}-{:02},\"{}, {}\",{},{},{}.{:02},{}",
            p.first, p.last, p.email, p.phone, p.handle,
            n % 300, street(n), CITIES[(n / 11).wrapping_mul(2_246_822_519) % CITIES.len()], n % 30, (n / 300) % 10, 1 + n % 28, 1 + n % 12, 1950 + n % 50,
            2015 + n % 10, 1 + n % 12, 1 + n % 28, 2024 + n % 2, 1 + n % 12, 1 + n % 28,
            TAGS[n % TAGS.len()], TAGS[(n / 3) % TAGS.len()],
            if n % 5 == 0 { "Asked about the linen range" } else { "" },
            if n % 3 == 0 { "yes" } else { "no" }, n % 900, n % 100, n % 40,
        );
    }
    std::fs::write(path, out).expect("write the CSV");
}

/// A 10-column workbook as a shop keeps by hand: phones stored as numbers, dates as date cells.
pub fn write_xlsx(path: &Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    let headers = ["Name", "Email", "Mobile", "Instagram", "City", "Birthday", "Total Spent", "Orders", "Tags", "Notes"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for i in 0..rows {
        let (r, p) = (i as u32 + 1, person(i));
        sheet.write_string(r, 0, format!("{} {}", p.first, p.last)).unwrap();
        sheet.write_string(r, 1, &p.email).unwrap();
        let (range, rest) = mobile(i, false);
        sheet.write_number(r, 2, (7_000_000_000 + range * 100_000_000 + rest) as f64).unwrap();
        sheet.write_string(r, 3, format!("https://www.instagram.com/{}/", p.handle)).unwrap();
        sheet.write_string(r, 4, CITIES[i % CITIES.len()]).unwrap();
        sheet.write_number_with_format(r, 5, 25_000.0 + (i % 9_000) as f64, &date).unwrap();
        sheet.write_number(r, 6, (i % 500) as f64 + 0.5).unwrap();
        sheet.write_number(r, 7, (i % 30) as f64).unwrap();
        sheet.write_string(r, 8, TAGS[i % TAGS.len()]).unwrap();
        if i % 4 == 0 {
            sheet.write_string(r, 9, "Prefers the blue glaze").unwrap();
        }
    }
    book.save(path).expect("write the XLSX");
}

/// What a person types while looking someone up, by kind: the first 1 to 6 characters of first
/// names, of "first last", of handles and emails, and phone fragments (last digits, the national
/// prefix, the number as written). About 10,000 queries at every size.
pub fn queries(customers: usize) -> Vec<(&'static str, Vec<String>)> {
    let mut kinds: Vec<(&str, Vec<String>)> = vec![("names", vec![]), ("phone fragments", vec![]), ("@handles", vec![]), ("emails", vec![])];
    for i in (0..customers).step_by((customers / 400).max(1)) {
        let p = person(i);
        for n in 1..=6 {
            let prefix = |s: &str| s.chars().take(n).collect::<String>();
            kinds[0].1.push(prefix(p.first));
            kinds[0].1.push(format!("{} {}", p.first, prefix(&p.last)));
            kinds[2].1.push(format!("@{}", prefix(&p.handle)));
            kinds[3].1.push(prefix(&p.email));
        }
        let digits: String = p.phone.chars().filter(char::is_ascii_digit).collect();
        for n in 3..=6 {
            kinds[1].1.push(digits[digits.len() - n..].to_string());
            kinds[1].1.push(digits[..n + 1].to_string());
        }
        kinds[1].1.push(p.phone.clone());
    }
    kinds
}

/// A WhatsApp chat (Android, month first, 12-hour clock) of `messages` lines between the shop and
/// one customer: a question, the shop's answer, now and then a message on two lines.
pub fn write_whatsapp(path: &Path, messages: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("chat"));
    writeln!(out, "1/1/24, 9:00\u{202f}AM - Messages and calls are end-to-end encrypted.").unwrap();
    for i in 0..messages {
        let minute = i as u64;
        let day = minute / (24 * 60);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(day as i64);
        let (h, m) = ((minute / 60) % 24, minute % 60);
        let (h12, half) = (if h % 12 == 0 { 12 } else { h % 12 }, if h < 12 { "AM" } else { "PM" });
        let stamp = format!("{}/{}/{}, {h12}:{m:02}\u{202f}{half}", date.format("%-m"), date.format("%-d"), date.format("%y"));
        if i % 2 == 0 {
            writeln!(out, "{stamp} - Dana Whitfield: Do you have peonies for order {i}?").unwrap();
            if i % 10 == 0 {
                writeln!(out, "Around 11 if that works").unwrap();
            }
        } else {
            writeln!(out, "{stamp} - Bloom & Twine: Yes, order {i} is ready at the counter.").unwrap();
        }
    }
}

/// A Gmail mbox of `messages` mails of about a kilobyte each, in threads of two (a customer's
/// question and the shop's answer), one in ten a newsletter.
pub fn write_mbox(path: &Path, messages: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("mbox"));
    let body = "We are planning a small party and wondered about flowers for the tables. ".repeat(10);
    for i in 0..messages {
        let p = person(i / 2);
        let at = chrono::DateTime::from_timestamp(1_700_000_000 + i as i64 * 60, 0).unwrap().to_rfc2822();
        writeln!(out, "From {i}@xxx Mon Mar 09 10:00:00 +0000 2026\nX-GM-THRID: {}\nDelivered-To: hello@bloom.example", i / 2).unwrap();
        if i % 10 == 9 {
            writeln!(out, "X-Gmail-Labels: Inbox,Category Promotions\nList-Unsubscribe: <mailto:u@m.example>\nFrom: Market <deals@m.example>\nTo: hello@bloom.example").unwrap();
        } else if i % 2 == 0 {
            writeln!(out, "X-Gmail-Labels: Inbox\nFrom: {} {} <{}>\nTo: hello@bloom.example", p.first, p.last, p.email).unwrap();
        } else {
            writeln!(out, "X-Gmail-Labels: Sent\nFrom: Bloom <hello@bloom.example>\nTo: {} {} <{}>\nIn-Reply-To: <m{}@x.example>", p.first, p.last, p.email, i - 1).unwrap();
        }
        writeln!(out, "Date: {at}\nSubject: Flowers {i}\nMessage-ID: <m{i}@x.example>\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").unwrap();
    }
}
