-- pg_publication, pg_publication_rel, pg_publication_namespace: logical replication publications;
-- there are none (psql's `\d` asks).
-- https://www.postgresql.org/docs/16/catalog-pg-publication.html
CREATE VIEW lakegate.pg.pg_publication AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS VARCHAR) AS pubname, CAST(NULL AS INTEGER) AS pubowner,
       CAST(NULL AS BOOLEAN) AS puballtables, CAST(NULL AS BOOLEAN) AS pubinsert,
       CAST(NULL AS BOOLEAN) AS pubupdate, CAST(NULL AS BOOLEAN) AS pubdelete,
       CAST(NULL AS BOOLEAN) AS pubtruncate, CAST(NULL AS BOOLEAN) AS pubviaroot
WHERE false;

-- https://www.postgresql.org/docs/16/catalog-pg-publication-rel.html
CREATE VIEW lakegate.pg.pg_publication_rel AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS prpubid, CAST(NULL AS INTEGER) AS prrelid,
       CAST(NULL AS VARCHAR) AS prqual, CAST(NULL AS SMALLINT[]) AS prattrs
WHERE false;

-- https://www.postgresql.org/docs/16/catalog-pg-publication-namespace.html
CREATE VIEW lakegate.pg.pg_publication_namespace AS
SELECT CAST(NULL AS INTEGER) AS oid, CAST(NULL AS INTEGER) AS pnpubid, CAST(NULL AS INTEGER) AS pnnspid
WHERE false;
