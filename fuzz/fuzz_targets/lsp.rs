//! Arbitrary bytes as the client's side of a language-server session: the whole stream
//! goes through the server's message loop (`xlic_lsp::serve`: the framing guard, then
//! tower-lsp and every handler) in process, on a current-thread tokio runtime, with
//! the output thrown away. Any panic is a crash (libFuzzer's panic hook aborts, even
//! where the server would catch it); a run that does not end within 5 seconds of the
//! input's end is cut short, and libFuzzer's `-timeout` reports real hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let input = std::io::Cursor::new(data.to_vec());
    let options = xlic_lsp::Options {
        // Small, so that the fuzzer also reaches the refusal of large messages.
        max_message_bytes: 64 * 1024,
    };
    runtime.block_on(async {
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            xlic_lsp::serve(input, tokio::io::sink(), options),
        )
        .await;
    });
});
