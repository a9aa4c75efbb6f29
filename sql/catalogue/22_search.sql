-- Table macro lakegate.search(term): the datasets whose names, column names or descriptions match
-- the words of `term`, best first:  SELECT * FROM lakegate.search('deprivation decile')
--   schema, name, kind  the dataset
--   matched_in          where the words were found, best first (at most three): 'name',
--                       'description', 'column: <column>'
--   score               the ranking (higher is better; see below)
--   snippet             the description text that matched (a column's, prefixed with its name),
--                       or the dataset's description when only names matched
-- Plain scoring, no index (see src/catalogue/mod.rs for why not DuckDB's fts): the term is split
-- into words (letters and digits; plurals folded: boundaries → boundary; one-letter words and
-- a few stop words dropped), each compared with the words of every name and description. Per
-- search word, a dataset scores the weight of its best match — name 10, column name 6,
-- description 4, column description 2; a word that only begins a catalogue word (at least three
-- letters: "depriv" → deprivation) counts 60% — plus 0.25 for each further place it appears (at
-- most 4). The sum is scaled by the share of the search words found, so a dataset that has all
-- of them ranks above one that has some; typing a dataset's exact name adds 10.
CREATE OR REPLACE MACRO lakegate.main.search(term) AS TABLE
WITH
-- The term is cast once, here: an untyped prepared-statement parameter ($1 of the extended
-- query protocol) then binds as VARCHAR, and the result's columns are known before it runs.
input AS (
    SELECT CAST(term AS VARCHAR) AS search_text
),
query AS (
    SELECT
        word,
        -- Every text whose words match contains this (a stem ending in y may come from "ies").
        CASE WHEN suffix(word, 'y') AND length(word) > 3 THEN left(word, length(word) - 1) ELSE word END AS probe
    FROM (
        SELECT DISTINCT w AS word
        FROM (SELECT unnest(lakegate._discovery.words(search_text)) AS w FROM input)
        WHERE length(w) >= 2
          AND w NOT IN ('an', 'and', 'the', 'of', 'in', 'on', 'for', 'to', 'by', 'or', 'with', 'per',
                        'at', 'is', 'as', 'from', 'into', 'its', 'be', 'are', 'was', 'which', 'that')
    )
),
wanted AS (SELECT count(*) AS words FROM query),
documents AS MATERIALIZED (
    SELECT * FROM lakegate._discovery.documents WHERE EXISTS (SELECT 1 FROM query)
),
candidates AS (
    -- A cheap substring test first: only texts that can match are split into words.
    SELECT d.*, q.word, lakegate._discovery.words(d.text) AS doc_words
    FROM documents d, query q
    WHERE contains(lower(d.text), q.probe)
),
hits AS (
    SELECT
        schema, name, kind, place, column_name, position, text, word,
        weight * CASE WHEN list_contains(doc_words, word) THEN 1.0 ELSE 0.6 END AS points
    FROM candidates
    WHERE list_contains(doc_words, word)
       OR (length(word) >= 3 AND list_bool_or(list_transform(doc_words, x -> starts_with(x, word))))
),
per_word AS (
    SELECT schema, name, kind, word, max(points) AS best, count(*) AS places
    FROM hits
    GROUP BY ALL
),
scored AS (
    SELECT
        schema, name, kind,
        count(*) AS words_found,
        sum(best + 0.25 * least(places - 1, 4)) * count(*) / any_value(w.words)
            + CASE WHEN lower(trim(any_value(i.search_text))) IN (lower(name), lower(schema || '.' || name)) THEN 10 ELSE 0 END
            AS score
    FROM per_word, wanted w, input i
    GROUP BY schema, name, kind
),
labelled AS (
    SELECT
        schema, name,
        CASE WHEN place IN ('column', 'column description') THEN 'column: ' || column_name ELSE place END AS label,
        max(points) AS points,
        min(position) AS position
    FROM hits
    GROUP BY ALL
),
places AS (
    SELECT schema, name,
           string_agg(label, ', ' ORDER BY points DESC, position, label) FILTER (WHERE rank <= 3) AS matched_in
    FROM (SELECT *, row_number() OVER (PARTITION BY schema, name ORDER BY points DESC, position, label) AS rank
          FROM labelled)
    GROUP BY ALL
),
best_text AS (
    SELECT schema, name,
           arg_max(
               CASE WHEN place = 'column description' THEN column_name || ': ' ELSE '' END
               || lakegate._discovery.snippet(text, word, 160),
               -- Ties (one text matched by several words) go to the word found first in the
               -- text, then by the word itself, so the same search always shows the same snippet.
               (points, place = 'description', -position, -instr(lower(text), lower(word)), word)) AS snippet
    FROM hits
    WHERE place IN ('description', 'column description')
    GROUP BY ALL
),
described AS (
    SELECT schema, name, lakegate._discovery.snippet(text, '', 160) AS snippet
    FROM documents
    WHERE place = 'description'
)
SELECT
    s.schema,
    s.name,
    s.kind,
    p.matched_in,
    round(s.score, 2)::DOUBLE AS score,
    coalesce(b.snippet, d.snippet) AS snippet
FROM scored s
JOIN places p USING (schema, name)
LEFT JOIN best_text b USING (schema, name)
LEFT JOIN described d USING (schema, name)
ORDER BY s.score DESC, s.words_found DESC, s.schema <> 'main', s.schema, s.name;
