-- pg_statistic_ext: extended statistics objects; there are none.
-- https://www.postgresql.org/docs/16/catalog-pg-statistic-ext.html
CREATE VIEW lakegate.pg.pg_statistic_ext AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS stxrelid, CAST(NULL AS VARCHAR) AS stxname,
       CAST(NULL AS INTEGER) AS stxnamespace, CAST(NULL AS INTEGER) AS stxowner,
       CAST(NULL AS INTEGER) AS stxstattarget, CAST(NULL AS SMALLINT[]) AS stxkeys,
       CAST(NULL AS VARCHAR[]) AS stxkind, CAST(NULL AS VARCHAR) AS stxexprs
WHERE false;
