//! Unit tests of the renderers.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::diagnostics::Code;

fn span(file: FileId, text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(file, start, start + needle.len())
}

const MAIN: &str = "agreement \"Acme–Globex 😀\" { effective 2026-01-01 }\r\n\
party acme \"Acme\"\r\n\
grant g: acme -> globx { assets motion  field robotics  territory worldwide  exclusive }\r\n";

fn setup() -> (SourceMap, FileId, FileId) {
    let mut sources = SourceMap::new();
    let main = sources.add("contracts/main.xlic", None, MAIN.to_string());
    let reg = sources.add(
        "contracts/registry.xlic",
        None,
        "// registry\nparty globex \"Globex\"\n".to_string(),
    );
    (sources, main, reg)
}

fn unknown_party(main: FileId, reg: FileId) -> Diagnostic {
    Diagnostic::new(
        Code::E0101,
        "unknown party `globx`",
        span(main, MAIN, "globx"),
    )
    .with_label("no party is named `globx`")
    .with_secondary(
        Span::new(reg, 12, 18),
        "a party with a similar name is declared here",
    )
    .with_help("did you mean `globex`?")
    .with_note("parties are declared with `party ID \"Legal Name\"`")
}

#[test]
fn human_plain_has_header_labels_help_and_notes() {
    let (sources, main, reg) = setup();
    let d = unknown_party(main, reg);
    let out = render_human(&[d], &sources, false);
    assert!(
        out.starts_with("error[E0101]: unknown party `globx`\n"),
        "{out}"
    );
    assert!(out.contains("no party is named `globx`"), "{out}");
    assert!(
        out.contains("a party with a similar name is declared here"),
        "{out}"
    );
    assert!(out.contains("contracts/main.xlic:3:18"), "{out}");
    assert!(out.contains("contracts/registry.xlic:2:1"), "{out}");
    assert!(out.contains("did you mean `globex`?"), "{out}");
    assert!(out.contains("parties are declared with"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(!out.contains("Unable to fetch"), "{out}");
}

#[test]
fn human_colour_is_deterministic_and_coloured() {
    let (sources, main, reg) = setup();
    let d = unknown_party(main, reg);
    let a = render_human(std::slice::from_ref(&d), &sources, true);
    let b = render_human(std::slice::from_ref(&d), &sources, true);
    assert_eq!(a, b);
    assert!(a.contains('\u{1b}'));
    assert!(a.contains("E0101"));
}

#[test]
fn human_warning_header_and_separation() {
    let (sources, main, _) = setup();
    let w = Diagnostic::new(
        Code::W0404,
        "`acme` grants nothing",
        span(main, MAIN, "acme"),
    );
    let e = Diagnostic::new(
        Code::E0101,
        "unknown party `globx`",
        span(main, MAIN, "globx"),
    );
    let out = render_human(&[w, e], &sources, false);
    assert!(
        out.starts_with("warning[W0404]: `acme` grants nothing\n"),
        "{out}"
    );
    assert!(
        out.contains("\nerror[E0101]: unknown party `globx`\n"),
        "{out}"
    );
}

#[test]
fn short_has_file_line_column_code_and_message() {
    let (sources, main, reg) = setup();
    let d = unknown_party(main, reg);
    let w = Diagnostic::new(
        Code::W0406,
        "`except` removes nothing",
        Span::new(reg, 0, 2),
    );
    let out = render_short(&[d, w], &sources);
    assert_eq!(
        out,
        "contracts/main.xlic:3:18: error[E0101]: unknown party `globx`\n\
         contracts/registry.xlic:1:1: warning[W0406]: `except` removes nothing\n"
    );
}

#[test]
fn short_counts_columns_in_characters() {
    let (sources, main, _) = setup();
    let d = Diagnostic::new(Code::E0001, "invalid character", span(main, MAIN, "\" {"));
    let out = render_short(&[d], &sources);
    // `agreement "Acme–Globex 😀` is 24 characters, so the quote is column 25.
    assert_eq!(
        out,
        "contracts/main.xlic:1:25: error[E0001]: invalid character\n"
    );
}

#[test]
fn json_lines_parse_back_with_positions() {
    let (sources, main, reg) = setup();
    let d = unknown_party(main, reg);
    let out = render_json_lines(&[d.clone(), d], &sources);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["code"], "E0101");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["message"], "unknown party `globx`");
    assert_eq!(v["file"], "contracts/main.xlic");
    assert_eq!(v["line"], 3);
    assert_eq!(v["column"], 18);
    assert_eq!(v["end_line"], 3);
    assert_eq!(v["end_column"], 23);
    let start = MAIN.find("globx").unwrap() as u64;
    assert_eq!(v["span"]["start"], start);
    assert_eq!(v["span"]["end"], start + 5);
    assert_eq!(v["labels"][0]["primary"], true);
    assert_eq!(v["labels"][0]["line"], 3);
    assert_eq!(v["labels"][1]["primary"], false);
    assert_eq!(v["labels"][1]["file"], "contracts/registry.xlic");
    assert_eq!(v["labels"][1]["line"], 2);
    assert_eq!(v["labels"][1]["column"], 1);
    assert_eq!(v["help"], "did you mean `globex`?");
    assert_eq!(v["notes"].as_array().unwrap().len(), 1);
    assert_eq!(v, to_json(&unknown_party(main, reg), &sources));
}

#[test]
fn json_columns_after_emoji_line() {
    let text = "a 😀 b\nc – d 😀 e\n  grant 😀 x";
    let mut sources = SourceMap::new();
    let f = sources.add("e.xlic", None, text.to_string());
    let x = text.rfind('x').unwrap();
    let d = Diagnostic::new(Code::E0004, "unexpected `x`", Span::new(f, x, x + 1));
    let v: serde_json::Value =
        serde_json::from_str(render_json_lines(&[d], &sources).trim_end()).unwrap();
    assert_eq!(v["line"], 3);
    assert_eq!(v["column"], 11);
    assert_eq!(v["end_column"], 12);
    let e = text.find('e').unwrap();
    let d = Diagnostic::new(Code::E0004, "unexpected `e`", Span::new(f, e, e + 1));
    let v = to_json(&d, &sources);
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(2), Some(9))
    );
}

#[test]
fn json_key_order_is_fixed() {
    let (sources, main, reg) = setup();
    let out = render_json_lines(&[unknown_party(main, reg)], &sources);
    let keys = [
        "\"code\"",
        "\"severity\"",
        "\"message\"",
        "\"file\"",
        "\"span\"",
        "\"line\"",
        "\"column\"",
        "\"end_line\"",
        "\"end_column\"",
        "\"labels\"",
        "\"help\"",
        "\"notes\"",
    ];
    let mut at = 0;
    for key in keys {
        let found = out[at..].find(key).unwrap();
        at += found + key.len();
    }
    let none = Diagnostic::new(
        Code::E0012,
        "grant outside an agreement",
        Span::new(main, 0, 0),
    );
    let v = to_json(&none, &sources);
    assert!(v["help"].is_null());
    assert_eq!(v["notes"], serde_json::json!([]));
}

#[test]
fn out_of_range_and_odd_spans_do_not_panic() {
    let (sources, main, reg) = setup();
    let len = MAIN.len();
    let emoji = MAIN.find('😀').unwrap();
    let spans = [
        Span::new(main, 0, 0),
        Span::new(main, len, len),
        Span::new(main, len + 10, len + 20),
        Span::new(main, 5, len + 100),
        Span::new(main, emoji + 1, emoji + 2),
        Span::new(main, emoji + 2, emoji + 9),
        Span {
            file: main,
            start: 30,
            end: 10,
        },
        Span::new(main, u32::MAX as usize, u32::MAX as usize),
        Span::new(FileId(42), 3, 7),
    ];
    for s in spans {
        let d = Diagnostic::new(Code::E0005, "unexpected end of file", s)
            .with_label("here")
            .with_secondary(Span::new(reg, 999, 1999), "far away")
            .with_secondary(Span::new(FileId(77), 0, 1), "nowhere")
            .with_help("close the `{`");
        let human = render_human(std::slice::from_ref(&d), &sources, false);
        assert!(human.starts_with("error[E0005]: unexpected end of file\n"));
        assert!(human.contains("close the `{`"), "{human}");
        let short = render_short(std::slice::from_ref(&d), &sources);
        assert!(
            short.contains("error[E0005]: unexpected end of file"),
            "{short}"
        );
        assert_eq!(short.lines().count(), 1);
        let v = to_json(&d, &sources);
        assert!(v["line"].as_u64().unwrap() >= 1);
        assert!(v["span"]["start"].as_u64() <= v["span"]["end"].as_u64());
    }
}

#[test]
fn fuzzed_spans_over_awkward_text_do_not_panic() {
    let texts = [
        "",
        "\n",
        "\r\n\r\n",
        "a–b\r\n😀😀\r\n\tx\n",
        "no newline at end 😀",
        "\u{2028}line sep\u{85}next\x0bvt\x0cff\r\rcr\n",
    ];
    let mut sources = SourceMap::new();
    let ids: Vec<FileId> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| sources.add(format!("f{i}.xlic"), None, (*t).to_string()))
        .collect();
    let mut rng = xlic_testkit::Rng::new(0x2545_f491_4f6c_dd1d);
    let mut next = |m: usize| rng.range(0, m);
    let mut diags = Vec::new();
    for _ in 0..400 {
        let fi = next(ids.len() - 1);
        let len = texts[fi].len() + 2;
        let a = next(len);
        let b = a + next(len);
        let mut d = Diagnostic::new(Code::E0004, "unexpected token", Span::new(ids[fi], a, b))
            .with_label("primary");
        for _ in 0..next(3) {
            let fj = next(ids.len() - 1);
            let len = texts[fj].len() + 2;
            let a = next(len);
            let b = a + next(len);
            d = d.with_secondary(Span::new(ids[fj], a, b), "secondary");
        }
        diags.push(d);
    }
    for d in &diags {
        let _ = render_human(std::slice::from_ref(d), &sources, false);
        let _ = render_human(std::slice::from_ref(d), &sources, true);
    }
    let short = render_short(&diags, &sources);
    assert_eq!(short.lines().count(), diags.len());
    let json = render_json_lines(&diags, &sources);
    for line in json.lines() {
        let _: serde_json::Value = serde_json::from_str(line).unwrap();
    }
}

#[test]
fn secondary_label_in_another_file_renders() {
    let (sources, main, reg) = setup();
    let d = Diagnostic::new(
        Code::E0301,
        "exclusive grant `g` overlaps grant `h`",
        span(main, MAIN, "exclusive"),
    )
    .with_label("exclusive here")
    .with_secondary(
        Span::new(reg, 12, 33),
        "overlapping grant in another agreement",
    );
    let out = render_human(&[d], &sources, false);
    assert!(out.contains("contracts/main.xlic:3:"), "{out}");
    assert!(out.contains("contracts/registry.xlic:2:1"), "{out}");
    assert!(
        out.contains("overlapping grant in another agreement"),
        "{out}"
    );
    assert!(out.contains("party globex"), "{out}");
}

#[test]
fn summary_counts() {
    let (_, main, _) = setup();
    let e = Diagnostic::new(Code::E0101, "x", Span::new(main, 0, 1));
    let w = Diagnostic::new(Code::W0401, "y", Span::new(main, 0, 1));
    assert_eq!(summary(&[]), "no problems");
    assert_eq!(summary(std::slice::from_ref(&e)), "1 error");
    assert_eq!(summary(&[e.clone(), e.clone()]), "2 errors");
    assert_eq!(summary(std::slice::from_ref(&w)), "1 warning");
    assert_eq!(summary(&[w.clone(), w.clone(), w.clone()]), "3 warnings");
    assert_eq!(summary(&[e.clone(), e, w]), "2 errors, 1 warning");
}

#[test]
fn gitlab_issues_have_the_code_quality_shape() {
    let mut sources = SourceMap::new();
    let root = std::path::Path::new("/repo");
    let main = sources.add(
        "contracts/main.xlic",
        Some(std::path::PathBuf::from("/repo/contracts/main.xlic")),
        MAIN.to_string(),
    );
    let elsewhere = sources.add(
        "../other.xlic",
        Some(std::path::PathBuf::from("/elsewhere/other.xlic")),
        "party x \"X\"\n".to_string(),
    );
    let d = unknown_party(main, elsewhere);
    let w = Diagnostic::new(
        Code::W0406,
        "`except` removes nothing",
        Span::new(elsewhere, 0, 5),
    );
    let out = render_gitlab(&[d, w], &sources, root);
    assert!(out.ends_with("]\n"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    let e = &issues[0];
    assert_eq!(e["type"], "issue");
    assert_eq!(e["check_name"], "E0101");
    assert_eq!(
        e["description"],
        "unknown party `globx`; help: did you mean `globex`?"
    );
    assert_eq!(e["severity"], "critical");
    assert_eq!(e["location"]["path"], "contracts/main.xlic");
    assert_eq!(e["location"]["lines"]["begin"], 3);
    assert_eq!(e["location"]["lines"]["end"], 3);
    let w = &issues[1];
    assert_eq!(w["severity"], "minor");
    assert_eq!(w["description"], "`except` removes nothing");
    // outside the root: the name as given
    assert_eq!(w["location"]["path"], "../other.xlic");
    assert_eq!(w["location"]["lines"]["begin"], 1);
    for issue in issues {
        let f = issue["fingerprint"].as_str().unwrap();
        assert!(f.len() >= 16 && f.is_ascii(), "{f}");
    }
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
}

#[test]
fn gitlab_fingerprints_are_deterministic_unique_and_survive_moved_lines() {
    let root = std::path::Path::new("/repo");
    let path = Some(std::path::PathBuf::from("/repo/a.xlic"));
    let render = |prefix: &str| {
        let text = format!("{prefix}{MAIN}");
        let mut sources = SourceMap::new();
        let file = sources.add("a.xlic", path.clone(), text.clone());
        let twice = [
            Diagnostic::new(
                Code::E0101,
                "unknown party `globx`",
                span(file, &text, "globx"),
            ),
            Diagnostic::new(
                Code::E0101,
                "unknown party `globx`",
                span(file, &text, "party acme"),
            ),
        ];
        let out = render_gitlab(&twice, &sources, root);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let prints: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect();
        (out, prints)
    };
    let (a, prints_a) = render("");
    let (b, _) = render("");
    assert_eq!(a, b, "byte-identical across runs");
    assert_ne!(
        prints_a[0], prints_a[1],
        "the same message twice: two issues"
    );
    let (moved, prints_moved) = render("// a comment\n\n");
    assert_ne!(a, moved, "the lines moved");
    assert_eq!(
        prints_a, prints_moved,
        "fingerprints do not move with the lines"
    );
}

/// Only the lines a label touches go into ariadne's source (a large file with a few
/// diagnostics is not copied whole): the lines it shows keep their text, their numbers
/// and their columns (ariadne draws the lines inside a multi-line label as `┆`).
#[test]
fn human_shows_the_lines_of_each_label_from_a_large_file() {
    let text: String = (1..=40)
        .map(|n| format!("line {n:02} of the file\n"))
        .collect();
    let mut sources = SourceMap::new();
    let f = sources.add("big.xlic", None, text.clone());
    let from = text.find("line 10").unwrap();
    let to = text.find("line 14").unwrap() + "line 14".len();
    let d = Diagnostic::new(
        Code::E0101,
        "unknown party",
        span(f, &text, "of the file\nline 31"),
    )
    .with_label("here")
    .with_secondary(Span::new(f, from, to), "from here to here");
    let out = render_human(&[d], &sources, false);
    for shown in ["line 10", "line 14", "line 30", "line 31"] {
        assert!(out.contains(shown), "{shown} missing:\n{out}");
    }
    for hidden in ["line 05", "line 11", "line 20", "line 35"] {
        assert!(!out.contains(hidden), "{hidden} shown:\n{out}");
    }
    assert!(out.contains("big.xlic:30:9"), "{out}");
    assert!(out.contains("31 │"), "{out}");
}

#[test]
fn human_counts_a_lone_cr_before_hidden_lines_as_a_line_end() {
    // A line ended by a lone CR, then hidden lines ended by LF: the CR and the first LF
    // are two line ends, not one CRLF.
    let text = "party a \"A\"\r// one\n// two\nparty b \"B\"\n";
    let mut sources = SourceMap::new();
    let f = sources.add("cr.xlic", None, text.to_string());
    let d = Diagnostic::new(Code::E0101, "unknown party", span(f, text, "party b"))
        .with_label("here")
        .with_secondary(span(f, text, "party a"), "and here");
    let out = render_human(&[d], &sources, false);
    assert!(out.contains("cr.xlic:4:1"), "{out}");
    assert!(out.contains("4 │ party b"), "{out}");
    assert!(out.contains("1 │ party a"), "{out}");
}

/// The location in the header is the real column on a line cut to windows, also when
/// another label of the diagnostic lies in the same file (each file's columns are
/// corrected once, not once per label).
#[test]
fn human_gives_the_real_column_on_a_cut_line_with_two_labels_in_one_file() {
    let long = format!("party a \"A\" // {}", "x".repeat(600));
    let text = format!("{long} globx\nparty b \"B\"\n");
    let mut sources = SourceMap::new();
    let f = sources.add("long.xlic", None, text.clone());
    let at = text.find("globx").unwrap();
    let d = Diagnostic::new(Code::E0101, "unknown party", span(f, &text, "globx"))
        .with_label("here")
        .with_secondary(span(f, &text, "party b"), "and here");
    let out = render_human(&[d], &sources, false);
    let expected = format!("long.xlic:1:{}", at + 1);
    assert!(out.contains(&expected), "{expected} missing:\n{out}");
}
