//! Rules about time: a grant running past its agreement (E0203, including `until
//! expiry` and perpetual grants, unless the license survives), renewals that could
//! carry a grant past the agreement or past every licensed patent (W0411, or W0408 when
//! a royalty would run on), payments due outside the term (W0415, a grant's lump sum or
//! an agreement-level payment's instalment), instalments in different currencies
//! (W0433) and a lifetime cap below the annual floors (E0204).

use super::after::{renewal_pieces, renewed_end};
use super::context::{Ctx, GrantInfo};
use super::patents::{countries_by_date, last_expiry_by_country, royalty_end, royalty_past_expiry};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::SubjectKind;
use crate::model::{ConsiderationModel, LimitModel, TermModel};
use crate::vocab::LimitKind;
use rust_decimal::Decimal;

/// E0203: a grant ends after its agreement does, unless its sunset clause says the
/// license survives the agreement (`survives license`).
pub fn within_agreement(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        let Some(agreement_end) = g.agreement.term.and_then(|t| t.end) else {
            continue;
        };
        if g.entry.survives {
            continue;
        }
        let last = agreement_end.pred().unwrap_or(agreement_end);
        let survive = "or add `survives license` to its sunset clause if the license is meant to outlive the agreement";
        let span = g.grant.term_span;
        let d = match (g.grant.term, g.time.end) {
            (TermModel::Dates(_), Some(e)) if e <= agreement_end => continue,
            (TermModel::Dates(_), Some(e)) => Diagnostic::new(
                Code::E0203,
                format!("grant `{}` runs until {e}, after the agreement ends on {agreement_end}", g.grant.id),
                span,
            )
            .with_label("ends too late")
            .with_help(format!("end the grant by {agreement_end} (its last day would be {last}), lengthen the agreement's term, {survive}")),
            (TermModel::Dates(_), None) => Diagnostic::new(
                Code::E0203,
                format!("grant `{}` is perpetual but the agreement ends on {agreement_end}", g.grant.id),
                span,
            )
            .with_label("outlives the agreement")
            .with_help(format!("give the grant an end on or before {agreement_end}, make the agreement `term perpetual`, {survive}")),
            (TermModel::UntilExpiry { .. }, Some(e)) if e <= agreement_end => continue,
            (TermModel::UntilExpiry { .. }, end) => {
                let when = match end {
                    Some(e) => format!("when its last licensed patent expires on {e}"),
                    None => "when its last licensed patent expires, and a licensed patent has no expiry date".to_string(),
                };
                Diagnostic::new(
                    Code::E0203,
                    format!("grant `{}` runs until expiry, {when}, after the agreement ends on {agreement_end}", g.grant.id),
                    span,
                )
                .with_label("ends too late")
                .with_note("a license granted under an agreement ends with it unless the agreement says it survives")
                .with_help(format!("make the agreement's term `until expiry`, end the grant by {agreement_end}, {survive}"))
            }
        };
        out.push(d.with_secondary(g.agreement.span, "the agreement"));
    }
}

/// W0411 (and W0408): what an automatic renewal could do if it ran every time. (A
/// renewal by mutual consent is a new bargain, struck when it is exercised.)
pub fn renewals(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // The grants come agreement by agreement: group each agreement's sunset clauses
    // once, when its first grant comes.
    let mut sunsets: Option<(usize, Vec<Vec<&crate::model::SunsetModel>>)> = None;
    for g in &ctx.grants {
        let Some(end) = g.time.end else { continue };
        if sunsets
            .as_ref()
            .is_none_or(|(a, _)| *a != g.entry.agreement)
        {
            sunsets = Some((
                g.entry.agreement,
                crate::ledger::sunsets_by_grant(g.agreement),
            ));
        }
        let of_grant = sunsets
            .as_ref()
            .and_then(|(_, by)| by.get(g.entry.index))
            .map_or(&[][..], Vec::as_slice);
        for s in of_grant {
            for r in s.renewals.iter().filter(|r| r.automatic) {
                let ext = renewed_end(end, r);
                let until = match ext {
                    Some(e) => format!("until {e}"),
                    None => "without end".to_string(),
                };
                // Past the agreement.
                if let Some(agreement_end) = g.agreement.term.and_then(|t| t.end) {
                    if !g.entry.survives && ext.is_none_or(|e| e > agreement_end) {
                        out.push(
                            Diagnostic::new(
                                Code::W0411,
                                format!("renewals of `{}` could run it {until}, past the agreement's end on {agreement_end}", g.grant.id),
                                r.span,
                            )
                            .with_label("renewal option")
                            .with_secondary(g.agreement.span, "the agreement")
                            .with_note("a renewed license would still end with the agreement, unless the agreement says it survives")
                            .with_help("cap the renewals (`at most N times`) within the agreement's term, renew the agreement too, or add `survives license` to the sunset clause"),
                        );
                    }
                }
                past_patents(ctx, g, end, ext, &until, r.span, out);
            }
        }
    }
}

/// A renewal option run past the licensed patents: past every one of them when the
/// grant licenses nothing else (W0411), or with a running royalty past their expiry in
/// some country (W0408).
fn past_patents(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    end: Date,
    ext: Option<Date>,
    until: &str,
    span: crate::source::Span,
    out: &mut Vec<Diagnostic>,
) {
    let subjects: Vec<_> = ctx
        .term_pieces(g)
        .filter_map(|p| ctx.ledger.subject(p.subject))
        .collect();
    if subjects.is_empty() {
        return;
    }
    let only_patents = subjects
        .iter()
        .all(|s| s.kind == SubjectKind::Patent && s.expires.is_some());
    if only_patents && renewal_pieces(ctx, g, end, ext).is_empty() {
        let last = subjects
            .iter()
            .filter_map(|s| s.expires)
            .max()
            .unwrap_or(end);
        out.push(
            Diagnostic::new(
                Code::W0411,
                format!("renewals of `{}` could run it {until}, but every licensed patent has expired by {last}", g.grant.id),
                span,
            )
            .with_label("renews nothing")
            .with_secondary(g.grant.header, "the grant")
            .with_help("drop the renewal option, or license what outlives the patents (e.g. know-how) explicitly"),
        );
        if royalty_end(&g.grant.consideration).is_some() {
            royalty_note(ctx, g, ext, until, span, out);
        }
        return;
    }
    if royalty_end(&g.grant.consideration).is_some() {
        royalty_note(ctx, g, ext, until, span, out);
    }
}

fn royalty_note(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    ext: Option<Date>,
    until: &str,
    span: crate::source::Span,
    out: &mut Vec<Diagnostic>,
) {
    let last = last_expiry_by_country(ctx, g);
    // Countries already reported for the base term are W0408 there.
    let base = royalty_past_expiry(&last, |c| g.entry.effective_end_in(c));
    let renewed: Vec<_> = royalty_past_expiry(&last, |_| ext)
        .into_iter()
        .filter(|(c, _, _)| !base.iter().any(|b| b.0 == *c))
        .collect();
    if renewed.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::W0408,
            format!(
                "renewed, royalties under `{}` could run {until}, after the last licensed patent expires in {}",
                g.grant.id,
                countries_by_date(&renewed)
            ),
            span,
        )
        .with_label("renewal past patent expiry")
        .with_secondary(g.grant.header, "the royalty-bearing grant")
        .with_note("royalties for the use of a patent after it expires are unenforceable in the US (Brulotte v. Thys; Kimble v. Marvel)")
        .with_help("cap the renewals so they end when the patents expire, or make the renewed term royalty-free"),
    );
}

/// W0415 (a lump sum due outside the grant's or the agreement's term) and E0204 (a
/// lifetime cap below what the annual floors add up to over the term).
pub fn payments(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        for c in &g.grant.consideration {
            match c {
                ConsiderationModel::LumpSum {
                    due: Some(due),
                    amount,
                } => {
                    let agreement = g.agreement.term;
                    // A release (rights: issue 15) covers past acts and is paid for
                    // under the agreement: its payment is judged by the agreement's term.
                    let (start, own_end) = match (g.entry.release, agreement) {
                        (Some(_), Some(t)) => (t.start, t.end),
                        _ => (g.time.start, g.time.end),
                    };
                    let end = match (own_end, agreement.and_then(|t| t.end)) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, None) => a,
                        (None, b) => b,
                    };
                    let before = *due < start.min(agreement.map_or(start, |t| t.start));
                    let after = end.is_some_and(|e| *due >= e);
                    if !before && !after {
                        continue;
                    }
                    let (what, when) = if before {
                        ("before", format!("the grant starts on {start}"))
                    } else {
                        (
                            "after",
                            format!("the license ends on {}", end.unwrap_or(start)),
                        )
                    };
                    out.push(
                        Diagnostic::new(
                            Code::W0415,
                            format!(
                                "the lump sum of {} {} under `{}` is due on {due}, {what} {when}",
                                amount.amount.normalize(),
                                amount.currency,
                                g.grant.id
                            ),
                            g.grant.header,
                        )
                        .with_label("payment outside the term")
                        .with_help("check the due date: payments are normally due within the term (an upfront payment on the effective date, milestones while the license runs)"),
                    );
                }
                ConsiderationModel::Percent { limits, .. }
                | ConsiderationModel::PerUnit { limits, .. }
                | ConsiderationModel::Tiered { limits, .. } => {
                    lifetime_cap(g, limits, out);
                }
                _ => {}
            }
        }
    }
}

/// clauses (issue 15, round 4): an agreement-level payment's instalments due outside
/// the agreement's term (W0415, as a grant's lump sum) and a payment whose instalments
/// are in different currencies (W0433).
pub fn agreement_payments(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for p in &a.payments {
            if let Some(term) = a.term {
                for i in &p.instalments {
                    let when = if i.due < term.start {
                        format!("before the agreement is effective on {}", term.start)
                    } else if let Some(end) = term.end.filter(|e| i.due >= *e) {
                        format!("after the agreement's term ends on {end}")
                    } else {
                        continue;
                    };
                    out.push(
                        Diagnostic::new(
                            Code::W0415,
                            format!(
                                "payment `{}`: {} {} is due on {}, {when}",
                                p.id,
                                i.amount.amount.normalize(),
                                i.amount.currency,
                                i.due
                            ),
                            i.span,
                        )
                        .with_label("payment outside the term")
                        .with_secondary(a.term_span.unwrap_or(a.header), "the agreement's term")
                        .with_help("check the due date: an agreement's payments are normally due within its term (on signing, or in instalments while it runs)"),
                    );
                }
            }
            let Some(first) = p.instalments.first() else {
                continue;
            };
            if let Some(other) = p
                .instalments
                .iter()
                .find(|i| i.amount.currency != first.amount.currency)
            {
                out.push(
                    Diagnostic::new(
                        Code::W0433,
                        format!(
                            "the instalments of payment `{}` are in {} and {}: its total is not one amount",
                            p.id, first.amount.currency, other.amount.currency
                        ),
                        other.span,
                    )
                    .with_label(format!("in {}", other.amount.currency))
                    .with_secondary(first.span, format!("in {}", first.amount.currency))
                    .with_help("state every instalment in one currency, or split the payment into one per currency"),
                );
            }
        }
    }
}

/// E0204: a lifetime cap (a cap without `per year`) below the annual floors' sum over
/// the grant's whole years.
fn lifetime_cap(g: &GrantInfo<'_>, limits: &[LimitModel], out: &mut Vec<Diagnostic>) {
    for cap in limits
        .iter()
        .filter(|l| l.kind == LimitKind::Cap && !l.per_year)
    {
        for floor in limits
            .iter()
            .filter(|l| l.kind == LimitKind::Floor && l.per_year)
            .filter(|l| l.amount.currency == cap.amount.currency)
        {
            if floor.amount.amount <= Decimal::ZERO {
                continue;
            }
            let years = match g
                .entry
                .window
                .end
                .map_or(g.time.end, |w| Some(g.time.end.map_or(w, |e| e.min(w))))
            {
                Some(end) => whole_years(g.time.start, end),
                None => None,
            };
            let total = years.map(|y| floor.amount.amount * Decimal::from(y));
            let below = match total {
                Some(t) => cap.amount.amount < t,
                None => true, // no end: the floors add up without bound
            };
            if !below {
                continue;
            }
            let sum = match (years, total) {
                (Some(y), Some(t)) => format!(
                    "the annual floor of {} {} over the grant's {y} whole years adds up to {} {}",
                    floor.amount.amount.normalize(),
                    floor.amount.currency,
                    t.normalize(),
                    floor.amount.currency
                ),
                _ => format!(
                    "the annual floor of {} {} runs on without end",
                    floor.amount.amount.normalize(),
                    floor.amount.currency
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::E0204,
                    format!(
                        "grant `{}`: the lifetime cap of {} {} is below what the floors require: {sum}",
                        g.grant.id,
                        cap.amount.amount.normalize(),
                        cap.amount.currency
                    ),
                    g.grant.header,
                )
                .with_label("cap below the floors' sum")
                .with_help("the most owed cannot be less than the least owed: raise the cap, lower the floor, or make the cap annual (`per year`)"),
            );
        }
    }
}

/// How many whole years lie between two dates.
fn whole_years(start: Date, end: Date) -> Option<u32> {
    let mut n = 0u32;
    while n < 10_000 {
        let next = start.add_years(i64::from(n) + 1)?;
        if next > end {
            break;
        }
        n += 1;
    }
    Some(n)
}
