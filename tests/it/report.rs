//! `xlic report`: the portfolio report across agreements, on the three-file portfolio
//! of `tests/report/` (a registry, Acme–Globex with an exclusive grant and a firmware
//! trial that expires, Acme–Initech with a non-exclusive grant that meets Globex's
//! exclusive one in France).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use xlic::date::Date;
use xlic::report::{self, ExpiryKind, Level, PortfolioReport};
use xlic::Input;

const PORTFOLIO: &str = "tests/report";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The report of the test portfolio as of a date, through the library (the path is
/// relative to the package, where cargo runs tests).
fn build(as_of: &str) -> PortfolioReport {
    let c = xlic::compile(&[Input::Path(PORTFOLIO.into())], &xlic::Options::default()).unwrap();
    report_of(&c, as_of)
}

/// The report of a compilation as of a date.
fn report_of(c: &xlic::Compilation, as_of: &str) -> PortfolioReport {
    report::build(
        &c.model,
        &c.ledger,
        &c.sources,
        &c.diagnostics,
        report::Options { as_of: d(as_of) },
    )
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_exit(o: &Output, expected: i32) {
    assert_eq!(
        o.status.code(),
        Some(expected),
        "wrong exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
        stdout(o),
        stderr(o)
    );
}

// ------------------------------------------------------------------ holdings

#[test]
fn holdings_are_grouped_by_licensor_and_asset() {
    let r = build("2027-03-01");
    let licensors: Vec<&str> = r.licensors.iter().map(|l| l.party.as_str()).collect();
    assert_eq!(licensors, ["acme"]);
    let acme = &r.licensors[0];
    let assets: Vec<&str> = acme.assets.iter().map(|a| a.asset.as_str()).collect();
    assert_eq!(assets, ["acme_firmware", "acme_motion"]);

    let motion = &acme.assets[1];
    let rows: Vec<(&str, &str, &str)> = motion
        .rows
        .iter()
        .map(|h| {
            (
                h.grant.as_str(),
                h.licensees.as_str(),
                h.exclusivity.keyword(),
            )
        })
        .collect();
    // By start date: Globex's license from 2026-01-01, Initech's from 2026-06-01.
    assert_eq!(
        rows,
        [
            ("acme_to_globex", "Globex", "exclusive"),
            ("acme_to_initech", "Initech", "non-exclusive"),
        ]
    );
    let globex = &motion.rows[0];
    assert_eq!(globex.territory, "in France and Germany");
    assert_eq!(globex.field, "in the Field of Consumer Robotics");
    // No `rights` line under a patent family: every right a patent confers.
    assert_eq!(globex.rights, "all patent rights");
    assert_eq!(
        globex.term,
        "commencing on 1 January 2026 and ending on 31 December 2030"
    );
    assert_eq!(globex.status, report::Status::InForce);
    assert_eq!(globex.location, "tests/report/globex.xlic:11");
    assert_eq!(motion.rows[1].territory, "in France and the United States");
}

#[test]
fn the_asset_life_lists_each_patent_and_its_last_day() {
    let r = build("2027-03-01");
    let motion = &r.licensors[0].assets[1];
    let life: Vec<(&str, Option<Date>, bool)> = motion
        .life
        .patents
        .iter()
        .map(|p| (p.number.as_str(), p.last_day, p.in_force))
        .collect();
    assert_eq!(
        life,
        [
            ("US 11,234,567", Some(d("2038-04-30")), true),
            ("EP 3 456 789", Some(d("2027-08-31")), true),
        ]
    );
    assert!(
        motion.life.summary.contains("30 April 2038"),
        "{}",
        motion.life.summary
    );
    // After the EP patent lapses, it reads as expired.
    let later = build("2028-01-01");
    assert!(!later.licensors[0].assets[1].life.patents[1].in_force);
}

#[test]
fn status_follows_the_as_of_date() {
    let before = build("2025-06-01");
    assert!(before.licensors[0]
        .assets
        .iter()
        .flat_map(|a| &a.rows)
        .all(|h| h.status == report::Status::NotYet));
    let after = build("2032-01-01");
    assert!(after.licensors[0]
        .assets
        .iter()
        .flat_map(|a| &a.rows)
        .all(|h| h.status == report::Status::Expired));
}

/// The row reads the ledger: once the only patent of the asset in force in its
/// territory has expired, the grant's term still runs but licenses nothing there.
#[test]
fn a_row_whose_patents_have_expired_licenses_nothing() {
    let r = build("2028-01-01");
    let motion = &r.licensors[0].assets[1];
    let globex = &motion.rows[0];
    assert_eq!(globex.grant, "acme_to_globex");
    assert_eq!(globex.status, report::Status::NothingInForce);
    // Initech's license still reaches the United States patent.
    assert_eq!(motion.rows[1].status, report::Status::InForce);
}

/// After the trial's term, its 90-day wind-down lets Globex sell off: the ledger's
/// sell-off piece is in force.
#[test]
fn a_row_in_its_wind_down_is_winding_down() {
    let r = build("2027-08-01");
    let firmware = &r.licensors[0].assets[0];
    assert_eq!(firmware.rows[0].grant, "firmware_trial");
    assert_eq!(firmware.rows[0].status, report::Status::WindingDown);
    let r = build("2027-10-01");
    assert_eq!(
        r.licensors[0].assets[0].rows[0].status,
        report::Status::Expired
    );
}

/// A report of one inline portfolio, through the library.
fn build_text(src: &str, as_of: &str) -> PortfolioReport {
    report_of(&xlic::compile_text("p.xlic", src), as_of)
}

/// The holdings of an asset of the first licensor, by name.
fn holdings_of<'r>(r: &'r PortfolioReport, asset: &str) -> &'r report::AssetHoldings {
    r.licensors[0]
        .assets
        .iter()
        .find(|a| a.asset == asset)
        .unwrap()
}

const LEDGER_PORTFOLIO: &str = r#"
agreement "L" { effective 2026-01-01 term 10 years }
party acme "Acme"
party globex "Globex"
fields { robotics }
asset fam: patent family of acme {
  patent "US 1" filed 2022-01-01 expires 2030-01-01
  patent "DE 1" filed 2022-01-01 expires 2032-01-01 in [DE]
}
asset later: patents of acme filed 2021-01-01 until 2026-01-01
grant g: acme -> globex {
  assets fam
  field robotics
  territory [US, DE, JP]
  term until expiry
  non-exclusive
}
"#;

/// Where and until when a row licenses something is the ledger's: Japan, where no
/// patent of the asset is in force, is named as left out, and `until expiry` ends
/// country by country.
#[test]
fn a_row_states_its_effective_territory_and_its_ends_per_country() {
    let r = build_text(LEDGER_PORTFOLIO, "2027-01-01");
    let row = &holdings_of(&r, "fam").rows[0];
    assert!(row.territory.contains("not in Japan"), "{}", row.territory);
    assert!(
        row.term.contains("31 December 2029 in the United States")
            && row.term.contains("31 December 2031 in Germany"),
        "{}",
        row.term
    );
    // The grant ends in the United States first: an event of its own, in the year.
    let r = build_text(LEDGER_PORTFOLIO, "2029-06-01");
    let ends: Vec<&str> = r
        .expiring
        .iter()
        .filter(|e| e.kind == ExpiryKind::GrantEnds)
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(ends.len(), 1, "{ends:?}");
    assert!(ends[0].contains("in the United States"), "{}", ends[0]);
}

/// A capture-period asset holds the patents of its owner filed in the period, declared
/// anywhere: the ledger's subjects, which the asset's life lists; the patent expires
/// once in the expiring list, naming both assets.
#[test]
fn an_assets_life_lists_the_patents_its_capture_period_takes_in() {
    let r = build_text(LEDGER_PORTFOLIO, "2029-06-01");
    let later = holdings_of(&r, "later");
    let numbers: Vec<&str> = later
        .life
        .patents
        .iter()
        .map(|p| p.number.as_str())
        .collect();
    assert_eq!(numbers, ["US 1", "DE 1"]);
    assert!(
        later.life.summary.contains("no known end"),
        "{}",
        later.life.summary
    );
    let us: Vec<&str> = r
        .expiring
        .iter()
        .filter(|e| e.kind == ExpiryKind::PatentExpires)
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(
        us,
        ["Patent of `fam` and `later` in the United States; last day in force 31 December 2029."]
    );
}

// ------------------------------------------------------------------ coverage

/// The cell of one asset's matrix in words, by field row and column header.
fn cell(r: &PortfolioReport, asset: &str, field: &str, column: &str) -> String {
    let c = r.coverage.iter().find(|c| c.asset == asset).unwrap();
    let col = c
        .columns
        .iter()
        .position(|x| x.label == column)
        .unwrap_or_else(|| panic!("no column {column:?} in {:?}", c.columns));
    let row = c.rows.iter().find(|x| x.field == field).unwrap();
    row.cells[col].text()
}

#[test]
fn coverage_matrix_of_the_patent_family() {
    let r = build("2027-03-01");
    let c = r
        .coverage
        .iter()
        .find(|c| c.asset == "acme_motion")
        .unwrap();
    let columns: Vec<&str> = c.columns.iter().map(|x| x.label.as_str()).collect();
    // Germany and France differ below Robotics (Initech's license reaches France);
    // GB has a patent but no license; the other countries have no patent in force.
    assert_eq!(columns, ["DE", "FR", "GB", "US", "Other countries"]);
    // Automotive: no clause of the asset reaches it, so it is left out. Robotics is
    // partial, so its sub-fields that a clause reaches have rows.
    let fields: Vec<(&str, usize)> = c.rows.iter().map(|x| (x.field.as_str(), x.depth)).collect();
    assert_eq!(
        fields,
        [
            ("Robotics", 0),
            ("Industrial Robotics", 1),
            ("Consumer Robotics", 1)
        ]
    );
    assert_eq!(c.left_out, ["Automotive"]);
    // Globex's exclusive license covers Consumer Robotics only: part of the row. In
    // France Initech's license of Robotics overlaps it: the checker's conflict.
    for (field, column, text) in [
        ("Robotics", "DE", "exclusive (part): Globex"),
        ("Consumer Robotics", "DE", "exclusive: Globex"),
        (
            "Consumer Robotics",
            "FR",
            "conflict (exclusive): Globex, Initech",
        ),
        ("Industrial Robotics", "FR", "non-exclusive: Initech"),
        ("Robotics", "US", "non-exclusive: Initech"),
        ("Robotics", "GB", "not licensed"),
        ("Robotics", "Other countries", "no patent in force"),
    ] {
        assert_eq!(
            cell(&r, "acme_motion", field, column),
            text,
            "{field} in {column}"
        );
    }
    let levels: Vec<Level> = c.rows[0].cells.iter().map(|x| x.level).collect();
    assert_eq!(
        levels,
        [
            Level::Exclusive,
            Level::Exclusive,
            Level::NotLicensed,
            Level::NonExclusive,
            Level::NoPatent
        ]
    );
    assert_eq!(c.grants_counted, 2);
    let rest = c.columns.last().unwrap();
    assert!(
        rest.words.starts_with("every country except"),
        "{}",
        rest.words
    );
}

#[test]
fn coverage_is_of_the_as_of_date() {
    // After the EP patent lapses, Germany and France no longer have the asset.
    let r = build("2028-01-01");
    assert_eq!(
        cell(&r, "acme_motion", "Robotics", "US"),
        "non-exclusive: Initech"
    );
    let c = r
        .coverage
        .iter()
        .find(|c| c.asset == "acme_motion")
        .unwrap();
    assert!(c.columns.iter().all(|x| x.label != "DE, FR"));
    // Before any grant starts, nothing is licensed.
    let early = build("2025-06-01");
    assert_eq!(
        cell(&early, "acme_firmware", "Robotics", "Worldwide"),
        "not licensed"
    );
    assert_eq!(
        cell(&r, "acme_firmware", "Robotics", "Worldwide"),
        "not licensed"
    );
    let trial = build("2027-03-01");
    assert_eq!(
        cell(&trial, "acme_firmware", "Robotics", "Worldwide"),
        "non-exclusive: Globex"
    );
}

// ------------------------------------------------------------------ expiring

#[test]
fn expiring_lists_the_next_twelve_months() {
    let r = build("2027-03-01");
    assert_eq!(r.as_of, d("2027-03-01"));
    assert_eq!(r.horizon, d("2028-03-01"));
    let events: Vec<(String, ExpiryKind, &str)> = r
        .expiring
        .iter()
        .map(|e| (e.date.to_string(), e.kind, e.subject.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            // 60 days before the trial's term ends on 2027-07-01.
            (
                "2027-05-02".to_string(),
                ExpiryKind::NoticeDeadline,
                "firmware_trial"
            ),
            (
                "2027-06-30".to_string(),
                ExpiryKind::GrantEnds,
                "firmware_trial"
            ),
            (
                "2027-08-31".to_string(),
                ExpiryKind::PatentExpires,
                "EP 3 456 789"
            ),
            (
                "2027-09-28".to_string(),
                ExpiryKind::WindDownEnds,
                "firmware_trial"
            ),
        ]
    );
    let ends = &r.expiring[1];
    assert_eq!(ends.agreement.as_deref(), Some("Acme–Globex License"));
    assert!(
        ends.detail.contains("unless it is renewed"),
        "{}",
        ends.detail
    );
}

#[test]
fn expiring_honours_the_as_of_date() {
    // A year earlier the window holds none of them.
    let r = build("2026-03-01");
    assert!(r.expiring.is_empty(), "{:?}", r.expiring);
    // Late in 2027 only what is still ahead is listed.
    let r = build("2027-07-01");
    let kinds: Vec<ExpiryKind> = r.expiring.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            ExpiryKind::PatentExpires,
            ExpiryKind::WindDownEnds,
            ExpiryKind::RenewalEnds
        ]
    );
}

// ------------------------------------------------------------------ findings

#[test]
fn the_conflict_across_agreements_is_listed_with_both_locations() {
    let r = build("2027-03-01");
    // The error, and a warning: Globex's royalty runs past the EP patent's expiry.
    assert_eq!((r.errors, r.warnings), (1, 1), "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.code, "E0301");
    assert_eq!(f.at.to_string(), "tests/report/globex.xlic:11:1");
    let also: Vec<String> = f.also.iter().map(|(l, _)| l.to_string()).collect();
    assert_eq!(also, ["tests/report/initech.xlic:11:1"]);
    let rows: Vec<&str> = f.rows.iter().map(|(_, label)| label.as_str()).collect();
    assert_eq!(
        rows,
        [
            "acme_to_globex (acme_motion)",
            "acme_to_initech (acme_motion)"
        ]
    );
    assert_eq!(r.findings[1].code, "W0408");
    // Both holdings rows point back at the finding; Globex's at the warning too.
    let motion = &r.licensors[0].assets[1];
    assert_eq!(motion.rows[0].findings, [0, 1]);
    assert_eq!(motion.rows[1].findings, [0]);
}

// ------------------------------------------------------------------ the command

#[test]
fn markdown_report() {
    let o = run(&["report", PORTFOLIO, "--as-of", "2027-03-01"]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("As of **1 March 2027**"), "{text}");
    assert!(stderr(&o).contains("report as of 2027-03-01: 2 agreements, 1 error, 1 warning"));
    insta::assert_snapshot!("portfolio_markdown", text);
}

#[test]
fn report_is_deterministic() {
    let a = run(&[
        "report",
        PORTFOLIO,
        "--as-of",
        "2027-03-01",
        "--format",
        "html",
    ]);
    let b = run(&[
        "report",
        PORTFOLIO,
        "--as-of",
        "2027-03-01",
        "--format",
        "html",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn default_as_of_is_today_and_is_printed() {
    let o = run(&["report", PORTFOLIO]);
    assert_exit(&o, 0);
    let err = stderr(&o);
    let date = err
        .strip_prefix("report as of ")
        .and_then(|s| s.get(..10))
        .unwrap();
    let today = Date::parse(date).unwrap();
    assert!(stdout(&o).contains(&format!("As of **{}**", today.long_form())));
}

#[test]
fn deny_errors_exits_1_after_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    let o = run(&[
        "report",
        PORTFOLIO,
        "--as-of",
        "2027-03-01",
        "--deny-errors",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, 1);
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("E0301"));
}

#[test]
fn deny_errors_on_a_clean_portfolio_exits_0() {
    let o = run(&[
        "report",
        "tests/report/initech.xlic",
        "--as-of",
        "2027-03-01",
        "--deny-errors",
    ]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("The checker found no conflicts and no warnings."));
}

#[test]
fn missing_path_is_exit_2() {
    let o = run(&["report", "tests/report/no-such-file.xlic"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no-such-file.xlic"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_as_of_is_exit_2() {
    let o = run(&["report", PORTFOLIO, "--as-of", "2027-02-30"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("--as-of 2027-02-30"), "{}", stderr(&o));
}

// ------------------------------------------------------------------ HTML

/// The tags of a page, in order, without attributes, checked to nest properly.
fn check_nesting(html: &str) {
    const VOID: [&str; 6] = ["meta", "col", "br", "wbr", "img", "hr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('!') {
            continue;
        }
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn html_report_is_well_formed_and_linked() {
    let o = run(&[
        "report",
        PORTFOLIO,
        "--as-of",
        "2027-03-01",
        "--format",
        "html",
    ]);
    assert_exit(&o, 0);
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    check_nesting(&html);
    // The same page shell and stylesheet as the prose report.
    assert!(html.contains("--accent: #1f3a5f;"));
    assert!(html.contains("<nav class=\"toc\""));
    assert!(!html.contains("<script"));
    assert!(!html.contains("http"));
    // Accessible tables: a caption and scoped headers in every one.
    let tables = html.matches("<table").count();
    assert!(tables >= 5, "{tables} tables");
    assert_eq!(html.matches("<caption>").count(), tables);
    assert!(html.contains("<th scope=\"col\">Licensee</th>"));
    assert!(html.contains("<th scope=\"row\">Globex</th>"));
    // The finding links to both rows, and each row exists and links back.
    let finding = &html[html.find("id=\"finding-1\"").unwrap()..];
    let finding = &finding[..finding.find("</aside>").unwrap()];
    for anchor in [
        "h-acme_to_globex-acme_motion",
        "h-acme_to_initech-acme_motion",
    ] {
        assert!(
            finding.contains(&format!("href=\"#{anchor}\"")),
            "{finding}"
        );
        let row = &html[html.find(&format!("<tr id=\"{anchor}\"")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("href=\"#finding-1\""), "{row}");
        assert!(row.contains("class=\"has-error\""), "{row}");
    }
    // Every internal link has its target.
    for part in html.split("href=\"#").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        assert!(
            html.contains(&format!("id=\"{target}\"")),
            "no target for #{target}"
        );
    }
    // The coverage cells carry the level as a class.
    assert!(html.contains("<td class=\"x-exclusive\">exclusive (part): Globex</td>"));
    assert!(html.contains("<td class=\"x-exclusive x-conflict\">conflict (exclusive)"));
    assert!(html.contains(
        "Globex, Initech <a class=\"fref error\" href=\"#finding-1\">finding 1</a></td>"
    ));
    assert!(html.contains("<time datetime=\"2027-03-01\">1 March 2027</time>"));
}

/// Two exclusive licensees that only share a top-level field split it (each in its own
/// sub-field, shown on rows of their own); an exclusive license that another license
/// overlaps is a conflict, linked to its finding; a reservation in force is shown; a
/// field no clause of the asset reaches is left out.
#[test]
fn coverage_tells_a_split_from_a_conflict_drills_down_and_shows_reservations() {
    let src = r#"
party acme "Acme Robotics, Inc." { short "Acme" }
party b "B Corp" { short "B" }
party c "C Corp" { short "C" }
fields {
  robotics "Robotics" { industrial "Industrial Robotics" consumer "Consumer Robotics" }
  automotive "Automotive"
  medical "Medical"
}
asset pat: patent family of acme { patent "US 1,000,001" expires 2040-01-01 }
agreement "Split" { effective 2026-01-01 term 5 years kind license }
grant to_b: acme -> b { assets pat field robotics.industrial territory [US] exclusive }
grant to_c: acme -> c { assets pat field robotics.consumer territory [US] exclusive }
grant c_cars: acme -> c { assets pat field automotive territory [US] exclusive }
grant b_cars: acme -> b { assets pat field automotive territory [US] non-exclusive }
reserve pat for acme { field robotics.industrial territory [US] rights make, use }
"#;
    let c = xlic::compile_text("p.xlic", src);
    let r = report_of(&c, "2027-03-01");
    let cov = r.coverage.iter().find(|c| c.asset == "pat").unwrap();
    let rows: Vec<(&str, usize)> = cov
        .rows
        .iter()
        .map(|x| (x.field.as_str(), x.depth))
        .collect();
    assert_eq!(
        rows,
        [
            ("Robotics", 0),
            ("Industrial Robotics", 1),
            ("Consumer Robotics", 1),
            ("Automotive", 0)
        ]
    );
    assert_eq!(cov.left_out, ["Medical"]);
    let us = cov.columns.iter().position(|x| x.label == "US").unwrap();
    let at = |row: usize| &cov.rows[row].cells[us];
    assert!(at(0).split && !at(0).conflict, "{:?}", at(0));
    // Part: neither license reaches Robotics as such, only its sub-fields.
    assert_eq!(
        at(0).text(),
        "exclusive, split by sub-field (part): B, C; reserved by Acme"
    );
    assert_eq!(at(1).text(), "exclusive: B; reserved by Acme");
    assert_eq!(at(2).text(), "exclusive: C");
    let cars = at(3);
    assert!(cars.conflict && !cars.split, "{cars:?}");
    assert_eq!(cars.text(), "conflict (exclusive): B, C");
    assert_eq!(cars.conflict_grants, ["b_cars", "c_cars"]);
    // The conflict links to the checker's finding about those grants.
    assert!(!cars.findings.is_empty(), "{:?}", r.findings);
    let linked = r
        .findings
        .iter()
        .find(|f| f.anchor == cars.findings[0])
        .unwrap();
    assert!(
        linked.rows.iter().any(|(_, l)| l == "c_cars (pat)"),
        "{:?}",
        linked.rows
    );
    let html = report::html::html(&r);
    assert!(html.contains("x-conflict"), "the conflict cell is marked");
    assert!(html.contains(&format!("href=\"#{}\"", cars.findings[0])));
    let md = report::markdown::markdown(&r);
    assert!(md.contains("| ↳ Industrial Robotics |"), "{md}");
    assert!(md.contains("Left out: Medical"), "{md}");
}
