//! The body of the Word document: `word/document.xml`, written from the prose document
//! (paragraphs with styles, runs, bookmarks and internal hyperlinks, tables with
//! column widths, portrait and landscape sections with the header and footer, the index
//! of defined terms in Article 1 and the signature blocks).

use super::package::{FOOTER_REL, HEADER_REL};
use super::*;
use crate::emit::prose::{AgreementDoc, Block, Cell, Clause, ProseOptions, Run, Table, Text};

struct Writer {
    out: String,
    bookmarks: Bookmarks,
    next_bookmark: u32,
    /// The bookmarks already placed: each is placed once.
    placed: BTreeSet<String>,
    options: ProseOptions,
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
        if self.options.banner {
            let ids = if self.options.clause_ids {
                crate::emit::prose::markdown::IDS_NOTE
            } else {
                ""
            };
            let note = format!(
                "{}{}{}",
                run(
                    &format!(
                        "{} \u{b7} compiled by xlic from ",
                        crate::text::agreement_kind_label(d.kind)
                    ),
                    None
                ),
                run(&d.source, Some("SourceCode")),
                run(&format!(".{ids}"), None)
            );
            self.para("AgreementNote", Props::default(), &note);
        }
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
                let letter = crate::text::letter(i).to_uppercase();
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
            if art.number == 1 && art.title == "Definitions" {
                self.defined_terms(d);
            }
            for c in &art.clauses {
                self.clause(c, 0);
            }
        }
        self.signatures(d);
    }

    /// The index of the agreement's defined terms at the head of Article 1: every term
    /// the preamble defines in quotes (the Agreement, the Effective Date, each Party's
    /// short name, the Parties) and every term a clause defines (an asset, the Fields of
    /// Use, a territory, the Affiliates), alphabetically, each with a link to where it
    /// is defined. The definitions themselves stay where the text makes them.
    fn defined_terms(&mut self, d: &AgreementDoc) {
        let terms = defined_terms(d);
        if terms.is_empty() {
            return;
        }
        self.lead_in(
            "In this Agreement the following terms have the meanings given to them where they are defined:",
        );
        let table = Table {
            title: String::new(),
            header: vec!["Defined term".to_string(), "Where defined".to_string()],
            rows: terms
                .into_iter()
                .map(|(term, place)| {
                    let mut t = Text::new();
                    t.0.push(Run::Term(format!("\u{201c}{term}\u{201d}")));
                    vec![
                        Cell {
                            text: t,
                            class: None,
                        },
                        Cell {
                            text: place,
                            class: None,
                        },
                    ]
                })
                .collect(),
            row_headers: false,
            class: "index",
        };
        self.table(&table, text_widths(self.options.paper).0);
    }

    /// A body paragraph kept on the page of what follows it.
    fn lead_in(&mut self, text: &str) {
        self.para(
            "BodyText",
            Props {
                keep_next: true,
                ..Props::default()
            },
            &run(text, None),
        );
    }

    /// The signature block: the attestation, then for each Party its name and lines
    /// for the signature, the signatory's name and title, and the date.
    fn signatures(&mut self, d: &AgreementDoc) {
        let names: Vec<String> = d
            .parties
            .iter()
            .filter_map(|p| {
                p.0.iter().find_map(|r| match r {
                    Run::Term(name) => Some(name.clone()),
                    _ => None,
                })
            })
            .collect();
        if names.is_empty() {
            return;
        }
        let date = if d.effective.is_some() {
            "as of the Effective Date"
        } else {
            "on the dates written below"
        };
        self.lead_in(&format!("IN WITNESS WHEREOF, the Parties have caused this Agreement to be executed by their duly authorised representatives {date}."));
        for name in names {
            let mut content = run(&name, Some("DefinedTerm"));
            for line in ["By:", "Name:", "Title:", "Date:"] {
                content.push_str(&format!(
                    "<w:r><w:br/></w:r>{}{TAB}{}",
                    run(line, None),
                    run("______________________________", None)
                ));
            }
            self.para("Signature", Props::default(), &content);
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
                self.table(t, text_widths(self.options.paper).1);
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
        let label = if self.options.clause_ids {
            format!(
                "{}{TAB}{}",
                run(c.label(), Some("ClauseNumber")),
                run(&format!("[{}]", c.id), Some("SourceCode"))
            )
        } else {
            run(c.label(), Some("ClauseNumber"))
        };
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

/// The agreement's defined terms and where each is defined, alphabetically (the first
/// definition of a term that is defined twice).
fn defined_terms(d: &AgreementDoc) -> Vec<(String, Text)> {
    let mut found: Vec<(String, Text)> = Vec::new();
    let preamble = || Text::plain("the preamble");
    for t in std::iter::once(&d.preamble)
        .chain(&d.parties)
        .chain(std::iter::once(&d.parties_close))
    {
        for r in &t.0 {
            if let Run::Text(s) = r {
                for term in quoted(s) {
                    found.push((term, preamble()));
                }
            }
        }
    }
    fn clauses(list: &[Clause], found: &mut Vec<(String, Text)>) {
        for c in list {
            let place = || {
                Text(vec![Run::Ref {
                    text: format!("Clause {}", c.number),
                    anchor: c.anchor.clone(),
                }])
            };
            for b in &c.blocks {
                let texts: Vec<&Text> = match b {
                    Block::Para(t) => vec![t],
                    Block::Tree(items) => items.iter().map(|(_, t)| t).collect(),
                };
                // A term in quotes is defined here; a bold term without them is a
                // run-in heading ("Renewal.").
                for t in texts {
                    for pair in t.0.windows(2) {
                        if let [Run::Text(before), Run::Term(term)] = pair {
                            if before.ends_with(['"', '\u{201c}']) {
                                found.push((term.clone(), place()));
                            }
                        }
                    }
                }
            }
            clauses(&c.subs, found);
        }
    }
    for a in &d.articles {
        clauses(&a.clauses, &mut found);
    }
    let mut seen = BTreeSet::new();
    found.retain(|(term, _)| seen.insert(term.clone()));
    found.sort_by_key(|(term, _)| (term.to_lowercase(), term.clone()));
    found
}

/// The capitalised phrases a sentence defines in straight or curly double quotes:
/// `(this "Agreement")`, `("Acme")`.
fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(['"', '\u{201c}']) {
        let after = &rest[open..];
        let body_start = after.chars().next().map_or(1, char::len_utf8);
        let body = &after[body_start..];
        let Some(close) = body.find(['"', '\u{201d}']) else {
            break;
        };
        let term = &body[..close];
        if term.starts_with(|c: char| c.is_uppercase()) && term.chars().count() <= 60 {
            out.push(term.to_string());
        }
        let end = close + body[close..].chars().next().map_or(1, char::len_utf8);
        rest = &body[end..];
    }
    out
}

fn section(landscape: bool, paper: crate::emit::prose::Paper) -> String {
    let (short, long) = page_size(paper);
    let (w, h, orient) = if landscape {
        (long, short, " w:orient=\"landscape\"")
    } else {
        (short, long, "")
    };
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{HEADER_REL}\"/><w:footerReference w:type=\"default\" r:id=\"{FOOTER_REL}\"/><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/><w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr>"
    )
}

pub(super) fn document(docs: &[AgreementDoc], options: ProseOptions) -> String {
    let mut w = Writer {
        out: String::new(),
        bookmarks: Bookmarks::collect(docs),
        next_bookmark: 0,
        placed: BTreeSet::new(),
        options,
    };
    // Whether the section being written is landscape, and whether anything is written.
    let mut landscape = false;
    let mut started = false;
    for d in docs {
        if landscape {
            // Closes the previous agreement's schedules; the next section starts on a
            // new page.
            w.out.push_str(&format!(
                "<w:p><w:pPr>{}</w:pPr></w:p>\n",
                section(true, options.paper)
            ));
            landscape = false;
            w.agreement(d, false);
        } else {
            w.agreement(d, started);
        }
        started = true;
        if !d.schedules.is_empty() {
            w.out.push_str(&format!(
                "<w:p><w:pPr>{}</w:pPr></w:p>\n",
                section(false, options.paper)
            ));
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
        "{XML_DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{REL_NS}\"><w:body>\n{}{}</w:body></w:document>\n",
        w.out,
        section(landscape, options.paper)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn item_labels() {
        assert_eq!(item_label("(a) US 1"), Some(("(a)", "US 1")));
        assert_eq!(item_label("(iv) x"), Some(("(iv)", "x")));
        assert_eq!(item_label("(not a label) x"), None);
        assert_eq!(item_label("plain"), None);
    }

    #[test]
    fn quoted_terms_are_the_capitalised_ones() {
        assert_eq!(
            quoted("This Deal (this \"Agreement\") is made (the \u{201c}Effective Date\u{201d}), \"x\" and \"Acme\""),
            vec!["Agreement", "Effective Date", "Acme"]
        );
        assert!(quoted("an \"unclosed quote").is_empty());
    }
}
