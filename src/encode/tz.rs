//! The session `TimeZone` as PostgreSQL's `SET TimeZone` understands it, reduced to what
//! timestamptz output needs: the UTC offset in force at an instant.
//!
//! Accepted spellings (checked against PostgreSQL 15):
//! - IANA names, matched case-insensitively and reported in their canonical case
//!   (`europe/london` → `Europe/London`), including `UTC`, `GMT`, `Etc/GMT+5`, `EST5EDT`.
//! - A bare number of hours, ISO sign (east positive): `2`, `-3.5`, `+5` → shown as `<+02>-02`.
//! - A POSIX zone without daylight-saving rules, POSIX sign (west positive): `UTC+2`, `<+03>-3`,
//!   `XYZ-5:30`, and the nameless `+02:00`, which PostgreSQL reads the POSIX way (UTC−2).
//!
//! Zone data comes from chrono-tz, whose tables stop at 2099 whereas PostgreSQL extends a zone's
//! last rule forever; instants from 2100 on are looked up in the year of 2072–2099 that has the
//! same calendar (leap year and weekday of 1 January), which is what a rule such as "last Sunday
//! of March" then yields; zones without transitions in 2099 keep their last offset.
//!
//! Known differences from PostgreSQL (data, not code; measured over 600 zones × 220 instants):
//! Debian's PostgreSQL reads the system tzdata, built with "backzone", which keeps the pre-1970
//! history of ~110 zones that chrono-tz's default build folds into others (Africa/Accra,
//! Europe/Amsterdam before 1940, ...), and keeps legacy names such as WET and CET as zones of
//! their own rather than links; and zones with irregular predicted changes late in the table
//! (Asia/Gaza) can differ after 2099.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Offset, TimeZone as _};
use chrono_tz::Tz;

/// A session time zone: a named (tzdata) zone or a fixed offset.
#[derive(Clone, PartialEq)]
pub struct TimeZone {
    kind: Kind,
    /// What `SHOW TimeZone` prints.
    name: String,
}

#[derive(Clone, PartialEq)]
enum Kind {
    /// A tzdata zone: its transitions, and its offset from 2100 on if it has none after its
    /// tables end.
    Named(Tz, Arc<Transitions>, Option<i32>),
    /// Seconds east of UTC.
    Fixed(i32),
}

/// A zone's UTC offsets as sorted (start instant, offset) pairs, 1000–2100: read once per zone
/// and process out of chrono-tz (which does not expose its spans), so that a lookup is one
/// binary search over plain integers.
#[derive(PartialEq)]
pub(crate) struct Transitions {
    /// UTC seconds where each span starts; the first is i64::MIN.
    starts: Vec<i64>,
    offsets: Vec<i32>,
}

impl Transitions {
    /// The span containing `t`: (start, end, offset).
    #[inline]
    fn span(&self, t: i64) -> (i64, i64, i32) {
        let i = self.starts.partition_point(|&s| s <= t).max(1) - 1;
        let end = self.starts.get(i + 1).copied().unwrap_or(TABLES_END);
        (self.starts[i], end, self.offsets[i])
    }
}

fn transitions(tz: Tz) -> Arc<Transitions> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Arc<Transitions>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(tz.name()).cloned()) {
        return t;
    }
    let built = Arc::new(scan_transitions(tz));
    if let Ok(mut c) = cache.lock() {
        c.insert(tz.name(), built.clone());
    }
    built
}

/// Probes chrono-tz yearly before 1800 and weekly after, and pins each change of offset to
/// the second by bisection. (Two changes within one probe step that cancel out would be
/// missed; tzdata has none.)
fn scan_transitions(tz: Tz) -> Transitions {
    const YEAR_1800: i64 = -5_364_662_400;
    let mut starts = vec![i64::MIN];
    let mut offsets = vec![table_offset(tz, TABLES_START)];
    let mut t = TABLES_START;
    while t < TABLES_END {
        let step = if t < YEAR_1800 {
            365 * SECS_PER_DAY
        } else {
            7 * SECS_PER_DAY
        };
        let next = (t + step).min(TABLES_END - 1);
        let end_offset = table_offset(tz, next);
        let mut lo = t;
        while *offsets.last().expect("non-empty") != end_offset {
            // Bisect for the first second in (lo, next] whose offset differs from lo's.
            let current = *offsets.last().expect("non-empty");
            let (mut a, mut b) = (lo, next);
            while b - a > 1 {
                let mid = a + (b - a) / 2;
                if table_offset(tz, mid) == current {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            starts.push(b);
            offsets.push(table_offset(tz, b));
            lo = b;
        }
        if next == TABLES_END - 1 {
            break;
        }
        t = next;
    }
    Transitions { starts, offsets }
}

impl std::fmt::Debug for TimeZone {
    // The name says it all; the transition table would flood any log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TimeZone").field(&self.name).finish()
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone::utc()
    }
}

const SECS_PER_DAY: i64 = 86_400;
/// 2100-01-01 00:00:00 UTC, in seconds since 1970: where chrono-tz's tables end.
const TABLES_END: i64 = 4_102_444_800;
/// 1000-01-01 00:00:00 UTC: before any zone's first transition, so its first (LMT) offset holds.
const TABLES_START: i64 = -30_610_224_000;

impl TimeZone {
    pub fn utc() -> TimeZone {
        TimeZone {
            kind: Kind::Fixed(0),
            name: "UTC".to_string(),
        }
    }

    /// A fixed offset in seconds east of UTC, named as PostgreSQL names a numeric `SET TimeZone`.
    pub fn fixed(east_seconds: i32) -> TimeZone {
        TimeZone {
            kind: Kind::Fixed(east_seconds),
            name: numeric_zone_name(east_seconds),
        }
    }

    /// Parses a `SET TimeZone` value; the error is the message PostgreSQL would give.
    pub fn parse(value: &str) -> Result<TimeZone, String> {
        let invalid = || format!("invalid value for parameter \"TimeZone\": \"{value}\"");
        if value.len() >= 8 && value[..8].eq_ignore_ascii_case("interval") {
            return Err(invalid());
        }
        // PostgreSQL first tries the whole string as a (C strtod) number of hours, ISO sign.
        if let Some(hours) = parse_hours(value) {
            let east = (hours * 3600.0) as i64;
            if east.abs() > 168 * 3600 {
                return Err(invalid());
            }
            return Ok(TimeZone::fixed(east as i32));
        }
        if let Some(tz) = lookup_name(value) {
            return Ok(TimeZone {
                kind: Kind::Named(tz, transitions(tz), constant_after_tables(tz)),
                name: tz.name().to_string(),
            });
        }
        if let Some(east) = parse_posix(value) {
            if east % 60 != 0 {
                return Err(format!("time zone \"{value}\" appears to use leap seconds"));
            }
            return Ok(TimeZone {
                kind: Kind::Fixed(east),
                name: value.to_ascii_uppercase(),
            });
        }
        Err(invalid())
    }

    /// The name `SHOW TimeZone` reports.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A fixed zone's offset (seconds east of UTC); `None` for zones with rules.
    pub fn fixed_offset(&self) -> Option<i32> {
        match self.kind {
            Kind::Fixed(east) => Some(east),
            Kind::Named(Tz::UTC | Tz::Etc__UTC | Tz::GMT | Tz::Etc__GMT, ..) => Some(0),
            Kind::Named(..) => None,
        }
    }

    /// Seconds east of UTC in force at `utc_seconds` (since 1970-01-01 UTC).
    pub fn offset_at(&self, utc_seconds: i64) -> i32 {
        self.span(utc_seconds).2
    }

    /// The span of constant offset around `utc_seconds`: (start, end, seconds east).
    fn span(&self, utc_seconds: i64) -> (i64, i64, i32) {
        match &self.kind {
            Kind::Fixed(east) => (i64::MIN, i64::MAX, *east),
            Kind::Named(_, _, Some(east)) if utc_seconds >= TABLES_END => {
                (TABLES_END, i64::MAX, *east)
            }
            Kind::Named(_, table, _) if utc_seconds >= TABLES_END => {
                // Not cacheable as a span: the mapped instant's span is in another year.
                let (_, _, east) = table.span(same_calendar_before_2100(utc_seconds));
                (utc_seconds, utc_seconds + 1, east)
            }
            Kind::Named(_, table, _) => table.span(utc_seconds),
        }
    }
}

fn table_offset(tz: Tz, utc_seconds: i64) -> i32 {
    match DateTime::from_timestamp(utc_seconds, 0) {
        Some(dt) => tz
            .offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc(),
        None => 0,
    }
}

/// The offset a zone keeps for ever after its tables end, if it has no transitions in their
/// last year (zones without daylight saving now, or whose listed changes stop before 2099 as
/// Africa/Casablanca's do): every month of 2099 then has the same offset.
fn constant_after_tables(tz: Tz) -> Option<i32> {
    let last = table_offset(tz, TABLES_END - 1);
    let year_2099 = TABLES_END - 365 * SECS_PER_DAY;
    (0..12)
        .map(|m| table_offset(tz, year_2099 + m * 31 * SECS_PER_DAY))
        .all(|off| off == last)
        .then_some(last)
}

/// Moves an instant of year ≥ 2100 into the year of 2072–2099 with the same calendar, keeping
/// its month, day and time of day.
fn same_calendar_before_2100(utc_seconds: i64) -> i64 {
    let days = utc_seconds.div_euclid(SECS_PER_DAY);
    let (year, _, _) = super::text::civil_from_days(days);
    let jan1 = super::text::days_from_civil(year, 1, 1);
    let leap = is_leap(year);
    let weekday = jan1.rem_euclid(7);
    for candidate in 2072..2100 {
        let c_jan1 = super::text::days_from_civil(candidate, 1, 1);
        if is_leap(candidate) == leap && c_jan1.rem_euclid(7) == weekday {
            return utc_seconds - (jan1 - c_jan1) * SECS_PER_DAY;
        }
    }
    TABLES_END - 1
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn lookup_name(value: &str) -> Option<Tz> {
    if let Ok(tz) = value.parse::<Tz>() {
        return Some(tz);
    }
    chrono_tz::TZ_VARIANTS
        .iter()
        .copied()
        .find(|tz| tz.name().eq_ignore_ascii_case(value))
}

/// C `strtod` over the whole string (leading spaces allowed, as PostgreSQL's check does).
fn parse_hours(value: &str) -> Option<f64> {
    let s = value.trim_start();
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let first = body.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') {
        return None;
    }
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let v = i64::from_str_radix(hex, 16).ok()? as f64;
        return Some(if s.starts_with('-') { -v } else { v });
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|h| h.is_finite())
}

/// A POSIX TZ string without a daylight-saving part: `[name]offset`, where name is letters or
/// `<...>` and offset is `[+-]hh[:mm[:ss]]` hours WEST of UTC. Returns seconds east.
fn parse_posix(value: &str) -> Option<i32> {
    let s = value.as_bytes();
    let mut i = 0;
    if s.first() == Some(&b'<') {
        i = value.find('>')? + 1;
    } else {
        while i < s.len() && s[i].is_ascii_alphabetic() {
            i += 1;
        }
    }
    let mut sign = 1i64;
    match s.get(i) {
        Some(b'+') => i += 1,
        Some(b'-') => {
            sign = -1;
            i += 1
        }
        _ => {}
    }
    let mut fields = [0i64; 3];
    let mut n = 0;
    loop {
        let start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 3 || n == 3 {
            return None;
        }
        fields[n] = value[start..i].parse().ok()?;
        n += 1;
        if i < s.len() && s[i] == b':' {
            i += 1;
        } else {
            break;
        }
    }
    if i != s.len() || fields[0] > 167 || fields[1] > 59 || fields[2] > 59 {
        return None;
    }
    let west = sign * (fields[0] * 3600 + fields[1] * 60 + fields[2]);
    Some(-west as i32)
}

/// PostgreSQL's `pg_tzset_offset` name: `<+05:30>-05:30` for 5.5 hours east.
fn numeric_zone_name(east: i32) -> String {
    let abs = east.unsigned_abs();
    let mut hms = format!("{:02}", abs / 3600);
    if !abs.is_multiple_of(3600) {
        hms.push_str(&format!(":{:02}", abs % 3600 / 60));
        if !abs.is_multiple_of(60) {
            hms.push_str(&format!(":{:02}", abs % 60));
        }
    }
    if east < 0 {
        format!("<-{hms}>+{hms}")
    } else {
        format!("<+{hms}>-{hms}")
    }
}

/// Remembers the last span of constant offset looked up: result columns are usually sorted
/// or clustered in time, so most lookups are two comparisons.
pub(crate) struct OffsetCache<'a> {
    tz: &'a TimeZone,
    start: i64,
    end: i64,
    offset: i32,
}

impl<'a> OffsetCache<'a> {
    pub(crate) fn new(tz: &'a TimeZone) -> Self {
        OffsetCache {
            tz,
            start: 0,
            end: 0,
            offset: 0,
        }
    }

    #[inline]
    pub(crate) fn offset_at(&mut self, utc_seconds: i64) -> i32 {
        if utc_seconds >= self.start && utc_seconds < self.end {
            return self.offset;
        }
        let (start, end, offset) = self.tz.span(utc_seconds);
        (self.start, self.end, self.offset) = (start, end, offset);
        offset
    }
}
