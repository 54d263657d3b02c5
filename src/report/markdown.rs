//! The portfolio report as Markdown (`xlic report --format markdown`, the default).

use super::{AssetCoverage, AssetHoldings, Finding, Holding, PortfolioReport, Status};
use crate::diagnostics::Severity;
use crate::emit::prose::markdown::{code, escape, table_cell};
use crate::text::{long_date, short_date};

/// Renders the report.
pub fn markdown(r: &PortfolioReport) -> String {
    let mut o = String::new();
    o.push_str("# Portfolio report\n\n");
    o.push_str(&format!(
        "As of **{}**. {} read: {}, {}.\n\n",
        long_date(r.as_of),
        count(r.files, "file", "files"),
        count(r.agreements.len(), "agreement", "agreements"),
        status_words(r.errors, r.warnings)
    ));
    agreements(&mut o, r);
    holdings(&mut o, r);
    coverage(&mut o, r);
    expiring(&mut o, r);
    findings(&mut o, r);
    o
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) fn status_words(errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 {
        "no conflicts or warnings".to_string()
    } else {
        format!(
            "{}, {}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        )
    }
}

/// A table cell: no line breaks, never empty, every `|` escaped.
fn cell(s: &str) -> String {
    table_cell(s)
}

fn table(o: &mut String, header: &[&str], rows: &[Vec<String>]) {
    o.push_str(&format!("| {} |\n", header.join(" | ")));
    o.push_str(&format!(
        "|{}|\n",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    ));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        o.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    o.push('\n');
}

/// Text that quotes names in backticks, as diagnostics do: the names as code.
fn quoted(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return escape(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i % 2 == 1 { code(p) } else { escape(p) })
        .collect()
}

fn agreements(o: &mut String, r: &PortfolioReport) {
    o.push_str("## Agreements\n\n");
    if r.agreements.is_empty() {
        o.push_str("No agreement in the files read.\n\n");
        return;
    }
    let status_head = format!("Status on {}", short_date(r.as_of));
    let rows: Vec<Vec<String>> = r
        .agreements
        .iter()
        .map(|a| {
            vec![
                escape(&a.title),
                a.kind.to_string(),
                code(&a.source),
                escape(&a.term),
                a.status.map_or("—", Status::word).to_string(),
                a.grants.to_string(),
            ]
        })
        .collect();
    table(
        o,
        &[
            "Agreement",
            "Kind",
            "Source",
            "Term",
            &status_head,
            "Grants",
        ],
        &rows,
    );
}

fn holdings(o: &mut String, r: &PortfolioReport) {
    o.push_str("## 1. Holdings by licensor and asset\n\n");
    o.push_str("Who holds which rights in which asset, where and until when. Terms are half-open in the sources; here each ends on its last day.\n\n");
    if r.licensors.is_empty() {
        o.push_str("No asset is declared.\n\n");
    }
    for l in &r.licensors {
        o.push_str(&format!(
            "### {} — {}\n\n",
            code(&l.party),
            escape(&l.legal_name)
        ));
        for a in &l.assets {
            asset_holdings(o, r, a);
        }
    }
}

fn asset_holdings(o: &mut String, r: &PortfolioReport, a: &AssetHoldings) {
    o.push_str(&format!(
        "#### {} — {} ({} of {})\n\n",
        code(&a.asset),
        escape(&a.term),
        a.kind,
        escape(&a.owners.join(", "))
    ));
    for p in &a.life.patents {
        let until = match p.last_day {
            Some(d) => format!(" up to and including {}", long_date(d)),
            None => ", expiry not stated".to_string(),
        };
        let now = match (p.in_force, p.pending) {
            (_, true) => "pending application, not in force",
            (true, false) => "in force",
            (false, false) => "expired",
        };
        o.push_str(&format!(
            "- Patent {}: {}{until} ({now} on {}).\n",
            escape(&p.number),
            escape(&p.territory),
            short_date(r.as_of)
        ));
    }
    if !a.life.patents.is_empty() {
        o.push('\n');
    }
    o.push_str(&format!("{}\n\n", escape(&a.life.summary)));
    if a.rows.is_empty() {
        o.push_str("Not licensed by this party in any agreement.\n\n");
        return;
    }
    let rows: Vec<Vec<String>> = a.rows.iter().map(|h| holding_row(r, h)).collect();
    table(
        o,
        &[
            "Licensee",
            "Exclusivity",
            "Rights",
            "Field",
            "Territory",
            "Term",
            "Status",
            "Grant",
            "Findings",
        ],
        &rows,
    );
}

fn holding_row(r: &PortfolioReport, h: &Holding) -> Vec<String> {
    let findings: Vec<String> = h
        .findings
        .iter()
        .filter_map(|i| r.findings.get(*i).map(|f| (i, f)))
        .map(|(i, f)| format!("{} ({})", f.code, i + 1))
        .collect();
    vec![
        escape(&h.licensees),
        h.exclusivity.keyword().to_string(),
        escape(&h.rights),
        escape(&h.field),
        escape(&h.territory),
        escape(&h.term),
        h.status.word().to_string(),
        format!(
            "{} in “{}”, {}",
            code(&h.grant),
            escape(&h.agreement),
            code(&h.location)
        ),
        if findings.is_empty() {
            "—".to_string()
        } else {
            findings.join(", ")
        },
    ]
}

fn coverage(o: &mut String, r: &PortfolioReport) {
    o.push_str(&format!(
        "## 2. Exclusivity coverage on {}\n\n",
        long_date(r.as_of)
    ));
    o.push_str("For each asset, the grants in force on the date, by top-level field of use (rows) and territory (columns). A cell shows the strongest license that reaches any part of the field there, with any right, and to whom; \"(part)\" means licenses of that strength leave some sub-field or right of the row uncovered. \"Conflict\" means an exclusive license is overlapped by a license of another licensee (the finding is named); \"split by sub-field\" means they only share the row's field. Below a partial or split row, its sub-fields have rows of their own (↳); \"reserved by\" names who keeps rights there by a reservation; fields no clause of the asset reaches are left out. Countries treated alike in every row share a column. \"No patent in force\" means the asset does not exist there on the date.\n\n");
    for c in &r.coverage {
        asset_coverage(o, c);
    }
}

fn asset_coverage(o: &mut String, c: &AssetCoverage) {
    o.push_str(&format!("### {} — {}\n\n", code(&c.asset), escape(&c.term)));
    if c.rows.is_empty() {
        o.push_str("No fields of use are declared.\n\n");
        return;
    }
    let mut header = vec!["Field".to_string()];
    header.extend(c.columns.iter().map(|col| escape(&col.label)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|row| {
            let field = if row.depth == 0 {
                format!("**{}**", escape(&row.field))
            } else {
                format!(
                    "{}\u{21b3} {}",
                    "\u{a0}\u{a0}".repeat(row.depth - 1),
                    escape(&row.field)
                )
            };
            let mut cells = vec![field];
            cells.extend(row.cells.iter().map(|x| {
                let mut text = escape(&x.text());
                for f in &x.findings {
                    let n = f.strip_prefix("finding-").unwrap_or(f);
                    text.push_str(&format!(" (finding {n})"));
                }
                text
            }));
            cells
        })
        .collect();
    table(o, &header, &rows);
    let legend: Vec<String> = c
        .columns
        .iter()
        .map(|col| {
            format!(
                "{}: {} ({})",
                escape(&col.label),
                escape(&col.words),
                count(col.countries, "country", "countries")
            )
        })
        .collect();
    o.push_str(&format!(
        "Columns — {}. {} in force counted.\n\n",
        legend.join("; "),
        count(c.grants_counted, "grant", "grants")
    ));
    if !c.left_out.is_empty() {
        o.push_str(&format!(
            "Left out: {} (no grant or reservation of this asset reaches {}).\n\n",
            escape(&crate::text::join_list(&c.left_out)),
            if c.left_out.len() == 1 { "it" } else { "them" }
        ));
    }
}

fn expiring(o: &mut String, r: &PortfolioReport) {
    let last = crate::text::last_day(r.horizon);
    o.push_str(&format!(
        "## 3. Expiring from {} to {}\n\n",
        long_date(r.as_of),
        long_date(last)
    ));
    o.push_str("Every dated event in the twelve months from the as-of date: ends of grants, agreements, patents, renewal terms and wind-downs (each on its last day), the last days to give notice, renegotiations and grant-back sunsets.\n\n");
    if r.expiring.is_empty() {
        o.push_str("Nothing expires in this period.\n\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .expiring
        .iter()
        .map(|e| {
            vec![
                short_date(e.date),
                e.kind.word().to_string(),
                code(&e.subject),
                e.agreement.as_deref().map(escape).unwrap_or_default(),
                quoted(&e.detail),
            ]
        })
        .collect();
    table(
        o,
        &["Date", "Event", "Concerns", "Agreement", "Details"],
        &rows,
    );
}

fn findings(o: &mut String, r: &PortfolioReport) {
    o.push_str("## 4. Conflicts and warnings\n\n");
    if r.findings.is_empty() {
        o.push_str("The checker found no conflicts and no warnings.\n\n");
        return;
    }
    o.push_str(&format!(
        "The checker found {}. Numbers match the Findings column of the holdings.\n\n",
        status_words(r.errors, r.warnings)
    ));
    for (i, f) in r.findings.iter().enumerate() {
        finding(o, i, f);
    }
}

fn finding(o: &mut String, i: usize, f: &Finding) {
    let sev = match f.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    o.push_str(&format!(
        "{}. **{sev} {}**: {}\n",
        i + 1,
        f.code,
        quoted(&f.message)
    ));
    let label = if f.label.is_empty() {
        String::new()
    } else {
        format!(" — {}", quoted(&f.label))
    };
    o.push_str(&format!("   - at {}{label}\n", code(&f.at.to_string())));
    for (loc, msg) in &f.also {
        let msg = if msg.is_empty() {
            String::new()
        } else {
            format!(" — {}", quoted(msg))
        };
        o.push_str(&format!("   - also at {}{msg}\n", code(&loc.to_string())));
    }
    if !f.rows.is_empty() {
        let rows: Vec<String> = f.rows.iter().map(|(_, label)| code(label)).collect();
        o.push_str(&format!("   - holdings: {}\n", rows.join(", ")));
    }
    if let Some(h) = &f.help {
        o.push_str(&format!("   - how to fix: {}\n", quoted(h)));
    }
    for n in &f.notes {
        o.push_str(&format!("   - note: {}\n", quoted(n)));
    }
}
