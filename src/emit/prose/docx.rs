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
//! Layout: A4 (210 × 297 mm) with 2.54 cm margins; the articles are portrait and each
//! agreement's schedules are a landscape section, so the nine-column license matrix
//! stays readable.
//!
//! The package is written by a small store-only zip writer ([`store`]): entries in a
//! fixed order, every timestamp 1980-01-01 00:00, no extra fields, so the same input
//! gives the same bytes. The only date inside is the agreement's effective date, used as
//! the document's creation date.

use super::markdown::kind_label;
use super::{build, AgreementDoc, Block, Clause, Run, Table, Text};
use crate::model::Model;
use crate::source::SourceMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A4 in twentieths of a point (twips).
const PAGE_SHORT: u32 = 11906;
const PAGE_LONG: u32 = 16838;
/// 1 inch (2.54 cm) on every side.
const MARGIN: u32 = 1440;
/// The width of the text in a landscape section.
const LANDSCAPE_TEXT: u32 = PAGE_LONG - 2 * MARGIN;
/// One indentation step of a clause level (1.27 cm).
const STEP: u32 = 720;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
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

/// Renders every agreement of the model as one `.docx` package (the zip bytes).
pub fn docx(model: &Model, sources: &SourceMap) -> Result<Vec<u8>, DocxError> {
    store(&parts(model, sources))
}

/// The parts of the package, in the order they are zipped: `[Content_Types].xml` first,
/// as readers expect.
pub(crate) fn parts(model: &Model, sources: &SourceMap) -> Vec<(&'static str, String)> {
    let docs = build(model, sources);
    vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core(&docs)),
        ("docProps/app.xml", app()),
        ("word/document.xml", document(&docs)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering()),
        ("word/settings.xml", settings()),
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

// ------------------------------------------------------------------ the document

struct Writer {
    out: String,
    bookmarks: Bookmarks,
    next_bookmark: u32,
    /// The bookmarks already placed: each is placed once.
    placed: BTreeSet<String>,
}

/// Paragraph properties beyond the style.
#[derive(Default)]
struct Props<'a> {
    page_break: bool,
    /// Left indent and hanging indent, overriding the style's.
    indent: Option<(u32, u32)>,
    /// Bullet level in the list of `numbering.xml`.
    bullet: Option<usize>,
    bookmark: Option<&'a str>,
    keep_next: bool,
}

impl Writer {
    fn para(&mut self, style: &str, props: Props<'_>, content: &str) {
        self.out.push_str("<w:p><w:pPr>");
        self.out
            .push_str(&format!("<w:pStyle w:val=\"{}\"/>", escape(style)));
        if props.keep_next {
            self.out.push_str("<w:keepNext/>");
        }
        if props.page_break {
            self.out.push_str("<w:pageBreakBefore/>");
        }
        if let Some(level) = props.bullet {
            self.out.push_str(&format!(
                "<w:numPr><w:ilvl w:val=\"{}\"/><w:numId w:val=\"1\"/></w:numPr>",
                level.min(8)
            ));
        }
        if let Some((left, hanging)) = props.indent {
            self.out.push_str(&format!(
                "<w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/>"
            ));
        }
        self.out.push_str("</w:pPr>");
        let mark = props
            .bookmark
            .and_then(|a| self.bookmarks.get(a))
            .filter(|name| self.placed.insert((*name).to_string()));
        let id = self.next_bookmark;
        if let Some(name) = mark {
            self.out.push_str(&format!(
                "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/>",
                escape(name)
            ));
        }
        self.out.push_str(content);
        if mark.is_some() {
            self.out
                .push_str(&format!("<w:bookmarkEnd w:id=\"{id}\"/>"));
            self.next_bookmark += 1;
        }
        self.out.push_str("</w:p>\n");
    }

    /// Inline text: plain runs, defined terms, source identifiers and cross-references
    /// (internal hyperlinks to a bookmark, when the target is in the document).
    fn inline(&self, t: &Text) -> String {
        let mut s = String::new();
        for r in &t.0 {
            match r {
                Run::Text(x) => s.push_str(&run(x, None)),
                Run::Term(x) => s.push_str(&run(x, Some("DefinedTerm"))),
                Run::Code(x) => s.push_str(&run(x, Some("SourceCode"))),
                Run::Ref { text, anchor } => match self.bookmarks.get(anchor) {
                    Some(name) => s.push_str(&format!(
                        "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{}</w:hyperlink>",
                        escape(name),
                        run(text, Some("Hyperlink"))
                    )),
                    None => s.push_str(&run(text, None)),
                },
            }
        }
        s
    }

    fn agreement(&mut self, d: &AgreementDoc, page_break: bool) {
        self.para(
            "Heading1",
            Props {
                page_break,
                bookmark: Some(&d.anchor),
                ..Props::default()
            },
            &run(&d.title, None),
        );
        let note = format!(
            "{}{}{}",
            run(
                &format!("{} \u{b7} compiled by xlic from ", kind_label(d.kind)),
                None
            ),
            run(&d.source, Some("SourceCode")),
            run(
                ". Each clause starts with its clause id in brackets, which identifies it in the source and in the JSON policy.",
                None
            )
        );
        self.para("AgreementNote", Props::default(), &note);
        let preamble = self.inline(&d.preamble);
        self.para("BodyText", Props::default(), &preamble);
        for (i, p) in d.parties.iter().enumerate() {
            let content = format!("{}{TAB}{}", run(&format!("{}.", i + 1), None), {
                self.inline(p)
            });
            self.para("Party", Props::default(), &content);
        }
        let close = self.inline(&d.parties_close);
        self.para("BodyText", Props::default(), &close);
        if !d.recitals.is_empty() {
            self.para("Heading2", Props::default(), &run("Recitals", None));
            for (i, r) in d.recitals.iter().enumerate() {
                let letter = super::letter(i).to_uppercase();
                let content = format!("{}{TAB}{}", run(&format!("({letter})"), None), {
                    self.inline(r)
                });
                self.para("Recital", Props::default(), &content);
            }
            self.para(
                "BodyText",
                Props::default(),
                &run("NOW, THEREFORE, the Parties agree as follows:", None),
            );
        } else {
            self.para(
                "BodyText",
                Props::default(),
                &run("The Parties agree as follows:", None),
            );
        }
        for art in &d.articles {
            self.para(
                "Heading2",
                Props {
                    bookmark: Some(&art.anchor),
                    ..Props::default()
                },
                &run(
                    &format!("Article {} \u{2014} {}", art.number, art.title),
                    None,
                ),
            );
            for c in &art.clauses {
                self.clause(c, 0);
            }
        }
    }

    /// The schedules of an agreement (written in a landscape section).
    fn schedules(&mut self, d: &AgreementDoc) {
        for (i, s) in d.schedules.iter().enumerate() {
            self.para(
                "Heading2",
                Props {
                    page_break: i > 0,
                    bookmark: Some(&s.anchor),
                    ..Props::default()
                },
                &run(&format!("Schedule {} \u{2014} {}", s.number, s.title), None),
            );
            for p in &s.intro {
                let content = self.inline(p);
                self.para("BodyText", Props::default(), &content);
            }
            for t in &s.tables {
                self.table(t, LANDSCAPE_TEXT);
            }
        }
    }

    fn clause(&mut self, c: &Clause, depth: usize) {
        let level = u32::try_from(depth).unwrap_or(u32::MAX).min(8);
        let (style, indent) = match depth {
            0 => ("Clause", None),
            1 => ("Subclause", None),
            _ => ("Subclause", Some((STEP * (level + 1), STEP))),
        };
        let text_indent = STEP * (level + 1);
        let label = format!(
            "{}{TAB}{}",
            run(c.label(), Some("ClauseNumber")),
            run(&format!("[{}]", c.id), Some("SourceCode"))
        );
        let mut first = true;
        for b in &c.blocks {
            match b {
                Block::Para(t) => {
                    if first {
                        let mut text = Text::plain(" ");
                        text.append(t.clone());
                        let content = format!("{label}{}", self.inline(&text));
                        self.para(
                            style,
                            Props {
                                indent,
                                bookmark: Some(&c.anchor),
                                ..Props::default()
                            },
                            &content,
                        );
                        first = false;
                    } else {
                        self.clause_text(t, depth, text_indent);
                    }
                }
                Block::Tree(items) => {
                    if first {
                        self.para(
                            style,
                            Props {
                                indent,
                                bookmark: Some(&c.anchor),
                                keep_next: true,
                                ..Props::default()
                            },
                            &label,
                        );
                        first = false;
                    }
                    for (d, t) in items {
                        let d32 = u32::try_from(*d).unwrap_or(u32::MAX).min(8);
                        let content = self.inline(t);
                        self.para(
                            "TreeItem",
                            Props {
                                bullet: Some(*d),
                                indent: Some((text_indent + 360 * (d32 + 1), 360)),
                                ..Props::default()
                            },
                            &content,
                        );
                    }
                }
            }
        }
        if first {
            self.para(
                style,
                Props {
                    indent,
                    bookmark: Some(&c.anchor),
                    ..Props::default()
                },
                &label,
            );
        }
        for s in &c.subs {
            self.clause(s, depth + 1);
        }
    }

    /// A further paragraph of a clause. One that starts with an item label such as
    /// "(a) " hangs its label, like a lettered item of a contract.
    fn clause_text(&mut self, t: &Text, depth: usize, text_indent: u32) {
        let item = match t.0.first() {
            Some(Run::Text(s)) => item_label(s),
            _ => None,
        };
        let (style, indent) = match (item, depth) {
            (Some(_), 0) => ("ClauseItem", None),
            (Some(_), _) => ("ClauseItem", Some((text_indent + 567, 567))),
            (None, 0) => ("ClauseText", None),
            (None, _) => ("ClauseText", Some((text_indent, 0))),
        };
        let content = match (item, t.0.split_first()) {
            (Some((label, rest)), Some((_, tail))) => {
                let mut s = format!("{}{TAB}{}", run(label, None), run(rest, None));
                s.push_str(&self.inline(&Text(tail.to_vec())));
                s
            }
            _ => self.inline(t),
        };
        self.para(
            style,
            Props {
                indent,
                ..Props::default()
            },
            &content,
        );
    }

    fn table(&mut self, t: &Table, width: u32) {
        if !t.title.is_empty() {
            self.para("Heading3", Props::default(), &run(&t.title, None));
        }
        let widths = column_widths(t, width);
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"";
        self.out
            .push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"XlicTable\"/>");
        self.out.push_str("<w:tblW w:w=\"5000\" w:type=\"pct\"/>");
        self.out.push_str(&format!(
            "<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
        ));
        self.out.push_str("<w:tblLayout w:type=\"fixed\"/>");
        self.out.push_str("<w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar>");
        self.out.push_str("</w:tblPr>\n<w:tblGrid>");
        for w in &widths {
            self.out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        self.out.push_str("</w:tblGrid>\n");
        // The header row, repeated at the top of each page the table runs onto.
        self.out
            .push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (i, h) in t.header.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            self.out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/></w:tcPr>"
            ));
            self.para("TableHeading", Props::default(), &run(h, None));
            self.out.push_str("</w:tc>");
        }
        self.out.push_str("</w:tr>\n");
        for row in &t.rows {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (i, c) in row.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                self.out.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"
                ));
                let style = if t.row_headers && i == 0 {
                    "TableHeading"
                } else {
                    "TableText"
                };
                let content = self.inline(&c.text);
                self.para(style, Props::default(), &content);
                self.out.push_str("</w:tc>");
            }
            // A row shorter than the header still fills the grid.
            for i in row.len()..t.header.len() {
                let w = widths.get(i).copied().unwrap_or(0);
                self.out.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>"
                ));
            }
            self.out.push_str("</w:tr>\n");
        }
        self.out.push_str("</w:tbl>\n");
        // Keeps two tables in a row from merging into one.
        self.para("AfterTable", Props::default(), "");
    }
}

/// "(a) rest" → ("(a)", "rest"): a short parenthesised label at the start of a paragraph.
fn item_label(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix('(')?;
    let close = rest.find(") ")?;
    let inner = rest.get(..close)?;
    if inner.is_empty() || inner.len() > 4 || !inner.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let label = s.get(..close + 2)?;
    let tail = s.get(close + 3..)?;
    Some((label, tail))
}

/// Column widths (in twips) that add up to `total`. Each column is first made as wide
/// as its longest word, so that an identifier is not broken (a character of table text
/// is about 90 twips, monospace 1.3 times that); the rest is shared in proportion to
/// each column's longest text, bounded so that one long cell does not squeeze the others.
fn column_widths(t: &Table, total: u32) -> Vec<u32> {
    let columns = t
        .header
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return Vec::new();
    }
    // Lengths in tenths of a character of the table font.
    let measure = |s: &str, mono: bool| -> (u64, u64) {
        let scale = if mono { 13 } else { 10 };
        let count = |x: &str| u64::try_from(x.chars().count()).unwrap_or(u64::MAX / 16) * scale;
        // Words break only at ordinary spaces (a date's no-break spaces hold it together).
        let word = s.split([' ', '\t', '\n']).map(count).max().unwrap_or(0);
        (count(s), word)
    };
    // (longest text, longest word) per column.
    let mut sizes = vec![(0u64, 0u64); columns];
    let mut cell = |i: usize, (len, word): (u64, u64)| {
        if let Some(s) = sizes.get_mut(i) {
            *s = (s.0.max(len.clamp(40, 300)), s.1.max(word));
        }
    };
    for (i, h) in t.header.iter().enumerate() {
        cell(i, measure(h, false));
    }
    for row in &t.rows {
        for (i, c) in row.iter().enumerate() {
            let (mut len, mut word) = (0, 0);
            for r in &c.text.0 {
                let (l, w) = match r {
                    Run::Code(s) => measure(s, true),
                    Run::Text(s) | Run::Term(s) | Run::Ref { text: s, .. } => measure(s, false),
                };
                len += l;
                word = word.max(w);
            }
            cell(i, (len, word));
        }
    }
    let total64 = u64::from(total);
    // 9 twips per tenth of a character, and 240 for the cell margins.
    let minimum: Vec<u64> = sizes.iter().map(|(_, w)| w * 9 + 240).collect();
    let min_sum: u64 = minimum.iter().sum();
    let mut widths: Vec<u64> = if min_sum >= total64 {
        minimum
            .iter()
            .map(|m| m * total64 / min_sum.max(1))
            .collect()
    } else {
        let spare = total64 - min_sum;
        let weight_sum: u64 = sizes.iter().map(|(l, _)| l).sum::<u64>().max(1);
        minimum
            .iter()
            .zip(&sizes)
            .map(|(m, (l, _))| m + spare * l / weight_sum)
            .collect()
    };
    // The rounding remainder goes to the last column.
    let used: u64 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total64.saturating_sub(used);
    }
    widths
        .into_iter()
        .map(|w| u32::try_from(w).unwrap_or(total))
        .collect()
}

fn section(landscape: bool) -> String {
    let (w, h, orient) = if landscape {
        (PAGE_LONG, PAGE_SHORT, " w:orient=\"landscape\"")
    } else {
        (PAGE_SHORT, PAGE_LONG, "")
    };
    format!(
        "<w:sectPr><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/><w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr>"
    )
}

fn document(docs: &[AgreementDoc]) -> String {
    let mut w = Writer {
        out: String::new(),
        bookmarks: Bookmarks::collect(docs),
        next_bookmark: 0,
        placed: BTreeSet::new(),
    };
    // Whether the section being written is landscape, and whether anything is written.
    let mut landscape = false;
    let mut started = false;
    for d in docs {
        if landscape {
            // Closes the previous agreement's schedules; the next section starts on a
            // new page.
            w.out
                .push_str(&format!("<w:p><w:pPr>{}</w:pPr></w:p>\n", section(true)));
            landscape = false;
            w.agreement(d, false);
        } else {
            w.agreement(d, started);
        }
        started = true;
        if !d.schedules.is_empty() {
            w.out
                .push_str(&format!("<w:p><w:pPr>{}</w:pPr></w:p>\n", section(false)));
            landscape = true;
            w.schedules(d);
        }
    }
    if docs.is_empty() {
        w.para(
            "BodyText",
            Props::default(),
            &run("No agreement to render.", None),
        );
    }
    format!(
        "{XML_DECL}<w:document xmlns:w=\"{W_NS}\"><w:body>\n{}{}</w:body></w:document>\n",
        w.out,
        section(landscape)
    )
}

// ------------------------------------------------------------------ the other parts

fn content_types() -> String {
    let over = |part: &str, kind: &str| {
        format!("<Override PartName=\"{part}\" ContentType=\"application/vnd.openxmlformats-{kind}+xml\"/>")
    };
    format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
{}{}{}{}{}{}</Types>\n",
        over(
            "/word/document.xml",
            "officedocument.wordprocessingml.document.main"
        ),
        over("/word/styles.xml", "officedocument.wordprocessingml.styles"),
        over(
            "/word/numbering.xml",
            "officedocument.wordprocessingml.numbering"
        ),
        over("/word/settings.xml", "officedocument.wordprocessingml.settings"),
        over("/docProps/core.xml", "package.core-properties"),
        over("/docProps/app.xml", "officedocument.extended-properties"),
    )
}

fn relationships(list: &[(&str, &str)]) -> String {
    let mut out = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (i, (kind, target)) in list.iter().enumerate() {
        out.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"{kind}\" Target=\"{target}\"/>",
            i + 1
        ));
    }
    out.push_str("</Relationships>\n");
    out
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn package_rels() -> String {
    relationships(&[
        (&format!("{REL}/officeDocument"), "word/document.xml"),
        (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        (&format!("{REL}/extended-properties"), "docProps/app.xml"),
    ])
}

fn document_rels() -> String {
    relationships(&[
        (&format!("{REL}/styles"), "styles.xml"),
        (&format!("{REL}/numbering"), "numbering.xml"),
        (&format!("{REL}/settings"), "settings.xml"),
    ])
}

/// The document properties: the title, the kind of agreement and the source; created on
/// the (first) agreement's effective date when it has one, else no date at all.
fn core(docs: &[AgreementDoc]) -> String {
    let titles: Vec<&str> = docs.iter().map(|d| d.title.as_str()).collect();
    let title = if titles.is_empty() {
        "No agreement".to_string()
    } else {
        titles.join("; ")
    };
    let mut out = format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>",
        escape(&title)
    );
    if let Some(d) = docs.first() {
        out.push_str(&format!(
            "<dc:subject>{}</dc:subject><dc:description>Compiled by xlic from {}</dc:description>",
            escape(kind_label(d.kind)),
            escape(&d.source)
        ));
    }
    if let Some(date) = docs.first().and_then(|d| d.effective) {
        let (y, m, day) = date.ymd();
        let stamp = format!("{y:04}-{m:02}-{day:02}T00:00:00Z");
        out.push_str(&format!(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified>"
        ));
    }
    out.push_str("</cp:coreProperties>\n");
    out
}

fn app() -> String {
    format!(
        "{XML_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>xlic</Application></Properties>\n"
    )
}

fn settings() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"{STEP}\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>\n"
    )
}

/// One bullet list, nine levels, for the tree of fields of use. The indent of each item
/// is set on its paragraph (it depends on the clause it is in).
fn numbering() -> String {
    let mut out = format!(
        "{XML_DECL}<w:numbering xmlns:w=\"{W_NS}\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
    );
    for level in 0..9u32 {
        let bullet = if level % 2 == 0 {
            "\u{2022}"
        } else {
            "\u{2013}"
        };
        out.push_str(&format!(
            "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"{bullet}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
            STEP + 360 * (level + 1)
        ));
    }
    out.push_str(
        "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>\n",
    );
    out
}

/// A paragraph style: id, display name, what it is based on, paragraph and run
/// properties.
fn paragraph_style(id: &str, name: &str, based_on: &str, ppr: &str, rpr: &str) -> String {
    let based = if based_on.is_empty() {
        String::new()
    } else {
        format!("<w:basedOn w:val=\"{based_on}\"/>")
    };
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{based}<w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

fn character_style(id: &str, name: &str, rpr: &str) -> String {
    format!(
        "<w:style w:type=\"character\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:qFormat/><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

fn styles() -> String {
    let serif = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>";
    let mono = "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:eastAsia=\"Courier New\" w:cs=\"Courier New\"/>";
    let hang = |left: u32, hanging: u32| {
        format!("<w:spacing w:after=\"160\"/><w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/><w:jc w:val=\"both\"/>")
    };
    let heading = |level: u32, before: u32, extra: &str| {
        format!(
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"160\"/>{extra}<w:outlineLvl w:val=\"{level}\"/>"
        )
    };
    let mut out = format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault><w:rPr>{serif}<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-US\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    );
    out.push_str("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    out.push_str(&paragraph_style(
        "Heading1",
        "heading 1",
        "Normal",
        &heading(0, 0, "<w:jc w:val=\"center\"/>"),
        "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
    ));
    out.push_str(&paragraph_style(
        "Heading2",
        "heading 2",
        "Normal",
        &heading(1, 360, ""),
        "<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>",
    ));
    out.push_str(&paragraph_style(
        "Heading3",
        "heading 3",
        "Normal",
        &heading(2, 240, ""),
        "<w:b/><w:bCs/><w:i/><w:iCs/>",
    ));
    out.push_str(&paragraph_style(
        "BodyText",
        "Body Text",
        "Normal",
        "<w:spacing w:after=\"160\"/><w:jc w:val=\"both\"/>",
        "",
    ));
    out.push_str(&paragraph_style(
        "AgreementNote",
        "Agreement Note",
        "Normal",
        "<w:spacing w:after=\"240\"/><w:jc w:val=\"center\"/>",
        "<w:i/><w:iCs/><w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "Party",
        "Party",
        "Normal",
        &hang(STEP, 360),
        "",
    ));
    out.push_str(&paragraph_style(
        "Recital",
        "Recital",
        "Normal",
        &hang(STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "Clause",
        "Clause",
        "Normal",
        &hang(STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "Subclause",
        "Subclause",
        "Normal",
        &hang(2 * STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "ClauseText",
        "Clause Text",
        "Normal",
        &hang(STEP, 0),
        "",
    ));
    out.push_str(&paragraph_style(
        "ClauseItem",
        "Clause Item",
        "Normal",
        &hang(STEP + 567, 567),
        "",
    ));
    out.push_str(&paragraph_style(
        "TreeItem",
        "Tree Item",
        "Normal",
        "<w:spacing w:after=\"40\"/>",
        "",
    ));
    out.push_str(&paragraph_style(
        "TableText",
        "Table Text",
        "Normal",
        "<w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "TableHeading",
        "Table Heading",
        "TableText",
        "<w:keepNext/>",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&paragraph_style(
        "AfterTable",
        "After Table",
        "Normal",
        "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"12\"/><w:szCs w:val=\"12\"/>",
    ));
    out.push_str(&character_style(
        "DefinedTerm",
        "Defined Term",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&character_style(
        "ClauseNumber",
        "Clause Number",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&character_style(
        "SourceCode",
        "Source Code",
        &format!("{mono}<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
    ));
    out.push_str(&character_style(
        "Hyperlink",
        "Hyperlink",
        "<w:color w:val=\"1F4E79\"/><w:u w:val=\"single\"/>",
    ));
    out.push_str("<w:style w:type=\"table\" w:styleId=\"XlicTable\"><w:name w:val=\"Xlic Table\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/></w:tblBorders></w:tblPr></w:style>");
    out.push_str("</w:styles>\n");
    out
}

// ------------------------------------------------------------------ the zip container

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip requires.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// 1980-01-01 in MS-DOS date format (the earliest a zip can hold); the time is 00:00.
const DOS_DATE: u16 = (1 << 5) | 1;

/// Writes the entries, in the order given, as a zip archive without compression.
///
/// Stored (not deflated) entries keep the writer a page of code with no dependency and
/// make the output trivially deterministic; a document of a few hundred kilobytes is
/// fine for Word, LibreOffice and mail.
pub(crate) fn store(entries: &[(&str, String)]) -> Result<Vec<u8>, DocxError> {
    let too_big = || DocxError("the document is too large for a zip archive (over 4 GiB)".into());
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for (name, data) in entries {
        let data = data.as_bytes();
        let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
        let size = u32::try_from(data.len()).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        let crc = crc32(data);
        // Version needed 2.0, no flags, stored, 1980-01-01 00:00.
        let common = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
            buf.extend_from_slice(&DOS_DATE.to_le_bytes());
            buf.extend_from_slice(&crc.to_le_bytes());
            buf.extend_from_slice(&size.to_le_bytes());
            buf.extend_from_slice(&size.to_le_bytes());
            buf.extend_from_slice(&name_len.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        // Made by: version 2.0, MS-DOS attributes.
        central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut central);
        // Comment length, disk number, internal and external attributes.
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(entries.len()).map_err(|_| too_big())?;
    let central_offset = u32::try_from(out.len()).map_err(|_| too_big())?;
    let central_size = u32::try_from(central.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
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
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
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
    fn item_labels() {
        assert_eq!(item_label("(a) US 1"), Some(("(a)", "US 1")));
        assert_eq!(item_label("(iv) x"), Some(("(iv)", "x")));
        assert_eq!(item_label("(not a label) x"), None);
        assert_eq!(item_label("plain"), None);
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
