//! Turns source text into the token stream the parser reads: comments split off as
//! trivia, bad characters and unterminated literals reported, runaway nesting cut off.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::Comment;
use crate::syntax::token::Token;
use logos::Logos;

/// Braces and brackets may nest this deep; deeper parts are skipped with E0006.
pub const MAX_NESTING: usize = crate::limits::DEFAULT_MAX_NESTING;

/// At most this many invalid-character diagnostics are reported per file.
const MAX_CHAR_ERRORS: usize = 50;

/// The lexer never hands an error to the parser: problems become diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexError {}

/// A token with its byte range.
pub type SpannedToken = (usize, Token, usize);

/// The result of lexing one file.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    pub tokens: Vec<SpannedToken>,
    pub comments: Vec<Comment>,
    /// Byte offsets of the `{` and `[` still open at the end of the file, outermost first.
    pub unclosed: Vec<usize>,
}

/// Lexes `src`, reporting problems into `diags`.
pub fn lex(file: FileId, src: &str, diags: &mut Vec<Diagnostic>) -> Lexed {
    lex_with(file, src, MAX_NESTING, diags)
}

/// Like [`lex`], with braces and brackets nested deeper than `max_nesting` skipped
/// (E0006).
pub fn lex_with(file: FileId, src: &str, max_nesting: usize, diags: &mut Vec<Diagnostic>) -> Lexed {
    let mut out = Lexed::default();
    let mut lexer = Token::lexer(src);
    let mut bad: Option<(usize, usize)> = None;
    let mut bad_count = 0usize;
    let mut depth = 0usize;
    // While skipping an over-deep region: the depth at which skipping stops.
    let mut skipping: Option<usize> = None;

    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let token = match result {
            Ok(t) => t,
            Err(_) => {
                let end = next_char_boundary(src, range.end.max(range.start + 1));
                bad = Some(match bad {
                    Some((s, e)) if e == range.start => (s, end),
                    Some(prev) => {
                        report_bad(file, src, prev, &mut bad_count, diags);
                        (range.start, end)
                    }
                    None => (range.start, end),
                });
                continue;
            }
        };
        if let Some(prev) = bad.take() {
            report_bad(file, src, prev, &mut bad_count, diags);
        }
        match token {
            Token::LineComment => {
                out.comments.push(Comment {
                    span: Span::new(file, range.start, range.end),
                    block: false,
                });
                continue;
            }
            Token::BlockComment(closed) => {
                let span = Span::new(file, range.start, range.end);
                if !closed {
                    diags.push(
                        Diagnostic::new(
                            Code::E0002,
                            "unterminated block comment",
                            Span::new(file, range.start, range.start + 2),
                        )
                        .with_label("comment opened here is never closed")
                        .with_help("close the comment with `*/`"),
                    );
                }
                out.comments.push(Comment { span, block: true });
                continue;
            }
            Token::Str(false) => diags.push(
                Diagnostic::new(
                    Code::E0002,
                    "unterminated string",
                    Span::new(file, range.start, range.end),
                )
                .with_label("string opened here is not closed on this line")
                .with_help("add the closing `\"`"),
            ),
            _ => {}
        }

        let opens = matches!(token, Token::LBrace | Token::LBracket);
        let closes = matches!(token, Token::RBrace | Token::RBracket);
        if let Some(stop) = skipping {
            if opens {
                depth += 1;
            } else if closes {
                depth = depth.saturating_sub(1);
                if depth == stop {
                    skipping = None;
                }
            }
            continue;
        }
        if opens {
            if depth >= max_nesting {
                diags.push(
                    Diagnostic::new(
                        Code::E0006,
                        format!("nesting deeper than {max_nesting} levels"),
                        Span::new(file, range.start, range.end),
                    )
                    .with_label("this block is too deeply nested and was skipped")
                    .with_help("flatten the structure; no real agreement needs this depth"),
                );
                skipping = Some(depth);
                depth += 1;
                continue;
            }
            depth += 1;
            out.unclosed.push(range.start);
        } else if closes {
            depth = depth.saturating_sub(1);
            out.unclosed.pop();
        }
        out.tokens.push((range.start, token, range.end));
    }
    if let Some(prev) = bad.take() {
        report_bad(file, src, prev, &mut bad_count, diags);
    }
    if bad_count > MAX_CHAR_ERRORS {
        let extra = bad_count - MAX_CHAR_ERRORS;
        diags.push(
            Diagnostic::new(
                Code::E0001,
                format!("{extra} more runs of invalid characters not shown"),
                Span::new(file, src.len(), src.len()),
            )
            .with_help("is this really an .xlic file?"),
        );
    }
    out
}

fn next_char_boundary(src: &str, mut i: usize) -> usize {
    while i < src.len() && !src.is_char_boundary(i) {
        i += 1;
    }
    i.min(src.len())
}

fn report_bad(
    file: FileId,
    src: &str,
    (start, end): (usize, usize),
    count: &mut usize,
    diags: &mut Vec<Diagnostic>,
) {
    *count += 1;
    if *count > MAX_CHAR_ERRORS {
        return;
    }
    let text = src.get(start..end).unwrap_or("");
    let shown: String = text.chars().take(20).flat_map(char::escape_debug).collect();
    let (message, help) = if text.starts_with('-') {
        (
            format!("unexpected `{shown}`"),
            "`-` is only part of `->`, of dates and of keywords such as `non-exclusive`"
                .to_string(),
        )
    } else if text.chars().count() == 1 {
        (
            format!("invalid character `{shown}`"),
            "names use ASCII letters, digits and `_`; put other text in a \"string\"".to_string(),
        )
    } else {
        (
            format!("invalid characters `{shown}`"),
            "names use ASCII letters, digits and `_`; put other text in a \"string\"".to_string(),
        )
    };
    diags.push(
        Diagnostic::new(Code::E0001, message, Span::new(file, start, end))
            .with_label("not part of any token")
            .with_help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> (Vec<Token>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let l = lex(FileId(0), src, &mut d);
        (l.tokens.iter().map(|t| t.1).collect(), d)
    }

    #[test]
    fn hyphenated_keywords_and_literals() {
        let (t, d) = kinds("non-exclusive royalty-free 2.5% 2026-01-01 1_000 \"a\" know-how");
        assert!(d.is_empty());
        assert_eq!(
            t,
            vec![
                Token::KwNonExclusive,
                Token::KwRoyaltyFree,
                Token::Percent,
                Token::Date,
                Token::Number,
                Token::Str(true),
                Token::KwKnowHow
            ]
        );
    }

    #[test]
    fn comments_are_trivia() {
        let mut d = Vec::new();
        let l = lex(FileId(0), "a // one\n/* two */ b", &mut d);
        assert_eq!(l.tokens.len(), 2);
        assert_eq!(l.comments.len(), 2);
    }

    #[test]
    fn bad_characters_are_merged_and_reported() {
        let (t, d) = kinds("a §§ b é");
        assert_eq!(t, vec![Token::Ident, Token::Ident]);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|x| x.code == Code::E0001));
    }

    #[test]
    fn unterminated_string_and_comment() {
        let (_, d) = kinds("\"abc\nx /* y");
        let codes: Vec<_> = d.iter().map(|x| x.code).collect();
        assert_eq!(codes, vec![Code::E0002, Code::E0002]);
    }

    #[test]
    fn deep_nesting_is_cut() {
        let src = format!("{}{}", "{".repeat(200), "}".repeat(200));
        let (t, d) = kinds(&src);
        assert_eq!(t.len(), 2 * MAX_NESTING);
        assert_eq!(d.len(), 1);
        assert_eq!(d.first().map(|x| x.code), Some(Code::E0006));
    }
}
