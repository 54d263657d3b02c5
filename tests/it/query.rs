//! The query evaluator (`xlic::query`) and `xlic query` beyond single questions (those
//! are the case files of `tests/query/`, run by `query_cases`): several reasons and
//! obligations on the bilateral example, request errors, `--batch`, compiled `.json`
//! policies, unsupported policy versions, sources with errors, and the worked examples
//! of docs/query.md (run and compared, so the document cannot go stale).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::query_cases::{binary_answer, line_of, load, policy_of};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use xlic::emit::json::Policy;
use xlic::query::{Decision, Evaluator, ReasonKind, Request};

const EXAMPLE: &str = "examples/acme_globex.xlic";

// ------------------------------------------------------------------ helpers

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn xlic() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xlic"));
    c.current_dir(root());
    c
}

fn run(args: &[&str]) -> Output {
    xlic()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

/// xlic with these arguments, its three streams piped.
fn spawn(args: &[&str]) -> std::process::Child {
    xlic()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xlic")
}

/// `xlic query EXAMPLE --batch`, its streams piped.
fn spawn_batch() -> std::process::Child {
    spawn(&["query", EXAMPLE, "--batch"])
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = spawn(args);
    // The process may exit without reading (a policy it refuses): ignore a broken pipe.
    let _ = child.stdin.take().expect("stdin").write_all(input);
    child.wait_with_output().expect("wait xlic")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn req(
    licensee: &str,
    asset: &str,
    right: &str,
    field: &str,
    territory: &str,
    date: &str,
) -> Request {
    Request {
        licensee: licensee.into(),
        asset: asset.into(),
        right: right.into(),
        field: field.into(),
        territory: territory.into(),
        date: date.into(),
        purpose: None,
        affiliate: None,
    }
}

/// `xlic query POLICY --licensee … --date …`.
fn query_args<'a>(policy: &'a str, r: &'a Request) -> Vec<&'a str> {
    vec![
        "query",
        policy,
        "--licensee",
        &r.licensee,
        "--asset",
        &r.asset,
        "--right",
        &r.right,
        "--field",
        &r.field,
        "--territory",
        &r.territory,
        "--date",
        &r.date,
    ]
}

#[test]
fn denial_lists_a_reason_per_grant_and_permit_only_the_permitting_ones() {
    // Bilateral example: voltaic_de reaches both grants of helion_portfolio through
    // `and affiliates`; a wearables point is fenced by a named hard reservation.
    let file = "examples/bilateral_license.xlic";
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let policy = policy_of(file);
    let ev = Evaluator::new(&policy).unwrap();

    let a = ev
        .evaluate(&req(
            "voltaic_de",
            "helion_portfolio",
            "make",
            "energy_storage.traction",
            "DE",
            "2027-01-01",
        ))
        .unwrap();
    assert_eq!(a.decision, Decision::Permit, "{a:?}");
    let clauses: Vec<_> = a.reasons.iter().map(|r| r.clause.as_deref()).collect();
    assert_eq!(
        clauses,
        [Some("ev_grid_license")],
        "only the permitting grant: {a:?}"
    );
    // The lump sum fell due on 2026-03-31, before the request: it is not owed by it.
    assert_eq!(
        a.obligations.len(),
        3,
        "two milestones and the tiered royalty: {a:?}"
    );
    let early = ev
        .evaluate(&req(
            "voltaic_de",
            "helion_portfolio",
            "make",
            "energy_storage.traction",
            "DE",
            "2026-03-31",
        ))
        .unwrap();
    assert_eq!(
        early.obligations.len(),
        4,
        "on its due date the lump sum is owed too: {early:?}"
    );
    assert!(a.obligations.iter().all(|o| o.clause == "ev_grid_license"));

    let d = ev
        .evaluate(&req(
            "voltaic_kr",
            "helion_portfolio",
            "lease",
            "energy_storage",
            "KR",
            "2027-01-01",
        ))
        .unwrap();
    assert_eq!(d.decision, Decision::Deny, "{d:?}");
    let kinds: Vec<_> = d
        .reasons
        .iter()
        .map(|r| (r.kind, r.clause.as_deref()))
        .collect();
    assert_eq!(
        kinds.len(),
        2,
        "one reason per grant reaching the party: {d:?}"
    );
    assert!(kinds.contains(&(ReasonKind::NotGranted, Some("ev_grid_license"))));
    assert!(kinds.contains(&(ReasonKind::NotGranted, Some("consumer_license"))));

    let r = ev
        .evaluate(&req(
            "voltaic",
            "helion_portfolio",
            "sell",
            "energy_storage.consumer.wearables",
            "US",
            "2027-01-01",
        ))
        .unwrap();
    assert_eq!(r.decision, Decision::Deny);
    assert_eq!(r.reasons.len(), 1, "{r:?}");
    assert_eq!(r.reasons[0].kind, ReasonKind::Reserved);
    assert_eq!(r.reasons[0].clause.as_deref(), Some("wearables_elsewhere"));
    assert_eq!(
        r.reasons[0].source.as_ref().unwrap().line,
        line_of(&text, "reserve wearables_elsewhere:")
    );
}

// ------------------------------------------------------------------ request errors

#[test]
fn request_errors_exit_2_with_a_clear_message() {
    let ok = req(
        "globex",
        "acme_motion",
        "sell",
        "robotics.consumer",
        "US",
        "2027-06-01",
    );
    let cases: Vec<(Request, &[&str])> = vec![
        (
            Request {
                licensee: "globx".into(),
                ..ok.clone()
            },
            &["unknown party `globx`", "did you mean `globex`"],
        ),
        (
            Request {
                licensee: "zzzzzzzz".into(),
                ..ok.clone()
            },
            &["unknown party `zzzzzzzz`"],
        ),
        (
            Request {
                asset: "acme_motoin".into(),
                ..ok.clone()
            },
            &["unknown asset `acme_motoin`", "did you mean `acme_motion`"],
        ),
        (
            Request {
                asset: "nothing_like_it".into(),
                ..ok.clone()
            },
            &["unknown asset `nothing_like_it`"],
        ),
        (
            Request {
                right: "sel".into(),
                ..ok.clone()
            },
            &["unknown right `sel`", "did you mean `sell`"],
        ),
        (
            Request {
                field: "robotics.consumr".into(),
                ..ok.clone()
            },
            &[
                "unknown field `robotics.consumr`",
                "did you mean `robotics.consumer`",
            ],
        ),
        (
            Request {
                territory: "XX".into(),
                ..ok.clone()
            },
            &["unknown territory `XX`", "ISO 3166-1"],
        ),
        (
            Request {
                territory: "Germany".into(),
                ..ok.clone()
            },
            &["unknown territory `Germany`"],
        ),
        (
            Request {
                date: "2027-02-30".into(),
                ..ok.clone()
            },
            &["`2027-02-30` is not a date", "YYYY-MM-DD"],
        ),
        (
            Request {
                date: "June 2027".into(),
                ..ok.clone()
            },
            &["`June 2027` is not a date"],
        ),
    ];
    let policy = policy_of(EXAMPLE);
    let ev = Evaluator::new(&policy).unwrap();
    for (r, needles) in cases {
        let lib = ev.evaluate(&r).expect_err("the library refuses it too");
        let out = run(&query_args(EXAMPLE, &r));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{r:?}: {err}");
        assert!(stdout(&out).is_empty(), "{r:?}: nothing on stdout");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(&lib.message), "{err} vs {}", lib.message);
        for n in needles {
            assert!(err.contains(n), "{r:?}: `{n}` not in {err}");
        }
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
}

#[test]
fn a_missing_argument_is_a_usage_error() {
    let out = run(&["query", EXAMPLE, "--licensee", "globex"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--asset"), "{}", stderr(&out));
}

// ------------------------------------------------------------------ batch

/// Globex selling vacuums in Germany in 2027: licensed by `acme_to_globex`.
fn vacuum_sale_in_de() -> Request {
    req(
        "globex",
        "acme_motion",
        "sell",
        "robotics.consumer.vacuum",
        "DE",
        "2027-06-01",
    )
}

/// Globex making lawn mowers in Germany in 2027: outside its field, denied.
fn lawn_making_in_de() -> Request {
    req(
        "globex",
        "acme_motion",
        "make",
        "robotics.consumer.lawn",
        "DE",
        "2027-06-01",
    )
}

/// Acme's German affiliate using lidar on the last day of `globex_to_acme`: licensed.
fn lidar_use_on_the_last_day() -> Request {
    req(
        "acme_de",
        "globex_lidar",
        "use",
        "automotive",
        "DE",
        "2032-12-31",
    )
}

/// A request naming the party `globx`, which the example does not declare.
fn for_an_unknown_party() -> Request {
    req(
        "globx",
        "acme_motion",
        "sell",
        "robotics",
        "US",
        "2027-01-01",
    )
}

fn request_line(r: &Request) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn batch_answers_each_line_in_order_and_goes_on_after_a_bad_one() {
    let policy = policy_of(EXAMPLE);
    let ev = Evaluator::new(&policy).unwrap();
    let reqs = [
        vacuum_sale_in_de(),
        lawn_making_in_de(),
        req(
            "acme",
            "acme_motion",
            "make",
            "robotics.consumer",
            "US",
            "2027-06-01",
        ),
        lidar_use_on_the_last_day(),
    ];
    let lines = [
        request_line(&reqs[0]),
        request_line(&reqs[1]),
        "{\"licensee\": \"globex\", \"asset\": ".to_string(),
        request_line(&reqs[2]),
        request_line(&reqs[3]),
    ];
    let input = lines.join("\n") + "\n";
    let out = run_stdin(&["query", EXAMPLE, "--batch"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let answers: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(answers.len(), 5, "{text}");
    let expected: Vec<Value> = reqs
        .iter()
        .map(|r| serde_json::to_value(ev.evaluate(r).unwrap()).unwrap())
        .collect();
    assert_eq!(answers[0], expected[0]);
    assert_eq!(answers[1], expected[1]);
    assert_eq!(answers[3], expected[2]);
    assert_eq!(answers[4], expected[3]);
    assert_eq!(answers[0]["decision"], "permit");
    assert_eq!(answers[1]["decision"], "deny");
    assert_eq!(
        answers[4]["decision"], "permit",
        "the last day of globex_to_acme"
    );
    let err = answers[2]["error"].as_str().expect("an error object");
    assert!(err.starts_with("malformed request"), "{err}");
    assert_eq!(answers[2].as_object().unwrap().len(), 1);
    // The library's line API gives the same lines.
    for (line, answer) in lines.iter().zip(&answers) {
        let lib: Value = serde_json::from_str(&ev.evaluate_line(line)).unwrap();
        assert_eq!(&lib, answer);
    }
}

#[test]
fn batch_reports_unknown_names_and_bad_fields_per_line() {
    let input = concat!(
        "{\"licensee\":\"globx\",\"asset\":\"acme_motion\",\"right\":\"sell\",\"field\":\"robotics\",\"territory\":\"US\",\"date\":\"2027-01-01\"}\n",
        "{\"licensee\":\"globex\",\"asset\":\"acme_motion\",\"right\":\"sell\",\"field\":\"robotics\",\"territory\":\"US\"}\n",
        "{\"licensee\":\"globex\",\"asset\":\"acme_motion\",\"right\":\"sell\",\"field\":\"robotics\",\"territory\":\"US\",\"date\":\"2027-01-01\",\"extra\":1}\n",
        "[]\n",
        "{\"licensee\":\"globex\",\"asset\":\"acme_motion\",\"right\":\"sell\",\"field\":\"robotics.consumer\",\"territory\":\"US\",\"date\":\"2027-01-01\"}",
    );
    let out = run_stdin(&["query", EXAMPLE, "--batch"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let answers: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 5, "{}", stdout(&out));
    let e0 = answers[0]["error"].as_str().unwrap();
    assert!(
        e0.contains("unknown party `globx`") && e0.contains("did you mean `globex`"),
        "{e0}"
    );
    for a in &answers[1..4] {
        assert!(
            a["error"]
                .as_str()
                .unwrap()
                .starts_with("malformed request"),
            "{a}"
        );
    }
    assert_eq!(
        answers[4]["decision"], "permit",
        "a last line without a newline"
    );
}

/// A program that keeps `--batch` running writes a request and waits for its answer
/// before it writes the next: each answer must come out while stdin is still open.
/// (The timeout only detects an answer held back for good, which made such a program
/// wait forever; it is no measure of speed.)
#[test]
fn batch_answers_each_request_before_the_next_arrives() {
    use std::io::BufRead;
    let mut child = spawn_batch();
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.expect("an answer line")).is_err() {
                break;
            }
        }
    });
    let questions = [
        (vacuum_sale_in_de(), "permit"),
        (lawn_making_in_de(), "deny"),
    ];
    for (r, decision) in &questions {
        writeln!(stdin, "{}", request_line(r)).expect("write a request");
        stdin.flush().expect("flush");
        let answer = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("no answer while stdin stays open");
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["decision"], *decision, "{answer}");
    }
    drop(stdin);
    assert!(child.wait().expect("wait xlic").success());
    reader.join().expect("the reader thread");
    assert!(rx.try_recv().is_err(), "an answer no request asked for");
}

/// Thousands of lines (more than one chunk of the lines answered together, on
/// several threads) come back one answer per line, each in its request's place:
/// permits, denials, unknown names, malformed and overlong lines interleaved, blank
/// lines skipped.
#[test]
fn a_long_batch_answers_every_line_in_its_place() {
    let distinct = [
        request_line(&vacuum_sale_in_de()),
        request_line(&lawn_making_in_de()),
        request_line(&lidar_use_on_the_last_day()),
        request_line(&for_an_unknown_party()),
        "{\"licensee\": \"globex\", \"asset\": ".to_string(),
        format!("\"{}\"", "x".repeat(1024 * 1024 + 10)),
    ];
    // Each distinct line alone, as the reference.
    let mut expected = Vec::new();
    for line in &distinct {
        let out = run_stdin(
            &["query", EXAMPLE, "--batch"],
            format!("{line}\n").as_bytes(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert_eq!(text.lines().count(), 1, "{text}");
        expected.push(text.trim_end().to_string());
    }
    assert!(
        expected[5].contains("request longer than"),
        "{}",
        expected[5]
    );
    // A pseudo-random sequence of them, with a blank line now and then.
    let mut order = Vec::new();
    let mut input = String::new();
    let mut x: u32 = 12345;
    for i in 0..5000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        // The overlong line only a few times: it is a megabyte.
        let k = if i % 1000 == 999 {
            5
        } else {
            ((x >> 16) % 5) as usize
        };
        order.push(k);
        input.push_str(&distinct[k]);
        input.push('\n');
        if x % 7 == 0 {
            input.push_str("  \n");
        }
    }
    // Written from a thread: the answers fill their pipe while requests still go in.
    let mut child = spawn_batch();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("wait xlic");
    writer.join().expect("writer").expect("write stdin");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let answers: Vec<&str> = text.lines().collect();
    assert_eq!(answers.len(), order.len());
    for (i, (answer, &k)) in answers.iter().zip(&order).enumerate() {
        assert_eq!(*answer, expected[k], "line {i} (request {k})");
    }
}

/// `Evaluator::decide` (issue 19: the decision without building reasons) decides as
/// `evaluate` does, or fails with the same error, on every example, fixture and query
/// test policy that compiles: requests drawn from each policy's own names, dates
/// around its grants' terms, purposes, unnamed affiliates, unknown names and bad
/// values, with no milestone missed and with every one missed.
#[test]
fn decide_gives_the_decision_of_evaluate() {
    let mut files = crate::common::xlic_corpus();
    crate::common::xlic_files(Path::new("tests/query"), &mut files);
    let mut rng = xlic_testkit::Rng::new(0xdec1_de00);
    let (mut policies, mut asked) = (0, 0);
    let mut decisions = std::collections::BTreeMap::new();
    for path in files {
        let c = crate::common::compile(&path);
        if c.has_errors() {
            continue;
        }
        let policy = xlic::emit::json::policy(&c.model, &c.sources);
        let Ok(plain) = Evaluator::new(&policy) else {
            continue;
        };
        let milestones: Vec<String> = plain.milestones().into_iter().map(str::to_string).collect();
        let missed = Evaluator::new(&policy)
            .and_then(|e| e.assume_missed(&milestones))
            .unwrap();
        policies += 1;
        let mut parties: Vec<&str> = policy.parties.iter().map(|p| p.id.as_str()).collect();
        parties.push("nobody");
        let mut assets: Vec<&str> = policy.assets.iter().map(|a| a.id.as_str()).collect();
        assets.push("nothing");
        let mut fields: Vec<&str> = policy.fields.iter().map(|f| f.id.as_str()).collect();
        fields.push("no.such.field");
        let mut rights: Vec<&str> = xlic::vocab::Right::ALL
            .iter()
            .map(|r| r.keyword())
            .collect();
        rights.push("steal");
        let countries = ["DE", "FR", "US", "JP", "GB", "CN", "CH", "BR", "IN", "XX"];
        let mut dates = vec![
            "2020-01-01".to_string(),
            "2026-06-30".to_string(),
            "not a date".to_string(),
        ];
        for g in policy.agreements.iter().flat_map(|a| &a.grants) {
            for d in [Some(g.term.start), g.term.end].into_iter().flatten() {
                dates.push(d.to_string());
                dates.extend(d.pred().map(|p| p.to_string()));
            }
        }
        let purposes = [
            None,
            Some("research"),
            Some("commercial"),
            Some("gardening"),
        ];
        for _ in 0..1500 {
            let request = Request {
                licensee: rng.pick(&parties).to_string(),
                asset: rng.pick(&assets).to_string(),
                right: rng.pick(&rights).to_string(),
                field: rng.pick(&fields).to_string(),
                territory: rng.pick(&countries).to_string(),
                date: rng.pick(&dates).clone(),
                purpose: rng.pick(&purposes).map(str::to_string),
                affiliate: rng.chance(10).then(|| xlic::query::UnnamedAffiliate {
                    name: "Newco".to_string(),
                    control: None,
                    controlled_since: None,
                }),
            };
            for ev in [&plain, &missed] {
                let full = ev
                    .evaluate(&request)
                    .map(|a| a.decision)
                    .map_err(|e| e.message);
                let decided = ev.decide(&request).map_err(|e| e.message);
                assert_eq!(decided, full, "{}: {request:?}", path.display());
                *decisions
                    .entry(format!("{full:?}").chars().take(20).collect::<String>())
                    .or_insert(0) += 1;
                asked += 1;
            }
        }
    }
    assert!(policies > 40, "{policies} policies");
    // The draws reach every decision, and errors.
    for d in ["Ok(Permit)", "Ok(Deny)", "Ok(NoLicenseNeeded)", "Err("] {
        assert!(
            decisions.keys().any(|k| k.starts_with(d)),
            "no {d} in {asked} requests: {decisions:?}"
        );
    }
}

/// `--decision-only` answers with the decision alone, the one the full answer gives,
/// in a batch (errors as before) and for one question.
#[test]
fn decision_only_answers_with_the_decision_alone() {
    let lines = [
        request_line(&vacuum_sale_in_de()),
        request_line(&lawn_making_in_de()),
        request_line(&for_an_unknown_party()),
        request_line(&req(
            "acme",
            "acme_motion",
            "make",
            "robotics",
            "US",
            "2060-01-01",
        )),
    ];
    let input = lines.join("\n") + "\n";
    let full = run_stdin(&["query", EXAMPLE, "--batch"], input.as_bytes());
    let bare = run_stdin(
        &["query", EXAMPLE, "--batch", "--decision-only"],
        input.as_bytes(),
    );
    assert_eq!(bare.status.code(), Some(0), "{}", stderr(&bare));
    let full: Vec<Value> = stdout(&full)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bare: Vec<Value> = stdout(&bare)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(bare.len(), 4);
    for (b, f) in bare.iter().zip(&full) {
        match f.get("error") {
            Some(e) => assert_eq!(b, &json!({ "error": e })),
            None => assert_eq!(b, &json!({ "decision": f["decision"] })),
        }
    }
    assert_eq!(bare[0]["decision"], "permit");
    assert_eq!(bare[1]["decision"], "deny");
    assert_eq!(bare[3]["decision"], "no_license_needed", "{bare:?}");
    let one = run(&[
        "query",
        EXAMPLE,
        "--licensee",
        "globex",
        "--asset",
        "acme_motion",
        "--right",
        "sell",
        "--field",
        "robotics.consumer.vacuum",
        "--territory",
        "DE",
        "--date",
        "2027-06-01",
        "--decision-only",
    ]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    let one: Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(one, json!({ "decision": "permit" }));
}

#[test]
fn batch_with_empty_stdin_prints_nothing() {
    let out = run_stdin(&["query", EXAMPLE, "--batch"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

// ------------------------------------------------------------------ policies

#[test]
fn a_built_policy_answers_like_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let built = run(&["build", EXAMPLE, "-o", out_dir.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let json_path = out_dir.join("policy.json");
    let json_file = json_path.to_str().unwrap();

    let cases = load("tests/query/acme_globex.query");
    assert_eq!(cases.policy, EXAMPLE);
    let reqs: Vec<Request> = cases.cases.into_iter().map(|e| e.req).collect();
    let input: String = reqs.iter().map(|r| request_line(r) + "\n").collect();
    let from_source = run_stdin(&["query", EXAMPLE, "--batch"], input.as_bytes());
    let from_json = run_stdin(&["query", json_file, "--batch"], input.as_bytes());
    assert_eq!(from_source.status.code(), Some(0));
    assert_eq!(from_json.status.code(), Some(0), "{}", stderr(&from_json));
    assert_eq!(stdout(&from_source).lines().count(), reqs.len());
    assert_eq!(stdout(&from_source), stdout(&from_json));

    // And single queries, and the library on the deserialised policy.
    let r = &reqs[0];
    assert_eq!(binary_answer(json_file, r), binary_answer(EXAMPLE, r));
    let text = std::fs::read_to_string(&json_path).unwrap();
    let loaded: Policy = serde_json::from_str(&text).unwrap();
    let compiled = policy_of(EXAMPLE);
    let (ev_json, ev_src) = (
        Evaluator::new(&loaded).unwrap(),
        Evaluator::new(&compiled).unwrap(),
    );
    for r in &reqs {
        assert_eq!(ev_json.evaluate(r), ev_src.evaluate(r), "{r:?}");
    }
}

/// The compact policy (`xlic build --compact`, issue 19) answers every request of the
/// example's query file as the full policy does, byte for byte; `--compact` with
/// another output is a usage error, and `xlic diff`'s library refuses compact policies.
/// A version-10 policy (the full form before the compact one) is still read.
#[test]
fn a_compact_policy_answers_like_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let (full_dir, compact_dir) = (dir.path().join("full"), dir.path().join("compact"));
    let built = run(&["build", EXAMPLE, "-o", full_dir.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let built = run(&[
        "build",
        EXAMPLE,
        "--compact",
        "-o",
        compact_dir.to_str().unwrap(),
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let (full, compact) = (
        full_dir.join("policy.json"),
        compact_dir.join("policy.json"),
    );
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(size(&compact) * 3 < size(&full) * 2, "not a third smaller");

    let cases = load("tests/query/acme_globex.query");
    let reqs: Vec<Request> = cases.cases.into_iter().map(|e| e.req).collect();
    let input: String = reqs.iter().map(|r| request_line(r) + "\n").collect();
    let answers = |policy: &Path| {
        let out = run_stdin(
            &["query", policy.to_str().unwrap(), "--batch"],
            input.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let from_full = answers(&full);
    assert_eq!(from_full.lines().count(), reqs.len());
    assert!(from_full.contains("\"permit\"") && from_full.contains("\"deny\""));
    assert_eq!(answers(&compact), from_full);

    let other = run(&["build", EXAMPLE, "--compact", "--emit", "markdown"]);
    assert_eq!(other.status.code(), Some(2), "{}", stderr(&other));
    assert!(stderr(&other).contains("--emit json"), "{}", stderr(&other));

    let read = |p: &Path| -> Policy {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let err = xlic::diff::diff(&read(&full), &read(&compact))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("compact"), "{err}");
    assert!(xlic::diff::diff(&read(&full), &read(&full)).is_ok());

    // Version 10 is version 11's full form: still read, and answering alike; no
    // version-10 policy is compact.
    let (mut v10, mut c10) = (read(&full), read(&compact));
    v10.xlic_policy = 10;
    c10.xlic_policy = 10;
    let (ev10, ev11) = (Evaluator::new(&v10).unwrap(), Evaluator::new(&c10));
    let v11 = read(&full);
    let ev = Evaluator::new(&v11).unwrap();
    for r in &reqs {
        assert_eq!(ev10.evaluate(r), ev.evaluate(r), "{r:?}");
    }
    let err = ev11.err().map(|e| e.message).unwrap_or_default();
    assert!(err.contains("version 10 is not supported"), "{err}");
}

#[test]
fn an_unknown_policy_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let built = run(&["build", EXAMPLE, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0));
    let path = dir.path().join("policy.json");
    let mut policy: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    policy["xlic_policy"] = json!(99);
    let future = dir.path().join("future.json");
    std::fs::write(&future, serde_json::to_string(&policy).unwrap()).unwrap();
    let r = req(
        "globex",
        "acme_motion",
        "sell",
        "robotics.consumer",
        "US",
        "2027-06-01",
    );
    let out = run(&query_args(future.to_str().unwrap(), &r));
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("version 99") && err.contains("not supported"),
        "{err}"
    );
    let batch = run_stdin(
        &["query", future.to_str().unwrap(), "--batch"],
        request_line(&r).as_bytes(),
    );
    assert_eq!(batch.status.code(), Some(2));
    assert!(batch.stdout.is_empty());

    // The library refuses it the same way.
    let parsed: Policy = serde_json::from_value(policy).unwrap();
    let e = Evaluator::new(&parsed).err().expect("refused");
    assert!(e.message.contains("99"), "{}", e.message);

    // Not a policy at all.
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    let out = run(&query_args(junk.to_str().unwrap(), &r));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not an xlic policy"),
        "{}",
        stderr(&out)
    );

    // Not UTF-8: refused with where, before any JSON is read.
    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, b"{\"xlic_policy\": \"\xff\"}").unwrap();
    let out = run(&query_args(binary.to_str().unwrap(), &r));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not an xlic policy: it is not UTF-8 text (byte 17)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_source_with_errors_exits_1_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xlic");
    std::fs::write(
        &path,
        "agreement \"A\" { effective 2026-01-01 }\n\
         party acme \"Acme\"\n\
         party globex \"Globex\"\n\
         asset p: know-how of acme\n\
         grant g: acme -> globx { assets p field all territory worldwide non-exclusive }\n",
    )
    .unwrap();
    let r = req("globex", "p", "use", "x", "US", "2027-01-01");
    let out = run(&query_args(path.to_str().unwrap(), &r));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("E0101") && err.contains("globx") && err.contains("did you mean `globex`"),
        "{err}"
    );
    let batch = run_stdin(
        &["query", path.to_str().unwrap(), "--batch"],
        request_line(&r).as_bytes(),
    );
    assert_eq!(batch.status.code(), Some(1));
    assert!(batch.stdout.is_empty());
}

// ------------------------------------------------------------------ docs/query.md

/// Splits a shell command line: words separated by blanks, `"…"` and `'…'` quoting,
/// backslash-newline continuation.
fn shell_words(line: &str) -> Vec<String> {
    let line = line.replace("\\\n", " ");
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for ch in line.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => word.push(ch),
            None if ch == '"' || ch == '\'' => {
                quote = Some(ch);
                in_word = true;
            }
            None if ch.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(ch);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in `{line}`");
    if in_word {
        words.push(word);
    }
    words
}

/// The fenced blocks of a Markdown text: (info string, body).
fn fenced_blocks(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        blocks.push((info.trim().to_string(), body));
    }
    blocks
}

#[test]
fn the_worked_examples_in_docs_query_md_are_true() {
    let md = std::fs::read_to_string(root().join("docs/query.md")).expect("docs/query.md");
    let blocks = fenced_blocks(&md);
    let prefix = "xlic query examples/acme_globex.xlic --licensee";
    let mut checked = 0;
    for (i, (info, body)) in blocks.iter().enumerate() {
        if info != "sh" || !body.trim_start().starts_with(prefix) {
            continue;
        }
        let (next_info, expected) = blocks
            .get(i + 1)
            .unwrap_or_else(|| panic!("no ```json block after:\n{body}"));
        assert_eq!(
            next_info, "json",
            "the block after `{body}` must be ```json"
        );
        let words = shell_words(body.trim());
        assert_eq!(words[0], "xlic");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{body}: {}", stderr(&out));
        let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let want: Value = serde_json::from_str(expected)
            .unwrap_or_else(|e| panic!("the doc's answer to `{body}` is not JSON: {e}"));
        assert_eq!(
            got,
            want,
            "docs/query.md is out of date for\n{body}\nthe binary now answers:\n{}",
            stdout(&out)
        );
        checked += 1;
    }
    assert!(
        checked >= 8,
        "only {checked} worked examples found in docs/query.md"
    );
}

/// The code of docs/query.md §9, as written there.
#[test]
fn the_library_example_in_docs_query_md_runs() -> Result<(), Box<dyn std::error::Error>> {
    // A policy: compiled now from sources...
    let c = xlic::compile(
        &[xlic::Input::Path("examples/acme_globex.xlic".into())],
        &xlic::Options::default(),
    )
    .map_err(|e| e.to_string())?; // Err when a file cannot be read
    assert!(!c.has_errors());
    let policy = xlic::emit::json::policy(&c.model, &c.sources);

    // Err for a policy version this xlic does not read.
    let evaluator = Evaluator::new(&policy).map_err(|e| e.message)?;
    let answer = evaluator
        .evaluate(&Request {
            licensee: "globex".into(),
            asset: "acme_motion".into(),
            right: "sell".into(),
            field: "robotics.consumer.vacuum".into(),
            territory: "DE".into(),
            date: "2027-06-01".into(),
            purpose: None,
            affiliate: None,
        })
        .map_err(|e| e.message)?; // Err for an unknown name or a malformed date
    assert_eq!(answer.decision, Decision::Permit);
    for reason in &answer.reasons {
        println!("{:?} {:?} {}", reason.kind, reason.clause, reason.detail);
    }

    // One line of batch input in, one line out (an answer or an error object).
    let line = evaluator.evaluate_line(r#"{"licensee":"acme","asset":1}"#);
    assert!(line.starts_with(r#"{"error":"malformed request"#));

    // The snippet in the document is this code.
    let md = std::fs::read_to_string(root().join("docs/query.md"))?;
    for needle in [
        "Evaluator::new(&policy).map_err(|e| e.message)?",
        ".map_err(|e| e.message)?; // Err for an unknown name or a malformed date",
        r##"evaluator.evaluate_line(r#"{"licensee":"acme","asset":1}"#);"##,
    ] {
        assert!(
            md.contains(needle),
            "docs/query.md §9 no longer shows `{needle}`"
        );
    }
    Ok(())
}

/// A policy is read strictly: every value the schema types is checked as it is read, and
/// what the schema cannot say (references, ranges, the effective scope its clauses give)
/// after. Each corruption below used to be read quietly, some into a `permit`.
#[test]
fn a_policy_that_does_not_hold_together_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let built = run(&["build", EXAMPLE, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0));
    let good: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("policy.json")).unwrap())
            .unwrap();
    let grant = "/agreements/0/grants/0";
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "an end date that is no calendar date",
            "/term/end",
            json!("2031-02-30"),
            "not a calendar date",
        ),
        (
            "a date in another format",
            "/term/end",
            json!("31/12/2030"),
            "not a calendar date",
        ),
        (
            "an unknown right",
            "/rights/0",
            json!("fly"),
            "`fly` is not one of",
        ),
        (
            "a negative royalty rate",
            "/consideration/0/rate",
            json!("-1"),
            "not a decimal number",
        ),
        (
            "a royalty rate over 100%",
            "/consideration/0/rate",
            json!("150"),
            "(0, 100]",
        ),
        (
            "an unknown licensee",
            "/reach/0",
            json!("nobody"),
            "unknown party `nobody`",
        ),
        (
            "an unknown exclusivity",
            "/exclusivity",
            json!("exclusiv"),
            "is not one of",
        ),
        (
            "an edited effective scope",
            "/effective_scope/0/end",
            json!("2035-01-01"),
            "effective scope of grant `acme_to_globex`",
        ),
        (
            "a grant subject to an unknown reservation",
            "/subject_to/0",
            json!("nope"),
            "is subject to the unknown reservation `nope`",
        ),
    ];
    let r = req(
        "globex",
        "acme_motion",
        "sell",
        "robotics.consumer",
        "US",
        "2027-06-01",
    );
    for (what, pointer, value, message) in cases {
        let mut policy = good.clone();
        *policy
            .pointer_mut(&format!("{grant}{pointer}"))
            .unwrap_or_else(|| panic!("{what}: no {pointer}")) = value;
        let path = dir.path().join("bad.json");
        std::fs::write(&path, serde_json::to_string(&policy).unwrap()).unwrap();
        let out = run(&query_args(path.to_str().unwrap(), &r));
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stdout(&out));
        assert!(stdout(&out).is_empty(), "{what}");
        let err = stderr(&out);
        assert!(err.contains(message), "{what}: {err}");
    }
    // A sunset that names a grant the agreement does not have (its derived id edited
    // along, so only the reference is wrong).
    let mut policy = good.clone();
    let sunset = policy
        .pointer_mut("/agreements/0/sunsets/0")
        .expect("the example has a sunset");
    sunset["grant"] = json!("nobody");
    sunset["id"] = json!("sunset#nobody");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, serde_json::to_string(&policy).unwrap()).unwrap();
    let out = run(&query_args(path.to_str().unwrap(), &r));
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("names the unknown grant `nobody`"),
        "{}",
        stderr(&out)
    );
}

/// Rights kept for the licensor's affiliate (`reserve … for acme_labs`) let that
/// affiliate act, with the reservation as the reason, even inside an exclusive license
/// made subject to them; outside them the affiliate holds nothing.
#[test]
fn an_affiliate_acts_under_rights_retained_for_it() {
    let policy =
        policy_of("tests/fixtures/conflicts/ok/research_retained_for_licensor_affiliate.xlic");
    let ev = Evaluator::new(&policy).unwrap();
    let a = ev
        .evaluate(&req(
            "acme_labs",
            "motion",
            "use",
            "robotics",
            "US",
            "2027-06-01",
        ))
        .unwrap();
    assert_eq!(a.decision, Decision::Permit, "{a:?}");
    assert_eq!(a.reasons.len(), 1, "{a:?}");
    assert_eq!(a.reasons[0].kind, ReasonKind::Retained);
    assert_eq!(a.reasons[0].clause.as_deref(), Some("research"));
    let sell = ev
        .evaluate(&req(
            "acme_labs",
            "motion",
            "sell",
            "robotics",
            "US",
            "2027-06-01",
        ))
        .unwrap();
    assert_eq!(sell.decision, Decision::Deny, "{sell:?}");
    // The exclusive licensee is licensed all the same.
    let g = ev
        .evaluate(&req(
            "globex",
            "motion",
            "use",
            "robotics",
            "US",
            "2027-06-01",
        ))
        .unwrap();
    assert_eq!(g.decision, Decision::Permit, "{g:?}");
}

/// An exclusive sublicense granted by a non-exclusive licensee (E0309) does not shut the
/// owner out: only an exclusive license the owner granted binds the owner.
#[test]
fn a_licensees_exclusive_sublicense_does_not_lock_the_owner_out() {
    let c = xlic::compile(
        &[xlic::Input::Path(std::path::PathBuf::from(
            "tests/fixtures/conflicts/err/E0309_exclusive_sublicense_from_non_exclusive.xlic",
        ))],
        &xlic::Options::default(),
    )
    .unwrap();
    assert!(c
        .diagnostics
        .iter()
        .any(|d| d.code == xlic::diagnostics::Code::E0309));
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    let ev = Evaluator::new(&policy).unwrap();
    let a = ev
        .evaluate(&req(
            "acme",
            "motion",
            "make",
            "robotics",
            "US",
            "2027-06-01",
        ))
        .unwrap();
    assert_eq!(a.decision, Decision::Permit, "{a:?}");
    assert_eq!(a.reasons[0].kind, ReasonKind::Owner, "{a:?}");
}

/// A policy built from an agreement with `release from` answers like its source for
/// every case of `tests/query/release.query`, through the binary and the library. A
/// reader refuses it with the release date removed (the grants' effective scope no
/// longer follows from the clauses) or moved onto the effective date.
#[test]
fn a_built_policy_with_a_release_answers_like_its_source() {
    const RELEASE: &str = "tests/query/release.xlic";
    let dir = tempfile::tempdir().unwrap();
    let built = run(&["build", RELEASE, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let json_path = dir.path().join("policy.json");
    let good: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(good["agreements"][0]["release_from"], json!("2024-01-01"));

    let cases = load("tests/query/release.query");
    assert_eq!(cases.policy, RELEASE);
    let reqs: Vec<Request> = cases.cases.into_iter().map(|e| e.req).collect();
    let input: String = reqs.iter().map(|r| request_line(r) + "\n").collect();
    let from_source = run_stdin(&["query", RELEASE, "--batch"], input.as_bytes());
    let from_json = run_stdin(
        &["query", json_path.to_str().unwrap(), "--batch"],
        input.as_bytes(),
    );
    assert_eq!(from_json.status.code(), Some(0), "{}", stderr(&from_json));
    assert_eq!(stdout(&from_source), stdout(&from_json));
    let loaded: Policy = serde_json::from_value(good.clone()).unwrap();
    let compiled = policy_of(RELEASE);
    let (ev_json, ev_src) = (
        Evaluator::new(&loaded).unwrap(),
        Evaluator::new(&compiled).unwrap(),
    );
    for r in &reqs {
        assert_eq!(ev_json.evaluate(r), ev_src.evaluate(r), "{r:?}");
    }

    // In the released past (2025-06-01) the grant reaching back to the release date
    // permits; read without the release, the policy is refused, not answered otherwise.
    let past = req(
        "globex",
        "acme_motion",
        "make",
        "robotics",
        "US",
        "2025-06-01",
    );
    assert_eq!(ev_json.evaluate(&past).unwrap().decision, Decision::Permit);
    for (what, value, message) in [
        (
            "without its release date",
            Value::Null,
            "effective scope of grant `acme_to_globex`",
        ),
        (
            "a release date on the effective date",
            json!("2026-01-01"),
            "`release_from` 2026-01-01 is not before the effective date 2026-01-01",
        ),
    ] {
        let mut policy = good.clone();
        policy["agreements"][0]["release_from"] = value;
        let path = dir.path().join("bad.json");
        std::fs::write(&path, serde_json::to_string(&policy).unwrap()).unwrap();
        let out = run(&query_args(path.to_str().unwrap(), &past));
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stdout(&out));
        assert!(stdout(&out).is_empty(), "{what}");
        let err = stderr(&out);
        assert!(err.contains(message), "{what}: {err}");
    }
}

// ------------------------------------------------------------------ affiliates by control (terms)

/// An unnamed affiliate is asked about only where a party's block says `affiliates by
/// control`, as an entity the agreement does not name, with a known kind of control
/// and the control date its `as of` needs: each otherwise is a request error, from the
/// library and the binary alike, that says what to give.
#[test]
fn an_unnamed_affiliate_request_that_cannot_be_judged_is_an_error() {
    const ABC: &str = "tests/query/affiliates_by_control.xlic";
    let policy = policy_of(ABC);
    let ev = Evaluator::new(&policy).unwrap();
    let ask = |licensee: &str, name: &str, control: Option<&str>, since: Option<&str>| Request {
        affiliate: Some(xlic::query::UnnamedAffiliate {
            name: name.into(),
            control: control.map(Into::into),
            controlled_since: since.map(Into::into),
        }),
        ..req(licensee, "fam", "make", "tools", "US", "2027-01-01")
    };
    let cases: Vec<(Request, Vec<&str>, &str)> = vec![
        (
            ask("hooli", "Hooli Labs", None, None),
            vec!["--affiliate", "Hooli Labs"],
            "`hooli` has no affiliates by control, only named ones",
        ),
        (
            ask("globex_uk", "Globex Ireland", None, Some("2020-01-01")),
            vec![
                "--affiliate",
                "Globex Ireland",
                "--controlled-since",
                "2020-01-01",
            ],
            "`globex_uk` is an affiliate itself",
        ),
        (
            ask("globex", "Globex Brasil Ltda", None, None),
            vec!["--affiliate", "Globex Brasil Ltda"],
            "say since when `Globex Brasil Ltda` is",
        ),
        (
            ask("globex", "Globex UK Limited", None, Some("2020-01-01")),
            vec![
                "--affiliate",
                "Globex UK Limited",
                "--controlled-since",
                "2020-01-01",
            ],
            "is named in the agreement as `globex_uk`",
        ),
        // A name is judged as given: white space around it is refused, not trimmed
        // (the Cedar export cannot trim), whether or not it would then name a party.
        (
            ask("globex", " Globex UK Limited ", None, Some("2020-01-01")),
            vec![
                "--affiliate",
                " Globex UK Limited ",
                "--controlled-since",
                "2020-01-01",
            ],
            "has white space around it",
        ),
        (
            ask(
                "globex",
                "Globex Brasil Ltda\u{a0}",
                None,
                Some("2020-01-01"),
            ),
            vec![
                "--affiliate",
                "Globex Brasil Ltda\u{a0}",
                "--controlled-since",
                "2020-01-01",
            ],
            "has white space around it",
        ),
        (
            ask("globex", " \t", None, Some("2020-01-01")),
            vec!["--affiliate", " \t", "--controlled-since", "2020-01-01"],
            "an unnamed affiliate needs a name",
        ),
        (
            ask("initech", "Initech Labs", Some("owned"), None),
            vec!["--affiliate", "Initech Labs", "--control", "owned"],
            "unknown kind of control `owned`",
        ),
        (
            ask("initech", "Initech Labs", None, Some("2020-13-01")),
            vec![
                "--affiliate",
                "Initech Labs",
                "--controlled-since",
                "2020-13-01",
            ],
            "`2020-13-01` is not a date",
        ),
    ];
    for (r, extra, needle) in cases {
        let lib = ev.evaluate(&r).expect_err("the library refuses it");
        assert!(lib.message.contains(needle), "{}", lib.message);
        let mut args = query_args(ABC, &r);
        args.extend(extra);
        let out = run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{r:?}: {err}");
        assert!(err.contains(&lib.message), "{err} vs {}", lib.message);
    }
}

#[test]
fn an_unnamed_affiliate_in_a_batch_request_is_an_object() {
    let line = r#"{"licensee":"globex","asset":"fam","right":"make","field":"tools","territory":"US","date":"2027-01-01","affiliate":{"name":"Globex Brasil Ltda","control":"controlled","controlled_since":"2020-01-01"}}"#;
    let out = run_stdin(
        &["query", "tests/query/affiliates_by_control.xlic", "--batch"],
        format!("{line}\n").as_bytes(),
    );
    let text = stdout(&out);
    assert!(text.contains(r#""decision":"permit""#), "{text}");
    assert!(text.contains(r#""clause":"to_globex""#), "{text}");
}

/// terms (issue 15, round 5): a hybrid license's royalty steps down per country. The
/// 4% royalty `until expiry` is owed while a licensed patent is in force in the
/// request's country (US until 2032, DE until 2034), the 2% `from expiry` after that;
/// never both.
#[test]
fn a_hybrid_royalty_is_owed_by_country_either_side_of_expiry() {
    let policy = policy_of("tests/fixtures/terms/ok/hybrid_royalty_step_down.xlic");
    let ev = Evaluator::new(&policy).unwrap();
    let rate = |territory: &str, date: &str| -> Vec<String> {
        let a = ev
            .evaluate(&req(
                "nova",
                "ferro_process",
                "sell",
                "batteries",
                territory,
                date,
            ))
            .unwrap();
        assert_eq!(a.decision, Decision::Permit, "{a:?}");
        a.obligations
            .iter()
            .map(|o| serde_json::to_value(&o.consideration).unwrap()["rate"].to_string())
            .collect()
    };
    assert_eq!(rate("US", "2031-12-31"), ["\"4\""]);
    assert_eq!(rate("US", "2032-01-01"), ["\"2\""]);
    assert_eq!(rate("DE", "2033-06-01"), ["\"4\""]);
    assert_eq!(rate("DE", "2034-01-01"), ["\"2\""]);
}
