//! reach (issue 15, round 3): improvement rules of a pool cut by membership. A rule
//! applies to improvements made while its improver and its licensee are both members
//! ([`crate::model::Model::flow_window`]); a rule naming two parties that are never
//! members on the same day before its sunset covers no improvement (W0419).

use super::context::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::vocab::FlowDirection;

/// W0419: an improvement rule of a pool whose two parties never share a day of
/// membership before the rule's sunset. (A pair that `members` or `owner` stands for
/// is left out by resolution instead; only a rule naming both parties remains.)
pub fn idle_rules(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for a in &ctx.model.agreements {
        for imp in &a.improvements {
            for rule in &imp.rules {
                let Some(w) = ctx.model.flow_window(a.kind, rule.from, rule.to) else {
                    continue;
                };
                if !w.is_void(rule.sunset) {
                    continue;
                }
                let word = match rule.direction {
                    FlowDirection::GrantBack => "grant-back",
                    FlowDirection::LicenseForward => "license-forward",
                };
                let (from, to) = (ctx.party(rule.from), ctx.party(rule.to));
                let why = match (w.made_from, w.made_until, rule.sunset) {
                    (Some(start), Some(end), _) if end <= start => format!(
                        "{from} and {to} are never members of the pool on the same day (one leaves on {end}, the other joins on {start})"
                    ),
                    (start, _, Some(sunset)) => format!(
                        "the rule's sunset on {sunset} comes before both are members{}",
                        start.map(|s| format!(" (from {s})")).unwrap_or_default()
                    ),
                    _ => format!("{from} and {to} are never members of the pool on the same day"),
                };
                let mut d = Diagnostic::new(
                    Code::W0419,
                    format!("{word} {from} -> {to} covers no improvement: {why}"),
                    rule.header,
                )
                .with_label("applies on no day")
                .with_help(
                    "remove the rule, or correct the parties' `joins`/`leaves` dates or the `sunset after`",
                );
                for p in [rule.from, rule.to] {
                    let Some(decl) = ctx.model.party(p) else {
                        continue;
                    };
                    let m = ctx.model.membership(p).unwrap_or(decl.membership);
                    for span in [m.joins_span, m.leaves_span].into_iter().flatten() {
                        d = d.with_secondary(span, format!("membership of `{}`", decl.name));
                    }
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use crate::date::Date;
    use crate::model::PartyId;
    use crate::vocab::FlowDirection;

    /// The membership cut of a pool's improvement rules against a day-by-day brute
    /// force: for every day of the pool and a month either side, a pair's rule
    /// covers an improvement made that day exactly when both parties are members and
    /// the sunset has not come, the licensee holds it exactly while it is a member,
    /// and a pair that `members`/`owner` stands for exists exactly when some day is
    /// covered.
    #[test]
    fn pool_improvement_rules_follow_membership_day_by_day() {
        let src = r#"
agreement "P" { effective 2026-01-01 term 10 years kind pool parties a, b, c, d }
party a "A" { leaves 2033-01-01 }
party b "B" { joins 2027-06-01 leaves 2029-01-01 }
party c "C" { joins 2029-01-01 affiliate c1 "C One" }
party d "D" { joins 2034-01-01 }
fields { video }
asset a_codec: patent family of a
grant a_pool: a -> members { assets a_codec field video territory [US] non-exclusive }
improvements on a_codec {
  owner improver
  grant back members -> owner { covers collaboration non-exclusive sunset after 7 years }
  license forward owner -> members { covers all non-exclusive }
}
"#;
        let c = crate::compile_text("t.xlic", src);
        let m = &c.model;
        let a = &m.agreements[0];
        // A party is a member on a day between its (or its party's) dates.
        let member = |p: PartyId, day: Date| match m.membership(p) {
            None => true,
            Some(ms) => {
                let joined = match ms.joins {
                    Some(j) => j <= day,
                    None => true,
                };
                let left = match ms.leaves {
                    Some(x) => x <= day,
                    None => false,
                };
                joined && !left
            }
        };
        // Every day from a month before the pool to a month after it.
        let mut days = Vec::new();
        let mut day = Date::parse("2025-12-01").unwrap();
        while day < Date::parse("2036-02-01").unwrap() {
            days.push(day);
            day = day.succ().unwrap();
        }
        let sunset = Date::parse("2033-01-01").unwrap();
        let owner = m.parties.iter().position(|p| p.name == "a").unwrap();
        let owner = PartyId(u32::try_from(owner).unwrap());
        let members: Vec<PartyId> = a.parties.clone();
        let mut checked = 0;
        for (direction, limit) in [
            (FlowDirection::GrantBack, Some(sunset)),
            (FlowDirection::LicenseForward, None),
        ] {
            let rules: Vec<_> = a.improvements[0]
                .rules
                .iter()
                .filter(|r| r.direction == direction)
                .collect();
            for &other in members.iter().filter(|&&p| p != owner) {
                let (from, to) = match direction {
                    FlowDirection::GrantBack => (other, owner),
                    FlowDirection::LicenseForward => (owner, other),
                };
                let covered = |day: Date| {
                    member(from, day) && member(to, day) && limit.is_none_or(|s| day < s)
                };
                let brute_any = days.iter().any(|&d| covered(d));
                let rule = rules.iter().find(|r| r.from == from && r.to == to);
                assert_eq!(
                    rule.is_some(),
                    brute_any,
                    "{direction:?} {from:?} -> {to:?}"
                );
                let Some(rule) = rule else { continue };
                let w = m.flow_window(a.kind, rule.from, rule.to).unwrap();
                for &day in &days {
                    let cut = w.made_on(day) && rule.sunset.is_none_or(|s| day < s);
                    assert_eq!(
                        cut,
                        covered(day),
                        "{direction:?} {from:?} -> {to:?} on {day}"
                    );
                    let held = w.held_until.is_none_or(|h| day < h);
                    let brute_held = m
                        .membership(to)
                        .is_none_or(|ms| ms.leaves.is_none_or(|x| day < x));
                    assert_eq!(held, brute_held);
                    checked += 1;
                }
            }
        }
        // d joins after a leaves: no rule between them; b is a member with a for a
        // while, so both of its rules stay.
        assert!(checked > 0);
        let pairs: Vec<(String, String)> = a.improvements[0]
            .rules
            .iter()
            .map(|r| {
                (
                    m.party_name(r.from).to_string(),
                    m.party_name(r.to).to_string(),
                )
            })
            .collect();
        assert!(!pairs.contains(&("d".to_string(), "a".to_string())));
        assert!(!pairs.contains(&("a".to_string(), "d".to_string())));
        assert!(pairs.contains(&("b".to_string(), "a".to_string())));
    }
}
