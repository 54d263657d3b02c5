//! `textDocument/hover`.

use crate::request::{self, guard};
use crate::state::Shared;
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use xlic::ide;

pub async fn hover(shared: &Shared, params: HoverParams) -> Option<Hover> {
    let p = params.text_document_position_params;
    let ctx = request::at(shared, &p.text_document.uri).await?;
    let offset = ctx.offset(p.position);
    let mut text = guard(|| ide::hover(&ctx.an.analysis, ctx.file, offset)).flatten();
    if text.is_none() {
        if let Some(fb) = ctx.fallback(shared) {
            if let Some(old) = fb.map.to_old(offset) {
                text = guard(|| ide::hover(&fb.an.analysis, fb.file, old)).flatten();
            }
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text?,
        }),
        range: None,
    })
}
