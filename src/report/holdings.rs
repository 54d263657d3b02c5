//! The holdings part: a row per grant and asset, and the life of each asset, read
//! from the rights ledger: where and while the grant licenses something under the
//! asset, and the asset's patents.

use super::*;
use crate::date::Date;
use crate::ledger::view::{Ctx, GrantInfo};
use crate::ledger::{Ledger, Piece, PieceKind};
use crate::model::{AssetDecl, AssetId, Model, RightSet, TermModel};
use crate::source::SourceMap;
use crate::territory::TerritorySet;
use crate::text::{
    countries_in_words, field_phrase, join_list, long_date, period_phrase, rights_phrase,
    short_name, territory_in_words,
};

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

/// What the ledger licenses under an asset through one grant: its term pieces on the
/// asset's subjects, and its sell-off pieces.
fn pieces_on<'a>(ctx: &'a Ctx<'_>, g: &GrantInfo<'a>, asset: AssetId) -> Vec<&'a Piece> {
    ctx.ledger
        .pieces_of(g.entry)
        .iter()
        .filter(|p| p.asset == asset)
        .collect()
}

/// Where a row stands on a date, as the ledger has it: before the license starts, a
/// piece of it in force, a sell-off piece in force, after its end everywhere, or
/// between (its term runs but no licensed patent of the asset is in force).
fn row_status(g: &GrantInfo<'_>, pieces: &[&Piece], on: Date) -> Status {
    let covers = |kind: PieceKind| {
        pieces
            .iter()
            .any(|p| p.kind == kind && Status::of(p.time, on) == Status::InForce)
    };
    let time = g.entry.effective_time();
    if on < time.start {
        Status::NotYet
    } else if covers(PieceKind::Term) {
        Status::InForce
    } else if covers(PieceKind::SellOff) {
        Status::WindingDown
    } else if time.end.is_some_and(|e| on >= e) {
        Status::Expired
    } else {
        Status::NothingInForce
    }
}

/// The term in words, as the ledger has it: from its start to its end in fact (per
/// group of countries when `until expiry` ends it country by country), and whether
/// the agreement's end cuts it short.
fn term_words(g: &GrantInfo<'_>) -> String {
    let e = g.entry;
    let time = e.effective_time();
    let cut = !e.survives
        && e.window
            .end
            .is_some_and(|w| e.time.end.is_none_or(|t| w < t));
    let with_agreement = if cut {
        " (when the agreement ends)"
    } else {
        ""
    };
    match g.grant.term {
        TermModel::Dates(_) => format!("{}{with_agreement}", period_phrase(time.start, time.end)),
        TermModel::UntilExpiry { .. } => match e.effective_ends(g.grant.territory).as_slice() {
            [] | [(_, None)] => format!(
                "commencing on {} and continuing until the last licensed patent expires",
                long_date(time.start)
            ),
            [(_, Some(end))] => format!(
                "{} (when the last licensed patent expires){with_agreement}",
                period_phrase(time.start, Some(*end))
            ),
            groups => {
                let parts: Vec<String> = groups
                    .iter()
                    .map(|(t, end)| match end {
                        Some(end) => format!(
                            "on {} in {}",
                            long_date(crate::text::last_day(*end)),
                            countries_in_words(*t)
                        ),
                        None => format!("with no known end in {}", countries_in_words(*t)),
                    })
                    .collect();
                format!(
                    "commencing on {} and ending when the last licensed patent there expires: {}",
                    long_date(time.start),
                    parts.join("; ")
                )
            }
        },
    }
}

/// Where the grant licenses something under the asset, in words: its territory, less
/// the countries where no licensed patent of the asset is in force during its term.
fn territory_words(written: TerritorySet, pieces: &[&Piece]) -> String {
    let effective = pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Term)
        .fold(TerritorySet::empty(), |acc, p| acc.union(p.territory));
    let missing = written.difference(effective);
    if missing.is_empty() {
        territory_in_words(written)
    } else if effective.is_empty() {
        format!(
            "{}; no patent of the asset is in force there during the term",
            territory_in_words(written)
        )
    } else {
        format!(
            "{}; not in {}, where no patent of the asset is in force during the term",
            territory_in_words(effective),
            countries_in_words(missing)
        )
    }
}

/// A grant's rights under one asset: "all rights", "all patent rights" (a patent asset
/// licensed with every right a patent confers), or the list.
fn rights_words(rights: RightSet, kind: Option<crate::vocab::AssetKind>) -> String {
    if rights == RightSet::all() {
        "all rights".to_string()
    } else if kind.is_some_and(|k| k.is_patent())
        && rights == RightSet::of(crate::vocab::Right::PATENT)
    {
        "all patent rights".to_string()
    } else {
        rights_phrase(rights)
    }
}

pub(super) fn holding(
    ctx: &Ctx<'_>,
    sources: &SourceMap,
    g: &GrantInfo<'_>,
    asset: AssetId,
    anchor: String,
    as_of: Date,
) -> Holding {
    let model = ctx.model;
    let grant = g.grant;
    let pieces = pieces_on(ctx, g, asset);
    let lc = sources.line_col(grant.header.file, grant.header.start);
    Holding {
        anchor,
        licensees: licensees_words(model, g),
        exclusivity: grant.exclusivity,
        rights: rights_words(grant.rights, model.asset(asset).map(|d| d.kind)),
        field: field_phrase(&model.fields, &grant.fields),
        territory: territory_words(grant.territory, &pieces),
        term: term_words(g),
        last_day: g.entry.effective_time().end.map(crate::text::last_day),
        status: row_status(g, &pieces, as_of),
        grant: grant.id.clone(),
        agreement: g.agreement.title.clone(),
        location: format!("{}:{}", sources.document_name(grant.header.file), lc.line),
        findings: Vec::new(),
    }
}

/// The life of an asset as the ledger has it: its patents (those it lists, and those
/// a capture period takes in) by number, where they are in force and until when.
pub(super) fn life(ledger: &Ledger, decl: &AssetDecl, asset: AssetId, as_of: Date) -> AssetLife {
    let patents: Vec<PatentLife> = ledger
        .subjects_of(asset)
        .iter()
        .filter_map(|s| ledger.subject(*s))
        .filter(|s| s.is_patent())
        .map(|p| PatentLife {
            number: p.label.clone(),
            territory: territory_in_words(p.territory),
            last_day: p.expires.map(crate::text::last_day),
            in_force: !p.pending && p.expires.is_none_or(|e| as_of < e),
            pending: p.pending,
        })
        .collect();
    let summary = if !decl.kind.is_patent() {
        "Not a patent asset: it does not expire.".to_string()
    } else if patents.is_empty() {
        "No patents listed: taken to exist everywhere for the whole agreement.".to_string()
    } else if !ledger.is_limited(asset) {
        "Patents of its capture period that are not declared are covered too: the asset has no known end.".to_string()
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
