//! Diligence milestones and exclusivity that converts (rights: issue 15): a grant's
//! `diligence NAME: PARTY "event" by DATE` lines, and the names after `exclusive until
//! diligence … missed`, bound to them.

use super::values;
use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{CommitmentModel, Conversion, DiligenceModel, TermModel};
use crate::syntax::ast;
use crate::vocab::ExclusivityKind;

/// The grant's diligence milestones, and the milestones and named commitments whose
/// miss converts its exclusivity: E0102 for a name declared twice (milestones and
/// commitments share the grant's names), E0211 for a date outside the grant's term,
/// E0107 for a name after `until diligence` that is none of them, E0212 for a
/// non-exclusive grant that says it converts, E0227 for a commitment whose miss can be
/// known only when the license has ended.
pub(super) fn lower(
    ctx: &Ctx<'_>,
    g: &ast::Grant,
    term: Option<&TermModel>,
    commitments: &[CommitmentModel],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<DiligenceModel>, Vec<Conversion>) {
    let mut out: Vec<DiligenceModel> = Vec::with_capacity(g.diligence.len());
    for d in &g.diligence {
        // Looked up first, so a repeated line's party is bound (and checked) too.
        let party = ctx.scope.party(&d.party, diags);
        if let Some(first) = out.iter().find(|x| x.name == d.name.name) {
            diags.push(
                Diagnostic::new(
                    Code::E0102,
                    format!(
                        "diligence `{}` is declared twice in grant `{}`",
                        d.name.name, g.name.name
                    ),
                    d.name.span,
                )
                .with_label("declared again here")
                .with_secondary(first.span, "first declared here")
                .with_help("give each milestone of the grant its own name"),
            );
            continue;
        }
        let Some(by) = values::date(&d.by, diags) else {
            continue;
        };
        if let Some(t) = term {
            let (start, end) = match t {
                TermModel::Dates(i) => (i.start, i.end),
                TermModel::UntilExpiry { start } => (*start, None),
            };
            if by < start || end.is_some_and(|e| by >= e) {
                let period = match end {
                    Some(e) => format!("{start} until {e}"),
                    None => format!("from {start}"),
                };
                diags.push(
                    Diagnostic::new(
                        Code::E0211,
                        format!(
                            "diligence `{}` is due on {by}, outside the grant's term ({period})",
                            d.name.name
                        ),
                        d.by.span,
                    )
                    .with_label("outside the term")
                    .with_help("a milestone falls due while the license runs: correct the date, or the grant's term"),
                );
            }
        }
        out.push(DiligenceModel {
            name: d.name.name.to_string(),
            party,
            event: d.event.value.clone(),
            by,
            span: d.span,
        });
    }
    commitment_names(g, diags);
    let mut converts = Vec::new();
    let Some(c) = g.converts.as_deref() else {
        return (out, converts);
    };
    if let Some(e) = g
        .exclusivity
        .as_ref()
        .filter(|e| e.kind == ExclusivityKind::NonExclusive)
    {
        diags.push(
            Diagnostic::new(
                Code::E0212,
                format!(
                    "grant `{}` is non-exclusive, so it has no exclusivity to convert",
                    g.name.name
                ),
                e.span.to(c.span),
            )
            .with_label("converts nothing")
            .with_help("write `exclusive until diligence …` or `sole until diligence …`, or remove `until diligence … missed`"),
        );
    }
    for name in &c.node {
        let found = match out.iter().position(|d| d.name == name.name) {
            Some(i) => Some(Conversion::Milestone(i)),
            None => commitments
                .iter()
                .position(|m| m.name.as_deref() == Some(name.name.as_str()))
                .map(Conversion::Commitment),
        };
        match found {
            Some(Conversion::Commitment(i)) if !reckoned(name, commitments, i, term, diags) => {}
            Some(found) => {
                if !converts.contains(&found) {
                    converts.push(found);
                }
            }
            None => {
                let known: Vec<&str> = out
                    .iter()
                    .map(|d| d.name.as_str())
                    .chain(commitments.iter().filter_map(|m| m.name.as_deref()))
                    .collect();
                let mut d = Diagnostic::new(
                    Code::E0107,
                    format!(
                        "grant `{}` has no diligence milestone or commitment `{}`",
                        g.name.name, name.name
                    ),
                    name.span,
                )
                .with_label("unknown diligence milestone or commitment");
                d = match crate::iso::closest(&name.name, known.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!(
                        "declare it in the grant: `diligence {}: LICENSEE \"first commercial sale\" by 2028-06-30`",
                        name.name
                    )),
                };
                diags.push(d);
            }
        }
    }
    (out, converts)
}

/// E0102 for a commitment's name that a milestone or an earlier commitment of the
/// grant already has (round 6).
fn commitment_names(g: &ast::Grant, diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<&ast::Ident> = g.diligence.iter().map(|d| &d.name).collect();
    for name in g.commitments.iter().filter_map(|c| c.name.as_ref()) {
        if let Some(first) = seen.iter().find(|x| x.name == name.name) {
            diags.push(
                Diagnostic::new(
                    Code::E0102,
                    format!(
                        "`{}` is declared twice in grant `{}`",
                        name.name, g.name.name
                    ),
                    name.span,
                )
                .with_label("declared again here")
                .with_secondary(first.span, "first declared here")
                .with_help(
                    "milestones and commitments of a grant share its names: give each its own",
                ),
            );
            continue;
        }
        seen.push(name);
    }
}

/// Whether a converting commitment can be missed while the license runs; E0227 when
/// its first period ends only with the grant (or never: a commitment over the whole of
/// an open-ended term), so that a miss would convert nothing.
fn reckoned(
    name: &ast::Ident,
    commitments: &[CommitmentModel],
    i: usize,
    term: Option<&TermModel>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let (Some(t), Some(c)) = (term, commitments.get(i)) else {
        return true; // a term that could not be computed (reported)
    };
    let end = match t {
        TermModel::Dates(i) => i.end,
        TermModel::UntilExpiry { .. } => None,
    };
    let day = c.first_reckoning(t);
    let too_late = match (day, end) {
        (None, _) => true,
        (Some(d), Some(e)) => d >= e,
        (Some(_), None) => false,
    };
    if !too_late {
        return true;
    }
    let when = match end {
        Some(e) => format!("a miss is known only when the license ends on {e}"),
        None => "it counts over the whole license, which has no end date: a miss is never known"
            .to_string(),
    };
    diags.push(
        Diagnostic::new(
            Code::E0227,
            format!(
                "commitment `{}` converts the exclusivity if missed, but {when}",
                name.name
            ),
            name.span,
        )
        .with_label("converts nothing")
        .with_secondary(c.span, "the commitment")
        .with_help("count the minimum per year or per calendar year, or end it with `, until DATE` before the license ends"),
    );
    false
}
