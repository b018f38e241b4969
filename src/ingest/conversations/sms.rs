//! Android's "SMS Backup & Restore" XML: `<sms>` (type 1 received, 2 sent; 3 to 6 drafts and texts
//! never sent) and `<mms>` (msg_box 1 or 2; the text of its `text/plain` parts, a photo noted),
//! times in epoch milliseconds. One conversation per number, however it is written.

use quick_xml::events::{BytesStart, Event};

use super::{Conversation, Ctx, LeftOut, Message, Reading};
use crate::model::{Channel, TouchpointKind};

pub fn looks_like(start: &str) -> bool {
    start.contains("<smses") || start.contains("<allsms")
}

fn attrs(e: &BytesStart<'_>, decoder: quick_xml::encoding::Decoder) -> std::collections::HashMap<String, String> {
    e.attributes()
        .flatten()
        .map(|a| (String::from_utf8_lossy(a.key.as_ref()).into_owned(), a.decode_and_unescape_value(decoder).map(|v| v.into_owned()).unwrap_or_default()))
        .collect()
}

/// One text as found: its number, contact name, time, whether sent, text, media.
struct Text {
    address: String,
    contact: String,
    at_ms: i64,
    sent: Option<bool>,
    body: String,
    photo: bool,
    line: u64,
}

pub fn read(xml: &str, file: &str, ctx: &Ctx, out: &mut Reading) -> bool {
    match texts(xml, file, out) {
        Some(texts) => {
            conversations(texts, file, ctx, out);
            true
        }
        None => false,
    }
}

/// Every text and MMS of the backup, in its order; none when it is no backup.
fn texts(xml: &str, file: &str, out: &mut Reading) -> Option<Vec<Text>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut texts: Vec<Text> = Vec::new();
    let mut mms: Option<Text> = None;
    let mut seen_root = false;
    loop {
        let position = reader.buffer_position() as usize;
        let line = xml[..position.min(xml.len())].matches('\n').count() as u64 + 1;
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let a = attrs(&e, reader.decoder());
                let get = |k: &str| a.get(k).cloned().unwrap_or_default();
                let sent_of = |code: &str| match code {
                    "1" => Some(false),
                    "2" => Some(true),
                    _ => None,
                };
                match e.name().as_ref() {
                    b"smses" | b"allsms" => seen_root = true,
                    b"sms" => texts.push(Text {
                        address: get("address"),
                        contact: get("contact_name"),
                        at_ms: get("date").parse().unwrap_or(0),
                        sent: sent_of(&get("type")),
                        body: get("body"),
                        photo: false,
                        line,
                    }),
                    b"mms" => {
                        mms = Some(Text {
                            address: get("address"),
                            contact: get("contact_name"),
                            at_ms: get("date").parse().unwrap_or(0),
                            sent: sent_of(&get("msg_box")),
                            body: String::new(),
                            photo: false,
                            line,
                        })
                    }
                    b"part" => {
                        if let Some(m) = mms.as_mut() {
                            let ct = get("ct");
                            if ct == "text/plain" {
                                if !m.body.is_empty() {
                                    m.body.push('\n');
                                }
                                m.body.push_str(&get("text"));
                            } else if ct.starts_with("image/") {
                                m.photo = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"mms" => texts.extend(mms.take()),
            Ok(Event::Eof) => break,
            Err(e) => {
                out.problems.push(crate::import::Problem::error(line, file, format!("the backup breaks off here: {e}")));
                break;
            }
            _ => {}
        }
    }
    seen_root.then_some(texts)
}

/// One conversation per number, however it is written.
fn conversations(texts: Vec<Text>, file: &str, ctx: &Ctx, out: &mut Reading) {
    let mut by_number: Vec<(String, Conversation)> = Vec::new();
    for t in texts {
        let Some(sent) = t.sent else {
            out.left_out(LeftOut::Unsent);
            continue;
        };
        let Some(at) = chrono::DateTime::from_timestamp_millis(t.at_ms).filter(|_| t.at_ms > 0) else {
            out.problems.push(crate::import::Problem::error(t.line, file, "this text has no time"));
            continue;
        };
        let number = crate::normalize::phone(&t.address, ctx.region).unwrap_or_else(|_| t.address.chars().filter(char::is_ascii_alphanumeric).collect());
        let at_index = match by_number.iter().position(|(n, _)| *n == number) {
            Some(i) => i,
            None => {
                let with = if t.contact.is_empty() || t.contact == "(Unknown)" { t.address.clone() } else { t.contact.clone() };
                by_number.push((number.clone(), Conversation::new(Channel::Sms, file, &with)));
                by_number.len() - 1
            }
        };
        let media_only = t.body.trim().is_empty() && t.photo;
        if t.body.trim().is_empty() && !t.photo {
            out.left_out(LeftOut::System);
            continue;
        }
        by_number[at_index].1.messages.push(Message {
            at,
            from_shop: sent,
            author: number.clone(),
            text: if media_only { "(a photo)".to_string() } else { t.body.trim().to_string() },
            media_only,
            rating: None,
            kind: TouchpointKind::Dm,
            key: format!("sms\0{number}\0{}\0{sent}\0{}", t.at_ms, t.body),
            line: t.line,
        });
    }
    out.conversations.extend(by_number.into_iter().map(|(_, c)| c));
}
