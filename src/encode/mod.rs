//! Pure encoding of DuckDB result values (Arrow arrays, as DuckDB's Arrow export produces them)
//! into PostgreSQL's wire formats, and decoding of binary bind parameters. Values in, bytes out:
//! no I/O, no DuckDB, no pgwire.
//!
//! - [`types`]: which PostgreSQL type a DuckDB column is sent as, and how the server must shape
//!   the SQL for it ([`types::plan_column`]); OIDs and type names.
//! - [`RowEncoder`]: DataRow bodies for a batch, text or binary per column.
//! - [`copy`]: `COPY ... TO STDOUT` in text, CSV and binary.
//! - [`params`]: bind parameters → [`BindValue`](crate::lake::types::BindValue).
//! - [`TimeZone`]: the session time zone for timestamptz text.
//!
//! Output matches PostgreSQL 15 byte for byte (DateStyle ISO, IntervalStyle postgres,
//! bytea_output hex); the unit tests hold vectors produced by a real PostgreSQL 15.
//!
//! Encoding is column-major ([`column`]): one loop per column and batch writes every value's
//! bytes into a scratch buffer, then the row-major wire frames are stitched together with plain
//! copies. This keeps the per-type dispatch out of the per-value path.

// The main crate reaches arrow through `duckdb::arrow`, the scratch crate directly; each
// provides `crate::arrow_compat`, so this module names the one arrow it is compiled against.
pub(crate) use crate::arrow_compat as arrow;

pub mod binary;
pub mod column;
pub mod copy;
pub mod params;
pub mod text;
pub mod types;
pub mod tz;

#[cfg(test)]
mod tests;

use arrow::record_batch::RecordBatch;
use bytes::{BufMut, BytesMut};

pub use column::{EncodedColumn, encode_column};
pub use copy::{CopyEncoder, CopyFormat};
pub use params::decode_param;
pub use types::{ColumnPlan, PgType, Shaping, plan_column};
pub use tz::TimeZone;

/// The PostgreSQL format code of a column or parameter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Text,
    Binary,
}

impl Format {
    /// From a protocol format code (0 text, 1 binary).
    pub fn from_code(code: i16) -> Option<Format> {
        match code {
            0 => Some(Format::Text),
            1 => Some(Format::Binary),
            _ => None,
        }
    }
}

/// The session settings that change text output.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodeOptions {
    /// Zone for timestamptz text (binary timestamptz is always UTC).
    pub time_zone: TimeZone,
    /// PostgreSQL's `extra_float_digits` (-15..3): > 0 shortest round-trip, else `%.{15+n}g`.
    pub extra_float_digits: i32,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            time_zone: TimeZone::utc(),
            extra_float_digits: 1,
        }
    }
}

/// An error with the SQLSTATE the server should report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EncodeError {
    pub sqlstate: &'static str,
    pub message: String,
}

impl EncodeError {
    pub fn new(sqlstate: &'static str, message: String) -> EncodeError {
        EncodeError { sqlstate, message }
    }
}

/// Encoder of one result column: its PostgreSQL type and format. The Arrow type of the arrays
/// it is given says how values are represented, so it is resolved per batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnEncoder {
    pub pg: PgType,
    pub format: Format,
}

impl ColumnEncoder {
    pub fn new(pg: PgType, format: Format) -> ColumnEncoder {
        ColumnEncoder { pg, format }
    }

    /// Appends the encodings of all of `array`'s values to `out`.
    pub fn encode(
        &self,
        array: &dyn arrow::array::Array,
        options: &EncodeOptions,
        out: &mut EncodedColumn,
    ) -> Result<(), EncodeError> {
        encode_column(array, self.pg.oid, self.format, options, out)
    }
}

/// Encodes whole batches into DataRow bodies.
#[derive(Clone, Debug)]
pub struct RowEncoder {
    columns: Vec<ColumnEncoder>,
    options: EncodeOptions,
}

/// Encodes every column of `batch` column-major.
pub(crate) fn encode_columns(
    columns: &[ColumnEncoder],
    options: &EncodeOptions,
    batch: &RecordBatch,
) -> Result<Vec<EncodedColumn>, EncodeError> {
    if batch.num_columns() != columns.len() {
        return Err(EncodeError::new(
            "XX000",
            format!(
                "result batch has {} columns, {} were described",
                batch.num_columns(),
                columns.len()
            ),
        ));
    }
    let mut encoded = Vec::with_capacity(columns.len());
    for (col, array) in columns.iter().zip(batch.columns()) {
        let mut e = EncodedColumn::default();
        col.encode(array.as_ref(), options, &mut e)?;
        encoded.push(e);
    }
    Ok(encoded)
}

impl RowEncoder {
    /// `columns` in result order, after shaping.
    pub fn new(columns: Vec<(PgType, Format)>, options: EncodeOptions) -> RowEncoder {
        RowEncoder {
            columns: columns
                .into_iter()
                .map(|(pg, f)| ColumnEncoder::new(pg, f))
                .collect(),
            options,
        }
    }

    pub fn options(&self) -> &EncodeOptions {
        &self.options
    }

    /// Appends one DataRow body per row of `batch` into `out` — for each row, for each field an
    /// i32 BE length (-1 for NULL) then the bytes — and pushes the end offset (in `out`) of each
    /// row onto `row_ends`. Does not write the 'D' message header or the i16 field count.
    pub fn encode_batch(
        &self,
        batch: &RecordBatch,
        out: &mut BytesMut,
        row_ends: &mut Vec<usize>,
    ) -> Result<(), EncodeError> {
        let cols = encode_columns(&self.columns, &self.options, batch)?;
        let rows = batch.num_rows();
        let total: usize = cols.iter().map(|c| c.data.len() + 4 * rows).sum();
        out.reserve(total);
        row_ends.reserve(rows);
        let mut cursors = vec![0usize; cols.len()];
        for r in 0..rows {
            for (c, cur) in cols.iter().zip(cursors.iter_mut()) {
                let len = c.lens[r];
                out.put_i32(len);
                if len > 0 {
                    let end = *cur + len as usize;
                    out.put_slice(&c.data[*cur..end]);
                    *cur = end;
                }
            }
            row_ends.push(out.len());
        }
        Ok(())
    }
}
