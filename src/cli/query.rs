//! `xlic query`: one question, or a batch of them, against a policy.

use super::output::{fail, print_stdout, report, stdout_failed};
use super::{compile, DiagnosticArgs, LimitArgs};
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct QueryArgs {
    /// A compiled policy (`.json`) or `.xlic` source (a file or folder, compiled first)
    pub policy: String,
    /// The party asking
    #[arg(long, required_unless_present = "batch")]
    pub licensee: Option<String>,
    #[arg(long, required_unless_present = "batch")]
    pub asset: Option<String>,
    /// make, have made, use, sell, offer, import, lease, reproduce, modify, distribute
    #[arg(long, required_unless_present = "batch")]
    pub right: Option<String>,
    /// A field path, e.g. robotics.consumer.vacuum
    #[arg(long, required_unless_present = "batch")]
    pub field: Option<String>,
    /// One ISO 3166-1 alpha-2 code
    #[arg(long, required_unless_present = "batch")]
    pub territory: Option<String>,
    /// YYYY-MM-DD
    #[arg(long, required_unless_present = "batch")]
    pub date: Option<String>,
    /// What the use is for: research, educational, internal, commercial or
    /// non-commercial (without it: any purpose, which a purpose-limited grant does not
    /// cover)
    #[arg(long)]
    pub purpose: Option<String>,
    /// An entity the agreement does not name, asked about as an affiliate of
    /// `--licensee` by control (the party's `affiliates by control`); you assert the
    /// control
    #[arg(long)]
    pub affiliate: Option<String>,
    /// How `--affiliate` is related to `--licensee`: controlled (the licensee controls
    /// it; the default), controlling (it controls the licensee) or common (under
    /// common control)
    #[arg(long, requires = "affiliate")]
    pub control: Option<String>,
    /// YYYY-MM-DD: since when the control of `--affiliate` exists (needed when the
    /// party's affiliates are those `as of` a date)
    #[arg(long, requires = "affiliate")]
    pub controlled_since: Option<String>,
    /// A diligence milestone or named minimum commitment known to be missed
    /// (repeatable; applies to every request, also in `--batch`): a grant whose
    /// exclusivity converts on it is non-exclusive after the milestone's date (after the
    /// commitment's first period). Without it, every milestone is taken as met
    #[arg(long, value_name = "MILESTONE")]
    pub missed: Vec<String>,
    /// Answer with the decision alone, `{"decision":"permit"}`: no reasons or
    /// obligations are worked out (also with `--batch`)
    #[arg(long)]
    pub decision_only: bool,
    /// Read one JSON request per line on stdin; write one JSON answer per line
    #[arg(long, conflicts_with_all = ["licensee", "asset", "right", "field", "territory", "date", "purpose", "affiliate"])]
    pub batch: bool,
    /// The limits of `check`: on the `.json` policy read, or the sources compiled
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Loads a policy: a `.json` file as written by `xlic build` (a regular file within the
/// size limit), or sources compiled now.
fn load_policy(path: &str, limits: &LimitArgs) -> Result<xlic::emit::json::Policy, ExitCode> {
    if path.ends_with(".json") {
        let max = limits.to_limits().map_err(|m| fail(&m))?.max_file_bytes;
        let bytes = xlic::driver::read_regular(std::path::Path::new(path), max)
            .map_err(|e| fail(&format!("cannot read `{path}`: {e}")))?;
        // The text is checked to be UTF-8 once, as a whole, rather than string by string
        // as `from_slice` does (a tenth of reading a large policy).
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            fail(&format!(
                "`{path}` is not an xlic policy: it is not UTF-8 text (byte {})",
                e.valid_up_to()
            ))
        })?;
        return serde_json::from_str(text)
            .map_err(|e| fail(&format!("`{path}` is not an xlic policy: {e}")));
    }
    let compilation = compile(&[path.to_string()], limits).map_err(|m| fail(&m))?;
    if compilation.has_errors() {
        return Err(report(&compilation, &DiagnosticArgs::default()));
    }
    Ok(xlic::emit::json::policy(
        &compilation.model,
        &compilation.sources,
    ))
}

pub fn run(args: QueryArgs) -> ExitCode {
    // The policy and the evaluator live until the process ends (this runs once per
    // process): they are left to the operating system rather than freed one value at
    // a time (5 % of answering one question on the 10k-grant portfolio's policy).
    let policy = match load_policy(&args.policy, &args.limits) {
        Ok(p) => std::mem::ManuallyDrop::new(p),
        Err(code) => return code,
    };
    let evaluator =
        match xlic::query::Evaluator::new(&policy).and_then(|e| e.assume_missed(&args.missed)) {
            Ok(e) => std::mem::ManuallyDrop::new(e),
            Err(e) => return fail(&e.message),
        };
    if args.batch {
        return batch(&evaluator, args.decision_only);
    }
    let request = xlic::query::Request {
        licensee: args.licensee.unwrap_or_default(),
        asset: args.asset.unwrap_or_default(),
        right: args.right.unwrap_or_default(),
        field: args.field.unwrap_or_default(),
        territory: args.territory.unwrap_or_default(),
        date: args.date.unwrap_or_default(),
        purpose: args.purpose,
        affiliate: args.affiliate.map(|name| xlic::query::UnnamedAffiliate {
            name,
            control: args.control,
            controlled_since: args.controlled_since,
        }),
    };
    if args.decision_only {
        return match evaluator.decide(&request) {
            Ok(decision) => {
                let mut text =
                    serde_json::to_string_pretty(&xlic::query::DecisionOnly { decision })
                        .unwrap_or_default();
                text.push('\n');
                print_stdout(&text)
            }
            Err(e) => fail(&e.message),
        };
    }
    match evaluator.evaluate(&request) {
        Ok(answer) => {
            let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            text.push('\n');
            print_stdout(&text)
        }
        Err(e) => fail(&e.message),
    }
}

/// The longest request line `--batch` reads; a longer one gets an error answer and is
/// skipped without being kept (a stream without line breaks must not fill memory).
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// The most request lines answered together: a chunk is split among the cores.
const CHUNK_LINES: usize = 2048;
/// A chunk also ends once its lines hold this many bytes.
const CHUNK_BYTES: usize = 1 << 20;
/// Below this many lines a chunk is answered on one thread (a thread costs more).
const PARALLEL_LINES: usize = 64;

/// One line of batch input, as read.
enum Line {
    Request(Vec<u8>),
    /// Longer than `MAX_REQUEST_BYTES`: answered with an error, not kept.
    TooLong,
}

/// One JSON request per line in, one JSON answer per line out, in order; a bad line
/// gets an error answer and the stream goes on.
///
/// Lines are answered in chunks, split among the cores: this thread answers one part,
/// workers started once for the whole batch the others (a thread started per chunk
/// cost the allocator a cache flush each time it ended). A chunk ends when the input
/// holds no more whole lines already read, and its answers are then written out and
/// flushed before the next read waits: a program that keeps `--batch` running and
/// writes one request at a time gets each answer without closing its end.
fn batch(evaluator: &xlic::query::Evaluator<'_>, decision_only: bool) -> ExitCode {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let asker = Asker {
        evaluator,
        decision_only,
    };
    std::thread::scope(|scope| {
        let pool = Pool::start(scope, asker, threads.saturating_sub(1));
        answer_stream(&pool)
    })
}

/// Reads request lines from stdin and writes their answers, chunk by chunk.
fn answer_stream(pool: &Pool<'_, '_>) -> ExitCode {
    use std::io::{BufRead, Read};
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut at_end = false;
    while !at_end {
        let mut chunk: Vec<Line> = Vec::new();
        let mut bytes = 0;
        while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
            let mut line = Vec::new();
            match input
                .by_ref()
                .take(MAX_REQUEST_BYTES as u64 + 1)
                .read_until(b'\n', &mut line)
            {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => bytes += n,
                Err(e) => return fail(&format!("cannot read stdin: {e}")),
            }
            if line.len() > MAX_REQUEST_BYTES {
                if let Err(e) = skip_line(&mut input) {
                    return fail(&format!("cannot read stdin: {e}"));
                }
                chunk.push(Line::TooLong);
            } else if !line.trim_ascii().is_empty() {
                chunk.push(Line::Request(line));
            }
            // Nothing more has arrived: answer what has before waiting for more.
            if input.buffer().is_empty() {
                break;
            }
        }
        for answer in pool.answer_all(chunk) {
            if let Err(e) = writeln!(stdout, "{answer}") {
                return stdout_failed(&e);
            }
        }
        if let Err(e) = stdout.flush() {
            return stdout_failed(&e);
        }
    }
    ExitCode::SUCCESS
}

/// The evaluator, and what it is asked for.
#[derive(Clone, Copy)]
struct Asker<'e, 'p> {
    evaluator: &'e xlic::query::Evaluator<'p>,
    decision_only: bool,
}

/// The answer to one line.
fn answer(asker: Asker<'_, '_>, line: &Line) -> String {
    match line {
        Line::TooLong => serde_json::json!({
            "error": format!("request longer than {MAX_REQUEST_BYTES} bytes")
        })
        .to_string(),
        Line::Request(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            let request = text.trim_end_matches(['\n', '\r']);
            if asker.decision_only {
                asker.evaluator.decide_line(request)
            } else {
                asker.evaluator.evaluate_line(request)
            }
        }
    }
}

/// A part of a chunk, by its place in the chunk.
type Job = (usize, Vec<Line>);

/// The threads that answer parts of chunks beside the reading thread, for one batch.
struct Pool<'e, 'p> {
    asker: Asker<'e, 'p>,
    workers: usize,
    /// Dropped with the pool, which ends the workers.
    jobs: std::sync::mpsc::Sender<Job>,
    done: std::sync::mpsc::Receiver<(usize, Vec<String>)>,
}

impl<'e, 'p> Pool<'e, 'p> {
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        asker: Asker<'e, 'p>,
        workers: usize,
    ) -> Pool<'e, 'p>
    where
        'e: 'scope,
    {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (finished, done) = std::sync::mpsc::channel();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for _ in 0..workers {
            let queue = std::sync::Arc::clone(&queue);
            let finished = finished.clone();
            scope.spawn(move || loop {
                // The lock is held only to take a job; a poisoned lock or a closed
                // queue ends the worker.
                let job = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                let Ok((at, lines)) = job else { return };
                if finished.send((at, answer_part(asker, &lines))).is_err() {
                    return;
                }
            });
        }
        Pool {
            asker,
            workers,
            jobs,
            done,
        }
    }

    /// The answers to a chunk's lines, in their order.
    fn answer_all(&self, mut chunk: Vec<Line>) -> Vec<String> {
        if self.workers == 0 || chunk.len() < PARALLEL_LINES {
            return answer_part(self.asker, &chunk);
        }
        // Cut the chunk into a part per thread, in order; the first stays here.
        let per_part = chunk.len().div_ceil(self.workers + 1);
        let mut parts: Vec<Vec<Line>> = Vec::new();
        while chunk.len() > per_part {
            parts.push(chunk.split_off(chunk.len() - per_part));
        }
        parts.push(chunk);
        parts.reverse();
        let mut answers: Vec<Vec<String>> = vec![Vec::new(); parts.len()];
        let mut parts = parts.into_iter().enumerate();
        let mine = parts.next().map(|(_, part)| part).unwrap_or_default();
        let mut sent = 0;
        for (at, part) in parts {
            match self.jobs.send((at, part)) {
                Ok(()) => sent += 1,
                // No worker is left: answer it here.
                Err(std::sync::mpsc::SendError((at, part))) => {
                    if let Some(slot) = answers.get_mut(at) {
                        *slot = answer_part(self.asker, &part);
                    }
                }
            }
        }
        if let Some(slot) = answers.first_mut() {
            *slot = answer_part(self.asker, &mine);
        }
        // Each worker sends back every part it takes (answer_part does not unwind, and
        // nothing panics while the queue is locked) and ends only with the pool.
        for _ in 0..sent {
            let Ok((at, part)) = self.done.recv() else {
                break;
            };
            if let Some(slot) = answers.get_mut(at) {
                *slot = part;
            }
        }
        answers.concat()
    }
}

/// The answers to some lines, in their order. A panic while answering (a bug, not
/// input) answers the part's lines with an error rather than losing them or leaving
/// the batch waiting.
fn answer_part(asker: Asker<'_, '_>, lines: &[Line]) -> Vec<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lines.iter().map(|l| answer(asker, l)).collect()
    }))
    .unwrap_or_else(|_| {
        vec![
            serde_json::json!({ "error": "internal error answering this request" }).to_string();
            lines.len()
        ]
    })
}

/// Reads up to and including the next line break, keeping nothing.
fn skip_line(input: &mut impl std::io::BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}
