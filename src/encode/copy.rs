//! `COPY ... TO STDOUT` data in PostgreSQL's three formats, from the same column-major
//! encodings as DataRows: text (`CopyAttributeOutText` escaping), CSV (`CopyAttributeOutCSV`
//! quoting) and binary (PGCOPY framing around the binary value forms).

use super::arrow::record_batch::RecordBatch;
use super::column::EncodedColumn;
use super::{ColumnEncoder, EncodeError, EncodeOptions, Format, PgType, encode_columns};
use bytes::{BufMut, BytesMut};

/// A COPY output format with its options (PostgreSQL's defaults: text `\t` and `\N`; CSV `,`,
/// `"`, escape = quote, NULL as an unquoted empty string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyFormat {
    Text {
        delimiter: u8,
        null: String,
    },
    Csv {
        delimiter: u8,
        quote: u8,
        escape: u8,
        null: String,
        header: bool,
    },
    Binary,
}

impl CopyFormat {
    pub fn text() -> CopyFormat {
        CopyFormat::Text {
            delimiter: b'\t',
            null: "\\N".into(),
        }
    }

    pub fn csv() -> CopyFormat {
        CopyFormat::Csv {
            delimiter: b',',
            quote: b'"',
            escape: b'"',
            null: String::new(),
            header: false,
        }
    }
}

/// Encodes result batches as COPY data (the CopyData payloads, concatenated).
#[derive(Clone, Debug)]
pub struct CopyEncoder {
    columns: Vec<ColumnEncoder>,
    names: Vec<String>,
    format: CopyFormat,
    options: EncodeOptions,
    /// Per column: its text values never need escaping or quoting in this format (see
    /// [`plain_text_type`]), so they are copied as they are, without a scan per byte.
    plain: Vec<bool>,
}

/// Whether PostgreSQL's text output of `oid` is made only of ASCII letters, digits and
/// `. + - :` and space: numbers, booleans, dates and times, intervals, uuids.
fn plain_text_type(oid: u32) -> bool {
    use super::types::oid::*;
    matches!(
        oid,
        BOOL | INT2
            | INT4
            | INT8
            | OID
            | FLOAT4
            | FLOAT8
            | NUMERIC
            | DATE
            | TIME
            | TIMETZ
            | TIMESTAMP
            | TIMESTAMPTZ
            | INTERVAL
            | UUID
    )
}

/// A byte that can occur in the text output of a [`plain_text_type`].
fn in_plain_alphabet(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b':' | b' ')
}

const PGCOPY_SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

impl CopyEncoder {
    pub fn new(
        columns: Vec<PgType>,
        names: Vec<String>,
        format: CopyFormat,
        options: EncodeOptions,
    ) -> CopyEncoder {
        let f = match format {
            CopyFormat::Binary => Format::Binary,
            _ => Format::Text,
        };
        // Text escapes the delimiter (and backslash and control characters, which a plain type
        // never prints); CSV quotes values holding the delimiter or the quote.
        let specials_plain = match &format {
            CopyFormat::Text { delimiter, .. } => !in_plain_alphabet(*delimiter),
            CopyFormat::Csv {
                delimiter, quote, ..
            } => !in_plain_alphabet(*delimiter) && !in_plain_alphabet(*quote),
            CopyFormat::Binary => false,
        };
        let plain = columns
            .iter()
            .map(|pg| specials_plain && plain_text_type(pg.oid))
            .collect();
        CopyEncoder {
            plain,
            columns: columns
                .into_iter()
                .map(|pg| ColumnEncoder::new(pg, f))
                .collect(),
            names,
            format,
            options,
        }
    }

    /// The overall format code for CopyOutResponse (0 text/CSV, 1 binary).
    pub fn format_code(&self) -> i8 {
        matches!(self.format, CopyFormat::Binary) as i8
    }

    /// Binary: signature, flags, header extension length. CSV with HEADER: the names line.
    pub fn header(&self, out: &mut BytesMut) {
        match &self.format {
            CopyFormat::Binary => {
                out.put_slice(PGCOPY_SIGNATURE);
                out.put_i32(0);
                out.put_i32(0);
            }
            CopyFormat::Csv {
                delimiter,
                quote,
                escape,
                null,
                header: true,
            } => {
                let single = self.names.len() == 1;
                for (i, name) in self.names.iter().enumerate() {
                    if i > 0 {
                        out.put_u8(*delimiter);
                    }
                    csv_value(
                        out,
                        name.as_bytes(),
                        *delimiter,
                        *quote,
                        *escape,
                        null,
                        single,
                    );
                }
                out.put_u8(b'\n');
            }
            _ => {}
        }
    }

    /// Whole rows of `batch`.
    pub fn encode_batch(&self, batch: &RecordBatch, out: &mut BytesMut) -> Result<(), EncodeError> {
        self.encode_batch_rows(batch, out, &mut Vec::new())
    }

    /// As [`CopyEncoder::encode_batch`], and pushes the end offset (in `out`) of each row:
    /// PostgreSQL sends one CopyData message per row, and clients' binary COPY parsers (psycopg)
    /// read a row per message.
    pub fn encode_batch_rows(
        &self,
        batch: &RecordBatch,
        out: &mut BytesMut,
        row_ends: &mut Vec<usize>,
    ) -> Result<(), EncodeError> {
        let cols = encode_columns(&self.columns, &self.options, batch)?;
        let rows = batch.num_rows();
        let total: usize = cols.iter().map(|c| c.data.len() + 5 * rows).sum();
        out.reserve(total + 2 * rows);
        let mut cursors = vec![0usize; cols.len()];
        let next =
            |c: &EncodedColumn, cur: &mut usize, r: usize| -> Option<std::ops::Range<usize>> {
                let len = c.lens[r];
                if len < 0 {
                    return None;
                }
                let range = *cur..*cur + len as usize;
                *cur = range.end;
                Some(range)
            };
        match &self.format {
            CopyFormat::Binary => {
                for r in 0..rows {
                    out.put_i16(cols.len() as i16);
                    for (c, cur) in cols.iter().zip(cursors.iter_mut()) {
                        match next(c, cur, r) {
                            None => out.put_i32(-1),
                            Some(range) => {
                                out.put_i32(range.len() as i32);
                                out.put_slice(&c.data[range]);
                            }
                        }
                    }
                    row_ends.push(out.len());
                }
            }
            CopyFormat::Text { delimiter, null } => {
                for r in 0..rows {
                    for (i, (c, cur)) in cols.iter().zip(cursors.iter_mut()).enumerate() {
                        if i > 0 {
                            out.put_u8(*delimiter);
                        }
                        match next(c, cur, r) {
                            None => out.put_slice(null.as_bytes()),
                            Some(range) if self.plain[i] => out.put_slice(&c.data[range]),
                            Some(range) => text_value(out, &c.data[range], *delimiter),
                        }
                    }
                    out.put_u8(b'\n');
                    row_ends.push(out.len());
                }
            }
            CopyFormat::Csv {
                delimiter,
                quote,
                escape,
                null,
                ..
            } => {
                let single = cols.len() == 1;
                for r in 0..rows {
                    for (i, (c, cur)) in cols.iter().zip(cursors.iter_mut()).enumerate() {
                        if i > 0 {
                            out.put_u8(*delimiter);
                        }
                        match next(c, cur, r) {
                            None => out.put_slice(null.as_bytes()),
                            Some(range)
                                if self.plain[i] && &c.data[range.clone()] != null.as_bytes() =>
                            {
                                out.put_slice(&c.data[range])
                            }
                            Some(range) => csv_value(
                                out,
                                &c.data[range],
                                *delimiter,
                                *quote,
                                *escape,
                                null,
                                single,
                            ),
                        }
                    }
                    out.put_u8(b'\n');
                    row_ends.push(out.len());
                }
            }
        }
        Ok(())
    }

    /// Binary: the i16 -1 end marker. Nothing for text and CSV (the v3 protocol needs no `\.`).
    pub fn trailer(&self, out: &mut BytesMut) {
        if let CopyFormat::Binary = self.format {
            out.put_i16(-1);
        }
    }
}

/// `CopyAttributeOutText`: backslash the delimiter and backslash itself, and write \b \f \n \r
/// \t \v for those control characters; other bytes pass through as they are.
fn text_value(out: &mut BytesMut, v: &[u8], delimiter: u8) {
    let mut start = 0;
    for (i, &c) in v.iter().enumerate() {
        let escaped = match c {
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x0B => b'v',
            b'\\' => b'\\',
            _ if c == delimiter => c,
            _ => continue,
        };
        out.put_slice(&v[start..i]);
        out.put_u8(b'\\');
        out.put_u8(escaped);
        start = i + 1;
    }
    out.put_slice(&v[start..]);
}

/// `CopyAttributeOutCSV`: quote a value that contains the delimiter, the quote, CR or LF, that
/// equals the NULL string, or that is `\.` alone on its line; inside quotes, precede quote and
/// escape characters with the escape character.
fn csv_value(
    out: &mut BytesMut,
    v: &[u8],
    delimiter: u8,
    quote: u8,
    escape: u8,
    null: &str,
    single_column: bool,
) {
    let needs_quotes = v == null.as_bytes()
        || (single_column && v == b"\\.")
        || v.iter()
            .any(|&c| c == delimiter || c == quote || c == b'\n' || c == b'\r');
    if !needs_quotes {
        return out.put_slice(v);
    }
    out.put_u8(quote);
    let mut start = 0;
    for (i, &c) in v.iter().enumerate() {
        if c == quote || c == escape {
            out.put_slice(&v[start..i]);
            out.put_u8(escape);
            start = i;
        }
    }
    out.put_slice(&v[start..]);
    out.put_u8(quote);
}
