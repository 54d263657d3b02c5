//! clauses (issue 15): lowering a right of first refusal or negotiation, with the
//! checks its own clause can fail: a period of zero (E0223), a term outside the
//! agreement's (E0224) and a holder that owns the assets (E0323). Whether its scope is
//! already licensed exclusively to another (E0322) is the checker's (`check::first`).

use super::values;
use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    AgreementModel, AssetId, FirstRightModel, Interval, PartyId, RightSet, TermModel,
};
use crate::syntax::ast;

pub(super) fn lower(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    f: &ast::FirstRight,
    diags: &mut Vec<Diagnostic>,
) -> Option<FirstRightModel> {
    let kind = f.kind.node;
    let assets: Vec<AssetId> = f
        .assets
        .iter()
        .filter_map(|x| ctx.scope.asset(x, diags))
        .collect();
    let holder = ctx.scope.party(&f.holder, diags);
    let (fields, all, territory) = super::clauses::block_scope(ctx, &f.scope, diags);
    let within = f.within.as_ref().and_then(|d| period(kind, d, diags));
    let what = format!("first {}'s term", kind.keyword());
    let term = match super::clauses::clause_term(a, f.scope.term.as_ref(), &what, diags)? {
        TermModel::Dates(i) => i,
        TermModel::UntilExpiry { start } => Interval { start, end: None },
    };
    within_agreement(a, f, term, diags);
    let holder = holder?;
    let mut grantors: Vec<PartyId> = assets
        .iter()
        .filter_map(|x| ctx.model.asset(*x))
        .flat_map(|d| d.owners.iter().copied())
        .collect();
    grantors.sort();
    grantors.dedup();
    if grantors.contains(&holder) {
        let owned: Vec<String> = f
            .assets
            .iter()
            .zip(&assets)
            .filter(|(_, x)| {
                ctx.model
                    .asset(**x)
                    .is_some_and(|d| d.owners.contains(&holder))
            })
            .map(|(n, _)| format!("`{}`", n.name))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::E0323,
                format!(
                    "`{}` holds a {} on {} it owns itself",
                    f.holder.name,
                    kind.title(),
                    owned.join(", ")
                ),
                f.holder.span,
            )
            .with_label("owner of the assets")
            .with_secondary(f.header, format!("first {}", kind.keyword()))
            .with_help(format!(
                "name the party that gets the first chance to take a license from `{}`, or drop the clause",
                f.holder.name
            )),
        );
    }
    Some(FirstRightModel {
        id: f.name.name.to_string(),
        kind,
        holder,
        grantors,
        assets,
        // A first right covers every right of its assets unless it lists some.
        rights: match &f.scope.rights {
            Some(list) => RightSet::of(list.node.iter().map(|r| r.node)),
            None => RightSet::all(),
        },
        fields,
        all_fields: all,
        territory,
        term,
        purposes: values::purposes(f.scope.purpose.as_ref(), diags),
        within,
        notes: f.notes.iter().map(|n| n.value.clone()).collect(),
        header: f.header,
        span: f.span,
    })
}

/// The `within` period; zero is E0223 (the holder would have no time to answer).
fn period(
    kind: crate::vocab::FirstRightKind,
    d: &ast::DurationLit,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::date::Duration> {
    if d.amount.value.is_some_and(|v| v.is_zero()) {
        let what = match kind {
            crate::vocab::FirstRightKind::Refusal => "to match an offer",
            crate::vocab::FirstRightKind::Negotiation => "to negotiate",
        };
        diags.push(
            Diagnostic::new(
                Code::E0223,
                format!("a {} with no time {what}", kind.title()),
                d.span,
            )
            .with_label("a period of zero")
            .with_help("give the holder a period to answer, e.g. `within 30 days`"),
        );
        return None;
    }
    values::duration(d, diags)
}

/// E0224: a first right's term must lie within the agreement's.
fn within_agreement(
    a: &AgreementModel,
    f: &ast::FirstRight,
    term: Interval,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(window) = a.term else { return };
    let early = term.start < window.start;
    let late = match (window.end, term.end) {
        (Some(end), Some(e)) => e > end,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !early && !late {
        return;
    }
    let span = f.scope.term.as_ref().map_or(f.header, |t| t.span);
    let agreement = match window.end {
        Some(end) => format!("from {} until {end}", window.start),
        None => format!("from {}", window.start),
    };
    let right = match term.end {
        Some(end) => format!("from {} until {end}", term.start),
        None => format!("from {} with no end", term.start),
    };
    diags.push(
        Diagnostic::new(
            Code::E0224,
            format!(
                "first {} `{}` runs {right}, outside the agreement's term ({agreement})",
                f.kind.node.keyword(),
                f.name.name
            ),
            span,
        )
        .with_label("outside the agreement's term")
        .with_secondary(a.term_span.unwrap_or(a.header), "the agreement's term")
        .with_help("end the right with the agreement (leave out `term`), or give it a term within the agreement's"),
    );
}
