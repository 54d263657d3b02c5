//! The agreement as Markdown (`xlic build --emit markdown`): one top-level heading per
//! agreement, articles as second-level headings, clauses as numbered paragraphs that
//! start with their clause id, and the schedules as tables.

use super::{build, AgreementDoc, Block, Clause, Run, Table, Text};
use crate::model::Model;
use crate::source::SourceMap;

/// Renders every agreement of the model as Markdown, one after another.
pub fn markdown(model: &Model, sources: &SourceMap) -> String {
    let docs = build(model, sources);
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        agreement(&mut out, d);
    }
    if docs.is_empty() {
        out.push_str("*No agreement to render.*\n");
    }
    out
}

fn agreement(out: &mut String, d: &AgreementDoc) {
    out.push_str(&format!("# {}\n\n", escape(&d.title)));
    out.push_str(&format!(
        "*{} \u{b7} compiled by xlic from {}. Each clause starts with its clause id in brackets, which identifies it in the source and in the JSON policy.*\n\n",
        crate::text::agreement_kind_label(d.kind),
        code(&d.source)
    ));
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
            clause(out, c, 0);
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

fn clause(out: &mut String, c: &Clause, depth: usize) {
    let indent = "  ".repeat(depth);
    let label = format!("**{}** {}", escape(c.label()), code(&format!("[{}]", c.id)));
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
        clause(out, s, depth + 1);
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
    let s = s.replace('\n', " ");
    if s.is_empty() {
        " ".to_string()
    } else {
        s
    }
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
    let s = s.replace('\n', " ");
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
            _ => out.push(c),
        }
    }
    out
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
    fn escapes_markup() {
        assert_eq!(escape("a_b *c* [d]"), "a\\_b \\*c\\* \\[d\\]");
        assert_eq!(code("x"), "`x`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(block_start("1. note"), "1\\. note");
        assert_eq!(block_start("# note"), "\\# note");
        assert_eq!(block_start("plain"), "plain");
    }
}
