-- The same work as `regulars import` of the harness's customer CSV, in SQL alone: the reference
-- issue 19 measures the import against. Run by the harness on the SQLite Regulars is built with
-- (Debian's sqlite3 shell is too old for the search index's options), on a database that already
-- has Regulars' schema (made untimed), the file read through the csv virtual table. `{csv}` is the
-- file.
--
-- What it does, as the import does: the file read once, in one pass; one transaction;
-- one customer per mailbox (a repeat row's second phone goes to the first row's customer); its
-- email, phones (position by row), Instagram handle and tags (two, once each); consent to email and
-- its event; imported totals and last visit; the import's record and one change row per customer;
-- the search words (name, handle, email, phone with its national form and last digits, tags, town,
-- company, notes); durability as the app's (WAL, synchronous=FULL, 16 KiB pages).
--
-- What it leaves out, which the import does: phone parsing (the numbers are taken as UK mobiles:
-- the leading 0 swapped for +44), date reading in any format (the file's dd/mm/yyyy is cut up),
-- name folding and spelling variants in the search words, the checks of every value with a
-- problem per row, and the identity rule's look-ups against customers already there (the database
-- starts empty).
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -65536;
PRAGMA temp_store = MEMORY;
CREATE VIRTUAL TABLE temp.file USING csv(filename = '{csv}', header = yes);
CREATE TEMP TABLE raw AS SELECT * FROM temp.file;
BEGIN IMMEDIATE;
INSERT INTO imports (id, file_name, file_hash, format, at, rows, created, merged, unchanged, rejected, problems)
VALUES (1, 'customers.csv', '', 'CSV', '2026-11-24T10:00:00Z', (SELECT count(*) FROM temp.raw), 0, 0, 0, 0, 0);
CREATE TEMP TABLE firsts AS SELECT lower(trim("Email")) AS email, min(rowid) AS row FROM temp.raw GROUP BY 1;
CREATE INDEX temp.firsts_by_email ON firsts (email);
INSERT INTO customers (id, first_name, last_name, display_name, sort_name, company, street, city, region, postal_code,
                       country, birthday, customer_since, notes, consent_email, lifetime_spend_cents, orders_count,
                       last_visit, created_at, updated_at)
SELECT f.row, trim(r."First Name"), trim(r."Last Name"), trim(r."First Name") || ' ' || trim(r."Last Name"),
       lower(trim(r."First Name") || ' ' || trim(r."Last Name")), trim(r."Company"), trim(r."Address1"), trim(r."City"),
       trim(r."Province"), trim(r."Zip"), trim(r."Country"),
       substr(r."Birthday", 7, 4) || '-' || substr(r."Birthday", 4, 2) || '-' || substr(r."Birthday", 1, 2),
       r."First Visit", trim(r."Note"),
       CASE lower(r."Accepts Email Marketing") WHEN 'yes' THEN 'yes' WHEN 'no' THEN 'no' ELSE 'unknown' END,
       CAST(round(CAST(r."Total Spent" AS REAL) * 100) AS INTEGER), CAST(r."Total Orders" AS INTEGER), r."Last Visit",
       '2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z'
FROM temp.firsts f JOIN temp.raw r ON r.rowid = f.row
ORDER BY f.row;
INSERT INTO customer_emails (customer_id, position, email) SELECT row, 0, email FROM temp.firsts ORDER BY row;
INSERT INTO customer_phones (customer_id, position, e164)
SELECT f.row, row_number() OVER (PARTITION BY f.row ORDER BY r.rowid) - 1, '+44' || substr(replace(r."Phone", ' ', ''), 2)
FROM temp.raw r JOIN temp.firsts f ON f.email = lower(trim(r."Email"))
WHERE r."Phone" <> '';
INSERT INTO customer_handles (customer_id, platform, handle)
SELECT f.row, 'instagram', lower(ltrim(trim(r."Instagram"), '@')) FROM temp.firsts f JOIN temp.raw r ON r.rowid = f.row
WHERE r."Instagram" <> '';
CREATE TEMP TABLE tags AS
SELECT f.row AS customer_id, trim(substr(r."Tags", 1, instr(r."Tags" || ',', ',') - 1)) AS one,
       trim(substr(r."Tags", instr(r."Tags" || ',', ',') + 1)) AS two
FROM temp.firsts f JOIN temp.raw r ON r.rowid = f.row;
INSERT INTO customer_tags (customer_id, position, tag) SELECT customer_id, 0, one FROM temp.tags WHERE one <> '';
INSERT INTO customer_tags (customer_id, position, tag)
SELECT customer_id, 1, two FROM temp.tags WHERE two <> '' AND lower(two) <> lower(one);
INSERT INTO consent_events (customer_id, channel, status, at, source)
SELECT id, 'email', consent_email, created_at, 'import #1' FROM customers WHERE consent_email <> 'unknown';
INSERT INTO import_changes (import_id, customer_id, action, before) SELECT 1, id, 'created', NULL FROM customers;
INSERT INTO customer_search (rowid, name, handles, emails, phones, tags, city, company, notes)
SELECT c.id, c.first_name || ' ' || c.last_name || ' ' || c.display_name, coalesce(h.handle, ''), e.email,
       (SELECT group_concat(substr(p.e164, 2) || ' 0' || substr(p.e164, 4) || ' ' || substr(p.e164, 4) || ' ' || substr(p.e164, 5)
               || ' ' || substr(p.e164, 6) || ' ' || substr(p.e164, 7) || ' ' || substr(p.e164, 8) || ' ' || substr(p.e164, 9)
               || ' ' || substr(p.e164, 10) || ' ' || substr(p.e164, 11), ' ')
        FROM customer_phones p WHERE p.customer_id = c.id),
       (SELECT group_concat(tag, ' ') FROM customer_tags t WHERE t.customer_id = c.id), c.city, c.company, c.notes
FROM customers c
JOIN customer_emails e ON e.customer_id = c.id AND e.position = 0
LEFT JOIN customer_handles h ON h.customer_id = c.id AND h.platform = 'instagram'
ORDER BY c.id;
UPDATE imports SET created = (SELECT count(*) FROM customers) WHERE id = 1;
COMMIT;
