-- pg_database: one row, the lake, under the name clients connect to. UTF8, C.UTF-8, libc.
-- https://www.postgresql.org/docs/16/catalog-pg-database.html
CREATE VIEW lakegate.pg.pg_database AS
SELECT lakegate.pg.lg_oid('database', '', @LAKE_NAME@) AS oid,
       @LAKE_NAME@ AS datname,
       10 AS datdba,
       6 AS encoding,
       'c' AS datlocprovider,
       false AS datistemplate,
       true AS datallowconn,
       -1 AS datconnlimit,
       0 AS datfrozenxid,
       0 AS datminmxid,
       1663 AS dattablespace,
       'C.UTF-8' AS datcollate,
       'C.UTF-8' AS datctype,
       CAST(NULL AS VARCHAR) AS daticulocale,
       CAST(NULL AS VARCHAR) AS daticurules,
       CAST(NULL AS VARCHAR) AS datcollversion,
       CAST(NULL AS VARCHAR[]) AS datacl;
