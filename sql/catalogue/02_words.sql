-- Macro lakegate._discovery.words(text): the text's words for search — lower-cased, split on
-- anything that is not a letter or a digit (so snake_case names split into their words), stemmed.
CREATE OR REPLACE MACRO lakegate._discovery.words(t) AS
    list_transform(
        list_filter(regexp_split_to_array(lower(coalesce(t, '')), '[^\p{L}\p{N}]+'), w -> w <> ''),
        w -> lakegate._discovery.stem(w));
