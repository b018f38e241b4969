-- Which customers each write touched, in order (seq), as in the file (its migrations 0011 and
-- 0012): what is derived from every customer (the shop's insight, Today's suggestions) is brought
-- up to date from these notes by any computer, for the customers noted since, instead of computed
-- afresh after every change anyone makes. The shop's writes take turns (an advisory lock held to
-- the commit), so the notes' numbers follow the order of the commits: a reader that saw note n
-- has seen every note before it. The numbers are the last one's plus one, not a sequence's (which
-- would be what `lastval()` answers after an insert that is noted). A message nobody is linked to is noted as minus its id; a
-- suggestion the owner dealt with as its customer (and a reply's as its message's). Bulk work
-- (an import, a move, a restore) sets `regulars.bulk` for its transaction: nothing is noted row
-- by row, and it notes customer 0 instead: anyone may have changed. Applied once; never edit.

CREATE TABLE customer_changes (
    seq         BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL
);

-- Notes the customers of the rows a statement wrote: TG_ARGV[0] lists, as VALUES rows, where a
-- row names its customers.
CREATE FUNCTION regulars_note_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('regulars.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('INSERT INTO customer_changes (seq, customer_id) SELECT (SELECT coalesce(max(seq), 0) FROM customer_changes) + row_number() OVER (), w
                        FROM (SELECT DISTINCT w FROM old_rows, LATERAL (VALUES %s) AS v(w) WHERE w IS NOT NULL) AS d', TG_ARGV[0]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('INSERT INTO customer_changes (seq, customer_id) SELECT (SELECT coalesce(max(seq), 0) FROM customer_changes) + row_number() OVER (), w
                        FROM (SELECT DISTINCT w FROM new_rows, LATERAL (VALUES %s) AS v(w) WHERE w IS NOT NULL) AS d', TG_ARGV[0]);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE t RECORD;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('customers', '(id)'),
        ('customer_emails', '(customer_id)'),
        ('customer_phones', '(customer_id)'),
        ('customer_tags', '(customer_id)'),
        ('touchpoints', '(coalesce(customer_id, -id))'),
        ('purchases', '(customer_id)'),
        ('referrals', '(referrer_id), (referred_id)')
    ) AS v(name, who)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION regulars_note_rows(%L)', t.name || '_insert_noted', t.name, t.who);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION regulars_note_rows(%L)', t.name || '_update_noted', t.name, t.who);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION regulars_note_rows(%L)', t.name || '_delete_noted', t.name, t.who);
    END LOOP;
END $$;

-- A suggestion dealt with: its customer, and a reply's message's customer (or minus the message).
CREATE FUNCTION regulars_note_suggestion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('regulars.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF NEW.customer_id IS NOT NULL THEN
        INSERT INTO customer_changes (seq, customer_id) SELECT coalesce(max(seq), 0) + 1, NEW.customer_id FROM customer_changes;
    END IF;
    IF NEW.key ~ '^reply:t[0-9]{1,18}$' THEN
        INSERT INTO customer_changes (seq, customer_id)
            SELECT coalesce(max(seq), 0) + 1, coalesce((SELECT customer_id FROM touchpoints WHERE id = substr(NEW.key, 8)::bigint), -substr(NEW.key, 8)::bigint)
            FROM customer_changes;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER suggestions_update_noted AFTER UPDATE OF status, snoozed_until ON suggestions
    FOR EACH ROW EXECUTE FUNCTION regulars_note_suggestion();
CREATE TRIGGER suggestions_insert_noted AFTER INSERT ON suggestions
    FOR EACH ROW WHEN (NEW.status <> 'open') EXECUTE FUNCTION regulars_note_suggestion();

-- A table a migration makes belongs to the login that ran it, alone: every login that has the
-- shop's customers gets the new tables too. Later migrations call it for theirs.
CREATE FUNCTION regulars_share_tables(VARIADIC tables TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE person TEXT; t TEXT;
BEGIN
    FOR person IN
        SELECT DISTINCT r.rolname FROM pg_class c, aclexplode(c.relacl) a, pg_roles r
        WHERE c.oid = 'customers'::regclass AND r.oid = a.grantee AND r.rolname <> current_user
        UNION SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'customers'::regclass AND pg_get_userbyid(c.relowner) <> current_user
    LOOP
        FOREACH t IN ARRAY tables LOOP
            EXECUTE format('GRANT ALL ON %I TO %I', t, person);
        END LOOP;
    END LOOP;
END $$;
SELECT regulars_share_tables('customer_changes');
