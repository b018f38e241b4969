//! Importing the customer spreadsheets shops already have, without losing anyone.
//!
//! `run` reads a file (`read`), finds its header row and maps its columns to fields (`layout`),
//! reads each row into a normalised customer (`row`, with `values`' parsers), and decides who each
//! row is, merging into known customers by email, phone or handle (`apply`). Reading and
//! normalising run on a second thread while the first writes, batch by batch, inside one
//! transaction: an import lands whole or not at all. A preview (`Options::dry_run`) is the same
//! run rolled back, so its counts are exactly what the import will do. Every import is recorded
//! with what it changed, and `undo` puts it all back.

mod apply;
pub mod layout;
pub mod read;
mod row;
pub mod values;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::customers::{self, Change};
use crate::error::{Error, Result};
use crate::model::{Customer, ImportCounts, ImportId, ImportKind, ImportSummary};
use crate::normalize::Region;
use crate::store::Store;
use layout::{column_letters, Field};
use read::{Cell, Row};
use values::DateOrder;

/// How many rows are read to find the header, map columns and decide date orders.
const SAMPLE_ROWS: usize = 2_000;
/// The most cell text the sample holds.
const SAMPLE_BYTES: usize = 8 << 20;
/// Rows per batch between the reading thread and the writing one.
const BATCH: usize = 2_000;
/// How many problems a report lists (all are counted).
pub const PROBLEMS_LISTED: usize = 500;
/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 25;

/// What the person chose for this import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The shop's country: dates, amounts and phones are read the way it writes them, unless the
    /// file shows otherwise.
    pub region: Region,
    /// The country for phone numbers without a country code, when the person chose one; else it is
    /// decided from each row's country column and from the file's numbers (see `PhoneReading`).
    pub phones_as: Option<Region>,
    /// The sheet to read; else the one that looks most like a customer list.
    pub sheet: Option<String>,
    /// Overrides of the automatic mapping: a header (or column letter) and a field name.
    pub mapping: Vec<(String, String)>,
    /// Work everything out, report it, and store nothing.
    pub dry_run: bool,
}

/// One problem with one row: which row (as the spreadsheet numbers it), which column (its header),
/// and what is wrong, in words a shop owner understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub row: u64,
    pub column: String,
    pub message: String,
    /// `error`: the row was not imported; `warning`: a value was left out; `review`: imported, but
    /// worth a look (a possible duplicate, a value kept instead of the file's).
    pub level: Level,
}

/// How much a problem cost the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The row was not imported.
    Error,
    /// A value was left out; the rest of the row was imported.
    Warning,
    /// Imported, but worth a look (a possible duplicate, a value kept instead of the file's).
    Review,
}

impl Problem {
    pub fn error(row: u64, column: &str, message: impl Into<String>) -> Problem {
        Problem { row, column: column.to_string(), message: crate::error::shorten_quotes(message.into()), level: Level::Error }
    }

    pub fn warning(row: u64, column: &str, message: impl Into<String>) -> Problem {
        Problem { row, column: column.to_string(), message: crate::error::shorten_quotes(message.into()), level: Level::Warning }
    }

    pub fn review(row: u64, column: &str, message: impl Into<String>) -> Problem {
        Problem { row, column: column.to_string(), message: crate::error::shorten_quotes(message.into()), level: Level::Review }
    }
}

/// How a column's field was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MappedBy {
    /// Its header names the field.
    Header,
    /// Its values look like the field.
    Content,
    /// The person chose it.
    Choice,
    /// Nothing matched: kept as a custom field (or ignored when the column is empty).
    Unmapped,
}

/// One column of the file and what it is imported as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub index: usize,
    /// A, B, C…
    pub letter: String,
    pub header: String,
    pub field: Field,
    pub mapped_by: MappedBy,
    /// The first few values, as the file has them.
    pub samples: Vec<String>,
    /// For addresses and phones: how much the column is the customer's own (`layout::rank`).
    #[serde(skip)]
    pub rank: u8,
    /// For Google's numbered phones: the column of the same number holding each row's label.
    #[serde(skip)]
    pub label: Option<usize>,
}

/// How phone numbers written without a country code are read, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneReading {
    /// The country's code and name.
    pub region: String,
    pub country: String,
    /// `choice`: the person chose it; `file`: most of the file's numbers are valid there and
    /// fewer in the shop's country; `shop`: the shop's country.
    pub by: &'static str,
    /// Of the sampled numbers without a country code, how many are valid read this way.
    pub valid: usize,
    pub sampled: usize,
    /// Sampled rows that name their own country: their numbers are read as that country's.
    pub rows_with_country: usize,
}

/// The file's layout: where its header is and what each column holds.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub sheet: Option<String>,
    /// The header's row number, or none when the file has no header row.
    pub header_row: Option<u64>,
    pub columns: Vec<Column>,
    /// How phone numbers without a country code are read.
    pub phones: PhoneReading,
    #[serde(skip)]
    phone_region: Region,
    #[serde(skip)]
    date_orders: Vec<Option<DateOrder>>,
    /// Each money column's decimal mark, decided from its values, else the shop's country.
    #[serde(skip)]
    money_marks: Vec<values::DecimalMark>,
    /// The shop's currency: an amount that names another is refused.
    #[serde(skip)]
    currency: String,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Created,
    Merged,
    Unchanged,
    Rejected,
    /// The same person as an earlier row of the file: added to what that row brought in.
    Repeat,
}

/// One row of the preview: the customer as it will be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    pub row: u64,
    pub outcome: Outcome,
    pub customer: Option<Customer>,
    pub reason: Option<String>,
}

/// The largest database whose import previews run on a copy in memory (about 50,000 customers).
const PREVIEW_ON_A_COPY_UP_TO: u64 = 64 << 20;

/// Customers an undo reads at a time.
const UNDO_CHUNK: usize = 2_000;

/// Imports that create or change at least this many customers merge the search index afterwards.
const OPTIMIZE_SEARCH_AFTER: u64 = 5_000;

/// Counts of an import; `rows = created + merged + unchanged + rejected + repeats`, and
/// `created`, `merged` and `unchanged` count customers, each once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub rows: u64,
    pub created: u64,
    pub merged: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Rows for a customer an earlier row of the file brought in.
    pub repeats: u64,
    /// Values that were left out of an imported row (a phone that is not valid, a date that is
    /// not one), each also a problem.
    pub left_out: u64,
    /// Problems found, listed or not.
    pub problems_total: u64,
    /// Blank rows passed over (not counted in `rows`).
    pub blank_rows: u64,
}

/// Everything an import (or its preview) found and did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The import's number in the history; none for a preview.
    pub import_id: Option<ImportId>,
    pub file_name: String,
    pub file_hash: String,
    pub detected: read::Detected,
    pub layout: Layout,
    #[serde(flatten)]
    pub counts: Counts,
    /// The first problems (see `counts.problems` for how many in all), in row order.
    pub problems: Vec<Problem>,
    pub preview: Vec<PreviewRow>,
    /// An earlier import of the very same file, if there was one.
    pub already_imported: Option<ImportSummary>,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub rows: u64,
    /// From 0 to 1.
    pub fraction: f64,
}

/// Imports a file (or previews it with `options.dry_run`). `progress` is called after each batch
/// of rows; returning `false` cancels, and nothing is stored.
// One piece: the import's stages in order (open, plan the layout, back up, read on one thread while writing on this one, record); the reading thread is `read_in_batches`.
pub fn run(
    store: &mut Store,
    path: &Path,
    options: &Options,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Report> {
    // A preview is the import rolled back, which holds the write lock while it runs: on a shop
    // small enough to copy, it runs on a private copy in memory instead, and nobody waits for it.
    if options.dry_run && store.path().is_some() && store.db().size_bytes()? <= PREVIEW_ON_A_COPY_UP_TO {
        let mut copy = store.copy_in_memory()?;
        return run(&mut copy, path, options, now, progress);
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let mut source = read::open(path)?;
    let (mut layout, sample, rest, total) = match source.workbook.take() {
        Some(book) => {
            let index = choose_sheet(&book, options.sheet.as_deref())?;
            let name = book.names().swap_remove(index);
            let (mut rows, total) = book.into_rows(index);
            let sample = take_sample(&mut rows)?;
            (plan_layout(&sample, Some(name), options)?, sample, rows, total)
        }
        None => {
            if let Some(sheet) = &options.sheet {
                return Err(Error::invalid_field("sheet", format!("{file_name} is a text file; it has no sheet “{sheet}”")));
            }
            let mut rows = std::mem::replace(&mut source.rows, Box::new(std::iter::empty()));
            let sample = take_sample(&mut rows)?;
            (plan_layout(&sample, None, options)?, sample, rows, std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0)))
        }
    };
    layout.currency = crate::settings::currency(store)?;
    // Only now that the file is open and recognised: the backup, which takes a while on a big shop.
    if !options.dry_run {
        crate::backup::before(store, crate::backup::BEFORE_IMPORT, now)?;
    }
    let header_index = layout.header_row.and_then(|n| sample.iter().position(|r| r.number == n));
    let data_start = header_index.map_or(0, |i| i + 1);
    let change = Change { now, region: options.region, source: format!("import of {file_name}") };
    let byte_progress = source.progress.clone();
    let byte_total = source.total;

    let (counts, problems, preview, import_id, file_hash) = std::thread::scope(|scope| -> Result<_> {
        let (tx, rx) = mpsc::sync_channel::<Batch>(4);
        let layout_ref = &layout;
        let rows = sample.into_iter().skip(data_start).map(Ok).chain(rest);
        scope.spawn(move || read_in_batches(rows, layout_ref, now, &tx));
        let work = |w: &crate::store::WriteDb<'_>| -> Result<_> {
            let import_id = w.begin_import(&file_name, "", &source.detected.format, now)?;
            let mut applier = apply::Applier::new(w, change.clone(), import_id);
            for message in rx {
                let (batch, blank) = message?;
                applier.counts.blank_rows += blank;
                applier.apply_batch(batch)?;
                let fraction = if byte_total > 0 {
                    byte_progress.load(Ordering::Relaxed) as f64 / byte_total as f64
                } else if total.load(Ordering::Relaxed) > 0 {
                    (applier.counts.rows + applier.counts.blank_rows) as f64 / total.load(Ordering::Relaxed) as f64
                } else {
                    1.0
                };
                if !progress(Progress { rows: applier.counts.rows, fraction: fraction.min(1.0) }) {
                    return Err(Error::cancelled("the import was cancelled; nothing was changed"));
                }
            }
            applier.finish(options.dry_run)?;
            // A big import leaves the search index in many small pieces; merged, as-you-type
            // search stays quick ("olivia s" at 100,000 customers: 80 ms before, under 5 after).
            if !options.dry_run && applier.counts.created + applier.counts.merged >= OPTIMIZE_SEARCH_AFTER {
                w.optimize_search()?;
            }
            let hash = source.hash.lock().unwrap_or_else(|p| p.into_inner()).clone().unwrap_or_default();
            let c = applier.counts;
            let mut problems = applier.problems;
            problems.sort_by_key(|p| p.row);
            let record = ImportCounts { rows: c.rows, created: c.created, merged: c.merged, unchanged: c.unchanged, rejected: c.rejected, problems: c.problems_total };
            let stored = serde_json::json!({ "layout": layout_ref, "problems": problems, "blank_rows": c.blank_rows });
            w.finish_import(import_id, &hash, &record, &stored.to_string())?;
            Ok((c, problems, applier.preview, import_id, hash))
        };
        let what = format!("the {} of {file_name}", if options.dry_run { "preview" } else { "import" });
        store.announce(&what, |store| store.bulk(|store| if options.dry_run { store.rehearse(work) } else { store.write(work) }))
    })?;

    let import_id = (!options.dry_run).then_some(import_id);
    let already_imported = store.db().import_of_hash(&file_hash, import_id)?;
    Ok(Report {
        import_id,
        file_name,
        file_hash,
        detected: source.detected,
        layout,
        counts,
        problems,
        preview,
        already_imported,
    })
}

/// A batch of rows read and normalised, with how many blank rows were passed over on the way.
type Batch = Result<(Vec<row::Incoming>, u64)>;

/// The reading thread: reads and normalises rows, `BATCH` at a time, for the writing one. It stops
/// at a read error (sent on) or when the writer has gone (a cancel).
fn read_in_batches(rows: impl Iterator<Item = Result<Row>>, layout: &Layout, now: DateTime<Utc>, tx: &mpsc::SyncSender<Batch>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut blank = 0u64;
    for item in rows {
        match item {
            Ok(r) if r.cells.iter().all(Cell::is_empty) => blank += 1,
            Ok(r) => batch.push(row::read_row(&r, layout, now)),
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
        if batch.len() == BATCH && tx.send(Ok((std::mem::replace(&mut batch, Vec::with_capacity(BATCH)), std::mem::take(&mut blank)))).is_err() {
            return;
        }
    }
    let _ = tx.send(Ok((batch, blank)));
}

/// The first rows, for finding the header and deciding the columns: up to `SAMPLE_ROWS`, or fewer
/// when their cells hold more than `SAMPLE_BYTES` (a file of megabyte cells is not held whole).
fn take_sample(rows: &mut Box<dyn Iterator<Item = Result<Row>> + Send>) -> Result<Vec<Row>> {
    let mut sample = Vec::new();
    let mut bytes = 0usize;
    for r in rows.by_ref() {
        let r = r?;
        bytes += r.cells.iter().map(|c| if let Cell::Text(t) = c { t.len() } else { 8 }).sum::<usize>();
        sample.push(r);
        if sample.len() == SAMPLE_ROWS || bytes > SAMPLE_BYTES {
            break;
        }
    }
    Ok(sample)
}

/// The named sheet, or the one whose first rows look most like a customer list: its index.
fn choose_sheet(book: &read::Workbook, wanted: Option<&str>) -> Result<usize> {
    let names = book.names();
    if let Some(wanted) = wanted {
        return names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(wanted.trim()))
            .ok_or_else(|| Error::invalid_field("sheet", format!("there is no sheet “{wanted}”; the sheets are: {}", names.join(", "))));
    }
    if names.len() == 1 {
        return Ok(0);
    }
    let mut best: Option<(i64, usize)> = None;
    for index in 0..names.len() {
        let score = sheet_score(&book.sample(index, 60));
        if best.map_or(true, |(s, _)| score > s) {
            best = Some((score, index));
        }
    }
    best.map(|(_, i)| i).ok_or_else(|| Error::invalid_field("file", "the workbook has no sheets"))
}

/// How much a sheet's first rows look like customers: mapped columns and contact-looking values.
fn sheet_score(sample: &[Row]) -> i64 {
    let Ok(layout) = plan_layout(sample, None, &Options { region: Region::parse("US").expect("US is a region"), phones_as: None, sheet: None, mapping: Vec::new(), dry_run: true }) else {
        return 0;
    };
    let mapped = layout.columns.iter().filter(|c| !matches!(c.field, Field::Custom | Field::Ignore)).count() as i64;
    let contacts = layout.columns.iter().filter(|c| matches!(c.field, Field::Email | Field::Phone | Field::FullName | Field::FirstName)).count() as i64;
    let rows = sample.iter().filter(|r| !r.cells.iter().all(Cell::is_empty)).count() as i64;
    mapped * 10 + contacts * 20 + rows.min(50)
}

/// Finds the header, maps each column (the person's choices first, then headers, then values),
/// and decides each date column's day/month order.
// One piece: the layout's decisions in order (header, the person's choices, each column by heading or values, names, one-of fields, phones).
pub fn plan_layout(sample: &[Row], sheet: Option<String>, options: &Options) -> Result<Layout> {
    let header_index = layout::find_header(sample);
    let width = sample.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let header_cells: Vec<String> = match header_index {
        Some(i) => (0..width).map(|c| sample[i].cells.get(c).map(|c| c.text().trim().to_string()).unwrap_or_default()).collect(),
        None => vec![String::new(); width],
    };
    let data: Vec<&Row> = sample.iter().skip(header_index.map_or(0, |i| i + 1)).collect();
    let column_cells = |c: usize| data.iter().filter_map(move |r| r.cells.get(c));

    let mut chosen: Vec<Option<Field>> = vec![None; width];
    for (key, field_name) in &options.mapping {
        let field: Field = field_name.parse().map_err(|m: String| Error::invalid_field("map", m))?;
        let key_folded = layout::header_words(key);
        let index = header_cells
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(key.trim()))
            .or_else(|| header_cells.iter().position(|h| !key_folded.is_empty() && layout::header_words(h) == key_folded))
            .or_else(|| (0..width).find(|&c| column_letters(c).eq_ignore_ascii_case(key.trim())));
        let Some(index) = index else {
            let listed: Vec<String> = header_cells.iter().enumerate().map(|(i, h)| if h.is_empty() { column_letters(i) } else { h.clone() }).collect();
            return Err(Error::invalid_field("map", format!("there is no column “{key}”; the columns are: {}", listed.join(", "))));
        };
        chosen[index] = Some(field);
    }

    let mut columns = Vec::with_capacity(width);
    let mut date_orders = vec![None; width];
    let mut money_marks = vec![values::DecimalMark::Either; width];
    for (c, header) in header_cells.iter().enumerate() {
        let (field, mapped_by) = if let Some(f) = chosen[c] {
            (f, MappedBy::Choice)
        } else if let Some(f) = layout::field_of_header(header) {
            (f, MappedBy::Header)
        } else if let Some(f) = layout::field_of_values(column_cells(c)) {
            (f, MappedBy::Content)
        } else if column_cells(c).all(Cell::is_empty) {
            (Field::Ignore, MappedBy::Unmapped)
        } else {
            (Field::Custom, MappedBy::Unmapped)
        };
        if matches!(field, Field::Birthday | Field::CustomerSince | Field::LastVisit) {
            date_orders[c] = Some(date_order(column_cells(c), options.region));
        }
        if field == Field::LifetimeSpend {
            money_marks[c] = money_mark(column_cells(c), options.region);
        }
        let samples = column_cells(c).filter(|v| !v.is_empty()).take(3).map(|v| crate::error::excerpt(&v.text()).into_owned()).collect();
        let rank = layout::rank(header, field);
        columns.push(Column { index: c, letter: column_letters(c), header: header.clone(), field, mapped_by, samples, rank, label: None });
    }
    // Google's "Phone 1 - Value" is typed by "Phone 1 - Label" (or "- Type") in the same row.
    for c in 0..columns.len() {
        if columns[c].field != Field::Phone {
            continue;
        }
        let Some(stem) = fold_lower(&header_cells[c]).strip_suffix("value").map(str::to_string) else { continue };
        columns[c].label = header_cells.iter().position(|h| {
            let h = fold_lower(h);
            h.strip_prefix(stem.as_str()).is_some_and(|rest| rest == "label" || rest == "type")
        });
    }
    // A headerless list of names: the first column of names is the full name.
    if header_index.is_none() && !columns.iter().any(|c| matches!(c.field, Field::FullName | Field::FirstName)) {
        if let Some(col) = columns.iter_mut().find(|col| col.field == Field::Custom && layout::looks_like_names(data.iter().filter_map(|r| r.cells.get(col.index)))) {
            col.field = Field::FullName;
            col.mapped_by = MappedBy::Content;
        }
    }
    // One-of fields taken by several columns keep the first; the rest become custom fields.
    let mut seen = std::collections::HashSet::new();
    for col in columns.iter_mut() {
        let single = !col.field.is_list()
            && !matches!(col.field, Field::Ignore | Field::Region | Field::Country | Field::City | Field::Street | Field::Street2 | Field::PostalCode | Field::Company | Field::EmailConsent | Field::SmsConsent);
        if single && col.mapped_by != MappedBy::Choice && !seen.insert(col.field) {
            col.field = Field::Custom;
            col.mapped_by = MappedBy::Unmapped;
        }
    }
    if width == 0 || data.is_empty() {
        return Err(Error::invalid_field("file", "the file has no rows of customers"));
    }
    let (phone_region, phones) = phone_reading(&columns, &data, options);
    Ok(Layout {
        sheet,
        header_row: header_index.map(|i| sample[i].number),
        columns,
        phones,
        phone_region,
        date_orders,
        money_marks,
        currency: String::new(),
    })
}

/// A header folded to its letters and digits alone ("Phone 1 - Value" → "phone1value").
fn fold_lower(header: &str) -> String {
    crate::normalize::fold(header).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Countries tried for a file's phone numbers besides the shop's and those its rows name.
const LIKELY_REGIONS: &[&str] = &["US", "GB", "CA", "AU", "NZ", "IE", "DE", "FR", "ES", "IT", "NL", "BE", "PT", "BR",
    "MX", "AT", "CH", "SE", "NO", "DK", "FI", "PL", "IN", "ZA", "SG", "JP"];
/// Numbers sampled to decide the country.
const PHONES_SAMPLED: usize = 400;

/// The country for the file's phone numbers without a country code: the person's choice; else the
/// one under which most of them are valid (sampled from rows that name no country of their own),
/// where the shop's country wins a tie.
fn phone_reading(columns: &[Column], data: &[&Row], options: &Options) -> (Region, PhoneReading) {
    let phone_columns: Vec<usize> = columns.iter().filter(|c| c.field == Field::Phone).map(|c| c.index).collect();
    let country_columns: Vec<usize> = columns.iter().filter(|c| c.field == Field::Country).map(|c| c.index).collect();
    let mut numbers = Vec::new();
    let mut named: Vec<&'static str> = Vec::new();
    let mut rows_with_country = 0;
    for row in data {
        let row_country = country_columns.iter().filter_map(|&c| row.cells.get(c)).find_map(|cell| crate::countries::code_of(&cell.text()));
        if let Some(code) = row_country {
            rows_with_country += 1;
            if !named.contains(&code) {
                named.push(code);
            }
            continue;
        }
        for &c in &phone_columns {
            let Some(cell) = row.cells.get(c) else { continue };
            let listed = match cell {
                Cell::Number(n) => values::number_as_phone(*n).into_iter().collect(),
                Cell::Text(t) => values::split_list(values::strip_formula_guard(t.trim()), &[';', ',']),
                _ => Vec::new(),
            };
            numbers.extend(listed.into_iter().filter(|n| !n.starts_with('+') && !n.starts_with("00")));
        }
        if numbers.len() >= PHONES_SAMPLED {
            break;
        }
    }
    let valid_in = |region: Region| numbers.iter().filter(|n| crate::normalize::phone(n, region).is_ok()).count();
    let reading = |region: Region, by: &'static str, valid: usize| {
        let code = region.code().to_string();
        let country = crate::countries::name(&code).unwrap_or(&code).to_string();
        (region, PhoneReading { region: code, country, by, valid, sampled: numbers.len(), rows_with_country })
    };
    if let Some(chosen) = options.phones_as {
        return reading(chosen, "choice", valid_in(chosen));
    }
    let shop = options.region;
    let mut best = (shop, valid_in(shop));
    if best.1 < numbers.len() {
        for code in named.iter().copied().chain(LIKELY_REGIONS.iter().copied()) {
            let Ok(region) = Region::parse(code) else { continue };
            if region == best.0 {
                continue;
            }
            let valid = valid_in(region);
            if valid > best.1 {
                best = (region, valid);
            }
        }
    }
    let by = if best.0 == shop { "shop" } else { "file" };
    reading(best.0, by, best.1)
}

/// How many of a column's text values are evidence for `a`, and how many for `b`.
fn votes<'a, T: PartialEq>(cells: impl Iterator<Item = &'a Cell>, evidence: impl Fn(&str) -> Option<T>, a: T, b: T) -> (usize, usize) {
    let (mut for_a, mut for_b) = (0, 0);
    for cell in cells {
        if let Cell::Text(t) = cell {
            match evidence(t) {
                Some(v) if v == a => for_a += 1,
                Some(v) if v == b => for_b += 1,
                _ => {}
            }
        }
    }
    (for_a, for_b)
}

/// A money column's decimal mark: the one its values show when they agree, else the country's.
fn money_mark<'a>(cells: impl Iterator<Item = &'a Cell>, region: Region) -> values::DecimalMark {
    use values::DecimalMark;
    match votes(cells, DecimalMark::shown_by, DecimalMark::Point, DecimalMark::Comma) {
        (0, 0) => DecimalMark::for_country(region.code()),
        (_, 0) => DecimalMark::Point,
        (0, _) => DecimalMark::Comma,
        _ => DecimalMark::Either,
    }
}

/// Day or month first, from the values that can only be read one way; else the country's custom.
fn date_order<'a>(cells: impl Iterator<Item = &'a Cell>, region: Region) -> DateOrder {
    let (day_first, month_first) = votes(cells, values::order_evidence, DateOrder::DayFirst, DateOrder::MonthFirst);
    match day_first.cmp(&month_first) {
        std::cmp::Ordering::Greater => DateOrder::DayFirst,
        std::cmp::Ordering::Less => DateOrder::MonthFirst,
        std::cmp::Ordering::Equal => DateOrder::for_region(region.code()),
    }
}

/// Every import, newest first.
pub fn history(store: &Store) -> Result<Vec<ImportSummary>> {
    store.db().imports()
}

/// What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undone {
    pub import_id: ImportId,
    pub kind: ImportKind,
    /// Touchpoints or purchases the import had brought in, now taken away.
    pub records: u64,
    /// Customers the import had created, now removed.
    pub removed: u64,
    /// Customers the import had changed, now as they were before it.
    pub restored: u64,
}

/// Refuses to undo a customer import when a later import changed the same customers, or when
/// one of them was edited or bought something since (undoing would lose that).
fn refuse_if_changed_since(db: crate::store::Db<'_>, import: &ImportSummary, changes: &[crate::store::ImportChange]) -> Result<()> {
    let id = import.id;
    let later = db.later_imports_touching(id)?;
    if let Some(&(later_id, _)) = later.first() {
        let name = db.import(later_id)?.map(|i| i.file_name).unwrap_or_default();
        return Err(Error::conflict(format!(
            "import #{later_id} ({name}) changed some of the same customers later; undo it first, then import #{id}"
        )));
    }
    // Customers are read a chunk at a time, here and in the write below, so that undoing a big
    // import holds a chunk of them, never all (150,000 customers: 340 MB before).
    let mut edited: Vec<String> = Vec::new();
    let mut bought: Option<String> = None;
    for chunk in changes.chunks(UNDO_CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|c| c.customer_id).collect();
        let created: Vec<i64> = chunk.iter().filter(|c| c.before.is_none()).map(|c| c.customer_id).collect();
        let with_purchases = db.with_purchases(&created)?;
        for c in db.customers(&ids)? {
            if c.updated_at > import.at && edited.len() < 5 {
                edited.push(format!("{} (#{})", c.display_name, c.id));
            }
            if bought.is_none() && with_purchases.contains(&c.id) {
                bought = Some(format!(
                    "{} (#{}), whom import #{id} added, has purchases recorded since; undoing it would lose them",
                    c.display_name, c.id
                ));
            }
        }
    }
    if !edited.is_empty() {
        return Err(Error::conflict(format!(
            "some customers were edited after import #{id}, so undoing it would lose those edits: {}",
            edited.join(", ")
        )));
    }
    if let Some(message) = bought {
        return Err(Error::conflict(message));
    }
    Ok(())
}

/// Undoes an import: removes the customers it created and puts back those it changed. Refused,
/// with the reason, when a later import or an edit has changed the same customers since.
pub fn undo(store: &mut Store, id: ImportId, now: DateTime<Utc>, region: Region) -> Result<Undone> {
    let db = store.db();
    let import = db.import(id)?.ok_or_else(|| Error::not_found(format!("there is no import #{id}")))?;
    if let Some(at) = import.undone_at {
        return Err(Error::conflict(format!("import #{id} ({}) was already undone on {}", import.file_name, at.format("%Y-%m-%d %H:%M"))));
    }
    if import.kind != ImportKind::Customers {
        return undo_records(store, &import, now);
    }
    let changes = db.import_changes(id)?;
    refuse_if_changed_since(db, &import, &changes)?;
    let change = Change { now, region, source: format!("undo of import #{id}") };
    crate::backup::before(store, crate::backup::BEFORE_UNDO, now)?;
    let many = changes.len() as u64 >= OPTIMIZE_SEARCH_AFTER;
    store.announce(&format!("the undo of import #{id}"), |store| store.bulk(|store| store.write(|w| {
        let undo = || {
            let (mut removed, mut restored) = (0, 0);
            for chunk in changes.chunks(UNDO_CHUNK) {
                let ids: Vec<i64> = chunk.iter().map(|c| c.customer_id).collect();
                let current: std::collections::HashMap<i64, Customer> = w.customers(&ids)?.into_iter().map(|c| (c.id, c)).collect();
                for c in chunk {
                    let Some(now_customer) = current.get(&c.customer_id) else { continue };
                    match &c.before {
                        None => {
                            w.remove_customer(c.customer_id)?;
                            removed += 1;
                        }
                        Some(json) => {
                            let before: Customer = serde_json::from_str(json)
                                .map_err(|e| Error::conflict(format!("import #{id}'s record of customer #{} cannot be read ({e})", c.customer_id)))?;
                            customers::replace_checked(w, now_customer, &before, &change)?;
                            restored += 1;
                        }
                    }
                }
            }
            let restored_ids: Vec<i64> = changes.iter().filter(|c| c.before.is_some()).map(|c| c.customer_id).collect();
            customers::reindex(w, &restored_ids)?;
            w.mark_import_undone(id, now)?;
            Ok(Undone { import_id: id, kind: ImportKind::Customers, records: 0, removed, restored })
        };
        if many {
            w.with_search_merging_deferred(undo)
        } else {
            undo()
        }
    })))
}

/// Undoes an import of touchpoints or purchases: takes away exactly what it brought in. Refused
/// when the shop has since replied to one of its messages (the reply would answer nothing).
fn undo_records(store: &mut Store, import: &ImportSummary, now: DateTime<Utc>) -> Result<Undone> {
    let id = import.id;
    let replied = store.db().replies_to_imported(id)?;
    if replied > 0 {
        return Err(Error::conflict(format!(
            "you have replied to {replied} of the messages import #{id} ({}) brought in; undoing it would leave the replies answering nothing",
            import.file_name
        )));
    }
    crate::backup::before(store, crate::backup::BEFORE_UNDO, now)?;
    store.write(|w| {
        let records = w.remove_imported(import.kind, id)?;
        w.mark_import_undone(id, now)?;
        Ok(Undone { import_id: id, kind: import.kind, records, removed: 0, restored: 0 })
    })
}
