//! The JSON policy: the fully resolved, normalised agreement set that downstream systems
//! consume. Built from dedicated output types (never the syntax tree), versioned by
//! `xlic_policy`, described by a JSON Schema generated from these types.

use crate::check::context::Ctx;
use crate::date::{Date, Duration, DurationUnit};
use crate::model::{
    AgreementModel, ConsiderationModel, FieldSet, GrantModel, Interval, LimitModel, Model,
    MoneyValue, PartyId, TermModel,
};
use crate::scope;
use crate::source::{SourceMap, Span};
use crate::territory::TerritorySet;
use crate::vocab::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, Origin, Sublicense,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the policy format this compiler writes.
pub const POLICY_VERSION: u32 = 1;

/// A compiled agreement set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The format version; readers refuse versions they do not know.
    pub xlic_policy: u32,
    /// The date of the ISO and EU/EEA membership tables the compiler used.
    pub tables_date: String,
    pub parties: Vec<PartyOut>,
    /// Every field of use, in pre-order (a node precedes its descendants).
    pub fields: Vec<FieldOut>,
    pub territory_groups: Vec<GroupOut>,
    pub assets: Vec<AssetOut>,
    pub agreements: Vec<AgreementOut>,
}

/// Where a clause was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceLoc {
    /// The file, as named on the command line or relative to the importing file.
    pub file: String,
    /// One-based line of the clause's start.
    pub line: u32,
    /// One-based column (in characters) of the clause's start.
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// A party or an affiliate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyOut {
    pub id: String,
    pub legal_name: String,
    pub short_name: Option<String>,
    /// For an affiliate, the party it belongs to.
    pub parent: Option<String>,
    pub affiliates: Vec<String>,
    pub source: SourceLoc,
}

/// A field of use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldOut {
    /// The dotted path, e.g. `robotics.consumer`.
    pub id: String,
    pub label: Option<String>,
    pub parent: Option<String>,
    pub source: SourceLoc,
}

/// A set of countries, written as the sorted list of their ISO 3166-1 alpha-2 codes.
///
/// It is held as a [`TerritorySet`] (32 bytes) rather than a list of strings: a
/// worldwide grant lists some 250 codes three times over, and the policy of a large
/// portfolio would otherwise spend most of its memory and time on them. Reading a
/// policy with a code that is not a country is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Countries(pub TerritorySet);

impl Countries {
    /// The codes, sorted.
    pub fn codes(&self) -> Vec<&'static str> {
        self.0.codes()
    }

    /// Whether the set has no country.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Countries {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for i in self.0.iter() {
            if let Some(c) = crate::iso::country_by_index(i) {
                seq.serialize_element(c.code)?;
            }
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Countries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Countries, D::Error> {
        let list = Vec::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let mut set = TerritorySet::empty();
        for code in &list {
            let Some(i) = crate::iso::country_index(code) else {
                return Err(serde::de::Error::custom(format!(
                    "`{code}` is not an ISO 3166-1 alpha-2 country code"
                )));
            };
            set.insert(i);
        }
        Ok(Countries(set))
    }
}

impl JsonSchema for Countries {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Countries".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<String>>::json_schema(generator)
    }
}

/// A named territory group, expanded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupOut {
    pub id: String,
    /// Sorted ISO 3166-1 alpha-2 codes.
    pub territories: Countries,
    pub source: SourceLoc,
}

/// A licensed asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetOut {
    pub id: String,
    /// `patent`, `patent_family`, `know_how`, `trade_secret`, `software`, `data` or
    /// `patents_filed` (every patent of the owners filed within `capture`).
    pub kind: String,
    pub owners: Vec<String>,
    /// `background` or `foreground`, when stated.
    pub origin: Option<String>,
    pub patents: Vec<PatentOut>,
    pub capture: Option<PeriodOut>,
    pub notes: Vec<String>,
    pub source: SourceLoc,
}

/// One patent: where it is in force, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatentOut {
    pub number: String,
    pub territories: Countries,
    pub filed: Option<String>,
    /// The first day the patent is no longer in force.
    pub expires: Option<String>,
    pub source: SourceLoc,
}

/// A half-open period `[start, end)`; `end` null means without end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodOut {
    pub start: String,
    /// Exclusive end date (the first day no longer included), or null.
    pub end: Option<String>,
}

/// One agreement and its clauses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementOut {
    /// The agreement's id: its file's name without `.xlic` (the path, where two
    /// files share a name). Clause ids are unique within an agreement.
    pub id: String,
    pub title: String,
    /// `cross-license`, `license` or `pool`.
    pub kind: String,
    pub effective: Option<String>,
    /// The agreement's term; a null `end` is perpetual, or until expiry when
    /// `term_until_expiry` is true.
    pub term: Option<PeriodOut>,
    /// `term until expiry`: the agreement ends when its last licensed patent expires.
    pub term_until_expiry: bool,
    pub governing_law: Option<String>,
    pub parties: Vec<String>,
    pub notes: Vec<String>,
    pub grants: Vec<GrantOut>,
    pub reservations: Vec<ReservationOut>,
    pub improvements: Vec<ImprovementsOut>,
    pub sunsets: Vec<SunsetOut>,
    pub source: SourceLoc,
}

/// A grant, fully resolved: every default applied and every `except` subtracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantOut {
    pub id: String,
    pub licensor: String,
    pub licensees: Vec<String>,
    /// `-> members` in a pool: `licensees` lists every other party.
    pub to_members: bool,
    /// `and affiliates`: the licensees' affiliates are licensed too.
    pub to_affiliates: bool,
    /// Every party the grant licenses: the licensees and, with `and affiliates`, theirs.
    pub reach: Vec<String>,
    pub assets: Vec<String>,
    /// The rights granted, in canonical order.
    pub rights: Vec<String>,
    /// Every field node covered, `except` applied.
    pub fields: Vec<String>,
    /// The field nodes that `except` removed from the ones named.
    pub fields_excepted: Vec<String>,
    /// Sorted ISO codes covered, `except` applied.
    pub territories: Countries,
    /// The ISO codes that `except` removed from the ones named.
    pub territories_excepted: Countries,
    pub term: GrantTermOut,
    /// `exclusive`, `sole` or `non-exclusive`.
    pub exclusivity: String,
    /// Reservations (by name) carved out of the exclusivity.
    pub subject_to: Vec<String>,
    /// `none`, `affiliates`, `with_consent` or `free`.
    pub sublicense: String,
    pub transferable: bool,
    pub personal: bool,
    pub consideration: Vec<ConsiderationOut>,
    /// Where and while each asset is licensed in fact: the grant's territory and term
    /// cut down to where and while the asset's patents are in force.
    pub effective_scope: Vec<EffectiveOut>,
    /// The sell-off period after the term, when a sunset clause gives one.
    pub wind_down: Option<PeriodOut>,
    pub notes: Vec<String>,
    pub source: SourceLoc,
}

/// A grant's term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantTermOut {
    pub start: String,
    /// Exclusive end date, or null when perpetual (or until expiry of patents without
    /// listed expiry dates).
    pub end: Option<String>,
    /// `until expiry`: ends, per territory, when the last licensed patent expires.
    pub until_expiry: bool,
}

/// One piece of a grant's effective scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveOut {
    pub asset: String,
    pub territories: Countries,
    pub start: String,
    pub end: Option<String>,
}

/// An amount of money: a decimal string and an ISO 4217 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyOut {
    /// Decimal, never floating point, without trailing zeros: `"1000000"`, `"0.5"`.
    pub amount: String,
    pub currency: String,
}

/// A cap or floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitOut {
    /// `cap` or `floor`.
    pub kind: String,
    pub amount: MoneyOut,
    pub per_year: bool,
}

/// One royalty band `[from, to)` of sales, at a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierOut {
    pub from: MoneyOut,
    pub to: Option<MoneyOut>,
    /// Percent, as a decimal string.
    pub rate: String,
}

/// What the licensee pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsiderationOut {
    RoyaltyFree,
    /// A percentage of net sales.
    Royalty {
        rate: String,
        base: String,
        limits: Vec<LimitOut>,
    },
    /// An amount per unit sold.
    PerUnit {
        amount: MoneyOut,
        limits: Vec<LimitOut>,
    },
    /// Bands of net sales, each at its rate.
    Tiered {
        base: String,
        per_year: bool,
        tiers: Vec<TierOut>,
        limits: Vec<LimitOut>,
    },
    LumpSum {
        amount: MoneyOut,
        due: Option<String>,
    },
    Milestone {
        amount: MoneyOut,
        event: String,
    },
}

/// A `reserve` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationOut {
    pub id: Option<String>,
    /// `hard` (no grant may cover it) or `retained` (rights the holder keeps).
    pub kind: String,
    pub holder: Option<String>,
    pub assets: Vec<String>,
    pub rights: Vec<String>,
    /// Null when the reservation covers every field.
    pub fields: Option<Vec<String>>,
    pub territories: Countries,
    pub term: PeriodOut,
    pub source: SourceLoc,
}

/// An `improvements` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImprovementsOut {
    pub assets: Vec<String>,
    /// `improver`, `base_owner` or `joint`.
    pub owner: Option<String>,
    pub rules: Vec<FlowOut>,
    pub source: SourceLoc,
}

/// A grant-back or license-forward rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowOut {
    /// `grant_back` or `license_forward`.
    pub direction: String,
    pub from: String,
    pub to: String,
    /// `collaboration` or `all`.
    pub covers: String,
    pub exclusivity: String,
    pub consideration: Vec<ConsiderationOut>,
    /// The first day the rule no longer applies.
    pub sunset: Option<String>,
    /// Whether an improvement falls under the rule only with its owner's consent
    /// (`consent required`); false when not stated.
    pub consent_required: bool,
    pub source: SourceLoc,
}

/// A duration as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DurationOut {
    pub amount: u32,
    /// `days`, `months` or `years`.
    pub unit: String,
}

/// A renewal option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalOut {
    pub automatic: bool,
    pub period: DurationOut,
    pub max_times: Option<u32>,
    pub notice: Option<DurationOut>,
}

/// A termination trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerOut {
    pub event: String,
    pub cure: Option<DurationOut>,
    pub notice: Option<DurationOut>,
}

/// `renegotiate every N years [, notice M days]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenegotiationOut {
    pub every: DurationOut,
    pub notice: Option<DurationOut>,
}

/// A `sunset` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SunsetOut {
    pub grant: String,
    pub renewals: Vec<RenewalOut>,
    /// Renegotiation windows: how often, and the notice to open one.
    pub renegotiations: Vec<RenegotiationOut>,
    pub wind_down: Option<DurationOut>,
    pub terminations: Vec<TriggerOut>,
    pub survives: Vec<String>,
    pub source: SourceLoc,
}

/// The JSON Schema (draft 2020-12) of the policy, as pretty JSON with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Policy);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The policy as indented JSON with a final newline, lists of plain values on one line
/// (see [`super::layout`]). Field order is fixed by the types and every list is in a
/// defined order, so the bytes are the same on every run.
pub fn to_json(policy: &Policy) -> String {
    super::layout::to_string(policy)
}

struct Builder<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
}

impl Builder<'_> {
    fn loc(&self, span: Span) -> SourceLoc {
        let start = self.sources.line_col(span.file, span.start);
        let end = self.sources.line_col(span.file, span.end);
        SourceLoc {
            // `/` on every platform, so the bytes do not depend on it.
            file: self.sources.name(span.file).replace('\\', "/"),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    fn party(&self, p: PartyId) -> String {
        self.model.party_name(p).to_string()
    }

    fn parties(&self, list: &[PartyId]) -> Vec<String> {
        list.iter().map(|p| self.party(*p)).collect()
    }

    fn fields(&self, set: &FieldSet) -> Vec<String> {
        set.ids()
            .map(|id| self.model.fields.path(id).to_string())
            .collect()
    }
}

fn codes(t: TerritorySet) -> Countries {
    Countries(t)
}

fn date(d: Date) -> String {
    d.to_string()
}

fn period(i: Interval) -> PeriodOut {
    PeriodOut {
        start: date(i.start),
        end: i.end.map(date),
    }
}

fn duration(d: Duration) -> DurationOut {
    DurationOut {
        amount: d.amount,
        unit: match d.unit {
            DurationUnit::Days => "days",
            DurationUnit::Months => "months",
            DurationUnit::Years => "years",
        }
        .to_string(),
    }
}

fn money(m: &MoneyValue) -> MoneyOut {
    MoneyOut {
        amount: m.amount.normalize().to_string(),
        currency: m.currency.clone(),
    }
}

fn limits(list: &[LimitModel]) -> Vec<LimitOut> {
    list.iter()
        .map(|l| LimitOut {
            kind: match l.kind {
                LimitKind::Cap => "cap",
                LimitKind::Floor => "floor",
            }
            .to_string(),
            amount: money(&l.amount),
            per_year: l.per_year,
        })
        .collect()
}

/// The consideration of a clause, in the policy's form.
pub fn consideration(list: &[ConsiderationModel]) -> Vec<ConsiderationOut> {
    list.iter()
        .map(|c| match c {
            ConsiderationModel::RoyaltyFree => ConsiderationOut::RoyaltyFree,
            ConsiderationModel::Percent { rate, limits: l } => ConsiderationOut::Royalty {
                rate: rate.normalize().to_string(),
                base: "net_sales".to_string(),
                limits: limits(l),
            },
            ConsiderationModel::PerUnit { amount, limits: l } => ConsiderationOut::PerUnit {
                amount: money(amount),
                limits: limits(l),
            },
            ConsiderationModel::Tiered {
                per_year,
                tiers,
                limits: l,
            } => ConsiderationOut::Tiered {
                base: "net_sales".to_string(),
                per_year: *per_year,
                tiers: tiers
                    .iter()
                    .map(|t| TierOut {
                        from: money(&t.from),
                        to: t.to.as_ref().map(money),
                        rate: t.rate.normalize().to_string(),
                    })
                    .collect(),
                limits: limits(l),
            },
            ConsiderationModel::LumpSum { amount, due } => ConsiderationOut::LumpSum {
                amount: money(amount),
                due: due.map(date),
            },
            ConsiderationModel::Milestone { amount, event } => ConsiderationOut::Milestone {
                amount: money(amount),
                event: event.clone(),
            },
        })
        .collect()
}

/// Keyword spellings in the policy (snake case).
pub fn kind_name(k: AssetKind) -> &'static str {
    match k {
        AssetKind::Patent => "patent",
        AssetKind::PatentFamily => "patent_family",
        AssetKind::KnowHow => "know_how",
        AssetKind::TradeSecret => "trade_secret",
        AssetKind::Software => "software",
        AssetKind::Data => "data",
        AssetKind::PatentsFiled => "patents_filed",
    }
}

fn agreement_kind(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::CrossLicense => "cross-license",
        AgreementKind::License => "license",
        AgreementKind::Pool => "pool",
    }
}

fn sublicense(s: Sublicense) -> &'static str {
    match s {
        Sublicense::None => "none",
        Sublicense::Affiliates => "affiliates",
        Sublicense::WithConsent => "with_consent",
        Sublicense::Free => "free",
    }
}

fn exclusivity(e: ExclusivityKind) -> String {
    e.keyword().to_string()
}

/// Agreement ids: file stems, or the whole path where two files share a stem.
fn agreement_ids(model: &Model, sources: &SourceMap) -> Vec<String> {
    let names: Vec<String> = model
        .agreements
        .iter()
        .map(|a| sources.name(a.file).to_string())
        .collect();
    let stem = |n: &str| {
        std::path::Path::new(n)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| n.to_string())
    };
    names
        .iter()
        .map(|n| {
            let s = stem(n);
            if names.iter().filter(|m| stem(m) == s).count() > 1 {
                n.trim_end_matches(".xlic").to_string()
            } else {
                s
            }
        })
        .collect()
}

/// Builds the policy of a compilation (which should have no errors).
pub fn policy(model: &Model, sources: &SourceMap) -> Policy {
    let b = Builder { model, sources };
    let ctx = Ctx::new(model);
    let parties = model
        .parties
        .iter()
        .map(|p| PartyOut {
            id: p.name.clone(),
            legal_name: p.legal_name.clone(),
            short_name: p.short_name.clone(),
            parent: p.parent.map(|x| b.party(x)),
            affiliates: b.parties(&p.affiliates),
            source: b.loc(p.span),
        })
        .collect();
    let fields = model
        .fields
        .nodes
        .iter()
        .map(|f| FieldOut {
            id: f.path.clone(),
            label: f.label.clone(),
            parent: f.parent.map(|p| model.fields.path(p).to_string()),
            source: b.loc(f.span),
        })
        .collect();
    let territory_groups = model
        .groups
        .iter()
        .map(|g| GroupOut {
            id: g.name.clone(),
            territories: codes(g.set),
            source: b.loc(g.span),
        })
        .collect();
    let assets = model
        .assets
        .iter()
        .map(|a| AssetOut {
            id: a.name.clone(),
            kind: kind_name(a.kind).to_string(),
            owners: b.parties(&a.owners),
            origin: a.origin.map(|o| match o {
                Origin::Background => "background".to_string(),
                Origin::Foreground => "foreground".to_string(),
            }),
            patents: a
                .patents
                .iter()
                .map(|p| PatentOut {
                    number: p.number.clone(),
                    territories: codes(p.territory),
                    filed: p.filed.map(date),
                    expires: p.expires.map(date),
                    source: b.loc(p.span),
                })
                .collect(),
            capture: a.capture.map(|(s, e)| PeriodOut {
                start: date(s),
                end: Some(date(e)),
            }),
            notes: a.notes.clone(),
            source: b.loc(a.span),
        })
        .collect();
    let ids = agreement_ids(model, sources);
    let mut infos = ctx.grants.iter();
    let agreements = model
        .agreements
        .iter()
        .zip(ids)
        .map(|(a, id)| {
            let grants = a
                .grants
                .iter()
                .map(|g| {
                    let time = infos.next().map(|i| i.time).unwrap_or(Interval {
                        start: g.term.start(),
                        end: None,
                    });
                    grant(&b, a, g, time)
                })
                .collect();
            agreement(&b, a, id, grants)
        })
        .collect();
    Policy {
        xlic_policy: POLICY_VERSION,
        tables_date: crate::iso::MEMBERSHIP_TABLES_DATE.to_string(),
        parties,
        fields,
        territory_groups,
        assets,
        agreements,
    }
}

fn agreement(
    b: &Builder<'_>,
    a: &AgreementModel,
    id: String,
    grants: Vec<GrantOut>,
) -> AgreementOut {
    let model = b.model;
    AgreementOut {
        id,
        title: a.title.clone(),
        kind: agreement_kind(a.kind).to_string(),
        effective: a.effective.map(date),
        term: a.term.map(period),
        term_until_expiry: a.term_until_expiry,
        governing_law: a.governing_law.clone(),
        parties: b.parties(&a.parties),
        notes: a.notes.clone(),
        grants,
        reservations: a
            .reservations
            .iter()
            .map(|r| ReservationOut {
                id: r.name.clone(),
                kind: if r.holder.is_some() {
                    "retained"
                } else {
                    "hard"
                }
                .to_string(),
                holder: r.holder.map(|h| b.party(h)),
                assets: r
                    .assets
                    .iter()
                    .map(|x| model.asset_name(*x).to_string())
                    .collect(),
                rights: r.rights.iter().map(|x| x.keyword().to_string()).collect(),
                fields: if r.all_fields {
                    None
                } else {
                    Some(b.fields(&r.fields))
                },
                territories: codes(r.territory),
                term: period(r.term),
                source: b.loc(r.span),
            })
            .collect(),
        improvements: a
            .improvements
            .iter()
            .map(|imp| ImprovementsOut {
                assets: imp
                    .assets
                    .iter()
                    .map(|x| model.asset_name(*x).to_string())
                    .collect(),
                owner: imp.owner.map(|o| {
                    match o {
                        ImprovementOwner::Improver => "improver",
                        ImprovementOwner::BaseOwner => "base_owner",
                        ImprovementOwner::Joint => "joint",
                    }
                    .to_string()
                }),
                rules: imp
                    .rules
                    .iter()
                    .map(|r| FlowOut {
                        direction: match r.direction {
                            FlowDirection::GrantBack => "grant_back",
                            FlowDirection::LicenseForward => "license_forward",
                        }
                        .to_string(),
                        from: b.party(r.from),
                        to: b.party(r.to),
                        covers: match r.covers {
                            Coverage::Collaboration => "collaboration",
                            Coverage::All => "all",
                        }
                        .to_string(),
                        exclusivity: exclusivity(r.exclusivity),
                        consideration: consideration(&r.consideration),
                        sunset: r.sunset.map(date),
                        consent_required: r.consent_required.unwrap_or(false),
                        source: b.loc(r.span),
                    })
                    .collect(),
                source: b.loc(imp.span),
            })
            .collect(),
        sunsets: a
            .sunsets
            .iter()
            .map(|s| SunsetOut {
                grant: s.grant_name.clone(),
                renewals: s
                    .renewals
                    .iter()
                    .map(|r| RenewalOut {
                        automatic: r.automatic,
                        period: duration(r.period),
                        max_times: r.max_times,
                        notice: r.notice.map(duration),
                    })
                    .collect(),
                renegotiations: s
                    .renegotiate_every
                    .iter()
                    .enumerate()
                    .map(|(i, every)| RenegotiationOut {
                        every: duration(*every),
                        notice: s.renegotiate_notice.get(i).copied().flatten().map(duration),
                    })
                    .collect(),
                wind_down: s.wind_down.map(duration),
                terminations: s
                    .terminations
                    .iter()
                    .map(|t| TriggerOut {
                        event: t.event.clone(),
                        cure: t.cure.map(duration),
                        notice: t.notice.map(duration),
                    })
                    .collect(),
                survives: s.survives.clone(),
                source: b.loc(s.span),
            })
            .collect(),
        source: b.loc(a.span),
    }
}

fn grant(b: &Builder<'_>, a: &AgreementModel, g: &GrantModel, time: Interval) -> GrantOut {
    let model = b.model;
    let mut reach = g.licensees.clone();
    if g.to_affiliates {
        for l in &g.licensees {
            if let Some(p) = model.party(*l) {
                reach.extend(p.affiliates.iter().copied());
            }
        }
    }
    reach.sort();
    reach.dedup();
    let mut effective_scope = Vec::new();
    for asset in &g.assets {
        let Some(decl) = model.asset(*asset) else {
            continue;
        };
        let nominal = scope::ScopeBox {
            asset: *asset,
            rights: g.rights,
            fields: g.fields.clone(),
            territory: g.territory,
            time,
        };
        for piece in scope::effective(&nominal, decl) {
            effective_scope.push(EffectiveOut {
                asset: decl.name.clone(),
                territories: codes(piece.territory),
                start: date(piece.time.start),
                end: piece.time.end.map(date),
            });
        }
    }
    let wind_down = a
        .sunsets
        .iter()
        .filter(|s| {
            s.grant
                .and_then(|i| a.grants.get(i))
                .is_some_and(|x| std::ptr::eq(x, g))
        })
        .find_map(|s| {
            let end = time.end?;
            let d = s.wind_down?;
            Some(PeriodOut {
                start: date(end),
                end: end.add_duration(d).map(date),
            })
        });
    GrantOut {
        id: g.id.clone(),
        licensor: b.party(g.licensor),
        licensees: b.parties(&g.licensees),
        to_members: g.to_members,
        to_affiliates: g.to_affiliates,
        reach: b.parties(&reach),
        assets: g
            .assets
            .iter()
            .map(|x| model.asset_name(*x).to_string())
            .collect(),
        rights: g.rights.iter().map(|r| r.keyword().to_string()).collect(),
        fields: b.fields(&g.fields),
        fields_excepted: b.fields(&g.field_include.intersection(&g.field_exclude)),
        territories: codes(g.territory),
        territories_excepted: codes(g.territory_include.intersection(g.territory_exclude)),
        term: GrantTermOut {
            start: date(time.start),
            end: time.end.map(date),
            until_expiry: matches!(g.term, TermModel::UntilExpiry { .. }),
        },
        exclusivity: exclusivity(g.exclusivity),
        subject_to: g
            .subject_to
            .iter()
            .filter_map(|i| a.reservations.get(*i).and_then(|r| r.name.clone()))
            .collect(),
        sublicense: sublicense(g.sublicense).to_string(),
        transferable: g.transfer.transferable,
        personal: g.transfer.personal,
        consideration: consideration(&g.consideration),
        effective_scope,
        wind_down,
        notes: g.notes.clone(),
        source: b.loc(g.span),
    }
}
