//! Renderers for diagnostics: rich reports for people, one-line short form and JSON Lines.
//!
//! Every renderer takes spans as they come: an empty span, a span past the end of its
//! file, a span that cuts a UTF-8 character or one in a file the [`SourceMap`] does not
//! hold is clamped or degraded, never a panic. Output depends only on the inputs.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use ariadne::{Color, Fmt, IndexType, ReportKind};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use serde::Serialize;

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};

// ---------------------------------------------------------------- span clamping

/// Moves a byte offset into `text` and back onto the start of the character it is in.
fn floor_offset(text: &str, offset: u32) -> usize {
    let mut i = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves a byte offset into `text` and forward onto the end of the character it is in.
fn ceil_offset(text: &str, offset: u32) -> usize {
    let mut i = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A span's byte range inside its file: within the text, on character boundaries and
/// never inverted.
pub(crate) fn clamp_range(text: &str, span: Span) -> Range<usize> {
    let start = floor_offset(text, span.start);
    let end = ceil_offset(text, span.end).max(start);
    start..end
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a span lies, resolved against the source map.
struct Place<'a> {
    file: &'a str,
    start: u32,
    end: u32,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn place<'a>(span: Span, sources: &'a SourceMap) -> Place<'a> {
    match sources.get(span.file) {
        Some(f) => {
            let range = clamp_range(&f.text, span);
            let start = f.lines.line_col(&f.text, to_u32(range.start));
            let end = f.lines.line_col(&f.text, to_u32(range.end));
            Place {
                file: f.name.as_str(),
                start: to_u32(range.start),
                end: to_u32(range.end),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        }
        None => Place {
            file: sources.name(span.file),
            start: span.start,
            end: span.end.max(span.start),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

// ---------------------------------------------------------------- terminal safety

use crate::source::is_unsafe_char;

/// Text for a terminal: every unsafe character (see above) written as an escape such as
/// `\u{1b}`; `keep` lists the controls that stay (a message's line breaks and tabs).
fn escape_with<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    if !text
        .chars()
        .any(|c| is_unsafe_char(c) && !keep.contains(&c))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) && !keep.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A message, label, help or note for a terminal: control characters escaped, line
/// breaks and tabs kept.
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    escape_with(text, &['\n', '\t'])
}

/// A file name for a terminal: every control character escaped, line breaks included.
pub fn escape_name(name: &str) -> std::borrow::Cow<'_, str> {
    escape_with(name, &[])
}

/// The one character a source snippet shows in place of an unsafe one, so that columns
/// and label positions stay where they are: a control picture (`␛` for ESC) for C0
/// controls and DEL, `�` for the rest. Tabs stay; line ends are not passed here.
fn snippet_char(c: char) -> char {
    match u32::from(c) {
        n @ 0..=0x1F if c != '\t' => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ if c != '\t' && is_unsafe_char(c) => '\u{FFFD}',
        _ => c,
    }
}

// ---------------------------------------------------------------- human (ariadne)

/// Lines up to this many bytes are shown whole in a snippet; longer ones are cut to
/// windows around the places labels point at.
pub const MAX_SNIPPET_LINE_BYTES: usize = 256;
/// Bytes of context kept on each side of a label's start and end in a long line.
const WINDOW_CONTEXT_BYTES: usize = 40;
/// At most this many bytes of one long line are shown, however many labels point into
/// it (the rest of its label positions show at the nearest `…`).
const MAX_WINDOWED_LINE_BYTES: usize = 1024;

/// A piece of a long line kept in the snippet: original bytes `start..end`, shown from
/// character `display` of the display text.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    end: usize,
    display: usize,
}

/// One file prepared for ariadne, which counts offsets in characters: its text as shown
/// (unsafe characters replaced one for one, long lines cut to windows), and how offsets
/// in the real text map onto it.
struct CachedFile<'s> {
    name: String,
    file: &'s SourceFile,
    source: ariadne::Source<String>,
    /// The character offset in the display text of each line start of `file.lines`.
    line_chars: Vec<usize>,
    /// The windows of each line that was cut, by line.
    windows: BTreeMap<usize, Vec<Window>>,
}

impl<'s> CachedFile<'s> {
    /// `marks` are the byte offsets labels start and end at in this file, sorted.
    fn new(file: &'s SourceFile, marks: &[usize]) -> CachedFile<'s> {
        let text = file.text.as_str();
        let count = file.lines.line_count();
        let mut display = String::with_capacity(text.len().min(1 << 20));
        let mut chars = 0usize;
        let mut line_chars = Vec::with_capacity(count);
        let mut windows = BTreeMap::new();
        for line in 0..count {
            let start = (file.lines.line_start(line) as usize).min(text.len());
            let end = if line + 1 < count {
                (file.lines.line_start(line + 1) as usize).min(text.len())
            } else {
                text.len()
            }
            .max(start);
            line_chars.push(chars);
            let raw = text.get(start..end).unwrap_or("");
            let body_len = raw.trim_end_matches(['\n', '\r']).len();
            let (body, ending) = raw.split_at(body_len);
            if body.len() <= MAX_SNIPPET_LINE_BYTES {
                for c in body.chars() {
                    display.push(snippet_char(c));
                    chars += 1;
                }
            } else {
                let from = marks.partition_point(|&m| m < start);
                let to = marks.partition_point(|&m| m <= start + body.len());
                let kept = cut(
                    text,
                    start,
                    start + body.len(),
                    marks.get(from..to).unwrap_or(&[]),
                );
                let mut shown = Vec::with_capacity(kept.len());
                for (k, &(a, b)) in kept.iter().enumerate() {
                    if k > 0 || a > start {
                        display.push('…');
                        chars += 1;
                    }
                    shown.push(Window {
                        start: a,
                        end: b,
                        display: chars,
                    });
                    for c in text.get(a..b).unwrap_or("").chars() {
                        display.push(snippet_char(c));
                        chars += 1;
                    }
                }
                if kept.last().is_none_or(|&(_, b)| b < start + body.len()) {
                    display.push('…');
                    chars += 1;
                }
                windows.insert(line, shown);
            }
            display.push_str(ending);
            chars += ending.chars().count();
        }
        CachedFile {
            name: escape_name(&file.name).into_owned(),
            file,
            source: ariadne::Source::from(display),
            line_chars,
            windows,
        }
    }

    /// The display character offset of a byte offset that lies on a character boundary.
    fn char_offset(&self, byte: usize) -> usize {
        let text = self.file.text.as_str();
        let line = self.file.lines.line_of(to_u32(byte));
        let line_start = (self.file.lines.line_start(line) as usize).min(byte);
        let before = self.line_chars.get(line).copied().unwrap_or(0);
        let Some(windows) = self.windows.get(&line) else {
            return before + text.get(line_start..byte).map_or(0, |s| s.chars().count());
        };
        // In a window: its place there. Between windows (or before the first): the `…`
        // in front of the next one; past the last: the end of the last.
        for w in windows {
            if byte < w.start {
                return w.display.saturating_sub(1).max(before);
            }
            if byte <= w.end {
                return w.display + text.get(w.start..byte).map_or(0, |s| s.chars().count());
            }
        }
        windows.last().map_or(before, |w| {
            w.display + text.get(w.start..w.end).map_or(0, |s| s.chars().count())
        })
    }

    fn char_range(&self, span: Span) -> Range<usize> {
        let bytes = clamp_range(&self.file.text, span);
        let start = self.char_offset(bytes.start);
        let end = self.char_offset(bytes.end).max(start);
        start..end
    }

    /// The one-based column, in the real line, of one-based display column `column` of
    /// line `line` (zero-based), when that line was cut to windows.
    fn real_column(&self, line: usize, column: usize) -> Option<usize> {
        let windows = self.windows.get(&line)?;
        let text = self.file.text.as_str();
        let line_start = self.file.lines.line_start(line) as usize;
        let target = self.line_chars.get(line)? + column.saturating_sub(1);
        let w = windows.iter().rev().find(|w| w.display <= target)?;
        let mut byte = w.start;
        for (i, (offset, _)) in text.get(w.start..w.end)?.char_indices().enumerate() {
            byte = w.start + offset;
            if w.display + i == target {
                break;
            }
        }
        let before = text.get(line_start..byte)?;
        Some(before.chars().count() + 1)
    }
}

/// The windows kept of the long line `start..end`: context around each mark, merged
/// where they touch, on character boundaries, at most [`MAX_WINDOWED_LINE_BYTES`] in all
/// (a line with no mark keeps its beginning).
fn cut(text: &str, start: usize, end: usize, marks: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut total = 0usize;
    let wanted: Vec<(usize, usize)> = if marks.is_empty() {
        vec![(start, start + MAX_SNIPPET_LINE_BYTES)]
    } else {
        marks
            .iter()
            .map(|&m| {
                (
                    m.saturating_sub(WINDOW_CONTEXT_BYTES).max(start),
                    m.saturating_add(WINDOW_CONTEXT_BYTES).min(end),
                )
            })
            .collect()
    };
    for (a, b) in wanted {
        let a = floor_offset(text, to_u32(a)).max(start);
        let b = ceil_offset(text, to_u32(b.min(end))).min(end);
        match out.last_mut() {
            Some(last) if a <= last.1 => {
                let grown = b.saturating_sub(last.1);
                if total + grown > MAX_WINDOWED_LINE_BYTES {
                    break;
                }
                total += grown;
                last.1 = last.1.max(b);
            }
            _ => {
                if total + (b - a) > MAX_WINDOWED_LINE_BYTES {
                    break;
                }
                total += b - a;
                out.push((a, b));
            }
        }
    }
    out
}

/// Replaces the column of each `NAME:LINE:COL` location ariadne wrote for a line that
/// was cut to windows (it counts in the display text) with the column in the real line.
fn fix_locations(report: &str, cache: &ReportCache<'_>, files: &[FileId]) -> String {
    let mut out = report.to_string();
    for id in files {
        let Some(file) = cache.files.get(id) else {
            continue;
        };
        for &line in file.windows.keys() {
            let prefix = format!("{}:{}:", file.name, line + 1);
            let mut from = 0;
            while let Some(found) = out.get(from..).and_then(|rest| rest.find(&prefix)) {
                let at = from + found + prefix.len();
                let digits: String = out
                    .get(at..)
                    .unwrap_or("")
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let real = digits
                    .parse::<usize>()
                    .ok()
                    .and_then(|col| file.real_column(line, col));
                match real {
                    Some(real) => {
                        let real = real.to_string();
                        out.replace_range(at..at + digits.len(), &real);
                        from = at + real.len();
                    }
                    None => from = at,
                }
            }
        }
    }
    out
}

/// Every file the diagnostics point into, keyed by id, as ariadne's source cache.
struct ReportCache<'s> {
    files: BTreeMap<FileId, CachedFile<'s>>,
}

impl<'s> ReportCache<'s> {
    fn new(diags: &[Diagnostic], sources: &'s SourceMap) -> ReportCache<'s> {
        let mut marks: BTreeMap<FileId, Vec<usize>> = BTreeMap::new();
        for d in diags {
            for label in std::iter::once(&d.primary).chain(d.secondary.iter()) {
                if let Some(file) = sources.get(label.span.file) {
                    let range = clamp_range(&file.text, label.span);
                    let m = marks.entry(label.span.file).or_default();
                    m.push(range.start);
                    m.push(range.end);
                }
            }
        }
        let mut files = BTreeMap::new();
        for (id, mut m) in marks {
            m.sort_unstable();
            m.dedup();
            if let Some(file) = sources.get(id) {
                files.insert(id, CachedFile::new(file, &m));
            }
        }
        ReportCache { files }
    }
}

/// The error ariadne gets for a file it was never given (labels are filtered first,
/// so it does not happen).
#[derive(Debug)]
struct MissingFile;

impl ariadne::Cache<FileId> for ReportCache<'_> {
    type Storage = String;

    fn fetch(&mut self, id: &FileId) -> Result<&ariadne::Source<String>, impl fmt::Debug> {
        self.files.get(id).map(|f| &f.source).ok_or(MissingFile)
    }

    fn display<'a>(&self, id: &'a FileId) -> Option<impl fmt::Display + 'a> {
        self.files.get(id).map(|f| f.name.clone())
    }
}

/// Rich human report via ariadne: one report per diagnostic with the code in its header
/// (`error[E0101]: unknown party `globx``), the primary label, every secondary label,
/// the help and the notes. `color` false gives plain text.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut cache = ReportCache::new(diags, sources);
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one_human(d, &mut cache, color, &mut out);
    }
    out
}

fn render_one_human(d: &Diagnostic, cache: &mut ReportCache<'_>, color: bool, out: &mut String) {
    let (kind, kind_color) = match d.severity {
        Severity::Error => (ReportKind::Error, Color::Red),
        Severity::Warning => (ReportKind::Warning, Color::Yellow),
    };

    // Labels ariadne can place: those in the primary's file first, then the other files
    // in id order; within a file by the line each label ends on, which is how ariadne
    // keeps the labels of one file in a single snippet.
    let primary_file = d.primary.span.file;
    let mut placed: Vec<(bool, &Label, Range<usize>)> = Vec::new();
    let all = std::iter::once((true, &d.primary)).chain(d.secondary.iter().map(|l| (false, l)));
    for (is_primary, label) in all {
        if let Some(file) = cache.files.get(&label.span.file) {
            placed.push((is_primary, label, file.char_range(label.span)));
        }
    }
    placed.sort_by_key(|(is_primary, label, chars)| {
        let last = chars.end.saturating_sub(1).max(chars.start);
        (
            label.span.file != primary_file,
            label.span.file,
            last,
            chars.start,
            !*is_primary,
        )
    });

    let mut labels = Vec::with_capacity(placed.len());
    for (order, (is_primary, label, chars)) in placed.into_iter().enumerate() {
        let mut l = ariadne::Label::new((label.span.file, chars))
            .with_order(i32::try_from(order).unwrap_or(i32::MAX));
        if !label.message.is_empty() {
            l = l.with_message(escape_text(&label.message));
        }
        if color {
            l = l.with_color(if is_primary { kind_color } else { Color::Blue });
        }
        labels.push(l);
    }

    // Header: ariadne's own header has no code in the `error[E0101]` form, so it is
    // written here and ariadne's (a single line, as it gets no message) is dropped.
    let head = format!("{}[{}]:", severity_word(d.severity), d.code);
    let message = escape_text(&d.message);
    if color {
        out.push_str(&format!("{} {message}\n", head.fg(kind_color)));
    } else {
        out.push_str(&format!("{head} {message}\n"));
    }

    if labels.is_empty() {
        // No file to show: ariadne would print the header alone, without help or notes.
        push_help_and_notes(d, out);
        return;
    }

    let anchor = match cache.files.get(&primary_file) {
        Some(file) => (primary_file, file.char_range(d.primary.span)),
        None => (primary_file, 0..0),
    };
    let config = ariadne::Config::default()
        .with_color(color)
        .with_index_type(IndexType::Char);
    let mut builder = ariadne::Report::build(kind, anchor)
        .with_config(config)
        .with_labels(labels);
    if let Some(help) = &d.help {
        builder = builder.with_help(escape_text(help));
    }
    for note in &d.notes {
        builder = builder.with_note(escape_text(note));
    }
    let mut buf: Vec<u8> = Vec::new();
    if builder.finish().write(&mut *cache, &mut buf).is_err() {
        push_help_and_notes(d, out);
        return;
    }
    let text = String::from_utf8_lossy(&buf);
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    let files: Vec<FileId> = std::iter::once(&d.primary)
        .chain(d.secondary.iter())
        .map(|l| l.span.file)
        .filter(|f| cache.files.get(f).is_some_and(|c| !c.windows.is_empty()))
        .collect();
    if files.is_empty() {
        out.push_str(body);
    } else {
        out.push_str(&fix_locations(body, cache, &files));
    }
}

/// Help and notes as plain lines, in the words ariadne uses, for a report without a
/// snippet.
fn push_help_and_notes(d: &Diagnostic, out: &mut String) {
    if let Some(help) = &d.help {
        out.push_str(&format!("  Help: {}\n", escape_text(help)));
    }
    for note in &d.notes {
        out.push_str(&format!("  Note: {}\n", escape_text(note)));
    }
}

// ---------------------------------------------------------------- short (codespan)

/// The source map as codespan-reporting's file database.
struct ShortFiles<'s>(&'s SourceMap);

impl<'s> Files<'s> for ShortFiles<'s> {
    type FileId = FileId;
    type Name = String;
    type Source = &'s str;

    fn name(&'s self, id: FileId) -> Result<String, FilesError> {
        self.0
            .get(id)
            .map(|f| escape_name(&f.name).into_owned())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'s self, id: FileId) -> Result<&'s str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'s self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        Ok(f.lines.line_of(to_u32(byte_index)))
    }

    fn line_range(&'s self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        let count = f.lines.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count.saturating_sub(1),
            });
        }
        let start = (f.lines.line_start(line_index) as usize).min(f.text.len());
        let end = if line_index + 1 < count {
            (f.lines.line_start(line_index + 1) as usize).min(f.text.len())
        } else {
            f.text.len()
        };
        Ok(start..end.max(start))
    }
}

/// One line per diagnostic in codespan-reporting's short style:
/// `path/to/file.xlic:12:5: error[E0101]: unknown party `globx``.
pub fn render_short(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let files = ShortFiles(sources);
    let config = term::Config {
        display_style: term::DisplayStyle::Short,
        ..term::Config::default()
    };
    let mut out = String::new();
    for d in diags {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        // One line each: every control character escaped, line breaks included.
        let message = escape_name(&d.message);
        let mut diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code)
            .with_message(message.as_ref());
        if let Some(f) = sources.get(d.primary.span.file) {
            let range = clamp_range(&f.text, d.primary.span);
            diagnostic = diagnostic.with_labels(vec![cs::Label::primary(f.id, range)]);
        }
        let mut buf: Vec<u8> = Vec::new();
        match term::emit_to_io_write(&mut buf, &config, &files, &diagnostic) {
            Ok(()) => out.push_str(&String::from_utf8_lossy(&buf)),
            Err(_) => {
                let p = place(d.primary.span, sources);
                out.push_str(&format!(
                    "{}:{}:{}: {}[{}]: {message}\n",
                    escape_name(p.file),
                    p.line,
                    p.column,
                    severity_word(d.severity),
                    d.code,
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct JsonSpan {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    span: JsonSpan,
    line: u32,
    column: u32,
    message: &'a str,
    primary: bool,
}

/// The machine form of one diagnostic; field order is the order of the keys.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
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

fn json_label<'a>(label: &'a Label, primary: bool, sources: &'a SourceMap) -> JsonLabel<'a> {
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

fn json_record<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
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

// ---------------------------------------------------------------- summary

/// A count of problems such as `2 errors, 1 warning`, or `no problems`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let count = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => count(e, "error"),
        (0, w) => count(w, "warning"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn span(file: FileId, text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        Span::new(file, start, start + needle.len())
    }

    const MAIN: &str = "agreement \"Acme–Globex 😀\" { effective 2026-01-01 }\r\n\
party acme \"Acme\"\r\n\
grant g: acme -> globx { assets motion  field robotics  territory worldwide  exclusive }\r\n";

    fn setup() -> (SourceMap, FileId, FileId) {
        let mut sources = SourceMap::new();
        let main = sources.add("contracts/main.xlic", None, MAIN.to_string());
        let reg = sources.add(
            "contracts/registry.xlic",
            None,
            "// registry\nparty globex \"Globex\"\n".to_string(),
        );
        (sources, main, reg)
    }

    fn unknown_party(main: FileId, reg: FileId) -> Diagnostic {
        Diagnostic::new(
            Code::E0101,
            "unknown party `globx`",
            span(main, MAIN, "globx"),
        )
        .with_label("no party is named `globx`")
        .with_secondary(
            Span::new(reg, 12, 18),
            "a party with a similar name is declared here",
        )
        .with_help("did you mean `globex`?")
        .with_note("parties are declared with `party ID \"Legal Name\"`")
    }

    #[test]
    fn human_plain_has_header_labels_help_and_notes() {
        let (sources, main, reg) = setup();
        let d = unknown_party(main, reg);
        let out = render_human(&[d], &sources, false);
        assert!(
            out.starts_with("error[E0101]: unknown party `globx`\n"),
            "{out}"
        );
        assert!(out.contains("no party is named `globx`"), "{out}");
        assert!(
            out.contains("a party with a similar name is declared here"),
            "{out}"
        );
        assert!(out.contains("contracts/main.xlic:3:18"), "{out}");
        assert!(out.contains("contracts/registry.xlic:2:1"), "{out}");
        assert!(out.contains("did you mean `globex`?"), "{out}");
        assert!(out.contains("parties are declared with"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(!out.contains("Unable to fetch"), "{out}");
    }

    #[test]
    fn human_colour_is_deterministic_and_coloured() {
        let (sources, main, reg) = setup();
        let d = unknown_party(main, reg);
        let a = render_human(std::slice::from_ref(&d), &sources, true);
        let b = render_human(std::slice::from_ref(&d), &sources, true);
        assert_eq!(a, b);
        assert!(a.contains('\u{1b}'));
        assert!(a.contains("E0101"));
    }

    #[test]
    fn human_warning_header_and_separation() {
        let (sources, main, _) = setup();
        let w = Diagnostic::new(
            Code::W0404,
            "`acme` grants nothing",
            span(main, MAIN, "acme"),
        );
        let e = Diagnostic::new(
            Code::E0101,
            "unknown party `globx`",
            span(main, MAIN, "globx"),
        );
        let out = render_human(&[w, e], &sources, false);
        assert!(
            out.starts_with("warning[W0404]: `acme` grants nothing\n"),
            "{out}"
        );
        assert!(
            out.contains("\nerror[E0101]: unknown party `globx`\n"),
            "{out}"
        );
    }

    #[test]
    fn short_has_file_line_column_code_and_message() {
        let (sources, main, reg) = setup();
        let d = unknown_party(main, reg);
        let w = Diagnostic::new(
            Code::W0406,
            "`except` removes nothing",
            Span::new(reg, 0, 2),
        );
        let out = render_short(&[d, w], &sources);
        assert_eq!(
            out,
            "contracts/main.xlic:3:18: error[E0101]: unknown party `globx`\n\
             contracts/registry.xlic:1:1: warning[W0406]: `except` removes nothing\n"
        );
    }

    #[test]
    fn short_counts_columns_in_characters() {
        let (sources, main, _) = setup();
        let d = Diagnostic::new(Code::E0001, "invalid character", span(main, MAIN, "\" {"));
        let out = render_short(&[d], &sources);
        // `agreement "Acme–Globex 😀` is 24 characters, so the quote is column 25.
        assert_eq!(
            out,
            "contracts/main.xlic:1:25: error[E0001]: invalid character\n"
        );
    }

    #[test]
    fn json_lines_parse_back_with_positions() {
        let (sources, main, reg) = setup();
        let d = unknown_party(main, reg);
        let out = render_json_lines(&[d.clone(), d], &sources);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["code"], "E0101");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["message"], "unknown party `globx`");
        assert_eq!(v["file"], "contracts/main.xlic");
        assert_eq!(v["line"], 3);
        assert_eq!(v["column"], 18);
        assert_eq!(v["end_line"], 3);
        assert_eq!(v["end_column"], 23);
        let start = MAIN.find("globx").unwrap() as u64;
        assert_eq!(v["span"]["start"], start);
        assert_eq!(v["span"]["end"], start + 5);
        assert_eq!(v["labels"][0]["primary"], true);
        assert_eq!(v["labels"][0]["line"], 3);
        assert_eq!(v["labels"][1]["primary"], false);
        assert_eq!(v["labels"][1]["file"], "contracts/registry.xlic");
        assert_eq!(v["labels"][1]["line"], 2);
        assert_eq!(v["labels"][1]["column"], 1);
        assert_eq!(v["help"], "did you mean `globex`?");
        assert_eq!(v["notes"].as_array().unwrap().len(), 1);
        assert_eq!(v, to_json(&unknown_party(main, reg), &sources));
    }

    #[test]
    fn json_columns_after_emoji_line() {
        let text = "a 😀 b\nc – d 😀 e\n  grant 😀 x";
        let mut sources = SourceMap::new();
        let f = sources.add("e.xlic", None, text.to_string());
        let x = text.rfind('x').unwrap();
        let d = Diagnostic::new(Code::E0004, "unexpected `x`", Span::new(f, x, x + 1));
        let v: serde_json::Value =
            serde_json::from_str(render_json_lines(&[d], &sources).trim_end()).unwrap();
        assert_eq!(v["line"], 3);
        assert_eq!(v["column"], 11);
        assert_eq!(v["end_column"], 12);
        let e = text.find('e').unwrap();
        let d = Diagnostic::new(Code::E0004, "unexpected `e`", Span::new(f, e, e + 1));
        let v = to_json(&d, &sources);
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(2), Some(9))
        );
    }

    #[test]
    fn json_key_order_is_fixed() {
        let (sources, main, reg) = setup();
        let out = render_json_lines(&[unknown_party(main, reg)], &sources);
        let keys = [
            "\"code\"",
            "\"severity\"",
            "\"message\"",
            "\"file\"",
            "\"span\"",
            "\"line\"",
            "\"column\"",
            "\"end_line\"",
            "\"end_column\"",
            "\"labels\"",
            "\"help\"",
            "\"notes\"",
        ];
        let mut at = 0;
        for key in keys {
            let found = out[at..].find(key).unwrap();
            at += found + key.len();
        }
        let none = Diagnostic::new(
            Code::E0012,
            "grant outside an agreement",
            Span::new(main, 0, 0),
        );
        let v = to_json(&none, &sources);
        assert!(v["help"].is_null());
        assert_eq!(v["notes"], serde_json::json!([]));
    }

    #[test]
    fn out_of_range_and_odd_spans_do_not_panic() {
        let (sources, main, reg) = setup();
        let len = MAIN.len();
        let emoji = MAIN.find('😀').unwrap();
        let spans = [
            Span::new(main, 0, 0),
            Span::new(main, len, len),
            Span::new(main, len + 10, len + 20),
            Span::new(main, 5, len + 100),
            Span::new(main, emoji + 1, emoji + 2),
            Span::new(main, emoji + 2, emoji + 9),
            Span {
                file: main,
                start: 30,
                end: 10,
            },
            Span::new(main, u32::MAX as usize, u32::MAX as usize),
            Span::new(FileId(42), 3, 7),
        ];
        for s in spans {
            let d = Diagnostic::new(Code::E0005, "unexpected end of file", s)
                .with_label("here")
                .with_secondary(Span::new(reg, 999, 1999), "far away")
                .with_secondary(Span::new(FileId(77), 0, 1), "nowhere")
                .with_help("close the `{`");
            let human = render_human(std::slice::from_ref(&d), &sources, false);
            assert!(human.starts_with("error[E0005]: unexpected end of file\n"));
            assert!(human.contains("close the `{`"), "{human}");
            let short = render_short(std::slice::from_ref(&d), &sources);
            assert!(
                short.contains("error[E0005]: unexpected end of file"),
                "{short}"
            );
            assert_eq!(short.lines().count(), 1);
            let v = to_json(&d, &sources);
            assert!(v["line"].as_u64().unwrap() >= 1);
            assert!(v["span"]["start"].as_u64() <= v["span"]["end"].as_u64());
        }
    }

    #[test]
    fn fuzzed_spans_over_awkward_text_do_not_panic() {
        let texts = [
            "",
            "\n",
            "\r\n\r\n",
            "a–b\r\n😀😀\r\n\tx\n",
            "no newline at end 😀",
            "\u{2028}line sep\u{85}next\x0bvt\x0cff\r\rcr\n",
        ];
        let mut sources = SourceMap::new();
        let ids: Vec<FileId> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| sources.add(format!("f{i}.xlic"), None, (*t).to_string()))
            .collect();
        let mut rng = xlic_testkit::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: usize| rng.range(0, m);
        let mut diags = Vec::new();
        for _ in 0..400 {
            let fi = next(ids.len() - 1);
            let len = texts[fi].len() + 2;
            let a = next(len);
            let b = a + next(len);
            let mut d = Diagnostic::new(Code::E0004, "unexpected token", Span::new(ids[fi], a, b))
                .with_label("primary");
            for _ in 0..next(3) {
                let fj = next(ids.len() - 1);
                let len = texts[fj].len() + 2;
                let a = next(len);
                let b = a + next(len);
                d = d.with_secondary(Span::new(ids[fj], a, b), "secondary");
            }
            diags.push(d);
        }
        for d in &diags {
            let _ = render_human(std::slice::from_ref(d), &sources, false);
            let _ = render_human(std::slice::from_ref(d), &sources, true);
        }
        let short = render_short(&diags, &sources);
        assert_eq!(short.lines().count(), diags.len());
        let json = render_json_lines(&diags, &sources);
        for line in json.lines() {
            let _: serde_json::Value = serde_json::from_str(line).unwrap();
        }
    }

    #[test]
    fn secondary_label_in_another_file_renders() {
        let (sources, main, reg) = setup();
        let d = Diagnostic::new(
            Code::E0301,
            "exclusive grant `g` overlaps grant `h`",
            span(main, MAIN, "exclusive"),
        )
        .with_label("exclusive here")
        .with_secondary(
            Span::new(reg, 12, 33),
            "overlapping grant in another agreement",
        );
        let out = render_human(&[d], &sources, false);
        assert!(out.contains("contracts/main.xlic:3:"), "{out}");
        assert!(out.contains("contracts/registry.xlic:2:1"), "{out}");
        assert!(
            out.contains("overlapping grant in another agreement"),
            "{out}"
        );
        assert!(out.contains("party globex"), "{out}");
    }

    #[test]
    fn summary_counts() {
        let (_, main, _) = setup();
        let e = Diagnostic::new(Code::E0101, "x", Span::new(main, 0, 1));
        let w = Diagnostic::new(Code::W0401, "y", Span::new(main, 0, 1));
        assert_eq!(summary(&[]), "no problems");
        assert_eq!(summary(std::slice::from_ref(&e)), "1 error");
        assert_eq!(summary(&[e.clone(), e.clone()]), "2 errors");
        assert_eq!(summary(std::slice::from_ref(&w)), "1 warning");
        assert_eq!(summary(&[w.clone(), w.clone(), w.clone()]), "3 warnings");
        assert_eq!(summary(&[e.clone(), e, w]), "2 errors, 1 warning");
    }
}
