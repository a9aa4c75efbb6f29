-- pg_depend: dependencies between objects; none are presented.
-- https://www.postgresql.org/docs/16/catalog-pg-depend.html
CREATE VIEW lakegate.pg.pg_depend AS
SELECT CAST(NULL AS INTEGER) AS classid, CAST(NULL AS INTEGER) AS objid, CAST(NULL AS INTEGER) AS objsubid,
       CAST(NULL AS INTEGER) AS refclassid, CAST(NULL AS INTEGER) AS refobjid,
       CAST(NULL AS INTEGER) AS refobjsubid, CAST(NULL AS VARCHAR) AS deptype
WHERE false;
