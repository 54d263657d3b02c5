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

/// A client that can watch files dynamically gets a `**/*.xlic` watcher; the server
/// announces save notifications; a registry changed on disk (a `git checkout`, another
/// program) is read again when the client reports it, by a watched-file event or a
/// save, and the agreement that imports it is checked again.
#[test]
fn files_changed_on_disk_are_seen_after_a_watch_event_or_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("registry.xlic"), REGISTRY).unwrap();
    std::fs::write(root.join("deal.xlic"), DEAL).unwrap();
    let registry = file_uri(&root.join("registry.xlic"));
    let deal = file_uri(&root.join("deal.xlic"));
    let (mut c, init) = Client::initialized_with(
        Some(&root),
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["save"],
        json!(true),
        "{init}"
    );
    let reg = c.wait_server_request("client/registerCapability");
    let r = &reg["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        r["registerOptions"]["watchers"][0]["globPattern"],
        "**/*.xlic"
    );

    c.open(&deal, 1, DEAL);
    assert!(c.diagnostics(&deal, 1).is_empty());
    // Another program removes `party globex` from the registry on disk.
    std::fs::write(
        root.join("registry.xlic"),
        REGISTRY.replace("party globex \"Globex Corporation\"\n", ""),
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": registry, "type": 2 }] }),
    );
    let d = c.diagnostics_where(&deal, |d| d.iter().any(|x| x["code"] == "E0101"));
    assert!(codes(&d).contains(&"E0101".to_string()), "{d:?}");

    // Put it back and report a save of the registry (as an editor does after `:w`).
    std::fs::write(root.join("registry.xlic"), REGISTRY).unwrap();
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": registry } }),
    );
    let d = c.diagnostics_where(&deal, <[Value]>::is_empty);
    assert!(d.is_empty());
    assert!(c.shutdown().success());
}

/// A client without dynamic registration is not asked to watch anything.
#[test]
fn no_watcher_is_registered_without_client_support() {
    let (mut c, _) = Client::initialized(None);
    c.open("untitled:a.xlic", 1, "party acme \"Acme\"\n");
    c.diagnostics("untitled:a.xlic", 1);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "untitled:a.xlic" } }),
    );
    assert!(r.is_array());
    assert!(c.server_requests.is_empty(), "{:?}", c.server_requests);
    assert!(c.shutdown().success());
}

/// `import "registry.xlic"` is a link to the registry; definition on the path goes to
/// the registry's first line, and hover says what the registry declares. A path that
/// does not load is no link.
#[test]
fn imports_are_links_with_definition_and_hover() {
    let mut w = workspace();
    let c = &mut w.client;
    let with_missing = format!("import \"missing.xlic\"\n{DEAL}");
    c.open(&w.deal, 1, &with_missing);
    let links = c.request(
        "textDocument/documentLink",
        json!({ "textDocument": { "uri": w.deal } }),
    );
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0]["target"], w.registry.as_str());
    // The range is the path string, quotes included, on the second line.
    assert_eq!(
        links[0]["range"],
        json!({ "start": { "line": 1, "character": 7 }, "end": { "line": 1, "character": 22 } })
    );

    let on_path = tdp(&w.deal, pos(&with_missing, "registry.xlic", 3));
    let def = c.request("textDocument/definition", on_path.clone());
    assert_eq!(def["uri"], w.registry.as_str());
    assert_eq!(def["range"]["start"], json!({ "line": 0, "character": 0 }));

    let hover = c.request("textDocument/hover", on_path);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("registry.xlic"), "{text}");
    assert!(
        text.contains("2 parties")
            && text.contains("2 assets")
            && text.contains("1 top-level field"),
        "{text}"
    );
    // Nothing on the path that did not load.
    let missing = tdp(&w.deal, pos(&with_missing, "missing.xlic", 2));
    assert!(c.request("textDocument/definition", missing).is_null());
    assert!(w.client.shutdown().success());
}

/// The locations of `uri` in a list of locations (or a rename's `changes`).
fn in_file<'a>(locations: &'a [Value], uri: &str) -> Vec<&'a Value> {
    locations.iter().filter(|l| l["uri"] == uri).collect()
}

/// Only the registry is open: the workspace index still finds the agreements on disk
/// that use its names. References and rename reach them, workspace symbols list them,
/// a change to the registry re-checks them, and a file created later is indexed once
/// the client reports it.
#[test]
fn the_workspace_index_reaches_files_that_are_not_open() {
    let mut w = workspace();
    let c = &mut w.client;
    c.open(&w.registry, 1, REGISTRY);
    assert!(c.diagnostics(&w.registry, 1).is_empty());
    let decl = tdp(&w.registry, pos(REGISTRY, "asset acme_motion", 6));

    // References (the index is built in the background: wait for it).
    let deadline = std::time::Instant::now() + TIMEOUT;
    let refs = loop {
        let refs = c.request(
            "textDocument/references",
            json!({ "textDocument": decl["textDocument"], "position": decl["position"],
                    "context": { "includeDeclaration": false } }),
        );
        let refs = refs.as_array().cloned().unwrap_or_default();
        if !in_file(&refs, &w.other).is_empty() || std::time::Instant::now() > deadline {
            break refs;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(in_file(&refs, &w.deal).len(), 1, "{refs:?}");
    assert_eq!(in_file(&refs, &w.other).len(), 1, "{refs:?}");

    // Rename edits the closed files too.
    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": decl["textDocument"], "position": decl["position"],
                "newName": "acme_actuators" }),
    );
    let changes = &edit["changes"];
    for (uri, text) in [(&w.registry, REGISTRY), (&w.deal, DEAL), (&w.other, OTHER)] {
        let edits = changes[uri.as_str()]
            .as_array()
            .unwrap_or_else(|| panic!("no edit in {uri}: {edit}"));
        let after = apply_edits(text, edits);
        assert!(
            after.contains("acme_actuators") && !after.contains("acme_motion"),
            "{after}"
        );
    }

    // Workspace symbols: by a fuzzy query, with the declaring file.
    let found = c.request("workspace/symbol", json!({ "query": "initech" }));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["name"], "initech");
    assert_eq!(found[0]["location"]["uri"], w.other.as_str());
    let fuzzy = c.request("workspace/symbol", json!({ "query": "acmo" }));
    assert_eq!(fuzzy[0]["name"], "acme_motion", "{fuzzy}");

    // Removing `party globex` from the open registry: the closed agreement that uses
    // it gets its diagnostics.
    c.change(&w.registry, 2, (2, 0), (3, 0), "");
    let d = c.diagnostics_where(&w.deal, |d| d.iter().any(|x| x["code"] == "E0101"));
    assert!(
        d.iter()
            .any(|x| x["message"].as_str().unwrap().contains("globex")),
        "{d:?}"
    );

    // A new agreement on disk, reported as created: it is indexed.
    let root = std::path::Path::new(w.registry.trim_start_matches("file://"))
        .parent()
        .unwrap()
        .to_path_buf();
    let third = root.join("sub").join("third.xlic");
    std::fs::create_dir_all(third.parent().unwrap()).unwrap();
    std::fs::write(
        &third,
        "import \"../registry.xlic\"\n\nparty hooli \"Hooli\"\n",
    )
    .unwrap();
    let third_uri = file_uri(&third);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": third_uri, "type": 1 }] }),
    );
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        let found = c.request("workspace/symbol", json!({ "query": "hooli" }));
        if found.as_array().is_some_and(|f| f.len() == 1) {
            assert_eq!(found[0]["location"]["uri"], third_uri.as_str());
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new file was not indexed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(w.client.shutdown().success());
}

/// A workspace folder added after `initialize` is indexed; a removed one is dropped.
#[test]
fn workspace_folder_changes_are_indexed() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (a, b) = (
        std::fs::canonicalize(a.path()).unwrap(),
        std::fs::canonicalize(b.path()).unwrap(),
    );
    std::fs::write(a.join("a.xlic"), "party alpha \"Alpha\"\n").unwrap();
    std::fs::write(b.join("b.xlic"), "party beta \"Beta\"\n").unwrap();
    let (mut c, init) = Client::initialized(Some(&a));
    assert_eq!(
        init["capabilities"]["workspace"]["workspaceFolders"],
        json!({ "supported": true, "changeNotifications": true })
    );
    let names = |c: &mut Client| -> Vec<String> {
        let found = c.request("workspace/symbol", json!({ "query": "" }));
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let wait_for = |c: &mut Client, want: &[&str]| {
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            let now = names(c);
            if now == want {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{now:?}, want {want:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    wait_for(&mut c, &["alpha"]);
    let folder = |p: &std::path::Path| json!([{ "uri": file_uri(p), "name": "f" }]);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": folder(&b), "removed": [] } }),
    );
    wait_for(&mut c, &["alpha", "beta"]);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [], "removed": folder(&a) } }),
    );
    wait_for(&mut c, &["beta"]);
    assert!(c.shutdown().success());
}
