//! Article 2 in a pool: the licenses every member grants to the other members on the
//! same terms, stated once (issue 18).
//!
//! In a `kind pool` agreement, grants `-> members` that agree in everything but their
//! licensor, assets, fields, term and consideration form a group. The group is one
//! clause: a sentence with the terms they share, stated once for every member, and one
//! lettered paragraph per grant (its clause id, its number `2.1(a)`) with what is its
//! own: the licensor and its licensees, the licensed assets, and the fields, term and
//! consideration where the grants of the group differ in them. A grant with terms of
//! its own (a defined name, `subject to`, diligence milestones) keeps a clause of its
//! own, as does a group of one.

use super::facts::GrantFacts;
use super::grants::{consideration_parts, license_adjectives, sublicense_words};
use super::improvements::FlowNames;
use super::term::SunsetItem;
use super::*;
use crate::emit::prose::doc::*;
use crate::model::GrantModel;
use crate::text::*;
use crate::vocab::AgreementKind;
use crate::vocab::ImprovementOwner;
use std::collections::BTreeSet;

/// A group of grants stated in one clause.
#[derive(Debug, Clone, Default)]
pub(super) struct PoolGroup {
    /// The clause's id: `members`, or `members (2)` for the second group of a pool.
    pub id: String,
    pub slot: Slot,
    /// Indexes of its grants, in source order.
    pub grants: Vec<usize>,
}

/// What the grants of a group share: everything their shared sentence states except
/// the fields, term and consideration (which it states when they happen to agree).
/// `None`: the grant is stated in a clause of its own.
fn shared_key(g: &GrantModel) -> Option<String> {
    let own_terms = g.label.is_some()
        || !g.subject_to.is_empty()
        || !g.subject_to_grants.is_empty()
        || !g.diligence.is_empty()
        || !g.converts.is_empty()
        || g.covenant
        || g.release.is_some();
    if !g.to_members || own_terms {
        return None;
    }
    Some(format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{}|{:?}|{}",
        g.rights,
        g.territory,
        g.exclusivity,
        g.transfer,
        g.sublicense,
        g.purposes,
        g.to_affiliates,
        g.standard,
        g.most_favoured.is_some(),
        g.most_favoured_scope
            .as_deref()
            .map(|m| (&m.fields, m.territory)),
        is_royalty_free(&g.consideration),
    ))
}

/// The groups of grants of agreement `a` stated once (two grants or more each), in the
/// order of their first grant.
pub(super) fn pool_groups(a: &crate::model::AgreementModel) -> Vec<Vec<usize>> {
    if a.kind != AgreementKind::Pool {
        return Vec::new();
    }
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, g) in a.grants.iter().enumerate() {
        let Some(key) = shared_key(g) else { continue };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, members)| members)
        .filter(|m| m.len() > 1)
        .collect()
}

/// One grant's values the shared sentence may or may not state.
struct Own {
    fields: String,
    term: String,
    consideration: String,
}

/// The value the shared sentence states: the one most grants of the group have (the
/// first of them on a tie), when every grant or at least two have it; `None` when each
/// grant has its own.
fn shared<'v>(values: &[&'v str]) -> Option<&'v str> {
    let mut best: Option<(&str, usize)> = None;
    for v in values {
        let n = values.iter().filter(|x| *x == v).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((v, n));
        }
    }
    best.filter(|(_, n)| *n > 1 || values.len() == 1)
        .map(|(v, _)| v)
}

/// A term of the shared sentence: the shared value, with a pointer to the paragraphs
/// that state another one; or the pointer alone.
fn shared_words(shared: Option<&str>, values: &[&str], what: &str) -> String {
    match shared {
        Some(v) if values.iter().all(|x| *x == v) => v.to_string(),
        Some(v) => format!(
            "{v} (or such other {} as its paragraph states)",
            other(what)
        ),
        None => format!("{what} stated in its paragraph"),
    }
}

/// "in the Fields of Use" → "Fields of Use".
fn other(what: &str) -> &str {
    ["in the ", "for the ", "the "]
        .iter()
        .find_map(|p| what.strip_prefix(p))
        .unwrap_or(what)
}

/// A grant's own value in its paragraph: nothing when it is the shared one.
fn own_words(shared: Option<&str>, value: &str, what: &str) -> Option<String> {
    match shared {
        Some(v) if v == value => None,
        Some(_) => Some(format!("{what}, in place of the above: {value}")),
        None => Some(format!("{what}: {value}")),
    }
}

impl Builder<'_, '_> {
    fn own_terms(&mut self, g: &GrantModel, f: &GrantFacts) -> Own {
        Own {
            fields: field_phrase(&self.model.fields, &g.fields),
            term: self.grant_term_text(g, f),
            consideration: enumerate_items(&consideration_parts(g)),
        }
    }

    /// The clause of pool group `k`: the shared sentence, and a paragraph per grant.
    pub(super) fn pool_clause(&mut self, k: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let group = self.pool_groups.get(k).cloned().unwrap_or_default();
        let grants: Vec<(usize, &GrantModel)> = group
            .grants
            .iter()
            .filter_map(|&i| a.grants.get(i).map(|g| (i, g)))
            .collect();
        let Some(&(_, first)) = grants.first() else {
            return empty_clause(group.slot);
        };
        let facts: Vec<GrantFacts> = grants.iter().map(|(i, g)| self.facts_of(*i, g)).collect();
        let own: Vec<Own> = grants
            .iter()
            .zip(&facts)
            .map(|((_, g), f)| self.own_terms(g, f))
            .collect();
        let fields: Vec<&str> = own.iter().map(|o| o.fields.as_str()).collect();
        let terms: Vec<&str> = own.iter().map(|o| o.term.as_str()).collect();
        let pays: Vec<&str> = own.iter().map(|o| o.consideration.as_str()).collect();
        let (same_fields, same_term, same_pay) = (shared(&fields), shared(&terms), shared(&pays));

        // The shared sentence.
        let (article, adj) = license_adjectives(first);
        let mut t = Text::new();
        t.push("Each Member named in a paragraph below (for that paragraph, the \"");
        t.term("Licensor");
        t.push(format!(
            "\") hereby grants to each of the other Members{} {} {adj} license under the licensed assets stated in its paragraph to {} licensed products ",
            if first.to_affiliates {
                " and to their respective Affiliates"
            } else {
                ""
            },
            article_for(&article),
            rights_phrase(first.rights),
        ));
        t.push(shared_words(same_fields, &fields, "in the Fields of Use"));
        t.push(format!("{}, ", purposes_suffix(first.purposes)));
        let territory = self.territory_text(first.territory);
        t.append(territory);
        t.push(format!(
            ", {}",
            shared_words(same_term, &terms, "for the term")
        ));
        t.push(sublicense_words(first, "its own", "the Licensor"));
        if !is_royalty_free(&first.consideration) {
            t.push(format!(
                "; in consideration of which each licensee shall pay to the Licensor {}",
                shared_words(same_pay, &pays, "the consideration")
            ));
        }
        t.push(".");
        let mut blocks = vec![Block::Para(t)];
        blocks.extend(self.standard_paras(first));

        // A paragraph per grant: what is its own.
        let mut subs = Vec::new();
        for (((i, g), f), o) in grants.iter().zip(&facts).zip(&own) {
            let slot = self.grant_clause.get(*i).cloned().unwrap_or_default();
            let licensees: Vec<String> = g.licensees.iter().map(|p| self.short(*p)).collect();
            let mut p = Text::new();
            p.push(format!(
                "Licensor: {}; licensees: {}{}; licensed assets: {} (",
                party_intro(model, g.licensor),
                join_list(&licensees),
                match (g.to_affiliates, licensees.len()) {
                    (false, _) => "",
                    (true, 1) => " and its Affiliates",
                    (true, _) => " and their respective Affiliates",
                },
                self.assets_phrase(&g.assets),
            ));
            self.asset_refs(&mut p, &g.assets);
            p.push(")");
            let differs = [
                own_words(same_fields, &o.fields, "Fields of Use"),
                own_words(same_term, &o.term, "term"),
                if is_royalty_free(&g.consideration) {
                    None
                } else {
                    own_words(same_pay, &o.consideration, "consideration")
                },
            ];
            for d in differs.into_iter().flatten() {
                p.push(format!("; {d}"));
            }
            p.push(".");
            self.record_grant(g, f, &slot.number);
            let mut own_blocks = vec![Block::Para(p)];
            for note in &g.notes {
                own_blocks.push(Block::Para(Text::plain(note.clone())));
            }
            subs.push(Clause {
                number: slot.number,
                id: g.id.clone(),
                anchor: slot.anchor,
                location: self.location(g.span),
                spans: vec![g.span],
                blocks: own_blocks,
                subs: Vec::new(),
            });
        }
        Clause {
            number: group.slot.number,
            id: group.id,
            anchor: group.slot.anchor,
            location: self.location(first.span),
            // Each grant's span is its paragraph's, so that what is reported in a grant
            // is shown at its paragraph (the innermost clause), not at the shared one.
            spans: Vec::new(),
            blocks,
            subs,
        }
    }
}

// ------------------------------------------------------------------ sunsets

/// The order of a sunset clause's paragraphs, by heading.
const SUNSET_ORDER: [&str; 5] = [
    "Renewal.",
    "Renegotiation.",
    "Wind-down.",
    "Termination.",
    "Survival.",
];

/// How many paragraphs of `b` say word for word what one of `a` says.
fn same_items(a: &[SunsetItem], b: &[SunsetItem]) -> usize {
    b.iter().filter(|x| a.contains(x)).count()
}

/// The sunset clauses of a pool stated once (issue 18): among the sunsets of grants
/// `-> members` (`items`: their paragraphs, `None` for any other sunset), each joins
/// the first group whose first sunset says at least half of what the longer of the
/// two says word for word; groups of two or more, in the order of their first sunset.
pub(super) fn sunset_groups(items: &[Option<Vec<SunsetItem>>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (k, mine) in items.iter().enumerate() {
        let Some(mine) = mine.as_ref().filter(|m| !m.is_empty()) else {
            continue;
        };
        let joins = groups.iter_mut().find(|grp| {
            let first = grp
                .first()
                .and_then(|&f| items.get(f))
                .and_then(Option::as_ref);
            first.is_some_and(|first| {
                let shared = same_items(first, mine);
                shared > 0 && shared * 2 >= first.len().max(mine.len())
            })
        });
        match joins {
            Some(grp) => grp.push(k),
            None => groups.push(vec![k]),
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// "Clause 2.1(a)" or "Clauses 2.1(a) and 2.2", each number a link.
fn clause_refs(t: &mut Text, slots: &[Slot]) {
    t.push(if slots.len() > 1 {
        "Clauses "
    } else {
        "Clause "
    });
    for (k, s) in slots.iter().enumerate() {
        if k > 0 {
            t.push(if k + 1 == slots.len() { " and " } else { ", " });
        }
        t.link(s.number.clone(), s.anchor.clone());
    }
}

/// "the license of Clause 2.2" or "the licenses of Clauses 2.1(e) and 2.2".
fn licenses_of(t: &mut Text, slots: &[Slot]) {
    t.push(if slots.len() > 1 {
        "the licenses of "
    } else {
        "the license of "
    });
    clause_refs(t, slots);
}

impl Builder<'_, '_> {
    /// The one clause of the sunsets `members` of a pool (indexes into the agreement's
    /// sunsets, with their paragraphs): the licenses it applies to, by licensor; each
    /// paragraph once, stated as most of them say it, with the licenses that say
    /// otherwise (in place of it) or nothing of the kind (it does not apply to them).
    pub(super) fn pool_sunset_clause(
        &mut self,
        members: &[(usize, Vec<SunsetItem>)],
        number: String,
        id: String,
    ) -> Clause {
        let a = self.a;
        let anchor = self.anchor(&id);
        let mut spans = Vec::new();
        // (grant, its clause's slot, its paragraphs), in the order of the sunsets.
        let mut licenses: Vec<(&GrantModel, Slot, &[SunsetItem])> = Vec::new();
        for (k, items) in members {
            let Some(s) = a.sunsets.get(*k) else { continue };
            spans.push(s.span);
            let Some((gi, g)) = s.grant.and_then(|i| a.grants.get(i).map(|g| (i, g))) else {
                continue;
            };
            if let Some(d) = s.wind_down {
                // The statement of each license's wind-down is this clause's.
                let facts = self.facts_of(gi, g);
                if !facts.sell_off.is_empty() {
                    self.record_wind_down(g, &facts, d, id.clone(), &number);
                }
            }
            let slot = self.grant_clause.get(gi).cloned().unwrap_or_default();
            licenses.push((g, slot, items.as_slice()));
        }
        let location = members
            .first()
            .and_then(|(k, _)| a.sunsets.get(*k))
            .map(|s| self.location(s.span))
            .unwrap_or_default();

        // The licenses, by licensor in the order each is first named.
        let mut by: Vec<(crate::model::PartyId, Vec<Slot>)> = Vec::new();
        for (g, slot, _) in &licenses {
            match by.iter_mut().find(|(p, _)| *p == g.licensor) {
                Some((_, slots)) => slots.push(slot.clone()),
                None => by.push((g.licensor, vec![slot.clone()])),
            }
        }
        let mut intro = Text::plain("The following apply to each of the licenses granted ");
        for (k, (p, slots)) in by.iter().enumerate() {
            if k > 0 {
                intro.push(if k + 1 == by.len() { " and " } else { ", " });
            }
            intro.push(format!("by {} in ", self.short(*p)));
            clause_refs(&mut intro, slots);
        }
        intro.push(", to each of them as if this clause were stated for it alone:");
        let mut blocks = vec![Block::Para(intro)];

        // Each paragraph by its heading and its place among the paragraphs of that
        // heading (a clause may renew or terminate in several ways).
        let key = |items: &[SunsetItem], n: usize| -> Option<(usize, usize)> {
            let item = items.get(n)?;
            let rank = SUNSET_ORDER
                .iter()
                .position(|l| *l == item.label)
                .unwrap_or(SUNSET_ORDER.len());
            let nth = items
                .iter()
                .take(n)
                .filter(|x| x.label == item.label)
                .count();
            Some((rank, nth))
        };
        let mut keys: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (_, _, items) in &licenses {
            keys.extend((0..items.len()).filter_map(|n| key(items, n)));
        }
        for (letter_no, k) in keys.into_iter().enumerate() {
            // What each license says under this heading, grouped by the words.
            let mut variants: Vec<(&SunsetItem, Vec<Slot>)> = Vec::new();
            let mut without: Vec<Slot> = Vec::new();
            for (_, slot, items) in &licenses {
                let item = (0..items.len())
                    .find(|&n| key(items, n) == Some(k))
                    .and_then(|n| items.get(n));
                match item {
                    Some(item) => match variants.iter_mut().find(|(v, _)| *v == item) {
                        Some((_, slots)) => slots.push(slot.clone()),
                        None => variants.push((item, vec![slot.clone()])),
                    },
                    None => without.push(slot.clone()),
                }
            }
            // The words most licenses have (the first of them on a tie) are the
            // paragraph's; the others are stated as exceptions to it.
            let Some(main) = (0..variants.len()).max_by_key(|&i| {
                (
                    variants.get(i).map_or(0, |(_, s)| s.len()),
                    std::cmp::Reverse(i),
                )
            }) else {
                continue;
            };
            let Some((item, _)) = variants.get(main) else {
                continue;
            };
            let mut para = (*item).clone();
            for (i, (other, slots)) in variants.iter().enumerate() {
                if i == main {
                    continue;
                }
                para.body.push(" In place of the above, for ");
                licenses_of(&mut para.body, slots);
                para.body.push(": ");
                para.body.append(other.body.clone());
            }
            if !without.is_empty() {
                para.body.push(" This paragraph does not apply to ");
                licenses_of(&mut para.body, &without);
                para.body.push(".");
            }
            blocks.push(para.para(letter_no));
        }
        Clause {
            number,
            id,
            anchor,
            location,
            spans,
            blocks,
            subs: Vec::new(),
        }
    }
}

// ------------------------------------------------------------------ improvements

/// A group of a pool's improvements clauses stated in one clause.
#[derive(Debug, Clone, Default)]
pub(super) struct ImprovementsGroup {
    /// The clause's id: `improvements members`, or `improvements members (2)` ….
    pub id: String,
    pub slot: Slot,
    /// Indexes of its improvements clauses, in source order.
    pub clauses: Vec<usize>,
}

/// What an improvements clause of a pool says but for its member: `None` unless every
/// rule goes from the one member that alone owns the clause's assets to each of the
/// other members, on the same terms.
fn improvements_key(
    model: &crate::model::Model,
    a: &crate::model::AgreementModel,
    imp: &crate::model::ImprovementsModel,
) -> Option<String> {
    let first = imp.rules.first()?;
    let from = first.from;
    let owned = imp.assets.iter().all(|x| {
        model
            .asset(*x)
            .is_some_and(|d| d.owners.as_slice() == [from])
    });
    let terms = |r: &crate::model::FlowModel| {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            r.direction, r.covers, r.exclusivity, r.consideration, r.sunset, r.consent_required
        )
    };
    let same = imp
        .rules
        .iter()
        .all(|r| r.from == from && terms(r) == terms(first));
    let mut to: Vec<_> = imp.rules.iter().map(|r| r.to).collect();
    to.sort();
    let mut others: Vec<_> = a
        .contracting
        .iter()
        .copied()
        .filter(|p| *p != from)
        .collect();
    others.sort();
    (owned && same && to == others && !imp.assets.is_empty())
        .then(|| format!("{:?}|{}", imp.owner, terms(first)))
}

/// The groups of a pool's improvements clauses stated once (two or more each), in the
/// order of their first clause.
pub(super) fn improvements_groups(
    model: &crate::model::Model,
    a: &crate::model::AgreementModel,
) -> Vec<Vec<usize>> {
    if a.kind != AgreementKind::Pool {
        return Vec::new();
    }
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, imp) in a.improvements.iter().enumerate() {
        let Some(key) = improvements_key(model, a, imp) else {
            continue;
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, m)| m)
        .filter(|m| m.len() > 1)
        .collect()
}

impl Builder<'_, '_> {
    /// The clause of improvements group `k`: who owns the improvements and the licenses
    /// of them, stated once for every member, and a lettered paragraph per clause (its
    /// clause id) naming the member and its assets, with the membership windows of its
    /// rules where they have any.
    pub(super) fn pool_improvements_clause(&mut self, k: usize) -> Clause {
        let a = self.a;
        let group = self.improvements_groups.get(k).cloned().unwrap_or_default();
        let clauses: Vec<(usize, &crate::model::ImprovementsModel)> = group
            .clauses
            .iter()
            .filter_map(|&i| a.improvements.get(i).map(|imp| (i, imp)))
            .collect();
        let Some(rule) = clauses.first().and_then(|(_, imp)| imp.rules.first()) else {
            return empty_clause(group.slot);
        };
        let assets = "the assets named in a paragraph below";
        let mut t = Text::plain(match clauses.first().and_then(|(_, imp)| imp.owner) {
            Some(ImprovementOwner::Improver) => {
                format!("Each improvement to {assets} belongs to the Party that makes it.")
            }
            Some(ImprovementOwner::BaseOwner) => format!(
                "Each improvement to {assets} belongs to the Member named in that paragraph, as their owner, whichever Party makes it."
            ),
            Some(ImprovementOwner::Joint) => format!(
                "Each improvement to {assets} is owned jointly by the Party that makes it and the Member named in that paragraph."
            ),
            None => format!(
                "This Agreement does not change the ownership of improvements to {assets}."
            ),
        });
        t.push(" ");
        t.push(self.flow_words(
            rule,
            "the assets named in its paragraph",
            &FlowNames {
                from: "Each Member named in a paragraph below",
                from_again: "it",
                from_object: "that Member",
                to: "each of the other Members",
                payer: "each licensee",
            },
        ));
        let mut subs = Vec::new();
        let mut spans = Vec::new();
        for (i, imp) in clauses {
            spans.push(imp.span);
            let slot = self.improvements_clause.get(i).cloned().unwrap_or_default();
            let from = imp.rules.first().map(|r| r.from);
            let mut p = Text::new();
            if let Some(from) = from {
                p.push(format!("{}, as to ", self.short(from)));
            }
            p.push(self.assets_phrase(&imp.assets));
            p.push(" (");
            self.asset_refs(&mut p, &imp.assets);
            p.push(").");
            // The rules that follow the parties' membership (issue 15, round 3), by
            // the days they apply.
            let mut windows: Vec<(crate::model::FlowWindow, Vec<String>)> = Vec::new();
            for rule in &imp.rules {
                let Some(w) = self.model.flow_window(a.kind, rule.from, rule.to) else {
                    continue;
                };
                let to = self.short(rule.to);
                match windows.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, names)) => names.push(to),
                    None => windows.push((w, vec![to])),
                }
            }
            let from = from.map(|f| self.short(f)).unwrap_or_default();
            for (w, names) in windows {
                let many = names.len() > 1;
                let made = super::improvements::made_words(w);
                if let Some(made) = made {
                    p.push(format!(
                        " Its {} to {} {} only to improvements that {from} makes while both {from} and {} are Members, that is, {made}.",
                        if many { "licenses" } else { "license" },
                        join_list(&names),
                        if many { "apply" } else { "applies" },
                        if many { "the licensee" } else { names.first().map_or("", String::as_str) },
                    ));
                }
                if let Some(h) = w.held_until {
                    p.push(format!(
                        " {}{} holds its license under this clause only while it is a Member, up to and including {}.",
                        if many { "Each of " } else { "" },
                        join_list(&names),
                        long_date(last_day(h))
                    ));
                }
            }
            // Each rule's id is stated at this paragraph (the clause index).
            let each: Vec<(String, String)> = imp
                .rules
                .iter()
                .map(|r| (flow_id(self.model, r), self.location(r.span)))
                .collect();
            self.stated_with.insert(slot.anchor.clone(), each);
            subs.push(Clause {
                number: slot.number,
                id: improvements_id(self.model, imp),
                anchor: slot.anchor,
                location: self.location(imp.span),
                spans: vec![imp.span],
                blocks: vec![Block::Para(p)],
                subs: Vec::new(),
            });
        }
        Clause {
            number: group.slot.number,
            id: group.id,
            anchor: group.slot.anchor,
            location: clauses_location(&subs),
            spans: Vec::new(),
            blocks: vec![Block::Para(t)],
            subs,
        }
    }
}

fn clauses_location(subs: &[Clause]) -> String {
    subs.first().map(|c| c.location.clone()).unwrap_or_default()
}
