//! Article 3: the rights each party reserves.

use super::*;
use crate::emit::prose::doc::*;
use crate::model::RightSet;
use crate::territory::TerritorySet;
use crate::text::*;
use std::collections::BTreeSet;

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- Article 3

    pub(super) fn reservation_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.reservation_clause.get(i).cloned().unwrap_or_default();
        let Some(r) = a.reservations.get(i) else {
            return empty_clause(slot);
        };
        let assets = self.assets_phrase(&r.assets);
        let all_rights = r.rights == RightSet::all();
        let everywhere = r.territory == TerritorySet::worldwide();
        let whole_term = a.term.is_some_and(|t| t == r.term);
        let every_field = r.all_fields || r.fields.len() as usize >= model.fields.nodes.len();
        let unscoped = all_rights && everywhere && whole_term && every_field && r.purposes.is_all();
        let what = if all_rights {
            format!("all rights under {assets}")
        } else {
            format!("the right under {assets} to {}", rights_phrase(r.rights))
        };
        let field = if r.all_fields {
            "in every Field of Use".to_string()
        } else {
            field_phrase(&model.fields, &r.fields)
        } + &purposes_suffix(r.purposes);
        let when = if whole_term {
            "for the term of this Agreement".to_string()
        } else {
            format!("for the period {}", period_phrase(r.term.start, r.term.end))
        };
        let mut t = Text::new();
        match r.holder {
            None if unscoped => {
                let owners: Vec<String> = r
                    .assets
                    .iter()
                    .filter_map(|x| model.asset(*x))
                    .flat_map(|d| d.owners.iter().map(|o| self.short(*o)))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let to = if owners.is_empty() {
                    String::new()
                } else {
                    format!(" to {}", join_list(&owners))
                };
                t.push(format!(
                    "{} {} reserved{to} in full. Nothing in this Agreement grants, or shall be construed to grant, any license or other right under {}, in any field, territory or period.",
                    capitalise(&assets),
                    if r.assets.len() == 1 && !assets.ends_with('s') { "is" } else { "are" },
                    if r.assets.len() == 1 && !assets.ends_with('s') { "it" } else { "them" }
                ));
            }
            None => {
                t.push(format!(
                    "The following is reserved and excluded from every license granted under this Agreement: {what} {field}, "
                ));
                let terr = self.territory_text(r.territory);
                t.append(terr);
                t.push(format!(
                    ", {when}. No license granted under this Agreement extends to it."
                ));
            }
            Some(h) => {
                t.push(format!(
                    "{} retains, for its own use, {what} {field}, ",
                    self.short(h)
                ));
                let terr = self.territory_text(r.territory);
                t.append(terr);
                t.push(format!(", {when}."));
                let excepted: Vec<Slot> = a
                    .grants
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.subject_to.contains(&i))
                    .filter_map(|(k, _)| self.grant_clause.get(k).cloned())
                    .collect();
                if excepted.is_empty() {
                    t.push(" Non-exclusive and sole licenses granted under this Agreement leave these rights unaffected.");
                } else {
                    let word = if excepted.len() > 1 {
                        " The exclusivity of the licenses granted in "
                    } else {
                        " The exclusivity of the license granted in "
                    };
                    t.push(word);
                    for (k, s) in excepted.iter().enumerate() {
                        if k > 0 {
                            t.push(if k + 1 == excepted.len() {
                                " and "
                            } else {
                                ", "
                            });
                        }
                        t.link(format!("Clause {}", s.number), s.anchor.clone());
                    }
                    t.push(" is subject to this reservation: the retained rights are carved out of that exclusivity, not out of the scope of the license.");
                }
            }
        }
        Clause {
            number: slot.number,
            id: reservation_id(model, r),
            anchor: slot.anchor,
            location: self.location(r.span),
            spans: vec![r.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }
}
