//! `xlic build --emit rego`: the portfolio as an OPA bundle — the decision table as
//! data (`data.xlic.table`) and a small Rego policy (`package xlic`) over it — so that
//! OPA answers the questions `xlic query` answers, with the same decisions
//! (docs/rego.md).
//!
//! The input is `xlic query`'s request object (`licensee`, `asset`, `right`, `field`,
//! `territory`, `date`, and the optional `purpose` and `affiliate`). `data.xlic.decision` is `"permit"`, `"deny"` or
//! `"no_license_needed"`, as `xlic query` answers; `data.xlic.allow` is true when the
//! party may go ahead (`permit` or `no_license_needed`). The boxes are those of the
//! decision table ([`super::decisions`]); each lists its field nodes one by one, so the
//! policy compares names only.

use super::decisions::{by_control, named, table_assuming, Span, PURPOSE_ASKS};
use crate::policy::Policy;
use crate::query::QueryError;
use crate::territory::TerritorySet;
use serde_json::{json, Map, Value};

/// The files of an OPA bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegoBundle {
    /// `xlic.rego`.
    pub policy: String,
    /// `data.json` (the table under `xlic.table`).
    pub data: String,
    /// `.manifest` (the bundle owns the `xlic` root).
    pub manifest: String,
}

/// The Rego policy of every export: it reads only `data.xlic.table`.
pub const POLICY: &str = r#"# The licensing decisions of an xlic portfolio (docs/rego.md), over the
# table in data.xlic.table written by `xlic build --emit rego`. The input is the
# request of `xlic query`: licensee, asset, right, field, territory, date, and
# optionally purpose and affiliate (an unnamed affiliate of the licensee by control).
package xlic

import rego.v1

default decision := "deny"

decision := "no_license_needed" if {
	free
	who_ok
}

decision := "permit" if {
	not free
	permit
}

# The party may go ahead: licensed, or no license is needed.
default allow := false

allow if decision != "deny"

free if {
	some b in data.xlic.table[input.asset].free
	in_box(b)
}

permit if {
	some b in data.xlic.table[input.asset].permits
	matches(b)
}

# The clauses that permit (`owner`, or AGREEMENT.CLAUSE).
reasons contains r if {
	decision == "permit"
	some b in data.xlic.table[input.asset].permits
	matches(b)
	some r in b.reasons
}

# The kind of each reason, as xlic query names it (granted, covenant, released, ...).
kinds[r] := k if {
	decision == "permit"
	some b in data.xlic.table[input.asset].permits
	matches(b)
	some i, r in b.reasons
	k := b.kinds[i]
}

matches(b) if {
	who_in(b)
	input.right in b.rights
	input.field in b.fields
	purpose_in(b)
	in_box(b)
}

# The purpose the request names; null when it names none (any purpose).
default purpose := null

purpose := input.purpose

purpose_in(b) if not b.purposes

purpose_in(b) if purpose in b.purposes

# The request is for an unnamed affiliate of the licensee.
unnamed if input.affiliate != null

who_ok if not unnamed

who_ok if affiliate_ok

who_in(b) if {
	not unnamed
	not b.unnamed
	input.licensee in b.parties
}

who_in(b) if {
	unnamed
	b.unnamed
	input.licensee in b.parties
	affiliate_ok
}

# Whether the unnamed entity is an affiliate of the licensee by control on the date,
# under the licensee's `affiliates by control` (data.xlic.by_control).
# A name with white space around it is refused by xlic query, so denied here.
affiliate_ok if {
	c := data.xlic.by_control[input.licensee]
	is_string(input.affiliate.name)
	name := input.affiliate.name
	name != ""
	trim_space(name) == name
	not name in data.xlic.named
	control in c.kinds
	since_ok(c)
}

default control := "controlled"

control := input.affiliate.control if input.affiliate.control != null

since_ok(c) if {
	c.as_of == null
	not since
}

since_ok(c) if {
	c.as_of == null
	since <= input.date
}

since_ok(c) if {
	is_string(c.as_of)
	since <= c.as_of
	since <= input.date
}

since := s if {
	s := input.affiliate.controlled_since
	is_string(s)
}

in_box(b) if {
	in_countries(b)
	b.from <= input.date
	before_end(b)
}

in_countries(b) if input.territory in b.countries

in_countries(b) if {
	b.except_countries
	not input.territory in b.except_countries
}

before_end(b) if b.until == null

before_end(b) if input.date < b.until
"#;

fn countries(t: TerritorySet, b: &mut Map<String, Value>) {
    let rest = TerritorySet::worldwide().difference(t);
    if rest.len() < t.len() {
        b.insert("countries".into(), json!([]));
        b.insert("except_countries".into(), json!(rest.codes()));
    } else {
        b.insert("countries".into(), json!(t.codes()));
    }
}

fn span(s: Span, b: &mut Map<String, Value>) {
    b.insert("from".into(), json!(s.from.to_string()));
    b.insert(
        "until".into(),
        s.until.map_or(Value::Null, |d| json!(d.to_string())),
    );
}

/// The OPA bundle of a compiled policy.
pub fn rego(policy: &Policy) -> Result<RegoBundle, QueryError> {
    rego_assuming(policy, &[])
}

/// The OPA bundle of a compiled policy, with these diligence milestones taken as missed
/// (`xlic build --emit rego --missed NAME`, as `xlic query --missed`).
pub fn rego_assuming(policy: &Policy, missed: &[String]) -> Result<RegoBundle, QueryError> {
    let t = table_assuming(policy, missed)?;
    let mut assets = Map::new();
    for (asset, at) in policy.assets.iter().zip(&t.assets) {
        let mut free = Vec::new();
        for f in &at.free {
            let mut b = Map::new();
            countries(f.countries, &mut b);
            span(f.span, &mut b);
            free.push(Value::Object(b));
        }
        let mut permits = Vec::new();
        for p in &at.permits {
            let mut b = Map::new();
            let parties: Vec<&str> = p
                .parties
                .iter()
                .filter_map(|i| policy.parties.get(*i))
                .map(|x| x.id.as_str())
                .collect();
            let rights: Vec<&str> = p.rights.iter().map(|r| r.keyword()).collect();
            let fields: Vec<&str> = p
                .fields
                .iter()
                .filter_map(|i| policy.fields.get(*i as usize))
                .map(|x| x.id.as_str())
                .collect();
            b.insert("parties".into(), json!(parties));
            if p.unnamed {
                b.insert("unnamed".into(), json!(true));
            }
            b.insert("rights".into(), json!(rights));
            if !p.any_purpose() {
                let asked: Vec<Option<&str>> = p
                    .purposes
                    .iter()
                    .filter_map(|i| PURPOSE_ASKS.get(*i).copied())
                    .collect();
                b.insert("purposes".into(), json!(asked));
            }
            b.insert("fields".into(), json!(fields));
            countries(p.countries, &mut b);
            span(p.span, &mut b);
            b.insert("reasons".into(), json!(p.reasons));
            b.insert("kinds".into(), json!(p.kinds));
            permits.push(Value::Object(b));
        }
        assets.insert(
            asset.id.clone(),
            json!({ "free": free, "permits": permits }),
        );
    }
    let mut controls = Map::new();
    for (i, c) in by_control(policy) {
        if let Some(p) = policy.parties.get(i) {
            controls.insert(
                p.id.clone(),
                json!({ "kinds": c.kinds, "as_of": c.as_of.map(|d| d.to_string()) }),
            );
        }
    }
    let data = json!({ "xlic": {
        "table": Value::Object(assets),
        "by_control": Value::Object(controls),
        "named": named(policy),
        "missed": missed,
    } });
    let mut data = serde_json::to_string_pretty(&data).unwrap_or_default();
    data.push('\n');
    Ok(RegoBundle {
        policy: POLICY.to_string(),
        data,
        manifest: "{\n  \"roots\": [\"xlic\"]\n}\n".to_string(),
    })
}
