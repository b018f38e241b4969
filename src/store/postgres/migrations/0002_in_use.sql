-- What a shop used on the server needs beyond the moved tables: the search words (a table of
-- our own: one row per customer, field and word; the words in byte order, so a prefix is one range
-- of the first index, and by customer in the second, so a common prefix is read in customer order
-- and stops at the limit) and the comparison that ignores case, as SQLite's NOCASE. Applied once;
-- never edit.

CREATE TABLE customer_words (
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE,
    field       SMALLINT NOT NULL,
    word        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX customer_words_by_word ON customer_words (word, field, customer_id);
CREATE INDEX customer_words_by_customer ON customer_words (customer_id, field, word);

CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
