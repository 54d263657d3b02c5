//! `xlic diff`: each amendment in tests/diff/ against tests/diff/base.xlic reports what a
//! reviewer must see — and a mere reordering reports nothing. A new case is a new file
//! whose leading comments say what it must report (see `diff_cases`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn run(new: &str, format: &str) -> (Option<i32>, String) {
    run_on(
        "tests/diff/base.xlic",
        &format!("tests/diff/{new}.xlic"),
        format,
    )
}

/// `xlic diff OLD NEW --format FORMAT` from the package root: the exit code and stdout.
fn run_on(old: &str, new: &str, format: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["diff", old, new, "--format", format])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The (party, kind, clause) of every change, from the JSON format.
fn kinds(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["party"].as_str().unwrap_or("-"),
                c["kind"].as_str().unwrap(),
                c["clause"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// The directives of a case: `// expect: PARTY KIND CLAUSE|-` (every change, in
/// order; `// expect: none` for none), `// text: …` and `// markdown: …` (a line that
/// output must contain).
fn directives<'a>(source: &'a str, name: &str) -> Vec<&'a str> {
    source
        .lines()
        .filter_map(|l| l.strip_prefix("// "))
        .filter_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
        .collect()
}

/// Every `tests/diff/*.xlic` is compared with `tests/diff/base.xlic` (base itself too)
/// and must report exactly the changes its `expect` directives list, exit 1 when there
/// are any (0 when none), and contain its `text` and `markdown` lines; the text and
/// Markdown redlines are snapshotted.
#[test]
fn diff_cases() {
    insta::glob!("../diff", "*.xlic", |path| {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path).unwrap();
        let expected: Vec<&str> = directives(&source, "expect")
            .into_iter()
            .filter(|e| *e != "none")
            .collect();
        assert!(
            !directives(&source, "expect").is_empty(),
            "{name}: no `// expect:` line"
        );
        let (code, json) = run(&name, "json");
        assert_eq!(kinds(&json), expected, "{name}: the changes");
        let (text_code, text) = run(&name, "text");
        let (_, markdown) = run(&name, "markdown");
        let want_code = if expected.is_empty() { 0 } else { 1 };
        assert_eq!(
            (code, text_code),
            (Some(want_code), Some(want_code)),
            "{name}"
        );
        for line in directives(&source, "text") {
            assert!(text.contains(line), "{name}: no `{line}` in:\n{text}");
        }
        for line in directives(&source, "markdown") {
            assert!(
                markdown.contains(line),
                "{name}: no `{line}` in:\n{markdown}"
            );
        }
        insta::assert_snapshot!(format!(
            "exit code {want_code}\n---- text ----\n{text}---- markdown ----\n{markdown}"
        ));
    });
}

/// A version with errors: the diagnostics on stderr, the redline of what resolves on
/// stdout, marked, and exit 2.
#[test]
fn errors_in_either_version_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.xlic");
    std::fs::write(&bad, "grant {").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["diff", "tests/diff/base.xlic"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a name"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("warning: NEW has 1 error; the comparison may be incomplete\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- removed: grant `acme_to_globex`"),
        "{stdout}"
    );
}

/// Every `.xlic` file of the tests and examples (and every multi-file fixture folder)
/// that compiles without errors, as a policy compared with itself: no change. Counted,
/// so the test cannot pass on an empty list.
#[test]
fn every_policy_compared_with_itself_has_no_change() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if p.extension().is_some_and(|e| e == "d") {
                    out.push(p.clone());
                }
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xlic") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    walk(&root.join("tests"), &mut inputs);
    walk(&root.join("examples"), &mut inputs);
    inputs.push(root.join("tests/report"));
    let mut compared = 0;
    for path in inputs {
        let Ok(c) = xlic::compile(
            &[xlic::Input::Path(path.clone())],
            &xlic::Options::default(),
        ) else {
            continue;
        };
        if c.has_errors() {
            continue;
        }
        let policy = xlic::policy::build(&c.model, &c.ledger, &c.sources);
        let redline = xlic::diff::diff(&policy, &policy)
            .unwrap_or_else(|e| panic!("{}: the policy does not read back: {e}", path.display()));
        assert!(
            redline.is_empty(),
            "{} differs from itself:\n{}",
            path.display(),
            xlic::diff::render_text(&redline)
        );
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} policies compared");
}

/// The fuzzer's regression (fuzz/regressions/generated/diff-of-an-empty-term-is-not-empty,
/// docs/robustness.md): a grant `until expiry` whose every patent expires before the
/// grant starts has an inverted term in the policy and licenses nothing; compared with
/// itself it has no change, and against a version without it no right is lost.
#[test]
fn a_grant_until_an_expiry_before_its_start_licenses_nothing() {
    let head = r#"
agreement "Inverted" { effective 2031-12-23 term 10 years }
party p0 "P0"
party p1 "P1"
fields { a }
asset x0: patent family of p0 { patent "US 1234" expires 2030-12-03 }
"#;
    let grant = "grant g0: p0 -> p1 {\n  assets x0\n  field a\n  territory [US]\n  term until expiry\n  non-exclusive\n}\n";
    let with = xlic::compile_text("with.xlic", &format!("{head}{grant}"));
    let without = xlic::compile_text("without.xlic", head);
    assert!(!with.has_errors() && !without.has_errors());
    let policy = |c: &xlic::Compilation| xlic::policy::build(&c.model, &c.ledger, &c.sources);
    let (p, q) = (policy(&with), policy(&without));
    let term = &p.agreements[0].grants[0].term;
    assert!(
        term.end.is_some_and(|e| e <= term.start),
        "the term is not inverted: {term:?}"
    );
    assert!(xlic::diff::diff(&p, &p).unwrap().is_empty());
    let kinds: Vec<String> = xlic::diff::diff(&p, &q)
        .unwrap()
        .changes
        .iter()
        .map(|c| format!("{:?}", c.kind))
        .collect();
    // The grant is gone and its parties leave the agreement; no right is lost.
    assert_eq!(kinds, ["AgreementChanged", "ClauseRemoved"]);
}

/// Keys whose values the policy derives from others, each reported where it is derived
/// from (docs/diff.md): mutating one alone makes a policy no compiler writes.
const DERIVED_KEYS: &[&str] = &[
    "reach",
    "effective_scope",
    "sell_off_scope",
    "wind_down",
    "fields_excepted",
    "territories_excepted",
    "xlic_policy",
    "manifest",
];

/// Every scalar leaf of a JSON value (outside `source`), as a path of keys and indices.
fn leaves(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                if k == "source" || DERIVED_KEYS.contains(&k.as_str()) {
                    continue;
                }
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            // The list itself: an item removed, or one more.
            out.push(path.clone());
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'v>(v: &'v mut serde_json::Value, path: &[String]) -> &'v mut serde_json::Value {
    path.iter().fold(v, |v, seg| match v {
        serde_json::Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
        other => &mut other[seg.as_str()],
    })
}

/// Other values a leaf may take: the values of the same key elsewhere in the corpus,
/// a date a year later, a number one more, a flag flipped, text amended; for a list,
/// its last item removed, or its first item repeated, or an item taken from the same
/// key elsewhere.
fn candidates(
    v: &serde_json::Value,
    key: &str,
    seen: &std::collections::BTreeMap<String, Vec<serde_json::Value>>,
) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let mut out = Vec::new();
    match v {
        Value::Bool(b) => out.push(Value::Bool(!b)),
        Value::Number(n) => out.push(Value::from(n.as_u64().unwrap_or(0) + 1)),
        Value::String(s) => {
            if s.len() == 10 && s.as_bytes()[4] == b'-' {
                if let Ok(y) = s[..4].parse::<u32>() {
                    out.push(Value::from(format!("{}{}", y + 1, &s[4..])));
                }
            }
            if let Some(n) = s.parse::<f64>().ok().filter(|_| !s.contains('-')) {
                out.push(Value::from(format!("{}", n + 1.0)));
            }
            out.push(Value::from(format!("{s} (amended)")));
        }
        Value::Array(a) => {
            if !a.is_empty() {
                out.push(Value::Array(a[..a.len() - 1].to_vec()));
            }
            for other in seen.get(key).into_iter().flatten() {
                if let Value::Array(o) = other {
                    for x in o {
                        if !a.contains(x) {
                            let mut b = a.clone();
                            b.push(x.clone());
                            out.push(Value::Array(b));
                        }
                    }
                }
            }
        }
        Value::Null | Value::Object(_) => {}
    }
    for other in seen.get(key).into_iter().flatten() {
        if other != v && !other.is_array() {
            out.push(other.clone());
        }
    }
    out
}

fn collect_seen(
    v: &serde_json::Value,
    key: &str,
    seen: &mut std::collections::BTreeMap<String, Vec<serde_json::Value>>,
) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                collect_seen(x, k, seen);
            }
        }
        serde_json::Value::Array(a) => {
            let list = seen.entry(key.to_string()).or_default();
            if !list.contains(v) {
                list.push(v.clone());
            }
            for x in a {
                collect_seen(x, key, seen);
            }
        }
        other => {
            let list = seen.entry(key.to_string()).or_default();
            if !list.contains(other) {
                list.push(other.clone());
            }
        }
    }
}

/// Issue 14: every change of a policy a reader would care about is reported. Each
/// leaf of the examples' policies (strings, numbers, dates, flags, list items added
/// and removed) is mutated to another value that still reads back, and the redline
/// must be non-empty, and every change with a value before and after must show them
/// different (the governing-law case printed the same text on both sides). Counted,
/// and every kind of leaf (its key) that no mutation reached is listed, so neither a
/// new field nor a silently skipped one can pass unnoticed.
#[test]
fn every_leaf_of_a_policy_mutated_is_reported() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut policies = Vec::new();
    for name in [
        "examples/acme_globex.xlic",
        "examples/bilateral_license.xlic",
        "examples/semiconductor_cross_license.xlic",
    ] {
        let c = xlic::compile(
            &[xlic::Input::Path(root.join(name))],
            &xlic::Options::default(),
        )
        .unwrap();
        assert!(!c.has_errors(), "{name}");
        policies.push(xlic::policy::build(&c.model, &c.ledger, &c.sources));
    }
    // Other values a key takes, from every example.
    let mut seen = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "xlic") {
            let c = xlic::compile(&[xlic::Input::Path(path)], &xlic::Options::default()).unwrap();
            let p = xlic::policy::build(&c.model, &c.ledger, &c.sources);
            collect_seen(&serde_json::to_value(&p).unwrap(), "", &mut seen);
        }
    }
    let (mut mutated, mut reached, mut unreached) = (
        0,
        std::collections::BTreeSet::new(),
        std::collections::BTreeSet::new(),
    );
    for p in &policies {
        let original = serde_json::to_value(p).unwrap();
        let mut paths = Vec::new();
        leaves(&original, &mut Vec::new(), &mut paths);
        // At most three leaves of each shape (indices left out), for time.
        let mut shapes = std::collections::BTreeMap::<Vec<String>, usize>::new();
        for path in paths {
            let shape: Vec<String> = path
                .iter()
                .map(|s| {
                    if s.parse::<usize>().is_ok() {
                        "*".into()
                    } else {
                        s.clone()
                    }
                })
                .collect();
            let n = shapes.entry(shape).or_default();
            *n += 1;
            // An agreement's id is its file's name: versions are paired by title.
            if *n > 3 || (path.len() == 3 && path[0] == "agreements" && path[2] == "id") {
                continue;
            }
            let key = path
                .iter()
                .rev()
                .find(|s| s.parse::<usize>().is_err())
                .cloned()
                .unwrap_or_default();
            let mut v = original.clone();
            let before = at(&mut v, &path).clone();
            // The end of an `until expiry` term is derived: the last expiry.
            if path.ends_with(&["term".to_string(), "end".to_string()]) {
                let term = at(&mut v, &path[..path.len() - 1]).clone();
                if term["until_expiry"] == serde_json::Value::Bool(true) {
                    continue;
                }
            }
            let mut done = false;
            // No consideration and `royalty-free` say the same.
            let free = serde_json::json!([{"kind": "royalty_free"}]);
            for cand in candidates(&before, &key, &seen) {
                if key == "consideration" && [&before, &cand] == [&free, &serde_json::json!([])] {
                    continue;
                }
                let mut m = original.clone();
                *at(&mut m, &path) = cand.clone();
                let Ok(q) = serde_json::from_value::<xlic::emit::json::Policy>(m) else {
                    continue;
                };
                let Ok(redline) = xlic::diff::diff(p, &q) else {
                    continue;
                };
                let text = xlic::diff::render_text(&redline);
                assert!(
                    !redline.is_empty(),
                    "{}: {before} → {cand} is not reported",
                    path.join("/")
                );
                for c in &redline.changes {
                    if let (Some(b), Some(a)) = (&c.before, &c.after) {
                        assert_ne!(b, a, "{}: {text}", path.join("/"));
                    }
                    if let Some((b, a)) = c.detail.rsplit_once(" → ") {
                        let b = b.rsplit_once(": ").map_or(b, |x| x.1);
                        assert_ne!(b.trim(), a.trim(), "{}: {text}", path.join("/"));
                    }
                }
                mutated += 1;
                done = true;
                break;
            }
            if done {
                reached.insert(key);
            } else {
                unreached.insert(key);
            }
        }
    }
    let never: Vec<&String> = unreached.difference(&reached).collect();
    // Ids and references: another value names nothing, or two things the same.
    let references = [
        "id",
        "licensor",
        "licensees",
        "owners",
        "parent",
        "holder",
        "grant",
        "from",
        "to",
        "agreement",
        "assets",
        "subject_to",
        "subject_to_grants",
        "affiliates",
        // Who may terminate (issue 15): party names.
        "by",
        "of",
        // clauses (issue 15, round 4): a payment's parties.
        "payer",
        "payee",
    ];
    // Not mutable alone: the reader checks them against the values derived from them
    // (a sunset against the grant's `wind_down`, `to_affiliates` and `until_expiry`
    // against `reach` and the term, a patent number against `effective_scope`), or the
    // examples give no other value (null durations and dates, one royalty base, one
    // improvement owner). The file-driven cases in tests/diff/ change several of them.
    let checked_elsewhere = [
        "sunsets",
        "reservations",
        "to_affiliates",
        "until_expiry",
        "number",
        "base",
        "owner",
        "capture",
        "cure",
        "notice",
        "release_from",
        // outputs (version 5): a rule's direction is part of its derived id.
        "direction",
        // outputs (version 5): derived from `territories`, which the reader checks.
        "territories_compact",
        // rights (issue 15): a patent's `pending` against `effective_scope`, and a
        // grant's `diligence` against the ids its `converts` names
        // (tests/diff/diligence_added.xlic changes both `diligence` and `converts`).
        "pending",
        "diligence",
        // outputs (version 5): derived from `effective_scope`, which the reader checks
        // (its pieces name patents by `patent`).
        "normalized_scope",
        "patent",
        // terms (issue 15): one payment and report frequency in the examples;
        // tests/diff/royalty_payment_terms.xlic adds them.
        "every",
        "report",
        // clauses (issue 15, round 4): a payment's `total` is checked by the reader
        // against its instalments, so neither changes alone;
        // tests/diff/payment_added.xlic adds a payment in instalments.
        "instalments",
        "total",
        // terms (issue 15, round 5): one commitment period (`calendar_year`) in the
        // examples; tests/diff/commitment_added.xlic adds a commitment.
        "per",
    ];
    let unexplained: Vec<&&String> = never
        .iter()
        .filter(|k| !references.contains(&k.as_str()) && !checked_elsewhere.contains(&k.as_str()))
        .collect();
    assert!(
        unexplained.is_empty(),
        "leaves no mutation reached: {unexplained:?}"
    );
    assert!(mutated >= 60, "only {mutated} mutations");
}

/// pools (issue 15): a member that joins a year later is a changed party date, and the
/// pool licenses it no longer holds in that year are rights lost; one that leaves a
/// year later gains the year back.
#[test]
fn a_changed_membership_date_is_reported_with_its_rights() {
    let dir = std::env::temp_dir().join(format!("xlic-diff-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/query/pool_membership.xlic"),
    )
    .unwrap();
    let amended = base
        .replace("{ joins 2027-01-01 }", "{ joins 2028-01-01 }")
        .replace("{ leaves 2030-01-01 }", "{ leaves 2031-01-01 }");
    assert_ne!(base, amended);
    let (old, new) = (dir.join("old.xlic"), dir.join("new.xlic"));
    std::fs::write(&old, &base).unwrap();
    std::fs::write(&new, &amended).unwrap();
    let run = |format: &str| run_on(old.to_str().unwrap(), new.to_str().unwrap(), format);
    let (code, text) = run("text");
    let (_, json) = run("json");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("joins: 2027-01-01 → 2028-01-01"), "{text}");
    assert!(text.contains("leaves: 2030-01-01 → 2031-01-01"), "{text}");
    let changes: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<(String, String)> = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["party"].as_str().unwrap_or("-").to_string(),
                c["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("c".to_string(), "rights_lost".to_string())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("b".to_string(), "rights_gained".to_string())),
        "{kinds:?}"
    );
    assert!(kinds.iter().any(|(_, k)| k == "party_changed"), "{kinds:?}");
}

/// `xlic diff OLD NEW` of the example `acme_globex.xlic` (OLD: as amended by `edit`,
/// or NEW when `amend_new`): the text and the JSON.
fn diff_example(edit: impl Fn(&str) -> String, amend_new: bool, tag: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("xlic-diff-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme_globex.xlic"),
    )
    .unwrap();
    let amended = edit(&base);
    assert_ne!(base, amended, "the edit changes nothing");
    let (old, new) = (dir.join("old.xlic"), dir.join("new.xlic"));
    let (o, n) = if amend_new {
        (&base, &amended)
    } else {
        (&amended, &base)
    };
    std::fs::write(&old, o).unwrap();
    std::fs::write(&new, n).unwrap();
    let run = |format: &str| run_on(old.to_str().unwrap(), new.to_str().unwrap(), format);
    let (code, text) = run("text");
    let (_, json) = run("json");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, Some(1), "{text}");
    (text, json)
}

/// issue 18: an improvement rule's change cites the rule and concerns its licensee;
/// narrowing what it covers (every improvement → the collaboration's) is a loss; a rule
/// taken out of a list is reported alone, not the whole list twice.
#[test]
fn an_improvement_rule_narrowed_is_a_loss_citing_the_rule() {
    // OLD covers every improvement; NEW (the example) only the collaboration's.
    let (text, json) = diff_example(
        |s| s.replace("covers collaboration  // collaboration | all", "covers all"),
        false,
        "narrow",
    );
    assert!(
        text.contains("acme\n  - improvements (loss): improvements on `acme_motion`: rules[grant back globex -> acme].covers: all → collaboration"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let c = &v["changes"][0];
    assert_eq!(c["clause"], "grant_back#globex->acme", "{json}");
    assert_eq!(c["effect"], "loss", "{json}");
    assert_eq!(c["party"], "acme", "{json}");
    assert_eq!(
        (c["before"].as_str(), c["after"].as_str()),
        (Some("all"), Some("collaboration"))
    );

    // A second rule in NEW's list (here: in OLD's, taken out): that rule alone.
    let (text, _) = diff_example(
        |s| {
            s.replacen(
                "    sunset after 3 years\n  }\n}",
                "    sunset after 3 years\n  }\n  license forward acme -> globex {\n    covers all\n    non-exclusive\n    royalty-free\n  }\n}",
                1,
            )
        },
        false,
        "rules",
    );
    assert!(
        text.contains("globex\n  - improvements (loss): improvements on `acme_motion`: rules[license forward acme -> globex] removed: license forward acme → globex, covering all, non-exclusive, royalty-free\n"),
        "{text}"
    );
    assert!(!text.contains("grant back globex → acme"), "{text}");
}

/// issue 18: the prose redline covers every clause kind, each clause's text before and
/// after as the prose writes it: here a sunset, a reservation, an improvement rule and
/// an obligation, in the text and the JSON.
#[test]
fn the_prose_redline_covers_every_clause_kind() {
    let (text, json) = diff_example(
        |s| {
            s.replace(
                "wind down 180 days  // sell-off period after expiry",
                "wind down 90 days",
            )
            .replace("covers collaboration  // collaboration | all", "covers all")
            .replace(
                "every 1 year, notice 30 days",
                "every 2 years, notice 30 days",
            )
            .replace(
                "reserve acme_core               // never licensed, in any scope",
                "",
            )
        },
        true,
        "prose",
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let prose = v["prose"].as_array().unwrap();
    let clause = |id: &str| {
        prose
            .iter()
            .find(|p| p["clause"] == id)
            .unwrap_or_else(|| panic!("no prose change of `{id}`: {json}"))
    };
    let sunset = clause("sunset#acme_to_globex");
    assert!(sunset["before"]
        .as_str()
        .unwrap()
        .contains("For 180 days after the license ends"));
    assert!(sunset["after"]
        .as_str()
        .unwrap()
        .contains("For 90 days after the license ends"));
    let rule = clause("grant_back#globex->acme");
    assert!(rule["after"]
        .as_str()
        .unwrap()
        .contains("including improvements developed independently"));
    let audit = clause("audit_acme_globex");
    assert!(audit["after"]
        .as_str()
        .unwrap()
        .contains("once in any period of 2 years"));
    let reserved = clause("reserve#acme_core");
    assert!(
        reserved["after"].is_null() && reserved["before"].is_string(),
        "{json}"
    );
    assert!(
        text.contains("\nprose redline ([-struck-] {+inserted+})\n"),
        "{text}"
    );
    assert!(
        text.contains("For [-180-] {+90+} days after the license ends"),
        "{text}"
    );
    assert!(text.contains("  `reserve#acme_core` (removed)\n"), "{text}");
}
