//! Literal decoding for the grammar's actions: identifiers, strings (escapes), dates,
//! numbers and percentages, with E0008 for a malformed number and E0209 for one that
//! cannot be represented exactly.

use crate::diagnostics::{Code, Diagnostic};
use crate::name::Names;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use rust_decimal::Decimal;
use std::str::FromStr;

pub(super) fn text(src: &str, l: usize, r: usize) -> &str {
    src.get(l..r).unwrap_or("")
}

pub fn ident(file: FileId, src: &str, names: &Names, l: usize, r: usize) -> Ident {
    Ident {
        name: names.intern(text(src, l, r)),
        span: Span::new(file, l, r),
    }
}

/// Decodes a string literal: strips the quotes and processes `\"`, `\\`, `\n`, `\t`.
pub fn string(file: FileId, src: &str, l: usize, r: usize) -> StrLit {
    let raw = text(src, l, r);
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some(other) => value.push(other),
                None => value.push('\\'),
            }
        } else {
            value.push(c);
        }
    }
    StrLit {
        value,
        span: Span::new(file, l, r),
    }
}

pub fn date(file: FileId, src: &str, names: &Names, l: usize, r: usize) -> DateLit {
    DateLit {
        text: names.intern(text(src, l, r)),
        span: Span::new(file, l, r),
    }
}

/// Why a number literal was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not digits with single `_` separators and at most one decimal point (E0008);
    /// the reason is the label.
    Malformed(String),
    /// Larger than the largest number xlic represents, [`Decimal::MAX`] (E0209).
    TooLarge,
    /// More significant digits than can be represented exactly (E0209): rounding a
    /// rate or an amount would change what the contract says.
    TooPrecise,
}

/// Parses `1_000_000` or `2.5`; digit groups may be separated by single underscores.
/// The value is exact or refused: a number with more digits than a decimal holds (28
/// or 29 significant digits) is not rounded.
pub fn parse_decimal(raw: &str) -> Result<Decimal, NumberError> {
    match small_whole_number(raw) {
        Some(whole) => Ok(Decimal::from(whole)),
        None => parse_decimal_in_general(raw),
    }
}

fn parse_decimal_in_general(raw: &str) -> Result<Decimal, NumberError> {
    let malformed = |why: &str| Err(NumberError::Malformed(why.to_string()));
    if raw.contains("__") || raw.ends_with('_') || raw.contains("_.") || raw.contains("._") {
        return malformed("digit separators `_` must stand alone between digits");
    }
    if raw.matches('.').count() > 1 {
        return malformed("a number has at most one decimal point");
    }
    if raw.ends_with('.') {
        return malformed("a decimal point must be followed by digits");
    }
    let cleaned: String = raw.chars().filter(|&c| c != '_').collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if !whole.is_empty() && Decimal::from_str(whole).is_err() {
        return Err(NumberError::TooLarge);
    }
    let value = Decimal::from_str(&cleaned).map_err(|_| NumberError::TooPrecise)?;
    // The value written out again must be the digits given: `from_str` rounds digits
    // it cannot hold.
    let exact = match (whole.is_empty(), fraction.is_empty()) {
        (true, true) => "0".to_string(),
        (false, true) => whole.to_string(),
        (true, false) => format!("0.{fraction}"),
        (false, false) => format!("{whole}.{fraction}"),
    };
    if value.normalize().to_string() != exact {
        return Err(NumberError::TooPrecise);
    }
    Ok(value)
}

/// The common case of [`parse_decimal`] without its allocations: a whole number of at
/// most 18 digits, groups separated by single underscores (`90`, `1_000_000`). `None`
/// for anything else, which takes the general path.
fn small_whole_number(raw: &str) -> Option<u64> {
    let bytes = raw.as_bytes();
    if !bytes.first()?.is_ascii_digit() || bytes.last()? == &b'_' {
        return None;
    }
    let (mut value, mut digits, mut after_underscore) = (0u64, 0u32, false);
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(b - b'0');
                digits += 1;
                after_underscore = false;
            }
            b'_' if !after_underscore => after_underscore = true,
            _ => return None,
        }
        if digits > 18 {
            return None;
        }
    }
    Some(value)
}

pub fn number(
    file: FileId,
    src: &str,
    names: &Names,
    l: usize,
    r: usize,
    diags: &mut Vec<Diagnostic>,
) -> NumLit {
    let raw = text(src, l, r);
    let span = Span::new(file, l, r);
    let value = decimal_or_report(raw, span, diags);
    NumLit {
        text: names.intern(raw),
        value,
        span,
    }
}

pub fn percent(
    file: FileId,
    src: &str,
    names: &Names,
    l: usize,
    r: usize,
    diags: &mut Vec<Diagnostic>,
) -> PercentLit {
    let raw = text(src, l, r);
    let span = Span::new(file, l, r);
    let digits = raw.strip_suffix('%').unwrap_or(raw);
    let value = decimal_or_report(digits, span, diags);
    PercentLit {
        text: names.intern(raw),
        value,
        span,
    }
}

pub(super) fn decimal_or_report(
    raw: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let d = match parse_decimal(raw) {
        Ok(v) => return Some(v),
        Err(NumberError::Malformed(why)) => {
            Diagnostic::new(Code::E0008, format!("malformed number `{raw}`"), span)
                .with_label(why)
                .with_help("write digits with an optional decimal part, e.g. `1_000_000` or `2.5`")
        }
        Err(NumberError::TooLarge) => Diagnostic::new(
            Code::E0209,
            format!("`{raw}` is too large to be represented exactly"),
            span,
        )
        .with_label(format!("numbers are at most {}", Decimal::MAX))
        .with_help("state the amount in a larger unit, or split it"),
        Err(NumberError::TooPrecise) => Diagnostic::new(
            Code::E0209,
            format!("`{raw}` has more digits than can be represented exactly"),
            span,
        )
        .with_label("at most 28 or 29 significant digits")
        .with_help("round the number yourself to the precision the agreement means"),
    };
    diags.push(d);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_accept_grouping_and_reject_malformed() {
        assert_eq!(
            parse_decimal("1_000_000").ok(),
            Decimal::from_str("1000000").ok()
        );
        assert_eq!(parse_decimal("2.5").ok(), Decimal::from_str("2.5").ok());
        assert!(parse_decimal("1__000").is_err());
        assert!(parse_decimal("2.5.1").is_err());
        assert!(parse_decimal("1_").is_err());
        assert_eq!(
            parse_decimal("99999999999999999999999999999999999"),
            Err(NumberError::TooLarge)
        );
        assert_eq!(
            parse_decimal("1_000_000_000_000_000_000_000_000_000_000"),
            Err(NumberError::TooLarge)
        );
        // Rounded to 100 by the decimal type: refused, not accepted as 100%.
        assert_eq!(
            parse_decimal("100.0000000000000000000000000001"),
            Err(NumberError::TooPrecise)
        );
        assert_eq!(
            parse_decimal("0.00000000000000000000000000001"),
            Err(NumberError::TooPrecise)
        );
        // What fits is kept exactly, leading and trailing zeros aside.
        assert_eq!(
            parse_decimal("1.0000000000000000000000000001").map(|d| d.to_string()),
            Ok("1.0000000000000000000000000001".to_string())
        );
        assert_eq!(
            parse_decimal("79_228_162_514_264_337_593_543_950_335"),
            Ok(Decimal::MAX)
        );
        assert_eq!(parse_decimal("007.50").ok(), Decimal::from_str("7.5").ok());
        assert_eq!(parse_decimal("0.0").ok(), Some(Decimal::ZERO));
    }

    #[test]
    fn the_short_path_for_whole_numbers_agrees_with_the_general_one() {
        for raw in [
            "0",
            "7",
            "007",
            "90",
            "1_000_000",
            "0_1",
            "999_999_999_999_999_999",
            "1000000000000000000",
            "1__0",
            "1_",
            "12a",
            "",
        ] {
            let short = small_whole_number(raw).map(Decimal::from);
            let general = parse_decimal_in_general(raw);
            match short {
                Some(v) => assert_eq!(Ok(v.to_string()), general.map(|g| g.to_string()), "{raw}"),
                None => assert!(
                    general.is_err() || raw.len() > 18 || raw.is_empty(),
                    "{raw} should take the short path"
                ),
            }
        }
    }
}
