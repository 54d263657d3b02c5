//! The pieces every command shares: the argument groups (inputs and limits, how to
//! report diagnostics), compiling what the command line names, and writing results
//! with the right exit status.

pub mod build;
pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod output;
pub mod query;
pub mod report;
pub mod test;

use clap::ValueEnum;
use std::path::PathBuf;
use xlic::limits::{self, Limits};
use xlic::{Compilation, Input};

/// The files a command compiles, and the limits it compiles them under (flattened last:
/// the limits have their own heading in `--help`).
#[derive(clap::Args)]
pub struct InputArgs {
    /// Files, folders or `-` for stdin (default: the current folder)
    pub paths: Vec<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// How diagnostics are printed and when they fail the run (`check`, `build`).
#[derive(clap::Args)]
pub struct DiagnosticArgs {
    /// How to print diagnostics (`check`: json and sarif on stdout, the others on stderr;
    /// `build`: all on stderr)
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Fail (exit 1, emit nothing) on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Show at most this many diagnostics (0: all); the summary still counts every one
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_diagnostics: usize,
    /// Colour in the human format: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// SARIF: the folder file URIs are relative to (default: the enclosing git
    /// repository); given, the log also says where it is (an absolute URI)
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
    /// SARIF: the URL of each code's explanation (`helpUri`), `{code}` replaced by the
    /// code (default: the code's page in the xlic repository)
    #[arg(long, value_name = "URL")]
    pub code_docs: Option<String>,
}

impl Default for DiagnosticArgs {
    /// What commands that take no diagnostic flags (`query`, `diff`) print with.
    fn default() -> DiagnosticArgs {
        DiagnosticArgs {
            message_format: MessageFormat::Human,
            deny_warnings: false,
            max_diagnostics: 200,
            color: ColorChoice::Auto,
            sarif_root: None,
            code_docs: None,
        }
    }
}

/// Input limits (see docs/robustness.md); inputs past them get a diagnostic, never
/// unbounded work.
#[derive(clap::Args, Clone)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Refuse files larger than this many bytes (E0007)
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: usize,
    /// Skip braces and brackets nested deeper than this (E0006; at most 256)
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_NESTING)]
    pub max_nesting: usize,
    /// Load at most this many files, inputs and imports together
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_FILES)]
    pub max_files: usize,
    /// Report at most this many syntax errors per file; the rest are counted
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_SYNTAX_ERRORS)]
    pub max_syntax_errors: usize,
}

impl Default for LimitArgs {
    fn default() -> LimitArgs {
        let d = Limits::default();
        LimitArgs {
            max_file_bytes: d.max_file_bytes,
            max_nesting: d.max_nesting,
            max_files: d.max_files,
            max_syntax_errors: d.max_syntax_errors,
        }
    }
}

impl LimitArgs {
    pub fn to_limits(&self) -> Result<Limits, String> {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_nesting: self.max_nesting,
            max_files: self.max_files,
            max_syntax_errors: self.max_syntax_errors,
        }
        .validated()
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
    Sarif,
    /// GitLab Code Quality (a JSON array; docs/ci.md)
    Gitlab,
}

impl MessageFormat {
    /// A format for programs, not people: `xlic check` writes it to stdout (or
    /// `--output`), as cargo, ruff and eslint do, so it never mixes with an `error:` line.
    pub fn is_machine(self) -> bool {
        match self {
            MessageFormat::Human | MessageFormat::Short => false,
            MessageFormat::Json | MessageFormat::Sarif | MessageFormat::Gitlab => true,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Turns command-line paths into compiler inputs.
fn inputs(paths: &[String], limits: &Limits) -> Result<Vec<Input>, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let mut out = Vec::new();
    let mut stdin_used = false;
    let named: Vec<String> = if paths.is_empty() {
        vec![".".to_string()]
    } else {
        paths.to_vec()
    };
    for p in named {
        if p == "-" {
            if stdin_used {
                return Err("`-` (stdin) can be named only once".into());
            }
            stdin_used = true;
            let bytes = output::read_stdin(limits.max_file_bytes)?;
            out.push(Input::Bytes {
                name: "<stdin>".into(),
                bytes,
                dir: cwd.clone(),
            });
        } else {
            out.push(Input::Path(PathBuf::from(p)));
        }
    }
    Ok(out)
}

/// Compiles the paths named (the current folder when none), under the limits given.
pub fn compile(paths: &[String], limits: &LimitArgs) -> Result<Compilation, String> {
    let limits = limits.to_limits()?;
    let inputs = inputs(paths, &limits)?;
    // No command reads the syntax trees after resolution nor the bindings: the trees
    // are freed before the ledger and the checker run, and no bindings are recorded.
    let options = xlic::Options {
        limits,
        outputs_only: true,
        ..xlic::Options::default()
    };
    let compilation = xlic::compile(&inputs, &options).map_err(|e| e.to_string())?;
    if compilation.sources.files().is_empty() {
        return Err(format!(
            "no .xlic files found in {}",
            if paths.is_empty() {
                "."
            } else {
                "the paths given"
            }
        ));
    }
    Ok(compilation)
}
