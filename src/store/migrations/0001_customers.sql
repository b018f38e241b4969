-- Customers and what identifies them. Applied once; never edit: add a new migration instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT NOT NULL DEFAULT '',
    display_name      TEXT NOT NULL,
    -- display_name folded (lower-case, no accents): the list's sort order.
    sort_name         TEXT NOT NULL,
    company           TEXT NOT NULL DEFAULT '',
    street            TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    region            TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT '',
    birthday          TEXT,                       -- YYYY-MM-DD
    customer_since    TEXT,                       -- YYYY-MM-DD
    notes             TEXT NOT NULL DEFAULT '',
    -- The current answer per channel; consent_events holds how it came to be.
    consent_email     TEXT NOT NULL DEFAULT 'unknown' CHECK (consent_email IN ('yes', 'no', 'unknown')),
    consent_sms       TEXT NOT NULL DEFAULT 'unknown' CHECK (consent_sms IN ('yes', 'no', 'unknown')),
    preferred_channel TEXT,
    custom            TEXT NOT NULL DEFAULT '{}',  -- JSON object of text values
    created_at        TEXT NOT NULL,               -- RFC 3339, UTC
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT                         -- set while in the trash (undo restores)
);
CREATE INDEX customers_by_name ON customers (sort_name, id) WHERE deleted_at IS NULL;

-- An email, phone or handle identifies one person: the UNIQUE constraints are the identity rule.
CREATE TABLE customer_emails (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    PRIMARY KEY (customer_id, position)
);

CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    e164        TEXT NOT NULL UNIQUE,
    PRIMARY KEY (customer_id, position)
);

CREATE TABLE customer_handles (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    platform    TEXT NOT NULL,
    handle      TEXT NOT NULL,
    PRIMARY KEY (customer_id, platform),
    UNIQUE (platform, handle)
);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE INDEX customer_tags_by_tag ON customer_tags (tag COLLATE NOCASE);

-- Append-only: when and where marketing consent was given or withdrawn.
CREATE TABLE consent_events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    status      TEXT NOT NULL CHECK (status IN ('yes', 'no', 'unknown')),
    at          TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX consent_events_by_customer ON consent_events (customer_id, id);
CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'the consent record is append-only');
END;

-- Search words, folded by the code (see search.rs); rowid is the customer id. Contentless: the
-- words live only in the index, and a row is deleted by rowid when its customer changes.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    name, handles, emails, phones, tags, city, company, notes,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
