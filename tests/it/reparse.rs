//! Incremental reparsing (`syntax::parser::try_reparse`) and the editor analysis built on
//! it give exactly what a full parse and a fresh analysis give: thousands of seeded
//! random edits (typing, deleting, pasting items, braces, quotes and comment marks)
//! to every example and fixture, each reparsed from the previous result.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::Arc;
use xlic::ide::{Document, DocumentKey};
use xlic::limits::Limits;
use xlic::source::FileId;
use xlic::syntax::parser::{parse_with, try_reparse};
use xlic::syntax::shift::Change;
use xlic::EditorCache;
use xlic_testkit::Rng;

/// Text an edit may insert: what typing produces, and what breaks item boundaries.
const PIECES: &[&str] = &[
    "x",
    "_2",
    " ",
    "\n",
    "}",
    "{",
    "\"",
    "\"a string\"",
    "/*",
    "*/",
    "// a comment",
    "// a comment\n",
    "[",
    "]",
    ",",
    ";",
    "grant",
    "party",
    "territory",
    "->",
    "2026-01-01",
    "5%",
    "1_000 USD",
    "é",
    "party zeta \"Zeta Ltd\"\n",
    "grant g_new: acme -> globex {\n  assets acme_motion\n}\n",
    "territory t_new = [DE, FR]\n",
];

/// A random char boundary of `text`, mostly near `hint` (edits cluster, as typing does).
fn position(rng: &mut Rng, text: &str, hint: usize) -> usize {
    let mut at = if rng.chance(70) {
        hint.saturating_add(rng.below(40)).saturating_sub(20)
    } else {
        rng.below(text.len() + 1)
    };
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit; returns where it happened.
pub(crate) fn edit(rng: &mut Rng, text: &mut String, hint: usize) -> usize {
    let at = position(rng, text, hint);
    match rng.below(10) {
        // Delete a short range (a character, a word, a line or two).
        0..=2 => {
            let len = rng.below(60);
            let end = position(rng, text, at.saturating_add(len)).max(at);
            text.replace_range(at..end, "");
        }
        // Cut a whole copy of a line and paste it elsewhere.
        3 => {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let line = text[line_start..line_end].to_string();
            let somewhere = rng.below(text.len() + 1);
            let to = position(rng, text, somewhere);
            text.insert_str(to, &line);
        }
        // Insert a piece.
        _ => {
            let piece = rng.pick(PIECES);
            text.insert_str(at, piece);
        }
    }
    at
}

#[test]
fn random_edits_reparse_to_the_tree_and_diagnostics_of_a_full_parse() {
    let limits = Limits::default();
    let file = FileId(0);
    let mut rng = Rng::new(0x5EED_0016);
    let (mut edits, mut eligible, mut incremental) = (0usize, 0usize, 0usize);
    let mut shared = 0usize;
    for (path, original) in crate::common::xlic_texts() {
        let mut text = original.clone();
        let mut parsed = parse_with(file, &text, &limits);
        let mut hint = rng.below(text.len() + 1);
        for _ in 0..24 {
            let before = text.clone();
            hint = edit(&mut rng, &mut text, hint);
            let full = parse_with(file, &text, &limits);
            let tried = try_reparse(
                file,
                &before,
                &parsed.ast,
                &parsed.diagnostics,
                &text,
                &limits,
            );
            // Edits from a clean tree to a clean tree are the ones meant to be
            // incremental (the others fall back to a full parse by design).
            let clean =
                |p: &xlic::syntax::Parsed| !p.diagnostics.iter().any(|d| d.code.breaks_tree());
            if clean(&parsed) && clean(&full) && parsed.ast.items.len() > 3 {
                eligible += 1;
                incremental += usize::from(tried.is_some());
            }
            // An incremental reparse shares the items before the edit with the previous
            // tree (all but the one reparsed as the window's margin) instead of copying
            // them.
            if let Some(new) = &tried {
                let start = Change::between(&before, &text).start;
                let old = &parsed.ast.items;
                let before_edit = old
                    .iter()
                    .position(|i| i.span().end as usize >= start)
                    .unwrap_or(old.len())
                    .saturating_sub(1);
                let kept = old
                    .iter()
                    .zip(&new.ast.items)
                    .take_while(|(a, b)| Arc::ptr_eq(a, b))
                    .count();
                assert_eq!(
                    kept,
                    before_edit,
                    "{}: edit {edits} shares {kept} items of the previous tree, not the {before_edit} before the edit",
                    path.display()
                );
                shared += kept;
            }
            // What the driver makes of it.
            let again = tried.unwrap_or_else(|| parse_with(file, &text, &limits));
            if format!("{full:?}") != format!("{again:?}") {
                let (line, want, got) = crate::common::first_difference(&full, &again);
                panic!(
                    "{}: the reparse of edit {edits} differs from a full parse at line {line} of the tree\n--- before ---\n{before}\n--- after ---\n{text}\n--- full ---\n{want}\n--- reparse ---\n{got}",
                    path.display(),
                );
            }
            parsed = again;
            edits += 1;
            // A broken text is mostly mended (as its author would), a grown one reset.
            let broken = !clean(&parsed) && rng.chance(50);
            if broken || text.len() > 4 * original.len() + 4_000 {
                text = original.clone();
                parsed = parse_with(file, &text, &limits);
            }
        }
    }
    // Most edits must really be incremental, else this test checks the fallback only,
    // and enough of them must be between clean trees to be eligible at all.
    assert!(
        incremental * 2 > eligible && eligible >= 500,
        "only {incremental} of {eligible} edits between clean trees were reparsed incrementally ({edits} edits)"
    );
    assert!(shared > 0, "no incremental reparse shared an item");
    println!("{incremental} of {eligible} edits between clean trees reparsed incrementally ({edits} edits, {shared} items shared)");
}

#[test]
fn an_edited_document_analyses_to_the_diagnostics_of_a_fresh_analysis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let path = root.join("acme_globex.xlic");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let cache = Arc::new(EditorCache::with_grant_reuse());
    let mut rng = Rng::new(0x0A7A_1515);
    let mut hint = text.len() / 2;
    let doc = |t: &str| {
        vec![Document {
            key: DocumentKey::Path(path.clone()),
            text: t.into(),
        }]
    };
    let roots = vec![root.clone()];
    for _ in 0..150 {
        hint = edit(&mut rng, &mut text, hint);
        let docs = doc(&text);
        let kept = xlic::ide::analyze_workspace(&docs, &roots, &[], Some(cache.clone()));
        let fresh = xlic::ide::analyze(&docs, &roots);
        assert_eq!(
            format!("{:#?}", kept.compilation.diagnostics),
            format!("{:#?}", fresh.compilation.diagnostics),
            "after editing to\n{text}"
        );
        assert_eq!(
            format!("{:?}", kept.ast(FileId(0))),
            format!("{:?}", fresh.ast(FileId(0)))
        );
    }
}

/// The editor's analysis after every edit, made from the previous one (its kept
/// parses, the incremental reparse, the symbol index built on first use), is the
/// analysis a fresh start makes of the same text: same trees, model, rights ledger,
/// bindings, diagnostics and symbol index, on every example and fixture.
#[test]
fn every_edit_analyses_like_a_fresh_analysis_on_every_example_and_fixture() {
    let mut rng = Rng::new(0x1AC4_0016);
    let mut analyses = 0usize;
    for (path, original) in crate::common::xlic_texts() {
        let roots = vec![path.parent().unwrap().to_path_buf()];
        let cache = Arc::new(EditorCache::with_grant_reuse());
        let doc = |t: &str| {
            vec![Document {
                key: DocumentKey::Path(path.clone()),
                text: t.into(),
            }]
        };
        let mut text = original.clone();
        let mut hint = rng.below(text.len() + 1);
        for step in 0..8 {
            // The first analysis fills the cache; every later one reuses it.
            if step > 0 {
                hint = edit(&mut rng, &mut text, hint);
            }
            let docs = doc(&text);
            let kept = xlic::ide::analyze_workspace(&docs, &roots, &[], Some(cache.clone()));
            let fresh = xlic::ide::analyze(&docs, &roots);
            assert!(
                !kept.index_built(),
                "the symbol index is built before anyone asks for it"
            );
            let (k, f) = (&kept.compilation, &fresh.compilation);
            let same = |what: &str, a: String, b: String| {
                assert!(
                    a == b,
                    "{}: after edit {step} the {what} of the kept analysis and of a fresh one differ\n--- text ---\n{text}",
                    path.display()
                );
            };
            same(
                "diagnostics",
                format!("{:#?}", k.diagnostics),
                format!("{:#?}", f.diagnostics),
            );
            same("trees", format!("{:?}", k.files), format!("{:?}", f.files));
            same("model", format!("{:?}", k.model), format!("{:?}", f.model));
            same(
                "ledger",
                format!("{:?}", k.ledger),
                format!("{:?}", f.ledger),
            );
            same(
                "bindings",
                format!("{:?}", k.bindings),
                format!("{:?}", f.bindings),
            );
            same(
                "symbol index",
                format!("{:?}", kept.index()),
                format!("{:?}", xlic::ide::Index::build(&f.files, &f.bindings)),
            );
            analyses += 1;
            if text.len() > 4 * original.len() + 4_000 {
                text = original.clone();
            }
        }
    }
    println!("{analyses} analyses compared with fresh ones");
}

/// The kept analysis and a fresh one of the same text agree on everything a user
/// sees: diagnostics, model, rights ledger and bindings.
fn assert_like_fresh(kept: &xlic::ide::Analysis, fresh: &xlic::ide::Analysis, what: &str) {
    let (k, f) = (&kept.compilation, &fresh.compilation);
    for (part, a, b) in [
        (
            "diagnostics",
            format!("{:#?}", k.diagnostics),
            format!("{:#?}", f.diagnostics),
        ),
        (
            "model",
            format!("{:#?}", k.model),
            format!("{:#?}", f.model),
        ),
        (
            "ledger",
            format!("{:?}", k.ledger),
            format!("{:?}", f.ledger),
        ),
        (
            "bindings",
            format!("{:?}", k.bindings),
            format!("{:?}", f.bindings),
        ),
    ] {
        if a != b {
            let at = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let show = |s: &str| {
                s.lines()
                    .skip(at.saturating_sub(3))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{what}: the {part} of the kept analysis and of a fresh one differ at line {at}\n--- kept ---\n{}\n--- fresh ---\n{}",
                show(&a),
                show(&b)
            );
        }
    }
}

/// The example with `n` more grants: some with an unknown licensee (E0101, which asks
/// the "did you mean" budget), some with a wrong value, some exclusive over each other
/// (E0301), some subject to a reservation.
fn many_grants(n: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut text = std::fs::read_to_string(root.join("acme_globex.xlic")).unwrap();
    for i in 0..n {
        let (from, to) = if i % 2 == 0 {
            ("acme", "globex")
        } else {
            ("globex", "acme")
        };
        let to = if i % 7 == 3 { "globexx" } else { to };
        let asset = if from == "acme" {
            "acme_motion"
        } else {
            "globex_lidar"
        };
        let exclusivity = match i % 5 {
            0 => "exclusive",
            1 if from == "acme" => "exclusive subject to research",
            _ => "non-exclusive",
        };
        let royalty = if i % 11 == 5 {
            "royalty 250% of net sales"
        } else {
            "royalty 2% of net sales"
        };
        text.push_str(&format!(
            "\ngrant g_{i}: {from} -> {to} {{\n  assets {asset}\n  field robotics\n  territory [DE, US]\n  term 2026-01-01 until 2030-01-01\n  {exclusivity}\n  {royalty}\n}}\n"
        ));
    }
    text
}

/// Per-grant reuse of resolution (issue 16 item 6): after an edit, the grants whose
/// text did not change are taken from the previous analysis, moved when the edit was
/// before them, and the analysis is still the one a fresh start makes. Each edit of
/// the script exercises one path: a licensee's name typed into (the latency bench's
/// edit: E0101 appears), deleted again, a grant's term changed, a line added before
/// the grants (they all move), one at the top and a declaration changed (every
/// declaration moves or changes: nothing is reused), and random edits after them.
#[test]
fn grants_that_did_not_change_are_reused_and_the_analysis_is_a_fresh_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let path = root.join("many_grants.xlic");
    let roots = vec![root.clone()];
    let cache = Arc::new(EditorCache::with_grant_reuse());
    let analyse = |text: &str, what: &str| {
        let docs = vec![Document {
            key: DocumentKey::Path(path.clone()),
            text: text.into(),
        }];
        let kept = xlic::ide::analyze_workspace(&docs, &roots, &[], Some(cache.clone()));
        let fresh = xlic::ide::analyze(&docs, &roots);
        assert_like_fresh(&kept, &fresh, what);
        cache.grants.last()
    };
    let n = 60;
    let mut text = many_grants(n);
    let all = n + 2;
    let first = analyse(&text, "the first analysis");
    assert_eq!((first.reused, first.lowered), (0, all), "{first:?}");

    // The bench's edit: a letter typed at the end of the licensee of g_20.
    let at = text.find("grant g_20: acme -> globex").unwrap() + "grant g_20: acme -> globex".len();
    text.insert(at, 'x');
    let typed = analyse(&text, "a licensee's name typed into");
    assert_eq!(
        typed.lowered, 1,
        "only the edited grant is lowered: {typed:?}"
    );
    assert_eq!(typed.reused, all - 1, "{typed:?}");
    assert!(
        typed.moved >= n - 21,
        "the grants after the edit moved: {typed:?}"
    );
    text.remove(at);
    let back = analyse(&text, "the letter deleted");
    assert_eq!((back.reused, back.lowered), (all - 1, 1), "{back:?}");
    assert!(
        back.asked > 0,
        "grants with an unknown licensee were reused: {back:?}"
    );

    // A term changed: that grant only.
    let at = text.find("grant g_7:").unwrap();
    let term = at + text[at..].find("until 2030").unwrap();
    text.replace_range(term..term + "until 2030".len(), "until 2031");
    let term = analyse(&text, "a grant's term changed");
    assert_eq!((term.reused, term.lowered), (all - 1, 1), "{term:?}");

    // A line added before the first generated grant: they all move, nothing else does.
    let at = text.find("grant g_0:").unwrap();
    text.insert_str(at, "// a new line\n");
    let moved = analyse(&text, "a line added before the generated grants");
    assert_eq!(
        (moved.reused, moved.moved, moved.lowered),
        (all, n, 0),
        "{moved:?}"
    );

    // A line added at the top moves every declaration: nothing is reused.
    text.insert_str(0, "// a new first line\n");
    let top = analyse(&text, "a line added at the top");
    assert_eq!((top.reused, top.lowered), (0, all), "{top:?}");

    // A declaration changed: the environment of every grant did, nothing is reused.
    let at = text.find("Globex Corporation").unwrap();
    text.replace_range(at..at + "Globex".len(), "Globex Global");
    let decl = analyse(&text, "a party's legal name changed");
    assert_eq!((decl.reused, decl.lowered), (0, all), "{decl:?}");

    // Random edits of this text, each analysed and then undone (a file with a syntax
    // error reuses nothing, so edits are not left to pile up), each analysis compared
    // with a fresh one.
    let mut rng = Rng::new(0x6AA7_0016);
    let mut hint = text.len() / 2;
    let mut reused = (0, 0, 0);
    for step in 0..60 {
        let mut edited = text.clone();
        hint = edit(&mut rng, &mut edited, hint);
        for (t, what) in [(&edited, "random edit"), (&text, "random edit undone")] {
            let c = analyse(t, &format!("{what} {step}"));
            reused = (reused.0 + c.reused, reused.1 + c.moved, reused.2 + c.asked);
        }
    }
    assert!(
        reused.0 > 0 && reused.1 > 0 && reused.2 > 0,
        "random edits reused grants {reused:?} (reused, moved, asked)"
    );
    println!("random edits: {reused:?} grants reused (of which moved, asked)");
}

/// The language server's cache (`EditorCache::default()`) reuses parses but no grant's
/// lowering (measured slower end to end; see `EditorCache`): after an edit every grant
/// is lowered again, nothing is kept, and the analysis is a fresh one's.
#[test]
fn the_default_editor_cache_lowers_every_grant_again() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let path = root.join("many_grants.xlic");
    let roots = vec![root.clone()];
    let cache = Arc::new(EditorCache::default());
    let mut text = many_grants(20);
    for step in 0..2 {
        let docs = vec![Document {
            key: DocumentKey::Path(path.clone()),
            text: text.as_str().into(),
        }];
        let kept = xlic::ide::analyze_workspace(&docs, &roots, &[], Some(cache.clone()));
        let fresh = xlic::ide::analyze(&docs, &roots);
        assert_like_fresh(&kept, &fresh, &format!("analysis {step}"));
        let counts = cache.grants.last();
        assert_eq!((counts.reused, counts.lowered), (0, 0), "{counts:?}");
        assert_eq!(cache.grants.len(), 0);
        assert!(!cache.parses.is_empty(), "the parse is kept");
        let at =
            text.find("grant g_4: acme -> globex").unwrap() + "grant g_4: acme -> globex".len();
        text.insert(at, 'x');
    }
}
