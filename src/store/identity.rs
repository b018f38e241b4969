//! The SQL of identity across customers: every live customer's names, keys (emails, phones,
//! handles) and address in one pass, for finding the customers who are probably one person.

use super::Db;
use crate::error::Result;
use crate::model::CustomerId;

/// What tells one customer from another, as `cases::duplicates` compares them.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub id: CustomerId,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// `platform:handle`.
    pub handles: Vec<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

impl Db<'_> {
    /// Every live customer's identity, by id.
    pub fn identities(&self) -> Result<Vec<Identity>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.first_name, c.last_name, c.display_name, c.street, c.postal_code, c.city,
                    (SELECT group_concat(email, char(31)) FROM customer_emails e WHERE e.customer_id = c.id),
                    (SELECT group_concat(e164, char(31)) FROM customer_phones p WHERE p.customer_id = c.id),
                    (SELECT group_concat(platform || ':' || handle, char(31)) FROM customer_handles h WHERE h.customer_id = c.id)
             FROM customers c WHERE c.deleted_at IS NULL ORDER BY c.id",
        )?;
        let split = |v: Option<String>| v.map(|s| s.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default();
        let rows = stmt.query_map([], |r| {
            Ok(Identity {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                display_name: r.get(3)?,
                street: r.get(4)?,
                postal_code: r.get(5)?,
                city: r.get(6)?,
                emails: split(r.get(7)?),
                phones: split(r.get(8)?),
                handles: split(r.get(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
