//! xlic side by side with AWS Cedar (`cedar-policy` 4.14.1) on the same generated
//! portfolios, in one process run: parse per item, parse + validate, one authorization
//! and memory. Prints Markdown tables with the ratios next to the targets of
//! `PERFORMANCE.md`. Run it with `scripts/bench-cedar.sh`. (About 830 lines: the
//! measurements share their set-up and the report, and are read as one protocol.)
//!
//! ```text
//! xlic-bench-cedar [--quick] [--no-100k] [--out FILE]
//! xlic-bench-cedar sample [N]      # the schema and the first N grants in both languages
//! xlic-bench-cedar mem (read|cedar|xlic) FILE [SCHEMA]   # one memory probe (internal)
//! ```
//!
//! Both sides get the same grants: `benches/workload` generates the portfolio, xlic
//! reads its `.xlic` text and Cedar the policies `translate.rs` writes from the same
//! grant list. Times are medians of several runs after a warm-up run; memory is the
//! peak resident set size of separate processes, measured by `/usr/bin/time -v`.

#![allow(dead_code, clippy::indexing_slicing)]

mod translate;
// The generator targets the root crate's MSRV (1.86), older than `is_multiple_of`.
#[allow(clippy::manual_is_multiple_of)]
#[path = "../../workload/mod.rs"]
mod workload;

use cedar_policy::{Authorizer, Decision, PolicySet, Schema, ValidationMode, Validator};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr;
use std::time::{Duration, Instant};
use translate::Question;
use xlic::source::FileId;

const SEED: u64 = 0x0C0F_FEE5;
const PARTIES: usize = 200;

/// Targets from PERFORMANCE.md: xlic's advantage per item.
const TARGET_PARSE: f64 = 12.0;
const TARGET_PARSE_VALIDATE: f64 = 25.0;
const TARGET_QUERY: f64 = 20.0;
const TARGET_MEMORY: f64 = 35.0;

struct Size {
    label: &'static str,
    grants: usize,
    assets: usize,
    runs: usize,
    /// Only the parse figures (Cedar's parse + validate and memory at this size are too
    /// slow and too big for the shared machine).
    parse_only: bool,
}

const SIZES: [Size; 3] = [
    Size {
        label: "1k",
        grants: 1_000,
        assets: 10,
        runs: 11,
        parse_only: false,
    },
    Size {
        label: "10k",
        grants: 10_000,
        assets: 100,
        runs: 5,
        parse_only: false,
    },
    Size {
        label: "100k",
        grants: 100_000,
        assets: 1_000,
        runs: 3,
        parse_only: true,
    },
];

fn median(runs: usize, warm_up: bool, mut f: impl FnMut()) -> Duration {
    if warm_up {
        f();
    }
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us_per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n.max(1) as f64
}

fn per_s(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-12)
}

fn meets(ratio: f64, target: f64) -> &'static str {
    if ratio >= target {
        "yes"
    } else {
        "no"
    }
}

/// Thousands separators for a table.
fn grouped(n: f64) -> String {
    let s = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct ParseRow {
    label: &'static str,
    grants: usize,
    runs: usize,
    cedar_bytes: usize,
    xlic_bytes: usize,
    cedar_parse: Duration,
    xlic_parse: Duration,
    /// Parse + validate and compile; `None` at parse-only sizes.
    cedar_validate: Option<Duration>,
    xlic_compile: Option<Duration>,
}

struct Latency {
    p50_ns: f64,
    p99_ns: f64,
    count: usize,
    permits: usize,
}

fn latency(mut times: Vec<u128>, permits: usize) -> Latency {
    times.sort_unstable();
    let at = |p: f64| {
        times
            .get(((times.len().saturating_sub(1)) as f64 * p) as usize)
            .copied()
            .unwrap_or(0) as f64
    };
    Latency {
        p50_ns: at(0.50),
        p99_ns: at(0.99),
        count: times.len(),
        permits,
    }
}

struct QueryFigures {
    cedar_10: Latency,
    cedar_10k: Latency,
    xlic_10k: Latency,
    xlic_100k: Option<Latency>,
    /// Of the questions Cedar answered over 10k policies: how many xlic answered the same.
    agreement: (usize, usize),
    /// Where they differ: xlic's decision and first reason, counted.
    differences: std::collections::BTreeMap<String, usize>,
}

struct MemRow {
    label: &'static str,
    grants: usize,
    cedar_kb: u64,
    cedar_base_kb: u64,
    xlic_kb: u64,
    xlic_base_kb: u64,
}

impl MemRow {
    fn cedar_mb_per_1k(&self) -> f64 {
        self.cedar_kb.saturating_sub(self.cedar_base_kb) as f64
            / 1024.0
            / (self.grants as f64 / 1000.0)
    }
    fn xlic_mb_per_1k(&self) -> f64 {
        self.xlic_kb.saturating_sub(self.xlic_base_kb) as f64
            / 1024.0
            / (self.grants as f64 / 1000.0)
    }
}

fn schema() -> Result<Schema, String> {
    Schema::from_cedarschema_str(&translate::schema_text())
        .map(|(s, _warnings)| s)
        .map_err(|e| format!("the Cedar schema does not parse: {e:?}"))
}

fn xlic_input(label: &str, text: &str) -> xlic::Input {
    xlic::Input::Text {
        name: format!("portfolio_{label}.xlic"),
        text: text.into(),
        dir: std::env::temp_dir(),
    }
}

/// Checks once that both sides accept their input, then times them.
fn measure_parse(size: &Size, w: &workload::Workload, cedar: &str) -> Result<ParseRow, String> {
    let src = w.source.as_str();
    let pset = PolicySet::from_str(cedar).map_err(|e| format!("Cedar parse: {e:?}"))?;
    let n = pset.policies().count();
    if n != w.grants || w.spec.grants.len() != w.grants {
        return Err(format!(
            "{}: {} Cedar policies for {} grants",
            size.label, n, w.grants
        ));
    }
    drop(pset);
    let parsed = xlic::syntax::parse(FileId(0), src);
    if !parsed.diagnostics.is_empty() {
        return Err(format!(
            "{}: xlic parse reported {} diagnostics",
            size.label,
            parsed.diagnostics.len()
        ));
    }
    drop(parsed);
    let warm_up = !size.parse_only;
    eprintln!("{}: parse, {} runs each", size.label, size.runs);
    let cedar_parse = median(size.runs, warm_up, || {
        black_box(PolicySet::from_str(cedar).ok());
    });
    let xlic_parse = median(size.runs, warm_up, || {
        black_box(xlic::syntax::parse(FileId(0), src));
    });
    let (mut cedar_validate, mut xlic_compile) = (None, None);
    if !size.parse_only {
        let validator = Validator::new(schema()?);
        let check = PolicySet::from_str(cedar).map_err(|e| format!("Cedar parse: {e:?}"))?;
        let result = validator.validate(&check, ValidationMode::Strict);
        if !result.validation_passed() {
            let first: Vec<String> = result
                .validation_errors()
                .take(3)
                .map(|e| format!("{e}"))
                .collect();
            return Err(format!(
                "{}: the Cedar policies do not validate: {}",
                size.label,
                first.join("; ")
            ));
        }
        drop(result);
        drop(check);
        let input = xlic_input(size.label, src);
        let c = xlic::compile(std::slice::from_ref(&input), &xlic::Options::default())
            .map_err(|e| e.to_string())?;
        if c.has_errors() {
            return Err(format!(
                "{}: the xlic portfolio has {} errors",
                size.label,
                c.error_count()
            ));
        }
        drop(c);
        eprintln!("{}: parse + validate, {} runs each", size.label, size.runs);
        cedar_validate = Some(median(size.runs, true, || {
            if let Ok(ps) = PolicySet::from_str(cedar) {
                black_box(
                    validator
                        .validate(&ps, ValidationMode::Strict)
                        .validation_passed(),
                );
            }
        }));
        xlic_compile = Some(median(size.runs, true, || {
            black_box(xlic::compile(std::slice::from_ref(&input), &xlic::Options::default()).ok());
        }));
    }
    Ok(ParseRow {
        label: size.label,
        grants: w.grants,
        runs: size.runs,
        cedar_bytes: cedar.len(),
        xlic_bytes: src.len(),
        cedar_parse,
        xlic_parse,
        cedar_validate,
        xlic_compile,
    })
}

fn cedar_latency(
    questions: &[Question],
    pset: &PolicySet,
    entities: &cedar_policy::Entities,
    schema: &Schema,
    warm_up: usize,
) -> Result<(Latency, Vec<bool>), String> {
    let requests: Vec<cedar_policy::Request> = questions
        .iter()
        .map(|q| q.to_cedar(schema))
        .collect::<Result<_, _>>()?;
    let auth = Authorizer::new();
    for r in requests.iter().take(warm_up) {
        black_box(auth.is_authorized(r, pset, entities));
    }
    let mut times = Vec::with_capacity(requests.len());
    let mut decisions = Vec::with_capacity(requests.len());
    for r in &requests {
        let t = Instant::now();
        let answer = auth.is_authorized(r, pset, entities);
        times.push(t.elapsed().as_nanos());
        decisions.push(answer.decision() == Decision::Allow);
    }
    let permits = decisions.iter().filter(|d| **d).count();
    Ok((latency(times, permits), decisions))
}

fn xlic_latency(
    questions: &[Question],
    eval: &xlic::query::Evaluator,
    warm_up: usize,
) -> (Latency, Vec<bool>) {
    let requests: Vec<xlic::query::Request> = questions.iter().map(Question::to_xlic).collect();
    for r in requests.iter().take(warm_up) {
        black_box(eval.evaluate(r).ok());
    }
    let mut times = Vec::with_capacity(requests.len());
    let mut decisions = Vec::with_capacity(requests.len());
    for r in &requests {
        let t = Instant::now();
        let answer = eval.evaluate(r);
        times.push(t.elapsed().as_nanos());
        decisions.push(
            answer
                .map(|a| a.decision == xlic::query::Decision::Permit)
                .unwrap_or(false),
        );
    }
    let permits = decisions.iter().filter(|d| **d).count();
    (latency(times, permits), decisions)
}

fn xlic_policy(label: &str, w: &workload::Workload) -> Result<xlic::emit::json::Policy, String> {
    let c = xlic::compile_text(&format!("portfolio_{label}.xlic"), &w.source);
    if c.has_errors() {
        return Err(format!("{label}: the xlic portfolio has errors"));
    }
    Ok(xlic::emit::json::policy(&c.model, &c.sources))
}

/// Cedar with 10 and with 10k policies, xlic with 10k (and 100k) grants.
fn measure_queries(
    w10k: &workload::Workload,
    w100k: Option<&workload::Workload>,
    quick: bool,
) -> Result<QueryFigures, String> {
    let schema = schema()?;
    let entities = translate::entities(&w10k.spec, &schema)?;
    let grants = &w10k.spec.grants;
    let first10 = grants.get(..10).unwrap_or(grants);
    let pset10 = PolicySet::from_str(&translate::policies_text(first10))
        .map_err(|e| format!("Cedar parse: {e:?}"))?;
    let pset10k = PolicySet::from_str(&translate::policies_text(grants))
        .map_err(|e| format!("Cedar parse: {e:?}"))?;

    let n10 = if quick { 2_000 } else { 20_000 };
    let n10k = if quick { 60 } else { 200 };
    let n_xlic = if quick { 20_000 } else { 200_000 };

    eprintln!("query: Cedar, 10 policies, {n10} requests");
    let q10 = translate::questions(&w10k.spec, first10, n10, 0x9E37_79B9_7F4A_7C15);
    let (cedar_10, _) = cedar_latency(&q10, &pset10, &entities, &schema, n10 / 10)?;
    eprintln!("query: Cedar, 10k policies, {n10k} requests");
    let q10k_cedar = translate::questions(&w10k.spec, grants, n10k, 0x5151_7A7A_0101_2323);
    let (cedar_10k, cedar_decisions) = cedar_latency(&q10k_cedar, &pset10k, &entities, &schema, 5)?;

    eprintln!("query: xlic, 10k grants, {n_xlic} requests");
    let policy = xlic_policy("10k", w10k)?;
    let eval = xlic::query::Evaluator::new(&policy).map_err(|e| e.to_string())?;
    let q = translate::questions(&w10k.spec, grants, n_xlic, 0x9E37_79B9_7F4A_7C15);
    let (xlic_10k, _) = xlic_latency(&q, &eval, n_xlic / 10);
    let (_, xlic_decisions) = xlic_latency(&q10k_cedar, &eval, 0);
    let agree = cedar_decisions
        .iter()
        .zip(&xlic_decisions)
        .filter(|(a, b)| a == b)
        .count();
    let mut differences = std::collections::BTreeMap::new();
    for ((q, c), x) in q10k_cedar.iter().zip(&cedar_decisions).zip(&xlic_decisions) {
        if c != x {
            let why = match eval.evaluate(&q.to_xlic()) {
                Ok(a) => {
                    if std::env::var_os("XLIC_BENCH_DEBUG").is_some() {
                        eprintln!("differs: {:?} -> {:?}", q.to_xlic(), a.reasons);
                    }
                    // Name a patent not in force when it is among the reasons (the
                    // Cedar policies know no patents), else the first reason.
                    let patent = a
                        .reasons
                        .iter()
                        .find(|r| r.kind == xlic::query::ReasonKind::PatentNotInForce);
                    format!(
                        "xlic {:?} ({})",
                        a.decision,
                        patent
                            .or(a.reasons.first())
                            .map_or("no reason".to_string(), |r| format!("{:?}", r.kind))
                    )
                }
                Err(e) => format!("xlic error: {e}"),
            };
            *differences.entry(why).or_insert(0) += 1;
        }
    }
    drop(eval);
    drop(policy);

    let xlic_100k = match w100k {
        Some(w) => {
            eprintln!("query: xlic, 100k grants, {n_xlic} requests");
            let policy = xlic_policy("100k", w)?;
            let eval = xlic::query::Evaluator::new(&policy).map_err(|e| e.to_string())?;
            let q = translate::questions(&w.spec, &w.spec.grants, n_xlic, 0x9E37_79B9_7F4A_7C15);
            Some(xlic_latency(&q, &eval, n_xlic / 10).0)
        }
        None => None,
    };
    Ok(QueryFigures {
        cedar_10,
        cedar_10k,
        xlic_10k,
        xlic_100k,
        agreement: (agree, cedar_decisions.len()),
        differences,
    })
}

// ------------------------------------------------------------------ memory

/// A memory probe, run as its own process under `/usr/bin/time -v`: reads its input
/// and keeps it (`read`), or parses and validates it with Cedar, or compiles it with
/// xlic, holding the result until the end.
fn mem_probe(args: &[String]) -> Result<(), String> {
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
    match args {
        [mode, file, rest @ ..] if mode == "read" => {
            let text = read(file)?;
            let more: Vec<String> = rest.iter().map(|f| read(f)).collect::<Result<_, _>>()?;
            black_box((&text, &more));
            Ok(())
        }
        [mode, file, schema_file] if mode == "cedar" => {
            let text = read(file)?;
            let schema_text = read(schema_file)?;
            let (schema, _) = Schema::from_cedarschema_str(&schema_text)
                .map_err(|e| format!("the Cedar schema does not parse: {e:?}"))?;
            let pset = PolicySet::from_str(&text).map_err(|e| format!("Cedar parse: {e:?}"))?;
            let validator = Validator::new(schema);
            let result = validator.validate(&pset, ValidationMode::Strict);
            if !result.validation_passed() {
                return Err("the Cedar policies do not validate".into());
            }
            black_box((&text, &pset, &result));
            Ok(())
        }
        [mode, file] if mode == "xlic" => {
            let c = xlic::compile(
                &[xlic::Input::Path(PathBuf::from(file))],
                &xlic::Options::default(),
            )
            .map_err(|e| e.to_string())?;
            if c.has_errors() {
                return Err("the xlic portfolio has errors".into());
            }
            black_box(&c);
            Ok(())
        }
        _ => Err("usage: mem (read FILE… | cedar POLICIES SCHEMA | xlic FILE)".into()),
    }
}

/// Peak RSS in KiB of one probe, by `/usr/bin/time -v`.
fn peak_rss_kb(args: &[&str]) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(exe)
        .arg("mem")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time (apt-get install time): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("memory probe {args:?} failed: {stderr}"));
    }
    stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
                .and_then(|v| v.trim().parse().ok())
        })
        .ok_or_else(|| format!("no peak RSS in the output of /usr/bin/time: {stderr}"))
}

fn median_rss(runs: usize, args: &[&str]) -> Result<u64, String> {
    let mut v = Vec::new();
    for _ in 0..runs {
        v.push(peak_rss_kb(args)?);
    }
    v.sort_unstable();
    Ok(v[v.len() / 2])
}

fn measure_memory(
    dir: &Path,
    label: &'static str,
    w: &workload::Workload,
    cedar: &str,
    runs: usize,
) -> Result<MemRow, String> {
    let write = |name: String, text: &str| -> Result<String, String> {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        Ok(p.display().to_string())
    };
    let policies = write(format!("policies_{label}.cedar"), cedar)?;
    let schema = write("schema.cedarschema".into(), &translate::schema_text())?;
    let source = write(format!("portfolio_{label}.xlic"), &w.source)?;
    eprintln!("{label}: memory, {runs} runs of each probe");
    Ok(MemRow {
        label,
        grants: w.grants,
        cedar_base_kb: median_rss(runs, &["read", &policies, &schema])?,
        cedar_kb: median_rss(runs, &["cedar", &policies, &schema])?,
        xlic_base_kb: median_rss(runs, &["read", &source])?,
        xlic_kb: median_rss(runs, &["xlic", &source])?,
    })
}

// ------------------------------------------------------------------ report

fn report(parse: &[ParseRow], query: Option<&QueryFigures>, memory: &[MemRow]) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(o, "### Parse, per item\n");
    let _ = writeln!(o, "| size | runs | Cedar text (MB) | xlic text (MB) | Cedar `PolicySet::from_str` (µs/policy) | xlic `syntax::parse` (µs/grant) | ratio (Cedar ÷ xlic) | target |");
    let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in parse {
        let c = us_per(r.cedar_parse, r.grants);
        let x = us_per(r.xlic_parse, r.grants);
        let _ = writeln!(
            o,
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | **{:.1} ×** | ≥ {TARGET_PARSE} × |",
            r.label,
            r.runs,
            r.cedar_bytes as f64 / 1e6,
            r.xlic_bytes as f64 / 1e6,
            c,
            x,
            c / x.max(1e-9)
        );
    }
    let _ = writeln!(
        o,
        "\n### Parse + validate (Cedar) against `compile` = parse + resolve + check (xlic)\n"
    );
    let _ = writeln!(o, "| size | Cedar (ms) | Cedar (policies/s) | xlic (ms) | xlic (grants/s) | ratio (xlic grants/s ÷ Cedar policies/s) | target |");
    let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|---:|");
    for r in parse {
        if let (Some(c), Some(x)) = (r.cedar_validate, r.xlic_compile) {
            let _ = writeln!(
                o,
                "| {} | {:.1} | {} | {:.1} | {} | **{:.1} ×** | ≥ {TARGET_PARSE_VALIDATE} × |",
                r.label,
                ms(c),
                grouped(per_s(r.grants, c)),
                ms(x),
                grouped(per_s(r.grants, x)),
                c.as_secs_f64() / x.as_secs_f64().max(1e-12)
            );
        }
    }
    if let Some(q) = query {
        let _ = writeln!(o, "\n### One authorization (Cedar `Authorizer::is_authorized`) against one query (xlic `Evaluator::evaluate`)\n");
        let _ = writeln!(
            o,
            "| system | policies / grants | requests | permits | p50 (µs) | p99 (µs) |"
        );
        let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|");
        let mut row = |name: &str, n: &str, l: &Latency| {
            let _ = writeln!(
                o,
                "| {name} | {n} | {} | {} | {:.3} | {:.3} |",
                grouped(l.count as f64),
                grouped(l.permits as f64),
                l.p50_ns / 1e3,
                l.p99_ns / 1e3
            );
        };
        row("Cedar", "10", &q.cedar_10);
        row("Cedar", "10,000", &q.cedar_10k);
        row("xlic", "10,000", &q.xlic_10k);
        if let Some(l) = &q.xlic_100k {
            row("xlic", "100,000", l);
        }
        let _ = writeln!(
            o,
            "\nSame decision on {} of the {} requests Cedar answered over 10k policies \
             (xlic also applies ownership, reservations, exclusivity, patents in force and wind-downs; \
             the Cedar policies model none of these).",
            q.agreement.0, q.agreement.1
        );
        if !q.differences.is_empty() {
            let d: Vec<String> = q
                .differences
                .iter()
                .map(|(why, n)| format!("{n} × {why}"))
                .collect();
            let _ = writeln!(o, "Where they differ: {}.", d.join("; "));
        }
    }
    if !memory.is_empty() {
        let _ = writeln!(o, "\n### Memory: peak RSS (`/usr/bin/time -v`, separate processes) above a process that only reads the same input\n");
        let _ = writeln!(o, "| size | Cedar parse + validate (MB) | Cedar per 1k policies (MB) | xlic `compile` (MB) | xlic per 1k grants (MB) | ratio (Cedar ÷ xlic) | target |");
        let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|---:|");
        for m in memory {
            let _ = writeln!(
                o,
                "| {} | {:.1} | {:.2} | {:.1} | {:.3} | **{:.1} ×** | ≥ {TARGET_MEMORY} × |",
                m.label,
                m.cedar_kb.saturating_sub(m.cedar_base_kb) as f64 / 1024.0,
                m.cedar_mb_per_1k(),
                m.xlic_kb.saturating_sub(m.xlic_base_kb) as f64 / 1024.0,
                m.xlic_mb_per_1k(),
                m.cedar_mb_per_1k() / m.xlic_mb_per_1k().max(1e-9)
            );
        }
    }

    // The summary: one line per target, at the largest size measured.
    let _ = writeln!(o, "\n### Against the targets\n");
    let _ = writeln!(
        o,
        "| measure | Cedar | xlic | xlic's advantage | target | meets |"
    );
    let _ = writeln!(o, "|---|---:|---:|---:|---:|:---:|");
    for r in parse {
        let c = us_per(r.cedar_parse, r.grants);
        let x = us_per(r.xlic_parse, r.grants);
        let ratio = c / x.max(1e-9);
        let _ = writeln!(
            o,
            "| parse, {} | {:.2} µs/policy | {:.2} µs/grant | {:.1} × | ≥ {TARGET_PARSE} × | {} |",
            r.label,
            c,
            x,
            ratio,
            meets(ratio, TARGET_PARSE)
        );
    }
    for r in parse {
        if let (Some(c), Some(x)) = (r.cedar_validate, r.xlic_compile) {
            let ratio = c.as_secs_f64() / x.as_secs_f64().max(1e-12);
            let _ = writeln!(
                o,
                "| parse + validate, {} | {} policies/s | {} grants/s | {:.1} × | ≥ {TARGET_PARSE_VALIDATE} × | {} |",
                r.label,
                grouped(per_s(r.grants, c)),
                grouped(per_s(r.grants, x)),
                ratio,
                meets(ratio, TARGET_PARSE_VALIDATE)
            );
        }
    }
    if let Some(q) = query {
        let mut line = |what: &str, x: &Latency| {
            let ratio = q.cedar_10.p50_ns / x.p50_ns.max(1e-9);
            let _ = writeln!(
                o,
                "| one query p50: Cedar with 10 policies, xlic with {what} | {:.2} µs | {:.3} µs | {:.1} × | ≥ {TARGET_QUERY} × | {} |",
                q.cedar_10.p50_ns / 1e3,
                x.p50_ns / 1e3,
                ratio,
                meets(ratio, TARGET_QUERY)
            );
        };
        line("10k grants", &q.xlic_10k);
        if let Some(l) = &q.xlic_100k {
            line("100k grants", l);
        }
        let ratio = q.cedar_10k.p50_ns / q.xlic_10k.p50_ns.max(1e-9);
        let _ = writeln!(
            o,
            "| one query p50: both with 10k | {:.0} µs | {:.3} µs | {} × | — | — |",
            q.cedar_10k.p50_ns / 1e3,
            q.xlic_10k.p50_ns / 1e3,
            grouped(ratio)
        );
    }
    for m in memory {
        let ratio = m.cedar_mb_per_1k() / m.xlic_mb_per_1k().max(1e-9);
        let _ = writeln!(
            o,
            "| peak memory per 1k, {} | {:.2} MB | {:.3} MB | {:.1} × | ≥ {TARGET_MEMORY} × | {} |",
            m.label,
            m.cedar_mb_per_1k(),
            m.xlic_mb_per_1k(),
            ratio,
            meets(ratio, TARGET_MEMORY)
        );
    }
    o
}

fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let with_100k = !quick && !args.iter().any(|a| a == "--no-100k");
    let out_file = args
        .iter()
        .position(|a| a == "--out")
        .map(|i| args.get(i + 1).cloned().ok_or("--out needs a file name"))
        .transpose()?;
    if let Some(bad) = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !matches!(a.as_str(), "--quick" | "--no-100k" | "--out")
                && (*i == 0 || args.get(i - 1).is_none_or(|p| p != "--out"))
        })
        .map(|(_, a)| a)
    {
        return Err(format!(
            "unknown argument `{bad}`: use --quick, --no-100k or --out FILE"
        ));
    }
    let dir = std::env::temp_dir().join(format!("xlic-bench-cedar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let mut parse_rows = Vec::new();
    let mut mem_rows = Vec::new();
    let mut w10k = None;
    let mut w100k = None;
    for size in SIZES.iter().filter(|s| with_100k || s.label != "100k") {
        let runs = if quick { 3 } else { size.runs };
        let size = Size { runs, ..*size };
        let t = Instant::now();
        let w = workload::portfolio_with_conflicts(size.grants, size.assets, PARTIES, SEED, 0);
        let cedar = translate::policies_text(&w.spec.grants);
        eprintln!(
            "{}: generated {} grants ({:.2} MB of xlic, {:.2} MB of Cedar) in {:.0} ms",
            size.label,
            w.grants,
            w.source.len() as f64 / 1e6,
            cedar.len() as f64 / 1e6,
            ms(t.elapsed())
        );
        parse_rows.push(measure_parse(&size, &w, &cedar)?);
        if !size.parse_only {
            mem_rows.push(measure_memory(
                &dir,
                size.label,
                &w,
                &cedar,
                if quick { 1 } else { 3 },
            )?);
        }
        match size.label {
            "10k" => w10k = Some(w),
            "100k" => w100k = Some(w),
            _ => {}
        }
    }
    let query = match &w10k {
        Some(w) => Some(measure_queries(w, w100k.as_ref(), quick)?),
        None => None,
    };
    let _ = std::fs::remove_dir_all(&dir);
    let text = report(&parse_rows, query.as_ref(), &mem_rows);
    emit(&text)?;
    if let Some(f) = out_file {
        std::fs::write(&f, &text).map_err(|e| format!("cannot write {f}: {e}"))?;
    }
    Ok(())
}

/// Writes to stdout, reporting a closed pipe as an error instead of panicking.
fn emit(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// The schema and the first `N` grants of the 1k portfolio in both languages, to read.
fn sample(args: &[String]) -> Result<(), String> {
    use std::fmt::Write as _;
    let w = workload::portfolio_with_conflicts(1_000, 10, PARTIES, SEED, 0);
    let n = args.first().and_then(|n| n.parse().ok()).unwrap_or(5);
    let grants = w.spec.grants.get(..n).unwrap_or(&w.spec.grants);
    let mut o = translate::schema_text();
    o.push('\n');
    for g in grants {
        // The grant as xlic reads it, then the policy Cedar reads.
        let head = format!("grant {}:", g.id);
        if let Some(at) = w.source.find(&head) {
            let block = &w.source[at..];
            let end = block.find("\n}\n").map_or(block.len(), |e| e + 2);
            for line in block[..end].lines() {
                let _ = writeln!(o, "// {line}");
            }
        }
        o.push_str(&translate::policies_text(std::slice::from_ref(g)));
    }
    emit(&o)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("mem") => mem_probe(&args[1..]),
        Some("sample") => sample(&args[1..]),
        _ => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
