//! Writing results: diagnostics on stderr, output on stdout, and the exit status.
//!
//! Exit status: 0 clean (or warnings only), 1 errors (or warnings under
//! `--deny-warnings`), 2 usage or input/output failure.

use super::{ColorChoice, DiagnosticArgs, MessageFormat};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use xlic::diagnostics::Diagnostic;
use xlic::diagnostics::{codes, render, sarif};
use xlic::source::SourceMap;
use xlic::Compilation;

/// Prints `error: MESSAGE` on stderr; exit status 2.
pub fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
}

/// Where diagnostics are written.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    Stderr,
    Stdout,
    /// Written atomically ([`write_atomic`]): complete, or the old file left as it was.
    File(&'a Path),
}

/// Prints the diagnostics on stderr; exit status 1 when they fail the run.
pub fn report(compilation: &Compilation, args: &DiagnosticArgs) -> ExitCode {
    report_to(
        &compilation.sources,
        &compilation.diagnostics,
        args,
        Sink::Stderr,
    )
}

/// Writes the diagnostics to `sink`; exit status 1 when they fail the run, 2 (with an
/// `error:` line on stderr, never in the sink) when they cannot be rendered or written.
/// Only the sources and the diagnostics are read, so a caller done with the rest of its
/// compilation can free it first (`xlic check` does).
pub fn report_to(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    args: &DiagnosticArgs,
    sink: Sink<'_>,
) -> ExitCode {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let terminal = match sink {
                Sink::Stderr => std::io::stderr().is_terminal(),
                Sink::Stdout => std::io::stdout().is_terminal(),
                Sink::File(_) => false,
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let out = match render(sources, diagnostics, args, color) {
        Ok(text) => text,
        Err(message) => return fail(&message),
    };
    let written = match sink {
        Sink::Stderr => {
            let mut stderr = std::io::stderr().lock();
            stderr
                .write_all(out.as_bytes())
                .and_then(|()| stderr.flush())
                .is_ok()
        }
        Sink::Stdout => print_bytes(out.as_bytes()) == ExitCode::SUCCESS,
        Sink::File(path) => match write_atomic(path, out.as_bytes()) {
            Ok(()) => true,
            Err(message) => return fail(&message),
        },
    };
    if !written {
        return ExitCode::from(2);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let failed = errors > 0 || (args.deny_warnings && diagnostics.len() > errors);
    ExitCode::from(u8::from(failed))
}

/// The diagnostics in the format asked for, up to `--max-diagnostics` of them; an
/// error is a usage error (a bad `--sarif-root` or `--code-docs`).
fn render(
    sources: &SourceMap,
    all: &[Diagnostic],
    args: &DiagnosticArgs,
    color: bool,
) -> Result<String, String> {
    let max = args.max_diagnostics;
    let shown = if max == 0 {
        all.len()
    } else {
        max.min(all.len())
    };
    let diags = all.get(..shown).unwrap_or(all);
    Ok(match args.message_format {
        MessageFormat::Human => {
            let mut text = render::render_human(diags, sources, color);
            if shown < all.len() {
                text.push_str(&format!(
                    "… {} more diagnostics not shown (--max-diagnostics {max}; 0 shows all)\n",
                    all.len() - shown
                ));
            }
            let files = sources.files().len();
            let noun = if files == 1 { "file" } else { "files" };
            text.push_str(&format!(
                "checked {files} {noun}: {}\n",
                render::summary(all)
            ));
            text
        }
        MessageFormat::Short => render::render_short(diags, sources),
        MessageFormat::Json => render::render_json_lines(diags, sources),
        MessageFormat::Gitlab => {
            let root = sarif::resolve_root(args.sarif_root.as_deref())?;
            render::render_gitlab(diags, sources, &root)
        }
        MessageFormat::Sarif => {
            let root = sarif::resolve_root(args.sarif_root.as_deref())?;
            let docs = args
                .code_docs
                .clone()
                .unwrap_or_else(|| codes::DEFAULT_DOCS_URL.to_string());
            codes::check_docs_template(&docs).map_err(|e| format!("--code-docs {e}"))?;
            let options = sarif::Options {
                root,
                omitted: all.len() - shown,
                docs,
                declare_root: args.sarif_root.is_some(),
            };
            sarif::render_sarif(diags, sources, &options)
        }
    })
}

pub fn print_stdout(text: &str) -> ExitCode {
    print_bytes(text.as_bytes())
}

/// Writes to stdout; a failure (a closed pipe, a full disk) is exit status 2 with a
/// message, never a silent success.
pub fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => stdout_failed(&e),
    }
}

/// [`print_bytes`] for output produced as it is written, through a buffer on stdout.
pub fn print_with(
    produce: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> ExitCode {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match produce(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => stdout_failed(&e),
    }
}

/// `error: cannot write to stdout: …`, exit status 2.
pub fn stdout_failed(e: &std::io::Error) -> ExitCode {
    fail(&format!("cannot write to stdout: {e}"))
}

/// Reads stdin, at most `max_bytes` of it (a larger input is an error naming the
/// limit, and is not read further).
pub fn read_stdin(max_bytes: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() > max_bytes {
        return Err(format!(
            "stdin holds more than {max_bytes} bytes, the limit for one file (raise it with --max-file-bytes)"
        ));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file beside it that is renamed into
/// place once it is complete: when anything fails (a full disk, a quota, a limit) the
/// old file is left as it was and no partial file remains. An existing file keeps its
/// permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// The buffered file [`write_atomic_with`] hands its producer (a concrete type, not
/// `dyn Write`: a serialiser writes many small pieces, and each through a virtual call
/// cost half as much again as the serialising).
pub type FileOut = std::io::BufWriter<std::fs::File>;

/// [`write_atomic`] for output produced as it is written: `produce` writes into a
/// buffered writer on the temporary file, so the whole output is never held in memory.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut FileOut) -> std::io::Result<()>,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| {
        let kept = if path.exists() {
            format!("; `{}` is unchanged", path.display())
        } else {
            String::new()
        };
        format!("cannot write `{}`: {e}{kept}", path.display())
    };
    let name = path
        .file_name()
        .ok_or_else(|| fail(&"not a file name"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.permissions());
    let mut opened = None;
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                opened = Some((tmp, f));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(&e)),
        }
    }
    let Some((tmp, file)) = opened else {
        return Err(fail(&"no free name for a temporary file beside it"));
    };
    let written =
        write_and_sync(file, produce, permissions).and_then(|()| std::fs::rename(&tmp, path));
    match written {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(fail(&e))
        }
    }
}

fn write_and_sync(
    file: std::fs::File,
    produce: impl FnOnce(&mut FileOut) -> std::io::Result<()>,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    produce(&mut out)?;
    let file = out
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    if let Some(p) = permissions {
        file.set_permissions(p)?;
    }
    file.sync_all()
}

/// The file or folder an `-o` option names, or `None` for stdout: no option, or `-o -`
/// (as `-` is stdin for an input file), so no file or folder named `-` is written.
pub fn output_path(option: Option<&std::path::PathBuf>) -> Option<&std::path::PathBuf> {
    option.filter(|p| p.as_os_str() != "-")
}
