//! Errors a client can cause, with their PostgreSQL SQLSTATE: the one place where DuckDB's error
//! classes and lakegate's own refusals become what a PostgreSQL client expects to see.

use crate::lake::duck::{DuckError, ErrorKind};

/// SQLSTATE codes used by lakegate, grouped by class as PostgreSQL's appendix A lists them.
pub mod code {
    // Class 08 — connection exception
    pub const PROTOCOL_VIOLATION: &str = "08P01";
    // Class 0A — feature not supported
    pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
    // Class 22 — data exception
    pub const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
    pub const DIVISION_BY_ZERO: &str = "22012";
    pub const INVALID_PARAMETER_VALUE: &str = "22023";
    pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
    pub const DATA_EXCEPTION: &str = "22000";
    // Class 23 — integrity constraint violation
    pub const INTEGRITY_CONSTRAINT_VIOLATION: &str = "23000";
    // Class 25 — invalid transaction state
    pub const ACTIVE_SQL_TRANSACTION: &str = "25001";
    pub const READ_ONLY_SQL_TRANSACTION: &str = "25006";
    pub const NO_ACTIVE_SQL_TRANSACTION: &str = "25P01";
    pub const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
    // Class 26 / 34 — invalid statement / cursor name
    pub const INVALID_SQL_STATEMENT_NAME: &str = "26000";
    pub const INVALID_CURSOR_NAME: &str = "34000";
    pub const DUPLICATE_CURSOR: &str = "42P03";
    pub const DUPLICATE_PREPARED_STATEMENT: &str = "42P05";
    // Class 28 — invalid authorization specification
    pub const INVALID_AUTHORIZATION: &str = "28000";
    pub const INVALID_PASSWORD: &str = "28P01";
    // Class 3D / 3F — invalid catalog / schema name
    pub const INVALID_CATALOG_NAME: &str = "3D000";
    pub const INVALID_SCHEMA_NAME: &str = "3F000";
    // Class 42 — syntax error or access rule violation
    pub const SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION: &str = "42000";
    pub const SYNTAX_ERROR: &str = "42601";
    pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const UNDEFINED_FUNCTION: &str = "42883";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const AMBIGUOUS_COLUMN: &str = "42702";
    pub const DATATYPE_MISMATCH: &str = "42804";
    // Class 53 — insufficient resources
    pub const OUT_OF_MEMORY: &str = "53200";
    pub const TOO_MANY_CONNECTIONS: &str = "53300";
    // Class 57 — operator intervention
    pub const QUERY_CANCELED: &str = "57014";
    pub const IDLE_SESSION_TIMEOUT: &str = "57P05";
    // Class 58 — system error
    pub const IO_ERROR: &str = "58030";
    // Class XX — internal error
    pub const INTERNAL_ERROR: &str = "XX000";
}

/// An error to send to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    pub code: &'static str,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// FATAL ends the session (authentication, too many connections); ERROR does not.
    pub fatal: bool,
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for SqlError {}

impl SqlError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        SqlError {
            code,
            message: message.into(),
            detail: None,
            hint: None,
            fatal: false,
        }
    }

    pub fn fatal(code: &'static str, message: impl Into<String>) -> Self {
        SqlError {
            fatal: true,
            ..SqlError::new(code, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// A statement that would change something, refused because the server is read-only.
    pub fn read_only(what: &str) -> Self {
        SqlError::new(
            code::READ_ONLY_SQL_TRANSACTION,
            format!("cannot execute {what} in a read-only transaction"),
        )
        .with_hint("lakegate serves the lake read-only; data is changed with `lakegate publish`.")
    }

    /// Something a session may not do at all (read files, attach databases, load extensions).
    pub fn not_allowed(what: &str) -> Self {
        SqlError::new(
            code::INSUFFICIENT_PRIVILEGE,
            format!("permission denied: {what} is not allowed on this read-only server"),
        )
        .with_hint("Sessions can only read the lake's tables.")
    }

    pub fn canceled_by_user() -> Self {
        SqlError::new(
            code::QUERY_CANCELED,
            "canceling statement due to user request",
        )
    }

    pub fn statement_timeout() -> Self {
        SqlError::new(
            code::QUERY_CANCELED,
            "canceling statement due to statement timeout",
        )
    }

    pub fn failed_transaction() -> Self {
        SqlError::new(
            code::IN_FAILED_SQL_TRANSACTION,
            "current transaction is aborted, commands ignored until end of transaction block",
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        SqlError::new(code::INTERNAL_ERROR, message)
    }
}

impl From<DuckError> for SqlError {
    /// DuckDB's message ("Catalog Error: Table with name x does not exist!\nDid you mean …\n
    /// LINE 1: …") becomes a PostgreSQL-style message, with the suggestion as the hint and the
    /// location as the detail.
    fn from(e: DuckError) -> Self {
        let (first, rest) = match e.message.split_once('\n') {
            Some((a, b)) => (a.to_string(), b.trim().to_string()),
            None => (e.message.clone(), String::new()),
        };
        let message = strip_class(&first);
        let lower = first.to_ascii_lowercase();
        let code = match e.kind {
            ErrorKind::Parser => code::SYNTAX_ERROR,
            ErrorKind::Catalog => {
                if lower.contains("function") || lower.contains("macro") {
                    code::UNDEFINED_FUNCTION
                } else if lower.contains("schema with name") || lower.contains("schema \"") {
                    code::INVALID_SCHEMA_NAME
                } else if lower.contains("catalog \"") || lower.contains("catalog with name") {
                    code::INVALID_CATALOG_NAME
                } else if lower.contains("type with name") {
                    code::UNDEFINED_OBJECT
                } else if lower.contains("read-only") || lower.contains("read only") {
                    code::READ_ONLY_SQL_TRANSACTION
                } else {
                    code::UNDEFINED_TABLE
                }
            }
            ErrorKind::Binder => {
                if lower.contains("referenced column")
                    || lower.contains("column") && lower.contains("not found")
                {
                    code::UNDEFINED_COLUMN
                } else if lower.contains("ambiguous") {
                    code::AMBIGUOUS_COLUMN
                } else if lower.contains("no function matches") || lower.contains("function") {
                    code::UNDEFINED_FUNCTION
                } else if lower.contains("table") && lower.contains("does not exist") {
                    code::UNDEFINED_TABLE
                } else if lower.contains("parameter") {
                    code::DATATYPE_MISMATCH
                } else {
                    code::SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION
                }
            }
            ErrorKind::Conversion => code::INVALID_TEXT_REPRESENTATION,
            ErrorKind::OutOfRange => code::NUMERIC_VALUE_OUT_OF_RANGE,
            ErrorKind::DivideByZero => code::DIVISION_BY_ZERO,
            ErrorKind::Permission => code::INSUFFICIENT_PRIVILEGE,
            ErrorKind::Interrupt => code::QUERY_CANCELED,
            ErrorKind::OutOfMemory => code::OUT_OF_MEMORY,
            ErrorKind::InvalidInput => {
                if lower.contains("read-only") || lower.contains("read only") {
                    code::READ_ONLY_SQL_TRANSACTION
                } else if message.starts_with("relation \"") && lower.ends_with("does not exist") {
                    // The emulated catalogue's `'name'::regclass` (sql/pg_catalog/functions_names.sql).
                    code::UNDEFINED_TABLE
                } else {
                    code::INVALID_PARAMETER_VALUE
                }
            }
            ErrorKind::NotImplemented => code::FEATURE_NOT_SUPPORTED,
            ErrorKind::Transaction => {
                if lower.contains("read-only") || lower.contains("read only") {
                    code::READ_ONLY_SQL_TRANSACTION
                } else {
                    code::DATA_EXCEPTION
                }
            }
            ErrorKind::Io | ErrorKind::Http => code::IO_ERROR,
            ErrorKind::Constraint => code::INTEGRITY_CONSTRAINT_VIOLATION,
            ErrorKind::Other => code::INTERNAL_ERROR,
        };
        let mut err = SqlError::new(code, message);
        let mut hint = Vec::new();
        let mut detail = Vec::new();
        for line in rest.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line.starts_with("Did you mean") || line.starts_with("Candidate") {
                hint.push(line.to_string());
            } else {
                detail.push(line.to_string());
            }
        }
        if !hint.is_empty() {
            err.hint = Some(public_names(&hint.join(" ")));
        }
        if !detail.is_empty() {
            err.detail = Some(public_names(&detail.join("\n")));
        }
        if code == code::OUT_OF_MEMORY {
            err.hint = Some(
                "The query needs more memory than the server's [lake] memory_limit allows; \
                 select fewer rows or columns, or aggregate."
                    .into(),
            );
        }
        err
    }
}

/// DuckDB's suggestions and query excerpts name the emulated catalogue where it lives
/// (`lakegate.pg.pg_class`, after the rewrite); a client knows it as `pg_catalog.pg_class`.
fn public_names(text: &str) -> String {
    text.replace("lakegate.pgis.", "information_schema.")
        .replace("lakegate.pg.", "pg_catalog.")
        .replace("lakegate.main.", "lakegate.")
}

/// "Catalog Error: Table with name x does not exist!" → "Table with name x does not exist!".
fn strip_class(message: &str) -> String {
    match message.split_once(": ") {
        Some((class, rest))
            if class.ends_with("Error") && !class.contains(' ') || class.ends_with(" Error") =>
        {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duck(kind: ErrorKind, m: &str) -> SqlError {
        DuckError {
            kind,
            message: m.into(),
        }
        .into()
    }

    #[test]
    fn duckdb_errors_get_postgres_codes() {
        let e = duck(
            ErrorKind::Catalog,
            "Catalog Error: Table with name nope does not exist!\nDid you mean \"note\"?\n\nLINE 1: SELECT * FROM nope\n                      ^",
        );
        assert_eq!(e.code, "42P01");
        assert_eq!(e.message, "Table with name nope does not exist!");
        let regclass = duck(
            ErrorKind::InvalidInput,
            "Invalid Input Error: relation \"nope\" does not exist",
        );
        assert_eq!(regclass.code, "42P01");
        assert_eq!(regclass.message, "relation \"nope\" does not exist");
        let suggestion = duck(
            ErrorKind::Catalog,
            "Catalog Error: Table with name pg_stat_activity does not exist!\nDid you mean \"lakegate.pg.pg_statistic_ext\"?\n\nLINE 1: SELECT lakegate.pg.pg_size_pretty(1) FROM pg_stat_activity",
        );
        assert_eq!(
            suggestion.hint.as_deref(),
            Some("Did you mean \"pg_catalog.pg_statistic_ext\"?")
        );
        assert_eq!(
            suggestion.detail.as_deref(),
            Some("LINE 1: SELECT pg_catalog.pg_size_pretty(1) FROM pg_stat_activity")
        );
        assert_eq!(e.hint.as_deref(), Some("Did you mean \"note\"?"));
        assert!(e.detail.unwrap().contains("LINE 1"));
        assert_eq!(
            duck(
                ErrorKind::Binder,
                "Binder Error: Referenced column \"x\" not found in FROM clause!"
            )
            .code,
            "42703"
        );
        assert_eq!(
            duck(
                ErrorKind::Parser,
                "Parser Error: syntax error at or near \"SELEC\""
            )
            .code,
            "42601"
        );
        assert_eq!(
            duck(
                ErrorKind::Conversion,
                "Conversion Error: Could not convert string 'x' to INT32"
            )
            .code,
            "22P02"
        );
        assert_eq!(
            duck(ErrorKind::Interrupt, "INTERRUPT Error: Interrupted!").code,
            "57014"
        );
        assert_eq!(
            duck(
                ErrorKind::OutOfMemory,
                "Out of Memory Error: failed to allocate"
            )
            .code,
            "53200"
        );
        assert_eq!(
            duck(
                ErrorKind::Catalog,
                "Catalog Error: Scalar Function with name nope does not exist!"
            )
            .code,
            "42883"
        );
        assert_eq!(
            duck(ErrorKind::DivideByZero, "Divide by Zero Error").code,
            "22012"
        );
    }
}
