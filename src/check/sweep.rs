//! The index the conflict sweep keeps of the pieces in force: by country (narrow pieces
//! in one bucket per country, wide ones together) and, inside each bucket, by field of
//! use, so that a new piece meets only the pieces it shares a country, a field and a
//! day with. Grants that meet in territory and time but not in field are never compared.

use std::collections::{BTreeMap, HashMap};

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
    nodes: HashMap<u32, Vec<usize>>,
    starts: BTreeMap<u32, Vec<usize>>,
}

impl FieldIndex {
    pub fn new(fields: u32) -> FieldIndex {
        FieldIndex {
            size: fields.max(1).checked_next_power_of_two().unwrap_or(1 << 31),
            nodes: HashMap::new(),
            starts: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, entry: usize, ranges: &[(u32, u32)]) {
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
    pub fn for_each_meeting(
        &mut self,
        ranges: &[(u32, u32)],
        alive: &dyn Fn(usize) -> bool,
        seen: &mut [u32],
        stamp: u32,
        f: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
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
    buckets: Vec<Option<FieldIndex>>,
    wide: FieldIndex,
    /// Countries with a narrow bucket, for a wide piece to visit.
    used: Vec<u8>,
}

impl Active {
    pub fn new(fields: u32) -> Active {
        let mut buckets = Vec::with_capacity(256);
        buckets.resize_with(256, || None);
        Active {
            fields,
            buckets,
            wide: FieldIndex::new(fields),
            used: Vec::new(),
        }
    }

    pub fn insert(
        &mut self,
        entry: usize,
        countries: &crate::territory::TerritorySet,
        ranges: &[(u32, u32)],
    ) {
        if countries.len() > NARROW_COUNTRIES {
            self.wide.insert(entry, ranges);
            return;
        }
        for c in countries.iter() {
            if let Some(slot) = self.buckets.get_mut(usize::from(c)) {
                if slot.is_none() {
                    self.used.push(c);
                }
                slot.get_or_insert_with(|| FieldIndex::new(self.fields))
                    .insert(entry, ranges);
            }
        }
    }

    /// Visits the alive pieces that may meet a piece over `countries` and `ranges`:
    /// every wide one meeting it in field (with `None`), and the narrow ones meeting it
    /// in field in each bucket of a country (with `Some(country)`; a pair of narrow
    /// pieces is met once per shared country, the caller judges it under one). Stops
    /// when `f` returns true, and returns true then.
    pub fn visit(
        &mut self,
        countries: &crate::territory::TerritorySet,
        ranges: &[(u32, u32)],
        alive: &dyn Fn(usize) -> bool,
        seen: &mut [u32],
        stamp: &mut u32,
        f: &mut dyn FnMut(Option<u8>, usize) -> bool,
    ) -> bool {
        *stamp = stamp.wrapping_add(1);
        if self
            .wide
            .for_each_meeting(ranges, alive, seen, *stamp, &mut |e| f(None, e))
        {
            return true;
        }
        let narrow = countries.len() <= NARROW_COUNTRIES;
        let list: Vec<u8> = if narrow {
            countries.iter().collect()
        } else {
            let mut u = self.used.clone();
            u.sort_unstable();
            u
        };
        for c in list {
            let Some(Some(index)) = self.buckets.get_mut(usize::from(c)) else {
                continue;
            };
            *stamp = stamp.wrapping_add(1);
            if index.for_each_meeting(ranges, alive, seen, *stamp, &mut |e| f(Some(c), e)) {
                return true;
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
        let n = 13u32;
        let mut ranges = Vec::new();
        for a in 0..n {
            for b in a + 1..=n {
                ranges.push((a, b));
            }
        }
        let mut index = FieldIndex::new(n);
        for (e, r) in ranges.iter().enumerate() {
            index.insert(e, &[*r]);
        }
        let mut seen = vec![0u32; ranges.len()];
        for (qi, q) in ranges.iter().enumerate() {
            let mut got = Vec::new();
            index.for_each_meeting(&[*q], &|_| true, &mut seen, qi as u32 + 1, &mut |e| {
                got.push(e);
                false
            });
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
        index.insert(0, &[(0, 8)]);
        index.insert(1, &[(2, 3)]);
        let mut seen = vec![0u32; 2];
        let mut got = Vec::new();
        index.for_each_meeting(&[(0, 8)], &|e| e != 0, &mut seen, 1, &mut |e| {
            got.push(e);
            false
        });
        assert_eq!(got, vec![1]);
    }
}
