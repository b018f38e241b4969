//! Opening a customer file whatever it is: delimited text (`,` `;` tab `|`, detected) in UTF-8 with
//! or without a byte-order mark, UTF-16 (Excel's "Unicode text") or a legacy single-byte encoding
//! (detected), or a workbook (XLSX, XLSM, XLSB, XLS, ODS) read with calamine. Either way the result
//! is a stream of rows of cells, numbered as the spreadsheet numbers them.
//!
//! Text is decoded and parsed as it streams, so memory stays flat however long the file. Absurd
//! inputs are refused with a sentence: a cell over 1 MB, a row of more than 1,000 columns, a
//! workbook that would unpack to more than 1 GB (a decompression bomb), a binary file.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use calamine::{Data, Range, Reader};
use chrono::NaiveDateTime;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The largest cell Regulars reads.
pub const MAX_CELL_BYTES: usize = 1 << 20;
/// The most columns a row may have.
pub const MAX_COLUMNS: usize = 1_000;
/// The most a workbook may unpack to.
const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDateTime),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it (whole numbers without ".0").
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => "".into(),
            Cell::Text(t) => t.as_str().into(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64).into(),
            Cell::Number(n) => format!("{n}").into(),
            Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string().into(),
            Cell::Date(d) => d.to_string().into(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        }
    }
}

/// A row of cells and its number in the file (1 for the first row, as a spreadsheet shows it).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

/// What the file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Detected {
    /// csv, xlsx, xlsm, xlsb, xls or ods.
    pub format: String,
    /// For text files: UTF-8, UTF-16LE, windows-1252, …
    pub encoding: Option<String>,
    /// For text files: the delimiter found (`,` `;` `\t` `|`).
    pub delimiter: Option<String>,
    /// For workbooks: every sheet's name.
    pub sheets: Vec<String>,
    pub size_bytes: u64,
}

/// A stream of rows. `progress` counts bytes read (text) or rows read (workbooks) out of `total`.
pub struct Source {
    pub detected: Detected,
    pub rows: Box<dyn Iterator<Item = Result<Row>> + Send>,
    pub progress: Arc<AtomicU64>,
    pub total: u64,
    /// The SHA-256 of every byte read so far; complete once `rows` is exhausted.
    pub hash: Arc<std::sync::Mutex<Option<String>>>,
    /// For workbooks: the sheets as loaded, so that the caller can choose one by its content.
    pub workbook: Option<Workbook>,
}

/// A workbook's sheets: XLSX sheets are streamed cell by cell (memory stays flat however many
/// rows); the other formats are loaded whole by their readers.
pub enum Workbook {
    Loaded(Vec<(String, Range<Data>)>),
    Xlsx { bytes: Arc<Vec<u8>>, names: Vec<String> },
}

impl Workbook {
    pub fn names(&self) -> Vec<String> {
        match self {
            Workbook::Loaded(sheets) => sheets.iter().map(|(n, _)| n.clone()).collect(),
            Workbook::Xlsx { names, .. } => names.clone(),
        }
    }

    /// The first `n` rows of sheet `index` that can be read.
    pub fn sample(&self, index: usize, n: usize) -> Vec<Row> {
        match self {
            Workbook::Loaded(sheets) => sheet_rows(sheets[index].1.clone()).take(n).filter_map(|r| r.ok()).collect(),
            Workbook::Xlsx { bytes, names } => xlsx_rows(bytes.clone(), names[index].clone(), None).take(n).filter_map(|r| r.ok()).collect(),
        }
    }

    /// The rows of sheet `index`, and how many rows the sheet says it has (for progress).
    pub fn into_rows(self, index: usize) -> (Box<dyn Iterator<Item = Result<Row>> + Send>, Arc<AtomicU64>) {
        match self {
            Workbook::Loaded(mut sheets) => {
                let range = sheets.swap_remove(index).1;
                let total = Arc::new(AtomicU64::new(range.get_size().0 as u64));
                (sheet_rows(range), total)
            }
            Workbook::Xlsx { bytes, names } => {
                let total = Arc::new(AtomicU64::new(0));
                let rows = xlsx_rows(bytes, names[index].clone(), Some(total.clone()));
                (rows, total)
            }
        }
    }
}

/// Lets several readers share one copy of a file's bytes.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Streams an XLSX sheet's rows from a reader thread that owns the workbook (its cell reader
/// borrows it), through a small bounded channel. Dropping the iterator stops the thread.
fn xlsx_rows(bytes: Arc<Vec<u8>>, sheet: String, total: Option<Arc<AtomicU64>>) -> Box<dyn Iterator<Item = Result<Row>> + Send> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Row>>(512);
    std::thread::spawn(move || {
        let failed = |m: String| Error::invalid_field("file", format!("the sheet “{sheet}” cannot be read: {m}"));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> std::result::Result<(), String> {
            let mut book = calamine::Xlsx::new(Cursor::new(SharedBytes(bytes))).map_err(|e| e.to_string())?;
            let mut cells = book.worksheet_cells_reader(&sheet).map_err(|e| e.to_string())?;
            if let Some(total) = &total {
                let d = cells.dimensions();
                total.store(u64::from(d.end.0.saturating_sub(d.start.0)) + 1, Ordering::Relaxed);
            }
            let mut current: Option<Row> = None;
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                let (r, c) = cell.get_position();
                if current.as_ref().is_some_and(|row| row.number != u64::from(r) + 1) {
                    if tx.send(Ok(current.take().expect("checked"))).is_err() {
                        return Ok(());
                    }
                }
                let row = current.get_or_insert_with(|| Row { number: u64::from(r) + 1, cells: Vec::new() });
                if c as usize >= MAX_COLUMNS {
                    return Err(format!("row {} has more than {MAX_COLUMNS} columns; Regulars reads at most {MAX_COLUMNS}", row.number));
                }
                // Cells are placed by their reference: a valid file may write them in any order.
                let value = cell_of(&Data::from(cell.get_value().clone()));
                match row.cells.get_mut(c as usize) {
                    Some(slot) => *slot = value,
                    None => {
                        row.cells.resize(c as usize, Cell::Empty);
                        row.cells.push(value);
                    }
                }
            }
            if let Some(row) = current {
                let _ = tx.send(Ok(row));
            }
            Ok(())
        }));
        let error = match outcome {
            Ok(Ok(())) => return,
            Ok(Err(m)) => failed(m),
            Err(_) => failed("the file is damaged (the reader gave up on it)".into()),
        };
        let _ = tx.send(Err(error));
    });
    Box::new(rx.into_iter())
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> Error {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Error::invalid_field("file", format!("{name} cannot be read: {why}"))
}

/// Opens a file and finds out what it is.
pub fn open(path: &Path) -> Result<Source> {
    // A pipe, a device or a folder is not a file to import: reading one may never end.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "not an ordinary file (a pipe or a device)" };
        return Err(unreadable(path, format!("it is {what}; choose a saved spreadsheet or CSV file")));
    }
    let mut file = File::open(path).map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    head.truncate(n);
    if n == 0 {
        return Err(unreadable(path, "the file is empty"));
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        drop(file);
        return open_workbook(path, size);
    }
    open_text(path, file, head, size)
}

/// Fills `buf` from `r` as far as it goes (a short file fills less): how many bytes it read.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

// ---------------------------------------------------------------------------------------------
// Text

/// Which encoding the first bytes of a text file are in, or why it is not text.
pub fn detect_encoding(head: &[u8], whole_file: bool) -> std::result::Result<&'static Encoding, String> {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Ok(encoding);
    }
    // UTF-16 without a byte-order mark: every other byte of Latin text is zero.
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() >= 8 {
        let pairs = sample.len() / 2;
        let even_zeros = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_zeros = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        if odd_zeros * 10 > pairs * 3 && even_zeros * 10 < pairs {
            return Ok(UTF_16LE);
        }
        if even_zeros * 10 > pairs * 3 && odd_zeros * 10 < pairs {
            return Ok(UTF_16BE);
        }
    }
    let controls = head[..head.len().min(8192)]
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls > 0 && (head.contains(&0) || controls * 100 > head.len().min(8192)) {
        return Err("it is not a text or spreadsheet file (it holds binary data)".into());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, whole_file);
    Ok(detector.guess(None, chardetng::Utf8Detection::Allow))
}

/// Decodes any supported encoding into UTF-8 as it is read, hashing the raw bytes on the way.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    pending: Vec<u8>,
    pending_at: usize,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_at: usize,
    done: bool,
    hasher: Sha256,
    hash: Arc<std::sync::Mutex<Option<String>>>,
    progress: Arc<AtomicU64>,
    /// Decoded bytes handed out since the last record ended: a row (an unclosed quote, an endless
    /// line) is refused once this passes `MAX_ROW_BYTES`, before it is held whole in memory.
    since_record: usize,
}

/// The longest row Regulars reads, in decoded bytes.
pub const MAX_ROW_BYTES: usize = 16 << 20;

impl<R: Read> Decoding<R> {
    fn fill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        while self.out.is_empty() && !self.done {
            let input: &[u8] = if self.pending_at < self.pending.len() {
                &self.pending[self.pending_at..]
            } else {
                let n = self.inner.read(&mut self.raw)?;
                self.hasher.update(&self.raw[..n]);
                self.progress.fetch_add(n as u64, Ordering::Relaxed);
                &self.raw[..n]
            };
            let last = input.is_empty();
            // Room for the worst case, so the decoder always takes all of the input in one call.
            let room = self.decoder.max_utf8_buffer_length(input.len()).unwrap_or(input.len() * 3 + 16);
            self.out.resize(room, 0);
            let (_, read, written, _) = self.decoder.decode_to_utf8(input, &mut self.out, last);
            self.out.truncate(written);
            if self.pending_at < self.pending.len() {
                self.pending_at += read;
            }
            if last {
                self.done = true;
                let digest = std::mem::take(&mut self.hasher).finalize();
                *self.hash.lock().unwrap_or_else(|p| p.into_inner()) = Some(hex(&digest));
            }
        }
        Ok(())
    }
}

use crate::normalize::hex;

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_at >= self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        self.since_record += n;
        if self.since_record > MAX_ROW_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "it is longer than 16 MB (a quote that is never closed?); Regulars reads rows of up to 16 MB",
            ));
        }
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// The delimiter that splits the sample's lines most consistently: `,` `;` tab or `|`.
pub fn sniff_delimiter(sample: &str) -> u8 {
    let candidates = [b',', b';', b'\t', b'|'];
    let mut counts: Vec<Vec<usize>> = vec![Vec::new(); candidates.len()];
    let mut current = [0usize; 4];
    let mut quoted = false;
    let mut lines = 0;
    for b in sample.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                for (i, c) in current.iter_mut().enumerate() {
                    counts[i].push(std::mem::take(c));
                }
                lines += 1;
                if lines == 100 {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
    }
    if lines < 100 {
        for (i, c) in current.iter().enumerate() {
            counts[i].push(*c);
        }
    }
    // Score: how many lines share the most common non-zero count, then how large that count is.
    let mut best = (0usize, 0usize, b',');
    for (i, per_line) in counts.iter().enumerate() {
        let mut freq: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for &n in per_line.iter().filter(|&&n| n > 0) {
            *freq.entry(n).or_default() += 1;
        }
        if let Some((&mode, &lines_with_mode)) = freq.iter().max_by_key(|&(&n, &f)| (f, n)) {
            if (lines_with_mode, mode) > (best.0, best.1) {
                best = (lines_with_mode, mode, candidates[i]);
            }
        }
    }
    best.2
}

fn open_text(path: &Path, file: File, head: Vec<u8>, size: u64) -> Result<Source> {
    let whole = head.len() as u64 >= size;
    let encoding = detect_encoding(&head, whole).map_err(|m| unreadable(path, m))?;
    let (sample, _, _) = encoding.decode(&head);
    // Excel writes "sep=;" on a first line of its own to say which delimiter follows.
    let declared = sample.trim_start_matches('\u{feff}').strip_prefix("sep=").and_then(|rest| rest.bytes().next()).filter(|b| b",;\t|".contains(b));
    let delimiter = declared.unwrap_or_else(|| sniff_delimiter(&sample));
    let hash = Arc::new(std::sync::Mutex::new(None));
    let progress = Arc::new(AtomicU64::new(0));
    let mut hasher = Sha256::new();
    hasher.update(&head);
    progress.store(head.len() as u64, Ordering::Relaxed);
    let decoding = Decoding {
        inner: file,
        decoder: encoding.new_decoder_with_bom_removal(),
        pending: head,
        pending_at: 0,
        raw: vec![0u8; 256 * 1024],
        out: Vec::new(),
        out_at: 0,
        done: false,
        hasher,
        hash: hash.clone(),
        progress: progress.clone(),
        since_record: 0,
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(decoding);
    let mut rows = TextRows { reader, record: csv::ByteRecord::new(), number: 0, next_line: 1, failed: false };
    if declared.is_some() {
        rows.next(); // the "sep=" line itself, not a row of the list
    }
    let delimiter_name = match delimiter {
        b'\t' => "tab".to_string(),
        d => (d as char).to_string(),
    };
    Ok(Source {
        detected: Detected {
            format: "csv".into(),
            encoding: Some(encoding.name().to_string()),
            delimiter: Some(delimiter_name),
            sheets: Vec::new(),
            size_bytes: size,
        },
        rows: Box::new(rows),
        progress,
        total: size,
        hash,
        workbook: None,
    })
}

struct TextRows<R> {
    reader: csv::Reader<R>,
    record: csv::ByteRecord,
    /// The row number a spreadsheet would show: records, plus the blank lines the CSV reader skips.
    number: u64,
    /// The line just after the previous record.
    next_line: u64,
    failed: bool,
}

impl<R: Read> Iterator for TextRows<Decoding<R>> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        if self.failed {
            return None;
        }
        let refuse = |this: &mut Self, message: String| {
            this.failed = true;
            Some(Err(Error::invalid_field("file", message)))
        };
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                // The budget counts from the end of this record (what the reader holds ahead is
                // already counted, so the limit is a little stricter than it says, never looser).
                let held = self.reader.get_ref().since_record.min(256 * 1024);
                self.reader.get_mut().since_record = held;
                // The lines this read consumed, less the record's own, are blank lines it skipped.
                let after = self.reader.position().line();
                let own = 1 + self.record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
                self.number += 1 + (after - self.next_line).saturating_sub(own);
                self.next_line = after;
                if self.record.len() > MAX_COLUMNS {
                    let message = format!("row {} has {} columns; Regulars reads at most {MAX_COLUMNS}", self.number, self.record.len());
                    return refuse(self, message);
                }
                let mut cells = Vec::with_capacity(self.record.len());
                for field in self.record.iter() {
                    if field.len() > MAX_CELL_BYTES {
                        let message = format!("a cell in row {} is {} MB; Regulars reads cells of up to 1 MB", self.number, field.len() >> 20);
                        return refuse(self, message);
                    }
                    // Decoding already made the text valid UTF-8.
                    let text = String::from_utf8_lossy(field);
                    cells.push(if text.trim().is_empty() { Cell::Empty } else { Cell::Text(text.into_owned()) });
                }
                Some(Ok(Row { number: self.number, cells }))
            }
            Err(e) => {
                let message = format!("row {} cannot be read: {e}", self.number + 1);
                refuse(self, message)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Workbooks

fn open_workbook(path: &Path, size: u64) -> Result<Source> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let hash = hex(&Sha256::digest(&bytes));
    let format = if bytes.starts_with(b"PK") { zip_format(&bytes).map_err(|m| unreadable(path, m))? } else { "xls" };
    // Third-party parsers run behind a panic guard: a malformed file is an error, never a crash.
    let guarded = |f: &dyn Fn() -> std::result::Result<Workbook, String>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err("the file is damaged or not a spreadsheet (the reader gave up on it)".into()))
            .map_err(|m| unreadable(path, m))
    };
    let book = if matches!(format, "xlsx") {
        let bytes = Arc::new(bytes);
        guarded(&|| {
            let book = calamine::Xlsx::new(Cursor::new(SharedBytes(bytes.clone()))).map_err(|e| format!("it is damaged or not a spreadsheet ({e})"))?;
            Ok(Workbook::Xlsx { bytes: bytes.clone(), names: book.sheet_names() })
        })?
    } else {
        guarded(&|| load_sheets(bytes.clone(), format).map(Workbook::Loaded))?
    };
    let names = book.names();
    Ok(Source {
        detected: Detected { format: format.into(), encoding: None, delimiter: None, sheets: names, size_bytes: size },
        rows: Box::new(std::iter::empty()),
        progress: Arc::new(AtomicU64::new(0)),
        total: 0,
        hash: Arc::new(std::sync::Mutex::new(Some(hash))),
        workbook: Some(book),
    })
}

/// Which workbook a zip file holds, after inflating every part once to measure it: the sizes a
/// zip's directory declares can lie, so only what actually comes out counts. A part that inflates
/// far beyond its compressed size (a "zip bomb") or a workbook over 1 GB is refused as it streams,
/// with memory flat; an ODS sheet's repeated rows and columns are counted before anything expands
/// them.
fn zip_format(bytes: &[u8]) -> std::result::Result<&'static str, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("it is damaged or not a workbook ({e})"))?;
    let mut kind = None;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| format!("it is damaged ({e})"))?;
        kind = match entry.name() {
            "xl/workbook.xml" => Some("xlsx"),
            "xl/workbook.bin" => Some("xlsb"),
            "content.xml" if kind.is_none() => Some("ods"),
            _ => kind,
        };
    }
    let kind = kind.ok_or_else(|| "it is a zip file, not a spreadsheet".to_string())?;
    let bomb = || "it would unpack to an absurd size (a “zip bomb”), so it was not opened".to_string();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| format!("it is damaged ({e})"))?;
        let name = entry.name().to_string();
        let compressed = entry.compressed_size().max(1);
        let mut measured = Measured { inner: entry, read: 0, compressed, total_before: total, over: false };
        let mut checked = Ok(());
        if kind == "ods" && name == "content.xml" {
            checked = check_ods_repeats(std::io::BufReader::new(&mut measured));
        }
        let checked = checked.and_then(|()| std::io::copy(&mut measured, &mut std::io::sink()).map(drop).map_err(|e| format!("it is damaged ({e})")));
        if measured.over {
            return Err(bomb());
        }
        checked?;
        total += measured.read;
    }
    Ok(kind)
}

/// A part of a zip as it inflates, refusing to go on past the limits (`over` says it did).
struct Measured<R> {
    inner: R,
    read: u64,
    compressed: u64,
    total_before: u64,
    over: bool,
}

impl<R: Read> Read for Measured<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        // Real sheets compress 10 to 50 times; a bomb, hundreds or thousands of times.
        let ratio = self.read / self.compressed;
        if self.total_before + self.read > MAX_UNPACKED_BYTES || (self.read > 32 << 20 && ratio > 200) {
            self.over = true;
            return Err(std::io::Error::new(std::io::ErrorKind::OutOfMemory, "a zip bomb"));
        }
        Ok(n)
    }
}

/// The most cells a loaded sheet (ODS, XLS, XLSB) may expand to.
pub const MAX_SHEET_CELLS: u64 = 5_000_000;

/// Counts the cells an ODS sheet expands to (`number-rows-repeated`, `number-columns-repeated`)
/// without expanding them: an 831-byte file may ask for a hundred million rows.
fn check_ods_repeats(reader: impl std::io::BufRead) -> std::result::Result<(), String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let too_big = || format!("a sheet in it would expand to more than {MAX_SHEET_CELLS} cells (rows or columns repeated absurdly often), so it was not opened");
    let repeats = |e: &quick_xml::events::BytesStart, key: &[u8]| -> u64 {
        e.try_get_attribute(key).ok().flatten().and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse::<u64>().ok()).unwrap_or(1)
    };
    // Per table: rows up to the last row with content, and the widest row with content.
    let (mut rows, mut rows_to_last, mut widest) = (0u64, 0u64, 0u64);
    let (mut row_repeat, mut row_width, mut row_filled) = (1u64, 0u64, 0u64);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| format!("it is damaged ({e})"))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                b"table:table" => (rows, rows_to_last, widest) = (0, 0, 0),
                b"table:table-row" => {
                    row_repeat = repeats(e, b"table:number-rows-repeated");
                    (row_width, row_filled) = (0, 0);
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let n = repeats(e, b"table:number-columns-repeated");
                    row_width = row_width.saturating_add(n);
                    let filled = matches!(event, Event::Start(_)) || e.try_get_attribute(b"office:value-type").ok().flatten().is_some();
                    if filled {
                        row_filled = row_width;
                    }
                }
                _ => {}
            },
            Event::End(ref e) if e.name().as_ref() == b"table:table-row" => {
                rows = rows.saturating_add(row_repeat);
                if row_filled > 0 {
                    rows_to_last = rows;
                    widest = widest.max(row_filled);
                }
                if rows_to_last.saturating_mul(widest) > MAX_SHEET_CELLS {
                    return Err(too_big());
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn load_sheets(bytes: Vec<u8>, format: &str) -> std::result::Result<Vec<(String, Range<Data>)>, String> {
    fn all<R: Reader<Cursor<Vec<u8>>>>(mut book: R) -> std::result::Result<Vec<(String, Range<Data>)>, String>
    where
        R::Error: std::fmt::Display,
    {
        let names = book.sheet_names();
        let mut out = Vec::new();
        for name in names {
            let range = book.worksheet_range(&name).map_err(|e| format!("its sheet “{name}” cannot be read ({e})"))?;
            out.push((name, range));
        }
        Ok(out)
    }
    let cursor = Cursor::new(bytes);
    let damaged = |e: &dyn std::fmt::Display| format!("it is damaged or not a spreadsheet ({e})");
    match format {
        "xlsx" => all(calamine::Xlsx::new(cursor).map_err(|e| damaged(&e))?),
        "xlsb" => all(calamine::Xlsb::new(cursor).map_err(|e| damaged(&e))?),
        "ods" => all(calamine::Ods::new(cursor).map_err(|e| damaged(&e))?),
        _ => all(calamine::Xls::new(cursor).map_err(|e| damaged(&e))?),
    }
}

/// The rows of one loaded sheet, numbered as the spreadsheet numbers them.
pub fn sheet_rows(range: Range<Data>) -> Box<dyn Iterator<Item = Result<Row>> + Send> {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let (height, width) = range.get_size();
    if width > MAX_COLUMNS {
        let message = format!("the sheet has {width} columns; Regulars reads at most {MAX_COLUMNS}");
        return Box::new(std::iter::once(Err(Error::invalid_field("file", message))));
    }
    Box::new((0..height).map(move |r| {
        // Columns before the sheet's first used one are empty, so that letters stay right.
        let mut cells = vec![Cell::Empty; first_col as usize];
        cells.extend((0..width).map(|c| range.get((r, c)).map_or(Cell::Empty, cell_of)));
        Ok(Row { number: first_row as u64 + r as u64 + 1, cells })
    }))
}

/// A workbook cell as Regulars reads it: dates as dates (1900 or 1904 system, as the file says),
/// numbers as numbers, errors as empty, and text cut at 1 MB.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) if s.len() > MAX_CELL_BYTES => Cell::Text(s.chars().take(MAX_CELL_BYTES / 4).collect()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt.as_datetime().map_or(Cell::Number(dt.as_f64()), Cell::Date),
        Data::DateTimeIso(s) => s
            .parse::<NaiveDateTime>()
            .or_else(|_| s.parse::<chrono::NaiveDate>().map(|d| d.and_time(chrono::NaiveTime::MIN)))
            .map_or_else(|_| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// Whether a source is text whose encoding could not be read everywhere (U+FFFD appears).
pub fn has_undecodable(text: &str) -> bool {
    text.contains('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::UTF_8;

    #[test]
    fn delimiters_are_sniffed_past_title_lines_and_quotes() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("Prénom;Nom;Montant\nAna;Abbott;120,40 €\nBea;Lund;1,50\n"), b';');
        assert_eq!(sniff_delimiter("Customers\nname\temail\tphone\nAna\ta@b.co\t0711\n"), b'\t');
        assert_eq!(sniff_delimiter("name|notes\nAna|\"a, b, c\"\nBea|\"d, e\"\n"), b'|');
        assert_eq!(sniff_delimiter("just one column\nAna\n"), b',');
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFname\n", true).unwrap(), UTF_8);
        assert_eq!(detect_encoding(b"\xFF\xFEn\0a\0m\0e\0", true).unwrap(), UTF_16LE);
        let utf16_no_bom: Vec<u8> = "name,email\nAna,a@b.co\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(detect_encoding(&utf16_no_bom, true).unwrap(), UTF_16LE);
        assert_eq!(detect_encoding("Prénom;Nom\nHélène;Lefèvre\n".as_bytes(), true).unwrap(), UTF_8);
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode("Prénom;Nom;Ville\nHélène;Lefèvre;Besançon\nJürgen;Jäger;Köln\n");
        assert_eq!(detect_encoding(&latin1, true).unwrap().name(), "windows-1252");
        assert!(detect_encoding(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0", true).unwrap_err().contains("binary"));
    }
}
