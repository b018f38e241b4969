//! One spreadsheet row to one customer: each mapped cell is read with the parser its field needs,
//! normalised (emails, E.164 phones, bare handles, ISO dates, cents), and every value that cannot be
//! used becomes a problem naming the row and column, while the rest of the row is kept.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::layout::{self, is_summary, Field};
use super::read::{has_undecodable, Cell, Row};
use super::values::{self, DateOrder};
use super::{Column, Layout, Problem};
use crate::customers;
use crate::model::{Address, Channel, Consent, ConsentStatus, Customer, Money};
use crate::normalize::{self, Region};
use crate::store::SearchDoc;

/// A row read and normalised, before identity is decided.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub row: u64,
    /// `Err` holds why the whole row cannot become a customer.
    pub customer: Result<Customer, Problem>,
    /// Values left out of the customer, each with why.
    pub problems: Vec<Problem>,
    /// The customer's sort name and search words, worked out on the reading thread.
    pub index: Option<(String, SearchDoc)>,
}

/// Reads one row with the layout's mapping: each cell into the parts of a customer
/// (`Parts::take`), then the parts into one customer (`Parts::into_customer`).
pub fn read_row(row: &Row, layout: &Layout, now: DateTime<Utc>) -> Incoming {
    if is_summary(&row.cells) {
        let text = row.cells.iter().find(|c| !c.is_empty()).map(|c| c.text().into_owned()).unwrap_or_default();
        let problem = Problem::error(row.number, "", format!("“{text}” looks like a summary line, not a customer"));
        return Incoming { row: row.number, customer: Err(problem), problems: Vec::new(), index: None };
    }
    let mut parts = Parts::new(row, layout, now.date_naive());
    for column in &layout.columns {
        let Some(cell) = row.cells.get(column.index).filter(|c| !c.is_empty()) else { continue };
        let text = cell.text();
        let raw = values::strip_formula_guard(text.trim());
        if has_undecodable(raw) {
            parts.refuse(column, format!("“{raw}” has characters that could not be read; check the file's encoding"));
        }
        parts.take(column, cell, raw);
    }
    parts.into_customer(now)
}

/// What one row says of a customer, field by field, before it is one customer.
struct Parts<'a> {
    row: &'a Row,
    layout: &'a Layout,
    today: NaiveDate,
    problems: Vec<Problem>,
    first: String,
    last: String,
    full: String,
    given_display: String,
    emails: Vec<String>,
    /// Phones are read once the row's country is known: (rank, value, column).
    phone_values: Vec<(u8, String, &'a str)>,
    handles: BTreeMap<crate::model::Platform, String>,
    /// Each address group's parts by rank (see `layout::rank`): the best-ranked is kept whole.
    addresses: BTreeMap<u8, (Address, String)>,
    company: String,
    birthday: Option<NaiveDate>,
    since: Option<NaiveDate>,
    last_visit: Option<NaiveDate>,
    tags: Vec<String>,
    notes: Vec<String>,
    consent: Consent,
    preferred: Option<Channel>,
    spend: Option<Money>,
    orders: Option<u32>,
    custom: BTreeMap<String, String>,
}

/// Keeps the first value a one-of field is given.
fn set(slot: &mut String, value: &str) {
    if slot.is_empty() {
        *slot = value.to_string();
    }
}

impl<'a> Parts<'a> {
    fn new(row: &'a Row, layout: &'a Layout, today: NaiveDate) -> Parts<'a> {
        Parts {
            row,
            layout,
            today,
            problems: Vec::new(),
            first: String::new(),
            last: String::new(),
            full: String::new(),
            given_display: String::new(),
            emails: Vec::new(),
            phone_values: Vec::new(),
            handles: BTreeMap::new(),
            addresses: BTreeMap::new(),
            company: String::new(),
            birthday: None,
            since: None,
            last_visit: None,
            tags: Vec::new(),
            notes: Vec::new(),
            consent: Consent::default(),
            preferred: None,
            spend: None,
            orders: None,
            custom: BTreeMap::new(),
        }
    }

    /// A value left out of the customer, with why.
    fn refuse(&mut self, column: &Column, message: String) {
        self.problems.push(Problem::warning(self.row.number, &column.header, message));
    }

    fn take(&mut self, column: &'a Column, cell: &Cell, raw: &str) {
        match column.field {
            Field::FirstName => set(&mut self.first, &values::tidy_case(raw)),
            Field::LastName => set(&mut self.last, &values::tidy_case(raw)),
            Field::FullName => set(&mut self.full, raw),
            Field::DisplayName => set(&mut self.given_display, raw),
            Field::Email => self.take_emails(column, raw),
            Field::Phone => self.take_phones(column, cell, raw),
            Field::Handle(platform) => {
                let value = match cell {
                    Cell::Number(n) => values::number_as_phone(*n).unwrap_or_else(|| raw.to_string()),
                    _ => raw.to_string(),
                };
                match normalize::handle(platform, &value) {
                    Ok(h) => {
                        self.handles.entry(platform).or_insert(h);
                    }
                    Err(m) => self.refuse(column, m),
                }
            }
            Field::Company => set(&mut self.company, raw),
            Field::Street | Field::Street2 | Field::City | Field::Region | Field::PostalCode | Field::Country => {
                let (address, street2) = self.addresses.entry(column.rank).or_default();
                let slot = match column.field {
                    Field::Street => &mut address.street,
                    Field::City => &mut address.city,
                    Field::Region => &mut address.region,
                    Field::PostalCode => &mut address.postal_code,
                    Field::Country => &mut address.country,
                    _ => street2,
                };
                set(slot, raw);
            }
            Field::Birthday | Field::CustomerSince | Field::LastVisit => self.take_date(column, cell, raw),
            Field::Tags => {
                for tag in values::split_list(raw, &[',', ';', '|']) {
                    if tag.chars().count() <= 100 && !self.tags.iter().any(|t| normalize::fold(t) == normalize::fold(&tag)) {
                        self.tags.push(tag);
                    }
                }
            }
            Field::Notes => self.notes.push(raw.to_string()),
            Field::EmailConsent | Field::SmsConsent => self.take_consent(column, cell, raw),
            Field::PreferredChannel => match raw.parse::<Channel>() {
                Ok(c) => self.preferred = Some(c),
                Err(m) => self.refuse(column, m),
            },
            Field::LifetimeSpend | Field::OrdersCount => self.take_figure(column, cell, raw),
            Field::Custom => {
                let key = match layout::detail_name(&column.header) {
                    Some(name) => name.to_string(),
                    None if column.header.trim().is_empty() => format!("Column {}", column.letter),
                    None => column.header.trim().to_string(),
                };
                keep_detail(&mut self.custom, &key, raw);
            }
            Field::Ignore => {}
        }
    }

    fn take_emails(&mut self, column: &Column, raw: &str) {
        for value in values::split_list(&values::angle_addresses(raw), &[';', ',', ' ']) {
            match normalize::email(&value) {
                Ok(e) if !self.emails.contains(&e) => self.emails.push(e),
                Ok(_) => {}
                Err(m) => self.refuse(column, m),
            }
        }
    }

    /// Phones wait for the row's country; a fax or a pager in a phone column (by Google's label
    /// in the same row) is kept as a detail, not as their phone.
    fn take_phones(&mut self, column: &'a Column, cell: &Cell, raw: &str) {
        let label = column.label.and_then(|l| self.row.cells.get(l)).map(|c| c.text().trim().to_string()).unwrap_or_default();
        let rank = if label.is_empty() { Ok(column.rank) } else { layout::phone_label_rank(&label) };
        let rank = match rank {
            Ok(rank) => rank,
            Err(label) => return keep_detail(&mut self.custom, &label, raw),
        };
        let listed = match cell {
            Cell::Number(n) => values::number_as_phone(*n).into_iter().collect(),
            _ if values::is_scientific(raw) => {
                self.refuse(column, format!("“{raw}” is a phone number that Excel shortened to scientific notation; its last digits are lost, so it was left out"));
                Vec::new()
            }
            _ => values::split_list(raw, &[';', ',']),
        };
        self.phone_values.extend(listed.into_iter().map(|v| (rank, v, column.header.as_str())));
    }

    fn take_date(&mut self, column: &Column, cell: &Cell, raw: &str) {
        let order = self.layout.date_orders.get(column.index).copied().flatten().unwrap_or(DateOrder::DayFirst);
        match read_date(cell, raw, order, self.today) {
            Ok(d) if d > self.today => self.refuse(column, format!("{d} is in the future")),
            Ok(d) => {
                let slot = match column.field {
                    Field::Birthday => &mut self.birthday,
                    Field::CustomerSince => &mut self.since,
                    _ => &mut self.last_visit,
                };
                slot.get_or_insert(d);
            }
            Err(m) => self.refuse(column, m),
        }
    }

    /// Several answers: a no anywhere is a no, else a yes anywhere is a yes.
    fn take_consent(&mut self, column: &Column, cell: &Cell, raw: &str) {
        let answer = match cell {
            Cell::Bool(b) => Ok(if *b { ConsentStatus::Yes } else { ConsentStatus::No }),
            // A consent column holding a date says when they said yes (Mailchimp's
            // CONFIRM_TIME, the confirmed opt-in), or when they left (UNSUB_TIME).
            Cell::Date(_) => Ok(date_consent(&column.header)),
            _ => values::parse_consent(raw).or_else(|e| {
                let day = raw.get(..10).unwrap_or(raw);
                if normalize::iso_date(day).is_ok() { Ok(date_consent(&column.header)) } else { Err(e) }
            }),
        };
        let slot = if column.field == Field::EmailConsent { &mut self.consent.email } else { &mut self.consent.sms };
        match answer {
            Ok(ConsentStatus::Unknown) => {}
            Ok(a) if *slot != ConsentStatus::No => *slot = a,
            Ok(_) => {}
            Err(m) => self.refuse(column, m),
        }
    }

    /// Total spent and number of orders: the largest of several columns.
    fn take_figure(&mut self, column: &Column, cell: &Cell, raw: &str) {
        if column.field == Field::LifetimeSpend {
            let amount = match cell {
                Cell::Number(n) if n.is_finite() && n.abs() < 1e13 => Ok(Money::from_cents((n * 100.0).round() as i64)),
                _ => {
                    let mark = self.layout.money_marks.get(column.index).copied().unwrap_or_default();
                    values::parse_money_in(raw, mark, &self.layout.currency)
                }
            };
            match amount {
                Ok(m) => self.spend = Some(self.spend.map_or(m, |s| s.max(m))),
                Err(m) => self.refuse(column, m),
            }
        } else {
            let count = match cell {
                Cell::Number(n) if n.fract() == 0.0 && (0.0..4e9).contains(n) => Ok(*n as u32),
                _ => values::parse_count(raw),
            };
            match count {
                Ok(n) => self.orders = Some(self.orders.map_or(n, |o| o.max(n))),
                Err(m) => self.refuse(column, m),
            }
        }
    }

    /// The best-ranked address with a street, town or postcode, whole (else whatever there is),
    /// and the country the row names, if it names one.
    fn address(&mut self) -> (Address, Option<&'static str>) {
        let chosen = self
            .addresses
            .iter()
            .find(|(_, (a, s2))| !a.street.is_empty() || !s2.is_empty() || !a.city.is_empty() || !a.postal_code.is_empty())
            .or_else(|| self.addresses.iter().next())
            .map(|(rank, _)| *rank);
        let country = chosen
            .and_then(|r| self.addresses.get(&r))
            .and_then(|(a, _)| crate::countries::code_of(&a.country))
            .or_else(|| self.addresses.values().find_map(|(a, _)| crate::countries::code_of(&a.country)));
        let mut address = Address::default();
        if let Some((mut a, street2)) = chosen.and_then(|r| self.addresses.remove(&r)) {
            if !street2.is_empty() {
                a.street = if a.street.is_empty() { street2 } else { format!("{}, {street2}", a.street) };
            }
            address = a;
        }
        (address, country)
    }

    /// A number without a country code is read as the row's country's, else as the file's
    /// (`Layout::phones`); mobiles first, then home, then work.
    fn phones(&mut self, country: Option<&str>) -> Vec<String> {
        let row_region = country.and_then(|c| Region::parse(c).ok());
        let file_region = self.layout.phone_region;
        let mut values = std::mem::take(&mut self.phone_values);
        values.sort_by_key(|(rank, _, _)| *rank);
        let mut phones: Vec<String> = Vec::new();
        for (_, value, header) in values {
            let read = match row_region {
                Some(r) => normalize::phone(&value, r).or_else(|e| normalize::phone(&value, file_region).map_err(|_| e)),
                None => normalize::phone(&value, file_region),
            };
            match read {
                Ok(p) if !phones.contains(&p) => phones.push(p),
                Ok(_) => {}
                Err(m) => self.problems.push(Problem::warning(self.row.number, header, m)),
            }
        }
        phones
    }

    fn into_customer(mut self, now: DateTime<Utc>) -> Incoming {
        let number = self.row.number;
        if self.first.is_empty() && self.last.is_empty() && !self.full.is_empty() {
            (self.first, self.last) = values::split_name(&self.full);
        }
        let (address, country) = self.address();
        let phones = self.phones(country);
        let display_name = customers::display_name(self.given_display.trim(), &self.first, &self.last, &self.company, &self.emails, &phones, &self.handles);
        let Some(display_name) = display_name else {
            let why = if self.problems.is_empty() {
                "this row has no name, email, phone or handle"
            } else {
                "this row has no name, email, phone or handle that could be read"
            };
            return Incoming { row: number, customer: Err(Problem::error(number, "", why)), problems: self.problems, index: None };
        };
        for (label, value) in [("first name", &self.first), ("last name", &self.last), ("name", &display_name)] {
            if value.chars().count() > 200 {
                let name_field = |c: &&Column| matches!(c.field, Field::FirstName | Field::LastName | Field::FullName | Field::DisplayName);
                let column = self.layout.columns.iter().find(name_field).map_or("", |c| c.header.as_str());
                let problem = Problem::error(number, column, format!("the {label} is longer than 200 characters"));
                return Incoming { row: number, customer: Err(problem), problems: self.problems, index: None };
            }
        }
        let customer = Customer {
            id: 0,
            first_name: self.first,
            last_name: self.last,
            display_name,
            emails: self.emails,
            phones,
            handles: self.handles,
            address,
            company: self.company,
            birthday: self.birthday,
            customer_since: self.since,
            tags: self.tags,
            notes: self.notes.join("\n"),
            consent: self.consent,
            preferred_channel: self.preferred,
            custom: self.custom,
            lifetime_spend: self.spend,
            orders_count: self.orders,
            last_visit: self.last_visit,
            first_purchase_at: None,
            last_purchase_at: None,
            created_at: now,
            updated_at: now,
        };
        let index = Some(customers::index_keys(&customer));
        Incoming { row: number, customer: Ok(customer), problems: self.problems, index }
    }
}

/// What a date in a consent column means: when they left, for "Unsubscribed at", "UNSUB_TIME" or
/// "Cleaned"; else when they said yes.
fn date_consent(header: &str) -> ConsentStatus {
    let words = layout::header_words(header);
    if ["unsub", "opt out", "optout", "cleaned", "revoked", "withdrawn"].iter().any(|w| words.contains(w)) {
        ConsentStatus::No
    } else {
        ConsentStatus::Yes
    }
}

/// Keeps a detail under `key`; a second value for the same key is added after the first.
fn keep_detail(custom: &mut BTreeMap<String, String>, key: &str, raw: &str) {
    let value: String = raw.chars().take(2_000).collect();
    match custom.get_mut(key) {
        Some(old) if !old.split(", ").any(|v| v == value) && old.len() < 2_000 => {
            old.push_str(", ");
            old.push_str(&value);
        }
        Some(_) => {}
        None => {
            custom.insert(key.to_string(), value);
        }
    }
}

fn read_date(cell: &Cell, raw: &str, order: DateOrder, today: NaiveDate) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => Ok(d.date()),
        Cell::Number(n) => values::excel_serial_date(*n).ok_or_else(|| format!("“{raw}” is not a date")),
        _ => values::parse_date(raw, order, today),
    }
}
