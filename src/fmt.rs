//! The formatter: one canonical layout for `.xlic` source, shared by `xlic fmt` and the
//! language server.
//!
//! It re-prints the token stream, so the tokens (and so the meaning) never change; only
//! the white space does, and optional `;` separators are dropped. Layout rules: one
//! top-level item after another (a blank line kept where the writer left one); inside a
//! block, one attribute per line indented two spaces; a block holding only names and
//! strings (a fields subtree such as `{ vacuum lawn }`) stays on one line when it fits;
//! every comment stays where it was written — at the end of its line, or on a line of
//! its own. Files with syntax errors are not formatted.

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use crate::syntax::lexer;
use crate::syntax::token::Token;

/// Lines longer than this never take an inline block.
const MAX_WIDTH: usize = 100;

#[derive(Debug, Clone, Copy)]
enum Elem {
    Tok(usize, Token, usize),
    Comment(usize, usize, bool),
}

impl Elem {
    fn start(self) -> usize {
        match self {
            Elem::Tok(s, _, _) | Elem::Comment(s, _, _) => s,
        }
    }
    fn end(self) -> usize {
        match self {
            Elem::Tok(_, _, e) | Elem::Comment(_, e, _) => e,
        }
    }
}

/// Keywords that begin an attribute inside a clause block.
fn attribute_start(t: Token, prev: Option<Token>) -> bool {
    let after_comma = prev == Some(Token::Comma);
    match t {
        Token::KwEffective
        | Token::KwRelease
        | Token::KwTerm
        | Token::KwGoverning
        | Token::KwKind
        | Token::KwParties
        | Token::KwNote
        | Token::KwShort
        | Token::KwAffiliate
        | Token::KwPatent
        | Token::KwBackground
        | Token::KwForeground
        | Token::KwAssets
        | Token::KwRights
        | Token::KwField
        | Token::KwTerritory
        | Token::KwExclusive
        | Token::KwSole
        | Token::KwNonExclusive
        | Token::KwSublicense
        | Token::KwRoyaltyFree
        | Token::KwRoyalty
        | Token::KwLump
        | Token::KwMilestone
        | Token::KwGrant
        | Token::KwCovers
        | Token::KwSunset

        | Token::KwRenew
        | Token::KwRenegotiate
        | Token::KwWind
        | Token::KwTerminate
        | Token::KwSurvives
        // terms: obligation clause attributes and `define`
        | Token::KwDefine
        | Token::KwLook
        | Token::KwCosts
        | Token::KwDisclose
        | Token::KwEscalate
        | Token::KwMediation
        | Token::KwArbitration
        | Token::KwSeat
        | Token::KwCourts
        | Token::KwUncapped
        // rights (issue 15)
        | Token::KwPurpose
        | Token::KwBefore
        | Token::KwAbandon
        | Token::KwStep
        | Token::KwFirst
        | Token::KwRecoveries
        | Token::KwSettle
        | Token::KwChair
        | Token::KwCasting
        | Token::KwDecides
        | Token::KwLiquidated
        | Token::KwAgent
        // pools (issue 15): a party's membership dates
        | Token::KwJoins
        | Token::KwLeaves
        | Token::KwEssential
        // clauses (issue 15, round 4): a payment's `pay` lines
        | Token::KwPay
        // terms (issue 15, round 5): a grant's minimum commitments
        | Token::KwCommit => true,
        // pools (issue 15): `most favoured licensee`; `at most 2 times` is inside a
        // renewal.
        Token::KwMost => prev != Some(Token::KwAt),
        // pools (issue 15): an agreement's `standard aurora "…"`; a grant's `field …
        // for standard aurora` stays on the field's line.
        Token::KwStandard => prev != Some(Token::KwFor),
        // pools (issue 15): a grant's `for standard aurora` begins an attribute, but it
        // reads as the end of the `field` line and stays there; every other `for` is
        // inside an attribute (`term for`, `renew … for`, `reserve a for p`).
        Token::KwFor => false,
        // `consent required`; `sublicense with consent` and `settle with consent` are
        // one attribute each.
        Token::KwConsent => prev != Some(Token::KwWith),
        // A prosecution's `controlled by`; `affiliates controlled by` (terms) is inside
        // one.
        Token::KwControlled => !after_comma && prev != Some(Token::KwAffiliates),
        // A committee's `members`; `-> members` is a grant's licensee.
        Token::KwMembers => !matches!(
            prev,
            Some(Token::Arrow | Token::KwBack | Token::KwForward)
        ),
        // rights (issue 15): a `diligence` line; `exclusive until diligence … missed` is
        // one attribute.
        Token::KwDiligence => prev != Some(Token::KwUntil),
        // clauses (issue 15): a first right's `within 30 days`; a royalty's `payable
        // quarterly within 30 days` is one attribute.
        Token::KwWithin => !matches!(
            prev,
            Some(Token::KwMonthly | Token::KwQuarterly | Token::KwAnnually)
        ),
        // An audit's `every 1 year`; `renegotiate every` is one attribute.
        Token::KwEvery => prev != Some(Token::KwRenegotiate),
        // terms (issue 15): a party's `affiliates by control` (after `{` or a name);
        // `and affiliates`, `sublicense affiliates`, `disclose to affiliates` are inside
        // one.
        Token::KwAffiliates => matches!(prev, Some(Token::LBrace | Token::Str(_) | Token::Semi)),
        // A liability cap; a royalty's `, cap …` is part of its line.
        Token::KwCap => !after_comma,
        Token::KwPersonal | Token::KwNonTransferable | Token::KwTransferable => !after_comma,
        // `license forward …` begins a rule; `kind license` is one attribute, and
        // `survives license` (with a list after a comma) is one too.
        Token::KwLicense => !matches!(prev, Some(Token::KwKind | Token::KwSurvives) | Some(Token::Comma)),
        // A royalty band; `term from DATE`, `release from DATE` and a royalty's
        // `, from DATE` (issue 15) are not one.
        Token::KwFrom => !matches!(prev, Some(Token::KwTerm | Token::KwRelease | Token::Comma)),
        // `owner improver`; `license forward owner -> members` (issue 15) and
        // `owner base owner` are inside one.
        Token::KwOwner => !matches!(
            prev,
            Some(Token::KwForward | Token::KwBack | Token::Arrow | Token::KwBase)
        ),
        _ => false,
    }
}

/// Formats one file. Returns the diagnostics instead when it does not parse.
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::syntax::parse(FileId(0), src);
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut scratch = Vec::new();
    let lexed = lexer::lex(FileId(0), src, &mut scratch);
    let mut elems: Vec<Elem> = lexed
        .tokens
        .iter()
        .map(|&(s, t, e)| Elem::Tok(s, t, e))
        .collect();
    elems.extend(
        lexed
            .comments
            .iter()
            .map(|c| Elem::Comment(c.span.start as usize, c.span.end as usize, c.block)),
    );
    elems.sort_by_key(|e| e.start());
    Ok(Printer::new(src, &elems).run())
}

/// What kind of block an open `{` began.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Block {
    inline: bool,
    fields_tree: bool,
}

struct Printer<'a> {
    src: &'a str,
    elems: &'a [Elem],
    out: String,
    blocks: Vec<Block>,
    brackets: usize,
    /// The last token written (`;` excluded).
    prev: Option<Token>,
    /// The next element must start a new line (after a trailing line comment).
    force_break: bool,
    /// The current line continues an attribute broken by a comment.
    continuation: bool,
    /// Output lines (by index) that end in a trailing comment, with the code's width.
    trailing: Vec<(usize, usize)>,
}

impl<'a> Printer<'a> {
    fn new(src: &'a str, elems: &'a [Elem]) -> Printer<'a> {
        Printer {
            src,
            elems,
            out: String::with_capacity(src.len() + src.len() / 8),
            blocks: Vec::new(),
            brackets: 0,
            prev: None,
            force_break: false,
            continuation: false,
            trailing: Vec::new(),
        }
    }

    fn text(&self, s: usize, e: usize) -> &'a str {
        self.src.get(s..e).unwrap_or("")
    }

    /// Newlines in the original text between two offsets.
    fn newlines_between(&self, a: usize, b: usize) -> usize {
        crate::source::count_line_ends(self.text(a, b))
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn in_inline_block(&self) -> bool {
        self.blocks.last().is_some_and(|b| b.inline)
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// Ends the current line; `blank` adds an empty line (never two, never at the top).
    fn newline(&mut self, blank: bool) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if self.out.is_empty() {
            return;
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        if blank && !self.out.ends_with("\n\n") && !self.out.ends_with("{\n") {
            self.out.push('\n');
        }
    }

    fn current_line_len(&self) -> usize {
        self.out
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
    }

    /// Whether the block opened at element `i` can stay on one line.
    fn inline_block(&self, i: usize) -> bool {
        let mut width = self.current_line_len() + 2;
        let mut j = i + 1;
        let mut count = 0;
        while let Some(e) = self.elems.get(j) {
            match *e {
                Elem::Tok(_, Token::RBrace, _) => return count > 0 && width + 2 <= MAX_WIDTH,
                Elem::Tok(s, Token::Ident | Token::Str(_), end) => {
                    width += end - s + 1;
                    count += 1;
                }
                _ => return false,
            }
            j += 1;
        }
        false
    }

    fn run(mut self) -> String {
        let mut last_end = 0usize;
        for i in 0..self.elems.len() {
            let Some(&elem) = self.elems.get(i) else {
                break;
            };
            let gap = if i == 0 {
                0
            } else {
                self.newlines_between(last_end, elem.start())
            };
            match elem {
                Elem::Comment(s, e, block) => self.comment(s, e, block, gap, i == 0),
                Elem::Tok(s, t, e) => self.token(i, s, t, e, gap),
            }
            last_end = elem.end();
        }
        self.newline(false);
        if self.out.is_empty() {
            return String::new();
        }
        align_trailing_comments(&self.out, &self.trailing)
    }

    fn comment(&mut self, s: usize, e: usize, block: bool, gap: usize, first: bool) {
        // Line ends inside a block comment become the output's LF.
        let text = crate::source::normalize_line_ends(self.text(s, e));
        let text = text.trim_end();
        // A comment on a line of its own ends that line, whatever follows.
        let trailing = gap == 0 && !first && !self.at_line_start();
        if trailing {
            if block && !text.contains('\n') {
                self.out.push(' ');
                self.out.push_str(text);
                return;
            }
            let line = self.out.matches('\n').count();
            let width = self.current_line_len();
            self.trailing.push((line, width));
            self.out.push_str("  ");
            self.out.push_str(text);
            self.force_break = true;
            return;
        }
        let depth = self.blocks.len();
        self.newline(gap >= 2);
        let extra = usize::from(self.continuation);
        self.indent(depth + extra);
        self.out.push_str(text);
        self.force_break = true;
    }

    fn token(&mut self, i: usize, s: usize, t: Token, e: usize, gap: usize) {
        if t == Token::Semi {
            return;
        }
        let depth = self.blocks.len();
        let in_fields = self.blocks.last().is_some_and(|b| b.fields_tree);
        let starts_line = if t == Token::RBrace {
            !self.in_inline_block()
        } else if depth == 0 {
            t.starts_item()
        } else if self.in_inline_block() || self.brackets > 0 {
            false
        } else if self.prev == Some(Token::LBrace) {
            true
        } else if in_fields {
            t == Token::Ident
        } else {
            attribute_start(t, self.prev)
        };
        if starts_line || self.force_break {
            let blank = starts_line && gap >= 2 && t != Token::RBrace;
            if t == Token::RBrace {
                self.newline(false);
                self.continuation = false;
                self.indent(depth.saturating_sub(1));
            } else {
                self.continuation = !starts_line;
                self.newline(blank);
                let extra = usize::from(self.continuation);
                self.indent(depth + extra);
            }
            self.force_break = false;
        } else if !self.at_line_start() {
            let tight_before = matches!(
                t,
                Token::Comma | Token::Colon | Token::Dot | Token::RBracket
            );
            let tight_after = matches!(self.prev, Some(Token::Dot | Token::LBracket));
            if !(tight_before || tight_after) {
                self.out.push(' ');
            }
        }
        self.out.push_str(self.text(s, e));
        match t {
            Token::LBrace => {
                let inline = self.inline_block(i);
                let fields_tree = self.prev == Some(Token::KwFields) || in_fields;
                self.blocks.push(Block {
                    inline,
                    fields_tree,
                });
            }
            Token::RBrace => {
                self.blocks.pop();
            }
            Token::LBracket => self.brackets += 1,
            Token::RBracket => self.brackets = self.brackets.saturating_sub(1),
            _ => {}
        }
        self.prev = Some(t);
    }
}

/// Lines in a row that end in trailing comments get their comments in one column, two
/// spaces after the longest line's code (unless that would pass [`MAX_WIDTH`]).
fn align_trailing_comments(out: &str, trailing: &[(usize, usize)]) -> String {
    let mut lines: Vec<String> = out.split('\n').map(str::to_string).collect();
    let mut i = 0;
    while i < trailing.len() {
        let mut j = i + 1;
        while trailing
            .get(j)
            .zip(trailing.get(j - 1))
            .is_some_and(|(b, a)| b.0 == a.0 + 1)
        {
            j += 1;
        }
        let run = trailing.get(i..j).unwrap_or(&[]);
        let column = run.iter().map(|&(_, w)| w).max().unwrap_or(0);
        if run.len() > 1 && column < MAX_WIDTH {
            for &(line, width) in run {
                if let Some(l) = lines.get_mut(line) {
                    let byte = l
                        .char_indices()
                        .nth(width)
                        .map(|(b, _)| b)
                        .unwrap_or(l.len());
                    let (code, comment) = l.split_at(byte);
                    *l = format!("{code}{}{comment}", " ".repeat(column - width));
                }
            }
        }
        i = j;
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Layout cases are files: tests/fmt/*.xlic, run by tests/it/fmt.rs.

    #[test]
    fn refuses_broken_files() {
        assert!(format_source("grant {").is_err());
    }
}
