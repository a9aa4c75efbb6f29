-- Macro lakegate._discovery.stem(word): a deliberately small stemmer for search. It folds English
-- plurals onto their singular (boundaries → boundary, emissions → emission, classes → class,
-- LSOAs → lsoa) and leaves everything else alone (census, analysis and short codes such as "ons"
-- keep their final s). Applied to the search words and to the catalogue's words alike.
CREATE OR REPLACE MACRO lakegate._discovery.stem(w) AS
    CASE
        WHEN length(w) > 4 AND suffix(w, 'ies') AND NOT suffix(w, 'eies') THEN left(w, length(w) - 3) || 'y'
        WHEN length(w) > 4 AND (suffix(w, 'sses') OR suffix(w, 'xes') OR suffix(w, 'ches') OR suffix(w, 'shes') OR suffix(w, 'zzes'))
            THEN left(w, length(w) - 2)
        WHEN length(w) > 3 AND suffix(w, 's')
             AND NOT (suffix(w, 'ss') OR suffix(w, 'us') OR suffix(w, 'is'))
            THEN left(w, length(w) - 1)
        ELSE w
    END;
