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

/// A reservation piece in force on the date: its fields and who keeps the rights.
struct Kept<'c> {
    piece: &'c Piece,
    fields: FieldSet,
    holder: String,
}

/// How deep the matrix drills below a top-level field.
const MAX_DEPTH: usize = 3;

/// The coverage matrix of one asset on `as_of`. A top-level field is a row when some
/// grant or reservation of the asset (at any time) reaches its subtree; the others are
/// listed as left out. Below a row whose cell is partial, shared between exclusive
/// licensees in some column, each sub-field some clause reaches is a row
/// of its own, down to [`MAX_DEPTH`] levels.
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
    // The license and reservation pieces on the asset's subjects in force on the date
    // (through any asset that holds the subject), in ledger order; and the fields any
    // clause on the asset reaches at any time.
    let mut live: Vec<Live<'_, '_>> = Vec::new();
    let mut kept: Vec<Kept<'_>> = Vec::new();
    let mut reached: Vec<FieldSet> = Vec::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for s in subjects {
        for (i, p) in ledger.pieces_on(*s) {
            if !seen.insert(i) {
                continue;
            }
            let in_force = p.time.start <= as_of && p.time.end.is_none_or(|e| as_of < e);
            match p.clause {
                Clause::Grant(g) => {
                    let Some(grant) = ctx.grant(g) else { continue };
                    reached.push(grant.grant.fields.clone());
                    if p.kind == PieceKind::Term && in_force {
                        live.push(Live { piece: p, grant });
                    }
                }
                Clause::Reservation(r) => {
                    let Some((fields, holder)) = reservation(ctx, r, asset) else {
                        continue;
                    };
                    reached.push(fields.clone());
                    if in_force {
                        kept.push(Kept {
                            piece: p,
                            fields,
                            holder,
                        });
                    }
                }
                // clauses (issue 15): never in the ledger's pieces.
                Clause::FirstRight(_) => {}
            }
        }
    }
    let subtree = |f: FieldId| {
        let end = model.fields.get(f).map_or(f.0 + 1, |n| n.end);
        FieldSet::from_ranges(vec![(f.0, end)])
    };
    let touched = |f: FieldId| {
        let sub = subtree(f);
        reached.iter().any(|r| !r.intersection(&sub).is_empty())
    };
    let id = |i: usize| FieldId(u32::try_from(i).unwrap_or(u32::MAX));
    let (tops, left_out): (Vec<FieldId>, Vec<FieldId>) = model
        .fields
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none())
        .map(|(i, _)| id(i))
        .partition(|f| touched(*f));
    // Countries with the same subjects in force and the same pieces reaching them share
    // their cells: group them first.
    type Key = (Vec<SubjectId>, Vec<usize>, Vec<usize>);
    let mut groups: BTreeMap<Key, TerritorySet> = BTreeMap::new();
    for c in TerritorySet::worldwide().iter() {
        let present: Vec<SubjectId> = subjects
            .iter()
            .copied()
            .filter(|s| ledger.subject(*s).is_some_and(|x| x.in_force(c, as_of)))
            .collect();
        let reaches = |p: &Piece| p.territory.contains(c) && present.contains(&p.subject);
        let reach: Vec<usize> = (0..live.len())
            .filter(|i| live.get(*i).is_some_and(|l| reaches(l.piece)))
            .collect();
        let keep: Vec<usize> = (0..kept.len())
            .filter(|i| kept.get(*i).is_some_and(|k| reaches(k.piece)))
            .collect();
        groups
            .entry((present, reach, keep))
            .or_insert_with(TerritorySet::empty)
            .insert(c);
    }
    let cell_of = |key: &Key, f: FieldId| -> CoverageCell {
        let (present, reach, keep) = key;
        if present.is_empty() {
            return CoverageCell::plain(Level::NoPatent);
        }
        let pieces: Vec<&Live<'_, '_>> = reach.iter().filter_map(|i| live.get(*i)).collect();
        let keeps: Vec<&Kept<'_>> = keep.iter().filter_map(|i| kept.get(*i)).collect();
        cell(ctx, present, &pieces, &keeps, &subtree(f), full)
    };
    // The rows: each top-level field some clause reaches, and below it the sub-fields
    // worth a look.
    let mut order: Vec<(FieldId, usize)> = Vec::new();
    let mut stack: Vec<(FieldId, usize)> = tops.iter().rev().map(|f| (*f, 0)).collect();
    while let Some((f, depth)) = stack.pop() {
        order.push((f, depth));
        let open = depth < MAX_DEPTH
            && groups.keys().any(|k| {
                let c = cell_of(k, f);
                c.partial || c.split
            });
        if open {
            let end = model.fields.get(f).map_or(f.0 + 1, |n| n.end);
            let children: Vec<FieldId> = (f.0 + 1..end)
                .map(FieldId)
                .filter(|c| model.fields.get(*c).is_some_and(|n| n.parent == Some(f)))
                .filter(|c| touched(*c))
                .collect();
            stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
        }
    }
    // Then merge the groups whose cells are equal in every row.
    let mut columns: BTreeMap<Vec<CoverageCell>, TerritorySet> = BTreeMap::new();
    for (key, set) in &groups {
        let cells: Vec<CoverageCell> = order.iter().map(|(f, _)| cell_of(key, *f)).collect();
        let entry = columns.entry(cells).or_insert_with(TerritorySet::empty);
        *entry = entry.union(*set);
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
    let rows = order
        .iter()
        .enumerate()
        .map(|(ri, (f, depth))| CoverageRow {
            field: field_label(&model.fields, *f),
            path: model.fields.path(*f).to_string(),
            depth: *depth,
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
        left_out: left_out
            .iter()
            .filter(|f| model.fields.get(**f).is_some_and(|n| !n.implicit))
            .map(|f| field_label(&model.fields, *f))
            .collect(),
        grants_counted: live
            .iter()
            .map(|l| l.grant.index)
            .collect::<BTreeSet<usize>>()
            .len(),
    }
}

/// A reservation's fields (every field when it names none) and who keeps the rights:
/// its holder, or else the owners of the asset.
fn reservation(ctx: &Ctx<'_>, r: usize, asset: AssetId) -> Option<(FieldSet, String)> {
    let entry = ctx.ledger.reservations.get(r)?;
    let model = ctx.model;
    let decl = model
        .agreements
        .get(entry.agreement)?
        .reservations
        .get(entry.index)?;
    let fields = if decl.all_fields {
        ctx.every_field.clone()
    } else {
        decl.fields.clone()
    };
    let holder = match decl.holder {
        Some(p) => short_name(model, p),
        None => model
            .asset(asset)
            .map(|a| {
                a.owners
                    .iter()
                    .map(|p| short_name(model, *p))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    };
    Some((fields, holder))
}

/// Whether a column is the big remainder, named "Other countries".
pub(super) fn cols_rest(set: &TerritorySet, largest: usize) -> bool {
    set.len() == largest && set.len() > 6 && *set != TerritorySet::worldwide()
}

/// The strongest license of a cell: the pieces in force in its countries on the
/// asset's subjects in force there (`present`), over one field's subtree. The cell is
/// partial when, under the strongest licenses, some subject in force, node of the
/// subtree or right is not covered. Exclusive (or sole) licenses of different licensees
/// are in conflict when they share a subject, a field of the subtree and a right; when
/// they only share the row's field, each in its own sub-field, the cell is split.
fn cell(
    ctx: &Ctx<'_>,
    present: &[SubjectId],
    pieces: &[&Live<'_, '_>],
    keeps: &[&Kept<'_>],
    subtree: &FieldSet,
    full: RightSet,
) -> CoverageCell {
    let reserved: BTreeSet<String> = keeps
        .iter()
        .filter(|k| !k.fields.intersection(subtree).is_empty() && !k.piece.rights.is_empty())
        .map(|k| k.holder.clone())
        .collect();
    let reserved: Vec<String> = reserved.into_iter().collect();
    let touching: Vec<&Live<'_, '_>> = pieces
        .iter()
        .copied()
        .filter(|l| {
            !l.grant.grant.fields.intersection(subtree).is_empty() && !l.piece.rights.is_empty()
        })
        .collect();
    let Some(level) = touching
        .iter()
        .map(|l| Level::of(l.grant.grant.exclusivity))
        .max()
    else {
        return CoverageCell {
            reserved,
            ..CoverageCell::plain(Level::NotLicensed)
        };
    };
    let strongest: Vec<&Live<'_, '_>> = touching
        .iter()
        .copied()
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
    let mut holders: BTreeSet<String> = strongest
        .iter()
        .flat_map(|l| l.grant.grant.licensees.iter())
        .map(|p| short_name(ctx.model, *p))
        .collect();
    // An exclusive (or sole) license is in conflict with any license of another
    // licensee that shares a subject, a field of the subtree and a right with it.
    let mut conflicting: BTreeSet<String> = BTreeSet::new();
    if level >= Level::Sole {
        for a in &strongest {
            for b in &touching {
                let overlap = a.grant.grant.licensees != b.grant.grant.licensees
                    && a.piece.subject == b.piece.subject
                    && a.piece.rights.0 & b.piece.rights.0 != 0
                    && !a
                        .grant
                        .grant
                        .fields
                        .intersection(&b.grant.grant.fields)
                        .intersection(subtree)
                        .is_empty();
                if overlap {
                    conflicting.insert(a.grant.grant.id.clone());
                    conflicting.insert(b.grant.grant.id.clone());
                    holders.extend(
                        b.grant
                            .grant
                            .licensees
                            .iter()
                            .map(|p| short_name(ctx.model, *p)),
                    );
                }
            }
        }
    }
    let conflict = !conflicting.is_empty();
    let exclusive_holders = strongest
        .iter()
        .flat_map(|l| l.grant.grant.licensees.iter())
        .collect::<BTreeSet<_>>()
        .len();
    CoverageCell {
        level,
        partial,
        split: level >= Level::Sole && exclusive_holders > 1 && !conflict,
        conflict,
        holders: holders.into_iter().collect(),
        conflict_grants: conflicting.into_iter().collect(),
        reserved,
        findings: Vec::new(),
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
