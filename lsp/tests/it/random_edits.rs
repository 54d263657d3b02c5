//! Thousands of random incremental edits (insertions, deletions, pastes of random
//! bytes, ranges past the end of lines and of the text, inside surrogate pairs and
//! backwards) to an example: the server answers every request, applies every edit as
//! the client did, never exits, and shuts down cleanly.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use serde_json::{json, Value};
use xlic_testkit::Rng;

const EDITS: usize = 2500;
const REQUEST_EVERY: usize = 50;

fn line_count(text: &str) -> usize {
    line_starts(text).len()
}

/// The UTF-16 length of a line (without its line end: LF, CR or CRLF).
fn line_units(text: &str, line: usize) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line) else {
        return 0;
    };
    let end = starts.get(line + 1).copied().unwrap_or(text.len());
    text[start..end]
        .trim_end_matches(['\n', '\r'])
        .chars()
        .map(char::len_utf16)
        .sum()
}

/// A random position: mostly inside the text, sometimes past a line's end or the
/// text's end.
fn random_position(rng: &mut Rng, text: &str) -> (u32, u32) {
    let lines = line_count(text);
    let line = match rng.below(20) {
        0 => lines + rng.below(5),
        _ => rng.below(lines),
    };
    let units = line_units(text, line);
    let character = match rng.below(10) {
        0 => units + 1 + rng.below(40),
        _ => rng.below(units + 1),
    };
    (line as u32, character as u32)
}

/// A position a little before or after `p`.
fn near(rng: &mut Rng, p: (u32, u32)) -> (u32, u32) {
    let line = match rng.below(6) {
        0 => p.0 + 1,
        1 => p.0.saturating_sub(1),
        _ => p.0,
    };
    let delta = rng.below(24) as u32;
    let character = if rng.below(3) == 0 {
        p.1.saturating_sub(delta)
    } else {
        p.1 + delta
    };
    (line, character)
}

const PIECES: &[&str] = &[
    "grant g: acme -> globex {\n  assets acme_motion\n}\n",
    "territory [DE, FR] except [",
    "field robotics.",
    "–",
    "😀",
    "\"unterminated",
    "/* open comment",
    "*/",
    "}",
    "{",
    "\n",
    "// E0301 — comment\n",
    "2026-02-30",
    "1_000_000 USD",
    "2.5%",
    "->",
    "sunset ",
    "\r\n",
    "\u{0}",
    "\u{FEFF}",
    "é",
    "𝔁𝓵𝓲𝓬",
];

fn random_text(rng: &mut Rng, example: &str) -> String {
    match rng.below(5) {
        // Random bytes, read as UTF-8 the way an editor would show them.
        0 => {
            let n = rng.below(24);
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next_u64() & 0xFF) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        // A paste of part of the example.
        1 => {
            let start = rng.below(example.len());
            let end = (start + rng.below(300)).min(example.len());
            let (mut s, mut e) = (start, end);
            while !example.is_char_boundary(s) {
                s -= 1;
            }
            while !example.is_char_boundary(e) {
                e += 1;
            }
            example[s..e].to_string()
        }
        // Random characters from every plane.
        2 => (0..rng.below(8))
            .filter_map(|_| char::from_u32((rng.next_u64() % 0x2_0000) as u32))
            .collect(),
        _ => PIECES[rng.below(PIECES.len())].to_string(),
    }
}

/// What the client believes the server does with a change: clamp both ends, order
/// them, replace.
fn apply(text: &mut String, start: (u32, u32), end: (u32, u32), new: &str) {
    let a = offset_of(text, start.0, start.1);
    let b = offset_of(text, end.0, end.1);
    let (s, e) = (a.min(b), a.max(b));
    text.replace_range(s..e, new);
}

fn random_request(c: &mut Client, rng: &mut Rng, uri: &str, text: &str) -> (String, i64) {
    let p = random_position(rng, text);
    let doc = json!({ "textDocument": { "uri": uri } });
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 100000, "character": 0 } });
    let (method, params): (&str, Value) = match rng.below(11) {
        0 => ("textDocument/hover", tdp(uri, p)),
        1 => ("textDocument/completion", tdp(uri, p)),
        2 => ("textDocument/documentSymbol", doc),
        3 => ("textDocument/semanticTokens/full", doc),
        4 => (
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": whole }),
        ),
        5 => ("textDocument/foldingRange", doc),
        6 => ("textDocument/definition", tdp(uri, p)),
        7 => {
            let mut params = tdp(uri, p);
            params["context"] = json!({ "includeDeclaration": true });
            ("textDocument/references", params)
        }
        8 => (
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
        ),
        9 => (
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        _ => {
            let mut params = tdp(uri, p);
            params["newName"] = json!("renamed_name");
            ("textDocument/rename", params)
        }
    };
    let id = c.send_request(method, params);
    (method.to_string(), id)
}

#[test]
fn thousands_of_random_edits_never_crash_the_server() {
    let (mut c, _) = Client::initialized(None);
    let example = example("acme_globex.xlic");
    let uri = example_uri("acme_globex.xlic");
    let mut text = example.clone();
    c.open(&uri, 1, &text);
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut version = 1i64;
    let mut answered = 0usize;
    let mut total_len = 0usize;
    for i in 1..=EDITS {
        let start = random_position(&mut rng, &text);
        let (end, new) = match rng.below(8) {
            // Insertion (or paste).
            0..=2 => (start, random_text(&mut rng, &example)),
            // A short deletion, possibly backwards or past the line's end.
            3 | 4 => (near(&mut rng, start), String::new()),
            // A deletion or a replacement of any range.
            5 => (random_position(&mut rng, &text), String::new()),
            6 => (
                random_position(&mut rng, &text),
                random_text(&mut rng, &example),
            ),
            _ => (near(&mut rng, start), random_text(&mut rng, &example)),
        };
        // Keep the document between a few hundred bytes and 30 kB.
        let (start, end, new) = if text.len() > 30_000 {
            ((0, 0), (line_count(&text) as u32 / 2, 0), String::new())
        } else if text.len() < 500 {
            (start, start, example.clone())
        } else {
            (start, end, new)
        };
        total_len += text.len();
        version += 1;
        c.change(&uri, version, start, end, &new);
        apply(&mut text, start, end, &new);

        if i % REQUEST_EVERY == 0 {
            // A hover and a completion at random places, and one other random request,
            // all in flight at once.
            let p = random_position(&mut rng, &text);
            let hover = c.send_request("textDocument/hover", tdp(&uri, p));
            let p = random_position(&mut rng, &text);
            let completion = c.send_request("textDocument/completion", tdp(&uri, p));
            let other = random_request(&mut c, &mut rng, &uri, &text);
            for (method, id) in [
                ("textDocument/hover".to_string(), hover),
                ("textDocument/completion".to_string(), completion),
                other,
            ] {
                let r = c.response(id);
                assert!(
                    r.get("result").is_some() || r.get("error").is_some(),
                    "{method} after edit {i}: {r}"
                );
                if let Some(e) = r.get("error") {
                    // Only refusals (rename) may fail; nothing may crash.
                    assert_eq!(
                        method, "textDocument/rename",
                        "{method} failed after edit {i}: {e}"
                    );
                }
                answered += 1;
            }
            assert!(c.is_alive(), "the server exited after edit {i}");
        }
        if i % 500 == 0 {
            let doc = c.request("xlic/documentText", json!({ "uri": uri }));
            assert_eq!(doc["version"], version);
            assert!(
                doc["text"] == text.as_str(),
                "the server's text differs from the client's after edit {i}"
            );
        }
    }
    assert_eq!(answered, 3 * (EDITS / REQUEST_EVERY));
    // The last version gets its diagnostics.
    let last = c.diagnostics(&uri, version);
    assert!(!last.is_empty(), "random text has diagnostics");
    // The document stayed a document, neither emptied nor swollen.
    assert!(
        (500..30_000).contains(&(total_len / EDITS)),
        "{}",
        total_len / EDITS
    );
    assert!(c.is_alive());
    let status = c.shutdown();
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_whole_document_replacement_and_garbage_requests_are_survived() {
    let (mut c, _) = Client::initialized(None);
    let uri = "untitled:garbage.xlic";
    c.open(uri, 1, "");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "grant x: a -> { } } } {{{{ \"" }] }),
    );
    // Requests about documents that are not open, positions far away, unknown methods.
    let r = c.request_raw(
        "textDocument/hover",
        tdp("file:///nowhere/none.xlic", (5, 5)),
    );
    assert!(r.get("result").is_some(), "{r}");
    let r = c.request_raw("textDocument/hover", tdp(uri, (u32::MAX, u32::MAX)));
    assert!(r.get("result").is_some(), "{r}");
    let r = c.request_raw("xlic/noSuchMethod", json!({}));
    assert!(r.get("error").is_some(), "{r}");
    // Malformed parameters get an error, not a crash.
    let r = c.request_raw("textDocument/hover", json!({ "textDocument": 3 }));
    assert!(r.get("error").is_some(), "{r}");
    c.diagnostics(uri, 2);
    assert!(c.is_alive());
    assert!(c.shutdown().success());
}
