-- pg_sequences: sequences; there are none.
-- https://www.postgresql.org/docs/16/view-pg-sequences.html
CREATE VIEW lakegate.pg.pg_sequences AS
SELECT CAST(NULL AS VARCHAR) AS schemaname, CAST(NULL AS VARCHAR) AS sequencename,
       CAST(NULL AS VARCHAR) AS sequenceowner, CAST(NULL AS INTEGER) AS data_type,
       CAST(NULL AS BIGINT) AS start_value, CAST(NULL AS BIGINT) AS min_value, CAST(NULL AS BIGINT) AS max_value,
       CAST(NULL AS BIGINT) AS increment_by, CAST(NULL AS BOOLEAN) AS cycle, CAST(NULL AS BIGINT) AS cache_size,
       CAST(NULL AS BIGINT) AS last_value
WHERE false;
