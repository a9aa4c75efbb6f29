//! Connection start-up: checks before authentication (TLS required, the database name, the
//! connection limit), trust or SCRAM-SHA-256 authentication, then the session, its
//! ParameterStatus values and BackendKeyData.
//!
//! SCRAM uses stored verifiers only (no password is kept anywhere). Channel binding
//! (SCRAM-SHA-256-PLUS) is offered only on TLS connections: libpq refuses a plaintext server
//! that offers it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::auth::driver::AuthOutcome;
use pgwire::api::auth::mechanism::AuthMechanismFactory;
use pgwire::api::auth::sasl::scram::{ScramAuth, ScramSecret};
use pgwire::api::auth::{
    AuthDriver, AuthSource, LoginInfo, Password, ServerParameterProvider, StartupHandler,
    protocol_negotiation, save_startup_parameters_to_metadata,
};
use pgwire::api::{ClientInfo, METADATA_DATABASE, METADATA_USER};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};

use super::Shared;
use super::query::SessionHandle;
use crate::session::Session;
use crate::session::error::{SqlError, code};

/// The session's reported parameters, stored before authentication completes so the
/// parameter provider (which only sees `ClientInfo`) can send them.
struct StartupParameters(Vec<(String, String)>);

/// Holds a connection slot until the connection ends.
pub struct ConnectionSlot(Arc<Shared>);

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Startup {
    shared: Arc<Shared>,
    driver: AuthDriver<Parameters>,
    scram_plain: Option<Arc<dyn AuthMechanismFactory>>,
    scram_tls: Option<Arc<dyn AuthMechanismFactory>>,
}

impl Startup {
    pub fn new(shared: Arc<Shared>) -> Self {
        let (scram_plain, scram_tls) = if shared.users.is_empty() {
            (None, None)
        } else {
            let source = Arc::new(Verifiers(shared.clone()));
            let plain: Arc<dyn AuthMechanismFactory> = Arc::new(ScramAuth::new(source.clone()));
            let tls: Option<Arc<dyn AuthMechanismFactory>> =
                shared.certificate.as_ref().map(|pem| {
                    let mut auth = ScramAuth::new(source);
                    if let Err(e) = auth.configure_certificate(pem) {
                        tracing::warn!(error = %e, "SCRAM channel binding is not available");
                    }
                    Arc::new(auth) as Arc<dyn AuthMechanismFactory>
                });
            (Some(plain.clone()), tls.or(Some(plain)))
        };
        Startup {
            shared,
            driver: AuthDriver::new(Parameters),
            scram_plain,
            scram_tls,
        }
    }

    /// Everything checked before authentication; errors here end the connection (FATAL).
    fn admit<C: ClientInfo>(&self, client: &C) -> Result<ConnectionSlot, SqlError> {
        if self.shared.require_tls && !client.is_secure() {
            return Err(SqlError::fatal(
                code::INVALID_AUTHORIZATION,
                "this server requires TLS: connect with sslmode=require (or verify-full)",
            ));
        }
        let user = client
            .metadata()
            .get(METADATA_USER)
            .cloned()
            .unwrap_or_default();
        if user.is_empty() {
            return Err(SqlError::fatal(
                code::INVALID_AUTHORIZATION,
                "no PostgreSQL user name specified in startup packet",
            ));
        }
        // PostgreSQL's default database name is the user name.
        let database = client
            .metadata()
            .get(METADATA_DATABASE)
            .cloned()
            .unwrap_or_else(|| user.clone());
        if database != self.shared.database_name {
            return Err(SqlError::fatal(
                code::INVALID_CATALOG_NAME,
                format!("database \"{database}\" does not exist"),
            )
            .with_hint(format!(
                "This server serves one lake, database \"{}\".",
                self.shared.database_name
            )));
        }
        let active = self.shared.active.fetch_add(1, Ordering::SeqCst) + 1;
        let slot = ConnectionSlot(self.shared.clone());
        if active > self.shared.max_connections {
            return Err(SqlError::fatal(
                code::TOO_MANY_CONNECTIONS,
                "sorry, too many clients already",
            ));
        }
        Ok(slot)
    }

    /// Creates the session and registers it for cancel requests; then completes start-up.
    async fn finish<C>(
        &self,
        client: &mut C,
        final_message: Option<pgwire::messages::startup::Authentication>,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let user = client
            .metadata()
            .get(METADATA_USER)
            .cloned()
            .unwrap_or_default();
        let startup: BTreeMap<String, String> = client
            .metadata()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let ctx = self.shared.ctx.clone();
        let secure = client.is_secure();
        let session =
            tokio::task::spawn_blocking(move || Session::new(ctx, &user, &startup, secure))
                .await
                .map_err(|e| PgWireError::ApiError(Box::new(e)))?
                .map_err(fatal)?;
        client
            .session_extensions()
            .insert(StartupParameters(session.settings.reported()));
        let cancel_state = session.cancel.clone();
        let handle = Arc::new(SessionHandle::new(session));
        client.session_extensions().insert(handle);
        self.driver
            .complete_authentication(client, final_message)
            .await?;
        let (pid, secret) = client.pid_and_secret_key();
        let registration =
            self.shared
                .cancels
                .register(pid, secret.to_bytes().to_vec(), &cancel_state);
        client.session_extensions().insert(registration);
        tracing::debug!(peer = %client.socket_addr(), pid, "session started");
        Ok(())
    }
}

fn fatal(e: SqlError) -> PgWireError {
    let mut info = ErrorInfo::new("FATAL".to_string(), e.code.to_string(), e.message);
    info.detail = e.detail;
    info.hint = e.hint;
    PgWireError::UserError(Box::new(info))
}

#[async_trait]
impl StartupHandler for Startup {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match message {
            PgWireFrontendMessage::Startup(ref startup) => {
                protocol_negotiation(client, startup).await?;
                save_startup_parameters_to_metadata(client, startup);
                let slot = self.admit(client).map_err(fatal)?;
                client.session_extensions().insert(slot);
                let factory = if client.is_secure() {
                    &self.scram_tls
                } else {
                    &self.scram_plain
                };
                match factory {
                    None => self.finish(client, None).await,
                    Some(f) => match self.driver.begin_authentication(client, f.create()).await? {
                        AuthOutcome::InProgress => Ok(()),
                        AuthOutcome::Authenticated { final_message, .. } => {
                            self.finish(client, final_message).await
                        }
                    },
                }
            }
            PgWireFrontendMessage::PasswordMessageFamily(message) => {
                match self.driver.advance_authentication(client, message).await {
                    Ok(AuthOutcome::InProgress) => Ok(()),
                    Ok(AuthOutcome::Authenticated { final_message, .. }) => {
                        self.finish(client, final_message).await
                    }
                    Err(e) => {
                        let user = client
                            .metadata()
                            .get(METADATA_USER)
                            .cloned()
                            .unwrap_or_default();
                        tracing::warn!(peer = %client.socket_addr(), user, "authentication failed");
                        Err(match e {
                            PgWireError::InvalidPassword(_)
                            | PgWireError::InvalidScramMessage(_) => fatal(SqlError::fatal(
                                code::INVALID_PASSWORD,
                                format!("password authentication failed for user \"{user}\""),
                            )),
                            other => other,
                        })
                    }
                }
            }
            _ => Ok(()),
        }
    }
}

/// SCRAM verifiers from the config; an unknown user fails like a wrong password.
#[derive(Debug)]
struct Verifiers(Arc<Shared>);

impl Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("database", &self.database_name)
            .finish()
    }
}

#[async_trait]
impl AuthSource for Verifiers {
    async fn get_password(&self, login: &LoginInfo) -> PgWireResult<Password> {
        Err(PgWireError::InvalidPassword(
            login.user().unwrap_or_default().to_string(),
        ))
    }

    async fn get_scram_secret(&self, login: &LoginInfo) -> PgWireResult<(ScramSecret, Option<()>)> {
        let user = login.user().unwrap_or_default();
        match self.0.users.get(user) {
            Some(v) => Ok((v.to_secret(), None)),
            None => Err(PgWireError::InvalidPassword(user.to_string())),
        }
    }
}

/// ParameterStatus at start-up: the session's reported parameters.
struct Parameters;

impl ServerParameterProvider for Parameters {
    fn server_parameters<C>(&self, client: &C) -> Option<HashMap<String, String>>
    where
        C: ClientInfo,
    {
        client
            .session_extensions()
            .get::<StartupParameters>()
            .map(|p| p.0.iter().cloned().collect())
    }
}
