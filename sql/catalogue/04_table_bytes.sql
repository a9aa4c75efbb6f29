-- View lakegate._discovery.table_bytes: the parquet bytes of each table of the lake (data files
-- plus delete files), from DuckLake's own accounting (the same figure `lakegate publish` prints),
-- and DuckLake's record count (rows written, deletions not subtracted: a fallback for tables that
-- lakegate's publish record does not know). Read from DuckLake's metadata rather than
-- duckdb_tables().estimated_size, which loads every table's statistics (1.6 s for 200 tables).
CREATE OR REPLACE VIEW lakegate._discovery.table_bytes AS
SELECT
    s.schema_name,
    i.table_name,
    (i.file_size_bytes + i.delete_file_size_bytes)::BIGINT AS size_bytes,
    st.record_count::BIGINT AS record_count
FROM ducklake_table_info({{lake_name}}) i
JOIN {{metadata}}.ducklake_schema s
  ON s.schema_id = i.schema_id AND s.end_snapshot IS NULL
LEFT JOIN {{metadata}}.ducklake_table_stats st
  ON st.table_id = i.table_id;
