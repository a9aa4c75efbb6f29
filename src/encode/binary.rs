//! PostgreSQL's binary forms (`typsend`) of the values that need more than a big-endian copy:
//! numeric, varbit, timetz and uuid, the last three from the text DuckDB hands over for them
//! (the server casts those types to VARCHAR because their Arrow export is lossy or missing).
//!
//! Also the inverse of numeric's binary form, for bind parameters ([`numeric_to_text`]).

use super::EncodeError;
use super::text::{USECS_PER_SEC, u128_digits};

const NUMERIC_POS: u16 = 0x0000;
const NUMERIC_NEG: u16 = 0x4000;
const NUMERIC_NAN: u16 = 0xC000;
const NUMERIC_PINF: u16 = 0xD000;
const NUMERIC_NINF: u16 = 0xF000;

/// `numeric_send` of `±int.frac` given as ASCII digits, with display scale `dscale`.
///
/// PostgreSQL stores numerics stripped of leading and trailing zero base-10000 digit groups
/// (`make_result`), with zero as weight 0 and positive sign; `weight` is the power of 10000 of
/// the first group. Groups are aligned on the decimal point.
pub(crate) fn write_numeric_digits(
    out: &mut Vec<u8>,
    negative: bool,
    int: &[u8],
    frac: &[u8],
    dscale: u16,
) {
    let first_nonzero = int.iter().position(|&c| c != b'0').unwrap_or(int.len());
    let int = &int[first_nonzero..];
    let int_groups = int.len().div_ceil(4);
    let frac_groups = frac.len().div_ceil(4);
    let head = int.len() - (int_groups.saturating_sub(1)) * 4; // digits in the first int group
    let group = |k: usize| -> i16 {
        let (src, start, len) = if k < int_groups {
            if k == 0 {
                (int, 0, head)
            } else {
                (int, head + (k - 1) * 4, 4)
            }
        } else {
            (frac, (k - int_groups) * 4, 4)
        };
        let mut v: i16 = 0;
        for i in start..start + len {
            v = v * 10 + src.get(i).map_or(0, |&c| (c - b'0') as i16);
        }
        v
    };
    let total = int_groups + frac_groups;
    let first = (0..total).find(|&k| group(k) != 0);
    let (ndigits, weight, sign, first) = match first {
        None => (0, 0, NUMERIC_POS, 0),
        Some(first) => {
            let last = (first..total)
                .rev()
                .find(|&k| group(k) != 0)
                .unwrap_or(first);
            let weight = int_groups as i64 - 1 - first as i64;
            let sign = if negative { NUMERIC_NEG } else { NUMERIC_POS };
            (last - first + 1, weight, sign, first)
        }
    };
    out.reserve(8 + 2 * ndigits);
    out.extend_from_slice(&(ndigits as i16).to_be_bytes());
    out.extend_from_slice(&(weight as i16).to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
    for k in first..first + ndigits {
        out.extend_from_slice(&group(k).to_be_bytes());
    }
}

/// `numeric_send` of an unscaled decimal (decimal128 / HUGEINT / UBIGINT) with `scale`.
pub(crate) fn write_numeric_i128(out: &mut Vec<u8>, v: i128, scale: u8) {
    write_numeric_u128(out, v < 0, v.unsigned_abs(), scale)
}

pub(crate) fn write_numeric_u128(out: &mut Vec<u8>, negative: bool, abs: u128, scale: u8) {
    // Groups are aligned on the decimal point: scale the fraction up to whole groups.
    let s = scale as u32;
    let pad = (4 - s % 4) % 4;
    let (int, frac) = if s == 0 {
        (abs, 0)
    } else if s <= 19 && abs <= u64::MAX as u128 {
        // Most decimals fit in 64 bits, where division is an instruction; a u128 division is a
        // library call (was 7% of a binary SELECT * of two DECIMAL columns).
        let (a, p) = (abs as u64, 10u64.pow(s));
        ((a / p) as u128, (a % p) as u128)
    } else if s <= 38 {
        let p = 10u128.pow(s);
        (abs / p, abs % p)
    } else {
        return write_numeric_u128_slow(out, negative, abs, scale);
    };
    let Some(frac) = frac.checked_mul(10u128.pow(pad)) else {
        return write_numeric_u128_slow(out, negative, abs, scale);
    };
    let mut int_groups = [0u16; 12];
    let ni = base10000(int, &mut int_groups);
    let nf = ((s + pad) / 4) as usize;
    let mut frac_groups = [0u16; 12];
    let nf_used = base10000(frac, &mut frac_groups);
    // All groups, most significant first: int (reversed), then frac padded to nf groups.
    let mut all = [0u16; 24];
    for i in 0..ni {
        all[i] = int_groups[ni - 1 - i];
    }
    for j in 0..nf {
        // frac_groups holds the least significant group first.
        let from_end = nf - 1 - j;
        all[ni + j] = if from_end < nf_used {
            frac_groups[from_end]
        } else {
            0
        };
    }
    let total = ni + nf;
    let first = all[..total].iter().position(|&g| g != 0);
    out.reserve(8 + 2 * total);
    let Some(first) = first else {
        // Zero: no digits, weight 0, positive.
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(scale as u16).to_be_bytes());
        return;
    };
    let last = all[..total].iter().rposition(|&g| g != 0).unwrap_or(first);
    let weight = ni as i16 - 1 - first as i16;
    out.extend_from_slice(&((last - first + 1) as i16).to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&(if negative { NUMERIC_NEG } else { NUMERIC_POS }).to_be_bytes());
    out.extend_from_slice(&(scale as u16).to_be_bytes());
    for g in &all[first..=last] {
        out.extend_from_slice(&g.to_be_bytes());
    }
}

/// Base-10000 digits of `x`, least significant first; returns how many (0 for 0). Works in
/// u64 pieces of 16 decimal digits, as u128 divisions are library calls.
#[inline]
fn base10000(x: u128, groups: &mut [u16; 12]) -> usize {
    let mut n = 0;
    let mut x = x;
    while x > u64::MAX as u128 {
        const E16: u128 = 10_000_000_000_000_000;
        let mut lo = (x % E16) as u64;
        x /= E16;
        for _ in 0..4 {
            groups[n] = (lo % 10_000) as u16;
            lo /= 10_000;
            n += 1;
        }
    }
    let mut y = x as u64;
    while y > 0 {
        groups[n] = (y % 10_000) as u16;
        y /= 10_000;
        n += 1;
    }
    n
}

/// The digit-string route, for scales beyond what u128 arithmetic covers.
fn write_numeric_u128_slow(out: &mut Vec<u8>, negative: bool, abs: u128, scale: u8) {
    let mut buf = [0u8; 40];
    let i = u128_digits(&mut buf, abs);
    let digits = &buf[i..];
    let scale = scale as usize;
    if digits.len() > scale {
        let point = digits.len() - scale;
        write_numeric_digits(
            out,
            negative,
            &digits[..point],
            &digits[point..],
            scale as u16,
        );
    } else {
        // 0.000ddd: left-pad the fraction with zeros.
        let mut frac = [b'0'; 256];
        let pad = scale - digits.len();
        frac[pad..scale].copy_from_slice(digits);
        write_numeric_digits(out, negative, &[], &frac[..scale], scale as u16);
    }
}

/// `numeric_send` of numeric text ("-123.4500", "NaN", "Infinity"); the display scale is the
/// number of fraction digits written, as `numeric_in` keeps it.
pub(crate) fn write_numeric_text(out: &mut Vec<u8>, s: &[u8]) -> Result<(), EncodeError> {
    let special = |sign: u16| {
        let mut b = [0u8; 8];
        b[4..6].copy_from_slice(&sign.to_be_bytes());
        b
    };
    match s {
        b"NaN" | b"Infinity" | b"+Infinity" | b"-Infinity" => {
            let sign = match s {
                b"NaN" => NUMERIC_NAN,
                b"-Infinity" => NUMERIC_NINF,
                _ => NUMERIC_PINF,
            };
            out.extend_from_slice(&special(sign));
            return Ok(());
        }
        _ => {}
    }
    let (negative, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(p) => (&body[..p], &body[p + 1..]),
        None => (body, &body[body.len()..]),
    };
    let valid = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if (int.is_empty() && frac.is_empty()) || !valid(int) || !valid(frac) || frac.len() > 16383 {
        return Err(EncodeError::new(
            "22P02",
            format!(
                "invalid input syntax for type numeric: \"{}\"",
                String::from_utf8_lossy(s)
            ),
        ));
    }
    write_numeric_digits(out, negative, int, frac, frac.len() as u16);
    Ok(())
}

/// `varbit_send` of a bit string in text ("0101"): bit count, then the bits packed MSB first.
pub(crate) fn write_varbit_text(out: &mut Vec<u8>, s: &[u8]) -> Result<(), EncodeError> {
    out.extend_from_slice(&(s.len() as i32).to_be_bytes());
    for chunk in s.chunks(8) {
        let mut byte = 0u8;
        for (i, &c) in chunk.iter().enumerate() {
            match c {
                b'0' => {}
                b'1' => byte |= 0x80 >> i,
                _ => {
                    return Err(EncodeError::new(
                        "22P02",
                        format!(
                            "\"{}\" is not a valid binary digit",
                            String::from_utf8_lossy(&[c])
                        ),
                    ));
                }
            }
        }
        out.push(byte);
    }
    Ok(())
}

fn parse_fixed_digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 12 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |v, &c| v * 10 + (c - b'0') as i64))
}

/// "HH:MM:SS[.ffffff]" → microseconds since midnight (the text DuckDB and PostgreSQL share).
pub(crate) fn parse_time(s: &[u8]) -> Option<i64> {
    let mut parts = s.splitn(3, |&c| c == b':');
    let h = parse_fixed_digits(parts.next()?)?;
    let m = parse_fixed_digits(parts.next()?)?;
    let sec = parts.next()?;
    let (sec, frac) = match sec.iter().position(|&c| c == b'.') {
        Some(p) => (&sec[..p], &sec[p + 1..]),
        None => (sec, &sec[sec.len()..]),
    };
    let sec = parse_fixed_digits(sec)?;
    let mut micros = 0i64;
    for i in 0..6 {
        let d = match frac.get(i) {
            Some(c) if c.is_ascii_digit() => (c - b'0') as i64,
            Some(_) => return None,
            None => 0,
        };
        micros = micros * 10 + d;
    }
    if frac.len() > 6 && !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if m > 59 || sec > 60 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * USECS_PER_SEC + micros)
}

/// `timetz_send` of DuckDB's TIMETZ text ("01:02:03.5+05:30"): microseconds, then the zone as
/// PostgreSQL stores it, seconds WEST of UTC.
pub(crate) fn write_timetz_text(out: &mut Vec<u8>, s: &[u8]) -> Result<(), EncodeError> {
    let bad = || {
        EncodeError::new(
            "22007",
            format!(
                "invalid input syntax for type time with time zone: \"{}\"",
                String::from_utf8_lossy(s)
            ),
        )
    };
    let split = s
        .iter()
        .rposition(|&c| c == b'+' || c == b'-')
        .ok_or_else(bad)?;
    let micros = parse_time(&s[..split]).ok_or_else(bad)?;
    let east = parse_offset(&s[split..]).ok_or_else(bad)?;
    out.extend_from_slice(&micros.to_be_bytes());
    out.extend_from_slice(&(-east).to_be_bytes());
    Ok(())
}

/// "+HH[:MM[:SS]]" → seconds east of UTC.
pub(crate) fn parse_offset(s: &[u8]) -> Option<i32> {
    let (sign, body) = match s.first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let mut secs = 0i64;
    for (n, part) in body.split(|&c| c == b':').enumerate() {
        if n == 3 || part.is_empty() || part.len() > 2 {
            return None;
        }
        secs += parse_fixed_digits(part)? * [3600, 60, 1][n];
    }
    Some((sign * secs) as i32)
}

/// `uuid_send` of hyphenated (or plain) hex text.
pub(crate) fn parse_uuid(s: &[u8]) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let mut n = 0;
    let mut hi: Option<u8> = None;
    for &c in s {
        if c == b'-' {
            continue;
        }
        let v = (c as char).to_digit(16)? as u8;
        match hi.take() {
            None => hi = Some(v),
            Some(h) => {
                *out.get_mut(n)? = h << 4 | v;
                n += 1;
            }
        }
    }
    (n == 16 && hi.is_none()).then_some(out)
}

/// The text of a binary numeric (`numeric_recv` then `numeric_out`), for bind parameters.
pub(crate) fn numeric_to_text(b: &[u8]) -> Result<String, EncodeError> {
    let bad = || EncodeError::new("22P03", "invalid numeric binary format".to_string());
    if b.len() < 8 {
        return Err(bad());
    }
    let ndigits = i16::from_be_bytes([b[0], b[1]]);
    let weight = i16::from_be_bytes([b[2], b[3]]) as i64;
    let sign = u16::from_be_bytes([b[4], b[5]]);
    let dscale = u16::from_be_bytes([b[6], b[7]]) as i64;
    if ndigits < 0 || b.len() != 8 + 2 * ndigits as usize {
        return Err(bad());
    }
    match sign {
        NUMERIC_NAN => return Ok("NaN".into()),
        NUMERIC_PINF => return Ok("Infinity".into()),
        NUMERIC_NINF => return Ok("-Infinity".into()),
        NUMERIC_POS | NUMERIC_NEG => {}
        _ => return Err(bad()),
    }
    let digits: Vec<i64> = b[8..]
        .chunks(2)
        .map(|c| i16::from_be_bytes([c[0], c[1]]) as i64)
        .collect();
    if digits.iter().any(|&d| !(0..10000).contains(&d)) {
        return Err(bad());
    }
    let digit = |k: i64| -> i64 {
        // Group whose weight is k.
        let idx = weight - k;
        if idx < 0 || idx >= digits.len() as i64 {
            0
        } else {
            digits[idx as usize]
        }
    };
    let mut s = String::new();
    if sign == NUMERIC_NEG {
        s.push('-');
    }
    if weight < 0 {
        s.push('0');
    } else {
        let mut started = false;
        for k in (0..=weight).rev() {
            let d = digit(k);
            if started {
                s.push_str(&format!("{d:04}"));
            } else if d != 0 || k == 0 {
                s.push_str(&d.to_string());
                started = true;
            }
        }
    }
    if dscale > 0 {
        s.push('.');
        let mut written = 0;
        let mut k = -1;
        while written < dscale {
            let group = format!("{:04}", digit(k));
            for c in group.chars() {
                if written < dscale {
                    s.push(c);
                    written += 1;
                }
            }
            k -= 1;
        }
    }
    Ok(s)
}
