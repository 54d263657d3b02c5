//! The prose emitters (`xlic build --emit markdown` / `--emit html`): snapshots of every
//! example, nothing silently dropped, determinism, and the HTML's self-containment.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use xlic::emit::prose;
use xlic::Compilation;

use crate::common::{compile, examples, stem};

fn markdown(c: &Compilation) -> String {
    prose::markdown(&c.model, &c.ledger, &c.sources)
}

fn html(c: &Compilation) -> String {
    prose::html(&c.model, &c.ledger, &c.sources, &c.diagnostics)
}

/// The HTML text of a string, as the page escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn examples_compile_cleanly() {
    for path in examples() {
        let c = compile(&path);
        assert!(
            c.diagnostics.is_empty(),
            "{} should compile cleanly: {:?}",
            path.display(),
            c.diagnostics
        );
    }
}

#[test]
fn markdown_snapshots() {
    for path in examples() {
        let c = compile(&path);
        insta::assert_snapshot!(format!("markdown__{}", stem(&path)), markdown(&c));
    }
}

#[test]
fn html_snapshots() {
    for path in examples() {
        let c = compile(&path);
        insta::assert_snapshot!(format!("html__{}", stem(&path)), html(&c));
    }
}

/// Every clause id the model has, as the prose documents them: grants, named
/// reservations, improvements clauses and their rules, sunsets, obligations.
fn clause_ids(c: &Compilation) -> Vec<String> {
    let m = &c.model;
    let mut ids = Vec::new();
    for a in &m.agreements {
        for g in &a.grants {
            ids.push(g.id.clone());
        }
        for r in &a.reservations {
            if let Some(n) = &r.name {
                ids.push(n.clone());
            }
        }
        for imp in &a.improvements {
            let assets: Vec<&str> = imp.assets.iter().map(|x| m.asset_name(*x)).collect();
            ids.push(format!("improvements on {}", assets.join(", ")));
            for rule in &imp.rules {
                let dir = match rule.direction {
                    xlic::syntax::ast::FlowDirection::GrantBack => "grant back",
                    xlic::syntax::ast::FlowDirection::LicenseForward => "license forward",
                };
                ids.push(format!(
                    "{dir} {} -> {}",
                    m.party_name(rule.from),
                    m.party_name(rule.to)
                ));
            }
        }
        for s in &a.sunsets {
            ids.push(format!("sunset {}", s.grant_name));
        }
        for o in &a.obligations {
            ids.push(o.id.clone());
        }
    }
    ids
}

/// An obligation clause of a pool stated once with the others like it (issue 18): the
/// text of the clause the clause index gives `id`, which must be a group's clause.
fn obligation_stated_with_others(c: &Compilation, md: &str, id: &str) -> Option<String> {
    let o = c
        .model
        .agreements
        .iter()
        .flat_map(|a| &a.obligations)
        .find(|o| o.id == id)?;
    let number = index_number(md, id)?;
    let group = format!("**{number}** `[{} members", o.kind.keyword());
    let start = md.find(&group)?;
    let rest = &md[start..];
    let end = rest[group.len()..]
        .find("\n**")
        .map_or(rest.len(), |i| i + group.len());
    Some(rest[..end].to_string())
}

/// The clause number the clause index gives `id`.
fn index_number(md: &str, id: &str) -> Option<String> {
    let row = md.lines().find(|l| l.contains(&format!("| `{id}` |")))?;
    Some(row.split('|').nth(1)?.trim().to_string())
}

/// A sunset stated in one clause with others (issue 18): the number of that clause
/// from the clause index's row of `id`, and the number of the clause of its grant.
fn stated_with_others(md: &str, id: &str) -> Option<(String, String)> {
    let row = md.lines().find(|l| l.contains(&format!("| `{id}` |")))?;
    let number = row.split('|').nth(1)?.trim().to_string();
    let grant = id.strip_prefix("sunset ")?;
    let grant_row = md.lines().find(|l| l.contains(&format!("| `{grant}` |")))?;
    let grant_number = grant_row.split('|').nth(1)?.trim().to_string();
    Some((number, grant_number))
}

#[test]
fn nothing_is_silently_dropped() {
    for path in examples() {
        let c = compile(&path);
        let md = markdown(&c);
        let page = html(&c);
        let ids = clause_ids(&c);
        assert!(!ids.is_empty());
        // A clause stated once with others like it keeps its id in the HTML's index.
        let in_html_index = |id: &str| {
            let row = format!("<code>{}</code>", esc(id).replace('_', "_<wbr>"));
            assert!(
                page.contains(&row),
                "{}: `{id}` is not in the HTML's clause index",
                path.display()
            );
        };
        for id in &ids {
            // Markdown: a numbered clause that starts with its id; or, for a pool's
            // sunset stated once with the others like it (issue 18), a row of the
            // clause index that points at that clause, which names the sunset's grant.
            let label = format!("`[{id}]` ");
            let line = match md.lines().find(|l| l.contains(&label)) {
                Some(line) => line,
                // An obligation of a pool stated once for every member it binds (issue
                // 18): indexed at that clause, which names each of its parties.
                None if obligation_stated_with_others(&c, &md, id).is_some() => {
                    let text = obligation_stated_with_others(&c, &md, id).unwrap_or_default();
                    let o = c
                        .model
                        .agreements
                        .iter()
                        .flat_map(|a| &a.obligations)
                        .find(|o| o.id == *id)
                        .unwrap();
                    for p in &o.parties {
                        let name = xlic::text::short_name(&c.model, *p);
                        assert!(
                            text.contains(&name),
                            "{}: `{id}` is stated in a clause that does not name {name}: {text}",
                            path.display()
                        );
                    }
                    in_html_index(id);
                    continue;
                }
                None if !id.starts_with("sunset ") => {
                    // A rule of a pool's improvements clause stated once with the others
                    // like it: indexed at the paragraph of its improvements clause.
                    let number = index_number(&md, id).unwrap_or_else(|| {
                        panic!("{}: no clause `[{id}]` in the Markdown", path.display())
                    });
                    let own = ids.iter().any(|other| {
                        other.starts_with("improvements on ")
                            && index_number(&md, other).as_deref() == Some(number.as_str())
                            && md.contains(&format!("`[{other}]` "))
                    });
                    assert!(
                        own,
                        "{}: `{id}` is indexed at {number}, which is no improvements paragraph",
                        path.display()
                    );
                    in_html_index(id);
                    continue;
                }
                None => {
                    let (number, grant) = stated_with_others(&md, id).unwrap_or_else(|| {
                        panic!("{}: no clause `[{id}]` in the Markdown", path.display())
                    });
                    let clause = md
                        .lines()
                        .find(|l| l.starts_with(&format!("**{number}** `[sunset members")))
                        .unwrap_or_else(|| {
                            panic!(
                                "{}: `{id}` is indexed at {number}, which is no sunset clause",
                                path.display()
                            )
                        });
                    assert!(
                        clause.contains(&format!("Clause {grant}"))
                            || clause.contains(&format!(" {grant} "))
                            || clause.contains(&format!(" {grant},"))
                            || clause.contains(&format!(" {grant}:")),
                        "{}: clause {number} does not name Clause {grant} of `{id}`: {clause}",
                        path.display()
                    );
                    in_html_index(id);
                    continue;
                }
            };
            assert!(
                line.trim_start().starts_with("**"),
                "{}: `[{id}]` is not at the start of a numbered clause: {line}",
                path.display()
            );
            let text = line.split(&label).nth(1).unwrap_or("");
            assert!(
                text.len() > 20,
                "{}: clause `[{id}]` has no text",
                path.display()
            );
            // HTML: the clause's id label.
            let cid = format!("title=\"Clause id\">{}</a>", esc(id));
            assert!(
                page.contains(&cid),
                "{}: no clause labelled {id} in the HTML",
                path.display()
            );
        }
        // Each grant is one sentence naming its licensor; each grant-back's sunset is
        // shown as the last day it covers; every listed patent is defined.
        for a in &c.model.agreements {
            for g in &a.grants {
                let legal = &c.model.party(g.licensor).unwrap().legal_name;
                let line = md
                    .lines()
                    .find(|l| l.contains(&format!("`[{}]` ", g.id)))
                    .unwrap();
                // A covenant not to sue and a release (issue 15) say so instead. A pool's
                // grant stated in a paragraph of its group's clause (issue 18) names its
                // licensor there; the verb is the clause's shared sentence's.
                let (_, verb) = clause_words(g);
                let said = pool_clause_of(&md, line).unwrap_or(line);
                assert!(
                    line.contains(&format!("{legal} (\"")) && said.contains(verb),
                    "{}: grant {} is not a full sentence: {line}",
                    path.display(),
                    g.id
                );
            }
            for imp in &a.improvements {
                for rule in &imp.rules {
                    if let Some(s) = rule.sunset {
                        let last = s.pred().unwrap().long_form();
                        assert!(
                            md.contains(&last),
                            "{}: sunset {last} missing",
                            path.display()
                        );
                        assert!(
                            page.contains(&last),
                            "{}: sunset {last} missing",
                            path.display()
                        );
                    }
                }
            }
        }
        for asset in &c.model.assets {
            for p in &asset.patents {
                assert!(
                    md.contains(&p.number),
                    "{}: patent {}",
                    path.display(),
                    p.number
                );
                assert!(page.contains(&esc(&p.number)));
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    for path in examples() {
        let a = compile(&path);
        let b = compile(&path);
        assert_eq!(markdown(&a), markdown(&a));
        assert_eq!(markdown(&a), markdown(&b));
        assert_eq!(html(&a), html(&b));
    }
}

/// Every `id="…"` of a page.
fn element_ids(page: &str) -> Vec<String> {
    page.split(" id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn html_is_self_contained() {
    for path in examples() {
        let c = compile(&path);
        let page = html(&c);
        assert!(page.starts_with("<!DOCTYPE html>"));
        // An inline SVG with explicit width, height and viewBox.
        let svg_at = page.find("<svg").expect("a timeline");
        let tag = &page[svg_at..svg_at + page[svg_at..].find('>').unwrap()];
        assert!(tag.contains(" width=\""), "{tag}");
        assert!(tag.contains(" height=\""), "{tag}");
        assert!(tag.contains(" viewBox=\""), "{tag}");
        // No external URL anywhere, except the SVG namespace.
        let stripped = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!stripped.contains("http://"), "{}", path.display());
        assert!(!stripped.contains("https://"), "{}", path.display());
        assert!(!page.contains("<script"), "no scripts needed");
        assert!(!page.contains("<link"), "no external stylesheets");
        assert!(!page.contains("@import"));
        assert!(!page.contains("url(http"));
        // Anchors are unique, and every internal link points at one.
        let ids = element_ids(&page);
        let set: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(set.len(), ids.len(), "duplicate ids in {}", path.display());
        for href in page.split("href=\"#").skip(1) {
            let target = href.split('"').next().unwrap();
            assert!(
                set.contains(&target.to_string()),
                "{}: link to missing #{target}",
                path.display()
            );
        }
    }
}

#[test]
fn html_escapes_text() {
    let src = r#"
agreement "Tom & Jerry's <script>alert(1)</script> \"Deal\"" {
  effective 2026-01-01
  term 5 years
  governing law "Laws of <England> & Wales"
  kind license
  note "Recital with <b>markup</b> & 'quotes' and *stars* _underscores_ [links](x)"
}
party tom "Tom <Cat> & Co." { short "Tom" }
party jerry "Jerry \"Mouse\" Ltd." { short "Jerry" }
fields { cheese "Cheese <Hard> & Soft" }
asset trap: know-how of tom { note "A <trap> & more" }
grant t1: tom -> jerry {
  assets trap
  field cheese
  territory [DE, AT, CH]
  non-exclusive
  milestone 5_000 USD on "the <first> sale & more"
}
"#;
    let c = xlic::compile_text("escape.xlic", src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let page = html(&c);
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<b>markup"));
    assert!(!page.contains("<Cat>"));
    assert!(page.contains("Tom &lt;Cat&gt; &amp; Co."));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("Jerry &quot;Mouse&quot; Ltd."));
    assert!(page.contains("&#39;quotes&#39;"));
    let md = markdown(&c);
    assert!(md.contains("\\*stars\\*"), "{md}");
    assert!(md.contains("\\_underscores\\_"), "{md}");
    assert!(md.contains("\\[links\\](x)"), "{md}");
    assert!(md.contains("in Austria, Germany and Switzerland"), "{md}");
}

#[test]
fn findings_are_shown_at_their_clause() {
    let path = Path::new("tests/fixtures/conflicts/err/E0301_exclusive_grants_overlap.xlic");
    let c = compile(path);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0301")
        .expect("an E0301");
    // The grant whose span holds the primary span.
    let a = &c.model.agreements[0];
    let g = a
        .grants
        .iter()
        .find(|g| g.span.start <= d.primary.span.start && d.primary.span.end <= g.span.end)
        .expect("the grant the conflict is reported at");
    let page = html(&c);
    let at = page
        .find(&format!("title=\"Clause id\">{}</a>", esc(&g.id)))
        .unwrap();
    let clause_start = page[..at]
        .rfind("<div class=\"clause ")
        .max(page[..at].rfind("<div class=\"clause\""))
        .unwrap();
    assert!(page[clause_start..at].contains("has-error"));
    let next = page[at..]
        .find("<div class=\"clause ")
        .map_or(page.len(), |i| at + i);
    let body = &page[at..next];
    assert!(body.contains("<aside class=\"finding error\""), "{body}");
    assert!(body.contains("E0301"));
    assert!(
        body.contains("Also concerns"),
        "secondary clause linked: {body}"
    );
    // A summary at the top links to the clause.
    assert!(page.contains("Findings ("));
    // The Markdown is still rendered for a set with errors.
    assert!(markdown(&c).contains(&format!("`[{}]`", g.id)));
}

#[test]
fn several_agreements_render_one_after_another() {
    let path = Path::new("tests/fixtures/conflicts/err/E0301_across_agreements.d");
    let c = compile(path);
    assert!(c.model.agreements.len() >= 2);
    let md = markdown(&c);
    let headings = md.lines().filter(|l| l.starts_with("# ")).count();
    assert_eq!(headings, c.model.agreements.len());
    let page = html(&c);
    assert_eq!(
        page.matches("<article class=\"agreement\"").count(),
        c.model.agreements.len()
    );
    let ids = element_ids(&page);
    let set: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "duplicate ids across agreements");
    for id in clause_ids(&c) {
        assert!(md.contains(&format!("`[{id}]`")));
        assert!(page.contains(&format!("title=\"Clause id\">{}</a>", esc(&id))));
    }
}

#[test]
fn acme_globex_grant_sentence() {
    let c = compile(Path::new("examples/acme_globex.xlic"));
    let md = markdown(&c);
    let line = md
        .lines()
        .find(|l| l.contains("`[acme_to_globex]`"))
        .unwrap();
    for part in [
        "Acme Robotics, Inc. (\"Acme\") hereby grants to Globex Corporation (\"Globex\") an exclusive, non-transferable license",
        "to make, use, sell and import licensed products in the Field of Consumer Robotics, excluding Robotic Lawn Mowers, throughout the world except China and Russia",
        "for the term commencing on 1 January 2026 and ending on 31 December 2030",
        "with the right to grant sublicenses to its Affiliates only",
        "2.5% of net sales, capped at USD 1,000,000 per year",
    ] {
        assert!(line.contains(part), "missing {part:?} in:\n{line}");
    }
}

/// Every fixture (`tests/fixtures/**`): single files and `NAME.d` folders.
fn fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            if p.is_dir() {
                if p.extension().is_some_and(|x| x == "d") {
                    out.push(rel);
                } else {
                    walk(&p, root, out);
                }
            } else if p.extension().is_some_and(|x| x == "xlic") {
                out.push(rel);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("tests/fixtures"), root, &mut out);
    out
}

/// The renderers take whatever the compiler produced, errors included: they never
/// panic, and the page stays self-contained with unique anchors, every diagnostic
/// shown somewhere on it.
#[test]
fn every_fixture_renders() {
    let all = fixtures();
    assert!(all.len() > 20, "fixtures found: {}", all.len());
    for path in all {
        let c = compile(&path);
        let md = markdown(&c);
        assert!(!md.is_empty());
        let page = html(&c);
        let stripped = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!stripped.contains("http://") && !stripped.contains("https://"));
        let ids = element_ids(&page);
        let set: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(set.len(), ids.len(), "duplicate ids in {}", path.display());
        for d in &c.diagnostics {
            assert!(
                page.contains(&format!("<code>{}</code>", d.code)),
                "{}: {} not shown",
                path.display(),
                d.code
            );
        }
    }
}

#[test]
fn phrasing_of_territories_terms_and_money() {
    let src = r#"
agreement "Phrasing Test" {
  effective 2026-01-01
  term perpetual
  kind license
}
party orbis "Orbis Optics, Inc." { short "Orbis" }
party kestrel "Kestrel Devices Ltd."
fields { imaging "Imaging" { medical "Medical Imaging" } consumer }
asset lens: patent family of orbis {
  patent "US 11,482,113" expires 2040-03-02
  patent "JP 7 210 554" expires 2041-03-02
}
asset recipes: know-how of orbis
grant eu_grant: orbis -> kestrel {
  assets recipes
  field consumer
  territory EU
  term 2026-01-01 until 2027-01-01
  sole
  royalty 0.50 USD per unit, floor 12_500.75 USD per year
}
grant long_list: orbis -> kestrel {
  assets recipes
  field imaging except imaging.medical
  territory [AR, BR, CL, CO, PE, MX, US, CA, JP, KR, AU, NZ, ZA, EG, IN]
  term perpetual
  non-exclusive
  lump sum 1_000_000 USD on 2026-06-30
}
grant lens_expiry: orbis -> kestrel {
  assets lens
  field imaging
  territory worldwide
  term until expiry
  non-exclusive
  royalty 3% of net sales
}
"#;
    let c = xlic::compile_text("phrasing.xlic", src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let md = markdown(&c);
    let line = |id: &str| {
        md.lines()
            .find(|l| l.contains(&format!("`[{id}]`")))
            .unwrap()
            .to_string()
    };
    let eu = line("eu_grant");
    assert!(
        eu.contains("in the member states of the European Union"),
        "{eu}"
    );
    assert!(eu.contains("ending on 31 December 2026"), "{eu}");
    assert!(eu.contains("a sole, non-transferable license"), "{eu}");
    assert!(eu.contains("Kestrel Devices Ltd. (\"Kestrel\")"), "{eu}");
    assert!(eu.contains("USD 0.50 per licensed unit"), "{eu}");
    assert!(eu.contains("USD 12,500.75 per year"), "{eu}");
    assert!(md.contains("**European Union**"), "EU defined: {md}");
    let long = line("long_list");
    assert!(long.contains("in the Territory"), "{long}");
    assert!(long.contains("continuing in perpetuity"), "{long}");
    assert!(
        long.contains("in the Field of Imaging, excluding Medical Imaging"),
        "{long}"
    );
    assert!(
        long.contains("USD 1,000,000, payable on 30 June 2026"),
        "{long}"
    );
    assert!(
        md.contains("\"**Territory**\" means the following 15 countries: Argentina, Australia"),
        "{md}"
    );
    let exp = line("lens_expiry");
    assert!(
        exp.contains(
            "continuing, in each country, until the last to expire of the Lens Patents in force there expires"
        ),
        "{exp}"
    );
    // The ledger's end in each country: the US patent's, and the Japanese patent's (the
    // last anywhere) in Japan and where none is in force.
    assert!(
        exp.contains("(on the patents listed in Article 1, up to and including 1 March 2040 in the United States; and up to and including 1 March 2041 in every other country of the territory)"),
        "{exp}"
    );
    assert!(exp.contains("throughout the world"), "{exp}");
    assert!(md.contains("has no fixed expiry date"), "{md}");
}

/// An editor's hover on a grant says the grant in the very words of its clause in the
/// prose (one sentence builder for both).
#[test]
fn hovers_say_each_grant_as_the_prose_does() {
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let analysis = xlic::ide::analyze_text(&name, &text);
        let file = analysis.file_by_name(&name).unwrap();
        let c = &analysis.compilation;
        let md = prose::markdown(&c.model, &c.ledger, &c.sources);
        for a in &analysis.compilation.model.agreements {
            for g in &a.grants {
                let marker = format!("`[{}]` ", g.id);
                let line = md.lines().find(|l| l.contains(&marker)).unwrap();
                let sentence = line.split_once(&marker).unwrap().1.trim();
                // On the id, after `grant`, `covenant` or `release` (a labelled grant
                // has its label between the id and the colon).
                let (keyword, _) = clause_words(g);
                let at = g.header.start as usize + keyword.len() + 1;
                assert!(
                    text[g.header.start as usize..].starts_with(keyword),
                    "{name}: {}",
                    g.id
                );
                let hover = xlic::ide::hover(&analysis, file, at as u32).unwrap();
                // A pool's grant stated in a paragraph of its group's clause (issue 18):
                // the hover says the grant as one sentence, with each of the paragraph's
                // values (licensor, licensees, assets, what differs from the shared terms).
                let said: Vec<&str> = match pool_clause_of(&md, line) {
                    Some(_) => sentence
                        .trim_end_matches('.')
                        .split("; ")
                        .filter_map(|item| item.split_once(": ").map(|(_, v)| v))
                        .map(|v| {
                            v.trim_end_matches(" and their respective Affiliates")
                                .trim_end_matches(" and its Affiliates")
                        })
                        .collect(),
                    None => vec![sentence],
                };
                assert!(
                    said.len() >= 3 || pool_clause_of(&md, line).is_none(),
                    "{name}: `{}` says too little: {sentence}",
                    g.id
                );
                for words in said {
                    assert!(
                        hover.contains(words),
                        "{name}: the hover on `{}` does not say\n{words}\nit says\n{hover}",
                        g.id
                    );
                }
            }
        }
    }
}

/// For a grant's line that is a lettered paragraph of a pool's clause (issue 18), the
/// line of that clause's shared sentence: the last clause line before it.
fn pool_clause_of<'m>(md: &'m str, line: &str) -> Option<&'m str> {
    if !line.starts_with("  **(") {
        return None;
    }
    let at = md.find(line)?;
    md[..at].lines().rev().find(|l| l.starts_with("**"))
}

/// The keyword that starts a grant-like clause in the source and the words its prose
/// sentence says it with: a grant, a covenant not to sue or a release (issue 15).
fn clause_words(g: &xlic::model::GrantModel) -> (&'static str, &'static str) {
    if g.covenant {
        ("covenant ", "hereby covenants not to sue")
    } else if g.release.is_some() {
        ("release ", "hereby releases")
    } else {
        ("grant ", "hereby grants to")
    }
}

/// The clause of a grant or sunset in the Markdown: its line and the paragraphs under it.
fn clause_text(md: &str, id: &str) -> String {
    let marker = format!("`[{id}]`");
    let start = md.find(&marker).unwrap();
    let rest = &md[start..];
    let end = rest[marker.len()..]
        .find("\n**")
        .map_or(rest.len(), |i| i + marker.len());
    rest[..end].to_string()
}

/// Asserts that a clause says a phrase.
fn says(md: &str, id: &str, phrase: &str) {
    let c = clause_text(md, id);
    assert!(
        c.contains(phrase),
        "clause `{id}` does not say {phrase:?}:\n{c}"
    );
}

const LEDGER_HEAD: &str = r#"
agreement "Ledger Facts" {
  effective 2026-01-01
  term 10 years
  kind license
}
party orbis "Orbis Optics, Inc." { short "Orbis" }
party kestrel "Kestrel Devices Ltd." { affiliate kestrel_de "Kestrel Devices GmbH" }
fields { imaging }
asset recipes: know-how of orbis
"#;

/// The wind-down sells off only what was licensed among sell, offer and distribute; a
/// license with none of them gets no wind-down paragraph.
#[test]
fn wind_down_gives_only_the_granted_selling_rights() {
    let src = format!(
        "{LEDGER_HEAD}
grant sells: orbis -> kestrel {{
  assets recipes  rights make, offer, distribute  field imaging  territory [US]
  term 2026-01-01 until 2030-01-01  non-exclusive
}}
sunset sells {{ wind down 90 days }}
grant makes: orbis -> kestrel {{
  assets recipes  rights make, use  field imaging  territory [US]
  term 2026-01-01 until 2030-01-01  non-exclusive
}}
sunset makes {{ wind down 90 days  terminate on breach }}
grant quiet: orbis -> kestrel {{
  assets recipes  rights use  field imaging  territory [DE]
  term 2026-01-01 until 2030-01-01  non-exclusive
}}
sunset quiet {{ wind down 30 days }}
"
    );
    let c = xlic::compile_text("wind.xlic", &src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let md = markdown(&c);
    says(&md, "sunset sells", "For 90 days after the license ends (from 1 January 2030 up to and including 31 March 2030), Kestrel may offer for sale and distribute licensed products it holds");
    says(&md, "sunset makes", "(a) **Termination.**");
    says(&md, "sunset quiet", "No renewal, renegotiation, wind-down, termination or survival terms apply to the license granted in");
    for id in ["sunset makes", "sunset quiet"] {
        assert!(!clause_text(&md, id).contains("Wind-down"), "{id}");
    }
    // The timeline draws a wind-down only for the license that sells something.
    let page = html(&c);
    assert_eq!(page.matches("<title>Wind-down (sell-off only)").count(), 1);
}

/// A license that survives the agreement says so, and one that does not ends with the
/// agreement even where its own term runs on (an error the checker reports, rendered
/// all the same).
#[test]
fn the_agreement_window_bounds_the_term_the_prose_states() {
    let src = format!(
        "{LEDGER_HEAD}
grant lasting: orbis -> kestrel {{
  assets recipes  field imaging  territory [US]  term perpetual  non-exclusive
}}
sunset lasting {{ survives license, confidentiality }}
grant bounded: orbis -> kestrel {{
  assets recipes  field imaging  territory [US]  term perpetual  non-exclusive
}}
sunset bounded {{ renew automatically for 5 years, at most 2 times }}
"
    );
    let c = xlic::compile_text("window.xlic", &src);
    let codes: Vec<String> = c.diagnostics.iter().map(|d| d.code.to_string()).collect();
    assert!(codes.contains(&"E0203".to_string()), "{codes:?}");
    let md = markdown(&c);
    for (id, phrase) in [
        ("lasting", "for a term commencing on 1 January 2026 and continuing in perpetuity"),
        ("sunset lasting", "**Survival.** The license survives the expiry or termination of this Agreement. The obligations relating to confidentiality survive the expiry or termination of the license."),
        ("bounded", "for the term commencing on 1 January 2026 and ending on 31 December 2035, when this Agreement ends"),
        ("sunset bounded", "If every renewal takes effect, the license ends on 31 December 2035, when this Agreement ends."),
    ] {
        says(&md, id, phrase);
    }
}

/// `release from`: the term article says how far back licenses may reach, a license
/// that starts before the Effective Date says it releases the acts done since its
/// start, and that start is the first day `xlic query` permits; a license without a
/// term of its own starts on the Effective Date and says nothing of the past.
#[test]
fn a_release_of_past_acts_is_stated_as_the_query_answers() {
    let src = r#"
agreement "Release" {
  effective 2026-01-01
  release from 2024-01-01
  term 10 years
  kind license
}
party orbis "Orbis Optics, Inc." { short "Orbis" }
party kestrel "Kestrel Devices Ltd." { short "Kestrel" }
fields { imaging }
asset recipes: know-how of orbis
grant past: orbis -> kestrel {
  assets recipes  field imaging  territory [US]  non-exclusive
  term 2024-06-01 until 2036-01-01
}
grant present: orbis -> kestrel {
  assets recipes  field imaging  territory [DE]  non-exclusive
}
confidentiality { covers know-how }
"#;
    let c = xlic::compile_text("release.xlic", src);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let md = markdown(&c);
    says(&md, "agreement", "A license granted in this Agreement may reach back before the Effective Date, to acts done from 1 January 2024 (a release of past acts)");
    says(&md, "past", "for the term commencing on 1 June 2024 and ending on 31 December 2035 (this license reaches back before the Effective Date and releases the acts done from 1 June 2024)");
    says(
        &md,
        "present",
        "for the term commencing on 1 January 2026 and ending on 31 December 2035,",
    );
    assert!(!clause_text(&md, "present").contains("reaches back"));

    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let ev = xlic::query::Evaluator::new(&policy).unwrap();
    let decision = |country: &str, date: &str| {
        ev.evaluate(&xlic::query::Request {
            licensee: "kestrel".into(),
            asset: "recipes".into(),
            right: "use".into(),
            field: "imaging".into(),
            territory: country.into(),
            date: date.into(),
            purpose: None,
            affiliate: None,
        })
        .unwrap()
        .decision
    };
    use xlic::query::Decision::{Deny, Permit};
    assert_eq!(decision("US", "2024-05-31"), Deny);
    assert_eq!(decision("US", "2024-06-01"), Permit);
    assert_eq!(decision("DE", "2025-12-31"), Deny);
    assert_eq!(decision("DE", "2026-01-01"), Permit);
}

/// The numbered parties of the preamble, one line each.
fn preamble_parties(md: &str) -> Vec<String> {
    let start = md
        .find(" between:")
        .or_else(|| md.find(" by and among:"))
        .unwrap();
    let end = md.find("each a \"").unwrap();
    md[start..end]
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// An affiliate that appears only as a licensee is not made a contracting Party: its
/// own party is, and Article 1 names it as that party's Affiliate. An affiliate that
/// grants, or that the `parties` line lists, is a Party. The JSON policy still lists
/// every party the agreement names.
#[test]
fn an_affiliate_named_only_as_a_licensee_is_not_a_party() {
    let head = r#"
party acme "Acme Robotics, Inc." { short "Acme" affiliate acme_labs "Acme Labs LLC" }
party globex "Globex Corporation" { short "Globex" affiliate globex_uk "Globex UK Ltd" }
fields { robotics }
asset acme_core: know-how of acme
"#;
    let grant = r#"
grant to_uk: acme -> globex_uk {
  assets acme_core  field robotics  territory [GB]  non-exclusive
}
"#;
    let agreement = |parties: &str| {
        format!(
            "agreement \"Affiliates\" {{\n  effective 2026-01-01\n  term 5 years\n  kind license{parties}\n}}\n{head}{grant}"
        )
    };
    let c = xlic::compile_text("affiliates.xlic", &agreement(""));
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let md = markdown(&c);
    assert_eq!(
        preamble_parties(&md),
        [
            "1. **Acme Robotics, Inc.** (\"Acme\"); and",
            "2. **Globex Corporation** (\"Globex\"),"
        ],
        "{md}"
    );
    assert!(
        md.contains("\"**Affiliate**\" of a Party means only the companies named for it below, and no other: for Acme, Acme Labs LLC; for Globex, Globex UK Ltd."),
        "{md}"
    );
    // The grant still introduces its licensee by name.
    assert!(
        md.contains("grants to Globex UK Ltd (\"Globex Uk\")"),
        "{md}"
    );
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    assert_eq!(policy.agreements[0].parties, ["acme", "globex_uk"]);

    // Listed with `parties`, the affiliate is a Party in its own right.
    let c = xlic::compile_text("affiliates.xlic", &agreement("\n  parties acme, globex_uk"));
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    assert_eq!(
        preamble_parties(&markdown(&c)),
        [
            "1. **Acme Robotics, Inc.** (\"Acme\"); and",
            "2. **Globex UK Ltd** (\"Globex Uk\"), an Affiliate of Globex,"
        ]
    );
}

// ------------------------------------------------------------------ counsel's copy (issue 18)

fn acme_globex() -> PathBuf {
    examples()
        .into_iter()
        .find(|p| stem(p) == "acme_globex")
        .unwrap()
}

/// Clause-id tags and the banner: shown by default, left out on request, in all three
/// formats; the agreement's text is otherwise the same.
#[test]
fn clause_ids_and_the_banner_can_be_left_out() {
    let path = acme_globex();
    let c = compile(&path);
    let both = prose::ProseOptions::default();
    let bare = prose::ProseOptions {
        clause_ids: false,
        banner: false,
        ..Default::default()
    };
    let md = |o| prose::markdown_with(&c.model, &c.ledger, &c.sources, o);
    let (full, clean) = (md(both), md(bare));
    assert_eq!(full, markdown(&c), "the default is what `markdown` writes");
    assert!(full.contains("compiled by xlic") && full.contains("`[acme_to_globex]`"));
    assert!(!clean.contains("compiled by xlic"), "{clean}");
    assert!(!clean.contains("[acme_to_globex]"), "{clean}");
    assert!(!clean.contains("clause id"), "{clean}");
    // Only the tags and the clause index went: every line of the clean text is a line
    // of the full one with its tag removed.
    let index = full.find("## Schedule 2 \u{2014} Clause Index").unwrap();
    assert!(!clean.contains("Clause Index"), "{clean}");
    let untagged: String = full[..index]
        .lines()
        .filter(|l| !l.starts_with("*Cross-license agreement"))
        .map(|l| {
            let mut l = l.to_string();
            while let Some(i) = l.find(" `[") {
                let end = l[i..].find("]`").map(|e| i + e + 2).unwrap();
                l.replace_range(i..end, "");
            }
            l + "\n"
        })
        .collect();
    let clean_lines: String = clean.lines().map(|l| format!("{l}\n")).collect();
    assert_eq!(untagged.replace("\n\n\n", "\n\n"), clean_lines);
    // Ids only: the banner stays, without its sentence about ids.
    let ids_off = md(prose::ProseOptions {
        clause_ids: false,
        banner: true,
        ..Default::default()
    });
    assert!(ids_off.contains("compiled by xlic") && !ids_off.contains("clause id"));

    let page = |o| prose::html_with(&c.model, &c.ledger, &c.sources, &c.diagnostics, o);
    let (full, clean) = (page(both), page(bare));
    assert_eq!(full, html(&c));
    assert!(full.contains("class=\"banner\"") && full.contains("class=\"cid\""));
    assert!(!clean.contains("class=\"banner\""), "no banner");
    assert!(!clean.contains("class=\"cid\"") && !clean.contains("acme_globex.xlic:"));

    let document = |o| {
        let bytes = prose::docx_with(&c.model, &c.ledger, &c.sources, o).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let (full, clean) = (document(both), document(bare));
    assert!(full.contains("compiled by xlic") && full.contains("[acme_to_globex]"));
    assert!(!clean.contains("compiled by xlic") && !clean.contains("[acme_to_globex]"));
}

#[test]
fn build_takes_no_clause_ids_and_no_banner() {
    let path = acme_globex();
    for emit in ["markdown", "html", "docx"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_xlic"))
            .args(["build", "--emit", emit, "--no-clause-ids", "--no-banner"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{emit}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Acme Robotics"), "{emit}");
        assert!(!text.contains("compiled by xlic"), "{emit}");
        assert!(!text.contains("[acme_to_globex]"), "{emit}");
    }
}

#[test]
fn a_recital_does_not_repeat_its_heading() {
    let src = "\
agreement \"R\" {
  effective 2026-01-01
  note \"Recitals: each party owns patents on optical sensing.\"
  note \"RECITAL — the parties wish to license them to each other.\"
  note \"Recitals:\"
  note \"Recitals of earlier deals are superseded.\"
}
party a \"A\"
party b \"B\"
fields { optics }
asset p: know-how of a
grant g: a -> b { assets p field optics territory worldwide non-exclusive }
";
    let c = xlic::compile_text("recitals.xlic", src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let md = markdown(&c);
    assert!(
        md.contains("(A) each party owns patents on optical sensing."),
        "{md}"
    );
    assert!(
        md.contains("(B) the parties wish to license them to each other."),
        "{md}"
    );
    // A label alone says nothing: no empty recital. A note that merely starts with the
    // word keeps it.
    assert!(
        md.contains("(C) Recitals of earlier deals are superseded."),
        "{md}"
    );
    assert!(!md.contains("(D)"), "{md}");
    assert!(!md.to_lowercase().contains("recitals: "), "{md}");
    let page = html(&c);
    assert!(!page.contains("Recitals:"), "{page}");
}

/// The timeline of acme_globex: the wind-down of `acme_to_globex` sits in its own lane
/// below the renewal options (both start when the base term ends), each licensed
/// patent's lapse is marked, `as_of` draws a line with its date, and every legend item
/// starts inside the figure (it wraps onto a second line).
#[test]
fn timeline_marks_wind_down_apart_expiries_and_as_of() {
    let c = compile(&acme_globex());
    let svg_of = |page: &str| {
        let start = page.find("<svg").unwrap();
        let end = page[start..].find("</svg>").unwrap() + start;
        page[start..end].to_string()
    };
    let plain = svg_of(&html(&c));
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!(" {name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let rect_before = |svg: &str, title: &str| -> String {
        let at = svg.find(title).unwrap();
        let open = svg[..at].rfind("<rect").unwrap();
        svg[open..at].to_string()
    };
    let wind = rect_before(&plain, "<title>Wind-down (sell-off only)");
    let renewal = rect_before(&plain, "<title>Renewal option");
    let (wy, wh) = (attr(&wind, "y"), attr(&wind, "height"));
    let (ry, rh) = (attr(&renewal, "y"), attr(&renewal, "height"));
    assert!(
        wy >= ry + rh,
        "the wind-down ({wy}+{wh}) overlaps a renewal ({ry}+{rh})"
    );
    assert!(
        plain.contains("Patent US 11,234,567 lapses: in force up to and including 30 April 2038"),
        "{plain}"
    );
    assert!(plain.contains(">Patent lapses</text>"));
    assert!(
        !plain.contains("class=\"asof\""),
        "no as-of line unless asked"
    );
    let legend_x: Vec<f64> = plain
        .match_indices("<g transform=\"translate(")
        .map(|(i, m)| {
            plain[i + m.len()..]
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(legend_x.len() >= 6, "{legend_x:?}");
    assert!(
        legend_x.iter().all(|x| *x < 800.0),
        "a legend item starts past the figure: {legend_x:?}"
    );
    assert!(
        legend_x.iter().filter(|x| **x == 10.0).count() >= 2,
        "the legend wraps: {legend_x:?}"
    );

    let options = prose::ProseOptions {
        as_of: Some(xlic::date::Date::parse("2027-03-01").unwrap()),
        ..Default::default()
    };
    let dated = svg_of(&prose::html_with(
        &c.model,
        &c.ledger,
        &c.sources,
        &c.diagnostics,
        options,
    ));
    let label = xlic::text::short_date(xlic::date::Date::parse("2027-03-01").unwrap());
    assert!(
        dated.contains(&format!(
            "class=\"asof\" text-anchor=\"middle\">as of {label}</text>"
        )),
        "{dated}"
    );
    assert!(dated.contains("<title>As of 1 March 2027</title>"));
}

/// issue 18: in a pool, obligation clauses that say the same but for the member they
/// bind are one clause naming those members; a member whose clause differs keeps its
/// own; every clause's id stays in the clause index at the clause that states it.
#[test]
fn a_pools_identical_obligations_are_stated_once() {
    let src = r#"
agreement p "Pool" {
  effective 2026-01-01
  term 5 years
  kind pool
  parties ada, bo, cy, di
}
party ada "Ada Corp." { short "Ada" }
party bo "Bo Ltd." { short "Bo" }
party cy "Cy AG" { short "Cy" }
party di "Di SA" { short "Di" }
fields { video }
asset ada_family: patent family of ada
grant ada_pool: ada -> members {
  assets ada_family
  rights make, use, sell
  field video
  territory worldwide
  non-exclusive
  royalty-free
}
audit ada of bo {
  every 1 year, notice 30 days
  look back 3 years
}
audit ada of cy {
  every 1 year, notice 30 days
  look back 3 years
}
audit ada of di {
  every 1 year, notice 30 days
  look back 2 years
}
insurance bo 1_000_000 USD "product liability"
insurance cy 1_000_000 USD "product liability"
insurance di 1_000_000 USD "product liability"
"#;
    let c = xlic::compile_text("pool.xlic", src);
    assert!(
        c.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        c.diagnostics
    );
    let md = markdown(&c);
    let article = md
        .split("Article 3 — Obligations")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_else(|| panic!("no Obligations article:\n{md}"));
    let clauses: Vec<&str> = article.lines().filter(|l| l.starts_with("**3.")).collect();
    // The audits of Bo and Cy at once, Di's (another look-back) apart; the insurance of
    // all three at once.
    assert_eq!(clauses.len(), 3, "{article}");
    assert!(
        clauses[0].starts_with(
            "**3.1** `[audit members]` **Audit of Bo and Cy**. This clause applies to each of Bo and Cy (\"that Member\")"
        ),
        "{article}"
    );
    assert!(article.contains("That Member shall keep complete and accurate books"));
    assert!(article.contains("An audit may cover the 3 years"));
    assert!(clauses[1].starts_with("**3.2** `[audit_ada_di]` **Audit of Di**. Di shall keep"));
    assert!(article.contains("An audit may cover the 2 years"));
    assert!(clauses[2].starts_with(
        "**3.3** `[insurance members]` **Insurance of Bo, Cy and Di**. This clause applies to each of Bo, Cy and Di"
    ));
    assert!(article.contains(
        "That Member shall maintain product liability insurance with a cover of at least USD 1,000,000"
    ));
    for (id, number) in [
        ("audit_ada_bo", "3.1"),
        ("audit_ada_cy", "3.1"),
        ("audit_ada_di", "3.2"),
        ("insurance_bo", "3.3"),
        ("insurance_di", "3.3"),
    ] {
        assert_eq!(index_number(&md, id).as_deref(), Some(number), "{id}\n{md}");
    }
    // The same clause in the HTML and the Word document's text.
    let page = html(&c);
    assert!(page.contains("Insurance of Bo, Cy and Di"));
    assert!(!page.contains("Insurance of Bo</"));
}
