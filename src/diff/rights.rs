//! Rights gained and lost, per party, as the rights ledgers of the two versions have
//! them: every piece of every grant reaching the party (its term and its sell-off),
//! named so that two compilations compare — a patent by its normalised number, an
//! asset taken whole by its name, fields by their paths.

use crate::date::Date;
use crate::ledger::{GrantEntry, Ledger, Subject};
use crate::model::{Interval, Model, RightSet};
use crate::scope::{self, Extent};
use crate::territory::TerritorySet;
use std::collections::{BTreeMap, BTreeSet};

/// How a subject is shown: its key (comparable across versions) → its words.
pub(super) type Labels = BTreeMap<String, String>;

/// A part of what a party may do, in names: comparable across two compilations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct NamedBox {
    /// The subjects' keys (see [`subject_key`]).
    subjects: BTreeSet<String>,
    rights: RightSet,
    fields: BTreeSet<String>,
    territory: TerritorySet,
    start: Date,
    end: Option<Date>,
}

/// A subject's key: the same patent, or the same asset taken whole, in both versions.
fn subject_key(s: &Subject) -> String {
    if s.is_patent() {
        format!("patent {}", s.key)
    } else {
        format!("asset {}", s.key)
    }
}

impl NamedBox {
    fn time(&self) -> Interval {
        Interval {
            start: self.start,
            end: self.end,
        }
    }

    /// Whether the box holds nothing: no subject, right, field or country, or a period
    /// that ends before it starts.
    fn is_empty(&self) -> bool {
        self.subjects.is_void()
            || self.rights.is_void()
            || self.fields.is_void()
            || self.territory.is_void()
            || self.end.is_some_and(|e| e <= self.start)
    }

    /// The common part of two boxes (the scope algebra's, dimension by dimension).
    fn intersect(&self, o: &NamedBox) -> Option<NamedBox> {
        let time = scope::intersect_time(self.time(), o.time())?;
        let b = NamedBox {
            subjects: self.subjects.common(&o.subjects),
            rights: self.rights.common(&o.rights),
            fields: self.fields.common(&o.fields),
            territory: self.territory.common(&o.territory),
            start: time.start,
            end: time.end,
        };
        (!b.is_empty()).then_some(b)
    }

    /// This box minus another, as disjoint boxes: cut along each dimension, then the
    /// time, as the scope algebra cuts a clause's box.
    fn minus(&self, o: &NamedBox) -> Vec<NamedBox> {
        if self.is_empty() {
            return Vec::new();
        }
        let Some(c) = self.intersect(o) else {
            return vec![self.clone()];
        };
        let mut out = Vec::new();
        let mut rest = self.clone();
        scope::cut(&mut rest, &c.subjects, |b| &mut b.subjects, &mut out);
        scope::cut(&mut rest, &c.rights, |b| &mut b.rights, &mut out);
        scope::cut(&mut rest, &c.territory, |b| &mut b.territory, &mut out);
        scope::cut(&mut rest, &c.fields, |b| &mut b.fields, &mut out);
        for t in scope::time_minus(rest.time(), c.time()) {
            out.push(NamedBox {
                start: t.start,
                end: t.end,
                ..rest.clone()
            });
        }
        out
    }

    /// The box as a value: its subjects (in words), rights, fields, countries and period.
    pub(super) fn to_value(&self, labels: &Labels) -> serde_json::Value {
        let subjects: Vec<&str> = self
            .subjects
            .iter()
            .map(|k| labels.get(k).map_or(k.as_str(), String::as_str))
            .collect();
        let rights: Vec<&str> = self.rights.iter().map(|r| r.keyword()).collect();
        serde_json::json!({
            "subjects": subjects,
            "rights": rights,
            "fields": self.fields,
            "territories": self.territory.codes(),
            "start": self.start.to_string(),
            "end": self.end.map(|e| e.to_string()),
        })
    }

    /// The box in words: "asset kh, rights make, use, field robotics, DE, 2026-01-01
    /// until 2031-01-01"; patents are named by number.
    pub(super) fn describe(
        &self,
        universe: &BTreeSet<String>,
        labels: &Labels,
        groups: &super::structure::Groups,
    ) -> String {
        let names = |prefix: &str| -> Vec<&str> {
            self.subjects
                .iter()
                .filter(|k| k.starts_with(prefix))
                .map(|k| labels.get(k).map_or(k.as_str(), String::as_str))
                .collect()
        };
        let mut what = Vec::new();
        for (prefix, one, many) in [
            ("asset ", "asset", "assets"),
            ("patent ", "patent", "patents"),
        ] {
            let list = names(prefix);
            match list.as_slice() {
                [] => {}
                [only] => what.push(format!("{one} {only}")),
                _ => what.push(format!("{many} {}", super::structure::at_most(&list, 6))),
            }
        }
        let rights: Vec<&str> = self.rights.iter().map(|r| r.keyword()).collect();
        let rights = if self.rights == RightSet::all() {
            "all rights".to_string()
        } else if rights.len() == 1 {
            format!("right {}", rights.concat())
        } else {
            format!("rights {}", rights.join(", "))
        };
        // The fewest paths: those whose parent is not in the set, each with the
        // sub-fields the set leaves out.
        let tops: Vec<String> = self
            .fields
            .iter()
            .filter(|f| match f.rsplit_once('.') {
                Some((parent, _)) => !self.fields.contains(parent),
                None => true,
            })
            .map(|t| {
                let prefix = format!("{t}.");
                let missing: Vec<&str> = universe
                    .iter()
                    .filter(|u| u.starts_with(&prefix) && !self.fields.contains(*u))
                    .filter(|u| {
                        u.rsplit_once('.')
                            .is_none_or(|(p, _)| self.fields.contains(p))
                    })
                    .map(String::as_str)
                    .collect();
                if missing.is_empty() {
                    t.clone()
                } else {
                    format!("{t} except {}", missing.join(", "))
                }
            })
            .collect();
        let top_refs: Vec<&str> = tops.iter().map(String::as_str).collect();
        let noun = if tops.len() == 1 && !tops.iter().any(|t| t.contains(" except ")) {
            "field"
        } else {
            "fields"
        };
        let t = super::structure::territory_expr(self.territory, groups);
        let listed = self.territory.len() > 1
            && t.split(", ")
                .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()));
        let place = if listed {
            format!("territories {t}")
        } else {
            t
        };
        let time = match self.end {
            Some(e) => format!("{} until {e}", self.start),
            None => format!("from {} on", self.start),
        };
        format!(
            "{}, {rights}, {noun} {}, {place}, {time}",
            what.join(", "),
            super::structure::at_most(&top_refs, 6)
        )
    }
}

/// The boxes of everything one grant of the ledger licenses: its pieces, term and
/// sell-off alike. The words of each subject are added to `labels` (those already
/// there are kept).
pub(super) fn grant_boxes(
    model: &Model,
    ledger: &Ledger,
    g: &GrantEntry,
    labels: &mut Labels,
) -> Vec<NamedBox> {
    boxes_where(model, ledger, g, labels, |_| true)
}

/// [`grant_boxes`] of the pieces `keep` accepts (pools, issue 15: those reaching one
/// party, when a pool's dated membership cuts the grant's reach).
fn boxes_where(
    model: &Model,
    ledger: &Ledger,
    g: &GrantEntry,
    labels: &mut Labels,
    keep: impl Fn(&crate::ledger::Piece) -> bool,
) -> Vec<NamedBox> {
    let Some(clause) = ledger.grant_model(model, g) else {
        return Vec::new();
    };
    let fields: BTreeSet<String> = clause
        .fields
        .ids()
        .map(|f| model.fields.path(f).to_string())
        .collect();
    let mut boxes = Vec::new();
    for p in ledger.pieces_of(g).iter().filter(|p| keep(p)) {
        let Some(s) = ledger.subject(p.subject) else {
            continue;
        };
        let key = subject_key(s);
        labels.entry(key.clone()).or_insert_with(|| s.label.clone());
        let b = NamedBox {
            subjects: BTreeSet::from([key]),
            rights: p.rights,
            fields: fields.clone(),
            territory: p.territory,
            start: p.time.start,
            end: p.time.end,
        };
        if !b.is_empty() {
            boxes.push(b);
        }
    }
    boxes
}

/// A box with the id of the clause that grants it.
pub(super) type Tagged = (String, NamedBox);

/// Per party reached (by name), the boxes of everything the ledger licenses to it,
/// each with its grant's id: the pieces of every grant whose reach holds the party.
pub(super) fn by_party(
    model: &Model,
    ledger: &Ledger,
    labels: &mut Labels,
) -> BTreeMap<String, Vec<Tagged>> {
    let mut map: BTreeMap<String, Vec<Tagged>> = BTreeMap::new();
    for g in &ledger.grants {
        let Some(clause) = ledger.grant_model(model, g) else {
            continue;
        };
        let cut = ledger.pieces_of(g).iter().any(|p| p.members.is_some());
        let boxes = grant_boxes(model, ledger, g, labels);
        for party in &g.reach {
            let own;
            let of_party = if cut {
                own = boxes_where(model, ledger, g, labels, |p| p.reaches(&g.reach, *party));
                &own
            } else {
                &boxes
            };
            map.entry(model.party_name(*party).to_string())
                .or_default()
                .extend(of_party.iter().map(|b| (clause.id.clone(), b.clone())));
        }
    }
    map
}

/// The boxes of a tagged list.
pub(super) fn untagged(list: &[Tagged]) -> Vec<NamedBox> {
    list.iter().map(|(_, b)| b.clone()).collect()
}

/// The clauses (ids, sorted) whose boxes in `list` overlap `b`.
pub(super) fn clauses_of(b: &NamedBox, list: &[Tagged]) -> Vec<String> {
    let ids: BTreeSet<&String> = list
        .iter()
        .filter(|(_, x)| x.intersect(b).is_some())
        .map(|(id, _)| id)
        .collect();
    ids.into_iter().cloned().collect()
}

/// `a` minus every box of `b`, merged into few boxes.
pub(super) fn subtract(a: &[NamedBox], b: &[NamedBox]) -> Vec<NamedBox> {
    let mut rest: Vec<NamedBox> = Vec::new();
    // `a` made disjoint first (a patent licensed through two assets, or by two grants,
    // is one right), then cut by `b`.
    for x in a {
        let mut parts = vec![x.clone()];
        for y in rest.iter().chain(b) {
            parts = parts.iter().flat_map(|p| p.minus(y)).collect();
            if parts.is_empty() {
                break;
            }
        }
        rest.extend(parts);
    }
    merge(rest)
}

/// Joins boxes that differ in one dimension only, so a change reads as few scopes:
/// first every box that differs only in its subjects (patents of one expiry and one
/// territory), then pairwise.
fn merge(boxes: Vec<NamedBox>) -> Vec<NamedBox> {
    type Rest = (RightSet, BTreeSet<String>, TerritorySet, Date, Option<Date>);
    let mut by_rest: BTreeMap<Rest, BTreeSet<String>> = BTreeMap::new();
    for b in boxes {
        by_rest
            .entry((b.rights, b.fields, b.territory, b.start, b.end))
            .or_default()
            .extend(b.subjects);
    }
    let mut boxes: Vec<NamedBox> = by_rest
        .into_iter()
        .map(
            |((rights, fields, territory, start, end), subjects)| NamedBox {
                subjects,
                rights,
                fields,
                territory,
                start,
                end,
            },
        )
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        'outer: for i in 0..boxes.len() {
            for j in (i + 1)..boxes.len() {
                let (Some(a), Some(b)) = (boxes.get(i), boxes.get(j)) else {
                    continue;
                };
                if let Some(m) = join(a, b) {
                    boxes.remove(j);
                    if let Some(slot) = boxes.get_mut(i) {
                        *slot = m;
                    }
                    changed = true;
                    break 'outer;
                }
            }
        }
    }
    boxes.sort();
    boxes
}

/// Two boxes as one, when they differ in one dimension only.
fn join(a: &NamedBox, b: &NamedBox) -> Option<NamedBox> {
    let same_time = a.start == b.start && a.end == b.end;
    let subjects = a.subjects == b.subjects;
    let rights = a.rights == b.rights;
    let fields = a.fields == b.fields;
    let territory = a.territory == b.territory;
    if same_time && rights && fields && territory {
        Some(NamedBox {
            subjects: a.subjects.union(&b.subjects).cloned().collect(),
            ..a.clone()
        })
    } else if same_time && subjects && rights && fields {
        Some(NamedBox {
            territory: a.territory.union(b.territory),
            ..a.clone()
        })
    } else if same_time && subjects && rights && territory {
        Some(NamedBox {
            fields: a.fields.union(&b.fields).cloned().collect(),
            ..a.clone()
        })
    } else if same_time && subjects && fields && territory {
        Some(NamedBox {
            rights: RightSet(a.rights.0 | b.rights.0),
            ..a.clone()
        })
    } else if subjects && rights && fields && territory && a.end == Some(b.start) {
        Some(NamedBox {
            end: b.end,
            ..a.clone()
        })
    } else if subjects && rights && fields && territory && b.end == Some(a.start) {
        Some(NamedBox {
            start: b.start,
            ..a.clone()
        })
    } else {
        None
    }
}
