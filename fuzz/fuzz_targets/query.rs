//! The query evaluator over a fixed agreement (examples/acme_globex.xlic, compiled once).
//! The fuzzer's bytes are used two ways: every line is handed to `evaluate_line` as is
//! (malformed JSON included), and the input split on TAB into six fields becomes a
//! well-formed request whose field values are arbitrary strings. Neither may panic, and
//! `decide` (the decision without its reasons) must give `evaluate`'s decision, or the
//! same error, for every request that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use xlic::emit::json::Policy;
use xlic::query::Evaluator;

const AGREEMENT: &str = include_str!("../../examples/acme_globex.xlic");

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let c = xlic::compile_text("acme_globex.xlic", AGREEMENT);
        assert!(!c.has_errors(), "the fixed agreement must compile");
        xlic::emit::json::policy(&c.model, &c.sources)
    })
}

fn evaluator() -> &'static Evaluator<'static> {
    static EVALUATOR: OnceLock<Evaluator<'static>> = OnceLock::new();
    EVALUATOR.get_or_init(|| match Evaluator::new(policy()) {
        Ok(e) => e,
        Err(e) => panic!("the fixed agreement's policy must index: {e:?}"),
    })
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let evaluator = evaluator();
    let text = String::from_utf8_lossy(data);
    for line in text.lines() {
        let _ = evaluator.evaluate_line(line);
        let _ = evaluator.decide_line(line);
        if let Ok(request) = serde_json::from_str::<xlic::query::Request>(line) {
            let full = evaluator.evaluate(&request).map(|a| a.decision).map_err(|e| e.message);
            let decided = evaluator.decide(&request).map_err(|e| e.message);
            assert_eq!(decided, full, "{request:?}");
        }
    }
    let fields: Vec<&str> = text.trim_end_matches('\n').split('\t').collect();
    if let [licensee, asset, right, field, territory, date] = fields[..] {
        let line = format!(
            "{{\"licensee\":{},\"asset\":{},\"right\":{},\"field\":{},\"territory\":{},\"date\":{}}}",
            json_string(licensee),
            json_string(asset),
            json_string(right),
            json_string(field),
            json_string(territory),
            json_string(date)
        );
        let _ = evaluator.evaluate_line(&line);
    }
});
