//! Cancelling a compilation between its stages (the language server stops analysing a
//! version once a newer edit has arrived): asked at every stage, it stops there and
//! says so; never asked to stop, it gives exactly what `compile` gives.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use xlic::{compile, compile_unless_cancelled, Cancel, Input, Options};

fn inputs() -> Vec<Input> {
    vec![Input::Path(PathBuf::from(
        "tests/fixtures/conflicts/err/E0301_exclusive_against_retained_rights.xlic",
    ))]
}

/// A cancel that says yes from its `n`-th question on, and counts the questions.
fn after(n: usize) -> (Cancel, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let count = asked.clone();
    let cancel = Cancel::new(move || count.fetch_add(1, Ordering::SeqCst) + 1 >= n);
    (cancel, asked)
}

fn with(cancel: Cancel) -> Options {
    Options {
        cancel: Some(cancel),
        ..Options::default()
    }
}

#[test]
fn a_compilation_cancelled_at_any_stage_stops_there() {
    let (cancel, asked) = after(usize::MAX);
    let whole = compile_unless_cancelled(&inputs(), &with(cancel));
    let stages = asked.load(Ordering::SeqCst);
    assert!(
        stages >= 4,
        "asked only {stages} times: not between every stage"
    );
    assert!(matches!(whole, Ok(Some(_))));
    for n in 1..=stages {
        let (cancel, asked) = after(n);
        let result = compile_unless_cancelled(&inputs(), &with(cancel));
        assert!(
            matches!(result, Ok(None)),
            "cancelled at question {n}, the compilation went on"
        );
        assert_eq!(
            asked.load(Ordering::SeqCst),
            n,
            "asked again after it said yes"
        );
    }
}

#[test]
fn a_compilation_never_cancelled_is_the_plain_one() {
    let plain = compile(&inputs(), &Options::default()).unwrap();
    assert!(plain.diagnostics.iter().any(|d| d.code.as_str() == "E0301"));
    let (cancel, _) = after(usize::MAX);
    let asked = compile_unless_cancelled(&inputs(), &with(cancel))
        .unwrap()
        .unwrap();
    assert_eq!(
        format!("{:?}", plain.diagnostics),
        format!("{:?}", asked.diagnostics)
    );
    // `compile` itself never asks: a cancel that always says yes changes nothing.
    let (always, questions) = after(1);
    let ignored = compile(&inputs(), &with(always)).unwrap();
    assert_eq!(questions.load(Ordering::SeqCst), 0);
    assert_eq!(
        format!("{:?}", plain.diagnostics),
        format!("{:?}", ignored.diagnostics)
    );
}
