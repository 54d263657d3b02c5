//! The library side of every editor feature: byte offsets and [`Span`]s in, plain
//! structs out. Nothing here knows the Language Server Protocol; the `xlic-lsp` crate
//! converts positions (UTF-16) and URIs at the edge and calls these functions.
//!
//! [`analyze`] compiles the open documents (their texts taking precedence over the
//! disk) with everything they import, and indexes every declaration and use of a name
//! ([`Index`]). The other functions answer one editor question each over an
//! [`Analysis`]: [`hover`], [`definition`], [`references`], [`rename`],
//! [`completion`], [`document_symbols`], [`semantic_tokens`], [`code_actions`],
//! [`inlay_hints`], [`folding_ranges`] and [`format`].
//!
//! Every function accepts any offset and any text, including a document that does not
//! parse, and answers from whatever the (partial) syntax tree gives.

mod actions;
mod completion;
mod hints;
mod hover;
mod index;
mod navigate;
mod symbols;
mod tokens;

#[cfg(test)]
mod tests;

pub use actions::{code_actions, code_actions_in, CodeAction, TextEdit};
pub use completion::{completion, CompletionItem, CompletionKind};
pub use hints::{computed_dates, inlay_hints, ComputedDate, InlayHint};
pub use hover::hover;
pub use index::{Index, Namespace, Occurrence, Symbol, SymbolId, SymbolKind, View};
pub use navigate::{definition, prepare_rename, references, rename, RenameError};
pub use symbols::{
    document_symbols, folding_ranges, DocumentSymbol, FoldKind, FoldingRange, OutlineKind,
};
pub use tokens::{semantic_tokens, SemanticToken, TokenKind};

use crate::diagnostics::Diagnostic;
use crate::driver::{Input, Overlay};
use crate::source::{FileId, Span};
use crate::syntax::ast::SourceFileAst;
use crate::Compilation;
use std::path::{Path, PathBuf};

/// How an open document is known: by its file path, or (for a buffer never saved) by
/// a name such as its URI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKey {
    Path(PathBuf),
    Name(String),
}

/// One open document and its current text.
#[derive(Debug, Clone)]
pub struct Document {
    pub key: DocumentKey,
    pub text: String,
}

/// The compiled open documents and their imports, with the symbol index.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub compilation: Compilation,
    pub index: Index,
    /// Each file's tokens, lexed once on first use (hover asks on every request).
    lexed: LexCache,
}

/// Lexed files of one analysis, shared by its clones (they hold the same texts).
#[derive(Debug, Clone, Default)]
struct LexCache(
    std::sync::Arc<
        std::sync::Mutex<
            std::collections::BTreeMap<FileId, std::sync::Arc<crate::syntax::lexer::Lexed>>,
        >,
    >,
);

/// Compiles the open documents together (their texts taking precedence over the
/// disk), with every file they import. Imports may reach the documents' folders and
/// `roots` (an editor's workspace folders). Never fails: a document that cannot be
/// loaded as a file is compiled as a text.
pub fn analyze(docs: &[Document], roots: &[PathBuf]) -> Analysis {
    let mut overlay = Overlay {
        texts: Default::default(),
        roots: roots.to_vec(),
    };
    let dir = roots
        .first()
        .cloned()
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let mut inputs = Vec::new();
    for doc in docs {
        match &doc.key {
            DocumentKey::Path(p) => {
                overlay.texts.insert(p.clone(), doc.text.clone());
                inputs.push(Input::Path(p.clone()));
            }
            DocumentKey::Name(name) => inputs.push(Input::Text {
                name: name.clone(),
                text: doc.text.clone(),
                dir: dir.clone(),
            }),
        }
    }
    let compilation = match crate::compile_with_overlay(&inputs, &overlay) {
        Ok(c) => c,
        Err(_) => {
            // Should not happen (every document is in the overlay); compile each as text.
            let texts: Vec<Input> = docs
                .iter()
                .map(|d| Input::Text {
                    name: match &d.key {
                        DocumentKey::Path(p) => p.display().to_string(),
                        DocumentKey::Name(n) => n.clone(),
                    },
                    text: d.text.clone(),
                    dir: dir.clone(),
                })
                .collect();
            crate::compile(&texts).unwrap_or_default()
        }
    };
    let index = Index::build(&compilation.files);
    Analysis {
        compilation,
        index,
        lexed: LexCache::default(),
    }
}

/// Compiles one text alone (tests, a scratch buffer).
pub fn analyze_text(name: &str, text: &str) -> Analysis {
    analyze(
        &[Document {
            key: DocumentKey::Name(name.to_string()),
            text: text.to_string(),
        }],
        &[],
    )
}

impl Analysis {
    /// An analysis of a compilation made elsewhere (e.g. by `xlic check`).
    pub fn from_compilation(compilation: Compilation) -> Analysis {
        let index = Index::build(&compilation.files);
        Analysis {
            compilation,
            index,
            lexed: LexCache::default(),
        }
    }

    /// The tokens and comments of a file as analysed, lexed once per analysis.
    pub(crate) fn lexed(&self, file: FileId) -> std::sync::Arc<crate::syntax::lexer::Lexed> {
        let mut cache = self
            .lexed
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(file)
            .or_insert_with(|| std::sync::Arc::new(lex(file, self.text(file))))
            .clone()
    }

    /// The file loaded from `path` (any spelling of it).
    pub fn file_by_path(&self, path: &Path) -> Option<FileId> {
        let canon = crate::driver::canonical(path);
        self.compilation.sources.find_path(&canon)
    }

    /// The file of a document given as text under a name.
    pub fn file_by_name(&self, name: &str) -> Option<FileId> {
        self.compilation
            .sources
            .files()
            .iter()
            .find(|f| f.path.is_none() && f.name == name)
            .map(|f| f.id)
    }

    /// The file of an open document.
    pub fn file_of(&self, key: &DocumentKey) -> Option<FileId> {
        match key {
            DocumentKey::Path(p) => self.file_by_path(p),
            DocumentKey::Name(n) => self.file_by_name(n),
        }
    }

    /// The text of a file as analysed.
    pub fn text(&self, file: FileId) -> &str {
        self.compilation.sources.text(file)
    }

    /// The syntax tree of a file.
    pub fn ast(&self, file: FileId) -> Option<&SourceFileAst> {
        self.compilation
            .files
            .iter()
            .find(|f| f.id == file)
            .map(|f| &f.ast)
    }

    /// The diagnostics whose primary label is in a file.
    pub fn diagnostics_in(&self, file: FileId) -> impl Iterator<Item = &Diagnostic> {
        self.compilation
            .diagnostics
            .iter()
            .filter(move |d| d.primary.span.file == file)
    }

    /// Whether a file lexes and parses without error (so its tree is complete).
    pub fn parses(&self, file: FileId) -> bool {
        !self.diagnostics_in(file).any(|d| d.code.breaks_tree())
    }
}

/// The formatted text of a document (the formatter of `xlic fmt`), or `None` when it
/// does not parse or is already formatted.
pub fn format(text: &str) -> Option<String> {
    match crate::fmt::format_source(text) {
        Ok(out) if out != text => Some(out),
        _ => None,
    }
}

/// The tokens and comments of a text.
pub(crate) fn lex(file: FileId, text: &str) -> crate::syntax::lexer::Lexed {
    let mut scratch = Vec::new();
    crate::syntax::lexer::lex(file, text, &mut scratch)
}

/// Whether `offset` lies in `span` (its end included: a cursor just after a word).
pub(crate) fn touches(span: Span, file: FileId, offset: u32) -> bool {
    span.file == file && span.start <= offset && offset <= span.end
}
