//! Checks over the resolved model, one file per rule family: values (E02xx, run during
//! resolution), conflicts between clauses (E0301–E0303, E0307, W0407) and policy rules
//! (E0304–E0306, W0401–W0406, W0408, W0409).

mod affiliates;
mod after;
mod clauses;
mod conflicts;
pub mod context;
// clauses (issue 15): first refusal and negotiation
mod first;
mod flows;
mod obligations;
mod patents;
mod policy;
mod pools;
mod sweep;
mod terminate;
mod terms;

use crate::diagnostics::Diagnostic;
use crate::ledger::Ledger;
use crate::model::Model;
use std::collections::BTreeMap;

/// At most this many diagnostics of one code are reported for one primary clause; the
/// rest are summarised, so one mistake cannot bury the report.
pub const MAX_PER_CLAUSE: usize = 10;

/// What the checker did, for tests and benchmarks that bound its work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Pairs of pieces the E0301 sweep judged (each a few bit operations).
    pub pairs_judged: usize,
}

/// Runs every conflict and policy rule over the whole agreement set and its ledger.
pub fn run(model: &Model, ledger: &Ledger) -> Vec<Diagnostic> {
    run_counted(model, ledger).0
}

/// Like [`run`], also saying how much work the conflict sweep did.
pub fn run_counted(model: &Model, ledger: &Ledger) -> (Vec<Diagnostic>, Work) {
    let mut work = Work::default();
    let out = run_rules(model, ledger, &mut work, &|| false);
    (out.unwrap_or_default(), work)
}

/// Like [`run`], asking `cancelled` between the rules: `None` once it says yes (an
/// editor no longer wants the diagnostics of a version a newer edit replaced).
pub fn run_unless(
    model: &Model,
    ledger: &Ledger,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Diagnostic>> {
    run_rules(model, ledger, &mut Work::default(), cancelled)
}

fn run_rules(
    model: &Model,
    ledger: &Ledger,
    work: &mut Work,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Diagnostic>> {
    let ctx = context::Ctx::new(model, ledger);
    let mut out = Vec::new();
    let mut hidden = conflicts::Hidden::new();
    conflicts::exclusivity(&ctx, &mut out, &mut hidden, &mut work.pairs_judged);
    if cancelled() {
        return None;
    }
    conflicts::right_to_grant(&ctx, &mut out);
    if cancelled() {
        return None;
    }
    after::after_the_end(&ctx, &mut out);
    policy::subject_to_names(&ctx, &mut out);
    policy::carve_outs(&ctx, &mut out);
    policy::improvement_owners(&ctx, &mut out);
    policy::sunsets(&ctx, &mut out);
    policy::grant_backs(&ctx, &mut out);
    policy::reciprocity(&ctx, &mut out);
    policy::redundancy(&ctx, &mut out);
    if cancelled() {
        return None;
    }
    patents::patent_identity(&ctx, &mut out);
    patents::capture_periods(&ctx, &mut out);
    patents::patent_life(&ctx, &mut out);
    patents::co_owners(&ctx, &mut out);
    terms::within_agreement(&ctx, &mut out);
    terms::renewals(&ctx, &mut out);
    terms::payments(&ctx, &mut out);
    // clauses (issue 15, round 4): agreement-level payments
    terms::agreement_payments(&ctx, &mut out);
    clauses::reservation_holders(&ctx, &mut out);
    clauses::licensees(&ctx, &mut out);
    clauses::improvement_parties(&ctx, &mut out);
    clauses::sublicense_affiliates(&ctx, &mut out);
    clauses::survivals(&ctx, &mut out);
    terminate::who_may_terminate(&ctx, &mut out);
    obligations::audits(&ctx, &mut out);
    obligations::confidentiality(&ctx, &mut out);
    obligations::shares(&ctx, &mut out);
    obligations::committees(&ctx, &mut out);
    pools::membership(&ctx, &mut out);
    pools::frand(&ctx, &mut out);
    pools::most_favoured(&ctx, &mut out);
    first::first_rights(&ctx, &mut out);
    flows::idle_rules(&ctx, &mut out);
    affiliates::unnamed_affiliates(&ctx, &mut out);
    Some(cap(out, &hidden))
}

/// Keeps the first [`MAX_PER_CLAUSE`] diagnostics of each code at each primary clause
/// and adds a note with the count of the rest to the last one kept. `hidden` counts
/// what a rule found but did not build (see [`conflicts::Hidden`]).
fn cap(mut diags: Vec<Diagnostic>, hidden: &conflicts::Hidden) -> Vec<Diagnostic> {
    crate::diagnostics::sort_and_dedup(&mut diags);
    let mut counts: BTreeMap<(crate::diagnostics::Code, crate::source::Span), usize> =
        BTreeMap::new();
    for d in &diags {
        *counts.entry((d.code, d.primary.span)).or_default() += 1;
    }
    let mut seen: BTreeMap<(crate::diagnostics::Code, crate::source::Span), usize> =
        BTreeMap::new();
    let mut out = Vec::with_capacity(diags.len());
    for mut d in diags {
        let key = (d.code, d.primary.span);
        let n = seen.entry(key).or_default();
        *n += 1;
        if *n > MAX_PER_CLAUSE {
            continue;
        }
        let built = counts.get(&key).copied().unwrap_or(0);
        let shown = built.min(MAX_PER_CLAUSE);
        let (unbuilt, lower_bound) = hidden.get(&key).copied().unwrap_or((0, false));
        let more = built - shown + unbuilt;
        if *n == shown && (more > 0 || lower_bound) {
            let code = d.code;
            d = d.with_note(if lower_bound && more == 0 {
                format!(
                    "more {code} diagnostics for this clause may exist: the checker stops comparing a grant after {} conflicts",
                    conflicts::MAX_CONFLICTS_SCANNED
                )
            } else if lower_bound {
                format!(
                    "at least {more} more {code} diagnostics for this clause are not shown (the checker stops comparing a grant after {} conflicts)",
                    conflicts::MAX_CONFLICTS_SCANNED
                )
            } else {
                format!("{more} more {code} diagnostics for this clause are not shown")
            });
        }
        out.push(d);
    }
    out
}
