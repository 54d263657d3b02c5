//! Source files, byte spans and line indexes (UTF-8 byte and UTF-16 columns).

use std::path::{Path, PathBuf};

/// Identifies one file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `[start, end)` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// The high bit of each of the eight bytes of `word` that equals `byte`, and no other
/// bit: exact, so the bits locate the bytes (the classic zero-byte test has false
/// positives above a match).
fn byte_mask(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ (ONES * u64::from(byte));
    // A byte's high bit comes out set only when none of its eight bits was; the sum
    // of two 7-bit halves never carries into the next byte.
    !((x & LOWS).wrapping_add(LOWS) | x | LOWS)
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A one-based line and column; `column` counts either UTF-8 bytes or UTF-16 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line of a text, for offset → line/column conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

/// Whether a character must not reach a terminal or a document as it is: C0 and C1
/// controls (terminal escape sequences start with ESC or CSI), DEL, the line and
/// paragraph separators, and the bidirectional marks, overrides and isolates that
/// reorder what is shown. Renderers escape or replace them.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// How many line ends a text holds: LF, CR and CRLF each end one line (as in the lexer,
/// the language server and every renderer).
pub fn count_line_ends(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, _)| ends_line(bytes, i))
        .count()
}

/// Whether byte `i` ends a line: an LF, or a CR not followed by an LF (CRLF ends one
/// line, at its LF). It depends on bytes `i` and `i + 1` only.
fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// Adds the start of the line after every line end among bytes `from..to`.
fn push_line_starts(bytes: &[u8], from: usize, to: usize, starts: &mut Vec<u32>) {
    for i in from..to {
        if ends_line(bytes, i) {
            starts.push(clamp_u32(i + 1));
        }
    }
}

/// The text with every CRLF and lone CR turned into LF.
pub fn normalize_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

impl LineIndex {
    /// Lines end at LF, at CR and at CRLF (one line end).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        let bytes = text.as_bytes();
        let mut at = 0;
        // Eight bytes at a time: most words of a text hold no line end, and one test
        // of the word says so (the index is made again for every edit of a document).
        // A word with LFs and no CR (the usual case) gives its line ends from the bits
        // of its mask; one with a CR is read byte by byte (CRLF is one line end).
        for chunk in bytes.chunks_exact(8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let mut lf = byte_mask(word, b'\n');
            if byte_mask(word, b'\r') != 0 {
                push_line_starts(bytes, at, at + 8, &mut starts);
            } else {
                while lf != 0 {
                    // Little-endian: byte k of the word holds bits 8k to 8k + 7.
                    starts.push(clamp_u32(at + (lf.trailing_zeros() / 8) as usize + 1));
                    lf &= lf - 1;
                }
            }
            at += 8;
        }
        push_line_starts(bytes, at, bytes.len(), &mut starts);
        LineIndex { starts }
    }

    /// The index of a text made from the one this indexes by replacing the bytes
    /// `start..old_end` with `inserted` bytes (`new_text` is the result): the line ends
    /// before the change are kept, those after it moved, and only the inserted text
    /// (with the byte before it, which a CR may end) is scanned, so an editor's
    /// keystroke in a large document does not index the whole text again. Exact because
    /// a line end at byte `i` depends on bytes `i` and `i + 1` only ([`ends_line`]).
    pub fn replaced(
        &self,
        new_text: &str,
        start: usize,
        old_end: usize,
        inserted: usize,
    ) -> LineIndex {
        let new_len = new_text.len();
        let (start, old_end) = (start.min(old_end), old_end.max(start));
        if start > new_len || start + inserted > new_len {
            return LineIndex::new(new_text);
        }
        // Line starts `i + 1` whose bytes `i`, `i + 1` lie before the change.
        let kept = self.starts.partition_point(|&s| (s as usize) < start);
        let mut starts = Vec::with_capacity(self.starts.len() + inserted / 16 + 1);
        starts.extend_from_slice(self.starts.get(..kept).unwrap_or(&[]));
        if starts.is_empty() {
            starts.push(0);
        }
        let bytes = new_text.as_bytes();
        push_line_starts(
            bytes,
            start.saturating_sub(1),
            start + inserted,
            &mut starts,
        );
        // Those whose bytes lie after it, moved by the change in length.
        let after = self.starts.partition_point(|&s| (s as usize) <= old_end);
        for &s in self.starts.get(after..).unwrap_or(&[]) {
            let moved = (s as usize + start + inserted).checked_sub(old_end);
            match moved {
                Some(m) if m <= new_len => starts.push(clamp_u32(m)),
                _ => return LineIndex::new(new_text),
            }
        }
        LineIndex { starts }
    }

    /// Zero-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line: usize) -> u32 {
        self.starts.get(line).copied().unwrap_or(0)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// One-based line and one-based column counted in Unicode scalar values.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = content_start(text, line, self.line_start(line) as usize);
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end.saturating_sub(start));
        LineCol {
            line: clamp_u32(line + 1),
            column: clamp_u32(column + 1),
        }
    }

    /// Zero-based line and zero-based column in UTF-16 code units (LSP, SARIF).
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = content_start(text, line, self.line_start(line) as usize);
        let end = (offset as usize).min(text.len());
        let column: usize = text
            .get(start..end)
            .map(|s| s.chars().map(char::len_utf16).sum())
            .unwrap_or(0);
        LineCol {
            line: clamp_u32(line),
            column: clamp_u32(column),
        }
    }

    /// Inverse of [`LineIndex::line_col_utf16`]; positions past a line's end clamp to it.
    pub fn offset_utf16(&self, text: &str, line: u32, column: u32) -> u32 {
        let Some(&start) = self.starts.get(line as usize) else {
            return clamp_u32(text.len());
        };
        let start = clamp_u32(content_start(text, line as usize, start as usize));
        let line_end = self
            .starts
            .get(line as usize + 1)
            .map(|&s| s as usize)
            .unwrap_or(text.len());
        let Some(line_text) = text.get(start as usize..line_end) else {
            return start;
        };
        let mut units = 0u32;
        for (i, ch) in line_text.char_indices() {
            if units >= column || ch == '\n' || ch == '\r' {
                return start + clamp_u32(i);
            }
            units += clamp_u32(ch.len_utf16());
        }
        clamp_u32(line_end)
    }
}

/// Where a line's content starts: after the byte-order mark on the first line, which
/// editors do not count as a column.
fn content_start(text: &str, line: usize, start: usize) -> usize {
    if line == 0 && text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        start
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as the user named it (or `<stdin>`); used in messages.
    pub name: String,
    /// The canonical path on disk, when there is one.
    pub path: Option<PathBuf>,
    /// Shared with whoever gave it (an editor's document, a text input) and with the
    /// parse cache: a file's text is not copied per compilation.
    pub text: std::sync::Arc<str>,
    pub lines: LineIndex,
}

/// Every file of one compilation.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// The folder absolute names are made relative to ([`SourceMap::document_name`]),
    /// computed on first use and forgotten when a file is added.
    base: std::sync::OnceLock<Option<PathBuf>>,
}

/// The deepest folder holding every path (`None` for none, or paths on different
/// roots).
fn common_folder<'a>(mut paths: impl Iterator<Item = &'a Path>) -> Option<PathBuf> {
    let mut base = paths.next()?.parent()?.to_path_buf();
    for p in paths {
        while !p.starts_with(&base) {
            if !base.pop() {
                return None;
            }
        }
    }
    Some(base)
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> FileId {
        self.add_shared(name, path, text.into())
    }

    /// Like [`SourceMap::add`], keeping the text given rather than a copy of it.
    pub fn add_shared(
        &mut self,
        name: impl Into<String>,
        path: Option<PathBuf>,
        text: std::sync::Arc<str>,
    ) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        let lines = LineIndex::new(&text);
        self.base = std::sync::OnceLock::new();
        self.files.push(SourceFile {
            id,
            name: name.into(),
            path,
            text,
            lines,
        });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .find(|f| f.path.as_deref() == Some(path))
            .map(|f| f.id)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.name.as_str()).unwrap_or("<unknown>")
    }

    /// The name of a file as a document prints it (a policy, the prose, a report): never
    /// an absolute path of this machine. A name given relative (to the current folder)
    /// stays as it is; an absolute one is made relative to the deepest folder that holds
    /// every absolutely named file of the map, so one file compiled as
    /// `/home/me/deals/a.xlic` is `a.xlic`, and `/srv/x/a.xlic` with `/srv/x/lib/b.xlic`
    /// are `a.xlic` and `lib/b.xlic`.
    pub fn document_name(&self, id: FileId) -> String {
        let name = self.name(id);
        let path = Path::new(name);
        if !path.is_absolute() {
            return name.to_string();
        }
        let base = self.base.get_or_init(|| {
            common_folder(
                self.files
                    .iter()
                    .map(|f| Path::new(f.name.as_str()))
                    .filter(|p| p.is_absolute()),
            )
        });
        match base.as_deref().and_then(|b| path.strip_prefix(b).ok()) {
            Some(rest) if !rest.as_os_str().is_empty() => rest.to_string_lossy().into_owned(),
            _ => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    pub fn text(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.text.as_ref()).unwrap_or("")
    }

    /// A file's text, shared (empty for an unknown id).
    pub fn shared_text(&self, id: FileId) -> std::sync::Arc<str> {
        self.get(id)
            .map(|f| std::sync::Arc::clone(&f.text))
            .unwrap_or_else(|| "".into())
    }

    /// The source text a span covers ("" when out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// One-based line and column (in characters) of a span's start.
    pub fn line_col(&self, file: FileId, offset: u32) -> LineCol {
        match self.get(file) {
            Some(f) => f.lines.line_col(&f.text, offset),
            None => LineCol { line: 1, column: 1 },
        }
    }
}

/// The canonical path when the file exists; otherwise the absolute path with `.` and
/// `..` removed lexically, so that a missing file's place can still be judged.
pub fn canonical(p: &std::path::Path) -> std::path::PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = std::path::PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_are_found_across_word_edges() {
        let naive = |text: &str| {
            let bytes = text.as_bytes();
            let mut starts = vec![0u32];
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    starts.push(clamp_u32(i + 1));
                }
            }
            starts
        };
        let ends = [
            "\n",
            "\r",
            "\r\n",
            "\n\r",
            "\r\r\n",
            "\n\n",
            "a\nb\n\nc\nd\n",
            "\n\n\n\n\n\n\n\n\n",
        ];
        for len in 0..40 {
            for (k, end) in ends.iter().enumerate() {
                for at in 0..=len {
                    let mut text = "é".repeat(len / 2) + &"x".repeat(len % 2);
                    let cut = (0..=at.min(text.len()))
                        .rev()
                        .find(|&i| text.is_char_boundary(i))
                        .unwrap_or(0);
                    text.insert_str(cut, end);
                    text.push_str(ends.get((k + at) % ends.len()).copied().unwrap_or(""));
                    assert_eq!(LineIndex::new(&text).starts, naive(&text), "{text:?}");
                }
            }
        }
    }

    /// Every replacement of every piece of texts full of LF, CR and CRLF (including a
    /// CR left before an inserted LF, and an LF inserted after one) gives the index of
    /// the new text, line end for line end.
    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        let texts = [
            "",
            "a\nb",
            "x\r\ny\rz\n",
            "\r\n\r\n",
            "ab\rcd\n\nef\r",
            "é\n😀\r\nq",
        ];
        let inserts = ["", "\n", "\r", "\r\n", "k", "é\r", "\nmm\r\n\rz"];
        let mut cases = 0;
        for old in texts {
            let old_index = LineIndex::new(old);
            let cuts: Vec<usize> = (0..=old.len())
                .filter(|&i| old.is_char_boundary(i))
                .collect();
            for (n, &start) in cuts.iter().enumerate() {
                for &end in cuts.get(n..).unwrap_or(&[]) {
                    for ins in inserts {
                        let mut new = old.to_string();
                        new.replace_range(start..end, ins);
                        let edited = old_index.replaced(&new, start, end, ins.len());
                        assert_eq!(
                            edited.starts,
                            LineIndex::new(&new).starts,
                            "{old:?} with {start}..{end} replaced by {ins:?}"
                        );
                        cases += 1;
                    }
                }
            }
        }
        assert!(cases > 500, "{cases}");
    }

    #[cfg(unix)]
    #[test]
    fn document_names_are_never_absolute() {
        let mut m = SourceMap::new();
        let rel = m.add("deals/a.xlic", None, String::new());
        let one = m.add("/srv/x/a.xlic", None, String::new());
        assert_eq!(m.document_name(rel), "deals/a.xlic");
        assert_eq!(m.document_name(one), "a.xlic");
        // Adding a file moves the common folder.
        let two = m.add("/srv/x/lib/b.xlic", None, String::new());
        let three = m.add("/srv/y/c.xlic", None, String::new());
        assert_eq!(m.document_name(one), "x/a.xlic");
        assert_eq!(m.document_name(two), "x/lib/b.xlic");
        assert_eq!(m.document_name(three), "y/c.xlic");
        assert_eq!(m.document_name(FileId(99)), "<unknown>");
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a–b 😀 c\nnext";
        let idx = LineIndex::new(text);
        let c = text.find('c').map(|i| i as u32).unwrap_or(0);
        // 'a' 1, '–' 1, 'b' 1, ' ' 1, emoji 2, ' ' 1 → 'c' at 7
        assert_eq!(idx.line_col_utf16(text, c), LineCol { line: 0, column: 7 });
        assert_eq!(idx.offset_utf16(text, 0, 7), c);
        let n = text.find("next").map(|i| i as u32).unwrap_or(0);
        assert_eq!(idx.line_col_utf16(text, n), LineCol { line: 1, column: 0 });
        assert_eq!(idx.line_col(text, c), LineCol { line: 1, column: 7 });
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{FEFF}party }\n";
        let idx = LineIndex::new(text);
        let brace = text.find('}').map(|i| i as u32).unwrap_or(0);
        assert_eq!(idx.line_col(text, brace), LineCol { line: 1, column: 7 });
        assert_eq!(
            idx.line_col_utf16(text, brace),
            LineCol { line: 0, column: 6 }
        );
        assert_eq!(idx.offset_utf16(text, 0, 6), brace);
    }

    #[test]
    fn cr_lf_and_crlf_each_end_one_line() {
        let text = "a\rb\nc\r\nd\r\re";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 6);
        let at = |c: char| text.find(c).map(|i| i as u32).unwrap_or(0);
        assert_eq!(idx.line_col(text, at('b')), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_col(text, at('d')), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_col(text, at('e')), LineCol { line: 6, column: 1 });
        assert_eq!(
            idx.line_col_utf16(text, at('c')),
            LineCol { line: 2, column: 0 }
        );
        // Past the end of `a`'s line: the offset of its CR, not of the next line.
        assert_eq!(idx.offset_utf16(text, 0, 9), 1);
        assert_eq!(idx.offset_utf16(text, 2, 9), at('c') + 1);
        assert_eq!(count_line_ends(text), 5);
        assert_eq!(normalize_line_ends(text), "a\nb\nc\nd\n\ne");
    }

    #[test]
    fn offset_past_line_end_clamps() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset_utf16(text, 0, 99), 2);
        assert_eq!(idx.offset_utf16(text, 9, 0), 5);
    }
}
