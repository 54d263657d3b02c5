//! What xlic's tests and benchmarks share and the product does not: the one
//! deterministic pseudo-random generator, so every generated case, edit script and
//! workload is reproducible from its seed. No dependencies; a dev-dependency of the
//! library and the language server, and a path dependency of the Cedar bench.

/// xorshift64* (Vigna) with a splitmix64-scrambled seed: tiny, fast and good enough to
/// vary inputs. Not for anything that must be unpredictable.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose whole sequence is decided by `seed`. Nearby seeds give
    /// unrelated sequences (the seed goes through splitmix64 first); any seed works.
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // xorshift's one fixed point is zero.
        Rng {
            state: if z == 0 { 0x2545_F491_4F6C_DD1D } else { z },
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (multiply-shift, no modulo bias worth the name); `0` when `n`
    /// is `0`.
    pub fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * n as u128;
        // The high half is below `n`, so it fits in usize.
        usize::try_from(wide >> 64).unwrap_or(0)
    }

    /// Uniform in `lo..=hi`; `lo` when `hi < lo`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi < lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(span) => lo + self.below(span),
            // The whole of usize: every bit pattern is fair.
            None => self.next_u64() as usize,
        }
    }

    /// True with probability `percent`% (always for 100 and above, never for 0).
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// One element of a non-empty slice, uniformly.
    ///
    /// # Panics
    /// On an empty slice, as indexing one would: callers are tests and benchmarks.
    #[allow(clippy::indexing_slicing)]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.range(0, i);
            items.swap(i, j);
        }
    }

    /// Each element with probability one half, in order.
    pub fn subset<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        items.iter().filter(|_| self.chance(50)).cloned().collect()
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::Rng;

    #[test]
    fn a_seed_decides_the_sequence() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..16).map(|_| r.next_u64()).collect()
        };
        let mut r = Rng::new(7);
        assert!(a.iter().all(|x| *x == r.next_u64()));
        let mut other = Rng::new(8);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn zero_is_a_seed_like_any_other() {
        let mut r = Rng::new(0);
        let xs: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert!(xs.iter().all(|x| *x != 0));
        assert_ne!(xs[0], xs[1]);
    }

    #[test]
    fn bounds_hold_and_every_value_is_reached() {
        let mut r = Rng::new(1);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.range(3, 9);
            assert!((3..=9).contains(&x));
            seen[x - 3] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 4), 5);
        // The widest range does not overflow.
        let _ = r.range(0, usize::MAX);
    }

    #[test]
    fn chance_is_roughly_fair_and_exact_at_the_ends() {
        let mut r = Rng::new(2);
        assert!((0..100).all(|_| r.chance(100)));
        assert!((0..100).all(|_| !r.chance(0)));
        let hits = (0..10_000).filter(|_| r.chance(30)).count();
        assert!((2_700..3_300).contains(&hits), "{hits}");
    }

    #[test]
    fn shuffle_keeps_the_elements() {
        let mut r = Rng::new(3);
        let mut v: Vec<u32> = (0..50).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
