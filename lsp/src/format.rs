//! `textDocument/formatting`: the formatter of `xlic fmt`, as one edit of the whole
//! document (none when it is already formatted or does not parse).

use crate::convert;
use crate::request::guard;
use crate::state::Shared;
use tower_lsp::lsp_types::{DocumentFormattingParams, TextEdit};
use xlic::source::LineIndex;

pub fn formatting(shared: &Shared, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let snapshot = shared.snapshot();
    let doc = snapshot.doc(&params.text_document.uri)?;
    let text = &doc.text;
    let formatted = guard(|| xlic::ide::format(text)).flatten();
    let Some(new_text) = formatted else {
        return Some(Vec::new());
    };
    let lines = LineIndex::new(text);
    let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
    Some(vec![TextEdit {
        range: convert::range(text, &lines, 0, end),
        new_text,
    }])
}
