//! The words of a change: a value before and after as the language writes it (terms,
//! durations, payments, improvement rules, territories as short expressions).

use super::*;

/// A difference in words: `licensees: globex → initech`, `patents[US 2] added: …`.
pub(super) fn leaf_text(l: &Leaf, groups: &Groups) -> String {
    let key = l.key();
    let path = l.path_text().replace('_', " ");
    let w = |v: &Value| leaf_words(key, v, groups);
    match (&l.before, &l.after) {
        (None, Some(a)) => format!("{path} added: {}", w(a)),
        (Some(b), None) => format!("{path} removed: {}", w(b)),
        (Some(b), Some(a)) => format!("{path}: {} → {}", w(b), w(a)),
        (None, None) => path,
    }
}

/// A value in words, payments, improvement rules, renewals and triggers as the
/// language writes them.
pub(super) fn leaf_words(key: &str, v: &Value, groups: &Groups) -> String {
    use crate::emit::json::{ConsiderationOut, FlowOut, RenewalOut, TriggerOut};
    let said = match key {
        "consideration" => serde_json::from_value::<Vec<ConsiderationOut>>(v.clone())
            .ok()
            .map(|c| consideration_text(&c)),
        // A list of rules, or one rule (`rules[grant back globex -> acme]`); the
        // policy's values without their source.
        "rules" => {
            let with_source = |x: &Value| {
                let mut x = x.clone();
                if let Value::Object(o) = &mut x {
                    o.entry("source").or_insert_with(|| {
                        serde_json::json!({"file": "", "line": 0, "column": 0, "end_line": 0, "end_column": 0})
                    });
                }
                x
            };
            match v {
                Value::Array(list) => each(
                    &Value::Array(list.iter().map(with_source).collect()),
                    |r: FlowOut| flow_text(&r),
                ),
                Value::Object(_) => serde_json::from_value::<FlowOut>(with_source(v))
                    .ok()
                    .map(|r| flow_text(&r)),
                _ => None,
            }
        }
        "renewals" => each(v, |r: RenewalOut| {
            let mut s = format!(
                "{} for {}",
                if r.automatic {
                    "renews automatically"
                } else {
                    "renewable"
                },
                dur(&r.period)
            );
            if let Some(m) = r.max_times {
                s.push_str(&format!(", at most {m} times"));
            }
            if let Some(n) = r.notice {
                s.push_str(&format!(", notice {}", dur(&n)));
            }
            s
        }),
        "terminations" => each(v, |t: TriggerOut| {
            let mut s = format!("terminable on \"{}\"", t.event);
            if let Some(of) = &t.of {
                s.push_str(&format!(" of {of}"));
            }
            if let Some(by) = &t.by {
                s.push_str(&format!(" by {by}"));
            }
            if let Some(c) = t.cure {
                s.push_str(&format!(", cure {}", dur(&c)));
            }
            if let Some(n) = t.notice {
                s.push_str(&format!(", notice {}", dur(&n)));
            }
            s
        }),
        _ => None,
    };
    said.unwrap_or_else(|| structure::words(key, v, groups))
}

/// A non-empty list of one type of policy value, each in words, joined by `; `.
pub(super) fn each<T: serde::de::DeserializeOwned>(
    v: &Value,
    say: impl Fn(T) -> String,
) -> Option<String> {
    let list = v.as_array().filter(|l| !l.is_empty())?;
    let items: Option<Vec<String>> = list
        .iter()
        .map(|x| serde_json::from_value::<T>(x.clone()).ok().map(&say))
        .collect();
    items.map(|i| i.join("; "))
}

/// A duration as the language writes it: `1 year`, `90 days`.
pub(super) fn dur(d: &crate::emit::json::DurationOut) -> String {
    structure::duration(&d.amount.to_string(), &d.unit.to_string())
}

/// A grant-back or license-forward rule in words.
pub(super) fn flow_text(r: &crate::emit::json::FlowOut) -> String {
    let mut s = format!(
        "{} {} → {}, covering {}, {}, {}",
        value(&r.direction)
            .as_str()
            .unwrap_or("?")
            .replace('_', " "),
        r.from,
        r.to,
        value(&r.covers).as_str().unwrap_or("?"),
        r.exclusivity,
        consideration_text(&r.consideration)
    );
    if let Some(d) = r.sunset {
        s.push_str(&format!(", until {d}"));
    }
    if r.consent_required {
        s.push_str(", consent required");
    }
    s
}

pub(super) fn money_text(m: &crate::emit::json::MoneyOut) -> String {
    format!("{} {}", m.amount, m.currency)
}

pub(super) fn limits_text(list: &[crate::emit::json::LimitOut]) -> String {
    list.iter()
        .map(|l| {
            format!(
                ", {} {}{}",
                l.kind,
                money_text(&l.amount),
                match (l.per_year, l.calendar_year) {
                    (_, true) => " per calendar year",
                    (true, false) => " per year",
                    (false, false) => "",
                }
            )
        })
        .collect()
}

/// A clause's consideration in the words of the language.
pub(super) fn consideration_text(list: &[crate::emit::json::ConsiderationOut]) -> String {
    use crate::emit::json::ConsiderationOut as C;
    if list.is_empty() {
        return "royalty-free".to_string();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|c| match c {
            C::RoyaltyFree => "royalty-free".to_string(),
            C::Royalty {
                rate,
                limits,
                base,
                from,
                until,
                until_expiry,
                from_expiry,
                payable,
                report,
            } => format!(
                "royalty {rate}% of {}{}{}{}",
                base.keyword(),
                limits_text(limits),
                period_text(*from, *from_expiry, *until, *until_expiry),
                payment_text(payable.as_ref(), *report)
            ),
            C::PerUnit {
                amount,
                limits,
                from,
                until,
                until_expiry,
                from_expiry,
                payable,
                report,
            } => format!(
                "royalty {} per unit{}{}{}",
                money_text(amount),
                limits_text(limits),
                period_text(*from, *from_expiry, *until, *until_expiry),
                payment_text(payable.as_ref(), *report)
            ),
            C::Tiered {
                tiers,
                limits,
                per_year,
                from,
                until,
                until_expiry,
                from_expiry,
                payable,
                report,
                ..
            } => {
                let bands: Vec<String> = tiers
                    .iter()
                    .map(|t| match &t.to {
                        Some(to) => format!(
                            "{} to {} at {}%",
                            money_text(&t.from),
                            money_text(to),
                            t.rate
                        ),
                        None => format!("from {} at {}%", money_text(&t.from), t.rate),
                    })
                    .collect();
                format!(
                    "tiered royalty{} ({}){}{}{}",
                    if *per_year { " per year" } else { "" },
                    bands.join("; "),
                    limits_text(limits),
                    period_text(*from, *from_expiry, *until, *until_expiry),
                    payment_text(payable.as_ref(), *report)
                )
            }
            C::LumpSum { amount, due } => match due {
                Some(d) => format!("lump sum {} on {d}", money_text(amount)),
                None => format!("lump sum {}", money_text(amount)),
            },
            C::Milestone { amount, event } => {
                format!("milestone {} on \"{event}\"", money_text(amount))
            }
        })
        .collect();
    parts.join("; ")
}

/// terms (issue 15): a running royalty's payment timing and reports as the language
/// writes them: `, payable quarterly within 45 days, report quarterly`.
fn payment_text(
    payable: Option<&crate::emit::json::PaymentOut>,
    report: Option<crate::emit::json::FrequencyOut>,
) -> String {
    let mut s = String::new();
    if let Some(p) = payable {
        let every = crate::vocab::Frequency::from(p.every).keyword();
        s.push_str(&format!(", payable {every}"));
        if let Some(w) = &p.within {
            s.push_str(&format!(" within {}", dur(w)));
        }
    }
    if let Some(r) = report {
        s.push_str(&format!(
            ", report {}",
            crate::vocab::Frequency::from(r).keyword()
        ));
    }
    s
}

/// A running royalty's period as the language writes it: `, from D, until D`.
fn period_text(
    from: Option<crate::date::Date>,
    from_expiry: bool,
    until: Option<crate::date::Date>,
    expiry: bool,
) -> String {
    let mut s = String::new();
    if let Some(f) = from {
        s.push_str(&format!(", from {f}"));
    } else if from_expiry {
        s.push_str(", from expiry");
    }
    if let Some(u) = until {
        s.push_str(&format!(", until {u}"));
    } else if expiry {
        s.push_str(", until expiry");
    }
    s
}
