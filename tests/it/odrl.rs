//! The ODRL export (`xlic build --emit odrl`): a snapshot of a small agreement, and its
//! structure on that agreement and on every example. `scripts/check-odrl.py` checks the
//! rest (JSON-LD with the W3C context, the SHACL shapes, permit/deny against `xlic
//! query`).
//!
//! Checked by hand in the snapshot (`tests/it/snapshots/it__odrl__small.snap`), against
//! docs/odrl.md: one Agreement for `lens_to_kestrel`, assigner `orbis`, assignee the
//! collection of `kestrel` and `kestrel_de` (`and affiliates`), target of the
//! prohibitions the collection of the two assets; actions `xlic:make`, `xlic:use`,
//! `xlic:sell` and ODRL's `reproduce`; `orbis_lens` permitted in US from 2026-01-01
//! until the US patent expires (2030-06-15) and in AT, DE for the whole term (until
//! 2032-01-01, `for 6 years`; the EP patent lasts to 2033), not in FR (excepted) and
//! not in CH; the know-how `orbis_recipes` in AT, DE, US for the term; sell-off
//! permissions (`xlic:sell` only) from 2032-01-01 to 2032-03-31 (90 days; 2032 is a
//! leap year) for AT, DE under the patent and AT, DE, US for the know-how, none for
//! the US patent (expired by then); purpose `imaging` and `imaging.medical`, with
//! `imaging.metrology` and FR in prohibitions; the royalty a compensate duty of 3.5%
//! of net sales, capped at 250000 EUR a year, paid to `orbis`; `ensureExclusivity`
//! owed by `orbis`; a `grantUse` permission to `kestrel_de` only; `orbis_secret` a
//! reservation prohibiting every action to everyone for the agreement's term
//! (2026-01-01..2034-01-01) worldwide; `research` the rights `orbis` retains, which
//! the Agreement is `xlic:subjectTo`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use xlic::diagnostics::render;

const SMALL: &str = r#"agreement "Orbis–Kestrel Lens License" {
  effective 2026-01-01
  term 8 years
  kind license
}

party orbis "Orbis Optics, Inc."
party kestrel "Kestrel Imaging Ltd." {
  affiliate kestrel_de "Kestrel Imaging GmbH"
}

fields {
  imaging "Imaging" {
    medical "Medical Imaging"
    metrology "Metrology"
  }
}

asset orbis_lens: patent family of orbis {
  patent "US 11,500,001" expires 2030-06-15
  patent "EP 3 900 002" expires 2033-03-01 in [DE, AT, FR]
}
asset orbis_recipes: know-how of orbis
asset orbis_secret: trade secret of orbis

grant lens_to_kestrel: orbis -> kestrel and affiliates {
  assets orbis_lens, orbis_recipes
  rights make, use, sell, reproduce
  field imaging except imaging.metrology
  territory [AT, DE, FR, US] except [FR]
  term for 6 years
  exclusive subject to research
  sublicense affiliates
  royalty 3.5% of net sales, cap 250_000 EUR per year
}

reserve orbis_secret
reserve research: orbis_recipes for orbis {
  rights make, use
}

sunset lens_to_kestrel {
  wind down 90 days
}
"#;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn export_text(name: &str, text: &str) -> String {
    let c = xlic::compile_text(name, text);
    assert!(
        !c.has_errors(),
        "{name} has errors:\n{}",
        render::render_human(&c.diagnostics, &c.sources, false)
    );
    xlic::emit::odrl::odrl(&c.model, &c.sources)
}

fn export_file(rel: &str) -> (Value, xlic::emit::json::Policy) {
    let c = xlic::compile(&[xlic::Input::Path(rel.into())], &xlic::Options::default()).unwrap();
    assert!(!c.has_errors(), "{rel} has errors");
    let text = xlic::emit::odrl::odrl(&c.model, &c.sources);
    let policy = xlic::emit::json::policy(&c.model, &c.sources);
    (serde_json::from_str(&text).unwrap(), policy)
}

fn graph(doc: &Value) -> &Vec<Value> {
    doc["@graph"].as_array().expect("an @graph")
}

fn nodes_of_type<'a>(doc: &'a Value, ty: &str) -> Vec<&'a Value> {
    graph(doc)
        .iter()
        .filter(|n| match &n["@type"] {
            Value::String(s) => s == ty,
            Value::Array(a) => a.iter().any(|t| t == ty),
            _ => false,
        })
        .collect()
}

fn list(v: &Value) -> Vec<&Value> {
    v.as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

fn strings(v: &Value) -> Vec<String> {
    list(v)
        .iter()
        .map(|x| match x {
            Value::String(s) => s.clone(),
            other => other["@id"]
                .as_str()
                .or_else(|| other["@value"].as_str())
                .unwrap()
                .to_string(),
        })
        .collect()
}

/// The constraint of a rule with this left operand and operator.
fn constraint<'a>(rule: &'a Value, left: &str, op: &str) -> Option<&'a Value> {
    list(&rule["constraint"])
        .into_iter()
        .find(|c| c["leftOperand"] == left && c["operator"] == op)
}

fn small() -> Value {
    serde_json::from_str(&export_text("small.xlic", SMALL)).unwrap()
}

#[test]
fn snapshot_of_a_small_agreement() {
    insta::assert_snapshot!("small", export_text("small.xlic", SMALL));
}

#[test]
fn the_export_names_the_odrl_context_and_the_profile() {
    let doc = small();
    assert_eq!(doc["@context"][0], "http://www.w3.org/ns/odrl.jsonld");
    assert_eq!(
        doc["@context"][1]["xlic"],
        "https://w3id.org/xlic/odrl/profile#"
    );
    for p in nodes_of_type(&doc, "Agreement") {
        assert_eq!(p["profile"], "https://w3id.org/xlic/odrl/profile");
        assert_eq!(p["conflict"], "prohibit");
    }
}

#[test]
fn one_agreement_per_grant_on_every_example() {
    for rel in [
        "examples/acme_globex.xlic",
        "examples/bilateral_license.xlic",
        "examples/patent_pool.xlic",
        "examples/semiconductor_cross_license.xlic",
    ] {
        let (doc, policy) = export_file(rel);
        let agreements = nodes_of_type(&doc, "Agreement");
        let grants: Vec<(&str, &str)> = policy
            .agreements
            .iter()
            .flat_map(|a| a.grants.iter().map(move |g| (a.id.as_str(), g.id.as_str())))
            .collect();
        assert_eq!(agreements.len(), grants.len(), "{rel}");
        for ((agreement, grant), node) in grants.iter().zip(&agreements) {
            assert_eq!(node["xlic:clause"], *grant, "{rel}");
            assert_eq!(
                node["uid"],
                format!("urn:xlic:policy:{agreement}:grant:{grant}"),
                "{rel}"
            );
            assert!(node["assigner"].is_string(), "{rel}: one assigner");
            assert!(node["assignee"].is_string(), "{rel}: one assignee");
            let permissions = list(&node["permission"]);
            assert!(!permissions.is_empty(), "{rel}: {grant} has permissions");
            for p in permissions {
                assert!(p["target"].is_string(), "{rel}: {grant}: a target");
                assert!(!list(&p["action"]).is_empty(), "{rel}: {grant}: actions");
                // Every permission is constrained in the three dimensions.
                assert!(
                    constraint(p, "xlic:fieldOfUse", "isAnyOf").is_some(),
                    "{rel}"
                );
                assert!(constraint(p, "spatial", "isAnyOf").is_some(), "{rel}");
                assert!(constraint(p, "dateTime", "gteq").is_some(), "{rel}");
                for c in list(&p["constraint"]) {
                    let op = c["operator"].as_str().unwrap();
                    assert!(
                        ["isAnyOf", "isNoneOf", "gteq", "lt", "lteq", "eq"].contains(&op),
                        "{rel}: operator {op}"
                    );
                    if c["leftOperand"] == "dateTime" {
                        assert_eq!(c["rightOperand"]["@type"], "xsd:date", "{rel}");
                    }
                }
            }
        }
    }
}

#[test]
fn permissions_follow_the_effective_scope() {
    let doc = small();
    let agreement = nodes_of_type(&doc, "Agreement")[0];
    let lens: Vec<&Value> = list(&agreement["permission"])
        .into_iter()
        .filter(|p| p["target"] == "urn:xlic:asset:orbis_lens")
        .collect();
    let window = |p: &Value| {
        (
            strings(&constraint(p, "spatial", "isAnyOf").unwrap()["rightOperand"]),
            constraint(p, "dateTime", "gteq").unwrap()["rightOperand"]["@value"]
                .as_str()
                .unwrap()
                .to_string(),
            constraint(p, "dateTime", "lt").unwrap()["rightOperand"]["@value"]
                .as_str()
                .unwrap()
                .to_string(),
            p["xlic:sellOff"] == true,
        )
    };
    let windows: Vec<_> = lens.iter().map(|p| window(p)).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        windows,
        vec![
            // The US patent expires before the term ends.
            (s(&["US"]), "2026-01-01".into(), "2030-06-15".into(), false),
            (
                s(&["AT", "DE"]),
                "2026-01-01".into(),
                "2032-01-01".into(),
                false
            ),
            // Sell-off after the term, where a patent is still in force.
            (
                s(&["AT", "DE"]),
                "2032-01-01".into(),
                "2032-03-31".into(),
                true
            ),
        ]
    );
    let sell_off = lens[2];
    assert_eq!(strings(&sell_off["action"]), vec!["xlic:sell"]);
    assert_eq!(
        strings(&lens[0]["action"]),
        vec!["xlic:make", "xlic:use", "xlic:sell", "reproduce"]
    );
}

#[test]
fn an_except_becomes_a_prohibition() {
    let doc = small();
    let agreement = nodes_of_type(&doc, "Agreement")[0];
    let prohibitions = list(&agreement["prohibition"]);
    assert_eq!(prohibitions.len(), 2);
    let collection = "urn:xlic:policy:small:grant:lens_to_kestrel:assets";
    let field = constraint(prohibitions[0], "xlic:fieldOfUse", "isAnyOf").unwrap();
    assert_eq!(
        strings(&field["rightOperand"]),
        vec!["urn:xlic:field:imaging.metrology"]
    );
    let territory = constraint(prohibitions[1], "spatial", "isAnyOf").unwrap();
    assert_eq!(strings(&territory["rightOperand"]), vec!["FR"]);
    // outputs: a country is a literal typed by the profile's datatype.
    assert_eq!(territory["rightOperand"][0]["@type"], "xlic:countryCode");
    for p in &prohibitions {
        assert_eq!(p["target"], collection);
        assert_eq!(
            strings(&p["action"]),
            vec!["xlic:make", "xlic:use", "xlic:sell", "reproduce"]
        );
    }
    // The permissions never list what the prohibitions forbid.
    for p in list(&agreement["permission"]) {
        let fields = strings(&constraint(p, "xlic:fieldOfUse", "isAnyOf").unwrap()["rightOperand"]);
        assert!(!fields.contains(&"urn:xlic:field:imaging.metrology".to_string()));
        let codes = strings(&constraint(p, "spatial", "isAnyOf").unwrap()["rightOperand"]);
        assert!(!codes.contains(&"FR".to_string()), "{codes:?}");
    }
    // The collection and its members are in the graph.
    let assets = nodes_of_type(&doc, "Asset");
    for name in ["orbis_lens", "orbis_recipes"] {
        let a = assets
            .iter()
            .find(|a| a["xlic:id"] == name)
            .expect("the asset");
        assert!(strings(&a["partOf"]).contains(&collection.to_string()));
    }
}

#[test]
fn a_royalty_becomes_a_compensate_duty() {
    let doc = small();
    let agreement = nodes_of_type(&doc, "Agreement")[0];
    // outputs: the royalty (its annual cap with it) is stated once, on the first
    // permission, and every other permission refers to it by its uid.
    let uid = "urn:xlic:policy:small:grant:lens_to_kestrel:payment:1";
    let mut stated = 0;
    for p in list(&agreement["permission"]) {
        if p["action"][0] == "grantUse" {
            assert!(p["duty"].is_null(), "sublicensing owes no royalty itself");
            continue;
        }
        let duties = list(&p["duty"]);
        assert_eq!(duties.len(), 1);
        let d = duties[0];
        if d.as_object().is_some_and(|o| o.len() == 1) {
            assert_eq!(d["@id"], uid, "a reference to the royalty");
            continue;
        }
        stated += 1;
        assert_eq!(d["uid"], uid);
        assert_eq!(d["compensatedParty"], "urn:xlic:party:orbis");
        assert_eq!(d["xlic:consideration"]["@id"], "xlic:percentRoyalty");
        let action = &d["action"][0];
        assert_eq!(action["rdf:value"]["@id"], "odrl:compensate");
        let refinement = list(&action["refinement"]);
        let find = |left: &str| {
            refinement
                .iter()
                .find(|r| r["leftOperand"] == left)
                .copied()
                .unwrap()
        };
        let rate = find("xlic:royaltyRate");
        assert_eq!(rate["operator"], "eq");
        assert_eq!(rate["rightOperand"]["@value"], "3.5");
        assert_eq!(rate["rightOperand"]["@type"], "xsd:decimal");
        assert_eq!(
            find("xlic:royaltyBase")["rightOperand"]["@id"],
            "xlic:netSales"
        );
        let cap = find("xlic:annualPayAmount");
        assert_eq!(cap["operator"], "lteq");
        assert_eq!(cap["rightOperand"]["@value"], "250000");
        assert_eq!(
            cap["unit"]["@id"],
            "http://publications.europa.eu/resource/authority/currency/EUR"
        );
    }
    assert_eq!(stated, 1, "the royalty and its cap are stated once");
}

#[test]
fn payments_of_every_kind_on_the_examples() {
    // bilateral_license: a lump sum with its due date, two milestones with their
    // events, and a tiered royalty with three bands and a floor.
    let (doc, _) = export_file("examples/bilateral_license.xlic");
    let ev = nodes_of_type(&doc, "Agreement")
        .into_iter()
        .find(|a| a["xlic:clause"] == "ev_grid_license")
        .unwrap();
    let duties = list(&ev["permission"][0]["duty"]);
    let kinds: Vec<&str> = duties
        .iter()
        .map(|d| d["xlic:consideration"]["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "xlic:lumpSum",
            "xlic:milestone",
            "xlic:milestone",
            "xlic:tieredRoyalty"
        ]
    );
    let due = constraint(duties[0], "dateTime", "lteq").unwrap();
    assert_eq!(due["rightOperand"]["@value"], "2026-03-31");
    let pay = &duties[0]["action"][0]["refinement"][0];
    assert_eq!(pay["leftOperand"], "payAmount");
    assert_eq!(pay["rightOperand"]["@value"], "2500000");
    let event = constraint(duties[1], "event", "eq").unwrap();
    assert_eq!(
        event["rightOperand"],
        "first commercial sale of a Licensed Product"
    );
    let tiers = list(&duties[3]["xlic:tier"]);
    assert_eq!(tiers.len(), 3);
    assert_eq!(tiers[2]["xlic:tierRate"]["@value"], "1.25");
    assert!(tiers[2]["xlic:tierTo"].is_null(), "the top band is open");
    let floor = list(&duties[3]["action"][0]["refinement"])
        .into_iter()
        .find(|r| r["leftOperand"] == "xlic:annualPayAmount")
        .unwrap();
    assert_eq!(floor["operator"], "gteq");
    assert_eq!(floor["rightOperand"]["@value"], "400000");
    // with consent: sublicensing needs the licensor's consent.
    let grant_use = list(&ev["permission"])
        .into_iter()
        .find(|p| p["action"][0] == "grantUse")
        .unwrap();
    assert_eq!(grant_use["duty"][0]["action"][0], "obtainConsent");
    assert_eq!(
        grant_use["duty"][0]["consentingParty"],
        "urn:xlic:party:helion"
    );
}

#[test]
fn exclusivity_sublicensing_and_reservations() {
    let doc = small();
    let agreement = nodes_of_type(&doc, "Agreement")[0];
    assert_eq!(agreement["xlic:exclusivity"]["@id"], "xlic:exclusive");
    assert_eq!(agreement["obligation"][0]["action"][0], "ensureExclusivity");
    assert_eq!(
        agreement["obligation"][0]["assignee"],
        "urn:xlic:party:orbis"
    );
    assert_eq!(
        agreement["xlic:subjectTo"][0]["@id"],
        "urn:xlic:policy:small:reservation:research"
    );
    assert_eq!(
        agreement["assignee"],
        "urn:xlic:policy:small:grant:lens_to_kestrel:licensees"
    );
    let grant_use = list(&agreement["permission"])
        .into_iter()
        .find(|p| p["action"][0] == "grantUse")
        .unwrap();
    let recipient = constraint(grant_use, "recipient", "isAnyOf").unwrap();
    assert_eq!(
        strings(&recipient["rightOperand"]),
        vec!["urn:xlic:party:kestrel_de"]
    );

    let reserved = nodes_of_type(&doc, "xlic:Reservation");
    assert_eq!(reserved.len(), 1);
    assert!(reserved[0]["assignee"].is_null(), "binds everyone");
    assert!(reserved[0]["permission"].is_null());
    let prohibition = &reserved[0]["prohibition"][0];
    assert_eq!(prohibition["target"], "urn:xlic:asset:orbis_secret");
    assert_eq!(list(&prohibition["action"]).len(), 10, "every right");
    let retained = nodes_of_type(&doc, "xlic:RetainedRights");
    assert_eq!(retained.len(), 1);
    assert_eq!(
        retained[0]["permission"][0]["assignee"],
        "urn:xlic:party:orbis"
    );
    // Non-exclusive grants owe no exclusivity.
    let (pool, _) = export_file("examples/patent_pool.xlic");
    for a in nodes_of_type(&pool, "Agreement") {
        assert_eq!(a["xlic:exclusivity"]["@id"], "xlic:nonExclusive");
        assert!(a["obligation"].is_null());
        assert_eq!(a["xlic:sublicense"]["@id"], "xlic:noSublicense");
    }
}

#[test]
fn the_cli_writes_the_export_deterministically() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
            .current_dir(root())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        out.stdout
    };
    let args = [
        "build",
        "--emit",
        "odrl",
        "--stdout",
        "examples/acme_globex.xlic",
    ];
    let first = run(&args);
    assert_eq!(first, run(&args), "byte-identical across runs");
    let text = String::from_utf8(first).unwrap();
    assert!(text.ends_with("}\n"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let written = run(&[
        "build",
        "--emit",
        "odrl",
        "-o",
        out,
        "examples/acme_globex.xlic",
    ]);
    assert!(written.is_empty(), "nothing on stdout with -o");
    let file = std::fs::read_to_string(dir.path().join("policy.odrl.jsonld")).unwrap();
    assert_eq!(file, text);
}

#[test]
fn the_cli_refuses_to_export_sources_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.xlic");
    std::fs::write(&bad, "grant g: nobody -> noone {}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["build", "--emit", "odrl", "--stdout"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_grant_that_conveys_nothing_has_no_empty_agreement() {
    // The only patent expires before the grant starts in DE, and is not in force there
    // at all: W0409. An ODRL policy needs at least one rule, so the grant is left out.
    let text = "agreement \"A\" { effective 2026-01-01 term 10 years kind license }\n\
        party acme \"Acme\"\nparty globex \"Globex\"\nfields { a }\n\
        asset fam: patent family of acme { patent \"US 1234\" expires 2030-01-01 }\n\
        asset kh: know-how of acme\n\
        grant g: acme -> globex { assets fam field a territory [DE] non-exclusive royalty-free }\n\
        grant h: acme -> globex { assets kh field a territory [DE] non-exclusive royalty-free }\n";
    let doc: Value = serde_json::from_str(&export_text("nothing.xlic", text)).unwrap();
    let agreements = nodes_of_type(&doc, "Agreement");
    let uids: Vec<&str> = agreements
        .iter()
        .filter_map(|a| a["uid"].as_str())
        .collect();
    assert_eq!(uids.len(), 1, "{uids:?}");
    assert!(uids[0].ends_with(":grant:h"), "{uids:?}");
    for a in agreements {
        assert!(!list(&a["permission"]).is_empty());
    }
}

/// terms (issue 15, round 6): a running royalty's period goes with its duty: `from` and
/// `until` as the duty's `dateTime` constraints (as `xlic query` owes it), `until
/// expiry` and `from expiry` as `xlic:payableUntilExpiry` / `xlic:payableFromExpiry`.
#[test]
fn a_royalty_step_carries_its_period() {
    let text = r#"
agreement "Steps" { effective 2026-01-01  term 15 years  kind license }
party ferro "Ferro Materials AG"
party nova "Nova Cells Inc."
fields { batteries }
asset ferro_patents: patent family of ferro {
  patent "US 11,600,001" expires 2032-01-01
}
asset ferro_process: know-how of ferro
audit ferro of nova { every 1 year, notice 30 days }
confidentiality { covers know-how  survives 5 years }
grant cathode: ferro -> nova {
  assets ferro_patents, ferro_process  field batteries  territory [US]
  non-exclusive
  royalty 4% of net sales, until expiry
  royalty 2% of net sales, from expiry, until 2039-01-01
  royalty 1 USD per unit, from 2027-01-01, until 2029-01-01
}
"#;
    let doc: Value = serde_json::from_str(&export_text("steps.xlic", text)).unwrap();
    let agreement = nodes_of_type(&doc, "Agreement")[0];
    let full: Vec<&Value> = list(&agreement["permission"])
        .into_iter()
        .flat_map(|p| list(&p["duty"]))
        .filter(|d| d.get("uid").is_some())
        .collect();
    assert_eq!(full.len(), 3, "each royalty line stated once in full");
    let by_uid = |n: usize| {
        let uid = format!("urn:xlic:policy:steps:grant:cathode:payment:{n}");
        *full.iter().find(|d| d["uid"] == uid.as_str()).unwrap()
    };
    let patent_step = by_uid(1);
    assert_eq!(patent_step["xlic:payableUntilExpiry"], true);
    assert!(patent_step.get("xlic:payableFromExpiry").is_none());
    assert!(patent_step.get("constraint").is_none());
    let know_how = by_uid(2);
    assert_eq!(know_how["xlic:payableFromExpiry"], true);
    assert!(know_how.get("xlic:payableUntilExpiry").is_none());
    let until = constraint(know_how, "dateTime", "lt").unwrap();
    assert_eq!(until["rightOperand"]["@value"], "2039-01-01");
    assert!(constraint(know_how, "dateTime", "gteq").is_none());
    let dated = by_uid(3);
    assert_eq!(
        constraint(dated, "dateTime", "gteq").unwrap()["rightOperand"]["@value"],
        "2027-01-01"
    );
    assert_eq!(
        constraint(dated, "dateTime", "lt").unwrap()["rightOperand"]["@value"],
        "2029-01-01"
    );
    assert!(dated.get("xlic:payableFromExpiry").is_none());
}
