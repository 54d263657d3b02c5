//! Property test of the exclusivity check (E0301) against a brute-force oracle.
//!
//! Each case is a small random agreement written as `.xlic` text: party `a` licenses
//! 2–3 patent families (some declaring the same patent number as an earlier one) and,
//! sometimes, every patent it filed within a capture period, to `b`, `c` and `d` in 2–6
//! grants with random assets, rights,
//! fields (with `except`), territories (lists or `worldwide except`), terms and
//! exclusivity, optionally against retained-rights reservations `reserve rN: … for a`
//! that some exclusive grants are `subject to`. Some clauses have a `purpose` line (a
//! purpose-limited grant or reservation meets another only on shared purposes), and
//! some non-exclusive grants are covenants not to sue (`covenant gN: a -> …`, no
//! exclusivity line), which count against exclusive and sole grants like a
//! non-exclusive license (issue 15); the run fails when the cases produce no conflict
//! with a covenant or between purpose-limited clauses. The oracle knows nothing of the
//! checker: it walks every point (patent or whole asset, right, field node, country,
//! day) of the small
//! domain and decides, from the language brief (LANGUAGE.md §3a, §4, §5), which grant
//! pairs and which (grant, reservation) pairs conflict. The test then compares:
//!
//! 1. the E0301 clause pairs (read from the diagnostics' primary and secondary spans)
//!    with the oracle's pairs;
//! 2. each E0301 witness (asset, rights, fields, countries, period printed in the
//!    message) with both clauses: every point it names must lie in both effective scopes;
//! 3. the other diagnostics against a short list of codes the generator may
//!    legitimately provoke (no error of another code: that would be invalid source);
//! 4. two compilations of the same text, which must agree exactly;
//! 5. first of all, the resolved model with the generator's intent (rights, fields,
//!    countries, terms of every clause), so that a failure points at the checker.
//!
//! A witness must also *read* right: its rights and (unless cut short with `and N
//! more`) its field list, read as written, must be exactly the two clauses' common
//! rights and fields. That wording check is a test of its own,
//! `conflict_witnesses_name_exactly_the_common_fields`, so that a misleading message
//! is told apart from a wrong finding. Both tests share one run of the cases.
//!
//! The generator is the shared fixed-seed PRNG (`xlic_testkit::Rng`), so every run checks the same cases; a
//! failure prints the seed and the source text. `XLIC_ORACLE_CASES=N` and
//! `XLIC_ORACLE_SEED=S` run more or other cases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use xlic::source::Span;
use xlic::Compilation;
use xlic_testkit::Rng;

mod brute;
mod domain;
mod generate;
mod witness;

use brute::*;
use domain::*;
use generate::*;
use witness::*;

// ------------------------------------------------------------------ PRNG

/// A non-empty random subset of `0..n`, as a bit mask.
fn nonempty_mask(rng: &mut Rng, n: usize) -> u32 {
    loop {
        let m = (rng.next_u64() >> 20) as u32 & ((1 << n) - 1);
        if m != 0 {
            return m;
        }
    }
}

// ------------------------------------------------------------------ one case

/// Diagnostics other than E0301 that the generator may provoke, and why:
/// W0405: two grants to one licensee on the same terms, one inside the other;
/// W0409: a grant redrawn too often still meets no patent in force (rare by design);
/// W0406 / E0304: the rare arbitrary `except` that removes nothing or everything.
const ALLOWED: [&str; 4] = ["W0405", "W0409", "W0406", "E0304"];

#[derive(Default)]
struct Stats {
    cases: usize,
    grant_pairs: usize,
    conflicts: usize,
    reserved: usize,
    /// Expected conflicting pairs in which one side is a covenant not to sue.
    covenants: usize,
    /// Expected conflicts between clauses that both have a `purpose` line.
    purposes: usize,
    other_codes: BTreeMap<&'static str, usize>,
    capped: usize,
}

/// Checks one case. A wrong finding, witness or diagnostic is an `Err`; a witness
/// whose field list, read as written, differs from the set it stands for (while every
/// field it names is genuinely in both clauses) goes to `wording`.
fn check_case(seed: u64, stats: &mut Stats, wording: &mut Vec<String>) -> Result<(), String> {
    let case = generate(seed);
    let c: Compilation = xlic::compile_text("oracle.xlic", &case.text);
    let again = xlic::compile_text("oracle.xlic", &case.text);
    if c.diagnostics != again.diagnostics {
        return Err("two compilations of the same text disagree".into());
    }
    if std::env::var_os("XLIC_ORACLE_SHOW").is_some() {
        eprintln!("--- seed {seed}\n{}", case.text);
        for d in &c.diagnostics {
            eprintln!("{}: {}", d.code, d.message);
        }
        eprintln!("oracle: {:?}", oracle(&case));
    }
    let agreement = c
        .model
        .agreements
        .first()
        .ok_or("no agreement in the model")?;

    // Spans of clause headers -> our indexes.
    let mut by_span: BTreeMap<Span, Clause> = BTreeMap::new();
    for g in &agreement.grants {
        if let Some(i) = case.grants.iter().position(|x| x.id == g.id) {
            by_span.insert(g.header, Clause::Grant(i));
        } else {
            by_span.insert(g.header, Clause::Share);
        }
    }
    for r in &agreement.reservations {
        let name = r.name.clone().unwrap_or_default();
        let i = case
            .reservations
            .iter()
            .position(|x| x.name == name)
            .ok_or(format!("unknown reservation `{name}` in the model"))?;
        by_span.insert(r.header, Clause::Reservation(i));
    }
    if agreement.grants.len() != case.grants.len() + PARTIES.len()
        || agreement.reservations.len() != case.reservations.len()
    {
        return Err("the model lost a clause".into());
    }

    let days = representative_days(&case.assets);
    let gs: Vec<Scope> = case
        .grants
        .iter()
        .map(|g| grant_scope(&case.tree, g))
        .collect();
    let rs: Vec<Scope> = case
        .reservations
        .iter()
        .map(|r| reservation_scope(&case.tree, r))
        .collect();
    // The resolver read the source as the generator meant it, so that a disagreement
    // below is about the checker.
    for g in &agreement.grants {
        if let Some(i) = case.grants.iter().position(|x| x.id == g.id) {
            same_as_model(
                &c.model,
                &case.tree,
                &gs[i],
                g.rights,
                &g.fields,
                g.territory,
            )
            .map_err(|e| format!("grant `{}` resolved differently: {e}", g.id))?;
            let want = (gs[i].start.to_string(), gs[i].end.to_string());
            let got = match g.term {
                xlic::model::TermModel::Dates(t) => (
                    t.start.to_string(),
                    t.end.map(|e| e.to_string()).unwrap_or_default(),
                ),
                xlic::model::TermModel::UntilExpiry { .. } => Default::default(),
            };
            if got != want {
                return Err(format!("grant `{}` term resolved to {got:?}", g.id));
            }
        }
    }
    for r in &agreement.reservations {
        let name = r.name.clone().unwrap_or_default();
        let k = case
            .reservations
            .iter()
            .position(|x| x.name == name)
            .ok_or(format!("unknown reservation `{name}` in the model"))?;
        same_as_model(
            &c.model,
            &case.tree,
            &rs[k],
            r.rights,
            &r.fields,
            r.territory,
        )
        .map_err(|e| format!("reservation `{name}` resolved differently: {e}"))?;
    }

    let mut found = Findings::default();
    let mut capped: BTreeSet<usize> = BTreeSet::new();
    for d in &c.diagnostics {
        if d.code.as_str() != "E0301" {
            if !ALLOWED.contains(&d.code.as_str()) {
                return Err(format!("unexpected {}: {}", d.code, d.message));
            }
            *stats.other_codes.entry(d.code.as_str()).or_default() += 1;
            continue;
        }
        let primary = by_span.get(&d.primary.span).copied();
        let Some(Clause::Grant(p)) = primary else {
            return Err(format!(
                "E0301 whose primary span is not a grant: {}",
                d.message
            ));
        };
        if d.notes
            .iter()
            .any(|n| n.contains("diagnostics for this clause are not shown"))
        {
            capped.insert(p);
        }
        let [second] = d.secondary.as_slice() else {
            return Err(format!(
                "E0301 without exactly one secondary label: {}",
                d.message
            ));
        };
        let other = by_span.get(&second.span).copied();
        let (witness_text, other_scope) = match other {
            Some(Clause::Grant(q)) => {
                if case.grants[p].excl == Excl::NonExclusive {
                    return Err(format!(
                        "E0301 points at non-exclusive `{}` as the broken promise: {}",
                        case.grants[p].id, d.message
                    ));
                }
                found.pairs.insert((p.min(q), p.max(q)));
                let t = d
                    .message
                    .split_once(" on asset ")
                    .map(|(_, w)| format!("asset {w}"))
                    .ok_or(format!("no witness in `{}`", d.message))?;
                (t, &gs[q])
            }
            Some(Clause::Reservation(k)) => {
                found.reserved.insert((p, k));
                let t = d
                    .message
                    .split_once(" retains: ")
                    .map(|(_, w)| w.to_string())
                    .ok_or(format!("no witness in `{}`", d.message))?;
                (t, &rs[k])
            }
            _ => {
                return Err(format!(
                    "E0301 whose secondary span is no generated clause: {}",
                    d.message
                ))
            }
        };
        let w = parse_witness(&case, &witness_text)
            .map_err(|e| format!("unreadable witness ({e}): {}", d.message))?;
        witness_nonempty(&w)
            .and_then(|()| witness_inside(&case, &days, &w, &gs[p]))
            .map_err(|e| {
                format!(
                    "witness not in `{}` ({e}): {}",
                    case.grants[p].id, d.message
                )
            })?;
        witness_inside(&case, &days, &w, other_scope)
            .map_err(|e| format!("witness not in the other clause ({e}): {}", d.message))?;
        // Every box of a clause carries its whole rights and fields, so the witness's
        // rights and fields are exactly the two clauses' common ones (§4: "the concrete
        // intersection"); only its countries and period are one piece of the overlap.
        let x = &gs[p];
        let rights: Vec<bool> = (0..10)
            .map(|r| x.rights[r] && other_scope.rights[r])
            .collect();
        if w.rights[..] != rights[..] {
            wording.push(format!(
                "witness rights are not the clauses' common rights: {}",
                d.message
            ));
        }
        let fields: Vec<bool> = (0..case.tree.len())
            .map(|f| x.fields[f] && other_scope.fields[f])
            .collect();
        if !w.fields_cut && w.fields != fields {
            let common: Vec<String> = (0..case.tree.len())
                .filter(|&f| fields[f])
                .map(|f| case.tree.path(f))
                .collect();
            wording.push(format!(
                "witness fields, read as written, are not the clauses' common fields ({}): {}",
                common.join(", "),
                d.message
            ));
        }
    }

    let expected = oracle(&case);
    stats.cases += 1;
    stats.grant_pairs += case.grants.len() * (case.grants.len() - 1) / 2;
    stats.conflicts += expected.pairs.len();
    stats.reserved += expected.reserved.len();
    stats.covenants += expected
        .pairs
        .iter()
        .filter(|(i, j)| case.grants[*i].covenant || case.grants[*j].covenant)
        .count();
    stats.purposes += expected
        .pairs
        .iter()
        .filter(|(i, j)| case.grants[*i].purposes.is_some() && case.grants[*j].purposes.is_some())
        .count()
        + expected
            .reserved
            .iter()
            .filter(|(i, k)| {
                case.grants[*i].purposes.is_some() && case.reservations[*k].purposes.is_some()
            })
            .count();
    if !capped.is_empty() {
        stats.capped += 1;
    }
    // Diagnostics capped per clause (MAX_PER_CLAUSE) may hide pairs of that clause, but
    // must not invent any.
    let hidden_ok = |a: usize, b: usize| capped.contains(&a) || capped.contains(&b);
    let name = |i: usize| case.grants[i].id.clone();
    let mut problems = Vec::new();
    for &(a, b) in found.pairs.difference(&expected.pairs) {
        problems.push(format!(
            "checker reports {} × {}, the oracle finds no conflict",
            name(a),
            name(b)
        ));
    }
    for &(a, b) in expected.pairs.difference(&found.pairs) {
        if !hidden_ok(a, b) {
            problems.push(format!(
                "oracle finds {} × {} in conflict, the checker is silent",
                name(a),
                name(b)
            ));
        }
    }
    for &(g, r) in found.reserved.difference(&expected.reserved) {
        problems.push(format!(
            "checker reports {} against reservation {}, the oracle finds no conflict",
            name(g),
            case.reservations[r].name
        ));
    }
    for &(g, r) in expected.reserved.difference(&found.reserved) {
        if !capped.contains(&g) {
            problems.push(format!(
                "oracle finds {} against reservation {}, the checker is silent",
                name(g),
                case.reservations[r].name
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Whether the model's rights, fields and territory of a clause are the oracle's.
fn same_as_model(
    model: &xlic::model::Model,
    tree: &Tree,
    x: &Scope,
    rights: xlic::model::RightSet,
    fields: &xlic::model::FieldSet,
    territory: xlic::territory::TerritorySet,
) -> Result<(), String> {
    let got: Vec<&str> = rights.iter().map(|r| r.keyword()).collect();
    let want: Vec<&str> = (0..10)
        .filter(|&r| x.rights[r])
        .map(|r| RIGHTS[r])
        .collect();
    if got != want {
        return Err(format!("rights {got:?}, expected {want:?}"));
    }
    if model.fields.nodes.len() != tree.len() {
        return Err("the fields tree has another size".into());
    }
    for i in 0..tree.len() {
        let id = xlic::model::FieldId(i as u32);
        let path = model.fields.path(id);
        let Some(n) = tree.node_of_path(path) else {
            return Err(format!("field `{path}` is not in the generated tree"));
        };
        if fields.contains(id) != x.fields[n] {
            return Err(format!("field `{path}` membership differs"));
        }
    }
    // `GB` stands for every country outside the five.
    for (t, code) in COUNTRIES.iter().chain(["GB"].iter()).enumerate() {
        if territory.contains_code(code) != x.places[t] {
            return Err(format!("country {code} membership differs"));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Clause {
    Grant(usize),
    Reservation(usize),
    /// One of the know-how grants that keep W0404 quiet.
    Share,
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The outcome of every case, computed once for both tests.
struct Outcome {
    cases: u64,
    /// (seed, what is wrong): findings, witness genuineness, diagnostics, determinism.
    failures: Vec<(u64, String)>,
    /// (seed, what is wrong): witness field lists that misdescribe the overlap.
    wording: Vec<(u64, String)>,
}

fn outcome() -> &'static Outcome {
    static OUTCOME: std::sync::OnceLock<Outcome> = std::sync::OnceLock::new();
    OUTCOME.get_or_init(|| {
        let cases = env_u64("XLIC_ORACLE_CASES").unwrap_or(1500);
        let base = env_u64("XLIC_ORACLE_SEED").unwrap_or(0x0A11_CE5E_ED00);
        let started = std::time::Instant::now();
        let mut stats = Stats::default();
        let mut out = Outcome {
            cases,
            failures: Vec::new(),
            wording: Vec::new(),
        };
        for i in 0..cases {
            let seed = base.wrapping_add(i);
            let mut wording = Vec::new();
            if let Err(e) = check_case(seed, &mut stats, &mut wording) {
                out.failures.push((seed, e));
            }
            out.wording.extend(wording.into_iter().map(|w| (seed, w)));
        }
        eprintln!(
            "oracle: {} cases, {} grant pairs, {} conflicting pairs ({} with a covenant) and \
             {} reservation conflicts expected ({} between purpose-limited clauses), other \
             codes {:?}, {} cases capped, {:.1?}",
            stats.cases,
            stats.grant_pairs,
            stats.conflicts,
            stats.covenants,
            stats.reserved,
            stats.purposes,
            stats.other_codes,
            stats.capped,
            started.elapsed()
        );
        // The generator exercises covenants and purposes (issue 15), or the
        // comparison above says nothing about them.
        if cases >= 200 && (stats.covenants == 0 || stats.purposes == 0) {
            out.failures.push((
                base,
                format!(
                    "the generator produced {} covenant conflicts and {} purpose-limited ones",
                    stats.covenants, stats.purposes
                ),
            ));
        }
        out
    })
}

fn report(what: &str, cases: u64, failures: &[(u64, String)]) {
    let Some((first, _)) = failures.first() else {
        return;
    };
    let seeds: BTreeSet<u64> = failures.iter().map(|(s, _)| *s).collect();
    let mut report = format!("{what}: {} of {cases} cases failed\n", seeds.len());
    let mut shown = BTreeSet::new();
    for (seed, e) in failures.iter() {
        // The first problem of each of the first three failing cases.
        if shown.contains(seed) || (shown.len() == 3) {
            continue;
        }
        shown.insert(*seed);
        let text = generate(*seed).text;
        write!(
            report,
            "\n--- seed {seed} (rerun with XLIC_ORACLE_SEED={seed} XLIC_ORACLE_CASES=1)\n{e}\n--- source\n{text}"
        )
        .unwrap();
    }
    panic!("{report}\nfirst failing seed: {first}");
}

/// E0301 findings equal the oracle's, every witness point is genuine, no unexpected
/// diagnostic, deterministic output.
#[test]
fn exclusivity_conflicts_match_a_brute_force_oracle() {
    let o = outcome();
    report("E0301 against the oracle", o.cases, &o.failures);
}

/// The field list of every E0301 witness, read as written, is the clauses' common fields.
///
/// Ignored until `scope::describe_fields` stops listing again the parts of a subtree it
/// has already described as `x except …` (it describes each pre-order range on its
/// own): `fields mobile except mobile.automotive.robotics, mobile.adas` for the set
/// "mobile without robotics", which reads as if `mobile.adas` were excluded too. Run it
/// with `cargo test --test it oracle -- --ignored`.
#[test]
fn conflict_witnesses_name_exactly_the_common_fields() {
    let o = outcome();
    report("E0301 witness wording", o.cases, &o.wording);
}
