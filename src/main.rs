//! The `xlic` command line: arguments in, one library call, rendering out. No compiler
//! logic lives here.
//!
//! Exit status: 0 clean (or warnings only), 1 errors (or warnings under
//! `--deny-warnings`), 2 usage or input/output failure.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use xlic::diagnostics::{codes, render};
use xlic::{Compilation, Input};

#[derive(Parser)]
#[command(
    name = "xlic",
    version,
    about = "Checks and compiles IP cross-license agreements written in .xlic"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and folders (recursively, `*.xlic`) for errors and conflicts; `-` reads stdin
    Check(CheckArgs),
    /// Explain a diagnostic code, with a wrong and a fixed example (e.g. `xlic explain E0301`)
    Explain {
        /// The code, e.g. E0101; omit to list every code
        code: Option<String>,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files, folders or `-` for stdin (default: the current folder)
    paths: Vec<String>,
    /// How to print diagnostics (on stderr)
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Colour in the human format: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
}

/// Turns command-line paths into compiler inputs.
fn inputs(paths: &[String]) -> Result<Vec<Input>, String> {
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
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
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

fn compile(paths: &[String]) -> Result<Compilation, String> {
    let inputs = inputs(paths)?;
    let compilation = xlic::compile(&inputs).map_err(|e| e.to_string())?;
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

fn check(args: CheckArgs) -> ExitCode {
    let compilation = match compile(&args.paths) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let diags = &compilation.diagnostics;
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
            let files = compilation.sources.files().len();
            let noun = if files == 1 { "file" } else { "files" };
            text.push_str(&format!(
                "checked {files} {noun}: {}\n",
                render::summary(diags)
            ));
            text
        }
        MessageFormat::Short => render::render_short(diags, &compilation.sources),
        MessageFormat::Json => render::render_json_lines(diags, &compilation.sources),
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

fn explain(code: Option<&str>) -> ExitCode {
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
                let known: Vec<&str> = codes::ALL.iter().map(|c| c.code).collect();
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
    if stdout.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
