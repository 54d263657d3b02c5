//! Prose emitters: the agreement as numbered articles and clauses a licensing lawyer
//! would recognise (`xlic build --emit markdown`, `--emit html`, `--emit docx`).
//!
//! All three formats render the same document, built here from the resolved
//! [`Model`] (never the syntax tree): a preamble with the parties and their defined
//! short names, recitals from the agreement's notes, Article 1 (definitions of the
//! licensed assets with their patents, the fields of use and the territories), one
//! clause per grant written as a full sentence, reservations, improvements and
//! grant-backs, term / renewal / renegotiation / wind-down / termination / survival,
//! governing law, and schedules (the license matrix and a clause index).
//!
//! **Clause ids.** Every clause carries an id so that prose, JSON policy and source can
//! be traced to each other. Ids mirror what the source writes in the clause's header:
//!
//! | clause | id |
//! |---|---|
//! | grant | its name, `acme_to_globex` |
//! | named reservation | its name, `research` |
//! | unnamed reservation | `reserve ASSETS [for HOLDER]`, `reserve acme_core` |
//! | improvements clause | `improvements on ASSETS`, `improvements on acme_motion` |
//! | grant-back / license-forward rule | `grant back FROM -> TO`, `license forward FROM -> TO` |
//! | sunset clause | `sunset GRANT`, `sunset acme_to_globex` |
//! | asset definition | the asset's name |
//! | agreement block (term, governing law) | `agreement` |
//!
//! Conventions: dates long-form ("1 January 2026"); a half-open term `[start, end)` is
//! rendered with its last included day ("ending on 31 December 2030"); money as
//! "USD 1,000,000" (code first, integer part grouped, decimals kept exactly as
//! written); lists joined in English ("Germany, Austria and Switzerland"); countries by
//! their short English names, sorted by name.

pub mod docx;
pub mod html;
pub mod markdown;

pub use docx::docx;
pub use html::html;
pub use markdown::markdown;

use crate::check::context::Ctx;
use crate::date::{Date, Duration};
use crate::model::{
    AgreementModel, AssetDecl, AssetId, ConsiderationModel, FieldForest, FieldId, FieldSet,
    FlowModel, GrantModel, ImprovementsModel, Interval, LimitModel, Model, MoneyValue, PartyId,
    ReservationModel, RightSet, SunsetModel, TermModel,
};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{
    AgreementKind, AssetKind, Coverage, ExclusivityKind, FlowDirection, ImprovementOwner,
    LimitKind, Origin, Right, Sublicense,
};
use crate::territory::TerritorySet;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

// ------------------------------------------------------------------ English helpers

/// Joins items the way English does: "", "A", "A and B", "A, B and C".
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

/// Like [`join_list`] with another conjunction ("or").
pub fn join_with<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", head.join(", "), last.as_ref())
        }
    }
}

/// A date as a contract writes it: "1 January 2026".
pub fn long_date(d: Date) -> String {
    d.long_form()
}

/// A short date for tables: "1 Jan 2026".
pub fn short_date(d: Date) -> String {
    let (y, m, day) = d.ymd();
    let name = crate::date::month_name(m).unwrap_or("?");
    format!("{day}\u{a0}{}\u{a0}{y}", name.get(..3).unwrap_or(name))
}

/// The last day included in a half-open period that ends (exclusively) on `end`.
pub fn last_day(end: Date) -> Date {
    end.pred().unwrap_or(end)
}

/// A half-open period in words: "commencing on 1 January 2026 and ending on
/// 31 December 2030" (the end minus one day), or "commencing on 1 January 2026 and
/// continuing in perpetuity" when it has no end.
pub fn period_phrase(start: Date, end: Option<Date>) -> String {
    match end {
        Some(e) => format!(
            "commencing on {} and ending on {}",
            long_date(start),
            long_date(last_day(e))
        ),
        None => format!(
            "commencing on {} and continuing in perpetuity",
            long_date(start)
        ),
    }
}

/// Groups the integer digits of a decimal string by thousands: "1000000.50" →
/// "1,000,000.50". Anything after the decimal point is kept as it is.
pub fn group_thousands(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", number),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount of money, code first, grouped, decimals exactly as written:
/// "USD 1,000,000", "USD 0.50".
pub fn money(m: &MoneyValue) -> String {
    format!("{} {}", m.currency, group_thousands(&m.amount.to_string()))
}

/// A percentage: "2.5%", "3%".
pub fn percent(rate: Decimal) -> String {
    format!("{}%", group_thousands(&rate.normalize().to_string()))
}

/// A duration in words: "180 days", "1 year".
pub fn duration(d: Duration) -> String {
    d.to_string()
}

/// A duration as a possessive, for notices: "90 days'", "1 year's".
pub fn duration_possessive(d: Duration) -> String {
    let s = duration(d);
    if d.amount == 1 {
        format!("{s}'s")
    } else {
        format!("{s}'")
    }
}

/// An identifier as words: `accrued_royalties` → "accrued royalties".
pub fn humanise(id: &str) -> String {
    id.split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An identifier as a title: `acme_motion` → "Acme Motion".
pub fn title_case(id: &str) -> String {
    humanise(id)
        .split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The short English name of a country code, or the code itself when unknown.
pub fn country(code: &str) -> String {
    crate::iso::country_name(code).unwrap_or(code).to_string()
}

/// A country's name as it stands in a sentence, with "the" where English wants it:
/// "the United States", "the Netherlands", "Germany".
pub fn country_in_sentence(code: &str) -> String {
    let name = country(code);
    if needs_article(&name) {
        format!("the {name}")
    } else {
        name
    }
}

fn needs_article(name: &str) -> bool {
    const THE: [&str; 10] = [
        "Netherlands",
        "Philippines",
        "Bahamas",
        "Gambia",
        "Maldives",
        "Comoros",
        "Seychelles",
        "British Indian Ocean Territory",
        "French Southern Territories",
        "Heard Island and McDonald Islands",
    ];
    const NOT: [&str; 1] = ["South Georgia and the South Sandwich Islands"];
    if NOT.contains(&name) {
        return false;
    }
    THE.contains(&name)
        || name.starts_with("United ")
        || name.ends_with(" Islands")
        || name.ends_with("Republic")
        || name.starts_with("Republic ")
        || name.starts_with("Democratic Republic")
}

/// The countries of a set, sorted by name, as they stand in a sentence.
pub fn country_list(set: TerritorySet) -> Vec<String> {
    let mut codes = set.codes();
    codes.sort_by_key(|c| country(c));
    codes.into_iter().map(country_in_sentence).collect()
}

/// How many countries a list may have before it moves to a defined term.
const MAX_INLINE_COUNTRIES: usize = 10;
/// How many countries may differ from the EU or EEA for the set to be phrased
/// relative to it.
const MAX_BLOC_DIFFERENCE: usize = 5;

/// A bloc the prose names as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bloc {
    Eu,
    Eea,
}

impl Bloc {
    fn set(self) -> TerritorySet {
        match self {
            Bloc::Eu => TerritorySet::eu(),
            Bloc::Eea => TerritorySet::eea(),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Bloc::Eu => "the member states of the European Union",
            Bloc::Eea => "the member states of the European Economic Area",
        }
    }
}

/// How a set of countries is put in words: a noun phrase, the bloc it names, and the
/// countries it names one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountriesWords {
    pub phrase: String,
    pub bloc: Option<Bloc>,
    pub named: TerritorySet,
}

/// A set of countries in words (see [`countries_phrase`]).
pub fn countries_words(set: TerritorySet) -> Option<CountriesWords> {
    let blocs = [Bloc::Eea, Bloc::Eu];
    for bloc in blocs {
        let b = bloc.set();
        if set == b {
            return Some(CountriesWords {
                phrase: bloc.words().to_string(),
                bloc: Some(bloc),
                named: TerritorySet::empty(),
            });
        }
        if b.is_subset(&set) && set.difference(b).len() <= MAX_BLOC_DIFFERENCE {
            let extra = set.difference(b);
            let mut parts = vec![bloc.words().to_string()];
            parts.extend(country_list(extra));
            return Some(CountriesWords {
                phrase: join_list(&parts),
                bloc: Some(bloc),
                named: extra,
            });
        }
    }
    // The smaller bloc first: a subset of the EU is phrased against the EU.
    for bloc in [Bloc::Eu, Bloc::Eea] {
        let missing = bloc.set().difference(set);
        if set.is_subset(&bloc.set())
            && set.len() > MAX_INLINE_COUNTRIES
            && missing.len() <= MAX_BLOC_DIFFERENCE
        {
            return Some(CountriesWords {
                phrase: format!(
                    "{} other than {}",
                    bloc.words(),
                    join_list(&country_list(missing))
                ),
                bloc: Some(bloc),
                named: missing,
            });
        }
    }
    if set.len() <= MAX_INLINE_COUNTRIES {
        return Some(CountriesWords {
            phrase: join_list(&country_list(set)),
            bloc: None,
            named: set,
        });
    }
    None
}

/// A set of countries as a noun phrase, without a preposition: "the member states of
/// the European Union", "Austria, Germany and Switzerland", "the member states of the
/// European Union and Switzerland", "the member states of the European Union other
/// than Germany"; `None` when it would be too long to read.
pub fn countries_phrase(set: TerritorySet) -> Option<String> {
    countries_words(set).map(|w| w.phrase)
}

/// A territory in words (see [`territory_phrase`]): the phrase and how it names
/// countries.
pub fn territory_words(set: TerritorySet) -> Option<CountriesWords> {
    let world = TerritorySet::worldwide();
    if set == world {
        return Some(CountriesWords {
            phrase: "throughout the world".to_string(),
            bloc: None,
            named: TerritorySet::empty(),
        });
    }
    if set.is_empty() {
        return Some(CountriesWords {
            phrase: "in no country".to_string(),
            bloc: None,
            named: TerritorySet::empty(),
        });
    }
    let missing = world.difference(set);
    if missing.len() <= MAX_INLINE_COUNTRIES || missing.len() < set.len() {
        if let Some(w) = countries_words(missing) {
            return Some(CountriesWords {
                phrase: format!("throughout the world except {}", w.phrase),
                ..w
            });
        }
    }
    countries_words(set).map(|w| CountriesWords {
        phrase: format!("in {}", w.phrase),
        ..w
    })
}

/// A territory as an adverbial phrase: "throughout the world", "throughout the world
/// except China and Russia", "in the member states of the European Union", "in
/// Austria, Germany and Switzerland"; `None` when it needs a defined term.
pub fn territory_phrase(set: TerritorySet) -> Option<String> {
    territory_words(set).map(|w| w.phrase)
}

/// A party's defined short name: its `short` name, else its id capitalised.
pub fn short_name(model: &Model, p: PartyId) -> String {
    match model.party(p) {
        Some(decl) => decl
            .short_name
            .clone()
            .unwrap_or_else(|| title_case(&decl.name)),
        None => "?".to_string(),
    }
}

/// A party introduced by its legal name and short name: `Acme Robotics, Inc. ("Acme")`.
pub fn party_intro(model: &Model, p: PartyId) -> String {
    match model.party(p) {
        Some(decl) => format!("{} (\"{}\")", decl.legal_name, short_name(model, p)),
        None => "?".to_string(),
    }
}

/// The English words of the rights: "make, use, sell and import".
pub fn rights_phrase(rights: RightSet) -> String {
    let words: Vec<&str> = rights.iter().map(right_words).collect();
    join_list(&words)
}

fn right_words(r: Right) -> &'static str {
    match r {
        Right::Offer => "offer for sale",
        other => other.keyword(),
    }
}

/// The defined name of an asset: `acme_motion` (a patent family) → "Acme Motion
/// Patents".
pub fn asset_term(asset: &AssetDecl) -> String {
    let base = title_case(&asset.name);
    let suffix = match asset.kind {
        AssetKind::Patent => "Patent",
        AssetKind::PatentFamily | AssetKind::PatentsFiled => "Patents",
        AssetKind::KnowHow => "Know-How",
        AssetKind::TradeSecret => "Trade Secrets",
        AssetKind::Software => "Software",
        AssetKind::Data => "Data",
    };
    let lower = base.to_lowercase();
    let suffix_lower = suffix.to_lowercase();
    let stem = suffix_lower.trim_end_matches('s');
    if lower.ends_with(&suffix_lower) || lower.ends_with(stem) {
        base
    } else {
        format!("{base} {suffix}")
    }
}

/// The words for a field of use: its label, else its name humanised.
pub fn field_label(forest: &FieldForest, id: FieldId) -> String {
    match forest.get(id) {
        Some(f) => f.label.clone().unwrap_or_else(|| title_case(&f.name)),
        None => "?".to_string(),
    }
}

/// A field set as the fewest subtrees, each with the subtrees below it that the set
/// leaves out (the structure of [`crate::scope::describe_fields`]).
pub fn field_groups(forest: &FieldForest, set: &FieldSet) -> Vec<(FieldId, Vec<FieldId>)> {
    let mut out = Vec::new();
    for &(a, b) in &set.ranges {
        field_groups_in(forest, set, a, b, &mut out, 0);
    }
    out
}

fn subtree_end(forest: &FieldForest, i: u32) -> u32 {
    forest
        .get(FieldId(i))
        .map(|n| n.end)
        .unwrap_or(i + 1)
        .max(i + 1)
}

fn field_groups_in(
    forest: &FieldForest,
    set: &FieldSet,
    start: u32,
    end: u32,
    out: &mut Vec<(FieldId, Vec<FieldId>)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let mut i = start;
    while i < end {
        if !set.contains(FieldId(i)) {
            i += 1;
            continue;
        }
        let node_end = subtree_end(forest, i);
        let mut excluded = Vec::new();
        let mut k = i + 1;
        while k < node_end {
            if set.contains(FieldId(k)) {
                k += 1;
            } else {
                excluded.push(FieldId(k));
                k = subtree_end(forest, k);
            }
        }
        out.push((FieldId(i), excluded.clone()));
        for e in excluded {
            let e_end = subtree_end(forest, e.0);
            let inner = set.intersection(&FieldSet::from_ranges(vec![(e.0, e_end)]));
            if !inner.is_empty() {
                field_groups_in(forest, set, e.0, e_end, out, depth + 1);
            }
        }
        i = node_end;
    }
}

/// A field set as an adverbial phrase: "in the Field of Consumer Robotics, excluding
/// Robotic Lawn Mowers"; "in the Fields of A (excluding X) and of B"; "in every Field
/// of Use".
pub fn field_phrase(forest: &FieldForest, set: &FieldSet) -> String {
    if set.is_empty() {
        return "in no Field of Use".to_string();
    }
    if set.len() as usize >= forest.nodes.len() {
        return "in every Field of Use".to_string();
    }
    let groups = field_groups(forest, set);
    let excl = |ex: &[FieldId]| -> String {
        let labels: Vec<String> = ex.iter().map(|e| field_label(forest, *e)).collect();
        join_list(&labels)
    };
    match groups.as_slice() {
        [(id, ex)] if ex.is_empty() => format!("in the Field of {}", field_label(forest, *id)),
        [(id, ex)] => format!(
            "in the Field of {}, excluding {}",
            field_label(forest, *id),
            excl(ex)
        ),
        many => {
            let parts: Vec<String> = many
                .iter()
                .enumerate()
                .map(|(i, (id, ex))| {
                    let of = if i == 0 { "" } else { "of " };
                    if ex.is_empty() {
                        format!("{of}{}", field_label(forest, *id))
                    } else {
                        format!("{of}{} (excluding {})", field_label(forest, *id), excl(ex))
                    }
                })
                .collect();
            format!("in the Fields of {}", join_list(&parts))
        }
    }
}

/// A field set for a table cell: "Consumer Robotics excl. Robotic Lawn Mowers".
pub fn field_cell(forest: &FieldForest, set: &FieldSet) -> String {
    if set.is_empty() {
        return "none".to_string();
    }
    if set.len() as usize >= forest.nodes.len() {
        return "all fields".to_string();
    }
    let parts: Vec<String> = field_groups(forest, set)
        .iter()
        .map(|(id, ex)| {
            let label = field_label(forest, *id);
            if ex.is_empty() {
                label
            } else {
                let ex: Vec<String> = ex.iter().map(|e| field_label(forest, *e)).collect();
                format!("{label} excl. {}", ex.join(", "))
            }
        })
        .collect();
    parts.join("; ")
}

fn article_for(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

fn exclusivity_word(e: ExclusivityKind) -> &'static str {
    e.keyword()
}

fn limit_phrase(l: &LimitModel) -> String {
    let per = if l.per_year {
        " per year"
    } else {
        " in aggregate over the term"
    };
    match l.kind {
        LimitKind::Cap => format!("capped at {}{per}", money(&l.amount)),
        LimitKind::Floor => format!("subject to a minimum of {}{per}", money(&l.amount)),
    }
}

fn with_limits(base: String, limits: &[LimitModel]) -> String {
    if limits.is_empty() {
        return base;
    }
    let parts: Vec<String> = limits.iter().map(limit_phrase).collect();
    format!("{base}, {}", join_list(&parts))
}

/// One consideration item in words, as the object of "shall pay": "a running royalty
/// of 2.5% of net sales, capped at USD 1,000,000 per year".
pub fn consideration_phrase(c: &ConsiderationModel) -> String {
    match c {
        ConsiderationModel::RoyaltyFree => "no royalty".to_string(),
        ConsiderationModel::Percent { rate, limits } => with_limits(
            format!("a running royalty of {} of net sales", percent(*rate)),
            limits,
        ),
        ConsiderationModel::PerUnit { amount, limits } => with_limits(
            format!("a running royalty of {} per licensed unit", money(amount)),
            limits,
        ),
        ConsiderationModel::Tiered {
            per_year,
            tiers,
            limits,
        } => {
            let base = if *per_year {
                "net sales in each year"
            } else {
                "cumulative net sales over the term"
            };
            let bands: Vec<String> = tiers
                .iter()
                .map(|t| {
                    let zero = t.from.amount.is_zero();
                    let range = match (&t.to, zero) {
                        (Some(to), true) => format!("up to {}", money(to)),
                        (Some(to), false) => {
                            format!("from {} up to {}", money(&t.from), money(to))
                        }
                        (None, true) => "on all of them".to_string(),
                        (None, false) => format!("above {}", money(&t.from)),
                    };
                    format!("{} on the portion {range}", percent(t.rate))
                })
                .collect();
            with_limits(
                format!(
                    "a tiered running royalty on {base} of {}",
                    join_list(&bands)
                ),
                limits,
            )
        }
        ConsiderationModel::LumpSum { amount, due } => match due {
            Some(d) => format!(
                "a lump sum of {}, payable on {}",
                money(amount),
                long_date(*d)
            ),
            None => format!("a lump sum of {}", money(amount)),
        },
        ConsiderationModel::Milestone { amount, event } => format!(
            "a milestone payment of {} on the event \u{201c}{event}\u{201d}",
            money(amount)
        ),
    }
}

/// A consideration list for a table cell.
pub fn consideration_cell(list: &[ConsiderationModel]) -> String {
    let paid: Vec<&ConsiderationModel> = list
        .iter()
        .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree))
        .collect();
    if paid.is_empty() {
        return "royalty-free".to_string();
    }
    let parts: Vec<String> = paid
        .iter()
        .map(|c| match c {
            ConsiderationModel::Percent { rate, limits } => {
                limits_cell(format!("{} of net sales", percent(*rate)), limits)
            }
            ConsiderationModel::PerUnit { amount, limits } => {
                limits_cell(format!("{} per unit", money(amount)), limits)
            }
            ConsiderationModel::Tiered { tiers, limits, .. } => {
                let rates: Vec<String> = tiers.iter().map(|t| percent(t.rate)).collect();
                limits_cell(format!("tiered {} of net sales", rates.join(" / ")), limits)
            }
            ConsiderationModel::LumpSum { amount, .. } => format!("lump sum {}", money(amount)),
            ConsiderationModel::Milestone { amount, .. } => {
                format!("milestone {}", money(amount))
            }
            ConsiderationModel::RoyaltyFree => String::new(),
        })
        .collect();
    parts.join("; ")
}

/// Rights for a table cell: "all", "all except lease", "make, use".
fn rights_cell(rights: RightSet) -> String {
    if rights == RightSet::all() {
        return "all".to_string();
    }
    let missing: Vec<&str> = Right::ALL
        .iter()
        .filter(|r| !rights.contains(**r))
        .map(|r| right_words(*r))
        .collect();
    if missing.len() <= 3 && rights.iter().count() > 3 {
        return format!("all except {}", join_list(&missing));
    }
    join_list(&rights.iter().map(right_words).collect::<Vec<_>>())
}

fn limits_cell(base: String, limits: &[LimitModel]) -> String {
    let mut s = base;
    for l in limits {
        let kind = match l.kind {
            LimitKind::Cap => "cap",
            LimitKind::Floor => "floor",
        };
        let per = if l.per_year { "/yr" } else { "" };
        s.push_str(&format!(", {kind} {}{per}", money(&l.amount)));
    }
    s
}

fn is_royalty_free(list: &[ConsiderationModel]) -> bool {
    list.iter()
        .all(|c| matches!(c, ConsiderationModel::RoyaltyFree))
}

// ------------------------------------------------------------------ the document

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
    fn new() -> Text {
        Text(Vec::new())
    }

    fn plain(s: impl Into<String>) -> Text {
        let mut t = Text::new();
        t.push(s);
        t
    }

    fn push(&mut self, s: impl Into<String>) -> &mut Text {
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

    fn term(&mut self, s: impl Into<String>) -> &mut Text {
        self.0.push(Run::Term(s.into()));
        self
    }

    fn code(&mut self, s: impl Into<String>) -> &mut Text {
        self.0.push(Run::Code(s.into()));
        self
    }

    fn link(&mut self, text: impl Into<String>, anchor: impl Into<String>) -> &mut Text {
        self.0.push(Run::Ref {
            text: text.into(),
            anchor: anchor.into(),
        });
        self
    }

    fn append(&mut self, other: Text) -> &mut Text {
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
    /// The clause has an error (or a warning) attached.
    pub clause_span: Option<Span>,
}

/// The timeline of one agreement.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub rows: Vec<TimelineRow>,
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
    let dir = match f.direction {
        FlowDirection::GrantBack => "grant back",
        FlowDirection::LicenseForward => "license forward",
    };
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

/// Builds the document for every agreement of the model.
pub(crate) fn build(model: &Model, sources: &SourceMap) -> Vec<AgreementDoc> {
    let ledger = crate::ledger::Ledger::build(model);
    let ctx = Ctx::new(model, &ledger);
    let mut times: Vec<Vec<Interval>> = Vec::new();
    let mut infos = ctx.grants.iter();
    for a in &model.agreements {
        let mut row = Vec::new();
        for g in &a.grants {
            let time = infos.next().map(|i| i.time).unwrap_or(Interval {
                start: g.term.start(),
                end: None,
            });
            row.push(time);
        }
        times.push(row);
    }
    let mut anchors = Anchors::default();
    let many = model.agreements.len() > 1;
    model
        .agreements
        .iter()
        .zip(times)
        .enumerate()
        .map(|(i, (a, t))| {
            let prefix = if many {
                format!("a{}-", i + 1)
            } else {
                String::new()
            };
            Builder {
                model,
                sources,
                a,
                times: t,
                anchors: &mut anchors,
                prefix,
                asset_clause: BTreeMap::new(),
                grant_clause: Vec::new(),
                reservation_clause: Vec::new(),
                improvements_clause: Vec::new(),
                long_territories: Vec::new(),
                named_countries: BTreeSet::new(),
                uses_eu: false,
                uses_eea: false,
            }
            .build()
        })
        .collect()
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
    /// Each grant's effective time (`until expiry` resolved).
    times: Vec<Interval>,
    anchors: &'b mut Anchors,
    prefix: String,
    asset_clause: BTreeMap<AssetId, Slot>,
    grant_clause: Vec<Slot>,
    reservation_clause: Vec<Slot>,
    improvements_clause: Vec<Slot>,
    /// Territories too long for a sentence, with their defined term and anchor.
    long_territories: Vec<(TerritorySet, String, String)>,
    named_countries: BTreeSet<&'static str>,
    uses_eu: bool,
    uses_eea: bool,
}

impl Builder<'_, '_> {
    fn anchor(&mut self, base: &str) -> String {
        let full = format!("{}{base}", self.prefix);
        self.anchors.make(&full)
    }

    fn location(&self, span: Span) -> String {
        let lc = self.sources.line_col(span.file, span.start);
        format!("{}:{}", self.sources.name(span.file), lc.line)
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

    fn build(mut self) -> AgreementDoc {
        let a = self.a;
        let model = self.model;
        let doc_anchor = self.anchor("agreement");

        // Pre-pass: territories too long for a sentence get defined terms.
        let mut long: Vec<TerritorySet> = Vec::new();
        let sets = a
            .grants
            .iter()
            .map(|g| g.territory)
            .chain(a.reservations.iter().map(|r| r.territory));
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
        let has_affiliates = a
            .parties
            .iter()
            .any(|p| model.party(*p).is_some_and(|d| !d.affiliates.is_empty()));
        let mut article_no = 0;
        let mut next_article = || {
            article_no += 1;
            article_no
        };
        let art_defs = next_article();
        let art_grants = (!a.grants.is_empty()).then(&mut next_article);
        let art_reserve = (!a.reservations.is_empty()).then(&mut next_article);
        let art_improve = (!a.improvements.is_empty()).then(&mut next_article);
        let art_term = next_article();
        let art_general = a.governing_law.is_some().then(&mut next_article);

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
            for (i, g) in a.grants.iter().enumerate() {
                let anchor = self.anchor(&g.id);
                self.grant_clause.push(Slot {
                    number: format!("{art}.{}", i + 1),
                    anchor,
                });
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
        if let Some(art) = art_improve {
            for (i, imp) in a.improvements.iter().enumerate() {
                let id = improvements_id(model, imp);
                let anchor = self.anchor(&id);
                self.improvements_clause.push(Slot {
                    number: format!("{art}.{}", i + 1),
                    anchor,
                });
            }
        }

        // The articles after the definitions first: they decide what Article 1 defines.
        let mut later = Vec::new();
        if let Some(art) = art_grants {
            let clauses = (0..a.grants.len()).map(|i| self.grant_clause(i)).collect();
            later.push(Article {
                number: art,
                title: "Grants of License".to_string(),
                anchor: self.anchor(&format!("article-{art}")),
                clauses,
            });
        }
        if let Some(art) = art_reserve {
            let clauses = (0..a.reservations.len())
                .map(|i| self.reservation_clause(i))
                .collect();
            later.push(Article {
                number: art,
                title: "Reserved Rights".to_string(),
                anchor: self.anchor(&format!("article-{art}")),
                clauses,
            });
        }
        if let Some(art) = art_improve {
            let clauses = (0..a.improvements.len())
                .map(|i| self.improvements_clause(i))
                .collect();
            later.push(Article {
                number: art,
                title: "Improvements".to_string(),
                anchor: self.anchor(&format!("article-{art}")),
                clauses,
            });
        }
        let term_clauses = self.term_clauses(art_term);
        later.push(Article {
            number: art_term,
            title: "Term, Renewal and Termination".to_string(),
            anchor: self.anchor(&format!("article-{art_term}")),
            clauses: term_clauses,
        });
        if let Some(art) = art_general {
            let clause = self.governing_law_clause(art);
            later.push(Article {
                number: art,
                title: "General".to_string(),
                anchor: self.anchor(&format!("article-{art}")),
                clauses: vec![clause],
            });
        }

        let defs = self.definitions(art_defs, has_affiliates, &assets);
        let mut articles = vec![Article {
            number: art_defs,
            title: "Definitions".to_string(),
            anchor: self.anchor(&format!("article-{art_defs}")),
            clauses: defs,
        }];
        articles.extend(later);

        let schedules = self.schedules(&articles);
        let timeline = self.timeline();
        let (preamble, parties, parties_close) = self.preamble();
        let recitals = a.notes.iter().map(|n| Text::plain(n.clone())).collect();

        AgreementDoc {
            title: a.title.clone(),
            anchor: doc_anchor,
            source: self.sources.name(a.file).to_string(),
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
        let n = a.parties.len();
        let parties = a
            .parties
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
        let close = if pool {
            Text::plain(
                "each a \"Member\" or \"Party\" and together the \"Members\" or \"Parties\".",
            )
        } else {
            Text::plain("each a \"Party\" and together the \"Parties\".")
        };
        (intro, parties, close)
    }

    // ---------------------------------------------------------------- Article 1

    fn definitions(&mut self, art: usize, has_affiliates: bool, assets: &[AssetId]) -> Vec<Clause> {
        let model = self.model;
        let a = self.a;
        let mut out = Vec::new();
        let mut n = 0;
        if has_affiliates {
            n += 1;
            let mut t = Text::new();
            t.push("\"");
            t.term("Affiliate");
            t.push("\" of a Party means only the companies named for it below, and no other: ");
            let mut spans = Vec::new();
            let mut parts = Vec::new();
            for p in &a.parties {
                let Some(decl) = model.party(*p) else {
                    continue;
                };
                spans.push(decl.span);
                if decl.affiliates.is_empty() {
                    continue;
                }
                let names: Vec<String> = decl
                    .affiliates
                    .iter()
                    .filter_map(|x| model.party(*x))
                    .map(|x| {
                        spans.push(x.span);
                        x.legal_name.clone()
                    })
                    .collect();
                parts.push(format!("for {}, {}", self.short(*p), join_list(&names)));
            }
            let joined = parts.join("; ");
            let stop = if joined.ends_with('.') { "" } else { "." };
            t.push(format!("{joined}{stop}"));
            t.push(" A license extends to a licensee's Affiliates only where its clause says so.");
            let anchor = self.anchor("parties");
            let location = spans.first().map(|s| self.location(*s)).unwrap_or_default();
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "parties".to_string(),
                anchor,
                location,
                spans,
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        for id in assets {
            n += 1;
            if let Some(c) = self.asset_definition(*id) {
                out.push(c);
            }
        }
        if let Some(c) = self.fields_definition(art, &mut n) {
            out.push(c);
        }
        for c in self.territory_definitions(art, &mut n) {
            out.push(c);
        }
        out
    }

    fn asset_definition(&mut self, id: AssetId) -> Option<Clause> {
        let model = self.model;
        let decl = model.asset(id)?;
        let slot = self.asset_clause.get(&id).cloned().unwrap_or_default();
        let owners: Vec<String> = decl.owners.iter().map(|o| self.short(*o)).collect();
        let owned = match owners.len() {
            0 => String::new(),
            1 => format!(" of {}", join_list(&owners)),
            _ => format!(" owned jointly by {}", join_list(&owners)),
        };
        let origin = match decl.origin {
            Some(Origin::Background) => " (background intellectual property)",
            Some(Origin::Foreground) => {
                " (foreground intellectual property, created under this Agreement)"
            }
            None => "",
        };
        let mut t = Text::new();
        t.push("\"");
        t.term(asset_term(decl));
        t.push("\" means ");
        let listed = !decl.patents.is_empty();
        match (decl.kind, decl.capture) {
            (AssetKind::PatentsFiled, Some((from, until))) => {
                let who = if owners.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", join_list(&owners))
                };
                t.push(format!(
                    "every patent and patent application filed{who} from {} up to and including {}, wherever granted{origin}",
                    long_date(from),
                    long_date(last_day(until))
                ));
                t.push(if listed {
                    ", each for its own life, including the following patents:"
                } else {
                    ", each for its own life."
                });
            }
            (AssetKind::Patent, _) if listed => {
                t.push(format!("the patent{owned}{origin} listed below:"));
            }
            (AssetKind::Patent | AssetKind::PatentFamily | AssetKind::PatentsFiled, _)
                if listed =>
            {
                t.push(format!(
                    "the patent family{owned}{origin}, consisting of the following patents:"
                ));
            }
            (AssetKind::Patent | AssetKind::PatentFamily | AssetKind::PatentsFiled, _) => {
                t.push(format!("the patent rights{owned}{origin} designated "));
                t.code(decl.name.clone());
                t.push("; no individual patents are listed, so they are taken to be in force in every country for the whole term of this Agreement.");
            }
            (AssetKind::KnowHow, _) => {
                t.push(format!(
                    "the unpatented technical information{owned}{origin} designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::TradeSecret, _) => {
                t.push(format!(
                    "the information{owned}{origin} protected as a trade secret and designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::Software, _) => {
                t.push(format!(
                    "the computer program{owned}{origin}, in source and object form, designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::Data, _) => {
                t.push(format!("the data set{owned}{origin} designated "));
                t.code(decl.name.clone());
                t.push(".");
            }
        }
        let mut blocks = vec![Block::Para(t)];
        let mut spans = vec![decl.span];
        let count = decl.patents.len();
        for (i, p) in decl.patents.iter().enumerate() {
            spans.push(p.span);
            let letter = letter(i);
            let mut item = format!("({letter}) {}", p.number);
            if let Some(f) = p.filed {
                item.push_str(&format!(", filed on {}", long_date(f)));
            }
            let place = if p.territory == TerritorySet::worldwide() {
                "in every country".to_string()
            } else {
                match countries_words(p.territory) {
                    Some(w) => {
                        let phrase = format!("in {}", w.phrase);
                        self.note_words(Some(w));
                        phrase
                    }
                    None => {
                        self.named_countries.extend(p.territory.codes());
                        format!("in {}", join_list(&country_list(p.territory)))
                    }
                }
            };
            item.push_str(&format!(", in force {place}"));
            if let Some(e) = p.expires {
                item.push_str(&format!(" up to and including {}", long_date(last_day(e))));
            }
            item.push_str(if i + 1 == count { "." } else { ";" });
            blocks.push(Block::Para(Text::plain(item)));
        }
        for note in &decl.notes {
            blocks.push(Block::Para(Text::plain(note.clone())));
        }
        let span = decl.span;
        Some(Clause {
            number: slot.number,
            id: decl.name.clone(),
            anchor: slot.anchor,
            location: self.location(span),
            spans,
            blocks,
            subs: Vec::new(),
        })
    }

    /// The field nodes the agreement refers to.
    fn used_fields(&self) -> (FieldSet, bool) {
        let mut ranges = Vec::new();
        let mut every = false;
        for g in &self.a.grants {
            ranges.extend(g.field_include.ranges.iter().copied());
            ranges.extend(g.field_exclude.ranges.iter().copied());
        }
        for r in &self.a.reservations {
            if r.all_fields {
                every = true;
            } else {
                ranges.extend(r.fields.ranges.iter().copied());
            }
        }
        (FieldSet::from_ranges(ranges), every)
    }

    fn fields_definition(&mut self, art: usize, n: &mut usize) -> Option<Clause> {
        let forest = &self.model.fields;
        let (used, every) = self.used_fields();
        if used.is_empty() && !every {
            return None;
        }
        // Show every tree that the agreement touches, whole.
        let mut roots: Vec<FieldId> = Vec::new();
        for (i, node) in forest.nodes.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if node.parent.is_none()
                && !node.implicit
                && (every
                    || !used
                        .intersection(&FieldSet::from_ranges(vec![(i, node.end)]))
                        .is_empty())
            {
                roots.push(FieldId(i));
            }
        }
        if roots.is_empty() {
            return None;
        }
        *n += 1;
        let mut intro = Text::new();
        intro.push("\"");
        intro.term("Fields of Use");
        intro.push("\" means the following fields of use, each identified by the name shown. A reference to the Field of a named field of use includes every field listed under it:");
        let mut items = Vec::new();
        let mut spans = Vec::new();
        for root in roots {
            let Some(r) = forest.get(root) else { continue };
            for i in root.0..r.end.max(root.0 + 1) {
                let id = FieldId(i);
                let Some(node) = forest.get(id) else { continue };
                spans.push(node.span);
                let depth = depth_of(forest, id);
                let mut t = Text::new();
                t.push(field_label(forest, id));
                t.push(" (");
                t.code(node.path.clone());
                t.push(")");
                items.push((depth, t));
            }
        }
        let anchor = self.anchor("fields");
        let location = spans.first().map(|s| self.location(*s)).unwrap_or_default();
        Some(Clause {
            number: format!("{art}.{n}"),
            id: "fields".to_string(),
            anchor,
            location,
            spans,
            blocks: vec![Block::Para(intro), Block::Tree(items)],
            subs: Vec::new(),
        })
    }

    fn territory_definitions(&mut self, art: usize, n: &mut usize) -> Vec<Clause> {
        let mut out = Vec::new();
        let group_spans: Vec<Span> = self
            .model
            .groups
            .iter()
            .filter(|g| g.span.file == self.a.file)
            .map(|g| g.span)
            .collect();
        if !self.named_countries.is_empty() || self.uses_eu || self.uses_eea {
            *n += 1;
            let mut blocks = Vec::new();
            let mut t = Text::new();
            t.push("Countries are referred to by their short English names. Each name used in this Agreement means the country with the ISO 3166-1 alpha-2 code shown: ");
            let mut codes: Vec<&str> = self.named_countries.iter().copied().collect();
            codes.sort_by_key(|c| country(c));
            let listed: Vec<String> = codes
                .iter()
                .map(|c| format!("{} ({c})", country(c)))
                .collect();
            if listed.is_empty() {
                t.push("none.");
            } else {
                t.push(format!("{}.", join_list(&listed)));
            }
            blocks.push(Block::Para(t));
            let date = crate::iso::MEMBERSHIP_TABLES_DATE;
            let as_of = Date::parse(date)
                .map(long_date)
                .unwrap_or_else(|_| date.to_string());
            if self.uses_eu {
                let mut t = Text::new();
                t.push("\"");
                t.term("European Union");
                t.push(format!(
                    "\" means its member states as of {as_of}: {}.",
                    join_list(&country_list(TerritorySet::eu()))
                ));
                blocks.push(Block::Para(t));
            }
            if self.uses_eea {
                let mut t = Text::new();
                t.push("\"");
                t.term("European Economic Area");
                t.push(format!(
                    "\" means its member states as of {as_of}: {}.",
                    join_list(&country_list(TerritorySet::eea()))
                ));
                blocks.push(Block::Para(t));
            }
            let anchor = self.anchor("territories");
            let location = group_spans
                .first()
                .map(|s| self.location(*s))
                .unwrap_or_else(|| self.location(self.a.span));
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "territories".to_string(),
                anchor,
                location,
                spans: group_spans.clone(),
                blocks,
                subs: Vec::new(),
            });
        }
        let long = self.long_territories.clone();
        for (set, name, anchor) in long {
            *n += 1;
            let world = TerritorySet::worldwide();
            let missing = world.difference(set);
            let mut t = Text::new();
            t.push("\"");
            t.term(capitalise(name.trim_start_matches("the ")));
            if missing.len() < set.len() {
                t.push(format!(
                    "\" means every country of the world except the following {}: {}.",
                    missing.len(),
                    join_list(&country_list(missing))
                ));
            } else {
                t.push(format!(
                    "\" means the following {} countries: {}.",
                    set.len(),
                    join_list(&country_list(set))
                ));
            }
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "territories".to_string(),
                anchor,
                location: self.location(self.a.span),
                spans: Vec::new(),
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        out
    }

    // ---------------------------------------------------------------- Article 2

    fn licensee_text(&self, g: &GrantModel) -> String {
        let model = self.model;
        if g.to_members {
            let names: Vec<String> = g.licensees.iter().map(|p| self.short(*p)).collect();
            let mut s = format!("each of the other Members ({})", join_list(&names));
            if g.to_affiliates {
                s.push_str(" and to their respective Affiliates");
            }
            return s;
        }
        let names: Vec<String> = g.licensees.iter().map(|p| party_intro(model, *p)).collect();
        let mut s = join_list(&names);
        if g.to_affiliates {
            s.push_str(if g.licensees.len() > 1 {
                " and their respective Affiliates"
            } else {
                " and its Affiliates"
            });
        }
        s
    }

    fn licensee_short(&self, g: &GrantModel) -> String {
        if g.to_members || g.licensees.len() != 1 {
            return "each licensee".to_string();
        }
        g.licensees
            .first()
            .map(|p| self.short(*p))
            .unwrap_or_else(|| "the licensee".to_string())
    }

    fn grant_term_text(&self, g: &GrantModel, time: Interval) -> String {
        match g.term {
            TermModel::Dates(i) => match i.end {
                Some(_) => format!("for the term {}", period_phrase(i.start, i.end)),
                None => format!("for a term {}", period_phrase(i.start, None)),
            },
            TermModel::UntilExpiry { start } => {
                let patents: Vec<AssetId> = g
                    .assets
                    .iter()
                    .copied()
                    .filter(|x| self.asset_decl(*x).is_some_and(|d| d.kind.is_patent()))
                    .collect();
                let which = if patents.is_empty() {
                    "the licensed patents".to_string()
                } else {
                    self.assets_phrase(&patents)
                };
                let mut s = format!(
                    "for the term commencing on {} and continuing, in each country, until the expiry of the last to expire of {which} in force in that country",
                    long_date(start)
                );
                if let Some(e) = time.end {
                    s.push_str(&format!(
                        " (on the patents listed in Article 1, no later than {})",
                        long_date(last_day(e))
                    ));
                }
                s
            }
        }
    }

    fn grant_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
        let Some(g) = a.grants.get(i) else {
            return Clause {
                number: slot.number,
                id: String::new(),
                anchor: slot.anchor,
                location: String::new(),
                spans: Vec::new(),
                blocks: Vec::new(),
                subs: Vec::new(),
            };
        };
        let time = self.times.get(i).copied().unwrap_or(Interval {
            start: g.term.start(),
            end: None,
        });
        let licensor = model
            .party(g.licensor)
            .map(|_| party_intro(model, g.licensor));
        let licensor_short = self.short(g.licensor);

        let mut adjectives: Vec<String> = vec![exclusivity_word(g.exclusivity).to_string()];
        if g.transfer.personal {
            adjectives.push("personal".to_string());
        }
        adjectives.push(if g.transfer.transferable {
            "transferable".to_string()
        } else {
            "non-transferable".to_string()
        });
        let free = is_royalty_free(&g.consideration);
        if free {
            adjectives.push("royalty-free".to_string());
        }
        let first = adjectives.first().cloned().unwrap_or_default();
        let adj = adjectives.join(", ");

        let mut t = Text::new();
        t.push(format!(
            "{} hereby grants to {} {} {adj} license",
            licensor.unwrap_or_else(|| "?".to_string()),
            self.licensee_text(g),
            article_for(&first)
        ));
        // `exclusive subject to`: the retained rights stay outside the exclusivity.
        let subject: Vec<(String, String, String)> = g
            .subject_to
            .iter()
            .filter_map(|r| {
                let res = a.reservations.get(*r)?;
                let slot = self.reservation_clause.get(*r)?;
                Some((
                    res.name.clone().unwrap_or_default(),
                    slot.number.clone(),
                    slot.anchor.clone(),
                ))
            })
            .collect();
        if !subject.is_empty() {
            t.push(format!(
                " (exclusive save for the rights retained by {licensor_short} under "
            ));
            for (k, (_, number, anchor)) in subject.iter().enumerate() {
                if k > 0 {
                    t.push(if k + 1 == subject.len() {
                        " and "
                    } else {
                        ", "
                    });
                }
                t.link(format!("Clause {number}"), anchor.clone());
            }
            t.push(")");
        }
        t.push(format!(" under {} ", self.assets_phrase(&g.assets)));
        if !g.assets.is_empty() {
            t.push("(");
            self.asset_refs(&mut t, &g.assets);
            t.push(") ");
        }
        t.push(format!(
            "to {} licensed products {}, ",
            rights_phrase(g.rights),
            field_phrase(&model.fields, &g.fields)
        ));
        let territory = self.territory_text(g.territory);
        t.append(territory);
        t.push(format!(", {}", self.grant_term_text(g, time)));
        let holder = self.licensee_short(g);
        let own = if g.to_members || g.licensees.len() > 1 {
            "its own"
        } else {
            "its"
        };
        t.push(match g.sublicense {
            Sublicense::None => ", without the right to grant sublicenses".to_string(),
            Sublicense::Affiliates => {
                format!(", with the right to grant sublicenses to {own} Affiliates only")
            }
            Sublicense::WithConsent => format!(
                ", with the right to grant sublicenses with the prior written consent of {licensor_short}"
            ),
            Sublicense::Free => format!(
                ", with the right to grant sublicenses without the consent of {licensor_short}"
            ),
        });
        if !free {
            let parts: Vec<String> = g
                .consideration
                .iter()
                .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree))
                .map(consideration_phrase)
                .collect();
            t.push(format!(
                "; in consideration of which {holder} shall pay to {licensor_short} {}",
                enumerate_items(&parts)
            ));
        }
        t.push(".");
        let mut blocks = vec![Block::Para(t)];
        for note in &g.notes {
            blocks.push(Block::Para(Text::plain(note.clone())));
        }
        Clause {
            number: slot.number,
            id: g.id.clone(),
            anchor: slot.anchor,
            location: self.location(g.span),
            spans: vec![g.span],
            blocks,
            subs: Vec::new(),
        }
    }

    fn asset_refs(&self, t: &mut Text, ids: &[AssetId]) {
        let refs: Vec<&Slot> = ids
            .iter()
            .filter_map(|x| self.asset_clause.get(x))
            .collect();
        let word = if refs.len() > 1 {
            "Clauses "
        } else {
            "Clause "
        };
        t.push(word);
        for (k, slot) in refs.iter().enumerate() {
            if k > 0 {
                t.push(if k + 1 == refs.len() { " and " } else { ", " });
            }
            t.link(slot.number.clone(), slot.anchor.clone());
        }
    }

    // ---------------------------------------------------------------- Article 3

    fn reservation_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.reservation_clause.get(i).cloned().unwrap_or_default();
        let Some(r) = a.reservations.get(i) else {
            return empty_clause(slot);
        };
        let assets = self.assets_phrase(&r.assets);
        let all_rights = r.rights == RightSet::all();
        let everywhere = r.territory == TerritorySet::worldwide();
        let whole_term = a.term.is_some_and(|t| t == r.term);
        let every_field = r.all_fields || r.fields.len() as usize >= model.fields.nodes.len();
        let unscoped = all_rights && everywhere && whole_term && every_field;
        let what = if all_rights {
            format!("all rights under {assets}")
        } else {
            format!("the right under {assets} to {}", rights_phrase(r.rights))
        };
        let field = if r.all_fields {
            "in every Field of Use".to_string()
        } else {
            field_phrase(&model.fields, &r.fields)
        };
        let when = if whole_term {
            "for the term of this Agreement".to_string()
        } else {
            format!("for the period {}", period_phrase(r.term.start, r.term.end))
        };
        let mut t = Text::new();
        match r.holder {
            None if unscoped => {
                let owners: Vec<String> = r
                    .assets
                    .iter()
                    .filter_map(|x| model.asset(*x))
                    .flat_map(|d| d.owners.iter().map(|o| self.short(*o)))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let to = if owners.is_empty() {
                    String::new()
                } else {
                    format!(" to {}", join_list(&owners))
                };
                t.push(format!(
                    "{} {} reserved{to} in full. Nothing in this Agreement grants, or shall be construed to grant, any license or other right under {}, in any field, territory or period.",
                    capitalise(&assets),
                    if r.assets.len() == 1 && !assets.ends_with('s') { "is" } else { "are" },
                    if r.assets.len() == 1 && !assets.ends_with('s') { "it" } else { "them" }
                ));
            }
            None => {
                t.push(format!(
                    "The following is reserved and excluded from every license granted under this Agreement: {what} {field}, "
                ));
                let terr = self.territory_text(r.territory);
                t.append(terr);
                t.push(format!(
                    ", {when}. No license granted under this Agreement extends to it."
                ));
            }
            Some(h) => {
                t.push(format!(
                    "{} retains, for its own use, {what} {field}, ",
                    self.short(h)
                ));
                let terr = self.territory_text(r.territory);
                t.append(terr);
                t.push(format!(", {when}."));
                let excepted: Vec<Slot> = a
                    .grants
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.subject_to.contains(&i))
                    .filter_map(|(k, _)| self.grant_clause.get(k).cloned())
                    .collect();
                if excepted.is_empty() {
                    t.push(" Non-exclusive and sole licenses granted under this Agreement leave these rights unaffected.");
                } else {
                    let word = if excepted.len() > 1 {
                        " The exclusivity of the licenses granted in "
                    } else {
                        " The exclusivity of the license granted in "
                    };
                    t.push(word);
                    for (k, s) in excepted.iter().enumerate() {
                        if k > 0 {
                            t.push(if k + 1 == excepted.len() {
                                " and "
                            } else {
                                ", "
                            });
                        }
                        t.link(format!("Clause {}", s.number), s.anchor.clone());
                    }
                    t.push(" is subject to this reservation: the retained rights are carved out of that exclusivity, not out of the scope of the license.");
                }
            }
        }
        Clause {
            number: slot.number,
            id: reservation_id(model, r),
            anchor: slot.anchor,
            location: self.location(r.span),
            spans: vec![r.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }

    // ---------------------------------------------------------------- Article 4

    fn improvements_clause(&mut self, i: usize) -> Clause {
        let model = self.model;
        let a = self.a;
        let slot = self.improvements_clause.get(i).cloned().unwrap_or_default();
        let Some(imp) = a.improvements.get(i) else {
            return empty_clause(slot);
        };
        let assets = self.assets_phrase(&imp.assets);
        let owners: Vec<String> = imp
            .assets
            .iter()
            .filter_map(|x| model.asset(*x))
            .flat_map(|d| d.owners.iter().map(|o| self.short(*o)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let owners = join_list(&owners);
        let mut t = Text::new();
        t.push(match imp.owner {
            Some(ImprovementOwner::Improver) => {
                format!("Each improvement to {assets} belongs to the Party that makes it.")
            }
            Some(ImprovementOwner::BaseOwner) => format!(
                "Each improvement to {assets} belongs to {owners}, as owner of {assets}, whichever Party makes it."
            ),
            Some(ImprovementOwner::Joint) => format!(
                "Each improvement to {assets} is owned jointly by the Party that makes it and {owners}."
            ),
            None => format!(
                "This Agreement does not change the ownership of improvements to {assets}."
            ),
        });
        if !imp.rules.is_empty() {
            t.push(" The following licenses of improvements apply:");
        }
        let mut subs = Vec::new();
        for (k, rule) in imp.rules.iter().enumerate() {
            let id = flow_id(model, rule);
            let anchor = self.anchor(&format!("{} {id}", slot.anchor));
            subs.push(Clause {
                number: format!("{}({})", slot.number, letter(k)),
                id,
                anchor,
                location: self.location(rule.span),
                spans: vec![rule.span],
                blocks: vec![Block::Para(self.flow_text(rule, &assets))],
                subs: Vec::new(),
            });
        }
        Clause {
            number: slot.number,
            id: improvements_id(model, imp),
            anchor: slot.anchor,
            location: self.location(imp.span),
            spans: vec![imp.span],
            blocks: vec![Block::Para(t)],
            subs,
        }
    }

    fn flow_text(&self, rule: &FlowModel, assets: &str) -> Text {
        let model = self.model;
        let from = self.short(rule.from);
        let to = self.short(rule.to);
        let mut adjectives = vec![exclusivity_word(rule.exclusivity).to_string()];
        let free = is_royalty_free(&rule.consideration);
        if free {
            adjectives.push("royalty-free".to_string());
        }
        let first = adjectives.first().cloned().unwrap_or_default();
        let mut s = format!(
            "{from} hereby grants to {to} {} {} license under every improvement to {assets} that {from} makes",
            article_for(&first),
            adjectives.join(", ")
        );
        s.push_str(match rule.covers {
            Coverage::Collaboration => {
                " in the course of the Parties' collaboration under this Agreement"
            }
            Coverage::All => ", including improvements developed independently of this Agreement",
        });
        match rule.sunset {
            Some(d) => {
                let since = model
                    .agreements
                    .iter()
                    .find(|x| std::ptr::eq(*x, self.a))
                    .and_then(|x| x.effective)
                    .map(|e| format!("from {} ", long_date(e)))
                    .unwrap_or_default();
                s.push_str(&format!(
                    " {since}up to and including {}; improvements made after that date are not covered",
                    long_date(last_day(d))
                ));
            }
            None => s.push_str(", whenever made"),
        }
        if !free {
            let parts: Vec<String> = rule
                .consideration
                .iter()
                .filter(|c| !matches!(c, ConsiderationModel::RoyaltyFree))
                .map(consideration_phrase)
                .collect();
            s.push_str(&format!(
                "; in consideration of which {to} shall pay to {from} {}",
                enumerate_items(&parts)
            ));
        }
        s.push('.');
        match rule.consent_required {
            Some(true) => s.push_str(&format!(
                " An improvement comes under this clause only when {from} agrees in writing that it does."
            )),
            Some(false) => s.push_str(" Each improvement comes under this clause as it is made, without further consent."),
            None => {}
        }
        Text::plain(s)
    }

    // ---------------------------------------------------------------- Article 5

    fn term_clauses(&mut self, art: usize) -> Vec<Clause> {
        let a = self.a;
        let mut out = Vec::new();
        let mut t = Text::new();
        match (a.effective, a.term) {
            (Some(e), Some(term)) => match term.end {
                Some(end) => {
                    t.push(format!(
                        "This Agreement enters into force on the Effective Date, {}, and remains in force up to and including {}, unless terminated earlier.",
                        long_date(e),
                        long_date(last_day(end))
                    ));
                }
                None => {
                    t.push(format!(
                        "This Agreement enters into force on the Effective Date, {}, and has no fixed expiry date: it remains in force for as long as any license granted under it remains in force, unless terminated earlier.",
                        long_date(e)
                    ));
                }
            },
            (Some(e), None) => {
                t.push(format!(
                    "This Agreement enters into force on the Effective Date, {}. It states no fixed term.",
                    long_date(e)
                ));
            }
            _ => {
                t.push("This Agreement states no effective date and no term.");
            }
        }
        if !a.grants.is_empty() {
            t.push(
                " Each license runs for the term stated in its clause, subject to this Article.",
            );
        }
        let anchor = self.anchor("agreement-term");
        out.push(Clause {
            number: format!("{art}.1"),
            id: "agreement".to_string(),
            anchor,
            location: self.location(a.span),
            spans: vec![a.span],
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        });
        for (k, s) in a.sunsets.iter().enumerate() {
            let number = format!("{art}.{}", k + 2);
            out.push(self.sunset_clause(s, number));
        }
        out
    }

    fn sunset_clause(&mut self, s: &SunsetModel, number: String) -> Clause {
        let a = self.a;
        let id = sunset_id(s);
        let anchor = self.anchor(&id);
        let location = self.location(s.span);
        let grant = s.grant.and_then(|i| a.grants.get(i).map(|g| (i, g)));
        let Some((gi, g)) = grant else {
            let mut t = Text::plain("This clause refers to ");
            t.code(s.grant_name.clone());
            t.push(", which is not a license granted in this Agreement; it has no effect.");
            return Clause {
                number,
                id,
                anchor,
                location,
                spans: vec![s.span],
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            };
        };
        let slot = self.grant_clause.get(gi).cloned().unwrap_or_default();
        let time = self.times.get(gi).copied().unwrap_or(Interval {
            start: g.term.start(),
            end: None,
        });
        let licensee = self.licensee_short(g);
        let mut intro = Text::plain("The following apply to the license granted in ");
        intro.link(format!("Clause {}", slot.number), slot.anchor.clone());
        intro.push(":");
        let mut blocks = vec![Block::Para(intro)];
        let mut item = 0;
        let mut next = |label: &str, body: String| {
            let l = letter(item);
            item += 1;
            let mut t = Text::new();
            t.push(format!("({l}) "));
            t.term(label.to_string());
            t.push(format!(" {body}"));
            Block::Para(t)
        };
        for r in &s.renewals {
            let times = match r.max_times {
                Some(1) => ", once".to_string(),
                Some(n) => format!(", up to {n} times"),
                None => ", without limit on the number of renewals".to_string(),
            };
            let mut body = if r.automatic {
                let notice = r
                    .notice
                    .map(|d| {
                        format!(
                            " at least {} before the end of the then-current term",
                            duration(d)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "At the end of its term the license renews automatically for a further period of {}{times}, unless a Party gives written notice of non-renewal{notice}.",
                    duration(r.period)
                )
            } else {
                let notice = r
                    .notice
                    .map(|d| format!("; a request to renew must be made at least {} before the end of the then-current term", duration(d)))
                    .unwrap_or_default();
                format!(
                    "The license may be renewed by mutual written agreement of the Parties for a further period of {}{times}{notice}.",
                    duration(r.period)
                )
            };
            if let (Some(end), Some(max)) = (time.end, r.max_times) {
                let mut last = Some(end);
                for _ in 0..max {
                    last = last.and_then(|d| d.add_duration(r.period));
                }
                if let Some(l) = last {
                    body.push_str(&format!(
                        " If every renewal takes effect, the license ends on {}.",
                        long_date(last_day(l))
                    ));
                }
            }
            blocks.push(next("Renewal.", body));
        }
        for (index, period) in s.renegotiate_every.iter().enumerate() {
            let notice = match s.renegotiate_notice.get(index).copied().flatten() {
                Some(n) => {
                    let d = duration(n);
                    let possessive = if d.ends_with('s') {
                        format!("{d}'")
                    } else {
                        format!("{d}'s")
                    };
                    format!(
                        " Either Party may open a renegotiation on {possessive} written notice."
                    )
                }
                None => String::new(),
            };
            let mut dates = Vec::new();
            let mut k: u32 = 1;
            let mut more = false;
            while let Some(d) = time.start.add_duration(Duration {
                amount: period.amount.saturating_mul(k),
                unit: period.unit,
            }) {
                if time.end.is_some_and(|e| d >= e) {
                    break;
                }
                if dates.len() >= 4 {
                    more = true;
                    break;
                }
                dates.push(long_date(d));
                k += 1;
                if k > 1000 {
                    break;
                }
            }
            let when = if dates.is_empty() {
                String::new()
            } else if more {
                format!(
                    ", that is on {} and every {} thereafter",
                    join_list(&dates),
                    duration(*period)
                )
            } else {
                format!(", that is on {}", join_list(&dates))
            };
            blocks.push(next(
                "Renegotiation.",
                format!(
                    "The Parties shall renegotiate the commercial terms of the license every {} from the commencement of its term{when}.{notice} Until they agree on new terms, the existing terms continue to apply.",
                    duration(*period)
                ),
            ));
        }
        if let Some(d) = s.wind_down {
            let until = time
                .end
                .and_then(|e| e.add_duration(d).map(|w| (e, w)))
                .map(|(e, w)| {
                    format!(
                        " (if the term ends on {}, up to and including {})",
                        long_date(last_day(e)),
                        long_date(last_day(w))
                    )
                })
                .unwrap_or_default();
            blocks.push(next(
                "Wind-down.",
                format!(
                    "For {} after the license ends{until}, {licensee} may sell, offer for sale and distribute licensed products it holds when the license ends, and may not otherwise exercise the license.",
                    duration(d)
                ),
            ));
        }
        let triggers: Vec<String> = s
            .terminations
            .iter()
            .map(|tr| {
                let event = humanise(&tr.event);
                let mut p = match event.as_str() {
                    "convenience" => "for convenience".to_string(),
                    "breach" => "upon breach".to_string(),
                    "insolvency" => "upon the insolvency of a Party".to_string(),
                    other if other.contains(' ') => {
                        format!("upon {} {other}", article_for(other))
                    }
                    other => format!("upon {other}"),
                };
                if let Some(c) = tr.cure {
                    p.push_str(&format!(
                        ", if the breach is not cured within {} after written notice of it",
                        duration(c)
                    ));
                }
                if let Some(n) = tr.notice {
                    p.push_str(&format!(", on {} written notice", duration_possessive(n)));
                }
                p
            })
            .collect();
        if !triggers.is_empty() {
            blocks.push(next(
                "Termination.",
                format!(
                    "The license may be terminated before the end of its term {}.",
                    enumerate_with(&triggers, "or")
                ),
            ));
        }
        if !s.survives.is_empty() {
            let mut t = Text::new();
            let l = letter(item);
            t.push(format!("({l}) "));
            t.term("Survival.".to_string());
            t.push(" ");
            let mut parts: Vec<Text> = Vec::new();
            let mut others: Vec<String> = Vec::new();
            for name in &s.survives {
                if name == "improvements" {
                    let refs: Vec<Slot> = a
                        .improvements
                        .iter()
                        .enumerate()
                        .filter(|(_, imp)| imp.assets.iter().any(|x| g.assets.contains(x)))
                        .filter_map(|(k, _)| self.improvements_clause.get(k).cloned())
                        .collect();
                    let mut p = Text::plain("the provisions on improvements");
                    if !refs.is_empty() {
                        p.push(" (");
                        p.push(if refs.len() > 1 {
                            "Clauses "
                        } else {
                            "Clause "
                        });
                        for (k, r) in refs.iter().enumerate() {
                            if k > 0 {
                                p.push(if k + 1 == refs.len() { " and " } else { ", " });
                            }
                            p.link(r.number.clone(), r.anchor.clone());
                        }
                        p.push(")");
                    }
                    parts.push(p);
                } else {
                    others.push(humanise(name));
                }
            }
            if !others.is_empty() {
                parts.push(Text::plain(format!(
                    "the obligations relating to {}",
                    join_list(&others)
                )));
            }
            let count = parts.len();
            for (k, p) in parts.into_iter().enumerate() {
                if k > 0 {
                    t.push(if k + 1 == count { " and " } else { ", " });
                }
                if k == 0 {
                    let mut first = p;
                    if let Some(Run::Text(s0)) = first.0.first_mut() {
                        *s0 = capitalise(s0);
                    }
                    t.append(first);
                } else {
                    t.append(p);
                }
            }
            t.push(" survive the expiry or termination of the license.");
            blocks.push(Block::Para(t));
        }
        Clause {
            number,
            id,
            anchor,
            location,
            spans: vec![s.span],
            blocks,
            subs: Vec::new(),
        }
    }

    fn governing_law_clause(&mut self, art: usize) -> Clause {
        let a = self.a;
        let law = a.governing_law.clone().unwrap_or_default();
        let t = Text::plain(format!(
            "This Agreement is governed by and shall be construed in accordance with the laws of the {law}."
        ));
        let t = if law.starts_with("the ") || law.starts_with("The ") {
            Text::plain(format!(
                "This Agreement is governed by and shall be construed in accordance with the laws of {law}."
            ))
        } else if law.starts_with("State")
            || law.starts_with("Commonwealth")
            || law.starts_with("Province")
        {
            t
        } else {
            Text::plain(format!(
                "This Agreement is governed by and shall be construed in accordance with the laws of {law}."
            ))
        };
        let anchor = self.anchor("governing-law");
        Clause {
            number: format!("{art}.1"),
            id: "agreement".to_string(),
            anchor,
            location: self.location(a.span),
            spans: Vec::new(),
            blocks: vec![Block::Para(t)],
            subs: Vec::new(),
        }
    }

    // ---------------------------------------------------------------- schedules

    fn schedules(&mut self, articles: &[Article]) -> Vec<Schedule> {
        let model = self.model;
        let a = self.a;
        let mut out = Vec::new();
        if !a.grants.is_empty() {
            // Part A: who licenses whom.
            let mut licensors: Vec<PartyId> = Vec::new();
            let mut licensees: Vec<PartyId> = Vec::new();
            for g in &a.grants {
                if !licensors.contains(&g.licensor) {
                    licensors.push(g.licensor);
                }
                for l in &g.licensees {
                    if !licensees.contains(l) {
                        licensees.push(*l);
                    }
                }
            }
            licensors.sort();
            licensees.sort();
            let mut header = vec!["Licensor / Licensee".to_string()];
            header.extend(licensees.iter().map(|p| self.short(*p)));
            let mut rows = Vec::new();
            for lor in &licensors {
                let mut row = vec![Cell {
                    text: Text::plain(self.short(*lor)),
                    class: None,
                }];
                for lee in &licensees {
                    let mut t = Text::new();
                    let mut class = None;
                    let found: Vec<(Slot, ExclusivityKind)> = a
                        .grants
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| g.licensor == *lor && g.licensees.contains(lee))
                        .filter_map(|(i, g)| {
                            self.grant_clause.get(i).map(|s| (s.clone(), g.exclusivity))
                        })
                        .collect();
                    let same = found.windows(2).all(|w| match w {
                        [x, y] => x.1 == y.1,
                        _ => true,
                    });
                    for (k, (slot, excl)) in found.iter().enumerate() {
                        if k > 0 {
                            t.push(if same { ", " } else { "; " });
                        }
                        t.link(slot.number.clone(), slot.anchor.clone());
                        if !same || k + 1 == found.len() {
                            t.push(format!(" {}", exclusivity_word(*excl)));
                        }
                        class = Some(match (class, excl) {
                            (Some("exclusive"), _) | (_, ExclusivityKind::Exclusive) => "exclusive",
                            (Some("sole"), _) | (_, ExclusivityKind::Sole) => "sole",
                            _ => "non-exclusive",
                        });
                    }
                    if found.is_empty() {
                        t.push(if lor == lee { "\u{2014}" } else { "" });
                    }
                    row.push(Cell { text: t, class });
                }
                rows.push(row);
            }
            let grid = Table {
                title: "Part A \u{2014} Licenses between the Parties".to_string(),
                header,
                rows,
                row_headers: true,
                class: "grid",
            };
            // Part B: one row per license.
            let header = [
                "Clause",
                "Licensor \u{2192} Licensee",
                "Licensed Assets",
                "Rights",
                "Field of Use",
                "Territory",
                "Term",
                "Exclusivity",
                "Consideration",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut rows = Vec::new();
            for (i, g) in a.grants.iter().enumerate() {
                let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
                let time = self.times.get(i).copied().unwrap_or(Interval {
                    start: g.term.start(),
                    end: None,
                });
                let mut clause = Text::new();
                clause.link(slot.number.clone(), slot.anchor.clone());
                clause.push(" ");
                clause.code(g.id.clone());
                let licensees: Vec<String> = g.licensees.iter().map(|p| self.short(*p)).collect();
                let mut licensee = if g.to_members {
                    "every other Member".to_string()
                } else {
                    licensees.join(", ")
                };
                if g.to_affiliates {
                    licensee.push_str(" + Affiliates");
                }
                let parties = format!("{} \u{2192} {licensee}", self.short(g.licensor));
                let assets: Vec<String> =
                    g.assets.iter().map(|x| self.asset_name_term(*x)).collect();
                let rights = rights_cell(g.rights);
                let term = match g.term {
                    TermModel::Dates(iv) => match iv.end {
                        Some(e) => format!(
                            "{} \u{2013} {}",
                            short_date(iv.start),
                            short_date(last_day(e))
                        ),
                        None => format!("{} \u{2013} perpetual", short_date(iv.start)),
                    },
                    TermModel::UntilExpiry { start } => match time.end {
                        Some(e) => format!(
                            "{} \u{2013} patent expiry (last {})",
                            short_date(start),
                            short_date(last_day(e))
                        ),
                        None => format!("{} \u{2013} patent expiry", short_date(start)),
                    },
                };
                let mut excl = exclusivity_word(g.exclusivity).to_string();
                let subject: Vec<String> = g
                    .subject_to
                    .iter()
                    .filter_map(|r| a.reservations.get(*r).and_then(|x| x.name.clone()))
                    .collect();
                if !subject.is_empty() {
                    excl.push_str(&format!(" subject to {}", subject.join(", ")));
                }
                excl.push_str(match g.sublicense {
                    Sublicense::None => "; no sublicensing",
                    Sublicense::Affiliates => "; sublicensable to Affiliates",
                    Sublicense::WithConsent => "; sublicensable with consent",
                    Sublicense::Free => "; freely sublicensable",
                });
                let class = Some(exclusivity_word(g.exclusivity));
                let cell = |s: String| Cell {
                    text: Text::plain(s),
                    class: None,
                };
                rows.push(vec![
                    Cell {
                        text: clause,
                        class: None,
                    },
                    cell(parties),
                    cell(assets.join(", ")),
                    cell(rights),
                    cell(field_cell(&model.fields, &g.fields)),
                    cell(self.territory_cell(g.territory)),
                    cell(term),
                    Cell {
                        text: Text::plain(excl),
                        class,
                    },
                    cell(consideration_cell(&g.consideration)),
                ]);
            }
            let table = Table {
                title: "Part B \u{2014} Licenses granted".to_string(),
                header,
                rows,
                row_headers: false,
                class: "licenses",
            };
            let number = out.len() + 1;
            out.push(Schedule {
                number,
                title: "License Matrix".to_string(),
                anchor: self.anchor(&format!("schedule-{number}")),
                intro: vec![Text::plain(
                    "This Schedule summarises the licenses granted in this Agreement. In case of any difference, the clauses prevail.",
                )],
                tables: vec![grid, table],
            });
        }
        // The clause index: every clause id and where it is written.
        let mut rows = Vec::new();
        for art in articles {
            for c in &art.clauses {
                index_rows(c, &mut rows);
            }
        }
        let number = out.len() + 1;
        out.push(Schedule {
            number,
            title: "Clause Index".to_string(),
            anchor: self.anchor(&format!("schedule-{number}")),
            intro: vec![Text::plain(
                "Each clause id identifies the clause in the source file and in the compiled JSON policy.",
            )],
            tables: vec![Table {
                title: String::new(),
                header: vec![
                    "Clause".to_string(),
                    "Clause id".to_string(),
                    "Source".to_string(),
                ],
                rows,
                row_headers: false,
                class: "index",
            }],
        });
        out
    }

    // ---------------------------------------------------------------- timeline

    fn timeline(&self) -> Timeline {
        let a = self.a;
        let mut rows = Vec::new();
        if let Some(e) = a.effective {
            rows.push(TimelineRow {
                kind: RowKind::Agreement,
                label: "Agreement".to_string(),
                title: a.title.clone(),
                anchor: String::new(),
                start: e,
                end: a.term.and_then(|t| t.end),
                renewals: Vec::new(),
                renewals_unbounded: false,
                wind_down: None,
                sunset: None,
                renegotiations: Vec::new(),
                clause_span: Some(a.span),
            });
        }
        for (i, g) in a.grants.iter().enumerate() {
            let slot = self.grant_clause.get(i).cloned().unwrap_or_default();
            let time = self.times.get(i).copied().unwrap_or(Interval {
                start: g.term.start(),
                end: None,
            });
            let sunset = a.sunsets.iter().find(|s| s.grant == Some(i));
            let mut renewals = Vec::new();
            let mut unbounded = false;
            let mut wind_down = None;
            let mut renegotiations = Vec::new();
            if let (Some(s), Some(end)) = (sunset, time.end) {
                let mut at = end;
                for r in &s.renewals {
                    let count = r.max_times.unwrap_or(3).min(50);
                    if r.max_times.is_none() {
                        unbounded = true;
                    }
                    for _ in 0..count {
                        let Some(next) = at.add_duration(r.period) else {
                            break;
                        };
                        renewals.push((at, next));
                        at = next;
                    }
                }
                if let Some(d) = s.wind_down {
                    wind_down = end.add_duration(d).map(|w| (end, w));
                }
            }
            if let Some(s) = sunset {
                for period in &s.renegotiate_every {
                    let mut k: u32 = 1;
                    while let Some(d) = time.start.add_duration(Duration {
                        amount: period.amount.saturating_mul(k),
                        unit: period.unit,
                    }) {
                        if time.end.is_none_or(|e| d >= e) || k > 200 {
                            break;
                        }
                        renegotiations.push(d);
                        k += 1;
                    }
                }
            }
            let licensees: Vec<String> = if g.to_members {
                vec!["Members".to_string()]
            } else {
                g.licensees.iter().map(|p| self.short(*p)).collect()
            };
            rows.push(TimelineRow {
                kind: RowKind::Grant(g.exclusivity),
                label: format!("{} {}", slot.number, g.id),
                title: format!(
                    "{} \u{2192} {}, {}",
                    self.short(g.licensor),
                    licensees.join(", "),
                    exclusivity_word(g.exclusivity)
                ),
                anchor: slot.anchor,
                start: time.start,
                end: time.end,
                renewals,
                renewals_unbounded: unbounded,
                wind_down,
                sunset: None,
                renegotiations,
                clause_span: Some(g.span),
            });
        }
        for (i, imp) in a.improvements.iter().enumerate() {
            let slot = self.improvements_clause.get(i).cloned().unwrap_or_default();
            for (k, rule) in imp.rules.iter().enumerate() {
                if rule.direction != FlowDirection::GrantBack {
                    continue;
                }
                let Some(start) = a.effective else { continue };
                rows.push(TimelineRow {
                    kind: RowKind::GrantBack,
                    label: format!("{}({}) grant back", slot.number, letter(k)),
                    title: format!("{} \u{2192} {}", self.short(rule.from), self.short(rule.to)),
                    anchor: slot.anchor.clone(),
                    start,
                    end: rule.sunset,
                    renewals: Vec::new(),
                    renewals_unbounded: false,
                    wind_down: None,
                    sunset: rule.sunset,
                    renegotiations: Vec::new(),
                    clause_span: Some(rule.span),
                });
            }
        }
        Timeline { rows }
    }
}

fn index_rows(c: &Clause, rows: &mut Vec<Vec<Cell>>) {
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
    for s in &c.subs {
        index_rows(s, rows);
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

/// "a", "b", …, "z", "aa", "ab", …
fn letter(i: usize) -> String {
    let alphabet: Vec<char> = ('a'..='z').collect();
    let mut n = i;
    let mut out = Vec::new();
    loop {
        out.push(alphabet.get(n % 26).copied().unwrap_or('z'));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Items as an enumeration: one item as it is; several as "(i) a; (ii) b and (iii) c",
/// with semicolons, since the items have commas of their own.
fn enumerate_items(items: &[String]) -> String {
    enumerate_with(items, "and")
}

fn enumerate_with(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ => {
            let n = items.len();
            let mut s = String::new();
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    s.push_str("; ");
                }
                if k > 0 && k + 1 == n {
                    s.push_str(conjunction);
                    s.push(' ');
                }
                s.push_str(&format!("({}) {item}", roman(k + 1)));
            }
            s
        }
    }
}

/// Lower-case roman numerals, for sub-items.
fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Whether `inner` lies within `outer` (same file).
pub(crate) fn span_contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::date::DurationUnit;
    use std::str::FromStr;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn m(amount: &str, currency: &str) -> MoneyValue {
        MoneyValue {
            amount: Decimal::from_str(amount).unwrap(),
            currency: currency.to_string(),
        }
    }

    fn set(codes: &[&str]) -> TerritorySet {
        TerritorySet::from_codes(codes).unwrap()
    }

    #[test]
    fn lists_join_in_english() {
        let none: [&str; 0] = [];
        assert_eq!(join_list(&none), "");
        assert_eq!(join_list(&["Germany"]), "Germany");
        assert_eq!(join_list(&["Germany", "Austria"]), "Germany and Austria");
        assert_eq!(
            join_list(&["Germany", "Austria", "Switzerland"]),
            "Germany, Austria and Switzerland"
        );
        assert_eq!(join_list(&["a", "b", "c", "d"]), "a, b, c and d");
        assert_eq!(join_with(&["a", "b", "c"], "or"), "a, b or c");
    }

    #[test]
    fn long_dates() {
        assert_eq!(long_date(d("2026-01-01")), "1 January 2026");
        assert_eq!(long_date(d("2030-12-31")), "31 December 2030");
        assert_eq!(long_date(d("2028-02-29")), "29 February 2028");
        assert_eq!(short_date(d("2026-09-18")), "18\u{a0}Sep\u{a0}2026");
    }

    #[test]
    fn half_open_terms_show_their_last_day() {
        assert_eq!(
            period_phrase(d("2026-01-01"), Some(d("2031-01-01"))),
            "commencing on 1 January 2026 and ending on 31 December 2030"
        );
        assert_eq!(
            period_phrase(d("2024-02-01"), Some(d("2024-03-01"))),
            "commencing on 1 February 2024 and ending on 29 February 2024"
        );
        assert_eq!(
            period_phrase(d("2026-01-01"), None),
            "commencing on 1 January 2026 and continuing in perpetuity"
        );
        assert_eq!(last_day(d("2038-05-01")), d("2038-04-30"));
    }

    #[test]
    fn money_is_grouped_and_exact() {
        assert_eq!(money(&m("1000000", "USD")), "USD 1,000,000");
        assert_eq!(money(&m("0.50", "USD")), "USD 0.50");
        assert_eq!(money(&m("0.35", "USD")), "USD 0.35");
        assert_eq!(money(&m("999", "EUR")), "EUR 999");
        assert_eq!(money(&m("1000", "EUR")), "EUR 1,000");
        assert_eq!(money(&m("12500.75", "GBP")), "GBP 12,500.75");
        assert_eq!(money(&m("250000000", "JPY")), "JPY 250,000,000");
        assert_eq!(group_thousands("1234567.000"), "1,234,567.000");
        assert_eq!(group_thousands("-1234"), "-1,234");
        assert_eq!(percent(Decimal::from_str("2.5").unwrap()), "2.5%");
        assert_eq!(percent(Decimal::from_str("3").unwrap()), "3%");
        assert_eq!(percent(Decimal::from_str("1.250").unwrap()), "1.25%");
    }

    #[test]
    fn country_names() {
        assert_eq!(country("DE"), "Germany");
        assert_eq!(country("KR"), "South Korea");
        assert_eq!(country_in_sentence("US"), "the United States");
        assert_eq!(country_in_sentence("GB"), "the United Kingdom");
        assert_eq!(country_in_sentence("NL"), "the Netherlands");
        assert_eq!(country_in_sentence("CH"), "Switzerland");
        assert_eq!(country_in_sentence("CZ"), "Czechia");
        assert_eq!(country_in_sentence("DO"), "the Dominican Republic");
        assert_eq!(
            country_in_sentence("GS"),
            "South Georgia and the South Sandwich Islands"
        );
        assert_eq!(
            country_list(set(&["DE", "AT", "CH"])),
            vec!["Austria", "Germany", "Switzerland"]
        );
    }

    #[test]
    fn territories_in_words() {
        let world = TerritorySet::worldwide();
        assert_eq!(territory_phrase(world).unwrap(), "throughout the world");
        assert_eq!(
            territory_phrase(world.difference(set(&["CN", "RU"]))).unwrap(),
            "throughout the world except China and Russia"
        );
        assert_eq!(
            territory_phrase(TerritorySet::eu()).unwrap(),
            "in the member states of the European Union"
        );
        assert_eq!(
            territory_phrase(TerritorySet::eea()).unwrap(),
            "in the member states of the European Economic Area"
        );
        assert_eq!(
            territory_phrase(set(&["DE", "AT", "CH"])).unwrap(),
            "in Austria, Germany and Switzerland"
        );
        assert_eq!(
            territory_phrase(set(&["US"])).unwrap(),
            "in the United States"
        );
        assert_eq!(
            territory_phrase(TerritorySet::eu().union(set(&["CH"]))).unwrap(),
            "in the member states of the European Union and Switzerland"
        );
        assert_eq!(
            territory_phrase(TerritorySet::eu().difference(set(&["DE"]))).unwrap(),
            "in the member states of the European Union other than Germany"
        );
        assert_eq!(
            territory_phrase(world.difference(TerritorySet::eea())).unwrap(),
            "throughout the world except the member states of the European Economic Area"
        );
        // Forty countries with no bloc to name them by: a defined term.
        let forty: Vec<&str> = crate::iso::COUNTRIES
            .iter()
            .map(|c| c.code)
            .filter(|c| !TerritorySet::eea().contains_code(c))
            .take(40)
            .collect();
        assert_eq!(territory_phrase(set(&forty)), None);
        assert_eq!(
            territory_phrase(TerritorySet::empty()).unwrap(),
            "in no country"
        );
    }

    #[test]
    fn enumerations() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(enumerate_items(&items(&[])), "");
        assert_eq!(enumerate_items(&items(&["a fee"])), "a fee");
        assert_eq!(
            enumerate_items(&items(&["a fee", "a royalty"])),
            "(i) a fee; and (ii) a royalty"
        );
        assert_eq!(
            enumerate_with(&items(&["x", "y", "z"]), "or"),
            "(i) x; (ii) y; or (iii) z"
        );
    }

    #[test]
    fn names_and_words() {
        assert_eq!(title_case("acme_motion"), "Acme Motion");
        assert_eq!(humanise("accrued_royalties"), "accrued royalties");
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
        assert_eq!(roman(4), "iv");
        assert_eq!(
            rights_phrase(RightSet::of([
                Right::Make,
                Right::Use,
                Right::Sell,
                Right::Import
            ])),
            "make, use, sell and import"
        );
        assert_eq!(
            rights_phrase(RightSet::of([Right::Sell, Right::Offer])),
            "sell and offer for sale"
        );
        assert_eq!(
            duration_possessive(Duration {
                amount: 90,
                unit: DurationUnit::Days
            }),
            "90 days'"
        );
    }

    #[test]
    fn considerations_in_words() {
        let c = ConsiderationModel::Percent {
            rate: Decimal::from_str("2.5").unwrap(),
            limits: vec![LimitModel {
                kind: LimitKind::Cap,
                amount: m("1000000", "USD"),
                per_year: true,
            }],
        };
        assert_eq!(
            consideration_phrase(&c),
            "a running royalty of 2.5% of net sales, capped at USD 1,000,000 per year"
        );
        let c = ConsiderationModel::LumpSum {
            amount: m("2500000", "USD"),
            due: Some(d("2026-03-31")),
        };
        assert_eq!(
            consideration_phrase(&c),
            "a lump sum of USD 2,500,000, payable on 31 March 2026"
        );
    }
}
