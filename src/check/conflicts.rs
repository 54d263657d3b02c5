//! Conflict rules between clauses: exclusivity (E0301), reservations (E0302), the right
//! to grant (E0303), wind-down (E0307) and renewals running into exclusivity (W0407).
//!
//! Pairs are never enumerated blindly: grants are indexed by asset and swept in order
//! of start date, so only grants whose terms meet are compared, and each comparison is
//! a handful of bit operations on the scope boxes.

use super::context::{first_overlap, Ctx, GrantInfo};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{AssetId, Interval, RightSet};
use crate::scope::ScopeBox;
use crate::territory::TerritorySet;
use crate::vocab::{ExclusivityKind, Right, Sublicense};
use std::collections::BTreeMap;

/// Grant indexes per asset.
fn by_asset(ctx: &Ctx<'_>) -> BTreeMap<AssetId, Vec<usize>> {
    let mut map: BTreeMap<AssetId, Vec<usize>> = BTreeMap::new();
    for (i, g) in ctx.grants.iter().enumerate() {
        for a in &g.grant.assets {
            let list = map.entry(*a).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    map
}

/// Whether grant `y` takes something from exclusive-or-sole grant `x`: it reaches a
/// party `x` does not, and is not a sublicense made by `x`'s own licensee.
fn breaks_exclusivity(x: &GrantInfo<'_>, y: &GrantInfo<'_>) -> bool {
    if !x.is_exclusive_kind() {
        return false;
    }
    if x.reaches(y.grant.licensor) {
        return false;
    }
    y.reach.iter().any(|p| !x.reaches(*p))
}

fn kind_word(g: &GrantInfo<'_>) -> &'static str {
    g.grant.exclusivity.keyword()
}

fn end_of(i: Interval) -> Option<Date> {
    i.end
}

/// Grants covering more countries than this are kept in one list rather than in one
/// bucket per country (a worldwide grant would otherwise sit in ~250 buckets).
const NARROW_COUNTRIES: usize = 16;

/// When one grant has met this many conflicting grants, the checker stops comparing it
/// with further ones: the first are reported and the rest summarised "at least N more".
/// Without this bound, 100,000 exclusive grants of one asset in one place would mean
/// five billion comparisons and as many diagnostics.
pub const MAX_CONFLICTS_SCANNED: usize = 100;

/// What the E0301 sweep found for one primary clause: the conflicts kept for the report
/// (the first [`super::MAX_PER_CLAUSE`] by the other clause's position in the source)
/// and how many there were in all.
#[derive(Default)]
struct Found {
    kept: Vec<(crate::source::Span, usize, ScopeBox)>,
    count: usize,
}

/// The summaries of conflicts found but not built into diagnostics, per (code, primary
/// clause): how many, and whether the count is only a lower bound.
pub type Hidden = BTreeMap<(Code, crate::source::Span), (usize, bool)>;

/// One grant of the asset being swept, with what the sweep needs precomputed.
struct Entry {
    grant: usize,
    boxes: Vec<ScopeBox>,
    territory: TerritorySet,
    end: Option<Date>,
}

/// The grants in force at the sweep's current date, of one exclusivity class
/// (exclusive or sole; non-exclusive): narrow grants bucketed by country, wide ones in
/// one list. Entries are indexes into the sweep's `entries`.
struct Active {
    buckets: Vec<Vec<usize>>,
    wide: Vec<usize>,
}

impl Active {
    fn new() -> Active {
        Active {
            buckets: vec![Vec::new(); 256],
            wide: Vec::new(),
        }
    }

    fn insert(&mut self, e: usize, entry: &Entry) {
        if entry.territory.len() > NARROW_COUNTRIES {
            self.wide.push(e);
        } else {
            for c in entry.territory.iter() {
                if let Some(b) = self.buckets.get_mut(usize::from(c)) {
                    b.push(e);
                }
            }
        }
    }
}

/// E0301 between grants, E0301 against retained rights, E0302 against hard reservations.
pub fn exclusivity(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, hidden: &mut Hidden) {
    let index = by_asset(ctx);
    for (asset, list) in &index {
        sweep_asset(ctx, *asset, list, out, hidden);
    }
    reservations(ctx, &index, out);
}

/// The E0301 sweep over one asset's grants, in order of start date. Only grants still
/// in force when the next one starts are compared; among those, a grant is compared
/// with the exclusive and sole grants (and, if it is exclusive or sole itself, the
/// non-exclusive ones) that share a country with it. A pair of narrow grants is judged
/// once, in the bucket of its lowest shared country.
fn sweep_asset(
    ctx: &Ctx<'_>,
    asset: AssetId,
    list: &[usize],
    out: &mut Vec<Diagnostic>,
    hidden: &mut Hidden,
) {
    let mut order: Vec<usize> = list.to_vec();
    order.sort_by_key(|&i| ctx.grants.get(i).map(|g| g.time.start));
    let mut entries: Vec<Entry> = Vec::with_capacity(order.len());
    for &i in &order {
        let Some(g) = ctx.grants.get(i) else { continue };
        let boxes = ctx.effective(g, asset);
        if boxes.is_empty() {
            continue; // licenses nothing in force: it cannot conflict
        }
        let territory = boxes
            .iter()
            .fold(TerritorySet::empty(), |t, b| t.union(b.territory));
        entries.push(Entry {
            grant: i,
            boxes,
            territory,
            end: end_of(g.time),
        });
    }
    let mut exclusive = Active::new();
    let mut non_exclusive = Active::new();
    let mut found: BTreeMap<usize, Found> = BTreeMap::new();
    let mut truncated = false;
    for e in 0..entries.len() {
        let Some(ei) = entries.get(e) else { continue };
        let Some(gi) = ctx.grants.get(ei.grant) else {
            continue;
        };
        let start = gi.time.start;
        let mut met = 0usize;
        // Judges `ei` against the grants of one bucket (`country`) or of the wide list
        // (`None`); true once `ei` has met the bound of conflicting grants.
        let mut judge = |country: Option<u8>, bucket: &mut Vec<usize>| -> bool {
            // Grants ended before this one starts never meet a later one again.
            bucket.retain(|&j| {
                entries
                    .get(j)
                    .and_then(|x| x.end)
                    .is_none_or(|end| end > start)
            });
            for &j in bucket.iter() {
                let Some(ej) = entries.get(j) else { continue };
                let shared = ei.territory.intersection(ej.territory);
                if let Some(c) = country {
                    // Judge each narrow pair once: under its lowest shared country.
                    if shared.first() != Some(c) {
                        continue;
                    }
                } else if shared.is_empty() {
                    continue;
                }
                let Some(gj) = ctx.grants.get(ej.grant) else {
                    continue;
                };
                // A grant made by the other's licensee is a sublicense under it:
                // E0303 judges it, not exclusivity.
                if gi.reaches(gj.grant.licensor) || gj.reaches(gi.grant.licensor) {
                    continue;
                }
                let (x_breaks, y_breaks) = (breaks_exclusivity(gj, gi), breaks_exclusivity(gi, gj));
                if !x_breaks && !y_breaks {
                    continue;
                }
                let Some(w) = first_overlap(&ej.boxes, &ei.boxes) else {
                    continue;
                };
                // The primary clause is the exclusive grant whose promise is broken
                // (the later one in the source when both are).
                let later_is_i = gi.grant.header >= gj.grant.header;
                let (primary, other) = match (x_breaks, y_breaks) {
                    (true, true) if later_is_i => (ei.grant, ej.grant),
                    (true, true) => (ej.grant, ei.grant),
                    (false, true) => (ei.grant, ej.grant),
                    _ => (ej.grant, ei.grant),
                };
                let other_header = ctx
                    .grants
                    .get(other)
                    .map(|g| g.grant.header)
                    .unwrap_or_default();
                let f = found.entry(primary).or_default();
                f.count += 1;
                f.kept.push((other_header, other, w));
                if f.kept.len() > super::MAX_PER_CLAUSE {
                    f.kept.sort_by_key(|k| (k.0, k.1));
                    f.kept.truncate(super::MAX_PER_CLAUSE);
                }
                met += 1;
                if met >= MAX_CONFLICTS_SCANNED {
                    return true;
                }
            }
            false
        };
        let narrow_i = ei.territory.len() <= NARROW_COUNTRIES;
        let classes = [
            Some(&mut exclusive),
            gi.is_exclusive_kind().then_some(&mut non_exclusive),
        ];
        'classes: for active in classes.into_iter().flatten() {
            // Wide grants: every pair with one is judged here.
            if judge(None, &mut active.wide) {
                truncated = true;
                break 'classes;
            }
            if narrow_i {
                // A narrow grant meets narrow ones only in its own countries.
                for c in ei.territory.iter() {
                    let Some(bucket) = active.buckets.get_mut(usize::from(c)) else {
                        continue;
                    };
                    if judge(Some(c), bucket) {
                        truncated = true;
                        break 'classes;
                    }
                }
            } else {
                // A wide one meets them anywhere.
                for (c, bucket) in active.buckets.iter_mut().enumerate() {
                    let Ok(c) = u8::try_from(c) else { continue };
                    if !bucket.is_empty() && judge(Some(c), bucket) {
                        truncated = true;
                        break 'classes;
                    }
                }
            }
        }
        if gi.is_exclusive_kind() {
            exclusive.insert(e, ei);
        } else {
            non_exclusive.insert(e, ei);
        }
    }
    for (primary, f) in found {
        let Some(x) = ctx.grants.get(primary) else {
            continue;
        };
        let shown = f.kept.len();
        for (_, other, w) in &f.kept {
            if let Some(y) = ctx.grants.get(*other) {
                out.push(exclusive_conflict(ctx, x, y, w));
            }
        }
        if f.count > shown || (truncated && shown >= super::MAX_PER_CLAUSE) {
            let entry = hidden.entry((Code::E0301, x.grant.header)).or_default();
            entry.0 += f.count - shown;
            entry.1 |= truncated;
        }
    }
}

/// The licensees of `y`, naming the parties it reaches that `x` does not when they are
/// not its licensees (affiliates reached with `and affiliates`).
fn reach_beyond(ctx: &Ctx<'_>, x: &GrantInfo<'_>, y: &GrantInfo<'_>) -> String {
    let extra: Vec<String> = y
        .reach
        .iter()
        .filter(|p| !x.reaches(**p) && !y.grant.licensees.contains(p))
        .map(|p| ctx.party(*p))
        .collect();
    if extra.is_empty() {
        ctx.licensees(y)
    } else {
        format!(
            "{} and affiliates (reaching {})",
            ctx.licensees(y),
            extra.join(", ")
        )
    }
}

fn exclusive_conflict(
    ctx: &Ctx<'_>,
    x: &GrantInfo<'_>,
    y: &GrantInfo<'_>,
    w: &ScopeBox,
) -> Diagnostic {
    let promise = match x.grant.exclusivity {
        ExclusivityKind::Sole => "a sole license lets no other licensee in",
        _ => "an exclusive license lets no one else in, the licensor included",
    };
    Diagnostic::new(
        Code::E0301,
        format!(
            "{} grant {} to {} overlaps grant {} to {} on {}",
            kind_word(x),
            x.name_against(y),
            ctx.licensees(x),
            y.name_against(x),
            reach_beyond(ctx, x, y),
            w.describe(ctx.model)
        ),
        x.grant.header,
    )
    .with_label(format!("{} grant", kind_word(x)))
    .with_secondary(y.grant.header, "overlapping grant to another licensee")
    .with_note(promise)
    .with_help("narrow one grant's field, territory or term so they no longer meet, or make the first grant non-exclusive")
}

fn reservations(ctx: &Ctx<'_>, index: &BTreeMap<AssetId, Vec<usize>>, out: &mut Vec<Diagnostic>) {
    for agreement in &ctx.model.agreements {
        for (ri, r) in agreement.reservations.iter().enumerate() {
            for asset in &r.assets {
                let rboxes = ctx.reservation_effective(r, *asset);
                if rboxes.is_empty() {
                    continue;
                }
                for g in index
                    .get(asset)
                    .into_iter()
                    .flatten()
                    .filter_map(|&i| ctx.grants.get(i))
                {
                    match r.holder {
                        None => {
                            let Some(w) = first_overlap(&ctx.effective(g, *asset), &rboxes) else {
                                continue;
                            };
                            out.push(
                                Diagnostic::new(
                                    Code::E0302,
                                    format!("grant `{}` covers a reserved scope: {}", g.grant.id, w.describe(ctx.model)),
                                    g.grant.header,
                                )
                                .with_label("grants what is reserved")
                                .with_secondary(r.header, "reserved here: no grant may cover this")
                                .with_help(format!("exclude the reserved part from `{}` (e.g. with `except`), or narrow the reservation", g.grant.id)),
                            );
                        }
                        Some(holder) => {
                            let applies = match g.grant.exclusivity {
                                ExclusivityKind::Exclusive => !g.reaches(holder),
                                ExclusivityKind::Sole => {
                                    holder != g.grant.licensor && !g.reaches(holder)
                                }
                                ExclusivityKind::NonExclusive => false,
                            };
                            let carved_out = std::ptr::eq(g.agreement, agreement)
                                && g.grant.subject_to.contains(&ri);
                            if !applies || carved_out || g.grant.subject_to_unresolved {
                                continue;
                            }
                            let Some(w) = first_overlap(&ctx.effective(g, *asset), &rboxes) else {
                                continue;
                            };
                            let same = std::ptr::eq(g.agreement, agreement);
                            let help = match &r.name {
                                Some(n) if same => format!(
                                    "write `exclusive subject to {n}` to carve the retained rights out of the exclusivity, make the grant `sole`, or narrow it"
                                ),
                                _ if same => "name the reservation (`reserve NAME: …`) and write `exclusive subject to NAME`, make the grant `sole`, or narrow it".to_string(),
                                _ => format!(
                                    "the rights are retained in another agreement (\"{}\"), which this grant cannot name: make the grant `sole`, or narrow it",
                                    agreement.title
                                ),
                            };
                            out.push(
                                Diagnostic::new(
                                    Code::E0301,
                                    format!(
                                        "{} grant `{}` overlaps rights that {} retains: {}",
                                        kind_word(g),
                                        g.grant.id,
                                        ctx.party(holder),
                                        w.describe(ctx.model)
                                    ),
                                    g.grant.header,
                                )
                                .with_label(format!("{} grant", kind_word(g)))
                                .with_secondary(
                                    r.header,
                                    format!("{} retains these rights", ctx.party(holder)),
                                )
                                .with_help(help),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Whether a sublicensable grant `h` lets its licensee make grant `g`.
fn may_sublicense(ctx: &Ctx<'_>, h: &GrantInfo<'_>, g: &GrantInfo<'_>) -> bool {
    if !h.reaches(g.grant.licensor) {
        return false;
    }
    match h.grant.sublicense {
        Sublicense::None => false,
        Sublicense::Free | Sublicense::WithConsent => true,
        Sublicense::Affiliates => g.reach.iter().all(|p| {
            ctx.is_affiliate_of(*p, g.grant.licensor)
                || h.grant
                    .licensees
                    .iter()
                    .any(|l| ctx.is_affiliate_of(*p, *l))
        }),
    }
}

/// E0303: a licensor must own the asset or hold a sublicensable grant covering what it grants.
pub fn right_to_grant(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let index = by_asset(ctx);
    for g in &ctx.grants {
        for asset in &g.grant.assets {
            let Some(decl) = ctx.model.asset(*asset) else {
                continue;
            };
            if decl.owners.is_empty() || decl.owners.contains(&g.grant.licensor) {
                continue;
            }
            let holders: Vec<&GrantInfo<'_>> = index
                .get(asset)
                .into_iter()
                .flatten()
                .filter_map(|&i| ctx.grants.get(i))
                .filter(|h| h.reaches(g.grant.licensor))
                .collect();
            let usable: Vec<&GrantInfo<'_>> = holders
                .iter()
                .copied()
                .filter(|h| may_sublicense(ctx, h, g))
                .collect();
            // What of g is not covered by a usable grant.
            let mut rest = ctx.effective(g, *asset);
            for h in &usable {
                let cover = ctx.grant_box(h, *asset);
                rest = rest.iter().flat_map(|b| b.minus(&cover)).collect();
                if rest.is_empty() {
                    break;
                }
            }
            let Some(w) = rest.first() else { continue };
            let owner_names: Vec<String> = decl.owners.iter().map(|o| ctx.party(*o)).collect();
            let mut d = Diagnostic::new(
                Code::E0303,
                format!(
                    "{} grants `{}`, which it does not own (owned by {}), without a sublicensable license covering {}",
                    ctx.party(g.grant.licensor),
                    decl.name,
                    owner_names.join(" and "),
                    w.describe(ctx.model)
                ),
                g.grant.header,
            )
            .with_label("licensor has no right to grant this");
            for h in holders.iter().take(3) {
                let why = if usable.iter().any(|u| std::ptr::eq(*u, *h)) {
                    "its license does not reach this far"
                } else {
                    "its license does not allow sublicensing this"
                };
                d = d.with_secondary(h.grant.header, why);
            }
            d = if holders.is_empty() {
                d.with_help(format!(
                    "only an owner, or a licensee whose grant says `sublicense free` or `sublicense with consent`, can grant `{}`",
                    decl.name
                ))
            } else if usable.is_empty() {
                d.with_help("allow sublicensing in the licensee's grant (`sublicense free`, `with consent`, or `affiliates` for affiliates only)")
            } else {
                d.with_help("keep the sublicense within the scope of the license it is made under")
            };
            out.push(d);
        }
    }
}

const SELL_OFF: [Right; 3] = [Right::Sell, Right::Offer, Right::Distribute];

/// The wind-down window of a grant: `[end, end + period)`, with sell-off rights only.
fn wind_down_boxes(
    ctx: &Ctx<'_>,
    g: &GrantInfo<'_>,
    asset: AssetId,
    window: Interval,
) -> Vec<ScopeBox> {
    let mut b = ctx.grant_box(g, asset);
    b.rights = RightSet(b.rights.0 & RightSet::of(SELL_OFF).0);
    b.time = window;
    if b.rights.is_empty() {
        return Vec::new();
    }
    match ctx.model.asset(asset) {
        Some(decl) => crate::scope::effective(&b, decl),
        None => Vec::new(),
    }
}

/// E0307 (wind-down into a later exclusive grant) and W0407 (automatic renewal into one).
pub fn after_the_end(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let index = by_asset(ctx);
    // Each grant's sunset clauses, keyed by the grant's address (grants are not moved).
    let mut sunsets_of: std::collections::HashMap<usize, Vec<&crate::model::SunsetModel>> =
        std::collections::HashMap::new();
    for a in &ctx.model.agreements {
        for s in &a.sunsets {
            if let Some(g) = s.grant.and_then(|i| a.grants.get(i)) {
                sunsets_of
                    .entry(g as *const _ as usize)
                    .or_default()
                    .push(s);
            }
        }
    }
    for g in &ctx.grants {
        let Some(end) = g.time.end else { continue };
        let sunsets = sunsets_of
            .get(&(g.grant as *const _ as usize))
            .into_iter()
            .flatten();
        for s in sunsets {
            if let Some(d) = s.wind_down {
                let Some(wend) = end.add_duration(d) else {
                    continue;
                };
                let window = Interval {
                    start: end,
                    end: Some(wend),
                };
                for asset in &g.grant.assets {
                    let mine = wind_down_boxes(ctx, g, *asset, window);
                    if mine.is_empty() {
                        continue;
                    }
                    for h in index
                        .get(asset)
                        .into_iter()
                        .flatten()
                        .filter_map(|&i| ctx.grants.get(i))
                    {
                        if std::ptr::eq(h, g) || !breaks_exclusivity(h, g) {
                            continue;
                        }
                        let Some(w) = first_overlap(&mine, &ctx.effective(h, *asset)) else {
                            continue;
                        };
                        out.push(
                            Diagnostic::new(
                                Code::E0307,
                                format!(
                                    "the wind-down of `{}` overlaps {} grant {}: {}",
                                    g.grant.id,
                                    kind_word(h),
                                    h.name_against(g),
                                    w.describe(ctx.model)
                                ),
                                s.wind_down_span.unwrap_or(s.header),
                            )
                            .with_label(format!("sell-off period {} until {wend}", end))
                            .with_secondary(g.grant.header, "the grant that winds down")
                            .with_secondary(h.grant.header, format!("{} grant to another licensee", kind_word(h)))
                            .with_help(format!("start the {} grant after the sell-off period, shorten the wind-down, or exclude the overlap", kind_word(h))),
                        );
                    }
                }
            }
            for r in s.renewals.iter().filter(|r| r.automatic) {
                // The longest the renewals can run; unbounded renewals run on forever.
                let ext_end = match r.max_times {
                    Some(n) => {
                        let mut e = Some(end);
                        for _ in 0..n.min(1000) {
                            e = e.and_then(|x| x.add_duration(r.period));
                        }
                        e
                    }
                    None => None,
                };
                let window = Interval {
                    start: end,
                    end: ext_end,
                };
                for asset in &g.grant.assets {
                    let mut mine = ctx.grant_box(g, *asset);
                    mine.time = window;
                    let Some(decl) = ctx.model.asset(*asset) else {
                        continue;
                    };
                    let mine = crate::scope::effective(&mine, decl);
                    for h in index
                        .get(asset)
                        .into_iter()
                        .flatten()
                        .filter_map(|&i| ctx.grants.get(i))
                    {
                        if std::ptr::eq(h, g)
                            || !(breaks_exclusivity(h, g) || breaks_exclusivity(g, h))
                        {
                            continue;
                        }
                        let theirs = ctx.effective(h, *asset);
                        let Some(w) = first_overlap(&mine, &theirs) else {
                            continue;
                        };
                        // Already a conflict in the base terms? Then E0301 says it.
                        if first_overlap(&ctx.effective(g, *asset), &theirs).is_some() {
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
                                    w.describe(ctx.model)
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
            }
        }
    }
}
