//! Arbitrary bytes through the whole compiler, then every diagnostic rendered in all
//! formats (human with and without colour, short, JSON lines, SARIF). Asserted: the
//! human (colour off) and short formats hold no control character (`\n` and `\t`
//! aside), and the short format is one line per diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xlic::diagnostics::{render, sarif};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let c = xlic::compile_text("fuzz.xlic", &text);
    // The terminal formats never pass a control character through (colour off).
    let human = render::render_human(&c.diagnostics, &c.sources, false);
    let short = render::render_short(&c.diagnostics, &c.sources);
    for (what, out) in [("human", &human), ("short", &short)] {
        let bad: Vec<char> = out
            .chars()
            .filter(|&ch| !matches!(ch, '\n' | '\t') && xlic::source::is_unsafe_char(ch))
            .collect();
        assert!(bad.is_empty(), "{what} output holds {bad:?}:\n{text}");
    }
    assert_eq!(short.lines().count(), c.diagnostics.len(), "one line each:\n{text}");
    let _ = render::render_human(&c.diagnostics, &c.sources, true);
    let _ = render::render_json_lines(&c.diagnostics, &c.sources);
    let _ = render::summary(&c.diagnostics);
    let options = sarif::Options::new(std::path::PathBuf::from("/"));
    let _ = sarif::render_sarif(&c.diagnostics, &c.sources, &options);
});
