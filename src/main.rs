//! The `xlic` command line: arguments in, one library call, rendering out. No compiler
//! logic lives here.
//!
//! Exit status: 0 clean (or warnings only), 1 errors (or warnings under
//! `--deny-warnings`), 2 usage or input/output failure.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xlic::diagnostics::{codes, render, sarif};
use xlic::limits::{self, Limits};
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
    /// Check, then compile to a JSON policy (refuses to emit when there are errors)
    Build(BuildArgs),
    /// Ask whether a party may exercise a right: "may P do R with A in F, T, on D?"
    Query(QueryArgs),
    /// Print the JSON Schema (draft 2020-12) of the policy `xlic build` writes
    Schema,
    /// Format files in the canonical layout (in place), or check that they are
    Fmt(FmtArgs),
    /// The semantic redline of an amendment: exit 0 when nothing changed, 1 when it did
    Diff(DiffArgs),
    /// A portfolio report across agreements: holdings, exclusivity coverage, what expires
    /// in the next 12 months, and every conflict (written even when there are errors)
    Report(ReportArgs),
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
    /// Show at most this many diagnostics (0: all); the summary still counts every one
    #[arg(long, default_value_t = 200, value_name = "N")]
    max_diagnostics: usize,
    /// Colour in the human format: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// SARIF: the folder file URIs are relative to (default: the enclosing git repository)
    #[arg(long, value_name = "DIR")]
    sarif_root: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Files, folders or `-` for stdin (default: the current folder)
    paths: Vec<String>,
    /// What to emit
    #[arg(long, value_enum, default_value_t = Emit::Json)]
    emit: Emit,
    /// Write into this folder (`policy.json`, `NAME.md`, `NAME.html`, `NAME.docx`,
    /// `policy.odrl.jsonld`) instead of stdout
    #[arg(
        short = 'o',
        long = "out-dir",
        value_name = "DIR",
        conflicts_with = "stdout"
    )]
    out_dir: Option<PathBuf>,
    /// Write to stdout (the default when no folder is given; a `.docx` is refused on a terminal)
    #[arg(long)]
    stdout: bool,
    /// How to print diagnostics (on stderr)
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Fail (exit 1, emit nothing) on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Show at most this many diagnostics (0: all); the summary still counts every one
    #[arg(long, default_value_t = 200, value_name = "N")]
    max_diagnostics: usize,
    /// Colour in the human format
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// SARIF: the folder file URIs are relative to (default: the enclosing git repository)
    #[arg(long, value_name = "DIR")]
    sarif_root: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Input limits (see docs/robustness.md); inputs past them get a diagnostic, never
/// unbounded work.
#[derive(clap::Args, Clone)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// Refuse files larger than this many bytes (E0007)
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: usize,
    /// Skip braces and brackets nested deeper than this (E0006; at most 256)
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_NESTING)]
    max_nesting: usize,
    /// Load at most this many files, inputs and imports together
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_FILES)]
    max_files: usize,
    /// Report at most this many syntax errors per file; the rest are counted
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_SYNTAX_ERRORS)]
    max_syntax_errors: usize,
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
    fn to_limits(&self) -> Result<Limits, String> {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_nesting: self.max_nesting,
            max_files: self.max_files,
            max_syntax_errors: self.max_syntax_errors,
        }
        .validated()
    }
}

#[derive(clap::Args)]
struct ReportArgs {
    /// Files, folders or `-` for stdin (default: the current folder)
    paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,
    /// Write the report to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// The date the report is computed for (default: today's date in UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Exit 1 when the checker finds errors (the report is written all the same)
    #[arg(long)]
    deny_errors: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Markdown,
    Html,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The old version (a file or folder)
    old: String,
    /// The new version (a file or folder)
    new: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(clap::Args)]
struct FmtArgs {
    /// Files, folders or `-` (stdin to stdout); default: the current folder
    paths: Vec<String>,
    /// Change nothing; exit 1 and list the files that would change
    #[arg(long)]
    check: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Emit {
    /// The JSON policy (`policy.json`)
    Json,
    /// The agreement as numbered articles and clauses (`NAME.md`)
    Markdown,
    /// A self-contained HTML report with a timeline and the license matrix (`NAME.html`)
    Html,
    /// ODRL 2.2 policies in JSON-LD, one Agreement per grant (`policy.odrl.jsonld`)
    Odrl,
    /// A Word document (WordprocessingML) of the same text, with styles and tables (`NAME.docx`)
    Docx,
}

#[derive(clap::Args)]
struct QueryArgs {
    /// A compiled policy (`.json`) or `.xlic` source (a file or folder, compiled first)
    policy: String,
    /// The party asking
    #[arg(long, required_unless_present = "batch")]
    licensee: Option<String>,
    #[arg(long, required_unless_present = "batch")]
    asset: Option<String>,
    /// make, have made, use, sell, offer, import, lease, reproduce, modify, distribute
    #[arg(long, required_unless_present = "batch")]
    right: Option<String>,
    /// A field path, e.g. robotics.consumer.vacuum
    #[arg(long, required_unless_present = "batch")]
    field: Option<String>,
    /// One ISO 3166-1 alpha-2 code
    #[arg(long, required_unless_present = "batch")]
    territory: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, required_unless_present = "batch")]
    date: Option<String>,
    /// Read one JSON request per line on stdin; write one JSON answer per line
    #[arg(long, conflicts_with_all = ["licensee", "asset", "right", "field", "territory", "date"])]
    batch: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
    Sarif,
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
        Command::Build(args) => build(args),
        Command::Query(args) => query(args),
        Command::Schema => print_stdout(&xlic::emit::json::schema_json()),
        Command::Fmt(args) => fmt(args),
        Command::Diff(args) => diff(args),
        Command::Report(args) => portfolio_report(args),
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
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
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(limits.max_file_bytes as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            if bytes.len() > limits.max_file_bytes {
                return Err(format!(
                    "stdin holds more than {} bytes, the limit for one file (raise it with --max-file-bytes)",
                    limits.max_file_bytes
                ));
            }
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

fn compile(paths: &[String], limits: &LimitArgs) -> Result<Compilation, String> {
    let limits = limits.to_limits()?;
    let inputs = inputs(paths, &limits)?;
    let compilation = xlic::compile_with(&inputs, &xlic::driver::Overlay::default(), &limits)
        .map_err(|e| e.to_string())?;
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
    let compilation = match compile(&args.paths, &args.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    report(
        &compilation,
        args.message_format,
        args.color,
        args.deny_warnings,
        args.max_diagnostics,
        args.sarif_root.as_deref(),
    )
}

/// Prints the diagnostics on stderr; exit status 1 when they fail the run.
fn report(
    compilation: &Compilation,
    format: MessageFormat,
    color: ColorChoice,
    deny_warnings: bool,
    max: usize,
    sarif_root: Option<&Path>,
) -> ExitCode {
    let all = &compilation.diagnostics;
    let shown = if max == 0 {
        all.len()
    } else {
        max.min(all.len())
    };
    let diags = all.get(..shown).unwrap_or(all);
    let out = match format {
        MessageFormat::Human => {
            let color = match color {
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
            let root = match sarif::resolve_root(sarif_root) {
                Ok(root) => root,
                Err(message) => return fail(&message),
            };
            let options = sarif::Options {
                root,
                omitted: all.len() - shown,
            };
            sarif::render_sarif(diags, &compilation.sources, &options)
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
    let failed = compilation.has_errors() || (deny_warnings && compilation.warning_count() > 0);
    ExitCode::from(u8::from(failed))
}

fn print_stdout(text: &str) -> ExitCode {
    print_bytes(text.as_bytes())
}

fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write to stdout: {e}")),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let compilation = match compile(&args.paths, &args.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let status = report(
        &compilation,
        args.message_format,
        args.color,
        args.deny_warnings,
        args.max_diagnostics,
        args.sarif_root.as_deref(),
    );
    if status != ExitCode::SUCCESS {
        return status;
    }
    let (model, sources) = (&compilation.model, &compilation.sources);
    let bytes = match args.emit {
        Emit::Json => {
            xlic::emit::json::to_json(&xlic::emit::json::policy(model, sources)).into_bytes()
        }
        Emit::Markdown => xlic::emit::prose::markdown::markdown(model, sources).into_bytes(),
        Emit::Html => {
            xlic::emit::prose::html::html(model, sources, &compilation.diagnostics).into_bytes()
        }
        Emit::Docx => match xlic::emit::prose::docx::docx(model, sources) {
            Ok(b) => b,
            Err(e) => return fail(&e.to_string()),
        },
        Emit::Odrl => xlic::emit::odrl::odrl(model, sources).into_bytes(),
    };
    // Named after the one file named; otherwise `agreements`.
    let stem = match args.paths.as_slice() {
        [one] if one.ends_with(".xlic") => std::path::Path::new(one)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "agreements".into()),
        _ => "agreements".to_string(),
    };
    let file_name = match args.emit {
        Emit::Json => "policy.json".to_string(),
        Emit::Markdown => format!("{stem}.md"),
        Emit::Html => format!("{stem}.html"),
        Emit::Odrl => "policy.odrl.jsonld".to_string(),
        Emit::Docx => format!("{stem}.docx"),
    };
    match args.out_dir {
        Some(dir) if !args.stdout => {
            if let Err(e) = std::fs::create_dir_all(&dir) {
                return fail(&format!("cannot create `{}`: {e}", dir.display()));
            }
            let file = dir.join(file_name);
            match std::fs::write(&file, bytes) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write `{}`: {e}", file.display())),
            }
        }
        _ if matches!(args.emit, Emit::Docx) && std::io::stdout().is_terminal() => fail(&format!(
            "a .docx is binary and stdout is a terminal; write it with `-o DIR` (as `{file_name}`) or redirect stdout, e.g. `> {file_name}`"
        )),
        _ => print_bytes(&bytes),
    }
}

/// Loads a policy: a `.json` file as written by `xlic build`, or sources compiled now.
fn load_policy(path: &str) -> Result<xlic::emit::json::Policy, ExitCode> {
    if path.ends_with(".json") {
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(&format!("cannot read `{path}`: {e}")))?;
        return serde_json::from_str(&text)
            .map_err(|e| fail(&format!("`{path}` is not an xlic policy: {e}")));
    }
    let compilation = compile(&[path.to_string()], &LimitArgs::default()).map_err(|m| fail(&m))?;
    if compilation.has_errors() {
        return Err(report(
            &compilation,
            MessageFormat::Human,
            ColorChoice::Auto,
            false,
            200,
            None,
        ));
    }
    Ok(xlic::emit::json::policy(
        &compilation.model,
        &compilation.sources,
    ))
}

fn query(args: QueryArgs) -> ExitCode {
    let policy = match load_policy(&args.policy) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let evaluator = match xlic::query::Evaluator::new(&policy) {
        Ok(e) => e,
        Err(e) => return fail(&e.message),
    };
    if args.batch {
        return batch(&evaluator);
    }
    let request = xlic::query::Request {
        licensee: args.licensee.unwrap_or_default(),
        asset: args.asset.unwrap_or_default(),
        right: args.right.unwrap_or_default(),
        field: args.field.unwrap_or_default(),
        territory: args.territory.unwrap_or_default(),
        date: args.date.unwrap_or_default(),
    };
    match evaluator.evaluate(&request) {
        Ok(answer) => {
            let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            text.push('\n');
            print_stdout(&text)
        }
        Err(e) => fail(&e.message),
    }
}

/// One JSON request per line in, one JSON answer per line out, in order; a bad line
/// gets an error answer and the stream goes on.
fn batch(evaluator: &xlic::query::Evaluator<'_>) -> ExitCode {
    use std::io::BufRead;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut input = std::io::stdin().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return fail(&format!("cannot read stdin: {e}")),
        }
        let text = String::from_utf8_lossy(&line);
        let request = text.trim_end_matches(['\n', '\r']);
        if request.trim().is_empty() {
            continue;
        }
        let answer = evaluator.evaluate_line(request);
        if writeln!(stdout, "{answer}").is_err() {
            return ExitCode::SUCCESS;
        }
    }
    let _ = stdout.flush();
    ExitCode::SUCCESS
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
    if stdout.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Formats one text; on syntax errors prints them (as `check` would) and returns `None`.
fn format_text(name: &str, text: &str) -> Option<String> {
    match xlic::fmt::format_source(text) {
        Ok(out) => Some(out),
        Err(diags) => {
            let mut sources = xlic::source::SourceMap::new();
            let id = sources.add(name, None, text.to_string());
            let diags: Vec<_> = diags
                .into_iter()
                .map(|mut d| {
                    d.primary.span.file = id;
                    for l in &mut d.secondary {
                        l.span.file = id;
                    }
                    d
                })
                .collect();
            let _ = write!(
                std::io::stderr(),
                "{}",
                render::render_human(&diags, &sources, false)
            );
            let _ = writeln!(
                std::io::stderr(),
                "error: `{name}` was not formatted: it has syntax errors"
            );
            None
        }
    }
}

fn fmt(args: FmtArgs) -> ExitCode {
    let named: Vec<String> = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let mut failed = false;
    let mut changed = Vec::new();
    for p in &named {
        if p == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                return fail(&format!("cannot read stdin: {e}"));
            }
            match format_text("<stdin>", &text) {
                Some(out) if args.check => {
                    if out != text {
                        changed.push("<stdin>".to_string());
                    }
                }
                Some(out) => {
                    let code = print_stdout(&out);
                    if code != ExitCode::SUCCESS {
                        return code;
                    }
                }
                None => failed = true,
            }
            continue;
        }
        let files = match xlic::driver::xlic_files(std::path::Path::new(p)) {
            Ok(f) => f,
            Err(e) => return fail(&e.message),
        };
        for file in files {
            let name = file.display().to_string();
            let text = match std::fs::read(&file).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "error: `{name}` is not valid UTF-8; not formatted"
                    );
                    failed = true;
                    continue;
                }
                Err(e) => return fail(&format!("cannot read `{name}`: {e}")),
            };
            let Some(out) = format_text(&name, &text) else {
                failed = true;
                continue;
            };
            if out == text {
                continue;
            }
            changed.push(name.clone());
            if !args.check {
                if let Err(e) = std::fs::write(&file, out) {
                    return fail(&format!("cannot write `{name}`: {e}"));
                }
            }
        }
    }
    let mut stderr = std::io::stderr().lock();
    for name in &changed {
        let verb = if args.check {
            "would reformat"
        } else {
            "formatted"
        };
        let _ = writeln!(stderr, "{verb} {name}");
    }
    ExitCode::from(u8::from(failed || (args.check && !changed.is_empty())))
}

fn diff(args: DiffArgs) -> ExitCode {
    let mut policies = Vec::new();
    for side in [&args.old, &args.new] {
        let compilation = match compile(std::slice::from_ref(side), &LimitArgs::default()) {
            Ok(c) => c,
            Err(message) => return fail(&message),
        };
        if compilation.has_errors() {
            let _ = report(
                &compilation,
                MessageFormat::Human,
                ColorChoice::Auto,
                false,
                200,
                None,
            );
            return fail(&format!("`{side}` has errors; fix them before comparing"));
        }
        policies.push(xlic::emit::json::policy(
            &compilation.model,
            &compilation.sources,
        ));
    }
    let (Some(old), Some(new)) = (policies.first(), policies.get(1)) else {
        return fail("nothing to compare");
    };
    let redline = xlic::diff::diff(old, new);
    let text = match args.format {
        DiffFormat::Text => xlic::diff::render_text(&redline),
        DiffFormat::Json => xlic::diff::render_json(&redline),
        DiffFormat::Markdown => xlic::diff::render_markdown(&redline),
    };
    let status = print_stdout(&text);
    if status != ExitCode::SUCCESS {
        return status;
    }
    ExitCode::from(u8::from(!redline.is_empty()))
}

/// Today's date in UTC, from the system clock.
fn today_utc() -> Option<xlic::date::Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    xlic::date::Date::from_days(i32::try_from(secs / 86_400).ok()?)
}

fn portfolio_report(args: ReportArgs) -> ExitCode {
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
    let compilation = match compile(&args.paths, &args.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let report = xlic::report::build(
        &compilation.model,
        &compilation.sources,
        &compilation.diagnostics,
        xlic::report::Options { as_of },
    );
    let text = match args.format {
        ReportFormat::Markdown => xlic::report::markdown::markdown(&report),
        ReportFormat::Html => xlic::report::html::html(&report),
    };
    let status = match &args.output {
        Some(file) => match std::fs::write(file, &text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => return fail(&format!("cannot write `{}`: {e}", file.display())),
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
