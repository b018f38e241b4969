-- Which row of the file made each change, so that erasing a customer can also remove what the
-- import's report says about their row. Applied once; never edit: add a new migration instead.
ALTER TABLE import_changes ADD COLUMN row INTEGER;
