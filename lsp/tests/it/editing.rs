//! Snippet completions, semantic tokens by range and delta, selection ranges, document
//! highlights, range formatting, links to the explanation of diagnostic codes and
//! pull diagnostics, through the real binary over stdio.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use serde_json::{json, Value};

const ACME: &str = "acme_globex.xlic";

fn open_acme(c: &mut Client) -> (String, String) {
    let uri = example_uri(ACME);
    let text = example(ACME);
    c.open(&uri, 1, &text);
    (uri, text)
}

#[test]
fn block_snippets_replace_the_word_typed_for_clients_that_expand_them() {
    let caps = json!({ "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } } });
    let (mut c, _) = Client::initialized_with(None, caps);
    let (uri, text) = open_acme(&mut c);
    c.diagnostics(&uri, 1);
    // Type `gra` on a new last line.
    let lines = text.lines().count() as u32;
    c.change(&uri, 2, (lines, 0), (lines, 0), "gra");
    let r = c.request("textDocument/completion", tdp(&uri, (lines, 3)));
    let items = r.as_array().unwrap();
    let grant = items
        .iter()
        .find(|i| i["label"] == "grant" && i["kind"] == 15)
        .unwrap_or_else(|| panic!("no grant snippet: {r}"));
    assert_eq!(grant["insertTextFormat"], 2);
    assert_eq!(
        grant["textEdit"]["range"],
        json!({ "start": { "line": lines, "character": 0 }, "end": { "line": lines, "character": 3 } })
    );
    let body = grant["textEdit"]["newText"].as_str().unwrap();
    assert!(
        body.starts_with("grant ${1:name}: ${2|acme,acme_de,globex,globex_uk|}"),
        "{body}"
    );
    assert!(c.shutdown().success());

    // A client without snippet support gets the keywords only.
    let (mut c, _) = Client::initialized(None);
    let (uri, _) = open_acme(&mut c);
    let r = c.request("textDocument/completion", tdp(&uri, (lines, 0)));
    let items = r.as_array().unwrap();
    assert!(items.iter().any(|i| i["label"] == "grant"));
    assert!(
        items
            .iter()
            .all(|i| i.get("textEdit").is_none() && i["kind"] != 15),
        "{r}"
    );
    assert!(c.shutdown().success());
}

/// Decodes the relative integers into absolute (line, start, length, type) tuples.
fn decode(data: &[Value]) -> Vec<(u64, u64, u64, u64)> {
    let mut out = Vec::new();
    let (mut line, mut col) = (0, 0);
    for t in data.chunks(5) {
        let (dl, ds) = (t[0].as_u64().unwrap(), t[1].as_u64().unwrap());
        line += dl;
        col = if dl == 0 { col + ds } else { ds };
        out.push((line, col, t[2].as_u64().unwrap(), t[3].as_u64().unwrap()));
    }
    out
}

#[test]
fn semantic_tokens_by_range_and_by_delta_agree_with_the_full_set() {
    let (mut c, _) = Client::initialized(None);
    let (uri, text) = open_acme(&mut c);
    let doc = json!({ "textDocument": { "uri": uri } });
    let full = c.request("textDocument/semanticTokens/full", doc.clone());
    let all = decode(full["data"].as_array().unwrap());
    let id = full["resultId"].as_str().unwrap().to_string();

    // A range: exactly the tokens on those lines, positions still absolute.
    let range = c.request(
        "textDocument/semanticTokens/range",
        json!({ "textDocument": { "uri": uri }, "range": {
            "start": { "line": 43, "character": 0 }, "end": { "line": 46, "character": 0 } } }),
    );
    let part = decode(range["data"].as_array().unwrap());
    let want: Vec<_> = all
        .iter()
        .copied()
        .filter(|t| (43..46).contains(&t.0))
        .collect();
    assert!(!part.is_empty());
    assert_eq!(part, want);

    // Rename a party on line 9 (`party acme` → `party acmex` would not resolve; add a
    // comment instead): one edit that turns the old set into the new.
    let (l, col) = pos(&text, "party globex", 0);
    c.change(&uri, 2, (l, col), (l, col), "/* x */ ");
    let delta = c.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    let edits = delta["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{delta}");
    let mut flat: Vec<Value> = full["data"].as_array().unwrap().clone();
    let e = &edits[0];
    let (start, count) = (
        e["start"].as_u64().unwrap() as usize,
        e["deleteCount"].as_u64().unwrap() as usize,
    );
    assert!(count < flat.len() / 2, "the edit is not the whole set: {e}");
    let data = e["data"].as_array().cloned().unwrap_or_default();
    flat.splice(start..start + count, data);
    let now = c.request("textDocument/semanticTokens/full", doc);
    assert_eq!(Value::Array(flat), now["data"]);
    // An unknown id: the whole set.
    let r = c.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": uri }, "previousResultId": "nope" }),
    );
    assert!(r["data"].is_array(), "{r}");
    assert!(c.shutdown().success());
}

#[test]
fn selection_ranges_and_highlights() {
    let (mut c, _) = Client::initialized(None);
    let (uri, text) = open_acme(&mut c);
    let p = pos(&text, "robotics.consumer except", 2);
    let r = c.request(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri }, "positions": [{ "line": p.0, "character": p.1 }] }),
    );
    let mut node = &r[0];
    let mut widths = Vec::new();
    while node.is_object() {
        let s = &node["range"]["start"];
        let e = &node["range"]["end"];
        widths.push((
            s["line"].as_u64().unwrap(),
            s["character"].as_u64().unwrap(),
            e["line"].as_u64().unwrap(),
            e["character"].as_u64().unwrap(),
        ));
        node = &node["parent"];
    }
    assert!(widths.len() >= 5, "{r}");
    // The innermost is the word `robotics`, the outermost the whole document.
    assert_eq!(
        widths[0],
        (p.0 as u64, p.1 as u64 - 2, p.0 as u64, p.1 as u64 + 6)
    );
    assert_eq!((widths.last().unwrap().0, widths.last().unwrap().1), (0, 0));

    let h = c.request(
        "textDocument/documentHighlight",
        tdp(&uri, pos(&text, "party globex", 7)),
    );
    let h = h.as_array().unwrap();
    assert!(h.len() >= 4, "{h:?}");
    assert_eq!(
        h.iter().filter(|x| x["kind"] == 3).count(),
        1,
        "one write (the declaration)"
    );
    assert!(h.iter().filter(|x| x["kind"] == 2).count() >= 3);
    assert!(c.shutdown().success());
}

#[test]
fn range_formatting_touches_only_the_lines_asked_for() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:fmt.xlic";
    let text = "party   a \"A\"\nparty    b \"B\"\nparty  c \"C\"\n";
    c.open(uri, 1, text);
    let r = c.request(
        "textDocument/rangeFormatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true },
                "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 3 } } }),
    );
    let after = apply_edits(text, r.as_array().unwrap());
    assert_eq!(after, "party   a \"A\"\nparty b \"B\"\nparty  c \"C\"\n");
    assert!(c.shutdown().success());
}

#[test]
fn diagnostics_link_to_their_explanation_and_can_be_pulled() {
    // Pushed, with the default link and then a configured one.
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:bad.xlic";
    c.open(uri, 1, "asset x: know-how of nobody\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(d[0]["code"], "E0101");
    // The code's own page, the one SARIF's `helpUri` names too.
    assert_eq!(
        d[0]["codeDescription"]["href"],
        "https://github.com/xlic/xlic/blob/main/src/diagnostics/codes/E0101.md",
        "{d:?}"
    );
    assert!(c.shutdown().success());

    let mut c = Client::start();
    let init = c.request(
        "initialize",
        json!({ "processId": null, "rootUri": null,
                "initializationOptions": { "codeDocs": "https://example.test/codes/{code}" },
                "capabilities": {
                    "textDocument": { "diagnostic": { "dynamicRegistration": false } },
                    "workspace": { "diagnostics": { "refreshSupport": true } } } }),
    );
    c.notify("initialized", json!({}));
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    c.open(uri, 1, "asset x: know-how of nobody\n");
    let r = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(r["kind"], "full");
    assert_eq!(r["items"][0]["code"], "E0101");
    assert_eq!(
        r["items"][0]["codeDescription"]["href"],
        "https://example.test/codes/E0101"
    );
    let id = r["resultId"].as_str().unwrap().to_string();
    let again = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    // The server asks the client to pull again after an analysis.
    c.wait_server_request("workspace/diagnostic/refresh");
    assert!(c.shutdown().success());
}
