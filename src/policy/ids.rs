//! outputs: ids for the clauses the sources leave unnamed (version 5). A reservation
//! written without a name, every improvements clause, every `grant back` / `license
//! forward` rule and every sunset gets one, derived from what the clause is about
//! rather than from its position, so that adding, removing or moving another clause
//! leaves it unchanged:
//!
//! - an unnamed reservation: `reserve#` and its assets joined by `+`, then `#for_` and
//!   the holder for a retained one (`reserve#acme_motion#for_acme`);
//! - an improvements clause: `improvements#` and its assets joined by `+`;
//! - a rule: its direction, `#`, then `from->to` (`grant_back#globex->acme`);
//! - a sunset: `sunset#` and its grant (`sunset#acme_to_globex`).
//!
//! A derived id holds a `#`, which no name in the sources can, so it never collides
//! with a written one. Where two clauses of one agreement derive the same id, the
//! second gets `#2`, the third `#3`, in source order. Ids are unique within their
//! agreement, per kind of clause.

use super::{AgreementOut, FlowOut, ImprovementsOut, ReservationOut, SunsetOut};
use crate::vocab::FlowDirection;
use std::collections::BTreeMap;

/// Whether an id was derived by the compiler (it holds a `#`) rather than written.
pub fn is_derived(id: &str) -> bool {
    id.contains('#')
}

/// Numbers repeated ids of one kind: the first keeps its id, later ones get `#2`, `#3`.
#[derive(Default)]
struct Counter(BTreeMap<String, u32>);

impl Counter {
    fn next(&mut self, base: String) -> String {
        let n = self.0.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}#{n}")
        }
    }
}

/// The id an unnamed reservation derives (before numbering repeats).
pub fn reservation_base(r: &ReservationOut) -> String {
    let mut id = format!("reserve#{}", r.assets.join("+"));
    if let Some(h) = &r.holder {
        id.push_str("#for_");
        id.push_str(h);
    }
    id
}

fn improvements_base(imp: &ImprovementsOut) -> String {
    format!("improvements#{}", imp.assets.join("+"))
}

fn rule_base(r: &FlowOut) -> String {
    let direction = match r.direction {
        FlowDirection::GrantBack => "grant_back",
        FlowDirection::LicenseForward => "license_forward",
    };
    format!("{direction}#{}->{}", r.from, r.to)
}

fn sunset_base(s: &SunsetOut) -> String {
    format!("sunset#{}", s.grant)
}

/// Every id an agreement's clauses should carry, in the order of the lists: unnamed
/// reservations, improvements clauses, rules (clause by clause), sunsets.
pub fn expected(a: &AgreementOut) -> Ids {
    let mut reservations = Counter::default();
    let mut improvements = Counter::default();
    let mut rules = Counter::default();
    let mut sunsets = Counter::default();
    Ids {
        reservations: a
            .reservations
            .iter()
            .map(|r| match &r.id {
                Some(id) if !is_derived(id) => id.clone(),
                _ => reservations.next(reservation_base(r)),
            })
            .collect(),
        improvements: a
            .improvements
            .iter()
            .map(|imp| {
                (
                    improvements.next(improvements_base(imp)),
                    imp.rules.iter().map(|r| rules.next(rule_base(r))).collect(),
                )
            })
            .collect(),
        sunsets: a
            .sunsets
            .iter()
            .map(|s| sunsets.next(sunset_base(s)))
            .collect(),
    }
}

/// The ids of an agreement's clauses, list by list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    pub reservations: Vec<String>,
    /// Each improvements clause's id and its rules' ids.
    pub improvements: Vec<(String, Vec<String>)>,
    pub sunsets: Vec<String>,
}

/// Writes the ids into an agreement's clauses.
pub fn assign(a: &mut AgreementOut) {
    let ids = expected(a);
    for (r, id) in a.reservations.iter_mut().zip(ids.reservations) {
        r.id = Some(id);
    }
    for (imp, (id, rules)) in a.improvements.iter_mut().zip(ids.improvements) {
        imp.id = Some(id);
        for (r, id) in imp.rules.iter_mut().zip(rules) {
            r.id = Some(id);
        }
    }
    for (s, id) in a.sunsets.iter_mut().zip(ids.sunsets) {
        s.id = Some(id);
    }
}

/// Checks that a policy's agreement carries the ids [`assign`] gives (absent ones are
/// allowed: a policy written by hand may leave them out); the first wrong id, as
/// (what, found, expected).
pub fn check(a: &AgreementOut) -> Option<(String, String, String)> {
    let ids = expected(a);
    let wrong = |what: &str, found: &Option<String>, want: &String| match found {
        Some(f) if f != want => Some((what.to_string(), f.clone(), want.clone())),
        _ => None,
    };
    for (r, want) in a.reservations.iter().zip(&ids.reservations) {
        if let Some(w) = wrong("reservation", &r.id, want) {
            return Some(w);
        }
    }
    for (imp, (want, rules)) in a.improvements.iter().zip(&ids.improvements) {
        if let Some(w) = wrong("improvements clause", &imp.id, want) {
            return Some(w);
        }
        for (r, want) in imp.rules.iter().zip(rules) {
            if let Some(w) = wrong("rule", &r.id, want) {
                return Some(w);
            }
        }
    }
    for (s, want) in a.sunsets.iter().zip(&ids.sunsets) {
        if let Some(w) = wrong("sunset", &s.id, want) {
            return Some(w);
        }
    }
    None
}
