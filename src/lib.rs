//! lakegate: publish curated DuckDB tables into a DuckLake data lake (with pins for offline
//! reading), and serve that lake read-only over the PostgreSQL wire protocol.
//!
//! # Layout
//!
//! A query's way: socket → [`server`] (pgwire handlers: startup, auth, TLS, cancel, simple and
//! extended protocol) → [`session`] (the client's DuckDB connection, its settings and
//! transaction state, the statement hooks and the read-only guard) → [`pgcatalog`] (rewrites
//! client SQL that names PostgreSQL's catalogue) → DuckDB ([`lake`]) → [`encode`] (Arrow
//! values → PostgreSQL text and binary) → socket.
//!
//! A publish's way: source DuckDB file → [`publish`] (inventory, fingerprints, plan, one
//! snapshot) → [`lake`] → [`pins`] (the pins board) → [`catalogue`] (Data Package export).
//!
//! - [`config`]: the TOML file, embedded defaults, validation.
//! - [`lake`]: the DuckDB instance, extensions, S3 credentials, the DuckLake attachment, the sandbox.
//! - [`publish`]: plan by fingerprint, write one snapshot, progress.
//! - [`pins`]: the pins board writer (data.txt, versions, manifest) for R and Python `pins`.
//! - [`catalogue`]: discovery (datasets, columns, search) and the Data Package export.
//! - [`server`]: the PostgreSQL wire protocol on pgwire; never writes the lake.
//! - [`session`]: one client's state and its read-only guard.
//! - [`pgcatalog`]: `pg_catalog` / `information_schema` emulation: SQL views from `sql/` and
//!   parse-tree rewrite rules.
//! - [`encode`]: pure encoding of DuckDB/Arrow values into PostgreSQL OIDs, text and binary.
//! - [`commands`]: the glue behind each command-line command; [`cli`] parses the command line.

pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod encode;
pub mod lake;
pub mod logging;
pub mod pgcatalog;
pub mod pins;
pub mod publish;
pub mod sample;
pub mod server;
pub mod session;
pub mod users;

/// Arrow as the `duckdb` crate builds it (the encoder names it through this path).
pub(crate) use duckdb::arrow as arrow_compat;
