//! The computed facts the prose states about each grant, read from the rights ledger
//! (`Compilation.ledger`): when the license starts and ends in each country, whether the
//! agreement's end cuts it short, and what its wind-down still allows. The clauses, the
//! schedule and the timeline all state these, never a date of their own.

use super::*;
use crate::date::{Date, Duration};
use crate::ledger::{GrantEntry, Ledger, SELL_OFF};
use crate::model::{GrantModel, RightSet, TermModel};
use crate::territory::TerritorySet;

/// One grant's term and wind-down as the ledger has them.
#[derive(Debug, Clone)]
pub(super) struct GrantFacts {
    /// When the license starts: its term's start, within the agreement's.
    pub start: Date,
    /// When it ends in fact, per group of countries of its territory (one group unless
    /// `until expiry` ends it country by country): its term, or the agreement's end when
    /// that comes first and the license does not survive the agreement. Sorted by end,
    /// an open end last.
    pub ends: Vec<(TerritorySet, Option<Date>)>,
    /// The agreement's end, when the license does not survive it.
    pub agreement_end: Option<Date>,
    /// The agreement's end comes before the term's and the license does not survive it.
    pub cut: bool,
    /// What the wind-down still allows: the granted rights among sell, offer and
    /// distribute (the rights of the grant's sell-off pieces).
    pub sell_off: RightSet,
}

/// The granted rights a wind-down still allows.
fn sell_off_rights(granted: RightSet) -> RightSet {
    RightSet(granted.0 & RightSet::of(SELL_OFF).0)
}

impl GrantFacts {
    /// The facts of a grant from its ledger entry.
    pub fn of(g: &GrantModel, e: &GrantEntry) -> GrantFacts {
        let agreement_end = if e.survives { None } else { e.window.end };
        let cut = agreement_end.is_some_and(|w| e.time.end.is_none_or(|t| w < t));
        // The term within the agreement's (a term wholly outside it is shown as written).
        let within = e.effective_time();
        let ends = match g.term {
            TermModel::Dates(_) => vec![(g.territory, within.end)],
            TermModel::UntilExpiry { .. } => e.effective_ends(g.territory),
        };
        GrantFacts {
            start: within.start,
            ends,
            agreement_end,
            cut,
            sell_off: sell_off_rights(g.rights),
        }
    }

    /// The facts of a grant the ledger does not hold (a ledger of another model): its
    /// term as written.
    pub fn written(g: &GrantModel) -> GrantFacts {
        let end = match g.term {
            TermModel::Dates(i) => i.end,
            TermModel::UntilExpiry { .. } => None,
        };
        GrantFacts {
            start: g.term.start(),
            ends: vec![(g.territory, end)],
            agreement_end: None,
            cut: false,
            sell_off: sell_off_rights(g.rights),
        }
    }

    /// When the license ends in the last country it ends in (`None`: somewhere it does
    /// not end).
    pub fn end(&self) -> Option<Date> {
        let mut last: Option<Date> = None;
        for (_, e) in &self.ends {
            let e = (*e)?;
            last = Some(last.map_or(e, |l| l.max(e)));
        }
        last
    }

    /// The term as one period: from its start to its last end.
    pub fn period(&self) -> Interval {
        Interval {
            start: self.start,
            end: self.end(),
        }
    }

    /// The wind-down after the license ends, per group of countries: from the end (not
    /// before the start) for the given period. Groups whose license never ends have none.
    pub fn sell_off_windows(&self, period: Duration) -> Vec<(TerritorySet, Interval)> {
        self.ends
            .iter()
            .filter_map(|(t, e)| {
                let end = (*e)?;
                let until = end.add_duration(period)?;
                Some((
                    *t,
                    Interval {
                        start: end.max(self.start),
                        end: Some(until),
                    },
                ))
            })
            .collect()
    }
}

/// Every grant's facts for one agreement (`index` in the model), in its order.
pub(super) fn agreement_facts(
    ledger: &Ledger,
    index: usize,
    a: &AgreementModel,
) -> Vec<GrantFacts> {
    a.grants
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            ledger
                .grant_index(index, gi)
                .and_then(|i| ledger.grant(i))
                .map(|e| GrantFacts::of(g, e))
                .unwrap_or_else(|| GrantFacts::written(g))
        })
        .collect()
}

impl Builder<'_, '_> {
    /// The facts of grant `i` of the agreement.
    pub(super) fn facts_of(&self, i: usize, g: &GrantModel) -> GrantFacts {
        self.facts
            .get(i)
            .cloned()
            .unwrap_or_else(|| GrantFacts::written(g))
    }

    /// Values that differ by country, in words: "X in the United States; and Y in every
    /// other country of the territory", or "X" when there is one group that covers the
    /// territory. When the groups cover the whole territory (`whole`), the largest is
    /// named last, as every other country; the rest keep their order.
    pub(super) fn by_country(&mut self, groups: &[(TerritorySet, String)], whole: bool) -> String {
        match groups {
            [] => String::new(),
            [(_, only)] if whole => only.clone(),
            many => {
                let rest = many
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (t, _))| (t.len(), usize::MAX - i))
                    .map_or(0, |(i, _)| i);
                let rest = if whole { Some(rest) } else { None };
                let mut parts = Vec::new();
                for (i, (t, what)) in many.iter().enumerate() {
                    if Some(i) == rest {
                        continue;
                    }
                    let words = countries_words(*t);
                    let place = match &words {
                        Some(w) => w.phrase.clone(),
                        None => countries_in_words(*t),
                    };
                    self.note_words(words);
                    parts.push(format!("{what} in {place}"));
                }
                if let Some((_, what)) = rest.and_then(|r| many.get(r)) {
                    parts.push(format!("{what} in every other country of the territory"));
                }
                let n = parts.len();
                if let Some(last) = parts.last_mut().filter(|_| n > 1) {
                    *last = format!("and {last}");
                }
                parts.join("; ")
            }
        }
    }
}
