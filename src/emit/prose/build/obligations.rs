//! terms (issue 15, part 3): the defined terms of `define` in Article 1, the article of
//! obligations (audit, confidentiality, warranty, liability) and the clauses of the
//! General article after governing law (dispute resolution, provisions in source
//! order). The English is in `crate::text`.

use super::*;
use crate::model::ObligationModel;
use crate::vocab::ObligationKind;

/// Whether a clause of the kind goes to the General article (else to Obligations).
pub(super) fn is_general(kind: ObligationKind) -> bool {
    matches!(
        kind,
        ObligationKind::Disputes | ObligationKind::Provision | ObligationKind::Beneficiaries
    )
}

impl Builder<'_, '_> {
    /// `"Net Sales" means …`, one clause per `define` line, numbered after `n`.
    pub(super) fn defined_terms(&mut self, art: usize, n: &mut usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        for d in &a.definitions {
            *n += 1;
            let mut t = Text::new();
            t.push("\"");
            t.term(title_case(&d.name));
            t.push("\" means ");
            let text = d.text.trim();
            let stop = if text.ends_with('.') { "" } else { "." };
            t.push(format!("{text}{stop}"));
            let anchor = self.anchor(&format!("define-{}", d.name));
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: d.name.clone(),
                anchor,
                location: self.location(d.span),
                spans: vec![d.span],
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        out
    }

    /// One obligation clause: its heading in bold, then its paragraphs.
    pub(super) fn obligation_clause(&mut self, number: String, o: &ObligationModel) -> Clause {
        let model = self.model;
        let mut blocks = Vec::new();
        for (i, para) in obligation_paragraphs(model, o).into_iter().enumerate() {
            let mut t = Text::new();
            if i == 0 {
                t.term(obligation_heading(model, o));
                t.push(". ");
            }
            t.push(para);
            blocks.push(Block::Para(t));
        }
        if blocks.is_empty() {
            let mut t = Text::new();
            t.term(obligation_heading(model, o));
            t.push(".");
            blocks.push(Block::Para(t));
        }
        let anchor = self.anchor(&o.id);
        Clause {
            number,
            id: o.id.clone(),
            anchor,
            location: self.location(o.span),
            spans: vec![o.span],
            blocks,
            subs: Vec::new(),
        }
    }

    /// The clauses of the Obligations article, in source order.
    pub(super) fn obligation_clauses(&mut self, art: usize) -> Vec<Clause> {
        let a = self.a;
        a.obligations
            .iter()
            .filter(|o| !is_general(o.kind))
            .enumerate()
            .map(|(i, o)| self.obligation_clause(format!("{art}.{}", i + 1), o))
            .collect()
    }

    /// The General article: governing law first, then disputes and provisions in source
    /// order.
    pub(super) fn general_clauses(&mut self, art: usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        if a.governing_law.is_some() {
            out.push(self.governing_law_clause(art));
        }
        for o in a.obligations.iter().filter(|o| is_general(o.kind)) {
            let number = format!("{art}.{}", out.len() + 1);
            out.push(self.obligation_clause(number, o));
        }
        out
    }
}
