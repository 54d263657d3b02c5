//! How the policy writes and reads its typed values: dates as `YYYY-MM-DD`, decimals
//! as strings, and each vocabulary (rights, kinds, exclusivity, …) as a closed set of
//! strings, so that a reader gets typed values or a precise error, never a string to
//! parse again, and the JSON Schema lists every allowed spelling.

use crate::date::{Date, DurationUnit};
use crate::vocab::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, ObligationKind, Origin, Purpose, Right, Sublicense,
};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::str::FromStr;

/// A set of strings standing for the variants of an enum: serialised as the string,
/// read back strictly, described in the schema as an `enum`.
macro_rules! string_enum {
    ($ty:ty, $name:literal, { $($variant:path => $text:literal),+ $(,)? }) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(match self { $($variant => $text),+ })
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let text = Cow::<'de, str>::deserialize(d)?;
                match text.as_ref() {
                    $($text => Ok($variant),)+
                    other => Err(serde::de::Error::custom(format!(
                        "`{other}` is not one of {}",
                        [$(concat!("`", $text, "`")),+].join(", ")
                    ))),
                }
            }
        }

        /// Written as the policy spells it.
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(match self { $($variant => $text),+ })
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }
    };
}

// Rights are written with their keywords (`have made`).
impl Serialize for Right {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.keyword())
    }
}

impl<'de> Deserialize<'de> for Right {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Right, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        Right::ALL
            .into_iter()
            .find(|r| r.keyword() == text.as_ref())
            .ok_or_else(|| {
                let all: Vec<String> = Right::ALL
                    .iter()
                    .map(|r| format!("`{}`", r.keyword()))
                    .collect();
                serde::de::Error::custom(format!("`{text}` is not one of {}", all.join(", ")))
            })
    }
}

impl JsonSchema for Right {
    fn schema_name() -> Cow<'static, str> {
        "Right".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let all: Vec<&str> = Right::ALL.iter().map(|r| r.keyword()).collect();
        schemars::json_schema!({ "type": "string", "enum": all })
    }
}

string_enum!(AssetKind, "AssetKind", {
    AssetKind::Patent => "patent",
    AssetKind::PatentFamily => "patent_family",
    AssetKind::KnowHow => "know_how",
    AssetKind::TradeSecret => "trade_secret",
    AssetKind::Software => "software",
    AssetKind::Data => "data",
    AssetKind::PatentsFiled => "patents_filed",
});

string_enum!(Origin, "Origin", {
    Origin::Background => "background",
    Origin::Foreground => "foreground",
});

string_enum!(AgreementKind, "AgreementKind", {
    AgreementKind::CrossLicense => "cross-license",
    AgreementKind::License => "license",
    AgreementKind::Pool => "pool",
});

string_enum!(ExclusivityKind, "Exclusivity", {
    ExclusivityKind::Exclusive => "exclusive",
    ExclusivityKind::Sole => "sole",
    ExclusivityKind::NonExclusive => "non-exclusive",
});

string_enum!(Sublicense, "Sublicense", {
    Sublicense::None => "none",
    Sublicense::Affiliates => "affiliates",
    Sublicense::WithConsent => "with_consent",
    Sublicense::Free => "free",
});

string_enum!(LimitKind, "LimitKind", {
    LimitKind::Cap => "cap",
    LimitKind::Floor => "floor",
});

string_enum!(ImprovementOwner, "ImprovementOwner", {
    ImprovementOwner::Improver => "improver",
    ImprovementOwner::BaseOwner => "base_owner",
    ImprovementOwner::Joint => "joint",
});

string_enum!(FlowDirection, "FlowDirection", {
    FlowDirection::GrantBack => "grant_back",
    FlowDirection::LicenseForward => "license_forward",
});

string_enum!(Coverage, "Coverage", {
    Coverage::Collaboration => "collaboration",
    Coverage::All => "all",
});

string_enum!(DurationUnit, "DurationUnit", {
    DurationUnit::Days => "days",
    DurationUnit::Months => "months",
    DurationUnit::Years => "years",
});

// rights (issue 15): the purposes of a clause.
string_enum!(Purpose, "Purpose", {
    Purpose::Commercial => "commercial",
    Purpose::Research => "research",
    Purpose::Educational => "educational",
    Purpose::Internal => "internal",
});

/// What a royalty is a percentage of.
pub use crate::vocab::RoyaltyBase;

string_enum!(RoyaltyBase, "RoyaltyBase", {
    RoyaltyBase::NetSales => "net_sales",
    RoyaltyBase::GrossSales => "gross_sales",
    RoyaltyBase::Revenue => "revenue",
    RoyaltyBase::Profits => "profits",
});

/// A reservation's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReservationKind {
    /// No grant may cover it.
    Hard,
    /// Rights the holder keeps for its own use.
    Retained,
}

string_enum!(ReservationKind, "ReservationKind", {
    ReservationKind::Hard => "hard",
    ReservationKind::Retained => "retained",
});

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        Date::parse(&text).map_err(|e| {
            serde::de::Error::custom(format!("`{text}` is not a calendar date (YYYY-MM-DD): {e}"))
        })
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// A decimal number written as a string, never as a JSON number (which readers may
/// take for floating point): `"1000000"`, `"2.5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Dec, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        let plain = !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit() || c == '.')
            && text.chars().filter(|c| *c == '.').count() <= 1
            && !text.starts_with('.')
            && !text.ends_with('.');
        if !plain {
            return Err(serde::de::Error::custom(format!(
                "`{text}` is not a decimal number such as `1000` or `2.5` (no sign, exponent or separators)"
            )));
        }
        let value = Decimal::from_str(&text).map_err(|e| {
            serde::de::Error::custom(format!("`{text}` is not a representable decimal: {e}"))
        })?;
        // Twenty-eight characters hold at most 28 digits, which a decimal's 96 bits
        // always hold exactly (10^28 < 2^96): only a longer text can have been rounded,
        // and only that one is written back to compare (the check cost 4 % of reading a
        // policy, issue 19).
        if text.len() > MAX_EXACT_CHARS && value.normalize().to_string() != canonical(&text) {
            return Err(serde::de::Error::custom(format!(
                "`{text}` has more digits than a decimal can hold exactly"
            )));
        }
        Ok(Dec(value))
    }
}

/// The longest decimal text that is always read exactly (see `Dec`'s reader).
const MAX_EXACT_CHARS: usize = 28;

/// A plain decimal's shortest spelling: no leading zeros before the units, no trailing
/// zeros after the point.
fn canonical(text: &str) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

impl JsonSchema for Dec {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+(\\.[0-9]+)?$"
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_refuse_strangers() {
        for r in Right::ALL {
            let s = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Right>(&s).unwrap(), r);
        }
        let e = serde_json::from_str::<Right>("\"fly\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`fly` is not one of `make`"), "{e}");
        assert!(serde_json::from_str::<ExclusivityKind>("\"exclusive\"").is_ok());
        assert!(serde_json::from_str::<ExclusivityKind>("\"Exclusive\"").is_err());
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert!(serde_json::from_str::<Date>("\"2031-02-28\"").is_ok());
        for bad in [
            "\"2031-02-30\"",
            "\"31/12/2030\"",
            "\"2031-1-1\"",
            "20310101",
        ] {
            assert!(serde_json::from_str::<Date>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimals_are_plain_and_exact() {
        assert_eq!(
            serde_json::from_str::<Dec>("\"2.50\"")
                .unwrap()
                .0
                .normalize()
                .to_string(),
            "2.5"
        );
        for bad in ["\"-1\"", "\"1e3\"", "\"1,000\"", "\"\"", "\".5\"", "2.5"] {
            assert!(serde_json::from_str::<Dec>(bad).is_err(), "{bad}");
        }
        let long = format!("\"1.{}1\"", "0".repeat(40));
        assert!(serde_json::from_str::<Dec>(&long).is_err());
    }

    /// Every text of up to 28 characters reads exactly (the reader skips the check
    /// there), and at the edge a longer one is refused only when a decimal would round
    /// it.
    #[test]
    fn short_decimals_read_exactly_without_the_check() {
        let mut texts = vec![
            "9".repeat(28),
            format!("0.{}", "9".repeat(26)),
            format!("{}.9", "9".repeat(26)),
            format!("1.{}", "0".repeat(26)),
            "0".repeat(28),
            "1".to_string(),
        ];
        let mut x: u64 = 0x5eed;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x % 27) as usize;
            let digits: String = (0..len)
                .map(|i| char::from(b'0' + ((x >> (i % 60)) % 10) as u8))
                .collect();
            let point = (x >> 40) as usize % (len + 1);
            let text = if point == 0 || point == len {
                digits
            } else {
                format!("{}.{}", &digits[..point], &digits[point..])
            };
            texts.push(text);
        }
        for text in texts {
            assert!(text.len() <= MAX_EXACT_CHARS);
            let d: Dec = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(d.0.normalize().to_string(), canonical(&text), "{text}");
        }
        // 29 nines need 97 bits: refused. 29 characters that fit: read.
        assert!(serde_json::from_str::<Dec>(&format!("\"{}\"", "9".repeat(29))).is_err());
        let fits = format!("\"{}\"", "1".repeat(29));
        assert!(serde_json::from_str::<Dec>(&fits).is_ok());
    }
}

// terms (issue 15, part 3)
string_enum!(ObligationKind, "ObligationKind", {
    ObligationKind::Audit => "audit",
    ObligationKind::Confidentiality => "confidentiality",
    ObligationKind::Disputes => "disputes",
    ObligationKind::Liability => "liability",
    ObligationKind::Provision => "provision",
    ObligationKind::Warranty => "warranty",
    ObligationKind::Prosecution => "prosecution",
    ObligationKind::Enforcement => "enforcement",
    ObligationKind::Committee => "committee",
    ObligationKind::Insurance => "insurance",
    ObligationKind::Escrow => "escrow",
    ObligationKind::NonCompete => "non_compete",
    ObligationKind::NonSolicit => "non_solicit",
    ObligationKind::Beneficiaries => "beneficiaries",
});
