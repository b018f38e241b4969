-- The search words as one row per customer (`customer_finds`), replacing the row per customer,
-- field and word of 0002. Each row holds:
--   keys: the look-up keys between spaces, a field's number before each: every start of a word
--         up to four letters, or seven digits ("0m 0ma 0mar 0mari"), and each whole word
--         ("0=maria"), in a GIN index of `regulars_keys(keys)`, so that a query of several words
--         is the intersection of one posting list per word (0002's words table read one word's
--         range and checked the others customer by customer, which was slow when every word was
--         common). The function is costly on purpose: the planner then always reads the index,
--         never every row's keys;
--   name … notes: each field's words between spaces (" maria lopez "), to check a longer start
--         against;
--   what a result shows (the names it is ranked by, the town, the first email and phone, the
--         tags), so that a search is one statement per look-up and no further reads.
-- The rows are made by Regulars from each customer as it is saved, as the file's search index
-- is, and made again for every customer of a shop already here at the next opening (the setting
-- below; a database still empty gets its rows with its shop). Applied once; never edit.

DROP TABLE customer_words;

CREATE TABLE customer_finds (
    customer_id  BIGINT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE,
    keys         TEXT NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    handles      TEXT COLLATE "C" NOT NULL,
    emails       TEXT COLLATE "C" NOT NULL,
    phones       TEXT COLLATE "C" NOT NULL,
    tags         TEXT COLLATE "C" NOT NULL,
    city         TEXT COLLATE "C" NOT NULL,
    company      TEXT COLLATE "C" NOT NULL,
    notes        TEXT COLLATE "C" NOT NULL,
    first_name   TEXT NOT NULL,
    last_name    TEXT NOT NULL,
    display_name TEXT NOT NULL,
    town         TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    tag_list     TEXT NOT NULL
);
CREATE FUNCTION regulars_keys(keys TEXT) RETURNS TEXT[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000
    AS $$ BEGIN RETURN string_to_array(keys, ' '); END $$;
CREATE INDEX customer_finds_keys ON customer_finds USING gin (regulars_keys(keys));

INSERT INTO settings (key, value)
    SELECT 'search_words_stale', 'postgres migration 6' WHERE EXISTS (SELECT 1 FROM customers)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
