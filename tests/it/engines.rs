//! `xlic build --emit cedar` and `--emit rego` as a user sees them: the files written,
//! the folder required, deterministic output, and every box of the decision table they
//! are written from answered as `xlic query` answers at its corners. (The engines
//! themselves evaluate the exports in `tests/engines/`, a project of its own.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{compile, examples};
use std::process::Command;
use xlic::emit::decisions::{reason_label, table, Span};
use xlic::query::{Decision, Evaluator, Request};

fn xlic() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("xlic-engines-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn cedar_and_rego_write_their_files_the_same_twice() {
    let example = examples().into_iter().next().unwrap();
    for (emit, files) in [
        (
            "cedar",
            ["policy.cedar", "policy.cedarschema", "entities.json"],
        ),
        ("rego", ["xlic.rego", "data.json", ".manifest"]),
    ] {
        let mut runs = Vec::new();
        for run in 0..2 {
            let dir = tempdir(&format!("{emit}{run}"));
            let out = xlic()
                .args(["build", "--emit", emit, "-o"])
                .arg(&dir)
                .arg(&example)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            runs.push(
                files
                    .iter()
                    .map(|f| std::fs::read(dir.join(f)).unwrap())
                    .collect::<Vec<_>>(),
            );
            std::fs::remove_dir_all(&dir).unwrap();
        }
        assert_eq!(runs[0], runs[1], "--emit {emit} differs between runs");
        let text = String::from_utf8(runs[0][0].clone()).unwrap();
        match emit {
            "cedar" => assert!(text.contains("@decision(\"permit\")\n")),
            _ => assert!(text.contains("package xlic")),
        }
    }
}

#[test]
fn cedar_and_rego_need_a_folder() {
    let example = examples().into_iter().next().unwrap();
    for emit in ["cedar", "rego"] {
        let out = xlic()
            .args(["build", "--emit", emit])
            .arg(&example)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("`--emit {emit}` writes several files"))
                && err.contains("help: add `-o DIR`"),
            "{err}"
        );
        assert!(out.stdout.is_empty() || !String::from_utf8_lossy(&out.stdout).contains("permit"));
    }
}

fn ask(
    e: &Evaluator,
    party: &str,
    asset: &str,
    right: &str,
    field: &str,
    country: &str,
    day: &str,
) -> xlic::query::Answer {
    e.evaluate(&Request {
        licensee: party.into(),
        asset: asset.into(),
        right: right.into(),
        field: field.into(),
        territory: country.into(),
        date: day.into(),
        purpose: None,
        affiliate: None,
    })
    .unwrap()
}

/// The first and the last day of a span (the last far ahead when it has no end).
fn corners(s: Span) -> [String; 2] {
    let last = s
        .until
        .and_then(|u| u.pred())
        .unwrap_or(xlic::date::Date::MAX);
    [s.from.to_string(), last.to_string()]
}

#[test]
fn every_box_of_the_examples_is_what_xlic_query_answers_at_its_corners() {
    let mut checked = 0;
    for path in examples() {
        let c = compile(&path);
        let policy = xlic::emit::json::policy(&c.model, &c.sources);
        let e = Evaluator::new(&policy).unwrap();
        let t = table(&policy).unwrap();
        assert_eq!(t.assets.len(), policy.assets.len());
        for (asset, at) in policy.assets.iter().zip(&t.assets) {
            for b in &at.free {
                let country = b.countries.codes()[0];
                for day in corners(b.span) {
                    let a = ask(
                        &e,
                        &policy.parties[0].id,
                        &asset.id,
                        "use",
                        &policy.fields[0].id,
                        country,
                        &day,
                    );
                    assert_eq!(
                        a.decision,
                        Decision::NoLicenseNeeded,
                        "{} {country} {day}",
                        asset.id
                    );
                    checked += 1;
                }
            }
            for b in &at.permits {
                let codes = b.countries.codes();
                for (party, right, field, country) in [
                    (b.parties[0], b.rights[0], b.fields[0], codes[0]),
                    (
                        *b.parties.last().unwrap(),
                        *b.rights.last().unwrap(),
                        *b.fields.last().unwrap(),
                        *codes.last().unwrap(),
                    ),
                ] {
                    for day in corners(b.span) {
                        let a = ask(
                            &e,
                            &policy.parties[party].id,
                            &asset.id,
                            right.keyword(),
                            &policy.fields[field as usize].id,
                            country,
                            &day,
                        );
                        assert_eq!(
                            a.decision,
                            Decision::Permit,
                            "{} {party} {right:?} {country} {day}",
                            asset.id
                        );
                        let mut cited: Vec<String> = a.reasons.iter().map(reason_label).collect();
                        cited.sort();
                        cited.dedup();
                        assert_eq!(cited, b.reasons);
                        checked += 1;
                    }
                }
                // Just outside the box in time: not this box's answer any more (another
                // box, or a denial), unless the span runs to the end of time.
                if let Some(until) = b.span.until {
                    let a = ask(
                        &e,
                        &policy.parties[b.parties[0]].id,
                        &asset.id,
                        b.rights[0].keyword(),
                        &policy.fields[b.fields[0] as usize].id,
                        codes[0],
                        &until.to_string(),
                    );
                    let inside_another = at.permits.iter().any(|o| {
                        o != b
                            && o.parties.contains(&b.parties[0])
                            && o.rights.contains(&b.rights[0])
                            && o.fields.contains(&b.fields[0])
                            && o.countries.contains_code(codes[0])
                            && o.span.from <= until
                            && o.span.until.is_none_or(|u| until < u)
                    });
                    assert_eq!(
                        a.decision == Decision::Permit,
                        inside_another,
                        "{} after {until}",
                        asset.id
                    );
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} points checked");
}
