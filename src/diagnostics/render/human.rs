//! The human format: ariadne reports with source snippets, long lines cut to windows
//! around the labels, unsafe characters shown as control pictures.

use super::*;
use std::collections::BTreeMap;
use std::fmt;

use ariadne::{Color, Fmt, IndexType, ReportKind};

/// Lines up to this many bytes are shown whole in a snippet; longer ones are cut to
/// windows around the places labels point at.
pub const MAX_SNIPPET_LINE_BYTES: usize = 256;
/// Bytes of context kept on each side of a label's start and end in a long line.
pub(super) const WINDOW_CONTEXT_BYTES: usize = 40;
/// At most this many bytes of one long line are shown, however many labels point into
/// it (the rest of its label positions show at the nearest `…`).
pub(super) const MAX_WINDOWED_LINE_BYTES: usize = 1024;

/// A piece of a long line kept in the snippet: original bytes `start..end`, shown from
/// character `display` of the display text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window {
    start: usize,
    end: usize,
    display: usize,
}

/// One file prepared for ariadne, which counts offsets in characters: its text as shown
/// (unsafe characters replaced one for one, long lines cut to windows), and how offsets
/// in the real text map onto it.
pub(super) struct CachedFile<'s> {
    name: String,
    file: &'s SourceFile,
    source: ariadne::Source<String>,
    /// The character offset in the display text of each line start of `file.lines`.
    line_chars: Vec<usize>,
    /// The windows of each line that was cut, by line.
    windows: BTreeMap<usize, Vec<Window>>,
}

impl<'s> CachedFile<'s> {
    /// `marks` are the byte offsets labels start and end at in this file, sorted;
    /// `ranges` the labels' byte ranges. Only the lines a label touches, from its first
    /// line to its last, can be shown, so only their text goes into the display text:
    /// every other line keeps its line ending alone (line numbers stay, and a large file
    /// with a few diagnostics is not copied whole).
    fn new(file: &'s SourceFile, marks: &[usize], ranges: &[Range<usize>]) -> CachedFile<'s> {
        let text = file.text.as_ref();
        let count = file.lines.line_count();
        let shown = shown_lines(file, count, ranges);
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
            if !shown.get(line).copied().unwrap_or(true) {
                // Never shown: its line ending only. An LF right after a CR would end
                // one line with it, so a CR stands for it.
                if ending == "\n" && display.ends_with('\r') {
                    display.push('\r');
                    chars += 1;
                    continue;
                }
            } else if body.len() <= MAX_SNIPPET_LINE_BYTES {
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
}

/// Whether each line lies within the lines of some label (from the line it starts on to
/// the line it ends on).
fn shown_lines(file: &SourceFile, count: usize, ranges: &[Range<usize>]) -> Vec<bool> {
    // A difference array: +1 at a label's first line, -1 after its last.
    let mut delta = vec![0i64; count + 1];
    for r in ranges {
        let first = file.lines.line_of(to_u32(r.start));
        let last = file.lines.line_of(to_u32(r.end)).max(first);
        if let Some(d) = delta.get_mut(first.min(count)) {
            *d += 1;
        }
        if let Some(d) = delta.get_mut((last + 1).min(count)) {
            *d -= 1;
        }
    }
    let mut open = 0i64;
    delta
        .iter()
        .take(count)
        .map(|d| {
            open += d;
            open > 0
        })
        .collect()
}

impl CachedFile<'_> {
    /// The display character offset of a byte offset that lies on a character boundary.
    fn char_offset(&self, byte: usize) -> usize {
        let text = self.file.text.as_ref();
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
        let text = self.file.text.as_ref();
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
pub(super) fn cut(text: &str, start: usize, end: usize, marks: &[usize]) -> Vec<(usize, usize)> {
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
pub(super) fn fix_locations(report: &str, cache: &ReportCache<'_>, files: &[FileId]) -> String {
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
pub(super) struct ReportCache<'s> {
    files: BTreeMap<FileId, CachedFile<'s>>,
}

impl<'s> ReportCache<'s> {
    fn new(diags: &[Diagnostic], sources: &'s SourceMap) -> ReportCache<'s> {
        let mut marks: BTreeMap<FileId, (Vec<usize>, Vec<Range<usize>>)> = BTreeMap::new();
        for d in diags {
            for label in std::iter::once(&d.primary).chain(d.secondary.iter()) {
                if let Some(file) = sources.get(label.span.file) {
                    let range = clamp_range(&file.text, label.span);
                    let (m, ranges) = marks.entry(label.span.file).or_default();
                    m.push(range.start);
                    m.push(range.end);
                    ranges.push(range);
                }
            }
        }
        let mut files = BTreeMap::new();
        for (id, (mut m, ranges)) in marks {
            m.sort_unstable();
            m.dedup();
            if let Some(file) = sources.get(id) {
                files.insert(id, CachedFile::new(file, &m, &ranges));
            }
        }
        ReportCache { files }
    }
}

/// The error ariadne gets for a file it was never given (labels are filtered first,
/// so it does not happen).
#[derive(Debug)]
pub(super) struct MissingFile;

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

pub(super) fn render_one_human(
    d: &Diagnostic,
    cache: &mut ReportCache<'_>,
    color: bool,
    out: &mut String,
) {
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
pub(super) fn push_help_and_notes(d: &Diagnostic, out: &mut String) {
    if let Some(help) = &d.help {
        out.push_str(&format!("  Help: {}\n", escape_text(help)));
    }
    for note in &d.notes {
        out.push_str(&format!("  Note: {}\n", escape_text(note)));
    }
}
