//! Publishing: local DuckDB tables and views → the lake, in ONE DuckLake snapshot, with every
//! comment; then the pins board.
//!
//! The flow: attach the source read-only → inventory its tables and views ([`source`]) →
//! fingerprint each by content and compare with the lake's record ([`plan`], [`state`]) →
//! write new and changed tables with DuckDB's own parquet writer inside one transaction,
//! re-apply comments, re-create views, drop removed objects, update the record, label the
//! snapshot, COMMIT. Any failure or Ctrl-C before COMMIT rolls everything back, so the lake is
//! exactly as before. Pins are written after the commit (see [`crate::pins`]).
//!
//! Publishing knows nothing of the wire protocol.

pub mod plan;
pub mod progress;
pub mod source;
pub mod state;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::lake::duck::{self, DuckError};
use crate::lake::{Lake, LakeError, quote_ident, sql_string};
use plan::{Action, Plan, PlannedObject};
use progress::Progress;
use source::{Kind, SOURCE_ALIAS, matches_filter};
use state::PublishedRecord;

#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub source: PathBuf,
    /// `--table`: publish only these; nothing is removed.
    pub tables: Vec<String>,
    /// `[publish] include`: only these are managed (all when empty).
    pub include: Vec<String>,
    /// `[publish] exclude`: never these.
    pub exclude: Vec<String>,
    pub dry_run: bool,
    pub message: Option<String>,
    pub author: String,
    /// Pin name for each published object, when pins are on.
    pub pin_names: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the source file {0} does not exist")]
    SourceMissing(PathBuf),
    #[error("the source file {path} is not a DuckDB database: {message}")]
    SourceNotDuckDb { path: PathBuf, message: String },
    #[error("no table named {name} in {file}; it has: {available}")]
    UnknownTable {
        name: String,
        file: PathBuf,
        available: String,
    },
    #[error("{table} has GEOMETRY columns, which need the DuckDB spatial extension: {reason}")]
    SpatialMissing { table: String, reason: String },
    #[error(transparent)]
    Plan(#[from] plan::PlanError),
    #[error(
        "publishing {table} failed, nothing was committed and the lake is unchanged: {message}"
    )]
    Write { table: String, message: String },
    #[error("committing the snapshot failed, the lake is unchanged: {0}")]
    Commit(String),
    #[error("publish interrupted, nothing was committed and the lake is unchanged")]
    Interrupted,
    #[error(transparent)]
    Lake(#[from] LakeError),
}

impl From<duckdb::Error> for PublishError {
    fn from(e: duckdb::Error) -> Self {
        PublishError::Lake(LakeError::DuckDb(e.to_string()))
    }
}

/// One table or view that this publish wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub schema: String,
    pub name: String,
    pub kind: Kind,
    pub rows: u64,
    pub bytes: u64,
}

#[derive(Debug)]
pub struct PublishOutcome {
    pub plan: Plan,
    /// The snapshot this publish committed; `None` for a dry run or when nothing changed.
    pub snapshot_id: Option<i64>,
    pub written: Vec<Written>,
    pub elapsed: Duration,
}

/// Runs a publish. `cancel` is checked between statements; the caller also interrupts the
/// writing connection (see [`Publisher::interrupter`]) so a long statement stops at once.
pub struct Publisher<'a> {
    lake: &'a Lake,
    writer: duck::Connection,
    progress: &'a dyn Progress,
    cancel: &'a AtomicBool,
}

impl<'a> Publisher<'a> {
    pub fn new(
        lake: &'a Lake,
        progress: &'a dyn Progress,
        cancel: &'a AtomicBool,
    ) -> Result<Self, PublishError> {
        let writer = lake
            .database()
            .connect()
            .map_err(|e| LakeError::DuckDb(e.message))?;
        Ok(Publisher {
            lake,
            writer,
            progress,
            cancel,
        })
    }

    pub fn interrupter(&self) -> duck::Interrupter {
        self.writer.interrupter()
    }

    pub fn run(&self, opts: &PublishOptions) -> Result<PublishOutcome, PublishError> {
        let started = Instant::now();
        self.attach_source(&opts.source)?;
        let result = self.plan_and_write(opts, started).map_err(|e| {
            // Ctrl-C interrupts whatever query runs; its error is the interrupt.
            if self.cancel.load(Ordering::SeqCst) {
                PublishError::Interrupted
            } else {
                e
            }
        });
        // The source stays attached only for the publish.
        let _ = self.lake.conn().execute_batch(&format!(
            "DETACH DATABASE IF EXISTS {}",
            quote_ident(SOURCE_ALIAS)
        ));
        result
    }

    fn attach_source(&self, path: &Path) -> Result<(), PublishError> {
        if !path.exists() {
            return Err(PublishError::SourceMissing(path.to_path_buf()));
        }
        // GEOMETRY types carry their coordinate system only when spatial is loaded; it is
        // optional until a source actually has geometry (checked after the inventory).
        let _ = self.lake.conn().execute_batch("LOAD spatial");
        self.lake
            .conn()
            .execute_batch(&format!(
                "ATTACH {} AS {} (TYPE duckdb, READ_ONLY)",
                sql_string(&path.display().to_string()),
                quote_ident(SOURCE_ALIAS)
            ))
            .map_err(|e| PublishError::SourceNotDuckDb {
                path: path.to_path_buf(),
                message: first_line(&e.to_string()),
            })
    }

    fn plan(&self, opts: &PublishOptions) -> Result<Plan, PublishError> {
        let conn = self.lake.conn();
        let all = source::inventory(conn)?;
        for wanted in &opts.tables {
            if !all
                .iter()
                .any(|o| matches_filter(&o.schema, &o.name, wanted))
            {
                let available: Vec<_> = all.iter().map(|o| o.display_name()).collect();
                return Err(PublishError::UnknownTable {
                    name: wanted.clone(),
                    file: opts.source.clone(),
                    available: available.join(", "),
                });
            }
        }
        let in_scope = |schema: &str, name: &str| {
            let any = |list: &[String]| list.iter().any(|f| matches_filter(schema, name, f));
            (opts.include.is_empty() || any(&opts.include)) && !any(&opts.exclude)
        };
        let selected: Vec<_> = all
            .into_iter()
            .filter(|o| in_scope(&o.schema, &o.name))
            .filter(|o| {
                opts.tables.is_empty()
                    || opts
                        .tables
                        .iter()
                        .any(|t| matches_filter(&o.schema, &o.name, t))
            })
            .collect();
        if let Some(geo) = selected.iter().find(|o| {
            o.columns
                .iter()
                .any(|c| c.data_type.starts_with("GEOMETRY"))
        }) && let Err(e) = conn.execute_batch("LOAD spatial")
        {
            return Err(PublishError::SpatialMissing {
                table: geo.display_name(),
                reason: extension_hint("spatial", &e.to_string()),
            });
        }
        let published = state::read(conn, &self.lake.alias)?;
        let sizes = lake_table_bytes(conn, &self.lake.alias);
        let version: String = conn.query_row("SELECT version()", [], |r| r.get(0))?;
        // A `--table` run touches only the named tables: it never removes anything.
        let removes = opts.tables.is_empty();
        let plan = plan::build(
            conn,
            &version,
            selected,
            &published,
            &|s, n| {
                sizes
                    .get(&(s.to_string(), n.to_string()))
                    .copied()
                    .unwrap_or(0)
            },
            &|s, n| removes && in_scope(s, n),
        )?;
        Ok(plan)
    }

    fn plan_and_write(
        &self,
        opts: &PublishOptions,
        started: Instant,
    ) -> Result<PublishOutcome, PublishError> {
        let plan = self.plan(opts)?;
        if opts.dry_run || !plan.has_changes() {
            return Ok(PublishOutcome {
                plan,
                snapshot_id: None,
                written: vec![],
                elapsed: started.elapsed(),
            });
        }
        self.sweep_orphans();
        let before: i64 = self.lake.conn().query_row(
            &format!(
                "SELECT id FROM {}.current_snapshot()",
                quote_ident(&self.lake.alias)
            ),
            [],
            |r| r.get(0),
        )?;
        let snapshot_id = before + 1;
        let writing_since = unix_millis();
        let result = self.write(opts, &plan, snapshot_id).and_then(|written| {
            self.check_cancel()?;
            self.writer
                .execute_batch("COMMIT")
                .map_err(|e| PublishError::Commit(e.message))?;
            Ok(written)
        });
        let written = match result {
            Ok(w) => w,
            Err(e) => {
                let _ = self.writer.execute_batch("ROLLBACK");
                self.remove_partial_files(writing_since);
                return Err(e);
            }
        };
        let committed: i64 = self.lake.conn().query_row(
            &format!(
                "SELECT id FROM {}.current_snapshot()",
                quote_ident(&self.lake.alias)
            ),
            [],
            |r| r.get(0),
        )?;
        if committed != snapshot_id {
            tracing::warn!(
                expected = snapshot_id,
                committed,
                "another process committed to the lake during this publish"
            );
        }
        let sizes = lake_table_bytes(self.lake.conn(), &self.lake.alias);
        let written = written
            .into_iter()
            .map(|mut w| {
                w.bytes = sizes
                    .get(&(w.schema.clone(), w.name.clone()))
                    .copied()
                    .unwrap_or(0);
                w
            })
            .collect();
        Ok(PublishOutcome {
            plan,
            snapshot_id: Some(committed),
            written,
            elapsed: started.elapsed(),
        })
    }

    /// A publish killed outright (kill -9, power loss) leaves the parquet files it had written
    /// but never committed; DuckLake can tell them from the files of any snapshot. Files younger
    /// than an hour (or `LAKEGATE_ORPHAN_GRACE`, see [`orphan_grace`]) are left alone in case
    /// another publisher is at work.
    fn sweep_orphans(&self) {
        let grace = orphan_grace();
        let sql = format!(
            "SELECT count(*) FROM ducklake_delete_orphaned_files({}, older_than => now() - to_microseconds({}::BIGINT))",
            sql_string(&self.lake.alias),
            grace.as_micros()
        );
        match self.lake.conn().query_row(&sql, [], |r| r.get::<_, i64>(0)) {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                files = n,
                "removed data files left by an interrupted publish"
            ),
            Err(e) => tracing::warn!(error = %e, "could not look for orphaned data files"),
        }
    }

    /// DuckLake deletes the files of a rolled-back transaction that it had registered, but not
    /// the one DuckDB was writing when a statement failed or was interrupted. On a folder lake
    /// those are removed here: files no snapshot references, created since this publish began
    /// writing (DuckLake's file names are UUIDv7, which start with their creation time). On S3
    /// the next publish's sweep removes them once they are older than the grace period.
    fn remove_partial_files(&self, since_millis: u64) {
        if self.lake.data.is_s3() {
            return;
        }
        let sql = format!(
            "SELECT path FROM ducklake_delete_orphaned_files({}, dry_run => true, older_than => now())",
            sql_string(&self.lake.alias)
        );
        let paths: Vec<String> = match self.lake.conn().prepare(&sql).and_then(|mut stmt| {
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        }) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "could not look for files left by the failed write");
                return;
            }
        };
        for path in paths {
            let created = Path::new(&path)
                .file_name()
                .and_then(|n| uuid7_millis(&n.to_string_lossy()));
            // A second of slack for the clock DuckDB read.
            if created.is_some_and(|ms| ms + 1000 >= since_millis) {
                match std::fs::remove_file(&path) {
                    Ok(()) => tracing::debug!(path, "removed a partly written data file"),
                    Err(e) => {
                        tracing::warn!(path, error = %e, "cannot remove a partly written data file")
                    }
                }
            }
        }
    }

    fn check_cancel(&self) -> Result<(), PublishError> {
        if self.cancel.load(Ordering::SeqCst) {
            Err(PublishError::Interrupted)
        } else {
            Ok(())
        }
    }

    /// Runs one statement on the writer, naming the table in any error.
    fn exec(&self, table: &str, sql: &str) -> Result<(), PublishError> {
        self.check_cancel()?;
        self.writer
            .execute_batch(sql)
            .map_err(|e| self.write_error(table, e))
    }

    fn write_error(&self, table: &str, e: DuckError) -> PublishError {
        if self.cancel.load(Ordering::SeqCst) || e.kind == duck::ErrorKind::Interrupt {
            PublishError::Interrupted
        } else {
            PublishError::Write {
                table: table.to_string(),
                message: first_line(&e.message),
            }
        }
    }

    fn write(
        &self,
        opts: &PublishOptions,
        plan: &Plan,
        snapshot_id: i64,
    ) -> Result<Vec<Written>, PublishError> {
        let alias = &self.lake.alias;
        let lake = quote_ident(alias);
        self.exec(
            "(start)",
            "SET enable_progress_bar = true; SET enable_progress_bar_print = false; BEGIN TRANSACTION",
        )?;
        let record_exists = state::exists(self.lake.conn(), alias)?;
        self.exec(
            "(publish record)",
            &format!("USE {lake}; {}; USE memory", state::create_sql()),
        )?;
        if record_exists {
            self.exec("(publish record)", &state::inline_sql(alias))?;
        }
        let schemas: BTreeSet<&str> = plan
            .objects
            .iter()
            .filter(|o| matches!(o.action, Action::New | Action::Changed))
            .map(|o| o.schema.as_str())
            .collect();
        for schema in schemas {
            self.exec(
                schema,
                &format!("CREATE SCHEMA IF NOT EXISTS {lake}.{}", quote_ident(schema)),
            )?;
        }

        // A table that became a view (or the other way round) makes way first: CREATE OR
        // REPLACE does not replace an object of the other kind.
        for o in plan.objects.iter().filter(|o| o.action == Action::Changed) {
            let other = match o.kind {
                Kind::Table => Kind::View,
                Kind::View => Kind::Table,
            };
            if self.lake_kind(&o.schema, &o.name)? == Some(other) {
                let what = if other == Kind::View { "VIEW" } else { "TABLE" };
                self.exec(
                    &o.display_name(),
                    &format!(
                        "DROP {what} {}",
                        crate::lake::qualified(alias, &o.schema, &o.name)
                    ),
                )?;
            }
        }

        let mut written = Vec::new();
        for o in plan.objects.iter().filter(|o| o.kind == Kind::Table) {
            match o.action {
                Action::New | Action::Changed => {
                    self.write_table(o)?;
                    self.apply_comments(o)?;
                    written.push(Written {
                        schema: o.schema.clone(),
                        name: o.name.clone(),
                        kind: o.kind,
                        rows: o.rows,
                        bytes: 0,
                    });
                }
                Action::Comments => self.apply_comments(o)?,
                _ => {}
            }
        }
        self.write_views(plan, &mut written)?;
        for o in plan.objects.iter().filter(|o| o.action == Action::Removed) {
            let what = if o.kind == Kind::View {
                "VIEW"
            } else {
                "TABLE"
            };
            self.progress.note(&format!(
                "removing {} {}",
                o.kind.as_str(),
                o.display_name()
            ));
            self.exec(
                &o.display_name(),
                &format!(
                    "DROP {what} IF EXISTS {}",
                    crate::lake::qualified(alias, &o.schema, &o.name)
                ),
            )?;
        }

        let source_file = opts
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let changed: Vec<&PlannedObject> =
            plan.objects.iter().filter(|o| o.action.writes()).collect();
        let remove: Vec<(String, String)> = changed
            .iter()
            .map(|o| (o.schema.clone(), o.name.clone()))
            .collect();
        // Pin names are unique over the whole lake after this publish, which also holds the
        // tables this run does not touch (`--table`, unchanged ones).
        let previous = state::read(self.lake.conn(), alias)?;
        let mut after: Vec<(&str, &str)> = previous
            .iter()
            .filter(|p| !remove.iter().any(|(s, n)| *s == p.schema && *n == p.name))
            .map(|p| (p.schema.as_str(), p.name.as_str()))
            .collect();
        let kept = after.len();
        after.extend(
            changed
                .iter()
                .filter(|o| o.action != Action::Removed)
                .map(|o| (o.schema.as_str(), o.name.as_str())),
        );
        let names = crate::pins::pin_names(&after);
        let renamed: Vec<(String, String, String)> = if opts.pin_names {
            after[..kept]
                .iter()
                .zip(&names)
                .filter(|((s, n), name)| {
                    previous.iter().any(|p| {
                        p.schema == *s && p.name == *n && p.pin_name.as_ref() != Some(name)
                    })
                })
                .map(|((s, n), name)| (s.to_string(), n.to_string(), name.clone()))
                .collect()
        } else {
            vec![]
        };
        let insert: Vec<PublishedRecord> = changed
            .iter()
            .filter(|o| o.action != Action::Removed)
            .zip(&names[kept..])
            .map(|(o, name)| {
                record(
                    o,
                    snapshot_id,
                    &source_file,
                    opts.pin_names.then(|| name.clone()),
                )
            })
            .collect();
        let mut sql = state::replace_sql(alias, &remove, &insert);
        sql.push_str(&state::rename_pins_sql(alias, &renamed));
        self.exec("(publish record)", &sql)?;
        let message = opts.message.clone().unwrap_or_else(|| {
            format!(
                "lakegate publish of {source_file}: {} new, {} changed, {} comments, {} removed",
                plan.count(Action::New),
                plan.count(Action::Changed),
                plan.count(Action::Comments),
                plan.count(Action::Removed)
            )
        });
        self.exec(
            "(commit message)",
            &format!(
                "CALL {lake}.set_commit_message({}, {})",
                sql_string(&opts.author),
                sql_string(&message)
            ),
        )?;
        Ok(written)
    }

    /// Whether the lake (as committed) has a table or a view of that name.
    fn lake_kind(&self, schema: &str, name: &str) -> Result<Option<Kind>, PublishError> {
        let sql = format!(
            "SELECT 'table' FROM duckdb_tables() WHERE database_name = {0} AND schema_name = {1} AND table_name = {2}
             UNION ALL
             SELECT 'view' FROM duckdb_views() WHERE database_name = {0} AND schema_name = {1} AND view_name = {2}",
            sql_string(&self.lake.alias),
            sql_string(schema),
            sql_string(name)
        );
        let kinds: Vec<String> = self
            .lake
            .conn()
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(kinds
            .first()
            .map(|k| if k == "view" { Kind::View } else { Kind::Table }))
    }

    /// Creates (or replaces) the table with the source's columns, types and NOT NULL
    /// constraints, then copies the rows with DuckDB's parquet writer, streaming.
    fn write_table(&self, o: &PlannedObject) -> Result<(), PublishError> {
        let source = o
            .source
            .as_ref()
            .expect("new or changed tables have a source");
        let target = crate::lake::qualified(&self.lake.alias, &o.schema, &o.name);
        let columns: Vec<String> = source
            .columns
            .iter()
            .zip(&o.lake_types)
            .map(|(c, t)| {
                format!(
                    "{} {}{}",
                    quote_ident(&c.name),
                    t.ddl,
                    if c.nullable { "" } else { " NOT NULL" }
                )
            })
            .collect();
        let select: Vec<String> = source
            .columns
            .iter()
            .zip(&o.lake_types)
            .map(|(c, t)| {
                if t.cast {
                    format!("CAST({} AS {})", quote_ident(&c.name), t.ddl)
                } else {
                    quote_ident(&c.name)
                }
            })
            .collect();
        let name = o.display_name();
        self.check_intervals(source)?;
        self.exec(
            &name,
            &format!("CREATE OR REPLACE TABLE {target} ({})", columns.join(", ")),
        )?;
        self.progress.start(&name, o.rows);
        let started = Instant::now();
        let probe = self.writer.progress_probe();
        let done = AtomicBool::new(false);
        let insert = format!(
            "INSERT INTO {target} SELECT {} FROM {}",
            select.join(", "),
            source.source_ref()
        );
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(200));
                    if let Some(p) = probe.progress()
                        && p.percentage >= 0.0
                    {
                        self.progress
                            .rows(((p.percentage / 100.0) * o.rows as f64) as u64);
                    }
                }
            });
            let r = self.exec(&name, &insert);
            done.store(true, Ordering::Relaxed);
            r
        });
        if let Err(PublishError::Write { table, message }) = result {
            return Err(PublishError::Write {
                message: self.diagnose(source, &message).unwrap_or(message),
                table,
            });
        }
        result?;
        self.progress.finish(&name, o.rows, started.elapsed());
        Ok(())
    }

    /// Parquet's INTERVAL holds months, days and milliseconds, all unsigned: DuckDB's writer
    /// refuses a negative part, and silently drops microseconds. Both are refused here, before
    /// anything is written, naming the column.
    fn check_intervals(&self, source: &source::SourceObject) -> Result<(), PublishError> {
        let intervals: Vec<&source::SourceColumn> = source
            .columns
            .iter()
            .filter(|c| c.data_type == "INTERVAL")
            .collect();
        if intervals.is_empty() {
            return Ok(());
        }
        let counts: Vec<String> = intervals
            .iter()
            .map(|c| {
                let col = quote_ident(&c.name);
                format!(
                    "count(*) FILTER (WHERE {col}::VARCHAR LIKE '%-%')::BIGINT, \
                     count(*) FILTER (WHERE datepart('microseconds', {col}) % 1000 <> 0)::BIGINT"
                )
            })
            .collect();
        let sql = format!("SELECT {} FROM {}", counts.join(", "), source.source_ref());
        self.check_cancel()?;
        let found: Vec<i64> = self
            .lake
            .conn()
            .query_row(&sql, [], |r| {
                (0..intervals.len() * 2)
                    .map(|i| r.get::<_, i64>(i))
                    .collect()
            })
            .map_err(|e| PublishError::Write {
                table: source.display_name(),
                message: first_line(&e.to_string()),
            })?;
        for (i, c) in intervals.iter().enumerate() {
            let (negative, fine) = (found[2 * i], found[2 * i + 1]);
            let problem = if negative > 0 {
                Some(format!("{negative} values with a negative part"))
            } else if fine > 0 {
                Some(format!(
                    "{fine} values with a part finer than a millisecond, which parquet would drop"
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(PublishError::Write {
                    table: source.display_name(),
                    message: format!(
                        "column {} (INTERVAL) has {problem}: a parquet INTERVAL holds only \
                         non-negative months, days and milliseconds; publish a view that casts the \
                         column (e.g. to VARCHAR, or epoch seconds as DOUBLE) instead",
                        c.name
                    ),
                });
            }
        }
        Ok(())
    }

    /// Names the column behind a data-dependent write failure: the values parquet cannot hold.
    fn diagnose(&self, source: &source::SourceObject, message: &str) -> Option<String> {
        let checks = source.columns.iter().filter_map(|c| {
            let col = quote_ident(&c.name);
            match c.data_type.as_str() {
                "HUGEINT" | "UHUGEINT" => Some((
                    c,
                    format!("length(ltrim({col}::VARCHAR, '-')) > 38"),
                    "has values of more than 38 digits, beyond DECIMAL(38,0), the lake's type for it",
                )),
                _ => None,
            }
        });
        for (column, predicate, what) in checks {
            let sql = format!(
                "SELECT count(*) FROM {} WHERE {predicate}",
                source.source_ref()
            );
            if let Ok(n) = self.lake.conn().query_row(&sql, [], |r| r.get::<_, i64>(0))
                && n > 0
            {
                return Some(format!(
                    "column {} ({}) {what}: {n} rows; publish a view that casts it (e.g. to VARCHAR) instead ({message})",
                    column.name, column.data_type
                ));
            }
        }
        None
    }

    fn apply_comments(&self, o: &PlannedObject) -> Result<(), PublishError> {
        let source = o.source.as_ref().expect("comments come from the source");
        let target = crate::lake::qualified(&self.lake.alias, &o.schema, &o.name);
        let what = if o.kind == Kind::View {
            "VIEW"
        } else {
            "TABLE"
        };
        let literal = |c: &Option<String>| c.as_deref().map(sql_string).unwrap_or("NULL".into());
        let mut sql = format!(
            "COMMENT ON {what} {target} IS {};\n",
            literal(&source.comment)
        );
        // DuckLake keeps comments on tables, views and table columns, not on view columns:
        // those are kept in the publish record (`columns`), where the server's catalogue and
        // the pins read them.
        let columns = if o.kind == Kind::View {
            &[][..]
        } else {
            &source.columns[..]
        };
        for c in columns {
            sql.push_str(&format!(
                "COMMENT ON COLUMN {target}.{} IS {};\n",
                quote_ident(&c.name),
                literal(&c.comment)
            ));
        }
        self.exec(&o.display_name(), &sql)
    }

    /// Views are re-created from the source's definitions, in the view's own schema so that
    /// its unqualified names resolve as they did in the source. A view may depend on another:
    /// failed ones are retried until no more succeed.
    fn write_views(&self, plan: &Plan, written: &mut Vec<Written>) -> Result<(), PublishError> {
        let mut pending: Vec<&PlannedObject> = plan
            .objects
            .iter()
            .filter(|o| o.kind == Kind::View && matches!(o.action, Action::New | Action::Changed))
            .collect();
        let lake = quote_ident(&self.lake.alias);
        while !pending.is_empty() {
            let mut failed = Vec::new();
            let mut last_error = None;
            for o in pending.iter().copied() {
                let source = o.source.as_ref().expect("views come from the source");
                let definition = source.view_sql.as_deref().unwrap_or_default();
                let Some(body) = definition.trim().strip_prefix("CREATE VIEW") else {
                    return Err(PublishError::Write {
                        table: o.display_name(),
                        message: format!("unexpected view definition: {definition}"),
                    });
                };
                let sql = format!(
                    "USE {lake}.{}; CREATE OR REPLACE VIEW{}",
                    quote_ident(&o.schema),
                    body.trim_end().trim_end_matches(';')
                );
                self.check_cancel()?;
                let result = self.writer.execute_batch(&sql);
                let _ = self.writer.execute_batch("USE memory");
                match result {
                    Ok(()) => {
                        self.apply_comments(o)?;
                        self.progress
                            .note(&format!("wrote view {}", o.display_name()));
                        written.push(Written {
                            schema: o.schema.clone(),
                            name: o.name.clone(),
                            kind: Kind::View,
                            rows: o.rows,
                            bytes: 0,
                        });
                    }
                    Err(e) if e.kind == duck::ErrorKind::Interrupt => {
                        return Err(PublishError::Interrupted);
                    }
                    Err(e) => {
                        failed.push(o);
                        last_error = Some((o.display_name(), e));
                    }
                }
            }
            if failed.len() == pending.len() {
                let (table, e) = last_error.expect("a failure was recorded");
                return Err(PublishError::Write {
                    table,
                    message: format!(
                        "the view cannot be created in the lake (does it use objects that are not published?): {}",
                        first_line(&e.message)
                    ),
                });
            }
            pending = failed;
        }
        Ok(())
    }
}

fn record(
    o: &PlannedObject,
    snapshot_id: i64,
    source_file: &str,
    pin_name: Option<String>,
) -> PublishedRecord {
    let columns: Vec<serde_json::Value> = o
        .source
        .as_ref()
        .map(|s| {
            s.columns
                .iter()
                .zip(&o.lake_types)
                .map(|(c, t)| {
                    serde_json::json!({
                        "name": c.name,
                        "source_type": c.data_type,
                        "crs": t.crs,
                        "comment": c.comment,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    PublishedRecord {
        schema: o.schema.clone(),
        name: o.name.clone(),
        kind: o.kind.as_str().to_string(),
        fingerprint: o.fingerprint.clone(),
        comments_fingerprint: o.comments_fingerprint.clone(),
        row_count: o.rows as i64,
        snapshot_id,
        published_at: String::new(),
        source_file: source_file.to_string(),
        pin_name,
        columns: serde_json::Value::Array(columns).to_string(),
    }
}

/// Parquet bytes per table in the lake, from DuckLake's own accounting.
pub fn lake_table_bytes(
    conn: &duckdb::Connection,
    alias: &str,
) -> std::collections::HashMap<(String, String), u64> {
    let metadata = quote_ident(&format!("__ducklake_metadata_{alias}"));
    let sql = format!(
        "SELECT s.schema_name, i.table_name, (i.file_size_bytes + i.delete_file_size_bytes)::BIGINT
         FROM ducklake_table_info({}) i
         JOIN {metadata}.ducklake_schema s ON s.schema_id = i.schema_id AND s.end_snapshot IS NULL",
        sql_string(alias)
    );
    let mut sizes = std::collections::HashMap::new();
    let Ok(mut stmt) = conn.prepare(&sql) else {
        return sizes;
    };
    if let Ok(rows) = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    }) {
        for (schema, table, bytes) in rows.flatten() {
            sizes.insert((schema, table), bytes.max(0) as u64);
        }
    }
    sizes
}

fn unix_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The creation time (Unix milliseconds) in a DuckLake data file name,
/// `ducklake-<UUIDv7>.parquet`: a UUIDv7 starts with 48 bits of it.
fn uuid7_millis(file_name: &str) -> Option<u64> {
    let uuid = file_name.strip_prefix("ducklake-")?;
    let hex: String = uuid.chars().filter(|c| *c != '-').take(12).collect();
    (hex.len() == 12 && uuid.as_bytes().get(14) == Some(&b'7'))
        .then(|| u64::from_str_radix(&hex, 16).ok())
        .flatten()
}

/// The environment variable that sets how old an uncommitted data file must be before a publish
/// deletes it (a humantime duration such as `30min` or `0s`; default one hour). Only lower it
/// when no other publish can be running against the same lake.
pub const ORPHAN_GRACE_ENV: &str = "LAKEGATE_ORPHAN_GRACE";

/// How old orphaned data files must be before they are swept.
pub fn orphan_grace() -> Duration {
    const DEFAULT: Duration = Duration::from_secs(3600);
    match std::env::var(ORPHAN_GRACE_ENV) {
        Ok(v) => humantime::parse_duration(v.trim()).unwrap_or_else(|e| {
            tracing::warn!(value = v, error = %e, "ignoring {ORPHAN_GRACE_ENV}: not a duration");
            DEFAULT
        }),
        Err(_) => DEFAULT,
    }
}

fn extension_hint(name: &str, error: &str) -> String {
    format!(
        "{} (install it with `scripts/install-extensions` offline, or `INSTALL {name}` with internet access)",
        first_line(error)
    )
}

pub(crate) fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_names_tell_their_creation_time() {
        // 0x01a20ce2fdbf ms = 2026-11-24T09:2x UTC.
        assert_eq!(
            uuid7_millis("ducklake-01a20ce2-fdbf-781a-891a-60600b3935a1.parquet"),
            Some(0x01a2_0ce2_fdbf)
        );
        assert_eq!(
            uuid7_millis("ducklake-01a20ce2-fdbf-481a-891a-60600b3935a1.parquet"),
            None
        );
        assert_eq!(uuid7_millis("other.parquet"), None);
    }
}
