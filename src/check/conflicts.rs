//! Conflict rules between clauses, judged on the rights ledger's pieces: exclusivity
//! (E0301), reservations (E0302), the right to grant (E0303) and to grant exclusively
//! (E0309). What happens after a license ends (E0307, W0407) is in [`super::after`].
//!
//! Pairs are never enumerated blindly: each subject's pieces are swept in order of
//! start date, and among the pieces still in force a new one meets only those it
//! shares a country and a field with ([`super::sweep`]); each comparison is a handful
//! of bit operations.

use super::context::{Ctx, GrantInfo, Witness};
use super::sweep::Active;
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::{Clause, Piece, PieceKind, SubjectId};
use crate::model::PurposeSet;
use crate::vocab::{ExclusivityKind, Sublicense};
use foldhash::HashSet;
use std::collections::BTreeMap;

/// Whether grant `y` takes something from exclusive-or-sole grant `x`: it reaches a
/// party `x` does not, is not a sublicense made by `x`'s own licensee, and is not a
/// license `x` was made subject to.
pub(super) fn breaks_exclusivity(x: &GrantInfo<'_>, y: &GrantInfo<'_>) -> bool {
    breaks_exclusivity_among(x, x.reach, y, y.reach)
}

/// [`breaks_exclusivity`] between two pieces, each reaching `xr` and `yr` (pools, issue
/// 15: a pool grant's piece reaches only the members of its period).
fn breaks_exclusivity_among(
    x: &GrantInfo<'_>,
    xr: &[crate::model::PartyId],
    y: &GrantInfo<'_>,
    yr: &[crate::model::PartyId],
) -> bool {
    if !x.is_exclusive_kind() || x.entry.subject_to_unbound {
        return false;
    }
    if x.reaches(y.grant.licensor) || x.entry.subject_to_grants.contains(&y.index) {
        return false;
    }
    yr.iter().any(|p| xr.binary_search(p).is_err())
}

pub(super) fn kind_word(g: &GrantInfo<'_>) -> &'static str {
    g.grant.exclusivity.keyword()
}

/// When one piece has met this many conflicting pieces, the checker stops comparing it
/// with further ones: the first are reported and the rest summarised "at least N more".
/// Without this bound, 100,000 exclusive grants of one asset in one place would mean
/// five billion comparisons and as many diagnostics.
pub const MAX_CONFLICTS_SCANNED: usize = 100;

/// The summaries of conflicts found but not built into diagnostics, per (code, primary
/// clause): how many, and whether the count is only a lower bound.
pub type Hidden = BTreeMap<(Code, crate::source::Span), (usize, bool)>;

/// What the E0301 sweep found for one primary grant: the other grants kept for the
/// report (the first [`super::MAX_PER_CLAUSE`] by position in the source), with the
/// witness of each, and how many other grants there were in all.
#[derive(Default)]
struct Found {
    kept: Vec<(crate::source::Span, usize, Witness)>,
    count: usize,
}

/// Every conflict the sweep met: per primary grant, and the pairs already counted.
#[derive(Default)]
struct Conflicts {
    by_primary: BTreeMap<usize, Found>,
    pairs: HashSet<(usize, usize)>,
    truncated: bool,
}

impl Conflicts {
    fn add(&mut self, ctx: &Ctx<'_>, primary: usize, other: usize, w: Witness) {
        let header = ctx.grant(other).map(|g| g.grant.header).unwrap_or_default();
        let f = self.by_primary.entry(primary).or_default();
        if let Some(k) = f.kept.iter_mut().find(|k| k.1 == other) {
            k.2.absorb(w);
            return;
        }
        if !self.pairs.insert((primary, other)) {
            return; // counted already, on another subject, and not kept
        }
        f.count += 1;
        f.kept.push((header, other, w));
        if f.kept.len() > super::MAX_PER_CLAUSE {
            f.kept.sort_by_key(|k| (k.0, k.1));
            f.kept.truncate(super::MAX_PER_CLAUSE);
        }
    }
}

/// One piece of the subject being swept.
struct Entry<'a> {
    grant: usize,
    piece: &'a Piece,
    end: Option<Date>,
}

/// E0301 between grants, E0301 against retained rights, E0302 against hard reservations.
pub fn exclusivity(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    hidden: &mut Hidden,
    judged: &mut usize,
) {
    let mut found = Conflicts::default();
    for s in 0..ctx.ledger.subjects.len() {
        let s = SubjectId(u32::try_from(s).unwrap_or(u32::MAX));
        sweep_subject(ctx, s, &mut found, judged);
    }
    for (primary, f) in &found.by_primary {
        let Some(x) = ctx.grant(*primary) else {
            continue;
        };
        let shown = f.kept.len();
        for (_, other, w) in &f.kept {
            if let Some(y) = ctx.grant(*other) {
                out.push(exclusive_conflict(ctx, x, y, w));
            }
        }
        if f.count > shown || (found.truncated && shown >= super::MAX_PER_CLAUSE) {
            let entry = hidden.entry((Code::E0301, x.grant.header)).or_default();
            entry.0 += f.count - shown;
            entry.1 |= found.truncated;
        }
    }
    reservations(ctx, out);
}

/// The E0301 sweep over one subject's grant pieces, in order of start date. Only pieces
/// still in force when the next one starts are compared; among those, a piece meets the
/// exclusive and sole pieces (and, if it is exclusive or sole itself, the non-exclusive
/// ones) that share a country and a field with it. A pair of narrow pieces is judged
/// once, under its lowest shared country.
fn sweep_subject(ctx: &Ctx<'_>, s: SubjectId, found: &mut Conflicts, judged: &mut usize) {
    let mut entries: Vec<Entry<'_>> = ctx
        .ledger
        .pieces_on(s)
        .filter_map(|(_, p)| match (p.kind, p.clause) {
            // A release of past acts is no license: it takes nothing from an exclusive one.
            (PieceKind::Term, Clause::Grant(g))
                if ctx.grant(g).is_some_and(|x| x.entry.release.is_some()) =>
            {
                None
            }
            (PieceKind::Term, Clause::Grant(g)) => Some(Entry {
                grant: g,
                piece: p,
                end: p.time.end,
            }),
            _ => None,
        })
        .collect();
    if entries.len() < 2 {
        return;
    }
    entries.sort_by_key(|e| (e.piece.time.start, e.grant));
    let fields = u32::try_from(ctx.model.fields.nodes.len()).unwrap_or(u32::MAX);
    let mut exclusive = Active::new(fields);
    let mut non_exclusive = Active::new(fields);
    let mut seen = vec![0u32; entries.len()];
    let mut stamp = 0u32;
    for e in 0..entries.len() {
        let Some(ei) = entries.get(e) else { continue };
        let Some(gi) = ctx.grant(ei.grant) else {
            continue;
        };
        let start = ei.piece.time.start;
        let ranges = &gi.grant.fields.ranges;
        let alive = |j: usize| {
            entries
                .get(j)
                .and_then(|x| x.end)
                .is_none_or(|end| end > start)
        };
        let ranges_of = |j: usize| -> &[(u32, u32)] {
            entries
                .get(j)
                .and_then(|x| ctx.grant(x.grant))
                .map_or(&[], |g| g.grant.fields.ranges.as_slice())
        };
        let mut met = 0usize;
        let mut judge = |country: Option<u8>, j: usize| -> bool {
            *judged += 1;
            let Some(ej) = entries.get(j) else {
                return false;
            };
            let shared = ei.piece.territory.intersection(ej.piece.territory);
            if let Some(c) = country {
                // Judge each narrow pair once: under its lowest shared country.
                if shared.first() != Some(c) {
                    return false;
                }
            } else if shared.is_empty() {
                return false;
            }
            let Some(gj) = ctx.grant(ej.grant) else {
                return false;
            };
            if ej.grant == ei.grant {
                return false;
            }
            // A grant made by the other's licensee is a sublicense under it:
            // E0303 and E0309 judge it, not exclusivity.
            if gi.reaches(gj.grant.licensor) || gj.reaches(gi.grant.licensor) {
                return false;
            }
            let (ri, rj) = (
                ei.piece.members.as_deref().unwrap_or(gi.reach),
                ej.piece.members.as_deref().unwrap_or(gj.reach),
            );
            let (x_breaks, y_breaks) = (
                breaks_exclusivity_among(gj, rj, gi, ri),
                breaks_exclusivity_among(gi, ri, gj, rj),
            );
            if !x_breaks && !y_breaks {
                return false;
            }
            let Some(w) = Witness::of(ej.piece, &gj.grant.fields, ei.piece, &gi.grant.fields)
            else {
                return false;
            };
            // The primary clause is the exclusive grant whose promise is broken (the
            // later one in the source when both are).
            let later_is_i = gi.grant.header >= gj.grant.header;
            let (primary, other) = match (x_breaks, y_breaks) {
                (true, true) if later_is_i => (ei.grant, ej.grant),
                (true, true) => (ej.grant, ei.grant),
                (false, true) => (ei.grant, ej.grant),
                _ => (ej.grant, ei.grant),
            };
            found.add(ctx, primary, other, w);
            met += 1;
            met >= MAX_CONFLICTS_SCANNED
        };
        let classes = [
            Some(&mut exclusive),
            gi.is_exclusive_kind().then_some(&mut non_exclusive),
        ];
        for active in classes.into_iter().flatten() {
            if active.visit(
                &ei.piece.territory,
                ranges,
                &alive,
                &ranges_of,
                &mut seen,
                &mut stamp,
                &mut judge,
            ) {
                found.truncated = true;
                break;
            }
        }
        if gi.is_exclusive_kind() {
            exclusive.insert(e, &ei.piece.territory, ranges, &ranges_of);
        } else {
            non_exclusive.insert(e, &ei.piece.territory, ranges, &ranges_of);
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
    w: &Witness,
) -> Diagnostic {
    let promise = match x.grant.exclusivity {
        ExclusivityKind::Sole => "a sole license lets no other licensee in",
        _ => "an exclusive license lets no one else in, the licensor included",
    };
    let help = if y.grant.exclusivity == ExclusivityKind::NonExclusive {
        format!(
            "narrow one grant's field, territory or term so they no longer meet, make `{}` non-exclusive, or, if `{}` came first, write `exclusive subject to {}`",
            x.grant.id, y.grant.id, y.grant.id
        )
    } else {
        "narrow one grant's field, territory or term so they no longer meet, or make one of them non-exclusive".to_string()
    };
    Diagnostic::new(
        Code::E0301,
        format!(
            "{} grant {} to {} overlaps {} {} to {} on {}",
            kind_word(x),
            x.name_against(y),
            ctx.licensees(x),
            // A covenant not to sue has the effect of a non-exclusive license.
            if y.grant.covenant {
                "covenant"
            } else {
                "grant"
            },
            y.name_against(x),
            reach_beyond(ctx, x, y),
            w.describe(ctx.model, ctx.ledger)
        ),
        x.grant.header,
    )
    .with_label(format!("{} grant", kind_word(x)))
    .with_secondary(y.grant.header, "overlapping grant to another licensee")
    .with_note(promise)
    .with_help(help)
}

/// The first witness between a clause's pieces and a grant's pieces, folded over every
/// subject they share.
pub(super) fn witness_between(
    a: &[&Piece],
    af: &crate::model::FieldSet,
    b: &[&Piece],
    bf: &crate::model::FieldSet,
) -> Option<Witness> {
    let mut found: Option<Witness> = None;
    for x in a {
        for y in b.iter().filter(|y| y.subject == x.subject) {
            let Some(w) = Witness::of(x, af, y, bf) else {
                continue;
            };
            match &mut found {
                None => found = Some(w),
                Some(f) => f.absorb(w),
            }
        }
    }
    found
}

/// E0302 (a grant covers a hard reservation) and E0301 (an exclusive or sole grant
/// covers rights retained with `reserve … for`), per subject.
fn reservations(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (ri, entry) in ctx.ledger.reservations.iter().enumerate() {
        let Some(agreement) = ctx.model.agreements.get(entry.agreement) else {
            continue;
        };
        let Some(r) = agreement.reservations.get(entry.index) else {
            continue;
        };
        let rpieces: Vec<&Piece> = ctx.ledger.reservation_pieces(entry).iter().collect();
        if rpieces.is_empty() {
            continue;
        }
        let rfields = ctx.reservation_fields(r);
        let grants = grants_on(ctx, &rpieces);
        for g in grants
            .iter()
            .filter_map(|&i| ctx.grant(i))
            .filter(|g| g.entry.release.is_none())
        {
            let gpieces: Vec<&Piece> = ctx.term_pieces(g).collect();
            match r.holder {
                None => {
                    let Some(w) = witness_between(&gpieces, &g.grant.fields, &rpieces, &rfields)
                    else {
                        continue;
                    };
                    out.push(
                        Diagnostic::new(
                            Code::E0302,
                            format!(
                                "grant `{}` covers a reserved scope: {}",
                                g.grant.id,
                                w.describe(ctx.model, ctx.ledger)
                            ),
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
                        ExclusivityKind::Sole => holder != g.grant.licensor && !g.reaches(holder),
                        ExclusivityKind::NonExclusive => false,
                    };
                    let same = g.entry.agreement == entry.agreement;
                    let carved_out = same && g.grant.subject_to.contains(&entry.index);
                    if !applies
                        || carved_out
                        || g.grant.subject_to_unresolved
                        || g.entry.subject_to_unbound
                    {
                        continue;
                    }
                    let Some(w) = witness_between(&gpieces, &g.grant.fields, &rpieces, &rfields)
                    else {
                        continue;
                    };
                    let _ = ri;
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
                                w.describe(ctx.model, ctx.ledger)
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

/// The grants with a term piece on one of the pieces' subjects, in order (for a
/// reservation's pieces, and a first right's: clauses, issue 15).
pub(super) fn grants_on(ctx: &Ctx<'_>, pieces: &[&Piece]) -> Vec<usize> {
    let mut grants: Vec<usize> = Vec::new();
    for p in pieces {
        for (_, q) in ctx.ledger.pieces_on(p.subject) {
            if let (PieceKind::Term, Clause::Grant(g)) = (q.kind, q.clause) {
                grants.push(g);
            }
        }
    }
    grants.sort_unstable();
    grants.dedup();
    grants
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

/// How much exclusivity a license conveys: non-exclusive < sole < exclusive.
fn rank(e: ExclusivityKind) -> u8 {
    match e {
        ExclusivityKind::NonExclusive => 0,
        ExclusivityKind::Sole => 1,
        ExclusivityKind::Exclusive => 2,
    }
}

/// A piece as a box for subtraction, with its clause's fields.
pub(super) fn piece_box(p: &Piece, fields: &crate::model::FieldSet) -> crate::scope::ScopeBox {
    crate::scope::ScopeBox {
        asset: crate::model::AssetId(p.subject.0),
        rights: p.rights,
        fields: fields.clone(),
        territory: p.territory,
        time: p.time,
    }
}

/// A part of a clause's scope: a box, and the purposes it is for (rights: issue 15).
type Region = (crate::scope::ScopeBox, PurposeSet);

/// What of `r` lies outside `c`: outside its box, or inside it but for purposes `c`
/// does not cover (purpose is one more dimension of a scope, as in the ledger).
fn region_minus(r: &Region, c: &Region) -> Vec<Region> {
    if r.1.intersection(c.1).is_empty() {
        return vec![r.clone()];
    }
    let mut out: Vec<Region> = r.0.minus(&c.0).into_iter().map(|b| (b, r.1)).collect();
    let other = PurposeSet(r.1 .0 & !c.1 .0);
    if !other.is_empty() {
        if let Some(inside) = r.0.intersect(&c.0) {
            out.push((inside, other));
        }
    }
    out
}

/// E0303: a licensor must own the asset or hold a sublicensable grant covering what it
/// grants; E0309: a licensee may not sublicense with more exclusivity than it holds.
/// Both compare purposes too: a license for research does not cover a sublicense for
/// every purpose.
pub fn right_to_grant(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        for asset in &g.grant.assets {
            let Some(decl) = ctx.model.asset(*asset) else {
                continue;
            };
            if decl.owners.is_empty() || decl.owners.contains(&g.grant.licensor) {
                continue;
            }
            // The licenses the licensor holds on the asset's subjects.
            let mine: Vec<&Piece> = ctx.term_pieces(g).filter(|p| p.asset == *asset).collect();
            let mut holders: Vec<usize> = Vec::new();
            for p in &mine {
                for (_, q) in ctx.ledger.pieces_on(p.subject) {
                    if let (PieceKind::Term, Clause::Grant(h)) = (q.kind, q.clause) {
                        if h != g.index && ctx.grant(h).is_some_and(|h| h.reaches(g.grant.licensor))
                        {
                            holders.push(h);
                        }
                    }
                }
            }
            holders.sort_unstable();
            holders.dedup();
            let holders: Vec<&GrantInfo<'_>> =
                holders.iter().filter_map(|&h| ctx.grant(h)).collect();
            let usable: Vec<&GrantInfo<'_>> = holders
                .iter()
                .copied()
                .filter(|h| may_sublicense(ctx, h, g))
                .collect();
            // What of g is not covered by a usable grant, subject by subject; and what
            // is covered only by licenses less exclusive than g.
            let mut rest = Vec::new();
            let mut beyond = Vec::new();
            for p in &mine {
                let mut left: Vec<Region> = vec![(piece_box(p, &g.grant.fields), p.purposes)];
                let mut weak = left.clone();
                for h in &usable {
                    for q in ctx.term_pieces(h).filter(|q| q.subject == p.subject) {
                        let cover = (piece_box(q, &h.grant.fields), q.purposes);
                        left = left.iter().flat_map(|b| region_minus(b, &cover)).collect();
                        if rank(h.grant.exclusivity) >= rank(g.grant.exclusivity) {
                            weak = weak.iter().flat_map(|b| region_minus(b, &cover)).collect();
                        }
                    }
                }
                // What is not covered at all is E0303's; the rest of `weak` is E0309's.
                for b in weak {
                    let covered: Vec<_> = left.iter().fold(vec![b.clone()], |acc, l| {
                        acc.iter().flat_map(|x| region_minus(x, l)).collect()
                    });
                    beyond.extend(covered.into_iter().map(|c| (p.subject, c)));
                }
                rest.extend(left.into_iter().map(|b| (p.subject, b)));
            }
            let describe = |subject: SubjectId, (b, purposes): &Region| {
                let w = Witness {
                    subjects: vec![subject],
                    assets: vec![*asset],
                    rights: b.rights,
                    fields: b.fields.clone(),
                    territory: b.territory,
                    time: b.time,
                    purposes: *purposes,
                    others: Vec::new(),
                };
                w.describe(ctx.model, ctx.ledger)
            };
            let owner_names: Vec<String> = decl.owners.iter().map(|o| ctx.party(*o)).collect();
            if let Some((subject, w)) = rest.first() {
                let mut d = Diagnostic::new(
                    Code::E0303,
                    format!(
                        "grant `{}`: {} grants `{}`, which it does not own (owned by {}), without a sublicensable license covering {}",
                        g.grant.id,
                        ctx.party(g.grant.licensor),
                        decl.name,
                        owner_names.join(" and "),
                        describe(*subject, w)
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
                    d.with_help(
                        "keep the sublicense within the scope of the license it is made under",
                    )
                };
                out.push(d);
            } else if let Some((subject, w)) = beyond.first() {
                let held: Vec<&GrantInfo<'_>> = usable
                    .iter()
                    .copied()
                    .filter(|h| rank(h.grant.exclusivity) < rank(g.grant.exclusivity))
                    .collect();
                let held_word = held
                    .iter()
                    .map(|h| h.grant.exclusivity.keyword())
                    .max_by_key(|k| k.len())
                    .unwrap_or("non-exclusive");
                let mut d = Diagnostic::new(
                    Code::E0309,
                    format!(
                        "{} sublicense `{}`: {} holds only a {} license to `{}` on {}",
                        kind_word(g),
                        g.grant.id,
                        ctx.party(g.grant.licensor),
                        held_word,
                        decl.name,
                        describe(*subject, w)
                    ),
                    g.grant.header,
                )
                .with_label(format!("{} sublicense", kind_word(g)))
                .with_note(format!(
                    "a licensee cannot give more than it holds: {} keeps the right to practise and to license others there, and no sublicense can take that away",
                    owner_names.join(" and ")
                ));
                for h in held.iter().take(3) {
                    d = d.with_secondary(
                        h.grant.header,
                        format!("the {} license it holds", h.grant.exclusivity.keyword()),
                    );
                }
                out.push(d.with_help(format!(
                    "make `{}` {}, or have the owner grant the licensor an exclusive license first",
                    g.grant.id,
                    if held_word == "sole" {
                        "sole or non-exclusive"
                    } else {
                        "non-exclusive"
                    }
                )));
            }
        }
    }
}
