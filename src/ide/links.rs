//! Imports as links: the path of every `import "…"` that loaded, with the file it
//! names, for document links, go to definition and hover.

use super::index::SymbolKind;
use super::Analysis;
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;

/// One `import "…"` whose file loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLink {
    /// The path string, quotes included.
    pub span: Span,
    /// The imported file.
    pub target: FileId,
}

/// The imports of a file that loaded, in source order.
pub fn import_links(analysis: &Analysis, file: FileId) -> Vec<ImportLink> {
    let Some(parsed) = analysis.compilation.files.iter().find(|f| f.id == file) else {
        return Vec::new();
    };
    parsed
        .ast
        .items()
        .filter_map(|item| match item {
            Item::Import(imp) => {
                let (target, _) = parsed.imports.iter().find(|(_, s)| *s == imp.span)?;
                Some(ImportLink {
                    span: imp.path.span,
                    target: *target,
                })
            }
            _ => None,
        })
        .collect()
}

/// The import whose path string holds `offset` (its closing quote included).
pub fn import_at(analysis: &Analysis, file: FileId, offset: u32) -> Option<ImportLink> {
    import_links(analysis, file)
        .into_iter()
        .find(|l| super::touches(l.span, file, offset))
}

/// The hover of an import: the file it names and what that file declares.
pub(crate) fn import_hover(analysis: &Analysis, link: ImportLink) -> String {
    let sources = &analysis.compilation.sources;
    let shown = sources
        .get(link.target)
        .map(|f| match &f.path {
            Some(p) => p.display().to_string(),
            None => f.name.clone(),
        })
        .unwrap_or_default();
    let mut counts: Vec<(SymbolKind, usize)> = Vec::new();
    for s in &analysis.index().symbols {
        if s.decl.file != link.target || (s.kind == SymbolKind::Field && s.parent.is_some()) {
            continue;
        }
        match counts.iter_mut().find(|(k, _)| *k == s.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.kind, 1)),
        }
    }
    counts.sort();
    let words: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            let noun = match k {
                SymbolKind::Field => "top-level field",
                other => other.noun(),
            };
            if *n == 1 {
                format!("1 {noun}")
            } else if let Some(stem) = noun.strip_suffix('y') {
                format!("{n} {stem}ies")
            } else {
                format!("{n} {noun}s")
            }
        })
        .collect();
    let imports = analysis
        .compilation
        .files
        .iter()
        .find(|f| f.id == link.target)
        .map_or(0, |f| f.imports.len());
    let mut out = format!("**import** `{shown}`\n\n");
    if words.is_empty() {
        out.push_str("declares nothing");
    } else {
        out.push_str(&format!("declares {}", crate::text::join_list(&words)));
    }
    if imports > 0 {
        out.push_str(&format!(
            "; imports {imports} file{} of its own",
            if imports == 1 { "" } else { "s" }
        ));
    }
    out
}
