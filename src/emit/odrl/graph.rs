//! The graph: parties with their affiliates, assets and fields, and one Agreement per
//! grant (with the permissions the evaluator's windows allow) and one Set per
//! reservation.

use super::*;
use crate::emit::json::{AgreementOut, GrantOut, Policy, ReservationOut};
use crate::query::{Evaluator, Window, SELL_OFF_RIGHTS};
use std::collections::{BTreeMap, BTreeSet};

/// Memberships gathered while the policies are built: which collections each party
/// and asset is part of.
#[derive(Default)]
pub(super) struct Members {
    parties: BTreeMap<String, BTreeSet<String>>,
    assets: BTreeMap<String, BTreeSet<String>>,
    collections: Vec<CollectionNode>,
}

impl Members {
    /// The target of rules over a list of assets: the asset, or a collection of them.
    fn assets(&mut self, uid: String, title: String, assets: &[String]) -> String {
        match assets {
            [one] => asset_iri(one),
            _ => {
                for a in assets {
                    self.assets
                        .entry(a.clone())
                        .or_default()
                        .insert(uid.clone());
                }
                self.collections.push(CollectionNode {
                    uid: uid.clone(),
                    kind: "AssetCollection",
                    title,
                });
                uid
            }
        }
    }

    /// The assignee of a grant: the one party it reaches, or a collection of them.
    fn parties(&mut self, uid: String, title: String, parties: &[String]) -> String {
        match parties {
            [one] => party_iri(one),
            _ => {
                for p in parties {
                    self.parties
                        .entry(p.clone())
                        .or_default()
                        .insert(uid.clone());
                }
                self.collections.push(CollectionNode {
                    uid: uid.clone(),
                    kind: "PartyCollection",
                    title,
                });
                uid
            }
        }
    }
}

pub(super) fn document(policy: &Policy) -> Document {
    let evaluator = Evaluator::new(policy).ok();
    let mut members = Members::default();
    let mut policies = Vec::new();
    for (ai, a) in policy.agreements.iter().enumerate() {
        for (gi, g) in a.grants.iter().enumerate() {
            let node = grant(policy, evaluator.as_ref(), &mut members, (ai, a), (gi, g));
            // A grant that conveys nothing (W0409: no patent in force where and while
            // it runs) has no rule, and an ODRL policy needs at least one: it is left
            // out rather than exported as an empty Agreement.
            if node.permission.is_empty()
                && node.prohibition.is_empty()
                && node.obligation.is_empty()
            {
                continue;
            }
            policies.push(Node::Policy(Box::new(node)));
        }
        for (ri, r) in a.reservations.iter().enumerate() {
            policies.push(Node::Policy(Box::new(reservation(&mut members, a, ri, r))));
        }
    }
    let mut graph = policies;
    graph.extend(
        std::mem::take(&mut members.collections)
            .into_iter()
            .map(Node::Collection),
    );
    for p in &policy.parties {
        graph.push(Node::Party(PartyNode {
            uid: party_iri(&p.id),
            kind: "Party",
            legal_name: p.legal_name.clone(),
            name: p.id.clone(),
            affiliate_of: p.parent.as_deref().map(|x| id(party_iri(x))),
            part_of: members
                .parties
                .get(&p.id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        }));
    }
    for a in &policy.assets {
        graph.push(Node::Asset(AssetNode {
            uid: asset_iri(&a.id),
            kind: "Asset",
            name: a.id.clone(),
            asset_kind: id(asset_kind(&a.kind.to_string())),
            owners: a.owners.iter().map(|o| id(party_iri(o))).collect(),
            part_of: members
                .assets
                .get(&a.id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        }));
    }
    if !policy.fields.is_empty() {
        graph.push(Node::Scheme(SchemeNode {
            uid: FIELD_SCHEME,
            kind: "skos:ConceptScheme",
            title: "Fields of use",
        }));
    }
    for f in &policy.fields {
        graph.push(Node::Field(FieldNode {
            uid: field_iri(&f.id),
            kind: Types::Many(vec!["skos:Concept", "xlic:Field"]),
            notation: f.id.clone(),
            label: f.label.clone().unwrap_or_else(|| f.id.clone()),
            broader: f.parent.as_deref().map(|p| id(field_iri(p))),
            scheme: id(FIELD_SCHEME),
        }));
    }
    Document {
        context: (ODRL_CONTEXT, LocalContext { xlic: NAMESPACE }),
        graph,
    }
}

/// One permission per asset and period: the countries of the grant grouped by the
/// days on which it permits there.
pub(super) fn permissions(
    evaluator: Option<&Evaluator<'_>>,
    (ai, gi): (usize, usize),
    g: &GrantOut,
    duties: &[Duty],
) -> Vec<Rule> {
    let mut out = Vec::new();
    // outputs: the duties in full on the first rule, by reference on the others.
    let mut stated = false;
    let mut duty_items = || {
        let items = duties
            .iter()
            .map(|d| match (&d.uid, stated) {
                (Some(uid), true) => DutyItem::Ref(id(uid.clone())),
                _ => DutyItem::Full(d.clone()),
            })
            .collect::<Vec<_>>();
        stated = true;
        items
    };
    let sell_off: Vec<crate::vocab::Right> = g
        .rights
        .iter()
        .filter(|r| SELL_OFF_RIGHTS.contains(&r.keyword()))
        .copied()
        .collect();
    // pools (issue 15): where membership dates cut the grant's pieces, each licensee
    // gets its own rules (a rule-level assignee), over the days it is a member.
    let per_licensee = evaluator.is_some_and(|e| e.grant_cut_by_membership(ai, gi));
    let licensees: Vec<Option<&str>> = if per_licensee {
        g.reach().iter().map(|l| Some(l.as_str())).collect()
    } else {
        vec![None]
    };
    for (asset, licensee) in g
        .assets
        .iter()
        .flat_map(|a| licensees.iter().map(move |l| (a, *l)))
    {
        let mut term: BTreeMap<Window, Vec<&str>> = BTreeMap::new();
        let mut wind_down: BTreeMap<Window, Vec<&str>> = BTreeMap::new();
        for code in g.territory_codes() {
            let Some(w) = evaluator.and_then(|e| e.grant_windows(ai, gi, asset, code, licensee))
            else {
                continue;
            };
            if let Some(t) = w.term {
                term.entry(t).or_default().push(code);
            }
            if let Some(s) = w.sell_off {
                wind_down.entry(s).or_default().push(code);
            }
        }
        let rule = |(start, end): Window,
                    codes: &[&str],
                    rights: &[crate::vocab::Right],
                    sell: bool,
                    duty: Vec<DutyItem>| {
            let mut constraint = vec![purpose(&g.fields, "isAnyOf"), spatial(codes, "isAnyOf")];
            constraint.extend(period(start, end));
            Rule {
                target: asset_iri(asset),
                assignee: licensee.map(party_iri),
                action: actions(rights),
                constraint,
                duty,
                sell_off: sell.then_some(true),
            }
        };
        for (w, codes) in &term {
            out.push(rule(*w, codes, &g.rights, false, duty_items()));
        }
        if !sell_off.is_empty() {
            for (w, codes) in &wind_down {
                out.push(rule(*w, codes, &sell_off, true, duty_items()));
            }
        }
    }
    out
}

pub(super) fn grant(
    policy: &Policy,
    evaluator: Option<&Evaluator<'_>>,
    members: &mut Members,
    (ai, a): (usize, &AgreementOut),
    (gi, g): (usize, &GrantOut),
) -> PolicyNode {
    let uid = grant_iri(&a.id, &g.id);
    let target = members.assets(
        format!("{uid}:assets"),
        format!("assets licensed by {}", g.id),
        &g.assets,
    );
    let assignee = members.parties(
        format!("{uid}:licensees"),
        format!("parties licensed by {}", g.id),
        g.reach(),
    );
    let duties: Vec<Duty> = g
        .consideration
        .iter()
        .filter_map(|c| duty(c, &g.licensor))
        .enumerate()
        .map(|(k, mut d)| {
            d.uid = Some(format!("{uid}:payment:{}", k + 1));
            d
        })
        .collect();
    let mut permission = permissions(evaluator, (ai, gi), g, &duties);
    permission.extend(sublicense_permission(policy, g, &target));
    let mut prohibition = Vec::new();
    if !g.fields_excepted.is_empty() {
        prohibition.push(Rule {
            target: target.clone(),
            assignee: None,
            action: actions(&g.rights),
            constraint: vec![purpose(&g.fields_excepted, "isAnyOf")],
            duty: Vec::new(),
            sell_off: None,
        });
    }
    if !g.territories_excepted.is_empty() {
        prohibition.push(Rule {
            target: target.clone(),
            assignee: None,
            action: actions(&g.rights),
            constraint: vec![spatial(&g.territories_excepted.codes(), "isAnyOf")],
            duty: Vec::new(),
            sell_off: None,
        });
    }
    let mut obligation = Vec::new();
    if g.exclusivity != crate::vocab::ExclusivityKind::NonExclusive {
        let mut d = Duty::new(Action::Name("ensureExclusivity".to_string()));
        d.target = Some(target);
        d.assignee = Some(party_iri(&g.licensor));
        obligation.push(d);
    }
    let subject_to = g
        .subject_to
        .iter()
        .filter_map(|name| {
            a.reservations
                .iter()
                .enumerate()
                .find(|(_, r)| r.id.as_deref() == Some(name.as_str()))
                .map(|(i, r)| id(reservation_iri(&a.id, r, i)))
        })
        .collect();
    PolicyNode {
        uid,
        types: Types::One("Agreement"),
        profile: PROFILE,
        conflict: "prohibit",
        title: format!("{}: {}", a.title, g.id),
        agreement: a.id.clone(),
        clause: Some(g.id.clone()),
        source: source(&g.source),
        assigner: Some(party_iri(&g.licensor)),
        assignee: Some(assignee),
        exclusivity: Some(id(exclusivity(&g.exclusivity.to_string()))),
        subject_to,
        sublicense: Some(id(sublicense(&g.sublicense.to_string()))),
        transferable: Some(g.transferable),
        personal: Some(g.personal),
        until_expiry: Some(g.term.until_expiry),
        permission,
        prohibition,
        obligation,
    }
}

/// `grantUse`: the licensee may sublicense within its grant (its nominal scope), to
/// its affiliates only, with the licensor's consent, or freely. `None` when it may
/// not (`sublicense none`, or `affiliates` of licensees that have none).
pub(super) fn sublicense_permission(policy: &Policy, g: &GrantOut, target: &str) -> Option<Rule> {
    let mut constraint = vec![
        purpose(&g.fields, "isAnyOf"),
        spatial(&g.territory_codes(), "isAnyOf"),
    ];
    constraint.extend(period_out(g.term.start, g.term.end));
    let mut duty = Vec::new();
    match g.sublicense.to_string().as_str() {
        "affiliates" => {
            let affiliates: Vec<Operand> = policy
                .parties
                .iter()
                .filter(|p| {
                    p.parent
                        .as_deref()
                        .is_some_and(|x| g.licensees.iter().any(|l| l == x))
                })
                .map(|p| Operand::Id(id(party_iri(&p.id))))
                .collect();
            if affiliates.is_empty() {
                return None;
            }
            constraint.push(constraint_recipient(affiliates));
        }
        "with_consent" => {
            let mut d = Duty::new(Action::Name("obtainConsent".to_string()));
            d.consenting_party = Some(party_iri(&g.licensor));
            duty.push(DutyItem::Full(d));
        }
        "free" => {}
        _ => return None,
    }
    Some(Rule {
        target: target.to_string(),
        assignee: None,
        action: vec![Action::Name("grantUse".to_string())],
        constraint,
        duty,
        sell_off: None,
    })
}

pub(super) fn constraint_recipient(parties: Vec<Operand>) -> Constraint {
    constraint("recipient", "isAnyOf", Operand::Many(parties))
}

/// A reservation: a `Set` of prohibitions that bind everyone (`reserve A { … }`), or
/// of the permissions the holder keeps (`reserve A for P { … }`).
pub(super) fn reservation(
    members: &mut Members,
    a: &AgreementOut,
    index: usize,
    r: &ReservationOut,
) -> PolicyNode {
    let uid = reservation_iri(&a.id, r, index);
    let target = members.assets(
        format!("{uid}:assets"),
        format!(
            "assets reserved by {}",
            r.id.as_deref().unwrap_or("a reservation")
        ),
        &r.assets,
    );
    let mut constraint = Vec::new();
    if let Some(fields) = &r.fields {
        constraint.push(purpose(fields, "isAnyOf"));
    }
    constraint.push(spatial(&r.territories.codes(), "isAnyOf"));
    constraint.extend(period_out(r.term.start, r.term.end));
    let holder = r.holder.as_deref().map(party_iri);
    let rule = Rule {
        target,
        assignee: holder.clone(),
        action: actions(&r.rights),
        constraint,
        duty: Vec::new(),
        sell_off: None,
    };
    let (types, permission, prohibition) = match holder {
        Some(_) => (
            Types::Many(vec!["Set", "xlic:RetainedRights"]),
            vec![rule],
            Vec::new(),
        ),
        None => (
            Types::Many(vec!["Set", "xlic:Reservation"]),
            Vec::new(),
            vec![rule],
        ),
    };
    let title = match &r.id {
        Some(name) if !crate::policy::ids::is_derived(name) => {
            format!("{}: reservation {name}", a.title)
        }
        _ => format!("{}: reservation {}", a.title, index + 1),
    };
    PolicyNode {
        uid,
        types,
        profile: PROFILE,
        conflict: "prohibit",
        title,
        agreement: a.id.clone(),
        clause: r.id.clone(),
        source: source(&r.source),
        assigner: holder,
        assignee: None,
        exclusivity: None,
        subject_to: Vec::new(),
        sublicense: None,
        transferable: None,
        personal: None,
        until_expiry: None,
        permission,
        prohibition,
        obligation: Vec::new(),
    }
}
