//! The portfolio report (`xlic report`): what a licensing manager reads across many
//! agreements at once. [`build`] computes a [`PortfolioReport`] from the checked
//! [`Model`] and the checker's diagnostics; `markdown.rs` and `html.rs` render it.
//!
//! The report has four parts:
//!
//! 1. **Holdings**: per licensor and asset, every grant (who, which rights, which
//!    fields, where, from when until when, its status on the as-of date), with the
//!    asset's own life (its patents and their expiry).
//! 2. **Coverage**: per asset, on the as-of date, a matrix of the top-level fields of
//!    use × territories saying whether a cell is licensed exclusively, solely,
//!    non-exclusively or not at all, and to whom. Within a row the cell is the
//!    *strongest* license that reaches any node of the field's subtree with any right
//!    there, marked "(part)" when licenses of that strength leave some node or right
//!    of the subtree uncovered. Columns are the coarsest grouping of countries that
//!    changes nothing: countries whose cells are equal in every row share a column.
//!    Where the asset does not exist on the as-of date (no patent of it in force
//!    there), the cell says so.
//! 3. **Expiring**: every dated event in the twelve months from the as-of date:
//!    the last day of a grant or agreement, of a patent, of a wind-down or of an
//!    automatic renewal, the last day to give notice of non-renewal, renegotiation
//!    dates and grant-back sunsets.
//! 4. **Findings**: every diagnostic (errors and warnings) with its code, message and
//!    locations, linked to the holdings rows of the grants it concerns.
//!
//! Every list is in a defined order, so the output is byte-identical across runs.

pub mod html;
pub mod markdown;

use crate::check::context::{Ctx, GrantInfo};
use crate::date::{Date, Duration, DurationUnit};
use crate::diagnostics::{Diagnostic, Severity};
use crate::emit::prose::{
    asset_term, countries_phrase, field_label, field_phrase, join_list, long_date, period_phrase,
    rights_phrase, short_name, span_contains, territory_phrase,
};
use crate::model::{AssetId, FieldId, FieldSet, Interval, Model, PartyId, RightSet, TermModel};
use crate::scope;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{AgreementKind, AssetKind, ExclusivityKind};
use crate::territory::TerritorySet;
use std::collections::{BTreeMap, BTreeSet};

/// The whole report, ready to render.
#[derive(Debug, Clone)]
pub struct PortfolioReport {
    /// The date the report is computed for.
    pub as_of: Date,
    /// The first day after the expiry window: `as_of` plus twelve months.
    pub horizon: Date,
    /// How many source files were read.
    pub files: usize,
    pub agreements: Vec<AgreementRow>,
    pub licensors: Vec<LicensorSection>,
    pub coverage: Vec<AssetCoverage>,
    pub expiring: Vec<Expiring>,
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
}

/// Where the report is at on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    NotYet,
    InForce,
    Expired,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::NotYet => "not yet in force",
            Status::InForce => "in force",
            Status::Expired => "expired",
        }
    }

    fn of(time: Interval, on: Date) -> Status {
        if on < time.start {
            Status::NotYet
        } else if time.end.is_some_and(|e| on >= e) {
            Status::Expired
        } else {
            Status::InForce
        }
    }
}

/// One agreement of the portfolio.
#[derive(Debug, Clone)]
pub struct AgreementRow {
    pub title: String,
    pub kind: &'static str,
    /// The file, as named to the compiler.
    pub source: String,
    pub effective: Option<Date>,
    /// The agreement's term in words.
    pub term: String,
    pub status: Option<Status>,
    pub grants: usize,
}

/// The assets one party licenses out.
#[derive(Debug, Clone)]
pub struct LicensorSection {
    /// The party's identifier.
    pub party: String,
    pub legal_name: String,
    pub anchor: String,
    pub assets: Vec<AssetHoldings>,
}

/// One asset of a licensor, its life and every grant of it by that licensor.
#[derive(Debug, Clone)]
pub struct AssetHoldings {
    pub asset: String,
    /// The asset's defined name in prose, e.g. "Acme Motion Patents".
    pub term: String,
    pub kind: &'static str,
    pub owners: Vec<String>,
    pub anchor: String,
    pub life: AssetLife,
    pub rows: Vec<Holding>,
}

/// Where and until when an asset exists.
#[derive(Debug, Clone)]
pub struct AssetLife {
    pub patents: Vec<PatentLife>,
    /// One sentence: the last expiry, or why the asset has no end.
    pub summary: String,
}

/// One patent of an asset.
#[derive(Debug, Clone)]
pub struct PatentLife {
    pub number: String,
    /// Where it is in force, in words ("in the United States").
    pub territory: String,
    /// The last day it is in force.
    pub last_day: Option<Date>,
    pub in_force: bool,
}

/// One grant of one asset: a row of the holdings table.
#[derive(Debug, Clone)]
pub struct Holding {
    /// Unique within the report.
    pub anchor: String,
    /// Who holds the license, in words.
    pub licensees: String,
    pub exclusivity: ExclusivityKind,
    pub rights: String,
    pub field: String,
    pub territory: String,
    /// The term in words, with `until expiry` explained.
    pub term: String,
    /// The last day of the term, when it has one.
    pub last_day: Option<Date>,
    pub status: Status,
    pub grant: String,
    pub agreement: String,
    /// `file:line` of the grant.
    pub location: String,
    /// Indexes into [`PortfolioReport::findings`] of the findings about this grant.
    pub findings: Vec<usize>,
}

/// How strongly a coverage cell is licensed, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The asset does not exist there on the date (no patent of it in force).
    NoPatent,
    NotLicensed,
    NonExclusive,
    Sole,
    Exclusive,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::NoPatent => "no patent in force",
            Level::NotLicensed => "not licensed",
            Level::NonExclusive => "non-exclusive",
            Level::Sole => "sole",
            Level::Exclusive => "exclusive",
        }
    }

    /// A CSS-friendly name.
    pub fn class(self) -> &'static str {
        match self {
            Level::NoPatent => "no-patent",
            Level::NotLicensed => "not-licensed",
            Level::NonExclusive => "non-exclusive",
            Level::Sole => "sole",
            Level::Exclusive => "exclusive",
        }
    }

    fn of(e: ExclusivityKind) -> Level {
        match e {
            ExclusivityKind::Exclusive => Level::Exclusive,
            ExclusivityKind::Sole => Level::Sole,
            ExclusivityKind::NonExclusive => Level::NonExclusive,
        }
    }
}

/// One cell of a coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CoverageCell {
    pub level: Level,
    /// Licenses of this strength leave part of the field's subtree (or some right)
    /// uncovered.
    pub partial: bool,
    /// The licensees at this strength, by short name, sorted.
    pub holders: Vec<String>,
}

impl CoverageCell {
    /// The cell in words: "exclusive: Globex", "non-exclusive (part): Globex, Initech",
    /// "not licensed".
    pub fn text(&self) -> String {
        let part = if self.partial { " (part)" } else { "" };
        if self.holders.is_empty() {
            format!("{}{part}", self.level.word())
        } else {
            format!("{}{part}: {}", self.level.word(), self.holders.join(", "))
        }
    }
}

/// A column of a coverage matrix: a group of countries treated alike.
#[derive(Debug, Clone)]
pub struct CoverageColumn {
    /// A short header: "DE", "EU", "DE, FR", "Other countries".
    pub label: String,
    /// The countries in words, for the legend.
    pub words: String,
    pub countries: usize,
}

/// One top-level field: a row of a coverage matrix.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub field: String,
    pub path: String,
    pub cells: Vec<CoverageCell>,
}

/// The coverage matrix of one asset on the as-of date.
#[derive(Debug, Clone)]
pub struct AssetCoverage {
    pub asset: String,
    pub term: String,
    pub anchor: String,
    pub columns: Vec<CoverageColumn>,
    pub rows: Vec<CoverageRow>,
    /// The grants in force on the date that the matrix counts (anchors of holdings).
    pub grants_counted: usize,
}

/// What kind of dated event an [`Expiring`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExpiryKind {
    NoticeDeadline,
    Renegotiation,
    GrantEnds,
    RenewalEnds,
    WindDownEnds,
    GrantBackSunset,
    AgreementEnds,
    PatentExpires,
}

impl ExpiryKind {
    pub fn word(self) -> &'static str {
        match self {
            ExpiryKind::NoticeDeadline => "notice deadline",
            ExpiryKind::Renegotiation => "renegotiation",
            ExpiryKind::GrantEnds => "grant ends",
            ExpiryKind::RenewalEnds => "renewal term ends",
            ExpiryKind::WindDownEnds => "wind-down ends",
            ExpiryKind::GrantBackSunset => "grant-back sunset",
            ExpiryKind::AgreementEnds => "agreement ends",
            ExpiryKind::PatentExpires => "patent expires",
        }
    }
}

/// A dated event within the expiry window.
#[derive(Debug, Clone)]
pub struct Expiring {
    /// The day it happens: for an end, the last day in force; for a notice, the last
    /// day to give it.
    pub date: Date,
    pub kind: ExpiryKind,
    /// The clause or patent it concerns: a grant id, a patent number, an agreement.
    pub subject: String,
    pub agreement: Option<String>,
    pub detail: String,
    /// The holdings row it concerns, when there is one.
    pub anchor: Option<String>,
}

/// A place in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One diagnostic of the checker.
#[derive(Debug, Clone)]
pub struct Finding {
    pub anchor: String,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub at: Location,
    pub label: String,
    /// Every other place involved, with its label.
    pub also: Vec<(Location, String)>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The holdings rows it concerns: (anchor, "grant id (asset)").
    pub rows: Vec<(String, String)>,
}

/// The report's options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub as_of: Date,
}

/// Asset name → the asset and the indexes of its grants (in the checker's context).
type AssetGrants = BTreeMap<String, (AssetId, Vec<usize>)>;

/// Computes the report.
pub fn build(
    model: &Model,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: Options,
) -> PortfolioReport {
    let as_of = options.as_of;
    let horizon = as_of.add_months(12).unwrap_or(Date::MAX);
    let ctx = Ctx::new(model);
    let location = |span: Span| {
        let lc = sources.line_col(span.file, span.start);
        Location {
            file: sources.name(span.file).to_string(),
            line: lc.line,
            column: lc.column,
        }
    };

    let agreements = model
        .agreements
        .iter()
        .map(|a| {
            let term = match (a.term, a.term_until_expiry) {
                (_, true) => match a.effective {
                    Some(e) => format!(
                        "commencing on {} and continuing until the last licensed patent expires",
                        long_date(e)
                    ),
                    None => "until the last licensed patent expires".to_string(),
                },
                (Some(t), false) => period_phrase(t.start, t.end),
                (None, false) => "no term stated".to_string(),
            };
            AgreementRow {
                title: a.title.clone(),
                kind: kind_word(a.kind),
                source: sources.name(a.file).to_string(),
                effective: a.effective,
                term,
                status: a.term.map(|t| Status::of(t, as_of)),
                grants: a.grants.len(),
            }
        })
        .collect();

    // Holdings: licensor → asset → grants. Assets no one licenses are listed under
    // their first owner, so that every asset of the portfolio appears.
    let mut by_licensor: BTreeMap<String, (PartyId, AssetGrants)> = BTreeMap::new();
    for (gi, g) in ctx.grants.iter().enumerate() {
        let licensor = g.grant.licensor;
        let entry = by_licensor
            .entry(model.party_name(licensor).to_string())
            .or_insert_with(|| (licensor, BTreeMap::new()));
        for a in &g.grant.assets {
            entry
                .1
                .entry(model.asset_name(*a).to_string())
                .or_insert_with(|| (*a, Vec::new()))
                .1
                .push(gi);
        }
    }
    let licensed: BTreeSet<AssetId> = ctx
        .grants
        .iter()
        .flat_map(|g| g.grant.assets.iter().copied())
        .collect();
    for (i, decl) in model.assets.iter().enumerate() {
        let id = AssetId(u32::try_from(i).unwrap_or(u32::MAX));
        if licensed.contains(&id) {
            continue;
        }
        let Some(owner) = decl.owners.first() else {
            continue;
        };
        by_licensor
            .entry(model.party_name(*owner).to_string())
            .or_insert_with(|| (*owner, BTreeMap::new()))
            .1
            .entry(decl.name.clone())
            .or_insert_with(|| (id, Vec::new()));
    }

    let mut anchors = Anchors::default();
    // Grant index (in ctx) → its holdings rows (anchor, asset name).
    let mut rows_of_grant: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
    let mut licensors = Vec::new();
    for (name, (party, assets)) in &by_licensor {
        let mut section = LicensorSection {
            party: name.clone(),
            legal_name: model
                .party(*party)
                .map(|p| p.legal_name.clone())
                .unwrap_or_default(),
            anchor: anchors.make(&format!("licensor-{name}")),
            assets: Vec::new(),
        };
        for (asset_name, (asset, grants)) in assets {
            let Some(decl) = model.asset(*asset) else {
                continue;
            };
            let mut grants = grants.clone();
            grants.sort_by(|x, y| {
                let (gx, gy) = (ctx.grants.get(*x), ctx.grants.get(*y));
                let key = |g: Option<&GrantInfo<'_>>| {
                    g.map(|g| (g.time.start, g.time.end.unwrap_or(Date::MAX)))
                };
                key(gx).cmp(&key(gy)).then(x.cmp(y))
            });
            let mut rows = Vec::new();
            for gi in grants {
                let Some(g) = ctx.grants.get(gi) else {
                    continue;
                };
                let anchor = anchors.make(&format!("h-{}-{asset_name}", g.grant.id));
                rows_of_grant
                    .entry(gi)
                    .or_default()
                    .push((anchor.clone(), asset_name.clone()));
                rows.push(holding(model, sources, g, anchor, as_of));
            }
            section.assets.push(AssetHoldings {
                asset: asset_name.clone(),
                term: asset_term(decl),
                kind: asset_kind_word(decl.kind),
                owners: decl
                    .owners
                    .iter()
                    .map(|p| model.party_name(*p).to_string())
                    .collect(),
                anchor: anchors.make(&format!("asset-{name}-{asset_name}")),
                life: life(decl, as_of),
                rows,
            });
        }
        licensors.push(section);
    }

    // Findings, linked both ways with the holdings rows of the grants they concern.
    let mut findings = Vec::new();
    for (di, d) in diagnostics.iter().enumerate() {
        let spans: Vec<Span> = std::iter::once(d.primary.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .collect();
        let mut rows = Vec::new();
        for (gi, g) in ctx.grants.iter().enumerate() {
            if spans.iter().any(|s| span_contains(g.grant.span, *s)) {
                for (anchor, asset) in rows_of_grant.get(&gi).into_iter().flatten() {
                    rows.push((anchor.clone(), format!("{} ({asset})", g.grant.id)));
                }
            }
        }
        findings.push(Finding {
            anchor: format!("finding-{}", di + 1),
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
            at: location(d.primary.span),
            label: d.primary.message.clone(),
            also: d
                .secondary
                .iter()
                .map(|l| (location(l.span), l.message.clone()))
                .collect(),
            help: d.help.clone(),
            notes: d.notes.clone(),
            rows,
        });
    }
    for section in &mut licensors {
        for asset in &mut section.assets {
            for row in &mut asset.rows {
                row.findings = findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.rows.iter().any(|(a, _)| *a == row.anchor))
                    .map(|(i, _)| i)
                    .collect();
            }
        }
    }

    let mut coverage = Vec::new();
    let mut assets: Vec<(&str, AssetId)> = model
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.name.as_str(),
                AssetId(u32::try_from(i).unwrap_or(u32::MAX)),
            )
        })
        .collect();
    assets.sort();
    for (name, id) in assets {
        coverage.push(asset_coverage(
            &ctx,
            id,
            as_of,
            anchors.make(&format!("coverage-{name}")),
        ));
    }

    let expiring = expiring(&ctx, as_of, horizon, &rows_of_grant);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    PortfolioReport {
        as_of,
        horizon,
        files: sources.files().len(),
        agreements,
        licensors,
        coverage,
        expiring,
        findings,
        errors,
        warnings: diagnostics.len() - errors,
    }
}

fn kind_word(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::CrossLicense => "cross-license",
        AgreementKind::License => "license",
        AgreementKind::Pool => "patent pool",
    }
}

fn asset_kind_word(k: AssetKind) -> &'static str {
    match k {
        AssetKind::Patent => "patent",
        AssetKind::PatentFamily => "patent family",
        AssetKind::PatentsFiled => "patents filed in a period",
        AssetKind::KnowHow => "know-how",
        AssetKind::TradeSecret => "trade secret",
        AssetKind::Software => "software",
        AssetKind::Data => "data",
    }
}

/// A territory in words, with the codes when it is too long for a sentence.
fn territory_words(set: TerritorySet) -> String {
    territory_phrase(set).unwrap_or_else(|| format!("in {}", set.describe()))
}

fn licensees_words(model: &Model, g: &GrantInfo<'_>) -> String {
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

fn holding(
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
        territory: territory_words(grant.territory),
        term,
        last_day: g.time.end.map(crate::emit::prose::last_day),
        status: Status::of(g.time, as_of),
        grant: grant.id.clone(),
        agreement: g.agreement.title.clone(),
        location: format!("{}:{}", sources.name(grant.header.file), lc.line),
        findings: Vec::new(),
    }
}

fn life(decl: &crate::model::AssetDecl, as_of: Date) -> AssetLife {
    let patents: Vec<PatentLife> = decl
        .patents
        .iter()
        .map(|p| PatentLife {
            number: p.number.clone(),
            territory: territory_words(p.territory),
            last_day: p.expires.map(crate::emit::prose::last_day),
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

/// The coverage matrix of one asset on `as_of`.
fn asset_coverage(ctx: &Ctx<'_>, asset: AssetId, as_of: Date, anchor: String) -> AssetCoverage {
    let model = ctx.model;
    let decl = model.asset(asset);
    // Where the asset exists on the date.
    let exists = decl
        .map(|d| {
            scope::existence(d)
                .into_iter()
                .filter(|(_, t)| Status::of(*t, as_of) == Status::InForce)
                .fold(TerritorySet::empty(), |acc, (set, _)| acc.union(set))
        })
        .unwrap_or_default();
    let active: Vec<&GrantInfo<'_>> = ctx
        .grants
        .iter()
        .filter(|g| g.grant.assets.contains(&asset) && Status::of(g.time, as_of) == Status::InForce)
        .collect();
    let tops: Vec<FieldId> = model
        .fields
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.parent.is_none())
        .map(|(i, _)| FieldId(u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    // Countries that every grant treats alike share their cells: group them first.
    let mut groups: BTreeMap<(bool, Vec<usize>), TerritorySet> = BTreeMap::new();
    for c in TerritorySet::worldwide().iter() {
        let present = exists.contains(c);
        let reach: Vec<usize> = if present {
            active
                .iter()
                .enumerate()
                .filter(|(_, g)| g.grant.territory.contains(c))
                .map(|(i, _)| i)
                .collect()
        } else {
            Vec::new()
        };
        groups
            .entry((present, reach))
            .or_insert_with(TerritorySet::empty)
            .insert(c);
    }
    // Then merge the groups whose cells are equal in every row.
    let mut columns: BTreeMap<Vec<CoverageCell>, TerritorySet> = BTreeMap::new();
    for ((present, reach), set) in groups {
        let cells: Vec<CoverageCell> = tops
            .iter()
            .map(|top| {
                if !present {
                    return CoverageCell {
                        level: Level::NoPatent,
                        partial: false,
                        holders: Vec::new(),
                    };
                }
                let grants: Vec<&GrantInfo<'_>> = reach
                    .iter()
                    .filter_map(|i| active.get(*i).copied())
                    .collect();
                cell(ctx, &grants, *top)
            })
            .collect();
        let entry = columns.entry(cells).or_insert_with(TerritorySet::empty);
        *entry = entry.union(set);
    }
    let largest = columns.values().map(TerritorySet::len).max().unwrap_or(0);
    let mut cols: Vec<(TerritorySet, Vec<CoverageCell>)> = columns
        .into_iter()
        .map(|(cells, set)| (set, cells))
        .collect();
    // Small groups first, by their first country code; the largest group, when it is
    // too big to name, last as "Other countries".
    let is_rest = |s: &TerritorySet| cols_rest(s, largest);
    cols.sort_by(|(a, _), (b, _)| {
        (is_rest(a), a.codes().first().copied()).cmp(&(is_rest(b), b.codes().first().copied()))
    });
    let columns: Vec<CoverageColumn> = cols
        .iter()
        .map(|(set, _)| CoverageColumn {
            label: column_label(*set, is_rest(set)),
            words: countries_words(*set),
            countries: set.len(),
        })
        .collect();
    let rows = tops
        .iter()
        .enumerate()
        .map(|(ri, top)| CoverageRow {
            field: field_label(&model.fields, *top),
            path: model.fields.path(*top).to_string(),
            cells: cols
                .iter()
                .filter_map(|(_, cells)| cells.get(ri).cloned())
                .collect(),
        })
        .collect();
    AssetCoverage {
        asset: model.asset_name(asset).to_string(),
        term: decl.map(asset_term).unwrap_or_default(),
        anchor,
        columns,
        rows,
        grants_counted: active.len(),
    }
}

/// Whether a column is the big remainder, named "Other countries".
fn cols_rest(set: &TerritorySet, largest: usize) -> bool {
    set.len() == largest && set.len() > 6 && *set != TerritorySet::worldwide()
}

/// The strongest license of a cell: the grants reaching its countries, over the
/// subtree of one top-level field.
fn cell(ctx: &Ctx<'_>, grants: &[&GrantInfo<'_>], top: FieldId) -> CoverageCell {
    let end = ctx.model.fields.get(top).map_or(top.0 + 1, |n| n.end);
    let subtree = FieldSet::from_ranges(vec![(top.0, end)]);
    let touching: Vec<&GrantInfo<'_>> = grants
        .iter()
        .copied()
        .filter(|g| !g.grant.fields.intersection(&subtree).is_empty() && !g.grant.rights.is_empty())
        .collect();
    let Some(level) = touching
        .iter()
        .map(|g| Level::of(g.grant.exclusivity))
        .max()
    else {
        return CoverageCell {
            level: Level::NotLicensed,
            partial: false,
            holders: Vec::new(),
        };
    };
    let strongest: Vec<&GrantInfo<'_>> = touching
        .into_iter()
        .filter(|g| Level::of(g.grant.exclusivity) == level)
        .collect();
    let partial = subtree.ids().any(|node| {
        let rights = strongest
            .iter()
            .filter(|g| g.grant.fields.contains(node))
            .fold(0u16, |acc, g| acc | g.grant.rights.0);
        RightSet(rights) != RightSet::all()
    });
    let holders: BTreeSet<String> = strongest
        .iter()
        .flat_map(|g| g.grant.licensees.iter())
        .map(|p| short_name(ctx.model, *p))
        .collect();
    CoverageCell {
        level,
        partial,
        holders: holders.into_iter().collect(),
    }
}

/// A short column header for a set of countries.
fn column_label(set: TerritorySet, rest: bool) -> String {
    let codes = set.codes();
    if set == TerritorySet::worldwide() {
        return "Worldwide".to_string();
    }
    if set == TerritorySet::eu() {
        return "EU".to_string();
    }
    if set == TerritorySet::eea() {
        return "EEA".to_string();
    }
    if codes.len() <= 4 {
        return codes.join(", ");
    }
    for (bloc, name) in [(TerritorySet::eu(), "EU"), (TerritorySet::eea(), "EEA")] {
        let missing = bloc.difference(set);
        if set.is_subset(&bloc) && missing.len() <= 3 {
            return format!("{name} except {}", missing.codes().join(", "));
        }
    }
    if rest {
        "Other countries".to_string()
    } else {
        format!("{} countries", codes.len())
    }
}

/// A set of countries in words for the legend.
fn countries_words(set: TerritorySet) -> String {
    if set == TerritorySet::worldwide() {
        return "every country".to_string();
    }
    let missing = TerritorySet::worldwide().difference(set);
    if missing.len() < set.len() {
        if let Some(p) = countries_phrase(missing) {
            return format!("every country except {p}");
        }
    }
    countries_phrase(set).unwrap_or_else(|| set.describe())
}

fn minus(d: Date, by: Duration) -> Option<Date> {
    let n = -i64::from(by.amount);
    match by.unit {
        DurationUnit::Days => d.add_days(n),
        DurationUnit::Months => d.add_months(n),
        DurationUnit::Years => d.add_years(n),
    }
}

/// Every dated event in `[as_of, horizon)`, by date.
fn expiring(
    ctx: &Ctx<'_>,
    as_of: Date,
    horizon: Date,
    rows_of_grant: &BTreeMap<usize, Vec<(String, String)>>,
) -> Vec<Expiring> {
    let model = ctx.model;
    let within = |d: Date| as_of <= d && d < horizon;
    let mut out = Vec::new();
    for a in &model.agreements {
        if let Some(e) = a.term.and_then(|t| t.end) {
            let last = crate::emit::prose::last_day(e);
            if within(last) {
                out.push(Expiring {
                    date: last,
                    kind: ExpiryKind::AgreementEnds,
                    subject: a.title.clone(),
                    agreement: Some(a.title.clone()),
                    detail: format!("The agreement\u{2019}s term ends on {}.", long_date(last)),
                    anchor: None,
                });
            }
        }
        for imp in &a.improvements {
            for rule in &imp.rules {
                let Some(s) = rule.sunset else { continue };
                let last = crate::emit::prose::last_day(s);
                if within(last) {
                    out.push(Expiring {
                        date: last,
                        kind: ExpiryKind::GrantBackSunset,
                        subject: crate::emit::prose::flow_id(model, rule),
                        agreement: Some(a.title.clone()),
                        detail: format!(
                            "The rule on improvements stops applying after {}.",
                            long_date(last)
                        ),
                        anchor: None,
                    });
                }
            }
        }
    }
    for (gi, g) in ctx.grants.iter().enumerate() {
        let anchor = rows_of_grant
            .get(&gi)
            .and_then(|v| v.first())
            .map(|(a, _)| a.clone());
        let mut push = |date: Date, kind: ExpiryKind, detail: String| {
            if within(date) {
                out.push(Expiring {
                    date,
                    kind,
                    subject: g.grant.id.clone(),
                    agreement: Some(g.agreement.title.clone()),
                    detail,
                    anchor: anchor.clone(),
                });
            }
        };
        let Some(end) = g.time.end else { continue };
        let last = crate::emit::prose::last_day(end);
        let index = g
            .agreement
            .grants
            .iter()
            .position(|x| std::ptr::eq(x, g.grant));
        let sunset = g
            .agreement
            .sunsets
            .iter()
            .find(|s| s.grant.is_some() && s.grant == index);
        let renewable = sunset.is_some_and(|s| !s.renewals.is_empty());
        push(
            last,
            ExpiryKind::GrantEnds,
            format!(
                "The {} license to {} ends on {}{}.",
                g.grant.exclusivity.keyword(),
                licensees_words(model, g),
                long_date(last),
                if renewable {
                    " unless it is renewed"
                } else {
                    ""
                }
            ),
        );
        let Some(s) = sunset else { continue };
        // Renewal periods, one after another from the end of the base term.
        let mut at = end;
        let mut round = 0u32;
        for r in &s.renewals {
            let times = r.max_times.unwrap_or(u32::MAX);
            let mut k = 0u32;
            while k < times && round < 200 {
                if let Some(notice) = r.notice {
                    if let Some(deadline) = minus(at, notice) {
                        let what = if r.automatic {
                            "give notice of non-renewal"
                        } else {
                            "ask to renew"
                        };
                        let which = if round == 0 {
                            "the term".to_string()
                        } else {
                            format!("renewal term {round}")
                        };
                        push(
                            deadline,
                            ExpiryKind::NoticeDeadline,
                            format!(
                                "Last day to {what} ({} before {which} ends on {}).",
                                crate::emit::prose::duration(notice),
                                long_date(crate::emit::prose::last_day(at))
                            ),
                        );
                    }
                }
                let Some(next) = at.add_duration(r.period) else {
                    break;
                };
                round += 1;
                k += 1;
                if r.automatic {
                    let last = crate::emit::prose::last_day(next);
                    push(
                        last,
                        ExpiryKind::RenewalEnds,
                        format!(
                            "If renewed automatically, renewal term {round} ends on {}.",
                            long_date(last)
                        ),
                    );
                }
                at = next;
                if at >= horizon {
                    break;
                }
            }
        }
        if let Some(w) = s.wind_down.and_then(|d| end.add_duration(d)) {
            let last = crate::emit::prose::last_day(w);
            push(
                last,
                ExpiryKind::WindDownEnds,
                format!(
                    "The sell-off period after the base term ends on {}.",
                    long_date(last)
                ),
            );
        }
        for period in &s.renegotiate_every {
            let mut k: u32 = 1;
            while let Some(d) = g.time.start.add_duration(Duration {
                amount: period.amount.saturating_mul(k),
                unit: period.unit,
            }) {
                if d >= end || d >= horizon || k > 200 {
                    break;
                }
                push(
                    d,
                    ExpiryKind::Renegotiation,
                    format!(
                        "Renegotiation of the commercial terms (every {}).",
                        crate::emit::prose::duration(*period)
                    ),
                );
                k += 1;
            }
        }
    }
    let mut assets: Vec<&crate::model::AssetDecl> = model.assets.iter().collect();
    assets.sort_by(|a, b| a.name.cmp(&b.name));
    for decl in assets {
        for p in &decl.patents {
            let Some(e) = p.expires else { continue };
            let last = crate::emit::prose::last_day(e);
            if within(last) {
                out.push(Expiring {
                    date: last,
                    kind: ExpiryKind::PatentExpires,
                    subject: p.number.clone(),
                    agreement: None,
                    detail: format!(
                        "Patent of `{}` {}; last day in force {}.",
                        decl.name,
                        territory_words(p.territory),
                        long_date(last)
                    ),
                    anchor: None,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.date, a.kind, &a.agreement, &a.subject, &a.detail).cmp(&(
            b.date,
            b.kind,
            &b.agreement,
            &b.subject,
            &b.detail,
        ))
    });
    out.dedup_by(|a, b| {
        a.date == b.date && a.kind == b.kind && a.subject == b.subject && a.detail == b.detail
    });
    out
}

/// Allocates report-unique anchors.
#[derive(Debug, Default)]
struct Anchors {
    used: BTreeSet<String>,
}

impl Anchors {
    fn make(&mut self, base: &str) -> String {
        let mut slug = String::new();
        for c in base.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            };
            if c == '-' && slug.ends_with('-') {
                continue;
            }
            slug.push(c);
        }
        let slug = slug.trim_matches('-');
        let slug = if slug.is_empty() { "x" } else { slug };
        let mut candidate = slug.to_string();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn set(codes: &[&str]) -> TerritorySet {
        TerritorySet::from_codes(codes).unwrap()
    }

    #[test]
    fn column_labels() {
        assert_eq!(column_label(set(&["FR", "DE"]), false), "DE, FR");
        assert_eq!(column_label(TerritorySet::eu(), false), "EU");
        assert_eq!(column_label(TerritorySet::worldwide(), true), "Worldwide");
        let eu_but_de = TerritorySet::eu().difference(set(&["DE"]));
        assert_eq!(column_label(eu_but_de, false), "EU except DE");
        let many = set(&["US", "CA", "MX", "BR", "AR", "CL"]);
        assert_eq!(column_label(many, false), "6 countries");
        assert_eq!(column_label(many, true), "Other countries");
    }

    #[test]
    fn notice_periods_count_back() {
        let d = |s: &str| Date::parse(s).unwrap();
        let days = |n| Duration {
            amount: n,
            unit: DurationUnit::Days,
        };
        assert_eq!(minus(d("2027-07-01"), days(60)), Some(d("2027-05-02")));
        let months = Duration {
            amount: 1,
            unit: DurationUnit::Months,
        };
        assert_eq!(minus(d("2027-03-31"), months), Some(d("2027-02-28")));
    }
}
