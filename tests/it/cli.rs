//! The `xlic` command line as a user sees it: exit codes, which stream gets what, the
//! three message formats, stdin, folders, imports, colour and `explain`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A clean cross-license: each party grants the other something.
const CLEAN: &str = "\
agreement \"A\" { effective 2026-01-01 }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics { consumer } }
asset p: know-how of acme
asset q: know-how of globex
grant g: acme -> globex { assets p field robotics.consumer territory worldwide non-exclusive }
grant h: globex -> acme { assets q field robotics territory [US, DE] non-exclusive }
confidentiality { covers know-how }
";

/// `CLEAN` with one known typo: `globx` for `globex`, line 7, column 18.
const TYPO: &str = "\
agreement \"A\" { effective 2026-01-01 }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics { consumer } }
asset p: know-how of acme
asset q: know-how of globex
grant g: acme -> globx { assets p field robotics.consumer territory worldwide non-exclusive }
grant h: globex -> acme { assets q field robotics territory [US, DE] non-exclusive }
confidentiality { covers know-how }
";

/// `CLEAN` without globex's grant: a one-way cross-license, which is only a warning
/// (W0404, `globex` grants nothing).
const ONE_WAY: &str = "\
agreement \"A\" { effective 2026-01-01 }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics { consumer } }
asset p: know-how of acme
grant g: acme -> globex { assets p field robotics.consumer territory worldwide non-exclusive }
confidentiality { covers know-how }
";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn xlic() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xlic"));
    c.env_remove("NO_COLOR");
    c
}

/// Runs `xlic ARGS` in `dir` with empty stdin.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    xlic()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

/// Runs `xlic ARGS` in `dir` with `input` on stdin.
fn run_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = xlic()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xlic");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait for xlic")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code (not killed by a signal)")
}

/// Asserts the exit code, showing both streams when it is wrong.
fn assert_exit(o: &Output, expected: i32) {
    assert_eq!(
        code(o),
        expected,
        "wrong exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
        stdout(o),
        stderr(o)
    );
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

// ------------------------------------------------------------------ clean files

#[test]
fn clean_example_exits_0_with_summary_on_stderr() {
    let o = run_in(manifest_dir(), &["check", "examples/acme_globex.xlic"]);
    assert_exit(&o, 0);
    assert!(
        o.stdout.is_empty(),
        "stdout should be empty: {}",
        stdout(&o)
    );
    let err = stderr(&o);
    assert!(
        err.trim_end().ends_with("checked 1 file: no problems"),
        "stderr should end with the summary: {err}"
    );
}

#[test]
fn every_example_checks_clean() {
    let dir = manifest_dir().join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlic"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples found in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(manifest_dir()).unwrap();
        let o = run_in(manifest_dir(), &["check", rel.to_str().unwrap()]);
        let err = stderr(&o);
        if code(&o) != 0 || err != "checked 1 file: no problems\n" || !o.stdout.is_empty() {
            failures.push(format!("{} (exit {}):\n{}", rel.display(), code(&o), err));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not check clean:\n{}",
        failures.join("\n")
    );
}

#[test]
fn deny_warnings_on_a_clean_file_exits_0() {
    let o = run_in(
        manifest_dir(),
        &["check", "--deny-warnings", "examples/acme_globex.xlic"],
    );
    assert_exit(&o, 0);
    assert!(stderr(&o).ends_with("checked 1 file: no problems\n"));
}

#[test]
fn warnings_exit_0_unless_denied() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "one_way.xlic", ONE_WAY);

    let o = run_in(tmp.path(), &["check", "one_way.xlic"]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("warning[W0404]"), "{err}");
    assert!(err.ends_with("checked 1 file: 1 warning\n"), "{err}");

    let o = run_in(
        tmp.path(),
        &[
            "check",
            "--deny-warnings",
            "--message-format",
            "short",
            "one_way.xlic",
        ],
    );
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.starts_with("one_way.xlic:1:1: warning[W0404]: "),
        "{err}"
    );
}

// ------------------------------------------------------------------ errors, each format

#[test]
fn error_in_human_format_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(tmp.path(), &["check", "typo.xlic"]);
    assert_exit(&o, 1);
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(err.contains("globx"), "{err}");
    assert!(err.contains("typo.xlic:7:18"), "{err}");
    assert!(err.ends_with("checked 1 file: 1 error\n"), "{err}");
}

#[test]
fn error_in_short_format_has_exact_position() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(
        tmp.path(),
        &["check", "--message-format", "short", "typo.xlic"],
    );
    assert_exit(&o, 1);
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one diagnostic, one line: {err}");
    assert!(
        lines[0].starts_with("typo.xlic:7:18: error[E0101]: "),
        "{err}"
    );
    assert!(lines[0].contains("`globx`"), "{err}");
}

#[test]
fn error_in_json_format_is_one_object_per_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(
        tmp.path(),
        &["check", "--message-format", "json", "typo.xlic"],
    );
    assert_exit(&o, 1);
    // A machine format goes to stdout, as cargo's and ruff's do; stderr stays empty.
    assert!(o.stderr.is_empty(), "stderr: {}", stderr(&o));
    let err = stdout(&o);
    let records: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(records.len(), 1, "{err}");
    for r in &records {
        for key in ["code", "severity", "line", "column", "labels"] {
            assert!(r.get(key).is_some(), "missing `{key}` in {r}");
        }
    }
    let r = &records[0];
    assert_eq!(r["code"], "E0101");
    assert_eq!(r["severity"], "error");
    assert_eq!(r["line"], 7);
    assert_eq!(r["column"], 18);
    assert_eq!(r["file"], "typo.xlic");
    // The message alone; the fix is `help`.
    let message = r["message"].as_str().unwrap();
    let help = r["help"].as_str().unwrap();
    assert!(message.starts_with("unknown party `globx`"), "{message}");
    assert!(!message.contains(help) && !message.contains("help"), "{r}");
    let labels = r["labels"].as_array().unwrap();
    assert!(!labels.is_empty());
    assert_eq!(labels[0]["primary"], true);
}

#[test]
fn json_lines_for_several_errors_all_parse() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.xlic", TYPO);
    write(
        tmp.path(),
        "b.xlic",
        "agreement \"B\" { effective 2026-13-45 }\nparty }\n",
    );
    let o = run_in(tmp.path(), &["check", "--message-format", "json", "."]);
    assert_exit(&o, 1);
    let err = stdout(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.len() >= 2, "expected several diagnostics: {err}");
    for l in lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(
            v["code"].is_string() && v["line"].is_u64() && v["column"].is_u64(),
            "{l}"
        );
    }
}

// ------------------------------------------------------------------ stdin

#[test]
fn stdin_clean_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_stdin(tmp.path(), &["check", "-"], CLEAN.as_bytes());
    assert_exit(&o, 0);
    assert!(
        stderr(&o).ends_with("checked 1 file: no problems\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stdin_error_names_stdin_in_short_format() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_stdin(
        tmp.path(),
        &["check", "--message-format", "short", "-"],
        TYPO.as_bytes(),
    );
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.starts_with("<stdin>:7:18: error[E0101]: "), "{err}");
}

// ------------------------------------------------------------------ folders and paths

#[test]
fn folder_is_searched_recursively_for_xlic_files_only() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "top.xlic", CLEAN);
    write(tmp.path(), "sub/deeper/typo.xlic", TYPO);
    // Not `.xlic`: ignored, although they would not parse.
    write(tmp.path(), "sub/notes.txt", "party }}} {{{");
    write(tmp.path(), "sub/old.xlic.bak", "party }}} {{{");
    write(tmp.path(), "sub/draft.xlicx", "party }}} {{{");

    let o = run_in(tmp.path(), &["check", "--message-format", "short", "."]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "only the nested typo is reported: {err}");
    assert!(lines[0].contains("typo.xlic:7:18: error[E0101]"), "{err}");
    assert!(lines[0].contains("deeper"), "{err}");

    let o = run_in(tmp.path(), &["check", "."]);
    assert_exit(&o, 1);
    assert!(
        stderr(&o).ends_with("checked 2 files: 1 error\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn folder_of_clean_files_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "one/a.xlic", CLEAN);
    write(tmp.path(), "two/b.xlic", CLEAN);
    let o = run_in(tmp.path(), &["check", "one", "two"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).ends_with("checked 2 files: no problems\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn folder_without_xlic_files_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "empty/readme.txt", "nothing here");
    let o = run_in(tmp.path(), &["check", "empty"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("no .xlic files found"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn missing_path_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["check", "does_not_exist.xlic"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("does_not_exist.xlic"), "{err}");
    assert!(err.contains("no such file or folder"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn unknown_flag_exits_2() {
    let o = run_in(manifest_dir(), &["check", "--no-such-flag", "examples"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("--no-such-flag"), "{}", stderr(&o));
}

#[test]
fn bogus_message_format_exits_2() {
    let o = run_in(
        manifest_dir(),
        &[
            "check",
            "--message-format",
            "bogus",
            "examples/acme_globex.xlic",
        ],
    );
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("bogus"), "{err}");
    assert!(!err.contains("checked"), "nothing is checked: {err}");
}

// ------------------------------------------------------------------ imports

#[test]
fn import_of_a_registry_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "deal/registry.xlic",
        "party acme \"Acme\"\nparty globex \"Globex\"\nfields { robotics { consumer } }\n\
         asset p: know-how of acme\nasset q: know-how of globex\n",
    );
    write(
        tmp.path(),
        "deal/main.xlic",
        "import \"registry.xlic\"\nagreement \"A\" { effective 2026-01-01 }\n\
         grant g: acme -> globex { assets p field robotics.consumer territory worldwide non-exclusive }\n\
         grant h: globex -> acme { assets q field robotics territory [US] non-exclusive }\n\
         confidentiality { covers know-how }\n",
    );
    let o = run_in(tmp.path(), &["check", "deal/main.xlic"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).ends_with("checked 2 files: no problems\n"),
        "{}",
        stderr(&o)
    );

    // The folder as a whole: the registry is loaded once, not twice.
    let o = run_in(tmp.path(), &["check", "deal"]);
    assert_exit(&o, 0);
    assert!(
        stderr(&o).ends_with("checked 2 files: no problems\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_of_a_missing_file_is_e0103() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "main.xlic",
        "import \"nothere.xlic\"\nagreement \"A\" { effective 2026-01-01 }\n",
    );
    let o = run_in(
        tmp.path(),
        &["check", "--message-format", "short", "main.xlic"],
    );
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("main.xlic:1:8: error[E0103]"), "{err}");
    assert!(err.contains("nothere.xlic"), "{err}");
}

#[test]
fn import_cycle_is_e0104() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.xlic",
        "import \"b.xlic\"\nagreement \"A\" { effective 2026-01-01 }\n",
    );
    write(
        tmp.path(),
        "b.xlic",
        "import \"a.xlic\"\nparty acme \"Acme\"\n",
    );
    let o = run_in(
        tmp.path(),
        &["check", "--message-format", "short", "a.xlic"],
    );
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0104]"), "{err}");
    assert!(err.contains("a.xlic") && err.contains("b.xlic"), "{err}");
}

#[test]
fn import_outside_the_named_folder_is_e0105() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "x.xlic", "party acme \"Acme\"\n");
    write(
        tmp.path(),
        "inner/main.xlic",
        "import \"../x.xlic\"\nagreement \"A\" { effective 2026-01-01 }\n",
    );
    let o = run_in(tmp.path(), &["check", "--message-format", "short", "inner"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("main.xlic:1:8: error[E0105]"), "{err}");
    assert!(!err.contains("E0103"), "the file exists: {err}");
}

// ------------------------------------------------------------------ colour

#[test]
fn color_never_has_no_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(tmp.path(), &["check", "--color", "never", "typo.xlic"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(!err.contains("\x1b["), "{err:?}");
}

#[test]
fn color_always_has_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(tmp.path(), &["check", "--color", "always", "typo.xlic"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("\x1b["), "{:?}", stderr(&o));
}

#[test]
fn color_auto_with_no_color_has_no_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = xlic()
        .args(["check", "--color", "auto", "typo.xlic"])
        .env("NO_COLOR", "1")
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(!err.contains("\x1b["), "{err:?}");
}

// ------------------------------------------------------------------ explain

#[test]
fn explain_prints_examples_to_stdout() {
    let o = run_in(manifest_dir(), &["explain", "E0101"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("E0101"), "{out}");
    assert!(out.contains("Wrong:") && out.contains("Fixed:"), "{out}");
    assert!(o.stderr.is_empty(), "stderr: {}", stderr(&o));
}

#[test]
fn explain_accepts_lowercase_codes() {
    let upper = run_in(manifest_dir(), &["explain", "E0101"]);
    let lower = run_in(manifest_dir(), &["explain", "e0101"]);
    assert_exit(&lower, 0);
    assert_eq!(stdout(&lower), stdout(&upper));
}

#[test]
fn explain_without_a_code_lists_every_code() {
    let o = run_in(manifest_dir(), &["explain"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(!xlic::diagnostics::codes::ALL.is_empty());
    for info in xlic::diagnostics::codes::ALL {
        assert!(
            out.contains(info.code.as_str()),
            "{} missing from the list:\n{out}",
            info.code
        );
    }
}

#[test]
fn explain_of_an_unknown_code_exits_2() {
    let o = run_in(manifest_dir(), &["explain", "E9999"]);
    assert_exit(&o, 2);
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("E9999"), "{err}");
}

// ------------------------------------------------------------------ determinism, meta

#[test]
fn same_input_gives_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a/typo.xlic", TYPO);
    write(
        tmp.path(),
        "b/bad.xlic",
        "import \"../a/missing.xlic\"\nagreement \"B\" { effective 2026-02-30 }\nparty x \"X\"\nparty x \"X again\"\n",
    );
    write(tmp.path(), "c/syntax.xlic", "party }\ngrant { ]\n\"open");
    for format in ["human", "short", "json"] {
        let first = run_in(tmp.path(), &["check", "--message-format", format, "."]);
        let second = run_in(tmp.path(), &["check", "--message-format", format, "."]);
        assert_exit(&first, 1);
        let (a, b) = if format == "json" {
            (&first.stdout, &second.stdout)
        } else {
            (&first.stderr, &second.stderr)
        };
        assert!(String::from_utf8_lossy(a).lines().count() >= 3, "{format}");
        assert_eq!(a, b, "{format} output differs between runs");
    }
}

#[test]
fn version_and_help_exit_0() {
    let o = run_in(manifest_dir(), &["--version"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        stdout(&o)
    );
    let o = run_in(manifest_dir(), &["--help"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("check") && out.contains("explain"), "{out}");
}

// ------------------------------------------------------------------ files and streams

/// Runs `xlic ARGS` in `dir` with `stdin`, killing it after 20 seconds: a read that
/// blocks (a FIFO, a device) fails the test instead of hanging it.
fn run_bounded(dir: &Path, args: &[&str], stdin: Stdio, stdout: Stdio) -> Output {
    let mut child = xlic()
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xlic");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("xlic {args:?} blocked for 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_before_they_are_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "d/ok.xlic", CLEAN);
    mkfifo(&dir.join("d/pipe.xlic"));
    let run = |args: &[&str]| run_bounded(dir, args, Stdio::null(), Stdio::piped());
    // Named, found in a folder, formatted.
    for args in [
        &["check", "d/pipe.xlic"][..],
        &["check", "d"],
        &["fmt", "d"],
        &["fmt", "--check", "d/pipe.xlic"],
    ] {
        let o = run(args);
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains("`d/pipe.xlic`: it is a FIFO (named pipe), not a regular file"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Imported: E0103 at the import.
    write(
        dir,
        "main.xlic",
        &format!("import \"d/pipe.xlic\"\n{CLEAN}"),
    );
    let o = run(&["check", "--message-format", "short", "main.xlic"]);
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("error[E0103]: cannot import `d/pipe.xlic`: it is a FIFO"),
        "{}",
        stderr(&o)
    );
    // A policy that is a device, directly or through a link.
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
    let o = run(&["query", "zero.json", "--batch"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("cannot read `zero.json`: it is a device, not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn links_in_a_checked_folder_stay_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A secret outside the folder, reached through a link named like an agreement: its
    // content must not appear in any diagnostic.
    write(dir, "secret.txt", "AWS_SECRET=hunter2 party\n");
    write(dir, "d/ok.xlic", CLEAN);
    std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("d/env.xlic")).unwrap();
    for args in [&["check", "d"][..], &["fmt", "d"]] {
        let o = run_bounded(dir, args, Stdio::null(), Stdio::piped());
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(!err.contains("hunter2"), "{err}");
        assert!(
            err.contains("`d/env.xlic` is a link to") && err.contains("outside `d`"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("secret.txt")).unwrap(),
        "AWS_SECRET=hunter2 party\n",
        "fmt left the target alone"
    );
    std::fs::remove_file(dir.join("d/env.xlic")).unwrap();
    // Links inside the folder are followed, and a link back up does not loop.
    std::fs::create_dir_all(dir.join("d/sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("d/sub/up")).unwrap();
    std::os::unix::fs::symlink("../ok.xlic", dir.join("d/sub/alias.xlic")).unwrap();
    let o = run_bounded(dir, &["check", "d"], Stdio::null(), Stdio::piped());
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("checked 1 file"), "{}", stderr(&o));
    // A link to a folder named on the command line too is allowed.
    write(dir, "shared/reg.xlic", "party shared \"Shared\"\n");
    std::os::unix::fs::symlink(dir.join("shared"), dir.join("d/shared")).unwrap();
    let o = run_bounded(dir, &["check", "d"], Stdio::null(), Stdio::piped());
    assert_exit(&o, 2);
    let o = run_bounded(
        dir,
        &["check", "d", "shared"],
        Stdio::null(),
        Stdio::piped(),
    );
    assert_exit(&o, 0);
}

#[test]
fn fmt_and_query_read_within_the_size_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.xlic", CLEAN);
    let o = run_in(
        dir,
        &["fmt", "--check", "--max-file-bytes", "100", "a.xlic"],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("over the limit of 100 bytes"),
        "{}",
        stderr(&o)
    );
    // Stdin is not read past the limit (it used to be read whole: `fmt - < /dev/zero`).
    let o = run_stdin(
        dir,
        &["fmt", "--max-file-bytes", "1000", "-"],
        &[b' '; 5000],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("stdin holds more than 1000 bytes"),
        "{}",
        stderr(&o)
    );
    let o = run_in(dir, &["build", "a.xlic"]);
    assert_exit(&o, 0);
    write(dir, "policy.json", &stdout(&o));
    let o = run_in(
        dir,
        &["query", "--max-file-bytes", "100", "policy.json", "--batch"],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("cannot read `policy.json`: it is")
            && stderr(&o).contains("over the limit of 100 bytes"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_stdout_that_cannot_be_written_is_exit_2_with_a_message() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let ex = manifest_dir();
    let request = "{\"licensee\":\"globex\",\"asset\":\"acme_motion\",\"right\":\"make\",\"field\":\"robotics\",\"territory\":\"DE\",\"date\":\"2027-01-01\"}\n";
    let tmp = tempfile::tempdir().unwrap();
    let requests = write(tmp.path(), "requests.jsonl", request);
    for args in [
        &["query", "examples/acme_globex.xlic", "--batch"][..],
        &["explain"],
        &["explain", "E0301"],
        &["schema"],
        &["build", "examples/acme_globex.xlic"],
        &[
            "report",
            "--as-of",
            "2027-01-01",
            "examples/acme_globex.xlic",
        ],
        &[
            "diff",
            "examples/acme_globex.xlic",
            "examples/patent_pool.xlic",
        ],
    ] {
        let stdin = Stdio::from(std::fs::File::open(&requests).unwrap());
        let o = run_bounded(ex, args, stdin, Stdio::from(full()));
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains("error: cannot write to stdout:"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

/// Runs `xlic ARGS` in `dir` under a file-size limit of 512 bytes (`ulimit -f 1`, with
/// SIGXFSZ ignored so that the write fails instead of killing the process): any write
/// past 512 bytes fails, as on a full disk.
#[cfg(unix)]
fn run_with_small_file_limit(dir: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run sh")
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_old_file_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Unformatted and over 512 bytes: `fmt` used to truncate it, then fail half way.
    let messy: String = (0..60)
        .map(|i| format!("party    p{i}    \"Party {i}\"\n"))
        .collect();
    write(dir, "big.xlic", &messy);
    let o = run_with_small_file_limit(dir, &["fmt", "big.xlic"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("cannot write `big.xlic`") && stderr(&o).contains("is unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("big.xlic")).unwrap(),
        messy
    );
    // `build -o` and `report -o` keep the previous output, and leave no temporary file.
    let example = manifest_dir().join("examples/acme_globex.xlic");
    let example = example.to_str().unwrap();
    write(dir, "out/policy.json", "previous policy\n");
    write(dir, "report.md", "previous report\n");
    let o = run_with_small_file_limit(dir, &["build", "-o", "out", example]);
    assert_exit(&o, 2);
    let o = run_with_small_file_limit(
        dir,
        &[
            "report",
            "--as-of",
            "2027-01-01",
            "-o",
            "report.md",
            example,
        ],
    );
    assert_exit(&o, 2);
    assert_eq!(
        std::fs::read_to_string(dir.join("out/policy.json")).unwrap(),
        "previous policy\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.md")).unwrap(),
        "previous report\n"
    );
    let mut left: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .chain(std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["big.xlic", "out", "policy.json", "report.md"]);
    // Without the limit the writes go through, and fmt keeps the file's permissions.
    std::fs::set_permissions(
        dir.join("big.xlic"),
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o640),
    )
    .unwrap();
    assert_exit(&run_in(dir, &["fmt", "big.xlic"]), 0);
    let meta = std::fs::metadata(dir.join("big.xlic")).unwrap();
    let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
    assert_eq!(mode & 0o777, 0o640);
    assert_ne!(
        std::fs::read_to_string(dir.join("big.xlic")).unwrap(),
        messy
    );
}

#[test]
fn a_batch_request_line_is_read_within_a_limit() {
    // 3 MB without a line break, then a good request: the first gets an error answer
    // (and is not kept in memory), the second its answer.
    let mut input = vec![b'x'; 3 * 1024 * 1024];
    input.extend_from_slice(b"\n{\"licensee\":\"globex\",\"asset\":\"acme_motion\",\"right\":\"make\",\"field\":\"robotics\",\"territory\":\"DE\",\"date\":\"2027-01-01\"}\n");
    let o = run_stdin(
        manifest_dir(),
        &["query", "examples/acme_globex.xlic", "--batch"],
        &input,
    );
    assert_exit(&o, 0);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        "{\"error\":\"request longer than 1048576 bytes\"}"
    );
    assert!(!lines[1].contains("\"error\""), "{}", lines[1]);
}

/// `check -o FILE` takes any format: the human report goes to the file (no colour, as
/// it is no terminal), stderr and stdout stay empty, and the exit status is the run's.
#[test]
fn check_output_writes_the_human_report_to_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "typo.xlic", TYPO);
    let o = run_in(tmp.path(), &["check", "-o", "report.txt", "typo.xlic"]);
    assert_exit(&o, 1);
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{o:?}");
    let text = std::fs::read_to_string(tmp.path().join("report.txt")).unwrap();
    assert!(
        text.contains("E0101") && text.contains("checked 1 file"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour in a file: {text}");
    // A clean run replaces the old report.
    write(tmp.path(), "typo.xlic", CLEAN);
    let o = run_in(tmp.path(), &["check", "-o", "report.txt", "typo.xlic"]);
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(tmp.path().join("report.txt")).unwrap();
    assert!(!text.contains("E0101"), "{text}");
}

/// `-o -` means stdout for `build`, `check` and `report`, as `-` does for a file
/// argument: the output is printed and no file or folder named `-` appears.
#[test]
fn dash_as_output_is_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let example = manifest_dir().join("examples/acme_globex.xlic");
    let example = example.to_str().unwrap();
    let o = run_in(tmp.path(), &["build", "-o", "-", example]);
    assert_exit(&o, 0);
    let policy: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(policy["agreements"].is_array());
    let o = run_in(
        tmp.path(),
        &["build", "--emit", "markdown", "-o", "-", example],
    );
    assert_exit(&o, 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("# "));
    let o = run_in(
        tmp.path(),
        &["report", "--as-of", "2027-01-01", "-o", "-", example],
    );
    assert_exit(&o, 0);
    assert!(!o.stdout.is_empty());
    write(tmp.path(), "typo.xlic", "party acme \"Acme\"\nbogus\n");
    let o = run_in(
        tmp.path(),
        &["check", "--message-format", "json", "-o", "-", "typo.xlic"],
    );
    assert_exit(&o, 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("E0"));
    assert!(
        !tmp.path().join("-").exists(),
        "a file or folder named `-` was written"
    );
}

/// An agreement of a folder with its own copy of the parties and the asset it licenses
/// (no shared registry), `{legal}` Acme's legal name and `{x}` the grant's exclusivity.
fn agreement_with_copies(title: &str, licensee: &str, legal: &str, x: &str) -> String {
    format!(
        "agreement \"{title}\" {{ effective 2026-01-01 term 5 years kind license }}\n\
         party acme \"{legal}\" {{ affiliate acme_de \"Acme GmbH\" }}\n\
         party {licensee} \"{licensee} Inc.\"\n\
         fields {{ robotics }}\n\
         territory dach = [DE, AT, CH]\n\
         asset motion: patent family of acme\n\
         grant to_{licensee}: acme -> {licensee} {{ assets motion field robotics territory dach {x} }}\n"
    )
}

/// A folder `deals/` of two such agreements, `c.xlic` and `d.xlic`, with Acme's legal
/// name in `d.xlic` and the grants' exclusivity given.
fn two_agreements_with_copies(legal_in_d: &str, x: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let c = agreement_with_copies("C", "globex", "Acme Robotics, Inc.", x);
    let d = agreement_with_copies("D", "initech", legal_in_d, x);
    write(tmp.path(), "deals/c.xlic", &c);
    write(tmp.path(), "deals/d.xlic", &d);
    tmp
}

#[test]
fn names_declared_alike_in_two_agreements_are_one_in_the_policy_query_and_diff() {
    let tmp = two_agreements_with_copies("Acme Robotics, Inc.", "non-exclusive");
    let dir = tmp.path();
    let o = run_in(dir, &["check", "deals/c.xlic", "deals/d.xlic"]);
    assert_exit(&o, 0);
    assert!(stderr(&o).ends_with("no problems\n"), "{}", stderr(&o));
    let o = run_in(dir, &["build", "--emit", "json", "-o", "out", "deals"]);
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(dir.join("out/policy.json")).unwrap();
    let policy: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids = |table: &str| -> Vec<String> {
        policy[table]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap_or("?").to_string())
            .collect()
    };
    assert_eq!(ids("parties"), ["acme", "acme_de", "globex", "initech"]);
    assert_eq!(ids("assets"), ["motion"]);
    // Both agreements' licensees hold the one asset, and the reader takes the policy.
    for licensee in ["globex", "initech"] {
        let o = run_in(
            dir,
            &[
                "query",
                "out/policy.json",
                "--licensee",
                licensee,
                "--asset",
                "motion",
                "--right",
                "use",
                "--field",
                "robotics",
                "--territory",
                "AT",
                "--date",
                "2027-01-01",
            ],
        );
        assert_exit(&o, 0);
        assert!(
            stdout(&o).contains("\"decision\": \"permit\""),
            "{}",
            stdout(&o)
        );
    }
    let o = run_in(dir, &["diff", "deals", "deals"]);
    assert_exit(&o, 0);
}

#[test]
fn a_party_declared_differently_in_two_agreements_is_e0102() {
    let tmp = two_agreements_with_copies("Acme Robotics Inc.", "non-exclusive");
    let dir = tmp.path().join("deals");
    let dir = dir.as_path();
    let o = run_in(dir, &["check", "c.xlic", "d.xlic"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("error[E0102]: party `acme` is declared differently in `c.xlic` and `d.xlic`"),
        "{err}"
    );
    assert!(
        err.contains("the legal names differ: `Acme Robotics, Inc.` in `c.xlic`, `Acme Robotics Inc.` in `d.xlic`"),
        "{err}"
    );
    // Its affiliate and the asset it owns are not reported again.
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    let o = run_in(
        dir,
        &["build", "--emit", "json", "-o", "out", "c.xlic", "d.xlic"],
    );
    assert_exit(&o, 1);
    assert!(!dir.join("out/policy.json").exists());
}

#[test]
fn an_asset_declared_alike_in_two_agreements_is_licensed_exclusively_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let c = agreement_with_copies("C", "globex", "Acme Robotics, Inc.", "exclusive");
    let d = agreement_with_copies("D", "initech", "Acme Robotics, Inc.", "exclusive");
    write(dir, "c.xlic", &c);
    write(dir, "d.xlic", &d);
    let o = run_in(
        dir,
        &["check", "--message-format", "short", "c.xlic", "d.xlic"],
    );
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("error[E0301]: exclusive grant `to_"), "{err}");
    assert!(!err.contains("E0102"), "{err}");
}

#[test]
fn an_asset_declared_in_two_imported_files_is_one_when_alike_and_e0102_when_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "a.xlic",
        "party acme \"Acme\"\nfields { robotics }\nasset vision: patent family of acme\n",
    );
    write(
        dir,
        "main.xlic",
        "import \"a.xlic\"\nimport \"b.xlic\"\n\
         agreement \"M\" { effective 2026-01-01 term 5 years kind license }\n\
         party globex \"Globex\"\n\
         grant g: acme -> globex { assets vision field robotics territory worldwide non-exclusive }\n",
    );
    // `b.xlic` declares `vision` too (and Acme with it), alike: one asset.
    write(
        dir,
        "b.xlic",
        "party acme \"Acme\"\nasset vision: patent family of acme\n",
    );
    let o = run_in(dir, &["check", "main.xlic"]);
    assert_exit(&o, 0);
    let o = run_in(dir, &["build", "--emit", "json", "-o", "out", "main.xlic"]);
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(dir.join("out/policy.json")).unwrap();
    assert_eq!(text.matches("\"id\": \"vision\"").count(), 1, "{text}");
    let o = run_in(
        dir,
        &[
            "query",
            "out/policy.json",
            "--licensee",
            "globex",
            "--asset",
            "vision",
            "--right",
            "use",
            "--field",
            "robotics",
            "--territory",
            "US",
            "--date",
            "2027-01-01",
        ],
    );
    assert_exit(&o, 0);
    // Now `b.xlic`'s `vision` is owned by someone else: one E0102 where it is declared,
    // not a second one where `main.xlic` uses it.
    write(
        dir,
        "b.xlic",
        "party acme \"Acme\"\nparty initech \"Initech\"\nasset vision: patent family of initech\n",
    );
    write(
        dir,
        "main.xlic",
        "import \"a.xlic\"\nimport \"b.xlic\"\n\
         agreement \"M\" { effective 2026-01-01 term 5 years kind license }\n\
         party globex \"Globex\"\n\
         grant g: acme -> globex { assets vision field robotics territory worldwide non-exclusive }\n",
    );
    let o = run_in(dir, &["check", "--message-format", "short", "main.xlic"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("b.xlic:3:7: error[E0102]: asset `vision` is declared differently in `a.xlic` and `b.xlic`"),
        "{err}"
    );
    assert_eq!(err.matches("E0102").count(), 1, "{err}");
}
