//! The words of the language's vocabulary: rights, exclusivity, kinds of agreement and
//! of asset.

use super::*;
use crate::model::RightSet;
use crate::vocab::{AgreementKind, AssetKind, ExclusivityKind, Right};

/// The English words of the rights: "make, use, sell and import".
pub fn rights_phrase(rights: RightSet) -> String {
    let words: Vec<&str> = rights.iter().map(right_words).collect();
    join_list(&words)
}

pub(crate) fn right_words(r: Right) -> &'static str {
    match r {
        Right::Offer => "offer for sale",
        other => other.keyword(),
    }
}

/// Rights for a table cell: "all", "patent rights" (make, have made, use, sell, offer
/// for sale and import: what a grant of patents without a `rights` line grants), "all
/// except lease", "make, use".
pub(crate) fn rights_cell(rights: RightSet) -> String {
    if rights == RightSet::all() {
        return "all".to_string();
    }
    if rights == RightSet::of(Right::PATENT) {
        return "patent rights".to_string();
    }
    let missing: Vec<&str> = Right::ALL
        .iter()
        .filter(|r| !rights.contains(**r))
        .map(|r| right_words(*r))
        .collect();
    if missing.len() <= 3 && rights.iter().count() > 3 {
        return format!("all except {}", join_list(&missing));
    }
    join_list(&rights.iter().map(right_words).collect::<Vec<_>>())
}

pub(crate) fn exclusivity_word(e: ExclusivityKind) -> &'static str {
    e.keyword()
}

/// The kind of an agreement in words: "cross-license", "license", "patent pool".
pub fn agreement_kind_words(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::CrossLicense => "cross-license",
        AgreementKind::License => "license",
        AgreementKind::Pool => "patent pool",
    }
}

/// The kind of an agreement as a label: "Cross-license agreement".
pub fn agreement_kind_label(k: AgreementKind) -> String {
    format!("{} agreement", capitalise(agreement_kind_words(k)))
}

/// The kind of an asset in words: "patent family", "know-how".
pub fn asset_kind_words(k: AssetKind) -> &'static str {
    match k {
        AssetKind::Patent => "patent",
        AssetKind::PatentFamily => "patent family",
        AssetKind::PatentsFiled => "patents filed in a period",
        AssetKind::KnowHow => "know-how",
        AssetKind::TradeSecret => "trade secret",
        AssetKind::Software => "software",
        AssetKind::Data => "data",
    }
}

/// A clause's purposes as a phrase after its field (rights: issue 15): empty for every
/// purpose, else `, solely for research and educational purposes`.
pub fn purposes_suffix(purposes: crate::model::PurposeSet) -> String {
    if purposes.is_all() {
        return String::new();
    }
    format!(", solely for {} purposes", join_list(&purposes.words()))
}
