//! Rules about who a clause names: a reservation kept for someone who does not own the
//! asset (E0310), an exclusive license to several licensees at once (E0311), a party
//! licensing itself (W0414), improvement rules between parties with no license of the
//! base asset or handing the base owner what it already owns (W0412, W0413), a right
//! to sublicense to affiliates that do not exist (W0416), and a survival clause naming
//! an obligation the agreement does not contain (W0417).

use super::context::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::LICENSE_SURVIVES;
use crate::model::{ConsiderationModel, PartyId};
use crate::vocab::{ExclusivityKind, FlowDirection, ImprovementOwner, Sublicense};

/// Whether `p` is `owner` or one of its affiliates.
fn of_group(ctx: &Ctx<'_>, p: PartyId, owner: PartyId) -> bool {
    p == owner || ctx.is_affiliate_of(p, owner)
}

/// E0310: `reserve A for P` records rights an owner keeps; P must own every asset
/// reserved or be an affiliate of an owner.
pub fn reservation_holders(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for r in &a.reservations {
            let Some(holder) = r.holder else { continue };
            for asset in &r.assets {
                let Some(decl) = ctx.model.asset(*asset) else {
                    continue;
                };
                if decl.owners.is_empty() || decl.owners.iter().any(|o| of_group(ctx, holder, *o)) {
                    continue;
                }
                let owners: Vec<String> = decl.owners.iter().map(|o| ctx.party(*o)).collect();
                let what = match &r.name {
                    Some(n) => format!("reservation `{n}`"),
                    None => "the reservation".to_string(),
                };
                out.push(
                    Diagnostic::new(
                        Code::E0310,
                        format!(
                            "{what} keeps rights in `{}` for {}, which neither owns it nor is an affiliate of its owner {}",
                            decl.name,
                            ctx.party(holder),
                            owners.join(" and ")
                        ),
                        r.header,
                    )
                    .with_label("not the owner")
                    .with_secondary(decl.span, "the asset")
                    .with_help(format!(
                        "`reserve … for` records rights an owner keeps for itself: name {} (or an affiliate of it), or license {} with a grant",
                        owners.join(" or "),
                        ctx.party(holder)
                    )),
                );
            }
        }
    }
}

/// E0311 (an exclusive or sole license to several licensees at once: to every pool
/// member) and W0414 (a party licensing itself).
pub fn licensees(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        let gm = g.grant;
        if gm.exclusivity != ExclusivityKind::NonExclusive && gm.licensees.len() > 1 {
            let who = if gm.to_members {
                format!(
                    "every pool member ({})",
                    ctx.licensees(g)
                        .trim_start_matches("the pool members (")
                        .trim_end_matches(')')
                )
            } else {
                ctx.licensees(g)
            };
            out.push(
                Diagnostic::new(
                    Code::E0311,
                    format!(
                        "{} grant `{}` goes to {who}: an exclusive or sole license leaves out every other licensee, so it can go to one licensee only",
                        gm.exclusivity.keyword(),
                        gm.id
                    ),
                    g.grant.header,
                )
                .with_label(format!("{} to several licensees", gm.exclusivity.keyword()))
                .with_help("make it `non-exclusive` (pool licenses are), or grant exclusively to one member"),
            );
        }
        if gm.licensees.contains(&gm.licensor) {
            out.push(
                Diagnostic::new(
                    Code::W0414,
                    format!("grant `{}` licenses {} to itself", gm.id, ctx.party(gm.licensor)),
                    g.grant.header,
                )
                .with_label("licensor and licensee are the same party")
                .with_note("a party needs no license of its own rights; a self-license conveys nothing and does not count as a grant in return")
                .with_help("name the other party as licensee, or remove the grant"),
            );
        }
    }
}

/// W0412 (an improvement rule between parties that hold no license of the base asset)
/// and W0413 (a grant-back to the base owner of improvements it already owns).
pub fn improvement_parties(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (ai, a) in ctx.model.agreements.iter().enumerate() {
        for imp in &a.improvements {
            let base: Vec<String> = imp
                .assets
                .iter()
                .map(|x| format!("`{}`", ctx.model.asset_name(*x)))
                .collect();
            for rule in &imp.rules {
                // The license the rule is tied to: a grant-back flows from licensee to
                // licensor of the base license, a license-forward the other way.
                let (licensor, licensee) = match rule.direction {
                    FlowDirection::GrantBack => (rule.to, rule.from),
                    FlowDirection::LicenseForward => (rule.from, rule.to),
                };
                let tied = ctx.grants_by(ai, licensor).any(|g| {
                    g.reaches(licensee)
                        && g.grant.assets.iter().any(|x| {
                            imp.assets.contains(x)
                                || ctx.ledger.subjects_of(*x).iter().any(|s| {
                                    imp.assets
                                        .iter()
                                        .any(|b| ctx.ledger.subjects_of(*b).contains(s))
                                })
                        })
                });
                let word = match rule.direction {
                    FlowDirection::GrantBack => "grant-back",
                    FlowDirection::LicenseForward => "license-forward",
                };
                if !tied {
                    out.push(
                        Diagnostic::new(
                            Code::W0412,
                            format!(
                                "{word} {} -> {} on {}: {} holds no license of the base {} from {}",
                                ctx.party(rule.from),
                                ctx.party(rule.to),
                                base.join(", "),
                                ctx.party(licensee),
                                if base.len() == 1 { "asset" } else { "assets" },
                                ctx.party(licensor)
                            ),
                            rule.header,
                        )
                        .with_label(format!("{word} without a base license"))
                        .with_secondary(imp.header, "the improvements clause")
                        .with_note("improvement rules belong to a license of the base asset: a grant-back flows from its licensee to its licensor, a license-forward from its licensor to its licensee")
                        .with_help(format!(
                            "check the direction of the rule, or grant {} a license of the base asset",
                            ctx.party(licensee)
                        )),
                    );
                }
                if rule.direction == FlowDirection::GrantBack
                    && imp.owner == Some(ImprovementOwner::BaseOwner)
                    && imp.assets.iter().all(|x| {
                        ctx.model
                            .asset(*x)
                            .is_some_and(|d| d.owners.iter().any(|o| of_group(ctx, rule.to, *o)))
                    })
                {
                    let mut d = Diagnostic::new(
                        Code::W0413,
                        format!(
                            "grant-back {} -> {} on {} licenses improvements {} already owns (`owner base owner`)",
                            ctx.party(rule.from),
                            ctx.party(rule.to),
                            base.join(", "),
                            ctx.party(rule.to)
                        ),
                        rule.header,
                    )
                    .with_label("licenses the owner its own improvements");
                    if let Some(span) = imp.owner_span {
                        d = d.with_secondary(span, "improvements belong to the base owner");
                    }
                    out.push(d.with_help(
                        "remove the grant-back, or make the improver the owner (`owner improver`) if the licensee is to keep them and license them back",
                    ));
                }
            }
        }
    }
}

/// W0416: `sublicense affiliates` for a licensee that has no affiliates (neither named
/// nor by control).
pub fn sublicense_affiliates(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        if g.grant.sublicense != Sublicense::Affiliates {
            continue;
        }
        let without: Vec<PartyId> = g
            .grant
            .licensees
            .iter()
            .copied()
            // terms (issue 15): a party with affiliates by control has affiliates.
            .filter(|l| {
                ctx.model
                    .party(*l)
                    .is_some_and(|p| p.affiliates.is_empty() && p.control.is_none())
            })
            .collect();
        if without.is_empty() {
            continue;
        }
        let names: Vec<String> = without.iter().map(|p| ctx.party(*p)).collect();
        out.push(
            Diagnostic::new(
                Code::W0416,
                format!(
                    "grant `{}` lets {} sublicense to affiliates, but {} no affiliate",
                    g.grant.id,
                    names.join(" and "),
                    if names.len() == 1 { "it declares" } else { "they declare" }
                ),
                g.grant.header,
            )
            .with_label("`sublicense affiliates`")
            .with_help("declare the affiliates in the party (`affiliate ID \"Legal Name\"`), or choose another sublicensing right (`none`, `with consent`, `free`)"),
        );
    }
}

/// W0417: a sunset clause says an obligation survives that the agreement does not
/// contain (the words the compiler knows: improvements, grant-backs, royalties and
/// payments; other words are provisions outside the model).
pub fn survivals(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for s in &a.sunsets {
            let grant = s.grant.and_then(|i| a.grants.get(i));
            for word in &s.survives {
                let w = word.to_ascii_lowercase();
                if LICENSE_SURVIVES.contains(&w.as_str()) {
                    continue;
                }
                let missing = match w.as_str() {
                    "improvements" | "improvement" => a
                        .improvements
                        .is_empty()
                        .then_some("no improvements clause"),
                    "grant-backs" | "grant-back" | "grantbacks" | "grantback" => a
                        .improvements
                        .iter()
                        .all(|i| {
                            i.rules
                                .iter()
                                .all(|r| r.direction != FlowDirection::GrantBack)
                        })
                        .then_some("no grant-back"),
                    "royalties" | "royalty" | "payments" | "payment" => grant
                        .is_some_and(|g| {
                            g.consideration
                                .iter()
                                .all(|c| matches!(c, ConsiderationModel::RoyaltyFree))
                        })
                        .then_some("no payment under this grant"),
                    _ => None,
                };
                let Some(missing) = missing else { continue };
                out.push(
                    Diagnostic::new(
                        Code::W0417,
                        format!(
                            "the sunset of `{}` says `{word}` survives, but the agreement has {missing}",
                            s.grant_name
                        ),
                        s.header,
                    )
                    .with_label("survives nothing")
                    .with_help(format!("remove `{word}` from `survives`, or add the clause it refers to")),
                );
            }
        }
    }
}
