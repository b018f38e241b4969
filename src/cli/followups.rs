//! `regulars suggest`, `suggestions`, `referral` and `segments`: what to do today, and the groups
//! of customers.

use chrono::Utc;
use std::io::Write as _;
use clap::Subcommand;
use regulars::customers::{self, Change};
use regulars::Store;
use super::output::{parse_now, print_json};

#[derive(Subcommand)]
pub enum SuggestionsCommand {
    /// Mark a suggestion done: what was sent is logged on the customer's timeline
    Done {
        id: i64,
        /// What you sent (default: the suggested words)
        #[arg(long)]
        text: Option<String>,
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Hide a suggestion until later (default: a day)
    Snooze {
        id: i64,
        /// RFC 3339
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Dismiss a suggestion: it does not come back for the same reason
    Dismiss {
        id: i64,
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Take back a dismissal or a snooze: the suggestion is open again
    Reopen { id: i64 },
}

pub fn suggest_command(store: &mut Store, now: Option<&str>, limit: usize, json: bool) -> anyhow::Result<()> {
    let now = parse_now(now)?;
    let list = regulars::followups::suggest(store, now, limit)?;
    if json {
        let out: Vec<serde_json::Value> = list
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "customer_id": s.customer_id, "customer_name": s.customer_name, "kind": s.kind,
                    "channel": s.channel, "priority": s.priority, "due": s.due, "why": s.why, "draft": s.draft,
                    "touchpoint_id": s.touchpoint_id, "marketing": s.marketing, "address": s.address, "key": s.key,
                })
            })
            .collect();
        return print_json(&out);
    }
    if list.is_empty() {
        say!("Nothing to do today.");
    }
    for s in &list {
        let channel = s.channel.map(|c| c.as_str()).unwrap_or("-");
        say!("#{:<5} {:<16} {:<20} {:<14} {}\n       {}\n       “{}”", s.id, s.kind.as_str(), s.customer_name, channel, s.due.format("%Y-%m-%d %H:%M"), s.why, s.draft);
    }
    let coming = regulars::followups::coming(store, now)?;
    if coming.marketing_later > 0 {
        let days = if coming.days == 1 { "1 day".to_string() } else { format!("{} days", coming.days) };
        say!(
            "{} more marketing suggestions wait for the coming days ({} a day: about {days}); change the pace with `regulars settings set marketing_per_day N`.",
            coming.marketing_later, coming.per_day
        );
    }
    Ok(())
}

pub fn suggestions_command(store: &mut Store, cmd: SuggestionsCommand, json: bool) -> anyhow::Result<()> {
    use regulars::followups;
    match cmd {
        SuggestionsCommand::Done { id, text, now } => {
            let now = parse_now(now.as_deref())?;
            let logged = followups::done(store, id, text.as_deref(), now)?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "status": "done", "touchpoint": logged }));
            }
            match logged {
                Some(t) => say!("done; logged {} #{} on {}", t.kind.as_str(), t.id, t.channel.as_str()),
                None => say!("done"),
            }
        }
        SuggestionsCommand::Snooze { id, until, now } => {
            let now = parse_now(now.as_deref())?;
            let until = match until {
                Some(t) => super::output::parse_time_flag(Some(&t), "--until")?,
                None => now + chrono::Duration::days(1),
            };
            followups::snooze(store, id, until, now)?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "status": "snoozed", "until": until }));
            }
            say!("snoozed #{id} until {}", until.format("%Y-%m-%d %H:%M"));
        }
        SuggestionsCommand::Dismiss { id, now } => {
            let now = parse_now(now.as_deref())?;
            followups::dismiss(store, id, now)?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "status": "dismissed" }));
            }
            say!("dismissed #{id}; take it back with `regulars suggestions reopen {id}`");
        }
        SuggestionsCommand::Reopen { id } => {
            followups::reopen(store, id)?;
            if json {
                return print_json(&serde_json::json!({ "id": id, "status": "open" }));
            }
            say!("#{id} is open again");
        }
    }
    Ok(())
}

pub fn referral_command(store: &mut Store, referred: &str, referrer: &str, change: &Change, json: bool) -> anyhow::Result<()> {
    let referred = customers::resolve(store, referred, change.region)?;
    let referrer = customers::resolve(store, referrer, change.region)?;
    regulars::insight::set_referral(store, referred, referrer, change.now, "cli")?;
    if json {
        return print_json(&serde_json::json!({ "referred": referred, "referrer": referrer }));
    }
    say!("#{referred} was referred by #{referrer}");
    Ok(())
}

#[derive(Subcommand)]
pub enum SegmentsCommand {
    /// Every segment with how many customers are in it now
    List,
    /// The customers in one segment
    Show { name: String },
    /// Save a segment: every condition given must hold
    Save {
        name: String,
        /// A label they must have (repeat): advocate, detractor, influencer, super_user, new, active, at_risk, lapsed
        #[arg(long = "label")]
        labels: Vec<String>,
        /// creator, responder or lurker
        #[arg(long)]
        role: Option<String>,
        /// Lowest spend score, 1 to 5
        #[arg(long)]
        min_value: Option<u8>,
        /// Followers at least
        #[arg(long)]
        min_reach: Option<u64>,
        /// Any of these tags (repeat)
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// Write a segment as CSV, or as a Mailchimp audience (only those who agreed to email)
    Export {
        name: String,
        #[arg(long, default_value = "csv", value_name = "csv|mailchimp")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
}

pub fn segments_command(store: &mut Store, cmd: SegmentsCommand, json: bool) -> anyhow::Result<()> {
    use regulars::segments;
    let now = Utc::now();
    match cmd {
        SegmentsCommand::List => {
            let list = segments::list(store, now)?;
            if json {
                return print_json(&list);
            }
            for s in list {
                say!("{:>6}  {}", s.count, s.name);
            }
        }
        SegmentsCommand::Show { name } => {
            let (segment, ids) = segments::show(store, &name, now)?;
            let people = store.db().summaries(&ids)?;
            if json {
                return print_json(&serde_json::json!({ "segment": segment, "customers": people }));
            }
            say!("{}: {} customers", segment.name, segment.count);
            for p in people {
                say!("#{:<6} {}", p.id, p.display_name);
            }
        }
        SegmentsCommand::Save { name, labels, role, min_value, min_reach, tags } => {
            let word = |s: &str| serde_json::Value::String(s.trim().to_lowercase().replace(['-', ' '], "_"));
            let labels = labels
                .iter()
                .map(|l| serde_json::from_value(word(l)).map_err(|_| anyhow::anyhow!("“{l}” is not a label; use advocate, detractor, influencer, super_user, new, active, at_risk or lapsed")))
                .collect::<anyhow::Result<Vec<regulars::insight::Label>>>()?;
            let role = role
                .map(|r| serde_json::from_value::<regulars::insight::Role>(word(&r)).map_err(|_| anyhow::anyhow!("“{r}” is not a role; use creator, responder or lurker")))
                .transpose()?;
            if min_value.is_some_and(|v| !(1..=5).contains(&v)) {
                anyhow::bail!("--min-value is a score from 1 to 5");
            }
            let filter = segments::Filter { labels, role, min_monetary: min_value, min_reach, tags, ..Default::default() };
            segments::save(store, &name, &filter, now)?;
            let (segment, _) = segments::show(store, &name, now)?;
            if json {
                return print_json(&segment);
            }
            say!("saved “{}”: {} customers now", segment.name, segment.count);
        }
        SegmentsCommand::Export { name, format, out } => {
            let mut sink = super::output::sink(out.as_deref())?;
            let count = match format.as_str() {
                "mailchimp" => segments::export_mailchimp(store, &name, now, &mut sink)? as u64,
                "csv" => {
                    let (_, ids) = segments::show(store, &name, now)?;
                    regulars::export::write(store, "csv", &regulars::export::Selection::Ids(ids), &mut sink)?
                }
                other => anyhow::bail!("“{other}” is not a segment export format; use csv or mailchimp"),
            };
            sink.flush()?;
            if let Some(p) = out {
                eprintln!("exported {count} customers to {}", p.display());
            }
        }
    }
    Ok(())
}
