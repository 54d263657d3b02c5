//! outputs: a grant's normalized effective scope (version 5). The ledger's pieces are
//! per patent and may overlap (two patents of a family in force in one country); the
//! normalized scope cuts the same countries and days into pieces that do not overlap,
//! each naming every patent (or asset taken whole) that licenses it. For each country,
//! the days are split at every start and end of a piece that covers it, runs of days
//! under the same patents are merged, and countries with the same run are grouped.

use super::{Countries, EffectiveOut, NormalizedOut, PatentRefOut};
use crate::date::Date;
use crate::territory::TerritorySet;
use std::collections::BTreeMap;

/// A run of days under the same subjects: its start, its end (as [`end_key`]) and the
/// subjects' positions.
type RunKey = (Date, (bool, Option<Date>), Vec<usize>);

/// An end date in the order where "no end" comes last.
fn end_key(e: Option<Date>) -> (bool, Option<Date>) {
    (e.is_none(), e)
}

/// The normalized pieces of a grant's effective scope.
pub fn normalize(pieces: &[EffectiveOut]) -> Vec<NormalizedOut> {
    // Every (asset, patent) a piece names, in the order first named.
    let mut subjects: Vec<(&str, Option<&str>)> = Vec::new();
    for p in pieces {
        let s = (p.asset.as_str(), p.patent.as_deref());
        if !subjects.contains(&s) {
            subjects.push(s);
        }
    }
    let subject = |p: &EffectiveOut| {
        subjects
            .iter()
            .position(|s| *s == (p.asset.as_str(), p.patent.as_deref()))
            .unwrap_or(0)
    };
    let mut countries = TerritorySet::empty();
    for p in pieces {
        countries = countries.union(p.territories.0);
    }
    // Countries covered by the same pieces have the same runs: group them first, so the
    // runs are cut once per group rather than once per country (a worldwide grant has
    // 249 countries and most often one group; issue 19).
    let mut groups: BTreeMap<Vec<usize>, TerritorySet> = BTreeMap::new();
    for c in countries.iter() {
        let covering: Vec<usize> = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| p.territories.0.contains(c))
            .map(|(i, _)| i)
            .collect();
        groups
            .entry(covering)
            .or_insert(TerritorySet::empty())
            .insert(c);
    }
    // (start, end, subjects) → the countries with that run.
    let mut runs: BTreeMap<RunKey, TerritorySet> = BTreeMap::new();
    for (covering, members) in &groups {
        let here: Vec<&EffectiveOut> = covering.iter().filter_map(|&i| pieces.get(i)).collect();
        let mut bounds: Vec<(bool, Option<Date>)> = here
            .iter()
            .flat_map(|p| [end_key(Some(p.start)), end_key(p.end)])
            .collect();
        bounds.sort();
        bounds.dedup();
        let mut open: Option<(Date, Option<Date>, Vec<usize>)> = None;
        let mut flush = |run: (Date, Option<Date>, Vec<usize>)| {
            let (s, e, subj) = run;
            let set = runs
                .entry((s, end_key(e), subj))
                .or_insert(TerritorySet::empty());
            *set = set.union(*members);
        };
        for w in bounds.windows(2) {
            let (Some(a), Some(b)) = (w.first(), w.get(1)) else {
                continue;
            };
            let Some(start) = a.1 else { continue };
            let end = b.1;
            let mut subj: Vec<usize> = here
                .iter()
                .filter(|p| p.start <= start && end_key(end) <= end_key(p.end))
                .map(|p| subject(p))
                .collect();
            subj.sort_unstable();
            subj.dedup();
            match open.take() {
                Some((s, e, prev)) if e == Some(start) && prev == subj => {
                    open = Some((s, end, prev));
                }
                Some(run) => {
                    flush(run);
                    open = (!subj.is_empty()).then_some((start, end, subj));
                }
                None => open = (!subj.is_empty()).then_some((start, end, subj)),
            }
        }
        if let Some(run) = open {
            flush(run);
        }
    }
    let mut out: Vec<NormalizedOut> = runs
        .into_iter()
        .map(|((start, (_, end), subj), set)| NormalizedOut {
            territories: Countries(set),
            start,
            end,
            patents: subj
                .iter()
                .filter_map(|i| subjects.get(*i))
                .map(|(a, p)| PatentRefOut {
                    asset: (*a).to_string(),
                    patent: p.map(str::to_string),
                })
                .collect(),
        })
        .collect();
    // Each piece's country codes listed once, not once per comparison.
    out.sort_by_cached_key(|x| (x.start, end_key(x.end), x.territories.codes()));
    out
}
