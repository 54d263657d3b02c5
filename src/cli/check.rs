//! `xlic check`: compile and print the diagnostics.

use super::output::{fail, report_to, Sink};
use super::{compile, DiagnosticArgs, InputArgs};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Write the diagnostics to this file (replaced atomically) instead of stdout or
    /// stderr (`-o -`: stdout); usage and input/output errors still go to stderr
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let compilation = match compile(&args.input.paths, &args.input.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let sink = match super::output::output_path(args.output.as_ref()) {
        Some(path) => Sink::File(path),
        None if args.diagnostics.message_format.is_machine() || args.output.is_some() => {
            Sink::Stdout
        }
        None => Sink::Stderr,
    };
    // Rendering reads only the sources and the diagnostics: the trees, the model, the
    // ledger and the bindings are freed first, so the renderer's line tables do not
    // come on top of them at the process's peak of memory.
    let xlic::Compilation {
        sources,
        diagnostics,
        files,
        model,
        ledger,
        bindings,
    } = compilation;
    drop((files, model, ledger, bindings));
    report_to(&sources, &diagnostics, &args.diagnostics, sink)
}
