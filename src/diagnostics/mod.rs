//! The one diagnostic type every stage reports, its code registry and its renderers.

pub mod codes;
pub mod render;
pub mod sarif;

use crate::source::Span;

/// How serious a diagnostic is. Errors fail `xlic check`; warnings do not unless denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A span with a message: the primary label says what is wrong there; secondary labels
/// point at every other clause involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in the sources.
///
/// Messages are lowercase with no final period and put user input in backticks; the
/// fix goes in `help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable code from [`codes::ALL`], e.g. `E0101`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic whose severity follows its code (`E…` error, `W…` warning).
    pub fn new(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        let severity = if code.starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        };
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are reported in: by file, position, then code and message,
    /// so output is the same on every run.
    pub fn sort_key(&self) -> (u32, u32, u32, &'static str, &str) {
        (
            self.primary.span.file.0,
            self.primary.span.start,
            self.primary.span.end,
            self.code,
            self.message.as_str(),
        )
    }
}

/// Sorts diagnostics into their report order and drops exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}
