//! Helpers shared by the integration tests that run over the shipped examples.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use xlic::{Compilation, Input};

/// Every `examples/*.xlic`, relative to the package, sorted.
pub fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlic"))
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no examples found");
    out
}

/// Every `.xlic` file under `examples/` and `tests/fixtures/`, at any depth: absolute
/// paths, each folder's entries in name order.
pub fn xlic_corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    xlic_files(&root.join("examples"), &mut files);
    xlic_files(&root.join("tests/fixtures"), &mut files);
    files
}

/// Every example and fixture ([`xlic_corpus`]) with its text, sorted by path.
pub fn xlic_texts() -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = xlic_corpus()
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path, text))
        })
        .collect();
    out.sort();
    assert!(out.len() > 50, "the corpus is too small: {}", out.len());
    out
}

/// Every `.xlic` file under `dir`, at any depth, into `out`: each folder's entries in
/// name order.
pub fn xlic_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            xlic_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "xlic") {
            out.push(p);
        }
    }
}

/// Compiles one example by its path relative to the package (cargo runs tests from the
/// package's folder), so paths in output stay relative.
pub fn compile(path: &Path) -> Compilation {
    xlic::compile(
        &[Input::Path(path.to_path_buf())],
        &xlic::Options::default(),
    )
    .unwrap()
}

/// The file name without its extension.
pub fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Where two trees (or any two values) first differ in their pretty `Debug` text: the
/// line, and fifteen lines of each around it, for a failure message.
pub fn first_difference<T: std::fmt::Debug>(want: &T, got: &T) -> (usize, String, String) {
    let (want, got) = (format!("{want:#?}"), format!("{got:#?}"));
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let around = |text: &str| {
        text.lines()
            .skip(line.saturating_sub(5))
            .take(15)
            .collect::<Vec<_>>()
            .join("\n")
    };
    (line, around(&want), around(&got))
}
