//! `xlic diff`: each amendment in tests/diff/ against tests/diff/base.xlic reports what a
//! reviewer must see — and a mere reordering reports nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

fn run(new: &str, format: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "diff",
            "tests/diff/base.xlic",
            &format!("tests/diff/{new}.xlic"),
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The (party, kind, clause) of every change, from the JSON format.
fn kinds(new: &str) -> Vec<(String, String, String)> {
    let (code, json) = run(new, "json");
    assert!(matches!(code, Some(0 | 1)), "diff failed for {new}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["party"].as_str().unwrap_or("").to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["clause"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn change(p: &str, k: &str, c: &str) -> (String, String, String) {
    (p.to_string(), k.to_string(), c.to_string())
}

#[test]
fn reordering_is_no_change() {
    let (code, text) = run("reordered", "text");
    assert_eq!(code, Some(0));
    assert_eq!(text, "no semantic changes\n");
    assert_eq!(
        run("base", "markdown"),
        (Some(0), "**No semantic changes.**\n".to_string())
    );
}

#[test]
fn renamed_clause_is_matched_and_reported_once() {
    assert_eq!(
        kinds("renamed"),
        vec![change("globex", "clause_renamed", "acme_license")]
    );
    assert_eq!(run("renamed", "text").0, Some(1));
}

#[test]
fn territory_widened_is_a_gain_with_its_scope() {
    assert_eq!(
        kinds("territory_widened"),
        vec![change("globex", "rights_gained", "")]
    );
    let (_, text) = run("territory_widened", "text");
    assert!(text.contains("+ gains: asset acme_motion, rights make, use, sell, field robotics.consumer, IT, 2026-01-01 until 2031-01-01"), "{text}");
}

#[test]
fn term_shortened_is_a_loss_and_a_shorter_term() {
    assert_eq!(
        kinds("term_shortened"),
        vec![
            change("globex", "rights_lost", ""),
            change("globex", "term_shortened", "acme_to_globex")
        ]
    );
    let (_, text) = run("term_shortened", "text");
    assert!(
        text.contains("territories DE, FR, 2029-01-01 until 2031-01-01"),
        "{text}"
    );
}

#[test]
fn field_carved_out_is_a_loss_of_that_field() {
    assert_eq!(
        kinds("field_carved_out"),
        vec![change("globex", "rights_lost", "")]
    );
    let (_, text) = run("field_carved_out", "text");
    assert!(
        text.contains("field robotics.consumer.lawn, territories DE, FR"),
        "{text}"
    );
}

#[test]
fn royalty_changed_is_a_consideration_change() {
    assert_eq!(
        kinds("royalty_changed"),
        vec![change("globex", "consideration_changed", "acme_to_globex")]
    );
    let (_, md) = run("royalty_changed", "markdown");
    assert!(md.contains("| consideration | `acme_to_globex` | consideration of `acme_to_globex`: royalty 2.5% of net sales → royalty 3% of net sales |"), "{md}");
}

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
    assert!(String::from_utf8_lossy(&out.stderr).contains("has errors"));
}
