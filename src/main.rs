//! `regulars`: the command line over the same core as the desktop app, for scripting and automation.
//! Every command that prints data takes `--json`, which prints the shared customer JSON.

/// Writes a line to standard output. A failed write (a full disk, a closed pipe) is an error that
/// says so, never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*).map_err(|e| regulars::Error::io("cannot write the output", e))?
    }};
}

mod cli_social;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::{Args, Parser, Subcommand, ValueEnum};
use regulars::customers::{self, Change};
use regulars::model::{ConsentChannel, ConsentStatus, Customer, CustomerDraft, Platform};
use regulars::normalize::{self, Region};
use regulars::{export, import, search, settings, Store};

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
    Touchpoints(cli_social::TouchpointsCommand),
    /// Record and read purchases and returns
    #[command(subcommand)]
    Purchases(cli_social::PurchasesCommand),
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
    Suggestions(cli_social::SuggestionsCommand),
    /// Saved smart filters of customers, with live counts
    #[command(subcommand)]
    Segments(cli_social::SegmentsCommand),
    /// Record who brought a customer to the shop: `referral REF --by REF`
    Referral {
        reference: String,
        #[arg(long, value_name = "REF")]
        by: String,
    },
    /// Copies of the database: make one, list them (newest first), restore one
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Score the sentiment of each line of standard input, in order: the compound score (-1 to 1)
    /// and its label; with --json, one {"compound", "label"} object a line
    Sentiment,
    /// Empty the shop (the demo shop, a wrong start) and keep its settings; a backup is made first
    StartOver {
        /// Do it: without this, only say what would go
        #[arg(long)]
        yes: bool,
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
enum BackupCommand {
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

#[derive(Subcommand)]
enum ImportsCommand {
    /// Every import, newest first
    List,
    /// Undo an import: remove the customers it added and put back those it changed
    Undo { id: i64 },
}

#[derive(Subcommand)]
enum CustomersCommand {
    /// Add a customer
    Add(Fields),
    /// Show one customer: REF is a number, email, phone, @handle, platform:handle or exact name
    Show {
        reference: String,
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// The time to judge value and labels against (RFC 3339; default: now)
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Change a customer: repeatable values are added, --remove-* takes them away
    Edit {
        reference: String,
        #[command(flatten)]
        fields: Fields,
        #[arg(long, value_name = "EMAIL")]
        remove_email: Vec<String>,
        #[arg(long, value_name = "PHONE")]
        remove_phone: Vec<String>,
        #[arg(long, value_name = "TAG")]
        remove_tag: Vec<String>,
        #[arg(long, value_name = "PLATFORM")]
        remove_handle: Vec<String>,
    },
    /// List customers by name
    List {
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Find customers by name, email, phone, handle, tag, city or notes; best match first
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_name = "CC")]
        region: Option<String>,
    },
    /// Move a customer to the trash (undo with `restore`)
    Delete { reference: String },
    /// Bring a customer back from the trash
    Restore { id: i64 },
    /// Erase a customer for good (the right to erasure): profile, touchpoints, purchases, consent
    /// record, and every trace in the database files. There is no undo.
    Erase {
        reference: String,
        /// Do it: without this, only say what would be erased
        #[arg(long)]
        yes: bool,
    },
    /// One customer's whole record (the right of access): profile, consent history, touchpoints
    /// and purchases, as JSON or CSV
    ExportOne {
        reference: String,
        #[arg(long, default_value = "json", value_name = "json|csv")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Args, Default)]
struct Fields {
    #[arg(long)]
    first_name: Option<String>,
    #[arg(long)]
    last_name: Option<String>,
    #[arg(long)]
    display_name: Option<String>,
    /// Repeat for several
    #[arg(long, value_name = "EMAIL")]
    email: Vec<String>,
    /// Repeat for several; numbers without a country code use the shop's country (see --region)
    #[arg(long, value_name = "PHONE")]
    phone: Vec<String>,
    /// Country code for the phone numbers given, instead of the shop's country
    #[arg(long, value_name = "CC")]
    region: Option<String>,
    /// PLATFORM:HANDLE (instagram:jane.doe) or a profile URL; repeat for several
    #[arg(long, value_name = "PLATFORM:HANDLE")]
    handle: Vec<String>,
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// CHANNEL=yes|no|unknown, for email or sms
    #[arg(long, value_name = "CHANNEL=ANSWER")]
    consent: Vec<String>,
    /// YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    birthday: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    customer_since: Option<String>,
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    city: Option<String>,
    /// The address's state, county or province
    #[arg(long, value_name = "REGION")]
    state: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    company: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// email, sms, phone, whatsapp, instagram, in_store, ...
    #[arg(long, value_name = "CHANNEL")]
    preferred_channel: Option<String>,
    /// KEY=VALUE; an empty value removes the field
    #[arg(long, value_name = "KEY=VALUE")]
    custom: Vec<String>,
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Print one setting, or all of them
    Get { key: Option<String> },
    /// Change a setting: `regulars settings set country GB`
    Set { key: String, value: String },
}

fn main() -> ExitCode {
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
    regulars::prepare_db_folder(&path)?;
    let mut store = Store::open(&path).with_context(|| format!("cannot open the database {}", path.display()))?;
    store.on_wait(|what| eprintln!("Waiting for {what} to finish…"));
    let locale = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).ok();
    settings::ensure_country(&mut store, locale.as_deref())?;
    regulars::customers::refresh_search_words(&mut store)?;
    let json = cli.json;
    match cli.command {
        Command::Customers(cmd) => customers_command(&mut store, cmd, json),
        Command::Export { format, out, id } => {
            let mut sink: Box<dyn Write> = match &out {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
                )),
                None => Box::new(std::io::stdout().lock()),
            };
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
                say!("{}", serde_json::to_string_pretty(&values)?);
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
            let phones_as = region.is_some().then_some(change.region);
            let options = import::Options { region: change.region, phones_as, sheet, mapping, dry_run };
            let report = import::run(&mut store, &file, &options, change.now, &mut |_| true)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_import(&report)?;
            }
            Ok(())
        }
        Command::Imports(ImportsCommand::List) => {
            let imports = import::history(&store)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&imports)?);
            } else if imports.is_empty() {
                eprintln!("no imports yet");
            } else {
                for i in imports {
                    let undone = i.undone_at.map(|t| format!("  (undone {})", t.format("%Y-%m-%d %H:%M"))).unwrap_or_default();
                    let what = match i.kind {
                        regulars::model::ImportKind::Customers => format!("{} new, {} merged", i.counts.created, i.counts.merged),
                        kind => format!("{} {} added", i.counts.created, kind.as_str()),
                    };
                    say!(
                        "#{:<4} {}  {:<32} {} rows: {what}, {} unchanged, {} rejected{undone}",
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
                say!("{}", serde_json::to_string_pretty(&undone)?);
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
        Command::Touchpoints(cmd) => {
            let change = change(&store, None)?;
            cli_social::touchpoints_command(&mut store, cmd, &change, json)
        }
        Command::Purchases(cmd) => {
            let change = change(&store, None)?;
            cli_social::purchases_command(&mut store, cmd, &change, json)
        }
        Command::Inbox { now, limit } => cli_social::inbox_command(&store, now.as_deref(), limit, json),
        Command::Timeline { reference } => {
            let change = change(&store, None)?;
            cli_social::timeline_command(&store, &reference, &change, json)
        }
        Command::Listening { days, now } => cli_social::listening_command(&store, now.as_deref(), days, json),
        Command::Suggest { now, limit } => cli_social::suggest_command(&mut store, now.as_deref(), limit, json),
        Command::Suggestions(cmd) => cli_social::suggestions_command(&mut store, cmd, json),
        Command::Segments(cmd) => cli_social::segments_command(&mut store, cmd, json),
        Command::Referral { reference, by } => {
            let change = change(&store, None)?;
            cli_social::referral_command(&mut store, &reference, &by, &change, json)
        }
        Command::ReplyTargets { kind, minutes } => cli_social::reply_targets_command(&mut store, kind, minutes, json),
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

fn backup_command(store: Store, cmd: BackupCommand, json: bool) -> anyhow::Result<()> {
    use regulars::backup;
    match cmd {
        BackupCommand::Create => {
            let b = backup::create(&store, backup::MANUAL, Utc::now())?;
            if json {
                say!("{}", serde_json::to_string_pretty(&b)?);
            } else {
                say!("backup #{} made: {} ({} KB)", b.id, b.path.display(), b.size_bytes / 1024);
            }
        }
        BackupCommand::List => {
            let list = backup::list(&store)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&list)?);
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
            let (_, restored) = backup::restore_checked(store, id, now)?;
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

// One piece: one arm per `customers` subcommand, each a parse, one core call and its output.
fn customers_command(store: &mut Store, cmd: CustomersCommand, json: bool) -> anyhow::Result<()> {
    match cmd {
        CustomersCommand::Add(fields) => {
            let change = change(store, fields.region.as_deref())?;
            let mut draft = CustomerDraft::default();
            apply(&mut draft, fields)?;
            let c = customers::create(store, &draft, &change)?;
            print_customer(store, &c, json, &format!("added #{}", c.id))
        }
        CustomersCommand::Show { reference, region, now } => {
            let change = change(store, region.as_deref())?;
            let id = customers::resolve(store, &reference, change.region)?;
            let c = customers::get(store, id)?;
            let now = match now {
                Some(t) => regulars::normalize::instant(&t).map_err(anyhow::Error::msg).context("--now")?,
                None => Utc::now(),
            };
            print_customer_at(store, &c, json, "", now)
        }
        CustomersCommand::Edit { reference, fields, remove_email, remove_phone, remove_tag, remove_handle } => {
            let change = change(store, fields.region.as_deref())?;
            let id = customers::resolve(store, &reference, change.region)?;
            let before = customers::get(store, id)?;
            let mut draft = CustomerDraft::from(&before);
            for raw in &remove_email {
                let email = normalize::email(raw).map_err(|m| anyhow::anyhow!("--remove-email: {m}"))?;
                if !draft.emails.contains(&email) {
                    bail!("--remove-email: {} has no email {email}", before.display_name);
                }
                draft.emails.retain(|e| *e != email);
            }
            for raw in &remove_phone {
                let phone = normalize::phone(raw, change.region).map_err(|m| anyhow::anyhow!("--remove-phone: {m}"))?;
                if !draft.phones.contains(&phone) {
                    bail!("--remove-phone: {} has no phone {}", before.display_name, normalize::phone_display(&phone));
                }
                draft.phones.retain(|p| *p != phone);
            }
            for tag in &remove_tag {
                let before_len = draft.tags.len();
                draft.tags.retain(|t| !t.eq_ignore_ascii_case(tag.trim()));
                if draft.tags.len() == before_len {
                    bail!("--remove-tag: {} has no tag “{tag}”", before.display_name);
                }
            }
            for platform in &remove_handle {
                let p: Platform = platform.parse().map_err(|m| anyhow::anyhow!("--remove-handle: {m}"))?;
                if draft.handles.remove(p.as_str()).is_none() {
                    bail!("--remove-handle: {} has no {p} handle", before.display_name);
                }
            }
            apply(&mut draft, fields)?;
            let c = customers::update(store, id, &draft, &change)?;
            print_customer(store, &c, json, &format!("updated #{}", c.id))
        }
        CustomersCommand::List { limit, offset } => {
            let page = store.db().list_page(offset, limit)?;
            if json {
                let ids: Vec<i64> = page.items.iter().map(|s| s.id).collect();
                say!("{}", serde_json::to_string_pretty(&store.db().customers(&ids)?)?);
            } else {
                print_summaries(&page.items)?;
                eprintln!("{} of {} customers", page.items.len(), page.total);
            }
            Ok(())
        }
        CustomersCommand::Search { query, limit, region } => {
            let change = change(store, region.as_deref())?;
            let hits = search::search(store, &query, limit, change.region)?;
            if json {
                let ids: Vec<i64> = hits.iter().map(|s| s.id).collect();
                say!("{}", serde_json::to_string_pretty(&store.db().customers(&ids)?)?);
            } else if hits.is_empty() {
                eprintln!("no customer matches “{query}”");
            } else {
                print_summaries(&hits)?;
            }
            Ok(())
        }
        CustomersCommand::Delete { reference } => {
            let region = settings::region(store)?;
            let id = customers::resolve(store, &reference, region)?;
            let c = customers::delete(store, id, Utc::now())?;
            if json {
                say!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                say!("moved {} (#{}) to the trash; undo with: regulars customers restore {}", c.display_name, c.id, c.id);
            }
            Ok(())
        }
        CustomersCommand::Restore { id } => {
            let c = customers::restore(store, id)?;
            print_customer(store, &c, json, &format!("restored #{}", c.id))
        }
        CustomersCommand::Erase { reference, yes } => {
            let region = settings::region(store)?;
            let id = customers::resolve_any(store, &reference, region)?;
            if !yes {
                let plan = customers::erase_plan(store, id)?;
                let mut said = format!(
                    "Erasing {} (#{id}) removes their profile, {} touchpoints, {} purchases and {} consent records for good; there is no undo.",
                    plan.display_name, plan.touchpoints, plan.purchases, plan.consent_records
                );
                if !plan.unlinked_touchpoints.is_empty() {
                    said.push_str(&format!(
                        "\nAlso {} touchpoints never linked to them but logged under their email, phone, handle or name.",
                        plan.unlinked_touchpoints.len()
                    ));
                }
                if !plan.mentions.is_empty() {
                    said.push_str(&format!("\n{} other touchpoints mention them and are not erased; look at them first:", plan.mentions.len()));
                    for (tid, author, excerpt) in &plan.mentions {
                        said.push_str(&format!("\n  #{tid} {author}: {excerpt}"));
                    }
                }
                bail!("{said}\nRun again with --yes to erase them.");
            }
            let erased = customers::erase(store, id, Utc::now())?;
            if json {
                say!("{}", serde_json::to_string_pretty(&erased)?);
            } else {
                say!("erased {} (#{id})", erased.display_name);
                if erased.unlinked_touchpoints > 0 {
                    say!("  with {} touchpoints logged under their details but never linked", erased.unlinked_touchpoints);
                }
                if erased.import_reports_scrubbed > 0 {
                    say!("  and what {} import reports quoted of them", erased.import_reports_scrubbed);
                }
                if erased.purge_pending {
                    say!("Another program has the database open, so an old copy of their details is still in its log file.");
                    say!("It is removed the next time Regulars opens the database (close the app, then run any regulars command).");
                }
                if !erased.older_backups.is_empty() {
                    say!("{} older backups still hold their details:", erased.older_backups.len());
                    for b in &erased.older_backups {
                        say!("  #{} {}", b.id, b.path.display());
                    }
                }
            }
            Ok(())
        }
        CustomersCommand::ExportOne { reference, format, out } => {
            let region = settings::region(store)?;
            let id = customers::resolve_any(store, &reference, region)?;
            let record = customers::record(store, id)?;
            let mut sink: Box<dyn Write> = match &out {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?)),
                None => Box::new(std::io::stdout().lock()),
            };
            export::write_record(&record, &format, &mut sink)?;
            sink.flush()?;
            Ok(())
        }
    }
}

/// Applies the command line's fields to a draft: single values replace, repeated ones are added.
fn apply(draft: &mut CustomerDraft, f: Fields) -> anyhow::Result<()> {
    let set = |slot: &mut String, value: Option<String>| {
        if let Some(v) = value {
            *slot = v;
        }
    };
    set(&mut draft.first_name, f.first_name);
    set(&mut draft.last_name, f.last_name);
    set(&mut draft.display_name, f.display_name);
    set(&mut draft.birthday, f.birthday);
    set(&mut draft.customer_since, f.customer_since);
    set(&mut draft.address.street, f.street);
    set(&mut draft.address.city, f.city);
    set(&mut draft.address.region, f.state);
    set(&mut draft.address.postal_code, f.postal_code);
    set(&mut draft.address.country, f.country);
    set(&mut draft.company, f.company);
    set(&mut draft.notes, f.notes);
    set(&mut draft.preferred_channel, f.preferred_channel);
    draft.emails.extend(f.email);
    draft.phones.extend(f.phone);
    draft.tags.extend(f.tag);
    for raw in f.handle {
        let (platform, handle) = match (normalize::platform_of_url(&raw), raw.split_once(':')) {
            (Some(p), _) => (p, raw.as_str()),
            (None, Some((p, h))) => (p.parse::<Platform>().map_err(|m| anyhow::anyhow!("--handle: {m}"))?, h),
            (None, None) => bail!("--handle: write “{raw}” as PLATFORM:HANDLE, e.g. instagram:{}", raw.trim_start_matches('@')),
        };
        draft.handles.insert(platform.as_str().to_string(), handle.to_string());
    }
    for raw in f.consent {
        let Some((channel, answer)) = raw.split_once('=') else {
            bail!("--consent: write “{raw}” as CHANNEL=yes or CHANNEL=no, e.g. email=yes");
        };
        let channel: ConsentChannel = channel.parse().map_err(|m| anyhow::anyhow!("--consent: {m}"))?;
        let status: ConsentStatus = match answer.trim().to_ascii_lowercase().as_str() {
            "y" | "true" | "1" => ConsentStatus::Yes,
            "n" | "false" | "0" => ConsentStatus::No,
            other => other.parse().map_err(|m| anyhow::anyhow!("--consent: {m}"))?,
        };
        draft.consent.set(channel, status);
    }
    for raw in f.custom {
        let Some((key, value)) = raw.split_once('=') else {
            bail!("--custom: write “{raw}” as KEY=VALUE");
        };
        if value.trim().is_empty() {
            draft.custom.remove(key.trim());
        } else {
            draft.custom.insert(key.trim().to_string(), value.to_string());
        }
    }
    Ok(())
}

fn print_customer(store: &Store, c: &Customer, json: bool, headline: &str) -> anyhow::Result<()> {
    print_customer_at(store, c, json, headline, Utc::now())
}

/// Prints a customer; their value and labels are judged as of `now`.
fn print_customer_at(store: &Store, c: &Customer, json: bool, headline: &str, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    if json {
        let mut value = serde_json::to_value(c)?;
        value["consent_history"] = serde_json::to_value(store.db().consent_history(c.id)?)?;
        if let Some(i) = regulars::insight::of_customer(store, c.id, now)? {
            value["value"] = serde_json::to_value(&i.value)?;
            value["role"] = serde_json::to_value(i.role)?;
            value["labels"] = serde_json::to_value(&i.labels)?;
            value["label_reasons"] = serde_json::to_value(&i.reasons)?;
        }
        say!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    if !headline.is_empty() {
        say!("{headline}");
    }
    say!("{} (#{})", c.display_name, c.id);
    let line = |label: &str, value: String| -> regulars::Result<()> {
        if !value.is_empty() {
            say!("  {label:<16}{value}");
        }
        Ok(())
    };
    line("email", c.emails.join(", "))?;
    line("phone", c.phones.iter().map(|p| normalize::phone_display(p)).collect::<Vec<_>>().join(", "))?;
    for (platform, handle) in &c.handles {
        line(platform.as_str(), format!("@{handle}"))?;
    }
    line("company", c.company.clone())?;
    let a = &c.address;
    let address: Vec<&str> = [&a.street, &a.city, &a.region, &a.postal_code, &a.country].into_iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    line("address", address.join(", "))?;
    line("birthday", c.birthday.map(|d| d.to_string()).unwrap_or_default())?;
    line("customer since", c.customer_since.map(|d| d.to_string()).unwrap_or_default())?;
    line("tags", c.tags.join(", "))?;
    line("consent", format!("email {}, sms {}", c.consent.email, c.consent.sms))?;
    line("prefers", c.preferred_channel.map(|p| p.to_string()).unwrap_or_default())?;
    for (k, v) in &c.custom {
        line(k, v.clone())?;
    }
    line("notes", c.notes.replace('\n', "\n                  "))?;
    Ok(())
}

/// The import report for people. Written with `writeln!`, so a closed pipe is an error, not a panic.
fn print_import(r: &import::Report) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let d = &r.detected;
    let mut what = vec![d.format.clone()];
    what.extend(d.encoding.clone());
    what.extend(d.delimiter.as_ref().map(|s| format!("“{s}”-separated")));
    what.extend(r.layout.sheet.as_ref().map(|s| format!("sheet “{s}”")));
    what.push(r.layout.header_row.map_or("no header row".to_string(), |n| format!("headers on row {n}")));
    let verb = if r.import_id.is_some() { "imported" } else { "would import (dry run, nothing changed)" };
    writeln!(out, "{verb} {} ({})", r.file_name, what.join(", "))?;
    let c = &r.counts;
    writeln!(out, "  {} rows: {} new, {} merged, {} unchanged, {} rejected", c.rows, c.created, c.merged, c.unchanged, c.rejected)?;
    if c.repeats > 0 {
        writeln!(out, "  {} rows repeat a customer of an earlier row, and were added to them", c.repeats)?;
    }
    if c.left_out > 0 {
        writeln!(out, "  {} values left out (listed below)", c.left_out)?;
    }
    let p = &r.layout.phones;
    if p.sampled > 0 {
        let why = match p.by { "choice" => "as you chose", "file" => "from the file's numbers", _ => "the shop's country" };
        writeln!(out, "  phone numbers without a country code read as {} ({why}; {} of {} valid)", p.country, p.valid, p.sampled)?;
    }
    for col in &r.layout.columns {
        let header = if col.header.is_empty() { format!("column {}", col.letter) } else { col.header.clone() };
        writeln!(out, "  {:<32} → {}", header, col.field)?;
    }
    if !r.problems.is_empty() {
        writeln!(out, "  problems ({} in all):", c.problems_total)?;
        for p in &r.problems {
            let at = if p.column.is_empty() { format!("row {}", p.row) } else { format!("row {}, {}", p.row, p.column) };
            writeln!(out, "    {at}: {}", p.message)?;
        }
    }
    if let Some(before) = &r.already_imported {
        writeln!(out, "  note: this same file was imported before, as import #{} on {}", before.id, before.at.format("%Y-%m-%d"))?;
    }
    if let Some(id) = r.import_id {
        writeln!(out, "undo with: regulars imports undo {id}")?;
    }
    Ok(())
}

fn print_summaries(items: &[regulars::model::CustomerSummary]) -> regulars::Result<()> {
    for s in items {
        say!("#{:<6} {:<28} {:<32} {:<18} {}", s.id, s.display_name, s.email.as_deref().unwrap_or(""), s.phone_display.as_deref().unwrap_or(""), s.city);
    }
    Ok(())
}
