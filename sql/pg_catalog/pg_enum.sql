-- pg_enum: enum labels; no enum types are presented (DuckDB ENUM columns are sent as text).
-- https://www.postgresql.org/docs/16/catalog-pg-enum.html
CREATE VIEW lakegate.pg.pg_enum AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS enumtypid, CAST(NULL AS FLOAT) AS enumsortorder,
       CAST(NULL AS VARCHAR) AS enumlabel
WHERE false;
