-- Array and string helpers PostgreSQL has and DuckDB lacks or spells differently: array_upper /
-- array_lower (DuckDB lists start at 1), like_escape.
-- https://www.postgresql.org/docs/16/functions-array.html
-- https://www.postgresql.org/docs/16/functions-string.html
CREATE MACRO lakegate.pg.array_upper(p_array, p_dim) AS
    CASE WHEN p_dim = 1 AND len(p_array) > 0 THEN CAST(len(p_array) AS INTEGER) ELSE CAST(NULL AS INTEGER) END;
CREATE MACRO lakegate.pg.array_lower(p_array, p_dim) AS
    CASE WHEN p_dim = 1 AND len(p_array) > 0 THEN 1 ELSE CAST(NULL AS INTEGER) END;

-- like_escape(pattern, escape): the pattern rewritten to use backslash as its escape character.
CREATE MACRO lakegate.pg.like_escape(p_pattern, p_escape) AS
    CASE WHEN p_escape IS NULL OR p_escape = '' OR p_escape = '\'
         THEN CAST(p_pattern AS VARCHAR)
         ELSE replace(replace(CAST(p_pattern AS VARCHAR), '\', '\\'), p_escape, '\') END;
