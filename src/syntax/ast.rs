//! The syntax tree of one `.xlic` file, as written: names unresolved, literals as text.
//!
//! Every node carries its byte span. Clause bodies are already sorted into their
//! attributes (a grant's `field`, `territory`, …); missing and repeated attributes were
//! reported while parsing.

pub use crate::name::Name;
use crate::source::Span;
use std::sync::Arc;

/// The vocabulary the tree shares with the model (see [`crate::vocab`]).
pub use crate::vocab::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, Origin, Right, Sublicense, Transfer,
};
pub use crate::vocab::{ObligationKey, ObligationKind};

/// A name as written, e.g. a party id or one segment of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// Interned by the parser: every mention of one name in a file shares its text.
    pub name: Name,
    pub span: Span,
}

/// A value with the span it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

/// A string literal with escapes processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// A date as written (`2026-01-01`); whether it is a calendar date is a value check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLit {
    pub text: Name,
    pub span: Span,
}

/// A decimal number (`1_000_000`, `2.5`); `value` is `None` when it was malformed
/// (reported as E0008 while parsing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumLit {
    pub text: Name,
    pub value: Option<rust_decimal::Decimal>,
    pub span: Span,
}

/// A percentage such as `2.5%`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentLit {
    pub text: Name,
    pub value: Option<rust_decimal::Decimal>,
    pub span: Span,
}

/// An amount of money: `1_000_000 USD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub amount: NumLit,
    pub currency: Ident,
    pub span: Span,
}

/// A duration: `5 years`, `90 days`, `1 month`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationLit {
    pub amount: NumLit,
    pub unit: crate::date::DurationUnit,
    pub span: Span,
}

/// A comment kept beside the tokens for the formatter and the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub block: bool,
}

/// One parsed file.
///
/// Its items are shared: an incremental reparse ([`super::parser::try_reparse`])
/// builds the new tree from the unchanged items of the previous one without copying
/// them (those before the edit are the same `Arc`s; those after it are copied once,
/// to move their spans), and the previous tree frees only what it does not share.
#[derive(Debug, Clone, Default)]
pub struct SourceFileAst {
    pub items: Vec<Arc<Item>>,
    pub comments: Vec<Comment>,
}

impl SourceFileAst {
    /// The items, in source order.
    pub fn items(&self) -> impl DoubleEndedIterator<Item = &Item> + Clone {
        self.items.iter().map(|i| &**i)
    }
}

/// A top-level declaration or clause. Every payload is boxed, so an item is 16 bytes
/// and a file's list of items holds no space for the largest kind in every slot.
#[derive(Debug, Clone)]
pub enum Item {
    Import(Box<Import>),
    Agreement(Box<Agreement>),
    Party(Box<Party>),
    Fields(Box<FieldsDecl>),
    Territory(Box<TerritoryDecl>),
    Asset(Box<Asset>),
    Grant(Box<Grant>),
    Reserve(Box<Reserve>),
    Improvements(Box<Improvements>),
    Sunset(Box<Sunset>),
    /// terms: an obligation, governance clause or free-text provision.
    Obligation(Box<Obligation>),
    /// clauses (issue 15): a right of first refusal or negotiation.
    FirstRight(Box<FirstRight>),
    /// clauses (issue 15, round 4): an agreement-level payment.
    Payment(Box<Payment>),
    /// Text the parser could not make sense of (already reported).
    Error(Span),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Import(x) => x.span,
            Item::Agreement(x) => x.span,
            Item::Party(x) => x.span,
            Item::Fields(x) => x.span,
            Item::Territory(x) => x.span,
            Item::Asset(x) => x.span,
            Item::Grant(x) => x.span,
            Item::Reserve(x) => x.span,
            Item::Improvements(x) => x.span,
            Item::Sunset(x) => x.span,
            Item::Obligation(x) => x.span,
            Item::FirstRight(x) => x.span,
            Item::Payment(x) => x.span,
            Item::Error(s) => *s,
        }
    }
}

/// `import "path.xlic"`
#[derive(Debug, Clone)]
pub struct Import {
    pub path: StrLit,
    pub span: Span,
}

/// `agreement "Title" { … }`
#[derive(Debug, Clone)]
pub struct Agreement {
    pub title: StrLit,
    pub effective: Option<DateLit>,
    /// `release from DATE`: licenses of the agreement may reach back to this date
    /// (acts before the effective date are released as the grants say).
    pub release_from: Option<DateLit>,
    pub term: Option<TermSpec>,
    pub governing_law: Option<StrLit>,
    pub kind: Option<Spanned<AgreementKind>>,
    pub parties: Vec<Ident>,
    pub notes: Vec<StrLit>,
    /// terms: `define net_sales "…"`, in source order.
    pub definitions: Vec<Definition>,
    /// outputs: the agreement's id written in the source (`agreement acme_globex_2024
    /// "…" { … }`); `None` when the file's name identifies it.
    pub id: Option<Ident>,
    /// pools (issue 15): `standard aurora "…"`, in source order.
    pub standards: Vec<StandardDecl>,
    pub span: Span,
}

/// pools (issue 15): `standard aurora "Aurora Video Coding v2"`.
#[derive(Debug, Clone)]
pub struct StandardDecl {
    pub name: Ident,
    pub title: StrLit,
    pub span: Span,
}

/// pools (issue 15): `essential to aurora, frand` in an asset.
#[derive(Debug, Clone)]
pub struct Essential {
    pub standard: Ident,
    /// `, frand`: a commitment to license on FRAND terms.
    pub frand: Option<Span>,
    pub span: Span,
}

/// pools (issue 15, round 2): what a grant says about standards (boxed in the grant:
/// rare).
#[derive(Debug, Clone, Default)]
pub struct GrantPools {
    /// `for standard aurora`.
    pub standard: Option<Ident>,
    pub standard_span: Option<Span>,
    /// `most favoured licensee` (the three words).
    pub most_favoured: Option<Span>,
    /// terms (issue 15, round 7): `most favoured licensee { field … territory … }`, the
    /// part of the grant's scope the promise covers; `None`: the whole scope.
    pub most_favoured_scope: Option<Box<MostFavouredScope>>,
}

/// terms (issue 15, round 7): the block after `most favoured licensee`: a field and/or a
/// territory, each written as in the grant (`except` allowed); one left out is the
/// grant's own.
#[derive(Debug, Clone)]
pub struct MostFavouredScope {
    pub field: Option<FieldExpr>,
    pub territory: Option<TerritoryExpr>,
    /// The block, braces included.
    pub span: Span,
}

/// `party acme "Acme Robotics, Inc." { short "Acme" affiliate acme_de "…" }`
#[derive(Debug, Clone)]
pub struct Party {
    pub name: Ident,
    pub legal_name: StrLit,
    pub short_name: Option<StrLit>,
    pub affiliates: Vec<Affiliate>,
    /// terms: `affiliates by control [as of DATE]` (issue 15).
    pub control: Option<ControlAffiliates>,
    /// pools (issue 15): `joins DATE`, the first day of a pool membership.
    pub joins: Option<DateLit>,
    /// pools (issue 15): `leaves DATE`, the first day it is no longer a member.
    pub leaves: Option<DateLit>,
    pub span: Span,
}

/// terms (issue 15): `affiliates by control as of 2026-01-01`, or with the kinds
/// named, `affiliates controlled by, under common control`: every entity so related to
/// the party is its affiliate, named or not.
#[derive(Debug, Clone)]
pub struct ControlAffiliates {
    /// The kinds in the order written (all three for `by control`).
    pub kinds: Vec<Spanned<crate::vocab::ControlKind>>,
    /// Only entities so related on this date.
    pub as_of: Option<DateLit>,
    pub span: Span,
}

/// `affiliate acme_de "Acme Robotics GmbH"`
#[derive(Debug, Clone)]
pub struct Affiliate {
    pub name: Ident,
    pub legal_name: StrLit,
    /// terms: the defined name the prose uses: `affiliate acme_de "Acme GmbH" "Acme Germany"`.
    pub label: Option<StrLit>,
    pub span: Span,
}

/// `fields { … }`
#[derive(Debug, Clone)]
pub struct FieldsDecl {
    pub roots: Vec<FieldNode>,
    pub span: Span,
}

/// One node of the fields tree: `consumer "Consumer Robotics" { vacuum lawn }`.
#[derive(Debug, Clone)]
pub struct FieldNode {
    pub name: Ident,
    pub label: Option<StrLit>,
    pub children: Vec<FieldNode>,
    pub span: Span,
}

/// `territory dach = [DE, AT, CH]`
#[derive(Debug, Clone)]
pub struct TerritoryDecl {
    pub name: Ident,
    pub expr: TerritoryExpr,
    pub span: Span,
}

/// `A + B except C + D` means (A ∪ B) \ (C ∪ D).
#[derive(Debug, Clone)]
pub struct TerritoryExpr {
    pub include: Vec<TerritoryTerm>,
    pub exclude: Vec<TerritoryTerm>,
    /// Span of the `except` keyword, when there is one.
    pub except_span: Option<Span>,
    pub span: Span,
}

/// One operand of a territory expression.
#[derive(Debug, Clone)]
pub enum TerritoryTerm {
    Worldwide(Span),
    /// A named group, a built-in group (`EU`, `EEA`) or a single ISO code.
    Name(Ident),
    /// `[DE, AT, CH]`
    List(Vec<Ident>, Span),
}

impl TerritoryTerm {
    pub fn span(&self) -> Span {
        match self {
            TerritoryTerm::Worldwide(s) | TerritoryTerm::List(_, s) => *s,
            TerritoryTerm::Name(i) => i.span,
        }
    }
}

/// A dotted field path: `robotics.consumer.lawn`.
#[derive(Debug, Clone)]
pub struct FieldPath {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl FieldPath {
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.segments.iter().map(|s| s.name.as_str()).collect();
        parts.join(".")
    }
}

/// `field a, b except a.x` (or `field all`).
#[derive(Debug, Clone)]
pub struct FieldExpr {
    /// Empty when the expression is `all`.
    pub include: Vec<FieldPath>,
    pub all: bool,
    pub exclude: Vec<FieldPath>,
    pub except_span: Option<Span>,
    pub span: Span,
}

/// `asset acme_motion: patent family of acme { … }`
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: Ident,
    /// terms: the defined term the prose uses: `asset gan "GaN Patents": …`.
    pub label: Option<StrLit>,
    pub kind: Spanned<AssetKind>,
    pub owners: Vec<Ident>,
    /// For `patents of P filed A until B`: the capture period.
    pub capture: Option<(DateLit, DateLit)>,
    pub patents: Vec<Patent>,
    pub origin: Option<Spanned<Origin>>,
    pub notes: Vec<StrLit>,
    /// pools (issue 15): `essential to …` lines.
    pub essential: Vec<Essential>,
    pub span: Span,
}

/// `patent "EP 3 456 789" expires 2039-02-11 in [DE, FR, GB]`
#[derive(Debug, Clone)]
pub struct Patent {
    pub number: StrLit,
    pub expires: Option<DateLit>,
    pub filed: Option<DateLit>,
    pub territory: Option<TerritoryExpr>,
    /// `pending`: an application not yet granted (rights: issue 15); its `expires`, if
    /// any, is the expected expiry.
    pub pending: Option<Span>,
    pub span: Span,
}

/// When a grant or reservation runs.
#[derive(Debug, Clone)]
pub struct TermSpec {
    /// An explicit start; otherwise the agreement's `effective` date.
    pub start: Option<DateLit>,
    pub end: TermEnd,
    pub span: Span,
}

/// How a term ends.
#[derive(Debug, Clone)]
pub enum TermEnd {
    /// `until 2031-01-01` (exclusive end).
    Until(DateLit),
    /// `for 5 years` / `5 years`.
    For(DurationLit),
    /// `until expiry`: when the last licensed patent expires, per territory.
    UntilExpiry(Span),
    Perpetual(Span),
}

/// Who receives a grant.
#[derive(Debug, Clone)]
pub enum Licensee {
    Party(Ident),
    /// `-> members`: every other party of a pool.
    Members(Span),
}

impl Licensee {
    pub fn span(&self) -> Span {
        match self {
            Licensee::Party(i) => i.span,
            Licensee::Members(s) => *s,
        }
    }
}

/// `exclusive subject to research, education`
#[derive(Debug, Clone)]
pub struct Exclusivity {
    pub kind: ExclusivityKind,
    pub subject_to: Vec<Ident>,
    pub span: Span,
}

/// `cap 1_000_000 USD per year`
#[derive(Debug, Clone)]
pub struct Limit {
    pub kind: LimitKind,
    pub amount: Money,
    pub per_year: bool,
    /// terms (issue 15): `per calendar year` (January to December) rather than `per
    /// year` (each year of the license from its start).
    pub calendar: bool,
    pub span: Span,
}

/// `from 0 USD to 1_000_000 USD at 3%`
#[derive(Debug, Clone)]
pub struct Tier {
    pub from: Money,
    pub to: Option<Money>,
    pub rate: PercentLit,
    pub span: Span,
}

/// When a running royalty is payable, as written after its commas: `from DATE`,
/// `until DATE`, `until expiry`, `for N years` (issue 15, royalty terms).
#[derive(Debug, Clone, Default)]
pub struct RoyaltyPeriodLit {
    pub from: Option<DateLit>,
    pub until: Option<DateLit>,
    pub until_expiry: Option<Span>,
    /// `from expiry` (terms: issue 15, round 5): payable in each country from the day
    /// the last licensed patent in force there expires.
    pub from_expiry: Option<Span>,
    pub for_: Option<DurationLit>,
    /// terms (issue 15): `payable quarterly within 45 days`.
    pub payable: Option<PaymentLit>,
    /// terms (issue 15): `report quarterly`.
    pub report: Option<Spanned<crate::vocab::Frequency>>,
}

/// terms (issue 15): `payable quarterly within 45 days`: the royalty accrued in each
/// period is paid within the days after it ends.
#[derive(Debug, Clone)]
pub struct PaymentLit {
    pub every: Spanned<crate::vocab::Frequency>,
    pub within: Option<DurationLit>,
    pub span: Span,
}

/// What the licensee pays.
#[derive(Debug, Clone)]
pub enum Consideration {
    RoyaltyFree(Span),
    /// `royalty 2.5% of net sales`
    Percent {
        rate: PercentLit,
        limits: Vec<Limit>,
        base: crate::vocab::RoyaltyBase,
        period: Box<RoyaltyPeriodLit>,
        span: Span,
    },
    /// `royalty 3 USD per unit`
    PerUnit {
        amount: Money,
        limits: Vec<Limit>,
        period: Box<RoyaltyPeriodLit>,
        span: Span,
    },
    /// `royalty tiered of net sales per year { … }`
    Tiered {
        per_year: bool,
        tiers: Vec<Tier>,
        limits: Vec<Limit>,
        period: Box<RoyaltyPeriodLit>,
        span: Span,
    },
    /// `lump sum 500_000 USD on 2026-03-01`
    LumpSum {
        amount: Money,
        due: Option<DateLit>,
        span: Span,
    },
    /// `milestone 250_000 USD on "first commercial sale"`
    Milestone {
        amount: Money,
        event: StrLit,
        span: Span,
    },
}

impl Consideration {
    pub fn span(&self) -> Span {
        match self {
            Consideration::RoyaltyFree(s) => *s,
            Consideration::Percent { span, .. }
            | Consideration::PerUnit { span, .. }
            | Consideration::Tiered { span, .. }
            | Consideration::LumpSum { span, .. }
            | Consideration::Milestone { span, .. } => *span,
        }
    }

    /// The caps and floors attached to a royalty.
    pub fn limits(&self) -> &[Limit] {
        match self {
            Consideration::Percent { limits, .. }
            | Consideration::PerUnit { limits, .. }
            | Consideration::Tiered { limits, .. } => limits,
            _ => &[],
        }
    }
}

/// `grant id: licensor -> licensee [and affiliates] { … }`
#[derive(Debug, Clone)]
pub struct Grant {
    pub name: Ident,
    /// terms: the defined name the prose uses: `grant motion "Motion License": …`
    /// (boxed: it is rare, and a grant is the largest item).
    pub label: Option<Box<StrLit>>,
    pub licensor: Ident,
    pub licensee: Licensee,
    /// `and affiliates` after the licensee.
    pub to_affiliates: Option<Span>,
    pub assets: Vec<Ident>,
    pub rights: Option<Spanned<Vec<Spanned<Right>>>>,
    pub field: Option<FieldExpr>,
    pub territory: Option<TerritoryExpr>,
    pub term: Option<TermSpec>,
    pub exclusivity: Option<Exclusivity>,
    /// `purpose research, …` (rights: issue 15; boxed, as it is rare, to keep items small).
    pub purpose: Option<Box<Spanned<Vec<Ident>>>>,
    /// `covenant id: …` instead of `grant id: …` (rights: issue 15).
    pub covenant: Option<Box<CovenantHead>>,
    /// `release id: …` instead of `grant id: …` (rights: issue 15).
    pub release: Option<Box<ReleaseHead>>,
    pub sublicense: Option<Spanned<Sublicense>>,
    pub transfer: Option<Spanned<Transfer>>,
    pub consideration: Vec<Consideration>,
    pub notes: Vec<StrLit>,
    /// `exclusive until diligence NAME, … missed` (rights: issue 15): the diligence
    /// milestones whose miss converts the exclusivity to non-exclusive (boxed: rare).
    pub converts: Option<Box<Spanned<Vec<Ident>>>>,
    /// `diligence NAME: PARTY "event" by DATE` lines (rights: issue 15).
    pub diligence: Vec<Diligence>,
    /// pools (issue 15, round 2): standards and most-favoured terms.
    pub pools: Option<Box<GrantPools>>,
    /// `commit PARTY purchase|spend …` lines (terms: issue 15, round 5).
    pub commitments: Vec<Commitment>,
    /// The `grant id: a -> b` line, for labels.
    pub header: Span,
    pub span: Span,
}

/// `diligence first_sale: kestrel "first commercial sale" by 2028-06-30` (rights: issue
/// 15): a milestone a party must reach by a date.
#[derive(Debug, Clone)]
pub struct Diligence {
    pub name: Ident,
    pub party: Ident,
    pub event: StrLit,
    pub by: DateLit,
    pub span: Span,
}

/// `commit kestrel purchase 10_000 units per calendar year on "licensed sensors", from
/// 2027-01-01` (terms: issue 15, round 5): a minimum a party commits to buy or spend.
#[derive(Debug, Clone)]
pub struct Commitment {
    /// `commit NAME: …` (round 6): a name, so that `exclusive until diligence NAME
    /// missed` can convert the exclusivity on it.
    pub name: Option<Ident>,
    pub party: Ident,
    pub amount: CommitAmount,
    /// `per year` (`false`) or `per calendar year` (`true`); none: over the term.
    pub per_year: Option<bool>,
    /// What the units are or the money is spent on, in words.
    pub subject: StrLit,
    pub from: Option<DateLit>,
    pub until: Option<DateLit>,
    pub span: Span,
}

/// What a commitment counts (terms: issue 15, round 5).
#[derive(Debug, Clone)]
pub enum CommitAmount {
    /// `purchase N units`.
    Units(NumLit),
    /// `spend AMOUNT CUR`.
    Spend(Money),
}

/// What the header of a covenant adds to a grant's (rights: issue 15).
#[derive(Debug, Clone)]
pub struct CovenantHead {
    /// The `covenant` keyword.
    pub keyword: Span,
    /// `and customers` after the covenantee.
    pub to_customers: Option<Span>,
}

/// What a release of past infringement adds to a grant (rights: issue 15).
#[derive(Debug, Clone)]
pub struct ReleaseHead {
    /// The `release` keyword.
    pub keyword: Span,
    /// `before DATE`: the acts released are those done before it (missing: reported).
    pub before: Option<DateLit>,
}

/// The scope part of a reservation: `{ rights … field … territory … term … }`.
#[derive(Debug, Clone, Default)]
pub struct ScopeBlock {
    pub rights: Option<Spanned<Vec<Spanned<Right>>>>,
    pub field: Option<FieldExpr>,
    pub territory: Option<TerritoryExpr>,
    pub term: Option<TermSpec>,
    /// `purpose research, …` (rights: issue 15).
    pub purpose: Option<Spanned<Vec<Ident>>>,
}

/// `reserve [name:] assets [for party] [{ scope }]`
#[derive(Debug, Clone)]
pub struct Reserve {
    pub name: Option<Ident>,
    pub assets: Vec<Ident>,
    /// `for P`: rights the owner keeps for itself (not a hard limit).
    pub holder: Option<Ident>,
    pub scope: ScopeBlock,
    pub header: Span,
    pub span: Span,
}

/// clauses (issue 15): `first refusal NAME: HOLDER on ASSETS { scope; within N days }`
/// (or `first negotiation`): the holder's first chance to take a license in the scope
/// from the owners of the assets. It grants no right.
#[derive(Debug, Clone)]
pub struct FirstRight {
    pub kind: Spanned<crate::vocab::FirstRightKind>,
    pub name: Ident,
    pub holder: Ident,
    pub assets: Vec<Ident>,
    pub scope: ScopeBlock,
    /// `within 30 days`: the time to match an offer, or to negotiate exclusively.
    pub within: Option<DurationLit>,
    pub notes: Vec<StrLit>,
    pub header: Span,
    pub span: Span,
}

/// clauses (issue 15, round 4): `payment NAME ["Label"]: PAYER -> PAYEE { pay AMOUNT on
/// DATE … }`, a payment the agreement provides for, not tied to one grant (a settlement
/// or balancing payment); two or more `pay` lines are instalments.
#[derive(Debug, Clone)]
pub struct Payment {
    pub name: Ident,
    pub label: Option<StrLit>,
    pub payer: Ident,
    pub payee: Ident,
    /// The `pay` lines, in source order.
    pub instalments: Vec<Instalment>,
    pub notes: Vec<StrLit>,
    pub header: Span,
    pub span: Span,
}

/// One `pay AMOUNT on DATE` line of a payment.
#[derive(Debug, Clone)]
pub struct Instalment {
    pub amount: Money,
    pub due: DateLit,
    pub span: Span,
}

/// `grant back globex -> acme { … }`
#[derive(Debug, Clone)]
pub struct FlowRule {
    pub direction: FlowDirection,
    pub from: Ident,
    pub to: Ident,
    pub covers: Option<Spanned<Coverage>>,
    pub exclusivity: Option<Exclusivity>,
    pub consideration: Vec<Consideration>,
    /// `sunset after 3 years` (counted from the agreement's effective date).
    pub sunset: Option<DurationLit>,
    /// `consent required` / `consent not required`.
    pub consent: Option<Spanned<bool>>,
    pub header: Span,
    pub span: Span,
}

/// `improvements on asset { owner …  grant back … }`
#[derive(Debug, Clone)]
pub struct Improvements {
    pub assets: Vec<Ident>,
    pub owner: Option<Spanned<ImprovementOwner>>,
    pub rules: Vec<FlowRule>,
    pub header: Span,
    pub span: Span,
}

/// `renew automatically for 1 year, at most 3 times, notice 90 days`
#[derive(Debug, Clone)]
pub struct Renewal {
    pub automatic: bool,
    pub period: DurationLit,
    pub max_times: Option<NumLit>,
    pub notice: Option<DurationLit>,
    pub span: Span,
}

/// `renegotiate every 2 years [, notice 90 days]`
#[derive(Debug, Clone)]
pub struct Renegotiation {
    pub every: DurationLit,
    pub notice: Option<DurationLit>,
    pub span: Span,
}

/// One termination trigger: `breach cure 60 days`, `insolvency`, `convenience notice 90 days`.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub words: Vec<Ident>,
    /// The party that may invoke the trigger (`by acme`); none: either party.
    pub by: Option<Ident>,
    pub cure: Option<DurationLit>,
    pub notice: Option<DurationLit>,
    pub span: Span,
}

impl Trigger {
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.words.iter().map(|w| w.name.as_str()).collect();
        parts.join(" ")
    }
}

/// `sunset grant_id { … }`
#[derive(Debug, Clone)]
pub struct Sunset {
    pub grant: Ident,
    pub renewals: Vec<Renewal>,
    pub renegotiations: Vec<Renegotiation>,
    pub wind_down: Option<DurationLit>,
    pub terminations: Vec<Trigger>,
    pub survives: Vec<Ident>,
    pub header: Span,
    pub span: Span,
}

// ---- terms: obligations, provisions and definitions (issue 15, part 3)

/// `define net_sales "…"` in the agreement block: a defined term for Article 1.
#[derive(Debug, Clone)]
pub struct Definition {
    pub name: Ident,
    pub text: StrLit,
    pub span: Span,
}

/// An obligation, governance clause or free-text provision: `audit acme of globex { … }`,
/// `confidentiality { … }`, `disputes { … }`, `liability { … }`, `warranty 2 years`,
/// `provision "Title" "text"`.
#[derive(Debug, Clone)]
pub struct Obligation {
    pub kind: Spanned<ObligationKind>,
    /// The parties of the header: for an audit, the auditor and the audited party.
    pub parties: Vec<Ident>,
    /// The title of a provision.
    pub title: Option<StrLit>,
    /// The asset of a `prosecution` or `enforcement` clause, the name of a `committee`.
    pub subject: Option<Ident>,
    pub attrs: Vec<ObligationAttr>,
    pub header: Span,
    pub span: Span,
}

/// One parameter of an obligation clause as written.
#[derive(Debug, Clone)]
pub struct ObligationAttr {
    pub key: ObligationKey,
    pub value: ObligationLit,
    pub span: Span,
}

/// The value of an obligation parameter as written.
#[derive(Debug, Clone)]
pub enum ObligationLit {
    /// The attribute alone (`mediation`).
    Flag,
    Duration(DurationLit),
    Percent(PercentLit),
    Money(Money),
    Text(StrLit),
    /// A list of names and words (`affiliates`, `know-how`, a party or asset id, a
    /// quoted phrase); the resolver sorts them.
    Items(Vec<ObligationItem>),
    /// `acme 50%, globex 50%` (shares) or `acme 2, globex 2` (members).
    Shares(Vec<ObligationShare>),
}

/// One party's share: a percentage (`acme 50%`) or a count (`acme 2`).
#[derive(Debug, Clone)]
pub struct ObligationShare {
    pub party: Ident,
    pub percent: Option<PercentLit>,
    pub count: Option<NumLit>,
    pub span: Span,
}

/// One entry of a list in an obligation clause.
#[derive(Debug, Clone)]
pub enum ObligationItem {
    /// A name: a party, an asset or a word the clause knows (`advisors`).
    Name(Ident),
    /// A keyword of the language used as a word (`affiliates`, `know-how`, `trade
    /// secret`, `confidentiality`), in its written form.
    Word(Spanned<&'static str>),
    /// A quoted phrase, taken as written.
    Text(StrLit),
}

impl ObligationItem {
    pub fn span(&self) -> Span {
        match self {
            ObligationItem::Name(i) => i.span,
            ObligationItem::Word(w) => w.span,
            ObligationItem::Text(t) => t.span,
        }
    }
}
