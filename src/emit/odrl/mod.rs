//! The ODRL 2.2 export (`xlic build --emit odrl`): every grant as an ODRL `Agreement`
//! in JSON-LD, with the project's `xlic:` profile for what ODRL has no term for.
//!
//! The export is built from the JSON policy of the same model ([`json::policy`]), so it
//! means what the policy means: the same resolved names, `except` already applied,
//! computed dates. Where and while a grant permits is taken from the reference
//! evaluator ([`Evaluator::grant_windows`]), so a permission's constraints hold on
//! exactly the days, countries and fields on which `xlic query` answers `permit`.
//! `docs/odrl.md` is the mapping, term by term.

use crate::emit::json::{self, Policy, ReservationOut, SourceLoc};
use crate::model::Model;
use crate::source::SourceMap;

mod constraints;
mod graph;
mod shapes;

use constraints::*;
use graph::*;
use shapes::*;

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

fn actions(rights: &[crate::vocab::Right]) -> Vec<Action> {
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
