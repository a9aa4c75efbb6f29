//! Unit tests. `golden.rs` holds byte-exact outputs of PostgreSQL 15 (regenerate it with
//! `gen_golden.py`); the other tests cover framing, COPY, parameters and plans, with vectors
//! taken from PostgreSQL the same way (recorded inline).

use std::sync::Arc;

use super::arrow::array::*;
use super::arrow::buffer::{NullBuffer, OffsetBuffer};
use super::arrow::datatypes::{DataType, Field, IntervalMonthDayNano};
use super::types::oid;
use super::*;

mod golden;
mod other;

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Asserts the text and binary encodings of every value of `array` as `pg`.
pub(crate) fn check(
    name: &str,
    array: &dyn Array,
    pg: PgType,
    options: &EncodeOptions,
    text: &[Option<&str>],
    binary: &[Option<&str>],
) {
    for format in [Format::Text, Format::Binary] {
        let expected: Vec<Option<Vec<u8>>> = match format {
            Format::Text => text
                .iter()
                .map(|v| v.map(|s| s.as_bytes().to_vec()))
                .collect(),
            Format::Binary => binary.iter().map(|v| v.map(unhex)).collect(),
        };
        let mut col = EncodedColumn::default();
        encode_column(array, pg.oid, format, options, &mut col)
            .unwrap_or_else(|e| panic!("{name} {format:?}: {e}"));
        let got: Vec<Option<Vec<u8>>> = col.values().map(|v| v.map(<[u8]>::to_vec)).collect();
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            let show = |v: &Option<Vec<u8>>| match (format, v) {
                (_, None) => "NULL".to_string(),
                (Format::Text, Some(b)) => format!("{:?}", String::from_utf8_lossy(b)),
                (Format::Binary, Some(b)) => b.iter().map(|x| format!("{x:02x}")).collect(),
            };
            assert_eq!(
                g,
                e,
                "{name} {format:?} value {i}: got {} want {}",
                show(g),
                show(e)
            );
        }
        assert_eq!(got.len(), expected.len(), "{name} {format:?}: value count");
    }
}

/// A list array over `child`: one list per entry of `lens` (None: a NULL list), consuming the
/// child's values in order.
pub(crate) fn list(child: ArrayRef, lens: &[Option<usize>]) -> ArrayRef {
    let offsets = OffsetBuffer::from_lengths(lens.iter().map(|l| l.unwrap_or(0)));
    let nulls = NullBuffer::from(lens.iter().map(Option::is_some).collect::<Vec<_>>());
    let field = Arc::new(Field::new("l", child.data_type().clone(), true));
    Arc::new(ListArray::new(field, offsets, child, Some(nulls)))
}

/// A fixed-size list array; a NULL entry still occupies `size` child slots.
pub(crate) fn fixed_list(child: ArrayRef, size: i32, lens: &[Option<usize>]) -> ArrayRef {
    let nulls = NullBuffer::from(lens.iter().map(Option::is_some).collect::<Vec<_>>());
    let field = Arc::new(Field::new("l", child.data_type().clone(), true));
    Arc::new(FixedSizeListArray::new(field, size, child, Some(nulls)))
}

#[allow(dead_code)]
pub(crate) fn data_type_of(a: &dyn Array) -> DataType {
    a.data_type().clone()
}
