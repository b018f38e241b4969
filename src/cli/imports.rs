//! `regulars imports` and what `regulars import` prints: the history, undo, and an import's report.

use std::io::Write;

use clap::Subcommand;
use regulars::import;

#[derive(Subcommand)]
pub enum ImportsCommand {
    /// Every import, newest first
    List,
    /// Undo an import: remove the customers it added and put back those it changed
    Undo { id: i64 },
}

/// The import report for people. Written with `writeln!`, so a closed pipe is an error, not a panic.
pub fn print_import(r: &import::Report) -> std::io::Result<()> {
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

