//! Every feature of the server, through the real binary over stdio, on the examples.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use serde_json::{json, Value};

const ACME: &str = "acme_globex.xlic";

/// A server with the Acme / Globex example open and analysed.
fn with_acme() -> (Client, String, String) {
    let (mut c, _) = Client::initialized(None);
    let uri = example_uri(ACME);
    let text = example(ACME);
    c.open(&uri, 1, &text);
    let diags = c.diagnostics(&uri, 1);
    assert!(diags.is_empty(), "{diags:?}");
    (c, uri, text)
}

fn labels(result: &Value) -> Vec<String> {
    let items = match result {
        Value::Array(a) => a.clone(),
        other => other["items"].as_array().cloned().unwrap_or_default(),
    };
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn hover_text(c: &mut Client, uri: &str, p: (u32, u32)) -> String {
    let r = c.request("textDocument/hover", tdp(uri, p));
    r["contents"]["value"].as_str().unwrap_or("").to_string()
}

#[test]
fn initialize_reports_capabilities() {
    let (c, result) = Client::initialized(None);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "inlayHintProvider",
        "foldingRangeProvider",
    ] {
        assert_eq!(caps[cap], true, "{cap}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert!(caps["completionProvider"]["triggerCharacters"].is_array());
    assert!(caps["semanticTokensProvider"]["legend"]["tokenTypes"].is_array());
    assert_eq!(
        caps["semanticTokensProvider"]["full"],
        json!({ "delta": true })
    );
    assert_eq!(caps["semanticTokensProvider"]["range"], true);
    for cap in [
        "documentHighlightProvider",
        "selectionRangeProvider",
        "documentRangeFormattingProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(caps[cap], true, "{cap}");
    }
    // Pull diagnostics only for a client that asks for them.
    assert!(caps.get("diagnosticProvider").is_none(), "{caps}");
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"][0], "quickfix");
    assert_eq!(result["serverInfo"]["name"], "xlic-lsp");
    assert!(c.shutdown().success());
}

#[test]
fn every_example_opens_without_diagnostics() {
    let (mut c, _) = Client::initialized(None);
    for name in [
        "acme_globex.xlic",
        "bilateral_license.xlic",
        "patent_pool.xlic",
        "semiconductor_cross_license.xlic",
    ] {
        let uri = example_uri(name);
        c.open(&uri, 1, &example(name));
        let diags = c.diagnostics(&uri, 1);
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }
    assert!(c.shutdown().success());
}

#[test]
fn typo_after_en_dash_and_emoji_gets_e0101_at_utf16_range_and_a_fix() {
    let (mut c, uri, text) = with_acme();
    // 1. Put a block comment with an en dash and an emoji before the asset list.
    let (line, col) = pos(&text, "assets acme_motion, acme_firmware", 7);
    let comment = "/* Acme–Globex 😀 */ ";
    c.change(&uri, 2, (line, col), (line, col), comment);
    let mut now = text.replacen(
        "assets acme_motion, acme_firmware",
        &format!("assets {comment}acme_motion, acme_firmware"),
        1,
    );
    // 2. On that line, after the emoji, misspell the asset (positions in UTF-16).
    let (l2, c2) = pos(&now, "acme_motion, acme_firmware", 0);
    assert_eq!(l2, line);
    // "  assets " (9) + comment in UTF-16 (the emoji counts 2, the dash 1).
    let comment_units: u32 = comment.chars().map(|ch| ch.len_utf16() as u32).sum();
    assert_eq!(c2, 9 + comment_units);
    assert_ne!(
        comment_units as usize,
        comment.len(),
        "UTF-16 differs from bytes"
    );
    c.change(&uri, 3, (l2, c2 + 5), (l2, c2 + 11), "motoin");
    now = now.replacen(
        "acme_motion, acme_firmware",
        "acme_motoin, acme_firmware",
        1,
    );

    let diags = c.diagnostics(&uri, 3);
    let d = diags
        .iter()
        .find(|d| d["code"] == "E0101")
        .unwrap_or_else(|| panic!("no E0101 in {diags:?}"));
    assert_eq!(d["range"]["start"], json!({ "line": l2, "character": c2 }));
    assert_eq!(
        d["range"]["end"],
        json!({ "line": l2, "character": c2 + 11 })
    );
    assert!(d["message"].as_str().unwrap().contains("acme_motoin"));
    assert_eq!(d["severity"], 1);

    // The server's text is the client's.
    let doc = c.request("xlic/documentText", json!({ "uri": uri }));
    assert_eq!(doc["text"], now.as_str());
    assert_eq!(doc["version"], 3);

    // The quick fix applies the suggested name.
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": d["range"],
            "context": { "diagnostics": [d] }
        }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "E0101");
    let edits = action["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits[0]["newText"], "acme_motion");
    let fixed = apply_edits(&now, edits);
    assert!(fixed.contains(&format!("{comment}acme_motion, acme_firmware")));
    assert!(c.shutdown().success());
}

#[test]
fn hover_on_grant_iso_code_date_and_computed_term() {
    let (mut c, uri, text) = with_acme();
    let h = hover_text(&mut c, &uri, pos(&text, "grant acme_to_globex", 8));
    assert!(h.contains("acme_to_globex"), "{h}");
    assert!(h.contains("Effective scope"), "{h}");
    assert!(h.contains("exclusive"), "{h}");
    assert!(h.contains("Acme Robotics, Inc."), "{h}");

    let h = hover_text(&mut c, &uri, pos(&text, "[CN, RU]", 5));
    assert!(h.contains("Russia"), "{h}");

    let h = hover_text(&mut c, &uri, pos(&text, "2026-01-01 until 2031", 3));
    assert!(h.contains("1 January 2026"), "{h}");

    let h = hover_text(&mut c, &uri, pos(&text, "for 7 years", 5));
    assert!(h.contains("1 January 2033"), "{h}");

    // Nothing to say in white space.
    let r = c.request("textDocument/hover", tdp(&uri, (0, 0)));
    assert!(r.is_null() || r["contents"]["value"].is_string());
    assert!(c.shutdown().success());
}

#[test]
fn hover_explains_a_diagnostic_code_in_a_comment() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:notes.xlic";
    let text = format!(
        "{}\n// E0301: why an exclusive grant may not overlap\n",
        example(ACME)
    );
    c.open(uri, 1, &text);
    let h = hover_text(&mut c, uri, pos(&text, "E0301", 2));
    assert!(h.starts_with("**E0301**"), "{h}");
    assert!(h.contains("Wrong"), "{h}");
    assert!(c.shutdown().success());
}

#[test]
fn definition_and_references_of_a_party() {
    let (mut c, uri, text) = with_acme();
    let use_site = pos(&text, "-> globex {", 4);
    let def = c.request("textDocument/definition", tdp(&uri, use_site));
    let decl = pos(&text, "party globex", 6);
    assert_eq!(def["uri"], uri.as_str());
    assert_eq!(
        def["range"]["start"],
        json!({ "line": decl.0, "character": decl.1 })
    );
    assert_eq!(
        def["range"]["end"],
        json!({ "line": decl.0, "character": decl.1 + 6 })
    );

    let mut params = tdp(&uri, use_site);
    params["context"] = json!({ "includeDeclaration": true });
    let refs = c.request("textDocument/references", params.clone());
    let refs = refs.as_array().unwrap();
    // declaration, owner of globex_lidar, two grants, the grant-back, the audit
    assert_eq!(refs.len(), 6, "{refs:?}");
    assert!(refs.iter().all(|r| r["uri"] == uri.as_str()));
    params["context"] = json!({ "includeDeclaration": false });
    let refs = c.request("textDocument/references", params);
    assert_eq!(refs.as_array().unwrap().len(), 5);
    assert!(c.shutdown().success());
}

#[test]
fn rename_a_party_and_refuse_a_taken_name() {
    let (mut c, uri, text) = with_acme();
    let at = pos(&text, "party globex", 7);
    let prep = c.request("textDocument/prepareRename", tdp(&uri, at));
    assert_eq!(prep["start"]["line"], at.0);

    let mut params = tdp(&uri, at);
    params["newName"] = json!("initech");
    let edit = c.request("textDocument/rename", params.clone());
    let edits = edit["changes"][&uri].as_array().unwrap();
    // the audit clause names globex too
    assert_eq!(edits.len(), 6);
    let renamed = apply_edits(&text, edits);
    for want in [
        "party initech \"Globex Corporation\"",
        "patent family of initech {",
        "acme -> initech {",
        "grant globex_to_acme: initech -> acme and affiliates {",
        "grant back initech -> acme {",
        "audit acme of initech {",
    ] {
        assert!(renamed.contains(want), "{want}: {renamed}");
    }

    for taken in ["acme", "acme_de", "grant", "2fast"] {
        params["newName"] = json!(taken);
        let r = c.request_raw("textDocument/rename", params.clone());
        let message = r["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{taken}: {r}"));
        assert!(message.contains(taken), "{message}");
    }
    assert!(c.shutdown().success());
}

#[test]
fn completion_knows_the_context() {
    let (mut c, uri, text) = with_acme();
    // After `-> `: parties.
    let (line, col) = pos(&text, "acme -> globex {", 8);
    c.change(&uri, 2, (line, col), (line, col + 6), "");
    let now = text.replacen("acme -> globex {", "acme ->  {", 1);
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "acme ->  {", 8)),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"globex".into()) && l.contains(&"acme_de".into()),
        "{l:?}"
    );
    assert!(!l.contains(&"acme_motion".into()), "{l:?}");

    // After `field `: field paths; after `robotics.`: its children.
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "field robotics.consumer except", 6)),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"robotics.consumer.lawn".into()) && l.contains(&"automotive".into()),
        "{l:?}"
    );
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "field robotics.consumer except", 15)),
    );
    let l = labels(&r);
    assert_eq!(l, vec!["industrial".to_string(), "consumer".to_string()]);

    // After `territory [`: ISO codes with country names.
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "territory [US]", 11)),
    );
    let items = r.as_array().unwrap();
    let de = items.iter().find(|i| i["label"] == "DE").expect("DE");
    assert_eq!(de["detail"], "Germany");
    assert!(!labels(&r).contains(&"worldwide".into()));
    // After `territory `: codes, groups and the built-in groups.
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "territory worldwide except", 10)),
    );
    let l = labels(&r);
    for want in ["dach", "worldwide", "EU", "EEA", "CH"] {
        assert!(l.contains(&want.to_string()), "{want}: {l:?}");
    }
    // After `assets `: asset names.
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "assets globex_lidar", 7)),
    );
    assert!(labels(&r).contains(&"acme_core".into()));
    // Otherwise, keywords of the clause.
    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "  rights make", 2)),
    );
    let l = labels(&r);
    assert!(
        l.contains(&"sublicense".into()) && l.contains(&"territory".into()),
        "{l:?}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn document_symbols_outline_the_file() {
    let (mut c, uri, _) = with_acme();
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let syms = r.as_array().unwrap();
    let names: Vec<&str> = syms.iter().map(|s| s["name"].as_str().unwrap()).collect();
    for want in [
        "Acme–Globex Patent Cross-License",
        "acme",
        "globex",
        "fields",
        "dach",
        "acme_motion",
        "acme_to_globex",
        "globex_to_acme",
        "research",
        "improvements on acme_motion",
        "sunset acme_to_globex",
    ] {
        assert!(names.contains(&want), "{want}: {names:?}");
    }
    let acme = syms.iter().find(|s| s["name"] == "acme").unwrap();
    assert_eq!(acme["children"][0]["name"], "acme_de");
    let fields = syms.iter().find(|s| s["name"] == "fields").unwrap();
    assert_eq!(
        fields["children"][0]["children"][1]["children"][0]["name"],
        "vacuum"
    );
    let motion = syms.iter().find(|s| s["name"] == "acme_motion").unwrap();
    assert_eq!(motion["children"].as_array().unwrap().len(), 2, "patents");
    let imp = syms
        .iter()
        .find(|s| s["name"] == "improvements on acme_motion")
        .unwrap();
    assert_eq!(imp["children"][0]["name"], "grant back globex -> acme");
    assert!(c.shutdown().success());
}

#[test]
fn formatting_is_xlic_fmt() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:messy.xlic";
    let messy = example(ACME)
        .replace("  assets acme_motion", "assets    acme_motion")
        .replace("party globex", "party   globex");
    c.open(uri, 1, &messy);
    let r = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply_edits(&messy, r.as_array().unwrap());
    assert_eq!(formatted, xlic::fmt::format_source(&messy).unwrap());
    assert_eq!(formatted, example(ACME));
    // An already formatted document needs no edit.
    let uri2 = example_uri(ACME);
    c.open(&uri2, 1, &example(ACME));
    let r = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri2 }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(r, json!([]));
    assert!(c.shutdown().success());
}

#[test]
fn semantic_tokens_classify_names_and_literals() {
    let (mut c, uri, text) = with_acme();
    let r = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data: Vec<u64> = r["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // Decode to (line, col, len, type, mods).
    let mut tokens = Vec::new();
    let (mut line, mut col) = (0u64, 0u64);
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0];
            col = t[1];
        } else {
            col += t[1];
        }
        tokens.push((line, col, t[2], t[3], t[4]));
    }
    let find = |needle: &str, skip: usize| {
        let (l, cc) = pos(&text, needle, skip);
        *tokens
            .iter()
            .find(|t| t.0 == u64::from(l) && t.1 == u64::from(cc))
            .unwrap_or_else(|| panic!("no token at `{needle}`"))
    };
    // legend: keyword 0, string 1, number 2, comment 3, operator 4, class 5, variable 6,
    // property 7, enum 8, enumMember 9, function 10, event 11
    assert_eq!(find("grant acme_to_globex", 0).3, 0);
    let decl = find("grant acme_to_globex", 6);
    assert_eq!((decl.3, decl.4 & 1), (10, 1), "grant name, declaration");
    assert_eq!(find("party acme ", 6).3, 5);
    assert_eq!(find("[CN, RU]", 1).3, 9);
    assert_eq!(find("robotics.consumer except", 9).3, 7);
    assert_eq!(find("\"Acme Robotics, Inc.\"", 0).3, 1);
    let date = find("2026-01-01 until", 0);
    assert_eq!((date.3, date.4 & 4), (2, 4));
    assert_eq!(find("// Acme / Globex", 0).3, 3);
    // The en dash in the title counts one UTF-16 unit.
    let title = find("\"Acme–Globex", 0);
    assert_eq!(
        title.2,
        "\"Acme–Globex Patent Cross-License\"".chars().count() as u64
    );
    assert!(c.shutdown().success());
}

#[test]
fn inlay_hints_show_computed_dates() {
    let (mut c, uri, text) = with_acme();
    let r = c.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 999, "character": 0 } } }),
    );
    let hints = r.as_array().unwrap();
    let at = |needle: &str| {
        let (l, cc) = pos(&text, needle, needle.chars().count());
        hints
            .iter()
            .find(|h| h["position"] == json!({ "line": l, "character": cc }))
            .map(|h| h["label"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no hint after `{needle}`: {hints:?}"))
    };
    assert_eq!(at("term 10 years"), "→ 2036-01-01");
    assert_eq!(at("for 7 years"), "→ 2033-01-01");
    assert_eq!(at("sunset after 3 years"), "→ 2029-01-01");
    assert_eq!(at("wind down 180 days"), "→ 2031-06-30");
    assert!(c.shutdown().success());
}

#[test]
fn folding_ranges_cover_blocks_and_comment_runs() {
    let (mut c, uri, text) = with_acme();
    let r = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    let ranges = r.as_array().unwrap();
    let grant = pos(&text, "grant acme_to_globex", 0).0;
    let close = pos(&text, "royalty 2.5%", 0).0; // last line inside the block
    assert!(
        ranges
            .iter()
            .any(|f| f["startLine"] == grant && f["endLine"] == close && f["kind"] == "region"),
        "{ranges:?}"
    );
    let fields = pos(&text, "fields {", 0).0;
    assert!(ranges.iter().any(|f| f["startLine"] == fields));
    // The pool example opens with a run of seven comment lines.
    let pool = example_uri("patent_pool.xlic");
    c.open(&pool, 1, &example("patent_pool.xlic"));
    let r = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": pool } }),
    );
    let ranges = r.as_array().unwrap();
    assert!(
        ranges
            .iter()
            .any(|f| f["kind"] == "comment" && f["startLine"] == 0 && f["endLine"] == 6),
        "{ranges:?}"
    );
    assert!(c.shutdown().success());
}

#[test]
fn code_actions_add_a_sunset_and_remove_an_idle_except() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:fixes.xlic";
    let text = example(ACME)
        .replace("    sunset after 3 years\n", "")
        .replace(
            "territory worldwide except [CN, RU]",
            "territory [DE, FR] except [CN]",
        );
    c.open(uri, 1, &text);
    let diags = c.diagnostics(uri, 1);
    let w0403 = diags
        .iter()
        .find(|d| d["code"] == "W0403")
        .expect("W0403")
        .clone();
    let w0406 = diags
        .iter()
        .find(|d| d["code"] == "W0406")
        .expect("W0406")
        .clone();
    assert_eq!(w0406["severity"], 2);
    for (d, check) in [
        (w0403, "    royalty-free\n    sunset after 3 years\n  }"),
        (w0406, "  territory [DE, FR]\n"),
    ] {
        let actions = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        let edits = actions[0]["edit"]["changes"][uri]
            .as_array()
            .unwrap()
            .clone();
        let fixed = apply_edits(&text, &edits);
        assert!(fixed.contains(check), "{fixed}");
    }
    assert!(c.shutdown().success());
}

#[test]
fn a_broken_document_keeps_diagnostics_symbols_hover_and_completion() {
    let (mut c, uri, text) = with_acme();
    // Break the second grant's header.
    let (line, col) = pos(&text, "globex -> acme and affiliates {", 0);
    c.change(&uri, 2, (line, col), (line, col + 31), "globex -> ");
    let now = text.replacen("globex -> acme and affiliates {", "globex -> ", 1);
    let diags = c.diagnostics(&uri, 2);
    assert!(
        diags
            .iter()
            .any(|d| d["code"].as_str().unwrap().starts_with("E00")),
        "{diags:?}"
    );

    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<String> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"acme_to_globex".to_string()), "{names:?}");
    assert!(
        names.contains(&"sunset acme_to_globex".to_string()),
        "{names:?}"
    );

    let h = hover_text(&mut c, &uri, pos(&now, "grant acme_to_globex", 8));
    assert!(h.contains("acme_to_globex"), "{h}");

    let r = c.request(
        "textDocument/completion",
        tdp(&uri, pos(&now, "globex -> ", 10)),
    );
    assert!(labels(&r).contains(&"acme".to_string()), "{r}");
    assert!(c.shutdown().success());
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:scratch.xlic";
    c.open(uri, 1, "party acme \"Acme\"\nasset a: patent of nobody\n");
    let d = c.diagnostics(uri, 1);
    assert_eq!(d.len(), 1, "{d:?}");
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let d = c.diagnostics_where(uri, <[Value]>::is_empty);
    assert!(d.is_empty());
    assert!(c.shutdown().success());
}

/// reach (issue 15/20): a standard's name navigates like any other name: from an
/// asset's `essential to` and a grant's `for standard` to its declaration, and back
/// to every use; highlights, hover and rename cover the same places.
#[test]
fn standards_navigate_rename_highlight_and_hover() {
    const POOL: &str = "patent_pool.xlic";
    let (mut c, _) = Client::initialized(None);
    let uri = example_uri(POOL);
    let text = example(POOL);
    c.open(&uri, 1, &text);
    assert!(c.diagnostics(&uri, 1).is_empty());
    let uses =
        text.matches("essential to aurora").count() + text.matches("for standard aurora").count();
    assert!(uses >= 2, "the example uses the standard");

    let decl = pos(&text, "standard aurora \"", 9);
    for use_site in [
        pos(&text, "essential to aurora", 13),
        pos(&text, "for standard aurora", 13),
    ] {
        let def = c.request("textDocument/definition", tdp(&uri, use_site));
        assert_eq!(def["uri"], uri.as_str());
        assert_eq!(
            def["range"]["start"],
            json!({ "line": decl.0, "character": decl.1 })
        );
        assert_eq!(
            def["range"]["end"],
            json!({ "line": decl.0, "character": decl.1 + 6 })
        );
    }

    let mut params = tdp(&uri, pos(&text, "for standard aurora", 13));
    params["context"] = json!({ "includeDeclaration": true });
    let refs = c.request("textDocument/references", params);
    assert_eq!(refs.as_array().unwrap().len(), uses + 1, "{refs}");

    let h = c.request("textDocument/documentHighlight", tdp(&uri, decl));
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), uses + 1, "{h:?}");
    assert_eq!(h.iter().filter(|x| x["kind"] == 3).count(), 1);

    let hover = hover_text(&mut c, &uri, pos(&text, "essential to aurora", 14));
    assert!(hover.contains("**standard** `aurora`"), "{hover}");
    assert!(
        hover.contains("Aurora Video Coding Specification, version 1.0"),
        "{hover}"
    );
    assert!(hover.contains("`lumen_family` (FRAND)"), "{hover}");

    let mut params = tdp(&uri, decl);
    params["newName"] = json!("aurora_v1");
    let edit = c.request("textDocument/rename", params.clone());
    let edits = edit["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), uses + 1);
    let renamed = apply_edits(&text, edits);
    assert!(!renamed.contains("aurora,") && !renamed.contains("standard aurora "));
    assert_eq!(
        renamed.matches("essential to aurora_v1, frand").count(),
        text.matches("essential to aurora, frand").count()
    );
    params["newName"] = json!("grant");
    let r = c.request_raw("textDocument/rename", params);
    assert!(
        r["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("grant")),
        "{r}"
    );
    assert!(c.shutdown().success());
}
