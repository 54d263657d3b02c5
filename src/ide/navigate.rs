//! Go to definition, find references and rename, over the symbol index.

use super::actions::TextEdit;
use super::index::{Namespace, SymbolId, SymbolKind};
use super::Analysis;
use crate::source::{FileId, Span};
use crate::syntax::token::Token;

/// Why a rename was refused, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError {
    pub message: String,
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn refuse(message: impl Into<String>) -> RenameError {
    RenameError {
        message: message.into(),
    }
}

/// The declaration of the name at `offset`; on the path of an `import`, the start of
/// the imported file.
pub fn definition(analysis: &Analysis, file: FileId, offset: u32) -> Option<Span> {
    let Some(occ) = analysis.index().at(file, offset) else {
        let link = super::links::import_at(analysis, file, offset)?;
        return Some(Span::new(link.target, 0, 0));
    };
    analysis.index().symbol(occ.symbol).map(|s| s.decl)
}

/// Every use of the name at `offset` (its declaration first when asked for), in every
/// analysed file.
pub fn references(
    analysis: &Analysis,
    file: FileId,
    offset: u32,
    include_declaration: bool,
) -> Vec<Span> {
    let Some(occ) = analysis.index().at(file, offset) else {
        return Vec::new();
    };
    analysis
        .index()
        .occurrences_of(occ.symbol)
        .into_iter()
        .filter(|o| include_declaration || !o.is_decl)
        .map(|o| o.span)
        .collect()
}

/// The span of the renamable name at `offset`, or why it cannot be renamed.
pub fn prepare_rename(analysis: &Analysis, file: FileId, offset: u32) -> Result<Span, RenameError> {
    match analysis.index().at(file, offset) {
        Some(occ) => Ok(occ.span),
        None => Err(refuse(
            "only the name of a party, affiliate, asset, field, territory group, grant or reservation can be renamed",
        )),
    }
}

/// The edits that rename the declaration of the name at `offset` and every use of it.
/// Refused when `new_name` is not a name, is a reserved word, or is already declared
/// in the same namespace.
pub fn rename(
    analysis: &Analysis,
    file: FileId,
    offset: u32,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    let occ = analysis.index().at(file, offset).ok_or_else(|| {
        refuse("only the name of a party, affiliate, asset, field, territory group, grant or reservation can be renamed")
    })?;
    let symbol = analysis
        .index()
        .symbol(occ.symbol)
        .ok_or_else(|| refuse("the name is not declared"))?;
    check_identifier(new_name)?;
    if symbol.name == new_name {
        return Ok(Vec::new());
    }
    if let Some(clash) = taken(analysis, occ.symbol, new_name) {
        return Err(refuse(clash));
    }
    Ok(analysis
        .index()
        .occurrences_of(occ.symbol)
        .into_iter()
        .map(|o| TextEdit {
            span: o.span,
            new_text: new_name.to_string(),
        })
        .collect())
}

/// A new name must lex as exactly one name (not a keyword).
fn check_identifier(name: &str) -> Result<(), RenameError> {
    let lexed = super::lex(FileId(0), name);
    match lexed.tokens.as_slice() {
        [(0, Token::Ident, end)] if *end == name.len() && lexed.comments.is_empty() => Ok(()),
        [(0, t, end)] if *end == name.len() && t.is_keyword() => Err(refuse(format!(
            "`{name}` is a reserved word of the language and cannot be a name"
        ))),
        _ => Err(refuse(format!(
            "`{}` is not a name: names are ASCII letters, digits and `_`, and do not start with a digit",
            name.chars().flat_map(char::escape_debug).collect::<String>()
        ))),
    }
}

/// Why `new_name` is taken for the symbol's namespace, if it is.
fn taken(analysis: &Analysis, id: SymbolId, new_name: &str) -> Option<String> {
    let index = &analysis.index();
    let symbol = index.symbol(id)?;
    let same_name = |kinds: &[SymbolKind]| {
        index
            .symbols
            .iter()
            .enumerate()
            .find(|(i, s)| *i != id && s.name == new_name && kinds.contains(&s.kind))
            .map(|(_, s)| s.clone())
    };
    let clash = match symbol.kind.namespace() {
        Namespace::Party => same_name(&[SymbolKind::Party, SymbolKind::Affiliate]),
        Namespace::Asset => same_name(&[SymbolKind::Asset]),
        Namespace::Group => {
            if matches!(new_name, "EU" | "EEA") {
                return Some(format!("`{new_name}` is a built-in territory group"));
            }
            if crate::iso::country_index(new_name).is_some() {
                return Some(format!(
                    "`{new_name}` is the ISO 3166-1 code of {}; a group of that name would hide the country",
                    crate::iso::country_name(new_name).unwrap_or("a country")
                ));
            }
            same_name(&[SymbolKind::Group])
        }
        Namespace::Field => match symbol.parent {
            Some(parent) => index
                .field_children(parent)
                .iter()
                .find(|(n, c)| *c != id && n == new_name)
                .and_then(|(_, c)| index.symbol(*c).cloned()),
            None => index
                .symbols
                .iter()
                .enumerate()
                .find(|(i, s)| {
                    *i != id
                        && s.kind == SymbolKind::Field
                        && s.parent.is_none()
                        && s.name == new_name
                })
                .map(|(_, s)| s.clone()),
        },
        Namespace::Standard => same_name(&[SymbolKind::Standard]),
        Namespace::Clause => index
            .symbols
            .iter()
            .enumerate()
            .find(|(i, s)| {
                *i != id
                    && matches!(s.kind, SymbolKind::Grant | SymbolKind::Reservation)
                    && s.decl.file == symbol.decl.file
                    && s.name == new_name
            })
            .map(|(_, s)| s.clone()),
    }?;
    let sources = &analysis.compilation.sources;
    let at = sources.line_col(clash.decl.file, clash.decl.start);
    Some(format!(
        "`{new_name}` is already the name of {} {} (declared at {}:{})",
        article(clash.kind.noun()),
        clash.kind.noun(),
        sources.name(clash.decl.file),
        at.line
    ))
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The declarations whose name matches `query`, for a workspace-wide symbol search:
/// case-insensitively, the query's characters in order (`acmo` finds `acme_motion`;
/// a field also matches by its dotted path); an empty query matches every one. Best
/// first: names equal to the query, then names that start with it, then the rest,
/// each group by name and place. At most `limit`.
pub fn workspace_symbols(analysis: &Analysis, query: &str, limit: usize) -> Vec<SymbolId> {
    let q = query.to_lowercase();
    let mut found: Vec<(u8, &str, Span, SymbolId)> = analysis
        .index()
        .symbols
        .iter()
        .enumerate()
        .filter_map(|(id, s)| {
            let name = s.name.to_lowercase();
            let rank = if name == q {
                0
            } else if name.starts_with(&q) {
                1
            } else if in_order(&q, &name) || in_order(&q, &s.path.to_lowercase()) {
                2
            } else {
                return None;
            };
            Some((rank, s.name.as_str(), s.decl, id))
        })
        .collect();
    found.sort_by(|a, b| (a.0, a.1, a.2.file, a.2.start).cmp(&(b.0, b.1, b.2.file, b.2.start)));
    found.into_iter().take(limit).map(|f| f.3).collect()
}

/// Whether the characters of `query` appear in `text` in order.
fn in_order(query: &str, text: &str) -> bool {
    let mut rest = text.chars();
    query.chars().all(|c| rest.any(|t| t == c))
}
