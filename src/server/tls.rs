//! TLS with rustls: `[server] tls_cert` and `tls_key` (PEM). With `require_tls`, the startup
//! handler refuses clients that did not negotiate it.

use std::sync::Arc;

use anyhow::Context;
use pgwire::tokio::TlsAcceptor;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::Config;

/// The acceptor, or `None` when TLS is not configured.
pub fn acceptor(config: &Config) -> anyhow::Result<Option<TlsAcceptor>> {
    let Some((cert_path, key_path)) = config.tls_files()? else {
        return Ok(None);
    };
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let certs = CertificateDer::pem_file_iter(&cert_path)
        .with_context(|| format!("cannot read tls_cert {}", cert_path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("tls_cert {} is not a PEM certificate", cert_path.display()))?;
    anyhow::ensure!(
        !certs.is_empty(),
        "tls_cert {} holds no certificate",
        cert_path.display()
    );
    let key = PrivateKeyDer::from_pem_file(&key_path).with_context(|| {
        format!(
            "tls_key {} is not a readable PEM private key",
            key_path.display()
        )
    })?;
    let mut server = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the TLS certificate and key do not match")?;
    server.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(Some(TlsAcceptor::from(Arc::new(server))))
}
