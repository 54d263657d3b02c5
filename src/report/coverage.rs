//! The coverage part: per asset, top-level fields × groups of countries treated
//! alike, the strongest license of each cell on the as-of date.

use super::*;
use crate::check::context::{Ctx, GrantInfo};
use crate::date::Date;
use crate::model::{AssetId, FieldId, FieldSet, RightSet};
use crate::scope;
use crate::territory::TerritorySet;
use crate::text::{asset_term, field_label, short_name};
use std::collections::{BTreeMap, BTreeSet};

/// The coverage matrix of one asset on `as_of`.
pub(super) fn asset_coverage(
    ctx: &Ctx<'_>,
    asset: AssetId,
    as_of: Date,
    anchor: String,
) -> AssetCoverage {
    let model = ctx.model;
    let decl = model.asset(asset);
    // Where the asset exists on the date.
    let exists = decl
        .map(|d| {
            scope::existence(d)
                .into_iter()
                .filter(|(_, t)| Status::of(*t, as_of) == Status::InForce)
                .fold(TerritorySet::empty(), |acc, (set, _)| acc.union(set))
        })
        .unwrap_or_default();
    let active: Vec<&GrantInfo<'_>> = ctx
        .grants
        .iter()
        .filter(|g| g.grant.assets.contains(&asset) && Status::of(g.time, as_of) == Status::InForce)
        .collect();
    let tops: Vec<FieldId> = model
        .fields
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none())
        .map(|(i, _)| FieldId(u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    // Countries that every grant treats alike share their cells: group them first.
    let mut groups: BTreeMap<(bool, Vec<usize>), TerritorySet> = BTreeMap::new();
    for c in TerritorySet::worldwide().iter() {
        let present = exists.contains(c);
        let reach: Vec<usize> = if present {
            active
                .iter()
                .enumerate()
                .filter(|(_, g)| g.grant.territory.contains(c))
                .map(|(i, _)| i)
                .collect()
        } else {
            Vec::new()
        };
        groups
            .entry((present, reach))
            .or_insert_with(TerritorySet::empty)
            .insert(c);
    }
    // Then merge the groups whose cells are equal in every row.
    let mut columns: BTreeMap<Vec<CoverageCell>, TerritorySet> = BTreeMap::new();
    for ((present, reach), set) in groups {
        let cells: Vec<CoverageCell> = tops
            .iter()
            .map(|top| {
                if !present {
                    return CoverageCell {
                        level: Level::NoPatent,
                        partial: false,
                        holders: Vec::new(),
                    };
                }
                let grants: Vec<&GrantInfo<'_>> = reach
                    .iter()
                    .filter_map(|i| active.get(*i).copied())
                    .collect();
                cell(ctx, &grants, *top)
            })
            .collect();
        let entry = columns.entry(cells).or_insert_with(TerritorySet::empty);
        *entry = entry.union(set);
    }
    let largest = columns.values().map(TerritorySet::len).max().unwrap_or(0);
    let mut cols: Vec<(TerritorySet, Vec<CoverageCell>)> = columns
        .into_iter()
        .map(|(cells, set)| (set, cells))
        .collect();
    // Small groups first, by their first country code; the largest group, when it is
    // too big to name, last as "Other countries".
    let is_rest = |s: &TerritorySet| cols_rest(s, largest);
    cols.sort_by(|(a, _), (b, _)| {
        (is_rest(a), a.codes().first().copied()).cmp(&(is_rest(b), b.codes().first().copied()))
    });
    let columns: Vec<CoverageColumn> = cols
        .iter()
        .map(|(set, _)| CoverageColumn {
            label: column_label(*set, is_rest(set)),
            words: crate::text::countries_in_words(*set),
            countries: set.len(),
        })
        .collect();
    let rows = tops
        .iter()
        .enumerate()
        .map(|(ri, top)| CoverageRow {
            field: field_label(&model.fields, *top),
            path: model.fields.path(*top).to_string(),
            cells: cols
                .iter()
                .filter_map(|(_, cells)| cells.get(ri).cloned())
                .collect(),
        })
        .collect();
    AssetCoverage {
        asset: model.asset_name(asset).to_string(),
        term: decl.map(asset_term).unwrap_or_default(),
        anchor,
        columns,
        rows,
        grants_counted: active.len(),
    }
}

/// Whether a column is the big remainder, named "Other countries".
pub(super) fn cols_rest(set: &TerritorySet, largest: usize) -> bool {
    set.len() == largest && set.len() > 6 && *set != TerritorySet::worldwide()
}

/// The strongest license of a cell: the grants reaching its countries, over the
/// subtree of one top-level field.
pub(super) fn cell(ctx: &Ctx<'_>, grants: &[&GrantInfo<'_>], top: FieldId) -> CoverageCell {
    let end = ctx.model.fields.get(top).map_or(top.0 + 1, |n| n.end);
    let subtree = FieldSet::from_ranges(vec![(top.0, end)]);
    let touching: Vec<&GrantInfo<'_>> = grants
        .iter()
        .copied()
        .filter(|g| !g.grant.fields.intersection(&subtree).is_empty() && !g.grant.rights.is_empty())
        .collect();
    let Some(level) = touching
        .iter()
        .map(|g| Level::of(g.grant.exclusivity))
        .max()
    else {
        return CoverageCell {
            level: Level::NotLicensed,
            partial: false,
            holders: Vec::new(),
        };
    };
    let strongest: Vec<&GrantInfo<'_>> = touching
        .into_iter()
        .filter(|g| Level::of(g.grant.exclusivity) == level)
        .collect();
    let partial = subtree.ids().any(|node| {
        let rights = strongest
            .iter()
            .filter(|g| g.grant.fields.contains(node))
            .fold(0u16, |acc, g| acc | g.grant.rights.0);
        RightSet(rights) != RightSet::all()
    });
    let holders: BTreeSet<String> = strongest
        .iter()
        .flat_map(|g| g.grant.licensees.iter())
        .map(|p| short_name(ctx.model, *p))
        .collect();
    CoverageCell {
        level,
        partial,
        holders: holders.into_iter().collect(),
    }
}

/// A short column header for a set of countries.
pub(super) fn column_label(set: TerritorySet, rest: bool) -> String {
    let codes = set.codes();
    if set == TerritorySet::worldwide() {
        return "Worldwide".to_string();
    }
    if set == TerritorySet::eu() {
        return "EU".to_string();
    }
    if set == TerritorySet::eea() {
        return "EEA".to_string();
    }
    if codes.len() <= 4 {
        return codes.join(", ");
    }
    for (bloc, name) in [(TerritorySet::eu(), "EU"), (TerritorySet::eea(), "EEA")] {
        let missing = bloc.difference(set);
        if set.is_subset(&bloc) && missing.len() <= 3 {
            return format!("{name} except {}", missing.codes().join(", "));
        }
    }
    if rest {
        "Other countries".to_string()
    } else {
        format!("{} countries", codes.len())
    }
}
