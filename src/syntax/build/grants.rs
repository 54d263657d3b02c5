//! Grammar actions for grant-like clauses: grants, covenants not to sue, releases,
//! their exclusivity and transfer lines.

use super::*;

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

/// `most favoured licensee` (its words) and the scope block after it, if any.
type MostFavouredLine = (Span, Option<Box<MostFavouredScope>>);

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
    let mut commitments = Vec::new();
    let mut standard: Option<(Ident, Span)> = None;
    let mut mfl: Option<(MostFavouredLine, Span)> = None;
    for attr in attrs {
        match attr {
            // rights (issue 15): exclusivity that converts, diligence milestones
            Attr::ConvertingExclusivity(e, c) => {
                let s = e.span;
                if excl.is_none() {
                    converts = Some(c);
                }
                once(&mut excl, e, s, "exclusivity", clause, diags)
            }
            Attr::Diligence(d) => diligence.push(*d),
            Attr::Commit(c) => commitments.push(*c),
            Attr::Assets(v, s) => once(&mut assets, v, s, "assets", clause, diags),
            Attr::Rights(v, s) => once(&mut rights, v, s, "rights", clause, diags),
            Attr::Field(f, s) => once(&mut field, *f, s, "field", clause, diags),
            Attr::Territory(t, s) => once(&mut territory, *t, s, "territory", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, *t, s, "term", clause, diags)
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
            Attr::Consideration(c) => consideration.push(*c),
            Attr::Note(n, _) => notes.push(n),
            Attr::ForStandard(n, s) => once(&mut standard, n, s, "for standard", clause, diags),
            Attr::MostFavoured(s, scope) => once(
                &mut mfl,
                (s, scope),
                s,
                "most favoured licensee",
                clause,
                diags,
            ),
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
    // Lists grown by `push` keep up to three times their length in spare capacity (a
    // consideration is 440 bytes); the tree lives until the compilation is dropped.
    consideration.shrink_to_fit();
    notes.shrink_to_fit();
    diligence.shrink_to_fit();
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
            let (most_favoured, most_favoured_scope) = match first(mfl) {
                Some((s, scope)) => (Some(s), scope),
                None => (None, None),
            };
            Box::new(GrantPools {
                standard_span: standard.as_ref().map(|(_, s)| *s),
                standard: standard.map(|(n, _)| n),
                most_favoured,
                most_favoured_scope,
            })
        }),
        commitments,
        header,
        span,
    }
}

/// An exclusivity line, with `until diligence NAME, … missed` after it or not (rights:
/// issue 15).
pub fn exclusivity_line(e: Exclusivity, converts: Option<Spanned<Vec<Ident>>>) -> Attr {
    match converts {
        Some(c) => Attr::ConvertingExclusivity(e, Box::new(c)),
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
    to_affiliates: Option<Span>,
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
            | Attr::Commit(_)
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
    g.to_affiliates = to_affiliates;
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
