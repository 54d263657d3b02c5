//! The agreement as one self-contained HTML page (`xlic build --emit html`): the same
//! text as the Markdown, a table of contents, an SVG timeline of every license, the
//! license matrix, and each diagnostic shown at the clause it concerns. No scripts, no
//! external fonts, stylesheets or images: the page works offline and prints cleanly.

use super::{
    build, span_contains, AgreementDoc, Block, Clause, RowKind, Run, Table, Text, Timeline,
    TimelineRow,
};
use crate::date::{Date, Duration, DurationUnit};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Model;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{AgreementKind, ExclusivityKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Renders every agreement of the model as one HTML page, with each diagnostic shown
/// at the innermost clause whose span contains the diagnostic's primary span.
pub fn html(model: &Model, sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let docs = build(model, sources);
    let placement = place(&docs, diagnostics);
    let page = Page {
        docs: &docs,
        diags: diagnostics,
        sources,
        placement: &placement,
    };
    page.render()
}

/// Escapes text for HTML content and attribute values. A `://` in the text (a web
/// address a drafter wrote in a note) is written with its colon as a character
/// reference, so that the page holds no URL of any kind, even as text: it reads the
/// same, and a check for external references stays simple.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ':' if rest.starts_with("://") => out.push_str("&#58;"),
            _ => out.push(c),
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// Where each diagnostic is shown.
#[derive(Debug, Default)]
struct Placement {
    /// Clause anchor → diagnostic indexes.
    at_clause: BTreeMap<String, Vec<usize>>,
    /// Agreement index → diagnostics in its file that no clause contains.
    at_agreement: BTreeMap<usize, Vec<usize>>,
    /// Diagnostics that belong to no agreement.
    elsewhere: Vec<usize>,
    /// Clause anchor → diagnostics reported elsewhere whose secondary labels point
    /// into the clause: (diagnostic index, label index).
    related: BTreeMap<String, Vec<(usize, usize)>>,
    /// Diagnostic index → (agreement index, clause anchor, clause number) where shown.
    shown_at: BTreeMap<usize, Vec<(usize, String, String)>>,
}

/// The innermost clause of a document whose spans contain `span`.
fn innermost(doc: &AgreementDoc, span: Span) -> Option<&Clause> {
    let mut best: Option<(&Clause, usize)> = None;
    fn visit<'d>(c: &'d Clause, span: Span, best: &mut Option<(&'d Clause, usize)>) {
        for s in &c.spans {
            if span_contains(*s, span) {
                let len = s.len();
                if best.is_none_or(|(_, l)| len < l) {
                    *best = Some((c, len));
                }
            }
        }
        for sub in &c.subs {
            visit(sub, span, best);
        }
    }
    for art in &doc.articles {
        for c in &art.clauses {
            visit(c, span, &mut best);
        }
    }
    best.map(|(c, _)| c)
}

fn place(docs: &[AgreementDoc], diags: &[Diagnostic]) -> Placement {
    let mut p = Placement::default();
    for (i, d) in diags.iter().enumerate() {
        let mut found = false;
        for (ai, doc) in docs.iter().enumerate() {
            if let Some(c) = innermost(doc, d.primary.span) {
                p.at_clause.entry(c.anchor.clone()).or_default().push(i);
                p.shown_at
                    .entry(i)
                    .or_default()
                    .push((ai, c.anchor.clone(), c.number.clone()));
                found = true;
            }
        }
        for (li, label) in d.secondary.iter().enumerate() {
            for doc in docs {
                let Some(c) = innermost(doc, label.span) else {
                    continue;
                };
                let shown_here = p.at_clause.get(&c.anchor).is_some_and(|v| v.contains(&i));
                let entry = p.related.entry(c.anchor.clone()).or_default();
                if !shown_here && !entry.iter().any(|(x, _)| *x == i) {
                    entry.push((i, li));
                }
            }
        }
        if found {
            continue;
        }
        match docs.iter().position(|doc| doc.file == d.primary.span.file) {
            Some(ai) => p.at_agreement.entry(ai).or_default().push(i),
            None => p.elsewhere.push(i),
        }
    }
    p
}

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

struct Page<'a> {
    docs: &'a [AgreementDoc],
    diags: &'a [Diagnostic],
    sources: &'a SourceMap,
    placement: &'a Placement,
}

fn kind_label(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::CrossLicense => "Cross-license agreement",
        AgreementKind::License => "License agreement",
        AgreementKind::Pool => "Patent pool agreement",
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Page<'_> {
    fn render(&self) -> String {
        let mut o = String::new();
        let title = match self.docs {
            [one] => one.title.clone(),
            [] => "xlic report".to_string(),
            many => format!("{} agreements", many.len()),
        };
        page_open(&mut o, &title, "");
        self.toc(&mut o);
        o.push_str("<main id=\"top\">\n");
        self.banner(&mut o);
        if !self.placement.elsewhere.is_empty() {
            o.push_str("<section class=\"findings-summary\" id=\"other-findings\">\n<h2>Findings outside the agreements</h2>\n");
            for i in &self.placement.elsewhere {
                self.finding(&mut o, *i, None);
            }
            o.push_str("</section>\n");
        }
        for (ai, d) in self.docs.iter().enumerate() {
            self.agreement(&mut o, ai, d);
        }
        if self.docs.is_empty() {
            o.push_str("<p class=\"empty\">No agreement to render.</p>\n");
        }
        page_close(&mut o);
        o
    }

    fn banner(&self, o: &mut String) {
        let errors = self.diags.iter().filter(|d| d.is_error()).count();
        let warnings = self.diags.len() - errors;
        let what = match self.docs {
            [one] => format!("1 agreement \u{b7} {}", one.source),
            many => plural(many.len(), "agreement", "agreements"),
        };
        banner(o, &what, errors, warnings);
    }

    fn findings_count(&self, ai: usize) -> usize {
        let at_clauses = self
            .placement
            .shown_at
            .values()
            .filter(|v| v.iter().any(|(a, _, _)| *a == ai))
            .count();
        at_clauses + self.placement.at_agreement.get(&ai).map_or(0, Vec::len)
    }

    fn agreement_has_error(&self, ai: usize) -> bool {
        let at_clauses = self
            .placement
            .shown_at
            .iter()
            .filter(|(_, v)| v.iter().any(|(a, _, _)| *a == ai))
            .map(|(i, _)| *i);
        let general = self
            .placement
            .at_agreement
            .get(&ai)
            .into_iter()
            .flatten()
            .copied();
        at_clauses
            .chain(general)
            .any(|i| self.diags.get(i).is_some_and(Diagnostic::is_error))
    }

    fn toc(&self, o: &mut String) {
        o.push_str("<nav class=\"toc\" aria-label=\"Table of contents\">\n<p class=\"toc-title\">Contents</p>\n<ol class=\"toc-agreements\">\n");
        for (ai, d) in self.docs.iter().enumerate() {
            let _ = writeln!(
                o,
                "<li><a class=\"toc-doc\" href=\"#{}\">{}</a>\n<ol>",
                escape(&d.anchor),
                escape(&d.title)
            );
            let n = self.findings_count(ai);
            if n > 0 {
                let class = if self.agreement_has_error(ai) {
                    "flag-error"
                } else {
                    "flag-warning"
                };
                let _ = writeln!(
                    o,
                    "<li><a class=\"{class}\" href=\"#{}-findings\">Findings ({n})</a></li>",
                    escape(&d.anchor)
                );
            }
            let _ = writeln!(
                o,
                "<li><a href=\"#{}-parties\">Parties</a></li>",
                escape(&d.anchor)
            );
            if !d.recitals.is_empty() {
                let _ = writeln!(
                    o,
                    "<li><a href=\"#{}-recitals\">Recitals</a></li>",
                    escape(&d.anchor)
                );
            }
            for art in &d.articles {
                let _ = writeln!(
                    o,
                    "<li><a href=\"#{}\"><span class=\"toc-no\">{}</span> {}</a>",
                    escape(&art.anchor),
                    art.number,
                    escape(&art.title)
                );
                if !art.clauses.is_empty() {
                    o.push_str("<ol class=\"toc-clauses\">");
                    for c in &art.clauses {
                        let flag = self.clause_severity(c).map_or("", |s| match s {
                            Severity::Error => " class=\"flag-error\"",
                            Severity::Warning => " class=\"flag-warning\"",
                        });
                        let _ = write!(
                            o,
                            "<li><a href=\"#{}\"{flag}><span class=\"toc-no\">{}</span> {}</a></li>",
                            escape(&c.anchor),
                            escape(&c.number),
                            escape(&c.id)
                        );
                    }
                    o.push_str("</ol>");
                }
                o.push_str("</li>\n");
            }
            if !d.timeline.rows.is_empty() {
                let _ = writeln!(
                    o,
                    "<li><a href=\"#{}-timeline\">Timeline</a></li>",
                    escape(&d.anchor)
                );
            }
            for s in &d.schedules {
                let _ = writeln!(
                    o,
                    "<li><a href=\"#{}\"><span class=\"toc-no\">Sch. {}</span> {}</a></li>",
                    escape(&s.anchor),
                    s.number,
                    escape(&s.title)
                );
            }
            o.push_str("</ol>\n</li>\n");
        }
        o.push_str("</ol>\n</nav>\n");
    }

    /// The most serious diagnostic shown at one clause (its own or a related one).
    fn severity_at(&self, anchor: &str) -> Option<Severity> {
        let own = self.placement.at_clause.get(anchor).into_iter().flatten();
        let related = self
            .placement
            .related
            .get(anchor)
            .into_iter()
            .flatten()
            .map(|(i, _)| i);
        own.chain(related)
            .filter_map(|i| self.diags.get(*i))
            .map(|d| d.severity)
            .min()
    }

    /// The most serious diagnostic shown at a clause or its sub-clauses.
    fn clause_severity(&self, c: &Clause) -> Option<Severity> {
        let mut worst: Option<Severity> = None;
        let mut visit = |c: &Clause| {
            if let Some(s) = self.severity_at(&c.anchor) {
                worst = Some(worst.map_or(s, |w| w.min(s)));
            }
        };
        fn walk(c: &Clause, f: &mut dyn FnMut(&Clause)) {
            f(c);
            for s in &c.subs {
                walk(s, f);
            }
        }
        walk(c, &mut visit);
        worst
    }

    fn agreement(&self, o: &mut String, ai: usize, d: &AgreementDoc) {
        let a = escape(&d.anchor);
        let _ = writeln!(o, "<article class=\"agreement\" id=\"{a}\">");
        o.push_str("<header class=\"doc-head\">\n");
        let _ = writeln!(o, "<p class=\"eyebrow\">{}</p>", kind_label(d.kind));
        let _ = writeln!(o, "<h1>{}</h1>", escape(&d.title));
        o.push_str("<dl class=\"facts\">\n");
        if let Some(e) = d.effective {
            let _ = writeln!(
                o,
                "<div><dt>Effective date</dt><dd>{}</dd></div>",
                escape(&super::long_date(e))
            );
        }
        if let Some(law) = &d.governing_law {
            let _ = writeln!(
                o,
                "<div><dt>Governing law</dt><dd>{}</dd></div>",
                escape(law)
            );
        }
        let _ = writeln!(o, "<div><dt>Parties</dt><dd>{}</dd></div>", d.parties.len());
        let _ = writeln!(
            o,
            "<div><dt>Source</dt><dd><code>{}</code></dd></div>",
            escape(&d.source)
        );
        o.push_str("</dl>\n</header>\n");

        self.findings_summary(o, ai, d);

        let _ = writeln!(o, "<section class=\"preamble\" id=\"{a}-parties\">");
        let _ = writeln!(o, "<p>{}</p>", inline(&d.preamble));
        o.push_str("<ol class=\"parties\">\n");
        for p in &d.parties {
            let _ = writeln!(o, "<li>{}</li>", inline(p));
        }
        o.push_str("</ol>\n");
        let _ = writeln!(o, "<p>{}</p>", inline(&d.parties_close));
        o.push_str("</section>\n");
        if !d.recitals.is_empty() {
            let _ = writeln!(o, "<section class=\"recitals\" id=\"{a}-recitals\">");
            o.push_str("<h2>Recitals</h2>\n<ol class=\"recitals\">\n");
            for r in &d.recitals {
                let _ = writeln!(o, "<li>{}</li>", inline(r));
            }
            o.push_str("</ol>\n<p class=\"agree\">NOW, THEREFORE, the Parties agree as follows:</p>\n</section>\n");
        } else {
            o.push_str("<p class=\"agree\">The Parties agree as follows:</p>\n");
        }
        for art in &d.articles {
            let _ = writeln!(
                o,
                "<section class=\"article\" id=\"{}\">\n<h2><span class=\"art-no\">Article {}</span>{}</h2>",
                escape(&art.anchor),
                art.number,
                escape(&art.title)
            );
            for c in &art.clauses {
                self.clause(o, ai, c, false);
            }
            o.push_str("</section>\n");
        }
        if !d.timeline.rows.is_empty() {
            let _ = writeln!(o, "<section class=\"figure\" id=\"{a}-timeline\">");
            o.push_str("<h2><span class=\"art-no\">Figure</span>Timeline</h2>\n");
            o.push_str("<p class=\"caption\">Each license\u{2019}s term, with its renewal options, renegotiation dates and wind-down period, and each grant-back until its sunset. Renewals are options: the base term is what applies unless they are exercised.</p>\n");
            let _ = writeln!(
                o,
                "<figure class=\"timeline\">{}</figure>",
                self.svg(&d.timeline, &format!("t{}", ai + 1))
            );
            o.push_str("</section>\n");
        }
        for s in &d.schedules {
            let _ = writeln!(
                o,
                "<section class=\"schedule\" id=\"{}\">\n<h2><span class=\"art-no\">Schedule {}</span>{}</h2>",
                escape(&s.anchor),
                s.number,
                escape(&s.title)
            );
            for p in &s.intro {
                let _ = writeln!(o, "<p class=\"caption\">{}</p>", inline(p));
            }
            for t in &s.tables {
                table(o, t);
            }
            o.push_str("</section>\n");
        }
        o.push_str("</article>\n");
    }

    fn findings_summary(&self, o: &mut String, ai: usize, d: &AgreementDoc) {
        let mut shown: Vec<(usize, String, String)> = Vec::new();
        for (i, places) in &self.placement.shown_at {
            for (a, anchor, number) in places {
                if *a == ai {
                    shown.push((*i, anchor.clone(), number.clone()));
                }
            }
        }
        let general = self.placement.at_agreement.get(&ai);
        if shown.is_empty() && general.is_none() {
            return;
        }
        let errors = shown
            .iter()
            .map(|(i, _, _)| *i)
            .chain(general.into_iter().flatten().copied())
            .filter(|i| self.diags.get(*i).is_some_and(Diagnostic::is_error))
            .count();
        let total = shown.len() + general.map_or(0, Vec::len);
        let class = if errors > 0 {
            "has-errors"
        } else {
            "has-warnings"
        };
        let _ = writeln!(
            o,
            "<section class=\"findings-summary {class}\" id=\"{}-findings\">",
            escape(&d.anchor)
        );
        let _ = writeln!(
            o,
            "<h2>Findings <span class=\"count\">{}, {}</span></h2>",
            plural(errors, "error", "errors"),
            plural(total - errors, "warning", "warnings")
        );
        o.push_str("<p class=\"caption\">The checker\u{2019}s conflicts and warnings. Each is also shown at the clause it concerns.</p>\n");
        if !shown.is_empty() {
            o.push_str("<ul class=\"finding-list\">\n");
            for (i, anchor, number) in &shown {
                let Some(diag) = self.diags.get(*i) else {
                    continue;
                };
                let _ = writeln!(
                    o,
                    "<li class=\"{}\"><span class=\"badge\">{}</span> <code>{}</code> {} \u{2014} <a href=\"#{}\">Clause {}</a></li>",
                    sev_class(diag.severity),
                    sev_word(diag.severity),
                    escape(diag.code.as_str()),
                    diag_text(&diag.message),
                    escape(anchor),
                    escape(number)
                );
            }
            o.push_str("</ul>\n");
        }
        if let Some(list) = general {
            for i in list {
                self.finding(o, *i, Some(ai));
            }
        }
        o.push_str("</section>\n");
    }

    fn clause(&self, o: &mut String, ai: usize, c: &Clause, sub: bool) {
        let own = self.placement.at_clause.get(&c.anchor);
        let severity = self.severity_at(&c.anchor);
        let mut class = String::from(if sub { "clause sub" } else { "clause" });
        match severity {
            Some(Severity::Error) => class.push_str(" has-error"),
            Some(Severity::Warning) => class.push_str(" has-warning"),
            None => {}
        }
        let _ = writeln!(
            o,
            "<div class=\"{class}\" id=\"{}\">\n<div class=\"clause-no\">{}</div>\n<div class=\"clause-main\">",
            escape(&c.anchor),
            escape(c.label())
        );
        let _ = writeln!(
            o,
            "<div class=\"clause-meta\"><a class=\"cid\" href=\"#{}\" title=\"Clause id\">{}</a><span class=\"loc\">{}</span></div>",
            escape(&c.anchor),
            escape(&c.id),
            escape(&c.location)
        );
        for b in &c.blocks {
            match b {
                Block::Para(t) => {
                    let _ = writeln!(o, "<p>{}</p>", inline(t));
                }
                Block::Tree(items) => {
                    o.push_str("<ul class=\"tree\">\n");
                    for (depth, t) in items {
                        let _ = writeln!(
                            o,
                            "<li class=\"depth-{}\">{}</li>",
                            (*depth).min(6),
                            inline(t)
                        );
                    }
                    o.push_str("</ul>\n");
                }
            }
        }
        if let Some(list) = own {
            for i in list {
                self.finding(o, *i, Some(ai));
            }
        }
        if let Some(list) = self.placement.related.get(&c.anchor) {
            for (i, li) in list {
                self.related_finding(o, *i, *li, ai);
            }
        }
        for s in &c.subs {
            self.clause(o, ai, s, true);
        }
        o.push_str("</div>\n</div>\n");
    }

    fn finding(&self, o: &mut String, i: usize, ai: Option<usize>) {
        let Some(d) = self.diags.get(i) else {
            return;
        };
        let span = d.primary.span;
        let lc = self.sources.line_col(span.file, span.start);
        let _ = writeln!(
            o,
            "<aside class=\"finding {}\" role=\"note\">\n<p class=\"finding-head\"><span class=\"badge\">{}</span> <code>{}</code> {}</p>",
            sev_class(d.severity),
            sev_word(d.severity),
            escape(d.code.as_str()),
            diag_text(&d.message)
        );
        let where_ = format!("{}:{}:{}", self.sources.name(span.file), lc.line, lc.column);
        if d.primary.message.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"finding-at\">at <code>{}</code></p>",
                escape(&where_)
            );
        } else {
            let _ = writeln!(
                o,
                "<p class=\"finding-at\">{} \u{2014} at <code>{}</code></p>",
                diag_text(&d.primary.message),
                escape(&where_)
            );
        }
        let related: Vec<String> = d
            .secondary
            .iter()
            .map(|l| {
                let here = ai
                    .and_then(|x| self.docs.get(x))
                    .and_then(|doc| innermost(doc, l.span))
                    .map(|c| (c, String::new()));
                let target = here.or_else(|| {
                    self.docs.iter().find_map(|doc| {
                        innermost(doc, l.span)
                            .map(|c| (c, format!(" of \u{201c}{}\u{201d}", doc.title)))
                    })
                });
                let lc = self.sources.line_col(l.span.file, l.span.start);
                let loc = format!("{}:{}", self.sources.name(l.span.file), lc.line);
                let link = match target {
                    Some((c, of)) => format!(
                        "<a href=\"#{}\">Clause {}</a>{} <code>{}</code>",
                        escape(&c.anchor),
                        escape(&c.number),
                        escape(&of),
                        escape(&c.id)
                    ),
                    None => format!("<code>{}</code>", escape(&loc)),
                };
                if l.message.is_empty() {
                    link
                } else {
                    format!("{link}: {}", diag_text(&l.message))
                }
            })
            .collect();
        if !related.is_empty() {
            o.push_str("<ul class=\"finding-related\">\n");
            for r in related {
                let _ = writeln!(o, "<li>Also concerns {r}</li>");
            }
            o.push_str("</ul>\n");
        }
        if let Some(h) = &d.help {
            let _ = writeln!(
                o,
                "<p class=\"finding-help\"><strong>How to fix:</strong> {}</p>",
                diag_text(h)
            );
        }
        for n in &d.notes {
            let _ = writeln!(o, "<p class=\"finding-note\">{}</p>", diag_text(n));
        }
        o.push_str("</aside>\n");
    }

    /// A diagnostic reported at another clause that also concerns this one.
    fn related_finding(&self, o: &mut String, i: usize, li: usize, ai: usize) {
        let Some(d) = self.diags.get(i) else {
            return;
        };
        let at = self
            .placement
            .shown_at
            .get(&i)
            .and_then(|v| v.iter().find(|x| x.0 == ai).or_else(|| v.first()))
            .map(|(a, anchor, number)| {
                let of = match self.docs.get(*a) {
                    Some(doc) if *a != ai => format!(" of \u{201c}{}\u{201d}", doc.title),
                    _ => String::new(),
                };
                format!(
                    " reported at <a href=\"#{}\">Clause {}</a>{}",
                    escape(anchor),
                    escape(number),
                    escape(&of)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<aside class=\"finding related {}\" role=\"note\">\n<p class=\"finding-head\"><span class=\"badge\">{}</span> <code>{}</code>{at}: {}</p>",
            sev_class(d.severity),
            sev_word(d.severity),
            escape(d.code.as_str()),
            diag_text(&d.message)
        );
        if let Some(label) = d.secondary.get(li) {
            if !label.message.is_empty() {
                let _ = writeln!(
                    o,
                    "<p class=\"finding-at\">This clause: {}</p>",
                    diag_text(&label.message)
                );
            }
        }
        o.push_str("</aside>\n");
    }

    /// The severity of the diagnostics whose primary span lies in `span`.
    fn span_severity(&self, span: Option<Span>) -> Option<Severity> {
        let span = span?;
        let mut worst = None;
        for d in self.diags {
            if span_contains(span, d.primary.span) {
                worst = Some(match worst {
                    Some(Severity::Error) => Severity::Error,
                    _ => d.severity,
                });
            }
        }
        worst
    }

    fn svg(&self, tl: &Timeline, uid: &str) -> String {
        svg_timeline(tl, uid, |row| {
            if row.kind == RowKind::Agreement {
                None
            } else {
                self.span_severity(row.clause_span)
            }
        })
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

fn inline(t: &Text) -> String {
    let mut s = String::new();
    for r in &t.0 {
        match r {
            Run::Text(x) => s.push_str(&escape(x)),
            Run::Term(x) => {
                let _ = write!(s, "<strong class=\"term\">{}</strong>", escape(x));
            }
            Run::Code(x) => {
                // Long identifiers may break after `_` and `.`.
                let breakable = escape(x).replace('_', "_<wbr>").replace('.', ".<wbr>");
                let _ = write!(s, "<code>{breakable}</code>");
            }
            Run::Ref { text, anchor } => {
                if anchor.is_empty() {
                    s.push_str(&escape(text));
                } else {
                    let _ = write!(s, "<a href=\"#{}\">{}</a>", escape(anchor), escape(text));
                }
            }
        }
    }
    s
}

/// Column widths (percent) of the license table, which must fit the page.
const LICENSE_COLUMNS: [u32; 9] = [9, 12, 10, 9, 12, 12, 12, 12, 12];

fn table(o: &mut String, t: &Table) {
    if !t.title.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>", escape(&t.title));
    }
    let _ = writeln!(
        o,
        "<div class=\"table-wrap\"><table class=\"matrix {}\">",
        escape(t.class)
    );
    if t.class == "licenses" && t.header.len() == LICENSE_COLUMNS.len() {
        o.push_str("<colgroup>");
        for w in LICENSE_COLUMNS {
            let _ = write!(o, "<col style=\"width:{w}%\">");
        }
        o.push_str("</colgroup>\n");
    }
    o.push_str("<thead><tr>");
    for h in &t.header {
        let _ = write!(o, "<th scope=\"col\">{}</th>", escape(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        o.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let cls = c
                .class
                .map(|k| format!(" class=\"x-{}\"", escape(k)))
                .unwrap_or_default();
            if t.row_headers && i == 0 {
                let _ = write!(o, "<th scope=\"row\"{cls}>{}</th>", inline(&c.text));
            } else {
                let _ = write!(o, "<td{cls}>{}</td>", inline(&c.text));
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table></div>\n");
}

// ------------------------------------------------------------------ the timeline

const W: f64 = 960.0;
const LABEL_W: f64 = 250.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 34.0;
const ROW_H: f64 = 30.0;
const LEGEND_H: f64 = 46.0;
/// The longest period the axis spans, in years.
const MAX_YEARS: i32 = 80;

fn fmt(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if (r - r.trunc()).abs() < f64::EPSILON {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn add_years(d: Date, n: u32) -> Option<Date> {
    d.add_duration(Duration {
        amount: n,
        unit: DurationUnit::Years,
    })
}

const AGREEMENT_COLOR: &str = "#c9d1dc";
const GRANT_BACK_COLOR: &str = "#b9a3d6";

fn grant_color(k: ExclusivityKind) -> &'static str {
    match k {
        ExclusivityKind::Exclusive => "#1f3a5f",
        ExclusivityKind::Sole => "#2f6f73",
        ExclusivityKind::NonExclusive => "#5b84b1",
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}\u{2026}")
    }
}

/// The SVG timeline: one row per license (term bar, renewal options dashed, wind-down
/// hatched, renegotiation dates as ticks) and per grant-back (until its sunset marker),
/// above a year axis.
fn svg_timeline(
    tl: &Timeline,
    uid: &str,
    severity: impl Fn(&TimelineRow) -> Option<Severity>,
) -> String {
    let rows = &tl.rows;
    let mut start: Option<Date> = None;
    let mut end: Option<Date> = None;
    let mut open = false;
    let widen = |d: Date, end: &mut Option<Date>| {
        *end = Some(end.map_or(d, |e| e.max(d)));
    };
    for r in rows {
        start = Some(start.map_or(r.start, |s| s.min(r.start)));
        match r.end {
            Some(e) => widen(e, &mut end),
            None => open = true,
        }
        for (_, e) in &r.renewals {
            widen(*e, &mut end);
        }
        if let Some((_, e)) = r.wind_down {
            widen(e, &mut end);
        }
        if let Some(s) = r.sunset {
            widen(s, &mut end);
        }
    }
    let Some(start) = start else {
        return String::new();
    };
    let (sy, _, _) = start.ymd();
    let axis_start = Date::from_ymd(sy, 1, 1).unwrap_or(start);
    let mut last = end.unwrap_or(start);
    if open || end.is_none() {
        // Room for open-ended bars to show that they continue.
        last = last.max(add_years(start, 10).unwrap_or(last));
    }
    let (ly, lm, ld) = last.ymd();
    let mut ey = if lm == 1 && ld == 1 { ly } else { ly + 1 };
    if open {
        ey += 1;
    }
    ey = ey.clamp(sy + 1, sy + MAX_YEARS);
    let axis_end = Date::from_ymd(ey, 1, 1).unwrap_or(last);
    let span_days = f64::from((axis_end.days() - axis_start.days()).max(1));
    let plot_w = W - LABEL_W - RIGHT;
    let x = |d: Date| -> f64 {
        let t = f64::from(d.days() - axis_start.days()) / span_days;
        LABEL_W + t.clamp(0.0, 1.0) * plot_w
    };
    let height = TOP + ROW_H * rows.len() as f64 + 10.0 + LEGEND_H;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{uid}-title\" class=\"timeline-svg\">",
        w = fmt(W),
        h = fmt(height)
    );
    let _ = write!(
        s,
        "<title id=\"{uid}-title\">Timeline of licenses from {} to {}</title>",
        axis_start.year(),
        axis_end.year()
    );
    let _ = write!(
        s,
        "<defs><pattern id=\"{uid}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f6ead2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b07d1a\" stroke-width=\"2.2\"/></pattern>\
"
    );
    for (name, color) in [
        ("x", grant_color(ExclusivityKind::Exclusive)),
        ("s", grant_color(ExclusivityKind::Sole)),
        ("n", grant_color(ExclusivityKind::NonExclusive)),
        ("g", AGREEMENT_COLOR),
        ("p", GRANT_BACK_COLOR),
    ] {
        let _ = write!(
            s,
            "<linearGradient id=\"{uid}-fade-{name}\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"{color}\"/><stop offset=\"0.7\" stop-color=\"{color}\" stop-opacity=\"0.6\"/><stop offset=\"1\" stop-color=\"{color}\" stop-opacity=\"0\"/></linearGradient>"
        );
    }
    s.push_str("</defs>");
    // Row stripes.
    for (i, _) in rows.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(
                s,
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f6f7f9\"/>",
                fmt(TOP + ROW_H * i as f64),
                fmt(W),
                fmt(ROW_H)
            );
        }
    }
    // Year grid and axis labels.
    let years = ey - sy;
    let step = match years {
        0..=16 => 1,
        17..=32 => 2,
        33..=80 => 5,
        _ => 10,
    };
    let bottom = TOP + ROW_H * rows.len() as f64;
    let mut y = sy;
    while y <= ey {
        if let Some(d) = Date::from_ymd(y, 1, 1) {
            let gx = x(d);
            let _ = write!(
                s,
                "<line x1=\"{gx}\" y1=\"{}\" x2=\"{gx}\" y2=\"{}\" stroke=\"#dde1e7\" stroke-width=\"1\"/>",
                fmt(TOP - 6.0),
                fmt(bottom),
                gx = fmt(gx)
            );
            if (y - sy) % step == 0 {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{y}</text>",
                    fmt(gx),
                    fmt(TOP - 12.0)
                );
            }
        }
        y += 1;
    }
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\" stroke=\"#9aa3ae\" stroke-width=\"1\"/>",
        fmt(LABEL_W),
        fmt(W - RIGHT),
        b = fmt(bottom)
    );
    let axis_right = LABEL_W + plot_w;
    let mut legend_renewal = false;
    let mut legend_wind = false;
    let mut legend_reneg = false;
    let mut legend_sunset = false;
    let mut legend_grant_back = false;
    let mut kinds: Vec<ExclusivityKind> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y0 = TOP + ROW_H * i as f64;
        let sev = severity(r);
        let label_class = match sev {
            Some(Severity::Error) => "label flag-error",
            Some(Severity::Warning) => "label flag-warning",
            None => "label",
        };
        let prefix = match sev {
            Some(_) => "\u{26a0} ",
            None => "",
        };
        let label = format!("{prefix}{}", truncate(&r.label, 34));
        let title = format!("{} \u{2014} {}", r.label, r.title);
        if r.anchor.is_empty() {
            let _ = write!(
                s,
                "<text x=\"10\" y=\"{}\" class=\"{label_class}\"><title>{}</title>{}</text>",
                fmt(y0 + 19.0),
                escape(&title),
                escape(&label)
            );
        } else {
            let _ = write!(
                s,
                "<a href=\"#{}\"><text x=\"10\" y=\"{}\" class=\"{label_class}\"><title>{}</title>{}</text></a>",
                escape(&r.anchor),
                fmt(y0 + 19.0),
                escape(&title),
                escape(&label)
            );
        }
        let x0 = x(r.start);
        let x1 = r.end.map_or(axis_right, x);
        let outline = match sev {
            Some(Severity::Error) => " stroke=\"#b3261e\" stroke-width=\"2\"",
            Some(Severity::Warning) => " stroke=\"#c98a00\" stroke-width=\"2\"",
            None => "",
        };
        match r.kind {
            RowKind::Agreement => {
                let fill = if r.end.is_none() {
                    format!("url(#{uid}-fade-g)")
                } else {
                    AGREEMENT_COLOR.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"2\" fill=\"{fill}\"><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 10.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title("Agreement term", r.start, r.end))
                );
            }
            RowKind::Grant(kind) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                let color = grant_color(kind);
                // Renewal options, dashed, each period separately.
                for (rs, re) in &r.renewals {
                    legend_renewal = true;
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"2\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.3\" stroke-dasharray=\"4 3\"><title>{}</title></rect>",
                        fmt(x(*rs) + 0.75),
                        fmt(y0 + 7.0),
                        fmt((x(*re) - x(*rs) - 1.5).max(1.0)),
                        escape(&term_title("Renewal option", *rs, Some(*re)))
                    );
                }
                if r.renewals_unbounded {
                    let from = r.renewals.last().map_or(x1, |(_, e)| x(*e));
                    if from < axis_right {
                        let _ = write!(
                            s,
                            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1.3\" stroke-dasharray=\"2 3\"/>",
                            fmt(from),
                            fmt(axis_right),
                            y = fmt(y0 + 15.0)
                        );
                    }
                }
                if let Some((ws, we)) = r.wind_down {
                    legend_wind = true;
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"url(#{uid}-hatch)\" stroke=\"#b07d1a\" stroke-width=\"0.8\"><title>{}</title></rect>",
                        fmt(x(ws)),
                        fmt(y0 + 7.0),
                        fmt((x(we) - x(ws)).max(2.0)),
                        escape(&term_title("Wind-down (sell-off only)", ws, Some(we)))
                    );
                }
                let fill = if r.end.is_none() {
                    let code = match kind {
                        ExclusivityKind::Exclusive => "x",
                        ExclusivityKind::Sole => "s",
                        ExclusivityKind::NonExclusive => "n",
                    };
                    format!("url(#{uid}-fade-{code})")
                } else {
                    color.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"2\" fill=\"{fill}\"{outline}><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 7.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title(&format!("{}: term", r.label), r.start, r.end))
                );
                for d in &r.renegotiations {
                    legend_reneg = true;
                    let tx = x(*d);
                    let _ = write!(
                        s,
                        "<path d=\"M{} {} l4 -6 h-8 z\" fill=\"#c98a00\"><title>Renegotiation: {}</title></path>",
                        fmt(tx + 4.0 - 4.0),
                        fmt(y0 + 7.0),
                        escape(&super::long_date(*d))
                    );
                }
            }
            RowKind::GrantBack => {
                legend_grant_back = true;
                let fill = if r.end.is_none() {
                    format!("url(#{uid}-fade-p)")
                } else {
                    GRANT_BACK_COLOR.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" rx=\"2\" fill=\"{fill}\"{outline}><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 11.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title(
                        "Improvements made in this period are granted back",
                        r.start,
                        r.end
                    ))
                );
                match r.sunset {
                    Some(d) => {
                        legend_sunset = true;
                        let sx = x(d);
                        let _ = write!(
                            s,
                            "<path d=\"M{} {} l7 7 l-7 7 l-7 -7 z\" fill=\"#6a3d9a\" stroke=\"#fff\" stroke-width=\"1\"><title>Grant-back sunset: not after {}</title></path>",
                            fmt(sx),
                            fmt(y0 + 8.0),
                            escape(&super::long_date(super::last_day(d)))
                        );
                    }
                    None => {
                        let _ = write!(
                            s,
                            "<text x=\"{}\" y=\"{}\" class=\"note\" text-anchor=\"end\">no sunset</text>",
                            fmt(axis_right - 4.0),
                            fmt(y0 + 9.0)
                        );
                    }
                }
            }
        }
    }
    // Legend.
    let ly = bottom + 22.0;
    let mut lx = LABEL_W;
    let mut item = |s: &mut String, swatch: String, text: &str| {
        let _ = write!(
            s,
            "<g transform=\"translate({},{})\">{swatch}<text x=\"24\" y=\"10\" class=\"legend\">{}</text></g>",
            fmt(lx),
            fmt(ly),
            escape(text)
        );
        lx += 30.0 + 6.2 * text.chars().count() as f64;
    };
    for (k, name) in [
        (ExclusivityKind::Exclusive, "Exclusive"),
        (ExclusivityKind::Sole, "Sole"),
        (ExclusivityKind::NonExclusive, "Non-exclusive"),
    ] {
        if kinds.contains(&k) {
            item(
                &mut s,
                format!(
                    "<rect width=\"18\" height=\"12\" rx=\"2\" fill=\"{}\"/>",
                    grant_color(k)
                ),
                name,
            );
        }
    }
    if legend_renewal {
        item(
            &mut s,
            "<rect x=\"0.5\" y=\"0.5\" width=\"17\" height=\"11\" rx=\"2\" fill=\"none\" stroke=\"#1f3a5f\" stroke-dasharray=\"4 3\"/>".to_string(),
            "Renewal option",
        );
    }
    if legend_wind {
        item(
            &mut s,
            format!("<rect width=\"18\" height=\"12\" fill=\"url(#{uid}-hatch)\" stroke=\"#b07d1a\" stroke-width=\"0.8\"/>"),
            "Wind-down",
        );
    }
    if legend_reneg {
        item(
            &mut s,
            "<path d=\"M5 3 l4 6 h-8 z\" transform=\"translate(4,0)\" fill=\"#c98a00\"/>"
                .to_string(),
            "Renegotiation",
        );
    }
    if legend_grant_back {
        item(
            &mut s,
            format!(
                "<rect y=\"2\" width=\"18\" height=\"8\" rx=\"2\" fill=\"{GRANT_BACK_COLOR}\"/>"
            ),
            "Grant-back period",
        );
    }
    if legend_sunset {
        item(
            &mut s,
            "<path d=\"M9 0 l6 6 l-6 6 l-6 -6 z\" fill=\"#6a3d9a\"/>".to_string(),
            "Grant-back sunset",
        );
    }
    s.push_str("</svg>");
    s
}

fn term_title(what: &str, start: Date, end: Option<Date>) -> String {
    match end {
        Some(e) => format!(
            "{what}: {} \u{2013} {}",
            super::long_date(start),
            super::long_date(super::last_day(e))
        ),
        None => format!(
            "{what}: from {}, without a fixed end",
            super::long_date(start)
        ),
    }
}

const CSS: &str = r#":root {
  --ink: #1c222b;
  --muted: #5b6573;
  --faint: #8a939f;
  --rule: #dadfe6;
  --paper: #ffffff;
  --desk: #f2f4f7;
  --accent: #1f3a5f;
  --accent-soft: #e9eff7;
  --error: #b3261e;
  --error-soft: #fcecea;
  --warning: #8a5a00;
  --warning-soft: #fff5de;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "Times New Roman", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { font-size: 16px; -webkit-text-size-adjust: 100%; scroll-behavior: smooth; }
body { margin: 0; color: var(--ink); background: var(--desk); font-family: var(--serif); line-height: 1.6; }
a { color: var(--accent); }
code { font-family: var(--mono); font-size: 0.84em; background: #f1f3f6; border-radius: 3px; padding: 0.05em 0.3em; }
.layout { display: grid; grid-template-columns: 18.5rem minmax(0, 1fr); min-height: 100vh; }
nav.toc { position: sticky; top: 0; align-self: start; height: 100vh; overflow-y: auto; padding: 1.5rem 1.1rem 2rem 1.3rem; background: var(--paper); border-right: 1px solid var(--rule); font-family: var(--sans); font-size: 0.82rem; line-height: 1.4; }
.toc-title { margin: 0 0 0.9rem; font-size: 0.72rem; letter-spacing: 0.12em; text-transform: uppercase; color: var(--faint); font-weight: 600; }
nav.toc ol { list-style: none; margin: 0; padding: 0; }
nav.toc li { margin: 0.15rem 0; }
nav.toc a { color: var(--ink); text-decoration: none; display: block; padding: 0.15rem 0.4rem; border-radius: 4px; }
nav.toc a:hover, nav.toc a:focus { background: var(--accent-soft); color: var(--accent); }
a.toc-doc { font-weight: 650; color: var(--accent); margin-top: 0.4rem; }
nav.toc ol ol { padding-left: 0.5rem; }
ol.toc-clauses { padding-left: 1.1rem !important; font-size: 0.95em; color: var(--muted); }
ol.toc-clauses a { color: var(--muted); font-family: var(--mono); font-size: 0.9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.toc-no { color: var(--faint); font-variant-numeric: tabular-nums; margin-right: 0.25rem; }
a.flag-error { color: var(--error) !important; }
a.flag-warning { color: var(--warning) !important; }
main { padding: 1.5rem 2.5rem 4rem; min-width: 0; }
.banner { max-width: 56rem; margin: 0 auto 1.25rem; display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; font-family: var(--sans); font-size: 0.8rem; color: var(--muted); }
.banner .brand { font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); }
.status { margin-left: auto; padding: 0.15rem 0.6rem; border-radius: 999px; font-weight: 600; }
.status-ok { background: #e6f4ea; color: #1e6b35; }
.status-warning { background: var(--warning-soft); color: var(--warning); }
.status-error { background: var(--error-soft); color: var(--error); }
article.agreement { max-width: 56rem; margin: 0 auto 3rem; padding: 3.25rem 4rem 3.5rem; background: var(--paper); border: 1px solid var(--rule); border-radius: 4px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.05), 0 8px 24px rgba(16, 24, 40, 0.04); }
.doc-head { text-align: center; border-bottom: 2px solid var(--ink); padding-bottom: 1.25rem; margin-bottom: 2rem; }
.eyebrow { margin: 0 0 0.4rem; font-family: var(--sans); font-size: 0.75rem; letter-spacing: 0.16em; text-transform: uppercase; color: var(--muted); }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; font-weight: 600; }
dl.facts { display: flex; flex-wrap: wrap; justify-content: center; gap: 0.4rem 2rem; margin: 0; font-family: var(--sans); font-size: 0.8rem; }
dl.facts div { display: flex; gap: 0.4rem; }
dl.facts dt { color: var(--faint); }
dl.facts dd { margin: 0; color: var(--ink); }
h2 { font-size: 1.15rem; margin: 2.4rem 0 1rem; padding-bottom: 0.35rem; border-bottom: 1px solid var(--rule); font-weight: 600; letter-spacing: 0.01em; }
h2 .art-no { display: inline-block; min-width: 6.5rem; font-family: var(--sans); font-size: 0.72rem; letter-spacing: 0.12em; text-transform: uppercase; color: var(--muted); font-weight: 600; vertical-align: 0.12em; }
h3 { font-family: var(--sans); font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); margin: 1.6rem 0 0.6rem; }
section { scroll-margin-top: 1rem; }
.preamble p, .recitals p { text-align: justify; hyphens: auto; }
ol.parties { margin: 0.75rem 0; padding-left: 2rem; }
ol.parties li { margin: 0.25rem 0; }
ol.recitals { list-style: upper-alpha; padding-left: 2rem; }
ol.recitals li { margin: 0.4rem 0; text-align: justify; }
p.agree { font-variant: small-caps; letter-spacing: 0.03em; margin-top: 1.5rem; }
.clause { display: grid; grid-template-columns: 3.4rem minmax(0, 1fr); column-gap: 0.4rem; margin: 0 0 1.1rem -0.9rem; padding: 0.1rem 0 0.1rem 0.7rem; border-left: 3px solid transparent; scroll-margin-top: 1rem; }
.clause.sub { margin: 0.7rem 0 0.4rem -0.2rem; grid-template-columns: 2.4rem minmax(0, 1fr); }
.clause:target { background: linear-gradient(90deg, var(--accent-soft), transparent 70%); border-left-color: var(--accent); }
.clause.has-error { border-left-color: var(--error); }
.clause.has-warning { border-left-color: #d9a22b; }
.clause-no { font-weight: 650; font-variant-numeric: tabular-nums; padding-top: 1.35rem; }
.clause.sub > .clause-no { font-weight: 500; }
.clause-main > p { margin: 0 0 0.55rem; text-align: justify; hyphens: auto; }
.clause-meta { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.6rem; margin-bottom: 0.15rem; min-height: 1.2rem; }
a.cid { font-family: var(--mono); font-size: 0.7rem; line-height: 1.3; color: var(--muted); background: #f3f5f8; border: 1px solid var(--rule); border-radius: 3px; padding: 0.02rem 0.4rem; text-decoration: none; }
a.cid:hover { color: var(--accent); border-color: var(--accent); }
.loc { font-family: var(--mono); font-size: 0.68rem; color: var(--faint); }
strong.term { font-weight: 650; }
ul.tree { list-style: none; margin: 0.2rem 0 0.6rem; padding: 0; }
ul.tree li { position: relative; padding: 0.08rem 0 0.08rem 1rem; }
ul.tree li::before { content: ""; position: absolute; left: 0.2rem; top: 0.78em; width: 0.45rem; border-top: 1px solid var(--faint); }
ul.tree li.depth-1 { margin-left: 1.4rem; } ul.tree li.depth-2 { margin-left: 2.8rem; } ul.tree li.depth-3 { margin-left: 4.2rem; }
ul.tree li.depth-4 { margin-left: 5.6rem; } ul.tree li.depth-5 { margin-left: 7rem; } ul.tree li.depth-6 { margin-left: 8.4rem; }
aside.finding { font-family: var(--sans); font-size: 0.82rem; line-height: 1.45; margin: 0.5rem 0 0.8rem; padding: 0.6rem 0.85rem; border-radius: 4px; border: 1px solid; }
aside.finding p { margin: 0.15rem 0; }
aside.finding.error { background: var(--error-soft); border-color: #f0b7b2; }
aside.finding.warning { background: var(--warning-soft); border-color: #f0d49a; }
aside.finding.related { background: #fff; border-style: dashed; }
.finding-head { font-weight: 500; }
.finding-head code { font-weight: 600; }
.badge { display: inline-block; font-size: 0.68rem; text-transform: uppercase; letter-spacing: 0.06em; font-weight: 700; padding: 0.05rem 0.45rem; border-radius: 3px; color: #fff; vertical-align: 0.06em; }
.error .badge { background: var(--error); }
.warning .badge { background: #b97c00; }
.finding-at, .finding-note { color: var(--muted); }
ul.finding-related { margin: 0.2rem 0; padding-left: 1.1rem; }
.finding-help strong { font-weight: 650; }
section.findings-summary { font-family: var(--sans); font-size: 0.85rem; margin: 0 0 2rem; padding: 0.9rem 1.2rem; border-radius: 6px; border: 1px solid var(--rule); background: #fafbfc; }
section.findings-summary.has-errors { border-color: #f0b7b2; background: #fffafa; }
section.findings-summary.has-warnings { border-color: #f0d49a; background: #fffdf6; }
section.findings-summary h2 { font-family: var(--sans); font-size: 0.95rem; margin: 0 0 0.5rem; border: 0; padding: 0; }
section.findings-summary .count { color: var(--muted); font-weight: 500; margin-left: 0.4rem; }
ul.finding-list { list-style: none; padding: 0; margin: 0.4rem 0 0; }
ul.finding-list li { padding: 0.3rem 0; border-top: 1px solid var(--rule); }
p.caption { font-family: var(--sans); font-size: 0.8rem; color: var(--muted); margin: 0 0 1rem; }
figure.timeline { margin: 0 -1.5rem; overflow-x: auto; }
svg.timeline-svg { display: block; max-width: 100%; height: auto; font-family: var(--sans); }
svg.timeline-svg text { font-family: var(--sans); }
svg .axis { font-size: 11px; fill: #6b7482; }
svg .label { font-size: 11.5px; fill: #1c222b; font-family: var(--mono); }
svg a .label { fill: #1f3a5f; }
svg a:hover .label { text-decoration: underline; }
svg .label.flag-error { fill: #b3261e; }
svg .label.flag-warning { fill: #8a5a00; }
svg .legend { font-size: 11px; fill: #4a5462; }
svg .note { font-size: 10px; fill: #6b7482; font-style: italic; }
.table-wrap { overflow-x: auto; margin: 0 -1.5rem 1.5rem; padding: 0 1.5rem; }
table.matrix { border-collapse: collapse; width: 100%; font-family: var(--sans); font-size: 0.74rem; line-height: 1.35; }
table.matrix th, table.matrix td { text-align: left; vertical-align: top; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--rule); }
table.matrix thead th { background: var(--accent); color: #fff; font-weight: 600; font-size: 0.7rem; letter-spacing: 0.03em; position: sticky; top: 0; }
table.matrix tbody tr:nth-child(even) { background: #f8f9fb; }
table.matrix tbody th { font-weight: 650; background: #eef2f7; white-space: nowrap; }
table.matrix td.x-exclusive { color: #fff; background: #1f3a5f; font-weight: 600; }
table.matrix td.x-sole { color: #fff; background: #2f6f73; font-weight: 600; }
table.matrix td.x-non-exclusive { background: #e6eef8; }
table.matrix td.x-exclusive a, table.matrix td.x-sole a { color: #fff; }
table.matrix.licenses { table-layout: fixed; font-size: 0.7rem; }
table.matrix.licenses thead th { font-size: 0.64rem; letter-spacing: 0.01em; }
table.matrix.licenses code { font-size: 0.9em; overflow-wrap: anywhere; }
section.schedule .table-wrap { margin: 0 -2.75rem 1.75rem; padding: 0; }
@media (max-width: 960px) {
  .layout { display: block; }
  nav.toc { position: static; height: auto; max-height: none; border-right: 0; border-bottom: 1px solid var(--rule); }
  main { padding: 1rem; }
  article.agreement { padding: 1.5rem 1.25rem; }
  .clause { grid-template-columns: 2.8rem minmax(0, 1fr); }
  .clause-main > p, .preamble p, ol.recitals li { text-align: left; hyphens: manual; }
  figure.timeline, .table-wrap, section.schedule .table-wrap { margin-left: 0; margin-right: 0; padding: 0; }
}
@media print {
  @page { margin: 18mm 16mm; }
  body { background: #fff; font-size: 10.5pt; }
  .layout { display: block; }
  nav.toc, .banner { display: none; }
  main { padding: 0; }
  article.agreement { max-width: none; margin: 0; padding: 0; border: 0; box-shadow: none; break-after: page; }
  a { color: inherit; text-decoration: none; }
  .clause, aside.finding, figure.timeline, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  table.matrix thead th { position: static; }
  figure.timeline, .table-wrap, section.schedule .table-wrap { margin: 0; overflow: visible; }
}
"#;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn escapes_all_five() {
        assert_eq!(escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assert_eq!(escape("see https://x.y"), "see https&#58;//x.y");
        assert_eq!(escape("a: b"), "a: b");
    }

    #[test]
    fn diagnostic_names_become_code() {
        assert_eq!(
            diag_text("grant `a<b>` overlaps `c`"),
            "grant <code>a&lt;b&gt;</code> overlaps <code>c</code>"
        );
        assert_eq!(diag_text("odd ` tick"), "odd ` tick");
    }

    #[test]
    fn numbers_in_svg_are_short() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(12.345), "12.3");
    }
}
