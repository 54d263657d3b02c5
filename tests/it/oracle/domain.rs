//! The small domain the cases live in: five countries and the rest, rights, a field
//! tree, terms in days; and the spec of a generated case.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

/// The five countries patents and lists use. Index 5 stands for every other country,
/// which every generated territory treats alike (in or out as a block).
pub(super) const COUNTRIES: [&str; 5] = ["DE", "FR", "US", "CN", "JP"];
pub(super) const OTHER: usize = 5;
pub(super) const N_PLACES: usize = 6;

/// Every right, in the language's order; an omitted `rights` line means all of them
/// in a reservation, the patent rights in a grant of patents (`brute::PATENT_DEFAULT`).
pub(super) const RIGHTS: [&str; 10] = [
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
/// The rights grants choose from (make, use, sell) and reservations (plus offer, import).
/// The purposes, in the compiler's order (issue 15): a clause's purposes are a mask
/// over these, every purpose when it has no `purpose` line.
pub(super) const PURPOSES: [&str; 4] = ["commercial", "research", "educational", "internal"];
pub(super) const ALL_PURPOSES: u8 = 0b1111;
/// `non-commercial`: research and educational.
pub(super) const NON_COMMERCIAL: u8 = 0b0110;

pub(super) const GRANT_RIGHTS: [usize; 3] = [0, 2, 3];
pub(super) const RESERVE_RIGHTS: [usize; 5] = [0, 2, 3, 4, 5];

pub(super) const PARTIES: [&str; 4] = ["a", "b", "c", "d"];

pub(super) const FIELD_NAMES: [&str; 12] = [
    "robotics",
    "consumer",
    "industrial",
    "vacuum",
    "lawn",
    "automotive",
    "adas",
    "infotainment",
    "medical",
    "imaging",
    "energy",
    "mobile",
];

/// A calendar date; only Jan-01s and patent expiries occur, so tuple order is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Day(pub(super) i32, pub(super) u32, pub(super) u32);

impl Day {
    pub(super) fn jan1(y: i32) -> Day {
        Day(y, 1, 1)
    }

    pub(super) fn parse(s: &str) -> Option<Day> {
        let mut it = s.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        if it.next().is_some() || s.len() != 10 {
            return None;
        }
        Some(Day(y, m, d))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

pub(super) const AGREEMENT_START: i32 = 2026;
/// `effective 2026-01-01 term 7 years`: the agreement runs until 2033-01-01.
pub(super) const AGREEMENT_END: i32 = 2033;

/// A fields tree in pre-order, with parent links (the oracle uses only the links).
pub(super) struct Tree {
    pub(super) names: Vec<&'static str>,
    pub(super) parent: Vec<Option<usize>>,
}

impl Tree {
    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    pub(super) fn depth(&self, mut n: usize) -> usize {
        let mut d = 1;
        while let Some(p) = self.parent[n] {
            d += 1;
            n = p;
        }
        d
    }

    pub(super) fn path(&self, n: usize) -> String {
        match self.parent[n] {
            Some(p) => format!("{}.{}", self.path(p), self.names[n]),
            None => self.names[n].to_string(),
        }
    }

    /// Whether `n` is `anc` or lies below it.
    pub(super) fn under(&self, mut n: usize, anc: usize) -> bool {
        loop {
            if n == anc {
                return true;
            }
            match self.parent[n] {
                Some(p) => n = p,
                None => return false,
            }
        }
    }

    pub(super) fn node_of_path(&self, path: &str) -> Option<usize> {
        (0..self.len()).find(|&n| self.path(n) == path)
    }

    pub(super) fn render(&self, out: &mut String, parent: Option<usize>) {
        let kids: Vec<usize> = (0..self.len())
            .filter(|&n| self.parent[n] == parent)
            .collect();
        for (k, n) in kids.into_iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(self.names[n]);
            if (0..self.len()).any(|c| self.parent[c] == Some(n)) {
                out.push_str(" { ");
                self.render(out, Some(n));
                out.push_str(" }");
            }
        }
    }

    /// A random forest of 5–8 nodes, at most 3 deep, built in pre-order.
    pub(super) fn random(rng: &mut Rng) -> Tree {
        let target = rng.range(5, 8);
        let mut names: Vec<&'static str> = FIELD_NAMES.to_vec();
        rng.shuffle(&mut names);
        names.truncate(target);
        // Grow a tree by attaching each new node to a random earlier one (or as a root),
        // then renumber in pre-order.
        let mut par: Vec<Option<usize>> = vec![None];
        let depth_of = |par: &Vec<Option<usize>>, mut n: usize| {
            let mut d = 1;
            while let Some(p) = par[n] {
                d += 1;
                n = p;
            }
            d
        };
        for _ in 1..target {
            let candidates: Vec<usize> =
                (0..par.len()).filter(|&n| depth_of(&par, n) < 3).collect();
            if rng.chance(25) || candidates.is_empty() {
                par.push(None);
            } else {
                par.push(Some(*rng.pick(&candidates)));
            }
        }
        let mut order = Vec::new();
        fn visit(par: &[Option<usize>], n: Option<usize>, order: &mut Vec<usize>) {
            for c in 0..par.len() {
                if par[c] == n {
                    order.push(c);
                    visit(par, Some(c), order);
                }
            }
        }
        visit(&par, None, &mut order);
        let mut new_index = vec![0; target];
        for (i, &old) in order.iter().enumerate() {
            new_index[old] = i;
        }
        let mut parent = vec![None; target];
        for (old, p) in par.iter().enumerate() {
            parent[new_index[old]] = p.map(|q| new_index[q]);
        }
        let mut nm = vec![""; target];
        for (old, &n) in names.iter().enumerate() {
            nm[new_index[old]] = n;
        }
        Tree { names: nm, parent }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Patent {
    /// `EP {number}`: one patent however many assets declare it.
    pub(super) number: u32,
    /// Bit mask over [`COUNTRIES`].
    pub(super) countries: u32,
    pub(super) filed: Day,
    pub(super) expires: Day,
}

#[derive(Debug, Clone)]
pub(super) struct Asset {
    pub(super) name: String,
    /// Empty: the asset exists everywhere, always.
    pub(super) patents: Vec<Patent>,
    /// `patents of a filed Y1-01-01 until Y2-01-01`: every patent of `a` filed in the
    /// period belongs to it, listed or not.
    pub(super) capture: Option<(i32, i32)>,
}

/// What a clause licenses, one by one (LANGUAGE.md §3 and the ledger's identity rule):
/// a patent, by number, or an asset that lists no patent, taken whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Subj {
    Patent(u32),
    Whole(usize),
}

/// The subjects of an asset: its listed patents; for a capture period also every
/// declared patent of `a` filed within it; and the asset taken whole when it lists none.
pub(super) fn subjects_of(assets: &[Asset], a: usize) -> BTreeSet<Subj> {
    let asset = &assets[a];
    let mut out: BTreeSet<Subj> = asset
        .patents
        .iter()
        .map(|p| Subj::Patent(p.number))
        .collect();
    if let Some((y1, y2)) = asset.capture {
        for other in assets {
            for p in &other.patents {
                if Day::jan1(y1) <= p.filed && p.filed < Day::jan1(y2) {
                    out.insert(Subj::Patent(p.number));
                }
            }
        }
    }
    if asset.patents.is_empty() {
        out.insert(Subj::Whole(a));
    }
    out
}

pub(super) fn clause_subjects(assets: &[Asset], list: &[usize]) -> BTreeSet<Subj> {
    list.iter().flat_map(|&a| subjects_of(assets, a)).collect()
}

/// Whether a subject is in force in country `place` on `day`.
pub(super) fn subject_exists(assets: &[Asset], s: Subj, place: usize, day: Day) -> bool {
    match s {
        Subj::Whole(_) => true,
        Subj::Patent(n) => assets
            .iter()
            .flat_map(|a| a.patents.iter())
            .find(|p| p.number == n)
            .is_some_and(|p| place < 5 && p.countries & (1 << place) != 0 && day < p.expires),
    }
}

/// The declared patents every asset's subjects are drawn from, one per number.
pub(super) fn all_patents(assets: &[Asset]) -> Vec<Patent> {
    let mut out: Vec<Patent> = Vec::new();
    for p in assets.iter().flat_map(|a| a.patents.iter()) {
        if !out.iter().any(|q| q.number == p.number) {
            out.push(p.clone());
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Excl {
    Exclusive,
    Sole,
    NonExclusive,
}

#[derive(Debug, Clone)]
pub(super) struct FieldSpec {
    pub(super) include: Vec<usize>,
    pub(super) except: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum TerrSpec {
    /// `[..]` of the countries in the mask.
    List(u32),
    /// `worldwide except [..]` of the countries in the mask.
    WorldwideExcept(u32),
}

#[derive(Debug, Clone)]
pub(super) struct Grant {
    pub(super) id: String,
    /// 1..=3 (b, c, d).
    pub(super) licensee: usize,
    pub(super) assets: Vec<usize>,
    /// `None`: no `rights` line (all ten rights).
    pub(super) rights: Option<Vec<usize>>,
    pub(super) field: FieldSpec,
    pub(super) terr: TerrSpec,
    /// `None`: no `term` line (the agreement's term).
    pub(super) term: Option<(i32, i32)>,
    pub(super) excl: Excl,
    /// Indexes of the reservations the grant is `exclusive subject to`.
    pub(super) subject_to: Vec<usize>,
    /// `None`: no `purpose` line (every purpose); else a mask over [`PURPOSES`].
    pub(super) purposes: Option<u8>,
    /// `covenant id: …` (issue 15): a covenant not to sue, written without an
    /// exclusivity line; it counts against exclusive and sole grants like a
    /// non-exclusive license (`excl` is `NonExclusive`).
    pub(super) covenant: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Reservation {
    pub(super) name: String,
    pub(super) assets: Vec<usize>,
    pub(super) rights: Option<Vec<usize>>,
    pub(super) field: Option<FieldSpec>,
    pub(super) terr: Option<TerrSpec>,
    pub(super) term: Option<(i32, i32)>,
    /// `None`: no `purpose` line (every purpose); else a mask over [`PURPOSES`].
    pub(super) purposes: Option<u8>,
}

pub(super) struct Case {
    pub(super) tree: Tree,
    pub(super) assets: Vec<Asset>,
    pub(super) grants: Vec<Grant>,
    pub(super) reservations: Vec<Reservation>,
    pub(super) text: String,
}
