//! What the emulated catalogue holds, by PostgreSQL name: the relations of `pg_catalog` (views in
//! `lakegate.pg`), those of `information_schema` (views in `lakegate.pgis`), and the functions
//! that are macros in `lakegate.pg`. A unit test checks these lists against `sql/pg_catalog/`.

/// `pg_catalog` relations emulated in `lakegate.pg` (sorted).
pub const PG_RELATIONS: &[&str] = &[
    "pg_am",
    "pg_attrdef",
    "pg_attribute",
    "pg_auth_members",
    "pg_authid",
    "pg_class",
    "pg_collation",
    "pg_constraint",
    "pg_database",
    "pg_depend",
    "pg_description",
    "pg_enum",
    "pg_extension",
    "pg_index",
    "pg_indexes",
    "pg_inherits",
    "pg_matviews",
    "pg_namespace",
    "pg_opclass",
    "pg_policy",
    "pg_proc",
    "pg_publication",
    "pg_publication_namespace",
    "pg_publication_rel",
    "pg_range",
    "pg_rewrite",
    "pg_roles",
    "pg_sequence",
    "pg_sequences",
    "pg_settings",
    "pg_shdescription",
    "pg_statistic_ext",
    "pg_tables",
    "pg_tablespace",
    "pg_trigger",
    "pg_type",
    "pg_user",
    "pg_views",
];

/// `information_schema` relations emulated in `lakegate.pgis` (sorted).
pub const INFORMATION_SCHEMA_RELATIONS: &[&str] = &[
    "check_constraints",
    "columns",
    "constraint_column_usage",
    "key_column_usage",
    "parameters",
    "referential_constraints",
    "routines",
    "schemata",
    "table_constraints",
    "tables",
    "views",
];

/// PostgreSQL functions emulated as macros in `lakegate.pg` (sorted): a call to one of these,
/// `pg_catalog.`-qualified or not, is a call to the macro — DuckDB lacks them, or has a function of
/// the same name that answers differently (`version()`, `format_type`, `current_setting`,
/// `pg_size_pretty`, `current_schema`, …).
pub const PG_FUNCTIONS: &[&str] = &[
    "array_lower",
    "array_upper",
    "col_description",
    "current_catalog",
    "current_database",
    "current_role",
    "current_schema",
    "current_schemas",
    "current_setting",
    "current_user",
    "format_type",
    "has_any_column_privilege",
    "has_column_privilege",
    "has_database_privilege",
    "has_function_privilege",
    "has_schema_privilege",
    "has_sequence_privilege",
    "has_table_privilege",
    "inet_client_addr",
    "inet_client_port",
    "inet_server_addr",
    "inet_server_port",
    "like_escape",
    "obj_description",
    "pg_backend_pid",
    "pg_char_to_encoding",
    "pg_collation_is_visible",
    "pg_conf_load_time",
    "pg_conversion_is_visible",
    "pg_current_xact_id",
    "pg_database_size",
    "pg_encoding_max_length",
    "pg_encoding_to_char",
    "pg_function_is_visible",
    "pg_get_constraintdef",
    "pg_get_expr",
    "pg_get_function_arguments",
    "pg_get_function_identity_arguments",
    "pg_get_function_result",
    "pg_get_functiondef",
    "pg_get_indexdef",
    "pg_get_partition_constraintdef",
    "pg_get_partkeydef",
    "pg_get_ruledef",
    "pg_get_serial_sequence",
    "pg_get_statisticsobjdef_columns",
    "pg_get_triggerdef",
    "pg_get_userbyid",
    "pg_get_viewdef",
    "pg_has_role",
    "pg_indexes_size",
    "pg_is_in_recovery",
    "pg_is_other_temp_schema",
    "pg_jit_available",
    "pg_my_temp_schema",
    "pg_opclass_is_visible",
    "pg_operator_is_visible",
    "pg_postmaster_start_time",
    "pg_relation_is_publishable",
    "pg_relation_size",
    "pg_size_pretty",
    "pg_statistics_obj_is_visible",
    "pg_table_is_visible",
    "pg_table_size",
    "pg_tablespace_location",
    "pg_total_relation_size",
    "pg_ts_config_is_visible",
    "pg_type_is_visible",
    "quote_ident",
    "session_user",
    "set_config",
    "shobj_description",
    "to_regclass",
    "to_regnamespace",
    "to_regproc",
    "to_regrole",
    "to_regtype",
    "txid_current",
    "version",
];

/// PostgreSQL functions DuckDB has under another name (PostgreSQL name, DuckDB name).
pub const RENAMED_FUNCTIONS: &[(&str, &str)] = &[("jsonb_agg", "json_group_array")];

/// Columns of the emulated catalogue that are arrays (PostgreSQL `oid[]`, `int2vector`, `text[]`,
/// `aclitem[]`, `"char"[]`): a PostgreSQL array literal compared with one (`pol.polroles =
/// '{0}'`) is written as a DuckDB list literal.
pub const ARRAY_COLUMNS: &[&str] = &[
    "attacl",
    "attfdwoptions",
    "attmissingval",
    "attoptions",
    "conexclop",
    "confdelsetcols",
    "conffeqop",
    "confkey",
    "conkey",
    "conpfeqop",
    "conppeqop",
    "datacl",
    "extcondition",
    "extconfig",
    "indclass",
    "indcollation",
    "indkey",
    "indoption",
    "nspacl",
    "polroles",
    "prattrs",
    "proacl",
    "proallargtypes",
    "proargmodes",
    "proargnames",
    "proargtypes",
    "proconfig",
    "relacl",
    "reloptions",
    "rolconfig",
    "spcacl",
    "spcoptions",
    "stxkeys",
    "stxkind",
    "typacl",
];

pub fn is_pg_relation(name: &str) -> bool {
    PG_RELATIONS.binary_search(&name).is_ok()
}

pub fn is_information_schema_relation(name: &str) -> bool {
    INFORMATION_SCHEMA_RELATIONS.binary_search(&name).is_ok()
}

pub fn is_pg_function(name: &str) -> bool {
    PG_FUNCTIONS.binary_search(&name).is_ok()
}

pub fn is_array_column(name: &str) -> bool {
    ARRAY_COLUMNS.binary_search(&name).is_ok()
}

pub fn renamed_function(name: &str) -> Option<&'static str> {
    RENAMED_FUNCTIONS
        .iter()
        .find(|(pg, _)| *pg == name)
        .map(|(_, duck)| *duck)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `CREATE VIEW|MACRO lakegate.<schema>.<name>` of the SQL files, lg_ helpers excluded.
    fn created(kind: &str, schema: &str) -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sql/pg_catalog");
        let prefix = format!("CREATE {kind} lakegate.{schema}.");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "sql") {
                continue;
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                if let Some(rest) = line.strip_prefix(&prefix) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.starts_with("lg_") {
                        out.push(name);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn sorted(list: &[&str]) -> bool {
        list.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn lists_are_sorted_for_binary_search() {
        assert!(sorted(PG_RELATIONS));
        assert!(sorted(INFORMATION_SCHEMA_RELATIONS));
        assert!(sorted(PG_FUNCTIONS));
        assert!(sorted(ARRAY_COLUMNS));
    }

    #[test]
    fn lists_match_the_sql_files() {
        assert_eq!(created("VIEW", "pg"), PG_RELATIONS);
        assert_eq!(created("VIEW", "pgis"), INFORMATION_SCHEMA_RELATIONS);
        assert_eq!(created("MACRO", "pg"), PG_FUNCTIONS);
    }
}
