-- lg_published_columns: the column comments of the lake's VIEWS, which DuckLake cannot store, from the
-- record `lakegate publish` keeps in the lake ("<lake>"._lakegate.published, column `columns`: a JSON
-- array of {"name", "source_type", "crs", "comment"}). Not a PostgreSQL object; pg_description and
-- col_description show these comments as PostgreSQL would show comments on view columns.
-- https://www.postgresql.org/docs/16/catalog-pg-description.html
--
-- Loaded only when the lake has that record; otherwise install.rs creates an empty view of the same
-- shape (a lake written by another DuckLake tool).
CREATE VIEW lakegate.pg.lg_published_columns AS
SELECT p.schema_name, p.table_name, c.col.name AS column_name, c.col.comment AS comment
FROM @LAKE@._lakegate.published p,
     unnest(from_json(p.columns, '[{"name": "VARCHAR", "comment": "VARCHAR"}]')) AS c(col)
WHERE p.kind = 'view';
