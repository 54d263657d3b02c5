//! One name, one entity: a party, asset, field or territory group declared in several
//! files of one compilation that do not share it through `import` (two agreements of a
//! folder that each declare their parties, two registries one file imports).
//!
//! The policy, the prose and `xlic query` know a party or an asset by its name, so the
//! declarations must mean one thing. When they say the same (a party: legal name, short
//! name, affiliates as a set, `affiliates by control`, membership dates; an asset: kind,
//! label, owners, origin, patents, capture period, notes, standards; a field: its
//! subtree's paths and labels; a group: its countries) they are merged into the first
//! file's entity, so that the rights ledger, the checker's cross-agreement rules and every
//! output see one; otherwise the name is E0102, with the differences in notes.
//!
//! Runs once the territory groups and asset bodies are resolved and before any clause is
//! lowered: nothing but the declaration tables holds an id yet, besides the parties'
//! affiliate links and the assets' owners, which are renumbered here.

use super::scope::{Declarations, Names, Unshared};
use super::views::Views;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{AssetDecl, AssetId, FieldId, Model, PartyDecl, PartyId};
use crate::source::FileId;
use std::collections::{BTreeMap, BTreeSet};

/// A file's name as diagnostics show it (`None`: say "another file").
pub type FileNames<'a> = &'a dyn Fn(FileId) -> Option<String>;

/// The two files of a pair, as the notes name them.
struct Two {
    first: String,
    other: String,
}

impl Two {
    /// The files by their last component (`c.xlic`), or whole when those are the same
    /// (the labels show where each is).
    fn of(pair: &Unshared<impl Copy>, names: FileNames<'_>) -> Two {
        let (a, b) = (names(pair.first.1.file), names(pair.other.1.file));
        let short = |n: &str| {
            std::path::Path::new(n)
                .file_name()
                .map_or_else(|| n.to_string(), |s| s.to_string_lossy().into_owned())
        };
        let (first, other) = match (a, b) {
            (Some(a), Some(b)) if short(&a) != short(&b) => (short(&a), short(&b)),
            (Some(a), Some(b)) if a != b => (a, b),
            _ => {
                return Two {
                    first: "the first file".to_string(),
                    other: "the other file".to_string(),
                }
            }
        };
        Two {
            first: format!("`{first}`"),
            other: format!("`{other}`"),
        }
    }
}

/// Merges every name declared alike in files that do not share it, and reports (E0102)
/// those declared differently.
pub(super) fn merge(
    model: &mut Model,
    declarations: &mut Declarations,
    views: &Views,
    files: FileNames<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    parties(model, declarations, views, files, diags);
    groups(model, declarations, views, files, diags);
    fields(model, declarations, views, files, diags);
    assets(model, declarations, views, files, diags);
}

/// The message, labels and help of a name declared differently in two files.
fn differently(
    kind: &str,
    pair: &Unshared<impl Copy>,
    two: &Two,
    differences: Vec<String>,
    names: &mut Names<impl Copy>,
) -> Diagnostic {
    names.reported(pair.first.1, pair.other.1);
    let name = &pair.name;
    let mut d = Diagnostic::new(
        Code::E0102,
        format!(
            "{kind} `{name}` is declared differently in {} and {}",
            two.first, two.other
        ),
        pair.other.1,
    )
    .with_label("declared here")
    .with_secondary(pair.first.1, "and differently here")
    .with_help(format!(
        "the files are checked together, and the policy and `xlic query` know {} by its name: declare `{name}` once in a file both files import (`import \"registry.xlic\"`), or rename one of the two",
        if kind.starts_with('a') { format!("an {kind}") } else { format!("a {kind}") }
    ));
    for note in differences {
        d = d.with_note(note);
    }
    d
}

/// Old index → the index its entity keeps once the merged entries are removed.
fn renumber(canon: &[usize]) -> Vec<usize> {
    let mut new_index = vec![0; canon.len()];
    let mut next = 0;
    for (i, &c) in canon.iter().enumerate() {
        if c == i {
            if let Some(slot) = new_index.get_mut(i) {
                *slot = next;
            }
            next += 1;
        }
    }
    canon
        .iter()
        .map(|&c| new_index.get(c).copied().unwrap_or(0))
        .collect()
}

/// Keeps the entries that are their own canonical entry, in order.
fn keep_canonical<E>(entries: &mut Vec<E>, canon: &[usize]) {
    let mut i = 0;
    entries.retain(|_| {
        let keep = canon.get(i).is_none_or(|&c| c == i);
        i += 1;
        keep
    });
}

/// What differs between two declarations, one note each, naming the two files.
struct Notes<'t> {
    two: &'t Two,
    list: Vec<String>,
}

impl Notes<'_> {
    /// "the legal names differ: `A` in `c.xlic`, `B` in `d.xlic`".
    fn differs<V: PartialEq>(
        &mut self,
        what: &str,
        first: &V,
        other: &V,
        show: impl Fn(&V) -> String,
    ) {
        if first != other {
            self.list.push(format!(
                "{what} differ: {} in {}, {} in {}",
                show(first),
                self.two.first,
                show(other),
                self.two.other
            ));
        }
    }

    /// "the patents differ: only `c.xlic` lists `A`; only `d.xlic` lists `B`" (each
    /// side said only when it has something the other has not).
    fn only(&mut self, what: &str, verb: &str, first: &BTreeSet<String>, other: &BTreeSet<String>) {
        let a: BTreeSet<String> = first.difference(other).cloned().collect();
        let b: BTreeSet<String> = other.difference(first).cloned().collect();
        let mut sides = Vec::new();
        if !a.is_empty() {
            sides.push(format!("only {} {verb} {}", self.two.first, listed(&a)));
        }
        if !b.is_empty() {
            sides.push(format!("only {} {verb} {}", self.two.other, listed(&b)));
        }
        if !sides.is_empty() {
            self.list
                .push(format!("{what} differ: {}", sides.join("; ")));
        }
    }
}

/// A set written for a note: `a`, `b`.
fn listed(items: &BTreeSet<String>) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted(s: &str) -> String {
    format!("`{s}`")
}

fn optional(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "none".to_string(), quoted)
}

fn date(d: &Option<crate::date::Date>) -> String {
    d.map_or_else(|| "none".to_string(), |d| d.to_string())
}

/// Whether nothing is merged (every entry is its own).
fn unchanged(canon: &[usize]) -> bool {
    canon.iter().enumerate().all(|(i, &c)| i == c)
}

/// What differs between two declarations of a party (nothing: they are one party).
fn party_differences(model: &Model, a: &PartyDecl, b: &PartyDecl, two: &Two) -> Vec<String> {
    let mut notes = Notes {
        two,
        list: Vec::new(),
    };
    let parent = |p: &PartyDecl| p.parent.map(|q| model.party_name(q).to_string());
    notes.differs("the parent parties", &parent(a), &parent(b), |p| match p {
        Some(parent) => format!("an affiliate of `{parent}`"),
        None => "a party of its own".to_string(),
    });
    notes.differs("the legal names", &a.legal_name, &b.legal_name, |s| {
        quoted(s)
    });
    notes.differs("the short names", &a.short_name, &b.short_name, optional);
    let affiliates = |p: &PartyDecl| -> BTreeSet<String> {
        p.affiliates
            .iter()
            .filter_map(|&f| model.party(f))
            .map(|f| match &f.short_name {
                Some(short) => format!("{} \"{}\" (\"{short}\")", f.name, f.legal_name),
                None => format!("{} \"{}\"", f.name, f.legal_name),
            })
            .collect()
    };
    notes.only("the affiliates", "declares", &affiliates(a), &affiliates(b));
    let control = |p: &PartyDecl| {
        p.control.as_ref().map(|c| {
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.keyword()).collect();
            match c.as_of {
                Some(d) => format!("{} as of {d}", kinds.join(", ")),
                None => kinds.join(", "),
            }
        })
    };
    notes.differs(
        "the `affiliates by control` clauses",
        &control(a),
        &control(b),
        optional,
    );
    notes.differs(
        "the `joins` dates",
        &a.membership.joins,
        &b.membership.joins,
        date,
    );
    notes.differs(
        "the `leaves` dates",
        &a.membership.leaves,
        &b.membership.leaves,
        date,
    );
    notes.list
}

fn parties(
    model: &mut Model,
    declarations: &mut Declarations,
    views: &Views,
    files: FileNames<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let pairs = declarations.parties.unshared(views);
    if pairs.is_empty() {
        return;
    }
    let mut canon: Vec<usize> = (0..model.parties.len()).collect();
    // Parties of their own first: a party merged carries its affiliates along.
    let mut affiliates = Vec::new();
    for pair in pairs {
        let (Some(a), Some(b)) = (model.party(pair.first.0), model.party(pair.other.0)) else {
            continue;
        };
        if a.parent.is_some() || b.parent.is_some() {
            affiliates.push(pair);
            continue;
        }
        let two = Two::of(&pair, files);
        let notes = party_differences(model, a, b, &two);
        if !notes.is_empty() {
            let d = differently("party", &pair, &two, notes, &mut declarations.parties);
            diags.push(d);
            continue;
        }
        // The first file's declaration is never merged into another, so it is its own.
        if let Some(slot) = canon.get_mut(pair.other.0 .0 as usize) {
            *slot = pair.first.0 .0 as usize;
        }
        for &fb in &b.affiliates {
            let name = model.party_name(fb);
            let same = a
                .affiliates
                .iter()
                .find(|&&fa| model.party_name(fa) == name);
            if let (Some(&fa), Some(slot)) = (same, canon.get_mut(fb.0 as usize)) {
                *slot = fa.0 as usize;
            }
        }
    }
    // An affiliate declared in two files is one when its parties merged; declared under
    // two parties of different names (or once as a party of its own), it is E0102.
    for pair in affiliates {
        let (a, b) = (pair.first.0 .0 as usize, pair.other.0 .0 as usize);
        if canon.get(a) == canon.get(b) {
            continue;
        }
        let (Some(pa), Some(pb)) = (model.party(pair.first.0), model.party(pair.other.0)) else {
            continue;
        };
        let parent = |p: &PartyDecl| p.parent.map(|q| model.party_name(q));
        if parent(pa).is_some() && parent(pa) == parent(pb) {
            // Its party is declared differently, and reported.
            continue;
        }
        let two = Two::of(&pair, files);
        let notes = party_differences(model, pa, pb, &two);
        let d = differently("party", &pair, &two, notes, &mut declarations.parties);
        diags.push(d);
    }
    if unchanged(&canon) {
        return;
    }
    let new = renumber(&canon);
    let map = |id: PartyId| PartyId(new.get(id.0 as usize).copied().unwrap_or(0) as u32);
    keep_canonical(&mut model.parties, &canon);
    for p in &mut model.parties {
        p.parent = p.parent.map(map);
        for a in &mut p.affiliates {
            *a = map(*a);
        }
    }
    for asset in &mut model.assets {
        for o in &mut asset.owners {
            *o = map(*o);
        }
    }
    declarations.parties.remap(map);
}

// ---- territory groups ----

fn groups(
    model: &mut Model,
    declarations: &mut Declarations,
    views: &Views,
    files: FileNames<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let pairs = declarations.groups.unshared(views);
    if pairs.is_empty() {
        return;
    }
    let mut canon: Vec<usize> = (0..model.groups.len()).collect();
    for pair in pairs {
        let (Some(a), Some(b)) = (
            model.groups.get(pair.first.0),
            model.groups.get(pair.other.0),
        ) else {
            continue;
        };
        if a.set == b.set {
            if let Some(slot) = canon.get_mut(pair.other.0) {
                *slot = pair.first.0;
            }
            continue;
        }
        let codes = |x: &crate::model::GroupDecl| -> BTreeSet<String> {
            x.set.codes().iter().map(|c| c.to_string()).collect()
        };
        let two = Two::of(&pair, files);
        let mut notes = Notes {
            two: &two,
            list: Vec::new(),
        };
        notes.only("the countries", "has", &codes(a), &codes(b));
        let notes = notes.list;
        let d = differently(
            "territory group",
            &pair,
            &two,
            notes,
            &mut declarations.groups,
        );
        diags.push(d);
    }
    if unchanged(&canon) {
        return;
    }
    let new = renumber(&canon);
    keep_canonical(&mut model.groups, &canon);
    declarations
        .groups
        .remap(|i| new.get(i).copied().unwrap_or(0));
}

// ---- fields ----

/// A field subtree: each node's path relative to the root's (the root's is ``), with
/// its id and label.
fn subtree(model: &Model, root: FieldId) -> BTreeMap<String, (u32, Option<String>)> {
    let Some(r) = model.fields.get(root) else {
        return BTreeMap::new();
    };
    let prefix = r.path.len();
    (root.0..r.end)
        .filter_map(|i| model.fields.get(FieldId(i)).map(|n| (i, n)))
        .map(|(i, n)| {
            let rel = n.path.get(prefix..).unwrap_or("").to_string();
            (rel, (i, n.label.clone()))
        })
        .collect()
}

fn fields(
    model: &mut Model,
    declarations: &mut Declarations,
    views: &Views,
    files: FileNames<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let pairs = declarations.field_roots.unshared(views);
    if pairs.is_empty() {
        return;
    }
    // For each node: the node it is (itself, or the same node of the first file's tree).
    let mut canon: Vec<usize> = (0..model.fields.nodes.len()).collect();
    for pair in pairs {
        let (ta, tb) = (subtree(model, pair.first.0), subtree(model, pair.other.0));
        let shape = |t: &BTreeMap<String, (u32, Option<String>)>| -> Vec<(String, Option<String>)> {
            t.iter().map(|(p, (_, l))| (p.clone(), l.clone())).collect()
        };
        if shape(&ta) == shape(&tb) {
            for ((a, _), (b, _)) in ta.values().zip(tb.values()) {
                if let Some(slot) = canon.get_mut(*b as usize) {
                    *slot = *a as usize;
                }
            }
            continue;
        }
        let two = Two::of(&pair, files);
        let mut notes = Notes {
            two: &two,
            list: Vec::new(),
        };
        let paths = |t: &BTreeMap<String, (u32, Option<String>)>| -> BTreeSet<String> {
            t.keys().map(|k| format!("{}{k}", pair.name)).collect()
        };
        notes.only("the fields", "declares", &paths(&ta), &paths(&tb));
        for (path, (_, label)) in &ta {
            if let Some((_, other)) = tb.get(path) {
                let what = format!("the labels of `{}{path}`", pair.name);
                notes.differs(&what, label, other, optional);
            }
        }
        let notes = notes.list;
        let d = differently("field", &pair, &two, notes, &mut declarations.field_roots);
        diags.push(d);
    }
    if unchanged(&canon) {
        return;
    }
    // Merged trees are whole roots' subtrees: every node kept keeps all its
    // descendants, so each one's range only moves.
    let new = renumber(&canon);
    let map = |id: FieldId| FieldId(new.get(id.0 as usize).copied().unwrap_or(0) as u32);
    let old_ids: Vec<u32> = (0..canon.len() as u32)
        .filter(|&i| canon.get(i as usize) == Some(&(i as usize)))
        .collect();
    keep_canonical(&mut model.fields.nodes, &canon);
    for (node, old) in model.fields.nodes.iter_mut().zip(old_ids) {
        node.parent = node.parent.map(map);
        let new_id = map(FieldId(old)).0;
        node.end = new_id + (node.end - old);
    }
    declarations.field_roots.remap(map);
}

// ---- assets ----

/// What differs between two declarations of an asset (nothing: they are one asset).
fn asset_differences(model: &Model, a: &AssetDecl, b: &AssetDecl, two: &Two) -> Vec<String> {
    let mut notes = Notes {
        two,
        list: Vec::new(),
    };
    notes.differs("the kinds", &a.kind, &b.kind, |k| quoted(k.keyword()));
    notes.differs("the defined terms", &a.label, &b.label, optional);
    let owners = |x: &AssetDecl| -> BTreeSet<String> {
        x.owners
            .iter()
            .map(|&o| model.party_name(o).to_string())
            .collect()
    };
    notes.only("the owners", "names", &owners(a), &owners(b));
    notes.differs("the origins", &a.origin, &b.origin, |o| {
        o.map_or_else(|| "none".to_string(), |o| quoted(o.keyword()))
    });
    let patents = |x: &AssetDecl| -> BTreeMap<String, String> {
        x.patents
            .iter()
            .map(|p| {
                let mut what = p.territory.describe();
                if let Some(f) = p.filed {
                    what.push_str(&format!(", filed {f}"));
                }
                if let Some(e) = p.expires {
                    what.push_str(&format!(", expires {e}"));
                }
                if p.pending {
                    what.push_str(", pending");
                }
                (p.number.clone(), what)
            })
            .collect()
    };
    let (pa, pb) = (patents(a), patents(b));
    let numbers = |x: &BTreeMap<String, String>| x.keys().cloned().collect::<BTreeSet<_>>();
    notes.only("the patents", "lists", &numbers(&pa), &numbers(&pb));
    for (number, what) in &pa {
        if let Some(other) = pb.get(number) {
            notes.differs(&format!("patent `{number}`'s facts"), what, other, |s| {
                s.clone()
            });
        }
    }
    notes.differs("the capture periods", &a.capture, &b.capture, |c| {
        c.map_or_else(|| "none".to_string(), |(s, e)| format!("{s} until {e}"))
    });
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    notes.only("the notes", "writes", &set(&a.notes), &set(&b.notes));
    let essential = |x: &AssetDecl| -> BTreeSet<String> {
        x.essential
            .iter()
            .map(|e| {
                let name = model
                    .standards
                    .get(e.standard)
                    .map_or("?", |s| s.name.as_str());
                if e.frand {
                    format!("{name}, frand")
                } else {
                    name.to_string()
                }
            })
            .collect()
    };
    notes.only(
        "the standards it is essential to",
        "names",
        &essential(a),
        &essential(b),
    );
    notes.list
}

fn assets(
    model: &mut Model,
    declarations: &mut Declarations,
    views: &Views,
    files: FileNames<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let pairs = declarations.assets.unshared(views);
    if pairs.is_empty() {
        return;
    }
    let mut canon: Vec<usize> = (0..model.assets.len()).collect();
    for pair in pairs {
        let (Some(a), Some(b)) = (model.asset(pair.first.0), model.asset(pair.other.0)) else {
            continue;
        };
        let two = Two::of(&pair, files);
        let notes = asset_differences(model, a, b, &two);
        let owners = |x: &AssetDecl| x.owners.iter().copied().collect::<BTreeSet<_>>();
        if notes.is_empty() && owners(a) != owners(b) {
            // Owned by parties of one name that are not one (declared differently,
            // and reported there): two assets, and nothing more to say.
            continue;
        }
        if notes.is_empty() {
            if let Some(slot) = canon.get_mut(pair.other.0 .0 as usize) {
                *slot = pair.first.0 .0 as usize;
            }
            continue;
        }
        let d = differently("asset", &pair, &two, notes, &mut declarations.assets);
        diags.push(d);
    }
    if unchanged(&canon) {
        return;
    }
    let new = renumber(&canon);
    keep_canonical(&mut model.assets, &canon);
    declarations
        .assets
        .remap(|id: AssetId| AssetId(new.get(id.0 as usize).copied().unwrap_or(0) as u32));
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn renumbering_skips_merged_entries() {
        // 1 is 0, 3 is 2: the kept entries 0, 2, 4 become 0, 1, 2.
        assert_eq!(renumber(&[0, 0, 2, 2, 4]), vec![0, 0, 1, 1, 2]);
    }
}
