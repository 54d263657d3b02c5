//! Article 2: one clause per grant, each one sentence.

use super::facts::GrantFacts;
use super::*;
use crate::emit::prose::doc::*;
use crate::model::{AssetId, ConsiderationModel, GrantModel, TermModel};
use crate::territory::TerritorySet;
use crate::text::*;
use crate::vocab::Sublicense;

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- Article 2

    pub(super) fn licensee_text(&self, g: &GrantModel) -> String {
        let model = self.model;
        if g.to_members {
            let names: Vec<String> = g.licensees.iter().map(|p| self.short(*p)).collect();
            let mut s = format!("each of the other Members ({})", join_list(&names));
            if g.to_affiliates {
                s.push_str(" and to their respective Affiliates");
            }
            return s;
        }
        let names: Vec<String> = g.licensees.iter().map(|p| party_intro(model, *p)).collect();
        let mut s = join_list(&names);
        if g.to_affiliates {
            s.push_str(if g.licensees.len() > 1 {
                " and their respective Affiliates"
            } else {
                " and its Affiliates"
            });
        }
        s
    }

    pub(super) fn licensee_short(&self, g: &GrantModel) -> String {
        if g.to_members || g.licensees.len() != 1 {
            return "each licensee".to_string();
        }
        g.licensees
            .first()
            .map(|p| self.short(*p))
            .unwrap_or_else(|| "the licensee".to_string())
    }

    /// The term of a license as the ledger has it: from its start, to its end in each
    /// country (`until expiry`), or with the agreement when that ends first; a license
    /// that starts before the Effective Date (the agreement's `release from` allows it)
    /// says that it extends to the acts done since its start.
    pub(super) fn grant_term_text(&mut self, g: &GrantModel, f: &GrantFacts) -> String {
        let mut s = self.grant_term_words(g, f);
        if self.a.effective.is_some_and(|e| f.start < e) {
            s.push_str(&format!(
                " (this license reaches back before the Effective Date and releases the acts done from {})",
                long_date(f.start)
            ));
        }
        s
    }

    fn grant_term_words(&mut self, g: &GrantModel, f: &GrantFacts) -> String {
        let with_agreement = if f.cut {
            ", when this Agreement ends"
        } else {
            ""
        };
        match g.term {
            TermModel::Dates(_) => match f.end() {
                Some(_) => format!(
                    "for the term {}{with_agreement}",
                    period_phrase(f.start, f.end())
                ),
                None => format!("for a term {}", period_phrase(f.start, None)),
            },
            TermModel::UntilExpiry { .. } => {
                let patents: Vec<AssetId> = g
                    .assets
                    .iter()
                    .copied()
                    .filter(|x| self.asset_decl(*x).is_some_and(|d| d.kind.is_patent()))
                    .collect();
                let which = if patents.is_empty() {
                    "the licensed patents".to_string()
                } else {
                    self.assets_phrase(&patents)
                };
                let mut s = format!(
                    "for the term commencing on {} and continuing, in each country, until the last to expire of {which} in force there expires, and elsewhere until the last of them expires",
                    long_date(f.start)
                );
                if f.cut {
                    s.push_str(", and no longer than this Agreement");
                }
                let dates: Vec<(TerritorySet, String)> = f
                    .ends
                    .iter()
                    .map(|(t, e)| {
                        let when = match e {
                            // Expired before the license begins: say so rather than
                            // state a period that ends before it starts.
                            Some(e) if *e <= f.start => {
                                "none, all of them having expired before then".to_string()
                            }
                            Some(e) => format!("up to and including {}", long_date(last_day(*e))),
                            None => "without a fixed end".to_string(),
                        };
                        (*t, when)
                    })
                    .collect();
                let known = f.ends.iter().any(|(_, e)| e.is_some());
                if known {
                    let dates = self.by_country(&dates, true);
                    s.push_str(&format!(" (on the patents listed in Article 1, {dates})"));
                }
                s
            }
        }
    }

    pub(super) fn grant_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
        let Some(g) = a.grants.get(i) else {
            return empty_clause(slot);
        };
        let facts = self.facts_of(i, g);
        let licensor = model
            .party(g.licensor)
            .map(|_| party_intro(model, g.licensor));
        let licensor_short = self.short(g.licensor);

        let (first, adj) = license_adjectives(g);
        let free = is_royalty_free(&g.consideration);

        let mut t = Text::new();
        if g.release.is_some() {
            // rights (issue 15): a release of past infringement, not a license.
            t.push(format!(
                "{} hereby releases {} from all claims of infringement",
                licensor.clone().unwrap_or_else(|| "?".to_string()),
                self.licensee_text(g),
            ));
        } else if g.covenant {
            // rights (issue 15): a covenant not to sue, not a license.
            let customers = if g.to_customers {
                " or its customers (as to products it supplies them)"
            } else {
                ""
            };
            t.push(format!(
                "{} hereby covenants not to sue {}{customers} for infringement",
                licensor.unwrap_or_else(|| "?".to_string()),
                self.licensee_text(g),
            ));
        } else {
            t.push(format!(
                "{} hereby grants to {} {} {adj} license",
                licensor.unwrap_or_else(|| "?".to_string()),
                self.licensee_text(g),
                article_for(&first)
            ));
        }
        // terms: the grant's defined name (`grant motion "Motion License": …`).
        if let Some(label) = &g.label {
            let label = label.trim();
            t.push(" (the \"");
            t.term(label.strip_prefix("the ").unwrap_or(label));
            t.push("\")");
        }
        // `exclusive subject to`: the retained rights stay outside the exclusivity.
        let subject: Vec<(String, String, String)> = g
            .subject_to
            .iter()
            .filter_map(|r| {
                let res = a.reservations.get(*r)?;
                let slot = self.reservation_clause.get(*r)?;
                Some((
                    res.name.clone().unwrap_or_default(),
                    slot.number.clone(),
                    slot.anchor.clone(),
                ))
            })
            .collect();
        if !subject.is_empty() {
            t.push(format!(
                " (exclusive save for the rights retained by {licensor_short} under "
            ));
            for (k, (_, number, anchor)) in subject.iter().enumerate() {
                if k > 0 {
                    t.push(if k + 1 == subject.len() {
                        " and "
                    } else {
                        ", "
                    });
                }
                t.link(format!("Clause {number}"), anchor.clone());
            }
            t.push(")");
        }
        t.push(format!(" under {} ", self.assets_phrase(&g.assets)));
        if !g.assets.is_empty() {
            t.push("(");
            self.asset_refs(&mut t, &g.assets);
            t.push(") ");
        }
        t.push(format!(
            "{}to {} licensed products {}{}, ",
            if g.covenant || g.release.is_some() {
                "by reason of acts "
            } else {
                ""
            },
            rights_phrase(g.rights),
            field_phrase(&model.fields, &g.fields),
            purposes_suffix(g.purposes)
        ));
        let territory = self.territory_text(g.territory);
        t.append(territory);
        let term = match g.release {
            Some(before) => format!("done before {}", long_date(before)),
            None => self.grant_term_text(g, &facts),
        };
        t.push(format!(", {term}"));
        self.record_grant(g, &facts, &slot.number);
        let holder = self.licensee_short(g);
        let own = if g.to_members || g.licensees.len() > 1 {
            "its own"
        } else {
            "its"
        };
        t.push(sublicense_words(g, own, &licensor_short));
        if !free {
            t.push(format!(
                "; in consideration of which {holder} shall pay to {licensor_short} {}",
                enumerate_items(&consideration_parts(g))
            ));
        }
        t.push(".");
        let mut blocks = vec![Block::Para(t)];
        // rights (issue 15): diligence milestones and exclusivity that converts.
        blocks.extend(self.diligence_paras(g, &licensor_short));
        // terms (issue 15, round 5): minimum purchase and spend commitments.
        blocks.extend(g.commitments.iter().map(|c| {
            Block::Para(Text::plain(crate::text::commitment_sentence(
                &self.short(c.party),
                c,
            )))
        }));
        blocks.extend(self.commitment_conversion_paras(g, &licensor_short));
        blocks.extend(self.standard_paras(g));
        for note in &g.notes {
            blocks.push(Block::Para(Text::plain(note.clone())));
        }
        Clause {
            number: slot.number,
            id: g.id.clone(),
            anchor: slot.anchor,
            location: self.location(g.span),
            spans: vec![g.span],
            blocks,
            subs: Vec::new(),
        }
    }

    /// The paragraphs after a grant's sentence that pools use: a field tied to a
    /// standard, and the most-favoured-licensee promise (pools: issue 15).
    pub(super) fn standard_paras(&mut self, g: &GrantModel) -> Vec<Block> {
        let mut blocks = Vec::new();
        if let Some(s) = g.standard.and_then(|i| self.model.standards.get(i)) {
            blocks.push(Block::Para(Text::plain(format!(
                "The license extends to the licensed products in those Fields only to the extent that they implement the {}.",
                s.title
            ))));
        }
        if g.most_favoured.is_some() {
            let mut t = Text::plain(
                "If the licensor grants a license of the same scope to any other licensee on terms more favourable than those of this clause, it shall offer the same terms to each licensee of this clause (most-favoured licensee).",
            );
            // terms (issue 15, round 7): the part of the scope the undertaking covers.
            if let Some(m) = g.most_favoured_scope.as_deref() {
                let field = m
                    .fields
                    .as_ref()
                    .map(|f| field_phrase(&self.model.fields, f));
                let territory = m.territory.map(|set| self.territory_text(set));
                if field.is_some() || territory.is_some() {
                    t.push(" This undertaking is limited to the license");
                    if let Some(f) = field {
                        t.push(format!(" {f}"));
                        if territory.is_some() {
                            t.push(",");
                        }
                    }
                    if let Some(territory) = territory {
                        t.push(" ");
                        t.append(territory);
                    }
                    t.push(".");
                }
            }
            blocks.push(Block::Para(t));
        }
        blocks
    }

    /// What a missed named commitment does to the exclusivity, one sentence each
    /// (terms: issue 15, round 6), after the commitments' own sentences.
    fn commitment_conversion_paras(&self, g: &GrantModel, licensor_short: &str) -> Vec<Block> {
        use crate::model::Conversion;
        let mut out = Vec::new();
        for &c in &g.converts {
            let Conversion::Commitment(i) = c else {
                continue;
            };
            let (Some(m), Some(first)) = (g.commitments.get(i), g.conversion_day(c)) else {
                continue;
            };
            out.push(Block::Para(Text::plain(
                crate::text::commitment_conversion_sentence(
                    &self.short(m.party),
                    m,
                    first,
                    licensor_short,
                ),
            )));
        }
        out
    }

    /// A grant's diligence milestones, one sentence each, and what a miss converts
    /// (rights: issue 15).
    fn diligence_paras(&self, g: &crate::model::GrantModel, licensor_short: &str) -> Vec<Block> {
        let who = |d: &crate::model::DiligenceModel| match d.party {
            Some(p) => self.short(p),
            None => "?".to_string(),
        };
        let mut out: Vec<Block> = g
            .diligence
            .iter()
            .map(|d| {
                Block::Para(Text::plain(format!(
                    "{} shall achieve {} on or before {}.",
                    who(d),
                    d.event,
                    long_date(d.by)
                )))
            })
            .collect();
        use crate::model::Conversion;
        let milestones: Vec<&crate::model::DiligenceModel> = g
            .converts
            .iter()
            .filter_map(|&c| match c {
                Conversion::Milestone(i) => g.diligence.get(i),
                Conversion::Commitment(_) => None,
            })
            .collect();
        let missed: Vec<String> = milestones
            .iter()
            .map(|d| format!("{} on or before {}", d.event, long_date(d.by)))
            .collect();
        let party = milestones.first().map(|d| who(d)).unwrap_or_default();
        if !missed.is_empty() {
            out.push(Block::Para(Text::plain(format!(
                "If {party} fails to achieve {}, the license granted in this Clause shall become non-exclusive from the day after that date, and {licensor_short} may thereafter practise, and grant licenses to others, within its scope; the license otherwise continues on the same terms.",
                join_with(&missed, "or")
            ))));
        }
        out
    }

    pub(super) fn asset_refs(&self, t: &mut Text, ids: &[AssetId]) {
        let refs: Vec<&Slot> = ids
            .iter()
            .filter_map(|x| self.asset_clause.get(x))
            .collect();
        let word = if refs.len() > 1 {
            "Clauses "
        } else {
            "Clause "
        };
        t.push(word);
        for (k, slot) in refs.iter().enumerate() {
            if k > 0 {
                t.push(if k + 1 == refs.len() { " and " } else { ", " });
            }
            t.link(slot.number.clone(), slot.anchor.clone());
        }
    }
}

/// The adjectives of a license, "non-exclusive, non-transferable, royalty-free", and the
/// first of them (for its article).
pub(super) fn license_adjectives(g: &GrantModel) -> (String, String) {
    let mut adjectives: Vec<String> = vec![exclusivity_word(g.exclusivity).to_string()];
    if g.transfer.personal {
        adjectives.push("personal".to_string());
    }
    adjectives.push(if g.transfer.transferable {
        "transferable".to_string()
    } else {
        "non-transferable".to_string()
    });
    if is_royalty_free(&g.consideration) {
        adjectives.push("royalty-free".to_string());
    }
    let first = adjectives.first().cloned().unwrap_or_default();
    (first, adjectives.join(", "))
}

/// What a grant says about sublicenses (`own`: "its" or "its own"), after a comma.
pub(super) fn sublicense_words(g: &GrantModel, own: &str, licensor_short: &str) -> String {
    match g.sublicense {
        Sublicense::None if g.release.is_some() => {
            ", which release conveys no license for any later act".to_string()
        }
        Sublicense::None if g.covenant => {
            ", which covenant conveys no license and no right to grant sublicenses".to_string()
        }
        Sublicense::None => ", without the right to grant sublicenses".to_string(),
        Sublicense::Affiliates => {
            format!(", with the right to grant sublicenses to {own} Affiliates only")
        }
        Sublicense::WithConsent => format!(
            ", with the right to grant sublicenses with the prior written consent of {licensor_short}"
        ),
        Sublicense::Free => format!(
            ", with the right to grant sublicenses without the consent of {licensor_short}"
        ),
    }
}

/// What a licensee pays, each item as a phrase ("a running royalty of …").
pub(super) fn consideration_parts(g: &GrantModel) -> Vec<String> {
    consideration_phrases(
        g.consideration
            .iter()
            .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree)),
    )
}
