//! `textDocument/inlayHint`: computed dates after the durations they come from.

use crate::request::{self, guard};
use crate::state::Shared;
use tower_lsp::lsp_types::{InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip};
use xlic::ide;

pub async fn inlay_hints(shared: &Shared, params: InlayHintParams) -> Option<Vec<InlayHint>> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let start = ctx.offset(params.range.start);
    let end = ctx.offset(params.range.end);
    let hints = guard(|| ide::inlay_hints(&ctx.an.analysis, ctx.file)).unwrap_or_default();
    Some(
        hints
            .into_iter()
            .filter(|h| start <= h.offset && h.offset <= end)
            .map(|h| InlayHint {
                position: ctx.range(h.offset, h.offset).start,
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}
