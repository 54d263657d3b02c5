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
    // A group's key is the bit mask of the pieces covering its countries, built in one
    // buffer and allocated only for a new group (the order of the groups does not
    // matter: the runs are keyed and sorted below).
    let words = pieces.len().div_ceil(64);
    let mut mask = vec![0u64; words];
    let mut groups: BTreeMap<Vec<u64>, TerritorySet> = BTreeMap::new();
    for c in countries.iter() {
        mask.fill(0);
        for (i, p) in pieces.iter().enumerate() {
            if p.territories.0.contains(c) {
                if let Some(w) = mask.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            }
        }
        match groups.get_mut(mask.as_slice()) {
            Some(set) => {
                set.insert(c);
            }
            None => {
                let mut set = TerritorySet::empty();
                set.insert(c);
                groups.insert(mask.clone(), set);
            }
        }
    }
    // (start, end, subjects) → the countries with that run.
    let mut runs: BTreeMap<RunKey, TerritorySet> = BTreeMap::new();
    for (covering, members) in &groups {
        let here: Vec<&EffectiveOut> = pieces
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                covering
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0)
            })
            .map(|(_, p)| p)
            .collect();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use std::collections::BTreeSet;

    /// Against an oracle that asks every country and day: grants of 60 to 80 pieces
    /// (more than one word of the grouping's bit mask), overlapping in countries and
    /// days, some without an end. Each country and day an effective piece covers is
    /// covered by exactly one normalized piece, naming exactly the patents that cover
    /// it; any other is covered by none.
    #[test]
    fn many_overlapping_pieces_are_partitioned() {
        let pool = ["DE", "FR", "GB", "US", "JP"];
        let mut rng = xlic_testkit::Rng::new(0x6e6f_726d);
        let base = Date::from_ymd(2026, 1, 1).unwrap();
        let day = |n: usize| base.add_days(i64::try_from(n).unwrap()).unwrap();
        let mut checked = 0;
        for _ in 0..12 {
            let pieces: Vec<EffectiveOut> = (0..rng.range(60, 80))
                .map(|i| {
                    let mut set = TerritorySet::empty();
                    for c in pool {
                        if rng.chance(40) {
                            set.insert_code(c);
                        }
                    }
                    let start = rng.range(0, 40);
                    let end = (!rng.chance(15)).then(|| day(start + rng.range(1, 30)));
                    EffectiveOut {
                        asset: "fam".to_string(),
                        patent: Some(format!("P{}", i % 50)),
                        territories: Countries(set),
                        start: day(start),
                        end,
                        licensees: Vec::new(),
                    }
                })
                .collect();
            let out = normalize(&pieces);
            for c in pool {
                let i = crate::iso::country_index(c).unwrap();
                for n in 0..90 {
                    let d = day(n);
                    let live = |t: &TerritorySet, s: Date, e: Option<Date>| {
                        t.contains(i) && s <= d && e.is_none_or(|e| d < e)
                    };
                    let expected: BTreeSet<String> = pieces
                        .iter()
                        .filter(|p| live(&p.territories.0, p.start, p.end))
                        .filter_map(|p| p.patent.clone())
                        .collect();
                    let covering: Vec<&NormalizedOut> = out
                        .iter()
                        .filter(|o| live(&o.territories.0, o.start, o.end))
                        .collect();
                    if expected.is_empty() {
                        assert!(covering.is_empty(), "{c} on {d}: {covering:?}");
                        continue;
                    }
                    let [only] = covering.as_slice() else {
                        panic!("{c} on {d}: {} pieces", covering.len());
                    };
                    let named: BTreeSet<String> = only
                        .patents
                        .iter()
                        .filter_map(|p| p.patent.clone())
                        .collect();
                    assert_eq!(named, expected, "{c} on {d}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "only {checked} covered days checked");
    }
}
