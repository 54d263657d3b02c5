//! Structure-aware fuzzing: the input bytes choose an agreement that is well formed by
//! construction (parties, a field tree, patent families with expiries, grants with
//! every kind of scope, exclusivity, consideration, reservations, improvements and
//! sunsets), so the fuzzer spends its time in name resolution and the conflict checker
//! rather than in the parser's error paths.
//!
//! Asserted for every input, beyond "no panic":
//! - every diagnostic's code is in the registry and its spans lie inside the file;
//! - compiling twice gives the same diagnostics (determinism);
//! - formatting the text and compiling the result gives the same diagnostic codes;
//! - when there is no error, the JSON policy reads back as the same policy;
//! - every output (prose, HTML, DOCX, ODRL, report, redline) keeps the invariants of
//!   `common/outputs.rs`.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;

#[path = "common/outputs.rs"]
mod outputs;

const COUNTRIES: &[&str] = &["US", "DE", "FR", "GB", "JP", "CN", "NO", "CH", "IT", "KR"];
const FIELDS: &[&str] = &["a", "a.x", "a.x.p", "a.x.q", "a.y", "b", "b.z", "c"];
const RIGHTS: &[&str] = &["make", "use", "sell", "import", "have made", "offer"];

fn pick<'a>(u: &mut Unstructured, items: &[&'a str]) -> Result<&'a str> {
    Ok(items.get(u.choose_index(items.len())?).copied().unwrap_or("a"))
}

fn countries(u: &mut Unstructured) -> Result<String> {
    let n = u.int_in_range(1..=3)?;
    let mut list = Vec::new();
    for _ in 0..n {
        list.push(pick(u, COUNTRIES)?);
    }
    Ok(format!("[{}]", list.join(", ")))
}

fn territory(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => "worldwide".to_string(),
        1 => format!("worldwide except {}", countries(u)?),
        2 => "EU".to_string(),
        3 => "EEA".to_string(),
        4 => format!("grp + {}", countries(u)?),
        _ => countries(u)?,
    })
}

fn field(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => "all".to_string(),
        1 => format!("all except {}", pick(u, FIELDS)?),
        2 => {
            let f = pick(u, FIELDS)?;
            let g = pick(u, FIELDS)?;
            format!("{f} except {g}")
        }
        _ => pick(u, FIELDS)?.to_string(),
    })
}

fn date(u: &mut Unstructured) -> Result<String> {
    let y = u.int_in_range(2024..=2040)?;
    let m = u.int_in_range(1..=12)?;
    let d = u.int_in_range(1..=28)?;
    Ok(format!("{y}-{m:02}-{d:02}"))
}

fn term(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => format!("term for {} years", u.int_in_range(1..=12)?),
        1 => {
            let a = date(u)?;
            let b = date(u)?;
            format!("term {a} until {b}")
        }
        2 => "term until expiry".to_string(),
        _ => String::new(),
    })
}

fn agreement(u: &mut Unstructured) -> Result<String> {
    let mut s = String::new();
    let _ = writeln!(s, "agreement \"Fuzz\" {{ effective {} {} }}", date(u)?, match u.int_in_range(0..=2)? {
        0 => "term 10 years",
        1 => "term perpetual",
        _ => "",
    });
    let parties = u.int_in_range(2..=4)?;
    for p in 0..parties {
        if u.ratio(1, 4)? {
            let _ = writeln!(s, "party p{p} \"P{p}\" {{ affiliate p{p}a \"P{p} Affiliate\" }}");
        } else {
            let _ = writeln!(s, "party p{p} \"P{p}\"");
        }
    }
    s.push_str("fields { a { x { p q } y } b { z } c }\n");
    let _ = writeln!(s, "territory grp = {}", countries(u)?);
    let assets = u.int_in_range(1..=4)?;
    for a in 0..assets {
        let owner = u.int_in_range(0..=parties - 1)?;
        match u.int_in_range(0..=2)? {
            0 => {
                let _ = writeln!(s, "asset x{a}: patent family of p{owner} {{");
                for _ in 0..u.int_in_range(1..=3)? {
                    let c = pick(u, &["US", "DE", "JP", "CN", "KR", "GB", "FR"])?;
                    let _ = writeln!(s, "  patent \"{c} {}\" expires {}", u.int_in_range(1000..=9999)?, date(u)?);
                }
                s.push_str("}\n");
            }
            1 => {
                let _ = writeln!(s, "asset x{a}: know-how of p{owner}");
            }
            _ => {
                let _ = writeln!(s, "asset x{a}: trade secret of p{owner}");
            }
        }
    }
    let grants = u.int_in_range(1..=8)?;
    for g in 0..grants {
        let from = u.int_in_range(0..=parties - 1)?;
        let mut to = u.int_in_range(0..=parties - 1)?;
        if to == from {
            to = (to + 1) % parties;
        }
        let affiliates = if u.ratio(1, 4)? { " and affiliates" } else { "" };
        let _ = writeln!(s, "grant g{g}: p{from} -> p{to}{affiliates} {{");
        let a = u.int_in_range(0..=assets - 1)?;
        let _ = writeln!(s, "  assets x{a}");
        if u.ratio(1, 2)? {
            let r1 = pick(u, RIGHTS)?;
            let r2 = pick(u, RIGHTS)?;
            let _ = writeln!(s, "  rights {r1}, {r2}");
        }
        let _ = writeln!(s, "  field {}", field(u)?);
        let _ = writeln!(s, "  territory {}", territory(u)?);
        let t = term(u)?;
        if !t.is_empty() {
            let _ = writeln!(s, "  {t}");
        }
        let excl = pick(u, &["exclusive", "sole", "non-exclusive", "exclusive subject to r0"])?;
        let _ = writeln!(s, "  {excl}");
        let sub = pick(u, &["", "sublicense affiliates", "sublicense none", "sublicense free"])?;
        if !sub.is_empty() {
            let _ = writeln!(s, "  {sub}");
        }
        match u.int_in_range(0..=2)? {
            0 => s.push_str("  royalty-free\n"),
            1 => {
                let _ = writeln!(s, "  royalty {}% of net sales", u.int_in_range(1..=15)?);
            }
            _ => {}
        }
        s.push_str("}\n");
    }
    if u.ratio(1, 2)? {
        let a = u.int_in_range(0..=assets - 1)?;
        let _ = writeln!(s, "reserve r0: x{a} for p0 {{ field {} territory {} }}", field(u)?, territory(u)?);
    }
    if u.ratio(1, 3)? {
        let a = u.int_in_range(0..=assets - 1)?;
        let _ = writeln!(
            s,
            "improvements on x{a} {{ owner improver grant back p1 -> p0 {{ covers all non-exclusive royalty-free }} }}"
        );
    }
    if u.ratio(1, 3)? {
        let g = u.int_in_range(0..=grants - 1)?;
        let _ = writeln!(
            s,
            "sunset g{g} {{ renew automatically for 1 year, at most {} times, notice 90 days wind down 30 days }}",
            u.int_in_range(1..=3)?
        );
    }
    Ok(s)
}

fn codes(c: &xlic::Compilation) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    v.sort_unstable();
    v
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(text) = agreement(&mut u) else { return };
    let c = xlic::compile_text("gen.xlic", &text);
    for d in &c.diagnostics {
        assert!(
            xlic::diagnostics::codes::lookup(d.code.as_str()) == Some(d.code.info()),
            "unregistered code {} in:\n{text}",
            d.code
        );
        for label in std::iter::once(&d.primary).chain(d.secondary.iter()) {
            assert!(label.span.end as usize <= text.len(), "span outside the file:\n{text}");
        }
    }
    let again = xlic::compile_text("gen.xlic", &text);
    assert_eq!(
        xlic::diagnostics::render::render_json_lines(&c.diagnostics, &c.sources),
        xlic::diagnostics::render::render_json_lines(&again.diagnostics, &again.sources),
        "two compilations differ:\n{text}"
    );
    if let Ok(formatted) = xlic::fmt::format_source(&text) {
        let f = xlic::compile_text("gen.xlic", &formatted);
        assert_eq!(codes(&c), codes(&f), "formatting changed the diagnostics:\n{text}\n---\n{formatted}");
    }
    if !c.has_errors() {
        let policy = xlic::emit::json::policy(&c.model, &c.sources);
        let json = xlic::emit::json::to_json(&policy);
        let back: xlic::emit::json::Policy =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("policy does not read back: {e}\n{text}"));
        assert!(back == policy, "policy changed through JSON:\n{text}");
        // `xlic build --emit json` writes the same bytes grant by grant.
        let mut streamed = Vec::new();
        let written = xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, false, &mut streamed);
        assert!(written.is_ok() && streamed == json.as_bytes(), "the streamed policy differs:\n{text}");
        // The compact form reads back as the same model and ledger (issue 19).
        let mut compact = Vec::new();
        let written = xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut compact);
        assert!(written.is_ok(), "no compact policy:\n{text}");
        let compact: xlic::emit::json::Policy = serde_json::from_slice(&compact)
            .unwrap_or_else(|e| panic!("compact policy does not read back: {e}\n{text}"));
        let (full, small) = (xlic::policy::read::load(&back), xlic::policy::read::load(&compact));
        assert_eq!(
            full.map(|l| format!("{:?}", (l.model, l.ledger))).map_err(|e| e.to_string()),
            small.map(|l| format!("{:?}", (l.model, l.ledger))).map_err(|e| e.to_string()),
            "the compact policy reads as another model:\n{text}"
        );
    }
    outputs::check_all(&c, &text);
});
