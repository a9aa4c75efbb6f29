//! A session's PostgreSQL parameters: what `SET`, `SHOW`, `RESET` and `current_setting()` see,
//! and which of them are reported to the client as ParameterStatus. Only the harmless,
//! per-session ones reach DuckDB (time zone, search path); nothing here can loosen the sandbox.

use std::collections::BTreeMap;

use super::error::{SqlError, code};

/// The PostgreSQL version lakegate presents. Clients parse it (SQLAlchemy, psqlODBC, JDBC pick
/// their catalogue queries by it); 16 is what the catalogue emulation is modelled on.
pub const SERVER_VERSION: &str = "16.6";
pub const SERVER_VERSION_NUM: &str = "160006";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Anything goes (application_name).
    Free,
    /// Fixed by the server: SET fails.
    ReadOnly,
    /// Accepted, stored, with no effect beyond SHOW (client_min_messages, lock_timeout, …).
    Stored,
    Integer {
        min: i64,
        max: i64,
    },
    /// A duration in milliseconds, with units accepted ("5s", "1min").
    Duration,
    Boolean,
    TimeZone,
    SearchPath,
    ClientEncoding,
    DateStyle,
    IntervalStyle,
    /// Must stay on: the server is read-only.
    AlwaysOn,
    Isolation,
    ByteaOutput,
}

/// (name as SHOW prints it, default, kind, reported to the client as ParameterStatus)
const PARAMETERS: &[(&str, &str, Kind, bool)] = &[
    ("application_name", "", Kind::Free, true),
    ("client_encoding", "UTF8", Kind::ClientEncoding, true),
    ("DateStyle", "ISO, MDY", Kind::DateStyle, true),
    ("IntervalStyle", "postgres", Kind::IntervalStyle, true),
    ("TimeZone", "UTC", Kind::TimeZone, true),
    (
        "extra_float_digits",
        "1",
        Kind::Integer { min: -15, max: 3 },
        false,
    ),
    ("statement_timeout", "0", Kind::Duration, false),
    (
        "idle_in_transaction_session_timeout",
        "0",
        Kind::Duration,
        false,
    ),
    ("idle_session_timeout", "0", Kind::Duration, false),
    ("lock_timeout", "0", Kind::Duration, false),
    ("search_path", "main", Kind::SearchPath, false),
    ("standard_conforming_strings", "on", Kind::AlwaysOn, true),
    ("default_transaction_read_only", "on", Kind::AlwaysOn, true),
    ("transaction_read_only", "on", Kind::AlwaysOn, false),
    (
        "default_transaction_isolation",
        "read committed",
        Kind::Isolation,
        false,
    ),
    (
        "transaction_isolation",
        "read committed",
        Kind::Isolation,
        false,
    ),
    (
        "default_transaction_deferrable",
        "off",
        Kind::Boolean,
        false,
    ),
    ("transaction_deferrable", "off", Kind::Boolean, false),
    ("bytea_output", "hex", Kind::ByteaOutput, false),
    ("client_min_messages", "notice", Kind::Stored, false),
    ("escape_string_warning", "on", Kind::Boolean, false),
    ("array_nulls", "on", Kind::Boolean, false),
    ("jit", "off", Kind::Boolean, false),
    ("row_security", "on", Kind::Boolean, false),
    ("synchronous_commit", "on", Kind::Stored, false),
    ("work_mem", "4MB", Kind::Stored, false),
    ("timezone_abbreviations", "Default", Kind::Stored, false),
    ("xmloption", "content", Kind::Stored, false),
    ("plan_cache_mode", "auto", Kind::Stored, false),
    ("cursor_tuple_fraction", "0.1", Kind::Stored, false),
    ("geqo", "on", Kind::Boolean, false),
    ("enable_seqscan", "on", Kind::Boolean, false),
    ("lc_messages", "C", Kind::Stored, false),
    ("lc_monetary", "C", Kind::Stored, false),
    ("lc_numeric", "C", Kind::Stored, false),
    ("lc_time", "C", Kind::Stored, false),
    ("server_version", SERVER_VERSION, Kind::ReadOnly, true),
    (
        "server_version_num",
        SERVER_VERSION_NUM,
        Kind::ReadOnly,
        false,
    ),
    ("server_encoding", "UTF8", Kind::ReadOnly, true),
    ("integer_datetimes", "on", Kind::ReadOnly, true),
    ("in_hot_standby", "off", Kind::ReadOnly, true),
    ("is_superuser", "off", Kind::ReadOnly, true),
    ("session_authorization", "", Kind::ReadOnly, true),
    ("max_identifier_length", "63", Kind::ReadOnly, false),
    ("max_index_keys", "32", Kind::ReadOnly, false),
    ("block_size", "8192", Kind::ReadOnly, false),
    ("lc_collate", "C", Kind::ReadOnly, false),
    ("lc_ctype", "C", Kind::ReadOnly, false),
    ("max_connections", "100", Kind::ReadOnly, false),
    ("ssl", "off", Kind::ReadOnly, false),
    ("data_directory_mode", "0700", Kind::ReadOnly, false),
];

fn find(name: &str) -> Option<&'static (&'static str, &'static str, Kind, bool)> {
    PARAMETERS.iter().find(|p| p.0.eq_ignore_ascii_case(name))
}

/// Whether `SHOW name` is a PostgreSQL parameter (otherwise it is DuckDB's SHOW).
pub fn is_known(name: &str) -> bool {
    find(name).is_some() || name.contains('.')
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Current values, keyed by the canonical name.
    values: BTreeMap<&'static str, String>,
    /// Values at session start, for RESET.
    defaults: BTreeMap<&'static str, String>,
    /// `myapp.option` style parameters (PostgreSQL accepts any dotted name).
    custom: BTreeMap<String, String>,
    /// Bumped on every change, so pooled DuckDB connections know when to re-apply.
    pub generation: u64,
}

/// What a SET changed that the client must hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub name: &'static str,
    pub value: String,
}

impl Settings {
    /// Settings at session start: defaults, then the server's, then the client's startup
    /// parameters (`options=-c name=value` included).
    pub fn new(overrides: &[(&str, String)], startup: &BTreeMap<String, String>) -> Settings {
        let mut s = Settings {
            values: PARAMETERS.iter().map(|p| (p.0, p.1.to_string())).collect(),
            defaults: BTreeMap::new(),
            custom: BTreeMap::new(),
            generation: 1,
        };
        for (name, value) in overrides {
            if let Some(p) = find(name) {
                s.values.insert(p.0, value.clone());
            }
        }
        let mut client: Vec<(String, String)> = startup
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "user" | "database" | "options" | "replication"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(options) = startup.get("options") {
            client.extend(parse_options(options));
        }
        for (name, value) in client {
            // A bad startup setting is ignored rather than refusing the connection.
            if let Err(e) = s.set(&name, Some(&value)) {
                tracing::debug!(name, error = %e, "ignoring startup parameter");
            }
        }
        s.defaults = s.values.clone();
        s
    }

    pub fn get(&self, name: &str) -> Option<String> {
        match find(name) {
            Some(p) => self.values.get(p.0).cloned(),
            None => self.custom.get(&name.to_ascii_lowercase()).cloned(),
        }
    }

    pub fn time_zone(&self) -> &str {
        &self.values["TimeZone"]
    }

    pub fn extra_float_digits(&self) -> i32 {
        self.values["extra_float_digits"].parse().unwrap_or(1)
    }

    /// `statement_timeout` in milliseconds (0 = none).
    pub fn statement_timeout_ms(&self) -> u64 {
        parse_duration_ms(&self.values["statement_timeout"]).unwrap_or(0)
    }

    pub fn search_path(&self) -> &str {
        &self.values["search_path"]
    }

    /// `SET name = value` (`None` = DEFAULT). Returns what to report as ParameterStatus.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> Result<Option<Reported>, SqlError> {
        let Some(&(canonical, _, kind, reported)) = find(name) else {
            if name.contains('.') {
                let key = name.to_ascii_lowercase();
                match value {
                    Some(v) => self.custom.insert(key, v.to_string()),
                    None => self.custom.remove(&key),
                };
                self.generation += 1;
                return Ok(None);
            }
            return Err(SqlError::new(
                code::UNDEFINED_OBJECT,
                format!("unrecognized configuration parameter \"{name}\""),
            ));
        };
        let value =
            match value {
                None => self.defaults.get(canonical).cloned().unwrap_or_else(|| {
                    find(canonical).map(|p| p.1.to_string()).unwrap_or_default()
                }),
                Some(v) => normalise(canonical, kind, v)?,
            };
        self.values.insert(canonical, value.clone());
        self.generation += 1;
        Ok(reported.then_some(Reported {
            name: canonical,
            value,
        }))
    }

    /// `RESET name` / `RESET ALL`.
    pub fn reset(&mut self, name: Option<&str>) -> Result<Vec<Reported>, SqlError> {
        match name {
            Some(n) => Ok(self.set(n, None)?.into_iter().collect()),
            None => {
                let mut reported = Vec::new();
                for p in PARAMETERS {
                    if p.2 != Kind::ReadOnly
                        && self.values[p.0] != self.defaults[p.0]
                        && let Some(r) = self.set(p.0, None)?
                    {
                        reported.push(r);
                    }
                }
                self.custom.clear();
                Ok(reported)
            }
        }
    }

    /// `SHOW ALL`: (name, setting, description).
    pub fn all(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = self
            .values
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .chain(self.custom.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect();
        rows.sort_by_key(|(k, _)| k.to_ascii_lowercase());
        rows
    }

    /// The parameters sent as ParameterStatus when the session starts.
    pub fn reported(&self) -> Vec<(String, String)> {
        PARAMETERS
            .iter()
            .filter(|p| p.3)
            .map(|p| (p.0.to_string(), self.values[p.0].clone()))
            .collect()
    }

    pub fn set_session_user(&mut self, user: &str, max_connections: usize) {
        for (name, value) in [
            ("session_authorization", user.to_string()),
            ("max_connections", max_connections.to_string()),
        ] {
            self.values.insert(name, value.clone());
            self.defaults.insert(name, value);
        }
    }

    pub fn set_ssl(&mut self, on: bool) {
        let v = if on { "on" } else { "off" }.to_string();
        self.values.insert("ssl", v.clone());
        self.defaults.insert("ssl", v);
    }
}

fn invalid(name: &str, value: &str, why: &str) -> SqlError {
    SqlError::new(
        code::INVALID_PARAMETER_VALUE,
        format!("invalid value for parameter \"{name}\": \"{value}\""),
    )
    .with_detail(why.to_string())
}

fn normalise(name: &'static str, kind: Kind, value: &str) -> Result<String, SqlError> {
    let v = value.trim();
    match kind {
        Kind::Free | Kind::Stored => Ok(v.to_string()),
        Kind::ReadOnly => Err(SqlError::new(
            code::FEATURE_NOT_SUPPORTED,
            format!("parameter \"{name}\" cannot be changed"),
        )),
        Kind::Integer { min, max } => match v.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(invalid(
                name,
                v,
                &format!("must be an integer between {min} and {max}"),
            )),
        },
        Kind::Duration => parse_duration_ms(v)
            .map(|ms| ms.to_string())
            .ok_or_else(|| {
                invalid(
                    name,
                    v,
                    "expected milliseconds or a duration such as '30s' or '5min'",
                )
            }),
        Kind::Boolean => match v.to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" | "t" => Ok("on".into()),
            "off" | "false" | "no" | "0" | "f" => Ok("off".into()),
            _ => Err(invalid(name, v, "expected a boolean")),
        },
        Kind::AlwaysOn => match v.to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" | "t" => Ok("on".into()),
            _ if name == "standard_conforming_strings" => Err(SqlError::new(
                code::FEATURE_NOT_SUPPORTED,
                "standard_conforming_strings cannot be turned off",
            )),
            _ => Err(
                SqlError::read_only("SET TRANSACTION READ WRITE").with_detail(format!(
                    "{name} cannot be turned off: lakegate is read-only"
                )),
            ),
        },
        Kind::TimeZone => {
            let tz = if v.eq_ignore_ascii_case("local") || v.eq_ignore_ascii_case("default") {
                "UTC"
            } else {
                v
            };
            crate::encode::TimeZone::parse(tz)
                .map(|_| tz.to_string())
                .map_err(|why| invalid("TimeZone", v, &why))
        }
        Kind::SearchPath => Ok(v.to_string()),
        Kind::ClientEncoding => match v.to_ascii_uppercase().replace(['-', '_'], "").as_str() {
            "UTF8" | "UNICODE" => Ok("UTF8".into()),
            // SQL_ASCII clients get UTF-8 bytes, which they pass through untouched.
            "SQLASCII" => Ok("SQL_ASCII".into()),
            _ => Err(SqlError::new(
                code::FEATURE_NOT_SUPPORTED,
                format!("client encoding \"{v}\" is not supported: lakegate speaks UTF8"),
            )),
        },
        Kind::DateStyle => {
            let upper = v.to_ascii_uppercase();
            let order = if upper.contains("DMY") {
                "DMY"
            } else if upper.contains("YMD") {
                "YMD"
            } else {
                "MDY"
            };
            if upper.contains("SQL") || upper.contains("GERMAN") || upper.contains("POSTGRES") {
                Err(SqlError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    format!("DateStyle \"{v}\" is not supported: lakegate formats dates as ISO"),
                ))
            } else {
                Ok(format!("ISO, {order}"))
            }
        }
        Kind::IntervalStyle => {
            if v.eq_ignore_ascii_case("postgres") {
                Ok("postgres".into())
            } else {
                Err(SqlError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    format!("IntervalStyle \"{v}\" is not supported: lakegate uses postgres"),
                ))
            }
        }
        Kind::Isolation => {
            let l = v.to_ascii_lowercase();
            if [
                "serializable",
                "repeatable read",
                "read committed",
                "read uncommitted",
            ]
            .contains(&l.as_str())
            {
                Ok(l)
            } else {
                Err(invalid(name, v, "expected an isolation level"))
            }
        }
        Kind::ByteaOutput => match v.to_ascii_lowercase().as_str() {
            "hex" => Ok("hex".into()),
            _ => Err(SqlError::new(
                code::FEATURE_NOT_SUPPORTED,
                "bytea_output: only 'hex' is supported",
            )),
        },
    }
}

/// PostgreSQL durations: a bare number is milliseconds; units us, ms, s, min, h, d.
pub fn parse_duration_ms(v: &str) -> Option<u64> {
    let v = v.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "ms" => 1.0,
        "us" => 0.001,
        "s" => 1000.0,
        "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    Some((n * factor).round() as u64)
}

/// `options=-c a=b -c c=d` (libpq's PGOPTIONS) → pairs.
fn parse_options(options: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut words = options.split_whitespace().peekable();
    while let Some(w) = words.next() {
        let pair = if w == "-c" {
            words.next().map(str::to_string)
        } else {
            w.strip_prefix("-c")
                .or_else(|| w.strip_prefix("--"))
                .map(str::to_string)
        };
        if let Some((k, v)) = pair.as_deref().and_then(|p| p.split_once('=')) {
            out.push((k.replace('-', "_"), v.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Settings {
        Settings::new(&[], &BTreeMap::new())
    }

    #[test]
    fn set_show_reset() {
        let mut s = fresh();
        assert_eq!(s.get("timezone").unwrap(), "UTC");
        let r = s.set("TimeZone", Some("Europe/London")).unwrap().unwrap();
        assert_eq!((r.name, r.value.as_str()), ("TimeZone", "Europe/London"));
        assert_eq!(s.get("TIMEZONE").unwrap(), "Europe/London");
        s.reset(Some("timezone")).unwrap();
        assert_eq!(s.get("timezone").unwrap(), "UTC");
        assert_eq!(s.set("statement_timeout", Some("5s")).unwrap(), None);
        assert_eq!(s.statement_timeout_ms(), 5000);
        assert_eq!(s.set("nonsense", Some("1")).unwrap_err().code, "42704");
        assert!(s.set("my.thing", Some("1")).is_ok());
        assert_eq!(s.get("my.thing").unwrap(), "1");
        assert_eq!(
            s.set("server_version", Some("9")).unwrap_err().code,
            "0A000"
        );
        assert_eq!(
            s.set("default_transaction_read_only", Some("off"))
                .unwrap_err()
                .code,
            "25006"
        );
        assert_eq!(
            s.set("extra_float_digits", Some("7")).unwrap_err().code,
            "22023"
        );
        assert_eq!(
            s.set("TimeZone", Some("Mars/Base")).unwrap_err().code,
            "22023"
        );
        assert_eq!(
            s.set("client_encoding", Some("LATIN1")).unwrap_err().code,
            "0A000"
        );
        assert_eq!(
            s.set("DateStyle", Some("ISO, DMY")).unwrap().unwrap().value,
            "ISO, DMY"
        );
    }

    #[test]
    fn startup_parameters_apply() {
        let mut startup = BTreeMap::new();
        startup.insert("application_name".to_string(), "psql".to_string());
        startup.insert(
            "options".to_string(),
            "-c search_path=energy -c extra_float_digits=3".to_string(),
        );
        let s = Settings::new(&[("statement_timeout", "60000".into())], &startup);
        assert_eq!(s.get("application_name").unwrap(), "psql");
        assert_eq!(s.search_path(), "energy");
        assert_eq!(s.extra_float_digits(), 3);
        assert_eq!(s.statement_timeout_ms(), 60000);
    }
}
