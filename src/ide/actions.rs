//! Quick fixes for diagnostics: apply the suggested name (E0101, E0306), add a missing
//! sunset to a grant-back (W0403), remove an `except` that removes nothing (W0406).

use super::Analysis;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::ast::{FieldExpr, FlowRule, Item, TerritoryExpr};

/// Replace the text of `span` (empty for an insertion) with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A fix for one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The code of the diagnostic it fixes.
    pub code: &'static str,
    /// The primary span of the diagnostic it fixes.
    pub diagnostic: Span,
    pub edits: Vec<TextEdit>,
    /// Whether this is the obvious fix (editors may apply it on save).
    pub preferred: bool,
}

/// The fixes for one diagnostic of the analysis.
pub fn code_actions(analysis: &Analysis, diagnostic: &Diagnostic) -> Vec<CodeAction> {
    let span = diagnostic.primary.span;
    let mut out = Vec::new();
    match diagnostic.code {
        "E0101" | "E0306" => {
            if let Some(name) = suggestion(diagnostic) {
                let current = analysis.compilation.sources.snippet(span);
                // A field segment's help names the whole path; the span is one segment.
                let replacement = if current.contains('.') {
                    name.to_string()
                } else {
                    name.rsplit('.').next().unwrap_or(name).to_string()
                };
                if !replacement.is_empty() && replacement != current {
                    out.push(CodeAction {
                        title: format!("replace `{current}` with `{replacement}`"),
                        code: diagnostic.code,
                        diagnostic: span,
                        edits: vec![TextEdit {
                            span,
                            new_text: replacement,
                        }],
                        preferred: true,
                    });
                }
            }
        }
        "W0403" if diagnostic.message == "grant-back without a sunset" => {
            if let Some(edit) = add_sunset(analysis, span) {
                out.push(CodeAction {
                    title: "add `sunset after 3 years` to the grant-back".to_string(),
                    code: diagnostic.code,
                    diagnostic: span,
                    edits: vec![edit],
                    preferred: true,
                });
            }
        }
        "W0406" => {
            if let Some(edit) = remove_except(analysis, span) {
                let removed = analysis.compilation.sources.snippet(edit.span).trim();
                let shown: String = removed.chars().take(60).collect();
                out.push(CodeAction {
                    title: format!("remove `{shown}`"),
                    code: diagnostic.code,
                    diagnostic: span,
                    edits: vec![edit],
                    preferred: true,
                });
            }
        }
        _ => {}
    }
    out
}

/// The fixes for every diagnostic whose primary span meets `[start, end]` in a file.
pub fn code_actions_in(analysis: &Analysis, file: FileId, start: u32, end: u32) -> Vec<CodeAction> {
    analysis
        .diagnostics_in(file)
        .filter(|d| d.primary.span.start <= end && start <= d.primary.span.end)
        .flat_map(|d| code_actions(analysis, d))
        .collect()
}

/// The name a diagnostic's help suggests: "did you mean `x`?", "country codes are upper
/// case: `DE`", "the ISO 3166-1 code is `GB`".
fn suggestion(d: &Diagnostic) -> Option<&str> {
    let help = d.help.as_deref()?;
    let suggests = help.starts_with("did you mean")
        || help.starts_with("country codes are upper case")
        || help.starts_with("the ISO 3166-1 code is");
    if !suggests {
        return None;
    }
    let start = help.find('`')? + 1;
    let rest = help.get(start..)?;
    let end = rest.find('`')?;
    rest.get(..end)
}

fn flow_rules(analysis: &Analysis, file: FileId) -> Vec<&FlowRule> {
    let Some(ast) = analysis.ast(file) else {
        return Vec::new();
    };
    ast.items
        .iter()
        .filter_map(|i| match i {
            Item::Improvements(imp) => Some(imp.rules.iter()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Inserts `sunset after 3 years` before the closing `}` of the grant-back whose header
/// is `header`.
fn add_sunset(analysis: &Analysis, header: Span) -> Option<TextEdit> {
    let rule = flow_rules(analysis, header.file)
        .into_iter()
        .find(|r| r.header == header)?;
    let text = analysis.text(header.file);
    let close = rule.span.end.checked_sub(1)? as usize;
    if text.get(close..close + 1) != Some("}") {
        return None;
    }
    let line_start = text
        .get(..close)?
        .rfind(['\n', '\r'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let before = text.get(line_start..close)?;
    let header_line = text
        .get(..rule.span.start as usize)?
        .rfind(['\n', '\r'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let indent: String = text
        .get(header_line..)?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if before.trim().is_empty() {
        // `}` on a line of its own: a new line above it.
        Some(TextEdit {
            span: Span::new(header.file, line_start, line_start),
            new_text: format!("{indent}  sunset after 3 years\n"),
        })
    } else {
        let sep = if before.ends_with(' ') { "" } else { " " };
        Some(TextEdit {
            span: Span::new(header.file, close, close),
            new_text: format!("{sep}sunset after 3 years "),
        })
    }
}

/// Deletes the `except …` part (with the blank before it) of the field or territory
/// expression whose `except` keyword is at `except`.
fn remove_except(analysis: &Analysis, except: Span) -> Option<TextEdit> {
    let ast = analysis.ast(except.file)?;
    let mut end = None;
    let mut check_field = |f: &Option<FieldExpr>| {
        if let Some(f) = f {
            if f.except_span == Some(except) {
                end = Some(f.span.end);
            }
        }
    };
    for item in &ast.items {
        match item {
            Item::Grant(g) => check_field(&g.field),
            Item::Reserve(r) => check_field(&r.scope.field),
            _ => {}
        }
    }
    let mut check_territory = |t: &Option<TerritoryExpr>| {
        if let Some(t) = t {
            if t.except_span == Some(except) {
                end = Some(t.span.end);
            }
        }
    };
    for item in &ast.items {
        match item {
            Item::Grant(g) => check_territory(&g.territory),
            Item::Reserve(r) => check_territory(&r.scope.territory),
            _ => {}
        }
    }
    let end = end?;
    let text = analysis.text(except.file);
    let before = text.get(..except.start as usize)?;
    let start = before.trim_end_matches([' ', '\t']).len();
    Some(TextEdit {
        span: Span::new(except.file, start, end as usize),
        new_text: String::new(),
    })
}
