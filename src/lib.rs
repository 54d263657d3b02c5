//! xlic: the compiler for intellectual-property cross-license agreements written as code.
//!
//! The library is the compiler; the `xlic` binary and the language server are thin
//! front ends over it. [`compile`] runs the pipeline: load and parse every file
//! ([`driver`], [`syntax`]), bind names ([`resolve`]), check values and conflicts
//! ([`check`]), leaving a [`model::Model`] and the diagnostics.

pub mod check;
pub mod date;
pub mod diagnostics;
pub mod diff;
pub mod driver;
pub mod emit;
pub mod fixes;
pub mod fmt;
pub mod ide;
pub mod iso;
pub mod ledger;
pub mod limits;

pub mod model;
pub mod name;
pub mod policy;
pub mod query;
pub mod querytest;
pub mod report;
pub mod resolve;
pub mod scope;
pub mod source;
pub mod syntax;
pub mod territory;
pub mod text;
pub mod vocab;

use diagnostics::Diagnostic;
pub use driver::{Input, InputError};

/// The result of compiling a set of files.
#[derive(Debug, Clone, Default)]
pub struct Compilation {
    pub sources: source::SourceMap,
    /// The syntax trees; empty when the compilation ran with [`Options::outputs_only`].
    pub files: Vec<driver::ParsedFile>,
    pub model: model::Model,
    /// Who may do what, where and when: derived once from the model, read by the
    /// checker, the evaluator, the policy, the prose, the report and the IDE.
    pub ledger: ledger::Ledger,
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// What every name refers to, as resolution (and, for `subject to` grants, the
    /// ledger) bound it: the editor's navigation reads this table.
    pub bindings: resolve::bindings::Bindings,
}

impl Compilation {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }
}

/// How a compilation runs: the defaults for a command line, an editor's overlay of
/// open buffers (with its parse cache) and workspace folders, other input limits.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// In-memory texts that take precedence over the disk, extra folders imports may
    /// reach, and parses to reuse; see [`driver::Overlay`].
    pub overlay: driver::Overlay,
    /// File size, nesting, file count and error limits; see [`limits::Limits`].
    pub limits: limits::Limits,
    /// For a caller that reads only the sources, the model, the ledger and the
    /// diagnostics (the command line): the syntax trees are freed once names are
    /// resolved, before the ledger and the checker run, and no bindings are recorded,
    /// so the returned [`Compilation`]'s `files` and `bindings` are empty; the trees,
    /// the model and the bindings never share the process's peak of memory with the
    /// ledger. The fixes are still attached ([`fixes::Anchors`]).
    pub outputs_only: bool,
    /// An editor's cache (its parses are the overlay's): the grants resolution lowered
    /// in the last analysis are taken again where nothing they depend on changed.
    pub editor_cache: Option<std::sync::Arc<EditorCache>>,
    /// Asked before and between the stages (before and after loading, after resolution,
    /// after the ledger, and between the checker's rules): once it says yes, the
    /// compilation stops and [`compile_unless_cancelled`] returns `Ok(None)`
    /// ([`compile`] never asks). An editor cancels the analysis of a version a newer
    /// edit has made stale.
    pub cancel: Option<Cancel>,
}

/// A question a long compilation asks between its stages: "is this result still
/// wanted?" (see [`Options::cancel`]). It must not be left half-changed by a panic
/// (`RefUnwindSafe`: reading an atomic is), so an editor may catch a panicking
/// analysis and go on.
#[derive(Clone)]
pub struct Cancel(std::sync::Arc<dyn Fn() -> bool + Send + Sync + std::panic::RefUnwindSafe>);

impl Cancel {
    pub fn new(
        wanted_no_more: impl Fn() -> bool + Send + Sync + std::panic::RefUnwindSafe + 'static,
    ) -> Cancel {
        Cancel(std::sync::Arc::new(wanted_no_more))
    }

    pub fn is_cancelled(&self) -> bool {
        (self.0)()
    }
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cancel")
    }
}

/// What an editor keeps from one analysis to the next so that the next one redoes only
/// what changed: the parses ([`driver::ParseCache`], given to the loader in the
/// overlay) and, when [`EditorCache::with_grant_reuse`] made it, what resolution
/// lowered for each grant ([`resolve::reuse::Kept`], issue 16 item 6). Dropping it
/// drops both.
///
/// The per-grant reuse is off by default, and the language server leaves it off: it
/// gives the same analysis, but measured end to end in the server it doubled the CPU
/// time of an edit of the 50k-line file (74 against 36-42 ms; docs/performance.md,
/// "Per-grant reuse, measured in the server"), since keeping every grant's lowering
/// for the next analysis costs more than lowering the grants again.
#[derive(Debug, Default)]
pub struct EditorCache {
    pub parses: std::sync::Arc<driver::ParseCache>,
    pub grants: resolve::reuse::Kept,
    /// Whether resolution takes unchanged grants from `grants` (and keeps this
    /// analysis's there).
    pub reuse_grants: bool,
}

impl EditorCache {
    /// A cache whose analyses reuse the lowering of the grants that did not change.
    pub fn with_grant_reuse() -> EditorCache {
        EditorCache {
            reuse_grants: true,
            ..EditorCache::default()
        }
    }
}

/// Compiles the given inputs and everything they import: the one entry point of the
/// compiler (`xlic` and the language server both call it).
pub fn compile(inputs: &[Input], options: &Options) -> Result<Compilation, InputError> {
    compile_stages(inputs, options, &|| false).map(Option::unwrap_or_default)
}

/// Like [`compile`], stopping between stages once [`Options::cancel`] says the result
/// is no longer wanted: `Ok(None)` then. ([`compile`] never asks it.)
pub fn compile_unless_cancelled(
    inputs: &[Input],
    options: &Options,
) -> Result<Option<Compilation>, InputError> {
    let cancelled = || options.cancel.as_ref().is_some_and(Cancel::is_cancelled);
    compile_stages(inputs, options, &cancelled)
}

fn compile_stages(
    inputs: &[Input],
    options: &Options,
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Compilation>, InputError> {
    if cancelled() {
        return Ok(None);
    }
    let (overlay, limits) = (&options.overlay, &options.limits);
    let mut loaded = driver::load_with(inputs, overlay, limits)?;
    if cancelled() {
        return Ok(None);
    }
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    // What the fixes need of the trees, taken before resolution frees them.
    let anchors = fixes::Anchors::collect(&loaded.files);
    let sources = &loaded.sources;
    let names = |f| Some(sources.name(f).to_string());
    let (model, resolve_diags, mut bindings) = if options.outputs_only {
        let lowering = resolve::Lowering {
            record: false,
            free_grants: true,
        };
        resolve::resolve_with(&mut loaded.files, None, lowering, &names)
    } else {
        // An editor's analysis takes the grants that did not change from its last one
        // (never in a file whose loading or parsing reported anything).
        let broken: Vec<source::FileId> = diagnostics.iter().map(|d| d.primary.span.file).collect();
        let reuse = options
            .editor_cache
            .as_deref()
            .filter(|c| c.reuse_grants)
            .map(|c| resolve::reuse::Reuse {
                kept: &c.grants,
                sources,
                broken: &broken,
            });
        resolve::resolve_with(
            &mut loaded.files,
            reuse,
            resolve::Lowering::RECORDED,
            &names,
        )
    };
    diagnostics.extend(resolve_diags);
    if cancelled() {
        return Ok(None);
    }
    if options.outputs_only {
        loaded.files = Vec::new();
    }
    let ledger = ledger::Ledger::build(&model);
    if cancelled() {
        return Ok(None);
    }
    let subject_to_bound = ledger.subject_to_bound.iter();
    bindings.extend(
        subject_to_bound
            .filter(|_| !options.outputs_only)
            .filter_map(|&(reference, g)| {
                let entry = ledger.grants.get(g)?;
                let grant = model
                    .agreements
                    .get(entry.agreement)?
                    .grants
                    .get(entry.index)?;
                Some(resolve::bindings::Binding {
                    reference,
                    kind: resolve::bindings::DeclKind::Grant,
                    decl: grant.span,
                })
            }),
    );
    let Some(found) = check::run_unless(&model, &ledger, cancelled) else {
        return Ok(None);
    };
    diagnostics.extend(found);
    anchors.attach(&loaded.sources, &mut diagnostics);
    // One mistake, one message: unknown names in a file whose import failed most likely
    // come from the missing file, and policy warnings about a file that does not parse
    // are about clauses the parser had to guess at.
    let syntax_broken: Vec<source::FileId> = diagnostics
        .iter()
        .filter(|d| d.code.guesses())
        .map(|d| d.primary.span.file)
        .collect();
    diagnostics.retain(|d| {
        let file = d.primary.span.file;
        let from_missing_import =
            d.code == diagnostics::Code::E0101 && loaded.broken_imports.contains(&file);
        let guessed_clause =
            d.severity == diagnostics::Severity::Warning && syntax_broken.contains(&file);
        !from_missing_import && !guessed_clause
    });
    diagnostics::sort_and_dedup(&mut diagnostics);
    Ok(Some(Compilation {
        sources: loaded.sources,
        files: loaded.files,
        model,
        ledger,
        diagnostics,
        bindings,
    }))
}

/// Compiles one text (an editor buffer, stdin, a test) whose imports resolve relative to
/// the current directory.
pub fn compile_text(name: &str, text: &str) -> Compilation {
    let dir = std::env::current_dir().unwrap_or_default();
    let input = Input::Text {
        name: name.to_string(),
        text: text.into(),
        dir,
    };
    compile(std::slice::from_ref(&input), &Options::default()).unwrap_or_default()
}
