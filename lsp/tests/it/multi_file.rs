//! Several files: an edit in one changes the diagnostics of another that imports it,
//! and a conflict between two agreements points at both files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use serde_json::{json, Value};

const REGISTRY: &str = r#"// Shared registry – parties, fields and assets 📚
party acme "Acme Robotics, Inc."
party globex "Globex Corporation"

fields {
  robotics { consumer industrial }
}

asset acme_motion: patent family of acme
asset globex_lidar: patent family of globex
"#;

const DEAL: &str = r#"import "registry.xlic"

agreement "Acme–Globex Deal" {
  effective 2026-01-01
  term 5 years
}

grant a_to_g: acme -> globex {
  assets acme_motion
  field robotics.consumer
  territory worldwide
  exclusive
}

grant g_to_a: globex -> acme {
  assets globex_lidar
  field robotics
  territory [DE]
  non-exclusive
}
"#;

const OTHER: &str = r#"import "registry.xlic"

agreement "Acme–Initech License" {
  effective 2026-01-01
  term 5 years
  kind license
}

party initech "Initech LLC"

grant a_to_i: acme -> initech {
  assets acme_motion
  field robotics.industrial
  territory [US]
  non-exclusive
}
"#;

struct Workspace {
    _dir: tempfile::TempDir,
    registry: String,
    deal: String,
    other: String,
    client: Client,
}

fn workspace() -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    for (name, text) in [
        ("registry.xlic", REGISTRY),
        ("deal.xlic", DEAL),
        ("other.xlic", OTHER),
    ] {
        std::fs::write(root.join(name), text).unwrap();
    }
    let (client, _) = Client::initialized(Some(&root));
    Workspace {
        registry: file_uri(&root.join("registry.xlic")),
        deal: file_uri(&root.join("deal.xlic")),
        other: file_uri(&root.join("other.xlic")),
        _dir: dir,
        client,
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn removing_a_party_from_the_registry_breaks_the_importer() {
    let mut w = workspace();
    let c = &mut w.client;
    c.open(&w.registry, 1, REGISTRY);
    c.open(&w.deal, 1, DEAL);
    let d = c.diagnostics(&w.deal, 1);
    assert!(d.is_empty(), "{d:?}");

    // Go to definition crosses into the imported file.
    let def = c.request(
        "textDocument/definition",
        tdp(&w.deal, pos(DEAL, "acme -> globex", 9)),
    );
    assert_eq!(def["uri"], w.registry.as_str());
    assert_eq!(def["range"]["start"], json!({ "line": 2, "character": 6 }));

    // Delete `party globex …` from the registry (its line 2, after the emoji line).
    c.change(&w.registry, 2, (2, 0), (3, 0), "");
    let d = c.diagnostics_where(&w.deal, |d| d.iter().any(|x| x["code"] == "E0101"));
    let e = d.iter().find(|x| x["code"] == "E0101").unwrap();
    assert!(e["message"].as_str().unwrap().contains("globex"), "{e}");
    let at = pos(DEAL, "acme -> globex", 8);
    assert_eq!(
        e["range"]["start"],
        json!({ "line": at.0, "character": at.1 })
    );
    // The registry itself is fine (an asset's owner is now unknown there).
    let r = c.diagnostics(&w.registry, 2);
    assert!(codes(&r).iter().all(|c| c == "E0101"), "{r:?}");

    // Put it back: the importer is clean again.
    c.change(
        &w.registry,
        3,
        (2, 0),
        (2, 0),
        "party globex \"Globex Corporation\"\n",
    );
    let d = c.diagnostics_where(&w.deal, <[Value]>::is_empty);
    assert!(d.is_empty());
    assert!(w.client.shutdown().success());
}

#[test]
fn a_conflict_across_agreements_relates_both_files() {
    let mut w = workspace();
    let c = &mut w.client;
    c.open(&w.deal, 1, DEAL);
    c.open(&w.other, 1, OTHER);
    let d = c.diagnostics(&w.other, 1);
    assert!(d.is_empty(), "{d:?}");

    // Move Initech's licence into acme_to_globex's exclusive field.
    let (line, col) = pos(OTHER, "robotics.industrial", 9);
    c.change(&w.other, 2, (line, col), (line, col + 10), "consumer");
    let p = c.wait_notification("textDocument/publishDiagnostics", |p| {
        (p["uri"] == w.deal.as_str() || p["uri"] == w.other.as_str())
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x["code"] == "E0301"))
    });
    let conflict = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "E0301")
        .unwrap()
        .clone();
    let here = p["uri"].as_str().unwrap().to_string();
    let there = if here == w.deal { &w.other } else { &w.deal };
    let related = conflict["relatedInformation"]
        .as_array()
        .expect("related information");
    assert!(
        related
            .iter()
            .any(|r| r["location"]["uri"] == there.as_str()),
        "{conflict}"
    );
    assert!(w.client.shutdown().success());
}

#[test]
fn an_unsaved_registry_change_is_seen_before_it_is_saved() {
    let mut w = workspace();
    let c = &mut w.client;
    // The registry on disk stays as it is; only the editor's buffer has the new party.
    c.open(&w.registry, 1, REGISTRY);
    let uses_initrode = DEAL.replace("globex -> acme", "initrode -> acme");
    c.open(&w.deal, 1, &uses_initrode);
    let d = c.diagnostics(&w.deal, 1);
    assert!(codes(&d).contains(&"E0101".to_string()), "{d:?}");
    c.change(
        &w.registry,
        2,
        (3, 0),
        (3, 0),
        "party initrode \"Initrode AG\"\n",
    );
    let d = c.diagnostics_where(&w.deal, |d| !d.iter().any(|x| x["code"] == "E0101"));
    assert!(!codes(&d).contains(&"E0101".to_string()), "{d:?}");
    assert!(w.client.shutdown().success());
}
