//! Instagram's and Facebook Messenger's "Download your information" in JSON: message threads
//! (`message_N.json`: `participants`, `messages` newest first with `sender_name`, `timestamp_ms`,
//! `content`, photos), the end-to-end encrypted Messenger download's other shape (`participants`
//! as names, `senderName`, `text`, `timestamp`, `isUnsent`), and the account's own name
//! (`personal_information.json`). The export writes text as UTF-8 bytes in `\u00XX` escapes
//! (mojibake); it is repaired only where the text is that. The shop is the account's own name, else
//! the participant in every thread, else the shop's name as set, else the one who is not the
//! thread's title.

use serde_json::Value;

use super::{same_name, Conversation, Ctx, LeftOut, Message, Reading};
use crate::model::{Channel, TouchpointKind};

/// Threads and names read, waiting for the shop's name to be known.
#[derive(Default)]
pub struct Pending {
    threads: Vec<Thread>,
    owners: Vec<String>,
}

struct Thread {
    file: String,
    channel: Channel,
    title: String,
    path: String,
    participants: Vec<String>,
    messages: Vec<Said>,
}

struct Said {
    sender: String,
    at_ms: i64,
    text: String,
    media: Option<&'static str>,
    gone: Option<LeftOut>,
}

pub fn looks_like(start: &str) -> bool {
    (start.contains("\"participants\"") && start.contains("\"messages\"")) || start.contains("\"profile_user\"")
}

/// Text as written, or repaired when it is UTF-8 read as Latin-1 ("RenÃ©" is "René").
pub fn unmojibake(s: &str) -> String {
    if s.chars().all(|c| (c as u32) < 0x100) && s.chars().any(|c| (c as u32) >= 0x80) {
        let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
        if let Ok(fixed) = String::from_utf8(bytes) {
            return fixed;
        }
    }
    s.to_string()
}

fn text(v: &Value) -> String {
    v.as_str().map(unmojibake).unwrap_or_default()
}

/// Reads one JSON file of a download; whether it was a thread or the account's own details.
pub fn read(json: &str, file: &str, out: &mut Reading) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(json) else { return false };
    if let Some(profile) = v.get("profile_user").and_then(|p| p.get(0)) {
        let map = &profile["string_map_data"];
        for key in ["Name", "Username"] {
            let name = text(&map[key]["value"]);
            if !name.is_empty() {
                out.meta.owners.push(name);
            }
        }
        return true;
    }
    let (Some(participants), Some(messages)) = (v["participants"].as_array(), v["messages"].as_array()) else { return false };
    let lower = file.to_lowercase();
    let channel = if lower.contains("instagram") { Channel::Instagram } else { Channel::Facebook };
    let participants: Vec<String> = participants.iter().map(|p| if p.is_string() { text(p) } else { text(&p["name"]) }).collect();
    let messages = messages
        .iter()
        .map(|m| {
            let sender = if m["sender_name"].is_string() { text(&m["sender_name"]) } else { text(&m["senderName"]) };
            let at_ms = m["timestamp_ms"].as_i64().or_else(|| m["timestamp"].as_i64()).unwrap_or(0);
            let words = if m["content"].is_string() { text(&m["content"]) } else { text(&m["text"]) };
            let has = |k: &str| m[k].as_array().is_some_and(|a| !a.is_empty());
            let media = if has("photos") {
                Some("a photo")
            } else if has("videos") {
                Some("a video")
            } else if has("audio_files") {
                Some("a voice message")
            } else if has("media") || has("files") || m.get("sticker").is_some() {
                Some("a photo, video or file")
            } else {
                None
            };
            let lower = words.to_lowercase();
            let gone = if m["isUnsent"].as_bool() == Some(true) || m["is_unsent"].as_bool() == Some(true) {
                Some(LeftOut::Deleted)
            } else if lower == "liked a message" || lower.starts_with("reacted ") && lower.ends_with(" to your message") {
                Some(LeftOut::Reactions)
            } else if words.is_empty() && media.is_none() {
                Some(LeftOut::System)
            } else {
                None
            };
            Said { sender, at_ms, text: words, media, gone }
        })
        .collect();
    let title = if v["title"].is_string() { text(&v["title"]) } else { text(&v["threadName"]) };
    let path = v["thread_path"].as_str().map(str::to_string).unwrap_or_else(|| file.to_string());
    out.meta.threads.push(Thread { file: file.to_string(), channel, title, path, participants, messages });
    true
}

/// Turns the threads into conversations, now that everything read says who the shop is.
pub fn finish(ctx: &Ctx, out: &mut Reading) {
    let threads = std::mem::take(&mut out.meta.threads);
    let owners = std::mem::take(&mut out.meta.owners);
    let in_every: Vec<&String> = match threads.as_slice() {
        [first, _, ..] => first.participants.iter().filter(|p| threads.iter().all(|t| t.participants.contains(p))).collect(),
        _ => Vec::new(),
    };
    for thread in &threads {
        let is_shop = |name: &str| -> bool {
            if !owners.is_empty() {
                return owners.iter().any(|o| same_name(o, name));
            }
            if let [only] = in_every.as_slice() {
                return same_name(only, name);
            }
            if thread.participants.iter().any(|p| same_name(p, &ctx.shop_name)) {
                return same_name(name, &ctx.shop_name);
            }
            let others: Vec<&String> = thread.participants.iter().filter(|p| !same_name(p, &thread.title)).collect();
            others.len() == 1 && same_name(others[0], name)
        };
        let customers: Vec<&String> = thread.participants.iter().filter(|p| !is_shop(p)).collect();
        let with = match customers.as_slice() {
            [one] => (*one).clone(),
            _ if !thread.title.is_empty() => thread.title.clone(),
            _ => customers.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
        };
        let mut conversation = Conversation::new(thread.channel, &thread.file, &with);
        for (i, m) in thread.messages.iter().enumerate() {
            if let Some(why) = m.gone {
                out.left_out(why);
                continue;
            }
            let Some(at) = chrono::DateTime::from_timestamp_millis(m.at_ms) else { continue };
            let from_shop = is_shop(&m.sender);
            let text = match (m.text.is_empty(), m.media) {
                (true, Some(what)) => format!("({what})"),
                _ => m.text.clone(),
            };
            conversation.messages.push(Message {
                at,
                from_shop,
                author: if from_shop { with.clone() } else { m.sender.clone() },
                media_only: m.text.is_empty(),
                text,
                rating: None,
                kind: TouchpointKind::Dm,
                key: format!("{}\0{}\0{}\0{}\0{}", thread.channel.as_str(), thread.path, m.at_ms, m.sender, m.text),
                line: i as u64 + 1,
            });
        }
        out.conversations.push(conversation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_only_where_it_is_mojibake() {
        assert_eq!(unmojibake("Ren\u{00c3}\u{00a9} Garc\u{00c3}\u{00ad}a"), "René García");
        assert_eq!(unmojibake("\u{00f0}\u{009f}\u{008c}\u{00b7}"), "🌷");
        assert_eq!(unmojibake("café"), "café", "a real é alone is no UTF-8: kept");
        assert_eq!(unmojibake("René"), "René", "already right");
        assert_eq!(unmojibake("plain"), "plain");
    }
}
