//! Resolution (names to indices, dates to days, fields to pre-order ranges, territories
//! to bit sets) and the E0301 sweep.

use crate::ast::{Ast, Excl, GrantDecl, NO_PARENT};
use std::collections::HashMap;
use std::ops::Range;

/// A set of two-letter country codes: one bit per `AA`..`ZZ`.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Countries([u64; 11]);

impl Countries {
    fn all() -> Countries {
        let mut c = Countries([u64::MAX; 11]);
        // 676 codes: the last word holds 676 - 640 = 36 of them.
        c.0[10] = (1u64 << 36) - 1;
        c
    }

    fn code(code: &str) -> Option<usize> {
        match code.as_bytes() {
            [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
                Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
            }
            _ => None,
        }
    }

    fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    fn union(&mut self, o: &Countries) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a |= b;
        }
    }

    fn minus(&mut self, o: &Countries) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a &= !b;
        }
    }

    fn meets3(&self, b: &Countries, c: &Countries) -> bool {
        self.0
            .iter()
            .zip(b.0.iter())
            .zip(c.0.iter())
            .any(|((x, y), z)| x & y & z != 0)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm; this
/// project depends on nothing of xlic's, so it has its own copy).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ymd(text: &str) -> Option<(i64, i64, i64)> {
    let mut it = text.split('-').map(|p| p.parse::<i64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

fn day(text: &str) -> Result<i64, String> {
    let (y, m, d) = ymd(text).ok_or_else(|| format!("bad date `{text}`"))?;
    Ok(days(y, m, d))
}

/// `start` plus whole years (29 February becomes 1 March).
fn plus_years(text: &str, years: i64) -> Result<i64, String> {
    let (y, m, d) = ymd(text).ok_or_else(|| format!("bad date `{text}`"))?;
    Ok(days(y + years, m, d))
}

/// A grant as the sweep reads it.
pub struct Grant {
    pub licensee: u32,
    pub excl: Excl,
    pub start: i64,
    pub end: i64,
    /// Into [`Model::ranges`]: the pre-order ranges of the field nodes it covers.
    pub fields: Range<u32>,
    pub countries: Countries,
}

pub struct Model {
    pub grants: Vec<Grant>,
    /// The grants of each asset.
    pub by_asset: Vec<Vec<u32>>,
    /// Per asset, its patents: countries and expiry day. Assets without patents are
    /// not territorial.
    pub patents: Vec<Vec<(Countries, i64)>>,
    pub ranges: Vec<(u32, u32)>,
}

pub fn resolve(ast: &Ast<'_>) -> Result<Model, String> {
    let name = |r: &Range<u32>| -> &[&str] {
        ast.names
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    };
    let countries_of = |codes: &[&str]| -> Result<Countries, String> {
        let mut c = Countries::default();
        for code in codes {
            c.insert(Countries::code(code).ok_or_else(|| format!("unknown country `{code}`"))?);
        }
        Ok(c)
    };
    let parties: HashMap<&str, u32> = ast
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i as u32))
        .collect();
    let children: HashMap<(u32, &str), u32> = ast
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| ((f.parent, f.name), i as u32))
        .collect();
    let field = |path: &str| -> Result<(u32, u32), String> {
        let mut node = NO_PARENT;
        for seg in path.split('.') {
            node = *children
                .get(&(node, seg))
                .ok_or_else(|| format!("unknown field `{path}`"))?;
        }
        let end = ast.fields.get(node as usize).map_or(node + 1, |f| f.end);
        Ok((node, end))
    };
    let mut groups: HashMap<&str, Countries> = HashMap::new();
    for (g, r) in &ast.groups {
        groups.insert(g, countries_of(name(r))?);
    }
    let mut assets: HashMap<&str, u32> = HashMap::new();
    let mut patents = Vec::with_capacity(ast.assets.len());
    for (i, a) in ast.assets.iter().enumerate() {
        if !parties.contains_key(a.owner) {
            return Err(format!("unknown party `{}`", a.owner));
        }
        assets.insert(a.name, i as u32);
        let mut list = Vec::new();
        for p in ast
            .patents
            .get(a.patents.start as usize..a.patents.end as usize)
            .unwrap_or(&[])
        {
            let c = match &p.countries {
                Some(r) => countries_of(name(r))?,
                None => countries_of(&[p.number.trim_matches('"').get(..2).unwrap_or("")])?,
            };
            list.push((c, day(p.expires)?));
        }
        patents.push(list);
    }

    let mut grants = Vec::with_capacity(ast.grants.len());
    let mut by_asset: Vec<Vec<u32>> = vec![Vec::new(); ast.assets.len()];
    let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(ast.grants.len() * 2);
    let all_fields = (0, ast.fields.len() as u32);
    for (gi, g) in ast.grants.iter().enumerate() {
        let party = |p: &str| {
            parties
                .get(p)
                .copied()
                .ok_or_else(|| format!("unknown party `{p}` in grant `{}`", g.id))
        };
        party(g.licensor)?;
        let licensee = party(g.licensee)?;
        for a in name(&g.assets) {
            let a = assets
                .get(a)
                .ok_or_else(|| format!("unknown asset `{a}` in grant `{}`", g.id))?;
            if let Some(list) = by_asset.get_mut(*a as usize) {
                list.push(gi as u32);
            }
        }
        let start = ranges.len() as u32;
        field_ranges(ast, g, all_fields, &field, &mut ranges)?;
        let countries = territory(g, &groups, &countries_of(name(&g.codes))?)?;
        let (from, to) = term(ast, g)?;
        grants.push(Grant {
            licensee,
            excl: g.excl,
            start: from,
            end: to,
            fields: start..ranges.len() as u32,
            countries,
        });
    }
    Ok(Model {
        grants,
        by_asset,
        patents,
        ranges,
    })
}

/// Appends the grant's field coverage: the included subtrees minus the excepted ones,
/// as sorted, disjoint pre-order ranges.
fn field_ranges(
    ast: &Ast<'_>,
    g: &GrantDecl<'_>,
    all: (u32, u32),
    field: &impl Fn(&str) -> Result<(u32, u32), String>,
    out: &mut Vec<(u32, u32)>,
) -> Result<(), String> {
    let paths = |r: &Range<u32>| {
        ast.paths
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    };
    let base = out.len();
    if g.all_fields {
        out.push(all);
    } else {
        for p in paths(&g.fields) {
            out.push(field(p)?);
        }
    }
    let mut inc: Vec<(u32, u32)> = out.split_off(base);
    inc.sort_unstable();
    let mut except: Vec<(u32, u32)> = Vec::new();
    for p in paths(&g.except_fields) {
        except.push(field(p)?);
    }
    except.sort_unstable();
    for (mut lo, hi) in inc {
        if let Some(last) = out.get(base..).and_then(|s| s.last()) {
            lo = lo.max(last.1);
        }
        for &(elo, ehi) in &except {
            if ehi <= lo || elo >= hi {
                continue;
            }
            if elo > lo {
                out.push((lo, elo));
            }
            lo = lo.max(ehi);
        }
        if lo < hi {
            out.push((lo, hi));
        }
    }
    Ok(())
}

fn territory(
    g: &GrantDecl<'_>,
    groups: &HashMap<&str, Countries>,
    codes: &Countries,
) -> Result<Countries, String> {
    let t = &g.terr;
    if t.worldwide {
        let mut c = Countries::all();
        if t.except {
            c.minus(codes);
        }
        return Ok(c);
    }
    let mut c = *codes;
    if let Some(name) = t.group {
        let group = groups
            .get(name)
            .ok_or_else(|| format!("unknown territory `{name}` in grant `{}`", g.id))?;
        c.union(group);
    }
    Ok(c)
}

/// `[start, end)` in days.
fn term(ast: &Ast<'_>, g: &GrantDecl<'_>) -> Result<(i64, i64), String> {
    let t = &g.term;
    let start = t.start.unwrap_or(ast.effective);
    let end = match t.end {
        Some(e) => day(e)? + 1,
        None => {
            let years = t
                .years
                .parse::<i64>()
                .map_err(|_| format!("bad term in grant `{}`", g.id))?;
            plus_years(start, years)?
        }
    };
    Ok((day(start)?, end))
}

fn fields_meet(model: &Model, a: &Grant, b: &Grant) -> bool {
    let get = |r: &Range<u32>| {
        model
            .ranges
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    };
    let (mut xs, mut ys) = (get(&a.fields).iter(), get(&b.fields).iter());
    let (mut x, mut y) = (xs.next(), ys.next());
    while let (Some(&(xl, xh)), Some(&(yl, yh))) = (x, y) {
        if xl < yh && yl < xh {
            return true;
        }
        if xh <= yh {
            x = xs.next();
        } else {
            y = ys.next();
        }
    }
    false
}

/// Pairs of grants (lower index first) that break an exclusivity: one of them is
/// exclusive or sole, the licensees differ, and they meet on one asset in field, in
/// time and in a country where a patent of the asset is in force when both are.
pub fn conflicts(model: &Model) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    let mut order: Vec<u32> = Vec::new();
    let mut active_all: Vec<u32> = Vec::new();
    let mut active_excl: Vec<u32> = Vec::new();
    let worldwide = Countries::all();
    for (asset, list) in model.by_asset.iter().enumerate() {
        let patents = model.patents.get(asset).map_or(&[][..], Vec::as_slice);
        order.clear();
        order.extend_from_slice(list);
        let grant = |i: u32| model.grants.get(i as usize);
        order.sort_by_key(|&i| grant(i).map_or(0, |g| g.start));
        active_all.clear();
        active_excl.clear();
        for &gi in &order {
            let Some(g) = grant(gi) else { continue };
            let live = |i: &u32| grant(*i).is_some_and(|o| o.end > g.start);
            active_all.retain(live);
            active_excl.retain(live);
            let exclusive = g.excl != Excl::NonExclusive;
            let against = if exclusive { &active_all } else { &active_excl };
            for &oi in against {
                let Some(o) = grant(oi) else { continue };
                if o.licensee == g.licensee || !fields_meet(model, g, o) {
                    continue;
                }
                // Both are in force from `g.start` (sorted by start) to the earlier end.
                let both_from = g.start;
                let mut in_force = if patents.is_empty() {
                    worldwide
                } else {
                    Countries::default()
                };
                for (c, expires) in patents {
                    if *expires > both_from {
                        in_force.union(c);
                    }
                }
                if g.countries.meets3(&o.countries, &in_force) {
                    found.push((gi.min(oi), gi.max(oi)));
                }
            }
            active_all.push(gi);
            if exclusive {
                active_excl.push(gi);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}
