//! The names of parties, assets and fields of use, as an agreement defines them.

use super::*;
use crate::model::{AssetDecl, FieldForest, FieldId, FieldSet, Model, PartyId};
use crate::vocab::AssetKind;

/// A party's defined short name: its `short` name, else its id capitalised.
pub fn short_name(model: &Model, p: PartyId) -> String {
    match model.party(p) {
        Some(decl) => decl
            .short_name
            .clone()
            .unwrap_or_else(|| title_case(&decl.name)),
        None => "?".to_string(),
    }
}

/// A party introduced by its legal name and short name: `Acme Robotics, Inc. ("Acme")`.
pub fn party_intro(model: &Model, p: PartyId) -> String {
    match model.party(p) {
        Some(decl) => format!("{} (\"{}\")", decl.legal_name, short_name(model, p)),
        None => "?".to_string(),
    }
}

/// The defined name of an asset: `acme_motion` (a patent family) → "Acme Motion
/// Patents".
pub fn asset_term(asset: &AssetDecl) -> String {
    // terms: a defined term written after the id wins (`asset gan "GaN Patents": …`).
    if let Some(label) = &asset.label {
        let l = label.trim();
        return l.strip_prefix("the ").unwrap_or(l).to_string();
    }
    let base = title_case(&asset.name);
    let suffix = match asset.kind {
        AssetKind::Patent => "Patent",
        AssetKind::PatentFamily | AssetKind::PatentsFiled => "Patents",
        AssetKind::KnowHow => "Know-How",
        AssetKind::TradeSecret => "Trade Secrets",
        AssetKind::Software => "Software",
        AssetKind::Data => "Data",
    };
    let lower = base.to_lowercase();
    let suffix_lower = suffix.to_lowercase();
    let stem = suffix_lower.trim_end_matches('s');
    if lower.ends_with(&suffix_lower) || lower.ends_with(stem) {
        base
    } else {
        format!("{base} {suffix}")
    }
}

/// The words for a field of use: its label, else its name humanised.
pub fn field_label(forest: &FieldForest, id: FieldId) -> String {
    match forest.get(id) {
        Some(f) => f.label.clone().unwrap_or_else(|| title_case(&f.name)),
        None => "?".to_string(),
    }
}

/// A field set as the fewest subtrees, each with the subtrees below it that the set
/// leaves out (the structure of [`crate::scope::describe_fields`]).
pub fn field_groups(forest: &FieldForest, set: &FieldSet) -> Vec<(FieldId, Vec<FieldId>)> {
    let mut out = Vec::new();
    for &(a, b) in &set.ranges {
        field_groups_in(forest, set, a, b, &mut out, 0);
    }
    out
}

pub(crate) fn subtree_end(forest: &FieldForest, i: u32) -> u32 {
    forest
        .get(FieldId(i))
        .map(|n| n.end)
        .unwrap_or(i + 1)
        .max(i + 1)
}

pub(crate) fn field_groups_in(
    forest: &FieldForest,
    set: &FieldSet,
    start: u32,
    end: u32,
    out: &mut Vec<(FieldId, Vec<FieldId>)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let mut i = start;
    while i < end {
        if !set.contains(FieldId(i)) {
            i += 1;
            continue;
        }
        let node_end = subtree_end(forest, i);
        let mut excluded = Vec::new();
        let mut k = i + 1;
        while k < node_end {
            if set.contains(FieldId(k)) {
                k += 1;
            } else {
                excluded.push(FieldId(k));
                k = subtree_end(forest, k);
            }
        }
        out.push((FieldId(i), excluded.clone()));
        for e in excluded {
            let e_end = subtree_end(forest, e.0);
            let inner = set.intersection(&FieldSet::from_ranges(vec![(e.0, e_end)]));
            if !inner.is_empty() {
                field_groups_in(forest, set, e.0, e_end, out, depth + 1);
            }
        }
        i = node_end;
    }
}

/// A field set as an adverbial phrase: "in the Field of Consumer Robotics, excluding
/// Robotic Lawn Mowers"; "in the Fields of A (excluding X) and of B"; "in every Field
/// of Use".
pub fn field_phrase(forest: &FieldForest, set: &FieldSet) -> String {
    if set.is_empty() {
        return "in no Field of Use".to_string();
    }
    if set.len() as usize >= forest.nodes.len() {
        return "in every Field of Use".to_string();
    }
    let groups = field_groups(forest, set);
    let excl = |ex: &[FieldId]| -> String {
        let labels: Vec<String> = ex.iter().map(|e| field_label(forest, *e)).collect();
        join_list(&labels)
    };
    match groups.as_slice() {
        [(id, ex)] if ex.is_empty() => format!("in the Field of {}", field_label(forest, *id)),
        [(id, ex)] => format!(
            "in the Field of {}, excluding {}",
            field_label(forest, *id),
            excl(ex)
        ),
        many => {
            let parts: Vec<String> = many
                .iter()
                .enumerate()
                .map(|(i, (id, ex))| {
                    let of = if i == 0 { "" } else { "of " };
                    if ex.is_empty() {
                        format!("{of}{}", field_label(forest, *id))
                    } else {
                        format!("{of}{} (excluding {})", field_label(forest, *id), excl(ex))
                    }
                })
                .collect();
            format!("in the Fields of {}", join_list(&parts))
        }
    }
}

/// A field set for a table cell: "Consumer Robotics excl. Robotic Lawn Mowers".
pub fn field_cell(forest: &FieldForest, set: &FieldSet) -> String {
    if set.is_empty() {
        return "none".to_string();
    }
    if set.len() as usize >= forest.nodes.len() {
        return "all fields".to_string();
    }
    let parts: Vec<String> = field_groups(forest, set)
        .iter()
        .map(|(id, ex)| {
            let label = field_label(forest, *id);
            if ex.is_empty() {
                label
            } else {
                let ex: Vec<String> = ex.iter().map(|e| field_label(forest, *e)).collect();
                format!("{label} excl. {}", ex.join(", "))
            }
        })
        .collect();
    parts.join("; ")
}
