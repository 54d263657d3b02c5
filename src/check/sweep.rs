//! The index the conflict sweep keeps of the pieces in force: by country (narrow pieces
//! in one bucket per country, wide ones together) and, inside each bucket, by field of
//! use, so that a new piece meets only the pieces it shares a country, a field and a
//! day with. Grants that meet in territory and time but not in field are never compared.

use foldhash::HashMap;
use std::collections::BTreeMap;

/// Pieces covering more countries than this are kept together rather than in one
/// bucket per country (a worldwide grant would otherwise sit in ~250 buckets).
pub const NARROW_COUNTRIES: usize = 16;

/// Stored field ranges, answering "which stored entries meet these ranges?" in time
/// logarithmic in the number of fields plus the size of the answer: an entry meets
/// `[c, d)` exactly when one of its ranges holds `c` (a stabbing query on a segment
/// tree over the pre-order positions) or starts inside `(c, d)` (a range query on the
/// starts). Entries that are no longer alive are dropped as they are met.
#[derive(Default)]
pub struct FieldIndex {
    size: u32,
    /// Few entries: kept in a list and all visited (the caller tests their fields),
    /// which is cheaper than the index until the list grows past [`SMALL`].
    small: Vec<usize>,
    indexed: bool,
    nodes: HashMap<u32, Vec<usize>>,
    starts: BTreeMap<u32, Vec<usize>>,
}

/// The field ranges of a stored entry.
pub type RangesOf<'r> = dyn Fn(usize) -> &'r [(u32, u32)] + 'r;

/// How many entries a field index keeps in a plain list before indexing them.
const SMALL: usize = 32;

impl FieldIndex {
    pub fn new(fields: u32) -> FieldIndex {
        FieldIndex {
            size: fields.max(1).checked_next_power_of_two().unwrap_or(1 << 31),
            ..FieldIndex::default()
        }
    }

    /// Stores an entry with its field ranges (`ranges_of` gives any stored entry's).
    pub fn insert<'r>(&mut self, entry: usize, ranges: &[(u32, u32)], ranges_of: &RangesOf<'r>) {
        if !self.indexed {
            self.small.push(entry);
            if self.small.len() <= SMALL {
                return;
            }
            self.indexed = true;
            for e in std::mem::take(&mut self.small) {
                self.index(e, ranges_of(e));
            }
            return;
        }
        self.index(entry, ranges);
    }

    fn index(&mut self, entry: usize, ranges: &[(u32, u32)]) {
        for &(a, b) in ranges {
            let (a, b) = (a.min(self.size), b.min(self.size));
            if a >= b {
                continue;
            }
            self.starts.entry(a).or_default().push(entry);
            let (mut l, mut r) = (
                u64::from(a) + u64::from(self.size),
                u64::from(b) + u64::from(self.size),
            );
            while l < r {
                if l & 1 == 1 {
                    self.push_node(l, entry);
                    l += 1;
                }
                if r & 1 == 1 {
                    r -= 1;
                    self.push_node(r, entry);
                }
                l >>= 1;
                r >>= 1;
            }
        }
    }

    fn push_node(&mut self, node: u64, entry: usize) {
        if let Ok(n) = u32::try_from(node) {
            self.nodes.entry(n).or_default().push(entry);
        }
    }

    /// Calls `f` once for every alive entry with a range meeting one of `ranges`
    /// (`seen` and `stamp` keep it to once); stops and returns true when `f` does.
    pub fn for_each_meeting<'r>(
        &mut self,
        ranges: &[(u32, u32)],
        alive: &dyn Fn(usize) -> bool,
        ranges_of: &RangesOf<'r>,
        seen: &mut [u32],
        stamp: u32,
        f: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if !self.indexed {
            self.small.retain(|e| alive(*e));
            for e in &self.small {
                let meets = ranges_of(*e)
                    .iter()
                    .any(|&(a, b)| ranges.iter().any(|&(c, d)| a < d && c < b));
                if !meets {
                    continue;
                }
                if let Some(slot) = seen.get_mut(*e) {
                    if *slot == stamp {
                        continue;
                    }
                    *slot = stamp;
                }
                if f(*e) {
                    return true;
                }
            }
            return false;
        }
        let mut visit = |e: usize, seen: &mut [u32]| -> bool {
            match seen.get_mut(e) {
                Some(s) if *s == stamp => false,
                Some(s) => {
                    *s = stamp;
                    f(e)
                }
                None => false,
            }
        };
        for &(c, d) in ranges {
            let (c, d) = (c.min(self.size), d.min(self.size));
            if c >= d {
                continue;
            }
            // Entries holding `c`: every node on the path from its leaf to the root.
            let mut node = u64::from(c) + u64::from(self.size);
            while node >= 1 {
                if let Some(list) = u32::try_from(node)
                    .ok()
                    .and_then(|n| self.nodes.get_mut(&n))
                {
                    list.retain(|&e| alive(e));
                    for &e in list.iter() {
                        if visit(e, seen) {
                            return true;
                        }
                    }
                }
                node >>= 1;
            }
            // Entries starting strictly inside.
            if c + 1 < d {
                let mut empty = Vec::new();
                for (&k, list) in self.starts.range_mut(c + 1..d) {
                    list.retain(|&e| alive(e));
                    if list.is_empty() {
                        empty.push(k);
                    }
                    for &e in list.iter() {
                        if visit(e, seen) {
                            return true;
                        }
                    }
                }
                for k in empty {
                    self.starts.remove(&k);
                }
            }
        }
        false
    }
}

/// The pieces in force at the sweep's current date, of one class: narrow ones in one
/// field index per country, wide ones in one more.
pub struct Active {
    fields: u32,
    /// Per country: 1 + the index of its bucket in `buckets`, 0 when it has none.
    slot: Vec<u16>,
    buckets: Vec<(u8, FieldIndex)>,
    wide: FieldIndex,
}

impl Active {
    pub fn new(fields: u32) -> Active {
        Active {
            fields,
            slot: vec![0; 256],
            buckets: Vec::new(),
            wide: FieldIndex::new(fields),
        }
    }

    fn bucket(&mut self, c: u8) -> Option<&mut FieldIndex> {
        let s = *self.slot.get(usize::from(c))?;
        if s == 0 {
            let next = u16::try_from(self.buckets.len() + 1).ok()?;
            self.buckets.push((c, FieldIndex::new(self.fields)));
            if let Some(slot) = self.slot.get_mut(usize::from(c)) {
                *slot = next;
            }
            return self.buckets.last_mut().map(|(_, b)| b);
        }
        self.buckets.get_mut(usize::from(s - 1)).map(|(_, b)| b)
    }

    pub fn insert<'r>(
        &mut self,
        entry: usize,
        countries: &crate::territory::TerritorySet,
        ranges: &[(u32, u32)],
        ranges_of: &RangesOf<'r>,
    ) {
        if countries.len() > NARROW_COUNTRIES {
            self.wide.insert(entry, ranges, ranges_of);
            return;
        }
        for c in countries.iter() {
            if let Some(b) = self.bucket(c) {
                b.insert(entry, ranges, ranges_of);
            }
        }
    }

    /// Visits the alive pieces that may meet a piece over `countries` and `ranges`:
    /// every wide one meeting it in field (with `None`), and the narrow ones meeting it
    /// in field in each bucket of a country (with `Some(country)`; a pair of narrow
    /// pieces is met once per shared country, the caller judges it under one). Stops
    /// when `f` returns true, and returns true then.
    // The sweep's whole state for one query; a struct would only rename it.
    #[allow(clippy::too_many_arguments)]
    pub fn visit<'r>(
        &mut self,
        countries: &crate::territory::TerritorySet,
        ranges: &[(u32, u32)],
        alive: &dyn Fn(usize) -> bool,
        ranges_of: &RangesOf<'r>,
        seen: &mut [u32],
        stamp: &mut u32,
        f: &mut dyn FnMut(Option<u8>, usize) -> bool,
    ) -> bool {
        *stamp = stamp.wrapping_add(1);
        if self
            .wide
            .for_each_meeting(ranges, alive, ranges_of, seen, *stamp, &mut |e| f(None, e))
        {
            return true;
        }
        if countries.len() <= NARROW_COUNTRIES {
            // A narrow piece meets narrow ones only in its own countries.
            for c in countries.iter() {
                let s = self.slot.get(usize::from(c)).copied().unwrap_or(0);
                let Some((_, index)) = s
                    .checked_sub(1)
                    .and_then(|i| self.buckets.get_mut(usize::from(i)))
                else {
                    continue;
                };
                *stamp = stamp.wrapping_add(1);
                if index.for_each_meeting(ranges, alive, ranges_of, seen, *stamp, &mut |e| {
                    f(Some(c), e)
                }) {
                    return true;
                }
            }
        } else {
            // A wide one meets them in every bucket, in the order of the countries.
            let mut order: Vec<usize> = (0..self.buckets.len()).collect();
            order.sort_unstable_by_key(|&i| self.buckets.get(i).map(|(c, _)| *c));
            for i in order {
                let Some((c, index)) = self.buckets.get_mut(i) else {
                    continue;
                };
                let c = *c;
                *stamp = stamp.wrapping_add(1);
                if index.for_each_meeting(ranges, alive, ranges_of, seen, *stamp, &mut |e| {
                    f(Some(c), e)
                }) {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The index finds exactly the stored entries whose ranges meet the query's, on
    /// every pair of ranges over a small forest.
    #[test]
    fn field_index_matches_brute_force() {
        // 15 ranges stay a plain list; 91 are indexed.
        for n in [5u32, 13] {
            field_index_case(n);
        }
    }

    fn field_index_case(n: u32) {
        let mut ranges = Vec::new();
        for a in 0..n {
            for b in a + 1..=n {
                ranges.push((a, b));
            }
        }
        let mut index = FieldIndex::new(n);
        for (e, r) in ranges.iter().enumerate() {
            index.insert(e, &[*r], &|x| std::slice::from_ref(&ranges[x]));
        }
        let mut seen = vec![0u32; ranges.len()];
        for (qi, q) in ranges.iter().enumerate() {
            let mut got = Vec::new();
            index.for_each_meeting(
                &[*q],
                &|_| true,
                &|x| std::slice::from_ref(&ranges[x]),
                &mut seen,
                qi as u32 + 1,
                &mut |e| {
                    got.push(e);
                    false
                },
            );
            got.sort_unstable();
            let want: Vec<usize> = ranges
                .iter()
                .enumerate()
                .filter(|(_, r)| r.0 < q.1 && q.0 < r.1)
                .map(|(i, _)| i)
                .collect();
            assert_eq!(got, want, "query {q:?}");
        }
    }

    #[test]
    fn dead_entries_are_dropped() {
        let mut index = FieldIndex::new(8);
        let stored = [(0u32, 8u32), (2, 3)];
        let of = |x: usize| std::slice::from_ref(&stored[x]);
        index.insert(0, &[(0, 8)], &of);
        index.insert(1, &[(2, 3)], &of);
        let mut seen = vec![0u32; 2];
        let mut got = Vec::new();
        index.for_each_meeting(&[(0, 8)], &|e| e != 0, &of, &mut seen, 1, &mut |e| {
            got.push(e);
            false
        });
        assert_eq!(got, vec![1]);
    }
}
