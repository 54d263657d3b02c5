//! What names a file can see: its own declarations and those of every file it imports,
//! directly or not. Two declarations of one name in one view are E0102.
//!
//! Declarations are kept once, for the whole compilation ([`Names`]: every declaration
//! of a name, in file order), and a file's view ([`NameView`]) is that table read through
//! the import relation of [`Views`]: a lookup keeps the declarations in files the viewer
//! sees. Nothing is copied per file, so a chain of 10,000 files or 500 agreements
//! importing one large registry cost what their source costs.

use super::bindings::{DeclKind, Recorder};
use super::views::{set_bit, Views};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{AssetId, FieldId, PartyId};
use crate::source::{FileId, Span};
use crate::syntax::ast::Ident;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Every declaration of one name.
#[derive(Debug, Clone)]
struct Decls<T> {
    /// In file order, then source order.
    list: Vec<(T, Span)>,
    /// The files that declare the name, each with the index of its first declaration.
    files: Vec<(FileId, usize)>,
    /// The same files as bits, when there are more of them than a view has words (so a
    /// lookup costs at most a view's words, not the number of declaring files).
    bits: Option<Vec<u64>>,
}

/// Each name of a namespace with its declarations: looked up by hash (a file that
/// uses 100,000 names pays a hash each, not a search of string comparisons through a
/// tree), read in name order once [`Names::finish`] has sorted it.
struct Table<T> {
    /// In name order after [`Table::sort`]; in order of first declaration before.
    entries: Vec<(String, Decls<T>)>,
    /// Name → its index in `entries`.
    index: foldhash::HashMap<String, usize>,
}

/// The entries alone, in their order: the index is derived from them, and its order
/// changes with the hash's seed.
impl<T: std::fmt::Debug> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T> Table<T> {
    fn get(&self, name: &str) -> Option<&Decls<T>> {
        let &i = self.index.get(name)?;
        self.entries.get(i).map(|(_, d)| d)
    }

    /// The declarations of `name`, an empty entry made for it if it has none.
    fn entry(&mut self, name: &str) -> Option<&mut Decls<T>> {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.entries.len();
                self.index.insert(name.to_string(), i);
                self.entries.push((
                    name.to_string(),
                    Decls {
                        list: Vec::new(),
                        files: Vec::new(),
                        bits: None,
                    },
                ));
                i
            }
        };
        self.entries.get_mut(i).map(|(_, d)| d)
    }

    /// Puts the entries in name order (the order every reader iterates in, so that
    /// diagnostics and suggestions do not depend on the order of declaration).
    fn sort(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (i, (name, _)) in self.entries.iter().enumerate() {
            if let Some(slot) = self.index.get_mut(name.as_str()) {
                *slot = i;
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &Decls<T>)> {
        self.entries.iter().map(|(n, d)| (n, d))
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(n, _)| n)
    }

    fn values(&self) -> impl Iterator<Item = &Decls<T>> {
        self.entries.iter().map(|(_, d)| d)
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut Decls<T>> {
        self.entries.iter_mut().map(|(_, d)| d)
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// One namespace of the whole compilation: name → its declarations.
#[derive(Debug)]
pub struct Names<T: Copy> {
    map: Table<T>,
    kind: &'static str,
    /// Names a view saw declared in two imported files, neither its own: (first,
    /// second, name), reported by [`Names::ambiguities`].
    /// (A mutex, not a cell, so that the editor index, which shares the tables across
    /// threads, may hold them.)
    ambiguous: Mutex<BTreeSet<(Span, Span, String)>>,
    /// Whether some name is declared in two files (set by [`Names::finish`]): only
    /// then can a lookup find an ambiguity.
    spread: bool,
    /// Pairs of declarations (first, second) already reported as one name declared
    /// differently in two files ([`Names::reported`]), so that a file seeing both is not
    /// told again.
    differing: BTreeSet<(Span, Span)>,
}

/// Two declarations of one name in files that do not see each other (neither imports
/// the other, directly or not), though they are checked together: the first file's
/// first declaration and another file's.
#[derive(Debug, Clone)]
pub struct Unshared<T> {
    pub name: String,
    pub first: (T, Span),
    pub other: (T, Span),
}

impl<T: Copy> Names<T> {
    pub fn new(kind: &'static str) -> Names<T> {
        Names {
            map: Table {
                entries: Vec::new(),
                index: foldhash::HashMap::default(),
            },
            kind,
            ambiguous: Mutex::new(BTreeSet::new()),
            spread: false,
            differing: BTreeSet::new(),
        }
    }

    /// For every name declared in several files: each file's first declaration that
    /// the first declaring file does not see and is not seen by, paired with that first
    /// file's. (A file that imports another declaring the name, or is imported by it,
    /// clashes with it instead: [`Names::clashes`].) Linear in the declarations.
    pub fn unshared(&self, views: &Views) -> Vec<Unshared<T>> {
        let mut out = Vec::new();
        for (name, d) in self.map.iter() {
            let Some(&(first_file, first)) = d.files.first() else {
                continue;
            };
            let Some(&first_decl) = d.list.get(first) else {
                continue;
            };
            for &(file, i) in d.files.get(1..).unwrap_or(&[]) {
                if views.sees(file, first_file) || views.sees(first_file, file) {
                    continue;
                }
                if let Some(&other) = d.list.get(i) {
                    out.push(Unshared {
                        name: name.clone(),
                        first: first_decl,
                        other,
                    });
                }
            }
        }
        out
    }

    /// Rewrites every declaration's id (once declarations found to be one entity are
    /// merged and the model's tables renumbered).
    pub fn remap(&mut self, f: impl Fn(T) -> T) {
        for d in self.map.values_mut() {
            for (id, _) in &mut d.list {
                *id = f(*id);
            }
        }
    }

    /// Records that the declarations `first` and `second` were reported as one name
    /// declared differently, so that [`Names::ambiguities`] does not report them again.
    pub fn reported(&mut self, first: Span, second: Span) {
        self.differing.insert((first, second));
    }

    /// Records a declaration; call [`Names::finish`] once all are recorded.
    pub fn declare(&mut self, name: &str, id: T, span: Span) {
        if let Some(decls) = self.map.entry(name) {
            decls.list.push((id, span));
        }
    }

    /// Puts the names in order, orders each name's declarations by file and position
    /// and indexes them by file.
    pub fn finish(&mut self, views: &Views) {
        self.map.sort();
        for d in self.map.values_mut() {
            d.list.sort_by_key(|(_, s)| (s.file, s.start, s.end));
            d.files.clear();
            for (i, (_, s)) in d.list.iter().enumerate() {
                if d.files.last().is_none_or(|&(f, _)| f != s.file) {
                    d.files.push((s.file, i));
                }
            }
            d.bits = (d.files.len() > views.words()).then(|| {
                let mut bits = vec![0u64; views.words()];
                for &(f, _) in &d.files {
                    set_bit(&mut bits, f.0 as usize);
                }
                bits
            });
        }
        self.spread = self.map.values().any(|d| d.files.len() > 1);
    }

    /// E0102 for every declaration that shares its name with another one its own file
    /// sees: a second declaration in the same file, or (once per file and name) one in
    /// an imported file. The declarations of two imported files that meet only in a
    /// third are reported where the third uses the name ([`Names::ambiguities`]).
    pub fn clashes(&self, views: &Views, diags: &mut Vec<Diagnostic>) {
        for (name, d) in self.map.iter() {
            if d.list.len() < 2 {
                continue;
            }
            for (k, &(file, first)) in d.files.iter().enumerate() {
                let end = d.files.get(k + 1).map_or(d.list.len(), |&(_, i)| i);
                let Some(&(_, own)) = d.list.get(first) else {
                    continue;
                };
                for &(_, again) in d.list.get(first + 1..end).unwrap_or(&[]) {
                    diags.push(duplicate(self.kind, name, own, again));
                }
                let imported = first_visible(d, views, file, Some(file))
                    .and_then(|i| d.list.get(i))
                    .map(|&(_, s)| s);
                if let Some(imported) = imported {
                    let mut dup =
                        duplicate(self.kind, name, imported, own).with_label("defined here");
                    for l in &mut dup.secondary {
                        l.message = "also defined in an imported file".to_string();
                    }
                    diags.push(dup);
                }
            }
        }
    }

    /// The declaration of `name` that `viewer` sees, chosen as [`NameView::get`] chooses
    /// it (its own first one, else the first in the files it imports), for readers such
    /// as the editor index that report nothing.
    pub fn lookup(&self, views: &Views, viewer: FileId, name: &str) -> Option<T> {
        let d = self.map.get(name)?;
        let i = match d.files.binary_search_by_key(&viewer, |&(f, _)| f) {
            Ok(k) => d.files.get(k)?.1,
            Err(_) => first_visible(d, views, viewer, None)?,
        };
        d.list.get(i).map(|&(id, _)| id)
    }

    /// Every name `viewer` sees with the declaration [`Names::lookup`] gives it, in
    /// name order.
    pub fn visible<'a>(
        &'a self,
        views: &'a Views,
        viewer: FileId,
    ) -> impl Iterator<Item = (&'a str, T)> + 'a {
        self.map
            .keys()
            .filter_map(move |n| self.lookup(views, viewer, n).map(|id| (n.as_str(), id)))
    }

    /// E0102 for every name a file used that it sees declared in two files it imports.
    pub fn ambiguities(&self, diags: &mut Vec<Diagnostic>) {
        let ambiguous = self.ambiguous.lock().unwrap_or_else(|e| e.into_inner());
        for (first, second, name) in ambiguous.iter() {
            if !self.differing.contains(&(*first, *second)) {
                diags.push(duplicate(self.kind, name, *first, *second));
            }
        }
    }
}

/// The index in `d.list` of the first declaration in a file `viewer` sees, other than
/// `except`, with the second such file's first declaration when there is one.
fn visible_two<T>(
    d: &Decls<T>,
    views: &Views,
    viewer: FileId,
    except: Option<FileId>,
) -> (Option<usize>, Option<usize>) {
    let mut found = [None, None];
    let mut n = 0;
    let mut take = |file: FileId| {
        if Some(file) == except || n >= 2 {
            return n >= 2;
        }
        if let Ok(k) = d.files.binary_search_by_key(&file, |&(f, _)| f) {
            if let (Some(slot), Some(&(_, i))) = (found.get_mut(n), d.files.get(k)) {
                *slot = Some(i);
                n += 1;
            }
        }
        n >= 2
    };
    match &d.bits {
        Some(bits) => views.each_seen_in(viewer, bits, take),
        None => {
            for &(file, _) in &d.files {
                if views.sees(viewer, file) && take(file) {
                    break;
                }
            }
        }
    }
    (found[0], found[1])
}

fn first_visible<T>(
    d: &Decls<T>,
    views: &Views,
    viewer: FileId,
    except: Option<FileId>,
) -> Option<usize> {
    visible_two(d, views, viewer, except).0
}

/// How many candidate names "did you mean" may compare in one compilation. Every
/// unknown name is compared with every name its file sees, so 20,000 unknown names
/// among 20,000 declared ones would cost 400 million comparisons; past the budget the
/// help says how to declare the name instead of guessing at it.
pub const SUGGESTION_BUDGET: usize = 1_000_000;

/// What is left of [`SUGGESTION_BUDGET`] in a compilation, how often it was asked and
/// how often it refused (what [`super::reuse`] needs to tell whether a kept lowering
/// would have been the same).
#[derive(Debug)]
pub struct Budget {
    left: Cell<usize>,
    asked: Cell<usize>,
    refused: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            left: Cell::new(SUGGESTION_BUDGET),
            asked: Cell::new(0),
            refused: Cell::new(0),
        }
    }
}

impl Budget {
    /// Spends `count` comparisons if that many are left.
    pub fn take(&self, count: usize) -> bool {
        self.asked.set(self.asked.get().saturating_add(1));
        let left = self.left.get();
        if count > left {
            self.refused.set(self.refused.get().saturating_add(1));
            return false;
        }
        self.left.set(left - count);
        true
    }

    /// What is left, how many times it was asked and how many times it refused.
    pub fn state(&self) -> (usize, usize, usize) {
        (self.left.get(), self.asked.get(), self.refused.get())
    }

    /// Leaves `left`, as a kept lowering that asked would have (counted as one ask).
    pub fn replay(&self, left: usize) {
        self.asked.set(self.asked.get().saturating_add(1));
        self.left.set(left);
    }
}

/// One namespace as one file sees it.
#[derive(Debug, Clone, Copy)]
pub struct NameView<'a, T: Copy> {
    names: &'a Names<T>,
    views: &'a Views,
    viewer: FileId,
    budget: &'a Budget,
    /// What the names of this namespace declare, and where their bindings go.
    decl: DeclKind,
    record: &'a Recorder,
}

impl<T: Copy + PartialEq> NameView<'_, T> {
    /// The declaration of `name` this file sees: its own first one, else the first in
    /// the files it imports (two of those is E0102, reported once the name is used).
    pub fn get(&self, name: &str) -> Option<T> {
        self.declared(name).map(|(id, _)| id)
    }

    /// What looking `name` up in this namespace records, without the lookup when
    /// nothing can be recorded: a name the resolver found in another namespace still
    /// counts as a use here (an ambiguity between two imported declarations of it is
    /// reported, as when the "is it something else" help looked it up).
    fn note_use(&self, name: &str) {
        if self.names.spread {
            self.declared(name);
        }
    }

    /// [`NameView::get`] with the declaration's span.
    fn declared(&self, name: &str) -> Option<(T, Span)> {
        let d = self.names.map.get(name)?;
        if let Ok(k) = d.files.binary_search_by_key(&self.viewer, |&(f, _)| f) {
            let i = d.files.get(k)?.1;
            return d.list.get(i).copied();
        }
        let (first, second) = visible_two(d, self.views, self.viewer, None);
        let first = d.list.get(first?)?;
        // Declarations in two files merged into one entity (`super::merge`) are one.
        if let Some(second) = second
            .and_then(|i| d.list.get(i))
            .filter(|second| second.0 != first.0)
        {
            self.names
                .ambiguous
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert((first.1, second.1, name.to_string()));
        }
        Some(*first)
    }

    /// Binds a name written in a reference position: its declaration, recorded in the
    /// compilation's bindings (`None`, and nothing recorded, when there is none; the
    /// caller reports it or takes the word for something else).
    pub fn bind(&self, ident: &Ident) -> Option<T> {
        let (id, decl) = self.declared(&ident.name)?;
        self.record.bind(ident.span, self.decl, decl);
        Some(id)
    }

    /// Every name this file sees, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.names
            .map
            .iter()
            .filter(|&(_, d)| {
                d.files
                    .binary_search_by_key(&self.viewer, |&(f, _)| f)
                    .is_ok()
                    || first_visible(d, self.views, self.viewer, None).is_some()
            })
            .map(|(n, _)| n.as_str())
    }

    pub fn kind(&self) -> &'static str {
        self.names.kind
    }

    /// The names to suggest from for an unknown one: every name this file sees, or
    /// none once the compilation's [`Budget`] is spent.
    pub fn suggestions(&self) -> Vec<&str> {
        if self.budget.take(self.names.map.len()) {
            self.names().collect()
        } else {
            Vec::new()
        }
    }

    /// Looks a name up, reporting E0101 with the nearest known name when it is missing.
    /// `elsewhere` names other namespaces the word is declared in, for the help text.
    pub fn resolve(
        &self,
        ident: &Ident,
        elsewhere: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        if let Some(id) = self.bind(ident) {
            return Some(id);
        }
        diags.push(unknown(
            self.names.kind,
            ident,
            self.suggestions(),
            elsewhere,
        ));
        None
    }
}

/// E0102 for two declarations of one name.
pub fn duplicate(kind: &str, name: &str, first: Span, second: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0102,
        format!("{kind} `{name}` is defined twice"),
        second,
    )
    .with_label("defined again here")
    .with_secondary(first, "first defined here")
    .with_help(format!(
        "rename one of the two, or remove the second definition of `{name}`"
    ))
}

/// E0101 for a name that is not declared, with the nearest candidate.
pub fn unknown<'a>(
    kind: &str,
    ident: &Ident,
    candidates: impl IntoIterator<Item = &'a str>,
    elsewhere: Option<&str>,
) -> Diagnostic {
    crate::diagnostics::unknown_name(kind, &ident.name, ident.span, candidates, elsewhere)
}

/// Every namespace of the compilation, declared once.
#[derive(Debug)]
pub struct Declarations {
    pub parties: Names<PartyId>,
    pub assets: Names<AssetId>,
    pub groups: Names<usize>,
    pub field_roots: Names<FieldId>,
    /// "Did you mean" work left for the compilation.
    pub budget: Budget,
    /// The bindings the views make.
    pub record: Recorder,
}

impl Default for Declarations {
    fn default() -> Self {
        Declarations {
            parties: Names::new("party"),
            assets: Names::new("asset"),
            groups: Names::new("territory group"),
            field_roots: Names::new("field"),
            budget: Budget::default(),
            record: Recorder::default(),
        }
    }
}

impl Declarations {
    /// Indexes the declarations (see [`Names::finish`]) and reports the clashes each
    /// file sees (E0102).
    pub fn finish(&mut self, views: &Views, diags: &mut Vec<Diagnostic>) {
        self.parties.finish(views);
        self.assets.finish(views);
        self.groups.finish(views);
        self.field_roots.finish(views);
        self.parties.clashes(views, diags);
        self.assets.clashes(views, diags);
        self.groups.clashes(views, diags);
        self.field_roots.clashes(views, diags);
    }

    /// Whether some name is declared in more than one file: looking it up may then
    /// record an ambiguity (E0102), a side effect a kept lowering would not replay.
    pub fn spread(&self) -> bool {
        self.parties.spread || self.assets.spread || self.groups.spread || self.field_roots.spread
    }

    /// E0102 for the names files used that they see declared twice in their imports.
    pub fn ambiguities(&self, diags: &mut Vec<Diagnostic>) {
        self.parties.ambiguities(diags);
        self.assets.ambiguities(diags);
        self.groups.ambiguities(diags);
        self.field_roots.ambiguities(diags);
    }

    /// The view of one file.
    pub fn view<'a>(&'a self, views: &'a Views, viewer: FileId) -> Scope<'a> {
        Scope {
            parties: NameView {
                names: &self.parties,
                views,
                viewer,
                budget: &self.budget,
                decl: DeclKind::Party,
                record: &self.record,
            },
            assets: NameView {
                names: &self.assets,
                views,
                viewer,
                budget: &self.budget,
                decl: DeclKind::Asset,
                record: &self.record,
            },
            groups: NameView {
                names: &self.groups,
                views,
                viewer,
                budget: &self.budget,
                decl: DeclKind::Group,
                record: &self.record,
            },
            field_roots: NameView {
                names: &self.field_roots,
                views,
                viewer,
                budget: &self.budget,
                decl: DeclKind::Field,
                record: &self.record,
            },
            budget: &self.budget,
            record: &self.record,
        }
    }
}

/// Every namespace of one file's view.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub parties: NameView<'a, PartyId>,
    pub assets: NameView<'a, AssetId>,
    pub groups: NameView<'a, usize>,
    pub field_roots: NameView<'a, FieldId>,
    /// "Did you mean" work left for the compilation (shared by every view).
    pub budget: &'a Budget,
    /// Where the bindings of every view go.
    pub record: &'a Recorder,
}

impl Scope<'_> {
    /// What else a name is, when it is not what was asked for.
    pub fn other_kind(&self, name: &str, asked: &str) -> Option<&'static str> {
        let kinds: [(&str, bool); 4] = [
            ("a party", self.parties.get(name).is_some()),
            ("an asset", self.assets.get(name).is_some()),
            ("a territory group", self.groups.get(name).is_some()),
            ("a field", self.field_roots.get(name).is_some()),
        ];
        kinds
            .iter()
            .find(|(k, present)| *present && !k.ends_with(asked))
            .map(|(k, _)| *k)
    }

    pub fn party(&self, ident: &Ident, diags: &mut Vec<Diagnostic>) -> Option<PartyId> {
        if let Some(id) = self.parties.bind(ident) {
            self.assets.note_use(&ident.name);
            self.groups.note_use(&ident.name);
            self.field_roots.note_use(&ident.name);
            return Some(id);
        }
        let other = self.other_kind(&ident.name, "party");
        self.parties.resolve(ident, other, diags)
    }

    pub fn asset(&self, ident: &Ident, diags: &mut Vec<Diagnostic>) -> Option<AssetId> {
        if let Some(id) = self.assets.bind(ident) {
            self.parties.note_use(&ident.name);
            self.groups.note_use(&ident.name);
            self.field_roots.note_use(&ident.name);
            return Some(id);
        }
        let other = self.other_kind(&ident.name, "asset");
        self.assets.resolve(ident, other, diags)
    }
}
