//! PostgreSQL's text output forms (`typoutput`), one scalar at a time, appended to a byte
//! vector: what `psql` shows, with the session settings DateStyle=ISO, IntervalStyle=postgres.
//!
//! Every function mirrors the PostgreSQL 15 routine named in its comment, byte for byte; the
//! unit tests hold vectors produced by a real PostgreSQL 15. Nothing here allocates: values are
//! formatted through small stack buffers.

use std::fmt::Write as _;

const DIGITS2: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Formats `v` into the tail of `buf`, returning where the digits start.
#[inline]
fn u64_digits(buf: &mut [u8; 20], mut v: u64) -> usize {
    let mut i = buf.len();
    while v >= 100 {
        let r = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS2[r..r + 2]);
    }
    if v >= 10 {
        let r = v as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGITS2[r..r + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    i
}

#[inline]
pub(crate) fn write_u64(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 20];
    let i = u64_digits(&mut buf, v);
    out.extend_from_slice(&buf[i..]);
}

#[inline]
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

/// Decimal digits of a u128 into the tail of `buf` (at most 39 digits); returns where they
/// start. Works in base-1e19 limbs so that most divisions are u64 ones.
pub(crate) fn u128_digits(buf: &mut [u8; 40], mut v: u128) -> usize {
    const E19: u128 = 10_000_000_000_000_000_000;
    let mut pos = buf.len();
    let mut tmp = [0u8; 20];
    while v > u64::MAX as u128 {
        let limb = (v % E19) as u64;
        v /= E19;
        let i = u64_digits(&mut tmp, limb);
        let n = tmp.len() - i;
        buf[pos - n..pos].copy_from_slice(&tmp[i..]);
        buf[pos - 19..pos - n].fill(b'0');
        pos -= 19;
    }
    let i = u64_digits(&mut tmp, v as u64);
    let n = tmp.len() - i;
    buf[pos - n..pos].copy_from_slice(&tmp[i..]);
    pos - n
}

pub(crate) fn write_i128(out: &mut Vec<u8>, v: i128) {
    if v < 0 {
        out.push(b'-');
    }
    let mut buf = [0u8; 40];
    let i = u128_digits(&mut buf, v.unsigned_abs());
    out.extend_from_slice(&buf[i..]);
}

/// Zero-padded to at least `width` digits (`%0*d`).
#[inline]
pub(crate) fn write_padded(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut buf = [0u8; 20];
    let i = u64_digits(&mut buf, v);
    for _ in (20 - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&buf[i..]);
}

#[inline]
fn write2(out: &mut Vec<u8>, v: u32) {
    let r = v as usize * 2;
    out.extend_from_slice(&DIGITS2[r..r + 2]);
}

/// `numeric_out` for an unscaled integer with `scale` fraction digits: always exactly `scale`
/// digits after the point (numeric keeps its display scale), "0.00" for zero.
pub(crate) fn write_decimal(out: &mut Vec<u8>, v: i128, scale: u8) {
    if scale == 0 {
        return write_i128(out, v);
    }
    if v < 0 {
        out.push(b'-');
    }
    let mut buf = [0u8; 40];
    let i = u128_digits(&mut buf, v.unsigned_abs());
    let digits = &buf[i..];
    let scale = scale as usize;
    if digits.len() <= scale {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - digits.len(), b'0');
        out.extend_from_slice(digits);
    } else {
        let point = digits.len() - scale;
        out.extend_from_slice(&digits[..point]);
        out.push(b'.');
        out.extend_from_slice(&digits[point..]);
    }
}

/// A `fmt::Write` sink on the stack, for the float digit generation of `core::fmt`.
struct StackBuf {
    buf: [u8; 48],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let b = s.as_bytes();
        let end = self.len + b.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(b);
        self.len = end;
        Ok(())
    }
}

/// `float8out` / `float4out`. With `extra_float_digits > 0` (the default, 1) PostgreSQL prints
/// the shortest string that reads back to the same value (its Ryu port), in positional notation
/// for decimal exponents -4..15 (float4: -4..6) and `1e+20` style otherwise. With
/// `extra_float_digits <= 0` it prints `%.*g` with DBL_DIG (FLT_DIG) + extra_float_digits
/// significant digits.
pub(crate) fn write_float(out: &mut Vec<u8>, v: f64, is_float4: bool, extra_float_digits: i32) {
    if v.is_nan() {
        return out.extend_from_slice(b"NaN");
    }
    if v.is_infinite() {
        return out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    }
    let mut sb = StackBuf {
        buf: [0; 48],
        len: 0,
    };
    let (limit, precision) = if extra_float_digits > 0 {
        (if is_float4 { 6 } else { 15 }, None)
    } else {
        let p = (if is_float4 { 6 } else { 15 }) + extra_float_digits;
        let p = p.max(1) as usize;
        (p as i32, Some(p))
    };
    // Digit generation: Rust's shortest round-trip (Grisu/Dragon, same output as Ryu) or its
    // exactly-rounded fixed precision (same as glibc printf).
    let ok = match (precision, is_float4) {
        (None, true) => write!(sb, "{:e}", v as f32),
        (None, false) => write!(sb, "{:e}", v),
        (Some(p), _) => write!(sb, "{:.*e}", p - 1, v),
    };
    debug_assert!(ok.is_ok());
    let s = &sb.buf[..sb.len];
    let (negative, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let e_pos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let mantissa = &s[..e_pos];
    let exp: i32 = std::str::from_utf8(&s[(e_pos + 1).min(s.len())..])
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &c in mantissa {
        if c != b'.' {
            digits[n] = c;
            n += 1;
        }
    }
    // %g drops trailing zeros; shortest digits have none (except the single digit of 0).
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    let digits = &digits[..n];
    if negative {
        out.push(b'-');
    }
    if (-4..limit).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if n <= int_len {
                out.extend_from_slice(digits);
                out.resize(out.len() + int_len - n, b'0');
            } else {
                out.extend_from_slice(&digits[..int_len]);
                out.push(b'.');
                out.extend_from_slice(&digits[int_len..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + (-exp - 1) as usize, b'0');
            out.extend_from_slice(digits);
        }
    } else {
        out.push(digits[0]);
        if n > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        write_padded(out, exp.unsigned_abs() as u64, 2);
    }
}

pub(crate) const USECS_PER_SEC: i64 = 1_000_000;
pub(crate) const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;
/// Days from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's).
pub(crate) const PG_EPOCH_DAYS: i64 = 10_957;
pub(crate) const PG_EPOCH_USECS: i64 = PG_EPOCH_DAYS * USECS_PER_DAY;

/// Proleptic Gregorian (year, month, day) of a day count from 1970-01-01, astronomical year
/// numbering (year 0 = 1 BC), as PostgreSQL's `j2date` (H. Hinnant's algorithm).
#[inline]
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Inverse of [`civil_from_days`].
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "YYYY-MM-DD" with the year as PostgreSQL shows it; returns whether " BC" is owed.
#[inline]
fn write_ymd(out: &mut Vec<u8>, days: i64) -> bool {
    let (y, m, d) = civil_from_days(days);
    let bc = y <= 0;
    let year = if bc { 1 - y } else { y };
    write_padded(out, year as u64, 4);
    out.push(b'-');
    write2(out, m);
    out.push(b'-');
    write2(out, d);
    bc
}

/// DuckDB's date infinities (days ±i32::MAX), and PostgreSQL's (i32::MIN for -infinity).
#[inline]
pub(crate) fn date_infinity(days: i32) -> Option<bool> {
    match days {
        i32::MAX => Some(true),
        i32::MIN | -2_147_483_647 => Some(false),
        _ => None,
    }
}

/// `date_out` (DateStyle ISO) for days since 1970-01-01.
pub(crate) fn write_date(out: &mut Vec<u8>, days: i32) {
    match date_infinity(days) {
        Some(true) => out.extend_from_slice(b"infinity"),
        Some(false) => out.extend_from_slice(b"-infinity"),
        None => {
            if write_ymd(out, days as i64) {
                out.extend_from_slice(b" BC");
            }
        }
    }
}

/// `AppendSeconds` with fillzeros: ".ffffff" without its trailing zeros, nothing when zero.
#[inline]
fn write_fraction(out: &mut Vec<u8>, micros: u32) {
    if micros == 0 {
        return;
    }
    let mut v = micros;
    let mut width = 6;
    while v % 10 == 0 {
        v /= 10;
        width -= 1;
    }
    out.push(b'.');
    write_padded(out, v as u64, width);
}

/// "HH:MM:SS[.ffffff]" for microseconds since midnight (`time_out`; 24:00:00 allowed).
#[inline]
pub(crate) fn write_time(out: &mut Vec<u8>, micros: i64) {
    let secs = micros.div_euclid(USECS_PER_SEC);
    let frac = micros.rem_euclid(USECS_PER_SEC) as u32;
    write2(out, (secs / 3600) as u32);
    out.push(b':');
    write2(out, (secs / 60 % 60) as u32);
    out.push(b':');
    write2(out, (secs % 60) as u32);
    write_fraction(out, frac);
}

/// DuckDB's timestamp infinities (±i64::MAX) and PostgreSQL's (i64::MIN for -infinity).
#[inline]
pub(crate) fn timestamp_infinity(v: i64) -> Option<bool> {
    match v {
        i64::MAX => Some(true),
        i64::MIN | -9_223_372_036_854_775_807 => Some(false),
        _ => None,
    }
}

/// `timestamp_out` (DateStyle ISO) for microseconds since 1970-01-01 00:00 (not an infinity).
#[inline]
pub(crate) fn write_timestamp(out: &mut Vec<u8>, micros: i64) {
    let days = micros.div_euclid(USECS_PER_DAY);
    let tod = micros.rem_euclid(USECS_PER_DAY);
    let bc = write_ymd(out, days);
    out.push(b' ');
    write_time(out, tod);
    if bc {
        out.extend_from_slice(b" BC");
    }
}

/// `timestamptz_out` (DateStyle ISO): local wall time at `east` seconds east of UTC, then the
/// offset (`EncodeTimezone`), then " BC".
#[inline]
pub(crate) fn write_timestamptz(out: &mut Vec<u8>, utc_micros: i64, east: i32) {
    let local = utc_micros.saturating_add(east as i64 * USECS_PER_SEC);
    let days = local.div_euclid(USECS_PER_DAY);
    let tod = local.rem_euclid(USECS_PER_DAY);
    let bc = write_ymd(out, days);
    out.push(b' ');
    write_time(out, tod);
    write_offset(out, east, false);
    if bc {
        out.extend_from_slice(b" BC");
    }
}

/// `EncodeTimezone`: "+HH", "+HH:MM" or "+HH:MM:SS" for seconds east of UTC.
pub(crate) fn write_offset(out: &mut Vec<u8>, east: i32, always_minutes: bool) {
    let abs = east.unsigned_abs();
    out.push(if east >= 0 { b'+' } else { b'-' });
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    write_padded(out, h as u64, 2);
    if s != 0 || m != 0 || always_minutes {
        out.push(b':');
        write2(out, m);
    }
    if s != 0 {
        out.push(b':');
        write2(out, s);
    }
}

/// `interval_out` with IntervalStyle postgres (`EncodeInterval`, INTSTYLE_POSTGRES).
pub(crate) fn write_interval(out: &mut Vec<u8>, months: i32, days: i32, micros: i64) {
    let mut is_zero = true;
    let mut is_before = false;
    let year = months / 12;
    let mon = months % 12;
    add_postgres_int_part(out, year as i64, b"year", &mut is_zero, &mut is_before);
    add_postgres_int_part(out, mon as i64, b"mon", &mut is_zero, &mut is_before);
    add_postgres_int_part(out, days as i64, b"day", &mut is_zero, &mut is_before);
    if is_zero || micros != 0 {
        let minus = micros < 0;
        let abs = micros.unsigned_abs();
        let secs = abs / USECS_PER_SEC as u64;
        let frac = (abs % USECS_PER_SEC as u64) as u32;
        if !is_zero {
            out.push(b' ');
        }
        if minus {
            out.push(b'-');
        } else if is_before {
            out.push(b'+');
        }
        write_padded(out, secs / 3600, 2);
        out.push(b':');
        write2(out, (secs / 60 % 60) as u32);
        out.push(b':');
        write2(out, (secs % 60) as u32);
        write_fraction(out, frac);
    }
}

/// `AddPostgresIntPart`: each nonzero field sets `is_before` for (only) the next one, which then
/// gets an explicit "+" when positive (PostgreSQL's historical quirk: "-1 days +02:03:00").
fn add_postgres_int_part(
    out: &mut Vec<u8>,
    value: i64,
    unit: &[u8],
    is_zero: &mut bool,
    is_before: &mut bool,
) {
    if value == 0 {
        return;
    }
    if !*is_zero {
        out.push(b' ');
    }
    if *is_before && value > 0 {
        out.push(b'+');
    }
    write_i64(out, value);
    out.push(b' ');
    out.extend_from_slice(unit);
    if value != 1 {
        out.push(b's');
    }
    *is_before = value < 0;
    *is_zero = false;
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `byteaout` with bytea_output = hex.
#[inline]
pub(crate) fn write_bytea(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(2 + bytes.len() * 2);
    out.extend_from_slice(b"\\x");
    for &b in bytes {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
}

/// `uuid_out`: lower-case, hyphenated 8-4-4-4-12.
pub(crate) fn write_uuid(out: &mut Vec<u8>, bytes: &[u8; 16]) {
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push(b'-');
        }
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
}

/// `array_out`'s test for an element that must be double-quoted.
#[inline]
pub(crate) fn array_element_needs_quotes(s: &[u8]) -> bool {
    s.is_empty()
        || s.eq_ignore_ascii_case(b"NULL")
        || s.iter().any(|&c| {
            matches!(
                c,
                b'"' | b'\\' | b'{' | b'}' | b',' | b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C
            )
        })
}

/// One array element as `array_out` writes it: quoted, with `"` and `\` backslashed, if needed.
#[inline]
pub(crate) fn write_array_element(out: &mut Vec<u8>, s: &[u8]) {
    if !array_element_needs_quotes(s) {
        return out.extend_from_slice(s);
    }
    out.push(b'"');
    for &c in s {
        if c == b'"' || c == b'\\' {
            out.push(b'\\');
        }
        out.push(c);
    }
    out.push(b'"');
}
