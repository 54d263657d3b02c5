//! `xlic-lsp`: the xlic language server, speaking the Language Server Protocol over
//! stdio. It converts between the protocol (UTF-16 positions, URIs, JSON) and the
//! library (`xlic::ide`, byte offsets and spans); it has no compiler logic of its own.
//!
//! One module per feature family: `diagnostics` (the worker that publishes as you
//! type), `hover`, `navigate` (definition, references, rename), `completion`, `symbols`
//! (outline, folding), `tokens` (semantic tokens), `actions` (quick fixes), `hints`
//! (inlay hints), `format`; `state` keeps the documents and analyses, `convert` and
//! `request` the conversions every handler shares.

mod actions;
mod completion;
mod convert;
mod diagnostics;
mod format;
mod hints;
mod hover;
mod navigate;
mod request;
mod server;
mod state;
mod symbols;
mod tokens;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use tower_lsp::{LspService, Server};

const HELP: &str = "xlic-lsp: the language server for .xlic agreements

Usage: xlic-lsp [--stdio]

Speaks the Language Server Protocol over standard input and output (the default;
`--stdio` is accepted for editors that pass it). See docs/lsp.md.";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("xlic-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{HELP}");
        return;
    }
    if let Some(other) = args.iter().find(|a| a.as_str() != "--stdio") {
        eprintln!("xlic-lsp: unknown argument `{other}`\n\n{HELP}");
        std::process::exit(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("xlic-lsp: cannot start: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(serve());
    // The stdin reader may still be blocked in a read: do not wait for it.
    let code = if server::SHUTDOWN.load(Ordering::SeqCst) {
        0
    } else {
        1
    };
    std::process::exit(code);
}

async fn serve() {
    let shared = Arc::new(state::Shared::default());
    let (service, socket) = LspService::build(|client| {
        tokio::spawn(diagnostics::worker(client.clone(), shared.clone()));
        server::Backend::new(client, shared.clone())
    })
    .custom_method("xlic/documentText", server::Backend::document_text)
    .finish();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}
