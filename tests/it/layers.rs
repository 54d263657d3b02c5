//! The library's layers (ARCHITECTURE.md), checked: a module may use only modules of a
//! lower layer, so nothing imports a layer above it. The outputs are peers and may use
//! each other (the ODRL export asks the evaluator; the evaluator reads the JSON policy;
//! the report reuses the prose page shell). Comments and unit-test modules are not
//! read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

/// The layer of each top-level module, bottom first. `crate::Foo` names an item of the
/// crate root (`Compilation`, `compile`): the pipeline's entry, layer 9.
fn layer(module: &str) -> Option<u32> {
    Some(match module {
        "vocab" | "source" | "date" | "iso" | "limits" | "name" => 0,
        "territory" => 1,
        "diagnostics" => 2,
        "syntax" | "model" => 3,
        "scope" | "driver" => 4,
        "ledger" | "resolve" => 5,
        "check" => 6,
        "text" => 7,
        "fixes" => 8,
        "emit" | "policy" | "query" | "querytest" | "diff" | "fmt" | "report" => 9,
        "ide" => 10,
        m if m.starts_with(|c: char| c.is_ascii_uppercase()) => 9,
        "compile" | "compile_text" | "compile_with" | "compile_with_overlay" => 9,
        _ => return None,
    })
}

/// The outputs: the one layer whose modules may use each other.
const PEERS: u32 = 9;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its unit-test module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.sort();
    let mut wrong = BTreeSet::new();
    let mut seen = 0;
    for path in &all {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // The crate root, and the binary (`main.rs` and its `cli/` modules, which use the
        // library as `xlic::`).
        if top == "lib" || top == "main" || top == "cli" {
            continue;
        }
        let own = layer(&top).unwrap_or_else(|| panic!("no layer for the module `{top}`"));
        let text = code(&std::fs::read_to_string(path).unwrap());
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name == top || name.is_empty() {
                continue;
            }
            seen += 1;
            let other = layer(&name)
                .unwrap_or_else(|| panic!("{}: no layer for `crate::{name}`", rel.display()));
            if other > own || (other == own && own != PEERS) {
                wrong.insert(format!("{} uses `crate::{name}`", rel.display()));
            }
        }
    }
    assert!(seen > 100, "only {seen} references read");
    assert!(wrong.is_empty(), "upward or sideways uses:\n{wrong:#?}");
}
