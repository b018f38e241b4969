//! Bringing data in from files: customer spreadsheets (`import`: reading, layout, values, rows,
//! identity), exports of reviews, messages and orders (`records`), and the conversations the
//! platforms' own downloads hold (`conversations`: WhatsApp, Instagram, Messenger, Google reviews,
//! email, texts; and the shop's mailbox, live: `mailbox`), each import one unit of work with a
//! history and an undo.

pub mod conversations;
pub mod import;
pub mod mailbox;
pub mod records;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::ImportKind;

/// What a file or folder holds, for the one Import screen and `regulars import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holds {
    /// A customer list.
    Customers,
    /// A spreadsheet of reviews and comments.
    Touchpoints,
    /// A spreadsheet of orders.
    Purchases,
    /// A platform's own download: chats, messages, reviews, mail, texts.
    Conversations,
}

/// What `path` holds: conversations when a reader recognises anything in it, else (a spreadsheet)
/// what its headings say (`records::kind_of`).
pub fn holds(path: &Path) -> Result<Holds> {
    if conversations::recognise(path)?.is_some() {
        return Ok(Holds::Conversations);
    }
    if path.is_dir() {
        return Err(Error::invalid_field(
            "file",
            format!("{} is a folder with no chat, message download, mailbox or text backup Regulars reads; for a spreadsheet, choose the file itself", path.display()),
        ));
    }
    Ok(match records::kind_of(path)? {
        ImportKind::Customers => Holds::Customers,
        ImportKind::Touchpoints => Holds::Touchpoints,
        ImportKind::Purchases => Holds::Purchases,
    })
}
