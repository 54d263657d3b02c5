//! The JSON policy: the fully resolved, normalised agreement set that downstream systems
//! consume, and the form in which `xlic query` reads a compiled portfolio back. Typed
//! throughout (dates, rights, kinds and decimals are values, not strings a reader must
//! parse again), versioned by `xlic_policy`, described by a JSON Schema generated from
//! these types. [`build`] writes it from a model and its rights ledger; [`read`] turns a
//! policy back into a model, so the evaluator answers from the same ledger either way.

pub mod build;
mod consideration;
pub mod ids;
pub mod layout;
pub mod normalize;
pub mod read;
pub mod values;

pub use build::{build, write_streamed};
pub use values::{Dec, ReservationKind, RoyaltyBase};

use crate::date::{Date, DurationUnit};
use crate::territory::TerritorySet;
use crate::vocab::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, ObligationKind, Origin, Purpose, Right, Sublicense,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the policy format this compiler writes and reads. Version 2 is typed
/// and states each grant's effective scope per patent (from the rights ledger).
pub const POLICY_VERSION: u32 = 11;

/// The schema's `$id`: where the schema of this version of the format is named.
pub const SCHEMA_ID: &str = "https://w3id.org/xlic/policy/11/schema.json";

/// A compiled agreement set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The format version; readers refuse versions they do not know.
    pub xlic_policy: u32,
    /// The compact form (version 11; `xlic build --emit json --compact`): each grant's
    /// fields are written as the nodes whose subtrees they are, its territories only as
    /// `territories_compact`, and what the rights ledger derives (`reach`,
    /// `effective_scope`, `normalized_scope`, `sell_off_scope`) is left out for the
    /// reader to derive. Absent in the full form.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compact: bool,
    /// The date of the ISO and EU/EEA membership tables the compiler used.
    pub tables_date: String,
    pub parties: Vec<PartyOut>,
    /// Every field of use, in pre-order (a node precedes its descendants).
    pub fields: Vec<FieldOut>,
    pub territory_groups: Vec<GroupOut>,
    pub assets: Vec<AssetOut>,
    pub agreements: Vec<AgreementOut>,
    /// What wrote the policy, from what (version 4): absent in a policy written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<ManifestOut>,
    /// pools (issue 15, version 5): the standards the agreements declare; absent when
    /// none does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<StandardOut>,
}

impl GrantOut {
    /// `reach`; empty in the compact form, which leaves it out (read the policy with
    /// [`read::load`] to have it derived).
    pub fn reach(&self) -> &[String] {
        self.reach.as_deref().unwrap_or_default()
    }

    /// The codes of `territories`; none in the compact form when it leaves them out
    /// (read `territories_compact` instead, or the policy with [`read::load`]).
    pub fn territory_codes(&self) -> Vec<&'static str> {
        self.territories.map(|c| c.codes()).unwrap_or_default()
    }
}

/// pools (issue 15, version 5): a standard (`standard aurora "…"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardOut {
    pub id: String,
    pub title: String,
    pub source: SourceLoc,
}

/// pools (issue 15, version 5): an asset's `essential to S [, frand]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EssentialOut {
    /// The id of the standard.
    pub standard: String,
    /// Whether the owner committed to license it on FRAND terms.
    pub frand: bool,
}

/// The compiler and the sources a policy was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestOut {
    /// The version of xlic that wrote the policy (`xlic --version`).
    pub compiler: String,
    /// Every source file of the compilation, in the order it was loaded.
    pub sources: Vec<SourceDigest>,
}

/// One source file and the SHA-256 of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDigest {
    /// The file, as the policy's `source` locations name it.
    pub file: String,
    /// The SHA-256 of the file's text as compiled (UTF-8), 64 lowercase hex digits.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
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
    /// `affiliates by control` (version 5): every entity so related to the party is
    /// its affiliate, named or not. Absent: only the named affiliates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliates_by_control: Option<ControlOut>,
    /// pools (issue 15, version 5): the first day of the party's membership of a pool
    /// agreement (`joins`); absent when it is a member from the pool's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joins: Option<Date>,
    /// pools (issue 15, version 5): the first day it is no longer a member (`leaves`);
    /// absent when it stays until the pool ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaves: Option<Date>,
    pub source: SourceLoc,
}

/// Which entities related to a party by control are its affiliates (version 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlOut {
    /// `controlled` (entities the party controls), `controlling` (entities that
    /// control it), `common` (entities under common control with it); sorted.
    pub kinds: Vec<ControlKindOut>,
    /// Only entities so related on this date (`as of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

/// How an entity is related to a party by control (version 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlKindOut {
    Controlled,
    Controlling,
    Common,
}

impl From<crate::vocab::ControlKind> for ControlKindOut {
    fn from(k: crate::vocab::ControlKind) -> Self {
        match k {
            crate::vocab::ControlKind::ControlledBy => ControlKindOut::Controlled,
            crate::vocab::ControlKind::Controlling => ControlKindOut::Controlling,
            crate::vocab::ControlKind::CommonControl => ControlKindOut::Common,
        }
    }
}

impl From<ControlKindOut> for crate::vocab::ControlKind {
    fn from(k: ControlKindOut) -> Self {
        match k {
            ControlKindOut::Controlled => crate::vocab::ControlKind::ControlledBy,
            ControlKindOut::Controlling => crate::vocab::ControlKind::Controlling,
            ControlKindOut::Common => crate::vocab::ControlKind::CommonControl,
        }
    }
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
        deserializer.deserialize_seq(CountriesVisitor)
    }
}

/// Reads a list of codes straight into the set, each code looked up where it lies in
/// the input: no list and no string is allocated (a policy holds a country list per
/// grant and per asset of each grant, and reading them dominated loading a large one).
struct CountriesVisitor;

impl<'de> serde::de::Visitor<'de> for CountriesVisitor {
    type Value = Countries;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of ISO 3166-1 alpha-2 country codes")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Countries, A::Error> {
        let mut set = TerritorySet::empty();
        while let Some(CountryCode(i)) = seq.next_element()? {
            set.insert(i);
        }
        Ok(Countries(set))
    }
}

/// One code of a [`Countries`] list, as its index.
struct CountryCode(u8);

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<CountryCode, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = CountryCode;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an ISO 3166-1 alpha-2 country code")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<CountryCode, E> {
                crate::iso::country_index(code)
                    .map(CountryCode)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "`{code}` is not an ISO 3166-1 alpha-2 country code"
                        ))
                    })
            }
        }
        deserializer.deserialize_str(Code)
    }
}

impl JsonSchema for Countries {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Countries".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // outputs (version 5): upper-case alpha-2 codes, each once.
        schemars::json_schema!({
            "type": "array",
            "items": { "type": "string", "pattern": "^[A-Z]{2}$" },
            "uniqueItems": true
        })
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
    pub kind: AssetKind,
    pub owners: Vec<String>,
    /// `background` or `foreground`, when stated.
    pub origin: Option<Origin>,
    pub patents: Vec<PatentOut>,
    pub capture: Option<PeriodOut>,
    pub notes: Vec<String>,
    /// The defined term the documents use (`asset gan "GaN Patents": …`); absent when
    /// the asset has none (the documents make one from its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// pools (issue 15, version 5): the standards the asset is declared essential to;
    /// absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub essential: Vec<EssentialOut>,
    pub source: SourceLoc,
}

/// One patent: where it is in force, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatentOut {
    pub number: String,
    pub territories: Countries,
    pub filed: Option<Date>,
    /// The first day the patent is no longer in force (for a pending application, the
    /// expected expiry, when stated).
    pub expires: Option<Date>,
    /// `pending` (version 5): an application not yet granted, which is not in force and
    /// licenses nothing until it is; absent when granted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
    pub source: SourceLoc,
}

/// A half-open period `[start, end)`; `end` null means without end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodOut {
    pub start: Date,
    /// Exclusive end date (the first day no longer included), or null.
    pub end: Option<Date>,
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
    pub kind: AgreementKind,
    pub effective: Option<Date>,
    /// `release from`: the first day the agreement's licenses may reach back to, before
    /// `effective` (acts from this day are licensed or released as the grants say);
    /// null when the licenses start no earlier than `effective`.
    pub release_from: Option<Date>,
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
    /// Defined terms (`define net_sales "…"`), in source order; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<DefinitionOut>,
    /// Obligation and governance clauses and free-text provisions, in source order;
    /// absent when none. They do not change the rights.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<ObligationOut>,
    /// clauses (issue 15, version 6): rights of first refusal and negotiation; absent
    /// when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_rights: Vec<FirstRightOut>,
    /// clauses (issue 15, version 7): payments the agreement provides for (settlement,
    /// balancing), in source order; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<AgreementPaymentOut>,
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
    /// Absent in the compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<Vec<String>>,
    pub assets: Vec<String>,
    /// The rights granted, in canonical order.
    pub rights: Vec<Right>,
    /// Every field node covered, `except` applied. In the compact form: the nodes
    /// named, each standing for its whole subtree, before `except` is applied.
    pub fields: Vec<String>,
    /// The field nodes that `except` removed from the ones named (in the compact form,
    /// each standing for its whole subtree).
    pub fields_excepted: Vec<String>,
    /// Sorted ISO codes covered, `except` applied. Absent in the compact form, unless
    /// `territories_compact` would not read back as these codes (a group named like a
    /// country) or there is no country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories: Option<Countries>,
    /// outputs (version 5): `territories` as the shortest expression over
    /// `worldwide`, `EU`, `EEA` and the policy's groups (`worldwide except CN, RU`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories_compact: Option<String>,
    /// The ISO codes that `except` removed from the ones named.
    pub territories_excepted: Countries,
    pub term: GrantTermOut,
    /// `exclusive`, `sole` or `non-exclusive`.
    pub exclusivity: ExclusivityKind,
    /// `purpose …` (version 4): the purposes the license may be exercised for, in
    /// canonical order; absent when it covers every purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<Purpose>>,
    /// `covenant …` (version 4): the clause is a covenant not to sue, not a license;
    /// absent for a grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covenant: Option<CovenantOut>,
    /// `release …` (version 4): the clause releases the acts done before `before`
    /// (its `term` runs from 0001-01-01 to that date); absent for a grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseOut>,
    /// `diligence NAME: PARTY "event" by DATE` (version 5, rights): the grant's
    /// diligence milestones; absent when it has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diligence: Vec<DiligenceOut>,
    /// `exclusive until diligence NAME missed` (version 5, rights): the exclusivity
    /// converts to non-exclusive if a named milestone (or, version 9, commitment) is
    /// missed; absent when it does not convert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converts: Option<ConversionOut>,
    /// Reservations (by name) carved out of the exclusivity.
    pub subject_to: Vec<String>,
    /// Earlier licenses the exclusivity is subject to: grants of this agreement or
    /// of another one in the policy.
    pub subject_to_grants: Vec<GrantRef>,
    /// `none`, `affiliates`, `with_consent` or `free`.
    pub sublicense: Sublicense,
    pub transferable: bool,
    pub personal: bool,
    pub consideration: Vec<ConsiderationOut>,
    /// Where and while the grant licenses each patent (or each asset taken whole) in
    /// fact: its territory and term cut to where and while the patent is in force and
    /// to the agreement's term (unless the license survives it). From the rights ledger;
    /// absent in the compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_scope: Option<Vec<EffectiveOut>>,
    /// outputs (version 5): `effective_scope` without overlaps: every country and day
    /// it covers is in exactly one piece, which names every patent licensing it there
    /// (see [`normalize`]); absent when the grant conveys nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalized_scope: Vec<NormalizedOut>,
    /// The sell-off period after the term, when a sunset clause gives one (for `until
    /// expiry`, after the term ends in the last country; `sell_off_scope` has it
    /// country by country).
    pub wind_down: Option<PeriodOut>,
    /// Where and while only selling off is licensed: the granted rights among sell,
    /// offer and distribute, per patent, after the license ends. From the rights ledger;
    /// absent in the compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sell_off_scope: Option<Vec<EffectiveOut>>,
    /// `survives license`: the license outlives its agreement.
    pub survives_agreement: bool,
    pub notes: Vec<String>,
    /// The defined name the documents use (`grant motion "Motion License": …`); absent
    /// when the grant has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// pools (issue 15, version 5): `for standard S`, the id of the standard whose
    /// implementation the license's fields are limited to; absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// pools (issue 15, version 5): `most favoured licensee`; absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub most_favoured: bool,
    /// terms (issue 15, version 10): `most favoured licensee { field … territory … }`:
    /// the part of the grant's scope the promise covers; absent when it covers the whole
    /// scope (or there is no promise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub most_favoured_scope: Option<MostFavouredScopeOut>,
    /// terms (issue 15, version 8): minimum purchase and spend commitments, in source
    /// order; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<CommitmentOut>,
    pub source: SourceLoc,
}

/// The part of a grant's scope its most-favoured-licensee promise covers (version 10,
/// terms). A member left out is the grant's own. A term, not a right: no reader's
/// answer depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MostFavouredScopeOut {
    /// The field nodes covered (`except` applied), each one of the grant's `fields`;
    /// absent: the grant's fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// Sorted ISO codes covered (`except` applied), each one of the grant's
    /// `territories`; absent: the grant's territory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories: Option<Countries>,
    /// `territories` as the shortest expression over `worldwide`, `EU`, `EEA` and the
    /// policy's groups, as a grant's `territories_compact`; absent with `territories`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories_compact: Option<String>,
}

/// A minimum purchase or spend commitment of a grant (version 8, terms). Structured
/// data: it changes no right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentOut {
    /// `commit NAME: …` (version 9): its name, which `converts.if_missed` may list;
    /// absent when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The committing party (a licensee of the grant or its affiliate).
    pub party: String,
    /// `purchase`: at least `units` units; `spend`: at least `amount`.
    pub kind: CommitmentKindOut,
    /// The minimum number of units (purchase), a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Dec>,
    /// The minimum spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyOut>,
    /// What the minimum is counted over: `term` (once, the whole commitment),
    /// `year` (each year from its start) or `calendar_year`.
    pub per: CommitmentPeriodOut,
    /// What is bought or what the money is spent on, in words.
    pub on: String,
    /// The first day, when not the grant's term's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// The day it ends (excluded), when not the grant's term's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    pub source: SourceLoc,
}

/// What a commitment counts (version 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKindOut {
    Purchase,
    Spend,
}

/// Over what a commitment's minimum is counted (version 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentPeriodOut {
    Term,
    Year,
    CalendarYear,
}

impl From<crate::model::CommitmentPeriod> for CommitmentPeriodOut {
    fn from(p: crate::model::CommitmentPeriod) -> Self {
        match p {
            crate::model::CommitmentPeriod::Term => CommitmentPeriodOut::Term,
            crate::model::CommitmentPeriod::Year => CommitmentPeriodOut::Year,
            crate::model::CommitmentPeriod::CalendarYear => CommitmentPeriodOut::CalendarYear,
        }
    }
}

impl From<CommitmentPeriodOut> for crate::model::CommitmentPeriod {
    fn from(p: CommitmentPeriodOut) -> Self {
        match p {
            CommitmentPeriodOut::Term => crate::model::CommitmentPeriod::Term,
            CommitmentPeriodOut::Year => crate::model::CommitmentPeriod::Year,
            CommitmentPeriodOut::CalendarYear => crate::model::CommitmentPeriod::CalendarYear,
        }
    }
}

/// What makes a grant a covenant not to sue (version 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CovenantOut {
    /// `and customers`: the covenantee's customers are not sued either.
    pub customers: bool,
}

/// A diligence milestone of a grant (version 5, rights).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiligenceOut {
    /// The milestone's name, unique within the grant.
    pub id: String,
    /// The party that must reach it.
    pub party: String,
    /// The event, in words.
    pub event: String,
    /// The last day on which it may be reached.
    pub by: Date,
    pub source: SourceLoc,
}

/// How a grant's exclusivity converts (version 5, rights).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversionOut {
    /// What it converts to: always `non-exclusive`.
    pub to: ExclusivityKind,
    /// The milestones (ids in `diligence`) and (version 9) commitments (ids in
    /// `commitments`) any one of which, missed, converts it: from the day after a
    /// milestone's `by` date; from the day after a commitment's first period ends
    /// (its first year from `from`, or the grant's start; the rest of its first
    /// calendar year; over the whole commitment, its end), or from its `until` if
    /// sooner.
    pub if_missed: Vec<String>,
}

/// What makes a grant a release of past infringement (version 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseOut {
    /// The acts released are those done before this day.
    pub before: Date,
}

/// A grant's term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantTermOut {
    pub start: Date,
    /// Exclusive end date, or null when perpetual (or until expiry of patents without
    /// listed expiry dates).
    pub end: Option<Date>,
    /// `until expiry`: ends, per territory, when the last licensed patent expires.
    pub until_expiry: bool,
}

/// One piece of a grant's effective scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveOut {
    /// The grant's asset through which the patent is licensed.
    pub asset: String,
    /// The patent's number, or null when the asset is licensed whole (it is not a
    /// patent asset, or lists no patents).
    pub patent: Option<String>,
    pub territories: Countries,
    pub start: Date,
    pub end: Option<Date>,
    /// pools (issue 15, version 5): the licensees this piece reaches when they are not
    /// all the grant's (dated pool membership: only the members of the pool in its
    /// period); absent when it reaches every licensee of the grant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licensees: Vec<String>,
}

/// outputs (version 5): one piece of a grant's normalized effective scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NormalizedOut {
    pub territories: Countries,
    pub start: Date,
    pub end: Option<Date>,
    /// The patents (or assets taken whole) that license these countries and days, in
    /// the order `effective_scope` first names them.
    pub patents: Vec<PatentRefOut>,
}

/// A patent of an asset, or the asset taken whole (`patent` null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatentRefOut {
    pub asset: String,
    pub patent: Option<String>,
}

/// A grant named by its agreement and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRef {
    pub agreement: String,
    pub grant: String,
}

/// An amount of money: a decimal string and an ISO 4217 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyOut {
    /// Decimal, never floating point, without trailing zeros: `"1000000"`, `"0.5"`.
    pub amount: Dec,
    /// An ISO 4217 code.
    pub currency: String,
}

/// A cap or floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitOut {
    /// `cap` or `floor`.
    pub kind: LimitKind,
    pub amount: MoneyOut,
    pub per_year: bool,
    /// With `per_year`: the year is a calendar year (`per calendar year`, version 5);
    /// absent or false: a year of the license, from its start.
    #[serde(default, skip_serializing_if = "is_false")]
    pub calendar_year: bool,
}

/// One royalty band `[from, to)` of sales, at a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierOut {
    pub from: MoneyOut,
    pub to: Option<MoneyOut>,
    /// Percent, as a decimal string.
    pub rate: Dec,
}

// Read by the reader in `consideration.rs` (the derived one buffers every member
// first), which reads the same members; a plain comment, as the doc comment is the
// schema's description.
/// What the licensee pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsiderationOut {
    RoyaltyFree,
    /// A percentage of net sales.
    Royalty {
        /// Percent, as a decimal string.
        rate: Dec,
        base: RoyaltyBase,
        limits: Vec<LimitOut>,
        /// The royalty is payable from this date (version 4); absent: from the start
        /// of the license.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        /// The royalty ends on this date, after which it is paid up (version 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
        /// The royalty ends in each country when the last licensed patent there
        /// expires (version 4).
        #[serde(default, skip_serializing_if = "is_false")]
        until_expiry: bool,
        /// The royalty is payable in each country only from the day the last
        /// licensed patent there expires (version 8): the know-how step of a hybrid
        /// license.
        #[serde(default, skip_serializing_if = "is_false")]
        from_expiry: bool,
        /// When the royalty accrued in each period is paid (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payable: Option<PaymentOut>,
        /// How often the licensee reports (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<FrequencyOut>,
    },
    /// An amount per unit sold.
    PerUnit {
        amount: MoneyOut,
        limits: Vec<LimitOut>,
        /// The royalty is payable from this date (version 4); absent: from the start
        /// of the license.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        /// The royalty ends on this date, after which it is paid up (version 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
        /// The royalty ends in each country when the last licensed patent there
        /// expires (version 4).
        #[serde(default, skip_serializing_if = "is_false")]
        until_expiry: bool,
        /// The royalty is payable in each country only from the day the last
        /// licensed patent there expires (version 8): the know-how step of a hybrid
        /// license.
        #[serde(default, skip_serializing_if = "is_false")]
        from_expiry: bool,
        /// When the royalty accrued in each period is paid (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payable: Option<PaymentOut>,
        /// How often the licensee reports (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<FrequencyOut>,
    },
    /// Bands of net sales, each at its rate.
    Tiered {
        base: RoyaltyBase,
        per_year: bool,
        tiers: Vec<TierOut>,
        limits: Vec<LimitOut>,
        /// The royalty is payable from this date (version 4); absent: from the start
        /// of the license.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        /// The royalty ends on this date, after which it is paid up (version 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
        /// The royalty ends in each country when the last licensed patent there
        /// expires (version 4).
        #[serde(default, skip_serializing_if = "is_false")]
        until_expiry: bool,
        /// The royalty is payable in each country only from the day the last
        /// licensed patent there expires (version 8): the know-how step of a hybrid
        /// license.
        #[serde(default, skip_serializing_if = "is_false")]
        from_expiry: bool,
        /// When the royalty accrued in each period is paid (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payable: Option<PaymentOut>,
        /// How often the licensee reports (version 5, terms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<FrequencyOut>,
    },
    LumpSum {
        amount: MoneyOut,
        due: Option<Date>,
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
    /// The reservation's name; for an unnamed one, from version 5, an id derived from
    /// its assets and holder (`reserve#acme_motion#for_acme`, see [`ids`]).
    pub id: Option<String>,
    /// `hard` (no grant may cover it) or `retained` (rights the holder keeps).
    pub kind: ReservationKind,
    pub holder: Option<String>,
    pub assets: Vec<String>,
    pub rights: Vec<Right>,
    /// Null when the reservation covers every field.
    pub fields: Option<Vec<String>>,
    pub territories: Countries,
    /// outputs (version 5): `territories` compacted, as on a grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories_compact: Option<String>,
    pub term: PeriodOut,
    /// `purpose …` (version 4): the purposes the rights are kept for, in canonical
    /// order; absent when every purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<Purpose>>,
    pub source: SourceLoc,
}

/// clauses (issue 15, version 6): a right of first refusal or negotiation. It grants
/// no right: the evaluator does not read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstRightOut {
    pub id: String,
    /// `refusal` (match a third party's offer) or `negotiation` (negotiate
    /// exclusively first).
    pub kind: FirstRightKindOut,
    pub holder: String,
    /// The owners of the assets: who must offer the holder the first chance.
    pub grantors: Vec<String>,
    pub assets: Vec<String>,
    pub rights: Vec<Right>,
    /// Null when the right covers every field.
    pub fields: Option<Vec<String>>,
    pub territories: Countries,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territories_compact: Option<String>,
    pub term: PeriodOut,
    /// The purposes, in canonical order; absent when every purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<Purpose>>,
    /// `within 30 days`: the time to match an offer, or to negotiate exclusively.
    pub within: Option<DurationOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub source: SourceLoc,
}

/// clauses (issue 15, version 7): a payment the agreement provides for, not tied to one
/// grant. It changes no right: the evaluator does not read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementPaymentOut {
    pub id: String,
    /// The label written after the id (`payment settlement "Settlement Payment": …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub payer: String,
    pub payee: String,
    /// The `pay` lines in source order; more than one are instalments.
    pub instalments: Vec<InstalmentOut>,
    /// The sum of the instalments per currency, in currency order (one entry unless
    /// the instalments mix currencies, W0433).
    pub total: Vec<MoneyOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub source: SourceLoc,
}

/// One `pay AMOUNT on DATE` line of a payment (version 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstalmentOut {
    pub amount: MoneyOut,
    pub due: Date,
}

/// Which first right (version 6, clauses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FirstRightKindOut {
    Refusal,
    Negotiation,
}

impl From<crate::vocab::FirstRightKind> for FirstRightKindOut {
    fn from(k: crate::vocab::FirstRightKind) -> Self {
        match k {
            crate::vocab::FirstRightKind::Refusal => FirstRightKindOut::Refusal,
            crate::vocab::FirstRightKind::Negotiation => FirstRightKindOut::Negotiation,
        }
    }
}

/// An `improvements` clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImprovementsOut {
    /// outputs (version 5): `improvements#` and the assets (see [`ids`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub assets: Vec<String>,
    /// `improver`, `base_owner` or `joint`.
    pub owner: Option<ImprovementOwner>,
    pub rules: Vec<FlowOut>,
    pub source: SourceLoc,
}

/// A grant-back or license-forward rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowOut {
    /// outputs (version 5): the direction, `#`, `from->to` (see [`ids`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `grant_back` or `license_forward`.
    pub direction: FlowDirection,
    pub from: String,
    pub to: String,
    /// `collaboration` or `all`.
    pub covers: Coverage,
    pub exclusivity: ExclusivityKind,
    pub consideration: Vec<ConsiderationOut>,
    /// The first day the rule no longer applies.
    pub sunset: Option<Date>,
    /// Whether an improvement falls under the rule only with its owner's consent
    /// (`consent required`); false when not stated.
    pub consent_required: bool,
    /// reach (version 6): in a pool whose membership is dated, when the rule applies
    /// (absent: membership does not cut it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<FlowMembershipOut>,
    pub source: SourceLoc,
}

/// reach (version 6): when an improvement rule of a pool applies, from its parties'
/// membership: improvements made from `made_from` until `made_until` come under it
/// (both parties are members; the rule's `sunset` still applies), and the licensee
/// holds each license from it until `held_until`, the day it leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowMembershipOut {
    /// The later of the two parties' `joins` (absent: from the pool's start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_from: Option<Date>,
    /// The earlier of the two parties' `leaves` (absent: to the pool's end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_until: Option<Date>,
    /// The licensee's `leaves` (absent: it stays a member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_until: Option<Date>,
}

impl From<crate::model::FlowWindow> for FlowMembershipOut {
    fn from(w: crate::model::FlowWindow) -> Self {
        FlowMembershipOut {
            made_from: w.made_from,
            made_until: w.made_until,
            held_until: w.held_until,
        }
    }
}

/// When a running royalty is paid (version 5, terms): `payable quarterly within 45
/// days`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentOut {
    pub every: FrequencyOut,
    /// Within this long after each period ends; absent: not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<DurationOut>,
}

/// How often (version 5, terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyOut {
    Monthly,
    Quarterly,
    Annually,
}

impl From<crate::vocab::Frequency> for FrequencyOut {
    fn from(f: crate::vocab::Frequency) -> Self {
        match f {
            crate::vocab::Frequency::Monthly => FrequencyOut::Monthly,
            crate::vocab::Frequency::Quarterly => FrequencyOut::Quarterly,
            crate::vocab::Frequency::Annually => FrequencyOut::Annually,
        }
    }
}

impl From<FrequencyOut> for crate::vocab::Frequency {
    fn from(f: FrequencyOut) -> Self {
        match f {
            FrequencyOut::Monthly => crate::vocab::Frequency::Monthly,
            FrequencyOut::Quarterly => crate::vocab::Frequency::Quarterly,
            FrequencyOut::Annually => crate::vocab::Frequency::Annually,
        }
    }
}

/// A duration as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DurationOut {
    pub amount: u32,
    /// `days`, `months` or `years`.
    pub unit: DurationUnit,
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
    /// The party that may invoke the trigger; absent: either party (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The party whose breach, insolvency or change of control counts; absent: any
    /// party's (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
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
    /// outputs (version 5): `sunset#` and the grant (see [`ids`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub grant: String,
    pub renewals: Vec<RenewalOut>,
    /// Renegotiation windows: how often, and the notice to open one.
    pub renegotiations: Vec<RenegotiationOut>,
    pub wind_down: Option<DurationOut>,
    pub terminations: Vec<TriggerOut>,
    pub survives: Vec<String>,
    pub source: SourceLoc,
}

// ---- terms: defined terms and obligations (issue 15, part 3)

/// A defined term: `define net_sales "…"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinitionOut {
    /// The id as written (`net_sales`).
    pub id: String,
    /// The defined term the documents use (`Net Sales`).
    pub term: String,
    pub text: String,
    pub source: SourceLoc,
}

/// An obligation, governance clause or provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObligationOut {
    /// Unique within the agreement: `audit_<auditor>_<audited>`, `provision_<n>` (the
    /// n-th provision), else the kind (`confidentiality`).
    pub id: String,
    /// `audit`, `confidentiality`, `disputes`, `liability`, `provision`, `warranty`,
    /// `prosecution`, `enforcement`, `committee`, `insurance`, `escrow`,
    /// `non_compete`, `non_solicit` or `beneficiaries`.
    pub kind: ObligationKind,
    /// For an audit: the auditor, then the audited party.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
    /// The title of a provision, the name of a committee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The asset of a `prosecution`, `enforcement` or `escrow` clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// The clause's parameters by name (`every`, `notice`, `look_back`,
    /// `costs_shift`, `covers`, `survives`, `disclose_to`, `escalate`, `mediation`,
    /// `arbitration`, `seat`, `courts`, `cap`, `uncapped`, `period`, `text`).
    pub terms: std::collections::BTreeMap<String, ObligationValueOut>,
    pub source: SourceLoc,
}

/// The value of one parameter of an obligation, tagged by its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ObligationValueOut {
    /// Stated without a value (`mediation`): always true.
    Flag(bool),
    Duration(DurationOut),
    /// Percent, as a decimal string.
    Percent(Dec),
    Money(MoneyOut),
    Text(String),
    Items(Vec<ObligationEntryOut>),
    /// Each party's share in percent (costs, recoveries) or count (committee members).
    Shares(Vec<ShareOut>),
}

/// One party's share or count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareOut {
    pub party: String,
    /// A decimal string: percent for costs and recoveries, a count for members.
    pub value: Dec,
}

/// One entry of a list of an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ObligationEntryOut {
    /// A party (or affiliate) by id.
    Party(String),
    /// An asset by id.
    Asset(String),
    /// Every asset of a kind (`know_how`, `trade_secret`, `software`, `data`).
    Kind(AssetKind),
    /// A word the clause knows (`affiliates`, `advisors`, `indemnity`) or a quoted
    /// phrase.
    Word(String),
}

/// The JSON Schema (draft 2020-12) of the policy, as pretty JSON with a final newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Policy);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    // The schema names itself, and admits exactly the version it describes.
    if let Some(o) = value.as_object_mut() {
        o.insert("$id".to_string(), serde_json::Value::from(SCHEMA_ID));
    }
    if let Some(v) = value.pointer_mut("/properties/xlic_policy") {
        if let Some(o) = v.as_object_mut() {
            o.insert("const".to_string(), serde_json::Value::from(POLICY_VERSION));
        }
    }
    refine(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

// ---- outputs: formats and patterns of the schema (version 5)

/// A name written in the sources: a party, asset, group, grant or reservation id.
const NAME: &str = "^[A-Za-z_][A-Za-z0-9_]*$";
/// A field id: names joined by dots.
const FIELD_PATH: &str = "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$";
/// An id the compiler derives for a clause the sources leave unnamed (see [`ids`]).
const DERIVED: &str = "^[a-z_]+#.+$";
/// A reservation's id: its name, or a derived id.
const NAME_OR_DERIVED: &str = "^([A-Za-z_][A-Za-z0-9_]*|[a-z_]+#.+)$";

/// The string properties (or lists of strings) of each object that hold ids, with the
/// pattern their values follow.
const PATTERNS: &[(&str, &[&str], &str)] = &[
    ("PartyOut", &["id", "parent", "affiliates"], NAME),
    ("FieldOut", &["id", "parent"], FIELD_PATH),
    ("GroupOut", &["id"], NAME),
    ("AssetOut", &["id", "owners"], NAME),
    (
        "GrantOut",
        &[
            "id",
            "licensor",
            "licensees",
            "reach",
            "assets",
            "subject_to",
        ],
        NAME,
    ),
    ("GrantOut", &["fields", "fields_excepted"], FIELD_PATH),
    ("GrantRef", &["grant"], NAME),
    ("EffectiveOut", &["asset"], NAME),
    ("PatentRefOut", &["asset"], NAME),
    ("ReservationOut", &["id"], NAME_OR_DERIVED),
    ("ReservationOut", &["holder", "assets"], NAME),
    ("ReservationOut", &["fields"], FIELD_PATH),
    ("ImprovementsOut", &["id"], DERIVED),
    ("ImprovementsOut", &["assets"], NAME),
    ("FlowOut", &["id"], DERIVED),
    ("FlowOut", &["from", "to"], NAME),
    ("SunsetOut", &["id"], DERIVED),
    ("SunsetOut", &["grant"], NAME),
    ("TriggerOut", &["by", "of"], NAME),
    ("DefinitionOut", &["id"], NAME),
    ("ObligationOut", &["parties", "asset"], NAME),
    ("ShareOut", &["party"], NAME),
    ("AgreementOut", &["parties"], NAME),
    ("MoneyOut", &["currency"], "^[A-Z]{3}$"),
];

/// Adds to the generated schema what the Rust types do not say: the patterns of ids
/// and currency codes, and the format of `tables_date`.
fn refine(schema: &mut serde_json::Value) {
    for (def, props, pattern) in PATTERNS {
        for prop in *props {
            let path = format!("/$defs/{def}/properties/{prop}");
            if let Some(v) = schema.pointer_mut(&path) {
                set_pattern(v, pattern);
            }
        }
    }
    if let Some(serde_json::Value::Object(o)) = schema.pointer_mut("/properties/tables_date") {
        o.insert("format".into(), "date".into());
        o.insert("pattern".into(), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$".into());
    }
    // The compact form (issue 19): a grant's derived members are absent there, never
    // `null`, and required in the full form.
    for prop in COMPACT_LEAVES_OUT {
        let path = format!("/$defs/GrantOut/properties/{prop}/type");
        if let Some(serde_json::Value::Array(types)) = schema.pointer_mut(&path) {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                if let Some(t) = schema.pointer_mut(&path) {
                    *t = only;
                }
            }
        }
    }
    if let serde_json::Value::Object(o) = schema {
        let required: Vec<serde_json::Value> =
            COMPACT_LEAVES_OUT.iter().map(|p| (*p).into()).collect();
        let full_grant = serde_json::json!({
            "properties": {"agreements": {"items": {"properties": {"grants": {"items": {
                "required": required
            }}}}}}
        });
        o.insert(
            "if".into(),
            serde_json::json!({"required": ["compact"], "properties": {"compact": {"const": true}}}),
        );
        o.insert("else".into(), full_grant);
    }
}

/// The members of a grant the compact form may leave out ([`Policy::compact`]).
const COMPACT_LEAVES_OUT: [&str; 4] = ["reach", "territories", "effective_scope", "sell_off_scope"];

/// Sets `pattern` on a string schema, or on the items of an array schema.
fn set_pattern(v: &mut serde_json::Value, pattern: &str) {
    let is_array = match v.get("type") {
        Some(serde_json::Value::String(t)) => t == "array",
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "array"),
        _ => false,
    };
    if is_array {
        if let Some(items) = v.get_mut("items") {
            set_pattern(items, pattern);
        }
    } else if let serde_json::Value::Object(o) = v {
        o.insert("pattern".into(), pattern.into());
    }
}

/// The policy as indented JSON with a final newline, lists of plain values on one line
/// (see [`layout`]). Field order is fixed by the types and every list is in a
/// defined order, so the bytes are the same on every run.
pub fn to_json(policy: &Policy) -> String {
    layout::to_string(policy, layout_of(policy.compact))
}

/// Writes the bytes of [`to_json`] to `w` as they are produced, without holding the
/// whole text (`xlic build --emit json` streams the policy to its file this way; the
/// policy is some kilobytes per grant). Give it a buffered writer.
pub fn write_json<W: std::io::Write>(policy: &Policy, w: W) -> std::io::Result<()> {
    layout::write(policy, layout_of(policy.compact), w)
}

/// The layout of a policy's text: in the compact form, each object in a list that is a
/// member of an agreement or a declaration (a list opened inside four containers: the
/// policy, its list of agreements or assets, the agreement or asset, the list) on one
/// line of its own, without spaces (docs/json-policy.md, version 11).
fn layout_of(compact: bool) -> layout::CompactArrays {
    if compact {
        layout::CompactArrays::one_line_from(4)
    } else {
        layout::CompactArrays::new()
    }
}

/// For `skip_serializing_if` on flags that are absent when false (version 4).
fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property the schema's patterns name exists, so none is silently skipped.
    #[test]
    fn every_pattern_names_a_property() {
        let schema = schemars::schema_for!(Policy);
        let value = serde_json::to_value(&schema).unwrap_or_default();
        for (def, props, _) in PATTERNS {
            for prop in *props {
                let path = format!("/$defs/{def}/properties/{prop}");
                assert!(
                    value.pointer(&path).is_some(),
                    "{path} is not in the schema"
                );
            }
        }
    }
}
