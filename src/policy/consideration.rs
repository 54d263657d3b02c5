//! Reading a grant's [`ConsiderationOut`] without buffering it.
//!
//! `ConsiderationOut` is written internally tagged (`{"kind": "royalty", "rate": …}`).
//! serde's derived reader for such an enum first copies every member of the object
//! into a buffer of its own, then reads the variant from that buffer: for the 10k-grant
//! benchmark's compact policy that was 14 % of loading it (issue 19, round 14). xlic
//! writes `kind` first, so this reader takes `kind` and then reads the other members
//! straight into the variant's fields. An object whose `kind` comes later (a policy
//! written by another program) is gathered into a JSON object first and read the same
//! way, so both orders give the same value and the same errors.

use super::{ConsiderationOut, Dec, FrequencyOut, LimitOut, MoneyOut, PaymentOut, TierOut};
use crate::date::Date;
use crate::vocab::RoyaltyBase;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The `kind` member: which variant.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Kind {
    RoyaltyFree,
    Royalty,
    PerUnit,
    Tiered,
    LumpSum,
    Milestone,
}

/// The members of each variant other than `kind`, as `ConsiderationOut` has them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoyaltyFree {}

/// A running royalty's variant: its own members, then when it is payable and how it is
/// paid and reported (the members `royalty`, `per_unit` and `tiered` share).
/// Each also turns into its `ConsiderationOut` variant, of the same name.
macro_rules! running {
    ($name:ident { $($member:ident: $ty:ty),* $(,)? }) => {
        impl $name {
            fn variant(self) -> ConsiderationOut {
                ConsiderationOut::$name {
                    $($member: self.$member,)*
                    from: self.from,
                    until: self.until,
                    until_expiry: self.until_expiry,
                    from_expiry: self.from_expiry,
                    payable: self.payable,
                    report: self.report,
                }
            }
        }

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            $($member: $ty,)*
            #[serde(default)]
            from: Option<Date>,
            #[serde(default)]
            until: Option<Date>,
            #[serde(default)]
            until_expiry: bool,
            #[serde(default)]
            from_expiry: bool,
            #[serde(default)]
            payable: Option<PaymentOut>,
            #[serde(default)]
            report: Option<FrequencyOut>,
        }
    };
}

running!(Royalty {
    rate: Dec,
    base: RoyaltyBase,
    limits: Vec<LimitOut>,
});
running!(PerUnit {
    amount: MoneyOut,
    limits: Vec<LimitOut>,
});
running!(Tiered {
    base: RoyaltyBase,
    per_year: bool,
    tiers: Vec<TierOut>,
    limits: Vec<LimitOut>,
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LumpSum {
    amount: MoneyOut,
    due: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Milestone {
    amount: MoneyOut,
    event: String,
}

/// Reads the members after `kind` into the variant `kind` names.
fn variant<'de, D: Deserializer<'de>>(kind: Kind, d: D) -> Result<ConsiderationOut, D::Error> {
    Ok(match kind {
        Kind::RoyaltyFree => {
            RoyaltyFree::deserialize(d)?;
            ConsiderationOut::RoyaltyFree
        }
        Kind::Royalty => Royalty::deserialize(d)?.variant(),
        Kind::PerUnit => PerUnit::deserialize(d)?.variant(),
        Kind::Tiered => Tiered::deserialize(d)?.variant(),
        Kind::LumpSum => {
            let r = LumpSum::deserialize(d)?;
            ConsiderationOut::LumpSum {
                amount: r.amount,
                due: r.due,
            }
        }
        Kind::Milestone => {
            let r = Milestone::deserialize(d)?;
            ConsiderationOut::Milestone {
                amount: r.amount,
                event: r.event,
            }
        }
    })
}

/// The first member's name: `kind`, or another.
enum First {
    Kind,
    Other(String),
}

impl<'de> Deserialize<'de> for First {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<First, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = First;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<First, E> {
                Ok(if v == "kind" {
                    First::Kind
                } else {
                    First::Other(v.to_string())
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> Deserialize<'de> for ConsiderationOut {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ConsiderationOut, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ConsiderationOut;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a consideration object with a `kind`")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ConsiderationOut, A::Error> {
                match map.next_key::<First>()? {
                    None => Err(de::Error::missing_field("kind")),
                    Some(First::Kind) => {
                        let kind: Kind = map.next_value()?;
                        variant(kind, de::value::MapAccessDeserializer::new(map))
                    }
                    Some(First::Other(first)) => {
                        // `kind` later: gather the members, then read them alike.
                        let mut members = serde_json::Map::new();
                        let mut key = first;
                        loop {
                            let value: serde_json::Value = map.next_value()?;
                            if members.insert(key.clone(), value).is_some() {
                                return Err(de::Error::custom(format_args!(
                                    "duplicate field `{key}`"
                                )));
                            }
                            match map.next_key::<String>()? {
                                Some(k) => key = k,
                                None => break,
                            }
                        }
                        let kind = members
                            .remove("kind")
                            .ok_or_else(|| de::Error::missing_field("kind"))?;
                        let kind = Kind::deserialize(kind).map_err(de::Error::custom)?;
                        variant(kind, members.into_deserializer()).map_err(de::Error::custom)
                    }
                }
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// Every variant, with every optional member given.
    fn every_variant() -> Vec<Value> {
        let money = json!({"amount": "1000", "currency": "EUR"});
        let limits = json!([
            {"kind": "cap", "amount": money, "per_year": true, "calendar_year": true},
            {"kind": "floor", "amount": money, "per_year": false}
        ]);
        let running = |mut v: Value| {
            let extra = json!({
                "from": "2027-01-01", "until": "2030-01-01", "until_expiry": true,
                "from_expiry": true,
                "payable": {"every": "quarterly", "within": {"amount": 45, "unit": "days"}},
                "report": "quarterly"
            });
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        vec![
            json!({"kind": "royalty_free"}),
            running(
                json!({"kind": "royalty", "rate": "2.5", "base": "net_sales", "limits": limits}),
            ),
            json!({"kind": "royalty", "rate": "2.5", "base": "net_sales", "limits": []}),
            running(json!({"kind": "per_unit", "amount": money, "limits": []})),
            running(
                json!({"kind": "tiered", "base": "net_sales", "per_year": true,
                "tiers": [{"from": {"amount": "0", "currency": "EUR"}, "to": null, "rate": "3"}],
                "limits": []}),
            ),
            json!({"kind": "lump_sum", "amount": money, "due": "2027-01-01"}),
            json!({"kind": "lump_sum", "amount": money, "due": null}),
            json!({"kind": "milestone", "amount": money, "event": "first sale"}),
        ]
    }

    /// The same object as text with `kind` last instead of first.
    fn kind_last(v: &Value) -> String {
        let o = v.as_object().unwrap();
        let mut parts: Vec<String> = o
            .iter()
            .filter(|(k, _)| *k != "kind")
            .map(|(k, x)| format!("{}:{x}", Value::from(k.as_str())))
            .collect();
        parts.push(format!("\"kind\":{}", o["kind"]));
        format!("{{{}}}", parts.join(","))
    }

    /// Written by xlic (`kind` first) or with `kind` last, each variant reads as the
    /// value it was written from, and is written back to the same JSON.
    #[test]
    fn every_variant_reads_back_in_either_order() {
        for v in every_variant() {
            let first: ConsiderationOut =
                serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert_eq!(serde_json::to_value(&first).unwrap(), v);
            let written = serde_json::to_string(&first).unwrap();
            assert!(written.starts_with("{\"kind\":"), "{written}");
            let again: ConsiderationOut = serde_json::from_str(&written).unwrap();
            assert_eq!(again, first);
            let text = kind_last(&v);
            let last: ConsiderationOut =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(last, first, "{text}");
        }
    }

    /// An unknown or duplicated member, an unknown kind, a missing member or `kind`
    /// is refused in either order, naming what is wrong.
    #[test]
    fn a_bad_consideration_is_refused_in_either_order() {
        let cases = [
            (
                r#"{"kind":"lump_sum","amount":{"amount":"1","currency":"EUR"},"due":null,"x":1}"#,
                "unknown field `x`",
            ),
            (
                r#"{"amount":{"amount":"1","currency":"EUR"},"due":null,"x":1,"kind":"lump_sum"}"#,
                "unknown field `x`",
            ),
            (r#"{"kind":"barter"}"#, "unknown variant `barter`"),
            (
                r#"{"event":"e","kind":"barter"}"#,
                "unknown variant `barter`",
            ),
            (
                r#"{"kind":"milestone","amount":{"amount":"1","currency":"EUR"}}"#,
                "missing field `event`",
            ),
            (
                r#"{"amount":{"amount":"1","currency":"EUR"},"kind":"milestone"}"#,
                "missing field `event`",
            ),
            (
                r#"{"amount":{"amount":"1","currency":"EUR"},"event":"e"}"#,
                "missing field `kind`",
            ),
            (r#"{}"#, "missing field `kind`"),
            (
                r#"{"event":"e","event":"f","kind":"milestone"}"#,
                "duplicate field `event`",
            ),
            (
                r#"{"kind":"royalty_free","rate":"1"}"#,
                "unknown field `rate`",
            ),
            (r#"[]"#, "a consideration object"),
        ];
        for (text, want) in cases {
            let err = serde_json::from_str::<ConsiderationOut>(text)
                .map(|c| format!("read as {c:?}"))
                .unwrap_or_else(|e| e.to_string());
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
