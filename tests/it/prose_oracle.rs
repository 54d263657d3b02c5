//! The prose against the query evaluator, both ways.
//!
//! Each case is a small random agreement written as `.xlic` text: 2–4 parties, some
//! with one or two affiliates; 1–3 patent families, each owned by one party, with
//! national or EP patents expiring at different dates in a few countries, and sometimes
//! know-how; a fields tree of 4–6 labelled nodes; 1–4 grants from an asset's owner to
//! another party or an affiliate (sometimes `and affiliates`), with random rights,
//! fields (with `except`), territories (lists, `worldwide except`, `EU`, `EU + …`, a
//! territory group), dated or `until expiry` terms and every exclusivity; sunset
//! clauses with a wind-down and/or `survives license`; an agreement term of some years
//! (which cuts licenses that run on), perpetual or until expiry.
//!
//! A case that compiles with an error other than E0203 (a license its agreement cuts
//! short: reported, and rendered and evaluated all the same) is skipped and counted.
//! For the others the test checks, from [`xlic::emit::prose::statements`] (the
//! structure each grant sentence and wind-down paragraph is written from):
//!
//! 1. the statement is the clause the generator wrote: its licensees, rights and the
//!    field nodes it covers;
//! 2. the Markdown clause it comes from says its words: the clause number, the rights
//!    in words, each licensee's legal name (grants), each field group's label, and each
//!    period's first and last day as the prose writes dates;
//! 3. (a) every point inside a statement — each party it reaches, asset, right,
//!    covered field node and named country of the domain, on the first, middle and
//!    last day of each period — is permitted by the evaluator (`permit`, or
//!    `no_license_needed` where no patent is in force there then);
//! 4. (b) every sampled point (party × asset × right × field × country × day) that the
//!    evaluator permits to someone other than the asset's owner, because of a grant or
//!    its wind-down, lies inside a statement of the grant the evaluator cites.
//!
//! A failure prints the seed, the point, and the source shrunk to the fewest grants
//! that still fail. `XLIC_PROSE_ORACLE_CASES=N` and `XLIC_PROSE_ORACLE_SEED=S` run
//! more or other cases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use xlic::date::Date;
use xlic::emit::prose::{self, Statement, StatementKind};
use xlic::query::{Decision, Evaluator, ReasonKind, Request};
use xlic::vocab::{Purpose, Right};
use xlic_testkit::Rng;

/// The countries points are asked about (GB is outside the EU; KR is named by some
/// territories but never asked about).
const COUNTRIES: [&str; 5] = ["DE", "FR", "US", "JP", "GB"];
const PARTY_NAMES: [&str; 4] = ["acme", "globex", "initech", "umbrella"];
const FIELD_NAMES: [&str; 6] = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

// ------------------------------------------------------------------ the case

struct Party {
    id: String,
    legal: String,
    /// The party this one is an affiliate of.
    parent: Option<usize>,
}

struct Patent {
    number: String,
    countries: Vec<&'static str>,
    /// `EP` numbers name their countries.
    ep: bool,
    expires: Date,
}

struct Asset {
    id: String,
    owner: usize,
    /// `None`: know-how.
    patents: Option<Vec<Patent>>,
}

struct Field {
    name: &'static str,
    parent: Option<usize>,
}

#[derive(Clone)]
enum Territory {
    List(Vec<&'static str>),
    Worldwide(Vec<&'static str>),
    Eu,
    EuPlus(&'static str),
    Core,
}

impl Territory {
    fn text(&self) -> String {
        match self {
            Territory::List(l) => format!("[{}]", l.join(", ")),
            Territory::Worldwide(l) if l.is_empty() => "worldwide".into(),
            Territory::Worldwide(l) => format!("worldwide except [{}]", l.join(", ")),
            Territory::Eu => "EU".into(),
            Territory::EuPlus(c) => format!("EU + [{c}]"),
            Territory::Core => "core".into(),
        }
    }
}

#[derive(Clone)]
enum Term {
    Dated(Date, Date),
    /// `term [START] until expiry`.
    UntilExpiry(Option<Date>),
    /// `term START perpetual`.
    Perpetual(Date),
}

/// What a grant-like clause is (issue 15).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Grant,
    /// `covenant ID: A -> B { … }`: a covenant not to sue.
    Covenant,
    /// `release ID: A -> B { … before DATE }`: the acts done before the date.
    Release(Date),
}

#[derive(Clone)]
struct Grant {
    form: Form,
    /// `purpose …`; `None`: every purpose.
    purposes: Option<Vec<Purpose>>,
    id: String,
    licensor: usize,
    /// The licensee; in a pool, `-> members` (every other party) when `members`.
    licensee: usize,
    members: bool,
    affiliates: bool,
    assets: Vec<usize>,
    /// `None`: every right.
    rights: Option<Vec<Right>>,
    /// `None`: `all`.
    fields: Option<Vec<usize>>,
    except: Option<usize>,
    territory: Territory,
    term: Term,
    exclusivity: &'static str,
    /// `royalty N% of net sales` (pools: a term their paragraphs may differ in).
    royalty: Option<u32>,
    wind_down: Option<u32>,
    survives: bool,
}

#[derive(Clone, Copy)]
enum AgreementTerm {
    Years(i64),
    Perpetual,
    UntilExpiry,
}

struct Case {
    /// `kind pool`: the grants are `-> members` (issue 18).
    pool: bool,
    parties: Vec<Party>,
    assets: Vec<Asset>,
    fields: Vec<Field>,
    effective: Date,
    term: AgreementTerm,
    grants: Vec<Grant>,
}

fn label(name: &str) -> String {
    let mut c = name.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('?');
    format!("{first}{} Products", c.as_str())
}

impl Case {
    fn path(&self, i: usize) -> String {
        match self.fields[i].parent {
            Some(p) => format!("{}.{}", self.path(p), self.fields[i].name),
            None => self.fields[i].name.to_string(),
        }
    }

    fn under(&self, mut i: usize, ancestor: usize) -> bool {
        loop {
            if i == ancestor {
                return true;
            }
            match self.fields[i].parent {
                Some(p) => i = p,
                None => return false,
            }
        }
    }

    fn field_index(&self, path: &str) -> usize {
        (0..self.fields.len())
            .find(|&i| self.path(i) == path)
            .unwrap_or_else(|| panic!("the prose names an unknown field `{path}`"))
    }

    /// The parties of a pool: the parties that are not affiliates.
    fn members(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&p| self.parties[p].parent.is_none())
            .collect()
    }

    /// The licensees a grant names: its licensee, or every other member.
    fn licensees(&self, g: &Grant) -> Vec<usize> {
        if g.members {
            self.members()
                .into_iter()
                .filter(|&p| p != g.licensor)
                .collect()
        } else {
            vec![g.licensee]
        }
    }

    /// The parties a license to `licensee` reaches.
    fn reach(&self, licensee: usize, affiliates: bool) -> Vec<usize> {
        let mut out = vec![licensee];
        if affiliates {
            out.extend(
                (0..self.parties.len()).filter(|&p| self.parties[p].parent == Some(licensee)),
            );
        }
        out
    }

    fn party_index(&self, id: &str) -> usize {
        self.parties
            .iter()
            .position(|p| p.id == id)
            .unwrap_or_else(|| panic!("the prose names an unknown party `{id}`"))
    }

    fn fields_block(&self, parent: Option<usize>, depth: usize, out: &mut String) {
        for (i, f) in self.fields.iter().enumerate() {
            if f.parent != parent {
                continue;
            }
            let pad = "  ".repeat(depth);
            let _ = write!(out, "{pad}{} \"{}\"", f.name, label(f.name));
            if self.fields.iter().any(|c| c.parent == Some(i)) {
                out.push_str(" {\n");
                self.fields_block(Some(i), depth + 1, out);
                let _ = writeln!(out, "{pad}}}");
            } else {
                out.push('\n');
            }
        }
    }

    fn source(&self) -> String {
        let mut s = String::new();
        let term = match self.term {
            AgreementTerm::Years(n) => format!("{n} years"),
            AgreementTerm::Perpetual => "perpetual".into(),
            AgreementTerm::UntilExpiry => "until expiry".into(),
        };
        let kind = if self.pool {
            let ids: Vec<&str> = self
                .members()
                .into_iter()
                .map(|p| self.parties[p].id.as_str())
                .collect();
            format!("kind pool\n  parties {}", ids.join(", "))
        } else {
            "kind license".to_string()
        };
        let _ = writeln!(
            s,
            "agreement \"Random Cross-License\" {{\n  effective {}\n  term {term}\n  {kind}\n}}\n",
            self.effective
        );
        for (i, p) in self.parties.iter().enumerate() {
            if p.parent.is_some() {
                continue;
            }
            let _ = write!(s, "party {} \"{}\"", p.id, p.legal);
            let affiliates: Vec<&Party> = self
                .parties
                .iter()
                .filter(|a| a.parent == Some(i))
                .collect();
            if affiliates.is_empty() {
                s.push('\n');
            } else {
                s.push_str(" {\n");
                for a in affiliates {
                    let _ = writeln!(s, "  affiliate {} \"{}\"", a.id, a.legal);
                }
                s.push_str("}\n");
            }
        }
        s.push_str("\nterritory core = [DE, US]\n\nfields {\n");
        self.fields_block(None, 1, &mut s);
        s.push_str("}\n\n");
        for a in &self.assets {
            let owner = &self.parties[a.owner].id;
            match &a.patents {
                None => {
                    let _ = writeln!(s, "asset {}: know-how of {owner}", a.id);
                }
                Some(list) => {
                    let _ = writeln!(s, "asset {}: patent family of {owner} {{", a.id);
                    for p in list {
                        let _ = write!(s, "  patent \"{}\" expires {}", p.number, p.expires);
                        if p.ep {
                            let _ = write!(s, " in [{}]", p.countries.join(", "));
                        }
                        s.push('\n');
                    }
                    s.push_str("}\n");
                }
            }
        }
        s.push('\n');
        for g in &self.grants {
            s.push_str(&self.grant_source(g));
        }
        s
    }

    fn grant_source(&self, g: &Grant) -> String {
        let mut s = String::new();
        let keyword = match g.form {
            Form::Grant => "grant",
            Form::Covenant => "covenant",
            Form::Release(_) => "release",
        };
        let _ = writeln!(
            s,
            "{keyword} {}: {} -> {}{} {{",
            g.id,
            self.parties[g.licensor].id,
            if g.members {
                "members"
            } else {
                self.parties[g.licensee].id.as_str()
            },
            if g.affiliates { " and affiliates" } else { "" }
        );
        let assets: Vec<&str> = g
            .assets
            .iter()
            .map(|&a| self.assets[a].id.as_str())
            .collect();
        let _ = writeln!(s, "  assets {}", assets.join(", "));
        if let Some(r) = &g.rights {
            let words: Vec<&str> = r.iter().map(|x| x.keyword()).collect();
            let _ = writeln!(s, "  rights {}", words.join(", "));
        }
        let fields = match &g.fields {
            None => "all".to_string(),
            Some(l) => l
                .iter()
                .map(|&i| self.path(i))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let except = g
            .except
            .map(|e| format!(" except {}", self.path(e)))
            .unwrap_or_default();
        let _ = writeln!(s, "  field {fields}{except}");
        let _ = writeln!(s, "  territory {}", g.territory.text());
        if let Some(p) = &g.purposes {
            let words: Vec<&str> = p.iter().map(|x| x.keyword()).collect();
            let _ = writeln!(s, "  purpose {}", words.join(", "));
        }
        match g.term {
            // A covenant has a grant's term; a release has `before` and no term.
            _ if matches!(g.form, Form::Release(_)) => {}
            Term::Dated(a, b) => {
                let _ = writeln!(s, "  term {a} until {b}");
            }
            Term::UntilExpiry(None) => s.push_str("  term until expiry\n"),
            Term::UntilExpiry(Some(a)) => {
                let _ = writeln!(s, "  term {a} until expiry");
            }
            Term::Perpetual(a) => {
                let _ = writeln!(s, "  term {a} perpetual");
            }
        }
        match g.form {
            Form::Grant => {
                let _ = writeln!(s, "  {}", g.exclusivity);
            }
            Form::Covenant => {}
            Form::Release(before) => {
                let _ = writeln!(s, "  before {before}");
            }
        }
        if let Some(r) = g.royalty {
            let _ = writeln!(s, "  royalty {r}% of net sales");
        }
        s.push_str("}\n");
        let mut sunset = Vec::new();
        if let Some(n) = g.wind_down {
            sunset.push(format!("wind down {n} days"));
        }
        if g.survives {
            sunset.push("survives license".to_string());
        }
        if !sunset.is_empty() {
            let _ = writeln!(s, "sunset {} {{ {} }}", g.id, sunset.join("  "));
        }
        s
    }

    /// The field nodes a grant covers, as the generator meant them.
    fn grant_fields(&self, g: &Grant) -> BTreeSet<usize> {
        (0..self.fields.len())
            .filter(|&i| {
                g.fields
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|&f| self.under(i, f)))
                    && g.except.is_none_or(|e| !self.under(i, e))
            })
            .collect()
    }

    /// The field nodes a statement covers, read from its groups.
    fn statement_fields(&self, s: &Statement) -> BTreeSet<usize> {
        let groups: Vec<(usize, Vec<usize>)> = s
            .fields
            .iter()
            .map(|g| {
                (
                    self.field_index(&g.field),
                    g.excluding.iter().map(|e| self.field_index(e)).collect(),
                )
            })
            .collect();
        (0..self.fields.len())
            .filter(|&i| {
                groups
                    .iter()
                    .any(|(f, ex)| self.under(i, *f) && !ex.iter().any(|e| self.under(i, *e)))
            })
            .collect()
    }

    /// Days worth asking about: every date the case names, the durations after them,
    /// the day before each, and a day between each two.
    fn days(&self) -> Vec<Date> {
        let mut b = BTreeSet::new();
        b.insert(self.effective);
        if let AgreementTerm::Years(n) = self.term {
            b.extend(self.effective.add_years(n));
        }
        for a in &self.assets {
            for p in a.patents.iter().flatten() {
                b.insert(p.expires);
            }
        }
        let mut ends = b.clone();
        for g in &self.grants {
            match g.term {
                Term::Dated(x, y) => {
                    b.insert(x);
                    b.insert(y);
                    ends.insert(y);
                }
                Term::UntilExpiry(x) => {
                    b.extend(x);
                }
                Term::Perpetual(x) => {
                    b.insert(x);
                }
            }
            if let Form::Release(before) = g.form {
                b.insert(before);
                ends.insert(before);
            }
        }
        for g in &self.grants {
            for e in &ends {
                b.extend(g.wind_down.and_then(|n| e.add_days(i64::from(n))));
            }
        }
        let bounds: Vec<Date> = b.into_iter().collect();
        let mut out: BTreeSet<Date> = BTreeSet::new();
        for w in bounds.windows(2) {
            out.extend(w[0].add_days(i64::from((w[1].days() - w[0].days()) / 2)));
        }
        for d in &bounds {
            out.insert(*d);
            out.extend(d.pred());
        }
        out.into_iter().collect()
    }
}

// ------------------------------------------------------------------ the generator

fn date_in(rng: &mut Rng, from: Date, days: usize) -> Date {
    from.add_days(rng.range(0, days) as i64).unwrap()
}

fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let mut parties = Vec::new();
    for name in PARTY_NAMES.iter().take(rng.range(2, 4)) {
        let index = parties.len();
        parties.push(Party {
            id: name.to_string(),
            legal: format!("{} Corporation", label(name).replace(" Products", "")),
            parent: None,
        });
        for (suffix, country) in [("uk", "UK Ltd"), ("de", "GmbH")]
            .iter()
            .take(rng.range(0, 2))
        {
            parties.push(Party {
                id: format!("{name}_{suffix}"),
                legal: format!("{} {country}", label(name).replace(" Products", "")),
                parent: Some(index),
            });
        }
    }
    let top: Vec<usize> = (0..parties.len())
        .filter(|&p| parties[p].parent.is_none())
        .collect();

    let effective = Date::from_ymd(rng.range(2025, 2027) as i32, 1, 1).unwrap();
    let term = match rng.range(0, 9) {
        0..=5 => AgreementTerm::Years(rng.range(4, 10) as i64),
        6 | 7 => AgreementTerm::Perpetual,
        _ => AgreementTerm::UntilExpiry,
    };

    let mut number = 100_000 + (seed % 1000) * 1000;
    let mut assets = Vec::new();
    for k in 0..rng.range(1, 3) {
        let owner = *rng.pick(&top);
        let mut patents = Vec::new();
        for _ in 0..rng.range(1, 3) {
            number += rng.range(1, 97) as u64;
            let expires = date_in(&mut rng, effective.add_years(1).unwrap(), 13 * 365);
            if rng.chance(25) {
                let mut countries: Vec<&'static str> = rng.subset(&["DE", "FR", "GB"]);
                if countries.is_empty() {
                    countries.push("DE");
                }
                patents.push(Patent {
                    number: format!("EP {number}"),
                    countries,
                    ep: true,
                    expires,
                });
            } else {
                let c = *rng.pick(&["DE", "FR", "US", "JP", "GB"]);
                patents.push(Patent {
                    number: format!("{c} {number}"),
                    countries: vec![c],
                    ep: false,
                    expires,
                });
            }
        }
        assets.push(Asset {
            id: format!("fam{k}"),
            owner,
            patents: Some(patents),
        });
    }
    if rng.chance(35) {
        let owner = *rng.pick(&top);
        assets.push(Asset {
            id: "recipes".into(),
            owner,
            patents: None,
        });
    }

    // Node `i` hangs under one of the nodes before it, or (one time in `i + 1`) at the top.
    let count = rng.range(4, 6);
    let fields: Vec<Field> = FIELD_NAMES[..count]
        .iter()
        .enumerate()
        .map(|(i, name)| Field {
            name,
            parent: Some(rng.below(i + 1)).filter(|&p| p < i),
        })
        .collect();

    let mut case = Case {
        pool: rng.chance(25),
        parties,
        assets,
        fields,
        effective,
        term,
        grants: Vec::new(),
    };
    for k in 0..rng.range(1, 4) {
        let mut grant = generate_grant(&mut rng, &case, k);
        if case.pool {
            // A pool's grants go to every other member, non-exclusively (E0311), and
            // mostly share their terms with the first grant, so that the prose states
            // them once (issue 18); some keep their own fields, term or royalty.
            grant.members = true;
            grant.form = Form::Grant;
            grant.exclusivity = "non-exclusive";
            grant.affiliates = rng.chance(50);
            grant.survives = rng.chance(50);
            if let Some(first) = case.grants.first().filter(|_| rng.chance(75)) {
                grant.rights = first.rights.clone();
                grant.territory = first.territory.clone();
                grant.affiliates = first.affiliates;
                if rng.chance(60) {
                    grant.fields = first.fields.clone();
                    grant.except = first.except;
                }
                if rng.chance(60) {
                    grant.term = first.term.clone();
                }
                // The same survival and mostly the same wind-down, so that the prose
                // states the sunsets once for all the licenses, with the wind-downs
                // that differ as exceptions (issue 18).
                grant.survives = first.survives;
                if rng.chance(60) {
                    grant.wind_down = first.wind_down;
                }
            }
            grant.royalty = rng.chance(60).then(|| rng.range(1, 4) as u32);
        }
        case.grants.push(grant);
    }
    case
}

fn generate_grant(rng: &mut Rng, case: &Case, k: usize) -> Grant {
    let licensor = case.assets[rng.below(case.assets.len())].owner;
    let own: Vec<usize> = (0..case.assets.len())
        .filter(|&a| case.assets[a].owner == licensor)
        .collect();
    let mut assets: Vec<usize> = own.iter().copied().filter(|_| rng.chance(60)).collect();
    if assets.is_empty() {
        assets.push(*rng.pick(&own));
    }
    let others: Vec<usize> = (0..case.parties.len())
        .filter(|&p| p != licensor && case.parties[p].parent != Some(licensor))
        .collect();
    let licensee = *rng.pick(&others);
    let has_affiliates = case.parties.iter().any(|p| p.parent == Some(licensee));
    let affiliates = has_affiliates && rng.chance(50);
    let rights = if rng.chance(25) {
        None
    } else {
        let mut r: Vec<Right> = rng.subset(&Right::ALL);
        if r.is_empty() {
            r.push(*rng.pick(&[Right::Make, Right::Sell, Right::Distribute]));
        }
        Some(r)
    };
    let n = case.fields.len();
    let (fields, except) = if rng.chance(15) {
        let non_roots: Vec<usize> = (0..n)
            .filter(|&i| case.fields[i].parent.is_some())
            .collect();
        let except = (!non_roots.is_empty() && rng.chance(50)).then(|| *rng.pick(&non_roots));
        (None, except)
    } else {
        let mut l = vec![rng.below(n)];
        let other = rng.below(n);
        if rng.chance(30) && !case.under(other, l[0]) && !case.under(l[0], other) {
            l.push(other);
        }
        let below: Vec<usize> = (0..n)
            .filter(|&i| i != l[0] && case.under(i, l[0]))
            .collect();
        let except = (!below.is_empty() && rng.chance(40)).then(|| *rng.pick(&below));
        (Some(l), except)
    };
    let territory = match rng.range(0, 9) {
        0..=3 => {
            // One country for sure, others by chance, and KR (never asked about) now and then.
            let first = rng.below(COUNTRIES.len());
            let mut l: Vec<&'static str> = COUNTRIES
                .iter()
                .enumerate()
                .filter(|&(i, _)| i == first || rng.chance(40))
                .map(|(_, c)| *c)
                .collect();
            l.extend(rng.chance(20).then_some("KR"));
            Territory::List(l)
        }
        4..=5 => Territory::Worldwide(rng.subset(&["FR", "JP", "GB"])),
        6 => Territory::Eu,
        7 => Territory::EuPlus(["US", "JP"][rng.below(2)]),
        _ => Territory::Core,
    };
    let term = if rng.chance(55) {
        let start = date_in(rng, case.effective, 3 * 365);
        let end = date_in(rng, start.add_days(200).unwrap(), 8 * 365);
        Term::Dated(start, end)
    } else if rng.chance(15) {
        Term::Perpetual(date_in(rng, case.effective, 2 * 365))
    } else if rng.chance(50) {
        Term::UntilExpiry(None)
    } else {
        Term::UntilExpiry(Some(date_in(rng, case.effective, 2 * 365)))
    };
    let exclusivity = *rng.pick(&[
        "non-exclusive",
        "non-exclusive",
        "non-exclusive",
        "exclusive",
        "sole",
    ]);
    // Now and then a covenant not to sue or a release (no exclusivity, no wind-down),
    // and a `purpose` line (issue 15).
    let form = match rng.range(0, 9) {
        0 => Form::Covenant,
        1 => Form::Release(date_in(rng, case.effective, 3 * 365)),
        _ => Form::Grant,
    };
    let purposes = rng.chance(30).then(|| {
        let mut p: Vec<Purpose> = rng.subset(&Purpose::ALL);
        if p.is_empty() {
            p.push(*rng.pick(&Purpose::ALL));
        }
        p
    });
    let plain = form == Form::Grant;
    Grant {
        form,
        purposes,
        id: format!("g{k}"),
        licensor,
        licensee,
        // A covenant or a release names its covenantee alone (`and customers` only).
        affiliates: affiliates && plain,
        assets,
        rights,
        fields,
        except,
        territory,
        term,
        exclusivity: if plain { exclusivity } else { "non-exclusive" },
        members: false,
        royalty: None,
        wind_down: rng
            .chance(45)
            .then(|| rng.range(30, 400) as u32)
            .filter(|_| plain),
        survives: rng.chance(25) && plain,
    }
}

// ------------------------------------------------------------------ the checks

/// The words of a right as the prose writes it.
fn right_words(r: Right) -> &'static str {
    match r {
        Right::Offer => "offer for sale",
        other => other.keyword(),
    }
}

fn rights_words(rights: &[Right]) -> String {
    let words: Vec<&str> = rights.iter().map(|r| right_words(*r)).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A date as a contract writes it: "1 January 2026".
fn long(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day} {} {y}", xlic::date::month_name(m).unwrap())
}

/// The clause of `id` in the Markdown: its paragraph and the ones under it. A pool's
/// grant stated in a lettered paragraph of its group's clause (issue 18) is that
/// paragraph alone, after the shared sentence of the clause (its first line).
fn clause_text(md: &str, id: &str) -> Option<String> {
    let marker = format!("`[{id}]`");
    let start = md.find(&marker)?;
    let line = md[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &md[line..];
    if !rest.starts_with("  **(") {
        let end = rest[1..].find("\n**").map_or(rest.len(), |i| i + 1);
        return Some(rest[..end].to_string());
    }
    let end = [rest[1..].find("\n**"), rest[1..].find("\n  **(")]
        .into_iter()
        .flatten()
        .min()
        .map_or(rest.len(), |i| i + 1);
    let shared = md[..line].lines().rev().find(|l| l.starts_with("**"))?;
    Some(format!("{shared}\n{}", &rest[..end]))
}

/// Whether a list of clause references ("the licenses of Clauses 2.1(a), 2.1(b) and 2.2")
/// names clause `number`.
fn names_clause(refs: &str, number: &str) -> bool {
    refs.split_whitespace()
        .any(|w| w.trim_end_matches([',', '.', ':']) == number)
}

/// The words that give a clause's number: `**2.1**`, or `**2.1**` and `**(a)**` for a
/// lettered paragraph of a pool's clause.
fn number_words(number: &str) -> Vec<String> {
    match number.split_once('(') {
        Some((clause, letter)) => vec![format!("**{clause}**"), format!("**({letter}**")],
        None => vec![format!("**{number}**")],
    }
}

/// One disagreement: what failed, and the point (a request) where it did.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    what: String,
    point: Option<String>,
}

#[derive(Default)]
struct Stats {
    cases: usize,
    skipped: BTreeMap<String, usize>,
    statements: BTreeMap<&'static str, usize>,
    inside: usize,
    inside_permit: usize,
    sampled: usize,
    granted: usize,
}

/// One point of the domain.
#[derive(Clone, Copy)]
struct Point {
    party: usize,
    asset: usize,
    right: Right,
    field: usize,
    country: &'static str,
    day: Date,
    /// `--purpose`; `None`: any purpose (which only a clause without a `purpose` line
    /// covers).
    purpose: Option<Purpose>,
}

fn request(case: &Case, p: &Point) -> Request {
    Request {
        licensee: case.parties[p.party].id.clone(),
        asset: case.assets[p.asset].id.clone(),
        right: p.right.keyword().to_string(),
        field: case.path(p.field),
        territory: p.country.to_string(),
        date: p.day.to_string(),
        purpose: p.purpose.map(|x| x.keyword().to_string()),
        affiliate: None,
    }
}

/// The days of a period to ask about: its first, a middle and its last (none when it
/// ends before it starts: an `until expiry` license whose patents expire before its
/// start states such a period).
fn period_days(start: Date, end: Option<Date>) -> Vec<Date> {
    if end.is_some_and(|e| e <= start) {
        return Vec::new();
    }
    let last = end
        .and_then(|e| e.pred())
        .unwrap_or(start.add_years(30).unwrap());
    let mid = start
        .add_days(i64::from((last.days() - start.days()) / 2))
        .unwrap();
    let mut v = vec![start, mid, last];
    v.dedup();
    v
}

/// Whether a statement covers a point.
fn covers(case: &Case, s: &Statement, p: &Point) -> bool {
    let reaches = s.licensees.iter().any(|l| {
        case.reach(case.party_index(l), s.affiliates)
            .contains(&p.party)
    });
    reaches
        && s.assets.contains(&case.assets[p.asset].id)
        && s.rights.contains(&p.right)
        && case.statement_fields(s).contains(&p.field)
        && match p.purpose {
            Some(x) => s.purposes.contains(&x),
            None => s.purposes.len() == Purpose::ALL.len(),
        }
        && s.periods.iter().any(|x| {
            x.countries.contains(&p.country) && x.start <= p.day && x.end.is_none_or(|e| p.day < e)
        })
}

/// Checks one case; `None` when it does not compile cleanly enough to be judged.
fn check(case: &Case, seed: u64, stats: &mut Stats) -> Option<Vec<Failure>> {
    let text = case.source();
    let c = xlic::compile_text("random.xlic", &text);
    let errors: BTreeSet<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code.to_string() != "E0203")
        .map(|d| d.code.to_string())
        .collect();
    if !errors.is_empty() {
        for e in errors {
            *stats.skipped.entry(e).or_default() += 1;
        }
        return None;
    }
    stats.cases += 1;
    let mut failures = Vec::new();
    let mut fail = |what: String, point: Option<&Request>| {
        failures.push(Failure {
            what,
            point: point.map(|r| serde_json::to_string(r).unwrap_or_default()),
        });
    };
    let statements = prose::statements(&c.model, &c.ledger, &c.sources);
    let md = prose::markdown(&c.model, &c.ledger, &c.sources);
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let ev = Evaluator::new(&policy).expect("the evaluator reads the policy");
    let ask = |req: &Request| ev.evaluate(req).expect("a request of the domain");

    // Every grant has its sentence.
    for g in &case.grants {
        if !statements
            .iter()
            .any(|s| s.kind != StatementKind::WindDown && s.grant == g.id)
        {
            fail(format!("grant `{}` has no statement", g.id), None);
        }
    }
    let mut rng = Rng::new(seed ^ 0xA5A5);
    for s in &statements {
        *stats
            .statements
            .entry(
                if s.kind == StatementKind::WindDown && s.clause.starts_with("sunset members") {
                    "pool wind-down"
                } else if s.kind == StatementKind::WindDown {
                    "wind-down"
                } else if s.kind == StatementKind::Covenant {
                    "covenant"
                } else if s.kind == StatementKind::Release {
                    "release"
                } else if s.purposes.len() < Purpose::ALL.len() {
                    "purpose-limited"
                } else if s.number.contains('(') {
                    "pool paragraph"
                } else {
                    "grant"
                },
            )
            .or_default() += 1;
        let Some(g) = case.grants.iter().find(|g| g.id == s.grant) else {
            fail(
                format!("statement of `{}`, a grant the source has not", s.clause),
                None,
            );
            continue;
        };
        // 1. The statement is the clause the generator wrote.
        let mut licensees: Vec<&str> = s.licensees.iter().map(String::as_str).collect();
        licensees.sort_unstable();
        let mut written: Vec<&str> = case
            .licensees(g)
            .into_iter()
            .map(|p| case.parties[p].id.as_str())
            .collect();
        written.sort_unstable();
        // Without a `rights` line: the patent rights under patent families only, all
        // ten once know-how is among the assets (the union of each kind's default).
        let know_how = g.assets.iter().any(|&a| case.assets[a].patents.is_none());
        let default = if know_how {
            Right::ALL.to_vec()
        } else {
            Right::PATENT.to_vec()
        };
        let rights: BTreeSet<Right> = g.rights.clone().unwrap_or(default).into_iter().collect();
        let said: BTreeSet<Right> = s.rights.iter().copied().collect();
        let expected_rights: BTreeSet<Right> = match s.kind {
            StatementKind::Grant | StatementKind::Covenant | StatementKind::Release => rights,
            StatementKind::WindDown => rights
                .into_iter()
                .filter(|r| matches!(r, Right::Sell | Right::Offer | Right::Distribute))
                .collect(),
        };
        let kind = match g.form {
            Form::Grant => StatementKind::Grant,
            Form::Covenant => StatementKind::Covenant,
            Form::Release(_) => StatementKind::Release,
        };
        let purposes: BTreeSet<Purpose> = g
            .purposes
            .clone()
            .unwrap_or(Purpose::ALL.to_vec())
            .into_iter()
            .collect();
        if licensees != written
            || (s.kind != StatementKind::WindDown && s.kind != kind)
            || s.purposes.iter().copied().collect::<BTreeSet<_>>() != purposes
            || s.affiliates != g.affiliates
            || said != expected_rights
            || case.statement_fields(s) != case.grant_fields(g)
        {
            fail(
                format!("statement `{}` is not the clause written: {s:?}", s.clause),
                None,
            );
            continue;
        }
        // 2. The Markdown says its words.
        let Some(clause) = clause_text(&md, &s.clause) else {
            fail(format!("the Markdown has no clause `[{}]`", s.clause), None);
            continue;
        };
        // A wind-down stated in a pool's shared sunset clause (issue 18): its words are
        // those of the part of the paragraph that is its license's (the exception that
        // names its grant's clause, else the paragraph's own words), and the paragraph
        // does not say that it does not apply to that license.
        let clause = if s.kind == StatementKind::WindDown && s.clause.starts_with("sunset members")
        {
            let grant_no = statements
                .iter()
                .find(|x| x.kind != StatementKind::WindDown && x.grant == s.grant)
                .map(|x| x.number.clone())
                .unwrap_or_default();
            let Some(para) = clause.lines().find(|l| l.contains("**Wind-down.**")) else {
                fail(
                    format!("clause `{}` has no wind-down:\n{clause}", s.clause),
                    None,
                );
                continue;
            };
            let (said, not_applied) = para
                .split_once(" This paragraph does not apply to ")
                .unwrap_or((para, ""));
            if names_clause(not_applied, &grant_no) {
                fail(
                    format!(
                        "clause `{}` says the wind-down of {grant_no} does not apply:\n{para}",
                        s.clause
                    ),
                    None,
                );
            }
            let mut parts = said.split(" In place of the above, for ");
            let main = parts.next().unwrap_or_default();
            let own = parts.find(|p| {
                p.split_once(':')
                    .is_some_and(|(who, _)| names_clause(who, &grant_no))
            });
            let head = clause.lines().next().unwrap_or_default();
            format!("{head}\n{}", own.unwrap_or(main))
        } else {
            clause
        };
        let mut words = number_words(&s.number);
        words.push(rights_words(&s.rights));
        // A clause limited to some purposes names each ("solely for research purposes").
        if s.purposes.len() < Purpose::ALL.len() {
            words.extend(s.purposes.iter().map(|p| p.keyword().to_string()));
        }
        words.push(
            match s.kind {
                StatementKind::Covenant => "hereby covenants not to sue",
                StatementKind::Release => "hereby releases",
                StatementKind::Grant => "hereby grants",
                StatementKind::WindDown => "",
            }
            .to_string(),
        );
        if s.kind != StatementKind::WindDown {
            // A pool's clause names the other members by their short names.
            words.extend(s.licensees.iter().map(|l| {
                let p = &case.parties[case.party_index(l)];
                if g.members {
                    label(&p.id).replace(" Products", "")
                } else {
                    p.legal.clone()
                }
            }));
            if case.grant_fields(g).len() < case.fields.len() {
                for f in &s.fields {
                    for path in std::iter::once(&f.field).chain(&f.excluding) {
                        words.push(label(case.fields[case.field_index(path)].name));
                    }
                }
            }
        }
        for p in s
            .periods
            .iter()
            .filter(|_| s.kind != StatementKind::Release)
        {
            match p.end {
                // A period that ends before it starts (every licensed patent expired
                // before the license begins) is stated as no period at all.
                Some(e) if e <= p.start => words.push("having expired before".into()),
                Some(e) => words.extend([long(p.start), long(e.pred().unwrap())]),
                None => words.push(long(p.start)),
            }
        }
        // A release states the day its released acts end before, not a period.
        if let Form::Release(before) = g.form {
            words.push(format!("done before {}", long(before)));
        }
        for w in words.into_iter().filter(|w| !w.is_empty()) {
            if !clause.contains(&w) {
                fail(
                    format!("clause `{}` does not say {w:?}:\n{clause}", s.clause),
                    None,
                );
            }
        }
        // 3. (a) Every point inside it is permitted.
        let reach: Vec<usize> = s
            .licensees
            .iter()
            .flat_map(|l| case.reach(case.party_index(l), s.affiliates))
            .collect();
        let fields: Vec<usize> = case.statement_fields(s).into_iter().collect();
        let mut points = Vec::new();
        for p in &s.periods {
            for day in period_days(p.start, p.end) {
                for &country in p.countries.iter().filter(|c| COUNTRIES.contains(c)) {
                    for &party in &reach {
                        for a in &s.assets {
                            let asset = case.assets.iter().position(|x| &x.id == a).unwrap();
                            for &right in &s.rights {
                                for &field in &fields {
                                    // Every purpose the statement names is asked
                                    // about by name; a statement without a purpose
                                    // line also without one.
                                    let purpose = (s.purposes.len() < Purpose::ALL.len())
                                        .then(|| *rng.pick(&s.purposes));
                                    let point = Point {
                                        party,
                                        asset,
                                        right,
                                        field,
                                        country,
                                        day,
                                        purpose,
                                    };
                                    points.push(request(case, &point));
                                }
                            }
                        }
                    }
                }
            }
        }
        if points.len() > 400 {
            rng.shuffle(&mut points);
            points.truncate(400);
        }
        for req in &points {
            stats.inside += 1;
            let answer = ask(req);
            match answer.decision {
                Decision::Permit => stats.inside_permit += 1,
                Decision::NoLicenseNeeded => {}
                Decision::Deny => fail(
                    format!(
                        "clause `{}` says this is licensed, the evaluator denies it: {}",
                        s.clause,
                        serde_json::to_string(&answer.reasons).unwrap_or_default()
                    ),
                    Some(req),
                ),
            }
        }
    }

    // 4. (b) Every permit from a grant is a statement's.
    let days = case.days();
    for _ in 0..2500 {
        // Half the points near a grant: a party it reaches and an asset it licenses.
        let g = &case.grants[rng.below(case.grants.len())];
        let (party, asset) = if rng.chance(50) {
            let licensee = *rng.pick(&case.licensees(g));
            (*rng.pick(&case.reach(licensee, true)), *rng.pick(&g.assets))
        } else {
            (rng.below(case.parties.len()), rng.below(case.assets.len()))
        };
        let point = Point {
            party,
            asset,
            right: *rng.pick(&Right::ALL),
            field: rng.below(case.fields.len()),
            country: COUNTRIES[rng.below(COUNTRIES.len())],
            day: *rng.pick(&days),
            purpose: rng.chance(50).then(|| *rng.pick(&Purpose::ALL)),
        };
        if case.assets[asset].owner == party {
            continue;
        }
        stats.sampled += 1;
        let req = request(case, &point);
        let answer = ask(&req);
        if answer.decision != Decision::Permit {
            continue;
        }
        let grants: BTreeSet<&str> = answer
            .reasons
            .iter()
            .filter(|r| {
                matches!(
                    r.kind,
                    ReasonKind::Granted
                        | ReasonKind::WindDownSellOffOnly
                        | ReasonKind::Covenant
                        | ReasonKind::Released
                )
            })
            .filter_map(|r| r.clause.as_deref())
            .collect();
        if grants.is_empty() {
            fail(
                format!(
                    "the evaluator permits a non-owner without a grant: {:?}",
                    answer.reasons
                ),
                Some(&req),
            );
            continue;
        }
        stats.granted += 1;
        let said = statements
            .iter()
            .any(|s| grants.contains(s.grant.as_str()) && covers(case, s, &point));
        if !said {
            fail(
                format!(
                    "the evaluator permits this under {grants:?}, and no statement of the prose covers it"
                ),
                Some(&req),
            );
        }
    }
    Some(failures)
}

/// The case without the grants that a failure does not need.
fn shrink(case: Case, failure: &Failure, seed: u64) -> Case {
    let mut case = case;
    let mut i = 0;
    while i < case.grants.len() && case.grants.len() > 1 {
        let removed = case.grants.remove(i);
        let still = check(&case, seed, &mut Stats::default()).is_some_and(|f| {
            f.iter()
                .any(|x| x.point == failure.point && x.what == failure.what)
        });
        if !still {
            case.grants.insert(i, removed);
            i += 1;
        }
    }
    case
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn the_prose_and_the_evaluator_agree() {
    let cases = env_u64("XLIC_PROSE_ORACLE_CASES", 300);
    let seed = env_u64("XLIC_PROSE_ORACLE_SEED", 0x9905_E013);
    let mut stats = Stats::default();
    let mut reports = Vec::new();
    let mut failing = 0;
    for n in 0..cases {
        let case_seed = seed.wrapping_add(n);
        let case = generate(case_seed);
        let Some(failures) = check(&case, case_seed, &mut stats) else {
            continue;
        };
        let Some(first) = failures.first().cloned() else {
            continue;
        };
        failing += 1;
        if reports.len() < 3 {
            let small = shrink(case, &first, case_seed);
            reports.push(format!(
                "seed {case_seed} ({} disagreements): {}\n  point: {}\n--- source (shrunk) ---\n{}",
                failures.len(),
                first.what,
                first.point.as_deref().unwrap_or("-"),
                small.source()
            ));
        }
    }
    eprintln!(
        "prose oracle: {} cases judged, skipped {:?}; statements {:?}; (a) {} points inside statements ({} permit, the rest no license needed); (b) {} points sampled, {} permitted by a grant",
        stats.cases, stats.skipped, stats.statements, stats.inside, stats.inside_permit, stats.sampled, stats.granted
    );
    assert!(
        reports.is_empty(),
        "{failing} cases disagree; the first:\n\n{}",
        reports.join("\n\n")
    );
    // The generator reaches what it is meant to.
    assert!(
        stats.cases * 10 >= cases as usize * 6,
        "too many cases skipped: {:?}",
        stats.skipped
    );
    for kind in ["wind-down", "covenant", "release", "purpose-limited"] {
        assert!(
            stats.statements.get(kind).copied().unwrap_or(0) > 20,
            "too few {kind} statements: {:?}",
            stats.statements
        );
    }
    assert!(
        stats.statements.get("pool paragraph").copied().unwrap_or(0) > 20,
        "too few grants stated in a pool's shared clause"
    );
    assert!(
        stats.statements.get("pool wind-down").copied().unwrap_or(0) > 10,
        "too few wind-downs stated in a pool's shared sunset clause"
    );
    assert!(
        stats.inside_permit * 4 > stats.inside,
        "too few permits inside statements"
    );
    assert!(stats.granted > 5_000, "too few permits by grants sampled");
}
