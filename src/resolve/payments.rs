//! clauses (issue 15, round 4): lowering an agreement-level payment (`payment NAME:
//! PAYER -> PAYEE { pay AMOUNT on DATE … }`), with the checks its own clause can fail:
//! a party paying itself (E0324) and a payer or payee the agreement does not otherwise
//! name (E0325). A due date outside the agreement's term (W0415) and instalments in
//! different currencies (W0433) are the checker's (`check::terms::agreement_payments`).

use super::values;
use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{AgreementModel, AgreementPaymentModel, InstalmentModel, PartyId};
use crate::syntax::ast;

pub(super) fn lower(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    p: &ast::Payment,
    diags: &mut Vec<Diagnostic>,
) -> Option<AgreementPaymentModel> {
    let payer = ctx.scope.party(&p.payer, diags);
    let payee = ctx.scope.party(&p.payee, diags);
    let instalments: Vec<InstalmentModel> = p
        .instalments
        .iter()
        .filter_map(|i| {
            let amount = values::money(&i.amount, diags);
            let due = values::date(&i.due, diags);
            Some(InstalmentModel {
                amount: amount?,
                due: due?,
                span: i.span,
            })
        })
        .collect();
    let (payer, payee) = (payer?, payee?);
    if payer == payee {
        diags.push(
            Diagnostic::new(
                Code::E0324,
                format!(
                    "payment `{}` is made by `{}` to itself",
                    p.name.name, p.payer.name
                ),
                p.payee.span,
            )
            .with_label("the payer again")
            .with_secondary(p.payer.span, "the payer")
            .with_help("name the party that receives the payment after `->`"),
        );
    } else {
        for (ident, id, role) in [(&p.payer, payer, "payer"), (&p.payee, payee, "payee")] {
            if !of_agreement(ctx, a, id) {
                diags.push(
                    Diagnostic::new(
                        Code::E0325,
                        format!(
                            "the {role} of payment `{}`, `{}`, is not a party of \"{}\"",
                            p.name.name, ident.name, a.title
                        ),
                        ident.span,
                    )
                    .with_label("no grant, reservation or `parties` line of the agreement names it")
                    .with_secondary(a.header, "the agreement")
                    .with_help(format!(
                        "name a party of the agreement, or list `{}` in the agreement's `parties`",
                        ident.name
                    )),
                );
            }
        }
    }
    Some(AgreementPaymentModel {
        id: p.name.name.to_string(),
        label: p.label.as_ref().map(|l| l.value.clone()),
        payer,
        payee,
        instalments,
        notes: p.notes.iter().map(|n| n.value.clone()).collect(),
        header: p.header,
        span: p.span,
    })
}

/// Whether the agreement names the party (or, for an affiliate, its parent) other than
/// in a payment: a payment cannot bring a party into the agreement.
fn of_agreement(ctx: &Ctx<'_>, a: &AgreementModel, p: PartyId) -> bool {
    a.parties.contains(&p)
        || ctx
            .model
            .party(p)
            .and_then(|d| d.parent)
            .is_some_and(|parent| a.parties.contains(&parent))
}
