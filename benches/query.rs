//! Query throughput: the evaluator in process (one request at a time, p50/p99 latency),
//! batch lines in process (JSON in, JSON out), and the `xlic query --batch` process end
//! to end (the full policy and its compact form), on generated 10k- and 100k-grant
//! portfolios. Figures go to docs/performance.md; `cargo bench --bench query [-- 10k|100k]`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "workload/mod.rs"]
mod workload;

use std::io::Write;
use std::time::Instant;
use xlic::query::{Evaluator, Request};
use xlic_testkit::Rng;

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

/// Requests aimed at real grants (about half permit), with some noise.
fn requests(policy: &xlic::emit::json::Policy, n: usize) -> Vec<Request> {
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let grants: Vec<_> = policy
        .agreements
        .iter()
        .flat_map(|a| a.grants.iter())
        .collect();
    let fields: Vec<&str> = policy.fields.iter().map(|f| f.id.as_str()).collect();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let g = *rng.pick(&grants);
        let field = if rng.chance(25) || g.fields.is_empty() {
            *rng.pick(&fields)
        } else {
            rng.pick(&g.fields).as_str()
        };
        let codes = g.territory_codes();
        let territory = if rng.chance(25) || codes.is_empty() {
            "JP"
        } else {
            *rng.pick(&codes)
        };
        let year = 2026 + rng.below(16);
        out.push(Request {
            licensee: rng.pick(g.reach()).clone(),
            asset: rng.pick(&g.assets).clone(),
            right: rng.pick(&RIGHTS).to_string(),
            field: field.to_string(),
            territory: territory.to_string(),
            date: format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            purpose: None,
            affiliate: None,
        });
    }
    out
}

fn percentile(sorted: &[u128], p: f64) -> u128 {
    sorted[((sorted.len() as f64 - 1.0) * p) as usize]
}

fn run(label: &str, grants: usize, assets: usize) {
    let w = workload::portfolio_with_conflicts(grants, assets, 200, 7, 0);
    let c = xlic::compile_text("portfolio.xlic", &w.source);
    assert!(!c.has_errors(), "the generated portfolio has errors");
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let t = Instant::now();
    let eval = Evaluator::new(&policy).unwrap();
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    let reqs = requests(&policy, 200_000);

    // Warm up, then time each request on its own.
    let mut permits = 0usize;
    for r in reqs.iter().take(20_000) {
        if eval
            .evaluate(r)
            .map(|a| a.decision == xlic::query::Decision::Permit)
            .unwrap_or(false)
        {
            permits += 1;
        }
    }
    let mut times: Vec<u128> = Vec::with_capacity(reqs.len());
    for r in &reqs {
        let t = Instant::now();
        let a = eval.evaluate(r);
        times.push(t.elapsed().as_nanos());
        std::hint::black_box(a.ok());
    }
    times.sort_unstable();
    let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));

    // The decision alone (no reasons built), each request on its own; it must agree.
    let mut times: Vec<u128> = Vec::with_capacity(reqs.len());
    for r in &reqs {
        let t = Instant::now();
        let d = eval.decide(r);
        times.push(t.elapsed().as_nanos());
        std::hint::black_box(d.ok());
    }
    times.sort_unstable();
    let (d50, d99) = (percentile(&times, 0.50), percentile(&times, 0.99));
    for r in reqs.iter().step_by(97) {
        assert_eq!(
            eval.decide(r).ok(),
            eval.evaluate(r).ok().map(|a| a.decision),
            "decide disagrees on {r:?}"
        );
    }

    // Batch lines in process: JSON parse + evaluate + JSON answer.
    let lines: Vec<String> = reqs
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let t = Instant::now();
    let mut bytes = 0usize;
    for l in &lines {
        bytes += eval.evaluate_line(l).len();
    }
    let batch_rate = lines.len() as f64 / t.elapsed().as_secs_f64();
    std::hint::black_box(bytes);

    // The CLI, end to end: load the policy JSON, answer every line; the full form,
    // then the compact form (`xlic build --compact`, issue 19), which must answer alike.
    let dir = tempfile::tempdir().unwrap();
    let policy_path = dir.path().join("policy.json");
    let policy_json = xlic::emit::json::to_json(&policy);
    // The 100k policy is some 500 MB, over the 64 MiB a file may have by default.
    let max_file_bytes = policy_json.len().max(64 << 20);
    std::fs::write(&policy_path, policy_json).unwrap();
    let compact_path = dir.path().join("compact.json");
    let mut compact = std::io::BufWriter::new(std::fs::File::create(&compact_path).unwrap());
    xlic::policy::write_streamed(&c.model, &c.ledger, &c.sources, true, &mut compact).unwrap();
    drop(compact);
    let input_path = dir.path().join("requests.jsonl");
    let mut f = std::fs::File::create(&input_path).unwrap();
    for l in &lines {
        writeln!(f, "{l}").unwrap();
    }
    drop(f);
    let cli = |policy: &std::path::Path| {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_xlic"))
            .arg("query")
            .arg(policy)
            .arg("--batch")
            .arg("--max-file-bytes")
            .arg(max_file_bytes.to_string())
            .stdin(std::fs::File::open(&input_path).unwrap())
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(out.status.success());
        let answers = out.stdout.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(answers, lines.len(), "one answer per request line");
        (secs, out.stdout)
    };
    let (cli_secs, full_answers) = cli(&policy_path);
    let (compact_secs, compact_answers) = cli(&compact_path);
    assert!(
        compact_answers == full_answers,
        "the compact policy answers otherwise"
    );
    let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1e6;

    println!(
        "| {label} | {} grants | index {index_ms:.1} ms | single p50 {:.2} µs, p99 {:.2} µs | decide p50 {:.2} µs, p99 {:.2} µs | batch in process {:.0} answers/s | `xlic query --batch` {:.0} answers/s ({:.2} s for {} lines, policy load included; {:.1} MB) | compact: {:.0} answers/s ({:.2} s; {:.1} MB) | permits in warm-up: {}/20000 |",
        w.grants,
        p50 as f64 / 1e3,
        p99 as f64 / 1e3,
        d50 as f64 / 1e3,
        d99 as f64 / 1e3,
        batch_rate,
        lines.len() as f64 / cli_secs,
        cli_secs,
        lines.len(),
        size(&policy_path),
        lines.len() as f64 / compact_secs,
        compact_secs,
        size(&compact_path),
        permits
    );
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |l: &str| filters.is_empty() || filters.iter().any(|f| f == l);
    if want("10k") {
        run("10k", 10_000, 100);
    }
    if want("100k") {
        run("100k", 100_000, 1000);
    }
}
