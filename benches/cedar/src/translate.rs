//! The generated portfolio in Cedar: a schema, one `permit` policy per grant, the
//! entities (parties with their affiliates, assets, the field tree) and requests.
//!
//! The mapping, grant by grant:
//!
//! - licensee → `principal == Party::"p045"`, or `principal in Party::"p045"` when the
//!   grant reaches the licensee's affiliates (affiliates are `Party` entities whose
//!   parent is their party);
//! - rights → `action in [Action::"make", …]`, or any `action` for every right;
//! - assets → `resource == Asset::"pf0012"`, or `resource in [Asset::…, …]` in the
//!   `when` clause for several;
//! - field of use → `context.field in [Field::"robotics.vision", …]` over the `Field`
//!   hierarchy, nothing for `all`, and `unless { context.field in … }` for `except`;
//! - territory → `["US", "CA"].contains(context.country)`, nothing for `worldwide`, and
//!   `unless { ["DE"].contains(context.country) }` for `worldwide except`;
//! - term → `context.day >= start && context.day < end` in days since 1970-01-01.

use crate::workload::{GrantSpec, Spec};
use xlic_testkit::Rng;
use cedar_policy::{
    Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression,
    Schema,
};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;

pub const RIGHTS: [&str; 10] = [
    "make",
    "have made",
    "use",
    "sell",
    "offer",
    "import",
    "lease",
    "reproduce",
    "modify",
    "distribute",
];

/// The countries the generator uses.
pub const COUNTRIES: [&str; 30] = [
    "US", "CA", "MX", "BR", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "LU", "AT", "CH", "SE", "DK",
    "FI", "NO", "PL", "IE", "JP", "CN", "KR", "TW", "IN", "AU", "SG", "IL", "ZA", "TR",
];

/// The Cedar schema of the workload.
pub fn schema_text() -> String {
    let actions: Vec<String> = RIGHTS.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        "// Parties (affiliates are parties whose parent is their party), assets and the\n\
         // field-of-use tree. A request asks for one right over one asset in one field,\n\
         // country and day.\n\
         entity Party in [Party];\n\
         entity Asset;\n\
         entity Field in [Field];\n\
         action {} appliesTo {{\n  principal: Party,\n  resource: Asset,\n  context: {{ field: Field, country: String, day: Long }}\n}};\n",
        actions.join(", ")
    )
}

/// Days since 1970-01-01, the way xlic counts them.
pub fn day_number((y, m, d): (u32, u32, u32)) -> i64 {
    i32::try_from(y)
        .ok()
        .and_then(|y| xlic::date::Date::from_ymd(y, m, d))
        .map_or(0, |d| i64::from(d.days()))
}

fn quoted_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|c| format!("\"{c}\"")).collect();
    format!("[{}]", q.join(", "))
}

fn entity_list(ty: &str, items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|x| format!("{ty}::\"{x}\"")).collect();
    format!("[{}]", q.join(", "))
}

/// One `permit` policy for one grant.
pub fn write_policy(out: &mut String, g: &GrantSpec) {
    let principal = if g.affiliates {
        format!("principal in Party::\"{}\"", g.licensee)
    } else {
        format!("principal == Party::\"{}\"", g.licensee)
    };
    let action = if g.rights.is_empty() {
        "action".to_string()
    } else {
        let r: Vec<String> = g
            .rights
            .iter()
            .map(|r| format!("Action::\"{r}\""))
            .collect();
        format!("action in [{}]", r.join(", "))
    };
    let mut when: Vec<String> = Vec::new();
    let resource = match g.assets.as_slice() {
        [one] => format!("resource == Asset::\"{one}\""),
        many => {
            when.push(format!("resource in {}", entity_list("Asset", many)));
            "resource".to_string()
        }
    };
    match g.fields.as_slice() {
        [] => {}
        [one] => when.push(format!("context.field in Field::\"{one}\"")),
        many => when.push(format!("context.field in {}", entity_list("Field", many))),
    }
    if !g.worldwide {
        when.push(format!(
            "{}.contains(context.country)",
            quoted_list(&g.countries)
        ));
    }
    when.push(format!(
        "context.day >= {} && context.day < {}",
        day_number(g.start),
        day_number(g.end)
    ));
    let _ = write!(
        out,
        "permit (\n  {principal},\n  {action},\n  {resource}\n)\nwhen {{\n  {}\n}}",
        when.join(" &&\n  ")
    );
    match g.fields_except.as_slice() {
        [] => {}
        [one] => {
            let _ = write!(out, "\nunless {{ context.field in Field::\"{one}\" }}");
        }
        many => {
            let _ = write!(
                out,
                "\nunless {{ context.field in {} }}",
                entity_list("Field", many)
            );
        }
    }
    if !g.countries_except.is_empty() {
        let _ = write!(
            out,
            "\nunless {{ {}.contains(context.country) }}",
            quoted_list(&g.countries_except)
        );
    }
    out.push_str(";\n\n");
}

/// The policies of `grants`, one after another.
pub fn policies_text(grants: &[GrantSpec]) -> String {
    let mut out = String::with_capacity(grants.len() * 300);
    for g in grants {
        write_policy(&mut out, g);
    }
    out
}

fn uid(ty: &str, id: &str) -> Result<EntityUid, String> {
    let ty = EntityTypeName::from_str(ty).map_err(|e| format!("entity type `{ty}`: {e}"))?;
    Ok(EntityUid::from_type_name_and_id(ty, EntityId::new(id)))
}

/// Parties, affiliates, assets and fields as Cedar entities.
pub fn entities(spec: &Spec, schema: &Schema) -> Result<Entities, String> {
    let mut list = Vec::new();
    for p in &spec.parties {
        let party = uid("Party", &p.name)?;
        for a in &p.affiliates {
            list.push(Entity::new_no_attrs(
                uid("Party", a)?,
                HashSet::from([party.clone()]),
            ));
        }
        list.push(Entity::new_no_attrs(party, HashSet::new()));
    }
    for a in &spec.assets {
        list.push(Entity::new_no_attrs(uid("Asset", &a.name)?, HashSet::new()));
    }
    for f in &spec.fields {
        let mut parents = HashSet::new();
        if let Some(p) = f.parent.and_then(|i| spec.fields.get(i)) {
            parents.insert(uid("Field", &p.path)?);
        }
        list.push(Entity::new_no_attrs(uid("Field", &f.path)?, parents));
    }
    Entities::from_entities(list, Some(schema)).map_err(|e| format!("Cedar entities: {e}"))
}

/// One question, in terms both systems understand.
pub struct Question {
    pub licensee: String,
    pub asset: String,
    pub right: &'static str,
    pub field: String,
    pub country: &'static str,
    pub date: (u32, u32, u32),
}

impl Question {
    pub fn to_xlic(&self) -> xlic::query::Request {
        let (y, m, d) = self.date;
        xlic::query::Request {
            licensee: self.licensee.clone(),
            asset: self.asset.clone(),
            right: self.right.to_string(),
            field: self.field.clone(),
            territory: self.country.to_string(),
            date: format!("{y:04}-{m:02}-{d:02}"),
            purpose: None,
            affiliate: None,
        }
    }

    pub fn to_cedar(&self, schema: &Schema) -> Result<Request, String> {
        let context = Context::from_pairs([
            (
                "field".to_string(),
                RestrictedExpression::new_entity_uid(uid("Field", &self.field)?),
            ),
            (
                "country".to_string(),
                RestrictedExpression::new_string(self.country.to_string()),
            ),
            (
                "day".to_string(),
                RestrictedExpression::new_long(day_number(self.date)),
            ),
        ])
        .map_err(|e| format!("Cedar context: {e}"))?;
        Request::new(
            uid("Party", &self.licensee)?,
            uid("Action", self.right)?,
            uid("Asset", &self.asset)?,
            context,
            Some(schema),
        )
        .map_err(|e| format!("Cedar request: {e}"))
    }
}

/// `n` questions aimed at `grants` the way `benches/query.rs` aims its requests: a
/// grant's licensee (or an affiliate it reaches), asset and a right; a field inside
/// the grant's (or any field one time in four); a country of the grant (or Japan one
/// time in four); any day of 2026–2041.
pub fn questions(spec: &Spec, grants: &[GrantSpec], n: usize, seed: u64) -> Vec<Question> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    if grants.is_empty() || spec.fields.is_empty() {
        return out;
    }
    let by_path: std::collections::HashMap<&str, usize> = spec
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let affiliates: std::collections::HashMap<&str, &[String]> = spec
        .parties
        .iter()
        .map(|p| (p.name.as_str(), p.affiliates.as_slice()))
        .collect();
    for _ in 0..n {
        let g = &grants[rng.below(grants.len())];
        let mut reach = vec![g.licensee.clone()];
        if g.affiliates {
            if let Some(a) = affiliates.get(g.licensee.as_str()) {
                reach.extend(a.iter().cloned());
            }
        }
        let licensee = reach[rng.below(reach.len())].clone();
        let asset = g.assets[rng.below(g.assets.len())].clone();
        let right = RIGHTS[rng.below(RIGHTS.len())];
        let field = if rng.below(4) == 0 || g.fields.is_empty() {
            rng.below(spec.fields.len())
        } else {
            let named = &g.fields[rng.below(g.fields.len())];
            let at = by_path.get(named.as_str()).copied().unwrap_or(0);
            let end = spec.fields.get(at).map_or(at + 1, |f| f.end);
            at + rng.below(end - at)
        };
        let field = spec.fields[field].path.clone();
        let country = if rng.below(4) == 0 || (!g.worldwide && g.countries.is_empty()) {
            "JP"
        } else if g.worldwide {
            COUNTRIES[rng.below(COUNTRIES.len())]
        } else {
            g.countries[rng.below(g.countries.len())]
        };
        let date = (
            2026 + rng.below(16) as u32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        out.push(Question {
            licensee,
            asset,
            right,
            field,
            country,
            date,
        });
    }
    out
}
