//! One Arrow column → the PostgreSQL encodings of its values, column-major: every value's bytes
//! end to end in one buffer plus a length per value (-1 for NULL). The row-major wire formats
//! (DataRow, COPY) are then stitched from these by plain copies, so the per-type work runs in one
//! tight loop per column and batch instead of one dispatch per value.
//!
//! The Arrow type says how a value is represented (what DuckDB exported, after the server's
//! shaping); the PostgreSQL OID says what it must become. [`encode_column`] picks the loop from
//! the pair once per column.

use super::arrow::array::{Array, AsArray, GenericListArray, OffsetSizeTrait};
use super::arrow::buffer::NullBuffer;
use super::arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date32Type, Date64Type, Decimal128Type, Float16Type, Float32Type,
    Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, IntervalDayTimeType,
    IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use super::binary;
use super::text::{self, PG_EPOCH_DAYS, PG_EPOCH_USECS, USECS_PER_SEC};
use super::types::{element_of, oid};
use super::tz::OffsetCache;
use super::{EncodeError, EncodeOptions, Format};

/// The encoded values of one column of one batch.
#[derive(Debug, Default, Clone)]
pub struct EncodedColumn {
    /// All non-NULL values' bytes, back to back, in row order.
    pub data: Vec<u8>,
    /// Per row: the value's length in `data`, or -1 for NULL.
    pub lens: Vec<i32>,
}

impl EncodedColumn {
    pub fn clear(&mut self) {
        self.data.clear();
        self.lens.clear();
    }

    pub fn len(&self) -> usize {
        self.lens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The values as slices (`None` for NULL), in row order.
    pub fn values(&self) -> impl Iterator<Item = Option<&[u8]>> + '_ {
        let mut pos = 0usize;
        self.lens.iter().map(move |&len| {
            if len < 0 {
                None
            } else {
                let v = &self.data[pos..pos + len as usize];
                pos += len as usize;
                Some(v)
            }
        })
    }

    #[inline]
    fn push_null(&mut self) {
        self.lens.push(-1);
    }

    #[inline]
    fn finish(&mut self, start: usize) -> Result<(), EncodeError> {
        let len = self.data.len() - start;
        if len > i32::MAX as usize {
            return Err(EncodeError::new(
                "54000",
                format!("value of {len} bytes is too large to send"),
            ));
        }
        self.lens.push(len as i32);
        Ok(())
    }
}

/// Runs `f` over the values, appending each non-NULL one's bytes to `out.data`.
#[inline]
fn each<T, I, F>(
    values: I,
    nulls: Option<&NullBuffer>,
    out: &mut EncodedColumn,
    mut f: F,
) -> Result<(), EncodeError>
where
    I: Iterator<Item = T>,
    F: FnMut(T, &mut Vec<u8>) -> Result<(), EncodeError>,
{
    match nulls {
        None => {
            for v in values {
                let start = out.data.len();
                f(v, &mut out.data)?;
                out.finish(start)?;
            }
        }
        Some(nulls) => {
            for (i, v) in values.enumerate() {
                if nulls.is_null(i) {
                    out.push_null();
                } else {
                    let start = out.data.len();
                    f(v, &mut out.data)?;
                    out.finish(start)?;
                }
            }
        }
    }
    Ok(())
}

fn prim<T: ArrowPrimitiveType>(
    array: &dyn Array,
) -> (impl Iterator<Item = T::Native> + '_, Option<&NullBuffer>) {
    let a = array.as_primitive::<T>();
    (a.values().iter().copied(), a.nulls())
}

fn unsupported(dt: &DataType, pg_oid: u32) -> EncodeError {
    EncodeError::new(
        "0A000",
        format!(
            "cannot send a value of Arrow type {dt} as PostgreSQL type {}",
            super::types::type_name(pg_oid).unwrap_or("(unknown)")
        ),
    )
}

fn out_of_range(what: &str) -> EncodeError {
    EncodeError::new("22008", format!("{what} out of range"))
}

/// Encodes `array` as values of PostgreSQL type `pg_oid` in `format`, appending to `out`
/// (exactly `array.len()` entries).
pub fn encode_column(
    array: &dyn Array,
    pg_oid: u32,
    format: Format,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    out.lens.reserve(array.len());
    let dt = array.data_type();
    let bin = format == Format::Binary;
    match dt {
        DataType::Null => {
            out.lens.resize(out.lens.len() + array.len(), -1);
            Ok(())
        }
        DataType::Boolean => {
            let a = array.as_boolean();
            let vals = (0..a.len()).map(|i| a.value(i));
            each(vals, a.nulls(), out, |v, o| {
                o.push(match (bin, v) {
                    (true, v) => v as u8,
                    (false, true) => b't',
                    (false, false) => b'f',
                });
                Ok(())
            })
        }
        DataType::Int8 => ints(prim::<Int8Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::Int16 => ints(prim::<Int16Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::Int32 => ints(prim::<Int32Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::Int64 => ints(prim::<Int64Type>(array), |v| v, pg_oid, bin, out),
        DataType::UInt8 => ints(prim::<UInt8Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::UInt16 => ints(prim::<UInt16Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::UInt32 => ints(prim::<UInt32Type>(array), |v| v as i64, pg_oid, bin, out),
        DataType::UInt64 => {
            let (vals, nulls) = prim::<UInt64Type>(array);
            match (pg_oid, bin) {
                (oid::NUMERIC, true) => each(vals, nulls, out, |v, o| {
                    binary::write_numeric_u128(o, false, v as u128, 0);
                    Ok(())
                }),
                (oid::INT8, true) => each(vals, nulls, out, |v, o| {
                    let v = i64::try_from(v)
                        .map_err(|_| EncodeError::new("22003", "bigint out of range".into()))?;
                    o.extend_from_slice(&v.to_be_bytes());
                    Ok(())
                }),
                _ => each(vals, nulls, out, |v, o| {
                    text::write_u64(o, v);
                    Ok(())
                }),
            }
        }
        DataType::Float16 => {
            let (vals, nulls) = prim::<Float16Type>(array);
            floats(vals.map(|v| v.to_f64()), nulls, pg_oid, bin, options, out)
        }
        DataType::Float32 => {
            let (vals, nulls) = prim::<Float32Type>(array);
            floats(vals.map(|v| v as f64), nulls, pg_oid, bin, options, out)
        }
        DataType::Float64 => {
            let (vals, nulls) = prim::<Float64Type>(array);
            floats(vals, nulls, pg_oid, bin, options, out)
        }
        DataType::Decimal128(_, scale) => {
            if *scale < 0 {
                return Err(unsupported(dt, pg_oid));
            }
            let scale = *scale as u8;
            let (vals, nulls) = prim::<Decimal128Type>(array);
            if bin {
                each(vals, nulls, out, |v, o| {
                    binary::write_numeric_i128(o, v, scale);
                    Ok(())
                })
            } else {
                each(vals, nulls, out, |v, o| {
                    text::write_decimal(o, v, scale);
                    Ok(())
                })
            }
        }
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            strings(
                (0..a.len()).map(|i| a.value(i).as_bytes()),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            strings(
                (0..a.len()).map(|i| a.value(i).as_bytes()),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            strings(
                (0..a.len()).map(|i| a.value(i).as_bytes()),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            bytes(
                (0..a.len()).map(|i| a.value(i)),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            bytes(
                (0..a.len()).map(|i| a.value(i)),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::BinaryView => {
            let a = array.as_binary_view();
            bytes(
                (0..a.len()).map(|i| a.value(i)),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            bytes(
                (0..a.len()).map(|i| a.value(i)),
                a.nulls(),
                pg_oid,
                bin,
                out,
            )
        }
        DataType::Date32 => {
            let (vals, nulls) = prim::<Date32Type>(array);
            dates(vals, nulls, bin, out)
        }
        DataType::Date64 => {
            let (vals, nulls) = prim::<Date64Type>(array);
            let vals = vals.map(|ms| {
                ms.div_euclid(86_400_000)
                    .clamp(i32::MIN as i64, i32::MAX as i64) as i32
            });
            dates(vals, nulls, bin, out)
        }
        DataType::Time32(TimeUnit::Second) => {
            let (vals, nulls) = prim::<Time32SecondType>(array);
            times(vals.map(|v| v as i64 * USECS_PER_SEC), nulls, bin, out)
        }
        DataType::Time32(_) => {
            let (vals, nulls) = prim::<Time32MillisecondType>(array);
            times(vals.map(|v| v as i64 * 1000), nulls, bin, out)
        }
        DataType::Time64(TimeUnit::Nanosecond) => {
            let (vals, nulls) = prim::<Time64NanosecondType>(array);
            times(vals.map(|v| v.div_euclid(1000)), nulls, bin, out)
        }
        DataType::Time64(_) => {
            let (vals, nulls) = prim::<Time64MicrosecondType>(array);
            times(vals, nulls, bin, out)
        }
        DataType::Timestamp(unit, _) => {
            let tz = pg_oid == oid::TIMESTAMPTZ;
            match unit {
                TimeUnit::Second => {
                    let (vals, nulls) = prim::<TimestampSecondType>(array);
                    timestamps(vals, nulls, USECS_PER_SEC, 1, tz, bin, options, out)
                }
                TimeUnit::Millisecond => {
                    let (vals, nulls) = prim::<TimestampMillisecondType>(array);
                    timestamps(vals, nulls, 1000, 1, tz, bin, options, out)
                }
                TimeUnit::Microsecond => {
                    let (vals, nulls) = prim::<TimestampMicrosecondType>(array);
                    timestamps(vals, nulls, 1, 1, tz, bin, options, out)
                }
                TimeUnit::Nanosecond => {
                    let (vals, nulls) = prim::<TimestampNanosecondType>(array);
                    timestamps(vals, nulls, 1, 1000, tz, bin, options, out)
                }
            }
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let (vals, nulls) = prim::<IntervalMonthDayNanoType>(array);
            intervals(
                vals.map(|v| (v.months, v.days, v.nanoseconds / 1000)),
                nulls,
                bin,
                out,
            )
        }
        DataType::Interval(IntervalUnit::DayTime) => {
            let (vals, nulls) = prim::<IntervalDayTimeType>(array);
            intervals(
                vals.map(|v| (0, v.days, v.milliseconds as i64 * 1000)),
                nulls,
                bin,
                out,
            )
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            let (vals, nulls) = prim::<IntervalYearMonthType>(array);
            intervals(vals.map(|v| (v, 0, 0)), nulls, bin, out)
        }
        DataType::List(_) => list(array.as_list::<i32>(), pg_oid, format, options, out),
        DataType::LargeList(_) => list(array.as_list::<i64>(), pg_oid, format, options, out),
        DataType::FixedSizeList(_, size) => {
            let a = array.as_fixed_size_list();
            let size = (*size).max(0) as usize;
            let start = a.offset() * size;
            let values = a.values().slice(start, a.len() * size);
            let ranges = (0..a.len()).map(|i| (i * size, (i + 1) * size));
            array_values(
                ranges,
                a.nulls(),
                values.as_ref(),
                pg_oid,
                format,
                options,
                out,
            )
        }
        DataType::Dictionary(_, _) => dictionary(array, pg_oid, format, options, out),
        _ => Err(unsupported(dt, pg_oid)),
    }
}

/// Integers (all but u64) → int2/int4/int8 (binary width from the PostgreSQL type), numeric, or
/// their decimal text.
fn ints<N, I>(
    (vals, nulls): (I, Option<&NullBuffer>),
    widen: impl Fn(N) -> i64,
    pg_oid: u32,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError>
where
    I: Iterator<Item = N>,
{
    let vals = vals.map(widen);
    let range = |name: &str| EncodeError::new("22003", format!("{name} out of range"));
    match (bin, pg_oid) {
        (true, oid::INT2) => each(vals, nulls, out, |v, o| {
            let v = i16::try_from(v).map_err(|_| range("smallint"))?;
            o.extend_from_slice(&v.to_be_bytes());
            Ok(())
        }),
        (true, oid::INT4) => each(vals, nulls, out, |v, o| {
            let v = i32::try_from(v).map_err(|_| range("integer"))?;
            o.extend_from_slice(&v.to_be_bytes());
            Ok(())
        }),
        (true, oid::OID) => each(vals, nulls, out, |v, o| {
            let v = u32::try_from(v).map_err(|_| range("OID"))?;
            o.extend_from_slice(&v.to_be_bytes());
            Ok(())
        }),
        (true, oid::INT8) => each(vals, nulls, out, |v, o| {
            o.extend_from_slice(&v.to_be_bytes());
            Ok(())
        }),
        (true, oid::NUMERIC) => each(vals, nulls, out, |v, o| {
            binary::write_numeric_i128(o, v as i128, 0);
            Ok(())
        }),
        _ => each(vals, nulls, out, |v, o| {
            text::write_i64(o, v);
            Ok(())
        }),
    }
}

fn floats(
    vals: impl Iterator<Item = f64>,
    nulls: Option<&NullBuffer>,
    pg_oid: u32,
    bin: bool,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    let f4 = pg_oid == oid::FLOAT4;
    let efd = options.extra_float_digits;
    match (bin, f4) {
        (true, true) => each(vals, nulls, out, |v, o| {
            o.extend_from_slice(&(v as f32).to_bits().to_be_bytes());
            Ok(())
        }),
        (true, false) => each(vals, nulls, out, |v, o| {
            o.extend_from_slice(&v.to_bits().to_be_bytes());
            Ok(())
        }),
        (false, _) => each(vals, nulls, out, |v, o| {
            text::write_float(o, v, f4, efd);
            Ok(())
        }),
    }
}

/// Text → text, json, enum (as text), and the types DuckDB handed over as text: varbit, numeric
/// (UHUGEINT, BIGNUM), timetz, uuid. The text forms are PostgreSQL's already; binary needs parsing.
fn strings<'a>(
    vals: impl Iterator<Item = &'a [u8]>,
    nulls: Option<&NullBuffer>,
    pg_oid: u32,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    if !bin {
        return each(vals, nulls, out, |v, o| {
            o.extend_from_slice(v);
            Ok(())
        });
    }
    match pg_oid {
        oid::VARBIT | oid::BIT => each(vals, nulls, out, |v, o| binary::write_varbit_text(o, v)),
        oid::NUMERIC => each(vals, nulls, out, |v, o| binary::write_numeric_text(o, v)),
        oid::TIMETZ => each(vals, nulls, out, |v, o| binary::write_timetz_text(o, v)),
        oid::UUID => each(vals, nulls, out, |v, o| {
            let u = binary::parse_uuid(v).ok_or_else(|| {
                EncodeError::new(
                    "22P02",
                    format!(
                        "invalid input syntax for type uuid: \"{}\"",
                        String::from_utf8_lossy(v)
                    ),
                )
            })?;
            o.extend_from_slice(&u);
            Ok(())
        }),
        oid::JSONB => each(vals, nulls, out, |v, o| {
            o.push(1);
            o.extend_from_slice(v);
            Ok(())
        }),
        _ => each(vals, nulls, out, |v, o| {
            o.extend_from_slice(v);
            Ok(())
        }),
    }
}

/// Blob / WKB geometry → bytea (hex text, raw binary); 16-byte values → uuid when asked.
fn bytes<'a>(
    vals: impl Iterator<Item = &'a [u8]>,
    nulls: Option<&NullBuffer>,
    pg_oid: u32,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    match (bin, pg_oid) {
        (true, _) => each(vals, nulls, out, |v, o| {
            o.extend_from_slice(v);
            Ok(())
        }),
        (false, oid::UUID) => each(vals, nulls, out, |v, o| {
            let u: &[u8; 16] = v
                .try_into()
                .map_err(|_| EncodeError::new("22P02", "uuid value is not 16 bytes".into()))?;
            text::write_uuid(o, u);
            Ok(())
        }),
        (false, _) => each(vals, nulls, out, |v, o| {
            text::write_bytea(o, v);
            Ok(())
        }),
    }
}

fn dates(
    vals: impl Iterator<Item = i32>,
    nulls: Option<&NullBuffer>,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    if !bin {
        return each(vals, nulls, out, |v, o| {
            text::write_date(o, v);
            Ok(())
        });
    }
    each(vals, nulls, out, |v, o| {
        let pg = match text::date_infinity(v) {
            Some(true) => i32::MAX,
            Some(false) => i32::MIN,
            None => i32::try_from(v as i64 - PG_EPOCH_DAYS).map_err(|_| out_of_range("date"))?,
        };
        o.extend_from_slice(&pg.to_be_bytes());
        Ok(())
    })
}

fn times(
    vals: impl Iterator<Item = i64>,
    nulls: Option<&NullBuffer>,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    if bin {
        each(vals, nulls, out, |v, o| {
            o.extend_from_slice(&v.to_be_bytes());
            Ok(())
        })
    } else {
        each(vals, nulls, out, |v, o| {
            text::write_time(o, v);
            Ok(())
        })
    }
}

/// Timestamps of any unit: raw values are `mul`tiplied or `div`ided into microseconds (nanoseconds
/// are truncated, as PostgreSQL has none); DuckDB's ±i64::MAX stay infinities in every unit.
#[allow(clippy::too_many_arguments)]
fn timestamps(
    vals: impl Iterator<Item = i64>,
    nulls: Option<&NullBuffer>,
    mul: i64,
    div: i64,
    with_tz: bool,
    bin: bool,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    let to_micros = |v: i64| -> Result<Result<i64, bool>, EncodeError> {
        if let Some(inf) = text::timestamp_infinity(v) {
            return Ok(Err(inf));
        }
        let us = if div > 1 {
            v.div_euclid(div)
        } else {
            v.checked_mul(mul)
                .ok_or_else(|| out_of_range("timestamp"))?
        };
        Ok(Ok(us))
    };
    if bin {
        return each(vals, nulls, out, |v, o| {
            let pg = match to_micros(v)? {
                Err(true) => i64::MAX,
                Err(false) => i64::MIN,
                Ok(us) => us
                    .checked_sub(PG_EPOCH_USECS)
                    .ok_or_else(|| out_of_range("timestamp"))?,
            };
            o.extend_from_slice(&pg.to_be_bytes());
            Ok(())
        });
    }
    let mut offsets = OffsetCache::new(&options.time_zone);
    each(vals, nulls, out, |v, o| {
        match to_micros(v)? {
            Err(true) => o.extend_from_slice(b"infinity"),
            Err(false) => o.extend_from_slice(b"-infinity"),
            Ok(us) if with_tz => {
                let east = offsets.offset_at(us.div_euclid(USECS_PER_SEC));
                text::write_timestamptz(o, us, east);
            }
            Ok(us) => text::write_timestamp(o, us),
        }
        Ok(())
    })
}

fn intervals(
    vals: impl Iterator<Item = (i32, i32, i64)>,
    nulls: Option<&NullBuffer>,
    bin: bool,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    if bin {
        each(vals, nulls, out, |(months, days, micros), o| {
            o.extend_from_slice(&micros.to_be_bytes());
            o.extend_from_slice(&days.to_be_bytes());
            o.extend_from_slice(&months.to_be_bytes());
            Ok(())
        })
    } else {
        each(vals, nulls, out, |(months, days, micros), o| {
            text::write_interval(o, months, days, micros);
            Ok(())
        })
    }
}

fn list<O: OffsetSizeTrait>(
    a: &GenericListArray<O>,
    pg_oid: u32,
    format: Format,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    let offsets = a.value_offsets();
    let first = offsets.first().map_or(0, |o| o.as_usize());
    let last = offsets.last().map_or(0, |o| o.as_usize());
    let values = a.values().slice(first, last - first);
    let ranges = offsets
        .windows(2)
        .map(|w| (w[0].as_usize() - first, w[1].as_usize() - first));
    array_values(
        ranges,
        a.nulls(),
        values.as_ref(),
        pg_oid,
        format,
        options,
        out,
    )
}

/// One PostgreSQL array per `(start, end)` range of `values` (`array_out` / `array_send`, one
/// dimension, lower bound 1). The elements are encoded once, column-major, then framed.
fn array_values(
    ranges: impl Iterator<Item = (usize, usize)>,
    nulls: Option<&NullBuffer>,
    values: &dyn Array,
    pg_oid: u32,
    format: Format,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    let elem_oid = element_of(pg_oid).unwrap_or(oid::TEXT);
    let mut elems = EncodedColumn::default();
    encode_column(values, elem_oid, format, options, &mut elems)?;
    // Element byte offsets, so each array finds its elements' bytes directly.
    let mut starts = Vec::with_capacity(elems.lens.len() + 1);
    let mut pos = 0usize;
    starts.push(0);
    for &l in &elems.lens {
        pos += l.max(0) as usize;
        starts.push(pos);
    }
    let bin = format == Format::Binary;
    for (i, (lo, hi)) in ranges.enumerate() {
        if nulls.is_some_and(|n| n.is_null(i)) {
            out.push_null();
            continue;
        }
        let start = out.data.len();
        let lens = &elems.lens[lo..hi];
        let o = &mut out.data;
        if bin {
            let has_null = lens.iter().any(|&l| l < 0);
            let ndim: i32 = if lens.is_empty() { 0 } else { 1 };
            o.extend_from_slice(&ndim.to_be_bytes());
            o.extend_from_slice(&(has_null as i32).to_be_bytes());
            o.extend_from_slice(&elem_oid.to_be_bytes());
            if ndim == 1 {
                o.extend_from_slice(&(lens.len() as i32).to_be_bytes());
                o.extend_from_slice(&1i32.to_be_bytes());
            }
            for (k, &len) in lens.iter().enumerate() {
                o.extend_from_slice(&len.to_be_bytes());
                if len > 0 {
                    o.extend_from_slice(&elems.data[starts[lo + k]..starts[lo + k + 1]]);
                }
            }
        } else {
            o.push(b'{');
            for (k, &len) in lens.iter().enumerate() {
                if k > 0 {
                    o.push(b',');
                }
                if len < 0 {
                    o.extend_from_slice(b"NULL");
                } else {
                    text::write_array_element(o, &elems.data[starts[lo + k]..starts[lo + k + 1]]);
                }
            }
            o.push(b'}');
        }
        out.finish(start)?;
    }
    Ok(())
}

/// Dictionary-encoded values (DuckDB's native ENUM export): encode the dictionary once, then
/// copy each key's entry.
fn dictionary(
    array: &dyn Array,
    pg_oid: u32,
    format: Format,
    options: &EncodeOptions,
    out: &mut EncodedColumn,
) -> Result<(), EncodeError> {
    let d = array.as_any_dictionary();
    let mut dict = EncodedColumn::default();
    encode_column(d.values().as_ref(), pg_oid, format, options, &mut dict)?;
    let mut starts = Vec::with_capacity(dict.lens.len() + 1);
    let mut pos = 0usize;
    starts.push(0);
    for &l in &dict.lens {
        pos += l.max(0) as usize;
        starts.push(pos);
    }
    let key_nulls = d.keys().logical_nulls();
    for (i, k) in d.normalized_keys().into_iter().enumerate() {
        let len = dict.lens.get(k).copied().unwrap_or(-1);
        if len < 0 || key_nulls.as_ref().is_some_and(|n| n.is_null(i)) {
            out.push_null();
        } else {
            out.data
                .extend_from_slice(&dict.data[starts[k]..starts[k + 1]]);
            out.lens.push(len);
        }
    }
    Ok(())
}
