//! What the prose states about who may do what, where and when, as structure: one
//! [`Statement`] per grant sentence of Article 2 and per wind-down paragraph of a
//! sunset clause, recorded by the builder from the same values it writes the sentence
//! from. `tests/it/prose_oracle.rs` checks every statement against the query evaluator
//! (and the evaluator's permits against the statements), and checks that the Markdown
//! says each statement's words, so the structure cannot drift from the text.

use crate::date::Date;
use crate::ledger::Ledger;
use crate::model::Model;
use crate::source::SourceMap;
use crate::vocab::{Purpose, Right};

/// Which sentence a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatementKind {
    /// A grant's sentence in Article 2: the license during its term.
    Grant,
    /// A sunset clause's wind-down paragraph: selling off after the license ends.
    WindDown,
    /// A covenant not to sue's sentence in Article 2 (issue 15): no license, but the
    /// covenantee's acts within it are not sued on.
    Covenant,
    /// A release's sentence in Article 2 (issue 15): the acts done before its date.
    Release,
}

/// A field of use a statement names, with the subtrees below it that it leaves out
/// (dotted paths, as the source writes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGroup {
    pub field: String,
    pub excluding: Vec<String>,
}

/// A period a statement gives for some countries: from `start` up to (not including)
/// `end`; `None`: no end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// ISO 3166-1 alpha-2 codes, sorted.
    pub countries: Vec<&'static str>,
    pub start: Date,
    pub end: Option<Date>,
}

/// One statement of the prose: `licensor` lets `licensees` (and their affiliates when
/// `affiliates`) exercise `rights` under `assets` in `fields` for `purposes`, in each
/// period's countries during that period (a covenant: will not sue them for it; a
/// release: releases them from the claims for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub kind: StatementKind,
    /// Index of the agreement in the model.
    pub agreement: usize,
    /// The id of the clause that says it (`acme_to_globex`, `sunset acme_to_globex`).
    pub clause: String,
    /// The clause's number in the document (`2.1`, `5.2`).
    pub number: String,
    /// The id of the grant it is about.
    pub grant: String,
    /// Party ids.
    pub licensor: String,
    pub licensees: Vec<String>,
    /// The license reaches the licensees' affiliates (`and affiliates`).
    pub affiliates: bool,
    /// Asset ids.
    pub assets: Vec<String>,
    pub rights: Vec<Right>,
    /// The purposes it covers: every purpose unless the clause has a `purpose` line
    /// ("solely for research purposes"; issue 15).
    pub purposes: Vec<Purpose>,
    pub fields: Vec<FieldGroup>,
    /// Every country the statement names, sorted.
    pub territory: Vec<&'static str>,
    /// When it holds, per group of countries.
    pub periods: Vec<Period>,
}

/// Every statement the prose of the model makes, in document order: each grant
/// sentence, and each wind-down paragraph.
pub fn statements(model: &Model, ledger: &Ledger, sources: &SourceMap) -> Vec<Statement> {
    super::build::build_with_statements(model, ledger, sources).1
}
