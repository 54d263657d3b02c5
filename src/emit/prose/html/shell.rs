//! The page shell the prose report and the portfolio report share: the document head
//! with the stylesheet, the banner with its status pill, and the words and classes of
//! severities.

use super::{escape, CSS};
use crate::diagnostics::Severity;
use std::fmt::Write as _;

/// Opens a self-contained page in the prose report's visual style: the doctype, the
/// head with the shared stylesheet (followed by `extra_css`, for a page that needs a
/// few rules of its own) and the two-column layout. The caller writes the `nav.toc`
/// and the `<main>`, then calls [`page_close`]. The portfolio report uses it too.
pub(crate) fn page_open(o: &mut String, title: &str, extra_css: &str) {
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta name=\"generator\" content=\"xlic\">\n");
    let _ = writeln!(o, "<title>{}</title>", escape(title));
    o.push_str("<style>\n");
    o.push_str(CSS);
    o.push_str(extra_css);
    o.push_str("</style>\n</head>\n<body>\n<div class=\"layout\">\n");
}

/// Closes what [`page_open`] opened, and the `<main>` the caller opened.
pub(crate) fn page_close(o: &mut String) {
    o.push_str("</main>\n</div>\n</body>\n</html>\n");
}

/// The strip above the page: the brand, what the page covers, and a status pill that
/// counts errors and warnings.
pub(crate) fn banner(o: &mut String, what: &str, errors: usize, warnings: usize) {
    let status = if errors > 0 {
        (
            "status-error",
            format!(
                "{}, {}",
                plural(errors, "error", "errors"),
                plural(warnings, "warning", "warnings")
            ),
        )
    } else if warnings > 0 {
        ("status-warning", plural(warnings, "warning", "warnings"))
    } else {
        ("status-ok", "No conflicts or warnings".to_string())
    };
    let _ = writeln!(
        o,
        "<div class=\"banner\"><span class=\"brand\">xlic</span><span>{}</span><span class=\"status {}\">{}</span></div>",
        escape(what),
        status.0,
        escape(&status.1)
    );
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A diagnostic's text: escaped, with the `backticked` names it quotes as code.
pub(crate) fn diag_text(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return escape(s);
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(p));
        } else {
            out.push_str(&escape(p));
        }
    }
    out
}

pub(crate) fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub(crate) fn sev_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    }
}
