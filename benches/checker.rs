//! Stage benchmarks of the xlic pipeline on generated portfolios (docs/performance.md).
//!
//! ```text
//! cargo bench --bench checker                 # 1k, 10k and 100k grants
//! cargo bench --bench checker -- 10k          # one size (1k, 10k, 100k)
//! cargo bench --bench checker -- --write DIR  # write the generated files, measure nothing
//! ```
//!
//! Each figure is the median of several runs (after one warm-up run) measured with
//! `std::time::Instant`. The bench fails when the checker does not report exactly the
//! planted conflicts (E0301) or reports any other error.

#[path = "workload/timing.rs"]
mod timing;
#[path = "workload/mod.rs"]
mod workload;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use timing::median;
use xlic::diagnostics::{Code, Diagnostic};
use xlic::driver::{Input, ParsedFile};
use xlic::source::FileId;

const SEED: u64 = 0x0C0F_FEE5;
const PARTIES: usize = 200;

struct Size {
    label: &'static str,
    grants: usize,
    assets: usize,
    runs: usize,
}

const SIZES: [Size; 3] = [
    Size {
        label: "1k",
        grants: 1_000,
        assets: 10,
        runs: 11,
    },
    Size {
        label: "10k",
        grants: 10_000,
        assets: 100,
        runs: 11,
    },
    Size {
        label: "100k",
        grants: 100_000,
        assets: 1_000,
        runs: 5,
    },
];

/// Line counts of the single files written for the language-server benchmarks.
const LINE_FILES: [(&str, usize); 2] = [("5k", 5_000), ("50k", 50_000)];

struct Row {
    label: &'static str,
    grants: usize,
    bytes: usize,
    lines: usize,
    runs: usize,
    lex: Duration,
    /// `syntax::parse`: a file over 2 MiB is parsed in parts on the cores.
    parse: Duration,
    /// `parser::parse_whole`: one thread, as the minimal pipeline and Cedar parse.
    parse_one: Duration,
    parse_resolve: Duration,
    check: Duration,
    /// Deriving the rights ledger alone (part of `check`).
    ledger: Duration,
    compile: Duration,
    planted: usize,
    e0301: usize,
    other_errors: usize,
    warnings: usize,
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-12)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn parsed_files(src: &str) -> Vec<ParsedFile> {
    let parsed = xlic::syntax::parse(FileId(0), src);
    vec![ParsedFile {
        id: FileId(0),
        ast: parsed.ast.into(),
        imports: Vec::new(),
    }]
}

fn summarise(diags: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut by_code = BTreeMap::new();
    for d in diags {
        *by_code.entry(d.code.as_str()).or_insert(0) += 1;
    }
    by_code
}

fn measure(size: &Size) -> Row {
    let t = Instant::now();
    let w = workload::portfolio(size.grants, size.assets, PARTIES, SEED);
    eprintln!(
        "{}: generated {} grants, {} bytes, {} lines in {:.0} ms; {} runs per figure",
        size.label,
        w.grants,
        w.source.len(),
        w.source.lines().count(),
        ms(t.elapsed()),
        size.runs
    );
    let src = w.source.as_str();
    let runs = size.runs;

    let lex = median(runs, || {
        let mut diags = Vec::new();
        let lexed = xlic::syntax::lexer::lex(FileId(0), src, &mut diags);
        black_box((lexed.tokens.len(), diags.len()));
    });
    let parse = median(runs, || {
        black_box(xlic::syntax::parse(FileId(0), src));
    });
    let limits = xlic::limits::Limits::default();
    let parse_one = median(runs, || {
        black_box(xlic::syntax::parser::parse_whole(FileId(0), src, &limits));
    });
    let parse_resolve = median(runs, || {
        let files = parsed_files(src);
        black_box(xlic::resolve::resolve(&files));
    });
    let (model, _) = xlic::resolve::resolve(&parsed_files(src));
    // The check stage derives the rights ledger and runs every rule over it.
    let check = median(runs, || {
        let ledger = xlic::ledger::Ledger::build(&model);
        black_box(xlic::check::run(&model, &ledger));
    });
    let ledger_build = median(runs, || {
        black_box(xlic::ledger::Ledger::build(&model));
    });
    let input = Input::Text {
        name: format!("portfolio_{}.xlic", size.label),
        text: w.source.as_str().into(),
        dir: std::env::temp_dir(),
    };
    let compile = median(runs, || {
        black_box(xlic::compile(std::slice::from_ref(&input), &xlic::Options::default()).ok());
    });

    // What the checker says about the portfolio.
    let diags = match xlic::compile(std::slice::from_ref(&input), &xlic::Options::default()) {
        Ok(c) => c.diagnostics,
        Err(e) => {
            eprintln!("compile failed: {e}");
            Vec::new()
        }
    };
    let e0301 = diags.iter().filter(|d| d.code == Code::E0301).count();
    let unexpected: Vec<&Diagnostic> = diags.iter().filter(|d| d.code != Code::E0301).collect();
    let other_errors = unexpected.iter().filter(|d| d.is_error()).count();
    let warnings = unexpected.len() - other_errors;
    if !unexpected.is_empty() || e0301 != w.planted_conflicts {
        eprintln!(
            "{}: diagnostics by code: {:?} (planted E0301: {})",
            size.label,
            summarise(&diags),
            w.planted_conflicts
        );
        for d in unexpected.iter().take(5) {
            eprintln!(
                "  {} {} (at byte {})",
                d.code, d.message, d.primary.span.start
            );
        }
    }
    assert_eq!(
        e0301, w.planted_conflicts,
        "{}: the checker must report exactly the planted E0301 conflicts",
        size.label
    );
    assert!(
        other_errors == 0,
        "{}: the generated portfolio must produce no error other than E0301",
        size.label
    );

    Row {
        label: size.label,
        grants: w.grants,
        bytes: src.len(),
        lines: src.lines().count(),
        runs,
        lex,
        parse,
        parse_one,
        parse_resolve,
        check,
        ledger: ledger_build,
        compile,
        planted: w.planted_conflicts,
        e0301,
        other_errors,
        warnings,
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| size | grants | file (MB / lines) | runs | lex (MB/s) | parse (µs/grant) | parse (MB/s) | parse, one thread (MB/s) | parse + resolve (ms) | check alone (ms) | of which ledger (ms) | whole `compile` (ms) | `compile` (grants/s) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.2} / {} | {} | {:.0} | {:.2} | {:.1} | {:.1} | {:.1} | {:.2} | {:.2} | {:.1} | {:.0} |",
            r.label,
            r.grants,
            r.bytes as f64 / 1e6,
            r.lines,
            r.runs,
            mb_per_s(r.bytes, r.lex),
            r.parse.as_secs_f64() * 1e6 / r.grants as f64,
            mb_per_s(r.bytes, r.parse),
            mb_per_s(r.bytes, r.parse_one),
            ms(r.parse_resolve),
            ms(r.check),
            ms(r.ledger),
            ms(r.compile),
            r.grants as f64 / r.compile.as_secs_f64().max(1e-12),
        );
    }
    println!();
    println!("| size | planted conflicts | E0301 reported | other errors | warnings |");
    println!("|---|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.label, r.planted, r.e0301, r.other_errors, r.warnings
        );
    }
}

/// Writes the generated portfolios (with their planted conflicts, and clean for
/// `xlic build`) and the single files of 5k and 50k lines to `dir`.
fn write_files(dir: &PathBuf, filters: &[String]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut manifest = String::from("# file planted_E0301 grants bytes\n");
    for size in SIZES.iter().filter(|s| selected(s.label, filters)) {
        let w = workload::portfolio(size.grants, size.assets, PARTIES, SEED);
        let name = format!("portfolio_{}.xlic", size.label);
        std::fs::write(dir.join(&name), &w.source)?;
        manifest.push_str(&format!(
            "{name} {} {} {}\n",
            w.planted_conflicts,
            w.grants,
            w.source.len()
        ));
        eprintln!("wrote {}", dir.join(&name).display());
        // The same portfolio without planted conflicts, for `xlic build`.
        let clean = workload::portfolio_with_conflicts(size.grants, size.assets, PARTIES, SEED, 0);
        let name = format!("portfolio_{}_clean.xlic", size.label);
        std::fs::write(dir.join(&name), &clean.source)?;
        manifest.push_str(&format!(
            "{name} 0 {} {}\n",
            clean.grants,
            clean.source.len()
        ));
        eprintln!("wrote {}", dir.join(&name).display());
    }
    if filters.is_empty() {
        for (label, lines) in LINE_FILES {
            let text = workload::single_file_lines(lines);
            let name = format!("lines_{label}.xlic");
            std::fs::write(dir.join(&name), &text)?;
            manifest.push_str(&format!("{name} - - {}\n", text.len()));
            eprintln!(
                "wrote {} ({} lines)",
                dir.join(&name).display(),
                text.lines().count()
            );
        }
    }
    std::fs::write(dir.join("manifest.txt"), manifest)
}

fn selected(label: &str, filters: &[String]) -> bool {
    filters.is_empty() || filters.iter().any(|f| f == label)
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; anything else that is not a flag is a size filter.
    let mut args = std::env::args().skip(1);
    let mut filters: Vec<String> = Vec::new();
    let mut write_dir: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--write" => match args.next() {
                Some(d) => write_dir = Some(PathBuf::from(d)),
                None => {
                    eprintln!("--write needs a folder");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with('-') => {}
            s => filters.push(s.to_string()),
        }
    }
    if let Some(dir) = write_dir {
        return match write_files(&dir, &filters) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write to {}: {e}", dir.display());
                ExitCode::from(2)
            }
        };
    }
    let unknown: Vec<&String> = filters
        .iter()
        .filter(|f| !SIZES.iter().any(|s| s.label == f.as_str()))
        .collect();
    if !unknown.is_empty() {
        eprintln!("unknown size {unknown:?}: use 1k, 10k or 100k");
        return ExitCode::from(2);
    }
    let mut rows = Vec::new();
    for size in SIZES.iter().filter(|s| selected(s.label, &filters)) {
        rows.push(measure(size));
    }
    print_table(&rows);
    ExitCode::SUCCESS
}
