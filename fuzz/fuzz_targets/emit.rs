//! Arbitrary bytes, compiled, then written in every output format: the JSON policy,
//! Markdown, HTML, DOCX, ODRL, the portfolio report and the redline (see
//! `common/outputs.rs` for what is asserted). Seeded with the examples, so that most
//! mutations still compile and reach the emitters.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/outputs.rs"]
mod outputs;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let c = xlic::compile_text("fuzz.xlic", &text);
    outputs::check_all(&c, &text);
});
