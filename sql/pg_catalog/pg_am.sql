-- pg_am: the access methods psql and SQLAlchemy name: heap (a table's, so `\dt+` shows "heap") and
-- btree. Lake tables are parquet files; heap is what a PostgreSQL client expects to see.
-- https://www.postgresql.org/docs/16/catalog-pg-am.html
CREATE VIEW lakegate.pg.pg_am AS
SELECT * FROM (VALUES (2, 'heap', 'heap_tableam_handler', 't'),
                      (403, 'btree', 'bthandler', 'i')) AS t(oid, amname, amhandler, amtype);
