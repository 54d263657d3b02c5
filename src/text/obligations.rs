//! terms (issue 15, part 3): obligations, governance clauses and provisions in words,
//! for the prose and hovers. Each clause is a heading and its paragraphs.

use super::*;
use crate::model::{Model, ObligationEntry, ObligationModel, ObligationValue, PartyId};
use crate::vocab::{AssetKind, ObligationKey, ObligationKind};

/// How an obligation clause names things: the model's short names, except that one
/// party may be written as a stand-in (issue 18: a pool's clause stated once for every
/// member it binds writes "that Member" where each one's clause names it).
#[derive(Debug, Clone, Copy)]
pub struct Words<'m> {
    pub model: &'m Model,
    pub stand_in: Option<(PartyId, &'m str)>,
}

impl<'m> Words<'m> {
    /// Every party by its own name.
    pub fn of(model: &'m Model) -> Self {
        Words {
            model,
            stand_in: None,
        }
    }

    fn party(&self, p: PartyId) -> String {
        match self.stand_in {
            Some((q, words)) if q == p => words.to_string(),
            _ => short_name(self.model, p),
        }
    }

    fn is_stand_in(&self, p: PartyId) -> bool {
        self.stand_in.is_some_and(|(q, _)| q == p)
    }
}

/// The heading of an obligation clause: "Audit of Globex", "Confidentiality", the title
/// of a provision.
pub fn obligation_heading(w: &Words, o: &ObligationModel) -> String {
    match o.kind {
        ObligationKind::Audit => match o.parties.get(1) {
            Some(p) => format!("Audit of {}", w.party(*p)),
            None => "Audit".to_string(),
        },
        ObligationKind::Confidentiality => "Confidentiality".to_string(),
        ObligationKind::Disputes => "Dispute Resolution".to_string(),
        ObligationKind::Liability => "Limitation of Liability".to_string(),
        ObligationKind::Warranty => "Warranty Period".to_string(),
        ObligationKind::Provision => o.title.clone().unwrap_or_else(|| "Provision".to_string()),
        ObligationKind::Prosecution => match o.asset.and_then(|a| w.model.asset(a)) {
            Some(decl) => format!("Prosecution and Maintenance of the {}", asset_term(decl)),
            None => "Prosecution and Maintenance".to_string(),
        },
        ObligationKind::Enforcement => match o.asset.and_then(|a| w.model.asset(a)) {
            Some(decl) => format!("Enforcement of the {}", asset_term(decl)),
            None => "Enforcement".to_string(),
        },
        ObligationKind::Committee => match &o.title {
            Some(name) => format!("{} Committee", title_case(name)),
            None => "Committee".to_string(),
        },
        ObligationKind::Insurance => match o.parties.first() {
            Some(p) => format!("Insurance of {}", w.party(*p)),
            None => "Insurance".to_string(),
        },
        ObligationKind::Escrow => match o.asset.and_then(|a| w.model.asset(a)) {
            Some(decl) => format!("Escrow of the {}", asset_term(decl)),
            None => "Escrow".to_string(),
        },
        ObligationKind::NonCompete => match o.parties.first() {
            Some(p) => format!("Non-Competition by {}", w.party(*p)),
            None => "Non-Competition".to_string(),
        },
        ObligationKind::NonSolicit => "Non-Solicitation".to_string(),
        ObligationKind::Beneficiaries => "Third-Party Beneficiaries".to_string(),
    }
}

fn duration_of(o: &ObligationModel, key: ObligationKey) -> Option<String> {
    match o.param(key) {
        Some(ObligationValue::Duration(d)) => Some(duration(*d)),
        _ => None,
    }
}

fn text_of(o: &ObligationModel, key: ObligationKey) -> Option<&str> {
    match o.param(key) {
        Some(ObligationValue::Text(t)) => Some(t.as_str()),
        _ => None,
    }
}

/// A list entry in words: a party by its short name, an asset by its defined term, a
/// kind of asset, a word as written.
fn entry_words(w: &Words, e: &ObligationEntry) -> String {
    match e {
        // An affiliate without a short name of its own by its legal name.
        ObligationEntry::Party(p) => match w.model.party(*p) {
            Some(d) if !w.is_stand_in(*p) && d.parent.is_some() && d.short_name.is_none() => {
                d.legal_name.clone()
            }
            _ => w.party(*p),
        },
        ObligationEntry::Asset(a) => match w.model.asset(*a) {
            Some(decl) => format!("the {}", asset_term(decl)),
            None => "?".to_string(),
        },
        ObligationEntry::Kind(k) => match k {
            AssetKind::KnowHow => "know-how".to_string(),
            AssetKind::TradeSecret => "trade secrets".to_string(),
            other => asset_kind_words(*other).to_string(),
        },
        ObligationEntry::Word(w) => {
            if w == "affiliates" {
                "its Affiliates".to_string()
            } else {
                humanise(w)
            }
        }
    }
}

fn items_of(w: &Words, o: &ObligationModel, key: ObligationKey) -> Option<String> {
    match o.param(key) {
        Some(ObligationValue::Items(items)) if !items.is_empty() => {
            let words: Vec<String> = items.iter().map(|e| entry_words(w, e)).collect();
            Some(join_list(&words))
        }
        _ => None,
    }
}

/// The paragraphs of an obligation clause.
pub fn obligation_paragraphs(w: &Words, o: &ObligationModel) -> Vec<String> {
    match o.kind {
        ObligationKind::Audit => audit(w, o),
        ObligationKind::Confidentiality => confidentiality(w, o),
        ObligationKind::Disputes => disputes(o),
        ObligationKind::Liability => liability(w, o),
        ObligationKind::Warranty => match duration_of(o, ObligationKey::Period) {
            Some(d) => vec![format!(
                "The warranties given under this Agreement apply for {d} from the Effective Date."
            )],
            None => Vec::new(),
        },
        ObligationKind::Provision => text_of(o, ObligationKey::Text)
            .map(|t| vec![t.to_string()])
            .unwrap_or_default(),
        ObligationKind::Prosecution => prosecution(w, o),
        ObligationKind::Enforcement => enforcement(w, o),
        ObligationKind::Committee => committee(w, o),
        ObligationKind::Insurance => insurance(w, o),
        ObligationKind::Escrow => escrow(w, o),
        ObligationKind::NonCompete => non_compete(w, o),
        ObligationKind::NonSolicit => non_solicit(w, o),
        ObligationKind::Beneficiaries => match items_of(w, o, ObligationKey::Beneficiaries) {
            Some(list) => vec![format!(
                "{list} may enforce the terms of this Agreement that are for their benefit; no other person has any right to enforce them."
            )],
            None => Vec::new(),
        },
    }
}

fn insurance(w: &Words, o: &ObligationModel) -> Vec<String> {
    let Some(p) = o.parties.first() else {
        return Vec::new();
    };
    let who = w.party(*p);
    let what = match text_of(o, ObligationKey::Risk) {
        Some(r) => format!("{r} insurance"),
        None => "insurance covering its liabilities under this Agreement".to_string(),
    };
    let cover = match o.param(ObligationKey::Cover) {
        Some(ObligationValue::Money(m)) => format!(" with a cover of at least {}", money(m)),
        _ => String::new(),
    };
    vec![format!(
        "{who} shall maintain {what}{cover} with a reputable insurer throughout the term of this Agreement, and shall provide evidence of it on request."
    )]
}

fn escrow(w: &Words, o: &ObligationModel) -> Vec<String> {
    let asset = the_asset(w, o);
    let agent = text_of(o, ObligationKey::Agent)
        .map(|a| format!(" with {a}"))
        .unwrap_or_else(|| " with an independent escrow agent".to_string());
    let mut out = vec![format!(
        "The owner of {asset} shall deposit their source materials, kept complete and current,{agent}."
    )];
    if let Some(ObligationValue::Items(items)) = o.param(ObligationKey::ReleaseOn) {
        let words: Vec<String> = items.iter().map(|e| entry_words(w, e)).collect();
        if !words.is_empty() {
            out.push(format!(
                "The deposit is released to the licensee on {}.",
                join_with(&words, "or")
            ));
        }
    }
    out
}

fn non_compete(w: &Words, o: &ObligationModel) -> Vec<String> {
    let Some(p) = o.parties.first() else {
        return Vec::new();
    };
    let who = w.party(*p);
    let after = duration_of(o, ObligationKey::Period)
        .map(|d| format!(" and for {d} after it ends"))
        .unwrap_or_default();
    let scope = text_of(o, ObligationKey::Scope)
        .map(|s| format!(" in {s}"))
        .unwrap_or_default();
    vec![format!(
        "During the term of this Agreement{after}, {who} shall not, directly or through its Affiliates, compete with the other Parties{scope}."
    )]
}

fn non_solicit(w: &Words, o: &ObligationModel) -> Vec<String> {
    let names: Vec<String> = o.parties.iter().map(|p| w.party(*p)).collect();
    let after = duration_of(o, ObligationKey::Period)
        .map(|d| format!(" and for {d} after it ends"))
        .unwrap_or_default();
    vec![format!(
        "During the term of this Agreement{after}, neither {} shall solicit for employment any employee of the other that it came to know through this Agreement; general advertisements are not solicitation.",
        join_with(&names, "nor")
    )]
}

/// "Acme 60% and Globex 40%".
fn shares_of(w: &Words, o: &ObligationModel, key: ObligationKey) -> Option<String> {
    match o.param(key) {
        Some(ObligationValue::Shares(v)) if !v.is_empty() => {
            let parts: Vec<String> = v
                .iter()
                .map(|(p, x)| format!("{} {}", w.party(*p), percent(*x)))
                .collect();
            Some(join_list(&parts))
        }
        _ => None,
    }
}

fn the_asset(w: &Words, o: &ObligationModel) -> String {
    match o.asset.and_then(|a| w.model.asset(a)) {
        Some(decl) => format!("the {}", asset_term(decl)),
        None => "the patents".to_string(),
    }
}

fn prosecution(w: &Words, o: &ObligationModel) -> Vec<String> {
    let asset = the_asset(w, o);
    let mut out = Vec::new();
    if let Some(who) = items_of(w, o, ObligationKey::ControlledBy) {
        out.push(format!(
            "{who} controls the filing, prosecution and maintenance of {asset}, and shall keep the other Party informed of it."
        ));
    }
    if let Some(costs) = shares_of(w, o, ObligationKey::Costs) {
        out.push(format!(
            "The costs of doing so are borne as follows: {costs}."
        ));
    }
    let step_in = items_of(w, o, ObligationKey::StepIn);
    match (duration_of(o, ObligationKey::AbandonNotice), &step_in) {
        (Some(d), Some(who)) => out.push(format!(
            "A Party that intends to abandon any of {asset} shall give {} written notice, and {who} may then take over its prosecution and maintenance at its own cost.",
            duration_with_article(&d)
        )),
        (Some(d), None) => out.push(format!(
            "A Party that intends to abandon any of {asset} shall give {} written notice.",
            duration_with_article(&d)
        )),
        (None, Some(who)) => out.push(format!(
            "If the controlling Party abandons any of {asset}, {who} may take over its prosecution and maintenance at its own cost."
        )),
        (None, None) => {}
    }
    out
}

/// "30 days'" as in "30 days' written notice", with its article where English wants
/// one ("1 year's").
fn duration_with_article(d: &str) -> String {
    if d.starts_with("1 ") {
        format!("{d}'s")
    } else {
        format!("{d}'")
    }
}

fn enforcement(w: &Words, o: &ObligationModel) -> Vec<String> {
    let asset = the_asset(w, o);
    let mut out = Vec::new();
    if let Some(who) = items_of(w, o, ObligationKey::FirstRight) {
        out.push(format!(
            "{who} has the first right to bring an action against any infringement of {asset}."
        ));
    }
    if let Some(who) = items_of(w, o, ObligationKey::StepIn) {
        let after = duration_of(o, ObligationKey::StepInAfter)
            .map(|d| format!(" within {d} of being notified of it"))
            .unwrap_or_default();
        out.push(format!(
            "If the Party with the first right does not bring an action{after}, {who} may bring it in its own name."
        ));
    }
    if let Some(costs) = shares_of(w, o, ObligationKey::Costs) {
        out.push(format!(
            "The costs of an action are borne as follows: {costs}."
        ));
    }
    if let Some(rec) = shares_of(w, o, ObligationKey::Recoveries) {
        out.push(format!(
            "Any damages or other amounts recovered, after reimbursement of the costs, are shared as follows: {rec}."
        ));
    }
    if o.param(ObligationKey::SettleWithConsent).is_some() {
        out.push(
            "No Party may settle an action without the prior written consent of the other Party, which may not be unreasonably withheld.".to_string(),
        );
    }
    out
}

fn committee(w: &Words, o: &ObligationModel) -> Vec<String> {
    let name = obligation_heading(w, o);
    let mut out = Vec::new();
    if let Some(ObligationValue::Shares(v)) = o.param(ObligationKey::Members) {
        let parts: Vec<String> = v
            .iter()
            .map(|(p, n)| {
                let word = if *n == rust_decimal::Decimal::ONE {
                    "member"
                } else {
                    "members"
                };
                format!("{n} {word} appointed by {}", w.party(*p))
            })
            .collect();
        out.push(format!(
            "The Parties establish a {name} of {}, each member having one vote.",
            join_list(&parts)
        ));
    }
    if let Some(d) = duration_of(o, ObligationKey::ChairRotates) {
        out.push(format!(
            "The chair of the {name} rotates between the Parties every {d}."
        ));
    }
    if let Some(what) = items_of(w, o, ObligationKey::Decides) {
        out.push(format!("The {name} decides on {what}."));
    }
    out.push(match items_of(w, o, ObligationKey::CastingVote) {
        Some(who) => format!(
            "The {name} decides by a majority of the votes cast; in case of a tie, {who} has the casting vote."
        ),
        None => format!("The {name} decides by a majority of the votes cast."),
    });
    out
}

fn audit(w: &Words, o: &ObligationModel) -> Vec<String> {
    let (Some(auditor), Some(audited)) = (o.parties.first(), o.parties.get(1)) else {
        return Vec::new();
    };
    let (auditor, audited) = (w.party(*auditor), w.party(*audited));
    let mut first = format!(
        "{audited} shall keep complete and accurate books and records of the sales and payments due under this Agreement, and {auditor} may have them audited by an independent auditor"
    );
    if let Some(every) = duration_of(o, ObligationKey::Every) {
        first.push_str(&format!(" no more than once in any period of {every}"));
    }
    if let Some(ObligationValue::Duration(d)) = o.param(ObligationKey::Notice) {
        first.push_str(&format!(", on {} written notice", duration_possessive(*d)));
    }
    first.push('.');
    let mut out = vec![first];
    if let Some(back) = duration_of(o, ObligationKey::LookBack) {
        out.push(format!(
            "An audit may cover the {back} before the notice of the audit."
        ));
    }
    let cost = match o.param(ObligationKey::CostsShift) {
        Some(ObligationValue::Percent(p)) => format!(
            "{auditor} bears the cost of the audit unless it reveals an underpayment of {} or more of the amounts due for the period audited, in which case {audited} bears it. {audited} shall pay any underpayment promptly.",
            percent(*p)
        ),
        _ => format!(
            "{auditor} bears the cost of the audit. {audited} shall pay any underpayment promptly."
        ),
    };
    out.push(cost);
    out
}

fn confidentiality(w: &Words, o: &ObligationModel) -> Vec<String> {
    let what = match items_of(w, o, ObligationKey::Covers) {
        Some(list) => format!("the Confidential Information, being {list} disclosed under this Agreement"),
        None => "all information one Party discloses to the other under this Agreement (the Confidential Information)".to_string(),
    };
    let mut out = vec![format!(
        "Each Party shall keep confidential {what}, and shall use it only to exercise its rights and perform its obligations under this Agreement."
    )];
    if let Some(to) = items_of(w, o, ObligationKey::DiscloseTo) {
        out.push(format!(
            "A Party may disclose Confidential Information only to {to}, each bound by obligations of confidentiality no less strict than these."
        ));
    }
    out.push(match duration_of(o, ObligationKey::Survives) {
        Some(d) => format!("These obligations continue for {d} after this Agreement ends."),
        None => {
            "These obligations continue while the information remains confidential.".to_string()
        }
    });
    out
}

fn disputes(o: &ObligationModel) -> Vec<String> {
    let mut steps = Vec::new();
    if let Some(d) = duration_of(o, ObligationKey::Escalate) {
        steps.push(format!(
            "The Parties shall first refer any dispute arising out of or in connection with this Agreement to their senior executives, who shall try in good faith to resolve it within {d}."
        ));
    }
    match o.param(ObligationKey::Mediation) {
        Some(ObligationValue::Text(inst)) => steps.push(format!(
            "A dispute not so resolved shall be referred to mediation under the rules of {inst}."
        )),
        Some(_) => {
            steps.push("A dispute not so resolved shall be referred to mediation.".to_string())
        }
        None => {}
    }
    if let Some(inst) = text_of(o, ObligationKey::Arbitration) {
        let seat = text_of(o, ObligationKey::Seat)
            .map(|s| format!(", with its seat in {s}"))
            .unwrap_or_default();
        steps.push(format!(
            "Any dispute that remains shall be finally settled by arbitration under the rules of {inst}{seat}."
        ));
    } else if let Some(seat) = text_of(o, ObligationKey::Seat) {
        steps.push(format!("The seat of any arbitration is {seat}."));
    }
    if let Some(courts) = text_of(o, ObligationKey::Courts) {
        let role = if text_of(o, ObligationKey::Arbitration).is_some() {
            "The courts of {c} have jurisdiction over interim relief and the enforcement of any award."
        } else {
            "The courts of {c} have exclusive jurisdiction over any dispute that remains."
        };
        steps.push(role.replace("{c}", courts));
    }
    steps
}

fn liability(w: &Words, o: &ObligationModel) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(ObligationValue::Money(m)) = o.param(ObligationKey::Cap) {
        out.push(format!(
            "Each Party's total liability arising out of or in connection with this Agreement shall not exceed {}.",
            money(m)
        ));
    }
    if let Some(ObligationValue::Money(m)) = o.param(ObligationKey::LiquidatedDamages) {
        let on = text_of(o, ObligationKey::LiquidatedOn)
            .map(|t| format!(" for {t}"))
            .unwrap_or_default();
        out.push(format!(
            "The Party in default shall pay {} as liquidated damages{on}, which the Parties agree is a genuine pre-estimate of the loss and not a penalty.",
            money(m)
        ));
    }
    if let Some(list) = items_of(w, o, ObligationKey::Uncapped) {
        out.push(format!(
            "Nothing in this Agreement limits a Party's liability for {list}."
        ));
    }
    out
}
