//! CancelRequest: a second connection names a session by its (pid, secret key) from
//! BackendKeyData; the session's running DuckDB queries are interrupted and the statement fails
//! with SQLSTATE 57014. pgwire's own cancel plumbing only drops a future, which would leave DuckDB
//! running, hence this registry of the sessions' interrupt handles.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use async_trait::async_trait;
use pgwire::api::cancel::CancelHandler;
use pgwire::messages::cancel::CancelRequest;

use super::Shared;
use crate::session::stream::CancelState;

/// A registered session: its secret key and its cancel state.
type Entry = (Vec<u8>, Weak<CancelState>);

/// Sessions that can be cancelled, by backend pid.
#[derive(Default)]
pub struct Registry {
    sessions: Mutex<HashMap<i32, Entry>>,
}

impl Registry {
    /// Registers a session; the returned guard unregisters it when the connection ends.
    pub fn register(
        self: &Arc<Self>,
        pid: i32,
        secret: Vec<u8>,
        state: &Arc<CancelState>,
    ) -> Registration {
        self.sessions
            .lock()
            .expect("cancel registry")
            .insert(pid, (secret, Arc::downgrade(state)));
        Registration {
            registry: Arc::downgrade(self),
            pid,
        }
    }

    /// Cancels the session if the secret matches (a wrong secret is ignored, as in PostgreSQL).
    pub fn cancel(&self, pid: i32, secret: &[u8]) -> bool {
        let target = {
            let sessions = self.sessions.lock().expect("cancel registry");
            sessions
                .get(&pid)
                .filter(|(s, _)| s.as_slice() == secret)
                .and_then(|(_, w)| w.upgrade())
        };
        match target {
            Some(state) => {
                state.cancel(1);
                true
            }
            None => false,
        }
    }
}

pub struct Registration {
    registry: Weak<Registry>,
    pid: i32,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(r) = self.registry.upgrade() {
            r.sessions
                .lock()
                .expect("cancel registry")
                .remove(&self.pid);
        }
    }
}

pub struct Canceller {
    shared: Arc<Shared>,
}

impl Canceller {
    pub fn new(shared: Arc<Shared>) -> Self {
        Canceller { shared }
    }
}

#[async_trait]
impl CancelHandler for Canceller {
    async fn on_cancel_request(&self, request: CancelRequest) {
        let secret = request.secret_key.to_bytes();
        let found = self.shared.cancels.cancel(request.pid, &secret);
        tracing::info!(pid = request.pid, found, "cancel request");
    }
}
