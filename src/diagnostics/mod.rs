//! The one diagnostic type every stage reports, its code registry and its renderers.

pub mod codes;
pub mod render;
pub mod sarif;

pub use codes::{Code, Family};

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

/// Replace the text of `span` (empty for an insertion) with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A machine-applicable fix, attached by the stage that reports the diagnostic (which
/// knows what was meant); the language server and SARIF only convert it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What applying it does, for a menu: "replace `globx` with `globex`".
    pub title: String,
    /// Non-overlapping edits, all in the diagnostic's file.
    pub edits: Vec<TextEdit>,
    /// Whether this is the obvious fix (editors may apply it on save).
    pub preferred: bool,
}

impl Fix {
    /// Replaces the name written at `span` (`current`) with the name meant; none when
    /// the two are the same or nothing is meant.
    pub fn replace_name(span: Span, current: &str, meant: &str) -> Option<Fix> {
        (!meant.is_empty() && meant != current).then(|| Fix {
            title: format!("replace `{current}` with `{meant}`"),
            edits: vec![TextEdit {
                span,
                new_text: meant.to_string(),
            }],
            preferred: true,
        })
    }
}

/// One problem found in the sources.
///
/// Messages are lowercase with no final period and put user input in backticks; the
/// fix goes in `help`, and where it can be applied mechanically also in `fixes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable code, e.g. `E0101`; its family, severity and explanation come with it.
    pub code: Code,
    /// The code's severity (kept here so renderers need not look it up).
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub fixes: Vec<Fix>,
}

/// Text between backticks (user input, by the message rules) longer than this many
/// characters is shortened in messages, labels, help and notes: a name a megabyte long
/// must not be copied whole into every diagnostic that mentions it.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `text` with every backticked run longer than [`MAX_QUOTED_CHARS`] cut to its start,
/// `…` and its end.
pub fn bound_quotes(text: String) -> String {
    if text.len() <= MAX_QUOTED_CHARS + 2 {
        return text;
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut changed = false;
    while let Some(open) = rest.find('`') {
        let (before, after) = rest.split_at(open + 1);
        out.push_str(before);
        let Some(close) = after.find('`') else {
            rest = after;
            break;
        };
        let (quoted, tail) = after.split_at(close);
        if quoted.chars().count() > MAX_QUOTED_CHARS {
            let head: String = quoted.chars().take(MAX_QUOTED_CHARS - 16).collect();
            let end_len: usize = quoted.chars().rev().take(15).map(char::len_utf8).sum();
            out.push_str(&head);
            out.push('…');
            out.push_str(quoted.get(quoted.len() - end_len..).unwrap_or(""));
            changed = true;
        } else {
            out.push_str(quoted);
        }
        out.push('`');
        rest = tail.get(1..).unwrap_or("");
    }
    if !changed {
        return text;
    }
    out.push_str(rest);
    out
}

impl Diagnostic {
    /// A diagnostic with its code's severity.
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: bound_quotes(message.into()),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = bound_quotes(message.into());
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: bound_quotes(message.into()),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(bound_quotes(help.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(bound_quotes(note.into()));
        self
    }

    /// Attaches fixes (any number: an `Option<Fix>` attaches one or none).
    pub fn with_fixes(mut self, fixes: impl IntoIterator<Item = Fix>) -> Diagnostic {
        self.fixes.extend(fixes);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are reported in: by file, position, then code and message,
    /// so output is the same on every run.
    pub fn sort_key(&self) -> (u32, u32, u32, Code, &str) {
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

/// E0101 for a name that is not declared (`name` at `span`, a `kind` such as "party"),
/// with the nearest of `candidates` as a "did you mean" fix; `elsewhere` says what the
/// name is when it is declared as something else.
pub fn unknown_name<'a>(
    kind: &str,
    name: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
    elsewhere: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(Code::E0101, format!("unknown {kind} `{name}`"), span)
        .with_label(format!("no {kind} of this name is declared"));
    if let Some(other) = elsewhere {
        d = d.with_note(format!("`{name}` is {other}, not a {kind}"));
    }
    match crate::iso::closest(name, candidates) {
        Some(s) => d
            .with_help(format!("did you mean `{s}`?"))
            .with_fixes(Fix::replace_name(span, name, s)),
        None => d.with_help(format!(
            "declare the {kind}, or import the file that declares it"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_input_is_shortened_and_short_text_kept() {
        let short = "unknown party `globx`".to_string();
        assert_eq!(bound_quotes(short.clone()), short);
        let name = format!("{}{}", "a".repeat(500), "zzz");
        let out = bound_quotes(format!("unknown party `{name}`; did you mean `b`?"));
        assert!(
            out.starts_with(&format!("unknown party `{}…", "a".repeat(64))),
            "{out}"
        );
        assert!(
            out.ends_with("aaaaaaaaaaaazzz`; did you mean `b`?"),
            "{out}"
        );
        assert_eq!(
            out.chars().count(),
            "unknown party ``; did you mean `b`?".len() + 80
        );
        // An unpaired backtick is left alone.
        let odd = format!("a `{}", "x".repeat(200));
        assert_eq!(bound_quotes(odd.clone()), odd);
    }
}
