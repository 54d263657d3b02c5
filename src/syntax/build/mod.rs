//! Grammar actions: literal decoding and sorting clause bodies into the tree, with the
//! diagnostics for malformed numbers (E0008), numbers that cannot be represented
//! exactly (E0209), missing (E0010) and repeated (E0011) attributes.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;

mod clauses;
mod grants;
mod literals;
mod terms;
pub use clauses::*;
pub use grants::*;
pub use literals::*;
pub use terms::*;

/// One attribute line of any clause body, before it is sorted into its clause.
///
/// Every attribute sits on the parser's stack, whose entries are as large as the
/// largest value the grammar builds: payloads larger than a date and its span are
/// boxed, so that the stack stays small (issue 19; `tests::grammar_values_are_small`).
#[derive(Debug, Clone)]
pub enum Attr {
    Effective(DateLit, Span),
    ReleaseFrom(DateLit, Span),
    Term(Box<TermSpec>),
    GoverningLaw(StrLit, Span),
    Kind(Spanned<AgreementKind>, Span),
    Parties(Vec<Ident>, Span),
    Note(StrLit, Span),
    Short(StrLit, Span),
    Affiliate(Box<Affiliate>),
    /// terms: `affiliates by control` (issue 15).
    ControlAffiliates(Box<ControlAffiliates>),
    Patent(Box<Patent>),
    Origin(Spanned<Origin>),
    Expires(DateLit, Span),
    Filed(DateLit, Span),
    Territory(Box<TerritoryExpr>, Span),
    Assets(Vec<Ident>, Span),
    Rights(Spanned<Vec<Spanned<Right>>>, Span),
    Field(Box<FieldExpr>, Span),
    Exclusivity(Exclusivity),
    Sublicense(Spanned<Sublicense>, Span),
    Transfer(Spanned<Transfer>),
    Consideration(Box<Consideration>),
    Owner(Spanned<ImprovementOwner>, Span),
    Flow(Box<FlowRule>),
    Covers(Spanned<Coverage>, Span),
    SunsetAfter(Box<DurationLit>, Span),
    Consent(Spanned<bool>),
    Renewal(Box<Renewal>),
    Renegotiation(Box<Renegotiation>),
    WindDown(Box<DurationLit>, Span),
    Terminate(Vec<Box<Trigger>>, Span),
    Survives(Vec<Ident>, Span),
    /// terms: `define net_sales "…"`.
    Define(Box<Definition>),
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
    ConvertingExclusivity(Exclusivity, Box<Spanned<Vec<Ident>>>),
    /// `diligence NAME: PARTY "event" by DATE` (rights: issue 15).
    Diligence(Box<Diligence>),
    /// pools (issue 15): `joins DATE` and `leaves DATE` in a party block.
    Joins(DateLit, Span),
    Leaves(DateLit, Span),
    /// pools (issue 15): `standard NAME "title"` in an agreement.
    Standard(Box<StandardDecl>),
    /// pools (issue 15): `essential to STANDARD [, frand]` in an asset.
    Essential(Box<Essential>),
    /// pools (issue 15): `for standard NAME` in a grant.
    ForStandard(Ident, Span),
    /// pools (issue 15): `most favoured licensee` in a grant (the three words), with
    /// (terms, round 7) the scope block after it.
    MostFavoured(Span, Option<Box<MostFavouredScope>>),
    /// clauses (issue 15): `within 30 days` in a first refusal or negotiation.
    Within(Box<DurationLit>, Span),
    /// clauses (issue 15, round 4): `pay AMOUNT on DATE` in a payment.
    Pay(Box<Instalment>),
    /// terms (issue 15, round 5): `commit PARTY purchase|spend …` in a grant.
    Commit(Box<Commitment>),
    /// An attribute the parser recovered from (already reported).
    Error(Span),
}

/// An option after `renew …,` or a termination trigger.
#[derive(Debug, Clone)]
pub enum RenewOpt {
    MaxTimes(NumLit),
    Notice(Box<DurationLit>),
    Cure(Box<DurationLit>),
}

/// Stores the first `purpose` line of a clause (rights: issue 15).
pub(super) fn purpose_line(
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
pub(super) fn once<T>(
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
pub(super) fn missing(
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

pub(super) fn misplaced(attr: &Attr, clause: &str, diags: &mut Vec<Diagnostic>) {
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

pub(super) fn attr_span(attr: &Attr) -> Option<Span> {
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
        | Attr::MostFavoured(s, _)
        | Attr::Within(_, s) => *s,
        Attr::Standard(d) => d.span,
        Attr::Essential(e) => e.span,
        Attr::Pay(p) => p.span,
        Attr::Commit(c) => c.span,
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

pub(super) fn first<T>(slot: Option<(T, Span)>) -> Option<T> {
    slot.map(|(v, _)| v)
}

/// The end of a comma- or plus-separated list: `e` appended to `v`, with no spare
/// capacity left (a list of one has none to begin with; a longer one is shrunk once).
pub fn finish_list<T>(mut v: Vec<T>, e: T) -> Vec<T> {
    if v.is_empty() {
        return vec![e];
    }
    v.reserve_exact(1);
    v.push(e);
    v.shrink_to_fit();
    v
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
                    definitions.push(*d);
                }
            }
            Attr::Effective(d, s) => once(&mut effective, d, s, "effective", clause, diags),
            Attr::ReleaseFrom(d, s) => once(&mut release, d, s, "release from", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, *t, s, "term", clause, diags)
            }
            Attr::GoverningLaw(l, s) => once(&mut law, l, s, "governing law", clause, diags),
            Attr::Kind(k, s) => once(&mut kind, k, s, "kind", clause, diags),
            Attr::Parties(p, _) => parties.extend(p),
            Attr::Note(n, _) => notes.push(n),
            Attr::Standard(d) => standards.push(*d),
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
            Attr::Affiliate(a) => affiliates.push(*a),
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
                once(&mut control, *c, sp, "affiliates", "party", diags)
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
                patents.push(*p)
            }
            Attr::Origin(o) => {
                let s = o.span;
                once(&mut origin, o, s, "background/foreground", "asset", diags)
            }
            Attr::Note(n, _) => notes.push(n),
            Attr::Essential(e) => essential.push(*e),
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
            Attr::Territory(t, s) => once(&mut territory, *t, s, "in", "patent", diags),
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

#[cfg(test)]
mod tests {
    use crate::date::DurationUnit;
    use crate::source::Span;
    use crate::syntax::ast::*;
    use crate::syntax::build::{self, Attr};
    use crate::syntax::lexer::LexError;
    use crate::syntax::token::Token;
    use std::mem::size_of;

    /// The generated parser: its `__Symbol` enum has one variant per type of value the
    /// grammar builds, and every entry of the parser's stack is as large as the largest.
    const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/xlic.rs"));

    fn normal(t: &str) -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .replace("alloc::vec::Vec<", "Vec<")
            .replace("__lalrpop_util::", "lalrpop_util::")
    }

    macro_rules! sizes {
        ($($t:ty),* $(,)?) => { vec![$((normal(stringify!($t)), size_of::<$t>())),*] };
    }

    /// Every value the parser holds on its stack is at most as large as the one it
    /// cannot shrink, lalrpop's own error-recovery record (issue 19: with agreements,
    /// considerations and terms unboxed, every shift and reduce moved 632 bytes). A
    /// pointer (`Box`, `Vec`, `Option<Box<…>>`) is small; any other type the grammar
    /// builds must be listed here, so that a new large one is noticed.
    #[test]
    fn grammar_values_are_small() {
        type Recovery = lalrpop_util::ErrorRecovery<usize, Token, LexError>;
        let limit = size_of::<Recovery>();
        let known = sizes![
            lalrpop_util::ErrorRecovery<usize, Token, LexError>,
            Token, Option<Token>, usize, (), bool, Option<bool>, Option<()>, Span, Option<Span>,
            DurationLit, Option<DurationLit>, DurationUnit, NumLit, PercentLit,
            Ident, Option<Ident>, DateLit, Option<DateLit>, StrLit, Option<StrLit>, Item, Option<Item>,
            build::RenewOpt, build::RoyaltyOpt, build::CommitOpt, Attr, Option<Vec<Attr>>, Option<Vec<Ident>>,
            FieldPath, (Span, Vec<FieldPath>), Option<(Span, Vec<FieldPath>)>,
            TerritoryTerm, (Span, Vec<TerritoryTerm>), Option<(Span, Vec<TerritoryTerm>)>,
            ObligationItem, ObligationKey, ObligationKind, AgreementKind, AssetKind,
            Exclusivity, Licensee, TermEnd, Origin, Right, Sublicense, Coverage,
            FlowDirection, ImprovementOwner,
            crate::vocab::ControlKind, crate::vocab::FirstRightKind,
            crate::vocab::Frequency, crate::vocab::RoyaltyBase,
            Spanned<crate::vocab::ControlKind>, Spanned<Right>, Spanned<&'static str>,
            Spanned<Vec<Ident>>, Option<Spanned<Vec<Ident>>>, Spanned<AgreementKind>,
            Spanned<AssetKind>, Spanned<ObligationKind>, Spanned<Coverage>,
            Spanned<crate::vocab::FirstRightKind>, Spanned<crate::vocab::Frequency>,
            Spanned<ImprovementOwner>, Spanned<Origin>, Spanned<Vec<Spanned<Right>>>,
            Spanned<Sublicense>,
        ];
        let start = GENERATED.find("enum __Symbol").unwrap_or(GENERATED.len());
        let body = GENERATED.get(start..).unwrap_or("");
        let body = body.get(..body.find("\n    }").unwrap_or(0)).unwrap_or("");
        let mut seen = 0;
        let mut problems = Vec::new();
        for line in body.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("Variant") else {
                continue;
            };
            let (Some(open), Some(close)) = (rest.find('('), rest.rfind(')')) else {
                continue;
            };
            let ty = normal(rest.get(open + 1..close).unwrap_or(""));
            seen += 1;
            let pointer = ["Box<", "Option<Box<", "Vec<"]
                .iter()
                .any(|p| ty.starts_with(p));
            match known.iter().find(|(t, _)| *t == ty) {
                Some((_, size)) if *size > limit => {
                    problems.push(format!("{ty}: {size} bytes, over {limit}: box it"))
                }
                Some(_) => {}
                None if pointer => {}
                None => problems.push(format!("{ty}: not listed in this test")),
            }
        }
        assert!(seen > 50, "no symbol enum found in the generated parser");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
