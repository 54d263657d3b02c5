//! Arbitrary bytes, decoded lossily as UTF-8, through the parser; and the same text
//! cut at a line start chosen by the input, as a large file is parsed in parts: the
//! parts are joined only into the tree and diagnostics of the one-piece parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xlic::limits::Limits;
use xlic::source::FileId;
use xlic::syntax::parser::{parse_cut_at, parse_whole};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits::default();
    let whole = parse_whole(FileId(0), &text, &limits);
    let starts: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .filter(|&i| i < text.len())
        .collect();
    if starts.is_empty() {
        return;
    }
    let pick = data.first().map_or(0, |&b| usize::from(b)) % starts.len();
    let cut = starts.get(pick).copied().unwrap_or(0);
    if let Some(parts) = parse_cut_at(FileId(0), &text, &limits, &[cut]) {
        assert_eq!(
            format!("{parts:?}"),
            format!("{whole:?}"),
            "the parts cut at {cut} differ from the one-piece parse"
        );
    }
});
