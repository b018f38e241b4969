//! Email: a Gmail Takeout `.mbox` (read as a stream, message by message, so a mailbox of any size
//! takes little memory) and single `.eml` files. MIME as mail programs write it: multipart bodies,
//! quoted-printable and base64, encoded-word headers, any charset, HTML-only bodies turned to plain
//! text, and the quoted earlier mail under a reply trimmed. Threads by Gmail's `X-GM-THRID`, else by
//! `In-Reply-To`/`References`. The shop's own addresses are those its mail was delivered to and
//! those its "Sent" mail came from. Newsletters and bulk mail, spam and trash, automatic replies
//! and drafts are left out and counted.

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

use chrono::{DateTime, Utc};
use sha2::Digest as _;

use super::{Conversation, LeftOut, Message, Reading};
use crate::error::{Error, Result};
use crate::model::{Channel, TouchpointKind};

/// Mail read, waiting for the shop's addresses to be known.
#[derive(Default)]
pub struct Pending {
    mails: Vec<Mail>,
}

#[derive(Debug, Clone, Default)]
struct Mail {
    file: String,
    line: u64,
    message_id: String,
    parent: Option<String>,
    thread: Option<String>,
    labels: Vec<String>,
    delivered_to: Option<String>,
    from: String,
    to: Vec<String>,
    date: Option<DateTime<Utc>>,
    subject: String,
    body: String,
}

/// A Gmail mbox starts with a `From ` line followed by headers.
pub fn is_mbox(head: &[u8]) -> bool {
    head.starts_with(b"From ") && head.split(|&b| b == b'\n').nth(1).is_some_and(|l| l.contains(&b':'))
}

/// A saved email: headers, among them From and Date or Message-ID, then a blank line.
pub fn is_eml(text: &str) -> bool {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        match line.split_once(':') {
            Some((name, _)) if !name.is_empty() && !name.contains(' ') => {
                names.insert(name.to_ascii_lowercase());
            }
            _ => return false,
        }
    }
    names.contains("from") && (names.contains("date") || names.contains("message-id"))
}

/// Reads an mbox message by message (a `From ` line after a blank line starts the next).
pub fn read_mbox(mut reader: impl BufRead, file: &str, out: &mut Reading) -> Result<()> {
    let mut current: Vec<u8> = Vec::new();
    let mut line = Vec::new();
    let (mut number, mut starts_at, mut blank_before) = (0u64, 1u64, true);
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(|e| Error::io(format!("cannot read {file}"), e))?;
        if n == 0 {
            break;
        }
        number += 1;
        out.hash.update(&line);
        if line.starts_with(b"From ") && blank_before {
            take(&current, file, starts_at, out);
            current.clear();
            starts_at = number + 1;
            blank_before = false;
            continue;
        }
        blank_before = line.iter().all(|b| b.is_ascii_whitespace());
        // mboxrd: a body line that began ">From " was escaped.
        match line.strip_prefix(b">") {
            Some(rest) if rest.trim_ascii_start_matches_gt().starts_with(b"From ") => current.extend_from_slice(rest),
            _ => current.extend_from_slice(&line),
        }
    }
    take(&current, file, starts_at, out);
    Ok(())
}

trait TrimGt {
    fn trim_ascii_start_matches_gt(&self) -> &[u8];
}

impl TrimGt for [u8] {
    fn trim_ascii_start_matches_gt(&self) -> &[u8] {
        let n = self.iter().take_while(|&&b| b == b'>').count();
        &self[n..]
    }
}

pub fn read_eml(bytes: &[u8], file: &str, out: &mut Reading) {
    take(bytes, file, 1, out);
}

/// One mail fetched from a mailbox's folder (`sent`: the shop's Sent folder); `number` is its
/// place there (its UID) for problems. `finish` turns what was taken into conversations.
pub fn read_fetched(raw: &[u8], folder: &str, number: u64, sent: bool, out: &mut Reading) {
    let before = out.mail.mails.len();
    take(raw, folder, number, out);
    if sent {
        for m in &mut out.mail.mails[before..] {
            m.labels.push("Sent".into());
        }
    }
}

/// Parses one message and keeps it, or counts why it is not a customer's.
fn take(raw: &[u8], file: &str, line: u64, out: &mut Reading) {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let (headers, body) = split_headers(raw);
    let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let labels: Vec<String> = get("x-gmail-labels").map(|l| l.split(',').map(|s| s.trim().to_string()).collect()).unwrap_or_default();
    let has_label = |wanted: &[&str]| labels.iter().any(|l| wanted.iter().any(|w| l.eq_ignore_ascii_case(w)));
    let precedence = get("precedence").unwrap_or_default().to_ascii_lowercase();
    let subject = get("subject").unwrap_or_default().to_string();
    let lower_subject = subject.to_lowercase();
    let why = if has_label(&["Spam", "Trash", "Bin"]) {
        Some(LeftOut::SpamOrTrash)
    } else if has_label(&["Drafts", "Draft"]) {
        Some(LeftOut::Unsent)
    } else if get("list-unsubscribe").is_some()
        || get("list-id").is_some()
        || ["bulk", "list", "junk"].contains(&precedence.as_str())
        || has_label(&["Category Promotions", "Category Updates", "Category Social", "Category Forums"])
    {
        Some(LeftOut::Bulk)
    } else if get("auto-submitted").is_some_and(|v| !v.eq_ignore_ascii_case("no"))
        || get("x-autoreply").is_some()
        || lower_subject.starts_with("automatic reply")
        || lower_subject.starts_with("out of office")
    {
        Some(LeftOut::Automatic)
    } else {
        None
    };
    if let Some(why) = why {
        out.left_out(why);
        return;
    }
    let (plain, html) = body_text(&headers, body);
    let text = plain.or_else(|| html.map(|h| html_to_text(&h))).unwrap_or_default();
    let ids = |v: Option<&str>| v.map(|v| v.split_whitespace().map(|s| s.trim_matches(['<', '>']).to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>()).unwrap_or_default();
    let date = get("date").and_then(|d| DateTime::parse_from_rfc2822(d.trim()).ok().or_else(|| DateTime::parse_from_rfc2822(d.split(" (").next().unwrap_or(d).trim()).ok())).map(|d| d.to_utc());
    let mail = Mail {
        file: file.to_string(),
        line,
        message_id: ids(get("message-id")).into_iter().next().unwrap_or_default(),
        parent: ids(get("in-reply-to")).into_iter().next().or_else(|| ids(get("references")).into_iter().next()),
        thread: get("x-gm-thrid").map(|t| t.trim().to_string()),
        labels,
        delivered_to: get("delivered-to").and_then(|d| addresses(d).into_iter().next()),
        from: get("from").and_then(|f| addresses(f).into_iter().next()).unwrap_or_default(),
        to: get("to").map(addresses).unwrap_or_default(),
        date,
        subject,
        body: trim_quoted(&text),
    };
    if mail.date.is_none() {
        out.problems.push(crate::import::Problem::error(line, file, format!("the mail “{}” has no date that can be read", mail.subject)));
        return;
    }
    out.mail.mails.push(mail);
}

/// The shop's addresses, threads, directions: the mail kept becomes conversations.
pub fn finish(out: &mut Reading) {
    let mut mails = std::mem::take(&mut out.mail.mails);
    if mails.is_empty() {
        return;
    }
    mails.sort_by_key(|m| m.date);
    let mut shop: BTreeSet<String> = mails.iter().filter_map(|m| m.delivered_to.clone()).collect();
    shop.extend(out.shop_addresses.iter().cloned());
    shop.extend(mails.iter().filter(|m| m.labels.iter().any(|l| l.eq_ignore_ascii_case("Sent"))).map(|m| m.from.clone()));
    let mut thread_of: HashMap<String, String> = HashMap::new();
    // In the order first seen, with each thread's place: a look-up a mail (a search through every
    // conversation so far took a million mails' import from seconds to most of an hour).
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut place: HashMap<String, usize> = HashMap::new();
    for m in mails {
        let from_shop = shop.contains(&m.from);
        let partner = if from_shop { m.to.iter().find(|a| !shop.contains(*a)).cloned() } else { Some(m.from.clone()) };
        let Some(partner) = partner.filter(|p| !p.is_empty()) else {
            out.left_out(LeftOut::OwnMail);
            continue;
        };
        let thread = m
            .thread
            .clone()
            .or_else(|| m.parent.as_ref().and_then(|p| thread_of.get(p).cloned()))
            .or_else(|| m.parent.clone())
            .unwrap_or_else(|| if m.message_id.is_empty() { format!("{partner}\0{}", m.subject) } else { m.message_id.clone() });
        if !m.message_id.is_empty() {
            thread_of.insert(m.message_id.clone(), thread.clone());
        }
        let index = *place.entry(thread).or_insert_with(|| {
            conversations.push(Conversation::new(Channel::Email, &m.file, &partner));
            conversations.len() - 1
        });
        let conversation = &mut conversations[index];
        let reply = ["re:", "aw:", "fw:", "fwd:", "sv:", "tr:", "wg:"].iter().any(|p| m.subject.to_lowercase().starts_with(p));
        let text = match (m.body.is_empty(), reply || m.subject.trim().is_empty()) {
            (true, _) => m.subject.clone(),
            (false, true) => m.body.clone(),
            (false, false) => format!("{}\n\n{}", m.subject.trim(), m.body),
        };
        let key = if m.message_id.is_empty() { format!("email\0{}\0{:?}\0{}", m.from, m.date, m.subject) } else { format!("email\0{}", m.message_id) };
        conversation.messages.push(Message {
            at: m.date.unwrap_or_default(),
            from_shop,
            author: if from_shop { conversation.with.clone() } else { m.from.clone() },
            text,
            media_only: false,
            rating: None,
            kind: TouchpointKind::Dm,
            key,
            line: m.line,
        });
    }
    out.conversations.extend(conversations);
}

/// Headers (names lowercased, folded lines joined, encoded words decoded) and the body.
fn split_headers(raw: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut at = 0;
    while at < raw.len() {
        let end = raw[at..].iter().position(|&b| b == b'\n').map_or(raw.len(), |p| at + p + 1);
        let line = String::from_utf8_lossy(&raw[at..end]);
        let line = line.trim_end_matches(['\r', '\n']);
        at = end;
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    for (_, v) in &mut headers {
        *v = decode_words(v);
    }
    (headers, &raw[at.min(raw.len())..])
}

/// RFC 2047 encoded words (`=?UTF-8?Q?Bj=C3=B6rn?=`, `=?utf-8?B?...?=`) decoded; the space
/// between two of them dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, from) = rest.split_at(start);
        let decoded = (|| {
            let inner = &from[2..];
            let (charset, inner) = inner.split_once('?')?;
            let (encoding, inner) = inner.split_once('?')?;
            let end = inner.find("?=")?;
            let bytes = match encoding.to_ascii_uppercase().as_str() {
                "Q" => quoted_printable(inner[..end].replace('_', " ").as_bytes(), false),
                "B" => base64(&inner.as_bytes()[..end]),
                _ => return None,
            };
            Some((decode_charset(charset, &bytes), 2 + charset.len() + 1 + encoding.len() + 1 + end + 2))
        })();
        match decoded {
            Some((text, used)) => {
                if !(last_was_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&text);
                rest = &from[used..];
                last_was_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                last_was_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_charset(charset: &str, bytes: &[u8]) -> String {
    let label = charset.split('*').next().unwrap_or(charset).trim().trim_matches('"');
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    encoding.decode(bytes).0.into_owned()
}

/// Quoted-printable: `=XX` bytes, and (in bodies) `=` at a line's end joining it to the next.
fn quoted_printable(input: &[u8], body: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'=' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (input.get(i + 1), input.get(i + 2)) {
                (Some(&a), Some(&c)) if hex(a).is_some() && hex(c).is_some() => {
                    out.push((hex(a).unwrap_or(0) * 16 + hex(c).unwrap_or(0)) as u8);
                    i += 3;
                    continue;
                }
                (Some(b'\r'), Some(b'\n')) if body => {
                    i += 3;
                    continue;
                }
                (Some(b'\n'), _) if body => {
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

fn base64(input: &[u8]) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in input {
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// A `Content-Type`'s type (lowercased) and parameters.
fn content_type(value: &str) -> (String, HashMap<String, String>) {
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or("text/plain").trim().to_ascii_lowercase();
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string()))
        .collect();
    (mime, params)
}

/// The body's plain text and its HTML, whichever it has: the first of each among its parts
/// (attachments passed over).
fn body_text(headers: &[(String, String)], body: &[u8]) -> (Option<String>, Option<String>) {
    let get = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let (mime, params) = content_type(get("content-type").unwrap_or("text/plain"));
    if get("content-disposition").is_some_and(|d| d.trim_start().to_ascii_lowercase().starts_with("attachment")) {
        return (None, None);
    }
    if mime.starts_with("multipart/") {
        let Some(boundary) = params.get("boundary") else { return (None, None) };
        let (mut plain, mut html) = (None, None);
        for part in parts(body, boundary) {
            let (h, b) = split_headers(part);
            let (p, t) = body_text(&h, b);
            plain = plain.or(p);
            html = html.or(t);
        }
        return (plain, html);
    }
    if mime != "text/plain" && mime != "text/html" {
        return (None, None);
    }
    let encoding = get("content-transfer-encoding").unwrap_or_default().trim().to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => quoted_printable(body, true),
        "base64" => base64(body),
        _ => body.to_vec(),
    };
    let text = decode_charset(params.get("charset").map_or("utf-8", String::as_str), &bytes).replace("\r\n", "\n");
    if mime == "text/html" { (None, Some(text)) } else { (Some(text), None) }
}

/// The parts of a multipart body between its boundary lines.
fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<&'a [u8]> {
    let marker = format!("--{boundary}");
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    let mut at = 0;
    while at < body.len() {
        let end = body[at..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| at + p + 1);
        let line = String::from_utf8_lossy(&body[at..end]);
        let line = line.trim_end();
        if line.starts_with(&marker) {
            if let Some(s) = start {
                found.push(&body[s..at]);
            }
            if line[marker.len()..].starts_with("--") {
                return found;
            }
            start = Some(end);
        }
        at = end;
    }
    if let Some(s) = start {
        found.push(&body[s..]);
    }
    found
}

/// HTML as the plain text it shows: tags gone, line breaks where blocks end, entities decoded,
/// styles and scripts dropped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&entities(&rest[..open]));
        let after = &rest[open..];
        let close = after.find('>').map_or(after.len(), |c| c + 1);
        let tag = after[..close].to_ascii_lowercase();
        let name: String = tag.trim_start_matches(['<', '/']).chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        rest = &after[close..];
        if (name == "style" || name == "script" || name == "head") && !tag.starts_with("</") {
            let end = format!("</{name}");
            let skip = rest.to_ascii_lowercase().find(&end).unwrap_or(rest.len());
            rest = &rest[skip..];
            continue;
        }
        if ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote"].contains(&name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(&entities(rest));
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let mut text = String::new();
    for line in lines {
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_string()
}

fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The addresses of a header (`"Name" <a@b>, c@d`), lowercased.
fn addresses(value: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut quoted = false;
    let mut current = String::new();
    for c in value.chars().chain(std::iter::once(',')) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                let part = current.trim();
                let address = match (part.rfind('<'), part.rfind('>')) {
                    (Some(a), Some(b)) if a < b => &part[a + 1..b],
                    _ => part,
                };
                if address.contains('@') {
                    found.push(address.trim().to_lowercase());
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    found
}

/// A reply's own words: the quoted earlier mail under it ("On … wrote:", "> …", Outlook's
/// "-----Original Message-----") and the signature after "-- " cut off.
pub fn trim_quoted(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let lower = line.to_lowercase();
        let intro = (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || (lower.starts_with("le ") && lower.ends_with("a écrit :"))
            || (lower.starts_with("le ") && lower.ends_with("a écrit:"))
            || (lower.starts_with("am ") && lower.ends_with("schrieb:"))
            || (lower.starts_with("el ") && lower.ends_with("escribió:"))
            || (lower.starts_with("il ") && lower.ends_with("ha scritto:"))
            || (lower.starts_with("op ") && lower.ends_with("geschreven:"))
            || lower.starts_with("-----original message")
            || lower.starts_with("________________")
            || (lower.starts_with("from:") && !kept.is_empty() && lines.get(i + 1).is_some_and(|n| n.to_lowercase().starts_with("sent:") || n.to_lowercase().starts_with("date:")));
        if intro || *raw == "-- " {
            break;
        }
        if line.starts_with('>') {
            continue;
        }
        kept.push(raw.trim_end());
    }
    kept.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_as_mail_programs_write_it() {
        assert_eq!(decode_words("=?UTF-8?Q?Bj=C3=B6rn_Olsen?= <b@o.example>"), "Björn Olsen <b@o.example>");
        assert_eq!(decode_words("=?utf-8?B?SMOpbMOobmU=?= =?utf-8?Q?_Dubois?="), "Hélène Dubois");
        assert_eq!(decode_words("=?iso-8859-1?Q?caf=E9?="), "café");
        assert_eq!(String::from_utf8(quoted_printable(b"We=E2=80=99re=\n here", true)).unwrap(), "We\u{2019}re here");
        assert_eq!(base64(b"SGVs\nbG8="), b"Hello");
        assert_eq!(html_to_text("<html><head><style>p{}</style></head><p>Late &amp; <b>sorry</b></p><p>Bye&nbsp;now</p></html>"), "Late & sorry\n\nBye now");
        assert_eq!(addresses("\"Mendes, Carla\" <Carla@Mendes.example>, bob@x.example"), ["carla@mendes.example", "bob@x.example"]);
        let reply = "Yes, Thursday works.\n\nOn Tue, 10 Mar 2026 at 10:00, Carla <c@m.example> wrote:\n> Could we talk?";
        assert_eq!(trim_quoted(reply), "Yes, Thursday works.");
    }

    #[test]
    fn a_multipart_mail_gives_its_plain_text_and_passes_attachments_over() {
        let raw = b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n--XX\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n--YY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8gdGhlcmU=\r\n--YY\r\nContent-Type: text/html\r\n\r\n<p>Hello there</p>\r\n--YY--\r\n--XX\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nnot this\r\n--XX--\r\n";
        let (headers, body) = split_headers(raw);
        let (plain, html) = body_text(&headers, body);
        assert_eq!(plain.as_deref(), Some("Hello there"));
        assert_eq!(html.as_deref().map(html_to_text).as_deref(), Some("Hello there"));
    }
}
