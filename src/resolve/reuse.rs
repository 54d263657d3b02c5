//! Per-grant reuse of resolution for an editor (issue 16 item 6): what lowering each
//! grant produced in the last analysis (its [`GrantModel`], diagnostics and bindings)
//! is kept, and the next analysis takes it again for every grant whose text did not
//! change, instead of lowering it anew.
//!
//! A grant's lowering is a function of its text (the items of a file that parses
//! cleanly are independent in the grammar: what incremental reparsing relies on too),
//! its file, the declarations of the compilation and the file's import graph, the
//! agreement as it stands before its grants (header, parties, reservations,
//! definitions), and the "did you mean" budget when it asks for suggestions. The
//! conservative rule: a file's kept grants are used only when all of that but the
//! grant's own text is the same as when they were kept (compared in full, by their
//! `Debug` form), the file has no syntax error, and no name is declared in two files
//! (whose look-ups may record an ambiguity that a kept lowering would not replay). A
//! lowering that asked the budget is reused only when the same budget is left, and
//! leaves what it left then. Anything else lowers the grant again, so a change to a
//! declaration, an import, the agreement's header or a reservation re-lowers the
//! file's grants.
//!
//! A grant is found again where the edit left it: at the same offset when it ends
//! before the changed range of the file's text ([`Change`]), moved by the edit's
//! length when it starts after it (and its bytes are compared with the kept text);
//! the grants inside the changed range are lowered again. A kept grant that moved has
//! its spans moved with it: only the spans inside the grant's old text
//! ([`Move::within`]); the others point at declarations, which did not move (else the
//! declarations would differ).

use super::bindings::{Binding, Place, Recorder};
use super::scope::Budget;
use crate::diagnostics::Diagnostic;
use crate::driver::ParsedFile;
use crate::model::{
    AgreementModel, CommitmentModel, DiligenceModel, GrantModel, Model, MostFavouredScope,
};
use crate::source::{FileId, Span};
use crate::syntax::ast;
use crate::syntax::shift::{no_offsets, shift_struct, Change, Move, Shift};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The lowered grants of the last analysis, by file, kept for the next one (an
/// editor keeps it with its parses, in a [`crate::EditorCache`]).
#[derive(Debug, Default)]
pub struct Kept {
    files: Mutex<BTreeMap<FileId, FileKept>>,
    last: Mutex<Counts>,
}

/// What the last resolution did with its grants.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Grants taken from the previous analysis as they were.
    pub reused: usize,
    /// Of those, grants that had moved (their spans moved with them).
    pub moved: usize,
    /// Of those, grants whose lowering had asked the "did you mean" budget.
    pub asked: usize,
    /// Grants lowered anew.
    pub lowered: usize,
}

impl Kept {
    /// What the last resolution that used this did with its grants.
    pub fn last(&self) -> Counts {
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many grants are kept, over all files.
    pub fn len(&self) -> usize {
        self.lock().values().map(|f| f.grants.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<FileId, FileKept>> {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One file's kept grants, with what they were lowered against.
#[derive(Debug)]
struct FileKept {
    /// Everything but the grant's text that its lowering reads (see the module).
    env: String,
    /// The file's text they were lowered from (the source map's, shared).
    text: Arc<str>,
    /// In source order (`None`: taken by the next analysis).
    grants: Vec<Option<Lowered>>,
}

/// What lowering one grant produced.
#[derive(Debug, Clone)]
struct Lowered {
    /// Where the grant was.
    span: Span,
    /// How the lowering used the "did you mean" budget, if it asked it.
    budget: Option<BudgetUse>,
    grant: Option<GrantModel>,
    diagnostics: Vec<Diagnostic>,
    bindings: Vec<Binding>,
    places: Vec<Place>,
}

/// A lowering that asked the budget: what was left before and after, and whether it
/// was ever refused.
#[derive(Debug, Clone, Copy)]
struct BudgetUse {
    before: usize,
    after: usize,
    refused: bool,
}

impl BudgetUse {
    /// What a lowering with `left` left would leave, when it would have been the same:
    /// every ask granted again (it was never refused and as much is left as it spent),
    /// or exactly the same budget.
    fn replay(self, left: usize) -> Option<usize> {
        let spent = self.before.saturating_sub(self.after);
        if !self.refused && left >= spent {
            Some(left - spent)
        } else {
            (left == self.before).then_some(self.after)
        }
    }
}

impl Lowered {
    /// Moves the spans inside the grant's old text to `to`.
    fn move_to(&mut self, to: Span) {
        let by = i64::from(to.start) - i64::from(self.span.start);
        if by == 0 {
            return;
        }
        let m = Move::within(self.span, by);
        self.grant.shift(m);
        self.diagnostics.shift(m);
        self.bindings.shift(m);
        self.places.shift(m);
        self.span = to;
    }
}

/// What a compilation may reuse: the kept grants and the texts of its files.
#[derive(Clone, Copy)]
pub struct Reuse<'a> {
    pub kept: &'a Kept,
    pub sources: &'a crate::source::SourceMap,
    /// The files whose parse reported an error (never reused).
    pub broken: &'a [FileId],
}

/// One resolution's use of [`Kept`]: what the files share of the environment, and the
/// grants lowered so far (kept for the next analysis when it ends).
pub(super) struct Session<'a> {
    reuse: Reuse<'a>,
    shared: Option<String>,
    done: BTreeMap<FileId, FileKept>,
    counts: Counts,
}

impl<'a> Session<'a> {
    /// Starts once every declaration is resolved (before the agreements).
    pub(super) fn new(
        reuse: Reuse<'a>,
        model: &Model,
        files: &[ParsedFile],
        spread: bool,
    ) -> Session<'a> {
        let shared = (!spread).then(|| {
            let imports: Vec<(FileId, Vec<FileId>)> = files
                .iter()
                .map(|f| (f.id, f.imports.iter().map(|i| i.0).collect()))
                .collect();
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{imports:?}",
                model.parties, model.assets, model.fields, model.groups, model.standards
            )
        });
        Session {
            reuse,
            shared,
            done: BTreeMap::new(),
            counts: Counts::default(),
        }
    }

    /// The grants of one file's agreement `a` (as it stands before its grants).
    pub(super) fn file(&mut self, file: FileId, a: &AgreementModel) -> FileSession<'_> {
        let usable = self.shared.is_some() && !self.reuse.broken.contains(&file);
        let env = match &self.shared {
            Some(shared) if usable => format!("{shared}\n{file:?}\n{a:?}"),
            _ => String::new(),
        };
        let text = self.reuse.sources.shared_text(file);
        let old = if usable {
            self.reuse
                .kept
                .lock()
                .remove(&file)
                .filter(|k| k.env == env)
        } else {
            None
        };
        let change = old.as_ref().map(|k| {
            if Arc::ptr_eq(&k.text, &text) {
                Change {
                    start: text.len(),
                    old_end: text.len(),
                    new_end: text.len(),
                }
            } else {
                Change::between(&k.text, &text)
            }
        });
        FileSession {
            text,
            usable,
            env,
            old,
            change,
            next: 0,
            new: Vec::new(),
            done: &mut self.done,
            counts: &mut self.counts,
            file,
        }
    }

    /// Keeps this resolution's grants for the next one (and only them: a file that is
    /// gone, or that was not lowered, is dropped).
    pub(super) fn finish(self) {
        *self.reuse.kept.lock() = self.done;
        *self
            .reuse
            .kept
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = self.counts;
    }
}

/// The grants of one file, as they are lowered (in source order).
pub(super) struct FileSession<'s> {
    text: Arc<str>,
    usable: bool,
    env: String,
    /// What the last analysis kept of this file, when it was lowered against the same.
    old: Option<FileKept>,
    /// Where its text and this one differ.
    change: Option<Change>,
    /// The first kept grant not yet passed.
    next: usize,
    new: Vec<Option<Lowered>>,
    done: &'s mut BTreeMap<FileId, FileKept>,
    counts: &'s mut Counts,
    file: FileId,
}

impl FileSession<'_> {
    /// The kept lowering of the grant at `start..end` of the new text, if its text is
    /// unchanged: it was at the same place before the edit, or moved by the edit's
    /// length after it.
    fn take(&mut self, start: usize, end: usize) -> Option<Lowered> {
        let (old, change) = (self.old.as_mut()?, self.change?);
        let was = if end <= change.start {
            start
        } else if start >= change.new_end {
            start - change.new_end + change.old_end
        } else {
            return None;
        };
        let grants = &mut old.grants;
        while grants
            .get(self.next)
            .is_some_and(|k| k.as_ref().is_none_or(|k| (k.span.start as usize) < was))
        {
            self.next += 1;
        }
        let slot = grants.get_mut(self.next)?;
        let kept = slot.as_ref()?;
        let same = kept.span.start as usize == was
            && old.text.get(was..was + (end - start)) == self.text.get(start..end);
        if same {
            slot.take()
        } else {
            None
        }
    }

    /// The grant `g` lowered, by `lower` or from what was kept.
    pub(super) fn grant(
        &mut self,
        budget: &Budget,
        record: &Recorder,
        g: &ast::Grant,
        diags: &mut Vec<Diagnostic>,
        lower: impl FnOnce(&mut Vec<Diagnostic>) -> Option<GrantModel>,
    ) -> Option<GrantModel> {
        let (start, end) = (g.span.start as usize, g.span.end as usize);
        // A span at the very start of the file could not be told from a default span
        // of a declaration: such a grant is not kept.
        if !self.usable || start == 0 || end < start || g.span.file != self.file {
            self.counts.lowered += 1;
            return lower(diags);
        }
        let (left, asked, refused) = budget.state();
        let hit = self.take(start, end).and_then(|k| match k.budget {
            None => Some((k, None)),
            Some(b) => b.replay(left).map(|after| (k, Some(after))),
        });
        if let Some((mut kept, after)) = hit {
            self.counts.reused += 1;
            self.counts.moved += usize::from(kept.span != g.span);
            self.counts.asked += usize::from(kept.budget.is_some());
            kept.move_to(g.span);
            if let Some(after) = after {
                budget.replay(after);
            }
            diags.extend(kept.diagnostics.iter().cloned());
            record.replay(&kept.bindings, &kept.places);
            let grant = kept.grant.clone();
            self.new.push(Some(kept));
            return grant;
        }
        self.counts.lowered += 1;
        let (from, mark) = (diags.len(), record.mark());
        let grant = lower(diags);
        let (after, asked_after, refused_after) = budget.state();
        let (bindings, places) = record.since(mark);
        self.new.push(Some(Lowered {
            span: g.span,
            budget: (asked_after != asked).then_some(BudgetUse {
                before: left,
                after,
                refused: refused_after != refused,
            }),
            grant: grant.clone(),
            diagnostics: diags.get(from..).unwrap_or_default().to_vec(),
            bindings,
            places,
        }));
        grant
    }
}

impl Drop for FileSession<'_> {
    fn drop(&mut self) {
        if self.usable {
            self.done.insert(
                self.file,
                FileKept {
                    env: std::mem::take(&mut self.env),
                    text: self.text.clone(),
                    grants: std::mem::take(&mut self.new),
                },
            );
        }
    }
}

no_offsets!(String);

shift_struct! {
    Binding { moved: reference, decl; kept: kind }
    Place { moved: span; kept: name }
    DiligenceModel { moved: span; kept: name, party, event, by }
    CommitmentModel { moved: span; kept: name, party, amount, period, subject, from, until }
    MostFavouredScope { moved: span; kept: fields, territory }
    GrantModel {
        moved: field_except, territory_except, term_span, subject_to_grants, diligence,
            most_favoured, most_favoured_scope, commitments, header, span;
        kept: id, label, licensor, licensees, to_members, to_affiliates, assets, rights,
            field_include, field_exclude, fields, territory_include, territory_exclude,
            territory, term, exclusivity, purposes, covenant, to_customers, release,
            subject_to, subject_to_unresolved, sublicense, transfer, consideration, notes,
            converts, standard
    }
}
