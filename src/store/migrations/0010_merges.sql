-- One person, every channel: customers merged into another, and authors who are not customers. The merged-away customer stays (in the
-- trash, `merged_into` set) until the merge is taken back; `merges` records what moved, so that
-- an undo puts each thing back where it came from. Erasing the kept customer erases both.
-- Applied once; never edit: add a new migration instead.

ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id) ON DELETE CASCADE;
CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    keep_id    INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,              -- RFC 3339, UTC
    record     TEXT NOT NULL,              -- JSON: each customer before, and the rows that moved
    undone_at  TEXT
);
CREATE INDEX merges_by_keep ON merges (keep_id);
-- Deleting a customer looks for those merged into them: without this, every delete reads the table.
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;
-- What waits for a reply from a customer on a channel (the shop's reply answers it): a chat of a
-- hundred thousand messages must not read all of them at each reply.
CREATE INDEX touchpoints_waiting_by_customer ON touchpoints (customer_id, channel, at) WHERE status = 'needs_reply';
-- Authors the owner said are not customers (a supplier, a spammer): their messages stay unlinked
-- and are not offered for linking again.
CREATE TABLE not_customers (
    author_kind     TEXT NOT NULL,
    author_platform TEXT NOT NULL DEFAULT '',
    author_value    TEXT NOT NULL,
    at              TEXT NOT NULL,
    PRIMARY KEY (author_kind, author_platform, author_value)
) WITHOUT ROWID;
