-- Spreadsheet imports: what each brought in, and what it changed, so that it can be undone.
-- Applied once; never edit: add a new migration instead.

-- Totals brought in from another system (a shop export's "Total Spent", "Orders", "Last Visit").
ALTER TABLE customers ADD COLUMN lifetime_spend_cents INTEGER;
ALTER TABLE customers ADD COLUMN orders_count INTEGER;
ALTER TABLE customers ADD COLUMN last_visit TEXT;  -- YYYY-MM-DD

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file_hash   TEXT NOT NULL,                -- SHA-256 of the file's bytes, hex
    format      TEXT NOT NULL,
    at          TEXT NOT NULL,                -- RFC 3339, UTC
    rows        INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    merged      INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    problems    INTEGER NOT NULL,
    report      TEXT NOT NULL DEFAULT '{}',   -- JSON: the mapping and the problems listed
    undone_at   TEXT
);
CREATE INDEX imports_by_hash ON imports (file_hash);

-- One row per customer an import created or changed. `before` is the customer's JSON before a
-- merge (NULL for a creation): undo puts it back. Erasing a customer erases these too.
CREATE TABLE import_changes (
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    action      TEXT NOT NULL CHECK (action IN ('created', 'merged')),
    before      TEXT,
    PRIMARY KEY (import_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_by_customer ON import_changes (customer_id, import_id);
