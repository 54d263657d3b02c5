//! The timeline of the agreement: every grant's term, wind-down and sunset, for the
//! HTML report's chart.

use super::*;
use crate::date::{Date, Duration};
use crate::emit::prose::doc::*;
use crate::text::*;
use crate::vocab::FlowDirection;

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- timeline

    pub(super) fn timeline(&self) -> Timeline {
        let a = self.a;
        let mut rows = Vec::new();
        if let Some(e) = a.effective {
            rows.push(TimelineRow {
                kind: RowKind::Agreement,
                label: "Agreement".to_string(),
                title: a.title.clone(),
                anchor: String::new(),
                start: e,
                end: a.term.and_then(|t| t.end),
                renewals: Vec::new(),
                renewals_unbounded: false,
                wind_down: None,
                sunset: None,
                renegotiations: Vec::new(),
                expiries: Vec::new(),
                clause_span: Some(a.span),
            });
        }
        for (i, g) in a.grants.iter().enumerate() {
            let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
            let facts = self.facts_of(i, g);
            let time = facts.period();
            let sunset = a.sunsets.iter().find(|s| s.grant == Some(i));
            let mut renewals = Vec::new();
            let mut unbounded = false;
            let mut wind_down = None;
            let mut renegotiations = Vec::new();
            if let (Some(s), Some(end)) = (sunset, time.end) {
                let mut at = end;
                for r in &s.renewals {
                    let count = r.max_times.unwrap_or(3).min(50);
                    if r.max_times.is_none() {
                        unbounded = true;
                    }
                    for _ in 0..count {
                        let Some(next) = at.add_duration(r.period) else {
                            break;
                        };
                        renewals.push((at, next));
                        at = next;
                    }
                }
                // Only a license that sells something has a wind-down.
                if let Some(d) = s.wind_down.filter(|_| !facts.sell_off.is_empty()) {
                    wind_down = end.add_duration(d).map(|w| (end, w));
                }
            }
            if let Some(s) = sunset {
                for period in &s.renegotiate_every {
                    let mut k: u32 = 1;
                    while let Some(d) = time.start.add_duration(Duration {
                        amount: period.amount.saturating_mul(k),
                        unit: period.unit,
                    }) {
                        if time.end.is_none_or(|e| d >= e) || k > 200 {
                            break;
                        }
                        renegotiations.push(d);
                        k += 1;
                    }
                }
            }
            let licensees: Vec<String> = if g.to_members {
                vec!["Members".to_string()]
            } else {
                g.licensees.iter().map(|p| self.short(*p)).collect()
            };
            let mut expiries: Vec<(Date, String)> = g
                .assets
                .iter()
                .filter_map(|id| self.model.asset(*id))
                .flat_map(|asset| &asset.patents)
                .filter(|p| !p.pending)
                .filter_map(|p| p.expires.map(|e| (e, p.number.clone())))
                .collect();
            expiries.sort();
            expiries.dedup();
            rows.push(TimelineRow {
                kind: RowKind::Grant(g.exclusivity),
                label: format!("{} {}", slot.number, g.id),
                title: format!(
                    "{} \u{2192} {}, {}",
                    self.short(g.licensor),
                    licensees.join(", "),
                    exclusivity_word(g.exclusivity)
                ),
                anchor: slot.anchor,
                start: time.start,
                end: time.end,
                renewals,
                renewals_unbounded: unbounded,
                wind_down,
                sunset: None,
                renegotiations,
                expiries,
                clause_span: Some(g.span),
            });
        }
        for (i, imp) in a.improvements.iter().enumerate() {
            let slot = self.improvements_clause.get(i).cloned().unwrap_or_default();
            for (k, rule) in imp.rules.iter().enumerate() {
                if rule.direction != FlowDirection::GrantBack {
                    continue;
                }
                let Some(start) = a.effective else { continue };
                rows.push(TimelineRow {
                    kind: RowKind::GrantBack,
                    label: format!("{}({}) grant back", slot.number, letter(k)),
                    title: format!("{} \u{2192} {}", self.short(rule.from), self.short(rule.to)),
                    anchor: slot.anchor.clone(),
                    start,
                    end: rule.sunset,
                    renewals: Vec::new(),
                    renewals_unbounded: false,
                    wind_down: None,
                    sunset: rule.sunset,
                    renegotiations: Vec::new(),
                    expiries: Vec::new(),
                    clause_span: Some(rule.span),
                });
            }
        }
        Timeline { rows }
    }
}
