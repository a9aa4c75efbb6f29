//! The idle-session timeout (`[server] idle_session_timeout`): a session that sends nothing for
//! that long is closed, as PostgreSQL does (FATAL 57P05), so forgotten notebooks do not hold
//! connection slots forever. pgwire's message loop owns the socket and has no read timeout, so
//! the watchdog keeps a duplicate of the socket's descriptor and shuts the connection down.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

/// Activity of every watched connection, by peer address.
#[derive(Default)]
pub struct Watches {
    map: Mutex<HashMap<SocketAddr, Arc<Activity>>>,
}

pub struct Activity {
    started: Instant,
    /// Milliseconds since `started` of the last message.
    last: AtomicU64,
    /// A statement is running or streaming: never idle.
    busy: AtomicBool,
    /// The connection negotiated TLS: raw bytes cannot be written to it.
    tls: AtomicBool,
}

impl Activity {
    fn touch(&self) {
        self.last
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl Watches {
    /// Marks the start (`busy = true`) or end of the handling of a client message.
    pub fn activity(&self, peer: SocketAddr, busy: bool, tls: bool) {
        if let Some(a) = self.map.lock().expect("watches").get(&peer) {
            a.touch();
            a.busy.store(busy, Ordering::Relaxed);
            a.tls.store(tls, Ordering::Relaxed);
        }
    }
}

/// Stops watching when dropped (the connection ended).
pub struct WatchGuard {
    watches: Arc<Watches>,
    peer: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        self.task.abort();
        self.watches.map.lock().expect("watches").remove(&self.peer);
    }
}

/// Starts watching a connection; `None` when the timeout is off or the socket cannot be
/// duplicated (then the connection simply has no idle timeout).
pub fn watch(socket: &TcpStream, timeout: Duration, watches: &Arc<Watches>) -> Option<WatchGuard> {
    if timeout.is_zero() {
        return None;
    }
    let peer = socket.peer_addr().ok()?;
    let fd = socket.as_fd().try_clone_to_owned().ok()?;
    let mut stream = std::net::TcpStream::from(fd);
    let activity = Arc::new(Activity {
        started: Instant::now(),
        last: AtomicU64::new(0),
        busy: AtomicBool::new(false),
        tls: AtomicBool::new(false),
    });
    watches
        .map
        .lock()
        .expect("watches")
        .insert(peer, activity.clone());
    let task = tokio::spawn(async move {
        loop {
            let last = Duration::from_millis(activity.last.load(Ordering::Relaxed));
            let idle = activity.started.elapsed().saturating_sub(last);
            if idle < timeout || activity.busy.load(Ordering::Relaxed) {
                tokio::time::sleep(timeout.saturating_sub(idle).max(Duration::from_secs(1))).await;
                continue;
            }
            tracing::info!(%peer, "closing an idle session");
            if !activity.tls.load(Ordering::Relaxed) {
                let _ = stream.write_all(&fatal_message(
                    "57P05",
                    "terminating connection due to idle-session timeout",
                ));
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    });
    Some(WatchGuard {
        watches: watches.clone(),
        peer,
        task,
    })
}

/// An ErrorResponse message, encoded by hand because the connection's encoder is busy in
/// pgwire's loop.
fn fatal_message(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', code),
        (b'M', message),
    ] {
        body.push(field);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut out = vec![b'E'];
    out.extend_from_slice(&((body.len() + 4) as i32).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_message_framing() {
        let m = super::fatal_message("57P05", "x");
        assert_eq!(m[0], b'E');
        let len = i32::from_be_bytes([m[1], m[2], m[3], m[4]]) as usize;
        assert_eq!(len + 1, m.len());
        assert_eq!(*m.last().unwrap(), 0);
    }
}
