//! The SQL of identity across customers: every live customer's names, keys (emails, phones,
//! handles), address and the names their messages were signed with, for finding the customers
//! who are probably one person.

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
    /// Names the customer wrote under, other than their own (a WhatsApp contact name, a Messenger
    /// display name), each with its channel: `(name, channel)`.
    pub wrote_as: Vec<(String, String)>,
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
        let rows = stmt.query_map((), |r| {
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
                wrote_as: Vec::new(),
            })
        })?;
        let mut all: Vec<Identity> = rows.collect::<rusqlite::Result<_>>()?;
        // The names their messages were signed with, other than the name on their profile.
        let mut names = self.conn.prepare(
            "SELECT DISTINCT t.customer_id, t.author, t.channel FROM touchpoints t
             WHERE t.customer_id IS NOT NULL AND t.direction = 'in' AND t.author_kind = 'name'
             ORDER BY t.customer_id",
        )?;
        let mut rows = names.query(())?;
        while let Some(r) = rows.next()? {
            let (id, author, channel): (CustomerId, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Ok(at) = all.binary_search_by_key(&id, |i| i.id) {
                let who = &mut all[at];
                if author.trim() != who.display_name.trim() && !who.wrote_as.iter().any(|(a, _)| *a == author) {
                    who.wrote_as.push((author, channel));
                }
            }
        }
        Ok(all)
    }
}
