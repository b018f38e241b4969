//! The search words, on either home of a shop. A look-up (`Lookup`) says which words, in which
//! fields, as whole words or prefixes, all of them or any; the store answers with customer ids in
//! id order, at most a limit. In the SQLite file it is an FTS5 query on `customer_search` (one row
//! of folded words per customer); on a PostgreSQL server it is a table of our own,
//! `customer_words` (one row per customer, field and word, the words in byte order so that a
//! prefix is one range of its index).

use super::sql::{params, List};
use super::{Db, SearchDoc, WriteDb};
use crate::error::Result;
use crate::model::CustomerId;

/// A field of a customer's search words (`SearchDoc`), numbered as stored on a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name = 0,
    Handles = 1,
    Emails = 2,
    Phones = 3,
    Tags = 4,
    City = 5,
    Company = 6,
    Notes = 7,
}

impl Field {
    pub const ALL: [Field; 8] =
        [Field::Name, Field::Handles, Field::Emails, Field::Phones, Field::Tags, Field::City, Field::Company, Field::Notes];

    /// The FTS5 column.
    fn column(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Handles => "handles",
            Field::Emails => "emails",
            Field::Phones => "phones",
            Field::Tags => "tags",
            Field::City => "city",
            Field::Company => "company",
            Field::Notes => "notes",
        }
    }

    fn of(self, doc: &SearchDoc) -> &str {
        match self {
            Field::Name => &doc.name,
            Field::Handles => &doc.handles,
            Field::Emails => &doc.emails,
            Field::Phones => &doc.phones,
            Field::Tags => &doc.tags,
            Field::City => &doc.city,
            Field::Company => &doc.company,
            Field::Notes => &doc.notes,
        }
    }
}

/// One bounded look-up in the search words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Where the words may be (every field when empty).
    pub fields: Vec<Field>,
    /// Folded words: letters and digits only.
    pub words: Vec<String>,
    /// Each word may be the start of a stored word, not only the whole of one.
    pub prefix: bool,
    /// Any one word is enough (alternatives); otherwise every word must be there.
    pub any: bool,
}

impl Lookup {
    /// The look-up as an FTS5 query. Each word is quoted, so no text can change its syntax.
    pub fn fts5(&self) -> String {
        let star = if self.prefix { "*" } else { "" };
        let joiner = if self.any { " OR " } else { " " };
        let terms = self.words.iter().map(|w| format!("\"{}\"{star}", w.replace('"', "\"\""))).collect::<Vec<_>>().join(joiner);
        if self.fields.is_empty() || self.fields.len() == Field::ALL.len() {
            format!("({terms})")
        } else {
            let columns = self.fields.iter().map(|f| f.column()).collect::<Vec<_>>().join(" ");
            format!("{{{columns}}} : ({terms})")
        }
    }
}

/// The range of stored words (in byte order) a word matches: itself, or every word it starts.
fn range(word: &str, prefix: bool) -> (String, String) {
    // No stored word goes on with these after a match (words are letters and digits).
    let after = if prefix { '\u{10FFFF}' } else { '\u{1}' };
    (word.to_string(), format!("{word}{after}"))
}

/// The look-up as a statement on `customer_words` (?1 the fields, then each word's range, then
/// the limit) and the ranges' bounds. Customers come in id order: where a word is common the
/// server walks the customers in that order and stops at the limit (the words' index by
/// customer); where it is rare it reads its range of the words' index and sorts the few found.
fn server_lookup(lookup: &Lookup) -> (String, Vec<String>) {
    let mut bounds = Vec::new();
    let mut ranges = Vec::new();
    for word in &lookup.words {
        let (low, high) = range(word, lookup.prefix);
        let n = bounds.len();
        bounds.push(low);
        bounds.push(high);
        ranges.push((n + 2, n + 3));
    }
    let limit = bounds.len() + 2;
    let within = |(low, high): (usize, usize), w: &str| format!("{w}.word >= ?{low} AND {w}.word < ?{high}");
    let condition = if lookup.any {
        format!("({})", ranges.iter().map(|r| within(*r, "w")).collect::<Vec<_>>().join(" OR "))
    } else {
        let mut parts = vec![within(ranges[0], "w")];
        for r in &ranges[1..] {
            parts.push(format!(
                "EXISTS (SELECT 1 FROM customer_words x WHERE x.customer_id = w.customer_id AND x.field = ANY(?1) AND {})",
                within(*r, "x")
            ));
        }
        parts.join(" AND ")
    };
    let sql = format!("SELECT DISTINCT w.customer_id FROM customer_words w WHERE w.field = ANY(?1) AND {condition} ORDER BY w.customer_id LIMIT ?{limit}");
    (sql, bounds)
}

impl Db<'_> {
    /// Customer ids with the look-up's words, in id order, at most `limit`.
    pub fn search_ids(&self, lookup: &Lookup, limit: usize) -> Result<Vec<CustomerId>> {
        if lookup.words.is_empty() {
            return Ok(Vec::new());
        }
        if !self.conn.is_pg() {
            let mut stmt = self.conn.prepare_cached("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2")?;
            let ids = stmt.query_map(params![lookup.fts5(), limit as i64], |r| r.get(0))?;
            return Ok(ids.collect::<rusqlite::Result<_>>()?);
        }
        let fields = if lookup.fields.is_empty() { Field::ALL.to_vec() } else { lookup.fields.clone() };
        let fields = List::ints(fields.iter().map(|f| *f as i64));
        let (sql, bounds) = server_lookup(lookup);
        let mut args: Vec<&dyn super::sql::Arg> = vec![&fields];
        for bound in &bounds {
            args.push(bound);
        }
        let limit = limit as i64;
        args.push(&limit);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(args.as_slice(), |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// Reads the whole search index once, so that the first searches on a big file that the
    /// operating system has not cached yet are as quick as the rest (used in the background at
    /// launch). Returns the index's size in bytes.
    pub fn warm_search(&self) -> Result<u64> {
        let sql = if self.conn.is_pg() {
            "SELECT coalesce(sum(length(word)), 0)::bigint FROM customer_words"
        } else {
            "SELECT coalesce(sum(length(block)), 0) FROM customer_search_data"
        };
        let bytes: i64 = self.conn.query_row(sql, (), |r| r.get(0))?;
        Ok(bytes.max(0) as u64)
    }
}

impl WriteDb<'_> {
    /// Runs `f`, which removes or rewrites the search words of many customers, with the search
    /// index's merging held off (each removal would otherwise merge pieces full of the removals
    /// before it: 50 s of a 150,000-customer undo), then merges it once.
    pub fn with_search_merging_deferred<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.conn.is_pg() {
            return f();
        }
        let set = |key: &str, value: i64| {
            self.conn.execute("INSERT INTO customer_search (customer_search, rank) VALUES (?1, ?2)", params![key, value])
        };
        set("automerge", 0)?;
        set("crisismerge", 1 << 30)?;
        let value = f()?;
        // SQLite's defaults, as before.
        set("automerge", 4)?;
        set("crisismerge", 16)?;
        self.optimize_search()?;
        Ok(value)
    }

    /// Merges the search index's pieces into one (after bulk work; the server's index needs none).
    pub fn optimize_search(&self) -> Result<()> {
        if !self.conn.is_pg() {
            self.conn.execute("INSERT INTO customer_search (customer_search) VALUES ('optimize')", ())?;
        }
        Ok(())
    }

    pub fn set_search_doc(&self, id: CustomerId, doc: &SearchDoc) -> Result<()> {
        self.remove_search_doc(id)?;
        self.insert_search_doc(id, doc)
    }

    /// Adds the search words of a customer who has none yet.
    pub fn insert_search_doc(&self, id: CustomerId, doc: &SearchDoc) -> Result<()> {
        if !self.conn.is_pg() {
            self.conn
                .prepare_cached(
                    "INSERT INTO customer_search (rowid, name, handles, emails, phones, tags, city, company, notes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![id, doc.name, doc.handles, doc.emails, doc.phones, doc.tags, doc.city, doc.company, doc.notes])?;
            return Ok(());
        }
        let mut fields = Vec::new();
        let mut words = Vec::new();
        for field in Field::ALL {
            let mut seen = std::collections::HashSet::new();
            for word in crate::normalize::words(field.of(doc)) {
                if seen.insert(word) {
                    fields.push(field as i64);
                    words.push(word.to_string());
                }
            }
        }
        if !words.is_empty() {
            self.conn.prepare_cached(
                "INSERT INTO customer_words (customer_id, field, word)
                 SELECT ?1, f, w FROM unnest(?2::bigint[], ?3::text[]) AS t(f, w)",
            )?
            .execute(params![id, List::ints(fields), List::texts(words)])?;
        }
        Ok(())
    }

    pub fn remove_search_doc(&self, id: CustomerId) -> Result<()> {
        let sql = if self.conn.is_pg() { "DELETE FROM customer_words WHERE customer_id = ?1" } else { "DELETE FROM customer_search WHERE rowid = ?1" };
        self.conn.prepare_cached(sql)?.execute([id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_read_as_fts5_queries_with_every_word_quoted() {
        let names = Lookup { fields: vec![Field::Name, Field::Handles], words: vec!["ann".into(), "smi".into()], prefix: true, any: false };
        assert_eq!(names.fts5(), "{name handles} : (\"ann\"* \"smi\"*)");
        let phones = Lookup { fields: vec![Field::Phones], words: vec!["0791112".into(), "791112".into()], prefix: false, any: true };
        assert_eq!(phones.fts5(), "{phones} : (\"0791112\" OR \"791112\")");
        let all = Lookup { fields: vec![], words: vec!["a\"b".into()], prefix: true, any: false };
        assert_eq!(all.fts5(), "(\"a\"\"b\"*)");
        let (sql, bounds) = server_lookup(&names);
        assert_eq!(bounds, ["ann", "ann\u{10FFFF}", "smi", "smi\u{10FFFF}"]);
        assert!(sql.contains("w.word >= ?2 AND w.word < ?3 AND EXISTS") && sql.ends_with("LIMIT ?6"), "{sql}");
        let (sql, bounds) = server_lookup(&phones);
        assert_eq!(bounds, ["0791112", "0791112\u{1}", "791112", "791112\u{1}"]);
        assert!(sql.contains(" OR "), "{sql}");
    }
}
