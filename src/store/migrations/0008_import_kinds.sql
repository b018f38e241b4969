-- Every kind of import in one history: customers, touchpoints (reviews, comments, messages) and
-- purchases. A touchpoint or purchase remembers the import that brought it, so that undoing the
-- import takes exactly those away. Applied once; never edit: add a new migration instead.

ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'customers' CHECK (kind IN ('customers', 'touchpoints', 'purchases'));
ALTER TABLE touchpoints ADD COLUMN import_id INTEGER REFERENCES imports (id) ON DELETE SET NULL;
ALTER TABLE purchases ADD COLUMN import_id INTEGER REFERENCES imports (id) ON DELETE SET NULL;
CREATE INDEX touchpoints_by_import ON touchpoints (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX purchases_by_import ON purchases (import_id) WHERE import_id IS NOT NULL;
