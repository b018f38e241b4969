//! `regulars backup`: make, list, check and restore copies of the database.

use anyhow::{bail, Context};
use chrono::Utc;
use clap::Subcommand;
use regulars::Store;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Make a backup now
    Create,
    /// Every backup, newest first
    List,
    /// Read every page of the database: is it sound, and if not, which backup is
    Check,
    /// Replace the database with backup ID (a backup of the current state is made first; a
    /// damaged database is set aside instead)
    Restore {
        id: i64,
        /// Do it: without this, only say what would be replaced
        #[arg(long)]
        yes: bool,
    },
}

pub fn backup_command(store: Store, cmd: BackupCommand, json: bool) -> anyhow::Result<()> {
    use regulars::backup;
    match cmd {
        BackupCommand::Create => {
            let b = backup::create(&store, backup::MANUAL, Utc::now())?;
            if json {
                super::output::print_json(&b)?;
            } else {
                say!("backup #{} made: {} ({} KB)", b.id, b.path.display(), b.size_bytes / 1024);
            }
        }
        BackupCommand::List => {
            let list = backup::list(&store)?;
            if json {
                super::output::print_json(&list)?;
            } else if list.is_empty() {
                eprintln!("no backups yet");
            }
            if !json {
                for b in list {
                    say!("#{}  {}  {:<24} {:>8} KB", b.id, b.at.format("%Y-%m-%d %H:%M:%S"), b.reason.replace('-', " "), b.size_bytes / 1024);
                }
            }
        }
        BackupCommand::Restore { id, yes } => {
            let now = Utc::now();
            if !yes {
                let what = backup::describe_restore(&store, id, now)?;
                bail!("{what}\nRun again with --yes to restore it.");
            }
            let (mut store, restored) = backup::restore_checked(store, id, now)?;
            regulars::customers::refresh_search_words(&mut store)?;
            match restored {
                backup::Restored::Replaced { backup_of_previous_state: safety } if json => {
                    say!("{}", serde_json::json!({ "restored": id, "backup_of_previous_state": safety }));
                }
                backup::Restored::Replaced { backup_of_previous_state: safety } => {
                    say!("restored backup #{id}; the state before is kept as backup #{}", safety.id);
                }
                backup::Restored::Recovered { damaged_kept_as } if json => {
                    say!("{}", serde_json::json!({ "restored": id, "damaged_kept_as": damaged_kept_as }));
                }
                backup::Restored::Recovered { damaged_kept_as } => {
                    say!("restored backup #{id}; the damaged database is kept as {}", damaged_kept_as.display());
                }
            }
        }
        BackupCommand::Check => {
            let path = store.path().map(std::path::Path::to_path_buf).context("a database in memory has nothing to check")?;
            drop(store);
            let damage = backup::check(&path)?;
            if json {
                say!("{}", serde_json::json!({ "sound": damage.is_none(), "damage": damage }));
            } else {
                match damage {
                    None => say!("{} is sound: every page passed SQLite's check", path.display()),
                    Some(d) => {
                        say!("{} is damaged:", path.display());
                        for p in &d.problems {
                            say!("  {p}");
                        }
                        match d.newest_sound_backup {
                            Some(b) => say!("the newest sound backup is #{} ({}); restore it with: regulars backup restore {} --yes", b.id, b.at.format("%Y-%m-%d %H:%M UTC"), b.id),
                            None => say!("no backup passes the check; copy the file somewhere safe before anything else"),
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
