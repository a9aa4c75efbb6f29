//! Users and their SCRAM-SHA-256 verifiers, in PostgreSQL's own format
//! (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64), so an entry can be
//! copied from or compared with `pg_authid.rolpassword`. Only the verifier is stored: the
//! password cannot be recovered from it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use pgwire::api::auth::sasl::scram::{ScramSecret, gen_salted_password};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifier {
    pub iterations: usize,
    pub salt: Vec<u8>,
    pub stored_key: Vec<u8>,
    pub server_key: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "not a SCRAM-SHA-256 verifier (expected SCRAM-SHA-256$<iterations>:<salt>$<stored key>:<server key>)"
)]
pub struct BadVerifier;

impl Verifier {
    /// Derives the verifier of `password` with a given salt.
    pub fn derive(password: &str, salt: &[u8], iterations: usize) -> Verifier {
        let salted = gen_salted_password(password, salt, iterations);
        match ScramSecret::verifier_from_salted_password(salt.to_vec(), salted, iterations) {
            ScramSecret::Verifier {
                salt,
                iterations,
                stored_key,
                server_key,
            } => Verifier {
                iterations,
                salt,
                stored_key,
                server_key,
            },
            ScramSecret::SaltedPassword { .. } => unreachable!("asked for a verifier"),
        }
    }

    /// A new verifier with a random 16-byte salt (PostgreSQL's length).
    pub fn generate(password: &str, iterations: usize) -> Verifier {
        let salt: [u8; 16] = rand::random();
        Verifier::derive(password, &salt, iterations)
    }

    pub fn parse(text: &str) -> Result<Verifier, BadVerifier> {
        let rest = text.strip_prefix("SCRAM-SHA-256$").ok_or(BadVerifier)?;
        let (params, keys) = rest.split_once('$').ok_or(BadVerifier)?;
        let (iterations, salt) = params.split_once(':').ok_or(BadVerifier)?;
        let (stored, server) = keys.split_once(':').ok_or(BadVerifier)?;
        let decode = |s: &str| B64.decode(s).map_err(|_| BadVerifier);
        Ok(Verifier {
            iterations: iterations.parse().map_err(|_| BadVerifier)?,
            salt: decode(salt)?,
            stored_key: decode(stored)?,
            server_key: decode(server)?,
        })
    }

    pub fn to_secret(&self) -> ScramSecret {
        ScramSecret::Verifier {
            salt: self.salt.clone(),
            iterations: self.iterations,
            stored_key: self.stored_key.clone(),
            server_key: self.server_key.clone(),
        }
    }
}

impl std::fmt::Display for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SCRAM-SHA-256${}:{}${}:{}",
            self.iterations,
            B64.encode(&self.salt),
            B64.encode(&self.stored_key),
            B64.encode(&self.server_key)
        )
    }
}

/// Reads a password: prompted twice on a terminal, one line from stdin otherwise.
pub fn read_password(name: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: "))?;
        let second = rpassword::prompt_password("Again: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        anyhow::ensure!(!first.is_empty(), "the password is empty");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        anyhow::ensure!(!password.is_empty(), "no password on stdin");
        Ok(password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A verifier produced by PostgreSQL 15 itself (`SET password_encryption =
    /// 'scram-sha-256'; CREATE ROLE u PASSWORD 'pencil'`, then `pg_authid.rolpassword`).
    const POSTGRES_VERIFIER: &str = "SCRAM-SHA-256$4096:2mms9K/A6MtNrnOymMrnvA==$DK8a40xcf/NoYjNDUTQLh1RpUsQsFgrHgn7PSDBQrAk=:TlDnorAy4C23OkVLZxCRTGD0j/EDGlSoUJgS/dRqKSE=";

    #[test]
    fn matches_postgres_derivation() {
        let pg = Verifier::parse(POSTGRES_VERIFIER).unwrap();
        let ours = Verifier::derive("pencil", &pg.salt, pg.iterations);
        assert_eq!(ours, pg);
        assert_eq!(ours.to_string(), POSTGRES_VERIFIER);
    }

    #[test]
    fn round_trips_and_rejects_garbage() {
        let v = Verifier::generate("secret", 4096);
        assert_eq!(Verifier::parse(&v.to_string()).unwrap(), v);
        assert_eq!(v.salt.len(), 16);
        assert!(Verifier::parse("md5abcdef").is_err());
        assert!(Verifier::parse("SCRAM-SHA-256$x:y$z").is_err());
    }
}
