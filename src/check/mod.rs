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

/// With at least this many grants in the ledger, the E0301 sweep (about half of the
/// rules' time on a large portfolio) runs on a thread of its own beside the other
/// rules, when the process may use more than one core. The diagnostics are the same
/// and in the same order either way.
pub const SWEEP_APART_GRANTS: usize = 2_000;

/// The stack of the sweep's thread: the main thread's.
const SWEEP_STACK_BYTES: usize = 8 << 20;

fn run_rules(
    model: &Model,
    ledger: &Ledger,
    work: &mut Work,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Diagnostic>> {
    // Asking for the cores reads the process's cgroup files: only for a large ledger.
    let apart = ledger.grants.len() >= SWEEP_APART_GRANTS
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    run_rules_with(model, ledger, work, cancelled, apart)
}

/// [`run_rules`] with the sweep on a thread of its own (`apart`) or on this one.
fn run_rules_with(
    model: &Model,
    ledger: &Ledger,
    work: &mut Work,
    cancelled: &dyn Fn() -> bool,
    apart: bool,
) -> Option<Vec<Diagnostic>> {
    let ctx = context::Ctx::new(model, ledger);
    let sweep = |work: &mut Work| {
        let mut out = Vec::new();
        let mut hidden = conflicts::Hidden::new();
        conflicts::exclusivity(&ctx, &mut out, &mut hidden, &mut work.pairs_judged);
        (out, hidden)
    };
    let ((mut out, hidden), rest) = if apart {
        std::thread::scope(|scope| {
            let mut own = Work::default();
            let handle = std::thread::Builder::new()
                .stack_size(SWEEP_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    let swept = sweep(&mut own);
                    (swept, own)
                });
            let rest = other_rules(&ctx, cancelled);
            let swept = match handle {
                Ok(handle) => match handle.join() {
                    Ok((swept, own)) => {
                        work.pairs_judged += own.pairs_judged;
                        swept
                    }
                    Err(panicked) => std::panic::resume_unwind(panicked),
                },
                // No thread to be had: the sweep runs here, after the rest.
                Err(_) => sweep(work),
            };
            (swept, rest)
        })
    } else {
        let swept = sweep(work);
        if cancelled() {
            return None;
        }
        (swept, other_rules(&ctx, cancelled))
    };
    out.extend(rest?);
    Some(cap(out, &hidden))
}

/// Every rule but the E0301 sweep, in their order, asking `cancelled` between groups.
fn other_rules(ctx: &context::Ctx<'_>, cancelled: &dyn Fn() -> bool) -> Option<Vec<Diagnostic>> {
    let mut out = Vec::new();
    conflicts::right_to_grant(ctx, &mut out);
    if cancelled() {
        return None;
    }
    after::after_the_end(ctx, &mut out);
    policy::subject_to_names(ctx, &mut out);
    policy::carve_outs(ctx, &mut out);
    policy::improvement_owners(ctx, &mut out);
    policy::sunsets(ctx, &mut out);
    policy::grant_backs(ctx, &mut out);
    policy::reciprocity(ctx, &mut out);
    policy::redundancy(ctx, &mut out);
    if cancelled() {
        return None;
    }
    patents::patent_identity(ctx, &mut out);
    patents::capture_periods(ctx, &mut out);
    patents::patent_life(ctx, &mut out);
    patents::co_owners(ctx, &mut out);
    terms::within_agreement(ctx, &mut out);
    terms::renewals(ctx, &mut out);
    terms::payments(ctx, &mut out);
    // clauses (issue 15, round 4): agreement-level payments
    terms::agreement_payments(ctx, &mut out);
    clauses::reservation_holders(ctx, &mut out);
    clauses::licensees(ctx, &mut out);
    clauses::improvement_parties(ctx, &mut out);
    clauses::sublicense_affiliates(ctx, &mut out);
    clauses::survivals(ctx, &mut out);
    terminate::who_may_terminate(ctx, &mut out);
    obligations::audits(ctx, &mut out);
    obligations::confidentiality(ctx, &mut out);
    obligations::shares(ctx, &mut out);
    obligations::committees(ctx, &mut out);
    pools::membership(ctx, &mut out);
    pools::frand(ctx, &mut out);
    pools::most_favoured(ctx, &mut out);
    first::first_rights(ctx, &mut out);
    flows::idle_rules(ctx, &mut out);
    affiliates::unnamed_affiliates(ctx, &mut out);
    Some(out)
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

/// The benchmarks' portfolio generator, for the test below.
#[cfg(test)]
#[path = "../../benches/workload/mod.rs"]
mod workload;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::workload;

    /// The sweep on a thread of its own gives the diagnostics of the sweep run first on
    /// one thread, byte for byte and in the same order, on a portfolio large enough for
    /// `xlic check` to run it apart (with planted conflicts, so that the sweep reports).
    #[test]
    fn the_sweep_apart_reports_what_it_reports_in_line() {
        let w = workload::portfolio(super::SWEEP_APART_GRANTS + 500, 120, 40, 0x5EED_0019);
        let c = crate::compile_text("apart.xlic", &w.source);
        assert!(c.ledger.grants.len() >= super::SWEEP_APART_GRANTS);
        let never = || false;
        let mut work_apart = super::Work::default();
        let apart =
            super::run_rules_with(&c.model, &c.ledger, &mut work_apart, &never, true).unwrap();
        let mut work_in_line = super::Work::default();
        let in_line =
            super::run_rules_with(&c.model, &c.ledger, &mut work_in_line, &never, false).unwrap();
        let conflicts = apart
            .iter()
            .filter(|d| d.code == crate::diagnostics::Code::E0301)
            .count();
        assert_eq!(conflicts, w.planted_conflicts, "{apart:#?}");
        assert_eq!(format!("{apart:?}"), format!("{in_line:?}"));
        assert_eq!(work_apart, work_in_line);
        assert!(work_apart.pairs_judged > 0);
    }
}
