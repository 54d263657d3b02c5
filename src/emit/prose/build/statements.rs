//! The statements the grant sentences and the wind-down paragraphs make, recorded as
//! structure from the values each sentence is written from (see
//! [`crate::emit::prose::statement`]).

use super::facts::GrantFacts;
use super::*;
use crate::date::Duration;
use crate::emit::prose::statement::{FieldGroup, Period, Statement, StatementKind};
use crate::model::{GrantModel, RightSet};
use crate::text::field_groups;

impl Builder<'_, '_> {
    /// Records the statement of grant `i`'s sentence (clause `number`).
    pub(super) fn record_grant(&mut self, g: &GrantModel, f: &GrantFacts, number: &str) {
        let periods = f
            .ends
            .iter()
            .map(|(t, end)| Period {
                countries: t.codes(),
                start: f.start,
                end: *end,
            })
            .collect();
        let kind = if g.covenant {
            StatementKind::Covenant
        } else if g.release.is_some() {
            StatementKind::Release
        } else {
            StatementKind::Grant
        };
        let s = self.statement(g, kind, g.id.clone(), number, g.rights);
        self.statements.push(Statement { periods, ..s });
    }

    /// Records the statement of the wind-down paragraph of sunset clause `clause` about
    /// grant `g`: the sell-off rights during the windows after the license ends.
    pub(super) fn record_wind_down(
        &mut self,
        g: &GrantModel,
        f: &GrantFacts,
        period: Duration,
        clause: String,
        number: &str,
    ) {
        let windows = f.sell_off_windows(period);
        let periods = windows
            .iter()
            .map(|(t, w)| Period {
                countries: t.codes(),
                start: w.start,
                end: w.end,
            })
            .collect();
        let mut s = self.statement(g, StatementKind::WindDown, clause, number, f.sell_off);
        let mut territory: Vec<&'static str> =
            windows.iter().flat_map(|(t, _)| t.codes()).collect();
        territory.sort_unstable();
        territory.dedup();
        s.territory = territory;
        s.periods = periods;
        self.statements.push(s);
    }

    fn statement(
        &self,
        g: &GrantModel,
        kind: StatementKind,
        clause: String,
        number: &str,
        rights: RightSet,
    ) -> Statement {
        let model = self.model;
        let forest = &model.fields;
        let fields = field_groups(forest, &g.fields)
            .into_iter()
            .map(|(id, ex)| FieldGroup {
                field: forest.path(id).to_string(),
                excluding: ex.iter().map(|e| forest.path(*e).to_string()).collect(),
            })
            .collect();
        Statement {
            kind,
            agreement: self.index,
            clause,
            number: number.to_string(),
            grant: g.id.clone(),
            licensor: model.party_name(g.licensor).to_string(),
            licensees: g
                .licensees
                .iter()
                .map(|p| model.party_name(*p).to_string())
                .collect(),
            affiliates: g.to_affiliates,
            assets: g
                .assets
                .iter()
                .map(|a| model.asset_name(*a).to_string())
                .collect(),
            rights: rights.iter().collect(),
            purposes: g.purposes.iter().collect(),
            fields,
            territory: g.territory.codes(),
            periods: Vec::new(),
        }
    }
}
