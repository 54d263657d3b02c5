//! `xlic explain`: a diagnostic code's explanation, or the list of every code.

use super::output::{fail, stdout_failed};
use std::io::Write;
use std::process::ExitCode;
use xlic::diagnostics::codes;

pub fn run(code: Option<&str>) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let text = match code {
        None => {
            let mut t = String::from("Diagnostic codes (run `xlic explain CODE` for one):\n\n");
            for c in codes::ALL {
                t.push_str(&format!("  {}  {:<9} {}\n", c.code, c.family, c.title));
            }
            t
        }
        Some(code) => match codes::lookup(code) {
            Some(info) => format!(
                "{} — {}\n\n{}\n",
                info.code,
                info.title,
                info.explanation.trim_end()
            ),
            None => {
                let known: Vec<&str> = codes::ALL.iter().map(|c| c.code.as_str()).collect();
                let hint =
                    match xlic::iso::closest(&code.to_ascii_uppercase(), known.iter().copied()) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    };
                return fail(&format!(
                    "no diagnostic code `{code}`{hint} (run `xlic explain` for the list)"
                ));
            }
        },
    };
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => stdout_failed(&e),
    }
}
