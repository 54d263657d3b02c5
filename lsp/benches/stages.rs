//! Where one edit of a large document goes, stage by stage, in process (no protocol):
//! the profile behind "Language server latency" in docs/performance.md.
//!
//! For the generated file of 50k lines (`workload::single_file_lines`; `-- 5k` for the
//! small one), each stage of the analysis the language server runs after a one-letter
//! edit is timed alone, as the median of several runs:
//!
//! - lex, parse (the whole file, what an edit cost before incremental reparsing), and
//!   the incremental reparse of the edited text from the previous parse;
//! - load (the driver: reading the overlay, the source map and its line index, the
//!   parse cache), resolve, ledger, check, fixes, and the symbol index;
//! - the whole `analyze_workspace` with the parse cache, as the server calls it.
//!
//! `cargo bench -p xlic-lsp --bench stages [-- 5k|50k]`; `-- profile [5k]` runs one edit of
//! the 50k-line (or 5k-line) file once, for callgrind (see `one_edit`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../benches/workload/timing.rs"]
mod timing;
#[path = "../../benches/workload/mod.rs"]
mod workload;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use timing::median;
use xlic::driver::{Input, Overlay, ParseCache};
use xlic::ide::{Document, DocumentKey};
use xlic::source::FileId;
use xlic::EditorCache;

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// The text with one letter typed at the end of the `n`th licensee's name (after the
/// `n`th `-> `), as the latency bench edits it.
fn typed(text: &str, n: usize) -> String {
    let mut at = 0;
    for _ in 0..=n {
        at += text[at..].find("-> ").map(|i| i + 3).unwrap_or(0);
    }
    let end = at
        + text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
    let mut out = text.to_string();
    out.insert(end, 'x');
    out
}

fn run(label: &str, lines: usize) {
    let text = workload::single_file_lines(lines);
    let edited = typed(&text, 3 * lines / 22);
    let file = FileId(0);
    let runs = 11;
    let mut rows: Vec<(&str, Duration)> = Vec::new();

    rows.push((
        "lex",
        median(runs, || {
            let mut scratch = Vec::new();
            std::hint::black_box(xlic::syntax::lexer::lex(file, &edited, &mut scratch));
        }),
    ));
    rows.push((
        "parse (whole file)",
        median(runs, || {
            std::hint::black_box(xlic::syntax::parser::parse(file, &edited));
        }),
    ));
    let before = xlic::syntax::parser::parse(file, &text);
    rows.push((
        "reparse (incremental, from the last parse)",
        median(runs, || {
            let again = xlic::syntax::parser::try_reparse(
                file,
                &text,
                &before.ast,
                &before.diagnostics,
                &edited,
                &xlic::limits::Limits::default(),
            );
            std::hint::black_box(again.expect("the edit is reparsed incrementally"));
        }),
    ));

    let path = PathBuf::from("/bench/lines.xlic");
    let mut overlay = Overlay {
        texts: Default::default(),
        roots: vec![PathBuf::from("/bench")],
        parses: Some(Arc::new(ParseCache::default())),
    };
    overlay.texts.insert(path.clone(), edited.as_str().into());
    let inputs = [Input::Path(path.clone())];
    let limits = xlic::limits::Limits::default();
    // The cache holds the edited text: `load` measures everything but the parse.
    let loaded = xlic::driver::load_with(&inputs, &overlay, &limits).unwrap();
    rows.push((
        "load (parse cached)",
        median(runs, || {
            std::hint::black_box(xlic::driver::load_with(&inputs, &overlay, &limits).unwrap());
        }),
    ));
    let (model, _, bindings) = xlic::resolve::resolve_bound(&loaded.files);
    rows.push((
        "resolve",
        median(runs, || {
            std::hint::black_box(xlic::resolve::resolve(&loaded.files));
        }),
    ));
    let ledger = xlic::ledger::Ledger::build(&model);
    rows.push((
        "ledger",
        median(runs, || {
            std::hint::black_box(xlic::ledger::Ledger::build(&model));
        }),
    ));
    let diags = xlic::check::run(&model, &ledger);
    rows.push((
        "check",
        median(runs, || {
            std::hint::black_box(xlic::check::run(&model, &ledger));
        }),
    ));
    rows.push((
        "fixes",
        median(runs, || {
            let mut d = diags.clone();
            xlic::fixes::attach(&loaded.files, &loaded.sources, &mut d);
            std::hint::black_box(d);
        }),
    ));
    rows.push((
        "symbol index",
        median(runs, || {
            std::hint::black_box(xlic::ide::Index::build(&loaded.files, &bindings));
        }),
    ));

    // The whole analysis as the server runs it, alternating the two texts so that
    // every run sees an edit.
    let parses = Arc::new(EditorCache::default());
    let docs = |t: &str| {
        vec![Document {
            key: DocumentKey::Path(path.clone()),
            text: t.into(),
        }]
    };
    let (a, b) = (docs(&text), docs(&edited));
    let roots = vec![PathBuf::from("/bench")];
    let mut flip = false;
    rows.push((
        "analyze_workspace after an edit (all of the above)",
        median(runs, || {
            flip = !flip;
            let d = if flip { &a } else { &b };
            std::hint::black_box(xlic::ide::analyze_workspace(
                d,
                &roots,
                &[],
                Some(parses.clone()),
            ));
        }),
    ));

    println!(
        "\n{label}: {} lines, {} bytes, median of {runs} runs\n",
        text.lines().count(),
        text.len()
    );
    println!("| stage | median (ms) |\n|---|---:|");
    for (stage, d) in rows {
        println!("| {stage} | {} |", ms(d));
    }
}

/// One edit's analysis, as the server runs it, and nothing else: the function a
/// profiler isolates (`valgrind --tool=callgrind --toggle-collect='*one_edit*'`).
#[inline(never)]
fn one_edit(docs: &[Document], roots: &[PathBuf], parses: &Arc<EditorCache>) {
    std::hint::black_box(xlic::ide::analyze_workspace(
        docs,
        roots,
        &[],
        Some(parses.clone()),
    ));
}

/// `-- profile 50k`: analyse the file once (filling the parse cache), then one edit of
/// it once, in `one_edit`, for callgrind.
fn profile(lines: usize) {
    let text = workload::single_file_lines(lines);
    let edited = typed(&text, 3 * lines / 22);
    let path = PathBuf::from("/bench/lines.xlic");
    let roots = vec![PathBuf::from("/bench")];
    let parses = Arc::new(EditorCache::default());
    let docs = |t: &str| {
        vec![Document {
            key: DocumentKey::Path(path.clone()),
            text: t.into(),
        }]
    };
    std::hint::black_box(xlic::ide::analyze_workspace(
        &docs(&text),
        &roots,
        &[],
        Some(parses.clone()),
    ));
    one_edit(&docs(&edited), &roots, &parses);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "profile") {
        profile(if args.iter().any(|a| a == "5k") {
            5_000
        } else {
            50_000
        });
        return;
    }
    let want =
        |l: &str| !args.iter().any(|a| a == "5k" || a == "50k") || args.iter().any(|a| a == l);
    if want("5k") {
        run("5k", 5_000);
    }
    if want("50k") {
        run("50k", 50_000);
    }
}
