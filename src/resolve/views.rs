//! Which files each file sees: itself and every file it imports, directly or not.
//!
//! The answer is one set of files per strongly connected component of the import
//! graph (files in an import cycle see each other and everything any of them imports).
//! Building it walks the graph once without recursion (Tarjan's algorithm with an
//! explicit stack) and merges each component's set into those that import it; a
//! question is a binary search or a bit test. Declarations are never copied per file:
//! a name is looked up among its declarations (`scope::Names`), keeping those in files
//! the viewer sees, so the cost of a compilation stays linear in its source however
//! the files import each other.
//!
//! A set is a sorted list of file numbers while it is small (the usual shape: an
//! agreement sees itself and a registry or two) and a bit set of all files once it
//! holds more than one in 32. Memory is therefore about 8 bytes per file and import in
//! the usual shape, and at most `files² / 8` bytes for a chain of imports (12.5 MB for
//! 10,000 files, the default file limit).

use crate::driver::ParsedFile;
use crate::source::FileId;

/// The files one component sees.
#[derive(Debug, Clone)]
enum Row {
    /// File numbers, ascending.
    Sparse(Vec<u32>),
    /// One bit per file.
    Dense(Vec<u64>),
}

/// The visibility relation of one compilation.
#[derive(Debug, Clone, Default)]
pub struct Views {
    /// 64-bit words in a dense row.
    words: usize,
    /// The component of each file, by `FileId.0`.
    component: Vec<usize>,
    /// The files each component sees.
    rows: Vec<Row>,
}

const UNVISITED: usize = usize::MAX;

impl Views {
    /// Computes who sees whom from the files' imports.
    pub fn new(files: &[ParsedFile]) -> Views {
        let n = files
            .iter()
            .flat_map(|f| std::iter::once(f.id).chain(f.imports.iter().map(|(t, _)| *t)))
            .map(|id| id.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        for f in files {
            if let Some(out) = edges.get_mut(f.id.0 as usize) {
                out.extend(f.imports.iter().map(|(t, _)| t.0 as usize));
            }
        }
        let (component, count) = components(&edges);
        let words = n.div_ceil(64);
        // A list longer than this takes more room than the bits.
        let dense_from = (n / 32).max(8);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (file, &c) in component.iter().enumerate() {
            if let Some(m) = members.get_mut(c) {
                m.push(file);
            }
        }
        // Tarjan numbers components in reverse topological order: every component a
        // file imports from another component has a smaller number, so building the
        // rows by number finds each imported row complete.
        let mut rows: Vec<Row> = Vec::with_capacity(count);
        for (c, files_of_c) in members.iter().enumerate() {
            let mut imported: Vec<usize> = files_of_c
                .iter()
                .flat_map(|&f| edges.get(f).map(Vec::as_slice).unwrap_or(&[]))
                .filter_map(|&t| component.get(t).copied())
                .filter(|&tc| tc != c)
                .collect();
            imported.sort_unstable();
            imported.dedup();
            let estimate = files_of_c.len()
                + imported
                    .iter()
                    .map(|&tc| match rows.get(tc) {
                        Some(Row::Sparse(v)) => v.len(),
                        _ => n,
                    })
                    .sum::<usize>();
            let row = if estimate > dense_from {
                let mut bits = vec![0u64; words];
                for &f in files_of_c {
                    set_bit(&mut bits, f);
                }
                for &tc in &imported {
                    match rows.get(tc) {
                        Some(Row::Dense(other)) => {
                            for (a, b) in bits.iter_mut().zip(other) {
                                *a |= *b;
                            }
                        }
                        Some(Row::Sparse(other)) => {
                            for &f in other {
                                set_bit(&mut bits, f as usize);
                            }
                        }
                        None => {}
                    }
                }
                Row::Dense(bits)
            } else {
                let mut list: Vec<u32> = files_of_c.iter().map(|&f| to_u32(f)).collect();
                for &tc in &imported {
                    if let Some(Row::Sparse(other)) = rows.get(tc) {
                        list.extend_from_slice(other);
                    }
                }
                list.sort_unstable();
                list.dedup();
                Row::Sparse(list)
            };
            rows.push(row);
        }
        Views {
            words,
            component,
            rows,
        }
    }

    /// Whether `viewer` sees the declarations of `file` (it is the file itself or one it
    /// imports, directly or not).
    pub fn sees(&self, viewer: FileId, file: FileId) -> bool {
        if viewer == file {
            return true;
        }
        match self.row(viewer) {
            Some(Row::Sparse(list)) => list.binary_search(&file.0).is_ok(),
            Some(Row::Dense(bits)) => {
                let f = file.0 as usize;
                bits.get(f / 64)
                    .is_some_and(|w| w & (1u64 << (f % 64)) != 0)
            }
            None => false,
        }
    }

    fn row(&self, viewer: FileId) -> Option<&Row> {
        self.component
            .get(viewer.0 as usize)
            .and_then(|&c| self.rows.get(c))
    }

    /// The files `viewer` sees that are also in the bit set `files` (one bit per file,
    /// [`Views::words`] long), in ascending order; `each` returns true to stop.
    pub fn each_seen_in(
        &self,
        viewer: FileId,
        files: &[u64],
        mut each: impl FnMut(FileId) -> bool,
    ) {
        let in_files = |f: usize| {
            files
                .get(f / 64)
                .is_some_and(|w| w & (1u64 << (f % 64)) != 0)
        };
        match self.row(viewer) {
            Some(Row::Sparse(list)) => {
                for &f in list {
                    if in_files(f as usize) && each(FileId(f)) {
                        return;
                    }
                }
            }
            Some(Row::Dense(bits)) => {
                for (w, (a, b)) in bits.iter().zip(files).enumerate() {
                    let mut both = a & b;
                    while both != 0 {
                        let bit = both.trailing_zeros() as usize;
                        both &= both - 1;
                        if each(FileId(to_u32(w * 64 + bit))) {
                            return;
                        }
                    }
                }
            }
            None => {
                if in_files(viewer.0 as usize) {
                    each(viewer);
                }
            }
        }
    }

    /// 64-bit words in a set of one bit per file ([`Views::each_seen_in`]).
    pub fn words(&self) -> usize {
        self.words
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn set_bit(bits: &mut [u64], i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1u64 << (i % 64);
    }
}

/// The strongly connected components of a graph (Tarjan, iterative): each node's
/// component number and the number of components. Components are numbered in reverse
/// topological order (a component's successors have smaller numbers).
fn components(edges: &[Vec<usize>]) -> (Vec<usize>, usize) {
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNVISITED; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0usize;
    let mut count = 0usize;
    // (node, position of the next edge to follow)
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index.get(root) != Some(&UNVISITED) {
            continue;
        }
        enter(root, &mut index, &mut low, &mut next_index);
        stack.push(root);
        set(&mut on_stack, root, true);
        work.push((root, 0));
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            let out = edges.get(v).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&w) = out.get(*pos) {
                *pos += 1;
                if w >= n {
                    continue;
                }
                if index.get(w) == Some(&UNVISITED) {
                    enter(w, &mut index, &mut low, &mut next_index);
                    stack.push(w);
                    set(&mut on_stack, w, true);
                    work.push((w, 0));
                } else if on_stack.get(w) == Some(&true) {
                    let iw = index.get(w).copied().unwrap_or(0);
                    if let Some(lv) = low.get_mut(v) {
                        *lv = (*lv).min(iw);
                    }
                }
                continue;
            }
            work.pop();
            let lv = low.get(v).copied().unwrap_or(0);
            if lv == index.get(v).copied().unwrap_or(0) {
                while let Some(x) = stack.pop() {
                    set(&mut on_stack, x, false);
                    if let Some(c) = component.get_mut(x) {
                        *c = count;
                    }
                    if x == v {
                        break;
                    }
                }
                count += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                if let Some(lp) = low.get_mut(parent) {
                    *lp = (*lp).min(lv);
                }
            }
        }
    }
    (component, count)
}

fn enter(v: usize, index: &mut [usize], low: &mut [usize], next: &mut usize) {
    if let Some(i) = index.get_mut(v) {
        *i = *next;
    }
    if let Some(l) = low.get_mut(v) {
        *l = *next;
    }
    *next += 1;
}

fn set(flags: &mut [bool], i: usize, value: bool) {
    if let Some(f) = flags.get_mut(i) {
        *f = value;
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn graph(edges: &[&[usize]]) -> Views {
        let files: Vec<ParsedFile> = edges
            .iter()
            .enumerate()
            .map(|(i, out)| ParsedFile {
                id: FileId(i as u32),
                ast: Default::default(),
                imports: out
                    .iter()
                    .map(|&t| (FileId(t as u32), Default::default()))
                    .collect(),
            })
            .collect();
        Views::new(&files)
    }

    fn sees(v: &Views, a: u32, b: u32) -> bool {
        v.sees(FileId(a), FileId(b))
    }

    #[test]
    fn imports_are_seen_transitively_and_only_downwards() {
        // 0 → 1 → 2, 3 → 2
        let v = graph(&[&[1], &[2], &[], &[2]]);
        assert!(sees(&v, 0, 1) && sees(&v, 0, 2) && sees(&v, 1, 2) && sees(&v, 3, 2));
        assert!(!sees(&v, 1, 0) && !sees(&v, 2, 1) && !sees(&v, 3, 1) && !sees(&v, 0, 3));
        assert!(sees(&v, 2, 2));
    }

    #[test]
    fn files_in_a_cycle_see_each_other_and_what_the_cycle_imports() {
        // 0 → 1 → 2 → 0, 2 → 3; 4 → 0
        let v = graph(&[&[1], &[2], &[0, 3], &[], &[0]]);
        for a in 0..3 {
            for b in 0..4 {
                assert!(sees(&v, a, b), "{a} should see {b}");
            }
        }
        assert!(sees(&v, 4, 3) && !sees(&v, 3, 0) && !sees(&v, 0, 4));
    }

    #[test]
    fn random_graphs_agree_with_a_search_from_each_file() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        // Sparse and dense rows, with and without cycles.
        for (n, fan) in [(40, 1), (300, 1), (300, 3), (500, 2)] {
            let out: Vec<Vec<usize>> = (0..n)
                .map(|_| (0..next(fan + 1)).map(|_| next(n)).collect())
                .collect();
            let refs: Vec<&[usize]> = out.iter().map(Vec::as_slice).collect();
            let v = graph(&refs);
            let every: Vec<u64> = vec![u64::MAX; v.words()];
            for a in 0..n {
                let mut seen = vec![false; n];
                let mut stack = vec![a];
                while let Some(x) = stack.pop() {
                    if !std::mem::replace(&mut seen[x], true) {
                        stack.extend(&out[x]);
                    }
                }
                for (b, &expected) in seen.iter().enumerate() {
                    assert_eq!(sees(&v, a as u32, b as u32), expected, "{n}: {a} → {b}");
                }
                let mut listed = Vec::new();
                v.each_seen_in(FileId(a as u32), &every, |f| {
                    listed.push(f.0 as usize);
                    false
                });
                let want: Vec<usize> = (0..n).filter(|&b| seen[b]).collect();
                assert_eq!(listed, want, "{n}: files {a} sees");
            }
        }
    }

    #[test]
    fn a_long_chain_needs_no_recursion() {
        let n = 12_000usize;
        let out: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let refs: Vec<&[usize]> = out.iter().map(Vec::as_slice).collect();
        let v = graph(&refs);
        assert!(sees(&v, 0, (n - 1) as u32));
        assert!(!sees(&v, (n - 1) as u32, 0));
    }
}
