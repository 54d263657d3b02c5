//! The minimal pipeline of issue 19: what `xlic check` is measured against. It reads
//! one generated portfolio (benches/workload, written by `cargo bench --bench checker
//! -- --write DIR`), lexes it with logos over borrowed `&str` tokens fed straight to a
//! small lalrpop grammar (no token vector), fills an arena AST, resolves names, and
//! runs the E0301 exclusivity sweep: per asset, grants sorted by start, an active list
//! swept by time, fields compared as pre-order ranges and territories as bit sets
//! (restricted to the countries where a patent of the asset is in force).
//!
//! ```text
//! xlic-bench-minimal FILE [--expect N]
//! ```
//!
//! Prints `conflicts N` on stdout and the time of each stage on stderr; exits 1 when
//! `--expect` is given and the count differs, 2 when the file does not parse or names
//! something it does not declare.

#![forbid(unsafe_code)]

mod ast;
mod lexer;
mod sweep;

use lalrpop_util::lalrpop_mod;
use std::process::ExitCode;
use std::time::Instant;

lalrpop_mod!(
    #[allow(clippy::all, unused_parens, dead_code)]
    grammar
);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: xlic-bench-minimal FILE [--expect N]");
        return ExitCode::from(2);
    };
    let expect = match args.iter().position(|a| a == "--expect") {
        Some(i) => match args.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => Some(n),
            None => {
                eprintln!("error: `--expect` needs a number");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let t0 = Instant::now();
    let src = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read `{path}`: {e}");
            return ExitCode::from(2);
        }
    };
    let t_read = t0.elapsed();

    let t = Instant::now();
    let mut tree = ast::Ast::default();
    let parsed = grammar::FileParser::new().parse(&src, &mut tree, lexer::tokens(&src));
    if let Err(e) = parsed {
        eprintln!("error: `{path}` does not parse: {e:?}");
        return ExitCode::from(2);
    }
    let t_parse = t.elapsed();

    let t = Instant::now();
    let model = match sweep::resolve(&tree) {
        Ok(m) => m,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let t_resolve = t.elapsed();

    let t = Instant::now();
    let conflicts = sweep::conflicts(&model);
    let t_sweep = t.elapsed();

    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let mut text = format!("conflicts {}\n", conflicts.len());
        for (a, b) in conflicts.iter().take(20) {
            let name = |g: u32| tree.grants.get(g as usize).map_or("?", |d| d.id);
            text.push_str(&format!("  E0301 {} {}\n", name(*a), name(*b)));
        }
        // A closed pipe is not an error of the benchmark.
        let _ = out.write_all(text.as_bytes());
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    eprintln!(
        "grants {}  read {:.1} ms  lex+parse {:.1} ms ({:.0} MB/s)  resolve {:.1} ms  sweep {:.1} ms  total {:.1} ms",
        tree.grants.len(),
        ms(t_read),
        ms(t_parse),
        src.len() as f64 / 1e6 / t_parse.as_secs_f64().max(1e-9),
        ms(t_resolve),
        ms(t_sweep),
        ms(t0.elapsed()),
    );
    match expect {
        Some(n) if n != conflicts.len() => {
            eprintln!(
                "error: expected {n} E0301 conflicts, found {}",
                conflicts.len()
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
