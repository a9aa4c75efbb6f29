-- pg_type: the types of a fresh PostgreSQL database, with their real OIDs (from lg_types.sql,
-- generated from a PostgreSQL server): the built-in base, pseudo, range and array types, the row
-- types of the catalogue's own relations, and information_schema's domains. asyncpg and RPostgres
-- read it at connect; psql, SQLAlchemy and psqlODBC join it to pg_attribute. A lake adds no types
-- of its own: no enums or domains, and no row types for its tables (a row value is sent as json).
-- https://www.postgresql.org/docs/16/catalog-pg-type.html
CREATE VIEW lakegate.pg.pg_type AS
SELECT oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred,
       typisdefined, typdelim, typrelid, typsubscript, typelem, typarray, typinput, typoutput,
       typreceive, typsend, typmodin, typmodout, typanalyze, typalign, typstorage, typnotnull,
       typbasetype, typtypmod, typndims, typcollation,
       CAST(NULL AS VARCHAR) AS typdefaultbin, CAST(NULL AS VARCHAR) AS typdefault,
       CAST(NULL AS VARCHAR[]) AS typacl
FROM lakegate.pg.lg_types;
