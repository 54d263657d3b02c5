//! The library side of every editor feature: byte offsets and [`Span`]s in, plain
//! structs out. Nothing here knows the Language Server Protocol; the `xlic-lsp` crate
//! converts positions (UTF-16) and URIs at the edge and calls these functions.
//!
//! [`analyze`] compiles the open documents (their texts taking precedence over the
//! disk) with everything they import; the index of every declaration and use of a name
//! ([`Index`]) is built on the first question that needs it ([`Analysis::index`]).
//! The other functions answer one editor question each over an
//! [`Analysis`]: [`hover`], [`definition`], [`references`], [`rename`],
//! [`completion`], [`document_symbols`], [`semantic_tokens`], [`code_actions`],
//! [`inlay_hints`], [`folding_ranges`], [`import_links`], [`selection_ranges`],
//! [`highlights`], [`format`] and [`format_range`].
//!
//! Every function accepts any offset and any text, including a document that does not
//! parse, and answers from whatever the (partial) syntax tree gives.

mod actions;
mod completion;
mod editing;
mod hints;
mod hover;
mod index;
mod links;
mod navigate;
mod symbols;
mod tokens;

#[cfg(test)]
mod tests;

pub use actions::{code_actions, code_actions_in, CodeAction, TextEdit};
pub use completion::{completion, CompletionItem, CompletionKind};
pub use editing::{format_range, highlights, selection_ranges, Highlight};
pub use hints::{computed_dates, inlay_hints, ComputedDate, InlayHint};
pub use hover::hover;
pub use index::{Index, Namespace, Occurrence, Symbol, SymbolId, SymbolKind, View};
pub use links::{import_at, import_links, ImportLink};
pub use navigate::{
    definition, prepare_rename, references, rename, workspace_symbols, RenameError,
};
pub use symbols::{
    document_symbols, folding_ranges, DocumentSymbol, FoldKind, FoldingRange, OutlineKind,
};
pub use tokens::{semantic_tokens, SemanticToken, TokenKind};

use crate::diagnostics::Diagnostic;
use crate::driver::{Input, Overlay};
use crate::source::{FileId, Span};
use crate::syntax::ast::SourceFileAst;
use crate::Compilation;
use crate::EditorCache;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How an open document is known: by its file path, or (for a buffer never saved) by
/// a name such as its URI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKey {
    Path(PathBuf),
    Name(String),
}

/// One open document and its current text: the one document type of the editor
/// side. The language server keeps its documents as these, its snapshots share them,
/// and the loader reads them through the [`Overlay`] without a copy (`Arc<str>`).
#[derive(Debug, Clone)]
pub struct Document {
    pub key: DocumentKey,
    pub text: Arc<str>,
}

/// The compiled open documents and their imports, with the symbol index.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub compilation: Compilation,
    /// The symbol index, built on the first request that needs it ([`Analysis::index`]),
    /// never before: an editor publishes an edit's diagnostics without waiting for it.
    /// Shared by the analysis' clones.
    index: Arc<std::sync::OnceLock<Index>>,
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
    analyze_workspace(docs, roots, &[], None)
}

/// Like [`analyze`], with every file of `workspace` (an editor's index of the `*.xlic`
/// files under its workspace folders) compiled too, from disk unless it is open: the
/// whole workspace is checked together, as `xlic check FOLDER` does, so references and
/// rename reach files that are not open and their diagnostics are known. A workspace
/// file that cannot be read (deleted since it was indexed) costs only itself: the
/// analysis is made again without the workspace files that are gone. With `cache`
/// (kept by the caller from one analysis to the next), files whose text did not change
/// since the last analysis are not parsed again, and grants that did not change are
/// not resolved again.
pub fn analyze_workspace(
    docs: &[Document],
    roots: &[PathBuf],
    workspace: &[PathBuf],
    cache: Option<Arc<EditorCache>>,
) -> Analysis {
    analyze_workspace_unless(docs, roots, workspace, cache, None)
        .unwrap_or_else(|| analyze_as_texts(docs, roots))
}

/// Like [`analyze_workspace`], stopping between the compiler's stages once `cancel`
/// says the analysis is no longer wanted (a newer edit made it stale): `None` then.
pub fn analyze_workspace_unless(
    docs: &[Document],
    roots: &[PathBuf],
    workspace: &[PathBuf],
    cache: Option<Arc<EditorCache>>,
    cancel: Option<crate::Cancel>,
) -> Option<Analysis> {
    let all: Vec<&PathBuf> = workspace.iter().collect();
    let readable = || -> Vec<&PathBuf> { workspace.iter().filter(|p| p.is_file()).collect() };
    let attempt = |files: &[&PathBuf]| try_analyze(docs, roots, files, cache.clone(), &cancel);
    let outcome = match attempt(&all) {
        Attempt::Failed => match attempt(&readable()) {
            Attempt::Failed => attempt(&[]),
            other => other,
        },
        other => other,
    };
    match outcome {
        Attempt::Done(analysis) => Some(*analysis),
        Attempt::Failed => Some(analyze_as_texts(docs, roots)),
        Attempt::Cancelled => None,
    }
}

/// How one attempt at an analysis ended.
enum Attempt {
    Done(Box<Analysis>),
    /// Loading failed (a workspace file could not be read).
    Failed,
    Cancelled,
}

/// Where documents that are not files resolve their imports: the first root, else the
/// current directory.
fn base_dir(roots: &[PathBuf]) -> PathBuf {
    roots
        .first()
        .cloned()
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
}

/// The analysis of the documents and the workspace files.
fn try_analyze(
    docs: &[Document],
    roots: &[PathBuf],
    workspace: &[&PathBuf],
    cache: Option<Arc<EditorCache>>,
    cancel: &Option<crate::Cancel>,
) -> Attempt {
    let mut overlay = Overlay {
        texts: Default::default(),
        roots: roots.to_vec(),
        parses: cache.as_ref().map(|c| c.parses.clone()),
    };
    let dir = base_dir(roots);
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
    inputs.extend(workspace.iter().map(|p| Input::Path(p.to_path_buf())));
    let options = crate::Options {
        overlay,
        editor_cache: cache,
        cancel: cancel.clone(),
        ..crate::Options::default()
    };
    match crate::compile_unless_cancelled(&inputs, &options) {
        Ok(Some(compilation)) => Attempt::Done(Box::new(Analysis::from_compilation(compilation))),
        Ok(None) => Attempt::Cancelled,
        Err(_) => Attempt::Failed,
    }
}

/// Every document compiled as a text (when even the documents alone cannot be loaded,
/// which the overlay should prevent).
fn analyze_as_texts(docs: &[Document], roots: &[PathBuf]) -> Analysis {
    let dir = base_dir(roots);
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
    Analysis::from_compilation(
        crate::compile(&texts, &crate::Options::default()).unwrap_or_default(),
    )
}

/// Compiles one text alone (tests, a scratch buffer).
pub fn analyze_text(name: &str, text: &str) -> Analysis {
    analyze(
        &[Document {
            key: DocumentKey::Name(name.to_string()),
            text: text.into(),
        }],
        &[],
    )
}

impl Analysis {
    /// An analysis of a compilation made elsewhere (e.g. by `xlic check`).
    /// The index is not built here but on first use.
    pub fn from_compilation(compilation: Compilation) -> Analysis {
        Analysis {
            compilation,
            index: Arc::default(),
            lexed: LexCache::default(),
        }
    }

    /// The symbol index of every declaration and use of a name, built on the first
    /// call (the requests that navigate, hover, complete or colour ask for it; the
    /// diagnostics never do) and kept for this analysis.
    pub fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(&self.compilation.files, &self.compilation.bindings))
    }

    /// Whether the symbol index has been built (by a request that needed it).
    pub fn index_built(&self) -> bool {
        self.index.get().is_some()
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
            .map(|f| f.ast.as_ref())
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
