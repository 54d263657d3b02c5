//! The evaluator's vocabulary: a request, its answer (decision, reasons, obligations)
//! and its errors, as `xlic query` reads and writes them (docs/query.md).

use crate::date::Date;
use crate::policy::{ConsiderationOut, SourceLoc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The party asking (a party or affiliate id).
    pub licensee: String,
    pub asset: String,
    /// `make`, `have made`, `use`, `sell`, `offer`, `import`, `lease`, `reproduce`,
    /// `modify` or `distribute`.
    pub right: String,
    /// A field id (dotted path).
    pub field: String,
    /// An ISO 3166-1 alpha-2 code.
    pub territory: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What the use is for: `research`, `educational`, `internal`, `commercial` or
    /// `non-commercial` (research and educational). Absent: any purpose, which only a
    /// license without a `purpose` line covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// terms (issue 15): the request is for an entity the agreement does not name, an
    /// affiliate of `licensee` by control (the caller asserts the control). Absent: the
    /// request is for `licensee` itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliate: Option<UnnamedAffiliate>,
}

/// An entity related to a party by control, which the agreement does not name
/// (`affiliates by control` in the party's block).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnnamedAffiliate {
    /// The entity's name (for the answer's words only).
    pub name: String,
    /// How it is related to the party: `controlled` (the party controls it: the
    /// default), `controlling` (it controls the party) or `common` (under common
    /// control with the party).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// `YYYY-MM-DD`: since when the control exists. Needed when the party's affiliates
    /// are those `as of` a date; without it the control is taken to exist on the
    /// request's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controlled_since: Option<String>,
}

/// `permit`, `deny`, or `no_license_needed` (no patent of the asset is in force there
/// on that date: the party needs no license under this asset, whoever it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Permit,
    Deny,
    NoLicenseNeeded,
}

/// The answer of `xlic query --decision-only` ([`super::Evaluator::decide`]): the
/// decision without reasons or obligations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionOnly {
    pub decision: Decision,
}

/// Why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// A grant covers the request.
    Granted,
    /// The party owns the asset and no exclusive license to someone else covers it.
    Owner,
    /// The party keeps these rights under a `reserve … for` clause (an owner's, or an
    /// owner's affiliate's, retained rights).
    Retained,
    /// No grant reaches the party for this asset, or the grant does not cover this
    /// right, field or territory.
    NotGranted,
    /// The grant names the field or territory, but its `except` removes it.
    Excepted,
    /// A hard reservation covers the request.
    Reserved,
    /// The owner has licensed this exclusively to someone else.
    ExclusiveToAnother,
    /// The grant's term ended before the date.
    Expired,
    /// The grant's term starts after the date.
    NotYetInForce,
    /// No patent of the asset is in force in that territory on that date.
    PatentNotInForce,
    /// The date is in the grant's wind-down: only selling off (sell, offer, distribute).
    WindDownSellOffOnly,
    /// The grant covers the request except for its purpose: it is limited to other
    /// purposes, or the request names none and the grant is limited (rights: issue 15).
    OutsidePurpose,
    /// A covenant not to sue covers the request: the owner will not assert its rights
    /// (rights: issue 15).
    Covenant,
    /// A release covers the request: the act was done before the release's date
    /// (rights: issue 15).
    Released,
    /// No patent of the asset is in force there on that date, but an application of it
    /// is pending there: no license is needed until it is granted (rights: issue 15).
    PendingApplication,
    /// The entity asked about is not an affiliate of the party by control on the date:
    /// the party's `affiliates by control` excludes its kind of control, or the control
    /// began after the `as of` date or the request's date (terms: issue 15).
    NotAffiliate,
}

/// One reason, citing the clause it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub kind: ReasonKind,
    /// The clause id (a grant or a named reservation), when there is one.
    pub clause: Option<String>,
    /// The agreement id the clause belongs to.
    pub agreement: Option<String>,
    pub source: Option<SourceLoc>,
    /// The reason in words.
    pub detail: String,
}

/// What the licensee owes under a permitting grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub clause: String,
    pub agreement: String,
    pub consideration: ConsiderationOut,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub decision: Decision,
    pub reasons: Vec<Reason>,
    pub obligations: Vec<Obligation>,
}

/// A request that names something the policy does not know, is malformed, or a policy
/// that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// A half-open period of days `(start, end)`; an `end` of `None` has no end.
pub type Window = (Date, Option<Date>);

/// What [`Evaluator::grant_windows`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantWindows {
    /// The days every right the grant gives is permitted.
    pub term: Option<Window>,
    /// The wind-down days after the term, when only selling off is permitted.
    pub sell_off: Option<Window>,
}

/// The rights a wind-down (sell-off) period still permits.
pub const SELL_OFF_RIGHTS: [&str; 3] = ["sell", "offer", "distribute"];
