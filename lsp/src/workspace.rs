//! The workspace index: every `*.xlic` under the workspace folders, found in the
//! background (at `initialized`, when folders change, and when the client reports a
//! file created or deleted) and compiled with the open documents, so rename,
//! references, workspace symbols and diagnostics reach files that are not open.

use crate::state::Shared;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp::lsp_types::MessageType;
use tower_lsp::Client;

/// At most this many files are indexed (the compiler's own limit on one check).
pub const MAX_FILES: usize = xlic::limits::DEFAULT_MAX_FILES;

/// Folders never searched: version control, build output, dependencies.
const SKIPPED: [&str; 2] = ["target", "node_modules"];

/// The `*.xlic` files below `roots`, sorted and without repeats; hidden folders,
/// `target` and `node_modules` are skipped and links to folders are not followed. The
/// second value is true when the search stopped at `limit` files.
pub fn scan(roots: &[PathBuf], limit: usize) -> (Vec<PathBuf>, bool) {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = roots.iter().rev().cloned().collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut children: Vec<(PathBuf, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let kind = e.file_type().ok()?;
                Some((e.path(), kind.is_dir()))
            })
            .collect();
        children.sort();
        let mut subdirs = Vec::new();
        for (path, is_dir) in children {
            if is_dir {
                if !skipped(&path) {
                    subdirs.push(path);
                }
            } else if path.extension().is_some_and(|x| x == "xlic") && path.is_file() {
                if out.len() >= limit {
                    return (finish(out), true);
                }
                out.push(path);
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    (finish(out), false)
}

fn skipped(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| n.starts_with('.') || SKIPPED.contains(&n))
}

fn finish(mut files: Vec<PathBuf>) -> Vec<PathBuf> {
    files.sort();
    files.dedup();
    files
}

/// Searches the workspace folders again on a blocking thread and, when the set of
/// files changed, stores it (which starts a new analysis).
pub fn rescan(client: Client, shared: Arc<Shared>) {
    tokio::spawn(async move {
        let roots = shared.snapshot().roots;
        let Ok((files, capped)) =
            tokio::task::spawn_blocking(move || scan(&roots, MAX_FILES)).await
        else {
            return;
        };
        if capped {
            client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "xlic-lsp: the workspace has more than {MAX_FILES} .xlic files; only the first {MAX_FILES} are indexed"
                    ),
                )
                .await;
        }
        shared.edit(|s| s.set_workspace_files(files));
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::scan;
    use std::fs;

    #[test]
    fn scan_finds_xlic_files_and_skips_hidden_build_and_dependency_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.xlic",
            "notes.txt",
            "deals/b.xlic",
            "deals/2026/c.xlic",
            ".git/d.xlic",
            "target/e.xlic",
            "web/node_modules/f.xlic",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "").unwrap();
        }
        let (files, capped) = scan(&[root.to_path_buf()], 100);
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.xlic", "deals/2026/c.xlic", "deals/b.xlic"]);
        assert!(!capped);
        let (files, capped) = scan(&[root.to_path_buf()], 2);
        assert_eq!(files.len(), 2);
        assert!(capped);
        // A folder that does not exist is no error.
        assert_eq!(scan(&[root.join("missing")], 10), (Vec::new(), false));
    }
}
