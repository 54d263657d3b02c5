//! The generator: a random case as a spec and as `.xlic` text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

pub(super) fn mask_codes(mask: u32) -> String {
    let codes: Vec<&str> = (0..5)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| COUNTRIES[i])
        .collect();
    format!("[{}]", codes.join(", "))
}

pub(super) fn render_terr(t: TerrSpec) -> String {
    match t {
        TerrSpec::List(m) => mask_codes(m),
        TerrSpec::WorldwideExcept(m) => format!("worldwide except {}", mask_codes(m)),
    }
}

pub(super) fn render_field(tree: &Tree, f: &FieldSpec) -> String {
    let inc: Vec<String> = f.include.iter().map(|&n| tree.path(n)).collect();
    let mut s = inc.join(", ");
    if let Some(e) = f.except {
        write!(s, " except {}", tree.path(e)).unwrap();
    }
    s
}

pub(super) fn render_rights(r: &[usize]) -> String {
    r.iter().map(|&i| RIGHTS[i]).collect::<Vec<_>>().join(", ")
}

/// A node, with a bias towards the roots so that clauses meet often.
pub(super) fn random_path(rng: &mut Rng, tree: &Tree) -> usize {
    let roots: Vec<usize> = (0..tree.len()).filter(|&n| tree.depth(n) == 1).collect();
    if rng.chance(40) {
        *rng.pick(&roots)
    } else {
        rng.range(0, tree.len() - 1)
    }
}

/// A non-empty mask over the five countries, each in with probability `pct`%.
pub(super) fn country_mask(rng: &mut Rng, pct: u32) -> u32 {
    loop {
        let m = (0..5)
            .filter(|_| rng.chance(pct))
            .fold(0, |m, i| m | 1 << i);
        if m != 0 {
            return m;
        }
    }
}

pub(super) fn random_terr(rng: &mut Rng) -> TerrSpec {
    if rng.chance(70) {
        TerrSpec::List(country_mask(rng, 55))
    } else {
        TerrSpec::WorldwideExcept(country_mask(rng, 30))
    }
}

pub(super) fn random_term(rng: &mut Rng) -> (i32, i32) {
    let y1 = rng.range(2026, 2031) as i32;
    let y2 = rng.range(y1 as usize + 1, 2032) as i32;
    (y1, y2)
}

/// 1–2 distinct paths and, usually, an `except` strictly below one of them (so the
/// `except` removes something but never everything). Rarely an arbitrary `except`,
/// which may draw W0406 or E0304.
pub(super) fn random_field(rng: &mut Rng, tree: &Tree, allow_except: bool) -> FieldSpec {
    let n = tree.len();
    let mut include = vec![random_path(rng, tree)];
    if rng.chance(35) {
        let second = random_path(rng, tree);
        if !include.contains(&second) {
            include.push(second);
        }
    }
    let mut except = None;
    if allow_except && rng.chance(35) {
        if rng.chance(5) {
            except = Some(rng.range(0, n - 1));
        } else {
            let below: Vec<usize> = (0..n)
                .filter(|&x| include.iter().any(|&i| x != i && tree.under(x, i)))
                .collect();
            if !below.is_empty() {
                except = Some(*rng.pick(&below));
            }
        }
    }
    FieldSpec { include, except }
}

/// A non-empty mask over [`PURPOSES`], `non-commercial` often.
pub(super) fn random_purposes(rng: &mut Rng) -> u8 {
    if rng.chance(30) {
        NON_COMMERCIAL
    } else {
        u8::try_from(nonempty_mask(rng, PURPOSES.len())).unwrap()
    }
}

/// A `purpose` line's words; `non-commercial` for research and educational, sometimes.
pub(super) fn render_purposes(rng: &mut Rng, mask: u8) -> String {
    if mask == NON_COMMERCIAL && rng.chance(50) {
        return "non-commercial".into();
    }
    let words: Vec<&str> = (0..PURPOSES.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| PURPOSES[i])
        .collect();
    words.join(", ")
}

pub(super) fn random_rights(rng: &mut Rng, from: &[usize]) -> Vec<usize> {
    let m = nonempty_mask(rng, from.len());
    (0..from.len())
        .filter(|i| m & (1 << i) != 0)
        .map(|i| from[i])
        .collect()
}

pub(super) fn random_assets(rng: &mut Rng, n_assets: usize) -> Vec<usize> {
    let first = rng.range(0, n_assets - 1);
    let mut v = vec![first];
    if rng.chance(35) {
        let second = rng.range(0, n_assets - 1);
        if second != first {
            v.push(second);
        }
    }
    v
}

pub(super) fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let tree = Tree::random(&mut rng);

    let n_families = rng.range(2, 3);
    let mut assets: Vec<Asset> = Vec::new();
    let mut serial = 100_001u32;
    let new_patent = |rng: &mut Rng, serial: &mut u32, filed: Day| {
        let n_countries = rng.range(1, 3);
        let mut countries = 0u32;
        while (countries.count_ones() as usize) < n_countries {
            countries |= 1 << rng.range(0, 4);
        }
        let year = rng.range(2027, 2031) as i32;
        let expires = if rng.chance(25) {
            Day::jan1(year)
        } else {
            Day(year, rng.range(1, 12) as u32, rng.range(1, 28) as u32)
        };
        *serial += 1;
        Patent {
            number: *serial,
            countries,
            filed,
            expires,
        }
    };
    for i in 0..n_families {
        let n_patents = if rng.chance(20) { 0 } else { rng.range(1, 2) };
        let mut patents: Vec<Patent> = Vec::new();
        for _ in 0..n_patents {
            // Sometimes the same patent again, as an earlier family declared it.
            let earlier: Vec<Patent> = assets.iter().flat_map(|a| a.patents.clone()).collect();
            if !earlier.is_empty() && rng.chance(20) {
                let p = earlier[rng.range(0, earlier.len() - 1)].clone();
                if !patents.contains(&p) {
                    patents.push(p);
                }
                continue;
            }
            let filed = Day(rng.range(2018, 2025) as i32, rng.range(1, 12) as u32, 1);
            patents.push(new_patent(&mut rng, &mut serial, filed));
        }
        assets.push(Asset {
            name: format!("p{i}"),
            patents,
            capture: None,
        });
    }
    // Sometimes every patent `a` filed within a period, listing none or some of them.
    if rng.chance(35) {
        let (y1, y2) = (2020, 2024);
        let mut patents = Vec::new();
        if rng.chance(60) {
            let within: Vec<Patent> = assets
                .iter()
                .flat_map(|a| a.patents.clone())
                .filter(|p| Day::jan1(y1) <= p.filed && p.filed < Day::jan1(y2))
                .collect();
            if !within.is_empty() && rng.chance(50) {
                patents.push(within[rng.range(0, within.len() - 1)].clone());
            } else {
                let filed = Day(rng.range(y1 as usize, (y2 - 1) as usize) as i32, 6, 1);
                patents.push(new_patent(&mut rng, &mut serial, filed));
            }
        }
        assets.push(Asset {
            name: "q0".to_string(),
            patents,
            capture: Some((y1, y2)),
        });
    }
    let n_assets = assets.len();

    let n_res = if rng.chance(45) {
        0
    } else if rng.chance(80) {
        1
    } else {
        2
    };
    let mut reservations = Vec::new();
    for i in 0..n_res {
        let mut ra = vec![rng.range(0, n_assets - 1)];
        if rng.chance(15) {
            let second = rng.range(0, n_assets - 1);
            if second != ra[0] {
                ra.push(second);
            }
        }
        reservations.push(Reservation {
            name: format!("r{i}"),
            assets: ra,
            rights: rng
                .chance(35)
                .then(|| random_rights(&mut rng, &RESERVE_RIGHTS)),
            field: rng.chance(80).then(|| random_field(&mut rng, &tree, false)),
            terr: rng.chance(80).then(|| random_terr(&mut rng)),
            term: rng.chance(20).then(|| random_term(&mut rng)),
            purposes: rng.chance(25).then(|| random_purposes(&mut rng)),
        });
    }

    let n_grants = rng.range(2, 6);
    let mut grants = Vec::new();
    for i in 0..n_grants {
        // Redraw (usually) a grant that would convey nothing under one of its patent
        // assets, so that W0409 stays rare.
        let mut g = None;
        for attempt in 0..12 {
            let excl = match rng.range(0, 99) {
                0..=34 => Excl::Exclusive,
                35..=64 => Excl::Sole,
                _ => Excl::NonExclusive,
            };
            let mut subject_to = Vec::new();
            if excl == Excl::Exclusive && !reservations.is_empty() && rng.chance(45) {
                let m = nonempty_mask(&mut rng, reservations.len());
                subject_to = (0..reservations.len())
                    .filter(|r| m & (1 << r) != 0)
                    .collect();
            }
            let cand = Grant {
                id: format!("g{i}"),
                licensee: rng.range(1, 3),
                assets: random_assets(&mut rng, n_assets),
                rights: rng
                    .chance(80)
                    .then(|| random_rights(&mut rng, &GRANT_RIGHTS)),
                field: random_field(&mut rng, &tree, true),
                terr: random_terr(&mut rng),
                term: rng.chance(85).then(|| random_term(&mut rng)),
                excl,
                subject_to,
                purposes: rng.chance(25).then(|| random_purposes(&mut rng)),
                covenant: excl == Excl::NonExclusive && rng.chance(40),
            };
            let idle = cand.assets.iter().any(|&a| {
                let asset = &assets[a];
                !asset.patents.is_empty() && !conveys_something(&cand, asset)
            });
            if !idle || attempt == 11 || rng.chance(8) {
                g = Some(cand);
                break;
            }
        }
        grants.push(g.unwrap());
    }

    let text = render(&mut rng, &tree, &assets, &grants, &reservations);
    Case {
        tree,
        assets,
        grants,
        reservations,
        text,
    }
}

/// Whether some patent of the asset is in force somewhere and sometime in the grant.
pub(super) fn conveys_something(g: &Grant, asset: &Asset) -> bool {
    let (start, end) = term_days(g.term);
    let places = terr_places(g.terr);
    asset.patents.iter().any(|p| {
        (0..5).any(|t| places[t] && p.countries & (1 << t) != 0) && start < p.expires && start < end
    })
}

pub(super) fn render(
    rng: &mut Rng,
    tree: &Tree,
    assets: &[Asset],
    grants: &[Grant],
    reservations: &[Reservation],
) -> String {
    let mut items: Vec<String> = Vec::new();
    items.push(
        "agreement \"Oracle cross-license\" {\n  effective 2026-01-01\n  term 7 years\n}".into(),
    );
    for p in PARTIES {
        items.push(format!("party {p} \"Party {}\"", p.to_uppercase()));
    }
    let mut f = String::from("fields { ");
    tree.render(&mut f, None);
    f.push_str(" }");
    items.push(f);

    for a in assets {
        let mut s = match a.capture {
            Some((y1, y2)) => format!(
                "asset {}: patents of a filed {y1}-01-01 until {y2}-01-01",
                a.name
            ),
            None => format!("asset {}: patent family of a", a.name),
        };
        if !a.patents.is_empty() {
            s.push_str(" {\n");
            for p in &a.patents {
                // The number as an office might print it, in one of several forms.
                let number = if rng.chance(30) {
                    format!("EP{}", p.number)
                } else {
                    format!("EP {}", p.number)
                };
                writeln!(
                    s,
                    "  patent \"{number}\" filed {} expires {} in {}",
                    p.filed,
                    p.expires,
                    mask_codes(p.countries)
                )
                .unwrap();
            }
            s.push('}');
        }
        items.push(s);
    }
    // Every party owns know-how and licenses it non-exclusively to the next party, so
    // that W0404 stays quiet; these assets appear in no other clause.
    for (i, p) in PARTIES.iter().enumerate() {
        let to = PARTIES[(i + 1) % PARTIES.len()];
        items.push(format!("asset k_{p}: know-how of {p}"));
        items.push(format!(
            "grant share_{p}: {p} -> {to} {{\n  assets k_{p}\n  field all\n  territory worldwide\n  non-exclusive\n}}"
        ));
    }
    // A confidentiality clause covering the know-how keeps W0429 quiet.
    items.push("confidentiality { covers know-how }".into());
    for r in reservations {
        let names: Vec<&str> = r.assets.iter().map(|&a| assets[a].name.as_str()).collect();
        let mut s = format!("reserve {}: {} for a", r.name, names.join(", "));
        let mut body = String::new();
        if let Some(rt) = &r.rights {
            writeln!(body, "  rights {}", render_rights(rt)).unwrap();
        }
        if let Some(fs) = &r.field {
            writeln!(body, "  field {}", render_field(tree, fs)).unwrap();
        }
        if let Some(t) = r.terr {
            writeln!(body, "  territory {}", render_terr(t)).unwrap();
        }
        if let Some((y1, y2)) = r.term {
            writeln!(body, "  term {y1}-01-01 until {y2}-01-01").unwrap();
        }
        if let Some(m) = r.purposes {
            writeln!(body, "  purpose {}", render_purposes(rng, m)).unwrap();
        }
        if !body.is_empty() {
            write!(s, " {{\n{body}}}").unwrap();
        }
        items.push(s);
    }
    for g in grants {
        let names: Vec<&str> = g.assets.iter().map(|&a| assets[a].name.as_str()).collect();
        let head = if g.covenant { "covenant" } else { "grant" };
        let mut s = format!("{head} {}: a -> {} {{\n", g.id, PARTIES[g.licensee]);
        writeln!(s, "  assets {}", names.join(", ")).unwrap();
        if let Some(rt) = &g.rights {
            writeln!(s, "  rights {}", render_rights(rt)).unwrap();
        }
        writeln!(s, "  field {}", render_field(tree, &g.field)).unwrap();
        writeln!(s, "  territory {}", render_terr(g.terr)).unwrap();
        if let Some((y1, y2)) = g.term {
            writeln!(s, "  term {y1}-01-01 until {y2}-01-01").unwrap();
        }
        if let Some(m) = g.purposes {
            writeln!(s, "  purpose {}", render_purposes(rng, m)).unwrap();
        }
        let excl = match g.excl {
            Excl::Exclusive if g.subject_to.is_empty() => "exclusive".to_string(),
            Excl::Exclusive => {
                let n: Vec<&str> = g
                    .subject_to
                    .iter()
                    .map(|&r| reservations[r].name.as_str())
                    .collect();
                format!("exclusive subject to {}", n.join(", "))
            }
            Excl::Sole => "sole".to_string(),
            Excl::NonExclusive => "non-exclusive".to_string(),
        };
        // A covenant is non-exclusive by nature and states no exclusivity.
        if g.covenant {
            s.push('}');
        } else {
            write!(s, "  {excl}\n}}").unwrap();
        }
        items.push(s);
    }
    // Order does not matter in the language: sometimes prove it.
    if rng.chance(30) {
        rng.shuffle(&mut items);
    }
    items.join("\n\n") + "\n"
}
