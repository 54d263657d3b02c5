//! terms (issue 15, part 3): rules about obligations. W0428: a grant paying a running
//! royalty whose licensee no audit clause covers; W0429: a grant of know-how or trade
//! secrets that no confidentiality clause covers; E0221: cost or recovery shares that
//! do not add up to 100%; W0430: a committee with an even number of votes and no
//! casting vote.

use super::context::Ctx;
use super::patents::has_running_royalty;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ObligationEntry, ObligationValue, PartyId};
use crate::vocab::{ObligationKey, ObligationKind};

/// W0428: every licensee of a royalty-bearing grant is audited by someone: an `audit …
/// of L` clause of the agreement names the licensee or, for an affiliate, its party.
pub fn audits(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for a in &model.agreements {
        let audited: Vec<PartyId> = a
            .obligations
            .iter()
            .filter(|o| o.kind == ObligationKind::Audit)
            .filter_map(|o| o.parties.get(1).copied())
            .collect();
        for g in &a.grants {
            if !has_running_royalty(&g.consideration) {
                continue;
            }
            let missing: Vec<PartyId> = g
                .licensees
                .iter()
                .copied()
                .filter(|l| {
                    let parent = model.party(*l).and_then(|d| d.parent);
                    !audited.contains(l) && !parent.is_some_and(|p| audited.contains(&p))
                })
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            let names: Vec<String> = missing
                .iter()
                .map(|p| format!("`{}`", model.party_name(*p)))
                .collect();
            let who = if names.len() == 1 {
                "its licensee".to_string()
            } else {
                "its licensees".to_string()
            };
            out.push(
                Diagnostic::new(
                    Code::W0428,
                    format!(
                        "grant `{}` pays a running royalty but no audit clause covers {who} {}",
                        g.id,
                        names.join(", ")
                    ),
                    g.header,
                )
                .with_label("royalty without audit")
                .with_help(format!(
                    "add `audit {} of {} {{ every 1 year, notice 30 days }}` to the agreement",
                    model.party_name(g.licensor),
                    model.party_name(*first)
                )),
            );
        }
    }
}

/// W0429: a grant of know-how or trade secrets needs a confidentiality clause covering
/// them: by kind, by asset, or with no `covers` line (every confidential information).
pub fn confidentiality(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for a in &model.agreements {
        let clause = a
            .obligations
            .iter()
            .find(|o| o.kind == ObligationKind::Confidentiality);
        let covers = clause.map(|c| c.param(ObligationKey::Covers));
        for g in &a.grants {
            let uncovered: Vec<&str> = g
                .assets
                .iter()
                .filter_map(|id| model.asset(*id).map(|d| (*id, d)))
                .filter(|(_, d)| {
                    matches!(
                        d.kind,
                        crate::vocab::AssetKind::KnowHow | crate::vocab::AssetKind::TradeSecret
                    )
                })
                .filter(|(id, d)| match covers {
                    None => true,
                    Some(None) => false,
                    Some(Some(ObligationValue::Items(items))) => !items.iter().any(|e| {
                        *e == ObligationEntry::Asset(*id) || *e == ObligationEntry::Kind(d.kind)
                    }),
                    Some(Some(_)) => true,
                })
                .map(|(_, d)| d.name.as_str())
                .collect();
            let Some(first) = uncovered.first() else {
                continue;
            };
            let names: Vec<String> = uncovered.iter().map(|n| format!("`{n}`")).collect();
            let (message, help) = match clause {
                None => (
                    format!(
                        "grant `{}` licenses know-how or trade secrets ({}) but the agreement has no confidentiality clause",
                        g.id,
                        names.join(", ")
                    ),
                    "add `confidentiality { covers know-how, trade secret; survives 5 years }` to the agreement".to_string(),
                ),
                Some(_) => (
                    format!(
                        "grant `{}` licenses know-how or trade secrets ({}) that the confidentiality clause does not cover",
                        g.id,
                        names.join(", ")
                    ),
                    format!("add `{first}` (or its kind) to the `covers` line of the confidentiality clause"),
                ),
            };
            let mut d = Diagnostic::new(Code::W0429, message, g.header)
                .with_label("not kept confidential")
                .with_help(help);
            if let Some(c) = clause {
                d = d.with_secondary(c.header, "the confidentiality clause");
            }
            out.push(d);
        }
    }
}

/// E0221: the `costs` and `recoveries` of a prosecution or enforcement clause add up to
/// exactly 100%.
pub fn shares(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
    for a in &ctx.model.agreements {
        for o in &a.obligations {
            for p in &o.params {
                if !matches!(p.key, ObligationKey::Costs | ObligationKey::Recoveries) {
                    continue;
                }
                let ObligationValue::Shares(v) = &p.value else {
                    continue;
                };
                let total: rust_decimal::Decimal = v.iter().map(|(_, x)| *x).sum();
                if total == hundred {
                    continue;
                }
                let what = p.key.keyword();
                out.push(
                    Diagnostic::new(
                        Code::E0221,
                        format!(
                            "the `{what}` shares of `{}` add up to {}%, not 100%",
                            o.id,
                            total.normalize()
                        ),
                        p.span,
                    )
                    .with_label(format!("{}% in all", total.normalize()))
                    .with_help(format!(
                        "make the shares add up to 100%, e.g. `{what} {}`",
                        even_split(ctx, v)
                    )),
                );
            }
        }
    }
}

/// `acme 50%, globex 50%` for the parties of a share list, split as evenly as
/// whole percentages allow (the first parties take the remainder).
fn even_split(ctx: &Ctx<'_>, v: &[(PartyId, rust_decimal::Decimal)]) -> String {
    let n = v.len().max(1) as u32;
    let (each, rest) = (100 / n, 100 % n);
    let parts: Vec<String> = v
        .iter()
        .enumerate()
        .map(|(i, (p, _))| {
            let extra = u32::from((i as u32) < rest);
            format!("{} {}%", ctx.model.party_name(*p), each + extra)
        })
        .collect();
    parts.join(", ")
}

/// W0430: a committee whose members' votes can tie (an even total) and that names no
/// casting vote can deadlock.
pub fn committees(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for o in a
            .obligations
            .iter()
            .filter(|o| o.kind == ObligationKind::Committee)
        {
            let Some(ObligationValue::Shares(members)) = o.param(ObligationKey::Members) else {
                continue;
            };
            let total: rust_decimal::Decimal = members.iter().map(|(_, x)| *x).sum();
            let even = total % rust_decimal::Decimal::TWO == rust_decimal::Decimal::ZERO;
            if !even || o.param(ObligationKey::CastingVote).is_some() {
                continue;
            }
            let first = members
                .first()
                .map_or("acme", |(p, _)| ctx.model.party_name(*p));
            out.push(
                Diagnostic::new(
                    Code::W0430,
                    format!(
                        "committee `{}` has {} votes and no casting vote: a tie deadlocks it",
                        o.title.as_deref().unwrap_or("?"),
                        total.normalize()
                    ),
                    o.header,
                )
                .with_label("can deadlock")
                .with_help(format!(
                    "add `casting vote {first}` (or a line that names who breaks a tie), or give the committee an odd number of members"
                )),
            );
        }
    }
}
