//! A thin, safe layer over DuckDB's C API for what the `duckdb` crate does not expose:
//! result-column metadata of a prepared statement *before* it runs (the extended protocol's
//! Describe must not execute), parameter types, binding individual values, streaming execution
//! chunk by chunk as Arrow record batches, DuckDB's error classes, and interrupts from another
//! thread (CancelRequest, `statement_timeout`, a client that went away).
//!
//! Ownership mirrors DuckDB's rules: a [`Connection`] keeps its [`Database`] alive; a
//! [`Prepared`] keeps its connection alive; a [`QueryResult`] owns the prepared statement it came
//! from, so the statement outlives the streaming result that reads through it.

use std::ffi::{CStr, CString, c_char};
use std::ptr;
use std::sync::{Arc, Mutex};

use duckdb::arrow::array::{RecordBatch, StructArray};
use duckdb::arrow::datatypes::{Schema, SchemaRef};
use duckdb::arrow::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use duckdb::ffi;

pub use super::types::{BindValue, LogicalType};

/// DuckDB's classes of error, as far as a PostgreSQL client needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Parser,
    Catalog,
    Binder,
    Conversion,
    OutOfRange,
    DivideByZero,
    Permission,
    Interrupt,
    OutOfMemory,
    InvalidInput,
    NotImplemented,
    Transaction,
    Io,
    Http,
    Constraint,
    Other,
}

#[derive(Debug, Clone)]
pub struct DuckError {
    pub kind: ErrorKind,
    pub message: String,
}

impl std::fmt::Display for DuckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DuckError {}

impl DuckError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DuckError {
            kind,
            message: message.into(),
        }
    }

    /// Classifies an error from its message's "Xxx Error:" prefix, for the C API calls that only
    /// return a message (prepare, fetch).
    pub fn from_message(message: &str) -> Self {
        let prefix = message.split(':').next().unwrap_or("");
        let kind = match prefix.trim() {
            "Parser Error" | "Syntax Error" => ErrorKind::Parser,
            "Catalog Error" => ErrorKind::Catalog,
            "Binder Error" => ErrorKind::Binder,
            "Conversion Error" => ErrorKind::Conversion,
            "Out of Range Error" => ErrorKind::OutOfRange,
            "Divide by Zero Error" => ErrorKind::DivideByZero,
            "Permission Error" => ErrorKind::Permission,
            "INTERRUPT Error" | "Interrupt Error" => ErrorKind::Interrupt,
            "Out of Memory Error" => ErrorKind::OutOfMemory,
            "Invalid Input Error" => ErrorKind::InvalidInput,
            "Not implemented Error" | "Not Implemented Error" => ErrorKind::NotImplemented,
            "TransactionContext Error" | "Transaction Error" => ErrorKind::Transaction,
            "IO Error" => ErrorKind::Io,
            "HTTP Error" => ErrorKind::Http,
            "Constraint Error" => ErrorKind::Constraint,
            _ => ErrorKind::Other,
        };
        DuckError::new(kind, message)
    }

    fn from_type(t: ffi::duckdb_error_type, message: String) -> Self {
        use ErrorKind::*;
        let kind = match t {
            ffi::duckdb_error_type_DUCKDB_ERROR_PARSER
            | ffi::duckdb_error_type_DUCKDB_ERROR_SYNTAX => Parser,
            ffi::duckdb_error_type_DUCKDB_ERROR_CATALOG => Catalog,
            ffi::duckdb_error_type_DUCKDB_ERROR_BINDER => Binder,
            ffi::duckdb_error_type_DUCKDB_ERROR_CONVERSION => Conversion,
            ffi::duckdb_error_type_DUCKDB_ERROR_OUT_OF_RANGE => OutOfRange,
            ffi::duckdb_error_type_DUCKDB_ERROR_DIVIDE_BY_ZERO => DivideByZero,
            ffi::duckdb_error_type_DUCKDB_ERROR_PERMISSION => Permission,
            ffi::duckdb_error_type_DUCKDB_ERROR_INTERRUPT => Interrupt,
            ffi::duckdb_error_type_DUCKDB_ERROR_OUT_OF_MEMORY => OutOfMemory,
            ffi::duckdb_error_type_DUCKDB_ERROR_INVALID_INPUT => InvalidInput,
            ffi::duckdb_error_type_DUCKDB_ERROR_NOT_IMPLEMENTED => NotImplemented,
            ffi::duckdb_error_type_DUCKDB_ERROR_TRANSACTION => Transaction,
            ffi::duckdb_error_type_DUCKDB_ERROR_IO => Io,
            ffi::duckdb_error_type_DUCKDB_ERROR_HTTP => Http,
            ffi::duckdb_error_type_DUCKDB_ERROR_CONSTRAINT => Constraint,
            _ => return DuckError::from_message(&message),
        };
        DuckError::new(kind, message)
    }
}

pub type Result<T> = std::result::Result<T, DuckError>;

/// An in-process DuckDB instance.
pub struct Database {
    raw: ffi::duckdb_database,
}

// SAFETY: a DuckDB database object is thread-safe; connections are created from any thread.
unsafe impl Send for Database {}
unsafe impl Sync for Database {}

impl Database {
    /// Opens an in-memory instance with the given configuration options.
    pub fn open_in_memory(settings: &[(&str, String)]) -> std::result::Result<Self, String> {
        unsafe {
            let mut config: ffi::duckdb_config = ptr::null_mut();
            if ffi::duckdb_create_config(&mut config) != ffi::DuckDBSuccess {
                return Err("cannot create a DuckDB configuration".into());
            }
            let mut all = vec![("duckdb_api", "lakegate".to_string())];
            all.extend(settings.iter().map(|(k, v)| (*k, v.clone())));
            for (name, value) in &all {
                let (n, v) = (cstring(name)?, cstring(value)?);
                if ffi::duckdb_set_config(config, n.as_ptr(), v.as_ptr()) != ffi::DuckDBSuccess {
                    ffi::duckdb_destroy_config(&mut config);
                    return Err(format!("invalid DuckDB setting {name} = '{value}'"));
                }
            }
            let mut db: ffi::duckdb_database = ptr::null_mut();
            let mut err: *mut c_char = ptr::null_mut();
            let state = ffi::duckdb_open_ext(ptr::null(), &mut db, config, &mut err);
            ffi::duckdb_destroy_config(&mut config);
            if state != ffi::DuckDBSuccess {
                let message = take_c_string(err).unwrap_or_else(|| "unknown error".into());
                return Err(format!("cannot open DuckDB: {message}"));
            }
            Ok(Database { raw: db })
        }
    }

    /// A `duckdb` crate connection to this instance, for set-up and ordinary queries.
    /// It must be dropped before the `Database`.
    pub fn connection_for_setup(&self) -> duckdb::Result<duckdb::Connection> {
        // SAFETY: `raw` is a live database; the caller keeps `self` alive longer.
        unsafe { duckdb::Connection::open_from_raw(self.raw) }
    }

    /// A new connection for one client session (or one open cursor of a session).
    pub fn connect(self: &Arc<Self>) -> Result<Connection> {
        let mut raw: ffi::duckdb_connection = ptr::null_mut();
        let state = unsafe { ffi::duckdb_connect(self.raw, &mut raw) };
        if state != ffi::DuckDBSuccess {
            return Err(DuckError::new(
                ErrorKind::Other,
                "cannot open a DuckDB connection",
            ));
        }
        Ok(Connection {
            inner: Arc::new(ConnectionHandle {
                raw: Mutex::new(raw),
                _database: self.clone(),
            }),
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        unsafe { ffi::duckdb_close(&mut self.raw) };
    }
}

struct ConnectionHandle {
    /// Behind a mutex only so an [`Interrupter`] on another thread never races with disconnect.
    raw: Mutex<ffi::duckdb_connection>,
    _database: Arc<Database>,
}

// SAFETY: the raw handle is only read under its mutex; DuckDB connections may be used from any
// thread one at a time, and `duckdb_interrupt` is meant to be called from another thread.
unsafe impl Send for ConnectionHandle {}
unsafe impl Sync for ConnectionHandle {}

impl ConnectionHandle {
    fn raw(&self) -> ffi::duckdb_connection {
        *self.raw.lock().expect("connection mutex")
    }
}

impl Drop for ConnectionHandle {
    fn drop(&mut self) {
        let mut raw = self.raw.lock().expect("connection mutex");
        unsafe { ffi::duckdb_disconnect(&mut *raw) };
        *raw = ptr::null_mut();
    }
}

/// One DuckDB connection. `Send` (it moves to the blocking thread that runs a query) but not
/// `Sync`: DuckDB runs one statement at a time per connection.
pub struct Connection {
    inner: Arc<ConnectionHandle>,
}

// SAFETY: a DuckDB connection may be used from any thread, one at a time.
unsafe impl Send for Connection {}

/// Interrupts whatever the connection is running, from any thread.
#[derive(Clone)]
pub struct Interrupter {
    /// Weak, so an interrupter kept by a cancel registry never keeps a connection open.
    inner: std::sync::Weak<ConnectionHandle>,
}

// SAFETY: `duckdb_interrupt` is safe to call from another thread; the handle is only read under
// its mutex, and a dropped connection turns this into a no-op.
unsafe impl Send for Interrupter {}
unsafe impl Sync for Interrupter {}

impl Interrupter {
    pub fn interrupt(&self) {
        if let Some(handle) = self.inner.upgrade() {
            let raw = handle.raw.lock().expect("connection mutex");
            if !raw.is_null() {
                unsafe { ffi::duckdb_interrupt(*raw) };
            }
        }
    }
}

/// Reads the progress of whatever the connection is running, from another thread (the publish
/// progress bars). Needs `enable_progress_bar` on the connection.
#[derive(Clone)]
pub struct ProgressProbe {
    inner: std::sync::Weak<ConnectionHandle>,
}

// SAFETY: as for `Interrupter`: the handle is read under its mutex, and DuckDB's query progress
// is meant to be polled while the query runs.
unsafe impl Send for ProgressProbe {}
unsafe impl Sync for ProgressProbe {}

/// How far a running query is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// 0–100, or negative when DuckDB cannot tell.
    pub percentage: f64,
    pub rows_processed: u64,
    pub total_rows: u64,
}

impl ProgressProbe {
    pub fn progress(&self) -> Option<Progress> {
        let handle = self.inner.upgrade()?;
        let raw = handle.raw.lock().expect("connection mutex");
        if raw.is_null() {
            return None;
        }
        let p = unsafe { ffi::duckdb_query_progress(*raw) };
        Some(Progress {
            percentage: p.percentage,
            rows_processed: p.rows_processed,
            total_rows: p.total_rows_to_process,
        })
    }
}

impl Connection {
    pub fn interrupter(&self) -> Interrupter {
        Interrupter {
            inner: Arc::downgrade(&self.inner),
        }
    }

    pub fn progress_probe(&self) -> ProgressProbe {
        ProgressProbe {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// Runs statements that return nothing of interest.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        let c = CString::new(sql).map_err(|_| nul_error())?;
        unsafe {
            let mut result: ffi::duckdb_result = std::mem::zeroed();
            let state = ffi::duckdb_query(self.inner.raw(), c.as_ptr(), &mut result);
            let outcome = if state == ffi::DuckDBSuccess {
                Ok(())
            } else {
                Err(result_error(&mut result))
            };
            ffi::duckdb_destroy_result(&mut result);
            outcome
        }
    }

    pub fn prepare(&self, sql: &str) -> Result<Prepared> {
        let c = CString::new(sql).map_err(|_| nul_error())?;
        unsafe {
            let mut stmt: ffi::duckdb_prepared_statement = ptr::null_mut();
            let state = ffi::duckdb_prepare(self.inner.raw(), c.as_ptr(), &mut stmt);
            if state != ffi::DuckDBSuccess {
                let message = CStr_opt(ffi::duckdb_prepare_error(stmt))
                    .unwrap_or_else(|| "cannot prepare statement".into());
                ffi::duckdb_destroy_prepare(&mut stmt);
                return Err(DuckError::from_message(&message));
            }
            Ok(Prepared {
                raw: stmt,
                _connection: self.inner.clone(),
            })
        }
    }

    /// Runs a query to completion and returns its rows as record batches (for small, internal
    /// queries: the catalogue, settings).
    pub fn query_batches(&self, sql: &str) -> Result<Vec<RecordBatch>> {
        let mut result = self.prepare(sql)?.execute_streaming()?;
        let mut batches = Vec::new();
        while let Some(batch) = result.next_batch()? {
            batches.push(batch);
        }
        Ok(batches)
    }
}

/// A prepared statement.
pub struct Prepared {
    raw: ffi::duckdb_prepared_statement,
    _connection: Arc<ConnectionHandle>,
}

// SAFETY: owned by one thread at a time, like its connection.
unsafe impl Send for Prepared {}

/// A column of a result: its name and DuckDB type.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ty: LogicalType,
}

impl Prepared {
    pub fn parameter_count(&self) -> usize {
        unsafe { ffi::duckdb_nparams(self.raw) as usize }
    }

    /// The type DuckDB inferred for parameter `index` (0-based); `Any` when it could not.
    pub fn parameter_type(&self, index: usize) -> LogicalType {
        unsafe {
            let mut t = ffi::duckdb_param_logical_type(self.raw, (index + 1) as u64);
            if t.is_null() {
                return LogicalType::Any;
            }
            let ty = LogicalType::from_raw(t);
            ffi::duckdb_destroy_logical_type(&mut t);
            ty
        }
    }

    /// The result columns, known without executing.
    pub fn columns(&self) -> Vec<Column> {
        unsafe {
            let count = ffi::duckdb_prepared_statement_column_count(self.raw);
            (0..count)
                .map(|i| {
                    let name = CStr_opt(ffi::duckdb_prepared_statement_column_name(self.raw, i))
                        .unwrap_or_default();
                    let mut t = ffi::duckdb_prepared_statement_column_logical_type(self.raw, i);
                    let ty = if t.is_null() {
                        LogicalType::Any
                    } else {
                        let ty = LogicalType::from_raw(t);
                        ffi::duckdb_destroy_logical_type(&mut t);
                        ty
                    };
                    Column { name, ty }
                })
                .collect()
        }
    }

    pub fn statement_type(&self) -> ffi::duckdb_statement_type {
        unsafe { ffi::duckdb_prepared_statement_type(self.raw) }
    }

    /// Binds parameter `index` (0-based).
    pub fn bind(&mut self, index: usize, value: &BindValue) -> Result<()> {
        let i = (index + 1) as u64;
        let state = unsafe {
            match value {
                BindValue::Null => ffi::duckdb_bind_null(self.raw, i),
                BindValue::Text(s) => {
                    let mut v = ffi::duckdb_create_varchar_length(
                        s.as_ptr() as *const c_char,
                        s.len() as u64,
                    );
                    if v.is_null() {
                        return Err(DuckError::new(
                            ErrorKind::Conversion,
                            "invalid UTF-8 in a text parameter",
                        ));
                    }
                    let st = ffi::duckdb_bind_value(self.raw, i, v);
                    ffi::duckdb_destroy_value(&mut v);
                    st
                }
                BindValue::Bool(b) => ffi::duckdb_bind_boolean(self.raw, i, *b),
                BindValue::Int(n) => ffi::duckdb_bind_int64(self.raw, i, *n),
                BindValue::Float(f) => ffi::duckdb_bind_double(self.raw, i, *f),
                BindValue::Blob(b) => ffi::duckdb_bind_blob(
                    self.raw,
                    i,
                    b.as_ptr() as *const std::ffi::c_void,
                    b.len() as u64,
                ),
                BindValue::Date(days) => {
                    ffi::duckdb_bind_date(self.raw, i, ffi::duckdb_date { days: *days })
                }
                BindValue::Time(micros) => {
                    ffi::duckdb_bind_time(self.raw, i, ffi::duckdb_time { micros: *micros })
                }
                BindValue::Timestamp(micros) => ffi::duckdb_bind_timestamp(
                    self.raw,
                    i,
                    ffi::duckdb_timestamp { micros: *micros },
                ),
            }
        };
        if state == ffi::DuckDBSuccess {
            Ok(())
        } else {
            Err(DuckError::new(
                ErrorKind::Conversion,
                format!("cannot bind parameter ${}", index + 1),
            ))
        }
    }

    /// Starts executing; rows are produced as they are fetched, so memory stays bounded.
    pub fn execute_streaming(self) -> Result<QueryResult> {
        unsafe {
            let mut result: ffi::duckdb_result = std::mem::zeroed();
            let state = ffi::duckdb_execute_prepared_streaming(self.raw, &mut result);
            if state != ffi::DuckDBSuccess {
                let err = result_error(&mut result);
                ffi::duckdb_destroy_result(&mut result);
                return Err(err);
            }
            QueryResult::new(result, self)
        }
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        unsafe { ffi::duckdb_destroy_prepare(&mut self.raw) };
    }
}

/// A running (streaming) or finished query result.
pub struct QueryResult {
    // Field order matters: the result is destroyed before the statement it reads through.
    result: ffi::duckdb_result,
    options: ffi::duckdb_arrow_options,
    ffi_schema: FFI_ArrowSchema,
    schema: SchemaRef,
    exhausted: bool,
    prepared: Option<Prepared>,
}

// SAFETY: owned and read by one thread at a time.
unsafe impl Send for QueryResult {}

impl QueryResult {
    unsafe fn new(mut result: ffi::duckdb_result, prepared: Prepared) -> Result<Self> {
        unsafe {
            let options = ffi::duckdb_result_get_arrow_options(&mut result);
            let count = ffi::duckdb_column_count(&mut result);
            let mut types = Vec::with_capacity(count as usize);
            let mut names = Vec::with_capacity(count as usize);
            for i in 0..count {
                types.push(ffi::duckdb_column_logical_type(&mut result, i));
                names.push(ffi::duckdb_column_name(&mut result, i));
            }
            let mut ffi_schema = FFI_ArrowSchema::empty();
            let err = ffi::duckdb_to_arrow_schema(
                options,
                types.as_mut_ptr(),
                names.as_mut_ptr(),
                count,
                &mut ffi_schema as *mut _ as *mut ffi::ArrowSchema,
            );
            for t in &mut types {
                ffi::duckdb_destroy_logical_type(t);
            }
            let mut this = QueryResult {
                result,
                options,
                ffi_schema,
                schema: Arc::new(Schema::empty()),
                exhausted: false,
                prepared: Some(prepared),
            };
            error_data(err)?;
            this.schema = Arc::new(
                Schema::try_from(&this.ffi_schema)
                    .map_err(|e| DuckError::new(ErrorKind::Other, format!("Arrow schema: {e}")))?,
            );
            Ok(this)
        }
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows changed, for statements that change rows (never ours; kept for command tags).
    pub fn rows_changed(&mut self) -> u64 {
        unsafe { ffi::duckdb_rows_changed(&mut self.result) }
    }

    /// The next chunk of rows (DuckDB's vector size, 2048), or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if self.exhausted {
            return Ok(None);
        }
        unsafe {
            let mut chunk = ffi::duckdb_fetch_chunk(self.result);
            if chunk.is_null() {
                self.exhausted = true;
                let err = ffi::duckdb_result_error(&mut self.result);
                if !err.is_null() {
                    return Err(result_error(&mut self.result));
                }
                return Ok(None);
            }
            if ffi::duckdb_data_chunk_get_size(chunk) == 0 {
                ffi::duckdb_destroy_data_chunk(&mut chunk);
                self.exhausted = true;
                return Ok(None);
            }
            let mut array = FFI_ArrowArray::empty();
            let err = ffi::duckdb_data_chunk_to_arrow(
                self.options,
                chunk,
                &mut array as *mut _ as *mut ffi::ArrowArray,
            );
            ffi::duckdb_destroy_data_chunk(&mut chunk);
            error_data(err)?;
            let data = from_ffi(array, &self.ffi_schema)
                .map_err(|e| DuckError::new(ErrorKind::Other, format!("Arrow import: {e}")))?;
            let batch = RecordBatch::from(StructArray::from(data));
            debug_assert_eq!(batch.num_columns(), self.schema.fields().len());
            Ok(Some(batch))
        }
    }

    /// Ends the query early and gives the statement back for reuse.
    pub fn into_prepared(mut self) -> Prepared {
        self.prepared.take().expect("result holds its statement")
    }
}

impl Drop for QueryResult {
    fn drop(&mut self) {
        unsafe {
            ffi::duckdb_destroy_result(&mut self.result);
            ffi::duckdb_destroy_arrow_options(&mut self.options);
        }
        // `prepared` (if still here) drops after the result.
    }
}

impl LogicalType {
    /// # Safety
    /// `t` must be a live logical type.
    pub(crate) unsafe fn from_raw(t: ffi::duckdb_logical_type) -> LogicalType {
        unsafe {
            use LogicalType::*;
            let alias = take_c_string(ffi::duckdb_logical_type_get_alias(t));
            if alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("JSON"))
            {
                return Json;
            }
            match ffi::duckdb_get_type_id(t) {
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BOOLEAN => Boolean,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TINYINT => TinyInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_SMALLINT => SmallInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTEGER => Integer,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGINT => BigInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_HUGEINT => HugeInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UTINYINT => UTinyInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_USMALLINT => USmallInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UINTEGER => UInteger,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UBIGINT => UBigInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UHUGEINT => UHugeInt,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_FLOAT => Float,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_DOUBLE => Double,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_DECIMAL => Decimal {
                    width: ffi::duckdb_decimal_width(t),
                    scale: ffi::duckdb_decimal_scale(t),
                },
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR => Varchar,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BLOB => Blob,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIT => Bit,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_DATE => Date,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME => Time,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME_NS => TimeNs,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME_TZ => TimeTz,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP => Timestamp,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_S => TimestampS,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_MS => TimestampMs,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_NS => TimestampNs,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ => TimestampTz,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_INTERVAL => Interval,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UUID => Uuid,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_ENUM => Enum,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_BIGNUM => BigNum,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_GEOMETRY => Geometry,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARIANT => Variant,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_SQLNULL => Null,
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_LIST => {
                    let mut c = ffi::duckdb_list_type_child_type(t);
                    let child = LogicalType::from_raw(c);
                    ffi::duckdb_destroy_logical_type(&mut c);
                    List(Box::new(child))
                }
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_ARRAY => {
                    let mut c = ffi::duckdb_array_type_child_type(t);
                    let child = LogicalType::from_raw(c);
                    ffi::duckdb_destroy_logical_type(&mut c);
                    Array(Box::new(child), ffi::duckdb_array_type_array_size(t))
                }
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_MAP => {
                    let mut k = ffi::duckdb_map_type_key_type(t);
                    let mut v = ffi::duckdb_map_type_value_type(t);
                    let kt = LogicalType::from_raw(k);
                    let vt = LogicalType::from_raw(v);
                    ffi::duckdb_destroy_logical_type(&mut k);
                    ffi::duckdb_destroy_logical_type(&mut v);
                    Map(Box::new(kt), Box::new(vt))
                }
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_STRUCT => {
                    let n = ffi::duckdb_struct_type_child_count(t);
                    Struct(
                        (0..n)
                            .map(|i| {
                                let name = take_c_string(ffi::duckdb_struct_type_child_name(t, i))
                                    .unwrap_or_default();
                                let mut c = ffi::duckdb_struct_type_child_type(t, i);
                                let ty = LogicalType::from_raw(c);
                                ffi::duckdb_destroy_logical_type(&mut c);
                                (name, ty)
                            })
                            .collect(),
                    )
                }
                ffi::DUCKDB_TYPE_DUCKDB_TYPE_UNION => {
                    let n = ffi::duckdb_union_type_member_count(t);
                    Union(
                        (0..n)
                            .map(|i| {
                                let name = take_c_string(ffi::duckdb_union_type_member_name(t, i))
                                    .unwrap_or_default();
                                let mut c = ffi::duckdb_union_type_member_type(t, i);
                                let ty = LogicalType::from_raw(c);
                                ffi::duckdb_destroy_logical_type(&mut c);
                                (name, ty)
                            })
                            .collect(),
                    )
                }
                _ => Any,
            }
        }
    }
}

fn cstring(s: &str) -> std::result::Result<CString, String> {
    CString::new(s).map_err(|_| format!("NUL byte in '{s}'"))
}

fn nul_error() -> DuckError {
    DuckError::new(
        ErrorKind::Parser,
        "Parser Error: the query contains a NUL character",
    )
}

/// Copies a borrowed C string (not freed).
#[allow(non_snake_case)]
unsafe fn CStr_opt(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// Copies and frees a C string that DuckDB allocated for us.
unsafe fn take_c_string(p: *mut c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    unsafe { ffi::duckdb_free(p as *mut std::ffi::c_void) };
    Some(s)
}

unsafe fn result_error(result: &mut ffi::duckdb_result) -> DuckError {
    unsafe {
        let message = CStr_opt(ffi::duckdb_result_error(result))
            .unwrap_or_else(|| "unknown DuckDB error".into());
        DuckError::from_type(ffi::duckdb_result_error_type(result), message)
    }
}

unsafe fn error_data(mut err: ffi::duckdb_error_data) -> Result<()> {
    unsafe {
        if err.is_null() {
            return Ok(());
        }
        let outcome = if ffi::duckdb_error_data_has_error(err) {
            let message =
                CStr_opt(ffi::duckdb_error_data_message(err)).unwrap_or_else(|| "error".into());
            Err(DuckError::from_type(
                ffi::duckdb_error_data_error_type(err),
                message,
            ))
        } else {
            Ok(())
        };
        ffi::duckdb_destroy_error_data(&mut err);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Arc<Database> {
        Arc::new(Database::open_in_memory(&[]).unwrap())
    }

    #[test]
    fn describe_without_executing() {
        let db = db();
        let conn = db.connect().unwrap();
        conn.execute_batch("CREATE TABLE t(a INTEGER, b VARCHAR)")
            .unwrap();
        // A query with a side effect in a function would show itself if it ran; instead check
        // that preparing a query over a huge range is instant and exposes its columns.
        let p = conn
            .prepare("SELECT a, b, $1::DATE AS d, sum(range) AS s FROM t, range(1e12::BIGINT) GROUP BY ALL")
            .unwrap();
        let cols = p.columns();
        assert_eq!(
            cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["a", "b", "d", "s"]
        );
        assert_eq!(cols[0].ty, LogicalType::Integer);
        assert_eq!(cols[2].ty, LogicalType::Date);
        assert_eq!(cols[3].ty, LogicalType::HugeInt);
        assert_eq!(p.parameter_count(), 1);
    }

    #[test]
    fn streams_batches_and_reports_typed_errors() {
        let db = db();
        let conn = db.connect().unwrap();
        let mut p = conn.prepare("SELECT range AS n FROM range($1)").unwrap();
        p.bind(0, &BindValue::Int(5000)).unwrap();
        let mut r = p.execute_streaming().unwrap();
        let mut rows = 0;
        while let Some(b) = r.next_batch().unwrap() {
            rows += b.num_rows();
        }
        assert_eq!(rows, 5000);

        let err = conn.prepare("SELECT * FROM missing_table").err().unwrap();
        assert_eq!(err.kind, ErrorKind::Catalog);
        let err = conn.prepare("SELEC 1").err().unwrap();
        assert_eq!(err.kind, ErrorKind::Parser);
        let err = conn
            .prepare("SELECT 'x'::INTEGER")
            .and_then(|p| {
                let mut r = p.execute_streaming()?;
                r.next_batch().map(|_| ())
            })
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Conversion);
    }

    #[test]
    fn interrupt_stops_a_running_query() {
        let db = db();
        let conn = db.connect().unwrap();
        let interrupter = conn.interrupter();
        let p = conn
            .prepare("SELECT count(*) FROM range(10000000000) a")
            .unwrap();
        let t = std::thread::spawn(move || {
            let mut r = p.execute_streaming()?;
            r.next_batch().map(|_| ())
        });
        // Interrupt repeatedly until the worker reports it stopped: no timing assumption.
        while !t.is_finished() {
            interrupter.interrupt();
            std::thread::yield_now();
        }
        let err = t.join().unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Interrupt, "{}", err.message);
    }

    #[test]
    fn logical_types_are_read() {
        let db = db();
        let conn = db.connect().unwrap();
        let p = conn
            .prepare(
                "SELECT [1,2] AS l, {'a': 1, 'b': 'x'} AS s, MAP {'k': 1} AS m, \
                 '{}'::JSON AS j, 1.5::DECIMAL(10,2) AS d, [1,2,3]::INTEGER[3] AS a",
            )
            .unwrap();
        let types: Vec<_> = p.columns().into_iter().map(|c| c.ty).collect();
        assert_eq!(types[0], LogicalType::List(Box::new(LogicalType::Integer)));
        assert_eq!(
            types[1],
            LogicalType::Struct(vec![
                ("a".into(), LogicalType::Integer),
                ("b".into(), LogicalType::Varchar)
            ])
        );
        assert_eq!(
            types[2],
            LogicalType::Map(
                Box::new(LogicalType::Varchar),
                Box::new(LogicalType::Integer)
            )
        );
        assert_eq!(types[3], LogicalType::Json);
        assert_eq!(
            types[4],
            LogicalType::Decimal {
                width: 10,
                scale: 2
            }
        );
        assert_eq!(
            types[5],
            LogicalType::Array(Box::new(LogicalType::Integer), 3)
        );
    }
}
