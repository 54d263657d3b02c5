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

/// One file prepared for ariadne, which counts offsets in characters: the lines labels
/// can show, as shown (unsafe characters replaced one for one, long lines cut to
/// windows), and how offsets and line numbers in the real text map onto them.
///
/// Only the lines from a label's first line to its last are kept, so the cost follows
/// the lines shown, not the file's size. Each run of lines between them is kept as its
/// last line's ending alone: ariadne never prints such a line, and shows a run of any
/// length as one gap row, so one line stands for the run. Its line numbers (in the
/// margin, their width, and `NAME:LINE:COL`) are then those of the display text, and
/// [`renumber`] writes the file's in their place (ariadne 0.6's
/// `Source::with_display_line_offset` moves only `NAME:LINE:COL`, not the margin).
pub(super) struct CachedFile<'s> {
    name: String,
    file: &'s SourceFile,
    source: ariadne::Source<String>,
    /// Each kept line of `file.lines`, in order, with the character offset of its start
    /// in the display text.
    line_chars: Vec<(usize, usize)>,
    /// Where the display text's lines come from, in order: from display line `.0` on,
    /// file line `.1` and those after it.
    runs: Vec<(usize, usize)>,
    /// The windows of each line that was cut, by line.
    windows: BTreeMap<usize, Vec<Window>>,
}

impl<'s> CachedFile<'s> {
    /// `marks` are the byte offsets labels start and end at in this file, sorted;
    /// `ranges` the labels' byte ranges. `keep_gaps` keeps every line between the shown
    /// ones (as its line ending), so that the display text's line numbers are the
    /// file's: for a label message of several lines, whose continuation lines
    /// [`renumber`] could not tell from the margin.
    fn new(
        file: &'s SourceFile,
        marks: &[usize],
        ranges: &[Range<usize>],
        keep_gaps: bool,
    ) -> CachedFile<'s> {
        let text = file.text.as_ref();
        let count = file.lines.line_count();
        let bounds = |line: usize| {
            let start = (file.lines.line_start(line) as usize).min(text.len());
            let end = if line + 1 < count {
                (file.lines.line_start(line + 1) as usize).min(text.len())
            } else {
                text.len()
            }
            .max(start);
            (start, end)
        };
        let mut display = String::new();
        let mut chars = 0usize;
        let mut local = 0usize;
        let mut next = 0usize;
        let mut line_chars = Vec::new();
        let mut runs = Vec::new();
        let mut windows = BTreeMap::new();
        for (first, last) in shown_runs(file, count, ranges) {
            // Where display line `local` begins to stand for file line `line`.
            let mut run_at = |local: usize, line: usize| {
                if runs
                    .last()
                    .is_none_or(|&(l, real)| real + (local - l) != line)
                {
                    runs.push((local, line));
                }
            };
            if first > next {
                // Lines never shown: their line endings only, or the last one's alone
                // (and the first line's: ariadne draws the margin of help and notes
                // against the first line of the text).
                let from = if keep_gaps { next } else { first - 1 };
                let gap = (next == 0 && from > 0).then_some(0).into_iter();
                for line in gap.chain(from..first) {
                    run_at(local, line);
                    let (start, end) = bounds(line);
                    let raw = text.get(start..end).unwrap_or("");
                    let ending = raw
                        .get(raw.trim_end_matches(['\n', '\r']).len()..)
                        .unwrap_or("");
                    // An LF right after a CR would end one line with it.
                    if ending == "\n" && display.ends_with('\r') {
                        display.push('\r');
                    } else {
                        display.push_str(ending);
                    }
                    chars += ending.chars().count();
                    local += 1;
                }
            }
            run_at(local, first);
            for line in first..=last {
                let (start, end) = bounds(line);
                line_chars.push((line, chars));
                local += 1;
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
            next = last + 1;
        }
        CachedFile {
            name: escape_name(&file.name).into_owned(),
            file,
            source: ariadne::Source::from(display),
            line_chars,
            runs,
            windows,
        }
    }
}

/// The runs of lines that lie within the lines of some label (from the line it starts
/// on to the line it ends on), as first and last line, in order and apart.
fn shown_runs(file: &SourceFile, count: usize, ranges: &[Range<usize>]) -> Vec<(usize, usize)> {
    let top = count.saturating_sub(1);
    let mut spans: Vec<(usize, usize)> = ranges
        .iter()
        .map(|r| {
            let first = file.lines.line_of(to_u32(r.start)).min(top);
            let last = file.lines.line_of(to_u32(r.end)).max(first).min(top);
            (first, last)
        })
        .collect();
    spans.sort_unstable();
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (first, last) in spans {
        match runs.last_mut() {
            Some(run) if first <= run.1 + 1 => run.1 = run.1.max(last),
            _ => runs.push((first, last)),
        }
    }
    runs
}

impl CachedFile<'_> {
    /// The display character offset of the start of kept line `line`.
    fn line_char(&self, line: usize) -> Option<usize> {
        let i = self
            .line_chars
            .binary_search_by_key(&line, |&(l, _)| l)
            .ok()?;
        self.line_chars.get(i).map(|&(_, c)| c)
    }

    /// The zero-based file line of zero-based display line `local`.
    fn real_line(&self, local: usize) -> usize {
        let i = self.runs.partition_point(|&(l, _)| l <= local);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(&(l, real)) => real + (local - l),
            None => local,
        }
    }

    /// Whether the display text's line numbers are the file's.
    fn same_lines(&self) -> bool {
        self.runs.iter().all(|&(l, real)| l == real)
    }

    /// The display character offset of a byte offset that lies on a character boundary.
    fn char_offset(&self, byte: usize) -> usize {
        let text = self.file.text.as_ref();
        let line = self.file.lines.line_of(to_u32(byte));
        let line_start = (self.file.lines.line_start(line) as usize).min(byte);
        let Some(before) = self.line_char(line) else {
            // Not a kept line (no label's byte lies there): where the next kept one starts.
            let next = self.line_chars.partition_point(|&(l, _)| l < line);
            return self
                .line_chars
                .get(next)
                .map_or(self.source.len(), |&(_, c)| c);
        };
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
        let target = self.line_char(line)? + column.saturating_sub(1);
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

/// ariadne's source groups of one report, from its labels in order: each group's file
/// and the characters its labels cover. As in ariadne, a group ends where the file
/// changes or a label ends on an earlier line than the one before it.
fn source_groups(
    labels: &[(FileId, Range<usize>)],
    cache: &ReportCache<'_>,
) -> Vec<(FileId, Range<usize>)> {
    let mut groups: Vec<(FileId, Range<usize>, usize)> = Vec::new();
    for (id, chars) in labels {
        let Some(source) = cache.files.get(id).map(|f| &f.source) else {
            continue;
        };
        let Some((_, start_line, _)) = source.get_offset_line(chars.start) else {
            continue;
        };
        let end_line = if chars.start >= chars.end {
            start_line
        } else {
            match source.get_offset_line(chars.end - 1) {
                Some((_, line, _)) => line,
                None => continue,
            }
        };
        match groups.last_mut() {
            Some((file, span, line)) if file == id && *line <= end_line => {
                span.start = span.start.min(chars.start);
                span.end = span.end.max(chars.end);
                *line = end_line;
            }
            _ => groups.push((*id, chars.clone(), end_line)),
        }
    }
    groups
        .into_iter()
        .map(|(file, span, _)| (file, span))
        .collect()
}

/// How many digits ariadne gives line numbers when the last one is `n`.
fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// The byte length of the colour escapes (`ESC [ … m`) `s` starts with.
fn escapes_len(s: &str) -> usize {
    let mut at = 0;
    while let Some(rest) = s.get(at..).filter(|r| r.starts_with("\x1b[")) {
        match rest.find('m') {
            Some(m) => at += m + 1,
            None => break,
        }
    }
    at
}

/// A report ariadne wrote from the display texts of `groups`' files, with the files'
/// line numbers in place of the display texts': in the margin (and its width, which
/// follows the largest number of any group) and in each group's `NAME:LINE:COL`. Every
/// line ariadne writes after the header starts with the margin (a space, then the line
/// number right-aligned or blanks, a space and a bar or a group's corner) except the
/// last, a rule as wide as the margin; label messages are one line (see
/// [`CachedFile::new`]).
pub(super) fn renumber<'a>(
    body: &'a str,
    groups: &[(FileId, Range<usize>)],
    cache: &ReportCache<'_>,
) -> std::borrow::Cow<'a, str> {
    let files: Vec<&CachedFile<'_>> = groups
        .iter()
        .filter_map(|(id, _)| cache.files.get(id))
        .collect();
    let (mut local_width, mut real_width) = (0, 0);
    for ((_, span), file) in groups.iter().zip(&files) {
        let end = file.source.get_line_range(span).end;
        local_width = local_width.max(digits(end));
        real_width = real_width.max(digits(
            end.checked_sub(1)
                .map_or(0, |last| file.real_line(last) + 1),
        ));
    }
    if files.len() != groups.len()
        || (local_width == real_width && files.iter().all(|f| f.same_lines()))
    {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut next = files.iter();
    let mut file: Option<&CachedFile<'_>> = None;
    for line in body.split_inclusive('\n') {
        match renumber_line(line, local_width, real_width, &mut next, &mut file) {
            Some(line) => out.push_str(&line),
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line of [`renumber`]; `file` is the file of the group the line is in, `next` the
/// files of the groups after it. `None` leaves the line as it is.
fn renumber_line<'c, 's: 'c>(
    line: &str,
    local_width: usize,
    real_width: usize,
    next: &mut std::slice::Iter<'_, &'c CachedFile<'s>>,
    file: &mut Option<&'c CachedFile<'s>>,
) -> Option<String> {
    let lead = escapes_len(line);
    let rest = line.get(lead..)?;
    if rest.starts_with('─') {
        // The closing rule.
        let rule = rest.chars().take_while(|&c| c == '─').count();
        let after = rest.get(rule * '─'.len_utf8()..)?;
        if rule != local_width + 2 || !after.starts_with('╯') {
            return None;
        }
        let mut out = String::with_capacity(line.len() + 8);
        out.push_str(line.get(..lead)?);
        out.extend(std::iter::repeat_n('─', real_width + 2));
        out.push_str(after);
        return Some(out);
    }
    let margin = line.strip_prefix(' ')?;
    let lead = escapes_len(margin);
    let field = margin.get(lead..lead + local_width + 1)?;
    let tail = margin.get(lead + local_width + 1..)?;
    let header = tail
        .get(escapes_len(tail)..)
        .is_some_and(|t| t.starts_with(['╭', '├']));
    if header {
        *file = next.next().copied();
    }
    let number = field.trim_start_matches(' ');
    let mut out = String::with_capacity(line.len() + 8);
    out.push(' ');
    out.push_str(margin.get(..lead)?);
    if number.is_empty() {
        out.extend(std::iter::repeat_n(' ', real_width + 1));
    } else {
        let n = number.strip_suffix(' ')?;
        let n: usize = n
            .parse()
            .ok()
            .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))?;
        let real = (*file)?.real_line(n.checked_sub(1)?) + 1;
        out.push_str(&format!("{real:>real_width$} "));
    }
    match (*file).filter(|_| header) {
        Some(f) => {
            // The group's `NAME:LINE:COL`, after the corner and `[`.
            let name = format!(" {}:", f.name);
            match tail.find(&name) {
                Some(at) => {
                    let at = at + name.len();
                    let after = tail.get(at..)?;
                    let len = after.bytes().take_while(u8::is_ascii_digit).count();
                    let n: usize = after.get(..len)?.parse().ok()?;
                    let real = f.real_line(n.checked_sub(1)?) + 1;
                    out.push_str(tail.get(..at)?);
                    out.push_str(&real.to_string());
                    out.push_str(after.get(len..)?);
                }
                None => out.push_str(tail),
            }
        }
        None => out.push_str(tail),
    }
    Some(out)
}

/// Every file the diagnostics point into, keyed by id, as ariadne's source cache.
pub(super) struct ReportCache<'s> {
    files: BTreeMap<FileId, CachedFile<'s>>,
}

impl<'s> ReportCache<'s> {
    fn new(diags: &[Diagnostic], sources: &'s SourceMap) -> ReportCache<'s> {
        ReportCache::build(diags, sources, false)
    }

    /// `keep_all_gaps` keeps every line between shown ones in every file (tests compare
    /// the two).
    fn build(diags: &[Diagnostic], sources: &'s SourceMap, keep_all_gaps: bool) -> ReportCache<'s> {
        type Marks = (Vec<usize>, Vec<Range<usize>>, bool);
        let mut marks: BTreeMap<FileId, Marks> = BTreeMap::new();
        for d in diags {
            let labels = || std::iter::once(&d.primary).chain(d.secondary.iter());
            let several_lines = keep_all_gaps || labels().any(|l| l.message.contains('\n'));
            for label in labels() {
                if let Some(file) = sources.get(label.span.file) {
                    let range = clamp_range(&file.text, label.span);
                    let (m, ranges, keep_gaps) = marks.entry(label.span.file).or_default();
                    m.push(range.start);
                    m.push(range.end);
                    ranges.push(range);
                    *keep_gaps |= several_lines;
                }
            }
        }
        let mut files = BTreeMap::new();
        for (id, (mut m, ranges, keep_gaps)) in marks {
            m.sort_unstable();
            m.dedup();
            if let Some(file) = sources.get(id) {
                files.insert(id, CachedFile::new(file, &m, &ranges, keep_gaps));
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
    render_with(diags, ReportCache::new(diags, sources), color)
}

fn render_with(diags: &[Diagnostic], mut cache: ReportCache<'_>, color: bool) -> String {
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

    let spans: Vec<(FileId, Range<usize>)> = placed
        .iter()
        .map(|(_, label, chars)| (label.span.file, chars.clone()))
        .collect();
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
    let body = renumber(body, &source_groups(&spans, cache), cache);
    let body = body.as_ref();
    let mut files: Vec<FileId> = std::iter::once(&d.primary)
        .chain(d.secondary.iter())
        .map(|l| l.span.file)
        .filter(|f| cache.files.get(f).is_some_and(|c| !c.windows.is_empty()))
        .collect();
    // Each file once: a second pass would take the corrected column for a display one.
    files.sort_unstable();
    files.dedup();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::diagnostics::Code;

    /// `n` lines `grant gN: acme -> globex` (one cut long line among them, and CRLF and
    /// lone CR endings), and the byte offset each line starts at.
    fn big_text(n: usize) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut starts = Vec::new();
        for i in 0..n {
            starts.push(text.len());
            text.push_str(&format!("grant g{i}: acme -> globex"));
            if i == 31_000 {
                text.push_str(&" field robotics".repeat(40));
            }
            text.push_str(match i % 7 {
                3 => "\r\n",
                5 => "\r",
                _ => "\n",
            });
        }
        starts.push(text.len());
        (text, starts)
    }

    fn at(file: FileId, starts: &[usize], line: usize, from: usize, len: usize) -> Span {
        Span::new(file, starts[line] + from, starts[line] + from + len)
    }

    /// Diagnostics far into a large file, near its start, across the width of the line
    /// numbers, over several lines, at its very end, in two files, with a message of
    /// several lines.
    fn diagnostics(big: FileId, small: FileId, starts: &[usize], len: usize) -> Vec<Diagnostic> {
        vec![
            Diagnostic::new(Code::E0101, "far", at(big, starts, 40_000, 6, 6))
                .with_label("here, far into the file")
                .with_secondary(at(big, starts, 2, 0, 5), "and near its start")
                .with_help("one\nand two")
                .with_note("a note"),
            Diagnostic::new(Code::E0101, "across widths", at(big, starts, 9_998, 6, 5))
                .with_label("line 9999")
                .with_secondary(at(big, starts, 10_003, 6, 6), "line 10004"),
            Diagnostic::new(Code::E0101, "several lines", at(big, starts, 20_000, 6, 0))
                .with_secondary(
                    Span::new(big, starts[20_002] + 3, starts[20_005] + 4),
                    "over four lines",
                )
                .with_secondary(at(big, starts, 20_009, 0, 5), "after a gap"),
            Diagnostic::new(Code::E0101, "cut line", at(big, starts, 31_000, 300, 8))
                .with_label("in a cut line")
                .with_secondary(at(big, starts, 30_990, 0, 5), "before it"),
            Diagnostic::new(Code::E0101, "end", Span::new(big, len, len))
                .with_label("the end of the file")
                .with_secondary(at(small, &[0, 12], 1, 0, 5), "in another file"),
            // Help and notes take their margin from the first line: a label over several
            // lines starting where the second line starts reaches it.
            Diagnostic::new(
                Code::E0101,
                "from the second line",
                Span::new(big, starts[1], starts[3] + 5),
            )
            .with_label("over three lines")
            .with_help("a help")
            .with_note("a note"),
            Diagnostic::new(
                Code::E0101,
                "from the fifth line",
                Span::new(big, starts[4], starts[7] + 5),
            )
            .with_label("over four lines")
            .with_secondary(at(big, starts, 30_000, 0, 5), "far")
            .with_help("a help"),
            Diagnostic::new(
                Code::E0101,
                "other file first",
                at(small, &[0, 12], 1, 0, 5),
            )
            .with_label("in the small file")
            .with_secondary(at(big, starts, 49_999, 6, 6), "last line of the big one"),
        ]
    }

    #[test]
    fn lines_far_into_a_large_file_render_as_with_every_line_kept() {
        let (text, starts) = big_text(50_000);
        let len = text.len();
        let mut sources = SourceMap::new();
        let big = sources.add("big.xlic", None, text);
        let small = sources.add("small.xlic", None, "// small\r\nparty globex\n".to_string());
        let diags = diagnostics(big, small, &starts, len);
        // All at once (one display text for the lines of all), and each alone.
        let sets = std::iter::once(&diags[..]).chain(diags.chunks(1));
        for (set, color) in sets.flat_map(|set| [(set, false), (set, true)]) {
            let windowed = render_human(set, &sources, color);
            let whole = render_with(set, ReportCache::build(set, &sources, true), color);
            assert_eq!(windowed, whole);
        }
        let out = render_human(&diags, &sources, false);
        assert!(out.contains("big.xlic:40001:7"), "{out}");
        assert!(
            out.contains("40001 │ grant g40000: acme -> globex"),
            "{out}"
        );
        assert!(out.contains("    3 │ grant g2: acme -> globex"), "{out}");
        assert!(out.contains(" 9999 │ grant g9998"), "{out}");
        assert!(out.contains("10004 │ grant g10003"), "{out}");
        // Only the lines shown, and one per gap, are in the display text.
        let lines = ReportCache::new(&diags, &sources)
            .files
            .get(&big)
            .map(|f| f.source.lines().len())
            .unwrap();
        assert!(lines < 40, "{lines} lines");
    }

    #[test]
    fn a_label_message_of_several_lines_keeps_the_lines_between() {
        let (text, starts) = big_text(2_000);
        let mut sources = SourceMap::new();
        let big = sources.add("big.xlic", None, text);
        let diags = vec![
            Diagnostic::new(Code::E0101, "two lines", at(big, &starts, 1_500, 6, 5))
                .with_label("one\n  12 │ two")
                .with_secondary(at(big, &starts, 4, 0, 5), "near the start"),
        ];
        let cache = ReportCache::new(&diags, &sources);
        assert!(cache.files.get(&big).unwrap().same_lines());
        let out = render_human(&diags, &sources, false);
        assert!(out.contains("1501 │ grant g1500"), "{out}");
        assert!(out.contains("\n  12 │ two\n"), "{out}");
    }
}
