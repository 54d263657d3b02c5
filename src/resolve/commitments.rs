//! terms (issue 15, round 5): a grant's minimum purchase and spend commitments
//! (`commit PARTY purchase N units per calendar year on "…"`, `commit PARTY spend
//! AMOUNT per year on "…"`), with the checks a commitment line can fail on its own: a
//! committing party that is not a licensee of the grant (E0326), a period outside the
//! grant's term or empty (E0225) and a commitment to nothing (E0226; a spend's money is
//! checked as any amount, E0204 and E0206).

use super::values;
use super::Ctx;
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{CommitmentAmount, CommitmentModel, CommitmentPeriod, PartyId, TermModel};
use crate::syntax::ast;
use rust_decimal::Decimal;

pub(super) fn lower(
    ctx: &Ctx<'_>,
    g: &ast::Grant,
    licensees: &[PartyId],
    term: Option<&TermModel>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<CommitmentModel> {
    let mut out = Vec::with_capacity(g.commitments.len());
    for c in &g.commitments {
        if let Some(m) = commitment(ctx, g, c, licensees, term, diags) {
            out.push(m);
        }
    }
    out
}

fn commitment(
    ctx: &Ctx<'_>,
    g: &ast::Grant,
    c: &ast::Commitment,
    licensees: &[PartyId],
    term: Option<&TermModel>,
    diags: &mut Vec<Diagnostic>,
) -> Option<CommitmentModel> {
    let party = ctx.scope.party(&c.party, diags);
    let amount = amount(c, diags);
    let from = c.from.as_ref().map(|d| values::date(d, diags));
    let until = c.until.as_ref().map(|d| values::date(d, diags));
    let party = party?;
    // A licensee commits, or an affiliate of one on its behalf.
    let parent = ctx.model.party(party).and_then(|d| d.parent);
    let licensee = licensees.contains(&party) || parent.is_some_and(|p| licensees.contains(&p));
    if !licensee && !licensees.is_empty() {
        let names: Vec<String> = licensees
            .iter()
            .map(|p| format!("`{}`", ctx.model.party_name(*p)))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::E0326,
                format!(
                    "`{}` commits under grant `{}` but is not its licensee",
                    c.party.name, g.name.name
                ),
                c.party.span,
            )
            .with_label("not a licensee of the grant")
            .with_secondary(g.header, "the grant and its licensee")
            .with_help(format!(
                "a minimum purchase or spend is the licensee's commitment: name {}, or write the commitment in the grant that licenses `{}`",
                names.join(" or "),
                c.party.name
            )),
        );
    }
    let (from, until) = (from.flatten(), until.flatten());
    if c.from.is_some() && from.is_none() || c.until.is_some() && until.is_none() {
        return None; // a date that is not one (reported)
    }
    if let Some(t) = term {
        period_within(g, c, t, from, until, diags);
    }
    let period = match c.per_year {
        None => CommitmentPeriod::Term,
        Some(false) => CommitmentPeriod::Year,
        Some(true) => CommitmentPeriod::CalendarYear,
    };
    Some(CommitmentModel {
        name: c.name.as_ref().map(|n| n.name.to_string()),
        party,
        amount: amount?,
        period,
        subject: c.subject.value.clone(),
        from,
        until,
        span: c.span,
    })
}

/// The amount, more than zero: E0226 for zero units or zero money.
fn amount(c: &ast::Commitment, diags: &mut Vec<Diagnostic>) -> Option<CommitmentAmount> {
    let (value, span) = match &c.amount {
        ast::CommitAmount::Units(n) => (n.value?, n.span),
        ast::CommitAmount::Spend(m) => (m.amount.value?, m.amount.span),
    };
    if value == Decimal::ZERO {
        let what = match c.amount {
            ast::CommitAmount::Units(_) => "purchase of no units",
            ast::CommitAmount::Spend(_) => "spend of nothing",
        };
        diags.push(
            Diagnostic::new(
                Code::E0226,
                format!("a minimum {what} commits the party to nothing"),
                span,
            )
            .with_label("zero")
            .with_help("write the minimum the party commits to, or remove the commitment"),
        );
        return None;
    }
    match &c.amount {
        ast::CommitAmount::Units(_) => Some(CommitmentAmount::Units(value)),
        ast::CommitAmount::Spend(m) => values::money(m, diags).map(CommitmentAmount::Spend),
    }
}

/// E0225: the commitment's `from` and `until` lie within the grant's term, `from`
/// before `until`.
fn period_within(
    g: &ast::Grant,
    c: &ast::Commitment,
    t: &TermModel,
    from: Option<Date>,
    until: Option<Date>,
    diags: &mut Vec<Diagnostic>,
) {
    let (start, end) = match t {
        TermModel::Dates(i) => (i.start, i.end),
        TermModel::UntilExpiry { start } => (*start, None),
    };
    let term = match end {
        Some(e) => format!("{start} until {e}"),
        None => format!("from {start}"),
    };
    let secondary = g.term.as_ref().map(|t| t.span).unwrap_or(g.header);
    let mut report = |span, message: String, label: &str| {
        diags.push(
            Diagnostic::new(Code::E0225, message, span)
                .with_label(label)
                .with_secondary(secondary, "the grant's term")
                .with_help("a commitment runs while the license runs: correct the date, or leave it out to commit for the whole term"),
        );
    };
    if let (Some(f), Some(lit)) = (from, &c.from) {
        if f < start || end.is_some_and(|e| f >= e) {
            report(
                lit.span,
                format!("the commitment starts on {f}, outside the grant's term ({term})"),
                "outside the term",
            );
            return;
        }
    }
    if let (Some(u), Some(lit)) = (until, &c.until) {
        if end.is_some_and(|e| u > e) || u <= start {
            report(
                lit.span,
                format!("the commitment ends on {u}, outside the grant's term ({term})"),
                "outside the term",
            );
            return;
        }
        let begins = from.unwrap_or(start);
        if u <= begins {
            report(
                lit.span,
                format!("the commitment ends on {u}, before it starts on {begins}"),
                "no day left to commit",
            );
        }
    }
}
