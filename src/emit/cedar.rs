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
//!
//! The context may also say what the use is for (`purpose`, a word of `xlic query
//! --purpose`) and that the request is for an unnamed affiliate by control of the
//! principal (`affiliate`: `name`, `control`, `controlled_since`, as `xlic query
//! --affiliate`): a box for a party's unnamed affiliates states the party's
//! `affiliates by control` as conditions on `context.affiliate`. One `forbid` denies an
//! affiliate's name with white space around it, which `xlic query` refuses.

use super::decisions::{by_control, named, table_assuming, Span, PURPOSE_ASKS};
use crate::date::Date;
use crate::policy::{ControlKindOut, ControlOut, Policy};
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

/// The purpose condition of a box: none when any purpose (or none) is permitted.
fn purposes_condition(asked: &[usize]) -> Option<String> {
    if asked.len() == PURPOSE_ASKS.len() {
        return None;
    }
    let words: Vec<String> = asked
        .iter()
        .filter_map(|i| PURPOSE_ASKS.get(*i).copied().flatten())
        .map(quote)
        .collect();
    // Index 0 is a request that names no purpose.
    let without = asked.contains(&0);
    Some(format!(
        "(if context has purpose then {}.contains(context.purpose) else {without})",
        list(words)
    ))
}

/// Whether `context.affiliate` (known to be present) is an unnamed affiliate of the
/// party by control on `context.date`, as `xlic query --affiliate` judges it: a name
/// the agreement does not give a party, a kind of control the party's `affiliates by
/// control` names (`controlled` when none is said), and a control that began by the
/// date (and by the `as of` date, which then needs `controlled_since`).
fn affiliate_condition(names: &[&str], c: &ControlOut) -> String {
    let kinds: Vec<String> = c.kinds.iter().map(|k| quote(control_word(*k))).collect();
    let default = c.kinds.contains(&ControlKindOut::Controlled);
    let mut parts = vec![
        "context.affiliate.name != \"\"".to_string(),
        format!(
            "!{}.contains(context.affiliate.name)",
            list(names.iter().map(|n| quote(n)))
        ),
        format!(
            "(if context.affiliate has control then {}.contains(context.affiliate.control) else {default})",
            list(kinds)
        ),
    ];
    match c.as_of {
        Some(as_of) => parts.push(format!(
            "context.affiliate has controlled_since &&\n  context.affiliate.controlled_since <= datetime(\"{as_of}\") &&\n  context.affiliate.controlled_since <= context.date"
        )),
        None => parts.push(
            "(if context.affiliate has controlled_since then context.affiliate.controlled_since <= context.date else true)"
                .to_string(),
        ),
    }
    parts.join(" &&\n  ")
}

/// `xlic query` refuses an unnamed affiliate whose name has white space around it
/// (Rust's `char::is_whitespace`, the characters OPA's `trim_space` trims too); Cedar
/// cannot trim, so one `forbid` denies every such request, whatever else permits it.
fn padded_names(out: &mut String) {
    // U+3000 (ideographic space) is the last white-space character of Unicode.
    let blanks: Vec<char> = (0..=0x3000u32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .collect();
    let mut tests = Vec::new();
    for c in blanks {
        let one = quote(&c.to_string());
        let inner = one.trim_matches('"');
        tests.push(format!("context.affiliate.name like \"{inner}*\""));
        tests.push(format!("context.affiliate.name like \"*{inner}\""));
    }
    let _ = write!(
        out,
        "// An unnamed affiliate's name with white space around it: `xlic query` refuses it.\n\
         @decision(\"deny\")\n\
         forbid (\n  principal,\n  action,\n  resource\n)\n\
         when {{\n  context has affiliate &&\n  ({})\n}};\n\n",
        tests.join(" ||\n   ")
    );
}

/// How the query spells a kind of control.
fn control_word(k: ControlKindOut) -> &'static str {
    match k {
        ControlKindOut::Controlled => "controlled",
        ControlKindOut::Controlling => "controlling",
        ControlKindOut::Common => "common",
    }
}

/// The Cedar export of a compiled policy.
pub fn cedar(policy: &Policy) -> Result<CedarExport, QueryError> {
    cedar_assuming(policy, &[])
}

/// The Cedar export of a compiled policy, with these diligence milestones taken as
/// missed (`xlic build --emit cedar --missed NAME`, as `xlic query --missed`).
pub fn cedar_assuming(policy: &Policy, missed: &[String]) -> Result<CedarExport, QueryError> {
    let t = table_assuming(policy, missed)?;
    let ends = subtree_ends(policy);
    let controls = by_control(policy);
    let names = named(policy);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// The licensing decisions of {} agreement(s), written by xlic {} (docs/cedar.md).\n\
         // Allow = `xlic query` answers permit or no_license_needed (see @decision);\n\
         // everything else is denied. Generated: edit the .xlic sources instead.",
        policy.agreements.len(),
        env!("CARGO_PKG_VERSION")
    );
    if !missed.is_empty() {
        let _ = writeln!(
            out,
            "// Diligence milestones taken as missed (`--missed`): {}.",
            missed.join(", ")
        );
    }
    out.push('\n');
    if !controls.is_empty() {
        padded_names(&mut out);
    }
    // An unnamed affiliate needs no license where no one does, if it is one.
    let free_affiliate = if controls.is_empty() {
        "!(context has affiliate)".to_string()
    } else {
        let each: Vec<String> = controls
            .iter()
            .filter_map(|(i, c)| {
                let p = policy.parties.get(*i)?;
                Some(format!(
                    "(principal == {} &&\n  {})",
                    uid("Party", &p.id),
                    affiliate_condition(&names, c)
                ))
            })
            .collect();
        format!(
            "(if context has affiliate then\n  {}\n  else true)",
            each.join(" ||\n  ")
        )
    };
    for (asset, at) in policy.assets.iter().zip(&t.assets) {
        let resource = format!("resource == {}", uid("Asset", &asset.id));
        for b in &at.free {
            let mut conditions = vec![free_affiliate.clone()];
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
            let parties: Vec<&str> = b
                .parties
                .iter()
                .filter_map(|p| policy.parties.get(*p))
                .map(|p| p.id.as_str())
                .collect();
            // A box of unnamed affiliates: one policy per party, each stating whether
            // the entity is one of the party's.
            let rows: Vec<(String, Vec<String>)> = if b.unnamed {
                b.parties
                    .iter()
                    .filter_map(|p| {
                        let (_, c) = controls.iter().find(|(i, _)| i == p)?;
                        let party = policy.parties.get(*p)?;
                        Some((
                            format!("principal == {}", uid("Party", &party.id)),
                            vec![format!(
                                "context has affiliate &&\n  {}",
                                affiliate_condition(&names, c)
                            )],
                        ))
                    })
                    .collect()
            } else {
                let mut conditions = vec!["!(context has affiliate)".to_string()];
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
                vec![(principal, conditions)]
            };
            let action = match b.rights.as_slice() {
                r if r.len() == Right::ALL.len() => "action".to_string(),
                [one] => format!("action == {}", uid("Action", one.keyword())),
                many => format!(
                    "action in {}",
                    list(many.iter().map(|r| uid("Action", r.keyword())))
                ),
            };
            let mut rest = Vec::new();
            rest.extend(purposes_condition(&b.purposes));
            rest.extend(fields_condition(policy, &ends, &b.fields));
            rest.extend(countries_condition(b.countries, "context.country"));
            span_conditions(b.span, &mut rest);
            for (principal, mut conditions) in rows {
                conditions.extend(rest.iter().cloned());
                policy_text(
                    &mut out,
                    &[
                        ("decision", "permit".to_string()),
                        ("asset", asset.id.clone()),
                        ("reasons", b.reasons.join(" ")),
                        ("kinds", b.kinds.join(" ")),
                    ],
                    [principal, action.clone(), resource.clone()],
                    &conditions,
                );
            }
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
         // An entity the agreement does not name, asked about as an affiliate of the\n\
         // principal by control (`xlic query --affiliate`): control is controlled\n\
         // (the default), controlling or common.\n\
         type Affiliate = {{\n  name: String,\n  control?: String,\n  controlled_since?: datetime,\n}};\n\
         \n\
         // One point: a field node, a country (ISO 3166-1 alpha-2) and a day; what the\n\
         // use is for (a word of `xlic query --purpose`; none: any purpose) and, for an\n\
         // unnamed affiliate of the principal, who it is.\n\
         type Point = {{\n  field: Field,\n  country: String,\n  date: datetime,\n  purpose?: String,\n  affiliate?: Affiliate,\n}};\n\
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
