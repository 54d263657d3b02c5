//! Grammar actions for the clauses about grants: reservations, improvement rules and
//! sunsets (renewals, termination triggers).

use super::*;

fn scope_block(attrs: Vec<Attr>, clause: &str, diags: &mut Vec<Diagnostic>) -> ScopeBlock {
    let (mut rights, mut field, mut territory, mut term) = (None, None, None, None);
    let mut purpose = None;
    for attr in attrs {
        match attr {
            Attr::Purpose(v, s) => purpose_line(&mut purpose, v, s, clause, diags),
            Attr::Rights(v, s) => once(&mut rights, v, s, "rights", clause, diags),
            Attr::Field(f, s) => once(&mut field, *f, s, "field", clause, diags),
            Attr::Territory(t, s) => once(&mut territory, *t, s, "territory", clause, diags),
            Attr::Term(t) => {
                let s = t.span;
                once(&mut term, *t, s, "term", clause, diags)
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

/// terms (issue 15, round 7): the block after `most favoured licensee`: a `field` and a
/// `territory` line, each at most once. Rights, a term or a purpose are the grant's
/// (E0004 with the way to write them).
pub fn most_favoured_scope(
    attrs: Vec<Attr>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> MostFavouredScope {
    let clause = "most-favoured-licensee scope";
    let (mut field, mut territory) = (None, None);
    for attr in attrs {
        match attr {
            Attr::Field(f, s) => once(&mut field, *f, s, "field", clause, diags),
            Attr::Territory(t, s) => once(&mut territory, *t, s, "territory", clause, diags),
            Attr::Error(_) => {}
            other => {
                if let Some(s) = attr_span(&other) {
                    diags.push(
                        Diagnostic::new(
                            Code::E0004,
                            "a most-favoured-licensee scope names a field and a territory only",
                            s,
                        )
                        .with_label("not allowed here")
                        .with_help("the promise covers the grant's rights, purposes and term: state the field and/or territory it is limited to, `most favoured licensee { field robotics territory [US] }`"),
                    );
                }
            }
        }
    }
    MostFavouredScope {
        field: first(field),
        territory: first(territory),
        span,
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

/// clauses (issue 15): a first refusal or negotiation: its scope as a reservation's,
/// its `within` period (E0010 without one) and notes.
#[allow(clippy::too_many_arguments)]
pub fn first_right(
    kind: Spanned<crate::vocab::FirstRightKind>,
    name: Ident,
    holder: Ident,
    assets: Vec<Ident>,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> FirstRight {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let clause = match kind.node {
        crate::vocab::FirstRightKind::Refusal => "first refusal",
        crate::vocab::FirstRightKind::Negotiation => "first negotiation",
    };
    let mut within = None;
    let mut notes = Vec::new();
    let mut scope = Vec::with_capacity(attrs.len());
    for attr in attrs {
        match attr {
            Attr::Within(d, s) => once(&mut within, *d, s, "within", clause, diags),
            Attr::Note(n, _) => notes.push(n),
            other => scope.push(other),
        }
    }
    if within.is_none() {
        missing(broken, "period", clause, "within 30 days", header, diags);
    }
    FirstRight {
        kind,
        name,
        holder,
        assets,
        scope: scope_block(scope, clause, diags),
        within: first(within),
        notes,
        header,
        span,
    }
}

/// clauses (issue 15, round 4): an agreement-level payment: its `pay` lines (E0010
/// without one) and notes.
#[allow(clippy::too_many_arguments)]
pub fn payment(
    name: Ident,
    label: Option<StrLit>,
    payer: Ident,
    payee: Ident,
    attrs: Vec<Attr>,
    header: Span,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Payment {
    let broken = attrs.iter().any(|a| matches!(a, Attr::Error(_)));
    let mut instalments = Vec::new();
    let mut notes = Vec::new();
    for attr in attrs {
        match attr {
            Attr::Pay(p) => instalments.push(*p),
            Attr::Note(n, _) => notes.push(n),
            Attr::Error(_) => {}
            other => misplaced(&other, "payment", diags),
        }
    }
    if instalments.is_empty() {
        missing(
            broken,
            "amount",
            "payment",
            "pay 1_000_000 USD on 2027-01-31",
            header,
            diags,
        );
    }
    Payment {
        name,
        label,
        payer,
        payee,
        instalments,
        notes,
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
            Attr::Flow(f) => rules.push(*f),
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
            Attr::Consideration(c) => consideration.push(*c),
            Attr::SunsetAfter(d, s) => once(&mut sunset, *d, s, "sunset", clause, diags),
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
                once(&mut notice, *d, s, "notice", "renewal", diags)
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
                once(&mut cure, *d, s, "cure", "termination trigger", diags)
            }
            RenewOpt::Notice(d) => {
                let s = d.span;
                once(&mut notice, *d, s, "notice", "termination trigger", diags)
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
            Attr::Renewal(r) => renewals.push(*r),
            Attr::Renegotiation(r) => renegotiations.push(*r),
            Attr::WindDown(d, s) => once(&mut wind_down, *d, s, "wind down", clause, diags),
            Attr::Terminate(t, _) => terminations.extend(t.into_iter().map(|t| *t)),
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
