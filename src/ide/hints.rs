//! Dates the source implies but does not write: the end of a term given as a duration,
//! the day a grant-back's sunset falls on, the end of a sell-off period. Shown as inlay
//! hints and on hover.

use super::Analysis;
use crate::date::{Date, Duration};
use crate::source::{FileId, Span};
use crate::syntax::ast::{DurationLit, Item, TermEnd, TermSpec};

/// A date computed from a duration in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedDate {
    /// The duration (or term) the date is computed from.
    pub span: Span,
    /// What the date is: "agreement's term", "grant's term", …
    pub what: &'static str,
    /// Where the period starts, when it is a term.
    pub start: Option<Date>,
    /// The computed day: a term's (exclusive) end, a sunset, the end of a wind-down.
    pub date: Date,
    /// How it was computed, in words.
    pub explanation: String,
}

/// A label to show at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub tooltip: String,
}

fn duration(d: &DurationLit) -> Option<Duration> {
    let v = d.amount.value?;
    if !v.fract().is_zero() {
        return None;
    }
    let amount = u32::try_from(v.trunc().mantissa()).ok()?;
    (amount > 0).then_some(Duration {
        amount,
        unit: d.unit,
    })
}

/// Every computed date of a file, in source order.
pub fn computed_dates(analysis: &Analysis, file: FileId) -> Vec<ComputedDate> {
    let mut out = Vec::new();
    let Some(ast) = analysis.ast(file) else {
        return out;
    };
    let agreement = ast.items().find_map(|i| match i {
        Item::Agreement(a) => Some(a),
        _ => None,
    });
    let effective = agreement
        .and_then(|a| a.effective.as_ref())
        .and_then(|d| Date::parse(&d.text).ok());
    let term = |spec: &TermSpec, what: &'static str, out: &mut Vec<ComputedDate>| {
        let TermEnd::For(d) = &spec.end else { return };
        let start = match &spec.start {
            Some(s) => Date::parse(&s.text).ok(),
            None => effective,
        };
        let (Some(start), Some(dur)) = (start, duration(d)) else {
            return;
        };
        let Some(end) = start.add_duration(dur) else {
            return;
        };
        let from = if spec.start.is_some() {
            "its start"
        } else {
            "the agreement's effective date"
        };
        out.push(ComputedDate {
            span: d.span,
            what,
            start: Some(start),
            date: end,
            explanation: format!("{dur} from {from}, {}", start.long_form()),
        });
    };
    if let Some(a) = agreement {
        if let Some(t) = &a.term {
            if t.start.is_none() {
                term(t, "agreement's term", &mut out);
            }
        }
    }
    for item in ast.items() {
        match item {
            Item::Grant(g) => {
                if let Some(t) = &g.term {
                    term(t, "grant's term", &mut out);
                }
            }
            Item::Reserve(r) => {
                if let Some(t) = &r.scope.term {
                    term(t, "reservation's term", &mut out);
                }
            }
            Item::Improvements(imp) => {
                for rule in &imp.rules {
                    let Some(d) = &rule.sunset else { continue };
                    let (Some(start), Some(dur)) = (effective, duration(d)) else {
                        continue;
                    };
                    if let Some(date) = start.add_duration(dur) {
                        out.push(ComputedDate {
                            span: d.span,
                            what: "sunset",
                            start: None,
                            date,
                            explanation: format!(
                                "{dur} from the agreement's effective date, {}: the rule no longer applies from this day",
                                start.long_form()
                            ),
                        });
                    }
                }
            }
            Item::Sunset(s) => {
                let Some(d) = &s.wind_down else { continue };
                let Some(dur) = duration(d) else { continue };
                let Some(end) = grant_end(analysis, file, &s.grant.name) else {
                    continue;
                };
                if let Some(date) = end.add_duration(dur) {
                    out.push(ComputedDate {
                        span: d.span,
                        what: "end of the sell-off period",
                        start: Some(end),
                        date,
                        explanation: format!(
                            "{dur} from the end of grant `{}`, whose term runs until {}",
                            s.grant.name,
                            end.long_form()
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The (exclusive) end of a grant of the file's agreement, with `until expiry` resolved
/// as the rights ledger resolves it (the last expiry of its patents, capture periods
/// included, in its territory).
pub(crate) fn grant_end(analysis: &Analysis, file: FileId, grant: &str) -> Option<Date> {
    let model = &analysis.compilation.model;
    let ledger = &analysis.compilation.ledger;
    let ai = model.agreements.iter().position(|a| a.file == file)?;
    let gi = model
        .agreements
        .get(ai)?
        .grants
        .iter()
        .position(|g| g.id == grant)?;
    let entry = ledger.grants.get(ledger.grant_index(ai, gi)?)?;
    entry.time.end
}

/// The inlay hints of a file: `→ 2031-01-01` after each duration a date is computed
/// from.
pub fn inlay_hints(analysis: &Analysis, file: FileId) -> Vec<InlayHint> {
    computed_dates(analysis, file)
        .into_iter()
        .map(|c| InlayHint {
            offset: c.span.end,
            label: format!("→ {}", c.date),
            tooltip: format!("{}: {} ({})", c.what, c.date.long_form(), c.explanation),
        })
        .collect()
}
