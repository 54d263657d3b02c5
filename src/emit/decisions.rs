//! The decision table behind the Cedar and Rego exports: for every asset, the regions
//! of the request space (party, right, field, country, day) in which `xlic query`
//! answers `permit`, and those in which it answers `no_license_needed`, as a list of
//! boxes. Everything else is `deny`.
//!
//! The table is not a second derivation of the rights: it asks the evaluator itself.
//! For one asset, every fact the evaluator compares a request with — the pieces on the
//! asset's subjects and their clauses' fields and territories, the subjects' lives, the
//! terms of the grants that reach anyone for it — cuts each dimension into classes
//! (days into intervals between consecutive boundary dates, countries and field nodes
//! into groups that every one of those sets either holds entirely or not at all). The
//! answer is the same for every point of one cell of that grid, so one request per cell
//! to [`Evaluator::evaluate`] decides the cell; adjacent cells with the same decision
//! and the same permitting clauses are then merged into boxes, one dimension at a time.

use crate::date::Date;
use crate::ledger::{Clause, Ledger};
use crate::model::{AssetId, FieldSet, Model, PartyId};
use crate::policy::read::{load, Loaded};
use crate::policy::Policy;
use crate::query::{Decision, Evaluator, QueryError, ReasonKind, Request};
use crate::territory::TerritorySet;
use crate::vocab::Right;
use std::collections::{BTreeMap, BTreeSet};

/// A half-open period of days; `until: None` has no end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub from: Date,
    pub until: Option<Date>,
}

/// Where `xlic query` permits: these parties, rights, field nodes, countries and days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitBox {
    /// Indexes into the policy's parties, sorted.
    pub parties: Vec<usize>,
    pub rights: Vec<Right>,
    /// Indexes into the policy's fields (pre-order), sorted.
    pub fields: Vec<u32>,
    pub countries: TerritorySet,
    pub span: Span,
    /// What permits there, as the answer cites it: `owner`, or `AGREEMENT.CLAUSE` of
    /// each permitting grant or retained reservation, sorted.
    pub reasons: Vec<String>,
}

/// Where no patent of an asset is in force: `xlic query` answers `no_license_needed`
/// to every party, right and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeBox {
    pub countries: TerritorySet,
    pub span: Span,
}

/// One asset's boxes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssetTable {
    pub permits: Vec<PermitBox>,
    pub free: Vec<FreeBox>,
}

/// The decision table of a policy: per asset (the policy's order), its boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub assets: Vec<AssetTable>,
}

fn u32_of(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Groups the members of a universe by the sets that hold them: members held by
/// exactly the same sets share a class. Classes in the order of their first member.
fn classes<T: Copy + Ord>(universe: &[T], holds: &[&dyn Fn(T) -> bool]) -> Vec<Vec<T>> {
    let mut by_signature: BTreeMap<Vec<bool>, usize> = BTreeMap::new();
    let mut out: Vec<Vec<T>> = Vec::new();
    for &x in universe {
        let signature: Vec<bool> = holds.iter().map(|h| h(x)).collect();
        let k = *by_signature.entry(signature).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        if let Some(class) = out.get_mut(k) {
            class.push(x);
        }
    }
    out
}

/// The facts of one asset the evaluator compares requests with.
struct Facts {
    parties: BTreeSet<PartyId>,
    territories: Vec<TerritorySet>,
    fields: Vec<FieldSet>,
    dates: BTreeSet<Date>,
}

fn facts(model: &Model, ledger: &Ledger, asset: AssetId) -> Facts {
    let mut f = Facts {
        parties: BTreeSet::new(),
        territories: Vec::new(),
        fields: Vec::new(),
        dates: BTreeSet::from([Date::MIN]),
    };
    if let Some(a) = model.asset(asset) {
        f.parties.extend(a.owners.iter().copied());
    }
    let subjects = ledger.subjects_of(asset);
    for s in subjects {
        if let Some(x) = ledger.subject(*s) {
            f.territories.push(x.territory);
            f.dates.extend(x.expires);
        }
    }
    let mut grants: BTreeSet<usize> = BTreeSet::new();
    let mut reservations: BTreeSet<usize> = BTreeSet::new();
    for s in subjects {
        for (_, p) in ledger.pieces_on(*s) {
            f.territories.push(p.territory);
            f.dates.insert(p.time.start);
            f.dates.extend(p.time.end);
            match p.clause {
                Clause::Grant(g) => grants.insert(g),
                Clause::Reservation(r) => reservations.insert(r),
                // clauses (issue 15): never in the ledger's pieces.
                Clause::FirstRight(_) => false,
            };
        }
    }
    // A grant of the asset that licenses nothing in force still reaches its parties.
    for (i, g) in ledger.grants.iter().enumerate() {
        if ledger
            .grant_model(model, g)
            .is_some_and(|m| m.assets.contains(&asset))
        {
            grants.insert(i);
        }
    }
    for g in grants.iter().filter_map(|&i| ledger.grant(i)) {
        f.parties.extend(g.reach.iter().copied());
        f.dates.insert(g.time.start);
        f.dates.extend(g.time.end);
        f.dates.extend(g.window.end);
        for (t, e) in &g.ends {
            f.territories.push(*t);
            f.dates.extend(*e);
        }
        if let Some(m) = ledger.grant_model(model, g) {
            f.fields.push(m.fields.clone());
            f.fields.push(m.field_include.clone());
            f.fields.push(m.field_exclude.clone());
            f.territories.push(m.territory);
            f.territories.push(m.territory_include);
            f.territories.push(m.territory_exclude);
        }
    }
    for e in reservations
        .iter()
        .filter_map(|&r| ledger.reservations.get(r))
    {
        let Some(m) = model
            .agreements
            .get(e.agreement)
            .and_then(|a| a.reservations.get(e.index))
        else {
            continue;
        };
        f.parties.extend(m.holder);
        f.fields.push(m.fields.clone());
        f.territories.push(m.territory);
    }
    f
}

/// The cells of one asset's grid: field classes, country classes and day spans.
struct Grid {
    fields: Vec<Vec<u32>>,
    countries: Vec<TerritorySet>,
    spans: Vec<Span>,
}

fn grid(f: &Facts, field_count: usize) -> Grid {
    let nodes: Vec<u32> = (0..field_count).map(u32_of).collect();
    let field_tests: Vec<Box<dyn Fn(u32) -> bool + '_>> = f
        .fields
        .iter()
        .map(|s| {
            Box::new(move |n: u32| s.contains(crate::model::FieldId(n))) as Box<dyn Fn(u32) -> bool>
        })
        .collect();
    let field_refs: Vec<&dyn Fn(u32) -> bool> = field_tests.iter().map(|b| b.as_ref()).collect();
    let all: Vec<u8> = TerritorySet::worldwide().iter().collect();
    let country_tests: Vec<Box<dyn Fn(u8) -> bool + '_>> = f
        .territories
        .iter()
        .map(|t| Box::new(move |c: u8| t.contains(c)) as Box<dyn Fn(u8) -> bool>)
        .collect();
    let country_refs: Vec<&dyn Fn(u8) -> bool> = country_tests.iter().map(|b| b.as_ref()).collect();
    let countries = classes(&all, &country_refs)
        .into_iter()
        .map(|class| {
            let mut t = TerritorySet::empty();
            for c in class {
                t.insert(c);
            }
            t
        })
        .collect();
    let dates: Vec<Date> = f.dates.iter().copied().collect();
    let spans = dates
        .iter()
        .enumerate()
        .map(|(i, d)| Span {
            from: *d,
            until: dates.get(i + 1).copied(),
        })
        .collect();
    Grid {
        fields: classes(&nodes, &field_refs),
        countries,
        spans,
    }
}

/// What permits in one permitted cell (see [`PermitBox::reasons`]).
type Verdict = Vec<String>;

/// How a box names one permitting reason: `owner`, `AGREEMENT.CLAUSE` for a grant or
/// a named reservation, `AGREEMENT.retained` for a reservation without a name.
pub fn reason_label(r: &crate::query::Reason) -> String {
    match (r.kind, &r.agreement, &r.clause) {
        (ReasonKind::Owner, _, _) => "owner".to_string(),
        (_, Some(a), Some(c)) => format!("{a}.{c}"),
        (ReasonKind::Retained, Some(a), None) => format!("{a}.retained"),
        (kind, a, _) => format!("{}.{kind:?}", a.as_deref().unwrap_or("")),
    }
}

fn reasons_of(answer: &crate::query::Answer) -> Vec<String> {
    let mut out: Vec<String> = answer.reasons.iter().map(reason_label).collect();
    out.sort();
    out.dedup();
    out
}

/// Merges cells `(key, item)` that share everything but one coordinate: their items
/// are unioned by `join`.
fn merge<K: Ord + Clone, I>(cells: Vec<(K, I)>, mut join: impl FnMut(&mut I, I)) -> Vec<(K, I)> {
    let mut map: BTreeMap<K, I> = BTreeMap::new();
    for (k, i) in cells {
        match map.get_mut(&k) {
            Some(have) => join(have, i),
            None => {
                map.insert(k, i);
            }
        }
    }
    map.into_iter().collect()
}

/// Consecutive spans joined into runs (the spans of one grid never overlap).
fn runs(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if last.until == Some(s.from) => last.until = s.until,
            _ => out.push(s),
        }
    }
    out
}

/// Builds the decision table of a policy by asking its evaluator once per cell.
pub fn table(policy: &Policy) -> Result<Table, QueryError> {
    let evaluator = Evaluator::new(policy)?;
    let Loaded { model, ledger } = load(policy).map_err(|e| QueryError { message: e.message })?;
    let mut assets = Vec::with_capacity(policy.assets.len());
    let (Some(any_party), Some(_)) = (policy.parties.first(), policy.fields.first()) else {
        // No request can name a party and a field: nothing to decide.
        return Ok(Table {
            assets: vec![AssetTable::default(); policy.assets.len()],
        });
    };
    for (ai, asset) in policy.assets.iter().enumerate() {
        let f = facts(&model, &ledger, AssetId(u32_of(ai)));
        let g = grid(&f, policy.fields.len());
        let ask = |party: &str, right: Right, field: u32, country: u8, day: Date| {
            let request = Request {
                licensee: party.to_string(),
                asset: asset.id.clone(),
                right: right.keyword().to_string(),
                field: policy
                    .fields
                    .get(field as usize)
                    .map(|x| x.id.clone())
                    .unwrap_or_default(),
                territory: crate::iso::country_by_index(country)
                    .map(|c| c.code.to_string())
                    .unwrap_or_default(),
                date: day.to_string(),
                // The exports answer requests that name no purpose (issue 15): a
                // purpose-limited license then permits nothing, as in `xlic query`.
                purpose: None,
                // Named parties and affiliates only: an unnamed affiliate by control
                // is asked about with `xlic query --affiliate` (terms: issue 15).
                affiliate: None,
            };
            evaluator.evaluate(&request)
        };
        // Where nothing is in force, whoever asks for whatever.
        let mut free: Vec<((TerritorySet, ()), Vec<Span>)> = Vec::new();
        let field0 = g
            .fields
            .first()
            .and_then(|c| c.first())
            .copied()
            .unwrap_or(0);
        for t in &g.countries {
            let Some(c) = t.first() else { continue };
            let mut spans = Vec::new();
            for s in &g.spans {
                let a = ask(&any_party.id, Right::Use, field0, c, s.from)?;
                if a.decision == Decision::NoLicenseNeeded {
                    spans.push(*s);
                }
            }
            free.push(((*t, ()), spans));
        }
        let mut free_boxes: Vec<FreeBox> = Vec::new();
        // Countries with the same runs of days share a box.
        let by_runs = merge(
            free.into_iter()
                .map(|((t, ()), spans)| (runs(spans), t))
                .collect(),
            |a, b| *a = a.union(b),
        );
        for (spans, countries) in by_runs {
            for span in spans {
                free_boxes.push(FreeBox { countries, span });
            }
        }
        free_boxes
            .sort_by(|a, b| (a.span, a.countries.codes()).cmp(&(b.span, b.countries.codes())));

        // Where each party is permitted.
        let mut cells: Vec<(Verdict, usize, Right, usize, usize, Span)> = Vec::new();
        for p in &f.parties {
            let Some(party) = policy.parties.get(p.0 as usize) else {
                continue;
            };
            for right in Right::ALL {
                for (fi, fc) in g.fields.iter().enumerate() {
                    let Some(&node) = fc.first() else { continue };
                    for (ci, t) in g.countries.iter().enumerate() {
                        let Some(c) = t.first() else { continue };
                        for s in &g.spans {
                            let a = ask(&party.id, right, node, c, s.from)?;
                            if a.decision == Decision::Permit {
                                cells.push((reasons_of(&a), p.0 as usize, right, fi, ci, *s));
                            }
                        }
                    }
                }
            }
        }
        let permits = merge_permits(cells, &g);
        assets.push(AssetTable {
            permits,
            free: free_boxes,
        });
    }
    Ok(Table { assets })
}

type Cell = (Verdict, usize, Right, usize, usize, Span);

/// A run of days for one (reasons, party, field class, country class).
type DayRun = (Verdict, usize, usize, usize, Span);

/// Merges permitted cells into boxes: days into runs, then rights, fields, countries
/// and parties that share the rest.
fn merge_permits(cells: Vec<Cell>, g: &Grid) -> Vec<PermitBox> {
    // Days: per (reasons, party, right, field class, country class).
    let by_days = merge(
        cells
            .into_iter()
            .map(|(v, p, r, fi, ci, s)| ((v, p, r, fi, ci), vec![s]))
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let mut boxes: Vec<(DayRun, Vec<Right>)> = Vec::new();
    for ((v, p, r, fi, ci), spans) in by_days {
        for s in runs(spans) {
            boxes.push(((v.clone(), p, fi, ci, s), vec![r]));
        }
    }
    // Rights.
    let by_rights = merge(boxes, |a, mut b| a.append(&mut b));
    let by_fields = merge(
        by_rights
            .into_iter()
            .map(|((v, p, fi, ci, s), mut rights)| {
                rights.sort();
                rights.dedup();
                ((v, p, rights, ci, s), vec![fi])
            })
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let by_countries = merge(
        by_fields
            .into_iter()
            .map(|((v, p, rights, ci, s), fis)| {
                let mut nodes: Vec<u32> = fis
                    .iter()
                    .filter_map(|fi| g.fields.get(*fi))
                    .flatten()
                    .copied()
                    .collect();
                nodes.sort_unstable();
                ((v, p, rights, nodes, s), vec![ci])
            })
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let by_parties = merge(
        by_countries
            .into_iter()
            .map(|((v, p, rights, nodes, s), cis)| {
                let mut t = TerritorySet::empty();
                for ci in cis {
                    if let Some(x) = g.countries.get(ci) {
                        t = t.union(*x);
                    }
                }
                ((v, rights, nodes, t.codes(), s), (vec![p], t))
            })
            .collect(),
        |a, (mut ps, _)| a.0.append(&mut ps),
    );
    let mut out: Vec<PermitBox> = by_parties
        .into_iter()
        .map(|((v, rights, fields, _, span), (mut parties, countries))| {
            parties.sort_unstable();
            PermitBox {
                parties,
                rights,
                fields,
                countries,
                span,
                reasons: v,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (
            &a.parties,
            a.span,
            &a.rights,
            &a.fields,
            a.countries.codes(),
            &a.reasons,
        )
            .cmp(&(
                &b.parties,
                b.span,
                &b.rights,
                &b.fields,
                b.countries.codes(),
                &b.reasons,
            ))
    });
    out
}
