//! Many new customers written at once, for an import into a shared shop. Their ids are taken from
//! the server's sequence first (one round trip for a whole batch), so that the rows that refer to
//! them can be made before anything is written; then each table gets the whole batch's rows in
//! one statement (arrays unnested), where writing a customer at a time costs a round trip a table
//! a row. In a file an import writes each customer as it comes, which costs no more there than a
//! batch: no ids are reserved there, and the consent and import records are written row by row.

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::sql::{params, List};
use super::{time_text, with_customer_params, SearchDoc, WriteDb};
use crate::error::Result;
use crate::model::{ConsentEvent, Customer, CustomerId, ImportId};

/// A new customer of a batch: its reserved id (`customer.id`), its folded name and search words.
pub struct NewCustomer<'a> {
    pub customer: &'a Customer,
    pub sort_name: &'a str,
    pub doc: &'a SearchDoc,
}

/// A column of a batch, as the texts Postgres unnests (a NULL as the empty text: the statements
/// read it back with `NULLIF` where a column may be NULL, and no such column holds an empty text).
fn text_of(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

impl WriteDb<'_> {
    /// `n` ids for customers about to be written together by `insert_new_customers`, on a server.
    /// None in a file, where each customer is written as it comes.
    pub fn reserve_customer_ids(&self, n: usize) -> Result<Option<Vec<CustomerId>>> {
        if !self.conn.is_pg() {
            return Ok(None);
        }
        let ids = self
            .conn
            .prepare_cached("SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, ?1::bigint) ORDER BY 1")?
            .query_map([n as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<CustomerId>>>()?;
        Ok(Some(ids))
    }

    /// Gives back ids reserved and not used, `from` to `last` (the last one reserved), so that the
    /// next customer gets `from`: unless someone drew an id since (a sequence is outside any
    /// transaction, so a rolled-back preview gives back all it reserved this way).
    pub fn give_back_customer_ids(&self, from: CustomerId, last: CustomerId) -> Result<()> {
        self.give_back_ids("customers", from, last)
    }

    /// Gives back import number `id`, drawn by a preview that is rolled back, so that the history's
    /// next import is numbered as if the preview never ran: unless someone drew one since.
    pub fn give_back_import_id(&self, id: ImportId) -> Result<()> {
        self.give_back_ids("imports", id, id)
    }

    /// Sets `table`'s id sequence back so that `from` is drawn next, if `last` is still the last
    /// drawn, on a server (in a file a rollback takes back its ids). Takes the shop's turn to write
    /// first (a preview runs without it), so that no writer draws an id between the check and the
    /// giving back.
    fn give_back_ids(&self, table: &str, from: i64, last: i64) -> Result<()> {
        if !self.conn.is_pg() || from > last {
            return Ok(());
        }
        self.conn.execute_batch(&format!("SELECT pg_advisory_xact_lock({})", super::postgres::WRITE_LOCK))?;
        self.conn
            .prepare(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest(?1::bigint - 1, 1), ?1::bigint > 1) FROM pg_sequences
                 WHERE format('%I.%I', schemaname, sequencename)::regclass = pg_get_serial_sequence('{table}', 'id')::regclass
                   AND last_value = ?2::bigint"
            ))?
            .query_map(params![from, last], |_| Ok(()))?
            .collect::<rusqlite::Result<Vec<()>>>()?;
        Ok(())
    }

    /// Writes new customers, each with the id reserved for it, and their emails, phones, tags,
    /// handles and search words: on a server only.
    pub fn insert_new_customers(&self, news: &[NewCustomer<'_>]) -> Result<()> {
        if news.is_empty() {
            return Ok(());
        }
        if !self.conn.is_pg() {
            // `reserve_customer_ids` answers None in a file, where an import writes each customer
            // as it comes (`WriteDb::insert_customer`), so no batch reaches here.
            return Err(crate::error::Error::conflict("new customers are written together only on a server"));
        }
        self.insert_customer_rows(news)?;
        self.insert_children_rows(news)?;
        let docs: Vec<(CustomerId, &SearchDoc)> = news.iter().map(|n| (n.customer.id, n.doc)).collect();
        self.insert_search_docs(&docs)
    }

    /// The customers' own rows, in one statement on a server.
    fn insert_customer_rows(&self, news: &[NewCustomer<'_>]) -> Result<()> {
        // The 23 columns of `with_customer_params`, each as an array of one text per customer.
        let mut columns: Vec<Vec<String>> = vec![Vec::with_capacity(news.len()); 23];
        for new in news {
            with_customer_params(new.customer, new.sort_name, true, |values| {
                for (column, value) in columns.iter_mut().zip(values) {
                    column.push(match value.lite()? {
                        ToSqlOutput::Borrowed(v) => text_of(v),
                        ToSqlOutput::Owned(v) => text_of(ValueRef::from(&v)),
                        _ => String::new(),
                    });
                }
                Ok(())
            })?;
        }
        let columns: Vec<List> = columns.into_iter().map(List::texts).collect();
        let args: Vec<&dyn super::sql::Arg> = columns.iter().map(|c| c as &dyn super::sql::Arg).collect();
        self.conn
            .prepare_cached(
                "INSERT INTO customers (id, first_name, last_name, display_name, sort_name, company, street, city, region,
                    postal_code, country, birthday, customer_since, notes, consent_email, consent_sms,
                    preferred_channel, custom, updated_at, lifetime_spend_cents, orders_count, last_visit, created_at)
                 SELECT id::bigint, fi, la, di, so, co, st, ci, re, po, cn, NULLIF(bi, ''), NULLIF(si, ''), no, ce, cs,
                        NULLIF(pc, ''), cu, up, NULLIF(sp, '')::bigint, NULLIF(oc, '')::bigint, NULLIF(lv, ''), cr
                 FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[], ?8::text[],
                             ?9::text[], ?10::text[], ?11::text[], ?12::text[], ?13::text[], ?14::text[], ?15::text[],
                             ?16::text[], ?17::text[], ?18::text[], ?19::text[], ?20::text[], ?21::text[], ?22::text[],
                             ?23::text[])
                     AS t(id, fi, la, di, so, co, st, ci, re, po, cn, bi, si, no, ce, cs, pc, cu, up, sp, oc, lv, cr)",
            )?
            .execute(args.as_slice())?;
        Ok(())
    }

    /// The customers' emails, phones, tags and handles: a statement a table on a server.
    fn insert_children_rows(&self, news: &[NewCustomer<'_>]) -> Result<()> {
        let positioned = |values: &dyn Fn(&Customer) -> Vec<String>| {
            let (mut ids, mut positions, mut texts) = (Vec::new(), Vec::new(), Vec::new());
            for new in news {
                for (i, text) in values(new.customer).into_iter().enumerate() {
                    ids.push(new.customer.id);
                    positions.push(i as i64);
                    texts.push(text);
                }
            }
            (List::ints(ids), List::ints(positions), List::texts(texts))
        };
        for (table, column, values) in [
            ("customer_emails", "email", positioned(&|c| c.emails.clone())),
            ("customer_phones", "e164", positioned(&|c| c.phones.clone())),
            ("customer_tags", "tag", positioned(&|c| c.tags.clone())),
        ] {
            if values.0 .0.is_empty() {
                continue;
            }
            self.conn
                .prepare_cached(&format!(
                    "INSERT INTO {table} (customer_id, position, {column}) SELECT * FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[])"
                ))?
                .execute(params![values.0, values.1, values.2])?;
        }
        let (mut ids, mut platforms, mut handles) = (Vec::new(), Vec::new(), Vec::new());
        for new in news {
            for (platform, handle) in &new.customer.handles {
                ids.push(new.customer.id);
                platforms.push(platform.as_str().to_string());
                handles.push(handle.clone());
            }
        }
        if !ids.is_empty() {
            self.conn
                .prepare_cached("INSERT INTO customer_handles (customer_id, platform, handle) SELECT * FROM unnest(?1::bigint[], ?2::text[], ?3::text[])")?
                .execute(params![List::ints(ids), List::texts(platforms), List::texts(handles)])?;
        }
        Ok(())
    }

    /// Appends consent events, each to its customer's record: in one statement on a server.
    pub fn append_consents(&self, events: &[(CustomerId, ConsentEvent)]) -> Result<()> {
        if !self.conn.is_pg() {
            for (id, event) in events {
                self.append_consent(*id, event)?;
            }
            return Ok(());
        }
        if events.is_empty() {
            return Ok(());
        }
        let column = |f: &dyn Fn(&ConsentEvent) -> String| List::texts(events.iter().map(|(_, e)| f(e)));
        self.conn
            .prepare_cached(
                "INSERT INTO consent_events (customer_id, channel, status, at, source)
                 SELECT * FROM unnest(?1::bigint[], ?2::text[], ?3::text[], ?4::text[], ?5::text[])",
            )?
            .execute(params![
                List::ints(events.iter().map(|(id, _)| *id)),
                column(&|e| e.channel.as_str().to_string()),
                column(&|e| e.status.as_str().to_string()),
                column(&|e| time_text(e.at)),
                column(&|e| e.source.clone()),
            ])?;
        Ok(())
    }

    /// Records that import `id` created these customers, each from its row: in one statement on a
    /// server.
    pub fn record_import_creations(&self, id: ImportId, created: &[(CustomerId, u64)]) -> Result<()> {
        if !self.conn.is_pg() {
            for &(customer, row) in created {
                self.record_import_change(id, customer, None, row)?;
            }
            return Ok(());
        }
        if created.is_empty() {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO import_changes (import_id, customer_id, action, before, row)
                 SELECT ?1, c, 'created', NULL, r FROM unnest(?2::bigint[], ?3::bigint[]) AS t(c, r)
                 ON CONFLICT (import_id, customer_id) DO NOTHING",
            )?
            .execute(params![id, List::ints(created.iter().map(|(c, _)| *c)), List::ints(created.iter().map(|(_, r)| *r as i64))])?;
        Ok(())
    }
}

