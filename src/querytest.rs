//! Policy tests: the answers drafters rely on, pinned next to the agreement in an
//! `AGREEMENT.xlic.test` file and checked by `xlic test` (docs/testing.md).
//!
//! ```text
//! # one case a line; `because` and `owes` lines pin more of the answer
//! expect permit: globex may sell acme_motion in robotics.consumer.vacuum in DE on 2027-06-01
//!   because granted acme_to_globex
//!   owes acme_to_globex
//! expect deny: acme_de may use acme_motion in robotics.consumer in US on 2027-06-01
//! ```
//!
//! [`parse`] reads a file (every problem at once, each with its line); [`run`] asks a
//! case through the evaluator of `xlic query` and says what differs from the answer
//! expected.

use crate::query::{Answer, Decision, Evaluator, Reason, ReasonKind, Request};

/// The directive that names the agreement a test file tests.
pub const AGREEMENT: &str = "agreement";

/// A reason a case expects: its kind and, when given, the clause it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Because {
    pub kind: ReasonKind,
    pub clause: Option<String>,
}

/// One case: a question and the answer it must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The one-based line of its `expect`.
    pub line: usize,
    /// The question as written after `expect DECISION:`, blanks collapsed.
    pub question: String,
    pub request: Request,
    pub decision: Decision,
    /// Each must be among the answer's reasons (in any order).
    pub because: Vec<Because>,
    /// When given, the clauses of the answer's obligations, exactly and in order.
    pub owes: Option<Vec<String>>,
}

/// A parsed test file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestFile {
    /// The agreement named by `agreement PATH` (relative to the test file), if any.
    pub agreement: Option<String>,
    pub cases: Vec<Case>,
}

/// A line of a test file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// One-based.
    pub line: usize,
    pub message: String,
    pub help: Option<String>,
}

fn error(line: usize, message: String, help: &str) -> ParseError {
    ParseError {
        line,
        message,
        help: (!help.is_empty()).then(|| help.to_string()),
    }
}

const QUESTION_FORM: &str =
    "write `expect DECISION: LICENSEE may RIGHT ASSET in FIELD in TERRITORY on DATE [for PURPOSE]`";

/// A snake_case word read as the query's JSON spells it (`no_license_needed`,
/// `not_granted`).
fn snake<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(word.to_string())).ok()
}

const DECISIONS: &str = "permit, deny or no_license_needed";
const REASONS: &str = "granted, owner, retained, not_granted, excepted, reserved, \
exclusive_to_another, expired, not_yet_in_force, patent_not_in_force, \
wind_down_sell_off_only, outside_purpose, covenant, released or pending_application";

/// `LICENSEE may RIGHT ASSET in FIELD in TERRITORY on DATE [for PURPOSE]`; the right
/// may be two words (`have made`).
fn question(text: &str) -> Option<Request> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (licensee, rest) = words.split_first()?;
    let rest = rest.strip_prefix(&["may"])?;
    let at = rest.iter().position(|w| *w == "in")?;
    let (right_asset, tail) = rest.split_at(at);
    let (asset, right) = right_asset.split_last()?;
    if right.is_empty() {
        return None;
    }
    let (tail, purpose) = match tail {
        [head @ .., "for", purpose] => (head, Some((*purpose).to_string())),
        _ => (tail, None),
    };
    match tail {
        ["in", field, "in", territory, "on", date] => Some(Request {
            licensee: (*licensee).to_string(),
            asset: (*asset).to_string(),
            right: right.join(" "),
            field: (*field).to_string(),
            territory: (*territory).to_string(),
            date: (*date).to_string(),
            purpose,
            affiliate: None,
        }),
        _ => None,
    }
}

/// Reads a test file: `#` comment lines, blank lines, at most one `agreement PATH`
/// before the first case, `expect` lines and the `because` / `owes` lines after one.
/// Every line that cannot be read is reported.
pub fn parse(text: &str) -> Result<TestFile, Vec<ParseError>> {
    let mut file = TestFile::default();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .map_or((trimmed, ""), |(w, r)| (w, r.trim()));
        match word {
            AGREEMENT => {
                if !file.cases.is_empty() || file.agreement.is_some() {
                    errors.push(error(
                        line,
                        "`agreement` must come once, before the first case".into(),
                        "name the agreement at the top of the file, or split the file",
                    ));
                } else if rest.is_empty() {
                    errors.push(error(
                        line,
                        "`agreement` needs a path".into(),
                        "write `agreement PATH`, relative to this file",
                    ));
                } else {
                    file.agreement = Some(rest.to_string());
                }
            }
            "expect" => match expect_line(line, rest) {
                Ok(case) => file.cases.push(case),
                Err(e) => errors.push(e),
            },
            "because" | "owes" => {
                let Some(case) = file.cases.last_mut() else {
                    errors.push(error(
                        line,
                        format!("`{word}` before any `expect`"),
                        "put it on the lines after the case it belongs to",
                    ));
                    continue;
                };
                if word == "owes" {
                    case.owes = Some(rest.split_whitespace().map(str::to_string).collect());
                    continue;
                }
                let mut parts = rest.split_whitespace();
                let kind = parts.next().unwrap_or("");
                match snake::<ReasonKind>(kind) {
                    Some(kind) => case.because.push(Because {
                        kind,
                        clause: parts.next().map(str::to_string),
                    }),
                    None => errors.push(error(
                        line,
                        format!("unknown reason `{kind}`"),
                        &format!("write `because KIND [CLAUSE]`; KIND is one of {REASONS}"),
                    )),
                }
                if let Some(extra) = parts.next() {
                    errors.push(error(
                        line,
                        format!("unexpected `{extra}` after the clause"),
                        "write one `because KIND [CLAUSE]` line per reason",
                    ));
                }
            }
            _ => errors.push(error(
                line,
                format!("unknown line `{}`", first_chars(trimmed)),
                "a line is `expect …`, `because …`, `owes …`, `agreement PATH` or a `#` comment",
            )),
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// The start of a line for a message: at most 40 characters.
fn first_chars(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// `DECISION: QUESTION`, the rest of an `expect` line.
fn expect_line(line: usize, rest: &str) -> Result<Case, ParseError> {
    let Some((decision, text)) = rest.split_once(':') else {
        return Err(error(
            line,
            "`expect` needs a decision and a colon".into(),
            QUESTION_FORM,
        ));
    };
    let decision = decision.trim();
    let Some(decision) = snake::<Decision>(decision) else {
        return Err(error(
            line,
            format!("unknown decision `{decision}`"),
            &format!("the decision is one of {DECISIONS}"),
        ));
    };
    let Some(request) = question(text) else {
        return Err(error(
            line,
            format!("cannot read the question `{}`", first_chars(text.trim())),
            QUESTION_FORM,
        ));
    };
    Ok(Case {
        line,
        question: text.split_whitespace().collect::<Vec<_>>().join(" "),
        request,
        decision,
        because: Vec::new(),
        owes: None,
    })
}

/// How a case went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed(Answer),
    /// The answer, and each way it differs from what the case expects.
    Failed(Answer, Vec<String>),
    /// The question names something the agreement does not know, or is malformed.
    Error(String),
}

/// A decision as the test file spells it.
pub fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::Permit => "permit",
        Decision::Deny => "deny",
        Decision::NoLicenseNeeded => "no_license_needed",
    }
}

/// A reason kind as the test file spells it.
pub fn reason_word(kind: ReasonKind) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{kind:?}"),
    }
}

fn matches(reason: &Reason, because: &Because) -> bool {
    reason.kind == because.kind
        && because
            .clause
            .as_ref()
            .is_none_or(|c| reason.clause.as_ref() == Some(c))
}

/// Asks the case's question and compares the answer with the one expected.
pub fn run(evaluator: &Evaluator<'_>, case: &Case) -> Outcome {
    let answer = match evaluator.evaluate(&case.request) {
        Ok(a) => a,
        Err(e) => return Outcome::Error(e.message),
    };
    let mut problems = Vec::new();
    if answer.decision != case.decision {
        problems.push(format!(
            "expected {}, got {}",
            decision_word(case.decision),
            decision_word(answer.decision)
        ));
    }
    for because in &case.because {
        if !answer.reasons.iter().any(|r| matches(r, because)) {
            let clause = because
                .clause
                .as_ref()
                .map(|c| format!(" `{c}`"))
                .unwrap_or_default();
            problems.push(format!(
                "expected the reason {}{clause}, which the answer does not give",
                reason_word(because.kind)
            ));
        }
    }
    if let Some(owes) = &case.owes {
        let got: Vec<&str> = answer
            .obligations
            .iter()
            .map(|o| o.clause.as_str())
            .collect();
        if got != owes.iter().map(String::as_str).collect::<Vec<_>>() {
            let list = |v: &[&str]| {
                if v.is_empty() {
                    "nothing".to_string()
                } else {
                    v.join(" ")
                }
            };
            let expected: Vec<&str> = owes.iter().map(String::as_str).collect();
            problems.push(format!(
                "expected to owe {}, owes {}",
                list(&expected),
                list(&got)
            ));
        }
    }
    if problems.is_empty() {
        Outcome::Passed(answer)
    } else {
        Outcome::Failed(answer, problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn reads_cases_reasons_and_obligations() {
        let file = parse(
            "# pinned answers\nagreement ../a.xlic\n\n\
             expect permit: globex may have made m in robotics.consumer in DE on 2027-06-01\n\
             \x20 because granted g\n  because owner\n  owes g h\n\
             expect no_license_needed:  b   may use m in tools in US on 2032-01-01\n",
        )
        .unwrap();
        assert_eq!(file.agreement.as_deref(), Some("../a.xlic"));
        assert_eq!(file.cases.len(), 2);
        let first = &file.cases[0];
        assert_eq!(first.line, 4);
        assert_eq!(first.request.right, "have made");
        assert_eq!(first.request.asset, "m");
        assert_eq!(first.request.field, "robotics.consumer");
        assert_eq!(first.because.len(), 2);
        assert_eq!(first.because[0].clause.as_deref(), Some("g"));
        assert_eq!(first.because[1].clause, None);
        assert_eq!(first.owes, Some(vec!["g".to_string(), "h".to_string()]));
        let second = &file.cases[1];
        assert_eq!(second.decision, Decision::NoLicenseNeeded);
        assert_eq!(second.question, "b may use m in tools in US on 2032-01-01");
        assert_eq!(second.owes, None);
    }

    #[test]
    fn reports_every_bad_line_with_help() {
        let errors = parse(
            "because granted\n\
             expect allow: a may use m in f in US on 2027-01-01\n\
             expect permit a may use m in f in US on 2027-01-01\n\
             expect permit: a may m in f in US on 2027-01-01\n\
             expect permit: a may use m in f in US\n\
             expect deny: a may use m in f in US on 2027-01-01\n\
             because granted g extra\nbecause grantd\nagreement x.xlic\nfoo bar\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 7, 8, 9, 10]);
        assert_eq!(errors[1].message, "unknown decision `allow`");
        assert!(errors[3].help.as_deref().unwrap().contains("LICENSEE may"));
        assert_eq!(errors[6].message, "unknown reason `grantd`");
        assert!(errors.iter().all(|e| e.help.is_some()));
    }
}
