//! Value checks E0201–E0207: calendar dates, terms, money, percentages, royalty tiers,
//! currencies and patent jurisdictions. Each function turns a literal into its value,
//! reporting what is wrong with it.

use crate::date::{Date, DateError, Duration, DurationUnit};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    ConsiderationModel, LimitModel, MoneyValue, PaymentModel, RoyaltyPeriod, TierModel,
};
use crate::source::Span;
use crate::syntax::ast::{self, Consideration, DateLit, DurationLit, Money, PercentLit};
use crate::vocab::LimitKind;
use rust_decimal::Decimal;

/// A date literal as a calendar date (E0201).
pub fn date(d: &DateLit, diags: &mut Vec<Diagnostic>) -> Option<Date> {
    match Date::parse(&d.text) {
        Ok(v) => Some(v),
        Err(err) => {
            let help = match &err {
                DateError::Malformed { .. } => {
                    "write dates as YYYY-MM-DD, e.g. `2026-01-01`".to_string()
                }
                DateError::NoSuchDate { year, month, .. } => {
                    let last = crate::date::days_in_month(*year, *month);
                    if last > 0 {
                        format!("the last day of that month is {year:04}-{month:02}-{last:02}")
                    } else {
                        "months run from 01 to 12".to_string()
                    }
                }
            };
            diags.push(
                Diagnostic::new(
                    Code::E0201,
                    format!("`{}` is not a calendar date", d.text),
                    d.span,
                )
                .with_label(date_reason(&err))
                .with_help(help),
            );
            None
        }
    }
}

/// pools (issue 15): a party's `joins` / `leaves` dates; E0217 when it leaves on or
/// before the day it joins (the `leaves` date is then dropped).
pub fn membership(p: &ast::Party, diags: &mut Vec<Diagnostic>) -> crate::model::Membership {
    let joins = p.joins.as_ref().and_then(|d| date(d, diags));
    let mut leaves = p.leaves.as_ref().and_then(|d| date(d, diags));
    if let (Some(j), Some(l), Some(jl), Some(ll)) = (joins, leaves, &p.joins, &p.leaves) {
        if l <= j {
            diags.push(
                Diagnostic::new(
                    Code::E0217,
                    format!(
                        "`{}` leaves the pool on or before the day it joins",
                        p.name.name
                    ),
                    ll.span,
                )
                .with_label(format!("leaves on {l}"))
                .with_secondary(jl.span, format!("joins on {j}"))
                .with_help(
                    "`leaves` is the first day it is no longer a member: give a date after `joins`",
                ),
            );
            leaves = None;
        }
    }
    crate::model::Membership {
        joins,
        leaves,
        joins_span: p.joins.as_ref().map(|d| d.span),
        leaves_span: p.leaves.as_ref().map(|d| d.span),
    }
}

/// The reason a date is wrong, without repeating that it is not a date.
fn date_reason(err: &DateError) -> String {
    match err {
        DateError::Malformed { .. } => "not in the form YYYY-MM-DD".to_string(),
        DateError::NoSuchDate { .. } => {
            let text = err.to_string();
            match text.split_once(": ") {
                Some((_, reason)) => reason.to_string(),
                None => "no such day".to_string(),
            }
        }
    }
}

/// The longest duration accepted, in any unit: far past any real term, and small
/// enough that date arithmetic on it stays exact.
pub const MAX_DURATION: u32 = 100_000;

/// A duration literal (`5 years`); durations are whole, positive numbers of at most
/// [`MAX_DURATION`] (E0008, E0202, E0204).
pub fn duration(d: &DurationLit, diags: &mut Vec<Diagnostic>) -> Option<Duration> {
    let value = d.amount.value?;
    if value.fract() == Decimal::ZERO && value > Decimal::from(MAX_DURATION) {
        diags.push(
            Diagnostic::new(
                Code::E0204,
                format!(
                    "`{} {}` is longer than any term xlic accepts",
                    d.amount.text,
                    unit_word(d.unit)
                ),
                d.amount.span,
            )
            .with_label(format!("at most {MAX_DURATION} days, months or years"))
            .with_help("give the end date instead, or a term in a larger unit"),
        );
        return None;
    }
    if value.fract() != Decimal::ZERO {
        diags.push(
            Diagnostic::new(
                Code::E0008,
                format!(
                    "`{}` is not a whole number of {}",
                    d.amount.text,
                    unit_word(d.unit)
                ),
                d.amount.span,
            )
            .with_label("durations are whole numbers")
            .with_help("use a smaller unit, e.g. `18 months` instead of `1.5 years`"),
        );
        return None;
    }
    let amount = u32::try_from(value.trunc().mantissa()).ok()?;
    if amount == 0 {
        diags.push(
            Diagnostic::new(Code::E0202, "a duration of zero is an empty term", d.span)
                .with_label("this lasts no time at all")
                .with_help("give a positive duration"),
        );
        return None;
    }
    Some(Duration {
        amount,
        unit: d.unit,
    })
}

fn unit_word(u: DurationUnit) -> &'static str {
    match u {
        DurationUnit::Days => "days",
        DurationUnit::Months => "months",
        DurationUnit::Years => "years",
    }
}

/// `start + duration`, reporting a result past year 9999 as E0201.
pub fn add(start: Date, d: Duration, span: Span, diags: &mut Vec<Diagnostic>) -> Option<Date> {
    let r = start.add_duration(d);
    if r.is_none() {
        diags.push(
            Diagnostic::new(
                Code::E0201,
                format!("{start} plus {d} is past the last supported date"),
                span,
            )
            .with_label("out of range")
            .with_help("dates run from 0001-01-01 to 9999-12-31"),
        );
    }
    r
}

/// Checks that `[start, end)` is not empty or inverted (E0202).
pub fn interval(
    start: Date,
    end: Date,
    span: Span,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if end > start {
        return true;
    }
    let (message, label) = if end == start {
        (
            format!("the {what} is empty: it starts and ends on {start}"),
            "empty term",
        )
    } else {
        (
            format!("the {what} ends on {end}, before it starts on {start}"),
            "inverted term",
        )
    };
    diags.push(
        Diagnostic::new(Code::E0202, message, span)
            .with_label(label)
            .with_help("terms are half-open: `A until B` runs from A up to, not including, B; make B later than A"),
    );
    false
}

/// A percentage in (0, 100] (E0204).
pub fn percent(p: &PercentLit, diags: &mut Vec<Diagnostic>) -> Option<Decimal> {
    let v = p.value?;
    if v <= Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        diags.push(
            Diagnostic::new(
                Code::E0204,
                format!("`{}` is not a percentage between 0% and 100%", p.text),
                p.span,
            )
            .with_label("must be more than 0% and at most 100%")
            .with_help(if v <= Decimal::ZERO {
                "for no royalty, write `royalty-free`"
            } else {
                "a royalty rate cannot exceed 100% of the base"
            }),
        );
        return None;
    }
    Some(v)
}

/// An amount of money in a known ISO 4217 currency, more than zero (E0204, E0206).
pub fn money(m: &Money, diags: &mut Vec<Diagnostic>) -> Option<MoneyValue> {
    money_from(m, false, diags)
}

/// Like [`money`]; `zero_ok` admits zero (the lower bound of the first royalty band).
fn money_from(m: &Money, zero_ok: bool, diags: &mut Vec<Diagnostic>) -> Option<MoneyValue> {
    let code = m.currency.name.as_str();
    let known = crate::iso::currency(code).is_some();
    if !known {
        let upper = code.to_ascii_uppercase();
        let suggestion = if crate::iso::currency(&upper).is_some() {
            Some(upper)
        } else {
            crate::iso::closest(code, crate::iso::CURRENCIES.iter().map(|c| c.code))
                .map(str::to_string)
        };
        let mut d = Diagnostic::new(
            Code::E0206,
            format!("unknown currency `{code}`"),
            m.currency.span,
        )
        .with_label("not an ISO 4217 currency code");
        d = match suggestion {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help("write a three-letter ISO 4217 code such as `USD`, `EUR` or `JPY`"),
        };
        diags.push(d);
    }
    let amount = m.amount.value?;
    if amount < Decimal::ZERO || (amount == Decimal::ZERO && !zero_ok) {
        diags.push(
            Diagnostic::new(
                Code::E0204,
                format!("an amount of `{} {}` is not a payment", m.amount.text, code),
                m.span,
            )
            .with_label("money must be more than zero")
            .with_help("remove the clause, or write `royalty-free` when nothing is owed"),
        );
        return None;
    }
    if !known {
        return None;
    }
    Some(MoneyValue {
        amount,
        currency: code.to_string(),
    })
}

fn limits(list: &[ast::Limit], diags: &mut Vec<Diagnostic>) -> Vec<LimitModel> {
    let mut out = Vec::new();
    for l in list {
        if let Some(amount) = money(&l.amount, diags) {
            out.push(LimitModel {
                kind: l.kind,
                amount,
                per_year: l.per_year,
                calendar: l.calendar,
            });
        }
    }
    // terms (issue 15): W0432, the yearly limits of one royalty counted over different
    // years (a year of the license and a calendar year).
    let yearly: Vec<&ast::Limit> = list.iter().filter(|l| l.per_year).collect();
    if let (Some(contract), Some(calendar)) = (
        yearly.iter().find(|l| !l.calendar),
        yearly.iter().find(|l| l.calendar),
    ) {
        diags.push(
            Diagnostic::new(
                Code::W0432,
                format!(
                    "this royalty's `{}` counts years of the license but its `{}` counts calendar years",
                    contract.kind.keyword(),
                    calendar.kind.keyword()
                ),
                calendar.span,
            )
            .with_label("per calendar year")
            .with_secondary(contract.span, "per year of the license")
            .with_help("count every cap and floor of one royalty over the same years: write `per calendar year` on each, or `per year` on each"),
        );
    }
    // Cap below floor (same currency and period).
    for cap in list.iter().filter(|l| l.kind == LimitKind::Cap) {
        for floor in list.iter().filter(|l| l.kind == LimitKind::Floor) {
            let (Some(c), Some(f)) = (cap.amount.amount.value, floor.amount.amount.value) else {
                continue;
            };
            if cap.amount.currency.name == floor.amount.currency.name
                && cap.per_year == floor.per_year
                && cap.calendar == floor.calendar
                && c < f
            {
                diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        format!("the cap of {} {} is below the floor of {} {}", cap.amount.amount.text, cap.amount.currency.name, floor.amount.amount.text, floor.amount.currency.name),
                        cap.span,
                    )
                    .with_label("cap")
                    .with_secondary(floor.span, "floor")
                    .with_help("the most owed cannot be less than the least owed: raise the cap or lower the floor"),
                );
            }
        }
    }
    out
}

fn tiers(list: &[ast::Tier], span: Span, diags: &mut Vec<Diagnostic>) -> Vec<TierModel> {
    let mut out = Vec::new();
    for t in list {
        let from = money_from(&t.from, true, diags);
        let to = t.to.as_ref().and_then(|m| money(m, diags));
        let rate = percent(&t.rate, diags);
        if let (Some(from), Some(rate)) = (from, rate) {
            out.push(TierModel { from, to, rate });
        }
    }
    if list.is_empty() {
        diags.push(
            Diagnostic::new(Code::E0205, "a tiered royalty with no tiers", span)
                .with_label("no bands")
                .with_help("add bands such as `from 0 USD to 1_000_000 USD at 3%`"),
        );
    }
    let mut prev: Option<&ast::Tier> = None;
    for t in list {
        let from = t.from.amount.value;
        if let (Some(f), Some(Some(to))) = (from, t.to.as_ref().map(|m| m.amount.value)) {
            if to <= f {
                diags.push(
                    Diagnostic::new(
                        Code::E0205,
                        format!(
                            "the band from {} to {} is empty or inverted",
                            t.from.amount.text,
                            t.to.as_ref().map(|m| m.amount.text.as_str()).unwrap_or("")
                        ),
                        t.span,
                    )
                    .with_label("upper bound not above lower bound")
                    .with_help("each band runs from its lower bound up to a higher upper bound"),
                );
            }
        }
        if let Some(p) = prev {
            match (&p.to, from) {
                (None, _) => diags.push(
                    Diagnostic::new(
                        Code::E0205,
                        "a royalty band follows an open-ended band",
                        t.span,
                    )
                    .with_label("this band can never apply")
                    .with_secondary(p.span, "this band has no upper bound")
                    .with_help(
                        "only the last band may omit `to`; give the earlier band an upper bound",
                    ),
                ),
                (Some(pto), Some(f)) => {
                    if let Some(pt) = pto.amount.value {
                        if f > pt {
                            diags.push(
                                Diagnostic::new(
                                    Code::E0205,
                                    format!(
                                        "royalty bands leave a gap from {} to {}",
                                        pto.amount.text, t.from.amount.text
                                    ),
                                    t.span,
                                )
                                .with_label("this band starts too high")
                                .with_secondary(p.span, "the previous band ends here")
                                .with_help(format!(
                                    "start this band at {} {}",
                                    pto.amount.text, pto.currency.name
                                )),
                            );
                        } else if f < pt {
                            diags.push(
                                Diagnostic::new(
                                    Code::E0205,
                                    format!(
                                        "royalty bands overlap from {} to {}",
                                        t.from.amount.text, pto.amount.text
                                    ),
                                    t.span,
                                )
                                .with_label("this band starts inside the previous one")
                                .with_secondary(p.span, "previous band")
                                .with_help(format!(
                                    "start this band at {} {}, and list bands in ascending order",
                                    pto.amount.text, pto.currency.name
                                )),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        prev = Some(t);
    }
    out
}

/// Every money amount written in a consideration, with its span.
fn currencies(c: &Consideration) -> Vec<&Money> {
    let mut v: Vec<&Money> = c.limits().iter().map(|l| &l.amount).collect();
    match c {
        Consideration::PerUnit { amount, .. }
        | Consideration::LumpSum { amount, .. }
        | Consideration::Milestone { amount, .. } => v.push(amount),
        Consideration::Tiered { tiers, .. } => {
            for t in tiers {
                v.push(&t.from);
                if let Some(to) = &t.to {
                    v.push(to);
                }
            }
        }
        _ => {}
    }
    v
}

/// A clause's whole consideration: each item's values, then the rules across items
/// (one currency; `royalty-free` alone).
/// `start` is the clause's start: `for N years` after a royalty counts from it when
/// the royalty has no `from` of its own.
pub fn consideration(
    list: &[Consideration],
    start: Option<Date>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ConsiderationModel> {
    // Exactly sized: most grants have one consideration, and a vector grown by pushing
    // starts with room for four (issue 19: 2.9 MB of the peak at 10k grants).
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        let item = match c {
            Consideration::RoyaltyFree(_) => Some(ConsiderationModel::RoyaltyFree),
            Consideration::Percent {
                rate,
                limits: l,
                base,
                period: p,
                span,
            } => {
                let lim = limits(l, diags);
                let period = royalty_period(p, start, *span, diags);
                percent(rate, diags).map(|rate| ConsiderationModel::Percent {
                    rate,
                    limits: lim,
                    base: *base,
                    period,
                })
            }
            Consideration::PerUnit {
                amount,
                limits: l,
                period: p,
                span,
            } => {
                let lim = limits(l, diags);
                let period = royalty_period(p, start, *span, diags);
                money(amount, diags).map(|amount| ConsiderationModel::PerUnit {
                    amount,
                    limits: lim,
                    period,
                })
            }
            Consideration::Tiered {
                per_year,
                tiers: t,
                limits: l,
                period: p,
                span,
            } => {
                let lim = limits(l, diags);
                let period = royalty_period(p, start, *span, diags);
                Some(ConsiderationModel::Tiered {
                    per_year: *per_year,
                    tiers: tiers(t, *span, diags),
                    limits: lim,
                    period,
                })
            }
            Consideration::LumpSum { amount, due, .. } => {
                let due = due.as_ref().and_then(|d| date(d, diags));
                money(amount, diags).map(|amount| ConsiderationModel::LumpSum { amount, due })
            }
            Consideration::Milestone { amount, event, .. } => {
                money(amount, diags).map(|amount| ConsiderationModel::Milestone {
                    amount,
                    event: event.value.clone(),
                })
            }
        };
        out.extend(item);
    }
    // One currency across the whole consideration.
    let all: Vec<&Money> = list.iter().flat_map(currencies).collect();
    if let Some(first) = all.first() {
        if let Some(other) = all.iter().find(|m| m.currency.name != first.currency.name) {
            diags.push(
                Diagnostic::new(
                    Code::E0205,
                    format!(
                        "consideration mixes currencies `{}` and `{}`",
                        first.currency.name, other.currency.name
                    ),
                    other.currency.span,
                )
                .with_label(format!("`{}` here", other.currency.name))
                .with_secondary(
                    first.currency.span,
                    format!("`{}` here", first.currency.name),
                )
                .with_help(format!(
                    "state every amount of this clause in one currency, e.g. `{}`",
                    first.currency.name
                )),
            );
        }
    }
    let free = list
        .iter()
        .find(|c| matches!(c, Consideration::RoyaltyFree(_)));
    let paid = list
        .iter()
        .find(|c| !matches!(c, Consideration::RoyaltyFree(_)));
    if let (Some(f), Some(p)) = (free, paid) {
        diags.push(
            Diagnostic::new(
                Code::E0011,
                "a clause cannot be both royalty-free and paid",
                f.span(),
            )
            .with_label("royalty-free here")
            .with_secondary(p.span(), "payment here")
            .with_help("remove `royalty-free`, or remove the payment"),
        );
    }
    out
}

// ---------------------------------------------------------------- royalty terms (issue 15)

/// When a running royalty is payable: `from`, and `until` (or `for N years` from the
/// royalty's start); E0216 when it ends on or before it starts.
fn royalty_period(
    p: &ast::RoyaltyPeriodLit,
    start: Option<Date>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> RoyaltyPeriod {
    let from = p.from.as_ref().and_then(|d| date(d, diags));
    let mut until = p.until.as_ref().and_then(|d| date(d, diags));
    if let Some(f) = p.for_.as_ref().filter(|_| p.from_expiry.is_none()) {
        if let (Some(d), Some(s)) = (duration(f, diags), from.or(start)) {
            until = add(s, d, f.span, diags);
        }
    }
    // terms (issue 15, round 5): a step `from expiry` starts on a day of each
    // country's own, so it cannot also end at expiry or last a fixed time.
    if let Some(s) = p.from_expiry {
        let (end, what) = match (p.until_expiry, &p.for_) {
            (Some(e), _) => (e, "end `until expiry`: it would never be payable"),
            (None, Some(f)) => (
                f.span,
                "run `for` a fixed time: it has no one start to count from",
            ),
            (None, None) => (s, ""),
        };
        if !what.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::E0216,
                    format!("a royalty payable `from expiry` cannot also {what}"),
                    end,
                )
                .with_label("the royalty's end")
                .with_secondary(s, "starts at expiry")
                .with_help("a royalty from expiry runs on with the license: end it `until DATE`, or leave the end out"),
            );
        }
    }
    let begins = if p.from_expiry.is_some() {
        None
    } else {
        from.or(start)
    };
    if let (Some(b), Some(u)) = (begins, until) {
        if u <= b {
            let end_span = p
                .until
                .as_ref()
                .map(|d| d.span)
                .or(p.for_.as_ref().map(|d| d.span))
                .unwrap_or(span);
            let mut d = Diagnostic::new(
                Code::E0216,
                format!("the royalty ends on {u}, on or before it starts on {b}"),
                end_span,
            )
            .with_label("the royalty's end")
            .with_help("end the royalty after it starts, or leave out `until` for a royalty that runs for the whole license");
            match &p.from {
                Some(f) => d = d.with_secondary(f.span, "the royalty's start"),
                None => d = d.with_note(format!("the royalty starts with the license, on {b}")),
            }
            diags.push(d);
        }
    }
    RoyaltyPeriod {
        from,
        until,
        until_expiry: p.until_expiry.is_some(),
        from_expiry: p.from_expiry.is_some(),
        payable: payment(p, diags),
        report: p.report.as_ref().map(|r| r.node),
    }
}

/// terms (issue 15): `payable quarterly within 45 days` and `report quarterly`. E0222
/// when the royalty is paid less often than it is reported (a payment would fall
/// between reports that already fixed the amount); W0431 when the time allowed is as
/// long as the longest period (31 days, 92, 366; 1 month, 3, 12) or longer, so that
/// every payment falls due only when the next period has ended.
fn payment(p: &ast::RoyaltyPeriodLit, diags: &mut Vec<Diagnostic>) -> Option<PaymentModel> {
    let pay = p.payable.as_ref()?;
    let every = pay.every.node;
    if let Some(r) = &p.report {
        if every.months() > r.node.months() {
            diags.push(
                Diagnostic::new(
                    Code::E0222,
                    format!(
                        "the royalty is paid {} but reported {}: each payment would cover several reports",
                        every.keyword(),
                        r.node.keyword()
                    ),
                    pay.every.span,
                )
                .with_label("paid less often")
                .with_secondary(r.span, "reported more often")
                .with_help(format!(
                    "pay as often as you report (`payable {}`), or report {}",
                    r.node.keyword(),
                    every.keyword()
                )),
            );
        }
    }
    let within = pay.within.as_ref().and_then(|d| duration(d, diags));
    if let (Some(w), Some(lit)) = (within, &pay.within) {
        let period = u64::from(every.months());
        let late = match w.unit {
            crate::date::DurationUnit::Days => u64::from(w.amount) >= every.max_days(),
            crate::date::DurationUnit::Months => u64::from(w.amount) >= period,
            crate::date::DurationUnit::Years => u64::from(w.amount) * 12 >= period,
        };
        if late {
            diags.push(
                Diagnostic::new(
                    Code::W0431,
                    format!(
                        "a royalty payable {} within {w} falls due only when the next {} has ended",
                        every.keyword(),
                        every.period_noun()
                    ),
                    lit.span,
                )
                .with_label("as long as the period or longer")
                .with_help(format!(
                    "pay within less than one {} of its end (e.g. `payable {} within {} days`), or pay less often",
                    every.period_noun(),
                    every.keyword(),
                    match every {
                        crate::vocab::Frequency::Monthly => 20,
                        crate::vocab::Frequency::Quarterly => 45,
                        crate::vocab::Frequency::Annually => 90,
                    }
                )),
            );
        }
    }
    Some(PaymentModel { every, within })
}

/// E0215: two running royalties of one grant on the same base (net sales, gross
/// sales, revenue, profits, units) that are payable on a common day, where either
/// states a period: the steps of a royalty that changes over time must follow each
/// other, not overlap.
pub fn royalty_steps(list: &[Consideration], start: Option<Date>, diags: &mut Vec<Diagnostic>) {
    /// One running royalty: its base, from, until (`None` ends are open), whether it
    /// states a period, where it is written, and whether it ends `until expiry` or
    /// starts `from expiry` (terms: issue 15, round 5).
    type Step<'a> = (
        &'a str,
        Option<Date>,
        Option<Date>,
        bool,
        Span,
        (bool, bool),
    );
    let mut steps: Vec<Step<'_>> = Vec::new();
    for c in list {
        let (base, p, span) = match c {
            Consideration::Percent {
                base, period, span, ..
            } => (base.keyword(), period, *span),
            Consideration::PerUnit { period, span, .. } => ("units", period, *span),
            Consideration::Tiered { period, span, .. } => ("net sales", period, *span),
            _ => continue,
        };
        let mut quiet = Vec::new();
        let period = royalty_period(p, start, span, &mut quiet);
        let stated = period.is_stated() || p.for_.is_some();
        // A step `from expiry` starts on a day of each country's own.
        let from = if period.from_expiry {
            None
        } else {
            period.from.or(start)
        };
        let expiry = (period.until_expiry, period.from_expiry);
        steps.push((base, from, period.until, stated, span, expiry));
    }
    for (i, a) in steps.iter().enumerate() {
        for b in steps.iter().skip(i + 1) {
            if a.0 != b.0 || !(a.3 || b.3) {
                continue;
            }
            let before = |x: Option<Date>, y: Option<Date>| match (x, y) {
                (Some(e), Some(s)) => e <= s,
                _ => false,
            };
            if before(a.2, b.1) || before(b.2, a.1) {
                continue;
            }
            // `until expiry` and `from expiry` meet in each country on the day the last
            // licensed patent there expires: a hybrid license's step-down.
            let meet = |x: (bool, bool), y: (bool, bool)| x.0 && y.1;
            if meet(a.5, b.5) || meet(b.5, a.5) {
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Code::E0215,
                    format!("two royalties of {} are payable at the same time", a.0),
                    b.4,
                )
                .with_label("this royalty")
                .with_secondary(a.4, "overlaps this one")
                .with_help("make the steps follow each other: end the first with `until DATE` and start the next with `from` the same date"),
            );
        }
    }
}

/// The purposes of a `purpose` line (rights: issue 15); an unknown word is E0210 and
/// left out. Every purpose when the clause has no such line, or none of its words is
/// known (already reported: the clause is then judged as if unrestricted).
pub fn purposes(
    line: Option<&crate::syntax::ast::Spanned<Vec<crate::syntax::ast::Ident>>>,
    diags: &mut Vec<Diagnostic>,
) -> crate::model::PurposeSet {
    use crate::vocab::Purpose;
    let Some(line) = line else {
        return crate::model::PurposeSet::all();
    };
    let mut known = Vec::new();
    for w in &line.node {
        match Purpose::from_word(&w.name) {
            Some(ps) => known.extend_from_slice(ps),
            None => {
                let d =
                    Diagnostic::new(Code::E0210, format!("unknown purpose `{}`", w.name), w.span)
                        .with_label("not a purpose");
                let d = match crate::iso::closest(&w.name, Purpose::WORDS) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "write `research`, `educational`, `internal`, `commercial` or `non-commercial` (research and educational)",
                    ),
                };
                diags.push(d);
            }
        }
    }
    if known.is_empty() {
        crate::model::PurposeSet::all()
    } else {
        crate::model::PurposeSet::of(known)
    }
}
