//! The prose document every format renders: runs of text with defined terms, code and
//! links; blocks, clauses, articles, tables and schedules; the timeline; anchors; and
//! the clause ids that tie prose, policy and source together (see the table in
//! [`super`]).

use crate::date::Date;
use crate::model::{FlowModel, ImprovementsModel, Model, ReservationModel, SunsetModel};
use crate::source::{FileId, Span};
use crate::vocab::{AgreementKind, ExclusivityKind};
use std::collections::BTreeSet;

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Run {
    Text(String),
    /// A defined term where it is defined (bold).
    Term(String),
    /// An identifier from the source (monospace).
    Code(String),
    /// A cross-reference to a clause.
    Ref {
        text: String,
        anchor: String,
    },
}

/// Inline text: a sequence of runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Text(pub Vec<Run>);

impl Text {
    pub(crate) fn new() -> Text {
        Text(Vec::new())
    }

    pub(crate) fn plain(s: impl Into<String>) -> Text {
        let mut t = Text::new();
        t.push(s);
        t
    }

    /// The words alone, without emphasis, code marks or links.
    pub(crate) fn words(&self) -> String {
        self.0
            .iter()
            .map(|r| match r {
                Run::Text(s) | Run::Term(s) | Run::Code(s) => s.as_str(),
                Run::Ref { text, .. } => text.as_str(),
            })
            .collect()
    }

    pub(crate) fn push(&mut self, s: impl Into<String>) -> &mut Text {
        let s = s.into();
        if s.is_empty() {
            return self;
        }
        if let Some(Run::Text(last)) = self.0.last_mut() {
            last.push_str(&s);
        } else {
            self.0.push(Run::Text(s));
        }
        self
    }

    pub(crate) fn term(&mut self, s: impl Into<String>) -> &mut Text {
        self.0.push(Run::Term(s.into()));
        self
    }

    pub(crate) fn code(&mut self, s: impl Into<String>) -> &mut Text {
        self.0.push(Run::Code(s.into()));
        self
    }

    pub(crate) fn link(&mut self, text: impl Into<String>, anchor: impl Into<String>) -> &mut Text {
        self.0.push(Run::Ref {
            text: text.into(),
            anchor: anchor.into(),
        });
        self
    }

    pub(crate) fn append(&mut self, other: Text) -> &mut Text {
        for r in other.0 {
            match r {
                Run::Text(s) => {
                    self.push(s);
                }
                other => self.0.push(other),
            }
        }
        self
    }
}

/// A block inside a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Para(Text),
    /// A nested bullet list: (depth, text).
    Tree(Vec<(usize, Text)>),
}

/// A numbered clause (or a lettered sub-clause).
#[derive(Debug, Clone)]
pub(crate) struct Clause {
    /// "2.1", or "4.1(a)" for a sub-clause.
    pub number: String,
    /// The clause id (see the module documentation).
    pub id: String,
    /// Unique within the page.
    pub anchor: String,
    /// `file:line` of the clause in the source.
    pub location: String,
    /// Where the clause was written: a diagnostic whose primary span lies inside one of
    /// these belongs to the clause.
    pub spans: Vec<Span>,
    pub blocks: Vec<Block>,
    pub subs: Vec<Clause>,
}

impl Clause {
    /// The number as printed at the clause: "2.1", or "(a)" for a sub-clause (whose
    /// full number, used in references, is "4.1(a)").
    pub(crate) fn label(&self) -> &str {
        match self.number.find('(') {
            Some(i) => self.number.get(i..).unwrap_or(&self.number),
            None => &self.number,
        }
    }
}

/// An article: a heading and its clauses.
#[derive(Debug, Clone)]
pub(crate) struct Article {
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub clauses: Vec<Clause>,
}

/// A table cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: Text,
    /// A CSS class hint for the HTML (e.g. the exclusivity of a grant).
    pub class: Option<&'static str>,
}

/// A table of a schedule.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Whether the first column is a row header (the licensor in the party grid).
    pub row_headers: bool,
    /// What the table is, for the HTML's styling: `grid`, `licenses` or `index`.
    pub class: &'static str,
}

/// A schedule: tables after the articles.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    /// The clause index (every clause id and where it is written): left out with the
    /// clause ids.
    pub clause_index: bool,
    pub number: usize,
    pub title: String,
    pub anchor: String,
    pub intro: Vec<Text>,
    pub tables: Vec<Table>,
}

/// What a timeline row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Agreement,
    Grant(ExclusivityKind),
    GrantBack,
}

/// One row of the timeline.
#[derive(Debug, Clone)]
pub(crate) struct TimelineRow {
    pub kind: RowKind,
    pub label: String,
    pub title: String,
    pub anchor: String,
    pub start: Date,
    /// Exclusive end; `None` when open-ended.
    pub end: Option<Date>,
    /// Renewal options after the end, each `[start, end)`.
    pub renewals: Vec<(Date, Date)>,
    /// Whether renewals continue without limit beyond those listed.
    pub renewals_unbounded: bool,
    pub wind_down: Option<(Date, Date)>,
    /// For a grant-back: the day it stops applying.
    pub sunset: Option<Date>,
    pub renegotiations: Vec<Date>,
    /// For a grant: the day each licensed patent is no longer in force, with its
    /// number, sorted by date.
    pub expiries: Vec<(Date, String)>,
    /// The clause has an error (or a warning) attached.
    pub clause_span: Option<Span>,
}

/// The timeline of one agreement.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub rows: Vec<TimelineRow>,
}

/// What a rendering of the prose shows besides the agreement's text; counsel's copy
/// leaves both out (`xlic build --no-clause-ids --no-banner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProseOptions {
    /// Each clause's id in brackets after its number (and, in HTML, its source
    /// location and the ids in the contents and findings).
    pub clause_ids: bool,
    /// The compiler's line under the title ("compiled by xlic from …"; in HTML the
    /// status bar with the findings count).
    pub banner: bool,
    /// The date the HTML timeline marks with an "as of" line (`xlic build --as-of`);
    /// none by default, as no output reads the clock.
    pub as_of: Option<Date>,
    /// DOCX: a "Draft" legend in every page's header (`xlic build --draft`).
    pub draft: bool,
    /// DOCX: the page size (`xlic build --paper letter|a4`).
    pub paper: Paper,
}

/// The page size of the Word document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm: the default, as most agreements outside North America use it.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Default for ProseOptions {
    fn default() -> ProseOptions {
        ProseOptions {
            clause_ids: true,
            banner: true,
            as_of: None,
            draft: false,
            paper: Paper::A4,
        }
    }
}

/// Leaves out of built documents what `options` does not show that lives in the
/// document rather than in a renderer: the clause index schedule goes with the ids.
pub(crate) fn apply(docs: &mut [AgreementDoc], options: ProseOptions) {
    if !options.clause_ids {
        for d in docs {
            d.schedules.retain(|s| !s.clause_index);
        }
    }
}

/// One agreement, ready to render.
#[derive(Debug, Clone)]
pub(crate) struct AgreementDoc {
    pub title: String,
    pub anchor: String,
    /// The file the agreement is written in, as named to the compiler.
    pub source: String,
    pub file: FileId,
    pub kind: AgreementKind,
    pub effective: Option<Date>,
    pub governing_law: Option<String>,
    /// The opening paragraph and the list of parties.
    pub preamble: Text,
    pub parties: Vec<Text>,
    pub parties_close: Text,
    pub recitals: Vec<Text>,
    pub articles: Vec<Article>,
    pub schedules: Vec<Schedule>,
    pub timeline: Timeline,
}

/// Allocates page-unique anchors.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    used: BTreeSet<String>,
}

impl Anchors {
    pub(crate) fn make(&mut self, base: &str) -> String {
        let mut slug: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        while slug.contains("--") {
            slug = slug.replace("--", "-");
        }
        let slug = slug.trim_matches('-').to_string();
        let slug = if slug.is_empty() {
            "x".to_string()
        } else {
            slug
        };
        let mut candidate = slug.clone();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// The clause id of a reservation.
pub fn reservation_id(model: &Model, r: &ReservationModel) -> String {
    if let Some(n) = &r.name {
        return n.clone();
    }
    let assets: Vec<&str> = r.assets.iter().map(|a| model.asset_name(*a)).collect();
    match r.holder {
        Some(h) => format!("reserve {} for {}", assets.join(", "), model.party_name(h)),
        None => format!("reserve {}", assets.join(", ")),
    }
}

/// The clause id of an improvements clause.
pub fn improvements_id(model: &Model, imp: &ImprovementsModel) -> String {
    let assets: Vec<&str> = imp.assets.iter().map(|a| model.asset_name(*a)).collect();
    format!("improvements on {}", assets.join(", "))
}

/// The clause id of a grant-back or license-forward rule.
pub fn flow_id(model: &Model, f: &FlowModel) -> String {
    let dir = f.direction.keyword();
    format!(
        "{dir} {} -> {}",
        model.party_name(f.from),
        model.party_name(f.to)
    )
}

/// The clause id of a sunset clause.
pub fn sunset_id(s: &SunsetModel) -> String {
    format!("sunset {}", s.grant_name)
}

/// Whether `inner` lies within `outer` (same file).
pub(crate) fn span_contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}
