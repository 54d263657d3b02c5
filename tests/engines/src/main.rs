//! The differential test of `xlic build --emit cedar` and `--emit rego` (docs/cedar.md,
//! docs/rego.md): random portfolios, random requests, and the decisions of `xlic
//! query`, of Cedar (`cedar-policy` 4.14.1) over the Cedar export and of Rego
//! (`regorus` 0.14) over the OPA bundle, compared one by one.
//!
//! Each portfolio is `.xlic` text from the shared seeded PRNG: parties `a` (owner of
//! 1–3 patent families, EP patents in force in a few countries, expiring 2028–2034,
//! sometimes a know-how asset and a capture period) and `b` (with the affiliate `b1`,
//! owner of a trade secret), `c`; a five-node field tree; 1–6 grants between them with
//! random rights, fields (with `except`), territories (lists, `worldwide except`,
//! `EU`), terms (dates or `until expiry`), exclusivity (`non-exclusive`, `sole`,
//! `exclusive`, `exclusive subject to` a retained reservation), `and affiliates`,
//! sunsets (`wind down`, `survives license`); hard reservations and retained rights.
//! A portfolio with errors is drawn again (counted). Requests cover every party and
//! affiliate, every right, every field node, countries inside and outside every
//! territory (including one no clause names) and dates at, just before and just after
//! every date the text writes or implies (term ends, wind-down ends, expiries), and
//! random dates. Every decision must be identical, and where the answer is a permit,
//! the clauses the Cedar and Rego boxes cite must be the permitting reasons of the
//! answer.
//!
//! `cargo run -- [PORTFOLIOS] [SEED]` (defaults 60 and a fixed seed); it prints
//! "N portfolios, M requests, K permits, L no license needed" and exits 1 on the first
//! difference, with the source and the request.
//!
//! With `XLIC_ENGINES_DUMP=DIR` it also writes each portfolio as `DIR/case-NNN/`: the
//! source (`portfolio.xlic`), the OPA bundle (`data.json`, `xlic.rego`, `.manifest`) and
//! every request asked with `xlic query`'s answer (`requests.jsonl`: `input`, `decision`,
//! `reasons`), so that another engine (scripts/check-opa.py runs OPA itself) can be
//! held to the same answers.

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, EntityUid, PolicySet, Request,
    RestrictedExpression, Schema, ValidationMode, Validator,
};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::str::FromStr;
use xlic::query::{Decision, Evaluator};
use xlic_testkit::Rng;

/// The ten rights, as `xlic query` spells them.
static RIGHTS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    xlic::vocab::Right::ALL
        .iter()
        .map(|r| r.keyword())
        .collect()
});
/// The countries patents and clauses name; `BR` is named by none but `worldwide`.
const COUNTRIES: [&str; 5] = ["DE", "FR", "US", "JP", "GB"];
const ASKED: [&str; 6] = ["DE", "FR", "US", "JP", "GB", "BR"];
const FIELDS: [&str; 5] = ["alpha", "beta", "gamma", "delta", "omega"];

fn pick_subset(rng: &mut Rng, items: &[&'static str], at_least: &'static str) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = rng.subset(items);
    if v.is_empty() {
        v.push(at_least);
    }
    v
}

fn date(y: usize, m: usize, d: usize) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// One portfolio: its text and the dates it writes or implies.
struct Portfolio {
    text: String,
    dates: BTreeSet<String>,
}

fn generate(rng: &mut Rng) -> Portfolio {
    let mut dates = BTreeSet::from(["2026-01-01".to_string(), "2038-01-01".to_string()]);
    let mut s = String::from(
        "agreement \"Random\" {\n  effective 2026-01-01\n  term 12 years\n  kind cross-license\n}\n\n\
         party a \"A Corp\"\nparty b \"B Corp\" { affiliate b1 \"B One Ltd\" }\nparty c \"C Corp\"\n\n",
    );
    // Fields: node 0 a root, each later one under the root level or an earlier node.
    let mut parent: Vec<Option<usize>> = Vec::new();
    for i in 0..FIELDS.len() {
        parent.push(if i == 0 || rng.chance(25) {
            None
        } else {
            Some(rng.range(0, i - 1))
        });
    }
    let path = |i: usize| {
        let mut parts = vec![FIELDS[i]];
        let mut at = parent[i];
        while let Some(p) = at {
            parts.push(FIELDS[p]);
            at = parent[p];
        }
        parts.reverse();
        parts.join(".")
    };
    fn block(parent: &[Option<usize>], of: Option<usize>, depth: usize, out: &mut String) {
        for (i, p) in parent.iter().enumerate() {
            if *p != of {
                continue;
            }
            let pad = "  ".repeat(depth);
            if parent.iter().any(|c| *c == Some(i)) {
                let _ = writeln!(out, "{pad}{} {{", FIELDS[i]);
                block(parent, Some(i), depth + 1, out);
                let _ = writeln!(out, "{pad}}}");
            } else {
                let _ = writeln!(out, "{pad}{}", FIELDS[i]);
            }
        }
    }
    s.push_str("fields {\n");
    block(&parent, None, 1, &mut s);
    s.push_str("}\n\n");

    // Assets: `a`'s families, perhaps know-how and a capture period; `b`'s secret.
    let mut assets: Vec<(String, &str)> = Vec::new();
    let mut serial = 100_000usize;
    let mut with_patents: BTreeSet<String> = BTreeSet::new();
    for k in 0..rng.range(1, 3) {
        let name = format!("fam{k}");
        let _ = write!(s, "asset {name}: patent family of a");
        let n = rng.range(0, 3);
        for i in 0..n {
            serial += rng.range(1, 999);
            let expires = date(rng.range(2027, 2035), rng.range(1, 12), rng.range(1, 28));
            dates.insert(expires.clone());
            let filed = date(rng.range(2019, 2025), rng.range(1, 12), 1);
            let head = if i == 0 { " {\n" } else { "" };
            if rng.chance(30) {
                let c = pick_subset(rng, &["DE", "FR", "GB"], "FR");
                let _ = writeln!(
                    s,
                    "{head}  patent \"EP {serial}\" filed {filed} expires {expires} in [{}]",
                    c.join(", ")
                );
            } else {
                let c = *rng.pick(&COUNTRIES);
                let _ = writeln!(
                    s,
                    "{head}  patent \"{c} {serial}\" filed {filed} expires {expires}"
                );
            }
        }
        s.push_str(if n > 0 { "}\n" } else { "\n" });
        if n > 0 {
            with_patents.insert(name.clone());
        }
        assets.push((name, "a"));
    }
    if rng.chance(40) {
        s.push_str("asset knowhow: know-how of a\n");
        assets.push(("knowhow".into(), "a"));
    }
    if rng.chance(30) {
        s.push_str("asset captured: patents of a filed 2021-01-01 until 2024-01-01\n");
        assets.push(("captured".into(), "a"));
    }
    s.push_str("asset recipe: trade secret of b\n\n");
    assets.push(("recipe".into(), "b"));

    // Retained rights of `a`, which exclusive grants may be subject to.
    let retained = rng.chance(35).then(|| {
        let (asset, _) = rng.pick(&assets[..assets.len() - 1]).clone();
        let t = pick_subset(rng, &COUNTRIES, "US");
        let _ = writeln!(
            s,
            "reserve own_use: {asset} for a {{ rights make, use territory [{}] }}",
            t.join(", ")
        );
        asset
    });
    // A hard reservation.
    if rng.chance(50) {
        let (asset, _) = rng.pick(&assets).clone();
        let mut scope = Vec::new();
        if rng.chance(50) {
            scope.push(format!(
                "rights {}",
                pick_subset(rng, &RIGHTS[..4], "use").join(", ")
            ));
        }
        if rng.chance(40) {
            scope.push(format!("field {}", path(rng.range(0, FIELDS.len() - 1))));
        }
        if rng.chance(50) {
            scope.push(format!(
                "territory [{}]",
                pick_subset(rng, &COUNTRIES, "JP").join(", ")
            ));
        }
        if scope.is_empty() {
            let _ = writeln!(s, "reserve fence: {asset}");
        } else {
            let _ = writeln!(s, "reserve fence: {asset} {{ {} }}", scope.join(" "));
        }
    }
    s.push('\n');

    for k in 0..rng.range(1, 6) {
        let id = format!("g{k}");
        let (licensor, pool): (&str, Vec<&(String, &str)>) = if rng.chance(80) {
            ("a", assets.iter().filter(|x| x.1 == "a").collect())
        } else {
            ("b", assets.iter().filter(|x| x.1 == "b").collect())
        };
        let licensee = match (licensor, rng.range(0, 2)) {
            ("a", 0 | 1) => "b",
            ("a", _) => "c",
            (_, 0) => "a",
            _ => "c",
        };
        let affiliates = if licensee == "b" && rng.chance(50) {
            " and affiliates"
        } else {
            ""
        };
        let mut names: Vec<&str> = pool
            .iter()
            .filter(|_| rng.chance(50))
            .map(|x| x.0.as_str())
            .collect();
        if names.is_empty() {
            names.push(rng.pick(&pool).0.as_str());
        }
        let _ = writeln!(s, "grant {id}: {licensor} -> {licensee}{affiliates} {{");
        let _ = writeln!(s, "  assets {}", names.join(", "));
        if rng.chance(70) {
            let _ = writeln!(
                s,
                "  rights {}",
                pick_subset(rng, &RIGHTS, "sell").join(", ")
            );
        }
        let first = rng.range(0, FIELDS.len() - 1);
        let below: Vec<usize> = (0..FIELDS.len())
            .filter(|&i| i != first && path(i).starts_with(&format!("{}.", path(first))))
            .collect();
        let except = if !below.is_empty() && rng.chance(40) {
            format!(" except {}", path(*rng.pick(&below)))
        } else {
            String::new()
        };
        if rng.chance(15) {
            let _ = writeln!(s, "  field all");
        } else {
            let _ = writeln!(s, "  field {}{except}", path(first));
        }
        let territory = match rng.range(0, 5) {
            0..=2 => format!("[{}]", pick_subset(rng, &COUNTRIES, "DE").join(", ")),
            3 => format!(
                "worldwide except [{}]",
                pick_subset(rng, &COUNTRIES, "JP").join(", ")
            ),
            4 => "EU".to_string(),
            _ => "worldwide".to_string(),
        };
        let _ = writeln!(s, "  territory {territory}");
        if rng.chance(25) && names.iter().all(|n| with_patents.contains(*n)) {
            s.push_str("  term until expiry\n");
        } else {
            let start = date(rng.range(2026, 2032), rng.range(1, 12), 1);
            let end = date(rng.range(2030, 2037), rng.range(1, 12), rng.range(1, 28));
            let _ = writeln!(s, "  term {start} until {end}");
            dates.insert(start);
            dates.insert(end);
        }
        let exclusivity = match (rng.range(0, 9), &retained) {
            (0, Some(_)) if licensor == "a" => "exclusive subject to own_use",
            (1, _) => "exclusive",
            (2, _) => "sole",
            _ => "non-exclusive",
        };
        let _ = writeln!(s, "  {exclusivity}");
        if rng.chance(30) {
            s.push_str("  royalty 2% of net sales\n");
        }
        s.push_str("}\n");
        let wind = rng.chance(40).then(|| rng.range(1, 400));
        let survives = rng.chance(25);
        match (wind, survives) {
            (Some(n), true) => {
                let _ = writeln!(s, "sunset {id} {{ wind down {n} days survives license }}");
            }
            (Some(n), false) => {
                let _ = writeln!(s, "sunset {id} {{ wind down {n} days }}");
            }
            (None, true) => {
                let _ = writeln!(s, "sunset {id} {{ survives license }}");
            }
            (None, false) => {}
        }
        s.push('\n');
    }
    Portfolio { text: s, dates }
}

/// The dates asked: each written date, the day before and after, and a few at random.
fn asked_dates(rng: &mut Rng, p: &Portfolio, policy: &xlic::policy::Policy) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut written: Vec<xlic::date::Date> = p
        .dates
        .iter()
        .filter_map(|d| xlic::date::Date::parse(d).ok())
        .collect();
    // Term ends and wind-down ends the policy states (`until expiry`, sunsets).
    let json = xlic::policy::to_json(policy);
    for (i, _) in json.match_indices("\"20") {
        if let Some(d) = json
            .get(i + 1..i + 11)
            .and_then(|d| xlic::date::Date::parse(d).ok())
        {
            written.push(d);
        }
    }
    for d in written {
        for x in [d.pred(), Some(d), d.succ()].into_iter().flatten() {
            out.insert(x.to_string());
        }
    }
    for _ in 0..6 {
        out.insert(date(
            rng.range(2020, 2040),
            rng.range(1, 12),
            rng.range(1, 28),
        ));
    }
    out.into_iter().collect()
}

fn answer_reasons(a: &xlic::query::Answer) -> BTreeSet<String> {
    a.reasons
        .iter()
        .map(xlic::emit::decisions::reason_label)
        .collect()
}

struct Engines {
    cedar: PolicySet,
    schema: Schema,
    entities: Entities,
    rego: regorus::Engine,
    /// The OPA bundle, written out with `XLIC_ENGINES_DUMP`.
    bundle: xlic::emit::rego::RegoBundle,
}

fn engines(policy: &xlic::policy::Policy) -> Result<Engines, String> {
    let c = xlic::emit::cedar::cedar(policy).map_err(|e| e.message)?;
    let cedar = PolicySet::from_str(&c.policies).map_err(|e| format!("cedar policies: {e:?}"))?;
    let (schema, _) =
        Schema::from_cedarschema_str(&c.schema).map_err(|e| format!("cedar schema: {e:?}"))?;
    let validation = Validator::new(schema.clone()).validate(&cedar, ValidationMode::Strict);
    if !validation.validation_passed() {
        let errors: Vec<String> = validation
            .validation_errors()
            .map(|e| e.to_string())
            .collect();
        return Err(format!("cedar validation: {}", errors.join("; ")));
    }
    let entities = Entities::from_json_str(&c.entities, Some(&schema))
        .map_err(|e| format!("cedar entities: {e:?}"))?;
    let r = xlic::emit::rego::rego(policy).map_err(|e| e.message)?;
    let mut rego = regorus::Engine::new();
    rego.add_policy("xlic.rego".into(), r.policy.clone())
        .map_err(|e| format!("rego policy: {e}"))?;
    rego.add_data(regorus::Value::from_json_str(&r.data).map_err(|e| format!("rego data: {e}"))?)
        .map_err(|e| format!("rego data: {e}"))?;
    Ok(Engines {
        cedar,
        schema,
        entities,
        rego,
        bundle: r,
    })
}

/// Cedar's decision, and the `@reasons` of the permits that decided it.
fn ask_cedar(
    e: &Engines,
    q: &xlic::query::Request,
) -> Result<(Decision, BTreeSet<String>), String> {
    let uid = |t: &str, id: &str| {
        EntityUid::from_str(&format!("{t}::{}", xlic::emit::cedar::quote(id)))
            .map_err(|e| format!("{e:?}"))
    };
    let date = RestrictedExpression::from_str(&format!("datetime(\"{}\")", q.date))
        .map_err(|e| format!("{e:?}"))?;
    let action = uid("Action", &q.right)?;
    let context = Context::from_pairs([
        (
            "field".to_string(),
            RestrictedExpression::new_entity_uid(uid("Field", &q.field)?),
        ),
        (
            "country".to_string(),
            RestrictedExpression::new_string(q.territory.clone()),
        ),
        ("date".to_string(), date),
    ])
    .map_err(|e| format!("{e:?}"))?;
    let request = Request::new(
        uid("Party", &q.licensee)?,
        action,
        uid("Asset", &q.asset)?,
        context,
        Some(&e.schema),
    )
    .map_err(|err| format!("cedar request: {err:?}"))?;
    let response = Authorizer::new().is_authorized(&request, &e.cedar, &e.entities);
    if let Some(err) = response.diagnostics().errors().next() {
        return Err(format!("cedar evaluation error: {err}"));
    }
    let mut kinds = BTreeSet::new();
    let mut reasons = BTreeSet::new();
    for id in response.diagnostics().reason() {
        let Some(p) = e.cedar.policy(id) else {
            continue;
        };
        kinds.insert(p.annotation("decision").unwrap_or("?").to_string());
        for r in p.annotation("reasons").unwrap_or("").split_whitespace() {
            reasons.insert(r.to_string());
        }
    }
    let decision = match (
        response.decision(),
        kinds
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
    ) {
        (CedarDecision::Deny, _) => Decision::Deny,
        (CedarDecision::Allow, ["no_license_needed"]) => Decision::NoLicenseNeeded,
        (CedarDecision::Allow, ["permit"]) => Decision::Permit,
        (_, other) => return Err(format!("cedar allowed under policies of kinds {other:?}")),
    };
    Ok((decision, reasons))
}

fn ask_rego(
    e: &mut Engines,
    q: &xlic::query::Request,
) -> Result<(Decision, BTreeSet<String>), String> {
    let input = serde_json::to_string(q).map_err(|e| e.to_string())?;
    e.rego
        .set_input(regorus::Value::from_json_str(&input).map_err(|e| e.to_string())?);
    let d = e
        .rego
        .eval_rule("data.xlic.decision".into())
        .map_err(|e| format!("rego: {e}"))?;
    let decision = match d.as_string().map_err(|e| e.to_string())?.as_ref() {
        "permit" => Decision::Permit,
        "deny" => Decision::Deny,
        "no_license_needed" => Decision::NoLicenseNeeded,
        other => return Err(format!("rego decided `{other}`")),
    };
    let allow = e
        .rego
        .eval_rule("data.xlic.allow".into())
        .map_err(|e| format!("rego: {e}"))?;
    if allow != regorus::Value::from(decision != Decision::Deny) {
        return Err(format!("rego: allow is {allow} for {decision:?}"));
    }
    let mut reasons = BTreeSet::new();
    if decision == Decision::Permit {
        let r = e
            .rego
            .eval_rule("data.xlic.reasons".into())
            .map_err(|e| format!("rego: {e}"))?;
        for x in r.as_set().map_err(|e| e.to_string())? {
            reasons.insert(x.as_string().map_err(|e| e.to_string())?.to_string());
        }
    }
    Ok((decision, reasons))
}

#[derive(Default)]
struct Counts {
    portfolios: usize,
    redrawn: usize,
    requests: usize,
    permits: usize,
    free: usize,
    boxes: usize,
}

fn run_case(
    rng: &mut Rng,
    counts: &mut Counts,
    dump: Option<&std::path::Path>,
) -> Result<(), String> {
    // A portfolio without errors (exclusive grants may overlap others: draw again).
    let (p, compilation) = loop {
        let p = generate(rng);
        let c = xlic::compile_text("random.xlic", &p.text);
        if c.diagnostics.iter().any(|d| d.is_error()) {
            if std::env::var_os("XLIC_ENGINES_VERBOSE").is_some() && counts.redrawn < 3 {
                let codes: Vec<String> = c
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                eprintln!("--- drawn again\n{}\n{}", p.text, codes.join("\n"));
            }
            counts.redrawn += 1;
            continue;
        }
        break (p, c);
    };
    if std::env::var_os("XLIC_ENGINES_VERBOSE").is_some() {
        eprintln!("--- portfolio\n{}", p.text);
    }
    let policy = xlic::emit::json::policy(&compilation.model, &compilation.sources);
    let evaluator = Evaluator::new(&policy).map_err(|e| e.message)?;
    let t0 = std::time::Instant::now();
    let mut e = engines(&policy).map_err(|m| format!("{m}\n--- source\n{}", p.text))?;
    if std::env::var_os("XLIC_ENGINES_VERBOSE").is_some() {
        eprintln!("exports in {:?}", t0.elapsed());
    }
    counts.boxes += e.cedar.policies().count();
    let dates = asked_dates(rng, &p, &policy);
    let parties: Vec<String> = policy.parties.iter().map(|x| x.id.clone()).collect();
    let mut asked = String::new();
    for asset in &policy.assets {
        for party in &parties {
            for right in RIGHTS.iter() {
                for field in &policy.fields {
                    // A sample of the countries and dates per point, all of them at times.
                    for country in ASKED {
                        for d in &dates {
                            if !rng.chance(2) {
                                continue;
                            }
                            let q = xlic::query::Request {
                                licensee: party.clone(),
                                asset: asset.id.clone(),
                                right: right.to_string(),
                                field: field.id.clone(),
                                territory: country.to_string(),
                                date: d.clone(),
                                purpose: None,
                                affiliate: None,
                            };
                            let answer = evaluator.evaluate(&q).map_err(|e| e.message)?;
                            let want = if answer.decision == Decision::Permit {
                                answer_reasons(&answer)
                            } else {
                                BTreeSet::new()
                            };
                            let cedar = ask_cedar(&e, &q)?;
                            let rego = ask_rego(&mut e, &q)?;
                            let cedar_reasons = if cedar.0 == Decision::Permit {
                                cedar.1.clone()
                            } else {
                                BTreeSet::new()
                            };
                            if cedar.0 != answer.decision
                                || rego.0 != answer.decision
                                || cedar_reasons != want
                                || rego.1 != want
                            {
                                return Err(format!(
                                    "request {}\n  xlic query: {:?} {want:?}\n  cedar: {:?} {:?}\n  rego: {:?} {:?}\n--- source\n{}",
                                    serde_json::to_string(&q).unwrap_or_default(),
                                    answer.decision,
                                    cedar.0,
                                    cedar_reasons,
                                    rego.0,
                                    rego.1,
                                    p.text
                                ));
                            }
                            if dump.is_some() {
                                let line = serde_json::json!({
                                    "input": q,
                                    "decision": decision_word(answer.decision),
                                    "reasons": want,
                                });
                                let _ = writeln!(asked, "{line}");
                            }
                            counts.requests += 1;
                            match answer.decision {
                                Decision::Permit => counts.permits += 1,
                                Decision::NoLicenseNeeded => counts.free += 1,
                                Decision::Deny => {}
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(dir) = dump {
        write_case(
            &dir.join(format!("case-{:03}", counts.portfolios)),
            &p.text,
            &e.bundle,
            &asked,
        )?;
    }
    counts.portfolios += 1;
    Ok(())
}

fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::Permit => "permit",
        Decision::Deny => "deny",
        Decision::NoLicenseNeeded => "no_license_needed",
    }
}

/// One portfolio for scripts/check-opa.py: its source, its OPA bundle, and the requests
/// asked with `xlic query`'s answers.
fn write_case(
    dir: &std::path::Path,
    source: &str,
    bundle: &xlic::emit::rego::RegoBundle,
    requests: &str,
) -> Result<(), String> {
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write("portfolio.xlic", source)?;
    write("data.json", &bundle.data)?;
    write("xlic.rego", &bundle.policy)?;
    write(".manifest", &bundle.manifest)?;
    write("requests.jsonl", requests)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cases: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x00C0_FFEE_2026);
    let mut rng = Rng::new(seed);
    let mut counts = Counts::default();
    let dump = std::env::var_os("XLIC_ENGINES_DUMP").map(std::path::PathBuf::from);
    if let Some(dir) = &dump {
        // A fresh folder: cases of an earlier, longer run must not be checked again.
        let _ = std::fs::remove_dir_all(dir);
    }
    for _ in 0..cases {
        if let Err(m) = run_case(&mut rng, &mut counts, dump.as_deref()) {
            eprintln!("error: the engines disagree with `xlic query` (seed {seed})\n{m}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "{} portfolios ({} drawn again for errors), {} Cedar policies, {} requests: {} permits, {} no license needed, {} denials; xlic query, Cedar and Rego agree on every one",
        counts.portfolios,
        counts.redrawn,
        counts.boxes,
        counts.requests,
        counts.permits,
        counts.free,
        counts.requests - counts.permits - counts.free
    );
    if counts.permits == 0 || counts.free == 0 || counts.permits == counts.requests {
        eprintln!("error: the requests did not reach every decision");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
