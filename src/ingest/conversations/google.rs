//! Google Business Profile reviews from Google Takeout (`reviews.json` of a location): the reviewer's
//! name (or "A Google User" when anonymous), the stars as words (`FIVE` … `ONE`), the comment (a
//! review of stars alone is still a review; of a comment Google translated, the original), the time
//! (with fractional seconds), and the owner's `reviewReply`, which answers it at its own time.

use serde_json::Value;

use super::{Conversation, Message, Reading};
use crate::model::{Channel, TouchpointKind};

pub fn looks_like(start: &str) -> bool {
    start.contains("\"reviews\"") && (start.contains("\"starRating\"") || start.contains("\"reviewer\""))
}

/// The review's own words: of "(Translated by Google) … (Original) …", the original.
fn original(comment: &str) -> String {
    match comment.split_once("(Original)") {
        Some((_, original)) if comment.contains("(Translated by Google)") => original.trim().to_string(),
        _ => comment.trim().to_string(),
    }
}

pub fn read(json: &str, file: &str, out: &mut Reading) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(json) else { return false };
    let Some(reviews) = v["reviews"].as_array() else { return false };
    for (i, r) in reviews.iter().enumerate() {
        let line = i as u64 + 1;
        let name = r["reviewer"]["displayName"].as_str().unwrap_or("A Google User").trim().to_string();
        let id = r["reviewId"].as_str().or_else(|| r["name"].as_str()).unwrap_or_default().to_string();
        let rating = r["starRating"].as_str().and_then(|s| crate::import::values::parse_rating(s).ok()).filter(|n| (1..=5).contains(n));
        let Some(at) = r["createTime"].as_str().and_then(|t| crate::normalize::instant(t).ok()) else {
            out.problems.push(crate::import::Problem::error(line, file, format!("review {id} has no time it was written")));
            continue;
        };
        let mut conversation = Conversation::new(Channel::GoogleReviews, file, &name);
        conversation.messages.push(Message {
            at,
            from_shop: false,
            author: name.clone(),
            text: original(r["comment"].as_str().unwrap_or_default()),
            media_only: false,
            rating,
            kind: TouchpointKind::Review,
            key: format!("google review\0{id}"),
            line,
        });
        let reply = &r["reviewReply"];
        if let Some(replied) = reply["updateTime"].as_str().and_then(|t| crate::normalize::instant(t).ok()) {
            conversation.messages.push(Message {
                at: replied.max(at),
                from_shop: true,
                author: name.clone(),
                text: reply["comment"].as_str().unwrap_or_default().trim().to_string(),
                media_only: false,
                rating: None,
                kind: TouchpointKind::Reply,
                key: format!("google reply\0{id}"),
                line,
            });
        }
        out.conversations.push(conversation);
    }
    true
}
