//! Loading a compilation: the files and folders named, stdin, and every file they
//! import (relative to the importer, never outside the folders named), then parsing.

use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Item, SourceFileAst};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// At most this many files are loaded in one compilation (named and imported).
pub const MAX_FILES: usize = crate::limits::DEFAULT_MAX_FILES;

/// One parsed file with its resolved imports.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub id: FileId,
    pub ast: SourceFileAst,
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
    /// resolve relative to `dir`.
    Text {
        name: String,
        text: String,
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
/// (sorted, recursively).
pub fn xlic_files(path: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    collect(path, &mut out)?;
    Ok(out)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError {
        message: format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
    })?;
    if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| InputError {
            message: format!("cannot read folder `{}`: {}", path.display(), io_reason(&e)),
        })?;
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            let is_dir = std::fs::metadata(&child)
                .map(|m| m.is_dir())
                .unwrap_or(false);
            if is_dir {
                collect(&child, out)?;
            } else if child.extension().is_some_and(|x| x == "xlic") {
                out.push(child);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub use crate::source::canonical;

/// In-memory texts that take precedence over the disk (an editor's open buffers), and
/// extra folders that imports may reach (its workspace folders).
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// File texts by path; paths are canonicalized when the overlay is used, so any
    /// spelling of a file's path finds it.
    pub texts: BTreeMap<PathBuf, String>,
    /// Folders, besides those the inputs name, that imports may reach.
    pub roots: Vec<PathBuf>,
}

impl Overlay {
    /// The overlay's texts keyed by canonical path.
    fn canonical_texts(&self) -> BTreeMap<PathBuf, &str> {
        self.texts
            .iter()
            .map(|(p, t)| (canonical(p), t.as_str()))
            .collect()
    }
}

/// A file's bytes as read, and its whole size: a file over the size limit is not read
/// past the limit, so `bytes` may be shorter than `size`.
struct FileBytes {
    bytes: Vec<u8>,
    size: u64,
}

impl FileBytes {
    fn whole(bytes: Vec<u8>) -> FileBytes {
        let size = bytes.len() as u64;
        FileBytes { bytes, size }
    }
}

/// Reads a file, from the overlay when it holds the (canonical) path. A file over the
/// size limit is read no further than the limit (a 10 GB file must not be loaded into
/// memory just to be refused).
fn read_file(
    canon: &Path,
    path: &Path,
    overlay: &BTreeMap<PathBuf, &str>,
    limits: &Limits,
) -> std::io::Result<FileBytes> {
    use std::io::Read;
    if let Some(text) = overlay.get(canon) {
        return Ok(FileBytes::whole(text.as_bytes().to_vec()));
    }
    let file = std::fs::File::open(path)?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    let cap = limits.max_file_bytes as u64 + 1;
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes)?;
    let size = declared.max(bytes.len() as u64);
    Ok(FileBytes { bytes, size })
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
    let mut queue: Vec<(PathBuf, String)> = Vec::new();
    let mut texts: Vec<(String, FileBytes, PathBuf)> = Vec::new();
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
                collect(p, &mut found)?;
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
                    FileBytes::whole(text.clone().into_bytes()),
                    canonical(dir),
                ));
            }
            Input::Bytes { name, bytes, dir } => {
                roots.push(canonical(dir));
                texts.push((
                    name.clone(),
                    FileBytes::whole(bytes.clone()),
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
            message: format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
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
        let text = loaded.sources.text(id).to_string();
        let result = crate::syntax::parser::parse_with(id, &text, limits);
        loaded.diagnostics.extend(result.diagnostics);
        let mut imports = Vec::new();
        for item in &result.ast.items {
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
                Ok(bytes)
                    if over.contains_key(&canon)
                        || std::fs::metadata(&canon)
                            .map(|m| m.is_file())
                            .unwrap_or(false) =>
                {
                    let name = display_relative(&canon, &target);
                    let new_id = add_file(&mut loaded, name, Some(canon.clone()), bytes, limits);
                    by_path.insert(canon.clone(), new_id);
                    pending.push((
                        new_id,
                        canon.parent().map(Path::to_path_buf).unwrap_or_default(),
                    ));
                    imports.push((new_id, imp.span));
                }
                Ok(_) | Err(_) => {
                    let reason = match std::fs::metadata(&canon) {
                        Ok(m) if m.is_dir() => "it is a folder".to_string(),
                        Ok(_) => "it cannot be read".to_string(),
                        Err(e) => io_reason(&e),
                    };
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
        parsed.insert(
            id,
            ParsedFile {
                id,
                ast: result.ast,
                imports,
            },
        );
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
    bytes: FileBytes,
    limits: &Limits,
) -> FileId {
    let next = FileId(u32::try_from(loaded.sources.files().len()).unwrap_or(u32::MAX));
    if bytes.size > limits.max_file_bytes as u64 {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::E0007,
                format!(
                    "`{name}` is {} bytes, over the limit of {} bytes",
                    bytes.size, limits.max_file_bytes
                ),
                Span::new(next, 0, 0),
            )
            .with_help("split the agreement into files that import a shared registry, or raise the limit with --max-file-bytes"),
        );
        return loaded.sources.add(name, path, String::new());
    }
    let text = decode(next, bytes.bytes, &mut loaded.diagnostics);
    loaded.sources.add(name, path, text)
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
