//! Unit tests of the editor features over the examples (the LSP integration tests in
//! `lsp/tests/` cover the same features through the server).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

const ACME: &str = include_str!("../../examples/acme_globex.xlic");

fn at(text: &str, needle: &str) -> u32 {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found")) as u32
}

fn acme() -> (Analysis, FileId) {
    let a = analyze_text("acme.xlic", ACME);
    let f = a.file_by_name("acme.xlic").unwrap();
    (a, f)
}

#[test]
fn example_is_clean_and_indexed() {
    let (a, f) = acme();
    assert!(
        a.compilation.diagnostics.is_empty(),
        "{:?}",
        a.compilation.diagnostics
    );
    assert!(a.parses(f));
    let globex_decl = at(ACME, "party globex") + 6;
    let refs = references(&a, f, globex_decl, true);
    // declaration, two grants, the grant-back, the asset owner
    assert!(refs.len() >= 4, "{refs:?}");
    let use_site = at(ACME, "-> globex {") + 3;
    assert_eq!(
        definition(&a, f, use_site).map(|s| s.start),
        Some(globex_decl)
    );
}

#[test]
fn field_segments_are_references() {
    let (a, f) = acme();
    let lawn = at(ACME, "robotics.consumer.lawn") + "robotics.consumer.".len() as u32;
    let def = definition(&a, f, lawn).unwrap();
    assert_eq!(&ACME[def.range()], "lawn");
    let consumer = at(ACME, "robotics.consumer except") + "robotics.".len() as u32;
    let refs = references(&a, f, consumer, false);
    assert_eq!(refs.len(), 2, "{refs:?}");
}

#[test]
fn hover_grant_code_date_and_country() {
    let (a, f) = acme();
    let h = hover(&a, f, at(ACME, "acme_to_globex:") + 2).unwrap();
    assert!(h.contains("Scope"), "{h}");
    assert!(h.contains("Effective scope"), "{h}");
    assert!(h.contains("acme_motion"), "{h}");
    let h = hover(&a, f, at(ACME, "CN, RU") + 1).unwrap();
    assert!(h.contains("China"), "{h}");
    let h = hover(&a, f, at(ACME, "2026-01-01 until") + 2).unwrap();
    assert!(h.contains("1 January 2026"), "{h}");
    let h = hover(&a, f, at(ACME, "7 years") + 1).unwrap();
    assert!(h.contains("1 January 2033"), "{h}");
    let text = format!("{ACME}\n// see E0301 for why\n");
    let b = analyze_text("x.xlic", &text);
    let bf = b.file_by_name("x.xlic").unwrap();
    let h = hover(&b, bf, at(&text, "E0301") + 2).unwrap();
    assert!(h.starts_with("**E0301**"), "{h}");
}

#[test]
fn rename_and_refusals() {
    let (a, f) = acme();
    let off = at(ACME, "party globex") + 7;
    let edits = rename(&a, f, off, "initech").unwrap();
    assert!(edits.len() >= 4);
    assert!(rename(&a, f, off, "acme").is_err());
    assert!(rename(&a, f, off, "grant").is_err());
    assert!(rename(&a, f, off, "9lives").is_err());
    assert!(rename(&a, f, off, "acme_de").is_err());
}

#[test]
fn completion_contexts() {
    let (a, f) = acme();
    let labels = |text: &str, off: usize| -> Vec<String> {
        completion(&a, f, text, off as u32)
            .into_iter()
            .map(|c| c.label)
            .collect()
    };
    let t = ACME.replace("acme -> globex {", "acme -> g {");
    let off = t.find("-> g {").unwrap() + 3;
    let l = labels(&t, off);
    assert!(l.contains(&"globex".to_string()), "{l:?}");
    let off = t.find("-> g {").unwrap() + 4;
    let l = labels(&t, off);
    assert!(l.contains(&"globex".to_string()), "{l:?}");

    let off = ACME.find("field robotics.consumer").unwrap() + 6;
    let l = labels(ACME, off);
    assert!(l.contains(&"robotics.consumer.vacuum".to_string()), "{l:?}");
    let off = ACME.find("field robotics.consumer").unwrap() + "field robotics.".len();
    let l = labels(ACME, off);
    assert!(l.contains(&"consumer".to_string()), "{l:?}");
    assert!(!l.contains(&"adas".to_string()), "{l:?}");

    let off = ACME.find("except [CN").unwrap() + 8;
    let l = labels(ACME, off);
    assert!(l.contains(&"DE".to_string()), "{l:?}");
    let off = ACME.find("territory worldwide except").unwrap() + 10;
    let l = labels(ACME, off);
    assert!(
        l.contains(&"dach".to_string()) && l.contains(&"EU".to_string()),
        "{l:?}"
    );
    let off = ACME.find("assets acme_motion").unwrap() + 7;
    let l = labels(ACME, off);
    assert!(l.contains(&"acme_core".to_string()), "{l:?}");
    let off = ACME.find("sunset acme_to_globex").unwrap() + 7;
    let l = labels(ACME, off);
    assert_eq!(
        l,
        vec!["acme_to_globex".to_string(), "globex_to_acme".to_string()]
    );
    // Keywords of the grant block at the start of a line inside it.
    let off = ACME.find("  rights make").unwrap() + 2;
    let l = labels(ACME, off);
    assert!(l.contains(&"territory".to_string()), "{l:?}");
    // In a comment: nothing.
    let off = ACME.find("or: term until").unwrap();
    assert!(labels(ACME, off).is_empty());
}

#[test]
fn code_actions_for_typo_grant_back_and_except() {
    let t = ACME.replace("acme -> globex {", "acme -> globx {");
    let a = analyze_text("t.xlic", &t);
    let f = a.file_by_name("t.xlic").unwrap();
    let d = a
        .compilation
        .diagnostics
        .iter()
        .find(|d| d.code == crate::diagnostics::Code::E0101)
        .unwrap();
    let actions = code_actions(d);
    assert_eq!(actions[0].edits[0].new_text, "globex");

    let t = ACME.replace("    sunset after 3 years\n", "");
    let a = analyze_text("t.xlic", &t);
    let d = a
        .compilation
        .diagnostics
        .iter()
        .find(|d| d.code == crate::diagnostics::Code::W0403)
        .expect("W0403");
    let actions = code_actions(d);
    let e = &actions[0].edits[0];
    let mut fixed = t.clone();
    fixed.replace_range(e.span.range(), &e.new_text);
    assert!(
        fixed.contains("    royalty-free\n    sunset after 3 years\n  }"),
        "{fixed}"
    );

    let t = ACME.replace(
        "territory worldwide except [CN, RU]",
        "territory [DE, FR] except [CN]",
    );
    let a = analyze_text("t.xlic", &t);
    let d = a
        .compilation
        .diagnostics
        .iter()
        .find(|d| d.code == crate::diagnostics::Code::W0406)
        .expect("W0406");
    let e = &code_actions(d)[0].edits[0];
    let mut fixed = t.clone();
    fixed.replace_range(e.span.range(), &e.new_text);
    assert!(fixed.contains("  territory [DE, FR]\n"), "{fixed}");
    let _ = f;
}

#[test]
fn symbols_tokens_hints_folds() {
    let (a, f) = acme();
    let syms = document_symbols(&a, f);
    let names: Vec<&str> = syms.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"acme_to_globex"), "{names:?}");
    let party = syms.iter().find(|s| s.name == "acme").unwrap();
    assert_eq!(party.children[0].name, "acme_de");
    let fields = syms.iter().find(|s| s.name == "fields").unwrap();
    assert_eq!(fields.children[0].children[1].name, "consumer");

    let toks = semantic_tokens(&a, f);
    assert!(toks
        .iter()
        .any(|t| t.kind == TokenKind::Party && t.declaration));
    assert!(toks.iter().any(|t| t.kind == TokenKind::Country));
    assert!(toks.iter().any(|t| t.kind == TokenKind::Date));

    let hints = inlay_hints(&a, f);
    let labels: Vec<&str> = hints.iter().map(|h| h.label.as_str()).collect();
    assert!(labels.contains(&"→ 2036-01-01"), "{labels:?}");
    assert!(labels.contains(&"→ 2033-01-01"), "{labels:?}");
    assert!(labels.contains(&"→ 2029-01-01"), "{labels:?}");
    assert!(labels.contains(&"→ 2031-06-30"), "{labels:?}");

    let folds = folding_ranges(ACME);
    assert!(folds.iter().any(|r| r.kind == FoldKind::Region));
}

#[test]
fn broken_text_still_answers() {
    let t = ACME.replace(
        "grant globex_to_acme: globex -> acme",
        "grant globex_to_acme: globex -> ",
    );
    let a = analyze_text("t.xlic", &t);
    let f = a.file_by_name("t.xlic").unwrap();
    assert!(!a.parses(f));
    let syms = document_symbols(&a, f);
    assert!(syms.iter().any(|s| s.name == "acme_to_globex"));
    for off in (0..t.len() as u32 + 3).step_by(7) {
        let _ = hover(&a, f, off);
        let _ = completion(&a, f, &t, off);
        let _ = definition(&a, f, off);
    }
}

#[test]
fn every_feature_answers_at_every_offset_of_every_example() {
    for text in [
        ACME,
        include_str!("../../examples/bilateral_license.xlic"),
        include_str!("../../examples/patent_pool.xlic"),
    ] {
        let a = analyze_text("e.xlic", text);
        let f = a.file_by_name("e.xlic").unwrap();
        assert!(a.compilation.diagnostics.is_empty());
        let _ = (
            document_symbols(&a, f),
            semantic_tokens(&a, f),
            inlay_hints(&a, f),
            folding_ranges(text),
        );
        for off in (0..=text.len() as u32 + 2).step_by(5) {
            let _ = hover(&a, f, off);
            let _ = completion(&a, f, text, off);
            let _ = references(&a, f, off, true);
            let _ = rename(&a, f, off, "fresh_name");
            let _ = code_actions_in(&a, f, off, off + 10);
        }
    }
}
