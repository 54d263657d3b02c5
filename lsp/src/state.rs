//! The server's state: the open documents (latest text and version), the analysis of
//! each generation of them (computed once, shared by every request and the
//! diagnostics worker), and per document the last analysis in which it parsed.

use crate::convert;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, OnceCell};
use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};
use xlic::ide::{self, Analysis, Document};
use xlic::source::{FileId, LineIndex};
use xlic::EditorCache;

/// One open document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub uri: Url,
    pub version: i32,
    /// Its key and text, as the library takes them: snapshots and analyses share the
    /// text instead of copying it.
    pub doc: Document,
    /// The line starts of the text, kept from one change to the next: a change moves
    /// them instead of indexing the whole text again (a keystroke in a 50k-line
    /// document cost 0.64 ms of indexing, most of a `didChange`).
    pub lines: Arc<LineIndex>,
}

/// The open documents; `generation` counts every change to any of them.
#[derive(Debug, Default)]
pub struct Store {
    pub docs: BTreeMap<Url, Doc>,
    pub generation: u64,
    /// Workspace folders: imports may reach anywhere below them.
    pub roots: Vec<PathBuf>,
    /// Every `*.xlic` under the workspace folders (the workspace index), compiled with
    /// the open documents.
    pub workspace_files: Arc<Vec<PathBuf>>,
    /// The parses and resolved grants of the last analysis, reused where nothing
    /// changed.
    pub parses: Arc<EditorCache>,
}

/// The open documents at one generation.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub generation: u64,
    pub docs: Vec<Doc>,
    pub roots: Vec<PathBuf>,
    pub workspace_files: Arc<Vec<PathBuf>>,
    pub parses: Arc<EditorCache>,
}

impl Snapshot {
    pub fn doc(&self, uri: &Url) -> Option<&Doc> {
        self.docs.iter().find(|d| &d.uri == uri)
    }
}

impl Store {
    pub fn open(&mut self, uri: Url, version: i32, text: String) {
        let key = convert::key_of(&uri);
        let lines = Arc::new(LineIndex::new(&text));
        self.docs.insert(
            uri.clone(),
            Doc {
                uri,
                version,
                doc: Document {
                    key,
                    text: text.into(),
                },
                lines,
            },
        );
        self.generation += 1;
    }

    /// Applies the changes of one `didChange`, in order. UTF-16 positions are clamped
    /// to the text; a change without a range replaces the whole text.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        // The shared text is copied once per notification into a buffer the changes
        // edit (not at all when a change replaces the whole text), and the result once
        // into the new shared text; the loader and the parse cache then share that.
        let mut edited: Option<String> = None;
        // The index of `edited` (of the document's text until a change is applied);
        // `None` after a whole-text change until a ranged one needs it.
        let mut lines: Option<Arc<LineIndex>> = Some(doc.lines.clone());
        for change in changes {
            match change.range {
                None => {
                    edited = Some(change.text);
                    lines = None;
                }
                Some(range) => {
                    let text = edited.get_or_insert_with(|| doc.doc.text.to_string());
                    let index = lines.get_or_insert_with(|| Arc::new(LineIndex::new(text)));
                    let a = convert::offset(text, index, range.start) as usize;
                    let b = convert::offset(text, index, range.end) as usize;
                    let (start, end) = (a.min(b), a.max(b));
                    if text.is_char_boundary(start) && text.is_char_boundary(end) {
                        text.replace_range(start..end, &change.text);
                        *index = Arc::new(index.replaced(text, start, end, change.text.len()));
                    }
                }
            }
        }
        if let Some(text) = edited {
            doc.lines = lines.unwrap_or_else(|| Arc::new(LineIndex::new(&text)));
            doc.doc.text = text.into();
        }
        doc.version = version;
        self.generation += 1;
    }

    /// Files on disk may have changed (a save, a watched file): analyse again.
    pub fn touch(&mut self) {
        self.generation += 1;
    }

    /// Stores the workspace index; a new analysis starts only when it changed.
    pub fn set_workspace_files(&mut self, files: Vec<PathBuf>) {
        if *self.workspace_files != files {
            self.workspace_files = Arc::new(files);
            self.generation += 1;
        }
    }

    /// Closes a document. The parse cache is dropped with it (the closed document's
    /// tree is the large thing it holds; the other documents are parsed again once).
    pub fn close(&mut self, uri: &Url) {
        if self.docs.remove(uri).is_some() {
            self.generation += 1;
            self.parses = Arc::new(EditorCache::default());
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: self.generation,
            docs: self.docs.values().cloned().collect(),
            roots: self.roots.clone(),
            workspace_files: self.workspace_files.clone(),
            parses: self.parses.clone(),
        }
    }
}

/// The analysis of one generation of the open documents, with the URI of every file.
#[derive(Debug, Default)]
pub struct Analyzed {
    pub generation: u64,
    pub analysis: Analysis,
    /// The file of each open document.
    pub files: BTreeMap<Url, FileId>,
    /// The URI of every file of the analysis that has one.
    pub uris: BTreeMap<FileId, Url>,
    /// The version of each open document.
    pub versions: BTreeMap<Url, i32>,
}

impl Analyzed {
    /// The analysis of a snapshot, or `None` when `cancel` said between two of the
    /// compiler's stages that it is no longer wanted.
    pub fn compute(snapshot: &Snapshot, cancel: Option<xlic::Cancel>) -> Option<Analyzed> {
        let docs: Vec<Document> = snapshot.docs.iter().map(|d| d.doc.clone()).collect();
        let analysis = ide::analyze_workspace_unless(
            &docs,
            &snapshot.roots,
            &snapshot.workspace_files,
            Some(snapshot.parses.clone()),
            cancel,
        )?;
        let mut files = BTreeMap::new();
        let mut uris = BTreeMap::new();
        let mut versions = BTreeMap::new();
        for d in &snapshot.docs {
            if let Some(f) = analysis.file_of(&d.doc.key) {
                files.insert(d.uri.clone(), f);
                uris.insert(f, d.uri.clone());
            }
            versions.insert(d.uri.clone(), d.version);
        }
        for f in analysis.compilation.sources.files() {
            if uris.contains_key(&f.id) {
                continue;
            }
            let uri = match &f.path {
                Some(p) => Url::from_file_path(p).ok(),
                None => Url::parse(&f.name).ok(),
            };
            if let Some(uri) = uri {
                uris.insert(f.id, uri);
            }
        }
        Some(Analyzed {
            generation: snapshot.generation,
            analysis,
            files,
            uris,
            versions,
        })
    }

    /// The answer when an analysis could not be made (it panicked): nothing.
    fn empty(generation: u64) -> Analyzed {
        Analyzed {
            generation,
            ..Analyzed::default()
        }
    }

    /// The file of a URI: an open document, or a file the analysis loaded from disk.
    pub fn file(&self, uri: &Url) -> Option<FileId> {
        if let Some(f) = self.files.get(uri) {
            return Some(*f);
        }
        self.uris
            .iter()
            .find(|(_, u)| *u == uri)
            .map(|(f, _)| *f)
            .or_else(|| {
                let path = uri.to_file_path().ok()?;
                self.analysis.file_by_path(&path)
            })
    }

    /// The text of a file as analysed.
    pub fn text(&self, file: FileId) -> &str {
        self.analysis.text(file)
    }

    pub fn lines(&self, file: FileId) -> Option<&LineIndex> {
        self.analysis
            .compilation
            .sources
            .get(file)
            .map(|f| &f.lines)
    }
}

/// The analysis cache: the generation being (or last) analysed, and per document the
/// last analysis in which it parsed.
#[derive(Default)]
struct Cache {
    current: Option<(u64, Arc<OnceCell<Arc<Analyzed>>>)>,
    last_good: BTreeMap<Url, Arc<Analyzed>>,
}

/// The last semantic tokens answered per document, by result id.
#[derive(Debug, Default)]
pub struct TokenCache {
    pub next_id: u64,
    pub by_uri: BTreeMap<Url, (String, Vec<tower_lsp::lsp_types::SemanticToken>)>,
}

/// The thread every analysis runs on. One thread, not the runtime's blocking pool:
/// glibc gives each thread that allocates its own arena and keeps freed memory in it,
/// so analyses spread over many threads held several copies of a large document's
/// trees (238 MiB resident for a 50k-line file, against 88 MiB with a single arena).
/// Analyses are queued; the diagnostics worker never asks for a stale one.
#[derive(Default)]
pub struct Analyzer {
    jobs: std::sync::OnceLock<Mutex<std::sync::mpsc::Sender<Job>>>,
}

type Job = (
    Snapshot,
    Option<xlic::Cancel>,
    tokio::sync::oneshot::Sender<Run>,
);

/// How an analysis on the analysis thread ended.
pub enum Run {
    Done(Arc<Analyzed>),
    /// Its `cancel` said it was no longer wanted.
    Cancelled,
    /// It panicked, or the thread could not be started.
    Failed,
}

impl Analyzer {
    fn sender(&self) -> std::sync::mpsc::Sender<Job> {
        let jobs = self.jobs.get_or_init(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let spawned = std::thread::Builder::new()
                .name("xlic-analysis".to_string())
                .spawn(move || {
                    // Ends when the server (and with it the sender) is dropped.
                    while let Ok((snapshot, cancel, answer)) = rx.recv() {
                        let result =
                            std::panic::catch_unwind(|| Analyzed::compute(&snapshot, cancel));
                        // Before answering: whoever waits may close a document and
                        // expect its text and tree to be freed.
                        drop(snapshot);
                        let _ = answer.send(match result {
                            Ok(Some(a)) => Run::Done(Arc::new(a)),
                            Ok(None) => Run::Cancelled,
                            Err(_) => Run::Failed,
                        });
                    }
                });
            if let Err(e) = spawned {
                eprintln!("xlic-lsp: cannot start the analysis thread: {e}");
            }
            Mutex::new(tx)
        });
        lock(jobs).clone()
    }

    /// The analysis of a snapshot, computed on the analysis thread unless `cancel`
    /// says (before it starts or between its stages) that it is no longer wanted.
    pub async fn run(&self, snapshot: Snapshot, cancel: Option<xlic::Cancel>) -> Run {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.sender().send((snapshot, cancel, tx)).is_err() {
            return Run::Failed;
        }
        rx.await.unwrap_or(Run::Failed)
    }
}

/// Everything the handlers share.
#[derive(Default)]
pub struct Shared {
    store: Mutex<Store>,
    /// The store's generation, readable without its lock: the analysis thread asks it
    /// between stages whether the version it analyses is still the newest.
    latest: Arc<AtomicU64>,
    cache: Mutex<Cache>,
    analyzer: Analyzer,
    /// Woken on every change; the diagnostics worker waits on it.
    pub changed: Notify,
    /// URIs whose last published diagnostics were not empty.
    pub published: Mutex<Vec<Url>>,
    /// Set when the client asked the server to shut down (the exit code depends on it).
    pub shutdown: AtomicBool,
    /// Set when the session is over: the diagnostics worker stops.
    pub closed: AtomicBool,
    /// The client registers file watchers dynamically (`initialize` said so).
    pub can_watch: AtomicBool,
    /// The client expands snippets in completion items.
    pub snippets: AtomicBool,
    /// The client pulls the open documents' diagnostics (`textDocument/diagnostic`).
    pub pull: AtomicBool,
    /// The client may be asked to pull again (`workspace/diagnostic/refresh`).
    pub pull_refresh: AtomicBool,
    /// The URL template of a diagnostic code's explanation (`{code}` is replaced).
    pub code_docs: Mutex<String>,
    /// The last full semantic tokens sent per document, for delta requests.
    pub semantic_tokens: Mutex<TokenCache>,
}

/// Locks a mutex, going on with the data when a panic poisoned it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// Changes the documents; every caller must call this before any `.await`, so that
    /// changes are applied in the order they arrived.
    pub fn edit(&self, f: impl FnOnce(&mut Store)) {
        {
            let mut store = lock(&self.store);
            f(&mut store);
            self.latest.store(store.generation, Ordering::SeqCst);
        }
        self.changed.notify_one();
    }

    pub fn snapshot(&self) -> Snapshot {
        lock(&self.store).snapshot()
    }

    /// Ends the session: the diagnostics worker stops at its next wake-up.
    pub fn stop(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.changed.notify_one();
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    pub fn generation(&self) -> u64 {
        lock(&self.store).generation
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        lock(&self.store).roots = roots;
    }

    /// Adds and removes workspace folders (a new analysis follows the rescan).
    pub fn change_roots(&self, added: Vec<PathBuf>, removed: &[PathBuf]) {
        self.edit(|s| {
            s.roots.retain(|r| !removed.contains(r));
            for r in added {
                if !s.roots.contains(&r) {
                    s.roots.push(r);
                }
            }
            s.generation += 1;
        });
    }

    /// The analysis of the documents as they are now: the cached one when it is of the
    /// current generation and done (no copy of the texts is made), else computed.
    pub async fn analysis_now(&self) -> Arc<Analyzed> {
        let generation = self.generation();
        let done = {
            let cache = lock(&self.cache);
            match &cache.current {
                Some((g, cell)) if *g == generation => cell.get().cloned(),
                _ => None,
            }
        };
        match done {
            Some(a) => a,
            None => self.analysis(self.snapshot()).await,
        }
    }

    /// The analysis of a snapshot: computed once per generation however many ask for it.
    pub async fn analysis(&self, snapshot: Snapshot) -> Arc<Analyzed> {
        let generation = snapshot.generation;
        let (cell, _) = self.cell(generation);
        // Only a cancellable analysis is ever cancelled.
        self.fill(cell, snapshot, false)
            .await
            .unwrap_or_else(|| Arc::new(Analyzed::empty(generation)))
    }

    /// The analysis of a snapshot unless it is already stale: `None` when the
    /// documents have changed since or a newer generation is being analysed, or when
    /// they change while it runs (it is then cancelled at the compiler's next stage, and
    /// a request that waits for the same generation computes it again): the
    /// diagnostics worker never spends time on a version nobody will see.
    pub async fn analysis_if_current(&self, snapshot: Snapshot) -> Option<Arc<Analyzed>> {
        if self.generation() != snapshot.generation {
            return None;
        }
        let (cell, current) = self.cell(snapshot.generation);
        if !current {
            return None;
        }
        self.fill(cell, snapshot, true).await
    }

    /// The cell of a generation's analysis, and whether it is the shared one: a
    /// generation older than the one being analysed gets a cell of its own (a request
    /// that must see its own version analyses it alone).
    fn cell(&self, generation: u64) -> (Arc<OnceCell<Arc<Analyzed>>>, bool) {
        let mut cache = lock(&self.cache);
        match &cache.current {
            Some((g, cell)) if *g == generation => (cell.clone(), true),
            Some((g, _)) if *g > generation => (Arc::new(OnceCell::new()), false),
            _ => {
                let cell = Arc::new(OnceCell::new());
                cache.current = Some((generation, cell.clone()));
                (cell, true)
            }
        }
    }

    /// The cell's analysis, computed now if nobody has yet; with `cancellable`, the
    /// computation stops once a newer generation exists (`None`, and the cell stays
    /// empty for whoever still wants this generation).
    async fn fill(
        &self,
        cell: Arc<OnceCell<Arc<Analyzed>>>,
        snapshot: Snapshot,
        cancellable: bool,
    ) -> Option<Arc<Analyzed>> {
        let generation = snapshot.generation;
        let cancel = cancellable.then(|| {
            let latest = self.latest.clone();
            xlic::Cancel::new(move || latest.load(Ordering::SeqCst) != generation)
        });
        let analyzed = cell
            .get_or_try_init(|| async move {
                match self.analyzer.run(snapshot, cancel).await {
                    Run::Done(a) => Ok(a),
                    Run::Cancelled => Err(()),
                    // The analysis panicked: answer with nothing rather than die.
                    Run::Failed => Ok(Arc::new(Analyzed::empty(generation))),
                }
            })
            .await
            .ok()?
            .clone();
        self.remember_good(&analyzed);
        Some(analyzed)
    }

    fn remember_good(&self, analyzed: &Arc<Analyzed>) {
        let mut cache = lock(&self.cache);
        for (uri, file) in &analyzed.files {
            if !analyzed.analysis.parses(*file) {
                continue;
            }
            let newer = cache
                .last_good
                .get(uri)
                .is_none_or(|old| old.generation < analyzed.generation);
            if newer {
                cache.last_good.insert(uri.clone(), analyzed.clone());
            }
        }
    }

    /// The last analysis in which the document parsed, if it is not `current`.
    pub fn last_good(&self, uri: &Url, current: &Analyzed) -> Option<Arc<Analyzed>> {
        let cache = lock(&self.cache);
        cache
            .last_good
            .get(uri)
            .filter(|a| a.generation != current.generation)
            .cloned()
    }

    /// Drops everything kept for a closed document: its last good analysis, and every
    /// other document's last good analysis that holds it too, and the current analysis
    /// when it holds it (so a large document's text and tree are freed when it closes,
    /// not when the others next parse).
    pub fn forget(&self, uri: &Url) {
        let mut cache = lock(&self.cache);
        cache
            .last_good
            .retain(|u, an| u != uri && !an.files.contains_key(uri));
        let holds = |cell: &OnceCell<Arc<Analyzed>>| {
            cell.get().is_some_and(|an| an.files.contains_key(uri))
        };
        if cache.current.as_ref().is_some_and(|(_, cell)| holds(cell)) {
            cache.current = None;
        }
        drop(cache);
        lock(&self.semantic_tokens).by_uri.remove(uri);
    }
}

/// Maps offsets between an older text and a newer one: offsets before the first
/// difference or after the last one map; offsets inside the changed part do not.
#[derive(Debug, Clone, Copy)]
pub struct TextMap {
    prefix: usize,
    old_len: usize,
    new_len: usize,
    suffix: usize,
}

impl TextMap {
    pub fn new(old: &str, new: &str) -> TextMap {
        let change = xlic::syntax::shift::Change::between(old, new);
        TextMap {
            prefix: change.start,
            old_len: old.len(),
            new_len: new.len(),
            suffix: old.len() - change.old_end,
        }
    }

    /// A new-text offset in the old text.
    pub fn to_old(self, offset: u32) -> Option<u32> {
        map(
            offset as usize,
            self.prefix,
            self.new_len,
            self.old_len,
            self.suffix,
        )
    }

    /// An old-text offset in the new text.
    pub fn to_new(self, offset: u32) -> Option<u32> {
        map(
            offset as usize,
            self.prefix,
            self.old_len,
            self.new_len,
            self.suffix,
        )
    }
}

fn map(offset: usize, prefix: usize, from_len: usize, to_len: usize, suffix: usize) -> Option<u32> {
    let out = if offset <= prefix {
        offset
    } else if offset >= from_len.saturating_sub(suffix) && offset <= from_len {
        offset + to_len - from_len
    } else {
        return None;
    };
    u32::try_from(out).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// After `didClose`, nothing the server keeps holds the document's tree: its
    /// memory is released at once, not at the next analysis.
    #[tokio::test]
    async fn closing_a_document_releases_its_tree() {
        let shared = Shared::default();
        let uri = Url::parse("untitled:big.xlic").unwrap();
        let text = "party acme \"Acme\"\nparty globex \"Globex\"\n".to_string();
        shared.edit(|s| s.open(uri.clone(), 1, text));
        let analysed = shared.analysis_now().await;
        let file = analysed.files.get(&uri).copied().unwrap();
        let tree = analysed
            .analysis
            .compilation
            .files
            .iter()
            .find(|f| f.id == file)
            .map(|f| Arc::downgrade(&f.ast))
            .unwrap();
        drop(analysed);
        assert!(tree.upgrade().is_some(), "the open document's tree is kept");
        shared.edit(|s| s.close(&uri));
        shared.forget(&uri);
        assert!(
            tree.upgrade().is_none(),
            "the closed document's tree is still held"
        );
    }

    /// The diagnostics worker's analysis of a version an edit has replaced is
    /// cancelled (it publishes nothing), and a request that still wants that version
    /// gets it computed, not an empty answer.
    #[tokio::test]
    async fn a_stale_analysis_is_cancelled_and_computed_again_on_request() {
        let shared = Shared::default();
        let uri = Url::parse("untitled:a.xlic").unwrap();
        let text = "party acme \"Acme\"\nparty globex \"Globex\"\n".to_string();
        shared.edit(|s| s.open(uri.clone(), 1, text));
        let first = shared.snapshot();
        shared.edit(|s| s.touch());
        assert!(shared.analysis_if_current(first.clone()).await.is_none());
        let (cell, _) = shared.cell(first.generation);
        assert!(shared
            .fill(cell.clone(), first.clone(), true)
            .await
            .is_none());
        assert!(cell.get().is_none(), "a cancelled analysis was kept");
        let asked = shared.analysis(first.clone()).await;
        assert_eq!(asked.generation, first.generation);
        assert!(
            asked.files.contains_key(&uri),
            "the request got an empty analysis"
        );
        let now = shared.snapshot();
        let current = shared.analysis_if_current(now.clone()).await;
        assert_eq!(current.map(|a| a.generation), Some(now.generation));
    }

    /// The line index a document keeps across changes is always the index of its
    /// text: ranged changes (several in one notification, line ends typed and
    /// deleted, CRLF split and joined) and whole-text ones.
    #[test]
    fn a_documents_line_index_follows_its_changes() {
        use tower_lsp::lsp_types::{Position, Range};
        let mut store = Store::default();
        let uri = Url::parse("untitled:lines.xlic").unwrap();
        store.open(
            uri.clone(),
            1,
            "party a \"A\"\r\nparty b \"B\"\n\nx\ry".to_string(),
        );
        let ranged = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        };
        let whole = |text: &str| TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.to_string(),
        };
        let steps = vec![
            vec![ranged(0, 5, 0, 5, "\n")],
            vec![ranged(1, 0, 1, 0, "\r"), ranged(3, 1, 3, 1, "zz\r\n")],
            vec![ranged(0, 0, 2, 3, "")],
            vec![whole("a\nb\nc"), ranged(1, 1, 2, 0, "\r")],
            vec![ranged(0, 1, 0, 1, "\n"), ranged(9, 0, 9, 0, "tail\n")],
            vec![whole("only\r\nlines\r")],
        ];
        for (n, changes) in steps.into_iter().enumerate() {
            store.change(&uri, 2 + n as i32, changes);
            let doc = store.docs.get(&uri).unwrap();
            let fresh = LineIndex::new(&doc.doc.text);
            assert_eq!(
                doc.lines.line_count(),
                fresh.line_count(),
                "step {n}: {:?}",
                doc.doc.text
            );
            for line in 0..fresh.line_count() {
                assert_eq!(
                    doc.lines.line_start(line),
                    fresh.line_start(line),
                    "step {n}"
                );
            }
        }
    }
}
