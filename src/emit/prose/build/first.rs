//! clauses (issue 15): the article of rights of first refusal and negotiation, one
//! clause each, after the reserved rights. A first right grants no license; the clause
//! says who must offer what to whom first, and for how long the holder may answer.

use super::*;
use crate::emit::prose::doc::*;
use crate::model::RightSet;
use crate::text::*;
use crate::vocab::FirstRightKind;

impl Builder<'_, '_> {
    pub(super) fn first_right_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.first_right_clause.get(i).cloned().unwrap_or_default();
        let Some(f) = a.first_rights.get(i) else {
            return empty_clause(slot);
        };
        let holder = self.short(f.holder);
        let grantors: Vec<String> = f.grantors.iter().map(|p| self.short(*p)).collect();
        let grantor = if grantors.is_empty() {
            "the owner".to_string()
        } else {
            join_list(&grantors)
        };
        let assets = self.assets_phrase(&f.assets);
        let what = if f.rights == RightSet::all() {
            format!("any license under {assets}")
        } else {
            format!("any license under {assets} to {}", rights_phrase(f.rights))
        };
        let field = if f.all_fields {
            "in any Field of Use".to_string()
        } else {
            field_phrase(&model.fields, &f.fields)
        } + &purposes_suffix(f.purposes);
        let when = if a.term.is_some_and(|t| t == f.term) {
            "during the term of this Agreement".to_string()
        } else {
            format!(
                "during the period {}",
                period_phrase(f.term.start, f.term.end)
            )
        };
        let within = f
            .within
            .map_or_else(|| "a reasonable period".to_string(), |d| d.to_string());
        let mut t = Text::new();
        t.push(format!(
            "{holder} has a {} in respect of {what} {field}, ",
            f.kind.title()
        ));
        let terr = self.territory_text(f.territory);
        t.append(terr);
        t.push(format!(", {when}. "));
        t.push(match f.kind {
            FirstRightKind::Refusal => format!(
                "Before {grantor} grants such a license to any third party, it shall notify {holder} in writing of the terms offered, and {holder} may accept a license on the same terms within {within} of the notice. Only if {holder} does not accept within that period may {grantor} grant the license to the third party, and then on terms no more favourable to it than those notified."
            ),
            FirstRightKind::Negotiation => format!(
                "Before {grantor} offers or negotiates such a license with any third party, it shall notify {holder} in writing and negotiate in good faith exclusively with {holder} for {within} after the notice. Only if they have not agreed the terms of a license within that period may {grantor} negotiate with others."
            ),
        });
        t.push(" This right grants no license.");
        for n in &f.notes {
            t.push(format!(" {n}"));
        }
        Clause {
            number: slot.number,
            id: f.id.clone(),
            anchor: slot.anchor,
            location: self.location(f.span),
            spans: vec![f.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }
}
