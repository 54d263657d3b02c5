//! pools (issue 15, round 2): `standard` declarations, the `essential to` lines of
//! assets and a grant's `for standard`: names bound to the standards of every file
//! (E0108 for an unknown one, E0102 for one declared twice).

use super::bindings::{DeclKind, Recorder};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{EssentialModel, Model, StandardModel};
use crate::syntax::ast::{self, Ident};

/// Declares an agreement's standards (E0102 when a name is declared again).
pub(super) fn declare(model: &mut Model, ag: &ast::Agreement, diags: &mut Vec<Diagnostic>) {
    for s in &ag.standards {
        if let Some(first) = model.standards.iter().find(|x| x.name == s.name.name) {
            diags.push(super::scope::duplicate(
                "standard",
                &s.name.name,
                first.span,
                s.name.span,
            ));
            continue;
        }
        model.standards.push(StandardModel {
            name: s.name.name.to_string(),
            title: s.title.value.clone(),
            span: s.name.span,
        });
    }
}

/// The standard a name binds to, or E0108.
pub(super) fn standard(
    model: &Model,
    record: &Recorder,
    name: &Ident,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if let Some(i) = model.standards.iter().position(|s| s.name == name.name) {
        // reach (issue 15/20): the editor navigates from the name to its declaration.
        if let Some(s) = model.standards.get(i) {
            record.bind(name.span, DeclKind::Standard, s.span);
        }
        return Some(i);
    }
    let mut d = Diagnostic::new(
        Code::E0108,
        format!("unknown standard `{}`", name.name),
        name.span,
    )
    .with_label("no `standard` declares this name");
    d = match crate::iso::closest(&name.name, model.standards.iter().map(|s| s.name.as_str())) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help(format!(
            "declare it in the agreement: `standard {} \"Title of the Standard\"`",
            name.name
        )),
    };
    diags.push(d);
    None
}

/// An asset's `essential to` lines, resolved (an unknown standard is dropped).
pub(super) fn essential(
    model: &Model,
    record: &Recorder,
    a: &ast::Asset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<EssentialModel> {
    a.essential
        .iter()
        .filter_map(|e| {
            Some(EssentialModel {
                standard: standard(model, record, &e.standard, diags)?,
                frand: e.frand.is_some(),
                span: e.span,
            })
        })
        .collect()
}
