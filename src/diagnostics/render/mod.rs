//! Renderers for diagnostics: rich reports for people, one-line short form, JSON Lines
//! and GitLab Code Quality.
//!
//! Every renderer takes spans as they come: an empty span, a span past the end of its
//! file, a span that cuts a UTF-8 character or one in a file the [`SourceMap`] does not
//! hold is clamped or degraded, never a panic. Output depends only on the inputs.

use std::ops::Range;

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};

// ---------------------------------------------------------------- span clamping

/// Moves a byte offset into `text` and back onto the start of the character it is in.
fn floor_offset(text: &str, offset: u32) -> usize {
    let mut i = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves a byte offset into `text` and forward onto the end of the character it is in.
fn ceil_offset(text: &str, offset: u32) -> usize {
    let mut i = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A span's byte range inside its file: within the text, on character boundaries and
/// never inverted.
pub(crate) fn clamp_range(text: &str, span: Span) -> Range<usize> {
    let start = floor_offset(text, span.start);
    let end = ceil_offset(text, span.end).max(start);
    start..end
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a span lies, resolved against the source map.
struct Place<'a> {
    file: &'a str,
    start: u32,
    end: u32,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn place<'a>(span: Span, sources: &'a SourceMap) -> Place<'a> {
    match sources.get(span.file) {
        Some(f) => {
            let range = clamp_range(&f.text, span);
            let start = f.lines.line_col(&f.text, to_u32(range.start));
            let end = f.lines.line_col(&f.text, to_u32(range.end));
            Place {
                file: f.name.as_str(),
                start: to_u32(range.start),
                end: to_u32(range.end),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        }
        None => Place {
            file: sources.name(span.file),
            start: span.start,
            end: span.end.max(span.start),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

// ---------------------------------------------------------------- terminal safety

use crate::source::is_unsafe_char;

/// Text for a terminal: every unsafe character (see above) written as an escape such as
/// `\u{1b}`; `keep` lists the controls that stay (a message's line breaks and tabs).
fn escape_with<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    if !text
        .chars()
        .any(|c| is_unsafe_char(c) && !keep.contains(&c))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) && !keep.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A message, label, help or note for a terminal: control characters escaped, line
/// breaks and tabs kept.
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    escape_with(text, &['\n', '\t'])
}

/// A file name for a terminal: every control character escaped, line breaks included.
pub fn escape_name(name: &str) -> std::borrow::Cow<'_, str> {
    escape_with(name, &[])
}

/// The one character a source snippet shows in place of an unsafe one, so that columns
/// and label positions stay where they are: a control picture (`␛` for ESC) for C0
/// controls and DEL, `�` for the rest. Tabs stay; line ends are not passed here.
fn snippet_char(c: char) -> char {
    match u32::from(c) {
        n @ 0..=0x1F if c != '\t' => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ if c != '\t' && is_unsafe_char(c) => '\u{FFFD}',
        _ => c,
    }
}

// ---------------------------------------------------------------- summary

/// A count of problems such as `2 errors, 1 warning`, or `no problems`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let count = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => count(e, "error"),
        (0, w) => count(w, "warning"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    }
}

mod gitlab;
mod human;
mod json;
mod short;

pub use gitlab::{gitlab_severity, render_gitlab};
pub use human::{render_human, MAX_SNIPPET_LINE_BYTES};
pub use json::{render_json_lines, to_json};
pub use short::render_short;

#[cfg(test)]
mod tests;
