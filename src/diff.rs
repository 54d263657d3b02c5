//! The semantic redline of an amendment: what each party gained and lost (as scopes,
//! in the checker's words), and which clauses changed how. It compares two compiled
//! policies, so layout, order and comments never show as changes.
//!
//! Both policies are read back into their models (`policy::read`) and their rights
//! ledgers derived: the rights gained and lost are the difference of what the two
//! ledgers license each party (`rights.rs`: per patent or asset taken whole, country
//! and period, the sell-off included), and a grant's term is the ledger's (`until
//! expiry` resolved). The clauses are compared as written.

mod rights;

use crate::date::Date;
use crate::emit::json::{GrantOut, Policy};
use crate::ledger::GrantEntry;
use crate::policy::read::{load, Loaded, PolicyError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    RightsGained,
    RightsLost,
    ClauseAdded,
    ClauseRemoved,
    ClauseRenamed,
    TermLengthened,
    TermShortened,
    TermMoved,
    ExclusivityChanged,
    ConsiderationChanged,
    SublicenseChanged,
    TransferChanged,
    ReservationChanged,
    GrantBackChanged,
    SunsetChanged,
    AgreementChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The party the change concerns (the licensee), when it concerns one.
    pub party: Option<String>,
    pub kind: ChangeKind,
    /// The clause id (in the new version, or the old one when removed).
    pub clause: Option<String>,
    /// The change in words; for rights, the scope in the checker's words.
    pub detail: String,
}

/// Every change between two versions, parties first, then clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redline {
    pub changes: Vec<Change>,
}

impl Redline {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

struct GrantRef<'p> {
    agreement: &'p str,
    grant: &'p GrantOut,
    /// The grant in the ledger of its version.
    entry: Option<&'p GrantEntry>,
}

/// Every grant of a policy with its ledger entry (the policy's agreements and grants
/// are the model's, in order).
fn grants<'p>(p: &'p Policy, loaded: &'p Loaded) -> Vec<GrantRef<'p>> {
    let ledger = &loaded.ledger;
    p.agreements
        .iter()
        .enumerate()
        .flat_map(|(ai, a)| {
            a.grants.iter().enumerate().map(move |(gi, g)| GrantRef {
                agreement: a.id.as_str(),
                grant: g,
                entry: ledger.grant_index(ai, gi).and_then(|i| ledger.grant(i)),
            })
        })
        .collect()
}

fn end_le(a: Option<Date>, b: Option<Date>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(x), Some(y)) => x <= y,
    }
}

fn change(party: Option<&str>, kind: ChangeKind, clause: Option<&str>, detail: String) -> Change {
    Change {
        party: party.map(str::to_string),
        kind,
        clause: clause.map(str::to_string),
        detail,
    }
}

/// A grant's term as the ledger has it: `until expiry` with the day it resolves to.
struct Term {
    start: Date,
    end: Option<Date>,
    until_expiry: bool,
}

impl Term {
    fn of(g: &GrantRef<'_>) -> Term {
        let (start, end) = match g.entry {
            Some(e) => (e.time.start, e.time.end),
            None => (g.grant.term.start, g.grant.term.end),
        };
        Term {
            start,
            end,
            until_expiry: g.grant.term.until_expiry,
        }
    }

    fn text(&self) -> String {
        let end = match (self.end, self.until_expiry) {
            (Some(e), true) => format!("until expiry ({e})"),
            (None, true) => "until expiry".to_string(),
            (Some(e), false) => format!("until {e}"),
            (None, false) => "perpetual".to_string(),
        };
        format!("{} {end}", self.start)
    }
}

/// Matches grants by clause id, then unmatched ones by licensor, licensees and assets.
fn match_grants<'a, 'p>(
    old: &'a [GrantRef<'p>],
    new: &'a [GrantRef<'p>],
) -> Vec<(Option<&'a GrantRef<'p>>, Option<&'a GrantRef<'p>>)> {
    let mut pairs = Vec::new();
    let mut used_new = vec![false; new.len()];
    let mut unmatched_old = Vec::new();
    for o in old {
        let found = new
            .iter()
            .enumerate()
            .find(|(i, n)| {
                !used_new.get(*i).copied().unwrap_or(true)
                    && n.grant.id == o.grant.id
                    && n.agreement == o.agreement
            })
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                if let Some(u) = used_new.get_mut(i) {
                    *u = true;
                }
                pairs.push((Some(o), new.get(i)));
            }
            None => unmatched_old.push(o),
        }
    }
    let key = |g: &GrantOut| (g.licensor.clone(), g.licensees.clone(), g.assets.clone());
    for o in unmatched_old {
        let candidates: Vec<usize> = new
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                !used_new.get(*i).copied().unwrap_or(true) && key(n.grant) == key(o.grant)
            })
            .map(|(i, _)| i)
            .collect();
        if let [i] = candidates.as_slice() {
            if let Some(u) = used_new.get_mut(*i) {
                *u = true;
            }
            pairs.push((Some(o), new.get(*i)));
        } else {
            pairs.push((Some(o), None));
        }
    }
    for (i, n) in new.iter().enumerate() {
        if !used_new.get(i).copied().unwrap_or(true) {
            pairs.push((None, Some(n)));
        }
    }
    pairs
}

/// Pairs the new version's agreements with the old one's: by id, then by title, then —
/// when each side has one — with each other; paired agreements take the old id.
fn align(old: &Policy, new: &Policy) -> Policy {
    let mut new = new.clone();
    let taken: Vec<String> = new.agreements.iter().map(|a| a.id.clone()).collect();
    for a in &mut new.agreements {
        if old.agreements.iter().any(|o| o.id == a.id) {
            continue;
        }
        let by_title = old
            .agreements
            .iter()
            .find(|o| o.title == a.title && !taken.contains(&o.id));
        let only = (old.agreements.len() == 1 && taken.len() == 1)
            .then(|| old.agreements.first())
            .flatten();
        if let Some(o) = by_title.or(only) {
            a.id = o.id.clone();
        }
    }
    new
}

/// Compares two policies.
///
/// Each policy is read back and checked first (`policy::read::load`); a policy that
/// does not read back is an error.
pub fn diff(old: &Policy, new: &Policy) -> Result<Redline, PolicyError> {
    let old_loaded = load(old)?;
    let new_loaded = load(new)?;
    Ok(diff_loaded(old, &old_loaded, new, &new_loaded))
}

/// Compares two policies already read back into their models and ledgers.
pub fn diff_loaded(
    old: &Policy,
    old_loaded: &Loaded,
    new: &Policy,
    new_loaded: &Loaded,
) -> Redline {
    // Agreements are paired by id; the ledgers index them by position, which
    // aligning does not change.
    let aligned = align(old, new);
    let new = &aligned;
    let mut changes = Vec::new();
    let (og, ng) = (grants(old, old_loaded), grants(new, new_loaded));

    // Rights gained and lost, per party, whatever clauses carry them.
    let universe: BTreeSet<String> = old
        .fields
        .iter()
        .chain(&new.fields)
        .map(|f| f.id.clone())
        .collect();
    // Subjects in the words of the new version, else of the old one.
    let mut labels = rights::Labels::new();
    let nb = rights::by_party(&new_loaded.model, &new_loaded.ledger, &mut labels);
    let ob = rights::by_party(&old_loaded.model, &old_loaded.ledger, &mut labels);
    let parties: BTreeSet<&str> = ob.keys().chain(nb.keys()).map(String::as_str).collect();
    for p in parties {
        let empty = Vec::new();
        let before = ob.get(p).unwrap_or(&empty);
        let after = nb.get(p).unwrap_or(&empty);
        for b in rights::subtract(after, before) {
            changes.push(change(
                Some(p),
                ChangeKind::RightsGained,
                None,
                b.describe(&universe, &labels),
            ));
        }
        for b in rights::subtract(before, after) {
            changes.push(change(
                Some(p),
                ChangeKind::RightsLost,
                None,
                b.describe(&universe, &labels),
            ));
        }
    }

    // Clause by clause.
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (o, n) in match_grants(&og, &ng) {
        if let (Some(o), Some(n)) = (o, n) {
            if o.grant.id != n.grant.id {
                renamed.insert(o.grant.id.clone(), n.grant.id.clone());
            }
        }
        match (o, n) {
            (Some(o), None) => changes.push(change(
                o.grant.licensees.first().map(String::as_str),
                ChangeKind::ClauseRemoved,
                Some(&o.grant.id),
                format!(
                    "grant `{}` ({} -> {}) removed",
                    o.grant.id,
                    o.grant.licensor,
                    o.grant.licensees.join(", ")
                ),
            )),
            (None, Some(n)) => changes.push(change(
                n.grant.licensees.first().map(String::as_str),
                ChangeKind::ClauseAdded,
                Some(&n.grant.id),
                format!(
                    "grant `{}` ({} -> {}) added",
                    n.grant.id,
                    n.grant.licensor,
                    n.grant.licensees.join(", ")
                ),
            )),
            (Some(o), Some(n)) => grant_changes(o, n, &mut changes),
            (None, None) => {}
        }
    }
    clause_changes(old, new, &renamed, &mut changes);
    changes.sort();
    changes.dedup();
    Redline { changes }
}

fn grant_changes(o_ref: &GrantRef<'_>, n_ref: &GrantRef<'_>, out: &mut Vec<Change>) {
    let (o, n) = (o_ref.grant, n_ref.grant);
    let party = n.licensees.first().map(String::as_str);
    let id = Some(n.id.as_str());
    if o.id != n.id {
        out.push(change(
            party,
            ChangeKind::ClauseRenamed,
            id,
            format!("grant `{}` renamed to `{}`", o.id, n.id),
        ));
    }
    let (ot, nt) = (Term::of(o_ref), Term::of(n_ref));
    let (os, ns) = (ot.start, nt.start);
    let (oe, ne) = (ot.end, nt.end);
    if (oe, ot.until_expiry) != (ne, nt.until_expiry) {
        let kind = if end_le(oe, ne) {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        };
        out.push(change(
            party,
            kind,
            id,
            format!("term of `{}`: {} → {}", n.id, ot.text(), nt.text()),
        ));
    } else if os != ns {
        let kind = if ns < os {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        };
        out.push(change(
            party,
            kind,
            id,
            format!("term of `{}`: {} → {}", n.id, ot.text(), nt.text()),
        ));
    }
    if o.exclusivity != n.exclusivity || o.subject_to != n.subject_to {
        let show = |g: &GrantOut| {
            if g.subject_to.is_empty() {
                g.exclusivity.to_string()
            } else {
                format!("{} subject to {}", g.exclusivity, g.subject_to.join(", "))
            }
        };
        out.push(change(
            party,
            ChangeKind::ExclusivityChanged,
            id,
            format!("`{}`: {} → {}", n.id, show(o), show(n)),
        ));
    }
    if o.consideration != n.consideration {
        let show = |g: &GrantOut| consideration_text(&g.consideration);
        out.push(change(
            party,
            ChangeKind::ConsiderationChanged,
            id,
            format!("consideration of `{}`: {} → {}", n.id, show(o), show(n)),
        ));
    }
    if o.sublicense != n.sublicense {
        out.push(change(
            party,
            ChangeKind::SublicenseChanged,
            id,
            format!(
                "sublicensing under `{}`: {} → {}",
                n.id, o.sublicense, n.sublicense
            ),
        ));
    }
    if (o.transferable, o.personal) != (n.transferable, n.personal) {
        let show = |g: &GrantOut| match (g.personal, g.transferable) {
            (true, _) => "personal, non-transferable",
            (false, true) => "transferable",
            (false, false) => "non-transferable",
        };
        out.push(change(
            party,
            ChangeKind::TransferChanged,
            id,
            format!("`{}`: {} → {}", n.id, show(o), show(n)),
        ));
    }
}

/// A blank source location: clauses are compared without where they were written.
fn no_source() -> crate::emit::json::SourceLoc {
    crate::emit::json::SourceLoc {
        file: String::new(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: 0,
    }
}

/// Reservations, improvements (grant-backs), sunsets and the agreement header.
fn clause_changes(
    old: &Policy,
    new: &Policy,
    renamed: &BTreeMap<String, String>,
    out: &mut Vec<Change>,
) {
    for oa in &old.agreements {
        let Some(na) = new.agreements.iter().find(|a| a.id == oa.id) else {
            out.push(change(
                None,
                ChangeKind::ClauseRemoved,
                None,
                format!("agreement `{}` removed", oa.id),
            ));
            continue;
        };
        let header = |a: &crate::emit::json::AgreementOut| {
            (
                a.title.clone(),
                a.kind,
                a.effective,
                a.release_from,
                a.term.clone(),
                a.governing_law.clone(),
            )
        };
        if header(oa) != header(na) {
            let term = |a: &crate::emit::json::AgreementOut| {
                let term = match &a.term {
                    Some(t) => format!(
                        "{} until {}",
                        t.start,
                        t.end
                            .map_or_else(|| "(no end)".to_string(), |e| e.to_string())
                    ),
                    None => "(no term)".into(),
                };
                match a.release_from {
                    Some(r) => format!("{term}, release from {r}"),
                    None => term,
                }
            };
            out.push(change(
                None,
                ChangeKind::AgreementChanged,
                None,
                format!("agreement `{}`: {} → {}", na.id, term(oa), term(na)),
            ));
        }
        // Reservations: by name, else by assets and holder; compared without source.
        let key = |r: &crate::emit::json::ReservationOut| {
            r.id.clone().unwrap_or_else(|| {
                format!(
                    "{}/{}",
                    r.assets.join(","),
                    r.holder.clone().unwrap_or_default()
                )
            })
        };
        let strip = |r: &crate::emit::json::ReservationOut| {
            let mut r = r.clone();
            r.source = no_source();
            r
        };
        let om: BTreeMap<String, _> = oa.reservations.iter().map(|r| (key(r), strip(r))).collect();
        let nm: BTreeMap<String, _> = na.reservations.iter().map(|r| (key(r), strip(r))).collect();
        for (k, r) in &om {
            match nm.get(k) {
                None => out.push(change(
                    r.holder.as_deref(),
                    ChangeKind::ClauseRemoved,
                    r.id.as_deref(),
                    format!("reservation `{k}` removed"),
                )),
                Some(n) if n != r => out.push(change(
                    r.holder.as_deref(),
                    ChangeKind::ReservationChanged,
                    r.id.as_deref(),
                    format!("reservation `{k}` changed"),
                )),
                _ => {}
            }
        }
        for (k, r) in &nm {
            if !om.contains_key(k) {
                out.push(change(
                    r.holder.as_deref(),
                    ChangeKind::ClauseAdded,
                    r.id.as_deref(),
                    format!("reservation `{k}` added"),
                ));
            }
        }
        // Improvements: by base assets.
        let flows = |a: &crate::emit::json::AgreementOut| -> BTreeMap<String, String> {
            a.improvements
                .iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.source = no_source();
                    for r in &mut i.rules {
                        r.source = i.source.clone();
                    }
                    (
                        i.assets.join(", "),
                        serde_json::to_string(&i).unwrap_or_default(),
                    )
                })
                .collect()
        };
        let (of, nf) = (flows(oa), flows(na));
        for k in of.keys().chain(nf.keys()).collect::<BTreeSet<_>>() {
            match (of.get(k), nf.get(k)) {
                (Some(_), None) => out.push(change(
                    None,
                    ChangeKind::GrantBackChanged,
                    None,
                    format!("improvements on `{k}` removed"),
                )),
                (None, Some(_)) => out.push(change(
                    None,
                    ChangeKind::GrantBackChanged,
                    None,
                    format!("improvements on `{k}` added"),
                )),
                (Some(a), Some(b)) if a != b => out.push(change(
                    None,
                    ChangeKind::GrantBackChanged,
                    None,
                    format!("improvements on `{k}` changed (ownership or grant-back terms)"),
                )),
                _ => {}
            }
        }
        // Sunsets: by grant, compared without source; old sunsets under their grants'
        // new names, so a rename is reported once.
        let suns = |a: &crate::emit::json::AgreementOut,
                    renamed: Option<&BTreeMap<String, String>>|
         -> BTreeMap<String, crate::emit::json::SunsetOut> {
            a.sunsets
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    s.source = no_source();
                    if let Some(n) = renamed.and_then(|r| r.get(&s.grant)) {
                        s.grant = n.clone();
                    }
                    (s.grant.clone(), s)
                })
                .collect()
        };
        let os = suns(oa, Some(renamed));
        let ns = suns(na, None);
        for k in os.keys().chain(ns.keys()).collect::<BTreeSet<_>>() {
            let what = match (os.get(k), ns.get(k)) {
                (Some(_), None) => "removed",
                (None, Some(_)) => "added",
                (Some(a), Some(b)) if a != b => "changed",
                _ => continue,
            };
            out.push(change(
                None,
                ChangeKind::SunsetChanged,
                Some(k),
                format!("sunset of `{k}` {what}"),
            ));
        }
    }
    for na in &new.agreements {
        if !old.agreements.iter().any(|a| a.id == na.id) {
            out.push(change(
                None,
                ChangeKind::ClauseAdded,
                None,
                format!("agreement `{}` added", na.id),
            ));
        }
    }
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::RightsGained => "gains",
        ChangeKind::RightsLost => "loses",
        ChangeKind::ClauseAdded => "added",
        ChangeKind::ClauseRemoved => "removed",
        ChangeKind::ClauseRenamed => "renamed",
        ChangeKind::TermLengthened => "term lengthened",
        ChangeKind::TermShortened => "term shortened",
        ChangeKind::TermMoved => "term moved",
        ChangeKind::ExclusivityChanged => "exclusivity",
        ChangeKind::ConsiderationChanged => "consideration",
        ChangeKind::SublicenseChanged => "sublicensing",
        ChangeKind::TransferChanged => "transferability",
        ChangeKind::ReservationChanged => "reservation",
        ChangeKind::GrantBackChanged => "improvements",
        ChangeKind::SunsetChanged => "sunset",
        ChangeKind::AgreementChanged => "agreement",
    }
}

fn grouped(r: &Redline) -> BTreeMap<String, Vec<&Change>> {
    let mut map: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
    for c in &r.changes {
        let key = c.party.clone().unwrap_or_else(|| "(agreement)".to_string());
        map.entry(key).or_default().push(c);
    }
    map
}

/// The redline for a terminal.
pub fn render_text(r: &Redline) -> String {
    if r.is_empty() {
        return "no semantic changes\n".to_string();
    }
    let mut s = String::new();
    for (party, list) in grouped(r) {
        s.push_str(&format!("{party}\n"));
        for c in list {
            let sign = match c.kind {
                ChangeKind::RightsGained | ChangeKind::ClauseAdded | ChangeKind::TermLengthened => {
                    '+'
                }
                ChangeKind::RightsLost | ChangeKind::ClauseRemoved | ChangeKind::TermShortened => {
                    '-'
                }
                _ => '~',
            };
            s.push_str(&format!("  {sign} {}: {}\n", kind_word(c.kind), c.detail));
        }
    }
    s
}

/// The redline as Markdown, for a pull-request comment.
pub fn render_markdown(r: &Redline) -> String {
    if r.is_empty() {
        return "**No semantic changes.**\n".to_string();
    }
    let mut s = String::from("## Semantic redline\n");
    for (party, list) in grouped(r) {
        s.push_str(&format!(
            "\n### {party}\n\n| change | clause | detail |\n|---|---|---|\n"
        ));
        for c in list {
            let clause = c
                .clause
                .as_deref()
                .map(|x| format!("`{x}`"))
                .unwrap_or_default();
            let detail = c.detail.replace('|', "\\|");
            s.push_str(&format!(
                "| {} | {clause} | {detail} |\n",
                kind_word(c.kind)
            ));
        }
    }
    s
}

/// The redline as JSON.
pub fn render_json(r: &Redline) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

fn money_text(m: &crate::emit::json::MoneyOut) -> String {
    format!("{} {}", m.amount, m.currency)
}

fn limits_text(list: &[crate::emit::json::LimitOut]) -> String {
    list.iter()
        .map(|l| {
            format!(
                ", {} {}{}",
                l.kind,
                money_text(&l.amount),
                if l.per_year { " per year" } else { "" }
            )
        })
        .collect()
}

/// A clause's consideration in the words of the language.
fn consideration_text(list: &[crate::emit::json::ConsiderationOut]) -> String {
    use crate::emit::json::ConsiderationOut as C;
    if list.is_empty() {
        return "royalty-free".to_string();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|c| match c {
            C::RoyaltyFree => "royalty-free".to_string(),
            C::Royalty { rate, limits, .. } => {
                format!("royalty {rate}% of net sales{}", limits_text(limits))
            }
            C::PerUnit { amount, limits } => format!(
                "royalty {} per unit{}",
                money_text(amount),
                limits_text(limits)
            ),
            C::Tiered {
                tiers,
                limits,
                per_year,
                ..
            } => {
                let bands: Vec<String> = tiers
                    .iter()
                    .map(|t| match &t.to {
                        Some(to) => format!(
                            "{} to {} at {}%",
                            money_text(&t.from),
                            money_text(to),
                            t.rate
                        ),
                        None => format!("from {} at {}%", money_text(&t.from), t.rate),
                    })
                    .collect();
                format!(
                    "tiered royalty{} ({}){}",
                    if *per_year { " per year" } else { "" },
                    bands.join("; "),
                    limits_text(limits)
                )
            }
            C::LumpSum { amount, due } => match due {
                Some(d) => format!("lump sum {} on {d}", money_text(amount)),
                None => format!("lump sum {}", money_text(amount)),
            },
            C::Milestone { amount, event } => {
                format!("milestone {} on \"{event}\"", money_text(amount))
            }
        })
        .collect();
    parts.join("; ")
}
