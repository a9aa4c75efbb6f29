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
//! of March" then yields.

use chrono::{DateTime, Offset, TimeZone as _};
use chrono_tz::Tz;

/// A session time zone: a named (tzdata) zone or a fixed offset.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeZone {
    kind: Kind,
    /// What `SHOW TimeZone` prints.
    name: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Named(Tz),
    /// Seconds east of UTC.
    Fixed(i32),
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
            kind: Kind::Named(Tz::UTC),
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
                kind: Kind::Named(tz),
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
            Kind::Named(Tz::UTC | Tz::Etc__UTC | Tz::GMT | Tz::Etc__GMT) => Some(0),
            Kind::Named(_) => None,
        }
    }

    /// Seconds east of UTC in force at `utc_seconds` (since 1970-01-01 UTC).
    pub fn offset_at(&self, utc_seconds: i64) -> i32 {
        match self.kind {
            Kind::Fixed(east) => east,
            Kind::Named(tz) => named_offset(tz, utc_seconds),
        }
    }
}

fn named_offset(tz: Tz, utc_seconds: i64) -> i32 {
    let t = if utc_seconds >= TABLES_END {
        same_calendar_before_2100(utc_seconds)
    } else {
        utc_seconds.max(TABLES_START)
    };
    match DateTime::from_timestamp(t, 0) {
        Some(dt) => tz
            .offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc(),
        None => 0,
    }
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
    if abs % 3600 != 0 {
        hms.push_str(&format!(":{:02}", abs % 3600 / 60));
        if abs % 60 != 0 {
            hms.push_str(&format!(":{:02}", abs % 60));
        }
    }
    if east < 0 {
        format!("<-{hms}>+{hms}")
    } else {
        format!("<+{hms}>-{hms}")
    }
}

/// Caches the offset of the last UTC day looked up: result columns are usually sorted or
/// clustered, and a zone's offset is constant over almost every day.
pub(crate) struct OffsetCache<'a> {
    tz: &'a TimeZone,
    fixed: Option<i32>,
    day: i64,
    offset: Option<i32>,
}

impl<'a> OffsetCache<'a> {
    pub(crate) fn new(tz: &'a TimeZone) -> Self {
        OffsetCache {
            tz,
            fixed: tz.fixed_offset(),
            day: i64::MIN,
            offset: None,
        }
    }

    #[inline]
    pub(crate) fn offset_at(&mut self, utc_seconds: i64) -> i32 {
        if let Some(east) = self.fixed {
            return east;
        }
        let day = utc_seconds.div_euclid(SECS_PER_DAY);
        if day == self.day
            && let Some(off) = self.offset
        {
            return off;
        }
        let start = day * SECS_PER_DAY;
        let first = self.tz.offset_at(start);
        let last = self.tz.offset_at(start + SECS_PER_DAY - 1);
        self.day = day;
        if first == last {
            self.offset = Some(first);
            first
        } else {
            self.offset = None;
            self.tz.offset_at(utc_seconds)
        }
    }
}
