//! The reference evaluator: "may party P exercise right R over asset A in field F,
//! territory T, on date D?", answered from the rights ledger of a compiled [`Policy`]
//! with the reasons and the clauses they come from.
//!
//! The policy is read back into its model ([`crate::policy::read`]) and the ledger is
//! derived from it, so an answer means exactly what the checker judged. A request names
//! an asset; what needs a license is each of the asset's subjects (patents, or the
//! asset taken whole) in force in T on D. None in force: no license is needed. Each
//! one in force must be covered — by a grant reaching P (through this asset or any
//! other that holds the patent), by P's ownership where no exclusive license shuts the
//! owner out, or by rights P retained — for the answer to be `permit`.

use crate::date::Date;
use crate::ledger::{Clause, GrantEntry, Ledger, Piece, PieceKind, SubjectId, SELL_OFF};
use crate::model::{AssetId, FieldId, Model, PartyId, PurposeSet};
use crate::policy::read::{load, Loaded};
use crate::policy::{ConsiderationOut, GrantOut, Policy};
use crate::vocab::{ExclusivityKind, Right};
// foldhash, not SipHash: every request looks up its party, asset and field by name.
use foldhash::{HashMap, HashMapExt};

mod types;
pub use types::*;

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The point a request asks about, past the party and the asset.
#[derive(Debug, Clone, Copy)]
struct Point {
    right: Right,
    field: FieldId,
    country: u8,
    date: Date,
    /// The purposes the use must be licensed for (every purpose when none is named).
    purposes: PurposeSet,
    /// Whether the answer gives its reasons and obligations (not for
    /// [`Evaluator::decide`], which builds neither).
    explain: bool,
}

/// An index over a policy's ledger for answering requests.
pub struct Evaluator<'p> {
    policy: &'p Policy,
    model: Model,
    ledger: Ledger,
    parties: HashMap<&'p str, PartyId>,
    assets: HashMap<&'p str, AssetId>,
    fields: HashMap<&'p str, FieldId>,
    /// (asset, party): the grants reaching the party with a piece on one of the asset's
    /// subjects (through this asset or another that holds the same patent).
    by_asset_party: HashMap<(u32, u32), Vec<u32>>,
    /// The diligence milestones taken as missed (rights: issue 15): a grant whose
    /// exclusivity converts on one is non-exclusive after its date.
    missed: Vec<String>,
}

/// Up to eight values in place, more on the heap: the subjects of an asset in force
/// where a request asks, and which of them are covered (a few patents at most, as a
/// rule), without an allocation per request (issue 19).
enum Few<T> {
    Inline([T; 8], usize),
    Heap(Vec<T>),
}

impl<T: Copy> Few<T> {
    /// The values of `values`; `filler` stands in the unused places.
    fn collect(values: impl Iterator<Item = T>, filler: T) -> Few<T> {
        let mut inline = [filler; 8];
        let mut n = 0;
        let mut values = values;
        while let Some(v) = values.next() {
            match inline.get_mut(n) {
                Some(slot) => {
                    *slot = v;
                    n += 1;
                }
                None => {
                    let mut all = inline.to_vec();
                    all.push(v);
                    all.extend(values);
                    return Few::Heap(all);
                }
            }
        }
        Few::Inline(inline, n)
    }

    /// `n` times `value`.
    fn filled(value: T, n: usize) -> Few<T> {
        if n <= 8 {
            Few::Inline([value; 8], n)
        } else {
            Few::Heap(vec![value; n])
        }
    }

    fn as_slice(&self) -> &[T] {
        match self {
            Few::Inline(values, n) => values.get(..*n).unwrap_or(&[]),
            Few::Heap(values) => values,
        }
    }

    /// Adds `value` at the end.
    fn push(&mut self, value: T) {
        match self {
            Few::Inline(values, n) => match values.get_mut(*n) {
                Some(slot) => {
                    *slot = value;
                    *n += 1;
                }
                None => {
                    let mut all = values.to_vec();
                    all.push(value);
                    *self = Few::Heap(all);
                }
            },
            Few::Heap(values) => values.push(value),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Few::Inline(values, n) => values.get_mut(..*n).unwrap_or(&mut []),
            Few::Heap(values) => values,
        }
    }
}

fn in_window(start: Date, end: Option<Date>, d: Date) -> bool {
    start <= d && end.is_none_or(|e| d < e)
}

impl<'p> Evaluator<'p> {
    /// Reads a policy back and indexes its ledger. Fails when the policy's version is
    /// not one this build reads, or it does not hold together.
    pub fn new(policy: &'p Policy) -> Result<Evaluator<'p>, QueryError> {
        let Loaded { model, ledger } =
            load(policy).map_err(|e| QueryError { message: e.message })?;
        let parties = policy
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), PartyId(idx(i))))
            .collect();
        let assets = policy
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), AssetId(idx(i))))
            .collect();
        let fields = policy
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), FieldId(idx(i))))
            .collect();
        let mut by_asset_party: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        for (gi, g) in ledger.grants.iter().enumerate() {
            let mut assets: Vec<AssetId> = Vec::new();
            for p in ledger.pieces_of(g) {
                if let Some(s) = ledger.subject(p.subject) {
                    assets.extend(s.assets.iter().copied());
                }
            }
            // A grant that licenses nothing in force still explains a denial.
            if let Some(m) = ledger.grant_model(&model, g) {
                assets.extend(m.assets.iter().copied());
            }
            assets.sort();
            assets.dedup();
            for a in assets {
                for p in &g.reach {
                    by_asset_party.entry((a.0, p.0)).or_default().push(idx(gi));
                }
            }
        }
        Ok(Evaluator {
            policy,
            model,
            ledger,
            parties,
            assets,
            fields,
            by_asset_party,
            missed: Vec::new(),
        })
    }

    /// The names [`Evaluator::assume_missed`] takes: every grant's diligence milestones
    /// and named commitments, in the order of the grants.
    pub fn milestones(&self) -> Vec<&str> {
        self.model
            .agreements
            .iter()
            .flat_map(|a| &a.grants)
            .flat_map(|g| {
                g.diligence
                    .iter()
                    .map(|d| d.name.as_str())
                    .chain(g.commitments.iter().filter_map(|c| c.name.as_deref()))
            })
            .collect()
    }

    /// Takes these diligence milestones (and named commitments, round 6: missed in a
    /// period that ended before the request's date) as missed for every request
    /// (rights: issue 15). A name that is no milestone or commitment of any grant is an
    /// error.
    pub fn assume_missed(mut self, names: &[String]) -> Result<Evaluator<'p>, QueryError> {
        let known = self.milestones();
        for name in names {
            if !known.contains(&name.as_str()) {
                let mut e = self.unknown("diligence milestone or commitment", name, known.clone());
                if known.is_empty() {
                    e.message.push_str(
                        ": the policy's grants have no `diligence` lines and no named commitments",
                    );
                }
                return Err(e);
            }
        }
        self.missed = names.to_vec();
        Ok(self)
    }

    fn unknown(&self, what: &str, value: &str, candidates: Vec<&str>) -> QueryError {
        let hint = match crate::iso::closest(value, candidates) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => String::new(),
        };
        QueryError {
            message: format!("unknown {what} `{value}`{hint}"),
        }
    }

    fn grant_out(&self, g: &GrantEntry) -> Option<(&'p GrantOut, &'p str)> {
        let a = self.policy.agreements.get(g.agreement)?;
        Some((a.grants.get(g.index)?, a.id.as_str()))
    }

    fn cite(&self, g: &GrantEntry, kind: ReasonKind, detail: String) -> Reason {
        let (clause, agreement, source) = match self.grant_out(g) {
            Some((x, a)) => (
                Some(x.id.clone()),
                Some(a.to_string()),
                Some(x.source.clone()),
            ),
            None => (None, None, None),
        };
        Reason {
            kind,
            clause,
            agreement,
            source,
            detail,
        }
    }

    fn cite_reservation(&self, r: usize, kind: ReasonKind, detail: String) -> Reason {
        let entry = self.ledger.reservations.get(r);
        let res = entry.and_then(|e| {
            let a = self.policy.agreements.get(e.agreement)?;
            Some((a, a.reservations.get(e.index)?))
        });
        Reason {
            kind,
            // outputs: a reason names a reservation by the name written in the
            // sources; a derived id (version 5) is left out, as before.
            clause: res.and_then(|(_, x)| {
                x.id.clone()
                    .filter(|id| !crate::policy::ids::is_derived(id))
            }),
            agreement: res.map(|(a, _)| a.id.clone()),
            source: res.map(|(_, x)| x.source.clone()),
            detail,
        }
    }

    /// A grant's field set.
    fn grant_fields(&self, g: &GrantEntry) -> Option<&crate::model::GrantModel> {
        self.ledger.grant_model(&self.model, g)
    }

    /// Whether a piece of a clause covers the point (its clause's fields included).
    fn piece_covers(&self, p: &Piece, right: Right, field: FieldId, c: u8, d: Date) -> bool {
        if !p.covers(right, c, d) {
            return false;
        }
        match p.clause {
            Clause::Grant(g) => self
                .ledger
                .grant(g)
                .and_then(|g| self.grant_fields(g))
                .is_some_and(|m| m.fields.contains(field)),
            Clause::Reservation(r) => self.reservation_fields_contain(r, field),
            // clauses (issue 15): a first right grants nothing (and has no piece in the
            // ledger).
            Clause::FirstRight(_) => false,
        }
    }

    fn reservation_fields_contain(&self, r: usize, field: FieldId) -> bool {
        self.ledger
            .reservations
            .get(r)
            .and_then(|e| {
                self.model
                    .agreements
                    .get(e.agreement)?
                    .reservations
                    .get(e.index)
            })
            .is_some_and(|m| m.all_fields || m.fields.contains(field))
    }

    fn reservation_holder(&self, r: usize) -> Option<PartyId> {
        let e = self.ledger.reservations.get(r)?;
        self.model
            .agreements
            .get(e.agreement)?
            .reservations
            .get(e.index)?
            .holder
    }

    /// The days on which one grant permits one of its assets in one country, for a
    /// party it reaches, a right it grants and a field it covers: the `term` window,
    /// in which [`Evaluator::evaluate`] answers `granted`, and the `sell_off` window
    /// after it, in which it permits only `sell`, `offer` and `distribute`. Both are
    /// empty outside the grant's territories and where no patent of the asset is in
    /// force. `agreement` and `grant` index the policy's lists; `None` when they do
    /// not name a grant of this asset or the country is unknown.
    pub fn grant_windows(
        &self,
        agreement: usize,
        grant: usize,
        asset: &str,
        country: &str,
        licensee: Option<&str>,
    ) -> Option<GrantWindows> {
        let gi = self.ledger.grant_index(agreement, grant)?;
        let g = self.ledger.grant(gi)?;
        let aid = *self.assets.get(asset)?;
        let m = self.grant_fields(g)?;
        if !m.assets.contains(&aid) {
            return None;
        }
        let t = crate::iso::country_index(country)?;
        // pools (issue 15): with a licensee, only the pieces that reach it (a pool
        // member's pieces start when it joins and end when it leaves).
        let party = match licensee {
            Some(name) => Some(*self.parties.get(name)?),
            None => None,
        };
        let span = |kind: PieceKind| -> Option<Window> {
            let mut out: Option<Window> = None;
            for p in self.ledger.pieces_of(g) {
                if p.kind != kind || p.asset != aid || !p.territory.contains(t) {
                    continue;
                }
                if party.is_some_and(|who| !p.reaches(&g.reach, who)) {
                    continue;
                }
                out = Some(match out {
                    None => (p.time.start, p.time.end),
                    Some((s, e)) => (
                        s.min(p.time.start),
                        match (e, p.time.end) {
                            (Some(a), Some(b)) => Some(a.max(b)),
                            _ => None,
                        },
                    ),
                });
            }
            out
        };
        Some(GrantWindows {
            term: span(PieceKind::Term),
            sell_off: span(PieceKind::SellOff),
        })
    }

    /// pools (issue 15): whether some piece of the grant reaches only some of its
    /// licensees (a pool with dated membership), so that what it permits depends on
    /// the licensee, not only on the asset, the country and the day.
    pub fn grant_cut_by_membership(&self, agreement: usize, grant: usize) -> bool {
        self.ledger
            .grant_index(agreement, grant)
            .and_then(|gi| self.ledger.grant(gi))
            .is_some_and(|g| self.ledger.pieces_of(g).iter().any(|p| p.members.is_some()))
    }

    /// Answers one request.
    pub fn evaluate(&self, req: &Request) -> Result<Answer, QueryError> {
        self.respond(req, true)
    }

    /// The decision alone, for a program that needs no reasons: no reason and no
    /// obligation is built (the answer's decision is always [`Evaluator::evaluate`]'s),
    /// and for an asset with at most eight subjects in force where asked nothing is
    /// allocated but what an error or an unnamed affiliate's denial needs.
    pub fn decide(&self, req: &Request) -> Result<Decision, QueryError> {
        self.respond(req, false).map(|a| a.decision)
    }

    /// [`Evaluator::evaluate`], with the reasons and obligations only when `explain`.
    fn respond(&self, req: &Request, explain: bool) -> Result<Answer, QueryError> {
        let party = *self.parties.get(req.licensee.as_str()).ok_or_else(|| {
            self.unknown(
                "party",
                &req.licensee,
                self.parties.keys().copied().collect(),
            )
        })?;
        let asset = *self.assets.get(req.asset.as_str()).ok_or_else(|| {
            self.unknown("asset", &req.asset, self.assets.keys().copied().collect())
        })?;
        let right = Right::ALL
            .into_iter()
            .find(|r| r.keyword() == req.right)
            .ok_or_else(|| {
                self.unknown(
                    "right",
                    &req.right,
                    Right::ALL.iter().map(|r| r.keyword()).collect(),
                )
            })?;
        let field = *self.fields.get(req.field.as_str()).ok_or_else(|| {
            self.unknown("field", &req.field, self.fields.keys().copied().collect())
        })?;
        let country = crate::iso::country_index(&req.territory).ok_or_else(|| QueryError {
            message: format!(
                "unknown territory `{}`: give one ISO 3166-1 alpha-2 code such as `DE`",
                req.territory
            ),
        })?;
        let date = Date::parse(&req.date).map_err(|_| QueryError {
            message: format!("`{}` is not a date: write YYYY-MM-DD", req.date),
        })?;
        let purposes = match req.purpose.as_deref() {
            None => PurposeSet::all(),
            Some(word) => PurposeSet::of(
                crate::vocab::Purpose::from_word(word)
                    .ok_or_else(|| {
                        self.unknown("purpose", word, crate::vocab::Purpose::WORDS.to_vec())
                    })?
                    .iter()
                    .copied(),
            ),
        };
        let unnamed = match &req.affiliate {
            None => None,
            Some(a) => match self.unnamed_affiliate(party, a, date, req)? {
                Ok(()) => Some(a.name.as_str()),
                Err(reason) => {
                    return Ok(Answer {
                        decision: Decision::Deny,
                        reasons: vec![reason],
                        obligations: Vec::new(),
                    })
                }
            },
        };
        Ok(self.answer(
            party,
            unnamed,
            asset,
            Point {
                right,
                field,
                country,
                date,
                purposes,
                explain,
            },
            req,
        ))
    }

    /// terms (issue 15): whether an entity the agreement does not name is an affiliate
    /// of `party` by control on `date`: `Err` (a request error) when the party has no
    /// `affiliates by control` or the request is malformed, `Ok(Err(reason))` when it
    /// is not one.
    fn unnamed_affiliate(
        &self,
        party: PartyId,
        a: &UnnamedAffiliate,
        date: Date,
        req: &Request,
    ) -> Result<Result<(), Reason>, QueryError> {
        let decl = self.model.party(party).ok_or_else(|| QueryError {
            message: format!("unknown party `{}`", req.licensee),
        })?;
        if decl.parent.is_some() {
            return Err(QueryError {
                message: format!(
                    "`{}` is an affiliate itself: name the party it belongs to with an unnamed affiliate",
                    req.licensee
                ),
            });
        }
        let Some(control) = &decl.control else {
            let named: Vec<&str> = decl
                .affiliates
                .iter()
                .map(|x| self.model.party_name(*x))
                .collect();
            let hint = if named.is_empty() {
                String::new()
            } else {
                format!(" or ask for a named affiliate ({})", named.join(", "))
            };
            return Err(QueryError {
                message: format!(
                    "`{}` has no affiliates by control, only named ones: add `affiliates by control` to its party block{hint}",
                    req.licensee
                ),
            });
        };
        // The name is judged as given: one with white space around it is refused rather
        // than trimmed, so that the Cedar export (which has no trim) and the OPA bundle
        // decide exactly as this does (docs/query.md).
        let name = a.name.as_str();
        if name.trim().is_empty() {
            return Err(QueryError {
                message: "an unnamed affiliate needs a name".to_string(),
            });
        }
        if name.trim() != name {
            return Err(QueryError {
                message: format!(
                    "the unnamed affiliate's name {name:?} has white space around it: give it without"
                ),
            });
        }
        if let Some(p) = self
            .model
            .parties
            .iter()
            .find(|p| p.legal_name == name || p.name == name)
        {
            return Err(QueryError {
                message: format!(
                    "`{name}` is named in the agreement as `{}`: ask for it as the licensee",
                    p.name
                ),
            });
        }
        let kind = match a.control.as_deref() {
            None => crate::vocab::ControlKind::ControlledBy,
            Some(w) => crate::vocab::ControlKind::from_word(w).ok_or_else(|| {
                self.unknown(
                    "kind of control",
                    w,
                    crate::vocab::ControlKind::ALL
                        .iter()
                        .map(|k| k.word())
                        .collect(),
                )
            })?,
        };
        let since = match a.controlled_since.as_deref() {
            None => None,
            Some(d) => Some(Date::parse(d).map_err(|_| QueryError {
                message: format!("`{d}` is not a date: write YYYY-MM-DD"),
            })?),
        };
        if control.as_of.is_some() && since.is_none() {
            return Err(QueryError {
                message: format!(
                    "the affiliates of `{}` are those controlled as of a date: say since when `{name}` is (`controlled_since`, `--controlled-since`)",
                    req.licensee
                ),
            });
        }
        let not = |detail: String| Reason {
            kind: ReasonKind::NotAffiliate,
            clause: None,
            agreement: None,
            source: self
                .policy
                .parties
                .get(party.0 as usize)
                .map(|p| p.source.clone()),
            detail,
        };
        if !control.kinds.contains(&kind) {
            let kinds: Vec<&str> = control
                .kinds
                .iter()
                .map(|k| match k {
                    crate::vocab::ControlKind::ControlledBy => "controlled by it",
                    crate::vocab::ControlKind::Controlling => "controlling it",
                    crate::vocab::ControlKind::CommonControl => "under common control with it",
                })
                .collect();
            return Ok(Err(not(format!(
                "the affiliates of `{}` by control are entities {}; `{name}` is not one",
                req.licensee,
                kinds.join(" or ")
            ))));
        }
        if let (Some(as_of), Some(s)) = (control.as_of, since) {
            if s > as_of {
                return Ok(Err(not(format!(
                    "the affiliates of `{}` are those so related as of {as_of}; `{name}` is only since {s}",
                    req.licensee
                ))));
            }
        }
        if let Some(s) = since.filter(|s| *s > date) {
            return Ok(Err(not(format!(
                "`{name}` is related to `{}` by control only since {s}, after {date}",
                req.licensee
            ))));
        }
        Ok(Ok(()))
    }

    /// `unnamed`: the request is for an unnamed affiliate of `party` by control (by
    /// that name), which owns and retains nothing and is reached by the grants to
    /// `party` `and affiliates`.
    fn answer(
        &self,
        party: PartyId,
        unnamed: Option<&str>,
        asset: AssetId,
        point: Point,
        req: &Request,
    ) -> Answer {
        let explain = point.explain;
        let who = unnamed.unwrap_or(req.licensee.as_str());
        let (right, country, date) = (point.right, point.country, point.date);
        let needed = Few::collect(self.ledger.in_force(asset, country, date), SubjectId(0));
        let needed = needed.as_slice();
        let mut reasons = Vec::new();
        let mut obligations = Vec::new();
        if needed.is_empty() && !explain {
            return Answer {
                decision: Decision::NoLicenseNeeded,
                reasons,
                obligations,
            };
        }
        if needed.is_empty() {
            // A pending application there gives no right to exclude yet (rights: issue 15).
            let pending: Vec<&str> = self
                .ledger
                .subjects_of(asset)
                .iter()
                .filter_map(|s| self.ledger.subject(*s))
                .filter(|s| s.pending_in(country, date))
                .map(|s| s.label.as_str())
                .collect();
            let (kind, detail) = if pending.is_empty() {
                (
                    ReasonKind::PatentNotInForce,
                    [
                        "no patent of `",
                        &req.asset,
                        "` is in force in ",
                        &req.territory,
                        " on ",
                        &date.to_string(),
                        ": no license is needed under it",
                    ]
                    .concat(),
                )
            } else {
                (
                    ReasonKind::PendingApplication,
                    format!(
                        "no patent of `{}` is in force in {} on {date}; {} pending there, which gives no right to exclude until granted: no license is needed under it yet",
                        req.asset,
                        req.territory,
                        match pending.as_slice() {
                            [one] => format!("application {one} is"),
                            many => format!("applications {} are", many.join(", ")),
                        }
                    ),
                )
            };
            return Answer {
                decision: Decision::NoLicenseNeeded,
                reasons: vec![Reason {
                    kind,
                    clause: None,
                    agreement: None,
                    source: self
                        .policy
                        .assets
                        .get(asset.0 as usize)
                        .map(|a| a.source.clone()),
                    detail,
                }],
                obligations,
            };
        }

        // Hard reservations deny whatever else is said.
        let mut reserved = false;
        for s in needed {
            for (_, p) in self.ledger.pieces_on(*s) {
                let Clause::Reservation(r) = p.clause else {
                    continue;
                };
                if self.reservation_holder(r).is_some()
                    || !self.piece_covers(p, right, point.field, country, date)
                    || p.purposes.intersection(point.purposes).is_empty()
                {
                    continue;
                }
                reserved = true;
                if !explain {
                    break;
                }
                let reason = self.cite_reservation(
                    r,
                    ReasonKind::Reserved,
                    format!("`{}` is reserved here: no one is licensed", req.asset),
                );
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
        if reserved {
            return Answer {
                decision: Decision::Deny,
                reasons,
                obligations,
            };
        }

        // What covers each subject in force: the party's own rights, then its licenses.
        let mut covered = Few::filled(false, needed.len());
        let covered = covered.as_mut_slice();
        let owns = unnamed.is_none()
            && self
                .model
                .asset(asset)
                .is_some_and(|a| a.owners.contains(&party));
        for (k, s) in needed.iter().enumerate() {
            let retained = self
                .retained(*s, party, &point)
                .filter(|_| unnamed.is_none());
            if !owns && retained.is_none() {
                continue;
            }
            let blocking = self.blocking(*s, party, &point, retained);
            if blocking.as_slice().is_empty() {
                if let Some(slot) = covered.get_mut(k) {
                    *slot = true;
                }
                if !explain {
                    continue;
                }
                let reason = match retained {
                    Some(r) => self.cite_reservation(
                        r,
                        ReasonKind::Retained,
                        format!("`{who}` keeps these rights in `{}`", req.asset),
                    ),
                    None => Reason {
                        kind: ReasonKind::Owner,
                        clause: None,
                        agreement: None,
                        source: self
                            .policy
                            .assets
                            .get(asset.0 as usize)
                            .map(|a| a.source.clone()),
                        detail: format!("`{who}` owns `{}`", req.asset),
                    },
                };
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            for &g in blocking.as_slice().iter().filter(|_| explain) {
                let Some(entry) = self.ledger.grant(g) else {
                    continue;
                };
                let licensees = self
                    .grant_out(entry)
                    .map(|(x, _)| x.licensees.join(", "))
                    .unwrap_or_default();
                let reason = self.cite(
                    entry,
                    ReasonKind::ExclusiveToAnother,
                    format!(
                        "`{}` is licensed exclusively to {licensees} here",
                        req.asset
                    ),
                );
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }

        let candidates = self
            .by_asset_party
            .get(&(asset.0, party.0))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &gi in candidates {
            let Some(g) = self.ledger.grant(gi as usize) else {
                continue;
            };
            // An unnamed affiliate is reached only by a grant to its party `and
            // affiliates`.
            if unnamed.is_some()
                && !self
                    .grant_fields(g)
                    .is_some_and(|m| m.to_affiliates && m.licensees.contains(&party))
            {
                continue;
            }
            let (kind, detail, permits) = self.judge(g, party, needed, covered, &point, req);
            if !explain {
                continue;
            }
            if permits {
                // terms (issue 15, round 5): whether a licensed patent of the grant is in
                // force in the request's country on its date, for royalties `until
                // expiry` (payable while one is) and `from expiry` (when none is).
                let in_force = self.ledger.pieces_of(g).iter().any(|p| {
                    self.ledger
                        .subject(p.subject)
                        .is_some_and(|s| s.kind == crate::ledger::SubjectKind::Patent)
                        && p.territory.contains(point.country)
                        && p.time.start <= date
                        && p.time.end.is_none_or(|e| date < e)
                });
                if let Some((out, agreement)) = self.grant_out(g) {
                    for c in out.consideration.iter().filter(|c| match c {
                        ConsiderationOut::RoyaltyFree => false,
                        // A lump sum due before the request is not owed by it.
                        ConsiderationOut::LumpSum { due: Some(d), .. } => *d >= date,
                        // A running royalty not payable on the request's date (it
                        // starts later or has ended: paid up) is not owed by it.
                        ConsiderationOut::Royalty {
                            from,
                            until,
                            until_expiry,
                            from_expiry,
                            ..
                        }
                        | ConsiderationOut::PerUnit {
                            from,
                            until,
                            until_expiry,
                            from_expiry,
                            ..
                        }
                        | ConsiderationOut::Tiered {
                            from,
                            until,
                            until_expiry,
                            from_expiry,
                            ..
                        } => crate::model::RoyaltyPeriod {
                            from: *from,
                            until: *until,
                            until_expiry: *until_expiry,
                            from_expiry: *from_expiry,
                            payable: None,
                            report: None,
                        }
                        .payable_on(date, in_force),
                        _ => true,
                    }) {
                        obligations.push(Obligation {
                            clause: out.id.clone(),
                            agreement: agreement.to_string(),
                            consideration: c.clone(),
                        });
                    }
                }
            }
            reasons.push(self.cite(g, kind, detail));
        }
        let permitted = covered.iter().all(|c| *c);
        if explain && reasons.is_empty() {
            reasons.push(Reason {
                kind: ReasonKind::NotGranted,
                clause: None,
                agreement: None,
                source: None,
                detail: ["no grant of `", &req.asset, "` reaches `", who, "`"].concat(),
            });
        } else if explain && !permitted && covered.iter().any(|c| *c) {
            let missing: Vec<&str> = needed
                .iter()
                .zip(covered.iter())
                .filter(|(_, c)| !**c)
                .filter_map(|(s, _)| self.ledger.subject(*s))
                .map(|s| s.label.as_str())
                .collect();
            reasons.push(Reason {
                kind: ReasonKind::NotGranted,
                clause: None,
                agreement: None,
                source: None,
                detail: format!(
                    "`{who}` holds no license here under {} of `{}`",
                    missing.join(", "),
                    req.asset
                ),
            });
        }
        // A permit lists what permits; a denial, every reason it was denied.
        let permitting = |r: &Reason| {
            matches!(
                r.kind,
                ReasonKind::Granted
                    | ReasonKind::Owner
                    | ReasonKind::Retained
                    | ReasonKind::Covenant
                    | ReasonKind::Released
            ) || (r.kind == ReasonKind::WindDownSellOffOnly && SELL_OFF.contains(&right))
        };
        if permitted {
            reasons.retain(permitting);
        } else {
            obligations.clear();
        }
        Answer {
            decision: if permitted {
                Decision::Permit
            } else {
                Decision::Deny
            },
            reasons,
            obligations,
        }
    }

    /// A retained reservation of the party covering the point on a subject (for every
    /// purpose asked).
    fn retained(&self, s: SubjectId, party: PartyId, point: &Point) -> Option<usize> {
        self.ledger.pieces_on(s).find_map(|(_, p)| match p.clause {
            Clause::Reservation(r)
                if self.reservation_holder(r) == Some(party)
                    && self.piece_covers(
                        p,
                        point.right,
                        point.field,
                        point.country,
                        point.date,
                    )
                    && p.purposes.covers(point.purposes) =>
            {
                Some(r)
            }
            _ => None,
        })
    }

    /// The exclusive grants made by an owner of the subject to others that shut the
    /// party out at the point (unless carved out by the party's retained rights the
    /// grant is `subject to`). A licensee's exclusive sublicense never shuts the owner
    /// out: only what the owner granted binds it. An exclusive grant for some purposes
    /// shuts the party out of those only.
    fn blocking(
        &self,
        s: SubjectId,
        party: PartyId,
        point: &Point,
        retained: Option<usize>,
    ) -> Few<usize> {
        let owners: &[PartyId] = self.ledger.subject(s).map_or(&[], |x| &x.owners);
        let mut out = Few::filled(0, 0);
        for (_, p) in self.ledger.pieces_on(s) {
            let (PieceKind::Term, Clause::Grant(gi)) = (p.kind, p.clause) else {
                continue;
            };
            let Some(g) = self.ledger.grant(gi) else {
                continue;
            };
            // An exclusivity converted by a missed milestone binds no one after it.
            let converted = self
                .grant_fields(g)
                .is_some_and(|m| m.converted_on(point.date, &self.missed));
            if g.exclusivity != ExclusivityKind::Exclusive
                || converted
                || !owners.contains(&g.licensor)
                || p.reaches(&g.reach, party)
                || !self.piece_covers(p, point.right, point.field, point.country, point.date)
                || p.purposes.intersection(point.purposes).is_empty()
            {
                continue;
            }
            let carved = retained.is_some_and(|r| {
                let Some(e) = self.ledger.reservations.get(r) else {
                    return false;
                };
                e.agreement == g.agreement
                    && self
                        .grant_fields(g)
                        .is_some_and(|m| m.subject_to.contains(&e.index))
            });
            if !carved && !out.as_slice().contains(&gi) {
                out.push(gi);
            }
        }
        out
    }

    /// Judges one grant reaching the party: marks the subjects it covers and says why it
    /// permits or not.
    fn judge(
        &self,
        g: &GrantEntry,
        party: PartyId,
        needed: &[SubjectId],
        covered: &mut [bool],
        point: &Point,
        req: &Request,
    ) -> (ReasonKind, String, bool) {
        let Point {
            right,
            field,
            country,
            date,
            purposes,
            explain,
        } = *point;
        // The detail, only when the reasons are asked for.
        let say = |detail: &dyn Fn() -> String| if explain { detail() } else { String::new() };
        let Some(m) = self.grant_fields(g) else {
            return (ReasonKind::NotGranted, String::new(), false);
        };
        let id = m.id.as_str();
        // The most frequent reasons are joined with `concat` (one allocation of their
        // length): `format!` cost more than the rest of the answer (issue 19, round 12).
        if !m.rights.contains(right) {
            return (
                ReasonKind::NotGranted,
                say(&|| ["`", id, "` does not grant the right to ", &req.right].concat()),
                false,
            );
        }
        if !m.fields.contains(field) {
            return if m.field_exclude.contains(field) && m.field_include.contains(field) {
                (
                    ReasonKind::Excepted,
                    say(&|| ["`", id, "` excepts the field `", &req.field, "`"].concat()),
                    false,
                )
            } else {
                (
                    ReasonKind::NotGranted,
                    say(&|| ["`", id, "` does not cover the field `", &req.field, "`"].concat()),
                    false,
                )
            };
        }
        if !m.territory.contains(country) {
            return if m.territory_exclude.contains(country) && m.territory_include.contains(country)
            {
                (
                    ReasonKind::Excepted,
                    say(&|| ["`", id, "` excepts ", &req.territory].concat()),
                    false,
                )
            } else {
                (
                    ReasonKind::NotGranted,
                    say(&|| ["`", id, "` does not cover ", &req.territory].concat()),
                    false,
                )
            };
        }
        if !m.purposes.covers(purposes) {
            let detail = say(&|| {
                let only = crate::text::join_list(&m.purposes.words());
                match &req.purpose {
                    None => format!(
                        "`{id}` licenses it only for {only} purposes, and the request names no purpose: give the purpose of the use (`--purpose`)"
                    ),
                    Some(asked) => {
                        format!("`{id}` licenses it only for {only} purposes, not {asked}")
                    }
                }
            });
            return (ReasonKind::OutsidePurpose, detail, false);
        }
        if date < g.time.start {
            return (
                ReasonKind::NotYetInForce,
                say(&|| format!("`{id}` starts on {}", g.time.start)),
                false,
            );
        }
        // Which subjects its term pieces cover, and which its sell-off pieces.
        let mut term = false;
        let mut sell_off = false;
        // pools (issue 15): a piece for the pool's members of its period only.
        let mut not_member = false;
        for p in self.ledger.pieces_of(g) {
            let Some(k) = needed.iter().position(|s| *s == p.subject) else {
                continue;
            };
            if !p.territory.contains(country) || !in_window(p.time.start, p.time.end, date) {
                continue;
            }
            if !p.reaches(&g.reach, party) {
                not_member = true;
                continue;
            }
            match p.kind {
                PieceKind::Term if p.rights.contains(right) => {
                    term = true;
                    if let Some(c) = covered.get_mut(k) {
                        *c = true;
                    }
                }
                PieceKind::SellOff => {
                    sell_off = true;
                    if p.rights.contains(right) {
                        if let Some(c) = covered.get_mut(k) {
                            *c = true;
                        }
                    }
                }
                PieceKind::Term => {}
            }
        }
        if term && m.release.is_some() {
            return (
                ReasonKind::Released,
                say(&|| {
                    format!(
                        "`{id}` releases the acts done before {}",
                        m.release.map(|d| d.to_string()).unwrap_or_default()
                    )
                }),
                true,
            );
        }
        if let Some(before) = m.release.filter(|b| date >= *b) {
            return (
                ReasonKind::Expired,
                say(&|| format!("`{id}` releases only the acts done before {before}")),
                false,
            );
        }
        if term && m.covenant {
            return (
                ReasonKind::Covenant,
                say(&|| {
                    format!(
                        "`{id}`: `{}` covenants not to sue for it",
                        self.model.party_name(m.licensor)
                    )
                }),
                true,
            );
        }
        if term {
            return (
                ReasonKind::Granted,
                say(&|| ["`", id, "` grants it"].concat()),
                true,
            );
        }
        if let Some(reason) = self.membership_reason(g, m, party, date, not_member, explain) {
            return reason;
        }
        let end = g.end_in(country);
        let effective_end = g.effective_end_in(country);
        if sell_off {
            let ended = effective_end.unwrap_or(date);
            let last_sell = g
                .wind_down
                .and_then(|w| ended.add_duration(w))
                .and_then(|e| e.pred())
                .unwrap_or(ended);
            let permits = SELL_OFF.contains(&right);
            return (
                ReasonKind::WindDownSellOffOnly,
                say(&|| {
                    format!(
                        "`{id}` ended on {}; through {last_sell} only selling off (sell, offer, distribute) is allowed",
                        ended.pred().unwrap_or(ended)
                    )
                }),
                permits,
            );
        }
        if let Some(e) = effective_end.filter(|e| date >= *e) {
            // Ended with its agreement (a license that does not survive it), or its term.
            let why = if end.is_none_or(|t| e < t) {
                " with its agreement"
            } else {
                ""
            };
            return (
                ReasonKind::Expired,
                say(&|| format!("`{id}` ended{why} on {}", e.pred().unwrap_or(e))),
                false,
            );
        }
        (
            ReasonKind::PatentNotInForce,
            say(&|| {
                [
                    "`",
                    id,
                    "` licenses no patent of `",
                    &req.asset,
                    "` in force in ",
                    &req.territory,
                    " on ",
                    &date.to_string(),
                ]
                .concat()
            }),
            false,
        )
    }

    /// pools (issue 15): why a pool grant does not reach the party on the date because
    /// of a membership: the party (or its licensor) has not joined yet or has left.
    fn membership_reason(
        &self,
        g: &GrantEntry,
        m: &crate::model::GrantModel,
        party: PartyId,
        date: Date,
        not_member: bool,
        explain: bool,
    ) -> Option<(ReasonKind, String, bool)> {
        let pool = self
            .ledger
            .agreement(&self.model, g)
            .is_some_and(|a| a.kind == crate::vocab::AgreementKind::Pool);
        if !pool {
            return None;
        }
        let id = m.id.as_str();
        let say = |detail: &dyn Fn() -> String| if explain { detail() } else { String::new() };
        let said = |who: PartyId, whose: &str| -> Option<(ReasonKind, String, bool)> {
            let ms = self.model.membership(who)?;
            let name = self.model.party_name(who);
            if let Some(j) = ms.joins.filter(|j| date < *j) {
                return Some((
                    ReasonKind::NotYetInForce,
                    say(&|| format!("`{id}`: `{name}` joins the pool on {j}{whose}")),
                    false,
                ));
            }
            let l = ms.leaves.filter(|l| date >= *l)?;
            Some((
                ReasonKind::Expired,
                say(&|| format!("`{id}`: `{name}` left the pool on {l}{whose}")),
                false,
            ))
        };
        if let Some(r) = said(g.licensor, ", and licenses only as a member") {
            return Some(r);
        }
        if not_member {
            return said(party, "");
        }
        None
    }

    /// Answers one line of `--batch` input: a JSON request, or an error object.
    pub fn evaluate_line(&self, line: &str) -> String {
        let answer = serde_json::from_str::<Request>(line)
            .map_err(|e| format!("malformed request: {e}"))
            .and_then(|req| self.evaluate(&req).map_err(|e| e.message));
        match answer {
            Ok(a) => serde_json::to_string(&a).unwrap_or_default(),
            Err(message) => serde_json::json!({ "error": message }).to_string(),
        }
    }

    /// [`Evaluator::evaluate_line`] with the decision alone (`--decision-only`):
    /// `{"decision":"permit"}`, or an error object.
    pub fn decide_line(&self, line: &str) -> String {
        let decision = serde_json::from_str::<Request>(line)
            .map_err(|e| format!("malformed request: {e}"))
            .and_then(|req| self.decide(&req).map_err(|e| e.message));
        match decision {
            Ok(decision) => serde_json::to_string(&DecisionOnly { decision }).unwrap_or_default(),
            Err(message) => serde_json::json!({ "error": message }).to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::Few;

    /// `Few` holds what it is given in order, in place up to eight and on the heap
    /// beyond, whether collected or pushed, and its slice can be written.
    #[test]
    fn few_keeps_every_value_in_order() {
        for n in [0usize, 1, 7, 8, 9, 20] {
            let collected = Few::collect(0..n, usize::MAX);
            assert_eq!(collected.as_slice(), (0..n).collect::<Vec<_>>().as_slice());
            assert_eq!(matches!(collected, Few::Inline(..)), n <= 8, "{n}");
            let mut pushed = Few::filled(0usize, 0);
            for i in 0..n {
                pushed.push(i);
            }
            assert_eq!(pushed.as_slice(), collected.as_slice());
            let mut flags = Few::filled(false, n);
            for (i, f) in flags.as_mut_slice().iter_mut().enumerate() {
                *f = i % 2 == 0;
            }
            let want: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
            assert_eq!(flags.as_slice(), want.as_slice());
        }
    }
}
