//! English, written once: the words every output that speaks English uses (the prose
//! of `xlic build --emit markdown|html|docx`, hovers, the portfolio report). Lists,
//! enumerations and clause numbering here; dates, money, places, the names of parties,
//! assets and fields, and the words of the language's vocabulary in the submodules.
//!
//! Conventions: dates long-form ("1 January 2026"); a half-open term `[start, end)` is
//! said with its last included day ("ending on 31 December 2030"); money as
//! "USD 1,000,000" (code first, integer part grouped, decimals kept exactly as
//! written); lists joined in English ("Germany, Austria and Switzerland"); countries by
//! their short English names, sorted by name.

mod dates;
mod money;
mod names;
mod obligations;
mod places;
#[cfg(test)]
mod tests;
mod vocab;

pub use dates::*;
pub use money::*;
pub use names::*;
pub use obligations::*;
pub use places::*;
pub use vocab::*;

/// Joins items the way English does: "", "A", "A and B", "A, B and C".
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

/// Like [`join_list`] with another conjunction ("or").
pub fn join_with<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", head.join(", "), last.as_ref())
        }
    }
}

/// "a", "b", …, "z", "aa", "ab", …
pub(crate) fn letter(i: usize) -> String {
    let alphabet: Vec<char> = ('a'..='z').collect();
    let mut n = i;
    let mut out = Vec::new();
    loop {
        out.push(alphabet.get(n % 26).copied().unwrap_or('z'));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Items as an enumeration: one item as it is; several as "(i) a; (ii) b and (iii) c",
/// with semicolons, since the items have commas of their own.
pub(crate) fn enumerate_items(items: &[String]) -> String {
    enumerate_with(items, "and")
}

pub(crate) fn enumerate_with(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ => {
            let n = items.len();
            let mut s = String::new();
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    s.push_str("; ");
                }
                if k > 0 && k + 1 == n {
                    s.push_str(conjunction);
                    s.push(' ');
                }
                s.push_str(&format!("({}) {item}", roman(k + 1)));
            }
            s
        }
    }
}

/// Lower-case roman numerals, for sub-items.
pub(crate) fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// An identifier as words: `accrued_royalties` → "accrued royalties".
pub fn humanise(id: &str) -> String {
    id.split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An identifier as a title: `acme_motion` → "Acme Motion".
pub fn title_case(id: &str) -> String {
    humanise(id)
        .split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn article_for(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}
