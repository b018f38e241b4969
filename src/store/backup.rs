//! Backups: consistent copies of the database (SQLite's online backup API, never a file copy),
//! made on demand, automatically before every import, undo, restore and schema migration, and once
//! a day while the app is open. They live beside the database in `<name>-backups/`, one file each,
//! named `<id>-<reason>.db` where the id is the Unix time it was made. Automatic backups rotate
//! (everything from the last two days, then the newest of each day for a week and of each week for
//! four weeks); backups made by hand are kept until deleted by hand. Part of the storage layer (the
//! store makes one before it migrates an older file); reached as `regulars::backup`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::Store;

/// Why a backup was made.
pub const MANUAL: &str = "manual";
pub const BEFORE_IMPORT: &str = "before-import";
pub const BEFORE_UNDO: &str = "before-undo";
pub const BEFORE_RESTORE: &str = "before-restore";
pub const BEFORE_MIGRATION: &str = "before-migration";
pub const DAILY: &str = "daily";
pub const BEFORE_START_OVER: &str = "before-start-over";
pub const BEFORE_MERGE: &str = "before-merge";
pub const BEFORE_SHARE: &str = "before-share";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backup {
    /// The Unix time it was made: `regulars backup restore ID`.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub path: PathBuf,
    pub size_bytes: u64,
}

/// The folder that holds a database's backups.
pub fn folder(db: &Path) -> PathBuf {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "regulars".into());
    db.with_file_name(format!("{stem}-backups"))
}

fn database_path(store: &Store) -> Result<PathBuf> {
    store.backup_home().ok_or_else(|| Error::conflict("a database held in memory has no backups"))
}

/// Starts the shop over, empty (the demo shop gone, or a wrong first import): a backup is made
/// first, and returned, so that nothing is lost that the owner may want back.
pub fn start_over(store: &mut Store, now: DateTime<Utc>) -> Result<Backup> {
    let backup = create(store, BEFORE_START_OVER, now)?;
    store.write(|w| w.clear_shop())?;
    Ok(backup)
}

/// Makes a backup now, for `reason`; rotates the automatic ones.
pub fn create(store: &Store, reason: &str, now: DateTime<Utc>) -> Result<Backup> {
    let db = database_path(store)?;
    make(store, &db, reason, now)
}

fn make(store: &Store, db: &Path, reason: &str, now: DateTime<Utc>) -> Result<Backup> {
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create the backup folder {}", dir.display()), e))?;
    sweep(&dir);
    // One id per second: a second backup in the same second takes the next free one.
    let mut id = now.timestamp();
    while list_in(&dir)?.iter().any(|b| b.id == id) {
        id += 1;
    }
    let path = dir.join(format!("{id}-{reason}.db"));
    let partial = dir.join(format!("{id}-{reason}.db.partial"));
    store.backup_to(&partial)?;
    std::fs::rename(&partial, &path).map_err(|e| Error::io(format!("cannot finish the backup {}", path.display()), e))?;
    if reason != MANUAL {
        rotate(&dir, now)?;
    }
    list_in(&dir)?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or_else(|| Error::not_found(format!("the backup {} vanished", path.display())))
}

/// What a killed or failed backup, or a reader of an old backup, left in the folder: unfinished
/// copies (`.partial`) and SQLite's side files. Only those untouched for ten minutes go, so a
/// backup that another process is making right now is left alone. Best effort.
pub fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let stale = std::time::Duration::from_secs(600);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let leftover = [".partial", ".db-wal", ".db-shm", ".db-journal", ".partial-journal", ".partial-wal", ".partial-shm"].iter().any(|s| name.ends_with(s));
        let old = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age >= stale);
        if leftover && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Before a schema migration: called by the store as it opens an older database.
pub(crate) fn before_migration(store: &Store, db: &Path, from_version: i64) -> Result<Backup> {
    // Opening is an I/O boundary with no caller to ask for the time: the file system's clock it is.
    let now = Utc::now();
    make(store, db, &format!("{BEFORE_MIGRATION}-v{from_version}"), now)
}

/// A backup before a change that replaces many rows, when the database is a file.
pub fn before(store: &Store, reason: &str, now: DateTime<Utc>) -> Result<Option<Backup>> {
    match store.backup_home() {
        Some(_) => create(store, reason, now).map(Some),
        None => Ok(None),
    }
}

/// The daily backup, if the newest one (of any kind) is a day old or more.
pub fn daily_if_due(store: &Store, now: DateTime<Utc>) -> Result<Option<Backup>> {
    let newest = list(store)?.into_iter().next();
    if newest.is_some_and(|b| now - b.at < Duration::hours(24)) {
        return Ok(None);
    }
    // The day's maintenance: the notes of changed customers trimmed too.
    store.trim_changes();
    create(store, DAILY, now).map(Some)
}

/// Every backup of this database, newest first.
pub fn list(store: &Store) -> Result<Vec<Backup>> {
    list_in(&folder(&database_path(store)?))
}

fn list_in(dir: &Path) -> Result<Vec<Backup>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot read the backup folder {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".db")) else { continue };
        let Some((id, reason)) = name.split_once('-') else { continue };
        let Ok(id) = id.parse::<i64>() else { continue };
        let Some(at) = Utc.timestamp_opt(id, 0).single() else { continue };
        let size_bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(Backup { id, at, reason: reason.to_string(), path, size_bytes });
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.id));
    Ok(out)
}

/// Which automatic backups to keep: all from the last two days, the newest of each of the last
/// seven days and of each of the last four weeks. Backups made by hand are always kept.
pub fn keep(backups: &[Backup], now: DateTime<Utc>) -> Vec<bool> {
    let mut days = std::collections::HashSet::new();
    let mut weeks = std::collections::HashSet::new();
    // `backups` is newest first, so the first seen of a day or week is its newest.
    backups
        .iter()
        .map(|b| {
            if b.reason == MANUAL || now - b.at < Duration::days(2) {
                return true;
            }
            let day = b.at.date_naive();
            let week = (b.at.iso_week().year(), b.at.iso_week().week());
            let by_day = now - b.at < Duration::days(7) && days.insert(day);
            let by_week = now - b.at < Duration::weeks(4) && weeks.insert(week);
            by_day || by_week
        })
        .collect()
}

fn rotate(dir: &Path, now: DateTime<Utc>) -> Result<()> {
    let all = list_in(dir)?;
    for (b, keep) in all.iter().zip(keep(&all, now)) {
        if !keep {
            std::fs::remove_file(&b.path).map_err(|e| Error::io(format!("cannot remove the old backup {}", b.path.display()), e))?;
        }
    }
    Ok(())
}

/// What restoring backup `id` would replace, in words, for the confirmation.
pub fn describe_restore(store: &Store, id: i64, now: DateTime<Utc>) -> Result<String> {
    let b = find(store, id)?;
    let db = database_path(store)?;
    // A shared shop's file path only names where its backups go: the shop is on the server.
    let here = match store.place() {
        Some(address) if store.is_shared() => format!("the shared shop {}", crate::store::postgres::shown_url(&address.to_string_lossy())),
        _ => db.display().to_string(),
    };
    if let Some(damage) = if store.is_shared() { None } else { check(&db)? } {
        return Ok(format!(
            "The database {} is damaged ({}). Restoring backup #{id} ({}, {}) sets the damaged file aside as {} (it is kept, not deleted) and puts the backup in its place.",
            db.display(),
            damage.problems.join("; "),
            b.at.format("%Y-%m-%d %H:%M UTC"),
            b.reason.replace('-', " "),
            damaged_copy(&db, now).display(),
        ));
    }
    let current = store.db().customer_count()?;
    let other = Store::open_backup(&b.path)?.db().customer_count()?;
    Ok(format!(
        "Restoring backup #{id} ({}, {}) replaces everything now in {here} ({current} customers) with what it held then ({other} customers). A backup of the current state is made first.",
        b.at.format("%Y-%m-%d %H:%M UTC"),
        b.reason.replace('-', " "),
    ))
}

fn find(store: &Store, id: i64) -> Result<Backup> {
    list(store)?.into_iter().find(|b| b.id == id).ok_or_else(|| Error::not_found(format!("there is no backup #{id}")))
}

/// Restores backup `id` into the open database, after backing up the current state. The write
/// lock is taken first: the safety backup holds exactly what the restore replaces, so a change
/// that another process (an import in the app) commits meanwhile is in it, never lost.
pub fn restore(store: &mut Store, id: i64, now: DateTime<Utc>) -> Result<Backup> {
    let b = find(store, id)?;
    let db = database_path(store)?;
    let place = store.place().ok_or_else(|| Error::conflict("a database held in memory has no backups"))?;
    store.announce(&format!("the restore of backup #{id}"), |store| {
        store.replace_with(&b.path, || {
            // A connection of its own: the store's holds the write lock, and sees the same state.
            let reader = Store::open_read_only(&place)?;
            make(&reader, &db, BEFORE_RESTORE, now)
        })
    })
}

/// What is wrong with a database that opened damaged, and the way back.
#[derive(Debug, Clone, Serialize)]
pub struct Damage {
    /// What SQLite's check found (a few lines).
    pub problems: Vec<String>,
    /// The newest backup that passes the check, to restore.
    pub newest_sound_backup: Option<Backup>,
}

/// Opens the database at `path` and checks it. A sound one opens as usual. A damaged one opens
/// read-only (so nothing makes it worse, and nothing is deleted) with what is wrong and the newest
/// sound backup. Only a file SQLite cannot open at all is an error.
pub fn open_checked(path: &Path) -> Result<(Store, Option<Damage>)> {
    let (store, damage) = open_quick(path)?;
    if damage.is_some() {
        return Ok((store, damage));
    }
    match check(path)? {
        None => Ok((store, None)),
        Some(damage) => {
            drop(store);
            Ok((Store::open_read_only(path)?, Some(damage)))
        }
    }
}

/// Opens the database at `path` without reading every page (checking a chain's file takes
/// seconds): a file SQLite refuses opens read-only with what is wrong; a sound-looking one opens
/// as usual, for `check` to look at in the background.
pub fn open_quick(path: &Path) -> Result<(Store, Option<Damage>)> {
    let problems = match Store::open(path) {
        Ok(store) => return Ok((store, None)),
        Err(e) if matches!(e.kind, crate::ErrorKind::Storage(_)) => vec![e.to_string()],
        Err(e) => return Err(e),
    };
    Ok((Store::open_read_only(path)?, Some(damage(path, problems)?)))
}

/// Reads every page of the database at `path` on a read-only connection of its own: `None` when
/// it is sound, else what is wrong and the newest sound backup.
pub fn check(path: &Path) -> Result<Option<Damage>> {
    let problems = match Store::open_read_only(path).and_then(|s| s.quick_check()) {
        Ok(p) if p.is_empty() => return Ok(None),
        Ok(p) => p,
        Err(e) => vec![e.to_string()],
    };
    Ok(Some(damage(path, problems)?))
}

fn damage(path: &Path, problems: Vec<String>) -> Result<Damage> {
    let newest_sound_backup = list_in(&folder(path))?
        .into_iter()
        .find(|b| Store::open_backup(&b.path).and_then(|s| s.quick_check()).is_ok_and(|p| p.is_empty()));
    Ok(Damage { problems: problems.into_iter().take(5).collect(), newest_sound_backup })
}

/// Where `recover` sets a damaged database aside.
pub fn damaged_copy(path: &Path, now: DateTime<Utc>) -> PathBuf {
    path.with_extension(format!("damaged-{}.db", now.timestamp()))
}

/// What `restore_checked` did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Restored {
    /// The database was sound: replaced under the write lock, its state kept as this backup.
    Replaced { backup_of_previous_state: Backup },
    /// The database was damaged: set aside (renamed, never deleted), the backup in its place.
    Recovered { damaged_kept_as: PathBuf },
}

/// Restores backup `id` into the database `store` has open. A sound database is replaced under
/// the write lock, after a safety backup (`restore`). A damaged one, whose pages SQLite's full
/// check does not pass (so no safety backup of it could be trusted), is set aside and the backup
/// put in its place (`recover`), as the app does. Returns the store to go on with.
pub fn restore_checked(mut store: Store, id: i64, now: DateTime<Utc>) -> Result<(Store, Restored)> {
    if store.is_shared() {
        // The server is never a damaged file: its content is replaced under its lock.
        let safety = restore(&mut store, id, now)?;
        return Ok((store, Restored::Replaced { backup_of_previous_state: safety }));
    }
    let path = database_path(&store)?;
    find(&store, id)?;
    if check(&path)?.is_none() {
        let safety = restore(&mut store, id, now)?;
        return Ok((store, Restored::Replaced { backup_of_previous_state: safety }));
    }
    drop(store);
    let store = recover(&path, id, now)?;
    Ok((store, Restored::Recovered { damaged_kept_as: damaged_copy(&path, now) }))
}

/// Replaces a damaged database at `path` with backup `id`: the damaged file is kept beside it
/// (renamed, never deleted), and the backup's content becomes the database.
pub fn recover(path: &Path, id: i64, now: DateTime<Utc>) -> Result<Store> {
    let b = list_in(&folder(path))?.into_iter().find(|b| b.id == id).ok_or_else(|| Error::not_found(format!("there is no backup #{id}")))?;
    let kept = damaged_copy(path, now);
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", path.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", kept.display()));
            std::fs::rename(&from, &to).map_err(|e| Error::io(format!("cannot set the damaged file aside as {}", to.display()), e))?;
        }
    }
    let mut store = Store::open(path)?;
    store.restore_from(&b.path)?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64, now: DateTime<Utc>, reason: &str) -> Backup {
        let at = now - Duration::days(days_ago);
        Backup { id: at.timestamp(), at, reason: reason.into(), path: PathBuf::new(), size_bytes: 0 }
    }

    #[test]
    fn rotation_keeps_recent_daily_and_weekly_and_every_manual_one() {
        let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
        let mut all: Vec<Backup> = (0..60).map(|d| at(d, now, DAILY)).collect();
        all.push(at(200, now, MANUAL));
        all.sort_by(|a, b| b.id.cmp(&a.id));
        let kept: Vec<i64> = all.iter().zip(keep(&all, now)).filter(|(_, k)| *k).map(|(b, _)| (now - b.at).num_days()).collect();
        // Days 0-6 (two days whole, then one a day), then one a week back to four weeks, and the manual one.
        assert!(kept.starts_with(&[0, 1, 2, 3, 4, 5, 6]), "{kept:?}");
        assert!(kept.iter().filter(|&&d| (7..28).contains(&d)).count() <= 3, "{kept:?}");
        assert!(!kept.iter().any(|&d| (29..200).contains(&d)), "{kept:?}");
        assert!(kept.contains(&200));
    }
}
