-- The folded name (`sort_name`) is compared byte for byte, as in the file. Migration 0001 made the
-- customer list's index with COLLATE "C" on a column that kept the database's collation, so
-- neither the list's order nor a look-up by name could use it: each import row looking for a
-- customer of the same name read the whole index (a 100,000-customer import ran at 60 rows a
-- second and slowed as the shop grew), and each page of the list sorted every customer. With the
-- column itself in byte order, the index serves both. Applied once; never edit.
ALTER TABLE customers ALTER COLUMN sort_name TYPE TEXT COLLATE "C";
