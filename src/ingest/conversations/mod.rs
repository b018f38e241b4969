//! Every conversation in: the files the platforms give their users (WhatsApp's "Export chat",
//! Instagram's and Messenger's "Download your information", Google Takeout's Business Profile
//! reviews and Gmail, saved `.eml` files, Android's "SMS Backup & Restore"), read from a file, a zip
//! as downloaded, or a folder walked for everything it knows. Each format is recognised from the
//! content, not the name.
//!
//! A source plugs in as a reader (one module here) that turns its file into `Conversation`s: who
//! the shop talks with, and each message with its time, whether the shop wrote it, its text and a
//! key that names it for good. Everything after is shared: the messages go through the same checks
//! as one logged by hand (`touchpoints::log`), in time order per conversation, so that the shop's
//! message answers what waited before it (with its time, for the reply clock), a media-only message
//! or a short thank-you after the shop's answer needs no reply, and a name alone links only to the
//! one customer of that full name (marked so). One transaction for the whole import (a preview is
//! the same rolled back), in the one import history, undoable; what was left out (notices,
//! newsletters, deleted messages) is counted with its reason.

pub(crate) mod email;
mod google;
mod meta;
mod sms;
mod whatsapp;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::customers::Change;
use crate::error::{Error, ErrorKind, Result};
use crate::import::values::DateOrder;
use crate::import::Problem;
use crate::model::{Channel, CustomerId, ImportKind, ReplyStatus, TouchpointDraft, TouchpointId, TouchpointKind};
use crate::normalize::{fold, Region};
use crate::records::{self, FileFacts, Outcome, Unit};
use crate::store::Store;
use crate::touchpoints;

/// What the readers need to know of the shop.
pub struct Ctx {
    /// The shop's name as set: the shop's side of a chat when nothing else says.
    pub shop_name: String,
    pub region: Region,
    /// Where exports that write local times without a zone were made.
    pub zone: chrono_tz::Tz,
    /// How the shop's country writes numeric dates, for files whose dates are all ambiguous.
    pub date_order: DateOrder,
}

/// Why something in a file is not a customer's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// WhatsApp's encryption notice.
    Notice,
    /// The app's own lines: group changes, missed calls.
    System,
    /// "This message was deleted", unsent messages.
    Deleted,
    /// Likes and reactions.
    Reactions,
    /// Newsletters and bulk mail.
    Bulk,
    /// Spam and trash.
    SpamOrTrash,
    /// Automatic replies (out of office).
    Automatic,
    /// Drafts, and texts that were never sent.
    Unsent,
    /// Mail between the shop's own addresses.
    OwnMail,
}

impl LeftOut {
    /// In the owner's words.
    pub fn words(self) -> &'static str {
        match self {
            LeftOut::Notice => "WhatsApp's encryption notice",
            LeftOut::System => "the app's own lines (group changes, missed calls)",
            LeftOut::Deleted => "deleted messages",
            LeftOut::Reactions => "likes and reactions",
            LeftOut::Bulk => "newsletters and bulk mail",
            LeftOut::SpamOrTrash => "spam and trash",
            LeftOut::Automatic => "automatic replies",
            LeftOut::Unsent => "drafts and texts never sent",
            LeftOut::OwnMail => "mail between the shop's own addresses",
        }
    }
}

/// A kind of file a reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    WhatsApp,
    Instagram,
    Messenger,
    GoogleReviews,
    Mbox,
    Eml,
    Sms,
    /// The shop's mailbox, fetched live (`mailbox`).
    Imap,
}

impl Format {
    /// In the owner's words.
    pub fn words(self) -> &'static str {
        match self {
            Format::WhatsApp => "WhatsApp chat",
            Format::Instagram => "Instagram messages",
            Format::Messenger => "Messenger messages",
            Format::GoogleReviews => "Google reviews (Takeout)",
            Format::Mbox => "mailbox (.mbox)",
            Format::Eml => "email (.eml)",
            Format::Sms => "SMS Backup & Restore",
            Format::Imap => "mailbox (IMAP)",
        }
    }
}

/// One message as a reader found it.
#[derive(Debug, Clone)]
pub struct Message {
    pub at: DateTime<Utc>,
    /// Written by the shop: logged as its outbound reply.
    pub from_shop: bool,
    /// Who the message is from, or for the shop's, to: a phone, email, handle or name.
    pub author: String,
    pub text: String,
    /// Nothing but a photo, video or file (`text` says which).
    pub media_only: bool,
    pub rating: Option<i64>,
    pub kind: TouchpointKind,
    /// Names the message for good: the same message in a later export is known by it.
    pub key: String,
    /// Its line (or place) in the file, for problems.
    pub line: u64,
}

/// The shop's exchange with one person (or group) on one channel, as a reader found it.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub channel: Channel,
    /// The file it came from (inside a folder or zip: its path there).
    pub file: String,
    /// Who the shop talks with, as the source names them.
    pub with: String,
    pub messages: Vec<Message>,
}

impl Conversation {
    pub fn new(channel: Channel, file: &str, with: &str) -> Conversation {
        Conversation { channel, file: file.to_string(), with: with.to_string(), messages: Vec::new() }
    }
}

/// What reading a file, zip or folder found.
#[derive(Default)]
pub struct Reading {
    pub conversations: Vec<Conversation>,
    pub left_out: BTreeMap<LeftOut, u64>,
    pub problems: Vec<Problem>,
    /// The formats recognised.
    pub formats: BTreeSet<Format>,
    /// Files in a folder or zip that hold nothing Regulars reads (photos, other data).
    pub files_skipped: u64,
    hash: Sha256,
    /// The shop's own addresses, when known beforehand (a mailbox's).
    pub(crate) shop_addresses: BTreeSet<String>,
    meta: meta::Pending,
    mail: email::Pending,
}

impl Reading {
    fn left_out(&mut self, why: LeftOut) {
        *self.left_out.entry(why).or_default() += 1;
    }
}

/// Whether two names are the same person's written twice (case, accents, spacing aside).
pub fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| crate::normalize::words(&fold(s)).collect::<Vec<_>>().join(" ");
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b
}

/// A short thank-you or a thumbs up, asking nothing: after the shop's answer it needs no reply.
pub fn is_thanks(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t.chars().count() > 80 || t.contains('?') {
        return false;
    }
    ["thank", "thx", "cheers", "merci", "dank", "gracias", "grazie", "obrigad", "tack", "takk", "dziękuj", "👍", "🙏"]
        .iter()
        .any(|w| t.contains(w))
}

/// Files that never hold conversations (the photos and voice notes beside a chat).
fn is_media_file(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".mp4", ".mov", ".opus", ".ogg", ".m4a", ".mp3", ".pdf", ".vcf", ".webm", ".3gp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Reads a file, a zip or a folder for every conversation in it.
pub fn read(path: &Path, ctx: &Ctx) -> Result<Reading> {
    let mut reading = Reading::default();
    let name = records::file_name(path);
    if path.is_dir() {
        walk(path, &name, ctx, &mut reading)?;
    } else if !is_regular(path) {
        return Err(Error::invalid_field("file", format!("{name} is not a file Regulars can read (a pipe or a device)")));
    } else if !read_file(path, &name, ctx, &mut reading)? {
        return Err(Error::invalid_field(
            "file",
            format!("{name} holds no conversations Regulars knows: it reads WhatsApp chats, Instagram and Messenger downloads, Google Takeout reviews and mail, .eml files and SMS backups"),
        ));
    }
    meta::finish(ctx, &mut reading);
    email::finish(&mut reading);
    if reading.formats.is_empty() {
        return Err(Error::invalid_field("file", format!("nothing in {name} is a conversation Regulars knows")));
    }
    Ok(reading)
}

/// What `read` would recognise at `path`, without reading it all: the first format found.
pub fn recognise(path: &Path) -> Result<Option<Format>> {
    if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(format!("cannot read the folder {}", dir.display()), e))?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Some(format) = recognise_file(&p).ok().flatten() {
                    return Ok(Some(format));
                }
            }
        }
        return Ok(None);
    }
    recognise_file(path)
}

/// Whether `path` is a regular file: a pipe or a device is never opened (it could block for ever).
fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

fn recognise_file(path: &Path) -> Result<Option<Format>> {
    let name = path.to_string_lossy();
    if is_media_file(&name) || !is_regular(path) {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let head = head_of(&mut file)?;
    if head.starts_with(b"PK\x03\x04") {
        let Ok(mut zip) = zip::ZipArchive::new(std::fs::File::open(path).map_err(|e| Error::io("cannot open the zip", e))?) else { return Ok(None) };
        if is_workbook(&zip) {
            return Ok(None);
        }
        for i in 0..zip.len() {
            let Ok(mut entry) = zip.by_index(i) else { continue };
            if entry.is_dir() || is_media_file(entry.name()) {
                continue;
            }
            let entry_name = entry.name().to_string();
            if let Some(f) = format_of(&entry_name, &head_of(&mut entry)?) {
                return Ok(Some(f));
            }
        }
        return Ok(None);
    }
    Ok(format_of(&name, &head))
}

/// The first bytes of `r` (up to 64 KB), enough to tell a format by.
fn head_of(r: &mut impl Read) -> Result<Vec<u8>> {
    let mut head = vec![0; 64 * 1024];
    let n = crate::import::read::read_up_to(r, &mut head).map_err(|e| Error::io("cannot read the file", e))?;
    head.truncate(n);
    Ok(head)
}

/// Whether a zip is a workbook (XLSX, ODS): never a download of conversations, and never opened as one.
fn is_workbook<R: Read + std::io::Seek>(zip: &zip::ZipArchive<R>) -> bool {
    zip.file_names().any(|n| n == "[Content_Types].xml" || n == "mimetype" || n.starts_with("xl/"))
}

/// The format a file's first bytes show, if it is one Regulars reads.
fn format_of(name: &str, head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head));
    let start = text.trim_start();
    if email::is_mbox(head) {
        return Some(Format::Mbox);
    }
    // JSON (an iOS WhatsApp line starts with '[' too, followed by its date).
    let json_array = start.strip_prefix('[').is_some_and(|rest| rest.trim_start().starts_with(['{', '[', '"', ']']));
    if start.starts_with('{') || json_array {
        if google::looks_like(start) {
            return Some(Format::GoogleReviews);
        }
        if meta::looks_like(start) {
            return Some(if name.to_lowercase().contains("instagram") { Format::Instagram } else { Format::Messenger });
        }
        return None;
    }
    if start.starts_with("<?xml") || start.starts_with("<smses") {
        return sms::looks_like(start).then_some(Format::Sms);
    }
    if email::is_eml(&text) {
        return Some(Format::Eml);
    }
    if whatsapp::looks_like(&text) {
        return Some(Format::WhatsApp);
    }
    None
}

fn walk(dir: &Path, label: &str, ctx: &Ctx, out: &mut Reading) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot read the folder {}", dir.display()), e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let label = format!("{label}/{name}");
        if p.is_dir() {
            walk(&p, &label, ctx, out)?;
        } else if is_media_file(&name) || !is_regular(&p) || !read_file(&p, &label, ctx, out)? {
            out.files_skipped += 1;
        }
    }
    Ok(())
}

/// Reads one file (a zip is read entry by entry); whether it held anything Regulars reads.
fn read_file(path: &Path, label: &str, ctx: &Ctx, out: &mut Reading) -> Result<bool> {
    let open = || std::fs::File::open(path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e));
    let mut reader = BufReader::with_capacity(64 * 1024, open()?);
    let head = reader.fill_buf().map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?.to_vec();
    if head.starts_with(b"PK\x03\x04") {
        return read_zip(open()?, label, ctx, out);
    }
    if email::is_mbox(&head) {
        email::read_mbox(reader, label, out)?;
        out.formats.insert(Format::Mbox);
        return Ok(true);
    }
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    Ok(read_bytes(label, &bytes, ctx, out))
}

fn read_zip(file: std::fs::File, label: &str, ctx: &Ctx, out: &mut Reading) -> Result<bool> {
    let mut zip = zip::ZipArchive::new(file).map_err(|e| Error::invalid_field("file", format!("{label} is not a zip that can be read: {e}")))?;
    if is_workbook(&zip) {
        return Ok(false);
    }
    let mut any = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| Error::invalid_field("file", format!("{label}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = format!("{label}/{}", entry.name());
        if is_media_file(&name) {
            out.files_skipped += 1;
            continue;
        }
        let mut reader = BufReader::with_capacity(64 * 1024, &mut entry);
        let head = reader.fill_buf().map_err(|e| Error::io(format!("cannot read {name}"), e))?.to_vec();
        if email::is_mbox(&head) {
            email::read_mbox(reader, &name, out)?;
            out.formats.insert(Format::Mbox);
            any = true;
            continue;
        }
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
        if read_bytes(&name, &bytes, ctx, out) {
            any = true;
        } else {
            out.files_skipped += 1;
        }
    }
    Ok(any)
}

/// Reads a whole file's bytes by what they turn out to be; whether they were anything it knows.
fn read_bytes(label: &str, bytes: &[u8], ctx: &Ctx, out: &mut Reading) -> bool {
    out.hash.update(label.as_bytes());
    out.hash.update(bytes);
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let Some(format) = format_of(label, &bytes[..bytes.len().min(64 * 1024)]) else { return false };
    let text = String::from_utf8_lossy(bytes);
    let done = match format {
        Format::GoogleReviews => google::read(&text, label, out),
        Format::Instagram | Format::Messenger => meta::read(&text, label, out),
        Format::Sms => sms::read(&text, label, ctx, out),
        Format::Eml => {
            email::read_eml(bytes, label, out);
            true
        }
        Format::WhatsApp => {
            whatsapp::read(&text, label, ctx, out);
            true
        }
        Format::Mbox | Format::Imap => false,
    };
    if done {
        out.formats.insert(format);
    }
    done
}

/// One conversation as the preview and the report show it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub channel: Channel,
    pub file: String,
    /// Who, as the file names them.
    pub with: String,
    /// The customer the messages are on, once linked.
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    /// Linked by their full name alone: for the owner to confirm.
    pub linked_by_name: bool,
    pub messages_in: u64,
    pub messages_out: u64,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// Their messages still waiting for an answer.
    pub waiting: u64,
}

impl Summary {
    /// Of a conversation not yet logged.
    fn of(conversation: &Conversation) -> Summary {
        Summary {
            channel: conversation.channel,
            file: conversation.file.clone(),
            with: conversation.with.clone(),
            customer_id: None,
            customer_name: None,
            linked_by_name: false,
            messages_in: 0,
            messages_out: 0,
            first: None,
            last: None,
            waiting: 0,
        }
    }
}

/// What a conversation import did, or (`dry_run`) would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The counts every import gives: `rows` (messages) `= added + unchanged + rejected`, and the problems.
    #[serde(flatten)]
    pub records: records::Report,
    pub formats: Vec<&'static str>,
    pub conversations: Vec<Summary>,
    pub messages_in: u64,
    pub messages_out: u64,
    /// Conversations on a customer, and of those, linked by name alone.
    pub linked: u64,
    pub linked_by_name: u64,
    /// Conversations whose person is not a customer yet (they wait in "Who is this?").
    pub not_linked: u64,
    /// What was not a customer's message, by reason.
    pub left_out: Vec<LeftOutCount>,
    pub files_skipped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOutCount {
    pub reason: LeftOut,
    pub words: &'static str,
    pub count: u64,
}

/// The context the shop's settings give.
pub fn context(store: &Store, change: &Change) -> Result<Ctx> {
    Ok(Ctx {
        shop_name: crate::settings::load(store)?.shop_name,
        region: change.region,
        zone: crate::settings::time_zone(store)?,
        date_order: DateOrder::for_region(change.region.code()),
    })
}

/// Imports every conversation at `path` (a file, zip or folder) in one transaction; with `dry_run`
/// the same transaction is rolled back: the preview.
pub fn import(store: &mut Store, path: &Path, change: &Change, dry_run: bool) -> Result<Report> {
    let ctx = context(store, change)?;
    let reading = read(path, &ctx)?;
    import_reading(store, reading, &Source { name: records::file_name(path), backup_first: true }, change, dry_run, |_| Ok(()))
}

/// Where a reading came from, for the import history.
pub struct Source {
    /// The file's name, or the mailbox's.
    pub name: String,
    /// A backup before the import (every file import has one; a mailbox's few new mails need none).
    pub backup_first: bool,
}

/// Logs what a reading found, in one transaction with its record in the history; `also` runs last
/// in the same transaction (a mailbox remembers there where it stopped).
pub fn import_reading(
    store: &mut Store,
    mut reading: Reading,
    source: &Source,
    change: &Change,
    dry_run: bool,
    also: impl FnOnce(&crate::store::WriteDb<'_>) -> Result<()>,
) -> Result<Report> {
    for c in &mut reading.conversations {
        c.messages.sort_by_key(|m| m.at);
    }
    let formats: Vec<&'static str> = reading.formats.iter().map(|f| f.words()).collect();
    let mut report = Report {
        records: records::Report { dry_run, problems: std::mem::take(&mut reading.problems), ..records::Report::default() },
        formats: formats.clone(),
        conversations: Vec::new(),
        messages_in: 0,
        messages_out: 0,
        linked: 0,
        linked_by_name: 0,
        not_linked: 0,
        left_out: reading.left_out.iter().map(|(&reason, &count)| LeftOutCount { reason, words: reason.words(), count }).collect(),
        files_skipped: reading.files_skipped,
    };
    report.records.rows = reading.conversations.iter().map(|c| c.messages.len() as u64).sum();
    let facts = FileFacts { hash: crate::normalize::hex(&reading.hash.clone().finalize()), format: formats.join(", ") };
    let unit = Unit { kind: ImportKind::Touchpoints, file_name: source.name.clone(), facts, dry_run, now: change.now, backup_first: source.backup_first };
    let mut summaries = Vec::new();
    records::apply(store, &unit, &mut report.records, |w, import_id| {
        let mut outcome = Outcome::default();
        for conversation in &reading.conversations {
            summaries.push(log_conversation(w, conversation, change, import_id, &mut outcome)?);
        }
        also(w)?;
        Ok(outcome)
    })?;
    for s in &summaries {
        report.messages_in += s.messages_in;
        report.messages_out += s.messages_out;
        match (s.customer_id, s.linked_by_name) {
            (Some(_), true) => {
                report.linked += 1;
                report.linked_by_name += 1;
            }
            (Some(_), false) => report.linked += 1,
            (None, _) => report.not_linked += 1,
        }
    }
    report.conversations = summaries;
    Ok(report)
}

/// Logs one conversation's messages in time order inside the import's transaction: the shop's
/// message answers what waited before it; a media-only message, or a short thank-you after the
/// shop's answer, needs no reply; and when the conversation ends on such a thank-you, what still
/// waited in it is settled.
fn log_conversation(
    w: &crate::store::WriteDb<'_>,
    conversation: &Conversation,
    change: &Change,
    import_id: crate::model::ImportId,
    outcome: &mut Outcome,
) -> Result<Summary> {
    let mut summary = Summary::of(conversation);
    let mut waiting: Vec<TouchpointId> = Vec::new();
    let (mut shop_spoke, mut ends_in_thanks) = (false, false);
    for m in &conversation.messages {
        let thanks = !m.from_shop && shop_spoke && is_thanks(&m.text);
        let draft = TouchpointDraft {
            author: m.author.clone(),
            channel: conversation.channel.as_str().to_string(),
            kind: m.kind.as_str().to_string(),
            direction: if m.from_shop { "out" } else { "in" }.to_string(),
            text: m.text.clone(),
            rating: m.rating,
            at: m.at.to_rfc3339(),
            status: if !m.from_shop && (m.media_only || thanks) { ReplyStatus::NoReplyNeeded.as_str().to_string() } else { String::new() },
            source_key: m.key.clone(),
            link_by_name: true,
            ..TouchpointDraft::default()
        };
        let logged = match w.attempt(|w| touchpoints::log(w, &draft, change)) {
            Ok(logged) => logged,
            Err(e) if matches!(e.kind, ErrorKind::Invalid(_)) => {
                outcome.rejected.push(Problem::error(m.line, &conversation.file, e.to_string()));
                continue;
            }
            Err(e) => return Err(e),
        };
        if logged.duplicate {
            outcome.unchanged += 1;
        } else {
            w.mark_imported(ImportKind::Touchpoints, logged.touchpoint.id, import_id)?;
            outcome.added += 1;
        }
        let t = logged.touchpoint;
        if summary.customer_id.is_none() && t.customer_id.is_some() {
            summary.customer_id = t.customer_id;
            summary.linked_by_name = t.linked_by_name;
        }
        summary.first = summary.first.min(Some(t.at)).or(Some(t.at));
        summary.last = summary.last.max(Some(t.at));
        if m.from_shop {
            summary.messages_out += 1;
            touchpoints::answer(w, &waiting, &t)?;
            waiting.clear();
            shop_spoke = true;
            ends_in_thanks = false;
        } else {
            summary.messages_in += 1;
            if t.status == ReplyStatus::NeedsReply {
                waiting.push(t.id);
            }
            ends_in_thanks = thanks;
        }
    }
    if ends_in_thanks {
        touchpoints::settle(w, &waiting)?;
        waiting.clear();
    }
    summary.waiting = waiting.len() as u64;
    if let Some(id) = summary.customer_id {
        summary.customer_name = Some(crate::customers::get(w, id)?.display_name);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thanks_and_names() {
        for yes in ["They were gorgeous, thank you!!", "Thanks!", "👍", "Merci beaucoup", "Vielen Dank"] {
            assert!(is_thanks(yes), "{yes}");
        }
        for no in ["Thanks, and can you deliver on Sunday?", "", "The vase arrived broken and I would like to know what you will do about it, thanks for nothing at all"] {
            assert!(!is_thanks(no), "{no}");
        }
        assert!(same_name("René García", "rene  garcia"));
        assert!(!same_name("René García", "René"));
    }
}
