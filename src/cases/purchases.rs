//! What customers buy: purchases and returns, added by hand or imported from order exports. A
//! customer's spend, order count and first and last purchase follow from their purchases (kept in
//! step by `WriteDb::refresh_purchase_totals` in the same transaction as every change).

use chrono::{DateTime, Utc};

use crate::customers::{self, Change};
use crate::error::{Error, FieldProblem, Result};
use crate::money as values;
use crate::model::{CustomerId, Money, Purchase, PurchaseChannel, PurchaseDraft};
use crate::store::{Store, WriteDb};

/// Checks a draft into a purchase (`id` 0) for `customer`.
pub fn validate(
    draft: &PurchaseDraft,
    customer: CustomerId,
    shop_currency: &str,
    now: DateTime<Utc>,
) -> std::result::Result<Purchase, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let at = match draft.at.trim() {
        "" => Some(now),
        t => crate::normalize::instant(t).map_err(|m| problems.push(FieldProblem::new("at", m))).ok(),
    };
    let amount = match draft.amount.trim() {
        "" => {
            problems.push(FieldProblem::new("amount", "say how much it was"));
            None
        }
        a => values::parse_amount(a, values::DecimalMark::Either).map_err(|m| problems.push(FieldProblem::new("amount", m))).ok(),
    };
    // A currency written with the amount ("USD 12") is the purchase's, never quietly the shop's.
    let prefer = match draft.currency.trim() {
        "" => shop_currency.to_string(),
        c => c.to_ascii_uppercase(),
    };
    let written = amount.and_then(|a| a.currency).map(|sign| values::currency_code(sign, &prefer));
    let amount = amount.map(|a| a.amount);
    let channel = match draft.channel.trim() {
        "" => Some(PurchaseChannel::InStore),
        c => c.parse::<PurchaseChannel>().map_err(|m| problems.push(FieldProblem::new("channel", m))).ok(),
    };
    let currency = match draft.currency.trim() {
        "" => written.unwrap_or(shop_currency).to_string(),
        c if written.is_some_and(|w| !w.eq_ignore_ascii_case(c)) => {
            problems.push(FieldProblem::new("currency", format!("the amount is in {}, but the currency says {c}", written.unwrap_or_default())));
            String::new()
        }
        c if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        c => {
            problems.push(FieldProblem::new("currency", format!("“{c}” is not a currency code like EUR or USD")));
            String::new()
        }
    };
    let (Some(at), Some(amount), Some(channel)) = (at, amount, channel) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    // A return is a negative amount, however it was written.
    let is_return = draft.is_return || amount.cents() < 0;
    let cents = if is_return { -amount.cents().abs() } else { amount.cents() };
    Ok(Purchase {
        id: 0,
        customer_id: customer,
        at,
        amount: Money::from_cents(cents),
        currency,
        items: draft.items.trim().to_string(),
        channel,
        is_return,
        external_id: Some(draft.external_id.trim()).filter(|e| !e.is_empty()).map(str::to_string),
    })
}

/// Records a purchase for the customer the draft names. The same external id recorded before is
/// not recorded again (the stored purchase is returned, with `false`).
pub fn add(store: &mut Store, draft: &PurchaseDraft, change: &Change) -> Result<(Purchase, bool)> {
    store.write(|w| record(w, draft, change))
}

/// Records a purchase inside the caller's transaction (see `add`).
pub fn record(w: &WriteDb<'_>, draft: &PurchaseDraft, change: &Change) -> Result<(Purchase, bool)> {
    let customer = match draft.customer_id {
        Some(id) => customers::get(w, id)?.id,
        None => customers::resolve(w, &draft.customer, change.region).map_err(|e| match e.kind {
            crate::ErrorKind::NotFound => Error::invalid_field("customer", e.to_string()),
            _ => e,
        })?,
    };
    let currency = crate::settings::currency(w)?;
    let mut purchase = validate(draft, customer, &currency, change.now).map_err(Error::invalid)?;
    if let Some(existing) = purchase.external_id.as_deref().map(|e| w.purchase_with_external_id(e)).transpose()?.flatten() {
        let stored = w.purchases_of(customer)?.into_iter().find(|p| p.id == existing);
        return match stored {
            Some(p) => Ok((p, false)),
            None => Err(Error::conflict(format!(
                "order {} is already recorded for another customer",
                purchase.external_id.unwrap_or_default()
            ))),
        };
    }
    purchase.id = w.insert_purchase(&purchase, change.now)?;
    w.refresh_purchase_totals(customer)?;
    Ok((purchase, true))
}

/// A customer's purchases, newest first.
pub fn list(store: &Store, customer: CustomerId) -> Result<Vec<Purchase>> {
    store.db().purchases_of(customer)
}
