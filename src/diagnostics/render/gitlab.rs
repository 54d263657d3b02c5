//! GitLab Code Quality: one JSON array of issues, the report a merge request shows
//! (`artifacts: reports: codequality`). See docs/ci.md for the mapping.

use super::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Component, Path};

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

/// One issue; field order is the order of the keys.
#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

/// GitLab's severity of a diagnostic: an error fails `xlic check` (`critical`), a
/// warning does not (`minor`).
pub fn gitlab_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "minor",
    }
}

/// The path of `file` as GitLab wants it: relative to `root` with `/` between its
/// components when the file lies under it, else the name the user gave (standard
/// input is `<stdin>`).
fn relative_path(file: &SourceFile, root: &Path) -> String {
    let under = file.path.as_deref().and_then(|p| p.strip_prefix(root).ok());
    let parts: Option<Vec<String>> = under.map(|rest| {
        rest.components()
            .filter_map(|c| match c {
                Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    });
    match parts {
        Some(parts) if !parts.is_empty() => parts.join("/"),
        _ => file.name.clone(),
    }
}

/// The message and its help on one line, as the one `description` GitLab shows.
fn description(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}; help: {help}", d.message),
        None => d.message.clone(),
    }
}

/// The Code Quality report of `--message-format gitlab`: a pretty-printed JSON array
/// (two-space indents, a final newline), one issue per diagnostic in their order.
///
/// The fingerprint is a hash of the code, the file's path relative to `root` and the
/// message, so an issue keeps it when lines are added above it; the same code with the
/// same message twice in one file is told apart by its occurrence (1, 2, …) in the file.
pub fn render_gitlab(diags: &[Diagnostic], sources: &SourceMap, root: &Path) -> String {
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    let mut issues = Vec::with_capacity(diags.len());
    for d in diags {
        let p = place(d.primary.span, sources);
        let path = match sources.get(d.primary.span.file) {
            Some(f) => relative_path(f, root),
            None => p.file.to_string(),
        };
        let key = crate::diagnostics::sarif::fnv1a(&[d.code.as_str(), &path, &d.message]);
        let occurrence = seen.entry(key).or_insert(0);
        *occurrence += 1;
        let fingerprint = format!("{key:016x}-{occurrence}");
        issues.push(Issue {
            kind: "issue",
            check_name: d.code.as_str(),
            description: description(d),
            categories: ["Bug Risk"],
            severity: gitlab_severity(d.severity),
            fingerprint,
            location: Location {
                path,
                lines: Lines {
                    begin: p.line,
                    end: p.end_line.max(p.line),
                },
            },
        });
    }
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
