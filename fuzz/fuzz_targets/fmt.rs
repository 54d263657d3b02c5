//! The formatter: when it accepts a text, its output is a fixed point (formatting it
//! again changes nothing) and compiles to the same diagnostic codes as the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn codes(text: &str) -> Vec<&'static str> {
    let c = xlic::compile_text("fuzz.xlic", text);
    let mut codes: Vec<&'static str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(once) = xlic::fmt::format_source(&text) else {
        return;
    };
    let twice = match xlic::fmt::format_source(&once) {
        Ok(t) => t,
        Err(diags) => panic!(
            "formatted output does not parse again: {:?}\n--- input\n{text}\n--- formatted\n{once}",
            diags.iter().map(|d| d.code).collect::<Vec<_>>()
        ),
    };
    assert_eq!(
        once, twice,
        "formatting is not idempotent\n--- input\n{text}\n--- formatted once\n{once}\n--- formatted twice\n{twice}"
    );
    let before = codes(&text);
    let after = codes(&once);
    assert_eq!(
        before, after,
        "formatting changed the diagnostic codes\n--- input\n{text}\n--- formatted\n{once}"
    );
});
