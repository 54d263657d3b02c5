//! The symbol index of an analysis: every declaration of a party, affiliate, asset,
//! field node, territory group, grant and named reservation, and every place a name
//! refers to one, found by looking names up in the view of the file that uses them
//! (its own declarations, then its imports', transitively; the first one wins, as in
//! `resolve`).

use crate::driver::ParsedFile;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, FieldExpr, FieldNode, Ident, Item, Licensee, TerritoryExpr, TerritoryTerm,
};
use std::collections::{BTreeMap, BTreeSet};

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
}

impl SymbolKind {
    pub fn namespace(self) -> Namespace {
        match self {
            SymbolKind::Party | SymbolKind::Affiliate => Namespace::Party,
            SymbolKind::Asset => Namespace::Asset,
            SymbolKind::Field => Namespace::Field,
            SymbolKind::Group => Namespace::Group,
            SymbolKind::Grant | SymbolKind::Reservation => Namespace::Clause,
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
    /// Names in a reference position that bind to no declaration (resolution reports
    /// each of them: E0101, or E0306 for a sunset's grant), sorted by file and position.
    pub unbound: Vec<Span>,
    /// Per file: the names it sees, per namespace (fields: the roots).
    views: BTreeMap<FileId, View>,
    /// Field children: parent → (name, child).
    children: BTreeMap<SymbolId, Vec<(String, SymbolId)>>,
}

/// What one file sees.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub parties: BTreeMap<String, SymbolId>,
    pub assets: BTreeMap<String, SymbolId>,
    pub groups: BTreeMap<String, SymbolId>,
    pub field_roots: BTreeMap<String, SymbolId>,
    /// The file's own grants.
    pub grants: BTreeMap<String, SymbolId>,
    /// The file's own named reservations.
    pub reservations: BTreeMap<String, SymbolId>,
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
    /// Builds the index of the parsed files.
    pub fn build(files: &[ParsedFile]) -> Index {
        let mut index = Index::default();
        let mut own: BTreeMap<FileId, Own> = BTreeMap::new();
        for f in files {
            let decls = index.declarations(f);
            own.insert(f.id, decls);
        }
        let imports: BTreeMap<FileId, Vec<FileId>> = files
            .iter()
            .map(|f| (f.id, f.imports.iter().map(|(t, _)| *t).collect()))
            .collect();
        for f in files {
            let mut view = View::default();
            for seen in closure(f.id, &imports) {
                let Some(o) = own.get(&seen) else { continue };
                index.fill(&mut view.parties, &o.parties);
                index.fill(&mut view.assets, &o.assets);
                index.fill(&mut view.groups, &o.groups);
                index.fill(&mut view.field_roots, &o.field_roots);
                if seen == f.id {
                    index.fill(&mut view.grants, &o.grants);
                    index.fill(&mut view.reservations, &o.reservations);
                }
            }
            index.views.insert(f.id, view);
        }
        let mut all_grants: BTreeMap<String, Vec<SymbolId>> = BTreeMap::new();
        for o in own.values() {
            for g in &o.grants {
                if let Some(sym) = index.symbols.get(*g) {
                    all_grants.entry(sym.name.clone()).or_default().push(*g);
                }
            }
        }
        for f in files {
            let view = index.views.get(&f.id).cloned().unwrap_or_default();
            let mut refs = Refs {
                index: &mut index,
                view: &view,
                all_grants: &all_grants,
            };
            refs.file(&f.ast);
        }
        index
            .occurrences
            .sort_by_key(|o| (o.span.file, o.span.start, o.span.end));
        index
            .occurrences
            .dedup_by_key(|o| (o.span.file, o.span.start, o.span.end));
        index
            .territory_names
            .sort_by_key(|t| (t.span.file, t.span.start));
        index.unbound.sort_by_key(|s| (s.file, s.start, s.end));
        index.unbound.dedup();
        index
    }

    fn fill(&self, map: &mut BTreeMap<String, SymbolId>, ids: &[SymbolId]) {
        for &id in ids {
            if let Some(s) = self.symbols.get(id) {
                map.entry(s.name.clone()).or_insert(id);
            }
        }
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
            name: ident.name.clone(),
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
        for item in &f.ast.items {
            match item {
                Item::Party(p) => {
                    let id = self.add(
                        SymbolKind::Party,
                        &p.name,
                        p.name.name.clone(),
                        p.span,
                        None,
                    );
                    own.parties.push(id);
                    for a in &p.affiliates {
                        let aid = self.add(
                            SymbolKind::Affiliate,
                            &a.name,
                            a.name.name.clone(),
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
                        a.name.name.clone(),
                        a.span,
                        None,
                    ));
                }
                Item::Territory(t) => {
                    own.groups.push(self.add(
                        SymbolKind::Group,
                        &t.name,
                        t.name.name.clone(),
                        t.span,
                        None,
                    ));
                }
                Item::Fields(fd) => {
                    for root in &fd.roots {
                        own.field_roots.push(self.field(root, None, ""));
                    }
                }
                Item::Grant(g) => {
                    own.grants.push(self.add(
                        SymbolKind::Grant,
                        &g.name,
                        g.name.name.clone(),
                        g.span,
                        None,
                    ));
                }
                Item::Reserve(r) => {
                    if let Some(n) = &r.name {
                        own.reservations.push(self.add(
                            SymbolKind::Reservation,
                            n,
                            n.name.clone(),
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
            node.name.name.clone()
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
            kids.push((child.name.name.clone(), c));
        }
        self.children.insert(id, kids);
        id
    }

    /// The view of a file (empty for a file the index does not know).
    pub fn view(&self, file: FileId) -> Option<&View> {
        self.views.get(&file)
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
        let mut current = *view.field_roots.get(segments.next()?)?;
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
        let mut stack: Vec<SymbolId> = view.field_roots.values().rev().copied().collect();
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

/// Every file `start` sees, itself first, then its imports in order, transitively.
fn closure(start: FileId, imports: &BTreeMap<FileId, Vec<FileId>>) -> Vec<FileId> {
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut stack = vec![start];
    while let Some(f) = stack.pop() {
        if !seen.insert(f) {
            continue;
        }
        order.push(f);
        if let Some(next) = imports.get(&f) {
            stack.extend(next.iter().rev());
        }
    }
    order
}

/// Records the references of one file.
struct Refs<'a> {
    index: &'a mut Index,
    view: &'a View,
    /// Every grant of every file, by id: `exclusive subject to` may name an earlier
    /// license in another agreement (the one grant of that id there, as the rights
    /// ledger binds it).
    all_grants: &'a BTreeMap<String, Vec<SymbolId>>,
}

impl Refs<'_> {
    fn bind(&mut self, ident: &Ident, symbol: Option<SymbolId>) {
        match symbol {
            Some(symbol) => self.index.occurrences.push(Occurrence {
                span: ident.span,
                symbol,
                is_decl: false,
            }),
            None => self.index.unbound.push(ident.span),
        }
    }

    fn party(&mut self, ident: &Ident) {
        self.bind(ident, self.view.parties.get(&ident.name).copied());
    }

    fn asset(&mut self, ident: &Ident) {
        self.bind(ident, self.view.assets.get(&ident.name).copied());
    }

    fn file(&mut self, ast: &ast::SourceFileAst) {
        for item in &ast.items {
            match item {
                Item::Agreement(a) => a.parties.iter().for_each(|p| self.party(p)),
                Item::Territory(t) => self.territory(&t.expr),
                Item::Asset(a) => {
                    a.owners.iter().for_each(|o| self.party(o));
                    for p in &a.patents {
                        if let Some(t) = &p.territory {
                            self.territory(t);
                        }
                    }
                }
                Item::Grant(g) => {
                    self.party(&g.licensor);
                    if let Licensee::Party(p) = &g.licensee {
                        self.party(p);
                    }
                    g.assets.iter().for_each(|a| self.asset(a));
                    if let Some(f) = &g.field {
                        self.fields(f);
                    }
                    if let Some(t) = &g.territory {
                        self.territory(t);
                    }
                    if let Some(e) = &g.exclusivity {
                        for name in &e.subject_to {
                            // A reservation of the agreement, else one of its grants,
                            // else the one grant of that id in another agreement.
                            let own = self.view.grants.get(&name.name).copied();
                            let elsewhere = match self.all_grants.get(&name.name).map(Vec::as_slice)
                            {
                                Some([one]) => Some(*one),
                                _ => None,
                            };
                            let found = self
                                .view
                                .reservations
                                .get(&name.name)
                                .copied()
                                .or(own.filter(|_| name.name != g.name.name))
                                .or(elsewhere.filter(|_| own.is_none()));
                            self.bind(name, found);
                        }
                    }
                }
                Item::Reserve(r) => {
                    r.assets.iter().for_each(|a| self.asset(a));
                    if let Some(h) = &r.holder {
                        self.party(h);
                    }
                    if let Some(f) = &r.scope.field {
                        self.fields(f);
                    }
                    if let Some(t) = &r.scope.territory {
                        self.territory(t);
                    }
                }
                Item::Improvements(imp) => {
                    imp.assets.iter().for_each(|a| self.asset(a));
                    for rule in &imp.rules {
                        self.party(&rule.from);
                        self.party(&rule.to);
                    }
                }
                Item::Sunset(s) => {
                    self.bind(&s.grant, self.view.grants.get(&s.grant.name).copied())
                }
                Item::Import(_) | Item::Party(_) | Item::Fields(_) | Item::Error(_) => {}
            }
        }
    }

    fn territory(&mut self, expr: &TerritoryExpr) {
        for term in expr.include.iter().chain(&expr.exclude) {
            match term {
                TerritoryTerm::Worldwide(_) => {}
                TerritoryTerm::Name(ident) => match self.view.groups.get(&ident.name) {
                    Some(&g) => self.bind(ident, Some(g)),
                    None => self.index.territory_names.push(TerritoryName {
                        span: ident.span,
                        name: ident.name.clone(),
                    }),
                },
                TerritoryTerm::List(codes, _) => {
                    for c in codes {
                        self.index.territory_names.push(TerritoryName {
                            span: c.span,
                            name: c.name.clone(),
                        });
                    }
                }
            }
        }
    }

    fn fields(&mut self, expr: &FieldExpr) {
        for path in expr.include.iter().chain(&expr.exclude) {
            let mut segments = path.segments.iter();
            let Some(first) = segments.next() else {
                continue;
            };
            let Some(&root) = self.view.field_roots.get(&first.name) else {
                self.index.unbound.push(first.span);
                continue;
            };
            self.bind(first, Some(root));
            let mut current = root;
            for seg in segments {
                let next = self
                    .index
                    .field_children(current)
                    .iter()
                    .find(|(n, _)| *n == seg.name)
                    .map(|(_, c)| *c);
                let Some(next) = next else {
                    self.index.unbound.push(seg.span);
                    break;
                };
                self.bind(seg, Some(next));
                current = next;
            }
        }
    }
}
