//! Bulk import of touchpoints (review and comment exports) and purchases (Shopify order exports,
//! Square transaction exports, a shop's own sales sheet), through the same file reading as the
//! customer import (`import::read`: formats, encodings, delimiters, workbooks). Each row becomes a
//! draft and goes through the same checks as one logged by hand; a row that fails is reported by
//! its number and column and the rest still import. Everything lands in one transaction (or, with
//! `dry_run`, is rehearsed and rolled back). Importing the same file again adds nothing: purchases
//! are known by their order number, touchpoints by their fingerprint.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::customers::{self, Change};
use crate::error::{Error, ErrorKind, Result};
use crate::import::layout::header_words as words;
use crate::import::read::{self, Cell, Row};
use crate::import::{values, Problem};
use crate::model::{CustomerId, ImportCounts, ImportId, ImportKind, PurchaseDraft, TouchpointDraft};
use crate::store::{Store, WriteDb};
use crate::{purchases, touchpoints};

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
    pub dry_run: bool,
}

/// What a column of a touchpoint or purchase export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Col {
    Customer,
    Author,
    Channel,
    Kind,
    Text,
    At,
    Rating,
    Reach,
    Url,
    Direction,
    Status,
    Order,
    Email,
    Phone,
    CustomerRef,
    CustomerName,
    Time,
    Amount,
    Refunded,
    Currency,
    Items,
    Event,
}

impl Col {
    /// The field's name, as the report shows it.
    fn name(self) -> &'static str {
        match self {
            Col::Customer => "customer",
            Col::Author => "author",
            Col::Channel => "channel",
            Col::Kind => "kind",
            Col::Text => "text",
            Col::At => "at",
            Col::Rating => "rating",
            Col::Reach => "reach",
            Col::Url => "url",
            Col::Direction => "direction",
            Col::Status => "status",
            Col::Order => "order",
            Col::Email => "email",
            Col::Phone => "phone",
            Col::CustomerRef => "customer_ref",
            Col::CustomerName => "customer_name",
            Col::Time => "time",
            Col::Amount => "amount",
            Col::Refunded => "refunded",
            Col::Currency => "currency",
            Col::Items => "items",
            Col::Event => "event",
        }
    }
}

/// Header words (folded, punctuation as spaces, numbers dropped: `import::layout::header_words`) for each field.
type Synonyms = &'static [(Col, &'static [&'static str])];

const TOUCHPOINT_FIELDS: Synonyms = &[
    (Col::Customer, &["customer", "customer id", "customer email", "customer phone", "email", "e mail", "phone"]),
    (Col::Author, &["author", "user", "username", "user name", "handle", "from", "name", "reviewer", "reviewer name", "profile", "account", "commenter", "auteur", "autor", "autore", "nom", "nombre", "naam", "verfasser", "kunde"]),
    (Col::Channel, &["channel", "platform", "source", "network", "site", "canal", "kanal", "plateforme", "plattform", "plataforma", "piattaforma", "kanaal"]),
    (Col::Kind, &["kind", "type", "interaction", "interaction type"]),
    (Col::Text, &["text", "comment", "message", "review", "content", "body", "review text", "caption", "comment text", "commentaire", "avis", "kommentar", "bewertungstext", "nachricht", "comentario", "resena", "mensaje", "commento", "recensione", "messaggio", "opmerking", "recensie", "bericht", "comentario", "avaliacao", "mensagem", "texte", "texto", "testo", "tekst"]),
    (Col::At, &["date", "time", "created at", "created", "posted at", "posted", "timestamp", "date time", "review date", "published", "when", "datum", "fecha", "data", "heure", "zeit", "hora", "ora", "tijd", "date de publication", "erstellt am"]),
    (Col::Rating, &["rating", "stars", "star rating", "score", "note", "etoiles", "bewertung", "sterne", "puntuacion", "estrellas", "valutazione", "stelle", "beoordeling", "sterren", "classificacao", "estrelas"]),
    (Col::Reach, &["followers", "reach", "follower count", "audience", "followers count"]),
    (Col::Url, &["url", "link", "permalink", "review url"]),
    (Col::Direction, &["direction"]),
    (Col::Status, &["status", "reply status"]),
];

const PURCHASE_FIELDS: Synonyms = &[
    (Col::Order, &["name", "order", "order id", "order number", "order no", "transaction id", "receipt number", "receipt", "invoice", "id", "commande", "numero de commande", "bestellung", "bestellnummer", "pedido", "numero de pedido", "ordine", "numero ordine", "bestelling", "bestelnummer", "encomenda", "facture", "rechnung", "factura", "fattura"]),
    (Col::Email, &["email", "e mail", "customer email", "billing email"]),
    (Col::Phone, &["phone", "billing phone", "customer phone", "phone number"]),
    (Col::CustomerRef, &["customer id", "customer reference id", "square customer id", "customer"]),
    (Col::CustomerName, &["customer name", "billing name", "client"]),
    (Col::At, &["paid at", "created at", "date", "order date", "time", "transaction date", "datetime", "datum", "fecha", "data", "date de commande", "bestelldatum", "fecha del pedido", "data ordine", "besteldatum"]),
    (Col::Time, &["time of day"]),
    (Col::Amount, &["total", "amount", "total collected", "net total", "gross sales", "order total", "price", "total money", "montant", "total ttc", "betrag", "summe", "gesamt", "importe", "importo", "totale", "bedrag", "totaal", "valor", "montante"]),
    (Col::Refunded, &["refunded amount", "refund amount", "refunds"]),
    (Col::Currency, &["currency", "devise", "wahrung", "moneda", "valuta", "moeda"]),
    (Col::Items, &["lineitem name", "items", "description", "item", "product", "products", "item name", "articles", "article", "produit", "produits", "artikel", "produkt", "produkte", "articulos", "producto", "productos", "articoli", "prodotto", "prodotti", "producten", "produtos", "artigos"]),
    (Col::Channel, &["channel", "source", "sales channel"]),
    (Col::Event, &["event type", "type", "kind"]),
];


/// Which field each column holds: the first column whose header names a field takes it.
fn map_columns(header: &[Cell], fields: Synonyms) -> Vec<Option<Col>> {
    let mut taken: Vec<Col> = Vec::new();
    header
        .iter()
        .map(|cell| {
            let w = words(&cell.text());
            let field = fields.iter().find(|(name, syn)| !taken.contains(name) && syn.contains(&w.as_str())).map(|(n, _)| *n);
            if let Some(f) = field {
                taken.push(f);
            }
            field
        })
        .collect()
}

/// Reads a file's rows: the header row is the first of the first 20 rows that names at least two
/// fields; the sheet is the first whose rows have one.
/// A file's column mapping, its header texts, its data rows, and what the history records of the
/// file (its hash and format).
type Table = (Vec<Option<Col>>, Vec<String>, Vec<Row>, FileFacts);

/// The file's SHA-256 and format, for the import history.
struct FileFacts {
    hash: String,
    format: String,
}

fn read_table(path: &Path, fields: Synonyms) -> Result<Table> {
    let mut source = read::open(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rows: Vec<Row> = match source.workbook.take() {
        Some(book) => {
            let index = (0..book.names().len())
                .find(|&i| book.sample(i, 20).iter().any(|r| map_columns(&r.cells, fields).iter().flatten().count() >= 2))
                .ok_or_else(|| Error::invalid_field("file", format!("no sheet of {name} has a header row naming its columns")))?;
            book.into_rows(index).0.collect::<Result<_>>()?
        }
        None => std::mem::replace(&mut source.rows, Box::new(std::iter::empty())).collect::<Result<_>>()?,
    };
    let header_at = rows
        .iter()
        .take(20)
        .position(|r| map_columns(&r.cells, fields).iter().flatten().count() >= 2)
        .ok_or_else(|| {
            let known: Vec<&str> = fields.iter().map(|(n, _)| n.name()).collect();
            Error::invalid_field("file", format!("{name} has no header row naming at least two of: {}", known.join(", ")))
        })?;
    let header = &rows[header_at];
    let mapping = map_columns(&header.cells, fields);
    let headers = header.cells.iter().map(|c| c.text().trim().to_string()).collect();
    let body = rows.into_iter().skip(header_at + 1).filter(|r| !r.cells.iter().all(Cell::is_empty)).collect();
    let hash = source.hash.lock().unwrap_or_else(|p| p.into_inner()).clone().unwrap_or_default();
    Ok((mapping, headers, body, FileFacts { hash, format: source.detected.format.clone() }))
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
        let purchase = map_columns(&row.cells, PURCHASE_FIELDS);
        let said = map_columns(&row.cells, TOUCHPOINT_FIELDS);
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
fn fields_of<'a>(row: &Row, mapping: &[Option<Col>], headers: &'a [String]) -> HashMap<Col, (String, &'a str)> {
    let mut out = HashMap::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let (Some(Some(field)), Some(header)) = (mapping.get(i), headers.get(i)) else { continue };
        let text = match cell {
            Cell::Date(d) => d.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            other => other.text().trim().to_string(),
        };
        if !text.is_empty() {
            out.insert(*field, (text, header.as_str()));
        }
    }
    out
}

fn columns(mapping: &[Option<Col>], headers: &[String]) -> Vec<(String, String)> {
    headers.iter().zip(mapping).map(|(h, f)| (h.clone(), f.map_or("", Col::name).to_string())).collect()
}

/// A time cell as RFC 3339: already one, a date and time, a plain date (in the shop's order), or
/// an Excel serial number.
fn time_of(raw: &str, change: &Change) -> std::result::Result<String, String> {
    if let Ok(t) = crate::normalize::instant(raw) {
        return Ok(t.to_rfc3339());
    }
    if let Ok(serial) = raw.parse::<f64>() {
        if let Some(d) = values::excel_serial_date(serial) {
            return Ok(format!("{d}T12:00:00Z"));
        }
    }
    let order = values::DateOrder::for_region(change.region.code());
    let (date_part, time_part) = raw.split_once([' ', 'T']).map_or((raw, ""), |(d, t)| (d, t));
    let date = values::parse_date(date_part, order, change.now.date_naive())?;
    let time = chrono::NaiveTime::parse_from_str(time_part.trim(), "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time_part.trim(), "%H:%M"))
        .unwrap_or(chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    Ok(date.and_time(time).and_utc().to_rfc3339())
}

/// Imports touchpoints. `channel` and `kind` columns name each row's; a row without a kind is a
/// review when it has a rating, else a comment.
pub fn import_touchpoints(store: &mut Store, path: &Path, change: &Change, dry_run: bool) -> Result<Report> {
    let (mapping, headers, rows, facts) = read_table(path, TOUCHPOINT_FIELDS)?;
    let mut report = Report { columns: columns(&mapping, &headers), dry_run, ..Report::default() };
    let mut drafts = Vec::new();
    for row in &rows {
        report.rows += 1;
        let f = fields_of(row, &mapping, &headers);
        let get = |k: &Col| f.get(k).map(|(v, _)| v.clone()).unwrap_or_default();
        let number = |k: Col| -> std::result::Result<Option<i64>, String> {
            match f.get(&k) {
                None => Ok(None),
                Some((v, h)) => values::parse_count(v).map(|n| Some(n as i64)).or_else(|_| {
                    v.trim_end_matches(['★', '*', ' ']).parse::<f64>().map(|x| Some(x.round() as i64)).map_err(|_| format!("{h}: “{v}” is not a number"))
                }),
            }
        };
        let at = match f.get(&Col::At) {
            Some((v, h)) => match time_of(v, change) {
                Ok(t) => t,
                Err(m) => {
                    report.rejected += 1;
                    report.problems.push(Problem::error(row.number, h, m));
                    continue;
                }
            },
            None => String::new(),
        };
        let (rating, reach) = match (number(Col::Rating), number(Col::Reach)) {
            (Ok(r), Ok(n)) => (r, n),
            (Err(m), _) | (_, Err(m)) => {
                report.rejected += 1;
                report.problems.push(Problem::error(row.number, "", m));
                continue;
            }
        };
        let kind = match get(&Col::Kind) {
            k if k.is_empty() && rating.is_some() => "review".to_string(),
            k if k.is_empty() => "comment".to_string(),
            k => k,
        };
        let draft = TouchpointDraft {
            customer_id: None,
            customer: get(&Col::Customer),
            author: get(&Col::Author),
            create_customer: false,
            channel: get(&Col::Channel),
            kind,
            direction: get(&Col::Direction),
            text: get(&Col::Text),
            url: get(&Col::Url),
            rating,
            reach,
            at,
            status: get(&Col::Status),
            sentiment: String::new(),
        };
        drafts.push((row.number, draft));
    }
    let unit = Unit { kind: ImportKind::Touchpoints, file_name: file_name(path), facts, dry_run, now: change.now };
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
struct Outcome {
    added: u64,
    unchanged: u64,
    rejected: Vec<Problem>,
}

impl Outcome {
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
        report.rejected += self.rejected.len() as u64;
        report.problems.extend(self.rejected);
        report.problems.sort_by_key(|p| p.row);
    }
}

/// One import as the history records it.
struct Unit {
    kind: ImportKind,
    file_name: String,
    facts: FileFacts,
    dry_run: bool,
    now: chrono::DateTime<chrono::Utc>,
}

/// Runs `f` (given the import's number) in one transaction with the import's record: every row of
/// the file lands, or (killed, failed) none does; with `dry_run` the same transaction is rolled
/// back, so a preview is exactly what the import does. The report gets the outcome's counts and
/// its number in the history.
fn apply(store: &mut Store, unit: &Unit, report: &mut Report, f: impl FnOnce(&WriteDb<'_>, ImportId) -> Result<Outcome>) -> Result<()> {
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
        Ok((outcome, import_id))
    };
    let (outcome, import_id) = if unit.dry_run {
        store.rehearse(work)?
    } else {
        crate::backup::before(store, crate::backup::BEFORE_IMPORT, unit.now)?;
        let what = format!("the import of {}", unit.file_name);
        store.announce(&what, |store| store.bulk(|store| store.write(work)))?
    };
    report.import_id = (!unit.dry_run).then_some(import_id);
    outcome.into_report(report);
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// One order assembled from its rows (Shopify writes one row per line item; only the first has
/// the totals).
#[derive(Default)]
struct Order {
    row: u64,
    fields: BTreeMap<Col, (String, String)>,
    items: Vec<String>,
}

/// Imports purchases from an order or transaction export. Rows with the same order number are one
/// order (their items joined). The customer is found by the row's email, phone, or the other
/// system's customer id (kept on the customer as a custom field by a customer import). A refund
/// event or amount becomes a return.
// One piece: orders assembled from their rows, then each order checked into a draft, then one transaction for all.
pub fn import_purchases(store: &mut Store, path: &Path, change: &Change, dry_run: bool) -> Result<Report> {
    let (mapping, headers, rows, facts) = read_table(path, PURCHASE_FIELDS)?;
    let mut report = Report { columns: columns(&mapping, &headers), dry_run, ..Report::default() };
    let mut orders: Vec<Order> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        report.rows += 1;
        let f = fields_of(row, &mapping, &headers);
        let key = f.get(&Col::Order).map(|(v, _)| v.clone());
        let index = match key.as_ref().and_then(|k| by_number.get(k)) {
            Some(&i) => {
                // A further line of an order already seen: its items, and nothing else.
                report.unchanged += 0;
                report.rows -= 1;
                if let Some((item, _)) = f.get(&Col::Items) {
                    orders[i].items.push(item.clone());
                }
                continue;
            }
            None => {
                orders.push(Order { row: row.number, ..Order::default() });
                orders.len() - 1
            }
        };
        if let Some(k) = key {
            by_number.insert(k, index);
        }
        let order = &mut orders[index];
        for (field, (value, header)) in f {
            if field == Col::Items {
                order.items.push(value);
            } else {
                order.fields.insert(field, (value, header.to_string()));
            }
        }
    }
    let mut drafts: Vec<(u64, Result<PurchaseDraft, Problem>)> = Vec::new();
    let shop_currency = crate::settings::currency(store)?;
    for order in &orders {
        let get = |k: &Col| order.fields.get(k).map(|(v, _)| v.clone()).unwrap_or_default();
        let customer = resolve_customer(store, &order.fields, change);
        let draft = match customer {
            Err(problem) => Err(Problem { row: order.row, ..problem }),
            Ok(id) => {
                let at = match order.fields.get(&Col::At) {
                    Some((v, h)) => {
                        let v = match order.fields.get(&Col::Time) {
                            Some((t, _)) if !v.contains(':') => format!("{v} {t}"),
                            _ => v.clone(),
                        };
                        time_of(&v, change).map_err(|m| Problem::error(order.row, h, m))
                    }
                    None => Err(Problem::error(order.row, "", "no date: add a date column (“Date”, “Paid at” or “Created at”)")),
                };
                let refunded = order.fields.get(&Col::Refunded).and_then(|(v, _)| values::parse_money(v).ok()).map_or(0, |m| m.cents());
                let event = words(&get(&Col::Event));
                let is_return = event.contains("refund") || event.contains("return");
                let parsed = order.fields.get(&Col::Amount).map(|(v, h)| (values::parse_amount(v, values::DecimalMark::Either), h));
                // "USD 12" in a column of amounts: the purchase is in dollars, whatever the shop's currency.
                let written = match &parsed {
                    Some((Ok(a), _)) => a.currency.map(|sign| {
                        let prefer = get(&Col::Currency);
                        values::currency_code(sign, if prefer.trim().is_empty() { &shop_currency } else { prefer.trim() })
                    }),
                    _ => None,
                };
                let amount = match parsed.map(|(a, h)| (a.map(|a| a.amount), h)) {
                    Some((Ok(m), _)) => Ok(m.cents() - refunded),
                    Some((Err(msg), h)) => Err(Problem::error(order.row, h, msg)),
                    None => Err(Problem::error(order.row, "", "no amount: add a “Total” or “Amount” column")),
                };
                match (at, amount) {
                    (Ok(at), Ok(cents)) => Ok(PurchaseDraft {
                        customer_id: Some(id),
                        customer: String::new(),
                        at,
                        amount: crate::model::Money::from_cents(cents).to_string(),
                        currency: match get(&Col::Currency) {
                            c if c.trim().is_empty() => written.map(str::to_string).unwrap_or_default(),
                            c => c,
                        },
                        items: order.items.join(", "),
                        channel: match words(&get(&Col::Channel)).as_str() {
                            "" => String::new(),
                            c if c.contains("pos") || c.contains("store") || c.contains("shop") => "in_store".into(),
                            _ => "online".into(),
                        },
                        is_return,
                        external_id: get(&Col::Order),
                    }),
                    (Err(p), _) | (_, Err(p)) => Err(p),
                }
            }
        };
        drafts.push((order.row, draft));
    }
    let unit = Unit { kind: ImportKind::Purchases, file_name: file_name(path), facts, dry_run, now: change.now };
    apply(store, &unit, &mut report, |w, import_id| {
        let mut outcome = Outcome::default();
        for (number, draft) in &drafts {
            match draft {
                Err(problem) => outcome.rejected.push(problem.clone()),
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
