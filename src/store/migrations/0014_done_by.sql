-- Who did it: an import and a merge carry the name of the person who made them, shown in their
-- history. In a file it is empty (one computer, one shop); on a shared shop's server it is the
-- person's own login (Postgres migration 0004 fills it from `current_user`). Applied once; never
-- edit.
ALTER TABLE imports ADD COLUMN done_by TEXT NOT NULL DEFAULT '';
ALTER TABLE merges ADD COLUMN done_by TEXT NOT NULL DEFAULT '';
