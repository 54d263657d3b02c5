//! The portfolio report as one self-contained HTML page (`xlic report --format html`),
//! in the visual style of the prose report: the same page shell and stylesheet
//! (`emit::prose::html::page_open`), a few rules of its own, no script, no network.
//! Every table has a caption and scoped headers; each finding links to the holdings
//! rows of the grants it concerns, and each row links back.

use super::{AssetCoverage, AssetHoldings, Finding, Holding, PortfolioReport, Status};
use crate::emit::prose::html::{
    banner, diag_text, escape, page_close, page_open, plural, sev_class, sev_word,
};
use crate::text::{last_day, long_date, short_date};
use std::fmt::Write as _;

/// The report's own rules, after the shared stylesheet.
const REPORT_CSS: &str = r#"article.report { max-width: 76rem; padding: 2.75rem 3rem 3rem; }
main .banner { max-width: 76rem; }
article.report h4 { font-family: var(--sans); font-size: 0.95rem; margin: 1.6rem 0 0.4rem; font-weight: 650; }
article.report h4 .kind { font-weight: 400; color: var(--muted); font-size: 0.85em; }
article.report p.lead { font-family: var(--sans); font-size: 0.85rem; color: var(--muted); }
ul.life { font-family: var(--sans); font-size: 0.8rem; margin: 0.2rem 0 0.4rem; padding-left: 1.2rem; }
ul.life .expired { color: var(--faint); }
p.life-summary { font-family: var(--sans); font-size: 0.8rem; margin: 0.2rem 0 0.7rem; }
table.matrix caption { caption-side: top; text-align: left; font-family: var(--sans); font-size: 0.78rem; color: var(--muted); padding: 0 0 0.35rem; }
table.matrix tr:target { outline: 2px solid var(--accent); outline-offset: -2px; }
table.matrix tr.has-error > :first-child { box-shadow: inset 3px 0 0 var(--error); }
table.matrix tr.has-warning > :first-child { box-shadow: inset 3px 0 0 #d9a22b; }
table.matrix td.x-not-licensed { color: var(--muted); }
table.matrix td.x-no-patent { color: var(--faint); background: repeating-linear-gradient(135deg, #f6f7f9, #f6f7f9 6px, #eef0f3 6px, #eef0f3 12px); }
table.matrix td.x-status-expired { color: var(--faint); }
table.matrix a.fref { display: inline-block; margin: 0.1rem 0.2rem 0 0; font-weight: 600; text-decoration: none; border-radius: 3px; padding: 0 0.3rem; }
table.matrix a.fref.error { background: var(--error-soft); color: var(--error); }
table.matrix a.fref.warning { background: var(--warning-soft); color: var(--warning); }
table.coverage td { min-width: 7rem; }
table.coverage th.depth-1 { padding-left: 1.3rem; font-weight: 500; } table.coverage th.depth-2 { padding-left: 2.1rem; font-weight: 500; }
table.coverage th.depth-3 { padding-left: 2.9rem; font-weight: 500; }
table.matrix td.x-conflict { color: #fff; background: var(--error); font-weight: 700; }
table.matrix td.x-conflict a.fref.error { background: #fff; }
table.matrix td.x-split { background: repeating-linear-gradient(135deg, #1f3a5f, #1f3a5f 8px, #2a4b75 8px, #2a4b75 16px); }
@media print { table.coverage td { min-width: 0; } }
ul.legend { list-style: none; padding: 0; margin: -0.8rem 0 1.6rem; font-family: var(--sans); font-size: 0.76rem; color: var(--muted); }
ul.legend li { margin: 0.1rem 0; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; border: 1px solid var(--rule); }
.swatch.exclusive { background: #1f3a5f; } .swatch.sole { background: #2f6f73; } .swatch.non-exclusive { background: #e6eef8; }
.swatch.no-patent { background: repeating-linear-gradient(135deg, #f6f7f9, #f6f7f9 3px, #dfe3e8 3px, #dfe3e8 6px); }
aside.finding:target { outline: 2px solid var(--accent); }
"#;

/// Renders the report as one page.
pub fn html(r: &PortfolioReport) -> String {
    let mut o = String::new();
    page_open(&mut o, "Portfolio report", REPORT_CSS);
    toc(&mut o, r);
    o.push_str("<main id=\"top\">\n");
    let what = format!(
        "Portfolio report \u{b7} as of {} \u{b7} {}",
        long_date(r.as_of),
        plural(r.agreements.len(), "agreement", "agreements")
    );
    banner(&mut o, &what, r.errors, r.warnings);
    o.push_str("<article class=\"agreement report\">\n<header class=\"doc-head\">\n<p class=\"eyebrow\">Portfolio report</p>\n");
    let _ = writeln!(
        o,
        "<h1>Licenses across {}</h1>",
        escape(&plural(r.agreements.len(), "agreement", "agreements"))
    );
    o.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(
        o,
        "<div><dt>As of</dt><dd><time datetime=\"{}\">{}</time></dd></div>",
        r.as_of,
        escape(&long_date(r.as_of))
    );
    let _ = writeln!(o, "<div><dt>Files</dt><dd>{}</dd></div>", r.files);
    let grants: usize = r.agreements.iter().map(|a| a.grants).sum();
    let _ = writeln!(o, "<div><dt>Grants</dt><dd>{grants}</dd></div>");
    let _ = writeln!(
        o,
        "<div><dt>Findings</dt><dd>{}</dd></div>",
        escape(&super::markdown::status_words(r.errors, r.warnings))
    );
    o.push_str("</dl>\n</header>\n");
    agreements(&mut o, r);
    holdings(&mut o, r);
    coverage(&mut o, r);
    expiring(&mut o, r);
    findings(&mut o, r);
    o.push_str("</article>\n");
    page_close(&mut o);
    o
}

fn toc(o: &mut String, r: &PortfolioReport) {
    o.push_str("<nav class=\"toc\" aria-label=\"Table of contents\">\n<p class=\"toc-title\">Contents</p>\n<ol class=\"toc-agreements\">\n<li><a class=\"toc-doc\" href=\"#top\">Portfolio report</a>\n<ol>\n");
    o.push_str("<li><a href=\"#agreements\">Agreements</a></li>\n");
    o.push_str("<li><a href=\"#holdings\"><span class=\"toc-no\">1</span> Holdings</a>\n<ol class=\"toc-clauses\">");
    for l in &r.licensors {
        let _ = write!(
            o,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&l.anchor),
            escape(&l.party)
        );
    }
    o.push_str("</ol></li>\n");
    o.push_str("<li><a href=\"#coverage\"><span class=\"toc-no\">2</span> Coverage</a>\n<ol class=\"toc-clauses\">");
    for c in &r.coverage {
        let _ = write!(
            o,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&c.anchor),
            escape(&c.asset)
        );
    }
    o.push_str("</ol></li>\n");
    let _ = writeln!(
        o,
        "<li><a href=\"#expiring\"><span class=\"toc-no\">3</span> Expiring ({})</a></li>",
        r.expiring.len()
    );
    let flag = if r.errors > 0 {
        " class=\"flag-error\""
    } else if r.warnings > 0 {
        " class=\"flag-warning\""
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "<li><a href=\"#findings\"{flag}><span class=\"toc-no\">4</span> Conflicts ({})</a></li>",
        r.findings.len()
    );
    o.push_str("</ol>\n</li>\n</ol>\n</nav>\n");
}

fn section_head(o: &mut String, id: &str, number: &str, title: &str) {
    let _ = writeln!(
        o,
        "<section class=\"article\" id=\"{id}\">\n<h2><span class=\"art-no\">{}</span>{}</h2>",
        escape(number),
        escape(title)
    );
}

fn thead(o: &mut String, caption: &str, header: &[&str]) {
    let _ = writeln!(o, "<caption>{caption}</caption>");
    o.push_str("<thead><tr>");
    for h in header {
        let _ = write!(o, "<th scope=\"col\">{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
}

fn agreements(o: &mut String, r: &PortfolioReport) {
    section_head(o, "agreements", "Overview", "Agreements");
    if r.agreements.is_empty() {
        o.push_str("<p class=\"lead\">No agreement in the files read.</p>\n</section>\n");
        return;
    }
    o.push_str("<div class=\"table-wrap\"><table class=\"matrix index\">\n");
    let status = format!("Status on {}", escape(&short_date(r.as_of)));
    thead(
        o,
        "The agreements read, in the order of their files.",
        &["Agreement", "Kind", "Source", "Term", &status, "Grants"],
    );
    for a in &r.agreements {
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.title),
            a.kind,
            escape(&a.source),
            escape(&a.term),
            a.status.map_or("\u{2014}", Status::word),
            a.grants
        );
    }
    o.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn holdings(o: &mut String, r: &PortfolioReport) {
    section_head(o, "holdings", "Part 1", "Holdings by licensor and asset");
    o.push_str("<p class=\"lead\">Who holds which rights in which asset, where and until when, with the asset\u{2019}s own life. Each term ends on its last day.</p>\n");
    if r.licensors.is_empty() {
        o.push_str("<p class=\"lead\">No asset is declared.</p>\n");
    }
    for l in &r.licensors {
        let _ = writeln!(
            o,
            "<h3 id=\"{}\"><code>{}</code> \u{2014} {}</h3>",
            escape(&l.anchor),
            escape(&l.party),
            escape(&l.legal_name)
        );
        for a in &l.assets {
            asset_holdings(o, r, &l.party, a);
        }
    }
    o.push_str("</section>\n");
}

fn asset_holdings(o: &mut String, r: &PortfolioReport, licensor: &str, a: &AssetHoldings) {
    let _ = writeln!(
        o,
        "<h4 id=\"{}\"><code>{}</code> {} <span class=\"kind\">({} of {})</span></h4>",
        escape(&a.anchor),
        escape(&a.asset),
        escape(&a.term),
        a.kind,
        escape(&a.owners.join(", "))
    );
    if !a.life.patents.is_empty() {
        o.push_str("<ul class=\"life\">\n");
        for p in &a.life.patents {
            let until = match p.last_day {
                Some(d) => format!(" up to and including {}", long_date(d)),
                None => ", expiry not stated".to_string(),
            };
            let (class, now) = match (p.in_force, p.pending) {
                (_, true) => (" class=\"expired\"", "pending application, not in force"),
                (true, false) => ("", "in force"),
                (false, false) => (" class=\"expired\"", "expired"),
            };
            let _ = writeln!(
                o,
                "<li{class}>Patent <strong>{}</strong>: {}{} ({now} on {})</li>",
                escape(&p.number),
                escape(&p.territory),
                escape(&until),
                escape(&short_date(r.as_of))
            );
        }
        o.push_str("</ul>\n");
    }
    let _ = writeln!(
        o,
        "<p class=\"life-summary\">{}</p>",
        escape(&a.life.summary)
    );
    if a.rows.is_empty() {
        o.push_str("<p class=\"lead\">Not licensed by this party in any agreement.</p>\n");
        return;
    }
    o.push_str("<div class=\"table-wrap\"><table class=\"matrix holdings\">\n");
    let caption = format!(
        "Grants of <code>{}</code> by <code>{}</code>",
        escape(&a.asset),
        escape(licensor)
    );
    thead(
        o,
        &caption,
        &[
            "Licensee",
            "Exclusivity",
            "Rights",
            "Field",
            "Territory",
            "Term",
            "Status",
            "Grant",
        ],
    );
    for h in &a.rows {
        holding_row(o, r, h);
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn holding_row(o: &mut String, r: &PortfolioReport, h: &Holding) {
    let worst = h
        .findings
        .iter()
        .filter_map(|i| r.findings.get(*i))
        .map(|f| f.severity)
        .min();
    let class = match worst {
        Some(s) => format!(" class=\"has-{}\"", sev_class(s)),
        None => String::new(),
    };
    let links: String = h
        .findings
        .iter()
        .filter_map(|i| r.findings.get(*i).map(|f| (i, f)))
        .map(|(i, f)| {
            format!(
                " <a class=\"fref {}\" href=\"#{}\" title=\"{} {}\">{} ({})</a>",
                sev_class(f.severity),
                escape(&f.anchor),
                sev_word(f.severity),
                escape(f.code),
                escape(f.code),
                i + 1
            )
        })
        .collect();
    let excl = h.exclusivity.keyword();
    let status_class = if h.status == Status::Expired {
        " class=\"x-status-expired\""
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "<tr id=\"{}\"{class}><th scope=\"row\">{}</th><td class=\"x-{excl}\">{excl}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{status_class}>{}</td><td><code>{}</code> in \u{201c}{}\u{201d} <span class=\"loc\">{}</span>{links}</td></tr>",
        escape(&h.anchor),
        escape(&h.licensees),
        escape(&h.rights),
        escape(&h.field),
        escape(&h.territory),
        escape(&h.term),
        h.status.word(),
        escape(&h.grant),
        escape(&h.agreement),
        escape(&h.location)
    );
}

fn coverage(o: &mut String, r: &PortfolioReport) {
    section_head(
        o,
        "coverage",
        "Part 2",
        &format!("Exclusivity coverage on {}", long_date(r.as_of)),
    );
    o.push_str("<p class=\"lead\">For each asset, the grants in force on the date, by top-level field of use (rows) and territory (columns). A cell shows the strongest license that reaches any part of the field there, with any right, and to whom; \u{201c}(part)\u{201d} means licenses of that strength leave some sub-field or right of the row uncovered. \u{201c}Conflict\u{201d} means an exclusive license is overlapped by a license of another licensee, with a link to the finding; \u{201c}split by sub-field\u{201d} means they only share the row\u{2019}s field. Below a partial or split row, its sub-fields have rows of their own (\u{21b3}); \u{201c}reserved by\u{201d} names who keeps rights there by a reservation; fields no clause of the asset reaches are left out. Countries treated alike in every row share a column.</p>\n");
    o.push_str("<p class=\"lead\"><span class=\"swatch exclusive\"></span>exclusive <span class=\"swatch sole\"></span>sole <span class=\"swatch non-exclusive\"></span>non-exclusive <span class=\"swatch\"></span>not licensed <span class=\"swatch no-patent\"></span>no patent in force</p>\n");
    for c in &r.coverage {
        asset_coverage(o, c);
    }
    o.push_str("</section>\n");
}

fn asset_coverage(o: &mut String, c: &AssetCoverage) {
    let _ = writeln!(
        o,
        "<h4 id=\"{}\"><code>{}</code> {}</h4>",
        escape(&c.anchor),
        escape(&c.asset),
        escape(&c.term)
    );
    if c.rows.is_empty() {
        o.push_str("<p class=\"lead\">No fields of use are declared.</p>\n");
        return;
    }
    o.push_str("<div class=\"table-wrap\"><table class=\"matrix coverage\">\n");
    let caption = format!(
        "Coverage of <code>{}</code>: {} in force counted",
        escape(&c.asset),
        plural(c.grants_counted, "grant", "grants")
    );
    let mut header = vec!["Field".to_string()];
    header.extend(c.columns.iter().map(|col| {
        format!(
            "<abbr title=\"{}\">{}</abbr>",
            escape(&col.words),
            escape(&col.label)
        )
    }));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    thead(o, &caption, &header);
    for row in &c.rows {
        let _ = write!(
            o,
            "<tr><th scope=\"row\" title=\"{}\" class=\"depth-{}\">{}{}</th>",
            escape(&row.path),
            row.depth.min(6),
            if row.depth > 0 { "\u{21b3} " } else { "" },
            escape(&row.field)
        );
        for cell in &row.cells {
            let class = if cell.conflict {
                " x-conflict"
            } else if cell.split {
                " x-split"
            } else {
                ""
            };
            let _ = write!(
                o,
                "<td class=\"x-{}{class}\">{}",
                cell.level.class(),
                escape(&cell.text())
            );
            for (i, f) in cell.findings.iter().enumerate() {
                let _ = write!(
                    o,
                    " <a class=\"fref error\" href=\"#{}\">finding {}</a>",
                    escape(f),
                    f.strip_prefix("finding-").unwrap_or(&(i + 1).to_string())
                );
            }
            o.push_str("</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table></div>\n<ul class=\"legend\">\n");
    if !c.left_out.is_empty() {
        let _ = writeln!(
            o,
            "<li><strong>Left out</strong>: {} (no grant or reservation of this asset reaches {})</li>",
            escape(&crate::text::join_list(&c.left_out)),
            if c.left_out.len() == 1 { "it" } else { "them" }
        );
    }
    for col in &c.columns {
        let _ = writeln!(
            o,
            "<li><strong>{}</strong>: {} ({})</li>",
            escape(&col.label),
            escape(&col.words),
            plural(col.countries, "country", "countries")
        );
    }
    o.push_str("</ul>\n");
}

fn expiring(o: &mut String, r: &PortfolioReport) {
    section_head(
        o,
        "expiring",
        "Part 3",
        &format!(
            "Expiring from {} to {}",
            long_date(r.as_of),
            long_date(last_day(r.horizon))
        ),
    );
    o.push_str("<p class=\"lead\">Every dated event in the twelve months from the as-of date: ends of grants, agreements, patents, renewal terms and wind-downs (each on its last day), the last days to give notice, renegotiations and grant-back sunsets.</p>\n");
    if r.expiring.is_empty() {
        o.push_str("<p class=\"lead\">Nothing expires in this period.</p>\n</section>\n");
        return;
    }
    o.push_str("<div class=\"table-wrap\"><table class=\"matrix expiring\">\n");
    thead(
        o,
        "Events by date",
        &["Date", "Event", "Concerns", "Agreement", "Details"],
    );
    for e in &r.expiring {
        let subject = match &e.anchor {
            Some(a) => format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                escape(a),
                escape(&e.subject)
            ),
            None => format!("<code>{}</code>", escape(&e.subject)),
        };
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th><td>{}</td><td>{subject}</td><td>{}</td><td>{}</td></tr>",
            e.date,
            escape(&short_date(e.date)),
            e.kind.word(),
            escape(e.agreement.as_deref().unwrap_or("")),
            diag_text(&e.detail)
        );
    }
    o.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn findings(o: &mut String, r: &PortfolioReport) {
    section_head(o, "findings", "Part 4", "Conflicts and warnings");
    if r.findings.is_empty() {
        o.push_str(
            "<p class=\"lead\">The checker found no conflicts and no warnings.</p>\n</section>\n",
        );
        return;
    }
    let _ = writeln!(
        o,
        "<p class=\"lead\">The checker found {}. Each links to the holdings rows it concerns.</p>",
        escape(&super::markdown::status_words(r.errors, r.warnings))
    );
    for (i, f) in r.findings.iter().enumerate() {
        finding(o, i, f);
    }
    o.push_str("</section>\n");
}

fn finding(o: &mut String, i: usize, f: &Finding) {
    let _ = writeln!(
        o,
        "<aside class=\"finding {}\" id=\"{}\" role=\"note\">\n<p class=\"finding-head\">{}. <span class=\"badge\">{}</span> <code>{}</code> {}</p>",
        sev_class(f.severity),
        escape(&f.anchor),
        i + 1,
        sev_word(f.severity),
        escape(f.code),
        diag_text(&f.message)
    );
    let label = if f.label.is_empty() {
        String::new()
    } else {
        format!("{} \u{2014} ", diag_text(&f.label))
    };
    let _ = writeln!(
        o,
        "<p class=\"finding-at\">{label}at <code>{}</code></p>",
        escape(&f.at.to_string())
    );
    if !f.also.is_empty() {
        o.push_str("<ul class=\"finding-related\">\n");
        for (loc, msg) in &f.also {
            let msg = if msg.is_empty() {
                String::new()
            } else {
                format!(": {}", diag_text(msg))
            };
            let _ = writeln!(
                o,
                "<li>Also at <code>{}</code>{msg}</li>",
                escape(&loc.to_string())
            );
        }
        o.push_str("</ul>\n");
    }
    if !f.rows.is_empty() {
        let links: Vec<String> = f
            .rows
            .iter()
            .map(|(anchor, label)| {
                format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    escape(anchor),
                    escape(label)
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "<p class=\"finding-rows\">Holdings: {}</p>",
            links.join(", ")
        );
    }
    if let Some(h) = &f.help {
        let _ = writeln!(
            o,
            "<p class=\"finding-help\"><strong>How to fix:</strong> {}</p>",
            diag_text(h)
        );
    }
    for n in &f.notes {
        let _ = writeln!(o, "<p class=\"finding-note\">{}</p>", diag_text(n));
    }
    o.push_str("</aside>\n");
}

/// The contrast of every text colour of the two stylesheets (the prose report's and
/// this one's) on its background, by the WCAG 2 formula. A rule's background is its
/// own, or that of a rule for the same element (the same last compound selector, as
/// `.error .badge` sets the background of `.badge`), or that of a rule for an ancestor
/// it names (`td.x-exclusive` for `td.x-exclusive a`); with none, the page's paper and
/// desk colours, and for SVG text also the timeline's row stripe. Headless Chromium
/// checks the rendered pages the same way (`scripts/check-html.py`).
#[cfg(test)]
mod contrast {
    use crate::emit::prose::html::CSS;
    use std::collections::BTreeMap;

    struct Rule {
        selector: String,
        decls: Vec<(String, String)>,
    }

    /// The innermost `selector { declarations }` blocks, one per selector of a list.
    fn rules(css: &str) -> Vec<Rule> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in css.char_indices() {
            match c {
                '{' => start = i + 1,
                '}' if start > 0 => {
                    let head = &css[..start - 1];
                    let from = head.rfind(['{', '}', ';']).map_or(0, |p| p + 1);
                    let decls: Vec<(String, String)> = css[start..i]
                        .split(';')
                        .filter_map(|d| d.split_once(':'))
                        .map(|(p, v)| (p.trim().to_string(), v.trim().to_string()))
                        .collect();
                    for sel in head[from..].split(',') {
                        out.push(Rule {
                            selector: sel.trim().to_string(),
                            decls: decls.clone(),
                        });
                    }
                    start = 0;
                }
                _ => {}
            }
        }
        out
    }

    fn rgb(hex: &str) -> Option<[f64; 3]> {
        let h = hex.strip_prefix('#')?;
        let full: String = match h.len() {
            3 => h.chars().flat_map(|c| [c, c]).collect(),
            6 => h.to_string(),
            _ => return None,
        };
        let part = |i: usize| {
            full.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        };
        Some([
            f64::from(part(0)?),
            f64::from(part(2)?),
            f64::from(part(4)?),
        ])
    }

    fn luminance(c: [f64; 3]) -> f64 {
        let f = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    }

    fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Every colour a value names: hex colours and `var(--x)` of the root's variables.
    fn colours(value: &str, vars: &BTreeMap<String, String>) -> Vec<String> {
        let mut out = Vec::new();
        for word in value.split([',', ' ', '(', ')']) {
            if word.starts_with('#') && rgb(word).is_some() {
                out.push(word.to_string());
            } else if let Some(v) = vars.get(word) {
                out.push(v.clone());
            }
        }
        out
    }

    fn last_compound(selector: &str) -> &str {
        selector.rsplit([' ', '>']).next().unwrap_or(selector)
    }

    #[test]
    fn every_text_colour_meets_wcag_aa() {
        let css = format!("{CSS}\n{}", super::REPORT_CSS);
        let rules = rules(&css);
        let vars: BTreeMap<String, String> = rules
            .iter()
            .filter(|r| r.selector == ":root")
            .flat_map(|r| r.decls.iter())
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect();
        assert!(vars.contains_key("--faint") && vars.contains_key("--paper"));
        let background = |r: &Rule| -> Vec<String> {
            r.decls
                .iter()
                .filter(|(p, _)| p == "background" || p == "background-color")
                .flat_map(|(_, v)| colours(v, &vars))
                .collect()
        };
        let mut checked = 0;
        let mut failures = Vec::new();
        for r in &rules {
            let fg: Vec<String> = r
                .decls
                .iter()
                .filter(|(p, _)| p == "color" || (p == "fill" && r.selector.contains("svg")))
                .flat_map(|(_, v)| colours(v, &vars))
                .collect();
            let Some(fg) = fg.first() else { continue };
            let mut bgs = background(r);
            if bgs.is_empty() {
                for other in &rules {
                    let same = last_compound(&other.selector) == last_compound(&r.selector);
                    let ancestor = r.selector.starts_with(&format!("{} ", other.selector));
                    if (same || ancestor) && other.selector != r.selector {
                        bgs.extend(background(other));
                    }
                }
            }
            if bgs.is_empty() {
                bgs.extend(
                    ["--paper", "--desk"]
                        .iter()
                        .filter_map(|v| vars.get(*v).cloned()),
                );
                if r.selector.contains("svg") {
                    bgs.push("#f6f7f9".to_string());
                }
            }
            for bg in &bgs {
                let (Some(a), Some(b)) = (rgb(fg), rgb(bg)) else {
                    continue;
                };
                checked += 1;
                let k = ratio(a, b);
                if k < 4.5 {
                    failures.push(format!("{}: {fg} on {bg} is {k:.2}:1", r.selector));
                }
            }
        }
        assert!(checked > 40, "only {checked} pairs were found to check");
        assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
    }

    #[test]
    fn the_formula_gives_the_known_ratios() {
        let (black, white) = ([0.0; 3], [255.0; 3]);
        assert!((ratio(black, white) - 21.0).abs() < 1e-9);
        let grey = rgb("#8a939f").unwrap_or_default();
        assert!(
            (ratio(grey, white) - 3.11).abs() < 0.01,
            "{}",
            ratio(grey, white)
        );
    }
}
