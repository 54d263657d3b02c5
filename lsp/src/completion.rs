//! `textDocument/completion`: the library's context-aware proposals, with the names of
//! the last analysis in which the document parsed added while it does not.

use crate::request::{self, guard};
use crate::state::Shared;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    InsertTextFormat, TextEdit,
};
use xlic::ide::{self, CompletionKind};

fn kind(k: CompletionKind) -> CompletionItemKind {
    match k {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Party => CompletionItemKind::CLASS,
        CompletionKind::Asset => CompletionItemKind::VARIABLE,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Country => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Group => CompletionItemKind::ENUM,
        CompletionKind::Grant => CompletionItemKind::FUNCTION,
        CompletionKind::Reservation => CompletionItemKind::EVENT,
        CompletionKind::Standard => CompletionItemKind::INTERFACE,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    }
}

pub async fn completion(shared: &Shared, params: CompletionParams) -> Option<CompletionResponse> {
    let p = params.text_document_position;
    let ctx = request::at(shared, &p.text_document.uri).await?;
    let offset = ctx.offset(p.position);
    let text = ctx.text();
    let mut items =
        guard(|| ide::completion(&ctx.an.analysis, ctx.file, text, offset)).unwrap_or_default();
    if let Some(fb) = ctx.fallback(shared) {
        let more =
            guard(|| ide::completion(&fb.an.analysis, fb.file, text, offset)).unwrap_or_default();
        let seen: BTreeSet<String> = items.iter().map(|i| i.label.clone()).collect();
        items.extend(more.into_iter().filter(|i| !seen.contains(&i.label)));
    }
    // Snippets replace the word typed so far; only for clients that expand them.
    let snippets = shared.snippets.load(Ordering::SeqCst);
    let word = ctx.range(word_start(text, offset), offset);
    let list = items
        .into_iter()
        .filter(|c| snippets || c.snippet.is_none())
        .enumerate()
        .map(|(i, c)| {
            let edit = c.snippet.map(|body| {
                CompletionTextEdit::Edit(TextEdit {
                    range: word,
                    new_text: body,
                })
            });
            CompletionItem {
                insert_text_format: edit.as_ref().map(|_| InsertTextFormat::SNIPPET),
                filter_text: edit.as_ref().map(|_| c.label.clone()),
                text_edit: edit,
                label: c.label,
                kind: Some(kind(c.kind)),
                detail: c.detail,
                // Keep the library's order (declaration order, then alphabetical).
                sort_text: Some(format!("{i:05}")),
                ..CompletionItem::default()
            }
        })
        .collect();
    Some(CompletionResponse::Array(list))
}

/// The start of the word (letters, digits, `_`, `-`) that ends at `offset`.
fn word_start(text: &str, offset: u32) -> u32 {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or("");
    let word = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .count();
    // The word is ASCII: one byte per character.
    u32::try_from(before.len() - word).unwrap_or(offset)
}
