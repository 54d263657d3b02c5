//! Moving a syntax tree's spans by a byte distance: what incremental reparsing
//! ([`super::parser::try_reparse`]) does to the items after an edit, which keep their
//! tree but not their offsets.
//!
//! Every node is destructured without `..`, so a field added to the tree (or a variant
//! added to an enum) fails to compile here until it is listed: a span that is not
//! moved would point at the wrong text after an edit. List a new field among the
//! `moved` ones when it holds a span (directly or inside), else among the `kept` ones.

use crate::diagnostics::{Diagnostic, Fix, Label, TextEdit};
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use std::sync::Arc;

/// Something holding byte offsets that can be moved by `by` bytes.
pub trait Shift {
    fn shift(&mut self, by: Move);
}

/// How offsets move: every span by `by` bytes ([`Move::all`], a tree after an edit),
/// or only the spans inside one range of one file ([`Move::within`]: the results kept
/// for one item, whose other spans point at declarations elsewhere that did not move).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub by: i64,
    /// `None`: every span; else only the spans of this file inside `from..=until`.
    pub only: Option<(FileId, u32, u32)>,
}

impl Move {
    /// Every span moves by `by`.
    pub fn all(by: i64) -> Move {
        Move { by, only: None }
    }

    /// Only the spans of `range`'s file that lie inside `range` move by `by`.
    pub fn within(range: Span, by: i64) -> Move {
        Move {
            by,
            only: Some((range.file, range.start, range.end)),
        }
    }
}

impl Shift for Span {
    fn shift(&mut self, by: Move) {
        if let Some((file, from, until)) = by.only {
            if self.file != file || self.start < from || self.end > until {
                return;
            }
        }
        let moved = |at: u32| u32::try_from((i64::from(at) + by.by).max(0)).unwrap_or(u32::MAX);
        self.start = moved(self.start);
        self.end = moved(self.end);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: Move) {
        for x in self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: Move) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: Move) {
        (**self).shift(by);
    }
}

/// A shared node is copied (once, when it is shared) and the copy moved.
impl<T: Shift + Clone> Shift for Arc<T> {
    fn shift(&mut self, by: Move) {
        Arc::make_mut(self).shift(by);
    }
}

impl<A: Shift, B: Shift> Shift for (A, B) {
    fn shift(&mut self, by: Move) {
        self.0.shift(by);
        self.1.shift(by);
    }
}

impl<T: Shift> Shift for Spanned<T> {
    fn shift(&mut self, by: Move) {
        let Spanned { node, span } = self;
        node.shift(by);
        span.shift(by);
    }
}

/// Values without offsets (what a `Spanned` may hold besides nodes).
macro_rules! no_offsets {
    ($($ty:ty),* $(,)?) => {
        $(impl Shift for $ty {
            fn shift(&mut self, _: Move) {}
        })*
    };
}

no_offsets!(
    bool,
    AgreementKind,
    AssetKind,
    // terms: affiliates by control (issue 15)
    crate::vocab::ControlKind,
    crate::vocab::Frequency,
    // clauses (issue 15): first refusal and negotiation
    crate::vocab::FirstRightKind,
    Coverage,
    ExclusivityKind,
    ImprovementOwner,
    Origin,
    ObligationKey,
    ObligationKind,
    crate::vocab::RoyaltyBase,
    Right,
    Sublicense,
    Transfer,
);

// The results kept per item in `resolve::reuse` move with the same two macros.
pub(crate) use no_offsets;

/// A struct whose `moved` fields hold offsets and whose `kept` fields do not.
macro_rules! shift_struct {
    ($($ty:ident { moved: $($m:ident),* ; kept: $($k:ident),* })*) => {
        $(impl Shift for $ty {
            fn shift(&mut self, by: Move) {
                let $ty { $($m,)* $($k: _,)* } = self;
                $($m.shift(by);)*
            }
        })*
    };
}

pub(crate) use shift_struct;

shift_struct! {
    Ident { moved: span; kept: name }
    StrLit { moved: span; kept: value }
    DateLit { moved: span; kept: text }
    NumLit { moved: span; kept: text, value }
    PercentLit { moved: span; kept: text, value }
    Money { moved: amount, currency, span; kept: }
    DurationLit { moved: amount, span; kept: unit }
    Comment { moved: span; kept: block }
    SourceFileAst { moved: items, comments; kept: }
    Import { moved: path, span; kept: }
    Agreement {
        moved: title, effective, release_from, term, governing_law, kind, parties, notes, definitions,
            id, standards, span;
        kept:
    }
    Party { moved: name, legal_name, short_name, affiliates, control, joins, leaves, span; kept: }
    ControlAffiliates { moved: kinds, as_of, span; kept: }
    Affiliate { moved: name, legal_name, label, span; kept: }
    FieldsDecl { moved: roots, span; kept: }
    FieldNode { moved: name, label, children, span; kept: }
    TerritoryDecl { moved: name, expr, span; kept: }
    TerritoryExpr { moved: include, exclude, except_span, span; kept: }
    FieldPath { moved: segments, span; kept: }
    FieldExpr { moved: include, exclude, except_span, span; kept: all }
    Asset { moved: name, label, kind, owners, capture, patents, origin, notes, essential, span; kept: }
    StandardDecl { moved: name, title, span; kept: }
    Essential { moved: standard, frand, span; kept: }
    GrantPools { moved: standard, standard_span, most_favoured, most_favoured_scope; kept: }
    MostFavouredScope { moved: field, territory, span; kept: }
    Patent { moved: number, expires, filed, territory, pending, span; kept: }
    TermSpec { moved: start, end, span; kept: }
    Exclusivity { moved: subject_to, span; kept: kind }
    Diligence { moved: name, party, event, by, span; kept: }
    Commitment { moved: name, party, amount, subject, from, until, span; kept: per_year }
    Limit { moved: amount, span; kept: kind, per_year, calendar }
    Tier { moved: from, to, rate, span; kept: }
    Grant {
        moved: name, label, licensor, licensee, to_affiliates, assets, rights, field, territory,
            term, exclusivity, sublicense, transfer, consideration, notes, purpose, covenant,
            release, converts, diligence, pools, commitments, header, span;
        kept:
    }
    ScopeBlock { moved: rights, field, territory, term, purpose; kept: }
    Reserve { moved: name, assets, holder, scope, header, span; kept: }
    FirstRight { moved: kind, name, holder, assets, scope, within, notes, header, span; kept: }
    Payment { moved: name, label, payer, payee, instalments, notes, header, span; kept: }
    Instalment { moved: amount, due, span; kept: }
    FlowRule {
        moved: from, to, covers, exclusivity, consideration, sunset, consent, header, span;
        kept: direction
    }
    Improvements { moved: assets, owner, rules, header, span; kept: }
    Renewal { moved: period, max_times, notice, span; kept: automatic }
    Renegotiation { moved: every, notice, span; kept: }
    Trigger { moved: words, by, cure, notice, span; kept: }
    Sunset {
        moved: grant, renewals, renegotiations, wind_down, terminations, survives, header, span;
        kept:
    }
    CovenantHead { moved: keyword, to_customers; kept: }
    ReleaseHead { moved: keyword, before; kept: }
    RoyaltyPeriodLit { moved: from, until, until_expiry, from_expiry, for_, payable, report; kept: }
    PaymentLit { moved: every, within, span; kept: }
    Definition { moved: name, text, span; kept: }
    Obligation { moved: kind, parties, subject, title, attrs, header, span; kept: }
    ObligationShare { moved: party, percent, count, span; kept: }
    ObligationAttr { moved: value, span; kept: key }
    Label { moved: span; kept: message }
    TextEdit { moved: span; kept: new_text }
    Fix { moved: edits; kept: title, preferred }
    Diagnostic { moved: primary, secondary, fixes; kept: code, severity, message, help, notes }
}

impl Shift for Item {
    fn shift(&mut self, by: Move) {
        match self {
            Item::Import(x) => x.shift(by),
            Item::Agreement(x) => x.shift(by),
            Item::Party(x) => x.shift(by),
            Item::Fields(x) => x.shift(by),
            Item::Territory(x) => x.shift(by),
            Item::Asset(x) => x.shift(by),
            Item::Grant(x) => x.shift(by),
            Item::Reserve(x) => x.shift(by),
            Item::Improvements(x) => x.shift(by),
            Item::Sunset(x) => x.shift(by),
            Item::FirstRight(x) => x.shift(by),
            Item::Payment(x) => x.shift(by),
            Item::Obligation(x) => x.shift(by),
            Item::Error(s) => s.shift(by),
        }
    }
}

impl Shift for TerritoryTerm {
    fn shift(&mut self, by: Move) {
        match self {
            TerritoryTerm::Worldwide(s) => s.shift(by),
            TerritoryTerm::Name(i) => i.shift(by),
            TerritoryTerm::List(names, s) => {
                names.shift(by);
                s.shift(by);
            }
        }
    }
}

impl Shift for TermEnd {
    fn shift(&mut self, by: Move) {
        match self {
            TermEnd::Until(d) => d.shift(by),
            TermEnd::For(d) => d.shift(by),
            TermEnd::UntilExpiry(s) | TermEnd::Perpetual(s) => s.shift(by),
        }
    }
}

impl Shift for CommitAmount {
    fn shift(&mut self, by: Move) {
        match self {
            CommitAmount::Units(n) => n.shift(by),
            CommitAmount::Spend(m) => m.shift(by),
        }
    }
}

impl Shift for Licensee {
    fn shift(&mut self, by: Move) {
        match self {
            Licensee::Party(i) => i.shift(by),
            Licensee::Members(s) => s.shift(by),
        }
    }
}

impl Shift for Consideration {
    fn shift(&mut self, by: Move) {
        match self {
            Consideration::RoyaltyFree(s) => s.shift(by),
            Consideration::Percent {
                rate,
                limits,
                base: _,
                period,
                span,
            } => {
                rate.shift(by);
                limits.shift(by);
                period.shift(by);
                span.shift(by);
            }
            Consideration::PerUnit {
                amount,
                limits,
                period,
                span,
            } => {
                amount.shift(by);
                limits.shift(by);
                period.shift(by);
                span.shift(by);
            }
            Consideration::Tiered {
                per_year: _,
                tiers,
                limits,
                period,
                span,
            } => {
                tiers.shift(by);
                limits.shift(by);
                period.shift(by);
                span.shift(by);
            }
            Consideration::LumpSum { amount, due, span } => {
                amount.shift(by);
                due.shift(by);
                span.shift(by);
            }
            Consideration::Milestone {
                amount,
                event,
                span,
            } => {
                amount.shift(by);
                event.shift(by);
                span.shift(by);
            }
        }
    }
}

impl Shift for ObligationLit {
    fn shift(&mut self, by: Move) {
        match self {
            ObligationLit::Flag => {}
            ObligationLit::Duration(d) => d.shift(by),
            ObligationLit::Percent(p) => p.shift(by),
            ObligationLit::Money(m) => m.shift(by),
            ObligationLit::Text(t) => t.shift(by),
            ObligationLit::Items(items) => items.shift(by),
            ObligationLit::Shares(shares) => shares.shift(by),
        }
    }
}

impl Shift for ObligationItem {
    fn shift(&mut self, by: Move) {
        match self {
            ObligationItem::Name(i) => i.shift(by),
            ObligationItem::Word(w) => w.span.shift(by),
            ObligationItem::Text(t) => t.shift(by),
        }
    }
}

/// Where two texts differ: from `start` (the common prefix) to `old_end` in the old
/// text and `new_end` in the new one (the common suffix follows), on char boundaries.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

/// How many bytes `a` and `b` share at their start (compared a block at a time, as
/// a whole-file text is compared on every edit).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let blocks = a
        .chunks_exact(BLOCK)
        .zip(b.chunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    let (a, b) = (
        a.get(at..).unwrap_or_default(),
        b.get(at..).unwrap_or_default(),
    );
    at + a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let blocks = a
        .rchunks_exact(BLOCK)
        .zip(b.rchunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    let (a, b) = (
        a.get(..a.len() - at).unwrap_or_default(),
        b.get(..b.len() - at).unwrap_or_default(),
    );
    at + a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

impl Change {
    pub fn between(old: &str, new: &str) -> Change {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut start = common_prefix(a, b);
        while start > 0 && !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
            start -= 1;
        }
        let mut suffix = common_suffix(
            a.get(start..).unwrap_or_default(),
            b.get(start..).unwrap_or_default(),
        );
        while suffix > 0
            && !(old.is_char_boundary(a.len() - suffix) && new.is_char_boundary(b.len() - suffix))
        {
            suffix -= 1;
        }
        Change {
            start,
            old_end: a.len() - suffix,
            new_end: b.len() - suffix,
        }
    }

    /// How far the text after the change moved.
    pub fn delta(self) -> i64 {
        let signed = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        signed(self.new_end) - signed(self.old_end)
    }
}

#[cfg(test)]
mod tests {
    use super::{common_prefix, common_suffix};

    #[test]
    fn shared_ends_are_counted_across_block_edges() {
        let naive_prefix = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let naive_suffix = |a: &[u8], b: &[u8]| {
            a.iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        };
        let base: Vec<u8> = (0..300u32).map(|i| b'a' + (i * 7 % 26) as u8).collect();
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 300] {
            let a = base.get(..len).unwrap_or_default();
            for at in 0..=len {
                // One byte changed, one inserted, one removed, the text cut short.
                let mut changed = a.to_vec();
                if let Some(c) = changed.get_mut(at) {
                    *c = b'#';
                }
                let mut inserted = a.to_vec();
                inserted.insert(at, b'#');
                let mut removed = a.to_vec();
                if at < len {
                    removed.remove(at);
                }
                let cut = a.get(..at).unwrap_or_default().to_vec();
                for b in [changed, inserted, removed, cut] {
                    assert_eq!(common_prefix(a, &b), naive_prefix(a, &b), "{len} {at}");
                    assert_eq!(common_suffix(a, &b), naive_suffix(a, &b), "{len} {at}");
                    assert_eq!(common_prefix(&b, a), naive_prefix(&b, a), "{len} {at}");
                    assert_eq!(common_suffix(&b, a), naive_suffix(&b, a), "{len} {at}");
                }
            }
        }
    }
}
