//! terms (issue 15, part 3): obligations, governance clauses and provisions in words,
//! for the prose and hovers. Each clause is a heading and its paragraphs.

use super::*;
use crate::model::{Model, ObligationEntry, ObligationModel, ObligationValue};
use crate::vocab::{AssetKind, ObligationKey, ObligationKind};

/// The heading of an obligation clause: "Audit of Globex", "Confidentiality", the title
/// of a provision.
pub fn obligation_heading(model: &Model, o: &ObligationModel) -> String {
    match o.kind {
        ObligationKind::Audit => match o.parties.get(1) {
            Some(p) => format!("Audit of {}", short_name(model, *p)),
            None => "Audit".to_string(),
        },
        ObligationKind::Confidentiality => "Confidentiality".to_string(),
        ObligationKind::Disputes => "Dispute Resolution".to_string(),
        ObligationKind::Liability => "Limitation of Liability".to_string(),
        ObligationKind::Warranty => "Warranty Period".to_string(),
        ObligationKind::Provision => o.title.clone().unwrap_or_else(|| "Provision".to_string()),
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
fn entry_words(model: &Model, e: &ObligationEntry) -> String {
    match e {
        ObligationEntry::Party(p) => short_name(model, *p),
        ObligationEntry::Asset(a) => match model.asset(*a) {
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

fn items_of(model: &Model, o: &ObligationModel, key: ObligationKey) -> Option<String> {
    match o.param(key) {
        Some(ObligationValue::Items(items)) if !items.is_empty() => {
            let words: Vec<String> = items.iter().map(|e| entry_words(model, e)).collect();
            Some(join_list(&words))
        }
        _ => None,
    }
}

/// The paragraphs of an obligation clause.
pub fn obligation_paragraphs(model: &Model, o: &ObligationModel) -> Vec<String> {
    match o.kind {
        ObligationKind::Audit => audit(model, o),
        ObligationKind::Confidentiality => confidentiality(model, o),
        ObligationKind::Disputes => disputes(o),
        ObligationKind::Liability => liability(model, o),
        ObligationKind::Warranty => match duration_of(o, ObligationKey::Period) {
            Some(d) => vec![format!(
                "The warranties given under this Agreement apply for {d} from the Effective Date."
            )],
            None => Vec::new(),
        },
        ObligationKind::Provision => text_of(o, ObligationKey::Text)
            .map(|t| vec![t.to_string()])
            .unwrap_or_default(),
    }
}

fn audit(model: &Model, o: &ObligationModel) -> Vec<String> {
    let (Some(auditor), Some(audited)) = (o.parties.first(), o.parties.get(1)) else {
        return Vec::new();
    };
    let (auditor, audited) = (short_name(model, *auditor), short_name(model, *audited));
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

fn confidentiality(model: &Model, o: &ObligationModel) -> Vec<String> {
    let what = match items_of(model, o, ObligationKey::Covers) {
        Some(list) => format!("the Confidential Information, being {list} disclosed under this Agreement"),
        None => "all information one Party discloses to the other under this Agreement (the Confidential Information)".to_string(),
    };
    let mut out = vec![format!(
        "Each Party shall keep confidential {what}, and shall use it only to exercise its rights and perform its obligations under this Agreement."
    )];
    if let Some(to) = items_of(model, o, ObligationKey::DiscloseTo) {
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

fn liability(model: &Model, o: &ObligationModel) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(ObligationValue::Money(m)) = o.param(ObligationKey::Cap) {
        out.push(format!(
            "Each Party's total liability arising out of or in connection with this Agreement shall not exceed {}.",
            money(m)
        ));
    }
    if let Some(list) = items_of(model, o, ObligationKey::Uncapped) {
        out.push(format!(
            "Nothing in this Agreement limits a Party's liability for {list}."
        ));
    }
    out
}
