//! Which files each file sees: itself and every file it imports, directly or not.
//!
//! The answer is one row of bits per strongly connected component of the import graph
//! (files in an import cycle see each other and everything any of them imports), with
//! one bit per file. Building it walks the graph once without recursion (Tarjan's
//! algorithm with an explicit stack) and ORs each component's row into those that
//! import it; a question is one bit test. Declarations are never copied per file: a
//! name is looked up among its declarations (`scope::Names`), keeping those in files
//! the viewer sees, so the cost of a compilation stays linear in its source however the
//! files import each other. Memory is `components × files / 8` bytes: 12.5 MB for a
//! chain of 10,000 files (the default file limit), nothing to speak of for the usual
//! shape of a few agreements importing shared registries.

use crate::driver::ParsedFile;
use crate::source::FileId;

/// The visibility relation of one compilation.
#[derive(Debug, Clone, Default)]
pub struct Views {
    /// 64-bit words per row.
    words: usize,
    /// The component of each file, by `FileId.0`.
    component: Vec<usize>,
    /// `components × words` bits: row `c` has bit `f` set when the files of component
    /// `c` see file `f`.
    rows: Vec<u64>,
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
        let mut rows = vec![0u64; count * words];
        // Tarjan numbers components in reverse topological order: every component a
        // file imports from another component has a smaller number, so visiting the
        // files by component number finds each imported row complete.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (file, &c) in component.iter().enumerate() {
            if let Some(m) = members.get_mut(c) {
                m.push(file);
            }
        }
        for (c, files_of_c) in members.iter().enumerate() {
            let mut row = vec![0u64; words];
            for &file in files_of_c {
                set_bit(&mut row, file);
                for &target in edges.get(file).map(Vec::as_slice).unwrap_or(&[]) {
                    let Some(&tc) = component.get(target) else {
                        continue;
                    };
                    if tc == c {
                        continue;
                    }
                    if let Some(imported) = rows.get(tc * words..(tc + 1) * words) {
                        for (a, b) in row.iter_mut().zip(imported) {
                            *a |= *b;
                        }
                    }
                }
            }
            if let Some(slot) = rows.get_mut(c * words..(c + 1) * words) {
                slot.copy_from_slice(&row);
            }
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
        let row = self.row(viewer);
        let f = file.0 as usize;
        row.get(f / 64).is_some_and(|w| w & (1u64 << (f % 64)) != 0)
    }

    /// The bits of the files `viewer` sees (empty for a file outside the compilation).
    pub fn row(&self, viewer: FileId) -> &[u64] {
        let Some(&c) = self.component.get(viewer.0 as usize) else {
            return &[];
        };
        self.rows
            .get(c * self.words..(c + 1) * self.words)
            .unwrap_or(&[])
    }

    /// 64-bit words per row: the length of a file bit set [`Views::row`] can be
    /// intersected with.
    pub fn words(&self) -> usize {
        self.words
    }
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
