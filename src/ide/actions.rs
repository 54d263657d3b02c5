//! Quick fixes: the fixes the compiler attached to each diagnostic
//! ([`Diagnostic::fixes`]: a suggested name for E0101 and E0306, a sunset for W0403,
//! the removal of an idle `except` for W0406), as code actions tied to the diagnostic.

use super::Analysis;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

pub use crate::diagnostics::TextEdit;

/// A fix for one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The code of the diagnostic it fixes.
    pub code: Code,
    /// The primary span of the diagnostic it fixes.
    pub diagnostic: Span,
    pub edits: Vec<TextEdit>,
    /// Whether this is the obvious fix (editors may apply it on save).
    pub preferred: bool,
}

/// The fixes for one diagnostic.
pub fn code_actions(diagnostic: &Diagnostic) -> Vec<CodeAction> {
    diagnostic
        .fixes
        .iter()
        .map(|f| CodeAction {
            title: f.title.clone(),
            code: diagnostic.code,
            diagnostic: diagnostic.primary.span,
            edits: f.edits.clone(),
            preferred: f.preferred,
        })
        .collect()
}

/// The fixes for every diagnostic whose primary span meets `[start, end]` in a file.
pub fn code_actions_in(analysis: &Analysis, file: FileId, start: u32, end: u32) -> Vec<CodeAction> {
    analysis
        .diagnostics_in(file)
        .filter(|d| d.primary.span.start <= end && start <= d.primary.span.end)
        .flat_map(code_actions)
        .collect()
}
