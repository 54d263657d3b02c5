//! The semantic redline of an amendment: what each party gained and lost (as scopes,
//! in the checker's words), and which clauses changed how. It compares two compiled
//! policies, so layout, order and comments never show as changes.
//!
//! Both policies are read back into their models (`policy::read`) and their rights
//! ledgers derived: the rights gained and lost are the difference of what the two
//! ledgers license each party (`rights.rs`: per patent or asset taken whole, country
//! and period, the sell-off included), and a grant's term is the ledger's (`until
//! expiry` resolved). The clauses are compared as written.

mod clauses;
mod prose;
mod render;
mod rights;
mod structure;
mod words;

use crate::date::Date;
use crate::emit::json::{GrantOut, Policy};
use crate::ledger::GrantEntry;
use crate::policy::read::{load, Loaded, PolicyError};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use structure::{Groups, Leaf};

use clauses::*;
pub use prose::{word_diff_markdown, word_diff_text, ProseChange, Written};
use render::kind_word;
pub use render::{render_json, render_markdown, render_text};
use words::*;

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
    /// Who, what, where or which fields a grant names (licensor, licensees, assets,
    /// rights, fields, territories).
    ScopeChanged,
    /// Any other value of a grant.
    GrantChanged,
    ReservationChanged,
    GrantBackChanged,
    SunsetChanged,
    /// terms: an obligation, governance clause, provision or defined term changed.
    ObligationChanged,
    AgreementChanged,
    PartyChanged,
    FieldChanged,
    TerritoryGroupChanged,
    AssetChanged,
    /// A value of the policy itself (the date of its country tables).
    PolicyChanged,
}

/// Whether a change gives, takes or only alters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Gain,
    Loss,
    Change,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The party the change concerns (the licensee), when it concerns one.
    pub party: Option<String>,
    pub kind: ChangeKind,
    /// The clause id (in the new version, or the old one when removed); the clauses
    /// that granted a right lost (or grant a right gained), joined by `, `.
    pub clause: Option<String>,
    /// The change in words; for rights, the scope in the checker's words.
    pub detail: String,
    /// What the change gives or takes.
    pub effect: Effect,
    /// Where in the policy the changed value is (`assets[kh].patents[US 1]`), when it
    /// is one value.
    pub path: Option<String>,
    /// The value before (null: not there), as the policy writes it (without `source`);
    /// for rights, the scope.
    pub before: Option<Value>,
    /// The value after (null: not there).
    pub after: Option<Value>,
    /// The change alters what a clause says but licenses nothing more or less: no
    /// patent is in force where or while it applies.
    pub nominal: bool,
}

impl Change {
    fn order_key(&self) -> impl Ord + '_ {
        (
            &self.party,
            self.kind,
            &self.clause,
            &self.detail,
            &self.path,
            self.before.as_ref().map(Value::to_string),
            self.after.as_ref().map(Value::to_string),
        )
    }
}

impl PartialOrd for Change {
    fn partial_cmp(&self, other: &Change) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Change {
    fn cmp(&self, other: &Change) -> Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

/// Every change between two versions, parties first, then clauses; the prose of every
/// grant whose sentence changed; and warnings (a version with errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redline {
    /// Lines to show before the changes: `NEW has 2 errors; the comparison may be
    /// incomplete`.
    pub warnings: Vec<String>,
    pub changes: Vec<Change>,
    pub prose: Vec<ProseChange>,
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
    let effect = match kind {
        ChangeKind::RightsGained | ChangeKind::ClauseAdded | ChangeKind::TermLengthened => {
            Effect::Gain
        }
        ChangeKind::RightsLost | ChangeKind::ClauseRemoved | ChangeKind::TermShortened => {
            Effect::Loss
        }
        _ => Effect::Change,
    };
    Change {
        party: party.map(str::to_string),
        kind,
        clause: clause.map(str::to_string),
        detail,
        effect,
        path: None,
        before: None,
        after: None,
        nominal: false,
    }
}

impl Change {
    /// With the values before and after.
    fn values(mut self, before: Option<Value>, after: Option<Value>) -> Change {
        self.before = before;
        self.after = after;
        self
    }
}

/// A part of a policy as a JSON value (`null` if it cannot be written, which the
/// policy's types rule out).
fn value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
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

    fn value(&self) -> Value {
        serde_json::json!({
            "start": self.start.to_string(),
            "end": self.end.map(|e| e.to_string()),
            "until_expiry": self.until_expiry,
        })
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
/// does not read back is an error, and so is one in the compact form, whose clauses
/// leave out what the redline compares.
pub fn diff(old: &Policy, new: &Policy) -> Result<Redline, PolicyError> {
    if old.compact || new.compact {
        return Err(PolicyError {
            message: "a compact policy leaves out the scopes a redline compares: compare policies written without `--compact`".to_string(),
        });
    }
    let old_loaded = load(old)?;
    let new_loaded = load(new)?;
    Ok(diff_loaded(old, &old_loaded, new, &new_loaded))
}

/// Compares two policies already read back into their models and ledgers; the prose
/// redline is written from the models read back.
pub fn diff_loaded(
    old: &Policy,
    old_loaded: &Loaded,
    new: &Policy,
    new_loaded: &Loaded,
) -> Redline {
    diff_written(
        (old, old_loaded, old_loaded.into()),
        (new, new_loaded, new_loaded.into()),
    )
}

/// Compares two policies already read back, with the prose redline written from the
/// models each policy was compiled from (every clause, obligations included: a
/// policy read back keeps only what licenses).
pub fn diff_written(
    old: (&Policy, &Loaded, Written<'_>),
    new: (&Policy, &Loaded, Written<'_>),
) -> Redline {
    let (old, old_loaded, old_written) = old;
    let (new, new_loaded, new_written) = new;
    // Agreements are paired by id; the ledgers index them by position, which
    // aligning does not change.
    let aligned = align(old, new);
    let new = &aligned;
    let mut changes = Vec::new();
    let (og, ng) = (grants(old, old_loaded), grants(new, new_loaded));
    let groups = groups_of(old, new);

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
        let (b, a) = (rights::untagged(before), rights::untagged(after));
        // A right gained cites the clauses that grant it; a right lost, those that did.
        for (kind, got, from, tags) in [
            (ChangeKind::RightsGained, &a, &b, after),
            (ChangeKind::RightsLost, &b, &a, before),
        ] {
            for x in rights::subtract(got, from) {
                let clauses = rights::clauses_of(&x, tags).join(", ");
                let scope = x.to_value(&labels);
                let (before, after) = if kind == ChangeKind::RightsGained {
                    (None, Some(scope))
                } else {
                    (Some(scope), None)
                };
                changes.push(
                    change(
                        Some(p),
                        kind,
                        (!clauses.is_empty()).then_some(clauses.as_str()),
                        x.describe(&universe, &labels, &groups),
                    )
                    .values(before, after),
                );
            }
        }
    }

    // Clause by clause.
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut prose = Vec::new();
    for (o, n) in match_grants(&og, &ng) {
        if let (Some(o), Some(n)) = (o, n) {
            if o.grant.id != n.grant.id {
                renamed.insert(o.grant.id.clone(), n.grant.id.clone());
            }
        }
        match (o, n) {
            (Some(o), None) => changes.push(grant_whole(o.grant, ChangeKind::ClauseRemoved)),
            (None, Some(n)) => changes.push(grant_whole(n.grant, ChangeKind::ClauseAdded)),
            (Some(o), Some(n)) => {
                let ctx = Sides {
                    old: old_loaded,
                    new: new_loaded,
                    groups: &groups,
                };
                grant_changes(o, n, &ctx, &mut changes);
            }
            (None, None) => {}
        }
    }
    prose.extend(prose::compare(
        (old, old_written),
        (new, new_written),
        &renamed,
    ));
    clause_changes(old, new, &og, &ng, &renamed, &groups, &mut changes);
    top_level_changes(old, new, &groups, &mut changes);
    changes.sort();
    changes.dedup();
    Redline {
        warnings: Vec::new(),
        changes,
        prose,
    }
}

/// What a clause's consideration asks for: `royalty-free` asks nothing, so it and no
/// consideration are the same.
fn paid(list: &[crate::emit::json::ConsiderationOut]) -> Vec<&crate::emit::json::ConsiderationOut> {
    list.iter()
        .filter(|c| !matches!(c, crate::emit::json::ConsiderationOut::RoyaltyFree))
        .collect()
}

/// A grant added or removed as a whole.
fn grant_whole(g: &GrantOut, kind: ChangeKind) -> Change {
    let (word, v) = (kind_word(kind), Some(grant_value(g)));
    let c = change(
        g.licensees.first().map(String::as_str),
        kind,
        Some(&g.id),
        format!(
            "grant `{}` ({} -> {}) {word}",
            g.id,
            g.licensor,
            g.licensees.join(", ")
        ),
    );
    if kind == ChangeKind::ClauseAdded {
        c.values(None, v)
    } else {
        c.values(v, None)
    }
}

/// The policy's territory groups (of both versions, the new one's first), for
/// territories in words.
fn groups_of(old: &Policy, new: &Policy) -> Groups {
    let mut seen = BTreeSet::new();
    new.territory_groups
        .iter()
        .chain(&old.territory_groups)
        .filter(|g| seen.insert(g.id.clone()))
        .map(|g| (g.id.clone(), g.territories.0))
        .collect()
}

/// Both versions read back, and the groups territories are written with.
struct Sides<'a> {
    old: &'a Loaded,
    new: &'a Loaded,
    groups: &'a Groups,
}

/// A grant as a value, without its source and what the ledger derives.
fn grant_value(g: &GrantOut) -> Value {
    structure::strip(&value(g), DERIVED)
}
