//! The rights ledger: who may do what, where and when, derived once from the resolved
//! model and read by everything that answers that question — the checker's rules, the
//! evaluator (`xlic query`), the JSON policy, the prose's computed facts, the report,
//! `xlic diff` and hover.
//!
//! Every grant and every reservation is cut into *pieces*: one per subject it covers
//! (an individual patent, identified by its number across assets, families and
//! capture periods, or an asset taken whole), limited to where and while that subject
//! is in force and to the agreement's term (unless the license survives it). A grant
//! with a wind-down also has sell-off pieces after its end. A piece's fields are its
//! clause's fields; everything else about the clause stays in the model, which the
//! ledger indexes by position.

mod subjects;
pub mod view;

pub use subjects::{patent_key, Declaration, Subject, SubjectId, SubjectKind};

use crate::date::{Date, Duration};
use crate::model::{
    AgreementModel, AssetId, FieldSet, GrantModel, Interval, Model, PartyId, PurposeSet,
    ReservationModel, RightSet, SunsetModel, TermModel,
};
use crate::scope::intersect_time;
use crate::territory::TerritorySet;
use crate::vocab::{ExclusivityKind, Right, Sublicense};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// The rights a wind-down (sell-off) period still gives: selling off inventory.
pub const SELL_OFF: [Right; 3] = [Right::Sell, Right::Offer, Right::Distribute];

/// The words of a `survives` list that make the license itself survive the agreement.
pub const LICENSE_SURVIVES: [&str; 4] = ["license", "licenses", "licence", "licences"];

/// What a piece of a grant gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PieceKind {
    /// The license itself, during its term.
    Term,
    /// The sell-off period after the term: only the granted rights among sell, offer
    /// and distribute.
    SellOff,
}

/// The clause a piece comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Clause {
    /// Index into [`Ledger::grants`].
    Grant(usize),
    /// Index into [`Ledger::reservations`].
    Reservation(usize),
    /// clauses (issue 15): index into its agreement's `first_rights`. A first right
    /// grants nothing, so the ledger holds no piece of it: [`Ledger::scope_pieces`]
    /// makes its pieces for the checker to compare.
    FirstRight(usize),
}

/// A scope that is not a grant: assets, rights, countries, days and purposes (a
/// reservation's, a first right's), for [`Ledger::scope_pieces`].
pub struct ScopeOf<'a> {
    pub assets: &'a [AssetId],
    pub rights: RightSet,
    pub territory: TerritorySet,
    pub term: Interval,
    pub purposes: PurposeSet,
}

/// One piece of a clause's effective scope: one subject, one set of countries, one
/// period, the same rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    pub clause: Clause,
    /// The clause's asset through which the subject is covered.
    pub asset: AssetId,
    pub subject: SubjectId,
    pub rights: RightSet,
    pub territory: TerritorySet,
    pub time: Interval,
    /// The clause's purposes (every purpose unless it has a `purpose` line).
    pub purposes: PurposeSet,
    /// pools (issue 15): the licensees the piece reaches when they are not all its
    /// grant's: in a pool with dated membership, the members in the piece's period
    /// (sorted). `None`: every party the grant reaches.
    pub members: Option<Vec<PartyId>>,
}

impl Piece {
    /// pools (issue 15): the names of [`Piece::members`] (empty when it reaches every
    /// party of its grant), as the policy lists them.
    pub fn member_names(&self, model: &Model) -> Vec<String> {
        self.members
            .iter()
            .flatten()
            .map(|p| model.party_name(*p).to_string())
            .collect()
    }

    /// Whether the piece reaches a party its grant reaches (`reach`).
    pub fn reaches(&self, reach: &[PartyId], p: PartyId) -> bool {
        self.members
            .as_deref()
            .unwrap_or(reach)
            .binary_search(&p)
            .is_ok()
    }

    /// Whether the piece covers a right in a country on a day (fields are the clause's).
    pub fn covers(&self, right: Right, country: u8, day: Date) -> bool {
        self.rights.contains(right)
            && self.territory.contains(country)
            && self.time.start <= day
            && self.time.end.is_none_or(|e| day < e)
    }
}

/// A grant, with the facts every reader shares.
#[derive(Debug, Clone)]
pub struct GrantEntry {
    /// Position in the model: `model.agreements[agreement].grants[index]`.
    pub agreement: usize,
    pub index: usize,
    pub licensor: PartyId,
    /// The licensees and, with `and affiliates`, their affiliates (sorted).
    pub reach: Vec<PartyId>,
    pub exclusivity: ExclusivityKind,
    pub sublicense: Sublicense,
    /// A covenant not to sue (rights: issue 15): its pieces count as a non-exclusive
    /// license's; the query gives its own reason.
    pub covenant: bool,
    /// A release of past infringement: acts before this date (rights: issue 15).
    pub release: Option<Date>,
    /// The term, with `until expiry` resolved to the last expiry of its patents in its
    /// territory (open-ended when unknown).
    pub time: Interval,
    /// Per country, when the term ends there (only for `until expiry`: countries
    /// grouped by the last expiry of a licensed patent in force there).
    pub ends: Vec<(TerritorySet, Option<Date>)>,
    /// The agreement's term, reaching back to its `release from` date, within which
    /// the license lives (open-ended when it survives).
    pub window: Interval,
    /// `survives license`: the license outlives the agreement.
    pub survives: bool,
    /// The sell-off period after the term, from its (first) sunset clause.
    pub wind_down: Option<Duration>,
    /// The grants named after `subject to` (indexes into [`Ledger::grants`]).
    pub subject_to_grants: Vec<usize>,
    /// A name after `subject to` is bound to nothing (reported): what the grant's
    /// exclusivity is subject to is unknown, so its exclusivity is not judged.
    pub subject_to_unbound: bool,
    /// Indexes into [`Ledger::pieces`].
    pub pieces: std::ops::Range<usize>,
}

impl GrantEntry {
    pub fn is_exclusive_kind(&self) -> bool {
        matches!(
            self.exclusivity,
            ExclusivityKind::Exclusive | ExclusivityKind::Sole
        )
    }

    pub fn reaches(&self, p: PartyId) -> bool {
        self.reach.binary_search(&p).is_ok()
    }

    /// When the term ends in a country.
    pub fn end_in(&self, country: u8) -> Option<Date> {
        self.ends
            .iter()
            .find(|(t, _)| t.contains(country))
            .map_or(self.time.end, |(_, e)| *e)
    }

    /// When the license ends in a country in fact: its term, or the agreement's end
    /// when that comes first and the license does not survive it.
    pub fn effective_end_in(&self, country: u8) -> Option<Date> {
        earlier(self.end_in(country), self.window.end)
    }

    /// The countries of a territory (the grant's) grouped by when the license ends
    /// there in fact ([`GrantEntry::effective_end_in`]), sorted by end, an open end
    /// last.
    pub fn effective_ends(&self, territory: TerritorySet) -> Vec<(TerritorySet, Option<Date>)> {
        let mut groups: BTreeMap<(bool, Option<Date>), TerritorySet> = BTreeMap::new();
        for c in territory.iter() {
            let end = self.effective_end_in(c);
            groups
                .entry((end.is_none(), end))
                .or_insert_with(TerritorySet::empty)
                .insert(c);
        }
        groups.into_iter().map(|((_, e), t)| (t, e)).collect()
    }

    /// The license's period in fact: its term within the agreement's (the term as
    /// resolved when it lies wholly outside it).
    pub fn effective_time(&self) -> Interval {
        intersect_time(self.time, self.window).unwrap_or(self.time)
    }
}

/// A reservation, with its pieces.
#[derive(Debug, Clone)]
pub struct ReservationEntry {
    pub agreement: usize,
    pub index: usize,
    pub pieces: std::ops::Range<usize>,
}

/// A name after `subject to` that names neither a reservation nor a grant.
#[derive(Debug, Clone)]
pub struct Unbound {
    /// The grant that names it (index into [`Ledger::grants`]).
    pub grant: usize,
    pub name: String,
    pub span: crate::source::Span,
}

/// The rights ledger of a model.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub subjects: Vec<Subject>,
    /// Per asset: the subjects it holds, sorted.
    pub of_asset: Vec<Vec<SubjectId>>,
    /// Per asset: whether it exists only where and while its patents are in force.
    pub limited: Vec<bool>,
    /// Every grant of every agreement, in model order.
    pub grants: Vec<GrantEntry>,
    pub reservations: Vec<ReservationEntry>,
    pub pieces: Vec<Piece>,
    /// Per subject: the pieces on it, in clause order.
    pub by_subject: Vec<Vec<usize>>,
    /// Per agreement: the index of its first grant in [`Ledger::grants`].
    pub first_grant: Vec<usize>,
    /// `subject to` names bound to nothing (reported by the checker).
    pub unbound: Vec<Unbound>,
    /// `subject to` names bound to a grant: the name as written and the grant (index
    /// into [`Ledger::grants`]), for the compilation's table of bindings.
    pub subject_to_bound: Vec<(crate::source::Span, usize)>,
    /// Every field of every file: what an unscoped reservation covers.
    pub every_field: FieldSet,
}

fn earlier(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn later_end(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        _ => None,
    }
}

/// Whether a sunset clause lets the license outlive the agreement.
pub fn license_survives(s: &SunsetModel) -> bool {
    s.survives
        .iter()
        .any(|w| LICENSE_SURVIVES.iter().any(|k| w.eq_ignore_ascii_case(k)))
}

impl Ledger {
    /// Derives the ledger of a resolved model.
    pub fn build(model: &Model) -> Ledger {
        let subjects::Subjects {
            subjects,
            of_asset,
            limited,
        } = subjects::collect(model);
        let n = u32::try_from(model.fields.nodes.len()).unwrap_or(u32::MAX);
        let mut ledger = Ledger {
            by_subject: vec![Vec::new(); subjects.len()],
            subjects,
            of_asset,
            limited,
            every_field: FieldSet::from_ranges(vec![(0, n)]),
            ..Ledger::default()
        };
        ledger.first_grant.reserve_exact(model.agreements.len());
        ledger
            .grants
            .reserve_exact(model.agreements.iter().map(|a| a.grants.len()).sum());
        for (ai, a) in model.agreements.iter().enumerate() {
            ledger.first_grant.push(ledger.grants.len());
            let sunsets = sunsets_by_grant(a);
            for (gi, g) in a.grants.iter().enumerate() {
                let of_grant = sunsets.get(gi).map_or(&[][..], Vec::as_slice);
                ledger.add_grant(model, ai, a, gi, g, of_grant);
            }
        }
        for (ai, a) in model.agreements.iter().enumerate() {
            for (ri, r) in a.reservations.iter().enumerate() {
                ledger.add_reservation(model, ai, ri, r);
            }
        }
        ledger.bind_subject_to(model);
        // Each subject's list sized once (counted first), not grown piece by piece.
        let mut counts = vec![0usize; ledger.by_subject.len()];
        for p in &ledger.pieces {
            if let Some(c) = counts.get_mut(p.subject.0 as usize) {
                *c += 1;
            }
        }
        for (list, &c) in ledger.by_subject.iter_mut().zip(&counts) {
            list.reserve_exact(c);
        }
        for (i, p) in ledger.pieces.iter().enumerate() {
            if let Some(list) = ledger.by_subject.get_mut(p.subject.0 as usize) {
                list.push(i);
            }
        }
        ledger
    }

    pub fn subject(&self, id: SubjectId) -> Option<&Subject> {
        self.subjects.get(id.0 as usize)
    }

    /// The subjects of an asset.
    pub fn subjects_of(&self, asset: AssetId) -> &[SubjectId] {
        self.of_asset
            .get(asset.0 as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether an asset exists only where and while its patents are in force.
    pub fn is_limited(&self, asset: AssetId) -> bool {
        self.limited.get(asset.0 as usize).copied().unwrap_or(false)
    }

    pub fn grant(&self, i: usize) -> Option<&GrantEntry> {
        self.grants.get(i)
    }

    /// The model's grant behind an entry.
    pub fn grant_model<'m>(&self, model: &'m Model, g: &GrantEntry) -> Option<&'m GrantModel> {
        model.agreements.get(g.agreement)?.grants.get(g.index)
    }

    /// The model's agreement of an entry.
    pub fn agreement<'m>(&self, model: &'m Model, g: &GrantEntry) -> Option<&'m AgreementModel> {
        model.agreements.get(g.agreement)
    }

    /// The ledger index of the model's grant `index` in agreement `agreement`.
    pub fn grant_index(&self, agreement: usize, index: usize) -> Option<usize> {
        let i = self.first_grant.get(agreement)? + index;
        self.grants
            .get(i)
            .filter(|g| g.agreement == agreement && g.index == index)
            .map(|_| i)
    }

    /// A grant's pieces.
    pub fn pieces_of(&self, g: &GrantEntry) -> &[Piece] {
        self.pieces.get(g.pieces.clone()).unwrap_or(&[])
    }

    /// A reservation's pieces.
    pub fn reservation_pieces(&self, r: &ReservationEntry) -> &[Piece] {
        self.pieces.get(r.pieces.clone()).unwrap_or(&[])
    }

    /// The pieces on one subject.
    pub fn pieces_on(&self, s: SubjectId) -> impl Iterator<Item = (usize, &Piece)> {
        self.by_subject
            .get(s.0 as usize)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.pieces.get(i).map(|p| (i, p)))
    }

    /// The subjects of an asset in force in a country on a day.
    pub fn in_force(
        &self,
        asset: AssetId,
        country: u8,
        day: Date,
    ) -> impl Iterator<Item = SubjectId> + '_ {
        self.subjects_of(asset)
            .iter()
            .copied()
            .filter(move |s| self.subject(*s).is_some_and(|x| x.in_force(country, day)))
    }

    fn add_grant(
        &mut self,
        model: &Model,
        ai: usize,
        a: &AgreementModel,
        gi: usize,
        g: &GrantModel,
        sunsets: &[&SunsetModel],
    ) {
        let mut reach = g.licensees.clone();
        if g.to_affiliates {
            for l in &g.licensees {
                if let Some(p) = model.party(*l) {
                    reach.extend(p.affiliates.iter().copied());
                }
            }
        }
        reach.sort();
        reach.dedup();
        let survives = sunsets.iter().any(|s| license_survives(s));
        let wind_down = sunsets.iter().find_map(|s| s.wind_down);
        let window = match (a.window(), survives) {
            // A release reaches every past act before its date, whatever the agreement's term.
            _ if g.release.is_some() => Interval {
                start: Date::MIN,
                end: g.release,
            },
            (Some(t), false) => t,
            _ => Interval {
                start: a
                    .window()
                    .map_or(Date::MIN, |t| t.start)
                    .min(g.term.start()),
                end: None,
            },
        };
        // pools (issue 15): in a pool, a licensor licenses only while it is a member.
        let pool = a.kind == crate::vocab::AgreementKind::Pool;
        let window = match model.membership(g.licensor).filter(|_| pool) {
            Some(m) => intersect_time(window, m.period()).unwrap_or(Interval {
                start: window.start,
                end: Some(window.start),
            }),
            None => window,
        };
        let (time, ends) = self.grant_time(g);
        let start = self.pieces.len();
        let gidx = self.grants.len();
        let mut pieces: Vec<Piece> = Vec::new();
        for asset in &g.assets {
            for &s in self.subjects_of(*asset) {
                // A pending application licenses nothing until granted (rights: issue 15).
                let Some(subject) = self.subject(s).filter(|x| !x.pending) else {
                    continue;
                };
                let territory = g.territory.intersection(subject.territory);
                if territory.is_empty() || g.rights.is_empty() || g.fields.is_empty() {
                    continue;
                }
                // The term per group of countries (one group unless `until expiry`
                // ends a whole asset at different dates in different countries).
                let groups: Vec<(TerritorySet, Option<Date>)> =
                    if subject.is_patent() || ends.is_empty() {
                        vec![(territory, time.end)]
                    } else {
                        ends.iter()
                            .map(|(t, e)| (t.intersection(territory), *e))
                            .filter(|(t, _)| !t.is_empty())
                            .collect()
                    };
                for (t, end) in groups {
                    let term = Interval {
                        start: time.start,
                        end,
                    };
                    let Some(in_force) = intersect_time(term, subject.life()) else {
                        continue;
                    };
                    if let Some(cut) = intersect_time(in_force, window) {
                        pieces.push(Piece {
                            kind: PieceKind::Term,
                            clause: Clause::Grant(gidx),
                            asset: *asset,
                            subject: s,
                            rights: g.rights,
                            territory: t,
                            time: cut,
                            purposes: g.purposes,
                            members: None,
                        });
                    }
                    // The sell-off period after the license ends (its term, or the
                    // agreement's end when that comes first).
                    let sell = RightSet(g.rights.0 & RightSet::of(SELL_OFF).0);
                    let (Some(d), false) = (wind_down, sell.is_empty()) else {
                        continue;
                    };
                    let Some(ended) = earlier(end, window.end) else {
                        continue;
                    };
                    let from = ended.max(time.start);
                    let Some(until) = ended.add_duration(d) else {
                        continue;
                    };
                    let after = Interval {
                        start: from,
                        end: Some(until),
                    };
                    if let Some(cut) = intersect_time(after, subject.life()) {
                        pieces.push(Piece {
                            kind: PieceKind::SellOff,
                            clause: Clause::Grant(gidx),
                            asset: *asset,
                            subject: s,
                            rights: sell,
                            territory: t,
                            time: cut,
                            purposes: g.purposes,
                            members: None,
                        });
                    }
                }
            }
        }
        if pool {
            pieces = cut_by_membership(model, &reach, pieces);
        }
        self.pieces.append(&mut pieces);
        let end = self.pieces.len();
        self.grants.push(GrantEntry {
            agreement: ai,
            index: gi,
            licensor: g.licensor,
            reach,
            exclusivity: g.exclusivity,
            sublicense: g.sublicense,
            covenant: g.covenant,
            release: g.release,
            time,
            ends,
            window,
            survives,
            wind_down,
            subject_to_grants: Vec::new(),
            subject_to_unbound: false,
            pieces: start..end,
        });
    }

    /// A grant's term with `until expiry` resolved: overall, and per group of
    /// countries with the same last expiry.
    fn grant_time(&self, g: &GrantModel) -> (Interval, Vec<(TerritorySet, Option<Date>)>) {
        let start = match g.term {
            TermModel::Dates(i) => return (i, Vec::new()),
            TermModel::UntilExpiry { start } => start,
        };
        // Per country: the last expiry of a licensed patent in force there (`None` in
        // the map's value: one of them has no expiry date).
        let mut last: BTreeMap<u8, Option<Date>> = BTreeMap::new();
        let mut overall: Option<Option<Date>> = None;
        for asset in &g.assets {
            for s in self.subjects_of(*asset) {
                let Some(subject) = self.subject(*s) else {
                    continue;
                };
                if !subject.is_patent() || subject.pending {
                    continue;
                }
                let t = subject.territory.intersection(g.territory);
                if t.is_empty() {
                    continue;
                }
                overall = Some(match overall {
                    None => subject.expires,
                    Some(o) => later_end(o, subject.expires),
                });
                for c in t.iter() {
                    let e = last.entry(c).or_insert(subject.expires);
                    *e = later_end(*e, subject.expires);
                }
            }
        }
        let overall = overall.flatten();
        let time = Interval {
            start,
            end: overall,
        };
        // Countries without a licensed patent end with the last expiry anywhere.
        let mut groups: BTreeMap<Option<Date>, TerritorySet> = BTreeMap::new();
        for c in g.territory.iter() {
            let e = last.get(&c).copied().unwrap_or(overall);
            groups
                .entry(e)
                .or_insert_with(TerritorySet::empty)
                .insert(c);
        }
        let ends = if groups.len() <= 1 {
            Vec::new()
        } else {
            groups.into_iter().map(|(e, t)| (t, e)).collect()
        };
        (time, ends)
    }

    fn add_reservation(&mut self, model: &Model, ai: usize, ri: usize, r: &ReservationModel) {
        let start = self.pieces.len();
        let ridx = self.reservations.len();
        let _ = model;
        let scope = ScopeOf {
            assets: &r.assets,
            rights: r.rights,
            territory: r.territory,
            term: r.term,
            purposes: r.purposes,
        };
        let mut pieces = self.scope_pieces(Clause::Reservation(ridx), &scope);
        self.pieces.append(&mut pieces);
        let end = self.pieces.len();
        self.reservations.push(ReservationEntry {
            agreement: ai,
            index: ri,
            pieces: start..end,
        });
    }

    /// The term pieces of a scope: per subject in force of each asset (pending
    /// applications convey nothing), the scope's countries and days there. A
    /// reservation's pieces, and (clauses, issue 15) a first right's, which the ledger
    /// does not keep.
    pub fn scope_pieces(&self, clause: Clause, scope: &ScopeOf<'_>) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        if scope.rights.is_empty() {
            return pieces;
        }
        for asset in scope.assets {
            for &s in self.subjects_of(*asset) {
                let Some(subject) = self.subject(s).filter(|x| !x.pending) else {
                    continue;
                };
                let territory = scope.territory.intersection(subject.territory);
                if territory.is_empty() {
                    continue;
                }
                let Some(time) = intersect_time(scope.term, subject.life()) else {
                    continue;
                };
                pieces.push(Piece {
                    kind: PieceKind::Term,
                    clause,
                    asset: *asset,
                    subject: s,
                    rights: scope.rights,
                    territory,
                    time,
                    purposes: scope.purposes,
                    members: None,
                });
            }
        }
        pieces
    }

    /// Binds the names after `subject to` that are not reservations: a grant of the
    /// same agreement, or else the one grant of that id in the other agreements.
    fn bind_subject_to(&mut self, model: &Model) {
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, g) in self.grants.iter().enumerate() {
            if let Some(m) = model
                .agreements
                .get(g.agreement)
                .and_then(|a| a.grants.get(g.index))
            {
                by_id.entry(m.id.as_str()).or_default().push(i);
            }
        }
        for gi in 0..self.grants.len() {
            let Some(g) = self.grants.get(gi) else {
                continue;
            };
            let agreement = g.agreement;
            let Some(m) = model
                .agreements
                .get(g.agreement)
                .and_then(|a| a.grants.get(g.index))
            else {
                continue;
            };
            let mut bound = Vec::new();
            for (name, span) in &m.subject_to_grants {
                let candidates = by_id.get(name.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                let same = candidates
                    .iter()
                    .copied()
                    .find(|&c| self.grants.get(c).is_some_and(|x| x.agreement == agreement));
                let elsewhere: Vec<usize> =
                    candidates.iter().copied().filter(|&c| c != gi).collect();
                match (same, elsewhere.as_slice()) {
                    (Some(c), _) if c != gi => {
                        bound.push(c);
                        self.subject_to_bound.push((*span, c));
                    }
                    (None, [one]) => {
                        bound.push(*one);
                        self.subject_to_bound.push((*span, *one));
                    }
                    _ => self.unbound.push(Unbound {
                        grant: gi,
                        name: name.clone(),
                        span: *span,
                    }),
                }
            }
            let unbound = self.unbound.last().is_some_and(|u| u.grant == gi);
            if let Some(g) = self.grants.get_mut(gi) {
                g.subject_to_grants = bound;
                g.subject_to_unbound = unbound;
            }
        }
    }
}

/// pools (issue 15): cuts a pool grant's pieces at every day a party it reaches joins
/// or leaves the pool, each part reaching the parties that are members throughout it
/// (an affiliate follows its party); a part that reaches no member is dropped. The
/// pieces of a grant whose reach has no dated member are returned as they are.
fn cut_by_membership(model: &Model, reach: &[PartyId], pieces: Vec<Piece>) -> Vec<Piece> {
    let periods: Vec<(PartyId, Interval)> = reach
        .iter()
        .map(|&p| {
            let period = model.membership(p).map_or(
                Interval {
                    start: Date::MIN,
                    end: None,
                },
                |m| m.period(),
            );
            (p, period)
        })
        .collect();
    if periods
        .iter()
        .all(|(_, i)| i.start == Date::MIN && i.end.is_none())
    {
        return pieces;
    }
    let mut cuts: Vec<Date> = periods
        .iter()
        .flat_map(|(_, i)| std::iter::once(i.start).chain(i.end))
        .filter(|d| *d != Date::MIN)
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut out = Vec::with_capacity(pieces.len());
    for p in pieces {
        let mut from = p.time.start;
        let inside = cuts
            .iter()
            .copied()
            .filter(|d| *d > p.time.start && p.time.end.is_none_or(|e| *d < e));
        let ends: Vec<Option<Date>> = inside
            .map(Some)
            .chain(std::iter::once(p.time.end))
            .collect();
        for end in ends {
            let members: Vec<PartyId> = periods
                .iter()
                .filter(|(_, i)| i.start <= from && i.end.is_none_or(|e| from < e))
                .map(|(q, _)| *q)
                .collect();
            if !members.is_empty() {
                let all = members.len() == reach.len();
                out.push(Piece {
                    time: Interval { start: from, end },
                    members: (!all).then_some(members),
                    ..p.clone()
                });
            }
            if let Some(e) = end {
                from = e;
            }
        }
    }
    out
}

/// An agreement's sunset clauses by the grant they name (index = the grant's index):
/// one pass over the clauses, so an agreement of many grants and as many sunset
/// clauses is not read grant × clause.
pub fn sunsets_by_grant(a: &AgreementModel) -> Vec<Vec<&SunsetModel>> {
    let mut by: Vec<Vec<&SunsetModel>> = vec![Vec::new(); a.grants.len()];
    for s in &a.sunsets {
        if let Some(list) = s.grant.and_then(|g| by.get_mut(g)) {
            list.push(s);
        }
    }
    by
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn ledger(src: &str) -> (crate::Compilation, Ledger) {
        let c = crate::compile_text("t.xlic", src);
        let l = Ledger::build(&c.model);
        (c, l)
    }

    const HEAD: &str = r#"
agreement "T" { effective 2026-01-01 term 10 years }
party acme "Acme"
party globex "Globex"
fields { robotics }
"#;

    #[test]
    fn one_patent_in_two_assets_is_one_subject() {
        let src = format!(
            "{HEAD}
asset fam: patent family of acme {{ patent \"US 11,234,567\" filed 2022-03-01 expires 2040-01-01 }}
asset captured: patents of acme filed 2021-01-01 until 2026-01-01 {{ patent \"US11234567\" filed 2022-03-01 expires 2040-01-01 }}
"
        );
        let (_, l) = ledger(&src);
        let patents: Vec<_> = l.subjects.iter().filter(|s| s.is_patent()).collect();
        assert_eq!(patents.len(), 1);
        assert_eq!(patents[0].declarations.len(), 2);
        assert_eq!(patents[0].assets.len(), 2);
    }

    #[test]
    fn capture_periods_take_in_declared_patents_filed_within_them() {
        let src = format!(
            "{HEAD}
asset fam: patent family of acme {{
  patent \"US 1\" filed 2022-03-01 expires 2040-01-01
  patent \"US 2\" filed 2019-03-01 expires 2038-01-01
}}
asset captured: patents of acme filed 2021-01-01 until 2026-01-01
"
        );
        let (c, l) = ledger(&src);
        let cap = AssetId(
            c.model
                .assets
                .iter()
                .position(|a| a.name == "captured")
                .unwrap() as u32,
        );
        let labels: Vec<&str> = l
            .subjects_of(cap)
            .iter()
            .map(|s| l.subject(*s).unwrap().label.as_str())
            .collect();
        // US 1 is captured; US 2 was filed before the period; the rest is unknown.
        assert_eq!(labels, vec!["US 1", "captured"]);
        assert!(!l.is_limited(cap));
    }

    #[test]
    fn pieces_end_with_the_patent_and_with_the_agreement() {
        let src = format!(
            "{HEAD}
asset fam: patent family of acme {{ patent \"US 1\" expires 2030-01-01 }}
asset kh: know-how of acme
grant g: acme -> globex {{
  assets fam, kh
  field robotics
  territory [US, DE]
  term perpetual
  non-exclusive
}}
sunset g {{ survives confidentiality }}
"
        );
        let (_, l) = ledger(&src);
        let g = &l.grants[0];
        let pieces = l.pieces_of(g);
        // The patent: US only, until it expires; the know-how: both, until the
        // agreement ends (the license does not survive it).
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].territory.codes(), vec!["US"]);
        assert_eq!(pieces[0].time.end.unwrap().to_string(), "2030-01-01");
        assert_eq!(pieces[1].territory.codes(), vec!["DE", "US"]);
        assert_eq!(pieces[1].time.end.unwrap().to_string(), "2036-01-01");
    }

    #[test]
    fn a_pending_application_is_in_no_piece() {
        let src = format!(
            "{HEAD}
asset fam: patent family of acme {{
  patent \"US 1\" expires 2030-01-01
  patent \"DE 1\" pending filed 2025-01-01
}}
grant g: acme -> globex {{
  assets fam
  field robotics
  territory [US, DE]
  term until expiry
  non-exclusive
}}
reserve fam {{ territory [DE] }}
"
        );
        let (_, l) = ledger(&src);
        let de = crate::iso::country_index("DE").unwrap();
        let day = crate::date::Date::parse("2027-01-01").unwrap();
        let pending = l.subjects.iter().find(|s| s.label == "DE 1").unwrap();
        assert!(pending.pending && !pending.in_force(de, day) && pending.pending_in(de, day));
        // Only the US patent: the term ends with it, and the reservation has no piece.
        let pieces = l.pieces_of(&l.grants[0]);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].territory.codes(), vec!["US"]);
        assert_eq!(l.grants[0].time.end.unwrap().to_string(), "2030-01-01");
        assert!(l.reservation_pieces(&l.reservations[0]).is_empty());
    }

    #[test]
    fn a_surviving_license_outlives_the_agreement() {
        let src = format!(
            "{HEAD}
asset kh: know-how of acme
grant g: acme -> globex {{
  assets kh
  field robotics
  territory [US]
  term perpetual
  non-exclusive
}}
sunset g {{ survives license }}
"
        );
        let (_, l) = ledger(&src);
        let pieces = l.pieces_of(&l.grants[0]);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].time.end, None);
    }

    #[test]
    fn until_expiry_ends_a_whole_asset_country_by_country() {
        let src = format!(
            "{HEAD}
asset fam: patent family of acme {{
  patent \"US 1\" expires 2030-01-01
  patent \"DE 1\" expires 2032-06-01
}}
asset kh: know-how of acme
grant g: acme -> globex {{
  assets fam, kh
  field robotics
  territory [US, DE]
  term until expiry
  non-exclusive
}}
sunset g {{ wind down 90 days survives license }}
"
        );
        let (_, l) = ledger(&src);
        let g = &l.grants[0];
        let us = crate::iso::country_index("US").unwrap();
        let de = crate::iso::country_index("DE").unwrap();
        assert_eq!(g.end_in(us).unwrap().to_string(), "2030-01-01");
        assert_eq!(g.end_in(de).unwrap().to_string(), "2032-06-01");
        let kh_sell_off: Vec<_> = l
            .pieces_of(g)
            .iter()
            .filter(|p| p.kind == PieceKind::SellOff)
            .collect();
        // Patents have expired when their sell-off would begin; the know-how sells off
        // per country after the term there.
        assert_eq!(kh_sell_off.len(), 2);
        assert!(kh_sell_off
            .iter()
            .all(|p| !p.rights.contains(Right::Make) && p.rights.contains(Right::Sell)));
    }

    /// pools (issue 15): a brute-force check of the membership cut. For every day
    /// around every join and leave date, a pool grant's pieces must reach exactly the
    /// parties it reaches that are members that day (an affiliate with its party),
    /// and none when its licensor is not a member.
    #[test]
    fn pool_pieces_reach_exactly_the_members_of_each_day() {
        let src = r#"
agreement "P" { effective 2026-01-01 term 10 years kind pool parties a, b, c, d }
party a "A" { leaves 2033-01-01 }
party b "B" { joins 2027-06-01 leaves 2031-01-01 }
party c "C" { joins 2029-01-01 affiliate c1 "C One" }
party d "D"
fields { video }
asset a_codec: patent family of a
asset d_codec: patent family of d
grant a_pool: a -> members and affiliates { assets a_codec field video territory [US] non-exclusive }
grant d_pool: d -> members and affiliates { assets d_codec field video territory [US] non-exclusive }
"#;
        let (c, l) = ledger(src);
        let m = &c.model;
        let member = |p: PartyId, day: Date| {
            m.membership(p).is_none_or(|ms| {
                ms.joins.is_none_or(|j| j <= day) && ms.leaves.is_none_or(|x| day < x)
            })
        };
        let mut days = Vec::new();
        for s in [
            "2026-01-01",
            "2027-06-01",
            "2029-01-01",
            "2031-01-01",
            "2033-01-01",
            "2036-01-01",
        ] {
            let d = Date::parse(s).unwrap();
            days.extend([d.pred().unwrap(), d, d.succ().unwrap()]);
        }
        let us = crate::iso::country_index("US").unwrap();
        let mut checked = 0;
        for g in &l.grants {
            for &day in &days {
                let mut reached: Vec<PartyId> = l
                    .pieces_of(g)
                    .iter()
                    .filter(|p| p.covers(Right::Make, us, day))
                    .flat_map(|p| p.members.clone().unwrap_or_else(|| g.reach.clone()))
                    .collect();
                reached.sort();
                reached.dedup();
                let in_term = day >= Date::parse("2026-01-01").unwrap()
                    && day < Date::parse("2036-01-01").unwrap();
                let expected: Vec<PartyId> = if in_term && member(g.licensor, day) {
                    g.reach
                        .iter()
                        .copied()
                        .filter(|p| member(*p, day))
                        .collect()
                } else {
                    Vec::new()
                };
                assert_eq!(reached, expected, "grant {} on {day}", g.index);
                checked += 1;
            }
        }
        assert_eq!(checked, 2 * days.len());
    }
}
