//! The engines' half of the differential test of `xlic build --emit cedar` and `--emit
//! rego` (docs/cedar.md, docs/rego.md): Cedar (`cedar-policy` 4.14.1) and Rego
//! (`regorus` 0.14) answer the requests `xlic query` answered, over the exports of the
//! portfolios, and every decision must be the same.
//!
//! xlic's half is the root workspace's example `engine-cases` (tests/engines/cases/,
//! built into the workspace's own target/debug by `cargo test --workspace`): it
//! generates the portfolios and writes each as `DIR/case-NNN/` — the source
//! (`portfolio.xlic`), the Cedar export (`cedar/`: `policy.cedar`, `policy.cedarschema`,
//! `entities.json`), the OPA bundle (`bundle/`: `data.json`, `xlic.rego`, `.manifest`) and
//! every request with `xlic query`'s answer (`requests.jsonl`: `input`, `decision`,
//! `kinds`, `refused`) — and `DIR/summary.json`. This program depends on the two engines
//! and serde_json only, so that neither xlic nor its dependencies are built twice.
//!
//! For every case it validates the policies against the schema (strict), then asks each
//! request of Cedar (the request mapped as docs/cedar.md's table says) and of Rego (the
//! request object as it is, docs/rego.md). Decisions must be identical; on a permit the
//! clauses the Cedar and Rego boxes cite, with their kinds (`granted`, `covenant`,
//! `released`, …), must be the permitting reasons of `xlic query`'s answer; Rego's
//! `allow` must be true exactly when the decision is not a denial.
//!
//! `xlic-engines DIR` prints the figures and exits 1 on the first difference, with the
//! portfolio's source and the request, or when the cases are not all there (the count of
//! requests must be the summary's).

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, Schema, ValidationMode, Validator,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

/// `xlic query`'s three decisions, as the request files and Rego spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Permit,
    Deny,
    NoLicenseNeeded,
}

impl Decision {
    fn parse(word: &str) -> Result<Self, String> {
        match word {
            "permit" => Ok(Self::Permit),
            "deny" => Ok(Self::Deny),
            "no_license_needed" => Ok(Self::NoLicenseNeeded),
            other => Err(format!("unknown decision `{other}`")),
        }
    }
}

/// Permitting reasons: each clause's label and kind.
type Reasons = BTreeSet<(String, String)>;

struct Engines {
    cedar: PolicySet,
    schema: Schema,
    entities: Entities,
    rego: regorus::Engine,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn engines(case: &Path) -> Result<Engines, String> {
    let cedar_dir = case.join("cedar");
    let cedar = PolicySet::from_str(&read(&cedar_dir.join("policy.cedar"))?)
        .map_err(|e| format!("cedar policies: {e:?}"))?;
    let (schema, _) = Schema::from_cedarschema_str(&read(&cedar_dir.join("policy.cedarschema"))?)
        .map_err(|e| format!("cedar schema: {e:?}"))?;
    let validation = Validator::new(schema.clone()).validate(&cedar, ValidationMode::Strict);
    if !validation.validation_passed() {
        let errors: Vec<String> = validation
            .validation_errors()
            .map(|e| e.to_string())
            .collect();
        return Err(format!("cedar validation: {}", errors.join("; ")));
    }
    let entities = Entities::from_json_str(&read(&cedar_dir.join("entities.json"))?, Some(&schema))
        .map_err(|e| format!("cedar entities: {e:?}"))?;
    let bundle = case.join("bundle");
    let mut rego = regorus::Engine::new();
    rego.add_policy("xlic.rego".into(), read(&bundle.join("xlic.rego"))?)
        .map_err(|e| format!("rego policy: {e}"))?;
    let data = read(&bundle.join("data.json"))?;
    rego.add_data(regorus::Value::from_json_str(&data).map_err(|e| format!("rego data: {e}"))?)
        .map_err(|e| format!("rego data: {e}"))?;
    Ok(Engines {
        cedar,
        schema,
        entities,
        rego,
    })
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let kind = EntityTypeName::from_str(kind).map_err(|e| format!("{e:?}"))?;
    Ok(EntityUid::from_type_name_and_id(kind, EntityId::new(id)))
}

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the request has no `{key}`"))
}

/// A datetime in Cedar's JSON (the `datetime` extension).
fn datetime(day: &str) -> Value {
    json!({ "__extn": { "fn": "datetime", "arg": day } })
}

/// Cedar's decision, and the `@reasons` (with their `@kinds`) of the permits that
/// decided it, for `xlic query`'s request object mapped as docs/cedar.md says.
fn ask_cedar(e: &Engines, q: &Value) -> Result<(Decision, Reasons), String> {
    let action = uid("Action", text(q, "right")?)?;
    let mut context = serde_json::Map::new();
    context.insert(
        "field".into(),
        json!({ "__entity": { "type": "Field", "id": text(q, "field")? } }),
    );
    context.insert("country".into(), json!(text(q, "territory")?));
    context.insert("date".into(), datetime(text(q, "date")?));
    if let Some(p) = q.get("purpose").and_then(Value::as_str) {
        context.insert("purpose".into(), json!(p));
    }
    if let Some(a) = q.get("affiliate").filter(|a| !a.is_null()) {
        let mut record = serde_json::Map::new();
        record.insert("name".into(), json!(text(a, "name")?));
        if let Some(c) = a.get("control").and_then(Value::as_str) {
            record.insert("control".into(), json!(c));
        }
        if let Some(d) = a.get("controlled_since").and_then(Value::as_str) {
            record.insert("controlled_since".into(), datetime(d));
        }
        context.insert("affiliate".into(), Value::Object(record));
    }
    let context = Context::from_json_value(Value::Object(context), Some((&e.schema, &action)))
        .map_err(|err| format!("cedar context: {err:?}"))?;
    let request = Request::new(
        uid("Party", text(q, "licensee")?)?,
        action,
        uid("Asset", text(q, "asset")?)?,
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
        let labels: Vec<&str> = p
            .annotation("reasons")
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let of: Vec<&str> = p
            .annotation("kinds")
            .unwrap_or("")
            .split_whitespace()
            .collect();
        if labels.len() != of.len() {
            return Err(format!(
                "cedar: @reasons and @kinds differ in length in {id}"
            ));
        }
        for (r, k) in labels.into_iter().zip(of) {
            reasons.insert((r.to_string(), k.to_string()));
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

/// Rego's `data.xlic.decision`, checked against `data.xlic.allow`, and on a permit
/// `data.xlic.reasons` with `data.xlic.kinds`.
fn ask_rego(e: &mut Engines, q: &Value) -> Result<(Decision, Reasons), String> {
    e.rego
        .set_input(regorus::Value::from_json_str(&q.to_string()).map_err(|err| err.to_string())?);
    let d = e
        .rego
        .eval_rule("data.xlic.decision".into())
        .map_err(|err| format!("rego: {err}"))?;
    let decision = Decision::parse(d.as_string().map_err(|err| err.to_string())?.as_ref())
        .map_err(|m| format!("rego: {m}"))?;
    let allow = e
        .rego
        .eval_rule("data.xlic.allow".into())
        .map_err(|err| format!("rego: {err}"))?;
    if allow != regorus::Value::from(decision != Decision::Deny) {
        return Err(format!("rego: allow is {allow} for {decision:?}"));
    }
    let mut reasons = BTreeSet::new();
    if decision == Decision::Permit {
        let r = e
            .rego
            .eval_rule("data.xlic.reasons".into())
            .map_err(|err| format!("rego: {err}"))?;
        let k = e
            .rego
            .eval_rule("data.xlic.kinds".into())
            .map_err(|err| format!("rego: {err}"))?;
        let k = k.as_object().map_err(|err| err.to_string())?;
        for x in r.as_set().map_err(|err| err.to_string())? {
            let kind = k
                .get(x)
                .ok_or_else(|| format!("rego: no kind for the reason {x}"))?;
            reasons.insert((
                x.as_string().map_err(|err| err.to_string())?.to_string(),
                kind.as_string().map_err(|err| err.to_string())?.to_string(),
            ));
        }
    }
    Ok((decision, reasons))
}

#[derive(Default)]
struct Counts {
    cases: usize,
    boxes: usize,
    requests: usize,
    decisions: BTreeMap<&'static str, usize>,
}

/// One case: every request asked of both engines and compared with `xlic query`'s
/// answer. `Err` on the first difference, with the request and the source.
fn check_case(case: &Path, counts: &mut Counts) -> Result<(), String> {
    let source = || read(&case.join("portfolio.xlic")).unwrap_or_default();
    let mut e = engines(case).map_err(|m| format!("{m}\n--- source\n{}", source()))?;
    counts.boxes += e.cedar.policies().count();
    for line in read(&case.join("requests.jsonl"))?.lines() {
        let r: Value = serde_json::from_str(line).map_err(|err| format!("{err}: {line}"))?;
        let q = r.get("input").ok_or("a request line without `input`")?;
        let want_decision = Decision::parse(text(&r, "decision")?)?;
        let mut want = Reasons::new();
        if want_decision == Decision::Permit {
            for (label, kind) in r
                .get("kinds")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                want.insert((label.clone(), kind.as_str().unwrap_or("?").to_string()));
            }
        }
        let cedar = ask_cedar(&e, q).map_err(|m| format!("{m}\nrequest {q}"))?;
        let rego = ask_rego(&mut e, q).map_err(|m| format!("{m}\nrequest {q}"))?;
        let cedar_reasons = if cedar.0 == Decision::Permit {
            cedar.1.clone()
        } else {
            Reasons::new()
        };
        if cedar.0 != want_decision
            || rego.0 != want_decision
            || cedar_reasons != want
            || rego.1 != want
        {
            return Err(format!(
                "request {q}\n  xlic query: {want_decision:?} {want:?}\n  cedar: {:?} {cedar_reasons:?}\n  rego: {:?} {:?}\n--- source ({})\n{}",
                cedar.0,
                rego.0,
                rego.1,
                case.join("portfolio.xlic").display(),
                source()
            ));
        }
        counts.requests += 1;
        let word = match want_decision {
            Decision::Permit => "permit",
            Decision::Deny => "deny",
            Decision::NoLicenseNeeded => "no_license_needed",
        };
        *counts.decisions.entry(word).or_default() += 1;
    }
    counts.cases += 1;
    Ok(())
}

fn run(dir: &Path) -> Result<Counts, String> {
    let summary: Value = serde_json::from_str(&read(&dir.join("summary.json"))?)
        .map_err(|e| format!("summary.json: {e}"))?;
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|d| d.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("case-"))
        })
        .collect();
    cases.sort();
    let mut counts = Counts::default();
    for case in &cases {
        check_case(case, &mut counts)?;
    }
    let expected = |key: &str| summary.get(key).and_then(Value::as_u64).unwrap_or(0) as usize;
    if counts.cases != expected("portfolios") || counts.requests != expected("requests") {
        return Err(format!(
            "{} cases and {} requests in {}, but xlic wrote {} and {}",
            counts.cases,
            counts.requests,
            dir.display(),
            expected("portfolios"),
            expected("requests")
        ));
    }
    if counts.decisions.len() != 3 {
        return Err(format!(
            "the requests reached only {:?}",
            counts.decisions.keys().collect::<Vec<_>>()
        ));
    }
    Ok(counts)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: xlic-engines DIR (the cases the example engine-cases wrote)");
        return ExitCode::from(2);
    };
    match run(Path::new(&dir)) {
        Ok(c) => {
            println!(
                "Cedar and regorus: {} portfolios, {} Cedar policies, {} requests ({} permits, {} no license needed, {} denials): both agree with xlic query on every one",
                c.cases,
                c.boxes,
                c.requests,
                c.decisions.get("permit").unwrap_or(&0),
                c.decisions.get("no_license_needed").unwrap_or(&0),
                c.decisions.get("deny").unwrap_or(&0),
            );
            ExitCode::SUCCESS
        }
        Err(m) => {
            eprintln!("error: the engines disagree with `xlic query`\n{m}");
            ExitCode::FAILURE
        }
    }
}
