-- How common each look-up key of the search words is, as the server last counted them (its
-- statistics of the index on customer_finds): a look-up of a word that most customers have is
-- planned for its words, any other by a plan kept for all words. Those statistics are shown only to
-- the index's owner, the login that made the shop; this function, run as that login, lets every
-- login read them (EXECUTE is everyone's). Applied once; never edit.

CREATE FUNCTION regulars_common_keys(least_share REAL) RETURNS TABLE (k TEXT, f REAL)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT t.k, t.f
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS t(k, f)
    WHERE s.schemaname = current_schema() AND s.tablename = 'customer_finds_keys'
      AND t.k IS NOT NULL AND t.f >= least_share
$$;
