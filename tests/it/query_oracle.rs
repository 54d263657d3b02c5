//! Property test of the query evaluator against a brute-force oracle.
//! (One file of about 820 lines: the generator, the oracle and the comparison are one
//! argument, read together.)
//!
//! Each case is a small random agreement written as `.xlic` text: party `a` owns 1–3
//! patent families (0–2 patents each, in a few of DE, FR, US, JP, expiring 2028–2034),
//! sometimes a know-how asset, and a trade secret that a hard `reserve` fences off; a
//! fields tree of five nodes; 1–5 non-exclusive grants `a -> b|c [and affiliates]`
//! (party `b` has the affiliate `b1`) with random rights, field paths (with optional
//! `except`), territories (lists, `worldwide except`, `EU`), and terms inside the
//! agreement's eight years; optionally a `wind down N days` sunset per grant and a
//! retained `reserve … for a` (which, without exclusive grants, changes only the
//! reason the owner may act: the reservation rather than its ownership).
//!
//! The oracle knows nothing of the compiler or the policy JSON: it reads the generated
//! clauses (the same values the text was printed from) and decides every point of the
//! small domain (party ∈ {a, b, b1, c}, every asset, right ∈ {make, use, sell}, every
//! field node, territory ∈ {DE, FR, US, JP}, every boundary date, the day before it,
//! and one day inside every interval between consecutive boundaries) from LANGUAGE.md
//! §3, §3a and §7:
//!
//! - where no patent of the asset is in force in that country on that date (and the
//!   asset lists patents), no license is needed (`no_license_needed`, with the reason
//!   `patent_not_in_force`), whatever the clauses say;
//! - a hard reservation covering the point denies (`reserved`);
//! - the owner `a` is permitted (`owner`): every grant is non-exclusive;
//! - otherwise the point is permitted iff some grant reaches the party (its licensee,
//!   or an affiliate with `and affiliates`) and covers the asset, right, field and
//!   country, and either the date is in its term `[start, end)`, or the date is in its
//!   wind-down `[end, end + N days)` and the right is `sell`; and in both cases some
//!   patent of the asset is in force in that country on that date (or the asset lists
//!   no patents).
//!
//! Besides the decision, the test checks that the reasons name the right clauses: a
//! permit lists exactly the permitting grants (and `owner`), a denial one reason per
//! grant that reaches the party, of the kind the documented order of checks gives
//! (docs/query.md).
//!
//! `XLIC_QUERY_ORACLE_CASES=N` and `XLIC_QUERY_ORACLE_SEED=S` run more or other cases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use xlic::query::{Answer, Decision, Evaluator, ReasonKind, Request};
use xlic_testkit::Rng;

// ------------------------------------------------------------------ days

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn show(z: i64) -> String {
    let (y, m, d) = civil(z);
    format!("{y:04}-{m:02}-{d:02}")
}

// ------------------------------------------------------------------ the generated case

const COUNTRIES: [&str; 4] = ["DE", "FR", "US", "JP"];
const EU_MEMBERS: [&str; 2] = ["DE", "FR"];
const ALL_RIGHTS: [&str; 10] = [
    "make",
    "have made",
    "use",
    "sell",
    "offer",
    "import",
    "lease",
    "reproduce",
    "modify",
    "distribute",
];
const QUERY_RIGHTS: [&str; 3] = ["make", "use", "sell"];
const FIELD_NAMES: [&str; 5] = ["alpha", "beta", "gamma", "delta", "omega"];

struct Patent {
    /// The countries of the domain it is in force in.
    countries: Vec<&'static str>,
    expires: i64,
}

struct Asset {
    name: String,
    decl: String,
    /// `None`: exists everywhere, always (no patents listed, or not a patent asset).
    patents: Option<Vec<Patent>>,
}

struct Field {
    name: &'static str,
    parent: Option<usize>,
}

#[derive(Clone)]
enum TerritoryExpr {
    List(Vec<&'static str>),
    WorldwideExcept(Vec<&'static str>),
    Eu,
    EuExcept(Vec<&'static str>),
    EuPlus(Vec<&'static str>),
}

impl TerritoryExpr {
    fn text(&self) -> String {
        let list = |l: &[&str]| format!("[{}]", l.join(", "));
        match self {
            TerritoryExpr::List(l) => list(l),
            TerritoryExpr::WorldwideExcept(l) if l.is_empty() => "worldwide".into(),
            TerritoryExpr::WorldwideExcept(l) => format!("worldwide except {}", list(l)),
            TerritoryExpr::Eu => "EU".into(),
            TerritoryExpr::EuExcept(l) => format!("EU except {}", list(l)),
            TerritoryExpr::EuPlus(l) => format!("EU + {}", list(l)),
        }
    }

    /// (named before `except`, removed by `except`) for one country of the domain.
    fn judge(&self, c: &str) -> (bool, bool) {
        let eu = EU_MEMBERS.contains(&c);
        match self {
            TerritoryExpr::List(l) => (l.contains(&c), false),
            TerritoryExpr::WorldwideExcept(l) => (true, l.contains(&c)),
            TerritoryExpr::Eu => (eu, false),
            TerritoryExpr::EuExcept(l) => (eu, l.contains(&c)),
            TerritoryExpr::EuPlus(l) => (eu || l.contains(&c), false),
        }
    }
}

struct Grant {
    id: String,
    licensee: &'static str,
    affiliates: bool,
    assets: Vec<usize>,
    /// `None`: every right.
    rights: Option<Vec<&'static str>>,
    /// `None`: `all`.
    field_include: Option<Vec<usize>>,
    field_except: Option<usize>,
    territory: TerritoryExpr,
    start: i64,
    end: i64,
    wind_down: Option<i64>,
}

struct HardReserve {
    asset: usize,
    named: bool,
    rights: Option<Vec<&'static str>>,
    territory: Option<Vec<&'static str>>,
}

struct Case {
    assets: Vec<Asset>,
    fields: Vec<Field>,
    grants: Vec<Grant>,
    reserve: HardReserve,
    retained: Option<(usize, Vec<&'static str>)>,
    agreement_start: i64,
    agreement_end: i64,
}

impl Case {
    fn path(&self, i: usize) -> String {
        let f = &self.fields[i];
        match f.parent {
            Some(p) => format!("{}.{}", self.path(p), f.name),
            None => f.name.to_string(),
        }
    }

    /// Whether node `i` is `anc` or below it.
    fn under(&self, mut i: usize, anc: usize) -> bool {
        loop {
            if i == anc {
                return true;
            }
            match self.fields[i].parent {
                Some(p) => i = p,
                None => return false,
            }
        }
    }

    fn field_block(&self, parent: Option<usize>, indent: usize, out: &mut String) {
        for (i, f) in self.fields.iter().enumerate() {
            if f.parent != parent {
                continue;
            }
            let pad = "  ".repeat(indent);
            let has_children = self.fields.iter().any(|c| c.parent == Some(i));
            if has_children {
                let _ = writeln!(out, "{pad}{} {{", f.name);
                self.field_block(Some(i), indent + 1, out);
                let _ = writeln!(out, "{pad}}}");
            } else {
                let _ = writeln!(out, "{pad}{}", f.name);
            }
        }
    }

    fn source(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "agreement \"Random\" {{\n  effective {}\n  term 8 years\n  kind license\n}}\n",
            show(self.agreement_start)
        );
        s.push_str("party a \"A Corp\"\nparty b \"B Corp\" { affiliate b1 \"B One Ltd\" }\nparty c \"C Corp\"\n\n");
        s.push_str("fields {\n");
        self.field_block(None, 1, &mut s);
        s.push_str("}\n\n");
        for a in &self.assets {
            s.push_str(&a.decl);
            s.push('\n');
        }
        s.push('\n');
        for g in &self.grants {
            let _ = writeln!(
                s,
                "grant {}: a -> {}{} {{",
                g.id,
                g.licensee,
                if g.affiliates { " and affiliates" } else { "" }
            );
            let names: Vec<&str> = g
                .assets
                .iter()
                .map(|&i| self.assets[i].name.as_str())
                .collect();
            let _ = writeln!(s, "  assets {}", names.join(", "));
            if let Some(r) = &g.rights {
                let _ = writeln!(s, "  rights {}", r.join(", "));
            }
            let inc = match &g.field_include {
                None => "all".to_string(),
                Some(l) => l
                    .iter()
                    .map(|&i| self.path(i))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            match g.field_except {
                Some(e) => {
                    let _ = writeln!(s, "  field {inc} except {}", self.path(e));
                }
                None => {
                    let _ = writeln!(s, "  field {inc}");
                }
            }
            let _ = writeln!(s, "  territory {}", g.territory.text());
            let _ = writeln!(s, "  term {} until {}", show(g.start), show(g.end));
            s.push_str("  non-exclusive\n");
            if g.id.ends_with('1') {
                s.push_str("  royalty 2% of net sales\n");
            }
            s.push_str("}\n");
            if let Some(n) = g.wind_down {
                let _ = writeln!(s, "sunset {} {{ wind down {n} days }}", g.id);
            }
            s.push('\n');
        }
        let r = &self.reserve;
        let mut scope = Vec::new();
        if let Some(rights) = &r.rights {
            scope.push(format!("rights {}", rights.join(", ")));
        }
        if let Some(t) = &r.territory {
            scope.push(format!("territory [{}]", t.join(", ")));
        }
        let _ = write!(
            s,
            "reserve {}{}",
            if r.named { "fence: " } else { "" },
            self.assets[r.asset].name
        );
        if scope.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, " {{ {} }}", scope.join(" "));
        }
        if let Some((asset, countries)) = &self.retained {
            let _ = writeln!(
                s,
                "reserve own_use: {} for a {{ rights make territory [{}] }}",
                self.assets[*asset].name,
                countries.join(", ")
            );
        }
        s
    }
}

fn generate(rng: &mut Rng) -> Case {
    let agreement_start = days(2026, 1, 1);
    let agreement_end = days(2034, 1, 1);
    let mut assets = Vec::new();
    let mut patent_no = 100_000u64;
    let families = rng.range(1, 3);
    for k in 0..families {
        let name = format!("fam{k}");
        let mut decl = format!("asset {name}: patent family of a");
        let count = rng.range(0, 2);
        let mut patents = Vec::new();
        for _ in 0..count {
            patent_no += rng.range(1, 999) as u64;
            let expires = days(
                rng.range(2028, 2034) as i64,
                rng.range(1, 12) as i64,
                rng.range(1, 28) as i64,
            );
            let (number, countries, suffix) = if rng.chance(25) {
                let mut c: Vec<&'static str> = rng.subset(&["DE", "FR"]);
                if c.is_empty() {
                    c.push("FR");
                }
                let mut inlist: Vec<&str> = c.clone();
                inlist.push("GB");
                (
                    format!("EP {patent_no}"),
                    c,
                    format!(" in [{}]", inlist.join(", ")),
                )
            } else {
                let c = *rng.pick(&COUNTRIES);
                (format!("{c} {patent_no}"), vec![c], String::new())
            };
            let _ = write!(
                decl,
                "{}  patent \"{number}\" expires {}{suffix}",
                if patents.is_empty() { " {\n" } else { "\n" },
                show(expires)
            );
            patents.push(Patent { countries, expires });
        }
        if !patents.is_empty() {
            decl.push_str("\n}");
        }
        assets.push(Asset {
            name,
            decl,
            patents: if patents.is_empty() {
                None
            } else {
                Some(patents)
            },
        });
    }
    if rng.chance(40) {
        assets.push(Asset {
            name: "knowhow".into(),
            decl: "asset knowhow: know-how of a".into(),
            patents: None,
        });
    }
    let licensable = assets.len();
    let reserved_asset = assets.len();
    assets.push(Asset {
        name: "crown".into(),
        decl: "asset crown: trade secret of a".into(),
        patents: None,
    });

    // A tree of five nodes: node 0 is a root; each later node hangs under the root
    // level or an earlier node.
    let mut fields = Vec::new();
    for (i, name) in FIELD_NAMES.iter().enumerate() {
        let parent = if i == 0 || rng.chance(25) {
            None
        } else {
            Some(rng.range(0, i - 1))
        };
        fields.push(Field { name, parent });
    }

    let mut case = Case {
        assets,
        fields,
        grants: Vec::new(),
        reserve: HardReserve {
            asset: reserved_asset,
            named: false,
            rights: None,
            territory: None,
        },
        retained: None,
        agreement_start,
        agreement_end,
    };

    let n_grants = rng.range(1, 5);
    for k in 0..n_grants {
        let licensee = if rng.chance(60) { "b" } else { "c" };
        let affiliates = rng.chance(50);
        let mut grant_assets: Vec<usize> = (0..licensable).filter(|_| rng.chance(50)).collect();
        if grant_assets.is_empty() {
            grant_assets.push(rng.range(0, licensable - 1));
        }
        let rights = if rng.chance(30) {
            None
        } else {
            let mut r: Vec<&'static str> = rng.subset(&ALL_RIGHTS);
            if r.is_empty() {
                r.push(*rng.pick(&QUERY_RIGHTS));
            }
            Some(r)
        };
        let n = case.fields.len();
        let (field_include, field_except) = if rng.chance(15) {
            // `all`, perhaps `except` a non-root node.
            let non_roots: Vec<usize> = (0..n)
                .filter(|&i| case.fields[i].parent.is_some())
                .collect();
            let except = if !non_roots.is_empty() && rng.chance(50) {
                Some(*rng.pick(&non_roots))
            } else {
                None
            };
            (None, except)
        } else {
            let mut inc = vec![rng.range(0, n - 1)];
            if rng.chance(30) {
                let other = rng.range(0, n - 1);
                if !inc.contains(&other) {
                    inc.push(other);
                }
            }
            // `except` a strict descendant of the first path named, when it has one.
            let below: Vec<usize> = (0..n)
                .filter(|&i| i != inc[0] && case.under(i, inc[0]))
                .collect();
            let except = if !below.is_empty() && rng.chance(50) {
                Some(*rng.pick(&below))
            } else {
                None
            };
            (Some(inc), except)
        };
        let territory = match rng.range(0, 9) {
            0..=3 => {
                let mut l: Vec<&'static str> = rng.subset(&COUNTRIES);
                if l.is_empty() {
                    l.push(*rng.pick(&COUNTRIES));
                }
                if rng.chance(20) {
                    l.push("GB");
                }
                TerritoryExpr::List(l)
            }
            4..=6 => TerritoryExpr::WorldwideExcept(rng.subset(&COUNTRIES)),
            7 => TerritoryExpr::Eu,
            8 => TerritoryExpr::EuExcept(vec![*rng.pick(&EU_MEMBERS)]),
            _ => TerritoryExpr::EuPlus(vec![*rng.pick(&["US", "JP"])]),
        };
        let y1 = rng.range(2026, 2033) as i64;
        let y2 = rng.range(y1 as usize + 1, 2034) as i64;
        let wind_down = if rng.chance(40) {
            Some(rng.range(1, 400) as i64)
        } else {
            None
        };
        case.grants.push(Grant {
            id: format!("g{k}"),
            licensee,
            affiliates,
            assets: grant_assets,
            rights,
            field_include,
            field_except,
            territory,
            start: days(y1, 1, 1),
            end: days(y2, 1, 1),
            wind_down,
        });
    }

    case.reserve.named = rng.chance(50);
    if rng.chance(50) {
        let mut r: Vec<&'static str> = rng.subset(&QUERY_RIGHTS);
        if r.is_empty() {
            r.push("use");
        }
        case.reserve.rights = Some(r);
    }
    if rng.chance(50) {
        let mut t: Vec<&'static str> = rng.subset(&COUNTRIES);
        if t.is_empty() {
            t.push("JP");
        }
        case.reserve.territory = Some(t);
    }
    if rng.chance(30) {
        let mut t: Vec<&'static str> = rng.subset(&COUNTRIES);
        if t.is_empty() {
            t.push("US");
        }
        case.retained = Some((rng.range(0, licensable - 1), t));
    }
    case
}

// ------------------------------------------------------------------ the oracle

/// What one grant says about one point, in the documented order of checks.
fn grant_verdict(
    case: &Case,
    g: &Grant,
    asset: usize,
    right: &str,
    field: usize,
    country: &str,
    date: i64,
) -> (ReasonKind, bool) {
    if let Some(r) = &g.rights {
        if !r.contains(&right) {
            return (ReasonKind::NotGranted, false);
        }
    }
    let named = g
        .field_include
        .as_ref()
        .is_none_or(|l| l.iter().any(|&i| case.under(field, i)));
    let removed = g.field_except.is_some_and(|e| case.under(field, e));
    if !named {
        return (ReasonKind::NotGranted, false);
    }
    if removed {
        return (ReasonKind::Excepted, false);
    }
    match g.territory.judge(country) {
        (false, _) => return (ReasonKind::NotGranted, false),
        (true, true) => return (ReasonKind::Excepted, false),
        (true, false) => {}
    }
    if date < g.start {
        return (ReasonKind::NotYetInForce, false);
    }
    let in_force = match &case.assets[asset].patents {
        None => true,
        Some(list) => list
            .iter()
            .any(|p| p.countries.contains(&country) && date < p.expires),
    };
    // A wind-down sells off only what was licensed among sell, offer and distribute;
    // a grant with none of them has nothing to wind down.
    let sells = g.rights.as_ref().is_none_or(|r| {
        r.iter()
            .any(|x| ["sell", "offer", "distribute"].contains(x))
    });
    if date >= g.end {
        return match g.wind_down.filter(|_| sells) {
            // In the sell-off period, a patent not in force is the reason that counts.
            Some(n) if date < g.end + n && !in_force => (ReasonKind::PatentNotInForce, false),
            Some(n) if date < g.end + n => (ReasonKind::WindDownSellOffOnly, right == "sell"),
            _ => (ReasonKind::Expired, false),
        };
    }
    if !in_force {
        return (ReasonKind::PatentNotInForce, false);
    }
    (ReasonKind::Granted, true)
}

struct Expected {
    decision: Decision,
    /// The reasons expected: (kind, clause).
    reasons: BTreeSet<(&'static str, Option<String>)>,
}

/// Every reason kind.
const ALL_KINDS: [ReasonKind; 11] = [
    ReasonKind::Granted,
    ReasonKind::Owner,
    ReasonKind::Retained,
    ReasonKind::NotGranted,
    ReasonKind::Excepted,
    ReasonKind::Reserved,
    ReasonKind::ExclusiveToAnother,
    ReasonKind::Expired,
    ReasonKind::NotYetInForce,
    ReasonKind::PatentNotInForce,
    ReasonKind::WindDownSellOffOnly,
];

fn kind_name(k: ReasonKind) -> &'static str {
    match k {
        ReasonKind::Granted => "granted",
        ReasonKind::Owner => "owner",
        ReasonKind::Retained => "retained",
        ReasonKind::NotGranted => "not_granted",
        ReasonKind::Excepted => "excepted",
        ReasonKind::Reserved => "reserved",
        ReasonKind::ExclusiveToAnother => "exclusive_to_another",
        ReasonKind::Expired => "expired",
        ReasonKind::NotYetInForce => "not_yet_in_force",
        ReasonKind::PatentNotInForce => "patent_not_in_force",
        ReasonKind::WindDownSellOffOnly => "wind_down_sell_off_only",
        ReasonKind::OutsidePurpose => "outside_purpose",
        ReasonKind::Covenant => "covenant",
        ReasonKind::Released => "released",
        ReasonKind::PendingApplication => "pending_application",
        ReasonKind::NotAffiliate => "not_affiliate",
    }
}

fn oracle(
    case: &Case,
    party: &str,
    asset: usize,
    right: &str,
    field: usize,
    country: &str,
    date: i64,
) -> Expected {
    let mut reasons = BTreeSet::new();
    let in_force = match &case.assets[asset].patents {
        None => true,
        Some(list) => list
            .iter()
            .any(|p| p.countries.contains(&country) && date < p.expires),
    };
    if !in_force {
        reasons.insert((kind_name(ReasonKind::PatentNotInForce), None));
        return Expected {
            decision: Decision::NoLicenseNeeded,
            reasons,
        };
    }
    let r = &case.reserve;
    if asset == r.asset
        && r.rights.as_ref().is_none_or(|l| l.contains(&right))
        && r.territory.as_ref().is_none_or(|l| l.contains(&country))
        && case.agreement_start <= date
        && date < case.agreement_end
    {
        reasons.insert((
            kind_name(ReasonKind::Reserved),
            r.named.then(|| "fence".to_string()),
        ));
        return Expected {
            decision: Decision::Deny,
            reasons,
        };
    }
    let mut permitting = BTreeSet::new();
    let mut all = BTreeSet::new();
    if party == "a" {
        // The owner's own use; where it keeps the rights with `reserve … for a` (in
        // force for the agreement's term, all fields), the reservation is the reason.
        let retained = case.retained.as_ref().is_some_and(|(ra, countries)| {
            *ra == asset
                && right == "make"
                && countries.contains(&country)
                && case.agreement_start <= date
                && date < case.agreement_end
        });
        if retained {
            permitting.insert((kind_name(ReasonKind::Retained), Some("own_use".to_string())));
        } else {
            permitting.insert((kind_name(ReasonKind::Owner), None));
        }
    }
    for g in &case.grants {
        let reaches = g.licensee == party || (g.affiliates && g.licensee == "b" && party == "b1");
        if !reaches || !g.assets.contains(&asset) {
            continue;
        }
        let (kind, permits) = grant_verdict(case, g, asset, right, field, country, date);
        let reason = (kind_name(kind), Some(g.id.clone()));
        if permits {
            permitting.insert(reason.clone());
        }
        all.insert(reason);
    }
    if !permitting.is_empty() {
        return Expected {
            decision: Decision::Permit,
            reasons: permitting,
        };
    }
    if all.is_empty() {
        all.insert((kind_name(ReasonKind::NotGranted), None));
    }
    Expected {
        decision: Decision::Deny,
        reasons: all,
    }
}

// ------------------------------------------------------------------ the test

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The dates to ask about: every boundary, the day before it, and one day inside each
/// interval between consecutive boundaries (and before the first and after the last).
fn dates(case: &Case) -> Vec<i64> {
    let mut b = BTreeSet::new();
    b.insert(case.agreement_start);
    b.insert(case.agreement_end);
    for g in &case.grants {
        b.insert(g.start);
        b.insert(g.end);
        if let Some(n) = g.wind_down {
            b.insert(g.end + n);
        }
    }
    for a in &case.assets {
        for p in a.patents.iter().flatten() {
            b.insert(p.expires);
        }
    }
    let bounds: Vec<i64> = b.into_iter().collect();
    let mut out = BTreeSet::new();
    out.insert(bounds[0] - 100);
    out.insert(bounds[bounds.len() - 1] + 100);
    for w in bounds.windows(2) {
        out.insert(w[0] + (w[1] - w[0]) / 2);
    }
    for &x in &bounds {
        out.insert(x);
        out.insert(x - 1);
    }
    out.into_iter().collect()
}

#[test]
fn evaluator_agrees_with_the_oracle() {
    let cases = env_u64("XLIC_QUERY_ORACLE_CASES", 200);
    let seed = env_u64("XLIC_QUERY_ORACLE_SEED", 0x51CE_2026);
    for kind in ALL_KINDS {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind_name(kind));
    }
    let started = std::time::Instant::now();
    let mut points = 0u64;
    let mut permits = 0u64;
    let mut kinds_seen = BTreeSet::new();
    let mut failures = Vec::new();
    for n in 0..cases {
        let case_seed = seed.wrapping_add(n);
        let mut rng = Rng::new(case_seed);
        let case = generate(&mut rng);
        let text = case.source();
        let c = xlic::compile_text("random.xlic", &text);
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "case {n} (seed {case_seed}) does not compile:\n{}\n--- source ---\n{text}",
            errors.join("\n")
        );
        let policy = xlic::emit::json::policy(&c.model, &c.sources);
        let ev = Evaluator::new(&policy).expect("evaluator");
        let field_paths: Vec<String> = (0..case.fields.len()).map(|i| case.path(i)).collect();
        for date in dates(&case) {
            let date_text = show(date);
            for party in ["a", "b", "b1", "c"] {
                for (ai, asset) in case.assets.iter().enumerate() {
                    for right in QUERY_RIGHTS {
                        for (fi, field) in field_paths.iter().enumerate() {
                            for country in COUNTRIES {
                                let req = Request {
                                    licensee: party.into(),
                                    asset: asset.name.clone(),
                                    right: right.into(),
                                    field: field.clone(),
                                    territory: country.into(),
                                    date: date_text.clone(),
                                    purpose: None,
                                    affiliate: None,
                                };
                                points += 1;
                                let expected = oracle(&case, party, ai, right, fi, country, date);
                                let answer: Answer = match ev.evaluate(&req) {
                                    Ok(a) => a,
                                    Err(e) => {
                                        failures.push(format!(
                                            "case {n} (seed {case_seed}): {req:?} → error {e}\n--- source ---\n{text}"
                                        ));
                                        continue;
                                    }
                                };
                                let got: BTreeSet<(&'static str, Option<String>)> = answer
                                    .reasons
                                    .iter()
                                    .map(|r| (kind_name(r.kind), r.clause.clone()))
                                    .collect();
                                for r in &answer.reasons {
                                    kinds_seen.insert(kind_name(r.kind));
                                }
                                if answer.decision == Decision::Permit {
                                    permits += 1;
                                }
                                let reasons_ok =
                                    got == expected.reasons && got.len() == answer.reasons.len();
                                if answer.decision != expected.decision || !reasons_ok {
                                    failures.push(format!(
                                        "case {n} (seed {case_seed}): {}\n  request: {}\n  answer:  {}\n  oracle:  {:?} {:?}\n--- source ---\n{text}",
                                        if answer.decision != expected.decision { "DECISION differs" } else { "reasons differ" },
                                        serde_json::to_string(&req).unwrap_or_default(),
                                        serde_json::to_string(&answer).unwrap_or_default(),
                                        expected.decision,
                                        expected.reasons,
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "query oracle: {cases} cases, {points} points ({permits} permits), reason kinds seen {:?}, {:.1?}",
        kinds_seen,
        started.elapsed()
    );
    if !failures.is_empty() {
        let total = failures.len();
        failures.truncate(5);
        panic!(
            "{total} mismatches; the first {}:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
    for kind in ALL_KINDS
        .into_iter()
        .filter(|&k| k != ReasonKind::ExclusiveToAnother)
    {
        assert!(
            kinds_seen.contains(&kind_name(kind)),
            "the generator never produced a `{}` reason",
            kind_name(kind)
        );
    }
}
