//! Writing customers out: JSON (the same shape every command prints) and CSV that Excel opens
//! correctly (UTF-8 with a byte-order mark, RFC 4180 quoting) and cannot be tricked into running as
//! formulas. Customers are read in pages, so an export of a million customers stays small in memory.

use std::io::Write;

use crate::error::{Error, Result};
use crate::model::{Customer, CustomerId, Platform};
use crate::store::Store;

const PAGE: u64 = 500;

/// Which customers to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    All,
    Ids(Vec<CustomerId>),
}

/// Calls `f` with each selected live customer, in name order (or the order of the ids given).
fn each_customer(store: &Store, selection: &Selection, mut f: impl FnMut(&Customer) -> Result<()>) -> Result<u64> {
    let db = store.db();
    let mut count = 0;
    match selection {
        Selection::All => {
            let mut after = None;
            loop {
                let keys = db.ids_after(after.take(), PAGE)?;
                let Some(last) = keys.last().cloned() else { break };
                let ids: Vec<CustomerId> = keys.iter().map(|(_, id)| *id).collect();
                for c in db.customers(&ids)? {
                    f(&c)?;
                    count += 1;
                }
                after = Some(last);
            }
        }
        Selection::Ids(ids) => {
            for chunk in ids.chunks(PAGE as usize) {
                for c in db.customers(chunk)? {
                    f(&c)?;
                    count += 1;
                }
            }
        }
    }
    Ok(count)
}

fn io(e: std::io::Error) -> Error {
    Error::io("cannot write the export", e)
}

/// Writes a JSON array of customers; returns how many.
pub fn write_json(store: &Store, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    out.write_all(b"[").map_err(io)?;
    let mut first = true;
    let count = each_customer(store, selection, |c| {
        out.write_all(if first { b"\n  " } else { b",\n  " }).map_err(io)?;
        first = false;
        serde_json::to_writer(&mut *out, c).map_err(|e| io(e.into()))
    })?;
    out.write_all(if first { b"]\n" } else { b"\n]\n" }).map_err(io)?;
    Ok(count)
}

pub const CSV_HEADER: &[&str] = &[
    "id", "first_name", "last_name", "display_name", "emails", "phones", "instagram", "facebook", "tiktok", "x",
    "youtube", "linkedin", "pinterest", "whatsapp", "street", "city", "region", "postal_code", "country",
    "company", "birthday", "customer_since", "tags", "notes", "consent_email", "consent_sms",
    "preferred_channel", "custom", "created_at", "updated_at",
];

/// Writes CSV for Excel and other spreadsheets; lists (emails, phones, tags) are joined with "; ".
pub fn write_csv(store: &Store, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    w.write_record(CSV_HEADER).map_err(csv_err)?;
    let count = each_customer(store, selection, |c| {
        let handle = |p: Platform| c.handles.get(&p).cloned().unwrap_or_default();
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let row = [
            c.id.to_string(), c.first_name.clone(), c.last_name.clone(), c.display_name.clone(),
            c.emails.join("; "), c.phones.join("; "),
            handle(Platform::Instagram), handle(Platform::Facebook), handle(Platform::Tiktok), handle(Platform::X),
            handle(Platform::Youtube), handle(Platform::Linkedin), handle(Platform::Pinterest), handle(Platform::Whatsapp),
            c.address.street.clone(), c.address.city.clone(), c.address.region.clone(), c.address.postal_code.clone(),
            c.address.country.clone(), c.company.clone(), date(c.birthday), date(c.customer_since),
            c.tags.join("; "), c.notes.clone(), c.consent.email.to_string(), c.consent.sms.to_string(),
            c.preferred_channel.map(|ch| ch.to_string()).unwrap_or_default(),
            if c.custom.is_empty() { String::new() } else { serde_json::to_string(&c.custom).unwrap_or_default() },
            c.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            c.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ];
        w.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned())).map_err(csv_err)
    })?;
    w.flush().map_err(io)?;
    Ok(count)
}

/// OWASP's rule against CSV injection: a cell that a spreadsheet would read as a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, which spreadsheets
/// show as text. Phone numbers such as "+44…" are affected too, and that is intended: they stay text.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_kept() {
        let cases = [("=1+1", "'=1+1"), ("+447911123456", "'+447911123456"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Ann", "Ann"), ("", ""), ("a=b", "a=b")];
        for (input, expected) in cases {
            assert_eq!(spreadsheet_safe(input), expected, "{input:?}");
        }
    }
}
