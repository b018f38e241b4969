//! `regulars`: the command line over the same core as the desktop app, for scripting and automation.
//! Every command that prints data takes `--json`. One module per command group: `customer`,
//! `imports` (import, imports, export), `backup`, `social` (touchpoints, purchases, inbox, timeline,
//! listening, reply targets) and `followups` (suggest, suggestions, referral, segments); `output`
//! holds what they all print with.

#[macro_use]
mod output;
mod backup;
mod customer;
mod followups;
mod imports;
mod mailbox;
mod share;
mod social;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::{Parser, Subcommand, ValueEnum};
use regulars::customers::Change;
use regulars::normalize::Region;
use regulars::{export, import, settings, Store};

use backup::{backup_command, BackupCommand};
use customer::{customers_command, CustomersCommand};
use imports::{print_import, ImportsCommand};

#[derive(Parser)]
#[command(name = "regulars", version, about = "Regulars: know your customers, in store and on social media")]
struct Cli {
    /// The database file (default: $REGULARS_DB, else the same file the desktop app uses)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, show, edit, list, search and delete customers
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Write customers to a file (or standard output): all of them, or those given with --id
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// The file to write; standard output if left out
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only these customers (repeat, or separate with commas)
        #[arg(long, value_name = "ID", value_delimiter = ',')]
        id: Vec<i64>,
    },
    /// Import customers from a spreadsheet: CSV or other delimited text, XLSX, XLS, XLSB or ODS
    Import {
        file: PathBuf,
        /// Country for phone numbers without a country code (default: the shop's country)
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// The sheet to read (default: the one that looks like a customer list)
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// "Header=field" to choose a column's field yourself (repeat); fields: first_name,
        /// last_name, full_name, email, phone, instagram, …, tags, notes, ignore, custom
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        map: Vec<String>,
        /// Show what the import would do, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// The history of imports, and undoing one
    #[command(subcommand)]
    Imports(ImportsCommand),
    /// Read or change the shop's settings (country, shop_name)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Log and read touchpoints: reviews, comments, messages, visits, calls
    #[command(subcommand)]
    Touchpoints(social::TouchpointsCommand),
    /// Record and read purchases and returns
    #[command(subcommand)]
    Purchases(social::PurchasesCommand),
    /// Who is waiting for a reply, most urgent first
    Inbox {
        /// The time to measure waiting against (RFC 3339; default: now)
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        /// Show only the N most urgent (the counts still cover everyone)
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// A customer's touchpoints and purchases together, newest first
    Timeline { reference: String },
    /// What people are saying: volume, sentiment, topics, pain points, reply times
    Listening {
        #[arg(long, default_value_t = 90)]
        days: u32,
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Show the reply target per kind of touchpoint, or set one: `reply-targets complaint 30`
    ReplyTargets { kind: Option<String>, minutes: Option<u32> },
    /// What to do today: who to answer, thank, check on, win back…, most important first
    Suggest {
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Act on a suggestion: done, snooze or dismiss
    #[command(subcommand)]
    Suggestions(followups::SuggestionsCommand),
    /// Saved smart filters of customers, with live counts
    #[command(subcommand)]
    Segments(followups::SegmentsCommand),
    /// Record who brought a customer to the shop: `referral REF --by REF`
    Referral {
        reference: String,
        #[arg(long, value_name = "REF")]
        by: String,
    },
    /// Copies of the database: make one, list them (newest first), restore one
    #[command(subcommand)]
    Backup(BackupCommand),
    /// The shop's mailbox: set it up, and fetch its new mail into conversations
    #[command(subcommand)]
    Mailbox(mailbox::MailboxCommand),
    /// Score the sentiment of each line of standard input, in order: the compound score (-1 to 1)
    /// and its label; with --json, one {"compound", "label"} object a line
    Sentiment,
    /// Empty the shop (the demo shop, a wrong start) and keep its settings; a backup is made first
    StartOver {
        /// Do it: without this, only say what would go
        #[arg(long)]
        yes: bool,
    },
    /// Share this shop through a PostgreSQL database every computer of the shop can use (`--to
    /// URL`: the file is backed up and left as it was), or make a new local file of a shared shop
    /// (`--db URL share --back FILE`)
    Share {
        /// The empty PostgreSQL database to move this shop into: postgres://user@server/database
        #[arg(long, value_name = "URL", required_unless_present = "back", conflicts_with = "back")]
        to: Option<String>,
        /// The new file to make of the shared shop given with --db
        #[arg(long, value_name = "FILE")]
        back: Option<PathBuf>,
    },
    /// Fill the database with a made-up demo shop
    Demo {
        /// How many customers (1 to 1,000,000)
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=regulars::demo::MAX_COUNT as u64))]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Vcf,
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Print one setting, or all of them
    Get { key: Option<String> },
    /// Change a setting: `regulars settings set country GB`
    Set { key: String, value: String },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<regulars::Error>().is_some_and(regulars::Error::is_broken_pipe) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<regulars::Error>().map(|e| e.field_problems()) {
                Some(problems) if problems.len() > 1 => {
                    eprintln!("error: {} problems:", problems.len());
                    for p in problems {
                        eprintln!("  {}: {}", p.field, p.message);
                    }
                }
                _ => eprintln!("error: {err:#}"),
            }
            if err.chain().any(|e| e.downcast_ref::<regulars::Error>().is_some_and(regulars::Error::is_damage)) {
                eprintln!("The database looks damaged. `regulars backup check` says what is wrong and which backup is sound;");
                eprintln!("`regulars backup restore ID --yes` puts that backup in its place and keeps the damaged file beside it.");
            }
            ExitCode::FAILURE
        }
    }
}

// One piece: opening the database, then one arm per command, each a parse and a call.
fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Sentiment = cli.command {
        return sentiment_lines(cli.json);
    }
    let path = regulars::db_path(cli.db, std::env::var_os(regulars::DB_ENV));
    let url = path.to_str().filter(|p| regulars::store::postgres::is_url(p)).map(str::to_string);
    match (&cli.command, url.clone()) {
        (Command::Share { back: Some(file), .. }, Some(url)) => return share::back(&url, file, cli.json),
        (Command::Share { back: Some(_), .. }, None) => bail!("--back brings a shared shop back: give its address with --db postgres://…"),
        _ => {}
    }
    regulars::prepare_db_folder(&path)?;
    let shown = url.as_deref().map_or_else(|| path.display().to_string(), regulars::store::postgres::shown_url);
    let mut store = Store::open(&path).with_context(|| format!("cannot open the database {shown}"))?;
    store.on_wait(|what| eprintln!("Waiting for {what} to finish…"));
    let locale = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).ok();
    settings::ensure_country(&mut store, locale.as_deref())?;
    regulars::customers::refresh_search_words(&mut store)?;
    let json = cli.json;
    match cli.command {
        Command::Customers(cmd) => customers_command(&mut store, cmd, json),
        Command::Export { format, out, id } => {
            let mut sink = output::sink(out.as_deref())?;
            let selection = if id.is_empty() { export::Selection::All } else { export::Selection::Ids(id) };
            let name = format.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
            let count = export::write(&store, &name, &selection, &mut sink)?;
            sink.flush()?;
            if let Some(p) = out {
                eprintln!("exported {count} customers to {}", p.display());
            }
            Ok(())
        }
        Command::Settings(SettingsCommand::Get { key }) => {
            let keys: Vec<&str> = match &key {
                Some(k) => vec![k.as_str()],
                None => settings::KEYS.iter().map(|(k, _)| *k).collect(),
            };
            let mut values = BTreeMap::new();
            for k in keys {
                values.insert(k.to_string(), settings::get(&store, k)?);
            }
            if json {
                output::print_json(&values)?;
            } else if let (Some(k), 1) = (&key, values.len()) {
                say!("{}", values[k]);
            } else {
                for (k, v) in values {
                    say!("{k} = {v}");
                }
            }
            Ok(())
        }
        Command::Settings(SettingsCommand::Set { key, value }) => {
            let stored = settings::set(&mut store, &key, &value)?;
            if json {
                say!("{}", serde_json::json!({ key: stored }));
            } else {
                say!("{key} = {stored}");
            }
            Ok(())
        }
        Command::Import { file, region, sheet, map, dry_run } => {
            let change = change(&store, region.as_deref())?;
            let mut mapping = Vec::new();
            for m in map {
                let Some((header, field)) = m.rsplit_once('=') else {
                    bail!("--map: write “{m}” as HEADER=FIELD, e.g. \"E-mail=email\"");
                };
                mapping.push((header.to_string(), field.to_string()));
            }
            // A file of reviews and messages, or of orders, goes where it belongs (with no
            // --map or --sheet, which only a customer list takes).
            if mapping.is_empty() && sheet.is_none() {
                use regulars::ingest::Holds;
                let holds = regulars::ingest::holds(&file)?;
                if !json && holds != Holds::Customers {
                    let what = match holds {
                        Holds::Purchases => "orders",
                        Holds::Touchpoints => "reviews and messages",
                        _ => "conversations",
                    };
                    eprintln!("{} holds {what}: importing them as such", file.display());
                }
                match holds {
                    Holds::Conversations => {
                        let report = regulars::conversations::import(&mut store, &file, &change, dry_run)?;
                        return social::print_conversations(&report, json);
                    }
                    Holds::Touchpoints | Holds::Purchases => {
                        let kind = if holds == Holds::Purchases { regulars::model::ImportKind::Purchases } else { regulars::model::ImportKind::Touchpoints };
                        let report = regulars::records::import_records(&mut store, &file, kind, &change, dry_run)?;
                        return social::print_records(&report, json);
                    }
                    Holds::Customers => {}
                }
            }
            let phones_as = region.is_some().then_some(change.region);
            let options = import::Options { region: change.region, phones_as, sheet, mapping, dry_run };
            let report = import::run(&mut store, &file, &options, change.now, &mut |_| true)?;
            if json {
                output::print_json(&report)?;
            } else {
                print_import(&report)?;
            }
            Ok(())
        }
        Command::Imports(ImportsCommand::List) => {
            let imports = import::history(&store)?;
            if json {
                output::print_json(&imports)?;
            } else if imports.is_empty() {
                eprintln!("no imports yet");
            } else {
                for i in imports {
                    let undone = i.undone_at.map(|t| format!("  (undone {})", t.format("%Y-%m-%d %H:%M"))).unwrap_or_default();
                    let by = if i.done_by.is_empty() { String::new() } else { format!("  by {}", i.done_by) };
                    let what = match i.kind {
                        regulars::model::ImportKind::Customers => format!("{} new, {} merged", i.counts.created, i.counts.merged),
                        kind => format!("{} {} added", i.counts.created, kind.as_str()),
                    };
                    say!(
                        "#{:<4} {}  {:<32} {} rows: {what}, {} unchanged, {} rejected{by}{undone}",
                        i.id, i.at.format("%Y-%m-%d %H:%M"), i.file_name, i.counts.rows, i.counts.unchanged, i.counts.rejected
                    );
                }
            }
            Ok(())
        }
        Command::Imports(ImportsCommand::Undo { id }) => {
            let region = settings::region(&store)?;
            let undone = import::undo(&mut store, id, Utc::now(), region)?;
            if json {
                output::print_json(&undone)?;
            } else {
                match undone.kind {
                    regulars::model::ImportKind::Customers => {
                        say!("undid import #{id}: removed {} customers it added, restored {} it changed", undone.removed, undone.restored)
                    }
                    kind => say!("undid import #{id}: took away the {} {} it added", undone.records, kind.as_str()),
                }
            }
            Ok(())
        }
        Command::Sentiment => sentiment_lines(json),
        Command::Backup(cmd) => backup_command(store, cmd, json),
        Command::Mailbox(cmd) => {
            let change = change(&store, None)?;
            mailbox::mailbox_command(&mut store, cmd, &change, json)
        }
        Command::Touchpoints(cmd) => {
            let change = change(&store, None)?;
            social::touchpoints_command(&mut store, cmd, &change, json)
        }
        Command::Purchases(cmd) => {
            let change = change(&store, None)?;
            social::purchases_command(&mut store, cmd, &change, json)
        }
        Command::Inbox { now, limit } => social::inbox_command(&store, now.as_deref(), limit, json),
        Command::Timeline { reference } => {
            let change = change(&store, None)?;
            social::timeline_command(&store, &reference, &change, json)
        }
        Command::Listening { days, now } => social::listening_command(&store, now.as_deref(), days, json),
        Command::Suggest { now, limit } => followups::suggest_command(&mut store, now.as_deref(), limit, json),
        Command::Suggestions(cmd) => followups::suggestions_command(&mut store, cmd, json),
        Command::Segments(cmd) => followups::segments_command(&mut store, cmd, json),
        Command::Referral { reference, by } => {
            let change = change(&store, None)?;
            followups::referral_command(&mut store, &reference, &by, &change, json)
        }
        Command::ReplyTargets { kind, minutes } => social::reply_targets_command(&mut store, kind, minutes, json),
        Command::StartOver { yes } => {
            let customers = store.db().customer_count()?;
            if !yes {
                say!("starting over removes all {customers} customers, what they said and bought, and the import history; the settings stay. A backup is made first. Run again with --yes to do it.");
                return Ok(());
            }
            let backup = regulars::backup::start_over(&mut store, Utc::now())?;
            if json {
                say!("{}", serde_json::json!({ "removed": customers, "backup": backup }));
            } else {
                say!("started over: {customers} customers removed; backup #{} holds them (regulars backup restore {})", backup.id, backup.id);
            }
            Ok(())
        }
        Command::Share { to, .. } => share::to(&store, to.as_deref().unwrap_or_default(), json),
        Command::Demo { count, seed } => {
            let change = change(&store, None)?;
            let created = regulars::demo::load(&mut store, count as usize, seed, &change)?;
            if json {
                say!("{}", serde_json::json!({ "created": created }));
            } else {
                say!("added {created} demo customers");
            }
            Ok(())
        }
    }
}

/// Scores standard input line by line, in order, without opening the database.
fn sentiment_lines(json: bool) -> anyhow::Result<()> {
    use std::io::BufRead;
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.split(b'\n') {
        let line = line.context("cannot read standard input")?;
        let text = String::from_utf8_lossy(&line);
        let s = regulars::sentiment::score(text.trim_end_matches('\r'));
        if json {
            serde_json::to_writer(&mut out, &s)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{:.4}\t{}", s.compound, s.label.as_str())?;
        }
    }
    out.flush()?;
    Ok(())
}

fn change(store: &Store, region: Option<&str>) -> anyhow::Result<Change> {
    let region = match region {
        Some(cc) => Region::parse(cc).map_err(|m| anyhow::anyhow!("--region: {m}"))?,
        None => settings::region(store)?,
    };
    Ok(Change { now: Utc::now(), region, source: "cli".into() })
}

