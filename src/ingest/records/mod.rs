//! Bulk import of touchpoints (review and comment exports) and purchases (Shopify order exports,
//! Square transaction exports, a shop's own sales sheet), through the same engine as the customer
//! import: its reading (`import::read`: formats, encodings, delimiters, workbooks), its layout
//! (`import::layout::records`: headings in seven languages, else values), its values
//! (`import::values`) and a row builder per kind (`rows`). Each row becomes a draft and goes
//! through the same checks as one logged by hand; a row that fails is reported by
//! its number and column and the rest still import. Everything lands in one transaction (or, with
//! `dry_run`, is rehearsed and rolled back). Importing the same file again adds nothing: purchases
//! are known by their order number, touchpoints by their fingerprint.

pub mod rows;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::customers::{self, Change};
use crate::error::{Error, ErrorKind, Result};
use crate::import::layout::records::{self as layout, Col};
use crate::import::read::{self, Cell, Row};
use crate::import::Problem;
use crate::model::{CustomerId, ImportCounts, ImportId, ImportKind, PurchaseDraft};
use crate::store::{Store, WriteDb};
use crate::{purchases, touchpoints};
use rows::Fields;

/// What a bulk import did: `rows = added + unchanged + rejected`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The import's number in the history (`imports undo ID` takes it back); none for a preview.
    pub import_id: Option<crate::model::ImportId>,
    pub rows: u64,
    pub added: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub problems: Vec<Problem>,
    /// Each column's header and the field it was read as ("" when ignored).
    pub columns: Vec<(String, String)>,
    /// The file's first rows as text, column by column, for the preview.
    pub sample: Vec<Vec<String>>,
    pub dry_run: bool,
}

/// A file's column mapping, its header texts, its data rows, and what the history records of the
/// file (its hash and format).
type Table = (Vec<Option<Col>>, Vec<String>, Vec<Row>, FileFacts);

/// The file's SHA-256 and format, for the import history.
pub(crate) struct FileFacts {
    pub(crate) hash: String,
    pub(crate) format: String,
}

/// Reads a file's rows: the heading row is the first of the first 20 rows that names at least two
/// of the kind's fields (`layout::find_heading`), the sheet the first whose rows have one; columns
/// whose heading says nothing are read by their values (`layout::by_values`).
fn read_table(path: &Path, kind: ImportKind) -> Result<Table> {
    let mut source = read::open(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rows: Vec<Row> = match source.workbook.take() {
        Some(book) => {
            let index = (0..book.names().len())
                .find(|&i| book.sample(i, 20).iter().any(|r| layout::is_heading(kind, r)))
                .ok_or_else(|| Error::invalid_field("file", format!("no sheet of {name} has a header row naming its columns")))?;
            book.into_rows(index).0.collect::<Result<_>>()?
        }
        None => std::mem::replace(&mut source.rows, Box::new(std::iter::empty())).collect::<Result<_>>()?,
    };
    let header_at = layout::find_heading(kind, &rows).ok_or_else(|| {
        let known = layout::field_names(kind);
        Error::invalid_field("file", format!("{name} has no header row naming at least two of: {}", known.join(", ")))
    })?;
    let header = &rows[header_at];
    let mut mapping = layout::by_heading(kind, &header.cells);
    let headers: Vec<String> = header.cells.iter().map(|c| c.text().trim().to_string()).collect();
    let body: Vec<Row> = rows.into_iter().skip(header_at + 1).filter(|r| !r.cells.iter().all(Cell::is_empty)).collect();
    layout::by_values(kind, &mut mapping, &body);
    let hash = source.hash.lock().unwrap_or_else(|p| p.into_inner()).clone().unwrap_or_default();
    Ok((mapping, headers, body, FileFacts { hash, format: source.detected.format.clone() }))
}

/// The first rows of the file as text, as wide as its heading row.
fn sample(rows: &[Row], width: usize) -> Vec<Vec<String>> {
    rows.iter().take(5).map(|r| (0..width).map(|i| r.cells.get(i).map(cell_text).unwrap_or_default()).collect()).collect()
}

/// A cell as text (a workbook's dates as RFC 3339).
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Date(d) => d.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        other => other.text().trim().to_string(),
    }
}

/// What a file holds, from its headings: each kind counts the headings only it uses (an amount, the
/// items and a refund for orders; what was said, stars, followers and a link for reviews and
/// messages; names, addresses, birthdays and consent for customers), and the most wins; a tie is
/// a customer list. Orders need an amount, and reviews and messages what was said or stars.
pub fn kind_of(path: &Path) -> Result<ImportKind> {
    use crate::import::layout::{field_of_header, Field};
    let mut source = read::open(path)?;
    let rows: Vec<Row> = match source.workbook.take() {
        Some(book) => book.sample(0, 20),
        None => std::mem::replace(&mut source.rows, Box::new(std::iter::empty())).take(20).collect::<Result<_>>()?,
    };
    let mut best = (0, ImportKind::Customers);
    for row in &rows {
        let purchase = layout::by_heading(ImportKind::Purchases, &row.cells);
        let said = layout::by_heading(ImportKind::Touchpoints, &row.cells);
        let count = |mapping: &[Option<Col>], cols: &[Col]| mapping.iter().flatten().filter(|c| cols.contains(c)).count();
        let customer = row
            .cells
            .iter()
            .filter_map(|c| field_of_header(&c.text()))
            .filter(|f| matches!(f, Field::FirstName | Field::LastName | Field::Birthday | Field::Street | Field::City | Field::PostalCode
                | Field::EmailConsent | Field::SmsConsent | Field::Tags | Field::Company | Field::CustomerSince))
            .count();
        let orders = count(&purchase, &[Col::Amount, Col::Items, Col::Refunded]);
        let messages = count(&said, &[Col::Text, Col::Rating, Col::Reach, Col::Url]);
        if purchase.contains(&Some(Col::Amount)) && orders > customer && orders > best.0 {
            best = (orders, ImportKind::Purchases);
        }
        if (said.contains(&Some(Col::Text)) || said.contains(&Some(Col::Rating))) && messages > customer && messages > best.0 {
            best = (messages, ImportKind::Touchpoints);
        }
        if customer >= best.0 && customer > 0 {
            best = (customer, ImportKind::Customers);
        }
    }
    Ok(best.1)
}

/// Imports a file of reviews and messages, or of orders, as `kind` says.
pub fn import_records(store: &mut Store, path: &Path, kind: ImportKind, change: &Change, dry_run: bool) -> Result<Report> {
    match kind {
        ImportKind::Touchpoints => import_touchpoints(store, path, change, dry_run),
        ImportKind::Purchases => import_purchases(store, path, change, dry_run),
        ImportKind::Customers => Err(Error::invalid_field("kind", "a customer list is imported with import::run")),
    }
}

/// The row's value of each field, as text (workbook dates as ISO), with the header it came from.
fn fields_of<'a>(row: &Row, mapping: &[Option<Col>], headers: &'a [String]) -> Fields<'a> {
    let mut out = HashMap::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let (Some(Some(field)), Some(header)) = (mapping.get(i), headers.get(i)) else { continue };
        let text = cell_text(cell);
        if !text.is_empty() {
            out.insert(*field, (text, header.as_str()));
        }
    }
    out
}

fn columns(mapping: &[Option<Col>], headers: &[String]) -> Vec<(String, String)> {
    headers.iter().zip(mapping).map(|(h, f)| (h.clone(), f.map_or("", Col::name).to_string())).collect()
}

/// Imports touchpoints: each row through `rows::touchpoint`, then into the one transaction.
pub fn import_touchpoints(store: &mut Store, path: &Path, change: &Change, dry_run: bool) -> Result<Report> {
    let (mapping, headers, rows, facts) = read_table(path, ImportKind::Touchpoints)?;
    let mut report = Report { columns: columns(&mapping, &headers), sample: sample(&rows, headers.len()), dry_run, ..Report::default() };
    let mut drafts = Vec::new();
    for row in &rows {
        report.rows += 1;
        match rows::touchpoint(row.number, &fields_of(row, &mapping, &headers), change) {
            (Some(draft), problems) => {
                report.problems.extend(problems);
                drafts.push((row.number, draft));
            }
            (None, problems) => {
                report.rejected += 1;
                report.problems.extend(problems);
            }
        }
    }
    let unit = Unit { kind: ImportKind::Touchpoints, file_name: file_name(path), facts, dry_run, now: change.now, backup_first: true };
    apply(store, &unit, &mut report, |w, import_id| {
        let mut outcome = Outcome::default();
        for (number, draft) in &drafts {
            match w.attempt(|w| touchpoints::log(w, draft, change)) {
                Ok(logged) if logged.duplicate => outcome.unchanged += 1,
                Ok(logged) => {
                    w.mark_imported(ImportKind::Touchpoints, logged.touchpoint.id, import_id)?;
                    outcome.added += 1;
                }
                Err(e) if matches!(e.kind, ErrorKind::Invalid(_)) => outcome.reject(*number, &e),
                Err(e) => return Err(e),
            }
        }
        Ok(outcome)
    })?;
    Ok(report)
}

#[derive(Default, Clone)]
pub(crate) struct Outcome {
    pub(crate) added: u64,
    pub(crate) unchanged: u64,
    pub(crate) rejected: Vec<Problem>,
    /// Problems in `rejected` beyond the first of their row.
    extra_rejections: u64,
}

impl Outcome {
    /// A row not imported, for the problems its builder found (one row, one rejection).
    fn reject_with(&mut self, problems: &[Problem]) {
        self.rejected.extend(problems.iter().cloned());
        self.extra_rejections += problems.len().saturating_sub(1) as u64;
    }

    fn reject(&mut self, row: u64, e: &Error) {
        match e.field_problems() {
            [] => self.rejected.push(Problem::error(row, "", e.to_string())),
            problems => {
                let column = problems[0].field.clone();
                let message = problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ");
                self.rejected.push(Problem::error(row, &column, message));
            }
        }
    }

    fn into_report(self, report: &mut Report) {
        report.added = self.added;
        report.unchanged = self.unchanged;
        report.rejected += self.rejected.len() as u64 - self.extra_rejections;
        report.problems.extend(self.rejected);
        report.problems.sort_by_key(|p| p.row);
    }
}

/// One import as the history records it.
pub(crate) struct Unit {
    pub(crate) kind: ImportKind,
    pub(crate) file_name: String,
    pub(crate) facts: FileFacts,
    pub(crate) dry_run: bool,
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// A backup before it (every file import; a mailbox's few new mails go without).
    pub(crate) backup_first: bool,
}

/// Runs `f` (given the import's number) in one transaction with the import's record: every row of
/// the file lands, or (killed, failed) none does; with `dry_run` the same transaction is rolled
/// back, so a preview is exactly what the import does. The report gets the outcome's counts and
/// its number in the history.
pub(crate) fn apply(store: &mut Store, unit: &Unit, report: &mut Report, f: impl FnOnce(&WriteDb<'_>, ImportId) -> Result<Outcome>) -> Result<()> {
    let work = |w: &WriteDb<'_>| -> Result<(Outcome, ImportId)> {
        let import_id = w.begin_import_of(unit.kind, &unit.file_name, &unit.facts.hash, &unit.facts.format, unit.now)?;
        let outcome = f(w, import_id)?;
        let mut counted = report.clone();
        outcome.clone().into_report(&mut counted);
        let counts = ImportCounts {
            rows: counted.rows,
            created: counted.added,
            merged: 0,
            unchanged: counted.unchanged,
            rejected: counted.rejected,
            problems: counted.problems.len() as u64,
        };
        let stored = serde_json::json!({ "columns": counted.columns, "problems": counted.problems });
        w.finish_import(import_id, &unit.facts.hash, &counts, &stored.to_string())?;
        if unit.dry_run {
            w.give_back_import_id(import_id)?;
        }
        Ok((outcome, import_id))
    };
    let (outcome, import_id) = if unit.dry_run {
        store.rehearse(work)?
    } else {
        if unit.backup_first {
            crate::backup::before(store, crate::backup::BEFORE_IMPORT, unit.now)?;
        }
        let what = format!("the import of {}", unit.file_name);
        store.announce(&what, |store| store.bulk(|store| store.write(work)))?
    };
    report.import_id = (!unit.dry_run).then_some(import_id);
    outcome.into_report(report);
    Ok(())
}

/// The name a file is known by in the history and in messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Imports purchases from an order or transaction export. Rows with the same order number are one
/// order (their items joined). The customer is found by the row's email, phone, or the other
/// system's customer id (kept on the customer as a custom field by a customer import). A refund
/// event or amount becomes a return.
pub fn import_purchases(store: &mut Store, path: &Path, change: &Change, dry_run: bool) -> Result<Report> {
    let (mapping, headers, rows, facts) = read_table(path, ImportKind::Purchases)?;
    let mut report = Report { columns: columns(&mapping, &headers), sample: sample(&rows, headers.len()), dry_run, ..Report::default() };
    let orders = rows::orders(rows.iter().map(|row| (row.number, fields_of(row, &mapping, &headers))));
    report.rows = orders.len() as u64;
    let mut drafts: Vec<(u64, Result<PurchaseDraft, Vec<Problem>>)> = Vec::new();
    let shop_currency = crate::settings::currency(store)?;
    for order in &orders {
        let customer = resolve_customer(store, &order.fields, change);
        let draft = match rows::purchase(order, customer, &shop_currency, change) {
            (Some(draft), _) => Ok(draft),
            (None, problems) => Err(problems),
        };
        drafts.push((order.row, draft));
    }
    let unit = Unit { kind: ImportKind::Purchases, file_name: file_name(path), facts, dry_run, now: change.now, backup_first: true };
    apply(store, &unit, &mut report, |w, import_id| {
        let mut outcome = Outcome::default();
        for (number, draft) in &drafts {
            match draft {
                Err(problems) => outcome.reject_with(problems),
                Ok(draft) => match w.attempt(|w| purchases::record(w, draft, change)) {
                    Ok((p, true)) => {
                        w.mark_imported(ImportKind::Purchases, p.id, import_id)?;
                        outcome.added += 1;
                    }
                    Ok((_, false)) => outcome.unchanged += 1,
                    Err(e) if matches!(e.kind, ErrorKind::Invalid(_) | ErrorKind::Conflict) => outcome.reject(*number, &e),
                    Err(e) => return Err(e),
                },
            }
        }
        Ok(outcome)
    })?;
    Ok(report)
}

fn resolve_customer(
    store: &Store,
    fields: &BTreeMap<Col, (String, String)>,
    change: &Change,
) -> std::result::Result<CustomerId, Problem> {
    for key in [Col::Email, Col::Phone] {
        if let Some((v, _)) = fields.get(&key) {
            if let Ok(id) = customers::resolve(store, v, change.region) {
                return Ok(id);
            }
        }
    }
    if let Some((v, _)) = fields.get(&Col::CustomerRef) {
        if let Ok(Some(id)) = store.db().customer_with_custom_value(v) {
            return Ok(id);
        }
        if let Ok(id) = customers::resolve(store, v, change.region) {
            return Ok(id);
        }
    }
    if let Some((v, _)) = fields.get(&Col::CustomerName) {
        if let Ok(id) = customers::resolve(store, v, change.region) {
            return Ok(id);
        }
    }
    let said: Vec<String> = [Col::Email, Col::Phone, Col::CustomerRef, Col::CustomerName]
        .iter()
        .filter_map(|k| fields.get(k).map(|(v, h)| format!("{h} “{v}”")))
        .collect();
    Err(Problem::error(
        0,
        "",
        if said.is_empty() {
            "no customer: the row has no email, phone or customer id".to_string()
        } else {
            format!("no customer matches {}; import or add the customer first", said.join(" or "))
        },
    ))
}
