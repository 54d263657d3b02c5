//! Rules about patents as the rights ledger identifies them: one patent declared with
//! contradicting facts (E0308), a capture period listing a patent filed outside it
//! (E0208), royalties after the licensed patents expire, country by country (W0408),
//! grants that convey nothing under a patent asset (W0409) or nothing until its pending
//! applications are granted (W0418), and a co-owner licensing exclusively on its own
//! (W0410).

use super::context::{Ctx, GrantInfo};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::ledger::SubjectKind;
use crate::model::{AssetId, ConsiderationModel, Model, PartyId};
use crate::territory::TerritorySet;
use crate::vocab::ExclusivityKind;
use foldhash::HashMap;
use std::collections::BTreeMap;

fn owners_text(model: &Model, owners: &[PartyId]) -> String {
    let names: Vec<String> = owners
        .iter()
        .map(|o| format!("`{}`", model.party_name(*o)))
        .collect();
    names.join(" and ")
}

fn sorted(mut v: Vec<PartyId>) -> Vec<PartyId> {
    v.sort();
    v.dedup();
    v
}

/// E0308: every declaration of one patent number must agree on its owners, its
/// countries, its filing date and its expiry.
pub fn patent_identity(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for s in ctx.ledger.subjects.iter().filter(|s| s.is_patent()) {
        let mut decls = s.declarations.iter().filter_map(|d| {
            let asset = model.asset(d.asset)?;
            Some((asset, asset.patents.get(d.index)?))
        });
        let Some((first_asset, first)) = decls.next() else {
            continue;
        };
        for (asset, p) in decls {
            let mut differences = Vec::new();
            let (o1, o2) = (
                sorted(first_asset.owners.clone()),
                sorted(asset.owners.clone()),
            );
            if o1 != o2 {
                differences.push(format!(
                    "owned by {} in `{}` but by {} in `{}`",
                    owners_text(model, &o1),
                    first_asset.name,
                    owners_text(model, &o2),
                    asset.name
                ));
            }
            if p.territory != first.territory {
                differences.push(format!(
                    "in force in {} in `{}` but in {} in `{}`",
                    first.territory.describe(),
                    first_asset.name,
                    p.territory.describe(),
                    asset.name
                ));
            }
            if let (Some(a), Some(b)) = (first.expires, p.expires) {
                if a != b {
                    differences.push(format!(
                        "expiring on {a} in `{}` but on {b} in `{}`",
                        first_asset.name, asset.name
                    ));
                }
            }
            if first.pending != p.pending {
                let state = |pending: bool| {
                    if pending {
                        "a pending application"
                    } else {
                        "a granted patent"
                    }
                };
                differences.push(format!(
                    "{} in `{}` but {} in `{}`",
                    state(first.pending),
                    first_asset.name,
                    state(p.pending),
                    asset.name
                ));
            }
            if let (Some(a), Some(b)) = (first.filed, p.filed) {
                if a != b {
                    differences.push(format!(
                        "filed on {a} in `{}` but on {b} in `{}`",
                        first_asset.name, asset.name
                    ));
                }
            }
            if differences.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::E0308,
                    format!(
                        "patent `{}` is declared twice with different facts: {}",
                        p.number,
                        differences.join("; ")
                    ),
                    p.span,
                )
                .with_label(format!("declared again in `{}`", asset.name))
                .with_secondary(first.span, format!("first declared in `{}`", first_asset.name))
                .with_note("one patent number is one patent, whichever assets list it: it has one set of owners, one set of countries, one filing date and one expiry")
                .with_help("correct one of the declarations, or, if these are different patents, give each its own number"),
            );
        }
    }
}

/// E0208: a capture-period asset (`patents of P filed A until B`) lists a patent filed
/// outside its period, or a patent of another owner.
pub fn capture_periods(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for asset in &ctx.model.assets {
        let Some((from, until)) = asset.capture else {
            continue;
        };
        for p in &asset.patents {
            let Some(filed) = p.filed else { continue };
            if from <= filed && filed < until {
                continue;
            }
            let last = until.pred().unwrap_or(until);
            out.push(
                Diagnostic::new(
                    Code::E0208,
                    format!(
                        "patent `{}` was filed on {filed}, outside the capture period of `{}` ({from} until {until})",
                        p.number, asset.name
                    ),
                    p.span,
                )
                .with_label("filed outside the period")
                .with_secondary(asset.span, "the capture period")
                .with_help(format!(
                    "a capture-period asset holds the patents filed from {from} through {last}: correct the filing date, widen the period, or list the patent in another asset"
                )),
            );
        }
    }
}

pub fn has_running_royalty(c: &[ConsiderationModel]) -> bool {
    c.iter().any(|x| {
        matches!(
            x,
            ConsiderationModel::Percent { .. }
                | ConsiderationModel::PerUnit { .. }
                | ConsiderationModel::Tiered { .. }
        )
    })
}

/// When the running royalties of a clause stop at the latest (issue 15, royalty
/// terms): `None` when none runs past expiry (each ends `until expiry`, or there is
/// none), `Some(None)` when one runs as long as the license, `Some(Some(d))` when the
/// last ends on `d`.
pub fn royalty_end(c: &[ConsiderationModel]) -> Option<Option<Date>> {
    let mut end: Option<Option<Date>> = None;
    for x in c {
        let Some(p) = x.running_period() else {
            continue;
        };
        // A step `from expiry` is judged on its own (`patent_life`).
        if p.until_expiry || p.from_expiry {
            continue;
        }
        end = Some(match (end, p.until) {
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
            (None, Some(b)) => Some(b),
        });
    }
    end
}

/// Whether one of the running royalties is payable `from expiry` (terms: issue 15,
/// round 5).
fn from_expiry(c: &[ConsiderationModel]) -> bool {
    c.iter()
        .any(|x| x.running_period().is_some_and(|p| p.from_expiry))
}

/// Per country of a grant: when the last licensed patent in force there expires
/// (`None` in the map: one of them has no expiry date, so the royalty is not judged).
pub fn last_expiry_by_country(ctx: &Ctx<'_>, g: &GrantInfo<'_>) -> BTreeMap<u8, Option<Date>> {
    let mut last: BTreeMap<u8, Option<Date>> = BTreeMap::new();
    for p in ctx.term_pieces(g) {
        let Some(s) = ctx.ledger.subject(p.subject) else {
            continue;
        };
        if s.kind != SubjectKind::Patent {
            continue;
        }
        for c in p.territory.iter() {
            let e = last.entry(c).or_insert(s.expires);
            *e = match (*e, s.expires) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
    }
    last
}

/// The countries and dates past which a royalty runs: countries where a patent was
/// licensed and the royalty runs on (to `end` in each, `None` without end) after the
/// last of them expires.
pub fn royalty_past_expiry(
    last: &BTreeMap<u8, Option<Date>>,
    end_in: impl Fn(u8) -> Option<Date>,
) -> Vec<(u8, Date, Option<Date>)> {
    let mut out = Vec::new();
    for (&c, &l) in last {
        let Some(l) = l else { continue };
        let end = end_in(c);
        if end.is_none_or(|e| e > l) {
            out.push((c, l, end));
        }
    }
    out
}

/// "US (2030-01-01), DE and FR (2032-06-01)": countries grouped by date.
pub fn countries_by_date(list: &[(u8, Date, Option<Date>)]) -> String {
    let mut by: BTreeMap<Date, TerritorySet> = BTreeMap::new();
    for (c, d, _) in list {
        by.entry(*d).or_insert_with(TerritorySet::empty).insert(*c);
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(d, t)| format!("{} ({d})", t.describe()))
        .collect();
    parts.join(", ")
}

/// W0408 (royalties after the licensed patents expire, judged country by country, also
/// when know-how is licensed alongside) and W0409 (nothing conveyed under a patent asset).
pub fn patent_life(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        // W0409
        for asset in &g.grant.assets {
            let Some(decl) = ctx.model.asset(*asset) else {
                continue;
            };
            if !decl.kind.is_patent() || !ctx.ledger.is_limited(*asset) {
                continue;
            }
            if ctx.term_pieces(g).any(|p| p.asset == *asset) {
                continue;
            }
            if let Some(d) = pending_only(ctx, g, *asset) {
                out.push(d);
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::W0409,
                    format!("grant `{}` conveys nothing under `{}`: none of its patents is in force in the grant's territory and term", g.grant.id, decl.name),
                    g.grant.header,
                )
                .with_label("licenses no patent in force")
                .with_secondary(decl.span, "the asset's patents")
                .with_help("check the grant's territory and term against the patents' countries and expiry dates"),
            );
        }
        // W0408
        if !has_running_royalty(&g.grant.consideration) {
            continue;
        }
        let hybrid: Vec<&str> = ctx
            .term_pieces(g)
            .filter_map(|p| ctx.ledger.subject(p.subject))
            .filter(|s| s.kind == SubjectKind::Whole)
            .map(|s| s.label.as_str())
            .collect();
        // terms (issue 15, round 5): a step `from expiry` is the know-how royalty of a
        // hybrid license; on a grant of patents alone it is a royalty for expired
        // patents and nothing else.
        if hybrid.is_empty() && from_expiry(&g.grant.consideration) {
            out.push(
                Diagnostic::new(
                    Code::W0408,
                    format!(
                        "a royalty under `{}` is payable from patent expiry, but the grant licenses only patents",
                        g.grant.id
                    ),
                    g.grant.header,
                )
                .with_label("royalty for expired patents")
                .with_note("royalties for the use of a patent after it expires are unenforceable in the US (Brulotte v. Thys; Kimble v. Marvel)")
                .with_help("a royalty `from expiry` belongs to a grant that also licenses know-how or other non-patent rights: add the know-how asset to the grant, or remove the step"),
            );
        }
        // terms (issue 15, round 6): W0434, a step `from expiry` the license never
        // reaches.
        out.extend(from_expiry_never_due(ctx, g));
        // A royalty that ends at expiry, or on a date, is charged no longer than that.
        let Some(royalty_end) = royalty_end(&g.grant.consideration) else {
            continue;
        };
        let last = last_expiry_by_country(ctx, g);
        let past = royalty_past_expiry(&last, |c| {
            let end = g.entry.effective_end_in(c);
            match (end, royalty_end) {
                (Some(e), Some(r)) => Some(e.min(r)),
                (None, r) => r,
                (e, None) => e,
            }
        });
        if past.is_empty() {
            continue;
        }
        let end = past.iter().map(|x| x.2).max_by(|a, b| match (a, b) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.cmp(y),
        });
        let until = match end.flatten() {
            Some(e) => format!("until {e}"),
            None => "without end".to_string(),
        };
        let mut d = Diagnostic::new(
            Code::W0408,
            format!(
                "royalties under `{}` run {until}, after the last licensed patent expires in {}",
                g.grant.id,
                countries_by_date(&past)
            ),
            g.grant.term_span,
        )
        .with_label("runs past patent expiry")
        .with_note("royalties for the use of a patent after it expires are unenforceable in the US (Brulotte v. Thys; Kimble v. Marvel)");
        if let Some(first) = hybrid.first() {
            d = d.with_note(format!(
                "the grant also licenses `{first}`, but a royalty that does not step down when the patents expire is still charged for them (Kimble v. Marvel allows a hybrid royalty only if it drops at expiry)"
            ));
        }
        let last_date = past.iter().map(|x| x.1).max().unwrap_or(Date::MIN);
        out.push(d.with_help(format!(
            "end the royalty when the patents expire (`royalty …, until expiry` or `term until expiry`, which end it country by country), or by {last_date}"
        )));
    }
}

/// W0434 (terms: issue 15, round 6): a royalty `from expiry` that is due in no country
/// of the grant's territory: in each, a licensed patent is in force until the license
/// ends there (a grant `term until expiry` ends with them) or until the royalty's own
/// `until`. A country where no licensed patent is in force owes it from the start, and
/// one whose patents' expiry is not known is not judged.
fn from_expiry_never_due(ctx: &Ctx<'_>, g: &GrantInfo<'_>) -> Option<Diagnostic> {
    let steps: Vec<&crate::model::RoyaltyPeriod> = g
        .grant
        .consideration
        .iter()
        .filter_map(ConsiderationModel::running_period)
        .filter(|p| p.from_expiry)
        .collect();
    if steps.is_empty() || g.grant.territory.is_empty() {
        return None;
    }
    let last = last_expiry_by_country(ctx, g);
    let mut ends: Vec<(u8, Date, Option<Date>)> = Vec::new();
    for c in g.grant.territory.iter() {
        // No licensed patent in force there: due from the start; an unknown expiry:
        // not judged.
        let expires = (*last.get(&c)?)?;
        let end = g.entry.effective_end_in(c);
        ends.push((c, expires, end));
    }
    let due = |p: &crate::model::RoyaltyPeriod| {
        ends.iter().any(|&(_, expires, end)| {
            end.is_none_or(|e| expires < e) && p.until.is_none_or(|u| expires < u)
        })
    };
    if steps.iter().any(|p| due(p)) {
        return None;
    }
    let until_expiry = matches!(g.grant.term, crate::model::TermModel::UntilExpiry { .. });
    let why = if until_expiry {
        "the grant's term ends `until expiry`, with the last licensed patent in each country"
            .to_string()
    } else {
        "the license (or the royalty) ends in each country of its territory no later than the last licensed patent there expires".to_string()
    };
    Some(
        Diagnostic::new(
            Code::W0434,
            format!(
                "a royalty under `{}` is payable from patent expiry, which the license never reaches: {why} ({})",
                g.grant.id,
                countries_by_date(&ends)
            ),
            g.grant.term_span,
        )
        .with_label("ends when the patents expire, or before")
        .with_secondary(g.grant.header, "the grant with the royalty `from expiry`")
        .with_help(if until_expiry {
            "a know-how royalty `from expiry` needs a license that outlasts the patents: give the grant a term of its own (`term 2026-01-01 for 20 years`), or remove the step"
        } else {
            "extend the grant's term past the patents' expiry, or remove the step `from expiry`"
        }),
    )
}

/// W0418 (rights: issue 15): a grant that licenses nothing in force under a patent
/// asset, but some of the asset's pending applications lie in its territory: it conveys
/// no patent right until one of them is granted.
fn pending_only(ctx: &Ctx<'_>, g: &GrantInfo<'_>, asset: AssetId) -> Option<Diagnostic> {
    let decl = ctx.model.asset(asset)?;
    let pending: Vec<String> = ctx
        .ledger
        .subjects_of(asset)
        .iter()
        .filter_map(|s| ctx.ledger.subject(*s))
        .filter(|s| s.pending && !s.territory.intersection(g.grant.territory).is_empty())
        .map(|s| format!("`{}`", s.label))
        .collect();
    if pending.is_empty() {
        return None;
    }
    let what = if pending.len() == 1 {
        "its pending application"
    } else {
        "one of its pending applications"
    };
    Some(
        Diagnostic::new(
            Code::W0418,
            format!(
                "grant `{}` conveys no patent right under `{}` until {what} {} is granted",
                g.grant.id,
                decl.name,
                pending.join(", "),
            ),
            g.grant.header,
        )
        .with_label("licenses only pending applications")
        .with_secondary(decl.span, "the asset's patents")
        .with_note("an application gives no right to exclude until a patent is granted on it: the license takes effect under each patent as it is granted, and until then the checker treats the applications as not in force")
        .with_help("when an application is granted, write it as a patent with its expiry (`patent \"…\" expires DATE`); if the licensee should pay only once a patent is granted, say so in the payment terms"),
    )
}

/// W0410: one co-owner licenses exclusively (or as sole licensor) without the other
/// co-owners joining with the same grant.
pub fn co_owners(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // The grants of each co-owned asset by licensor: who joins whom.
    let mut joint: HashMap<(PartyId, AssetId), Vec<usize>> = HashMap::default();
    for (i, g) in ctx.grants.iter().enumerate() {
        for asset in &g.grant.assets {
            if ctx.model.asset(*asset).is_some_and(|d| d.owners.len() >= 2) {
                joint.entry((g.grant.licensor, *asset)).or_default().push(i);
            }
        }
    }
    for g in &ctx.grants {
        if g.grant.exclusivity == ExclusivityKind::NonExclusive {
            continue;
        }
        for asset in &g.grant.assets {
            let Some(decl) = ctx.model.asset(*asset) else {
                continue;
            };
            if decl.owners.len() < 2 || !decl.owners.contains(&g.grant.licensor) {
                continue;
            }
            let missing: Vec<PartyId> = decl
                .owners
                .iter()
                .copied()
                .filter(|o| *o != g.grant.licensor)
                .filter(|o| {
                    !joint
                        .get(&(*o, *asset))
                        .into_iter()
                        .flatten()
                        .filter_map(|&i| ctx.grants.get(i))
                        .any(|h| {
                            h.grant.exclusivity == g.grant.exclusivity
                                && g.grant.licensees.iter().all(|l| h.reaches(*l))
                        })
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::W0410,
                    format!(
                        "{} grant `{}`: `{}` is owned jointly with {}, who do not join in licensing it exclusively",
                        g.grant.exclusivity.keyword(),
                        g.grant.id,
                        decl.name,
                        owners_text(ctx.model, &missing)
                    ),
                    g.grant.header,
                )
                .with_label(format!("{} license from one co-owner", g.grant.exclusivity.keyword()))
                .with_secondary(decl.span, "the co-owned asset")
                .with_note("in the US each co-owner may license non-exclusively on its own, but an exclusive license binds the other co-owners only if they join (35 U.S.C. § 262); in the UK a co-owner may not license at all without the others' consent (Patents Act 1977, s. 36), and in France an exclusive license needs every co-owner's consent (Code de la propriété intellectuelle, art. L613-29)")
                .with_help(format!(
                    "have {} grant the same license too (a parallel grant to the same licensee), or make the grant non-exclusive",
                    owners_text(ctx.model, &missing)
                )),
            );
        }
    }
}
