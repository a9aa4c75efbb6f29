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

-- json_build_object(k1, v1, …) is rewritten (src/pgcatalog/rules/json_object.rs) into JSON text built
-- from these two: DuckDB's own JSON functions leave a prepared statement unbound when an argument
-- holds a parameter (SQLAlchemy's `json_build_object($2::VARCHAR, …)`), so its result columns
-- would be unknown when the client asks for them.
-- https://www.postgresql.org/docs/16/functions-json.html
CREATE MACRO lakegate.pg.lg_json_string(p_text) AS
    '"' || replace(replace(replace(replace(replace(CAST(p_text AS VARCHAR), '\', '\\'), '"', '\"'),
                                   chr(10), '\n'), chr(13), '\r'), chr(9), '\t') || '"';

CREATE MACRO lakegate.pg.lg_json_value(p_value) AS
    CASE WHEN p_value IS NULL THEN 'null'
         WHEN typeof(p_value) IN ('BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT',
                                  'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE', 'JSON')
              OR typeof(p_value) LIKE 'DECIMAL%'
         THEN CAST(p_value AS VARCHAR)
         ELSE lakegate.pg.lg_json_string(p_value) END;
