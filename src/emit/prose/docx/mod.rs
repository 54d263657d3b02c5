//! The agreement as a Word document (`xlic build --emit docx`): the same text as the
//! Markdown, in a WordprocessingML package a lawyer can open, redline and send back.
//!
//! The document uses real styles (`Heading 1` for each agreement's title, `Heading 2`
//! for recitals, articles and schedules, `Heading 3` for the parts of a schedule,
//! `Clause` / `Subclause` for numbered clauses, `Defined Term` and `Source Code` for
//! runs), bookmarks at every agreement, article, clause and schedule with internal
//! hyperlinks for the cross-references, and real tables for the schedules (borders,
//! header row repeated on each page).
//!
//! **Clause numbers are literal text**, in a hanging-indent paragraph style, not Word
//! list numbering: the number is the clause's identity (the cross-references in the
//! text, the license matrix and the clause index all print it), so it must read exactly
//! as in the Markdown and the JSON policy, in every word processor, and must not shift
//! silently when a redline inserts a paragraph. `word/numbering.xml` holds one bullet
//! list, used for the tree of fields of use.
//!
//! Layout: A4 (210 × 297 mm, the default) or US Letter (8.5 × 11 in, `--paper
//! letter`) with 2.54 cm margins; the articles are portrait and each agreement's
//! schedules are a landscape section, so the nine-column license matrix stays
//! readable. Every page has a header (the title; "DRAFT" in front of it with `--draft`)
//! and a footer ("Page N of M", Word fields). Article 1 opens with an index of the
//! agreement's defined terms, and the articles end with a signature block for each
//! Party.
//!
//! The package is written by a small store-only zip writer ([`store`]): entries in a
//! fixed order, every timestamp 1980-01-01 00:00, no extra fields, so the same input
//! gives the same bytes. The only date inside is the agreement's effective date, used as
//! the document's creation date.

use super::{build, AgreementDoc, Clause, Paper, ProseOptions};
use crate::ledger::Ledger;
use crate::model::Model;
use crate::source::SourceMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod body;
mod package;
mod zip;

use body::document;
use package::{
    app, content_types, core, document_rels, footer, header, numbering, package_rels, settings,
    styles,
};
pub(crate) use zip::store;

/// 1 inch (2.54 cm) on every side.
const MARGIN: u32 = 1440;

/// The short and long side of the page, in twentieths of a point (twips).
fn page_size(paper: Paper) -> (u32, u32) {
    match paper {
        Paper::A4 => (11906, 16838),
        Paper::Letter => (12240, 15840),
    }
}

/// The width of the text in a portrait and in a landscape section.
fn text_widths(paper: Paper) -> (u32, u32) {
    let (short, long) = page_size(paper);
    (short - 2 * MARGIN, long - 2 * MARGIN)
}
/// One indentation step of a clause level (1.27 cm).
const STEP: u32 = 720;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Why a package could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxError(String);

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DocxError {}

/// Renders every agreement of the model as one `.docx` package (the zip bytes). `ledger`
/// is the model's rights ledger (`Compilation.ledger`, or `Ledger::build(model)`).
pub fn docx(model: &Model, ledger: &Ledger, sources: &SourceMap) -> Result<Vec<u8>, DocxError> {
    docx_with(model, ledger, sources, ProseOptions::default())
}

/// [`docx`], showing what `options` asks for.
pub fn docx_with(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    options: ProseOptions,
) -> Result<Vec<u8>, DocxError> {
    store(&parts(model, ledger, sources, options))
}

/// The parts of the package, in the order they are zipped: `[Content_Types].xml` first,
/// as readers expect.
pub(crate) fn parts(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    options: ProseOptions,
) -> Vec<(&'static str, String)> {
    let mut docs = build(model, ledger, sources);
    crate::emit::prose::apply(&mut docs, options);
    vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core(&docs)),
        ("docProps/app.xml", app()),
        ("word/document.xml", document(&docs, options)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering()),
        ("word/settings.xml", settings()),
        ("word/header1.xml", header(&docs, options)),
        ("word/footer1.xml", footer()),
    ]
}

// ------------------------------------------------------------------ XML text

/// Whether XML 1.0 allows the character at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Escapes text for XML content and attribute values, dropping the characters XML 1.0
/// cannot hold (control characters, U+FFFE and U+FFFF).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// One run of text, with an optional character style. Line breaks read as spaces (as in
/// the Markdown); a tab is a Word tab.
fn run(text: &str, style: Option<&str>) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::from("<w:r>");
    if let Some(s) = style {
        out.push_str(&format!("<w:rPr><w:rStyle w:val=\"{s}\"/></w:rPr>"));
    }
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            out.push_str(&format!(
                "<w:t xml:space=\"preserve\">{}</w:t>",
                escape(piece)
            ));
        }
    }
    out.push_str("</w:r>");
    out
}

const TAB: &str = "<w:r><w:tab/></w:r>";

// ------------------------------------------------------------------ bookmarks

/// Word's bookmark names: a letter first, then letters, digits and underscores, at most
/// 40 characters. Every anchor of the document gets one, unique, in document order.
#[derive(Debug, Default)]
struct Bookmarks {
    names: BTreeMap<String, String>,
    used: BTreeSet<String>,
}

impl Bookmarks {
    fn add(&mut self, anchor: &str) {
        if anchor.is_empty() || self.names.contains_key(anchor) {
            return;
        }
        let mut base: String = anchor
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(34)
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base.insert(0, 'x');
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        self.names.insert(anchor.to_string(), name);
    }

    fn get(&self, anchor: &str) -> Option<&str> {
        self.names.get(anchor).map(String::as_str)
    }

    fn collect(docs: &[AgreementDoc]) -> Bookmarks {
        fn clauses(b: &mut Bookmarks, list: &[Clause]) {
            for c in list {
                b.add(&c.anchor);
                clauses(b, &c.subs);
            }
        }
        let mut b = Bookmarks::default();
        for d in docs {
            b.add(&d.anchor);
            for a in &d.articles {
                b.add(&a.anchor);
                clauses(&mut b, &a.clauses);
            }
            for s in &d.schedules {
                b.add(&s.anchor);
            }
        }
        b
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape("a & b <c> \"d\" 'e'"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(
            escape("x\u{0}\u{1b}y\u{FFFE}\u{FFFF}z\u{1F600}"),
            "xyz\u{1F600}"
        );
        assert_eq!(escape("tab\tline\n"), "tab\tline\n");
    }

    #[test]
    fn runs_turn_tabs_and_newlines_into_word() {
        assert_eq!(
            run("a\tb\nc", None),
            "<w:r><w:t xml:space=\"preserve\">a</w:t><w:tab/><w:t xml:space=\"preserve\">b c</w:t></w:r>"
        );
        assert_eq!(run("", Some("X")), "");
    }

    #[test]
    fn bookmark_names_follow_word_rules() {
        let mut b = Bookmarks::default();
        b.add("clause-2-1");
        b.add("2-1");
        b.add(&"x".repeat(60));
        b.add(&format!("{}y", "x".repeat(60)));
        assert_eq!(b.get("clause-2-1"), Some("clause_2_1"));
        assert_eq!(b.get("2-1"), Some("x2_1"));
        let long = b.get(&"x".repeat(60)).unwrap();
        let other = b.get(&format!("{}y", "x".repeat(60))).unwrap();
        assert!(long.len() <= 40 && other.len() <= 40 && long != other);
    }
}
