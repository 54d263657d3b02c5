//! The coverage part: per asset, top-level fields × groups of countries treated
//! alike, the strongest license of each cell on the as-of date — read from the rights
//! ledger: the asset exists in a country where one of its patents (or the asset taken
//! whole) is in force, and a license reaches a cell through a piece on one of those
//! subjects in force there on the date.

use super::*;
use crate::date::Date;
use crate::ledger::view::{Ctx, GrantInfo};
use crate::ledger::{Clause, Piece, PieceKind, SubjectId};
use crate::model::{AssetId, FieldId, FieldSet, RightSet};
use crate::territory::TerritorySet;
use crate::text::{asset_term, field_label, short_name};
use std::collections::{BTreeMap, BTreeSet};

/// A license piece in force on the date, with its grant.
struct Live<'c, 'm> {
    piece: &'c Piece,
    grant: &'c GrantInfo<'m>,
}

/// The coverage matrix of one asset on `as_of`.
pub(super) fn asset_coverage(
    ctx: &Ctx<'_>,
    asset: AssetId,
    as_of: Date,
    anchor: String,
) -> AssetCoverage {
    let model = ctx.model;
    let ledger = ctx.ledger;
    let decl = model.asset(asset);
    // Every right the asset confers: a license of all of them covers a cell whole.
    let full = decl.map_or(RightSet::all(), |d| RightSet::conferred_by(d.kind));
    let subjects = ledger.subjects_of(asset);
    // The license pieces on the asset's subjects in force on the date (through any
    // asset that holds the subject), in ledger order.
    let mut live: Vec<Live<'_, '_>> = Vec::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for s in subjects {
        for (i, p) in ledger.pieces_on(*s) {
            let in_force = p.time.start <= as_of && p.time.end.is_none_or(|e| as_of < e);
            let Clause::Grant(g) = p.clause else { continue };
            if p.kind != PieceKind::Term || !in_force || !seen.insert(i) {
                continue;
            }
            if let Some(grant) = ctx.grant(g) {
                live.push(Live { piece: p, grant });
            }
        }
    }
    let tops: Vec<FieldId> = model
        .fields
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none())
        .map(|(i, _)| FieldId(u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    // Countries with the same subjects in force and the same pieces reaching them share
    // their cells: group them first.
    type Key = (Vec<SubjectId>, Vec<usize>);
    let mut groups: BTreeMap<Key, TerritorySet> = BTreeMap::new();
    for c in TerritorySet::worldwide().iter() {
        let present: Vec<SubjectId> = subjects
            .iter()
            .copied()
            .filter(|s| ledger.subject(*s).is_some_and(|x| x.in_force(c, as_of)))
            .collect();
        let reach: Vec<usize> = live
            .iter()
            .enumerate()
            .filter(|(_, l)| l.piece.territory.contains(c) && present.contains(&l.piece.subject))
            .map(|(i, _)| i)
            .collect();
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
                if present.is_empty() {
                    return CoverageCell {
                        level: Level::NoPatent,
                        partial: false,
                        holders: Vec::new(),
                    };
                }
                let pieces: Vec<&Live<'_, '_>> =
                    reach.iter().filter_map(|i| live.get(*i)).collect();
                cell(ctx, &present, &pieces, *top, full)
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
        grants_counted: live
            .iter()
            .map(|l| l.grant.index)
            .collect::<BTreeSet<usize>>()
            .len(),
    }
}

/// Whether a column is the big remainder, named "Other countries".
pub(super) fn cols_rest(set: &TerritorySet, largest: usize) -> bool {
    set.len() == largest && set.len() > 6 && *set != TerritorySet::worldwide()
}

/// The strongest license of a cell: the pieces in force in its countries on the
/// asset's subjects in force there (`present`), over the subtree of one top-level field.
/// The cell is partial when, under the strongest licenses, some subject in force, node
/// of the subtree or right is not covered.
fn cell(
    ctx: &Ctx<'_>,
    present: &[SubjectId],
    pieces: &[&Live<'_, '_>],
    top: FieldId,
    full: RightSet,
) -> CoverageCell {
    let end = ctx.model.fields.get(top).map_or(top.0 + 1, |n| n.end);
    let subtree = FieldSet::from_ranges(vec![(top.0, end)]);
    let touching: Vec<&Live<'_, '_>> = pieces
        .iter()
        .copied()
        .filter(|l| {
            !l.grant.grant.fields.intersection(&subtree).is_empty() && !l.piece.rights.is_empty()
        })
        .collect();
    let Some(level) = touching
        .iter()
        .map(|l| Level::of(l.grant.grant.exclusivity))
        .max()
    else {
        return CoverageCell {
            level: Level::NotLicensed,
            partial: false,
            holders: Vec::new(),
        };
    };
    let strongest: Vec<&Live<'_, '_>> = touching
        .into_iter()
        .filter(|l| Level::of(l.grant.grant.exclusivity) == level)
        .collect();
    let partial = present.iter().any(|s| {
        subtree.ids().any(|node| {
            let rights = strongest
                .iter()
                .filter(|l| l.piece.subject == *s && l.grant.grant.fields.contains(node))
                .fold(0u16, |acc, l| acc | l.piece.rights.0);
            !RightSet(rights).covers(full)
        })
    });
    let holders: BTreeSet<String> = strongest
        .iter()
        .flat_map(|l| l.grant.grant.licensees.iter())
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
