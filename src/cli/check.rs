//! `xlic check`: compile and print the diagnostics.

use super::output::{fail, report};
use super::{compile, DiagnosticArgs, InputArgs};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
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
    report(&compilation, &args.diagnostics)
}
