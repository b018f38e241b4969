//! Settings → "Share this shop": the shop moved to a PostgreSQL server every computer of the shop
//! uses, or the shop already there joined, or this computer's own file used again. The app then
//! works on the new place at once (no restart), and watches a shared shop for others' changes.

use chrono::Utc;
use regulars::share::{self, Looked, Server, Shared};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::{AppState, CmdResult};

/// The form as Settings shows it.
#[derive(Debug, Serialize)]
pub struct ShareView {
    /// The shared shop this computer uses (`None`: its own file).
    server: Option<Server>,
    /// Where the shop is, as it may be shown (never a password).
    place: String,
    /// This computer's own file.
    home: String,
    /// Why the shop could not be opened at launch (`None`: it is open).
    closed: Option<String>,
}

#[tauri::command]
pub async fn share_get(state: State<'_, AppState>) -> CmdResult<ShareView> {
    let place = state.db_path();
    let server = regulars::store::shared_address(&place).and_then(Server::from_url);
    let closed = state.closed.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(ShareView { server, place: crate::shown_place(&place), home: state.home.display().to_string(), closed })
}

/// Opens the shop where it is once more: a server that could not be reached at launch may answer
/// now. The view as `share_get`.
#[tauri::command]
pub async fn shop_retry(state: State<'_, AppState>) -> CmdResult<ShareView> {
    let place = state.db_path();
    let (store, damage) = tokio::task::block_in_place(|| crate::open_store(&place))
        .map_err(|message| crate::IpcError { code: "unavailable", message, fields: vec![] })?;
    state.switch_to(place, store)?;
    *state.damage.lock().unwrap_or_else(|p| p.into_inner()) = damage;
    share_get(state).await
}

/// "Test connection": what the database holds, changing nothing.
#[tauri::command]
pub async fn share_look(server: Server, password: Option<String>) -> CmdResult<Looked> {
    tokio::task::block_in_place(|| Ok(share::look(&server, password.as_deref())?))
}

/// Moves this computer's shop into the server's empty database and uses it from now on.
#[tauri::command]
pub async fn share_move(state: State<'_, AppState>, server: Server, password: Option<String>) -> CmdResult<Shared> {
    let (moved, shared) = state.with(|s| share::share_on(&regulars::store::data_folder(), s, server, password.as_deref(), Utc::now()))?;
    let place = shared.place().unwrap_or_default();
    state.switch_to(place, shared)?;
    Ok(moved)
}

/// Uses the shop already on the server (shared from another computer).
#[tauri::command]
pub async fn share_join(state: State<'_, AppState>, server: Server, password: Option<String>) -> CmdResult<ShareView> {
    let shared = tokio::task::block_in_place(|| share::join(&regulars::store::data_folder(), server, password.as_deref()))?;
    let place = shared.place().unwrap_or_default();
    state.switch_to(place, shared)?;
    share_get(state).await
}

/// This computer uses its own file again (as it was when the shop was shared); the server's shop
/// stays for the other computers, and its password leaves this computer's keychain.
#[tauri::command]
pub async fn share_leave(state: State<'_, AppState>) -> CmdResult<ShareView> {
    share::remember(&regulars::store::data_folder(), None, false)?;
    let home = state.home.clone();
    let (store, _) = tokio::task::block_in_place(|| crate::open_store(&home))
        .map_err(|message| crate::IpcError { code: "unavailable", message, fields: vec![] })?;
    state.switch_to(home, store)?;
    share_get(state).await
}

/// Watches the shared shop the app is on, whichever it is now: others' changes are told to the
/// page within a second (`shop-changed`), and an unreachable server until it answers again
/// (`shop-offline`, then `shop-online`; the watch reconnects every two seconds).
pub fn watch(handle: AppHandle) {
    std::thread::spawn(move || loop {
        let state = handle.state::<AppState>();
        let place = state.db_path();
        let Some(url) = regulars::store::shared_address(&place) else {
            std::thread::sleep(std::time::Duration::from_secs(1));
            continue;
        };
        let watched = regulars::store::postgres::watch(url, |heard| {
            let event = match heard {
                regulars::store::postgres::Heard::Connected => "shop-online",
                regulars::store::postgres::Heard::Changed => "shop-changed",
            };
            handle.emit(event, ()).is_ok() && state.db_path() == place
        });
        if let Err(e) = watched {
            if state.db_path() == place {
                let _ = handle.emit("shop-offline", e.to_string());
            }
        }
        std::thread::sleep(std::time::Duration::from_secs(2));
    });
}
