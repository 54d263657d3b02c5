//! The JSON policy (`xlic build --emit json`): the committed JSON Schema, the policy of
//! every example and multi-file fixture (validated and snapshotted), determinism,
//! refusal to emit on errors, round-tripping through the Rust types, `xlic schema`,
//! and the worked example of `docs/json-policy.md`.
//!
//! Values checked by hand in the snapshots (`tests/it/snapshots/it__policy__*.snap`), against
//! LANGUAGE.md §7 and docs/json-policy.md:
//!
//! - acme_globex: `acme_to_globex` has fields `robotics.consumer` and
//!   `robotics.consumer.vacuum` with `robotics.consumer.lawn` in `fields_excepted`;
//!   `worldwide except [CN, RU]` is 247 codes without CN and RU, with CN, RU in
//!   `territories_excepted`; the group `dach` is `[AT, CH, DE]`; the royalty is
//!   `"2.5"` with a cap `{"amount": "1000000", "currency": "USD"}` per year; the
//!   effective scope of `acme_motion` is DE, FR, GB, US (the US patent and the EP
//!   patent in DE/FR/GB, both expiring after the term) for 2026-01-01..2031-01-01,
//!   and `acme_firmware` (know-how) keeps the whole territory; the wind-down is
//!   2031-01-01..2031-06-30 (31+28+31+30+31+29 = 180 days); `globex_to_acme`
//!   `term for 7 years` ends 2033-01-01, reaches `acme` and `acme_de`, and its
//!   effective scope is DE, US (its two patents); the grant-back `sunset after 3
//!   years` is 2029-01-01; the agreement's `term 10 years` ends 2036-01-01.
//! - bilateral_license: `ev_grid_license` `until expiry` ends 2043-09-18 (the
//!   latest licensed patent, US 12,301,556), its effective scope has one piece per
//!   US patent (ending 2041-04-12, 2042-06-30, 2043-09-18) and one merged piece for
//!   CN, DE, FR, GB, HU, JP, KR, NL, PL, SE ending 2042-04-11; `worldwide except
//!   sanctioned` is 243 codes; the wind-down 2043-09-18 + 180 days is 2044-03-16
//!   (2044 is a leap year); the tiered bands are `"0"`..`"50000000"` at `"3"`,
//!   ..`"250000000"` at `"2"`, open at `"1.25"`, with a floor of `"400000"` USD.
//! - patent_pool: every `-> members and affiliates` grant lists the four other
//!   members as licensees and reaches their affiliates too; `kaisei_pool` excepts
//!   `devices.automotive`; `0.30 USD per unit` is `"0.3"`; `for 5 years` from
//!   2026-04-01 ends 2031-04-01 and the 180-day wind-down ends 2031-09-28;
//!   `norrvik_streaming` has no wind-down (its sunset has none).
//! - the worked example of docs/json-policy.md: the 90-day wind-down from 2032-01-01
//!   ends 2032-03-31 (2032 is a leap year), and the US piece of the effective scope
//!   ends with the US patent on 2030-06-15; the test below checks the whole excerpt.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use xlic::diagnostics::render;
use xlic::emit::json::{policy, schema_json, to_json, Policy};
use xlic::{Compilation, Input};

const SCHEMA_FILE: &str = "schema/xlic-policy.schema.json";
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const DOC: &str = "docs/json-policy.md";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles a file or folder named relative to the package, as `xlic build PATH` run
/// from the package root would (so source locations name `examples/...`).
fn compile(rel: &Path) -> Compilation {
    xlic::compile(&[Input::Path(rel.to_path_buf())], &xlic::Options::default())
        .unwrap_or_else(|e| panic!("cannot compile {}: {e}", rel.display()))
}

/// The policy of a case that must compile without errors, with its JSON text.
fn build(rel: &Path) -> (Policy, String) {
    let c = compile(rel);
    assert!(
        !c.has_errors(),
        "{} has errors:\n{}",
        rel.display(),
        render::render_human(&c.diagnostics, &c.sources, false)
    );
    let p = policy(&c.model, &c.sources);
    let json = to_json(&p);
    (p, json)
}

/// Every case whose policy is checked: the `*.xlic` files directly in `examples/`,
/// and every multi-file `tests/fixtures/**/ok/*.d` folder; relative to the package,
/// sorted.
fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() && p.extension().is_some_and(|e| e == "xlic") {
            out.push(p);
        }
    }
    let mut stack = vec![root().join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if !p.is_dir() {
                continue;
            }
            let in_ok = p
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "ok");
            if in_ok && p.extension().is_some_and(|e| e == "d") {
                out.push(p);
            } else {
                stack.push(p);
            }
        }
    }
    let mut rel: Vec<PathBuf> = out
        .into_iter()
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    rel.sort();
    assert!(
        rel.iter().filter(|p| p.starts_with("examples")).count() >= 3,
        "expected the examples in examples/: {rel:?}"
    );
    assert!(
        rel.iter().any(|p| p.starts_with("tests")),
        "expected multi-file fixtures: {rel:?}"
    );
    rel
}

/// Every multi-file input: each `.d` folder under `tests/` (ok or err), the
/// `examples/` folder and the report's portfolio, checked as a whole.
fn folders() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("examples"), PathBuf::from("tests/report")];
    let mut stack = vec![root().join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if !p.is_dir() {
                continue;
            }
            if p.extension().is_some_and(|e| e == "d") {
                out.push(p.strip_prefix(root()).unwrap().to_path_buf());
            }
            stack.push(p);
        }
    }
    out.sort();
    out
}

/// `xlic build` never writes a policy that `xlic query` or `xlic diff` refuses: every
/// multi-file input that builds (no errors) gives a policy whose JSON reads back into
/// the query's evaluator and into the redline, which finds no change against itself.
/// (Names declared alike in two files that do not import each other are one entry,
/// docs/language.md § `import`; before, the policy listed them twice and its readers
/// refused it.)
#[test]
fn every_multi_file_policy_reads_back_with_query_and_diff() {
    let mut built = 0;
    for rel in folders() {
        let c = compile(&rel);
        if c.has_errors() {
            assert!(
                !rel.to_string_lossy().contains("/ok/"),
                "{} has errors",
                rel.display()
            );
            continue;
        }
        let json = to_json(&policy(&c.model, &c.sources));
        let read: Policy = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{}: the policy does not parse: {e}", rel.display()));
        if let Err(e) = xlic::query::Evaluator::new(&read) {
            panic!("{}: `xlic query` refuses the policy: {e}", rel.display());
        }
        let redline = xlic::diff::diff(&read, &read)
            .unwrap_or_else(|e| panic!("{}: `xlic diff` refuses the policy: {e}", rel.display()));
        assert!(redline.is_empty(), "{} differs from itself", rel.display());
        built += 1;
    }
    assert!(built >= 8, "only {built} multi-file inputs built");
    // The cases this guards: names declared in two files of one folder.
    for case in [
        "tests/fixtures/names/ok/same_declarations_in_two_agreements.d",
        "tests/fixtures/names/ok/same_asset_in_two_imports.d",
    ] {
        let c = compile(Path::new(case));
        assert!(!c.has_errors(), "{case}");
        let p = policy(&c.model, &c.sources);
        let once = |ids: Vec<&str>| {
            let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
            assert_eq!(unique.len(), ids.len(), "{case}: listed twice in {ids:?}");
        };
        once(p.parties.iter().map(|x| x.id.as_str()).collect());
        once(p.fields.iter().map(|x| x.id.as_str()).collect());
        once(p.territory_groups.iter().map(|x| x.id.as_str()).collect());
        once(p.assets.iter().map(|x| x.id.as_str()).collect());
    }
}

/// A snapshot name from a case path: `examples/acme_globex.xlic` →
/// `examples__acme_globex`.
fn snapshot_name(rel: &Path) -> String {
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("tests/").unwrap_or(&s);
    s.trim_end_matches(".xlic").replace('/', "__")
}

fn schema_value() -> Value {
    serde_json::from_str(&schema_json()).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema_value())
        .unwrap_or_else(|e| panic!("the schema does not compile: {e}"))
}

/// Every validation error of `instance`, one per line, with its location.
fn validation_errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("at `{}`: {e}", e.instance_path()))
        .collect()
}

fn xlic(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run xlic")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------- schema

#[test]
fn committed_schema_is_the_generated_schema() {
    let committed = std::fs::read_to_string(root().join(SCHEMA_FILE)).unwrap_or_default();
    assert!(
        committed == schema_json(),
        "{SCHEMA_FILE} is not the schema the compiler generates; regenerate it with\n\n    \
         cargo run -q -- schema > {SCHEMA_FILE}\n\nand commit the result"
    );
}

#[test]
fn schema_is_draft_2020_12_and_compiles() {
    let schema = schema_value();
    assert_eq!(
        schema.get("$schema").and_then(Value::as_str),
        Some(DRAFT_2020_12)
    );
    // Valid against the draft's meta-schema (bundled with the crate: no network).
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the schema is not a valid draft 2020-12 schema: {e}");
    }
    let v = validator();
    assert_eq!(v.draft(), jsonschema::Draft::Draft202012);

    // And it constrains something: unknown fields, wrong types and unknown
    // consideration kinds are rejected.
    let (_, json) = build(Path::new("examples/acme_globex.xlic"));
    let good: Value = serde_json::from_str(&json).unwrap();
    assert!(v.is_valid(&good));
    let mut extra = good.clone();
    extra["surprise"] = Value::Bool(true);
    assert!(
        !v.is_valid(&extra),
        "an unknown top-level field must be rejected"
    );
    let mut version = good.clone();
    version["xlic_policy"] = Value::String("1".into());
    assert!(!v.is_valid(&version), "a string version must be rejected");
    let mut kind = good.clone();
    kind["agreements"][0]["grants"][0]["consideration"][0]["kind"] = Value::String("barter".into());
    assert!(
        !v.is_valid(&kind),
        "an unknown consideration kind must be rejected"
    );
    let mut nested = good;
    nested["agreements"][0]["grants"][0]["term"]["inclusive"] = Value::Bool(true);
    assert!(
        !v.is_valid(&nested),
        "an unknown nested field must be rejected"
    );
}

#[test]
fn xlic_schema_prints_the_schema() {
    let out = xlic(&["schema"], root());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let printed = text(&out.stdout);
    let value: Value = serde_json::from_str(&printed)
        .unwrap_or_else(|e| panic!("`xlic schema` printed invalid JSON: {e}"));
    assert!(value.is_object());
    assert_eq!(printed, schema_json());
    assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
}

// ---------------------------------------------------------------------------- contents

#[test]
fn every_example_builds_validates_and_matches_its_snapshot() {
    let v = validator();
    for rel in cases() {
        let (_, json) = build(&rel);
        let value: Value = serde_json::from_str(&json).unwrap();
        let errors = validation_errors(&v, &value);
        assert!(
            errors.is_empty(),
            "the policy of {} does not validate against the schema:\n{}",
            rel.display(),
            errors.join("\n")
        );
        let mut settings = insta::Settings::clone_current();
        settings.set_description(format!("xlic build {} --stdout", rel.display()));
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(snapshot_name(&rel), json));
    }
}

/// Structural promises of docs/json-policy.md, checked on every case (so they hold
/// beyond the hand-checked values): sorted codes, pre-order fields, canonical rights,
/// half-open periods, decimal strings, references that resolve.
#[test]
fn every_policy_keeps_the_documented_conventions() {
    const RIGHTS: [&str; 10] = [
        "make",
        "have made",
        "use",
        "sell",
        "offer",
        "import",
        "lease",
        "reproduce",
        "modify",
        "distribute",
    ];
    fn is_date(s: &str) -> bool {
        s.len() == 10 && xlic::date::Date::parse(s).is_ok()
    }
    /// The set as written in the JSON: a sorted list of alpha-2 codes.
    fn sorted_codes(set: &xlic::emit::json::Countries, what: &str) {
        let list: Vec<String> = serde_json::from_value(serde_json::to_value(set).unwrap())
            .unwrap_or_else(|e| panic!("{what}: countries are not a list of strings: {e}"));
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "{what}: not sorted or repeated: {list:?}"
        );
        for c in list {
            assert!(
                c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "{what}: not an alpha-2 code: {c}"
            );
        }
    }
    fn decimal(s: &str, what: &str) {
        let d: rust_decimal::Decimal = s
            .parse()
            .unwrap_or_else(|_| panic!("{what}: not a decimal string: {s:?}"));
        assert_eq!(d.normalize().to_string(), s, "{what}: not normalised");
    }
    for rel in cases() {
        let (p, _) = build(&rel);
        let name = rel.display().to_string();
        let field_pos = |id: &str| {
            p.fields
                .iter()
                .position(|f| f.id == id)
                .unwrap_or_else(|| panic!("{name}: unknown field id {id}"))
        };
        let in_order = |list: &[String], what: &str| {
            let pos: Vec<usize> = list.iter().map(|f| field_pos(f)).collect();
            assert!(
                pos.windows(2).all(|w| w[0] < w[1]),
                "{name}: {what} not in pre-order: {list:?}"
            );
        };
        let canonical = |list: &[xlic::syntax::ast::Right], what: &str| {
            let pos: Vec<usize> = list
                .iter()
                .map(|r| {
                    RIGHTS
                        .iter()
                        .position(|x| *x == r.keyword())
                        .unwrap_or_else(|| panic!("{name}: {what}: unknown right {r:?}"))
                })
                .collect();
            assert!(
                pos.windows(2).all(|w| w[0] < w[1]),
                "{name}: {what} not canonical: {list:?}"
            );
        };
        let party = |id: &str| {
            assert!(
                p.parties.iter().any(|x| x.id == id),
                "{name}: unknown party {id}"
            );
        };
        let asset = |id: &str| {
            assert!(
                p.assets.iter().any(|x| x.id == id),
                "{name}: unknown asset {id}"
            );
        };
        let period = |start: &xlic::date::Date, end: Option<&xlic::date::Date>, what: &str| {
            assert!(
                is_date(&start.to_string()),
                "{name}: {what}: bad start {start}"
            );
            if let Some(e) = end {
                assert!(is_date(&e.to_string()), "{name}: {what}: bad end {e}");
                assert!(start < e, "{name}: {what}: empty period");
            }
        };
        // Fields: pre-order, so a parent precedes its children.
        for (i, f) in p.fields.iter().enumerate() {
            if let Some(parent) = &f.parent {
                assert!(field_pos(parent) < i, "{name}: {} before its parent", f.id);
                assert!(f.id.starts_with(&format!("{parent}.")));
            }
        }
        for g in &p.territory_groups {
            sorted_codes(&g.territories, &format!("{name}: group {}", g.id));
        }
        for a in &p.assets {
            a.owners.iter().for_each(|o| party(o));
            for pt in &a.patents {
                sorted_codes(&pt.territories, &format!("{name}: patent {}", pt.number));
                // A pending application (version 5) may have no expiry yet.
                assert!(pt.pending || pt.expires.is_some_and(|d| is_date(&d.to_string())));
            }
        }
        for a in &p.agreements {
            a.parties.iter().for_each(|x| party(x));
            if let Some(t) = &a.term {
                period(&t.start, t.end.as_ref(), "agreement term");
            }
            for g in &a.grants {
                let what = format!("grant {}", g.id);
                // The full form has every member the compact form leaves out.
                let reach = g.reach.as_ref().expect("reach");
                let territories = g.territories.expect("territories");
                party(&g.licensor);
                g.licensees.iter().for_each(|x| party(x));
                reach.iter().for_each(|x| party(x));
                assert!(g.licensees.iter().all(|l| reach.contains(l)));
                g.assets.iter().for_each(|x| asset(x));
                canonical(&g.rights, &what);
                in_order(&g.fields, &what);
                in_order(&g.fields_excepted, &what);
                assert!(g.fields_excepted.iter().all(|f| !g.fields.contains(f)));
                sorted_codes(&territories, &what);
                sorted_codes(&g.territories_excepted, &what);
                assert!(g
                    .territories_excepted
                    .0
                    .intersection(territories.0)
                    .is_empty());
                period(&g.term.start, g.term.end.as_ref(), &what);
                for e in g.effective_scope.as_deref().expect("effective_scope") {
                    assert!(g.assets.contains(&e.asset));
                    sorted_codes(&e.territories, &what);
                    assert!(e.territories.0.is_subset(&territories.0));
                    period(&e.start, e.end.as_ref(), &what);
                    assert!(e.start >= g.term.start);
                    if let Some(end) = &g.term.end {
                        assert!(e.end.as_ref().is_some_and(|x| x <= end), "{what}");
                    }
                }
                if let Some(w) = &g.wind_down {
                    assert_eq!(Some(&w.start), g.term.end.as_ref(), "{what}");
                    period(&w.start, w.end.as_ref(), &what);
                }
                for c in &g.consideration {
                    let c = serde_json::to_value(c).unwrap();
                    for key in ["rate", "amount"] {
                        walk_strings(&c, key, &mut |s| decimal(s, &what));
                    }
                }
            }
            for r in &a.reservations {
                r.assets.iter().for_each(|x| asset(x));
                canonical(&r.rights, "reservation");
                if let Some(f) = &r.fields {
                    in_order(f, "reservation");
                }
                sorted_codes(&r.territories, "reservation");
                period(&r.term.start, r.term.end.as_ref(), "reservation");
            }
            for s in &a.sunsets {
                assert!(a.grants.iter().any(|g| g.id == s.grant), "{name}");
            }
        }
    }
}

/// Calls `f` on every string value under a key named `key`, at any depth.
fn walk_strings(v: &Value, key: &str, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key {
                    if let Value::String(s) = x {
                        f(s);
                    }
                }
                walk_strings(x, key, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk_strings(x, key, f)),
        _ => {}
    }
}

#[test]
fn policy_round_trips_through_the_rust_types() {
    for rel in cases() {
        let (p, json) = build(&rel);
        let back: Policy = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{}: the policy does not read back: {e}", rel.display()));
        assert_eq!(back, p, "{}", rel.display());
        assert_eq!(to_json(&back), json, "{}", rel.display());
    }
}

#[test]
fn a_policy_naming_an_unknown_country_is_refused_when_read() {
    let (_, json) = build(Path::new("examples/acme_globex.xlic"));
    assert!(
        json.contains(r#""territories": ["US"]"#),
        "the example changed"
    );
    let bad = json.replacen(r#""territories": ["US"]"#, r#""territories": ["ZZ"]"#, 1);
    let err = serde_json::from_str::<Policy>(&bad).expect_err("ZZ is no country");
    assert!(
        err.to_string()
            .contains("`ZZ` is not an ISO 3166-1 alpha-2 country code"),
        "{err}"
    );
    // Lists of plain values stay on one line; objects keep one member per line.
    assert!(json.contains(r#""rights": ["make", "use", "sell", "import"]"#));
    assert!(json.contains("\n      \"source\": {\n        \"file\""));
}

// ---------------------------------------------------------------------------- determinism

#[test]
fn building_twice_gives_the_same_bytes() {
    for rel in cases() {
        let (_, first) = build(&rel);
        let (_, second) = build(&rel);
        assert!(first == second, "{}: two builds differ", rel.display());
        assert!(first.ends_with("}\n"));
    }
}

#[test]
fn the_binary_writes_the_same_bytes_every_time_and_everywhere() {
    let file = "examples/acme_globex.xlic";
    let a = xlic(&["build", file, "--stdout"], root());
    let b = xlic(&["build", file, "--stdout"], root());
    assert_eq!(a.status.code(), Some(0), "stderr: {}", text(&a.stderr));
    assert_eq!(b.status.code(), Some(0));
    assert!(!a.stdout.is_empty());
    assert!(a.stdout == b.stdout, "two runs of `xlic build` differ");
    // The binary writes what the library builds.
    let (_, lib) = build(Path::new(file));
    assert!(
        a.stdout == lib.as_bytes(),
        "the binary and the library differ"
    );
    // `--emit json` is the default.
    let explicit = xlic(&["build", file, "--emit", "json", "--stdout"], root());
    assert!(explicit.stdout == a.stdout);

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let c = xlic(&["build", file, "-o", out_dir.to_str().unwrap()], root());
    assert_eq!(c.status.code(), Some(0), "stderr: {}", text(&c.stderr));
    assert!(c.stdout.is_empty(), "with -o nothing goes to stdout");
    let written = std::fs::read(out_dir.join("policy.json")).unwrap();
    assert!(
        written == a.stdout,
        "-o DIR/policy.json differs from --stdout"
    );
}

// ---------------------------------------------------------------------------- refusal

/// A typo: `globx` is not a party (E0101).
const BROKEN: &str = "\
agreement \"A\" { effective 2026-01-01 term 5 years }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics }
asset p: know-how of acme
asset q: know-how of globex
grant g: acme -> globx { assets p field robotics territory [US] non-exclusive }
grant h: globex -> acme { assets q field robotics territory [US] non-exclusive }
confidentiality { covers know-how }
";

/// A cross-license in which globex grants nothing: only warning W0404.
const ONE_WAY: &str = "\
agreement \"A\" { effective 2026-01-01 term 5 years }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics }
asset p: know-how of acme
grant g: acme -> globex { assets p field robotics territory [US] non-exclusive }
confidentiality { covers know-how }
";

/// `BROKEN` fixed.
const CLEAN: &str = "\
agreement \"A\" { effective 2026-01-01 term 5 years }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics }
asset p: know-how of acme
asset q: know-how of globex
grant g: acme -> globex { assets p field robotics territory [US] non-exclusive }
grant h: globex -> acme { assets q field robotics territory [US] non-exclusive }
confidentiality { covers know-how }
";

/// Runs `xlic build FILE` (with `extra` arguments) twice in a fresh folder, once to
/// stdout and once with `-o out`; returns both outputs and whether `out/policy.json`
/// exists.
fn build_in_tempdir(source: &str, extra: &[&str]) -> (Output, Output, bool) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deal.xlic"), source).unwrap();
    let mut args = vec!["build", "deal.xlic", "--stdout"];
    args.extend_from_slice(extra);
    let to_stdout = xlic(&args, dir.path());
    let mut args = vec!["build", "deal.xlic", "-o", "out"];
    args.extend_from_slice(extra);
    let to_dir = xlic(&args, dir.path());
    let written = dir.path().join("out/policy.json").exists();
    (to_stdout, to_dir, written)
}

#[test]
fn build_refuses_to_emit_when_there_are_errors() {
    let (out, to_dir, written) = build_in_tempdir(BROKEN, &[]);
    for o in [&out, &to_dir] {
        assert_eq!(o.status.code(), Some(1), "stderr: {}", text(&o.stderr));
        assert!(o.stdout.is_empty(), "stdout: {}", text(&o.stdout));
        let err = text(&o.stderr);
        assert!(err.contains("E0101"), "stderr: {err}");
        assert!(err.contains("globx"), "stderr: {err}");
    }
    assert!(
        !written,
        "no policy.json may be written when there are errors"
    );
}

#[test]
fn build_refuses_to_emit_on_warnings_with_deny_warnings() {
    let (out, to_dir, written) = build_in_tempdir(ONE_WAY, &["--deny-warnings"]);
    for o in [&out, &to_dir] {
        assert_eq!(o.status.code(), Some(1), "stderr: {}", text(&o.stderr));
        assert!(o.stdout.is_empty(), "stdout: {}", text(&o.stdout));
        assert!(
            text(&o.stderr).contains("W0404"),
            "stderr: {}",
            text(&o.stderr)
        );
    }
    assert!(
        !written,
        "no policy.json may be written under --deny-warnings"
    );

    // Without --deny-warnings a warning does not stop the build.
    let (out, to_dir, written) = build_in_tempdir(ONE_WAY, &[]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("W0404"));
    assert!(serde_json::from_slice::<Value>(&out.stdout).is_ok());
    assert_eq!(to_dir.status.code(), Some(0));
    assert!(written);
}

#[test]
fn a_clean_build_exits_zero_and_emits() {
    let (out, to_dir, written) = build_in_tempdir(CLEAN, &["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let p: Policy = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p.xlic_policy, 11);
    assert_eq!(p.agreements.len(), 1);
    assert_eq!(p.agreements[0].id, "deal");
    assert_eq!(to_dir.status.code(), Some(0));
    assert!(written);
}

// ---------------------------------------------------------------------------- the doc

/// The contents of the first fenced block of `lang` in a Markdown text.
fn first_block<'a>(markdown: &'a str, lang: &str) -> &'a str {
    nth_block(markdown, lang, 0)
}

/// The `n`th (from 0) fenced block of `lang` in `markdown`.
fn nth_block<'a>(markdown: &'a str, lang: &str, n: usize) -> &'a str {
    let open = format!("```{lang}\n");
    let start = markdown
        .match_indices(&open)
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{DOC} has no ```{lang} block number {n}"))
        + open.len();
    let len = markdown[start..]
        .find("\n```")
        .unwrap_or_else(|| panic!("{DOC}: unterminated ```{lang} block"));
    &markdown[start..start + len + 1]
}

/// Checks that every key and value of `doc` is in `real`, collecting the differences.
/// Objects: every key of `doc` must be in `real`, recursively. Arrays of objects that
/// all have an `id`: each is compared with the entry of `real` with the same id (the
/// excerpt may leave entries out). Other arrays: the same length, entry by entry.
/// Anything else: equal.
fn check_excerpt(doc: &Value, real: &Value, at: &str, errors: &mut Vec<String>) {
    let id_of = |v: &Value| v.get("id").filter(|i| !i.is_null()).cloned();
    match (doc, real) {
        (Value::Object(d), Value::Object(r)) => {
            for (k, v) in d {
                match r.get(k) {
                    Some(rv) => check_excerpt(v, rv, &format!("{at}.{k}"), errors),
                    None => errors.push(format!("{at}.{k}: not in the policy")),
                }
            }
        }
        (Value::Array(d), Value::Array(r))
            if !d.is_empty() && d.iter().all(|x| id_of(x).is_some()) =>
        {
            for x in d {
                let id = id_of(x);
                let here = format!("{at}[id={}]", id.clone().unwrap_or(Value::Null));
                match r.iter().find(|y| id_of(y) == id) {
                    Some(y) => check_excerpt(x, y, &here, errors),
                    None => errors.push(format!("{here}: no entry with this id in the policy")),
                }
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            if d.len() != r.len() {
                errors.push(format!(
                    "{at}: the doc shows {} entries, the policy has {}: {}",
                    d.len(),
                    r.len(),
                    serde_json::to_string(real).unwrap_or_default()
                ));
                return;
            }
            for (i, (x, y)) in d.iter().zip(r).enumerate() {
                check_excerpt(x, y, &format!("{at}[{i}]"), errors);
            }
        }
        _ => {
            if doc != real {
                errors.push(format!("{at}: the doc says {doc}, the policy has {real}"));
            }
        }
    }
}

/// Every object anywhere in `v` (itself included).
fn objects(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            out.push(v.clone());
            m.values().for_each(|x| objects(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| objects(x, out)),
        _ => {}
    }
}

#[test]
fn the_worked_example_in_the_doc_is_what_the_compiler_emits() {
    let markdown = std::fs::read_to_string(root().join(DOC)).unwrap();
    let source = first_block(&markdown, "xlic");
    let excerpt: Value = serde_json::from_str(first_block(&markdown, "json"))
        .unwrap_or_else(|e| panic!("the first ```json block of {DOC} is not JSON: {e}"));

    let c = xlic::compile_text("example.xlic", source);
    assert!(
        c.diagnostics.is_empty(),
        "the example in {DOC} does not compile cleanly:\n{}",
        render::render_human(&c.diagnostics, &c.sources, false)
    );
    let real = serde_json::to_value(policy(&c.model, &c.sources)).unwrap();
    let errors = validation_errors(&validator(), &real);
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    let mut errors = Vec::new();
    if excerpt.get("xlic_policy").is_some() {
        // An excerpt of the whole policy.
        check_excerpt(&excerpt, &real, "policy", &mut errors);
    } else {
        // An excerpt of one object (a grant, an asset): the object with its id.
        let id = excerpt.get("id").cloned().unwrap_or(Value::Null);
        let mut all = Vec::new();
        objects(&real, &mut all);
        let candidates: Vec<&Value> = all.iter().filter(|o| o.get("id") == Some(&id)).collect();
        assert!(!candidates.is_empty(), "{DOC}: no object with id {id}");
        let best = candidates
            .iter()
            .map(|o| {
                let mut e = Vec::new();
                check_excerpt(&excerpt, o, &format!("[id={id}]"), &mut e);
                e
            })
            .min_by_key(Vec::len)
            .unwrap_or_default();
        errors = best;
    }
    assert!(
        errors.is_empty(),
        "the JSON excerpt in {DOC} is stale:\n{}",
        errors.join("\n")
    );

    // Every other ```json block in the doc is at least JSON.
    let mut rest = markdown.as_str();
    while let Some(i) = rest.find("```json\n") {
        let block = first_block(rest, "json");
        assert!(
            serde_json::from_str::<Value>(block).is_ok(),
            "{DOC}: a ```json block is not JSON:\n{block}"
        );
        rest = &rest[i + 8..];
    }
}

/// A grant without `rights` grants what its assets confer: the patent rights under
/// patents, all ten under know-how, software and the like, the union when it licenses
/// both; a reservation keeps every right (issue 18).
#[test]
fn omitted_rights_are_the_rights_the_assets_confer() {
    let src = "\
agreement \"D\" { effective 2026-01-01 }
party a \"A\"
party b \"B\"
fields { robotics }
asset fam: patent family of a { patent \"US 11,234,567\" expires 2040-01-01 }
asset one: patent of a { patent \"US 10,111,222\" expires 2039-01-01 }
asset captured: patents of a filed 2019-01-01 until 2021-01-01
asset kh: know-how of a
asset code: software of a
grant pat: a -> b { assets fam, one field robotics territory [US] non-exclusive }
grant capture: a -> b { assets captured field robotics territory [US] non-exclusive }
grant know: a -> b { assets kh field robotics territory [US] non-exclusive }
grant soft: a -> b { assets code field robotics territory [US] non-exclusive }
grant both: a -> b { assets fam, kh field robotics territory [US] non-exclusive }
grant everything: a -> b { assets one rights all field robotics territory [US] non-exclusive }
grant listed: a -> b { assets kh rights make field robotics territory [US] non-exclusive }
reserve keep: fam for a { territory [US] }
";
    let c = xlic::compile_text("defaults.xlic", src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let json = serde_json::to_value(&policy).unwrap();
    let rights = |clause: &str, id: &str| -> Vec<String> {
        json["agreements"][0][clause]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id || g["name"] == id)
            .unwrap_or_else(|| panic!("no {clause} {id}"))["rights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    let patent = ["make", "have made", "use", "sell", "offer", "import"];
    let all: Vec<&str> = xlic::vocab::Right::ALL
        .iter()
        .map(|r| r.keyword())
        .collect();
    assert_eq!(rights("grants", "pat"), patent);
    assert_eq!(rights("grants", "capture"), patent);
    assert_eq!(rights("grants", "know"), all);
    assert_eq!(rights("grants", "soft"), all);
    assert_eq!(rights("grants", "both"), all);
    assert_eq!(rights("grants", "everything"), all);
    assert_eq!(rights("grants", "listed"), ["make"]);
    assert_eq!(rights("reservations", "keep"), all);
}

/// The manifest names the compiler's version and each source with the SHA-256 of its
/// text (the known digest of the empty string checks the hash itself); the schema
/// names itself and admits only its own version.
#[test]
fn the_manifest_digests_every_source_and_the_schema_is_versioned() {
    let (p, _) = build(Path::new("examples/acme_globex.xlic"));
    let m = p.manifest.as_ref().expect("a manifest");
    assert_eq!(m.compiler, env!("CARGO_PKG_VERSION"));
    let files: Vec<&str> = m.sources.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(files, ["examples/acme_globex.xlic"]);
    let text = std::fs::read_to_string(root().join("examples/acme_globex.xlic")).unwrap();
    let digest = &m.sources[0].sha256;
    assert_eq!(digest.len(), 64);
    assert!(digest
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    // A changed source changes its digest; an empty one has SHA-256's known digest.
    let other = xlic::compile_text("x.xlic", &format!("{text}\n// changed\n"));
    let other = policy(&other.model, &other.sources);
    assert_ne!(&other.manifest.unwrap().sources[0].sha256, digest);
    let empty = xlic::compile_text("empty.xlic", "");
    let empty = policy(&empty.model, &empty.sources);
    assert_eq!(
        empty.manifest.unwrap().sources[0].sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let schema = schema_value();
    assert_eq!(schema["$id"], "https://w3id.org/xlic/policy/11/schema.json");
    assert_eq!(schema["properties"]["xlic_policy"]["const"], 11);
    let mut old = serde_json::to_value(&p).unwrap();
    old["xlic_policy"] = Value::from(4);
    assert!(
        !validation_errors(&validator(), &old).is_empty(),
        "version 4 is refused"
    );
}

/// outputs (version 5): unnamed clauses get ids derived from themselves, so another
/// clause added before them leaves their ids alone; repeats are numbered; a reader
/// refuses a policy whose derived ids were edited.
#[test]
fn derived_clause_ids_are_stable_and_checked() {
    let base = r#"agreement deal_2026 "Deal" { effective 2026-01-01 term 5 years kind license }
party a "A Corp"
party b "B Corp"
fields { alpha }
asset fa: patent family of a
asset fb: patent family of b
asset sa: trade secret of a
reserve sa { rights use }
reserve fa for a { field alpha territory [DE] }
grant g: a -> b { assets fa field alpha territory [US] non-exclusive }
improvements on fa { grant back b -> a { covers collaboration non-exclusive } }
sunset g { wind down 30 days }
"#;
    let ids = |text: &str| {
        let c = xlic::compile_text("deal.xlic", text);
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
        let p = policy(&c.model, &c.sources);
        let a = &p.agreements[0];
        let mut out = vec![a.id.clone()];
        out.extend(
            a.reservations
                .iter()
                .map(|r| r.id.clone().unwrap_or_default()),
        );
        for imp in &a.improvements {
            out.push(imp.id.clone().unwrap_or_default());
            out.extend(imp.rules.iter().map(|r| r.id.clone().unwrap_or_default()));
        }
        out.extend(a.sunsets.iter().map(|s| s.id.clone().unwrap_or_default()));
        (out, p)
    };
    let (before, p) = ids(base);
    assert_eq!(
        before,
        [
            "deal_2026",
            "reserve#sa",
            "reserve#fa#for_a",
            "improvements#fa",
            "grant_back#b->a",
            "sunset#g"
        ]
    );
    // A reservation added first, one of the same asset, and a named one.
    let edited = base.replace(
        "reserve sa { rights use }",
        "reserve kept: fb for b { territory [FR] }\nreserve sa { rights use }\nreserve sa { rights make }",
    );
    let (after, _) = ids(&edited);
    assert_eq!(
        after,
        [
            "deal_2026",
            "kept",
            "reserve#sa",
            "reserve#sa#2",
            "reserve#fa#for_a",
            "improvements#fa",
            "grant_back#b->a",
            "sunset#g"
        ]
    );
    // The policy reads back; with an edited derived id it is refused.
    assert!(xlic::policy::read::load(&p).is_ok());
    let mut bad = p.clone();
    bad.agreements[0].reservations[0].id = Some("reserve#fb".to_string());
    let err = xlic::policy::read::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("`reserve#fb`") && err.contains("`reserve#sa`"),
        "{err}"
    );
    let mut bad = p;
    bad.agreements[0].sunsets[0].id = Some("sunset#h".to_string());
    assert!(xlic::policy::read::load(&bad).is_err());
}

/// outputs (version 5): each grant's and reservation's territory is also written as
/// its shortest expression over worldwide, the EU, the EEA and the declared groups,
/// and a reader refuses one that says something else than the list.
#[test]
fn territories_are_also_written_compact() {
    let text = r#"agreement "Deal" { effective 2026-01-01 term 5 years kind license }
party a "A Corp"
party b "B Corp"
fields { alpha }
territory nordics = [DK, FI, IS, NO, SE]
asset fa: patent family of a
asset sa: trade secret of a
reserve sa { territory [JP] }
grant g1: a -> b { assets fa field alpha territory worldwide except [CN, RU] non-exclusive }
grant g2: a -> b { assets fa field alpha territory EU + [GB] non-exclusive }
grant g3: a -> b { assets fa field alpha territory nordics + [DE] except [IS] non-exclusive }
grant g4: a -> b { assets fa field alpha territory [FR, DE] non-exclusive }
grant g5: a -> b { assets fa field alpha territory EEA except [NO, HU] non-exclusive }
"#;
    let c = xlic::compile_text("deal.xlic", text);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let p = policy(&c.model, &c.sources);
    let a = &p.agreements[0];
    let compact: Vec<&str> = a
        .grants
        .iter()
        .map(|g| g.territories_compact.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        compact,
        [
            "worldwide except CN, RU",
            "EU + GB",
            "nordics + DE except IS",
            "DE, FR",
            "EEA except HU, NO"
        ]
    );
    assert_eq!(a.reservations[0].territories_compact.as_deref(), Some("JP"));
    assert!(xlic::policy::read::load(&p).is_ok());
    let mut bad = p;
    bad.agreements[0].grants[1].territories_compact = Some("EU".to_string());
    let err = xlic::policy::read::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("`g2`") && err.contains("EU + GB"), "{err}");
}

/// outputs (version 5): the schema says the closed vocabularies as enums and the ids,
/// country and currency codes and dates by pattern or format, so a validator catches a
/// misspelt value, not only a misspelt key.
#[test]
fn the_schema_constrains_codes_ids_and_vocabularies() {
    let v = validator();
    let (p, _) = build(Path::new("examples/acme_globex.xlic"));
    let good = serde_json::to_value(&p).unwrap();
    assert!(validation_errors(&v, &good).is_empty());
    let schema = schema_value();
    assert_eq!(schema["properties"]["tables_date"]["format"], "date");
    assert_eq!(schema["$defs"]["Date"]["format"], "date");
    for def in [
        "Right",
        "Exclusivity",
        "Sublicense",
        "AssetKind",
        "ObligationKind",
    ] {
        assert!(schema["$defs"][def]["enum"].is_array(), "{def} is an enum");
    }
    let bad = |pointer: &str, value: Value| {
        let mut m = good.clone();
        *m.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer}")) = value;
        let errors = validation_errors(&v, &m);
        assert!(!errors.is_empty(), "{pointer} accepted");
    };
    bad("/agreements/0/grants/0/territories/0", Value::from("de"));
    bad(
        "/agreements/0/grants/0/territories",
        serde_json::json!(["DE", "DE"]),
    );
    bad("/parties/0/id", Value::from("acme robotics"));
    bad(
        "/agreements/0/grants/0/licensor",
        Value::from("acme-robotics"),
    );
    bad(
        "/agreements/0/grants/0/fields/0",
        Value::from("robotics..consumer"),
    );
    bad("/agreements/0/grants/0/rights/0", Value::from("have_made"));
    bad(
        "/agreements/0/grants/0/exclusivity",
        Value::from("nonexclusive"),
    );
    bad("/agreements/0/sunsets/0/id", Value::from("acme_to_globex"));
    bad("/tables_date", Value::from("1 Nov 2026"));
}

/// outputs (version 5), a property over generated agreements: a grant's normalized
/// scope has no two pieces that share a country and a day, and on every country and
/// day it names exactly the patents whose effective-scope pieces cover it there (so its
/// union is the union of the ledger's pieces). Between two consecutive starts or ends
/// of any piece nothing changes, so checking at each of them, and on the day before
/// each, checks every day.
#[test]
fn the_normalized_scope_partitions_the_effective_scope() {
    use xlic::date::Date;
    use xlic::policy::{EffectiveOut, NormalizedOut};
    let pool = ["DE", "FR", "GB", "US", "JP", "CN", "IT", "NL"];
    let mut rng = xlic_testkit::Rng::new(0x0f1e_2d3c);
    let mut grants_checked = 0;
    let mut overlapping_inputs = 0;
    for case in 0..60 {
        let mut text = String::from(
            "agreement \"Gen\" { effective 2026-01-01 term 12 years kind license }\n\
             party a \"A Corp\"\nparty b \"B Corp\"\nfields { alpha }\n\
             asset fam: patent family of a {\n",
        );
        for k in 0..rng.range(1, 5) {
            let countries = rng.subset(&pool);
            let countries = if countries.is_empty() {
                vec!["DE"]
            } else {
                countries
            };
            text.push_str(&format!(
                "  patent \"EP {case}{k}\" expires {}-0{}-15 in [{}]\n",
                2027 + rng.below(12),
                1 + rng.below(9),
                countries.join(", ")
            ));
        }
        text.push_str("}\nasset know: know-how of a\nconfidentiality { covers know-how }\n");
        for g in 0..rng.range(1, 3) {
            let t = rng.subset(&pool);
            let territory = if t.is_empty() || rng.chance(20) {
                "worldwide".to_string()
            } else {
                format!("[{}]", t.join(", "))
            };
            let assets = if rng.chance(50) { "fam, know" } else { "fam" };
            let start = 2026 + rng.below(3);
            let end = start + 1 + rng.below(9);
            text.push_str(&format!(
                "grant g{g}: a -> b {{ assets {assets} field alpha territory {territory} \
                 term {start}-01-01 until {end}-07-01 non-exclusive }}\n"
            ));
        }
        let c = xlic::compile_text("gen.xlic", &text);
        if c.has_errors() {
            continue;
        }
        let p = policy(&c.model, &c.sources);
        for g in &p.agreements[0].grants {
            grants_checked += 1;
            let eff: &[EffectiveOut] = g.effective_scope.as_deref().unwrap();
            let norm: &[NormalizedOut] = &g.normalized_scope;
            let before = |e: Option<Date>, d: Date| e.is_none_or(|e| d < e);
            let mut days: Vec<Date> = eff.iter().map(|x| x.start).collect();
            days.extend(eff.iter().filter_map(|x| x.end));
            days.extend(
                eff.iter()
                    .filter_map(|x| x.end.and_then(|e| e.add_days(-1))),
            );
            days.extend(days.clone().iter().filter_map(|d| d.add_days(-1)));
            for code in pool.iter().chain(["BR"].iter()) {
                for &d in &days {
                    let mut want: Vec<(String, Option<String>)> = eff
                        .iter()
                        .filter(|x| x.territories.codes().contains(code))
                        .filter(|x| x.start <= d && before(x.end, d))
                        .map(|x| (x.asset.clone(), x.patent.clone()))
                        .collect();
                    want.sort();
                    want.dedup();
                    if want.len() > 1 {
                        overlapping_inputs += 1;
                    }
                    let here: Vec<&NormalizedOut> = norm
                        .iter()
                        .filter(|x| x.territories.codes().contains(code))
                        .filter(|x| x.start <= d && before(x.end, d))
                        .collect();
                    assert!(
                        here.len() <= 1,
                        "case {case}: {code} on {d}: pieces overlap\n{text}"
                    );
                    let mut got: Vec<(String, Option<String>)> = here
                        .first()
                        .map(|x| {
                            x.patents
                                .iter()
                                .map(|r| (r.asset.clone(), r.patent.clone()))
                                .collect()
                        })
                        .unwrap_or_default();
                    got.sort();
                    assert_eq!(got, want, "case {case}: {code} on {d}\n{text}");
                }
            }
            // Neighbours are merged: no two pieces with the same countries and patents
            // where one ends the day the other starts.
            for x in norm {
                for y in norm {
                    assert!(
                        !(x.end == Some(y.start)
                            && x.territories == y.territories
                            && x.patents == y.patents),
                        "case {case}: unmerged neighbours\n{text}"
                    );
                }
            }
        }
    }
    assert!(grants_checked >= 60, "{grants_checked} grants checked");
    assert!(
        overlapping_inputs > 0,
        "the generator never made overlapping pieces"
    );
}

/// outputs (version 5): a normalized scope that is not the one the effective scope
/// gives is refused when the policy is read.
#[test]
fn an_edited_normalized_scope_is_refused() {
    let (p, _) = build(Path::new("examples/acme_globex.xlic"));
    assert!(xlic::policy::read::load(&p).is_ok());
    let mut bad = p;
    let piece = &mut bad.agreements[0].grants[0].normalized_scope[0];
    piece.patents.clear();
    let err = xlic::policy::read::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("effective scope of grant `acme_to_globex`"),
        "{err}"
    );
}

/// Every multi-file input folder and every example and fixture file, relative to the
/// repository, sorted.
fn inputs_and_folders() -> Vec<PathBuf> {
    let mut inputs = folders();
    inputs.extend(
        crate::common::xlic_corpus()
            .iter()
            .map(|p| p.strip_prefix(root()).unwrap().to_path_buf()),
    );
    inputs.sort();
    inputs
}

/// `xlic build --emit json` writes the policy agreement by agreement and grant by grant
/// (`policy::write_streamed`, so that a portfolio's policy is never held whole): its
/// bytes are exactly those of the policy built whole and serialised, on every example,
/// every fixture file and every multi-file input that compiles without errors. The
/// cases between them write every member a policy may leave out (the agreement's
/// `definitions`, `obligations`, `first_rights` and `payments`, the policy's
/// `standards`) and agreements with none of them, so a member written out of its
/// place or under the wrong condition shows here.
#[test]
fn streamed_policy_is_built() {
    let inputs = inputs_and_folders();
    let optional = [
        "\"definitions\":",
        "\"obligations\":",
        "\"first_rights\":",
        "\"payments\":",
        "\"standards\":",
    ];
    let mut seen = [false; 5];
    let mut compared = 0;
    for rel in inputs {
        let c = compile(&rel);
        if c.has_errors() {
            continue;
        }
        let whole = to_json(&xlic::policy::build(&c.model, &c.ledger, &c.sources));
        let mut streamed = Vec::new();
        xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, false, &mut streamed)
            .unwrap();
        let streamed = String::from_utf8(streamed).unwrap();
        if streamed != whole {
            let line = whole
                .lines()
                .zip(streamed.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |i| i + 1);
            panic!(
                "{}: the streamed policy differs from the built one at line {line}",
                rel.display()
            );
        }
        for (seen, key) in seen.iter_mut().zip(optional) {
            *seen |= whole.contains(key);
        }
        compared += 1;
    }
    assert!(compared >= 150, "only {compared} inputs compiled cleanly");
    for (seen, key) in seen.iter().zip(optional) {
        assert!(*seen, "no input writes {key}");
    }
}

/// The worked example's grant in the compact form, the second ```json block of the
/// policy's page, is what `xlic build --compact` writes, and the members the compact
/// form leaves out are absent.
#[test]
fn the_compact_excerpt_in_the_doc_is_what_the_compiler_emits() {
    let markdown = std::fs::read_to_string(root().join(DOC)).unwrap();
    let c = xlic::compile_text("example.xlic", first_block(&markdown, "xlic"));
    let mut bytes = Vec::new();
    xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut bytes).unwrap();
    let real: Value = serde_json::from_slice(&bytes).unwrap();
    let excerpt: Value = serde_json::from_str(nth_block(&markdown, "json", 1))
        .unwrap_or_else(|e| panic!("the second ```json block of {DOC} is not JSON: {e}"));
    let grant = &real["agreements"][0]["grants"][0];
    assert_eq!(grant["id"], excerpt["id"]);
    let mut errors = Vec::new();
    check_excerpt(&excerpt, grant, "[compact grant]", &mut errors);
    assert!(
        errors.is_empty(),
        "the compact excerpt in {DOC} is stale:\n{}",
        errors.join("\n")
    );
    for key in [
        "reach",
        "territories",
        "effective_scope",
        "normalized_scope",
        "sell_off_scope",
    ] {
        assert!(grant.get(key).is_none(), "the compact grant has `{key}`");
    }
}

/// The compact form (`xlic build --emit json --compact`, issue 19) reads back as the
/// full form does: on every example, fixture file and multi-file input that compiles
/// without errors, the model and the rights ledger read from the compact policy are
/// those read from the full one (so `xlic query` answers alike). Each compact policy is
/// valid against the schema and smaller than the full one; the same text without its
/// `"compact": true` is refused by the schema and by the reader, which then misses
/// the derived members the full form must have.
#[test]
fn compact_policy_reads_as_the_full_one() {
    let v = validator();
    let inputs = inputs_and_folders();
    let (mut compared, mut unmarked, mut listed) = (0, 0, 0);
    for rel in inputs {
        let c = compile(&rel);
        if c.has_errors() {
            continue;
        }
        // Both forms as `xlic query` reads them: from their JSON text.
        let full_text = to_json(&xlic::policy::build(&c.model, &c.ledger, &c.sources));
        let full: Policy = serde_json::from_str(&full_text).unwrap();
        let mut bytes = Vec::new();
        xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let errors = validation_errors(&v, &value);
        assert!(errors.is_empty(), "{}: {errors:#?}", rel.display());
        let compact: Policy = serde_json::from_value(value.clone()).unwrap();
        assert!(compact.compact, "{}", rel.display());
        let has_grants = compact.agreements.iter().any(|a| !a.grants.is_empty());
        // Smaller when there is a grant to write smaller (without, one line longer).
        assert!(
            text.len() < full_text.len() || !has_grants,
            "{}",
            rel.display()
        );
        let grants = compact.agreements.iter().flat_map(|a| &a.grants);
        listed += grants.filter(|g| g.territories.is_some()).count();
        let read_full = xlic::policy::read::load(&full).unwrap();
        let read_compact = xlic::policy::read::load(&compact)
            .unwrap_or_else(|e| panic!("{}: the compact policy does not read: {e}", rel.display()));
        let want = (&read_full.model, &read_full.ledger);
        let got = (&read_compact.model, &read_compact.ledger);
        if format!("{want:?}") != format!("{got:?}") {
            let (line, want, got) = crate::common::first_difference(&want, &got);
            panic!(
                "{}: the compact policy reads as another model or ledger, from line {line}:\n{want}\n--- compact:\n{got}",
                rel.display()
            );
        }
        if has_grants {
            let mut plain = value;
            plain.as_object_mut().unwrap().remove("compact");
            assert!(
                !validation_errors(&v, &plain).is_empty(),
                "{}",
                rel.display()
            );
            let plain: Policy = serde_json::from_value(plain).unwrap();
            let err = xlic::policy::read::load(&plain)
                .err()
                .map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains("only a compact policy leaves")),
                "{}: {err:?}",
                rel.display()
            );
            unmarked += 1;
        }
        compared += 1;
    }
    assert!(compared >= 150, "only {compared} inputs compiled cleanly");
    assert!(unmarked >= 100, "only {unmarked} inputs had grants");
    // Every grant of the corpus has countries that read back from their text.
    assert_eq!(listed, 0, "grants whose compact form lists the countries");
}

/// A group named like a country (`territory DE = [FR]`) is an error (E0102), but the
/// model is still resolved, and the writer does not rely on the checker: the text
/// `DE` would read as the group, so the compact form keeps the grant's list of the
/// country `DE`, and the policy reads back as the full one does.
#[test]
fn compact_policy_keeps_the_list_a_text_would_misread() {
    let source = "agreement \"T\" { effective 2026-01-01 kind license }\n\
        party a \"A\" { }\nparty b \"B\" { }\nterritory DE = [FR]\n\
        asset k: know-how of a\n\
        grant g: a -> b {\n  assets k\n  rights use\n  field all\n  territory [DE]\n  \
        term 2026-01-01 2 years\n  non-exclusive\n  royalty-free\n}\n\
        grant h: a -> b {\n  assets k\n  rights make\n  field all\n  territory DE + [GB]\n  \
        term 2026-01-01 2 years\n  non-exclusive\n  royalty-free\n}\n";
    let input = Input::Text {
        name: "group.xlic".to_string(),
        text: source.into(),
        dir: root().to_path_buf(),
    };
    let c = xlic::compile(&[input], &xlic::Options::default()).unwrap();
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == xlic::diagnostics::Severity::Error)
        .map(|d| format!("{:?}: {}", d.code, d.message))
        .collect();
    assert_eq!(
        errors,
        ["E0102: `DE` is the country code of Germany and cannot name a territory group"]
    );
    let mut bytes = Vec::new();
    xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut bytes).unwrap();
    let compact: Policy = serde_json::from_slice(&bytes).unwrap();
    let grants = &compact.agreements[0].grants;
    assert_eq!(grants[0].territory_codes(), vec!["DE"]);
    assert_eq!(grants[0].territories_compact.as_deref(), Some("DE"));
    // `DE + GB` (the group) reads back: no list.
    assert!(grants[1].territories.is_none(), "{:?}", grants[1]);
    let full = xlic::policy::build(&c.model, &c.ledger, &c.sources);
    assert_eq!(
        format!("{:?}", xlic::policy::read::load(&compact).unwrap().model),
        format!("{:?}", xlic::policy::read::load(&full).unwrap().model)
    );
}

/// What a reader refuses in the compact form: a text that names no group or a code
/// that is no country, a grant with neither its countries nor their text, and a field
/// excepted that is not under the fields named.
#[test]
fn compact_policy_with_a_bad_scope_is_refused() {
    let c = compile(Path::new("examples/acme_globex.xlic"));
    let mut bytes = Vec::new();
    xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut bytes).unwrap();
    let good: Policy = serde_json::from_slice(&bytes).unwrap();
    assert!(xlic::policy::read::load(&good).is_ok());
    for (text, want) in [
        (Some("mars + DE"), "`mars` is no territory group"),
        (
            Some("worldwide except XX"),
            "unknown ISO 3166-1 country code `XX`",
        ),
        (None, "has no `territories` nor `territories_compact`"),
    ] {
        let mut bad = good.clone();
        bad.agreements[0].grants[0].territories_compact = text.map(str::to_string);
        let err = xlic::policy::read::load(&bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(want), "{text:?}: {err}");
        assert!(
            err.contains("grant `acme_to_globex` of agreement `acme_globex_2026`"),
            "the error names the grant and its agreement: {err}"
        );
    }
    let mut bad = good.clone();
    bad.agreements[0].grants[0].fields_excepted = vec!["automotive".to_string()];
    let err = xlic::policy::read::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("acme_to_globex")
            && err.contains("`fields_excepted` names a field that is not under `fields`"),
        "{err}"
    );
}
