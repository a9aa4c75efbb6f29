-- Macro lakegate._discovery.snippet(text, word, width): at most `width` characters of `text`
-- around the first occurrence of `word` (from its start when the word is not found as typed),
-- with … where text was cut.
CREATE OR REPLACE MACRO lakegate._discovery.snippet_start(t, w, width) AS
    greatest(1, least(instr(lower(t), lower(w)) - 40, length(t) - width + 1));

CREATE OR REPLACE MACRO lakegate._discovery.snippet(t, w, width) AS
    CASE
        WHEN t IS NULL OR length(t) <= width THEN t
        ELSE
            CASE WHEN lakegate._discovery.snippet_start(t, w, width) > 1 THEN '…' ELSE '' END
            || trim(substr(t, lakegate._discovery.snippet_start(t, w, width), width))
            || CASE WHEN lakegate._discovery.snippet_start(t, w, width) + width <= length(t) THEN '…' ELSE '' END
    END;
