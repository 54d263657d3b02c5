//! Diligence milestones and exclusivity that converts (rights: issue 15): a grant's
//! `diligence NAME: PARTY "event" by DATE` lines, and the names after `exclusive until
//! diligence … missed`, bound to them.

use super::values;
use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{DiligenceModel, TermModel};
use crate::syntax::ast;
use crate::vocab::ExclusivityKind;

/// The grant's diligence milestones, and the indexes of those whose miss converts its
/// exclusivity: E0102 for a name declared twice, E0211 for a date outside the grant's
/// term, E0107 for a name after `until diligence` that is none of them, E0212 for a
/// non-exclusive grant that says it converts.
pub(super) fn lower(
    ctx: &Ctx<'_>,
    g: &ast::Grant,
    term: Option<&TermModel>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<DiligenceModel>, Vec<usize>) {
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
        match out.iter().position(|d| d.name == name.name) {
            Some(i) => {
                if !converts.contains(&i) {
                    converts.push(i);
                }
            }
            None => {
                let known: Vec<&str> = out.iter().map(|d| d.name.as_str()).collect();
                let mut d = Diagnostic::new(
                    Code::E0107,
                    format!(
                        "grant `{}` has no diligence milestone `{}`",
                        g.name.name, name.name
                    ),
                    name.span,
                )
                .with_label("unknown diligence milestone");
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
