//! The ledger seen beside the model: every grant with its model clause and its ledger
//! entry side by side (`GrantInfo`), and the look-ups every reader of rights shares
//! (`Ctx`: grants by agreement and licensor, a grant's pieces and effective boxes, a
//! reservation's, parties and licensees in words). The checker's rules and the
//! portfolio report read the ledger through it.

use super::{GrantEntry, Ledger, Piece, PieceKind};
use crate::model::{
    AgreementModel, AssetId, FieldSet, GrantModel, Interval, Model, PartyId, ReservationModel,
};
use crate::scope::{self, ScopeBox};
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
    by_licensor: foldhash::HashMap<(usize, PartyId), Vec<usize>>,
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
        let mut by_licensor: foldhash::HashMap<(usize, PartyId), Vec<usize>> =
            foldhash::HashMap::default();
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
