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
//!
//! Beyond the party, a request may name a purpose and may be for an unnamed affiliate
//! by control of a party (`xlic query --purpose`, `--affiliate`): the purposes a
//! request can name are grouped into classes by the `purpose` lines of the asset's
//! clauses, and each party with `affiliates by control` has a second row, its unnamed
//! affiliates, whose boxes are marked [`PermitBox::unnamed`] (whether an entity is one
//! on a date is the party's own `affiliates by control`, which the exports state with
//! each box: [`by_control`]). Diligence milestones taken as missed (`xlic query
//! --missed`) are an assumption of the whole table, as of a whole `xlic query` run.

use crate::date::Date;
use crate::ledger::{Clause, Ledger};
use crate::model::PurposeSet;
use crate::model::{AssetId, FieldSet, Model, PartyId};
use crate::policy::read::{load, Loaded};
use crate::policy::{ControlOut, Policy};
use crate::query::{Decision, Evaluator, QueryError, ReasonKind, Request, UnnamedAffiliate};
use crate::territory::TerritorySet;
use crate::vocab::Right;
use std::collections::{BTreeMap, BTreeSet};

/// A half-open period of days; `until: None` has no end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub from: Date,
    pub until: Option<Date>,
}

/// What a request says it is for: nothing (`None`: any purpose, which only a license
/// without a `purpose` line covers), or one of the words of `xlic query --purpose`.
pub const PURPOSE_ASKS: [Option<&str>; 6] = [
    None,
    Some("research"),
    Some("educational"),
    Some("internal"),
    Some("commercial"),
    Some("non-commercial"),
];

/// Where `xlic query` permits: these parties (or their unnamed affiliates), rights,
/// purposes, field nodes, countries and days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitBox {
    /// Indexes into the policy's parties, sorted.
    pub parties: Vec<usize>,
    /// The box answers requests for an unnamed affiliate by control of one of the
    /// parties (`xlic query --affiliate`), not for the parties themselves. Whether the
    /// entity is one is for the exports to state ([`by_control`]).
    pub unnamed: bool,
    pub rights: Vec<Right>,
    /// The purposes a request may name here, as indexes into [`PURPOSE_ASKS`] (0: no
    /// purpose named), sorted; all of them where the purpose makes no difference.
    pub purposes: Vec<usize>,
    /// Indexes into the policy's fields (pre-order), sorted.
    pub fields: Vec<u32>,
    pub countries: TerritorySet,
    pub span: Span,
    /// What permits there, as the answer cites it: `owner`, or `AGREEMENT.CLAUSE` of
    /// each permitting grant, covenant, release or retained reservation, sorted.
    pub reasons: Vec<String>,
    /// The kind of each reason, in the order of `reasons`, as the answer names it
    /// (`granted`, `owner`, `retained`, `covenant`, `released`,
    /// `wind_down_sell_off_only`).
    pub kinds: Vec<String>,
}

impl PermitBox {
    /// Whether the purpose makes no difference in the box.
    pub fn any_purpose(&self) -> bool {
        self.purposes.len() == PURPOSE_ASKS.len()
    }
}

/// The parties whose unnamed affiliates by control a request may be for (a party, not
/// an affiliate, with `affiliates by control`), with that line: index into the
/// policy's parties.
pub fn by_control(policy: &Policy) -> Vec<(usize, &ControlOut)> {
    policy
        .parties
        .iter()
        .enumerate()
        .filter(|(_, p)| p.parent.is_none())
        .filter_map(|(i, p)| p.affiliates_by_control.as_ref().map(|c| (i, c)))
        .collect()
}

/// The names `xlic query` refuses as an unnamed affiliate's: those the agreement gives
/// a party or an affiliate (its id and its legal name), sorted.
pub fn named(policy: &Policy) -> Vec<&str> {
    let mut out: Vec<&str> = policy
        .parties
        .iter()
        .flat_map(|p| [p.id.as_str(), p.legal_name.as_str()])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
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
    purposes: Vec<PurposeSet>,
    dates: BTreeSet<Date>,
}

fn facts(model: &Model, ledger: &Ledger, asset: AssetId) -> Facts {
    let mut f = Facts {
        parties: BTreeSet::new(),
        territories: Vec::new(),
        fields: Vec::new(),
        purposes: Vec::new(),
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
            f.purposes.push(p.purposes);
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
            f.purposes.push(m.purposes);
            // A release's date; the day after a diligence milestone, when a missed one
            // converts the exclusivity; the first reckoning of a converting commitment.
            f.dates.extend(m.release);
            f.dates
                .extend(m.diligence.iter().filter_map(|d| d.by.succ()));
            f.dates
                .extend(m.converts.iter().filter_map(|&c| m.conversion_day(c)));
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
        f.purposes.push(m.purposes);
    }
    f
}

/// The cells of one asset's grid: field classes, country classes and day spans.
struct Grid {
    fields: Vec<Vec<u32>>,
    /// Classes of [`PURPOSE_ASKS`] indexes.
    purposes: Vec<Vec<usize>>,
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
    // A request's purposes meet a clause's as the evaluator compares them: covered by
    // it (a license, a retained right), or sharing one with it (a fence, an exclusive
    // grant that shuts others out).
    let asked: Vec<usize> = (0..PURPOSE_ASKS.len()).collect();
    let purpose_tests: Vec<Box<dyn Fn(usize) -> bool + '_>> = f
        .purposes
        .iter()
        .flat_map(|p| {
            let p = *p;
            [
                Box::new(move |i: usize| p.covers(asked_purposes(i))) as Box<dyn Fn(usize) -> bool>,
                Box::new(move |i: usize| !p.intersection(asked_purposes(i)).is_empty()),
            ]
        })
        .collect();
    let purpose_refs: Vec<&dyn Fn(usize) -> bool> =
        purpose_tests.iter().map(|b| b.as_ref()).collect();
    Grid {
        fields: classes(&nodes, &field_refs),
        purposes: classes(&asked, &purpose_refs),
        countries,
        spans,
    }
}

/// The purposes a request naming `PURPOSE_ASKS[i]` asks for.
fn asked_purposes(i: usize) -> PurposeSet {
    match PURPOSE_ASKS.get(i).copied().flatten() {
        None => PurposeSet::all(),
        Some(word) => PurposeSet::of(
            crate::vocab::Purpose::from_word(word)
                .unwrap_or(&[])
                .iter()
                .copied(),
        ),
    }
}

/// What permits in one permitted cell: each reason's label and kind (see
/// [`PermitBox::reasons`]).
type Verdict = Vec<(String, String)>;

/// A reason's kind as the answer's JSON spells it (`granted`, `covenant`, …).
pub fn kind_word(k: ReasonKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

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

fn reasons_of(answer: &crate::query::Answer) -> Verdict {
    let mut out: Verdict = answer
        .reasons
        .iter()
        .map(|r| (reason_label(r), kind_word(r.kind)))
        .collect();
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
    table_assuming(policy, &[])
}

/// A name for the unnamed affiliate the table asks about: one the agreement gives no
/// party (the answer does not depend on it otherwise).
fn unnamed_name(policy: &Policy) -> String {
    let named = named(policy);
    let mut name = "an unnamed affiliate".to_string();
    while named.contains(&name.as_str()) {
        name.push('\'');
    }
    name
}

/// Who a row of the table is: a party (index into the policy's parties), or its unnamed
/// affiliates by control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Who {
    party: usize,
    unnamed: bool,
}

/// [`table`], with these diligence milestones taken as missed for every request, as
/// `xlic query --missed` takes them (an unknown name is an error).
pub fn table_assuming(policy: &Policy, missed: &[String]) -> Result<Table, QueryError> {
    let evaluator = Evaluator::new(policy)?.assume_missed(missed)?;
    let Loaded { model, ledger } = load(policy).map_err(|e| QueryError { message: e.message })?;
    let mut assets = Vec::with_capacity(policy.assets.len());
    let (Some(_), Some(_)) = (policy.parties.first(), policy.fields.first()) else {
        // No request can name a party and a field: nothing to decide.
        return Ok(Table {
            assets: vec![AssetTable::default(); policy.assets.len()],
        });
    };
    let controls = by_control(policy);
    let unnamed_name = unnamed_name(policy);
    for (ai, asset) in policy.assets.iter().enumerate() {
        let f = facts(&model, &ledger, AssetId(u32_of(ai)));
        let g = grid(&f, policy.fields.len());
        let ask = |who: Who, right: Right, purpose: usize, field: u32, country: u8, day: Date| {
            let party = policy.parties.get(who.party);
            // An unnamed affiliate that is one on every day: the answer is then that
            // of the party's unnamed affiliates, whoever they are.
            let affiliate = controls
                .iter()
                .find(|(i, _)| who.unnamed && *i == who.party)
                .map(|(_, c)| UnnamedAffiliate {
                    name: unnamed_name.clone(),
                    control: c.kinds.first().and_then(|k| {
                        serde_json::to_value(k)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                    }),
                    controlled_since: Some(Date::MIN.to_string()),
                });
            let request = Request {
                licensee: party.map(|p| p.id.clone()).unwrap_or_default(),
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
                purpose: PURPOSE_ASKS
                    .get(purpose)
                    .copied()
                    .flatten()
                    .map(str::to_string),
                affiliate,
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
        let anyone = Who {
            party: 0,
            unnamed: false,
        };
        for t in &g.countries {
            let Some(c) = t.first() else { continue };
            let mut spans = Vec::new();
            for s in &g.spans {
                let a = ask(anyone, Right::Use, 0, field0, c, s.from)?;
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

        // Where each party, and each party's unnamed affiliates, is permitted.
        let mut rows: Vec<Who> = Vec::new();
        for p in &f.parties {
            let party = p.0 as usize;
            rows.push(Who {
                party,
                unnamed: false,
            });
            if controls.iter().any(|(i, _)| *i == party) {
                rows.push(Who {
                    party,
                    unnamed: true,
                });
            }
        }
        let mut cells: Vec<Cell> = Vec::new();
        for &who in &rows {
            for right in Right::ALL {
                for (pi, pc) in g.purposes.iter().enumerate() {
                    let Some(&purpose) = pc.first() else { continue };
                    for (fi, fc) in g.fields.iter().enumerate() {
                        let Some(&node) = fc.first() else { continue };
                        for (ci, t) in g.countries.iter().enumerate() {
                            let Some(c) = t.first() else { continue };
                            for s in &g.spans {
                                let a = ask(who, right, purpose, node, c, s.from)?;
                                if a.decision == Decision::Permit {
                                    cells.push((
                                        (reasons_of(&a), who.unnamed),
                                        who.party,
                                        right,
                                        pi,
                                        fi,
                                        ci,
                                        *s,
                                    ));
                                }
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

/// What permits a cell, and whether its row is of unnamed affiliates: boxes are made
/// of cells that agree on both.
type Key = (Verdict, bool);

/// (what, party, right, purpose class, field class, country class, days).
type Cell = (Key, usize, Right, usize, usize, usize, Span);

/// Merges permitted cells into boxes: days into runs, then rights, purposes, fields,
/// countries and parties that share the rest.
fn merge_permits(cells: Vec<Cell>, g: &Grid) -> Vec<PermitBox> {
    // Days: per (what, party, right, purpose class, field class, country class).
    let by_days = merge(
        cells
            .into_iter()
            .map(|(k, p, r, pi, fi, ci, s)| ((k, p, r, pi, fi, ci), vec![s]))
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let mut boxes = Vec::new();
    for ((k, p, r, pi, fi, ci), spans) in by_days {
        for s in runs(spans) {
            boxes.push(((k.clone(), p, pi, fi, ci, s), vec![r]));
        }
    }
    // Rights.
    let by_rights = merge(boxes, |a, mut b| a.append(&mut b));
    // Purposes.
    let by_purposes = merge(
        by_rights
            .into_iter()
            .map(|((k, p, pi, fi, ci, s), mut rights)| {
                rights.sort();
                rights.dedup();
                ((k, p, rights, fi, ci, s), vec![pi])
            })
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let by_fields = merge(
        by_purposes
            .into_iter()
            .map(|((k, p, rights, fi, ci, s), pis)| {
                let mut asked: Vec<usize> = pis
                    .iter()
                    .filter_map(|pi| g.purposes.get(*pi))
                    .flatten()
                    .copied()
                    .collect();
                asked.sort_unstable();
                ((k, p, rights, asked, ci, s), vec![fi])
            })
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let by_countries = merge(
        by_fields
            .into_iter()
            .map(|((k, p, rights, asked, ci, s), fis)| {
                let mut nodes: Vec<u32> = fis
                    .iter()
                    .filter_map(|fi| g.fields.get(*fi))
                    .flatten()
                    .copied()
                    .collect();
                nodes.sort_unstable();
                ((k, p, rights, asked, nodes, s), vec![ci])
            })
            .collect(),
        |a, mut b| a.append(&mut b),
    );
    let by_parties = merge(
        by_countries
            .into_iter()
            .map(|((k, p, rights, asked, nodes, s), cis)| {
                let mut t = TerritorySet::empty();
                for ci in cis {
                    if let Some(x) = g.countries.get(ci) {
                        t = t.union(*x);
                    }
                }
                ((k, rights, asked, nodes, t.codes(), s), (vec![p], t))
            })
            .collect(),
        |a, (mut ps, _)| a.0.append(&mut ps),
    );
    let mut out: Vec<PermitBox> = by_parties
        .into_iter()
        .map(
            |(((v, unnamed), rights, purposes, fields, _, span), (mut parties, countries))| {
                parties.sort_unstable();
                let (reasons, kinds) = v.into_iter().unzip();
                PermitBox {
                    parties,
                    unnamed,
                    rights,
                    purposes,
                    fields,
                    countries,
                    span,
                    reasons,
                    kinds,
                }
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (
            a.unnamed,
            &a.parties,
            a.span,
            &a.rights,
            &a.purposes,
            &a.fields,
            a.countries.codes(),
            &a.reasons,
        )
            .cmp(&(
                b.unnamed,
                &b.parties,
                b.span,
                &b.rights,
                &b.purposes,
                &b.fields,
                b.countries.codes(),
                &b.reasons,
            ))
    });
    out
}
