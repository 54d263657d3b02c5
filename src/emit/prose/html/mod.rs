//! The agreement as one self-contained HTML page (`xlic build --emit html`): the same
//! text as the Markdown, a table of contents, an SVG timeline of every license, the
//! license matrix, and each diagnostic shown at the clause it concerns. No scripts, no
//! external fonts, stylesheets or images: the page works offline and prints cleanly.

use super::{
    build, span_contains, AgreementDoc, Block, Clause, ProseOptions, RowKind, Run, Table, Text,
    Timeline,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::ledger::Ledger;
use crate::model::Model;
use crate::source::{SourceMap, Span};
use std::collections::BTreeMap;
use std::fmt::Write as _;

mod shell;
mod timeline;

pub(crate) use shell::*;
use timeline::svg_timeline;

/// The stylesheet of the prose report (and, with rules of its own, the portfolio
/// report's).
pub(crate) const CSS: &str = include_str!("style.css");

/// Renders every agreement of the model as one HTML page, with each diagnostic shown
/// at the innermost clause whose span contains the diagnostic's primary span. `ledger`
/// is the model's rights ledger (`Compilation.ledger`, or `Ledger::build(model)`).
pub fn html(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> String {
    html_with(model, ledger, sources, diagnostics, ProseOptions::default())
}

/// [`html`], showing what `options` asks for.
pub fn html_with(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: ProseOptions,
) -> String {
    let mut docs = build(model, ledger, sources);
    crate::emit::prose::apply(&mut docs, options);
    let placement = place(&docs, diagnostics);
    let page = Page {
        docs: &docs,
        diags: diagnostics,
        sources,
        placement: &placement,
        options,
    };
    page.render()
}

/// Escapes text for HTML content and attribute values. A `://` in the text (a web
/// address a drafter wrote in a note) is written with its colon as a character
/// reference, so that the page holds no URL of any kind, even as text: it reads the
/// same, and a check for external references stays simple. Control characters and
/// bidirectional overrides (`source::is_unsafe_char`; tabs and line ends aside) become
/// `�`: HTML cannot hold the first, and the second would reorder the page's text.
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
            '\t' | '\n' | '\r' => out.push(c),
            c if crate::source::is_unsafe_char(c) => out.push('\u{FFFD}'),
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

struct Page<'a> {
    docs: &'a [AgreementDoc],
    diags: &'a [Diagnostic],
    sources: &'a SourceMap,
    placement: &'a Placement,
    options: ProseOptions,
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
        if self.options.banner {
            self.banner(&mut o);
        }
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
                        let id = if self.options.clause_ids {
                            format!(" {}", escape(&c.id))
                        } else {
                            String::new()
                        };
                        let _ = write!(
                            o,
                            "<li><a href=\"#{}\"{flag}><span class=\"toc-no\">{}</span>{id}</a></li>",
                            escape(&c.anchor),
                            escape(&c.number),
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
        let _ = writeln!(
            o,
            "<p class=\"eyebrow\">{}</p>",
            crate::text::agreement_kind_label(d.kind)
        );
        let _ = writeln!(o, "<h1>{}</h1>", escape(&d.title));
        o.push_str("<dl class=\"facts\">\n");
        if let Some(e) = d.effective {
            let _ = writeln!(
                o,
                "<div><dt>Effective date</dt><dd>{}</dd></div>",
                escape(&crate::text::long_date(e))
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
            o.push_str("<p class=\"caption\">Each license\u{2019}s term, with its renewal options, renegotiation dates, the wind-down period after its base term and the day each licensed patent lapses, and each grant-back until its sunset. Renewals are options: the base term is what applies unless they are exercised.</p>\n");
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
        if self.options.clause_ids {
            let _ = writeln!(
                o,
                "<div class=\"clause-meta\"><a class=\"cid\" href=\"#{}\" title=\"Clause id\">{}</a><span class=\"loc\">{}</span></div>",
                escape(&c.anchor),
                escape(&c.id),
                escape(&c.location)
            );
        }
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
        let where_ = format!(
            "{}:{}:{}",
            self.sources.document_name(span.file),
            lc.line,
            lc.column
        );
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
                let loc = format!("{}:{}", self.sources.document_name(l.span.file), lc.line);
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
        svg_timeline(tl, uid, self.options.as_of, |row| {
            if row.kind == RowKind::Agreement {
                None
            } else {
                self.span_severity(row.clause_span)
            }
        })
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
}
