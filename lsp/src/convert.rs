//! Conversions between the protocol and the library: UTF-16 positions ↔ byte offsets,
//! URIs ↔ documents, library diagnostics → protocol diagnostics.

use crate::state::Analyzed;
use tower_lsp::lsp_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Url,
};
use xlic::diagnostics::{Code, Diagnostic, Severity};
use xlic::ide::DocumentKey;
use xlic::source::{LineIndex, Span};

/// How the library knows a document: by its path for `file:` URIs, by the URI itself
/// otherwise (an unsaved buffer).
pub fn key_of(uri: &Url) -> DocumentKey {
    if uri.scheme() == "file" {
        if let Ok(path) = uri.to_file_path() {
            return DocumentKey::Path(path);
        }
    }
    DocumentKey::Name(uri.to_string())
}

/// The byte offset of a UTF-16 position, clamped to the text.
pub fn offset(text: &str, lines: &LineIndex, pos: Position) -> u32 {
    lines.offset_utf16(text, pos.line, pos.character)
}

/// The UTF-16 position of a byte offset.
pub fn position(text: &str, lines: &LineIndex, offset: u32) -> Position {
    let lc = lines.line_col_utf16(
        text,
        offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX)),
    );
    Position::new(lc.line, lc.column)
}

pub fn range(text: &str, lines: &LineIndex, start: u32, end: u32) -> Range {
    Range::new(position(text, lines, start), position(text, lines, end))
}

/// The range of a span in the analysed text of its file.
pub fn span_range(an: &Analyzed, span: Span) -> Range {
    match an.lines(span.file) {
        Some(lines) => range(an.text(span.file), lines, span.start, span.end),
        None => Range::default(),
    }
}

/// The location of a span, when its file has a URI.
pub fn location(an: &Analyzed, span: Span) -> Option<Location> {
    let uri = an.uris.get(&span.file)?;
    Some(Location::new(uri.clone(), span_range(an, span)))
}

/// Where a diagnostic code is explained, by default: the code's page, shared with
/// SARIF's `helpUri` (`{code}` in a template is replaced by the code).
pub const DEFAULT_CODE_DOCS: &str = xlic::diagnostics::codes::DEFAULT_DOCS_URL;

/// The link of a code's explanation: `template` with `{code}` replaced.
pub fn code_link(template: &str, code: Code) -> Option<lsp::CodeDescription> {
    let href = Url::parse(&xlic::diagnostics::codes::docs_url(template, code)).ok()?;
    Some(lsp::CodeDescription { href })
}

/// A library diagnostic as the protocol's: help and notes appended to the message,
/// secondary labels as related information (in any file), and a link to the
/// explanation of its code (`docs`, a URL template; see [`code_link`]).
pub fn diagnostic(an: &Analyzed, d: &Diagnostic, docs: &str) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(&format!(" ({})", d.primary.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: location(an, l.span)?,
                message: if l.message.is_empty() {
                    "related".to_string()
                } else {
                    l.message.clone()
                },
            })
        })
        .collect();
    lsp::Diagnostic {
        range: span_range(an, d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: code_link(docs, d.code),
        source: Some("xlic".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
