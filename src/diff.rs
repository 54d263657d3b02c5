//! The semantic redline of an amendment: what each party gained and lost (as scopes,
//! in the checker's words), and which clauses changed how. It compares two compiled
//! policies, so layout, order and comments never show as changes.
//!
//! Both policies are read back into their models (`policy::read`) and their rights
//! ledgers derived: the rights gained and lost are the difference of what the two
//! ledgers license each party (`rights.rs`: per patent or asset taken whole, country
//! and period, the sell-off included), and a grant's term is the ledger's (`until
//! expiry` resolved). The clauses are compared as written.

mod prose;
mod rights;
mod structure;

use crate::date::Date;
use crate::emit::json::{GrantOut, Policy};
use crate::ledger::GrantEntry;
use crate::policy::read::{load, Loaded, PolicyError};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use structure::{Groups, Leaf};

pub use prose::{word_diff_markdown, ProseChange};

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
    /// The grant's agreement and position in the model (and the policy).
    at: (usize, usize),
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
                at: (ai, gi),
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
    let sentences = prose::Sentences::new(old_loaded, new_loaded);
    for (o, n) in match_grants(&og, &ng) {
        if let (Some(o), Some(n)) = (o, n) {
            if o.grant.id != n.grant.id {
                renamed.insert(o.grant.id.clone(), n.grant.id.clone());
            }
        }
        prose.extend(sentences.compare(
            o.map(|g| g.at),
            n.map(|g| g.at),
            n.or(o).map(|g| g.grant.id.as_str()),
        ));
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

/// Keys of a grant the policy derives from others (each reported where it is derived
/// from): its reach (licensees, `and affiliates`, the parties' affiliates), its
/// effective and sell-off scope (the rights gained and lost), its wind-down (the
/// sunset), and what `except` removed (the fields and territories it leaves).
const DERIVED: &[&str] = &[
    "reach",
    "effective_scope",
    "sell_off_scope",
    "wind_down",
    "fields_excepted",
    "territories_excepted",
];

/// Keys of a grant compared with their own words below (the rest are compared by the
/// structural walk).
const GRANT_OWN: &[&str] = &[
    "id",
    "term",
    "exclusivity",
    "subject_to",
    "subject_to_grants",
    "consideration",
    "sublicense",
    "transferable",
    "personal",
];

/// Keys of a grant that say what it licenses: a change is nominal when the grant's
/// pieces in the ledger stay the same.
const SCOPE: &[&str] = &[
    "licensor",
    "licensees",
    "to_members",
    "to_affiliates",
    "assets",
    "rights",
    "fields",
    "territories",
];

fn grant_changes(
    o_ref: &GrantRef<'_>,
    n_ref: &GrantRef<'_>,
    ctx: &Sides<'_>,
    out: &mut Vec<Change>,
) {
    let (o, n) = (o_ref.grant, n_ref.grant);
    let party = n.licensees.first().map(String::as_str);
    let id = Some(n.id.as_str());
    if o.id != n.id {
        out.push(
            change(
                party,
                ChangeKind::ClauseRenamed,
                id,
                format!("grant `{}` renamed to `{}`", o.id, n.id),
            )
            .values(
                Some(Value::from(o.id.clone())),
                Some(Value::from(n.id.clone())),
            ),
        );
    }
    let (ot, nt) = (Term::of(o_ref), Term::of(n_ref));
    let (os, ns) = (ot.start, nt.start);
    let (oe, ne) = (ot.end, nt.end);
    let term_kind = if (oe, ot.until_expiry) != (ne, nt.until_expiry) {
        Some(if end_le(oe, ne) {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        })
    } else if os != ns {
        Some(if ns < os {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        })
    } else {
        None
    };
    if let Some(kind) = term_kind {
        out.push(
            change(
                party,
                kind,
                id,
                format!("term of `{}`: {} → {}", n.id, ot.text(), nt.text()),
            )
            .values(Some(ot.value()), Some(nt.value())),
        );
    }
    if (o.exclusivity, &o.subject_to, &o.subject_to_grants)
        != (n.exclusivity, &n.subject_to, &n.subject_to_grants)
    {
        let show = |g: &GrantOut| {
            let mut under: Vec<String> = g.subject_to.clone();
            under.extend(
                g.subject_to_grants
                    .iter()
                    .map(|r| format!("{}/{}", r.agreement, r.grant)),
            );
            if under.is_empty() {
                g.exclusivity.to_string()
            } else {
                format!("{} subject to {}", g.exclusivity, under.join(", "))
            }
        };
        let v = |g: &GrantOut| {
            serde_json::json!({
                "exclusivity": value(&g.exclusivity),
                "subject_to": g.subject_to,
                "subject_to_grants": value(&g.subject_to_grants),
            })
        };
        out.push(
            change(
                party,
                ChangeKind::ExclusivityChanged,
                id,
                format!("`{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(v(o)), Some(v(n))),
        );
    }
    if paid(&o.consideration) != paid(&n.consideration) {
        let show = |g: &GrantOut| consideration_text(&g.consideration);
        out.push(
            change(
                party,
                ChangeKind::ConsiderationChanged,
                id,
                format!("consideration of `{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(value(&o.consideration)), Some(value(&n.consideration))),
        );
    }
    if o.sublicense != n.sublicense {
        out.push(
            change(
                party,
                ChangeKind::SublicenseChanged,
                id,
                format!(
                    "sublicensing under `{}`: {} → {}",
                    n.id, o.sublicense, n.sublicense
                ),
            )
            .values(Some(value(&o.sublicense)), Some(value(&n.sublicense))),
        );
    }
    if (o.transferable, o.personal) != (n.transferable, n.personal) {
        let show = |g: &GrantOut| match (g.personal, g.transferable) {
            (true, false) => "personal, non-transferable",
            (true, true) => "personal, transferable",
            (false, true) => "transferable",
            (false, false) => "non-transferable",
        };
        let v = |g: &GrantOut| serde_json::json!({"transferable": g.transferable, "personal": g.personal});
        out.push(
            change(
                party,
                ChangeKind::TransferChanged,
                id,
                format!("`{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(v(o)), Some(v(n))),
        );
    }
    // Every other value of the grant, by the structural walk: what it licenses (marked
    // nominal when the ledger licenses the same), and whatever else a grant says.
    let mut skip: Vec<&str> = DERIVED.to_vec();
    skip.extend(GRANT_OWN);
    let mut leaves = Vec::new();
    structure::walk(&[], &value(o), &value(n), &skip, &mut leaves);
    let nominal = leaves.iter().any(|l| SCOPE.contains(&l.key())) && same_pieces(o_ref, n_ref, ctx);
    for l in leaves {
        let key = l.key().to_string();
        let scope = SCOPE.contains(&key.as_str());
        let mut detail = format!("grant `{}`: {}", n.id, leaf_text(&l, ctx.groups));
        if scope && nominal {
            detail.push_str(" (nominal: no patent in force there: no license was needed)");
        }
        let kind = if scope {
            ChangeKind::ScopeChanged
        } else {
            ChangeKind::GrantChanged
        };
        let mut c = change(party, kind, id, detail).values(l.before.clone(), l.after.clone());
        c.path = Some(l.path_text());
        c.nominal = scope && nominal;
        out.push(c);
    }
}

/// Whether two grants license the same pieces to the same parties (or both nothing).
fn same_pieces(o: &GrantRef<'_>, n: &GrantRef<'_>, ctx: &Sides<'_>) -> bool {
    let mut labels = rights::Labels::new();
    let boxes = |g: &GrantRef<'_>, l: &Loaded, labels: &mut rights::Labels| {
        g.entry
            .map(|e| rights::grant_boxes(&l.model, &l.ledger, e, labels))
            .unwrap_or_default()
    };
    let ob = boxes(o, ctx.old, &mut labels);
    let nb = boxes(n, ctx.new, &mut labels);
    let same = rights::subtract(&ob, &nb).is_empty() && rights::subtract(&nb, &ob).is_empty();
    same && (ob.is_empty() || o.grant.reach == n.grant.reach)
}

/// A difference in words: `licensees: globex → initech`, `patents[US 2] added: …`.
fn leaf_text(l: &Leaf, groups: &Groups) -> String {
    let key = l.key();
    let path = l.path_text().replace('_', " ");
    let w = |v: &Value| leaf_words(key, v, groups);
    match (&l.before, &l.after) {
        (None, Some(a)) => format!("{path} added: {}", w(a)),
        (Some(b), None) => format!("{path} removed: {}", w(b)),
        (Some(b), Some(a)) => format!("{path}: {} → {}", w(b), w(a)),
        (None, None) => path,
    }
}

/// A value in words, payments, improvement rules, renewals and triggers as the
/// language writes them.
fn leaf_words(key: &str, v: &Value, groups: &Groups) -> String {
    use crate::emit::json::{ConsiderationOut, FlowOut, RenewalOut, TriggerOut};
    let said = match key {
        "consideration" => serde_json::from_value::<Vec<ConsiderationOut>>(v.clone())
            .ok()
            .map(|c| consideration_text(&c)),
        "rules" => each(v, |r: FlowOut| flow_text(&r)),
        "renewals" => each(v, |r: RenewalOut| {
            let mut s = format!(
                "{} for {}",
                if r.automatic {
                    "renews automatically"
                } else {
                    "renewable"
                },
                dur(&r.period)
            );
            if let Some(m) = r.max_times {
                s.push_str(&format!(", at most {m} times"));
            }
            if let Some(n) = r.notice {
                s.push_str(&format!(", notice {}", dur(&n)));
            }
            s
        }),
        "terminations" => each(v, |t: TriggerOut| {
            let mut s = format!("terminable on \"{}\"", t.event);
            if let Some(c) = t.cure {
                s.push_str(&format!(", cure {}", dur(&c)));
            }
            if let Some(n) = t.notice {
                s.push_str(&format!(", notice {}", dur(&n)));
            }
            s
        }),
        _ => None,
    };
    said.unwrap_or_else(|| structure::words(key, v, groups))
}

/// A non-empty list of one type of policy value, each in words, joined by `; `.
fn each<T: serde::de::DeserializeOwned>(v: &Value, say: impl Fn(T) -> String) -> Option<String> {
    let list = v.as_array().filter(|l| !l.is_empty())?;
    let items: Option<Vec<String>> = list
        .iter()
        .map(|x| serde_json::from_value::<T>(x.clone()).ok().map(&say))
        .collect();
    items.map(|i| i.join("; "))
}

/// A duration as the language writes it: `1 year`, `90 days`.
fn dur(d: &crate::emit::json::DurationOut) -> String {
    structure::duration(&d.amount.to_string(), &d.unit.to_string())
}

/// A grant-back or license-forward rule in words.
fn flow_text(r: &crate::emit::json::FlowOut) -> String {
    let mut s = format!(
        "{} {} → {}, covering {}, {}, {}",
        value(&r.direction)
            .as_str()
            .unwrap_or("?")
            .replace('_', " "),
        r.from,
        r.to,
        value(&r.covers).as_str().unwrap_or("?"),
        r.exclusivity,
        consideration_text(&r.consideration)
    );
    if let Some(d) = r.sunset {
        s.push_str(&format!(", until {d}"));
    }
    if r.consent_required {
        s.push_str(", consent required");
    }
    s
}

/// The licensee of a grant, looked up by id in either version.
fn licensee_of<'p>(grants: &[&[GrantRef<'p>]], agreement: &str, id: &str) -> Option<&'p str> {
    grants
        .iter()
        .flat_map(|l| l.iter())
        .find(|g| g.agreement == agreement && g.grant.id == id)
        .and_then(|g| g.grant.licensees.first())
        .map(String::as_str)
}

/// Agreement headers, reservations, improvements and sunsets, by the structural walk.
fn clause_changes(
    old: &Policy,
    new: &Policy,
    og: &[GrantRef<'_>],
    ng: &[GrantRef<'_>],
    renamed: &BTreeMap<String, String>,
    groups: &Groups,
    out: &mut Vec<Change>,
) {
    for oa in &old.agreements {
        let Some(na) = new.agreements.iter().find(|a| a.id == oa.id) else {
            out.push(
                change(
                    None,
                    ChangeKind::ClauseRemoved,
                    None,
                    format!("agreement `{}` removed", oa.id),
                )
                .values(Some(structure::strip(&value(oa), DERIVED)), None),
            );
            continue;
        };
        // Old sunsets under their grants' new names, so a rename is reported once.
        let mut ov = value(oa);
        if let Some(Value::Array(suns)) = ov.get_mut("sunsets") {
            for s in suns {
                if let Some(Value::String(g)) = s.get_mut("grant") {
                    if let Some(n) = renamed.get(g.as_str()) {
                        *g = n.clone();
                    }
                }
            }
        }
        let mut leaves = Vec::new();
        structure::walk(&[], &ov, &value(na), &["grants", "id"], &mut leaves);
        for l in leaves {
            out.push(agreement_change(&na.id, &l, &[og, ng], groups));
        }
    }
    for na in &new.agreements {
        if !old.agreements.iter().any(|a| a.id == na.id) {
            out.push(
                change(
                    None,
                    ChangeKind::ClauseAdded,
                    None,
                    format!("agreement `{}` added", na.id),
                )
                .values(None, Some(structure::strip(&value(na), DERIVED))),
            );
        }
    }
}

/// A difference as its section (`assets`), the item of the section it is in (`kh`),
/// and the difference within that item.
fn split(l: &Leaf) -> (&str, Option<&str>, Leaf) {
    let section = l.path.first().map_or("", String::as_str);
    let item = l
        .path
        .get(1)
        .and_then(|s| s.strip_prefix('[').and_then(|s| s.strip_suffix(']')));
    let rest = Leaf {
        path: l.path.get(2..).map(<[String]>::to_vec).unwrap_or_default(),
        before: l.before.clone(),
        after: l.after.clone(),
    };
    (section, item, rest)
}

/// One difference within an agreement (not in its grants) as a change.
fn agreement_change(
    agreement: &str,
    l: &Leaf,
    grants: &[&[GrantRef<'_>]],
    groups: &Groups,
) -> Change {
    let (section, item, rest) = split(l);
    let whole = rest.path.is_empty();
    let (what, kind, clause, party) = match (section, item) {
        ("reservations", Some(k)) => {
            let kind = match (&l.before, &l.after, whole) {
                (None, Some(_), true) => ChangeKind::ClauseAdded,
                (Some(_), None, true) => ChangeKind::ClauseRemoved,
                _ => ChangeKind::ReservationChanged,
            };
            let holder = l
                .after
                .as_ref()
                .or(l.before.as_ref())
                .filter(|_| whole)
                .and_then(|v| v.get("holder"))
                .and_then(Value::as_str)
                .map(str::to_string);
            (
                format!("reservation `{k}`"),
                kind,
                Some(k.to_string()),
                holder,
            )
        }
        ("improvements", Some(k)) => (
            format!("improvements on `{k}`"),
            ChangeKind::GrantBackChanged,
            None,
            None,
        ),
        ("sunsets", Some(k)) => (
            format!("sunset of `{k}`"),
            ChangeKind::SunsetChanged,
            Some(k.to_string()),
            licensee_of(grants, agreement, k).map(str::to_string),
        ),
        _ => (
            format!("agreement `{agreement}`"),
            ChangeKind::AgreementChanged,
            None,
            None,
        ),
    };
    let detail = if whole && item.is_some() {
        match (&l.before, &l.after) {
            (None, Some(a)) => format!("{what} added: {}", structure::words("", a, groups)),
            (Some(b), None) => format!("{what} removed: {}", structure::words("", b, groups)),
            _ => what,
        }
    } else if item.is_some() {
        format!("{what}: {}", leaf_text(&rest, groups))
    } else {
        format!("{what}: {}", leaf_text(l, groups))
    };
    let mut c = change(party.as_deref(), kind, clause.as_deref(), detail)
        .values(l.before.clone(), l.after.clone());
    c.path = Some(l.path_text());
    if section == "sunsets" && sell_off_or_renewal_lost(l) {
        c.effect = Effect::Loss;
    }
    c
}

/// Whether a sunset change takes away a wind-down or a renewal: removes one, or the
/// whole sunset that had one.
fn sell_off_or_renewal_lost(l: &Leaf) -> bool {
    let count = |v: Option<&Value>, key: &str| -> usize {
        match v.and_then(|v| if key.is_empty() { Some(v) } else { v.get(key) }) {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Null) | None => 0,
            Some(_) => 1,
        }
    };
    let (b, a) = (l.before.as_ref(), l.after.as_ref());
    match l.key() {
        "wind_down" | "renewals" => count(a, "") < count(b, ""),
        _ if l.path.len() == 2 => {
            count(a, "wind_down") < count(b, "wind_down")
                || count(a, "renewals") < count(b, "renewals")
        }
        _ => false,
    }
}

/// Parties, fields, territory groups, assets and the policy's own values.
fn top_level_changes(old: &Policy, new: &Policy, groups: &Groups, out: &mut Vec<Change>) {
    let mut leaves = Vec::new();
    structure::walk(
        &[],
        &value(old),
        &value(new),
        &["agreements", "xlic_policy"],
        &mut leaves,
    );
    for l in leaves {
        let (section, item, rest) = split(&l);
        let (what, kind) = match section {
            "parties" => ("party", ChangeKind::PartyChanged),
            "fields" => ("field", ChangeKind::FieldChanged),
            "territory_groups" => ("territory group", ChangeKind::TerritoryGroupChanged),
            "assets" => ("asset", ChangeKind::AssetChanged),
            _ => ("policy", ChangeKind::PolicyChanged),
        };
        let detail = match item {
            Some(k) if rest.path.is_empty() => match (&l.before, &l.after) {
                (None, Some(a)) => {
                    format!("{what} `{k}` added: {}", structure::words("", a, groups))
                }
                (Some(b), None) => {
                    format!("{what} `{k}` removed: {}", structure::words("", b, groups))
                }
                _ => format!("{what} `{k}` changed"),
            },
            Some(k) => format!("{what} `{k}`: {}", leaf_text(&rest, groups)),
            None => format!("{what}: {}", leaf_text(&l, groups)),
        };
        let party = (section == "parties").then_some(item).flatten();
        let mut c = change(party, kind, None, detail).values(l.before.clone(), l.after.clone());
        c.path = Some(l.path_text());
        out.push(c);
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
        ChangeKind::ScopeChanged => "scope",
        ChangeKind::GrantChanged => "grant",
        ChangeKind::ReservationChanged => "reservation",
        ChangeKind::GrantBackChanged => "improvements",
        ChangeKind::SunsetChanged => "sunset",
        ChangeKind::AgreementChanged => "agreement",
        ChangeKind::PartyChanged => "party",
        ChangeKind::FieldChanged => "field",
        ChangeKind::TerritoryGroupChanged => "territory group",
        ChangeKind::AssetChanged => "asset",
        ChangeKind::PolicyChanged => "policy",
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

/// The word of a change: `gains`, `sunset` — and `lost` for a wind-down or renewal
/// taken away.
fn change_word(c: &Change) -> String {
    let word = kind_word(c.kind);
    match (c.effect, c.kind) {
        (Effect::Loss, ChangeKind::SunsetChanged) => format!("{word} (loss)"),
        _ => word.to_string(),
    }
}

/// The clauses a right gained or lost comes from, in words.
fn cited(c: &Change) -> String {
    match (c.kind, &c.clause) {
        (ChangeKind::RightsGained, Some(cl)) => format!(" (under `{cl}`)"),
        (ChangeKind::RightsLost, Some(cl)) => format!(" (was under `{cl}`)"),
        _ => String::new(),
    }
}

/// The redline for a terminal.
pub fn render_text(r: &Redline) -> String {
    let mut s = String::new();
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    if r.is_empty() {
        s.push_str("no semantic changes\n");
        return s;
    }
    for (party, list) in grouped(r) {
        s.push_str(&format!("{party}\n"));
        for c in list {
            let sign = match c.effect {
                Effect::Gain => '+',
                Effect::Loss => '-',
                Effect::Change => '~',
            };
            s.push_str(&format!(
                "  {sign} {}: {}{}\n",
                change_word(c),
                c.detail,
                cited(c)
            ));
        }
    }
    s
}

/// The redline as Markdown, for a pull-request comment: the changes per party, then
/// the prose of every changed grant sentence with its words struck out and inserted.
pub fn render_markdown(r: &Redline) -> String {
    let mut s = String::new();
    for w in &r.warnings {
        s.push_str(&format!("> **Warning:** {w}\n\n"));
    }
    if r.is_empty() {
        s.push_str("**No semantic changes.**\n");
        return s;
    }
    s.push_str("## Semantic redline\n");
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
            s.push_str(&format!("| {} | {clause} | {detail} |\n", change_word(c)));
        }
    }
    if !r.prose.is_empty() {
        s.push_str("\n## Prose redline\n");
        for p in &r.prose {
            s.push_str(&format!(
                "\n**`{}`** — {}\n",
                p.clause,
                word_diff_markdown(
                    p.before.as_deref().unwrap_or(""),
                    p.after.as_deref().unwrap_or("")
                )
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
