-- Who did it: an import and a merge carry the login of the person who made them (each person of
-- the shop has their own), filled in by the server itself, so no client can say it was someone
-- else. Mirrors the file's migration 0014 (there the column is empty). Applied once; never edit.
ALTER TABLE imports ADD COLUMN done_by TEXT NOT NULL DEFAULT current_user;
ALTER TABLE merges ADD COLUMN done_by TEXT NOT NULL DEFAULT current_user;
