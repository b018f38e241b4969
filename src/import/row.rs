//! One spreadsheet row to one customer: each mapped cell is read with the parser its field needs,
//! normalised (emails, E.164 phones, bare handles, ISO dates, cents), and every value that cannot be
//! used becomes a problem naming the row and column, while the rest of the row is kept.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::layout::{self, is_summary, Field};
use super::read::{has_undecodable, Cell, Row};
use super::values::{self, DateOrder};
use super::{Layout, Problem};
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

/// Reads one row with the layout's mapping.
pub fn read_row(row: &Row, layout: &Layout, now: DateTime<Utc>) -> Incoming {
    let today = now.date_naive();
    let mut problems = Vec::new();
    let mut first = String::new();
    let mut last = String::new();
    let mut full = String::new();
    let mut given_display = String::new();
    let mut emails: Vec<String> = Vec::new();
    // Phones are read once the row's country is known: (rank, value, column).
    let mut phone_values: Vec<(u8, String, &str)> = Vec::new();
    let mut handles = BTreeMap::new();
    // Each address group's parts by rank (see `layout::rank`): the best-ranked is kept whole.
    let mut addresses: BTreeMap<u8, (Address, String)> = BTreeMap::new();
    let mut company = String::new();
    let (mut birthday, mut since, mut last_visit) = (None, None, None);
    let mut tags: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut consent = Consent::default();
    let mut preferred = None;
    let mut spend: Option<Money> = None;
    let mut orders: Option<u32> = None;
    let mut custom = BTreeMap::new();

    if is_summary(&row.cells) {
        let text = row.cells.iter().find(|c| !c.is_empty()).map(|c| c.text().into_owned()).unwrap_or_default();
        let problem = Problem::error(row.number, "", format!("“{text}” looks like a summary line, not a customer"));
        return Incoming { row: row.number, customer: Err(problem), problems, index: None };
    }

    for column in &layout.columns {
        let Some(cell) = row.cells.get(column.index).filter(|c| !c.is_empty()) else { continue };
        let text = cell.text();
        let raw = values::strip_formula_guard(text.trim());
        let mut refuse = |message: String| problems.push(Problem::warning(row.number, &column.header, message));
        if has_undecodable(raw) {
            refuse(format!("“{raw}” has characters that could not be read; check the file's encoding"));
        }
        let set = |slot: &mut String, value: &str| {
            if slot.is_empty() {
                *slot = value.to_string();
            }
        };
        match column.field {
            Field::FirstName => set(&mut first, &values::tidy_case(raw)),
            Field::LastName => set(&mut last, &values::tidy_case(raw)),
            Field::FullName => set(&mut full, raw),
            Field::DisplayName => set(&mut given_display, raw),
            Field::Email => {
                for value in values::split_list(&values::angle_addresses(raw), &[';', ',', ' ']) {
                    match normalize::email(&value) {
                        Ok(e) if !emails.contains(&e) => emails.push(e),
                        Ok(_) => {}
                        Err(m) => refuse(m),
                    }
                }
            }
            Field::Phone => {
                let label = column.label.and_then(|l| row.cells.get(l)).map(|c| c.text().trim().to_string()).unwrap_or_default();
                let rank = if label.is_empty() { Ok(column.rank) } else { layout::phone_label_rank(&label) };
                let rank = match rank {
                    Ok(rank) => rank,
                    // A fax or a pager in a phone column is kept as a detail, not as their phone.
                    Err(label) => {
                        keep_detail(&mut custom, &label, raw);
                        continue;
                    }
                };
                let listed = match cell {
                    Cell::Number(n) => values::number_as_phone(*n).into_iter().collect(),
                    _ if values::is_scientific(raw) => {
                        refuse(format!("“{raw}” is a phone number that Excel shortened to scientific notation; its last digits are lost, so it was left out"));
                        Vec::new()
                    }
                    _ => values::split_list(raw, &[';', ',']),
                };
                phone_values.extend(listed.into_iter().map(|v| (rank, v, column.header.as_str())));
            }
            Field::Handle(platform) => {
                let value = match cell {
                    Cell::Number(n) => values::number_as_phone(*n).unwrap_or_else(|| raw.to_string()),
                    _ => raw.to_string(),
                };
                match normalize::handle(platform, &value) {
                    Ok(h) => {
                        handles.entry(platform).or_insert(h);
                    }
                    Err(m) => refuse(m),
                }
            }
            Field::Company => set(&mut company, raw),
            Field::Street | Field::Street2 | Field::City | Field::Region | Field::PostalCode | Field::Country => {
                let (address, street2) = addresses.entry(column.rank).or_default();
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
            Field::Birthday | Field::CustomerSince | Field::LastVisit => {
                let order = layout.date_orders.get(column.index).copied().flatten().unwrap_or(DateOrder::DayFirst);
                match read_date(cell, raw, order, today) {
                    Ok(d) if d > today => refuse(format!("{d} is in the future")),
                    Ok(d) => {
                        let slot = match column.field {
                            Field::Birthday => &mut birthday,
                            Field::CustomerSince => &mut since,
                            _ => &mut last_visit,
                        };
                        slot.get_or_insert(d);
                    }
                    Err(m) => refuse(m),
                }
            }
            Field::Tags => {
                for tag in values::split_list(raw, &[',', ';', '|']) {
                    if tag.chars().count() <= 100 && !tags.iter().any(|t| normalize::fold(t) == normalize::fold(&tag)) {
                        tags.push(tag);
                    }
                }
            }
            Field::Notes => notes.push(raw.to_string()),
            Field::EmailConsent | Field::SmsConsent => {
                let answer = match cell {
                    Cell::Bool(b) => Ok(if *b { ConsentStatus::Yes } else { ConsentStatus::No }),
                    // A consent column holding a date says when they said yes (Mailchimp's
                    // CONFIRM_TIME, the confirmed opt-in), or when they left (UNSUB_TIME).
                    Cell::Date(_) => Ok(date_consent(&column.header)),
                    _ => values::parse_consent(raw).or_else(|e| {
                        let day = raw.get(..10).unwrap_or(raw);
                        if crate::normalize::iso_date(day).is_ok() { Ok(date_consent(&column.header)) } else { Err(e) }
                    }),
                };
                // Several answers: a no anywhere is a no, else a yes anywhere is a yes.
                let slot = if column.field == Field::EmailConsent { &mut consent.email } else { &mut consent.sms };
                match answer {
                    Ok(ConsentStatus::Unknown) => {}
                    Ok(a) if *slot != ConsentStatus::No => *slot = a,
                    Ok(_) => {}
                    Err(m) => refuse(m),
                }
            }
            Field::PreferredChannel => match raw.parse::<Channel>() {
                Ok(c) => preferred = Some(c),
                Err(m) => refuse(m),
            },
            Field::LifetimeSpend => {
                let amount = match cell {
                    Cell::Number(n) if n.is_finite() && n.abs() < 1e13 => Ok(Money::from_cents((n * 100.0).round() as i64)),
                    _ => {
                        let mark = layout.money_marks.get(column.index).copied().unwrap_or_default();
                        values::parse_money_in(raw, mark, &layout.currency)
                    }
                };
                match amount {
                    Ok(m) => spend = Some(spend.map_or(m, |s| s.max(m))),
                    Err(m) => refuse(m),
                }
            }
            Field::OrdersCount => {
                let count = match cell {
                    Cell::Number(n) if n.fract() == 0.0 && (0.0..4e9).contains(n) => Ok(*n as u32),
                    _ => values::parse_count(raw),
                };
                match count {
                    Ok(n) => orders = Some(orders.map_or(n, |o| o.max(n))),
                    Err(m) => refuse(m),
                }
            }
            Field::Custom => {
                let key = match layout::detail_name(&column.header) {
                    Some(name) => name.to_string(),
                    None if column.header.trim().is_empty() => format!("Column {}", column.letter),
                    None => column.header.trim().to_string(),
                };
                keep_detail(&mut custom, &key, raw);
            }
            Field::Ignore => {}
        }
    }

    if first.is_empty() && last.is_empty() && !full.is_empty() {
        (first, last) = values::split_name(&full);
    }
    // The best-ranked address with a street, town or postcode, whole; else whatever there is.
    let chosen = addresses
        .iter()
        .find(|(_, (a, s2))| !a.street.is_empty() || !s2.is_empty() || !a.city.is_empty() || !a.postal_code.is_empty())
        .or_else(|| addresses.iter().next())
        .map(|(rank, _)| *rank);
    let row_country = chosen
        .and_then(|r| addresses.get(&r))
        .and_then(|(a, _)| crate::countries::code_of(&a.country))
        .or_else(|| addresses.values().find_map(|(a, _)| crate::countries::code_of(&a.country)));
    let mut address = Address::default();
    if let Some((mut a, street2)) = chosen.and_then(|r| addresses.remove(&r)) {
        if !street2.is_empty() {
            a.street = if a.street.is_empty() { street2 } else { format!("{}, {street2}", a.street) };
        }
        address = a;
    }
    // A number without a country code is read as the row's country's, else as the file's
    // (`Layout::phones`); mobiles first, then home, then work.
    let row_region = row_country.and_then(|c| Region::parse(c).ok());
    phone_values.sort_by_key(|(rank, _, _)| *rank);
    let mut phones: Vec<String> = Vec::new();
    for (_, value, header) in phone_values {
        let read = match row_region {
            Some(r) => normalize::phone(&value, r).or_else(|e| normalize::phone(&value, layout.phone_region).map_err(|_| e)),
            None => normalize::phone(&value, layout.phone_region),
        };
        match read {
            Ok(p) if !phones.contains(&p) => phones.push(p),
            Ok(_) => {}
            Err(m) => problems.push(Problem::warning(row.number, header, m)),
        }
    }
    let notes = notes.join("\n");
    let display_name = customers::display_name(given_display.trim(), &first, &last, &company, &emails, &phones, &handles);
    let Some(display_name) = display_name else {
        let why = if problems.is_empty() {
            "this row has no name, email, phone or handle".to_string()
        } else {
            "this row has no name, email, phone or handle that could be read".to_string()
        };
        return Incoming { row: row.number, customer: Err(Problem::error(row.number, "", why)), problems, index: None };
    };
    for (label, value) in [("first name", &first), ("last name", &last), ("name", &display_name)] {
        if value.chars().count() > 200 {
            let column = layout.columns.iter().find(|c| matches!(c.field, Field::FirstName | Field::LastName | Field::FullName | Field::DisplayName)).map_or("", |c| c.header.as_str());
            let problem = Problem::error(row.number, column, format!("the {label} is longer than 200 characters"));
            return Incoming { row: row.number, customer: Err(problem), problems, index: None };
        }
    }
    let customer = Customer {
        id: 0,
        first_name: first,
        last_name: last,
        display_name,
        emails,
        phones,
        handles,
        address,
        company,
        birthday,
        customer_since: since,
        tags,
        notes,
        consent,
        preferred_channel: preferred,
        custom,
        lifetime_spend: spend,
        orders_count: orders,
        last_visit,
        first_purchase_at: None,
        last_purchase_at: None,
        created_at: now,
        updated_at: now,
    };
    let index = Some(customers::index_keys(&customer));
    Incoming { row: row.number, customer: Ok(customer), problems, index }
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
