//! Who may terminate: a termination trigger that names a party outside the license
//! (E0317), and a party that may terminate on its own breach, insolvency or change of
//! control (W0423).

use super::context::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{GrantModel, PartyId};

/// Whether `p` is the licensor or a licensee of `g`, or an affiliate of one.
fn in_license(ctx: &Ctx<'_>, g: &GrantModel, p: PartyId) -> bool {
    std::iter::once(g.licensor)
        .chain(g.licensees.iter().copied())
        .any(|q| p == q || ctx.is_affiliate_of(p, q))
}

/// E0317 and W0423 over every sunset's termination triggers.
pub fn who_may_terminate(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for s in &a.sunsets {
            let Some(g) = s.grant.and_then(|i| a.grants.get(i)) else {
                continue;
            };
            let parties = {
                let mut v = vec![ctx.party(g.licensor)];
                v.extend(g.licensees.iter().map(|p| ctx.party(*p)));
                v
            };
            for t in &s.terminations {
                let named = [
                    (t.by, t.by_span, " may terminate", "`by`"),
                    (t.of, t.of_span, "'s event may terminate", "`of`"),
                ];
                for (p, span, role, word) in named {
                    let (Some(p), Some(span)) = (p, span) else {
                        continue;
                    };
                    if in_license(ctx, g, p) {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            Code::E0317,
                            format!(
                                "{}{role} `{}` (on `{}`), but is not a party to that license",
                                ctx.party(p),
                                s.grant_name,
                                t.event
                            ),
                            span,
                        )
                        .with_label("not the licensor or a licensee")
                        .with_secondary(
                            g.header,
                            format!("the license is between {}", parties.join(" and ")),
                        )
                        .with_help(format!(
                            "name {} after {word}, or leave {word} out",
                            parties.join(" or ")
                        )),
                    );
                }
                let (Some(by), Some(of), Some(span)) = (t.by, t.of, t.by_span) else {
                    continue;
                };
                if by != of || t.event == "convenience" {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Code::W0423,
                    format!(
                        "{} may terminate `{}` on its own {}",
                        ctx.party(by),
                        s.grant_name,
                        t.event
                    ),
                    span,
                )
                .with_label("the party that may terminate")
                .with_help(format!(
                    "a termination right is the other party's remedy: name the other party after `by`, or write `convenience by {}` for a right to walk away",
                    ctx.model.party_name(by)
                ));
                if let Some(o) = t.of_span {
                    d = d.with_secondary(o, "is also the party whose event counts");
                }
                out.push(d);
            }
        }
    }
}
