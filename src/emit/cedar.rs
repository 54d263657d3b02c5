//! `xlic build --emit cedar`: the portfolio as a Cedar policy set, its schema and its
//! entities, so that a Cedar service (AWS Verified Permissions, `cedar authorize`, the
//! `cedar-policy` crate) answers the questions `xlic query` answers, with the same
//! decisions (docs/cedar.md).
//!
//! A request is `principal` = the party asking (`Party::"globex"`), `action` = the right
//! (`Action::"have made"`), `resource` = the asset (`Asset::"acme_motion"`) and
//! `context` = `{ field: Field::"robotics.consumer", country: "DE", date:
//! datetime("2027-03-01") }`. Cedar has no quantifier over a set, so "every patent in
//! force is covered by some grant" cannot be one data-driven policy: the policies are
//! the boxes of the decision table ([`super::decisions`]), one `permit` per box, each
//! annotated with the decision it stands for and the clauses that permit there. Cedar
//! allows where `xlic query` answers `permit` (a policy annotated `@decision("permit")`)
//! or `no_license_needed` (`@decision("no_license_needed")`), and denies everywhere
//! else.

use super::decisions::{table, Span};
use crate::date::Date;
use crate::policy::Policy;
use crate::query::QueryError;
use crate::territory::TerritorySet;
use crate::vocab::Right;
use std::fmt::Write as _;

/// The three files of a Cedar export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CedarExport {
    /// The policy set (`policy.cedar`).
    pub policies: String,
    /// The schema in Cedar's schema syntax (`policy.cedarschema`).
    pub schema: String,
    /// The entities as Cedar's entity JSON (`entities.json`).
    pub entities: String,
}

/// A string as a Cedar string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn uid(kind: &str, id: &str) -> String {
    format!("{kind}::{}", quote(id))
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(", "))
}

/// The countries condition: none for every country, else the shorter of the list and
/// its complement.
fn countries_condition(t: TerritorySet, subject: &str) -> Option<String> {
    let all = TerritorySet::worldwide();
    let rest = all.difference(t);
    if rest.is_empty() {
        return None;
    }
    let codes = |s: TerritorySet| list(s.codes().into_iter().map(quote));
    Some(if rest.len() < t.len() {
        format!("!({}.contains({subject}))", codes(rest))
    } else {
        format!("{}.contains({subject})", codes(t))
    })
}

fn span_conditions(span: Span, out: &mut Vec<String>) {
    if span.from > Date::MIN {
        out.push(format!("context.date >= datetime(\"{}\")", span.from));
    }
    if let Some(until) = span.until {
        out.push(format!("context.date < datetime(\"{until}\")"));
    }
}

/// A set of field nodes as whole subtrees (`in`) and single nodes (`contains`); none
/// when it is every node.
fn fields_condition(policy: &Policy, model_ends: &[u32], nodes: &[u32]) -> Option<String> {
    if nodes.len() == policy.fields.len() {
        return None;
    }
    let held = |n: u32| nodes.binary_search(&n).is_ok();
    let mut trees = Vec::new();
    let mut single = Vec::new();
    let mut i = 0u32;
    let count = u32::try_from(policy.fields.len()).unwrap_or(u32::MAX);
    while i < count {
        let end = model_ends
            .get(i as usize)
            .copied()
            .unwrap_or(i + 1)
            .max(i + 1);
        let id = policy
            .fields
            .get(i as usize)
            .map(|f| f.id.as_str())
            .unwrap_or("");
        if (i..end).all(held) {
            trees.push(uid("Field", id));
            i = end;
        } else {
            if held(i) {
                single.push(uid("Field", id));
            }
            i += 1;
        }
    }
    let mut parts = Vec::new();
    if !trees.is_empty() {
        parts.push(format!("context.field in {}", list(trees)));
    }
    if !single.is_empty() {
        parts.push(format!("{}.contains(context.field)", list(single)));
    }
    Some(match parts.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", parts.join(" || ")),
    })
}

/// The end (one past the last descendant, in pre-order) of each field's subtree.
pub(crate) fn subtree_ends(policy: &Policy) -> Vec<u32> {
    let n = policy.fields.len();
    let mut ends: Vec<u32> = (0..n)
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect();
    let index: std::collections::HashMap<&str, usize> = policy
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    // Pre-order: a node's descendants follow it, so walking backwards every child's end
    // is final before its parent reads it.
    for i in (0..n).rev() {
        let Some(parent) = policy
            .fields
            .get(i)
            .and_then(|f| f.parent.as_deref())
            .and_then(|p| index.get(p).copied())
        else {
            continue;
        };
        let end = ends.get(i).copied().unwrap_or(0);
        if let Some(e) = ends.get_mut(parent) {
            *e = (*e).max(end);
        }
    }
    ends
}

fn policy_text(
    out: &mut String,
    annotations: &[(&str, String)],
    scope: [String; 3],
    conditions: &[String],
) {
    for (k, v) in annotations {
        let _ = writeln!(out, "@{k}({})", quote(v));
    }
    let [principal, action, resource] = scope;
    let _ = write!(
        out,
        "permit (\n  {principal},\n  {action},\n  {resource}\n)"
    );
    if !conditions.is_empty() {
        let _ = write!(out, "\nwhen {{\n  {}\n}}", conditions.join(" &&\n  "));
    }
    out.push_str(";\n\n");
}

/// The Cedar export of a compiled policy.
pub fn cedar(policy: &Policy) -> Result<CedarExport, QueryError> {
    let t = table(policy)?;
    let ends = subtree_ends(policy);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// The licensing decisions of {} agreement(s), written by xlic {} (docs/cedar.md).\n\
         // Allow = `xlic query` answers permit or no_license_needed (see @decision);\n\
         // everything else is denied. Generated: edit the .xlic sources instead.\n",
        policy.agreements.len(),
        env!("CARGO_PKG_VERSION")
    );
    for (asset, at) in policy.assets.iter().zip(&t.assets) {
        let resource = format!("resource == {}", uid("Asset", &asset.id));
        for b in &at.free {
            let mut conditions = Vec::new();
            conditions.extend(countries_condition(b.countries, "context.country"));
            span_conditions(b.span, &mut conditions);
            policy_text(
                &mut out,
                &[
                    ("decision", "no_license_needed".to_string()),
                    ("asset", asset.id.clone()),
                ],
                [
                    "principal".to_string(),
                    "action".to_string(),
                    resource.clone(),
                ],
                &conditions,
            );
        }
        for b in &at.permits {
            let mut conditions = Vec::new();
            let parties: Vec<&str> = b
                .parties
                .iter()
                .filter_map(|p| policy.parties.get(*p))
                .map(|p| p.id.as_str())
                .collect();
            let principal = match parties.as_slice() {
                [one] => format!("principal == {}", uid("Party", one)),
                many => {
                    conditions.push(format!(
                        "{}.contains(principal)",
                        list(many.iter().map(|p| uid("Party", p)))
                    ));
                    "principal".to_string()
                }
            };
            let action = match b.rights.as_slice() {
                r if r.len() == Right::ALL.len() => "action".to_string(),
                [one] => format!("action == {}", uid("Action", one.keyword())),
                many => format!(
                    "action in {}",
                    list(many.iter().map(|r| uid("Action", r.keyword())))
                ),
            };
            conditions.extend(fields_condition(policy, &ends, &b.fields));
            conditions.extend(countries_condition(b.countries, "context.country"));
            span_conditions(b.span, &mut conditions);
            policy_text(
                &mut out,
                &[
                    ("decision", "permit".to_string()),
                    ("asset", asset.id.clone()),
                    ("reasons", b.reasons.join(" ")),
                ],
                [principal, action, resource.clone()],
                &conditions,
            );
        }
    }
    Ok(CedarExport {
        policies: out,
        schema: schema(),
        entities: entities(policy),
    })
}

fn schema() -> String {
    let actions: Vec<String> = Right::ALL.iter().map(|r| quote(r.keyword())).collect();
    format!(
        "// The request of an xlic Cedar export (docs/cedar.md).\n\
         entity Party in [Party];\n\
         entity Asset;\n\
         entity Field in [Field];\n\
         \n\
         // One point: a field node, a country (ISO 3166-1 alpha-2) and a day.\n\
         type Point = {{\n  field: Field,\n  country: String,\n  date: datetime,\n}};\n\
         \n\
         action {} appliesTo {{\n  principal: [Party],\n  resource: [Asset],\n  context: Point,\n}};\n",
        actions.join(", ")
    )
}

fn entities(policy: &Policy) -> String {
    use serde_json::json;
    let mut list = Vec::new();
    for p in &policy.parties {
        let parents: Vec<serde_json::Value> = p
            .parent
            .iter()
            .map(|x| json!({ "type": "Party", "id": x }))
            .collect();
        list.push(
            json!({ "uid": { "type": "Party", "id": p.id }, "attrs": {}, "parents": parents }),
        );
    }
    for a in &policy.assets {
        list.push(json!({ "uid": { "type": "Asset", "id": a.id }, "attrs": {}, "parents": [] }));
    }
    for f in &policy.fields {
        let parents: Vec<serde_json::Value> = f
            .parent
            .iter()
            .map(|x| json!({ "type": "Field", "id": x }))
            .collect();
        list.push(
            json!({ "uid": { "type": "Field", "id": f.id }, "attrs": {}, "parents": parents }),
        );
    }
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Array(list)).unwrap_or_default();
    s.push('\n');
    s
}
