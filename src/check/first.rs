//! clauses (issue 15): E0322, a right of first refusal or negotiation on a scope that
//! is already licensed exclusively (or solely) to another party: the owners have
//! nothing left to offer the holder there. The first right's scope is cut into the
//! ledger's pieces (`Ledger::scope_pieces`) and compared with the exclusive grants'
//! term pieces on the same subjects, as a reservation is.

use super::conflicts::witness_between;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::view::Ctx;
use crate::ledger::{Clause, Piece, ScopeOf};

pub fn first_rights(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for (fi, f) in a.first_rights.iter().enumerate() {
            // A holder that owns the assets is E0323 already.
            if f.grantors.contains(&f.holder) {
                continue;
            }
            let scope = ScopeOf {
                assets: &f.assets,
                rights: f.rights,
                territory: f.territory,
                term: f.term,
                purposes: f.purposes,
            };
            let fpieces = ctx.ledger.scope_pieces(Clause::FirstRight(fi), &scope);
            let frefs: Vec<&Piece> = fpieces.iter().collect();
            if frefs.is_empty() {
                continue;
            }
            let ffields = if f.all_fields {
                ctx.every_field.clone()
            } else {
                f.fields.clone()
            };
            for g in super::conflicts::grants_on(ctx, &frefs)
                .iter()
                .filter_map(|&i| ctx.grant(i))
                .filter(|g| g.entry.release.is_none() && g.is_exclusive_kind())
                .filter(|g| !g.reaches(f.holder))
            {
                let gpieces: Vec<&Piece> = ctx.term_pieces(g).collect();
                let Some(w) = witness_between(&frefs, &ffields, &gpieces, &g.grant.fields) else {
                    continue;
                };
                let grant = if std::ptr::eq(g.agreement, a) {
                    format!("`{}`", g.grant.id)
                } else {
                    format!("`{}` (in \"{}\")", g.grant.id, g.agreement.title)
                };
                out.push(
                    Diagnostic::new(
                        Code::E0322,
                        format!(
                            "first {} `{}` gives {} a first chance at a scope already licensed {} by {grant}: {}",
                            f.kind.keyword(),
                            f.id,
                            ctx.party(f.holder),
                            match g.grant.exclusivity {
                                crate::vocab::ExclusivityKind::Sole => "solely",
                                _ => "exclusively",
                            },
                            w.describe(ctx.model, ctx.ledger)
                        ),
                        f.header,
                    )
                    .with_label("nothing left to offer here")
                    .with_secondary(
                        g.grant.header,
                        format!("{} grant to {}", g.grant.exclusivity.keyword(), ctx.licensees(g)),
                    )
                    .with_help(format!(
                        "narrow `{}` to what is not licensed exclusively (a field, territory or term outside `{}`), or make the right start when that license ends",
                        f.id, g.grant.id
                    )),
                );
            }
        }
    }
}
