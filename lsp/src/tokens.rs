//! `textDocument/semanticTokens/full`, `/full/delta` and `/range`: the library's
//! classified tokens, split per line and encoded relative to each other in UTF-16
//! units. Each full answer has a result id; a delta request naming the last one gets
//! the one edit that turns the old tokens into the new (the unchanged tokens before
//! and after the change are kept).

use crate::request::{self, guard};
use crate::state::lock;
use crate::state::Shared;
use tower_lsp::lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensDelta,
    SemanticTokensDeltaParams, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensLegend, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, Url,
};
use xlic::ide::{self, TokenKind};
use xlic::source::LineIndex;

/// The token types, in legend order.
const TYPES: [&str; 13] = [
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
    // reach (issue 15/20): standards
    "interface",
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
        TokenKind::Standard => 12,
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

/// The encoded tokens of a document as analysed now, with only the tokens that meet
/// the byte range `within` when one is given.
async fn tokens_of(
    shared: &Shared,
    uri: &Url,
    within: Option<tower_lsp::lsp_types::Range>,
) -> Option<Vec<SemanticToken>> {
    let ctx = request::at(shared, uri).await?;
    let mut tokens = guard(|| ide::semantic_tokens(&ctx.an.analysis, ctx.file)).unwrap_or_default();
    if let Some(range) = within {
        let (start, end) = (ctx.offset(range.start), ctx.offset(range.end));
        tokens.retain(|t| t.end > start && t.start < end);
    }
    Some(guard(|| encode(ctx.text(), &tokens)).unwrap_or_default())
}

/// Keeps a full answer for the next delta request; returns its result id.
fn remember(shared: &Shared, uri: &Url, data: &[SemanticToken]) -> String {
    let mut cache = lock(&shared.semantic_tokens);
    cache.next_id += 1;
    let id = cache.next_id.to_string();
    cache
        .by_uri
        .insert(uri.clone(), (id.clone(), data.to_vec()));
    id
}

pub async fn semantic_tokens(
    shared: &Shared,
    params: SemanticTokensParams,
) -> Option<SemanticTokensResult> {
    let uri = params.text_document.uri;
    let data = tokens_of(shared, &uri, None).await?;
    let id = remember(shared, &uri, &data);
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: Some(id),
        data,
    }))
}

pub async fn semantic_tokens_delta(
    shared: &Shared,
    params: SemanticTokensDeltaParams,
) -> Option<SemanticTokensFullDeltaResult> {
    let uri = params.text_document.uri;
    let data = tokens_of(shared, &uri, None).await?;
    let previous = lock(&shared.semantic_tokens)
        .by_uri
        .get(&uri)
        .filter(|(id, _)| *id == params.previous_result_id)
        .map(|(_, old)| old.clone());
    let id = remember(shared, &uri, &data);
    Some(match previous {
        Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
            result_id: Some(id),
            edits: delta(&old, &data).into_iter().collect(),
        }),
        // An unknown or outdated id: the whole set.
        None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
            result_id: Some(id),
            data,
        }),
    })
}

pub async fn semantic_tokens_range(
    shared: &Shared,
    params: SemanticTokensRangeParams,
) -> Option<SemanticTokensRangeResult> {
    let data = tokens_of(shared, &params.text_document.uri, Some(params.range)).await?;
    Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}

/// The one edit (in units of integers, five per token) that turns `old` into `new`:
/// the tokens they share at the start and at the end are kept. `None` when they are
/// equal.
pub fn delta(old: &[SemanticToken], new: &[SemanticToken]) -> Option<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let ints = |n: usize| u32::try_from(n * 5).unwrap_or(u32::MAX);
    Some(SemanticTokensEdit {
        start: ints(prefix),
        delete_count: ints(old.len() - prefix - suffix),
        data: Some(new.get(prefix..new.len() - suffix).unwrap_or(&[]).to_vec()),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn tok(delta_line: u32, length: u32) -> SemanticToken {
        SemanticToken {
            delta_line,
            delta_start: 0,
            length,
            token_type: 0,
            token_modifiers_bitset: 0,
        }
    }

    /// Applies an edit as a client does, on the flat integer array.
    fn apply(old: &[SemanticToken], e: &SemanticTokensEdit) -> Vec<SemanticToken> {
        let (start, count) = (e.start as usize / 5, e.delete_count as usize / 5);
        let mut out = old[..start].to_vec();
        out.extend(e.data.clone().unwrap_or_default());
        out.extend_from_slice(&old[start + count..]);
        out
    }

    #[test]
    fn delta_keeps_the_shared_start_and_end() {
        let old = vec![tok(0, 1), tok(1, 2), tok(1, 3), tok(1, 4)];
        let mut new = old.clone();
        new[1] = tok(1, 9);
        new.insert(2, tok(0, 7));
        let e = delta(&old, &new).unwrap();
        assert_eq!((e.start, e.delete_count), (5, 5));
        assert_eq!(e.data.as_ref().unwrap().len(), 2);
        assert_eq!(apply(&old, &e), new);
        assert!(delta(&old, &old).is_none());
        // Everything removed, everything new, and a repeated token at the seam.
        assert_eq!(
            apply(&old, &delta(&old, &[]).unwrap()),
            Vec::<SemanticToken>::new()
        );
        assert_eq!(apply(&[], &delta(&[], &old).unwrap()), old);
        let same = vec![tok(1, 1), tok(1, 1)];
        let more = vec![tok(1, 1), tok(1, 1), tok(1, 1)];
        assert_eq!(apply(&same, &delta(&same, &more).unwrap()), more);
    }
}
