//! The keyword lists that are kept by hand, checked against each other so that they
//! cannot drift apart: the logos tokens (`src/syntax/token.rs`), `KEYWORDS`, the
//! grammar's terminals (`grammar/xlic.lalrpop`), the formatter's attribute starts
//! (`src/fmt.rs`) and the two editor grammars (tree-sitter and TextMate). The lexer is
//! the reference: a word is a keyword when it lexes as a keyword token.
//!
//! The formatter's check reads the grammar: the keywords that can begin an item of a
//! block (`"{" <X*> "}"`) are computed as the FIRST sets of those nonterminals, and
//! must be exactly the tokens `fmt::attribute_start` starts a line at.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use xlic::source::FileId;
use xlic::syntax::token::{Token, KEYWORDS};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The tokens a text lexes to.
fn lex(text: &str) -> Vec<Token> {
    let mut diags = Vec::new();
    let lexed = xlic::syntax::lexer::lex(FileId(0), text, &mut diags);
    lexed.tokens.iter().map(|t| t.1).collect()
}

/// Whether a word lexes as one keyword token.
fn is_keyword(word: &str) -> bool {
    matches!(lex(word).as_slice(), [t] if t.keyword_text().is_some())
}

/// `KEYWORDS` as text → the token's name (`KwAgreement`).
fn table() -> BTreeMap<String, String> {
    KEYWORDS
        .iter()
        .map(|(text, t)| (text.to_string(), format!("{t:?}")))
        .collect()
}

/// Every word of the form `"…"` or `'…'` that looks like a keyword (lower case, with
/// hyphens), outside comments.
fn quoted_words(src: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = src[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            q @ (b'"' | b'\'') => {
                let end = src[i + 1..]
                    .find(q as char)
                    .map_or(bytes.len(), |n| i + 1 + n);
                let word = &src[i + 1..end.min(src.len())];
                if !word.is_empty()
                    && word.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    && word.starts_with(|c: char| c.is_ascii_lowercase())
                {
                    out.push((i, word.to_string()));
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[test]
fn the_keyword_table_is_the_lexer_s() {
    for (text, token) in KEYWORDS {
        assert_eq!(
            lex(text),
            vec![*token],
            "`{text}` does not lex as {token:?}"
        );
        assert_eq!(token.keyword_text(), Some(*text));
    }
    // Every keyword variant of the token enum is in the table, and nothing else is.
    let src = read("src/syntax/token.rs");
    let enum_body = &src[src.find("pub enum Token {").unwrap()..];
    let enum_body = &enum_body[..enum_body.find("\n}\n").unwrap()];
    let variants: BTreeSet<String> = enum_body
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Kw"))
        .map(|l| l.trim_end_matches(',').to_string())
        .collect();
    let in_table: BTreeSet<String> = table().into_values().collect();
    assert_eq!(variants, in_table, "keyword tokens and `KEYWORDS` differ");
}

#[test]
fn the_grammar_s_terminals_are_the_keywords() {
    let grammar = read("grammar/xlic.lalrpop");
    let block = &grammar[grammar.find("enum Token {").unwrap()..];
    let block = &block[..block.find("\n}").unwrap()];
    let terminals: BTreeMap<String, String> = block
        .split(',')
        .filter_map(|l| {
            let (lhs, rhs) = l.trim().split_once(" => Token::")?;
            let text = lhs.strip_prefix('"')?.strip_suffix('"')?;
            rhs.starts_with("Kw")
                .then(|| (text.to_string(), rhs.to_string()))
        })
        .collect();
    assert_eq!(
        terminals,
        table(),
        "the grammar's keyword terminals and `KEYWORDS` differ"
    );
}

#[test]
fn the_tree_sitter_grammar_has_every_keyword_and_no_other() {
    let src = read("editors/tree-sitter-xlic/grammar.js");
    let words: BTreeSet<String> = quoted_words(&src)
        .into_iter()
        // Field names (`field('amount', …)`) and the grammar's name are not words of
        // the language.
        .filter(|(at, _)| {
            let before = src[..*at].trim_end();
            !before.ends_with("field(") && !before.ends_with("name:")
        })
        .map(|(_, w)| w)
        .collect();
    for w in &words {
        assert!(
            is_keyword(w),
            "grammar.js treats `{w}` as a keyword; the lexer does not"
        );
    }
    for (text, _) in KEYWORDS {
        assert!(
            words.contains(*text),
            "grammar.js lacks the keyword `{text}`"
        );
    }
}

#[test]
fn the_textmate_grammar_has_every_keyword_and_no_other() {
    let src = read("editors/vscode/syntaxes/xlic.tmLanguage.json");
    let json: serde_json::Value = serde_json::from_str(&src).unwrap();
    let alternations = |v: &serde_json::Value| -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for p in v["patterns"].as_array().into_iter().flatten() {
            let m = p["match"].as_str().unwrap_or("");
            for group in m.split("(?:").skip(1) {
                let group = group.split(')').next().unwrap_or("");
                out.extend(group.split('|').map(str::to_string));
            }
        }
        out
    };
    let keywords = alternations(&json["repository"]["keywords"]);
    for w in &keywords {
        assert!(
            is_keyword(w),
            "the TextMate grammar colours `{w}` as a keyword; the lexer does not"
        );
    }
    let constants = alternations(&json["repository"]["territories"]);
    for (text, _) in KEYWORDS {
        assert!(
            keywords.contains(*text) || constants.contains(*text),
            "the TextMate grammar lacks the keyword `{text}`"
        );
    }
}

// ------------------------------------------------------------------ FIRST sets

/// A rule of the grammar: its macro parameters and its alternatives' symbols.
struct Rule {
    params: Vec<String>,
    alternatives: Vec<String>,
}

/// Scans from `start` to the `close` that balances the bracket at `start`.
fn matching(s: &str, start: usize, open: u8, close: u8) -> usize {
    let bytes = s.as_bytes();
    let mut depth = 0;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == open {
            depth += 1;
        } else if bytes[i] == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
        i += 1;
    }
    bytes.len()
}

/// The symbol parts (before `=>`) of a rule body's alternatives.
fn alternatives(body: &str) -> Vec<String> {
    let inner = body
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .unwrap_or(body);
    let bytes = inner.as_bytes();
    let (mut out, mut cur) = (Vec::new(), String::new());
    let (mut depth, mut in_action, mut in_str) = (0i32, false, false);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if in_str {
            if !in_action {
                cur.push(c);
            }
            if c == '\\' {
                i += 2;
                continue;
            }
            in_str = c != '"';
            i += 1;
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            '<' if !in_action => depth += 1,
            '>' if !in_action && i > 0 && bytes[i - 1] != b'=' => depth -= 1,
            _ => {}
        }
        if !in_action && depth == 0 && inner[i..].starts_with("=>") {
            out.push(std::mem::take(&mut cur));
            in_action = true;
            i += 2;
            continue;
        }
        if c == ',' && depth == 0 {
            if !in_action && !cur.trim().is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            in_action = false;
            i += 1;
            continue;
        }
        if !in_action {
            cur.push(c);
        }
        i += 1;
    }
    if !in_action && !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// The rules of a lalrpop grammar, by name.
fn rules(grammar: &str) -> BTreeMap<String, Rule> {
    let text: String = grammar
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeMap::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let head = line.strip_prefix("pub ").unwrap_or(line);
        if !head.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let name_end = head
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(head.len());
        let name = &head[..name_end];
        let rest = &head[name_end..];
        let (params, rest) = match rest.strip_prefix('<') {
            Some(r) => {
                let close = r.find('>').unwrap_or(0);
                (
                    r[..close]
                        .split(',')
                        .map(|p| p.trim().to_string())
                        .collect(),
                    &r[close + 1..],
                )
            }
            None => (Vec::new(), rest),
        };
        if !rest.starts_with(':') {
            continue;
        }
        // The body: after the ` = ` that follows the type, up to the `;` at depth 0.
        let Some(eq) = text[start..].find(" = ").map(|e| start + e + 3) else {
            continue;
        };
        let bytes = text.as_bytes();
        let (mut depth, mut in_str, mut end) = (0i32, false, eq);
        while end < bytes.len() {
            let c = bytes[end];
            if in_str {
                if c == b'\\' {
                    end += 2;
                    continue;
                }
                in_str = c != b'"';
            } else {
                match c {
                    b'"' => in_str = true,
                    b'(' | b'{' | b'[' => depth += 1,
                    b')' | b'}' | b']' => depth -= 1,
                    b';' if depth == 0 => break,
                    _ => {}
                }
            }
            end += 1;
        }
        let body = text[eq..end].trim();
        out.insert(
            name.to_string(),
            Rule {
                params,
                alternatives: alternatives(body),
            },
        );
    }
    out
}

/// One symbol of an alternative: a terminal, a nonterminal (maybe a macro call) or a
/// group, with its repetition suffix.
enum Sym {
    Terminal(String),
    Name(String),
    Group(String),
}

fn symbols(alt: &str) -> Vec<(Sym, bool)> {
    let s = alt.trim();
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let suffix = |i: &mut usize| -> bool {
        let nullable = matches!(bytes.get(*i), Some(b'*' | b'?'));
        if matches!(bytes.get(*i), Some(b'*' | b'?' | b'+')) {
            *i += 1;
        }
        nullable
    };
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = s[i + 1..].find('"').map_or(bytes.len(), |n| i + 1 + n);
                let t = s[i + 1..end].to_string();
                i = end + 1;
                let n = suffix(&mut i);
                out.push((Sym::Terminal(t), n));
            }
            b'<' => {
                let end = matching(s, i, b'<', b'>');
                let inner = &s[i + 1..end];
                i = end + 1;
                if inner.contains('@') || inner.ends_with('!') {
                    continue;
                }
                // `<name:Sym>`: the symbol after the first `:` that is not `::`.
                let sym = match inner.find(':') {
                    Some(c) if !inner[c..].starts_with("::") => &inner[c + 1..],
                    _ => inner,
                };
                out.push(parse_expr(sym.trim()));
            }
            b'(' => {
                let end = matching(s, i, b'(', b')');
                let inner = s[i + 1..end].to_string();
                i = end + 1;
                let n = suffix(&mut i);
                out.push((Sym::Group(inner), n));
            }
            c if c.is_ascii_alphabetic() => {
                let mut end = i;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                if bytes.get(end) == Some(&b'<') {
                    end = matching(s, end, b'<', b'>') + 1;
                }
                let name = s[i..end].to_string();
                i = end;
                let n = suffix(&mut i);
                out.push((Sym::Name(name), n));
            }
            _ => i += 1,
        }
    }
    out
}

/// A symbol written inside `<…>`, with its suffix.
fn parse_expr(e: &str) -> (Sym, bool) {
    let (body, nullable) = match e.strip_suffix(['*', '?']) {
        Some(b) => (b, true),
        None => (e.strip_suffix('+').unwrap_or(e), false),
    };
    let sym = if let Some(g) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Sym::Group(g.to_string())
    } else if let Some(t) = body.strip_prefix('"').and_then(|b| b.strip_suffix('"')) {
        Sym::Terminal(t.to_string())
    } else {
        Sym::Name(body.to_string())
    };
    (sym, nullable)
}

struct First<'g> {
    rules: &'g BTreeMap<String, Rule>,
}

impl First<'_> {
    /// The terminals an alternative can begin with, and whether it can be empty.
    fn alt(
        &self,
        alt: &str,
        env: &BTreeMap<String, String>,
        depth: usize,
    ) -> (BTreeSet<String>, bool) {
        let mut first = BTreeSet::new();
        for (sym, nullable) in symbols(alt) {
            let (f, n) = match sym {
                Sym::Terminal(t) => (BTreeSet::from([t]), false),
                Sym::Group(g) => self.alt(&g, env, depth),
                Sym::Name(n) => self.name(&n, env, depth),
            };
            first.extend(f);
            if !(n || nullable) {
                return (first, false);
            }
        }
        (first, true)
    }

    fn name(
        &self,
        name: &str,
        env: &BTreeMap<String, String>,
        depth: usize,
    ) -> (BTreeSet<String>, bool) {
        if depth > 64 {
            return (BTreeSet::new(), false);
        }
        if let Some(bound) = env.get(name) {
            return self.alt(bound, &BTreeMap::new(), depth + 1);
        }
        let (head, arg) = match name.split_once('<') {
            Some((h, a)) => (h, a.strip_suffix('>').map(str::to_string)),
            None => (name, None),
        };
        let Some(rule) = self.rules.get(head) else {
            // A terminal declared in the extern block (IDENT, STR, …).
            return (BTreeSet::from([head.to_string()]), false);
        };
        let env: BTreeMap<String, String> = rule.params.iter().cloned().zip(arg).collect();
        let mut first = BTreeSet::new();
        let mut nullable = false;
        for alt in &rule.alternatives {
            let (f, n) = self.alt(alt, &env, depth + 1);
            first.extend(f);
            nullable |= n;
        }
        (first, nullable)
    }
}

/// The item of a list written out by hand instead of `X*` (`Xs = { => Vec::new(), XList }`
/// with `XList = { <a:X> => …, <v:XList> <a:X> => … }`, as a grant's lines are): `X`.
fn list_element(rules: &BTreeMap<String, Rule>, name: &str) -> Option<String> {
    let mut list = None;
    for alt in &rules.get(name)?.alternatives {
        match symbols(alt).as_slice() {
            [] => {}
            [(Sym::Name(l), false)] => list = Some(l.clone()),
            _ => return None,
        }
    }
    let list = list?;
    let mut item = None;
    for alt in &rules.get(&list)?.alternatives {
        match symbols(alt).as_slice() {
            [(Sym::Name(x), false)] => item = Some(x.clone()),
            [(Sym::Name(l), false), (Sym::Name(x), false)] if *l == list => {
                if item.as_ref().is_some_and(|i| i != x) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    item
}

#[test]
fn the_formatter_starts_a_line_at_every_keyword_that_begins_an_item_of_a_block() {
    let grammar = read("grammar/xlic.lalrpop");
    let rules = rules(&grammar);
    // The nonterminals repeated between braces: `"{" <attrs:X*> "}"`.
    let mut block_items = BTreeSet::new();
    for rule in rules.values() {
        for alt in &rule.alternatives {
            let syms = symbols(alt);
            for w in syms.windows(3) {
                if let [(Sym::Terminal(open), _), (Sym::Name(x), starred), (Sym::Terminal(close), _)] =
                    w
                {
                    if open == "{" && close == "}" {
                        if *starred {
                            block_items.insert(x.clone());
                        } else if let Some(item) = list_element(&rules, x) {
                            block_items.insert(item);
                        }
                    }
                }
            }
        }
    }
    assert!(block_items.contains("GrantAttr"), "found {block_items:?}");
    let first = First { rules: &rules };
    let terminals = table();
    let mut starts = BTreeSet::new();
    for x in &block_items {
        let (f, _) = first.name(x, &BTreeMap::new(), 0);
        starts.extend(f.iter().filter_map(|t| terminals.get(t).cloned()));
    }
    let fmt = read("src/fmt.rs");
    let body = &fmt[fmt.find("fn attribute_start").unwrap()..];
    let body = &body[..body.find("\n}\n").unwrap()];
    // The tokens of the match arms' patterns (not of their conditions).
    let in_fmt: BTreeSet<String> = body
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Token::Kw") || l.starts_with("| Token::Kw"))
        .flat_map(|l| l.split("=>").next().unwrap_or("").split("Token::").skip(1))
        .map(|s| {
            s.chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .collect();
    assert_eq!(
        starts, in_fmt,
        "the keywords that begin an item of a block (left, from the grammar) and the \
         formatter's attribute starts (right) differ"
    );
}

/// The VS Code extension's grammar snapshots (`editors/vscode/test/grammar/examples/`)
/// are taken of the shipped examples; the extension's test run fails when an example
/// changes without them. Checked here too, so `cargo test` says so before CI's npm step:
/// every example has a snapshot whose source lines are the example's lines.
#[test]
fn vscode_grammar_snapshots_follow_the_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let snaps = root.join("editors/vscode/test/grammar/examples");
    let mut examples: Vec<_> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlic"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    for example in examples {
        let name = example.file_name().unwrap().to_string_lossy().to_string();
        let snap = snaps.join(format!("{name}.snap"));
        let snap = std::fs::read_to_string(&snap).unwrap_or_else(|e| {
            panic!("{}: {e}; run `npx vscode-tmgrammar-snap --updateSnapshot` in editors/vscode (see test.sh)", snap.display())
        });
        let shown: Vec<&str> = snap.lines().filter_map(|l| l.strip_prefix('>')).collect();
        let text = std::fs::read_to_string(&example).unwrap();
        // The snapshot shows the empty line after the final line break too.
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(
            shown == lines,
            "{name}: the grammar snapshot is of another version of the example; copy the examples to editors/vscode/test/grammar/examples and run `npx vscode-tmgrammar-snap -g syntaxes/xlic.tmLanguage.json 'test/grammar/examples/*.xlic' --updateSnapshot` there, then review the diff"
        );
    }
}
