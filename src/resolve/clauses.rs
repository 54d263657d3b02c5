//! Lowering one file's agreement and its clauses: grants, reservations, improvements
//! and sunsets, with defaults applied and names bound.

use super::values;
use super::{all_fields, fields, territory, Ctx};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Family, Fix};
use crate::driver::ParsedFile;
use crate::model::{
    AgreementModel, AssetId, FlowModel, GrantModel, ImprovementsModel, Interval, PartyId,
    RenewalModel, ReservationModel, RightSet, SunsetModel, TermModel, TriggerModel,
};
use crate::source::Span;
use crate::syntax::ast::{
    self, AgreementKind, Coverage, ExclusivityKind, Item, Licensee, Sublicense, TermEnd, TermSpec,
};
use crate::territory::TerritorySet;
use crate::vocab::{AssetKind, FlowDirection};
use foldhash::HashMap;
use std::collections::hash_map::Entry;

/// Lowers the file's agreement, if it has one; clauses without one are E0012.
pub(super) fn agreement(
    ctx: &Ctx<'_>,
    file: &mut ParsedFile,
    reuse: Option<&mut super::reuse::Session<'_>>,
    free_grants: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<AgreementModel> {
    let mut blocks = file.ast.items().filter_map(|i| match i {
        Item::Agreement(a) => Some(a),
        _ => None,
    });
    let first = blocks.next();
    for extra in blocks {
        let mut d = Diagnostic::new(Code::E0013, "a file holds at most one agreement", extra.title.span)
            .with_label("second agreement")
            .with_help("move this agreement into a file of its own; shared parties and assets can live in a file both import");
        if let Some(f) = first {
            d = d.with_secondary(f.title.span, "first agreement");
        }
        diags.push(d);
    }
    let Some(block) = first else {
        let clause = file.ast.items().find_map(|i| match i {
            Item::Grant(g) => Some(("grant", g.header)),
            Item::Reserve(r) => Some(("reservation", r.header)),
            Item::Improvements(x) => Some(("improvements clause", x.header)),
            Item::Sunset(s) => Some(("sunset clause", s.header)),
            Item::Obligation(o) => Some(super::obligations::orphan(o)),
            Item::FirstRight(f) => Some(("first right", f.header)),
            Item::Payment(p) => Some(("payment", p.header)),
            _ => None,
        });
        if let Some((what, span)) = clause {
            diags.push(
                Diagnostic::new(Code::E0012, format!("this {what} belongs to no agreement"), span)
                    .with_label("no `agreement` block in this file")
                    .with_help("add `agreement \"Title\" { effective 2026-01-01 }` to the file; grants, reservations, improvements and sunsets belong to the agreement of their file"),
            );
            bind_orphans(ctx, file);
        }
        return None;
    };

    let effective = block
        .effective
        .as_ref()
        .and_then(|d| values::date(d, diags));
    let term = effective.and_then(|start| agreement_term(start, block.term.as_ref(), diags));
    let release_from = block
        .release_from
        .as_ref()
        .and_then(|d| release_from(d, effective, diags));
    let kind = block
        .kind
        .as_ref()
        .map(|k| k.node)
        .unwrap_or(AgreementKind::CrossLicense);

    let mut a = AgreementModel {
        file: ctx.file,
        title: block.title.value.clone(),
        kind,
        effective,
        release_from,
        term,
        term_until_expiry: matches!(
            block.term.as_ref().map(|t| &t.end),
            Some(TermEnd::UntilExpiry(_))
        ),
        governing_law: block.governing_law.as_ref().map(|s| s.value.clone()),
        parties: Vec::new(),
        contracting: Vec::new(),
        notes: block.notes.iter().map(|n| n.value.clone()).collect(),
        grants: Vec::new(),
        reservations: Vec::new(),
        improvements: Vec::new(),
        sunsets: Vec::new(),
        definitions: super::obligations::definitions(block),
        obligations: Vec::new(),
        first_rights: Vec::new(),
        payments: Vec::new(),
        id: block.id.as_ref().map(|i| i.name.to_string()),
        header: Span {
            end: block.title.span.end.max(block.span.start),
            ..block.span
        },
        term_span: block.term.as_ref().map(|t| t.span),
        span: block.span,
    };

    // The parties of the agreement: listed, or named in a clause (quietly: unknown names
    // are reported where the clause is lowered).
    let listed: Vec<PartyId> = block
        .parties
        .iter()
        .filter_map(|p| ctx.scope.party(p, diags))
        .collect();
    let mut parties = listed.clone();
    for item in file.ast.items() {
        match item {
            Item::Grant(g) => {
                parties.extend(ctx.scope.parties.get(&g.licensor.name));
                if let Licensee::Party(p) = &g.licensee {
                    parties.extend(ctx.scope.parties.get(&p.name));
                }
            }
            Item::Reserve(r) => parties.extend(
                r.holder
                    .as_ref()
                    .and_then(|h| ctx.scope.parties.get(&h.name)),
            ),
            // clauses (issue 15): a first right's holder
            Item::FirstRight(f) => parties.extend(ctx.scope.parties.get(&f.holder.name)),
            Item::Improvements(imp) => {
                for rule in &imp.rules {
                    parties.extend(ctx.scope.parties.get(&rule.from.name));
                    parties.extend(ctx.scope.parties.get(&rule.to.name));
                }
            }
            _ => {}
        }
    }
    parties.sort();
    parties.dedup();
    a.parties = parties;

    // Clause ids: grants and named reservations share one namespace per agreement.
    // (Only looked up, never listed: a hash map.)
    let mut ids: HashMap<String, Span> = HashMap::default();
    let mut claim =
        |name: &ast::Ident, diags: &mut Vec<Diagnostic>| match ids.entry(name.name.to_string()) {
            Entry::Occupied(first) => diags.push(super::scope::duplicate(
                "clause",
                &name.name,
                *first.get(),
                name.span,
            )),
            Entry::Vacant(slot) => {
                slot.insert(name.span);
            }
        };

    for item in file.ast.items() {
        if let Item::Reserve(r) = item {
            if let Some(n) = &r.name {
                claim(n, diags);
            }
            a.reservations.extend(reservation(ctx, &a, r, diags));
        }
    }
    // issue 16 item 6: the grants whose text did not change since the last analysis
    // are taken from it (see `reuse`).
    let mut kept = reuse.map(|r| r.file(ctx.file, &a));
    // Room for exactly the grants written (issue 19): a vector of thousands of grants
    // grown by doubling is copied each time and ends up to twice the size it needs.
    let written = file
        .ast
        .items()
        .filter(|i| matches!(i, Item::Grant(_)))
        .count();
    a.grants.reserve_exact(written);
    // issue 19: a caller that reads no tree afterwards has each grant's tree freed as
    // soon as it is lowered (never a tree an editor's cache shares: `get_mut` is `None`
    // then). The grant's place is left to an `Error` item, which nothing after this
    // loop reads; later clauses name grants through the model.
    let gone = free_grants.then(|| std::sync::Arc::new(Item::Error(Span::default())));
    for index in 0..file.ast.items.len() {
        let Some(Item::Grant(g)) = file.ast.items.get(index).map(|i| &**i) else {
            continue;
        };
        claim(&g.name, diags);
        let lowered = match kept.as_mut() {
            Some(k) => k.grant(ctx.scope.budget, ctx.scope.record, g, diags, |d| {
                grant(ctx, &a, g, d)
            }),
            None => grant(ctx, &a, g, diags),
        };
        a.grants.extend(lowered);
        if let Some(gone) = &gone {
            let item = std::sync::Arc::get_mut(&mut file.ast).and_then(|t| t.items.get_mut(index));
            if let Some(item) = item {
                *item = std::sync::Arc::clone(gone);
            }
        }
    }
    drop(kept);
    // clauses (issue 15): rights of first refusal and negotiation share the clause ids.
    for item in file.ast.items() {
        if let Item::FirstRight(f) = item {
            claim(&f.name, diags);
            a.first_rights
                .extend(super::first::lower(ctx, &a, f, diags));
        }
    }
    // clauses (issue 15, round 4): agreement-level payments share the clause ids; they
    // do not add parties (E0325 names a payer or payee the agreement does not).
    for item in file.ast.items() {
        if let Item::Payment(p) = item {
            claim(&p.name, diags);
            a.payments.extend(super::payments::lower(ctx, &a, p, diags));
        }
    }
    // Sunsets name their grant: look it up once per agreement, not per clause.
    let mut grant_index: HashMap<String, usize> = HashMap::default();
    for (i, g) in a.grants.iter().enumerate() {
        grant_index.entry(g.id.clone()).or_insert(i);
    }
    for item in file.ast.items() {
        match item {
            Item::Improvements(imp) => {
                let m = improvements(ctx, &a, imp, diags);
                a.improvements.push(m);
            }
            Item::Sunset(s) => {
                let m = sunset(ctx, &a, &grant_index, s, diags);
                a.sunsets.push(m);
            }
            _ => {}
        }
    }
    super::obligations::lower(ctx, file.ast.items(), &mut a, diags);
    a.contracting = a.contracting_parties(ctx.model, &listed);
    Some(a)
}

fn agreement_term(
    start: Date,
    spec: Option<&TermSpec>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Interval> {
    let Some(spec) = spec else {
        return Some(Interval { start, end: None });
    };
    if let Some(s) = &spec.start {
        diags.push(
            Diagnostic::new(Code::E0004, "the agreement's term starts on its `effective` date", s.span)
                .with_label("a start date is not allowed here")
                .with_help("write `term until DATE`, `term N years` or `term perpetual`, and set the start with `effective`"),
        );
    }
    let end = match &spec.end {
        TermEnd::Until(d) => Some(values::date(d, diags)?),
        TermEnd::For(d) => {
            let dur = values::duration(d, diags)?;
            Some(values::add(start, dur, d.span, diags)?)
        }
        TermEnd::Perpetual(_) | TermEnd::UntilExpiry(_) => None,
    };
    if let Some(e) = end {
        if !values::interval(start, e, spec.span, "agreement's term", diags) {
            return None;
        }
    }
    Some(Interval { start, end })
}

/// `release from DATE`: the date must come before the agreement is effective (E0202:
/// the released period up to the effective date would be empty or inverted).
fn release_from(
    d: &ast::DateLit,
    effective: Option<Date>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let date = values::date(d, diags)?;
    let Some(effective) = effective else {
        return Some(date);
    };
    if date < effective {
        return Some(date);
    }
    let message = if date == effective {
        format!(
            "the release period is empty: `release from {date}` is the agreement's effective date"
        )
    } else {
        format!("`release from {date}` is after the agreement is effective on {effective}")
    };
    diags.push(
        Diagnostic::new(Code::E0202, message, d.span)
            .with_label("not before the effective date")
            .with_help(format!("a release reaches back before the agreement: write a date before {effective}, or remove `release from` when the licenses start on the effective date")),
    );
    None
}

/// A clause's term; `None` only when it could not be computed (already reported).
pub(super) fn clause_term(
    a: &AgreementModel,
    spec: Option<&TermSpec>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<TermModel> {
    let Some(spec) = spec else {
        return a.term.map(TermModel::Dates);
    };
    let start = match &spec.start {
        Some(d) => values::date(d, diags)?,
        None => a.effective?,
    };
    let end = match &spec.end {
        TermEnd::Until(d) => Some(values::date(d, diags)?),
        TermEnd::For(d) => {
            let dur = values::duration(d, diags)?;
            Some(values::add(start, dur, d.span, diags)?)
        }
        TermEnd::Perpetual(_) => None,
        TermEnd::UntilExpiry(_) => return Some(TermModel::UntilExpiry { start }),
    };
    if let Some(e) = end {
        if !values::interval(start, e, spec.span, what, diags) {
            return None;
        }
    }
    Some(TermModel::Dates(Interval { start, end }))
}

/// E0203: a grant's term must not start before the agreement is effective, or before
/// its `release from` date when it has one.
fn within_agreement(a: &AgreementModel, term: &TermModel, span: Span, diags: &mut Vec<Diagnostic>) {
    let Some(window) = a.window() else { return };
    let start = term.start();
    if start >= window.start {
        return;
    }
    let d = match a.release_from {
        Some(release) => Diagnostic::new(
            Code::E0203,
            format!("the grant starts on {start}, before the agreement's release date {release}"),
            span,
        )
        .with_help(format!("start the grant on or after {release}, or move the agreement's `release from` back to {start} if the release is meant to reach that far")),
        None => Diagnostic::new(
            Code::E0203,
            format!(
                "the grant starts on {start}, before the agreement is effective on {}",
                window.start
            ),
            span,
        )
        .with_help(format!("start the grant on or after {}, or add `release from {start}` to the agreement if it licenses (releases) acts done before it is effective", window.start)),
    };
    diags.push(
        d.with_label("starts too early")
            .with_secondary(a.span, "the agreement"),
    );
    // Whether the grant ends within the agreement is judged by the checker, which
    // knows whether the license survives it.
}

/// A grant's rights: those listed, else the union of the default rights of its assets'
/// kinds (a grant of patents and know-how grants all ten, so that the know-how keeps
/// its rights); all ten when no asset resolved.
fn rights(
    spec: Option<&ast::Spanned<Vec<ast::Spanned<ast::Right>>>>,
    kinds: impl IntoIterator<Item = AssetKind>,
) -> RightSet {
    match spec {
        Some(list) => RightSet::of(list.node.iter().map(|r| r.node)),
        None => {
            let union = kinds
                .into_iter()
                .map(RightSet::conferred_by)
                .fold(RightSet::default(), RightSet::union);
            if union.is_empty() {
                RightSet::all()
            } else {
                union
            }
        }
    }
}

fn grant(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    g: &ast::Grant,
    diags: &mut Vec<Diagnostic>,
) -> Option<GrantModel> {
    let from = diags.len();
    let out = grant_clause(ctx, a, g, diags);
    name_clause(diags, from, &format!("grant `{}`", g.name.name));
    out
}

/// Prefixes the messages of the value diagnostics (E02xx) added since `from` with the
/// clause they were found in, so that each names its clause ("grant `g`: the cap of …").
fn name_clause(diags: &mut [Diagnostic], from: usize, clause: &str) {
    for d in diags.iter_mut().skip(from) {
        // terms (issue 15): W0431 and W0432 are found with a royalty's values too.
        let values =
            d.code.family() == Family::Values || matches!(d.code, Code::W0431 | Code::W0432);
        if values && !d.message.starts_with(clause) {
            d.message = format!("{clause}: {}", d.message);
        }
    }
}

fn grant_clause(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    g: &ast::Grant,
    diags: &mut Vec<Diagnostic>,
) -> Option<GrantModel> {
    let licensor = ctx.scope.party(&g.licensor, diags);
    let (licensees, to_members) = match &g.licensee {
        Licensee::Party(p) => (
            ctx.scope.party(p, diags).into_iter().collect::<Vec<_>>(),
            false,
        ),
        Licensee::Members(span) => {
            if a.kind != AgreementKind::Pool {
                diags.push(
                    Diagnostic::new(Code::E0101, "`members` names the other parties of a pool, and this agreement is not a pool", *span)
                        .with_label("not a pool")
                        .with_help("add `kind pool` to the agreement, or name the licensee"),
                );
            }
            let others: Vec<PartyId> = a
                .parties
                .iter()
                .copied()
                .filter(|p| {
                    Some(*p) != licensor && ctx.model.party(*p).is_some_and(|d| d.parent.is_none())
                })
                .collect();
            (others, true)
        }
    };
    let assets: Vec<AssetId> = g
        .assets
        .iter()
        .filter_map(|x| ctx.scope.asset(x, diags))
        .collect();
    let rights = rights(
        g.rights.as_ref(),
        assets
            .iter()
            .filter_map(|id| ctx.model.asset(*id).map(|d| d.kind)),
    );
    let (fields, field_include, field_exclude) = match &g.field {
        Some(f) => fields(ctx, f, diags),
        None => Default::default(),
    };
    let (territory, territory_include, territory_exclude) = match &g.territory {
        Some(t) => territory(ctx, t, diags),
        None => Default::default(),
    };
    let most_favoured_scope = g
        .pools
        .as_ref()
        .and_then(|p| p.most_favoured_scope.as_deref())
        .map(|m| most_favoured_scope(ctx, g, m, (&fields, territory), diags));
    let term = clause_term(a, g.term.as_ref(), "grant's term", diags);
    if let Some(t) = &term {
        within_agreement(
            a,
            t,
            g.term.as_ref().map(|t| t.span).unwrap_or(g.header),
            diags,
        );
    }
    let exclusivity = g
        .exclusivity
        .as_ref()
        .map(|e| e.kind)
        .unwrap_or(ExclusivityKind::NonExclusive);
    let mut subject_to = Vec::new();
    let mut subject_to_unresolved = false;
    let mut subject_to_grants = Vec::new();
    if let Some(e) = &g.exclusivity {
        for name in &e.subject_to {
            match a
                .reservations
                .iter()
                .position(|r| r.name.as_deref() == Some(name.name.as_str()))
            {
                Some(i) => {
                    if let Some(r) = a.reservations.get(i) {
                        ctx.scope.record.bind(
                            name.span,
                            super::bindings::DeclKind::Reservation,
                            r.span,
                        );
                    }
                    let holder = a.reservations.get(i).and_then(|r| r.holder);
                    if let (Some(h), Some(l)) = (holder, licensor) {
                        // Rights retained by the licensor or one of its affiliates.
                        let affiliate = ctx.model.party(h).and_then(|p| p.parent) == Some(l);
                        if h != l && !affiliate {
                            subject_to_unresolved = true;
                            diags.push(
                                Diagnostic::new(
                                    Code::E0101,
                                    format!("`{}` records rights retained by `{}`, not by the licensor `{}` or its affiliates", name.name, ctx.model.party_name(h), ctx.model.party_name(l)),
                                    name.span,
                                )
                                .with_label("not the licensor's reservation")
                                .with_help("`exclusive subject to` carves out rights the licensor keeps: name a `reserve … for` clause held by the licensor or its affiliate"),
                            );
                        }
                    }
                    if a.reservations.get(i).is_some_and(|r| r.holder.is_none()) {
                        diags.push(
                            Diagnostic::new(Code::E0101, format!("`{}` is a hard reservation, not rights retained by the licensor", name.name), name.span)
                                .with_label("`exclusive subject to` names a `reserve … for` clause or an earlier grant")
                                .with_help(format!("write the reservation as `reserve {}: ASSET for LICENSOR {{ .. }}`", name.name)),
                        );
                    }
                    subject_to.push(i);
                }
                // Not a reservation: an earlier license, bound by the rights ledger
                // (which reports a name that is neither).
                None => subject_to_grants.push((name.name.to_string(), name.span)),
            }
        }
    }
    let start = term.as_ref().map(TermModel::start).or(a.effective);
    let consideration = values::consideration(&g.consideration, start, diags);
    values::royalty_steps(&g.consideration, start, diags);
    let purposes = values::purposes(g.purpose.as_deref(), diags);
    // A release covers the acts done before its date, however long ago.
    let release = g
        .release
        .as_ref()
        .and_then(|r| r.before.as_ref())
        .and_then(|d| values::date(d, diags));
    let commitments = super::commitments::lower(ctx, g, &licensees, term.as_ref(), diags);
    let (diligence, converts) = super::diligence::lower(ctx, g, term.as_ref(), &commitments, diags);
    let licensor = licensor?;
    // A term that could not be computed (already reported) is taken as the default,
    // the agreement's own, so later rules do not report it again.
    let term = term.unwrap_or(TermModel::Dates(a.term.unwrap_or(Interval {
        start: a.effective.unwrap_or(Date::MIN),
        end: None,
    })));
    let term = match release {
        Some(before) => TermModel::Dates(Interval {
            start: Date::MIN,
            end: Some(before),
        }),
        None => term,
    };
    Some(GrantModel {
        id: g.name.name.to_string(),
        label: g.label.as_ref().map(|l| l.value.clone()),
        licensor,
        licensees,
        to_members,
        to_affiliates: g.to_affiliates.is_some(),
        assets,
        rights,
        field_include,
        field_exclude,
        fields,
        territory_include,
        territory_exclude,
        territory,
        field_except: g.field.as_ref().and_then(|f| f.except_span),
        territory_except: g.territory.as_ref().and_then(|t| t.except_span),
        term,
        term_span: g.term.as_ref().map(|t| t.span).unwrap_or(g.header),
        exclusivity,
        purposes,
        covenant: g.covenant.is_some(),
        release,
        to_customers: g
            .covenant
            .as_ref()
            .is_some_and(|c| c.to_customers.is_some()),
        subject_to,
        subject_to_unresolved,
        subject_to_grants,
        sublicense: g
            .sublicense
            .as_ref()
            .map(|s| s.node)
            .unwrap_or(Sublicense::None),
        transfer: g.transfer.as_ref().map(|t| t.node).unwrap_or_default(),
        consideration,
        notes: g.notes.iter().map(|n| n.value.clone()).collect(),
        diligence,
        converts,
        standard: g
            .pools
            .as_ref()
            .and_then(|p| p.standard.as_ref())
            .and_then(|s| super::standards::standard(ctx.model, ctx.scope.record, s, diags)),
        most_favoured: g.pools.as_ref().and_then(|p| p.most_favoured),
        most_favoured_scope,
        commitments,
        header: g.header,
        span: g.span,
    })
}

fn reservation(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    r: &ast::Reserve,
    diags: &mut Vec<Diagnostic>,
) -> Option<ReservationModel> {
    let assets = r
        .assets
        .iter()
        .filter_map(|x| ctx.scope.asset(x, diags))
        .collect();
    // An unknown holder leaves the clause out of the model, but its other names are
    // still bound (and reported) first.
    let holder = r.holder.as_ref().map(|h| ctx.scope.party(h, diags));
    let (fields, all, territory) = block_scope(ctx, &r.scope, diags);
    let holder = match holder {
        Some(h) => Some(h?),
        None => None,
    };
    let term = match clause_term(a, r.scope.term.as_ref(), "reservation's term", diags)? {
        TermModel::Dates(i) => i,
        TermModel::UntilExpiry { start } => Interval { start, end: None },
    };
    Some(ReservationModel {
        name: r.name.as_ref().map(|n| n.name.to_string()),
        assets,
        holder,
        // A reservation keeps every right of what it reserves unless it lists some.
        rights: rights(r.scope.rights.as_ref(), std::iter::empty()),
        fields,
        all_fields: all,
        territory,
        term,
        purposes: values::purposes(r.scope.purpose.as_ref(), diags),
        header: r.header,
        span: r.span,
    })
}

/// The fields of a reservation's or (clauses, issue 15) a first right's scope block,
/// whether it names none (every field), and its territory (worldwide by default).
pub(super) fn block_scope(
    ctx: &Ctx<'_>,
    scope: &ast::ScopeBlock,
    diags: &mut Vec<Diagnostic>,
) -> (crate::model::FieldSet, bool, TerritorySet) {
    let (fields, all) = match &scope.field {
        Some(f) if f.all && f.exclude.is_empty() => (all_fields(ctx), true),
        Some(f) => (fields(ctx, f, diags).0, false),
        None => (all_fields(ctx), true),
    };
    let territory = match &scope.territory {
        Some(t) => territory(ctx, t, diags).0,
        None => TerritorySet::worldwide(),
    };
    (fields, all, territory)
}

fn improvements(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    imp: &ast::Improvements,
    diags: &mut Vec<Diagnostic>,
) -> ImprovementsModel {
    let assets: Vec<AssetId> = imp
        .assets
        .iter()
        .filter_map(|x| ctx.scope.asset(x, diags))
        .collect();
    let mut rules = Vec::new();
    for rule in &imp.rules {
        let froms = flow_parties(ctx, a, &assets, &rule.from, diags);
        let tos = flow_parties(ctx, a, &assets, &rule.to, diags);
        let first = diags.len();
        let consideration = values::consideration(&rule.consideration, a.effective, diags);
        values::royalty_steps(&rule.consideration, a.effective, diags);
        let sunset = rule.sunset.as_ref().and_then(|d| {
            let dur = values::duration(d, diags)?;
            values::add(a.effective?, dur, d.span, diags)
        });
        let word = match rule.direction {
            FlowDirection::GrantBack => "grant-back",
            FlowDirection::LicenseForward => "license-forward",
        };
        name_clause(
            diags,
            first,
            &format!("{word} `{}` -> `{}`", rule.from.name, rule.to.name),
        );
        // `members` and `owner` expand to one rule per pair of distinct parties.
        let pairs = froms
            .iter()
            .flat_map(|f| tos.iter().map(move |t| (*f, *t)))
            .filter(|(f, t)| f != t || froms.len() == 1 && tos.len() == 1)
            // reach (issue 15, round 3): in a pool, a pair `members` or `owner` stands
            // for is left out when the two are never members on the same day before
            // the sunset (a rule naming both parties is kept: W0419 says why it is idle).
            .filter(|&(f, t)| {
                let named = is_party_name(&rule.from) && is_party_name(&rule.to);
                named
                    || ctx
                        .model
                        .flow_window(a.kind, f, t)
                        .is_none_or(|w| !w.is_void(sunset))
            });
        for (from, to) in pairs {
            rules.push(FlowModel {
                direction: rule.direction,
                covers_span: rule.covers.as_ref().map(|c| c.span).unwrap_or(rule.header),
                exclusivity_span: rule
                    .exclusivity
                    .as_ref()
                    .map(|e| e.span)
                    .unwrap_or(rule.header),
                from,
                to,
                covers: rule
                    .covers
                    .as_ref()
                    .map(|c| c.node)
                    .unwrap_or(Coverage::Collaboration),
                exclusivity: rule
                    .exclusivity
                    .as_ref()
                    .map(|e| e.kind)
                    .unwrap_or(ExclusivityKind::NonExclusive),
                consideration: consideration.clone(),
                sunset,
                consent_required: rule.consent.as_ref().map(|c| c.node),
                header: rule.header,
                span: rule.span,
            });
        }
    }
    ImprovementsModel {
        assets,
        owner: imp.owner.as_ref().map(|o| o.node),
        owner_span: imp.owner.as_ref().map(|o| o.span),
        rules,
        header: imp.header,
        span: imp.span,
    }
}

fn sunset(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    grant_index: &HashMap<String, usize>,
    s: &ast::Sunset,
    diags: &mut Vec<Diagnostic>,
) -> SunsetModel {
    let grant = grant_index.get(s.grant.name.as_str()).copied();
    if let Some(g) = grant.and_then(|i| a.grants.get(i)) {
        ctx.scope
            .record
            .bind(s.grant.span, super::bindings::DeclKind::Grant, g.span);
    }
    if grant.is_none() {
        let names: Vec<&str> = if ctx.scope.budget.take(a.grants.len()) {
            a.grants.iter().map(|g| g.id.as_str()).collect()
        } else {
            Vec::new()
        };
        let mut d = Diagnostic::new(
            Code::E0306,
            format!(
                "sunset clause for `{}`, which is not a grant of this agreement",
                s.grant.name
            ),
            s.grant.span,
        )
        .with_label("no grant of this name");
        d = match crate::iso::closest(&s.grant.name, names.iter().copied()) {
            Some(n) => d
                .with_help(format!("did you mean `{n}`?"))
                .with_fixes(Fix::replace_name(s.grant.span, &s.grant.name, n)),
            None => d.with_help("name the grant whose end this clause governs"),
        };
        diags.push(d);
    }
    let mut renewals = Vec::new();
    for r in &s.renewals {
        let Some(period) = values::duration(&r.period, diags) else {
            continue;
        };
        let max_times = r.max_times.as_ref().and_then(|n| {
            let v = n.value?;
            let ok = v.fract().is_zero() && v > rust_decimal::Decimal::ZERO;
            if !ok {
                diags.push(
                    Diagnostic::new(
                        Code::E0008,
                        format!("`{}` is not a whole number of renewals", n.text),
                        n.span,
                    )
                    .with_label("expected a positive whole number")
                    .with_help("write e.g. `at most 3 times`"),
                );
                return None;
            }
            if v > rust_decimal::Decimal::from(values::MAX_DURATION) {
                // Not silently unlimited: a count this large is a typo.
                diags.push(
                    Diagnostic::new(
                        Code::E0204,
                        format!("`{}` renewals are more than xlic accepts", n.text),
                        n.span,
                    )
                    .with_label(format!("at most {} renewals", values::MAX_DURATION))
                    .with_help("leave out `at most … times` for renewals without a limit"),
                );
                return None;
            }
            u32::try_from(v.trunc().mantissa()).ok()
        });
        // A count that was written but is not valid (reported above) must not turn
        // into renewals without a limit: leave the option out.
        if r.max_times.is_some() && max_times.is_none() {
            continue;
        }
        let notice = r.notice.as_ref().and_then(|d| values::duration(d, diags));
        renewals.push(RenewalModel {
            automatic: r.automatic,
            period,
            max_times,
            notice,
            span: r.span,
        });
    }
    let renegotiate_notice = s
        .renegotiations
        .iter()
        .map(|r| r.notice.as_ref().and_then(|d| values::duration(d, diags)))
        .collect();
    let renegotiate_every = s
        .renegotiations
        .iter()
        .filter_map(|r| values::duration(&r.every, diags))
        .collect();
    let wind_down = s
        .wind_down
        .as_ref()
        .and_then(|d| values::duration(d, diags));
    let licensed = grant.and_then(|i| a.grants.get(i));
    let terminations = s
        .terminations
        .iter()
        .map(|t| trigger(ctx, licensed, t, diags))
        .collect();
    SunsetModel {
        grant,
        grant_name: s.grant.name.to_string(),
        renewals,
        renegotiate_every,
        renegotiate_notice,
        wind_down,
        wind_down_span: s.wind_down.as_ref().map(|d| d.span),
        terminations,
        survives: s.survives.iter().map(|w| w.name.to_string()).collect(),
        header: s.header,
        span: s.span,
    }
}

// ---------------------------------------------------------------- who may terminate

/// Lowers one termination trigger: the event's words, the party that may invoke it
/// (`by P`) and the party whose event counts (a final `of P` naming a party).
fn trigger(
    ctx: &Ctx<'_>,
    grant: Option<&GrantModel>,
    t: &ast::Trigger,
    diags: &mut Vec<Diagnostic>,
) -> TriggerModel {
    let by = t.by.as_ref().and_then(|p| ctx.scope.party(p, diags));
    let mut words: &[ast::Ident] = &t.words;
    let mut of = None;
    let mut of_span = None;
    // `change of control of globex`: the last `of` followed by one word that is a
    // party. A word after it that is not a party but reads like a misspelt one is
    // E0101; any other word stays part of the event (`change of control`).
    if let [event @ .., of_word, subject] = words {
        if !event.is_empty() && of_word.name == "of" {
            if let Some(p) = ctx.scope.parties.bind(subject) {
                of = Some(p);
                of_span = Some(subject.span);
                words = event;
            } else {
                let names = ctx.scope.parties.suggestions();
                if crate::iso::closest(&subject.name, names.iter().copied()).is_some() {
                    diags.push(super::scope::unknown("party", subject, names, None));
                    words = event;
                }
            }
        }
    }
    let event: Vec<&str> = words.iter().map(|w| w.name.as_str()).collect();
    let event = event.join(" ");
    // Only `by` written: the event is the other side's, when that is one party.
    if of.is_none() && event != "convenience" {
        if let (Some(p), Some(g)) = (by, grant) {
            of = other_side(ctx.model, g, p);
        }
    }
    TriggerModel {
        event,
        by,
        of,
        by_span: t.by.as_ref().map(|p| p.span),
        of_span,
        cure: t.cure.as_ref().and_then(|d| values::duration(d, diags)),
        notice: t.notice.as_ref().and_then(|d| values::duration(d, diags)),
        span: t.span,
    }
}

/// The one party on the other side of a license from `p` (licensor or licensee, or
/// an affiliate of one), if there is exactly one.
fn other_side(model: &crate::model::Model, g: &GrantModel, p: PartyId) -> Option<PartyId> {
    let is = |q: PartyId| q == p || model.party(p).and_then(|d| d.parent) == Some(q);
    if is(g.licensor) {
        match g.licensees.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    } else if g.licensees.iter().any(|&q| is(q)) {
        Some(g.licensor)
    } else {
        None
    }
}

// ---------------------------------------------------------------- pools: `members` rules

/// Whether one side of an improvement rule names a party (not `members` or `owner`).
fn is_party_name(who: &ast::Ident) -> bool {
    !matches!(who.name.as_str(), "members" | "owner")
}

/// The parties one side of an improvement rule names: a party, `members` (every
/// member of a pool: the parties of the agreement, not their affiliates) or `owner`
/// (the owners of the base assets).
fn flow_parties(
    ctx: &Ctx<'_>,
    a: &AgreementModel,
    assets: &[AssetId],
    who: &ast::Ident,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PartyId> {
    match who.name.as_str() {
        "members" => {
            if a.kind != AgreementKind::Pool {
                diags.push(
                    Diagnostic::new(
                        Code::E0101,
                        "`members` names the parties of a pool, and this agreement is not a pool",
                        who.span,
                    )
                    .with_label("not a pool")
                    .with_help("add `kind pool` to the agreement, or name the party"),
                );
                return Vec::new();
            }
            a.parties
                .iter()
                .copied()
                .filter(|p| ctx.model.party(*p).is_some_and(|d| d.parent.is_none()))
                .collect()
        }
        "owner" => {
            let mut owners: Vec<PartyId> = assets
                .iter()
                .filter_map(|x| ctx.model.asset(*x))
                .flat_map(|d| d.owners.iter().copied())
                .collect();
            owners.sort();
            owners.dedup();
            owners
        }
        _ => ctx.scope.party(who, diags).into_iter().collect(),
    }
}

// ---------------------------------------------------------------- clauses without an agreement

/// Binds the names of clauses that belong to no agreement (E0012): they are not
/// lowered, but an editor still navigates them, so their names are looked up as the
/// lowering would, with what the look-ups report set aside (E0012 says what is wrong).
/// A sunset's grant and a `subject to` name bind to the clause of that id in the file.
fn bind_orphans(ctx: &Ctx<'_>, file: &ParsedFile) {
    use super::bindings::DeclKind;
    let mut quiet = Vec::new();
    let diags = &mut quiet;
    let clause = |name: &ast::Ident| {
        file.ast.items().find_map(|i| match i {
            Item::Reserve(r) if r.name.as_ref().is_some_and(|n| n.name == name.name) => {
                Some((DeclKind::Reservation, r.span))
            }
            Item::Grant(g) if g.name.name == name.name => Some((DeclKind::Grant, g.span)),
            _ => None,
        })
    };
    let bind_clause = |name: &ast::Ident, except: Option<Span>| {
        if let Some((kind, decl)) = clause(name).filter(|&(_, d)| Some(d) != except) {
            ctx.scope.record.bind(name.span, kind, decl);
        }
    };
    let scope_names =
        |f: Option<&ast::FieldExpr>, t: Option<&ast::TerritoryExpr>, d: &mut Vec<Diagnostic>| {
            if let Some(f) = f {
                fields(ctx, f, d);
            }
            if let Some(t) = t {
                territory(ctx, t, d);
            }
        };
    for item in file.ast.items() {
        match item {
            Item::Grant(g) => {
                ctx.scope.party(&g.licensor, diags);
                if let Licensee::Party(p) = &g.licensee {
                    ctx.scope.party(p, diags);
                }
                for x in &g.assets {
                    ctx.scope.asset(x, diags);
                }
                scope_names(g.field.as_ref(), g.territory.as_ref(), diags);
                for name in g.exclusivity.iter().flat_map(|e| &e.subject_to) {
                    bind_clause(name, Some(g.span));
                }
            }
            Item::Reserve(r) => {
                for x in &r.assets {
                    ctx.scope.asset(x, diags);
                }
                if let Some(h) = &r.holder {
                    ctx.scope.party(h, diags);
                }
                scope_names(r.scope.field.as_ref(), r.scope.territory.as_ref(), diags);
            }
            Item::Improvements(imp) => {
                for x in &imp.assets {
                    ctx.scope.asset(x, diags);
                }
                for rule in &imp.rules {
                    for who in [&rule.from, &rule.to] {
                        if !matches!(who.name.as_str(), "members" | "owner") {
                            ctx.scope.party(who, diags);
                        }
                    }
                }
            }
            Item::FirstRight(f) => {
                for x in &f.assets {
                    ctx.scope.asset(x, diags);
                }
                ctx.scope.party(&f.holder, diags);
                scope_names(f.scope.field.as_ref(), f.scope.territory.as_ref(), diags);
            }
            Item::Payment(p) => {
                ctx.scope.party(&p.payer, diags);
                ctx.scope.party(&p.payee, diags);
            }
            Item::Sunset(s) => {
                if let Some((DeclKind::Grant, decl)) = clause(&s.grant) {
                    ctx.scope.record.bind(s.grant.span, DeclKind::Grant, decl);
                }
                for t in &s.terminations {
                    trigger(ctx, None, t, diags);
                }
            }
            Item::Obligation(o) => {
                for p in &o.parties {
                    ctx.scope.party(p, diags);
                }
                if let (
                    ast::ObligationKind::Prosecution
                    | ast::ObligationKind::Enforcement
                    | ast::ObligationKind::Escrow,
                    Some(x),
                ) = (o.kind.node, &o.subject)
                {
                    ctx.scope.asset(x, diags);
                }
                for a in &o.attrs {
                    match &a.value {
                        ast::ObligationLit::Shares(shares) => {
                            for x in shares {
                                ctx.scope.party(&x.party, diags);
                            }
                        }
                        ast::ObligationLit::Items(items) => {
                            for item in items {
                                if let ast::ObligationItem::Name(n) = item {
                                    let _ = ctx.scope.parties.bind(n).is_some()
                                        || ctx.scope.assets.bind(n).is_some();
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// terms (issue 15, round 7): the block after `most favoured licensee`, resolved and
/// checked against the grant's own field and territory (E0228 for a field node or a
/// country outside them; the scope is then cut to the grant's).
fn most_favoured_scope(
    ctx: &Ctx<'_>,
    g: &ast::Grant,
    m: &ast::MostFavouredScope,
    (grant_fields, grant_territory): (&crate::model::FieldSet, TerritorySet),
    diags: &mut Vec<Diagnostic>,
) -> Box<crate::model::MostFavouredScope> {
    let fields_named = m.field.as_ref().map(|f| (fields(ctx, f, diags).0, f.span));
    let territory_named = m
        .territory
        .as_ref()
        .map(|t| (territory(ctx, t, diags).0, t.span));
    if let (Some((set, span)), Some(grant_field)) = (&fields_named, &g.field) {
        let outside = set.difference(grant_fields);
        if !outside.is_empty() {
            let forest = &ctx.model.fields;
            // Each highest subtree wholly outside, by its path; a node outside whose
            // subtree is partly licensed is named by itself.
            let whole = |id: crate::model::FieldId| {
                let end = forest.get(id).map_or(id.0 + 1, |n| n.end.max(id.0 + 1));
                (id.0..end).all(|k| outside.contains(crate::model::FieldId(k)))
            };
            let tops: Vec<String> = outside
                .ids()
                .filter(|id| {
                    forest
                        .get(*id)
                        .and_then(|n| n.parent)
                        .is_none_or(|p| !outside.contains(p) || !whole(p))
                })
                .map(|id| match whole(id) {
                    true => format!("`{}`", forest.path(id)),
                    false => format!("`{}` itself", forest.path(id)),
                })
                .collect();
            diags.push(
                Diagnostic::new(
                    Code::E0228,
                    format!(
                        "the most-favoured-licensee scope names {} the grant does not license: {}",
                        if tops.len() == 1 { "a field" } else { "fields" },
                        tops.join(", ")
                    ),
                    *span,
                )
                .with_label("not within the grant's field")
                .with_secondary(grant_field.span, "the grant's field")
                .with_help("narrow the field to what the grant licenses, or leave the `field` line out of the block to cover the grant's whole field"),
            );
        }
    }
    if let (Some((set, span)), Some(grant_terr)) = (&territory_named, &g.territory) {
        let outside = set.difference(grant_territory);
        if !outside.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::E0228,
                    format!(
                        "the most-favoured-licensee scope names {} the grant does not license: {}",
                        if outside.len() == 1 { "a country" } else { "countries" },
                        outside.describe()
                    ),
                    *span,
                )
                .with_label("not within the grant's territory")
                .with_secondary(grant_terr.span, "the grant's territory")
                .with_help("narrow the territory to what the grant licenses, or leave the `territory` line out of the block to cover the grant's whole territory"),
            );
        }
    }
    Box::new(crate::model::MostFavouredScope {
        fields: fields_named.map(|(set, _)| set.intersection(grant_fields)),
        territory: territory_named.map(|(set, _)| set.intersection(grant_territory)),
        span: m.span,
    })
}
