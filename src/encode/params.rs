//! Bind parameters (the values of a Bind message) → [`BindValue`]s for DuckDB.
//!
//! Text-format parameters are passed on as text for DuckDB to cast, as PostgreSQL casts them with
//! the parameter type's input function; the one exception is bytea, whose PostgreSQL text forms
//! (`\x0102`, escape format) mean something else to DuckDB's BLOB cast and so are decoded here.
//! Binary-format parameters are decoded by their declared OID (`typreceive`).

use super::EncodeError;
use super::binary::numeric_to_text;
use super::text::{self, PG_EPOCH_DAYS, PG_EPOCH_USECS};
use super::types::{element_of, oid, type_name};
use crate::lake::types::BindValue;

fn bad_binary(oid: u32) -> EncodeError {
    EncodeError::new(
        "22P03",
        format!(
            "incorrect binary data format for type {}",
            type_name(oid).unwrap_or("unknown")
        ),
    )
}

fn utf8(bytes: &[u8]) -> Result<String, EncodeError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        EncodeError::new(
            "22021",
            "invalid byte sequence for encoding \"UTF8\"".to_string(),
        )
    })
}

fn fixed<const N: usize>(oid: u32, v: &[u8]) -> Result<[u8; N], EncodeError> {
    v.try_into().map_err(|_| bad_binary(oid))
}

/// Decodes one bind parameter. `oid` is the type the client declared (0 = unspecified),
/// `binary` its format, `value` `None` for NULL.
pub fn decode_param(
    oid: u32,
    binary: bool,
    value: Option<&[u8]>,
) -> Result<BindValue, EncodeError> {
    let Some(v) = value else {
        return Ok(BindValue::Null);
    };
    if !binary {
        if oid == oid::BYTEA {
            return decode_bytea_text(v).map(BindValue::Blob);
        }
        return utf8(v).map(BindValue::Text);
    }
    Ok(match oid {
        oid::BOOL => BindValue::Bool(fixed::<1>(oid, v)?[0] != 0),
        oid::INT2 => BindValue::Int(i16::from_be_bytes(fixed(oid, v)?) as i64),
        oid::INT4 => BindValue::Int(i32::from_be_bytes(fixed(oid, v)?) as i64),
        oid::INT8 => BindValue::Int(i64::from_be_bytes(fixed(oid, v)?)),
        oid::OID | oid::REGPROC => BindValue::Int(u32::from_be_bytes(fixed(oid, v)?) as i64),
        oid::FLOAT4 => BindValue::Float(f32::from_be_bytes(fixed(oid, v)?) as f64),
        oid::FLOAT8 => BindValue::Float(f64::from_be_bytes(fixed(oid, v)?)),
        oid::BYTEA => BindValue::Blob(v.to_vec()),
        oid::DATE => {
            let days = i32::from_be_bytes(fixed(oid, v)?);
            match days {
                i32::MAX => BindValue::Text("infinity".into()),
                i32::MIN => BindValue::Text("-infinity".into()),
                d => BindValue::Date(
                    i32::try_from(d as i64 + PG_EPOCH_DAYS)
                        .map_err(|_| EncodeError::new("22008", "date out of range".into()))?,
                ),
            }
        }
        oid::TIME => BindValue::Time(i64::from_be_bytes(fixed(oid, v)?)),
        oid::TIMESTAMP | oid::TIMESTAMPTZ => {
            let us = i64::from_be_bytes(fixed(oid, v)?);
            match us {
                i64::MAX => BindValue::Text("infinity".into()),
                i64::MIN => BindValue::Text("-infinity".into()),
                us => {
                    BindValue::Timestamp(us.checked_add(PG_EPOCH_USECS).ok_or_else(|| {
                        EncodeError::new("22008", "timestamp out of range".into())
                    })?)
                }
            }
        }
        // DuckDB's casts take these as text; the rest are text already.
        _ => BindValue::Text(binary_to_text(oid, v)?),
    })
}

/// PostgreSQL's text form of a binary value of type `oid` (its `typreceive` then `typoutput`),
/// with timestamptz in UTC.
pub fn binary_to_text(oid: u32, v: &[u8]) -> Result<String, EncodeError> {
    let mut out = Vec::with_capacity(v.len() + 8);
    match oid {
        oid::BOOL => out.push(if fixed::<1>(oid, v)?[0] != 0 {
            b't'
        } else {
            b'f'
        }),
        oid::CHAR => out.extend_from_slice(v),
        oid::INT2 => text::write_i64(&mut out, i16::from_be_bytes(fixed(oid, v)?) as i64),
        oid::INT4 => text::write_i64(&mut out, i32::from_be_bytes(fixed(oid, v)?) as i64),
        oid::INT8 => text::write_i64(&mut out, i64::from_be_bytes(fixed(oid, v)?)),
        oid::OID | oid::REGPROC => {
            text::write_u64(&mut out, u32::from_be_bytes(fixed(oid, v)?) as u64)
        }
        oid::FLOAT4 => {
            text::write_float(&mut out, f32::from_be_bytes(fixed(oid, v)?) as f64, true, 1)
        }
        oid::FLOAT8 => text::write_float(&mut out, f64::from_be_bytes(fixed(oid, v)?), false, 1),
        oid::TEXT
        | oid::VARCHAR
        | oid::BPCHAR
        | oid::NAME
        | oid::UNKNOWN
        | oid::JSON
        | oid::XML => out.extend_from_slice(v),
        oid::JSONB => match v.split_first() {
            Some((1, rest)) => out.extend_from_slice(rest),
            _ => {
                return Err(EncodeError::new(
                    "22P03",
                    "unsupported jsonb version number".into(),
                ));
            }
        },
        oid::BYTEA => text::write_bytea(&mut out, v),
        oid::DATE => {
            let d = i32::from_be_bytes(fixed(oid, v)?);
            match d {
                i32::MAX | i32::MIN => text::write_date(&mut out, d),
                d => match i32::try_from(d as i64 + PG_EPOCH_DAYS) {
                    Ok(days) if text::date_infinity(days).is_none() => {
                        text::write_date(&mut out, days)
                    }
                    _ => return Err(EncodeError::new("22008", "date out of range".into())),
                },
            }
        }
        oid::TIME => text::write_time(&mut out, i64::from_be_bytes(fixed(oid, v)?)),
        oid::TIMETZ => {
            let b: [u8; 12] = fixed(oid, v)?;
            let micros = i64::from_be_bytes(b[..8].try_into().expect("8 bytes"));
            let west = i32::from_be_bytes(b[8..].try_into().expect("4 bytes"));
            text::write_time(&mut out, micros);
            text::write_offset(&mut out, -west);
        }
        oid::TIMESTAMP | oid::TIMESTAMPTZ => {
            let us = i64::from_be_bytes(fixed(oid, v)?);
            match us {
                i64::MAX => out.extend_from_slice(b"infinity"),
                i64::MIN => out.extend_from_slice(b"-infinity"),
                us => {
                    let us = us.checked_add(PG_EPOCH_USECS).ok_or_else(|| {
                        EncodeError::new("22008", "timestamp out of range".into())
                    })?;
                    if oid == oid::TIMESTAMPTZ {
                        text::write_timestamptz(&mut out, us, 0);
                    } else {
                        text::write_timestamp(&mut out, us);
                    }
                }
            }
        }
        oid::INTERVAL => {
            // "N months N days N microseconds": unambiguous, and DuckDB's interval cast reads it
            // (it does not read every IntervalStyle=postgres output, e.g. "-1 days +02:03:00").
            let b: [u8; 16] = fixed(oid, v)?;
            let micros = i64::from_be_bytes(b[..8].try_into().expect("8 bytes"));
            let days = i32::from_be_bytes(b[8..12].try_into().expect("4 bytes"));
            let months = i32::from_be_bytes(b[12..].try_into().expect("4 bytes"));
            text::write_i64(&mut out, months as i64);
            out.extend_from_slice(b" months ");
            text::write_i64(&mut out, days as i64);
            out.extend_from_slice(b" days ");
            text::write_i64(&mut out, micros);
            out.extend_from_slice(b" microseconds");
        }
        oid::NUMERIC => return numeric_to_text(v),
        oid::UUID => {
            let u: [u8; 16] = fixed(oid, v)?;
            text::write_uuid(&mut out, &u);
        }
        oid::BIT | oid::VARBIT => {
            if v.len() < 4 {
                return Err(bad_binary(oid));
            }
            let bits = i32::from_be_bytes(v[..4].try_into().expect("4 bytes"));
            let data = &v[4..];
            if bits < 0 || data.len() != (bits as usize).div_ceil(8) {
                return Err(bad_binary(oid));
            }
            for i in 0..bits as usize {
                out.push(if data[i / 8] & (0x80 >> (i % 8)) != 0 {
                    b'1'
                } else {
                    b'0'
                });
            }
        }
        _ if element_of(oid).is_some() => array_to_text(oid, v, &mut out)?,
        0 => {
            return Err(EncodeError::new(
                "42P18",
                "could not determine data type of a binary parameter".into(),
            ));
        }
        _ => {
            return Err(EncodeError::new(
                "0A000",
                format!(
                    "binary format for parameters of type {} (OID {oid}) is not supported",
                    type_name(oid).unwrap_or("unknown")
                ),
            ));
        }
    }
    utf8(&out)
}

/// `array_recv` then `array_out`: "{1,2,NULL}", nested braces for more dimensions.
fn array_to_text(array_oid: u32, v: &[u8], out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let bad = || bad_binary(array_oid);
    let int = |at: usize| -> Result<i32, EncodeError> {
        v.get(at..at + 4)
            .map(|b| i32::from_be_bytes(b.try_into().expect("4 bytes")))
            .ok_or_else(bad)
    };
    let ndim = int(0)?;
    let elem_oid = int(8)? as u32;
    if !(0..=6).contains(&ndim) {
        return Err(bad());
    }
    let declared = element_of(array_oid);
    if declared.is_some_and(|d| d != elem_oid) && elem_oid != 0 {
        return Err(EncodeError::new(
            "42804",
            format!(
                "binary data has array element type {elem_oid} instead of expected {}",
                declared.unwrap_or(0)
            ),
        ));
    }
    let mut dims = Vec::with_capacity(ndim as usize);
    let mut pos = 12;
    for _ in 0..ndim {
        let len = int(pos)?;
        if len < 0 {
            return Err(bad());
        }
        dims.push(len as usize);
        pos += 8;
    }
    if ndim == 0 || dims.contains(&0) {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    let mut elements: Vec<Option<String>> = Vec::new();
    let total: usize = dims.iter().product();
    for _ in 0..total {
        let len = int(pos)?;
        pos += 4;
        if len < 0 {
            elements.push(None);
        } else {
            let b = v.get(pos..pos + len as usize).ok_or_else(bad)?;
            pos += len as usize;
            elements.push(Some(binary_to_text(elem_oid, b)?));
        }
    }
    if pos != v.len() {
        return Err(bad());
    }
    let mut next = 0;
    write_dims(out, &dims, &elements, &mut next);
    Ok(())
}

fn write_dims(out: &mut Vec<u8>, dims: &[usize], elements: &[Option<String>], next: &mut usize) {
    out.push(b'{');
    for i in 0..dims[0] {
        if i > 0 {
            out.push(b',');
        }
        if dims.len() > 1 {
            write_dims(out, &dims[1..], elements, next);
        } else {
            match &elements[*next] {
                None => out.extend_from_slice(b"NULL"),
                Some(s) => text::write_array_element(out, s.as_bytes()),
            }
            *next += 1;
        }
    }
    out.push(b'}');
}

/// `byteain`: hex format (`\x0102`) or the traditional escape format (`a\\b\001`).
fn decode_bytea_text(v: &[u8]) -> Result<Vec<u8>, EncodeError> {
    let bad = || EncodeError::new("22P02", "invalid input syntax for type bytea".to_string());
    if let Some(hex) = v.strip_prefix(b"\\x") {
        let digits: Vec<u8> = hex
            .iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        if !digits.len().is_multiple_of(2) {
            return Err(bad());
        }
        return digits
            .chunks(2)
            .map(|p| {
                let h = (p[0] as char).to_digit(16).ok_or_else(bad)?;
                let l = (p[1] as char).to_digit(16).ok_or_else(bad)?;
                Ok((h * 16 + l) as u8)
            })
            .collect();
    }
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] != b'\\' {
            out.push(v[i]);
            i += 1;
        } else if v.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            let oct = v.get(i + 1..i + 4).ok_or_else(bad)?;
            if !(b'0'..=b'3').contains(&oct[0])
                || !oct[1..].iter().all(|c| (b'0'..=b'7').contains(c))
            {
                return Err(bad());
            }
            out.push((oct[0] - b'0') * 64 + (oct[1] - b'0') * 8 + (oct[2] - b'0'));
            i += 4;
        }
    }
    Ok(out)
}
