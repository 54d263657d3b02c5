//! The `xlic` command line: arguments in, one library call, rendering out. No compiler
//! logic lives here; each command is one module of `cli/`, and `cli/output.rs` holds
//! the exit statuses.
//!
//! Exit status (`xlic test`: see `cli/test.rs`): 0 clean (or warnings only), 1 errors (or warnings under
//! `--deny-warnings`), 2 usage or input/output failure.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    Check(cli::check::CheckArgs),
    /// Check, then compile to a JSON policy (refuses to emit when there are errors)
    Build(cli::build::BuildArgs),
    /// Ask whether a party may exercise a right: "may P do R with A in F, T, on D?"
    Query(cli::query::QueryArgs),
    /// Print the JSON Schema (draft 2020-12) of the policy `xlic build` writes
    Schema,
    /// Format files in the canonical layout (in place), or check that they are
    Fmt(cli::fmt::FmtArgs),
    /// The semantic redline of an amendment: exit 0 when nothing changed, 1 when it did
    Diff(cli::diff::DiffArgs),
    /// A portfolio report across agreements: holdings, exclusivity coverage, what expires
    /// in the next 12 months, and every conflict (written even when there are errors)
    Report(cli::report::ReportArgs),
    /// Run the policy tests (`*.xlic.test`) beside agreements: exit 0 all pass, 1 some fail
    Test(cli::test::TestArgs),
    /// Explain a diagnostic code, with a wrong and a fixed example (e.g. `xlic explain E0301`)
    Explain {
        /// The code, e.g. E0101; omit to list every code
        code: Option<String>,
    },
}

/// jemalloc, not the system's: the compiler allocates and frees a great many small
/// values (a fifth of `xlic check`'s instructions were glibc's malloc and free), and
/// jemalloc does it faster (docs/performance.md, issue 19).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How long jemalloc keeps pages that `xlic check` and `xlic build` free before
/// handing them back. Both free each grant's tree as they lower it while the model
/// grows; with the build's decay of a second (`.cargo/config.toml`) the freed pages
/// stay resident for most of so short a run, so the peak held both. At 100 ms the
/// 100k-grant portfolio's `check` peaks at 235-237 MB instead of 273-281 (10k: 40-41
/// instead of 45) in the same time; at 0 it peaks at 230 MB but runs 5 % slower
/// (docs/performance.md, "Issue 19, round 11"). Since a large file's parts are parsed
/// on threads of their own (round 12), `build` frees trees from two arenas and peaked
/// at 308-316 MB with a second, 235-237 MB with 100 ms, in the same time. The other
/// commands keep the default: `xlic query` peaks before anything is freed, and the
/// server sets its own.
#[cfg(not(target_env = "msvc"))]
const SHORT_DECAY_MS: isize = 100;

/// Sets [`SHORT_DECAY_MS`] through jemalloc's control interface (its typed, safe
/// `Access`); nothing happens if jemalloc refuses.
fn short_decay() {
    #[cfg(not(target_env = "msvc"))]
    {
        use tikv_jemalloc_ctl::{Access, AsName};
        // The arena of this thread, then the default of arenas made later (those of the
        // threads that parse a large file's parts and run the conflict sweep); both
        // take a `ssize_t` of milliseconds.
        let arena: Result<u32, _> = b"thread.arena\0".name().read();
        if let Ok(i) = arena {
            let key = format!("arena.{i}.dirty_decay_ms\0");
            let _ = key.as_bytes().name().write(SHORT_DECAY_MS);
        }
        let _ = b"arenas.dirty_decay_ms\0".name().write(SHORT_DECAY_MS);
    }
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
        Command::Check(args) => {
            short_decay();
            cli::check::run(args)
        }
        Command::Build(args) => {
            short_decay();
            cli::build::run(args)
        }
        Command::Query(args) => cli::query::run(args),
        Command::Schema => cli::output::print_stdout(&xlic::emit::json::schema_json()),
        Command::Fmt(args) => cli::fmt::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Report(args) => cli::report::run(args),
        Command::Test(args) => cli::test::run(args),
        Command::Explain { code } => cli::explain::run(code.as_deref()),
    }
}
