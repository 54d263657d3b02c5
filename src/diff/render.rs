//! The redline's three formats: text for a terminal, Markdown (with the prose redline)
//! and JSON (docs/diff.md).

use super::*;

pub(super) fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::RightsGained => "gains",
        ChangeKind::RightsLost => "loses",
        ChangeKind::ClauseAdded => "added",
        ChangeKind::ClauseRemoved => "removed",
        ChangeKind::ClauseRenamed => "renamed",
        ChangeKind::TermLengthened => "term lengthened",
        ChangeKind::TermShortened => "term shortened",
        ChangeKind::TermMoved => "term moved",
        ChangeKind::ExclusivityChanged => "exclusivity",
        ChangeKind::ConsiderationChanged => "consideration",
        ChangeKind::SublicenseChanged => "sublicensing",
        ChangeKind::TransferChanged => "transferability",
        ChangeKind::ScopeChanged => "scope",
        ChangeKind::GrantChanged => "grant",
        ChangeKind::ReservationChanged => "reservation",
        ChangeKind::GrantBackChanged => "improvements",
        ChangeKind::SunsetChanged => "sunset",
        ChangeKind::ObligationChanged => "obligation",
        ChangeKind::AgreementChanged => "agreement",
        ChangeKind::PartyChanged => "party",
        ChangeKind::FieldChanged => "field",
        ChangeKind::TerritoryGroupChanged => "territory group",
        ChangeKind::AssetChanged => "asset",
        ChangeKind::PolicyChanged => "policy",
    }
}

pub(super) fn grouped(r: &Redline) -> BTreeMap<String, Vec<&Change>> {
    let mut map: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
    for c in &r.changes {
        let key = c.party.clone().unwrap_or_else(|| "(agreement)".to_string());
        map.entry(key).or_default().push(c);
    }
    map
}

/// The word of a change: `gains`, `sunset` — and `lost` for a wind-down or renewal
/// taken away.
pub(super) fn change_word(c: &Change) -> String {
    let word = kind_word(c.kind);
    match (c.effect, c.kind) {
        (Effect::Loss, ChangeKind::SunsetChanged | ChangeKind::GrantBackChanged) => {
            format!("{word} (loss)")
        }
        _ => word.to_string(),
    }
}

/// The clauses a right gained or lost comes from, in words.
pub(super) fn cited(c: &Change) -> String {
    match (c.kind, &c.clause) {
        (ChangeKind::RightsGained, Some(cl)) => format!(" (under `{cl}`)"),
        (ChangeKind::RightsLost, Some(cl)) => format!(" (was under `{cl}`)"),
        _ => String::new(),
    }
}

/// The redline for a terminal.
pub fn render_text(r: &Redline) -> String {
    let mut s = String::new();
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    if r.is_empty() {
        s.push_str("no semantic changes\n");
        return s;
    }
    for (party, list) in grouped(r) {
        s.push_str(&format!("{party}\n"));
        for c in list {
            let sign = match c.effect {
                Effect::Gain => '+',
                Effect::Loss => '-',
                Effect::Change => '~',
            };
            s.push_str(&format!(
                "  {sign} {}: {}{}\n",
                change_word(c),
                c.detail,
                cited(c)
            ));
        }
    }
    if !r.prose.is_empty() {
        s.push_str("\nprose redline ([-struck-] {+inserted+})\n");
        for p in &r.prose {
            let what = match (&p.before, &p.after) {
                (None, _) => " (added)",
                (_, None) => " (removed)",
                _ => "",
            };
            s.push_str(&format!("  `{}`{what}\n", p.clause));
            let words = word_diff_text(
                p.before.as_deref().unwrap_or(""),
                p.after.as_deref().unwrap_or(""),
            );
            for line in words.split("\n\n") {
                s.push_str(&format!("    {line}\n"));
            }
        }
    }
    s
}

/// The redline as Markdown, for a pull-request comment: the changes per party, then
/// the prose of every changed grant sentence with its words struck out and inserted.
pub fn render_markdown(r: &Redline) -> String {
    let mut s = String::new();
    for w in &r.warnings {
        s.push_str(&format!("> **Warning:** {w}\n\n"));
    }
    if r.is_empty() {
        s.push_str("**No semantic changes.**\n");
        return s;
    }
    s.push_str("## Semantic redline\n");
    for (party, list) in grouped(r) {
        s.push_str(&format!(
            "\n### {party}\n\n| change | clause | detail |\n|---|---|---|\n"
        ));
        for c in list {
            let clause = c
                .clause
                .as_deref()
                .map(|x| format!("`{x}`"))
                .unwrap_or_default();
            let detail = c.detail.replace('|', "\\|");
            s.push_str(&format!("| {} | {clause} | {detail} |\n", change_word(c)));
        }
    }
    if !r.prose.is_empty() {
        s.push_str("\n## Prose redline\n");
        for p in &r.prose {
            s.push_str(&format!(
                "\n**`{}`** — {}\n",
                p.clause,
                word_diff_markdown(
                    p.before.as_deref().unwrap_or(""),
                    p.after.as_deref().unwrap_or("")
                )
            ));
        }
    }
    s
}

/// The redline as JSON.
pub fn render_json(r: &Redline) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}
