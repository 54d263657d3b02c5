//! The expiring part: every dated event in the twelve months from the as-of date. A
//! license's ends, its sell-off and the patents' expiries are the rights ledger's.

use super::*;
use crate::date::{Date, Duration, DurationUnit};
use crate::ledger::view::Ctx;
use crate::ledger::PieceKind;
use crate::territory::TerritorySet;
use crate::text::{countries_in_words, long_date};
use std::collections::BTreeMap;

pub(super) fn minus(d: Date, by: Duration) -> Option<Date> {
    let n = -i64::from(by.amount);
    match by.unit {
        DurationUnit::Days => d.add_days(n),
        DurationUnit::Months => d.add_months(n),
        DurationUnit::Years => d.add_years(n),
    }
}

/// Every dated event in `[as_of, horizon)`, by date.
pub(super) fn expiring(
    ctx: &Ctx<'_>,
    as_of: Date,
    horizon: Date,
    rows_of_grant: &BTreeMap<usize, Vec<(String, String)>>,
) -> Vec<Expiring> {
    let model = ctx.model;
    let within = |d: Date| as_of <= d && d < horizon;
    let mut out = Vec::new();
    for a in &model.agreements {
        if let Some(e) = a.term.and_then(|t| t.end) {
            let last = crate::text::last_day(e);
            if within(last) {
                out.push(Expiring {
                    date: last,
                    kind: ExpiryKind::AgreementEnds,
                    subject: a.title.clone(),
                    agreement: Some(a.title.clone()),
                    detail: format!("The agreement\u{2019}s term ends on {}.", long_date(last)),
                    anchor: None,
                });
            }
        }
        for imp in &a.improvements {
            for rule in &imp.rules {
                let Some(s) = rule.sunset else { continue };
                let last = crate::text::last_day(s);
                if within(last) {
                    out.push(Expiring {
                        date: last,
                        kind: ExpiryKind::GrantBackSunset,
                        subject: crate::emit::prose::flow_id(model, rule),
                        agreement: Some(a.title.clone()),
                        detail: format!(
                            "The rule on improvements stops applying after {}.",
                            long_date(last)
                        ),
                        anchor: None,
                    });
                }
            }
        }
    }
    for (gi, g) in ctx.grants.iter().enumerate() {
        let anchor = rows_of_grant
            .get(&gi)
            .and_then(|v| v.first())
            .map(|(a, _)| a.clone());
        let mut push = |date: Date, kind: ExpiryKind, detail: String| {
            if within(date) {
                out.push(Expiring {
                    date,
                    kind,
                    subject: g.grant.id.clone(),
                    agreement: Some(g.agreement.title.clone()),
                    detail,
                    anchor: anchor.clone(),
                });
            }
        };
        let e = g.entry;
        let time = e.effective_time();
        let sunset = g
            .agreement
            .sunsets
            .iter()
            .find(|s| s.grant == Some(e.index));
        let renewable = sunset.is_some_and(|s| !s.renewals.is_empty());
        let cut = !e.survives
            && e.window
                .end
                .is_some_and(|w| e.time.end.is_none_or(|t| w < t));
        // When the license ends in fact, per group of countries (the ledger's: its
        // term, `until expiry` resolved country by country, or the agreement's end).
        let ends: Vec<(TerritorySet, Date)> = e
            .effective_ends(g.grant.territory)
            .into_iter()
            .filter_map(|(t, end)| end.filter(|end| *end > time.start).map(|end| (t, end)))
            .collect();
        let many = ends.len() > 1;
        let place = |t: TerritorySet| {
            if many {
                format!(" in {}", countries_in_words(t))
            } else {
                String::new()
            }
        };
        for (t, end) in &ends {
            let last = crate::text::last_day(*end);
            push(
                last,
                ExpiryKind::GrantEnds,
                format!(
                    "The {} license to {}{} ends on {}{}{}.",
                    g.grant.exclusivity.keyword(),
                    licensees_words(model, g),
                    place(*t),
                    long_date(last),
                    if cut { " with the agreement" } else { "" },
                    if renewable {
                        " unless it is renewed"
                    } else {
                        ""
                    }
                ),
            );
        }
        // The sell-off after each end, where the ledger has one (the granted rights
        // among sell, offer and distribute, on a subject still in force).
        if let Some(d) = e.wind_down {
            let sell_off: Vec<TerritorySet> = ctx
                .ledger
                .pieces_of(e)
                .iter()
                .filter(|p| p.kind == PieceKind::SellOff)
                .map(|p| p.territory)
                .collect();
            for (t, end) in &ends {
                if !sell_off.iter().any(|s| !s.intersection(*t).is_empty()) {
                    continue;
                }
                let Some(w) = end.add_duration(d) else {
                    continue;
                };
                let last = crate::text::last_day(w);
                push(
                    last,
                    ExpiryKind::WindDownEnds,
                    format!(
                        "The sell-off period after the base term{} ends on {}.",
                        place(*t),
                        long_date(last)
                    ),
                );
            }
        }
        let Some(s) = sunset else { continue };
        // Renewal periods, one after another from the end of the base term.
        let Some(end) = e.time.end.filter(|end| *end > time.start) else {
            continue;
        };
        let mut at = end;
        let mut round = 0u32;
        for r in &s.renewals {
            let times = r.max_times.unwrap_or(u32::MAX);
            let mut k = 0u32;
            while k < times && round < 200 {
                if let Some(notice) = r.notice {
                    if let Some(deadline) = minus(at, notice) {
                        let what = if r.automatic {
                            "give notice of non-renewal"
                        } else {
                            "ask to renew"
                        };
                        let which = if round == 0 {
                            "the term".to_string()
                        } else {
                            format!("renewal term {round}")
                        };
                        push(
                            deadline,
                            ExpiryKind::NoticeDeadline,
                            format!(
                                "Last day to {what} ({} before {which} ends on {}).",
                                crate::text::duration(notice),
                                long_date(crate::text::last_day(at))
                            ),
                        );
                    }
                }
                let Some(next) = at.add_duration(r.period) else {
                    break;
                };
                round += 1;
                k += 1;
                if r.automatic {
                    let last = crate::text::last_day(next);
                    push(
                        last,
                        ExpiryKind::RenewalEnds,
                        format!(
                            "If renewed automatically, renewal term {round} ends on {}.",
                            long_date(last)
                        ),
                    );
                }
                at = next;
                if at >= horizon {
                    break;
                }
            }
        }
        let last_end = time.end.unwrap_or(end);
        for period in &s.renegotiate_every {
            let mut k: u32 = 1;
            while let Some(d) = time.start.add_duration(Duration {
                amount: period.amount.saturating_mul(k),
                unit: period.unit,
            }) {
                if d >= last_end || d >= horizon || k > 200 {
                    break;
                }
                push(
                    d,
                    ExpiryKind::Renegotiation,
                    format!(
                        "Renegotiation of the commercial terms (every {}).",
                        crate::text::duration(*period)
                    ),
                );
                k += 1;
            }
        }
    }
    // Every patent once (by its number across the assets that hold it), as the ledger
    // identifies it.
    for p in ctx
        .ledger
        .subjects
        .iter()
        .filter(|s| s.is_patent() && !s.pending)
    {
        let Some(e) = p.expires else { continue };
        let last = crate::text::last_day(e);
        if within(last) {
            let assets: Vec<String> = p
                .assets
                .iter()
                .map(|a| format!("`{}`", model.asset_name(*a)))
                .collect();
            out.push(Expiring {
                date: last,
                kind: ExpiryKind::PatentExpires,
                subject: p.label.clone(),
                agreement: None,
                detail: format!(
                    "Patent of {} {}; last day in force {}.",
                    crate::text::join_list(&assets),
                    crate::text::territory_in_words(p.territory),
                    long_date(last)
                ),
                anchor: None,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.date, a.kind, &a.agreement, &a.subject, &a.detail).cmp(&(
            b.date,
            b.kind,
            &b.agreement,
            &b.subject,
            &b.detail,
        ))
    });
    out.dedup_by(|a, b| {
        a.date == b.date && a.kind == b.kind && a.subject == b.subject && a.detail == b.detail
    });
    out
}
