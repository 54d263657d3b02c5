//! `xlic test`: run the policy tests (`AGREEMENT.xlic.test`, docs/testing.md) against
//! the agreements beside them. One line a case and a summary on stdout; test files
//! that cannot be read and agreements that do not compile on stderr.
//!
//! Exit status: 0 every case passed, 1 some failed, 2 a usage error, a test file that
//! cannot be read, an agreement with errors or a question the agreement cannot answer.

use super::output::{fail, report, stdout_failed};
use super::{compile, DiagnosticArgs, LimitArgs};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xlic::diagnostics::render::{escape_name, escape_text};
use xlic::querytest::{self, decision_word, reason_word, Outcome};

#[derive(clap::Args)]
pub struct TestArgs {
    /// Test files (`*.xlic.test`), agreements (their `.test` file beside them) or
    /// folders (every `X.xlic.test` beside an `X.xlic` in them); default: the current folder
    pub paths: Vec<String>,
    /// The limits of `check`, on the test files and the agreements they test
    #[command(flatten)]
    pub limits: LimitArgs,
}

const SUFFIX: &str = ".test";

/// The test files the command line names, in order, each once.
fn test_files(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let named: Vec<String> = if paths.is_empty() {
        vec![".".to_string()]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &named {
        let path = Path::new(p);
        let found: Vec<PathBuf> = if p.ends_with(".xlic.test") {
            vec![path.to_path_buf()]
        } else if path.is_dir() {
            xlic::driver::xlic_files(path)
                .map_err(|e| e.message)?
                .into_iter()
                .map(|f| with_suffix(&f))
                .filter(|t| t.is_file())
                .collect()
        } else if p.ends_with(".xlic") {
            let t = with_suffix(path);
            if !t.exists() {
                return Err(format!(
                    "`{p}` has no test file; write its cases in `{}` (docs/testing.md)",
                    t.display()
                ));
            }
            vec![t]
        } else {
            return Err(format!(
                "`{p}` is not a test file (`*.xlic.test`), an agreement or a folder"
            ));
        };
        for f in found.iter().map(|f| tidy(f)) {
            if seen.insert(xlic::source::canonical(&f)) {
                out.push(f);
            }
        }
    }
    if out.is_empty() {
        return Err(format!(
            "no `*.xlic.test` files found beside the agreements in {}",
            named.join(", ")
        ));
    }
    Ok(out)
}

fn with_suffix(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(SUFFIX);
    PathBuf::from(s)
}

/// `dir/../x` as `x`, as far as the path itself tells (links are not followed), so
/// messages name the agreement as a reader would write it.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// `1 error`, `2 errors`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What the cases of all files came to.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    /// Cases that could not be asked, and files that could not be run.
    errors: usize,
    files: usize,
}

/// Prints `error: MESSAGE` on stderr and counts it.
fn file_error(tally: &mut Tally, message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {}", escape_text(message));
    tally.errors += 1;
}

/// Reads, parses and runs one test file; its cases go to `out`.
fn run_file(file: &Path, args: &TestArgs, tally: &mut Tally, out: &mut String) {
    let name = escape_name(&file.display().to_string()).into_owned();
    let max = match args.limits.to_limits() {
        Ok(l) => l.max_file_bytes,
        Err(m) => return file_error(tally, &m),
    };
    let text = match xlic::driver::read_regular(file, max).map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => return file_error(tally, &format!("`{name}` is not valid UTF-8")),
        Err(e) => return file_error(tally, &format!("cannot read `{name}`: {e}")),
    };
    let parsed = match querytest::parse(&text) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                let mut message = format!("{name}:{}: {}", e.line, e.message);
                if let Some(help) = e.help {
                    message.push_str(&format!("\n  help: {help}"));
                }
                file_error(tally, &message);
            }
            return;
        }
    };
    let agreement = match &parsed.agreement {
        Some(rel) => tidy(&file.parent().unwrap_or(Path::new("")).join(rel)),
        None => file.with_extension(""),
    };
    let compilation = match compile(&[agreement.display().to_string()], &args.limits) {
        Ok(c) => c,
        Err(m) => return file_error(tally, &format!("{name}: {m}")),
    };
    if compilation.has_errors() {
        let _ = report(&compilation, &DiagnosticArgs::default());
        return file_error(
            tally,
            &format!(
                "{name}: not run: `{}` has errors",
                escape_name(&agreement.display().to_string())
            ),
        );
    }
    let policy = xlic::emit::json::policy(&compilation.model, &compilation.sources);
    let evaluator = match xlic::query::Evaluator::new(&policy) {
        Ok(e) => e,
        Err(e) => return file_error(tally, &format!("{name}: {}", e.message)),
    };
    tally.files += 1;
    for case in &parsed.cases {
        let head = format!(
            "{name}:{}: expect {}: {}",
            case.line,
            decision_word(case.decision),
            case.question
        );
        match querytest::run(&evaluator, case) {
            Outcome::Passed(_) => {
                tally.passed += 1;
                let _ = writeln!(out, "ok: {}", escape_text(&head));
            }
            Outcome::Failed(answer, problems) => {
                tally.failed += 1;
                let _ = writeln!(out, "FAILED: {}", escape_text(&head));
                for p in problems {
                    let _ = writeln!(out, "  {}", escape_text(&p));
                }
                for r in &answer.reasons {
                    let clause = r.clause.as_deref().map(|c| format!(" `{c}`"));
                    let at = r
                        .source
                        .as_ref()
                        .map(|s| format!(" at {}:{}", s.file, s.line));
                    let line = format!(
                        "  reason: {}{}{}: {}",
                        reason_word(r.kind),
                        clause.unwrap_or_default(),
                        at.unwrap_or_default(),
                        r.detail
                    );
                    let _ = writeln!(out, "{}", escape_text(&line));
                }
            }
            Outcome::Error(message) => {
                tally.errors += 1;
                let _ = writeln!(
                    out,
                    "ERROR: {}\n  {}",
                    escape_text(&head),
                    escape_text(&message)
                );
            }
        }
    }
}

pub fn run(args: TestArgs) -> ExitCode {
    let files = match test_files(&args.paths) {
        Ok(f) => f,
        Err(m) => return fail(&m),
    };
    let mut tally = Tally::default();
    let mut stdout = std::io::stdout().lock();
    for file in &files {
        let mut out = String::new();
        run_file(file, &args, &mut tally, &mut out);
        if let Err(e) = stdout.write_all(out.as_bytes()) {
            return stdout_failed(&e);
        }
    }
    let verdict = if tally.failed + tally.errors == 0 {
        "ok"
    } else {
        "FAILED"
    };
    let summary = format!(
        "test result: {verdict}. {} passed, {} failed, {} ({} run of {})\n",
        tally.passed,
        tally.failed,
        count(tally.errors, "error"),
        count(tally.files, "test file"),
        files.len()
    );
    if let Err(e) = stdout
        .write_all(summary.as_bytes())
        .and_then(|()| stdout.flush())
    {
        return stdout_failed(&e);
    }
    ExitCode::from(if tally.errors > 0 {
        2
    } else {
        u8::from(tally.failed > 0)
    })
}
