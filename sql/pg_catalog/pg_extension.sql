-- pg_extension: installed extensions; plpgsql, as in every PostgreSQL database.
-- https://www.postgresql.org/docs/16/catalog-pg-extension.html
CREATE VIEW lakegate.pg.pg_extension AS
SELECT 13500 AS oid, 'plpgsql' AS extname, 10 AS extowner, 11 AS extnamespace, false AS extrelocatable,
       '1.0' AS extversion, CAST(NULL AS INTEGER[]) AS extconfig, CAST(NULL AS VARCHAR[]) AS extcondition;
