//! `xlic report`: the portfolio report across agreements.

use super::output::{fail, print_stdout, write_atomic};
use super::{compile, InputArgs};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout (`-o -`: stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The date the report is computed for (default: today's date in UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Exit 1 when the checker finds errors (the report is written all the same)
    #[arg(long)]
    pub deny_errors: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
}

/// Today's date in UTC, from the system clock.
fn today_utc() -> Option<xlic::date::Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    xlic::date::Date::from_days(i32::try_from(secs / 86_400).ok()?)
}

pub fn run(args: ReportArgs) -> ExitCode {
    let as_of = match &args.as_of {
        Some(text) => match xlic::date::Date::parse(text) {
            Ok(d) => d,
            Err(e) => return fail(&format!("`--as-of {text}`: {e} (expected YYYY-MM-DD)")),
        },
        None => match today_utc() {
            Some(d) => d,
            None => return fail("cannot read today's date from the system clock; pass --as-of"),
        },
    };
    let compilation = match compile(&args.input.paths, &args.input.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let report = xlic::report::build(
        &compilation.model,
        &compilation.ledger,
        &compilation.sources,
        &compilation.diagnostics,
        xlic::report::Options { as_of },
    );
    let text = match args.format {
        ReportFormat::Markdown => xlic::report::markdown::markdown(&report),
        ReportFormat::Html => xlic::report::html::html(&report),
    };
    let status = match super::output::output_path(args.output.as_ref()) {
        Some(file) => match write_atomic(file, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => return fail(&message),
        },
        None => print_stdout(&text),
    };
    if status != ExitCode::SUCCESS {
        return status;
    }
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let _ = writeln!(
        std::io::stderr(),
        "report as of {as_of}: {}, {}, {}",
        plural(report.agreements.len(), "agreement"),
        plural(report.errors, "error"),
        plural(report.warnings, "warning")
    );
    ExitCode::from(u8::from(args.deny_errors && report.errors > 0))
}
