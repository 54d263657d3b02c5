//! `xlic-lsp`: the xlic language server, speaking the Language Server Protocol over
//! stdio (the binary, `main.rs`) or any byte stream ([`serve`], for the benchmarks and
//! the fuzz target). It converts between the protocol (UTF-16 positions, URIs, JSON) and the
//! library (`xlic::ide`, byte offsets and spans); it has no compiler logic of its own.
//!
//! One module per feature family: `diagnostics` (the worker that publishes as you
//! type), `hover`, `navigate` (definition, references, rename), `completion`, `symbols`
//! (outline, folding), `tokens` (semantic tokens), `actions` (quick fixes), `hints`
//! (inlay hints), `format`; `workspace` the index of every `*.xlic` under the
//! workspace folders; `state` keeps the documents and analyses, `convert` and
//! `request` the conversions every handler shares; `frame` the guard that reads
//! and checks the client's messages before tower-lsp sees them.

mod actions;
mod completion;
mod convert;
mod diagnostics;
mod format;
pub mod frame;
mod hints;
mod hover;
mod navigate;
mod request;
mod server;
mod state;
mod symbols;
mod tokens;
mod workspace;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp::{LspService, Server};

/// The largest message accepted by default: 64 MiB, the compiler's own limit on one
/// file (a document a little over it is refused by the compiler in any case).
pub const DEFAULT_MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;

/// How the server is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The largest message body (its `Content-Length`) accepted; larger messages are
    /// skipped with a JSON-RPC error. `initializationOptions.maxMessageBytes` may
    /// change it.
    pub max_message_bytes: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The client sent `shutdown` before the stream ended or it sent `exit`.
    pub shutdown: bool,
}

impl Outcome {
    /// The process exit code the protocol asks for: 0 after `shutdown`, 1 otherwise
    /// (`exit` without `shutdown`, or the client closed the stream).
    pub fn exit_code(self) -> i32 {
        if self.shutdown {
            0
        } else {
            1
        }
    }
}

/// Serves one client: reads its messages from `input` and writes the server's to
/// `output`, until the input ends or the client sends `exit`. Every message passes
/// through the framing guard (`frame`) first, so no byte sequence stops the loop
/// before the end of the input.
pub async fn serve<I, O>(input: I, output: O, options: Options) -> Outcome
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let shared = Arc::new(state::Shared::default());
    let mut worker = None;
    let (service, socket) = LspService::build(|client| {
        worker = Some(tokio::spawn(diagnostics::worker(
            client.clone(),
            shared.clone(),
        )));
        server::Backend::new(client, shared.clone())
    })
    .custom_method("xlic/documentText", server::Backend::document_text)
    .finish();

    // guard → tower-lsp, and tower-lsp → output (where the guard's own error
    // answers are slipped in between whole messages).
    let (to_server, server_in) = tokio::io::duplex(frame::PIPE_BYTES);
    let (server_out, from_server) = tokio::io::duplex(frame::PIPE_BYTES);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel();
    let awaited = Arc::new(frame::Awaited::default());
    let reader = tokio::spawn(frame::read_input(
        input,
        to_server,
        errors_tx,
        awaited.clone(),
        options.max_message_bytes,
    ));
    let writer = tokio::spawn(frame::write_output(from_server, errors_rx, awaited, output));

    Server::new(server_in, server_out, socket)
        .serve(service)
        .await;

    reader.abort();
    shared.stop();
    if let Some(w) = worker {
        let _ = w.await;
    }
    let _ = writer.await;
    Outcome {
        shutdown: shared.shutdown.load(Ordering::SeqCst),
    }
}
