//! The portfolio report (`xlic report`): what a licensing manager reads across many
//! agreements at once. [`build`] computes a [`PortfolioReport`] from the checked
//! [`Model`], its rights ledger and the checker's diagnostics; `markdown.rs` and
//! `html.rs` render it. Who may do what, where and until when — a row's territory,
//! term and status, the assets' patents, the coverage cells and the dated ends — is
//! read from the ledger, never derived here.
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
//!    there), the cell says so. A cell tells a conflict (an exclusive license that a
//!    license of another licensee overlaps, linked to its findings) from exclusives
//!    that only share the row's field (split), names who keeps rights by a
//!    reservation; a partial or split row is followed by rows for its sub-fields; a
//!    top-level field no clause of the asset reaches is left out.
//! 3. **Expiring**: every dated event in the twelve months from the as-of date:
//!    the last day of a grant or agreement, of a patent, of a wind-down or of an
//!    automatic renewal, the last day to give notice of non-renewal, renegotiation
//!    dates and grant-back sunsets.
//! 4. **Findings**: every diagnostic (errors and warnings) with its code, message and
//!    locations, linked to the holdings rows of the grants it concerns.
//!
//! Every list is in a defined order, so the output is byte-identical across runs.

mod coverage;
mod expiring;
mod holdings;
pub mod html;
pub mod markdown;

use crate::text::{agreement_kind_words, asset_kind_words};
use coverage::asset_coverage;
use expiring::expiring;
use holdings::{holding, licensees_words, life};

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Severity};
use crate::emit::prose::{span_contains, Anchors};
use crate::ledger::view::{Ctx, GrantInfo};
use crate::ledger::Ledger;
use crate::model::{AssetId, Interval, Model, PartyId};
use crate::source::{SourceMap, Span};
use crate::text::{asset_term, long_date, period_phrase};
use crate::vocab::ExclusivityKind;
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
    /// After the license's end, in its wind-down: only selling off is licensed.
    WindingDown,
    /// The term runs, but no licensed patent of the asset is in force anywhere in its
    /// territory: nothing is licensed on the date.
    NothingInForce,
    Expired,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::NotYet => "not yet in force",
            Status::InForce => "in force",
            Status::WindingDown => "winding down (sell-off only)",
            Status::NothingInForce => "no licensed patent in force",
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
    /// A pending application (rights: issue 15): not in force until granted.
    pub pending: bool,
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
    /// Exclusive (or sole) licenses of different licensees each hold their own part of
    /// the field: they share the row's field but no sub-field, subject and right.
    pub split: bool,
    /// Exclusive (or sole) licenses of different licensees overlap in a sub-field, on a
    /// subject, with a right: a conflict.
    pub conflict: bool,
    /// The licensees at this strength, by short name, sorted.
    pub holders: Vec<String>,
    /// The ids of the grants in conflict, sorted.
    pub conflict_grants: Vec<String>,
    /// Who keeps rights here by a reservation in force (short names, sorted).
    pub reserved: Vec<String>,
    /// The anchors of the findings about the grants in conflict.
    pub findings: Vec<String>,
}

impl CoverageCell {
    /// A cell with nothing but its level.
    pub fn plain(level: Level) -> CoverageCell {
        CoverageCell {
            level,
            partial: false,
            split: false,
            conflict: false,
            holders: Vec::new(),
            conflict_grants: Vec::new(),
            reserved: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The cell in words: "exclusive: Globex", "non-exclusive (part): Globex, Initech",
    /// "exclusive, split by sub-field: Globex, Initech", "conflict (exclusive): Globex,
    /// Initech", "not licensed", each followed by "; reserved by Acme" when a
    /// reservation keeps rights there.
    pub fn text(&self) -> String {
        let part = if self.partial { " (part)" } else { "" };
        let level = if self.conflict {
            format!("conflict ({})", self.level.word())
        } else if self.split {
            format!("{}, split by sub-field", self.level.word())
        } else {
            self.level.word().to_string()
        };
        let mut out = if self.holders.is_empty() {
            format!("{level}{part}")
        } else {
            format!("{level}{part}: {}", self.holders.join(", "))
        };
        if !self.reserved.is_empty() {
            out.push_str(&format!("; reserved by {}", self.reserved.join(", ")));
        }
        out
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
    /// 0 for a top-level field, 1 for its sub-field, and so on.
    pub depth: usize,
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
    /// The top-level fields no grant or reservation of the asset reaches, at any time:
    /// left out of the matrix.
    pub left_out: Vec<String>,
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

/// Computes the report from the model and its rights ledger (`Compilation.ledger`; a
/// caller with only a model builds one with `Ledger::build`): who holds what, where and
/// until when, the coverage and the dated ends are the ledger's.
pub fn build(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    options: Options,
) -> PortfolioReport {
    let as_of = options.as_of;
    let horizon = as_of.add_months(12).unwrap_or(Date::MAX);
    let ctx = Ctx::new(model, ledger);
    let location = |span: Span| {
        let lc = sources.line_col(span.file, span.start);
        Location {
            file: sources.document_name(span.file),
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
                kind: agreement_kind_words(a.kind),
                source: sources.document_name(a.file),
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
                    g.map(|g| {
                        let t = g.entry.effective_time();
                        (t.start, t.end.unwrap_or(Date::MAX))
                    })
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
                rows.push(holding(&ctx, sources, g, *asset, anchor, as_of));
            }
            section.assets.push(AssetHoldings {
                asset: asset_name.clone(),
                term: asset_term(decl),
                kind: asset_kind_words(decl.kind),
                owners: decl
                    .owners
                    .iter()
                    .map(|p| model.party_name(*p).to_string())
                    .collect(),
                anchor: anchors.make(&format!("asset-{name}-{asset_name}")),
                life: life(ledger, decl, *asset, as_of),
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
    // A conflict cell links to the findings about two or more of its grants on this
    // asset (an overlap names both grants; a finding about one grant is not this one).
    for c in &mut coverage {
        let asset = c.asset.clone();
        for row in &mut c.rows {
            for cell in &mut row.cells {
                cell.findings = findings
                    .iter()
                    .filter(|f| {
                        cell.conflict_grants
                            .iter()
                            .filter(|g| f.rows.iter().any(|(_, l)| *l == format!("{g} ({asset})")))
                            .count()
                            >= 2
                    })
                    .map(|f| f.anchor.clone())
                    .collect();
            }
        }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::coverage::column_label;
    use super::expiring::minus;
    use super::*;
    use crate::date::{Duration, DurationUnit};
    use crate::territory::TerritorySet;

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
