//! Dates as exports write them.
//!
//! ISO 8601 and RFC 3339 (`2023-03-17`, `2023-03-17 06:10`, `2023-03-17T06:10:00+02:00`); day, month and year
//! with `/`, `-` or `.` between them (`17/03/2023`, `3/17/2023 12:00:00 AM`, `17.03.2023 06:10`); Unix
//! timestamps in seconds or milliseconds; a month by name (`17 March 2023`, `March 17, 2023`, `17-Mar-2023`).
//!
//! Whether `03/04/2023` is the 3rd of April or the 4th of March is decided per file, from its values: a first
//! number over 12 means day first, a second number over 12 month first ([`DateOrder::decide`]). A dotted date is
//! day first (the European convention). A file whose every slashed date reads both ways is undecidable: the
//! caller must say which (`--date-order`).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

/// Day first or month first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `D/M/YYYY`.
    Dmy,
    /// `M/D/YYYY`.
    Mdy,
}

impl DateOrder {
    /// `dmy` or `mdy`.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }

    /// The order called `name` (`dmy`, `mdy`).
    pub fn from_name(name: &str) -> Option<DateOrder> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dmy" => Some(DateOrder::Dmy),
            "mdy" => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// The order `values` are written in: `Ok(Some)` when some value decides it, `Ok(None)` when none needs it
    /// (no slashed dates, or none that could be read two ways), `Err` when the values are ambiguous throughout
    /// or contradict each other (the message names both readings and how to choose).
    pub fn decide<'a>(
        column: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<Option<DateOrder>, String> {
        let (mut day_first, mut month_first, mut ambiguous) = (None, None, None);
        for v in values {
            let Some((a, b, _, sep)) = numeric_parts(v.trim()) else {
                continue;
            };
            if sep == '.' {
                continue;
            }
            match (a > 12, b > 12) {
                (true, false) => {
                    day_first.get_or_insert_with(|| v.trim().to_owned());
                }
                (false, true) => {
                    month_first.get_or_insert_with(|| v.trim().to_owned());
                }
                (false, false) if a != b => {
                    ambiguous.get_or_insert_with(|| v.trim().to_owned());
                }
                _ => {}
            }
        }
        match (day_first, month_first, ambiguous) {
            (Some(d), Some(m), _) => Err(format!(
                "`{column}` has dates day first (`{d}`) and month first (`{m}`): one file, one order"
            )),
            (Some(_), None, _) => Ok(Some(DateOrder::Dmy)),
            (None, Some(_), _) => Ok(Some(DateOrder::Mdy)),
            (None, None, Some(v)) => {
                let (a, b, y, _) = numeric_parts(&v).unwrap_or((1, 1, 1970, '/'));
                Err(format!(
                    "every date in `{column}` reads both ways: `{v}` is {} or {}; say which with \
                     --date-order dmy or --date-order mdy",
                    describe(b, a, y),
                    describe(a, b, y),
                ))
            }
            (None, None, None) => Ok(None),
        }
    }
}

/// `3 April 2023` for month 4, day 3.
fn describe(month: u32, day: u32, year: i32) -> String {
    let name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .map_or("?", |m| m[0]);
    let mut name = name.to_owned();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!("{day} {name} {year}")
}

/// Month names and their abbreviations (English), lower case.
const MONTHS: [[&str; 2]; 12] = [
    ["january", "jan"],
    ["february", "feb"],
    ["march", "mar"],
    ["april", "apr"],
    ["may", "may"],
    ["june", "jun"],
    ["july", "jul"],
    ["august", "aug"],
    ["september", "sep"],
    ["october", "oct"],
    ["november", "nov"],
    ["december", "dec"],
];

fn month_named(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| c == '.' || c == ',')
        .to_ascii_lowercase();
    let w = if w == "sept" { "sep".to_owned() } else { w };
    MONTHS
        .iter()
        .position(|m| m[0] == w || m[1] == w)
        .map(|i| i as u32 + 1)
}

/// `a`, `b`, the year and the separator of `a/b/YYYY` (with `/`, `-` or `.`), whatever follows after a space
/// or `T`.
fn numeric_parts(v: &str) -> Option<(u32, u32, i32, char)> {
    let date = v.split([' ', 'T']).next()?;
    let sep = date.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut parts = date.split(sep);
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || a.len() > 2 || b.len() > 2 || y.len() != 4 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?, sep))
}

/// A time of day: `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, with `AM`/`PM` after a space.
fn time_of_day(v: &str) -> Option<Time> {
    let v = v.trim();
    let (clock, meridiem) = match v.rsplit_once(' ') {
        Some((c, m)) if m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm") => {
            (c.trim(), Some(m.eq_ignore_ascii_case("pm")))
        }
        _ => (v, None),
    };
    let mut parts = clock.split(':');
    let h: i8 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let (s, nanos) = match parts.next() {
        None => (0, 0),
        Some(s) => match s.split_once('.') {
            None => (s.parse().ok()?, 0),
            Some((s, f)) => {
                let digits: String = f.chars().take(9).collect();
                let nanos: i32 = format!("{digits:0<9}").parse().ok()?;
                (s.parse().ok()?, nanos)
            }
        },
    };
    if parts.next().is_some() {
        return None;
    }
    let h = match meridiem {
        None => h,
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(false) => h % 12,
        Some(true) => h % 12 + 12,
    };
    Time::new(h, m, s, nanos).ok()
}

/// When a value says something happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// An instant (the value had an offset or was a Unix timestamp).
    Instant(Timestamp),
    /// A civil date and time with no zone; `timed` is false when the value gave the date only.
    Civil {
        /// The date and time (midnight when not given).
        at: DateTime,
        /// Whether the value gave a time of day.
        timed: bool,
    },
}

impl When {
    /// The civil date (an instant's in UTC).
    pub fn date(self) -> Date {
        match self {
            When::Instant(t) => t.to_zoned(jiff::tz::TimeZone::UTC).date(),
            When::Civil { at, .. } => at.date(),
        }
    }
}

/// What the forms accepted are, for messages.
pub const DATE_FORMS: &str = "a date or time: YYYY-MM-DD, RFC 3339, D/M/YYYY or M/D/YYYY (the file's order), \
                              D.M.YYYY, with or without a time of day; a Unix timestamp; or `17 March 2023`";

/// Reads `v` in `order` (needed only for a slashed or dashed date whose first two numbers are both 12 or under).
pub fn parse_when(v: &str, order: Option<DateOrder>) -> Result<When, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("empty".into());
    }
    // RFC 3339 / ISO 8601 with an offset.
    if let Ok(t) = v.parse::<Timestamp>() {
        return Ok(When::Instant(t));
    }
    // ISO 8601 without an offset: a date, or a date and time with `T` or a space.
    if v.len() >= 10 && v.as_bytes().get(4) == Some(&b'-') {
        if v.len() == 10
            && let Ok(d) = v.parse::<Date>()
        {
            return Ok(When::Civil {
                at: d.to_datetime(Time::midnight()),
                timed: false,
            });
        }
        if let Ok(at) = v.replacen(' ', "T", 1).parse::<DateTime>() {
            return Ok(When::Civil { at, timed: true });
        }
        // UCDP's `2014-01-22 00:00:00.000` and the like: the date, then a time.
        if let (Ok(d), Some(t)) = (v[..10].parse::<Date>(), time_of_day(&v[10..])) {
            return Ok(When::Civil {
                at: d.to_datetime(t),
                timed: true,
            });
        }
    }
    // Unix seconds (9 to 11 digits) or milliseconds (12 to 14).
    if v.bytes().all(|b| b.is_ascii_digit()) && (9..=14).contains(&v.len()) {
        let n: i64 = v.parse().map_err(|e| format!("{e}"))?;
        let t = if v.len() <= 11 {
            Timestamp::from_second(n)
        } else {
            Timestamp::from_millisecond(n)
        };
        return t.map(When::Instant).map_err(|e| e.to_string());
    }
    if let Some((a, b, year, sep)) = numeric_parts(v) {
        let rest = v
            .split_once([' ', 'T'])
            .map(|(_, r)| r.trim())
            .filter(|r| !r.is_empty());
        let time = match rest {
            None => None,
            Some(r) => Some(time_of_day(r).ok_or_else(|| format!("`{r}` is not a time of day"))?),
        };
        // A value that can be read one way only must agree with the order said for the file.
        match (order, sep == '.', a > 12, b > 12) {
            (Some(DateOrder::Mdy), false, true, _) => {
                return Err(format!(
                    "`{v}` cannot be month first ({a} is not a month), but the file's order is month first (mdy)"
                ));
            }
            (Some(DateOrder::Dmy), false, _, true) => {
                return Err(format!(
                    "`{v}` cannot be day first ({b} is not a month), but the file's order is day first (dmy)"
                ));
            }
            _ => {}
        }
        let order = if sep == '.' || a > 12 {
            DateOrder::Dmy
        } else if b > 12 {
            DateOrder::Mdy
        } else if a == b {
            DateOrder::Dmy
        } else {
            order.ok_or_else(|| {
                format!(
                    "`{v}` is {} or {}: the file's order is not known",
                    describe(b, a, year),
                    describe(a, b, year)
                )
            })?
        };
        let (day, month) = match order {
            DateOrder::Dmy => (a, b),
            DateOrder::Mdy => (b, a),
        };
        let d = Date::new(year as i16, month as i8, day as i8).map_err(|e| e.to_string())?;
        return Ok(When::Civil {
            at: d.to_datetime(time.unwrap_or(Time::midnight())),
            timed: time.is_some(),
        });
    }
    named(v).ok_or_else(|| "not a date".to_owned())
}

/// `17 March 2023`, `March 17, 2023`, `17-Mar-2023`, with an optional time of day after.
fn named(v: &str) -> Option<When> {
    let words: Vec<&str> = v.split([' ', '-', ',']).filter(|w| !w.is_empty()).collect();
    let (day, month, year, rest) = match words.as_slice() {
        [d, m, y, rest @ ..] if month_named(m).is_some() => (d, month_named(m)?, y, rest),
        [m, d, y, rest @ ..] if month_named(m).is_some() => (d, month_named(m)?, y, rest),
        _ => return None,
    };
    let day: i8 = day
        .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
        .parse()
        .ok()?;
    let year: i16 = year.parse().ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let time = match rest {
        [] => None,
        rest => Some(time_of_day(&rest.join(" "))?),
    };
    let d = Date::new(year, month as i8, day).ok()?;
    Some(When::Civil {
        at: d.to_datetime(time.unwrap_or(Time::midnight())),
        timed: time.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(v: &str, order: Option<DateOrder>) -> (String, bool) {
        match parse_when(v, order).unwrap() {
            When::Civil { at, timed } => (at.to_string(), timed),
            When::Instant(t) => (t.to_string(), true),
        }
    }

    #[test]
    fn a_value_against_the_order_said_is_refused() {
        assert!(
            parse_when("13/12/2026", Some(DateOrder::Mdy))
                .unwrap_err()
                .contains("cannot be month first")
        );
        assert!(
            parse_when("12/13/2026", Some(DateOrder::Dmy))
                .unwrap_err()
                .contains("cannot be day first")
        );
        // Dotted dates are day first whatever the order said.
        assert!(parse_when("13.12.2026", Some(DateOrder::Mdy)).is_ok());
    }

    #[test]
    fn each_date_form_is_read() {
        let d = |s: &str| s.to_owned();
        assert_eq!(civil("2023-03-17", None), (d("2023-03-17T00:00:00"), false));
        assert_eq!(
            civil("2023-03-17 06:10", None),
            (d("2023-03-17T06:10:00"), true)
        );
        assert_eq!(
            civil("2023-03-17T06:10:00", None),
            (d("2023-03-17T06:10:00"), true)
        );
        assert_eq!(
            civil("2014-01-22 00:00:00.000", None),
            (d("2014-01-22T00:00:00"), true)
        );
        assert_eq!(
            civil("2023-03-17T06:10:00+02:00", None),
            (d("2023-03-17T04:10:00Z"), true)
        );
        assert_eq!(civil("17/03/2023", None), (d("2023-03-17T00:00:00"), false));
        assert_eq!(
            civil("17/03/2023 00:00:00", None),
            (d("2023-03-17T00:00:00"), true)
        );
        assert_eq!(
            civil("1/27/2014 12:00:00 AM", None),
            (d("2014-01-27T00:00:00"), true)
        );
        assert_eq!(
            civil("1/27/2014 1:30 PM", None),
            (d("2014-01-27T13:30:00"), true)
        );
        assert_eq!(
            civil("03/04/2023", Some(DateOrder::Dmy)),
            (d("2023-04-03T00:00:00"), false)
        );
        assert_eq!(
            civil("03/04/2023", Some(DateOrder::Mdy)),
            (d("2023-03-04T00:00:00"), false)
        );
        assert_eq!(
            civil("03.04.2023 06:10", None),
            (d("2023-04-03T06:10:00"), true)
        );
        assert_eq!(civil("1679011200", None), (d("2023-03-17T00:00:00Z"), true));
        assert_eq!(
            civil("1679011200000", None),
            (d("2023-03-17T00:00:00Z"), true)
        );
        assert_eq!(
            civil("17 March 2023", None),
            (d("2023-03-17T00:00:00"), false)
        );
        assert_eq!(
            civil("March 17, 2023", None),
            (d("2023-03-17T00:00:00"), false)
        );
        assert_eq!(
            civil("17-Mar-2023", None),
            (d("2023-03-17T00:00:00"), false)
        );
        assert_eq!(
            civil("17 Sept 2023 06:10", None),
            (d("2023-09-17T06:10:00"), true)
        );
        for bad in [
            "",
            "yesterday",
            "32/01/2023",
            "2023-02-30",
            "13/13/2023",
            "1/27/2014 25:00",
        ] {
            assert!(parse_when(bad, Some(DateOrder::Dmy)).is_err(), "{bad}");
        }
        let e = parse_when("03/04/2023", None).unwrap_err();
        assert!(
            e.contains("3 April 2023") && e.contains("4 March 2023"),
            "{e}"
        );
    }

    #[test]
    fn the_order_is_decided_by_the_files_values() {
        let decide = |v: &[&str]| DateOrder::decide("date", v.iter().copied());
        assert_eq!(
            decide(&["03/04/2023", "17/03/2023"]),
            Ok(Some(DateOrder::Dmy))
        );
        assert_eq!(
            decide(&["03/04/2023", "3/17/2023 12:00:00 AM"]),
            Ok(Some(DateOrder::Mdy))
        );
        assert_eq!(decide(&["2023-03-17", "05.06.2023"]), Ok(None));
        assert_eq!(decide(&["01/01/2023", "02/02/2023"]), Ok(None));
        let e = decide(&["03/04/2023", "05/06/2023"]).unwrap_err();
        assert!(
            e.contains("--date-order dmy") && e.contains("4 March 2023"),
            "{e}"
        );
        let e = decide(&["17/03/2023", "3/17/2023"]).unwrap_err();
        assert!(e.contains("one file, one order"), "{e}");
    }
}
