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
    buf: [u8; 96],
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

/// Decimal digits and scientific exponent of a float, as ASCII digits in `digits[..n]`.
struct Decimal {
    digits: [u8; 40],
    n: usize,
    exp: i32,
}

impl Decimal {
    /// Parses Rust's `{:e}` output of a positive number ("1.2345e-7").
    fn from_sci(s: &[u8]) -> Decimal {
        let e_pos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
        let exp = std::str::from_utf8(&s[(e_pos + 1).min(s.len())..])
            .ok()
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
        let mut d = Decimal {
            digits: [0; 40],
            n: 0,
            exp,
        };
        for &c in &s[..e_pos] {
            if c != b'.' && d.n < d.digits.len() {
                d.digits[d.n] = c;
                d.n += 1;
            }
        }
        d
    }

    /// Parses a positive number in positional or scientific notation ("123.45", "0.00012",
    /// "1.5e-7", "1e16", as the `ryu` crate prints them) into its significant digits (no
    /// leading or trailing zeros) and scientific exponent.
    fn from_shortest(s: &[u8]) -> Decimal {
        let e_pos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
        let mut exp: i32 = 0;
        if e_pos < s.len() {
            let (neg, digits) = match s.get(e_pos + 1) {
                Some(b'-') => (true, &s[e_pos + 2..]),
                Some(b'+') => (false, &s[e_pos + 2..]),
                _ => (false, &s[e_pos + 1..]),
            };
            for &c in digits {
                exp = exp * 10 + (c - b'0') as i32;
            }
            if neg {
                exp = -exp;
            }
        }
        let mut d = Decimal {
            digits: [0; 40],
            n: 0,
            exp: 0,
        };
        let (mut point, mut int_digits, mut leading_fraction_zeros) = (false, 0i32, 0i32);
        for &c in &s[..e_pos] {
            if c == b'.' {
                point = true;
            } else if d.n == 0 && c == b'0' {
                if point {
                    leading_fraction_zeros += 1;
                }
            } else if d.n < d.digits.len() {
                d.digits[d.n] = c;
                d.n += 1;
                if !point {
                    int_digits += 1;
                }
            }
        }
        while d.n > 1 && d.digits[d.n - 1] == b'0' {
            d.n -= 1;
        }
        d.exp = exp
            + if int_digits > 0 {
                int_digits - 1
            } else {
                -(leading_fraction_zeros + 1)
            };
        d
    }

    fn from_u128(v: u128, exp_of_last_digit: i32) -> Decimal {
        let mut buf = [0u8; 40];
        let i = u128_digits(&mut buf, v);
        let n = 40 - i;
        let mut d = Decimal {
            digits: [0; 40],
            n,
            exp: exp_of_last_digit + n as i32 - 1,
        };
        d.digits[..n].copy_from_slice(&buf[i..]);
        d
    }

    /// The value, perturbed by `nudge` (+1: a hair larger, -1: a hair smaller), parsed back to
    /// the float type: a decimal exactly halfway between two floats parses to the neighbour
    /// once nudged away from the float it was printed from.
    fn parse_nudged(&self, nudge: i32, is_float4: bool) -> f64 {
        let mut sb = StackBuf {
            buf: [0; 96],
            len: 0,
        };
        let mut digits = self.digits;
        let tail = if nudge < 0 {
            // Subtract one unit in the last place, then append nines.
            let mut i = self.n;
            while i > 0 {
                i -= 1;
                if digits[i] == b'0' {
                    digits[i] = b'9';
                } else {
                    digits[i] -= 1;
                    break;
                }
            }
            b'9'
        } else {
            b'0'
        };
        let _ = sb.write_str("0.");
        let _ = sb.write_str(std::str::from_utf8(&digits[..self.n]).unwrap_or("0"));
        for _ in 0..24 {
            let _ = sb.write_char(tail as char);
        }
        if nudge > 0 {
            let _ = sb.write_char('1');
        }
        let _ = write!(sb, "e{}", self.exp + 1);
        let s = std::str::from_utf8(&sb.buf[..sb.len]).unwrap_or("0");
        if is_float4 {
            s.parse::<f32>().map_or(f64::NAN, |v| v as f64)
        } else {
            s.parse::<f64>().unwrap_or(f64::NAN)
        }
    }

    fn on_boundary(&self, v: f64, is_float4: bool) -> bool {
        self.parse_nudged(1, is_float4) != v || self.parse_nudged(-1, is_float4) != v
    }
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Fast path for values with a short decimal form (prices, measurements), which core::fmt's
/// float formatting makes ~4x slower than need be: the first k for which the integer nearest
/// v * 10^k divides back to v exactly gives the shortest digits.
///
/// Why this equals Ryu's answer in the range allowed: IEEE division is correctly rounded and
/// 10^k is exact, so "divides back" means "reads back". With at most 15 significant digits
/// (float8) or v < 2^21 and 7 digits (float4, whose products with 10^k are exact in f64), two
/// neighbouring candidates can only both read back in the float4 case, where the exact
/// product is used and ties round to even as in Ryu; and no candidate can lie exactly halfway
/// between two floats (that needs |v| >= 2^52 / 2^22), the case where Ryu and round-trip differ.
#[inline]
fn short_decimal(v: f64, is_float4: bool) -> Option<Decimal> {
    short_scaled(v, is_float4).map(|(r, k)| Decimal::from_u128(r as u128, -(k as i32)))
}

/// [`short_decimal`] as the integer `r` and the power `k` with v = r / 10^k (r < 10^15).
#[inline]
fn short_scaled(v: f64, is_float4: bool) -> Option<(u64, usize)> {
    let (limit, max_k) = if is_float4 {
        if !(1e-4..2_097_152.0).contains(&v) {
            return None;
        }
        (9_999_999.0, 10)
    } else {
        if !(1e-4..1e15).contains(&v) {
            return None;
        }
        (999_999_999_999_999.0, 22)
    };
    for (k, &p) in POW10.iter().enumerate().take(max_k + 1) {
        let scaled = v * p;
        if scaled > limit {
            return None;
        }
        let r = scaled.round_ties_even();
        let back = if is_float4 {
            ((r as f32) / (p as f32)) as f64
        } else {
            r / p
        };
        if back == v {
            return Some((r as u64, k));
        }
    }
    None
}

/// Writes r / 10^k positionally with exactly k fraction digits ("0.0001", "123.45", "100").
#[inline]
fn write_scaled(out: &mut Vec<u8>, r: u64, k: usize) {
    if k == 0 {
        return write_u64(out, r);
    }
    // k <= 19: short_scaled stops once v * 10^k passes 10^15, and v >= 1e-4.
    let p = 10u64.pow(k as u32);
    write_u64(out, r / p);
    out.push(b'.');
    let mut buf = [0u8; 20];
    let i = u64_digits(&mut buf, r % p);
    for _ in (buf.len() - i)..k {
        out.push(b'0');
    }
    out.extend_from_slice(&buf[i..]);
}

/// Shortest round-trip digits of positive finite `v` exactly as PostgreSQL's Ryu port prints
/// them. The `ryu` crate (the reference Ryu) gives the same digits but in one rare case, and
/// core::fmt (used before it, and still for `%g`) in two; both are corrected here:
/// - both accept a decimal lying exactly halfway to the neighbouring float when the mantissa
///   is even (it reads back correctly, by round-half-even); PostgreSQL's Ryu is built without
///   STRICTLY_SHORTEST and never does, printing more digits instead;
/// - when two shortest candidates are equally close, core::fmt rounds up, Ryu to even (the
///   tie is recomputed exactly, whichever printed the digits).
fn pg_shortest(v: f64, is_float4: bool) -> Decimal {
    if let Some(d) = short_decimal(v, is_float4) {
        return d;
    }
    // Ryu's shortest round-trip digits (PostgreSQL's algorithm too), ~3x faster than
    // core::fmt's `{:e}`; the two corrections below still apply to them.
    let mut ryu = ryu::Buffer::new();
    let d = Decimal::from_shortest(if is_float4 {
        ryu.format_finite(v as f32).as_bytes()
    } else {
        ryu.format_finite(v).as_bytes()
    });
    let mut sb = StackBuf {
        buf: [0; 96],
        len: 0,
    };
    // The float as mantissa * 2^e2.
    let (mantissa, e2) = if is_float4 {
        let b = (v as f32).to_bits();
        let (m, e) = (b & 0x7F_FFFF, (b >> 23) & 0xFF);
        if e == 0 {
            (m as u64, -149)
        } else {
            ((m | 0x80_0000) as u64, e as i32 - 150)
        }
    } else {
        let b = v.to_bits();
        let (m, e) = (b & 0xF_FFFF_FFFF_FFFF, ((b >> 52) & 0x7FF) as i32);
        if e == 0 {
            (m, -1074)
        } else {
            (m | 1 << 52, e - 1075)
        }
    };
    // Tie: v's exact decimal expansion is one digit longer than the shortest, ending in 5.
    // Only a v >= 1 with few fraction bits can be that short.
    let tz = mantissa.trailing_zeros();
    let (odd, e_odd) = (mantissa >> tz, e2 + tz as i32);
    if e_odd < 0 && e_odd > -64 && v >= 1.0 {
        let frac_digits = (-e_odd) as u32;
        let int_part = odd >> frac_digits;
        let int_digits = if int_part == 0 {
            0
        } else {
            int_part.ilog10() + 1
        };
        if int_digits + frac_digits == d.n as u32 + 1 && frac_digits <= 20 {
            let frac = (odd & ((1u64 << frac_digits) - 1)) as u128 * 5u128.pow(frac_digits);
            let exact = int_part as u128 * 10u128.pow(frac_digits) + frac;
            let down = exact / 10;
            let even = if down.is_multiple_of(2) {
                down
            } else {
                down + 1
            };
            return Decimal::from_u128(even, 1 - frac_digits as i32);
        }
    }
    // Halfway decimal: possible only for large values (few decimal digits in half an ulp).
    let large = if is_float4 {
        8_388_608.0
    } else {
        4_503_599_627_370_496.0
    };
    if mantissa % 2 == 0 && v >= large && d.on_boundary(v, is_float4) {
        let max = if is_float4 { 9 } else { 17 };
        for precision in d.n + 1..=max {
            sb.len = 0;
            let _ = write!(sb, "{:.*e}", precision - 1, v);
            let longer = Decimal::from_sci(&sb.buf[..sb.len]);
            if !longer.on_boundary(v, is_float4) {
                return longer;
            }
        }
    }
    d
}

/// `float8out` / `float4out`. With `extra_float_digits > 0` (the default, 1) PostgreSQL prints
/// the shortest string that reads back to the same value (its Ryu port), in positional notation
/// for decimal exponents -4..15 (float4: -4..6) and `1e+20` style otherwise. With
/// `extra_float_digits <= 0` it prints `%.*g` with DBL_DIG (FLT_DIG) + extra_float_digits
/// significant digits.
pub(crate) fn write_float(out: &mut Vec<u8>, v: f64, is_float4: bool, extra_float_digits: i32) {
    // A float4 column fed from wider data prints as the float4 it is sent as.
    let v = if is_float4 { v as f32 as f64 } else { v };
    if v.is_nan() {
        return out.extend_from_slice(b"NaN");
    }
    if v.is_infinite() {
        return out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let abs = v.abs();
    // Short values (prices, measurements) straight to text: every value short_scaled accepts
    // prints positionally (float8 exponents -4..14 are all below 15; float4 needs < 10^6).
    if extra_float_digits > 0
        && let Some((r, k)) = short_scaled(abs, is_float4)
        && (!is_float4 || abs < 1e6)
    {
        return write_scaled(out, r, k);
    }
    let (d, limit) = if abs == 0.0 {
        (Decimal::from_u128(0, 0), 1)
    } else if extra_float_digits > 0 {
        (pg_shortest(abs, is_float4), if is_float4 { 6 } else { 15 })
    } else {
        // %.{p}g: Rust's fixed-precision formatting rounds exactly, half to even, as glibc.
        let p = ((if is_float4 { 6 } else { 15 }) + extra_float_digits).max(1) as usize;
        let mut sb = StackBuf {
            buf: [0; 96],
            len: 0,
        };
        let _ = write!(sb, "{:.*e}", p - 1, abs);
        (Decimal::from_sci(&sb.buf[..sb.len]), p as i32)
    };
    // %g and Ryu both drop trailing zeros.
    let mut n = d.n;
    while n > 1 && d.digits[n - 1] == b'0' {
        n -= 1;
    }
    let digits = &d.digits[..n];
    let exp = d.exp;
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

/// A line of text assembled on the stack and appended to the output in one copy: the
/// date/time writers emit many tiny pieces, and per-piece `Vec` growth checks dominate.
struct Line {
    b: [u8; 128],
    n: usize,
}

impl Line {
    #[inline]
    fn new() -> Line {
        Line { b: [0; 128], n: 0 }
    }

    #[inline]
    fn byte(&mut self, c: u8) {
        self.b[self.n] = c;
        self.n += 1;
    }

    #[inline]
    fn bytes(&mut self, s: &[u8]) {
        self.b[self.n..self.n + s.len()].copy_from_slice(s);
        self.n += s.len();
    }

    /// Two digits, 0..=99.
    #[inline]
    fn two(&mut self, v: u32) {
        let r = v as usize * 2;
        self.bytes(&DIGITS2[r..r + 2]);
    }

    /// At least `width` digits, zero-padded (`%0*lld`).
    #[inline]
    fn padded(&mut self, v: u64, width: usize) {
        if width == 2 && v < 100 {
            return self.two(v as u32);
        }
        if width == 4 && v < 10_000 {
            self.two((v / 100) as u32);
            return self.two((v % 100) as u32);
        }
        let mut buf = [0u8; 20];
        let i = u64_digits(&mut buf, v);
        for _ in (20 - i)..width {
            self.byte(b'0');
        }
        self.bytes(&buf[i..]);
    }

    #[inline]
    fn signed(&mut self, v: i64) {
        if v < 0 {
            self.byte(b'-');
        }
        let mut buf = [0u8; 20];
        let i = u64_digits(&mut buf, v.unsigned_abs());
        self.bytes(&buf[i..]);
    }

    /// "YYYY-MM-DD" with the year as PostgreSQL shows it; returns whether " BC" is owed.
    #[inline]
    fn ymd(&mut self, days: i64) -> bool {
        let (y, m, d) = civil_from_days(days);
        let bc = y <= 0;
        let year = if bc { 1 - y } else { y };
        self.padded(year as u64, 4);
        self.byte(b'-');
        self.two(m);
        self.byte(b'-');
        self.two(d);
        bc
    }

    /// `AppendSeconds` with fillzeros: ".ffffff" without its trailing zeros, nothing for 0.
    #[inline]
    fn fraction(&mut self, micros: u32) {
        if micros == 0 {
            return;
        }
        self.byte(b'.');
        self.two(micros / 10_000);
        self.two(micros / 100 % 100);
        self.two(micros % 100);
        while self.b[self.n - 1] == b'0' {
            self.n -= 1;
        }
    }

    /// "HH:MM:SS[.ffffff]" for a non-negative count of microseconds (hours may exceed 99).
    #[inline]
    fn hms(&mut self, micros: u64) {
        let secs = micros / USECS_PER_SEC as u64;
        self.padded(secs / 3600, 2);
        self.byte(b':');
        self.two((secs / 60 % 60) as u32);
        self.byte(b':');
        self.two((secs % 60) as u32);
        self.fraction((micros % USECS_PER_SEC as u64) as u32);
    }

    /// `EncodeTimezone`: "+HH", "+HH:MM" or "+HH:MM:SS" for seconds east of UTC.
    #[inline]
    fn offset(&mut self, east: i32) {
        let abs = east.unsigned_abs();
        self.byte(if east >= 0 { b'+' } else { b'-' });
        let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
        self.padded(h as u64, 2);
        if s != 0 || m != 0 {
            self.byte(b':');
            self.two(m);
        }
        if s != 0 {
            self.byte(b':');
            self.two(s);
        }
    }

    /// `AddPostgresIntPart`: each nonzero field sets `is_before` for (only) the next one,
    /// which then gets an explicit "+" when positive (PostgreSQL's quirk: "-1 days +02:03:00").
    #[inline]
    fn interval_part(&mut self, value: i64, unit: &[u8], is_zero: &mut bool, is_before: &mut bool) {
        if value == 0 {
            return;
        }
        if !*is_zero {
            self.byte(b' ');
        }
        if *is_before && value > 0 {
            self.byte(b'+');
        }
        self.signed(value);
        self.byte(b' ');
        self.bytes(unit);
        if value != 1 {
            self.byte(b's');
        }
        *is_before = value < 0;
        *is_zero = false;
    }

    #[inline]
    fn flush(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.b[..self.n]);
    }
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
#[inline]
pub(crate) fn write_date(out: &mut Vec<u8>, days: i32) {
    match date_infinity(days) {
        Some(true) => out.extend_from_slice(b"infinity"),
        Some(false) => out.extend_from_slice(b"-infinity"),
        None => {
            let mut l = Line::new();
            if l.ymd(days as i64) {
                l.bytes(b" BC");
            }
            l.flush(out);
        }
    }
}

/// `time_out`: "HH:MM:SS[.ffffff]" for microseconds since midnight (24:00:00 allowed).
#[inline]
pub(crate) fn write_time(out: &mut Vec<u8>, micros: i64) {
    let mut l = Line::new();
    l.hms(micros.max(0) as u64);
    l.flush(out);
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
    let mut l = Line::new();
    let bc = l.ymd(micros.div_euclid(USECS_PER_DAY));
    l.byte(b' ');
    l.hms(micros.rem_euclid(USECS_PER_DAY) as u64);
    if bc {
        l.bytes(b" BC");
    }
    l.flush(out);
}

/// `timestamptz_out` (DateStyle ISO): the wall time `east` seconds east of UTC, the offset,
/// then " BC".
#[inline]
pub(crate) fn write_timestamptz(out: &mut Vec<u8>, utc_micros: i64, east: i32) {
    let local = utc_micros.saturating_add(east as i64 * USECS_PER_SEC);
    let mut l = Line::new();
    let bc = l.ymd(local.div_euclid(USECS_PER_DAY));
    l.byte(b' ');
    l.hms(local.rem_euclid(USECS_PER_DAY) as u64);
    l.offset(east);
    if bc {
        l.bytes(b" BC");
    }
    l.flush(out);
}

/// `EncodeTimezone` alone (timetz parameters).
pub(crate) fn write_offset(out: &mut Vec<u8>, east: i32) {
    let mut l = Line::new();
    l.offset(east);
    l.flush(out);
}

/// `interval_out` with IntervalStyle postgres (`EncodeInterval`, INTSTYLE_POSTGRES).
#[inline]
pub(crate) fn write_interval(out: &mut Vec<u8>, months: i32, days: i32, micros: i64) {
    let mut l = Line::new();
    let mut is_zero = true;
    let mut is_before = false;
    l.interval_part((months / 12) as i64, b"year", &mut is_zero, &mut is_before);
    l.interval_part((months % 12) as i64, b"mon", &mut is_zero, &mut is_before);
    l.interval_part(days as i64, b"day", &mut is_zero, &mut is_before);
    if is_zero || micros != 0 {
        if !is_zero {
            l.byte(b' ');
        }
        if micros < 0 {
            l.byte(b'-');
        } else if is_before {
            l.byte(b'+');
        }
        l.hms(micros.unsigned_abs());
    }
    l.flush(out);
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
