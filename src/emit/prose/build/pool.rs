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
use super::*;
use crate::emit::prose::doc::*;
use crate::model::GrantModel;
use crate::text::*;
use crate::vocab::AgreementKind;

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
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{}|{}",
        g.rights,
        g.territory,
        g.exclusivity,
        g.transfer,
        g.sublicense,
        g.purposes,
        g.to_affiliates,
        g.standard,
        g.most_favoured.is_some(),
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
