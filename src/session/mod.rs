//! One client session: its DuckDB connections, parameters, transaction state, prepared
//! statements, portals and cursors — and the read-only guard every query passes.
//!
//! A statement's way through the session: [`command::recognise`] tells the statements the
//! session answers itself (transaction control, SET/SHOW/RESET, DECLARE/FETCH/CLOSE, COPY TO
//! STDOUT, DISCARD) from queries; a query is rewritten where it speaks PostgreSQL's catalogue
//! ([`crate::pgcatalog`]), checked by the [`guard`], prepared by DuckDB (which gives the result
//! columns without running it), shaped so every column has a faithful PostgreSQL type, and run as
//! a [`stream::RowStream`]. The session knows nothing of sockets: the server turns its replies
//! into protocol messages.
//!
//! Transactions follow PostgreSQL's READ COMMITTED default: each statement sees the newest lake
//! snapshot, so a `BEGIN` left open by an idle notebook holds no DuckDB transaction (and never
//! blocks a publish); the block's state (open, failed) is tracked as PostgreSQL reports it.

pub mod command;
pub mod error;
pub mod guard;
pub mod pool;
pub mod settings;
pub mod stream;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use bytes::{BufMut, BytesMut};

use crate::encode::{self, EncodeOptions, Format, PgType, Shaping};
use crate::lake::duck::{BindValue, Database, LogicalType};
use crate::lake::{quote_ident, sql_string};
use command::{Command, CopyOptions, FetchCount};
use error::{SqlError, code};
use pool::{Pool, PooledConn, SettingsSql};
use settings::{Reported, Settings};
use stream::{CancelState, EncodedBatch, JobEncoding, QueryJob, RowStream};

/// What every session shares: the DuckDB instance, the guard's verdict cache, the catalogue
/// rewriter.
pub struct SessionContext {
    pub database: Arc<Database>,
    pub guard: guard::Guard,
    /// The name the lake is attached under (the database clients connect to).
    pub lake: String,
    pub catalogue: crate::pgcatalog::Catalogue,
    /// Server-side defaults applied to each new session (`[server] statement_timeout`).
    pub setting_defaults: Vec<(&'static str, String)>,
    pub max_connections: usize,
}

/// The result columns of a statement, shared between its analysis and its portals.
pub type Columns = Arc<Vec<ResultColumn>>;

/// A result column as the client sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultColumn {
    pub name: String,
    pub pg: PgType,
}

/// A query analysed once: what runs, what it returns, what parameters it takes.
#[derive(Debug)]
pub struct Described {
    /// The SQL DuckDB runs: rewritten for the catalogue and shaped for encoding.
    pub sql: String,
    pub columns: Arc<Vec<ResultColumn>>,
    /// PostgreSQL type OIDs DuckDB inferred for `$1…$n`.
    pub param_types: Vec<u32>,
}

/// A statement of the extended protocol (named or unnamed).
#[derive(Debug)]
pub struct Statement {
    pub command: Command,
    pub described: Option<Arc<Described>>,
    /// What the client declared (0 = let the server decide), merged with what DuckDB inferred.
    pub param_types: Vec<u32>,
}

/// A portal: a bound statement, or a cursor opened with DECLARE.
pub struct Portal {
    pub statement: Arc<Statement>,
    pub params: Vec<BindValue>,
    /// Result formats as the client asked at Bind (codes, PostgreSQL's rules for 0/1/n).
    pub format_codes: Vec<i16>,
    pub stream: Option<RowStream>,
    /// A cursor's result columns (fixed at DECLARE).
    pub columns: Option<Arc<Vec<ResultColumn>>>,
    pub cursor: bool,
    pub hold: bool,
    /// A DECLARE … BINARY cursor.
    pub binary: bool,
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxState {
    Idle,
    /// Inside BEGIN … COMMIT.
    Block,
    /// An error happened inside the block: everything but ROLLBACK/COMMIT is refused.
    Failed,
}

/// What the server must send for one statement.
pub enum Outcome {
    /// EmptyQueryResponse.
    Empty,
    /// CommandComplete with this tag.
    Tag(String),
    /// Rows: RowDescription (simple protocol), DataRows, then CommandComplete `<tag> <n>`.
    Rows {
        columns: Arc<Vec<ResultColumn>>,
        formats: Vec<Format>,
        stream: RowStream,
        tag: &'static str,
        /// 0 = all rows.
        limit: u64,
        /// A cursor's stream, to be handed back with [`Session::return_cursor`].
        cursor: Option<String>,
    },
    /// COPY … TO STDOUT: CopyOutResponse, `header`, the stream's chunks, `trailer`, CopyDone.
    Copy {
        columns: usize,
        binary: bool,
        header: BytesMut,
        trailer: BytesMut,
        stream: RowStream,
    },
}

/// An outcome with the notices and parameter changes that go before it.
pub struct Reply {
    pub outcome: Outcome,
    /// Warnings and notices (sent as NoticeResponse).
    pub notices: Vec<SqlError>,
    /// Parameters whose new value the client must hear (ParameterStatus).
    pub reported: Vec<Reported>,
}

impl From<Outcome> for Reply {
    fn from(outcome: Outcome) -> Reply {
        Reply {
            outcome,
            notices: vec![],
            reported: vec![],
        }
    }
}

fn tag(t: &str) -> Result<Reply, SqlError> {
    Ok(Outcome::Tag(t.to_string()).into())
}

/// Analyses kept per session, keyed by the client's SQL.
const DESCRIBED_CACHE: usize = 256;

pub struct Session {
    ctx: Arc<SessionContext>,
    pub user: String,
    pub settings: Settings,
    pub tx: TxState,
    statements: HashMap<String, Arc<Statement>>,
    portals: HashMap<String, Portal>,
    pool: Arc<Pool>,
    pub cancel: Arc<CancelState>,
    described: HashMap<String, Arc<Described>>,
    /// The DuckDB `SET …` that applies the current settings, per settings generation.
    settings_sql: SettingsSql,
}

impl Session {
    pub fn new(
        ctx: Arc<SessionContext>,
        user: &str,
        startup: &BTreeMap<String, String>,
        secure: bool,
    ) -> Result<Session, SqlError> {
        let mut settings = Settings::new(&ctx.setting_defaults, startup);
        settings.set_session_user(user, ctx.max_connections);
        settings.set_ssl(secure);
        let init = format!("USE {}.main", quote_ident(&ctx.lake));
        let pool = Arc::new(Pool::new(ctx.database.clone(), init));
        let mut session = Session {
            ctx,
            user: user.to_string(),
            settings,
            tx: TxState::Idle,
            statements: HashMap::new(),
            portals: HashMap::new(),
            pool,
            cancel: Arc::new(CancelState::default()),
            described: HashMap::new(),
            settings_sql: SettingsSql {
                generation: 0,
                sql: String::new(),
            },
        };
        session.refresh_settings_sql()?;
        // Open the first connection now, so a broken lake fails the connection, not a query.
        let conn = session.pool.take(&session.settings_sql)?;
        session.pool.give_back(conn);
        Ok(session)
    }

    pub fn transaction_status(&self) -> pgwire::messages::response::TransactionStatus {
        use pgwire::messages::response::TransactionStatus as T;
        match self.tx {
            TxState::Idle => T::Idle,
            TxState::Block => T::Transaction,
            TxState::Failed => T::Error,
        }
    }

    /// Records that a statement failed: inside a block, the block is now failed.
    pub fn on_error(&mut self) {
        if self.tx == TxState::Block {
            self.tx = TxState::Failed;
        }
    }

    fn encode_options(&self) -> EncodeOptions {
        EncodeOptions {
            time_zone: encode::TimeZone::parse(self.settings.time_zone())
                .unwrap_or_else(|_| encode::TimeZone::parse("UTC").expect("UTC parses")),
            extra_float_digits: self.settings.extra_float_digits(),
        }
    }

    /// Recomputes the DuckDB statements that apply the session's settings to a connection.
    fn refresh_settings_sql(&mut self) -> Result<(), SqlError> {
        let path = duckdb_search_path(&self.ctx.lake, self.settings.search_path());
        self.settings_sql = SettingsSql {
            generation: self.settings.generation,
            sql: format!(
                "SET TimeZone = {}; SET search_path = {}; {}",
                sql_string(self.settings.time_zone()),
                sql_string(&path),
                // What the catalogue emulation reads: current_setting(), pg_settings, current_user.
                crate::pgcatalog::session_sql(&self.user, &self.settings.all())
            ),
        };
        Ok(())
    }

    fn take_conn(&self) -> Result<PooledConn, SqlError> {
        self.pool.take(&self.settings_sql)
    }

    /// Runs a blocking DuckDB task on one of the session's connections.
    async fn with_conn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PooledConn) -> Result<T, SqlError> + Send + 'static,
    ) -> Result<T, SqlError> {
        let mut conn = self.take_conn()?;
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let out = work(&mut conn);
            pool.give_back(conn);
            out
        })
        .await
        .map_err(|e| SqlError::internal(format!("worker failed: {e}")))?
    }

    // ---------------------------------------------------------------- query analysis

    /// Analyses a query: rewrite, guard, prepare (without running), shape.
    pub async fn describe_query(&mut self, sql: &str) -> Result<Arc<Described>, SqlError> {
        if let Some(d) = self.described.get(sql) {
            return Ok(d.clone());
        }
        let rewritten = self.ctx.catalogue.rewrite(sql);
        let ctx = self.ctx.clone();
        let described = self
            .with_conn(move |conn| analyse(&ctx, conn, &rewritten, None))
            .await?;
        let described = Arc::new(described);
        if self.described.len() >= DESCRIBED_CACHE {
            self.described.clear();
        }
        self.described.insert(sql.to_string(), described.clone());
        Ok(described)
    }

    async fn describe_explain(
        &mut self,
        analyze: bool,
        query: &str,
    ) -> Result<Arc<Described>, SqlError> {
        let rewritten = self.ctx.catalogue.rewrite(query);
        let ctx = self.ctx.clone();
        let prefix = if analyze {
            "EXPLAIN ANALYZE "
        } else {
            "EXPLAIN "
        };
        Ok(Arc::new(
            self.with_conn(move |conn| analyse(&ctx, conn, &rewritten, Some(prefix)))
                .await?,
        ))
    }

    fn start_stream(
        &self,
        described: &Described,
        params: Vec<BindValue>,
        formats: &[Format],
    ) -> Result<RowStream, SqlError> {
        let conn = self.take_conn()?;
        let job = QueryJob {
            sql: described.sql.clone(),
            params,
            encoding: JobEncoding::Rows {
                columns: described
                    .columns
                    .iter()
                    .zip(formats)
                    .map(|(c, f)| (c.pg, *f))
                    .collect(),
                options: self.encode_options(),
            },
        };
        Ok(RowStream::start(
            conn,
            job,
            self.cancel.clone(),
            self.pool.returner(),
        ))
    }

    // ---------------------------------------------------------------- simple protocol

    /// Executes one statement of a simple query (all results in text, unless a BINARY cursor).
    pub async fn execute(&mut self, command: Command) -> Result<Reply, SqlError> {
        self.cancel.reset();
        if self.tx == TxState::Failed
            && !matches!(
                command,
                Command::Commit
                    | Command::Rollback
                    | Command::RollbackToSavepoint(_)
                    | Command::Empty
            )
        {
            return Err(SqlError::failed_transaction());
        }
        match command {
            Command::Empty => Ok(Outcome::Empty.into()),
            Command::Query(sql) => {
                let described = self.describe_query(&sql).await?;
                self.rows(described, vec![], &[], "SELECT")
            }
            Command::Explain { analyze, query } => {
                let described = self.describe_explain(analyze, &query).await?;
                self.rows(described, vec![], &[], "EXPLAIN")
            }
            other => self.execute_hook(other, &[], vec![]).await,
        }
    }

    fn rows(
        &self,
        described: Arc<Described>,
        params: Vec<BindValue>,
        format_codes: &[i16],
        tag: &'static str,
    ) -> Result<Reply, SqlError> {
        let formats = resolve_formats(format_codes, described.columns.len())?;
        let stream = self.start_stream(&described, params, &formats)?;
        Ok(Outcome::Rows {
            columns: described.columns.clone(),
            formats,
            stream,
            tag,
            limit: 0,
            cursor: None,
        }
        .into())
    }

    /// The statements the session answers itself.
    async fn execute_hook(
        &mut self,
        command: Command,
        format_codes: &[i16],
        params: Vec<BindValue>,
    ) -> Result<Reply, SqlError> {
        match command {
            Command::Empty | Command::Query(_) | Command::Explain { .. } => {
                unreachable!("queries are executed by the query path")
            }
            Command::Begin { read_write, .. } => {
                if read_write {
                    return Err(SqlError::read_only("BEGIN READ WRITE"));
                }
                if self.tx != TxState::Idle {
                    return Ok(Reply {
                        outcome: Outcome::Tag("BEGIN".into()),
                        notices: vec![SqlError::new(
                            code::ACTIVE_SQL_TRANSACTION,
                            "there is already a transaction in progress",
                        )],
                        reported: vec![],
                    });
                }
                self.tx = TxState::Block;
                tag("BEGIN")
            }
            Command::Commit => {
                let failed = self.tx == TxState::Failed;
                let notices = if self.tx == TxState::Idle {
                    vec![SqlError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "there is no transaction in progress",
                    )]
                } else {
                    vec![]
                };
                self.end_transaction();
                Ok(Reply {
                    outcome: Outcome::Tag(if failed { "ROLLBACK" } else { "COMMIT" }.into()),
                    notices,
                    reported: vec![],
                })
            }
            Command::Rollback => {
                let notices = if self.tx == TxState::Idle {
                    vec![SqlError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "there is no transaction in progress",
                    )]
                } else {
                    vec![]
                };
                self.end_transaction();
                Ok(Reply {
                    outcome: Outcome::Tag("ROLLBACK".into()),
                    notices,
                    reported: vec![],
                })
            }
            Command::Savepoint(_) | Command::ReleaseSavepoint(_) => {
                if self.tx == TxState::Idle {
                    return Err(SqlError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "SAVEPOINT can only be used in transaction blocks",
                    ));
                }
                tag(if matches!(command, Command::Savepoint(_)) {
                    "SAVEPOINT"
                } else {
                    "RELEASE"
                })
            }
            Command::RollbackToSavepoint(_) => {
                if self.tx == TxState::Idle {
                    return Err(SqlError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "ROLLBACK TO SAVEPOINT can only be used in transaction blocks",
                    ));
                }
                // Nothing was written, so rolling back to a savepoint only clears the error.
                self.tx = TxState::Block;
                tag("ROLLBACK")
            }
            Command::Set { name, value, .. } => {
                let reported = self.settings.set(&name, value.as_deref())?;
                self.refresh_settings_sql()?;
                Ok(Reply {
                    outcome: Outcome::Tag("SET".into()),
                    notices: vec![],
                    reported: reported.into_iter().collect(),
                })
            }
            Command::SetTransaction { read_write } => {
                if read_write {
                    return Err(SqlError::read_only("SET TRANSACTION READ WRITE"));
                }
                tag("SET")
            }
            Command::SetRole => Err(SqlError::not_allowed("changing the session's role")),
            Command::Reset(name) => {
                let reported = self.settings.reset(name.as_deref())?;
                self.refresh_settings_sql()?;
                Ok(Reply {
                    outcome: Outcome::Tag("RESET".into()),
                    notices: vec![],
                    reported,
                })
            }
            Command::Show(name) => self.show(&name, format_codes),
            Command::Discard(what) => {
                if what == "ALL" {
                    if self.tx != TxState::Idle {
                        return Err(SqlError::new(
                            code::ACTIVE_SQL_TRANSACTION,
                            "DISCARD ALL cannot run inside a transaction block",
                        ));
                    }
                    self.portals.clear();
                    self.statements.clear();
                    self.described.clear();
                    let reported = self.settings.reset(None)?;
                    self.refresh_settings_sql()?;
                    return Ok(Reply {
                        outcome: Outcome::Tag("DISCARD ALL".into()),
                        notices: vec![],
                        reported,
                    });
                }
                if what == "PLANS" {
                    self.described.clear();
                }
                tag(&format!("DISCARD {what}"))
            }
            Command::Declare {
                name,
                binary,
                hold,
                query,
            } => {
                if self.tx == TxState::Idle && !hold {
                    return Err(SqlError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "DECLARE CURSOR can only be used in transaction blocks",
                    ));
                }
                if self.portals.contains_key(&name) {
                    return Err(SqlError::new(
                        code::DUPLICATE_CURSOR,
                        format!("cursor \"{name}\" already exists"),
                    ));
                }
                let described = self.describe_query(&query).await?;
                let formats = vec![
                    if binary { Format::Binary } else { Format::Text };
                    described.columns.len()
                ];
                // A DECLARE sent with the extended protocol carries its query's parameters.
                let stream = self.start_stream(&described, params, &formats)?;
                self.portals.insert(
                    name,
                    Portal {
                        statement: Arc::new(Statement {
                            command: Command::Query(query),
                            described: Some(described.clone()),
                            param_types: vec![],
                        }),
                        params: vec![],
                        format_codes: vec![],
                        stream: Some(stream),
                        columns: Some(described.columns.clone()),
                        cursor: true,
                        hold,
                        binary,
                        done: false,
                    },
                );
                tag("DECLARE CURSOR")
            }
            Command::Fetch { name, count, skip } => {
                let limit = match count {
                    FetchCount::All => 0,
                    FetchCount::Count(0) => {
                        // FETCH 0 re-fetches the current row in PostgreSQL: nothing to stream.
                        return self.empty_fetch(&name, skip, format_codes);
                    }
                    FetchCount::Count(n) => n,
                    FetchCount::Unsupported => {
                        return Err(SqlError::new(
                            code::FEATURE_NOT_SUPPORTED,
                            "cursors only move forward (FETCH NEXT, FORWARD n, ALL)",
                        ));
                    }
                };
                let portal = self.portals.get_mut(&name).ok_or_else(|| {
                    SqlError::new(
                        code::INVALID_CURSOR_NAME,
                        format!("cursor \"{name}\" does not exist"),
                    )
                })?;
                let columns = portal.columns.clone().ok_or_else(|| {
                    SqlError::new(
                        code::INVALID_CURSOR_NAME,
                        format!("\"{name}\" is not a cursor"),
                    )
                })?;
                let formats = if format_codes.is_empty() {
                    vec![
                        if portal.binary {
                            Format::Binary
                        } else {
                            Format::Text
                        };
                        columns.len()
                    ]
                } else {
                    resolve_formats(format_codes, columns.len())?
                };
                let Some(mut stream) = portal.stream.take() else {
                    return self.empty_fetch(&name, skip, format_codes);
                };
                if skip {
                    let moved = stream.skip(limit).await;
                    self.return_cursor(&name, stream);
                    return tag(&format!("MOVE {}", moved?));
                }
                Ok(Outcome::Rows {
                    columns,
                    formats,
                    stream,
                    tag: "FETCH",
                    limit,
                    cursor: Some(name),
                }
                .into())
            }
            Command::Close(name) => {
                match name {
                    None => self.portals.retain(|_, p| !p.cursor),
                    Some(n) => {
                        if self.portals.remove(&n).is_none() {
                            return Err(SqlError::new(
                                code::INVALID_CURSOR_NAME,
                                format!("cursor \"{n}\" does not exist"),
                            ));
                        }
                    }
                }
                tag("CLOSE CURSOR")
            }
            Command::CopyOut { query, options } => self.copy_out(&query, &options).await,
            Command::CopyRefused { from } => Err(if from {
                SqlError::read_only("COPY FROM")
            } else {
                SqlError::not_allowed("COPY to a server file")
                    .with_hint("Use COPY (query) TO STDOUT, or psql's \\copy, to receive the data.")
            }),
            Command::Deallocate(name) => {
                match name {
                    None => {
                        self.statements.clear();
                    }
                    Some(n) => {
                        self.statements.remove(&n);
                    }
                }
                tag("DEALLOCATE")
            }
            Command::Listen { unlisten } => {
                if unlisten {
                    tag("UNLISTEN")
                } else {
                    Err(SqlError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "LISTEN/NOTIFY are not supported by lakegate",
                    ))
                }
            }
        }
    }

    fn empty_fetch(
        &mut self,
        name: &str,
        skip: bool,
        format_codes: &[i16],
    ) -> Result<Reply, SqlError> {
        let portal = self.portals.get(name).ok_or_else(|| {
            SqlError::new(
                code::INVALID_CURSOR_NAME,
                format!("cursor \"{name}\" does not exist"),
            )
        })?;
        if skip {
            return tag("MOVE 0");
        }
        let columns = portal.columns.clone().unwrap_or_default();
        let formats = resolve_formats(format_codes, columns.len())?;
        Ok(Outcome::Rows {
            stream: RowStream::from_batches(columns.len() as i16, vec![]),
            columns,
            formats,
            tag: "FETCH",
            limit: 0,
            cursor: None,
        }
        .into())
    }

    /// Gives a cursor its stream back after a FETCH.
    pub fn return_cursor(&mut self, name: &str, stream: RowStream) {
        if let Some(p) = self.portals.get_mut(name) {
            p.done = stream.is_finished();
            p.stream = Some(stream);
        }
    }

    fn end_transaction(&mut self) {
        self.tx = TxState::Idle;
        // Portals and cursors without HOLD end with their transaction.
        self.portals.retain(|_, p| p.cursor && p.hold);
    }

    fn show(&self, name: &str, format_codes: &[i16]) -> Result<Reply, SqlError> {
        let (columns, rows): (Vec<&str>, Vec<Vec<String>>) = if name == "all" {
            (
                vec!["name", "setting", "description"],
                self.settings
                    .all()
                    .into_iter()
                    .map(|(k, v)| vec![k, v, String::new()])
                    .collect(),
            )
        } else {
            let value = self.settings.get(name).ok_or_else(|| {
                SqlError::new(
                    code::UNDEFINED_OBJECT,
                    format!("unrecognized configuration parameter \"{name}\""),
                )
            })?;
            let title = match name {
                "timezone" => "TimeZone",
                "datestyle" => "DateStyle",
                "intervalstyle" => "IntervalStyle",
                other => other,
            };
            (vec![title], vec![vec![value]])
        };
        let columns: Arc<Vec<ResultColumn>> = Arc::new(
            columns
                .into_iter()
                .map(|n| ResultColumn {
                    name: n.to_string(),
                    pg: text_type(),
                })
                .collect(),
        );
        let formats = resolve_formats(format_codes, columns.len())?;
        Ok(Outcome::Rows {
            stream: text_rows(&rows),
            columns,
            formats,
            tag: "SHOW",
            limit: 0,
            cursor: None,
        }
        .into())
    }

    async fn copy_out(&mut self, query: &str, options: &CopyOptions) -> Result<Reply, SqlError> {
        let described = self.describe_query(query).await?;
        let format = match options.format.as_str() {
            "text" | "" => encode::CopyFormat::Text {
                delimiter: options.delimiter.unwrap_or('\t') as u8,
                null: options.null.clone().unwrap_or_else(|| "\\N".into()),
            },
            "csv" => encode::CopyFormat::Csv {
                delimiter: options.delimiter.unwrap_or(',') as u8,
                quote: options.quote.unwrap_or('"') as u8,
                escape: options.escape.or(options.quote).unwrap_or('"') as u8,
                null: options.null.clone().unwrap_or_default(),
                header: options.header,
            },
            "binary" => encode::CopyFormat::Binary,
            other => {
                return Err(SqlError::new(
                    code::INVALID_PARAMETER_VALUE,
                    format!("COPY format \"{other}\" not recognized"),
                ));
            }
        };
        let binary = matches!(format, encode::CopyFormat::Binary);
        let encoder = encode::CopyEncoder::new(
            described.columns.iter().map(|c| c.pg).collect(),
            described.columns.iter().map(|c| c.name.clone()).collect(),
            format,
            self.encode_options(),
        );
        let mut header = BytesMut::new();
        encoder.header(&mut header);
        let mut trailer = BytesMut::new();
        encoder.trailer(&mut trailer);
        let job = QueryJob {
            sql: described.sql.clone(),
            params: vec![],
            encoding: JobEncoding::Copy(encoder),
        };
        let stream = RowStream::start(
            self.take_conn()?,
            job,
            self.cancel.clone(),
            self.pool.returner(),
        );
        Ok(Outcome::Copy {
            columns: described.columns.len(),
            binary,
            header,
            trailer,
            stream,
        }
        .into())
    }

    // ---------------------------------------------------------------- extended protocol

    /// Parse: recognise, and for queries analyse now, so errors surface at Parse as in
    /// PostgreSQL and Describe never has to run anything.
    pub async fn parse(&mut self, name: &str, sql: &str, declared: &[u32]) -> Result<(), SqlError> {
        let statements = command::split(sql);
        if statements.len() > 1 {
            return Err(SqlError::new(
                code::SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement",
            ));
        }
        let command = command::recognise(&statements[0]);
        let described = match &command {
            Command::Query(q) => Some(self.describe_query(q).await?),
            Command::Explain { analyze, query } => {
                Some(self.describe_explain(*analyze, query).await?)
            }
            _ => None,
        };
        let inferred = described
            .as_ref()
            .map(|d| d.param_types.clone())
            .unwrap_or_default();
        let n = inferred.len().max(declared.len());
        let param_types = (0..n)
            .map(|i| match declared.get(i) {
                Some(&oid) if oid != 0 => oid,
                _ => inferred.get(i).copied().unwrap_or(encode::types::oid::TEXT),
            })
            .collect();
        if !name.is_empty() && self.statements.contains_key(name) {
            return Err(SqlError::new(
                code::DUPLICATE_PREPARED_STATEMENT,
                format!("prepared statement \"{name}\" already exists"),
            ));
        }
        self.statements.insert(
            name.to_string(),
            Arc::new(Statement {
                command,
                described,
                param_types,
            }),
        );
        Ok(())
    }

    pub fn close_statement(&mut self, name: &str) {
        self.statements.remove(name);
    }

    pub fn close_portal(&mut self, name: &str) {
        self.portals.remove(name);
    }

    /// Bind: decode parameters by their types and formats, create the portal.
    pub fn bind(
        &mut self,
        portal: &str,
        statement: &str,
        param_formats: &[i16],
        values: &[Option<bytes::Bytes>],
        result_formats: &[i16],
    ) -> Result<(), SqlError> {
        if self.tx == TxState::Failed {
            return Err(SqlError::failed_transaction());
        }
        let stmt = self.statements.get(statement).cloned().ok_or_else(|| {
            SqlError::new(
                code::INVALID_SQL_STATEMENT_NAME,
                format!("prepared statement \"{statement}\" does not exist"),
            )
        })?;
        let mut params = Vec::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            let binary = match param_formats.len() {
                0 => false,
                1 => param_formats[0] == 1,
                _ => param_formats.get(i).copied() == Some(1),
            };
            let oid = stmt.param_types.get(i).copied().unwrap_or(0);
            let value = encode::decode_param(oid, binary, v.as_deref())
                .map_err(|e| SqlError::new(e.sqlstate, e.message))?;
            let value = typed_text_param(oid, value)?;
            params.push(array_param(oid, value));
        }
        if !portal.is_empty() && self.portals.contains_key(portal) {
            return Err(SqlError::new(
                code::DUPLICATE_CURSOR,
                format!("portal \"{portal}\" already exists"),
            ));
        }
        self.portals.insert(
            portal.to_string(),
            Portal {
                statement: stmt,
                params,
                format_codes: result_formats.to_vec(),
                stream: None,
                columns: None,
                cursor: false,
                hold: false,
                binary: false,
                done: false,
            },
        );
        Ok(())
    }

    /// Describe S: parameter types and result columns (text format codes).
    pub fn describe_statement(&self, name: &str) -> Result<(Vec<u32>, Option<Columns>), SqlError> {
        let stmt = self.statements.get(name).ok_or_else(|| {
            SqlError::new(
                code::INVALID_SQL_STATEMENT_NAME,
                format!("prepared statement \"{name}\" does not exist"),
            )
        })?;
        Ok((
            stmt.param_types.clone(),
            self.columns_of(&stmt.command, stmt.described.as_deref()),
        ))
    }

    /// Describe P: result columns with the formats chosen at Bind.
    pub fn describe_portal(&self, name: &str) -> Result<Option<(Columns, Vec<Format>)>, SqlError> {
        let portal = self.portals.get(name).ok_or_else(|| {
            SqlError::new(
                code::INVALID_CURSOR_NAME,
                format!("portal \"{name}\" does not exist"),
            )
        })?;
        let columns = if portal.cursor {
            portal.columns.clone()
        } else {
            self.columns_of(
                &portal.statement.command,
                portal.statement.described.as_deref(),
            )
        };
        match columns {
            None => Ok(None),
            Some(c) => {
                let formats = if portal.cursor && portal.format_codes.is_empty() {
                    vec![
                        if portal.binary {
                            Format::Binary
                        } else {
                            Format::Text
                        };
                        c.len()
                    ]
                } else {
                    resolve_formats(&portal.format_codes, c.len())?
                };
                Ok(Some((c, formats)))
            }
        }
    }

    fn columns_of(
        &self,
        command: &Command,
        described: Option<&Described>,
    ) -> Option<Arc<Vec<ResultColumn>>> {
        match command {
            Command::Query(_) | Command::Explain { .. } => described.map(|d| d.columns.clone()),
            Command::Show(name) => Some(Arc::new(if name == "all" {
                ["name", "setting", "description"]
                    .iter()
                    .map(|n| ResultColumn {
                        name: n.to_string(),
                        pg: text_type(),
                    })
                    .collect()
            } else {
                vec![ResultColumn {
                    name: name.clone(),
                    pg: text_type(),
                }]
            })),
            Command::Fetch {
                name, skip: false, ..
            } => self.portals.get(name).and_then(|p| p.columns.clone()),
            _ => None,
        }
    }

    /// Execute: runs the portal (or continues a suspended one). For rows, the caller sends at
    /// most `max_rows` and hands the stream back with [`Session::suspend_portal`].
    pub async fn execute_portal(&mut self, name: &str) -> Result<Reply, SqlError> {
        self.cancel.reset();
        let portal = self.portals.get_mut(name).ok_or_else(|| {
            SqlError::new(
                code::INVALID_CURSOR_NAME,
                format!("portal \"{name}\" does not exist"),
            )
        })?;
        let failed = self.tx == TxState::Failed;
        if let Some(stream) = portal.stream.take() {
            let columns = portal.columns.clone().unwrap_or_default();
            let formats = resolve_formats(&portal.format_codes, columns.len())?;
            return Ok(Outcome::Rows {
                columns,
                formats,
                stream,
                tag: "SELECT",
                limit: 0,
                cursor: Some(name.to_string()),
            }
            .into());
        }
        if portal.done {
            // Executing an exhausted portal again returns no rows.
            let columns = portal.columns.clone().unwrap_or_default();
            let formats = resolve_formats(&portal.format_codes, columns.len())?;
            return Ok(Outcome::Rows {
                stream: RowStream::from_batches(columns.len() as i16, vec![]),
                columns,
                formats,
                tag: "SELECT",
                limit: 0,
                cursor: None,
            }
            .into());
        }
        let statement = portal.statement.clone();
        let params = portal.params.clone();
        let codes = portal.format_codes.clone();
        if failed
            && !matches!(
                statement.command,
                Command::Commit | Command::Rollback | Command::RollbackToSavepoint(_)
            )
        {
            return Err(SqlError::failed_transaction());
        }
        match &statement.command {
            Command::Query(_) | Command::Explain { .. } => {
                let described = statement
                    .described
                    .clone()
                    .expect("queries are described at Parse");
                let tag = if matches!(statement.command, Command::Explain { .. }) {
                    "EXPLAIN"
                } else {
                    "SELECT"
                };
                let reply = self.rows(described.clone(), params, &codes, tag)?;
                if let Some(p) = self.portals.get_mut(name) {
                    p.columns = Some(described.columns.clone());
                }
                Ok(match reply.outcome {
                    Outcome::Rows {
                        columns,
                        formats,
                        stream,
                        tag,
                        limit,
                        ..
                    } => Outcome::Rows {
                        columns,
                        formats,
                        stream,
                        tag,
                        limit,
                        cursor: Some(name.to_string()),
                    }
                    .into(),
                    other => other.into(),
                })
            }
            other => self.execute_hook(other.clone(), &codes, params).await,
        }
    }

    /// Hands a portal's stream back after an Execute (suspended or finished).
    pub fn suspend_portal(&mut self, name: &str, stream: RowStream) {
        if let Some(p) = self.portals.get_mut(name) {
            p.done = stream.is_finished();
            if !p.done {
                p.stream = Some(stream);
            }
        }
    }

    /// Sync: the unnamed portal ends; outside a block, so does the implicit transaction.
    pub fn sync(&mut self) {
        self.portals.remove("");
        if self.tx == TxState::Idle {
            self.portals.retain(|_, p| p.cursor && p.hold);
        }
    }
}

/// A text-format parameter declared as a number or boolean is bound with that type: DuckDB
/// resolves function overloads (`range($1)`, `LIMIT $1`) by the bound value's type, and a
/// VARCHAR would not match.
fn typed_text_param(oid: u32, value: BindValue) -> Result<BindValue, SqlError> {
    use encode::types::oid;
    let BindValue::Text(text) = &value else {
        return Ok(value);
    };
    let invalid = |what: &str| {
        SqlError::new(
            code::INVALID_TEXT_REPRESENTATION,
            format!("invalid input syntax for type {what}: \"{text}\""),
        )
    };
    Ok(match oid {
        oid::INT2 | oid::INT4 | oid::INT8 => {
            BindValue::Int(text.trim().parse().map_err(|_| invalid("integer"))?)
        }
        oid::FLOAT4 | oid::FLOAT8 => BindValue::Float(
            text.trim()
                .parse()
                .map_err(|_| invalid("double precision"))?,
        ),
        oid::BOOL => match text.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "on" | "1" | "y" => BindValue::Bool(true),
            "f" | "false" | "no" | "off" | "0" | "n" => BindValue::Bool(false),
            _ => return Err(invalid("boolean")),
        },
        _ => value,
    })
}

/// An array parameter arrives in PostgreSQL's literal form (`{1,2,NULL}`, `{"a b",c}`), which
/// DuckDB cannot cast; DuckDB reads the same values written as a list (`[1, 2, NULL]`).
fn array_param(oid: u32, value: BindValue) -> BindValue {
    match value {
        BindValue::Text(text) if encode::types::element_of(oid).is_some() => {
            BindValue::Text(pg_array_to_list(&text).unwrap_or(text))
        }
        other => other,
    }
}

/// `{1,"a b",NULL,{2,3}}` → `[1, "a b", NULL, [2, 3]]`; `None` when it is not an array literal.
pub fn pg_array_to_list(text: &str) -> Option<String> {
    let mut chars = text.trim().chars().peekable();
    // An explicit lower bound ("[0:2]={…}") keeps only the values.
    if chars.peek() == Some(&'[') {
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut depth = 0usize;
    let mut element = String::new();
    let mut quoted = false;
    let mut pending = false;
    let flush = |out: &mut String, element: &mut String, quoted: bool| {
        if quoted {
            out.push('"');
            out.push_str(&element.replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(element.trim());
        }
        element.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                out.push('[');
            }
            '}' => {
                if pending {
                    flush(&mut out, &mut element, quoted);
                    pending = false;
                    quoted = false;
                }
                depth = depth.checked_sub(1)?;
                out.push(']');
            }
            ',' if depth > 0 => {
                if pending {
                    flush(&mut out, &mut element, quoted);
                    pending = false;
                    quoted = false;
                }
                out.push_str(", ");
            }
            '"' => {
                quoted = true;
                pending = true;
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => element.push(chars.next()?),
                        '"' => break,
                        other => element.push(other),
                    }
                }
            }
            c if c.is_whitespace() && !pending => {}
            other => {
                pending = true;
                element.push(other);
            }
        }
    }
    (depth == 0 && out.starts_with('[')).then_some(out)
}

fn text_type() -> PgType {
    PgType::from_oid(encode::types::oid::TEXT).expect("text is a known type")
}

/// PostgreSQL's format codes for n columns: none = text, one = all, else one per column.
pub fn resolve_formats(codes: &[i16], n: usize) -> Result<Vec<Format>, SqlError> {
    let f = |c: i16| match c {
        0 => Ok(Format::Text),
        1 => Ok(Format::Binary),
        other => Err(SqlError::new(
            code::PROTOCOL_VIOLATION,
            format!("unsupported format code: {other}"),
        )),
    };
    match codes.len() {
        0 => Ok(vec![Format::Text; n]),
        1 => Ok(vec![f(codes[0])?; n]),
        m if m == n => codes.iter().map(|&c| f(c)).collect(),
        m => Err(SqlError::new(
            code::PROTOCOL_VIOLATION,
            format!("bind message has {m} result formats but query has {n} columns"),
        )),
    }
}

/// Rows of text values as a finished stream (SHOW).
fn text_rows(rows: &[Vec<String>]) -> RowStream {
    let width = rows.first().map(Vec::len).unwrap_or(1);
    let mut data = BytesMut::new();
    let mut row_ends = Vec::with_capacity(rows.len());
    for row in rows {
        for value in row {
            data.put_i32(value.len() as i32);
            data.put_slice(value.as_bytes());
        }
        row_ends.push(data.len());
    }
    RowStream::from_batches(width as i16, vec![EncodedBatch { data, row_ends }])
}

/// PostgreSQL's search_path → DuckDB's: `public` is the lake's `main`; `"$user"`, `pg_catalog`
/// and `information_schema` have no DuckDB counterpart.
pub fn duckdb_search_path(lake: &str, pg_path: &str) -> String {
    let mut entries: Vec<String> = pg_path
        .split(',')
        .map(|e| e.trim().trim_matches('"').to_string())
        .filter(|e| !e.is_empty() && e != "$user" && e != "pg_catalog" && e != "information_schema")
        .map(|e| if e == "public" { "main".to_string() } else { e })
        .map(|e| {
            if e == "lakegate" {
                "lakegate.main".to_string()
            } else {
                format!("{}.{}", quote_ident(lake), quote_ident(&e))
            }
        })
        .collect();
    if entries.is_empty() {
        entries.push(format!("{}.main", quote_ident(lake)));
    }
    entries.join(",")
}

/// The name PostgreSQL would give an unaliased result column. DuckDB names an expression by its
/// text (`count_star()`, `avg(imd_score)`, `CAST(n AS INTEGER)`, `1`); PostgreSQL by the function
/// or column it is (`count`, `avg`, `n`) or `?column?`. Clients key data frames by these names.
pub fn postgres_column_name(duckdb: &str) -> String {
    let is_ident = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if duckdb == "count_star()" {
        return "count".into();
    }
    if let Some(inner) = duckdb
        .strip_prefix("CAST(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|r| r.rsplit_once(" AS ").map(|(e, _)| e))
    {
        return if is_ident(inner) {
            inner.to_string()
        } else {
            postgres_column_name(inner)
        };
    }
    if let Some(open) = duckdb.find('(')
        && duckdb.ends_with(')')
        && is_ident(&duckdb[..open])
    {
        return duckdb[..open].to_ascii_lowercase();
    }
    let literal = duckdb.starts_with('\'')
        || duckdb.starts_with('(')
        || duckdb.parse::<f64>().is_ok()
        || matches!(duckdb, "NULL" | "true" | "false");
    if literal {
        return "?column?".into();
    }
    duckdb.to_string()
}

/// Rewrite, guard, prepare and shape a query, on a connection (blocking).
fn analyse(
    ctx: &SessionContext,
    conn: &mut PooledConn,
    sql: &str,
    explain_prefix: Option<&str>,
) -> Result<Described, SqlError> {
    ctx.guard.check(conn.conn(), sql)?;
    let full = match explain_prefix {
        Some(p) => format!("{p}{sql}"),
        None => sql.to_string(),
    };
    let prepared = conn.prepare_cached(&full)?;
    let mut columns = prepared.columns();
    let param_logical: Vec<LogicalType> = (0..prepared.parameter_count())
        .map(|i| prepared.parameter_type(i))
        .collect();
    let param_types: Vec<u32> = param_logical
        .iter()
        .map(|t| match t {
            LogicalType::Any | LogicalType::Null => encode::types::oid::TEXT,
            t => encode::plan_column(t).pg.oid,
        })
        .collect();
    conn.keep(full.clone(), prepared);
    // DuckDB cannot type a result whose table functions take parameters (`range($1)`) until
    // values are bound, and reports one placeholder column. Describe must not run the query,
    // so prepare a copy with typed NULLs in place of the parameters to learn the columns.
    if !param_logical.is_empty()
        && columns.iter().any(|c| c.ty == LogicalType::Any)
        && let Some(probe) = command::with_null_parameters(&full, &param_logical)
        && let Ok(p) = conn.conn().prepare(&probe)
    {
        let probed = p.columns();
        if !probed.iter().any(|c| c.ty == LogicalType::Any) {
            columns = probed;
        }
    }

    let mut shaped = false;
    let mut exprs = Vec::with_capacity(columns.len());
    let mut out = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        // An untyped parameter's column has no type until it runs: send it as text.
        let plan = match c.ty {
            LogicalType::Any => encode::ColumnPlan {
                pg: text_type(),
                shaping: Shaping::CastVarchar,
            },
            _ => encode::plan_column(&c.ty),
        };
        let position = format!("#{}", i + 1);
        let alias = quote_ident(&c.name);
        exprs.push(match plan.shaping {
            Shaping::AsIs => format!("{position} AS {alias}"),
            Shaping::CastVarchar => {
                shaped = true;
                format!("CAST({position} AS VARCHAR) AS {alias}")
            }
            Shaping::CastVarcharList => {
                shaped = true;
                format!("CAST({position} AS VARCHAR[]) AS {alias}")
            }
            Shaping::ToJson => {
                shaped = true;
                format!("CAST(to_json({position}) AS VARCHAR) AS {alias}")
            }
        });
        out.push(ResultColumn {
            name: postgres_column_name(&c.name),
            pg: plan.pg,
        });
    }
    let final_sql = if shaped {
        format!(
            "SELECT {} FROM ({full}) AS lakegate_result",
            exprs.join(", ")
        )
    } else {
        full
    };
    Ok(Described {
        sql: final_sql,
        columns: Arc::new(out),
        param_types,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_paths_map_to_the_lake() {
        assert_eq!(duckdb_search_path("lake", "main"), "\"lake\".\"main\"");
        assert_eq!(
            duckdb_search_path("lake", "\"$user\", public, energy"),
            "\"lake\".\"main\",\"lake\".\"energy\""
        );
        assert_eq!(duckdb_search_path("lake", "pg_catalog"), "\"lake\".main");
    }

    #[test]
    fn column_names_follow_postgres() {
        assert_eq!(postgres_column_name("count_star()"), "count");
        assert_eq!(postgres_column_name("avg(imd_score)"), "avg");
        assert_eq!(postgres_column_name("CAST(n AS INTEGER)"), "n");
        assert_eq!(postgres_column_name("CAST(sum(x) AS BIGINT)"), "sum");
        assert_eq!(postgres_column_name("1"), "?column?");
        assert_eq!(postgres_column_name("'a'"), "?column?");
        assert_eq!(postgres_column_name("(a + b)"), "?column?");
        assert_eq!(postgres_column_name("la_code"), "la_code");
        assert_eq!(postgres_column_name("Mixed Case"), "Mixed Case");
    }

    #[test]
    fn array_literals_become_lists() {
        assert_eq!(pg_array_to_list("{1,2,NULL}").unwrap(), "[1, 2, NULL]");
        assert_eq!(
            pg_array_to_list(r#"{"a b",c,"NULL"}"#).unwrap(),
            r#"["a b", c, "NULL"]"#
        );
        assert_eq!(
            pg_array_to_list("{{1,2},{3,4}}").unwrap(),
            "[[1, 2], [3, 4]]"
        );
        assert_eq!(pg_array_to_list("{}").unwrap(), "[]");
        assert_eq!(pg_array_to_list("[0:1]={5,6}").unwrap(), "[5, 6]");
        assert!(pg_array_to_list("not an array").is_none());
    }

    #[test]
    fn format_codes_follow_postgres_rules() {
        assert_eq!(
            resolve_formats(&[], 2).unwrap(),
            vec![Format::Text, Format::Text]
        );
        assert_eq!(
            resolve_formats(&[1], 2).unwrap(),
            vec![Format::Binary, Format::Binary]
        );
        assert_eq!(
            resolve_formats(&[0, 1], 2).unwrap(),
            vec![Format::Text, Format::Binary]
        );
        assert_eq!(resolve_formats(&[0, 1, 0], 2).unwrap_err().code, "08P01");
    }
}
