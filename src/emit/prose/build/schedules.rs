//! The schedules: the license matrix and the clause index.

use super::*;
use crate::emit::prose::doc::*;
use crate::model::{PartyId, TermModel};
use crate::text::*;
use crate::vocab::{ExclusivityKind, Sublicense};

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- schedules

    pub(super) fn schedules(&mut self, articles: &[Article]) -> Vec<Schedule> {
        let model = self.model;
        let a = self.a;
        let mut out = Vec::new();
        if !a.grants.is_empty() {
            // Part A: who licenses whom.
            let mut licensors: Vec<PartyId> = Vec::new();
            let mut licensees: Vec<PartyId> = Vec::new();
            for g in &a.grants {
                if !licensors.contains(&g.licensor) {
                    licensors.push(g.licensor);
                }
                for l in &g.licensees {
                    if !licensees.contains(l) {
                        licensees.push(*l);
                    }
                }
            }
            licensors.sort();
            licensees.sort();
            let mut header = vec!["Licensor / Licensee".to_string()];
            header.extend(licensees.iter().map(|p| self.short(*p)));
            let mut rows = Vec::new();
            for lor in &licensors {
                let mut row = vec![Cell {
                    text: Text::plain(self.short(*lor)),
                    class: None,
                }];
                for lee in &licensees {
                    let mut t = Text::new();
                    let mut class = None;
                    let found: Vec<(Slot, ExclusivityKind)> = a
                        .grants
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| g.licensor == *lor && g.licensees.contains(lee))
                        .filter_map(|(i, g)| {
                            self.grant_clause.get(i).map(|s| (s.clone(), g.exclusivity))
                        })
                        .collect();
                    let same = found.windows(2).all(|w| match w {
                        [x, y] => x.1 == y.1,
                        _ => true,
                    });
                    for (k, (slot, excl)) in found.iter().enumerate() {
                        if k > 0 {
                            t.push(if same { ", " } else { "; " });
                        }
                        t.link(slot.number.clone(), slot.anchor.clone());
                        if !same || k + 1 == found.len() {
                            t.push(format!(" {}", exclusivity_word(*excl)));
                        }
                        class = Some(match (class, excl) {
                            (Some("exclusive"), _) | (_, ExclusivityKind::Exclusive) => "exclusive",
                            (Some("sole"), _) | (_, ExclusivityKind::Sole) => "sole",
                            _ => "non-exclusive",
                        });
                    }
                    if found.is_empty() {
                        t.push(if lor == lee { "\u{2014}" } else { "" });
                    }
                    row.push(Cell { text: t, class });
                }
                rows.push(row);
            }
            let grid = Table {
                title: "Part A \u{2014} Licenses between the Parties".to_string(),
                header,
                rows,
                row_headers: true,
                class: "grid",
            };
            // Part B: one row per license.
            let header = [
                "Clause",
                "Licensor \u{2192} Licensee",
                "Licensed Assets",
                "Rights",
                "Field of Use",
                "Territory",
                "Term",
                "Exclusivity",
                "Consideration",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut rows = Vec::new();
            for (i, g) in a.grants.iter().enumerate() {
                let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
                let time = self.facts_of(i, g).period();
                let mut clause = Text::new();
                clause.link(slot.number.clone(), slot.anchor.clone());
                clause.push(" ");
                clause.code(g.id.clone());
                let licensees: Vec<String> = g.licensees.iter().map(|p| self.short(*p)).collect();
                let mut licensee = if g.to_members {
                    "every other Member".to_string()
                } else {
                    licensees.join(", ")
                };
                if g.to_affiliates {
                    licensee.push_str(" + Affiliates");
                }
                let parties = format!("{} \u{2192} {licensee}", self.short(g.licensor));
                let assets: Vec<String> =
                    g.assets.iter().map(|x| self.asset_name_term(*x)).collect();
                let rights = rights_cell(g.rights);
                let start = short_date(time.start);
                let term = match (g.term, time.end) {
                    (TermModel::Dates(_), Some(e)) => {
                        format!("{start} \u{2013} {}", short_date(last_day(e)))
                    }
                    (TermModel::Dates(_), None) => format!("{start} \u{2013} perpetual"),
                    (TermModel::UntilExpiry { .. }, Some(e)) => format!(
                        "{start} \u{2013} patent expiry (last {})",
                        short_date(last_day(e))
                    ),
                    (TermModel::UntilExpiry { .. }, None) => {
                        format!("{start} \u{2013} patent expiry")
                    }
                };
                let mut excl = exclusivity_word(g.exclusivity).to_string();
                let subject: Vec<String> = g
                    .subject_to
                    .iter()
                    .filter_map(|r| a.reservations.get(*r).and_then(|x| x.name.clone()))
                    .collect();
                if !subject.is_empty() {
                    excl.push_str(&format!(" subject to {}", subject.join(", ")));
                }
                excl.push_str(match g.sublicense {
                    Sublicense::None => "; no sublicensing",
                    Sublicense::Affiliates => "; sublicensable to Affiliates",
                    Sublicense::WithConsent => "; sublicensable with consent",
                    Sublicense::Free => "; freely sublicensable",
                });
                let class = Some(exclusivity_word(g.exclusivity));
                let cell = |s: String| Cell {
                    text: Text::plain(s),
                    class: None,
                };
                rows.push(vec![
                    Cell {
                        text: clause,
                        class: None,
                    },
                    cell(parties),
                    cell(assets.join(", ")),
                    cell(rights),
                    cell(field_cell(&model.fields, &g.fields)),
                    cell(self.territory_cell(g.territory)),
                    cell(term),
                    Cell {
                        text: Text::plain(excl),
                        class,
                    },
                    cell(consideration_cell(&g.consideration)),
                ]);
            }
            let table = Table {
                title: "Part B \u{2014} Licenses granted".to_string(),
                header,
                rows,
                row_headers: false,
                class: "licenses",
            };
            let number = out.len() + 1;
            out.push(Schedule {
                clause_index: false,
                number,
                title: "License Matrix".to_string(),
                anchor: self.anchor(&format!("schedule-{number}")),
                intro: vec![Text::plain(
                    "This Schedule summarises the licenses granted in this Agreement. In case of any difference, the clauses prevail.",
                )],
                tables: vec![grid, table],
            });
        }
        // The clause index: every clause id and where it is written.
        let mut rows = Vec::new();
        for art in articles {
            for c in &art.clauses {
                index_rows(c, &self.stated_with, &mut rows);
            }
        }
        let number = out.len() + 1;
        out.push(Schedule {
            clause_index: true,
            number,
            title: "Clause Index".to_string(),
            anchor: self.anchor(&format!("schedule-{number}")),
            intro: vec![Text::plain(
                "Each clause id identifies the clause in the source file and in the compiled JSON policy.",
            )],
            tables: vec![Table {
                title: String::new(),
                header: vec![
                    "Clause".to_string(),
                    "Clause id".to_string(),
                    "Source".to_string(),
                ],
                rows,
                row_headers: false,
                class: "index",
            }],
        });
        out
    }
}
