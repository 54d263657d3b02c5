//! `textDocument/definition`, `references`, `prepareRename`, `rename`,
//! `documentLink` (the path of every import that loaded), `documentHighlight` and
//! `selectionRange`.

use crate::convert;
use crate::request::{self, guard};
use crate::state::Shared;
use std::collections::HashMap;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, DocumentLink,
    DocumentLinkParams, GotoDefinitionParams, GotoDefinitionResponse, Location,
    PrepareRenameResponse, ReferenceParams, RenameParams, SelectionRange, SelectionRangeParams,
    TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};
use xlic::ide;

pub async fn definition(
    shared: &Shared,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let p = params.text_document_position_params;
    let ctx = request::at(shared, &p.text_document.uri).await?;
    let offset = ctx.offset(p.position);
    if let Some(span) = guard(|| ide::definition(&ctx.an.analysis, ctx.file, offset)).flatten() {
        return convert::location(&ctx.an, span).map(GotoDefinitionResponse::Scalar);
    }
    let fb = ctx.fallback(shared)?;
    let old = fb.map.to_old(offset)?;
    let span = guard(|| ide::definition(&fb.an.analysis, fb.file, old)).flatten()?;
    let now = fb.span_now(span, ctx.file)?;
    convert::location(&ctx.an, now).map(GotoDefinitionResponse::Scalar)
}

pub async fn references(shared: &Shared, params: ReferenceParams) -> Option<Vec<Location>> {
    let p = params.text_document_position;
    let ctx = request::at(shared, &p.text_document.uri).await?;
    let offset = ctx.offset(p.position);
    let include = params.context.include_declaration;
    let spans =
        guard(|| ide::references(&ctx.an.analysis, ctx.file, offset, include)).unwrap_or_default();
    if !spans.is_empty() {
        return Some(
            spans
                .into_iter()
                .filter_map(|s| convert::location(&ctx.an, s))
                .collect(),
        );
    }
    let fb = ctx.fallback(shared)?;
    let old = fb.map.to_old(offset)?;
    let spans =
        guard(|| ide::references(&fb.an.analysis, fb.file, old, include)).unwrap_or_default();
    Some(
        spans
            .into_iter()
            .filter_map(|s| fb.span_now(s, ctx.file))
            .filter_map(|s| convert::location(&ctx.an, s))
            .collect(),
    )
}

/// A refusal the editor shows to the user (LSP `RequestFailed`).
fn refused(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub async fn prepare_rename(
    shared: &Shared,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(ctx) = request::at(shared, &params.text_document.uri).await else {
        return Ok(None);
    };
    let offset = ctx.offset(params.position);
    match guard(|| ide::prepare_rename(&ctx.an.analysis, ctx.file, offset)) {
        Some(Ok(span)) => Ok(Some(PrepareRenameResponse::Range(
            ctx.range(span.start, span.end),
        ))),
        Some(Err(e)) => Err(refused(e.message)),
        None => Ok(None),
    }
}

pub async fn rename(shared: &Shared, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let p = params.text_document_position;
    let Some(ctx) = request::at(shared, &p.text_document.uri).await else {
        return Ok(None);
    };
    let offset = ctx.offset(p.position);
    let edits = match guard(|| ide::rename(&ctx.an.analysis, ctx.file, offset, &params.new_name)) {
        Some(Ok(edits)) => edits,
        Some(Err(e)) => return Err(refused(e.message)),
        None => return Ok(None),
    };
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for e in edits {
        let Some(loc) = convert::location(&ctx.an, e.span) else {
            continue;
        };
        changes.entry(loc.uri).or_default().push(TextEdit {
            range: loc.range,
            new_text: e.new_text,
        });
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        document_changes: None,
        change_annotations: None,
    }))
}

pub async fn document_links(
    shared: &Shared,
    params: DocumentLinkParams,
) -> Option<Vec<DocumentLink>> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let links = guard(|| ide::import_links(&ctx.an.analysis, ctx.file))?;
    Some(
        links
            .into_iter()
            .filter_map(|l| {
                let target = ctx.an.uris.get(&l.target)?.clone();
                Some(DocumentLink {
                    range: ctx.range(l.span.start, l.span.end),
                    tooltip: target.to_file_path().ok().map(|p| p.display().to_string()),
                    target: Some(target),
                    data: None,
                })
            })
            .collect(),
    )
}

pub async fn document_highlights(
    shared: &Shared,
    params: DocumentHighlightParams,
) -> Option<Vec<DocumentHighlight>> {
    let p = params.text_document_position_params;
    let ctx = request::at(shared, &p.text_document.uri).await?;
    let offset = ctx.offset(p.position);
    let found = guard(|| ide::highlights(&ctx.an.analysis, ctx.file, offset))?;
    Some(
        found
            .into_iter()
            .map(|h| DocumentHighlight {
                range: ctx.range(h.span.start, h.span.end),
                kind: Some(if h.is_decl {
                    DocumentHighlightKind::WRITE
                } else {
                    DocumentHighlightKind::READ
                }),
            })
            .collect(),
    )
}

pub async fn selection_ranges(
    shared: &Shared,
    params: SelectionRangeParams,
) -> Option<Vec<SelectionRange>> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    Some(
        params
            .positions
            .into_iter()
            .map(|pos| {
                let offset = ctx.offset(pos);
                let chain = guard(|| ide::selection_ranges(&ctx.an.analysis, ctx.file, offset))
                    .unwrap_or_default();
                // Outermost first, each the parent of the next.
                let mut parent: Option<Box<SelectionRange>> = None;
                for span in chain.iter().rev() {
                    parent = Some(Box::new(SelectionRange {
                        range: ctx.range(span.start, span.end),
                        parent,
                    }));
                }
                parent.map_or(
                    SelectionRange {
                        range: ctx.range(offset, offset),
                        parent: None,
                    },
                    |b| *b,
                )
            })
            .collect(),
    )
}
