//! The session loop in process (`xlic_lsp::serve`), as the `lsp` fuzz target runs it:
//! the fuzz seeds and every pinned regression input in `fuzz/regressions/lsp/` must
//! run to the end without a panic, within a bounded time, on a current-thread runtime.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::AsyncWrite;

/// An output that keeps what the server wrote.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl AsyncWrite for Captured {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Runs one input the way the fuzz target does; the messages written and the outcome.
fn run(input: &[u8]) -> (Vec<Value>, xlic_lsp::Outcome) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = Captured::default();
    let options = xlic_lsp::Options {
        max_message_bytes: 64 * 1024,
    };
    let outcome = runtime
        .block_on(async {
            tokio::time::timeout(
                Duration::from_secs(20),
                xlic_lsp::serve(std::io::Cursor::new(input.to_vec()), out.clone(), options),
            )
            .await
        })
        .expect("the session ends within 20 s");
    let bytes = out.0.lock().unwrap().clone();
    (split(&bytes), outcome)
}

/// The messages of a server's output.
fn split(mut bytes: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = std::str::from_utf8(&bytes[..end]).unwrap();
        let len: usize = header
            .strip_prefix("Content-Length: ")
            .expect("the server writes Content-Length")
            .parse()
            .unwrap();
        let body = &bytes[end + 4..end + 4 + len];
        out.push(serde_json::from_slice(body).expect("the server writes JSON"));
        bytes = &bytes[end + 4 + len..];
    }
    assert!(
        bytes.is_empty(),
        "a partial message at the end of the output"
    );
    out
}

fn inputs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(dir);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn every_fuzz_seed_runs_to_the_end_and_answers() {
    let seeds = inputs("corpus/lsp");
    assert!(seeds.len() >= 3, "seeds in fuzz/corpus/lsp");
    let mut hovers = 0;
    for seed in seeds {
        let (messages, outcome) = run(&std::fs::read(&seed).unwrap());
        // The seeds send everything at once, without waiting for any answer: the
        // guard holds the rest back until `initialize` and `shutdown` are answered.
        assert!(outcome.shutdown, "{}", seed.display());
        let answers = messages.iter().filter(|m| m.get("id").is_some()).count();
        assert!(answers >= 10, "{}: {answers} answers", seed.display());
        let refused = messages
            .iter()
            .filter(|m| m["error"]["code"] == -32002)
            .count();
        assert_eq!(refused, 0, "{}: refused as not initialized", seed.display());
        hovers += messages
            .iter()
            .filter(|m| m["result"]["contents"]["kind"] == "markdown")
            .count();
    }
    assert!(hovers > 0, "some hover was answered");
}

#[test]
fn every_pinned_regression_runs_without_a_panic() {
    for input in inputs("regressions/lsp") {
        let _ = run(&std::fs::read(&input).unwrap());
    }
}

#[test]
fn garbage_alone_gets_one_parse_error_and_exit_code_1() {
    let (messages, outcome) = run(b"\x00\x01 not a header at all \xff\r\n\r\n{}");
    assert_eq!(outcome.exit_code(), 1);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["error"]["code"], -32700);
}
