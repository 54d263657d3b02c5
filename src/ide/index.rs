//! The symbol index of an analysis: every declaration of a party, affiliate, asset,
//! field node, territory group, grant and named reservation, and every place a name
//! refers to one. The references are resolution's own bindings (the compilation's
//! `resolve::bindings::Bindings`: a reference's span → its declaration), so a name
//! binds to the declaration resolution binds it to; the index only gives each
//! declaration a symbol. What a file sees (for completion and field paths) is read
//! from resolution's tables too: `resolve::scope::Names` holds each name's
//! declarations once for the whole analysis and `resolve::views::Views` answers which
//! files a file sees, so nothing is copied per file.

use crate::driver::ParsedFile;
use crate::resolve::bindings::{Bindings, DeclKind};
use crate::resolve::scope::Names;
use crate::resolve::views::Views;
use crate::source::{FileId, Span};
use crate::syntax::ast::{FieldNode, Ident, Item};
use std::collections::{BTreeMap, HashMap};

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Party,
    Affiliate,
    Asset,
    Field,
    Group,
    Grant,
    Reservation,
    // reach (issue 15/20): standards in navigation
    /// A technical standard (`standard aurora "…"` in an agreement).
    Standard,
}

/// The namespaces names live in: a name may be declared once per namespace and view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    /// Parties and affiliates.
    Party,
    Asset,
    /// Field nodes (root names per view; child names per parent).
    Field,
    Group,
    /// Grants and named reservations of one agreement (file).
    Clause,
    /// reach (issue 15/20): standards, one namespace for every file checked together.
    Standard,
}

impl SymbolKind {
    pub fn namespace(self) -> Namespace {
        match self {
            SymbolKind::Party | SymbolKind::Affiliate => Namespace::Party,
            SymbolKind::Asset => Namespace::Asset,
            SymbolKind::Field => Namespace::Field,
            SymbolKind::Group => Namespace::Group,
            SymbolKind::Grant | SymbolKind::Reservation => Namespace::Clause,
            SymbolKind::Standard => Namespace::Standard,
        }
    }

    /// The word for messages: "party", "territory group", …
    pub fn noun(self) -> &'static str {
        match self {
            SymbolKind::Party => "party",
            SymbolKind::Affiliate => "affiliate",
            SymbolKind::Asset => "asset",
            SymbolKind::Field => "field",
            SymbolKind::Group => "territory group",
            SymbolKind::Grant => "grant",
            SymbolKind::Reservation => "reservation",
            SymbolKind::Standard => "standard",
        }
    }
}

/// Index of a symbol in [`Index::symbols`].
pub type SymbolId = usize;

/// One declaration.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub kind: SymbolKind,
    pub name: String,
    /// The dotted path of a field node; the name otherwise.
    pub path: String,
    /// The declaring identifier.
    pub decl: Span,
    /// The whole declaration.
    pub full: Span,
    /// A field's parent node; an affiliate's party.
    pub parent: Option<SymbolId>,
}

/// A name in the source bound to its declaration (the declaration itself included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    pub symbol: SymbolId,
    pub is_decl: bool,
}

/// A name in a territory expression that is not a declared group: an ISO code or a
/// built-in group (`EU`, `EEA`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryName {
    pub span: Span,
    pub name: String,
}

/// Every declaration and every use of one analysis.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    /// Sorted by file and position.
    pub occurrences: Vec<Occurrence>,
    pub territory_names: Vec<TerritoryName>,
    /// The names of the whole analysis, declared once each (not copied per file: a
    /// file's view looks a name up among its declarations, keeping those in files it
    /// sees, as resolution does).
    names: std::sync::Arc<Declared>,
    /// Per file: its own grants and named reservations.
    clauses: BTreeMap<FileId, Clauses>,
    /// Field children: parent → (name, child).
    children: BTreeMap<SymbolId, Vec<(String, SymbolId)>>,
}

/// The namespaces that files share through imports, and who sees whom.
#[derive(Debug)]
struct Declared {
    parties: Names<SymbolId>,
    assets: Names<SymbolId>,
    groups: Names<SymbolId>,
    field_roots: Names<SymbolId>,
    views: Views,
}

impl Default for Declared {
    fn default() -> Self {
        Declared {
            parties: Names::new("party"),
            assets: Names::new("asset"),
            groups: Names::new("territory group"),
            field_roots: Names::new("field"),
            views: Views::default(),
        }
    }
}

/// One file's own grants and named reservations, by name (the first of a name wins).
#[derive(Debug, Clone, Default)]
struct Clauses {
    grants: BTreeMap<String, SymbolId>,
    reservations: BTreeMap<String, SymbolId>,
}

/// What one file sees: its own declarations, then those of the files it imports.
#[derive(Debug, Clone, Copy)]
pub struct View<'i> {
    index: &'i Index,
    file: FileId,
}

impl<'i> View<'i> {
    fn get(&self, names: &Names<SymbolId>, name: &str) -> Option<SymbolId> {
        names.lookup(&self.index.names.views, self.file, name)
    }

    fn all(&self, names: &'i Names<SymbolId>) -> Vec<SymbolId> {
        names
            .visible(&self.index.names.views, self.file)
            .map(|(_, id)| id)
            .collect()
    }

    pub fn party(&self, name: &str) -> Option<SymbolId> {
        self.get(&self.index.names.parties, name)
    }

    pub fn asset(&self, name: &str) -> Option<SymbolId> {
        self.get(&self.index.names.assets, name)
    }

    pub fn group(&self, name: &str) -> Option<SymbolId> {
        self.get(&self.index.names.groups, name)
    }

    pub fn field_root(&self, name: &str) -> Option<SymbolId> {
        self.get(&self.index.names.field_roots, name)
    }

    /// The file's own grant of this id.
    pub fn grant(&self, name: &str) -> Option<SymbolId> {
        self.own().and_then(|c| c.grants.get(name).copied())
    }

    /// The file's own named reservation of this name.
    pub fn reservation(&self, name: &str) -> Option<SymbolId> {
        self.own().and_then(|c| c.reservations.get(name).copied())
    }

    fn own(&self) -> Option<&'i Clauses> {
        self.index.clauses.get(&self.file)
    }

    /// Every party and affiliate the file sees, by name.
    pub fn parties(&self) -> Vec<SymbolId> {
        self.all(&self.index.names.parties)
    }

    pub fn assets(&self) -> Vec<SymbolId> {
        self.all(&self.index.names.assets)
    }

    pub fn groups(&self) -> Vec<SymbolId> {
        self.all(&self.index.names.groups)
    }

    pub fn field_roots(&self) -> Vec<SymbolId> {
        self.all(&self.index.names.field_roots)
    }

    /// The file's own grants, by id.
    pub fn grants(&self) -> Vec<SymbolId> {
        self.own()
            .map(|c| c.grants.values().copied().collect())
            .unwrap_or_default()
    }

    /// The file's own named reservations, by name.
    pub fn reservations(&self) -> Vec<SymbolId> {
        self.own()
            .map(|c| c.reservations.values().copied().collect())
            .unwrap_or_default()
    }
}

/// Declarations one file makes.
#[derive(Default)]
struct Own {
    parties: Vec<SymbolId>,
    assets: Vec<SymbolId>,
    groups: Vec<SymbolId>,
    field_roots: Vec<SymbolId>,
    grants: Vec<SymbolId>,
    reservations: Vec<SymbolId>,
}

impl Index {
    /// Builds the index of the parsed files, with the bindings their compilation made
    /// (`Compilation::bindings`).
    pub fn build(files: &[ParsedFile], bindings: &Bindings) -> Index {
        let mut index = Index::default();
        let mut declared = Declared::default();
        for f in files {
            let own = index.declarations(f);
            let spans = |ids: &[SymbolId]| -> Vec<(String, SymbolId, Span)> {
                ids.iter()
                    .filter_map(|&id| index.symbols.get(id).map(|s| (s.name.clone(), id, s.decl)))
                    .collect()
            };
            for (names, ids) in [
                (&mut declared.parties, &own.parties),
                (&mut declared.assets, &own.assets),
                (&mut declared.groups, &own.groups),
                (&mut declared.field_roots, &own.field_roots),
            ] {
                for (name, id, span) in spans(ids) {
                    names.declare(&name, id, span);
                }
            }
            let mut clauses = Clauses::default();
            for (name, id, _) in spans(&own.grants) {
                clauses.grants.entry(name).or_insert(id);
            }
            for (name, id, _) in spans(&own.reservations) {
                clauses.reservations.entry(name).or_insert(id);
            }
            index.clauses.insert(f.id, clauses);
        }
        let views = Views::new(files);
        for names in [
            &mut declared.parties,
            &mut declared.assets,
            &mut declared.groups,
            &mut declared.field_roots,
        ] {
            names.finish(&views);
        }
        declared.views = views;
        index.names = std::sync::Arc::new(declared);
        index.bind(bindings);
        index
            .occurrences
            .sort_by_key(|o| (o.span.file, o.span.start, o.span.end));
        index
            .occurrences
            .dedup_by_key(|o| (o.span.file, o.span.start, o.span.end));
        index
            .territory_names
            .sort_by_key(|t| (t.span.file, t.span.start));
        index
    }

    /// The references, as resolution bound them: each binding's declaration is the
    /// symbol declared at its span (the identifier of a party, affiliate, asset, field
    /// node or group; the whole clause of a grant or reservation, as the model keeps
    /// it). A binding whose declaration the index does not know is left out.
    fn bind(&mut self, bindings: &Bindings) {
        let mut by_decl: HashMap<(DeclKind, Span), SymbolId> = HashMap::new();
        for (id, s) in self.symbols.iter().enumerate() {
            let key = match s.kind {
                SymbolKind::Party | SymbolKind::Affiliate => (DeclKind::Party, s.decl),
                SymbolKind::Asset => (DeclKind::Asset, s.decl),
                SymbolKind::Field => (DeclKind::Field, s.decl),
                SymbolKind::Group => (DeclKind::Group, s.decl),
                SymbolKind::Grant => (DeclKind::Grant, s.full),
                SymbolKind::Reservation => (DeclKind::Reservation, s.full),
                SymbolKind::Standard => (DeclKind::Standard, s.decl),
            };
            by_decl.entry(key).or_insert(id);
        }
        for b in bindings.all() {
            if let Some(&symbol) = by_decl.get(&(b.kind, b.decl)) {
                self.occurrences.push(Occurrence {
                    span: b.reference,
                    symbol,
                    is_decl: false,
                });
            }
        }
        self.territory_names = bindings
            .places()
            .iter()
            .map(|p| TerritoryName {
                span: p.span,
                name: p.name.clone(),
            })
            .collect();
    }

    fn add(
        &mut self,
        kind: SymbolKind,
        ident: &Ident,
        path: String,
        full: Span,
        parent: Option<SymbolId>,
    ) -> SymbolId {
        let id = self.symbols.len();
        self.symbols.push(Symbol {
            kind,
            name: ident.name.to_string(),
            path,
            decl: ident.span,
            full,
            parent,
        });
        self.occurrences.push(Occurrence {
            span: ident.span,
            symbol: id,
            is_decl: true,
        });
        id
    }

    fn declarations(&mut self, f: &ParsedFile) -> Own {
        let mut own = Own::default();
        for item in f.ast.items() {
            match item {
                Item::Party(p) => {
                    let id = self.add(
                        SymbolKind::Party,
                        &p.name,
                        p.name.name.to_string(),
                        p.span,
                        None,
                    );
                    own.parties.push(id);
                    for a in &p.affiliates {
                        let aid = self.add(
                            SymbolKind::Affiliate,
                            &a.name,
                            a.name.name.to_string(),
                            a.span,
                            Some(id),
                        );
                        own.parties.push(aid);
                    }
                }
                Item::Asset(a) => {
                    own.assets.push(self.add(
                        SymbolKind::Asset,
                        &a.name,
                        a.name.name.to_string(),
                        a.span,
                        None,
                    ));
                }
                Item::Territory(t) => {
                    own.groups.push(self.add(
                        SymbolKind::Group,
                        &t.name,
                        t.name.name.to_string(),
                        t.span,
                        None,
                    ));
                }
                Item::Fields(fd) => {
                    for root in &fd.roots {
                        own.field_roots.push(self.field(root, None, ""));
                    }
                }
                // reach (issue 15/20): an agreement's standards (bound by resolution,
                // which keeps a standard's declaring identifier as its span).
                Item::Agreement(ag) => {
                    for s in &ag.standards {
                        self.add(
                            SymbolKind::Standard,
                            &s.name,
                            s.name.name.to_string(),
                            s.span,
                            None,
                        );
                    }
                }
                Item::Grant(g) => {
                    own.grants.push(self.add(
                        SymbolKind::Grant,
                        &g.name,
                        g.name.name.to_string(),
                        g.span,
                        None,
                    ));
                }
                Item::Reserve(r) => {
                    if let Some(n) = &r.name {
                        own.reservations.push(self.add(
                            SymbolKind::Reservation,
                            n,
                            n.name.to_string(),
                            r.span,
                            None,
                        ));
                    }
                }
                _ => {}
            }
        }
        own
    }

    fn field(&mut self, node: &FieldNode, parent: Option<SymbolId>, prefix: &str) -> SymbolId {
        let path = if prefix.is_empty() {
            node.name.name.to_string()
        } else {
            format!("{prefix}.{}", node.name.name)
        };
        let id = self.add(
            SymbolKind::Field,
            &node.name,
            path.clone(),
            node.span,
            parent,
        );
        let mut kids = Vec::new();
        for child in &node.children {
            let c = self.field(child, Some(id), &path);
            kids.push((child.name.name.to_string(), c));
        }
        self.children.insert(id, kids);
        id
    }

    /// The view of a file (`None` for a file the index does not know).
    pub fn view(&self, file: FileId) -> Option<View<'_>> {
        self.clauses
            .contains_key(&file)
            .then_some(View { index: self, file })
    }

    pub fn symbol(&self, id: SymbolId) -> Option<&Symbol> {
        self.symbols.get(id)
    }

    /// The children of a field node, by name.
    pub fn field_children(&self, id: SymbolId) -> &[(String, SymbolId)] {
        self.children.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Resolves a dotted field path in a file's view.
    pub fn field_by_path(&self, file: FileId, path: &str) -> Option<SymbolId> {
        let view = self.view(file)?;
        let mut segments = path.split('.');
        let mut current = view.field_root(segments.next()?)?;
        for seg in segments {
            current = self
                .field_children(current)
                .iter()
                .find(|(n, _)| n == seg)
                .map(|(_, c)| *c)?;
        }
        Some(current)
    }

    /// Every field path a file sees, in pre-order.
    pub fn field_paths(&self, file: FileId) -> Vec<SymbolId> {
        let mut out = Vec::new();
        let Some(view) = self.view(file) else {
            return out;
        };
        let mut stack: Vec<SymbolId> = view.field_roots().into_iter().rev().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.field_children(id).iter().rev().map(|(_, c)| *c));
        }
        out
    }

    /// The occurrence at a byte offset (a cursor touching the end of a name counts).
    pub fn at(&self, file: FileId, offset: u32) -> Option<Occurrence> {
        let inside = self
            .occurrences
            .iter()
            .find(|o| o.span.file == file && o.span.start <= offset && offset < o.span.end);
        inside
            .or_else(|| {
                self.occurrences
                    .iter()
                    .find(|o| o.span.file == file && o.span.start <= offset && offset == o.span.end)
            })
            .copied()
    }

    /// Every occurrence of a symbol, declaration first.
    pub fn occurrences_of(&self, symbol: SymbolId) -> Vec<Occurrence> {
        let mut v: Vec<Occurrence> = self
            .occurrences
            .iter()
            .filter(|o| o.symbol == symbol)
            .copied()
            .collect();
        v.sort_by_key(|o| (!o.is_decl, o.span.file, o.span.start));
        v
    }

    /// The ISO code or built-in group at an offset.
    pub fn territory_name_at(&self, file: FileId, offset: u32) -> Option<&TerritoryName> {
        self.territory_names
            .iter()
            .find(|t| t.span.file == file && t.span.start <= offset && offset <= t.span.end)
    }
}
