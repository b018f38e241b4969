-- Follow-up suggestions, referrals and saved segments. Applied once; never edit: add a new migration
-- instead.

-- Every suggestion ever shown, by its reason (`key`, e.g. "thank:t42"): its id stays the same while
-- the reason holds, and what the owner did with it (done, dismissed, snoozed) sticks to the reason.
CREATE TABLE suggestions (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    customer_id   INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    marketing     INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dismissed', 'snoozed')),
    first_seen    TEXT NOT NULL,
    snoozed_until TEXT,
    closed_at     TEXT,
    -- The touchpoint logged when it was done.
    outcome_id    INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL
);
CREATE INDEX suggestions_marketing_done ON suggestions (customer_id, closed_at) WHERE status = 'done' AND marketing = 1;

-- Who brought whom: one referrer per customer.
CREATE TABLE referrals (
    referred_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    referrer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'app',
    CHECK (referred_id <> referrer_id)
);
CREATE INDEX referrals_by_referrer ON referrals (referrer_id);

-- Saved smart filters: a name and the filter as JSON (see segments.rs).
CREATE TABLE segments (
    name       TEXT PRIMARY KEY,
    filter     TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
