//! The costs of the hostile shapes of issue 14 ("Hardening, round two"), which must
//! grow linearly with the input: import chains, a registry imported by many
//! agreements, a chain of territory groups, a file of syntax errors, many unknown
//! names. Figures in docs/performance.md ("Hostile shapes").
//!
//! ```text
//! cargo bench --bench hostile            # every shape
//! cargo bench --bench hostile -- chain   # the shapes whose name contains `chain`
//! ```
//!
//! Each figure is the median of five runs after a warm-up run, measured with
//! `std::time::Instant` around `xlic::compile` (files written to a temporary folder
//! first, outside the measurement). The bench fails when a shape does not compile to
//! the diagnostics it must.

#[path = "workload/hostile.rs"]
mod shapes;
#[path = "workload/timing.rs"]
mod timing;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use timing::median;
use xlic::Input;

/// One shape: a name, the files to write (relative path, text), what to compile, and
/// the check on the result.
struct Shape {
    name: String,
    files: Vec<(String, String)>,
    input: &'static str,
    check: fn(&xlic::Compilation) -> Result<(), String>,
}

fn import_chain(n: usize) -> Shape {
    let files = (0..n)
        .map(|i| {
            let mut text = String::new();
            if i + 1 < n {
                text.push_str(&format!("import \"f{}.xlic\"\n", i + 1));
            }
            text.push_str(&format!(
                "party p{i} \"Party {i}\"\nterritory g{i} = [DE, FR]\n"
            ));
            (format!("f{i}.xlic"), text)
        })
        .collect();
    Shape {
        name: format!("import chain of {n} files"),
        files,
        input: "f0.xlic",
        check: |c| expect_clean(c),
    }
}

fn registry(agreements: usize, parties: usize) -> Shape {
    let mut reg: String = (0..parties)
        .map(|i| format!("party p{i} \"Party {i}\"\n"))
        .collect();
    reg.push_str("fields { robotics }\nasset a0: know-how of p0\n");
    let mut files = vec![("registry.xlic".to_string(), reg)];
    for j in 0..agreements {
        files.push((
            format!("ag{j}.xlic"),
            format!(
                "import \"registry.xlic\"\nagreement \"A{j}\" {{ effective 2026-01-01 kind license }}\n\
                 grant out: p0 -> p{k} {{ assets a0 field robotics territory worldwide non-exclusive }}\n",
                k = j + 2
            ),
        ));
    }
    Shape {
        name: format!("{agreements} agreements importing a {parties}-party registry"),
        files,
        input: ".",
        check: |c| expect_clean(c),
    }
}

fn group_chain(n: usize) -> Shape {
    Shape {
        name: format!("chain of {n} territory groups"),
        files: vec![("groups.xlic".to_string(), shapes::group_chain(n, "[DE]"))],
        input: "groups.xlic",
        check: |c| expect_clean(c),
    }
}

fn party_soup(mib: usize) -> Shape {
    Shape {
        name: format!("{mib} MiB of `party party …`"),
        files: vec![(
            "soup.xlic".to_string(),
            "party ".repeat(mib * 1024 * 1024 / 6),
        )],
        input: "soup.xlic",
        check: |c| {
            let stopped = c
                .diagnostics
                .iter()
                .any(|d| d.message.ends_with("the rest of the file was not parsed"));
            if stopped {
                Ok(())
            } else {
                Err("parsing did not stop".into())
            }
        },
    }
}

fn unknown_names(n: usize) -> Shape {
    let text = shapes::unknown_names(n);
    Shape {
        name: format!("{n} unknown names among {n} parties"),
        files: vec![("unknown.xlic".to_string(), text)],
        input: "unknown.xlic",
        check: |c| {
            let n = c
                .diagnostics
                .iter()
                .filter(|d| d.code == xlic::diagnostics::Code::E0101)
                .count();
            if n > 0 {
                Ok(())
            } else {
                Err("no E0101".into())
            }
        },
    }
}

fn expect_clean(c: &xlic::Compilation) -> Result<(), String> {
    match c.diagnostics.iter().find(|d| d.is_error()) {
        None => Ok(()),
        Some(d) => Err(format!("{}: {}", d.code, d.message)),
    }
}

fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let shapes = [
        import_chain(1_000),
        import_chain(10_000),
        registry(50, 20_000),
        registry(500, 20_000),
        group_chain(1_000),
        group_chain(10_000),
        party_soup(6),
        party_soup(64),
        unknown_names(1_000),
        unknown_names(10_000),
    ];
    let root: PathBuf = std::env::temp_dir().join(format!("xlic-hostile-{}", std::process::id()));
    let mut status = ExitCode::SUCCESS;
    println!(
        "| shape | source | compile (median of 5) | editor analysis of every file (median of 5) |"
    );
    println!("|---|---:|---:|---:|");
    for (k, shape) in shapes.iter().enumerate() {
        if !filters.is_empty() && !filters.iter().any(|f| shape.name.contains(f.as_str())) {
            continue;
        }
        let dir = root.join(k.to_string());
        if let Err(e) = write(&dir, &shape.files) {
            eprintln!("cannot write {}: {e}", dir.display());
            return ExitCode::from(2);
        }
        let input = [Input::Path(dir.join(shape.input))];
        let compile =
            || xlic::compile(&input, &xlic::Options::default()).map_err(|e| e.to_string());
        match compile().and_then(|c| (shape.check)(&c)) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("{}: {e}", shape.name);
                status = ExitCode::FAILURE;
            }
        }
        let time = median(5, || {
            let _ = black_box(compile());
        });
        // The language server's view: every file of the folder analysed together (its
        // workspace index), names bound for hover, references and rename.
        let paths: Vec<PathBuf> = shape.files.iter().map(|(n, _)| dir.join(n)).collect();
        let editor = median(5, || {
            black_box(xlic::ide::analyze_workspace(
                &[],
                std::slice::from_ref(&dir),
                &paths,
                None,
            ));
        });
        let bytes: usize = shape.files.iter().map(|(_, t)| t.len()).sum();
        println!(
            "| {} | {:.1} MB in {} files | {:.0} ms | {:.0} ms |",
            shape.name,
            bytes as f64 / 1e6,
            shape.files.len(),
            time.as_secs_f64() * 1e3,
            editor.as_secs_f64() * 1e3
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&root);
    status
}
