//! The `xlic-lsp` binary: the language server over stdio (see `lib.rs`).

const HELP: &str = "xlic-lsp: the language server for .xlic agreements

Usage: xlic-lsp [--stdio] [--max-message-bytes N]

Speaks the Language Server Protocol over standard input and output (the default;
`--stdio` is accepted for editors that pass it). See docs/lsp.md.

Options:
  --max-message-bytes N  refuse messages whose body is larger than N bytes
                         (default 67108864, 64 MiB)

Exit status: 0 after `shutdown` and `exit` (or the end of input after `shutdown`),
1 when the input ends or `exit` comes without `shutdown`, 2 on bad arguments.";

/// jemalloc, not the system's: a server lives for hours, and glibc's malloc kept the
/// memory of a closed 50k-line document in the process (88 MiB resident after closing
/// it, for good); jemalloc's background thread gives freed pages back to the system
/// (22 MiB five seconds after closing it; docs/performance.md). The decay settings are
/// compiled in from `.cargo/config.toml`; the background thread is turned on in `main`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn usage_error(message: &str) -> ! {
    eprintln!("xlic-lsp: {message}\n\n{HELP}");
    std::process::exit(2);
}

fn main() {
    // Purge freed memory in the background: the build compiles in only the decay
    // times, since the command line is better off without the thread (issue 19);
    // nothing to do if it cannot.
    #[cfg(not(target_env = "msvc"))]
    let _ = tikv_jemalloc_ctl::background_thread::write(true);
    let mut options = xlic_lsp::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--version" | "-V" => {
                println!("xlic-lsp {}", env!("CARGO_PKG_VERSION"));
                return;
            }
            "--help" | "-h" => {
                println!("{HELP}");
                return;
            }
            "--stdio" => {}
            "--max-message-bytes" => {
                let value = args.next().unwrap_or_default();
                match value.parse::<u64>() {
                    Ok(n) if n > 0 => options.max_message_bytes = n,
                    _ => usage_error(&format!(
                        "--max-message-bytes needs a positive number of bytes, not `{value}`"
                    )),
                }
            }
            other => usage_error(&format!("unknown argument `{other}`")),
        }
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
    let outcome = runtime.block_on(xlic_lsp::serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        options,
    ));
    // The stdin reader may still be blocked in a read: do not wait for it.
    std::process::exit(outcome.exit_code());
}
