//! What a clause can license, one by one: every individual patent, identified by its
//! number across every asset that lists or captures it, and every asset that is not
//! limited by listed patents (know-how, a trade secret, a patent family that lists no
//! patents), taken whole.

use crate::date::Date;
use crate::model::{AssetId, Interval, Model, PartyId};
use crate::territory::TerritorySet;
use foldhash::HashMap;

/// Index of a subject in [`super::Ledger::subjects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubjectId(pub u32);

/// A patent, or an asset taken whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Patent,
    /// A non-patent asset, or a patent asset that lists no patents: it exists
    /// everywhere, for all time.
    Whole,
}

/// Where one declaration of a patent was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declaration {
    pub asset: AssetId,
    /// Index into the asset's `patents`.
    pub index: usize,
}

/// One thing a clause can license.
#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The patent number as first declared, or the asset's name.
    pub label: String,
    /// The patent number normalised (see [`patent_key`]); the asset's name when whole.
    pub key: String,
    /// The owners of the asset that first declares it.
    pub owners: Vec<PartyId>,
    /// Where it is in force (worldwide when whole).
    pub territory: TerritorySet,
    pub filed: Option<Date>,
    /// The first day it is no longer in force (`None`: no end known).
    pub expires: Option<Date>,
    /// A pending application (rights: issue 15): not in force anywhere until granted,
    /// so no clause has pieces on it.
    pub pending: bool,
    /// Every declaration of the patent, in source order (one for a whole asset, whose
    /// `index` is 0).
    pub declarations: Vec<Declaration>,
    /// Every asset it belongs to, sorted: the assets that declare it, and the
    /// capture-period assets of its owners whose period holds its filing date.
    pub assets: Vec<AssetId>,
}

impl Subject {
    pub fn is_patent(&self) -> bool {
        self.kind == SubjectKind::Patent
    }

    /// When it is in force: from the beginning of time to its expiry.
    pub fn life(&self) -> Interval {
        Interval {
            start: Date::MIN,
            end: self.expires,
        }
    }

    /// Whether it is in force in a country on a day (a pending application never is).
    pub fn in_force(&self, country: u8, day: Date) -> bool {
        !self.pending && self.territory.contains(country) && self.expires.is_none_or(|e| day < e)
    }

    /// A pending application filed (or not dated) by a day, in a country: what the
    /// query names when no patent is in force there yet.
    pub fn pending_in(&self, country: u8, day: Date) -> bool {
        self.pending && self.territory.contains(country) && self.filed.is_none_or(|f| f <= day)
    }
}

/// A patent number reduced to what identifies it: letters upper-cased, spaces,
/// commas, periods, slashes and hyphens dropped, and a trailing publication kind code
/// (`B2`, `A1`, `C`) after the serial removed — so `US 11,234,567`, `US11234567` and
/// `US 11234567 B2` are one patent.
pub fn patent_key(number: &str) -> String {
    let mut key: String = number
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '.' | '/' | '-' | '\t'))
        .flat_map(char::to_uppercase)
        .collect();
    // A kind code is one letter, optionally one digit, after a digit.
    let bytes = key.as_bytes();
    let n = bytes.len();
    let cut = match bytes {
        [.., d, l, k] if d.is_ascii_digit() && l.is_ascii_alphabetic() && k.is_ascii_digit() => {
            Some(n - 2)
        }
        [.., d, l] if d.is_ascii_digit() && l.is_ascii_alphabetic() => Some(n - 1),
        _ => None,
    };
    // Only after a serial, never the country prefix itself (`US` alone stays).
    if let Some(c) = cut {
        if key
            .get(..c)
            .is_some_and(|head| head.chars().any(|ch| ch.is_ascii_digit()))
        {
            key.truncate(c);
        }
    }
    key
}

/// The subjects of a model and, per asset, the subjects it holds.
pub(super) struct Subjects {
    pub subjects: Vec<Subject>,
    pub of_asset: Vec<Vec<SubjectId>>,
    /// Per asset: whether it exists only where and while its patents are in force.
    pub limited: Vec<bool>,
}

fn sid(i: usize) -> SubjectId {
    SubjectId(u32::try_from(i).unwrap_or(u32::MAX))
}

fn aid(i: usize) -> AssetId {
    AssetId(u32::try_from(i).unwrap_or(u32::MAX))
}

pub(super) fn collect(model: &Model) -> Subjects {
    let mut subjects: Vec<Subject> = Vec::new();
    let mut by_key: HashMap<String, SubjectId> = HashMap::default();
    let mut of_asset: Vec<Vec<SubjectId>> = vec![Vec::new(); model.assets.len()];
    let mut limited = vec![false; model.assets.len()];
    // Listed patents first, so a patent's facts come from its first declaration.
    for (ai, asset) in model.assets.iter().enumerate() {
        if !asset.kind.is_patent() {
            continue;
        }
        for (pi, p) in asset.patents.iter().enumerate() {
            let key = patent_key(&p.number);
            let decl = Declaration {
                asset: aid(ai),
                index: pi,
            };
            let id = match by_key.get(&key) {
                Some(&id) => {
                    if let Some(s) = subjects.get_mut(id.0 as usize) {
                        s.declarations.push(decl);
                        // What the first declaration leaves unsaid, a later one may
                        // say (contradictions are E0308's).
                        s.filed = s.filed.or(p.filed);
                        s.expires = s.expires.or(p.expires);
                        // Pending only while every declaration says so (a difference is E0308's).
                        s.pending = s.pending && p.pending;
                    }
                    id
                }
                None => {
                    let id = sid(subjects.len());
                    subjects.push(Subject {
                        kind: SubjectKind::Patent,
                        label: p.number.clone(),
                        key: key.clone(),
                        owners: asset.owners.clone(),
                        territory: p.territory,
                        filed: p.filed,
                        expires: p.expires,
                        pending: p.pending,
                        declarations: vec![decl],
                        assets: Vec::new(),
                    });
                    by_key.insert(key, id);
                    id
                }
            };
            if let Some(list) = of_asset.get_mut(ai) {
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            if let Some(l) = limited.get_mut(ai) {
                *l = true;
            }
        }
    }
    // Capture periods take in every declared patent of their owners filed within them.
    for (ai, asset) in model.assets.iter().enumerate() {
        let Some((from, until)) = asset.capture else {
            continue;
        };
        for (si, s) in subjects.iter().enumerate() {
            let Some(filed) = s.filed else { continue };
            let owned = s.owners.iter().any(|o| asset.owners.contains(o));
            if owned && from <= filed && filed < until {
                if let Some(list) = of_asset.get_mut(ai) {
                    if !list.contains(&sid(si)) {
                        list.push(sid(si));
                    }
                }
            }
        }
    }
    // What lists no patent is taken whole: it exists everywhere, for all time.
    for (ai, asset) in model.assets.iter().enumerate() {
        if limited.get(ai).copied().unwrap_or(false) {
            continue;
        }
        let id = sid(subjects.len());
        subjects.push(Subject {
            kind: SubjectKind::Whole,
            label: asset.name.clone(),
            key: asset.name.clone(),
            owners: asset.owners.clone(),
            territory: TerritorySet::worldwide(),
            filed: None,
            expires: None,
            pending: false,
            declarations: vec![Declaration {
                asset: aid(ai),
                index: 0,
            }],
            assets: Vec::new(),
        });
        if let Some(list) = of_asset.get_mut(ai) {
            list.push(id);
        }
    }
    for (ai, list) in of_asset.iter_mut().enumerate() {
        list.sort();
        for s in list.iter() {
            if let Some(subject) = subjects.get_mut(s.0 as usize) {
                subject.assets.push(aid(ai));
            }
        }
    }
    Subjects {
        subjects,
        of_asset,
        limited,
    }
}

#[cfg(test)]
mod tests {
    use super::patent_key;

    #[test]
    fn patent_numbers_are_one_patent_however_written() {
        assert_eq!(patent_key("US 11,234,567"), "US11234567");
        assert_eq!(patent_key("us11234567"), "US11234567");
        assert_eq!(patent_key("US 11234567 B2"), "US11234567");
        assert_eq!(patent_key("EP 3 456 789 A1"), "EP3456789");
        assert_eq!(patent_key("DE 10 2019 004 321"), "DE102019004321");
        assert_eq!(patent_key("JP 2020-123456"), "JP2020123456");
        assert_eq!(patent_key("US"), "US");
        assert_ne!(patent_key("US 11,234,567"), patent_key("US 11,234,568"));
    }
}
