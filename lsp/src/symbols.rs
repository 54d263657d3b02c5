//! `textDocument/documentSymbol`, `textDocument/foldingRange` and `workspace/symbol`.

use crate::convert;
use crate::request::{self, guard, Ctx, Fallback};
use crate::state::Shared;
use tower_lsp::lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeKind,
    FoldingRangeParams, SymbolInformation, SymbolKind, WorkspaceSymbolParams,
};
use xlic::ide::{self, FoldKind, OutlineKind};
use xlic::source::{LineIndex, Span};

fn kind(k: OutlineKind) -> SymbolKind {
    match k {
        OutlineKind::Import => SymbolKind::MODULE,
        OutlineKind::Agreement => SymbolKind::NAMESPACE,
        OutlineKind::Party | OutlineKind::Affiliate => SymbolKind::CLASS,
        OutlineKind::Fields => SymbolKind::STRUCT,
        OutlineKind::Field => SymbolKind::FIELD,
        OutlineKind::Group => SymbolKind::ENUM,
        OutlineKind::Asset => SymbolKind::OBJECT,
        OutlineKind::Patent => SymbolKind::CONSTANT,
        OutlineKind::Grant => SymbolKind::FUNCTION,
        OutlineKind::Reservation => SymbolKind::EVENT,
        OutlineKind::Improvements => SymbolKind::PACKAGE,
        OutlineKind::Rule => SymbolKind::METHOD,
        OutlineKind::Sunset => SymbolKind::EVENT,
        OutlineKind::Obligation => SymbolKind::PROPERTY,
    }
}

/// Converts an outline entry; `place` puts a span of the analysis it came from into
/// today's text (`None` drops the entry).
fn convert(
    ctx: &Ctx,
    s: ide::DocumentSymbol,
    place: &dyn Fn(Span) -> Option<Span>,
) -> Option<DocumentSymbol> {
    let full = place(s.span)?;
    let sel = place(s.selection).unwrap_or(full);
    let sel = if sel.start >= full.start && sel.end <= full.end {
        sel
    } else {
        full
    };
    let children: Vec<DocumentSymbol> = s
        .children
        .into_iter()
        .filter_map(|c| convert(ctx, c, place))
        .collect();
    #[allow(deprecated)]
    Some(DocumentSymbol {
        name: if s.name.trim().is_empty() {
            "?".to_string()
        } else {
            s.name
        },
        detail: s.detail,
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        range: ctx.range(full.start, full.end),
        selection_range: ctx.range(sel.start, sel.end),
        children: (!children.is_empty()).then_some(children),
    })
}

pub async fn document_symbols(
    shared: &Shared,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let now = guard(|| ide::document_symbols(&ctx.an.analysis, ctx.file)).unwrap_or_default();
    let file = ctx.file;
    let same = |s: Span| Some(Span { file, ..s });
    let mut out: Vec<DocumentSymbol> = now
        .into_iter()
        .filter_map(|s| convert(&ctx, s, &same))
        .collect();
    // While the document does not parse, the last good outline (where its entries still
    // lie in unchanged text) when it has more to show.
    if let Some(fb) = ctx.fallback(shared) {
        let Fallback {
            an, file: old_file, ..
        } = &fb;
        let old = guard(|| ide::document_symbols(&an.analysis, *old_file)).unwrap_or_default();
        let place = |s: Span| fb.span_now(s, file);
        let mapped: Vec<DocumentSymbol> = old
            .into_iter()
            .filter_map(|s| convert(&ctx, s, &place))
            .collect();
        if mapped.len() > out.len() {
            out = mapped;
        }
    }
    Some(DocumentSymbolResponse::Nested(out))
}

pub async fn folding_ranges(
    shared: &Shared,
    params: FoldingRangeParams,
) -> Option<Vec<FoldingRange>> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let text = ctx.text();
    let lines = LineIndex::new(text);
    let ranges = guard(|| ide::folding_ranges(text)).unwrap_or_default();
    let mut out = Vec::new();
    for r in ranges {
        let start_line = lines.line_of(r.start);
        let end_line = lines.line_of(r.end);
        let (end_line, kind) = match r.kind {
            // Keep the closing brace's line visible.
            FoldKind::Region => (end_line.saturating_sub(1), FoldingRangeKind::Region),
            FoldKind::Comment => (end_line, FoldingRangeKind::Comment),
        };
        if end_line <= start_line {
            continue;
        }
        out.push(FoldingRange {
            start_line: u32::try_from(start_line).unwrap_or(u32::MAX),
            start_character: None,
            end_line: u32::try_from(end_line).unwrap_or(u32::MAX),
            end_character: None,
            kind: Some(kind),
            collapsed_text: None,
        });
    }
    Some(out)
}

/// At most this many answers to one workspace symbol search.
const MAX_WORKSPACE_SYMBOLS: usize = 500;

/// `workspace/symbol`: declarations in every analysed file (the open documents, their
/// imports and the workspace index) whose name matches the query.
pub async fn workspace_symbols(
    shared: &Shared,
    params: WorkspaceSymbolParams,
) -> Option<Vec<SymbolInformation>> {
    let an = shared.analysis_now().await;
    let ids = guard(|| ide::workspace_symbols(&an.analysis, &params.query, MAX_WORKSPACE_SYMBOLS))?;
    let index = &an.analysis.index();
    Some(
        ids.into_iter()
            .filter_map(|id| {
                let s = index.symbol(id)?;
                let location = convert::location(&an, s.decl)?;
                let container = s
                    .parent
                    .and_then(|p| index.symbol(p))
                    .map(|p| p.path.clone())
                    .or_else(|| {
                        Some(
                            an.analysis
                                .compilation
                                .sources
                                .name(s.decl.file)
                                .to_string(),
                        )
                    });
                #[allow(deprecated)]
                Some(SymbolInformation {
                    name: s.name.clone(),
                    kind: symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: container,
                })
            })
            .collect(),
    )
}

fn symbol_kind(k: ide::SymbolKind) -> SymbolKind {
    match k {
        ide::SymbolKind::Party | ide::SymbolKind::Affiliate => SymbolKind::CLASS,
        ide::SymbolKind::Asset => SymbolKind::OBJECT,
        ide::SymbolKind::Field => SymbolKind::FIELD,
        ide::SymbolKind::Group => SymbolKind::ENUM,
        ide::SymbolKind::Grant => SymbolKind::FUNCTION,
        ide::SymbolKind::Reservation => SymbolKind::EVENT,
        ide::SymbolKind::Standard => SymbolKind::INTERFACE,
    }
}
