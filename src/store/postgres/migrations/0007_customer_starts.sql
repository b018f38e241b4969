-- The starts of each customer's name and handle words (up to four letters, or seven digits), a
-- row each, in the order of the customers' numbers: a look-up in names and handles (the first and
-- most common one as a person types) reads the customers with a start in order and stops at its
-- limit, however many have it, where the GIN index of 0006 must first gather every customer with
-- the key ("m": 17,000 of 100,000). Several words are the merge of their starts' rows. The rows
-- belong to the customer's `customer_finds` row and go with it; Regulars makes both as the
-- customer is saved, and every shop already here again at its next opening (the setting below).
-- Applied once; never edit.

CREATE TABLE customer_starts (
    start        TEXT COLLATE "C" NOT NULL,
    customer_id  BIGINT NOT NULL REFERENCES customer_finds (customer_id) ON DELETE CASCADE DEFERRABLE,
    PRIMARY KEY (start, customer_id)
);
CREATE INDEX customer_starts_customer ON customer_starts (customer_id);
-- Whoever may use the shop's customers may use their starts, and the search rows of 0006 (each
-- person's own login was granted the tables there were when it was made; a table made since is
-- the migrating login's alone, and 0006 did not say so).
DO $$
DECLARE person TEXT;
BEGIN
    FOR person IN
        SELECT DISTINCT r.rolname FROM pg_class c, aclexplode(c.relacl) a, pg_roles r
        WHERE c.oid = 'customers'::regclass AND r.oid = a.grantee AND r.rolname <> current_user
        UNION SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'customers'::regclass AND pg_get_userbyid(c.relowner) <> current_user
    LOOP
        EXECUTE format('GRANT ALL ON customer_starts, customer_finds TO %I', person);
    END LOOP;
END $$;

INSERT INTO settings (key, value)
    SELECT 'search_words_stale', 'postgres migration 7' WHERE EXISTS (SELECT 1 FROM customers)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
