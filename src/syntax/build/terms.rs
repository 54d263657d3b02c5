//! Grammar actions for defined terms, obligation clauses and royalty options.

use super::*;

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
    Limit(Box<Limit>),
    From(DateLit),
    Until(DateLit),
    UntilExpiry(Span),
    /// terms (issue 15, round 5)
    FromExpiry(Span),
    For(DurationLit),
    /// terms (issue 15)
    Payable(Box<PaymentLit>),
    Report(Spanned<crate::vocab::Frequency>),
}

/// An option after a commitment's subject (terms: issue 15, round 5).
#[derive(Debug)]
pub enum CommitOpt {
    From(DateLit),
    Until(DateLit),
}

/// A commitment line (terms: issue 15, round 5): a second `from` or `until` is E0011.
pub fn commitment(
    (name, party): (Option<Ident>, Ident),
    amount: CommitAmount,
    per: Option<bool>,
    subject: StrLit,
    opts: Vec<CommitOpt>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Commitment {
    let (mut from, mut until) = (None, None);
    for opt in opts {
        match opt {
            CommitOpt::From(d) => {
                let s = d.span;
                once(&mut from, d, s, "from", "commitment", diags)
            }
            CommitOpt::Until(d) => {
                let s = d.span;
                once(&mut until, d, s, "until", "commitment", diags)
            }
        }
    }
    Commitment {
        name,
        party,
        amount,
        per_year: per,
        subject,
        from: first(from),
        until: first(until),
        span,
    }
}

/// Sorts a running royalty's options into its caps and floors and its period; a
/// second start, or a second end (`until DATE`, `until expiry`, `for N years`), is
/// E0011.
pub fn royalty_opts(
    opts: Vec<RoyaltyOpt>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Limit>, Box<RoyaltyPeriodLit>) {
    enum Start {
        Date(DateLit),
        Expiry(Span),
    }
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
                once(&mut payable, *p, s, "payable", "royalty", diags)
            }
            RoyaltyOpt::Report(f) => {
                let s = f.span;
                once(&mut report, f, s, "report", "royalty", diags)
            }
            RoyaltyOpt::Limit(l) => limits.push(*l),
            RoyaltyOpt::From(d) => {
                let s = d.span;
                once(&mut from, Start::Date(d), s, "from", "royalty", diags)
            }
            RoyaltyOpt::FromExpiry(s) => {
                once(&mut from, Start::Expiry(s), s, "from", "royalty", diags)
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
        payable: first(payable),
        report: first(report),
        ..RoyaltyPeriodLit::default()
    };
    match first(from) {
        Some(Start::Date(d)) => period.from = Some(d),
        Some(Start::Expiry(s)) => period.from_expiry = Some(s),
        None => {}
    }
    match first(end) {
        Some(End::Until(d)) => period.until = Some(d),
        Some(End::Expiry(s)) => period.until_expiry = Some(s),
        Some(End::For(d)) => period.for_ = Some(d),
        None => {}
    }
    (limits, Box::new(period))
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
                word.name.to_string()
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
