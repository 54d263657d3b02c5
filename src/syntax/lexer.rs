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
    let mut lexer = Lexer::new(file, src, max_nesting);
    let tokens: Vec<SpannedToken> = lexer.by_ref().collect();
    let mut out = lexer.finish(diags);
    out.tokens = tokens;
    out
}

/// The lexer as a stream of tokens, for a reader that may stop early (the parser, past
/// its error limit): nothing is lexed before it is asked for. Comments, the braces
/// still open and the diagnostics are collected on the way; [`Lexer::finish`] hands
/// them over.
pub struct Lexer<'s> {
    file: FileId,
    src: &'s str,
    inner: logos::Lexer<'s, Token>,
    max_nesting: usize,
    /// A run of invalid characters not reported yet.
    bad: Option<(usize, usize)>,
    bad_count: usize,
    depth: usize,
    /// While skipping an over-deep region: the depth at which skipping stops.
    skipping: Option<usize>,
    comments: Vec<Comment>,
    unclosed: Vec<usize>,
    diags: Vec<Diagnostic>,
    /// Where the last token handed out ends.
    end: usize,
}

impl<'s> Lexer<'s> {
    pub fn new(file: FileId, src: &'s str, max_nesting: usize) -> Lexer<'s> {
        Lexer {
            file,
            src,
            inner: Token::lexer(src),
            max_nesting,
            bad: None,
            bad_count: 0,
            depth: 0,
            skipping: None,
            comments: Vec::new(),
            unclosed: Vec::new(),
            diags: Vec::new(),
            end: 0,
        }
    }

    /// Where the last token handed out ends (0 before the first).
    pub fn offset(&self) -> usize {
        self.end
    }

    /// The comments and open braces met so far (no tokens), with the diagnostics moved
    /// into `diags`.
    pub fn finish(mut self, diags: &mut Vec<Diagnostic>) -> Lexed {
        if let Some(prev) = self.bad.take() {
            report_bad(
                self.file,
                self.src,
                prev,
                &mut self.bad_count,
                &mut self.diags,
            );
        }
        if self.bad_count > MAX_CHAR_ERRORS {
            let extra = self.bad_count - MAX_CHAR_ERRORS;
            self.diags.push(
                Diagnostic::new(
                    Code::E0001,
                    format!("{extra} more runs of invalid characters not shown"),
                    Span::new(self.file, self.src.len(), self.src.len()),
                )
                .with_help("is this really an .xlic file?"),
            );
        }
        diags.append(&mut self.diags);
        Lexed {
            tokens: Vec::new(),
            comments: self.comments,
            unclosed: self.unclosed,
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = SpannedToken;

    fn next(&mut self) -> Option<SpannedToken> {
        let file = self.file;
        let src = self.src;
        while let Some(result) = self.inner.next() {
            let range = self.inner.span();
            let token = match result {
                Ok(t) => t,
                Err(_) => {
                    let end = next_char_boundary(src, range.end.max(range.start + 1));
                    self.bad = Some(match self.bad {
                        Some((s, e)) if e == range.start => (s, end),
                        Some(prev) => {
                            report_bad(file, src, prev, &mut self.bad_count, &mut self.diags);
                            (range.start, end)
                        }
                        None => (range.start, end),
                    });
                    continue;
                }
            };
            if let Some(prev) = self.bad.take() {
                report_bad(file, src, prev, &mut self.bad_count, &mut self.diags);
            }
            match token {
                Token::LineComment => {
                    self.comments.push(Comment {
                        span: Span::new(file, range.start, range.end),
                        block: false,
                    });
                    continue;
                }
                Token::BlockComment(closed) => {
                    let span = Span::new(file, range.start, range.end);
                    if !closed {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E0002,
                                "unterminated block comment",
                                Span::new(file, range.start, range.start + 2),
                            )
                            .with_label("comment opened here is never closed")
                            .with_help("close the comment with `*/`"),
                        );
                    }
                    self.comments.push(Comment { span, block: true });
                    continue;
                }
                Token::Str(false) => self.diags.push(
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
            if let Some(stop) = self.skipping {
                if opens {
                    self.depth += 1;
                } else if closes {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == stop {
                        self.skipping = None;
                    }
                }
                continue;
            }
            if opens {
                if self.depth >= self.max_nesting {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0006,
                            format!("nesting deeper than {} levels", self.max_nesting),
                            Span::new(file, range.start, range.end),
                        )
                        .with_label("this block is too deeply nested and was skipped")
                        .with_help("flatten the structure; no real agreement needs this depth"),
                    );
                    self.skipping = Some(self.depth);
                    self.depth += 1;
                    continue;
                }
                self.depth += 1;
                self.unclosed.push(range.start);
            } else if closes {
                self.depth = self.depth.saturating_sub(1);
                self.unclosed.pop();
            }
            self.end = range.end;
            return Some((range.start, token, range.end));
        }
        None
    }
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
