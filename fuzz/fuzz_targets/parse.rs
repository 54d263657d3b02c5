//! Arbitrary bytes, decoded lossily as UTF-8, through the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xlic::source::FileId;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = xlic::syntax::parse(FileId(0), &text);
});
