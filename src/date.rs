//! Calendar dates (proleptic Gregorian, years 1 to 9999) and durations, without dependencies.

use std::fmt;
use std::str::FromStr;

/// The English month names, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days in a 400-year Gregorian cycle.
const DAYS_PER_400_YEARS: i64 = 146_097;
/// Days in a century that does not end on a leap year.
const DAYS_PER_100_YEARS: i64 = 36_524;
/// Days in four years including a leap year.
const DAYS_PER_4_YEARS: i64 = 1_461;
/// The earliest year a [`Date`] can hold.
const MIN_YEAR: i32 = 1;
/// The latest year a [`Date`] can hold.
const MAX_YEAR: i32 = 9999;

/// Whether `year` is a Gregorian leap year (divisible by 4, except
/// centuries not divisible by 400: 1900 is not a leap year, 2000 is).
pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1 to 12) of `year`; 0 for a month outside 1 to 12.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The English name of `month` (1 to 12), e.g. `"January"`.
pub fn month_name(month: u32) -> Option<&'static str> {
    let i = usize::try_from(month.checked_sub(1)?).ok()?;
    MONTH_NAMES.get(i).copied()
}

/// Days from 0001-01-01 to the first day of `year` (for `year >= 1`).
const fn days_before_year(year: i64) -> i64 {
    let y = year - 1;
    365 * y + y / 4 - y / 100 + y / 400
}

/// Days from 0001-01-01 to 1970-01-01.
const EPOCH_OFFSET: i64 = days_before_year(1970);

/// Days from 0001-01-01 to the given date, for a valid date.
fn ordinal(year: i32, month: u32, day: u32) -> i64 {
    let before_month: i64 = (1..month).map(|m| i64::from(days_in_month(year, m))).sum();
    days_before_year(i64::from(year)) + before_month + i64::from(day) - 1
}

/// A calendar date: days since 1970-01-01 in the proleptic Gregorian
/// calendar, always between 0001-01-01 and 9999-12-31.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(i32);

/// Why a string is not a [`Date`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DateError {
    /// The string is not of the form `YYYY-MM-DD`.
    Malformed {
        /// The rejected text.
        input: String,
    },
    /// The string has the right form but names no day of the calendar
    /// (month 13, February 30, year 0000, day 00, …).
    NoSuchDate {
        /// The rejected text.
        input: String,
        /// The year as written.
        year: i32,
        /// The month as written.
        month: u32,
        /// The day as written.
        day: u32,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Malformed { input } => write!(
                f,
                "`{input}` is not a date: write dates as YYYY-MM-DD, e.g. 2026-01-31"
            ),
            DateError::NoSuchDate {
                input,
                year,
                month,
                day,
            } => {
                write!(f, "`{input}` is not a calendar date: ")?;
                match month_name(*month) {
                    _ if !(MIN_YEAR..=MAX_YEAR).contains(year) => {
                        write!(f, "years run from 0001 to 9999")
                    }
                    None => write!(f, "there is no month {month:02}"),
                    Some(_) if *day == 0 => write!(f, "days are numbered from 01"),
                    Some(name) => {
                        write!(f, "{name} {year} has {} days", days_in_month(*year, *month))
                    }
                }
            }
        }
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// The earliest representable date, 0001-01-01.
    pub const MIN: Date = Date(-719_162);
    /// The latest representable date, 9999-12-31.
    pub const MAX: Date = Date(2_932_896);

    /// The date with this year (1 to 9999), month (1 to 12) and day, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let days = ordinal(year, month, day) - EPOCH_OFFSET;
        i32::try_from(days).ok().map(Date)
    }

    /// Parses exactly `YYYY-MM-DD` (four, two and two ASCII digits).
    ///
    /// # Errors
    /// [`DateError::Malformed`] if the text is not of that form,
    /// [`DateError::NoSuchDate`] if it is but names no calendar day.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let malformed = || DateError::Malformed {
            input: s.to_string(),
        };
        let digit = |b: &u8| -> Result<u32, DateError> {
            if b.is_ascii_digit() {
                Ok(u32::from(*b - b'0'))
            } else {
                Err(malformed())
            }
        };
        let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s.as_bytes() else {
            return Err(malformed());
        };
        let mut year = 0u32;
        for b in [y0, y1, y2, y3] {
            year = year * 10 + digit(b)?;
        }
        let month = digit(m0)? * 10 + digit(m1)?;
        let day = digit(d0)? * 10 + digit(d1)?;
        // Four digits always fit an i32.
        let year = i32::try_from(year).map_err(|_| malformed())?;
        Date::from_ymd(year, month, day).ok_or_else(|| DateError::NoSuchDate {
            input: s.to_string(),
            year,
            month,
            day,
        })
    }

    /// The date `days` days after 1970-01-01, if within 0001-01-01 to 9999-12-31.
    pub fn from_days(days: i32) -> Option<Date> {
        (Date::MIN.0..=Date::MAX.0)
            .contains(&days)
            .then_some(Date(days))
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i32 {
        self.0
    }

    /// The (year, month, day) of this date.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Days since 0001-01-01; never negative for a valid date.
        let n = (i64::from(self.0) + EPOCH_OFFSET).max(0);
        let cycles400 = n / DAYS_PER_400_YEARS;
        let rest = n % DAYS_PER_400_YEARS;
        let centuries = (rest / DAYS_PER_100_YEARS).min(3);
        let rest = rest - centuries * DAYS_PER_100_YEARS;
        let quads = rest / DAYS_PER_4_YEARS;
        let rest = rest % DAYS_PER_4_YEARS;
        let years = (rest / 365).min(3);
        let mut day_of_year = rest - years * 365;
        let year = 400 * cycles400 + 100 * centuries + 4 * quads + years + 1;
        let year = i32::try_from(year).unwrap_or(MAX_YEAR);
        let mut month = 1;
        while month < 12 {
            let len = i64::from(days_in_month(year, month));
            if day_of_year < len {
                break;
            }
            day_of_year -= len;
            month += 1;
        }
        let day = u32::try_from(day_of_year + 1).unwrap_or(1);
        (year, month, day)
    }

    /// The year of this date.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The date `n` days later (earlier if negative), if representable.
    pub fn add_days(self, n: i64) -> Option<Date> {
        let days = i64::from(self.0).checked_add(n)?;
        Date::from_days(i32::try_from(days).ok()?)
    }

    /// The same day `n` months later (earlier if negative), moved back to
    /// the month's last day if the month is shorter: 2026-01-31 + 1 month
    /// is 2026-02-28.
    pub fn add_months(self, n: i64) -> Option<Date> {
        let (year, month, day) = self.ymd();
        let index = (i64::from(year) * 12 + i64::from(month) - 1).checked_add(n)?;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u32::try_from(index.rem_euclid(12) + 1).ok()?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        Date::from_ymd(year, month, day.min(days_in_month(year, month)))
    }

    /// The same day `n` years later (earlier if negative), clamped to the
    /// month's end: 2024-02-29 + 1 year is 2025-02-28.
    pub fn add_years(self, n: i64) -> Option<Date> {
        self.add_months(n.checked_mul(12)?)
    }

    /// The date `duration` later, clamping to the month's end for months and years.
    pub fn add_duration(self, duration: Duration) -> Option<Date> {
        let amount = i64::from(duration.amount);
        match duration.unit {
            DurationUnit::Days => self.add_days(amount),
            DurationUnit::Months => self.add_months(amount),
            DurationUnit::Years => self.add_years(amount),
        }
    }

    /// The day before, unless this is 0001-01-01.
    pub fn pred(self) -> Option<Date> {
        self.add_days(-1)
    }

    /// The day after, unless this is 9999-12-31.
    pub fn succ(self) -> Option<Date> {
        self.add_days(1)
    }

    /// The date as a contract writes it, e.g. "1 January 2026".
    pub fn long_form(self) -> String {
        let (year, month, day) = self.ymd();
        let name = month_name(month).unwrap_or("?");
        format!("{day} {name} {year}")
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`. Written digit by digit rather than through `write!`'s padded
    /// integers: the query's reasons, the policy and the prose write dates by the
    /// million, and the formatting machinery was a sixth of a query's instructions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        match (u32::try_from(year), month, day) {
            (Ok(y @ 0..=9999), 1..=12, 1..=31) => {
                let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
                let buf = [
                    digit(y / 1000),
                    digit(y / 100),
                    digit(y / 10),
                    digit(y),
                    b'-',
                    digit(month / 10),
                    digit(month),
                    b'-',
                    digit(day / 10),
                    digit(day),
                ];
                f.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
            }
            _ => write!(f, "{year:04}-{month:02}-{day:02}"),
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

/// The unit of a [`Duration`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum DurationUnit {
    /// Calendar days.
    Days,
    /// Calendar months (clamped to the month's end).
    Months,
    /// Calendar years (clamped to the month's end, for 29 February).
    Years,
}

/// A length of time such as "3 years" or "90 days".
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Duration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: DurationUnit,
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            DurationUnit::Days => "day",
            DurationUnit::Months => "month",
            DurationUnit::Years => "year",
        };
        let plural = if self.amount == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.amount)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn epoch_and_bounds() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::from_ymd(1970, 1, 2).unwrap().days(), 1);
        assert_eq!(Date::from_ymd(1969, 12, 31).unwrap().days(), -1);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(Date::MIN.ymd(), (1, 1, 1));
        assert_eq!(Date::MAX.ymd(), (9999, 12, 31));
        assert_eq!(Date::from_ymd(1, 1, 1), Some(Date::MIN));
        assert_eq!(Date::from_ymd(9999, 12, 31), Some(Date::MAX));
        assert_eq!(Date::from_days(Date::MIN.days() - 1), None);
        assert_eq!(Date::from_days(Date::MAX.days() + 1), None);
        assert_eq!(Date::MIN.pred(), None);
        assert_eq!(Date::MAX.succ(), None);
        assert_eq!(Date::MAX.add_days(i64::MAX), None);
        assert_eq!(Date::MIN.add_months(i64::MIN), None);
        assert_eq!(Date::MIN.add_years(i64::MAX), None);
        assert_eq!(Date::MAX.add_years(1), None);
        assert_eq!(Date::MIN.add_months(-1), None);
    }

    #[test]
    fn round_trip_every_day() {
        // Every day of the whole supported range, including 1900..2100.
        let mut expected = (1, 1, 1);
        for n in Date::MIN.days()..=Date::MAX.days() {
            let date = Date::from_days(n).unwrap();
            let (y, m, dd) = date.ymd();
            assert_eq!((y, m, dd), expected, "days {n}");
            assert_eq!(Date::from_ymd(y, m, dd), Some(date));
            expected = if dd < days_in_month(y, m) {
                (y, m, dd + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
        assert_eq!(expected, (10000, 1, 1));
    }

    #[test]
    fn display_parse_round_trip() {
        let mut date = Date::from_ymd(1900, 1, 1).unwrap();
        let end = Date::from_ymd(2100, 12, 31).unwrap();
        while date <= end {
            let text = date.to_string();
            assert_eq!(Date::parse(&text), Ok(date));
            assert_eq!(text.parse::<Date>(), Ok(date));
            date = date.succ().unwrap();
        }
        assert_eq!(Date::MIN.to_string(), "0001-01-01");
    }

    /// The digit-by-digit `Display` writes what padded integers write, from the first
    /// day to the last (every 7th day, and every day of 1999-2001).
    #[test]
    fn display_is_padded_year_month_day() {
        let padded = |d: Date| {
            let (y, m, day) = d.ymd();
            format!("{y:04}-{m:02}-{day:02}")
        };
        let mut date = Date::MIN;
        let dense = Date::from_ymd(1999, 1, 1).unwrap()..Date::from_ymd(2002, 1, 1).unwrap();
        let mut checked = 0;
        loop {
            assert_eq!(date.to_string(), padded(date));
            checked += 1;
            let step = if dense.contains(&date) { 1 } else { 7 };
            match date.add_days(step) {
                Some(next) if next <= Date::MAX => date = next,
                _ => break,
            }
        }
        assert!(checked > 500_000, "{checked}");
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        assert_eq!(
            Date::from_ymd(2026, 2, 28).unwrap().to_string(),
            "2026-02-28"
        );
        assert_eq!(format!("{:>12}|", Date::MIN), "0001-01-01|");
    }

    #[test]
    fn leap_years() {
        assert!(!is_leap_year(1900));
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(2026));
        assert!(!is_leap_year(2100));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2026, 2), 28);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2026, 4), 30);
        assert_eq!(days_in_month(2026, 12), 31);
        assert_eq!(days_in_month(2026, 13), 0);
        assert_eq!(days_in_month(2026, 0), 0);
    }

    #[test]
    fn from_ymd_rejects() {
        assert_eq!(Date::from_ymd(2026, 2, 30), None);
        assert_eq!(Date::from_ymd(2026, 2, 29), None);
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert_eq!(Date::from_ymd(2026, 13, 1), None);
        assert_eq!(Date::from_ymd(2026, 0, 1), None);
        assert_eq!(Date::from_ymd(2026, 1, 0), None);
        assert_eq!(Date::from_ymd(0, 1, 1), None);
        assert_eq!(Date::from_ymd(10000, 1, 1), None);
        assert_eq!(Date::from_ymd(-5, 1, 1), None);
    }

    #[test]
    fn clamping() {
        assert_eq!(d("2024-02-29").add_years(1), Some(d("2025-02-28")));
        assert_eq!(d("2024-02-29").add_years(4), Some(d("2028-02-29")));
        assert_eq!(d("2026-01-31").add_months(1), Some(d("2026-02-28")));
        assert_eq!(d("2024-01-31").add_months(1), Some(d("2024-02-29")));
        assert_eq!(d("2026-03-31").add_months(-1), Some(d("2026-02-28")));
        assert_eq!(d("2026-01-15").add_months(12), Some(d("2027-01-15")));
        assert_eq!(d("2026-01-15").add_months(-13), Some(d("2024-12-15")));
        assert_eq!(d("2026-12-31").add_days(1), Some(d("2027-01-01")));
        assert_eq!(d("2026-03-01").add_days(-1), Some(d("2026-02-28")));
        assert_eq!(d("2026-03-01").pred(), Some(d("2026-02-28")));
        assert_eq!(d("2026-02-28").succ(), Some(d("2026-03-01")));
    }

    #[test]
    fn durations() {
        let one_year = Duration {
            amount: 1,
            unit: DurationUnit::Years,
        };
        let three_years = Duration {
            amount: 3,
            unit: DurationUnit::Years,
        };
        let ninety_days = Duration {
            amount: 90,
            unit: DurationUnit::Days,
        };
        let six_months = Duration {
            amount: 6,
            unit: DurationUnit::Months,
        };
        assert_eq!(one_year.to_string(), "1 year");
        assert_eq!(three_years.to_string(), "3 years");
        assert_eq!(ninety_days.to_string(), "90 days");
        assert_eq!(six_months.to_string(), "6 months");
        let one_day = Duration {
            amount: 1,
            unit: DurationUnit::Days,
        };
        assert_eq!(one_day.to_string(), "1 day");
        let start = d("2024-02-29");
        assert_eq!(start.add_duration(one_year), Some(d("2025-02-28")));
        assert_eq!(start.add_duration(ninety_days), Some(d("2024-05-29")));
        assert_eq!(start.add_duration(six_months), Some(d("2024-08-29")));
        assert_eq!(Date::MAX.add_duration(one_day), None);
    }

    #[test]
    fn parse_errors() {
        let e = Date::parse("2026-02-30").unwrap_err();
        assert!(matches!(e, DateError::NoSuchDate { .. }));
        assert_eq!(
            e.to_string(),
            "`2026-02-30` is not a calendar date: February 2026 has 28 days"
        );
        let e = Date::parse("2026-13-01").unwrap_err();
        assert!(matches!(e, DateError::NoSuchDate { month: 13, .. }));
        assert_eq!(
            e.to_string(),
            "`2026-13-01` is not a calendar date: there is no month 13"
        );
        let e = Date::parse("0000-01-01").unwrap_err();
        assert!(matches!(e, DateError::NoSuchDate { .. }));
        assert!(e.to_string().contains("0001 to 9999"));
        let e = Date::parse("2026-01-00").unwrap_err();
        assert!(e.to_string().contains("numbered from 01"));
        let e = Date::parse("2026-00-10").unwrap_err();
        assert!(e.to_string().contains("no month 00"));
        for bad in [
            "2026-1-01",
            "abcd-ef-gh",
            "",
            "2026-01-01 ",
            " 2026-01-01",
            "2026/01/01",
            "20260101",
            "+026-01-01",
            "2026-01-1a",
            "２０２６-01-01",
        ] {
            let e = Date::parse(bad).unwrap_err();
            assert_eq!(
                e,
                DateError::Malformed {
                    input: bad.to_string()
                }
            );
            assert!(e.to_string().starts_with(&format!("`{bad}` is not a date")));
        }
    }

    #[test]
    fn long_form_and_display() {
        assert_eq!(d("2026-01-01").long_form(), "1 January 2026");
        assert_eq!(d("2026-12-25").long_form(), "25 December 2026");
        assert_eq!(d("0900-07-04").long_form(), "4 July 900");
        assert_eq!(d("2026-01-01").to_string(), "2026-01-01");
        assert_eq!(d("0900-07-04").to_string(), "0900-07-04");
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
        assert_eq!(month_name(2), Some("February"));
        assert_eq!(d("2026-06-15").year(), 2026);
    }
}
