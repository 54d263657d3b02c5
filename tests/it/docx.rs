//! The Word export (`xlic build --emit docx`): the package unzipped with an independent
//! reader, every part well-formed XML, `word/document.xml` snapshotted, the text the
//! same as the Markdown's, headings and clause numbers in order, links that land,
//! tables with a repeated header row, escaping, and byte-identical output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use xlic::emit::prose;
use xlic::Compilation;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The parts, in the order the package must hold them.
const PARTS: [&str; 11] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/header1.xml",
    "word/footer1.xml",
];

use crate::common::{compile, examples, stem};

fn docx(c: &Compilation) -> Vec<u8> {
    prose::docx(&c.model, &c.ledger, &c.sources).unwrap()
}

/// Unzips the package: (entry name, text) in archive order, checking each entry's
/// CRC (the reader does) and its timestamp.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let t = entry.last_modified().expect("a timestamp");
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (1980, 1, 1, 0, 0, 0),
            "{}",
            entry.name()
        );
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 text");
        out.push((entry.name().to_string(), text));
    }
    out
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

fn is_w(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(W) && n.tag_name().name() == name
}

fn w_attr<'a>(n: &roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// One paragraph of the document: its style and its text (`w:tab` as a tab).
#[derive(Debug)]
struct Para {
    style: String,
    text: String,
}

fn paragraphs(doc: &roxmltree::Document) -> Vec<Para> {
    doc.descendants()
        .filter(|n| is_w(n, "p"))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| is_w(n, "pStyle"))
                .and_then(|n| w_attr(&n, "val"))
                .unwrap_or("")
                .to_string();
            let mut text = String::new();
            for n in p.descendants() {
                if is_w(&n, "t") {
                    text.push_str(n.text().unwrap_or(""));
                } else if is_w(&n, "tab") && n.parent().is_some_and(|r| is_w(&r, "r")) {
                    text.push('\t');
                }
            }
            Para { style, text }
        })
        .collect()
}

/// Words of text, with the characters Markdown uses as markup (and escapes) removed on
/// both sides, so that what remains is the prose itself.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.replace(['*', '`', '\\', '|'], ""))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c == '-' || c == '#'))
        .collect()
}

/// The Markdown's text without its block markup: heading marks, bullets, table rules.
/// (The numbers of the parties, recitals and clauses are text in both formats.)
fn markdown_words(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("|-") || trimmed.starts_with("|---") {
            continue;
        }
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        out.extend(words(trimmed));
    }
    out
}

#[test]
fn package_has_every_part_in_order_and_all_of_it_is_well_formed() {
    for path in examples() {
        let c = compile(&path);
        let parts = unzip(&docx(&c));
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, PARTS, "{}", path.display());
        for (name, text) in &parts {
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{}: {name} is not well-formed: {e}", path.display());
            }
        }
        // Every part but the content types is declared, and every relationship lands.
        let types = part(&parts, "[Content_Types].xml");
        for name in PARTS
            .iter()
            .filter(|n| !n.ends_with(".rels") && n.ends_with(".xml"))
        {
            if *name != "[Content_Types].xml" {
                assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name}");
            }
        }
        for (rels, base) in [
            ("_rels/.rels", ""),
            ("word/_rels/document.xml.rels", "word/"),
        ] {
            let doc = roxmltree::Document::parse(part(&parts, rels)).unwrap();
            for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
                let target = format!("{base}{}", r.attribute("Target").unwrap());
                assert!(names.contains(&target.as_str()), "{rels} → {target}");
            }
        }
    }
}

#[test]
fn document_snapshots() {
    for path in examples() {
        let c = compile(&path);
        let parts = unzip(&docx(&c));
        insta::assert_snapshot!(
            format!("document__{}", stem(&path)),
            part(&parts, "word/document.xml")
        );
    }
}

#[test]
fn text_is_the_markdowns_text() {
    for path in examples() {
        let c = compile(&path);
        let md = prose::markdown(&c.model, &c.ledger, &c.sources);
        let parts = unzip(&docx(&c));
        let doc = roxmltree::Document::parse(part(&parts, "word/document.xml")).unwrap();
        let paras = docx_only_left_out(paragraphs(&doc));
        let text: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        let from_docx = words(&text.join("\n"));
        let from_md = markdown_words(&md);
        if from_docx != from_md {
            let at = from_docx
                .iter()
                .zip(&from_md)
                .position(|(a, b)| a != b)
                .unwrap_or(from_docx.len().min(from_md.len()));
            panic!(
                "{}: the text differs from the Markdown's at word {at}:\n docx: {:?}\n   md: {:?}",
                path.display(),
                &from_docx[at.saturating_sub(5)..(at + 10).min(from_docx.len())],
                &from_md[at.saturating_sub(5)..(at + 10).min(from_md.len())],
            );
        }
    }
}

#[test]
fn headings_and_clause_numbers_follow_the_markdown() {
    for path in examples() {
        let c = compile(&path);
        let md = prose::markdown(&c.model, &c.ledger, &c.sources);
        let parts = unzip(&docx(&c));
        let doc = roxmltree::Document::parse(part(&parts, "word/document.xml")).unwrap();
        let paras = paragraphs(&doc);

        // Markdown `#`, `##`, `###` → Heading1, Heading2, Heading3, same text, same order.
        let md_headings: Vec<(String, String)> = md
            .lines()
            .filter_map(|l| {
                let level = l.chars().take_while(|c| *c == '#').count();
                let text = l.get(level..)?.strip_prefix(' ')?;
                (level > 0).then(|| (format!("Heading{level}"), text.replace('\\', "")))
            })
            .collect();
        let docx_headings: Vec<(String, String)> = paras
            .iter()
            .filter(|p| p.style.starts_with("Heading"))
            .map(|p| (p.style.clone(), p.text.clone()))
            .collect();
        assert!(md_headings.len() > 5, "{}", path.display());
        assert_eq!(docx_headings, md_headings, "{}", path.display());

        // Every clause number, in order, starts a Clause or Subclause paragraph, followed
        // by a tab and the clause id.
        let md_clauses: Vec<String> = md
            .lines()
            .filter_map(|l| {
                let rest = l.trim_start().strip_prefix("**")?;
                let (number, after) = rest.split_once("** `[")?;
                let id = after.split_once("]`")?.0;
                Some(format!("{number}\t[{id}]"))
            })
            .collect();
        let docx_clause_heads: Vec<String> = paras
            .iter()
            .filter(|p| p.style == "Clause" || p.style == "Subclause")
            .map(|p| match p.text.find(']') {
                Some(i) => p.text[..=i].to_string(),
                None => p.text.clone(),
            })
            .collect();
        assert!(md_clauses.len() >= 10, "{}", path.display());
        assert_eq!(docx_clause_heads, md_clauses, "{}", path.display());
        // Top-level clauses are `Clause`, lettered sub-clauses `Subclause`.
        for p in &paras {
            if p.style == "Subclause" {
                assert!(p.text.starts_with('('), "{}", p.text);
            }
            if p.style == "Clause" {
                assert!(
                    p.text.starts_with(|c: char| c.is_ascii_digit()),
                    "{}",
                    p.text
                );
            }
        }
    }
}

#[test]
fn styles_links_and_tables_hold_together() {
    for path in examples() {
        let c = compile(&path);
        let parts = unzip(&docx(&c));
        let doc = roxmltree::Document::parse(part(&parts, "word/document.xml")).unwrap();
        let styles = roxmltree::Document::parse(part(&parts, "word/styles.xml")).unwrap();
        let numbering = roxmltree::Document::parse(part(&parts, "word/numbering.xml")).unwrap();

        // Every style used is defined, with the right type; headings carry outline levels.
        let defined: BTreeMap<(String, String), roxmltree::Node> = styles
            .descendants()
            .filter(|n| is_w(n, "style"))
            .map(|n| {
                (
                    (
                        w_attr(&n, "type").unwrap().to_string(),
                        w_attr(&n, "styleId").unwrap().to_string(),
                    ),
                    n,
                )
            })
            .collect();
        for (tag, kind) in [
            ("pStyle", "paragraph"),
            ("rStyle", "character"),
            ("tblStyle", "table"),
        ] {
            for n in doc.descendants().filter(|n| is_w(n, tag)) {
                let id = w_attr(&n, "val").unwrap();
                assert!(
                    defined.contains_key(&(kind.to_string(), id.to_string())),
                    "{kind} style {id} is used but not defined"
                );
            }
        }
        for level in 1..=3 {
            let h = defined[&("paragraph".to_string(), format!("Heading{level}"))];
            let name = h.children().find(|n| is_w(n, "name")).unwrap();
            assert_eq!(
                w_attr(&name, "val"),
                Some(format!("heading {level}").as_str())
            );
            let outline = h.descendants().find(|n| is_w(n, "outlineLvl")).unwrap();
            assert_eq!(
                w_attr(&outline, "val"),
                Some((level - 1).to_string().as_str())
            );
        }
        // Defined terms are bold; source identifiers monospace.
        let term = defined[&("character".to_string(), "DefinedTerm".to_string())];
        assert!(term.descendants().any(|n| is_w(&n, "b")));
        let code = defined[&("character".to_string(), "SourceCode".to_string())];
        let fonts = code.descendants().find(|n| is_w(n, "rFonts")).unwrap();
        assert_eq!(w_attr(&fonts, "ascii"), Some("Courier New"));
        assert!(doc
            .descendants()
            .any(|n| is_w(&n, "rStyle") && w_attr(&n, "val") == Some("DefinedTerm")));

        // Bookmarks: valid Word names, unique ids, each started and ended; every
        // hyperlink lands on one.
        let mut names = BTreeSet::new();
        let mut starts = BTreeSet::new();
        for b in doc.descendants().filter(|n| is_w(n, "bookmarkStart")) {
            let name = w_attr(&b, "name").unwrap();
            assert!(name.len() <= 40, "{name}");
            assert!(
                name.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{name}"
            );
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
            assert!(names.insert(name.to_string()), "bookmark {name} twice");
            assert!(starts.insert(w_attr(&b, "id").unwrap().to_string()));
        }
        let ends: BTreeSet<String> = doc
            .descendants()
            .filter(|n| is_w(n, "bookmarkEnd"))
            .map(|n| w_attr(&n, "id").unwrap().to_string())
            .collect();
        assert_eq!(starts, ends);
        let links: Vec<&str> = doc
            .descendants()
            .filter(|n| is_w(n, "hyperlink"))
            .map(|n| w_attr(&n, "anchor").unwrap())
            .collect();
        assert!(
            !links.is_empty(),
            "{}: no cross-reference links",
            path.display()
        );
        for l in &links {
            assert!(names.contains(*l), "link to a missing bookmark {l}");
        }

        // Bullets use a list numbering.xml defines.
        let nums: BTreeSet<&str> = numbering
            .descendants()
            .filter(|n| is_w(n, "num"))
            .map(|n| w_attr(&n, "numId").unwrap())
            .collect();
        for n in doc.descendants().filter(|n| is_w(n, "numId")) {
            assert!(nums.contains(w_attr(&n, "val").unwrap()));
        }

        // Tables: a grid, a repeated header row, every row as wide as the grid, borders.
        let tables: Vec<_> = doc.descendants().filter(|n| is_w(n, "tbl")).collect();
        assert!(
            tables.len() >= 2,
            "{}: the schedules' tables",
            path.display()
        );
        for t in &tables {
            let cols = t.descendants().filter(|n| is_w(n, "gridCol")).count();
            assert!(cols >= 2);
            let rows: Vec<_> = t.children().filter(|n| is_w(n, "tr")).collect();
            assert!(rows.len() >= 2);
            assert!(rows[0].descendants().any(|n| is_w(&n, "tblHeader")));
            for r in rows.iter().skip(1) {
                assert!(!r.descendants().any(|n| is_w(&n, "tblHeader")));
            }
            for r in &rows {
                assert_eq!(r.children().filter(|n| is_w(n, "tc")).count(), cols);
            }
            let borders = t.descendants().find(|n| is_w(n, "tblBorders")).unwrap();
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                let b = borders.children().find(|n| is_w(n, side)).unwrap();
                assert_eq!(w_attr(&b, "val"), Some("single"));
            }
        }
        // The license matrix is among them.
        let text: String = paragraphs(&doc)
            .iter()
            .map(|p| p.text.clone() + "\n")
            .collect();
        assert!(text.contains("Licensor / Licensee"));

        // A4: portrait for the articles, landscape for the schedules.
        let sizes: Vec<(String, String, Option<String>)> = doc
            .descendants()
            .filter(|n| is_w(n, "pgSz"))
            .map(|n| {
                (
                    w_attr(&n, "w").unwrap().to_string(),
                    w_attr(&n, "h").unwrap().to_string(),
                    w_attr(&n, "orient").map(str::to_string),
                )
            })
            .collect();
        assert_eq!(
            sizes,
            [
                ("11906".into(), "16838".into(), None),
                ("16838".into(), "11906".into(), Some("landscape".into()))
            ]
        );
    }
}

#[test]
fn properties_hold_the_title_and_the_effective_date_only() {
    let c = compile(Path::new("examples/acme_globex.xlic"));
    let parts = unzip(&docx(&c));
    let core = part(&parts, "docProps/core.xml");
    let doc = roxmltree::Document::parse(core).unwrap();
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("Acme–Globex Patent Cross-License"));
    let dates: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("created") || n.has_tag_name("modified"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(dates, ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]);
    assert!(part(&parts, "docProps/app.xml").contains("<Application>xlic</Application>"));
}

#[test]
fn output_is_deterministic() {
    for path in examples() {
        let a = docx(&compile(&path));
        let b = docx(&compile(&path));
        assert!(a == b, "{}: two builds differ", path.display());
    }
}

#[test]
fn text_is_escaped_and_characters_xml_cannot_hold_are_dropped() {
    let src = "
agreement \"Tom & Jerry's <Deal> \\\"One\\\"\u{1}\" {
  effective 2026-01-01
  term 5 years
  kind license
  note \"Recital with <b>markup</b> & 'quotes'\u{b} and ]]> too\"
}
party tom \"Tom <Cat> & Co.\" { short \"Tom\" }
party jerry \"Jerry Ltd.\" { short \"Jerry\" }
fields { cheese \"Cheese <Hard> & Soft\" }
asset trap: know-how of tom
grant t1: tom -> jerry {
  assets trap
  field cheese
  territory [DE, AT, CH]
  non-exclusive
}
";
    let c = xlic::compile_text("escape.xlic", src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let parts = unzip(&docx(&c));
    for (name, text) in &parts {
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let doc = roxmltree::Document::parse(part(&parts, "word/document.xml")).unwrap();
    let text: String = paragraphs(&doc)
        .iter()
        .map(|p| p.text.clone() + "\n")
        .collect();
    assert!(text.contains("Tom & Jerry's <Deal> \"One\"\n"), "{text}");
    assert!(text.contains("Recital with <b>markup</b> & 'quotes' and ]]> too"));
    assert!(text.contains("Tom <Cat> & Co."));
    assert!(!text.contains('\u{1}') && !text.contains('\u{b}'));
    let core = roxmltree::Document::parse(part(&parts, "docProps/core.xml")).unwrap();
    let title = core
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .unwrap();
    assert_eq!(title.text(), Some("Tom & Jerry's <Deal> \"One\""));
}

#[test]
fn several_agreements_each_start_a_page() {
    let c = compile(Path::new(
        "tests/fixtures/conflicts/err/E0301_across_agreements.d",
    ));
    let n = c.model.agreements.len();
    assert!(n >= 2);
    let parts = unzip(&docx(&c));
    let doc = roxmltree::Document::parse(part(&parts, "word/document.xml")).unwrap();
    let titles: Vec<_> = doc
        .descendants()
        .filter(|p| is_w(p, "p"))
        .filter(|p| {
            p.descendants()
                .any(|s| is_w(&s, "pStyle") && w_attr(&s, "val") == Some("Heading1"))
        })
        .collect();
    assert_eq!(titles.len(), n);
    // Each title after the first opens a new page: a page break before it, or a
    // section break (which starts a new page) just before it.
    for t in titles.iter().skip(1) {
        let page_break = t.descendants().any(|s| is_w(&s, "pageBreakBefore"));
        let after_section = t
            .prev_sibling_element()
            .is_some_and(|p| p.descendants().any(|s| is_w(&s, "sectPr")));
        assert!(page_break || after_section);
    }
}

#[test]
fn cli_writes_the_docx_to_a_folder_and_to_a_pipe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(root)
        .args(["build", "--emit", "docx", "-o"])
        .arg(dir.path())
        .arg("examples/acme_globex.xlic")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read(dir.path().join("acme_globex.docx")).unwrap();
    let piped = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .current_dir(root)
        .args([
            "build",
            "--emit",
            "docx",
            "--stdout",
            "examples/acme_globex.xlic",
        ])
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert!(
        piped.stdout == written,
        "stdout and -o write the same bytes"
    );
    let c = compile(Path::new("examples/acme_globex.xlic"));
    assert!(
        written == docx(&c),
        "the CLI writes what the library renders"
    );
    assert!(written.starts_with(b"PK\x03\x04"));
}

/// The paragraphs without what only the Word document has: the index of defined terms
/// at the head of Article 1 (its lead-in and its table) and the signature block.
fn docx_only_left_out(paras: Vec<Para>) -> Vec<Para> {
    let mut out = Vec::new();
    let mut in_index = false;
    for p in paras {
        if p.text
            .starts_with("In this Agreement the following terms have the meanings")
        {
            in_index = true;
            continue;
        }
        if in_index && p.style.starts_with("Table") {
            continue;
        }
        in_index = false;
        if p.style == "Signature" || p.text.starts_with("IN WITNESS WHEREOF") {
            continue;
        }
        out.push(p);
    }
    out
}

/// The header (with the draft legend on request), the footer's page fields, the paper
/// size, the index of defined terms and a signature block per Party.
#[test]
fn header_footer_paper_defined_terms_and_signatures() {
    let path = examples()
        .into_iter()
        .find(|p| stem(p) == "acme_globex")
        .unwrap();
    let c = compile(&path);
    let with = |o| unzip(&prose::docx_with(&c.model, &c.ledger, &c.sources, o).unwrap());
    let plain = with(prose::ProseOptions::default());
    let header = part(&plain, "word/header1.xml");
    assert!(
        header.contains("Acme\u{2013}Globex Patent Cross-License") && !header.contains("DRAFT"),
        "{header}"
    );
    let footer = part(&plain, "word/footer1.xml");
    assert!(
        footer.contains("w:instr=\" PAGE \"") && footer.contains("w:instr=\" NUMPAGES \""),
        "{footer}"
    );
    let body = part(&plain, "word/document.xml");
    let sections = body.matches("<w:sectPr>").count();
    assert_eq!(
        body.matches("<w:headerReference w:type=\"default\" r:id=\"rId4\"/>")
            .count(),
        sections
    );
    assert_eq!(
        body.matches("<w:footerReference w:type=\"default\" r:id=\"rId5\"/>")
            .count(),
        sections
    );
    let rels = part(&plain, "word/_rels/document.xml.rels");
    assert!(rels.contains("Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\""), "{rels}");
    assert!(rels.contains("Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\""), "{rels}");
    assert!(
        body.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"),
        "A4 by default"
    );

    let letter = with(prose::ProseOptions {
        draft: true,
        paper: prose::Paper::Letter,
        ..Default::default()
    });
    assert!(part(&letter, "word/header1.xml").contains("DRAFT \u{2014} subject to contract"));
    let body_l = part(&letter, "word/document.xml");
    assert!(
        body_l.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"),
        "letter portrait"
    );
    assert!(body_l.contains("<w:pgSz w:w=\"15840\" w:h=\"12240\" w:orient=\"landscape\"/>"));
    assert!(!body_l.contains("11906"));

    let doc = roxmltree::Document::parse(body).unwrap();
    let paras = paragraphs(&doc);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    // The index: terms of the preamble and of Article 1, alphabetically, not run-in
    // headings.
    let lead = texts
        .iter()
        .position(|t| t.starts_with("In this Agreement the following terms"))
        .unwrap();
    let first_clause = texts.iter().position(|t| t.starts_with("1.1")).unwrap();
    let index: Vec<&str> = texts[lead + 1..first_clause].to_vec();
    for term in [
        "\u{201c}Acme\u{201d}",
        "\u{201c}Effective Date\u{201d}",
        "\u{201c}Motion Control Patents\u{201d}",
        "\u{201c}Fields of Use\u{201d}",
        "\u{201c}Parties\u{201d}",
    ] {
        assert!(index.contains(&term), "{term} not in {index:?}");
    }
    assert!(!index.iter().any(|t| t.contains("Renewal")), "{index:?}");
    let terms: Vec<&&str> = index.iter().filter(|t| t.starts_with('\u{201c}')).collect();
    let mut sorted = terms.clone();
    sorted.sort_by_key(|t| t.trim_matches(['\u{201c}', '\u{201d}']).to_lowercase());
    assert_eq!(terms, sorted);
    let at = index
        .iter()
        .position(|t| *t == "\u{201c}Motion Control Patents\u{201d}")
        .unwrap();
    assert_eq!(index[at + 1], "Clause 1.2");
    // One signature block per Party, after the last article and before the schedules.
    let witness = texts
        .iter()
        .position(|t| t.starts_with("IN WITNESS WHEREOF"))
        .unwrap();
    let schedule = texts
        .iter()
        .position(|t| t.starts_with("Schedule 1"))
        .unwrap();
    let signatures: Vec<&Para> = paras.iter().filter(|p| p.style == "Signature").collect();
    assert_eq!(signatures.len(), 2);
    assert!(
        signatures[0].text.starts_with("Acme Robotics, Inc.By:")
            && signatures[1].text.starts_with("Globex Corporation")
    );
    let between: Vec<&&str> = texts[witness + 1..schedule]
        .iter()
        .filter(|t| !t.is_empty())
        .collect();
    assert!(witness < schedule && between.len() == 2, "{between:?}");
}
