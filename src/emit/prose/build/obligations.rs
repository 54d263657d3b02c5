//! terms (issue 15, part 3): the defined terms of `define` in Article 1, the article of
//! obligations (audit, confidentiality, warranty, liability) and the clauses of the
//! General article after governing law (dispute resolution, provisions in source
//! order). The English is in `crate::text`.

use super::*;
use crate::model::{AgreementModel, ObligationModel};
use crate::vocab::{AgreementKind, ObligationKind};

/// Whether a clause of the kind goes to the General article (else to Obligations).
pub(super) fn is_general(kind: ObligationKind) -> bool {
    matches!(
        kind,
        ObligationKind::Disputes | ObligationKind::Provision | ObligationKind::Beneficiaries
    )
}

impl Builder<'_, '_> {
    /// `"Net Sales" means …`, one clause per `define` line, numbered after `n`.
    pub(super) fn defined_terms(&mut self, art: usize, n: &mut usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        for d in &a.definitions {
            *n += 1;
            let mut t = Text::new();
            t.push("\"");
            t.term(title_case(&d.name));
            t.push("\" means ");
            let text = d.text.trim();
            let stop = if text.ends_with('.') { "" } else { "." };
            t.push(format!("{text}{stop}"));
            let anchor = self.anchor(&format!("define-{}", d.name));
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: d.name.clone(),
                anchor,
                location: self.location(d.span),
                spans: vec![d.span],
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        out
    }

    /// One obligation clause: its heading in bold, then its paragraphs.
    pub(super) fn obligation_clause(&mut self, number: String, o: &ObligationModel) -> Clause {
        let w = Words::of(self.model);
        let heading = obligation_heading(&w, o);
        let blocks = heading_blocks(&heading, None, obligation_paragraphs(&w, o));
        let anchor = self.anchor(&o.id);
        Clause {
            number,
            id: o.id.clone(),
            anchor,
            location: self.location(o.span),
            spans: vec![o.span],
            blocks,
            subs: Vec::new(),
        }
    }

    /// issue 18: the obligation clauses of group `members` (indexes of the agreement's
    /// obligations, two or more, that say the same but for the party at `position`),
    /// stated once: the heading and paragraphs of the first, "that Member" where each
    /// one's clause names its own party, after a sentence naming the members it binds.
    /// The clause index lists the id of each clause it states.
    fn obligation_group_clause(&mut self, number: String, group: &ObligationGroup) -> Clause {
        let a = self.a;
        let model = self.model;
        let clauses: Vec<&ObligationModel> = group
            .members
            .iter()
            .filter_map(|&i| a.obligations.get(i))
            .collect();
        let names: Vec<String> = clauses
            .iter()
            .filter_map(|o| o.parties.get(group.position))
            .map(|p| short_name(model, *p))
            .collect();
        let (heading, paras) = match clauses.first() {
            Some(o) => template(model, o, group.position).unwrap_or_default(),
            None => Default::default(),
        };
        let heading = heading.replace(MARK, &join_list(&names));
        let lead = format!(
            "This clause applies to each of {} (\"that Member\") as if it were stated for that Member alone.",
            join_list(&names)
        );
        let paras = paras.iter().map(|p| that_member(p)).collect();
        let blocks = heading_blocks(&heading, Some(lead), paras);
        let id = group.id.clone();
        let anchor = self.anchor(&id);
        let each: Vec<(String, String)> = clauses
            .iter()
            .map(|o| (o.id.clone(), self.location(o.span)))
            .collect();
        self.stated_with.insert(anchor.clone(), each);
        Clause {
            number,
            id,
            anchor,
            location: clauses
                .first()
                .map(|o| self.location(o.span))
                .unwrap_or_default(),
            spans: clauses.iter().map(|o| o.span).collect(),
            blocks,
            subs: Vec::new(),
        }
    }

    /// The clauses of the obligations that `general` selects, in source order, numbered
    /// `art.n` from `n + 1`; a pool's group of clauses that say the same but for their
    /// member is one clause, where its first one is.
    fn obligation_list(&mut self, art: usize, general: bool, mut n: usize) -> Vec<Clause> {
        let a = self.a;
        let groups = if self.ungrouped {
            Vec::new()
        } else {
            obligation_groups(self.model, a, general)
        };
        let mut out = Vec::new();
        for (i, o) in a.obligations.iter().enumerate() {
            if is_general(o.kind) != general {
                continue;
            }
            match groups.iter().find(|g| g.members.contains(&i)) {
                Some(g) if g.members.first() == Some(&i) => {
                    n += 1;
                    out.push(self.obligation_group_clause(format!("{art}.{n}"), g));
                }
                Some(_) => {}
                None => {
                    n += 1;
                    out.push(self.obligation_clause(format!("{art}.{n}"), o));
                }
            }
        }
        out
    }

    /// The clauses of the Obligations article, in source order.
    pub(super) fn obligation_clauses(&mut self, art: usize) -> Vec<Clause> {
        self.obligation_list(art, false, 0)
    }

    /// The General article: governing law first, then disputes and provisions in source
    /// order.
    pub(super) fn general_clauses(&mut self, art: usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        if a.governing_law.is_some() {
            out.push(self.governing_law_clause(art));
        }
        let n = out.len();
        out.extend(self.obligation_list(art, true, n));
        out
    }
}

/// The paragraphs of an obligation clause: its heading in bold before the first (after
/// `lead`, when there is one), or alone when it has none.
fn heading_blocks(heading: &str, lead: Option<String>, paras: Vec<String>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut first = Text::new();
    first.term(heading.to_string());
    first.push(".");
    let mut rest = lead.into_iter().chain(paras);
    if let Some(p) = rest.next() {
        first.push(" ");
        first.push(p);
    }
    blocks.push(Block::Para(first));
    blocks.extend(rest.map(|p| Block::Para(Text::plain(p))));
    blocks
}

/// Where a template names the party that differs between the clauses of a group.
const MARK: &str = "\u{1}";

/// A group of a pool's obligation clauses stated once (issue 18).
#[derive(Debug, Clone)]
struct ObligationGroup {
    /// `audit members`, or `audit members (2)` for the second group of its kind.
    id: String,
    /// The position in each clause's parties of the party that differs.
    position: usize,
    /// Indexes in the agreement's obligations, in source order.
    members: Vec<usize>,
}

/// Clause `o`'s heading and paragraphs with its party at `position` written as `MARK`;
/// `None` when there is no such party or the words do not name it.
fn template(model: &Model, o: &ObligationModel, position: usize) -> Option<(String, Vec<String>)> {
    let p = *o.parties.get(position)?;
    let w = Words {
        model,
        stand_in: Some((p, MARK)),
    };
    let paras = obligation_paragraphs(&w, o);
    paras
        .iter()
        .any(|x| x.contains(MARK))
        .then(|| (obligation_heading(&w, o), paras))
}

/// issue 18: in a pool, the groups of obligation clauses (general ones or the others,
/// as `general` says) of the same kind that say the same but for one party, named at
/// the same place in each: two clauses or more each, in the order of their first,
/// each party once. A clause belongs to the largest group its first clause can form.
/// Each member's own clause, written out, is exactly the group's template with its
/// party's name in place of the stand-in; a clause that is not stays on its own.
fn obligation_groups(model: &Model, a: &AgreementModel, general: bool) -> Vec<ObligationGroup> {
    if a.kind != AgreementKind::Pool {
        return Vec::new();
    }
    let chosen: Vec<usize> = (0..a.obligations.len())
        .filter(|&i| {
            a.obligations
                .get(i)
                .is_some_and(|o| is_general(o.kind) == general)
        })
        .collect();
    // Each clause's template at each position, and the clauses sharing one.
    let mut buckets: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut templates: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for &i in &chosen {
        let Some(o) = a.obligations.get(i) else {
            continue;
        };
        for position in 0..o.parties.len() {
            if let Some((heading, paras)) = template(model, o, position) {
                let key = format!(
                    "{}\u{2}{heading}\u{2}{}",
                    o.kind.keyword(),
                    paras.join("\u{2}")
                );
                buckets.entry((position, key.clone())).or_default().push(i);
                templates.insert((i, position), key);
            }
        }
    }
    let mut used = vec![false; a.obligations.len()];
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &i in &chosen {
        if used.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(o) = a.obligations.get(i) else {
            continue;
        };
        let mut best: Option<(usize, Vec<usize>)> = None;
        for position in 0..o.parties.len() {
            let Some(key) = templates.get(&(i, position)) else {
                continue;
            };
            let Some(bucket) = buckets.get(&(position, key.clone())) else {
                continue;
            };
            let mut members = Vec::new();
            let mut seen = BTreeSet::new();
            for &k in bucket {
                let Some(other) = a.obligations.get(k) else {
                    continue;
                };
                let Some(p) = other.parties.get(position) else {
                    continue;
                };
                if used.get(k).copied().unwrap_or(true) || !seen.insert(*p) {
                    continue;
                }
                if states_the_same(model, key, other, *p) {
                    members.push(k);
                }
            }
            if members.len() >= 2 && best.as_ref().is_none_or(|(_, b)| members.len() > b.len()) {
                best = Some((position, members));
            }
        }
        if let Some((position, members)) = best {
            for &k in &members {
                if let Some(u) = used.get_mut(k) {
                    *u = true;
                }
            }
            groups.push((position, members));
        }
    }
    let mut out: Vec<ObligationGroup> = Vec::new();
    for (position, members) in groups {
        let kind = members
            .first()
            .and_then(|&i| a.obligations.get(i))
            .map(|o| o.kind.keyword())
            .unwrap_or("obligations");
        let same_kind = |g: &ObligationGroup| g.id.starts_with(&format!("{kind} members"));
        let k = out.iter().filter(|g| same_kind(g)).count();
        out.push(ObligationGroup {
            id: format!("{kind} members"),
            position,
            members,
        });
        if k > 0 {
            if let Some(g) = out.last_mut() {
                g.id = format!("{kind} members ({})", k + 1);
            }
        }
    }
    // The first group of a kind is numbered too when the kind has several.
    let ids: Vec<String> = out.iter().map(|g| g.id.clone()).collect();
    for g in &mut out {
        if ids.iter().any(|x| *x == format!("{} (2)", g.id)) {
            g.id = format!("{} (1)", g.id);
        }
    }
    out
}

/// Whether clause `o`, written out with its own names, says what template `key` says
/// with `p`'s name in place of the stand-in.
fn states_the_same(
    model: &Model,
    key: &str,
    o: &ObligationModel,
    p: crate::model::PartyId,
) -> bool {
    let w = Words::of(model);
    let own = format!(
        "{}\u{2}{}\u{2}{}",
        o.kind.keyword(),
        obligation_heading(&w, o),
        obligation_paragraphs(&w, o).join("\u{2}")
    );
    key.replace(MARK, &short_name(model, p)) == own
}

/// A template's paragraph with "that Member" for the stand-in ("That Member" where it
/// begins a sentence).
fn that_member(para: &str) -> String {
    let mut out = String::new();
    let mut rest = para;
    while let Some(at) = rest.find(MARK) {
        let before = rest.get(..at).unwrap_or("");
        out.push_str(before);
        let starts = out.is_empty() || out.ends_with(". ");
        out.push_str(if starts { "That Member" } else { "that Member" });
        rest = rest.get(at + MARK.len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}
