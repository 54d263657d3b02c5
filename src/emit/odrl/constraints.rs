//! Constraints and duties: fields of use, countries, periods, money and the
//! consideration a grant asks for.

use super::*;
use crate::date::Date;
use crate::emit::json::{ConsiderationOut, LimitOut, MoneyOut};

/// outputs: a field of use is the profile's `xlic:fieldOfUse`, not `odrl:purpose`
/// (which says why an action is done, not in which field of technology).
pub(super) fn purpose(fields: &[String], operator: &'static str) -> Constraint {
    constraint(
        "xlic:fieldOfUse",
        operator,
        Operand::Many(
            fields
                .iter()
                .map(|f| Operand::Id(id(field_iri(f))))
                .collect(),
        ),
    )
}

pub(super) fn spatial<S: AsRef<str>>(codes: &[S], operator: &'static str) -> Constraint {
    constraint(
        "spatial",
        operator,
        Operand::Many(
            codes
                .iter()
                // outputs: typed, so a reader knows the string is a country code.
                .map(|c| {
                    Operand::Typed(Typed {
                        value: c.as_ref().to_string(),
                        datatype: "xlic:countryCode",
                    })
                })
                .collect(),
        ),
    )
}

/// `dateTime gteq start` and, when the period ends, `dateTime lt end`.
pub(super) fn period(start: Date, end: Option<Date>) -> Vec<Constraint> {
    let mut out = vec![constraint(
        "dateTime",
        "gteq",
        Operand::Typed(date_value(start)),
    )];
    if let Some(e) = end {
        out.push(constraint("dateTime", "lt", Operand::Typed(date_value(e))));
    }
    out
}

pub(super) fn period_out(start: Date, end: Option<Date>) -> Vec<Constraint> {
    period(start, end)
}

pub(super) fn currency(code: &str) -> IdRef {
    id(format!("{CURRENCY}{}", encode(code)))
}

pub(super) fn money_constraint(
    left: &'static str,
    operator: &'static str,
    m: &MoneyOut,
) -> Constraint {
    Constraint {
        left,
        operator,
        right: Operand::Typed(decimal(&m.amount)),
        unit: Some(currency(&m.currency)),
    }
}

pub(super) fn limit(l: &LimitOut) -> Constraint {
    let left = if l.per_year {
        "xlic:annualPayAmount"
    } else {
        "xlic:totalPayAmount"
    };
    let operator = if l.kind == crate::vocab::LimitKind::Floor {
        "gteq"
    } else {
        "lteq"
    };
    money_constraint(left, operator, &l.amount)
}

pub(super) fn base(b: Option<&crate::policy::RoyaltyBase>) -> Constraint {
    let value = match b {
        Some(crate::policy::RoyaltyBase::NetSales) => "xlic:netSales",
        Some(crate::policy::RoyaltyBase::GrossSales) => "xlic:grossSales",
        Some(crate::policy::RoyaltyBase::Revenue) => "xlic:revenue",
        Some(crate::policy::RoyaltyBase::Profits) => "xlic:profits",
        None => "xlic:unitsSold",
    };
    constraint("xlic:royaltyBase", "eq", Operand::Id(id(value)))
}

/// The `compensate` duty of one line of consideration; `None` when royalty-free.
pub(super) fn duty(c: &ConsiderationOut, licensor: &str) -> Option<Duty> {
    let mut tiers = Vec::new();
    let mut tiers_per_year = None;
    let mut constraints = Vec::new();
    // A running royalty's period (terms: issue 15): from, until, until and from expiry.
    let mut period = None;
    let (kind, refinement) = match c {
        ConsiderationOut::RoyaltyFree => return None,
        ConsiderationOut::Royalty {
            rate,
            base: b,
            limits,
            from,
            until,
            until_expiry,
            from_expiry,
            ..
        } => {
            period = Some((*from, *until, *until_expiry, *from_expiry));
            let mut r = vec![
                constraint("xlic:royaltyRate", "eq", Operand::Typed(decimal(rate))),
                base(Some(b)),
            ];
            r.extend(limits.iter().map(limit));
            ("xlic:percentRoyalty", r)
        }
        ConsiderationOut::PerUnit {
            amount,
            limits,
            from,
            until,
            until_expiry,
            from_expiry,
            ..
        } => {
            period = Some((*from, *until, *until_expiry, *from_expiry));
            let mut r = vec![money_constraint("payAmount", "eq", amount), base(None)];
            r.extend(limits.iter().map(limit));
            ("xlic:perUnitRoyalty", r)
        }
        ConsiderationOut::Tiered {
            base: b,
            per_year,
            tiers: list,
            limits,
            from,
            until,
            until_expiry,
            from_expiry,
            ..
        } => {
            period = Some((*from, *until, *until_expiry, *from_expiry));
            tiers_per_year = Some(*per_year);
            tiers = list
                .iter()
                .map(|t| Tier {
                    from: decimal(&t.from.amount),
                    to: t.to.as_ref().map(|x| decimal(&x.amount)),
                    rate: decimal(&t.rate),
                    unit: currency(&t.from.currency),
                })
                .collect();
            let mut r = vec![base(Some(b))];
            r.extend(limits.iter().map(limit));
            ("xlic:tieredRoyalty", r)
        }
        ConsiderationOut::LumpSum { amount, due } => {
            if let Some(d) = *due {
                constraints.push(constraint(
                    "dateTime",
                    "lteq",
                    Operand::Typed(date_value(d)),
                ));
            }
            (
                "xlic:lumpSum",
                vec![money_constraint("payAmount", "eq", amount)],
            )
        }
        ConsiderationOut::Milestone { amount, event } => {
            constraints.push(constraint("event", "eq", Operand::Text(event.clone())));
            (
                "xlic:milestone",
                vec![money_constraint("payAmount", "eq", amount)],
            )
        }
    };
    let mut d = Duty::new(Action::Refined(RefinedAction {
        value: id("odrl:compensate"),
        refinement,
    }));
    d.compensated_party = Some(party_iri(licensor));
    // A running royalty is owed on the days of its period (`from` included, `until`
    // excluded), as `xlic query` lists it; `until expiry` and (round 6) `from expiry`
    // are marked, since they depend on the patents in force in each country.
    if let Some((from, until, until_expiry, from_expiry)) = period {
        if let Some(f) = from {
            constraints.push(constraint(
                "dateTime",
                "gteq",
                Operand::Typed(date_value(f)),
            ));
        }
        if let Some(u) = until {
            constraints.push(constraint("dateTime", "lt", Operand::Typed(date_value(u))));
        }
        d.until_expiry = until_expiry.then_some(true);
        d.from_expiry = from_expiry.then_some(true);
    }
    d.constraint = constraints;
    d.consideration = Some(id(kind));
    d.tiers_per_year = tiers_per_year;
    d.tiers = tiers;
    Some(d)
}
