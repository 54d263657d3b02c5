//! Editing helpers: selection ranges (expand selection), document highlights and
//! range formatting.

use super::actions::TextEdit;
use super::Analysis;
use crate::source::{FileId, Span};
use crate::syntax::token::Token;

/// The ranges "expand selection" steps through at `offset`, innermost first: the
/// word, the attribute's line, the inside of each enclosing `{ … }` or `[ … ]` and the
/// brackets with it, the whole top-level item, the whole file. Each range contains the
/// one before it and is larger.
pub fn selection_ranges(analysis: &Analysis, file: FileId, offset: u32) -> Vec<Span> {
    let text = analysis.text(file);
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let offset = offset.min(len);
    let lexed = analysis.lexed(file);
    let mut out: Vec<(u32, u32)> = Vec::new();
    // The token (or comment) under the cursor.
    let token = lexed
        .tokens
        .iter()
        .map(|&(s, _, e)| (s as u32, e as u32))
        .chain(lexed.comments.iter().map(|c| (c.span.start, c.span.end)))
        .filter(|&(s, e)| s <= offset && offset <= e)
        .min_by_key(|&(s, e)| (e - s, s));
    if let Some(t) = token {
        out.push(t);
    }
    // The line's text, without its indentation and line end.
    let line_start = text
        .get(..offset as usize)
        .and_then(|b| b.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(offset as usize..)
        .and_then(|a| a.find(['\n', '\r']))
        .map_or(text.len(), |i| offset as usize + i);
    let line = text.get(line_start..line_end).unwrap_or("");
    let indent = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    if !trimmed.is_empty() {
        let s = u32::try_from(line_start + indent).unwrap_or(len);
        out.push((s, s + u32::try_from(trimmed.len()).unwrap_or(0)));
    }
    // Enclosing brackets, innermost first.
    let mut open: Vec<(u32, u32)> = Vec::new();
    let mut enclosing: Vec<(u32, u32)> = Vec::new();
    for &(s, t, e) in &lexed.tokens {
        let (s, e) = (s as u32, e as u32);
        match t {
            Token::LBrace | Token::LBracket => open.push((s, e)),
            Token::RBrace | Token::RBracket => {
                if let Some((os, oe)) = open.pop() {
                    if os < offset && offset < e {
                        enclosing.push((os, e));
                        if oe <= s {
                            enclosing.push(inner(text, oe, s));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    enclosing.sort_by_key(|&(s, e)| e - s);
    out.extend(enclosing);
    // The top-level item.
    if let Some(ast) = analysis.ast(file) {
        if let Some(item) = ast
            .items()
            .map(crate::syntax::ast::Item::span)
            .find(|sp| sp.start <= offset && offset <= sp.end)
        {
            out.push((item.start, item.end));
        }
    }
    out.push((0, len));
    // Keep a chain of strictly growing ranges, each containing the one before.
    let mut chain: Vec<(u32, u32)> = Vec::new();
    for r in out {
        let grows = chain
            .last()
            .is_none_or(|&(s, e)| r.0 <= s && e <= r.1 && (r.0, r.1) != (s, e));
        if grows && r.0 <= offset && offset <= r.1 {
            chain.push(r);
        }
    }
    chain
        .into_iter()
        .map(|(s, e)| Span::new(file, s as usize, e as usize))
        .collect()
}

/// The inside of a bracket pair, without the white space next to the brackets.
fn inner(text: &str, after_open: u32, before_close: u32) -> (u32, u32) {
    let body = text
        .get(after_open as usize..before_close as usize)
        .unwrap_or("");
    let lead = body.len() - body.trim_start().len();
    let trail = body.len() - body.trim_end().len();
    let s = after_open + u32::try_from(lead).unwrap_or(0);
    let e = before_close - u32::try_from(trail).unwrap_or(0);
    if s <= e {
        (s, e)
    } else {
        (after_open, before_close)
    }
}

/// One place a name is highlighted: its span, and whether it is the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub span: Span,
    pub is_decl: bool,
}

/// Every occurrence in `file` of the name at `offset` (declaration and uses).
pub fn highlights(analysis: &Analysis, file: FileId, offset: u32) -> Vec<Highlight> {
    let Some(occ) = analysis.index().at(file, offset) else {
        return Vec::new();
    };
    let mut out: Vec<Highlight> = analysis
        .index()
        .occurrences_of(occ.symbol)
        .into_iter()
        .filter(|o| o.span.file == file)
        .map(|o| Highlight {
            span: o.span,
            is_decl: o.is_decl,
        })
        .collect();
    out.sort_by_key(|h| h.span.start);
    out
}

/// The edits that format the lines of `text` that the byte range `start..end` touches
/// as `xlic fmt` would, leaving the rest alone: the formatter only changes the
/// white space (and comment placement) between tokens, so each gap between two
/// tokens that meets the range is replaced by its formatted counterpart. `None` when
/// the text does not parse; an empty list when the range is already formatted.
pub fn format_range(file: FileId, text: &str, start: u32, end: u32) -> Option<Vec<TextEdit>> {
    let formatted = crate::fmt::format_source(text).ok()?;
    let old = super::lex(FileId(0), text);
    let new = super::lex(FileId(0), &formatted);
    let same_tokens = old.tokens.len() == new.tokens.len()
        && old
            .tokens
            .iter()
            .zip(&new.tokens)
            .all(|(&(a, ta, b), &(c, tc, d))| ta == tc && text.get(a..b) == formatted.get(c..d));
    if !same_tokens {
        return None;
    }
    // Gap i lies before token i; the last gap runs to the end of the text.
    let gaps = |tokens: &[(usize, Token, usize)], len: usize| -> Vec<(usize, usize)> {
        let mut prev = 0;
        let mut out: Vec<(usize, usize)> = tokens
            .iter()
            .map(|&(s, _, e)| {
                let gap = (prev, s);
                prev = e;
                gap
            })
            .collect();
        out.push((prev, len));
        out
    };
    let old_gaps = gaps(&old.tokens, text.len());
    let new_gaps = gaps(&new.tokens, formatted.len());
    // Whole lines: from the start of the range's first line to the end of its last.
    let (start, end) = (
        (start as usize).min(text.len()),
        (end as usize).min(text.len()),
    );
    let start = text
        .get(..start)
        .and_then(|b| b.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1);
    let end = text
        .get(end..)
        .and_then(|a| a.find(['\n', '\r']))
        .map_or(text.len(), |i| end + i);
    Some(
        old_gaps
            .iter()
            .zip(&new_gaps)
            .filter(|((a, b), _)| *a <= end && start <= *b)
            .filter_map(|(&(a, b), &(c, d))| {
                let now = text.get(a..b)?;
                let then = formatted.get(c..d)?;
                (now != then).then(|| TextEdit {
                    span: Span::new(file, a, b),
                    new_text: then.to_string(),
                })
            })
            .collect(),
    )
}
