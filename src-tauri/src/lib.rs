//! The desktop shell: opens the database, serves `ui/`, and exposes the core through commands.
//! Each command locks the store, calls the core, and maps the error to `{code, message, fields}`;
//! no SQL and no business rules live here.

mod mail;
mod sharing;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::Utc;
use regulars::customers::{self, Change, Profile};
use regulars::import::{self, Progress, Report, Undone};
use regulars::listening::{self, Inbox, Overview, TimelinePage};
use regulars::model::{
    Customer, CustomerDraft, CustomerId, CustomerSummary, ImportKind, ImportSummary, Page, Purchase, PurchaseDraft, ReplyStatus,
    Settings, Touchpoint, TouchpointDraft, TouchpointId, TouchpointKind,
};
use regulars::touchpoints::{self, Logged};
use regulars::{export, followups, purchases, search, segments, settings, FieldProblem, Store};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

/// What the page receives when a command fails. `code` is for branching, `message` for people,
/// `fields` for showing problems next to form fields.
#[derive(Debug, Serialize)]
pub struct IpcError {
    code: &'static str,
    message: String,
    fields: Vec<FieldProblem>,
}

impl From<regulars::Error> for IpcError {
    fn from(e: regulars::Error) -> IpcError {
        IpcError { code: e.code(), message: e.to_string(), fields: e.field_problems().to_vec() }
    }
}

type CmdResult<T> = Result<T, IpcError>;

/// The open database, or why it could not be opened (the page then says so instead of crashing).
pub struct AppState {
    store: Mutex<Store>,
    /// Why the shop could not be opened at launch (`store` is then an empty stand-in that nothing
    /// reads): every command says so until the app switches to a shop that opens (tried again,
    /// or this computer's own file).
    closed: Mutex<Option<String>>,
    /// A second connection to the same file for the heavy, read-mostly work: Today's suggestions,
    /// the dashboard and the listening overview. Recomputing those takes seconds on a chain's
    /// database; the customer list, search and the inbox must not wait behind that lock. Opened on
    /// first use; dropped (to be reopened) when a backup replaces the file.
    analysis: Mutex<Option<Store>>,
    /// Set when the database opened damaged (then read-only): what is wrong, and the way back.
    damage: Mutex<Option<regulars::backup::Damage>>,
    /// Where the shop is: its file, or its shared shop's address (changed by Settings → Share
    /// this shop while the app is open).
    place: Mutex<PathBuf>,
    /// This computer's own file: where "Stop sharing on this computer" goes back to.
    home: PathBuf,
    /// Set by `cancel_import`, read by a running import between batches (it needs no lock).
    cancel: AtomicBool,
    /// Files the person chose in the file dialog or dropped on the window, by the token the page
    /// holds for each: the page never names a path, so a page that misbehaves cannot read a file
    /// the person did not give it.
    chosen: Mutex<HashMap<String, PathBuf>>,
    /// The shop's mailbox: what its background fetch last did.
    mail: mail::Mail,
    /// A read-only connection for search and the list while the main one is busy (an import).
    reader: Mutex<Option<Store>>,
}

/// A file the person gave the app, as the page knows it: an opaque token and the file's name.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenFile {
    token: String,
    name: String,
}

impl AppState {
    /// The shop's file or address, as now.
    fn db_path(&self) -> PathBuf {
        self.place.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The app now uses `store`, found at `place`: every connection after this one is made there,
    /// and what was read of the shop before is forgotten. Off the runtime: a shared shop's
    /// connection, dropped here, stops a runtime of its own.
    fn switch_to(&self, place: PathBuf, store: Store) -> CmdResult<()> {
        tokio::task::block_in_place(|| {
            let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
            *guard = store;
            *self.place.lock().unwrap_or_else(|p| p.into_inner()) = place;
            *self.damage.lock().unwrap_or_else(|p| p.into_inner()) = None;
            *self.closed.lock().unwrap_or_else(|p| p.into_inner()) = None;
            self.reopen_analysis();
        });
        Ok(())
    }

    /// The shop's connection, unless the shop could not be opened at launch.
    fn main_store(&self) -> CmdResult<&Mutex<Store>> {
        match self.closed.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(message) => Err(IpcError { code: "unavailable", message: message.clone(), fields: vec![] }),
            None => Ok(&self.store),
        }
    }

    fn is_closed(&self) -> bool {
        self.closed.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Store) -> regulars::Result<T>) -> CmdResult<T> {
        let store = self.main_store()?;
        // Waiting for the lock (behind an import) must not hold up the runtime's few threads, or
        // nothing else (cancel, search) would run until the import ends.
        // The work runs off the runtime too: a shared shop's connection blocks as a file's does.
        tokio::task::block_in_place(|| {
            let mut guard = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            heavy_work(&mut guard, false, f).map_err(IpcError::from)
        })
    }

    /// For reads that must answer at once (search as you type, the list): on the main connection
    /// when it is free, else (an import holds it) on a read-only one, which sees what was saved
    /// before the import and answers without waiting for it.
    fn read<T>(&self, f: impl FnOnce(&mut Store) -> regulars::Result<T>) -> CmdResult<T> {
        tokio::task::block_in_place(|| self.read_now(f))
    }

    fn read_now<T>(&self, f: impl FnOnce(&mut Store) -> regulars::Result<T>) -> CmdResult<T> {
        let store = self.main_store()?;
        if let Ok(mut guard) = store.try_lock() {
            return f(&mut guard).map_err(IpcError::from);
        }
        let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        if reader.is_none() {
            *reader = Some(Store::open_read_only(&self.db_path())?);
        }
        f(reader.as_mut().expect("opened above")).map_err(IpcError::from)
    }

    /// Gives the page a token for a file the person chose or dropped.
    fn choose(&self, path: PathBuf) -> ChosenFile {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let token = format!("file-{}-{nanos:x}", NEXT.fetch_add(1, Ordering::Relaxed));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        self.chosen.lock().unwrap_or_else(|p| p.into_inner()).insert(token.clone(), path);
        ChosenFile { token, name }
    }

    /// The file behind a token, or a refusal: the page cannot name a file of its own.
    fn chosen_path(&self, token: &str) -> CmdResult<PathBuf> {
        self.chosen.lock().unwrap_or_else(|p| p.into_inner()).get(token).cloned().ok_or_else(|| IpcError {
            code: "invalid",
            message: "that file was not chosen in Regulars: choose it with “Choose a file…” or drop it on the window".into(),
            fields: vec![],
        })
    }

    /// Like `with`, on the analysis connection; on the main one while the database is damaged
    /// (then read-only, and there is one connection to reason about).
    fn analysed<T>(&self, f: impl FnOnce(&mut Store) -> regulars::Result<T>) -> CmdResult<T> {
        tokio::task::block_in_place(|| self.analysed_now(f))
    }

    fn analysed_now<T>(&self, f: impl FnOnce(&mut Store) -> regulars::Result<T>) -> CmdResult<T> {
        if self.is_closed() || self.damage.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
            return self.with(f);
        }
        let mut guard = self.analysis.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            *guard = Some(Store::open(&self.db_path())?);
        }
        heavy_work(guard.as_mut().expect("opened above"), true, f).map_err(IpcError::from)
    }

    /// After a backup replaced the file: the analysis and reading connections reopen on next use.
    fn reopen_analysis(&self) {
        // Off the runtime: a shared shop's connection, dropped here, stops a runtime of its own.
        tokio::task::block_in_place(|| {
            *self.analysis.lock().unwrap_or_else(|p| p.into_inner()) = None;
            *self.reader.lock().unwrap_or_else(|p| p.into_inner()) = None;
        });
    }
}

/// Runs `work`, then gives the memory it freed back to the system rather than holding it while
/// the app stays open: after analysis (`analysis`: Today's suggestions, the dashboard, the
/// listening overview, all seldom asked for and heavy on a big shop) always, with that connection's
/// page cache; on the main connection (the customer list, search and every edit: its cache is
/// theirs) when the work took long enough to have been heavy (an import).
fn heavy_work<T>(store: &mut Store, analysis: bool, work: impl FnOnce(&mut Store) -> T) -> T {
    let started = std::time::Instant::now();
    let value = work(store);
    if analysis {
        store.release_memory();
    }
    if analysis || started.elapsed() > std::time::Duration::from_millis(100) {
        regulars::memory::give_back_freed();
    }
    value
}

#[derive(Debug, Serialize)]
pub struct AppInfo {
    settings: Settings,
    customer_count: u64,
    db_path: String,
    damage: Option<regulars::backup::Damage>,
}

#[tauri::command]
async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let damage = state.damage.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let info = state.with(|s| {
        Ok(AppInfo {
            settings: settings::load(s)?,
            customer_count: s.db().customer_count()?,
            db_path: s.path().map(|p| p.display().to_string()).unwrap_or_default(),
            damage: damage.clone(),
        })
    });
    match (info, damage) {
        // A damaged file may not even answer these questions: the page still hears what is wrong.
        (Err(_), Some(damage)) => Ok(AppInfo {
            settings: Settings { country: "US".into(), onboarded: true, ..Settings::default() },
            customer_count: 0,
            db_path: shown_place(&state.db_path()),
            damage: Some(damage),
        }),
        (info, _) => info,
    }
}

#[tauri::command]
async fn set_setting(state: State<'_, AppState>, key: String, value: String) -> CmdResult<String> {
    state.with(|s| settings::set(s, &key, &value))
}

#[tauri::command]
async fn list_customers(state: State<'_, AppState>, offset: u64, limit: u64) -> CmdResult<Page<CustomerSummary>> {
    state.read(|s| s.db().list_page(offset, limit.min(500)))
}

#[tauri::command]
async fn search_customers(state: State<'_, AppState>, query: String, limit: usize) -> CmdResult<Vec<CustomerSummary>> {
    state.read(|s| search::search(s, &query, limit.min(500), settings::region(s)?))
}

#[tauri::command]
async fn get_customer(state: State<'_, AppState>, id: CustomerId) -> CmdResult<Profile> {
    state.with(|s| customers::profile(s, id))
}

#[tauri::command]
async fn create_customer(state: State<'_, AppState>, draft: CustomerDraft) -> CmdResult<Customer> {
    state.with(|s| customers::create(s, &draft, &Change::from_settings(s, Utc::now(), "app")?))
}

#[tauri::command]
async fn update_customer(
    state: State<'_, AppState>,
    id: CustomerId,
    draft: CustomerDraft,
    opened: Customer,
    keep: BTreeMap<String, customers::Keep>,
) -> CmdResult<Customer> {
    state.with(|s| customers::save_edit(s, id, &draft, &opened, &keep, &Change::from_settings(s, Utc::now(), "app")?))
}

#[tauri::command]
async fn delete_customer(state: State<'_, AppState>, id: CustomerId) -> CmdResult<Customer> {
    state.with(|s| customers::delete(s, id, Utc::now()))
}

/// Who the author of a message most likely is, best first.
#[tauri::command]
async fn likely_customers(state: State<'_, AppState>, id: TouchpointId) -> CmdResult<Vec<CustomerSummary>> {
    state.with(|s| touchpoints::likely_customers(s, id, settings::region(s)?, 3))
}

/// Who is this? Everyone who wrote and is not linked to a customer, newest first.
#[tauri::command]
async fn unknown_authors(state: State<'_, AppState>) -> CmdResult<Vec<touchpoints::Unknown>> {
    state.with(|s| touchpoints::unknown_authors(s, 200))
}

/// A message linked by name alone is confirmed as its customer's.
#[tauri::command]
async fn confirm_link(state: State<'_, AppState>, id: TouchpointId) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::confirm_link(s, id))
}

/// A message linked to the wrong customer goes back to its author alone.
#[tauri::command]
async fn unlink_touchpoint(state: State<'_, AppState>, id: TouchpointId) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::unlink(s, id))
}

/// The author of a message is not a customer (not offered for linking again).
#[tauri::command]
async fn not_a_customer(state: State<'_, AppState>, id: TouchpointId) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::not_a_customer(s, id, &Change::from_settings(s, Utc::now(), "app")?))
}

/// The customers who are probably one person, best first.
#[tauri::command]
async fn find_duplicates(state: State<'_, AppState>, of: Option<CustomerId>) -> CmdResult<Vec<regulars::duplicates::Group>> {
    state.with(|s| match of {
        Some(id) => regulars::duplicates::of(s, id),
        None => regulars::duplicates::find(s),
    })
}

/// Merges `others` into `keep`, the owner's picks standing field by field (a backup first).
#[tauri::command]
async fn merge_customers(state: State<'_, AppState>, keep: CustomerId, others: Vec<CustomerId>, choices: regulars::merge::Choices) -> CmdResult<regulars::merge::Merged> {
    state.with(|s| regulars::merge::merge(s, keep, &others, &choices, &Change::from_settings(s, Utc::now(), "app")?, false))
}

/// The merges into a customer that can still be taken back.
#[tauri::command]
async fn customer_merges(state: State<'_, AppState>, id: CustomerId) -> CmdResult<Vec<regulars::merge::MergeSummary>> {
    state.with(|s| regulars::merge::history(s, id))
}

/// Takes a merge back.
#[tauri::command]
async fn unmerge_customers(state: State<'_, AppState>, id: i64) -> CmdResult<regulars::merge::Unmerged> {
    state.with(|s| regulars::merge::unmerge(s, id, &Change::from_settings(s, Utc::now(), "app")?))
}

#[tauri::command]
async fn restore_customer(state: State<'_, AppState>, id: CustomerId) -> CmdResult<Customer> {
    state.with(|s| customers::restore(s, id))
}

#[tauri::command]
async fn load_demo(state: State<'_, AppState>, count: usize) -> CmdResult<usize> {
    state.with(|s| regulars::demo::load(s, count.min(5_000), 1, &Change::from_settings(s, Utc::now(), "demo")?))
}

/// What the import screen chose: the sheet and any columns mapped by hand.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImportChoice {
    sheet: Option<String>,
    /// Header (or column letter) to field name.
    mapping: Vec<(String, String)>,
    /// The country for phone numbers without a country code, when the person chose one.
    phones_as: Option<String>,
}

fn import_options(s: &Store, choice: ImportChoice, dry_run: bool) -> regulars::Result<import::Options> {
    let phones_as = match choice.phones_as.as_deref() {
        Some(code) => Some(regulars::normalize::Region::parse(code).map_err(|m| regulars::Error::invalid_field("phones_as", m))?),
        None => None,
    };
    Ok(import::Options { region: settings::region(s)?, phones_as, sheet: choice.sheet, mapping: choice.mapping, dry_run })
}

/// Asks for a file with the system's file dialog (on the main thread, as GTK requires).
/// What the person picks in the system's dialog.
enum Pick {
    /// A file to open.
    Open,
    /// A folder to open (an unzipped download).
    Folder,
    /// Where to save a file of this name.
    Save(String),
}

fn pick_file(app: &AppHandle, save: Option<String>) -> Result<Option<PathBuf>, IpcError> {
    pick(app, save.map_or(Pick::Open, Pick::Save))
}

fn pick(app: &AppHandle, what: Pick) -> Result<Option<PathBuf>, IpcError> {
    // The end-to-end tests cannot click in GTK's dialog: `REGULARS_TEST_CHOOSE` names a file whose
    // first line is the file the person picks next (taken off as it is picked; none left is a
    // cancel). It is the process's environment, which no page can set.
    if let (false, Some(queue)) = (matches!(what, Pick::Save(_)), std::env::var_os("REGULARS_TEST_CHOOSE")) {
        let text = std::fs::read_to_string(&queue).unwrap_or_default();
        let mut lines = text.lines();
        let next = lines.next().filter(|l| !l.trim().is_empty()).map(PathBuf::from);
        let rest: Vec<&str> = lines.collect();
        let _ = std::fs::write(&queue, rest.join("\n"));
        return Ok(next);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        let dialog = rfd::FileDialog::new();
        let picked = match what {
            Pick::Save(name) => dialog.set_file_name(name).save_file(),
            Pick::Folder => dialog.pick_folder(),
            Pick::Open => dialog
                .add_filter("Spreadsheets, chats and downloads", &["csv", "tsv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods", "zip", "json", "mbox", "eml", "xml"])
                .add_filter("All files", &["*"])
                .pick_file(),
        };
        let _ = tx.send(picked);
    })
    .map_err(|e| IpcError { code: "unavailable", message: format!("the file dialog could not open: {e}"), fields: vec![] })?;
    Ok(rx.recv().unwrap_or(None))
}

#[tauri::command]
async fn choose_import_file(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<ChosenFile>> {
    Ok(pick_file(&app, None)?.map(|p| state.choose(p)))
}

/// A folder to import from (an unzipped Instagram download or Google Takeout), chosen in the dialog.
#[tauri::command]
async fn choose_import_folder(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<ChosenFile>> {
    Ok(pick(&app, Pick::Folder)?.map(|p| state.choose(p)))
}

#[tauri::command]
async fn import_fields() -> CmdResult<Vec<&'static str>> {
    Ok(import::layout::Field::all().into_iter().map(|f| f.name()).collect())
}

#[tauri::command]
async fn countries() -> CmdResult<Vec<(&'static str, &'static str)>> {
    Ok(regulars::countries::all())
}

/// Runs an import (or its preview) off the async runtime's threads; the page hears its progress.
fn import_blocking(app: &AppHandle, file: String, choice: ImportChoice, dry_run: bool, progress: Option<Channel<Progress>>) -> CmdResult<Report> {
    let state = app.state::<AppState>();
    let path = state.chosen_path(&file)?;
    state.cancel.store(false, Ordering::Relaxed);
    state.with(|s| {
        let options = import_options(s, choice, dry_run)?;
        import::run(s, &path, &options, Utc::now(), &mut |p| {
            if let Some(channel) = &progress {
                let _ = channel.send(p);
            }
            !state.cancel.load(Ordering::Relaxed)
        })
    })
}

#[tauri::command]
async fn preview_import(app: AppHandle, file: String, choice: ImportChoice, on_progress: Channel<Progress>) -> CmdResult<Report> {
    tauri::async_runtime::spawn_blocking(move || import_blocking(&app, file, choice, true, Some(on_progress)))
        .await
        .map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?
}

#[tauri::command]
async fn run_import(app: AppHandle, file: String, choice: ImportChoice, on_progress: Channel<Progress>) -> CmdResult<Report> {
    tauri::async_runtime::spawn_blocking(move || import_blocking(&app, file, choice, false, Some(on_progress)))
        .await
        .map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?
}

/// What a chosen file holds: customers, reviews and messages (touchpoints), or orders (purchases).
#[tauri::command]
async fn import_kind(state: State<'_, AppState>, file: String) -> CmdResult<regulars::ingest::Holds> {
    let path = state.chosen_path(&file)?;
    tauri::async_runtime::spawn_blocking(move || regulars::ingest::holds(&path).map_err(IpcError::from))
        .await
        .map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?
}

/// Previews (`dry_run`) or imports a file of reviews and messages, or of orders.
#[tauri::command]
async fn import_records(app: AppHandle, file: String, kind: ImportKind, dry_run: bool) -> CmdResult<regulars::records::Report> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let path = state.chosen_path(&file)?;
        state.with(|s| regulars::records::import_records(s, &path, kind, &Change::from_settings(s, Utc::now(), "import")?, dry_run))
    })
    .await
    .map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?
}

/// Previews (`dry_run`) or imports the conversations in a chat export, a platform's download, a
/// mailbox or a text backup.
#[tauri::command]
async fn import_conversations(app: AppHandle, file: String, dry_run: bool) -> CmdResult<regulars::conversations::Report> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let path = state.chosen_path(&file)?;
        state.with(|s| regulars::conversations::import(s, &path, &Change::from_settings(s, Utc::now(), "import")?, dry_run))
    })
    .await
    .map_err(|e| IpcError { code: "unavailable", message: e.to_string(), fields: vec![] })?
}

#[tauri::command]
async fn cancel_import(state: State<'_, AppState>) -> CmdResult<()> {
    state.cancel.store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command]
async fn list_imports(state: State<'_, AppState>) -> CmdResult<Vec<ImportSummary>> {
    state.with(|s| import::history(s))
}

#[tauri::command]
async fn undo_import(state: State<'_, AppState>, id: i64) -> CmdResult<Undone> {
    state.with(|s| import::undo(s, id, Utc::now(), settings::region(s)?))
}

/// Asks where to save, then writes every customer there; `None` when the person cancelled.
/// The file the person chose to save to, created (or emptied) and buffered.
fn create_file(path: &std::path::Path) -> regulars::Result<std::io::BufWriter<std::fs::File>> {
    let file = std::fs::File::create(path).map_err(|e| regulars::Error::io(format!("cannot create {}", path.display()), e))?;
    Ok(std::io::BufWriter::new(file))
}

#[tauri::command]
async fn export_customers(app: AppHandle, format: String) -> CmdResult<Option<u64>> {
    let name = format!("regulars-customers-{}.{format}", Utc::now().format("%Y-%m-%d"));
    let Some(path) = pick_file(&app, Some(name))? else { return Ok(None) };
    let state = app.state::<AppState>();
    state.with(|s| {
        export::write(s, &format, &export::Selection::All, &mut create_file(&path)?).map(Some)
    })
}

/// The customers of a segment, or of one label (`{"labels": ["advocate"]}`): how many, and the first.
#[tauri::command]
async fn segment_members(state: State<'_, AppState>, filter: segments::Filter, limit: usize) -> CmdResult<segments::Members> {
    state.analysed(|s| segments::members_of(s, &filter, limit.min(500), Utc::now()))
}

/// Saves a segment's customers where the person chooses: a newsletter audience (only those who
/// agreed to email) or a spreadsheet.
#[tauri::command]
async fn export_segment(app: AppHandle, filter: segments::Filter, name: String, newsletter: bool) -> CmdResult<Option<u64>> {
    let plain: String = name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let file = format!("regulars-{}{}-{}.csv", plain.trim_matches('-'), if newsletter { "-newsletter" } else { "" }, Utc::now().format("%Y-%m-%d"));
    let Some(path) = pick_file(&app, Some(file))? else { return Ok(None) };
    let state = app.state::<AppState>();
    state.with(|s| {
        segments::export_filtered(s, &filter, newsletter, Utc::now(), &mut create_file(&path)?).map(Some)
    })
}

fn invalid(field: &str, message: String) -> regulars::Error {
    regulars::Error::invalid_field(field, message)
}

#[tauri::command]
async fn log_touchpoint(state: State<'_, AppState>, draft: TouchpointDraft) -> CmdResult<Logged> {
    state.with(|s| touchpoints::add(s, &draft, &Change::from_settings(s, Utc::now(), "app")?))
}

/// Links a touchpoint to a customer the owner recognises as its author.
#[tauri::command]
async fn link_touchpoint(state: State<'_, AppState>, id: i64, customer: CustomerId) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::link(s, id, customer, &Change::from_settings(s, Utc::now(), "app")?).map(|l| l.touchpoint))
}

/// A touchpoint's author as a new customer's draft, for the owner to complete.
#[tauri::command]
async fn author_draft(state: State<'_, AppState>, id: i64) -> CmdResult<CustomerDraft> {
    state.with(|s| touchpoints::author_draft(s, id, settings::region(s)?))
}

/// Makes a touchpoint's author a new customer, as the owner completed the draft.
#[tauri::command]
async fn author_as_customer(state: State<'_, AppState>, id: i64, draft: CustomerDraft) -> CmdResult<touchpoints::AddedAuthor> {
    state.with(|s| touchpoints::author_as_customer(s, id, &draft, &Change::from_settings(s, Utc::now(), "app")?))
}

#[tauri::command]
async fn inbox(state: State<'_, AppState>, limit: usize) -> CmdResult<Inbox> {
    state.with(|s| listening::inbox_first(s, Utc::now(), limit))
}

#[tauri::command]
async fn reply_touchpoint(state: State<'_, AppState>, id: TouchpointId, text: String) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::reply(s, id, &text, Utc::now(), Utc::now()))
}

#[tauri::command]
async fn set_touchpoint_status(state: State<'_, AppState>, id: TouchpointId, status: String) -> CmdResult<Touchpoint> {
    state.with(|s| touchpoints::set_status(s, id, status.parse::<ReplyStatus>().map_err(|m| invalid("status", m))?))
}

/// `label`: positive, neutral or negative; empty gives the sentiment back to the scorer.
#[tauri::command]
async fn set_touchpoint_sentiment(state: State<'_, AppState>, id: TouchpointId, label: String) -> CmdResult<Touchpoint> {
    state.with(|s| {
        let label = match label.trim() {
            "" => None,
            l => Some(l.parse().map_err(|m| invalid("sentiment", m))?),
        };
        touchpoints::set_sentiment(s, id, label)
    })
}

#[tauri::command]
async fn timeline(state: State<'_, AppState>, id: CustomerId, offset: u64) -> CmdResult<TimelinePage> {
    state.with(|s| listening::timeline_page(s, id, offset, 200))
}

#[tauri::command]
async fn listening_overview(state: State<'_, AppState>, days: u32) -> CmdResult<Overview> {
    state.analysed(|s| listening::overview(s, Utc::now(), days))
}

#[tauri::command]
async fn reply_targets(state: State<'_, AppState>) -> CmdResult<std::collections::BTreeMap<TouchpointKind, u32>> {
    state.with(|s| listening::reply_targets(s))
}

#[tauri::command]
async fn set_reply_target(state: State<'_, AppState>, kind: String, minutes: u32) -> CmdResult<()> {
    state.with(|s| listening::set_reply_target(s, kind.parse().map_err(|m| invalid("kind", m))?, minutes))
}

#[tauri::command]
async fn add_purchase(state: State<'_, AppState>, draft: PurchaseDraft) -> CmdResult<Purchase> {
    state.with(|s| purchases::add(s, &draft, &Change::from_settings(s, Utc::now(), "app")?).map(|(p, _)| p))
}

#[tauri::command]
async fn suggestions(state: State<'_, AppState>, limit: usize) -> CmdResult<Vec<followups::Suggestion>> {
    state.analysed(|s| followups::suggest(s, Utc::now(), limit.min(500)))
}

/// `text`: what was sent, as edited; the outbound touchpoint logged is returned.
#[tauri::command]
async fn suggestion_done(state: State<'_, AppState>, id: i64, text: String) -> CmdResult<Option<Touchpoint>> {
    state.analysed(|s| followups::done(s, id, Some(&text), Utc::now()))
}

#[tauri::command]
async fn suggestion_snooze(state: State<'_, AppState>, id: i64, hours: u32) -> CmdResult<()> {
    state.analysed(|s| followups::snooze(s, id, Utc::now() + chrono::Duration::hours(hours.clamp(1, 24 * 60) as i64), Utc::now()))
}

#[tauri::command]
async fn suggestion_reopen(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.analysed(|s| followups::reopen(s, id))
}

/// What waits beyond today's list: marketing past the day's budget.
#[tauri::command]
async fn suggestions_coming(state: State<'_, AppState>) -> CmdResult<followups::Coming> {
    state.analysed(|s| followups::coming(s, Utc::now()))
}

#[tauri::command]
async fn suggestion_dismiss(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.analysed(|s| followups::dismiss(s, id, Utc::now()))
}

/// Opens a customer's address (email, text, profile) with the system's own app, after the core has
/// checked it.
#[tauri::command]
async fn open_address(address: String) -> CmdResult<()> {
    let address = followups::checked_address(&address)?;
    open::that_detached(&address)
        .map_err(|e| IpcError { code: "unavailable", message: format!("no app opened {address}: {e}"), fields: vec![] })
}

#[tauri::command]
async fn dashboard(state: State<'_, AppState>) -> CmdResult<segments::Dashboard> {
    state.analysed(|s| segments::dashboard(s, Utc::now()))
}

/// Empties the shop and keeps its settings; the backup made first is returned.
#[tauri::command]
async fn start_over(state: State<'_, AppState>) -> CmdResult<regulars::backup::Backup> {
    state.with(|s| regulars::backup::start_over(s, Utc::now()))
}

#[tauri::command]
async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<regulars::backup::Backup>> {
    state.with(|s| regulars::backup::list(s))
}

#[tauri::command]
async fn create_backup(state: State<'_, AppState>) -> CmdResult<regulars::backup::Backup> {
    state.with(|s| regulars::backup::create(s, regulars::backup::MANUAL, Utc::now()))
}

/// What restoring backup `id` would replace, in words, for the confirmation.
#[tauri::command]
async fn describe_restore(state: State<'_, AppState>, id: i64) -> CmdResult<String> {
    state.with(|s| regulars::backup::describe_restore(s, id, Utc::now()))
}

/// Restores backup `id` (the current state is backed up first); returns that safety backup.
#[tauri::command]
async fn restore_backup(state: State<'_, AppState>, id: i64) -> CmdResult<regulars::backup::Backup> {
    let safety = state.with(|s| regulars::share::restore(s, id, Utc::now()))?;
    state.reopen_analysis();
    Ok(safety)
}

/// Sets one marketing consent: `channel` email or sms, `status` yes, no or unknown.
#[tauri::command]
async fn set_consent(state: State<'_, AppState>, id: CustomerId, channel: String, status: String) -> CmdResult<Customer> {
    state.with(|s| {
        let channel = channel.parse().map_err(|m| invalid("channel", m))?;
        let status = status.parse().map_err(|m| invalid("status", m))?;
        customers::set_consent(s, id, channel, status, &Change::from_settings(s, Utc::now(), "app")?)
    })
}

/// Erases a customer for good; the answer names the backups that still hold them.
#[tauri::command]
async fn erase_customer(state: State<'_, AppState>, id: CustomerId) -> CmdResult<customers::Erased> {
    state.with(|s| customers::erase(s, id, Utc::now()))
}

/// Asks where to save, then writes one customer's whole record there (JSON or CSV).
#[tauri::command]
async fn export_customer_record(app: AppHandle, id: CustomerId, format: String) -> CmdResult<bool> {
    let name = format!("customer-{id}-record.{}", if format == "csv" { "csv" } else { "json" });
    let Some(path) = pick_file(&app, Some(name))? else { return Ok(false) };
    let state = app.state::<AppState>();
    state.with(|s| {
        let record = customers::record(s, id)?;
        export::write_record(&record, &format, &mut create_file(&path)?)?;
        Ok(true)
    })
}

/// Replaces a damaged database with a backup (the damaged file is set aside, never deleted).
#[tauri::command]
async fn recover_from_backup(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    let store = state.main_store()?;
    let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
    *guard = regulars::backup::recover(&state.db_path(), id, Utc::now())?;
    *state.damage.lock().unwrap_or_else(|p| p.into_inner()) = None;
    state.reopen_analysis();
    Ok(())
}

/// A file's path, or a shared shop's address without its password.
pub(crate) fn shown_place(path: &std::path::Path) -> String {
    match regulars::store::shared_address(path) {
        Some(url) => regulars::store::postgres::shown_url(url),
        None => path.display().to_string(),
    }
}

/// The database named by `--db PATH`, else `REGULARS_DB`, else the default shared with the CLI.
fn db_path() -> PathBuf {
    let args: Vec<String> = std::env::args().collect();
    let explicit = args.iter().position(|a| a == "--db").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from);
    regulars::db_path(explicit, std::env::var_os(regulars::DB_ENV))
}

/// Opens the database (the full check of every page follows in the background, see `run`); one
/// SQLite refuses, or that fails its first write, is checked now and opens read-only with what is
/// wrong.
pub(crate) fn open_store(path: &std::path::Path) -> Result<(Store, Option<regulars::backup::Damage>), String> {
    let cannot = |e: regulars::Error| format!("Regulars could not open its database {}: {e}", shown_place(path));
    regulars::prepare_db_folder(path).map_err(cannot)?;
    let (mut store, damage) = regulars::backup::open_quick(path).map_err(cannot)?;
    if damage.is_none() {
        let locale = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).ok();
        let ready = settings::ensure_country(&mut store, locale.as_deref()).and_then(|_| customers::refresh_search_words(&mut store).map(|_| ()));
        if let Err(e) = ready {
            drop(store);
            return match regulars::backup::open_checked(path).map_err(cannot)? {
                (store, Some(damage)) => Ok((store, Some(damage))),
                (_, None) => Err(e.to_string()),
            };
        }
    }
    Ok((store, damage))
}

// One piece: the app's setup (database, background checks, file drops) and the list of its commands.
pub fn run() {
    let _ = regulars::memory::few_arenas();
    let db_path = db_path();
    let (store, damage, closed) = match open_store(&db_path) {
        Ok((store, damage)) => (store, damage, None),
        Err(message) => {
            eprintln!("{message}");
            (Store::open_in_memory().expect("an empty shop in memory"), None, Some(message))
        }
    };
    let home = if regulars::store::shared_address(&db_path).is_some() { regulars::default_db_path() } else { db_path.clone() };
    let state = AppState {
        store: Mutex::new(store),
        closed: Mutex::new(closed),
        analysis: Mutex::new(None),
        damage: Mutex::new(damage),
        place: Mutex::new(db_path),
        home,
        cancel: AtomicBool::new(false),
        chosen: Mutex::new(HashMap::new()),
        reader: Mutex::new(None),
        mail: mail::Mail::default(),
    };
    tauri::Builder::default()
        .manage(state)
        // Files dropped on the window become tokens here; the page hears their names and tokens.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                let files: Vec<ChosenFile> = paths.iter().cloned().map(|p| state.choose(p)).collect();
                let _ = window.emit("files-dropped", files);
            }
        })
        .setup(|app| {
            // New mail, fetched in the background while the app is open.
            mail::start(app.handle().clone());
            // Every page of the file is checked in the background (seconds on a chain's file, so
            // not before the first screen), after the search index is read into the cache. Damage
            // found switches the app to read-only and tells the page, which shows the way back.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let state = handle.state::<AppState>();
                if state.is_closed() || state.damage.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
                    return;
                }
                // The search index first (as-you-type must be quick from the first letter on a
                // file the system has not cached), then every page.
                let place = state.db_path();
                let _ = Store::open_read_only(&place).and_then(|s| s.db().warm_search());
                let check = regulars::backup::check(&place);
                regulars::memory::give_back_freed();
                let Ok(Some(damage)) = check else { return };
                if let Ok(read_only) = Store::open_read_only(&place) {
                    *state.store.lock().unwrap_or_else(|p| p.into_inner()) = read_only;
                }
                state.reopen_analysis();
                *state.damage.lock().unwrap_or_else(|p| p.into_inner()) = Some(damage.clone());
                let _ = handle.emit("damage-found", damage);
            });
            // A shared shop: others' changes show within a second, and an unreachable server is
            // said plainly until it answers again (the watch reconnects every two seconds). The
            // shop may become shared (or stop being) while the app is open.
            sharing::watch(app.handle().clone());
            // The daily backup while the app is open: checked a minute after start (not in the way
            // of the first screen), then every hour.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
                let state = handle.state::<AppState>();
                if let Err(e) = state.with(|s| regulars::backup::daily_if_due(s, Utc::now())) {
                    eprintln!("the daily backup failed: {}", e.message);
                }
                std::thread::sleep(std::time::Duration::from_secs(3540));
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            set_setting,
            list_customers,
            search_customers,
            get_customer,
            create_customer,
            update_customer,
            delete_customer,
            restore_customer,
            load_demo,
            choose_import_file,
            preview_import,
            run_import,
            cancel_import,
            import_kind,
            import_records,
            import_conversations,
            choose_import_folder,
            find_duplicates,
            likely_customers,
            unknown_authors,
            confirm_link,
            unlink_touchpoint,
            not_a_customer,
            merge_customers,
            customer_merges,
            unmerge_customers,
            mail::mailbox_get,
            mail::mailbox_set,
            mail::mailbox_forget,
            mail::mailbox_fetch,
            sharing::share_get,
            sharing::share_look,
            sharing::share_move,
            sharing::share_join,
            sharing::share_leave,
            sharing::shop_retry,
            list_imports,
            undo_import,
            import_fields,
            countries,
            export_customers,
            log_touchpoint,
            inbox,
            reply_touchpoint,
            set_touchpoint_status,
            set_touchpoint_sentiment,
            timeline,
            listening_overview,
            reply_targets,
            set_reply_target,
            add_purchase,
            suggestions,
            suggestion_done,
            suggestion_snooze,
            suggestion_dismiss,
            suggestion_reopen,
            segment_members,
            link_touchpoint,
            author_draft,
            author_as_customer,
            start_over,
            export_segment,
            suggestions_coming,
            dashboard,
            open_address,
            erase_customer,
            export_customer_record,
            recover_from_backup,
            set_consent,
            list_backups,
            create_backup,
            describe_restore,
            restore_backup,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Regulars could not start its window: {e}");
            std::process::exit(1);
        });
}
