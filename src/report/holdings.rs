//! The holdings part: a row per grant and asset, and the life of each asset.

use super::*;
use crate::check::context::GrantInfo;
use crate::date::Date;
use crate::model::{Model, RightSet, TermModel};
use crate::source::SourceMap;
use crate::text::{field_phrase, join_list, long_date, period_phrase, rights_phrase, short_name};

pub(super) fn licensees_words(model: &Model, g: &GrantInfo<'_>) -> String {
    let names: Vec<String> = g
        .grant
        .licensees
        .iter()
        .map(|p| short_name(model, *p))
        .collect();
    let base = if g.grant.to_members {
        format!("the pool members ({})", join_list(&names))
    } else {
        join_list(&names)
    };
    if g.grant.to_affiliates {
        format!("{base} and affiliates")
    } else {
        base
    }
}

pub(super) fn holding(
    model: &Model,
    sources: &SourceMap,
    g: &GrantInfo<'_>,
    anchor: String,
    as_of: Date,
) -> Holding {
    let grant = g.grant;
    let term = match grant.term {
        TermModel::Dates(t) => period_phrase(t.start, t.end),
        TermModel::UntilExpiry { start } => match g.time.end {
            Some(e) => format!(
                "{} (when the last licensed patent expires)",
                period_phrase(start, Some(e))
            ),
            None => format!(
                "commencing on {} and continuing until the last licensed patent expires",
                long_date(start)
            ),
        },
    };
    let lc = sources.line_col(grant.header.file, grant.header.start);
    Holding {
        anchor,
        licensees: licensees_words(model, g),
        exclusivity: grant.exclusivity,
        rights: if grant.rights == RightSet::all() {
            "all rights".to_string()
        } else {
            rights_phrase(grant.rights)
        },
        field: field_phrase(&model.fields, &grant.fields),
        territory: crate::text::territory_in_words(grant.territory),
        term,
        last_day: g.time.end.map(crate::text::last_day),
        status: Status::of(g.time, as_of),
        grant: grant.id.clone(),
        agreement: g.agreement.title.clone(),
        location: format!("{}:{}", sources.name(grant.header.file), lc.line),
        findings: Vec::new(),
    }
}

pub(super) fn life(decl: &crate::model::AssetDecl, as_of: Date) -> AssetLife {
    let patents: Vec<PatentLife> = decl
        .patents
        .iter()
        .map(|p| PatentLife {
            number: p.number.clone(),
            territory: crate::text::territory_in_words(p.territory),
            last_day: p.expires.map(crate::text::last_day),
            in_force: p.expires.is_none_or(|e| as_of < e),
        })
        .collect();
    let summary = if !decl.kind.is_patent() {
        "Not a patent asset: it does not expire.".to_string()
    } else if patents.is_empty() {
        "No patents listed: taken to exist everywhere for the whole agreement.".to_string()
    } else if patents.iter().any(|p| p.last_day.is_none()) {
        "At least one patent has no expiry date: the asset has no known end.".to_string()
    } else {
        let last = patents.iter().filter_map(|p| p.last_day).max();
        let in_force = patents.iter().filter(|p| p.in_force).count();
        match last {
            Some(l) => format!(
                "The last patent expires after {}; {} of {} in force on {}.",
                long_date(l),
                in_force,
                patents.len(),
                long_date(as_of)
            ),
            None => String::new(),
        }
    };
    AssetLife { patents, summary }
}
