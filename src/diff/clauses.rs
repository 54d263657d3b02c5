//! Clause by clause: how each grant changed (its own values, its scope, its term and
//! payments), and the agreement headers, reservations, improvements and sunsets by the
//! structural walk.

use super::*;

/// Keys of a grant the policy derives from others (each reported where it is derived
/// from): its reach (licensees, `and affiliates`, the parties' affiliates), its
/// effective and sell-off scope (the rights gained and lost), its wind-down (the
/// sunset), and what `except` removed (the fields and territories it leaves).
pub(super) const DERIVED: &[&str] = &[
    "reach",
    "effective_scope",
    "sell_off_scope",
    "wind_down",
    "fields_excepted",
    "territories_excepted",
    // outputs (version 5): `territories` compacted.
    "territories_compact",
    // outputs (version 5): `effective_scope` without overlaps.
    "normalized_scope",
];

/// Keys of a grant compared with their own words below (the rest are compared by the
/// structural walk).
pub(super) const GRANT_OWN: &[&str] = &[
    "id",
    "term",
    "exclusivity",
    "subject_to",
    "subject_to_grants",
    "consideration",
    "sublicense",
    "transferable",
    "personal",
    // terms (issue 15, version 10): a term, not a right; said in one change below.
    "most_favoured_scope",
];

/// Keys of a grant that say what it licenses: a change is nominal when the grant's
/// pieces in the ledger stay the same.
pub(super) const SCOPE: &[&str] = &[
    "licensor",
    "licensees",
    "to_members",
    "to_affiliates",
    "assets",
    "rights",
    "fields",
    "territories",
];

pub(super) fn grant_changes(
    o_ref: &GrantRef<'_>,
    n_ref: &GrantRef<'_>,
    ctx: &Sides<'_>,
    out: &mut Vec<Change>,
) {
    let (o, n) = (o_ref.grant, n_ref.grant);
    let party = n.licensees.first().map(String::as_str);
    let id = Some(n.id.as_str());
    if o.id != n.id {
        out.push(
            change(
                party,
                ChangeKind::ClauseRenamed,
                id,
                format!("grant `{}` renamed to `{}`", o.id, n.id),
            )
            .values(
                Some(Value::from(o.id.clone())),
                Some(Value::from(n.id.clone())),
            ),
        );
    }
    let (ot, nt) = (Term::of(o_ref), Term::of(n_ref));
    let (os, ns) = (ot.start, nt.start);
    let (oe, ne) = (ot.end, nt.end);
    let term_kind = if (oe, ot.until_expiry) != (ne, nt.until_expiry) {
        Some(if end_le(oe, ne) {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        })
    } else if os != ns {
        Some(if ns < os {
            ChangeKind::TermLengthened
        } else {
            ChangeKind::TermShortened
        })
    } else {
        None
    };
    if let Some(kind) = term_kind {
        out.push(
            change(
                party,
                kind,
                id,
                format!("term of `{}`: {} → {}", n.id, ot.text(), nt.text()),
            )
            .values(Some(ot.value()), Some(nt.value())),
        );
    }
    if (o.exclusivity, &o.subject_to, &o.subject_to_grants)
        != (n.exclusivity, &n.subject_to, &n.subject_to_grants)
    {
        let show = |g: &GrantOut| {
            let mut under: Vec<String> = g.subject_to.clone();
            under.extend(
                g.subject_to_grants
                    .iter()
                    .map(|r| format!("{}/{}", r.agreement, r.grant)),
            );
            if under.is_empty() {
                g.exclusivity.to_string()
            } else {
                format!("{} subject to {}", g.exclusivity, under.join(", "))
            }
        };
        let v = |g: &GrantOut| {
            serde_json::json!({
                "exclusivity": value(&g.exclusivity),
                "subject_to": g.subject_to,
                "subject_to_grants": value(&g.subject_to_grants),
            })
        };
        out.push(
            change(
                party,
                ChangeKind::ExclusivityChanged,
                id,
                format!("`{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(v(o)), Some(v(n))),
        );
    }
    if paid(&o.consideration) != paid(&n.consideration) {
        let show = |g: &GrantOut| consideration_text(&g.consideration);
        out.push(
            change(
                party,
                ChangeKind::ConsiderationChanged,
                id,
                format!("consideration of `{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(value(&o.consideration)), Some(value(&n.consideration))),
        );
    }
    if o.sublicense != n.sublicense {
        out.push(
            change(
                party,
                ChangeKind::SublicenseChanged,
                id,
                format!(
                    "sublicensing under `{}`: {} → {}",
                    n.id, o.sublicense, n.sublicense
                ),
            )
            .values(Some(value(&o.sublicense)), Some(value(&n.sublicense))),
        );
    }
    if (o.transferable, o.personal) != (n.transferable, n.personal) {
        let show = |g: &GrantOut| match (g.personal, g.transferable) {
            (true, false) => "personal, non-transferable",
            (true, true) => "personal, transferable",
            (false, true) => "transferable",
            (false, false) => "non-transferable",
        };
        let v = |g: &GrantOut| serde_json::json!({"transferable": g.transferable, "personal": g.personal});
        out.push(
            change(
                party,
                ChangeKind::TransferChanged,
                id,
                format!("`{}`: {} → {}", n.id, show(o), show(n)),
            )
            .values(Some(v(o)), Some(v(n))),
        );
    }
    // terms (issue 15, round 7): the part of the grant a most-favoured-licensee promise
    // covers, before → after, as the language writes it.
    if o.most_favoured_scope != n.most_favoured_scope {
        let (ow, nw) = (
            most_favoured_words(o, &ctx.old.model.fields, ctx.groups),
            most_favoured_words(n, &ctx.new.model.fields, ctx.groups),
        );
        let v = |g: &GrantOut| g.most_favoured_scope.as_ref().map(value);
        out.push(
            change(
                party,
                ChangeKind::GrantChanged,
                id,
                format!(
                    "grant `{}`: most-favoured-licensee scope: {ow} → {nw}",
                    n.id
                ),
            )
            .values(v(o), v(n)),
        );
    }
    // Every other value of the grant, by the structural walk: what it licenses (marked
    // nominal when the ledger licenses the same), and whatever else a grant says.
    let mut skip: Vec<&str> = DERIVED.to_vec();
    skip.extend(GRANT_OWN);
    let mut leaves = Vec::new();
    structure::walk(&[], &value(o), &value(n), &skip, &mut leaves);
    let nominal = leaves.iter().any(|l| SCOPE.contains(&l.key())) && same_pieces(o_ref, n_ref, ctx);
    for l in leaves {
        let key = l.key().to_string();
        let scope = SCOPE.contains(&key.as_str());
        let mut detail = format!("grant `{}`: {}", n.id, leaf_text(&l, ctx.groups));
        if scope && nominal {
            detail.push_str(" (nominal: no patent in force there: no license was needed)");
        }
        let kind = if scope {
            ChangeKind::ScopeChanged
        } else {
            ChangeKind::GrantChanged
        };
        let mut c = change(party, kind, id, detail).values(l.before.clone(), l.after.clone());
        c.path = Some(l.path_text());
        c.nominal = scope && nominal;
        out.push(c);
    }
}

/// Whether two grants license the same pieces to the same parties (or both nothing).
pub(super) fn same_pieces(o: &GrantRef<'_>, n: &GrantRef<'_>, ctx: &Sides<'_>) -> bool {
    let mut labels = rights::Labels::new();
    let boxes = |g: &GrantRef<'_>, l: &Loaded, labels: &mut rights::Labels| {
        g.entry
            .map(|e| rights::grant_boxes(&l.model, &l.ledger, e, labels))
            .unwrap_or_default()
    };
    let ob = boxes(o, ctx.old, &mut labels);
    let nb = boxes(n, ctx.new, &mut labels);
    let same = rights::subtract(&ob, &nb).is_empty() && rights::subtract(&nb, &ob).is_empty();
    same && (ob.is_empty() || o.grant.reach == n.grant.reach)
}

/// The licensee of a grant, looked up by id in either version.
pub(super) fn licensee_of<'p>(
    grants: &[&[GrantRef<'p>]],
    agreement: &str,
    id: &str,
) -> Option<&'p str> {
    grants
        .iter()
        .flat_map(|l| l.iter())
        .find(|g| g.agreement == agreement && g.grant.id == id)
        .and_then(|g| g.grant.licensees.first())
        .map(String::as_str)
}

/// Agreement headers, reservations, improvements and sunsets, by the structural walk.
pub(super) fn clause_changes(
    old: &Policy,
    new: &Policy,
    og: &[GrantRef<'_>],
    ng: &[GrantRef<'_>],
    renamed: &BTreeMap<String, String>,
    groups: &Groups,
    out: &mut Vec<Change>,
) {
    for oa in &old.agreements {
        let Some(na) = new.agreements.iter().find(|a| a.id == oa.id) else {
            out.push(
                change(
                    None,
                    ChangeKind::ClauseRemoved,
                    None,
                    format!("agreement `{}` removed", oa.id),
                )
                .values(Some(structure::strip(&value(oa), DERIVED)), None),
            );
            continue;
        };
        // Old sunsets under their grants' new names, so a rename is reported once.
        let mut ov = value(oa);
        if let Some(Value::Array(suns)) = ov.get_mut("sunsets") {
            for s in suns {
                if let Some(Value::String(g)) = s.get_mut("grant") {
                    if let Some(n) = renamed.get(g.as_str()) {
                        *g = n.clone();
                    }
                }
            }
        }
        let mut nv = value(na);
        // terms: a policy leaves out empty `obligations` and `definitions`; compare them
        // as empty lists, so each clause added or removed is one change.
        for v in [&mut ov, &mut nv] {
            if let Value::Object(o) = v {
                for key in ["obligations", "definitions", "first_rights", "payments"] {
                    o.entry(key).or_insert_with(|| Value::Array(Vec::new()));
                }
            }
        }
        let mut leaves = Vec::new();
        structure::walk(
            &[],
            &ov,
            &nv,
            &["grants", "id", "territories_compact"],
            &mut leaves,
        );
        for l in leaves {
            let mut c = agreement_change(&na.id, &l, &[og, ng], groups);
            // An improvements clause's, rule's or sunset's change cites the id the
            // policy gives it (`grant_back#globex->acme`, `sunset#acme_to_globex`), from
            // the version that has it, as the prose redline does.
            let derived = |v: &Value| improvement_id(&l, v).or_else(|| sunset_id(&l, v));
            if let Some(id) = derived(&nv).or_else(|| derived(&ov)) {
                c.clause = Some(id);
            }
            out.push(c);
        }
    }
    for na in &new.agreements {
        if !old.agreements.iter().any(|a| a.id == na.id) {
            out.push(
                change(
                    None,
                    ChangeKind::ClauseAdded,
                    None,
                    format!("agreement `{}` added", na.id),
                )
                .values(None, Some(structure::strip(&value(na), DERIVED))),
            );
        }
    }
}

/// A difference as its section (`assets`), the item of the section it is in (`kh`),
/// and the difference within that item.
pub(super) fn split(l: &Leaf) -> (&str, Option<&str>, Leaf) {
    let section = l.path.first().map_or("", String::as_str);
    let item = l
        .path
        .get(1)
        .and_then(|s| s.strip_prefix('[').and_then(|s| s.strip_suffix(']')));
    let rest = Leaf {
        path: l.path.get(2..).map(<[String]>::to_vec).unwrap_or_default(),
        before: l.before.clone(),
        after: l.after.clone(),
    };
    (section, item, rest)
}

/// One difference within an agreement (not in its grants) as a change.
pub(super) fn agreement_change(
    agreement: &str,
    l: &Leaf,
    grants: &[&[GrantRef<'_>]],
    groups: &Groups,
) -> Change {
    let (section, item, rest) = split(l);
    let whole = rest.path.is_empty();
    let (what, kind, clause, party) = match (section, item) {
        ("reservations", Some(k)) => {
            let (kind, holder) = held_clause(l, whole, ChangeKind::ReservationChanged);
            (
                format!("reservation `{k}`"),
                kind,
                Some(k.to_string()),
                holder,
            )
        }
        // A rule's change cites the rule (`grant back globex -> acme`) and concerns its
        // licensee; any other, the improvements clause (`improvements on acme_motion`).
        ("improvements", Some(k)) => {
            let rule = match rest.path.as_slice() {
                [rules, item, ..] if rules == "rules" => item
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .map(str::to_string),
                _ => None,
            };
            let licensee = rule
                .as_deref()
                .and_then(|r| r.rsplit_once(" -> "))
                .map(|(_, to)| to.to_string());
            (
                format!("improvements on `{k}`"),
                ChangeKind::GrantBackChanged,
                Some(rule.unwrap_or_else(|| format!("improvements on {k}"))),
                licensee,
            )
        }
        ("sunsets", Some(k)) => (
            format!("sunset of `{k}`"),
            ChangeKind::SunsetChanged,
            Some(k.to_string()),
            licensee_of(grants, agreement, k).map(str::to_string),
        ),
        // clauses (issue 15): rights of first refusal and negotiation, by id.
        ("first_rights", Some(k)) => {
            let (kind, holder) = held_clause(l, whole, ChangeKind::ObligationChanged);
            (
                format!("first right `{k}`"),
                kind,
                Some(k.to_string()),
                holder,
            )
        }
        // clauses (issue 15, round 4): agreement-level payments, by id; the party is
        // the payer.
        ("payments", Some(k)) => {
            let (kind, payer) = party_clause(l, whole, ChangeKind::ObligationChanged, "payer");
            (format!("payment `{k}`"), kind, Some(k.to_string()), payer)
        }
        // terms: obligation clauses and defined terms, by id.
        ("obligations" | "definitions", Some(k)) => {
            let kind = match (&l.before, &l.after, whole) {
                (None, Some(_), true) => ChangeKind::ClauseAdded,
                (Some(_), None, true) => ChangeKind::ClauseRemoved,
                _ => ChangeKind::ObligationChanged,
            };
            let what = if section == "definitions" {
                format!("definition `{k}`")
            } else {
                format!("obligation `{k}`")
            };
            (what, kind, Some(k.to_string()), None)
        }
        _ => (
            format!("agreement `{agreement}`"),
            ChangeKind::AgreementChanged,
            None,
            None,
        ),
    };
    let detail = if whole && item.is_some() {
        match (&l.before, &l.after) {
            (None, Some(a)) => format!("{what} added: {}", structure::words("", a, groups)),
            (Some(b), None) => format!("{what} removed: {}", structure::words("", b, groups)),
            _ => what.clone(),
        }
    } else if item.is_some() {
        format!("{what}: {}", leaf_text(&rest, groups))
    } else {
        format!("{what}: {}", leaf_text(l, groups))
    };
    let mut c = change(party.as_deref(), kind, clause.as_deref(), detail)
        .values(l.before.clone(), l.after.clone());
    c.path = Some(l.path_text());
    if section == "sunsets" && sell_off_or_renewal_lost(l) {
        c.effect = Effect::Loss;
    }
    if section == "improvements" && improvement_narrowed(&rest) {
        c.effect = Effect::Loss;
    }
    if section == "improvements" && rest.path.as_slice() == ["rules"] {
        // A list of rules compared whole (no rule has an identity of its own): the
        // rules taken out and put in, not the whole list twice.
        c.detail = format!("{what}: {}", rules_in_and_out(&rest, groups));
    }
    c
}

/// The policy's id of the improvements clause or rule a difference is in (`agreement`:
/// one version's agreement as a value), when it is in one and that version has it.
fn improvement_id(l: &Leaf, agreement: &Value) -> Option<String> {
    let (section, item, rest) = split(l);
    if section != "improvements" {
        return None;
    }
    let clause = agreement
        .get("improvements")?
        .as_array()?
        .iter()
        .find(|c| structure::identity(c).as_deref() == item)?;
    let rule = match rest.path.as_slice() {
        [rules, r, ..] if rules == "rules" => r.strip_prefix('[').and_then(|r| r.strip_suffix(']')),
        _ => None,
    };
    let found = match rule {
        Some(r) => clause
            .get("rules")?
            .as_array()?
            .iter()
            .find(|x| structure::identity(x).as_deref() == Some(r))?,
        None => clause,
    };
    found.get("id")?.as_str().map(str::to_string)
}

/// The policy's id of the sunset a difference is in (`sunset#acme_to_globex`), when it
/// is in one and that version (`agreement`, as a value) has it.
fn sunset_id(l: &Leaf, agreement: &Value) -> Option<String> {
    let (section, item, _) = split(l);
    if section != "sunsets" {
        return None;
    }
    let sunset = agreement
        .get("sunsets")?
        .as_array()?
        .iter()
        .find(|s| structure::identity(s).as_deref() == item)?;
    sunset.get("id")?.as_str().map(str::to_string)
}

/// Whether a change of an improvements clause (`rest`: the path within it) takes
/// something from a rule's licensee: a rule removed, its coverage narrowed from every
/// improvement to the collaboration's, an earlier sunset (or one where there was none),
/// the owner's consent now required, or an exclusive rule made non-exclusive.
pub(super) fn improvement_narrowed(rest: &Leaf) -> bool {
    let s = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
    let (b, a) = (s(&rest.before), s(&rest.after));
    match (rest.path.as_slice(), rest.key()) {
        ([rules, _], _) if rules == "rules" => rest.before.is_some() && rest.after.is_none(),
        ([rules], _) if rules == "rules" => {
            let len = |v: &Option<Value>| v.as_ref().and_then(Value::as_array).map_or(0, Vec::len);
            len(&rest.after) < len(&rest.before)
        }
        (_, "covers") => b.as_deref() == Some("all") && a.as_deref() == Some("collaboration"),
        // Dates as the policy writes them (YYYY-MM-DD) order as text.
        (_, "sunset") => match (&b, &a) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y < x,
            _ => false,
        },
        (_, "consent_required") => {
            rest.before.as_ref().and_then(Value::as_bool) == Some(false)
                && rest.after.as_ref().and_then(Value::as_bool) == Some(true)
        }
        (_, "exclusivity") => {
            b.as_deref() == Some("exclusive") && a.as_deref() != Some("exclusive")
        }
        _ => false,
    }
}

/// A list of rules compared whole in words: the rules removed and added.
fn rules_in_and_out(rest: &Leaf, groups: &Groups) -> String {
    let list = |v: &Option<Value>| -> Vec<Value> {
        v.as_ref()
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (before, after) = (list(&rest.before), list(&rest.after));
    let removed: Vec<Value> = before
        .iter()
        .filter(|x| !after.contains(x))
        .cloned()
        .collect();
    let added: Vec<Value> = after
        .iter()
        .filter(|x| !before.contains(x))
        .cloned()
        .collect();
    let mut parts = Vec::new();
    if !removed.is_empty() {
        parts.push(format!(
            "rules removed: {}",
            leaf_words("rules", &Value::Array(removed), groups)
        ));
    }
    if !added.is_empty() {
        parts.push(format!(
            "rules added: {}",
            leaf_words("rules", &Value::Array(added), groups)
        ));
    }
    if parts.is_empty() {
        "rules reordered".to_string()
    } else {
        parts.join("; ")
    }
}

/// A clause with a `holder` (a reservation, a first right) added, removed or changed
/// (`changed`), and its holder when the whole clause is.
fn held_clause(l: &Leaf, whole: bool, changed: ChangeKind) -> (ChangeKind, Option<String>) {
    party_clause(l, whole, changed, "holder")
}

/// A clause added, removed or changed (`changed`), and the party its `key` names (a
/// reservation's holder, a payment's payer) when the whole clause is.
fn party_clause(
    l: &Leaf,
    whole: bool,
    changed: ChangeKind,
    key: &str,
) -> (ChangeKind, Option<String>) {
    let kind = match (&l.before, &l.after, whole) {
        (None, Some(_), true) => ChangeKind::ClauseAdded,
        (Some(_), None, true) => ChangeKind::ClauseRemoved,
        _ => changed,
    };
    let holder = l
        .after
        .as_ref()
        .or(l.before.as_ref())
        .filter(|_| whole)
        .and_then(|v| v.get(key))
        .and_then(Value::as_str)
        .map(str::to_string);
    (kind, holder)
}

/// Whether a sunset change takes away a wind-down or a renewal: removes one, or the
/// whole sunset that had one.
pub(super) fn sell_off_or_renewal_lost(l: &Leaf) -> bool {
    let count = |v: Option<&Value>, key: &str| -> usize {
        match v.and_then(|v| if key.is_empty() { Some(v) } else { v.get(key) }) {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Null) | None => 0,
            Some(_) => 1,
        }
    };
    let (b, a) = (l.before.as_ref(), l.after.as_ref());
    match l.key() {
        "wind_down" | "renewals" => count(a, "") < count(b, ""),
        _ if l.path.len() == 2 => {
            count(a, "wind_down") < count(b, "wind_down")
                || count(a, "renewals") < count(b, "renewals")
        }
        _ => false,
    }
}

/// Parties, fields, territory groups, assets and the policy's own values.
pub(super) fn top_level_changes(
    old: &Policy,
    new: &Policy,
    groups: &Groups,
    out: &mut Vec<Change>,
) {
    let mut leaves = Vec::new();
    structure::walk(
        &[],
        &value(old),
        &value(new),
        &["agreements", "manifest", "xlic_policy"],
        &mut leaves,
    );
    for l in leaves {
        let (section, item, rest) = split(&l);
        let (what, kind) = match section {
            "parties" => ("party", ChangeKind::PartyChanged),
            "fields" => ("field", ChangeKind::FieldChanged),
            "territory_groups" => ("territory group", ChangeKind::TerritoryGroupChanged),
            "assets" => ("asset", ChangeKind::AssetChanged),
            _ => ("policy", ChangeKind::PolicyChanged),
        };
        let detail = match item {
            Some(k) if rest.path.is_empty() => match (&l.before, &l.after) {
                (None, Some(a)) => {
                    format!("{what} `{k}` added: {}", structure::words("", a, groups))
                }
                (Some(b), None) => {
                    format!("{what} `{k}` removed: {}", structure::words("", b, groups))
                }
                _ => format!("{what} `{k}` changed"),
            },
            Some(k) => format!("{what} `{k}`: {}", leaf_text(&rest, groups)),
            None => format!("{what}: {}", leaf_text(&l, groups)),
        };
        let party = (section == "parties").then_some(item).flatten();
        let mut c = change(party, kind, None, detail).values(l.before.clone(), l.after.clone());
        c.path = Some(l.path_text());
        out.push(c);
    }
}

/// terms (issue 15, round 7): what a grant's most-favoured-licensee promise covers, as
/// the language writes it: `field robotics.consumer except robotics.consumer.lawn,
/// territory EU`; the grant's whole scope, or none without a promise.
fn most_favoured_words(
    g: &GrantOut,
    forest: &crate::model::FieldForest,
    groups: &Groups,
) -> String {
    if !g.most_favoured {
        return "none".to_string();
    }
    let Some(m) = &g.most_favoured_scope else {
        return "the grant's whole scope".to_string();
    };
    let mut parts = Vec::new();
    if let Some(list) = &m.fields {
        let inside = |path: &str| list.iter().any(|f| f == path);
        let parent_inside = |n: &crate::model::FieldDecl| {
            n.parent
                .and_then(|p| forest.get(p))
                .is_some_and(|p| inside(&p.path))
        };
        let (mut tops, mut except) = (Vec::new(), Vec::new());
        for n in &forest.nodes {
            match (inside(&n.path), parent_inside(n)) {
                (true, false) => tops.push(n.path.as_str()),
                (false, true) => except.push(n.path.as_str()),
                _ => {}
            }
        }
        let mut f = format!("field {}", structure::at_most(&tops, 12));
        if !except.is_empty() {
            f.push_str(&format!(" except {}", structure::at_most(&except, 12)));
        }
        parts.push(f);
    }
    if let Some(t) = m.territories {
        parts.push(format!(
            "territory {}",
            structure::territory_expr(t.0, groups)
        ));
    }
    parts.join(", ")
}
