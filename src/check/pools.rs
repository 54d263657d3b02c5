//! pools (issue 15, round 2): a pool member's dated membership outside the pool's term
//! (E0218), membership dates on a party of no pool (W0424), and an exclusive grant of
//! a FRAND-committed asset (E0318), most-favoured-licensee terms on an exclusive grant
//! (W0425).

use super::context::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::PartyId;
use crate::vocab::AgreementKind;

/// E0218 and W0424 over every party with `joins` or `leaves`.
pub fn membership(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, p) in ctx.model.parties.iter().enumerate() {
        let m = p.membership;
        if !m.is_dated() {
            continue;
        }
        let id = PartyId(u32::try_from(i).unwrap_or(u32::MAX));
        let mut named = ctx
            .model
            .agreements
            .iter()
            .filter(|a| a.parties.contains(&id))
            .peekable();
        if named.peek().is_none() {
            continue;
        }
        let (pools, others): (Vec<_>, Vec<_>) = named.partition(|a| a.kind == AgreementKind::Pool);
        if pools.is_empty() {
            let span = m.joins_span.or(m.leaves_span).unwrap_or(p.span);
            let titles: Vec<String> = others.iter().map(|a| format!("\"{}\"", a.title)).collect();
            out.push(
                Diagnostic::new(
                    Code::W0424,
                    format!(
                        "`{}` has membership dates but is a party of no pool",
                        p.name
                    ),
                    span,
                )
                .with_label("changes nothing outside a pool")
                .with_note(format!(
                    "it is a party of {}, not of `kind pool`",
                    titles.join(", ")
                ))
                .with_help("give its licenses their own terms, or make the agreement `kind pool`"),
            );
            continue;
        }
        for a in pools {
            let Some(term) = a.term else {
                continue;
            };
            let outside = |d: crate::date::Date, leaving: bool| {
                if leaving {
                    d <= term.start || term.end.is_some_and(|e| d > e)
                } else {
                    d < term.start || term.end.is_some_and(|e| d >= e)
                }
            };
            let dates = [
                (m.joins, m.joins_span, false, "joins"),
                (m.leaves, m.leaves_span, true, "leaves"),
            ];
            for (date, span, leaving, word) in dates {
                let (Some(d), Some(span)) = (date, span) else {
                    continue;
                };
                if !outside(d, leaving) {
                    continue;
                }
                let until = term
                    .end
                    .map_or(String::from("with no end"), |e| format!("until {e}"));
                out.push(
                    Diagnostic::new(
                        Code::E0218,
                        format!(
                            "`{}` {word} the pool on {d}, outside the term of \"{}\"",
                            p.name, a.title
                        ),
                        span,
                    )
                    .with_label(format!("{word} on {d}"))
                    .with_secondary(a.span, format!("the pool runs from {} {until}", term.start))
                    .with_help(format!(
                        "give a date within the pool's term, or leave out `{word}` for a member {}",
                        if leaving {
                            "that stays until the pool ends"
                        } else {
                            "from the pool's start"
                        }
                    )),
                );
            }
        }
    }
}

/// E0318: an exclusive or sole grant of an asset its owner committed to license on
/// FRAND terms (`essential to S, frand`).
pub fn frand(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        if !g.is_exclusive_kind() {
            continue;
        }
        for asset in &g.grant.assets {
            let Some(a) = ctx.model.asset(*asset) else {
                continue;
            };
            let Some(e) = a.essential.iter().find(|e| e.frand) else {
                continue;
            };
            let standard = ctx
                .model
                .standards
                .get(e.standard)
                .map_or("?", |s| s.name.as_str());
            let kind = g.grant.exclusivity.keyword();
            out.push(
                Diagnostic::new(
                    Code::E0318,
                    format!(
                        "{kind} grant `{}` licenses `{}`, which is committed to licensing on FRAND terms",
                        g.grant.id, a.name
                    ),
                    g.grant.header,
                )
                .with_label(format!("{kind} grant"))
                .with_secondary(e.span, format!("FRAND commitment for `{standard}`"))
                .with_note("a FRAND commitment promises a license to every implementer of the standard: an exclusive license shuts them out")
                .with_help(format!(
                    "make `{}` non-exclusive, or leave `{}` out of it",
                    g.grant.id, a.name
                )),
            );
        }
    }
}

/// W0425: `most favoured licensee` on an exclusive or sole grant, where no other
/// licensee of the same scope can exist to compare terms with.
pub fn most_favoured(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        let Some(span) = g.grant.most_favoured else {
            continue;
        };
        if !g.is_exclusive_kind() || span == crate::source::Span::default() {
            continue;
        }
        let kind = g.grant.exclusivity.keyword();
        out.push(
            Diagnostic::new(
                Code::W0425,
                format!(
                    "most-favoured-licensee terms on {kind} grant `{}` compare with no one",
                    g.grant.id
                ),
                span,
            )
            .with_label("most favoured licensee")
            .with_secondary(g.grant.header, format!("{kind} grant"))
            .with_note("the clause promises the licensee any better terms given to another licensee of the same scope; an exclusive license leaves no other")
            .with_help(format!(
                "drop `most favoured licensee`, or make `{}` non-exclusive",
                g.grant.id
            )),
        );
    }
}
