//! `xlic fmt`: rewrite files in the canonical layout, or check that they are.

use super::output::{fail, print_stdout, read_stdin, write_atomic};
use std::io::Write;
use std::process::ExitCode;
use xlic::diagnostics::render;
use xlic::limits;

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files, folders or `-` (stdin to stdout); default: the current folder
    pub paths: Vec<String>,
    /// Change nothing; exit 1 and list the files that would change
    #[arg(long)]
    pub check: bool,
    /// Refuse files (and stdin) larger than this many bytes, as `check` does
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: usize,
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

pub fn run(args: FmtArgs) -> ExitCode {
    if args.max_file_bytes == 0 || args.max_file_bytes > limits::CEILING_MAX_FILE_BYTES {
        return fail(&format!(
            "--max-file-bytes must be between 1 and {}, not {}",
            limits::CEILING_MAX_FILE_BYTES,
            args.max_file_bytes
        ));
    }
    let named: Vec<String> = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let mut failed = false;
    let mut changed = Vec::new();
    for p in &named {
        if p == "-" {
            let text = match read_stdin(args.max_file_bytes).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => return fail("stdin is not valid UTF-8; not formatted"),
                Err(message) => return fail(&message),
            };
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
            let text = match xlic::driver::read_regular(&file, args.max_file_bytes)
                .map(String::from_utf8)
            {
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
                // Through a link, the file it points at is rewritten (the link stays).
                let is_link =
                    std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink());
                let target = if is_link {
                    std::fs::canonicalize(&file).unwrap_or(file)
                } else {
                    file
                };
                if let Err(message) = write_atomic(&target, out.as_bytes()) {
                    return fail(&message);
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
