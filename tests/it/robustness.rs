//! No input makes the compiler panic, overflow its stack or report outside the file:
//! degenerate files, pseudo-random bytes and token soup, pathological sizes and depths.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use xlic::diagnostics::{render, sarif};
use xlic::syntax::token::KEYWORDS;
use xlic::{Compilation, Input};
use xlic_testkit::Rng;

// ------------------------------------------------------------------ helpers

/// A clean cross-license to build on: two parties, a field tree, an asset `p` of acme
/// for further grants to globex, and a grant each way (so the license is mutual).
const HEADER: &str = "\
agreement \"A\" { effective 2026-01-01 }
party acme \"Acme\"
party globex \"Globex\"
fields { robotics { consumer { vacuum lawn } industrial } automotive }
asset p: know-how of acme
asset q: know-how of globex
grant to_globex: acme -> globex { assets p field robotics.consumer territory [DE] non-exclusive }
grant to_acme: globex -> acme { assets q field robotics territory [US] non-exclusive }
confidentiality { covers know-how }
";

/// Every diagnostic's primary and secondary spans name a loaded file and lie inside it.
fn assert_spans(c: &Compilation, what: &str) {
    for d in &c.diagnostics {
        let labels = std::iter::once(&d.primary).chain(d.secondary.iter());
        for label in labels {
            let span = label.span;
            let file = c
                .sources
                .get(span.file)
                .unwrap_or_else(|| panic!("{what}: {} names no loaded file: {d:?}", d.code));
            assert!(
                span.start <= span.end && span.end as usize <= file.text.len(),
                "{what}: {} span {}..{} outside the file of {} bytes: {}",
                d.code,
                span.start,
                span.end,
                file.text.len(),
                d.message
            );
        }
    }
}

/// [`assert_spans`], and every renderer copes with the diagnostics.
fn assert_sane(c: &Compilation, what: &str) {
    assert_spans(c, what);
    // Rendering must not panic either; what it prints is tested elsewhere.
    let human = render::render_human(&c.diagnostics, &c.sources, false);
    let _ = render::render_human(&c.diagnostics, &c.sources, true);
    let short = render::render_short(&c.diagnostics, &c.sources);
    let json = render::render_json_lines(&c.diagnostics, &c.sources);
    if !c.diagnostics.is_empty() {
        assert!(
            !human.is_empty() && !short.is_empty(),
            "{what}: nothing rendered"
        );
    }
    assert_eq!(json.lines().count(), c.diagnostics.len(), "{what}");
    let options = sarif::Options::new(std::env::temp_dir());
    let log: serde_json::Value =
        serde_json::from_str(&sarif::render_sarif(&c.diagnostics, &c.sources, &options))
            .unwrap_or_else(|e| panic!("{what}: the SARIF log is not JSON: {e}"));
    assert_eq!(
        log["runs"][0]["results"].as_array().map(Vec::len),
        Some(c.diagnostics.len()),
        "{what}"
    );
}

fn codes(c: &Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn compile_bytes(name: &str, bytes: &[u8]) -> Compilation {
    let input = Input::Bytes {
        name: name.to_string(),
        bytes: bytes.to_vec(),
        dir: std::env::temp_dir(),
    };
    xlic::compile(std::slice::from_ref(&input), &xlic::Options::default())
        .expect("in-memory input cannot fail to load")
}

/// Writes `bytes` to a temporary file and runs `xlic check --message-format short` on it.
fn check_file(bytes: &[u8]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("input.xlic");
    std::fs::write(&path, bytes).unwrap();
    run_check(tmp.path(), "input.xlic")
}

fn run_check(dir: &Path, file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["check", "--message-format", "short", file])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

/// The binary ran to its own exit (no panic, no signal such as a stack overflow's abort)
/// with `expected` status; returns stderr.
fn assert_exit(o: &Output, expected: i32) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "xlic panicked:\n{err}");
    assert_eq!(
        o.status.code(),
        Some(expected),
        "status {:?}; stderr (first 2000 characters):\n{}",
        o.status,
        err.chars().take(2000).collect::<String>()
    );
    err
}

// ------------------------------------------------------------------ degenerate files

#[test]
fn empty_and_whitespace_are_clean() {
    for (what, text) in [
        ("empty", ""),
        ("whitespace", " \t\n\r\n  \n"),
        ("comment only", "// nothing\n/* at all */"),
    ] {
        let c = xlic::compile_text("t.xlic", text);
        assert_sane(&c, what);
        assert!(!c.has_errors(), "{what}: {:?}", codes(&c));
    }
}

#[test]
fn lone_braces_are_errors_not_panics() {
    for text in [
        "{", "}", "[", "]", "{{{{", "}}}}", "{ } }", "->", ":", "\"", "/*",
    ] {
        let c = xlic::compile_text("t.xlic", text);
        assert_sane(&c, text);
        assert!(c.has_errors(), "`{text}` should be reported");
    }
}

#[test]
fn unterminated_string_at_end_of_file() {
    let text = format!("{HEADER}agreement \"never closed");
    let c = xlic::compile_text("t.xlic", &text);
    assert_sane(&c, "unterminated string");
    assert!(codes(&c).contains(&"E0002"), "{:?}", codes(&c));
}

#[test]
fn unterminated_block_comment() {
    let text = format!("{HEADER}/* never closed\nparty x \"X\"\n");
    let c = xlic::compile_text("t.xlic", &text);
    assert_sane(&c, "unterminated comment");
    assert!(codes(&c).contains(&"E0002"), "{:?}", codes(&c));
}

#[test]
fn bom_only_file_is_clean() {
    let c = compile_bytes("bom.xlic", b"\xEF\xBB\xBF");
    assert_sane(&c, "BOM only");
    assert!(c.diagnostics.is_empty(), "{:?}", codes(&c));

    let o = check_file(b"\xEF\xBB\xBF");
    let err = assert_exit(&o, 0);
    assert!(err.is_empty(), "{err}");

    // A BOM before a real agreement is not an error either.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(HEADER.as_bytes());
    let o = check_file(&bytes);
    let err = assert_exit(&o, 0);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn crlf_line_numbers_are_right() {
    let text = "agreement \"A\" { effective 2026-01-01 }\r\n\
                party acme \"Acme\"\r\n\
                grant g: acme -> globx { assets p field all territory worldwide non-exclusive }\r\n";
    let o = check_file(text.as_bytes());
    let err = assert_exit(&o, 1);
    let first = err
        .lines()
        .find(|l| l.contains("globx"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(first.starts_with("input.xlic:3:18: error[E0101]"), "{err}");
}

#[test]
fn invalid_utf8_is_e0003() {
    let mut bytes = b"agreement \"Acme \xFF\xFE Globex\" { effective 2026-01-01 }\n".to_vec();
    bytes.extend_from_slice(b"party acme \"Acme \xC3\"\n"); // truncated two-byte sequence
    let o = check_file(&bytes);
    let err = assert_exit(&o, 1);
    assert!(err.contains("error[E0003]"), "{err}");
    assert!(err.contains("input.xlic:1:"), "{err}");

    let c = compile_bytes("bad.xlic", &bytes);
    assert_sane(&c, "invalid UTF-8");
    assert!(codes(&c).contains(&"E0003"), "{:?}", codes(&c));
}

// ------------------------------------------------------------------ pseudo-random input

const PUNCT: &[&str] = &[
    "{", "}", "[", "]", ",", ":", ";", ".", "->", "+", "=", "\"", "%", "-", "/", "*",
];
const ATOMS: &[&str] = &[
    "acme",
    "globex",
    "p",
    "robotics",
    "US",
    "DE",
    "UK",
    "USD",
    "EUR",
    "\"Acme, Inc.\"",
    "\"US 1,234,567\"",
    "\"unterminated",
    "2026-01-01",
    "2026-02-30",
    "0-0-0",
    "99999999999999999999999999-1-1",
    "2.5%",
    "0%",
    "250%",
    "1_000_000",
    "0",
    "1.2.3",
    "99999999999999999999999999999999999",
    "// comment\n",
    "/* block */",
    "/*",
    "é",
    "😀",
    "\u{FEFF}",
    "\t",
    "\n",
    "\r\n",
];

fn token_soup(rng: &mut Rng, max_bytes: usize) -> String {
    let mut s = String::new();
    while s.len() < max_bytes {
        let piece = match rng.below(10) {
            0..=4 => KEYWORDS[rng.below(KEYWORDS.len())].0,
            5..=6 => *rng.pick(PUNCT),
            _ => *rng.pick(ATOMS),
        };
        s.push_str(piece);
        s.push(' ');
    }
    s
}

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| (rng.next_u64() >> 24) as u8).collect()
}

#[test]
fn random_inputs_never_panic() {
    assert!(!KEYWORDS.is_empty());
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut with_errors = 0;
    for i in 0..200 {
        // Mixed sizes, 0 to 4 KiB, biased towards small.
        let size = match rng.below(4) {
            0 => rng.below(16),
            1 => rng.below(256),
            _ => rng.below(4097),
        };
        let what = format!("random input #{i} ({size} bytes)");
        match i % 3 {
            0 => {
                let bytes = random_bytes(&mut rng, size);
                let c = compile_bytes("random.xlic", &bytes);
                assert_sane(&c, &what);
                let c = xlic::compile_text("random.xlic", &String::from_utf8_lossy(&bytes));
                assert_sane(&c, &what);
                with_errors += usize::from(c.has_errors());
            }
            1 => {
                let text = token_soup(&mut rng, size);
                let c = xlic::compile_text("soup.xlic", &text);
                assert_sane(&c, &format!("{what}: {text}"));
                with_errors += usize::from(c.has_errors());
            }
            _ => {
                // A valid file with soup spliced into it at a random point.
                let mut text = format!(
                    "{HEADER}grant g: acme -> globex {{ assets p field robotics territory [US] non-exclusive }}\n"
                );
                let mut at = rng.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &token_soup(&mut rng, size));
                let c = xlic::compile_text("spliced.xlic", &text);
                assert_sane(&c, &format!("{what}: {text}"));
            }
        }
    }
    // The generator does produce bad input; otherwise this test would prove nothing.
    assert!(with_errors > 50, "only {with_errors} inputs had errors");
}

// ------------------------------------------------------------------ size

#[test]
fn ten_megabyte_agreement_checks_clean() {
    // 300 parties, each licensing its own assets to the others: ~80,000 grants, each of
    // its own asset, spread over distinct licensor/licensee pairs.
    const PARTIES: usize = 300;
    let mut text = String::from(
        "agreement \"Big\" { effective 2026-01-01 term 10 years }\n\
         fields { robotics { consumer { vacuum lawn } industrial } automotive }\n",
    );
    for p in 0..PARTIES {
        text.push_str(&format!("party p{p} \"Party {p} Ltd.\"\n"));
    }
    let mut i = 0usize;
    while text.len() < 10 * 1024 * 1024 {
        let licensor = i % PARTIES;
        let licensee = (licensor + 1 + (i / PARTIES) % (PARTIES - 1)) % PARTIES;
        text.push_str(&format!(
            "asset a{i}: patent of p{licensor} {{ patent \"US {n},{m:03},{k:03}\" expires 2040-01-01 }}\n\
             grant g{i}: p{licensor} -> p{licensee} {{ assets a{i} field robotics.consumer, automotive \
             territory [US, DE] + EU except [FR] non-exclusive royalty-free }}\n",
            n = 10 + i / 1_000_000,
            m = (i / 1000) % 1000,
            k = i % 1000,
        ));
        i += 1;
    }
    assert!(i < PARTIES * (PARTIES - 1), "pairs repeat: {i} grants");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("big.xlic"), &text).unwrap();
    let o = run_check(tmp.path(), "big.xlic");
    let err = assert_exit(&o, 0);
    assert!(
        err.is_empty(),
        "{}",
        err.chars().take(2000).collect::<String>()
    );
}

#[test]
fn oversized_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.xlic");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let spaces = vec![b' '; 1024 * 1024];
        for _ in 0..65 {
            f.write_all(&spaces).unwrap();
        }
        f.write_all(b"// the end\n").unwrap();
        f.flush().unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 64 * 1024 * 1024);
    let o = run_check(tmp.path(), "huge.xlic");
    let err = assert_exit(&o, 1);
    assert!(err.contains("error[E0007]"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn megabyte_string_literal_and_comment() {
    let long = "x".repeat(1024 * 1024);
    let string = format!("{HEADER}party big \"{long}\"\n");
    let comment = format!("{HEADER}// {long}\nparty other \"Other\"\n");
    let block = format!("{HEADER}/* {long} */\n");
    for (what, text) in [
        ("string", string),
        ("line comment", comment),
        ("block", block),
    ] {
        let c = xlic::compile_text("t.xlic", &text);
        assert_sane(&c, what);
        assert!(!c.has_errors(), "{what}: {:?}", codes(&c));
    }
    // An unterminated 1 MB string is one E0002, not a crash.
    let c = xlic::compile_text("t.xlic", &format!("{HEADER}party big \"{long}"));
    assert_sane(&c, "unterminated long string");
    assert!(codes(&c).contains(&"E0002"), "{:?}", codes(&c));
}

// ------------------------------------------------------------------ depth and width

fn deep_fields(depth: usize) -> String {
    format!(
        "{HEADER}fields {{ {} a {} }}\n",
        "a { ".repeat(depth),
        "} ".repeat(depth)
    )
}

#[test]
fn deep_fields_through_the_library() {
    let c = xlic::compile_text("deep.xlic", &deep_fields(10_000));
    assert_sane(&c, "deep fields");
    assert!(codes(&c).contains(&"E0006"), "{:?}", codes(&c));
    assert_eq!(
        codes(&c).iter().filter(|&&c| c == "E0006").count(),
        1,
        "one report for one over-deep block: {:?}",
        codes(&c)
    );
}

#[test]
fn deep_fields_through_the_binary() {
    let o = check_file(deep_fields(10_000).as_bytes());
    let err = assert_exit(&o, 1);
    assert!(err.contains("error[E0006]"), "{err}");
}

#[test]
fn nesting_at_the_limit_is_accepted() {
    // `fields {` is one level, so 63 more fit within the limit of 64.
    let c = xlic::compile_text("ok.xlic", &deep_fields(63));
    assert_sane(&c, "63 deep");
    assert!(!codes(&c).contains(&"E0006"), "{:?}", codes(&c));
}

#[test]
fn deep_territory_brackets() {
    let text = format!(
        "{HEADER}territory t = {}US{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let c = xlic::compile_text("brackets.xlic", &text);
    assert_sane(&c, "deep brackets");
    assert!(codes(&c).contains(&"E0006"), "{:?}", codes(&c));

    let o = check_file(text.as_bytes());
    let err = assert_exit(&o, 1);
    assert!(err.contains("error[E0006]"), "{err}");
}

#[test]
fn unbalanced_deep_nesting() {
    for text in [
        "{".repeat(100_000),
        "}".repeat(100_000),
        "[".repeat(100_000),
    ] {
        let c = xlic::compile_text("unbalanced.xlic", &text);
        assert_sane(&c, &text[..1]);
        assert!(c.has_errors());
    }
}

#[test]
fn hundred_thousand_territory_terms() {
    let countries = ["US", "DE", "FR", "JP", "CN", "BR"];
    let mut expr = String::from("[GB]");
    for i in 0..100_000 {
        expr.push_str(&format!(" + [{}]", countries[i % countries.len()]));
    }
    let text = format!(
        "{HEADER}territory t = {expr}\n\
         grant g: acme -> globex {{ assets p field robotics territory {expr} non-exclusive }}\n"
    );
    let c = xlic::compile_text("plus.xlic", &text);
    assert_sane(&c, "100k plus terms");
    assert!(!c.has_errors(), "{:?}", codes(&c));
}

#[test]
fn fifty_thousand_field_paths_in_one_grant() {
    let paths = [
        "robotics",
        "robotics.consumer",
        "robotics.consumer.vacuum",
        "robotics.industrial",
        "automotive",
    ];
    let list: Vec<&str> = (0..50_000).map(|i| paths[i % paths.len()]).collect();
    let text = format!(
        "{HEADER}grant g: acme -> globex {{ assets p field {} territory worldwide non-exclusive }}\n",
        list.join(", ")
    );
    let c = xlic::compile_text("paths.xlic", &text);
    assert_sane(&c, "50k field paths");
    assert!(!c.has_errors(), "{:?}", codes(&c));

    // Unknown paths: many errors, each inside the file, and no panic.
    let unknown: Vec<String> = (0..50_000).map(|i| format!("nope{i}.x")).collect();
    let text = format!(
        "{HEADER}grant g: acme -> globex {{ assets p field {} territory worldwide non-exclusive }}\n",
        unknown.join(", ")
    );
    let c = xlic::compile_text("paths.xlic", &text);
    // Spans only: rendering 50,000 reports that each quote the same 600 KB line is
    // quadratic in size.
    assert_spans(&c, "50k unknown field paths");
    assert!(
        codes(&c).contains(&"E0101"),
        "{:?}",
        &codes(&c)[..5.min(c.diagnostics.len())]
    );
}

// ------------------------------------------------------------------ configurable limits

/// Runs `xlic check --message-format short ARGS...` in `dir`.
fn run_check_with(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["check", "--message-format", "short"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

#[test]
fn nesting_limit_can_be_raised_to_its_ceiling_and_lowered() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("deep.xlic"), deep_fields(200)).unwrap();
    // 201 levels: over the default of 64, within a raised limit of 256.
    let err = assert_exit(&run_check_with(tmp.path(), &["deep.xlic"]), 1);
    assert!(err.contains("E0006"), "{err}");
    let err = assert_exit(
        &run_check_with(tmp.path(), &["--max-nesting", "256", "deep.xlic"]),
        0,
    );
    assert!(!err.contains("E0006"), "{err}");
    // The ceiling itself is enforced with a usage error, not a stack overflow.
    let err = assert_exit(
        &run_check_with(tmp.path(), &["--max-nesting", "100000", "deep.xlic"]),
        2,
    );
    assert!(
        err.contains("--max-nesting must be between 1 and 256"),
        "{err}"
    );
    // Lowered: a clean example nests 3 levels deep at most in its field tree.
    std::fs::write(tmp.path().join("shallow.xlic"), HEADER).unwrap();
    let err = assert_exit(
        &run_check_with(tmp.path(), &["--max-nesting", "2", "shallow.xlic"]),
        1,
    );
    assert!(err.contains("nesting deeper than 2 levels"), "{err}");
}

#[test]
fn file_size_limit_is_configurable_and_large_files_are_not_read_whole() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.xlic"), HEADER).unwrap();
    let limit = (HEADER.len() - 1).to_string();
    let err = assert_exit(
        &run_check_with(tmp.path(), &["--max-file-bytes", &limit, "a.xlic"]),
        1,
    );
    assert!(
        err.contains(&format!(
            "is {} bytes, over the limit of {limit} bytes",
            HEADER.len()
        )),
        "{err}"
    );
    let exact = HEADER.len().to_string();
    assert_exit(
        &run_check_with(tmp.path(), &["--max-file-bytes", &exact, "a.xlic"]),
        0,
    );
    // A sparse 8 GiB file is refused by its size without being read into memory.
    let big = std::fs::File::create(tmp.path().join("huge.xlic")).unwrap();
    big.set_len(8 << 30).unwrap();
    let err = assert_exit(&run_check_with(tmp.path(), &["huge.xlic"]), 1);
    assert!(err.contains("is 8589934592 bytes, over the limit"), "{err}");
}

#[test]
fn stdin_over_the_size_limit_is_an_input_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["check", "--max-file-bytes", "16", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // The reader stops after the limit; a broken pipe here is expected.
        let _ = stdin.write_all(HEADER.as_bytes());
    }
    let o = child.wait_with_output().unwrap();
    let err = assert_exit(&o, 2);
    assert!(err.contains("stdin holds more than 16 bytes"), "{err}");
}

#[test]
fn file_count_limit_covers_inputs_and_imports() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..3 {
        std::fs::write(
            tmp.path().join(format!("f{i}.xlic")),
            format!("party p{i} \"P{i}\"\n"),
        )
        .unwrap();
    }
    let err = assert_exit(&run_check_with(tmp.path(), &["--max-files", "2", "."]), 2);
    assert!(
        err.contains("3 files to check, over the limit of 2"),
        "{err}"
    );
    assert_exit(&run_check_with(tmp.path(), &["--max-files", "3", "."]), 0);
    // Imports count too: one input importing a second file, with room for one.
    let sub = tempfile::tempdir().unwrap();
    std::fs::write(sub.path().join("shared.xlic"), "party s \"S\"\n").unwrap();
    std::fs::write(
        sub.path().join("main.xlic"),
        "import \"shared.xlic\"\nparty m \"M\"\n",
    )
    .unwrap();
    let err = assert_exit(
        &run_check_with(sub.path(), &["--max-files", "1", "main.xlic"]),
        1,
    );
    assert!(err.contains("more than 1 files in one check"), "{err}");
}

#[test]
fn syntax_error_count_is_configurable() {
    let tmp = tempfile::tempdir().unwrap();
    let text: String = (0..30).map(|i| format!("party p{i} \"P\" }}\n")).collect();
    std::fs::write(tmp.path().join("bad.xlic"), text).unwrap();
    let err = assert_exit(
        &run_check_with(tmp.path(), &["--max-syntax-errors", "5", "bad.xlic"]),
        1,
    );
    assert!(err.contains("25 more syntax errors not shown"), "{err}");
}

// ------------------------------------------------------------------ many grants on one asset

/// `n` exclusive grants of one patent family, each to a different licensee, all in the
/// same place and time: every pair conflicts (E0301).
fn exclusive_crowd(n: usize, territory: &str) -> String {
    exclusive_grants(n, "a", |_| "a".to_string(), territory)
}

/// `n` exclusive grants of one patent family from `holder` to `l0`…, each in the field
/// `field(i)` and `territory`, for the same five years; `fields` is the body of the
/// `fields { }` block.
fn exclusive_grants(
    n: usize,
    fields: &str,
    field: impl Fn(usize) -> String,
    territory: &str,
) -> String {
    let mut s = String::from(
        "agreement \"Crowd\" { effective 2026-01-01 term 20 years }\nparty holder \"Holder\"\n",
    );
    for i in 0..n {
        s.push_str(&format!("party l{i} \"L{i}\"\n"));
    }
    s.push_str(&format!(
        "fields {{ {fields} }}\nasset fam: patent family of holder {{ patent \"US 1234\" expires 2040-01-01 }}\n"
    ));
    for i in 0..n {
        s.push_str(&format!(
            "grant g{i}: holder -> l{i} {{ assets fam field {} territory {territory} term for 5 years exclusive }}\n",
            field(i)
        ));
    }
    s
}

#[test]
fn conflicts_beyond_the_cap_are_counted_exactly() {
    // 30 grants: grant k is the primary clause of k conflicts (with every earlier one).
    let c = xlic::compile_text("crowd.xlic", &exclusive_crowd(30, "[US]"));
    assert_sane(&c, "crowd of 30");
    let e0301: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0301")
        .collect();
    // min(k, 10) for k = 0..29.
    assert_eq!(e0301.len(), 55 + 19 * 10);
    let last: Vec<_> = e0301
        .iter()
        .filter(|d| d.message.contains("grant `g29`"))
        .filter(|d| d.message.starts_with("exclusive grant `g29`"))
        .collect();
    assert_eq!(last.len(), 10, "{last:#?}");
    // The ten shown are the ten earliest in the source, and the rest are counted.
    for k in 0..10 {
        assert!(
            last.iter()
                .any(|d| d.message.contains(&format!("grant `g{k}` to"))),
            "g{k} missing"
        );
    }
    let notes: Vec<&String> = last.iter().flat_map(|d| d.notes.iter()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str() == "19 more E0301 diagnostics for this clause are not shown"),
        "{notes:#?}"
    );
}

#[test]
fn thousands_of_exclusive_grants_on_one_asset_stay_bounded() {
    // 3,000 grants: 4.5 million conflicting pairs. The checker compares each grant with
    // at most 100 conflicting ones and reports at most 10 per clause.
    for territory in ["worldwide", "[US]"] {
        let c = xlic::compile_text("crowd.xlic", &exclusive_crowd(3000, territory));
        let e0301 = c
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "E0301")
            .count();
        assert!(e0301 <= 3000 * 10, "{territory}: {e0301} E0301");
        assert!(
            e0301 >= 2900 * 10,
            "{territory}: every crowded grant reports: {e0301}"
        );
        assert!(
            c.diagnostics
                .iter()
                .flat_map(|d| d.notes.iter())
                .any(|n| n.starts_with("at least ")
                    && n.contains("stops comparing a grant after 100 conflicts")),
            "{territory}: the summary says the count is a lower bound"
        );
    }
}

/// `n` exclusive grants of one patent to different licensees, in one country and period
/// but each in a field of its own: no two meet.
fn exclusive_grants_in_disjoint_fields(n: usize) -> String {
    let leaves: String = (0..n).map(|i| format!(" f{i}")).collect();
    exclusive_grants(
        n,
        &format!("products {{{leaves} }}"),
        |i| format!("products.f{i}"),
        "[US]",
    )
}

#[test]
fn exclusive_grants_apart_in_field_are_not_compared_pairwise() {
    // 6,000 exclusive grants that share a country and a period but not a field: the
    // sweep used to compare every pair (18 million; 8k grants took 2.4 s, 32k 154 s).
    // Indexed by field, each grant meets only the few kept in a plain list before the
    // index takes over: the work is linear, not quadratic.
    let n = 6_000;
    let c = xlic::compile_text("fields.xlic", &exclusive_grants_in_disjoint_fields(n));
    assert_sane(&c, "disjoint fields");
    assert!(
        !c.diagnostics.iter().any(|d| d.code.as_str() == "E0301"),
        "no two grants meet"
    );
    let (_, work) = xlic::check::run_counted(&c.model, &c.ledger);
    assert!(
        work.pairs_judged <= 2 * n,
        "{} pairs judged for {n} grants",
        work.pairs_judged
    );
    // And a crowd that does conflict is judged pair by pair, each grant against the
    // earlier ones up to the bound of 100 conflicts: the sum of min(k, 100).
    let crowd = xlic::compile_text("crowd.xlic", &exclusive_crowd(200, "[US]"));
    let (_, work) = xlic::check::run_counted(&crowd.model, &crowd.ledger);
    let bound: usize = (0..200usize).map(|k| k.min(100)).sum();
    assert_eq!(
        work.pairs_judged, bound,
        "each crowded pair judged once, up to the bound"
    );
}

// ------------------------------------------------------------------ depth and sharing

#[path = "../../benches/workload/hostile.rs"]
mod shapes;
use shapes::group_chain;

#[test]
fn a_chain_of_ten_thousand_territory_groups_resolves_without_recursion() {
    // Resolved on the test thread (2 MiB of stack, like the language server's workers):
    // a recursive resolution overflowed at about 2,700 groups.
    let mut text = group_chain(10_000, "[DE, FR]");
    text.push_str(HEADER);
    text.push_str(
        "grant chained: acme -> globex { assets p field robotics.industrial territory g0 non-exclusive }\n",
    );
    let c = xlic::compile_text("chain.xlic", &text);
    assert!(
        c.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        codes(&c)
    );
    let g0 = c.model.groups.iter().find(|g| g.name == "g0").unwrap();
    let mut expected = xlic::territory::TerritorySet::empty();
    assert!(expected.insert_code("DE") && expected.insert_code("FR"));
    assert_eq!(g0.set, expected, "g0 gets the countries at the chain's end");
    // The binary too (its main thread has more stack, but the walk must not depend on it).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("chain.xlic"), &text).unwrap();
    assert_exit(&run_check(tmp.path(), "chain.xlic"), 0);
}

#[test]
fn a_group_cycle_at_the_end_of_a_long_chain_is_one_e0106() {
    let c = xlic::compile_text("cycle.xlic", &group_chain(5_000, "g0"));
    let cycles: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0106)
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(cycles[0].message.contains("`g0`"), "{}", cycles[0].message);
}

/// Writes a chain of `n` files, `f0` importing `f1` importing … `f{n-1}`, each declaring
/// what `decl(i)` gives; returns the folder.
fn file_chain(n: usize, decl: impl Fn(usize) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..n {
        let mut text = String::new();
        if i + 1 < n {
            text.push_str(&format!("import \"f{}.xlic\"\n", i + 1));
        }
        text.push_str(&decl(i));
        std::fs::write(tmp.path().join(format!("f{i}.xlic")), text).unwrap();
    }
    tmp
}

#[test]
fn names_are_seen_down_a_chain_of_three_thousand_imports() {
    // f0 uses the parties, asset and group declared at the far end of the chain.
    let n = 3_000;
    let tmp = file_chain(n, |i| match i {
        0 => "agreement \"A\" { effective 2026-01-01 }\nfields { robotics }\n\
              grant g: acme -> globex { assets p field robotics territory far non-exclusive }\n\
              grant back: globex -> acme { assets p field robotics territory far non-exclusive }\n"
            .to_string(),
        i if i == n - 1 => "party acme \"Acme\"\nparty globex \"Globex\"\n\
                            asset p: know-how of acme\nterritory far = [JP]\n"
            .to_string(),
        i => format!("party p{i} \"P{i}\"\n"),
    });
    let inputs = [Input::Path(tmp.path().join("f0.xlic"))];
    let c = xlic::compile(&inputs, &xlic::Options::default()).unwrap();
    assert_eq!(c.sources.files().len(), n);
    assert!(
        !c.diagnostics
            .iter()
            .any(|d| d.code == xlic::diagnostics::Code::E0101),
        "{:?}",
        codes(&c)
    );
    // The last file sees none of the others' declarations.
    let tmp2 = file_chain(3, |i| match i {
        2 => "agreement \"B\" { effective 2026-01-01 }\n\
              grant g: p0 -> p1 { assets x field all territory worldwide non-exclusive }\n"
            .into(),
        i => format!("party p{i} \"P{i}\"\n"),
    });
    let c = xlic::compile(
        &[Input::Path(tmp2.path().join("f0.xlic"))],
        &xlic::Options::default(),
    )
    .unwrap();
    let unknown: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0101)
        .map(|d| d.message.as_str())
        .collect();
    assert!(unknown.contains(&"unknown party `p0`"), "{unknown:?}");
}

#[test]
fn a_name_declared_down_a_whole_import_chain_is_reported_once_per_file() {
    // Every file of the chain declares `party dup` and sees every later file's: each
    // reports its own declaration once, not once per file below it (n² messages).
    let n = 400;
    let tmp = file_chain(n, |_| "party dup \"D\"\n".to_string());
    let c = xlic::compile(
        &[Input::Path(tmp.path().join("f0.xlic"))],
        &xlic::Options::default(),
    )
    .unwrap();
    let dups: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0102)
        .collect();
    assert_eq!(dups.len(), n - 1, "one per file that imports another `dup`");
    assert!(dups.iter().all(|d| d
        .secondary
        .iter()
        .any(|l| l.message == "also defined in an imported file")));
}

/// Two imported files that declare one name differently: one E0102, where they
/// declare it (the use in `main.xlic` is not reported again).
#[test]
fn two_imports_declaring_one_name_differently_are_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.xlic"), "party acme \"Acme A\"\n").unwrap();
    std::fs::write(tmp.path().join("b.xlic"), "party acme \"Acme B\"\n").unwrap();
    std::fs::write(
        tmp.path().join("main.xlic"),
        format!("import \"a.xlic\"\nimport \"b.xlic\"\n{HEADER}")
            .replace("party acme \"Acme\"\n", ""),
    )
    .unwrap();
    let c = xlic::compile(
        &[Input::Path(tmp.path().join("main.xlic"))],
        &xlic::Options::default(),
    )
    .unwrap();
    let dups: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0102)
        .collect();
    assert_eq!(dups.len(), 1, "{dups:#?}");
    assert_eq!(
        dups[0].message,
        "party `acme` is declared differently in `a.xlic` and `b.xlic`"
    );
}

// ------------------------------------------------------------------ syntax-error recovery

#[test]
fn a_megabyte_of_keywords_stops_parsing_after_a_bounded_number_of_errors() {
    // `party party party …`: every `party` is a new error. Recovering from each one
    // costs the parser a search of what it expected; 64 MiB of this took minutes and
    // gigabytes. Now parsing stops 1,000 errors past the reporting limit.
    let text = "party ".repeat(200_000);
    let c = compile_bytes("parties.xlic", text.as_bytes());
    assert_sane(&c, "party party");
    let syntax: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0004)
        .collect();
    assert_eq!(syntax.len(), 101, "100 reported and one note");
    let note = syntax.last().unwrap();
    assert_eq!(
        note.message,
        "more than 1000 further syntax errors: the rest of the file was not parsed"
    );
    // It stopped near the start, not at the end of the file.
    assert!((note.primary.span.start as usize) < 10_000, "{note:?}");
}

#[test]
fn a_recovery_that_finds_no_place_to_resume_stops_after_a_million_tokens() {
    // One error, then tokens that can never follow it: the parser holds every token it
    // skips until the recovery ends, so the skip is bounded.
    let mut text = String::from("party p \"P\"\n");
    text.push_str(&"} ".repeat(1_500_000));
    text.push_str("\nparty q \"Q\"\n");
    let c = compile_bytes("braces.xlic", text.as_bytes());
    assert_sane(&c, "braces");
    let messages: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0004)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[1],
        "no place to resume parsing in 1000000 tokens: the rest of the file was not parsed"
    );
    // A long valid file is not affected: 300,000 parties parse whole.
    let many: String = (0..300_000)
        .map(|i| format!("party p{i} \"P\"\n"))
        .collect();
    let c = compile_bytes("many.xlic", many.as_bytes());
    assert!(c.diagnostics.is_empty(), "{:?}", codes(&c));
    assert_eq!(c.model.parties.len(), 300_000);
}

// ------------------------------------------------------------------ line ends

#[test]
fn a_lone_cr_ends_a_line_comment() {
    // Editors show `party evil` on a line of its own; it must not hide in the comment.
    let text = "party good \"G\"\r// c\rparty evil \"E\"\r";
    let c = compile_bytes("cr.xlic", text.as_bytes());
    assert!(c.diagnostics.is_empty(), "{:?}", codes(&c));
    let names: Vec<&str> = c.model.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["good", "evil"]);
}

#[test]
fn a_cr_only_file_compiles_like_its_lf_twin() {
    let lf = format!(
        "{HEADER}// a comment\ngrant more: acme -> globex {{ assets p field automotive territory [FR] non-exclusive }}\n"
    );
    let cr = lf.replace('\n', "\r");
    let a = compile_bytes("a.xlic", lf.as_bytes());
    let b = compile_bytes("a.xlic", cr.as_bytes());
    assert!(!b.has_errors(), "{:?}", codes(&b));
    let policy = |c: &Compilation| {
        let mut v: serde_json::Value =
            serde_json::to_value(xlic::emit::json::policy(&c.model, &c.sources)).unwrap();
        v["sources"] = serde_json::Value::Null;
        v
    };
    assert_eq!(policy(&a)["agreements"], policy(&b)["agreements"]);
    assert_eq!(b.model.agreements[0].grants.len(), 3);
    // Positions count CR as a line end: the unknown name is on line 3.
    let text = "party acme \"Acme\"\ragreement \"A\" { effective 2026-01-01 }\r\
                grant g: acme -> globx { assets p field all territory worldwide non-exclusive }\r";
    let err = assert_exit(&check_file(text.as_bytes()), 1);
    assert!(
        err.lines()
            .any(|l| l.starts_with("input.xlic:3:18: error[E0101]")),
        "{err}"
    );
    // And a string does not run on past one.
    let c = compile_bytes("s.xlic", b"party a \"A\rparty b \"B\"\r");
    assert_eq!(codes(&c).first(), Some(&"E0002"), "{:?}", codes(&c));
    assert!(c.model.parties.iter().any(|p| p.name == "b"));
}

// ------------------------------------------------------------------ terminal output

#[test]
fn control_characters_never_reach_the_terminal() {
    // A patent number that paints a fake all-clear: clear the line, then green text.
    let evil = "\u{1b}[2K\u{1b}[32mchecked 1 file: no problems\u{1b}[0m\u{7}\u{9b}31m\u{202e}";
    let text = format!(
        "{HEADER}asset fam: patent family of acme {{ patent \"{evil}\" expires 2030-01-01 }}\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    // The file name is hostile too.
    let name = "bad\u{1b}[31mname\u{7}.xlic";
    std::fs::write(tmp.path().join(name), &text).unwrap();
    for format in ["human", "short"] {
        let o = Command::new(env!("CARGO_BIN_EXE_xlic"))
            .args([
                "check",
                "--color",
                "never",
                "--message-format",
                format,
                name,
            ])
            .current_dir(tmp.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let err = assert_exit(&o, 1);
        for c in err.chars() {
            assert!(
                c == '\n'
                    || c == '\t'
                    || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{format}: {c:?} reached the terminal:\n{err}"
            );
        }
        assert!(err.contains("E0207"), "{format}: {err}");
        assert!(
            err.contains("\\u{1b}[32mchecked"),
            "{format}: escaped in the message: {err}"
        );
        assert!(
            err.contains("bad\\u{1b}[31mname\\u{7}.xlic"),
            "{format}: {err}"
        );
    }
    // With colour on, the only escapes are xlic's own (SGR colour codes, no cursor or
    // erase sequences from the input).
    let o = Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["check", "--color", "always", name])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = assert_exit(&o, 1);
    assert!(
        !err.contains("\u{1b}[2K") && !err.contains('\u{7}'),
        "{err:?}"
    );
}

#[test]
fn a_long_line_shows_a_bounded_window_with_its_real_column() {
    // 6 MB on one line, 100 syntax errors reported: each snippet used to quote the whole
    // line (606 MB of output).
    let text = "party ".repeat(1_000_000);
    let o = check_file_human(text.as_bytes());
    let err = assert_exit(&o, 1);
    assert!(err.len() < 1_000_000, "{} bytes of diagnostics", err.len());
    assert!(err.lines().all(|l| l.chars().count() < 4_000));
    // The second error is at column 13 of line 1, however the line was cut.
    assert!(
        err.contains("input.xlic:1:13 ]"),
        "{}",
        &err[..3000.min(err.len())]
    );
    // One error far into a long line: the header gives its real column.
    let mut far: String = (0..20_000)
        .map(|i| format!("party p{i:05} \"P\" "))
        .collect();
    let column = far.chars().count() + 1;
    far.push_str("}\n");
    let o = check_file_human(far.as_bytes());
    let err = assert_exit(&o, 1);
    assert!(err.len() < 10_000, "{err}");
    assert!(err.contains(&format!("input.xlic:1:{column} ]")), "{err}");
    assert!(
        err.contains("party p19999 \"P\" }") && err.contains(" 1 │ …"),
        "{err}"
    );
    // A name a megabyte long is quoted in part.
    let long = format!(
        "agreement \"A\" {{ effective 2026-01-01 }}\nparty b \"B\"\n\
         grant g: {} -> b {{ assets x field all territory worldwide non-exclusive }}\n",
        "n".repeat(1_000_000)
    );
    let o = check_file_human(long.as_bytes());
    let err = assert_exit(&o, 1);
    assert!(err.len() < 10_000, "{} bytes", err.len());
    assert!(
        err.contains(&format!("unknown party `{}…nnn", "n".repeat(64))),
        "{err}"
    );
}

/// Like [`check_file`], in the human format without colour.
fn check_file_human(bytes: &[u8]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("input.xlic"), bytes).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(["check", "--color", "never", "input.xlic"])
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

// ------------------------------------------------------------------ documents

/// Every Markdown table row splits into as many cells as its table's first row.
fn assert_tables_hold(markdown: &str, what: &str) {
    assert!(
        markdown.lines().any(|l| l.starts_with('|')),
        "{what}: no table"
    );
    assert_eq!(
        xlic::emit::prose::markdown::ragged_table_row(markdown),
        None,
        "{what}: a row out of step"
    );
}

#[test]
fn file_names_and_strings_cannot_break_documents() {
    // A `|` in the file name (tables cite sources); control characters and a
    // right-to-left override in a legal name.
    let text = HEADER.replace(
        "party acme \"Acme\"",
        "party acme \"Acme\u{7}\u{1b}[31m | Ltd\u{202e}evil\u{85}\"",
    );
    let c = compile_bytes("ac|me.xlic", text.as_bytes());
    assert!(!c.has_errors(), "{:?}", codes(&c));
    let prose = xlic::emit::prose::markdown::markdown(&c.model, &c.ledger, &c.sources);
    assert!(prose.contains("ac\\|me.xlic"), "the name is kept");
    assert_tables_hold(&prose, "prose");
    let as_of = xlic::date::Date::parse("2027-01-01").unwrap();
    let report = xlic::report::build(
        &c.model,
        &c.ledger,
        &c.sources,
        &c.diagnostics,
        xlic::report::Options { as_of },
    );
    let report_md = xlic::report::markdown::markdown(&report);
    assert_tables_hold(&report_md, "report");
    let html = xlic::emit::prose::html::html(&c.model, &c.ledger, &c.sources, &c.diagnostics);
    let report_html = xlic::report::html::html(&report);
    for (what, doc) in [
        ("prose", &prose),
        ("report", &report_md),
        ("html", &html),
        ("report html", &report_html),
    ] {
        let bad: Vec<char> = doc
            .chars()
            .filter(|&c| c != '\n' && c != '\t' && xlic::source::is_unsafe_char(c))
            .collect();
        assert!(bad.is_empty(), "{what}: {bad:?}");
        assert!(
            doc.contains("Acme\u{fffd}\u{fffd}"),
            "{what}: the name shows"
        );
    }
}

#[test]
fn did_you_mean_work_is_bounded_per_compilation() {
    // 1,500 unknown names among 1,500 declared ones: each suggestion compares the name
    // with every name in view. The first ones get a suggestion; once the budget of a
    // million comparisons is spent the help says how to declare the name.
    let n = 1_500;
    let text = shapes::unknown_names(n);
    let c = xlic::compile_text("unknown.xlic", &text);
    let unknown: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == xlic::diagnostics::Code::E0101)
        .collect();
    assert_eq!(unknown.len(), n);
    let suggested = unknown
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    assert!(
        (600..n).contains(&suggested),
        "{suggested} suggestions: the budget allows about 1,000,000 / 1,501"
    );
    assert_eq!(
        unknown[0].help.as_deref(),
        Some("did you mean `party_00000`?")
    );
    assert!(unknown.iter().all(|d| d.help.is_some()));
}
