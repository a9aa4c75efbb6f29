//! Logging with `tracing`, to stderr, filtered by `LAKEGATE_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

pub const LOG_ENV: &str = "LAKEGATE_LOG";

pub fn init() {
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
