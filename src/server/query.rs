//! The simple and extended query protocols: each client message goes to the session, and its
//! replies become protocol messages. Rows stream from the session's producer to the socket as
//! they come (pgwire's default extended-protocol path collects a whole result first; ours sends
//! row by row and honours Execute's row limit with PortalSuspended, so cursors stream).

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures::{Sink, SinkExt};
use pgwire::api::portal::Portal as PgPortal;
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::{DescribePortalResponse, DescribeStatementResponse, Response, Tag};
use pgwire::api::stmt::{NoopQueryParser, StoredStatement};
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireConnectionState};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::copy::{CopyData, CopyDone, CopyOutResponse};
use pgwire::messages::data::{FieldDescription, NoData, ParameterDescription, RowDescription};
use pgwire::messages::extendedquery::{
    Bind, BindComplete, Close, CloseComplete, Describe, Execute, Parse, ParseComplete,
    PortalSuspended, Sync as PgSync, TARGET_TYPE_BYTE_PORTAL, TARGET_TYPE_BYTE_STATEMENT,
};
use pgwire::messages::response::{EmptyQueryResponse, NoticeResponse, ReadyForQuery};
use pgwire::messages::simplequery::Query;
use pgwire::messages::startup::ParameterStatus;

use super::Shared;
use crate::encode::Format;
use crate::session::error::SqlError;
use crate::session::stream::SendError;
use crate::session::{Outcome, Reply, ResultColumn, Session, command};

/// The session of a connection, stored in pgwire's per-connection extensions. A tokio mutex:
/// it is held across the awaits of one message's handling (messages of one connection are
/// handled one at a time, so it is never contended).
pub struct SessionHandle(tokio::sync::Mutex<Session>);

impl SessionHandle {
    pub fn new(session: Session) -> Self {
        SessionHandle(tokio::sync::Mutex::new(session))
    }
}

pub struct QueryHandler {
    shared: Arc<Shared>,
    parser: Arc<NoopQueryParser>,
}

impl QueryHandler {
    pub fn new(shared: Arc<Shared>) -> Self {
        QueryHandler {
            shared,
            parser: Arc::new(NoopQueryParser),
        }
    }

    fn busy<C: ClientInfo>(&self, client: &C, busy: bool) {
        self.shared
            .watches
            .activity(client.socket_addr(), busy, client.is_secure());
    }
}

fn session_of<C: ClientInfo>(client: &C) -> PgWireResult<Arc<SessionHandle>> {
    client
        .session_extensions()
        .get::<Arc<SessionHandle>>()
        .map(|h| (*h).clone())
        .ok_or(PgWireError::NotReadyForQuery)
}

/// A SQL error as a wire error (the message, detail and hint PostgreSQL clients show).
pub fn wire_error(e: &SqlError, severity: &str) -> ErrorInfo {
    let mut info = ErrorInfo::new(severity.to_string(), e.code.to_string(), e.message.clone());
    info.detail = e.detail.clone();
    info.hint = e.hint.clone();
    info
}

fn to_pgwire(e: SqlError) -> PgWireError {
    let severity = if e.fatal { "FATAL" } else { "ERROR" };
    PgWireError::UserError(Box::new(wire_error(&e, severity)))
}

fn client_gone(message: String) -> PgWireError {
    PgWireError::IoError(std::io::Error::new(std::io::ErrorKind::BrokenPipe, message))
}

fn row_description(columns: &[ResultColumn], formats: &[Format]) -> RowDescription {
    RowDescription::new(
        columns
            .iter()
            .zip(formats)
            .map(|(c, f)| {
                FieldDescription::new(
                    c.name.clone(),
                    0,
                    0,
                    c.pg.oid,
                    c.pg.typlen,
                    c.pg.typmod,
                    if *f == Format::Binary { 1 } else { 0 },
                )
            })
            .collect(),
    )
}

/// Arms `statement_timeout` for one statement; the returned task is aborted when it ends.
fn arm_timeout(session: &Session) -> Option<tokio::task::JoinHandle<()>> {
    let ms = session.settings.statement_timeout_ms();
    if ms == 0 {
        return None;
    }
    let cancel = session.cancel.clone();
    Some(tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        cancel.cancel(2);
    }))
}

/// How an outcome's rows end: the full result, or a row limit that suspended it.
enum Ending {
    Complete,
    Suspended,
}

impl QueryHandler {
    /// Sends notices and parameter changes that precede a reply.
    async fn send_prelude<C>(client: &mut C, reply: &Reply) -> PgWireResult<()>
    where
        C: Sink<PgWireBackendMessage> + Unpin,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        for n in &reply.notices {
            let severity = if n.code.starts_with("01") || n.code.starts_with("25") {
                "WARNING"
            } else {
                "NOTICE"
            };
            client
                .feed(PgWireBackendMessage::NoticeResponse(NoticeResponse::from(
                    wire_error(n, severity),
                )))
                .await?;
        }
        for r in &reply.reported {
            client
                .feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(
                    r.name.to_string(),
                    r.value.clone(),
                )))
                .await?;
        }
        Ok(())
    }

    /// Sends an outcome. `describe` sends RowDescription first (simple protocol); `max_rows`
    /// limits the rows (extended Execute). SQL errors come back as `Ok(Err(..))` so the
    /// caller can keep the session going; `Err` means the client is gone.
    async fn send_outcome<C>(
        session: &mut Session,
        client: &mut C,
        outcome: Outcome,
        describe: bool,
        max_rows: u64,
    ) -> PgWireResult<Result<Ending, SqlError>>
    where
        C: Sink<PgWireBackendMessage> + Unpin,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match outcome {
            Outcome::Empty => {
                client
                    .feed(PgWireBackendMessage::EmptyQueryResponse(
                        EmptyQueryResponse::new(),
                    ))
                    .await?;
                Ok(Ok(Ending::Complete))
            }
            Outcome::Tag(tag) => {
                client
                    .feed(PgWireBackendMessage::CommandComplete(Tag::new(&tag).into()))
                    .await?;
                Ok(Ok(Ending::Complete))
            }
            Outcome::Rows {
                columns,
                formats,
                mut stream,
                tag,
                limit,
                cursor,
            } => {
                if describe {
                    client
                        .feed(PgWireBackendMessage::RowDescription(row_description(
                            &columns, &formats,
                        )))
                        .await?;
                }
                // FETCH n asks for n rows; Execute's max_rows can only lower that.
                let cap = match (limit, max_rows) {
                    (0, m) => m,
                    (l, 0) => l,
                    (l, m) => l.min(m),
                };
                let result = stream.send(client, cap).await;
                let outcome = match result {
                    Err(SendError::Client(e)) => return Err(client_gone(e)),
                    Err(SendError::Sql(e)) => Err(e),
                    Ok((sent, hit_cap)) => {
                        // A FETCH that got all it asked for is complete; only the protocol's
                        // own row limit suspends a portal.
                        let suspended =
                            hit_cap && max_rows != 0 && (limit == 0 || max_rows < limit);
                        if suspended {
                            client
                                .feed(PgWireBackendMessage::PortalSuspended(PortalSuspended::new()))
                                .await?;
                            Ok(Ending::Suspended)
                        } else {
                            let t = match tag {
                                "SHOW" | "EXPLAIN" => Tag::new(tag),
                                other => Tag::new(other).with_rows(sent as usize),
                            };
                            client
                                .feed(PgWireBackendMessage::CommandComplete(t.into()))
                                .await?;
                            Ok(Ending::Complete)
                        }
                    }
                };
                if let Some(name) = cursor {
                    if tag == "FETCH" {
                        session.return_cursor(&name, stream);
                    } else {
                        session.suspend_portal(&name, stream);
                    }
                }
                Ok(outcome)
            }
            Outcome::Copy {
                columns,
                binary,
                header,
                trailer,
                mut stream,
            } => {
                let format = if binary { 1 } else { 0 };
                client
                    .feed(PgWireBackendMessage::CopyOutResponse(CopyOutResponse::new(
                        format,
                        columns as i16,
                        vec![format as i16; columns],
                    )))
                    .await?;
                // PostgreSQL sends the binary signature in the same CopyData as the first row,
                // and psycopg's binary parser relies on it.
                let mut header = Some(header).filter(|h| !h.is_empty());
                let mut rows = 0u64;
                loop {
                    match stream.next_batch_raw().await {
                        Ok(Some(batch)) => {
                            // One CopyData per row, as PostgreSQL sends them.
                            let mut data = batch.data;
                            let mut start = 0;
                            for end in batch.row_ends {
                                let row = data.split_to(end - start);
                                start = end;
                                rows += 1;
                                let message: Bytes = match header.take() {
                                    Some(mut h) => {
                                        h.extend_from_slice(&row);
                                        h.freeze()
                                    }
                                    None => row.freeze(),
                                };
                                client
                                    .feed(PgWireBackendMessage::CopyData(CopyData::new(message)))
                                    .await?;
                            }
                        }
                        Ok(None) => {
                            if let Some(h) = header.take() {
                                client
                                    .feed(PgWireBackendMessage::CopyData(CopyData::new(h.freeze())))
                                    .await?;
                            }
                            break;
                        }
                        // PostgreSQL ends a failed COPY OUT with the error alone.
                        Err(e) => return Ok(Err(e)),
                    }
                }
                if !trailer.is_empty() {
                    client
                        .feed(PgWireBackendMessage::CopyData(CopyData::new(
                            trailer.freeze(),
                        )))
                        .await?;
                }
                client
                    .feed(PgWireBackendMessage::CopyDone(CopyDone::new()))
                    .await?;
                client
                    .feed(PgWireBackendMessage::CommandComplete(
                        Tag::new("COPY").with_rows(rows as usize).into(),
                    ))
                    .await?;
                Ok(Ok(Ending::Complete))
            }
        }
    }

    async fn run_simple<C>(
        &self,
        session: &mut Session,
        client: &mut C,
        sql: &str,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        for text in command::split(sql) {
            let command = command::recognise(&text);
            let timer = arm_timeout(session);
            let result = match session.execute(command).await {
                Ok(reply) => {
                    Self::send_prelude(client, &reply).await?;
                    Self::send_outcome(session, client, reply.outcome, true, 0).await?
                }
                Err(e) => Err(e),
            };
            if let Some(t) = timer {
                t.abort();
            }
            if let Err(e) = result {
                session.on_error();
                client
                    .feed(PgWireBackendMessage::ErrorResponse(
                        wire_error(&e, "ERROR").into(),
                    ))
                    .await?;
                // PostgreSQL abandons the rest of a multi-statement query after an error.
                break;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl SimpleQueryHandler for QueryHandler {
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        self.busy(client, true);
        client.set_state(PgWireConnectionState::QueryInProgress);
        let result = self.run_simple(&mut session, client, &query.query).await;
        self.busy(client, false);
        client.set_state(PgWireConnectionState::ReadyForQuery);
        let status = session.transaction_status();
        client.set_transaction_status(status);
        result?;
        client
            .send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(
                status,
            )))
            .await?;
        Ok(())
    }

    /// Not used: `on_query` above handles the whole message, streaming.
    async fn do_query<C>(&self, _client: &mut C, _query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Err(PgWireError::NotReadyForQuery)
    }
}

#[async_trait]
impl ExtendedQueryHandler for QueryHandler {
    /// Statements and portals live in the session, not in pgwire's store.
    type Statement = String;
    type QueryParser = NoopQueryParser;

    fn query_parser(&self) -> Arc<Self::QueryParser> {
        self.parser.clone()
    }

    async fn on_parse<C>(&self, client: &mut C, message: Parse) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        self.busy(client, true);
        let name = message.name.clone().unwrap_or_default();
        let result = session
            .parse(&name, &message.query, &message.type_oids)
            .await;
        self.busy(client, false);
        if let Err(e) = result {
            session.on_error();
            client.set_transaction_status(session.transaction_status());
            return Err(to_pgwire(e));
        }
        client
            .feed(PgWireBackendMessage::ParseComplete(ParseComplete::new()))
            .await?;
        Ok(())
    }

    async fn on_bind<C>(&self, client: &mut C, message: Bind) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        let result = session.bind(
            message.portal_name.as_deref().unwrap_or(""),
            message.statement_name.as_deref().unwrap_or(""),
            &message.parameter_format_codes,
            &message.parameters,
            &message.result_column_format_codes,
        );
        if let Err(e) = result {
            session.on_error();
            client.set_transaction_status(session.transaction_status());
            return Err(to_pgwire(e));
        }
        client
            .feed(PgWireBackendMessage::BindComplete(BindComplete::new()))
            .await?;
        Ok(())
    }

    async fn on_describe<C>(&self, client: &mut C, message: Describe) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        let name = message.name.as_deref().unwrap_or("");
        let result = match message.target_type {
            TARGET_TYPE_BYTE_STATEMENT => {
                session.describe_statement(name).map(|(params, columns)| {
                    let formats = columns
                        .as_ref()
                        .map(|c| vec![Format::Text; c.len()])
                        .unwrap_or_default();
                    (Some(params), columns.map(|c| (c, formats)))
                })
            }
            TARGET_TYPE_BYTE_PORTAL => session.describe_portal(name).map(|c| (None, c)),
            other => return Err(PgWireError::InvalidTargetType(other)),
        };
        let (params, columns) = match result {
            Ok(r) => r,
            Err(e) => {
                session.on_error();
                client.set_transaction_status(session.transaction_status());
                return Err(to_pgwire(e));
            }
        };
        if let Some(params) = params {
            client
                .feed(PgWireBackendMessage::ParameterDescription(
                    ParameterDescription::new(params),
                ))
                .await?;
        }
        match columns {
            Some((c, formats)) => {
                client
                    .feed(PgWireBackendMessage::RowDescription(row_description(
                        &c, &formats,
                    )))
                    .await?
            }
            None => {
                client
                    .feed(PgWireBackendMessage::NoData(NoData::new()))
                    .await?
            }
        }
        Ok(())
    }

    async fn on_execute<C>(&self, client: &mut C, message: Execute) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        self.busy(client, true);
        let name = message.name.clone().unwrap_or_default();
        let max_rows = message.max_rows.max(0) as u64;
        let timer = arm_timeout(&session);
        let result = match session.execute_portal(&name).await {
            Ok(reply) => {
                Self::send_prelude(client, &reply).await?;
                Self::send_outcome(&mut session, client, reply.outcome, false, max_rows).await
            }
            Err(e) => Ok(Err(e)),
        };
        if let Some(t) = timer {
            t.abort();
        }
        self.busy(client, false);
        let result = match result {
            Ok(r) => r,
            Err(client_error) => return Err(client_error),
        };
        if let Err(e) = result {
            session.on_error();
            client.set_transaction_status(session.transaction_status());
            return Err(to_pgwire(e));
        }
        client.set_transaction_status(session.transaction_status());
        Ok(())
    }

    async fn on_sync<C>(&self, client: &mut C, _message: PgSync) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        session.sync();
        let status = session.transaction_status();
        client.set_transaction_status(status);
        client
            .send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(
                status,
            )))
            .await?;
        Ok(())
    }

    async fn on_close<C>(&self, client: &mut C, message: Close) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let handle = session_of(client)?;
        let mut session = handle.0.lock().await;
        let name = message.name.as_deref().unwrap_or("");
        match message.target_type {
            TARGET_TYPE_BYTE_STATEMENT => session.close_statement(name),
            TARGET_TYPE_BYTE_PORTAL => session.close_portal(name),
            _ => {}
        }
        client
            .feed(PgWireBackendMessage::CloseComplete(CloseComplete::new()))
            .await?;
        Ok(())
    }

    /// Not used: the session describes statements (see `on_describe`).
    async fn do_describe_statement<C>(
        &self,
        _client: &mut C,
        _target: &StoredStatement<Self::Statement>,
    ) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Err(PgWireError::NotReadyForQuery)
    }

    /// Not used: the session describes portals (see `on_describe`).
    async fn do_describe_portal<C>(
        &self,
        _client: &mut C,
        _target: &PgPortal<Self::Statement>,
    ) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Err(PgWireError::NotReadyForQuery)
    }

    /// Not used: `on_execute` above runs portals, streaming.
    async fn do_query<C>(
        &self,
        _client: &mut C,
        _portal: &PgPortal<Self::Statement>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        Err(PgWireError::NotReadyForQuery)
    }
}
