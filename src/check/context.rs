//! What every conflict and policy rule needs to know about the grants of the whole
//! agreement set: who they reach, when they run, and their effective scope per asset.

use crate::date::Date;
use crate::model::{
    AgreementModel, AssetId, FieldSet, GrantModel, Interval, Model, PartyId, ReservationModel,
    TermModel,
};
use crate::scope::{self, ScopeBox};
use crate::vocab::ExclusivityKind;

/// A grant with the facts the rules share.
pub struct GrantInfo<'m> {
    pub agreement: &'m AgreementModel,
    pub grant: &'m GrantModel,
    /// The licensees and, with `and affiliates`, their affiliates (sorted).
    pub reach: Vec<PartyId>,
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
    pub grants: Vec<GrantInfo<'m>>,
    /// Every field of every file: what an unscoped `reserve A` covers.
    pub every_field: FieldSet,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model) -> Ctx<'m> {
        let mut grants = Vec::new();
        for agreement in &model.agreements {
            for grant in &agreement.grants {
                let mut reach = grant.licensees.clone();
                if grant.to_affiliates {
                    for l in &grant.licensees {
                        if let Some(p) = model.party(*l) {
                            reach.extend(p.affiliates.iter().copied());
                        }
                    }
                }
                reach.sort();
                reach.dedup();
                let time = grant_time(model, grant);
                grants.push(GrantInfo {
                    agreement,
                    grant,
                    reach,
                    time,
                });
            }
        }
        let n = u32::try_from(model.fields.nodes.len()).unwrap_or(u32::MAX);
        Ctx {
            model,
            grants,
            every_field: FieldSet::from_ranges(vec![(0, n)]),
        }
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

    /// The effective boxes of a grant over one asset: where and while the asset exists.
    pub fn effective(&self, g: &GrantInfo<'_>, asset: AssetId) -> Vec<ScopeBox> {
        match self.model.asset(asset) {
            Some(decl) => scope::effective(&self.grant_box(g, asset), decl),
            None => Vec::new(),
        }
    }

    /// The effective boxes of a reservation over one asset.
    pub fn reservation_effective(&self, r: &ReservationModel, asset: AssetId) -> Vec<ScopeBox> {
        let b = ScopeBox {
            asset,
            rights: r.rights,
            fields: if r.all_fields {
                self.every_field.clone()
            } else {
                r.fields.clone()
            },
            territory: r.territory,
            time: r.term,
        };
        match self.model.asset(asset) {
            Some(decl) => scope::effective(&b, decl),
            None => Vec::new(),
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

/// The last day-after of any licensed patent of the grant in its territory.
pub fn last_expiry(model: &Model, grant: &GrantModel) -> Option<Date> {
    let mut last: Option<Date> = None;
    for a in &grant.assets {
        let Some(decl) = model.asset(*a) else {
            continue;
        };
        for p in &decl.patents {
            if p.territory.intersection(grant.territory).is_empty() {
                continue;
            }
            if let Some(e) = p.expires {
                last = Some(last.map_or(e, |l| l.max(e)));
            }
        }
    }
    last
}

pub fn grant_time(model: &Model, grant: &GrantModel) -> Interval {
    match grant.term {
        TermModel::Dates(i) => i,
        TermModel::UntilExpiry { start } => Interval {
            start,
            end: last_expiry(model, grant),
        },
    }
}

/// The overlap of two effective scopes, as one witness box: the first intersection,
/// with the territories of every other intersection over the same rights, fields and
/// time merged into it (patents of one family in several countries).
pub fn first_overlap(a: &[ScopeBox], b: &[ScopeBox]) -> Option<ScopeBox> {
    let mut found: Option<ScopeBox> = None;
    for x in a {
        for y in b {
            let Some(i) = x.intersect(y) else { continue };
            match &mut found {
                None => found = Some(i),
                Some(f) => {
                    if f.rights == i.rights && f.fields == i.fields && f.time == i.time {
                        f.territory = f.territory.union(i.territory);
                    }
                }
            }
        }
    }
    found
}
