//! reach (issue 20): affiliates by control in the conflict rules. A grant `to P and
//! affiliates`, where P's party block says `affiliates by control`, reaches entities
//! the agreement does not name. Whether a named party is one of them is not knowable
//! (E0301 judges named parties as named), but one thing is: an exclusive or sole grant
//! to P alone (or to parties that do not include P `and affiliates`) shuts out P's
//! affiliates by control, so another grant reaching them in the same scope takes
//! from it even when every party it names is a licensee of the exclusive one (E0319).

use super::conflicts::{breaks_exclusivity, kind_word, witness_between};
use super::context::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::view::GrantInfo;
use crate::ledger::Piece;
use crate::model::PartyId;

/// The parties whose affiliates by control grant `g` reaches: its licensees with
/// `affiliates by control`, when the grant says `and affiliates`.
fn unnamed_reach(ctx: &Ctx<'_>, g: &GrantInfo<'_>) -> Vec<PartyId> {
    if !g.grant.to_affiliates || g.entry.release.is_some() {
        return Vec::new();
    }
    g.grant
        .licensees
        .iter()
        .copied()
        .filter(|p| ctx.model.party(*p).is_some_and(|d| d.control.is_some()))
        .collect()
}

/// E0319: an exclusive or sole grant met, in the same scope, by a grant that reaches
/// affiliates by control the exclusive one does not reach, where E0301 is silent (the
/// other grant names no party the exclusive one does not reach).
pub fn unnamed_affiliates(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let reaching: Vec<(&GrantInfo<'_>, Vec<PartyId>)> = ctx
        .grants
        .iter()
        .map(|g| (g, unnamed_reach(ctx, g)))
        .filter(|(_, u)| !u.is_empty())
        .collect();
    if reaching.is_empty() {
        return;
    }
    for x in ctx.grants.iter().filter(|x| {
        x.is_exclusive_kind() && !x.entry.subject_to_unbound && x.entry.release.is_none()
    }) {
        let own = unnamed_reach(ctx, x);
        let xp: Vec<&Piece> = ctx.term_pieces(x).collect();
        let mut shown = 0;
        for (y, parties) in &reaching {
            if y.index == x.index || shown >= super::MAX_PER_CLAUSE {
                continue;
            }
            let shut_out: Vec<PartyId> = parties
                .iter()
                .copied()
                .filter(|p| !own.contains(p))
                .collect();
            if shut_out.is_empty()
                || breaks_exclusivity(x, y)
                || x.reaches(y.grant.licensor)
                || x.entry.subject_to_grants.contains(&y.index)
            {
                continue;
            }
            let yp: Vec<&Piece> = ctx.term_pieces(y).collect();
            let Some(w) = witness_between(&xp, &x.grant.fields, &yp, &y.grant.fields) else {
                continue;
            };
            let whose: Vec<String> = shut_out.iter().map(|p| ctx.party(*p)).collect();
            let whose = whose.join(", ");
            let mut d = Diagnostic::new(
                Code::E0319,
                format!(
                    "{} grant {} to {} overlaps {} {}, which reaches the affiliates by control of {whose}, on {}",
                    kind_word(x),
                    x.name_against(y),
                    ctx.licensees(x),
                    if y.grant.covenant { "covenant" } else { "grant" },
                    y.name_against(x),
                    w.describe(ctx.model, ctx.ledger)
                ),
                x.grant.header,
            )
            .with_label(format!("{} grant", kind_word(x)))
            .with_secondary(y.grant.header, "reaches affiliates the agreement does not name")
            .with_note(format!(
                "`affiliates by control` makes every entity related to {whose} by control an affiliate, named or not; the {} grant licenses none of them, so a license to them takes from it",
                kind_word(x)
            ))
            .with_help(format!(
                "add `and affiliates` to the {} grant, remove `and affiliates` from {}, or narrow one grant so they no longer meet",
                kind_word(x),
                y.name_against(x)
            ));
            for p in &shut_out {
                if let Some(c) = ctx.model.party(*p).and_then(|d| d.control.as_ref()) {
                    d = d.with_secondary(
                        c.span,
                        format!("affiliates of {} by control", ctx.party(*p)),
                    );
                }
            }
            out.push(d);
            shown += 1;
        }
    }
}
