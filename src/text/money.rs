//! Money, rates and the consideration of a grant in words.

use super::*;
use crate::model::{ConsiderationModel, LimitModel, MoneyValue};
use crate::vocab::LimitKind;
use rust_decimal::Decimal;

/// Groups the integer digits of a decimal string by thousands: "1000000.50" →
/// "1,000,000.50". Anything after the decimal point is kept as it is.
pub fn group_thousands(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", number),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount of money, code first, grouped, decimals exactly as written:
/// "USD 1,000,000", "USD 0.50".
pub fn money(m: &MoneyValue) -> String {
    format!("{} {}", m.currency, group_thousands(&m.amount.to_string()))
}

/// A percentage: "2.5%", "3%".
pub fn percent(rate: Decimal) -> String {
    format!("{}%", group_thousands(&rate.normalize().to_string()))
}

pub(crate) fn limit_phrase(l: &LimitModel) -> String {
    let per = if l.calendar {
        " per calendar year"
    } else if l.per_year {
        " per year"
    } else {
        " in aggregate over the term"
    };
    match l.kind {
        LimitKind::Cap => format!("capped at {}{per}", money(&l.amount)),
        LimitKind::Floor => format!("subject to a minimum of {}{per}", money(&l.amount)),
    }
}

pub(crate) fn with_limits(base: String, limits: &[LimitModel]) -> String {
    if limits.is_empty() {
        return base;
    }
    let parts: Vec<String> = limits.iter().map(limit_phrase).collect();
    format!("{base}, {}", join_list(&parts))
}

/// One consideration item in words, as the object of "shall pay": "a running royalty
/// of 2.5% of net sales, capped at USD 1,000,000 per year".
pub fn consideration_phrase(c: &ConsiderationModel) -> String {
    phrase(c, false)
}

/// Every consideration item of one grant in words. A royalty `until expiry` says the
/// license becomes fully paid-up in a country only when it is the grant's only running
/// royalty (no know-how step `from expiry` or other line can still be payable there).
pub fn consideration_phrases<'a>(
    list: impl IntoIterator<Item = &'a ConsiderationModel> + Clone,
) -> Vec<String> {
    let running = list
        .clone()
        .into_iter()
        .filter(|c| c.running_period().is_some())
        .count();
    list.into_iter().map(|c| phrase(c, running == 1)).collect()
}

/// One item in words; `only_royalty`: it is its grant's only running royalty.
fn phrase(c: &ConsiderationModel, only_royalty: bool) -> String {
    match c {
        ConsiderationModel::RoyaltyFree => "no royalty".to_string(),
        ConsiderationModel::Percent {
            rate,
            limits,
            base,
            period,
        } => with_period(
            with_limits(
                format!(
                    "a running royalty of {} of {}",
                    percent(*rate),
                    base.keyword()
                ),
                limits,
            ),
            period,
            only_royalty,
        ),
        ConsiderationModel::PerUnit {
            amount,
            limits,
            period,
        } => with_period(
            with_limits(
                format!("a running royalty of {} per licensed unit", money(amount)),
                limits,
            ),
            period,
            only_royalty,
        ),
        ConsiderationModel::Tiered {
            per_year,
            tiers,
            limits,
            period,
        } => {
            let base = if *per_year {
                "net sales in each year"
            } else {
                "cumulative net sales over the term"
            };
            let bands: Vec<String> = tiers
                .iter()
                .map(|t| {
                    let zero = t.from.amount.is_zero();
                    let range = match (&t.to, zero) {
                        (Some(to), true) => format!("up to {}", money(to)),
                        (Some(to), false) => {
                            format!("from {} up to {}", money(&t.from), money(to))
                        }
                        (None, true) => "on all of them".to_string(),
                        (None, false) => format!("above {}", money(&t.from)),
                    };
                    format!("{} on the portion {range}", percent(t.rate))
                })
                .collect();
            with_period(
                with_limits(
                    format!(
                        "a tiered running royalty on {base} of {}",
                        join_list(&bands)
                    ),
                    limits,
                ),
                period,
                only_royalty,
            )
        }
        ConsiderationModel::LumpSum { amount, due } => match due {
            Some(d) => format!(
                "a lump sum of {}, payable on {}",
                money(amount),
                long_date(*d)
            ),
            None => format!("a lump sum of {}", money(amount)),
        },
        ConsiderationModel::Milestone { amount, event } => format!(
            "a milestone payment of {} on the event \u{201c}{event}\u{201d}",
            money(amount)
        ),
    }
}

/// A consideration list for a table cell.
pub fn consideration_cell(list: &[ConsiderationModel]) -> String {
    let paid: Vec<&ConsiderationModel> = list
        .iter()
        .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree))
        .collect();
    if paid.is_empty() {
        return "royalty-free".to_string();
    }
    let parts: Vec<String> = paid
        .iter()
        .map(|c| match c {
            ConsiderationModel::Percent {
                rate, limits, base, ..
            } => limits_cell(format!("{} of {}", percent(*rate), base.keyword()), limits),
            ConsiderationModel::PerUnit { amount, limits, .. } => {
                limits_cell(format!("{} per unit", money(amount)), limits)
            }
            ConsiderationModel::Tiered { tiers, limits, .. } => {
                let rates: Vec<String> = tiers.iter().map(|t| percent(t.rate)).collect();
                limits_cell(format!("tiered {} of net sales", rates.join(" / ")), limits)
            }
            ConsiderationModel::LumpSum { amount, .. } => format!("lump sum {}", money(amount)),
            ConsiderationModel::Milestone { amount, .. } => {
                format!("milestone {}", money(amount))
            }
            ConsiderationModel::RoyaltyFree => String::new(),
        })
        .collect();
    parts.join("; ")
}

pub(crate) fn limits_cell(base: String, limits: &[LimitModel]) -> String {
    let mut s = base;
    for l in limits {
        let kind = l.kind.keyword();
        let per = match (l.per_year, l.calendar) {
            (_, true) => "/calendar yr",
            (true, false) => "/yr",
            (false, false) => "",
        };
        s.push_str(&format!(", {kind} {}{per}", money(&l.amount)));
    }
    s
}

pub(crate) fn is_royalty_free(list: &[ConsiderationModel]) -> bool {
    list.iter()
        .all(|c| matches!(c, ConsiderationModel::RoyaltyFree))
}

/// A running royalty's period in words (issue 15, royalty terms): when it starts, and
/// when it ends (and, for the grant's only royalty `until expiry`, that the license
/// becomes fully paid-up there).
pub(crate) fn with_period(
    base: String,
    p: &crate::model::RoyaltyPeriod,
    only_royalty: bool,
) -> String {
    let mut out = with_dates(base, p, only_royalty);
    // terms (issue 15): payment timing and reports.
    if let Some(pay) = p.payable {
        out.push_str(&format!(", paid for each {}", pay.every.period_noun()));
        if let Some(w) = pay.within {
            out.push_str(&format!(" within {} after its end", duration(w)));
        }
    }
    if let Some(r) = p.report {
        out.push_str(&format!(
            ", with a written royalty report for each {}",
            r.period_noun()
        ));
    }
    out
}

/// A running royalty's dates in words: when it starts, and when it ends.
fn with_dates(base: String, p: &crate::model::RoyaltyPeriod, only_royalty: bool) -> String {
    let from = match (p.from, p.from_expiry) {
        (Some(f), _) => Some(format!(" from {}", long_date(f))),
        // terms (issue 15, round 5): the know-how step of a hybrid license.
        (None, true) => Some(" in each country from the day the last Licensed Patent in force there expires (and where none is in force)".to_string()),
        (None, false) => None,
    };
    let until = match (p.until, p.until_expiry) {
        (Some(u), _) => Some(format!(
            " up to and including {}, after which no royalty is due under it",
            long_date(last_day(u))
        )),
        (None, true) if only_royalty => Some(" in each country until the last Licensed Patent in force there expires, after which the license is fully paid-up in that country".to_string()),
        (None, true) => Some(" in each country until the last Licensed Patent in force there expires, after which no royalty is due under it in that country".to_string()),
        (None, false) => None,
    };
    match (from, until) {
        (None, None) => base,
        (f, u) => format!(
            "{base}, payable{}{}",
            f.unwrap_or_default(),
            u.map(|u| if p.from.is_some() || p.from_expiry {
                format!(" and{u}")
            } else {
                u
            })
            .unwrap_or_default()
        ),
    }
}

/// clauses (issue 15, round 4): an agreement-level payment as one sentence, with the
/// payer's and payee's names as the document writes them: "Intel shall pay to AMD USD
/// 1,250,000,000 on 11 December 2009." or, in instalments, "Globex shall pay to Acme
/// USD 5,000,000 in three instalments: USD 2,000,000 on 30 June 2026, …". A label
/// leads ("As the Settlement Payment, …"); the notes follow.
pub fn payment_sentence(
    payer: &str,
    payee: &str,
    p: &crate::model::AgreementPaymentModel,
) -> String {
    let lead = match &p.label {
        Some(l) => format!("As the {l}, {payer}"),
        None => payer.to_string(),
    };
    let each: Vec<String> = p
        .instalments
        .iter()
        .map(|i| format!("{} on {}", money(&i.amount), long_date(i.due)))
        .collect();
    let what = match each.as_slice() {
        [] => "the amount the Parties agree".to_string(),
        [one] => one.clone(),
        many => {
            let totals: Vec<String> = p.totals().iter().map(money).collect();
            format!(
                "{} in {} instalments: {}",
                join_list(&totals),
                count_word(many.len()),
                join_list(many)
            )
        }
    };
    let mut out = format!("{lead} shall pay to {payee} {what}.");
    for n in &p.notes {
        out.push(' ');
        out.push_str(n);
    }
    out
}

/// A small count in words ("three"), larger ones in digits.
fn count_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// A commitment as a sentence (terms: issue 15, round 5): "Voltaic shall purchase at
/// least 10,000 units of licensed sensors in each calendar year from 1 January 2027."
pub fn commitment_sentence(party: &str, c: &crate::model::CommitmentModel) -> String {
    use crate::model::CommitmentPeriod;
    let per = match c.period {
        CommitmentPeriod::Term => "in total",
        CommitmentPeriod::Year => "in each year",
        CommitmentPeriod::CalendarYear => "in each calendar year",
    };
    format!(
        "{party} shall {} {per}{}.",
        commitment_what(c),
        commitment_when(c)
    )
}

/// What a commitment binds its party to: "purchase at least 10,000 units of licensed
/// sensors", "spend at least EUR 2,000,000 on development".
fn commitment_what(c: &crate::model::CommitmentModel) -> String {
    use crate::model::CommitmentAmount;
    match &c.amount {
        CommitmentAmount::Units(n) => format!(
            "purchase at least {} {} of {}",
            group_thousands(&n.normalize().to_string()),
            if *n == Decimal::ONE { "unit" } else { "units" },
            c.subject
        ),
        CommitmentAmount::Spend(m) => format!("spend at least {} on {}", money(m), c.subject),
    }
}

/// The dates of a commitment: " from 1 January 2027", " before 1 January 2030", or
/// the license's term.
fn commitment_when(c: &crate::model::CommitmentModel) -> String {
    use crate::model::CommitmentPeriod;
    let mut when = String::new();
    if let Some(f) = c.from {
        when.push_str(&format!(" from {}", long_date(f)));
    }
    if let Some(u) = c.until {
        when.push_str(&format!(" before {}", long_date(u)));
    }
    if c.from.is_none() && c.until.is_none() {
        when.push_str(match c.period {
            CommitmentPeriod::Term => " over the term of the license",
            _ => " of the term of the license",
        });
    }
    when
}

/// What a missed commitment does to an exclusive license (terms: issue 15, round 6),
/// given the first day it can convert it: "If Voltaic fails to purchase at least
/// 10,000 units of licensed sensors in any calendar year from 1 January 2027, the
/// license granted in this Clause shall become non-exclusive from the day after the
/// end of that calendar year (at the earliest, 1 January 2028), and Helion may
/// thereafter …".
pub fn commitment_conversion_sentence(
    party: &str,
    c: &crate::model::CommitmentModel,
    first: crate::date::Date,
    licensor: &str,
) -> String {
    use crate::model::CommitmentPeriod;
    let (per, from) = match c.period {
        CommitmentPeriod::Term => ("in total", long_date(first)),
        CommitmentPeriod::Year => (
            "in any year",
            format!(
                "the day after the end of that year (at the earliest, {})",
                long_date(first)
            ),
        ),
        CommitmentPeriod::CalendarYear => (
            "in any calendar year",
            format!(
                "the day after the end of that calendar year (at the earliest, {})",
                long_date(first)
            ),
        ),
    };
    format!(
        "If {party} fails to {} {per}{}, the license granted in this Clause shall become non-exclusive from {from}, and {licensor} may thereafter practise, and grant licenses to others, within its scope; the license otherwise continues on the same terms.",
        commitment_what(c),
        commitment_when(c)
    )
}
