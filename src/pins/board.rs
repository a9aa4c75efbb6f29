//! Where a pins board lives: a local folder or an S3 prefix, and the few operations the writer
//! needs (list, read, publish a complete version, write the manifest, delete a version).
//!
//! The write protocol follows docs/pins-format.md §13, because neither R nor Python `pins` skips
//! a half-written newest version: a folder board gets each version staged beside the board and
//! renamed into place; an S3 board gets the parquet file first (a multipart upload is invisible
//! until complete), then `data.txt` at once, then the manifest.

use std::path::{Path, PathBuf};

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use tokio::io::AsyncReadExt;

use crate::config::Location;

pub const MANIFEST: &str = "_pins.yaml";
/// Multipart part size: S3 allows at most 10,000 parts, so 64 MiB parts carry files up to 640 GB.
const PART_SIZE: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("pins board {board}: {message}")]
    Io { board: String, message: String },
}

pub enum Board {
    Folder {
        root: PathBuf,
        /// Beside the board, on the same file system, never inside it: both readers list every
        /// entry of the board's root as a pin.
        staging: PathBuf,
    },
    S3 {
        client: Client,
        bucket: String,
        prefix: String,
    },
}

impl Board {
    pub fn open(location: &Location, client: Option<Client>) -> Result<Board, BoardError> {
        match location {
            Location::Folder(root) => {
                let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
                let name = root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "pins".into());
                let parent = root.parent().unwrap_or(Path::new("/")).to_path_buf();
                let staging = parent.join(format!(".{name}.lakegate-staging"));
                for dir in [&root, &staging] {
                    std::fs::create_dir_all(dir).map_err(|e| BoardError::Io {
                        board: location.to_string(),
                        message: format!("cannot create {}: {e}", dir.display()),
                    })?;
                }
                Ok(Board::Folder { root, staging })
            }
            Location::S3 { bucket, prefix } => Ok(Board::S3 {
                client: client.ok_or_else(|| BoardError::Io {
                    board: location.to_string(),
                    message: "no S3 client".into(),
                })?,
                bucket: bucket.clone(),
                prefix: prefix.clone(),
            }),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Board::Folder { root, .. } => root.display().to_string(),
            Board::S3 { bucket, prefix, .. } => format!("s3://{bucket}/{prefix}"),
        }
    }

    fn err(&self, message: impl std::fmt::Display) -> BoardError {
        BoardError::Io {
            board: self.describe(),
            message: message.to_string(),
        }
    }

    /// A local directory for staging a version's files before they are published.
    pub fn stage_dir(&self) -> Result<tempfile::TempDir, BoardError> {
        match self {
            Board::Folder { staging, .. } => tempfile::Builder::new()
                .prefix("stage-")
                .tempdir_in(staging)
                .map_err(|e| self.err(e)),
            Board::S3 { .. } => tempfile::Builder::new()
                .prefix("lakegate-pin-")
                .tempdir()
                .map_err(|e| self.err(e)),
        }
    }

    /// Removes what killed runs left in the folder board's staging directory (never inside the
    /// board itself), when older than `grace` so a concurrent writer's files are left alone.
    pub fn sweep_staging(&self, grace: std::time::Duration) -> usize {
        let Board::Folder { staging, .. } = self else {
            return 0;
        };
        let Ok(entries) = std::fs::read_dir(staging) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= grace);
            if !old {
                continue;
            }
            let path = entry.path();
            let gone = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            match gone {
                Ok(()) => removed += 1,
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot remove stale staging entry")
                }
            }
        }
        removed
    }

    /// Aborts the multipart uploads a killed run left under an S3 board's prefix (invisible to
    /// readers, but stored and billed until aborted), when older than `grace`.
    pub async fn sweep_uploads(&self, grace: std::time::Duration) -> Result<usize, BoardError> {
        let Board::S3 {
            client,
            bucket,
            prefix,
        } = self
        else {
            return Ok(0);
        };
        let cutoff = std::time::SystemTime::now() - grace;
        let mut aborted = 0;
        let (mut key_marker, mut id_marker) = (None, None);
        loop {
            let out = client
                .list_multipart_uploads()
                .bucket(bucket)
                .prefix(prefix.as_str())
                .set_key_marker(key_marker)
                .set_upload_id_marker(id_marker)
                .send()
                .await
                .map_err(|e| self.err(sdk_message(&e)))?;
            for upload in out.uploads() {
                let old = upload
                    .initiated()
                    .and_then(|t| std::time::SystemTime::try_from(*t).ok())
                    .is_some_and(|t| t <= cutoff);
                if let (true, Some(key), Some(id)) = (old, upload.key(), upload.upload_id()) {
                    client
                        .abort_multipart_upload()
                        .bucket(bucket)
                        .key(key)
                        .upload_id(id)
                        .send()
                        .await
                        .map_err(|e| self.err(sdk_message(&e)))?;
                    aborted += 1;
                }
            }
            if out.is_truncated() == Some(true) {
                key_marker = out.next_key_marker().map(str::to_string);
                id_marker = out.next_upload_id_marker().map(str::to_string);
            } else {
                break;
            }
        }
        Ok(aborted)
    }

    /// Names directly under `dir` ("" = the board root); folders and files alike.
    pub async fn list(&self, dir: &str) -> Result<Vec<String>, BoardError> {
        match self {
            Board::Folder { root, .. } => {
                let path = root.join(dir);
                let entries = match std::fs::read_dir(&path) {
                    Ok(e) => e,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
                    Err(e) => return Err(self.err(format!("{}: {e}", path.display()))),
                };
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                Ok(names)
            }
            Board::S3 {
                client,
                bucket,
                prefix,
            } => {
                let full = if dir.is_empty() {
                    prefix.clone()
                } else {
                    format!("{prefix}{dir}/")
                };
                let mut names = Vec::new();
                let mut token = None;
                loop {
                    let out = client
                        .list_objects_v2()
                        .bucket(bucket)
                        .prefix(&full)
                        .delimiter("/")
                        .set_continuation_token(token)
                        .send()
                        .await
                        .map_err(|e| self.err(sdk_message(&e)))?;
                    for p in out.common_prefixes() {
                        if let Some(p) = p.prefix() {
                            names.push(p[full.len()..].trim_end_matches('/').to_string());
                        }
                    }
                    for o in out.contents() {
                        if let Some(k) = o.key() {
                            names.push(k[full.len()..].to_string());
                        }
                    }
                    if out.is_truncated() == Some(true) {
                        token = out.next_continuation_token().map(str::to_string);
                    } else {
                        break;
                    }
                }
                names.sort();
                names.dedup();
                Ok(names)
            }
        }
    }

    /// Reads a small file (`data.txt`), or `None` when absent.
    pub async fn read_text(&self, path: &str) -> Result<Option<String>, BoardError> {
        match self {
            Board::Folder { root, .. } => match std::fs::read_to_string(root.join(path)) {
                Ok(s) => Ok(Some(s)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(self.err(e)),
            },
            Board::S3 {
                client,
                bucket,
                prefix,
            } => {
                let got = client
                    .get_object()
                    .bucket(bucket)
                    .key(format!("{prefix}{path}"))
                    .send()
                    .await;
                match got {
                    Ok(out) => {
                        let bytes = out
                            .body
                            .collect()
                            .await
                            .map_err(|e| self.err(e))?
                            .into_bytes();
                        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
                    }
                    Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
                    Err(e) => Err(self.err(sdk_message(&e))),
                }
            }
        }
    }

    /// Publishes a complete version whose files (`data_file`, `data.txt`) are in `stage`,
    /// so readers never see it half-written.
    pub async fn publish_version(
        &self,
        pin: &str,
        version: &str,
        stage: &Path,
        data_file: &str,
    ) -> Result<(), BoardError> {
        match self {
            Board::Folder { root, .. } => {
                // Stage layout: <stage>/<pin>/<version>/{file, data.txt}.
                let staged_pin = stage.join("pin");
                let staged_version = staged_pin.join(version);
                std::fs::create_dir_all(&staged_version).map_err(|e| self.err(e))?;
                for f in [data_file, "data.txt"] {
                    let from = stage.join(f);
                    let to = staged_version.join(f);
                    std::fs::rename(&from, &to).map_err(|e| self.err(e))?;
                    std::fs::File::open(&to)
                        .and_then(|f| f.sync_all())
                        .map_err(|e| self.err(e))?;
                }
                let target_pin = root.join(pin);
                if !target_pin.exists() {
                    // A new pin appears with its first version in one rename: an empty pin
                    // directory would break Python's pin_search for the whole board.
                    match std::fs::rename(&staged_pin, &target_pin) {
                        Ok(()) => return sync_dir(root).map_err(|e| self.err(e)),
                        Err(e) if target_pin.exists() => {
                            tracing::debug!(error = %e, "pin appeared concurrently");
                        }
                        Err(e) => return Err(self.err(e)),
                    }
                }
                let target = target_pin.join(version);
                if target.exists() {
                    return Err(self.err(format!("version {pin}/{version} already exists")));
                }
                std::fs::rename(&staged_version, &target).map_err(|e| self.err(e))?;
                sync_dir(&target_pin).map_err(|e| self.err(e))
            }
            Board::S3 {
                client,
                bucket,
                prefix,
            } => {
                let base = format!("{prefix}{pin}/{version}/");
                let data_key = format!("{base}{data_file}");
                self.upload_file(client, bucket, &data_key, &stage.join(data_file))
                    .await?;
                let meta = std::fs::read(stage.join("data.txt")).map_err(|e| self.err(e))?;
                let put = client
                    .put_object()
                    .bucket(bucket)
                    .key(format!("{base}data.txt"))
                    .body(ByteStream::from(meta))
                    .send()
                    .await;
                if let Err(e) = put {
                    // Without data.txt the version is broken for readers: take the data back.
                    let _ = client
                        .delete_object()
                        .bucket(bucket)
                        .key(&data_key)
                        .send()
                        .await;
                    return Err(self.err(sdk_message(&e)));
                }
                Ok(())
            }
        }
    }

    async fn upload_file(
        &self,
        client: &Client,
        bucket: &str,
        key: &str,
        path: &Path,
    ) -> Result<(), BoardError> {
        let size = std::fs::metadata(path).map_err(|e| self.err(e))?.len() as usize;
        if size <= PART_SIZE {
            let body = ByteStream::from_path(path).await.map_err(|e| self.err(e))?;
            client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(body)
                .send()
                .await
                .map_err(|e| self.err(sdk_message(&e)))?;
            return Ok(());
        }
        let upload = client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| self.err(sdk_message(&e)))?;
        let upload_id = upload.upload_id().unwrap_or_default().to_string();
        let result: Result<Vec<CompletedPart>, BoardError> = async {
            let mut file = tokio::fs::File::open(path).await.map_err(|e| self.err(e))?;
            let mut parts = Vec::new();
            let mut number = 1;
            loop {
                let mut buf = Vec::with_capacity(PART_SIZE);
                (&mut file)
                    .take(PART_SIZE as u64)
                    .read_to_end(&mut buf)
                    .await
                    .map_err(|e| self.err(e))?;
                if buf.is_empty() {
                    break;
                }
                let part = client
                    .upload_part()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .part_number(number)
                    .body(ByteStream::from(buf))
                    .send()
                    .await
                    .map_err(|e| self.err(sdk_message(&e)))?;
                parts.push(
                    CompletedPart::builder()
                        .part_number(number)
                        .set_e_tag(part.e_tag().map(str::to_string))
                        .build(),
                );
                number += 1;
            }
            Ok(parts)
        }
        .await;
        match result {
            Ok(parts) => client
                .complete_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(parts))
                        .build(),
                )
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.err(sdk_message(&e))),
            Err(e) => {
                let _ = client
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
                Err(e)
            }
        }
    }

    /// Replaces the board manifest atomically (a rename on folders, one PUT on S3).
    pub async fn write_manifest(&self, text: &str) -> Result<(), BoardError> {
        match self {
            Board::Folder { root, staging } => {
                let tmp = staging.join(format!("{MANIFEST}.{}", rand::random::<u64>()));
                std::fs::write(&tmp, text).map_err(|e| self.err(e))?;
                std::fs::rename(&tmp, root.join(MANIFEST)).map_err(|e| self.err(e))
            }
            Board::S3 {
                client,
                bucket,
                prefix,
            } => client
                .put_object()
                .bucket(bucket)
                .key(format!("{prefix}{MANIFEST}"))
                .body(ByteStream::from(text.as_bytes().to_vec()))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.err(sdk_message(&e))),
        }
    }

    /// Deletes a version (or, with `version` = None, a whole pin).
    pub async fn delete(&self, pin: &str, version: Option<&str>) -> Result<(), BoardError> {
        let rel = match version {
            Some(v) => format!("{pin}/{v}"),
            None => pin.to_string(),
        };
        match self {
            Board::Folder { root, .. } => match std::fs::remove_dir_all(root.join(&rel)) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(self.err(e)),
            },
            Board::S3 {
                client,
                bucket,
                prefix,
            } => {
                let full = format!("{prefix}{rel}/");
                loop {
                    let out = client
                        .list_objects_v2()
                        .bucket(bucket)
                        .prefix(&full)
                        .send()
                        .await
                        .map_err(|e| self.err(sdk_message(&e)))?;
                    let keys: Vec<ObjectIdentifier> = out
                        .contents()
                        .iter()
                        .filter_map(|o| o.key())
                        .filter_map(|k| ObjectIdentifier::builder().key(k).build().ok())
                        .collect();
                    if keys.is_empty() {
                        return Ok(());
                    }
                    client
                        .delete_objects()
                        .bucket(bucket)
                        .delete(
                            Delete::builder()
                                .set_objects(Some(keys))
                                .build()
                                .map_err(|e| self.err(e))?,
                        )
                        .send()
                        .await
                        .map_err(|e| self.err(sdk_message(&e)))?;
                }
            }
        }
    }

    /// Whether a version directory is complete (has both its data file and `data.txt`).
    pub async fn version_files(&self, pin: &str, version: &str) -> Result<Vec<String>, BoardError> {
        self.list(&format!("{pin}/{version}")).await
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn sdk_message<E: std::error::Error>(e: &E) -> String {
    // The SDK's Display is terse ("service error"); the source chain says what happened.
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// An S3 client for the board, from the same AWS chain and `[s3]` settings as the lake.
pub async fn s3_client(s3: &crate::config::S3Config) -> Client {
    let sdk = crate::lake::s3::sdk_config(s3).await;
    // Checksums only where S3 requires them: the SDK's default streams uploads with a trailing
    // CRC checksum (aws-chunked encoding), which S3-compatible servers such as Garage refuse
    // ("Invalid payload signature").
    let mut builder = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(s3.url_style == crate::config::UrlStyle::Path)
        .request_checksum_calculation(aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(aws_sdk_s3::config::ResponseChecksumValidation::WhenRequired);
    if let Some(endpoint) = &s3.endpoint {
        let scheme = if s3.use_ssl { "https" } else { "http" };
        builder = builder.endpoint_url(format!("{scheme}://{endpoint}"));
    }
    Client::from_conf(builder.build())
}
