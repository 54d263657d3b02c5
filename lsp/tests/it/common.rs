//! A small LSP client for the integration tests: starts the real `xlic-lsp` binary and
//! speaks JSON-RPC to it over stdio with `Content-Length` framing.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages received but not consumed yet (notifications, mostly).
    inbox: VecDeque<Value>,
    /// Requests the server sent (each answered with `null` when it arrived).
    pub server_requests: Vec<Value>,
}

/// Reads one `Content-Length`-framed message; `None` at the end of the stream or on a
/// malformed frame.
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts the server (its standard error goes to the test's).
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xlic-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start xlic-lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            inbox: VecDeque::new(),
            server_requests: Vec::new(),
        }
    }

    /// Starts the server and initializes it, with `root` as the workspace folder.
    pub fn initialized(root: Option<&Path>) -> (Client, Value) {
        Client::initialized_with(
            root,
            json!({
                "general": { "positionEncodings": ["utf-16"] },
                "textDocument": {
                    "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
                }
            }),
        )
    }

    /// Starts the server and initializes it with the given client capabilities.
    pub fn initialized_with(root: Option<&Path>, capabilities: Value) -> (Client, Value) {
        let mut c = Client::start();
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{ "uri": u, "name": "ws" }]))
            .unwrap_or(Value::Null);
        let result = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": capabilities
            }),
        );
        c.notify("initialized", json!({}));
        (c, result)
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Sends a notification (`Value::Null` params are left out, as for `exit`).
    pub fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        id
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(msg) => {
                // Answer requests from the server so it never waits, and keep them (they are
                // returned as well, so a caller waiting for one sees it arrive).
                if msg.get("method").is_some() && msg.get("id").is_some() {
                    let id = msg["id"].clone();
                    self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                    self.server_requests.push(msg.clone());
                }
                Some(msg)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the response to request `id` (the whole message: `result` or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        if let Some(i) = self
            .inbox
            .iter()
            .position(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
        {
            return self.inbox.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no response to request {id} within {TIMEOUT:?}"));
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.inbox.push_back(msg);
        }
    }

    /// Sends a request and returns its `result`, failing on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let msg = self.request_raw(method, params);
        if let Some(e) = msg.get("error") {
            panic!("{method} failed: {e}");
        }
        msg["result"].clone()
    }

    /// Sends a request and returns the whole response message.
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Waits for a notification of `method` whose params satisfy `pred`.
    pub fn wait_notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .inbox
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.inbox.remove(i).unwrap()["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.receive(deadline).unwrap_or_else(|| {
                panic!("no `{method}` notification as expected within {TIMEOUT:?}")
            });
            if msg["method"] == method && pred(&msg["params"]) {
                return msg["params"].clone();
            }
            self.inbox.push_back(msg);
        }
    }

    /// Waits for the diagnostics of `uri` at document version `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.wait_notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for diagnostics of `uri` (any version) that satisfy `pred`.
    pub fn diagnostics_where(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let p = self.wait_notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri
                && pred(
                    p["diagnostics"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                )
        });
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "xlic", "version": version, "text": text } }),
        );
    }

    /// One incremental change: replace `[start, end)` (UTF-16 line/character pairs).
    pub fn change(
        &mut self,
        uri: &str,
        version: i64,
        start: (u32, u32),
        end: (u32, u32),
        text: &str,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": {
                        "start": { "line": start.0, "character": start.1 },
                        "end": { "line": end.0, "character": end.1 }
                    },
                    "text": text
                }]
            }),
        );
    }

    /// Waits until the server has sent a request of `method`; returns its params.
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(r) = self.server_requests.iter().find(|r| r["method"] == method) {
                return r["params"].clone();
            }
            let msg = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no `{method}` request within {TIMEOUT:?}"));
            self.inbox.push_back(msg);
        }
    }

    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `shutdown`, then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let r = self.request_raw("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn file_uri(path: &Path) -> String {
    let p = path
        .to_string_lossy()
        .replace('%', "%25")
        .replace(' ', "%20");
    format!("file://{p}")
}

/// The text of an example.
pub fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    std::fs::read_to_string(path).expect("example")
}

/// The URI an example is opened under in a test (a path in the examples folder).
pub fn example_uri(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    file_uri(&std::fs::canonicalize(path).expect("example path"))
}

/// The UTF-16 line and character of byte offset `offset` of `text` (computed here,
/// independently of the server).
pub fn position_of(text: &str, offset: usize) -> (u32, u32) {
    let starts = line_starts(text);
    let line = starts.iter().rposition(|&s| s <= offset).unwrap_or(0);
    let col: usize = text[starts[line]..offset]
        .chars()
        .map(char::len_utf16)
        .sum();
    (line as u32, col as u32)
}

/// The byte offset each line starts at: LF, CR and CRLF each end a line (LSP's rule),
/// computed here, independently of the server.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// The position of the first `needle` in `text`, moved `chars` characters into it.
pub fn pos(text: &str, needle: &str, chars: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let off = at
        + needle
            .chars()
            .take(chars)
            .map(char::len_utf8)
            .sum::<usize>();
    position_of(text, off)
}

pub fn tdp(uri: &str, p: (u32, u32)) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": p.0, "character": p.1 } })
}

/// Applies LSP text edits (non-overlapping, any order) to a text.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let s = offset_of(
                text,
                r["start"]["line"].as_u64().unwrap() as u32,
                r["start"]["character"].as_u64().unwrap() as u32,
            );
            let t = offset_of(
                text,
                r["end"]["line"].as_u64().unwrap() as u32,
                r["end"]["character"].as_u64().unwrap() as u32,
            );
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, t, new) in spans {
        out.replace_range(s..t, &new);
    }
    out
}

/// The byte offset of a UTF-16 position, clamped as the server clamps: a line past the
/// end is the end of the text; a character past the end of its line is the line's end;
/// a character inside a surrogate pair moves past the pair; a byte-order mark that
/// opens the text is not a column (`source::LineIndex`'s rule).
pub fn offset_of(text: &str, line: u32, character: u32) -> usize {
    let Some(&start) = line_starts(text).get(line as usize) else {
        return text.len();
    };
    let start = if line == 0 && text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        start
    };
    let mut units = 0u32;
    for (i, ch) in text[start..].char_indices() {
        if units >= character || ch == '\n' || ch == '\r' {
            return start + i;
        }
        units += ch.len_utf16() as u32;
    }
    text.len()
}
