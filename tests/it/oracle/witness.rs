//! Reading the E0301 messages back: the witness each one prints, checked against both
//! clauses' scopes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

/// A conflict's witness as printed: `asset p0, rights make, use, field x.y, territories
/// DE, FR, 2027-01-01 until 2031-01-01`.
#[derive(Debug)]
pub(super) struct Witness {
    /// The patents it names, or the asset taken whole.
    pub(super) subjects: Vec<Subj>,
    pub(super) rights: [bool; 10],
    pub(super) fields: Vec<bool>,
    /// The field list ends in `and N more`: only the listed part is known.
    pub(super) fields_cut: bool,
    pub(super) places: [bool; N_PLACES],
    pub(super) start: Day,
    pub(super) end: Day,
    /// A mask over [`PURPOSES`]: every purpose unless the witness names some.
    pub(super) purposes: u8,
}

pub(super) fn parse_places(s: &str) -> Result<[bool; N_PLACES], String> {
    let code = |c: &str| -> Result<usize, String> {
        if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(format!("`{c}` is not a country code"));
        }
        Ok(COUNTRIES.iter().position(|x| *x == c).unwrap_or(OTHER))
    };
    let mut out = [false; N_PLACES];
    if s == "worldwide" {
        return Ok([true; N_PLACES]);
    }
    if let Some(rest) = s.strip_prefix("worldwide except ") {
        out = [true; N_PLACES];
        for c in rest.split(", ") {
            let i = code(c)?;
            if i == OTHER {
                return Err(format!("`{c}` excluded, but no clause excludes it"));
            }
            out[i] = false;
        }
        return Ok(out);
    }
    let list = s.strip_prefix("territories ").unwrap_or(s);
    if list.contains(" more") {
        return Err(format!("unexpected long territory `{s}`"));
    }
    for c in list.split(", ") {
        out[code(c)?] = true;
    }
    Ok(out)
}

/// Reads a field list: `x, y.z except y.z.w, y.z.v`. A path after `except` belongs to
/// the exception list while it lies below the item and outside the exceptions so far.
/// Returns the set and whether the list was cut short (`…, x and 2 more`).
pub(super) fn parse_fields(tree: &Tree, s: &str) -> Result<(Vec<bool>, bool), String> {
    let (s, cut) = match s.rsplit_once(" and ") {
        Some((head, tail)) if tail.ends_with(" more") => (head, true),
        _ => (s, false),
    };
    let node = |p: &str| {
        tree.node_of_path(p)
            .ok_or(format!("unknown field path `{p}`"))
    };
    let mut items: Vec<(usize, Vec<usize>)> = Vec::new();
    for tok in s.split(", ") {
        if let Some((p, e)) = tok.split_once(" except ") {
            items.push((node(p)?, vec![node(e)?]));
            continue;
        }
        let n = node(tok)?;
        if let Some((p, ex)) = items.last_mut() {
            if !ex.is_empty()
                && n != *p
                && tree.under(n, *p)
                && !ex.iter().any(|&e| tree.under(n, e))
            {
                ex.push(n);
                continue;
            }
        }
        items.push((n, Vec::new()));
    }
    let set = (0..tree.len())
        .map(|n| {
            items
                .iter()
                .any(|(p, ex)| tree.under(n, *p) && !ex.iter().any(|&e| tree.under(n, e)))
        })
        .collect();
    Ok((set, cut))
}

pub(super) fn parse_witness(case: &Case, s: &str) -> Result<Witness, String> {
    // Subjects met in other scopes are only counted at the end.
    let s = match s.rsplit_once(", and on ") {
        Some((head, tail)) if tail.ends_with(" in other scopes") => head,
        _ => s,
    };
    let rest = s.strip_prefix("asset ").ok_or("no `asset `")?;
    let (head, rest) = rest.split_once(", ").ok_or("no asset")?;
    let (head, rest) = match head.split_once(" (") {
        // `(patents EP 1, EP 2, also in asset q0)`: the note runs to its `)`.
        Some((name, _)) => {
            let open = rest_after(s, name)?;
            let close = open.find(')').ok_or("unclosed subject note")?;
            let note = &open[..close];
            let rest = open[close + 1..].strip_prefix(", ").ok_or("no rights")?;
            (format!("{name}|{note}"), rest)
        }
        None => (head.to_string(), rest),
    };
    let (asset_name, note) = head.split_once('|').unwrap_or((head.as_str(), ""));
    let asset = case
        .assets
        .iter()
        .position(|a| a.name == asset_name)
        .ok_or(format!("unknown asset `{asset_name}`"))?;
    let mut subjects = Vec::new();
    for part in note.split(", ").filter(|p| !p.is_empty()) {
        let part = part
            .strip_prefix("patents ")
            .or_else(|| part.strip_prefix("patent "))
            .unwrap_or(part);
        if part.starts_with("also in asset ") {
            break; // the other assets follow, comma-separated
        }
        let digits: String = part.chars().filter(|c| c.is_ascii_digit()).collect();
        let n: u32 = digits.parse().map_err(|_| format!("bad patent `{part}`"))?;
        subjects.push(Subj::Patent(n));
    }
    if subjects.is_empty() {
        subjects.push(Subj::Whole(asset));
    }
    // Rights run up to the field part.
    let fpos = rest.find(", field").ok_or("no field part")?;
    let (rights_s, rest) = (&rest[..fpos], &rest[fpos + 2..]);
    let mut rights = [false; 10];
    if rights_s == "all rights" {
        rights = [true; 10];
    } else {
        let list = rights_s
            .strip_prefix("rights ")
            .or_else(|| rights_s.strip_prefix("right "))
            .ok_or(format!("bad rights `{rights_s}`"))?;
        for r in list.split(", ") {
            let i = RIGHTS
                .iter()
                .position(|x| *x == r)
                .ok_or(format!("unknown right `{r}`"))?;
            rights[i] = true;
        }
    }
    let rest = rest
        .strip_prefix("fields ")
        .or_else(|| rest.strip_prefix("field "))
        .ok_or("bad field part")?;
    // Purposes, when not every one, follow the period: `, purpose research`.
    let (rest, purposes) = match rest
        .rsplit_once(", purposes ")
        .or_else(|| rest.rsplit_once(", purpose "))
    {
        Some((head, words)) => {
            let mut mask = 0u8;
            for w in words.split(", ") {
                let i = PURPOSES
                    .iter()
                    .position(|p| *p == w)
                    .ok_or(format!("unknown purpose `{w}`"))?;
                mask |= 1 << i;
            }
            (head, mask)
        }
        None => (rest, ALL_PURPOSES),
    };
    // The period is last: `YYYY-MM-DD until YYYY-MM-DD`.
    let (before, period) = rest.rsplit_once(", ").ok_or("no period")?;
    let (a, b) = period
        .split_once(" until ")
        .ok_or(format!("period `{period}` is not `A until B`"))?;
    let start = Day::parse(a).ok_or(format!("bad date `{a}`"))?;
    let end = Day::parse(b).ok_or(format!("bad date `{b}`"))?;
    // The place: `territories ..`, `worldwide ..` or a single code.
    let (fields_s, place_s) = if let Some(i) = before.rfind(", territories ") {
        (&before[..i], &before[i + 2..])
    } else if let Some(i) = before.rfind(", worldwide") {
        (&before[..i], &before[i + 2..])
    } else {
        before.rsplit_once(", ").ok_or("no place")?
    };
    let (fields, fields_cut) = parse_fields(&case.tree, fields_s)?;
    Ok(Witness {
        subjects,
        rights,
        fields,
        fields_cut,
        places: parse_places(place_s)?,
        start,
        end,
        purposes,
    })
}

/// The text after `asset NAME (`.
fn rest_after<'a>(s: &'a str, name: &str) -> Result<&'a str, String> {
    let head = format!("asset {name} (");
    s.strip_prefix(head.as_str())
        .ok_or(format!("no subject note after `{name}`"))
}

/// Every point of the witness lies in the clause's scope, and every subject it names is
/// the clause's and in force there.
pub(super) fn witness_inside(
    case: &Case,
    days: &[Day],
    w: &Witness,
    x: &Scope,
) -> Result<(), String> {
    let mine = clause_subjects(&case.assets, &x.assets);
    if let Some(s) = w.subjects.iter().find(|s| !mine.contains(s)) {
        return Err(format!("{s:?} not licensed by the clause"));
    }
    if (0..10).any(|r| w.rights[r] && !x.rights[r]) {
        return Err("a right outside the clause".into());
    }
    if (0..case.tree.len()).any(|f| w.fields[f] && !x.fields[f]) {
        return Err("a field outside the clause".into());
    }
    if (0..N_PLACES).any(|t| w.places[t] && !x.places[t]) {
        return Err("a country outside the clause".into());
    }
    if w.purposes & !x.purposes != 0 {
        return Err("a purpose outside the clause".into());
    }
    if w.start < x.start || w.end > x.end {
        return Err("a period outside the clause's term".into());
    }
    let in_period: Vec<Day> = std::iter::once(w.start)
        .chain(days.iter().copied())
        .filter(|d| w.start <= *d && *d < w.end)
        .collect();
    for t in (0..N_PLACES).filter(|&t| w.places[t]) {
        for &d in &in_period {
            if let Some(s) = w
                .subjects
                .iter()
                .find(|s| !subject_exists(&case.assets, **s, t, d))
            {
                let place = COUNTRIES.get(t).copied().unwrap_or("another country");
                return Err(format!("{s:?} is not in force in {place} on {d}"));
            }
        }
    }
    Ok(())
}

pub(super) fn witness_nonempty(w: &Witness) -> Result<(), String> {
    if !w.rights.iter().any(|x| *x)
        || !w.fields.iter().any(|x| *x)
        || !w.places.iter().any(|x| *x)
        || w.start >= w.end
        || w.purposes == 0
    {
        return Err("empty witness".into());
    }
    Ok(())
}
