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
use crate::syntax::ast::{FlowRule, Item, SourceFileAst};

/// Attaches the fixes the checker's diagnostics can have.
pub fn attach(files: &[ParsedFile], sources: &SourceMap, diags: &mut [Diagnostic]) {
    Anchors::collect(files).attach(sources, diags);
}

/// What the fixes need of the syntax trees, taken from them before they are freed (a
/// compilation that drops its trees after resolution, [`crate::Options::outputs_only`],
/// still gets every fix): the grant-back rules with no `sunset`, and the end of every
/// field or territory expression with an `except`, in source order.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// `(header, span)` of each grant-back rule without a sunset.
    grant_backs: Vec<(Span, Span)>,
    /// `(except keyword, end of its expression)`.
    excepts: Vec<(Span, u32)>,
}

impl Anchors {
    pub fn collect(files: &[ParsedFile]) -> Anchors {
        let mut anchors = Anchors::default();
        for file in files {
            let ast = &file.ast;
            anchors.grant_backs.extend(
                flow_rules(ast)
                    .filter(|r| r.sunset.is_none())
                    .map(|r| (r.header, r.span)),
            );
            for item in ast.items() {
                let (field, territory) = match item {
                    Item::Grant(g) => (&g.field, &g.territory),
                    Item::Reserve(r) => (&r.scope.field, &r.scope.territory),
                    _ => continue,
                };
                let field = field
                    .as_ref()
                    .and_then(|f| Some((f.except_span?, f.span.end)));
                let territory = territory
                    .as_ref()
                    .and_then(|t| Some((t.except_span?, t.span.end)));
                anchors.excepts.extend(field);
                anchors.excepts.extend(territory);
            }
        }
        anchors
    }

    /// Attaches the fixes the checker's diagnostics can have.
    pub fn attach(&self, sources: &SourceMap, diags: &mut [Diagnostic]) {
        for d in diags.iter_mut() {
            let span = d.primary.span;
            let fix = match d.code {
                Code::W0403 => self.add_sunset(sources.text(span.file), span),
                Code::W0406 => self.remove_except(sources.text(span.file), span),
                _ => continue,
            };
            d.fixes.extend(fix);
        }
    }

    /// Inserts `sunset after 3 years` before the closing `}` of the grant-back whose header
    /// is `header`, when it has no sunset (W0403 also reports one that outlives its
    /// license, which this does not fix).
    fn add_sunset(&self, text: &str, header: Span) -> Option<Fix> {
        let &(_, rule_span) = self.grant_backs.iter().find(|(h, _)| *h == header)?;
        let close = rule_span.end.checked_sub(1)? as usize;
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
            .get(..rule_span.start as usize)?
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
    fn remove_except(&self, text: &str, except: Span) -> Option<Fix> {
        let &(_, end) = self.excepts.iter().find(|(e, _)| *e == except)?;
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
}

fn flow_rules(ast: &SourceFileAst) -> impl Iterator<Item = &FlowRule> {
    ast.items()
        .filter_map(|i| match i {
            Item::Improvements(imp) => Some(imp.rules.iter()),
            _ => None,
        })
        .flatten()
}
