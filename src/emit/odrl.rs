//! The ODRL 2.2 export (`xlic build --emit odrl`): every grant as an ODRL `Agreement`
//! in JSON-LD, with the project's `xlic:` profile for what ODRL has no term for.
//!
//! The export is built from the JSON policy of the same model ([`json::policy`]), so it
//! means what the policy means: the same resolved names, `except` already applied,
//! computed dates. Where and while a grant permits is taken from the reference
//! evaluator ([`Evaluator::grant_windows`]), so a permission's constraints hold on
//! exactly the days, countries and fields on which `xlic query` answers `permit`.
//! `docs/odrl.md` is the mapping, term by term.

use crate::date::Date;
use crate::emit::json::{
    self, AgreementOut, ConsiderationOut, GrantOut, LimitOut, MoneyOut, Policy, ReservationOut,
    SourceLoc,
};
use crate::model::Model;
use crate::query::{Evaluator, Window, SELL_OFF_RIGHTS};
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The IRI of the `xlic:` ODRL profile (`odrl/profile/xlic-profile.ttl`).
pub const PROFILE: &str = "https://w3id.org/xlic/odrl/profile";
/// The namespace of the profile's terms, the `xlic:` prefix.
pub const NAMESPACE: &str = "https://w3id.org/xlic/odrl/profile#";
/// The W3C ODRL 2.2 JSON-LD context.
pub const ODRL_CONTEXT: &str = "http://www.w3.org/ns/odrl.jsonld";
/// Currencies are named by the EU Publications Office authority table, whose
/// identifiers are the ISO 4217 codes.
const CURRENCY: &str = "http://publications.europa.eu/resource/authority/currency/";
/// The concept scheme of the exported fields of use.
const FIELD_SCHEME: &str = "urn:xlic:fields";

/// The ODRL export of a compilation (which should have no errors), as pretty JSON-LD
/// with a final newline.
pub fn odrl(model: &Model, sources: &SourceMap) -> String {
    from_policy(&json::policy(model, sources))
}

/// The ODRL export of a compiled policy.
pub fn from_policy(policy: &Policy) -> String {
    let doc = document(policy);
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

// ---------------------------------------------------------------- JSON-LD shapes
//
// Plain structs with a fixed field order (not `serde_json::Value`, whose key order
// depends on a crate feature), so the bytes never change between builds.

#[derive(Serialize)]
struct Document {
    #[serde(rename = "@context")]
    context: (&'static str, LocalContext),
    #[serde(rename = "@graph")]
    graph: Vec<Node>,
}

#[derive(Serialize)]
struct LocalContext {
    xlic: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Node {
    Policy(Box<PolicyNode>),
    Collection(CollectionNode),
    Party(PartyNode),
    Asset(AssetNode),
    Scheme(SchemeNode),
    Field(FieldNode),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Types {
    One(&'static str),
    Many(Vec<&'static str>),
}

#[derive(Serialize, Clone)]
struct IdRef {
    #[serde(rename = "@id")]
    id: String,
}

fn id(s: impl Into<String>) -> IdRef {
    IdRef { id: s.into() }
}

#[derive(Serialize, Clone)]
struct Typed {
    #[serde(rename = "@value")]
    value: String,
    #[serde(rename = "@type")]
    datatype: &'static str,
}

fn date_value(d: Date) -> Typed {
    Typed {
        value: d.to_string(),
        datatype: "xsd:date",
    }
}

fn decimal(d: &crate::policy::Dec) -> Typed {
    Typed {
        value: d.to_string(),
        datatype: "xsd:decimal",
    }
}

#[derive(Serialize, Clone)]
#[serde(untagged)]
enum Operand {
    Text(String),
    Id(IdRef),
    Typed(Typed),
    Many(Vec<Operand>),
}

#[derive(Serialize, Clone)]
struct Constraint {
    #[serde(rename = "leftOperand")]
    left: &'static str,
    operator: &'static str,
    #[serde(rename = "rightOperand")]
    right: Operand,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<IdRef>,
}

fn constraint(left: &'static str, operator: &'static str, right: Operand) -> Constraint {
    Constraint {
        left,
        operator,
        right,
        unit: None,
    }
}

#[derive(Serialize, Clone)]
#[serde(untagged)]
enum Action {
    Name(String),
    Refined(RefinedAction),
}

#[derive(Serialize, Clone)]
struct RefinedAction {
    #[serde(rename = "rdf:value")]
    value: IdRef,
    refinement: Vec<Constraint>,
}

#[derive(Serialize)]
struct PolicyNode {
    uid: String,
    #[serde(rename = "@type")]
    types: Types,
    profile: &'static str,
    conflict: &'static str,
    #[serde(rename = "dct:title")]
    title: String,
    #[serde(rename = "xlic:agreement")]
    agreement: String,
    #[serde(rename = "xlic:clause", skip_serializing_if = "Option::is_none")]
    clause: Option<String>,
    #[serde(rename = "xlic:source")]
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<String>,
    #[serde(rename = "xlic:exclusivity", skip_serializing_if = "Option::is_none")]
    exclusivity: Option<IdRef>,
    #[serde(rename = "xlic:subjectTo", skip_serializing_if = "Vec::is_empty")]
    subject_to: Vec<IdRef>,
    #[serde(rename = "xlic:sublicense", skip_serializing_if = "Option::is_none")]
    sublicense: Option<IdRef>,
    #[serde(rename = "xlic:transferable", skip_serializing_if = "Option::is_none")]
    transferable: Option<bool>,
    #[serde(rename = "xlic:personal", skip_serializing_if = "Option::is_none")]
    personal: Option<bool>,
    #[serde(rename = "xlic:untilExpiry", skip_serializing_if = "Option::is_none")]
    until_expiry: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    permission: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    prohibition: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    obligation: Vec<Duty>,
}

#[derive(Serialize)]
struct Rule {
    target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<String>,
    action: Vec<Action>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraint: Vec<Constraint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    duty: Vec<Duty>,
    #[serde(rename = "xlic:sellOff", skip_serializing_if = "Option::is_none")]
    sell_off: Option<bool>,
}

#[derive(Serialize, Clone)]
struct Duty {
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<String>,
    action: Vec<Action>,
    #[serde(rename = "compensatedParty", skip_serializing_if = "Option::is_none")]
    compensated_party: Option<String>,
    #[serde(rename = "consentingParty", skip_serializing_if = "Option::is_none")]
    consenting_party: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraint: Vec<Constraint>,
    #[serde(rename = "xlic:consideration", skip_serializing_if = "Option::is_none")]
    consideration: Option<IdRef>,
    #[serde(rename = "xlic:tiersPerYear", skip_serializing_if = "Option::is_none")]
    tiers_per_year: Option<bool>,
    #[serde(rename = "xlic:tier", skip_serializing_if = "Vec::is_empty")]
    tiers: Vec<Tier>,
}

impl Duty {
    fn new(action: Action) -> Duty {
        Duty {
            target: None,
            assignee: None,
            action: vec![action],
            compensated_party: None,
            consenting_party: None,
            constraint: Vec::new(),
            consideration: None,
            tiers_per_year: None,
            tiers: Vec::new(),
        }
    }
}

#[derive(Serialize, Clone)]
struct Tier {
    #[serde(rename = "xlic:tierFrom")]
    from: Typed,
    #[serde(rename = "xlic:tierTo", skip_serializing_if = "Option::is_none")]
    to: Option<Typed>,
    #[serde(rename = "xlic:tierRate")]
    rate: Typed,
    unit: IdRef,
}

#[derive(Serialize)]
struct CollectionNode {
    uid: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dct:title")]
    title: String,
}

#[derive(Serialize)]
struct PartyNode {
    uid: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "vcard:fn")]
    legal_name: String,
    #[serde(rename = "xlic:id")]
    name: String,
    #[serde(rename = "xlic:affiliateOf", skip_serializing_if = "Option::is_none")]
    affiliate_of: Option<IdRef>,
    #[serde(rename = "partOf", skip_serializing_if = "Vec::is_empty")]
    part_of: Vec<String>,
}

#[derive(Serialize)]
struct AssetNode {
    uid: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "xlic:id")]
    name: String,
    #[serde(rename = "xlic:assetKind")]
    asset_kind: IdRef,
    #[serde(rename = "xlic:owner")]
    owners: Vec<IdRef>,
    #[serde(rename = "partOf", skip_serializing_if = "Vec::is_empty")]
    part_of: Vec<String>,
}

#[derive(Serialize)]
struct SchemeNode {
    uid: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dct:title")]
    title: &'static str,
}

#[derive(Serialize)]
struct FieldNode {
    uid: String,
    #[serde(rename = "@type")]
    kind: Types,
    #[serde(rename = "skos:notation")]
    notation: String,
    #[serde(rename = "skos:prefLabel")]
    label: String,
    #[serde(rename = "skos:broader", skip_serializing_if = "Option::is_none")]
    broader: Option<IdRef>,
    #[serde(rename = "skos:inScheme")]
    scheme: IdRef,
}

// ---------------------------------------------------------------- identifiers

/// Percent-encodes everything but unreserved characters, so any id fits in an IRI.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn party_iri(name: &str) -> String {
    format!("urn:xlic:party:{}", encode(name))
}

fn asset_iri(name: &str) -> String {
    format!("urn:xlic:asset:{}", encode(name))
}

fn field_iri(path: &str) -> String {
    format!("urn:xlic:field:{}", encode(path))
}

fn grant_iri(agreement: &str, grant: &str) -> String {
    format!(
        "urn:xlic:policy:{}:grant:{}",
        encode(agreement),
        encode(grant)
    )
}

fn reservation_iri(agreement: &str, r: &ReservationOut, index: usize) -> String {
    let name =
        r.id.as_deref()
            .map(encode)
            .unwrap_or_else(|| (index + 1).to_string());
    format!("urn:xlic:policy:{}:reservation:{name}", encode(agreement))
}

fn source(s: &SourceLoc) -> String {
    format!("{}:{}:{}", s.file, s.line, s.column)
}

/// The ODRL action for an xlic right: ODRL's own where its meaning is the right's,
/// the profile's otherwise (see `docs/odrl.md` for why `use` and `sell` are not
/// ODRL's).
pub fn action_for_right(right: &str) -> Option<&'static str> {
    Some(match right {
        "make" => "xlic:make",
        "have made" => "xlic:haveMade",
        "use" => "xlic:use",
        "sell" => "xlic:sell",
        "offer" => "xlic:offer",
        "import" => "xlic:import",
        "lease" => "xlic:lease",
        "reproduce" => "reproduce",
        "modify" => "modify",
        "distribute" => "distribute",
        _ => return None,
    })
}

fn actions(rights: &[crate::syntax::ast::Right]) -> Vec<Action> {
    rights
        .iter()
        .filter_map(|r| action_for_right(r.keyword()))
        .map(|a| Action::Name(a.to_string()))
        .collect()
}

fn asset_kind(kind: &str) -> &'static str {
    match kind {
        "patent" => "xlic:patent",
        "patent_family" => "xlic:patentFamily",
        "know_how" => "xlic:knowHow",
        "trade_secret" => "xlic:tradeSecret",
        "software" => "xlic:software",
        "data" => "xlic:data",
        _ => "xlic:patentsFiled",
    }
}

fn exclusivity(e: &str) -> &'static str {
    match e {
        "exclusive" => "xlic:exclusive",
        "sole" => "xlic:sole",
        _ => "xlic:nonExclusive",
    }
}

fn sublicense(s: &str) -> &'static str {
    match s {
        "affiliates" => "xlic:sublicenseToAffiliates",
        "with_consent" => "xlic:sublicenseWithConsent",
        "free" => "xlic:sublicenseFreely",
        _ => "xlic:noSublicense",
    }
}

// ---------------------------------------------------------------- constraints

fn purpose(fields: &[String], operator: &'static str) -> Constraint {
    constraint(
        "purpose",
        operator,
        Operand::Many(
            fields
                .iter()
                .map(|f| Operand::Id(id(field_iri(f))))
                .collect(),
        ),
    )
}

fn spatial<S: AsRef<str>>(codes: &[S], operator: &'static str) -> Constraint {
    constraint(
        "spatial",
        operator,
        Operand::Many(
            codes
                .iter()
                .map(|c| Operand::Text(c.as_ref().to_string()))
                .collect(),
        ),
    )
}

/// `dateTime gteq start` and, when the period ends, `dateTime lt end`.
fn period(start: Date, end: Option<Date>) -> Vec<Constraint> {
    let mut out = vec![constraint(
        "dateTime",
        "gteq",
        Operand::Typed(date_value(start)),
    )];
    if let Some(e) = end {
        out.push(constraint("dateTime", "lt", Operand::Typed(date_value(e))));
    }
    out
}

fn period_out(start: Date, end: Option<Date>) -> Vec<Constraint> {
    match Some(start) {
        Some(s) => period(s, end),
        None => Vec::new(),
    }
}

fn currency(code: &str) -> IdRef {
    id(format!("{CURRENCY}{}", encode(code)))
}

fn money_constraint(left: &'static str, operator: &'static str, m: &MoneyOut) -> Constraint {
    Constraint {
        left,
        operator,
        right: Operand::Typed(decimal(&m.amount)),
        unit: Some(currency(&m.currency)),
    }
}

fn limit(l: &LimitOut) -> Constraint {
    let left = if l.per_year {
        "xlic:annualPayAmount"
    } else {
        "xlic:totalPayAmount"
    };
    let operator = if l.kind == crate::syntax::ast::LimitKind::Floor {
        "gteq"
    } else {
        "lteq"
    };
    money_constraint(left, operator, &l.amount)
}

fn base(b: Option<&crate::policy::RoyaltyBase>) -> Constraint {
    let value = match b {
        Some(crate::policy::RoyaltyBase::NetSales) => "xlic:netSales",
        None => "xlic:unitsSold",
    };
    constraint("xlic:royaltyBase", "eq", Operand::Id(id(value)))
}

/// The `compensate` duty of one line of consideration; `None` when royalty-free.
fn duty(c: &ConsiderationOut, licensor: &str) -> Option<Duty> {
    let mut tiers = Vec::new();
    let mut tiers_per_year = None;
    let mut constraints = Vec::new();
    let (kind, refinement) = match c {
        ConsiderationOut::RoyaltyFree => return None,
        ConsiderationOut::Royalty {
            rate,
            base: b,
            limits,
        } => {
            let mut r = vec![
                constraint("xlic:royaltyRate", "eq", Operand::Typed(decimal(rate))),
                base(Some(b)),
            ];
            r.extend(limits.iter().map(limit));
            ("xlic:percentRoyalty", r)
        }
        ConsiderationOut::PerUnit { amount, limits } => {
            let mut r = vec![money_constraint("payAmount", "eq", amount), base(None)];
            r.extend(limits.iter().map(limit));
            ("xlic:perUnitRoyalty", r)
        }
        ConsiderationOut::Tiered {
            base: b,
            per_year,
            tiers: list,
            limits,
        } => {
            tiers_per_year = Some(*per_year);
            tiers = list
                .iter()
                .map(|t| Tier {
                    from: decimal(&t.from.amount),
                    to: t.to.as_ref().map(|x| decimal(&x.amount)),
                    rate: decimal(&t.rate),
                    unit: currency(&t.from.currency),
                })
                .collect();
            let mut r = vec![base(Some(b))];
            r.extend(limits.iter().map(limit));
            ("xlic:tieredRoyalty", r)
        }
        ConsiderationOut::LumpSum { amount, due } => {
            if let Some(d) = *due {
                constraints.push(constraint(
                    "dateTime",
                    "lteq",
                    Operand::Typed(date_value(d)),
                ));
            }
            (
                "xlic:lumpSum",
                vec![money_constraint("payAmount", "eq", amount)],
            )
        }
        ConsiderationOut::Milestone { amount, event } => {
            constraints.push(constraint("event", "eq", Operand::Text(event.clone())));
            (
                "xlic:milestone",
                vec![money_constraint("payAmount", "eq", amount)],
            )
        }
    };
    let mut d = Duty::new(Action::Refined(RefinedAction {
        value: id("odrl:compensate"),
        refinement,
    }));
    d.compensated_party = Some(party_iri(licensor));
    d.constraint = constraints;
    d.consideration = Some(id(kind));
    d.tiers_per_year = tiers_per_year;
    d.tiers = tiers;
    Some(d)
}

// ---------------------------------------------------------------- the graph

/// Memberships gathered while the policies are built: which collections each party
/// and asset is part of.
#[derive(Default)]
struct Members {
    parties: BTreeMap<String, BTreeSet<String>>,
    assets: BTreeMap<String, BTreeSet<String>>,
    collections: Vec<CollectionNode>,
}

impl Members {
    /// The target of rules over a list of assets: the asset, or a collection of them.
    fn assets(&mut self, uid: String, title: String, assets: &[String]) -> String {
        match assets {
            [one] => asset_iri(one),
            _ => {
                for a in assets {
                    self.assets
                        .entry(a.clone())
                        .or_default()
                        .insert(uid.clone());
                }
                self.collections.push(CollectionNode {
                    uid: uid.clone(),
                    kind: "AssetCollection",
                    title,
                });
                uid
            }
        }
    }

    /// The assignee of a grant: the one party it reaches, or a collection of them.
    fn parties(&mut self, uid: String, title: String, parties: &[String]) -> String {
        match parties {
            [one] => party_iri(one),
            _ => {
                for p in parties {
                    self.parties
                        .entry(p.clone())
                        .or_default()
                        .insert(uid.clone());
                }
                self.collections.push(CollectionNode {
                    uid: uid.clone(),
                    kind: "PartyCollection",
                    title,
                });
                uid
            }
        }
    }
}

fn document(policy: &Policy) -> Document {
    let evaluator = Evaluator::new(policy).ok();
    let mut members = Members::default();
    let mut policies = Vec::new();
    for (ai, a) in policy.agreements.iter().enumerate() {
        for (gi, g) in a.grants.iter().enumerate() {
            let node = grant(policy, evaluator.as_ref(), &mut members, (ai, a), (gi, g));
            // A grant that conveys nothing (W0409: no patent in force where and while
            // it runs) has no rule, and an ODRL policy needs at least one: it is left
            // out rather than exported as an empty Agreement.
            if node.permission.is_empty()
                && node.prohibition.is_empty()
                && node.obligation.is_empty()
            {
                continue;
            }
            policies.push(Node::Policy(Box::new(node)));
        }
        for (ri, r) in a.reservations.iter().enumerate() {
            policies.push(Node::Policy(Box::new(reservation(&mut members, a, ri, r))));
        }
    }
    let mut graph = policies;
    graph.extend(
        std::mem::take(&mut members.collections)
            .into_iter()
            .map(Node::Collection),
    );
    for p in &policy.parties {
        graph.push(Node::Party(PartyNode {
            uid: party_iri(&p.id),
            kind: "Party",
            legal_name: p.legal_name.clone(),
            name: p.id.clone(),
            affiliate_of: p.parent.as_deref().map(|x| id(party_iri(x))),
            part_of: members
                .parties
                .get(&p.id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        }));
    }
    for a in &policy.assets {
        graph.push(Node::Asset(AssetNode {
            uid: asset_iri(&a.id),
            kind: "Asset",
            name: a.id.clone(),
            asset_kind: id(asset_kind(&a.kind.to_string())),
            owners: a.owners.iter().map(|o| id(party_iri(o))).collect(),
            part_of: members
                .assets
                .get(&a.id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        }));
    }
    if !policy.fields.is_empty() {
        graph.push(Node::Scheme(SchemeNode {
            uid: FIELD_SCHEME,
            kind: "skos:ConceptScheme",
            title: "Fields of use",
        }));
    }
    for f in &policy.fields {
        graph.push(Node::Field(FieldNode {
            uid: field_iri(&f.id),
            kind: Types::Many(vec!["skos:Concept", "xlic:Field"]),
            notation: f.id.clone(),
            label: f.label.clone().unwrap_or_else(|| f.id.clone()),
            broader: f.parent.as_deref().map(|p| id(field_iri(p))),
            scheme: id(FIELD_SCHEME),
        }));
    }
    Document {
        context: (ODRL_CONTEXT, LocalContext { xlic: NAMESPACE }),
        graph,
    }
}

/// One permission per asset and period: the countries of the grant grouped by the
/// days on which it permits there.
fn permissions(
    evaluator: Option<&Evaluator<'_>>,
    (ai, gi): (usize, usize),
    g: &GrantOut,
    duties: &[Duty],
) -> Vec<Rule> {
    let mut out = Vec::new();
    let sell_off: Vec<crate::syntax::ast::Right> = g
        .rights
        .iter()
        .filter(|r| SELL_OFF_RIGHTS.contains(&r.keyword()))
        .copied()
        .collect();
    for asset in &g.assets {
        let mut term: BTreeMap<Window, Vec<&str>> = BTreeMap::new();
        let mut wind_down: BTreeMap<Window, Vec<&str>> = BTreeMap::new();
        for code in g.territories.codes() {
            let Some(w) = evaluator.and_then(|e| e.grant_windows(ai, gi, asset, code)) else {
                continue;
            };
            if let Some(t) = w.term {
                term.entry(t).or_default().push(code);
            }
            if let Some(s) = w.sell_off {
                wind_down.entry(s).or_default().push(code);
            }
        }
        let rule = |(start, end): Window,
                    codes: &[&str],
                    rights: &[crate::syntax::ast::Right],
                    sell: bool| {
            let mut constraint = vec![purpose(&g.fields, "isAnyOf"), spatial(codes, "isAnyOf")];
            constraint.extend(period(start, end));
            Rule {
                target: asset_iri(asset),
                assignee: None,
                action: actions(rights),
                constraint,
                duty: duties.to_vec(),
                sell_off: sell.then_some(true),
            }
        };
        for (w, codes) in &term {
            out.push(rule(*w, codes, &g.rights, false));
        }
        if !sell_off.is_empty() {
            for (w, codes) in &wind_down {
                out.push(rule(*w, codes, &sell_off, true));
            }
        }
    }
    out
}

fn grant(
    policy: &Policy,
    evaluator: Option<&Evaluator<'_>>,
    members: &mut Members,
    (ai, a): (usize, &AgreementOut),
    (gi, g): (usize, &GrantOut),
) -> PolicyNode {
    let uid = grant_iri(&a.id, &g.id);
    let target = members.assets(
        format!("{uid}:assets"),
        format!("assets licensed by {}", g.id),
        &g.assets,
    );
    let assignee = members.parties(
        format!("{uid}:licensees"),
        format!("parties licensed by {}", g.id),
        &g.reach,
    );
    let duties: Vec<Duty> = g
        .consideration
        .iter()
        .filter_map(|c| duty(c, &g.licensor))
        .collect();
    let mut permission = permissions(evaluator, (ai, gi), g, &duties);
    permission.extend(sublicense_permission(policy, g, &target));
    let mut prohibition = Vec::new();
    if !g.fields_excepted.is_empty() {
        prohibition.push(Rule {
            target: target.clone(),
            assignee: None,
            action: actions(&g.rights),
            constraint: vec![purpose(&g.fields_excepted, "isAnyOf")],
            duty: Vec::new(),
            sell_off: None,
        });
    }
    if !g.territories_excepted.is_empty() {
        prohibition.push(Rule {
            target: target.clone(),
            assignee: None,
            action: actions(&g.rights),
            constraint: vec![spatial(&g.territories_excepted.codes(), "isAnyOf")],
            duty: Vec::new(),
            sell_off: None,
        });
    }
    let mut obligation = Vec::new();
    if g.exclusivity != crate::syntax::ast::ExclusivityKind::NonExclusive {
        let mut d = Duty::new(Action::Name("ensureExclusivity".to_string()));
        d.target = Some(target);
        d.assignee = Some(party_iri(&g.licensor));
        obligation.push(d);
    }
    let subject_to = g
        .subject_to
        .iter()
        .filter_map(|name| {
            a.reservations
                .iter()
                .enumerate()
                .find(|(_, r)| r.id.as_deref() == Some(name.as_str()))
                .map(|(i, r)| id(reservation_iri(&a.id, r, i)))
        })
        .collect();
    PolicyNode {
        uid,
        types: Types::One("Agreement"),
        profile: PROFILE,
        conflict: "prohibit",
        title: format!("{}: {}", a.title, g.id),
        agreement: a.id.clone(),
        clause: Some(g.id.clone()),
        source: source(&g.source),
        assigner: Some(party_iri(&g.licensor)),
        assignee: Some(assignee),
        exclusivity: Some(id(exclusivity(&g.exclusivity.to_string()))),
        subject_to,
        sublicense: Some(id(sublicense(&g.sublicense.to_string()))),
        transferable: Some(g.transferable),
        personal: Some(g.personal),
        until_expiry: Some(g.term.until_expiry),
        permission,
        prohibition,
        obligation,
    }
}

/// `grantUse`: the licensee may sublicense within its grant (its nominal scope), to
/// its affiliates only, with the licensor's consent, or freely. `None` when it may
/// not (`sublicense none`, or `affiliates` of licensees that have none).
fn sublicense_permission(policy: &Policy, g: &GrantOut, target: &str) -> Option<Rule> {
    let mut constraint = vec![
        purpose(&g.fields, "isAnyOf"),
        spatial(&g.territories.codes(), "isAnyOf"),
    ];
    constraint.extend(period_out(g.term.start, g.term.end));
    let mut duty = Vec::new();
    match g.sublicense.to_string().as_str() {
        "affiliates" => {
            let affiliates: Vec<Operand> = policy
                .parties
                .iter()
                .filter(|p| {
                    p.parent
                        .as_deref()
                        .is_some_and(|x| g.licensees.iter().any(|l| l == x))
                })
                .map(|p| Operand::Id(id(party_iri(&p.id))))
                .collect();
            if affiliates.is_empty() {
                return None;
            }
            constraint.push(constraint_recipient(affiliates));
        }
        "with_consent" => {
            let mut d = Duty::new(Action::Name("obtainConsent".to_string()));
            d.consenting_party = Some(party_iri(&g.licensor));
            duty.push(d);
        }
        "free" => {}
        _ => return None,
    }
    Some(Rule {
        target: target.to_string(),
        assignee: None,
        action: vec![Action::Name("grantUse".to_string())],
        constraint,
        duty,
        sell_off: None,
    })
}

fn constraint_recipient(parties: Vec<Operand>) -> Constraint {
    constraint("recipient", "isAnyOf", Operand::Many(parties))
}

/// A reservation: a `Set` of prohibitions that bind everyone (`reserve A { … }`), or
/// of the permissions the holder keeps (`reserve A for P { … }`).
fn reservation(
    members: &mut Members,
    a: &AgreementOut,
    index: usize,
    r: &ReservationOut,
) -> PolicyNode {
    let uid = reservation_iri(&a.id, r, index);
    let target = members.assets(
        format!("{uid}:assets"),
        format!(
            "assets reserved by {}",
            r.id.as_deref().unwrap_or("a reservation")
        ),
        &r.assets,
    );
    let mut constraint = Vec::new();
    if let Some(fields) = &r.fields {
        constraint.push(purpose(fields, "isAnyOf"));
    }
    constraint.push(spatial(&r.territories.codes(), "isAnyOf"));
    constraint.extend(period_out(r.term.start, r.term.end));
    let holder = r.holder.as_deref().map(party_iri);
    let rule = Rule {
        target,
        assignee: holder.clone(),
        action: actions(&r.rights),
        constraint,
        duty: Vec::new(),
        sell_off: None,
    };
    let (types, permission, prohibition) = match holder {
        Some(_) => (
            Types::Many(vec!["Set", "xlic:RetainedRights"]),
            vec![rule],
            Vec::new(),
        ),
        None => (
            Types::Many(vec!["Set", "xlic:Reservation"]),
            Vec::new(),
            vec![rule],
        ),
    };
    let title = match &r.id {
        Some(name) => format!("{}: reservation {name}", a.title),
        None => format!("{}: reservation {}", a.title, index + 1),
    };
    PolicyNode {
        uid,
        types,
        profile: PROFILE,
        conflict: "prohibit",
        title,
        agreement: a.id.clone(),
        clause: r.id.clone(),
        source: source(&r.source),
        assigner: holder,
        assignee: None,
        exclusivity: None,
        subject_to: Vec::new(),
        sublicense: None,
        transferable: None,
        personal: None,
        until_expiry: None,
        permission,
        prohibition,
        obligation: Vec::new(),
    }
}
