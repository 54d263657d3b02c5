//! A deterministic generator of realistic `.xlic` portfolios for the benchmarks.
//! (One file of about 1,800 lines on purpose: most of it is one planner, `Gen`, whose
//! rules for slots, exclusivity and planted conflicts depend on each other; it is
//! included by path from several benches and the Cedar project.)
//!
//! [`portfolio`] writes one cross-license agreement (one file) with a given number of
//! grants over a given number of patent families and parties, and a known number of
//! planted exclusivity conflicts (E0301). Everything else is placed so that no other
//! rule fires:
//!
//! - every party grants something (W0404), and every licensor owns what it grants
//!   (E0303);
//! - each asset has one *exclusive domain*, a top-level field that only its exclusive
//!   and sole grants use. The domain is cut into *slots* (disjoint subtrees × one of
//!   three regions: americas, europe, apac), and each exclusive or sole grant takes a
//!   slot of its own. Non-exclusive grants of the asset stay out of the domain, so
//!   exclusivity, wind-downs and renewals never meet another licensee (E0301, E0307,
//!   W0407);
//! - retained-rights reservations sit outside the exclusive domain or are named in an
//!   `exclusive subject to`; hard reservations sit in unused slots or on trade secrets
//!   nobody licenses (E0301, E0302);
//! - a grant's territory always meets a patent of each of its patent assets that is in
//!   force when the grant starts (W0409), and a running royalty on patents only ends
//!   by the last expiry in the grant's territory (W0408);
//! - no grant is wholly contained in another with the same parties and terms (W0405);
//! - grant-backs cover collaboration, are non-exclusive and end before the licenses
//!   they are tied to (W0401–W0403).
//!
//! The planted conflicts are pairs of exclusive (or exclusive and sole) grants of one
//! patent family to two licensees, in one fresh slot, sharing a country where a patent
//! is in force, with overlapping terms: each pair is exactly one E0301.
//!
//! The PRNG is the shared `xlic_testkit::Rng`, so a seed always gives the same text.

#![allow(dead_code, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::fmt::Write as _;
use xlic_testkit::Rng;

/// A generated portfolio.
pub struct Workload {
    /// The text of the one `.xlic` file.
    pub source: String,
    /// How many E0301 diagnostics the checker must report.
    pub planted_conflicts: usize,
    /// How many grants the file holds.
    pub grants: usize,
    /// The same portfolio as data: what a grant licenses, for benchmarks that express
    /// the workload in another policy language (`benches/cedar/`).
    pub spec: Spec,
}

/// The parties, assets, field tree and grant scopes of a generated portfolio: the data
/// the `.xlic` text is written from. Reservations, sunsets, exclusivity and payment
/// terms are left out (they do not decide whether one grant covers a request).
#[derive(Default)]
pub struct Spec {
    pub parties: Vec<PartySpec>,
    pub assets: Vec<AssetSpec>,
    /// The field tree in pre-order.
    pub fields: Vec<FieldSpec>,
    pub grants: Vec<GrantSpec>,
}

pub struct PartySpec {
    pub name: String,
    pub affiliates: Vec<String>,
}

pub struct AssetSpec {
    pub name: String,
    pub owner: String,
}

pub struct FieldSpec {
    /// The dotted path, which is also the field's id in the policy.
    pub path: String,
    /// Index of the parent node in [`Spec::fields`].
    pub parent: Option<usize>,
    /// One past the last descendant, in pre-order: the subtree is `index..end`.
    pub end: usize,
}

/// One grant's scope.
pub struct GrantSpec {
    pub id: String,
    pub licensor: String,
    pub licensee: String,
    /// `and affiliates`.
    pub affiliates: bool,
    pub assets: Vec<String>,
    /// The rights named; empty when the grant has every right.
    pub rights: Vec<&'static str>,
    /// The field paths named; empty for `all`.
    pub fields: Vec<String>,
    /// The field paths of `except`.
    pub fields_except: Vec<String>,
    /// `worldwide` (then `countries` is empty).
    pub worldwide: bool,
    /// The countries named (groups expanded), when not worldwide.
    pub countries: Vec<&'static str>,
    /// The countries of `worldwide except`.
    pub countries_except: Vec<&'static str>,
    /// First day of the term and the first day after it, as `(year, month, day)`.
    pub start: (u32, u32, u32),
    pub end: (u32, u32, u32),
}

/// Splits a field line the generator wrote (`all except a, b`, `p except p.x`,
/// `a, b` or `p`) into the paths named and the paths excepted.
fn field_parts(text: &str) -> (Vec<String>, Vec<String>) {
    let (named, except) = match text.split_once(" except ") {
        Some((n, e)) => (n, e.split(", ").map(str::to_string).collect()),
        None => (text, Vec::new()),
    };
    let named = if named == "all" {
        Vec::new()
    } else {
        named.split(", ").map(str::to_string).collect()
    };
    (named, except)
}

fn ymd_parts(d: Ymd) -> (u32, u32, u32) {
    (d / 10_000, d / 100 % 100, d % 100)
}

/// The agreement runs from 2026-01-01 for 15 years: grants end by 2041-01-01.
const EFFECTIVE_YEAR: u32 = 2026;
const AGREEMENT_YEARS: u32 = 15;

/// Countries the generator uses (index = bit in a territory mask).
const COUNTRIES: [&str; 30] = [
    "US", "CA", "MX", "BR", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "LU", "AT", "CH", "SE", "DK",
    "FI", "NO", "PL", "IE", "JP", "CN", "KR", "TW", "IN", "AU", "SG", "IL", "ZA", "TR",
];

/// Territory groups declared in the file: (name, codes).
const GROUPS: [(&str, &[&str]); 8] = [
    ("americas", &["US", "CA", "MX", "BR"]),
    (
        "europe",
        &[
            "GB", "DE", "FR", "IT", "ES", "NL", "BE", "LU", "AT", "CH", "SE", "DK", "FI", "NO",
            "PL", "IE",
        ],
    ),
    ("apac", &["JP", "CN", "KR", "TW", "IN", "AU", "SG"]),
    ("north_america", &["US", "CA", "MX"]),
    ("dach", &["DE", "AT", "CH"]),
    ("benelux", &["BE", "NL", "LU"]),
    ("nordics", &["SE", "DK", "FI", "NO"]),
    ("east_asia", &["JP", "CN", "KR", "TW"]),
];
/// The first three groups are the regions that cut exclusive slots.
const REGIONS: usize = 3;

/// Patent offices with national numbers.
const NATIONAL_OFFICES: [&str; 14] = [
    "US", "US", "US", "JP", "CN", "KR", "DE", "GB", "FR", "CA", "AU", "IN", "BR", "TW",
];
/// States where a European patent is validated.
const EP_STATES: [&str; 14] = [
    "DE", "FR", "GB", "IT", "ES", "NL", "CH", "SE", "AT", "BE", "IE", "DK", "FI", "PL",
];

const DOMAINS: [&str; 8] = [
    "robotics",
    "automotive",
    "medical",
    "consumer",
    "industrial",
    "energy",
    "telecom",
    "aerospace",
];

const FIELD_WORDS: [&str; 72] = [
    "vision",
    "motion",
    "sensing",
    "motor_control",
    "power_mgmt",
    "imaging",
    "audio",
    "display",
    "storage",
    "networking",
    "battery",
    "lighting",
    "safety",
    "navigation",
    "diagnostics",
    "therapy",
    "surgical",
    "wearable",
    "mobile",
    "cloud",
    "edge",
    "chips",
    "optics",
    "materials",
    "coatings",
    "drives",
    "pumps",
    "valves",
    "drones",
    "lidar",
    "radar",
    "cameras",
    "lenses",
    "servo",
    "grippers",
    "vacuum",
    "lawn",
    "kitchen",
    "laundry",
    "hvac",
    "solar",
    "turbines",
    "grid",
    "charging",
    "infotainment",
    "adas",
    "braking",
    "steering",
    "implants",
    "monitoring",
    "dental",
    "orthopedics",
    "cardiology",
    "logistics",
    "welding",
    "packaging",
    "inspection",
    "metrology",
    "satellites",
    "avionics",
    "propulsion",
    "cabin",
    "antennas",
    "modems",
    "routers",
    "fiber",
    "wireless",
    "cobots",
    "humanoids",
    "exoskeletons",
    "acoustics",
    "thermal",
];

/// Rights presets: (text, bits). Bits follow `RIGHTS`; `None` text = all rights.
const RIGHTS: [&str; 10] = [
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
const ALL_RIGHTS: u16 = (1 << 10) - 1;
const RIGHT_PRESETS: [&[usize]; 6] = [
    &[0, 1, 2, 3, 4, 5],
    &[0, 2, 3],
    &[2, 3, 4, 5],
    &[0, 1, 2],
    &[3, 4, 9],
    &[2, 7, 8, 9],
];

const CURRENCIES: [&str; 4] = ["USD", "EUR", "GBP", "JPY"];

// ------------------------------------------------------------------ dates

/// A date as `yyyymmdd`, so that integer order is date order.
type Ymd = u32;

fn ymd(y: u32, m: u32, d: u32) -> Ymd {
    y * 10_000 + m * 100 + d
}

fn fmt_date(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100)
}

/// The first of the month, `months` after the effective date.
fn month_start(months: u32) -> Ymd {
    ymd(EFFECTIVE_YEAR + months / 12, months % 12 + 1, 1)
}

fn agreement_end() -> Ymd {
    ymd(EFFECTIVE_YEAR + AGREEMENT_YEARS, 1, 1)
}

// ------------------------------------------------------------------ territories

fn country_bit(code: &str) -> u64 {
    COUNTRIES
        .iter()
        .position(|c| *c == code)
        .map_or(0, |i| 1u64 << i)
}

fn mask_of(codes: &[&str]) -> u64 {
    codes.iter().fold(0, |m, c| m | country_bit(c))
}

fn codes_of(mask: u64) -> Vec<&'static str> {
    COUNTRIES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| *c)
        .collect()
}

fn bits(mask: u64) -> Vec<usize> {
    (0..COUNTRIES.len())
        .filter(|i| mask & (1 << i) != 0)
        .collect()
}

const ALL_COUNTRIES: u64 = (1 << COUNTRIES.len()) - 1;

/// A territory: the countries of `COUNTRIES` it holds, and whether it also holds every
/// country outside that list (`worldwide …`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Terr {
    mask: u64,
    rest: bool,
}

impl Terr {
    fn subset_of(self, o: Terr) -> bool {
        self.mask & !o.mask == 0 && (!self.rest || o.rest)
    }
}

fn list_text(mask: u64) -> String {
    format!("[{}]", codes_of(mask).join(", "))
}

// ------------------------------------------------------------------ fields

struct FieldNode {
    name: String,
    path: String,
    depth: usize,
    domain: usize,
    children: Vec<usize>,
    /// One past the last descendant, in pre-order.
    end: usize,
}

const MAX_FIELD_NODES: usize = 320;
type FieldBits = [u64; MAX_FIELD_NODES / 64];

fn field_bits(ranges: &[(usize, usize)], exclude: &[(usize, usize)]) -> FieldBits {
    let mut b = [0u64; MAX_FIELD_NODES / 64];
    for &(a, e) in ranges {
        for i in a..e {
            b[i / 64] |= 1 << (i % 64);
        }
    }
    for &(a, e) in exclude {
        for i in a..e {
            b[i / 64] &= !(1 << (i % 64));
        }
    }
    b
}

fn field_subset(a: &FieldBits, b: &FieldBits) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

struct Fields {
    nodes: Vec<FieldNode>,
    /// Per domain: the disjoint subtrees exclusive grants may take.
    slots: Vec<Vec<usize>>,
}

fn gen_fields(rng: &mut Rng) -> Fields {
    let mut nodes: Vec<FieldNode> = Vec::new();
    // Children per depth: (probability of having children, min, max).
    fn grow(
        rng: &mut Rng,
        nodes: &mut Vec<FieldNode>,
        name: String,
        parent_path: &str,
        depth: usize,
        domain: usize,
    ) -> usize {
        let path = if parent_path.is_empty() {
            name.clone()
        } else {
            format!("{parent_path}.{name}")
        };
        let id = nodes.len();
        nodes.push(FieldNode {
            name,
            path: path.clone(),
            depth,
            domain,
            children: Vec::new(),
            end: id + 1,
        });
        let (pct, lo, hi) = match depth {
            1 => (100, 3, 4),
            2 => (100, 2, 3),
            3 => (60, 1, 3),
            4 => (35, 1, 2),
            5 => (25, 1, 2),
            _ => (0, 0, 0),
        };
        // Leave room for the rest of the tree.
        if pct > 0 && rng.chance(pct) && nodes.len() + hi < MAX_FIELD_NODES - 40 {
            let n = rng.range(lo, hi);
            let mut words: Vec<&str> = FIELD_WORDS.to_vec();
            for _ in 0..n {
                let w = words.remove(rng.below(words.len()));
                let child = grow(rng, nodes, w.to_string(), &path, depth + 1, domain);
                nodes[id].children.push(child);
            }
        }
        nodes[id].end = nodes.len();
        id
    }
    for (d, name) in DOMAINS.iter().enumerate() {
        grow(rng, &mut nodes, (*name).to_string(), "", 1, d);
    }
    let mut slots = vec![Vec::new(); DOMAINS.len()];
    for (d, slot) in slots.iter_mut().enumerate() {
        let Some(root) = nodes.iter().position(|n| n.depth == 1 && n.domain == d) else {
            continue;
        };
        for &c in &nodes[root].children {
            if nodes[c].children.is_empty() {
                slot.push(c);
            } else {
                slot.extend(nodes[c].children.iter().copied());
            }
        }
    }
    Fields { nodes, slots }
}

fn write_field(out: &mut String, f: &Fields, id: usize, indent: usize) {
    let n = &f.nodes[id];
    let label = title_case(&n.name);
    let pad = "  ".repeat(indent);
    if n.children.is_empty() {
        let _ = writeln!(out, "{pad}{} \"{label}\"", n.name);
    } else {
        let _ = writeln!(out, "{pad}{} \"{label}\" {{", n.name);
        for &c in &n.children {
            write_field(out, f, c, indent + 1);
        }
        let _ = writeln!(out, "{pad}}}");
    }
}

fn title_case(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------------ assets

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    PatentFamily,
    KnowHow,
    Software,
    TradeSecret,
}

struct Patent {
    number: String,
    mask: u64,
    /// `Some` for a European patent: the `in [..]` list.
    validated: bool,
    expires: Ymd,
}

struct Asset {
    name: String,
    owner: usize,
    kind: Kind,
    patents: Vec<Patent>,
    /// The top-level field only this asset's exclusive and sole grants use.
    domain: usize,
    /// `(slot index, region)` pairs already given to an exclusive grant.
    used: Vec<(usize, usize)>,
}

impl Asset {
    fn is_patent(&self) -> bool {
        self.kind == Kind::PatentFamily
    }

    /// Countries where a patent is in force on `day`.
    fn live(&self, day: Ymd) -> u64 {
        self.patents
            .iter()
            .filter(|p| p.expires > day)
            .fold(0, |m, p| m | p.mask)
    }
}

fn fmt_grouped(n: u64, sep: char) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn patent_number(office: &str, serial: u64) -> String {
    match office {
        "US" => format!("US {}", fmt_grouped(10_500_000 + serial, ',')),
        "EP" => format!("EP {}", fmt_grouped(3_100_000 + serial, ' ')),
        "DE" => format!("DE 10 2019 {:06}", serial % 1_000_000),
        "JP" => format!("JP {}", fmt_grouped(7_000_000 + serial, ' ')),
        "CN" => format!("CN {} B", 110_000_000 + serial),
        "KR" => format!("KR 10-{:07}", 2_000_000 + serial),
        "GB" => format!("GB {}", fmt_grouped(2_500_000 + serial, ' ')),
        other => format!("{other} {}", 1_000_000 + serial),
    }
}

fn gen_patents(rng: &mut Rng, serial: &mut u64) -> Vec<Patent> {
    let n = rng.range(1, 4);
    let budget = rng.range(n, 5);
    let mut covered = 0u64;
    let mut used_ep = false;
    let mut out = Vec::new();
    for k in 0..n {
        let left_after = n - k - 1;
        let room = budget.saturating_sub(covered.count_ones() as usize + left_after);
        let expires = ymd(
            rng.range(2035, 2045) as u32,
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32,
        );
        *serial += 1;
        if !used_ep && room >= 2 && rng.chance(40) {
            let states: Vec<&str> = EP_STATES
                .iter()
                .copied()
                .filter(|s| covered & country_bit(s) == 0)
                .collect();
            let want = rng.range(2, room.min(4));
            let mut mask = 0u64;
            let mut pool = states;
            while mask.count_ones() < want as u32 && !pool.is_empty() {
                mask |= country_bit(pool.remove(rng.below(pool.len())));
            }
            if mask != 0 {
                used_ep = true;
                covered |= mask;
                out.push(Patent {
                    number: patent_number("EP", *serial),
                    mask,
                    validated: true,
                    expires,
                });
                continue;
            }
        }
        // A national patent in a country not yet covered.
        let mut office = "";
        for _ in 0..20 {
            let o = *rng.pick(&NATIONAL_OFFICES);
            if covered & country_bit(o) == 0 {
                office = o;
                break;
            }
        }
        if office.is_empty() {
            continue;
        }
        covered |= country_bit(office);
        out.push(Patent {
            number: patent_number(office, *serial),
            mask: country_bit(office),
            validated: false,
            expires,
        });
    }
    out
}

// ------------------------------------------------------------------ grants

#[derive(Clone, Copy, PartialEq, Eq)]
enum Excl {
    NonExclusive,
    Exclusive,
    Sole,
}

/// What W0405 compares: parties, terms and scope.
struct Summary {
    terms: String,
    assets: Vec<usize>,
    rights: u16,
    terr: Terr,
    fields: FieldBits,
    start: Ymd,
    end: Ymd,
}

fn contained(i: &Summary, o: &Summary) -> bool {
    i.terms == o.terms
        && i.assets.iter().all(|a| o.assets.contains(a))
        && i.rights & !o.rights == 0
        && i.terr.subset_of(o.terr)
        && field_subset(&i.fields, &o.fields)
        && o.start <= i.start
        && i.end <= o.end
}

/// One grant being written.
struct Grant {
    licensor: usize,
    licensee: usize,
    affiliates: bool,
    assets: Vec<usize>,
    rights_text: Option<String>,
    rights: u16,
    field_text: String,
    fields: FieldBits,
    terr_text: String,
    terr: Terr,
    start: Ymd,
    end: Ymd,
    term_text: String,
    excl: Excl,
    subject_to: Option<String>,
    sublicense: Option<&'static str>,
    transfer: Option<&'static str>,
    consideration: Vec<String>,
}

struct Gen<'a> {
    rng: Rng,
    fields: &'a Fields,
    assets: Vec<Asset>,
    /// Per party: the assets it owns.
    owned: Vec<Vec<usize>>,
    affiliates: Vec<Vec<String>>,
    parties: usize,
    reservations: Vec<String>,
    reservation_count: usize,
    grants_text: String,
    grant_count: usize,
    /// Per asset: (licensee, end) of each grant, for grant-backs.
    licenses: Vec<Vec<(usize, Ymd)>>,
    /// W0405 groups: (licensor, licensee) → summaries.
    groups: HashMap<(usize, usize), Vec<Summary>>,
    sunsets: Vec<String>,
    /// Every grant written, as data.
    specs: Vec<GrantSpec>,
}

impl Gen<'_> {
    fn party_name(i: usize) -> String {
        format!("p{i:03}")
    }

    /// A term of 1–10 years inside the agreement, starting on a first of the month,
    /// and at most `latest_start` months after the effective date.
    fn term(&mut self, latest_start: u32) -> (Ymd, Ymd, String) {
        let years = self.rng.range(1, 10) as u32;
        let max_start = ((AGREEMENT_YEARS - years) * 12).min(latest_start);
        let m = self.rng.range(0, max_start as usize) as u32;
        self.term_of(m, years)
    }

    fn term_of(&mut self, m: u32, years: u32) -> (Ymd, Ymd, String) {
        let start = month_start(m);
        let end = month_start(m + years * 12);
        let unit = if years == 1 { "year" } else { "years" };
        let text = if m == 0 && self.rng.chance(50) {
            format!("term for {years} {unit}")
        } else {
            match self.rng.below(3) {
                0 => format!("term {} until {}", fmt_date(start), fmt_date(end)),
                1 => format!("term from {} for {years} {unit}", fmt_date(start)),
                _ => format!("term {} {years} {unit}", fmt_date(start)),
            }
        };
        (start, end, text)
    }

    fn rights(&mut self, software: bool) -> (Option<String>, u16) {
        if self.rng.chance(45) {
            return (None, ALL_RIGHTS);
        }
        let preset: &[usize] = if software && self.rng.chance(60) {
            RIGHT_PRESETS[5]
        } else {
            RIGHT_PRESETS[self.rng.below(5)]
        };
        let text = preset
            .iter()
            .map(|&r| RIGHTS[r])
            .collect::<Vec<_>>()
            .join(", ");
        let bits = preset.iter().fold(0u16, |b, &r| b | 1 << r);
        (Some(text), bits)
    }

    /// A node of an allowed domain, biased to the middle of the tree.
    fn pick_node(&mut self, allowed: &[bool]) -> usize {
        let depth = match self.rng.below(100) {
            0..=9 => 1,
            10..=44 => 2,
            45..=79 => 3,
            _ => 4,
        };
        let at: Vec<usize> = (0..self.fields.nodes.len())
            .filter(|&i| allowed[self.fields.nodes[i].domain])
            .filter(|&i| {
                let d = self.fields.nodes[i].depth;
                if depth == 4 {
                    d >= 4
                } else {
                    d == depth
                }
            })
            .collect();
        if at.is_empty() {
            let any: Vec<usize> = (0..self.fields.nodes.len())
                .filter(|&i| allowed[self.fields.nodes[i].domain])
                .collect();
            return *self.rng.pick(&any);
        }
        *self.rng.pick(&at)
    }

    /// The field line of a non-exclusive grant: anything outside `forbidden` domains.
    fn open_field(&mut self, forbidden: &[usize]) -> (String, FieldBits) {
        let f = self.fields;
        let mut allowed = vec![true; DOMAINS.len()];
        for &d in forbidden {
            allowed[d] = false;
        }
        let roll = self.rng.below(100);
        if roll < 15 {
            let mut ex: Vec<usize> = forbidden.to_vec();
            ex.sort_unstable();
            ex.dedup();
            let roots: Vec<usize> = ex
                .iter()
                .filter_map(|&d| f.nodes.iter().position(|n| n.depth == 1 && n.domain == d))
                .collect();
            let names: Vec<&str> = roots.iter().map(|&r| f.nodes[r].path.as_str()).collect();
            let ranges: Vec<(usize, usize)> = roots.iter().map(|&r| (r, f.nodes[r].end)).collect();
            return (
                format!("all except {}", names.join(", ")),
                field_bits(&[(0, f.nodes.len())], &ranges),
            );
        }
        if roll < 25 {
            // `P except P.x…` with x a descendant.
            for _ in 0..10 {
                let p = self.pick_node(&allowed);
                let n = &f.nodes[p];
                if n.end - p < 2 {
                    continue;
                }
                let d = self.rng.range(p + 1, n.end - 1);
                return (
                    format!("{} except {}", n.path, f.nodes[d].path),
                    field_bits(&[(p, n.end)], &[(d, f.nodes[d].end)]),
                );
            }
        }
        let k = self.rng.range(1, 3);
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..k * 3 {
            if chosen.len() == k {
                break;
            }
            let c = self.pick_node(&allowed);
            let overlaps = chosen.iter().any(|&o| {
                let (a, b) = (&f.nodes[o], &f.nodes[c]);
                (o <= c && c < a.end) || (c <= o && o < b.end)
            });
            if !overlaps {
                chosen.push(c);
            }
        }
        chosen.sort_unstable();
        let names: Vec<&str> = chosen.iter().map(|&c| f.nodes[c].path.as_str()).collect();
        let ranges: Vec<(usize, usize)> = chosen.iter().map(|&c| (c, f.nodes[c].end)).collect();
        (names.join(", "), field_bits(&ranges, &[]))
    }

    /// The territory of a non-exclusive grant, meeting every mask of `must`.
    fn open_territory(&mut self, must: &[u64]) -> (String, Terr) {
        let roll = self.rng.below(100);
        if roll < 35 {
            // worldwide, possibly except a few countries
            if roll < 10 {
                return (
                    "worldwide".to_string(),
                    Terr {
                        mask: ALL_COUNTRIES,
                        rest: true,
                    },
                );
            }
            let n = self.rng.range(1, 3);
            let mut except = 0u64;
            while (except.count_ones() as usize) < n {
                except |= 1 << self.rng.below(COUNTRIES.len());
            }
            for &m in must {
                if m & !except == 0 {
                    except &= !m;
                }
            }
            if except == 0 {
                return (
                    "worldwide".to_string(),
                    Terr {
                        mask: ALL_COUNTRIES,
                        rest: true,
                    },
                );
            }
            return (
                format!("worldwide except {}", list_text(except)),
                Terr {
                    mask: ALL_COUNTRIES & !except,
                    rest: true,
                },
            );
        }
        // One country of every `must`, then more up to 1–10 countries.
        let mut mask = 0u64;
        for &m in must {
            if mask & m == 0 {
                let b = bits(m);
                mask |= 1 << *self.rng.pick(&b);
            }
        }
        if roll < 55 {
            // a small group plus what is missing
            let (gname, gcodes) = GROUPS[self.rng.range(3, GROUPS.len() - 1)];
            let g = mask_of(gcodes);
            let mut extra = mask & !g;
            for _ in 0..self.rng.below(3) {
                extra |= 1 << self.rng.below(COUNTRIES.len());
            }
            extra &= !g;
            let text = if extra == 0 {
                gname.to_string()
            } else {
                format!("{gname} + {}", list_text(extra))
            };
            return (
                text,
                Terr {
                    mask: g | extra,
                    rest: false,
                },
            );
        }
        let want = self.rng.range(1, 10).max(mask.count_ones() as usize);
        while (mask.count_ones() as usize) < want {
            mask |= 1 << self.rng.below(COUNTRIES.len());
        }
        (list_text(mask), Terr { mask, rest: false })
    }

    /// Whether a running royalty is allowed: not when the grant runs past the last
    /// expiry of its patents in any country of its territory where one is licensed,
    /// whatever else it licenses (W0408, judged country by country).
    fn royalty_allowed(&self, assets: &[usize], terr: Terr, end: Ymd) -> bool {
        let patents: Vec<&Patent> = assets
            .iter()
            .filter(|&&a| self.assets[a].is_patent())
            .flat_map(|&a| self.assets[a].patents.iter())
            .collect();
        (0..COUNTRIES.len()).all(|c| {
            let bit = 1u64 << c;
            if terr.mask & bit == 0 {
                return true;
            }
            let last = patents
                .iter()
                .filter(|p| p.mask & bit != 0)
                .map(|p| p.expires)
                .max();
            last.is_none_or(|l| end <= l)
        })
    }

    fn consideration(&mut self, running_ok: bool, start: Ymd) -> Vec<String> {
        let cur = *self.rng.pick(&CURRENCIES);
        let scale: u64 = if cur == "JPY" { 100 } else { 1 };
        let money = |n: u64| format!("{} {cur}", fmt_grouped(n * scale, '_'));
        let roll = self.rng.below(100);
        let rate = *self
            .rng
            .pick(&["0.5%", "1%", "1.5%", "2%", "2.5%", "3%", "4%", "5%"]);
        if !running_ok || roll < 40 {
            if running_ok || roll < 80 {
                return vec!["royalty-free".to_string()];
            }
            let amt = self.rng.range(5, 500) as u64 * 10_000;
            return vec![format!("lump sum {} on {}", money(amt), fmt_date(start))];
        }
        match roll {
            40..=64 => {
                let mut s = format!("royalty {rate} of net sales");
                if self.rng.chance(40) {
                    let cap = self.rng.range(1, 50) as u64 * 100_000;
                    let _ = write!(s, ", cap {} per year", money(cap));
                }
                vec![s]
            }
            65..=74 => {
                let cents = self.rng.range(5, 200);
                let amount = if cur == "JPY" {
                    format!("{} JPY", cents)
                } else {
                    format!("{}.{:02} {cur}", cents / 100, cents % 100)
                };
                let mut s = format!("royalty {amount} per unit");
                if self.rng.chance(50) {
                    let cap = self.rng.range(1, 50) as u64 * 100_000;
                    let _ = write!(s, ", cap {} per year", money(cap));
                }
                vec![s]
            }
            75..=81 => {
                let b1 = self.rng.range(1, 20) as u64 * 1_000_000;
                let b2 = b1 * self.rng.range(2, 5) as u64;
                vec![format!(
                    "royalty tiered of net sales per year {{\n    from 0 {cur} to {} at 3%\n    from {} to {} at 2%\n    from {} at 1%\n  }}",
                    money(b1),
                    money(b1),
                    money(b2),
                    money(b2)
                )]
            }
            82..=89 => {
                let amt = self.rng.range(5, 500) as u64 * 10_000;
                vec![format!("lump sum {} on {}", money(amt), fmt_date(start))]
            }
            90..=94 => {
                let amt = self.rng.range(1, 50) as u64 * 100_000;
                vec![
                    format!(
                        "milestone {} on \"first commercial sale of a Licensed Product\"",
                        money(amt)
                    ),
                    format!("royalty {rate} of net sales"),
                ]
            }
            _ => {
                let amt = self.rng.range(5, 500) as u64 * 10_000;
                vec![
                    format!("lump sum {} on {}", money(amt), fmt_date(start)),
                    format!("royalty {rate} of net sales"),
                ]
            }
        }
    }

    fn sublicense_transfer(
        &mut self,
        licensee: usize,
    ) -> (Option<&'static str>, Option<&'static str>) {
        // Onward to affiliates only where the licensee has some (W0416).
        let has_affiliates = !self.affiliates[licensee].is_empty();
        let sub = match self.rng.below(100) {
            0..=39 => None,
            40..=54 => Some("none"),
            55..=74 if has_affiliates => Some("affiliates"),
            55..=74 => Some("none"),
            75..=89 => Some("with consent"),
            _ => Some("free"),
        };
        let tr = match self.rng.below(100) {
            0..=49 => None,
            50..=74 => Some("non-transferable"),
            75..=89 => Some("personal, non-transferable"),
            _ => Some("transferable"),
        };
        (sub, tr)
    }

    fn licensee_for(&mut self, licensor: usize) -> usize {
        loop {
            let p = self.rng.below(self.parties);
            if p != licensor {
                return p;
            }
        }
    }

    /// The terms W0405 compares, as one string (the text of each is canonical).
    fn terms_key(g: &Grant) -> String {
        let sub = match g.sublicense {
            None | Some("none") => "none",
            Some(s) => s,
        };
        let tr = match g.transfer {
            None | Some("non-transferable") => "-",
            Some(t) => t,
        };
        let excl = match g.excl {
            Excl::NonExclusive => "n",
            Excl::Exclusive => "e",
            Excl::Sole => "s",
        };
        format!(
            "{}|{}|{excl}|{}|{sub}|{tr}|{}",
            g.licensee,
            g.affiliates,
            g.subject_to.as_deref().unwrap_or(""),
            g.consideration.join(";")
        )
    }

    /// Records the grant for W0405, changing its consideration to a one-off lump sum
    /// when it would be wholly inside (or hold) another grant on the same terms.
    fn dedupe(&mut self, g: &mut Grant) {
        let mut s = Summary {
            terms: Self::terms_key(g),
            assets: g.assets.clone(),
            rights: g.rights,
            terr: g.terr,
            fields: g.fields,
            start: g.start,
            end: g.end,
        };
        let key = (g.licensor, g.licensee);
        let clash = self
            .groups
            .get(&key)
            .is_some_and(|v| v.iter().any(|o| contained(&s, o) || contained(o, &s)));
        if clash {
            // Unique amount: no other grant has these terms.
            g.consideration = vec![format!(
                "lump sum {} USD on {}",
                fmt_grouped(1_000_000 + self.grant_count as u64, '_'),
                fmt_date(g.start)
            )];
            s.terms = Self::terms_key(g);
        }
        self.groups.entry(key).or_default().push(s);
    }

    /// A free `(slot, region)` of the asset's exclusive domain whose region holds a
    /// patent in force on `day` (any region for other assets).
    fn free_slot(&mut self, a: usize, day: Ymd) -> Option<(usize, usize, u64)> {
        let asset = &self.assets[a];
        let slots = &self.fields.slots[asset.domain];
        if slots.is_empty() {
            return None;
        }
        let live = if asset.is_patent() {
            asset.live(day)
        } else {
            ALL_COUNTRIES
        };
        let n = slots.len() * REGIONS;
        let off = self.rng.below(n);
        for k in 0..n {
            let idx = (off + k) % n;
            let (s, r) = (idx / REGIONS, idx % REGIONS);
            if asset.used.contains(&(s, r)) {
                continue;
            }
            let region = mask_of(GROUPS[r].1) & live;
            if region != 0 {
                return Some((s, r, region));
            }
        }
        None
    }

    /// Territory of an exclusive grant inside region `r`, meeting `live`.
    fn region_territory(&mut self, r: usize, live: u64) -> (String, Terr) {
        let (gname, gcodes) = GROUPS[r];
        let g = mask_of(gcodes);
        if self.rng.chance(40) {
            return (
                gname.to_string(),
                Terr {
                    mask: g,
                    rest: false,
                },
            );
        }
        let lb = bits(live);
        let mut mask = 1u64 << *self.rng.pick(&lb);
        let want = self.rng.range(1, 5);
        let gb = bits(g);
        for _ in 0..want * 2 {
            if mask.count_ones() as usize >= want {
                break;
            }
            mask |= 1 << *self.rng.pick(&gb);
        }
        (list_text(mask), Terr { mask, rest: false })
    }

    /// The field of an exclusive grant in slot `s` of the asset's domain.
    fn slot_field(&mut self, a: usize, s: usize) -> (String, FieldBits) {
        let f = self.fields;
        let node = f.slots[self.assets[a].domain][s];
        let n = &f.nodes[node];
        if n.end - node >= 2 && self.rng.chance(20) {
            let d = self.rng.range(node + 1, n.end - 1);
            return (
                format!("{} except {}", n.path, f.nodes[d].path),
                field_bits(&[(node, n.end)], &[(d, f.nodes[d].end)]),
            );
        }
        (n.path.clone(), field_bits(&[(node, n.end)], &[]))
    }

    /// Writes one ordinary grant whose first asset is `first`.
    fn ordinary_grant(&mut self, first: usize) {
        let licensor = self.assets[first].owner;
        let licensee = self.licensee_for(licensor);
        let affiliates = !self.affiliates[licensee].is_empty() && self.rng.chance(30);
        let mut assets = vec![first];
        // A second asset of the same owner now and then.
        if self.rng.chance(25) {
            let others: Vec<usize> = self.owned[licensor]
                .iter()
                .copied()
                .filter(|&x| x != first && self.assets[x].kind != Kind::TradeSecret)
                .collect();
            if !others.is_empty() {
                assets.push(*self.rng.pick(&others));
            }
        }
        let software = assets
            .iter()
            .any(|&a| self.assets[a].kind == Kind::Software);
        let (rights_text, rights) = self.rights(software);
        let (mut start, mut end, mut term_text) = self.term(180);
        // Every patent asset needs a patent in force when the grant starts (W0409);
        // every patent expires in 2035 or later.
        let mut must: Vec<u64> = assets
            .iter()
            .filter(|&&a| self.assets[a].is_patent())
            .map(|&a| self.assets[a].live(start))
            .collect();
        if must.contains(&0) {
            let years = self.rng.range(1, 10) as u32;
            let m = self
                .rng
                .range(0, (8 * 12).min((AGREEMENT_YEARS - years) as usize * 12))
                as u32;
            (start, end, term_text) = self.term_of(m, years);
            must = assets
                .iter()
                .filter(|&&a| self.assets[a].is_patent())
                .map(|&a| self.assets[a].live(start))
                .collect();
        }
        // Exclusive or sole: one asset, and a slot of its own.
        let mut excl = Excl::NonExclusive;
        let mut slot = None;
        if assets.len() == 1 {
            let roll = self.rng.below(100);
            if roll < 12 {
                if let Some(found) = self.free_slot(first, start) {
                    excl = if roll < 8 {
                        Excl::Exclusive
                    } else {
                        Excl::Sole
                    };
                    slot = Some(found);
                }
            }
        }
        let (field_text, fields, terr_text, terr, subject_to) = match slot {
            Some((s, r, live)) => {
                self.assets[first].used.push((s, r));
                let (ft, fb) = self.slot_field(first, s);
                let (tt, tr) = self.region_territory(r, live);
                // Some exclusive grants carve out rights the owner keeps.
                let subject = if excl == Excl::Exclusive && self.rng.chance(25) {
                    let name = format!("rsv_{:05}", self.reservation_count);
                    self.reservation_count += 1;
                    let node = self.fields.slots[self.assets[first].domain][s];
                    let country = codes_of(tr.mask).first().copied().unwrap_or("US");
                    self.reservations.push(format!(
                        "reserve {name}: {} for {} {{\n  rights make, use\n  field {}\n  territory [{country}]\n}}\n",
                        self.assets[first].name,
                        Self::party_name(licensor),
                        self.fields.nodes[node].path
                    ));
                    Some(name)
                } else {
                    None
                };
                (ft, fb, tt, tr, subject)
            }
            None => {
                let forbidden: Vec<usize> = assets.iter().map(|&a| self.assets[a].domain).collect();
                let (ft, fb) = self.open_field(&forbidden);
                let (tt, tr) = self.open_territory(&must);
                (ft, fb, tt, tr, None)
            }
        };
        let running_ok = self.royalty_allowed(&assets, terr, end);
        let consideration = self.consideration(running_ok, start);
        let (sublicense, transfer) = self.sublicense_transfer(licensee);
        let mut g = Grant {
            licensor,
            licensee,
            affiliates,
            assets,
            rights_text,
            rights,
            field_text,
            fields,
            terr_text,
            terr,
            start,
            end,
            term_text,
            excl,
            subject_to,
            sublicense,
            transfer,
            consideration,
        };
        self.dedupe(&mut g);
        let id = self.write_grant(&g);
        // Some grants say how they end.
        if self.rng.chance(5) {
            // Automatic renewals stay within the agreement (W0411) and, for a running
            // royalty, within the patents' lives (W0408).
            let running = g
                .consideration
                .iter()
                .any(|c| c.starts_with("royalty ") && !c.starts_with("royalty-free"));
            let assets = g.assets.clone();
            // A renewal of patents only must start while one of them is in force in
            // the grant's territory (W0411: it would renew nothing).
            let only_patents = assets.iter().all(|&a| self.assets[a].is_patent());
            let in_force_after_end = assets
                .iter()
                .flat_map(|&a| self.assets[a].patents.iter())
                .any(|p| p.mask & g.terr.mask != 0 && p.expires > g.end);
            let room = |ext: Ymd| {
                ext <= agreement_end()
                    && (!only_patents || in_force_after_end)
                    && (!running || self.royalty_allowed(&assets, g.terr, ext))
            };
            let renewals: Vec<(u32, u32)> = [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
                .into_iter()
                .filter(|&(years, times)| room(g.end + years * times * 10_000))
                .collect();
            self.sunset(&id, &renewals);
        }
    }

    fn sunset(&mut self, id: &str, renewals: &[(u32, u32)]) {
        let mut s = format!("sunset {id} {{\n");
        if !renewals.is_empty() && self.rng.chance(60) {
            let (years, times) = *self.rng.pick(renewals);
            let _ = writeln!(
                s,
                "  renew automatically for {years} {}, at most {times} times, notice 90 days",
                if years == 1 { "year" } else { "years" }
            );
        } else if self.rng.chance(50) {
            let _ = writeln!(s, "  renew by mutual consent for 2 years, notice 60 days");
        }
        if self.rng.chance(40) {
            let _ = writeln!(s, "  renegotiate every 2 years, notice 60 days");
        }
        if self.rng.chance(70) {
            let days = *self.rng.pick(&[90, 120, 180]);
            let _ = writeln!(s, "  wind down {days} days");
        }
        let _ = writeln!(s, "  terminate on breach cure 60 days, insolvency");
        if self.rng.chance(30) {
            let _ = writeln!(s, "  terminate on change of control notice 30 days");
        }
        let _ = writeln!(s, "  survives confidentiality, accrued_royalties");
        s.push_str("}\n");
        self.sunsets.push(s);
    }

    fn write_grant(&mut self, g: &Grant) -> String {
        let id = format!("g{:06}", self.grant_count);
        self.grant_count += 1;
        for &a in &g.assets {
            self.licenses[a].push((g.licensee, g.end));
        }
        let (fields, fields_except) = field_parts(&g.field_text);
        let rights = if g.rights == ALL_RIGHTS {
            Vec::new()
        } else {
            (0..RIGHTS.len())
                .filter(|&r| g.rights & (1 << r) != 0)
                .map(|r| RIGHTS[r])
                .collect()
        };
        self.specs.push(GrantSpec {
            id: id.clone(),
            licensor: Self::party_name(g.licensor),
            licensee: Self::party_name(g.licensee),
            affiliates: g.affiliates,
            assets: g
                .assets
                .iter()
                .map(|&a| self.assets[a].name.clone())
                .collect(),
            rights,
            fields,
            fields_except,
            worldwide: g.terr.rest,
            countries: if g.terr.rest {
                Vec::new()
            } else {
                codes_of(g.terr.mask)
            },
            countries_except: if g.terr.rest {
                codes_of(ALL_COUNTRIES & !g.terr.mask)
            } else {
                Vec::new()
            },
            start: ymd_parts(g.start),
            end: ymd_parts(g.end),
        });
        let out = &mut self.grants_text;
        let _ = write!(
            out,
            "grant {id}: {} -> {}",
            Self::party_name(g.licensor),
            Self::party_name(g.licensee)
        );
        if g.affiliates {
            out.push_str(" and affiliates");
        }
        out.push_str(" {\n");
        let names: Vec<&str> = g
            .assets
            .iter()
            .map(|&a| self.assets[a].name.as_str())
            .collect();
        let _ = writeln!(out, "  assets {}", names.join(", "));
        if let Some(r) = &g.rights_text {
            let _ = writeln!(out, "  rights {r}");
        }
        let _ = writeln!(out, "  field {}", g.field_text);
        let _ = writeln!(out, "  territory {}", g.terr_text);
        let _ = writeln!(out, "  {}", g.term_text);
        match (g.excl, &g.subject_to) {
            (Excl::NonExclusive, _) => out.push_str("  non-exclusive\n"),
            (Excl::Sole, _) => out.push_str("  sole\n"),
            (Excl::Exclusive, None) => out.push_str("  exclusive\n"),
            (Excl::Exclusive, Some(r)) => {
                let _ = writeln!(out, "  exclusive subject to {r}");
            }
        }
        if let Some(s) = g.sublicense {
            let _ = writeln!(out, "  sublicense {s}");
        }
        if let Some(t) = g.transfer {
            let _ = writeln!(out, "  {t}");
        }
        for c in &g.consideration {
            let _ = writeln!(out, "  {c}");
        }
        out.push_str("}\n\n");
        id
    }

    /// Takes a fresh slot for a planted conflict before the ordinary grants can fill
    /// the exclusive domains. `None` when no family has one left.
    fn reserve_planted_slot(&mut self) -> Option<(usize, usize, usize, u64)> {
        // Every patent is in force until 2035, and planted grants start by 2030.
        let day = month_start(0);
        let families: Vec<usize> = (0..self.assets.len())
            .filter(|&a| self.assets[a].is_patent())
            .collect();
        if families.is_empty() {
            return None;
        }
        for _ in 0..100 {
            let a = *self.rng.pick(&families);
            if let Some((s, r, live)) = self.free_slot(a, day) {
                self.assets[a].used.push((s, r));
                return Some((a, s, r, live));
            }
        }
        None
    }

    /// Writes a planted conflict in a slot taken by [`Self::reserve_planted_slot`]: two
    /// exclusive grants of one patent family to two licensees, overlapping in a country
    /// and period where a patent is in force.
    fn planted_pair(&mut self, (a, s, r, live): (usize, usize, usize, u64)) {
        let owner = self.assets[a].owner;
        let l1 = self.licensee_for(owner);
        let mut l2 = self.licensee_for(owner);
        while l2 == l1 {
            l2 = self.licensee_for(owner);
        }
        let shared = {
            let lb = bits(live);
            1u64 << *self.rng.pick(&lb)
        };
        let m1 = self.rng.range(0, 36) as u32;
        let y1 = self.rng.range(3, 6) as u32;
        let m2 = m1 + self.rng.range(6, (y1 * 12 - 6) as usize) as u32;
        let y2 = self.rng.range(2, 5) as u32;
        let second = if self.rng.chance(30) {
            Excl::Sole
        } else {
            Excl::Exclusive
        };
        for (lic, m, y, excl) in [(l1, m1, y1, Excl::Exclusive), (l2, m2, y2, second)] {
            let (ft, fb) = self.slot_field_plain(a, s);
            let (tt, tr) = {
                let (gname, gcodes) = GROUPS[r];
                if self.rng.chance(50) {
                    (
                        gname.to_string(),
                        Terr {
                            mask: mask_of(gcodes),
                            rest: false,
                        },
                    )
                } else {
                    let mut mask = shared;
                    for _ in 0..self.rng.below(3) {
                        mask |= 1 << *self.rng.pick(&bits(mask_of(gcodes)));
                    }
                    (list_text(mask), Terr { mask, rest: false })
                }
            };
            let (start, end, term_text) = self.term_of(m, y);
            let consideration = if self.rng.chance(50) {
                vec!["royalty-free".to_string()]
            } else {
                let amt = self.rng.range(10, 200) as u64 * 10_000;
                vec![format!(
                    "lump sum {} USD on {}",
                    fmt_grouped(amt, '_'),
                    fmt_date(start)
                )]
            };
            let g = Grant {
                licensor: owner,
                licensee: lic,
                affiliates: false,
                assets: vec![a],
                rights_text: None,
                rights: ALL_RIGHTS,
                field_text: ft,
                fields: fb,
                terr_text: tt,
                terr: tr,
                start,
                end,
                term_text,
                excl,
                subject_to: None,
                sublicense: Some("none"),
                transfer: None,
                consideration,
            };
            self.write_grant(&g);
        }
    }

    fn slot_field_plain(&self, a: usize, s: usize) -> (String, FieldBits) {
        let node = self.fields.slots[self.assets[a].domain][s];
        let n = &self.fields.nodes[node];
        (n.path.clone(), field_bits(&[(node, n.end)], &[]))
    }
}

/// Generates one agreement with `grants` grants over `assets` patent families (plus a
/// know-how asset per party and some software and trade secrets), among `parties`
/// parties, with `max(1, grants / 1000)` planted conflicts. Deterministic in `seed`.
pub fn portfolio(grants: usize, assets: usize, parties: usize, seed: u64) -> Workload {
    portfolio_with_conflicts(grants, assets, parties, seed, (grants / 1000).max(1))
}

/// [`portfolio`] with a chosen number of planted conflicts; with 0 the file checks
/// clean, so that `xlic build` emits its policy.
pub fn portfolio_with_conflicts(
    grants: usize,
    assets: usize,
    parties: usize,
    seed: u64,
    planted: usize,
) -> Workload {
    let parties = parties.max(2);
    let mut rng = Rng::new(seed);
    let fields = gen_fields(&mut rng);

    // Parties, each with know-how, some with software, affiliates and trade secrets.
    let mut affiliates: Vec<Vec<String>> = vec![Vec::new(); parties];
    for (p, aff) in affiliates.iter_mut().enumerate() {
        if rng.chance(20) {
            for s in ["de", "jp"].iter().take(rng.range(1, 2)) {
                aff.push(format!("p{p:03}_{s}"));
            }
        }
    }
    let mut all_assets: Vec<Asset> = Vec::new();
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); parties];
    let mut serial = 0u64;
    for f in 0..assets {
        let owner = rng.below(parties);
        owned[owner].push(all_assets.len());
        all_assets.push(Asset {
            name: format!("pf{f:04}"),
            owner,
            kind: Kind::PatentFamily,
            patents: gen_patents(&mut rng, &mut serial),
            domain: rng.below(DOMAINS.len()),
            used: Vec::new(),
        });
    }
    let mut secrets = Vec::new();
    for (p, mine) in owned.iter_mut().enumerate() {
        let mut kinds = vec![(Kind::KnowHow, "kh")];
        if rng.chance(30) {
            kinds.push((Kind::Software, "sw"));
        }
        if rng.chance(10) {
            kinds.push((Kind::TradeSecret, "ts"));
        }
        for (kind, prefix) in kinds {
            let id = all_assets.len();
            if kind == Kind::TradeSecret {
                secrets.push(id);
            }
            mine.push(id);
            all_assets.push(Asset {
                name: format!("{prefix}_p{p:03}"),
                owner: p,
                kind,
                patents: Vec::new(),
                domain: rng.below(DOMAINS.len()),
                used: Vec::new(),
            });
        }
    }
    let n_assets = all_assets.len();
    let mut g = Gen {
        rng,
        fields: &fields,
        assets: all_assets,
        owned,
        affiliates,
        parties,
        reservations: Vec::new(),
        reservation_count: 0,
        grants_text: String::new(),
        grant_count: 0,
        licenses: vec![Vec::new(); n_assets],
        groups: HashMap::new(),
        sunsets: Vec::new(),
        specs: Vec::new(),
    };

    // Spread the planted pairs over the grants after the first one of every party, so
    // that they never take the place of a party's only grant (W0404).
    let base = if grants >= parties + 2 * planted + 2 {
        parties
    } else {
        0
    };
    let planted_at: Vec<usize> = (0..planted)
        .map(|j| base + (j + 1) * (grants - base) / (planted + 1))
        .collect();
    let families: Vec<usize> = (0..assets).collect();
    let mut planted_slots: Vec<(usize, usize, usize, u64)> = Vec::new();
    for _ in 0..planted {
        if let Some(slot) = g.reserve_planted_slot() {
            planted_slots.push(slot);
        }
    }
    let mut planted_done = 0usize;
    while g.grant_count < grants {
        let i = g.grant_count;
        if let Some(&slot) = planted_slots.get(planted_done) {
            if i >= planted_at[planted_done] && i + 2 <= grants {
                g.planted_pair(slot);
                planted_done += 1;
                continue;
            }
        }
        let first = if i < parties {
            // Every party grants something: its own family or its know-how.
            let mine: Vec<usize> = g.owned[i]
                .iter()
                .copied()
                .filter(|&a| g.assets[a].kind != Kind::TradeSecret)
                .collect();
            let fams: Vec<usize> = mine
                .iter()
                .copied()
                .filter(|&a| g.assets[a].is_patent())
                .collect();
            if !fams.is_empty() && g.rng.chance(70) {
                *g.rng.pick(&fams)
            } else {
                *g.rng.pick(&mine)
            }
        } else if !families.is_empty() && g.rng.chance(80) {
            *g.rng.pick(&families)
        } else {
            let p = g.rng.below(parties);
            let mine: Vec<usize> = g.owned[p]
                .iter()
                .copied()
                .filter(|&a| !g.assets[a].is_patent() && g.assets[a].kind != Kind::TradeSecret)
                .collect();
            *g.rng.pick(&mine)
        };
        g.ordinary_grant(first);
    }

    // Reservations: trade secrets, rights owners keep outside the exclusive domain,
    // and hard fences on slots no grant took.
    for &s in &secrets {
        let name = g.assets[s].name.clone();
        g.reservations.push(format!("reserve {name}\n"));
    }
    for a in 0..assets {
        let roll = g.rng.below(100);
        if roll < 15 {
            let domain = g.assets[a].domain;
            let allowed: Vec<bool> = (0..DOMAINS.len()).map(|d| d != domain).collect();
            let node = g.pick_node(&allowed);
            let owner = g.assets[a].owner;
            let country = *g.rng.pick(&["US", "DE", "JP", "CN"]);
            let text = format!(
                "reserve {} for {} {{\n  field {}\n  territory [{country}]\n}}\n",
                g.assets[a].name,
                Gen::party_name(owner),
                fields.nodes[node].path
            );
            g.reservations.push(text);
        } else if roll < 30 {
            let slots = &fields.slots[g.assets[a].domain];
            let free = (0..slots.len() * REGIONS)
                .map(|k| (k / REGIONS, k % REGIONS))
                .find(|sr| !g.assets[a].used.contains(sr));
            if let Some((s, r)) = free {
                g.assets[a].used.push((s, r));
                let text = format!(
                    "reserve {} {{\n  field {}\n  territory {}\n}}\n",
                    g.assets[a].name, fields.nodes[slots[s]].path, GROUPS[r].0
                );
                g.reservations.push(text);
            }
        }
    }

    // Improvements on some families: collaboration grant-backs that end with the
    // license they are tied to.
    let mut improvements = String::new();
    for a in 0..assets {
        if !g.rng.chance(20) || g.licenses[a].is_empty() {
            continue;
        }
        let (licensee, end) = *g.rng.pick(&g.licenses[a]);
        let owner = g.assets[a].owner;
        let max_years = (end / 10_000).saturating_sub(EFFECTIVE_YEAR).max(1) as usize;
        let years = g.rng.range(1, max_years);
        // Not `base owner`: the grant-back to the owner would license it what it
        // already owns (W0413).
        let who = *g.rng.pick(&["improver", "joint"]);
        let _ = writeln!(improvements, "improvements on {} {{", g.assets[a].name);
        let _ = writeln!(improvements, "  owner {who}");
        let _ = writeln!(
            improvements,
            "  grant back {} -> {} {{\n    covers collaboration\n    non-exclusive\n    royalty-free\n    sunset after {years} {}\n    consent not required\n  }}",
            Gen::party_name(licensee),
            Gen::party_name(owner),
            if years == 1 { "year" } else { "years" }
        );
        if g.rng.chance(30) {
            let _ = writeln!(
                improvements,
                "  license forward {} -> {} {{\n    covers all\n    non-exclusive\n    royalty 1% of net sales\n  }}",
                Gen::party_name(owner),
                Gen::party_name(licensee)
            );
        }
        improvements.push_str("}\n\n");
    }

    // The file.
    let mut out = String::with_capacity(g.grants_text.len() + 64 * 1024);
    let _ = writeln!(
        out,
        "// Generated portfolio: {grants} grants, {assets} patent families, {parties} parties, seed {seed}.\n// Planted exclusivity conflicts (E0301): {planted_done}.\n"
    );
    let _ = writeln!(
        out,
        "agreement \"Generated Portfolio Cross-License {seed}\" {{"
    );
    let _ = writeln!(out, "  effective {}", fmt_date(month_start(0)));
    let _ = writeln!(out, "  term {AGREEMENT_YEARS} years");
    let _ = writeln!(out, "  governing law \"State of New York\"");
    let _ = writeln!(out, "  kind cross-license");
    let names: Vec<String> = (0..parties).map(Gen::party_name).collect();
    let _ = writeln!(out, "  parties {}", names.join(", "));
    let _ = writeln!(
        out,
        "  note \"Each party owns patents and know-how and licenses them to the others.\""
    );
    out.push_str("}\n\n");
    for p in 0..parties {
        let _ = write!(
            out,
            "party {} \"Party {p:03} Technologies, Inc.\" {{ short \"P{p:03}\"",
            Gen::party_name(p)
        );
        for a in &g.affiliates[p] {
            let _ = write!(out, " affiliate {a} \"{} Affiliate\"", title_case(a));
        }
        out.push_str(" }\n");
    }
    out.push_str("\nfields {\n");
    for (i, n) in fields.nodes.iter().enumerate() {
        if n.depth == 1 {
            write_field(&mut out, &fields, i, 1);
        }
    }
    out.push_str("}\n\n");
    for (name, codes) in GROUPS {
        let _ = writeln!(out, "territory {name} = [{}]", codes.join(", "));
    }
    out.push('\n');
    for a in &g.assets {
        let kind = match a.kind {
            Kind::PatentFamily => "patent family",
            Kind::KnowHow => "know-how",
            Kind::Software => "software",
            Kind::TradeSecret => "trade secret",
        };
        let _ = write!(
            out,
            "asset {}: {kind} of {}",
            a.name,
            Gen::party_name(a.owner)
        );
        if a.patents.is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(" {\n");
        for p in &a.patents {
            let _ = write!(
                out,
                "  patent \"{}\" expires {}",
                p.number,
                fmt_date(p.expires)
            );
            if p.validated {
                let _ = write!(out, " in {}", list_text(p.mask));
            }
            out.push('\n');
        }
        out.push_str("  background\n}\n");
    }
    out.push('\n');
    out.push_str(&g.grants_text);
    for r in &g.reservations {
        out.push_str(r);
        out.push('\n');
    }
    out.push_str(&improvements);
    for s in &g.sunsets {
        out.push_str(s);
        out.push('\n');
    }
    let spec = Spec {
        parties: (0..parties)
            .map(|p| PartySpec {
                name: Gen::party_name(p),
                affiliates: g.affiliates[p].clone(),
            })
            .collect(),
        assets: g
            .assets
            .iter()
            .map(|a| AssetSpec {
                name: a.name.clone(),
                owner: Gen::party_name(a.owner),
            })
            .collect(),
        fields: fields
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| FieldSpec {
                path: n.path.clone(),
                parent: (0..i)
                    .rev()
                    .find(|&j| fields.nodes[j].children.contains(&i)),
                end: n.end,
            })
            .collect(),
        grants: std::mem::take(&mut g.specs),
    };
    Workload {
        source: out,
        planted_conflicts: planted_done,
        grants: g.grant_count,
        spec,
    }
}

/// A file of about `lines` lines (a portfolio sized to fit, padded with comments),
/// for the language-server benchmarks.
pub fn single_file_lines(lines: usize) -> String {
    let mut grants = (lines / 11).max(250);
    let mut best = String::new();
    for _ in 0..4 {
        let w = portfolio(grants, (grants / 100).max(5), 200, 0x5EED_F11E);
        let n = w.source.lines().count();
        best = w.source;
        if n <= lines && lines - n < lines / 50 + 20 {
            break;
        }
        let next = (grants * lines / n.max(1)).max(250);
        if next == grants {
            break;
        }
        grants = if n > lines {
            next.saturating_sub(2)
        } else {
            next
        };
    }
    let mut n = best.lines().count();
    while n < lines {
        best.push_str("// (padding)\n");
        n += 1;
    }
    best
}
