//! Writing results: diagnostics on stderr, output on stdout, and the exit status.
//!
//! Exit status: 0 clean (or warnings only), 1 errors (or warnings under
//! `--deny-warnings`), 2 usage or input/output failure.

use super::{ColorChoice, DiagnosticArgs, MessageFormat};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use xlic::diagnostics::{render, sarif};
use xlic::Compilation;

/// Prints `error: MESSAGE` on stderr; exit status 2.
pub fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
}

/// Prints the diagnostics on stderr; exit status 1 when they fail the run.
pub fn report(compilation: &Compilation, args: &DiagnosticArgs) -> ExitCode {
    let all = &compilation.diagnostics;
    let max = args.max_diagnostics;
    let shown = if max == 0 {
        all.len()
    } else {
        max.min(all.len())
    };
    let diags = all.get(..shown).unwrap_or(all);
    let out = match args.message_format {
        MessageFormat::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stderr().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let mut text = render::render_human(diags, &compilation.sources, color);
            if shown < all.len() {
                text.push_str(&format!(
                    "… {} more diagnostics not shown (--max-diagnostics {max}; 0 shows all)\n",
                    all.len() - shown
                ));
            }
            let files = compilation.sources.files().len();
            let noun = if files == 1 { "file" } else { "files" };
            text.push_str(&format!(
                "checked {files} {noun}: {}\n",
                render::summary(all)
            ));
            text
        }
        MessageFormat::Short => render::render_short(diags, &compilation.sources),
        MessageFormat::Json => render::render_json_lines(diags, &compilation.sources),
        MessageFormat::Sarif => {
            let root = match sarif::resolve_root(args.sarif_root.as_deref()) {
                Ok(root) => root,
                Err(message) => return fail(&message),
            };
            let options = sarif::Options {
                root,
                omitted: all.len() - shown,
            };
            sarif::render_compilation(compilation, diags, &options)
        }
    };
    let mut stderr = std::io::stderr().lock();
    if stderr
        .write_all(out.as_bytes())
        .and_then(|()| stderr.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    let failed =
        compilation.has_errors() || (args.deny_warnings && compilation.warning_count() > 0);
    ExitCode::from(u8::from(failed))
}

pub fn print_stdout(text: &str) -> ExitCode {
    print_bytes(text.as_bytes())
}

pub fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write to stdout: {e}")),
    }
}
