//! Streaming a result from DuckDB to the client with bounded memory.
//!
//! A producer on a blocking thread owns the DuckDB connection while the query runs: it fetches
//! DuckDB's chunks (2048 rows), encodes each into wire-ready DataRow bodies, and sends them
//! through a channel of [`CHANNEL_BATCHES`] batches. The async side feeds rows to the socket;
//! when the client is slow the channel fills and DuckDB waits, so memory stays flat whatever the
//! result size. When the consumer goes away (client gone, portal closed, cursor closed) the
//! producer's next send fails and it stops; dropping a [`RowStream`] also interrupts DuckDB in
//! case it is busy computing rather than waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use bytes::BytesMut;
use duckdb::arrow::array::RecordBatch;
use futures::{Sink, SinkExt};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::data::DataRow;
use tokio::sync::mpsc;

use super::error::{SqlError, code};
use crate::encode::{CopyEncoder, EncodeOptions, Format, PgType, RowEncoder};
use crate::lake::duck::{self, BindValue, Interrupter};

/// Encoded batches buffered between DuckDB and the socket: enough to keep both busy, small
/// enough that a stalled client holds only a few thousand rows.
const CHANNEL_BATCHES: usize = 4;

/// One encoded chunk: DataRow bodies back to back, and where each row ends.
pub struct EncodedBatch {
    pub data: BytesMut,
    pub row_ends: Vec<usize>,
}

pub enum StreamMessage {
    Batch(EncodedBatch),
    Error(SqlError),
}

/// Why a session's running statement was interrupted.
#[derive(Default)]
pub struct CancelState {
    /// 0 = none, 1 = CancelRequest, 2 = statement_timeout.
    reason: AtomicU8,
    active: std::sync::Mutex<Vec<(u64, Interrupter)>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl CancelState {
    pub fn register(&self, interrupter: Interrupter) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.active
            .lock()
            .expect("cancel state")
            .push((id, interrupter));
        id
    }

    pub fn unregister(&self, id: u64) {
        self.active
            .lock()
            .expect("cancel state")
            .retain(|(i, _)| *i != id);
    }

    /// A CancelRequest (reason 1) or a statement timeout (reason 2).
    pub fn cancel(&self, reason: u8) {
        self.reason.store(reason, Ordering::SeqCst);
        for (_, i) in self.active.lock().expect("cancel state").iter() {
            i.interrupt();
        }
    }

    /// Clears a cancel that arrived between statements (PostgreSQL ignores those).
    pub fn reset(&self) {
        self.reason.store(0, Ordering::SeqCst);
    }

    /// The error for an interrupted statement, or `None` when nothing asked for one.
    pub fn error(&self) -> Option<SqlError> {
        match self.reason.load(Ordering::SeqCst) {
            1 => Some(SqlError::canceled_by_user()),
            2 => Some(SqlError::statement_timeout()),
            _ => None,
        }
    }
}

/// Where the producer returns its connection when the query ends.
pub type ReturnConn = Box<dyn FnOnce(super::pool::PooledConn) + Send>;

/// What the producer needs to run one query.
pub struct QueryJob {
    pub sql: String,
    pub params: Vec<BindValue>,
    pub encoding: JobEncoding,
}

/// How the producer encodes: DataRow bodies, or COPY … TO STDOUT bytes.
pub enum JobEncoding {
    Rows {
        columns: Vec<(PgType, Format)>,
        options: EncodeOptions,
    },
    Copy(CopyEncoder),
}

/// The consumer side of a running query.
pub struct RowStream {
    rx: mpsc::Receiver<StreamMessage>,
    current: Option<EncodedBatch>,
    next_row: usize,
    field_count: i16,
    interrupter: Option<Interrupter>,
    cancel: Arc<CancelState>,
    cancel_id: Option<u64>,
    finished: bool,
}

impl RowStream {
    /// Starts `job` on `conn` in a blocking thread.
    pub fn start(
        mut conn: super::pool::PooledConn,
        job: QueryJob,
        cancel: Arc<CancelState>,
        give_back: ReturnConn,
    ) -> RowStream {
        let (tx, rx) = mpsc::channel(CHANNEL_BATCHES);
        let interrupter = conn.conn().interrupter();
        let cancel_id = cancel.register(interrupter.clone());
        let field_count = match &job.encoding {
            JobEncoding::Rows { columns, .. } => columns.len() as i16,
            JobEncoding::Copy(_) => 0,
        };
        tokio::task::spawn_blocking(move || {
            let outcome = produce(&mut conn, job, &tx);
            if let Err(e) = outcome {
                let _ = tx.blocking_send(StreamMessage::Error(e));
            }
            give_back(conn);
        });
        RowStream {
            rx,
            current: None,
            next_row: 0,
            field_count,
            interrupter: Some(interrupter),
            cancel,
            cancel_id: Some(cancel_id),
            finished: false,
        }
    }

    /// A stream of rows already in memory (SHOW, catalogue answers computed by the session).
    pub fn from_batches(field_count: i16, batches: Vec<EncodedBatch>) -> RowStream {
        let (tx, rx) = mpsc::channel(batches.len().max(1));
        for b in batches {
            let _ = tx.try_send(StreamMessage::Batch(b));
        }
        RowStream {
            rx,
            current: None,
            next_row: 0,
            field_count,
            interrupter: None,
            cancel: Arc::new(CancelState::default()),
            cancel_id: None,
            finished: false,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The next encoded row, or `None` at the end.
    async fn next_row(&mut self) -> Result<Option<BytesMut>, SqlError> {
        loop {
            if let Some(err) = self.cancel.error() {
                self.finish();
                return Err(err);
            }
            if let Some(batch) = &mut self.current {
                if self.next_row < batch.row_ends.len() {
                    let start = if self.next_row == 0 {
                        0
                    } else {
                        batch.row_ends[self.next_row - 1]
                    };
                    let len = batch.row_ends[self.next_row] - start;
                    self.next_row += 1;
                    return Ok(Some(batch.data.split_to(len)));
                }
                self.current = None;
            }
            match self.rx.recv().await {
                Some(StreamMessage::Batch(b)) => {
                    self.current = Some(b);
                    self.next_row = 0;
                }
                Some(StreamMessage::Error(e)) => {
                    self.finish();
                    // An interrupt that we asked for reads as the reason we asked.
                    return Err(if e.code == code::QUERY_CANCELED {
                        self.cancel.error().unwrap_or(e)
                    } else {
                        e
                    });
                }
                None => {
                    self.finish();
                    return Ok(None);
                }
            }
        }
    }

    fn finish(&mut self) {
        self.finished = true;
        if let Some(id) = self.cancel_id.take() {
            self.cancel.unregister(id);
        }
        self.interrupter = None;
    }

    /// Feeds up to `max` rows (0 = all) to the client as DataRow messages. Returns how many
    /// were sent and whether the limit stopped it (rows may remain).
    pub async fn send<C>(&mut self, client: &mut C, max: u64) -> Result<(u64, bool), SendError>
    where
        C: Sink<PgWireBackendMessage> + Unpin,
        C::Error: std::fmt::Debug,
    {
        let mut sent = 0u64;
        while max == 0 || sent < max {
            match self.next_row().await.map_err(SendError::Sql)? {
                Some(data) => {
                    client
                        .feed(PgWireBackendMessage::DataRow(DataRow::new(
                            data,
                            self.field_count,
                        )))
                        .await
                        .map_err(|e| SendError::Client(format!("{e:?}")))?;
                    sent += 1;
                }
                None => return Ok((sent, false)),
            }
        }
        Ok((sent, true))
    }

    /// Reads and drops up to `max` rows (MOVE); returns how many.
    pub async fn skip(&mut self, max: u64) -> Result<u64, SqlError> {
        let mut skipped = 0;
        while max == 0 || skipped < max {
            match self.next_row().await? {
                Some(_) => skipped += 1,
                None => break,
            }
        }
        Ok(skipped)
    }

    /// Collects every remaining row body (COPY, small internal answers).
    pub async fn next_batch_raw(&mut self) -> Result<Option<EncodedBatch>, SqlError> {
        if let Some(err) = self.cancel.error() {
            self.finish();
            return Err(err);
        }
        if let Some(b) = self.current.take() {
            return Ok(Some(b));
        }
        match self.rx.recv().await {
            Some(StreamMessage::Batch(b)) => Ok(Some(b)),
            Some(StreamMessage::Error(e)) => {
                self.finish();
                Err(if e.code == code::QUERY_CANCELED {
                    self.cancel.error().unwrap_or(e)
                } else {
                    e
                })
            }
            None => {
                self.finish();
                Ok(None)
            }
        }
    }
}

impl Drop for RowStream {
    fn drop(&mut self) {
        if !self.finished
            && let Some(i) = &self.interrupter
        {
            // The client went away, or closed the portal or cursor before its end.
            tracing::info!("stopping a query whose rows are no longer wanted");
            i.interrupt();
        }
        if let Some(id) = self.cancel_id.take() {
            self.cancel.unregister(id);
        }
    }
}

#[derive(Debug)]
pub enum SendError {
    /// The query failed: report it and keep the session.
    Sql(SqlError),
    /// The client is gone.
    Client(String),
}

/// The producer loop, on the blocking thread.
fn produce(
    conn: &mut super::pool::PooledConn,
    job: QueryJob,
    tx: &mpsc::Sender<StreamMessage>,
) -> Result<(), SqlError> {
    let mut prepared = conn.prepare_cached(&job.sql)?;
    let expected = prepared.parameter_count();
    if expected != job.params.len() {
        conn.keep(job.sql, prepared);
        return Err(SqlError::new(
            code::PROTOCOL_VIOLATION,
            format!(
                "bind message supplies {} parameters, but prepared statement requires {expected}",
                job.params.len()
            ),
        ));
    }
    for (i, p) in job.params.iter().enumerate() {
        prepared.bind(i, p).map_err(SqlError::from)?;
    }
    let mut result = prepared.execute_streaming().map_err(SqlError::from)?;
    let (width, encoder) = match job.encoding {
        JobEncoding::Rows { columns, options } => (
            columns.len(),
            Encoder::Rows(RowEncoder::new(columns, options)),
        ),
        JobEncoding::Copy(c) => (result.schema().fields().len(), Encoder::Copy(c)),
    };
    if result.schema().fields().len() != width {
        return Err(SqlError::new(
            code::FEATURE_NOT_SUPPORTED,
            "cached plan must not change result type",
        ));
    }
    // The first chunk is encoded here: most results are one chunk, and need no second thread.
    let first = match result.next_batch() {
        Ok(Some(b)) => b,
        Ok(None) => {
            conn.keep(job.sql, result.into_prepared());
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if tx
        .blocking_send(StreamMessage::Batch(encode(&encoder, &first)?))
        .is_err()
    {
        conn.keep(job.sql, result.into_prepared());
        return Ok(());
    }
    let second = match result.next_batch() {
        Ok(Some(b)) => b,
        Ok(None) => {
            conn.keep(job.sql, result.into_prepared());
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    // A longer result streams through two threads: this one fetches DuckDB's chunks as Arrow
    // batches, an encoder thread turns them into wire bytes. The two halves of the work are
    // of similar size, so on a machine with a spare core the rows flow up to twice as fast.
    let outcome = std::thread::scope(|scope| {
        let (batches, encoded) = std::sync::mpsc::sync_channel::<RecordBatch>(PIPELINE_BATCHES);
        let encoder_thread = scope.spawn(|| encode_thread(&encoder, encoded, tx));
        let fetched = match batches.send(second) {
            Ok(()) => fetch_into(&mut result, &batches),
            Err(_) => Ok(()),
        };
        drop(batches);
        let encoded = encoder_thread.join().unwrap_or_else(|_| {
            Err(SqlError::new(
                code::INTERNAL_ERROR,
                "the result encoder stopped unexpectedly",
            ))
        });
        fetched.and(encoded)
    });
    conn.keep(job.sql, result.into_prepared());
    outcome
}

/// Arrow batches handed from the fetching thread to the encoder thread.
const PIPELINE_BATCHES: usize = 2;

/// Fetches DuckDB's chunks into `batches` until the result ends or the encoder is gone.
fn fetch_into(
    result: &mut duck::QueryResult,
    batches: &std::sync::mpsc::SyncSender<RecordBatch>,
) -> Result<(), SqlError> {
    loop {
        match result.next_batch() {
            Ok(Some(b)) => {
                if batches.send(b).is_err() {
                    // The encoder stopped (consumer gone, or an encoding error it reported).
                    return Ok(());
                }
            }
            Ok(None) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Encodes fetched batches and sends them to the consumer; stops when the fetcher is done or
/// the consumer is gone. An encoding error ends the stream (reported by the caller).
fn encode_thread(
    encoder: &Encoder,
    batches: std::sync::mpsc::Receiver<RecordBatch>,
    tx: &mpsc::Sender<StreamMessage>,
) -> Result<(), SqlError> {
    for batch in batches {
        let encoded = encode(encoder, &batch)?;
        if tx.blocking_send(StreamMessage::Batch(encoded)).is_err() {
            break;
        }
    }
    Ok(())
}

enum Encoder {
    Rows(RowEncoder),
    Copy(CopyEncoder),
}

fn encode(encoder: &Encoder, batch: &RecordBatch) -> Result<EncodedBatch, SqlError> {
    let mut data = BytesMut::with_capacity(batch.num_rows() * 64);
    let mut row_ends = Vec::with_capacity(batch.num_rows());
    match encoder {
        Encoder::Rows(e) => e
            .encode_batch(batch, &mut data, &mut row_ends)
            .map_err(|e| SqlError::new(e.sqlstate, e.message))?,
        Encoder::Copy(e) => e
            .encode_batch_rows(batch, &mut data, &mut row_ends)
            .map_err(|e| SqlError::new(e.sqlstate, e.message))?,
    }
    Ok(EncodedBatch { data, row_ends })
}

/// Runs a query to completion on the calling (blocking) thread and returns its batches:
/// for the session's own small queries (describe, catalogue helpers).
pub fn query_all(conn: &duck::Connection, sql: &str) -> Result<Vec<RecordBatch>, SqlError> {
    conn.query_batches(sql).map_err(SqlError::from)
}
