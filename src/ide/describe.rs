//! Clauses and declarations in words, for hovers: a grant as one sentence, territories
//! with country names, dates in long form.

use crate::check::context::last_expiry;
use crate::model::{
    ConsiderationModel, GrantModel, LimitModel, Model, MoneyValue, RightSet, TermModel,
};
use crate::scope::describe_fields;
use crate::syntax::ast::{ExclusivityKind, LimitKind, Sublicense};
use crate::territory::TerritorySet;

/// Joins words as English does: "a", "a and b", "a, b and c".
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Country names for codes, capped: "Germany, Austria and 3 more".
fn country_names(set: &TerritorySet, max: usize) -> String {
    let names: Vec<String> = set
        .iter()
        .filter_map(crate::iso::country_by_index)
        .map(|c| c.name.to_string())
        .collect();
    if names.len() > max {
        let mut shown: Vec<String> = names.iter().take(max).cloned().collect();
        shown.push(format!("{} more", names.len() - max));
        return join_and(&shown);
    }
    join_and(&names)
}

/// A territory in words: "throughout the world except China and Russia", "in the
/// European Union", "in Germany, Austria and Switzerland".
pub(crate) fn territory_words(set: &TerritorySet) -> String {
    let world = TerritorySet::worldwide();
    if *set == world {
        return "throughout the world".to_string();
    }
    if set.is_empty() {
        return "in no territory".to_string();
    }
    if *set == TerritorySet::eu() {
        return "in the member states of the European Union".to_string();
    }
    if *set == TerritorySet::eea() {
        return "in the states of the European Economic Area".to_string();
    }
    let missing = world.difference(*set);
    if missing.len() <= 12 {
        return format!(
            "throughout the world except {}",
            country_names(&missing, 12)
        );
    }
    format!("in {}", country_names(set, 12))
}

fn rights_words(rights: RightSet) -> String {
    if rights == RightSet::all() {
        return "to exercise all rights".to_string();
    }
    let words: Vec<String> = rights.iter().map(|r| r.keyword().to_string()).collect();
    format!("to {}", join_and(&words))
}

fn money(m: &MoneyValue) -> String {
    format!("{} {}", m.amount, m.currency)
}

fn limits(list: &[LimitModel]) -> String {
    let parts: Vec<String> = list
        .iter()
        .map(|l| {
            let kind = match l.kind {
                LimitKind::Cap => "capped at",
                LimitKind::Floor => "with a minimum of",
            };
            let per = if l.per_year { " per year" } else { "" };
            format!(", {kind} {}{per}", money(&l.amount))
        })
        .collect();
    parts.concat()
}

/// What the licensee pays, in words.
pub(crate) fn consideration_words(list: &[ConsiderationModel]) -> String {
    if list.is_empty() {
        return "royalty-free".to_string();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|c| match c {
            ConsiderationModel::RoyaltyFree => "royalty-free".to_string(),
            ConsiderationModel::Percent { rate, limits: l } => {
                format!("against a royalty of {rate}% of net sales{}", limits(l))
            }
            ConsiderationModel::PerUnit { amount, limits: l } => {
                format!(
                    "against a royalty of {} per unit{}",
                    money(amount),
                    limits(l)
                )
            }
            ConsiderationModel::Tiered {
                tiers, limits: l, ..
            } => {
                format!(
                    "against a tiered royalty in {} bands{}",
                    tiers.len(),
                    limits(l)
                )
            }
            ConsiderationModel::LumpSum { amount, due } => match due {
                Some(d) => format!(
                    "against a lump sum of {} due on {}",
                    money(amount),
                    d.long_form()
                ),
                None => format!("against a lump sum of {}", money(amount)),
            },
            ConsiderationModel::Milestone { amount, event } => {
                format!("against {} on {event}", money(amount))
            }
        })
        .collect();
    join_and(&parts)
}

fn party_words(model: &Model, id: crate::model::PartyId) -> String {
    match model.party(id) {
        Some(p) => match &p.short_name {
            Some(s) => format!("{} (\u{201c}{s}\u{201d})", p.legal_name),
            None => p.legal_name.clone(),
        },
        None => "?".to_string(),
    }
}

/// The term of a grant in words.
pub(crate) fn term_words(model: &Model, grant: &GrantModel) -> String {
    match grant.term {
        TermModel::Dates(i) => match i.end {
            Some(e) => format!(
                "for the term commencing on {} and ending on {}",
                i.start.long_form(),
                e.pred().unwrap_or(e).long_form()
            ),
            None => format!("from {} without end", i.start.long_form()),
        },
        TermModel::UntilExpiry { start } => match last_expiry(model, grant) {
            Some(e) => format!(
                "from {} until the last licensed patent expires (on {})",
                start.long_form(),
                e.long_form()
            ),
            None => format!(
                "from {} until the last licensed patent expires",
                start.long_form()
            ),
        },
    }
}

/// A grant as one sentence of the agreement.
pub(crate) fn grant_sentence(model: &Model, grant: &GrantModel) -> String {
    let licensor = party_words(model, grant.licensor);
    let mut licensees: Vec<String> = grant
        .licensees
        .iter()
        .map(|p| party_words(model, *p))
        .collect();
    if grant.to_members {
        licensees = vec![format!(
            "each other member of the pool ({})",
            join_and(&licensees)
        )];
    }
    let licensee = join_and(&licensees);
    let affiliates = if grant.to_affiliates {
        " and its affiliates"
    } else {
        ""
    };
    let kind = match grant.exclusivity {
        ExclusivityKind::Exclusive => "an exclusive",
        ExclusivityKind::Sole => "a sole",
        ExclusivityKind::NonExclusive => "a non-exclusive",
    };
    let assets: Vec<String> = grant
        .assets
        .iter()
        .map(|a| format!("`{}`", model.asset_name(*a)))
        .collect();
    let fields = describe_fields(&model.fields, &grant.fields);
    let field_words: Vec<String> = fields
        .iter()
        .map(|f| {
            let (path, except) = match f.split_once(" except ") {
                Some((p, e)) => (p, Some(e)),
                None => (f.as_str(), None),
            };
            let label = model
                .fields
                .nodes
                .iter()
                .find(|n| n.path == path)
                .and_then(|n| n.label.clone())
                .unwrap_or_else(|| path.to_string());
            match except {
                Some(e) => format!("{label} (`{path}`), excluding `{e}`"),
                None if label != path => format!("{label} (`{path}`)"),
                None => format!("`{path}`"),
            }
        })
        .collect();
    let sublicense = match grant.sublicense {
        Sublicense::None => "without the right to sublicense",
        Sublicense::Affiliates => "with the right to sublicense to its affiliates",
        Sublicense::WithConsent => "with the right to sublicense with the licensor's consent",
        Sublicense::Free => "with the right to sublicense",
    };
    format!(
        "{licensor} grants to {licensee}{affiliates} {kind} license under {} {} in the field of {}, {}, {}, {sublicense}, {}.",
        join_and(&assets),
        rights_words(grant.rights),
        join_and(&field_words),
        territory_words(&grant.territory),
        term_words(model, grant),
        consideration_words(&grant.consideration),
    )
}

/// The grant's clause as the prose emitter writes it (`xlic build --emit markdown`),
/// found by its clause id, with the id and the clause number taken off.
pub(crate) fn prose_sentence(
    model: &Model,
    sources: &crate::source::SourceMap,
    file: crate::source::FileId,
    grant_id: &str,
) -> Option<String> {
    // Only what the sentence needs: the agreement with this one grant (and the
    // reservations it may be subject to), so a large agreement costs no more.
    let mut one = Model {
        agreements: Vec::new(),
        ..model.clone()
    };
    let agreement = model.agreements.iter().find(|a| a.file == file)?;
    let mut a = agreement.clone();
    a.grants.retain(|g| g.id == grant_id);
    a.improvements.clear();
    a.sunsets.clear();
    if a.grants.is_empty() {
        return None;
    }
    one.agreements.push(a);
    let md = crate::emit::prose::markdown(&one, sources);
    let marker = format!("`[{grant_id}]`");
    md.split("\n\n")
        .filter(|para| para.trim_start().starts_with("**"))
        .find_map(|para| {
            let at = para.find(&marker)?;
            let text = para.get(at + marker.len()..)?.trim();
            (!text.is_empty()).then(|| text.to_string())
        })
}
