//! The shop's mailbox in the app: its settings, its password in the system's keychain, and the
//! fetch that runs in the background while the app is open (every few minutes, and at once when
//! asked). The download runs without the database's lock; only saving what came takes it. What
//! happened last (when, how much, or what went wrong in plain words) is kept for Settings and
//! told to the page; a failure is tried again at the next round.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use regulars::customers::Change;
use regulars::mailbox::{self, keychain, Account};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::{AppState, CmdResult, IpcError};

/// How often new mail is fetched while the app is open.
const EVERY: Duration = Duration::from_secs(5 * 60);

/// What the last fetch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MailStatus {
    /// When it last ended well.
    pub fetched_at: Option<DateTime<Utc>>,
    /// Messages it added.
    pub added: u64,
    /// What went wrong the last time, in plain words (cleared by the next good fetch).
    pub error: Option<String>,
}

/// Kept in the app's state.
#[derive(Default)]
pub struct Mail {
    status: Mutex<MailStatus>,
    /// One fetch at a time.
    running: Mutex<()>,
}

/// The mailbox as Settings shows it.
#[derive(Debug, Serialize)]
pub struct MailboxView {
    account: Option<Account>,
    password_kept: bool,
    status: MailStatus,
}

fn view(state: &AppState) -> CmdResult<MailboxView> {
    let account = state.with(|s| mailbox::account(s))?;
    let password_kept = match &account {
        Some(a) => keychain::get(a).map(|p| p.is_some()).unwrap_or(false),
        None => false,
    };
    let status = state.mail.status.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(MailboxView { account, password_kept, status })
}

#[tauri::command]
pub async fn mailbox_get(state: State<'_, AppState>) -> CmdResult<MailboxView> {
    view(&state)
}

/// Sets up the mailbox; a password given goes to the keychain (never to the database). Then fetches.
#[tauri::command]
pub async fn mailbox_set(app: AppHandle, account: Account, password: Option<String>) -> CmdResult<MailboxView> {
    {
        let state = app.state::<AppState>();
        let account = state.with(|s| mailbox::set_account(s, Some(account)))?.expect("set");
        if let Some(p) = password.filter(|p| !p.is_empty()) {
            keychain::save(&account, &p)?;
        }
    }
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || fetch_now(&handle)).await.map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?;
    view(&app.state::<AppState>())
}

#[tauri::command]
pub async fn mailbox_forget(state: State<'_, AppState>) -> CmdResult<MailboxView> {
    if let Some(account) = state.with(|s| mailbox::account(s))? {
        keychain::forget(&account)?;
    }
    state.with(|s| mailbox::set_account(s, None))?;
    *state.mail.status.lock().unwrap_or_else(|p| p.into_inner()) = MailStatus::default();
    view(&state)
}

#[tauri::command]
pub async fn mailbox_fetch(app: AppHandle) -> CmdResult<MailStatus> {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || fetch_now(&handle)).await.map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })
}

/// One fetch, if a mailbox and its password are there: downloaded without the lock, saved with
/// it; the status kept and told to the page.
fn fetch_now(app: &AppHandle) -> MailStatus {
    let state = app.state::<AppState>();
    let _one = state.mail.running.lock().unwrap_or_else(|p| p.into_inner());
    let outcome = (|| -> Result<Option<u64>, String> {
        let Some(account) = state.with(|s| mailbox::account(s)).map_err(|e| e.message)? else { return Ok(None) };
        let Some(password) = keychain::get(&account).map_err(|e| e.to_string())? else {
            return Err("the mailbox's password is not in the system's keychain: enter it again in Settings".into());
        };
        let since = state.with(|s| mailbox::where_it_stopped(s)).map_err(|e| e.message)?;
        let download = mailbox::download(&account, &password, since, Utc::now()).map_err(|e| e.to_string())?;
        let fetched = state
            .with(|s| {
                let change = Change::from_settings(s, Utc::now(), "mailbox")?;
                mailbox::save(s, &account, download, &change)
            })
            .map_err(|e| e.message)?;
        Ok(Some(fetched.report.map_or(0, |r| r.records.added)))
    })();
    let mut status = state.mail.status.lock().unwrap_or_else(|p| p.into_inner());
    match outcome {
        Ok(None) => {}
        Ok(Some(added)) => *status = MailStatus { fetched_at: Some(Utc::now()), added, error: None },
        Err(message) => status.error = Some(message),
    }
    let status = status.clone();
    let _ = app.emit("mail-status", &status);
    status
}

/// Fetches in the background while the app is open: shortly after it starts, then every few minutes.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(20));
        loop {
            fetch_now(&app);
            std::thread::sleep(EVERY);
        }
    });
}
