-- Privileges: every session may read everything and write nothing, so has_*_privilege answers true
-- for SELECT / USAGE / CONNECT / REFERENCES-style reads and false for any writing privilege.
-- https://www.postgresql.org/docs/16/functions-info.html#FUNCTIONS-INFO-ACCESS
CREATE MACRO lakegate.pg.lg_reads_only(p_privilege) AS
    list_bool_and(list_transform(string_split(upper(replace(p_privilege, ' WITH GRANT OPTION', '')), ','),
        p -> trim(p) IN ('SELECT', 'USAGE', 'CONNECT', 'REFERENCES', 'EXECUTE', 'TEMPORARY', 'TEMP')));

CREATE MACRO lakegate.pg.has_table_privilege(p_table, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_table, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_schema_privilege(p_schema, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_schema, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_database_privilege(p_db, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_db, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_column_privilege(p_table, p_column, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_table, p_column, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_any_column_privilege(p_table, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_table, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_function_privilege(p_function, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_function, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.has_sequence_privilege(p_sequence, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege),
    (p_user, p_sequence, p_privilege) AS lakegate.pg.lg_reads_only(p_privilege);
CREATE MACRO lakegate.pg.pg_has_role(p_role, p_privilege) AS true,
    (p_user, p_role, p_privilege) AS true;
