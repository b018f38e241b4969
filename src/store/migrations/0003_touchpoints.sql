-- Social touchpoints and purchases: what customers say and buy. Applied once; never edit: add a
-- new migration instead.

-- Totals that follow from the purchases table (kept in step by the store whenever purchases change).
ALTER TABLE customers ADD COLUMN purchases_spend_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN purchases_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN first_purchase_at TEXT;
ALTER TABLE customers ADD COLUMN last_purchase_at TEXT;

CREATE TABLE touchpoints (
    id              INTEGER PRIMARY KEY,
    -- NULL until the author is known as a customer (see author_*).
    customer_id     INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    -- Who wrote it, as given (a handle, an email, a phone, a name), and its normalised key for
    -- linking: author_kind is 'handle' (author_platform set), 'email', 'phone' or 'name'.
    author          TEXT NOT NULL DEFAULT '',
    author_kind     TEXT CHECK (author_kind IN ('handle', 'email', 'phone', 'name')),
    author_platform TEXT,
    author_value    TEXT,
    channel         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text            TEXT NOT NULL DEFAULT '',
    url             TEXT,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5),
    reach           INTEGER CHECK (reach >= 0),
    at              TEXT NOT NULL,               -- RFC 3339, UTC
    sentiment       REAL NOT NULL DEFAULT 0,     -- compound, -1 to 1
    sentiment_label TEXT NOT NULL DEFAULT 'neutral' CHECK (sentiment_label IN ('positive', 'neutral', 'negative')),
    sentiment_by_owner INTEGER NOT NULL DEFAULT 0,
    topics          TEXT NOT NULL DEFAULT '',    -- comma-separated topic names
    status          TEXT NOT NULL CHECK (status IN ('needs_reply', 'replied', 'no_reply_needed')),
    reply_id        INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL,
    replied_at      TEXT,
    in_reply_to     INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL,
    -- Hash of channel, author, time and text: the same touchpoint imported twice is stored once.
    fingerprint     TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL
);
CREATE INDEX touchpoints_by_customer ON touchpoints (customer_id, at);
CREATE INDEX touchpoints_by_time ON touchpoints (at);
CREATE INDEX touchpoints_needing_reply ON touchpoints (at) WHERE status = 'needs_reply';
CREATE INDEX touchpoints_unlinked ON touchpoints (author_kind, author_value) WHERE customer_id IS NULL;

CREATE TABLE purchases (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,                 -- RFC 3339, UTC
    amount_cents INTEGER NOT NULL,              -- negative for a return
    currency     TEXT NOT NULL,
    items        TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL CHECK (channel IN ('in_store', 'online')),
    is_return    INTEGER NOT NULL DEFAULT 0,
    -- The order or transaction number in the system it came from: imported twice, stored once.
    external_id  TEXT UNIQUE,
    created_at   TEXT NOT NULL
);
CREATE INDEX purchases_by_customer ON purchases (customer_id, at);
