//! The row builders of reviews, messages and orders: one row of a touchpoint file (its values by
//! field, `layout::records::Col`) into a touchpoint draft, and one order (its rows gathered) into a
//! purchase draft, each with every problem found, by column, in the owner's words. Pure: the
//! customer an order belongs to is found by the caller, which holds the store.

use std::collections::{BTreeMap, HashMap};

use crate::customers::Change;
use crate::import::layout::header_words as words;
use crate::import::layout::records::Col;
use crate::import::values::{self, DateOrder};
use crate::import::Problem;
use crate::model::{CustomerId, Money, PurchaseDraft, TouchpointDraft};

/// A row's values by field, each with the heading of the column it came from.
pub type Fields<'a> = HashMap<Col, (String, &'a str)>;

/// One order assembled from its rows (Shopify writes one row per line item; only the first has
/// the totals).
#[derive(Default)]
pub struct Order {
    /// The number of its first row.
    pub row: u64,
    pub fields: BTreeMap<Col, (String, String)>,
    pub items: Vec<String>,
}

/// The orders of a file's rows, in the order first seen: rows with the same order number are one
/// order, their items joined (a further row adds its items and nothing else).
pub fn orders<'a>(rows: impl Iterator<Item = (u64, Fields<'a>)>) -> Vec<Order> {
    let mut orders: Vec<Order> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    for (number, f) in rows {
        let key = f.get(&Col::Order).map(|(v, _)| v.clone());
        if let Some(&i) = key.as_ref().and_then(|k| by_number.get(k)) {
            orders[i].items.extend(f.get(&Col::Items).map(|(item, _)| item.clone()));
            continue;
        }
        if let Some(k) = key {
            by_number.insert(k, orders.len());
        }
        let mut order = Order { row: number, ..Order::default() };
        for (field, (value, header)) in f {
            if field == Col::Items {
                order.items.push(value);
            } else {
                order.fields.insert(field, (value, header.to_string()));
            }
        }
        orders.push(order);
    }
    orders
}

/// How moments are read for this import: numeric dates in the shop's order, two-digit years
/// before today.
fn time(raw: &str, change: &Change) -> Result<String, String> {
    let order = DateOrder::for_region(change.region.code());
    values::parse_time(raw, order, change.now.date_naive()).map(|t| t.to_rfc3339())
}

/// A touchpoint from one row. A row without a kind is a review when it has stars, else a comment;
/// one without a time is logged as of the import (`touchpoints::log` decides).
pub fn touchpoint(row: u64, f: &Fields, change: &Change) -> (Option<TouchpointDraft>, Vec<Problem>) {
    let mut problems = Vec::new();
    let get = |k: Col| f.get(&k).map(|(v, _)| v.clone()).unwrap_or_default();
    let at = match f.get(&Col::At) {
        Some((v, h)) => time(v, change).unwrap_or_else(|m| {
            problems.push(Problem::error(row, h, m));
            String::new()
        }),
        None => String::new(),
    };
    let rating = f.get(&Col::Rating).and_then(|(v, h)| {
        values::parse_rating(v).map_err(|m| problems.push(Problem::error(row, h, m))).ok()
    });
    let reach = f.get(&Col::Reach).and_then(|(v, h)| {
        values::parse_count(v).map(i64::from).map_err(|_| problems.push(Problem::error(row, h, format!("“{v}” is not a number")))).ok()
    });
    if !problems.is_empty() {
        return (None, problems);
    }
    let kind = match get(Col::Kind) {
        k if k.is_empty() && rating.is_some() => "review".to_string(),
        k if k.is_empty() => "comment".to_string(),
        k => k,
    };
    let draft = TouchpointDraft {
        customer_id: None,
        customer: get(Col::Customer),
        author: get(Col::Author),
        create_customer: false,
        channel: get(Col::Channel),
        kind,
        direction: get(Col::Direction),
        text: get(Col::Text),
        url: get(Col::Url),
        rating,
        reach,
        at,
        status: get(Col::Status),
        sentiment: String::new(),
        source_key: String::new(),
        link_by_name: false,
    };
    (Some(draft), problems)
}

/// A purchase from one order, for the customer found for it. A refund event or amount makes it a
/// return; an amount written with a currency sign ("USD 12") is in that currency, whatever the
/// shop's.
pub fn purchase(
    order: &Order,
    customer: Result<CustomerId, Problem>,
    shop_currency: &str,
    change: &Change,
) -> (Option<PurchaseDraft>, Vec<Problem>) {
    let mut problems = Vec::new();
    let get = |k: Col| order.fields.get(&k).map(|(v, _)| v.clone()).unwrap_or_default();
    let customer = customer.map_err(|p| problems.push(Problem { row: order.row, ..p })).ok();
    let at = match order.fields.get(&Col::At) {
        Some((v, h)) => {
            let v = match order.fields.get(&Col::Time) {
                Some((t, _)) if !v.contains(':') => format!("{v} {t}"),
                _ => v.clone(),
            };
            time(&v, change).map_err(|m| problems.push(Problem::error(order.row, h, m))).ok()
        }
        None => {
            problems.push(Problem::error(order.row, "", "no date: add a date column (“Date”, “Paid at” or “Created at”)"));
            None
        }
    };
    let refunded = order.fields.get(&Col::Refunded).and_then(|(v, _)| values::parse_money(v).ok()).map_or(0, |m| m.cents());
    let event = words(&get(Col::Event));
    let parsed = order.fields.get(&Col::Amount).map(|(v, h)| (values::parse_amount(v, values::DecimalMark::Either), h));
    let written = match &parsed {
        Some((Ok(a), _)) => a.currency.map(|sign| {
            let prefer = get(Col::Currency);
            values::currency_code(sign, if prefer.trim().is_empty() { shop_currency } else { prefer.trim() })
        }),
        _ => None,
    };
    let cents = match parsed {
        Some((Ok(a), _)) => Some(a.amount.cents() - refunded),
        Some((Err(msg), h)) => {
            problems.push(Problem::error(order.row, h, msg));
            None
        }
        None => {
            problems.push(Problem::error(order.row, "", "no amount: add a “Total” or “Amount” column"));
            None
        }
    };
    let (Some(id), Some(at), Some(cents)) = (customer, at, cents) else { return (None, problems) };
    let draft = PurchaseDraft {
        customer_id: Some(id),
        customer: String::new(),
        at,
        amount: Money::from_cents(cents).to_string(),
        currency: match get(Col::Currency) {
            c if c.trim().is_empty() => written.map(str::to_string).unwrap_or_default(),
            c => c,
        },
        items: order.items.join(", "),
        channel: match words(&get(Col::Channel)).as_str() {
            "" => String::new(),
            c if c.contains("pos") || c.contains("store") || c.contains("shop") => "in_store".into(),
            _ => "online".into(),
        },
        is_return: event.contains("refund") || event.contains("return"),
        external_id: get(Col::Order),
    };
    (Some(draft), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> Change {
        let now = chrono::DateTime::parse_from_rfc3339("2026-06-01T10:00:00Z").unwrap().to_utc();
        Change { now, region: crate::normalize::Region::parse("GB").unwrap(), source: "test".into() }
    }

    #[test]
    fn a_row_with_bad_values_names_every_one_of_them() {
        let f: Fields = [(Col::At, ("yesterday-ish".to_string(), "Date")), (Col::Rating, ("great".to_string(), "Stars")), (Col::Text, ("Hi".to_string(), "Comment"))]
            .into_iter()
            .collect();
        let (draft, problems) = touchpoint(7, &f, &change());
        assert!(draft.is_none());
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["Date", "Stars"]);
        assert!(problems.iter().all(|p| p.row == 7));
    }

    #[test]
    fn a_row_with_stars_and_no_kind_is_a_review_in_the_shops_date_order() {
        let f: Fields = [(Col::At, ("01/03/2026".to_string(), "Date")), (Col::Rating, ("★★★★".to_string(), "Stars"))].into_iter().collect();
        let (draft, problems) = touchpoint(2, &f, &change());
        let draft = draft.expect("a review");
        assert!(problems.is_empty());
        assert_eq!((draft.kind.as_str(), draft.rating, draft.at.as_str()), ("review", Some(4), "2026-03-01T12:00:00+00:00"));
    }

    #[test]
    fn an_order_gets_its_refund_its_currency_and_every_problem() {
        let mut order = Order { row: 3, ..Order::default() };
        for (col, value) in [(Col::At, "2026-03-01 14:05"), (Col::Amount, "USD 20.00"), (Col::Refunded, "5.00"), (Col::Order, "#1001")] {
            order.fields.insert(col, (value.to_string(), "h".to_string()));
        }
        let (draft, problems) = purchase(&order, Ok(4), "EUR", &change());
        let draft = draft.expect("a purchase");
        assert!(problems.is_empty());
        assert_eq!((draft.amount.as_str(), draft.currency.as_str(), draft.external_id.as_str()), ("15.00", "USD", "#1001"));
        let bare = Order { row: 9, ..Order::default() };
        let (draft, problems) = purchase(&bare, Err(Problem::error(0, "", "no customer")), "EUR", &change());
        assert!(draft.is_none());
        assert_eq!(problems.len(), 3, "the customer, the date and the amount: {problems:?}");
        assert!(problems.iter().all(|p| p.row == 9));
    }
}
