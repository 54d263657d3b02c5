//! The resolved agreement set: every name bound to its declaration, literals turned
//! into values. The only input of the checker and of every emitter.

use crate::date::Date;
use crate::source::{FileId, Span};
use crate::territory::TerritorySet;
use crate::vocab::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, ObligationKey, ObligationKind, Origin, Purpose, Right, Sublicense, Transfer,
};
use rust_decimal::Decimal;

/// Index of a party (or affiliate) in [`Model::parties`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartyId(pub u32);
/// Index of an asset in [`Model::assets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetId(pub u32);
/// Pre-order index of a field node in [`Model::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub u32);

/// Every file's declarations and agreements, resolved.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub parties: Vec<PartyDecl>,
    pub assets: Vec<AssetDecl>,
    pub fields: FieldForest,
    pub groups: Vec<GroupDecl>,
    pub agreements: Vec<AgreementModel>,
    /// pools (issue 15): every `standard` declared in any agreement, in file order.
    pub standards: Vec<StandardModel>,
}

/// pools (issue 15): a technical standard assets may be essential to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardModel {
    pub name: String,
    pub title: String,
    pub span: Span,
}

/// pools (issue 15): `essential to STANDARD [, frand]` on an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssentialModel {
    /// Index into [`Model::standards`].
    pub standard: usize,
    /// A commitment to license on fair, reasonable and non-discriminatory terms.
    pub frand: bool,
    pub span: Span,
}

impl Model {
    pub fn party(&self, id: PartyId) -> Option<&PartyDecl> {
        self.parties.get(id.0 as usize)
    }

    pub fn asset(&self, id: AssetId) -> Option<&AssetDecl> {
        self.assets.get(id.0 as usize)
    }

    pub fn party_name(&self, id: PartyId) -> &str {
        self.party(id).map(|p| p.name.as_str()).unwrap_or("?")
    }

    pub fn asset_name(&self, id: AssetId) -> &str {
        self.asset(id).map(|a| a.name.as_str()).unwrap_or("?")
    }

    /// pools (issue 15): the dated membership of a party, or of the party an
    /// affiliate belongs to; `None` when neither states one.
    pub fn membership(&self, id: PartyId) -> Option<Membership> {
        let p = self.party(id)?;
        if p.membership.is_dated() {
            return Some(p.membership);
        }
        let parent = self.party(p.parent?)?;
        parent.membership.is_dated().then_some(parent.membership)
    }
    // ------------------------------------------------ reach (issue 15, round 3): improvement rules cut by membership

    /// When an improvement rule of a pool applies between its improver (`from`) and
    /// its licensee (`to`): improvements made while both are members come under it,
    /// and the licensee holds each license from it while it is a member. `None` when
    /// membership does not cut the rule: the agreement is no pool, or neither party
    /// (nor the party an affiliate belongs to) has a `joins` or `leaves` date.
    pub fn flow_window(
        &self,
        kind: AgreementKind,
        from: PartyId,
        to: PartyId,
    ) -> Option<FlowWindow> {
        if kind != AgreementKind::Pool {
            return None;
        }
        let (f, t) = (self.membership(from), self.membership(to));
        if f.is_none() && t.is_none() {
            return None;
        }
        let f = f.unwrap_or_default();
        let t = t.unwrap_or_default();
        let made_from = f.joins.max(t.joins);
        let made_until = match (f.leaves, t.leaves) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(FlowWindow {
            made_from,
            made_until,
            held_until: t.leaves,
        })
    }
}

/// reach (issue 15, round 3): the days an improvement rule of a pool applies
/// ([`Model::flow_window`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowWindow {
    /// Improvements made from this day come under the rule (the later of the two
    /// parties' `joins`; none: from the pool's start).
    pub made_from: Option<Date>,
    /// Improvements made from this day no longer do (the earlier of the two `leaves`;
    /// none: until the pool ends or the rule's sunset).
    pub made_until: Option<Date>,
    /// The licensee holds each license from the rule until this day (its `leaves`).
    pub held_until: Option<Date>,
}

impl FlowWindow {
    /// Whether an improvement made on `day` comes under the rule (before any sunset).
    pub fn made_on(&self, day: Date) -> bool {
        self.made_from.is_none_or(|s| s <= day) && self.made_until.is_none_or(|e| day < e)
    }

    /// Whether no day is left for improvements to come under the rule: the two
    /// parties are never members on the same day, or the rule's sunset comes first.
    pub fn is_void(&self, sunset: Option<Date>) -> bool {
        let start = self.made_from.unwrap_or(Date::MIN);
        self.made_until.is_some_and(|e| e <= start) || sunset.is_some_and(|s| s <= start)
    }
}

/// A party or an affiliate.
#[derive(Debug, Clone)]
pub struct PartyDecl {
    pub name: String,
    pub legal_name: String,
    pub short_name: Option<String>,
    /// For an affiliate: the party it belongs to.
    pub parent: Option<PartyId>,
    pub affiliates: Vec<PartyId>,
    /// terms: `affiliates by control` (issue 15): the unnamed entities that are the
    /// party's affiliates too.
    pub control: Option<ControlDecl>,
    /// pools (issue 15): `joins` / `leaves` (an affiliate's is its party's).
    pub membership: Membership,
    pub span: Span,
}

/// terms (issue 15): which entities related to a party by control are its affiliates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlDecl {
    /// Sorted, without repeats.
    pub kinds: Vec<crate::vocab::ControlKind>,
    /// Only entities so related on this date (`as of`).
    pub as_of: Option<Date>,
    pub span: Span,
}

/// pools (issue 15): when a party is a member of a pool agreement: from `joins`
/// (inclusive, the pool's start when not written) to `leaves` (exclusive, the pool's
/// end when not written). Outside a pool agreement it changes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Membership {
    pub joins: Option<Date>,
    pub leaves: Option<Date>,
    /// Where `joins` and `leaves` were written (none when read from a policy).
    pub joins_span: Option<Span>,
    pub leaves_span: Option<Span>,
}

impl Membership {
    /// Whether a date was written.
    pub fn is_dated(&self) -> bool {
        self.joins.is_some() || self.leaves.is_some()
    }

    /// The membership as a period (open at either end when no date was written).
    pub fn period(&self) -> Interval {
        Interval {
            start: self.joins.unwrap_or(Date::MIN),
            end: self.leaves,
        }
    }
}
#[derive(Debug, Clone)]
pub struct AssetDecl {
    pub name: String,
    /// terms: the defined term written after the id (`asset gan "GaN Patents": …`).
    pub label: Option<String>,
    pub kind: AssetKind,
    pub owners: Vec<PartyId>,
    pub origin: Option<Origin>,
    pub patents: Vec<PatentDecl>,
    /// For `patents of P filed A until B`: `[A, B)`.
    pub capture: Option<(Date, Date)>,
    pub notes: Vec<String>,
    /// pools (issue 15): the standards it is declared essential to.
    pub essential: Vec<EssentialModel>,
    pub span: Span,
}

/// One patent of an asset: where and until when it is in force.
#[derive(Debug, Clone)]
pub struct PatentDecl {
    pub number: String,
    pub territory: TerritorySet,
    pub filed: Option<Date>,
    /// The first day the patent is no longer in force (for a pending application, the
    /// expected expiry, when stated).
    pub expires: Option<Date>,
    /// A pending application (rights: issue 15): not in force until granted.
    pub pending: bool,
    pub span: Span,
}

/// The fields of use of every file, as one forest numbered in pre-order, so that a
/// node and its descendants form the contiguous range `id .. end`.
#[derive(Debug, Clone, Default)]
pub struct FieldForest {
    pub nodes: Vec<FieldDecl>,
}

impl FieldForest {
    pub fn get(&self, id: FieldId) -> Option<&FieldDecl> {
        self.nodes.get(id.0 as usize)
    }

    /// The dotted path of a node, e.g. `robotics.consumer`.
    pub fn path(&self, id: FieldId) -> &str {
        self.get(id).map(|n| n.path.as_str()).unwrap_or("?")
    }
}

/// One node of the fields forest.
#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: String,
    pub path: String,
    pub label: Option<String>,
    pub parent: Option<FieldId>,
    /// One past the last descendant in pre-order.
    pub end: u32,
    /// The field `all` the compiler adds when no file declares a field of use, so that
    /// `field all` still denotes something every grant shares; never shown in prose.
    pub implicit: bool,
    pub span: Span,
}

/// A set of field nodes as sorted, disjoint, non-adjacent half-open pre-order ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldSet {
    pub ranges: Vec<(u32, u32)>,
}

impl FieldSet {
    pub fn from_ranges(mut ranges: Vec<(u32, u32)>) -> FieldSet {
        ranges.retain(|(a, b)| a < b);
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match out.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        FieldSet { ranges: out }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn contains(&self, id: FieldId) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= id.0 && id.0 < b)
    }

    /// Number of nodes covered.
    pub fn len(&self) -> u32 {
        self.ranges.iter().map(|(a, b)| b - a).sum()
    }

    #[must_use]
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = Vec::new();
        for &(mut a, b) in &self.ranges {
            for &(c, d) in &other.ranges {
                if d <= a || c >= b {
                    continue;
                }
                if c > a {
                    out.push((a, c));
                }
                a = a.max(d);
                if a >= b {
                    break;
                }
            }
            if a < b {
                out.push((a, b));
            }
        }
        FieldSet::from_ranges(out)
    }

    #[must_use]
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = Vec::new();
        for &(a, b) in &self.ranges {
            for &(c, d) in &other.ranges {
                let (s, e) = (a.max(c), b.min(d));
                if s < e {
                    out.push((s, e));
                }
            }
        }
        FieldSet::from_ranges(out)
    }

    pub fn ids(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.ranges.iter().flat_map(|&(a, b)| (a..b).map(FieldId))
    }
}

/// The set of rights, one bit per [`Right`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct RightSet(pub u16);

impl RightSet {
    pub fn all() -> RightSet {
        RightSet((1 << Right::ALL.len()) - 1)
    }

    /// The rights an asset of `kind` confers, which a grant that lists no rights
    /// grants under it: the patent rights ([`Right::PATENT`]) for a patent, a patent
    /// family or a capture period; all ten for know-how, trade secrets, software and
    /// data (which are also copied, modified and distributed).
    pub fn conferred_by(kind: AssetKind) -> RightSet {
        if kind.is_patent() {
            RightSet::of(Right::PATENT)
        } else {
            RightSet::all()
        }
    }

    pub fn union(self, other: RightSet) -> RightSet {
        RightSet(self.0 | other.0)
    }

    /// Whether every right of `other` is in this set.
    pub fn covers(self, other: RightSet) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn of(rights: impl IntoIterator<Item = Right>) -> RightSet {
        let mut bits = 0u16;
        for r in rights {
            bits |= 1 << (r as u16);
        }
        RightSet(bits)
    }

    pub fn contains(self, r: Right) -> bool {
        self.0 & (1 << (r as u16)) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Right> {
        Right::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

/// The purposes a clause covers, one bit per [`Purpose`] (rights: issue 15). Every
/// purpose unless the clause has a `purpose` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PurposeSet(pub u8);

impl Default for PurposeSet {
    fn default() -> PurposeSet {
        PurposeSet::all()
    }
}

impl PurposeSet {
    pub fn all() -> PurposeSet {
        PurposeSet((1 << Purpose::ALL.len()) - 1)
    }

    pub fn of(purposes: impl IntoIterator<Item = Purpose>) -> PurposeSet {
        let mut bits = 0u8;
        for p in purposes {
            bits |= 1 << (p as u8);
        }
        PurposeSet(bits)
    }

    pub fn is_all(self) -> bool {
        self == PurposeSet::all()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, p: Purpose) -> bool {
        self.0 & (1 << (p as u8)) != 0
    }

    /// Whether every purpose of `other` is in this set.
    pub fn covers(self, other: PurposeSet) -> bool {
        self.0 & other.0 == other.0
    }

    #[must_use]
    pub fn intersection(self, other: PurposeSet) -> PurposeSet {
        PurposeSet(self.0 & other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Purpose> {
        Purpose::ALL.into_iter().filter(move |p| self.contains(*p))
    }

    /// The purposes as written in `.xlic` and in the policy (`research`, …), in the
    /// order of [`Purpose::ALL`].
    pub fn words(self) -> Vec<&'static str> {
        self.iter().map(Purpose::keyword).collect()
    }
}

/// A named territory group.
#[derive(Debug, Clone)]
pub struct GroupDecl {
    pub name: String,
    pub set: TerritorySet,
    pub span: Span,
}

/// How long something lasts: `[start, end)`, with `end` `None` when open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    pub start: Date,
    pub end: Option<Date>,
}

/// The term of a grant as written, resolved to dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermModel {
    Dates(Interval),
    /// Until the last licensed patent expires, per territory.
    UntilExpiry {
        start: Date,
    },
}

impl TermModel {
    pub fn start(&self) -> Date {
        match self {
            TermModel::Dates(i) => i.start,
            TermModel::UntilExpiry { start } => *start,
        }
    }
}

/// One agreement (one file's `agreement` block) and its clauses.
#[derive(Debug, Clone)]
pub struct AgreementModel {
    pub file: FileId,
    pub title: String,
    pub kind: AgreementKind,
    pub effective: Option<Date>,
    /// `release from DATE`: the first day the agreement's licenses may reach back to,
    /// always before `effective` (a later one is an error and dropped).
    pub release_from: Option<Date>,
    /// The agreement's own term; `None` end when perpetual or until expiry.
    pub term: Option<Interval>,
    /// `term until expiry`: the agreement runs until its last licensed patent expires.
    pub term_until_expiry: bool,
    pub governing_law: Option<String>,
    /// Every party and affiliate the agreement names: listed with `parties`, or named
    /// in a clause (licensors, licensees, reservation holders, improvement rules).
    pub parties: Vec<PartyId>,
    /// The contracting Parties, sorted (see [`AgreementModel::contracting_parties`]).
    pub contracting: Vec<PartyId>,
    pub notes: Vec<String>,
    pub grants: Vec<GrantModel>,
    pub reservations: Vec<ReservationModel>,
    pub improvements: Vec<ImprovementsModel>,
    pub sunsets: Vec<SunsetModel>,
    /// terms: `define` lines, in source order.
    pub definitions: Vec<DefinitionModel>,
    /// terms: obligation and governance clauses and provisions, in source order.
    pub obligations: Vec<ObligationModel>,
    /// clauses (issue 15): rights of first refusal and negotiation, in source order.
    pub first_rights: Vec<FirstRightModel>,
    /// clauses (issue 15, round 4): payments the agreement provides for (settlement,
    /// balancing), in source order.
    pub payments: Vec<AgreementPaymentModel>,
    /// outputs: the id written in the source (`agreement acme_globex_2024 "…"`); `None`
    /// when the file's name identifies the agreement.
    pub id: Option<String>,
    /// clauses (issue 15, round 5): `agreement [id] "title"`, for secondary labels
    /// that name the agreement.
    pub header: Span,
    /// The agreement's `term` line, for labels about its term (none: not written).
    pub term_span: Option<Span>,
    pub span: Span,
}

impl AgreementModel {
    /// The period the agreement's licenses may cover: its term, reaching back to the
    /// `release from` date when there is one (acts before the effective date are
    /// licensed or released as the grants say).
    pub fn window(&self) -> Option<Interval> {
        self.term.map(|t| Interval {
            start: self.release_from.map_or(t.start, |r| r.min(t.start)),
            end: t.end,
        })
    }

    /// The contracting Parties: every party of [`AgreementModel::parties`] that is not
    /// an affiliate, and every affiliate that is `listed` with `parties`, grants a
    /// license or owes a grant-back or license-forward. An affiliate named only as a
    /// licensee, a reservation's holder or a rule's recipient is not a Party: its own
    /// party is, in its place. Sorted.
    pub fn contracting_parties(&self, model: &Model, listed: &[PartyId]) -> Vec<PartyId> {
        let signs = |p: PartyId| {
            listed.contains(&p)
                || self.grants.iter().any(|g| g.licensor == p)
                || self
                    .improvements
                    .iter()
                    .any(|imp| imp.rules.iter().any(|r| r.from == p))
        };
        let mut out: Vec<PartyId> = self
            .parties
            .iter()
            .map(|&p| match model.party(p).and_then(|d| d.parent) {
                Some(parent) if !signs(p) => parent,
                _ => p,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// A money amount in one ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MoneyValue {
    pub amount: Decimal,
    pub currency: String,
}

/// When a running royalty is payable (issue 15, royalty terms): from the grant's start
/// or `from DATE`, until the license ends, `until DATE` (`for N years` is computed to
/// one), or `until expiry` (in each country, when the last licensed patent there
/// expires). After it ends the license is fully paid-up, unless another royalty line
/// of the grant runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoyaltyPeriod {
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub until_expiry: bool,
    /// terms (issue 15, round 5): `from expiry`: payable in each country from the day
    /// the last licensed patent in force there expires (the know-how step of a hybrid
    /// license).
    pub from_expiry: bool,
    /// terms (issue 15): `payable quarterly within 45 days`.
    pub payable: Option<PaymentModel>,
    /// terms (issue 15): `report quarterly`.
    pub report: Option<crate::vocab::Frequency>,
}

/// terms (issue 15): when the royalty accrued in each period is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentModel {
    pub every: crate::vocab::Frequency,
    /// Within this long after the period ends; `None`: not stated.
    pub within: Option<crate::date::Duration>,
}

impl RoyaltyPeriod {
    /// Whether the royalty states a period of its own.
    pub fn is_stated(&self) -> bool {
        self.from.is_some() || self.until.is_some() || self.until_expiry || self.from_expiry
    }

    /// Whether the royalty is payable in a country on a day, given whether a licensed
    /// patent of its grant is in force there then (terms: issue 15, round 5): within
    /// `from` and `until`, while a patent is in force for `until expiry`, and when
    /// none is for `from expiry`.
    pub fn payable_on(&self, day: Date, patent_in_force: bool) -> bool {
        self.from.is_none_or(|f| f <= day)
            && self.until.is_none_or(|u| day < u)
            && (!self.until_expiry || patent_in_force)
            && (!self.from_expiry || !patent_in_force)
    }
}

/// A cap or floor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitModel {
    pub kind: LimitKind,
    pub amount: MoneyValue,
    pub per_year: bool,
    /// terms (issue 15): `per calendar year`; `per year` alone is a year of the license.
    pub calendar: bool,
}

/// One royalty band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierModel {
    pub from: MoneyValue,
    pub to: Option<MoneyValue>,
    pub rate: Decimal,
}

/// What a licensee pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsiderationModel {
    RoyaltyFree,
    Percent {
        rate: Decimal,
        limits: Vec<LimitModel>,
        base: crate::vocab::RoyaltyBase,
        period: RoyaltyPeriod,
    },
    PerUnit {
        amount: MoneyValue,
        limits: Vec<LimitModel>,
        period: RoyaltyPeriod,
    },
    Tiered {
        per_year: bool,
        tiers: Vec<TierModel>,
        limits: Vec<LimitModel>,
        period: RoyaltyPeriod,
    },
    LumpSum {
        amount: MoneyValue,
        due: Option<Date>,
    },
    Milestone {
        amount: MoneyValue,
        event: String,
    },
}

impl ConsiderationModel {
    /// A running royalty's period (percentage, per unit or tiered); `None` for the
    /// other kinds of consideration.
    pub fn running_period(&self) -> Option<&RoyaltyPeriod> {
        match self {
            ConsiderationModel::Percent { period, .. }
            | ConsiderationModel::PerUnit { period, .. }
            | ConsiderationModel::Tiered { period, .. } => Some(period),
            _ => None,
        }
    }
}

/// A grant with every name resolved and every default applied.
#[derive(Debug, Clone)]
pub struct GrantModel {
    pub id: String,
    /// terms: the defined name written after the id (`grant motion "Motion License": …`).
    pub label: Option<String>,
    pub licensor: PartyId,
    /// One licensee, or every other pool member for `-> members`.
    pub licensees: Vec<PartyId>,
    pub to_members: bool,
    pub to_affiliates: bool,
    pub assets: Vec<AssetId>,
    pub rights: RightSet,
    /// The fields named before `except`.
    pub field_include: FieldSet,
    /// The fields named after `except`.
    pub field_exclude: FieldSet,
    /// `include` minus `exclude`.
    pub fields: FieldSet,
    pub territory_include: TerritorySet,
    pub territory_exclude: TerritorySet,
    pub territory: TerritorySet,
    /// Where the `except` of the field and territory lines was written.
    pub field_except: Option<Span>,
    pub territory_except: Option<Span>,
    pub term: TermModel,
    /// Where the term was written (the header when it is the default).
    pub term_span: Span,
    pub exclusivity: ExclusivityKind,
    /// `purpose …`: what the license may be exercised for (every purpose by default).
    pub purposes: PurposeSet,
    /// `covenant …`: a covenant not to sue rather than a license (rights: issue 15).
    /// Non-exclusive and never sublicensable; in the ledger it counts as a license.
    pub covenant: bool,
    /// `and customers`: the covenant reaches the covenantee's customers too.
    pub to_customers: bool,
    /// `release …`: a release of the acts done before this date (rights: issue 15).
    /// Its term is every day before it, not limited by the agreement's; it is not a
    /// license and does not count against exclusive grants.
    pub release: Option<crate::date::Date>,
    /// Indexes into the agreement's reservations.
    pub subject_to: Vec<usize>,
    /// A name after `subject to` named a reservation the licensor does not hold
    /// (already reported): the grant's conflicts with retained rights are not judged.
    pub subject_to_unresolved: bool,
    /// The names after `subject to` that are not reservations of the agreement: earlier
    /// licenses the exclusivity is subject to, bound to grants by the rights ledger.
    pub subject_to_grants: Vec<(String, Span)>,
    pub sublicense: Sublicense,
    pub transfer: Transfer,
    pub consideration: Vec<ConsiderationModel>,
    pub notes: Vec<String>,
    /// `diligence NAME: PARTY "event" by DATE` (rights: issue 15).
    pub diligence: Vec<DiligenceModel>,
    /// `exclusive until diligence NAME, … missed` (rights: issue 15): the milestones
    /// (and, round 6, the named commitments) whose miss converts the exclusivity to
    /// non-exclusive, from [`GrantModel::conversion_day`]. The checker judges the
    /// grant as exclusive for its whole term.
    pub converts: Vec<Conversion>,
    /// pools (issue 15): `for standard S`, an index into [`Model::standards`]: the
    /// license covers its fields only for implementing that standard.
    pub standard: Option<usize>,
    /// pools (issue 15): `most favoured licensee`: where it was written.
    pub most_favoured: Option<Span>,
    /// terms (issue 15, round 7): `most favoured licensee { field … territory … }`: the
    /// part of the grant's scope the promise covers; `None` for the whole scope.
    pub most_favoured_scope: Option<Box<MostFavouredScope>>,
    /// terms (issue 15, round 5): minimum purchase and spend commitments, in source
    /// order (a line whose party, amount or dates are wrong is left out: reported).
    pub commitments: Vec<CommitmentModel>,
    pub header: Span,
    pub span: Span,
}

/// terms (issue 15, round 7): the part of a grant's scope its most-favoured-licensee
/// promise covers. A dimension the block leaves out is the grant's own; one it names is
/// within the grant's (E0228 otherwise, and then cut to it). A term, not a right: the
/// ledger does not read it.
#[derive(Debug, Clone, PartialEq)]
pub struct MostFavouredScope {
    /// The field nodes named (`except` applied); `None`: the grant's fields.
    pub fields: Option<FieldSet>,
    /// The countries named (`except` applied); `None`: the grant's territory.
    pub territory: Option<TerritorySet>,
    /// The block, braces included.
    pub span: Span,
}

impl MostFavouredScope {
    /// The fields covered, given the grant's.
    pub fn fields_or<'a>(&'a self, grant: &'a FieldSet) -> &'a FieldSet {
        self.fields.as_ref().unwrap_or(grant)
    }

    /// The countries covered, given the grant's.
    pub fn territory_or(&self, grant: TerritorySet) -> TerritorySet {
        self.territory.unwrap_or(grant)
    }
}

/// What, missed, converts a grant's exclusivity (rights: issue 15; terms, round 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// An index into the grant's `diligence`.
    Milestone(usize),
    /// An index into the grant's `commitments` (a named one).
    Commitment(usize),
}

/// A minimum purchase or spend commitment of a grant (terms: issue 15, round 5).
/// It enters no right; a named one may convert the grant's exclusivity when missed
/// (round 6: `exclusive until diligence NAME missed`).
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentModel {
    /// `commit NAME: …` (round 6), unique among the grant's milestones and commitments.
    pub name: Option<String>,
    /// The committing party: a licensee of the grant or its affiliate.
    pub party: PartyId,
    pub amount: CommitmentAmount,
    pub period: CommitmentPeriod,
    /// What is bought or what the money is spent on, in words.
    pub subject: String,
    /// The first and the last day of the commitment, when it does not run with the
    /// grant's term (`from DATE`, `until DATE`: that day excluded, as a term's end).
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub span: Span,
}

/// What a commitment counts (terms: issue 15, round 5).
#[derive(Debug, Clone, PartialEq)]
pub enum CommitmentAmount {
    /// `purchase N units`.
    Units(Decimal),
    /// `spend AMOUNT CUR`.
    Spend(MoneyValue),
}

/// Over what period a commitment's amount is counted (terms: issue 15, round 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentPeriod {
    /// No `per` phrase: once, over the whole commitment.
    Term,
    /// `per year`: each year from the commitment's start.
    Year,
    /// `per calendar year`.
    CalendarYear,
}

impl CommitmentPeriod {
    /// The period's word in the JSON policy.
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentPeriod::Term => "term",
            CommitmentPeriod::Year => "year",
            CommitmentPeriod::CalendarYear => "calendar_year",
        }
    }
}

/// A diligence milestone of a grant (rights: issue 15).
#[derive(Debug, Clone)]
pub struct DiligenceModel {
    pub name: String,
    /// Who must reach it (unknown: reported).
    pub party: Option<PartyId>,
    /// The event, in words: `"first commercial sale"`.
    pub event: String,
    /// The last day on which it may be reached.
    pub by: crate::date::Date,
    pub span: Span,
}

impl CommitmentModel {
    /// The first day on which a miss of this commitment can be known, with the term
    /// of its grant: the day after its first period (the first year from its start,
    /// the rest of its first calendar year, or, counted over the whole commitment, the
    /// commitment itself) ends, or the day it ends if that is sooner. `None` when
    /// that day never comes: a commitment over the whole of an open-ended term.
    pub fn first_reckoning(&self, term: &TermModel) -> Option<Date> {
        let start = self.from.unwrap_or_else(|| term.start());
        let end = self.until.or(match term {
            TermModel::Dates(i) => i.end,
            TermModel::UntilExpiry { .. } => None,
        });
        let period_end = match self.period {
            CommitmentPeriod::Term => None,
            CommitmentPeriod::Year => start.add_years(1),
            CommitmentPeriod::CalendarYear => Date::from_ymd(start.year().checked_add(1)?, 1, 1),
        };
        match (period_end, end) {
            (Some(p), Some(e)) => Some(p.min(e)),
            (p, e) => p.or(e),
        }
    }
}

impl GrantModel {
    /// The name of a milestone or commitment that converts the exclusivity.
    pub fn conversion_name(&self, c: Conversion) -> Option<&str> {
        match c {
            Conversion::Milestone(i) => self.diligence.get(i).map(|d| d.name.as_str()),
            Conversion::Commitment(i) => self.commitments.get(i).and_then(|c| c.name.as_deref()),
        }
    }

    /// The first day on which the exclusivity is converted if this milestone or
    /// commitment is missed: the day after a milestone's date, the first reckoning of
    /// a commitment ([`CommitmentModel::first_reckoning`]). `None`: never.
    pub fn conversion_day(&self, c: Conversion) -> Option<Date> {
        match c {
            Conversion::Milestone(i) => self.diligence.get(i).and_then(|d| d.by.succ()),
            Conversion::Commitment(i) => self
                .commitments
                .get(i)
                .and_then(|c| c.first_reckoning(&self.term)),
        }
    }

    /// Whether the exclusivity has converted to non-exclusive on a day, given the
    /// milestones and commitments known to be missed (rights: issue 15; a
    /// commitment, round 6, is taken as missed in a period that ended before the day,
    /// so from its first reckoning).
    pub fn converted_on<S: AsRef<str>>(&self, day: Date, missed: &[S]) -> bool {
        self.converts.iter().any(|&c| {
            self.conversion_name(c)
                .is_some_and(|n| missed.iter().any(|m| m.as_ref() == n))
                && self.conversion_day(c).is_some_and(|from| day >= from)
        })
    }
}

/// A `reserve` clause.
#[derive(Debug, Clone)]
pub struct ReservationModel {
    pub name: Option<String>,
    pub assets: Vec<AssetId>,
    /// `for P`: rights retained by P, not a hard limit.
    pub holder: Option<PartyId>,
    pub rights: RightSet,
    pub fields: FieldSet,
    /// Whether the reservation names a field (otherwise it covers every field).
    pub all_fields: bool,
    pub territory: TerritorySet,
    pub term: Interval,
    /// `purpose …`: what the rights are kept for (every purpose by default).
    pub purposes: PurposeSet,
    pub header: Span,
    pub span: Span,
}

/// clauses (issue 15): a right of first refusal or negotiation (`first refusal NAME:
/// HOLDER on ASSETS { … }`). It grants no right: the ledger and the query do not read
/// it; the checker compares its scope with the exclusive grants (E0322).
#[derive(Debug, Clone)]
pub struct FirstRightModel {
    /// The clause id, in the agreement's namespace of clause ids.
    pub id: String,
    pub kind: crate::vocab::FirstRightKind,
    pub holder: PartyId,
    /// The owners of the assets: who must offer the holder the first chance (sorted).
    pub grantors: Vec<PartyId>,
    pub assets: Vec<AssetId>,
    pub rights: RightSet,
    pub fields: FieldSet,
    /// Whether the clause names no field (it covers every field).
    pub all_fields: bool,
    pub territory: TerritorySet,
    pub term: Interval,
    pub purposes: PurposeSet,
    /// `within 30 days`: the time to match an offer, or to negotiate exclusively.
    pub within: Option<crate::date::Duration>,
    pub notes: Vec<String>,
    pub header: Span,
    pub span: Span,
}

/// clauses (issue 15, round 4): a payment the agreement provides for, not tied to one
/// grant (`payment NAME: PAYER -> PAYEE { pay AMOUNT on DATE … }`). It changes no right:
/// the ledger and the query do not read it.
#[derive(Debug, Clone)]
pub struct AgreementPaymentModel {
    /// The clause id, in the agreement's namespace of clause ids.
    pub id: String,
    pub label: Option<String>,
    pub payer: PartyId,
    pub payee: PartyId,
    /// The `pay` lines in source order (instalments when more than one); a line whose
    /// amount or date is wrong is left out (already reported).
    pub instalments: Vec<InstalmentModel>,
    pub notes: Vec<String>,
    pub header: Span,
    pub span: Span,
}

/// One `pay AMOUNT on DATE` line of a payment.
#[derive(Debug, Clone)]
pub struct InstalmentModel {
    pub amount: MoneyValue,
    pub due: Date,
    pub span: Span,
}

impl AgreementPaymentModel {
    /// The total per currency, in currency order.
    pub fn totals(&self) -> Vec<MoneyValue> {
        let mut sums: std::collections::BTreeMap<&str, Decimal> = std::collections::BTreeMap::new();
        for i in &self.instalments {
            let slot = sums.entry(i.amount.currency.as_str()).or_default();
            *slot = slot.saturating_add(i.amount.amount);
        }
        sums.into_iter()
            .map(|(c, amount)| MoneyValue {
                amount,
                currency: c.to_string(),
            })
            .collect()
    }
}

/// A grant-back or license-forward rule.
#[derive(Debug, Clone)]
pub struct FlowModel {
    pub direction: FlowDirection,
    /// Where `covers` was written (the header when it was not).
    pub covers_span: Span,
    /// Where the exclusivity was written (the header when it was not).
    pub exclusivity_span: Span,
    pub from: PartyId,
    pub to: PartyId,
    pub covers: Coverage,
    pub exclusivity: ExclusivityKind,
    pub consideration: Vec<ConsiderationModel>,
    /// The day the rule stops applying (effective date + `sunset after`).
    pub sunset: Option<Date>,
    pub consent_required: Option<bool>,
    pub header: Span,
    pub span: Span,
}

/// An `improvements on …` clause.
#[derive(Debug, Clone)]
pub struct ImprovementsModel {
    pub assets: Vec<AssetId>,
    pub owner: Option<ImprovementOwner>,
    pub owner_span: Option<Span>,
    pub rules: Vec<FlowModel>,
    pub header: Span,
    pub span: Span,
}

/// A renewal option.
#[derive(Debug, Clone)]
pub struct RenewalModel {
    pub automatic: bool,
    pub period: crate::date::Duration,
    pub max_times: Option<u32>,
    pub notice: Option<crate::date::Duration>,
    pub span: Span,
}

/// A termination trigger.
#[derive(Debug, Clone)]
pub struct TriggerModel {
    /// The event's words, without the `of P` that names whose event it is.
    pub event: String,
    /// The party that may invoke the trigger (`by P`); none: either party.
    pub by: Option<PartyId>,
    /// The party whose breach, insolvency or change of control counts (`of P`, or,
    /// when only `by` is written, the other side of a two-party license); none: any.
    pub of: Option<PartyId>,
    /// Where `by P` and `of P` were written (empty when read from a policy).
    pub by_span: Option<Span>,
    pub of_span: Option<Span>,
    pub span: Span,
    pub cure: Option<crate::date::Duration>,
    pub notice: Option<crate::date::Duration>,
}

/// A `sunset` clause.
#[derive(Debug, Clone)]
pub struct SunsetModel {
    /// Index of the grant in the agreement, when it exists.
    pub grant: Option<usize>,
    pub grant_name: String,
    pub renewals: Vec<RenewalModel>,
    pub renegotiate_every: Vec<crate::date::Duration>,
    /// The notice for each renegotiation window, by index.
    pub renegotiate_notice: Vec<Option<crate::date::Duration>>,
    pub wind_down: Option<crate::date::Duration>,
    pub wind_down_span: Option<Span>,
    pub terminations: Vec<TriggerModel>,
    pub survives: Vec<String>,
    pub header: Span,
    pub span: Span,
}

// ---- terms: defined terms and obligations (issue 15, part 3)

/// A defined term of an agreement: `define net_sales "…"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionModel {
    /// The id as written (`net_sales`); the prose defines it as its words in title
    /// case ("Net Sales").
    pub name: String,
    pub text: String,
    pub span: Span,
}

/// An obligation, governance clause or free-text provision. These do not change the
/// rights ledger: they are carried to the policy, the prose and the diff as written,
/// with names bound and values checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationModel {
    /// Unique within the agreement: the kind's keyword, with the parties of an audit
    /// (`audit_acme_globex`) or the position of a provision (`provision_2`).
    pub id: String,
    pub kind: ObligationKind,
    /// For an audit: the auditor, then the audited party.
    pub parties: Vec<PartyId>,
    /// The title of a provision, the name of a committee.
    pub title: Option<String>,
    /// The asset of a `prosecution`, `enforcement` or `escrow` clause.
    pub asset: Option<AssetId>,
    /// The parameters, in source order, each key once.
    pub params: Vec<ObligationParam>,
    pub header: Span,
    pub span: Span,
}

impl ObligationModel {
    pub fn param(&self, key: ObligationKey) -> Option<&ObligationValue> {
        self.params.iter().find(|p| p.key == key).map(|p| &p.value)
    }
}

/// One parameter of an obligation clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationParam {
    pub key: ObligationKey,
    pub value: ObligationValue,
    pub span: Span,
}

/// The value of an obligation parameter, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObligationValue {
    /// The attribute alone (`mediation`).
    Flag,
    Duration(crate::date::Duration),
    Percent(Decimal),
    Money(MoneyValue),
    Text(String),
    Items(Vec<ObligationEntry>),
    /// Each party's share (a percentage) or count (members of a committee).
    Shares(Vec<(PartyId, Decimal)>),
}

/// One entry of a list in an obligation clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObligationEntry {
    Party(PartyId),
    Asset(AssetId),
    /// Every asset of a kind (`know-how`, `trade secret`).
    Kind(AssetKind),
    /// A word the clause knows (`affiliates`, `advisors`, `indemnity`) or a quoted
    /// phrase.
    Word(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_set_algebra() {
        let a = FieldSet::from_ranges(vec![(0, 10)]);
        let b = FieldSet::from_ranges(vec![(2, 4), (6, 7)]);
        assert_eq!(a.difference(&b).ranges, vec![(0, 2), (4, 6), (7, 10)]);
        assert_eq!(a.intersection(&b), b);
        assert_eq!(b.len(), 3);
        assert!(b.difference(&a).is_empty());
        assert_eq!(
            FieldSet::from_ranges(vec![(3, 5), (0, 3)]).ranges,
            vec![(0, 5)]
        );
    }

    #[test]
    fn right_set() {
        let r = RightSet::of([Right::Make, Right::Sell]);
        assert!(r.contains(Right::Sell));
        assert!(!r.contains(Right::Use));
        assert_eq!(RightSet::all().iter().count(), Right::ALL.len());
    }
}
