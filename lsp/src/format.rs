//! `textDocument/formatting`: the formatter of `xlic fmt`, as one edit of the whole
//! document (none when it is already formatted or does not parse); and
//! `textDocument/rangeFormatting`.

use crate::convert;
use crate::request::guard;
use crate::state::Shared;
use tower_lsp::lsp_types::{DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit};
use xlic::source::{FileId, LineIndex};

pub fn formatting(shared: &Shared, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let snapshot = shared.snapshot();
    let doc = snapshot.doc(&params.text_document.uri)?;
    let text: &str = &doc.doc.text;
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

/// `textDocument/rangeFormatting`: only the white space between the tokens that meet
/// the range is changed, as `xlic fmt` would change it.
pub fn range_formatting(
    shared: &Shared,
    params: DocumentRangeFormattingParams,
) -> Option<Vec<TextEdit>> {
    let snapshot = shared.snapshot();
    let doc = snapshot.doc(&params.text_document.uri)?;
    let text: &str = &doc.doc.text;
    let lines = LineIndex::new(text);
    let start = convert::offset(text, &lines, params.range.start);
    let end = convert::offset(text, &lines, params.range.end);
    let file = FileId(0);
    let edits = guard(|| xlic::ide::format_range(file, text, start, end)).flatten()?;
    Some(
        edits
            .into_iter()
            .map(|e| TextEdit {
                range: convert::range(text, &lines, e.span.start, e.span.end),
                new_text: e.new_text,
            })
            .collect(),
    )
}
