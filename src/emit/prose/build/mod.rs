//! The builder of the prose document: from the resolved model and its rights ledger to
//! the numbered articles, clauses and schedules every format renders. This file holds
//! the entry point, the builder's state and the order of the document (preamble,
//! articles, schedules); each article has a file of its own, and `facts.rs` reads what
//! the prose states about each grant's time from the ledger.

mod definitions;
mod facts;
mod grants;
mod improvements;
mod obligations;
mod pool;
mod reservations;
// clauses (issue 15): first refusal and negotiation
mod first;
// clauses (issue 15, round 4): agreement-level payments
mod payments;
mod schedules;
mod statements;
mod term;
mod timeline;

use super::doc::*;
use super::statement::Statement;
use crate::ledger::Ledger;
use crate::model::{
    AgreementModel, AssetDecl, AssetId, FieldForest, FieldId, Interval, Model, PartyId,
};
use crate::source::{SourceMap, Span};
use crate::territory::TerritorySet;
use crate::text::*;
use crate::vocab::AgreementKind;
use std::collections::{BTreeMap, BTreeSet};

/// Builds the document for every agreement of the model, whose rights ledger is
/// `ledger`.
/// A note as a recital under the heading "Recitals": without a leading `Recitals:` (or
/// `Recital:`, any case, `:` `.` `—` or `-` after it) that would repeat the heading;
/// `None` when nothing else is left.
fn recital(note: &str) -> Option<String> {
    let text = note.trim();
    let rest = ["recitals", "recital"].iter().find_map(|label| {
        let head = text.get(..label.len())?;
        let after = text.get(label.len()..)?;
        let after = after.trim_start();
        let marker = after.chars().next()?;
        (head.eq_ignore_ascii_case(label) && matches!(marker, ':' | '.' | '\u{2014}' | '-'))
            .then(|| after.get(marker.len_utf8()..).unwrap_or("").trim_start())
    });
    let body = rest.unwrap_or(text);
    (!body.is_empty()).then(|| body.to_string())
}

pub(crate) fn build(model: &Model, ledger: &Ledger, sources: &SourceMap) -> Vec<AgreementDoc> {
    build_with_statements(model, ledger, sources).0
}

/// The documents, and what their grant sentences and wind-down paragraphs state.
pub(crate) fn build_with_statements(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
) -> (Vec<AgreementDoc>, Vec<Statement>) {
    let mut anchors = Anchors::default();
    let mut statements = Vec::new();
    let many = model.agreements.len() > 1;
    let docs = model
        .agreements
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let prefix = if many {
                format!("a{}-", i + 1)
            } else {
                String::new()
            };
            let facts = facts::agreement_facts(ledger, i, a);
            let mut b = Builder::new(model, sources, a, facts, &mut anchors, prefix);
            b.index = i;
            let (doc, said) = b.build();
            statements.extend(said);
            doc
        })
        .collect();
    (docs, statements)
}

/// The text of every clause of every agreement (the articles, not the schedules), each
/// clause on its own even in a pool, in document order: the agreement's index, the
/// clause id and the clause's paragraphs in plain text, separated by blank lines. A
/// clause id the document states twice (`agreement`: the term and the governing law)
/// has both texts, in order. For the clause-level redline of `xlic diff`.
pub(crate) fn clause_texts(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
) -> Vec<(usize, String, String)> {
    let mut anchors = Anchors::default();
    let mut out: Vec<(usize, String, String)> = Vec::new();
    for (i, a) in model.agreements.iter().enumerate() {
        let facts = facts::agreement_facts(ledger, i, a);
        let mut b = Builder::new(model, sources, a, facts, &mut anchors, String::new());
        b.index = i;
        b.ungrouped = true;
        let (doc, _) = b.build();
        let mut stack: Vec<&Clause> = doc
            .articles
            .iter()
            .flat_map(|art| &art.clauses)
            .rev()
            .collect();
        while let Some(c) = stack.pop() {
            stack.extend(c.subs.iter().rev());
            if c.id.is_empty() {
                continue;
            }
            let text = blocks_text(&c.blocks);
            match out.iter_mut().find(|(k, id, _)| *k == i && *id == c.id) {
                Some((_, _, t)) => {
                    t.push_str("\n\n");
                    t.push_str(&text);
                }
                None => out.push((i, c.id.clone(), text)),
            }
        }
    }
    out
}

/// Blocks in plain text: paragraphs separated by blank lines, a list's items by lines.
fn blocks_text(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Para(t) => t.words(),
            Block::Tree(items) => items
                .iter()
                .map(|(_, t)| t.words())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    parts.join("\n\n")
}

/// The sentence of one grant of an agreement, exactly as its clause in the document
/// says it (the same builder, defined terms and clause numbers), without building the
/// rest of the document: for hovers.
pub(crate) fn grant_sentence(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    agreement: &AgreementModel,
    grant: usize,
) -> Option<Text> {
    agreement.grants.get(grant)?;
    let index = model
        .agreements
        .iter()
        .position(|x| std::ptr::eq(x, agreement))?;
    let facts = facts::agreement_facts(ledger, index, agreement);
    let mut anchors = Anchors::default();
    let mut b = Builder::new(
        model,
        sources,
        agreement,
        facts,
        &mut anchors,
        String::new(),
    );
    b.number();
    let clause = b.grant_clause(grant);
    clause.blocks.into_iter().find_map(|block| match block {
        Block::Para(t) => Some(t),
        _ => None,
    })
}

/// What the pre-pass decides: the assets Article 1 defines, whether it defines
/// affiliates, and the number of each article (`None`: the article is left out).
struct Numbering {
    assets: Vec<AssetId>,
    has_affiliates: bool,
    art_defs: usize,
    art_grants: Option<usize>,
    art_reserve: Option<usize>,
    /// clauses (issue 15): rights of first refusal and negotiation.
    art_first: Option<usize>,
    /// clauses (issue 15, round 4): the consideration (agreement-level payments).
    art_payments: Option<usize>,
    art_improve: Option<usize>,
    /// terms: audit, confidentiality, warranty and liability clauses.
    art_obligations: Option<usize>,
    art_term: usize,
    art_general: Option<usize>,
}

/// A clause number and its anchor.
#[derive(Debug, Clone, Default)]
struct Slot {
    number: String,
    anchor: String,
}

struct Builder<'a, 'b> {
    model: &'a Model,
    sources: &'a SourceMap,
    a: &'a AgreementModel,
    /// Each grant's term and wind-down, from the ledger.
    facts: Vec<facts::GrantFacts>,
    anchors: &'b mut Anchors,
    prefix: String,
    asset_clause: BTreeMap<AssetId, Slot>,
    grant_clause: Vec<Slot>,
    /// issue 18: the pool's groups of grants stated once (see `pool.rs`).
    pool_groups: Vec<pool::PoolGroup>,
    reservation_clause: Vec<Slot>,
    /// clauses (issue 15): the numbers of the first-right clauses.
    first_right_clause: Vec<Slot>,
    /// clauses (issue 15, round 4): the numbers of the payment clauses.
    payment_clause: Vec<Slot>,
    improvements_clause: Vec<Slot>,
    /// issue 18: a pool's improvements clauses stated once (see `pool.rs`).
    improvements_groups: Vec<pool::ImprovementsGroup>,
    /// issue 18: the source clauses a clause states at once (a pool's sunsets), by the
    /// clause's anchor: each one's id and location, for the clause index.
    stated_with: BTreeMap<String, Vec<(String, String)>>,
    /// Territories too long for a sentence, with their defined term and anchor.
    long_territories: Vec<(TerritorySet, String, String)>,
    named_countries: BTreeSet<&'static str>,
    uses_eu: bool,
    uses_eea: bool,
    /// The agreement's index in the model.
    index: usize,
    /// What the grant sentences and wind-down paragraphs state, as they are written.
    statements: Vec<Statement>,
    /// Every clause stated on its own, a pool's too (for the redline of `xlic diff`).
    ungrouped: bool,
}

impl Builder<'_, '_> {
    fn anchor(&mut self, base: &str) -> String {
        let full = format!("{}{base}", self.prefix);
        self.anchors.make(&full)
    }

    fn location(&self, span: Span) -> String {
        let lc = self.sources.line_col(span.file, span.start);
        format!("{}:{}", self.sources.document_name(span.file), lc.line)
    }

    fn short(&self, p: PartyId) -> String {
        short_name(self.model, p)
    }

    fn asset_decl(&self, id: AssetId) -> Option<&AssetDecl> {
        self.model.asset(id)
    }

    fn asset_name_term(&self, id: AssetId) -> String {
        self.asset_decl(id)
            .map(asset_term)
            .unwrap_or_else(|| "?".to_string())
    }

    /// "the Acme Motion Patents and the Acme Firmware Know-How".
    fn assets_phrase(&self, ids: &[AssetId]) -> String {
        let names: Vec<String> = ids
            .iter()
            .map(|a| format!("the {}", self.asset_name_term(*a)))
            .collect();
        join_list(&names)
    }

    /// Notes which countries and blocs a phrase names, for the definitions.
    fn note_territory(&mut self, set: TerritorySet) {
        self.note_words(territory_words(set));
    }

    fn note_words(&mut self, words: Option<CountriesWords>) {
        let Some(w) = words else { return };
        match w.bloc {
            Some(Bloc::Eu) => self.uses_eu = true,
            Some(Bloc::Eea) => self.uses_eea = true,
            None => {}
        }
        self.named_countries.extend(w.named.codes());
    }

    /// A territory in a sentence, a defined term when it is too long.
    fn territory_text(&mut self, set: TerritorySet) -> Text {
        if let Some(p) = territory_phrase(set) {
            self.note_territory(set);
            return Text::plain(p);
        }
        let (name, anchor) = self.long_territory(set);
        let mut t = Text::plain("in ");
        t.link(name, anchor);
        t
    }

    fn long_territory(&mut self, set: TerritorySet) -> (String, String) {
        if let Some((_, n, a)) = self.long_territories.iter().find(|(s, _, _)| *s == set) {
            return (n.clone(), a.clone());
        }
        (
            "the Territory".to_string(),
            String::new(), // filled by the pre-pass; never reached after it
        )
    }

    fn territory_cell(&self, set: TerritorySet) -> String {
        if let Some((_, n, _)) = self.long_territories.iter().find(|(s, _, _)| *s == set) {
            return capitalise(n.trim_start_matches("the "));
        }
        match territory_phrase(set) {
            Some(p) => {
                let p = p.replace("the member states of the ", "the ");
                p.strip_prefix("throughout the world")
                    .map(|rest| format!("Worldwide{rest}"))
                    .or_else(|| p.strip_prefix("in the ").map(capitalise))
                    .or_else(|| p.strip_prefix("in ").map(capitalise))
                    .unwrap_or(p)
            }
            None => format!("{} countries", set.len()),
        }
    }

    fn new<'a, 'b>(
        model: &'a Model,
        sources: &'a SourceMap,
        a: &'a AgreementModel,
        facts: Vec<facts::GrantFacts>,
        anchors: &'b mut Anchors,
        prefix: String,
    ) -> Builder<'a, 'b> {
        Builder {
            model,
            sources,
            a,
            facts,
            anchors,
            prefix,
            asset_clause: BTreeMap::new(),
            grant_clause: Vec::new(),
            pool_groups: Vec::new(),
            reservation_clause: Vec::new(),
            first_right_clause: Vec::new(),
            payment_clause: Vec::new(),
            improvements_clause: Vec::new(),
            improvements_groups: Vec::new(),
            stated_with: BTreeMap::new(),
            long_territories: Vec::new(),
            named_countries: BTreeSet::new(),
            uses_eu: false,
            uses_eea: false,
            index: 0,
            statements: Vec::new(),
            ungrouped: false,
        }
    }

    fn build(mut self) -> (AgreementDoc, Vec<Statement>) {
        let a = self.a;
        let doc_anchor = self.anchor("agreement");
        let Numbering {
            assets,
            has_affiliates,
            art_defs,
            art_grants,
            art_reserve,
            art_first,
            art_payments,
            art_improve,
            art_obligations,
            art_term,
            art_general,
        } = self.number();

        // The articles after the definitions first: they decide what Article 1 defines.
        let mut later = Vec::new();
        if let Some(art) = art_grants {
            // issue 18: a pool's group of grants is one clause, where its first grant is.
            let mut clauses = Vec::new();
            for i in 0..a.grants.len() {
                match self.pool_groups.iter().position(|p| p.grants.contains(&i)) {
                    Some(k)
                        if self.pool_groups.get(k).and_then(|p| p.grants.first()) == Some(&i) =>
                    {
                        clauses.push(self.pool_clause(k));
                    }
                    Some(_) => {}
                    None => clauses.push(self.grant_clause(i)),
                }
            }
            later.push(self.article(art, "Grants of License", clauses));
        }
        if let Some(art) = art_reserve {
            let clauses = (0..a.reservations.len())
                .map(|i| self.reservation_clause(i))
                .collect();
            later.push(self.article(art, "Reserved Rights", clauses));
        }
        if let Some(art) = art_first {
            let clauses = (0..a.first_rights.len())
                .map(|i| self.first_right_clause(i))
                .collect();
            later.push(self.article(art, "Rights of First Refusal and Negotiation", clauses));
        }
        if let Some(art) = art_payments {
            let clauses = (0..a.payments.len())
                .map(|i| self.payment_clause(i))
                .collect();
            later.push(self.article(art, "Consideration", clauses));
        }
        if let Some(art) = art_improve {
            let mut clauses = Vec::new();
            for i in 0..a.improvements.len() {
                let group = self
                    .improvements_groups
                    .iter()
                    .position(|g| g.clauses.contains(&i));
                match group {
                    Some(k) => {
                        let first = self
                            .improvements_groups
                            .get(k)
                            .is_some_and(|g| g.clauses.first() == Some(&i));
                        if first {
                            clauses.push(self.pool_improvements_clause(k));
                        }
                    }
                    None => clauses.push(self.improvements_clause(i)),
                }
            }
            later.push(self.article(art, "Improvements", clauses));
        }
        if let Some(art) = art_obligations {
            let clauses = self.obligation_clauses(art);
            later.push(self.article(art, "Obligations", clauses));
        }
        let term_clauses = self.term_clauses(art_term);
        later.push(self.article(art_term, "Term, Renewal and Termination", term_clauses));
        if let Some(art) = art_general {
            let clauses = self.general_clauses(art);
            later.push(self.article(art, "General", clauses));
        }

        let defs = self.definitions(art_defs, has_affiliates, &assets);
        let mut articles = vec![self.article(art_defs, "Definitions", defs)];
        articles.extend(later);

        let schedules = self.schedules(&articles);
        let timeline = self.timeline();
        let (preamble, parties, parties_close) = self.preamble();
        let recitals = a
            .notes
            .iter()
            .filter_map(|n| recital(n))
            .map(Text::plain)
            .collect();

        let doc = AgreementDoc {
            title: a.title.clone(),
            anchor: doc_anchor,
            source: self.sources.document_name(a.file),
            file: a.file,
            kind: a.kind,
            effective: a.effective,
            governing_law: a.governing_law.clone(),
            preamble,
            parties,
            parties_close,
            recitals,
            articles,
            schedules,
            timeline,
        };
        (doc, self.statements)
    }

    /// The pre-pass: territories too long for a sentence get defined terms, and every
    /// article and clause gets its number and anchor.
    fn number(&mut self) -> Numbering {
        let a = self.a;
        let model = self.model;
        // Territories too long for a sentence get defined terms.
        let mut long: Vec<TerritorySet> = Vec::new();
        let sets = a
            .grants
            .iter()
            .map(|g| g.territory)
            .chain(a.reservations.iter().map(|r| r.territory))
            // terms (issue 15, round 7): a most-favoured-licensee scope's territory.
            .chain(
                a.grants
                    .iter()
                    .filter_map(|g| g.most_favoured_scope.as_ref()?.territory),
            );
        for set in sets {
            if territory_phrase(set).is_none() && !long.contains(&set) {
                long.push(set);
            }
        }
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (i, set) in long.iter().enumerate() {
            let name = if long.len() == 1 {
                "the Territory".to_string()
            } else {
                let letter = letters.get(i % 26..i % 26 + 1).unwrap_or("Z");
                let round = i / 26;
                if round == 0 {
                    format!("Territory {letter}")
                } else {
                    format!("Territory {letter}{round}")
                }
            };
            let anchor = self.anchor(&format!("territory-{}", i + 1));
            self.long_territories.push((*set, name, anchor));
        }

        // Numbering: which articles exist, and the number of each clause.
        let assets = self.used_assets();
        let has_affiliates = a.contracting.iter().any(|p| {
            model
                .party(*p)
                .is_some_and(|d| !d.affiliates.is_empty() || d.control.is_some())
        });
        let mut article_no = 0;
        let mut next_article = || {
            article_no += 1;
            article_no
        };
        let art_defs = next_article();
        let art_grants = (!a.grants.is_empty()).then(&mut next_article);
        let art_reserve = (!a.reservations.is_empty()).then(&mut next_article);
        let art_first = (!a.first_rights.is_empty()).then(&mut next_article);
        let art_payments = (!a.payments.is_empty()).then(&mut next_article);
        let art_improve = (!a.improvements.is_empty()).then(&mut next_article);
        let art_obligations = a
            .obligations
            .iter()
            .any(|o| !obligations::is_general(o.kind))
            .then(&mut next_article);
        let art_term = next_article();
        let art_general = (a.governing_law.is_some()
            || a.obligations
                .iter()
                .any(|o| obligations::is_general(o.kind)))
        .then(&mut next_article);

        let mut n = 0;
        if has_affiliates {
            n += 1;
        }
        for id in &assets {
            n += 1;
            let name = model.asset_name(*id).to_string();
            let anchor = self.anchor(&name);
            self.asset_clause.insert(
                *id,
                Slot {
                    number: format!("{art_defs}.{n}"),
                    anchor,
                },
            );
        }
        if let Some(art) = art_grants {
            // issue 18: the grants of a pool group are the lettered paragraphs of one
            // clause, numbered where the group's first grant is.
            let groups = if self.ungrouped {
                Vec::new()
            } else {
                pool::pool_groups(a)
            };
            let (numbers, group_numbers) = lettered_numbers(art, a.grants.len(), &groups);
            for (i, (g, number)) in a.grants.iter().zip(numbers).enumerate() {
                if let Some(k) = groups.iter().position(|m| m.first() == Some(&i)) {
                    let id = group_id("members", k, groups.len());
                    let anchor = self.anchor(&id);
                    self.pool_groups.push(pool::PoolGroup {
                        id,
                        slot: Slot {
                            number: group_numbers.get(k).cloned().unwrap_or_default(),
                            anchor,
                        },
                        grants: groups.get(k).cloned().unwrap_or_default(),
                    });
                }
                let anchor = self.anchor(&g.id);
                self.grant_clause.push(Slot { number, anchor });
            }
        }
        if let Some(art) = art_reserve {
            for (i, r) in a.reservations.iter().enumerate() {
                let id = reservation_id(model, r);
                let anchor = self.anchor(&id);
                self.reservation_clause.push(Slot {
                    number: format!("{art}.{}", i + 1),
                    anchor,
                });
            }
        }
        if let Some(art) = art_first {
            for (i, f) in a.first_rights.iter().enumerate() {
                let anchor = self.anchor(&f.id);
                self.first_right_clause.push(Slot {
                    number: format!("{art}.{}", i + 1),
                    anchor,
                });
            }
        }
        if let Some(art) = art_payments {
            for (i, p) in a.payments.iter().enumerate() {
                let anchor = self.anchor(&p.id);
                self.payment_clause.push(Slot {
                    number: format!("{art}.{}", i + 1),
                    anchor,
                });
            }
        }
        if let Some(art) = art_improve {
            // issue 18: a pool's improvements clauses that say the same but for their
            // member are the lettered paragraphs of one clause.
            let groups = if self.ungrouped {
                Vec::new()
            } else {
                pool::improvements_groups(model, a)
            };
            let (numbers, group_numbers) = lettered_numbers(art, a.improvements.len(), &groups);
            for (i, (imp, number)) in a.improvements.iter().zip(numbers).enumerate() {
                if let Some(k) = groups.iter().position(|m| m.first() == Some(&i)) {
                    let id = group_id("improvements members", k, groups.len());
                    let anchor = self.anchor(&id);
                    self.improvements_groups.push(pool::ImprovementsGroup {
                        id,
                        slot: Slot {
                            number: group_numbers.get(k).cloned().unwrap_or_default(),
                            anchor,
                        },
                        clauses: groups.get(k).cloned().unwrap_or_default(),
                    });
                }
                let id = improvements_id(model, imp);
                let anchor = self.anchor(&id);
                self.improvements_clause.push(Slot { number, anchor });
            }
        }

        Numbering {
            assets,
            has_affiliates,
            art_defs,
            art_grants,
            art_reserve,
            art_first,
            art_payments,
            art_improve,
            art_obligations,
            art_term,
            art_general,
        }
    }

    fn article(&mut self, number: usize, title: &str, clauses: Vec<Clause>) -> Article {
        Article {
            number,
            title: title.to_string(),
            anchor: self.anchor(&format!("article-{number}")),
            clauses,
        }
    }

    fn used_assets(&self) -> Vec<AssetId> {
        let a = self.a;
        let mut set: BTreeSet<AssetId> = BTreeSet::new();
        for g in &a.grants {
            set.extend(g.assets.iter().copied());
        }
        for r in &a.reservations {
            set.extend(r.assets.iter().copied());
        }
        for f in &a.first_rights {
            set.extend(f.assets.iter().copied());
        }
        for imp in &a.improvements {
            set.extend(imp.assets.iter().copied());
        }
        set.into_iter()
            .filter(|id| self.model.asset(*id).is_some())
            .collect()
    }

    fn preamble(&self) -> (Text, Vec<Text>, Text) {
        let a = self.a;
        let model = self.model;
        let mut intro = Text::plain(format!("This {} (this \"Agreement\") is made", a.title));
        match a.effective {
            Some(d) => {
                intro.push(format!(
                    " with effect from {} (the \"Effective Date\")",
                    long_date(d)
                ));
            }
            None => {
                intro.push(" (no effective date is stated)");
            }
        }
        let pool = a.kind == AgreementKind::Pool;
        intro.push(if pool { " by and among:" } else { " between:" });
        // The contracting Parties: an affiliate named only as a licensee or holder is
        // not one (Article 1 defines it as an Affiliate of its party).
        let n = a.contracting.len();
        let parties = a
            .contracting
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut t = Text::new();
                match model.party(*p) {
                    Some(decl) => {
                        t.term(decl.legal_name.clone());
                        t.push(format!(" (\"{}\")", short_name(model, *p)));
                        if let Some(parent) = decl.parent {
                            t.push(format!(", an Affiliate of {}", self.short(parent)));
                        }
                        if pool {
                            t.push(membership_words(decl.membership));
                        }
                    }
                    None => {
                        t.push("?");
                    }
                }
                t.push(if i + 2 == n {
                    "; and"
                } else if i + 1 == n {
                    ","
                } else {
                    ";"
                });
                t
            })
            .collect();
        let dated = a
            .contracting
            .iter()
            .any(|p| model.party(*p).is_some_and(|d| d.membership.is_dated()));
        let close = if pool && dated {
            // pools (issue 15): dated membership.
            Text::plain(
                "each a \"Member\" or \"Party\" and together the \"Members\" or \"Parties\". A Party is a Member only for the period stated at its name; it grants and receives the licenses of this Agreement as a Member only within that period.",
            )
        } else if pool {
            Text::plain(
                "each a \"Member\" or \"Party\" and together the \"Members\" or \"Parties\".",
            )
        } else {
            Text::plain("each a \"Party\" and together the \"Parties\".")
        };
        (intro, parties, close)
    }
}

/// pools (issue 15): a member's dated membership, as the preamble states it after its
/// name (nothing when it is a member for the whole term).
fn membership_words(m: crate::model::Membership) -> String {
    let last = m.leaves.and_then(|l| l.pred());
    match (m.joins, last) {
        (Some(j), Some(l)) => format!(
            ", a Member from {} up to and including {}",
            long_date(j),
            long_date(l)
        ),
        (Some(j), None) => format!(", a Member from {}", long_date(j)),
        (None, Some(l)) => format!(", a Member up to and including {}", long_date(l)),
        (None, None) => String::new(),
    }
}

/// The rows of the clause index for clause `c` and the clauses under it: its id, and
/// the ids of the source clauses it states with others (`stated_with`).
fn index_rows(
    c: &Clause,
    stated_with: &BTreeMap<String, Vec<(String, String)>>,
    rows: &mut Vec<Vec<Cell>>,
) {
    let mut number = Text::new();
    number.link(c.number.clone(), c.anchor.clone());
    let mut id = Text::new();
    id.code(c.id.clone());
    rows.push(vec![
        Cell {
            text: number,
            class: None,
        },
        Cell {
            text: id,
            class: None,
        },
        Cell {
            text: {
                let mut t = Text::new();
                t.code(c.location.clone());
                t
            },
            class: None,
        },
    ]);
    for (id, location) in stated_with.get(&c.anchor).into_iter().flatten() {
        let mut number = Text::new();
        number.link(c.number.clone(), c.anchor.clone());
        let mut id_text = Text::new();
        id_text.code(id.clone());
        let mut at = Text::new();
        at.code(location.clone());
        rows.push(
            [number, id_text, at]
                .into_iter()
                .map(|text| Cell { text, class: None })
                .collect(),
        );
    }
    for s in &c.subs {
        index_rows(s, stated_with, rows);
    }
}

/// issue 18: the numbers of the `len` clauses of article `art` when each of `groups`
/// (indexes in order, two or more each) is the lettered paragraphs of one clause,
/// numbered where its first is: each one's number (`2.1(a)`), and each group's (`2.1`).
fn lettered_numbers(art: usize, len: usize, groups: &[Vec<usize>]) -> (Vec<String>, Vec<String>) {
    let mut n = 0;
    let mut numbers = Vec::with_capacity(len);
    let mut group_numbers = vec![String::new(); groups.len()];
    for i in 0..len {
        let place = groups
            .iter()
            .enumerate()
            .find_map(|(k, m)| m.iter().position(|&x| x == i).map(|pos| (k, pos)));
        numbers.push(match place {
            Some((k, pos)) => {
                if pos == 0 {
                    n += 1;
                    if let Some(g) = group_numbers.get_mut(k) {
                        *g = format!("{art}.{n}");
                    }
                }
                let at = group_numbers.get(k).cloned().unwrap_or_default();
                format!("{at}({})", letter(pos))
            }
            None => {
                n += 1;
                format!("{art}.{n}")
            }
        });
    }
    (numbers, group_numbers)
}

/// The id of group `k` of `count`: `members`, or `members (2)` when there are several.
fn group_id(base: &str, k: usize, count: usize) -> String {
    if count > 1 {
        format!("{base} ({})", k + 1)
    } else {
        base.to_string()
    }
}

fn empty_clause(slot: Slot) -> Clause {
    Clause {
        number: slot.number,
        id: String::new(),
        anchor: slot.anchor,
        location: String::new(),
        spans: Vec::new(),
        blocks: Vec::new(),
        subs: Vec::new(),
    }
}

fn depth_of(forest: &FieldForest, id: FieldId) -> usize {
    let mut depth = 0;
    let mut cur = forest.get(id).and_then(|n| n.parent);
    while let Some(p) = cur {
        depth += 1;
        if depth > 64 {
            break;
        }
        cur = forest.get(p).and_then(|n| n.parent);
    }
    depth
}
