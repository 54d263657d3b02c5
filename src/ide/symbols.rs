//! The outline of a file (nested document symbols) and its folding ranges.

use super::Analysis;
use crate::source::{FileId, Span};
use crate::syntax::ast::{FieldNode, Item, Licensee};
use crate::syntax::token::Token;

/// What an outline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutlineKind {
    Import,
    Agreement,
    Party,
    Affiliate,
    Fields,
    Field,
    Group,
    Asset,
    Patent,
    Grant,
    Reservation,
    Improvements,
    Rule,
    Sunset,
    /// terms: an obligation, governance clause or provision.
    Obligation,
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole clause.
    pub span: Span,
    /// The part to select when the entry is chosen (its name).
    pub selection: Span,
    pub children: Vec<DocumentSymbol>,
}

fn leaf(
    name: String,
    detail: Option<String>,
    kind: OutlineKind,
    span: Span,
    selection: Span,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        span,
        selection,
        children: Vec::new(),
    }
}

/// A grant's commitment in the outline: `commit voltaic`, with what and how often.
fn commitment(c: &crate::syntax::ast::Commitment) -> DocumentSymbol {
    let what = match &c.amount {
        crate::syntax::ast::CommitAmount::Units(n) => format!("purchase {} units", n.text),
        crate::syntax::ast::CommitAmount::Spend(m) => {
            format!("spend {} {}", m.amount.text, m.currency.name)
        }
    };
    let per = match c.per_year {
        None => "",
        Some(false) => " per year",
        Some(true) => " per calendar year",
    };
    leaf(
        format!("commit {}", c.party.name),
        Some(format!("{what}{per}")),
        OutlineKind::Obligation,
        c.span,
        c.party.span,
    )
}

fn field(node: &FieldNode) -> DocumentSymbol {
    let mut s = leaf(
        node.name.name.to_string(),
        node.label.as_ref().map(|l| l.value.clone()),
        OutlineKind::Field,
        node.span,
        node.name.span,
    );
    s.children = node.children.iter().map(field).collect();
    s
}

fn names(idents: &[crate::syntax::ast::Ident]) -> String {
    let v: Vec<&str> = idents.iter().map(|i| i.name.as_str()).collect();
    v.join(", ")
}

/// The outline of a file, from whatever its (possibly partial) syntax tree holds.
pub fn document_symbols(analysis: &Analysis, file: FileId) -> Vec<DocumentSymbol> {
    let Some(ast) = analysis.ast(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in ast.items() {
        match item {
            Item::Import(i) => out.push(leaf(
                i.path.value.clone(),
                Some("import".into()),
                OutlineKind::Import,
                i.span,
                i.path.span,
            )),
            Item::Agreement(a) => {
                let detail = a
                    .effective
                    .as_ref()
                    .map(|d| format!("effective {}", d.text));
                out.push(leaf(
                    a.title.value.clone(),
                    detail,
                    OutlineKind::Agreement,
                    a.span,
                    a.title.span,
                ));
            }
            Item::Party(p) => {
                let mut s = leaf(
                    p.name.name.to_string(),
                    Some(p.legal_name.value.clone()),
                    OutlineKind::Party,
                    p.span,
                    p.name.span,
                );
                s.children = p
                    .affiliates
                    .iter()
                    .map(|a| {
                        leaf(
                            a.name.name.to_string(),
                            Some(a.legal_name.value.clone()),
                            OutlineKind::Affiliate,
                            a.span,
                            a.name.span,
                        )
                    })
                    .collect();
                out.push(s);
            }
            Item::Fields(f) => {
                let head = Span::new(file, f.span.start as usize, f.span.start as usize + 6);
                let mut s = leaf("fields".into(), None, OutlineKind::Fields, f.span, head);
                s.children = f.roots.iter().map(field).collect();
                out.push(s);
            }
            Item::Territory(t) => {
                let text = analysis
                    .compilation
                    .sources
                    .snippet(t.expr.span)
                    .to_string();
                out.push(leaf(
                    t.name.name.to_string(),
                    Some(text),
                    OutlineKind::Group,
                    t.span,
                    t.name.span,
                ));
            }
            Item::Asset(a) => {
                let detail = format!("{} of {}", a.kind.node.keyword(), names(&a.owners));
                let mut s = leaf(
                    a.name.name.to_string(),
                    Some(detail),
                    OutlineKind::Asset,
                    a.span,
                    a.name.span,
                );
                s.children = a
                    .patents
                    .iter()
                    .map(|p| {
                        leaf(
                            p.number.value.clone(),
                            p.expires.as_ref().map(|e| format!("expires {}", e.text)),
                            OutlineKind::Patent,
                            p.span,
                            p.number.span,
                        )
                    })
                    .collect();
                out.push(s);
            }
            Item::Grant(g) => {
                let licensee = match &g.licensee {
                    Licensee::Party(p) => p.name.to_string(),
                    Licensee::Members(_) => "members".to_string(),
                };
                let mut detail = format!("{} -> {licensee}", g.licensor.name);
                if let Some(e) = &g.exclusivity {
                    detail.push_str(&format!(", {}", e.kind.keyword()));
                }
                let mut s = leaf(
                    g.name.name.to_string(),
                    Some(detail),
                    OutlineKind::Grant,
                    g.span,
                    g.name.span,
                );
                // terms (issue 15, round 5): a grant's minimum commitments, as its
                // licensee's obligations.
                s.children = g.commitments.iter().map(commitment).collect();
                out.push(s);
            }
            Item::Reserve(r) => {
                let name = match &r.name {
                    Some(n) => n.name.to_string(),
                    None => format!("reserve {}", names(&r.assets)),
                };
                let selection = r.name.as_ref().map(|n| n.span).unwrap_or(r.header);
                let detail = match &r.holder {
                    Some(h) => format!("{} for {}", names(&r.assets), h.name),
                    None => names(&r.assets),
                };
                out.push(leaf(
                    name,
                    Some(detail),
                    OutlineKind::Reservation,
                    r.span,
                    selection,
                ));
            }
            Item::Improvements(imp) => {
                let mut s = leaf(
                    format!("improvements on {}", names(&imp.assets)),
                    None,
                    OutlineKind::Improvements,
                    imp.span,
                    imp.header,
                );
                s.children = imp
                    .rules
                    .iter()
                    .map(|r| {
                        let what = r.direction.keyword();
                        leaf(
                            format!("{what} {} -> {}", r.from.name, r.to.name),
                            r.sunset.as_ref().map(|d| {
                                format!(
                                    "sunset after {}",
                                    analysis.compilation.sources.snippet(d.span)
                                )
                            }),
                            OutlineKind::Rule,
                            r.span,
                            r.header,
                        )
                    })
                    .collect();
                out.push(s);
            }
            // clauses (issue 15): a first right, outlined with the clauses that keep a
            // scope without licensing it.
            Item::FirstRight(f) => out.push(leaf(
                f.name.name.to_string(),
                Some(format!(
                    "first {} for {} on {}",
                    f.kind.node.keyword(),
                    f.holder.name,
                    names(&f.assets)
                )),
                OutlineKind::Reservation,
                f.span,
                f.name.span,
            )),
            // clauses (issue 15, round 4): an agreement-level payment, outlined with
            // the obligations: who pays whom, and how many instalments.
            Item::Payment(p) => out.push(leaf(
                p.name.name.to_string(),
                Some(match p.instalments.as_slice() {
                    [one] => format!(
                        "payment {} -> {}, {} {} on {}",
                        p.payer.name,
                        p.payee.name,
                        one.amount.amount.text,
                        one.amount.currency.name,
                        one.due.text
                    ),
                    many => format!(
                        "payment {} -> {} in {} instalments",
                        p.payer.name,
                        p.payee.name,
                        many.len()
                    ),
                }),
                OutlineKind::Obligation,
                p.span,
                p.name.span,
            )),
            Item::Sunset(s) => out.push(leaf(
                format!("sunset {}", s.grant.name),
                None,
                OutlineKind::Sunset,
                s.span,
                s.grant.span,
            )),
            Item::Obligation(o) => {
                let kind = o.kind.node.keyword();
                let name = match (&o.title, o.parties.as_slice()) {
                    (Some(t), _) => format!("{kind} \"{}\"", t.value),
                    (None, [a, b]) => format!("{kind} {} of {}", a.name, b.name),
                    _ => kind.to_string(),
                };
                let keys: Vec<&str> = o.attrs.iter().map(|a| a.key.keyword()).collect();
                let detail = (!keys.is_empty() && o.title.is_none()).then(|| keys.join(", "));
                out.push(leaf(
                    name,
                    detail,
                    OutlineKind::Obligation,
                    o.span,
                    o.header,
                ));
            }
            Item::Error(_) => {}
        }
    }
    out
}

/// What a folding range folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A `{ … }` block or a `[ … ]` list.
    Region,
    /// A block comment or a run of line comments.
    Comment,
}

/// A range that can be folded: from `start` (the opening brace, or the first comment)
/// to `end` (the closing brace, or the end of the last comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldingRange {
    pub start: u32,
    pub end: u32,
    pub kind: FoldKind,
}

/// Every block and comment run of a text that spans more than one line.
pub fn folding_ranges(text: &str) -> Vec<FoldingRange> {
    let lexed = super::lex(FileId(0), text);
    let lines = crate::source::LineIndex::new(text);
    let mut out = Vec::new();
    let mut open: Vec<(Token, usize)> = Vec::new();
    for &(start, tok, end) in &lexed.tokens {
        match tok {
            Token::LBrace | Token::LBracket => open.push((tok, start)),
            Token::RBrace | Token::RBracket => {
                let Some((_, s)) = open.pop() else { continue };
                let (s32, e32) = (clamp(s), clamp(end.saturating_sub(1)));
                if lines.line_of(s32) < lines.line_of(e32) {
                    out.push(FoldingRange {
                        start: s32,
                        end: e32,
                        kind: FoldKind::Region,
                    });
                }
            }
            _ => {}
        }
    }
    // Comments: block comments over several lines; runs of line comments on
    // consecutive lines.
    let mut run: Option<(u32, u32, usize)> = None; // (start, end, last line)
    for c in &lexed.comments {
        let line = lines.line_of(c.span.start);
        let own_line = text
            .get(lines.line_start(line) as usize..c.span.start as usize)
            .is_some_and(|before| before.trim().is_empty());
        if c.block || !own_line {
            if let Some((s, e, _)) = run.take() {
                push_run(&lines, s, e, &mut out);
            }
        }
        if !own_line && !c.block {
            continue;
        }
        if c.block {
            if lines.line_of(c.span.start) < lines.line_of(c.span.end.saturating_sub(1)) {
                out.push(FoldingRange {
                    start: c.span.start,
                    end: c.span.end,
                    kind: FoldKind::Comment,
                });
            }
            continue;
        }
        run = match run {
            Some((s, _, last)) if last + 1 == line => Some((s, c.span.end, line)),
            Some((s, e, _)) => {
                push_run(&lines, s, e, &mut out);
                Some((c.span.start, c.span.end, line))
            }
            None => Some((c.span.start, c.span.end, line)),
        };
    }
    if let Some((s, e, _)) = run {
        push_run(&lines, s, e, &mut out);
    }
    out.sort_by_key(|f| (f.start, f.end));
    out
}

fn push_run(lines: &crate::source::LineIndex, s: u32, e: u32, out: &mut Vec<FoldingRange>) {
    if lines.line_of(s) < lines.line_of(e) {
        out.push(FoldingRange {
            start: s,
            end: e,
            kind: FoldKind::Comment,
        });
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
