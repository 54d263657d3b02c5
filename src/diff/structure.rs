//! The structural comparison under the redline: two parts of a policy, as their JSON
//! values, compared leaf by leaf, so that every field the policy has (and every field
//! added to it later) is compared without a rule written for it. Where a clause is
//! written (`source`) is never compared. Lists of things with an identity (an `id`, a
//! patent `number`, the `grant` of a sunset, the `assets` of an improvements clause)
//! are matched by it and compared item by item; other lists are compared whole.

use crate::territory::TerritorySet;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One difference: where, and the value on each side (`None`: the item is not there).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Leaf {
    /// Object keys, and `[key]` for an item of a list matched by identity.
    pub path: Vec<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Leaf {
    /// The path in words: `patents[US 1].expires`.
    pub fn path_text(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            if !seg.starts_with('[') && !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
        s
    }

    /// The last object key on the path (what the value is).
    pub fn key(&self) -> &str {
        self.path
            .iter()
            .rev()
            .find(|s| !s.starts_with('['))
            .map_or("", String::as_str)
    }
}

/// The identity of a list item, when it has one.
pub(super) fn identity(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    for key in ["id", "number", "grant"] {
        if let Some(Value::String(s)) = o.get(key) {
            // outputs: an id the compiler derived (version 5) is made of the values
            // below; the clause is matched by them, as before.
            if key == "id" && crate::policy::ids::is_derived(s) {
                continue;
            }
            return Some(s.clone());
        }
    }
    // An improvement rule: by its direction and parties, as the prose names it
    // (`grant back globex -> acme`).
    if let (Some(Value::String(d)), Some(Value::String(from)), Some(Value::String(to))) =
        (o.get("direction"), o.get("from"), o.get("to"))
    {
        return Some(format!("{} {from} -> {to}", d.replace('_', " ")));
    }
    // A reservation without a name, an improvements clause: by assets (and holder).
    let assets: Vec<&str> = o
        .get("assets")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut key = assets.join(", ");
    if let Some(Value::String(h)) = o.get("holder") {
        key.push_str(&format!(" of {h}"));
    }
    Some(key)
}

/// The items of a list by identity, when every item has a distinct one.
fn keyed(list: &[Value]) -> Option<BTreeMap<String, &Value>> {
    let mut map = BTreeMap::new();
    for v in list {
        if map.insert(identity(v)?, v).is_some() {
            return None;
        }
    }
    Some(map)
}

/// Every difference between `a` and `b`, under `path`; keys in `skip` (at any depth)
/// are not compared.
pub(super) fn walk(path: &[String], a: &Value, b: &Value, skip: &[&str], out: &mut Vec<Leaf>) {
    let at = |seg: String| {
        let mut p = path.to_vec();
        p.push(seg);
        p
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if !atomic(x) || !atomic(y) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                if k == "source" || skip.contains(&k.as_str()) {
                    continue;
                }
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                walk(&at(k.clone()), va, vb, skip, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x != y => match (keyed(x), keyed(y)) {
            (Some(kx), Some(ky)) if !x.is_empty() || !y.is_empty() => {
                let keys: BTreeSet<&String> = kx.keys().chain(ky.keys()).collect();
                for k in keys {
                    let p = at(format!("[{k}]"));
                    match (kx.get(k), ky.get(k)) {
                        (Some(va), Some(vb)) => walk(&p, va, vb, skip, out),
                        (va, vb) => out.push(Leaf {
                            path: p,
                            before: va.map(|v| strip(v, skip)),
                            after: vb.map(|v| strip(v, skip)),
                        }),
                    }
                }
            }
            // A list compared whole differs only if it does without the sources (the
            // same rules moved to other lines, or read from a file of another name,
            // are no change).
            _ => {
                let (before, after) = (strip(a, skip), strip(b, skip));
                if before != after {
                    out.push(Leaf {
                        path: path.to_vec(),
                        before: Some(before),
                        after: Some(after),
                    });
                }
            }
        },
        _ if a != b => {
            // An item only in one of the versions differs as a whole.
            let absent = |v: &Value| v.is_null() && path.last().is_some_and(|s| s.starts_with('['));
            out.push(Leaf {
                path: path.to_vec(),
                before: (!absent(a)).then(|| strip(a, skip)),
                after: (!absent(b)).then(|| strip(b, skip)),
            });
        }
        _ => {}
    }
}

/// Whether an object is one value: a period, a duration or an amount.
fn atomic(o: &serde_json::Map<String, Value>) -> bool {
    let keys: BTreeSet<&str> = o.keys().map(String::as_str).collect();
    [
        &["start", "end"][..],
        &["amount", "unit"],
        &["amount", "currency"],
    ]
    .iter()
    .any(|k| keys == k.iter().copied().collect())
}

/// A value without its `source` (and skipped keys), at every depth.
pub(super) fn strip(v: &Value, skip: &[&str]) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| *k != "source" && !skip.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), strip(v, skip)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| strip(v, skip)).collect()),
        other => other.clone(),
    }
}

/// Named sets of countries a territory may be written with: the policy's groups and
/// the EU and EEA.
pub(super) type Groups = Vec<(String, TerritorySet)>;

/// A set of countries as a short expression over worldwide, the groups and single
/// countries: `worldwide except CN, RU`, `EU + GB, CH`, `EEA except NO`, `DE, FR`.
pub(super) fn territory_expr(set: TerritorySet, groups: &Groups) -> String {
    crate::territory::Compact::of(set, groups)
        .map_or_else(|| "no territory".to_string(), |c| c.render(codes))
}

/// `1 year`, `90 days`.
pub(super) fn duration(amount: &str, unit: &str) -> String {
    match unit.strip_suffix('s') {
        Some(one) if amount == "1" => format!("1 {one}"),
        _ => format!("{amount} {unit}"),
    }
}

fn codes(set: TerritorySet) -> String {
    at_most(&set.codes(), 12)
}

/// A list of names, the first `n` and how many more.
pub(super) fn at_most(list: &[&str], n: usize) -> String {
    match list.get(..n) {
        Some(first) if list.len() > n => {
            format!("{} and {} more", first.join(", "), list.len() - n)
        }
        _ => list.join(", "),
    }
}

/// A value in words; `key` says what it is (a list of countries is a territory).
pub(super) fn words(key: &str, v: &Value, groups: &Groups) -> String {
    match v {
        // An absent `purposes` (rights: issue 15) is every purpose.
        Value::Null if key == "purposes" => "every purpose".to_string(),
        Value::Null => "none".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        // Names, dates and keywords as they are; free text in quotes.
        Value::String(s)
            if s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c)) =>
        {
            s.clone()
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Array(list) if key.starts_with("territories") => {
            let codes: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            match TerritorySet::from_codes(&codes) {
                Ok(set) if codes.len() == list.len() => territory_expr(set, groups),
                _ => plain_list(key, list, groups),
            }
        }
        Value::Array(list) => plain_list(key, list, groups),
        Value::Object(o) => object_words(o, groups),
    }
}

fn plain_list(key: &str, list: &[Value], groups: &Groups) -> String {
    if list.is_empty() {
        return "none".to_string();
    }
    let items: Vec<String> = list
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => words(key, other, groups),
        })
        .collect();
    let sep = if list.iter().all(Value::is_string) {
        ", "
    } else {
        "; "
    };
    items.join(sep)
}

fn object_words(o: &serde_json::Map<String, Value>, groups: &Groups) -> String {
    let s = |k: &str| o.get(k).and_then(Value::as_str);
    // Durations, amounts and periods read as the language writes them.
    if let (Some(Value::Number(n)), Some(unit)) = (o.get("amount"), s("unit")) {
        return duration(&n.to_string(), unit);
    }
    if let (Some(amount), Some(currency)) = (s("amount"), s("currency")) {
        return format!("{amount} {currency}");
    }
    if o.len() == 2 {
        if let (Some(start), Some(end)) = (o.get("start"), o.get("end")) {
            let start = start.as_str().unwrap_or("?");
            return match end.as_str() {
                Some(e) => format!("{start} until {e}"),
                None => format!("from {start} on"),
            };
        }
    }
    let parts: Vec<String> = o
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        .map(|(k, v)| match v {
            Value::Bool(true) => k.replace('_', " "),
            Value::Bool(false) => format!("not {}", k.replace('_', " ")),
            _ => format!("{} {}", k.replace('_', " "), words(k, v, groups)),
        })
        .collect();
    if parts.is_empty() {
        "(empty)".to_string()
    } else {
        format!("({})", parts.join(", "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn territory_expressions_are_short() {
        let set = |codes: &[&str]| TerritorySet::from_codes(codes).unwrap();
        let none = Groups::new();
        let w = TerritorySet::worldwide();
        assert_eq!(
            territory_expr(w.difference(set(&["CN", "RU"])), &none),
            "worldwide except CN, RU"
        );
        assert_eq!(
            territory_expr(TerritorySet::eu().union(set(&["GB"])), &none),
            "EU + GB"
        );
        assert_eq!(
            territory_expr(TerritorySet::eu().difference(set(&["HU"])), &none),
            "EU except HU"
        );
        assert_eq!(territory_expr(set(&["FR", "DE"]), &none), "DE, FR");
        assert_eq!(territory_expr(w, &none), "worldwide");
        let groups = vec![("nordics".to_string(), set(&["DK", "FI", "IS", "NO", "SE"]))];
        assert_eq!(
            territory_expr(set(&["DK", "FI", "IS", "NO", "SE", "DE"]), &groups),
            "nordics + DE"
        );
    }

    #[test]
    fn lists_with_identity_are_matched_item_by_item() {
        let a = json!({"assets": [{"id": "x", "patents": [{"number": "US 1", "source": 1}]}]});
        let b = json!({"assets": [{"id": "x", "patents": [{"number": "US 1", "source": 2}, {"number": "US 2"}]}]});
        let mut out = Vec::new();
        walk(&[], &a, &b, &[], &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path_text(), "assets[x].patents[US 2]");
        assert_eq!(out[0].before, None);
        assert_eq!(out[0].after, Some(json!({"number": "US 2"})));
    }

    #[test]
    fn a_list_that_differs_only_in_its_sources_is_no_change() {
        // Rules without an identity are compared as a whole list.
        let a = json!({"rules": [{"from": "globex", "source": {"file": "old.xlic"}}]});
        let b = json!({"rules": [{"from": "globex", "source": {"file": "new.xlic"}}]});
        let mut out = Vec::new();
        walk(&[], &a, &b, &[], &mut out);
        assert!(out.is_empty(), "{out:?}");
        let c = json!({"rules": [{"from": "initech", "source": {"file": "new.xlic"}}]});
        walk(&[], &a, &c, &[], &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].after, Some(json!([{"from": "initech"}])));
    }

    #[test]
    fn values_read_as_written() {
        let g = Groups::new();
        assert_eq!(
            words("wind_down", &json!({"amount": 90, "unit": "days"}), &g),
            "90 days"
        );
        assert_eq!(words("territories", &json!(["FR", "DE"]), &g), "DE, FR");
        assert_eq!(words("governing_law", &json!("England"), &g), "\"England\"");
    }
}
