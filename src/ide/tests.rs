//! Unit tests of the editor features over the examples (the LSP integration tests in
//! `lsp/tests/` cover the same features through the server).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::diagnostics::Code;

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
fn hover_on_a_grant_shows_the_ledger_per_patent() {
    // A capture period takes in a patent the family also declares (one patent, as the
    // ledger has it), the US patent expires before the grant's term ends, and the
    // agreement ends before the German one expires: the hover's effective scope is
    // per patent, cut by both, and the inlay hint of `until expiry` is the ledger's end.
    let text = "agreement \"Past\" { effective 2026-01-01 term 10 years }
party acme \"Acme\"
party beta \"Beta\"
fields { tools }
asset fam: patent family of acme {
  patent \"US 1111\" expires 2030-06-01
  patent \"DE 2222\" expires 2040-01-01
}
asset later: patents of acme filed 2020-01-01 until 2021-01-01 {
  patent \"US 3333\" filed 2020-05-01 expires 2041-01-01
}
grant g: acme -> beta { assets fam, later field tools territory [US, DE] term until expiry non-exclusive }
";
    let a = analyze_text("p.xlic", text);
    let f = a.file_by_name("p.xlic").unwrap();
    let h = hover(&a, f, at(text, "grant g") + 6).unwrap();
    let effective = h
        .split("**Effective scope**")
        .nth(1)
        .unwrap_or_else(|| panic!("{h}"));
    assert!(effective.contains("patent US 1111"), "{h}");
    assert!(
        effective.contains("until 2030-06-01"),
        "US 1111 ends at its expiry: {h}"
    );
    assert!(effective.contains("patent DE 2222"), "{h}");
    assert!(
        effective.contains("until 2036-01-01"),
        "DE 2222 ends with the agreement: {h}"
    );
    assert!(effective.contains("patent US 3333"), "{h}");
    assert!(!effective.contains("2040-01-01"), "{h}");
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

/// reach (issue 15/20): the declared standards are proposed after `essential to`
/// and `for standard`, each with its title.
#[test]
fn completion_proposes_standards() {
    const POOL: &str = include_str!("../../examples/patent_pool.xlic");
    let a = analyze_text("pool.xlic", POOL);
    let f = a.file_by_name("pool.xlic").unwrap();
    for needle in ["essential to aurora", "for standard aurora"] {
        let off = at(POOL, needle) + u32::try_from(needle.len() - "aurora".len()).unwrap();
        let items = completion(&a, f, POOL, off);
        let standards: Vec<(String, Option<String>)> = items
            .into_iter()
            .filter(|c| c.kind == CompletionKind::Standard)
            .map(|c| (c.label, c.detail))
            .collect();
        assert_eq!(
            standards,
            vec![(
                "aurora".to_string(),
                Some("Aurora Video Coding Specification, version 1.0".to_string())
            )],
            "after `{needle}`"
        );
    }
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
        include_str!("../../examples/semiconductor_cross_license.xlic"),
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

#[test]
fn workspace_files_are_analysed_and_a_vanished_one_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("reg.xlic"),
        "party acme \"Acme\"\nasset fw: know-how of acme\n",
    )
    .unwrap();
    std::fs::write(root.join("use.xlic"), "import \"reg.xlic\"\nparty beta \"Beta\"\ngrant g: acme -> beta {\n  assets fw\n  territory worldwide\n}\n").unwrap();
    let workspace = vec![
        root.join("gone.xlic"),
        root.join("reg.xlic"),
        root.join("use.xlic"),
    ];
    let a = analyze_workspace(&[], std::slice::from_ref(&root), &workspace, None);
    let reg = a.file_by_path(&root.join("reg.xlic")).unwrap();
    assert!(a.file_by_path(&root.join("use.xlic")).is_some());
    // `fw` is used in the file that is not open.
    let fw = at(a.text(reg), "fw:");
    let refs = references(&a, reg, fw, false);
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_ne!(refs[0].file, reg);
    // Workspace symbols: exact, then prefix, then in-order matches.
    let names = |q: &str| -> Vec<String> {
        workspace_symbols(&a, q, 10)
            .into_iter()
            .map(|id| a.index().symbol(id).unwrap().name.clone())
            .collect()
    };
    assert_eq!(names("acme"), ["acme"]);
    assert_eq!(names("B"), ["beta"]);
    assert_eq!(names("ae"), ["acme"]);
    assert_eq!(names("zzz"), Vec::<String>::new());
    assert_eq!(workspace_symbols(&a, "", 2).len(), 2);
}

/// A snippet as an editor inserts it when the user accepts every default: the first
/// choice of `${n|a,b|}`, the text of `${n:x}`, nothing for `$n`.
fn expand_snippet(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').unwrap();
            let spec = &inner[..end];
            let value = if let Some((_, choices)) = spec.split_once('|') {
                choices.trim_end_matches('|').split(',').next().unwrap()
            } else {
                spec.split_once(':').map_or("", |(_, d)| d)
            };
            out.push_str(value);
            rest = &inner[end + 1..];
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn block_snippets_expand_to_clauses_that_parse_and_offer_the_names_in_scope() {
    let (a, f) = acme();
    let end = ACME.len() as u32;
    let items = completion(&a, f, ACME, end);
    let snippets: Vec<&CompletionItem> = items
        .iter()
        .filter(|i| i.kind == CompletionKind::Snippet)
        .collect();
    let labels: Vec<&str> = snippets.iter().map(|i| i.label.as_str()).collect();
    for block in [
        "agreement",
        "party",
        "fields",
        "territory",
        "asset",
        "grant",
        "reserve",
        "improvements",
        "sunset",
    ] {
        assert!(labels.contains(&block), "{labels:?}");
    }
    // The grant snippet offers the parties the file sees.
    let grant = snippets.iter().find(|i| i.label == "grant").unwrap();
    assert!(
        grant
            .snippet
            .as_ref()
            .unwrap()
            .contains("|acme,acme_de,globex,globex_uk|"),
        "{grant:?}"
    );
    // Each one, accepted with its defaults after the example, still parses.
    for s in &snippets {
        let text = format!("{ACME}\n{}", expand_snippet(s.snippet.as_ref().unwrap()));
        let an = analyze_text("t.xlic", &text);
        let file = an.file_by_name("t.xlic").unwrap();
        assert!(
            an.parses(file),
            "`{}` does not parse:\n{text}\n{:?}",
            s.label,
            an.compilation.diagnostics
        );
    }
    // No snippets inside a block.
    let inside = at(ACME, "  assets acme_motion");
    assert!(completion(&a, f, ACME, inside)
        .iter()
        .all(|i| i.kind != CompletionKind::Snippet));
}

#[test]
fn selection_ranges_grow_from_the_word_to_the_file() {
    let (a, f) = acme();
    let offset = at(ACME, "robotics.consumer except") + 2;
    let chain = selection_ranges(&a, f, offset);
    let texts: Vec<&str> = chain.iter().map(|s| &ACME[s.range()]).collect();
    assert_eq!(texts[0], "robotics");
    assert!(
        texts[1].starts_with("field robotics.consumer except"),
        "{texts:?}"
    );
    // The grant's body, then the braces, then the whole grant, then the file.
    assert!(
        texts[2].starts_with("assets acme_motion") && texts[2].ends_with("per year"),
        "{:?}",
        texts[2]
    );
    assert!(texts[3].starts_with('{') && texts[3].ends_with('}'));
    assert!(texts[4].starts_with("grant acme_to_globex"));
    assert_eq!(texts.last().unwrap().len(), ACME.len());
    for w in chain.windows(2) {
        assert!(w[1].start <= w[0].start && w[0].end <= w[1].end && w[0] != w[1]);
    }
}

#[test]
fn highlights_mark_the_declaration_and_the_uses_in_the_file() {
    let (a, f) = acme();
    let h = highlights(&a, f, at(ACME, "party globex") + 7);
    assert!(h.len() >= 4, "{h:?}");
    assert_eq!(h.iter().filter(|x| x.is_decl).count(), 1);
    assert!(h.iter().all(|x| &ACME[x.span.range()] == "globex"));
    assert!(highlights(&a, f, at(ACME, "effective")).is_empty());
}

#[test]
fn range_formatting_changes_only_the_range() {
    let text = "party   a \"A\"\nparty    b \"B\"\nparty  c \"C\"\n";
    let file = FileId(0);
    // Only the second line is in the range.
    let start = text.find("party    b").unwrap() as u32;
    let edits = format_range(file, text, start + 2, start + 4).unwrap();
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.span.range(), &e.new_text);
    }
    assert_eq!(out, "party   a \"A\"\nparty b \"B\"\nparty  c \"C\"\n");
    // The whole text: what `xlic fmt` gives.
    let all = format_range(file, text, 0, text.len() as u32).unwrap();
    let mut whole = text.to_string();
    for e in all.iter().rev() {
        whole.replace_range(e.span.range(), &e.new_text);
    }
    assert_eq!(Some(whole.clone()), format(text));
    assert!(format_range(file, &whole, 0, whole.len() as u32)
        .unwrap()
        .is_empty());
    // A text that does not parse is not formatted.
    assert!(format_range(file, "party {", 0, 3).is_none());
}

/// Every case the compiler is tested on: fixture files and folders, and the examples.
fn compiler_cases() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for stage in ["syntax", "names", "values", "conflicts"] {
        for kind in ["ok", "err"] {
            let dir = root.join("tests/fixtures").join(stage).join(kind);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut cases: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            cases.sort();
            out.extend(
                cases
                    .into_iter()
                    .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "xlic")),
            );
        }
    }
    let mut examples: Vec<_> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlic"))
        .collect();
    examples.sort();
    out.extend(examples);
    out
}

/// Where a file writes a name that refers to a declaration, read from the syntax tree
/// independently of resolution: `must` positions are references (bound, or reported),
/// `may` positions are words that are a name only when one is declared (a list entry of
/// an obligation clause, the `of P` ending a termination trigger); `territory` marks
/// names of a territory expression (a group, or else an ISO code or built-in group).
#[derive(Default)]
struct ReferencePositions {
    must: Vec<Span>,
    may: Vec<Span>,
    territory: Vec<Span>,
    /// Field path segments after the first one: references only while the path
    /// before them resolves, so each is listed with the segment before it.
    field_tails: Vec<(Span, Span)>,
}

impl ReferencePositions {
    fn of(ast: &crate::syntax::ast::SourceFileAst) -> ReferencePositions {
        use crate::syntax::ast::{
            AgreementKind, FieldExpr, Item, Licensee, ObligationItem, ObligationKind,
            ObligationLit, TerritoryExpr, TerritoryTerm,
        };
        let mut out = ReferencePositions::default();
        let pool = ast.items().any(|i| {
            matches!(i, Item::Agreement(a) if a.kind.as_ref().is_some_and(|k| k.node == AgreementKind::Pool))
        });
        let territory = |out: &mut ReferencePositions, expr: &TerritoryExpr| {
            for term in expr.include.iter().chain(&expr.exclude) {
                if let TerritoryTerm::Name(ident) = term {
                    out.territory.push(ident.span);
                }
            }
        };
        let fields = |out: &mut ReferencePositions, expr: &FieldExpr| {
            for path in expr.include.iter().chain(&expr.exclude) {
                if let Some(first) = path.segments.first() {
                    out.must.push(first.span);
                }
                for pair in path.segments.windows(2) {
                    out.field_tails.push((pair[0].span, pair[1].span));
                }
            }
        };
        for item in ast.items() {
            match item {
                Item::Agreement(a) => out.must.extend(a.parties.iter().map(|p| p.span)),
                Item::Territory(t) => territory(&mut out, &t.expr),
                Item::Asset(a) => {
                    out.must.extend(a.owners.iter().map(|o| o.span));
                    // reach (issue 15/20): `essential to NAME`.
                    out.must.extend(a.essential.iter().map(|e| e.standard.span));
                    for p in &a.patents {
                        if let Some(t) = &p.territory {
                            territory(&mut out, t);
                        }
                    }
                }
                Item::Grant(g) => {
                    out.must.push(g.licensor.span);
                    if let Licensee::Party(p) = &g.licensee {
                        out.must.push(p.span);
                    }
                    out.must.extend(g.assets.iter().map(|a| a.span));
                    if let Some(f) = &g.field {
                        fields(&mut out, f);
                    }
                    if let Some(t) = &g.territory {
                        territory(&mut out, t);
                    }
                    if let Some(e) = &g.exclusivity {
                        out.must.extend(e.subject_to.iter().map(|n| n.span));
                    }
                    // The party that owes a diligence milestone (rights: issue 15).
                    out.must.extend(g.diligence.iter().map(|d| d.party.span));
                    // The party that commits to a minimum (terms: issue 15, round 5).
                    out.must.extend(g.commitments.iter().map(|c| c.party.span));
                    // reach (issue 15/20): `for standard NAME`.
                    out.must.extend(
                        g.pools
                            .iter()
                            .filter_map(|p| p.standard.as_ref())
                            .map(|n| n.span),
                    );
                }
                Item::Reserve(r) => {
                    out.must.extend(r.assets.iter().map(|a| a.span));
                    out.must.extend(r.holder.iter().map(|h| h.span));
                    if let Some(f) = &r.scope.field {
                        fields(&mut out, f);
                    }
                    if let Some(t) = &r.scope.territory {
                        territory(&mut out, t);
                    }
                }
                // clauses (issue 15): a first right's holder, assets and scope
                Item::FirstRight(f) => {
                    out.must.extend(f.assets.iter().map(|a| a.span));
                    out.must.push(f.holder.span);
                    if let Some(e) = &f.scope.field {
                        fields(&mut out, e);
                    }
                    if let Some(t) = &f.scope.territory {
                        territory(&mut out, t);
                    }
                }
                // clauses (issue 15, round 4): a payment's payer and payee
                Item::Payment(p) => {
                    out.must.push(p.payer.span);
                    out.must.push(p.payee.span);
                }
                Item::Improvements(imp) => {
                    out.must.extend(imp.assets.iter().map(|a| a.span));
                    for rule in &imp.rules {
                        for p in [&rule.from, &rule.to] {
                            match p.name.as_str() {
                                "owner" => {}
                                "members" if pool => {}
                                _ => out.must.push(p.span),
                            }
                        }
                    }
                }
                Item::Sunset(s) => {
                    out.must.push(s.grant.span);
                    for t in &s.terminations {
                        out.must.extend(t.by.iter().map(|b| b.span));
                        if let [_, .., of, subject] = t.words.as_slice() {
                            if of.name == "of" {
                                out.may.push(subject.span);
                            }
                        }
                    }
                }
                Item::Obligation(o) => {
                    out.must.extend(o.parties.iter().map(|p| p.span));
                    if let (
                        ObligationKind::Prosecution
                        | ObligationKind::Enforcement
                        | ObligationKind::Escrow,
                        Some(asset),
                    ) = (o.kind.node, &o.subject)
                    {
                        out.must.push(asset.span);
                    }
                    for a in &o.attrs {
                        match &a.value {
                            ObligationLit::Shares(shares) => {
                                out.must.extend(shares.iter().map(|x| x.party.span));
                            }
                            ObligationLit::Items(items) => {
                                for item in items {
                                    if let ObligationItem::Name(n) = item {
                                        out.may.push(n.span);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Resolution records a binding for every name reference: on every fixture and
/// example that parses (and whose clauses belong to an agreement), each name in a
/// reference position has a binding or is reported (E0101, or E0306 for a sunset's
/// grant), each name of a territory expression is a group's binding, a place (ISO code,
/// `EU`, `EEA`) or reported, a bound name is not reported as unknown, nothing is bound
/// outside a reference position, and the index turns every binding into an
/// occurrence of the symbol declared where the binding says.
#[test]
fn every_name_reference_has_a_binding_or_a_diagnostic() {
    let mut checked = 0;
    let mut bound = 0;
    for case in compiler_cases() {
        let Ok(c) = crate::compile(
            &[crate::Input::Path(case.clone())],
            &crate::Options::default(),
        ) else {
            continue;
        };
        let broken = c.diagnostics.iter().any(|d| {
            d.code.as_str().starts_with("E000")
                || matches!(
                    d.code,
                    Code::E0012 | Code::E0103 | Code::E0104 | Code::E0105
                )
        });
        if broken {
            continue;
        }
        let reported = |span: Span| {
            c.diagnostics.iter().any(|d| {
                d.primary.span == span
                    && (d.code == Code::E0101
                        || d.code == Code::E0108
                        || (d.code == Code::E0306 && d.message.contains("not a grant")))
            })
        };
        let unknown = |span: Span| {
            c.diagnostics.iter().any(|d| {
                d.primary.span == span && d.code == Code::E0101 && d.message.starts_with("unknown")
            })
        };
        let snippet = |span: Span| c.sources.snippet(span).to_string();
        let where_ = |span: Span| {
            let line = c.sources.line_col(span.file, span.start).line;
            format!("{}:{line} `{}`", case.display(), snippet(span))
        };
        let bindings = &c.bindings;
        let places: Vec<Span> = bindings.places().iter().map(|p| p.span).collect();
        let mut positions: Vec<Span> = Vec::new();
        for f in &c.files {
            let refs = ReferencePositions::of(&f.ast);
            for &span in &refs.must {
                assert!(
                    bindings.of(span).is_some() || reported(span),
                    "{}: a reference without a binding or a diagnostic",
                    where_(span)
                );
            }
            for &span in &refs.territory {
                assert!(
                    bindings.of(span).is_some() || places.contains(&span) || reported(span),
                    "{}: a territory name neither bound, a place nor reported",
                    where_(span)
                );
            }
            for &(before, span) in &refs.field_tails {
                if bindings.of(before).is_some() {
                    assert!(
                        bindings.of(span).is_some() || reported(span),
                        "{}: a field segment without a binding or a diagnostic",
                        where_(span)
                    );
                }
            }
            positions.extend(&refs.must);
            positions.extend(&refs.may);
            positions.extend(&refs.territory);
            positions.extend(refs.field_tails.iter().map(|&(_, s)| s));
        }
        for b in bindings.all() {
            assert!(
                positions.contains(&b.reference),
                "{}: bound outside a reference position",
                where_(b.reference)
            );
            assert!(
                !unknown(b.reference),
                "{}: bound and reported unknown",
                where_(b.reference)
            );
        }
        let a = Analysis::from_compilation(c.clone());
        let references = a.index().occurrences.iter().filter(|o| !o.is_decl).count();
        assert_eq!(
            references,
            bindings.all().len(),
            "{}: every binding is an occurrence of a symbol",
            case.display()
        );
        for o in a.index().occurrences.iter().filter(|o| !o.is_decl) {
            let b = bindings.of(o.span).unwrap();
            let s = a.index().symbol(o.symbol).unwrap();
            assert!(s.decl == b.decl || s.full == b.decl, "{}", where_(o.span));
            assert_eq!(snippet(o.span), s.name, "{}", where_(o.span));
        }
        bound += bindings.all().len();
        checked += 1;
    }
    assert!(checked > 20, "only {checked} cases checked");
    assert!(bound > 500, "only {bound} bindings checked");
}

#[test]
fn a_parse_cache_reuses_unchanged_files_and_gives_the_same_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("reg.xlic"),
        "party acme \"Acme\"\nparty beta \"Beta\"\nasset fw: know-how of acme\n",
    )
    .unwrap();
    let deal = root.join("deal.xlic");
    let doc = |text: &str| Document {
        key: DocumentKey::Path(deal.clone()),
        text: text.into(),
    };
    let v1 = "import \"reg.xlic\"\nagreement \"A\" {\n  effective 2026-01-01\n  term 5 years\n}\ngrant g: acme -> beta {\n  assets fw\n  territory worldwide\n}\n";
    let v2 = v1.replace("-> beta", "-> betx");
    let roots = std::slice::from_ref(&root);
    let cache = std::sync::Arc::new(crate::EditorCache::default());
    let first = analyze_workspace(&[doc(v1)], roots, &[], Some(cache.clone()));
    let second = analyze_workspace(&[doc(&v2)], roots, &[], Some(cache.clone()));
    let tree = |a: &Analysis, name: &str| {
        let f = a.file_by_path(&root.join(name)).unwrap();
        a.compilation
            .files
            .iter()
            .find(|p| p.id == f)
            .unwrap()
            .ast
            .clone()
    };
    // The registry did not change: the same tree; the edited document: a new one.
    assert!(std::sync::Arc::ptr_eq(
        &tree(&first, "reg.xlic"),
        &tree(&second, "reg.xlic")
    ));
    assert!(!std::sync::Arc::ptr_eq(
        &tree(&first, "deal.xlic"),
        &tree(&second, "deal.xlic")
    ));
    // The same diagnostics as without the cache.
    let plain = analyze_workspace(&[doc(&v2)], roots, &[], None);
    let render = |a: &Analysis| format!("{:?}", a.compilation.diagnostics);
    assert_eq!(render(&second), render(&plain));
    assert!(render(&second).contains("E0101"));
    // A file no longer loaded is dropped from the cache.
    assert_eq!(cache.parses.len(), 2);
    analyze_workspace(&[doc("party z \"Z\"\n")], roots, &[], Some(cache.clone()));
    assert_eq!(cache.parses.len(), 1);
}

/// `release from` completes among the agreement's attributes, `from` after `release`,
/// and the keyword's hover gives the agreement's release and effective dates.
#[test]
fn release_from_completes_in_the_agreement_and_hovers() {
    let (a, f) = acme();
    let labels = |a: &Analysis, f: FileId, text: &str, off: usize| -> Vec<String> {
        completion(a, f, text, off as u32)
            .into_iter()
            .map(|c| c.label)
            .collect()
    };
    let off = at(ACME, "  effective 2026-01-01") as usize + 2;
    let l = labels(&a, f, ACME, off);
    assert!(l.contains(&"release from".to_string()), "{l:?}");
    // Not in a grant block.
    let off = at(ACME, "  rights make") as usize + 2;
    assert!(!labels(&a, f, ACME, off).contains(&"release from".to_string()));

    let t = ACME.replacen(
        "  effective 2026-01-01\n",
        "  effective 2026-01-01\n  release \n",
        1,
    );
    let off = t.find("  release \n").unwrap() + "  release ".len();
    let l = labels(&a, f, &t, off);
    assert_eq!(l, vec!["from".to_string()]);

    let t = ACME.replacen(
        "  effective 2026-01-01\n",
        "  effective 2026-01-01\n  release from 2024-01-01\n",
        1,
    );
    let a = analyze_text("t.xlic", &t);
    let f = a.file_by_name("t.xlic").unwrap();
    assert!(
        !a.compilation.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        a.compilation.diagnostics
    );
    let h = hover(&a, f, at(&t, "release from") + 2).unwrap();
    assert!(h.contains("**release from**"), "{h}");
    assert!(
        h.contains("acts from 1 January 2024 may be released; the agreement is effective on 1 January 2026"),
        "{h}"
    );
}

/// Who may terminate: parties complete after `by` and `of` in a trigger, and the
/// names there are references (rename reaches them; `change of control` is words).
#[test]
fn who_may_terminate_completes_and_renames() {
    let t = ACME.replacen(
        "terminate on breach cure 60 days, insolvency",
        "terminate on breach of globex by acme cure 60 days, change of control by acme, insolvency by ",
        1,
    );
    assert_ne!(t, ACME, "the example's trigger line changed");
    let a = analyze_text("t.xlic", &t);
    let f = a.file_by_name("t.xlic").unwrap();
    let off = t.find("insolvency by ").unwrap() + "insolvency by ".len();
    let l: Vec<String> = completion(&a, f, &t, off as u32)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(
        l.contains(&"globex".to_string()) && l.contains(&"acme".to_string()),
        "{l:?}"
    );
    assert!(!l.contains(&"acme_motion".to_string()), "{l:?}");

    let t = t.replace("insolvency by ", "insolvency by globex");
    let a = analyze_text("t.xlic", &t);
    let f = a.file_by_name("t.xlic").unwrap();
    let edits = rename(&a, f, at(&t, "party globex") + 7, "initech").unwrap();
    let by = at(&t, "by globex") + 3;
    let of = at(&t, "of globex by") + 3;
    for spot in [by, of] {
        assert!(
            edits.iter().any(|e| e.span.start == spot),
            "no edit at {spot}: {edits:?}"
        );
    }
    assert!(
        !edits.iter().any(|e| e.span.start == at(&t, "control")),
        "{edits:?}"
    );
}

/// `owner` and, in a pool, `members` complete after `license forward`; `members` and
/// `owner` in a rule are words, not unknown names.
#[test]
fn members_and_owner_complete_in_improvement_rules() {
    let text = include_str!("../../examples/patent_pool.xlic");
    let a = analyze_text("pool.xlic", text);
    let f = a.file_by_name("pool.xlic").unwrap();
    assert!(
        !a.compilation.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        a.compilation.diagnostics
    );
    let off = at(text, "license forward owner") + "license forward ".len() as u32;
    let l: Vec<String> = completion(&a, f, text, off)
        .into_iter()
        .map(|c| c.label)
        .collect();
    for want in ["owner", "members", "lumen"] {
        assert!(l.contains(&want.to_string()), "{want}: {l:?}");
    }
    let (acme, f) = acme();
    let off = at(ACME, "grant back globex") + "grant back ".len() as u32;
    let l: Vec<String> = completion(&acme, f, ACME, off)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(l.contains(&"owner".to_string()), "{l:?}");
    assert!(!l.contains(&"members".to_string()), "not a pool: {l:?}");
}

/// pools (issue 15): `joins` and `leaves` complete in a party block, and a party's
/// hover states its dated membership.
#[test]
fn membership_completes_in_a_party_and_hovers() {
    let text = "agreement \"P\" { effective 2026-01-01 term 10 years kind pool parties a, b }\nparty a \"A\"\nparty b \"B\" {\n  short \"B\"\n  joins 2027-01-01\n  leaves 2030-01-01\n}\n";
    let a = analyze_text("p.xlic", text);
    let f = a.file_by_name("p.xlic").unwrap();
    let off = at(text, "  short") + 2;
    let labels: Vec<String> = completion(&a, f, text, off)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(labels.contains(&"joins".to_string()), "{labels:?}");
    assert!(labels.contains(&"leaves".to_string()), "{labels:?}");
    let h = hover(&a, f, at(text, "party b") + 6).unwrap();
    assert!(
        h.contains("joins the pool on 2027-01-01, leaves it on 2030-01-01"),
        "{h}"
    );
}

/// A fixture analysed on its own, which must check clean.
fn clean(name: &str, text: &str) -> (Analysis, FileId) {
    let a = analyze_text(name, text);
    let f = a.file_by_name(name).unwrap();
    assert!(
        a.compilation.diagnostics.is_empty(),
        "{:?}",
        a.compilation.diagnostics
    );
    (a, f)
}

/// The labels completion proposes at `off`.
fn completion_labels(a: &Analysis, f: FileId, text: &str, off: usize) -> Vec<String> {
    completion(a, f, text, off as u32)
        .into_iter()
        .map(|c| c.label)
        .collect()
}

/// clauses (issue 15): a first refusal completes at the top level and in its block,
/// hovers as the right it is, and is outlined.
#[test]
fn first_refusal_completes_hovers_and_is_outlined() {
    const FIRST: &str =
        include_str!("../../tests/fixtures/terms/ok/first_refusal_and_negotiation.xlic");
    let (a, f) = clean("first.xlic", FIRST);
    let labels = |text: &str, off: usize| completion_labels(&a, f, text, off);
    let off = at(FIRST, "first refusal") as usize;
    assert!(labels(FIRST, off).contains(&"first refusal".to_string()));
    let off = at(FIRST, "  field robotics.industrial") as usize + 2;
    let l = labels(FIRST, off);
    assert!(l.contains(&"within".to_string()), "{l:?}");
    assert!(!l.contains(&"exclusive".to_string()), "{l:?}");
    let t = format!("{FIRST}\nfirst ");
    assert_eq!(
        labels(&t, t.len()),
        vec!["refusal".to_string(), "negotiation".to_string()]
    );

    let h = hover(&a, f, at(FIRST, "refusal globex_rofr") + 2).unwrap();
    assert!(
        h.contains("`globex` holds a right of first refusal from `acme`"),
        "{h}"
    );
    assert!(h.contains("within 30 days"), "{h}");
    let h = hover(&a, f, at(FIRST, "negotiation initech_rofn") + 2).unwrap();
    assert!(h.contains("negotiate exclusively"), "{h}");
    assert!(h.contains("within 60 days"), "{h}");

    let symbols = document_symbols(&a, f);
    let outlined: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert!(outlined.contains(&"globex_rofr"), "{outlined:?}");
    assert!(outlined.contains(&"initech_rofn"), "{outlined:?}");
}

/// clauses (issue 15, round 4): a payment completes at the top level, after its arrow
/// and in its block, hovers in the prose's words, and is outlined.
#[test]
fn payment_completes_hovers_and_is_outlined() {
    const PAY: &str = include_str!("../../tests/fixtures/terms/ok/agreement_payments.xlic");
    let (a, f) = clean("pay.xlic", PAY);
    let labels = |text: &str, off: usize| completion_labels(&a, f, text, off);
    let off = at(PAY, "payment settlement") as usize;
    assert!(labels(PAY, off).contains(&"payment".to_string()));
    let off = at(PAY, "  pay 25_000_000") as usize + 2;
    let l = labels(PAY, off);
    assert!(l.contains(&"pay".to_string()), "{l:?}");
    assert!(!l.contains(&"exclusive".to_string()), "{l:?}");
    let t = format!("{PAY}\npayment p: globex -> ");
    let l = labels(&t, t.len());
    assert!(l.contains(&"acme".to_string()), "{l:?}");

    let h = hover(&a, f, at(PAY, "payment balancing") + 2).unwrap();
    assert!(
        h.contains("shall pay to `acme_eu` USD 5,000,000 in three instalments"),
        "{h}"
    );
    let h = hover(&a, f, at(PAY, "pay 25_000_000") + 1).unwrap();
    assert!(h.contains("As the Settlement Payment"), "{h}");

    let symbols = document_symbols(&a, f);
    let outlined: Vec<(&str, Option<&str>)> = symbols
        .iter()
        .map(|s| (s.name.as_str(), s.detail.as_deref()))
        .collect();
    assert!(
        outlined.contains(&(
            "balancing",
            Some("payment globex -> acme_eu in 3 instalments")
        )),
        "{outlined:?}"
    );
}

/// terms (issue 15, round 5): a commitment completes in a grant, hovers in the prose's
/// words (on its keyword, and in the grant's hover), and is outlined under its grant.
#[test]
fn commitment_completes_hovers_and_is_outlined() {
    const SRC: &str = include_str!("../../tests/fixtures/terms/ok/minimum_commitments.xlic");
    let (a, f) = clean("commit.xlic", SRC);
    let off = at(SRC, "  commit voltaic purchase") as usize + 2;
    let l = completion_labels(&a, f, SRC, off);
    assert!(l.contains(&"commit".to_string()), "{l:?}");

    let h = hover(&a, f, at(SRC, "commit voltaic_eu") + 1).unwrap();
    assert!(
        h.contains("`voltaic_eu` shall spend at least EUR 2,000,000 on development of licensed products in each year"),
        "{h}"
    );
    let h = hover(&a, f, at(SRC, "grant helion_to_voltaic") + 1).unwrap();
    assert!(
        h.contains("commitment: `voltaic` shall purchase at least 10,000 units of licensed sensors in each calendar year from 1 January 2027."),
        "{h}"
    );

    let symbols = document_symbols(&a, f);
    let grant = symbols
        .iter()
        .find(|s| s.name == "helion_to_voltaic")
        .unwrap();
    let children: Vec<(&str, Option<&str>)> = grant
        .children
        .iter()
        .map(|s| (s.name.as_str(), s.detail.as_deref()))
        .collect();
    assert_eq!(
        children,
        [
            (
                "commit voltaic",
                Some("purchase 10_000 units per calendar year")
            ),
            ("commit voltaic_eu", Some("spend 2_000_000 EUR per year")),
            ("commit voltaic", Some("spend 500_000 EUR")),
        ]
    );
}

/// terms (issue 15, round 7): inside `most favoured licensee { … }` completion offers
/// the two lines a scope may hold (not a royalty band's `from`), and a hover on the
/// words says what the promise covers.
#[test]
fn most_favoured_scope_completes_and_hovers() {
    const SRC: &str =
        include_str!("../../tests/fixtures/terms/ok/most_favoured_on_part_of_a_grant.xlic");
    let empty = SRC.replace(
        "most favoured licensee { field robotics.consumer.vacuum }",
        "most favoured licensee {\n    \n  }",
    );
    let (a, f) = clean("mfl_empty.xlic", &empty);
    let off = at(&empty, "licensee {\n    \n") as usize + "licensee {\n    ".len();
    let l = completion_labels(&a, f, &empty, off);
    assert!(l.contains(&"territory".to_string()), "{l:?}");
    assert!(l.contains(&"field".to_string()), "{l:?}");
    assert!(!l.contains(&"from".to_string()), "{l:?}");
    assert!(!l.contains(&"royalty".to_string()), "{l:?}");

    let (a, f) = clean("mfl.xlic", SRC);
    let h = hover(&a, f, at(SRC, "most favoured licensee {\n    field") + 6).unwrap();
    assert!(
        h.contains("it covers the license in the Field of Consumer, excluding Lawn, in the member states of the European Union"),
        "{h}"
    );
    let h = hover(
        &a,
        f,
        at(
            SRC,
            "most favoured licensee { field robotics.consumer.vacuum",
        ) + 1,
    )
    .unwrap();
    assert!(
        h.contains("in the Field of Vacuum, throughout the grant's territory"),
        "{h}"
    );
}
