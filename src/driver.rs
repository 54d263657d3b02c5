//! Loading a compilation: the files and folders named, stdin, and every file they
//! import (relative to the importer, never outside the folders named), then parsing.

use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Item, SourceFileAst};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// At most this many files are loaded in one compilation (named and imported).
pub const MAX_FILES: usize = crate::limits::DEFAULT_MAX_FILES;

/// One parsed file with its resolved imports.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub id: FileId,
    /// Shared, so that an editor's next analysis can reuse the tree of a file that did
    /// not change (see [`ParseCache`]).
    pub ast: Arc<SourceFileAst>,
    /// Files this one imports (only those that loaded), with the import's span.
    pub imports: Vec<(FileId, Span)>,
}

/// A failure that stops before any checking: a path that is not there or cannot be
/// read. The CLI reports it and exits with status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// What a compilation starts from.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file or a folder (searched recursively for `*.xlic`).
    Path(PathBuf),
    /// Text given directly (stdin, an editor buffer) under a display name; its imports
    /// resolve relative to `dir`. Shared, not copied: the source map and the parse
    /// cache keep the same `Arc`.
    Text {
        name: String,
        text: Arc<str>,
        dir: PathBuf,
    },
    /// Raw bytes (stdin): decoded as UTF-8, with E0003 where they are not.
    Bytes {
        name: String,
        bytes: Vec<u8>,
        dir: PathBuf,
    },
}

/// The loaded and parsed files.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Files with an import that could not be loaded (their unknown names are not
    /// reported: they probably come from the missing file).
    pub broken_imports: Vec<FileId>,
    pub files: Vec<ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes file bytes: invalid UTF-8 is reported (E0003) and replaced, and the rest of
/// the file is still checked.
pub fn decode(file: FileId, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            diags.push(
                Diagnostic::new(
                    Code::E0003,
                    "the file is not valid UTF-8",
                    Span::new(file, at, at + 1),
                )
                .with_label(format!("invalid byte sequence at byte {at}"))
                .with_help("save the file as UTF-8; invalid bytes were read as `\u{FFFD}`"),
            );
            text
        }
    }
}

/// The `.xlic` files a path names: the file itself, or every `*.xlic` below a folder
/// (sorted, recursively). The walk stays inside the folder: a link in it that leads
/// out, or a file in it that is not a regular file, is an input error.
pub fn xlic_files(path: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    collect(path, &[], &mut out)?;
    Ok(out)
}

/// What kind of thing a path is, in words, when it is not a regular file.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("it is a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("it is a FIFO (named pipe), not a regular file");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("it is a device, not a regular file");
        }
        if kind.is_socket() {
            return Some("it is a socket, not a regular file");
        }
    }
    Some("it is not a regular file")
}

/// Every `.xlic` file below `path` (or `path` itself when it is not a folder), in
/// sorted order, depth first, without recursion. A link may lead anywhere inside the
/// folder walked or inside `roots`; one that leads elsewhere is refused (its target's
/// content could end up in diagnostics). A folder reached twice (through links) is
/// walked once.
fn collect(path: &Path, roots: &[PathBuf], out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError {
        message: format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
    })?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let root = canonical(path);
    let mut walked = std::collections::BTreeSet::from([root.clone()]);
    // Folders being walked: their sorted entries and the position of the next one.
    let mut stack: Vec<(Vec<PathBuf>, usize)> = vec![(sorted_entries(path)?, 0)];
    while let Some((entries, next)) = stack.last_mut() {
        let Some(child) = entries.get(*next).cloned() else {
            stack.pop();
            continue;
        };
        *next += 1;
        let is_xlic = child.extension().is_some_and(|x| x == "xlic");
        let Ok(meta) = std::fs::metadata(&child) else {
            // Gone, or a link to nothing: reported when read, like any missing file.
            if is_xlic {
                out.push(child);
            }
            continue;
        };
        if !meta.is_dir() && !is_xlic {
            continue;
        }
        let is_link = std::fs::symlink_metadata(&child).is_ok_and(|m| m.file_type().is_symlink());
        let target = canonical(&child);
        if is_link && !target.starts_with(&root) && !roots.iter().any(|r| target.starts_with(r)) {
            return Err(InputError {
                message: format!(
                    "`{}` is a link to `{}`, outside `{}`; links in a checked folder must stay inside it (name the target on the command line instead)",
                    child.display(),
                    target.display(),
                    path.display()
                ),
            });
        }
        if meta.is_dir() {
            if walked.insert(target) {
                stack.push((sorted_entries(&child)?, 0));
            }
        } else if let Some(kind) = not_regular(&meta) {
            return Err(InputError {
                message: format!("cannot read `{}`: {kind}", child.display()),
            });
        } else {
            out.push(child);
        }
    }
    Ok(())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let entries = std::fs::read_dir(dir).map_err(|e| InputError {
        message: format!("cannot read folder `{}`: {}", dir.display(), io_reason(&e)),
    })?;
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    Ok(children)
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A folder, a FIFO, a device or a socket: refused before it is opened (a FIFO
    /// would block the reader forever, a device never end).
    NotRegular(&'static str),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => f.write_str(kind),
            ReadError::Io(e) => f.write_str(&io_reason(e)),
        }
    }
}

/// Opens a file for reading if it is a regular file: its kind is checked before it is
/// opened, and again on the open file (on Unix it is opened without blocking, so a
/// FIFO put in its place meanwhile cannot block either).
pub fn open_regular(path: &Path) -> Result<std::fs::File, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    Ok(file)
}

/// Reads a regular file of at most `max_bytes` bytes: what `xlic fmt`, `xlic query`
/// and the loader read through. A larger file is not read past the limit; the error
/// names its size.
pub fn read_regular(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    let bytes = read_capped(path, max_bytes)?;
    if bytes.size > max_bytes as u64 {
        return Err(ReadError::Io(std::io::Error::other(format!(
            "it is {} bytes, over the limit of {max_bytes} bytes (raise it with --max-file-bytes)",
            bytes.size
        ))));
    }
    Ok(bytes.bytes)
}

fn read_capped(path: &Path, max_bytes: usize) -> Result<FileBytes, ReadError> {
    use std::io::Read;
    let file = open_regular(path)?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    // Room for what the file says it holds (up to the limit and one byte more, to see
    // that it ends): a large file is then read without growing and copying the buffer
    // again and again. A size that is wrong (a special file) only makes it grow, and
    // room the allocator refuses is not taken in advance (the read then fails as it
    // would have, with an error rather than an abort).
    let room = usize::try_from(declared)
        .unwrap_or(usize::MAX)
        .min(max_bytes);
    let mut bytes = Vec::new();
    let _ = bytes.try_reserve_exact(room.saturating_add(1));
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    let size = declared.max(bytes.len() as u64);
    Ok(FileBytes { bytes, size })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub use crate::source::canonical;

/// Parses kept from one load to the next, for an editor that compiles the same files
/// again after every keystroke: a file loaded with the same id and the same text as
/// last time is not parsed again (its tree and syntax diagnostics are reused). Each
/// load keeps only the files it loaded, so a file that is no longer part of the
/// compilation (a closed document) is dropped. The limits must be the same for every
/// load that shares a cache.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: Mutex<BTreeMap<FileId, CachedParse>>,
}

#[derive(Debug)]
struct CachedParse {
    /// The text parsed: the same `Arc` as the source map's, not a copy.
    text: Arc<str>,
    ast: Arc<SourceFileAst>,
    diagnostics: Vec<Diagnostic>,
}

impl ParseCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<FileId, CachedParse>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many files are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Parses a file, or reuses the parse of the same id and text from `cache`.
fn parse_cached(
    cache: Option<&ParseCache>,
    id: FileId,
    text: Arc<str>,
    limits: &Limits,
) -> (Arc<SourceFileAst>, Vec<Diagnostic>) {
    // The previous parse of the file (taken out: it is replaced): the same text is
    // reused, an edited one reparsed from it (only the items the edit touched).
    let previous = cache.and_then(|c| c.lock().remove(&id));
    let result = match previous {
        Some(hit) if Arc::ptr_eq(&hit.text, &text) || hit.text == text => {
            let reused = (hit.ast.clone(), hit.diagnostics.clone());
            if let Some(cache) = cache {
                cache.lock().insert(id, hit);
            }
            return reused;
        }
        Some(old) => crate::syntax::parser::try_reparse(
            id,
            &old.text,
            &old.ast,
            &old.diagnostics,
            &text,
            limits,
        )
        .unwrap_or_else(|| crate::syntax::parser::parse_with(id, &text, limits)),
        None => crate::syntax::parser::parse_with(id, &text, limits),
    };
    let ast = Arc::new(result.ast);
    if let Some(cache) = cache {
        cache.lock().insert(
            id,
            CachedParse {
                text,
                ast: ast.clone(),
                diagnostics: result.diagnostics.clone(),
            },
        );
    }
    (ast, result.diagnostics)
}

/// In-memory texts that take precedence over the disk (an editor's open buffers), and
/// extra folders that imports may reach (its workspace folders).
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// File texts by path; paths are canonicalized when the overlay is used, so any
    /// spelling of a file's path finds it.
    pub texts: BTreeMap<PathBuf, Arc<str>>,
    /// Folders, besides those the inputs name, that imports may reach.
    pub roots: Vec<PathBuf>,
    /// Parses to reuse from the last load, and to keep for the next.
    pub parses: Option<Arc<ParseCache>>,
}

impl Overlay {
    /// The overlay's texts keyed by canonical path.
    fn canonical_texts(&self) -> BTreeMap<PathBuf, &Arc<str>> {
        self.texts.iter().map(|(p, t)| (canonical(p), t)).collect()
    }
}

/// A file's bytes as read, and its whole size: a file over the size limit is not read
/// past the limit, so `bytes` may be shorter than `size`.
struct FileBytes {
    bytes: Vec<u8>,
    size: u64,
}

/// What the loader reads a file as: bytes still to decode (a file on disk, stdin), or
/// a text already decoded (an editor's buffer, a text input), kept shared.
enum FileText {
    Bytes(FileBytes),
    Shared(Arc<str>),
}

impl FileBytes {
    fn whole(bytes: Vec<u8>) -> FileBytes {
        let size = bytes.len() as u64;
        FileBytes { bytes, size }
    }
}

/// Reads a file, from the overlay when it holds the (canonical) path. Only a regular
/// file is opened; one over the size limit is read no further than the limit (a 10 GB
/// file must not be loaded into memory just to be refused).
fn read_file(
    canon: &Path,
    path: &Path,
    overlay: &BTreeMap<PathBuf, &Arc<str>>,
    limits: &Limits,
) -> Result<FileText, ReadError> {
    if let Some(text) = overlay.get(canon) {
        return Ok(FileText::Shared(Arc::clone(text)));
    }
    read_capped(path, limits.max_file_bytes).map(FileText::Bytes)
}

/// Loads and parses every input and everything it imports.
pub fn load(inputs: &[Input]) -> Result<Loaded, InputError> {
    load_with_overlay(inputs, &Overlay::default())
}

/// Like [`load`], but files whose canonical path the overlay holds are read from it
/// instead of the disk (they need not exist on disk), and imports may also reach the
/// overlay's extra roots.
pub fn load_with_overlay(inputs: &[Input], overlay: &Overlay) -> Result<Loaded, InputError> {
    load_with(inputs, overlay, &Limits::default())
}

/// Like [`load_with_overlay`], with the input limits given.
pub fn load_with(
    inputs: &[Input],
    overlay: &Overlay,
    limits: &Limits,
) -> Result<Loaded, InputError> {
    let over = overlay.canonical_texts();
    let mut loaded = Loaded::default();
    let mut roots: Vec<PathBuf> = overlay.roots.iter().map(|r| canonical(r)).collect();
    // Every folder named (a file's own folder for a file): links found while walking
    // one folder may lead into another.
    let named_roots: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|input| match input {
            Input::Path(p) if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) => Some(canonical(p)),
            Input::Path(p) => canonical(p).parent().map(Path::to_path_buf),
            _ => None,
        })
        .chain(roots.iter().cloned())
        .collect();
    let mut queue: Vec<(PathBuf, String)> = Vec::new();
    let mut texts: Vec<(String, FileText, PathBuf)> = Vec::new();
    for input in inputs {
        match input {
            Input::Path(p) if over.contains_key(&canonical(p)) => {
                roots.push(
                    canonical(p)
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                );
                queue.push((p.clone(), p.display().to_string()));
            }
            Input::Path(p) => {
                let mut found = Vec::new();
                collect(p, &named_roots, &mut found)?;
                let is_dir = std::fs::metadata(p).map(|m| m.is_dir()).unwrap_or(false);
                let root = if is_dir {
                    canonical(p)
                } else {
                    canonical(p)
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                };
                roots.push(root);
                for f in found {
                    let name = f.display().to_string();
                    queue.push((f, name));
                }
            }
            Input::Text { name, text, dir } => {
                roots.push(canonical(dir));
                texts.push((
                    name.clone(),
                    FileText::Shared(Arc::clone(text)),
                    canonical(dir),
                ));
            }
            Input::Bytes { name, bytes, dir } => {
                roots.push(canonical(dir));
                texts.push((
                    name.clone(),
                    FileText::Bytes(FileBytes::whole(bytes.clone())),
                    canonical(dir),
                ));
            }
        }
    }

    let mut by_path: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    // Files whose imports still need loading: (file, directory its imports resolve in).
    let mut pending: Vec<(FileId, PathBuf)> = Vec::new();
    if queue.len() + texts.len() > limits.max_files {
        return Err(InputError {
            message: format!(
                "{} files to check, over the limit of {} (raise it with --max-files, or check the portfolio in smaller folders)",
                queue.len() + texts.len(),
                limits.max_files
            ),
        });
    }
    for (name, bytes, dir) in texts {
        let id = add_file(&mut loaded, name, None, bytes, limits);
        pending.push((id, dir));
    }
    for (path, name) in queue {
        let canon = canonical(&path);
        if by_path.contains_key(&canon) {
            continue;
        }
        let bytes = read_file(&canon, &path, &over, limits).map_err(|e| InputError {
            message: format!("cannot read `{}`: {e}", path.display()),
        })?;
        let id = add_file(&mut loaded, name, Some(canon.clone()), bytes, limits);
        by_path.insert(canon.clone(), id);
        pending.push((
            id,
            canon.parent().map(Path::to_path_buf).unwrap_or_default(),
        ));
    }

    // Parse each file, then load its imports (breadth first, in source order).
    let mut parsed: BTreeMap<FileId, ParsedFile> = BTreeMap::new();
    let mut next = 0usize;
    while let Some((id, dir)) = pending.get(next).cloned() {
        next += 1;
        let text = loaded.sources.shared_text(id);
        let (ast, syntax_diagnostics) = parse_cached(overlay.parses.as_deref(), id, text, limits);
        loaded.diagnostics.extend(syntax_diagnostics);
        let mut imports = Vec::new();
        for item in ast.items() {
            let Item::Import(imp) = item else { continue };
            let target = dir.join(&imp.path.value);
            let canon = canonical(&target);
            if !roots.iter().any(|r| canon.starts_with(r)) {
                loaded.broken_imports.push(id);
                loaded.diagnostics.push(
                    Diagnostic::new(Code::E0105, format!("import `{}` reaches outside the folders being checked", imp.path.value), imp.path.span)
                        .with_label("outside the checked folders")
                        .with_help("name a folder that contains both files on the command line, or move the shared file inside it"),
                );
                continue;
            }
            if let Some(&existing) = by_path.get(&canon) {
                imports.push((existing, imp.span));
                continue;
            }
            if by_path.len() >= limits.max_files {
                loaded.diagnostics.push(
                    Diagnostic::new(
                        Code::E0007,
                        format!("more than {} files in one check", limits.max_files),
                        imp.span,
                    )
                    .with_label("not loaded")
                    .with_help("check the portfolio in smaller folders"),
                );
                continue;
            }
            match read_file(&canon, &canon, &over, limits) {
                Ok(bytes) => {
                    let name = display_relative(&canon, &target);
                    let new_id = add_file(&mut loaded, name, Some(canon.clone()), bytes, limits);
                    by_path.insert(canon.clone(), new_id);
                    pending.push((
                        new_id,
                        canon.parent().map(Path::to_path_buf).unwrap_or_default(),
                    ));
                    imports.push((new_id, imp.span));
                }
                Err(why) => {
                    let reason = why.to_string();
                    loaded.broken_imports.push(id);
                    loaded.diagnostics.push(
                        Diagnostic::new(
                            Code::E0103,
                            format!("cannot import `{}`: {reason}", imp.path.value),
                            imp.path.span,
                        )
                        .with_label(format!("looked for `{}`", display_relative(&canon, &target)))
                        .with_help("import paths are relative to the importing file")
                        .with_note("names this file would take from the import are not reported as unknown"),
                    );
                }
            }
        }
        parsed.insert(id, ParsedFile { id, ast, imports });
    }
    if let Some(cache) = &overlay.parses {
        cache.lock().retain(|id, _| parsed.contains_key(id));
    }
    loaded.files = parsed.into_values().collect();
    report_cycles(&mut loaded);
    Ok(loaded)
}

fn display_relative(canon: &Path, target: &Path) -> String {
    let cwd = std::env::current_dir().ok().map(|c| canonical(&c));
    match cwd.as_ref().and_then(|c| canon.strip_prefix(c).ok()) {
        Some(rel) => rel.display().to_string(),
        None => target.display().to_string(),
    }
}

fn add_file(
    loaded: &mut Loaded,
    name: String,
    path: Option<PathBuf>,
    text: FileText,
    limits: &Limits,
) -> FileId {
    let next = FileId(u32::try_from(loaded.sources.files().len()).unwrap_or(u32::MAX));
    let size = match &text {
        FileText::Bytes(bytes) => bytes.size,
        FileText::Shared(text) => text.len() as u64,
    };
    if size > limits.max_file_bytes as u64 {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::E0007,
                format!(
                    "`{name}` is {size} bytes, over the limit of {} bytes",
                    limits.max_file_bytes
                ),
                Span::new(next, 0, 0),
            )
            .with_help("split the agreement into files that import a shared registry, or raise the limit with --max-file-bytes"),
        );
        return loaded.sources.add(name, path, String::new());
    }
    match text {
        FileText::Bytes(bytes) => {
            let text = decode(next, bytes.bytes, &mut loaded.diagnostics);
            loaded.sources.add(name, path, text)
        }
        FileText::Shared(text) => loaded.sources.add_shared(name, path, text),
    }
}

/// Reports every import that closes a cycle (E0104), once per cycle edge.
fn report_cycles(loaded: &mut Loaded) {
    let index: BTreeMap<FileId, usize> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id, i))
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done
    let mut state = vec![0u8; loaded.files.len()];
    let mut found: Vec<Diagnostic> = Vec::new();
    for start in 0..loaded.files.len() {
        if state.get(start).copied() != Some(0) {
            continue;
        }
        // Iterative DFS: (file index, next import position), with the path on `stack`.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(&mut (node, ref mut pos)) = stack.last_mut() {
            let imports = loaded
                .files
                .get(node)
                .map(|f| f.imports.as_slice())
                .unwrap_or(&[]);
            if let Some(&(target, span)) = imports.get(*pos) {
                *pos += 1;
                let Some(&t) = index.get(&target) else {
                    continue;
                };
                match state.get(t).copied() {
                    Some(0) => {
                        if let Some(s) = state.get_mut(t) {
                            *s = 1;
                        }
                        stack.push((t, 0));
                    }
                    Some(1) => {
                        let from = stack.iter().position(|&(n, _)| n == t).unwrap_or(0);
                        let mut names: Vec<&str> = stack
                            .get(from..)
                            .unwrap_or(&[])
                            .iter()
                            .filter_map(|&(n, _)| loaded.files.get(n))
                            .map(|f| loaded.sources.name(f.id))
                            .collect();
                        names.push(loaded.sources.name(target));
                        found.push(
                            Diagnostic::new(Code::E0104, format!("import cycle: {}", names.join(" → ")), span)
                                .with_label("this import closes the cycle")
                                .with_help("move the shared declarations into a file that both import, and import it from each"),
                        );
                    }
                    _ => {}
                }
            } else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                stack.pop();
            }
        }
    }
    loaded.diagnostics.extend(found);
}
