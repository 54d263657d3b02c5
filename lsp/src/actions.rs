//! `textDocument/codeAction`: the library's quick fixes for the diagnostics in range.

use crate::convert;
use crate::request::{self, guard};
use crate::state::Shared;
use std::collections::HashMap;
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    NumberOrString, TextEdit, Url, WorkspaceEdit,
};
use xlic::ide;

pub async fn code_actions(shared: &Shared, params: CodeActionParams) -> Option<CodeActionResponse> {
    let ctx = request::at(shared, &params.text_document.uri).await?;
    let start = ctx.offset(params.range.start);
    let end = ctx.offset(params.range.end);
    let actions =
        guard(|| ide::code_actions_in(&ctx.an.analysis, ctx.file, start, end)).unwrap_or_default();
    let mut out = Vec::new();
    for a in actions {
        let range = ctx.range(a.diagnostic.start, a.diagnostic.end);
        // The client's copy of the diagnostic, when it sent it.
        let diagnostic = params
            .context
            .diagnostics
            .iter()
            .find(|d| {
                d.range == range && d.code == Some(NumberOrString::String(a.code.to_string()))
            })
            .cloned();
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for e in a.edits {
            let Some(loc) = convert::location(&ctx.an, e.span) else {
                continue;
            };
            changes.entry(loc.uri).or_default().push(TextEdit {
                range: loc.range,
                new_text: e.new_text,
            });
        }
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: a.title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                document_changes: None,
                change_annotations: None,
            }),
            command: None,
            is_preferred: Some(a.preferred),
            disabled: None,
            data: None,
        }));
    }
    Some(out)
}
