//! The query case runner: every `tests/query/*.query` file is a list of questions about
//! one agreement with the answer each must get. A new case is a few new lines; a new
//! agreement is a new file. Each question is asked through the library and through
//! `xlic query` (which must agree exactly); the answers of a file are snapshotted.
//!
//! The format, one directive a line (`#` starts a comment line):
//!
//! ```text
//! policy PATH             the agreement: one file, relative to the package
//! kinds N                 the file's cases cover N distinct reason kinds
//! case WHAT               a new case, described
//! ask LICENSEE ASSET RIGHT FIELD TERRITORY DATE [PURPOSE]   ("double quotes" around
//!                         a word with spaces, such as "have made"; PURPOSE is
//!                         `--purpose`)
//! expect permit|deny|no_license_needed
//! reason KIND CLAUSE|- [at LINE-PREFIX]   one line a reason, in the answer's order;
//!                         `at`: the cited source's line starts with LINE-PREFIX (and
//!                         a clause reason names its agreement); no `at`: no source
//! owes CLAUSE…            the clauses of the obligations, in order (none if left out)
//! affiliate NAME [KIND [SINCE]]   after `ask`: the question is for an entity the
//!                         agreement does not name, an affiliate of LICENSEE by control
//!                         (`--affiliate`, `--control`, `--controlled-since`; terms)
//! missed NAME…            the diligence milestones taken as missed (`--missed`)
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use xlic::query::{Answer, Decision, Evaluator, ReasonKind, Request};

/// One expected reason.
pub struct ReasonExpect {
    pub kind: ReasonKind,
    pub clause: Option<String>,
    /// The cited source line starts with this; `None`: the reason cites no source.
    pub at: Option<String>,
}

/// One question and its expected answer.
pub struct Case {
    pub what: String,
    /// The line of the `case` directive, for messages.
    pub line: usize,
    pub req: Request,
    pub decision: Decision,
    pub reasons: Vec<ReasonExpect>,
    pub owes: Vec<String>,
    /// `missed NAME…`: diligence milestones taken as missed (rights: issue 15).
    pub missed: Vec<String>,
}

/// A parsed `.query` file.
pub struct CaseFile {
    pub policy: String,
    pub kinds: Option<usize>,
    pub cases: Vec<Case>,
}

/// Splits on white space, keeping "double-quoted words" whole.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        if let Some(q) = rest.strip_prefix('"') {
            let end = q.find('"').expect("an unterminated quote");
            out.push(q[..end].to_string());
            rest = q[end + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// A snake_case name as the JSON spells it, read through serde.
fn named<T: serde::de::DeserializeOwned>(name: &str, at: &str) -> T {
    serde_json::from_value(Value::String(name.to_string()))
        .unwrap_or_else(|e| panic!("{at}: `{name}` is not a valid name here: {e}"))
}

/// Reads a case file (a path relative to the package).
pub fn load(path: &str) -> CaseFile {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut file = CaseFile {
        policy: String::new(),
        kinds: None,
        cases: Vec::new(),
    };
    for (i, raw) in text.lines().enumerate() {
        let at = format!("{path}:{}", i + 1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (directive, rest) = line.split_once(' ').unwrap_or((line, ""));
        match directive {
            "policy" => file.policy = rest.to_string(),
            "kinds" => file.kinds = Some(rest.parse().expect("kinds N")),
            "case" => file.cases.push(Case {
                what: rest.to_string(),
                line: i + 1,
                req: Request {
                    licensee: String::new(),
                    asset: String::new(),
                    right: String::new(),
                    field: String::new(),
                    territory: String::new(),
                    date: String::new(),
                    purpose: None,
                    affiliate: None,
                },
                decision: Decision::Deny,
                reasons: Vec::new(),
                owes: Vec::new(),
                missed: Vec::new(),
            }),
            _ => {
                let case = file
                    .cases
                    .last_mut()
                    .unwrap_or_else(|| panic!("{at}: `{directive}` before any `case`"));
                match directive {
                    "ask" => {
                        let w = words(rest);
                        assert!(
                            w.len() == 6 || w.len() == 7,
                            "{at}: ask takes six words and an optional purpose"
                        );
                        case.req = Request {
                            licensee: w[0].clone(),
                            asset: w[1].clone(),
                            right: w[2].clone(),
                            field: w[3].clone(),
                            territory: w[4].clone(),
                            date: w[5].clone(),
                            purpose: w.get(6).cloned(),
                            affiliate: None,
                        };
                    }
                    "expect" => case.decision = named(rest, &at),
                    "reason" => {
                        let (head, prefix) = match rest.split_once(" at ") {
                            Some((h, p)) => (h, Some(p.to_string())),
                            None => (rest, None),
                        };
                        let w = words(head);
                        assert_eq!(w.len(), 2, "{at}: reason KIND CLAUSE|- [at PREFIX]");
                        case.reasons.push(ReasonExpect {
                            kind: named(&w[0], &at),
                            clause: (w[1] != "-").then(|| w[1].clone()),
                            at: prefix,
                        });
                    }
                    "owes" => case.owes = words(rest),
                    "affiliate" => {
                        let w = words(rest);
                        assert!(
                            (1..=3).contains(&w.len()),
                            "{at}: affiliate NAME [KIND [SINCE]]"
                        );
                        case.req.affiliate = Some(xlic::query::UnnamedAffiliate {
                            name: w[0].clone(),
                            control: w.get(1).cloned(),
                            controlled_since: w.get(2).cloned(),
                        });
                    }
                    "missed" => case.missed = words(rest),
                    _ => panic!("{at}: unknown directive `{directive}`"),
                }
            }
        }
    }
    assert!(!file.policy.is_empty(), "{path}: no `policy` line");
    file
}

/// The one-based line of the first line of `text` that starts with `prefix`.
pub fn line_of(text: &str, prefix: &str) -> u32 {
    let n = text
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with `{prefix}`"));
    u32::try_from(n + 1).unwrap()
}

/// Compiles a file or folder relative to the package into a policy, asserting that it
/// has no errors (tests run in the package root, so the path is cited as written).
pub fn policy_of(path: &str) -> xlic::emit::json::Policy {
    let c = xlic::compile(
        &[xlic::Input::Path(PathBuf::from(path))],
        &xlic::Options::default(),
    )
    .expect("compile");
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{path} has errors: {errors:?}");
    xlic::emit::json::policy(&c.model, &c.sources)
}

/// `xlic query POLICY --licensee … --date …`, parsed.
pub fn binary_answer(policy: &str, r: &Request) -> Value {
    binary_answer_missed(policy, r, &[])
}

/// `xlic query POLICY --licensee … --date … --missed NAME…`, parsed.
pub fn binary_answer_missed(policy: &str, r: &Request, missed: &[String]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["query", policy])
        .args(missed.iter().flat_map(|m| ["--missed", m.as_str()]))
        .args(["--licensee", &r.licensee, "--asset", &r.asset])
        .args(["--right", &r.right, "--field", &r.field])
        .args(["--territory", &r.territory, "--date", &r.date])
        .args(r.purpose.iter().flat_map(|p| ["--purpose", p.as_str()]))
        .args(r.affiliate.iter().flat_map(|a| {
            let mut v = vec!["--affiliate", a.name.as_str()];
            v.extend(a.control.iter().flat_map(|c| ["--control", c.as_str()]));
            v.extend(
                a.controlled_since
                    .iter()
                    .flat_map(|d| ["--controlled-since", d.as_str()]),
            );
            v
        }))
        .stdin(Stdio::null())
        .output()
        .expect("run xlic");
    assert_eq!(
        out.status.code(),
        Some(0),
        "xlic query {r:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the answer is JSON")
}

/// Checks one case through the library and the binary; returns the library's answer.
fn check(file: &CaseFile, text: &str, ev: &Evaluator<'_>, case: &Case, at: &str) -> Answer {
    let what = format!("{at}: {}", case.what);
    let answer = ev
        .evaluate(&case.req)
        .unwrap_or_else(|err| panic!("{what}: {err}"));
    let show = serde_json::to_string_pretty(&answer).unwrap();
    assert_eq!(answer.decision, case.decision, "{what}: {show}");
    assert_eq!(answer.reasons.len(), case.reasons.len(), "{what}: {show}");
    for (r, e) in answer.reasons.iter().zip(&case.reasons) {
        assert_eq!(r.kind, e.kind, "{what}: {show}");
        assert_eq!(r.clause, e.clause, "{what}: {show}");
        match &e.at {
            Some(prefix) => {
                let src = r
                    .source
                    .as_ref()
                    .unwrap_or_else(|| panic!("{what}: no source: {show}"));
                assert_eq!(src.file, file.policy, "{what}");
                assert_eq!(src.line, line_of(text, prefix), "{what}: {show}");
                // Every reason cites its agreement, but ownership, a patent not in
                // force and a pending application, which come from an asset's
                // declaration, and an entity that is not an affiliate, from a party's.
                assert_eq!(
                    r.agreement.is_some(),
                    !matches!(
                        e.kind,
                        ReasonKind::Owner
                            | ReasonKind::PatentNotInForce
                            | ReasonKind::PendingApplication
                            | ReasonKind::NotAffiliate
                    ),
                    "{what}: {show}"
                );
            }
            None => assert!(r.source.is_none(), "{what}: {show}"),
        }
        assert!(!r.detail.is_empty(), "{what}: a reason without detail");
    }
    let owes: Vec<&str> = answer
        .obligations
        .iter()
        .map(|o| o.clause.as_str())
        .collect();
    assert_eq!(owes, case.owes, "{what}: obligations: {show}");
    assert_eq!(
        binary_answer_missed(&file.policy, &case.req, &case.missed),
        serde_json::to_value(&answer).unwrap(),
        "{what}: the binary and the library disagree"
    );
    answer
}

/// Runs one case file and returns the snapshot text of its answers.
fn run(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let file = load(&rel);
    // Cited lines are looked up in the policy's text, so `policy` names one file.
    let text = std::fs::read_to_string(&file.policy)
        .unwrap_or_else(|e| panic!("{rel}: policy {}: {e}", file.policy));
    let policy = policy_of(&file.policy);
    let ev = Evaluator::new(&policy).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let mut shown = String::new();
    for case in &file.cases {
        let missed;
        let ev = if case.missed.is_empty() {
            &ev
        } else {
            missed = Evaluator::new(&policy)
                .and_then(|e| e.assume_missed(&case.missed))
                .unwrap();
            &missed
        };
        let answer = check(&file, &text, ev, case, &format!("{rel}:{}", case.line));
        kinds.extend(answer.reasons.iter().map(|r| format!("{:?}", r.kind)));
        shown.push_str(&format!(
            "== {}\n{}\n",
            case.what,
            serde_json::to_string_pretty(&answer).unwrap()
        ));
    }
    if let Some(n) = file.kinds {
        assert_eq!(kinds.len(), n, "{rel}: reason kinds covered: {kinds:?}");
    }
    assert!(!file.cases.is_empty(), "{rel}: no cases");
    shown
}

#[test]
fn query_cases() {
    insta::glob!("../query", "*.query", |path| {
        let shown = run(path);
        insta::assert_snapshot!(shown);
    });
}
