//! `xlic build`: check, then emit the policy or a rendering of the agreements.

use super::output::{fail, print_bytes, print_with, report, write_atomic, write_atomic_with};
use super::{compile, DiagnosticArgs, InputArgs};
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BuildArgs {
    /// What to emit
    #[arg(long, value_enum, default_value_t = Emit::Json)]
    pub emit: Emit,
    /// Write into this folder (`policy.json`, `NAME.md`, `NAME.html`, `NAME.docx`,
    /// `policy.odrl.jsonld`; the Cedar and Rego files) instead of stdout; `-o -` is stdout
    #[arg(
        short = 'o',
        long = "out-dir",
        value_name = "DIR",
        conflicts_with = "stdout"
    )]
    pub out_dir: Option<PathBuf>,
    /// Write to stdout (the default when no folder is given; a `.docx` is refused on a terminal)
    #[arg(long)]
    pub stdout: bool,
    /// JSON: the compact form: each grant's fields as the subtrees named, its territories
    /// as `territories_compact` alone, and no scopes the reader derives (`xlic query`
    /// reads it; docs/json-policy.md)
    #[arg(long)]
    pub compact: bool,
    /// Markdown, HTML, DOCX: leave out each clause's id tag (`[acme_to_globex]`)
    #[arg(long)]
    pub no_clause_ids: bool,
    /// Markdown, HTML, DOCX: leave out the compiler's banner ("compiled by xlic from …")
    #[arg(long)]
    pub no_banner: bool,
    /// HTML: mark this date (YYYY-MM-DD) on the timeline with an "as of" line
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// DOCX: a "Draft" legend in the header of every page
    #[arg(long)]
    pub draft: bool,
    /// DOCX: the page size
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    pub paper: Paper,
    /// Cedar, Rego: a diligence milestone or named commitment taken as missed
    /// (repeatable), as `xlic query --missed`: a grant whose exclusivity converts on it
    /// is non-exclusive after its date. Without it, every milestone is taken as met
    #[arg(long, value_name = "MILESTONE")]
    pub missed: Vec<String>,
    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The Word document's page size.
#[derive(Clone, Copy, ValueEnum)]
pub enum Paper {
    /// ISO A4, 210 x 297 mm
    A4,
    /// US Letter, 8.5 x 11 in
    Letter,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Emit {
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
    /// A Cedar policy set with its schema and entities (`policy.cedar`,
    /// `policy.cedarschema`, `entities.json`); needs `-o DIR`
    Cedar,
    /// An OPA bundle: the decision table and a Rego policy (`xlic.rego`, `data.json`,
    /// `.manifest`); needs `-o DIR`
    Rego,
}

/// `--emit cedar` and `--emit rego`: several files, into a folder only.
fn run_engine(
    emit: Emit,
    compilation: &xlic::Compilation,
    out_dir: Option<&PathBuf>,
    missed: &[String],
) -> ExitCode {
    let Some(dir) = out_dir else {
        let name = if matches!(emit, Emit::Cedar) {
            "cedar"
        } else {
            "rego"
        };
        return fail(&format!(
            "`--emit {name}` writes several files and needs a folder\n  help: add `-o DIR`, e.g. `xlic build --emit {name} -o out/`"
        ));
    };
    let policy = xlic::emit::json::policy(&compilation.model, &compilation.sources);
    let files: Vec<(&str, String)> = match emit {
        Emit::Cedar => match xlic::emit::cedar::cedar_assuming(&policy, missed) {
            Ok(c) => vec![
                ("policy.cedar", c.policies),
                ("policy.cedarschema", c.schema),
                ("entities.json", c.entities),
            ],
            Err(e) => return fail(&e.message),
        },
        _ => match xlic::emit::rego::rego_assuming(&policy, missed) {
            Ok(r) => vec![
                ("xlic.rego", r.policy),
                ("data.json", r.data),
                (".manifest", r.manifest),
            ],
            Err(e) => return fail(&e.message),
        },
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("cannot create `{}`: {e}", dir.display()));
    }
    for (name, text) in files {
        if let Err(message) = write_atomic(&dir.join(name), text.as_bytes()) {
            return fail(&message);
        }
    }
    ExitCode::SUCCESS
}

/// `--emit json`: the policy built from the compilation's own ledger and streamed to
/// `policy.json` or stdout as it is serialised, one agreement built at a time (the
/// policy of a large portfolio, its text or its values, is never held whole).
fn emit_json(compilation: &xlic::Compilation, args: &BuildArgs) -> ExitCode {
    let (model, ledger, sources) = (
        &compilation.model,
        &compilation.ledger,
        &compilation.sources,
    );
    match &args.out_dir {
        Some(dir) if !args.stdout => {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return fail(&format!("cannot create `{}`: {e}", dir.display()));
            }
            let path = dir.join("policy.json");
            match write_atomic_with(&path, |w| {
                xlic::policy::write_streamed(model, ledger, sources, args.compact, w)
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => fail(&message),
            }
        }
        _ => print_with(|w| xlic::policy::write_streamed(model, ledger, sources, args.compact, w)),
    }
}

pub fn run(mut args: BuildArgs) -> ExitCode {
    args.out_dir = super::output::output_path(args.out_dir.as_ref()).cloned();
    let as_of = match &args.as_of {
        Some(text) => match xlic::date::Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => return fail(&format!("`--as-of {text}`: {e} (expected YYYY-MM-DD)")),
        },
        None => None,
    };
    if args.compact && !matches!(args.emit, Emit::Json) {
        return fail("`--compact` is a form of the JSON policy\n  help: use it with `--emit json`");
    }
    if !args.missed.is_empty() && !matches!(args.emit, Emit::Cedar | Emit::Rego) {
        return fail(
            "`--missed` is an assumption of the Cedar and Rego exports' decisions\n  help: use it with `--emit cedar` or `--emit rego` (or with `xlic query`)",
        );
    }
    let compilation = match compile(&args.input.paths, &args.input.limits) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    let status = report(&compilation, &args.diagnostics);
    if status != ExitCode::SUCCESS {
        return status;
    }
    if matches!(args.emit, Emit::Cedar | Emit::Rego) {
        let out_dir = args.out_dir.as_ref().filter(|_| !args.stdout);
        return run_engine(args.emit, &compilation, out_dir, &args.missed);
    }
    let (model, sources) = (&compilation.model, &compilation.sources);
    let ledger = &compilation.ledger;
    if matches!(args.emit, Emit::Json) {
        return emit_json(&compilation, &args);
    }
    let prose = xlic::emit::prose::ProseOptions {
        clause_ids: !args.no_clause_ids,
        banner: !args.no_banner,
        as_of,
        draft: args.draft,
        paper: match args.paper {
            Paper::A4 => xlic::emit::prose::Paper::A4,
            Paper::Letter => xlic::emit::prose::Paper::Letter,
        },
    };
    let bytes = match args.emit {
        Emit::Json => return emit_json(&compilation, &args),
        Emit::Markdown => {
            xlic::emit::prose::markdown_with(model, ledger, sources, prose).into_bytes()
        }
        Emit::Html => {
            xlic::emit::prose::html_with(model, ledger, sources, &compilation.diagnostics, prose)
                .into_bytes()
        }
        Emit::Docx => match xlic::emit::prose::docx_with(model, ledger, sources, prose) {
            Ok(b) => b,
            Err(e) => return fail(&e.to_string()),
        },
        Emit::Odrl => xlic::emit::odrl::odrl(model, sources).into_bytes(),
        Emit::Cedar | Emit::Rego => return ExitCode::SUCCESS,
    };
    // Named after the one file named; otherwise `agreements`.
    let stem = match args.input.paths.as_slice() {
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
        Emit::Cedar | Emit::Rego => String::new(),
    };
    match args.out_dir {
        Some(dir) if !args.stdout => {
            if let Err(e) = std::fs::create_dir_all(&dir) {
                return fail(&format!("cannot create `{}`: {e}", dir.display()));
            }
            match write_atomic(&dir.join(file_name), &bytes) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => fail(&message),
            }
        }
        _ if matches!(args.emit, Emit::Docx) && std::io::stdout().is_terminal() => fail(&format!(
            "a .docx is binary and stdout is a terminal; write it with `-o DIR` (as `{file_name}`) or redirect stdout, e.g. `> {file_name}`"
        )),
        _ => print_bytes(&bytes),
    }
}
