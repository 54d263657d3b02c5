//! A large file is parsed in parts on several threads (`syntax::parser::parse_in_parts`,
//! `parse_cut_at`): the joined result is exactly the one-piece parse's, or there is no
//! result and the file is parsed in one piece. Checked with cuts at line starts of
//! every example and fixture, with random edits that break the text, with cuts inside
//! comments, blocks and lists, and on a generated portfolio.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::xlic_texts;
use crate::reparse::edit;
use xlic::limits::Limits;
use xlic::source::FileId;
use xlic::syntax::parser::{parse_cut_at, parse_in_parts, parse_whole};
use xlic::syntax::Parsed;
use xlic_testkit::Rng;

#[path = "../../benches/workload/mod.rs"]
mod workload;

/// The offsets just after each line break of `text`.
fn line_starts(text: &str) -> Vec<usize> {
    text.match_indices('\n')
        .map(|(i, _)| i + 1)
        .filter(|&i| i < text.len())
        .collect()
}

fn same(a: &Parsed, b: &Parsed) -> bool {
    a.ast.items.len() == b.ast.items.len()
        && a.ast.comments == b.ast.comments
        && format!("{:?}", a.diagnostics) == format!("{:?}", b.diagnostics)
        && a.ast
            .items
            .iter()
            .zip(&b.ast.items)
            .all(|(x, y)| format!("{x:?}") == format!("{y:?}"))
}

/// Cuts `text` at `cuts`; a result must be the whole parse's. Returns whether there
/// was one.
fn check_cuts(label: &str, text: &str, cuts: &[usize], whole: &Parsed) -> bool {
    let limits = Limits::default();
    let Some(parts) = parse_cut_at(FileId(0), text, &limits, cuts) else {
        return false;
    };
    if !same(&parts, whole) {
        let (line, want, got) = crate::common::first_difference(whole, &parts);
        panic!(
            "{label}: cut at {cuts:?}, the parts differ from the whole parse at line {line}\n--- text ---\n{text}\n--- whole ---\n{want}\n--- parts ---\n{got}"
        );
    }
    true
}

/// How many cut texts were joined from their pieces, and how many were left to the
/// whole parse.
#[derive(Debug, Default)]
struct Tally {
    joined: usize,
    refused: usize,
}

impl Tally {
    fn add(&mut self, joined: bool) {
        if joined {
            self.joined += 1;
        } else {
            self.refused += 1;
        }
    }
}

#[test]
fn cuts_at_line_starts_give_the_whole_parse() {
    let mut rng = Rng::new(0x5EED_0019);
    let mut tally = Tally::default();
    for (path, text) in xlic_texts() {
        let whole = parse_whole(FileId(0), &text, &Limits::default());
        let starts = line_starts(&text);
        if starts.is_empty() {
            continue;
        }
        let label = path.display().to_string();
        // Every line start of the smaller files, a sample of the larger ones.
        let singles: Vec<usize> = if starts.len() <= 60 {
            starts.clone()
        } else {
            (0..60).map(|_| *rng.pick(&starts)).collect()
        };
        for cut in singles {
            tally.add(check_cuts(&label, &text, &[cut], &whole));
        }
        // Two and three cuts at once.
        for n in [2, 3] {
            for _ in 0..6 {
                let mut cuts: Vec<usize> = (0..n).map(|_| *rng.pick(&starts)).collect();
                cuts.sort_unstable();
                cuts.dedup();
                tally.add(check_cuts(&label, &text, &cuts, &whole));
            }
        }
    }
    // Both ways must be common, or one of them is not tested.
    assert!(tally.joined > 1_000 && tally.refused > 1_000, "{tally:?}");
    println!("{tally:?}");
}

#[test]
fn cuts_in_broken_texts_give_the_whole_parse() {
    let mut rng = Rng::new(0x5EED_1019);
    let mut tally = Tally::default();
    for (path, original) in xlic_texts() {
        let mut text = original.clone();
        let mut hint = rng.below(text.len() + 1);
        for _ in 0..8 {
            hint = edit(&mut rng, &mut text, hint);
            let starts = line_starts(&text);
            if starts.is_empty() {
                continue;
            }
            let whole = parse_whole(FileId(0), &text, &Limits::default());
            for _ in 0..4 {
                let cut = *rng.pick(&starts);
                tally.add(check_cuts(
                    &path.display().to_string(),
                    &text,
                    &[cut],
                    &whole,
                ));
            }
        }
    }
    // Cuts of texts that still parse cleanly must be joined, and the others not.
    assert!(tally.joined > 300 && tally.refused > 1_000, "{tally:?}");
    println!("{tally:?}");
}

/// Cuts inside a block comment, a block and a list (a string ends on its line), at line starts that
/// look like items, and cuts that are not at a line start: never a wrong tree.
#[test]
fn cuts_inside_strings_comments_and_blocks_are_refused() {
    let text = "party acme \"Acme Robotics, Inc.\" { short \"Acme\" }\n\n\
party globex \"Globex\"\n\n\
/* a comment\n\nparty fake \"Fake\"\n*/\n\n\
party initech \"Initech\" {\n\nshort \"Initech\"\n}\n\n\
territory t = [DE,\n\nFR]\n\n\
party hooli \"Hooli\"\n";
    let whole = parse_whole(FileId(0), text, &Limits::default());
    assert!(whole.diagnostics.is_empty(), "{:?}", whole.diagnostics);
    let inside = [
        text.find("party fake").unwrap(),
        text.find("short \"Initech\"").unwrap(),
        text.find("FR]").unwrap(),
    ];
    for cut in inside {
        assert!(
            !check_cuts("traps", text, &[cut], &whole),
            "the pieces cut at {cut} ({:?}) were joined",
            &text[cut..cut + 8]
        );
    }
    // Not after a line break, or out of order: refused without parsing.
    let limits = Limits::default();
    let mid_line = text.find("acme").unwrap();
    assert!(parse_cut_at(FileId(0), text, &limits, &[mid_line]).is_none());
    let globex = text.find("party globex").unwrap();
    let hooli = text.find("party hooli").unwrap();
    assert!(parse_cut_at(FileId(0), text, &limits, &[hooli, globex]).is_none());
    // Between items, the pieces are joined.
    assert!(check_cuts("traps", text, &[globex, hooli], &whole));
    let parts = parse_in_parts(FileId(0), text, &limits, 2);
    assert!(parts.is_none_or(|p| same(&p, &whole)));
}

/// A generated portfolio (over a megabyte) is cut where items start, and its parts
/// join into the one-piece tree, for two to eight parts.
#[test]
fn a_portfolio_parses_in_parts_as_in_one_piece() {
    let w = workload::portfolio(4_000, 200, 40, 0x5EED_2019);
    let limits = Limits::default();
    let whole = parse_whole(FileId(3), &w.source, &limits);
    assert!(whole.diagnostics.is_empty());
    for parts in 2..=8 {
        let joined = parse_in_parts(FileId(3), &w.source, &limits, parts)
            .unwrap_or_else(|| panic!("the portfolio was not parsed in {parts} parts"));
        assert!(same(&joined, &whole), "{parts} parts differ from one piece");
    }
    // The same file through the entry point every command uses.
    let parsed = xlic::syntax::parser::parse_with(FileId(3), &w.source, &limits);
    assert!(same(&parsed, &whole));
    // Written with Windows line breaks, it is cut too.
    let crlf = w.source.replace('\n', "\r\n");
    let whole = parse_whole(FileId(3), &crlf, &limits);
    assert!(whole.diagnostics.is_empty());
    let joined = parse_in_parts(FileId(3), &crlf, &limits, 4)
        .expect("the portfolio with \\r\\n line breaks was not parsed in parts");
    assert!(same(&joined, &whole), "4 parts of the \\r\\n text differ");
}
