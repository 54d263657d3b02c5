//! The scope algebra: a clause's scope as a box of asset × rights × fields ×
//! territories × time, with intersection, difference, containment and a rendering in
//! words for messages (the *witness* of a conflict).
//!
//! A patent asset exists only where and while one of its patents is in force, so the
//! *effective* scope of a clause over such an asset is a union of boxes, one per patent.
//!
//! The algebra is shared: a box of any shape is cut along its dimensions with [`cut`]
//! (each an [`Extent`]) and [`time_minus`]; `xlic diff`'s boxes in names (subjects and
//! field paths as strings, so two compilations compare) are cut the same way.

use crate::date::Date;
use crate::model::{AssetDecl, FieldForest, FieldId, FieldSet, Interval, Model, RightSet};
use crate::territory::TerritorySet;

/// One box of the scope space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopeBox {
    pub asset: crate::model::AssetId,
    pub rights: RightSet,
    pub fields: FieldSet,
    pub territory: TerritorySet,
    pub time: Interval,
}

/// One dimension of a box: a set with a common part and a rest.
pub trait Extent: Clone {
    /// What `self` and `other` share.
    fn common(&self, other: &Self) -> Self;
    /// What of `self` lies outside `other`.
    fn outside(&self, other: &Self) -> Self;
    /// Whether nothing is left.
    fn is_void(&self) -> bool;
}

impl Extent for RightSet {
    fn common(&self, other: &Self) -> Self {
        RightSet(self.0 & other.0)
    }
    fn outside(&self, other: &Self) -> Self {
        RightSet(self.0 & !other.0)
    }
    fn is_void(&self) -> bool {
        self.is_empty()
    }
}

impl Extent for TerritorySet {
    fn common(&self, other: &Self) -> Self {
        self.intersection(*other)
    }
    fn outside(&self, other: &Self) -> Self {
        self.difference(*other)
    }
    fn is_void(&self) -> bool {
        self.is_empty()
    }
}

impl Extent for FieldSet {
    fn common(&self, other: &Self) -> Self {
        self.intersection(other)
    }
    fn outside(&self, other: &Self) -> Self {
        self.difference(other)
    }
    fn is_void(&self) -> bool {
        self.is_empty()
    }
}

impl<T: Ord + Clone> Extent for std::collections::BTreeSet<T> {
    fn common(&self, other: &Self) -> Self {
        self.intersection(other).cloned().collect()
    }
    fn outside(&self, other: &Self) -> Self {
        self.difference(other).cloned().collect()
    }
    fn is_void(&self) -> bool {
        self.is_empty()
    }
}

/// One step of a box difference, along one dimension: the part of `rest` outside
/// `common` there (if any) goes to `out`, and `rest` keeps the common part only. Cutting
/// every dimension in turn, then the time ([`time_minus`]), leaves `rest` the common box
/// and `out` the difference as disjoint boxes.
pub fn cut<B: Clone, D: Extent>(
    rest: &mut B,
    common: &D,
    dim: fn(&mut B) -> &mut D,
    out: &mut Vec<B>,
) {
    let outside = dim(rest).outside(common);
    if !outside.is_void() {
        let mut part = rest.clone();
        *dim(&mut part) = outside;
        out.push(part);
    }
    *dim(rest) = common.clone();
}

/// The intersection of two half-open intervals (`None` end = open-ended), if not empty.
pub fn intersect_time(a: Interval, b: Interval) -> Option<Interval> {
    let start = a.start.max(b.start);
    let end = match (a.end, b.end) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (Some(x), None) | (None, Some(x)) => Some(x),
        (None, None) => None,
    };
    match end {
        Some(e) if e <= start => None,
        _ => Some(Interval { start, end }),
    }
}

/// Whether `inner` lies within `outer`.
pub fn time_contains(outer: Interval, inner: Interval) -> bool {
    outer.start <= inner.start
        && match (outer.end, inner.end) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(o), Some(i)) => i <= o,
        }
}

/// `a` minus `b`: up to two intervals.
pub fn time_minus(a: Interval, b: Interval) -> Vec<Interval> {
    let Some(common) = intersect_time(a, b) else {
        return vec![a];
    };
    let mut out = Vec::new();
    if a.start < common.start {
        out.push(Interval {
            start: a.start,
            end: Some(common.start),
        });
    }
    if let Some(ce) = common.end {
        match a.end {
            Some(ae) if ae <= ce => {}
            _ => out.push(Interval {
                start: ce,
                end: a.end,
            }),
        }
    }
    out
}

impl ScopeBox {
    /// Whether the box holds no point.
    pub fn is_empty(&self) -> bool {
        self.rights.is_empty() || self.fields.is_empty() || self.territory.is_empty()
    }

    /// The common part of two boxes of the same asset, if any.
    pub fn intersect(&self, other: &ScopeBox) -> Option<ScopeBox> {
        if self.asset != other.asset {
            return None;
        }
        let rights = RightSet(self.rights.0 & other.rights.0);
        if rights.is_empty() {
            return None;
        }
        let territory = self.territory.intersection(other.territory);
        if territory.is_empty() {
            return None;
        }
        let time = intersect_time(self.time, other.time)?;
        let fields = self.fields.intersection(&other.fields);
        if fields.is_empty() {
            return None;
        }
        Some(ScopeBox {
            asset: self.asset,
            rights,
            fields,
            territory,
            time,
        })
    }

    /// Whether `other` lies wholly within this box.
    pub fn contains(&self, other: &ScopeBox) -> bool {
        other.is_empty()
            || (self.asset == other.asset
                && other.rights.0 & !self.rights.0 == 0
                && other.territory.is_subset(&self.territory)
                && other.fields.difference(&self.fields).is_empty()
                && time_contains(self.time, other.time))
    }

    /// This box minus `other`, as disjoint boxes (split one dimension at a time).
    pub fn minus(&self, other: &ScopeBox) -> Vec<ScopeBox> {
        let Some(common) = self.intersect(other) else {
            return vec![self.clone()];
        };
        let mut out = Vec::new();
        let mut rest = self.clone();
        cut(&mut rest, &common.rights, |b| &mut b.rights, &mut out);
        cut(&mut rest, &common.territory, |b| &mut b.territory, &mut out);
        cut(&mut rest, &common.fields, |b| &mut b.fields, &mut out);
        // time outside
        for time in time_minus(rest.time, common.time) {
            out.push(ScopeBox {
                time,
                ..rest.clone()
            });
        }
        out
    }

    /// The box in words: `asset acme_motion, rights make, sell, field robotics.consumer,
    /// territories DE, FR, 2027-01-01 until 2031-01-01`.
    pub fn describe(&self, model: &Model) -> String {
        let rights: Vec<&str> = self.rights.iter().map(|r| r.keyword()).collect();
        let rights = if self.rights == RightSet::all() {
            "all rights".to_string()
        } else if rights.len() == 1 {
            format!("right {}", rights.concat())
        } else {
            format!("rights {}", rights.join(", "))
        };
        let fields = describe_fields(&model.fields, &self.fields);
        let noun = if fields.len() == 1 && !fields.iter().any(|f| f.contains(" except ")) {
            "field"
        } else {
            "fields"
        };
        let fields = join_capped(&fields, 6);
        let territory = self.territory.describe();
        let place = if self.territory.len() == 1
            || territory.starts_with("worldwide")
            || territory == "EU"
            || territory == "EEA"
        {
            territory
        } else {
            format!("territories {territory}")
        };
        format!(
            "asset {}, {rights}, {noun} {fields}, {place}, {}",
            model.asset_name(self.asset),
            describe_time(self.time)
        )
    }
}

/// An interval in words: `2027-01-01 until 2031-01-01` or `from 2027-01-01 on`.
pub fn describe_time(t: Interval) -> String {
    match t.end {
        Some(e) if t.start == Date::MIN => format!("until {e}"),
        Some(e) => format!("{} until {e}", t.start),
        None if t.start == Date::MIN => "at any time".to_string(),
        None => format!("from {} on", t.start),
    }
}

fn join_capped(items: &[String], max: usize) -> String {
    if items.len() <= max {
        return items.join(", ");
    }
    let shown = items.get(..max).unwrap_or(&[]).join(", ");
    format!("{shown} and {} more", items.len() - max)
}

/// A field set in words: the fewest paths, each with the subtrees it leaves out.
pub fn describe_fields(forest: &FieldForest, set: &FieldSet) -> Vec<String> {
    let mut out = Vec::new();
    // One pass over the whole span: a subtree written as `x except …` may hold several
    // ranges, and must be described once.
    if let (Some(&(a, _)), Some(&(_, b))) = (set.ranges.first(), set.ranges.last()) {
        describe_range(forest, set, a, b, &mut out);
    }
    if out.is_empty() {
        out.push("(none)".to_string());
    }
    out
}

fn subtree_end(forest: &FieldForest, i: u32) -> u32 {
    forest.get(FieldId(i)).map(|n| n.end).unwrap_or(i + 1)
}

fn describe_range(
    forest: &FieldForest,
    set: &FieldSet,
    start: u32,
    end: u32,
    out: &mut Vec<String>,
) {
    let mut i = start;
    while i < end {
        if !set.contains(FieldId(i)) {
            i += 1;
            continue;
        }
        let node_end = subtree_end(forest, i);
        // Maximal subtrees below i that the set leaves out.
        let mut excluded = Vec::new();
        let mut k = i + 1;
        while k < node_end {
            if set.contains(FieldId(k)) {
                k += 1;
            } else {
                excluded.push(k);
                k = subtree_end(forest, k);
            }
        }
        let path = forest.path(FieldId(i)).to_string();
        if excluded.is_empty() {
            out.push(path);
        } else {
            let ex: Vec<&str> = excluded.iter().map(|&e| forest.path(FieldId(e))).collect();
            out.push(format!("{path} except {}", ex.join(", ")));
        }
        // Parts of the set inside an excluded subtree (excluded, then included again).
        for &e in &excluded {
            let e_end = subtree_end(forest, e);
            if set
                .intersection(&FieldSet::from_ranges(vec![(e, e_end)]))
                .is_empty()
            {
                continue;
            }
            describe_range(forest, set, e, e_end, out);
        }
        i = node_end.max(i + 1);
    }
}

/// Where and when an asset exists: one (territory, interval) piece per patent, or the
/// whole world for all time when it is not a patent asset or lists no patents.
pub fn existence(asset: &AssetDecl) -> Vec<(TerritorySet, Interval)> {
    let always = Interval {
        start: Date::MIN,
        end: None,
    };
    if !asset.kind.is_patent() || asset.patents.is_empty() {
        return vec![(TerritorySet::worldwide(), always)];
    }
    // A pending application is not in force until granted (rights: issue 15).
    asset
        .patents
        .iter()
        .filter(|p| !p.pending)
        .map(|p| {
            (
                p.territory,
                Interval {
                    start: Date::MIN,
                    end: p.expires,
                },
            )
        })
        .collect()
}

/// A nominal box cut down to where and while its asset exists: the effective scope.
pub fn effective(b: &ScopeBox, asset: &AssetDecl) -> Vec<ScopeBox> {
    let mut out: Vec<ScopeBox> = Vec::new();
    for (territory, time) in existence(asset) {
        let t = b.territory.intersection(territory);
        if t.is_empty() {
            continue;
        }
        let Some(time) = intersect_time(b.time, time) else {
            continue;
        };
        // Merge pieces that differ only in territory (patents with one expiry date).
        if let Some(prev) = out.iter_mut().find(|p| p.time == time) {
            prev.territory = prev.territory.union(t);
            continue;
        }
        out.push(ScopeBox {
            territory: t,
            time,
            ..b.clone()
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::AssetId;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn iv(a: &str, b: Option<&str>) -> Interval {
        Interval {
            start: d(a),
            end: b.map(d),
        }
    }

    fn bx(fields: (u32, u32), codes: &[&str], t: Interval) -> ScopeBox {
        ScopeBox {
            asset: AssetId(0),
            rights: RightSet::all(),
            fields: FieldSet::from_ranges(vec![fields]),
            territory: TerritorySet::from_codes(codes).unwrap(),
            time: t,
        }
    }

    #[test]
    fn adjacent_terms_do_not_overlap() {
        let a = bx((0, 3), &["DE"], iv("2026-01-01", Some("2028-01-01")));
        let b = bx((0, 3), &["DE"], iv("2028-01-01", Some("2030-01-01")));
        assert!(a.intersect(&b).is_none());
    }

    #[test]
    fn intersection_and_containment() {
        let a = bx((0, 10), &["DE", "FR"], iv("2026-01-01", None));
        let b = bx((2, 4), &["FR", "US"], iv("2027-01-01", Some("2029-01-01")));
        let c = a.intersect(&b).unwrap();
        assert_eq!(c.territory.codes(), vec!["FR"]);
        assert_eq!(c.fields.ranges, vec![(2, 4)]);
        assert!(a.contains(&c));
        assert!(!b.contains(&a));
    }

    #[test]
    fn minus_covers_exactly_the_rest() {
        let a = bx((0, 10), &["DE", "FR"], iv("2026-01-01", Some("2030-01-01")));
        let b = bx((2, 4), &["FR", "US"], iv("2027-01-01", Some("2029-01-01")));
        let parts = a.minus(&b);
        // Every part lies in a, none meets b, and the parts are disjoint.
        for (i, p) in parts.iter().enumerate() {
            assert!(a.contains(p));
            assert!(p.intersect(&b).is_none());
            for q in parts.iter().skip(i + 1) {
                assert!(p.intersect(q).is_none());
            }
        }
        // Volume check on the field × territory × day grid.
        let vol = |x: &ScopeBox| {
            let days = (x.time.end.unwrap().days() - x.time.start.days()) as u64;
            u64::from(x.fields.len()) * x.territory.len() as u64 * days
        };
        let common = a.intersect(&b).unwrap();
        let sum: u64 = parts.iter().map(vol).sum();
        assert_eq!(sum + vol(&common), vol(&a));
    }

    #[test]
    fn time_rendering() {
        assert_eq!(
            describe_time(iv("2027-01-01", Some("2031-01-01"))),
            "2027-01-01 until 2031-01-01"
        );
        assert_eq!(describe_time(iv("2027-01-01", None)), "from 2027-01-01 on");
    }
}
