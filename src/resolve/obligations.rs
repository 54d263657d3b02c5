//! terms (issue 15, part 3): lowering the agreement's defined terms (`define`) and its
//! obligation and governance clauses (`audit`, `confidentiality`, `disputes`,
//! `liability`, `warranty`, `provision`): parties bound, values checked through
//! [`super::values`], one clause per kind where the kind may appear once (E0220).

use super::{values, Ctx};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    AgreementModel, DefinitionModel, ObligationEntry, ObligationModel, ObligationParam,
    ObligationValue, PartyId,
};
use crate::syntax::ast::{
    Agreement, Item, Obligation, ObligationItem, ObligationKey, ObligationKind, ObligationLit,
};
use crate::vocab::AssetKind;

/// Who may receive confidential information besides the parties and their affiliates:
/// the words `disclose to` knows when no party has the name.
pub const DISCLOSEES: &[&str] = &[
    "acquirers",
    "advisors",
    "auditors",
    "contractors",
    "employees",
    "investors",
    "lenders",
    "sublicensees",
];

/// The `define` lines of the agreement block, in source order.
pub(super) fn definitions(block: &Agreement) -> Vec<DefinitionModel> {
    block
        .definitions
        .iter()
        .map(|d| DefinitionModel {
            name: d.name.name.to_string(),
            text: d.text.value.clone(),
            span: d.span,
        })
        .collect()
}

/// Lowers every obligation clause of the file into the agreement, in source order, and
/// adds the parties they name to the agreement's parties.
pub(super) fn lower<'a>(
    ctx: &Ctx<'_>,
    items: impl Iterator<Item = &'a Item>,
    a: &mut AgreementModel,
    diags: &mut Vec<Diagnostic>,
) {
    let mut provisions = 0usize;
    for item in items {
        let Item::Obligation(o) = item else {
            continue;
        };
        let kind = o.kind.node;
        let parties: Vec<PartyId> = o
            .parties
            .iter()
            .filter_map(|p| ctx.scope.party(p, diags))
            .collect();
        let id = match kind {
            ObligationKind::Provision => {
                provisions += 1;
                format!("provision_{provisions}")
            }
            ObligationKind::Audit => {
                let names: Vec<&str> = o.parties.iter().map(|p| p.name.as_str()).collect();
                format!("audit_{}", names.join("_"))
            }
            ObligationKind::Insurance | ObligationKind::NonCompete => {
                let names: Vec<&str> = o.parties.iter().map(|p| p.name.as_str()).collect();
                format!("{}_{}", kind.keyword().replace('-', "_"), names.join("_"))
            }
            ObligationKind::NonSolicit => "non_solicit".to_string(),
            ObligationKind::Prosecution
            | ObligationKind::Enforcement
            | ObligationKind::Escrow
            | ObligationKind::Committee => {
                let name = o.subject.as_ref().map_or("", |s| s.name.as_str());
                format!("{}_{name}", kind.keyword())
            }
            other => other.keyword().to_string(),
        };
        let asset = match (kind, &o.subject) {
            (
                ObligationKind::Prosecution | ObligationKind::Enforcement | ObligationKind::Escrow,
                Some(s),
            ) => ctx.scope.asset(s, diags),
            _ => None,
        };
        if let Some(first) = a.obligations.iter().find(|x| x.id == id) {
            let what = kind.keyword();
            let (message, help) = if kind == ObligationKind::Audit {
                (
                    format!("a second `{what}` clause for the same auditor and audited party"),
                    "merge the two audit clauses into one".to_string(),
                )
            } else if let Some(s) = &o.subject {
                (
                    format!("a second `{what}` clause for `{}`", s.name),
                    format!("merge the two `{what} {}` clauses into one", s.name),
                )
            } else {
                (
                    format!("a second `{what}` clause in this agreement"),
                    format!("merge the two `{what}` clauses into one; an agreement has one"),
                )
            };
            diags.push(
                Diagnostic::new(Code::E0220, message, o.header)
                    .with_label("stated again here")
                    .with_secondary(first.header, "first stated here")
                    .with_help(help),
            );
            continue;
        }
        let params = o
            .attrs
            .iter()
            .filter_map(|attr| {
                let value = value(ctx, attr.key, &attr.value, diags)?;
                Some(ObligationParam {
                    key: attr.key,
                    value,
                    span: attr.span,
                })
            })
            .collect();
        a.parties.extend(parties.iter().copied());
        a.obligations.push(ObligationModel {
            id,
            kind,
            parties,
            title: match kind {
                ObligationKind::Committee => o.subject.as_ref().map(|s| s.name.to_string()),
                _ => o.title.as_ref().map(|t| t.value.clone()),
            },
            asset,
            params,
            header: o.header,
            span: o.span,
        });
    }
    a.parties.sort();
    a.parties.dedup();
}

/// The header span of the first obligation clause of a file without an agreement.
pub(super) fn orphan(o: &Obligation) -> (&'static str, crate::source::Span) {
    let what = match o.kind.node {
        ObligationKind::Audit => "audit clause",
        ObligationKind::Confidentiality => "confidentiality clause",
        ObligationKind::Disputes => "disputes clause",
        ObligationKind::Liability => "liability clause",
        ObligationKind::Provision => "provision",
        ObligationKind::Warranty => "warranty clause",
        ObligationKind::Prosecution => "prosecution clause",
        ObligationKind::Enforcement => "enforcement clause",
        ObligationKind::Committee => "committee",
        ObligationKind::Insurance => "insurance clause",
        ObligationKind::Escrow => "escrow clause",
        ObligationKind::NonCompete => "non-compete clause",
        ObligationKind::NonSolicit => "non-solicit clause",
        ObligationKind::Beneficiaries => "beneficiaries clause",
    };
    (what, o.header)
}

fn value(
    ctx: &Ctx<'_>,
    key: ObligationKey,
    lit: &ObligationLit,
    diags: &mut Vec<Diagnostic>,
) -> Option<ObligationValue> {
    Some(match lit {
        ObligationLit::Flag => ObligationValue::Flag,
        ObligationLit::Duration(d) => ObligationValue::Duration(values::duration(d, diags)?),
        ObligationLit::Percent(p) => ObligationValue::Percent(values::percent(p, diags)?),
        ObligationLit::Money(m) => ObligationValue::Money(values::money(m, diags)?),
        ObligationLit::Text(t) => ObligationValue::Text(t.value.clone()),
        ObligationLit::Shares(shares) => ObligationValue::Shares(
            shares
                .iter()
                .filter_map(|s| {
                    let party = ctx.scope.party(&s.party, diags);
                    let value = match (&s.percent, &s.count) {
                        (Some(p), _) => values::percent(p, diags),
                        (None, Some(n)) => n.value,
                        (None, None) => None,
                    };
                    Some((party?, value?))
                })
                .collect(),
        ),
        ObligationLit::Items(items) => ObligationValue::Items(
            items
                .iter()
                .filter_map(|item| entry(ctx, key, item, diags))
                .collect(),
        ),
    })
}

/// One list entry: what `covers` names are assets (or kinds of asset), what
/// `disclose to` names are parties (or the recipients it knows), and what `uncapped`
/// names are words.
fn entry(
    ctx: &Ctx<'_>,
    key: ObligationKey,
    item: &ObligationItem,
    diags: &mut Vec<Diagnostic>,
) -> Option<ObligationEntry> {
    let kind_of = |w: &str| match w {
        "know-how" => Some(AssetKind::KnowHow),
        "trade secret" => Some(AssetKind::TradeSecret),
        "software" => Some(AssetKind::Software),
        "data" => Some(AssetKind::Data),
        _ => None,
    };
    Some(match (key, item) {
        (_, ObligationItem::Text(t)) => ObligationEntry::Word(t.value.clone()),
        (ObligationKey::Covers, ObligationItem::Word(w)) => match kind_of(w.node) {
            Some(k) => ObligationEntry::Kind(k),
            None => ObligationEntry::Word(w.node.to_string()),
        },
        (ObligationKey::Covers, ObligationItem::Name(n)) => {
            ObligationEntry::Asset(ctx.scope.asset(n, diags)?)
        }
        (
            ObligationKey::ControlledBy
            | ObligationKey::StepIn
            | ObligationKey::FirstRight
            | ObligationKey::CastingVote
            | ObligationKey::Beneficiaries,
            ObligationItem::Name(n),
        ) => ObligationEntry::Party(ctx.scope.party(n, diags)?),
        (ObligationKey::DiscloseTo, ObligationItem::Name(n)) => {
            if ctx.scope.parties.get(&n.name).is_none() && DISCLOSEES.contains(&n.name.as_str()) {
                ObligationEntry::Word(n.name.to_string())
            } else {
                ObligationEntry::Party(ctx.scope.party(n, diags)?)
            }
        }
        (_, ObligationItem::Word(w)) => ObligationEntry::Word(w.node.to_string()),
        (_, ObligationItem::Name(n)) => ObligationEntry::Word(n.name.to_string()),
    })
}
