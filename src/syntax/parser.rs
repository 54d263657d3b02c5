//! Runs the lexer and the generated LALR parser over one file and turns every parse
//! error (the parser recovers and goes on) into a diagnostic.

use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Comment, Item, SourceFileAst};
use crate::syntax::lexer::{LexError, Lexer};
use crate::syntax::shift::{Change, Move, Shift};
use crate::syntax::token::Token;
use lalrpop_util::{lalrpop_mod, ParseError};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        unused_qualifications
    )]
    grammar,
    "/xlic.rs"
);

/// Files larger than this are refused with E0007.
pub const MAX_FILE_BYTES: usize = crate::limits::DEFAULT_MAX_FILE_BYTES;

/// Parsing goes on this many syntax errors past the reporting limit, so that the note
/// about the rest can count them, and then stops: each error costs the parser a search
/// for the tokens it expected, and a file of millions of errors must not cost millions
/// of searches (64 MiB of `party party …` took minutes and gigabytes).
pub const ERRORS_COUNTED_PAST_LIMIT: usize = 1_000;

/// Parsing stops when this many tokens go by without a name, value or spanned keyword
/// being built and without an error being recovered from: only an error recovery
/// skipping a huge run of tokens does that, and the parser holds every token it skips
/// until the recovery ends (24 bytes each; 64 MiB of `a a a …` would hold 800 MB).
pub const MAX_TOKENS_WITHOUT_PROGRESS: u64 = 1_000_000;

/// The result of parsing one file: the tree (possibly partial) and its diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub ast: SourceFileAst,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file. Never fails: errors are reported and the parser recovers.
pub fn parse(file: FileId, src: &str) -> Parsed {
    parse_with(file, src, &Limits::default())
}

/// Like [`parse`], with the file size, nesting and error-count limits given.
///
/// A large file is parsed in parts on the machine's cores ([`parse_in_parts`]) when
/// that gives the same result; otherwise, and for every other file, in one piece.
pub fn parse_with(file: FileId, src: &str, limits: &Limits) -> Parsed {
    let parts = parts_for(src.len());
    if parts > 1 {
        if let Some(parsed) = parse_in_parts(file, src, limits, parts) {
            return parsed;
        }
    }
    parse_whole(file, src, limits)
}

/// A file is cut into parts of at least this many bytes (a part parses in about 25 ms;
/// a thread costs some microseconds).
pub const MIN_PART_BYTES: usize = 1 << 20;

/// At most this many parts, whatever the number of cores.
const MAX_PARTS: usize = 8;

/// How many parts a text of `len` bytes is parsed in: one per core the process may
/// use, each at least [`MIN_PART_BYTES`].
fn parts_for(len: usize) -> usize {
    let by_size = len / MIN_PART_BYTES;
    if by_size < 2 {
        // Asking for the cores reads the process's cgroup files: not for every small file.
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.min(MAX_PARTS).min(by_size).max(1)
}

/// Parses `src` in `parts` pieces side by side, one thread each, cut at blank lines
/// before a line that starts with a letter (where a formatted file starts an item;
/// line breaks `\n` or `\r\n`), and joins the trees; `None` when no such cut was
/// found or when the result could differ from [`parse_whole`]'s (see
/// [`parse_cut_at`]).
pub fn parse_in_parts(file: FileId, src: &str, limits: &Limits, parts: usize) -> Option<Parsed> {
    let bytes = src.as_bytes();
    let mut cuts = Vec::with_capacity(parts.saturating_sub(1));
    for k in 1..parts {
        let target = src.len() / parts * k;
        let from = cuts.last().map_or(target, |&c: &usize| c.max(target));
        match item_start_from(bytes, from) {
            Some(cut) => cuts.push(cut),
            None => break,
        }
    }
    cuts.dedup();
    if cuts.is_empty() {
        return None;
    }
    parse_cut_at(file, src, limits, &cuts)
}

/// The first offset at or after `from` of a letter that starts a line after a blank
/// line (`\n\n` or `\r\n\r\n` before it): where a formatted file starts an item.
fn item_start_from(bytes: &[u8], from: usize) -> Option<usize> {
    let at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).copied();
    (from..bytes.len()).find(|&i| {
        at(Some(i)).is_some_and(|b| b.is_ascii_alphabetic())
            && at(i.checked_sub(1)) == Some(b'\n')
            && match at(i.checked_sub(2)) {
                Some(b'\n') => true,
                Some(b'\r') => at(i.checked_sub(3)) == Some(b'\n'),
                _ => false,
            }
    })
}

/// Parses `src` as the pieces between `cuts` (increasing byte offsets, each just after
/// a line break), each on a thread of its own as a text of its own, and joins their
/// items and comments, moved to where they are in `src`.
///
/// The result is the one [`parse_whole`] gives, or `None`. A file is a sequence of
/// items, and the grammar is LALR(1), hence unambiguous: when every piece parses as a
/// sequence of items without any diagnostic, their concatenation is the one parse of
/// the whole token stream. And the pieces' tokens are the whole text's: no token but
/// a block comment spans a line break (a string ends on its line), and a comment cut
/// open leaves its piece unterminated, which is a diagnostic. Any diagnostic in any
/// piece (a cut inside a block or a comment, or an error anywhere in the text) gives
/// `None`, and the caller parses the whole text; the first piece with a syntax error
/// stops the others. (Parsing only the text after the last clean piece again would
/// not do: the whole parse may be inside an item that the clean piece ended, such as
/// a list of owners that a `,` would continue, and an error's expected tokens differ.)
pub fn parse_cut_at(file: FileId, src: &str, limits: &Limits, cuts: &[usize]) -> Option<Parsed> {
    if src.len() > limits.max_file_bytes {
        return None;
    }
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(0);
    for &cut in cuts {
        let after_break = cut > 0 && src.as_bytes().get(cut - 1) == Some(&b'\n');
        if !after_break || cut >= src.len() || bounds.last().is_some_and(|&b| cut <= b) {
            return None;
        }
        bounds.push(cut);
    }
    bounds.push(src.len());
    let pieces: Vec<(usize, &str)> = bounds
        .windows(2)
        .map(|w| match *w {
            [from, to] => src.get(from..to).map(|text| (from, text)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    // Set by the first piece with a diagnostic: the others stop, as their trees will
    // not be used.
    let failed = AtomicBool::new(false);
    let parse_piece = |(start, text): (usize, &str)| -> Option<Parsed> {
        let mut part = parse_text(file, text, limits, Some(&failed));
        if !part.diagnostics.is_empty() {
            failed.store(true, Ordering::Relaxed);
            return None;
        }
        part.ast.shift(Move::all(i64::try_from(start).ok()?));
        Some(part)
    };
    let results: Vec<Option<Parsed>> = std::thread::scope(|scope| {
        let (first, rest) = pieces.split_first()?;
        let handles: Vec<_> = rest
            .iter()
            .map(|&piece| {
                std::thread::Builder::new()
                    .stack_size(PART_STACK_BYTES)
                    .spawn_scoped(scope, move || parse_piece(piece))
                    .ok()
            })
            .collect();
        let mut out = vec![parse_piece(*first)];
        for handle in handles {
            // A thread that could not start or that panicked: parse the whole text.
            out.push(handle.and_then(|h| h.join().ok()).flatten());
        }
        Some(out)
    })?;
    let mut items = Vec::new();
    let mut comments = Vec::new();
    for part in results {
        let part = part?;
        items.extend(part.ast.items);
        comments.extend(part.ast.comments);
    }
    Some(Parsed {
        ast: SourceFileAst { items, comments },
        diagnostics: Vec::new(),
    })
}

/// The stack of a thread parsing a part: that of the main thread, as a part's tree is
/// built and dropped there too.
const PART_STACK_BYTES: usize = 8 << 20;

/// Parses one text in one piece on the calling thread (what [`parse_with`] does with
/// a file too small to cut).
pub fn parse_whole(file: FileId, src: &str, limits: &Limits) -> Parsed {
    parse_text(file, src, limits, None)
}

/// [`parse_whole`], for a piece of a file when `failed` is given: the parser sets it
/// at its first syntax error and stops when it is set (then the result has a
/// diagnostic, and the piece is not used).
fn parse_text(file: FileId, src: &str, limits: &Limits, failed: Option<&AtomicBool>) -> Parsed {
    let mut diags = Vec::new();
    if src.len() > limits.max_file_bytes {
        diags.push(
            Diagnostic::new(
                Code::E0007,
                format!(
                    "the file is {} bytes, over the limit of {} bytes",
                    src.len(),
                    limits.max_file_bytes
                ),
                Span::new(file, 0, 0),
            )
            .with_help("split the agreement into files that import a shared registry, or raise the limit with --max-file-bytes"),
        );
        return Parsed {
            ast: SourceFileAst::default(),
            diagnostics: diags,
        };
    }
    // Tokens are lexed as the parser asks for them, and stop coming once it has
    // recovered from enough errors.
    let mut lexer = Lexer::new(file, src, limits.max_nesting);
    let recovered: RefCell<Vec<ParseError<usize, Token, LexError>>> = RefCell::new(Vec::new());
    let stop_after = limits
        .max_syntax_errors
        .saturating_add(ERRORS_COUNTED_PAST_LIMIT);
    let progress = Cell::new(0u64);
    let mut stopped: Option<(usize, Stop)> = None;
    let result = {
        let mut seen = 0u64;
        let mut still = 0u64;
        let tokens = std::iter::from_fn(|| {
            if stopped.is_some() {
                return None;
            }
            if let Some(failed) = failed {
                if !recovered.borrow().is_empty() {
                    failed.store(true, Ordering::Relaxed);
                }
                if failed.load(Ordering::Relaxed) {
                    stopped = Some((lexer.offset(), Stop::Abandoned));
                    return None;
                }
            }
            if recovered.borrow().len() >= stop_after {
                stopped = Some((lexer.offset(), Stop::Errors));
                return None;
            }
            if progress.get() == seen {
                still += 1;
                if still > MAX_TOKENS_WITHOUT_PROGRESS {
                    stopped = Some((lexer.offset(), Stop::Skipping));
                    return None;
                }
            } else {
                seen = progress.get();
                still = 0;
            }
            lexer.next().map(Ok::<_, LexError>)
        });
        let names = crate::name::Names::default();
        grammar::FileParser::new()
            .parse(file, src, &mut diags, &recovered, &progress, &names, tokens)
    };
    let lexed = lexer.finish(&mut diags);
    let unclosed = lexed.unclosed.last().copied();
    let mut errors = recovered.into_inner();
    let items = match result {
        Ok(items) => items.into_iter().map(Arc::new).collect(),
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let total = errors.len();
    let mut syntax: Vec<Diagnostic> = errors
        .into_iter()
        .take(limits.max_syntax_errors)
        .map(|e| convert(file, src, e, unclosed))
        .collect();
    match stopped {
        Some((at, why)) => syntax.push(
            Diagnostic::new(
                Code::E0004,
                match why {
                    Stop::Errors => format!(
                        "more than {} further syntax errors: the rest of the file was not parsed",
                        stop_after.saturating_sub(limits.max_syntax_errors)
                    ),
                    Stop::Skipping => format!(
                        "no place to resume parsing in {MAX_TOKENS_WITHOUT_PROGRESS} tokens: the rest of the file was not parsed"
                    ),
                    Stop::Abandoned => {
                        "another part of the file has an error: this part was not parsed further"
                            .to_string()
                    }
                },
                Span::new(file, at, at),
            )
            .with_label("parsing stopped here")
            .with_help("fix the first errors; later ones often follow from them"),
        ),
        None if total > limits.max_syntax_errors => syntax.push(
            Diagnostic::new(
                Code::E0004,
                format!(
                    "{} more syntax errors not shown",
                    total - limits.max_syntax_errors
                ),
                Span::new(file, src.len(), src.len()),
            )
            .with_help("fix the first errors; later ones often follow from them"),
        ),
        None => {}
    }
    diags.extend(syntax);
    Parsed {
        ast: SourceFileAst {
            items,
            comments: lexed.comments,
        },
        diagnostics: diags,
    }
}

/// Parses `new_src`, the text of a file whose previous text `old_src` parsed into
/// `old_ast` and `old_diagnostics`, reparsing only the top-level items an edit
/// touched; the result is the one [`parse_with`] gives for `new_src` (the tests check
/// it on random edits), or `None` when that cannot be trusted and the caller must
/// parse the whole text.
///
/// Top-level items are the unit. The changed bytes (between the common prefix and the
/// common suffix of the two texts) touch some items; those are parsed again together
/// with one unchanged neighbour on each side (the *margins*), as a text of their own
/// starting at the first margin. The items before the window are kept, the items after
/// it keep their tree and move by the length difference. The margins make the window
/// safe without knowing the grammar: the parser starts the window where it started the
/// first margin before (between two items, on the same tokens), and when the window
/// ends with the last margin parsed exactly as before, the parser is between items
/// there as it was, so the rest of the file parses as it did.
///
/// Falls back (`None`) when the old parse was not clean (a syntax error: recovery may
/// have swallowed item boundaries), when the window does not parse cleanly (a string,
/// comment or block opened across items, an edit that merged items: the full parse
/// reports it properly), when a margin comes out different, or when a size limit is
/// near.
pub fn try_reparse(
    file: FileId,
    old_src: &str,
    old_ast: &SourceFileAst,
    old_diagnostics: &[Diagnostic],
    new_src: &str,
    limits: &Limits,
) -> Option<Parsed> {
    let clean = |diags: &[Diagnostic]| {
        !diags
            .iter()
            .any(|d| d.code.breaks_tree() || d.code == Code::E0007)
    };
    if old_src.len() > limits.max_file_bytes
        || new_src.len() > limits.max_file_bytes
        || !clean(old_diagnostics)
    {
        return None;
    }
    let change = Change::between(old_src, new_src);
    let items = &old_ast.items;
    // The first item the change may touch (one ending where it starts counts: a token
    // may grow), and the end of those it touches (one starting where it ends counts).
    let first = items
        .iter()
        .position(|i| i.span().end as usize >= change.start)
        .unwrap_or(items.len());
    let touched_end = items
        .iter()
        .rposition(|i| i.span().start as usize <= change.old_end)
        .map_or(0, |i| i + 1)
        .max(first);
    let before = first.checked_sub(1).and_then(|i| items.get(i));
    let after = items.get(touched_end);
    let lo = first.saturating_sub(1);
    let hi = touched_end.saturating_add(1).min(items.len());
    if lo == 0 && hi == items.len() {
        // The window would be the whole file.
        return None;
    }
    let start = before.map_or(0, |i| i.span().start as usize);
    let old_end = after.map_or(old_src.len(), |i| i.span().end as usize);
    let delta = change.delta();
    let new_end = usize::try_from(i64::try_from(old_end).ok()? + delta).ok()?;
    let window = new_src.get(start..new_end)?;
    let mut part = parse_with(file, window, limits);
    if !clean(&part.diagnostics) {
        return None;
    }
    let by_start = i64::try_from(start).ok()?;
    part.ast.shift(Move::all(by_start));
    part.diagnostics.shift(Move::all(by_start));
    let same = |a: &Item, b: &Item| format!("{a:?}") == format!("{b:?}");
    let margins = usize::from(before.is_some()) + usize::from(after.is_some());
    if part.ast.items.len() < margins {
        return None;
    }
    if let Some(b) = before {
        if !part.ast.items.first().is_some_and(|w| same(w, b)) {
            return None;
        }
    }
    if let Some(a) = after {
        let mut moved = a.clone();
        moved.shift(Move::all(delta));
        if !part.ast.items.last().is_some_and(|w| same(w, &moved)) {
            return None;
        }
    }
    // The old diagnostics outside the window stay (moved when after it); one that
    // crosses the window's edge is not understood: parse it all.
    let (start32, end32) = (u32::try_from(start).ok()?, u32::try_from(old_end).ok()?);
    let mut diagnostics = Vec::with_capacity(old_diagnostics.len() + part.diagnostics.len());
    let mut later = Vec::new();
    for d in old_diagnostics {
        let spans = d
            .primary
            .span
            .end
            .max(d.secondary.iter().map(|l| l.span.end).max().unwrap_or(0));
        let first_at = d.primary.span.start.min(
            d.secondary
                .iter()
                .map(|l| l.span.start)
                .min()
                .unwrap_or(u32::MAX),
        );
        if spans <= start32 && d.primary.span.start < start32 {
            diagnostics.push(d.clone());
        } else if first_at >= end32 {
            let mut d = d.clone();
            d.shift(Move::all(delta));
            later.push(d);
        } else if first_at < start32 || spans > end32 {
            return None;
        }
    }
    diagnostics.append(&mut part.diagnostics);
    diagnostics.append(&mut later);

    let mut new_items = Vec::with_capacity(items.len() - (hi - lo) + part.ast.items.len());
    new_items.extend(items.get(..lo)?.iter().cloned());
    new_items.append(&mut part.ast.items);
    // Those after the edit are copied to move them (those before are shared).
    new_items.extend(items.get(hi..)?.iter().map(|i| {
        let mut i = Item::clone(i);
        i.shift(Move::all(delta));
        Arc::new(i)
    }));
    let mut comments: Vec<Comment> = old_ast
        .comments
        .iter()
        .take_while(|c| (c.span.end as usize) <= start)
        .cloned()
        .collect();
    comments.append(&mut part.ast.comments);
    comments.extend(
        old_ast
            .comments
            .iter()
            .filter(|c| c.span.start as usize >= old_end)
            .map(|c| {
                let mut c = c.clone();
                c.span.shift(Move::all(delta));
                c
            }),
    );
    Some(Parsed {
        ast: SourceFileAst {
            items: new_items,
            comments,
        },
        diagnostics,
    })
}

/// Why the parser stopped before the end of the file.
#[derive(Clone, Copy)]
enum Stop {
    /// Another piece of the file (parsed on another thread) has a diagnostic, so this
    /// piece's tree will not be used ([`parse_cut_at`]); never when parsing a whole file.
    Abandoned,
    /// It recovered from [`ERRORS_COUNTED_PAST_LIMIT`] errors past the reporting limit.
    Errors,
    /// It skipped [`MAX_TOKENS_WITHOUT_PROGRESS`] tokens in a row.
    Skipping,
}

fn convert(
    file: FileId,
    src: &str,
    error: ParseError<usize, Token, LexError>,
    unclosed: Option<usize>,
) -> Diagnostic {
    match error {
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => unexpected(file, src, l, r, tok, &expected),
        ParseError::ExtraToken { token: (l, tok, r) } => unexpected(file, src, l, r, tok, &[]),
        ParseError::InvalidToken { location } => Diagnostic::new(
            Code::E0001,
            "invalid token",
            Span::new(file, location, location + 1),
        ),
        ParseError::UnrecognizedEof { location, expected } => {
            let what = describe_expected(&expected);
            let mut d = Diagnostic::new(
                Code::E0005,
                "unexpected end of file",
                Span::new(file, location, location),
            )
            .with_label(match &what {
                Some(w) => format!("expected {w}"),
                None => "the file ends here".to_string(),
            });
            if let Some(open) = unclosed {
                let brace = src.get(open..open + 1).unwrap_or("{");
                let close = if brace == "[" { "]" } else { "}" };
                d = d
                    .with_secondary(
                        Span::new(file, open, open + 1),
                        format!("this `{brace}` is never closed"),
                    )
                    .with_help(format!("add the missing `{close}`"));
            } else if expected.iter().any(|e| e == "\"}\"") {
                d = d.with_help("a block is still open: add the missing `}`");
            }
            d
        }
        ParseError::User { error } => match error {},
    }
}

fn unexpected(
    file: FileId,
    src: &str,
    l: usize,
    r: usize,
    tok: Token,
    expected: &[String],
) -> Diagnostic {
    let span = Span::new(file, l, r);
    let text = src.get(l..r).unwrap_or("");
    let found = match tok {
        Token::Ident | Token::Number | Token::Percent | Token::Date => format!("`{text}`"),
        // Keywords as written (`day`, not the canonical `days`).
        t if t.is_keyword() => format!("keyword `{text}`"),
        other => other.describe(),
    };
    let what = describe_expected(expected);
    let message = match &what {
        Some(w) => format!("expected {w}, found {found}"),
        None => format!("unexpected {found}"),
    };
    let mut d = Diagnostic::new(Code::E0004, message, span).with_label("unexpected here");
    let before = src.get(..l).unwrap_or("").trim_end();
    let after_number = before.ends_with(|c: char| c.is_ascii_digit());
    if after_number && expected.iter().any(|e| e == "IDENT") && tok == Token::KwOf {
        let number: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        d = d.with_help(format!("a royalty rate is a percentage: write `{number}%`"));
    } else if after_number && expected.iter().any(|e| e == "IDENT") {
        d = d.with_help("an amount of money needs its ISO 4217 currency code, e.g. `1_000 USD`");
    } else if tok.is_keyword() && expected.iter().any(|e| e == "IDENT") {
        let kw = text;
        let alt = kw.replace('-', "_");
        d = d.with_help(format!(
            "`{kw}` is a reserved word, so it cannot be a name here: if it starts the next line, the line before is unfinished; if it is meant as a name, choose another, such as `{alt}_1`"
        ));
    } else if tok == Token::Str(true) && expected.iter().any(|e| e == "IDENT") {
        d = d.with_help("names are written without quotes");
    }
    d
}

/// Turns lalrpop's list of expected terminals into English, or `None` when it is too
/// long to be useful.
fn describe_expected(expected: &[String]) -> Option<String> {
    if expected.is_empty() {
        return None;
    }
    let mut words: Vec<String> = expected
        .iter()
        .map(|e| match e.as_str() {
            "IDENT" => "a name".to_string(),
            "STR" => "a string".to_string(),
            "NUMBER" => "a number".to_string(),
            "PERCENT" => "a percentage".to_string(),
            "DATE" => "a date".to_string(),
            other => format!("`{}`", other.trim_matches('"')),
        })
        .collect();
    words.sort();
    words.dedup();
    const MAX: usize = 8;
    if words.len() > MAX {
        let shown = words.get(..MAX).unwrap_or(&[]).join(", ");
        return Some(format!("one of {shown}, …"));
    }
    Some(match words.len() {
        1 => words.concat(),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {}", words.join(", "), last)
        }
    })
}
