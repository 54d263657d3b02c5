//! `textDocument/completion`: the library's context-aware proposals, with the names of
//! the last analysis in which the document parsed added while it does not.

use crate::request::{self, guard};
use crate::state::Shared;
use std::collections::BTreeSet;
use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse,
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
        CompletionKind::Value => CompletionItemKind::VALUE,
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
    let list = items
        .into_iter()
        .enumerate()
        .map(|(i, c)| CompletionItem {
            label: c.label,
            kind: Some(kind(c.kind)),
            detail: c.detail,
            // Keep the library's order (declaration order, then alphabetical).
            sort_text: Some(format!("{i:05}")),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(list))
}
