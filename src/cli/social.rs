//! The command line's social side (part of the `regulars` binary, not the library): touchpoints,
//! purchases, the inbox, timelines, the listening overview and reply targets.

use clap::{Args, Subcommand};
use regulars::customers::{self, Change};
use regulars::listening::{self, TimelineEntry};
use regulars::model::{PurchaseDraft, ReplyStatus, Touchpoint, TouchpointDraft, TouchpointKind};
use regulars::{purchases, records, touchpoints, Store};

#[derive(Subcommand)]
pub enum TouchpointsCommand {
    /// Log a touchpoint: a review, comment, mention, DM, question, complaint, visit, call or note
    Add(TouchpointFields),
    /// Touchpoints newest first: everyone's, or one customer's
    List {
        #[arg(long, value_name = "REF")]
        customer: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Log the shop's reply to touchpoint ID and mark it replied
    Reply {
        id: i64,
        #[arg(long, default_value = "")]
        text: String,
        /// When the reply was sent (RFC 3339; default: now)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Set a touchpoint's status by hand: needs_reply or no_reply_needed
    Mark { id: i64, status: String },
    /// Correct a touchpoint's sentiment: positive, neutral or negative; `auto` gives it back to the scorer
    Sentiment { id: i64, label: String },
    /// Link a touchpoint to a customer (every other message by the same author comes along, and the
    /// profile learns the author's email, phone or handle)
    Link { id: i64, #[arg(long, value_name = "REF")] customer: String },
    /// Confirm that a message linked by name alone is that customer's
    Confirm { id: i64 },
    /// Say that a message's author is not a customer (not offered for linking again)
    NotACustomer { id: i64 },
    /// The customers a message's author most likely is, best first
    Likely { id: i64 },
    /// Make a message's author a customer: their handle, email, phone or name as the message gives
    /// it, and any field given here on top; every message by the same author comes along
    AddCustomer {
        id: i64,
        #[command(flatten)]
        fields: super::customer::Fields,
    },
    /// Who is this? Everyone who wrote and is not linked to a customer, newest first
    Unknown {
        #[arg(long, default_value_t = 100)]
        limit: u64,
    },
    /// Import touchpoints: a spreadsheet of reviews and comments, or the conversations in a
    /// platform's download (a WhatsApp chat, an Instagram or Messenger download, Google Takeout,
    /// an .mbox or .eml, an SMS backup), as a file, a zip or a folder
    Import { file: std::path::PathBuf, #[arg(long)] dry_run: bool },
}

#[derive(Args)]
pub struct TouchpointFields {
    /// The customer: id, email, phone, @handle, platform:handle or exact name
    #[arg(long, value_name = "REF")]
    customer: Option<String>,
    /// Who wrote it, when they may not be a customer yet: a handle, email, phone or name
    #[arg(long)]
    author: Option<String>,
    /// With --author: create a customer for an author nobody knows yet
    #[arg(long)]
    create_customer: bool,
    #[arg(long)]
    channel: String,
    #[arg(long)]
    kind: String,
    /// RFC 3339, e.g. 2026-11-24T15:04:00Z (default: now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[arg(long, default_value = "")]
    text: String,
    #[arg(long, value_name = "in|out")]
    direction: Option<String>,
    #[arg(long)]
    rating: Option<i64>,
    #[arg(long)]
    reach: Option<i64>,
    #[arg(long, value_name = "U")]
    url: Option<String>,
    /// needs_reply, replied or no_reply_needed (default: from the kind and sentiment)
    #[arg(long)]
    status: Option<String>,
    /// positive, neutral or negative, to overrule the scorer
    #[arg(long)]
    sentiment: Option<String>,
}

#[derive(Subcommand)]
pub enum PurchasesCommand {
    /// Record a purchase (or, with --return or a negative amount, a return)
    Add {
        #[arg(long, value_name = "REF")]
        customer: String,
        /// RFC 3339 or YYYY-MM-DD (default: now)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "")]
        currency: String,
        #[arg(long, default_value = "")]
        items: String,
        /// in_store or online
        #[arg(long, default_value = "")]
        channel: String,
        #[arg(long = "return")]
        is_return: bool,
        /// The order or transaction number, so that it is never recorded twice
        #[arg(long, value_name = "ID", default_value = "")]
        order: String,
    },
    /// One customer's purchases, newest first
    List { #[arg(long, value_name = "REF")] customer: String },
    /// Import purchases from an order or transaction export (Shopify orders, Square transactions, …)
    Import { file: std::path::PathBuf, #[arg(long)] dry_run: bool },
}

use super::output::{parse_now, print_json};

fn touchpoint_line(t: &Touchpoint) -> String {
    let who = if t.author.is_empty() { t.customer_id.map(|c| format!("#{c}")).unwrap_or_default() } else { t.author.clone() };
    let text: String = t.text.chars().take(70).collect();
    format!(
        "#{:<5} {}  {:<14} {:<9} {:<3} {:<8} {:<16} {who}  {text}",
        t.id,
        t.at.format("%Y-%m-%d %H:%M"),
        t.channel.as_str(),
        t.kind.as_str(),
        t.direction.as_str(),
        t.sentiment_label.as_str(),
        t.status.as_str(),
    )
}

// One piece: one arm per `touchpoints` subcommand, each a parse, one core call and its output.
pub fn touchpoints_command(store: &mut Store, cmd: TouchpointsCommand, change: &Change, json: bool) -> anyhow::Result<()> {
    match cmd {
        TouchpointsCommand::Add(f) => {
            let draft = TouchpointDraft {
                customer_id: None,
                customer: f.customer.unwrap_or_default(),
                author: f.author.unwrap_or_default(),
                create_customer: f.create_customer,
                channel: f.channel,
                kind: f.kind,
                direction: f.direction.unwrap_or_default(),
                text: f.text,
                url: f.url.unwrap_or_default(),
                rating: f.rating,
                reach: f.reach,
                at: f.at.unwrap_or_default(),
                status: f.status.unwrap_or_default(),
                sentiment: f.sentiment.unwrap_or_default(),
                ..TouchpointDraft::default()
            };
            let logged = touchpoints::add(store, &draft, change)?;
            if json {
                let mut value = serde_json::to_value(&logged.touchpoint)?;
                value["created_customer"] = serde_json::to_value(logged.created_customer)?;
                value["duplicate"] = logged.duplicate.into();
                return print_json(&value);
            }
            let t = &logged.touchpoint;
            let whose = match t.customer_id {
                Some(id) => format!("for {} (#{id})", customers::get(store, id)?.display_name),
                None => format!("from {} (not linked to a customer yet)", t.author),
            };
            let verb = if logged.duplicate { "already logged" } else { "logged" };
            say!("{verb} {} #{} {whose}: {} ({:+.2}), {}", t.kind.as_str(), t.id, t.sentiment_label.as_str(), t.sentiment, t.status.as_str().replace('_', " "));
            Ok(())
        }
        TouchpointsCommand::List { customer, limit } => {
            let id = customer.map(|r| customers::resolve(store, &r, change.region)).transpose()?;
            let list = touchpoints::list(store, id, limit)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                eprintln!("no touchpoints yet");
            }
            for t in &list {
                say!("{}", touchpoint_line(t));
            }
            Ok(())
        }
        TouchpointsCommand::Reply { id, text, at } => {
            let at = parse_now(at.as_deref())?;
            let reply = touchpoints::reply(store, id, &text, at, change.now)?;
            if json {
                return print_json(&reply);
            }
            say!("replied to #{id} (reply #{})", reply.id);
            Ok(())
        }
        TouchpointsCommand::Mark { id, status } => {
            let status: ReplyStatus = status.parse().map_err(anyhow::Error::msg)?;
            let t = touchpoints::set_status(store, id, status)?;
            if json {
                return print_json(&t);
            }
            say!("#{id} is now: {}", t.status.as_str().replace('_', " "));
            Ok(())
        }
        TouchpointsCommand::Sentiment { id, label } => {
            let label = match label.trim() {
                "auto" => None,
                l => Some(l.parse().map_err(anyhow::Error::msg)?),
            };
            let t = touchpoints::set_sentiment(store, id, label)?;
            if json {
                return print_json(&t);
            }
            say!("#{id} is {} ({:+.2}){}", t.sentiment_label.as_str(), t.sentiment, if t.sentiment_by_owner { ", set by you" } else { "" });
            Ok(())
        }
        TouchpointsCommand::Link { id, customer } => {
            let customer = customers::resolve(store, &customer, change.region)?;
            let linked = touchpoints::link(store, id, customer, change)?;
            if json {
                return print_json(&linked);
            }
            say!("#{id} now belongs to customer #{customer}{}", if linked.also_linked > 0 { format!(", with {} other messages by the same author", linked.also_linked) } else { String::new() });
            if let Some(key) = &linked.learned {
                say!("  {key} is on their profile now: the next message links by itself");
            }
            Ok(())
        }
        TouchpointsCommand::Confirm { id } => {
            let t = touchpoints::confirm_link(store, id)?;
            if json {
                return print_json(&t);
            }
            say!("#{id} is confirmed as customer #{}'s", t.customer_id.unwrap_or_default());
            Ok(())
        }
        TouchpointsCommand::NotACustomer { id } => {
            let t = touchpoints::not_a_customer(store, id, change)?;
            if json {
                return print_json(&t);
            }
            say!("{} is not a customer: not offered for linking again", t.author);
            Ok(())
        }
        TouchpointsCommand::Unknown { limit } => {
            let list = touchpoints::unknown_authors(store, limit)?;
            if json {
                return print_json(&list);
            }
            for u in &list {
                say!("#{:<5} {:<28} {:<14} {} messages, the last: “{}”", u.touchpoint.id, u.touchpoint.author, u.touchpoint.channel.as_str(), u.messages, u.touchpoint.text.chars().take(60).collect::<String>());
            }
            Ok(())
        }
        TouchpointsCommand::AddCustomer { id, fields } => {
            let change = &match fields.region.as_deref() {
                Some(cc) => super::change(store, Some(cc))?,
                None => change.clone(),
            };
            let mut draft = touchpoints::author_draft(store, id, change.region)?;
            super::customer::apply(&mut draft, fields)?;
            let added = touchpoints::author_as_customer(store, id, &draft, change)?;
            if json {
                return print_json(&added);
            }
            say!("Added {} (#{}) with {} of their messages", added.customer.display_name, added.customer.id, added.messages);
            Ok(())
        }
        TouchpointsCommand::Likely { id } => {
            let list = touchpoints::likely_customers(store, id, change.region, 5)?;
            if json {
                return print_json(&list);
            }
            for c in &list {
                say!("#{:<5} {}", c.id, c.display_name);
            }
            Ok(())
        }
        TouchpointsCommand::Import { file, dry_run } => {
            if regulars::conversations::recognise(&file)?.is_some() {
                let report = regulars::conversations::import(store, &file, change, dry_run)?;
                return print_conversations(&report, json);
            }
            let report = records::import_touchpoints(store, &file, change, dry_run)?;
            print_records(&report, json)
        }
    }
}

pub fn print_records(report: &records::Report, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(report);
    }
    let verb = if report.dry_run { "would add" } else { "added" };
    say!(
        "{} rows: {verb} {}, {} already there, {} rejected",
        report.rows, report.added, report.unchanged, report.rejected
    );
    if report.dry_run {
        for (header, field) in &report.columns {
            say!("  column “{header}”: {}", if field.is_empty() { "not imported" } else { field.as_str() });
        }
    }
    for p in report.problems.iter().take(50) {
        say!("  row {}{}: {}", p.row, if p.column.is_empty() { String::new() } else { format!(", {}", p.column) }, p.message);
    }
    if let Some(id) = report.import_id {
        say!("undo with: regulars imports undo {id}");
    }
    Ok(())
}

pub fn print_conversations(report: &regulars::conversations::Report, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(report);
    }
    let r = &report.records;
    let verb = if r.dry_run { "would add" } else { "added" };
    say!("{}: {} conversations, {} messages in and {} out", report.formats.join(", "), report.conversations.len(), report.messages_in, report.messages_out);
    say!("{} messages: {verb} {}, {} already there, {} rejected", r.rows, r.added, r.unchanged, r.rejected);
    for c in &report.conversations {
        let who = match (&c.customer_name, c.customer_id) {
            (Some(name), Some(id)) if c.linked_by_name => format!("{name} (#{id}, linked by name: check it)"),
            (Some(name), Some(id)) => format!("{name} (#{id})"),
            _ => "not a customer yet".to_string(),
        };
        let span = match (c.first, c.last) {
            (Some(a), Some(b)) => format!("{} to {}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
            _ => String::new(),
        };
        let waiting = if c.waiting > 0 { format!(", {} waiting for a reply", c.waiting) } else { String::new() };
        say!("  {} with {}: {who}; {} in, {} out, {span}{waiting}", c.channel.as_str(), c.with, c.messages_in, c.messages_out);
    }
    for l in &report.left_out {
        say!("  left out: {} {}", l.count, l.words);
    }
    for p in r.problems.iter().take(50) {
        say!("  {} line {}: {}", p.column, p.row, p.message);
    }
    if let Some(id) = r.import_id {
        say!("undo with: regulars imports undo {id}");
    }
    Ok(())
}

pub fn purchases_command(store: &mut Store, cmd: PurchasesCommand, change: &Change, json: bool) -> anyhow::Result<()> {
    match cmd {
        PurchasesCommand::Add { customer, at, amount, currency, items, channel, is_return, order } => {
            let draft = PurchaseDraft { customer_id: None, customer, at: at.unwrap_or_default(), amount, currency, items, channel, is_return, external_id: order };
            let (p, added) = purchases::add(store, &draft, change)?;
            if json {
                let mut value = serde_json::to_value(&p)?;
                value["duplicate"] = (!added).into();
                return print_json(&value);
            }
            let c = customers::get(store, p.customer_id)?;
            let what = if p.is_return { "return" } else { "purchase" };
            let verb = if added { "recorded" } else { "already recorded:" };
            say!("{verb} {what} #{} of {} {} for {} (#{})", p.id, p.amount, p.currency, c.display_name, c.id);
            Ok(())
        }
        PurchasesCommand::List { customer } => {
            let id = customers::resolve(store, &customer, change.region)?;
            let list = purchases::list(store, id)?;
            if json {
                return print_json(&list);
            }
            for p in &list {
                say!("#{:<5} {}  {:>10} {}  {:<8} {}", p.id, p.at.format("%Y-%m-%d"), p.amount.to_string(), p.currency, p.channel.as_str(), p.items);
            }
            Ok(())
        }
        PurchasesCommand::Import { file, dry_run } => {
            let report = records::import_purchases(store, &file, change, dry_run)?;
            print_records(&report, json)
        }
    }
}

pub fn inbox_command(store: &Store, now: Option<&str>, limit: Option<usize>, json: bool) -> anyhow::Result<()> {
    let now = parse_now(now)?;
    let inbox = listening::inbox_first(store, now, limit.unwrap_or(usize::MAX))?;
    if json {
        return print_json(&inbox);
    }
    let people: std::collections::HashSet<String> = inbox.items.iter().map(|i| i.touchpoint.customer_id.map_or_else(|| i.who.clone(), |c| c.to_string())).collect();
    match (inbox.total, people.len()) {
        (0, _) => say!("Nobody is waiting for a reply."),
        (1, _) => say!("1 message needs a reply{}.", if inbox.overdue > 0 { " (overdue)" } else { "" }),
        (n, _) if inbox.items.len() < n => say!("{n} messages need a reply ({} overdue); the {} most urgent:", inbox.overdue, inbox.items.len()),
        (n, p) => say!("{n} messages from {p} {} need a reply ({} overdue).", if p == 1 { "person" } else { "people" }, inbox.overdue),
    }
    for item in &inbox.items {
        let text: String = item.touchpoint.text.chars().take(60).collect();
        say!("#{:<5} {:<20} {:<14} {}\n       “{text}”", item.touchpoint.id, item.who, item.touchpoint.channel.as_str(), item.why);
    }
    Ok(())
}

pub fn timeline_command(store: &Store, reference: &str, change: &Change, json: bool) -> anyhow::Result<()> {
    let id = customers::resolve(store, reference, change.region)?;
    let entries = listening::timeline(store, id, 200)?;
    if json {
        return print_json(&entries);
    }
    let c = customers::get(store, id)?;
    say!("{} (#{id})", c.display_name);
    for e in &entries {
        match e {
            TimelineEntry::Touchpoint(t) => say!("  {}", touchpoint_line(t)),
            TimelineEntry::Purchase(p) => say!(
                "  {}  {} {} {} {}",
                p.at.format("%Y-%m-%d %H:%M"),
                if p.is_return { "return  " } else { "purchase" },
                p.amount,
                p.currency,
                p.items
            ),
        }
    }
    Ok(())
}

pub fn listening_command(store: &Store, now: Option<&str>, days: u32, json: bool) -> anyhow::Result<()> {
    let now = parse_now(now)?;
    let o = listening::overview(store, now, days)?;
    if json {
        return print_json(&o);
    }
    say!("Last {days} days: {} messages in ({} positive, {} neutral, {} negative); {} need a reply.", o.inbound, o.positive, o.neutral, o.negative, o.needs_reply);
    if let Some(m) = o.median_reply_minutes {
        say!("Median time to reply: {}", listening::minutes_text(m));
    }
    if !o.pain_points.is_empty() {
        let points: Vec<String> = o.pain_points.iter().map(|p| format!("{} ({})", p.phrase, p.count)).collect();
        say!("Pain points: {}", points.join(", "));
    }
    for t in o.talkers.iter().take(5) {
        say!("  {} — {} messages, reach {}", t.name, t.count, t.reach);
    }
    Ok(())
}

pub fn reply_targets_command(store: &mut Store, kind: Option<String>, minutes: Option<u32>, json: bool) -> anyhow::Result<()> {
    if let (Some(kind), Some(minutes)) = (&kind, minutes) {
        let kind: TouchpointKind = kind.parse().map_err(anyhow::Error::msg)?;
        listening::set_reply_target(store, kind, minutes)?;
    } else if kind.is_some() {
        anyhow::bail!("give the kind and the minutes: `regulars reply-targets complaint 30`");
    }
    let targets = listening::reply_targets(store)?;
    if json {
        return print_json(&targets);
    }
    for (kind, minutes) in targets {
        say!("{:<10} {}", kind.as_str(), listening::minutes_text(minutes as i64));
    }
    Ok(())
}
