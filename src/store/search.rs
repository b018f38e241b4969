//! The search words, on either home of a shop. A look-up (`Lookup`) says which words, in which
//! fields, as whole words or prefixes, all of them or any; the store answers with the customers
//! found (`Hit`), in id order, at most a limit. In the SQLite file it is an FTS5 query on
//! `customer_search` (one row of folded words per customer). On a PostgreSQL server it is a table
//! of our own, `customer_finds` (Postgres migration 0006): one row per customer with its look-up
//! keys (each field's word starts up to four letters or seven digits, and whole words) in a GIN index, each
//! field's words to check a longer start against, and what a result shows, so that one statement
//! per look-up both finds and describes the customers. A look-up with a word most customers have
//! is planned for its own words (reading the rows in order finds it soonest); the others keep one
//! plan (`has_common_word`).

use super::sql::{params, List};
use super::{Db, SearchDoc, Shown, WriteDb};
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

/// How many letters of a word's start are a key of their own on a server: a query word up to this
/// long is found by its key alone; a longer one by the key of its first letters, then checked.
/// Digits go further: every piece of a phone number is a word of its own (see
/// `normalize::phone_search_terms`), and the first four digits of a piece say little.
fn key_letters(word: &str) -> usize {
    if word.bytes().all(|b| b.is_ascii_digit()) { 7 } else { 4 }
}

/// The starts of a word a server keeps: its first letter, its first two, and so on up to
/// `key_letters`.
fn starts(word: &str) -> impl Iterator<Item = &str> {
    word.char_indices().take(key_letters(word)).map(move |(at, c)| &word[..at + c.len_utf8()])
}

/// A key in the GIN index: the field's number before a word's start ("0mar"), or before "=" and
/// a whole word ("0=maria").
fn key(field: Field, start: &str, whole: bool) -> String {
    format!("{}{}{start}", field as u8, if whole { "=" } else { "" })
}

/// The fields whose word starts have rows of their own (`customer_starts`): the first look-up as
/// a person types is in these, and these alone.
const STARTS_FIELDS: [Field; 2] = [Field::Name, Field::Handles];

/// The server's look-up keys of a document: each field's number before every start of each of
/// its words, and before "=" and each whole word.
fn doc_keys(doc: &SearchDoc) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::new();
    for field in Field::ALL {
        for word in crate::normalize::words(field.of(doc)) {
            keys.extend(starts(word).map(|start| key(field, start, false)));
            keys.insert(key(field, word, true));
        }
    }
    keys.into_iter().collect()
}

/// The starts of a document's words in `STARTS_FIELDS`, each once: its `customer_starts` rows.
fn doc_starts(doc: &SearchDoc) -> std::collections::BTreeSet<&str> {
    STARTS_FIELDS.iter().flat_map(|f| crate::normalize::words(f.of(doc))).flat_map(starts).collect()
}

/// A field's words as a server keeps them, between spaces (" maria lopez "), so that a word's
/// start is ` word` and a whole word ` word `; empty when the field has none.
fn spaced(text: &str) -> String {
    let words: Vec<&str> = crate::normalize::words(text).collect();
    if words.is_empty() { String::new() } else { format!(" {} ", words.join(" ")) }
}

/// A value of a server's look-up: the keys of a word (any one will do), a start, or a pattern a
/// longer start is checked with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Param {
    Keys(Vec<String>),
    Text(String),
}

/// A query word's start as kept (`starts`), and, when the start alone is not enough (the word is
/// longer), the pattern each field's words are checked with.
fn word_start(word: &str) -> (&str, Option<String>) {
    let start = starts(word).last().unwrap_or(word);
    (start, (start.len() < word.len()).then(|| format!("% {word}%")))
}

/// The check of a long start: `?n` in any of the fields.
fn check_in(fields: &[Field], n: usize) -> String {
    format!("({})", fields.iter().map(|f| format!("{} LIKE ?{n}", f.column())).collect::<Vec<_>>().join(" OR "))
}

/// The share of customers with a word (in the fields looked in) above which a look-up of it is
/// planned for its words: three in four.
const COMMON: f32 = 0.75;

/// How many look-ups use the server's counts of common keys before they are read again.
const KEYS_READ_AGAIN: u32 = 1000;

/// What a server's look-up reads of each customer found: what the result shows.
const SHOWN: &str = "customer_id, first_name, last_name, display_name, town, email, phone, tag_list, name";

/// The look-up as a statement on `customer_finds`, and its values in order, the limit last. For
/// each word, its keys in the fields searched and, for a long start, the check. The index's
/// posting lists of the words are intersected (or joined, for `any`); the statement stops at the
/// limit.
fn server_lookup(lookup: &Lookup, fields: &[Field]) -> (String, Vec<Param>) {
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    for word in &lookup.words {
        let (start, check) = if lookup.prefix { word_start(word) } else { (word.as_str(), None) };
        params.push(Param::Keys(fields.iter().map(|&f| key(f, start, !lookup.prefix)).collect()));
        let mut condition = format!("regulars_keys(keys) && ?{}", params.len());
        if let Some(check) = check {
            params.push(Param::Text(check));
            condition = format!("{condition} AND {}", check_in(fields, params.len()));
        }
        conditions.push(condition);
    }
    let joined = if lookup.any {
        format!("({})", conditions.iter().map(|c| format!("({c})")).collect::<Vec<_>>().join(" OR "))
    } else {
        conditions.join(" AND ")
    };
    (format!("SELECT {SHOWN} FROM customer_finds WHERE {joined} LIMIT ?{}", params.len() + 1), params)
}

/// A look-up of one word's start in names and handles as a statement on `customer_starts`, and
/// its values in order, the limit last: the start's rows in the order of the customers' numbers,
/// each customer's `customer_finds` row read for what a result shows (and checked, for a long
/// start) until the limit. However common the start, the statement reads about as many rows as it
/// returns. (Several words are better intersected in the GIN index: the rows of the rarest decide
/// there, where here each word's rows would be read in full until the limit.)
fn starts_lookup(word: &str) -> (String, Vec<Param>) {
    let (start, check) = word_start(word);
    let mut params = vec![Param::Text(start.to_string())];
    let checked = match check {
        Some(check) => {
            params.push(Param::Text(check));
            format!(" AND {}", check_in(&STARTS_FIELDS, params.len()))
        }
        None => String::new(),
    };
    let sql = format!(
        "SELECT f.* FROM customer_starts s,
             LATERAL (SELECT {SHOWN} FROM customer_finds WHERE customer_id = s.customer_id{checked} OFFSET 0) f
         WHERE s.start = ?1 ORDER BY s.customer_id LIMIT ?{}",
        params.len() + 1
    );
    (sql, params)
}

/// Whether a look-up has a word that most customers have (`COMMON`), by the server's counts of
/// its keys: such a word is found soonest by reading the rows in order, any other by its keys, so
/// the server plans that look-up for its own words. Every other look-up keeps one plan for all
/// words (planning each one costs more than it saves).
fn has_common_word(lookup: &Lookup, fields: &[Field], common: &std::collections::HashMap<String, f32>) -> bool {
    lookup.words.iter().any(|w| {
        let (start, whole) = if lookup.prefix { (word_start(w).0, false) } else { (w.as_str(), true) };
        fields.iter().map(|&f| common.get(&key(f, start, whole)).copied().unwrap_or(0.0)).sum::<f32>() >= COMMON
    })
}

/// A customer a look-up found, with what a result shows of them and their name's search words
/// when the store read them in the same statement (on a server; the file's index holds words
/// only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: CustomerId,
    pub shown: Option<(Shown, String)>,
}

impl Db<'_> {
    /// Customers with the look-up's words, in id order, at most `limit`. Where more match, the
    /// file returns the oldest; a server those it reaches first (mostly the oldest too). A query
    /// one letter longer narrows them down either way.
    pub fn search_hits(&self, lookup: &Lookup, limit: usize) -> Result<Vec<Hit>> {
        if lookup.words.is_empty() {
            return Ok(Vec::new());
        }
        if !self.conn.is_pg() {
            let mut stmt = self.conn.prepare_cached("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2")?;
            let ids = stmt.query_map(params![lookup.fts5(), limit as i64], |r| r.get(0))?;
            return Ok(ids.map(|id| id.map(|id| Hit { id, shown: None })).collect::<rusqlite::Result<_>>()?);
        }
        let fields = if lookup.fields.is_empty() { Field::ALL.to_vec() } else { lookup.fields.clone() };
        let common = self.common_search_keys()?;
        let one_start = lookup.words.len() == 1 && lookup.prefix && fields.len() == STARTS_FIELDS.len() && STARTS_FIELDS.iter().all(|f| fields.contains(f));
        let (sql, params) = if one_start { starts_lookup(&lookup.words[0]) } else { server_lookup(lookup, &fields) };
        let params: Vec<Box<dyn super::sql::Arg>> = params
            .into_iter()
            .map(|p| match p {
                Param::Keys(keys) => Box::new(List::texts(keys)) as Box<dyn super::sql::Arg>,
                Param::Text(text) => Box::new(text),
            })
            .collect();
        let limit = limit as i64;
        let mut args: Vec<&dyn super::sql::Arg> = params.iter().map(|p| p.as_ref()).collect();
        args.push(&limit);
        // One start's rows are read the same way whatever the start.
        let planned_for_its_words = !one_start && has_common_word(lookup, &fields, &common);
        let mut stmt = if planned_for_its_words { self.conn.prepare_per_values(&sql)? } else { self.conn.prepare_cached(&sql)? };
        let mut hits: Vec<Hit> = stmt
            .query_map(args.as_slice(), |r| {
                let tags: String = r.get(7)?;
                let shown = Shown {
                    first_name: r.get(1)?,
                    last_name: r.get(2)?,
                    display_name: r.get(3)?,
                    city: r.get(4)?,
                    email: r.get(5)?,
                    phone: r.get(6)?,
                    tags: if tags.is_empty() { Vec::new() } else { tags.split(super::TAG_SEPARATOR).map(str::to_string).collect() },
                };
                Ok(Hit { id: r.get(0)?, shown: Some((shown, r.get(8)?)) })
            })?
            .collect::<rusqlite::Result<_>>()?;
        hits.sort_unstable_by_key(|h| h.id);
        Ok(hits)
    }

    /// On a server, the look-up keys in at least one customer in a hundred, with the share of
    /// customers who have each, as the server's planner last counted them (empty in a file, and
    /// before the server counted). Read again after `KEYS_READ_AGAIN` look-ups, so that another
    /// computer's import is soon taken into account.
    fn common_search_keys(&self) -> Result<std::sync::Arc<std::collections::HashMap<String, f32>>> {
        let Some(pg) = self.conn.pg() else { return Ok(Default::default()) };
        if let Some((asked, keys)) = pg.kept.borrow_mut().as_mut() {
            *asked += 1;
            if *asked < KEYS_READ_AGAIN {
                return Ok(keys.clone());
            }
        }
        let keys: std::collections::HashMap<String, f32> = self
            .conn
            .prepare_cached("SELECT k, f FROM regulars_common_keys(0.01)")?
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let keys = std::sync::Arc::new(keys);
        *pg.kept.borrow_mut() = Some((0, keys.clone()));
        Ok(keys)
    }

    /// Reads the whole search index once, so that the first searches on a big file that the
    /// operating system has not cached yet are as quick as the rest (used in the background at
    /// launch). On a server, reads what its look-ups read into the server's own cache: the rows,
    /// the starts in order, and the index's longest posting lists (each field's one-letter keys).
    /// Returns the words' size in bytes.
    pub fn warm_search(&self) -> Result<u64> {
        if !self.conn.is_pg() {
            let bytes: i64 = self.conn.query_row("SELECT coalesce(sum(length(block)), 0) FROM customer_search_data", (), |r| r.get(0))?;
            return Ok(bytes.max(0) as u64);
        }
        let bytes: i64 = self.conn.query_row(
            "SELECT coalesce(sum(length(keys) + length(name) + length(handles) + length(emails) + length(phones)), 0)::bigint
             FROM customer_finds",
            (),
            |r| r.get(0),
        )?;
        self.conn.query_row("SELECT count(*) FROM (SELECT customer_id FROM customer_starts ORDER BY start, customer_id) s", (), |r| r.get::<_, i64>(0))?;
        let letters = ('a'..='z').chain('0'..='9');
        let keys = List::texts(Field::ALL.iter().flat_map(|&f| letters.clone().map(move |c| key(f, &c.to_string(), false))));
        self.conn.query_row("SELECT count(*) FROM customer_finds WHERE regulars_keys(keys) && ?1", [keys], |r| r.get::<_, i64>(0))?;
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
            db.conn.execute_batch("VACUUM (ANALYZE) customer_finds, customer_starts")?;
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
        let sql = if self.conn.is_pg() { "ANALYZE customer_finds, customer_starts" } else { "INSERT INTO customer_search (customer_search) VALUES ('optimize')" };
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
        self.insert_search_docs(&[(id, doc)])
    }

    /// Adds the search words of customers who have none yet, in one statement on a server.
    pub fn insert_search_docs<D: std::borrow::Borrow<SearchDoc>>(&self, docs: &[(CustomerId, D)]) -> Result<()> {
        if !self.conn.is_pg() {
            for (id, doc) in docs {
                self.insert_search_doc(*id, doc.borrow())?;
            }
            return Ok(());
        }
        if docs.is_empty() {
            return Ok(());
        }
        // A column of texts per column of the table, one text per customer.
        let mut columns: Vec<Vec<String>> = vec![Vec::with_capacity(docs.len()); 16];
        for (_, doc) in docs {
            let doc = doc.borrow();
            let shown = &doc.shown;
            let texts = [
                doc_keys(doc).join(" "),
                spaced(&doc.name),
                spaced(&doc.handles),
                spaced(&doc.emails),
                spaced(&doc.phones),
                spaced(&doc.tags),
                spaced(&doc.city),
                spaced(&doc.company),
                spaced(&doc.notes),
                shown.first_name.clone(),
                shown.last_name.clone(),
                shown.display_name.clone(),
                shown.city.clone(),
                shown.email.clone().unwrap_or_default(),
                shown.phone.clone().unwrap_or_default(),
                shown.tags.join(&super::TAG_SEPARATOR.to_string()),
            ];
            for (column, text) in columns.iter_mut().zip(texts) {
                column.push(text);
            }
        }
        let ids = List::ints(docs.iter().map(|(id, _)| *id));
        let columns: Vec<List> = columns.into_iter().map(List::texts).collect();
        let mut args: Vec<&dyn super::sql::Arg> = vec![&ids];
        args.extend(columns.iter().map(|c| c as &dyn super::sql::Arg));
        self.conn
            .prepare_cached(
                "INSERT INTO customer_finds (customer_id, keys, name, handles, emails, phones, tags, city, company, notes,
                                             first_name, last_name, display_name, town, email, phone, tag_list)
                 SELECT c, k, f0, f1, f2, f3, f4, f5, f6, f7, fi, la, di, ci, NULLIF(em, ''), NULLIF(ph, ''), ta
                 FROM unnest(?1::bigint[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[], ?8::text[],
                             ?9::text[], ?10::text[], ?11::text[], ?12::text[], ?13::text[], ?14::text[], ?15::text[], ?16::text[],
                             ?17::text[])
                     AS t(c, k, f0, f1, f2, f3, f4, f5, f6, f7, fi, la, di, ci, em, ph, ta)",
            )?
            .execute(args.as_slice())?;
        let (mut starts, mut owners) = (Vec::new(), Vec::new());
        for (id, doc) in docs {
            for start in doc_starts(doc.borrow()) {
                starts.push(start.to_string());
                owners.push(*id);
            }
        }
        self.conn
            .prepare_cached("INSERT INTO customer_starts (start, customer_id) SELECT * FROM unnest(?1::text[], ?2::bigint[])")?
            .execute(params![List::texts(starts), List::ints(owners)])?;
        Ok(())
    }

    /// Before every customer's search words are made again: on a server, empties its tables at
    /// once (their rows deleted one by one would leave the tables twice their size, and the reads
    /// of every search slower, until the server's vacuum had rewritten them; other computers wait
    /// for the words until the making commits). Nothing in a file, whose words are removed as they
    /// are made again.
    pub fn clear_search_docs(&self) -> Result<()> {
        if self.conn.is_pg() {
            self.conn.execute_batch("TRUNCATE customer_starts, customer_finds")?;
        }
        Ok(())
    }

    /// Removes the search words of these customers (two statements on a server: the starts go
    /// with their row, but a statement of their own spares one more statement per customer).
    pub fn remove_search_docs(&self, ids: &[CustomerId]) -> Result<()> {
        if self.conn.is_pg() {
            let ids = List::ints(ids.iter().copied());
            self.conn.prepare_cached("DELETE FROM customer_starts WHERE customer_id IN rarray(?1)")?.execute([ids.clone()])?;
            self.conn.prepare_cached("DELETE FROM customer_finds WHERE customer_id IN rarray(?1)")?.execute([ids])?;
            return Ok(());
        }
        for &id in ids {
            self.remove_search_doc(id)?;
        }
        Ok(())
    }

    pub fn remove_search_doc(&self, id: CustomerId) -> Result<()> {
        let sql = if self.conn.is_pg() { "DELETE FROM customer_finds WHERE customer_id = ?1" } else { "DELETE FROM customer_search WHERE rowid = ?1" };
        self.conn.prepare_cached(sql)?.execute([id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(keys: &[&str]) -> Param {
        Param::Keys(keys.iter().map(|k| k.to_string()).collect())
    }

    fn text(text: &str) -> Param {
        Param::Text(text.to_string())
    }

    #[test]
    fn lookups_read_as_fts5_queries_with_every_word_quoted() {
        let names = Lookup { fields: vec![Field::Name, Field::Handles], words: vec!["ann".into(), "smi".into()], prefix: true, any: false };
        assert_eq!(names.fts5(), "{name handles} : (\"ann\"* \"smi\"*)");
        let phones = Lookup { fields: vec![Field::Phones], words: vec!["0791112".into(), "791112".into()], prefix: false, any: true };
        assert_eq!(phones.fts5(), "{phones} : (\"0791112\" OR \"791112\")");
        let all = Lookup { fields: vec![], words: vec!["a\"b".into()], prefix: true, any: false };
        assert_eq!(all.fts5(), "(\"a\"\"b\"*)");
    }

    #[test]
    fn a_server_looks_words_up_by_their_keys_and_checks_a_longer_start() {
        let names = Lookup { fields: vec![Field::Name, Field::Emails], words: vec!["ann".into(), "smi".into()], prefix: true, any: false };
        let two = [Field::Name, Field::Emails];
        let (sql, params) = server_lookup(&names, &two);
        assert_eq!(params, [keys(&["0ann", "2ann"]), keys(&["0smi", "2smi"])], "a start of up to four letters is a key of its own");
        assert_eq!(sql, format!("SELECT {SHOWN} FROM customer_finds WHERE regulars_keys(keys) && ?1 AND regulars_keys(keys) && ?2 LIMIT ?3"));
        let long = Lookup { words: vec!["jo".into(), "smithson".into()], ..names.clone() };
        let (sql, params) = server_lookup(&long, &two);
        assert_eq!(params[1..], [keys(&["0smit", "2smit"]), text("% smithson%")]);
        assert!(sql.ends_with("keys) && ?2 AND (name LIKE ?3 OR emails LIKE ?3) LIMIT ?4"), "{sql}");
        let phones = Lookup { fields: vec![Field::Phones], words: vec!["0791112".into(), "791112".into()], prefix: false, any: true };
        let (sql, params) = server_lookup(&phones, &[Field::Phones]);
        assert_eq!(params, [keys(&["3=0791112"]), keys(&["3=791112"])], "a whole word is a key of its own");
        assert!(sql.contains("WHERE ((regulars_keys(keys) && ?1) OR (regulars_keys(keys) && ?2)) LIMIT ?3"), "{sql}");
    }

    #[test]
    fn a_look_up_is_planned_for_its_words_when_most_customers_have_one_of_them() {
        let common: std::collections::HashMap<String, f32> =
            [("2exam", 1.0), ("2=example", 1.0), ("0m", 0.4), ("1m", 0.4), ("3447", 0.99)].into_iter().map(|(k, f)| (k.to_string(), f)).collect();
        let all = Field::ALL.to_vec();
        let prefixes = |words: &[&str]| Lookup { fields: vec![], words: words.iter().map(|w| w.to_string()).collect(), prefix: true, any: false };
        assert!(has_common_word(&prefixes(&["olivia", "example"]), &all, &common), "a long word is counted by its first letters");
        assert!(has_common_word(&prefixes(&["m"]), &all, &common), "a word is counted in every field looked in");
        assert!(!has_common_word(&prefixes(&["m"]), &[Field::Name], &common), "and in those alone");
        assert!(!has_common_word(&prefixes(&["olivia", "zed"]), &all, &common));
        let whole = Lookup { prefix: false, ..prefixes(&["example"]) };
        assert!(has_common_word(&whole, &[Field::Emails], &common), "a whole word by its own key");
        let digits = Lookup { fields: vec![Field::Phones], words: vec!["447".into(), "0447".into()], prefix: true, any: true };
        assert!(has_common_word(&digits, &[Field::Phones], &common));
        assert!(!has_common_word(&prefixes(&["example"]), &all, &Default::default()), "nothing is common before the server counted");
    }

    #[test]
    fn one_word_in_names_and_handles_is_looked_up_by_its_starts_rows_in_number_order() {
        let (sql, params) = starts_lookup("m");
        assert_eq!(params, [text("m")]);
        assert!(!sql.contains("LIKE"), "{sql}");
        assert!(sql.ends_with("WHERE s.start = ?1 ORDER BY s.customer_id LIMIT ?2"), "{sql}");
        let (sql, params) = starts_lookup("olivia");
        assert_eq!(params, [text("oliv"), text("% olivia%")]);
        assert!(sql.contains("WHERE customer_id = s.customer_id AND (name LIKE ?2 OR handles LIKE ?2) OFFSET 0"), "{sql}");
        assert!(sql.ends_with("LIMIT ?3"), "{sql}");
    }

    #[test]
    fn a_server_keeps_each_words_first_letters_and_the_whole_word_as_keys() {
        let doc = SearchDoc { name: "zoë ann".into(), phones: "07911".into(), ..Default::default() };
        let keys = doc_keys(&doc);
        for want in ["0z", "0zo", "0zoë", "0=zoë", "0a", "0an", "0ann", "0=ann", "30", "307", "3079", "30791", "307911", "3=07911"] {
            assert!(keys.contains(&want.to_string()), "{want} in {keys:?}");
        }
        let long = doc_keys(&SearchDoc { name: "margarita".into(), phones: "0791112345".into(), ..Default::default() });
        assert!(long.contains(&"0marg".to_string()) && !long.contains(&"0marga".to_string()), "a word's starts stop at four letters");
        assert!(long.contains(&"30791112".to_string()) && !long.contains(&"307911123".to_string()), "a number's at seven digits");
        let doc = SearchDoc { name: "zoë ann".into(), handles: "zoe_22".into(), notes: "quiet".into(), ..Default::default() };
        let starts: Vec<&str> = doc_starts(&doc).into_iter().collect();
        assert_eq!(starts, ["2", "22", "a", "an", "ann", "z", "zo", "zoe", "zoë"], "names' and handles' starts, each once");
        assert_eq!(spaced("Zoë  ann"), " Zoë ann ");
        assert_eq!(spaced(""), "");
    }
}
