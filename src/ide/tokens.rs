//! Semantic tokens: every keyword, literal and comment of a file, and every name
//! classified by what it resolves to.

use super::index::SymbolKind;
use super::Analysis;
use crate::source::FileId;
use crate::syntax::token::Token;

/// What a token is, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    String,
    Number,
    Date,
    Percent,
    Comment,
    Operator,
    Party,
    Asset,
    Field,
    Group,
    /// An ISO country code, `worldwide`, `EU` or `EEA`.
    Country,
    Grant,
    Reservation,
    /// reach (issue 15/20): a standard's name.
    Standard,
}

/// One classified token: `[start, end)` in bytes (it may span lines: a block comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
    /// The name is declared here.
    pub declaration: bool,
    /// A built-in: `worldwide`, `EU`, `EEA`.
    pub builtin: bool,
}

fn of_symbol(kind: SymbolKind) -> TokenKind {
    match kind {
        SymbolKind::Party | SymbolKind::Affiliate => TokenKind::Party,
        SymbolKind::Asset => TokenKind::Asset,
        SymbolKind::Field => TokenKind::Field,
        SymbolKind::Group => TokenKind::Group,
        SymbolKind::Grant => TokenKind::Grant,
        SymbolKind::Reservation => TokenKind::Reservation,
        SymbolKind::Standard => TokenKind::Standard,
    }
}

/// The tokens of a file in source order; names that resolve to nothing are left out.
pub fn semantic_tokens(analysis: &Analysis, file: FileId) -> Vec<SemanticToken> {
    let text = analysis.text(file);
    let lexed = super::lex(file, text);
    let mut out = Vec::new();
    let index = &analysis.index();
    let mut occurrences = index
        .occurrences
        .iter()
        .filter(|o| o.span.file == file)
        .peekable();
    let mut territory = index
        .territory_names
        .iter()
        .filter(|t| t.span.file == file)
        .peekable();
    for &(start, tok, end) in &lexed.tokens {
        let (start, end) = (clamp(start), clamp(end));
        let mut push = |kind, declaration, builtin| {
            out.push(SemanticToken {
                start,
                end,
                kind,
                declaration,
                builtin,
            })
        };
        match tok {
            Token::Ident => {
                while occurrences.next_if(|o| o.span.start < start).is_some() {}
                while territory.next_if(|t| t.span.start < start).is_some() {}
                if let Some(o) = occurrences.next_if(|o| o.span.start == start) {
                    if let Some(s) = index.symbol(o.symbol) {
                        push(of_symbol(s.kind), o.is_decl, false);
                    }
                } else if let Some(t) = territory.next_if(|t| t.span.start == start) {
                    let builtin = matches!(t.name.as_str(), "EU" | "EEA");
                    push(TokenKind::Country, false, builtin);
                }
            }
            Token::Str(_) => push(TokenKind::String, false, false),
            Token::Number => push(TokenKind::Number, false, false),
            Token::Percent => push(TokenKind::Percent, false, false),
            Token::Date => push(TokenKind::Date, false, false),
            Token::Arrow | Token::Plus | Token::Eq => push(TokenKind::Operator, false, false),
            Token::KwWorldwide => push(TokenKind::Country, false, true),
            t if t.is_keyword() => push(TokenKind::Keyword, false, false),
            _ => {}
        }
    }
    for c in &lexed.comments {
        out.push(SemanticToken {
            start: c.span.start,
            end: c.span.end,
            kind: TokenKind::Comment,
            declaration: false,
            builtin: false,
        });
    }
    out.sort_by_key(|t| t.start);
    out
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
