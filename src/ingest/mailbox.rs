//! Email, live: the shop's mailbox read over IMAP (TLS, with the provider's app password), its
//! inbox and its Sent folder, with the same rules as a `.mbox` import (`conversations::email`):
//! the shop's mail answers, newsletters and spam are left out, every mail lands once. Where it
//! stopped is remembered per folder (`UIDVALIDITY` and the last UID) in the same transaction as
//! the mail it fetched, so that a fetch cut short fetches again and nothing is fetched twice. The
//! first fetch reaches back `FIRST_DAYS`. The password is never stored in the database or written
//! to a log: the caller hands it in (the app keeps it in the system's keychain, `keychain`).
//! A mailbox goes without TLS only on this computer (a test server, a local bridge).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::conversations::{self, email, Reading, Source};
use crate::customers::Change;
use crate::error::{Error, Result};
use crate::store::{Reads, Store};

/// How far back the first fetch of a mailbox reaches.
pub const FIRST_DAYS: i64 = 90;

/// Mails fetched at a time.
const BATCH: usize = 200;

/// The setting that holds the mailbox (never its password).
const SETTING: &str = "mailbox";
/// The setting that holds where each folder's fetch stopped.
const STATE: &str = "mailbox_state";

/// The shop's mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub host: String,
    pub port: u16,
    /// The user name the server knows (usually the address).
    pub user: String,
    /// The shop's address, when the user name is not it.
    #[serde(default)]
    pub address: String,
    /// TLS from the first byte (port 993). Off only for a server on this computer.
    pub tls: bool,
}

impl Account {
    /// Checks the account: a host, a user, and TLS unless the server is on this computer.
    pub fn checked(self) -> Result<Account> {
        let mut problems = Vec::new();
        if self.host.trim().is_empty() {
            problems.push(crate::FieldProblem::new("host", "say which server: e.g. imap.gmail.com".to_string()));
        }
        if self.user.trim().is_empty() {
            problems.push(crate::FieldProblem::new("user", "say the user name: usually the shop's email address".to_string()));
        }
        if !self.tls && !is_loopback(&self.host) {
            problems.push(crate::FieldProblem::new("tls", "mail is fetched over TLS; only a server on this computer may go without".to_string()));
        }
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        Ok(Account { host: self.host.trim().to_string(), user: self.user.trim().to_string(), address: self.address.trim().to_lowercase(), ..self })
    }

    /// The key the system's keychain keeps its password under.
    pub fn keychain_key(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_matches(['[', ']']);
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The mailbox set up, if one is.
pub fn account(store: &(impl Reads + ?Sized)) -> Result<Option<Account>> {
    Ok(store.reader().setting(SETTING)?.and_then(|v| serde_json::from_str(&v).ok()))
}

/// Sets up (or, with `None`, forgets) the shop's mailbox; where fetching stopped starts over.
pub fn set_account(store: &mut Store, account: Option<Account>) -> Result<Option<Account>> {
    let account = account.map(Account::checked).transpose()?;
    store.write(|w| {
        match &account {
            Some(a) => w.set_setting(SETTING, &serde_json::to_string(a).map_err(|e| Error::invalid_field("mailbox", e.to_string()))?)?,
            None => w.remove_setting(SETTING)?,
        }
        w.remove_setting(STATE)
    })?;
    Ok(account)
}

/// Where a folder's fetch stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Mark {
    validity: u32,
    last: u32,
}

/// What a fetch did.
#[derive(Debug, Clone, Serialize)]
pub struct Fetched {
    /// Mails read from the server.
    pub mails: u64,
    /// What they added, as any conversation import says it (none when nothing was new).
    pub report: Option<conversations::Report>,
}

/// A byte stream to the server: TLS, or plain on this computer.
trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

fn connect(account: &Account) -> Result<Box<dyn Stream>> {
    let unreachable = |e: std::io::Error| Error::io(format!("cannot reach the mail server {}:{}; check the server's name and port, and the connection", account.host, account.port), e);
    let address = (account.host.as_str(), account.port).to_socket_addrs().map_err(unreachable)?.next().ok_or_else(|| Error::not_found(format!("the mail server {} cannot be found", account.host)))?;
    let tcp = TcpStream::connect_timeout(&address, Duration::from_secs(15)).map_err(unreachable)?;
    tcp.set_read_timeout(Some(Duration::from_secs(60))).map_err(unreachable)?;
    tcp.set_write_timeout(Some(Duration::from_secs(60))).map_err(unreachable)?;
    if !account.tls {
        return Ok(Box::new(tcp));
    }
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid_field("tls", e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(account.host.clone()).map_err(|_| Error::invalid_field("host", format!("“{}” is not a server name", account.host)))?;
    let connection = rustls::ClientConnection::new(std::sync::Arc::new(config), name).map_err(|e| Error::invalid_field("tls", e.to_string()))?;
    Ok(Box::new(rustls::StreamOwned::new(connection, tcp)))
}

/// What the server said, in plain words.
fn said(account: &Account, e: imap::Error) -> Error {
    match e {
        imap::Error::Io(io) => Error::io(format!("the connection to {} broke off", account.host), io),
        imap::Error::No(no) => Error::invalid_field("mailbox", format!("the mail server said no: {}", no.information)),
        imap::Error::Bad(bad) => Error::invalid_field("mailbox", format!("the mail server did not understand: {}", bad.information)),
        other => Error::invalid_field("mailbox", format!("the mail server's answer could not be read: {other}")),
    }
}

/// Fetches the new mail of the shop's mailbox and imports it (one transaction with where it
/// stopped). `password` is the account's, from the keychain or the person.
pub fn fetch(store: &mut Store, account: &Account, password: &str, change: &Change) -> Result<Fetched> {
    let since = where_it_stopped(store)?;
    let download = download(account, password, since, change.now)?;
    save(store, account, download, change)
}

/// Where each folder's fetch stopped, to hand to `download`.
pub fn where_it_stopped(store: &(impl Reads + ?Sized)) -> Result<Stopped> {
    Ok(Stopped(store.reader().setting(STATE)?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default()))
}

/// Where each folder's fetch stopped (opaque to callers).
#[derive(Debug, Clone, Default)]
pub struct Stopped(BTreeMap<String, Mark>);

/// Mail downloaded and read, not yet saved.
pub struct Download {
    reading: Reading,
    stopped: Stopped,
    mails: u64,
}

/// Downloads the mail that came since `since` (the inbox and the Sent folder), without the store:
/// the app does this while the database stays free for everything else.
pub fn download(account: &Account, password: &str, since: Stopped, now: chrono::DateTime<chrono::Utc>) -> Result<Download> {
    let mut client = imap::Client::new(connect(account)?);
    client.read_greeting().map_err(|e| said(account, e))?;
    let mut session = client.login(&account.user, password).map_err(|(e, _)| match e {
        imap::Error::No(_) | imap::Error::Bad(_) => {
            Error::invalid_field("password", format!("the mail server refused the user name or password for {}; with Gmail or Outlook, use an app password", account.user))
        }
        other => said(account, other),
    })?;
    let sent = session
        .list(Some(""), Some("*"))
        .map_err(|e| said(account, e))?
        .iter()
        .find(|n| n.attributes().iter().any(|a| matches!(a, imap_proto::NameAttribute::Sent)) || ["Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail"].contains(&n.name()))
        .map(|n| n.name().to_string());
    let mut marks = since.0;
    let mut reading = Reading::default();
    reading.shop_addresses.extend([account.user.to_lowercase(), account.address.clone()].into_iter().filter(|a| a.contains('@')));
    let mut mails = 0u64;
    for (folder, is_sent) in std::iter::once(("INBOX".to_string(), false)).chain(sent.map(|s| (s, true))) {
        let mailbox = session.select(&folder).map_err(|e| said(account, e))?;
        let validity = mailbox.uid_validity.unwrap_or(0);
        let mark = marks.get(&folder).copied().filter(|m| m.validity == validity).unwrap_or_default();
        let mut uids: Vec<u32> = if mark.last == 0 {
            let first = (now - chrono::Duration::days(FIRST_DAYS)).format("%-d-%b-%Y");
            session.uid_search(format!("SINCE {first}")).map_err(|e| said(account, e))?.into_iter().collect()
        } else {
            session.uid_search(format!("UID {}:*", mark.last + 1)).map_err(|e| said(account, e))?.into_iter().filter(|&u| u > mark.last).collect()
        };
        uids.sort_unstable();
        for batch in uids.chunks(BATCH) {
            let set = batch.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            for f in session.uid_fetch(&set, "(UID BODY.PEEK[])").map_err(|e| said(account, e))?.iter() {
                if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                    email::read_fetched(body, &folder, u64::from(uid), is_sent, &mut reading);
                    mails += 1;
                }
            }
        }
        marks.insert(folder, Mark { validity, last: uids.last().copied().unwrap_or(mark.last) });
    }
    let _ = session.logout();
    Ok(Download { reading, stopped: Stopped(marks), mails })
}

/// Saves what `download` brought: the mail as conversations and where it stopped, in one
/// transaction (no history entry when nothing was new).
pub fn save(store: &mut Store, account: &Account, download: Download, change: &Change) -> Result<Fetched> {
    let Download { mut reading, stopped, mails } = download;
    let state = serde_json::to_string(&stopped.0).map_err(|e| Error::invalid_field("mailbox", e.to_string()))?;
    if mails == 0 {
        store.write(|w| w.set_setting(STATE, &state))?;
        return Ok(Fetched { mails, report: None });
    }
    email::finish(&mut reading);
    reading.formats.insert(conversations::Format::Imap);
    let source = Source { name: format!("mail of {}", account.user), backup_first: false };
    let report = conversations::import_reading(store, reading, &source, change, false, |w| w.set_setting(STATE, &state))?;
    Ok(Fetched { mails, report: Some(report) })
}

/// The system's keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
/// Linux), where the mailbox's password is kept.
pub mod keychain {
    use super::Account;
    use crate::error::Result;
    use crate::store::keychain::Secret;

    fn secret(account: &Account) -> Secret {
        Secret::new("Regulars mailbox", account.keychain_key())
    }

    pub fn save(account: &Account, password: &str) -> Result<()> {
        secret(account).save(password)
    }

    /// The kept password, if there is one.
    pub fn get(account: &Account) -> Result<Option<String>> {
        secret(account).get()
    }

    pub fn forget(account: &Account) -> Result<()> {
        secret(account).forget()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailbox_goes_without_tls_only_on_this_computer() {
        let plain = |host: &str| Account { host: host.into(), port: 143, user: "shop@example.com".into(), address: String::new(), tls: false }.checked();
        assert!(plain("127.0.0.1").is_ok());
        assert!(plain("localhost").is_ok());
        assert!(plain("[::1]").is_ok());
        let err = plain("imap.example.com").unwrap_err();
        assert_eq!(err.field_problems()[0].field, "tls");
        let blank = Account { host: " ".into(), port: 993, user: String::new(), address: String::new(), tls: true }.checked().unwrap_err();
        assert_eq!(blank.field_problems().len(), 2);
    }
}
