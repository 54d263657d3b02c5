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
use xlic::emit::decisions::{
    by_control, kind_word, reason_label, table, PermitBox, Span, PURPOSE_ASKS,
};
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
    ask_as(e, party, None, None, [asset, right, field, country, day])
}

/// A request naming a purpose, or for an unnamed affiliate of the party by control.
fn ask_as(
    e: &Evaluator,
    party: &str,
    purpose: Option<&str>,
    affiliate: Option<xlic::query::UnnamedAffiliate>,
    [asset, right, field, country, day]: [&str; 5],
) -> xlic::query::Answer {
    e.evaluate(&Request {
        licensee: party.into(),
        asset: asset.into(),
        right: right.into(),
        field: field.into(),
        territory: country.into(),
        date: day.into(),
        purpose: purpose.map(str::to_string),
        affiliate,
    })
    .unwrap()
}

/// The purpose and the unnamed affiliate a box answers for (its first purpose; an
/// affiliate of every kind the party counts, since the beginning of time).
fn box_request(
    policy: &xlic::policy::Policy,
    b: &PermitBox,
    party: usize,
) -> (Option<&'static str>, Option<xlic::query::UnnamedAffiliate>) {
    let purpose = PURPOSE_ASKS[b.purposes[0]];
    let affiliate = b.unnamed.then(|| {
        let (_, c) = by_control(policy)
            .into_iter()
            .find(|(i, _)| *i == party)
            .unwrap();
        xlic::query::UnnamedAffiliate {
            name: "Nameless Holdings".into(),
            control: Some(
                serde_json::to_value(c.kinds[0])
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .into(),
            ),
            controlled_since: Some("0001-01-01".into()),
        }
    });
    (purpose, affiliate)
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
                    let (purpose, affiliate) = box_request(&policy, b, party);
                    for day in corners(b.span) {
                        let a = ask_as(
                            &e,
                            &policy.parties[party].id,
                            purpose,
                            affiliate.clone(),
                            [
                                &asset.id,
                                right.keyword(),
                                &policy.fields[field as usize].id,
                                country,
                                &day,
                            ],
                        );
                        assert_eq!(
                            a.decision,
                            Decision::Permit,
                            "{} {party} {right:?} {country} {day}",
                            asset.id
                        );
                        let mut cited: Vec<(String, String)> = a
                            .reasons
                            .iter()
                            .map(|r| (reason_label(r), kind_word(r.kind)))
                            .collect();
                        cited.sort();
                        cited.dedup();
                        let boxed: Vec<(String, String)> =
                            b.reasons.iter().cloned().zip(b.kinds.clone()).collect();
                        assert_eq!(cited, boxed);
                        checked += 1;
                    }
                }
                // Just outside the box in time: not this box's answer any more (another
                // box, or a denial), unless the span runs to the end of time.
                if let Some(until) = b.span.until {
                    let (purpose, affiliate) = box_request(&policy, b, b.parties[0]);
                    let a = ask_as(
                        &e,
                        &policy.parties[b.parties[0]].id,
                        purpose,
                        affiliate,
                        [
                            &asset.id,
                            b.rights[0].keyword(),
                            &policy.fields[b.fields[0] as usize].id,
                            codes[0],
                            &until.to_string(),
                        ],
                    );
                    let inside_another = at.permits.iter().any(|o| {
                        o != b
                            && o.unnamed == b.unnamed
                            && o.purposes.contains(&b.purposes[0])
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

#[test]
fn a_missed_milestone_changes_the_exported_decisions_as_it_changes_xlic_query() {
    let example = "examples/bilateral_license.xlic";
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut data = Vec::new();
    for missed in [&[][..], &["--missed", "first_sale"][..]] {
        let dir = tempdir(&format!("missed{}", missed.len()));
        let out = xlic()
            .current_dir(root)
            .args(["build", "--emit", "rego", "-o"])
            .arg(&dir)
            .arg(example)
            .args(missed)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(dir.join("data.json")).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        data.push(json);
    }
    assert_eq!(data[0]["xlic"]["missed"], serde_json::json!([]));
    assert_eq!(data[1]["xlic"]["missed"], serde_json::json!(["first_sale"]));
    // The exclusive license to Voltaic shuts Helion out until the milestone is missed:
    // with it missed, Helion (the owner) is permitted after its date.
    let helion_after = |d: &serde_json::Value| {
        d["xlic"]["table"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|a| a["permits"].as_array().unwrap().clone())
            .filter(|b| {
                b["parties"].as_array().unwrap().contains(&"helion".into())
                    && b["reasons"] == serde_json::json!(["owner"])
                    && b["from"].as_str().unwrap() > "2029-03-01"
            })
            .count()
    };
    assert!(
        helion_after(&data[1]) > helion_after(&data[0]),
        "missing the milestone gives the owner nothing back"
    );

    // An unknown milestone, and `--missed` where it means nothing, are refused.
    let out = xlic()
        .current_dir(root)
        .args(["build", "--emit", "cedar", "-o"])
        .arg(tempdir("unknown"))
        .args([example, "--missed", "first_sail"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown diligence milestone or commitment `first_sail`")
            && err.contains("first_sale"),
        "{err}"
    );
    let out = xlic()
        .current_dir(root)
        .args(["build", example, "--missed", "first_sale"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--missed`"));
    let _ = std::fs::remove_dir_all(tempdir("unknown"));
}

#[test]
fn the_exports_state_purposes_and_unnamed_affiliates() {
    // AMD and Intel count their affiliates by control; the Helion–Voltaic license keeps
    // research rights.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempdir("amd");
    let out = xlic()
        .current_dir(root)
        .args(["build", "--emit", "cedar", "-o"])
        .arg(&dir)
        .arg("examples/semiconductor_cross_license.xlic")
        .output()
        .unwrap();
    assert!(out.status.success());
    let cedar = std::fs::read_to_string(dir.join("policy.cedar")).unwrap();
    let schema = std::fs::read_to_string(dir.join("policy.cedarschema")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(schema.contains("purpose?: String") && schema.contains("affiliate?: Affiliate"));
    assert!(
        cedar.contains("context has affiliate &&"),
        "no box for unnamed affiliates"
    );
    assert!(cedar.contains("!(context has affiliate)"));
    // A name with white space around it, which `xlic query` refuses, is denied by a
    // forbid, since Cedar cannot trim it (tests/engines asks such names).
    let forbid = cedar
        .split(";\n\n")
        .find(|p| p.contains("forbid ("))
        .expect("a forbid for padded names");
    for end in ["\" *\"", "\"* \"", "\"\\u{9}*\"", "\"*\u{3000}\""] {
        assert!(
            forbid.contains(&format!("context.affiliate.name like {end}")),
            "{forbid}"
        );
    }
    // AMD's and Intel's releases of past acts permit with their own kind.
    assert!(cedar.contains("@reasons(\"amd_intel_2009.intel_releases_amd\")\n@kinds(\"released\")"));
}
