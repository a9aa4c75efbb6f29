//! A session's DuckDB connections. A session normally uses one; every open cursor or suspended
//! portal streams on a connection of its own (DuckDB runs one statement per connection), taken
//! from and returned to this small per-session pool. Each connection keeps recently prepared
//! statements (clients repeat their queries) and knows which generation of the session's
//! settings it has applied.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::error::SqlError;
use crate::lake::duck::{self, Database, Prepared};

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;
/// Idle connections kept per session (more are opened for many open cursors, then closed).
const IDLE_CONNECTIONS: usize = 4;

pub struct PooledConn {
    conn: duck::Connection,
    cache: VecDeque<(String, Prepared)>,
    applied: u64,
}

impl PooledConn {
    pub fn conn(&self) -> &duck::Connection {
        &self.conn
    }

    /// A prepared statement for `sql`: from the cache, or prepared now.
    pub fn prepare_cached(&mut self, sql: &str) -> Result<Prepared, SqlError> {
        if let Some(i) = self.cache.iter().position(|(s, _)| s == sql) {
            let (_, p) = self.cache.remove(i).expect("index is in range");
            return Ok(p);
        }
        self.conn.prepare(sql).map_err(SqlError::from)
    }

    /// Returns a statement to the cache after use.
    pub fn keep(&mut self, sql: String, prepared: Prepared) {
        if self.cache.len() >= STATEMENT_CACHE {
            self.cache.pop_front();
        }
        self.cache.push_back((sql, prepared));
    }
}

/// Applies the session's settings to a connection (`SET TimeZone`, `SET search_path`).
pub struct SettingsSql {
    pub generation: u64,
    pub sql: String,
}

pub struct Pool {
    database: Arc<Database>,
    idle: Arc<Mutex<Vec<PooledConn>>>,
    /// Run once on every new connection (default catalogue and schema).
    init_sql: String,
}

impl Pool {
    pub fn new(database: Arc<Database>, init_sql: String) -> Pool {
        Pool {
            database,
            idle: Arc::new(Mutex::new(Vec::new())),
            init_sql,
        }
    }

    /// A connection with the session's current settings applied.
    pub fn take(&self, settings: &SettingsSql) -> Result<PooledConn, SqlError> {
        let reused = self.idle.lock().expect("pool").pop();
        let mut conn = match reused {
            Some(c) => c,
            None => {
                let conn = self.database.connect().map_err(SqlError::from)?;
                conn.execute_batch(&self.init_sql).map_err(SqlError::from)?;
                PooledConn {
                    conn,
                    cache: VecDeque::new(),
                    applied: 0,
                }
            }
        };
        if conn.applied != settings.generation {
            conn.conn
                .execute_batch(&settings.sql)
                .map_err(SqlError::from)?;
            // Statements were bound under the old search path and time zone.
            conn.cache.clear();
            conn.applied = settings.generation;
        }
        Ok(conn)
    }

    /// Gives a connection back (from any thread).
    pub fn give_back(&self, conn: PooledConn) {
        Self::return_to(&self.idle, conn);
    }

    /// A closure that returns a connection to this pool, for producers on other threads.
    pub fn returner(&self) -> Box<dyn FnOnce(PooledConn) + Send> {
        let idle = self.idle.clone();
        Box::new(move |conn| Self::return_to(&idle, conn))
    }

    fn return_to(idle: &Mutex<Vec<PooledConn>>, conn: PooledConn) {
        let mut idle = idle.lock().expect("pool");
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(conn);
        }
    }
}
