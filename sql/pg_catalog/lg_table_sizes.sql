-- lg_table_sizes: bytes of each lake table's data and delete files, from DuckLake's own record of its
-- files (ducklake_table_info, whose rows name the schema by id: the metadata catalogue maps it).
-- Not a PostgreSQL object; pg_table_size() and `\dt+`'s Size column read it.
-- https://www.postgresql.org/docs/16/functions-admin.html#FUNCTIONS-ADMIN-DBSIZE
-- install.rs replaces it with an empty view if the lake is not a DuckLake that offers these.
CREATE VIEW lakegate.pg.lg_table_sizes AS
SELECT lakegate.pg.lg_oid('class', s.schema_name, i.table_name) AS oid,
       CAST(i.file_size_bytes + i.delete_file_size_bytes AS BIGINT) AS bytes
FROM ducklake_table_info(@LAKE_NAME@) i
JOIN @METADATA@.ducklake_schema s ON s.schema_id = i.schema_id AND s.end_snapshot IS NULL;
