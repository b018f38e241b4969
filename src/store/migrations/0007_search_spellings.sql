-- The search words now hold other spellings (Müller is also mueller): the words made before are
-- made again once, at the next open (see customers::refresh_search_words).

INSERT INTO settings (key, value) VALUES ('search_words_stale', 'true')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
