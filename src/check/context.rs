//! The checker's view of the rights ledger: every grant with its model clause and its
//! ledger entry side by side, and the words the rules share.

use crate::ledger::{GrantEntry, Ledger, Piece, PieceKind, SubjectId};
use crate::model::{
    AgreementModel, AssetId, FieldSet, GrantModel, Interval, Model, PartyId, ReservationModel,
};
use crate::scope::{self, ScopeBox};
use crate::territory::TerritorySet;
use crate::vocab::ExclusivityKind;

/// A grant with the facts the rules share.
pub struct GrantInfo<'m> {
    pub agreement: &'m AgreementModel,
    pub grant: &'m GrantModel,
    pub entry: &'m GrantEntry,
    /// Index into [`Ledger::grants`] (and [`Ctx::grants`]).
    pub index: usize,
    /// The licensees and, with `and affiliates`, their affiliates (sorted).
    pub reach: &'m [PartyId],
    /// The term, with `until expiry` resolved to the last expiry of its patents in its
    /// territory (open-ended when unknown).
    pub time: Interval,
}

impl GrantInfo<'_> {
    pub fn is_exclusive_kind(&self) -> bool {
        matches!(
            self.grant.exclusivity,
            ExclusivityKind::Exclusive | ExclusivityKind::Sole
        )
    }

    pub fn reaches(&self, p: PartyId) -> bool {
        self.reach.binary_search(&p).is_ok()
    }

    /// The grant's id, qualified by its agreement when `other` is in another one.
    pub fn name_against(&self, other: &GrantInfo<'_>) -> String {
        if std::ptr::eq(self.agreement, other.agreement) {
            format!("`{}`", self.grant.id)
        } else {
            format!("`{}` (in \"{}\")", self.grant.id, self.agreement.title)
        }
    }
}

/// The shared facts about the whole set.
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub ledger: &'m Ledger,
    pub grants: Vec<GrantInfo<'m>>,
    /// Every field of every file: what an unscoped `reserve A` covers.
    pub every_field: FieldSet,
    /// Indexes into [`Ctx::grants`] by agreement and licensor: the licenses an
    /// improvement rule can be tied to.
    by_licensor: std::collections::HashMap<(usize, PartyId), Vec<usize>>,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model, ledger: &'m Ledger) -> Ctx<'m> {
        let grants = ledger
            .grants
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let agreement = model.agreements.get(entry.agreement)?;
                let grant = agreement.grants.get(entry.index)?;
                Some(GrantInfo {
                    agreement,
                    grant,
                    entry,
                    index,
                    reach: &entry.reach,
                    time: entry.time,
                })
            })
            .collect::<Vec<GrantInfo<'m>>>();
        let mut by_licensor: std::collections::HashMap<(usize, PartyId), Vec<usize>> =
            std::collections::HashMap::new();
        for (i, g) in grants.iter().enumerate() {
            by_licensor
                .entry((g.entry.agreement, g.grant.licensor))
                .or_default()
                .push(i);
        }
        Ctx {
            model,
            ledger,
            grants,
            every_field: ledger.every_field.clone(),
            by_licensor,
        }
    }

    /// The grants of agreement `agreement` (an index into [`Model::agreements`]) made
    /// by `licensor`, in source order.
    pub fn grants_by(
        &self,
        agreement: usize,
        licensor: PartyId,
    ) -> impl Iterator<Item = &GrantInfo<'m>> + '_ {
        self.by_licensor
            .get(&(agreement, licensor))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.grants.get(i))
    }

    /// The grant of a ledger index.
    pub fn grant(&self, i: usize) -> Option<&GrantInfo<'m>> {
        self.grants.get(i).filter(|g| g.index == i)
    }

    /// The nominal box of a grant over one of its assets.
    pub fn grant_box(&self, g: &GrantInfo<'_>, asset: AssetId) -> ScopeBox {
        ScopeBox {
            asset,
            rights: g.grant.rights,
            fields: g.grant.fields.clone(),
            territory: g.grant.territory,
            time: g.time,
        }
    }

    /// The license pieces of a grant (its term, not the sell-off after it).
    pub fn term_pieces<'a>(&'a self, g: &GrantInfo<'a>) -> impl Iterator<Item = &'a Piece> {
        self.ledger
            .pieces_of(g.entry)
            .iter()
            .filter(|p| p.kind == PieceKind::Term)
    }

    /// The effective boxes of a grant over one asset: where and while it licenses
    /// something under the asset, merged over the asset's subjects.
    pub fn effective(&self, g: &GrantInfo<'_>, asset: AssetId) -> Vec<ScopeBox> {
        let mut out: Vec<ScopeBox> = Vec::new();
        for p in self.term_pieces(g).filter(|p| p.asset == asset) {
            merge_piece(&mut out, p, &g.grant.fields);
        }
        out
    }

    /// The effective boxes of a reservation over one asset.
    pub fn reservation_effective(&self, r: &ReservationModel, asset: AssetId) -> Vec<ScopeBox> {
        let b = ScopeBox {
            asset,
            rights: r.rights,
            fields: self.reservation_fields(r),
            territory: r.territory,
            time: r.term,
        };
        match self.model.asset(asset) {
            Some(decl) => scope::effective(&b, decl),
            None => Vec::new(),
        }
    }

    /// The fields a reservation covers.
    pub fn reservation_fields(&self, r: &ReservationModel) -> FieldSet {
        if r.all_fields {
            self.every_field.clone()
        } else {
            r.fields.clone()
        }
    }

    /// Whether a party is an affiliate of another.
    pub fn is_affiliate_of(&self, child: PartyId, parent: PartyId) -> bool {
        self.model.party(child).and_then(|p| p.parent) == Some(parent)
    }

    /// A party's name for messages.
    pub fn party(&self, p: PartyId) -> String {
        format!("`{}`", self.model.party_name(p))
    }

    /// The licensees of a grant for messages (`members` spelled out).
    pub fn licensees(&self, g: &GrantInfo<'_>) -> String {
        let names: Vec<String> = g.grant.licensees.iter().map(|p| self.party(*p)).collect();
        if g.grant.to_members {
            format!("the pool members ({})", names.join(", "))
        } else {
            names.join(", ")
        }
    }
}

/// Adds a piece to a list of asset-level boxes, merging pieces that differ only in
/// territory (patents of one family in several countries).
fn merge_piece(out: &mut Vec<ScopeBox>, p: &Piece, fields: &FieldSet) {
    if let Some(prev) = out
        .iter_mut()
        .find(|b| b.time == p.time && b.rights == p.rights)
    {
        prev.territory = prev.territory.union(p.territory);
        return;
    }
    out.push(ScopeBox {
        asset: p.asset,
        rights: p.rights,
        fields: fields.clone(),
        territory: p.territory,
        time: p.time,
    });
}

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
            others: Vec::new(),
        })
    }

    /// Folds another witness of the same two clauses in: the same subject with the same
    /// rights, fields and period adds its countries; another subject met in exactly the
    /// same rights, fields, countries and period is named too; any other is counted.
    pub fn absorb(&mut self, other: Witness) {
        let same_scope =
            other.rights == self.rights && other.fields == self.fields && other.time == self.time;
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
