//! The search words, on either home of a shop. A look-up (`Lookup`) says which words, in which
//! fields, as whole words or prefixes, all of them or any; the store answers with customer ids in
//! id order, at most a limit. In the SQLite file it is an FTS5 query on `customer_search` (one row
//! of folded words per customer); on a PostgreSQL server it is a table of our own,
//! `customer_words` (one row per customer, field and word, indexed by field and then word in byte
//! order, so that a prefix is one range of the index in each field searched). Its look-ups are
//! planned for their own words each time: how common a word is decides how it is best read.

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

/// Each field's words of a document, once each (as a server stores them).
fn doc_words(doc: &SearchDoc) -> impl Iterator<Item = (Field, &str)> {
    Field::ALL.into_iter().flat_map(move |field| {
        let mut seen = std::collections::HashSet::new();
        crate::normalize::words(field.of(doc)).filter(move |w| seen.insert(*w)).map(move |w| (field, w))
    })
}

/// The look-up as a statement on `customer_words` (?1 the fields, then each word's range, then
/// how many rows) and the ranges' bounds. The rows come in the words' order from their index and
/// the statement stops at the limit, however common a word is: the most telling (longest) word
/// leads, and each other word is checked for the customers it found. Where more customers match
/// than the limit, the ones returned are those whose words come first (the file's are the
/// oldest): a query one letter longer narrows them down either way.
fn server_lookup(lookup: &Lookup) -> (String, Vec<String>) {
    let mut words: Vec<&String> = lookup.words.iter().collect();
    if !lookup.any {
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    }
    let mut bounds = Vec::new();
    let mut ranges = Vec::new();
    for word in words {
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
    let sql = format!("SELECT w.customer_id FROM customer_words w WHERE w.field = ANY(?1) AND {condition} LIMIT ?{limit}");
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
        // Rows, not customers: a customer may match in several fields or words.
        let rows = (limit * 3) as i64;
        args.push(&rows);
        // How common each word is decides how its range is best read.
        let mut stmt = self.conn.prepare_per_values(&sql)?;
        let mut ids: Vec<CustomerId> = stmt.query_map(args.as_slice(), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.sort_unstable();
        ids.dedup();
        ids.truncate(limit);
        Ok(ids)
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

impl super::Store {
    /// After the search words of many customers were made (outside any transaction): on a
    /// server, marks the new rows as seen by everyone and brings the planner's figures up to
    /// date (`VACUUM (ANALYZE)`), so that a look-up reads the words' index alone instead of
    /// visiting each row it finds. Nothing to do in a file (its index was merged already).
    pub fn settle_search_words(&self) -> Result<()> {
        let db = self.db();
        if db.conn.is_pg() {
            db.conn.execute_batch("VACUUM (ANALYZE) customer_words")?;
        }
        Ok(())
    }
}

impl WriteDb<'_> {
    /// Runs `f`, which removes or rewrites the search words of many customers, with the search
    /// index's merging held off (each removal would otherwise merge pieces full of the removals
    /// before it: 50 s of a 150,000-customer undo), then merges it once.
    pub fn with_search_merging_deferred<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.conn.is_pg() {
            let value = f()?;
            self.optimize_search()?;
            return Ok(value);
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

    /// Merges the search index's pieces into one (after bulk work); on a server, brings what its
    /// planner knows of the words up to date instead (how common each range is decides how it is
    /// read).
    pub fn optimize_search(&self) -> Result<()> {
        let sql = if self.conn.is_pg() { "ANALYZE customer_words" } else { "INSERT INTO customer_search (customer_search) VALUES ('optimize')" };
        self.conn.execute_batch(sql)?;
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
        let (fields, words): (Vec<i64>, Vec<String>) = doc_words(doc).map(|(f, w)| (f as i64, w.to_string())).unzip();
        self.insert_words(vec![id; words.len()], fields, words)
    }

    /// Adds the search words of customers who have none yet, in one statement on a server.
    pub fn insert_search_docs(&self, docs: &[(CustomerId, SearchDoc)]) -> Result<()> {
        if !self.conn.is_pg() {
            for (id, doc) in docs {
                self.insert_search_doc(*id, doc)?;
            }
            return Ok(());
        }
        let (mut ids, mut fields, mut words) = (Vec::new(), Vec::new(), Vec::new());
        for (id, doc) in docs {
            for (field, word) in doc_words(doc) {
                ids.push(*id);
                fields.push(field as i64);
                words.push(word.to_string());
            }
        }
        self.insert_words(ids, fields, words)
    }

    fn insert_words(&self, ids: Vec<CustomerId>, fields: Vec<i64>, words: Vec<String>) -> Result<()> {
        if !words.is_empty() {
            self.conn
                .prepare_cached(
                    "INSERT INTO customer_words (customer_id, field, word)
                     SELECT c, f, w FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[]) AS t(c, f, w)",
                )?
                .execute(params![List::ints(ids), List::ints(fields), List::texts(words)])?;
        }
        Ok(())
    }

    /// Removes the search words of these customers (one statement on a server).
    pub fn remove_search_docs(&self, ids: &[CustomerId]) -> Result<()> {
        if self.conn.is_pg() {
            self.conn.prepare_cached("DELETE FROM customer_words WHERE customer_id IN rarray(?1)")?.execute([List::ints(ids.iter().copied())])?;
            return Ok(());
        }
        for &id in ids {
            self.remove_search_doc(id)?;
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
        let longest = Lookup { words: vec!["jo".into(), "smith".into()], ..names.clone() };
        assert_eq!(server_lookup(&longest).1[0], "smith", "the most telling word leads");
        assert!(sql.contains("w.word >= ?2 AND w.word < ?3 AND EXISTS") && sql.ends_with("LIMIT ?6"), "{sql}");
        let (sql, bounds) = server_lookup(&phones);
        assert_eq!(bounds, ["0791112", "0791112\u{1}", "791112", "791112\u{1}"]);
        assert!(sql.contains(" OR "), "{sql}");
    }
}
