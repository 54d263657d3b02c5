//! Reference tables from ISO standards (countries, currencies) and the edit-distance "did you mean" helper.

pub mod countries;
pub mod currencies;

pub use countries::{country_by_index, country_index, country_name, Country, COUNTRIES, EEA, EU};
pub use currencies::{currency, Currency, CURRENCIES};

/// The date that [`COUNTRIES`], [`CURRENCIES`], [`EU`] and [`EEA`] reflect.
///
/// Sources: the ISO 3166 Maintenance Agency's list of officially assigned
/// alpha-2 codes, the ISO 4217 Maintenance Agency's list one of current
/// currency codes, and the European Union's list of member countries on
/// europa.eu (with the EEA Agreement's three EFTA members added for the EEA).
pub const MEMBERSHIP_TABLES_DATE: &str = "2026-11-01";

/// The Levenshtein distance between `a` and `b`: the fewest single-character
/// insertions, deletions and substitutions turning one into the other.
/// Counts `char`s, is case-sensitive, takes O(n·m) time and O(m) memory.
pub fn edit_distance(a: &str, b: &str) -> usize {
    distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`; it stops as soon as every
/// entry of a row exceeds the limit (most candidates are rejected after a few
/// characters).
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        let mut smallest = left;
        for (cell, cb) in row.iter_mut().skip(1).zip(&b) {
            let above = *cell;
            let value = (above + 1)
                .min(left + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
            *cell = value;
            left = value;
            smallest = smallest.min(value);
        }
        if smallest > limit {
            return None;
        }
    }
    row.last().copied().filter(|&d| d <= limit)
}

/// Words longer than this many characters get no "did you mean" suggestion.
pub const MAX_SUGGESTION_CHARS: usize = 64;

/// The candidate nearest to `word` by [`edit_distance`], for "did you mean"
/// hints. Only a candidate at distance at most `max(1, chars(word) / 3)` is
/// returned; among equally near candidates the one that sorts first wins, so
/// the answer does not depend on the candidates' order.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A quarter of the length: close enough to be a typo, not a different name that
    // shares a prefix (`acme_vision` is not `acme_motion`).
    let chars = word.chars().count();
    // A very long word is no typo of a name, and comparing it costs its length squared.
    if chars > MAX_SUGGESTION_CHARS {
        return None;
    }
    let limit = (chars / 4).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip without computing it.
        .filter(|candidate| {
            candidate
                .chars()
                .take(chars + limit + 1)
                .count()
                .abs_diff(chars)
                <= limit
        })
        .map(|candidate| {
            let shared = word
                .chars()
                .zip(candidate.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (
                distance_within(word, candidate, limit),
                std::cmp::Reverse(shared),
                candidate,
            )
        })
        .filter_map(|(distance, shared, candidate)| Some((distance?, shared, candidate)))
        .min()
        .map(|(_, _, candidate)| candidate)
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

    #[test]
    fn a_bounded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "acme",
            "acme_motion",
            "acme_vision",
            "globex",
            "globx",
            "kitten",
            "sitting",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for limit in 0..6 {
                    let want = (full <= limit).then_some(full);
                    assert_eq!(distance_within(a, b, limit), want, "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("sitting", "kitten"), 3);
        assert_eq!(edit_distance("flaw", "lawn"), 2);
        assert_eq!(edit_distance("globx", "globex"), 1);
        assert_eq!(edit_distance("Acme", "acme"), 1);
        assert_eq!(edit_distance("Türkiye", "Turkiye"), 1);
    }

    #[test]
    fn closest_suggestions() {
        assert_eq!(closest("globx", ["globex", "acme"]), Some("globex"));
        assert_eq!(closest("zzz", ["globex"]), None);
        assert_eq!(closest("x", std::iter::empty()), None);
        // Ties go to the candidate that sorts first, whatever the order.
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(closest("ab", ["aa", "ac"]), Some("aa"));
        // The limit grows with the word: 8 chars allow 2 edits, not 3; a long shared
        // prefix does not make a different name a typo.
        assert_eq!(closest("licensse", ["licensee"]), Some("licensee"));
        assert_eq!(closest("licensee1", ["licensor"]), None);
        assert_eq!(closest("acme_vision", ["acme_motion"]), None);
        // Among equally close names, the one sharing the longest prefix wins.
        assert_eq!(closest("USX", ["UGX", "USD"]), Some("USD"));
        assert_eq!(closest("DE", COUNTRIES.iter().map(|c| c.code)), Some("DE"));
    }

    #[test]
    fn date_is_iso() {
        assert_eq!(MEMBERSHIP_TABLES_DATE.len(), 10);
    }
}
