//! Rules about single clauses and agreements: empty or idle carve-outs (E0304, W0406),
//! improvement ownership (E0305), duplicate sunsets (E0306), grant-back policy
//! (W0401–W0403), reciprocity (W0404), redundancy (W0405), post-expiry royalties
//! (W0408) and grants that convey nothing under a patent asset (W0409).

use super::context::{Ctx, GrantInfo};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::PartyId;
use crate::scope::{describe_fields, time_contains};
use crate::vocab::{AgreementKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// E0304 and W0406: what each grant's `except` does.
pub fn carve_outs(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &ctx.grants {
        let gm = g.grant;
        if let Some(span) = gm.field_except {
            if !gm.field_include.is_empty() && gm.fields.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::E0304,
                        format!("the `except` leaves grant `{}` with no field of use", gm.id),
                        span,
                    )
                    .with_label("excludes every field the grant names")
                    .with_help("remove the `except`, or name a wider field before it"),
                );
            } else if !gm.field_exclude.is_empty()
                && gm.field_exclude.intersection(&gm.field_include).is_empty()
            {
                let ex = describe_fields(&ctx.model.fields, &gm.field_exclude).join(", ");
                out.push(
                    Diagnostic::new(
                        Code::W0406,
                        format!("the `except {ex}` removes nothing from grant `{}`", gm.id),
                        span,
                    )
                    .with_label("excluded fields are not in the grant's field")
                    .with_help("check the field path for a typo, or remove the `except`"),
                );
            }
        }
        if let Some(span) = gm.territory_except {
            if !gm.territory_include.is_empty() && gm.territory.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::E0304,
                        format!("the `except` leaves grant `{}` with no territory", gm.id),
                        span,
                    )
                    .with_label("excludes every country the grant names")
                    .with_help("remove the `except`, or name a wider territory before it"),
                );
            } else if !gm.territory_exclude.is_empty()
                && gm
                    .territory_exclude
                    .intersection(gm.territory_include)
                    .is_empty()
            {
                out.push(
                    Diagnostic::new(
                        Code::W0406,
                        format!(
                            "the `except {}` removes nothing from grant `{}`",
                            gm.territory_exclude.describe(),
                            gm.id
                        ),
                        span,
                    )
                    .with_label(format!(
                        "the grant's territory is {}",
                        gm.territory_include.describe()
                    ))
                    .with_help("check the country codes for a typo, or remove the `except`"),
                );
            }
        }
    }
}

/// E0305: improvement rules on one base asset must agree on who owns improvements.
pub fn improvement_owners(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<crate::model::AssetId, (ImprovementOwner, crate::source::Span)> =
        BTreeMap::new();
    for a in &ctx.model.agreements {
        for imp in &a.improvements {
            let (Some(owner), Some(span)) = (imp.owner, imp.owner_span) else {
                continue;
            };
            for asset in &imp.assets {
                match seen.get(asset) {
                    Some(&(first, first_span)) if first != owner => out.push(
                        Diagnostic::new(
                            Code::E0305,
                            format!(
                                "improvements on `{}` are owned by the {} here but by the {} elsewhere",
                                ctx.model.asset_name(*asset),
                                owner_word(owner),
                                owner_word(first)
                            ),
                            span,
                        )
                        .with_label(format!("owner {}", owner_word(owner)))
                        .with_secondary(first_span, format!("owner {}", owner_word(first)))
                        .with_help("state one ownership rule per base asset"),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(*asset, (owner, span));
                    }
                }
            }
        }
    }
}

fn owner_word(o: ImprovementOwner) -> &'static str {
    match o {
        ImprovementOwner::Improver => "improver",
        ImprovementOwner::BaseOwner => "base owner",
        ImprovementOwner::Joint => "parties jointly",
    }
}

/// E0306: at most one sunset clause per grant.
pub fn sunsets(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        let mut first: BTreeMap<usize, crate::source::Span> = BTreeMap::new();
        for s in &a.sunsets {
            let Some(g) = s.grant else { continue };
            if let Some(&f) = first.get(&g) {
                out.push(
                    Diagnostic::new(
                        Code::E0306,
                        format!("a second sunset clause for grant `{}`", s.grant_name),
                        s.header,
                    )
                    .with_label("second sunset")
                    .with_secondary(f, "first sunset clause for this grant")
                    .with_help("merge the two sunset clauses into one"),
                );
            } else {
                first.insert(g, s.header);
            }
        }
    }
}

/// W0401–W0403: grant-back policy.
pub fn grant_backs(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (ai, a) in ctx.model.agreements.iter().enumerate() {
        for imp in &a.improvements {
            for rule in imp
                .rules
                .iter()
                .filter(|r| r.direction == FlowDirection::GrantBack)
            {
                let which = format!(
                    "grant-back {} -> {}",
                    ctx.party(rule.from),
                    ctx.party(rule.to)
                );
                if rule.covers == Coverage::All {
                    out.push(
                        Diagnostic::new(Code::W0401, format!("{which} covers all improvements, including ones the licensee develops on its own"), rule.covers_span)
                            .with_label("`covers all`")
                            .with_note("a grant-back of independently developed improvements can be coercive and raise antitrust concerns")
                            .with_help("write `covers collaboration` to limit it to improvements made together"),
                    );
                }
                if rule.exclusivity == ExclusivityKind::Exclusive {
                    out.push(
                        Diagnostic::new(Code::W0402, format!("exclusive {which}"), rule.exclusivity_span)
                            .with_label("exclusive")
                            .with_note("exclusive grant-backs can discourage the licensee from innovating and are a known antitrust red flag")
                            .with_help("make the grant-back `non-exclusive`"),
                    );
                }
                // reach (issue 15, round 3): in a pool, the rule ends for improvements
                // made after either party leaves, as after its sunset.
                let leaves = ctx
                    .model
                    .flow_window(a.kind, rule.from, rule.to)
                    .and_then(|w| w.made_until);
                let end = match (rule.sunset, leaves) {
                    (Some(s), Some(l)) => Some(s.min(l)),
                    (s, l) => s.or(l),
                };
                let Some(sunset) = end else {
                    out.push(
                        Diagnostic::new(
                            Code::W0403,
                            format!("{which} without a sunset"),
                            rule.header,
                        )
                        .with_label("no end")
                        .with_help("add `sunset after N years` so the obligation ends"),
                    );
                    continue;
                };
                // The licenses this grant-back is tied to: base assets, from `to` to `from`.
                let tied: Vec<&GrantInfo<'_>> = ctx
                    .grants_by(ai, rule.to)
                    .filter(|g| g.reaches(rule.from))
                    .filter(|g| g.grant.assets.iter().any(|x| imp.assets.contains(x)))
                    .collect();
                if tied.is_empty() || tied.iter().any(|g| g.time.end.is_none()) {
                    continue;
                }
                let Some(latest) = tied.iter().filter_map(|g| g.time.end).max() else {
                    continue;
                };
                if sunset > latest {
                    let mut d = Diagnostic::new(
                        Code::W0403,
                        format!("{which} runs until {sunset}, after the license it is tied to ends on {latest}"),
                        rule.header,
                    )
                    .with_label("outlives its license")
                    .with_help("shorten `sunset after` so the grant-back ends with the license");
                    for g in tied.iter().take(3) {
                        d = d.with_secondary(g.grant.header, "the license");
                    }
                    out.push(d);
                }
            }
        }
    }
}

/// W0404: in a cross-license, every party grants something.
pub fn reciprocity(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in ctx
        .model
        .agreements
        .iter()
        .filter(|a| a.kind == AgreementKind::CrossLicense)
    {
        // A party's group: itself, or the party an affiliate belongs to.
        let group = |p: PartyId| ctx.model.party(p).and_then(|d| d.parent).unwrap_or(p);
        // A license within one group (a self-license, or to one's own affiliate) is
        // not a grant in return.
        let grantors: std::collections::BTreeSet<PartyId> = a
            .grants
            .iter()
            .filter(|g| {
                g.licensees.is_empty() || g.licensees.iter().any(|l| group(*l) != group(g.licensor))
            })
            .map(|g| group(g.licensor))
            .collect();
        for p in &a.parties {
            let Some(decl) = ctx.model.party(*p) else {
                continue;
            };
            if decl.parent.is_some() || grantors.contains(p) {
                continue;
            }
            out.push(
                Diagnostic::new(Code::W0404, format!("{} grants nothing in this cross-license", ctx.party(*p)), a.span)
                    .with_label("not reciprocal")
                    .with_secondary(decl.span, "the party")
                    .with_help("add a grant from this party, or write `kind license` if the agreement is a one-way license"),
            );
        }
    }
}

fn same_terms(x: &GrantInfo<'_>, y: &GrantInfo<'_>) -> bool {
    let (a, b) = (x.grant, y.grant);
    a.licensor == b.licensor
        && a.licensees == b.licensees
        && a.to_affiliates == b.to_affiliates
        && a.exclusivity == b.exclusivity
        && a.subject_to == b.subject_to
        && a.sublicense == b.sublicense
        && a.transfer == b.transfer
        && a.consideration == b.consideration
}

fn contained(inner: &GrantInfo<'_>, outer: &GrantInfo<'_>) -> bool {
    let (i, o) = (inner.grant, outer.grant);
    i.assets.iter().all(|a| o.assets.contains(a))
        && i.rights.0 & !o.rights.0 == 0
        && i.territory.is_subset(&o.territory)
        && i.fields.difference(&o.fields).is_empty()
        && time_contains(outer.time, inner.time)
        // Purpose is part of the scope (rights: issue 15).
        && o.purposes.covers(i.purposes)
}

/// How many earlier-starting grants with the same parties and terms W0405 compares a
/// grant with: enough for any real agreement, and it keeps the rule linear when a
/// generated file holds thousands of identical grants.
const REDUNDANCY_CANDIDATES: usize = 64;

/// W0405: a grant wholly inside another with the same parties and terms.
pub fn redundancy(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // Within one agreement (a later agreement restating a license is not redundant),
    // grouped by everything `same_terms` compares, so only true candidates meet: first
    // by the parties and terms that compare as written (a hash lookup per grant), then,
    // among grants that share those, by the payment terms as written (a rate of `1.5`
    // and one of `1.50` stay apart). A grant alone in its group has nothing to compare.
    type Terms<'m> = (
        crate::source::FileId,
        PartyId,
        &'m [PartyId],
        bool,
        ExclusivityKind,
        &'m [usize],
        crate::vocab::Sublicense,
        crate::vocab::Transfer,
    );
    let mut bucket_of: HashMap<Terms<'_>, usize> = HashMap::default();
    let mut buckets: Vec<Vec<usize>> = Vec::new();
    for (i, g) in ctx.grants.iter().enumerate() {
        let gm = g.grant;
        let key: Terms<'_> = (
            g.agreement.file,
            gm.licensor,
            &gm.licensees,
            gm.to_affiliates,
            gm.exclusivity,
            &gm.subject_to,
            gm.sublicense,
            gm.transfer,
        );
        let b = *bucket_of.entry(key).or_insert_with(|| {
            buckets.push(Vec::new());
            buckets.len() - 1
        });
        if let Some(bucket) = buckets.get_mut(b) {
            bucket.push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for bucket in buckets.into_iter().filter(|b| b.len() > 1) {
        let mut by_payment: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in bucket {
            if let Some(g) = ctx.grants.get(i) {
                let key = format!("{:?}", g.grant.consideration);
                by_payment.entry(key).or_default().push(i);
            }
        }
        groups.extend(by_payment.into_values());
    }
    for members in &groups {
        // Containers start no later than what they contain: sort by start, longest first.
        let mut sorted = members.clone();
        sorted.sort_by_key(|&i| {
            let t = ctx.grants.get(i).map(|g| g.time);
            (
                t.map(|t| t.start),
                std::cmp::Reverse(t.map(|t| t.end.is_none())),
                std::cmp::Reverse(t.and_then(|t| t.end)),
                i,
            )
        });
        for (k, &i) in sorted.iter().enumerate() {
            let Some(gi) = ctx.grants.get(i) else {
                continue;
            };
            let before = sorted
                .get(k.saturating_sub(REDUNDANCY_CANDIDATES)..k)
                .unwrap_or(&[]);
            let after = sorted
                .get(k + 1..)
                .unwrap_or(&[])
                .iter()
                .take(REDUNDANCY_CANDIDATES);
            for &j in before.iter().rev().chain(after) {
                let Some(gj) = ctx.grants.get(j) else {
                    continue;
                };
                if !same_terms(gi, gj) || !contained(gi, gj) {
                    continue;
                }
                // Identical grants: report only the later one in the source.
                if contained(gj, gi) && gj.grant.header > gi.grant.header {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Code::W0405,
                        format!(
                            "grant `{}` is wholly contained in grant {}",
                            gi.grant.id,
                            gj.name_against(gi)
                        ),
                        gi.grant.header,
                    )
                    .with_label("redundant")
                    .with_secondary(
                        gj.grant.header,
                        "already grants all of it, on the same terms",
                    )
                    .with_help(format!(
                        "remove `{}`, or change its terms if it was meant to differ",
                        gi.grant.id
                    )),
                );
                break;
            }
        }
    }
}

/// E0101: a name after `subject to` that is neither a reservation of the agreement nor
/// a grant (of this agreement, or the one grant of that id in the others).
pub fn subject_to_names(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for u in &ctx.ledger.unbound {
        let Some(g) = ctx.grant(u.grant) else {
            continue;
        };
        let mut candidates: Vec<&str> = g
            .agreement
            .reservations
            .iter()
            .filter_map(|r| r.name.as_deref())
            .collect();
        candidates.extend(ctx.grants.iter().map(|x| x.grant.id.as_str()));
        let ambiguous: Vec<&GrantInfo<'_>> = ctx
            .grants
            .iter()
            .filter(|x| x.grant.id == u.name && x.index != u.grant)
            .collect();
        let mut d = crate::diagnostics::unknown_name(
            "reservation or grant",
            &u.name,
            u.span,
            candidates,
            None,
        );
        if ambiguous.len() > 1 {
            d = Diagnostic::new(
                Code::E0101,
                format!(
                    "grant `{}`: `{}` names a grant in {} other agreements",
                    g.grant.id,
                    u.name,
                    ambiguous.len()
                ),
                u.span,
            )
            .with_label("ambiguous")
            .with_help("name a grant of this agreement, or give the earlier license a unique id");
            for x in ambiguous.iter().take(3) {
                d = d.with_secondary(
                    x.grant.header,
                    format!("a grant `{}` in \"{}\"", u.name, x.agreement.title),
                );
            }
        } else if ambiguous.is_empty() && g.grant.id == u.name {
            d = Diagnostic::new(
                Code::E0101,
                format!("grant `{}` is made subject to itself", g.grant.id),
                u.span,
            )
            .with_label("the grant's own id")
            .with_help("name the reservation or the earlier license the exclusivity is subject to");
        }
        out.push(d);
    }
}
