//! `TerritorySet`: a set of countries, stored as a 256-bit mask over the `COUNTRIES` index.

use crate::iso::{country_by_index, country_index, COUNTRIES, EEA, EU};

/// How many codes a set may lack from worldwide and still be described as
/// "worldwide except …".
const MAX_EXCEPTIONS: usize = 10;
/// How many codes [`TerritorySet::describe`] lists before "and N more".
const MAX_LISTED: usize = 12;

/// A set of countries: bit `i` is set when `COUNTRIES[i]` is in the set.
///
/// Only indexes of real countries (below `COUNTRIES.len()`) are ever set, so
/// two sets with the same countries are equal and hash alike.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug, PartialOrd, Ord)]
pub struct TerritorySet([u64; 4]);

/// Splits an index into its word and the bit mask inside that word.
fn locate(i: u8) -> (usize, u64) {
    (usize::from(i >> 6), 1u64 << (i & 63))
}

impl TerritorySet {
    /// The set with no countries.
    pub fn empty() -> TerritorySet {
        TerritorySet([0; 4])
    }

    /// The set of every country in `COUNTRIES`.
    pub fn worldwide() -> TerritorySet {
        static SET: std::sync::LazyLock<TerritorySet> = std::sync::LazyLock::new(|| {
            let mut set = TerritorySet::empty();
            for i in 0..=u8::MAX {
                set.insert(i);
            }
            set
        });
        *SET
    }

    /// The 27 EU member states (see `crate::iso::EU`).
    pub fn eu() -> TerritorySet {
        static SET: std::sync::LazyLock<TerritorySet> =
            std::sync::LazyLock::new(|| TerritorySet::from_known(EU));
        *SET
    }

    /// The 30 EEA states (see `crate::iso::EEA`).
    pub fn eea() -> TerritorySet {
        static SET: std::sync::LazyLock<TerritorySet> =
            std::sync::LazyLock::new(|| TerritorySet::from_known(EEA));
        *SET
    }

    /// Builds a set from codes that are known to be valid.
    fn from_known(codes: &[&str]) -> TerritorySet {
        let mut set = TerritorySet::empty();
        for code in codes {
            set.insert_code(code);
        }
        set
    }

    /// The set of the given ISO 3166-1 alpha-2 codes (exact, upper-case).
    ///
    /// # Errors
    /// A message naming the first code that is not in `COUNTRIES`.
    pub fn from_codes<S: AsRef<str>>(
        codes: impl IntoIterator<Item = S>,
    ) -> Result<TerritorySet, String> {
        let mut set = TerritorySet::empty();
        for code in codes {
            let code = code.as_ref();
            if !set.insert_code(code) {
                return Err(format!("unknown ISO 3166-1 country code `{code}`"));
            }
        }
        Ok(set)
    }

    /// Adds the country with index `i`. Returns `false` (and changes
    /// nothing) when `i` is not an index into `COUNTRIES`.
    pub fn insert(&mut self, i: u8) -> bool {
        if usize::from(i) >= COUNTRIES.len() {
            return false;
        }
        let (word, bit) = locate(i);
        if let Some(w) = self.0.get_mut(word) {
            *w |= bit;
        }
        true
    }

    /// Adds the country with this code. Returns `false` (and changes
    /// nothing) when the code is not in `COUNTRIES`.
    pub fn insert_code(&mut self, code: &str) -> bool {
        country_index(code).is_some_and(|i| self.insert(i))
    }

    /// Whether the country with index `i` is in the set.
    pub fn contains(&self, i: u8) -> bool {
        let (word, bit) = locate(i);
        self.0.get(word).is_some_and(|w| w & bit != 0)
    }

    /// Whether the country with this code is in the set (`false` for unknown codes).
    pub fn contains_code(&self, code: &str) -> bool {
        country_index(code).is_some_and(|i| self.contains(i))
    }

    /// Applies `f` word by word.
    fn zip_with(self, other: TerritorySet, f: impl Fn(u64, u64) -> u64) -> TerritorySet {
        let mut out = self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a = f(*a, b);
        }
        out
    }

    /// The countries in either set.
    #[must_use]
    pub fn union(self, other: TerritorySet) -> TerritorySet {
        self.zip_with(other, |a, b| a | b)
    }

    /// The countries in both sets.
    #[must_use]
    pub fn intersection(self, other: TerritorySet) -> TerritorySet {
        self.zip_with(other, |a, b| a & b)
    }

    /// The countries in `self` but not in `other`.
    #[must_use]
    pub fn difference(self, other: TerritorySet) -> TerritorySet {
        self.zip_with(other, |a, b| a & !b)
    }

    /// Whether the set has no countries.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Whether every country of `self` is also in `other`.
    pub fn is_subset(&self, other: &TerritorySet) -> bool {
        self.difference(*other).is_empty()
    }

    /// The number of countries in the set.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The indexes of the countries in the set, ascending (one step per country, not
    /// per possible index).
    pub fn iter(&self) -> impl Iterator<Item = u8> {
        let words = self.0;
        (0u8..4).flat_map(move |w| {
            let mut bits = words.get(usize::from(w)).copied().unwrap_or(0);
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let low = bits.trailing_zeros();
                bits &= bits - 1;
                u8::try_from(u32::from(w) * 64 + low).ok()
            })
        })
    }

    /// The lowest index in the set, if any.
    pub fn first(&self) -> Option<u8> {
        self.0.iter().enumerate().find_map(|(w, &bits)| {
            (bits != 0).then(|| {
                let i = w * 64 + bits.trailing_zeros() as usize;
                u8::try_from(i).unwrap_or(u8::MAX)
            })
        })
    }

    /// The codes of the countries in the set, sorted.
    pub fn codes(&self) -> Vec<&'static str> {
        self.iter()
            .filter_map(country_by_index)
            .map(|c| c.code)
            .collect()
    }

    /// A short description for messages: "worldwide", "worldwide except CN, RU",
    /// "EU", "EEA", "no territory" for the empty set, or the codes
    /// ("DE, FR, IT"), at most 12 of them followed by "and N more".
    pub fn describe(&self) -> String {
        let worldwide = TerritorySet::worldwide();
        if *self == worldwide {
            return "worldwide".to_string();
        }
        if self.is_empty() {
            return "no territory".to_string();
        }
        if *self == TerritorySet::eu() {
            return "EU".to_string();
        }
        if *self == TerritorySet::eea() {
            return "EEA".to_string();
        }
        let missing = worldwide.difference(*self);
        if missing.len() <= MAX_EXCEPTIONS {
            return format!("worldwide except {}", missing.codes().join(", "));
        }
        let codes = self.codes();
        let listed = codes
            .iter()
            .take(MAX_LISTED)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if codes.len() > MAX_LISTED {
            format!("{listed} and {} more", codes.len() - MAX_LISTED)
        } else {
            listed
        }
    }
}

/// outputs: a set of countries as the shortest expression over a base — nothing,
/// `worldwide`, `EU`, `EEA` or one of the named `groups` — plus the countries the base
/// lacks and less the countries it has too many: `worldwide except CN, RU`, `EU + GB`,
/// `EEA except NO`, `DE, FR`. Shortest counts the base as one and each listed country
/// as one; on a tie the earlier base wins (nothing, worldwide, EU, EEA, then the
/// groups in their order), so the result is deterministic. `xlic diff` shows it and the
/// JSON policy writes it next to each expanded list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compact {
    /// The base's name; `None` when the countries are listed alone.
    pub base: Option<String>,
    /// Countries added to the base.
    pub plus: TerritorySet,
    /// Countries taken from the base.
    pub minus: TerritorySet,
}

/// The bases of a [`Compact`] other than the declared groups, in the order ties go.
fn built_in_bases() -> [(&'static str, TerritorySet); 3] {
    [
        ("worldwide", TerritorySet::worldwide()),
        ("EU", TerritorySet::eu()),
        ("EEA", TerritorySet::eea()),
    ]
}

impl Compact {
    /// The shortest expression of `set`; `None` for the empty set.
    pub fn of(set: TerritorySet, groups: &[(String, TerritorySet)]) -> Option<Compact> {
        if set.is_empty() {
            return None;
        }
        let bases = std::iter::once((None, TerritorySet::empty()))
            .chain(built_in_bases().map(|(n, s)| (Some(n), s)))
            .chain(groups.iter().map(|(n, s)| (Some(n.as_str()), *s)));
        let mut best: Option<(usize, Compact)> = None;
        for (name, base) in bases {
            let plus = set.difference(base);
            let minus = base.difference(set);
            let cost = plus.len() + minus.len() + usize::from(name.is_some());
            if best.as_ref().is_some_and(|(c, _)| *c <= cost) {
                continue;
            }
            let c = Compact {
                base: name.map(str::to_string),
                plus,
                minus,
            };
            best = Some((cost, c));
        }
        best.map(|(_, c)| c)
    }

    /// The expression, each list of countries written by `list`.
    pub fn render(&self, list: impl Fn(TerritorySet) -> String) -> String {
        let mut s = self.base.clone().unwrap_or_default();
        if !self.plus.is_empty() {
            if !s.is_empty() {
                s.push_str(" + ");
            }
            s.push_str(&list(self.plus));
        }
        if !self.minus.is_empty() {
            s.push_str(" except ");
            s.push_str(&list(self.minus));
        }
        s
    }

    /// The expression with every country listed: `worldwide except CN, RU`.
    pub fn text(&self) -> String {
        self.render(|set| set.codes().join(", "))
    }

    /// The countries a [`Compact::text`] denotes, its base one of `worldwide`, `EU`,
    /// `EEA` or `groups` (the compact JSON policy, issue 19); an error names what is
    /// wrong. A first word that names a base is read as the base, so a group named like
    /// a country code makes `DE` mean the group: whoever writes a text checks that it
    /// reads back as the set it was made from.
    pub fn parse(text: &str, groups: &[(String, TerritorySet)]) -> Result<TerritorySet, String> {
        // Most texts are one word (a group, a base or a code), where neither ` except `
        // nor ` + ` can be: a policy has one per grant (5 % of reading it, round 14).
        let spaced = text.as_bytes().contains(&b' ');
        let split = |text, marker| {
            if spaced {
                str::split_once(text, marker)
            } else {
                None
            }
        };
        let (head, minus) = match split(text, " except ") {
            Some((h, m)) => (h, Some(m)),
            None => (text, None),
        };
        let base_named = |name: &str| -> Option<TerritorySet> {
            match built_in_bases().into_iter().find(|(n, _)| *n == name) {
                Some((_, s)) => Some(s),
                None => groups.iter().find(|(n, _)| n == name).map(|(_, s)| *s),
            }
        };
        let (mut set, plus) = match split(head, " + ") {
            Some((base, plus)) => match base_named(base) {
                Some(s) => (s, Some(plus)),
                None => return Err(format!("`{base}` is no territory group")),
            },
            None => match base_named(head) {
                Some(s) => (s, None),
                None => (TerritorySet::empty(), Some(head)),
            },
        };
        // Codes separated by `, `, read without collecting them.
        let list = |codes: &str| TerritorySet::from_codes(codes.split(", "));
        if let Some(p) = plus {
            set = set.union(list(p)?);
        }
        if let Some(m) = minus {
            set = set.difference(list(m)?);
        }
        Ok(set)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    fn set(codes: &[&str]) -> TerritorySet {
        TerritorySet::from_codes(codes).unwrap()
    }

    #[test]
    fn empty_and_worldwide() {
        assert!(TerritorySet::empty().is_empty());
        assert_eq!(TerritorySet::empty().len(), 0);
        assert_eq!(TerritorySet::default(), TerritorySet::empty());
        let w = TerritorySet::worldwide();
        assert_eq!(w.len(), COUNTRIES.len());
        assert!(!w.is_empty());
        assert!(w.contains_code("US"));
        assert!(!w.contains(255));
    }

    #[test]
    fn eu_eea_sets() {
        assert_eq!(TerritorySet::eu().len(), 27);
        assert_eq!(TerritorySet::eea().len(), 30);
        assert!(TerritorySet::eu().is_subset(&TerritorySet::eea()));
        assert!(!TerritorySet::eea().is_subset(&TerritorySet::eu()));
        assert!(TerritorySet::eu().contains_code("DE"));
        assert!(!TerritorySet::eu().contains_code("NO"));
        assert!(TerritorySet::eea().contains_code("NO"));
    }

    #[test]
    fn from_codes_reports_first_unknown() {
        assert_eq!(set(&["DE", "FR"]).len(), 2);
        assert_eq!(set(&["DE", "DE"]).len(), 1);
        assert_eq!(set(&[]), TerritorySet::empty());
        let err = TerritorySet::from_codes(["DE", "XX", "YY"]).unwrap_err();
        assert!(err.contains("`XX`"), "{err}");
        assert!(!err.contains("YY"), "{err}");
    }

    #[test]
    fn insert_and_contains() {
        let mut s = TerritorySet::empty();
        let de = country_index("DE").unwrap();
        assert!(!s.contains(de));
        assert!(s.insert(de));
        assert!(s.insert(de));
        assert!(s.contains(de));
        assert!(s.contains_code("DE"));
        assert!(!s.contains_code("FR"));
        assert!(!s.contains_code("nope"));
        assert!(!s.insert(249));
        assert!(!s.insert(255));
        assert!(!s.contains(249));
        assert!(s.insert_code("FR"));
        assert!(!s.insert_code("XK"));
        assert_eq!(s.len(), 2);
        let last = u8::try_from(COUNTRIES.len() - 1).unwrap();
        assert!(s.insert(last));
        assert!(s.insert(0));
        assert_eq!(s.codes(), vec!["AD", "DE", "FR", "ZW"]);
    }

    #[test]
    fn set_algebra() {
        let a = set(&["DE", "FR", "IT"]);
        let b = set(&["FR", "US"]);
        assert_eq!(a.union(b), set(&["DE", "FR", "IT", "US"]));
        assert_eq!(a.intersection(b), set(&["FR"]));
        assert_eq!(a.difference(b), set(&["DE", "IT"]));
        assert_eq!(b.difference(a), set(&["US"]));
        assert!(a.intersection(b).is_subset(&a));
        assert!(!a.is_subset(&b));
        assert!(TerritorySet::empty().is_subset(&a));
        assert!(a.is_subset(&TerritorySet::worldwide()));
        assert!(a.is_subset(&a));
        // Nothing outside the table can appear through complement.
        assert_eq!(
            TerritorySet::worldwide()
                .difference(TerritorySet::empty())
                .len(),
            COUNTRIES.len()
        );
    }

    #[test]
    fn iter_and_codes_are_ascending() {
        let s = set(&["US", "AD", "CN", "ZW"]);
        let idx: Vec<u8> = s.iter().collect();
        assert_eq!(idx.len(), 4);
        assert!(idx.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s.codes(), vec!["AD", "CN", "US", "ZW"]);
        assert_eq!(TerritorySet::worldwide().iter().count(), COUNTRIES.len());
        let all: Vec<&str> = COUNTRIES.iter().map(|c| c.code).collect();
        assert_eq!(TerritorySet::worldwide().codes(), all);
    }

    #[test]
    fn describe_forms() {
        let w = TerritorySet::worldwide();
        assert_eq!(w.describe(), "worldwide");
        assert_eq!(TerritorySet::empty().describe(), "no territory");
        assert_eq!(TerritorySet::eu().describe(), "EU");
        assert_eq!(TerritorySet::eea().describe(), "EEA");
        assert_eq!(
            w.difference(set(&["RU", "CN"])).describe(),
            "worldwide except CN, RU"
        );
        let ten = set(&["AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR"]);
        assert_eq!(
            w.difference(ten).describe(),
            "worldwide except AD, AE, AF, AG, AI, AL, AM, AO, AQ, AR"
        );
        let eleven = ten.union(set(&["AS"]));
        assert!(w.difference(eleven).describe().ends_with("and 226 more"));
        assert_eq!(set(&["FR", "DE"]).describe(), "DE, FR");
        assert_eq!(set(&["US"]).describe(), "US");
        let eu_plus_ch = TerritorySet::eu().union(set(&["CH"]));
        assert_eq!(
            eu_plus_ch.describe(),
            "AT, BE, BG, CH, CY, CZ, DE, DK, EE, ES, FI, FR and 16 more"
        );
        let twelve = set(&[
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
        ]);
        assert_eq!(
            twelve.describe(),
            "AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR"
        );
    }

    /// A compact text reads back as the set it was made from, over sets of every
    /// shape (near a base, far from all, with groups), and a text naming no group or
    /// an unknown code is an error, not some other set.
    #[test]
    fn compact_text_reads_back() {
        let groups = vec![
            ("nordics".to_string(), set(&["DK", "FI", "IS", "NO", "SE"])),
            ("DE".to_string(), set(&["FR"])),
        ];
        let w = TerritorySet::worldwide();
        let mut seed: u64 = 0x5EED;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut read = 0;
        for round in 0..3000 {
            let base = match round % 5 {
                0 => TerritorySet::empty(),
                1 => w,
                2 => TerritorySet::eu(),
                3 => TerritorySet::eea(),
                _ => groups[0].1,
            };
            let mut s = base;
            for _ in 0..(next() % 6) {
                let i = u8::try_from(next() % COUNTRIES.len() as u64).unwrap();
                if next() % 2 == 0 {
                    s.insert(i);
                } else {
                    s = s.difference({
                        let mut one = TerritorySet::empty();
                        one.insert(i);
                        one
                    });
                }
            }
            let Some(c) = Compact::of(s, &groups) else {
                assert!(s.is_empty());
                continue;
            };
            let text = c.text();
            // The group named `DE` makes the country `DE` alone ambiguous: the
            // writer sees that it does not read back, and lists the countries.
            if text == "DE" || text.starts_with("DE + ") || text.starts_with("DE except ") {
                continue;
            }
            assert_eq!(Compact::parse(&text, &groups), Ok(s), "{text}");
            read += 1;
        }
        assert!(read > 2500, "{read}");
        assert_eq!(Compact::parse("DE", &groups), Ok(set(&["FR"])));
        assert_eq!(
            Compact::parse("nordics + GB except IS", &groups),
            Ok(set(&["DK", "FI", "NO", "SE", "GB"]))
        );
        for bad in [
            "",
            "XX",
            "mars + DE",
            "EU except ZZ",
            "DE,FR",
            "DE, FR,",
            "DE,  FR",
            "DE ,FR",
            "DE, ",
        ] {
            assert!(Compact::parse(bad, &groups).is_err(), "{bad}");
        }
    }
}
