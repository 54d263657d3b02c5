//! What names a file can see: its own declarations and those of every file it imports,
//! directly or not. Two declarations of one name in one view are E0102.

use crate::diagnostics::{Code, Diagnostic, Fix};
use crate::model::{AssetId, FieldId, PartyId};
use crate::source::Span;
use crate::syntax::ast::Ident;
use std::collections::BTreeMap;

/// One namespace: name → (declaration id, span of the declaring name).
#[derive(Debug, Clone)]
pub struct Names<T: Copy> {
    map: BTreeMap<String, (T, Span)>,
    kind: &'static str,
}

impl<T: Copy + PartialEq> Names<T> {
    pub fn new(kind: &'static str) -> Names<T> {
        Names {
            map: BTreeMap::new(),
            kind,
        }
    }

    /// Adds a declaration to the view of file `viewer`; a different declaration of the
    /// same name is E0102.
    pub fn declare(
        &mut self,
        name: &str,
        id: T,
        span: Span,
        viewer: crate::source::FileId,
        diags: &mut Vec<Diagnostic>,
    ) {
        match self.map.get(name) {
            Some(&(existing, first)) if existing != id => {
                // Blame the viewer's own declaration when the other one is imported;
                // otherwise the later of the two, so every view reports a clash alike.
                let d = if (first.file == viewer) != (span.file == viewer) {
                    let (own, imported) = if first.file == viewer {
                        (first, span)
                    } else {
                        (span, first)
                    };
                    let mut d =
                        duplicate(self.kind, name, imported, own).with_label("defined here");
                    for l in &mut d.secondary {
                        l.message = "also defined in an imported file".to_string();
                    }
                    d
                } else if first <= span {
                    duplicate(self.kind, name, first, span)
                } else {
                    duplicate(self.kind, name, span, first)
                };
                diags.push(d);
            }
            Some(_) => {}
            None => {
                self.map.insert(name.to_string(), (id, span));
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<T> {
        self.map.get(name).map(|&(id, _)| id)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Looks a name up, reporting E0101 with the nearest known name when it is missing.
    /// `elsewhere` names other namespaces the word is declared in, for the help text.
    pub fn resolve(
        &self,
        ident: &Ident,
        elsewhere: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        if let Some(id) = self.get(&ident.name) {
            return Some(id);
        }
        diags.push(unknown(self.kind, ident, self.names(), elsewhere));
        None
    }
}

/// E0102 for two declarations of one name.
pub fn duplicate(kind: &str, name: &str, first: Span, second: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("{kind} `{name}` is defined twice"),
        second,
    )
    .with_label("defined again here")
    .with_secondary(first, "first defined here")
    .with_help(format!(
        "rename one of the two, or remove the second definition of `{name}`"
    ))
}

/// E0101 for a name that is not declared, with the nearest candidate.
pub fn unknown<'a>(
    kind: &str,
    ident: &Ident,
    candidates: impl IntoIterator<Item = &'a str>,
    elsewhere: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::E0101,
        format!("unknown {kind} `{}`", ident.name),
        ident.span,
    )
    .with_label(format!("no {kind} of this name is declared"));
    if let Some(other) = elsewhere {
        d = d.with_note(format!("`{}` is {other}, not a {kind}", ident.name));
    }
    match crate::iso::closest(&ident.name, candidates) {
        Some(s) => d
            .with_help(format!("did you mean `{s}`?"))
            .with_fixes(Fix::replace_name(ident.span, &ident.name, s)),
        None => d.with_help(format!(
            "declare the {kind}, or import the file that declares it"
        )),
    }
}

/// Every namespace of one file's view.
#[derive(Debug, Clone)]
pub struct Scope {
    pub parties: Names<PartyId>,
    pub assets: Names<AssetId>,
    pub groups: Names<usize>,
    pub field_roots: Names<FieldId>,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            parties: Names::new("party"),
            assets: Names::new("asset"),
            groups: Names::new("territory group"),
            field_roots: Names::new("field"),
        }
    }
}

impl Scope {
    /// What else a name is, when it is not what was asked for.
    pub fn other_kind(&self, name: &str, asked: &str) -> Option<&'static str> {
        let kinds: [(&str, bool); 4] = [
            ("a party", self.parties.get(name).is_some()),
            ("an asset", self.assets.get(name).is_some()),
            ("a territory group", self.groups.get(name).is_some()),
            ("a field", self.field_roots.get(name).is_some()),
        ];
        kinds
            .iter()
            .find(|(k, present)| *present && !k.ends_with(asked))
            .map(|(k, _)| *k)
    }

    pub fn party(&self, ident: &Ident, diags: &mut Vec<Diagnostic>) -> Option<PartyId> {
        let other = self.other_kind(&ident.name, "party");
        self.parties.resolve(ident, other, diags)
    }

    pub fn asset(&self, ident: &Ident, diags: &mut Vec<Diagnostic>) -> Option<AssetId> {
        let other = self.other_kind(&ident.name, "asset");
        self.assets.resolve(ident, other, diags)
    }
}
