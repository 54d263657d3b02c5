//! The JSON-LD shapes the export is written as: the document, its nodes, rules,
//! duties and constraints, in the order ODRL readers expect their members.

use crate::date::Date;
use serde::Serialize;

//
// Plain structs with a fixed field order (not `serde_json::Value`, whose key order
// depends on a crate feature), so the bytes never change between builds.

#[derive(Serialize)]
pub(super) struct Document {
    #[serde(rename = "@context")]
    pub(super) context: (&'static str, LocalContext),
    #[serde(rename = "@graph")]
    pub(super) graph: Vec<Node>,
}

#[derive(Serialize)]
pub(super) struct LocalContext {
    pub(super) xlic: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Node {
    Policy(Box<PolicyNode>),
    Collection(CollectionNode),
    Party(PartyNode),
    Asset(AssetNode),
    Scheme(SchemeNode),
    Field(FieldNode),
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Types {
    One(&'static str),
    Many(Vec<&'static str>),
}

#[derive(Serialize, Clone)]
pub(super) struct IdRef {
    #[serde(rename = "@id")]
    pub(super) id: String,
}

pub(super) fn id(s: impl Into<String>) -> IdRef {
    IdRef { id: s.into() }
}

#[derive(Serialize, Clone)]
pub(super) struct Typed {
    #[serde(rename = "@value")]
    pub(super) value: String,
    #[serde(rename = "@type")]
    pub(super) datatype: &'static str,
}

pub(super) fn date_value(d: Date) -> Typed {
    Typed {
        value: d.to_string(),
        datatype: "xsd:date",
    }
}

pub(super) fn decimal(d: &crate::policy::Dec) -> Typed {
    Typed {
        value: d.to_string(),
        datatype: "xsd:decimal",
    }
}

#[derive(Serialize, Clone)]
#[serde(untagged)]
pub(super) enum Operand {
    Text(String),
    Id(IdRef),
    Typed(Typed),
    Many(Vec<Operand>),
}

#[derive(Serialize, Clone)]
pub(super) struct Constraint {
    #[serde(rename = "leftOperand")]
    pub(super) left: &'static str,
    pub(super) operator: &'static str,
    #[serde(rename = "rightOperand")]
    pub(super) right: Operand,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) unit: Option<IdRef>,
}

pub(super) fn constraint(left: &'static str, operator: &'static str, right: Operand) -> Constraint {
    Constraint {
        left,
        operator,
        right,
        unit: None,
    }
}

#[derive(Serialize, Clone)]
#[serde(untagged)]
pub(super) enum Action {
    Name(String),
    Refined(RefinedAction),
}

#[derive(Serialize, Clone)]
pub(super) struct RefinedAction {
    #[serde(rename = "rdf:value")]
    pub(super) value: IdRef,
    pub(super) refinement: Vec<Constraint>,
}

#[derive(Serialize)]
pub(super) struct PolicyNode {
    pub(super) uid: String,
    #[serde(rename = "@type")]
    pub(super) types: Types,
    pub(super) profile: &'static str,
    pub(super) conflict: &'static str,
    #[serde(rename = "dct:title")]
    pub(super) title: String,
    #[serde(rename = "xlic:agreement")]
    pub(super) agreement: String,
    #[serde(rename = "xlic:clause", skip_serializing_if = "Option::is_none")]
    pub(super) clause: Option<String>,
    #[serde(rename = "xlic:source")]
    pub(super) source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) assigner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) assignee: Option<String>,
    #[serde(rename = "xlic:exclusivity", skip_serializing_if = "Option::is_none")]
    pub(super) exclusivity: Option<IdRef>,
    #[serde(rename = "xlic:subjectTo", skip_serializing_if = "Vec::is_empty")]
    pub(super) subject_to: Vec<IdRef>,
    #[serde(rename = "xlic:sublicense", skip_serializing_if = "Option::is_none")]
    pub(super) sublicense: Option<IdRef>,
    #[serde(rename = "xlic:transferable", skip_serializing_if = "Option::is_none")]
    pub(super) transferable: Option<bool>,
    #[serde(rename = "xlic:personal", skip_serializing_if = "Option::is_none")]
    pub(super) personal: Option<bool>,
    #[serde(rename = "xlic:untilExpiry", skip_serializing_if = "Option::is_none")]
    pub(super) until_expiry: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) permission: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) prohibition: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) obligation: Vec<Duty>,
}

#[derive(Serialize)]
pub(super) struct Rule {
    pub(super) target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) assignee: Option<String>,
    pub(super) action: Vec<Action>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) constraint: Vec<Constraint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) duty: Vec<DutyItem>,
    #[serde(rename = "xlic:sellOff", skip_serializing_if = "Option::is_none")]
    pub(super) sell_off: Option<bool>,
}

/// outputs: a duty of a rule, written in full the first time and by its `uid` after
/// that, so each payment of a grant (its caps and floors with it) is stated once.
#[derive(Serialize, Clone)]
#[serde(untagged)]
pub(super) enum DutyItem {
    Full(Duty),
    Ref(IdRef),
}

#[derive(Serialize, Clone)]
pub(super) struct Duty {
    /// outputs: the duty's IRI, when rules share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) assignee: Option<String>,
    pub(super) action: Vec<Action>,
    #[serde(rename = "compensatedParty", skip_serializing_if = "Option::is_none")]
    pub(super) compensated_party: Option<String>,
    #[serde(rename = "consentingParty", skip_serializing_if = "Option::is_none")]
    pub(super) consenting_party: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) constraint: Vec<Constraint>,
    #[serde(rename = "xlic:consideration", skip_serializing_if = "Option::is_none")]
    pub(super) consideration: Option<IdRef>,
    #[serde(rename = "xlic:tiersPerYear", skip_serializing_if = "Option::is_none")]
    pub(super) tiers_per_year: Option<bool>,
    #[serde(rename = "xlic:tier", skip_serializing_if = "Vec::is_empty")]
    pub(super) tiers: Vec<Tier>,
    /// terms (issue 15): a running royalty `until expiry`, owed in each country while a
    /// licensed patent is in force there.
    #[serde(
        rename = "xlic:payableUntilExpiry",
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) until_expiry: Option<bool>,
    /// terms (issue 15, round 6): a running royalty `from expiry`, owed in each country
    /// from the day the last licensed patent in force there expires.
    #[serde(
        rename = "xlic:payableFromExpiry",
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) from_expiry: Option<bool>,
}

impl Duty {
    pub(super) fn new(action: Action) -> Duty {
        Duty {
            uid: None,
            target: None,
            assignee: None,
            action: vec![action],
            compensated_party: None,
            consenting_party: None,
            constraint: Vec::new(),
            consideration: None,
            tiers_per_year: None,
            tiers: Vec::new(),
            until_expiry: None,
            from_expiry: None,
        }
    }
}

#[derive(Serialize, Clone)]
pub(super) struct Tier {
    #[serde(rename = "xlic:tierFrom")]
    pub(super) from: Typed,
    #[serde(rename = "xlic:tierTo", skip_serializing_if = "Option::is_none")]
    pub(super) to: Option<Typed>,
    #[serde(rename = "xlic:tierRate")]
    pub(super) rate: Typed,
    pub(super) unit: IdRef,
}

#[derive(Serialize)]
pub(super) struct CollectionNode {
    pub(super) uid: String,
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "dct:title")]
    pub(super) title: String,
}

#[derive(Serialize)]
pub(super) struct PartyNode {
    pub(super) uid: String,
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "vcard:fn")]
    pub(super) legal_name: String,
    #[serde(rename = "xlic:id")]
    pub(super) name: String,
    #[serde(rename = "xlic:affiliateOf", skip_serializing_if = "Option::is_none")]
    pub(super) affiliate_of: Option<IdRef>,
    #[serde(rename = "partOf", skip_serializing_if = "Vec::is_empty")]
    pub(super) part_of: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct AssetNode {
    pub(super) uid: String,
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "xlic:id")]
    pub(super) name: String,
    #[serde(rename = "xlic:assetKind")]
    pub(super) asset_kind: IdRef,
    #[serde(rename = "xlic:owner")]
    pub(super) owners: Vec<IdRef>,
    #[serde(rename = "partOf", skip_serializing_if = "Vec::is_empty")]
    pub(super) part_of: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct SchemeNode {
    pub(super) uid: &'static str,
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "dct:title")]
    pub(super) title: &'static str,
}

#[derive(Serialize)]
pub(super) struct FieldNode {
    pub(super) uid: String,
    #[serde(rename = "@type")]
    pub(super) kind: Types,
    #[serde(rename = "skos:notation")]
    pub(super) notation: String,
    #[serde(rename = "skos:prefLabel")]
    pub(super) label: String,
    #[serde(rename = "skos:broader", skip_serializing_if = "Option::is_none")]
    pub(super) broader: Option<IdRef>,
    #[serde(rename = "skos:inScheme")]
    pub(super) scheme: IdRef,
}
