//! The PostgreSQL wire protocol, on pgwire and tokio. The server never writes the lake.
//!
//! - [`startup`]: database name, TLS requirement, connection limit, trust or SCRAM-SHA-256,
//!   ParameterStatus, BackendKeyData; creates the [`crate::session::Session`].
//! - [`query`]: the simple and extended query protocols, streaming rows from the session to the
//!   socket (pgwire's default extended path buffers whole results; ours does not).
//! - [`cancel`]: CancelRequest → the session's running DuckDB queries are interrupted.
//! - [`tls`] — rustls.
//! - [`watchdog`]: idle-session timeout.
//!
//! One pgwire connection task per client; DuckDB work runs on blocking threads, so a slow
//! query never stalls another session.

pub mod cancel;
pub mod query;
pub mod startup;
pub mod tls;
pub mod watchdog;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use anyhow::Context;
use pgwire::api::PgWireServerHandlers;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::lake::{Access, Lake};
use crate::session::{SessionContext, guard::Guard};
use crate::users::Verifier;

/// What every connection shares.
pub struct Shared {
    pub ctx: Arc<SessionContext>,
    pub database_name: String,
    /// SCRAM verifiers by user; empty = trust authentication (loopback only).
    pub users: BTreeMap<String, Verifier>,
    pub require_tls: bool,
    /// The server certificate (PEM), for SCRAM channel binding on TLS connections.
    pub certificate: Option<Vec<u8>>,
    pub max_connections: usize,
    pub active: AtomicUsize,
    pub cancels: Arc<cancel::Registry>,
    pub idle_timeout: std::time::Duration,
    pub watches: Arc<watchdog::Watches>,
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let creds = crate::commands::s3_credentials(&config).await?;
    let database_name = config.server.database.clone();
    let lake = Lake::open(&config, Access::ReadOnly, &database_name, creds.as_ref())?;
    crate::pgcatalog::install(&lake).context("installing the PostgreSQL catalogue")?;
    crate::catalogue::install(&lake).context("installing the discovery catalogue")?;
    lake.lock_down().context("locking down DuckDB")?;

    let mut users = BTreeMap::new();
    for (name, text) in &config.users {
        let v = Verifier::parse(text).with_context(|| format!("[users] {name}"))?;
        users.insert(name.clone(), v);
    }
    let tls = tls::acceptor(&config)?;
    let certificate = match config.tls_files()? {
        Some((cert, _)) => Some(std::fs::read(cert)?),
        None => None,
    };
    let mut setting_defaults = Vec::new();
    if !config.server.statement_timeout.is_zero() {
        setting_defaults.push((
            "statement_timeout",
            config.server.statement_timeout.as_millis().to_string(),
        ));
    }
    let ctx = Arc::new(SessionContext {
        database: lake.database().clone(),
        guard: Guard::default(),
        lake: database_name.clone(),
        catalogue: crate::pgcatalog::Catalogue::new(),
        setting_defaults,
        max_connections: config.server.max_connections,
    });
    let shared = Arc::new(Shared {
        ctx,
        database_name: database_name.clone(),
        users,
        require_tls: config.server.require_tls,
        certificate,
        max_connections: config.server.max_connections,
        active: AtomicUsize::new(0),
        cancels: Arc::new(cancel::Registry::default()),
        idle_timeout: config.server.idle_session_timeout,
        watches: Arc::new(watchdog::Watches::default()),
    });
    let lake = Arc::new(std::sync::Mutex::new(lake));
    spawn_credential_refresh(&config, lake.clone(), creds.as_ref());

    let listener = TcpListener::bind(config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(
        %addr,
        database = %database_name,
        tls = tls.is_some(),
        auth = if shared.users.is_empty() { "trust" } else { "scram-sha-256" },
        "lakegate is serving the lake read-only"
    );
    println!(
        "lakegate is serving the lake on {addr}. Connect with:\n  psql -h {} -p {} -U {} -d {database_name}",
        addr.ip(),
        addr.port(),
        shared
            .users
            .keys()
            .next()
            .map(String::as_str)
            .unwrap_or("analyst"),
    );

    let handlers = Arc::new(Handlers {
        startup: Arc::new(startup::Startup::new(shared.clone())),
        query: Arc::new(query::QueryHandler::new(shared.clone())),
        cancel: Arc::new(cancel::Canceller::new(shared.clone())),
    });
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (socket, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        continue;
                    }
                };
                let handlers = handlers.clone();
                let tls = tls.clone();
                let shared = shared.clone();
                tokio::spawn(async move {
                    let watch = watchdog::watch(&socket, shared.idle_timeout, &shared.watches);
                    let result = pgwire::tokio::process_socket(socket, tls, handlers).await;
                    drop(watch);
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                });
            }
            _ = &mut shutdown => {
                tracing::info!("shutting down");
                break;
            }
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// Temporary AWS credentials (SSO, instance roles) expire: renew the DuckDB secret before then.
fn spawn_credential_refresh(
    config: &Config,
    lake: Arc<std::sync::Mutex<Lake>>,
    creds: Option<&crate::lake::S3Credentials>,
) {
    let Some(expiry) = creds.and_then(|c| c.expiry) else {
        return;
    };
    let s3 = config.s3.clone();
    tokio::spawn(async move {
        let mut expiry = expiry;
        loop {
            let wait = expiry
                .duration_since(std::time::SystemTime::now())
                .unwrap_or_default()
                .saturating_sub(std::time::Duration::from_secs(300))
                .max(std::time::Duration::from_secs(30));
            tokio::time::sleep(wait).await;
            let sdk = crate::lake::s3::sdk_config(&s3).await;
            match crate::lake::s3::credentials(&sdk).await {
                Ok(fresh) => {
                    if let Err(e) = lake.lock().expect("lake").set_s3_credentials(&fresh) {
                        tracing::warn!(error = %e, "refreshing the S3 secret failed");
                    }
                    match fresh.expiry {
                        Some(next) => expiry = next,
                        None => return,
                    }
                }
                Err(e) => tracing::warn!(error = %e, "refreshing S3 credentials failed"),
            }
        }
    });
}

struct Handlers {
    startup: Arc<startup::Startup>,
    query: Arc<query::QueryHandler>,
    cancel: Arc<cancel::Canceller>,
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl pgwire::api::query::SimpleQueryHandler> {
        self.query.clone()
    }

    fn extended_query_handler(&self) -> Arc<impl pgwire::api::query::ExtendedQueryHandler> {
        self.query.clone()
    }

    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.startup.clone()
    }

    fn cancel_handler(&self) -> Arc<impl pgwire::api::cancel::CancelHandler> {
        self.cancel.clone()
    }

    fn error_handler(&self) -> Arc<impl pgwire::api::ErrorHandler> {
        Arc::new(LogErrors)
    }
}

/// Logs connection-level errors; a failed connection is never fatal to the server.
struct LogErrors;

impl pgwire::api::ErrorHandler for LogErrors {
    fn on_error<C>(&self, client: &C, error: &mut pgwire::error::PgWireError)
    where
        C: pgwire::api::ClientInfo,
    {
        tracing::debug!(peer = %client.socket_addr(), error = %error, "protocol error");
    }
}
