//! `textDocument/semanticTokens/full`: the library's classified tokens, split per line
//! and encoded relative to each other in UTF-16 units.

use crate::request::{self, guard};
use crate::state::Shared;
use tower_lsp::lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};
use xlic::ide::{self, TokenKind};
use xlic::source::LineIndex;

/// The token types, in legend order.
const TYPES: [&str; 12] = [
    "keyword",
    "string",
    "number",
    "comment",
    "operator",
    "class",
    "variable",
    "property",
    "enum",
    "enumMember",
    "function",
    "event",
];

/// The modifiers, in legend order (bit 0 first).
const MODIFIERS: [&str; 4] = ["declaration", "defaultLibrary", "date", "percent"];

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.iter().map(|t| SemanticTokenType::new(t)).collect(),
        token_modifiers: MODIFIERS
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

fn type_index(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Keyword => 0,
        TokenKind::String => 1,
        TokenKind::Number | TokenKind::Date | TokenKind::Percent => 2,
        TokenKind::Comment => 3,
        TokenKind::Operator => 4,
        TokenKind::Party => 5,
        TokenKind::Asset => 6,
        TokenKind::Field => 7,
        TokenKind::Group => 8,
        TokenKind::Country => 9,
        TokenKind::Grant => 10,
        TokenKind::Reservation => 11,
    }
}

fn modifiers(t: &ide::SemanticToken) -> u32 {
    let mut bits = 0;
    if t.declaration {
        bits |= 1;
    }
    if t.builtin {
        bits |= 2;
    }
    if t.kind == TokenKind::Date {
        bits |= 4;
    }
    if t.kind == TokenKind::Percent {
        bits |= 8;
    }
    bits
}

fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.chars().map(char::len_utf16).sum::<usize>()).unwrap_or(u32::MAX)
}

/// Encodes tokens (byte ranges of `text`) as the protocol's relative integers, one
/// token per line a range covers.
pub fn encode(text: &str, tokens: &[ide::SemanticToken]) -> Vec<SemanticToken> {
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for t in tokens {
        let end = (t.end as usize).min(text.len());
        let mut cur = (t.start as usize).min(end);
        while cur < end {
            let line = lines.line_of(u32::try_from(cur).unwrap_or(u32::MAX));
            let line_start = lines.line_start(line) as usize;
            let next = if line + 1 < lines.line_count() {
                lines.line_start(line + 1) as usize
            } else {
                text.len()
            };
            let piece_end = end.min(next);
            let piece = text
                .get(cur..piece_end)
                .unwrap_or("")
                .trim_end_matches(['\n', '\r']);
            let length = utf16_len(piece);
            if length > 0 {
                let line = u32::try_from(line).unwrap_or(u32::MAX);
                let col = utf16_len(text.get(line_start..cur).unwrap_or(""));
                let delta_line = line.saturating_sub(prev_line);
                let delta_start = if delta_line == 0 {
                    col.saturating_sub(prev_col)
                } else {
                    col
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length,
                    token_type: type_index(t.kind),
                    token_modifiers_bitset: modifiers(t),
                });
                prev_line = line;
                prev_col = col;
            }
            if next <= cur {
                break;
            }
            cur = next;
        }
    }
    out
}

pub async fn semantic_tokens(
    shared: &Shared,
    params: SemanticTokensParams,
) -> Option<SemanticTokensResult> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let tokens = guard(|| ide::semantic_tokens(&ctx.an.analysis, ctx.file)).unwrap_or_default();
    let data = guard(|| encode(ctx.text(), &tokens)).unwrap_or_default();
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}
