//! The server against a hostile or broken client: raw bytes to the real `xlic-lsp`
//! binary over stdio. Every wait is bounded (`WAIT`); the server must answer with
//! JSON-RPC errors where the protocol says so, keep serving after garbage, never panic
//! (its standard error is searched for a panic message) and exit with the documented
//! code when its input ends.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{json, Value};
use std::io::{BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any one answer may take.
const WAIT: Duration = Duration::from_secs(10);

const URI: &str = "untitled:robust.xlic";

const DOC: &str = "agreement \"A\" {\n  effective 2026-01-01\n  term 10 years\n}\nparty acme \"Acme\"\nparty globex \"Globex\"\nasset acme_fw: know-how of acme\nasset globex_fw: know-how of globex\ngrant g1: acme -> globex {\n  assets acme_fw\n  territory worldwide\n}\ngrant g2: globex -> acme {\n  assets globex_fw\n  territory worldwide\n}\n";

use crate::common::read_message;

struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    inbox: Vec<Value>,
}

impl Raw {
    fn start(args: &[&str]) -> Raw {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xlic-lsp"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start xlic-lsp");
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let log = Arc::new(Mutex::new(String::new()));
        let log2 = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log2.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Raw {
            stdin: child.stdin.take(),
            child,
            rx,
            stderr: log,
            next_id: 1,
            inbox: Vec::new(),
        }
    }

    /// Started and initialized.
    fn ready(args: &[&str]) -> Raw {
        let mut s = Raw::start(args);
        let r = s.request(
            "initialize",
            json!({ "processId": null, "capabilities": {} }),
        );
        assert!(r.get("result").is_some(), "{r}");
        s.json(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        s
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn body(&mut self, body: &[u8]) {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        self.raw(&out);
    }

    fn json(&mut self, msg: &Value) {
        self.body(serde_json::to_string(msg).unwrap().as_bytes());
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.json(&msg);
        id
    }

    /// The next message satisfying `pred`, within `WAIT`.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "no {what} within {WAIT:?}; stderr:\n{}",
                    self.stderr.lock().unwrap()
                )
            });
            if pred(&msg) {
                return msg;
            }
            self.inbox.push(msg);
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("response to request {id}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The next error answer with a null id (the guard's answers).
    fn null_id_error(&mut self) -> Value {
        let m = self.wait_for("error answer with a null id", |m| {
            m["id"].is_null() && m.get("error").is_some()
        });
        m["error"].clone()
    }

    fn open(&mut self, text: &str) {
        self.json(&json!({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": { "textDocument": { "uri": URI, "languageId": "xlic", "version": 1, "text": text } }
        }));
    }

    /// A request that must be answered with a result: the server still serves.
    fn still_serving(&mut self) {
        let r = self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        );
        assert!(r.get("result").is_some(), "{r}");
    }

    fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }

    /// Waits for the process to end; its exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = self.stderr.lock().unwrap().clone();
                assert!(!log.contains("panicked"), "the server panicked:\n{log}");
                return status.code().expect("exit code, not a signal");
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `shutdown`, `exit`: the server must end with 0 and no panic.
    fn finish(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.json(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        assert_eq!(self.exit_code(), 0);
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn garbage_instead_of_a_header_is_answered_and_skipped() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    s.raw(b"GET / HTTP/1.1\r\nHost: nowhere\r\n\r\n");
    assert_eq!(s.null_id_error()["code"], -32700);
    // Everything up to the next `Content-Length:` is skipped: one answer per run of
    // garbage.
    s.still_serving();
    s.raw(&[0xff, 0xfe, 0x00, 0x13, b'\n', b'\r', b'\n', 0x80, 0x81]);
    assert_eq!(s.null_id_error()["code"], -32700);
    s.still_serving();
    // Garbage glued to the front of a good message: the message still gets through.
    let msg = json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/documentSymbol",
                      "params": { "textDocument": { "uri": URI } } })
    .to_string();
    s.raw(format!("}}}}}}\nContent-Length: {}\r\n\r\n{msg}", msg.len()).as_bytes());
    assert_eq!(s.null_id_error()["code"], -32700);
    assert!(s.response(99).get("result").is_some());
    s.finish();
}

#[test]
fn bad_or_missing_content_length_is_answered_and_skipped() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    for header in [
        "Content-Length: abc\r\n\r\n{}",
        "Content-Length: -5\r\n\r\n{}",
        "Content-Length: 18446744073709551616\r\n\r\n{}",
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"jsonrpc\":\"2.0\"}",
        // Two lengths: the last one used to win.
        "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
        "Content-Length: 500\r\ncontent-length: 2\r\n\r\n{}",
    ] {
        s.raw(header.as_bytes());
        let e = s.null_id_error();
        assert_eq!(e["code"], -32700, "{header}: {e}");
        s.still_serving();
    }
    // A header line longer than the guard accepts.
    let mut long = b"X-Long: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', 20_000));
    long.extend_from_slice(b"\r\n\r\n");
    s.raw(&long);
    assert_eq!(s.null_id_error()["code"], -32700);
    s.still_serving();
    // Lower-case header names and a Content-Type are accepted.
    let msg = json!({ "jsonrpc": "2.0", "id": 77, "method": "shutdown" }).to_string();
    s.raw(
        format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{msg}",
            msg.len()
        )
        .as_bytes(),
    );
    assert!(s.response(77).get("error").is_none());
    s.json(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    s.body(b"{\"jsonrpc\": \"2.0\", \"method\": ");
    let e = s.null_id_error();
    assert_eq!(e["code"], -32700);
    assert!(e["message"].as_str().unwrap().contains("not JSON"), "{e}");
    s.body(&[0xc3, 0x28, 0xa0, 0xa1]);
    assert_eq!(s.null_id_error()["code"], -32700);
    s.still_serving();
    s.finish();
}

#[test]
fn json_that_is_not_json_rpc_is_an_invalid_request() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    for body in [
        r#"[1, 2, 3]"#,
        r#""a string""#,
        r#"{"hello": "world"}"#,
        r#"{"jsonrpc": "2.0", "id": {"a": 1}, "method": "textDocument/hover"}"#,
        r#"{"jsonrpc": "2.0", "id": 1.5, "method": "textDocument/hover"}"#,
        r#"{"jsonrpc": "2.0", "method": 42}"#,
    ] {
        s.body(body.as_bytes());
        let e = s.null_id_error();
        assert_eq!(e["code"], -32600, "{body}: {e}");
    }
    // A wrong version with a usable id: the error carries the id.
    s.body(br#"{"jsonrpc": "1.0", "id": 7, "method": "textDocument/hover"}"#);
    let r = s.response(7);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    s.still_serving();
    s.finish();
}

#[test]
fn unknown_methods_and_wrong_params_are_answered() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    let r = s.request("xlic/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // Unknown notifications are ignored without an answer.
    s.json(&json!({ "jsonrpc": "2.0", "method": "xlic/noSuchNotification", "params": [1] }));
    s.json(&json!({ "jsonrpc": "2.0", "method": "$/unknown" }));
    for params in [
        json!("hello"),
        json!([1, 2]),
        json!({ "textDocument": { "uri": URI }, "position": "top" }),
        json!({ "textDocument": 5, "position": { "line": 0, "character": 0 } }),
        json!({ "textDocument": { "uri": URI }, "position": { "line": -1, "character": 0 } }),
    ] {
        let r = s.request("textDocument/hover", params.clone());
        assert_eq!(r["error"]["code"], -32602, "{params}: {r}");
    }
    // A notification with the wrong params changes nothing and gets no answer.
    s.json(&json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "contentChanges": 3 } }));
    s.json(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": null }));
    let r = s.request("xlic/documentText", json!({ "uri": URI }));
    assert_eq!(r["result"]["text"], DOC, "{r}");
    // A response to a request the server never sent is ignored.
    s.json(&json!({ "jsonrpc": "2.0", "id": 12345, "result": null }));
    s.still_serving();
    s.finish();
}

#[test]
fn invalid_positions_are_clamped_not_errors() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    let far = [
        (100_000u64, 100_000u64),
        (0, u64::from(u32::MAX)),
        (u64::from(u32::MAX), 0),
    ];
    for (line, ch) in far {
        let p = json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": ch } });
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/prepareRename",
            "textDocument/inlayHint",
        ] {
            let params = if method == "textDocument/inlayHint" {
                json!({ "textDocument": { "uri": URI }, "range": {
                    "start": { "line": line, "character": ch }, "end": { "line": 0, "character": 0 } } })
            } else {
                p.clone()
            };
            let r = s.request(method, params);
            // prepareRename refuses with its reason (RequestFailed); nothing else errs.
            let refused = method == "textDocument/prepareRename" && r["error"]["code"] == -32803;
            assert!(
                r.get("result").is_some() || refused,
                "{method} at {line}:{ch}: {r}"
            );
        }
        let r = s.request(
            "textDocument/references",
            json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": ch },
                    "context": { "includeDeclaration": true } }),
        );
        assert!(r.get("result").is_some(), "{r}");
    }
    // A request about a document that is not open.
    let r = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "untitled:nothing.xlic" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(r["result"], Value::Null, "{r}");
    // A change far past the end appends; the text stays what the client thinks.
    s.json(&json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": URI, "version": 2 },
        "contentChanges": [{ "range": { "start": { "line": 9999, "character": 9 },
                                         "end": { "line": 9999, "character": 99 } }, "text": "// end\n" }] } }));
    let r = s.request("xlic/documentText", json!({ "uri": URI }));
    assert_eq!(r["result"]["text"], format!("{DOC}// end\n"), "{r}");
    s.finish();
}

#[test]
fn an_announced_100_mb_message_is_refused_and_skipped() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    let n: usize = 100 * 1024 * 1024;
    s.raw(format!("Content-Length: {n}\r\n\r\n").as_bytes());
    let e = s.null_id_error();
    assert_eq!(e["code"], -32600, "{e}");
    assert!(e["message"].as_str().unwrap().contains("limit"), "{e}");
    // The announced bytes are read and thrown away, then the next message is served.
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..100 {
        s.raw(&chunk);
    }
    s.still_serving();
    s.finish();
}

#[test]
fn the_input_ending_inside_a_huge_message_ends_the_server() {
    let mut s = Raw::ready(&[]);
    s.raw(b"Content-Length: 104857600\r\n\r\n{\"jsonrpc\":");
    s.null_id_error();
    s.close_stdin();
    assert_eq!(s.exit_code(), 1);
}

#[test]
fn a_20_mb_did_open_is_served_under_the_default_limit_and_refused_under_a_lower_one() {
    let mut big = String::from(DOC);
    let line = format!("// {}\n", "x".repeat(97));
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&line);
    }
    // Refused under a 1 MB limit, with an error, and the server goes on.
    let mut s = Raw::ready(&["--max-message-bytes", "1000000"]);
    s.open(&big);
    assert_eq!(s.null_id_error()["code"], -32600);
    s.open(DOC);
    s.still_serving();
    s.finish();

    // Served under the default limit: the document is there, whole.
    let mut s = Raw::ready(&[]);
    s.open(&big);
    let r = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 8, "character": 11 } }),
    );
    assert!(r.get("result").is_some(), "{r}");
    let r = s.request("xlic/documentText", json!({ "uri": URI }));
    assert_eq!(r["result"]["text"].as_str().map(str::len), Some(big.len()));
    s.finish();
}

#[test]
fn the_limit_can_be_set_in_initialization_options() {
    let mut s = Raw::start(&[]);
    let r = s.request(
        "initialize",
        json!({ "processId": null, "capabilities": {}, "initializationOptions": { "maxMessageBytes": 2000 } }),
    );
    assert!(r.get("result").is_some(), "{r}");
    s.open(&format!("{DOC}// {}\n", "y".repeat(3000)));
    assert_eq!(s.null_id_error()["code"], -32600);
    s.open(DOC);
    s.still_serving();
    s.finish();
}

#[test]
fn a_bad_limit_argument_is_a_usage_error() {
    for args in [
        &["--max-message-bytes"][..],
        &["--max-message-bytes", "lots"],
        &["--max-message-bytes", "0"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_xlic-lsp"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--max-message-bytes"));
    }
}

#[test]
fn closing_the_input_mid_request_exits_with_1() {
    let mut s = Raw::ready(&[]);
    s.open(DOC);
    s.send_request(
        "textDocument/references",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 8, "character": 11 },
                "context": { "includeDeclaration": true } }),
    );
    s.send_request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }));
    s.close_stdin();
    assert_eq!(s.exit_code(), 1);
}

#[test]
fn closing_the_input_mid_message_exits_with_1() {
    let mut s = Raw::ready(&[]);
    s.raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":3,");
    s.close_stdin();
    assert_eq!(s.exit_code(), 1);
}

#[test]
fn exit_codes_follow_the_protocol() {
    // exit without shutdown: 1.
    let mut s = Raw::ready(&[]);
    s.json(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(s.exit_code(), 1);
    // shutdown then exit, with the input left open: 0, without waiting for the input.
    let s = Raw::ready(&[]);
    s.finish();
    // shutdown then the end of the input: 0.
    let mut s = Raw::ready(&[]);
    let r = s.request("shutdown", Value::Null);
    assert!(r.get("error").is_none());
    s.close_stdin();
    assert_eq!(s.exit_code(), 0);
    // The end of the input before initialize: 1.
    let mut s = Raw::start(&[]);
    s.close_stdin();
    assert_eq!(s.exit_code(), 1);
}

#[test]
fn a_long_group_chain_and_lone_cr_line_ends_are_served() {
    let (mut c, _) = crate::common::Client::initialized(None);
    // 5,000 territory groups, each defined by the next: resolving them recursively
    // overflowed the analysis thread's stack at about 2,700.
    let mut chain: String = (0..4_999)
        .map(|i| format!("territory g{i} = g{}\n", i + 1))
        .collect();
    chain.push_str("territory g4999 = [DE]\n");
    c.open("untitled:chain.xlic", 1, &chain);
    let d = c.diagnostics("untitled:chain.xlic", 1);
    assert!(d.is_empty(), "{d:?}");
    // A lone CR ends a line: the comment does not swallow the second party, and its
    // duplicate name is reported on line 2 (zero-based), where editors show it.
    let cr = "party a \"A\"\r// c\rparty a \"B\"\r";
    c.open("untitled:cr.xlic", 1, cr);
    let d = c.diagnostics("untitled:cr.xlic", 1);
    let dup = d
        .iter()
        .find(|d| d["code"] == "E0102")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(dup["range"]["start"], json!({ "line": 2, "character": 6 }));
    assert!(c.is_alive());
    assert!(c.shutdown().success());
}

#[cfg(unix)]
#[test]
fn an_import_of_a_fifo_is_refused_not_read() {
    // Opening a FIFO for reading blocks until a writer comes: the analysis would hang.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let fifo = dir.join("pipe.xlic");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let main = dir.join("main.xlic");
    let text = "import \"pipe.xlic\"\nparty a \"A\"\n";
    std::fs::write(&main, text).unwrap();
    let (mut c, _) = crate::common::Client::initialized(Some(&dir));
    let uri = crate::common::file_uri(&main);
    c.open(&uri, 1, text);
    let d = c.diagnostics(&uri, 1);
    let e = d
        .iter()
        .find(|d| d["code"] == "E0103")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert!(
        e["message"].as_str().unwrap().contains("it is a FIFO"),
        "{e}"
    );
    assert!(c.shutdown().success());
}

/// Emacs (eglot) and JetBrains (lsp4ij) send `shutdown` and `exit` with
/// `"params": null`, newer eglot with `"params": {}`: both are a normal shutdown
/// (an answer without error, exit code 0).
#[test]
fn shutdown_and_exit_with_empty_params_end_cleanly() {
    for params in [Value::Null, json!({}), json!([])] {
        let mut s = Raw::ready(&[]);
        s.open(DOC);
        let id = s.next_id;
        s.next_id += 1;
        s.json(&json!({ "jsonrpc": "2.0", "id": id, "method": "shutdown", "params": params }));
        let r = s.response(id);
        assert!(
            r.get("error").is_none(),
            "shutdown with params {params}: {r}"
        );
        assert!(r["result"].is_null(), "{r}");
        s.json(&json!({ "jsonrpc": "2.0", "method": "exit", "params": params }));
        assert_eq!(s.exit_code(), 0, "exit with params {params}");
    }
}

/// Real parameters on `shutdown` are still an error: only empty ones are dropped.
#[test]
fn shutdown_with_real_params_is_still_invalid() {
    let mut s = Raw::ready(&[]);
    let r = s.request("shutdown", json!({ "force": true }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // The shutdown did not happen, so `exit` ends the server with 1.
    s.json(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(s.exit_code(), 1);
}
