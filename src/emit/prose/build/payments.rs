//! clauses (issue 15, round 4): the consideration article, one clause per payment the
//! agreement provides for (a settlement or balancing payment, in one sum or in
//! instalments), after the licenses and the rights that keep a scope. The sentence is
//! `text::payment_sentence`, which the hover shares.

use super::*;
use crate::emit::prose::doc::*;
use crate::text::*;

impl Builder<'_, '_> {
    pub(super) fn payment_clause(&mut self, i: usize) -> Clause {
        let a = self.a;
        let slot = self.payment_clause.get(i).cloned().unwrap_or_default();
        let Some(p) = a.payments.get(i) else {
            return empty_clause(slot);
        };
        let sentence = payment_sentence(&self.short(p.payer), &self.short(p.payee), p);
        let mut t = Text::new();
        t.push(sentence);
        Clause {
            number: slot.number,
            id: p.id.clone(),
            anchor: slot.anchor,
            location: self.location(p.span),
            spans: vec![p.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }
}
