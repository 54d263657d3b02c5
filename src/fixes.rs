//! Fixes for the checker's findings. The checker reasons over the model, which keeps no
//! layout, so the text edits of its fixable warnings are written here from the syntax
//! tree, once checking is done ([`crate::compile`] calls [`attach`]):
//!
//! - W0403 on a grant-back with no `sunset`: add `sunset after 3 years` to it;
//! - W0406: remove the `except …` that removes nothing.
//!
//! Fixes a stage can write where it reports the diagnostic (the name a resolver error
//! suggests: E0101, E0306) are attached there; the language server and SARIF only
//! convert [`Diagnostic::fixes`].

use crate::diagnostics::{Code, Diagnostic, Fix, TextEdit};
use crate::driver::ParsedFile;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{FieldExpr, FlowRule, Item, SourceFileAst, TerritoryExpr};

/// Attaches the fixes the checker's diagnostics can have.
pub fn attach(files: &[ParsedFile], sources: &SourceMap, diags: &mut [Diagnostic]) {
    for d in diags.iter_mut() {
        if !matches!(d.code, Code::W0403 | Code::W0406) {
            continue;
        }
        let span = d.primary.span;
        let Some(ast) = files.iter().find(|f| f.id == span.file).map(|f| &f.ast) else {
            continue;
        };
        let text = sources.text(span.file);
        let fix = match d.code {
            Code::W0403 => add_sunset(ast, text, span),
            Code::W0406 => remove_except(ast, text, span),
            _ => None,
        };
        d.fixes.extend(fix);
    }
}

fn flow_rules(ast: &SourceFileAst) -> impl Iterator<Item = &FlowRule> {
    ast.items()
        .filter_map(|i| match i {
            Item::Improvements(imp) => Some(imp.rules.iter()),
            _ => None,
        })
        .flatten()
}

/// Inserts `sunset after 3 years` before the closing `}` of the grant-back whose header
/// is `header`, when it has no sunset (W0403 also reports one that outlives its
/// license, which this does not fix).
fn add_sunset(ast: &SourceFileAst, text: &str, header: Span) -> Option<Fix> {
    let rule = flow_rules(ast).find(|r| r.header == header && r.sunset.is_none())?;
    let close = rule.span.end.checked_sub(1)? as usize;
    if text.get(close..close + 1) != Some("}") {
        return None;
    }
    // CR, LF and CRLF all end a line.
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
    let edit = if before.trim().is_empty() {
        // `}` on a line of its own: a new line above it.
        TextEdit {
            span: Span::new(header.file, line_start, line_start),
            new_text: format!("{indent}  sunset after 3 years\n"),
        }
    } else {
        let sep = if before.ends_with(' ') { "" } else { " " };
        TextEdit {
            span: Span::new(header.file, close, close),
            new_text: format!("{sep}sunset after 3 years "),
        }
    };
    Some(Fix {
        title: "add `sunset after 3 years` to the grant-back".to_string(),
        edits: vec![edit],
        preferred: true,
    })
}

/// Deletes the `except …` part (with the blank before it) of the field or territory
/// expression whose `except` keyword is at `except`.
fn remove_except(ast: &SourceFileAst, text: &str, except: Span) -> Option<Fix> {
    let field_end = |f: &Option<FieldExpr>| {
        f.as_ref()
            .filter(|f| f.except_span == Some(except))
            .map(|f| f.span.end)
    };
    let territory_end = |t: &Option<TerritoryExpr>| {
        t.as_ref()
            .filter(|t| t.except_span == Some(except))
            .map(|t| t.span.end)
    };
    let end = ast.items().find_map(|item| match item {
        Item::Grant(g) => field_end(&g.field).or_else(|| territory_end(&g.territory)),
        Item::Reserve(r) => field_end(&r.scope.field).or_else(|| territory_end(&r.scope.territory)),
        _ => None,
    })?;
    let before = text.get(..except.start as usize)?;
    let start = before.trim_end_matches([' ', '\t']).len();
    let span = Span::new(except.file, start, end as usize);
    let removed = text.get(start..end as usize)?.trim();
    let shown: String = removed.chars().take(60).collect();
    Some(Fix {
        title: format!("remove `{shown}`"),
        edits: vec![TextEdit {
            span,
            new_text: String::new(),
        }],
        preferred: true,
    })
}
