//! `regulars customers`: add, show, edit, search, delete, restore, erase and export one customer.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use chrono::Utc;
use clap::{Args, Subcommand};
use regulars::customers::{self};
use regulars::model::{ConsentChannel, ConsentStatus, Customer, CustomerDraft, Platform};
use regulars::normalize::{self};
use regulars::{export, search, settings, Store};

use super::*;

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Add a customer
    Add(Fields),
    /// Groups of customers who are probably one person, best first, with the reasons
    Duplicates {
        /// Only those who are probably the same person as this customer (REF)
        #[arg(long, value_name = "REF")]
        of: Option<String>,
    },
    /// Merge customers who are one person into the first (a backup first); prints {merge_id, customer}
    Merge {
        /// The customer kept (number, email, phone, @handle or exact name)
        keep: String,
        /// The customers merged into it
        #[arg(required = true)]
        others: Vec<String>,
        /// FIELD=REF: whose value stands for a field (first_name, last_name, display_name, company,
        /// address, birthday, preferred_channel, or a platform's handle); default: the fuller, the newer
        #[arg(long, value_name = "FIELD=REF")]
        pick: Vec<String>,
        /// Show what the merge would make, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Take a merge back: each customer as they were, each message and purchase where it came from
    Unmerge { merge_id: i64 },
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
pub struct Fields {
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
    pub(super) region: Option<String>,
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

// One piece: one arm per `customers` subcommand, each a parse, one core call and its output.
pub fn customers_command(store: &mut Store, cmd: CustomersCommand, json: bool) -> anyhow::Result<()> {
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
            let now = super::output::parse_now(now.as_deref())?;
            print_customer_at(store, &c, json, "", now)
        }
        CustomersCommand::Edit { reference, fields, remove_email, remove_phone, remove_tag, remove_handle } => {
            let change = change(store, fields.region.as_deref())?;
            let id = customers::resolve(store, &reference, change.region)?;
            let before = customers::get(store, id)?;
            let mut draft = CustomerDraft::from(&before);
            let removals = customers::Removals { emails: remove_email, phones: remove_phone, tags: remove_tag, platforms: remove_handle };
            customers::remove_from(&mut draft, &before, &removals, change.region)?;
            apply(&mut draft, fields)?;
            let c = customers::update(store, id, &draft, &change)?;
            print_customer(store, &c, json, &format!("updated #{}", c.id))
        }
        CustomersCommand::List { limit, offset } => {
            let page = store.db().list_page(offset, limit)?;
            if json {
                let ids: Vec<i64> = page.items.iter().map(|s| s.id).collect();
                super::output::print_json(&store.db().customers(&ids)?)?;
            } else {
                print_summaries(&page.items)?;
                eprintln!("{} of {} customers", page.items.len(), page.total);
            }
            Ok(())
        }
        CustomersCommand::Merge { keep, others, pick, dry_run } => {
            let change = change(store, None)?;
            let keep = customers::resolve(store, &keep, change.region)?;
            let others = others.iter().map(|r| customers::resolve(store, r, change.region)).collect::<regulars::Result<Vec<_>>>()?;
            let mut choices = regulars::merge::Choices::new();
            for p in pick {
                let Some((field, who)) = p.split_once('=') else { anyhow::bail!("--pick: write “{p}” as FIELD=REF, e.g. first_name=12") };
                choices.insert(field.trim().to_string(), customers::resolve(store, who, change.region)?);
            }
            let merged = regulars::merge::merge(store, keep, &others, &choices, &change, dry_run)?;
            if json {
                return super::output::print_json(&merged);
            }
            let c = &merged.customer;
            let verb = if dry_run { "would merge" } else { "merged" };
            let names: Vec<String> = merged.merged.iter().map(|id| format!("#{id}")).collect();
            say!("{verb} {} into {} (#{}): {} messages and {} purchases moved", names.join(", "), c.display_name, c.id, merged.touchpoints_moved, merged.purchases_moved);
            say!("  emails: {}; phones: {}", c.emails.join(", "), c.phones.join(", "));
            if let Some(id) = merged.merge_id {
                say!("take it back with: regulars customers unmerge {id}");
            }
            Ok(())
        }
        CustomersCommand::Unmerge { merge_id } => {
            let change = change(store, None)?;
            let undone = regulars::merge::unmerge(store, merge_id, &change)?;
            if json {
                return super::output::print_json(&undone);
            }
            let names: Vec<String> = undone.customers.iter().map(|c| format!("{} (#{})", c.display_name, c.id)).collect();
            say!("took merge #{merge_id} back: {}", names.join(", "));
            if undone.touchpoints_kept + undone.purchases_kept > 0 {
                say!("  {} messages and {} purchases logged since the merge stay on {}", undone.touchpoints_kept, undone.purchases_kept, names[0]);
            }
            if undone.kept_edits {
                say!("  {} was changed after the merge: their details stay as they are now", names[0]);
            }
            Ok(())
        }
        CustomersCommand::Duplicates { of } => {
            let groups = match of {
                Some(reference) => {
                    let id = customers::resolve(store, &reference, settings::region(store)?)?;
                    regulars::duplicates::of(store, id)?
                }
                None => regulars::duplicates::find(store)?,
            };
            if json {
                return super::output::print_json(&groups);
            }
            if groups.is_empty() {
                say!("no customers look like one person");
            }
            for g in &groups {
                let who: Vec<String> = g.customers.iter().map(|m| format!("#{} {}", m.id, m.display_name)).collect();
                say!("{} (score {})", who.join(" · "), g.score);
                for reason in &g.reasons {
                    say!("  {reason}");
                }
            }
            Ok(())
        }
        CustomersCommand::Search { query, limit, region } => {
            let change = change(store, region.as_deref())?;
            let hits = search::search(store, &query, limit, change.region)?;
            if json {
                let ids: Vec<i64> = hits.iter().map(|s| s.id).collect();
                super::output::print_json(&store.db().customers(&ids)?)?;
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
                super::output::print_json(&c)?;
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
                super::output::print_json(&erased)?;
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
                if let Some(beyond) = &erased.beyond_reach {
                    say!("{beyond}");
                }
            }
            Ok(())
        }
        CustomersCommand::ExportOne { reference, format, out } => {
            let region = settings::region(store)?;
            let id = customers::resolve_any(store, &reference, region)?;
            let record = customers::record(store, id)?;
            let mut sink = super::output::sink(out.as_deref())?;
            export::write_record(&record, &format, &mut sink)?;
            sink.flush()?;
            Ok(())
        }
    }
}

/// Applies the command line's fields to a draft: single values replace, repeated ones are added.
pub(super) fn apply(draft: &mut CustomerDraft, f: Fields) -> anyhow::Result<()> {
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

pub fn print_customer(store: &Store, c: &Customer, json: bool, headline: &str) -> anyhow::Result<()> {
    print_customer_at(store, c, json, headline, Utc::now())
}

/// Prints a customer; their value and labels are judged as of `now`.
fn print_customer_at(store: &Store, c: &Customer, json: bool, headline: &str, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    if json {
        return super::output::print_json(&regulars::insight::document(store, c.clone(), now)?);
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

/// One line per customer: number, name, email, phone, town.
pub fn print_summaries(items: &[regulars::model::CustomerSummary]) -> regulars::Result<()> {
    for s in items {
        say!("#{:<6} {:<28} {:<32} {:<18} {}", s.id, s.display_name, s.email.as_deref().unwrap_or(""), s.phone_display.as_deref().unwrap_or(""), s.city);
    }
    Ok(())
}

