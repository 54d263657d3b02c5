//! Grammar actions: literal decoding and sorting clause bodies into the tree, with the
//! diagnostics for malformed numbers (E0008), numbers that cannot be represented
//! exactly (E0209), missing (E0010) and repeated (E0011) attributes.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;

mod literals;
pub use literals::*;

/// One attribute line of any clause body, before it is sorted into its clause.
#[derive(Debug, Clone)]
pub enum Attr {
    Effective(DateLit, Span),
    ReleaseFrom(DateLit, Span),
    Term(TermSpec),
    GoverningLaw(StrLit, Span),
    Kind(Spanned<AgreementKind>, Span),
    Parties(Vec<Ident>, Span),
    Note(StrLit, Span),
    Short(StrLit, Span),
    Affiliate(Affiliate),
    /// terms: `affiliates by control` (issue 15).
    ControlAffiliates(ControlAffiliates),
    Patent(Patent),
    Origin(Spanned<Origin>),
    Expires(DateLit, Span),
    Filed(DateLit, Span),
    Territory(TerritoryExpr, Span),
    Assets(Vec<Ident>, Span),
    Rights(Spanned<Vec<Spanned<Right>>>, Span),
    Field(FieldExpr, Span),
    Exclusivity(Exclusivity),
    Sublicense(Spanned<Sublicense>, Span),
    Transfer(Spanned<Transfer>),
    Consideration(Consideration),
    Owner(Spanned<ImprovementOwner>, Span),
    Flow(FlowRule),
    Covers(Spanned<Coverage>, Span),
    SunsetAfter(DurationLit, Span),
    Consent(Spanned<bool>),
    Renewal(Renewal),
    Renegotiation(Renegotiation),
    WindDown(DurationLit, Span),
    Terminate(Vec<Trigger>, Span),
    Survives(Vec<Ident>, Span),
    /// terms: `define net_sales "…"`.
    Define(Definition),
    /// terms: one line of an obligation clause (`every 1 year, notice 30 days` is two
    /// parameters).
    Obligation(Vec<ObligationAttr>),
    /// `purpose research, …` (rights: issue 15).
    Purpose(Vec<Ident>, Span),
    /// `before DATE` in a release (rights: issue 15).
    Before(DateLit, Span),
    /// `pending` on a patent line: an application not yet granted (rights: issue 15).
    Pending(Span),
    /// `exclusive until diligence NAME missed` (rights: issue 15).
    ConvertingExclusivity(Exclusivity, Spanned<Vec<Ident>>),
    /// `diligence NAME: PARTY "event" by DATE` (rights: issue 15).
    Diligence(Diligence),
    /// pools (issue 15): `joins DATE` and `leaves DATE` in a party block.
    Joins(DateLit, Span),
    Leaves(DateLit, Span),
    /// pools (issue 15): `standard NAME "title"` in an agreement.
    Standard(StandardDecl),
    /// pools (issue 15): `essential to STANDARD [, frand]` in an asset.
    Essential(Essential),
    /// pools (issue 15): `for standard NAME` in a grant.
    ForStandard(Ident, Span),
    /// pools (issue 15): `most favoured licensee` in a grant.
    MostFavoured(Span),
    /// An attribute the parser recovered from (already reported).
    Error(Span),
}

/// An option after `renew …,` or a termination trigger.
#[derive(Debug, Clone)]
pub enum RenewOpt {
    MaxTimes(NumLit),
    Notice(DurationLit),
    Cure(DurationLit),
}

/// Stores the first `purpose` line of a clause (rights: issue 15).
fn purpose_line(
    slot: &mut Option<(Spanned<Vec<Ident>>, Span)>,
    words: Vec<Ident>,
    span: Span,
    clause: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let line = Spanned { node: words, span };
    once(slot, line, span, "purpose", clause, diags);
}

/// Stores the first value of an attribute; reports a second one as E0011.
fn once<T>(
    slot: &mut Option<(T, Span)>,
    value: T,
    span: Span,
    what: &str,
    clause: &str,
    diags: &mut Vec<Diagnostic>,
) {
    match slot {
        Some((_, first)) => diags.push(
            Diagnostic::new(
                Code::E0011,
                format!("`{what}` is stated twice in this {clause}"),
                span,
            )
            .with_label("stated again here")
            .with_secondary(*first, "first stated here")
            .with_help(format!("keep one `{what}` line in the {clause}")),
        ),
        None => *slot = Some((value, span)),
    }
}

/// Reports a missing attribute, unless the block had a syntax error that may have
/// swallowed it (`broken`): one mistake, one message.
fn missing(
    broken: bool,
    what: &str,
    clause: &str,
    example: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    if broken {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::E0010,
            format!("this {clause} does not state its {what}"),
            span,
        )
        .with_label(format!("{what} missing"))
        .with_help(format!("add a line such as `{example}`")),
    );
}

fn misplaced(attr: &Attr, clause: &str, diags: &mut Vec<Diagnostic>) {
    if let Some(span) = attr_span(attr) {
        diags.push(
            Diagnostic::new(
                Code::E0004,
                format!("this attribute does not belong in a {clause}"),
                span,
            )
            .with_label("not allowed here"),
        );
    }
}

fn attr_span(attr: &Attr) -> Option<Span> {
    Some(match attr {
        Attr::Effective(_, s)
        | Attr::ReleaseFrom(_, s)
        | Attr::GoverningLaw(_, s)
        | Attr::Kind(_, s)
        | Attr::Parties(_, s)
        | Attr::Note(_, s)
        | Attr::Short(_, s)
        | Attr::Expires(_, s)
        | Attr::Filed(_, s)
        | Attr::Territory(_, s)
        | Attr::Assets(_, s)
        | Attr::Rights(_, s)
        | Attr::Field(_, s)
        | Attr::Sublicense(_, s)
        | Attr::Owner(_, s)
        | Attr::Covers(_, s)
        | Attr::SunsetAfter(_, s)
        | Attr::WindDown(_, s)
        | Attr::Terminate(_, s)
        | Attr::Survives(_, s)
        | Attr::Purpose(_, s)
        | Attr::Before(_, s)
        | Attr::Joins(_, s)
        | Attr::Leaves(_, s)
        | Attr::ForStandard(_, s)
        | Attr::MostFavoured(s) => *s,
        Attr::Standard(d) => d.span,
        Attr::Essential(e) => e.span,
        Attr::Pending(s) => *s,
        Attr::ConvertingExclusivity(e, c) => e.span.to(c.span),
        Attr::Diligence(d) => d.span,
        Attr::Term(t) => t.span,
        Attr::Affiliate(a) => a.span,
        Attr::ControlAffiliates(c) => c.span,
        Attr::Patent(p) => p.span,
        Attr::Origin(o) => o.span,
        Attr::Exclusivity(e) => e.span,
        Attr::Transfer(t) => t.span,
        Attr::Consideration(c) => c.span(),
        Attr::Flow(f) => f.span,
        Attr::Consent(c) => c.span,
        Attr::Renewal(r) => r.span,
        Attr::Renegotiation(r) => r.span,
        Attr::Define(d) => d.span,
        Attr::Obligation(v) => {
            let (Some(a), Some(b)) = (v.first(), v.last()) else {
                return None;
            };
            a.span.to(b.span)
        }
        Attr::Error(_) => return None,
    })
}

fn first<T>(slot: Option<(T, Span)>) -> Option<T> {
    slot.map(|(v, _)| v)
}

pub fn agreement(
    id: Option<Ident>,
    title: StrLit,
    attrs: Vec<Attr>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Agreement {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let clause = "agreement";
    let (mut effective, mut term, mut law, mut kind) = (None, None, None, None);
    let mut release = None;
    let mut parties = Vec::new();
    let mut notes = Vec::new();
    let mut definitions: Vec<Definition> = Vec::new();
    let mut standards = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Define(d) => {
                if let Some(prev) = definitions.iter().find(|p| p.name.name == d.name.name) {
                    diags.push(
                        Diagnostic::new(
                            Code::E0011,
                            format!("`{}` is defined twice in this agreement", d.name.name),
                            d.name.span,
                        )
                        .with_label("defined again here")
                        .with_secondary(prev.name.span, "first defined here")
                        .with_help("keep one `define` line per term"),
                    );
                } else {
                    definitions.push(d);
                }
            }
            Attr::Effective(d, s) => once(&mut effective, d, s, "effective", clause, diags),
            Attr::ReleaseFrom(d, s) => once(&mut release, d, s, "release from", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, t, s, "term", clause, diags)
            }
            Attr::GoverningLaw(l, s) => once(&mut law, l, s, "governing law", clause, diags),
            Attr::Kind(k, s) => once(&mut kind, k, s, "kind", clause, diags),
            Attr::Parties(p, _) => parties.extend(p),
            Attr::Note(n, _) => notes.push(n),
            Attr::Standard(d) => standards.push(d),
            Attr::Error(_) => {}
            other => misplaced(&other, clause, diags),
        }
    }
    if effective.is_none() {
        missing(
            broken,
            "effective date",
            clause,
            "effective 2026-01-01",
            title.span,
            diags,
        );
    }
    Agreement {
        title,
        effective: first(effective),
        release_from: first(release),
        term: first(term),
        governing_law: first(law),
        kind: first(kind),
        parties,
        notes,
        standards,
        definitions,
        id,
        span,
    }
}

pub fn party(
    name: Ident,
    legal_name: StrLit,
    attrs: Vec<Attr>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Party {
    let mut short = None;
    let (mut joins, mut leaves) = (None, None);
    let mut affiliates = Vec::new();
    let mut control = None;
    for attr in attrs {
        match attr {
            Attr::Short(s, sp) => once(&mut short, s, sp, "short", "party", diags),
            Attr::Affiliate(a) => affiliates.push(a),
            Attr::ControlAffiliates(c) => {
                for (i, k) in c.kinds.iter().enumerate() {
                    if c.kinds.iter().take(i).any(|e| e.node == k.node) {
                        diags.push(
                            Diagnostic::new(
                                Code::E0011,
                                format!(
                                    "`{}` is stated twice in these affiliates",
                                    k.node.keyword()
                                ),
                                k.span,
                            )
                            .with_label("stated again here")
                            .with_help("name each kind of control once"),
                        );
                    }
                }
                let sp = c.span;
                once(&mut control, c, sp, "affiliates", "party", diags)
            }
            Attr::Joins(d, sp) => once(&mut joins, d, sp, "joins", "party", diags),
            Attr::Leaves(d, sp) => once(&mut leaves, d, sp, "leaves", "party", diags),
            Attr::Error(_) => {}
            other => misplaced(&other, "party", diags),
        }
    }
    Party {
        name,
        legal_name,
        short_name: first(short),
        affiliates,
        control: first(control),
        joins: first(joins),
        leaves: first(leaves),
        span,
    }
}

pub fn field_expr(
    include: Vec<FieldPath>,
    all: bool,
    except: Option<(Span, Vec<FieldPath>)>,
    span: Span,
) -> FieldExpr {
    let (except_span, exclude) = match except {
        Some((s, v)) => (Some(s), v),
        None => (None, Vec::new()),
    };
    FieldExpr {
        include,
        all,
        exclude,
        except_span,
        span,
    }
}

pub fn asset(
    name: Ident,
    kind: Spanned<AssetKind>,
    owners: Vec<Ident>,
    capture: Option<(DateLit, DateLit)>,
    attrs: Vec<Attr>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Asset {
    let mut patents = Vec::new();
    let mut origin = None;
    let mut notes = Vec::new();
    let mut essential = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Patent(p) => {
                if !kind.node.is_patent() {
                    diags.push(
                        Diagnostic::new(
                            Code::E0004,
                            format!("a {} asset cannot list patents", kind.node.keyword()),
                            p.span,
                        )
                        .with_label("patent listed here")
                        .with_secondary(kind.span, "the asset's kind")
                        .with_help("make the asset a `patent family`, or declare the patents as an asset of their own"),
                    );
                }
                patents.push(p)
            }
            Attr::Origin(o) => {
                let s = o.span;
                once(&mut origin, o, s, "background/foreground", "asset", diags)
            }
            Attr::Note(n, _) => notes.push(n),
            Attr::Essential(e) => essential.push(e),
            Attr::Error(_) => {}
            other => misplaced(&other, "asset", diags),
        }
    }
    Asset {
        name,
        label: None,
        kind,
        owners,
        capture,
        patents,
        origin: first(origin),
        notes,
        essential,
        span,
    }
}

pub fn patent(number: StrLit, attrs: Vec<Attr>, span: Span, diags: &mut Vec<Diagnostic>) -> Patent {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let (mut expires, mut filed, mut territory) = (None, None, None);
    let mut pending: Option<(Span, Span)> = None;
    for attr in attrs {
        match attr {
            Attr::Pending(s) => once(&mut pending, s, s, "pending", "patent", diags),
            Attr::Expires(d, s) => once(&mut expires, d, s, "expires", "patent", diags),
            Attr::Filed(d, s) => once(&mut filed, d, s, "filed", "patent", diags),
            Attr::Territory(t, s) => once(&mut territory, t, s, "in", "patent", diags),
            other => misplaced(&other, "patent", diags),
        }
    }
    // A pending application has no expiry yet (an expected one is optional).
    if expires.is_none() && pending.is_none() {
        missing(
            broken,
            "expiry date",
            "patent",
            "expires 2040-01-01",
            span,
            diags,
        );
    }
    Patent {
        number,
        expires: first(expires),
        filed: first(filed),
        territory: first(territory),
        pending: first(pending),
        span,
    }
}

pub fn transfer(
    words: Vec<Spanned<&'static str>>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Spanned<Transfer> {
    let mut t = Transfer::default();
    let mut seen_transferable: Option<Span> = None;
    let mut seen_non: Option<Span> = None;
    for w in &words {
        match w.node {
            "personal" => t.personal = true,
            "transferable" => {
                t.transferable = true;
                seen_transferable = Some(w.span);
            }
            _ => seen_non = Some(w.span),
        }
    }
    if let (Some(a), Some(b)) = (seen_transferable, seen_non) {
        diags.push(
            Diagnostic::new(
                Code::E0011,
                "a license cannot be both `transferable` and `non-transferable`",
                a,
            )
            .with_label("transferable here")
            .with_secondary(b, "non-transferable here")
            .with_help("keep one of the two"),
        );
    }
    if t.personal && t.transferable {
        diags.push(
            Diagnostic::new(
                Code::E0011,
                "a `personal` license cannot be `transferable`",
                span,
            )
            .with_label("contradictory")
            .with_help("a personal license stays with the licensee: drop `transferable`"),
        );
        t.transferable = false;
    }
    Spanned { node: t, span }
}

#[allow(clippy::too_many_arguments)]
pub fn grant(
    name: Ident,
    licensor: Ident,
    licensee: Licensee,
    to_affiliates: Option<Span>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Grant {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let clause = "grant";
    let (mut assets, mut rights, mut field, mut territory, mut term) =
        (None, None, None, None, None);
    let (mut excl, mut sub, mut transfer) = (None, None, None);
    let mut purpose = None;
    let mut consideration = Vec::new();
    let mut notes = Vec::new();
    let mut converts = None;
    let mut diligence = Vec::new();
    let mut standard: Option<(Ident, Span)> = None;
    let mut mfl: Option<(Span, Span)> = None;
    for attr in attrs {
        match attr {
            // rights (issue 15): exclusivity that converts, diligence milestones
            Attr::ConvertingExclusivity(e, c) => {
                let s = e.span;
                if excl.is_none() {
                    converts = Some(Box::new(c));
                }
                once(&mut excl, e, s, "exclusivity", clause, diags)
            }
            Attr::Diligence(d) => diligence.push(d),
            Attr::Assets(v, s) => once(&mut assets, v, s, "assets", clause, diags),
            Attr::Rights(v, s) => once(&mut rights, v, s, "rights", clause, diags),
            Attr::Field(f, s) => once(&mut field, f, s, "field", clause, diags),
            Attr::Territory(t, s) => once(&mut territory, t, s, "territory", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, t, s, "term", clause, diags)
            }
            Attr::Exclusivity(e) => {
                let s = e.span;
                once(&mut excl, e, s, "exclusivity", clause, diags)
            }
            Attr::Sublicense(v, s) => once(&mut sub, v, s, "sublicense", clause, diags),
            Attr::Purpose(v, s) => purpose_line(&mut purpose, v, s, clause, diags),
            Attr::Transfer(t) => {
                let s = t.span;
                once(&mut transfer, t, s, "transferability", clause, diags)
            }
            Attr::Consideration(c) => consideration.push(c),
            Attr::Note(n, _) => notes.push(n),
            Attr::ForStandard(n, s) => once(&mut standard, n, s, "for standard", clause, diags),
            Attr::MostFavoured(s) => once(&mut mfl, s, s, "most favoured licensee", clause, diags),
            Attr::Error(_) => {}
            other => misplaced(&other, clause, diags),
        }
    }
    if assets.is_none() {
        missing(
            broken,
            "assets",
            clause,
            "assets acme_patents",
            header,
            diags,
        );
    }
    if field.is_none() {
        missing(broken, "field of use", clause, "field all", header, diags);
    }
    if territory.is_none() {
        missing(
            broken,
            "territory",
            clause,
            "territory worldwide",
            header,
            diags,
        );
    }
    if excl.is_none() {
        missing(
            broken,
            "exclusivity",
            clause,
            "non-exclusive",
            header,
            diags,
        );
    }
    Grant {
        name,
        label: None,
        licensor,
        licensee,
        to_affiliates,
        assets: first(assets).unwrap_or_default(),
        rights: first(rights),
        field: first(field),
        territory: first(territory),
        term: first(term),
        exclusivity: first(excl),
        purpose: first(purpose).map(Box::new),
        covenant: None,
        release: None,
        sublicense: first(sub),
        transfer: first(transfer),
        consideration,
        notes,
        converts,
        diligence,
        pools: (standard.is_some() || mfl.is_some()).then(|| {
            Box::new(GrantPools {
                standard_span: standard.as_ref().map(|(_, s)| *s),
                standard: standard.map(|(n, _)| n),
                most_favoured: first(mfl),
            })
        }),
        header,
        span,
    }
}

/// An exclusivity line, with `until diligence NAME, … missed` after it or not (rights:
/// issue 15).
pub fn exclusivity_line(e: Exclusivity, converts: Option<Spanned<Vec<Ident>>>) -> Attr {
    match converts {
        Some(c) => Attr::ConvertingExclusivity(e, c),
        None => Attr::Exclusivity(e),
    }
}

/// `covenant id: a -> b [and customers] { … }` (rights: issue 15): a grant's body
/// without exclusivity (a covenant is non-exclusive), sublicensing (never) or transfer.
#[allow(clippy::too_many_arguments)]
pub fn covenant(
    keyword: Span,
    name: Ident,
    licensor: Ident,
    licensee: Ident,
    to_customers: Option<Span>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Grant {
    let mut kept = Vec::with_capacity(attrs.len() + 1);
    for attr in attrs {
        match attr {
            Attr::Exclusivity(_)
            | Attr::ConvertingExclusivity(..)
            | Attr::Sublicense(..)
            | Attr::Transfer(_) => reject(
                &attr,
                "covenant",
                "a covenant not to sue is non-exclusive and conveys no right to sublicense or transfer: remove the line, or write a `grant`",
                diags,
            ),
            other => kept.push(other),
        }
    }
    let head = (name, licensor, licensee, header, span);
    let mut g = grant_without_exclusivity(head, kept, diags);
    g.covenant = Some(Box::new(CovenantHead {
        keyword,
        to_customers,
    }));
    g
}

/// `release id: a -> b { … before DATE }` (rights: issue 15): a grant's body for past
/// acts, without a term (its period ends at `before`), exclusivity, sublicensing or
/// transfer.
#[allow(clippy::too_many_arguments)]
pub fn release(
    keyword: Span,
    name: Ident,
    licensor: Ident,
    licensee: Ident,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Grant {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let mut before = None;
    let mut kept = Vec::with_capacity(attrs.len() + 1);
    for attr in attrs {
        match attr {
            Attr::Before(d, s) => once(&mut before, d, s, "before", "release", diags),
            Attr::Exclusivity(_)
            | Attr::ConvertingExclusivity(..)
            | Attr::Sublicense(..)
            | Attr::Transfer(_)
            | Attr::Term(_) => {
                reject(
                    &attr,
                    "release",
                    "a release covers past acts up to its `before` date and conveys no license: remove the line, or write a `grant` for the future",
                    diags,
                )
            }
            other => kept.push(other),
        }
    }
    if before.is_none() {
        let example = "before 2026-01-01";
        missing(broken, "cut-off date", "release", example, header, diags);
    }
    let head = (name, licensor, licensee, header, span);
    let mut g = grant_without_exclusivity(head, kept, diags);
    g.release = Some(Box::new(ReleaseHead {
        keyword,
        before: first(before),
    }));
    g
}

/// E0004 for a grant's attribute in a covenant or a release.
fn reject(attr: &Attr, clause: &str, help: &str, diags: &mut Vec<Diagnostic>) {
    if let Some(s) = attr_span(attr) {
        diags.push(
            Diagnostic::new(
                Code::E0004,
                format!("this attribute does not belong in a {clause}"),
                s,
            )
            .with_label("not allowed here")
            .with_help(help),
        );
    }
}

/// A covenant's or release's body built as a grant's (name, licensor, licensee, header
/// and whole span first). It has no exclusivity line: one is stood in so the grant's
/// rules do not ask for it, and taken out again.
fn grant_without_exclusivity(
    (name, licensor, licensee, header, span): (Ident, Ident, Ident, Span, Span),
    mut attrs: Vec<Attr>,
    diags: &mut Vec<Diagnostic>,
) -> Grant {
    attrs.push(Attr::Exclusivity(Exclusivity {
        kind: ExclusivityKind::NonExclusive,
        subject_to: Vec::new(),
        span: header,
    }));
    let licensee = Licensee::Party(licensee);
    let mut g = grant(name, licensor, licensee, None, attrs, header, span, diags);
    g.exclusivity = None;
    g
}

fn scope_block(attrs: Vec<Attr>, clause: &str, diags: &mut Vec<Diagnostic>) -> ScopeBlock {
    let (mut rights, mut field, mut territory, mut term) = (None, None, None, None);
    let mut purpose = None;
    for attr in attrs {
        match attr {
            Attr::Purpose(v, s) => purpose_line(&mut purpose, v, s, clause, diags),
            Attr::Rights(v, s) => once(&mut rights, v, s, "rights", clause, diags),
            Attr::Field(f, s) => once(&mut field, f, s, "field", clause, diags),
            Attr::Territory(t, s) => once(&mut territory, t, s, "territory", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, t, s, "term", clause, diags)
            }
            Attr::Error(_) => {}
            other => misplaced(&other, clause, diags),
        }
    }
    ScopeBlock {
        rights: first(rights),
        field: first(field),
        territory: first(territory),
        term: first(term),
        purpose: first(purpose),
    }
}

pub fn reserve(
    name: Option<Ident>,
    assets: Vec<Ident>,
    holder: Option<Ident>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Reserve {
    Reserve {
        name,
        assets,
        holder,
        scope: scope_block(attrs, "reservation", diags),
        header,
        span,
    }
}

pub fn improvements(
    assets: Vec<Ident>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Improvements {
    let mut owner = None;
    let mut rules = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Owner(o, s) => once(&mut owner, o, s, "owner", "improvements clause", diags),
            Attr::Flow(f) => rules.push(f),
            Attr::Error(_) => {}
            other => misplaced(&other, "improvements clause", diags),
        }
    }
    Improvements {
        assets,
        owner: first(owner),
        rules,
        header,
        span,
    }
}

pub fn flow_rule(
    direction: FlowDirection,
    from: Ident,
    to: Ident,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> FlowRule {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let clause = match direction {
        FlowDirection::GrantBack => "grant-back",
        FlowDirection::LicenseForward => "license-forward rule",
    };
    let (mut covers, mut excl, mut sunset, mut consent) = (None, None, None, None);
    let mut consideration = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Covers(c, s) => once(&mut covers, c, s, "covers", clause, diags),
            Attr::Exclusivity(e) => {
                let s = e.span;
                once(&mut excl, e, s, "exclusivity", clause, diags)
            }
            Attr::Consideration(c) => consideration.push(c),
            Attr::SunsetAfter(d, s) => once(&mut sunset, d, s, "sunset", clause, diags),
            Attr::Consent(c) => {
                let s = c.span;
                once(&mut consent, c, s, "consent", clause, diags)
            }
            Attr::Error(_) => {}
            other => misplaced(&other, clause, diags),
        }
    }
    if covers.is_none() {
        missing(
            broken,
            "coverage",
            clause,
            "covers collaboration",
            header,
            diags,
        );
    }
    if excl.is_none() {
        missing(
            broken,
            "exclusivity",
            clause,
            "non-exclusive",
            header,
            diags,
        );
    }
    FlowRule {
        direction,
        from,
        to,
        covers: first(covers),
        exclusivity: first(excl),
        consideration,
        sunset: first(sunset),
        consent: first(consent),
        header,
        span,
    }
}

pub fn renewal(
    automatic: bool,
    period: DurationLit,
    opts: Vec<RenewOpt>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Renewal {
    let (mut max_times, mut notice) = (None, None);
    for opt in opts {
        match opt {
            RenewOpt::MaxTimes(n) => {
                let s = n.span;
                once(&mut max_times, n, s, "at most", "renewal", diags)
            }
            RenewOpt::Notice(d) => {
                let s = d.span;
                once(&mut notice, d, s, "notice", "renewal", diags)
            }
            RenewOpt::Cure(d) => diags.push(
                Diagnostic::new(Code::E0004, "a renewal has no cure period", d.span)
                    .with_label("not allowed here"),
            ),
        }
    }
    Renewal {
        automatic,
        period,
        max_times: first(max_times),
        notice: first(notice),
        span,
    }
}

pub fn trigger(
    words: Vec<Ident>,
    by: Option<Ident>,
    opts: Vec<RenewOpt>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Trigger {
    let (mut cure, mut notice) = (None, None);
    for opt in opts {
        match opt {
            RenewOpt::Cure(d) => {
                let s = d.span;
                once(&mut cure, d, s, "cure", "termination trigger", diags)
            }
            RenewOpt::Notice(d) => {
                let s = d.span;
                once(&mut notice, d, s, "notice", "termination trigger", diags)
            }
            RenewOpt::MaxTimes(n) => diags.push(
                Diagnostic::new(Code::E0004, "a termination trigger has no count", n.span)
                    .with_label("not allowed here"),
            ),
        }
    }
    Trigger {
        words,
        by,
        cure: first(cure),
        notice: first(notice),
        span,
    }
}

pub fn sunset(
    grant: Ident,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Sunset {
    let clause = "sunset clause";
    let mut renewals = Vec::new();
    let mut renegotiations = Vec::new();
    let mut wind_down = None;
    let mut terminations = Vec::new();
    let mut survives = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Renewal(r) => renewals.push(r),
            Attr::Renegotiation(r) => renegotiations.push(r),
            Attr::WindDown(d, s) => once(&mut wind_down, d, s, "wind down", clause, diags),
            Attr::Terminate(t, _) => terminations.extend(t),
            Attr::Survives(v, _) => survives.extend(v),
            Attr::Error(_) => {}
            other => misplaced(&other, clause, diags),
        }
    }
    Sunset {
        grant,
        renewals,
        renegotiations,
        wind_down: first(wind_down),
        terminations,
        survives,
        header,
        span,
    }
}

// ---- terms: defined terms and obligation clauses (issue 15, part 3)

/// An asset with the defined term written after its id (`asset gan "GaN Patents": …`).
pub fn labelled_asset(label: Option<StrLit>, asset: Asset) -> Asset {
    Asset { label, ..asset }
}

/// A grant with the defined name written after its id.
pub fn labelled_grant(label: Option<StrLit>, grant: Grant) -> Grant {
    Grant {
        label: label.map(Box::new),
        ..grant
    }
}

/// An obligation clause about an asset (`prosecution gan { … }`) or with a name
/// (`committee steering { … }`).
pub fn with_subject(subject: Ident, o: Obligation) -> Obligation {
    Obligation {
        subject: Some(subject),
        ..o
    }
}

/// An obligation clause: its parameters in source order, each key at most once (E0011).
pub fn obligation(
    kind: Spanned<ObligationKind>,
    parties: Vec<Ident>,
    title: Option<StrLit>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Obligation {
    let clause = format!("{} clause", kind.node.keyword());
    let mut out: Vec<ObligationAttr> = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Obligation(v) => {
                for a in v {
                    match out.iter().find(|p| p.key == a.key) {
                        Some(prev) => {
                            let what = a.key.keyword();
                            diags.push(
                                Diagnostic::new(
                                    Code::E0011,
                                    format!("`{what}` is stated twice in this {clause}"),
                                    a.span,
                                )
                                .with_label("stated again here")
                                .with_secondary(prev.span, "first stated here")
                                .with_help(format!("keep one `{what}` line in the {clause}")),
                            );
                        }
                        None => out.push(a),
                    }
                }
            }
            Attr::Error(_) => {}
            other => misplaced(&other, &clause, diags),
        }
    }
    Obligation {
        kind,
        parties,
        title,
        subject: None,
        attrs: out,
        header,
        span,
    }
}

// ---------------------------------------------------------------- royalty terms (issue 15)

/// An option after a running royalty's comma: a cap or floor, or when it is payable.
#[derive(Debug, Clone)]
pub enum RoyaltyOpt {
    Limit(Limit),
    From(DateLit),
    Until(DateLit),
    UntilExpiry(Span),
    For(DurationLit),
    /// terms (issue 15)
    Payable(PaymentLit),
    Report(Spanned<crate::vocab::Frequency>),
}

/// Sorts a running royalty's options into its caps and floors and its period; a
/// second start, or a second end (`until DATE`, `until expiry`, `for N years`), is
/// E0011.
pub fn royalty_opts(
    opts: Vec<RoyaltyOpt>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Limit>, RoyaltyPeriodLit) {
    enum End {
        Until(DateLit),
        Expiry(Span),
        For(DurationLit),
    }
    let mut limits = Vec::new();
    let (mut from, mut end) = (None, None);
    let (mut payable, mut report) = (None, None);
    for opt in opts {
        match opt {
            RoyaltyOpt::Payable(p) => {
                let s = p.span;
                once(&mut payable, p, s, "payable", "royalty", diags)
            }
            RoyaltyOpt::Report(f) => {
                let s = f.span;
                once(&mut report, f, s, "report", "royalty", diags)
            }
            RoyaltyOpt::Limit(l) => limits.push(l),
            RoyaltyOpt::From(d) => {
                let s = d.span;
                once(&mut from, d, s, "from", "royalty", diags)
            }
            RoyaltyOpt::Until(d) => {
                let s = d.span;
                once(&mut end, End::Until(d), s, "until", "royalty", diags)
            }
            RoyaltyOpt::UntilExpiry(s) => {
                once(&mut end, End::Expiry(s), s, "until", "royalty", diags)
            }
            RoyaltyOpt::For(d) => {
                let s = d.span;
                once(&mut end, End::For(d), s, "until", "royalty", diags)
            }
        }
    }
    let mut period = RoyaltyPeriodLit {
        from: first(from),
        payable: first(payable),
        report: first(report),
        ..RoyaltyPeriodLit::default()
    };
    match first(end) {
        Some(End::Until(d)) => period.until = Some(d),
        Some(End::Expiry(s)) => period.until_expiry = Some(s),
        Some(End::For(d)) => period.for_ = Some(d),
        None => {}
    }
    (limits, period)
}

/// The base of a percentage royalty written as words: `gross sales`, `revenue`,
/// `profits`. Any other word is E0004 (the royalty is then read as of net sales).
pub fn royalty_base(
    word: Ident,
    sales: bool,
    diags: &mut Vec<Diagnostic>,
) -> crate::vocab::RoyaltyBase {
    use crate::vocab::RoyaltyBase;
    match (word.name.as_str(), sales) {
        ("gross", true) => RoyaltyBase::GrossSales,
        ("revenue" | "revenues", false) => RoyaltyBase::Revenue,
        ("profits" | "profit", false) => RoyaltyBase::Profits,
        _ => {
            let written = if sales {
                format!("{} sales", word.name)
            } else {
                word.name.clone()
            };
            diags.push(
                Diagnostic::new(
                    Code::E0004,
                    format!("`{written}` is not a royalty base"),
                    word.span,
                )
                .with_label("expected a royalty base")
                .with_help("write `of net sales`, `of gross sales`, `of revenue` or `of profits`"),
            );
            RoyaltyBase::NetSales
        }
    }
}
