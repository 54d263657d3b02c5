//! JSON Lines: one JSON object per diagnostic, in the documented key order.

use super::*;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct JsonSpan {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
pub(super) struct JsonLabel<'a> {
    file: &'a str,
    span: JsonSpan,
    line: u32,
    column: u32,
    message: &'a str,
    primary: bool,
}

/// The machine form of one diagnostic; field order is the order of the keys.
#[derive(Serialize)]
pub(super) struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    span: JsonSpan,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
}

pub(super) fn json_label<'a>(
    label: &'a Label,
    primary: bool,
    sources: &'a SourceMap,
) -> JsonLabel<'a> {
    let p = place(label.span, sources);
    JsonLabel {
        file: p.file,
        span: JsonSpan {
            start: p.start,
            end: p.end,
        },
        line: p.line,
        column: p.column,
        message: label.message.as_str(),
        primary,
    }
}

pub(super) fn json_record<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    let p = place(d.primary.span, sources);
    let mut labels = Vec::with_capacity(d.secondary.len() + 1);
    labels.push(json_label(&d.primary, true, sources));
    labels.extend(d.secondary.iter().map(|l| json_label(l, false, sources)));
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        message: d.message.as_str(),
        file: p.file,
        span: JsonSpan {
            start: p.start,
            end: p.end,
        },
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        labels,
        help: d.help.as_deref(),
        notes: &d.notes,
    }
}

/// One JSON object per line (JSON Lines), the machine format of `--message-format json`.
/// Keys appear in the order documented at [`to_json`].
pub fn render_json_lines(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let line = serde_json::to_string(&json_record(d, sources))
            .unwrap_or_else(|_| to_json(d, sources).to_string());
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The JSON value of one diagnostic:
/// `{"code","severity","message","file","span":{"start","end"},"line","column",
/// "end_line","end_column","labels":[{"file","span","line","column","message","primary"}],
/// "help","notes"}`. Lines and columns are one-based, columns count Unicode characters,
/// offsets are bytes clamped to the file; the primary label is the first of `labels`.
///
/// A [`serde_json::Value`] keeps its keys in serde_json's map order; text written by
/// [`render_json_lines`] keeps the documented order.
pub fn to_json(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    serde_json::to_value(json_record(d, sources)).unwrap_or(serde_json::Value::Null)
}
