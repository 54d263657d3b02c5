//! The clause-level prose redline: the sentence the prose writes for a grant, in each
//! version (the builder of `xlic prose`, through `emit::prose::grant_sentence`), and
//! the words struck out and inserted between them.

use crate::emit::prose::doc::{Run, Text};
use crate::policy::read::Loaded;
use crate::source::SourceMap;
use serde::Serialize;

/// A grant whose sentence reads differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProseChange {
    /// The grant's id (the new version's, or the old one's when removed).
    pub clause: String,
    /// The sentence before (null: the grant is new).
    pub before: Option<String>,
    /// The sentence after (null: the grant is removed).
    pub after: Option<String>,
}

/// Both versions, to write grant sentences from.
pub(super) struct Sentences<'a> {
    old: &'a Loaded,
    new: &'a Loaded,
    /// The prose names no source lines in a sentence; an empty map stands in.
    sources: SourceMap,
}

fn plain(t: &Text) -> String {
    t.0.iter()
        .map(|r| match r {
            Run::Text(s) | Run::Term(s) | Run::Code(s) => s.as_str(),
            Run::Ref { text, .. } => text.as_str(),
        })
        .collect()
}

impl<'a> Sentences<'a> {
    pub(super) fn new(old: &'a Loaded, new: &'a Loaded) -> Sentences<'a> {
        Sentences {
            old,
            new,
            sources: SourceMap::new(),
        }
    }

    fn sentence(&self, side: &Loaded, at: (usize, usize)) -> Option<String> {
        let agreement = side.model.agreements.get(at.0)?;
        crate::emit::prose::grant_sentence(
            &side.model,
            &side.ledger,
            &self.sources,
            agreement,
            at.1,
        )
        .map(|t| plain(&t))
    }

    /// The sentences of a grant (by agreement and position) in the old and the new
    /// version, when they differ.
    pub(super) fn compare(
        &self,
        old: Option<(usize, usize)>,
        new: Option<(usize, usize)>,
        clause: Option<&str>,
    ) -> Option<ProseChange> {
        let before = old.and_then(|at| self.sentence(self.old, at));
        let after = new.and_then(|at| self.sentence(self.new, at));
        (before != after).then(|| ProseChange {
            clause: clause.unwrap_or_default().to_string(),
            before,
            after,
        })
    }
}

/// The words of `after` against `before` in Markdown: deleted runs struck out
/// (`~~old words~~`), inserted runs in bold (`**new words**`), the rest as is.
pub fn word_diff_markdown(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.split_whitespace().collect();
    let b: Vec<&str> = after.split_whitespace().collect();
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
    let mut out: Vec<String> = Vec::new();
    let (mut del, mut ins): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<String>, del: &mut Vec<&str>, ins: &mut Vec<&str>| {
        if !del.is_empty() {
            out.push(format!("~~{}~~", del.join(" ")));
            del.clear();
        }
        if !ins.is_empty() {
            out.push(format!("**{}**", ins.join(" ")));
            ins.clear();
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                flush(&mut out, &mut del, &mut ins);
                out.push((*x).to_string());
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
    out.join(" ")
}

fn cell(t: &[Vec<usize>], i: usize, j: usize) -> usize {
    t.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::word_diff_markdown;

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
