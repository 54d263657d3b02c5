//! The words, checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::date::{Date, Duration, DurationUnit};
use crate::model::{ConsiderationModel, LimitModel, MoneyValue, RightSet};
use crate::territory::TerritorySet;
use crate::vocab::{LimitKind, Right};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn m(amount: &str, currency: &str) -> MoneyValue {
    MoneyValue {
        amount: Decimal::from_str(amount).unwrap(),
        currency: currency.to_string(),
    }
}

fn set(codes: &[&str]) -> TerritorySet {
    TerritorySet::from_codes(codes).unwrap()
}

#[test]
fn lists_join_in_english() {
    let none: [&str; 0] = [];
    assert_eq!(join_list(&none), "");
    assert_eq!(join_list(&["Germany"]), "Germany");
    assert_eq!(join_list(&["Germany", "Austria"]), "Germany and Austria");
    assert_eq!(
        join_list(&["Germany", "Austria", "Switzerland"]),
        "Germany, Austria and Switzerland"
    );
    assert_eq!(join_list(&["a", "b", "c", "d"]), "a, b, c and d");
    assert_eq!(join_with(&["a", "b", "c"], "or"), "a, b or c");
}

#[test]
fn long_dates() {
    assert_eq!(long_date(d("2026-01-01")), "1 January 2026");
    assert_eq!(long_date(d("2030-12-31")), "31 December 2030");
    assert_eq!(long_date(d("2028-02-29")), "29 February 2028");
    assert_eq!(short_date(d("2026-09-18")), "18\u{a0}Sep\u{a0}2026");
}

#[test]
fn half_open_terms_show_their_last_day() {
    assert_eq!(
        period_phrase(d("2026-01-01"), Some(d("2031-01-01"))),
        "commencing on 1 January 2026 and ending on 31 December 2030"
    );
    assert_eq!(
        period_phrase(d("2024-02-01"), Some(d("2024-03-01"))),
        "commencing on 1 February 2024 and ending on 29 February 2024"
    );
    assert_eq!(
        period_phrase(d("2026-01-01"), None),
        "commencing on 1 January 2026 and continuing in perpetuity"
    );
    assert_eq!(last_day(d("2038-05-01")), d("2038-04-30"));
}

#[test]
fn money_is_grouped_and_exact() {
    assert_eq!(money(&m("1000000", "USD")), "USD 1,000,000");
    assert_eq!(money(&m("0.50", "USD")), "USD 0.50");
    assert_eq!(money(&m("0.35", "USD")), "USD 0.35");
    assert_eq!(money(&m("999", "EUR")), "EUR 999");
    assert_eq!(money(&m("1000", "EUR")), "EUR 1,000");
    assert_eq!(money(&m("12500.75", "GBP")), "GBP 12,500.75");
    assert_eq!(money(&m("250000000", "JPY")), "JPY 250,000,000");
    assert_eq!(group_thousands("1234567.000"), "1,234,567.000");
    assert_eq!(group_thousands("-1234"), "-1,234");
    assert_eq!(percent(Decimal::from_str("2.5").unwrap()), "2.5%");
    assert_eq!(percent(Decimal::from_str("3").unwrap()), "3%");
    assert_eq!(percent(Decimal::from_str("1.250").unwrap()), "1.25%");
}

#[test]
fn country_names() {
    assert_eq!(country("DE"), "Germany");
    assert_eq!(country("KR"), "South Korea");
    assert_eq!(country_in_sentence("US"), "the United States");
    assert_eq!(country_in_sentence("GB"), "the United Kingdom");
    assert_eq!(country_in_sentence("NL"), "the Netherlands");
    assert_eq!(country_in_sentence("CH"), "Switzerland");
    assert_eq!(country_in_sentence("CZ"), "Czechia");
    assert_eq!(country_in_sentence("DO"), "the Dominican Republic");
    assert_eq!(
        country_in_sentence("GS"),
        "South Georgia and the South Sandwich Islands"
    );
    assert_eq!(
        country_list(set(&["DE", "AT", "CH"])),
        vec!["Austria", "Germany", "Switzerland"]
    );
}

#[test]
fn territories_in_words() {
    let world = TerritorySet::worldwide();
    assert_eq!(territory_phrase(world).unwrap(), "throughout the world");
    assert_eq!(
        territory_phrase(world.difference(set(&["CN", "RU"]))).unwrap(),
        "throughout the world except China and Russia"
    );
    assert_eq!(
        territory_phrase(TerritorySet::eu()).unwrap(),
        "in the member states of the European Union"
    );
    assert_eq!(
        territory_phrase(TerritorySet::eea()).unwrap(),
        "in the member states of the European Economic Area"
    );
    assert_eq!(
        territory_phrase(set(&["DE", "AT", "CH"])).unwrap(),
        "in Austria, Germany and Switzerland"
    );
    assert_eq!(
        territory_phrase(set(&["US"])).unwrap(),
        "in the United States"
    );
    assert_eq!(
        territory_phrase(TerritorySet::eu().union(set(&["CH"]))).unwrap(),
        "in the member states of the European Union and Switzerland"
    );
    assert_eq!(
        territory_phrase(TerritorySet::eu().difference(set(&["DE"]))).unwrap(),
        "in the member states of the European Union other than Germany"
    );
    assert_eq!(
        territory_phrase(world.difference(TerritorySet::eea())).unwrap(),
        "throughout the world except the member states of the European Economic Area"
    );
    // Forty countries with no bloc to name them by: a defined term.
    let forty: Vec<&str> = crate::iso::COUNTRIES
        .iter()
        .map(|c| c.code)
        .filter(|c| !TerritorySet::eea().contains_code(c))
        .take(40)
        .collect();
    assert_eq!(territory_phrase(set(&forty)), None);
    assert_eq!(
        territory_phrase(TerritorySet::empty()).unwrap(),
        "in no country"
    );
}

#[test]
fn enumerations() {
    let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(enumerate_items(&items(&[])), "");
    assert_eq!(enumerate_items(&items(&["a fee"])), "a fee");
    assert_eq!(
        enumerate_items(&items(&["a fee", "a royalty"])),
        "(i) a fee; and (ii) a royalty"
    );
    assert_eq!(
        enumerate_with(&items(&["x", "y", "z"]), "or"),
        "(i) x; (ii) y; or (iii) z"
    );
}

#[test]
fn names_and_words() {
    assert_eq!(title_case("acme_motion"), "Acme Motion");
    assert_eq!(humanise("accrued_royalties"), "accrued royalties");
    assert_eq!(letter(0), "a");
    assert_eq!(letter(25), "z");
    assert_eq!(letter(26), "aa");
    assert_eq!(roman(4), "iv");
    assert_eq!(
        rights_phrase(RightSet::of([
            Right::Make,
            Right::Use,
            Right::Sell,
            Right::Import
        ])),
        "make, use, sell and import"
    );
    assert_eq!(
        rights_phrase(RightSet::of([Right::Sell, Right::Offer])),
        "sell and offer for sale"
    );
    assert_eq!(
        duration_possessive(Duration {
            amount: 90,
            unit: DurationUnit::Days
        }),
        "90 days'"
    );
}

#[test]
fn considerations_in_words() {
    let c = ConsiderationModel::Percent {
        rate: Decimal::from_str("2.5").unwrap(),
        limits: vec![LimitModel {
            kind: LimitKind::Cap,
            amount: m("1000000", "USD"),
            per_year: true,
            calendar: false,
        }],
        base: crate::vocab::RoyaltyBase::NetSales,
        period: crate::model::RoyaltyPeriod::default(),
    };
    assert_eq!(
        consideration_phrase(&c),
        "a running royalty of 2.5% of net sales, capped at USD 1,000,000 per year"
    );
    // Royalty terms (issue 15): another base, a start and an end.
    let c = ConsiderationModel::Percent {
        rate: Decimal::from_str("10").unwrap(),
        limits: Vec::new(),
        base: crate::vocab::RoyaltyBase::Profits,
        period: crate::model::RoyaltyPeriod {
            from: Some(d("2027-01-01")),
            until: Some(d("2031-01-01")),
            until_expiry: false,
            from_expiry: false,
            payable: None,
            report: None,
        },
    };
    assert_eq!(
        consideration_phrase(&c),
        "a running royalty of 10% of profits, payable from 1 January 2027 and up to and including 31 December 2030, after which no royalty is due under it"
    );
    let c = ConsiderationModel::LumpSum {
        amount: m("2500000", "USD"),
        due: Some(d("2026-03-31")),
    };
    assert_eq!(
        consideration_phrase(&c),
        "a lump sum of USD 2,500,000, payable on 31 March 2026"
    );
}

/// A royalty `until expiry` makes the license fully paid-up in a country only when no
/// other running royalty follows it there: with a know-how step `from expiry`, the
/// prose must not call the license paid-up while the step is payable.
#[test]
fn only_the_last_royalty_makes_the_license_paid_up() {
    let step = |rate: &str, until_expiry, from_expiry| ConsiderationModel::Percent {
        rate: Decimal::from_str(rate).unwrap(),
        limits: Vec::new(),
        base: crate::vocab::RoyaltyBase::NetSales,
        period: crate::model::RoyaltyPeriod {
            until_expiry,
            from_expiry,
            ..Default::default()
        },
    };
    let alone = consideration_phrases(&[step("4", true, false)]);
    assert!(
        alone[0].ends_with("fully paid-up in that country"),
        "{alone:?}"
    );
    let hybrid = consideration_phrases(&[step("4", true, false), step("2", false, true)]);
    assert!(!hybrid.concat().contains("paid-up"), "{hybrid:?}");
    assert!(
        hybrid[0].ends_with("after which no royalty is due under it in that country"),
        "{hybrid:?}"
    );
    assert!(hybrid[1].contains("from the day the last Licensed Patent in force there expires"));
}

/// terms (issue 15): payment timing and reports follow the royalty's period.
#[test]
fn a_royalty_s_payment_timing_and_reports_are_worded() {
    let c = ConsiderationModel::Percent {
        rate: Decimal::from_str("2").unwrap(),
        limits: Vec::new(),
        base: crate::vocab::RoyaltyBase::NetSales,
        period: crate::model::RoyaltyPeriod {
            payable: Some(crate::model::PaymentModel {
                every: crate::vocab::Frequency::Quarterly,
                within: Some(crate::date::Duration {
                    amount: 45,
                    unit: crate::date::DurationUnit::Days,
                }),
            }),
            report: Some(crate::vocab::Frequency::Quarterly),
            ..Default::default()
        },
    };
    assert_eq!(
        consideration_phrase(&c),
        "a running royalty of 2% of net sales, paid for each calendar quarter within 45 days after its end, with a written royalty report for each calendar quarter"
    );
}

/// clauses (issue 15, round 4): an agreement-level payment in one sum, with its label
/// and note, and in instalments of two currencies (totalled per currency).
#[test]
fn an_agreement_payment_is_worded_with_its_instalments() {
    use crate::model::{AgreementPaymentModel, InstalmentModel, PartyId};
    let at = |amount: &str, currency: &str, due: &str| InstalmentModel {
        amount: m(amount, currency),
        due: d(due),
        span: crate::source::Span::default(),
    };
    let mut p = AgreementPaymentModel {
        id: "settlement".to_string(),
        label: Some("Settlement Payment".to_string()),
        payer: PartyId(1),
        payee: PartyId(0),
        instalments: vec![at("1250000000", "USD", "2009-12-11")],
        notes: vec!["It settles the litigation.".to_string()],
        header: crate::source::Span::default(),
        span: crate::source::Span::default(),
    };
    assert_eq!(
        payment_sentence("Intel", "AMD", &p),
        "As the Settlement Payment, Intel shall pay to AMD USD 1,250,000,000 on 11 December 2009. It settles the litigation."
    );
    p.label = None;
    p.notes.clear();
    p.instalments = vec![
        at("2000000", "USD", "2026-06-30"),
        at("1000000", "EUR", "2027-06-30"),
        at("1000000", "USD", "2028-06-30"),
    ];
    assert_eq!(
        payment_sentence("Globex", "Acme", &p),
        "Globex shall pay to Acme EUR 1,000,000 and USD 3,000,000 in three instalments: USD 2,000,000 on 30 June 2026, EUR 1,000,000 on 30 June 2027 and USD 1,000,000 on 30 June 2028."
    );
}

/// terms (issue 15, round 5): a purchase commitment per calendar year from a date, a
/// spend per year over the term and a total spend before a date.
#[test]
fn a_commitment_is_worded_with_its_period() {
    use crate::model::{CommitmentAmount, CommitmentModel, CommitmentPeriod, PartyId};
    let mut c = CommitmentModel {
        name: None,
        party: PartyId(1),
        amount: CommitmentAmount::Units(rust_decimal::Decimal::from(10_000)),
        period: CommitmentPeriod::CalendarYear,
        subject: "licensed sensors".to_string(),
        from: Some(d("2027-01-01")),
        until: None,
        span: crate::source::Span::default(),
    };
    assert_eq!(
        commitment_sentence("Voltaic", &c),
        "Voltaic shall purchase at least 10,000 units of licensed sensors in each calendar year from 1 January 2027."
    );
    c.amount = CommitmentAmount::Spend(m("2000000", "EUR"));
    c.subject = "development of licensed products".to_string();
    c.period = CommitmentPeriod::Year;
    c.from = None;
    assert_eq!(
        commitment_sentence("Voltaic", &c),
        "Voltaic shall spend at least EUR 2,000,000 on development of licensed products in each year of the term of the license."
    );
    c.period = CommitmentPeriod::Term;
    c.until = Some(d("2030-01-01"));
    assert_eq!(
        commitment_sentence("Voltaic", &c),
        "Voltaic shall spend at least EUR 2,000,000 on development of licensed products in total before 1 January 2030."
    );
}

/// terms (issue 15, round 6): when a missed commitment converts the exclusivity at the
/// earliest, and how the prose says so.
#[test]
fn a_missed_commitment_converts_after_its_first_period() {
    use crate::model::{
        CommitmentAmount, CommitmentModel, CommitmentPeriod, Interval, PartyId, TermModel,
    };
    let term = TermModel::Dates(Interval {
        start: d("2026-03-01"),
        end: Some(d("2034-01-01")),
    });
    let mut c = CommitmentModel {
        name: Some("min_units".to_string()),
        party: PartyId(1),
        amount: CommitmentAmount::Units(rust_decimal::Decimal::from(10_000)),
        period: CommitmentPeriod::CalendarYear,
        subject: "licensed sensors".to_string(),
        from: None,
        until: None,
        span: crate::source::Span::default(),
    };
    // The rest of the first calendar year; a year from the start; the whole term.
    assert_eq!(c.first_reckoning(&term), Some(d("2027-01-01")));
    c.period = CommitmentPeriod::Year;
    assert_eq!(c.first_reckoning(&term), Some(d("2027-03-01")));
    c.period = CommitmentPeriod::Term;
    assert_eq!(c.first_reckoning(&term), Some(d("2034-01-01")));
    let open = TermModel::UntilExpiry {
        start: d("2026-03-01"),
    };
    assert_eq!(c.first_reckoning(&open), None);
    // Its `until`, when that comes before the first period ends.
    c.period = CommitmentPeriod::Year;
    c.until = Some(d("2026-09-01"));
    assert_eq!(c.first_reckoning(&term), Some(d("2026-09-01")));
    c.until = None;
    c.period = CommitmentPeriod::CalendarYear;
    c.from = Some(d("2027-03-01"));
    assert_eq!(
        commitment_conversion_sentence("Voltaic", &c, d("2028-01-01"), "Helion"),
        "If Voltaic fails to purchase at least 10,000 units of licensed sensors in any calendar year from 1 March 2027, the license granted in this Clause shall become non-exclusive from the day after the end of that calendar year (at the earliest, 1 January 2028), and Helion may thereafter practise, and grant licenses to others, within its scope; the license otherwise continues on the same terms."
    );
}
