//! Writing customers out: JSON (the same shape every command prints), CSV that Excel opens
//! correctly (UTF-8 with a byte-order mark, RFC 4180 quoting) and cannot be tricked into running as
//! formulas, XLSX (every value a text cell, so nothing runs either), and vCard for address books.
//! Customers are read in pages, so an export of a million customers stays small in memory.

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

/// Writes customers in a format named as the CLI and the app name it: json, csv, xlsx or vcf.
pub fn write(store: &Store, format: &str, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    let count = match format {
        "json" => write_json(store, selection, out)?,
        "csv" => write_csv(store, selection, out)?,
        "xlsx" => write_xlsx(store, selection, out)?,
        "vcf" => write_vcf(store, selection, out)?,
        other => return Err(Error::invalid_field("format", format!("“{other}” is not an export format; use json, csv, xlsx or vcf"))),
    };
    out.flush().map_err(io)?;
    Ok(count)
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

/// The columns of the CSV and XLSX exports (which Regulars' import reads back as they are).
pub const CSV_HEADER: &[&str] = &[
    "id", "first_name", "last_name", "display_name", "emails", "phones", "instagram", "facebook", "tiktok", "x",
    "youtube", "linkedin", "pinterest", "whatsapp", "street", "city", "region", "postal_code", "country",
    "company", "birthday", "customer_since", "last_visit", "tags", "notes", "consent_email", "consent_sms",
    "preferred_channel", "lifetime_spend", "orders_count", "custom", "created_at", "updated_at",
];

/// One customer as the cells of `CSV_HEADER`; lists (emails, phones, tags) are joined with "; ".
fn cells(c: &Customer) -> [String; 33] {
    let handle = |p: Platform| c.handles.get(&p).cloned().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    [
        c.id.to_string(), c.first_name.clone(), c.last_name.clone(), c.display_name.clone(),
        c.emails.join("; "), c.phones.join("; "),
        handle(Platform::Instagram), handle(Platform::Facebook), handle(Platform::Tiktok), handle(Platform::X),
        handle(Platform::Youtube), handle(Platform::Linkedin), handle(Platform::Pinterest), handle(Platform::Whatsapp),
        c.address.street.clone(), c.address.city.clone(), c.address.region.clone(), c.address.postal_code.clone(),
        c.address.country.clone(), c.company.clone(), date(c.birthday), date(c.customer_since), date(c.last_visit),
        c.tags.join("; "), c.notes.clone(), c.consent.email.to_string(), c.consent.sms.to_string(),
        c.preferred_channel.map(|ch| ch.to_string()).unwrap_or_default(),
        c.lifetime_spend.map(|m| m.to_string()).unwrap_or_default(),
        c.orders_count.map(|n| n.to_string()).unwrap_or_default(),
        if c.custom.is_empty() { String::new() } else { serde_json::to_string(&c.custom).unwrap_or_default() },
        c.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        c.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    ]
}

/// Writes CSV for Excel and other spreadsheets.
pub fn write_csv(store: &Store, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    w.write_record(CSV_HEADER).map_err(csv_err)?;
    let count = each_customer(store, selection, |c| {
        w.write_record(cells(c).iter().map(|cell| spreadsheet_safe(cell).into_owned())).map_err(csv_err)
    })?;
    w.flush().map_err(io)?;
    Ok(count)
}

/// Writes an Excel workbook with one sheet of customers. Every value is a text cell, so a name
/// such as `=HYPERLINK(…)` stays text; rows stream through a temporary file, not memory.
pub fn write_xlsx(store: &Store, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    let xlsx_err = |e: rust_xlsxwriter::XlsxError| io(std::io::Error::other(e.to_string()));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    sheet.set_name("Customers").map_err(xlsx_err)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, name) in CSV_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold).map_err(xlsx_err)?;
    }
    let mut row = 0u32;
    let count = each_customer(store, selection, |c| {
        row += 1;
        for (col, value) in cells(c).iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.write_string(row, col as u16, value).map_err(xlsx_err)?;
        }
        Ok(())
    })?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let bytes = book.save_to_buffer().map_err(xlsx_err)?;
    out.write_all(&bytes).map_err(io)?;
    Ok(count)
}

/// Writes vCard 3.0 cards (what Google, Apple and Outlook contacts all import).
pub fn write_vcf(store: &Store, selection: &Selection, out: &mut dyn Write) -> Result<u64> {
    each_customer(store, selection, |c| out.write_all(vcard(c).as_bytes()).map_err(io))
}

/// One customer as a vCard, lines folded at 75 octets as RFC 6350 asks.
pub fn vcard(c: &Customer) -> String {
    fn esc(s: &str) -> String {
        s.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace("\r\n", "\\n").replace('\n', "\\n")
    }
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:3.0".to_string()];
    lines.push(format!("N:{};{};;;", esc(&c.last_name), esc(&c.first_name)));
    lines.push(format!("FN:{}", esc(&c.display_name)));
    if !c.company.is_empty() {
        lines.push(format!("ORG:{}", esc(&c.company)));
    }
    for (i, e) in c.emails.iter().enumerate() {
        lines.push(format!("EMAIL;TYPE=INTERNET{}:{}", if i == 0 { ",PREF" } else { "" }, esc(e)));
    }
    for (i, p) in c.phones.iter().enumerate() {
        lines.push(format!("TEL;TYPE=CELL{}:{}", if i == 0 { ",PREF" } else { "" }, p));
    }
    let a = &c.address;
    if [&a.street, &a.city, &a.region, &a.postal_code, &a.country].iter().any(|s| !s.is_empty()) {
        lines.push(format!("ADR;TYPE=HOME:;;{};{};{};{};{}", esc(&a.street), esc(&a.city), esc(&a.region), esc(&a.postal_code), esc(&a.country)));
    }
    if let Some(b) = c.birthday {
        lines.push(format!("BDAY:{b}"));
    }
    for (platform, handle) in &c.handles {
        let url = match platform {
            Platform::Instagram => format!("https://www.instagram.com/{handle}"),
            Platform::Facebook => format!("https://www.facebook.com/{handle}"),
            Platform::Tiktok => format!("https://www.tiktok.com/@{handle}"),
            Platform::X => format!("https://x.com/{handle}"),
            Platform::Youtube => format!("https://www.youtube.com/@{handle}"),
            Platform::Linkedin => format!("https://www.linkedin.com/in/{handle}"),
            Platform::Pinterest => format!("https://www.pinterest.com/{handle}"),
            Platform::Whatsapp => format!("https://wa.me/{handle}"),
        };
        lines.push(format!("X-SOCIALPROFILE;TYPE={platform}:{url}"));
    }
    if !c.tags.is_empty() {
        lines.push(format!("CATEGORIES:{}", c.tags.iter().map(|t| esc(t)).collect::<Vec<_>>().join(",")));
    }
    if !c.notes.is_empty() {
        lines.push(format!("NOTE:{}", esc(&c.notes)));
    }
    lines.push(format!("UID:regulars-{}", c.id));
    lines.push("END:VCARD".to_string());
    let mut out = String::new();
    for line in lines {
        let mut width = 0;
        for ch in line.chars() {
            if width + ch.len_utf8() > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(ch);
            width += ch.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
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

/// One customer's whole record as CSV for a spreadsheet: the profile as field and value rows, then
/// a block of consent changes, touchpoints and purchases, each with its own heading row.
pub fn write_record_csv(record: &crate::customers::Record, out: &mut dyn Write) -> Result<()> {
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(out);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    {
        let mut row = |cells: Vec<String>| w.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned())).map_err(csv_err);
        row(vec!["profile".into(), "field".into(), "value".into()])?;
        for (field, value) in CSV_HEADER.iter().zip(cells(&record.customer)) {
            row(vec!["profile".into(), field.to_string(), value])?;
        }
        row(vec!["consent".into(), "channel".into(), "answer".into(), "at".into(), "source".into()])?;
        for e in &record.consent_history {
            row(vec!["consent".into(), e.channel.to_string(), e.status.to_string(), e.at.to_rfc3339(), e.source.clone()])?;
        }
        row(["touchpoint", "at", "channel", "kind", "direction", "text", "rating", "sentiment", "status"].map(String::from).to_vec())?;
        for t in &record.touchpoints {
            row(vec![
                "touchpoint".into(), t.at.to_rfc3339(), t.channel.to_string(), t.kind.to_string(), t.direction.to_string(),
                t.text.clone(), t.rating.map(|r| r.to_string()).unwrap_or_default(), t.sentiment_label.as_str().into(),
                t.status.to_string(),
            ])?;
        }
        row(["purchase", "at", "amount", "currency", "items", "channel", "return"].map(String::from).to_vec())?;
        for p in &record.purchases {
            row(vec![
                "purchase".into(), p.at.to_rfc3339(), p.amount.to_string(), p.currency.clone(), p.items.clone(),
                p.channel.to_string(), p.is_return.to_string(),
            ])?;
        }
    }
    w.flush().map_err(io)?;
    Ok(())
}

/// One customer's whole record as `json` or `csv`.
pub fn write_record(record: &crate::customers::Record, format: &str, out: &mut dyn Write) -> Result<()> {
    match format {
        "csv" => write_record_csv(record, out),
        "json" => {
            serde_json::to_writer_pretty(&mut *out, record).map_err(|e| io(std::io::Error::other(e.to_string())))?;
            out.write_all(b"\n").map_err(io)?;
            out.flush().map_err(io)
        }
        other => Err(crate::error::Error::invalid_field("format", format!("“{other}” is not a format for one customer's record; use json or csv"))),
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

    #[test]
    fn vcards_escape_and_fold() {
        let now = chrono::Utc::now();
        let c = Customer {
            id: 7, first_name: "Élodie".into(), last_name: "Lefèvre; Jr".into(), display_name: "Élodie Lefèvre".into(),
            emails: vec!["e@example.fr".into()], phones: vec!["+33612345678".into()], handles: [(Platform::Instagram, "elo.shop".to_string())].into(),
            address: Default::default(), company: String::new(), birthday: chrono::NaiveDate::from_ymd_opt(1990, 4, 21),
            customer_since: None, tags: vec!["VIP".into(), "a,b".into()], notes: "line one\nline two ".repeat(8),
            consent: Default::default(), preferred_channel: None, custom: Default::default(), lifetime_spend: None,
            orders_count: None, last_visit: None, first_purchase_at: None, last_purchase_at: None, created_at: now, updated_at: now,
        };
        let card = vcard(&c);
        assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lefèvre\\; Jr;Élodie;;;\r\n"), "{card}");
        assert!(card.contains("EMAIL;TYPE=INTERNET,PREF:e@example.fr\r\n"));
        assert!(card.contains("CATEGORIES:VIP,a\\,b\r\n"));
        assert!(card.contains("X-SOCIALPROFILE;TYPE=instagram:https://www.instagram.com/elo.shop"));
        assert!(card.lines().all(|l| l.trim_end_matches('\r').len() <= 75), "folded at 75 octets");
        assert!(card.contains("NOTE:line one\\nline two"));
        assert!(card.ends_with("END:VCARD\r\n"));
    }
}
