//! S3 credentials: taken from the standard AWS chain through `aws-config` (environment, profiles,
//! SSO, instance roles) and handed to DuckDB as a secret. Never read from the config file, never
//! printed or logged.

use std::time::SystemTime;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;

use crate::config::S3Config;

#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error(
        "no AWS credentials found for S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
         configure a profile ([s3] profile), or run where an instance role is available ({0})"
    )]
    NoCredentials(String),
}

/// Credentials for one DuckDB secret. `Debug` is hand-written so a stray `{:?}` cannot leak them.
#[derive(Clone)]
pub struct S3Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// When temporary credentials stop working; the server refreshes the secret before then.
    pub expiry: Option<SystemTime>,
}

impl std::fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Credentials")
            .field("access_key_id", &"<redacted>")
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The AWS SDK configuration for `[s3]`: the region and profile from the config file, everything
/// else from the environment.
pub async fn sdk_config(s3: &S3Config) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &s3.profile {
        loader = loader.profile_name(profile);
    }
    let region = s3.region.clone().or_else(|| {
        // An S3-compatible server without a region setting still needs one for signing.
        s3.endpoint.as_ref().map(|_| "us-east-1".to_string())
    });
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    loader.load().await
}

pub async fn credentials(sdk: &SdkConfig) -> Result<S3Credentials, S3Error> {
    let provider = sdk
        .credentials_provider()
        .ok_or_else(|| S3Error::NoCredentials("no credential provider".into()))?;
    let creds = provider
        .provide_credentials()
        .await
        .map_err(|e| S3Error::NoCredentials(e.to_string()))?;
    Ok(S3Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().map(str::to_string),
        expiry: creds.expiry(),
    })
}

/// The `CREATE SECRET` statement for DuckDB's httpfs. Holds the secret: never log it.
pub fn create_secret_sql(
    name: &str,
    s3: &S3Config,
    region: Option<&str>,
    creds: &S3Credentials,
) -> String {
    let q = |s: &str| s.replace('\'', "''");
    let mut sql = format!(
        "CREATE OR REPLACE SECRET {name} (TYPE s3, PROVIDER config, KEY_ID '{}', SECRET '{}'",
        q(&creds.access_key_id),
        q(&creds.secret_access_key)
    );
    if let Some(token) = &creds.session_token {
        sql.push_str(&format!(", SESSION_TOKEN '{}'", q(token)));
    }
    if let Some(region) = region {
        sql.push_str(&format!(", REGION '{}'", q(region)));
    }
    if let Some(endpoint) = &s3.endpoint {
        sql.push_str(&format!(", ENDPOINT '{}'", q(endpoint)));
    }
    sql.push_str(&format!(
        ", URL_STYLE '{}', USE_SSL {})",
        s3.url_style.as_str(),
        s3.use_ssl
    ));
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::UrlStyle;

    #[test]
    fn secret_sql_quotes_and_covers_the_options() {
        let s3 = S3Config {
            region: Some("garage".into()),
            endpoint: Some("127.0.0.1:3900".into()),
            url_style: UrlStyle::Path,
            use_ssl: false,
            profile: None,
        };
        let creds = S3Credentials {
            access_key_id: "GK1".into(),
            secret_access_key: "se'cret".into(),
            session_token: None,
            expiry: None,
        };
        let sql = create_secret_sql("s", &s3, Some("garage"), &creds);
        assert!(sql.contains("SECRET 'se''cret'"), "{sql}");
        assert!(sql.contains("ENDPOINT '127.0.0.1:3900'"));
        assert!(sql.contains("URL_STYLE 'path', USE_SSL false"));
        assert!(!format!("{creds:?}").contains("cret"));
    }
}
