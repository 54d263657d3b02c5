//! The agreement as Markdown (`xlic build --emit markdown`): one top-level heading per
//! agreement, articles as second-level headings, clauses as numbered paragraphs that
//! start with their clause id, and the schedules as tables.

use super::{build, AgreementDoc, Block, Clause, ProseOptions, Run, Table, Text};
use crate::ledger::Ledger;
use crate::model::Model;
use crate::source::SourceMap;

/// Renders every agreement of the model as Markdown, one after another. `ledger` is the
/// model's rights ledger (`Compilation.ledger`, or `Ledger::build(model)`).
pub fn markdown(model: &Model, ledger: &Ledger, sources: &SourceMap) -> String {
    markdown_with(model, ledger, sources, ProseOptions::default())
}

/// [`markdown`], showing what `options` asks for.
pub fn markdown_with(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    options: ProseOptions,
) -> String {
    let mut docs = build(model, ledger, sources);
    super::apply(&mut docs, options);
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        agreement(&mut out, d, options);
    }
    if docs.is_empty() {
        out.push_str("*No agreement to render.*\n");
    }
    out
}

fn agreement(out: &mut String, d: &AgreementDoc, options: ProseOptions) {
    out.push_str(&format!("# {}\n\n", escape(&d.title)));
    if options.banner {
        out.push_str(&format!(
            "*{} \u{b7} compiled by xlic from {}.{}*\n\n",
            crate::text::agreement_kind_label(d.kind),
            code(&d.source),
            if options.clause_ids { IDS_NOTE } else { "" }
        ));
    }
    paragraph(out, &inline(&d.preamble));
    for (i, p) in d.parties.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, inline(p)));
    }
    out.push('\n');
    paragraph(out, &inline(&d.parties_close));
    if !d.recitals.is_empty() {
        out.push_str("## Recitals\n\n");
        for (i, r) in d.recitals.iter().enumerate() {
            let letter = crate::text::letter(i).to_uppercase();
            paragraph(out, &format!("({letter}) {}", inline(r)));
        }
        paragraph(out, "NOW, THEREFORE, the Parties agree as follows:");
    } else {
        paragraph(out, "The Parties agree as follows:");
    }
    for art in &d.articles {
        out.push_str(&format!(
            "## Article {} \u{2014} {}\n\n",
            art.number,
            escape(&art.title)
        ));
        for c in &art.clauses {
            clause(out, c, 0, options.clause_ids);
        }
    }
    for s in &d.schedules {
        out.push_str(&format!(
            "## Schedule {} \u{2014} {}\n\n",
            s.number,
            escape(&s.title)
        ));
        for p in &s.intro {
            paragraph(out, &inline(p));
        }
        for t in &s.tables {
            table(out, t);
        }
    }
}

/// What the banner says about clause ids, when they are shown.
pub(super) const IDS_NOTE: &str = " Each clause starts with its clause id in brackets, which identifies it in the source and in the JSON policy.";

fn clause(out: &mut String, c: &Clause, depth: usize, ids: bool) {
    let indent = "  ".repeat(depth);
    let label = if ids {
        format!("**{}** {}", escape(c.label()), code(&format!("[{}]", c.id)))
    } else {
        format!("**{}**", escape(c.label()))
    };
    let mut first = true;
    for b in &c.blocks {
        match b {
            Block::Para(t) => {
                let text = inline(t);
                if first {
                    out.push_str(&format!("{indent}{label} {text}\n\n"));
                    first = false;
                } else {
                    out.push_str(&format!("{indent}{}\n\n", block_start(&text)));
                }
            }
            Block::Tree(items) => {
                if first {
                    out.push_str(&format!("{indent}{label}\n\n"));
                    first = false;
                }
                for (d, t) in items {
                    out.push_str(&format!("{indent}{}- {}\n", "  ".repeat(*d), inline(t)));
                }
                out.push('\n');
            }
        }
    }
    if first {
        out.push_str(&format!("{indent}{label}\n\n"));
    }
    for s in &c.subs {
        clause(out, s, depth + 1, ids);
    }
}

fn table(out: &mut String, t: &Table) {
    if !t.title.is_empty() {
        out.push_str(&format!("### {}\n\n", escape(&t.title)));
    }
    let header: Vec<String> = t.header.iter().map(|h| cell(&escape(h))).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let rule: Vec<&str> = t.header.iter().map(|_| "---").collect();
    out.push_str(&format!("|{}|\n", rule.join("|")));
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let s = cell(&inline(&c.text));
                if t.row_headers && i == 0 {
                    format!("**{s}**")
                } else {
                    s
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

fn cell(s: &str) -> String {
    table_cell(s)
}

/// The first row of a Markdown table (a run of lines starting with `|`) that does not
/// split into as many cells as the table's first row, splitting at each `|` not
/// preceded by a backslash as GitHub does; `None` when every table holds. For tests and
/// fuzzing of every Markdown xlic writes.
pub fn ragged_table_row(markdown: &str) -> Option<&str> {
    let cells = |line: &str| {
        let mut n = 0;
        let mut prev = ' ';
        for c in line.chars() {
            n += usize::from(c == '|' && prev != '\\');
            prev = c;
        }
        n
    };
    let mut width = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let n = cells(line);
        if *width.get_or_insert(n) != n {
            return Some(line);
        }
    }
    None
}

/// Markdown (already escaped) as a table cell: on one line, never empty, and with every
/// `|` escaped, code spans included: a table row is split at each `|` not preceded by
/// a backslash before anything else is read (a `|` in a file name broke the tables).
pub(crate) fn table_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' if !escaped => out.push_str("\\|"),
            _ => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    if out.is_empty() {
        out.push(' ');
    }
    out
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&block_start(text));
    out.push_str("\n\n");
}

/// Markdown for inline text.
pub(crate) fn inline(t: &Text) -> String {
    let mut s = String::new();
    for r in &t.0 {
        match r {
            Run::Text(x) => s.push_str(&escape(x)),
            Run::Term(x) => {
                s.push_str("**");
                s.push_str(&escape(x));
                s.push_str("**");
            }
            Run::Code(x) => s.push_str(&code(x)),
            Run::Ref { text, .. } => s.push_str(&escape(text)),
        }
    }
    s
}

/// A code span that survives backticks in its content.
pub(crate) fn code(s: &str) -> String {
    let s: String = s.chars().map(visible).collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Escapes the characters Markdown would read as markup.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(visible(c)),
        }
    }
    out
}

/// A character for Markdown text: a line end reads as a space, and a control character
/// or bidirectional override (`source::is_unsafe_char`) as `�`.
fn visible(c: char) -> char {
    match c {
        '\n' | '\r' => ' ',
        '\t' => c,
        c if crate::source::is_unsafe_char(c) => '\u{FFFD}',
        c => c,
    }
}

/// Keeps a paragraph from starting as a heading, list item or quote.
fn block_start(text: &str) -> String {
    let trimmed = text.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let after_digits = trimmed.get(digits..digits + 1);
    let risky = trimmed.starts_with('#')
        || trimmed.starts_with("- ")
        || trimmed.starts_with("+ ")
        || trimmed.starts_with('=')
        || (digits > 0 && matches!(after_digits, Some(".") | Some(")")));
    if !risky {
        return trimmed.to_string();
    }
    if digits > 0 {
        let (num, rest) = trimmed.split_at(digits);
        format!("{num}\\{rest}")
    } else {
        format!("\\{trimmed}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_ragged_table_row_is_found() {
        let good = "| a | b |\n|---|---|\n| `x\\|y` | c\\|d |\n\ntext | with a bar\n| one |\n";
        assert_eq!(ragged_table_row(good), None);
        let bad = "| a | b |\n|---|---|\n| `x|y` | c |\n";
        assert_eq!(ragged_table_row(bad), Some("| `x|y` | c |"));
        assert_eq!(
            ragged_table_row(&format!("| h | h |\n| {} | z |\n", table_cell("`a|b`"))),
            None
        );
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a_b *c* [d]"), "a\\_b \\*c\\* \\[d\\]");
        assert_eq!(code("x"), "`x`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(block_start("1. note"), "1\\. note");
        assert_eq!(block_start("# note"), "\\# note");
        assert_eq!(block_start("plain"), "plain");
    }
}
