//! `--message-format sarif` as a code-scanning service sees it: every log validates
//! against the vendored OASIS SARIF 2.1.0 schema (`schema/sarif-schema-2.1.0.json`),
//! and says the right things: rule ids and levels, URIs relative to the repository
//! root, one-based UTF-16 columns, the other clauses of a conflict as related
//! locations, exact fixes, exit codes as for the other formats.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use xlic::diagnostics::codes;

const SCHEMA_FILE: &str = "schema/sarif-schema-2.1.0.json";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pattern of `run.language` and `toolComponent.language` in the OASIS schema, with
/// a stray `]` that ECMA-262 (Annex B) reads as a literal `]` but the strict `regex`
/// format check of the draft-07 meta-schema in `jsonschema` rejects.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// The vendored schema as it is on disk.
fn schema_file() -> Value {
    let text = std::fs::read_to_string(manifest_dir().join(SCHEMA_FILE)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The schema with the stray `]` escaped (`\]`: the same literal `]`, the same
/// language); nothing else changes. xlic writes no `language` anyway.
fn schema() -> Value {
    let mut schema = schema_file();
    let mut escaped = 0;
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(pattern.as_str(), Some(LANGUAGE_PATTERN), "{def}");
        *pattern = Value::from(LANGUAGE_PATTERN.replace("]?$", "\\]?$"));
        escaped += 1;
    }
    assert_eq!(escaped, 2);
    schema
}

/// The official schema as a draft-07 validator that also checks `format`s (`uri`,
/// `uri-reference`).
fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema())
        .unwrap_or_else(|e| panic!("the SARIF schema does not compile: {e}"))
}

fn validation_errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("at `{}`: {e}", e.instance_path()))
        .collect()
}

/// Runs `xlic ARGS` in `dir`, with `input` on stdin when given.
fn run(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xlic");
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(bytes).unwrap();
    }
    child.wait_with_output().expect("wait for xlic")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_exit(o: &Output, expected: i32) {
    assert_eq!(
        o.status.code(),
        Some(expected),
        "wrong exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The SARIF log `xlic check` wrote on stdout, checked as [`sarif_text`] checks it.
fn sarif(o: &Output) -> Value {
    sarif_text(&stdout(o))
}

/// The SARIF log in `text`, after checking it against the schema and the invariants
/// every log keeps (one run, every rule with its name and help page, `ruleIndex`
/// pointing at `ruleId`, the message without the help).
fn sarif_text(text: &str) -> Value {
    let log: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{text}"));
    let errors = validation_errors(&validator(), &log);
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{text}",
        errors.join("\n")
    );

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "xlic");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], codes::PROJECT_URL);
    let rules = driver["rules"].as_array().unwrap();
    for (rule, info) in rules.iter().zip(codes::ALL) {
        assert_eq!(rule["name"], codes::rule_name(info.code));
        assert!(rule["helpUri"]
            .as_str()
            .unwrap()
            .contains(info.code.as_str()));
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = codes::ALL.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(ids, registry);
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert_eq!(
            rules[index]["defaultConfiguration"]["level"],
            result["level"]
        );
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            !message.contains("help:") && !message.contains("note:"),
            "{message}"
        );
    }
    log
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// Where the log says `%SRCROOT%` is: only with `--sarif-root` (no machine path by
/// default).
fn srcroot(log: &Value) -> Option<&str> {
    log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str()
}

fn region(location: &Value) -> (u64, u64, u64, u64) {
    let r = &location["physicalLocation"]["region"];
    (
        r["startLine"].as_u64().unwrap(),
        r["startColumn"].as_u64().unwrap(),
        r["endLine"].as_u64().unwrap(),
        r["endColumn"].as_u64().unwrap(),
    )
}

fn uri(location: &Value) -> (&str, Option<&str>) {
    let a = &location["physicalLocation"]["artifactLocation"];
    (a["uri"].as_str().unwrap(), a["uriBaseId"].as_str())
}

/// A temporary git repository (a `.git` folder is all the root search looks for).
fn repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    (tmp, root)
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn copy(from: &str, root: &Path, rel: &str) {
    let text = std::fs::read_to_string(manifest_dir().join(from)).unwrap();
    write(root, rel, &text);
}

fn file_uri_of_dir(dir: &Path) -> String {
    format!("file://{}/", dir.display())
}

// ------------------------------------------------------------------ the schema

#[test]
fn the_vendored_schema_is_the_draft_07_sarif_schema_and_rejects_broken_logs() {
    let file = schema_file();
    assert_eq!(
        file.to_string().matches(LANGUAGE_PATTERN).count(),
        2,
        "the vendored file is the OASIS text, stray `]` included"
    );
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema["title"]
        .as_str()
        .unwrap()
        .contains("SARIF) Version 2.1.0"));
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("not a valid draft-07 schema: {e}");
    }
    // It is not vacuous: a log xlic wrote passes, broken copies of it do not.
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/names/err/E0101_party_typo.xlic",
        &root,
        "a.xlic",
    );
    let log = sarif(&run(&root, &["check", "--message-format", "sarif"], None));
    let v = validator();
    let mut no_version = log.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(!v.is_valid(&no_version));
    let mut column_zero = log.clone();
    column_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        ["startColumn"] = Value::from(0);
    assert!(!v.is_valid(&column_zero));
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!v.is_valid(&bad_level));
    let mut bad_uri = log;
    bad_uri["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = Value::from("a b:/ c");
    assert!(!v.is_valid(&bad_uri));
}

// ------------------------------------------------------------------ fixtures

#[test]
fn clean_examples_give_a_valid_log_with_every_rule_and_no_results() {
    let (_tmp, root) = repo();
    for name in [
        "acme_globex",
        "bilateral_license",
        "patent_pool",
        "semiconductor_cross_license",
    ] {
        copy(
            &format!("examples/{name}.xlic"),
            &root,
            &format!("examples/{name}.xlic"),
        );
    }
    let human = run(&root, &["check", "examples"], None);
    let out = run(
        &root,
        &["check", "--message-format", "sarif", "examples"],
        None,
    );
    assert_eq!(out.status.code(), human.status.code());
    assert_exit(&out, 0);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let log = sarif(&out);
    assert_eq!(
        log["$schema"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
    );
    // The examples are clean or carry warnings only; never an error.
    for r in results(&log) {
        assert_eq!(r["level"], "warning", "{r}");
        assert_eq!(uri(&r["locations"][0]).1, Some("%SRCROOT%"));
    }
    assert_eq!(srcroot(&log), None);

    // The rules carry the registry: title, explanation, level by letter, family tag.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let e0301 = rules.iter().find(|r| r["id"] == "E0301").unwrap();
    let info = codes::lookup("E0301").unwrap();
    assert_eq!(e0301["shortDescription"]["text"], info.title);
    assert_eq!(e0301["help"]["text"], info.explanation);
    assert_eq!(e0301["defaultConfiguration"]["level"], "error");
    assert_eq!(e0301["properties"]["tags"], serde_json::json!(["conflict"]));
    let w0404 = rules.iter().find(|r| r["id"] == "W0404").unwrap();
    assert_eq!(w0404["defaultConfiguration"]["level"], "warning");
    assert_eq!(w0404["properties"]["tags"], serde_json::json!(["policy"]));

    // Byte-identical on a second run.
    let again = run(
        &root,
        &["check", "--message-format", "sarif", "examples"],
        None,
    );
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn a_conflict_points_at_both_clauses() {
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/conflicts/err/E0301_exclusive_grants_overlap.xlic",
        &root,
        "contracts/overlap.xlic",
    );
    // Run from a sub-folder: the root is still the repository's.
    let out = run(
        &root.join("contracts"),
        &["check", "--message-format", "sarif", "overlap.xlic"],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    assert_eq!(srcroot(&log), None);
    let r = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "E0301")
        .unwrap_or_else(|| panic!("no E0301 in {log}"));
    assert_eq!(r["level"], "error");
    let text = r["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("exclusive grant `to_initech` to `initech` overlaps grant `to_globex`"),
        "{text}"
    );
    assert!(!text.contains('\n'), "the message alone: {text}");
    let help = r["properties"]["help"].as_str().unwrap();
    assert!(!help.is_empty() && !text.contains(help), "{r}");
    assert!(
        !r["properties"]["notes"].as_array().unwrap().is_empty(),
        "{r}"
    );

    let primary = &r["locations"][0];
    assert_eq!(uri(primary), ("contracts/overlap.xlic", Some("%SRCROOT%")));
    assert_eq!(region(primary).0, 16, "the grant `to_initech` header");
    assert_eq!(region(primary).1, 1);
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{r}");
    assert_eq!(related[0]["id"], 1);
    assert_eq!(
        uri(&related[0]),
        ("contracts/overlap.xlic", Some("%SRCROOT%"))
    );
    assert_eq!(region(&related[0]).0, 9, "the grant `to_globex` header");
    assert_eq!(
        related[0]["message"]["text"],
        "overlapping grant to another licensee"
    );

    let fp = r["partialFingerprints"]["xlic/v1"].as_str().unwrap();
    assert!(fp.ends_with(":1"), "{fp}");
}

#[test]
fn a_conflict_across_files_relates_the_other_file() {
    let (_tmp, root) = repo();
    for f in ["main.xlic", "registry.xlic", "two.xlic"] {
        copy(
            &format!("tests/fixtures/conflicts/err/E0301_across_agreements.d/{f}"),
            &root,
            &format!("deals/{f}"),
        );
    }
    let out = run(
        &root,
        &["check", "--message-format", "sarif", "deals"],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    let r = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "E0301")
        .unwrap();
    assert_eq!(uri(&r["locations"][0]).0, "deals/main.xlic");
    assert_eq!(region(&r["locations"][0]).0, 5);
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(uri(&related[0]), ("deals/two.xlic", Some("%SRCROOT%")));
    assert_eq!(region(&related[0]).0, 4);
    assert_eq!(
        related[0]["message"]["text"],
        "overlapping grant to another licensee"
    );
}

#[test]
fn a_syntax_error_file_reports_each_error() {
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/syntax/err/E0004_three_independent_errors.xlic",
        &root,
        "bad.xlic",
    );
    let out = run(
        &root,
        &["check", "--message-format", "sarif", "bad.xlic"],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    let rs = results(&log);
    assert!(rs.len() >= 3, "{log}");
    assert!(rs.iter().all(|r| r["level"] == "error"));
    assert!(rs
        .iter()
        .all(|r| uri(&r["locations"][0]) == ("bad.xlic", Some("%SRCROOT%"))));
    let lines: Vec<u64> = rs.iter().map(|r| region(&r["locations"][0]).0).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "results in source order");
    // The same diagnostics as the JSON Lines format, in the same order.
    let json = run(
        &root,
        &["check", "--message-format", "json", "bad.xlic"],
        None,
    );
    let codes: Vec<String> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].to_string())
        .collect();
    let ids: Vec<String> = rs.iter().map(|r| r["ruleId"].to_string()).collect();
    assert_eq!(ids, codes);
}

#[test]
fn columns_count_utf16_units_from_one_and_a_typo_gets_an_exact_fix() {
    let (_tmp, root) = repo();
    let text = "\
agreement \"A\" { effective 2026-01-01 }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics }
asset p: know-how of acme
asset q: know-how of globex
/* Acme–Globex 😀 */ grant g: acme -> globx { assets p field robotics territory worldwide non-exclusive }
grant h: globex -> acme { assets q field robotics territory [US] non-exclusive }
";
    write(&root, "typo.xlic", text);
    let out = run(
        &root,
        &["check", "--message-format", "sarif", "typo.xlic"],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    let r = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "E0101")
        .unwrap();
    // "/* Acme–Globex 😀 */ grant g: acme -> " is 38 UTF-16 units (37 characters,
    // 42 bytes): `globx` starts at column 39 and ends before column 44.
    let line = text.lines().nth(6).unwrap();
    let before = &line[..line.find("globx").unwrap()];
    assert_eq!(before.encode_utf16().count(), 38);
    assert_eq!(before.chars().count(), 37);
    assert_eq!(region(&r["locations"][0]), (7, 39, 7, 44));

    let fix = &r["fixes"][0];
    assert!(fix["description"]["text"]
        .as_str()
        .unwrap()
        .contains("`globex`"));
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "typo.xlic");
    let rep = &change["replacements"][0];
    assert_eq!(
        rep["deletedRegion"],
        r["locations"][0]["physicalLocation"]["region"]
    );
    assert_eq!(rep["insertedContent"]["text"], "globex");
}

#[test]
fn files_outside_the_root_climb_out_of_it_and_stdin_gets_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let repo_dir = base.join("repo");
    std::fs::create_dir_all(repo_dir.join(".git")).unwrap();
    let typo = std::fs::read_to_string(
        manifest_dir().join("tests/fixtures/names/err/E0101_party_typo.xlic"),
    )
    .unwrap();
    let outside = write(&base, "my deals/a b#1.xlic", &typo);

    let arg = outside.to_str().unwrap();
    let out = run(
        &repo_dir,
        &["check", "--message-format", "sarif", arg],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    let loc = &results(&log)[0]["locations"][0];
    assert_eq!(
        uri(loc),
        ("../my%20deals/a%20b%231.xlic", Some("%SRCROOT%"))
    );
    assert!(
        !stdout(&out).contains(base.to_str().unwrap()),
        "no machine path"
    );

    // --sarif-root moves the root.
    let root_arg = base.to_str().unwrap();
    let out = run(
        &repo_dir,
        &[
            "check",
            "--message-format",
            "sarif",
            "--sarif-root",
            root_arg,
            arg,
        ],
        None,
    );
    let log = sarif(&out);
    let declared = file_uri_of_dir(&base);
    assert_eq!(srcroot(&log), Some(declared.as_str()));
    let loc = &results(&log)[0]["locations"][0];
    assert_eq!(uri(loc), ("my%20deals/a%20b%231.xlic", Some("%SRCROOT%")));

    // Standard input.
    let out = run(
        &repo_dir,
        &["check", "--message-format", "sarif", "-"],
        Some(typo.as_bytes()),
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    assert_eq!(uri(&results(&log)[0]["locations"][0]), ("stdin", None));
}

#[test]
fn without_a_repository_the_current_folder_is_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    if dir.ancestors().any(|d| d.join(".git").exists()) {
        return; // the temporary folder is itself inside a repository
    }
    copy(
        "tests/fixtures/names/err/E0101_party_typo.xlic",
        &dir,
        "x/t.xlic",
    );
    let out = run(&dir, &["check", "--message-format", "sarif", "x"], None);
    let log = sarif(&out);
    assert_eq!(srcroot(&log), None);
    assert!(
        !log.to_string().contains(dir.to_str().unwrap()),
        "no machine path"
    );
    assert_eq!(uri(&results(&log)[0]["locations"][0]).0, "x/t.xlic");
}

#[test]
fn a_missing_sarif_root_is_a_usage_error() {
    let (_tmp, root) = repo();
    copy("examples/acme_globex.xlic", &root, "a.xlic");
    let out = run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "--sarif-root",
            "no/such/folder",
            "a.xlic",
        ],
        None,
    );
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--sarif-root `no/such/folder`"),
        "{}",
        stderr(&out)
    );
}

// ------------------------------------------------------------------ exit codes, build

#[test]
fn warnings_exit_zero_unless_denied() {
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/conflicts/err/W0404_one_way_cross_license.xlic",
        &root,
        "w.xlic",
    );
    let out = run(
        &root,
        &["check", "--message-format", "sarif", "w.xlic"],
        None,
    );
    assert_exit(&out, 0);
    let log = sarif(&out);
    assert!(results(&log)
        .iter()
        .any(|r| r["ruleId"] == "W0404" && r["level"] == "warning"));
    let denied = run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "--deny-warnings",
            "w.xlic",
        ],
        None,
    );
    assert_exit(&denied, 1);
    assert_eq!(denied.stdout, out.stdout);
}

#[test]
fn max_diagnostics_is_said_in_a_notification() {
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/syntax/err/E0004_three_independent_errors.xlic",
        &root,
        "bad.xlic",
    );
    let all = sarif(&run(
        &root,
        &["check", "--message-format", "sarif", "bad.xlic"],
        None,
    ));
    let out = run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "--max-diagnostics",
            "1",
            "bad.xlic",
        ],
        None,
    );
    assert_exit(&out, 1);
    let log = sarif(&out);
    assert_eq!(results(&log).len(), 1);
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    let hidden = results(&all).len() - 1;
    assert_eq!(
        note["message"]["text"].as_str().unwrap(),
        format!("{hidden} more diagnostics not shown (--max-diagnostics; 0 shows all)")
    );
}

#[test]
fn build_takes_the_format_too() {
    let (_tmp, root) = repo();
    copy("examples/acme_globex.xlic", &root, "ok.xlic");
    let out = run(
        &root,
        &["build", "--message-format", "sarif", "ok.xlic"],
        None,
    );
    assert_exit(&out, 0);
    let _: Value = serde_json::from_slice(&out.stdout).expect("the policy on stdout");
    sarif_text(&stderr(&out));

    copy(
        "tests/fixtures/names/err/E0101_party_typo.xlic",
        &root,
        "bad.xlic",
    );
    let out = run(
        &root,
        &["build", "--message-format", "sarif", "bad.xlic"],
        None,
    );
    assert_exit(&out, 1);
    assert!(out.stdout.is_empty());
    let log = sarif_text(&stderr(&out));
    assert_eq!(results(&log)[0]["ruleId"], "E0101");
}

// ------------------------------------------------------------------ --output, rules

#[test]
fn output_writes_the_log_to_a_file_and_nothing_to_stdout() {
    let (_tmp, root) = repo();
    copy(
        "tests/fixtures/names/err/E0101_party_typo.xlic",
        &root,
        "bad.xlic",
    );
    let piped = run(
        &root,
        &["check", "--message-format", "sarif", "bad.xlic"],
        None,
    );
    for flag in ["--output", "-o"] {
        let target = root.join("out").join(format!("xlic{flag}.sarif"));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let out = run(
            &root,
            &[
                "check",
                "--message-format",
                "sarif",
                flag,
                target.to_str().unwrap(),
                "bad.xlic",
            ],
            None,
        );
        assert_exit(&out, 1);
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
        assert!(out.stderr.is_empty(), "{}", stderr(&out));
        let written = std::fs::read_to_string(&target).unwrap();
        let log = sarif_text(&written);
        assert_eq!(results(&log)[0]["ruleId"], "E0101");
        assert_eq!(written, stdout(&piped), "the same log as on stdout");
    }
    // JSON lines too: the file holds one object per diagnostic.
    let target = root.join("out/diags.jsonl");
    let out = run(
        &root,
        &[
            "check",
            "--message-format",
            "json",
            "-o",
            target.to_str().unwrap(),
            "bad.xlic",
        ],
        None,
    );
    assert_exit(&out, 1);
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&target).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["code"], "E0101");
}

#[test]
fn usage_and_input_errors_never_reach_the_output_file() {
    let (_tmp, root) = repo();
    copy("examples/acme_globex.xlic", &root, "ok.xlic");
    let target = root.join("xlic.sarif");
    std::fs::write(&target, "the previous log\n").unwrap();
    let t = target.to_str().unwrap();
    let cases: [&[&str]; 4] = [
        // A flag clap does not know.
        &[
            "check",
            "--message-format",
            "sarif",
            "-o",
            t,
            "--bogus",
            "ok.xlic",
        ],
        // A bad value.
        &["check", "--message-format", "sarf", "-o", t, "ok.xlic"],
        // A root that is not a folder.
        &[
            "check",
            "--message-format",
            "sarif",
            "--sarif-root",
            "nope",
            "-o",
            t,
            "ok.xlic",
        ],
        // A docs template that is not a URL.
        &[
            "check",
            "--message-format",
            "sarif",
            "--code-docs",
            "docs/{code}",
            "-o",
            t,
            "ok.xlic",
        ],
    ];
    for args in cases {
        let out = run(&root, args, None);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains("error"), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "the previous log\n",
            "{args:?}"
        );
    }
    // No inputs: an input error on stderr, no file created.
    let fresh = root.join("fresh.sarif");
    std::fs::create_dir(root.join("empty")).unwrap();
    let out = run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "-o",
            fresh.to_str().unwrap(),
            "empty",
        ],
        None,
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("no .xlic files"), "{}", stderr(&out));
    assert!(!fresh.exists());
    // A file that cannot be written: an error naming it, no log on stdout.
    let out = run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "-o",
            "no/such/dir/x.sarif",
            "ok.xlic",
        ],
        None,
    );
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("cannot write `no/such/dir/x.sarif`"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn rules_link_to_their_explanation_and_code_docs_moves_it() {
    let (_tmp, root) = repo();
    copy("examples/acme_globex.xlic", &root, "ok.xlic");
    let log = sarif(&run(
        &root,
        &["check", "--message-format", "sarif", "ok.xlic"],
        None,
    ));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let e0301 = rules.iter().find(|r| r["id"] == "E0301").unwrap();
    assert_eq!(e0301["name"], "ExclusivityConflict");
    assert_eq!(
        e0301["helpUri"],
        "https://github.com/xlic/xlic/blob/main/src/diagnostics/codes/E0301.md"
    );
    // The default page exists in this repository: the explanation `xlic explain` prints.
    let page = manifest_dir().join("src/diagnostics/codes/E0301.md");
    assert!(page.is_file());

    let log = sarif(&run(
        &root,
        &[
            "check",
            "--message-format",
            "sarif",
            "--code-docs",
            "https://intranet.example/xlic/{code}.html",
            "ok.xlic",
        ],
        None,
    ));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[0]["helpUri"],
        "https://intranet.example/xlic/E0001.html"
    );
}
