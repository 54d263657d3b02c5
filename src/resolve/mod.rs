//! Name resolution: binds every name to its declaration across the files of a
//! compilation, and lowers the syntax trees into the [`Model`].
//!
//! Declarations are order-independent. A file sees its own declarations and those of
//! the files it imports, transitively.

pub mod bindings;
mod clauses;
mod commitments;
mod diligence;
// clauses (issue 15): first refusal and negotiation
mod first;
// outputs: one entity per name across files that do not share it
mod merge;
// clauses (issue 15, round 4): agreement-level payments
mod obligations;
mod payments;
// issue 16 item 6: an editor's next analysis reuses the grants that did not change
pub mod reuse;
pub mod scope;
mod standards;
pub mod values;
pub mod views;

use crate::diagnostics::{Code, Diagnostic, Fix};
use crate::driver::ParsedFile;
use crate::model::{
    AssetDecl, AssetId, FieldDecl, FieldForest, FieldId, FieldSet, GroupDecl, Model, PartyDecl,
    PartyId, PatentDecl,
};
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    self, FieldExpr, FieldNode, FieldPath, Ident, Item, TerritoryExpr, TerritoryTerm,
};
use crate::territory::TerritorySet;
use scope::{duplicate, unknown, Declarations, Scope};
use std::collections::BTreeMap;
use views::Views;

/// The declarations one file makes itself.
#[derive(Debug, Clone, Default)]
struct OwnDecls {
    parties: Vec<(String, PartyId, Span)>,
    assets: Vec<(String, AssetId, Span)>,
    groups: Vec<(String, usize, Span)>,
    field_roots: Vec<(String, FieldId, Span)>,
}

/// Where each group and asset was declared, to resolve its body in the right view.
struct Pending<'a> {
    groups: Vec<(FileId, &'a ast::TerritoryDecl)>,
    assets: Vec<(FileId, &'a ast::Asset)>,
}

/// Group resolution state, for order independence and cycle detection.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GroupState {
    Todo,
    InProgress,
    Done,
}

/// Everything resolution needs while lowering one file.
pub(crate) struct Ctx<'m> {
    pub model: &'m Model,
    pub scope: &'m Scope<'m>,
    pub file: FileId,
}

/// Resolves the parsed files into a model, reporting names and values problems; records
/// no bindings.
pub fn resolve(files: &[ParsedFile]) -> (Model, Vec<Diagnostic>) {
    let (model, diags, _) = resolve_with(&mut files.to_vec(), None, Lowering::QUIET, &|_| None);
    (model, diags)
}

/// [`resolve`], with the table of every binding it made ([`bindings::Bindings`]).
pub fn resolve_bound(files: &[ParsedFile]) -> (Model, Vec<Diagnostic>, bindings::Bindings) {
    resolve_with(&mut files.to_vec(), None, Lowering::RECORDED, &|_| None)
}

/// What resolution keeps of its work and of the trees it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lowering {
    /// Record every binding (name to declaration) for the editor.
    pub record: bool,
    /// Free each grant's tree as soon as it is lowered (issue 19: for a caller that
    /// reads no tree afterwards, so the trees and the model are never both whole). A
    /// freed grant is left as an [`ast::Item::Error`] at its place; a tree shared with
    /// anyone else (an editor's parse cache) is never touched.
    pub free_grants: bool,
}

impl Lowering {
    /// No bindings; the trees are left alone.
    pub const QUIET: Lowering = Lowering {
        record: false,
        free_grants: false,
    };
    /// Bindings recorded; the trees are left alone.
    pub const RECORDED: Lowering = Lowering {
        record: true,
        free_grants: false,
    };
}

/// [`resolve_bound`], with the choices of [`crate::compile`]: `reuse`, the grants that
/// did not change since an editor's last analysis (what it kept; this one's are kept
/// there in turn; the result is the same); `lowering`, whether to record the bindings
/// and free the grants' trees as they are lowered ([`Lowering`]); `names`, the files'
/// names for the messages that name two files (a name declared differently in two
/// files checked together, E0102).
pub fn resolve_with(
    files: &mut [ParsedFile],
    reuse: Option<reuse::Reuse<'_>>,
    lowering: Lowering,
    names: merge::FileNames<'_>,
) -> (Model, Vec<Diagnostic>, bindings::Bindings) {
    let mut diags = Vec::new();
    let mut model = Model::default();
    let mut own: BTreeMap<FileId, OwnDecls> = BTreeMap::new();
    let mut pending = Pending {
        groups: Vec::new(),
        assets: Vec::new(),
    };

    // 1. Declarations, each with a global id.
    for f in files.iter() {
        let decls = own.entry(f.id).or_default();
        for item in f.ast.items() {
            match item {
                Item::Party(p) => {
                    let id = PartyId(len_u32(model.parties.len()));
                    model.parties.push(PartyDecl {
                        name: p.name.name.to_string(),
                        legal_name: p.legal_name.value.clone(),
                        short_name: p.short_name.as_ref().map(|s| s.value.clone()),
                        parent: None,
                        affiliates: Vec::new(),
                        control: p.control.as_ref().map(|c| {
                            let mut kinds: Vec<_> = c.kinds.iter().map(|k| k.node).collect();
                            kinds.sort();
                            kinds.dedup();
                            crate::model::ControlDecl {
                                kinds,
                                as_of: c.as_of.as_ref().and_then(|d| values::date(d, &mut diags)),
                                span: c.span,
                            }
                        }),
                        membership: values::membership(p, &mut diags),
                        span: p.name.span,
                    });
                    decls
                        .parties
                        .push((p.name.name.to_string(), id, p.name.span));
                    for a in &p.affiliates {
                        let aid = PartyId(len_u32(model.parties.len()));
                        model.parties.push(PartyDecl {
                            name: a.name.name.to_string(),
                            legal_name: a.legal_name.value.clone(),
                            short_name: a.label.as_ref().map(|s| s.value.clone()),
                            parent: Some(id),
                            affiliates: Vec::new(),
                            control: None,
                            membership: crate::model::Membership::default(),
                            span: a.name.span,
                        });
                        if let Some(parent) = model.parties.get_mut(id.0 as usize) {
                            parent.affiliates.push(aid);
                        }
                        decls
                            .parties
                            .push((a.name.name.to_string(), aid, a.name.span));
                    }
                }
                Item::Asset(a) => {
                    let id = AssetId(len_u32(model.assets.len()));
                    model.assets.push(AssetDecl {
                        name: a.name.name.to_string(),
                        label: a.label.as_ref().map(|s| s.value.clone()),
                        kind: a.kind.node,
                        owners: Vec::new(),
                        origin: a.origin.as_ref().map(|o| o.node),
                        patents: Vec::new(),
                        capture: None,
                        notes: a.notes.iter().map(|n| n.value.clone()).collect(),
                        essential: Vec::new(),
                        span: a.name.span,
                    });
                    decls
                        .assets
                        .push((a.name.name.to_string(), id, a.name.span));
                    pending.assets.push((f.id, a));
                }
                Item::Territory(t) => {
                    let idx = model.groups.len();
                    model.groups.push(GroupDecl {
                        name: t.name.name.to_string(),
                        set: TerritorySet::empty(),
                        span: t.name.span,
                    });
                    decls
                        .groups
                        .push((t.name.name.to_string(), idx, t.name.span));
                    pending.groups.push((f.id, t));
                    if is_builtin_group(&t.name.name) {
                        diags.push(
                            Diagnostic::new(
                                Code::E0102,
                                format!(
                                    "`{}` is a built-in territory group and cannot be redefined",
                                    t.name.name
                                ),
                                t.name.span,
                            )
                            .with_label("redefines a built-in group")
                            .with_help("choose another name"),
                        );
                    } else if let Some(country) = crate::iso::country_name(&t.name.name) {
                        // A group named `DE` would make `territory DE` mean the group
                        // while every reader of the agreement reads Germany.
                        diags.push(
                            Diagnostic::new(
                                Code::E0102,
                                format!(
                                    "`{}` is the country code of {country} and cannot name a territory group",
                                    t.name.name
                                ),
                                t.name.span,
                            )
                            .with_label(format!("would hide {country}"))
                            .with_help(format!(
                                "choose a name that is not a country code, such as `{}_group`",
                                t.name.name.to_lowercase()
                            )),
                        );
                    }
                }
                Item::Fields(fd) => {
                    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                    for root in &fd.roots {
                        if let Some(&first) = seen.get(root.name.name.as_str()) {
                            diags.push(duplicate("field", &root.name.name, first, root.name.span));
                        }
                        seen.insert(&root.name.name, root.name.span);
                        let id = add_field(&mut model.fields, root, None, "", &mut diags);
                        decls
                            .field_roots
                            .push((root.name.name.to_string(), id, root.name.span));
                    }
                }
                Item::Agreement(ag) => standards::declare(&mut model, ag, &mut diags),
                _ => {}
            }
        }
    }

    // Without any declared field, `field all` still means something every grant
    // shares: one implicit field `all` (a keyword, so no declaration can clash with it).
    if model.fields.nodes.is_empty() {
        model.fields.nodes.push(FieldDecl {
            name: "all".to_string(),
            path: "all".to_string(),
            label: None,
            parent: None,
            end: 1,
            implicit: true,
            span: Span::default(),
        });
    }

    // 2. The declarations every file sees: its own and its imports', transitively,
    // read through the import relation rather than copied per file.
    let views = Views::new(files);
    let mut declarations = Declarations::default();
    if !lowering.record {
        declarations.record = bindings::Recorder::off();
    }
    for d in own.values() {
        for (n, id, s) in &d.parties {
            declarations.parties.declare(n, *id, *s);
        }
        for (n, id, s) in &d.assets {
            declarations.assets.declare(n, *id, *s);
        }
        for (n, id, s) in &d.groups {
            declarations.groups.declare(n, *id, *s);
        }
        for (n, id, s) in &d.field_roots {
            declarations.field_roots.declare(n, *id, *s);
        }
    }
    declarations.finish(&views, &mut diags);

    // 3. Territory groups, in any order, refusing cycles.
    resolve_groups(
        &pending.groups,
        &declarations,
        &views,
        &mut model,
        &mut diags,
    );

    // 4. Asset bodies.
    for (i, (file, a)) in pending.assets.iter().enumerate() {
        let scope = declarations.view(&views, *file);
        let ctx = Ctx {
            model: &model,
            scope: &scope,
            file: *file,
        };
        let (owners, patents, capture) = asset_body(&ctx, a, &mut diags);
        let essential = standards::essential(&model, scope.record, a, &mut diags);
        if let Some(decl) = model.assets.get_mut(i) {
            decl.owners = owners;
            decl.patents = patents;
            decl.capture = capture;
            decl.essential = essential;
        }
    }

    // 5. A name declared alike in files that do not share it is one entity; declared
    // differently, it is E0102 (see `merge`).
    merge::merge(&mut model, &mut declarations, &views, names, &mut diags);

    // 6. Agreements and their clauses.
    let mut session = reuse.map(|r| reuse::Session::new(r, &model, files, declarations.spread()));
    for f in files.iter_mut() {
        let scope = declarations.view(&views, f.id);
        let agreement = clauses::agreement(
            &Ctx {
                model: &model,
                scope: &scope,
                file: f.id,
            },
            f,
            session.as_mut(),
            lowering.free_grants,
            &mut diags,
        );
        model.agreements.extend(agreement);
    }
    if let Some(s) = session {
        s.finish();
    }
    agreement_ids(files, &mut diags);
    declarations.ambiguities(&mut diags);
    (model, diags, declarations.record.finish())
}

/// outputs: an agreement id written in the source names one agreement of the whole
/// compilation; a second agreement with the same id is E0102 (a file's second
/// agreement block is E0013 already, and is not counted).
fn agreement_ids(files: &[ParsedFile], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for f in files {
        let first = f.ast.items().find_map(|i| match i {
            Item::Agreement(a) => Some(a),
            _ => None,
        });
        let Some(id) = first.and_then(|a| a.id.as_ref()) else {
            continue;
        };
        match seen.get(id.name.as_str()) {
            Some(&before) => diags.push(duplicate("agreement", &id.name, before, id.span)),
            None => {
                seen.insert(&id.name, id.span);
            }
        }
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn is_builtin_group(name: &str) -> bool {
    matches!(name, "EU" | "EEA")
}

/// Adds a field subtree in pre-order; returns the root's id.
fn add_field(
    forest: &mut FieldForest,
    node: &FieldNode,
    parent: Option<FieldId>,
    prefix: &str,
    diags: &mut Vec<Diagnostic>,
) -> FieldId {
    let id = FieldId(len_u32(forest.nodes.len()));
    let path = if prefix.is_empty() {
        node.name.name.to_string()
    } else {
        format!("{prefix}.{}", node.name.name)
    };
    forest.nodes.push(FieldDecl {
        name: node.name.name.to_string(),
        path: path.clone(),
        label: node.label.as_ref().map(|l| l.value.clone()),
        parent,
        end: id.0 + 1,
        implicit: false,
        span: node.name.span,
    });
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for child in &node.children {
        if let Some(&first) = seen.get(child.name.name.as_str()) {
            diags.push(duplicate(
                "field",
                &format!("{path}.{}", child.name.name),
                first,
                child.name.span,
            ));
        }
        seen.insert(&child.name.name, child.name.span);
        add_field(forest, child, Some(id), &path, diags);
    }
    let end = len_u32(forest.nodes.len());
    if let Some(n) = forest.nodes.get_mut(id.0 as usize) {
        n.end = end;
    }
    id
}

/// Resolves every territory group, each after the groups it names, in any order of
/// declaration; a group defined in terms of itself is E0106. The walk keeps its own
/// stack (a chain of thousands of groups must not exhaust the thread's).
fn resolve_groups(
    pending: &[(FileId, &ast::TerritoryDecl)],
    declarations: &Declarations,
    views: &Views,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let mut state = vec![GroupState::Todo; pending.len()];
    // (group, position of the next term to look at)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..pending.len() {
        if state.get(start).copied() != Some(GroupState::Todo) {
            continue;
        }
        if let Some(s) = state.get_mut(start) {
            *s = GroupState::InProgress;
        }
        stack.push((start, 0));
        while let Some(&mut (i, ref mut pos)) = stack.last_mut() {
            let Some(&(file, decl)) = pending.get(i) else {
                stack.pop();
                continue;
            };
            let scope = declarations.view(views, file);
            let include = decl.expr.include.len();
            let term = if *pos < include {
                decl.expr.include.get(*pos)
            } else {
                decl.expr.exclude.get(*pos - include)
            };
            if let Some(term) = term {
                *pos += 1;
                let TerritoryTerm::Name(ident) = term else {
                    continue;
                };
                let Some(dep) = scope.groups.get(&ident.name) else {
                    continue;
                };
                match state.get(dep).copied() {
                    Some(GroupState::Todo) => {
                        if let Some(s) = state.get_mut(dep) {
                            *s = GroupState::InProgress;
                        }
                        stack.push((dep, 0));
                    }
                    Some(GroupState::InProgress) => {
                        diags.push(
                            Diagnostic::new(
                                Code::E0106,
                                format!(
                                    "territory group `{}` is defined in terms of itself",
                                    ident.name
                                ),
                                ident.span,
                            )
                            .with_label("refers back to a group being defined")
                            .with_secondary(decl.name.span, "in the definition of this group")
                            .with_help("spell out the countries in one of the groups"),
                        );
                    }
                    _ => {}
                }
                continue;
            }
            // Every group this one names is resolved: resolve it.
            let ctx = Ctx {
                model,
                scope: &scope,
                file,
            };
            let (set, _, _) = territory(&ctx, &decl.expr, diags);
            if let Some(g) = model.groups.get_mut(i) {
                g.set = set;
            }
            if let Some(s) = state.get_mut(i) {
                *s = GroupState::Done;
            }
            stack.pop();
        }
    }
}

/// Common misspellings of ISO 3166-1 codes.
fn code_alias(code: &str) -> Option<&'static str> {
    match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    }
}

/// One ISO code, reporting an unknown one (E0101).
fn country_code(ident: &Ident, diags: &mut Vec<Diagnostic>) -> Option<TerritorySet> {
    let mut set = TerritorySet::empty();
    if set.insert_code(&ident.name) {
        return Some(set);
    }
    let upper = ident.name.to_ascii_uppercase();
    let (help, meant) = if let Some(alias) = code_alias(&upper) {
        (
            format!("the ISO 3166-1 code is `{alias}`"),
            Some(alias.to_string()),
        )
    } else if crate::iso::country_index(&upper).is_some() {
        (
            format!("country codes are upper case: `{upper}`"),
            Some(upper),
        )
    } else {
        ("use an ISO 3166-1 alpha-2 code such as `DE`, `US` or `JP`, or a group: `worldwide`, `EU`, `EEA`".to_string(), None)
    };
    diags.push(
        Diagnostic::new(
            Code::E0101,
            format!("unknown territory code `{}`", ident.name),
            ident.span,
        )
        .with_label("not an ISO 3166-1 alpha-2 country code")
        .with_help(help)
        .with_fixes(meant.and_then(|m| Fix::replace_name(ident.span, &ident.name, &m))),
    );
    None
}

/// Resolves a territory expression: (result, included, excluded).
pub(crate) fn territory(
    ctx: &Ctx<'_>,
    expr: &TerritoryExpr,
    diags: &mut Vec<Diagnostic>,
) -> (TerritorySet, TerritorySet, TerritorySet) {
    let mut include = TerritorySet::empty();
    for t in &expr.include {
        include = include.union(territory_term(ctx, t, diags));
    }
    let mut exclude = TerritorySet::empty();
    for t in &expr.exclude {
        exclude = exclude.union(territory_term(ctx, t, diags));
    }
    (include.difference(exclude), include, exclude)
}

fn territory_term(
    ctx: &Ctx<'_>,
    term: &TerritoryTerm,
    diags: &mut Vec<Diagnostic>,
) -> TerritorySet {
    match term {
        TerritoryTerm::Worldwide(_) => TerritorySet::worldwide(),
        TerritoryTerm::List(codes, _) => {
            let mut set = TerritorySet::empty();
            for c in codes {
                ctx.scope.record.place(c.span, &c.name);
                if let Some(s) = country_code(c, diags) {
                    set = set.union(s);
                }
            }
            set
        }
        TerritoryTerm::Name(ident) => {
            if let Some(g) = ctx.scope.groups.bind(ident) {
                return ctx.model.groups.get(g).map(|g| g.set).unwrap_or_default();
            }
            match ident.name.as_str() {
                "EU" => {
                    ctx.scope.record.place(ident.span, &ident.name);
                    return TerritorySet::eu();
                }
                "EEA" => {
                    ctx.scope.record.place(ident.span, &ident.name);
                    return TerritorySet::eea();
                }
                _ => {}
            }
            let looks_like_code =
                ident.name.len() == 2 && ident.name.chars().all(|c| c.is_ascii_alphabetic());
            if looks_like_code {
                ctx.scope.record.place(ident.span, &ident.name);
                return country_code(ident, diags).unwrap_or_default();
            }
            let mut candidates: Vec<&str> = ctx.scope.groups.suggestions();
            candidates.extend(["EU", "EEA", "worldwide"]);
            let mut d = unknown(
                "territory group",
                ident,
                candidates,
                ctx.scope.other_kind(&ident.name, "territory group"),
            );
            if d.help.as_deref().is_some_and(|h| h.starts_with("declare")) {
                d = d.with_help(format!("declare it with `territory {} = [..]`, or use `worldwide`, `EU`, `EEA` or ISO codes", ident.name));
            }
            diags.push(d);
            TerritorySet::empty()
        }
    }
}

/// Finds a field by path in the file's view.
fn field_path(ctx: &Ctx<'_>, path: &FieldPath, diags: &mut Vec<Diagnostic>) -> Option<FieldId> {
    let forest = &ctx.model.fields;
    let mut segments = path.segments.iter();
    let first = segments.next()?;
    let Some(mut current) = ctx.scope.field_roots.bind(first) else {
        let other = ctx.scope.other_kind(&first.name, "field");
        diags.push(unknown(
            "field",
            first,
            ctx.scope.field_roots.suggestions(),
            other,
        ));
        return None;
    };
    for seg in segments {
        let node = forest.get(current)?;
        match children(forest, current).find(|c| forest.get(*c).is_some_and(|n| n.name == seg.name))
        {
            Some(c) => {
                if let Some(child) = forest.get(c) {
                    ctx.scope
                        .record
                        .bind(seg.span, bindings::DeclKind::Field, child.span);
                }
                current = c;
            }
            None => {
                let names: Vec<&str> = children(forest, current)
                    .filter_map(|c| forest.get(c))
                    .map(|n| n.name.as_str())
                    .collect();
                let mut d = Diagnostic::new(
                    Code::E0101,
                    format!("unknown field `{}.{}`", node.path, seg.name),
                    seg.span,
                )
                .with_label(format!("`{}` has no sub-field of this name", node.path));
                d = match crate::iso::closest(&seg.name, names.iter().copied()) {
                    Some(s) => d
                        .with_help(format!("did you mean `{}.{s}`?", node.path))
                        .with_fixes(Fix::replace_name(seg.span, &seg.name, s)),
                    None if names.is_empty() => d.with_help(format!(
                        "`{}` has no sub-fields; declare `{}` inside it in `fields`",
                        node.path, seg.name
                    )),
                    None => d.with_help(format!(
                        "the sub-fields of `{}` are: {}",
                        node.path,
                        names.join(", ")
                    )),
                };
                diags.push(d);
                return None;
            }
        }
    }
    Some(current)
}

/// The children of a field node, in order: each one's subtree ends where the next
/// one starts (the forest is in pre-order). Nothing is allocated, as every segment of
/// every field path written is looked up here.
fn children(forest: &FieldForest, id: FieldId) -> impl Iterator<Item = FieldId> + '_ {
    let end = forest.get(id).map_or(id.0, |n| n.end);
    let mut next = id.0 + 1;
    std::iter::from_fn(move || {
        if next >= end {
            return None;
        }
        let child = FieldId(next);
        // A child's subtree never ends before it starts; `max` keeps the walk moving.
        next = forest
            .get(child)
            .map_or(end, |n| n.end)
            .max(next.saturating_add(1));
        Some(child)
    })
}

fn subtree(forest: &FieldForest, id: FieldId) -> (u32, u32) {
    (id.0, forest.get(id).map(|n| n.end).unwrap_or(id.0 + 1))
}

/// Every field the file sees.
/// Every field of use of every file checked together: what `field all` denotes.
pub(crate) fn all_fields(ctx: &Ctx<'_>) -> FieldSet {
    FieldSet::from_ranges(vec![(0, len_u32(ctx.model.fields.nodes.len()))])
}

/// Resolves a field expression: (result, included, excluded).
pub(crate) fn fields(
    ctx: &Ctx<'_>,
    expr: &FieldExpr,
    diags: &mut Vec<Diagnostic>,
) -> (FieldSet, FieldSet, FieldSet) {
    let include = if expr.all {
        all_fields(ctx)
    } else {
        let r = expr
            .include
            .iter()
            .filter_map(|p| field_path(ctx, p, diags))
            .map(|id| subtree(&ctx.model.fields, id))
            .collect();
        FieldSet::from_ranges(r)
    };
    let r = expr
        .exclude
        .iter()
        .filter_map(|p| field_path(ctx, p, diags))
        .map(|id| subtree(&ctx.model.fields, id))
        .collect();
    let exclude = FieldSet::from_ranges(r);
    (include.difference(&exclude), include, exclude)
}

/// Jurisdiction of a patent from its number's prefix (`US 11,234,567` → US).
fn patent_jurisdiction(p: &ast::Patent, diags: &mut Vec<Diagnostic>) -> TerritorySet {
    let prefix: String = p
        .number
        .value
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let upper = prefix.to_ascii_uppercase();
    let (message, help) = match upper.as_str() {
        "EP" => (
            format!("European patent `{}` does not say where it is validated", p.number.value),
            "add the states where it is in force, e.g. `in [DE, FR, GB]`",
        ),
        "WO" => (
            format!("`{}` is an international (PCT) application, in force nowhere by itself", p.number.value),
            "list the national patents it led to, or add `in [..]` with the countries where it is in force",
        ),
        _ => {
            let mut set = TerritorySet::empty();
            if upper.len() == 2 && set.insert_code(&upper) {
                return set;
            }
            (
                format!("cannot tell the country of patent `{}` from its number", p.number.value),
                "start the number with its ISO country code (`US 11,234,567`), or add `in [..]`",
            )
        }
    };
    diags.push(
        Diagnostic::new(Code::E0207, message, p.number.span)
            .with_label("jurisdiction unknown")
            .with_help(help),
    );
    TerritorySet::empty()
}

fn asset_body(
    ctx: &Ctx<'_>,
    a: &ast::Asset,
    diags: &mut Vec<Diagnostic>,
) -> (
    Vec<PartyId>,
    Vec<PatentDecl>,
    Option<(crate::date::Date, crate::date::Date)>,
) {
    let owners: Vec<PartyId> = a
        .owners
        .iter()
        .filter_map(|o| ctx.scope.party(o, diags))
        .collect();
    let mut patents = Vec::new();
    for p in &a.patents {
        let territory = match &p.territory {
            Some(expr) => territory(ctx, expr, diags).0,
            None => patent_jurisdiction(p, diags),
        };
        let filed = p.filed.as_ref().and_then(|d| values::date(d, diags));
        let expires = p.expires.as_ref().and_then(|d| values::date(d, diags));
        if let (Some(f), Some(e)) = (filed, expires) {
            values::interval(f, e, p.span, "patent's life", diags);
        }
        patents.push(PatentDecl {
            number: p.number.value.clone(),
            territory,
            filed,
            expires,
            pending: p.pending.is_some(),
            span: p.span,
        });
    }
    let capture = a.capture.as_ref().and_then(|(from, until)| {
        let f = values::date(from, diags)?;
        let u = values::date(until, diags)?;
        values::interval(f, u, from.span.to(until.span), "capture period", diags).then_some((f, u))
    });
    (owners, patents, capture)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(src: &str) -> ParsedFile {
        ParsedFile {
            id: FileId(0),
            ast: crate::syntax::parse(FileId(0), src).ast.into(),
            imports: Vec::new(),
        }
    }

    fn grants_in(files: &[ParsedFile]) -> usize {
        let items = files.iter().flat_map(|f| f.ast.items());
        items.filter(|i| matches!(i, Item::Grant(_))).count()
    }

    /// issue 19: freeing each grant's tree as it is lowered changes nothing resolution
    /// reports (every example, and one with mistakes in its grants), frees every grant
    /// of a tree no one else holds, and never touches a tree that is shared.
    #[test]
    fn freeing_grants_as_they_are_lowered_changes_no_result() {
        let broken = "agreement t \"T\" {\n  effective 2026-01-01\n}\n\
            party a \"A\"\nparty b \"B\"\nfields { all_of \"All\" }\n\
            asset k: know-how of a\n\
            grant g1: a -> b {\n  assets k\n  field all_of\n  territory worldwide\n  term for 2 years\n  exclusive\n}\n\
            grant g2: a -> nobody {\n  assets k\n  territory EU\n  royalty 2% of net sales\n}\n\
            grant g1: a -> b {\n  assets missing\n  territory [DE, ZZ]\n}\n\
            grant g3: a -> b {\n  assets k\n  territory [DE]\n  term for 3 years\n  exclusive\n}\n";
        let mut sources: Vec<String> = vec![broken.to_string()];
        for example in [
            include_str!("../../examples/acme_globex.xlic"),
            include_str!("../../examples/bilateral_license.xlic"),
            include_str!("../../examples/patent_pool.xlic"),
        ] {
            sources.push(example.to_string());
        }
        let freeing = Lowering {
            record: false,
            free_grants: true,
        };
        for src in &sources {
            let mut kept = vec![parsed(src)];
            let mut freed = vec![parsed(src)];
            let written = grants_in(&kept);
            assert!(written > 0);
            let (m1, d1, _) = resolve_with(&mut kept, None, Lowering::QUIET, &|_| None);
            let (m2, d2, _) = resolve_with(&mut freed, None, freeing, &|_| None);
            assert_eq!(format!("{m1:?}"), format!("{m2:?}"));
            assert_eq!(format!("{d1:?}"), format!("{d2:?}"));
            if src == broken {
                assert!(d1.len() >= 4, "the broken grants are reported: {d1:?}");
            }
            assert_eq!(grants_in(&kept), written);
            assert_eq!(grants_in(&freed), 0, "every grant's tree is freed");

            // A tree someone else holds (an editor's parse cache) keeps its grants.
            let mut shared = vec![parsed(src)];
            let other: Vec<_> = shared
                .iter()
                .map(|f| std::sync::Arc::clone(&f.ast))
                .collect();
            let (m3, _, _) = resolve_with(&mut shared, None, freeing, &|_| None);
            assert_eq!(format!("{m1:?}"), format!("{m3:?}"));
            assert_eq!(grants_in(&shared), written);
            drop(other);
        }
    }
}
