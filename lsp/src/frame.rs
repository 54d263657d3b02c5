//! The framing guard: reads the client's byte stream, splits it into messages and checks
//! each one before tower-lsp sees it.
//!
//! tower-lsp ends its message loop at the first message it cannot decode (a bad header,
//! a body that is not JSON or not JSON-RPC), and buffers a body of any announced size.
//! So the guard reads the stream itself and passes on only messages tower-lsp accepts,
//! re-framed with a plain `Content-Length` header. Everything else is answered here
//! with a JSON-RPC error and skipped:
//!
//! - a header block that is not `Name: value` lines, has no (or a bad, or more than
//!   one) `Content-Length`, or is too long: `-32700` (parse error), then the stream is
//!   searched for the next `Content-Length:` and reading goes on from there;
//! - a body longer than the limit (`--max-message-bytes`, 64 MiB by default): `-32600`
//!   (invalid request), and the announced number of bytes is read and thrown away
//!   without being kept;
//! - a body that is not UTF-8 or not JSON: `-32700`;
//! - JSON that is not a JSON-RPC request, notification or response (a batch, a wrong
//!   `jsonrpc`, an `id` that is neither an integer nor a string, …): `-32600`, with
//!   the message's `id` when it has a usable one.
//!
//! `shutdown` and `exit` take no parameters, and tower-lsp refuses them when a
//! `params` member is there at all (`-32602`, and an `exit` it refuses is ignored, so
//! the server ends with code 1). Emacs (eglot) and JetBrains (lsp4ij) send
//! `"params": null`, and newer eglot `"params": {}`: the guard drops an empty `params`
//! (`null`, `{}`, `[]`) from these two methods before forwarding them. Real
//! parameters are left alone, and tower-lsp answers them with `-32602` as before.
//!
//! The client capability `workspace.diagnostics` (pull diagnostics' refresh) is
//! read by tower-lsp's protocol types under the name `workspace.diagnostic`; the guard
//! copies it there in the `initialize` request.
//!
//! After forwarding `initialize` or `shutdown`, the guard holds the following messages
//! back until that request is answered (at most `HOLD_BACK`): tower-lsp refuses
//! requests that arrive while `initialize` is still running (`-32002`) and `exit`
//! cancels a `shutdown` still running, so a client that does not wait for those
//! answers, as the protocol asks it to, would otherwise lose them. After forwarding
//! `exit` the guard stops reading, so the server ends even when the client keeps its
//! end of the stream open.

use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Request, Response};

/// The buffer size of the in-memory pipes between the guard, tower-lsp and the output.
pub const PIPE_BYTES: usize = 64 * 1024;

/// The longest header line accepted.
pub const MAX_HEADER_LINE: usize = 8 * 1024;

/// The most header lines in one message.
pub const MAX_HEADER_LINES: usize = 32;

const READ_CHUNK: usize = 64 * 1024;

/// How long the guard holds messages back waiting for `initialize` or `shutdown` to
/// be answered.
pub const HOLD_BACK: Duration = Duration::from_secs(10);

/// The request whose answer the guard is waiting for (shared by reader and writer).
#[derive(Default)]
pub struct Awaited {
    id: Mutex<Option<Value>>,
    answered: Notify,
}

impl Awaited {
    fn set(&self, id: Option<Value>) {
        *self
            .id
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = id;
    }

    fn get(&self) -> Option<Value> {
        self.id
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Called with every message the server writes.
    fn seen(&self, message: &[u8]) {
        let Some(want) = self.get() else {
            return;
        };
        let Some(end) = message.windows(4).position(|w| w == b"\r\n\r\n") else {
            return;
        };
        let Ok(v) = serde_json::from_slice::<Value>(message.get(end + 4..).unwrap_or(&[])) else {
            return;
        };
        if v.get("method").is_none() && v.get("id") == Some(&want) {
            self.set(None);
            self.answered.notify_one();
        }
    }
}

/// What tower-lsp decodes a message body into (its own type is private): the guard
/// accepts exactly the bodies it accepts.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Message {
    Response(Response),
    Request(Request),
}

/// A JSON-RPC error with a null id, framed.
fn error_frame(id: Value, code: i64, message: &str) -> Vec<u8> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    frame(body.as_bytes())
}

/// A body with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// A byte stream read in chunks, with lookahead.
struct Input<R> {
    r: R,
    buf: Vec<u8>,
    start: usize,
    eof: bool,
}

enum Line {
    Eof,
    TooLong,
    Text(Vec<u8>, usize),
}

impl<R: AsyncRead + Unpin> Input<R> {
    fn available(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or(&[])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
    }

    /// Reads more bytes; false at the end of the stream (or on a read error).
    async fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let mut chunk = [0u8; READ_CHUNK];
        match self.r.read(&mut chunk).await {
            Ok(n) if n > 0 => {
                self.buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                true
            }
            _ => {
                self.eof = true;
                false
            }
        }
    }

    /// The next line without its `\r\n` (or `\n`), at most `MAX_HEADER_LINE` bytes,
    /// and how many bytes it takes with its end; nothing is consumed.
    async fn line(&mut self) -> Line {
        loop {
            let avail = self.available();
            if let Some(i) = avail.iter().position(|&b| b == b'\n') {
                let mut text = avail.get(..i).unwrap_or(&[]).to_vec();
                if text.last() == Some(&b'\r') {
                    text.pop();
                }
                return if text.len() > MAX_HEADER_LINE {
                    Line::TooLong
                } else {
                    Line::Text(text, i + 1)
                };
            }
            if avail.len() > MAX_HEADER_LINE {
                return Line::TooLong;
            }
            if !self.fill().await {
                return Line::Eof;
            }
        }
    }

    /// Skips to the next `Content-Length:` (any case); false at the end of the stream.
    async fn resync(&mut self) -> bool {
        const KEY: &[u8] = b"content-length:";
        loop {
            let avail = self.available();
            if let Some(i) = avail
                .windows(KEY.len())
                .position(|w| w.eq_ignore_ascii_case(KEY))
            {
                self.consume(i);
                return true;
            }
            // Keep a tail that may be the start of the key.
            let keep = (KEY.len() - 1).min(avail.len());
            let drop = avail.len() - keep;
            self.consume(drop);
            if !self.fill().await {
                return false;
            }
        }
    }

    /// The next `n` bytes; `None` if the stream ends first.
    async fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        while self.available().len() < n {
            if !self.fill().await {
                return None;
            }
        }
        let out = self.available().get(..n)?.to_vec();
        self.consume(n);
        Some(out)
    }

    /// Throws away the next `n` bytes without keeping them; false if the stream ends.
    async fn discard(&mut self, mut n: u64) -> bool {
        loop {
            let here = self.available().len() as u64;
            let now = here.min(n);
            self.consume(usize::try_from(now).unwrap_or(usize::MAX));
            n -= now;
            if n == 0 {
                return true;
            }
            if !self.fill().await {
                return false;
            }
        }
    }
}

/// What one header block said.
enum Header {
    Eof,
    Length(u64),
    Bad(String),
}

/// Reads one header block. On a bad line, the input is left one byte into that line,
/// so that `resync` finds a `Content-Length` that starts inside it.
async fn header<R: AsyncRead + Unpin>(input: &mut Input<R>) -> Header {
    let mut length: Option<Result<u64, String>> = None;
    let mut lines = 0usize;
    loop {
        let bad = |input: &mut Input<R>, reason: String| {
            input.consume(1);
            Header::Bad(reason)
        };
        let (text, used) = match input.line().await {
            Line::Eof => return Header::Eof,
            Line::TooLong => {
                return bad(
                    input,
                    format!("header line longer than {MAX_HEADER_LINE} bytes"),
                )
            }
            Line::Text(t, used) => (t, used),
        };
        if text.is_empty() {
            input.consume(used);
            if lines == 0 {
                // Blank lines between messages are tolerated.
                continue;
            }
            return match length {
                Some(Ok(n)) => Header::Length(n),
                Some(Err(e)) => Header::Bad(e),
                None => Header::Bad("message header without Content-Length".to_string()),
            };
        }
        lines += 1;
        if lines > MAX_HEADER_LINES {
            return bad(input, format!("more than {MAX_HEADER_LINES} header lines"));
        }
        let Ok(text) = std::str::from_utf8(&text) else {
            return bad(input, "header line is not ASCII".to_string());
        };
        let Some((name, value)) = text.split_once(':').filter(|(n, _)| is_token(n)) else {
            return bad(input, format!("not a message header: `{}`", shorten(text)));
        };
        input.consume(used);
        if name.eq_ignore_ascii_case("Content-Length") {
            let value = value.trim();
            length = Some(match length {
                // Which of two lengths frames the body is anyone's guess: refuse both.
                Some(_) => Err("more than one Content-Length header".to_string()),
                None => value
                    .parse::<u64>()
                    .map_err(|_| format!("invalid Content-Length `{}`", shorten(value))),
            });
        }
        // Content-Type and any other header are ignored: bodies are UTF-8 JSON.
    }
}

/// A header name: one or more token characters (RFC 9110).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        return s.to_string();
    }
    let mut out: String = s.chars().take(60).collect();
    out.push('…');
    out
}

/// The id of a message that is JSON but not JSON-RPC, if it has one tower-lsp could
/// answer to (an integer or a string).
fn usable_id(v: &Value) -> Value {
    match v.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
        _ => Value::Null,
    }
}

/// What to do with one message body.
enum Verdict {
    Forward {
        /// The body to forward when it differs from the one received.
        body: Option<Vec<u8>>,
        exit: bool,
        /// The id of an `initialize` or `shutdown` request, to wait for its answer.
        hold: Option<Value>,
        max_bytes: Option<u64>,
    },
    Reject(Vec<u8>),
}

fn judge(body: &[u8]) -> Verdict {
    if std::str::from_utf8(body).is_err() {
        return Verdict::Reject(error_frame(
            Value::Null,
            -32700,
            "Parse error: the message body is not UTF-8",
        ));
    }
    match serde_json::from_slice::<Message>(body) {
        Ok(Message::Request(r)) => {
            let exit = r.method() == "exit";
            let hold = matches!(r.method(), "initialize" | "shutdown")
                .then(|| r.id().and_then(|id| serde_json::to_value(id).ok()))
                .flatten();
            let max_bytes = (r.method() == "initialize")
                .then(|| {
                    r.params()?
                        .get("initializationOptions")?
                        .get("maxMessageBytes")?
                        .as_u64()
                })
                .flatten()
                .filter(|n| *n > 0);
            Verdict::Forward {
                body: without_empty_params(&r).or_else(|| with_spec_capability_names(&r)),
                exit,
                hold,
                max_bytes,
            }
        }
        Ok(Message::Response(_)) => Verdict::Forward {
            body: None,
            exit: false,
            hold: None,
            max_bytes: None,
        },
        Err(_) => match serde_json::from_slice::<Value>(body) {
            Err(e) => Verdict::Reject(error_frame(
                Value::Null,
                -32700,
                &format!("Parse error: the message body is not JSON ({e})"),
            )),
            Ok(v) => Verdict::Reject(error_frame(
                usable_id(&v),
                -32600,
                "Invalid Request: not a JSON-RPC 2.0 request, notification or response",
            )),
        },
    }
}

/// Methods whose parameters are `void` in the protocol.
const NO_PARAMS: [&str; 2] = ["shutdown", "exit"];

/// The body of a `shutdown` or `exit` re-serialised without its `params` member, when
/// that member is there and empty (`null`, `{}` or `[]`).
fn without_empty_params(r: &Request) -> Option<Vec<u8>> {
    if !NO_PARAMS.contains(&r.method()) {
        return None;
    }
    let empty = match r.params()? {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if !empty {
        return None;
    }
    let mut v = serde_json::to_value(r).ok()?;
    v.as_object_mut()?.remove("params");
    serde_json::to_vec(&v).ok()
}

/// An `initialize` whose client capabilities spell `workspace.diagnostics` (as the
/// protocol does) re-serialised with `workspace.diagnostic` as well, the name the
/// protocol types of tower-lsp (lsp-types 0.94) read: without it the server would
/// never learn that the client accepts `workspace/diagnostic/refresh`.
fn with_spec_capability_names(r: &Request) -> Option<Vec<u8>> {
    if r.method() != "initialize" {
        return None;
    }
    let workspace = r.params()?.get("capabilities")?.get("workspace")?;
    if workspace.get("diagnostic").is_some() {
        return None;
    }
    let spec = workspace.get("diagnostics")?.clone();
    let mut v = serde_json::to_value(r).ok()?;
    v.get_mut("params")?
        .get_mut("capabilities")?
        .get_mut("workspace")?
        .as_object_mut()?
        .insert("diagnostic".to_string(), spec);
    serde_json::to_vec(&v).ok()
}

/// Reads the client's messages from `input` until it ends or sends `exit`, passing
/// each acceptable one to tower-lsp through `to_server` and sending an error answer
/// for each other one to `errors`.
pub async fn read_input<R: AsyncRead + Unpin>(
    input: R,
    mut to_server: DuplexStream,
    errors: UnboundedSender<Vec<u8>>,
    awaited: Arc<Awaited>,
    mut max_bytes: u64,
) {
    let mut input = Input {
        r: input,
        buf: Vec::new(),
        start: 0,
        eof: false,
    };
    loop {
        match header(&mut input).await {
            Header::Eof => break,
            Header::Bad(reason) => {
                eprintln!("xlic-lsp: skipping a malformed message: {reason}");
                let _ = errors.send(error_frame(
                    Value::Null,
                    -32700,
                    &format!("Parse error: {reason}"),
                ));
                if !input.resync().await {
                    break;
                }
            }
            Header::Length(n) if n > max_bytes => {
                eprintln!("xlic-lsp: skipping a message of {n} bytes (the limit is {max_bytes})");
                let _ = errors.send(error_frame(
                    Value::Null,
                    -32600,
                    &format!(
                        "Invalid Request: the message has {n} bytes, more than the limit of \
                         {max_bytes} (--max-message-bytes)"
                    ),
                ));
                if !input.discard(n).await {
                    break;
                }
            }
            Header::Length(n) => {
                let Some(body) = input.take(usize::try_from(n).unwrap_or(usize::MAX)).await else {
                    break;
                };
                match judge(&body) {
                    Verdict::Reject(answer) => {
                        eprintln!("xlic-lsp: answering a malformed message with an error");
                        let _ = errors.send(answer);
                    }
                    Verdict::Forward {
                        body: rewritten,
                        exit,
                        hold,
                        max_bytes: m,
                    } => {
                        let body = rewritten.unwrap_or(body);
                        if let Some(m) = m {
                            max_bytes = m;
                        }
                        let holding = hold.is_some();
                        awaited.set(hold);
                        if to_server.write_all(&frame(&body)).await.is_err() {
                            break;
                        }
                        if exit {
                            break;
                        }
                        if holding {
                            let _ =
                                tokio::time::timeout(HOLD_BACK, awaited.answered.notified()).await;
                            awaited.set(None);
                        }
                    }
                }
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// The length of the first whole message in `buf` (header and body), if it is there.
/// tower-lsp writes only well-formed messages, so no recovery is needed here.
fn whole_message(buf: &[u8]) -> Option<usize> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let header = std::str::from_utf8(buf.get(..end)?).ok()?;
    let length: usize = header.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("Content-Length")
            .then(|| value.trim().parse().ok())
            .flatten()
    })?;
    let total = end + 4 + length;
    (buf.len() >= total).then_some(total)
}

/// Copies tower-lsp's messages to `output`, slipping the guard's error answers in
/// between whole messages. When the output fails (the client is gone) it keeps
/// draining tower-lsp, so the server never blocks on a full pipe.
pub async fn write_output<W: AsyncWrite + Unpin>(
    mut from_server: DuplexStream,
    mut errors: UnboundedReceiver<Vec<u8>>,
    awaited: Arc<Awaited>,
    mut output: W,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; READ_CHUNK];
    let mut broken = false;
    let mut errors_open = true;
    loop {
        tokio::select! {
            n = from_server.read(&mut chunk) => {
                let n = match n {
                    Ok(n) if n > 0 => n,
                    _ => break,
                };
                buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                while let Some(len) = whole_message(&buf) {
                    let message: Vec<u8> = buf.drain(..len).collect();
                    awaited.seen(&message);
                    broken = broken || write(&mut output, &message).await.is_err();
                }
            }
            e = errors.recv(), if errors_open => match e {
                Some(e) => broken = broken || write(&mut output, &e).await.is_err(),
                None => errors_open = false,
            },
        }
    }
    while let Ok(e) = errors.try_recv() {
        broken = broken || write(&mut output, &e).await.is_err();
    }
    if !broken && !buf.is_empty() {
        let _ = write(&mut output, &buf).await;
    }
    let _ = output.shutdown().await;
}

async fn write<W: AsyncWrite + Unpin>(output: &mut W, bytes: &[u8]) -> std::io::Result<()> {
    output.write_all(bytes).await?;
    output.flush().await
}
