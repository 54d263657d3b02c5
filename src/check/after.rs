//! Rules about what happens after a license ends: a wind-down that runs into a later
//! exclusive grant (E0307) and an automatic renewal that would (W0407), judged on the
//! ledger's sell-off and renewal pieces.

use super::conflicts::{breaks_exclusivity, kind_word, witness_between};
use super::context::{Ctx, GrantInfo};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::{Clause, Piece, PieceKind};
use crate::model::Interval;
use crate::scope::intersect_time;

/// The sell-off pieces of a grant.
fn sell_off_pieces<'a>(ctx: &'a Ctx<'a>, g: &'a GrantInfo<'a>) -> impl Iterator<Item = &'a Piece> {
    ctx.ledger
        .pieces_of(g.entry)
        .iter()
        .filter(|p| p.kind == PieceKind::SellOff)
}

/// Other grants with a term piece on one of these subjects, in ledger order.
fn grants_meeting(ctx: &Ctx<'_>, pieces: &[&Piece], except: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for p in pieces {
        for (_, q) in ctx.ledger.pieces_on(p.subject) {
            if let (PieceKind::Term, Clause::Grant(h)) = (q.kind, q.clause) {
                if h != except {
                    out.push(h);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// E0307 (wind-down into a later exclusive grant) and W0407 (automatic renewal into one).
pub fn after_the_end(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (ai, a) in ctx.model.agreements.iter().enumerate() {
        let by_grant = crate::ledger::sunsets_by_grant(a);
        for (gi, sunsets) in by_grant.iter().enumerate() {
            let Some(g) = ctx.ledger.grant_index(ai, gi).and_then(|i| ctx.grant(i)) else {
                continue;
            };
            let Some(end) = g.time.end else { continue };
            for s in sunsets {
                if s.wind_down.is_some() {
                    wind_down(ctx, g, s, out);
                }
                for r in s.renewals.iter().filter(|r| r.automatic) {
                    renewal(ctx, g, end, r, out);
                }
            }
        }
    }
}

fn wind_down(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    s: &crate::model::SunsetModel,
    out: &mut Vec<Diagnostic>,
) {
    let mine: Vec<&Piece> = sell_off_pieces(ctx, g).collect();
    if mine.is_empty() {
        return;
    }
    for h in grants_meeting(ctx, &mine, g.index)
        .iter()
        .filter_map(|&i| ctx.grant(i))
    {
        if !breaks_exclusivity(h, g) {
            continue;
        }
        let theirs: Vec<&Piece> = ctx.term_pieces(h).collect();
        let Some(w) = witness_between(&mine, &g.grant.fields, &theirs, &h.grant.fields) else {
            continue;
        };
        let window = Interval {
            start: mine
                .iter()
                .map(|p| p.time.start)
                .min()
                .unwrap_or(w.time.start),
            end: mine.iter().filter_map(|p| p.time.end).max(),
        };
        let label = match window.end {
            Some(e) => format!("sell-off period {} until {e}", window.start),
            None => format!("sell-off period from {}", window.start),
        };
        out.push(
            Diagnostic::new(
                Code::E0307,
                format!(
                    "the wind-down of `{}` overlaps {} grant {}: {}",
                    g.grant.id,
                    kind_word(h),
                    h.name_against(g),
                    w.describe(ctx.model, ctx.ledger)
                ),
                s.wind_down_span.unwrap_or(s.header),
            )
            .with_label(label)
            .with_secondary(g.grant.header, "the grant that winds down")
            .with_secondary(h.grant.header, format!("{} grant to another licensee", kind_word(h)))
            .with_help(format!("start the {} grant after the sell-off period, shorten the wind-down, or exclude the overlap", kind_word(h))),
        );
    }
}

/// The longest a renewal option can run the grant on: its end after every renewal
/// (`None`: renewals without a bound run on forever).
pub fn renewed_end(end: Date, r: &crate::model::RenewalModel) -> Option<Date> {
    let n = r.max_times?;
    let mut e = Some(end);
    for _ in 0..n.min(1000) {
        e = e.and_then(|x| x.add_duration(r.period));
    }
    e
}

/// The pieces a grant would have if a renewal option were exercised: its term pieces
/// carried on from `end` to `ext`, while each subject is in force.
pub fn renewal_pieces(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    end: Date,
    ext: Option<Date>,
) -> Vec<Piece> {
    let window = Interval {
        start: end,
        end: ext,
    };
    let mut out: Vec<Piece> = Vec::new();
    for p in ctx.term_pieces(g) {
        let Some(subject) = ctx.ledger.subject(p.subject) else {
            continue;
        };
        let Some(time) = intersect_time(window, subject.life()) else {
            continue;
        };
        let piece = Piece { time, ..p.clone() };
        if !out.contains(&piece) {
            out.push(piece);
        }
    }
    out
}

fn renewal(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    end: Date,
    r: &crate::model::RenewalModel,
    out: &mut Vec<Diagnostic>,
) {
    let ext = renewed_end(end, r);
    let mine_owned = renewal_pieces(ctx, g, end, ext);
    let mine: Vec<&Piece> = mine_owned.iter().collect();
    if mine.is_empty() {
        return;
    }
    let base: Vec<&Piece> = ctx.term_pieces(g).collect();
    for h in grants_meeting(ctx, &mine, g.index)
        .iter()
        .filter_map(|&i| ctx.grant(i))
    {
        if !(breaks_exclusivity(h, g) || breaks_exclusivity(g, h)) {
            continue;
        }
        if g.reaches(h.grant.licensor) || h.reaches(g.grant.licensor) {
            continue;
        }
        let theirs: Vec<&Piece> = ctx.term_pieces(h).collect();
        let Some(w) = witness_between(&mine, &g.grant.fields, &theirs, &h.grant.fields) else {
            continue;
        };
        // Already a conflict in the base terms? Then E0301 says it.
        if witness_between(&base, &g.grant.fields, &theirs, &h.grant.fields).is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::W0407,
                format!(
                    "automatic renewal of `{}` would run into {} grant {}: {}",
                    g.grant.id,
                    if breaks_exclusivity(h, g) { kind_word(h) } else { "the" },
                    h.name_against(g),
                    w.describe(ctx.model, ctx.ledger)
                ),
                r.span,
            )
            .with_label("renewal option")
            .with_secondary(g.grant.header, "the grant renewed")
            .with_secondary(h.grant.header, "conflicting grant")
            .with_note("renewals are options: the base terms do not conflict, but exercising this one would")
            .with_help("cap the renewals (`at most N times`) so they end before the other grant starts, or renew by mutual consent"),
        );
    }
}
