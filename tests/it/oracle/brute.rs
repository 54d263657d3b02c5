//! The oracle: which clause pairs conflict, decided point by point over the domain.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

/// A clause's nominal scope over the domain, as membership tables.
pub(super) struct Scope {
    pub(super) assets: Vec<usize>,
    pub(super) rights: [bool; 10],
    pub(super) fields: Vec<bool>,
    pub(super) places: [bool; N_PLACES],
    pub(super) start: Day,
    pub(super) end: Day,
    /// A mask over [`PURPOSES`].
    pub(super) purposes: u8,
}

pub(super) fn term_days(term: Option<(i32, i32)>) -> (Day, Day) {
    match term {
        Some((y1, y2)) => (Day::jan1(y1), Day::jan1(y2)),
        None => (Day::jan1(AGREEMENT_START), Day::jan1(AGREEMENT_END)),
    }
}

pub(super) fn terr_places(t: TerrSpec) -> [bool; N_PLACES] {
    let mut out = [false; N_PLACES];
    match t {
        TerrSpec::List(m) => {
            for (i, slot) in out.iter_mut().enumerate().take(5) {
                *slot = m & (1 << i) != 0;
            }
        }
        TerrSpec::WorldwideExcept(m) => {
            for (i, slot) in out.iter_mut().enumerate().take(5) {
                *slot = m & (1 << i) == 0;
            }
            out[OTHER] = true;
        }
    }
    out
}

pub(super) fn field_cover(tree: &Tree, f: &FieldSpec) -> Vec<bool> {
    (0..tree.len())
        .map(|n| {
            f.include.iter().any(|&i| tree.under(n, i))
                && !f.except.is_some_and(|e| tree.under(n, e))
        })
        .collect()
}

/// The rights a clause lists, else `default`.
pub(super) fn rights_cover(r: &Option<Vec<usize>>, default: [bool; 10]) -> [bool; 10] {
    let mut out = [false; 10];
    match r {
        Some(list) => list.iter().for_each(|&i| out[i] = true),
        None => out = default,
    }
    out
}

/// What a grant of patents conveys when it lists no rights (the generated grants
/// license patent families and capture periods only): make, have made, use, sell,
/// offer, import — not lease, reproduce, modify or distribute.
pub(super) const PATENT_DEFAULT: [bool; 10] = [
    true, true, true, true, true, true, false, false, false, false,
];

pub(super) fn grant_scope(tree: &Tree, g: &Grant) -> Scope {
    let (start, end) = term_days(g.term);
    Scope {
        assets: g.assets.clone(),
        rights: rights_cover(&g.rights, PATENT_DEFAULT),
        fields: field_cover(tree, &g.field),
        places: terr_places(g.terr),
        start,
        end,
        purposes: g.purposes.unwrap_or(ALL_PURPOSES),
    }
}

pub(super) fn reservation_scope(tree: &Tree, r: &Reservation) -> Scope {
    let (start, end) = term_days(r.term);
    Scope {
        assets: r.assets.clone(),
        // A reservation keeps every right unless it lists some.
        rights: rights_cover(&r.rights, [true; 10]),
        fields: match &r.field {
            Some(f) => field_cover(tree, f),
            None => vec![true; tree.len()],
        },
        places: match r.terr {
            Some(t) => terr_places(t),
            None => [true; N_PLACES],
        },
        start,
        end,
        purposes: r.purposes.unwrap_or(ALL_PURPOSES),
    }
}

/// One representative day per interval between consecutive boundaries (every Jan-01 of
/// the agreement's years and every patent expiry): membership in every term and every
/// patent's life is constant on each interval.
pub(super) fn representative_days(assets: &[Asset]) -> Vec<Day> {
    let mut b: BTreeSet<Day> = (AGREEMENT_START..=AGREEMENT_END).map(Day::jan1).collect();
    for p in all_patents(assets) {
        b.insert(p.expires);
    }
    b.into_iter()
        .filter(|d| *d < Day::jan1(AGREEMENT_END))
        .collect()
}

/// Whether two scopes share a point at which a subject both cover is in force: brute
/// force over subject × right × field × place × day.
pub(super) fn share_point(
    assets: &[Asset],
    days: &[Day],
    n_fields: usize,
    x: &Scope,
    y: &Scope,
) -> bool {
    // Purpose is one more dimension, independent of the others.
    if x.purposes & y.purposes == 0 {
        return false;
    }
    let theirs = clause_subjects(assets, &y.assets);
    for a in clause_subjects(assets, &x.assets) {
        if !theirs.contains(&a) {
            continue;
        }
        for r in 0..10 {
            for f in 0..n_fields {
                for t in 0..N_PLACES {
                    for &d in days {
                        if x.rights[r]
                            && y.rights[r]
                            && x.fields[f]
                            && y.fields[f]
                            && x.places[t]
                            && y.places[t]
                            && x.start <= d
                            && d < x.end
                            && y.start <= d
                            && d < y.end
                            && subject_exists(assets, a, t, d)
                        {
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}

/// What the oracle expects: unordered grant pairs, and (grant, reservation) pairs.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Findings {
    pub(super) pairs: BTreeSet<(usize, usize)>,
    pub(super) reserved: BTreeSet<(usize, usize)>,
}

pub(super) fn oracle(case: &Case) -> Findings {
    let days = representative_days(&case.assets);
    let n = case.tree.len();
    let gs: Vec<Scope> = case
        .grants
        .iter()
        .map(|g| grant_scope(&case.tree, g))
        .collect();
    let rs: Vec<Scope> = case
        .reservations
        .iter()
        .map(|r| reservation_scope(&case.tree, r))
        .collect();
    let mut out = Findings::default();
    for (i, g) in case.grants.iter().enumerate() {
        if g.excl == Excl::NonExclusive {
            continue;
        }
        for (j, h) in case.grants.iter().enumerate() {
            // All licensors are `a`, no affiliates, no sublicensing: any other
            // licensee breaks an exclusive or sole promise.
            if i == j || h.licensee == g.licensee {
                continue;
            }
            if share_point(&case.assets, &days, n, &gs[i], &gs[j]) {
                out.pairs.insert((i.min(j), i.max(j)));
            }
        }
        // The licensor's own retained rights: only an exclusive grant excludes the
        // licensor, and `subject to` carves the named reservation out of it.
        if g.excl == Excl::Exclusive {
            for (k, _) in case.reservations.iter().enumerate() {
                if g.subject_to.contains(&k) {
                    continue;
                }
                if share_point(&case.assets, &days, n, &gs[i], &rs[k]) {
                    out.reserved.insert((i, k));
                }
            }
        }
    }
    out
}
