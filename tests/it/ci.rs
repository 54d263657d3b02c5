//! The CI integrations as a pipeline sees them: the GitLab Code Quality report of
//! `xlic check`, `xlic test` over its fixtures (`tests/xlictest/`) and the shipped
//! example's tests, and scripts/ci-action.sh (the GitHub Action's work) run with the
//! binary under test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn package() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `xlic ARGS` in `dir`, stdin empty.
fn xlic(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The exit status, stdout and stderr.
fn parts(o: &Output) -> (i32, String, String) {
    (
        o.status.code().expect("killed by a signal"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

// ------------------------------------------------------------------ GitLab

#[test]
fn gitlab_report_is_a_code_quality_array_with_repository_paths() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    std::fs::create_dir_all(repo.path().join("agreements")).unwrap();
    let text = std::fs::read_to_string(package().join("examples/acme_globex.xlic")).unwrap();
    let typo = text.replace("acme -> globex {", "acme -> globx {");
    assert_ne!(text, typo);
    std::fs::write(repo.path().join("agreements/a.xlic"), &typo).unwrap();
    let dir = repo.path().join("agreements");
    let o = xlic(&dir, &["check", "--message-format", "gitlab", "a.xlic"]);
    let (code, out, err) = parts(&o);
    // A machine format: the report on stdout, like SARIF and JSON lines.
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "{err}");
    let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
    let issues = issues.as_array().unwrap();
    let e = issues
        .iter()
        .find(|i| i["check_name"] == "E0101")
        .expect("the typo is reported");
    assert_eq!(e["severity"], "critical");
    assert_eq!(e["location"]["path"], "agreements/a.xlic");
    let line = typo.lines().position(|l| l.contains("-> globx")).unwrap() + 1;
    assert_eq!(e["location"]["lines"]["begin"], line);
    assert!(e["description"].as_str().unwrap().contains("`globx`"));
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(["critical", "minor"].contains(&i["severity"].as_str().unwrap()));
    }
    let again = xlic(&dir, &["check", "--message-format", "gitlab", "a.xlic"]);
    assert_eq!(o.stdout, again.stdout, "byte-identical across runs");
    // a clean file: an empty array, exit 0
    let clean = xlic(
        package(),
        &[
            "check",
            "--message-format",
            "gitlab",
            "examples/bilateral_license.xlic",
        ],
    );
    let (code, out, _) = parts(&clean);
    assert_eq!((code, out.as_str()), (0, "[]\n"));
}

// ------------------------------------------------------------------ xlic test

#[test]
fn passing_tests_exit_0_with_a_line_per_case() {
    let o = xlic(package(), &["test", "tests/xlictest/pass.xlic.test"]);
    let (code, out, err) = parts(&o);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.matches("\nok: ").count() + usize::from(out.starts_with("ok: ")),
        3,
        "{out}"
    );
    assert!(out.contains("ok: tests/xlictest/pass.xlic.test:10: expect permit: c1 may have made fam in tools.saws in DE on 2027-06-01\n"), "{out}");
    assert!(
        out.ends_with("test result: ok. 3 passed, 0 failed, 0 errors (1 test file run of 1)\n"),
        "{out}"
    );
}

#[test]
fn failing_tests_exit_1_with_expected_actual_and_reasons() {
    let o = xlic(package(), &["test", "tests/xlictest/fail.xlic.test"]);
    let (code, out, err) = parts(&o);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("ok: tests/xlictest/fail.xlic.test:5: "),
        "{out}"
    );
    assert!(
        out.contains(
            "FAILED: tests/xlictest/fail.xlic.test:7: expect permit: b1 may make fam in tools.saws in DE on 2027-06-01\n  expected permit, got deny\n  reason: not_granted: "
        ),
        "{out}"
    );
    assert!(
        out.contains("  expected the reason owner, which the answer does not give\n  reason: granted `to_b` at tests/query/small.xlic:"),
        "{out}"
    );
    assert!(
        out.contains("  expected to owe nothing, owes to_c\n"),
        "{out}"
    );
    assert!(
        out.ends_with("test result: FAILED. 1 passed, 3 failed, 0 errors (1 test file run of 1)\n"),
        "{out}"
    );
}

#[test]
fn unanswerable_questions_unreadable_files_and_broken_agreements_exit_2() {
    let (code, out, _) = parts(&xlic(
        package(),
        &["test", "tests/xlictest/unknown.xlic.test"],
    ));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("ERROR: tests/xlictest/unknown.xlic.test:4: expect deny: globx may make fam in tools in DE on 2027-06-01\n  unknown party `globx`\n"), "{out}");
    assert!(out.contains("1 passed, 0 failed, 1 error "), "{out}");

    let (code, out, err) = parts(&xlic(
        package(),
        &["test", "tests/xlictest/broken.xlic.test"],
    ));
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("error: tests/xlictest/broken.xlic.test:2: unknown decision `allow`\n  help: the decision is one of permit, deny or no_license_needed\n"), "{err}");
    assert!(
        err.contains("error: tests/xlictest/broken.xlic.test:3: cannot read the question"),
        "{err}"
    );
    assert!(out.contains("0 test files run of 1"), "{out}");

    let (code, out, err) = parts(&xlic(package(), &["test", "tests/xlictest/bad.xlic"]));
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("error[E0101]: unknown party `nobody`"),
        "{err}"
    );
    assert!(
        err.contains(
            "error: tests/xlictest/bad.xlic.test: not run: `tests/xlictest/bad.xlic` has errors"
        ),
        "{err}"
    );

    let (code, _, err) = parts(&xlic(package(), &["test", "examples/patent_pool.xlic"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("has no test file; write its cases in `examples/patent_pool.xlic.test`"),
        "{err}"
    );
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = parts(&xlic(empty.path(), &["test"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no `*.xlic.test` files found"),
        "{err}"
    );
}

#[test]
fn a_folder_runs_the_tests_beside_its_agreements() {
    let o = xlic(package(), &["test", "examples"]);
    let (code, out, err) = parts(&o);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("ok: examples/acme_globex.xlic.test:"),
        "{out}"
    );
    assert!(!out.contains("FAILED"), "{out}");
    assert!(
        out.contains(" 0 failed, 0 errors (1 test file run of 1)\n"),
        "{out}"
    );
    assert_eq!(o.stdout, xlic(package(), &["test", "examples"]).stdout);
}

// ------------------------------------------------------------------ the action's script

/// scripts/ci-action.sh in `dir` with the binary under test (nothing is installed).
fn action(dir: &Path, test: &str) -> (i32, String, String) {
    let o = Command::new("bash")
        .arg(package().join("scripts/ci-action.sh"))
        .current_dir(dir)
        .env("XLIC", env!("CARGO_BIN_EXE_xlic"))
        .env("XLIC_TEST", test)
        .env_remove("XLIC_PATHS")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_PATH")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    parts(&o)
}

#[test]
fn the_action_script_passes_the_examples_and_fails_on_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(package().join("examples")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let (code, out, err) = action(dir.path(), "auto");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("== xlic test ."),
        "tests run when a test file exists: {out}"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("xlic.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);

    // a file out of the canonical layout fails `xlic fmt --check`
    let a = dir.path().join("acme_globex.xlic");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(
        &a,
        text.replace("  effective 2026-01-01", "effective    2026-01-01"),
    )
    .unwrap();
    let (code, _, err) = action(dir.path(), "auto");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("failed: xlic fmt --check"), "{err}");
    assert!(!err.contains("failed: xlic check"), "{err}");

    // an error fails `xlic check`, the SARIF log holds it, and the failing test is reported
    std::fs::write(&a, text.replace("acme -> globex {", "acme -> globx {")).unwrap();
    let (code, out, err) = action(dir.path(), "true");
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("failed: xlic check"), "{err}");
    assert!(err.contains("failed: xlic test"), "{err}");
    assert!(err.contains("error[E0101]: unknown party `globx`"), "{err}");
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("xlic.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "E0101");

    // a bad setting is a usage error
    let (code, _, err) = action(dir.path(), "maybe");
    assert_eq!(code, 2);
    assert!(
        err.contains("XLIC_TEST must be true, false or auto"),
        "{err}"
    );
}
