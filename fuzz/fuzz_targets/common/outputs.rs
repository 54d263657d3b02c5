//! Every output `xlic` writes from a compilation, with the invariants each must keep,
//! shared by the `emit` and `generated` targets.
//!
//! - The portfolio report (Markdown and HTML) is written whatever the errors, as
//!   `xlic report` does; the other outputs only without errors, as `xlic build` does.
//! - No document holds a control character or a bidirectional override
//!   (`source::is_unsafe_char`; tabs and line ends aside), and every Markdown table
//!   row has as many cells as its header.
//! - A DOCX is a ZIP (it starts with a local file header).
//! - A policy compared with itself has no semantic change, and the redline against a
//!   fixed agreement renders in every format.

use std::sync::OnceLock;
use xlic::emit::json::Policy;

const OTHER: &str = include_str!("../../../examples/acme_globex.xlic");

fn other() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let c = xlic::compile_text("acme_globex.xlic", OTHER);
        assert!(!c.has_errors(), "the fixed agreement must compile");
        xlic::emit::json::policy(&c.model, &c.sources)
    })
}

fn assert_safe(what: &str, doc: &str, text: &str) {
    let bad: Vec<char> = doc
        .chars()
        .filter(|&c| !matches!(c, '\n' | '\r' | '\t') && xlic::source::is_unsafe_char(c))
        .collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}:\n{text}");
}

fn assert_tables(what: &str, markdown: &str, text: &str) {
    if let Some(row) = xlic::emit::prose::markdown::ragged_table_row(markdown) {
        panic!("{what}: a table row out of step:\n{row}\n---\n{text}");
    }
}

/// Writes every output of `c` (compiled from `text`) and checks the invariants above.
pub fn check_all(c: &xlic::Compilation, text: &str) {
    if let Ok(as_of) = xlic::date::Date::parse("2027-06-30") {
        let report = xlic::report::build(
            &c.model,
            &c.ledger,
            &c.sources,
            &c.diagnostics,
            xlic::report::Options { as_of },
        );
        let md = xlic::report::markdown::markdown(&report);
        assert_safe("report markdown", &md, text);
        assert_tables("report markdown", &md, text);
        assert_safe("report html", &xlic::report::html::html(&report), text);
    }
    if c.has_errors() {
        return;
    }
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let _ = xlic::emit::json::to_json(&policy);
    let md = xlic::emit::prose::markdown::markdown(&c.model, &c.ledger, &c.sources);
    assert_safe("markdown", &md, text);
    assert_tables("markdown", &md, text);
    let html = xlic::emit::prose::html::html(&c.model, &c.ledger, &c.sources, &c.diagnostics);
    assert_safe("html", &html, text);
    if let Ok(bytes) = xlic::emit::prose::docx::docx(&c.model, &c.ledger, &c.sources) {
        assert!(bytes.starts_with(b"PK\x03\x04"), "not a ZIP:\n{text}");
    }
    let _ = xlic::emit::odrl::odrl(&c.model, &c.sources);
    let same = xlic::diff::diff(&policy, &policy)
        .unwrap_or_else(|e| panic!("a policy does not read back: {e}\n{text}"));
    assert!(same.is_empty(), "a policy differs from itself:\n{text}");
    for (old, new) in [(&policy, other()), (other(), &policy)] {
        let Ok(redline) = xlic::diff::diff(old, new) else {
            panic!("a policy does not read back:\n{text}");
        };
        let _ = xlic::diff::render_text(&redline);
        let _ = xlic::diff::render_json(&redline);
        let _ = xlic::diff::render_markdown(&redline);
    }
}
