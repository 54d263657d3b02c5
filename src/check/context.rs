//! The checker's words over the rights ledger: the witness of a conflict (where two
//! clauses meet, folded over subjects) in the checker's terms. The pairing of ledger
//! grants with their clauses is the ledger's view ([`crate::ledger::view`]).

pub use crate::ledger::view::{Ctx, GrantInfo};
use crate::ledger::{Ledger, Piece, SubjectId};
use crate::model::{AssetId, FieldSet, Interval, Model};
use crate::scope::{self, ScopeBox};
use crate::territory::TerritorySet;

/// Where two clauses meet on the same subjects: the witness of a conflict, over one
/// or more subjects (the patents two grants both cover, or an asset taken whole).
#[derive(Debug, Clone)]
pub struct Witness {
    pub subjects: Vec<SubjectId>,
    /// The assets through which the two clauses cover the subjects (one, or two when
    /// they reach a patent through different assets).
    pub assets: Vec<AssetId>,
    pub rights: crate::model::RightSet,
    pub fields: FieldSet,
    pub territory: TerritorySet,
    pub time: Interval,
    /// The purposes both clauses cover (every purpose unless one has a `purpose` line).
    pub purposes: crate::model::PurposeSet,
    /// Further subjects the two clauses meet on, in other rights, fields, countries or
    /// periods (counted in the message, not described).
    pub others: Vec<SubjectId>,
}

impl Witness {
    /// The intersection of two pieces on one subject, with their clauses' fields.
    pub fn of(a: &Piece, af: &FieldSet, b: &Piece, bf: &FieldSet) -> Option<Witness> {
        if a.subject != b.subject {
            return None;
        }
        let rights = crate::model::RightSet(a.rights.0 & b.rights.0);
        if rights.is_empty() {
            return None;
        }
        let territory = a.territory.intersection(b.territory);
        if territory.is_empty() {
            return None;
        }
        let time = scope::intersect_time(a.time, b.time)?;
        let fields = af.intersection(bf);
        if fields.is_empty() {
            return None;
        }
        let purposes = a.purposes.intersection(b.purposes);
        if purposes.is_empty() {
            return None;
        }
        let mut assets = vec![a.asset, b.asset];
        assets.sort();
        assets.dedup();
        Some(Witness {
            subjects: vec![a.subject],
            assets,
            rights,
            fields,
            territory,
            time,
            purposes,
            others: Vec::new(),
        })
    }

    /// Folds another witness of the same two clauses in: the same subject with the same
    /// rights, fields and period adds its countries; another subject met in exactly the
    /// same rights, fields, countries and period is named too; any other is counted.
    pub fn absorb(&mut self, other: Witness) {
        let same_scope = other.rights == self.rights
            && other.fields == self.fields
            && other.time == self.time
            && other.purposes == self.purposes;
        if same_scope && other.subjects == self.subjects {
            self.territory = self.territory.union(other.territory);
        } else if same_scope && other.territory == self.territory {
            for s in other.subjects {
                if !self.subjects.contains(&s) {
                    self.subjects.push(s);
                }
            }
            for a in other.assets {
                if !self.assets.contains(&a) {
                    self.assets.push(a);
                }
            }
            self.assets.sort();
        } else {
            for s in other.subjects {
                if !self.subjects.contains(&s) && !self.others.contains(&s) {
                    self.others.push(s);
                }
            }
        }
    }

    /// The witness in words: `asset acme_motion (patent US 11,234,567), right sell,
    /// field robotics.consumer, territories DE, FR, 2027-01-01 until 2031-01-01`.
    pub fn describe(&self, model: &Model, ledger: &Ledger) -> String {
        let first = self.assets.first().copied().unwrap_or(AssetId(0));
        let b = ScopeBox {
            asset: first,
            rights: self.rights,
            fields: self.fields.clone(),
            territory: self.territory,
            time: self.time,
        };
        let text = b.describe(model);
        let patents: Vec<String> = self
            .subjects
            .iter()
            .filter_map(|s| ledger.subject(*s))
            .filter(|s| s.is_patent())
            .map(|s| s.label.clone())
            .collect();
        let mut note = String::new();
        if !patents.is_empty() {
            let noun = if patents.len() == 1 {
                "patent"
            } else {
                "patents"
            };
            note = format!("{noun} {}", join_capped(&patents, 4));
        }
        let others: Vec<&str> = self
            .assets
            .iter()
            .skip(1)
            .map(|a| model.asset_name(*a))
            .collect();
        if !others.is_empty() {
            let also = format!("also in asset {}", others.join(", "));
            note = if note.is_empty() {
                also
            } else {
                format!("{note}, {also}")
            };
        }
        let mut text = if note.is_empty() {
            text
        } else {
            let head = format!("asset {}", model.asset_name(first));
            match text.strip_prefix(&head) {
                Some(rest) => format!("{head} ({note}){rest}"),
                None => text,
            }
        };
        if !self.purposes.is_all() {
            let words = self.purposes.words();
            let noun = if words.len() == 1 {
                "purpose"
            } else {
                "purposes"
            };
            text.push_str(&format!(", {noun} {}", words.join(", ")));
        }
        let more = self.others.len();
        if more > 0 {
            let noun = if more == 1 { "patent" } else { "patents" };
            text.push_str(&format!(", and on {more} more {noun} in other scopes"));
        }
        text
    }
}

fn join_capped(items: &[String], max: usize) -> String {
    if items.len() <= max {
        return items.join(", ");
    }
    let shown = items.get(..max).unwrap_or(&[]).join(", ");
    format!("{shown} and {} more", items.len() - max)
}
