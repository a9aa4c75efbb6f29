//! The command line: what each command takes, and help text that teaches. Parsing only; the work
//! is done by the modules each command names.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "lakegate",
    version,
    about = "Publish curated DuckDB tables to a DuckLake data lake, and serve it read-only over the PostgreSQL wire protocol.",
    long_about = "lakegate publishes the tables and views of a local DuckDB file (with every table and \
column COMMENT) into a DuckLake catalogue whose data are parquet files in a folder or on S3, keeps a \
pins board in sync for offline reading from R and Python, and serves the lake read-only to any \
PostgreSQL client (psql, R DBI, psycopg, SQLAlchemy, pandas, ODBC).\n\n\
With no configuration file the embedded default applies: catalogue lake/catalog.sqlite, data in \
lake/data/, pins in lake/pins/, server on 127.0.0.1:5433 with trust authentication.",
    after_help = "Examples:\n  \
lakegate sample sample.duckdb                  # write the bundled sample source\n  \
lakegate publish --source sample.duckdb        # publish it into ./lake\n  \
lakegate serve                                 # then: psql -h 127.0.0.1 -p 5433 -d lake\n  \
lakegate catalogue search deprivation          # find datasets by meaning\n\n\
Logs go to stderr; set LAKEGATE_LOG (e.g. LAKEGATE_LOG=debug) to change the level."
)]
pub struct Cli {
    /// TOML configuration file [env: LAKEGATE_CONFIG; default: the embedded set-up]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish the tables and views of a local DuckDB file into the lake, in one snapshot
    #[command(
        long_about = "Publish every table and view of the source DuckDB file (all schemas) \
into the lake in ONE DuckLake snapshot, with every table, view and column comment, then write the \
changed tables to the pins board.\n\n\
Only what changed is written: each table's fingerprint (schema, comments and a content hash \
computed by DuckDB) is kept in the lake, so a re-publish of unchanged data writes no file. Tables \
removed from the source are removed from the lake. If anything fails (a bad table, S3 down, \
Ctrl-C) nothing is committed and the lake stays exactly as it was."
    )]
    Publish(PublishArgs),

    /// Serve the lake read-only over the PostgreSQL wire protocol
    #[command(
        long_about = "Serve the lake to PostgreSQL clients. Queries use DuckDB's SQL \
dialect over the lake's tables by their plain names (deprivation_index, boundaries.la_2023). \
Every session is read-only: a statement allow-list, DuckDB's sandbox and a read-only attachment \
each refuse writes on their own. A publish that lands while the server runs is visible to new \
transactions without a restart."
    )]
    Serve,

    /// Discover datasets: list, search and describe tables and their columns
    #[command(subcommand)]
    Catalogue(CatalogueCommand),

    /// Manage the users allowed to connect (SCRAM-SHA-256)
    #[command(subcommand)]
    User(UserCommand),

    /// Write the bundled sample source: a small regional-statistics DuckDB file with comments
    Sample {
        /// The DuckDB file to create (it must not exist yet)
        path: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The source DuckDB file [default: [publish] source from the config]
    #[arg(long, value_name = "PATH")]
    pub source: Option<PathBuf>,

    /// Publish only this table (`name` for schema main, or `schema.name`); repeatable.
    /// Tables not named are left as they are, and nothing is removed.
    #[arg(long = "table", value_name = "NAME")]
    pub tables: Vec<String>,

    /// Print the plan (new, changed, unchanged and removed tables, rows, bytes) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Stored as the snapshot's commit message
    #[arg(long, value_name = "TEXT")]
    pub message: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// List every published table and view with its description
    List(FormatArg),
    /// Search dataset and column names and descriptions
    Search {
        /// Words to look for, e.g. "deprivation decile"
        term: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Show a table's description and every column with its type and description
    Describe {
        /// `name` for schema main, or `schema.name`
        table: String,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Prompt for a password and print the config entry for NAME (the password is not stored)
    #[command(
        long_about = "Prompt for a password (twice) and print the line to add under \
[users] in the config file: a SCRAM-SHA-256 verifier (salt, iteration count, stored and server \
keys). The password itself is never written anywhere. Reads the password from stdin when it is \
not a terminal."
    )]
    Add {
        name: String,
        /// PBKDF2 iterations for the verifier
        #[arg(long, default_value_t = 4096)]
        iterations: u32,
    },
}
