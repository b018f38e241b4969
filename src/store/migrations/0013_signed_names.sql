-- The names customers signed their messages with (a WhatsApp or Messenger name), read by the
-- search for possible duplicates: without an index of their own, reading them looked up every
-- message of the shop (a million at 100,000 customers) one row at a time.
CREATE INDEX touchpoints_signed ON touchpoints (customer_id, author, channel)
    WHERE customer_id IS NOT NULL AND direction = 'in' AND author_kind = 'name';
