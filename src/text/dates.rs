//! Dates, periods and durations in words.

use crate::date::{Date, Duration};

/// A date as a contract writes it: "1 January 2026".
pub fn long_date(d: Date) -> String {
    d.long_form()
}

/// A short date for tables: "1 Jan 2026".
pub fn short_date(d: Date) -> String {
    let (y, m, day) = d.ymd();
    let name = crate::date::month_name(m).unwrap_or("?");
    format!("{day}\u{a0}{}\u{a0}{y}", name.get(..3).unwrap_or(name))
}

/// The last day included in a half-open period that ends (exclusively) on `end`.
pub fn last_day(end: Date) -> Date {
    end.pred().unwrap_or(end)
}

/// A half-open period in words: "commencing on 1 January 2026 and ending on
/// 31 December 2030" (the end minus one day), or "commencing on 1 January 2026 and
/// continuing in perpetuity" when it has no end.
pub fn period_phrase(start: Date, end: Option<Date>) -> String {
    match end {
        Some(e) => format!(
            "commencing on {} and ending on {}",
            long_date(start),
            long_date(last_day(e))
        ),
        None => format!(
            "commencing on {} and continuing in perpetuity",
            long_date(start)
        ),
    }
}

/// A duration in words: "180 days", "1 year".
pub fn duration(d: Duration) -> String {
    d.to_string()
}

/// A duration as a possessive, for notices: "90 days'", "1 year's".
pub fn duration_possessive(d: Duration) -> String {
    let s = duration(d);
    if d.amount == 1 {
        format!("{s}'s")
    } else {
        format!("{s}'")
    }
}
