//! `xlic diff`: the semantic redline between two versions.

use super::output::{fail, print_stdout, report};
use super::{compile, DiagnosticArgs, LimitArgs};
use clap::ValueEnum;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old version (a file or folder)
    pub old: String,
    /// The new version (a file or folder)
    pub new: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

/// Exit status: 0 without changes, 1 with changes, 2 when a version has errors (the
/// redline of what resolves is still printed, marked) or cannot be compared.
pub fn run(args: DiffArgs) -> ExitCode {
    let mut policies = Vec::new();
    let mut warnings = Vec::new();
    for (side, name) in [(&args.old, "OLD"), (&args.new, "NEW")] {
        let compilation = match compile(std::slice::from_ref(side), &LimitArgs::default()) {
            Ok(c) => c,
            Err(message) => return fail(&message),
        };
        if compilation.has_errors() {
            // The diagnostics go to stderr; the redline compares what resolves.
            let _ = report(&compilation, &DiagnosticArgs::default());
            let n = compilation.error_count();
            warnings.push(format!(
                "{name} has {n} error{}; the comparison may be incomplete",
                if n == 1 { "" } else { "s" }
            ));
        }
        let policy = xlic::policy::build(
            &compilation.model,
            &compilation.ledger,
            &compilation.sources,
        );
        // The redline compares what the policies say: each is read back into its model
        // and ledger, as `xlic query` reads one.
        let loaded = match xlic::policy::read::load(&policy) {
            Ok(l) => l,
            Err(_) if compilation.has_errors() => {
                return fail(&format!(
                    "`{side}` has errors and what resolves cannot be compared; fix them first"
                ))
            }
            Err(e) => return fail(&format!("the policy of `{side}` does not read back: {e}")),
        };
        policies.push((policy, loaded, compilation));
    }
    let (Some((old, old_loaded, old_c)), Some((new, new_loaded, new_c))) =
        (policies.first(), policies.get(1))
    else {
        return fail("nothing to compare");
    };
    // The prose redline says every clause as the prose of each version does.
    let mut redline = xlic::diff::diff_written(
        (old, old_loaded, written(old_c)),
        (new, new_loaded, written(new_c)),
    );
    redline.warnings = warnings;
    let text = match args.format {
        DiffFormat::Text => xlic::diff::render_text(&redline),
        DiffFormat::Json => xlic::diff::render_json(&redline),
        DiffFormat::Markdown => xlic::diff::render_markdown(&redline),
    };
    let status = print_stdout(&text);
    if status != ExitCode::SUCCESS {
        return status;
    }
    if !redline.warnings.is_empty() {
        return ExitCode::from(2);
    }
    ExitCode::from(u8::from(!redline.is_empty()))
}

/// What the prose of a version is written from: its compiled model and ledger.
fn written(c: &xlic::Compilation) -> xlic::diff::Written<'_> {
    xlic::diff::Written {
        model: &c.model,
        ledger: &c.ledger,
    }
}
