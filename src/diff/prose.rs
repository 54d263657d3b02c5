//! The clause-level prose redline: the text the prose writes for every clause (a grant,
//! reservation, first refusal, payment, improvements clause, sunset, obligation …), in
//! each version (the builder of `xlic build --emit markdown`, each clause on its own
//! even in a pool, through `emit::prose::clause_texts`), and the words struck out and
//! inserted between them.

use crate::emit::json::Policy;
use crate::ledger::Ledger;
use crate::model::Model;
use crate::policy::read::Loaded;
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// A clause whose prose reads differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProseChange {
    /// The id of the clause's agreement.
    pub agreement: String,
    /// The clause id (the new version's, or the old one's when removed).
    pub clause: String,
    /// The clause's text before, paragraphs separated by blank lines (null: the clause
    /// is new).
    pub before: Option<String>,
    /// The text after (null: the clause is removed).
    pub after: Option<String>,
}

/// What the prose of one version is written from: its model and rights ledger — the
/// compiled ones when there are (a policy read back has no obligation, first right or
/// payment clauses: they change no right), else the policy read back.
#[derive(Clone, Copy)]
pub struct Written<'a> {
    pub model: &'a Model,
    pub ledger: &'a Ledger,
}

impl<'a> From<&'a Loaded> for Written<'a> {
    fn from(l: &'a Loaded) -> Self {
        Written {
            model: &l.model,
            ledger: &l.ledger,
        }
    }
}

/// The text of every clause of a version, by agreement id and clause id, in document
/// order. A clause is named as the policy names it, as `changes[].clause` does: a
/// grant, payment or obligation by its id, an unnamed reservation, improvements clause,
/// rule or sunset by the id the policy derives (`sunset#acme_to_globex`,
/// `grant_back#globex->acme`), where the document's tag reads `sunset acme_to_globex`.
fn texts(side: Written<'_>, policy: &Policy) -> Vec<((String, String), String)> {
    // The prose names no source lines in a clause's text; an empty map stands in.
    let sources = SourceMap::new();
    let ids = policy_ids(side.model, policy);
    crate::emit::prose::clause_texts(side.model, side.ledger, &sources)
        .into_iter()
        .map(|(i, id, text)| {
            let agreement = policy
                .agreements
                .get(i)
                .map(|a| a.id.clone())
                .unwrap_or_default();
            let id = ids.get(&(i, id.clone())).cloned().unwrap_or(id);
            ((agreement, id), text)
        })
        .collect()
}

/// The document's tag of each reservation, improvements clause, rule and sunset (by
/// agreement index) → the policy's id of the clause, where they differ. The policy
/// lists an agreement's clauses in the model's order.
fn policy_ids(model: &Model, policy: &Policy) -> BTreeMap<(usize, String), String> {
    use crate::emit::prose::{flow_id, improvements_id, reservation_id, sunset_id};
    let mut out = BTreeMap::new();
    let mut add = |i: usize, tag: String, id: &Option<String>| {
        if let Some(id) = id.as_ref().filter(|id| **id != tag) {
            out.insert((i, tag), id.clone());
        }
    };
    for (i, (a, p)) in model.agreements.iter().zip(&policy.agreements).enumerate() {
        for (r, out) in a.reservations.iter().zip(&p.reservations) {
            add(i, reservation_id(model, r), &out.id);
        }
        for (imp, out) in a.improvements.iter().zip(&p.improvements) {
            add(i, improvements_id(model, imp), &out.id);
            for (rule, out) in imp.rules.iter().zip(&out.rules) {
                add(i, flow_id(model, rule), &out.id);
            }
        }
        for (s, out) in a.sunsets.iter().zip(&p.sunsets) {
            add(i, sunset_id(s), &out.id);
        }
    }
    out
}

/// Every clause whose text differs between the versions: the new version's clauses in
/// its order, then the clauses removed. `renamed` maps an old grant id to its new one
/// (its sunset follows it).
pub(super) fn compare(
    old: (&Policy, Written<'_>),
    new: (&Policy, Written<'_>),
    renamed: &BTreeMap<String, String>,
) -> Vec<ProseChange> {
    let rename = |id: String| -> String {
        if let Some(n) = renamed.get(&id) {
            return n.clone();
        }
        match id.strip_prefix("sunset#").and_then(|g| renamed.get(g)) {
            Some(n) => format!("sunset#{n}"),
            None => id,
        }
    };
    let before: Vec<((String, String), String)> = texts(old.1, old.0)
        .into_iter()
        .map(|((a, id), t)| ((a, rename(id)), t))
        .collect();
    let after = texts(new.1, new.0);
    let old_map: BTreeMap<&(String, String), &String> =
        before.iter().map(|(k, t)| (k, t)).collect();
    let new_map: BTreeMap<&(String, String), &String> = after.iter().map(|(k, t)| (k, t)).collect();
    let mut out = Vec::new();
    let mut push = |key: &(String, String), b: Option<&String>, a: Option<&String>| {
        if b != a {
            out.push(ProseChange {
                agreement: key.0.clone(),
                clause: key.1.clone(),
                before: b.cloned(),
                after: a.cloned(),
            });
        }
    };
    for (key, text) in &after {
        push(key, old_map.get(key).copied(), Some(text));
    }
    for (key, text) in &before {
        if !new_map.contains_key(key) {
            push(key, Some(text), None);
        }
    }
    out
}

/// How a word diff marks the words struck out and inserted.
struct Marks {
    del: (&'static str, &'static str),
    ins: (&'static str, &'static str),
    /// Unchanged words kept on each side of a change (the rest is `…`); `None`: all.
    context: Option<usize>,
}

/// The words of `after` against `before` in Markdown: deleted runs struck out
/// (`~~old words~~`), inserted runs in bold (`**new words**`), the rest as is; the
/// paragraphs of `after` kept.
pub fn word_diff_markdown(before: &str, after: &str) -> String {
    word_diff(
        before,
        after,
        &Marks {
            del: ("~~", "~~"),
            ins: ("**", "**"),
            context: None,
        },
    )
}

/// The words of `after` against `before` for a terminal, as `git diff --word-diff`
/// marks them (`[-old words-]{+new words+}`), with eight unchanged words on each side
/// of a change and `…` for the rest.
pub fn word_diff_text(before: &str, after: &str) -> String {
    word_diff(
        before,
        after,
        &Marks {
            del: ("[-", "-]"),
            ins: ("{+", "+}"),
            context: Some(8),
        },
    )
}

/// The paragraph break among the words.
const BREAK: &str = "\n\n";

/// The words of a text, with `BREAK` between its paragraphs.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, para) in text.split(BREAK).enumerate() {
        if i > 0 {
            out.push(BREAK);
        }
        out.extend(para.split_whitespace());
    }
    out
}

/// The words of `after` against `before`, the runs deleted and inserted marked; a
/// paragraph break of `after` is kept, one of `before` alone is not.
fn word_diff(before: &str, after: &str, marks: &Marks) -> String {
    let a = tokens(before);
    let b = tokens(after);
    // Longest common subsequence of words, by dynamic programming from the ends.
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let here = if a.get(i) == b.get(j) {
                cell(&lcs, i + 1, j + 1) + 1
            } else {
                cell(&lcs, i + 1, j).max(cell(&lcs, i, j + 1))
            };
            if let Some(row) = lcs.get_mut(i) {
                if let Some(c) = row.get_mut(j) {
                    *c = here;
                }
            }
        }
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    let (mut del, mut ins): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    // The words deleted are one run (a paragraph break among them goes); the words
    // inserted are one run per paragraph, their breaks kept.
    let flush = |out: &mut Vec<(String, bool)>, del: &mut Vec<&str>, ins: &mut Vec<&str>| {
        let words: Vec<&str> = del.iter().copied().filter(|w| *w != BREAK).collect();
        if !words.is_empty() {
            out.push((
                format!("{}{}{}", marks.del.0, words.join(" "), marks.del.1),
                true,
            ));
        }
        del.clear();
        let mut run: Vec<&str> = Vec::new();
        for w in ins.iter().copied().chain(std::iter::once(BREAK)) {
            if w != BREAK {
                run.push(w);
                continue;
            }
            if !run.is_empty() {
                out.push((
                    format!("{}{}{}", marks.ins.0, run.join(" "), marks.ins.1),
                    true,
                ));
                run.clear();
            }
            out.push((BREAK.to_string(), false));
        }
        // Not the break after the last run.
        out.pop();
        ins.clear();
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                flush(&mut out, &mut del, &mut ins);
                out.push(((*x).to_string(), false));
                i += 1;
                j += 1;
            }
            (Some(x), Some(_)) if cell(&lcs, i + 1, j) >= cell(&lcs, i, j + 1) => {
                del.push(x);
                i += 1;
            }
            (_, Some(y)) => {
                ins.push(y);
                j += 1;
            }
            (Some(x), None) => {
                del.push(x);
                i += 1;
            }
            (None, None) => break,
        }
    }
    flush(&mut out, &mut del, &mut ins);
    // Where the changes are, and which unchanged words are near enough to one to show.
    let shown: Vec<bool> = match marks.context {
        None => vec![true; out.len()],
        Some(k) => {
            let at: Vec<usize> = (0..out.len())
                .filter(|&i| out.get(i).is_some_and(|(_, c)| *c))
                .collect();
            (0..out.len())
                .map(|i| at.iter().any(|&c| c.abs_diff(i) <= k))
                .collect()
        }
    };
    let mut words: Vec<String> = Vec::new();
    for (i, (w, _)) in out.into_iter().enumerate() {
        if shown.get(i).copied().unwrap_or(true) {
            words.push(w);
        } else if words.last().is_none_or(|l| l != "…") {
            words.push("…".to_string());
        }
    }
    let mut s = String::new();
    for w in words {
        if w == BREAK {
            s.push_str(BREAK);
        } else {
            if !s.is_empty() && !s.ends_with('\n') {
                s.push(' ');
            }
            s.push_str(&w);
        }
    }
    s
}

fn cell(t: &[Vec<usize>], i: usize, j: usize) -> usize {
    t.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{word_diff_markdown, word_diff_text};

    #[test]
    fn a_terminal_redline_keeps_eight_words_around_a_change() {
        assert_eq!(
            word_diff_text(
                "a b c d e f g h i j k l m n o p q r s",
                "a b c d e f g h i j k l m n o p q r X"
            ),
            "… k l m n o p q r [-s-] {+X+}"
        );
        // A paragraph inserted keeps its break; an unchanged one far away is left out.
        assert_eq!(
            word_diff_text("one\n\ntwo", "one\n\ntwo\n\nthree"),
            "one\n\ntwo\n\n{+three+}"
        );
    }

    #[test]
    fn words_struck_and_inserted() {
        assert_eq!(
            word_diff_markdown(
                "may make and use in DE and FR",
                "may make and sell in DE, FR and IT"
            ),
            "may make and ~~use~~ **sell** in ~~DE and~~ **DE,** FR **and IT**"
        );
        assert_eq!(word_diff_markdown("", "new words"), "**new words**");
        assert_eq!(word_diff_markdown("old words", ""), "~~old words~~");
        assert_eq!(word_diff_markdown("same", "same"), "same");
    }
}
