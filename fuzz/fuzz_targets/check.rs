//! Arbitrary bytes through the whole compiler, then every diagnostic rendered in all
//! formats (human with and without colour, short, JSON lines, SARIF).
#![no_main]

use libfuzzer_sys::fuzz_target;
use xlic::diagnostics::{render, sarif};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let c = xlic::compile_text("fuzz.xlic", &text);
    let _ = render::render_human(&c.diagnostics, &c.sources, false);
    let _ = render::render_human(&c.diagnostics, &c.sources, true);
    let _ = render::render_short(&c.diagnostics, &c.sources);
    let _ = render::render_json_lines(&c.diagnostics, &c.sources);
    let _ = render::summary(&c.diagnostics);
    let options = sarif::Options {
        root: std::path::PathBuf::from("/"),
        omitted: 0,
    };
    let _ = sarif::render_sarif(&c.diagnostics, &c.sources, &options);
});
