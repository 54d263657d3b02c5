//! Article 5 and the last article: term, renewal, renegotiation, wind-down, termination,
//! survival, and governing law.

use super::*;
use crate::date::Duration;
use crate::emit::prose::doc::*;
use crate::ledger::LICENSE_SURVIVES;
use crate::model::{GrantModel, SunsetModel};
use crate::territory::TerritorySet;
use crate::text::*;
use crate::vocab::AgreementKind;

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- Article 5

    pub(super) fn term_clauses(&mut self, art: usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        let mut t = Text::new();
        match (a.effective, a.term) {
            (Some(e), Some(term)) => match term.end {
                Some(end) => {
                    t.push(format!(
                        "This Agreement enters into force on the Effective Date, {}, and remains in force up to and including {}, unless terminated earlier.",
                        long_date(e),
                        long_date(last_day(end))
                    ));
                }
                None => {
                    t.push(format!(
                        "This Agreement enters into force on the Effective Date, {}, and has no fixed expiry date: it remains in force for as long as any license granted under it remains in force, unless terminated earlier.",
                        long_date(e)
                    ));
                }
            },
            (Some(e), None) => {
                t.push(format!(
                    "This Agreement enters into force on the Effective Date, {}. It states no fixed term.",
                    long_date(e)
                ));
            }
            _ => {
                t.push("This Agreement states no effective date and no term.");
            }
        }
        if !a.grants.is_empty() {
            t.push(
                " Each license runs for the term stated in its clause, subject to this Article.",
            );
        }
        if let (Some(release), Some(e)) = (a.release_from, a.effective) {
            t.push(format!(
                " A license granted in this Agreement may reach back before the Effective Date, to acts done from {} (a release of past acts): it extends to the acts done from the start of the term stated in its clause, and to none done before {}. A license whose clause states no term of its own starts on the Effective Date, {}.",
                long_date(release),
                long_date(release),
                long_date(e)
            ));
        }
        let anchor = self.anchor("agreement-term");
        out.push(Clause {
            number: format!("{art}.1"),
            id: "agreement".to_string(),
            anchor,
            location: self.location(a.span),
            spans: vec![a.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        });
        // issue 18: in a pool, the sunsets of the licenses to the members that say
        // (nearly) the same are one clause, where the first of them is.
        let items: Vec<Option<Vec<SunsetItem>>> = a
            .sunsets
            .iter()
            .map(|s| {
                let (gi, g) = s.grant.and_then(|i| a.grants.get(i).map(|g| (i, g)))?;
                (a.kind == AgreementKind::Pool && g.to_members)
                    .then(|| self.sunset_items(s, gi, g).0)
            })
            .collect();
        let groups = if self.ungrouped {
            Vec::new()
        } else {
            super::pool::sunset_groups(&items)
        };
        let mut n = 1;
        for (k, s) in a.sunsets.iter().enumerate() {
            let group = groups.iter().position(|m| m.contains(&k));
            let first = group
                .and_then(|g| groups.get(g))
                .is_none_or(|m| m.first() == Some(&k));
            if !first {
                continue;
            }
            n += 1;
            let number = format!("{art}.{n}");
            match group.and_then(|g| groups.get(g).map(|m| (g, m))) {
                Some((g, m)) => {
                    let members: Vec<(usize, Vec<SunsetItem>)> = m
                        .iter()
                        .map(|&k| (k, items.get(k).cloned().flatten().unwrap_or_default()))
                        .collect();
                    let id = if groups.len() > 1 {
                        format!("sunset members ({})", g + 1)
                    } else {
                        "sunset members".to_string()
                    };
                    let c = self.pool_sunset_clause(&members, number, id);
                    // The clause index names each sunset the clause states.
                    let each: Vec<(String, String)> = m
                        .iter()
                        .filter_map(|&k| a.sunsets.get(k))
                        .map(|s| (sunset_id(s), self.location(s.span)))
                        .collect();
                    self.stated_with.insert(c.anchor.clone(), each);
                    out.push(c);
                }
                None => out.push(self.sunset_clause(s, number)),
            }
        }
        out
    }

    pub(super) fn sunset_clause(&mut self, s: &SunsetModel, number: String) -> Clause {
        let a = self.a;
        let id = sunset_id(s);
        let anchor = self.anchor(&id);
        let location = self.location(s.span);
        let grant = s.grant.and_then(|i| a.grants.get(i).map(|g| (i, g)));
        let Some((gi, g)) = grant else {
            let mut t = Text::plain("This clause refers to ");
            t.code(s.grant_name.clone());
            t.push(", which is not a license granted in this Agreement; it has no effect.");
            return Clause {
                number,
                id,
                anchor,
                location,
                spans: vec![s.span],
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            };
        };
        let slot = self.grant_clause.get(gi).cloned().unwrap_or_default();
        let (items, wind_down) = self.sunset_items(s, gi, g);
        if let Some(d) = wind_down {
            let facts = self.facts_of(gi, g);
            self.record_wind_down(g, &facts, d, id.clone(), &number);
        }
        let mut intro = Text::plain("The following apply to the license granted in ");
        intro.link(format!("Clause {}", slot.number), slot.anchor.clone());
        intro.push(":");
        let mut blocks = vec![Block::Para(intro)];
        for (k, item) in items.into_iter().enumerate() {
            blocks.push(item.para(k));
        }
        if blocks.len() == 1 {
            // Nothing applies (a wind-down of a license that sells nothing, say).
            let mut t = Text::plain("No renewal, renegotiation, wind-down, termination or survival terms apply to the license granted in ");
            t.link(format!("Clause {}", slot.number), slot.anchor.clone());
            t.push(".");
            blocks = vec![Block::Para(t)];
        }
        Clause {
            number,
            id,
            anchor,
            location,
            spans: vec![s.span],
            blocks,
            subs: Vec::new(),
        }
    }

    /// The paragraphs of sunset clause `s` about grant `gi`, in order, and the
    /// wind-down period its paragraph states (for the caller to record).
    pub(super) fn sunset_items(
        &mut self,
        s: &SunsetModel,
        gi: usize,
        g: &GrantModel,
    ) -> (Vec<SunsetItem>, Option<Duration>) {
        let a = self.a;
        let facts = self.facts_of(gi, g);
        let time = facts.period();
        let licensee = self.licensee_short(g);
        let mut items = Vec::new();
        let mut recorded = None;
        let next = |label: &'static str, body: String| SunsetItem {
            label,
            body: Text::plain(body),
        };
        for r in &s.renewals {
            let times = match r.max_times {
                Some(1) => ", once".to_string(),
                Some(n) => format!(", up to {n} times"),
                None => ", without limit on the number of renewals".to_string(),
            };
            let mut body = if r.automatic {
                let notice = r
                    .notice
                    .map(|d| {
                        format!(
                            " at least {} before the end of the then-current term",
                            duration(d)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "At the end of its term the license renews automatically for a further period of {}{times}, unless a Party gives written notice of non-renewal{notice}.",
                    duration(r.period)
                )
            } else {
                let notice = r
                    .notice
                    .map(|d| format!("; a request to renew must be made at least {} before the end of the then-current term", duration(d)))
                    .unwrap_or_default();
                format!(
                    "The license may be renewed by mutual written agreement of the Parties for a further period of {}{times}{notice}.",
                    duration(r.period)
                )
            };
            if let (Some(end), Some(max)) = (time.end, r.max_times) {
                let mut last = Some(end);
                for _ in 0..max {
                    last = last.and_then(|d| d.add_duration(r.period));
                }
                // A renewed license still ends with the agreement, unless it survives.
                let (last, with_agreement) = match (last, facts.agreement_end) {
                    (Some(l), Some(a)) if a < l => (Some(a), ", when this Agreement ends"),
                    (l, _) => (l, ""),
                };
                if let Some(l) = last {
                    body.push_str(&format!(
                        " If every renewal takes effect, the license ends on {}{with_agreement}.",
                        long_date(last_day(l))
                    ));
                }
            }
            items.push(next("Renewal.", body));
        }
        for (index, period) in s.renegotiate_every.iter().enumerate() {
            let notice = match s.renegotiate_notice.get(index).copied().flatten() {
                Some(n) => {
                    let d = duration(n);
                    let possessive = if d.ends_with('s') {
                        format!("{d}'")
                    } else {
                        format!("{d}'s")
                    };
                    format!(
                        " Either Party may open a renegotiation on {possessive} written notice."
                    )
                }
                None => String::new(),
            };
            let mut dates = Vec::new();
            let mut k: u32 = 1;
            let mut more = false;
            while let Some(d) = time.start.add_duration(Duration {
                amount: period.amount.saturating_mul(k),
                unit: period.unit,
            }) {
                if time.end.is_some_and(|e| d >= e) {
                    break;
                }
                if dates.len() >= 4 {
                    more = true;
                    break;
                }
                dates.push(long_date(d));
                k += 1;
                if k > 1000 {
                    break;
                }
            }
            let when = if dates.is_empty() {
                String::new()
            } else if more {
                format!(
                    ", that is on {} and every {} thereafter",
                    join_list(&dates),
                    duration(*period)
                )
            } else {
                format!(", that is on {}", join_list(&dates))
            };
            items.push(next(
                "Renegotiation.",
                format!(
                    "The Parties shall renegotiate the commercial terms of the license every {} from the commencement of its term{when}.{notice} Until they agree on new terms, the existing terms continue to apply.",
                    duration(*period)
                ),
            ));
        }
        // The wind-down allows only the granted rights among sell, offer and distribute;
        // a license with none of them has nothing to wind down.
        if let Some(d) = s.wind_down.filter(|_| !facts.sell_off.is_empty()) {
            let windows: Vec<(TerritorySet, String)> = facts
                .sell_off_windows(d)
                .into_iter()
                .map(|(t, w)| match w.end {
                    // The license conveyed nothing there (its patents expired before
                    // it began): no window to state.
                    Some(e) if e <= w.start => (
                        t,
                        "none, the licensed patents having expired before the license began"
                            .to_string(),
                    ),
                    _ => {
                        let until = w.end.map(last_day).unwrap_or(w.start);
                        (
                            t,
                            format!(
                                "from {} up to and including {}",
                                long_date(w.start),
                                long_date(until)
                            ),
                        )
                    }
                })
                .collect();
            recorded = Some(d);
            let whole = windows.len() == facts.ends.len();
            let dates = self.by_country(&windows, whole);
            let when = match (dates.is_empty(), s.renewals.is_empty()) {
                (true, _) => String::new(),
                (false, true) => format!(" ({dates})"),
                (false, false) => format!(" (if the license is not renewed, {dates})"),
            };
            items.push(next(
                "Wind-down.",
                format!(
                    "For {} after the license ends{when}, {licensee} may {} licensed products it holds when the license ends{}, and may not otherwise exercise the license.",
                    duration(d),
                    rights_phrase(facts.sell_off),
                    // A license for some purposes winds down for those alone (issue 15).
                    purposes_suffix(g.purposes)
                ),
            ));
        }
        // Who may terminate: the triggers anyone may invoke first, then each party's
        // own, in the order the clause first names that party.
        let mut invokers: Vec<Option<crate::model::PartyId>> = Vec::new();
        for tr in &s.terminations {
            if !invokers.contains(&tr.by) {
                invokers.push(tr.by);
            }
        }
        invokers.sort_by_key(|b| b.is_some());
        for by in invokers {
            let triggers: Vec<String> = s
                .terminations
                .iter()
                .filter(|tr| tr.by == by)
                .map(|tr| self.trigger_phrase(tr))
                .collect();
            let triggers = enumerate_with(&triggers, "or");
            let body = match by {
                Some(p) => format!(
                    "{} may terminate the license before the end of its term {triggers}.",
                    self.short(p)
                ),
                // A trigger without `by` is mutual (docs/language.md): say who that is.
                None if g.licensees.len() > 1 => format!(
                    "The licensor or any licensee may terminate the license (as between them) before the end of its term {triggers}."
                ),
                None => format!(
                    "Either Party may terminate the license before the end of its term {triggers}."
                ),
            };
            items.push(next("Termination.", body));
        }
        if !s.survives.is_empty() {
            let mut t = Text::new();
            let mut parts: Vec<Text> = Vec::new();
            let mut others: Vec<String> = Vec::new();
            let mut license = false;
            for name in &s.survives {
                if LICENSE_SURVIVES
                    .iter()
                    .any(|k| name.eq_ignore_ascii_case(k))
                {
                    license = true;
                } else if name == "improvements" {
                    let refs: Vec<Slot> = a
                        .improvements
                        .iter()
                        .enumerate()
                        .filter(|(_, imp)| imp.assets.iter().any(|x| g.assets.contains(x)))
                        .filter_map(|(k, _)| self.improvements_clause.get(k).cloned())
                        .collect();
                    let mut p = Text::plain("the provisions on improvements");
                    if !refs.is_empty() {
                        p.push(" (");
                        p.push(if refs.len() > 1 {
                            "Clauses "
                        } else {
                            "Clause "
                        });
                        for (k, r) in refs.iter().enumerate() {
                            if k > 0 {
                                p.push(if k + 1 == refs.len() { " and " } else { ", " });
                            }
                            p.link(r.number.clone(), r.anchor.clone());
                        }
                        p.push(")");
                    }
                    parts.push(p);
                } else {
                    others.push(humanise(name));
                }
            }
            if !others.is_empty() {
                parts.push(Text::plain(format!(
                    "the obligations relating to {}",
                    join_list(&others)
                )));
            }
            if license {
                t.push("The license survives the expiry or termination of this Agreement.");
            }
            let count = parts.len();
            if license && count > 0 {
                t.push(" ");
            }
            for (k, p) in parts.into_iter().enumerate() {
                if k > 0 {
                    t.push(if k + 1 == count { " and " } else { ", " });
                }
                if k == 0 {
                    let mut first = p;
                    if let Some(Run::Text(s0)) = first.0.first_mut() {
                        *s0 = capitalise(s0);
                    }
                    t.append(first);
                } else {
                    t.append(p);
                }
            }
            if count > 0 {
                t.push(" survive the expiry or termination of the license.");
            }
            items.push(SunsetItem {
                label: "Survival.",
                body: t,
            });
        }
        (items, recorded)
    }

    pub(super) fn governing_law_clause(&mut self, art: usize) -> Clause {
        let a = self.a;
        let law = a.governing_law.clone().unwrap_or_default();
        let t = Text::plain(format!(
            "This Agreement is governed by and shall be construed in accordance with the laws of the {law}."
        ));
        let t = if law.starts_with("the ") || law.starts_with("The ") {
            Text::plain(format!(
                "This Agreement is governed by and shall be construed in accordance with the laws of {law}."
            ))
        } else if law.starts_with("State")
            || law.starts_with("Commonwealth")
            || law.starts_with("Province")
        {
            t
        } else {
            Text::plain(format!(
                "This Agreement is governed by and shall be construed in accordance with the laws of {law}."
            ))
        };
        let anchor = self.anchor("governing-law");
        Clause {
            number: format!("{art}.1"),
            id: "agreement".to_string(),
            anchor,
            location: self.location(a.span),
            spans: Vec::new(),
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }
}

impl Builder<'_, '_> {
    /// One termination trigger as a phrase: its event, whose event it is, the cure
    /// period and the notice.
    fn trigger_phrase(&self, tr: &crate::model::TriggerModel) -> String {
        let event = humanise(&tr.event);
        let of = tr.of.map(|p| self.short(p));
        let mut p = match (event.as_str(), of) {
            ("convenience", _) => "for convenience".to_string(),
            ("breach", None) => "upon breach".to_string(),
            ("breach", Some(o)) => format!("upon breach by {o}"),
            ("insolvency", None) => "upon the insolvency of a Party".to_string(),
            ("insolvency", Some(o)) => format!("upon the insolvency of {o}"),
            (other, of) => {
                let whose = of.map(|o| format!(" of {o}")).unwrap_or_default();
                if other.contains(' ') {
                    format!("upon {} {other}{whose}", article_for(other))
                } else {
                    format!("upon {other}{whose}")
                }
            }
        };
        if let Some(c) = tr.cure {
            p.push_str(&format!(
                ", if the breach is not cured within {} after written notice of it",
                duration(c)
            ));
        }
        if let Some(n) = tr.notice {
            p.push_str(&format!(", on {} written notice", duration_possessive(n)));
        }
        p
    }
}

/// One paragraph of a sunset clause: its heading ("Renewal.") and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SunsetItem {
    pub label: &'static str,
    pub body: Text,
}

impl SunsetItem {
    /// The paragraph as the `k`-th of its clause: "(a) **Renewal.** …".
    pub(super) fn para(self, k: usize) -> Block {
        let mut t = Text::new();
        t.push(format!("({}) ", letter(k)));
        t.term(self.label.to_string());
        t.push(" ");
        t.append(self.body);
        Block::Para(t)
    }
}
