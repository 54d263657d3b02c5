//! SARIF 2.1.0 output (`--message-format sarif`): one log with one run, for code
//! scanning services and SARIF viewers.
//!
//! The mapping, documented for users in `docs/sarif.md`:
//!
//! - `tool.driver.rules` is the whole registry ([`codes::ALL`], in its order), so a
//!   result's `ruleIndex` is the index of its code there; each rule has a `name` (the
//!   title in PascalCase, [`codes::rule_name`]) and a `helpUri` (the code's page,
//!   [`Options::docs`]); the driver's `informationUri` is the project's page.
//! - A result's `locations[0]` is the primary label, `relatedLocations` the secondary
//!   labels (ids 1, 2, … in the diagnostic's order); `message.text` is the message
//!   alone, the help and notes are the result's `properties.help` and
//!   `properties.notes`, and the diagnostic's fixes (`Diagnostic::fixes`) become `fixes`.
//! - Files are URIs relative to `%SRCROOT%` (with `..` segments for a file outside the
//!   root), so the log holds no path of this machine; `originalUriBaseIds` gives the
//!   root's absolute URI only when asked ([`Options::declare_root`], `--sarif-root`).
//!   Only a file with no relative path to the root (another drive) is an absolute
//!   `file://` URI; stdin is `stdin`.
//! - Regions are one-based lines and columns in UTF-16 code units (`columnKind` says
//!   so), `endColumn` one past the last character.
//!
//! Like the other renderers it clamps any span to its file and never panics, and its
//! output depends only on its inputs: keys in a fixed order, maps sorted.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::render::clamp_range;
use super::{codes, Diagnostic, Fix, Label, Severity, TextEdit};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// The `$schema` of the log: the OASIS standard's schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";

/// The base id relative artifact URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of xlic's entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "xlic/v1";

/// What the log needs beyond the diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The repository root: an absolute path, `%SRCROOT%` in the log.
    pub root: PathBuf,
    /// How many diagnostics were left out (`--max-diagnostics`); said in a notification.
    pub omitted: usize,
    /// The URL template of a code's explanation, each rule's `helpUri` (`{code}` is
    /// replaced by the code; [`codes::DEFAULT_DOCS_URL`] unless configured). It must
    /// make absolute URLs ([`codes::check_docs_template`]).
    pub docs: String,
    /// Whether `originalUriBaseIds` says where `%SRCROOT%` is on this machine (an
    /// absolute `file://` URI); without it the consumer resolves the base itself (code
    /// scanning services take their checkout).
    pub declare_root: bool,
}

impl Options {
    /// The options for `root`: nothing omitted, the default explanation pages.
    pub fn new(root: PathBuf) -> Options {
        Options {
            root,
            omitted: 0,
            docs: codes::DEFAULT_DOCS_URL.to_string(),
            declare_root: false,
        }
    }
}

// ---------------------------------------------------------------- repository root

/// The repository root for `start`: the nearest folder at or above it that holds a
/// `.git` (a folder, or the file of a worktree), else `start` itself. The answer is
/// canonical when `start` exists.
pub fn find_root(start: &Path) -> PathBuf {
    let start = crate::source::canonical(start);
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(start)
}

/// The root of a run: `explicit` (`--sarif-root`) when given, which must be a folder,
/// else [`find_root`] from the current folder.
pub fn resolve_root(explicit: Option<&Path>) -> Result<PathBuf, String> {
    match explicit {
        Some(dir) => match std::fs::canonicalize(dir) {
            Ok(c) if c.is_dir() => Ok(c),
            Ok(_) => Err(format!("--sarif-root `{}` is not a folder", dir.display())),
            Err(e) => Err(format!("--sarif-root `{}`: {e}", dir.display())),
        },
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("cannot read the current folder: {e}"))?;
            Ok(find_root(&cwd))
        }
    }
}

// ---------------------------------------------------------------- URIs

/// Percent-encodes every byte but the unreserved characters of RFC 3986 (and `/`, when
/// `slash` is true).
fn percent_encode(bytes: &[u8], slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (slash && b == b'/');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path's bytes with `/` between components, whatever the platform's separator.
fn slash_path(path: &Path) -> Vec<u8> {
    let text = path.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR == '/' {
        text.to_vec()
    } else {
        text.iter()
            .map(|&b| if b == b'\\' { b'/' } else { b })
            .collect()
    }
}

/// The `file://` URI of an absolute path; `dir` adds the trailing `/` a base URI needs.
pub fn file_uri(path: &Path, dir: bool) -> String {
    let mut bytes = slash_path(path);
    if bytes.first() != Some(&b'/') {
        bytes.insert(0, b'/');
    }
    if dir && bytes.last() != Some(&b'/') {
        bytes.push(b'/');
    }
    format!("file://{}", percent_encode(&bytes, true))
}

/// `path` relative to `root`, each component percent-encoded, with a `..` for each
/// folder of `root` the path is not under; `None` when they share no prefix (other
/// drives), when `path` is `root`, or when either holds a `.` or `..`.
fn relative_uri(path: &Path, root: &Path) -> Option<String> {
    let path: Vec<Component> = path.components().collect();
    let root: Vec<Component> = root.components().collect();
    let shared = path.iter().zip(&root).take_while(|(a, b)| a == b).count();
    let mut parts = Vec::new();
    if shared == 0
        || path
            .iter()
            .chain(&root)
            .any(|c| matches!(c, Component::CurDir | Component::ParentDir))
    {
        return None;
    }
    for c in root.get(shared..).unwrap_or_default() {
        match c {
            Component::Normal(_) => parts.push("..".to_string()),
            _ => return None,
        }
    }
    for c in path.get(shared..).unwrap_or_default() {
        match c {
            Component::Normal(name) => {
                parts.push(percent_encode(name.as_encoded_bytes(), false));
            }
            _ => return None,
        }
    }
    if parts.last().is_none_or(|p| p == "..") {
        return None;
    }
    Some(parts.join("/"))
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// An entry of `originalUriBaseIds`: the base's URI when declared, else a description.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BaseLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Message>,
}

/// Where a file is, as SARIF says it: relative to `%SRCROOT%` (climbing out of it with
/// `..` when it is elsewhere), an absolute `file://` URI only when there is no relative
/// path (another drive), `stdin` for standard input and the percent-encoded name for
/// any other text that has no file.
fn artifact(file: &SourceFile, root: &Path) -> ArtifactLocation {
    match &file.path {
        Some(path) => match relative_uri(path, root) {
            Some(uri) => ArtifactLocation {
                uri,
                uri_base_id: Some(SRCROOT),
            },
            None => ArtifactLocation {
                uri: file_uri(path, false),
                uri_base_id: None,
            },
        },
        None if file.name == "<stdin>" => ArtifactLocation {
            uri: "stdin".to_string(),
            uri_base_id: None,
        },
        None => ArtifactLocation {
            uri: percent_encode(file.name.as_bytes(), true),
            uri_base_id: None,
        },
    }
}

// ---------------------------------------------------------------- the log's shape

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    original_uri_base_ids: BTreeMap<&'static str, BaseLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

/// What a diagnostic says beyond its message: the fix in words and the notes.
#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.help.is_none() && self.notes.is_empty()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Content>,
}

#[derive(Serialize)]
struct Content {
    text: String,
}

// ---------------------------------------------------------------- building

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A span's region: clamped to its file, one-based, columns in UTF-16 code units.
fn region(file: &SourceFile, span: Span) -> Region {
    let range = clamp_range(&file.text, span);
    let start = file.lines.line_col_utf16(&file.text, to_u32(range.start));
    let end = file.lines.line_col_utf16(&file.text, to_u32(range.end));
    Region {
        start_line: start.line.saturating_add(1),
        start_column: start.column.saturating_add(1),
        end_line: end.line.saturating_add(1),
        end_column: end.column.saturating_add(1),
    }
}

fn location(
    label: &Label,
    id: Option<usize>,
    sources: &SourceMap,
    root: &Path,
) -> Option<Location> {
    let file = sources.get(label.span.file)?;
    Some(Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(file, root),
            region: region(file, label.span),
        },
        message: (!label.message.is_empty()).then(|| Message {
            text: label.message.clone(),
        }),
    })
}

/// A fix as SARIF says it, with the edits of each file together (files in id order,
/// edits in position order); `None` when an edit is in a file the map does not hold.
fn sarif_fix(fix: &Fix, sources: &SourceMap, root: &Path) -> Option<SarifFix> {
    let mut by_file: BTreeMap<FileId, Vec<&TextEdit>> = BTreeMap::new();
    for edit in &fix.edits {
        by_file.entry(edit.span.file).or_default().push(edit);
    }
    let mut changes = Vec::new();
    for (id, mut edits) in by_file {
        let file = sources.get(id)?;
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let replacements = edits
            .into_iter()
            .map(|e| Replacement {
                deleted_region: region(file, e.span),
                inserted_content: (!e.new_text.is_empty()).then(|| Content {
                    text: e.new_text.clone(),
                }),
            })
            .collect();
        changes.push(ArtifactChange {
            artifact_location: artifact(file, root),
            replacements,
        });
    }
    if changes.is_empty() {
        return None;
    }
    Some(SarifFix {
        description: Message {
            text: fix.title.clone(),
        },
        artifact_changes: changes,
    })
}

/// FNV-1a, 64 bits: a hash that is the same on every platform and every run.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The part of the fingerprint that does not move with the text around it: the code,
/// the file and the source text of the primary label (a clause header, a name) with its
/// blanks collapsed. Line numbers are not part of it.
fn fingerprint_key(d: &Diagnostic, sources: &SourceMap, root: &Path) -> u64 {
    let uri = sources
        .get(d.primary.span.file)
        .map(|f| artifact(f, root).uri)
        .unwrap_or_default();
    let snippet = sources.get(d.primary.span.file).map_or("", |f| {
        f.text
            .get(clamp_range(&f.text, d.primary.span))
            .unwrap_or("")
    });
    let snippet: Vec<&str> = snippet.split_whitespace().collect();
    fnv1a(&[d.code.as_str(), &uri, &snippet.join(" ")])
}

fn rule(info: &codes::CodeInfo, docs: &str) -> Rule {
    let first_paragraph = info
        .explanation
        .split("\n\n")
        .next()
        .unwrap_or(info.explanation);
    let summary: Vec<&str> = first_paragraph.split_whitespace().collect();
    Rule {
        id: info.code.as_str(),
        name: codes::rule_name(info.code),
        short_description: Message {
            text: info.title.to_string(),
        },
        full_description: Message {
            text: summary.join(" "),
        },
        help: MultiformatMessage {
            text: info.explanation.to_string(),
            markdown: info.explanation.to_string(),
        },
        help_uri: codes::docs_url(docs, info.code),
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            tags: vec![info.family.as_str()],
        },
    }
}

/// The SARIF log of `diags` as a JSON value (keys of nested objects in serde_json's
/// map order; [`render_sarif`] keeps the documented order).
pub fn to_sarif(diags: &[Diagnostic], sources: &SourceMap, options: &Options) -> serde_json::Value {
    serde_json::to_value(log(diags, sources, options)).unwrap_or(serde_json::Value::Null)
}

fn log<'a>(diags: &'a [Diagnostic], sources: &SourceMap, options: &Options) -> Log<'a> {
    let root = options.root.as_path();
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    let mut results = Vec::with_capacity(diags.len());
    for d in diags {
        let key = fingerprint_key(d, sources, root);
        let occurrence = seen.entry(key).or_insert(0);
        *occurrence += 1;
        let fingerprint = format!("{key:016x}:{occurrence}");
        let related = d
            .secondary
            .iter()
            .enumerate()
            .filter_map(|(i, l)| location(l, Some(i + 1), sources, root))
            .collect();
        results.push(SarifResult {
            rule_id: d.code.as_str(),
            rule_index: codes::ALL.iter().position(|c| c.code == d.code),
            level: level(d.severity),
            message: Message {
                text: d.message.clone(),
            },
            locations: location(&d.primary, None, sources, root)
                .into_iter()
                .collect(),
            related_locations: related,
            fixes: d
                .fixes
                .iter()
                .filter_map(|f| sarif_fix(f, sources, root))
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            properties: ResultProperties {
                help: d.help.as_deref(),
                notes: &d.notes,
            },
        });
    }
    let mut notifications = Vec::new();
    if options.omitted > 0 {
        notifications.push(Notification {
            level: "note",
            message: Message {
                text: format!(
                    "{} more diagnostics not shown (--max-diagnostics; 0 shows all)",
                    options.omitted
                ),
            },
        });
    }
    let version = env!("CARGO_PKG_VERSION");
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "xlic",
                    version,
                    semantic_version: version,
                    information_uri: codes::PROJECT_URL,
                    rules: codes::ALL
                        .iter()
                        .map(|info| rule(info, &options.docs))
                        .collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                if options.declare_root {
                    BaseLocation {
                        uri: Some(file_uri(root, true)),
                        description: None,
                    }
                } else {
                    BaseLocation {
                        uri: None,
                        description: Some(Message {
                            text: "the root of the repository checked".to_string(),
                        }),
                    }
                },
            )]),
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
}

/// The SARIF log of `diags`, pretty-printed JSON with two-space indents and a final
/// newline; each diagnostic's fixes become SARIF `fixes`.
pub fn render_sarif(diags: &[Diagnostic], sources: &SourceMap, options: &Options) -> String {
    let mut text = serde_json::to_string_pretty(&log(diags, sources, options))
        .unwrap_or_else(|_| to_sarif(diags, sources, options).to_string());
    text.push('\n');
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn options() -> Options {
        Options::new(PathBuf::from("/repo"))
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            file_uri(Path::new("/a b/c#d/é.xlic"), false),
            "file:///a%20b/c%23d/%C3%A9.xlic"
        );
        assert_eq!(file_uri(Path::new("/repo"), true), "file:///repo/");
        assert_eq!(file_uri(Path::new("/"), true), "file:///");
        assert_eq!(
            relative_uri(Path::new("/repo/x y/a:b.xlic"), Path::new("/repo")).as_deref(),
            Some("x%20y/a%3Ab.xlic")
        );
        assert_eq!(
            relative_uri(Path::new("/other/a b.xlic"), Path::new("/repo/sub")).as_deref(),
            Some("../../other/a%20b.xlic")
        );
        assert_eq!(relative_uri(Path::new("/repo"), Path::new("/repo")), None);
        assert_eq!(relative_uri(Path::new("/"), Path::new("/repo")), None);
        assert_eq!(relative_uri(Path::new("a.xlic"), Path::new("/repo")), None);
    }

    #[test]
    fn regions_count_utf16_units_from_one() {
        let text = "a–b 😀 c\r\nnext";
        let mut sources = SourceMap::new();
        let id = sources.add("x.xlic", Some(PathBuf::from("/repo/x.xlic")), text.into());
        let c = text.find('c').unwrap();
        let f = sources.get(id).unwrap();
        assert_eq!(
            region(f, Span::new(id, c, c + 1)),
            Region {
                start_line: 1,
                start_column: 8,
                end_line: 1,
                end_column: 9
            }
        );
        // Past the end, inverted and inside a character: clamped, never a panic.
        let e = text.find('😀').unwrap();
        for span in [
            Span::new(id, 999, 2000),
            Span {
                file: id,
                start: 9,
                end: 3,
            },
            Span::new(id, e + 1, e + 2),
        ] {
            let r = region(f, span);
            assert!(r.start_line >= 1 && r.start_column >= 1);
            assert!((r.start_line, r.start_column) <= (r.end_line, r.end_column));
        }
    }

    #[test]
    fn unknown_files_degrade() {
        let sources = SourceMap::new();
        let d = Diagnostic::new(Code::E0004, "odd", Span::new(FileId(7), 0, 1))
            .with_secondary(Span::new(FileId(8), 0, 1), "elsewhere");
        let v = to_sarif(&[d], &sources, &options());
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "E0004");
        assert_eq!(r["ruleIndex"], 3);
        assert_eq!(r["locations"], serde_json::json!([]));
        assert!(r.get("relatedLocations").is_none());
    }

    #[test]
    fn fingerprints_ignore_line_moves_and_count_repeats() {
        let key = |text: &str| {
            let mut sources = SourceMap::new();
            let id = sources.add("a.xlic", Some(PathBuf::from("/repo/a.xlic")), text.into());
            let at = text.find("globx").unwrap();
            let d = Diagnostic::new(
                Code::E0101,
                "unknown party `globx`",
                Span::new(id, at, at + 5),
            );
            let v = to_sarif(&[d.clone(), d], &sources, &options());
            let r = &v["runs"][0]["results"];
            (
                r[0]["partialFingerprints"][FINGERPRINT_KEY].clone(),
                r[1]["partialFingerprints"][FINGERPRINT_KEY].clone(),
            )
        };
        let (a1, a2) = key("grant g: acme -> globx {}");
        let (b1, _) = key("\n\n// moved\ngrant g: acme -> globx {}");
        assert_eq!(a1, b1);
        assert_ne!(a1, a2);
        assert!(a1.as_str().unwrap().ends_with(":1"));
        assert!(a2.as_str().unwrap().ends_with(":2"));
    }

    #[test]
    fn fixes_become_replacements() {
        let text = "grant g: acme -> globx {}";
        let mut sources = SourceMap::new();
        let id = sources.add("a.xlic", Some(PathBuf::from("/repo/a.xlic")), text.into());
        let at = text.find("globx").unwrap();
        let span = Span::new(id, at, at + 5);
        let d = Diagnostic::new(Code::E0101, "unknown party `globx`", span).with_fixes([Fix {
            title: "replace `globx` with `globex`".into(),
            edits: vec![
                TextEdit {
                    span,
                    new_text: "globex".into(),
                },
                TextEdit {
                    span: Span::new(id, 0, 6),
                    new_text: String::new(),
                },
            ],
            preferred: true,
        }]);
        let v = to_sarif(&[d], &sources, &options());
        let change = &v["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "a.xlic");
        let reps = change["replacements"].as_array().unwrap();
        assert_eq!(reps[0]["deletedRegion"]["endColumn"], 7);
        assert!(reps[0].get("insertedContent").is_none());
        assert_eq!(reps[1]["deletedRegion"]["startColumn"], 18);
        assert_eq!(reps[1]["insertedContent"]["text"], "globex");
    }
}
