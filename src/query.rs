//! The reference evaluator: "may party P exercise right R over asset A in field F,
//! territory T, on date D?", answered from a compiled [`Policy`] with the reasons and
//! the clauses they come from.
//!
//! An [`Evaluator`] indexes a policy once (grants by asset and licensee), so that each
//! question costs a few hash look-ups and bit tests.

use crate::date::Date;
use crate::emit::json::{ConsiderationOut, GrantOut, Policy, SourceLoc};
use crate::territory::TerritorySet;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The party asking (a party or affiliate id).
    pub licensee: String,
    pub asset: String,
    /// `make`, `have made`, `use`, `sell`, `offer`, `import`, `lease`, `reproduce`,
    /// `modify` or `distribute`.
    pub right: String,
    /// A field id (dotted path).
    pub field: String,
    /// An ISO 3166-1 alpha-2 code.
    pub territory: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// `permit` or `deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Permit,
    Deny,
}

/// Why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// A grant covers the request.
    Granted,
    /// The party owns the asset and no exclusive license to someone else covers it.
    Owner,
    /// No grant reaches the party for this asset, or the grant does not cover this
    /// right, field or territory.
    NotGranted,
    /// The grant names the field or territory, but its `except` removes it.
    Excepted,
    /// A hard reservation covers the request.
    Reserved,
    /// The owner has licensed this exclusively to someone else.
    ExclusiveToAnother,
    /// The grant's term ended before the date.
    Expired,
    /// The grant's term starts after the date.
    NotYetInForce,
    /// No patent of the asset is in force in that territory on that date.
    PatentNotInForce,
    /// The date is in the grant's wind-down: only selling off (sell, offer, distribute).
    WindDownSellOffOnly,
}

/// One reason, citing the clause it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub kind: ReasonKind,
    /// The clause id (a grant or a named reservation), when there is one.
    pub clause: Option<String>,
    /// The agreement id the clause belongs to.
    pub agreement: Option<String>,
    pub source: Option<SourceLoc>,
    /// The reason in words.
    pub detail: String,
}

/// What the licensee owes under a permitting grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub clause: String,
    pub agreement: String,
    pub consideration: ConsiderationOut,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub decision: Decision,
    pub reasons: Vec<Reason>,
    pub obligations: Vec<Obligation>,
}

/// A request that names something the policy does not know, or is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

const RIGHTS: [&str; 10] = [
    "make",
    "have made",
    "use",
    "sell",
    "offer",
    "import",
    "lease",
    "reproduce",
    "modify",
    "distribute",
];
const SELL_OFF: [&str; 3] = ["sell", "offer", "distribute"];

fn right_bit(r: &str) -> Option<u16> {
    RIGHTS.iter().position(|x| *x == r).map(|i| 1u16 << i)
}

fn rights_bits(list: &[String]) -> u16 {
    list.iter()
        .filter_map(|r| right_bit(r))
        .fold(0, |a, b| a | b)
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s).ok()
}

/// A half-open period of days `(start, end)`; an `end` of `None` has no end.
pub type Window = (Date, Option<Date>);

/// What [`Evaluator::grant_windows`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantWindows {
    /// The days every right the grant gives is permitted.
    pub term: Option<Window>,
    /// The wind-down days after the term, when only selling off is permitted.
    pub sell_off: Option<Window>,
}

/// The rights a wind-down (sell-off) period still permits.
pub const SELL_OFF_RIGHTS: [&str; 3] = SELL_OFF;

fn earlier_end(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn window(start: Date, end: Option<Date>) -> Option<Window> {
    if end.is_some_and(|e| e <= start) {
        None
    } else {
        Some((start, end))
    }
}

/// A grant, prepared for evaluation.
struct Prepared {
    agreement: usize,
    grant: usize,
    rights: u16,
    /// Sorted field indexes covered, and excepted.
    fields: Vec<u32>,
    fields_excepted: Vec<u32>,
    territories: TerritorySet,
    excepted: TerritorySet,
    start: Date,
    end: Option<Date>,
    wind_down_end: Option<Date>,
    /// `term … until expiry`: the term ends, per country, when the last licensed
    /// patent in force there expires.
    until_expiry: bool,
    /// The sell-off period after the term, from the grant's sunset clause.
    wind_down: Option<crate::date::Duration>,
    /// The grant's assets (indexes).
    assets: Vec<u32>,
    /// Names of the reservations the exclusivity is subject to.
    subject_to: Vec<String>,
}

/// A reservation, prepared.
struct PreparedReservation {
    agreement: usize,
    index: usize,
    holder: Option<u32>,
    rights: u16,
    /// `None`: every field.
    fields: Option<Vec<u32>>,
    territories: TerritorySet,
    start: Date,
    end: Option<Date>,
}

/// A patent, prepared: where and until when it is in force.
struct PreparedPatent {
    territories: TerritorySet,
    expires: Option<Date>,
}

/// An index over a policy for answering requests.
pub struct Evaluator<'p> {
    policy: &'p Policy,
    parties: HashMap<&'p str, u32>,
    assets: HashMap<&'p str, u32>,
    fields: HashMap<&'p str, u32>,
    owners: Vec<Vec<u32>>,
    /// Per asset: `None` when it exists everywhere always, else its patents.
    patents: Vec<Option<Vec<PreparedPatent>>>,
    grants: Vec<Prepared>,
    by_asset_party: HashMap<(u32, u32), Vec<u32>>,
    /// Per asset, the exclusive grants (for the owner's own use).
    exclusive_by_asset: HashMap<u32, Vec<u32>>,
    reservations_by_asset: HashMap<u32, Vec<PreparedReservation>>,
}

impl<'p> Evaluator<'p> {
    /// Indexes a policy. Fails when the policy's version is not one this build reads.
    pub fn new(policy: &'p Policy) -> Result<Evaluator<'p>, QueryError> {
        if policy.xlic_policy != crate::emit::json::POLICY_VERSION {
            return Err(QueryError {
                message: format!(
                    "policy format version {} is not supported (this xlic reads version {})",
                    policy.xlic_policy,
                    crate::emit::json::POLICY_VERSION
                ),
            });
        }
        let idx = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let parties: HashMap<&str, u32> = policy
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), idx(i)))
            .collect();
        let assets: HashMap<&str, u32> = policy
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), idx(i)))
            .collect();
        let fields: HashMap<&str, u32> = policy
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), idx(i)))
            .collect();
        let field_list = |list: &[String]| {
            let mut v: Vec<u32> = list
                .iter()
                .filter_map(|f| fields.get(f.as_str()).copied())
                .collect();
            v.sort_unstable();
            v
        };
        let owners = policy
            .assets
            .iter()
            .map(|a| {
                a.owners
                    .iter()
                    .filter_map(|o| parties.get(o.as_str()).copied())
                    .collect()
            })
            .collect();
        let patents = policy
            .assets
            .iter()
            .map(|a| {
                let is_patent = matches!(
                    a.kind.as_str(),
                    "patent" | "patent_family" | "patents_filed"
                );
                if !is_patent || a.patents.is_empty() {
                    return None;
                }
                Some(
                    a.patents
                        .iter()
                        .map(|p| PreparedPatent {
                            territories: p.territories.0,
                            expires: p.expires.as_deref().and_then(parse_date),
                        })
                        .collect(),
                )
            })
            .collect();
        let mut grants = Vec::new();
        let mut by_asset_party: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        let mut exclusive_by_asset: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut reservations_by_asset: HashMap<u32, Vec<PreparedReservation>> = HashMap::new();
        for (ai, a) in policy.agreements.iter().enumerate() {
            for (gi, g) in a.grants.iter().enumerate() {
                let gid = idx(grants.len());
                let exclusive = g.exclusivity == "exclusive";
                grants.push(Prepared {
                    agreement: ai,
                    grant: gi,
                    rights: rights_bits(&g.rights),
                    fields: field_list(&g.fields),
                    fields_excepted: field_list(&g.fields_excepted),
                    territories: g.territories.0,
                    excepted: g.territories_excepted.0,
                    start: parse_date(&g.term.start).unwrap_or(Date::MIN),
                    end: g.term.end.as_deref().and_then(parse_date),
                    wind_down_end: g
                        .wind_down
                        .as_ref()
                        .and_then(|w| w.end.as_deref())
                        .and_then(parse_date),
                    subject_to: g.subject_to.clone(),
                    until_expiry: g.term.until_expiry,
                    wind_down: a
                        .sunsets
                        .iter()
                        .find(|s| s.grant == g.id)
                        .and_then(|s| s.wind_down.as_ref())
                        .map(|d| crate::date::Duration {
                            amount: d.amount,
                            unit: match d.unit.as_str() {
                                "days" => crate::date::DurationUnit::Days,
                                "months" => crate::date::DurationUnit::Months,
                                _ => crate::date::DurationUnit::Years,
                            },
                        }),
                    assets: g
                        .assets
                        .iter()
                        .filter_map(|x| assets.get(x.as_str()).copied())
                        .collect(),
                });
                for asset in &g.assets {
                    let Some(&aid) = assets.get(asset.as_str()) else {
                        continue;
                    };
                    for p in &g.reach {
                        if let Some(&pid) = parties.get(p.as_str()) {
                            by_asset_party.entry((aid, pid)).or_default().push(gid);
                        }
                    }
                    if exclusive {
                        exclusive_by_asset.entry(aid).or_default().push(gid);
                    }
                }
            }
            for (ri, r) in a.reservations.iter().enumerate() {
                for asset in &r.assets {
                    let Some(&aid) = assets.get(asset.as_str()) else {
                        continue;
                    };
                    reservations_by_asset
                        .entry(aid)
                        .or_default()
                        .push(PreparedReservation {
                            agreement: ai,
                            index: ri,
                            holder: r.holder.as_deref().and_then(|h| parties.get(h).copied()),
                            rights: rights_bits(&r.rights),
                            fields: r.fields.as_deref().map(field_list),
                            territories: r.territories.0,
                            start: parse_date(&r.term.start).unwrap_or(Date::MIN),
                            end: r.term.end.as_deref().and_then(parse_date),
                        });
                }
            }
        }
        Ok(Evaluator {
            policy,
            parties,
            assets,
            fields,
            owners,
            patents,
            grants,
            by_asset_party,
            exclusive_by_asset,
            reservations_by_asset,
        })
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

    fn grant_out(&self, p: &Prepared) -> Option<(&'p GrantOut, &'p str)> {
        let a = self.policy.agreements.get(p.agreement)?;
        Some((a.grants.get(p.grant)?, a.id.as_str()))
    }

    fn cite(&self, p: &Prepared, kind: ReasonKind, detail: String) -> Reason {
        let (clause, agreement, source) = match self.grant_out(p) {
            Some((g, a)) => (
                Some(g.id.clone()),
                Some(a.to_string()),
                Some(g.source.clone()),
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

    fn patent_in_force(&self, asset: u32, t: u8, d: Date) -> bool {
        match self.patents.get(asset as usize) {
            Some(Some(list)) => list
                .iter()
                .any(|p| p.territories.contains(t) && p.expires.is_none_or(|e| d < e)),
            _ => true,
        }
    }

    /// When a grant's term ends in a country: for `until expiry`, when the last of its
    /// patents in force there expires; otherwise its end date.
    fn end_in(&self, p: &Prepared, t: u8) -> Option<Date> {
        if !p.until_expiry {
            return p.end;
        }
        let last = p
            .assets
            .iter()
            .filter_map(|a| self.patents.get(*a as usize).and_then(Option::as_ref))
            .flatten()
            .filter(|pat| pat.territories.contains(t))
            .filter_map(|pat| pat.expires)
            .max();
        last.or(p.end)
    }

    /// When the sell-off period after a grant ends in a country.
    fn wind_down_end_in(&self, p: &Prepared, t: u8) -> Option<Date> {
        match (p.until_expiry, p.wind_down, self.end_in(p, t)) {
            (true, Some(d), Some(end)) => end.add_duration(d),
            _ => p.wind_down_end,
        }
    }

    /// Until when some patent of `asset` is in force in country `t`: `None` when none
    /// ever is there, `Some(None)` when the asset is not limited by patents (or one has no
    /// expiry date), `Some(Some(d))` when the last one there expires on `d`.
    fn in_force_until(&self, asset: u32, t: u8) -> Option<Option<Date>> {
        let Some(Some(list)) = self.patents.get(asset as usize) else {
            return Some(None);
        };
        let mut until: Option<Option<Date>> = None;
        for p in list.iter().filter(|p| p.territories.contains(t)) {
            until = match (until, p.expires) {
                (Some(None), _) | (_, None) => Some(None),
                (Some(Some(a)), Some(b)) => Some(Some(a.max(b))),
                (None, Some(b)) => Some(Some(b)),
            };
        }
        until
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
    ) -> Option<GrantWindows> {
        let p = self
            .grants
            .iter()
            .find(|p| p.agreement == agreement && p.grant == grant)?;
        let aid = *self.assets.get(asset)?;
        if !p.assets.contains(&aid) {
            return None;
        }
        let t = crate::iso::country_index(country)?;
        let none = GrantWindows {
            term: None,
            sell_off: None,
        };
        if !p.territories.contains(t) {
            return Some(none);
        }
        let Some(force_end) = self.in_force_until(aid, t) else {
            return Some(none);
        };
        let end = self.end_in(p, t);
        let term = window(p.start, earlier_end(end, force_end));
        let sell_off = match (end, self.wind_down_end_in(p, t)) {
            (Some(e), Some(w)) => window(e.max(p.start), earlier_end(Some(w), force_end)),
            _ => None,
        };
        Some(GrantWindows { term, sell_off })
    }

    /// Answers one request.
    pub fn evaluate(&self, req: &Request) -> Result<Answer, QueryError> {
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
        let right = right_bit(&req.right)
            .ok_or_else(|| self.unknown("right", &req.right, RIGHTS.to_vec()))?;
        let field = *self.fields.get(req.field.as_str()).ok_or_else(|| {
            self.unknown("field", &req.field, self.fields.keys().copied().collect())
        })?;
        let country = crate::iso::country_index(&req.territory).ok_or_else(|| QueryError {
            message: format!(
                "unknown territory `{}`: give one ISO 3166-1 alpha-2 code such as `DE`",
                req.territory
            ),
        })?;
        let date = parse_date(&req.date).ok_or_else(|| QueryError {
            message: format!("`{}` is not a date: write YYYY-MM-DD", req.date),
        })?;
        let in_fields = |list: &[u32]| list.binary_search(&field).is_ok();
        let mut reasons = Vec::new();
        let mut obligations = Vec::new();
        let mut permitted = false;

        // Hard reservations deny whatever else is said.
        for r in self.reservations_by_asset.get(&asset).into_iter().flatten() {
            if r.holder.is_some() {
                continue;
            }
            let covers = r.rights & right != 0
                && r.fields.as_deref().is_none_or(&in_fields)
                && r.territories.contains(country)
                && r.start <= date
                && r.end.is_none_or(|e| date < e);
            if covers {
                let res = self
                    .policy
                    .agreements
                    .get(r.agreement)
                    .and_then(|a| a.reservations.get(r.index).map(|x| (a, x)));
                reasons.push(Reason {
                    kind: ReasonKind::Reserved,
                    clause: res.and_then(|(_, x)| x.id.clone()),
                    agreement: res.map(|(a, _)| a.id.clone()),
                    source: res.map(|(_, x)| x.source.clone()),
                    detail: format!("`{}` is reserved here: no one is licensed", req.asset),
                });
            }
        }
        if !reasons.is_empty() {
            return Ok(Answer {
                decision: Decision::Deny,
                reasons,
                obligations,
            });
        }

        let owns = self
            .owners
            .get(asset as usize)
            .is_some_and(|o| o.contains(&party));
        if owns {
            let mut blocked = false;
            for &gi in self.exclusive_by_asset.get(&asset).into_iter().flatten() {
                let Some(p) = self.grants.get(gi as usize) else {
                    continue;
                };
                let Some((g, _)) = self.grant_out(p) else {
                    continue;
                };
                let reaches_owner = g.reach.iter().any(|x| x == &req.licensee);
                let covers = p.rights & right != 0
                    && in_fields(&p.fields)
                    && p.territories.contains(country)
                    && p.start <= date
                    && p.end.is_none_or(|e| date < e)
                    && self.patent_in_force(asset, country, date);
                if reaches_owner || !covers {
                    continue;
                }
                // Rights the owner retained and carved out of this exclusivity.
                let retained = self
                    .reservations_by_asset
                    .get(&asset)
                    .into_iter()
                    .flatten()
                    .any(|r| {
                        r.holder == Some(party)
                            && self
                                .policy
                                .agreements
                                .get(r.agreement)
                                .and_then(|a| a.reservations.get(r.index))
                                .and_then(|x| x.id.as_ref())
                                .is_some_and(|name| {
                                    p.subject_to.contains(name) && r.agreement == p.agreement
                                })
                            && r.rights & right != 0
                            && r.fields.as_deref().is_none_or(&in_fields)
                            && r.territories.contains(country)
                            && r.start <= date
                            && r.end.is_none_or(|e| date < e)
                    });
                if retained {
                    continue;
                }
                blocked = true;
                reasons.push(self.cite(
                    p,
                    ReasonKind::ExclusiveToAnother,
                    format!(
                        "`{}` is licensed exclusively to {} here",
                        req.asset,
                        g.licensees.join(", ")
                    ),
                ));
            }
            if !blocked {
                permitted = true;
                reasons.push(Reason {
                    kind: ReasonKind::Owner,
                    clause: None,
                    agreement: None,
                    source: self
                        .policy
                        .assets
                        .get(asset as usize)
                        .map(|a| a.source.clone()),
                    detail: format!("`{}` owns `{}`", req.licensee, req.asset),
                });
            }
        }

        let candidates = self.by_asset_party.get(&(asset, party));
        for &gi in candidates.into_iter().flatten() {
            let Some(p) = self.grants.get(gi as usize) else {
                continue;
            };
            let Some((g, _)) = self.grant_out(p) else {
                continue;
            };
            let (kind, detail, permits) = if p.rights & right == 0 {
                (
                    ReasonKind::NotGranted,
                    format!("`{}` does not grant the right to {}", g.id, req.right),
                    false,
                )
            } else if !in_fields(&p.fields) {
                if in_fields(&p.fields_excepted) {
                    (
                        ReasonKind::Excepted,
                        format!("`{}` excepts the field `{}`", g.id, req.field),
                        false,
                    )
                } else {
                    (
                        ReasonKind::NotGranted,
                        format!("`{}` does not cover the field `{}`", g.id, req.field),
                        false,
                    )
                }
            } else if !p.territories.contains(country) {
                if p.excepted.contains(country) {
                    (
                        ReasonKind::Excepted,
                        format!("`{}` excepts {}", g.id, req.territory),
                        false,
                    )
                } else {
                    (
                        ReasonKind::NotGranted,
                        format!("`{}` does not cover {}", g.id, req.territory),
                        false,
                    )
                }
            } else if date < p.start {
                (
                    ReasonKind::NotYetInForce,
                    format!("`{}` starts on {}", g.id, p.start),
                    false,
                )
            } else if self.end_in(p, country).is_some_and(|e| date >= e) {
                let end = self.end_in(p, country).unwrap_or(Date::MAX);
                match self.wind_down_end_in(p, country) {
                    Some(w) if date < w && !self.patent_in_force(asset, country, date) => (
                        ReasonKind::PatentNotInForce,
                        format!(
                            "`{}` is in its sell-off period, but no patent of `{}` is in force in {} on {}",
                            g.id, req.asset, req.territory, date
                        ),
                        false,
                    ),
                    Some(w) if date < w => {
                        let sell_off = SELL_OFF.contains(&req.right.as_str());
                        let detail = format!(
                            "`{}` ended on {}; through {} only selling off (sell, offer, distribute) is allowed",
                            g.id,
                            end.pred().unwrap_or(end),
                            w.pred().unwrap_or(w)
                        );
                        (ReasonKind::WindDownSellOffOnly, detail, sell_off)
                    }
                    _ => (
                        ReasonKind::Expired,
                        format!("`{}` ended on {}", g.id, end.pred().unwrap_or(end)),
                        false,
                    ),
                }
            } else if !self.patent_in_force(asset, country, date) {
                (
                    ReasonKind::PatentNotInForce,
                    format!(
                        "no patent of `{}` is in force in {} on {}",
                        req.asset, req.territory, date
                    ),
                    false,
                )
            } else {
                (ReasonKind::Granted, format!("`{}` grants it", g.id), true)
            };
            if permits {
                permitted = true;
                if let Some((_, agreement)) = self.grant_out(p) {
                    for c in g
                        .consideration
                        .iter()
                        .filter(|c| !matches!(c, ConsiderationOut::RoyaltyFree))
                    {
                        obligations.push(Obligation {
                            clause: g.id.clone(),
                            agreement: agreement.to_string(),
                            consideration: c.clone(),
                        });
                    }
                }
            }
            reasons.push(self.cite(p, kind, detail));
        }
        if reasons.is_empty() {
            reasons.push(Reason {
                kind: ReasonKind::NotGranted,
                clause: None,
                agreement: None,
                source: None,
                detail: format!("no grant of `{}` reaches `{}`", req.asset, req.licensee),
            });
        }
        // A permit lists what permits; a denial, every reason it was denied.
        let permitting = |r: &Reason| {
            matches!(r.kind, ReasonKind::Granted | ReasonKind::Owner)
                || (r.kind == ReasonKind::WindDownSellOffOnly
                    && SELL_OFF.contains(&req.right.as_str()))
        };
        if permitted {
            reasons.retain(permitting);
        }
        Ok(Answer {
            decision: if permitted {
                Decision::Permit
            } else {
                Decision::Deny
            },
            reasons,
            obligations,
        })
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
}
