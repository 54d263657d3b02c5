//! Article 4: improvements, grant-backs and license-forward rules.

use super::*;
use crate::emit::prose::doc::*;
use crate::model::{ConsiderationModel, FlowModel};
use crate::text::*;
use crate::vocab::{Coverage, ImprovementOwner};
use std::collections::BTreeSet;

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- Article 4

    pub(super) fn improvements_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.improvements_clause.get(i).cloned().unwrap_or_default();
        let Some(imp) = a.improvements.get(i) else {
            return empty_clause(slot);
        };
        let assets = self.assets_phrase(&imp.assets);
        let owners: Vec<String> = imp
            .assets
            .iter()
            .filter_map(|x| model.asset(*x))
            .flat_map(|d| d.owners.iter().map(|o| self.short(*o)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let owners = join_list(&owners);
        let mut t = Text::new();
        t.push(match imp.owner {
            Some(ImprovementOwner::Improver) => {
                format!("Each improvement to {assets} belongs to the Party that makes it.")
            }
            Some(ImprovementOwner::BaseOwner) => format!(
                "Each improvement to {assets} belongs to {owners}, as owner of {assets}, whichever Party makes it."
            ),
            Some(ImprovementOwner::Joint) => format!(
                "Each improvement to {assets} is owned jointly by the Party that makes it and {owners}."
            ),
            None => format!(
                "This Agreement does not change the ownership of improvements to {assets}."
            ),
        });
        if !imp.rules.is_empty() {
            t.push(" The following licenses of improvements apply:");
        }
        let mut subs = Vec::new();
        for (k, rule) in imp.rules.iter().enumerate() {
            let id = flow_id(model, rule);
            let anchor = self.anchor(&format!("{} {id}", slot.anchor));
            subs.push(Clause {
                number: format!("{}({})", slot.number, letter(k)),
                id,
                anchor,
                location: self.location(rule.span),
                spans: vec![rule.span],
                blocks: vec![Block::Para(self.flow_text(rule, &assets))],
                subs: Vec::new(),
            });
        }
        Clause {
            number: slot.number,
            id: improvements_id(model, imp),
            anchor: slot.anchor,
            location: self.location(imp.span),
            spans: vec![imp.span],
            blocks: vec![Block::Para(t)],
            subs,
        }
    }

    pub(super) fn flow_text(&self, rule: &FlowModel, assets: &str) -> Text {
        let from = self.short(rule.from);
        let to = self.short(rule.to);
        let mut s = self.flow_words(
            rule,
            assets,
            &FlowNames {
                from: &from,
                from_again: &from,
                from_object: &from,
                to: &to,
                payer: &to,
            },
        );
        if let Some(w) = self.flow_window_words(rule) {
            s.push(' ');
            s.push_str(&w);
        }
        Text::plain(s)
    }

    /// reach (issue 15, round 3): a pool rule follows its parties' membership: the
    /// sentences that say so, if it does.
    pub(super) fn flow_window_words(&self, rule: &FlowModel) -> Option<String> {
        let w = self.model.flow_window(self.a.kind, rule.from, rule.to)?;
        let from = self.short(rule.from);
        let to = self.short(rule.to);
        let made = made_words(w);
        let mut out = Vec::new();
        if let Some(made) = made {
            out.push(format!(
                "This clause applies only to improvements that {from} makes while both {from} and {to} are Members, that is, {made}."
            ));
        }
        if let Some(h) = w.held_until {
            out.push(format!(
                "{to} holds each license under this clause only while it is a Member, up to and including {}.",
                long_date(last_day(h))
            ));
        }
        (!out.is_empty()).then(|| out.join(" "))
    }

    /// The sentence of a grant-back or license-forward rule, with the words that name
    /// its parties (`names`): the rule's own, or those of a pool's shared clause.
    pub(super) fn flow_words(&self, rule: &FlowModel, assets: &str, names: &FlowNames) -> String {
        let model = self.model;
        let FlowNames {
            from,
            from_again,
            from_object,
            to,
            payer,
        } = *names;
        let mut adjectives = vec![exclusivity_word(rule.exclusivity).to_string()];
        let free = is_royalty_free(&rule.consideration);
        if free {
            adjectives.push("royalty-free".to_string());
        }
        let first = adjectives.first().cloned().unwrap_or_default();
        let mut s = format!(
            "{from} hereby grants to {to} {} {} license under every improvement to {assets} that {from_again} makes",
            article_for(&first),
            adjectives.join(", ")
        );
        s.push_str(match rule.covers {
            Coverage::Collaboration => {
                " in the course of the Parties' collaboration under this Agreement"
            }
            Coverage::All => ", including improvements developed independently of this Agreement",
        });
        match rule.sunset {
            Some(d) => {
                let since = model
                    .agreements
                    .iter()
                    .find(|x| std::ptr::eq(*x, self.a))
                    .and_then(|x| x.effective)
                    .map(|e| format!("from {} ", long_date(e)))
                    .unwrap_or_default();
                s.push_str(&format!(
                    " {since}up to and including {}; improvements made after that date are not covered",
                    long_date(last_day(d))
                ));
            }
            None => s.push_str(", whenever made"),
        }
        if !free {
            let parts = consideration_phrases(
                rule.consideration
                    .iter()
                    .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree)),
            );
            s.push_str(&format!(
                "; in consideration of which {payer} shall pay to {from_object} {}",
                enumerate_items(&parts)
            ));
        }
        s.push('.');
        match rule.consent_required {
            Some(true) => s.push_str(&format!(
                " An improvement comes under this clause only when {from_object} agrees in writing that it does."
            )),
            Some(false) => s.push_str(" Each improvement comes under this clause as it is made, without further consent."),
            None => {}
        }
        s
    }
}

/// The words that name the parties of a rule's sentence.
#[derive(Clone, Copy)]
pub(super) struct FlowNames<'n> {
    /// Who grants: "Acme", "Each Member named in a paragraph below".
    pub from: &'n str,
    /// Who makes the improvements: "Acme", "it".
    pub from_again: &'n str,
    /// Who is paid and consents: "Acme", "that Member".
    pub from_object: &'n str,
    /// Who receives: "Globex", "each of the other Members".
    pub to: &'n str,
    /// Who pays: "Globex", "each licensee".
    pub payer: &'n str,
}

/// The days a pool rule's improvements are made in (issue 15, round 3): "on or after
/// 1 April 2027", or `None` when every day of the membership counts.
pub(super) fn made_words(w: crate::model::FlowWindow) -> Option<String> {
    match (w.made_from, w.made_until) {
        (Some(f), Some(u)) => Some(format!(
            "from {} up to and including {}",
            long_date(f),
            long_date(last_day(u))
        )),
        (Some(f), None) => Some(format!("on or after {}", long_date(f))),
        (None, Some(u)) => Some(format!("up to and including {}", long_date(last_day(u)))),
        (None, None) => None,
    }
}
