//! terms (issue 15, part 3): rules about obligations a license calls for. W0428: a
//! grant paying a running royalty whose licensee no audit clause covers; W0429: a
//! grant of know-how or trade secrets that no confidentiality clause covers.

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
