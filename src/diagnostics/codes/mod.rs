//! The registry of stable diagnostic codes: one [`Code`] per rule, with its family, its
//! severity, a title, and the long explanation `xlic explain` prints (one file per code
//! next to this one, `E0101.md`, …).
//!
//! Codes are part of the tool's interface: once published, a code keeps its meaning.
//! Every code a stage of the compiler reports is a variant of [`Code`], and has exactly
//! one entry in [`ALL`].

use super::Severity;
use std::fmt;

/// The group of rules a code belongs to, by the stage that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// The lexer, parser and tree builder (E00xx).
    Syntax,
    /// Names and imports (E01xx).
    Names,
    /// Literal values: dates, terms, money, codes (E02xx).
    Values,
    /// Conflicts between or within clauses (E03xx).
    Conflict,
    /// Drafting policy (W04xx).
    Policy,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Syntax => "syntax",
            Family::Names => "names",
            Family::Values => "values",
            Family::Conflict => "conflict",
            Family::Policy => "policy",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What one diagnostic code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: Code,
    pub family: Family,
    /// Errors fail `xlic check`; warnings do not unless denied.
    pub severity: Severity,
    /// A short lowercase phrase naming the problem.
    pub title: &'static str,
    /// Plain text for `xlic explain`: the rule, why it matters, a `Wrong:` and a
    /// `Fixed:` example, and how to fix it.
    pub explanation: &'static str,
}

/// Declares [`Code`], [`ALL`] and the look-ups from one table, so a code cannot be
/// declared without its family, severity, title and explanation.
macro_rules! registry {
    ($($code:ident $family:ident $severity:ident $title:literal;)*) => {
        /// A stable diagnostic code. Variants are in code order, so the derived order is
        /// the order of the codes as text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $code,
            )*
        }

        /// One constant entry per code, named after it.
        #[allow(non_upper_case_globals)]
        mod entry {
            use super::{Code, CodeInfo, Family, Severity};
            $(
                pub const $code: CodeInfo = CodeInfo {
                    code: Code::$code,
                    family: Family::$family,
                    severity: Severity::$severity,
                    title: $title,
                    explanation: include_str!(concat!(stringify!($code), ".md")).trim_ascii_end(),
                };
            )*
        }

        /// Every code, sorted by code.
        pub static ALL: &[CodeInfo] = &[$(entry::$code,)*];

        impl Code {
            /// The code as written in messages: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// The code's entry in [`ALL`].
            pub fn info(self) -> &'static CodeInfo {
                match self {
                    $(Code::$code => &entry::$code,)*
                }
            }
        }
    };
}

registry! {
    E0001 Syntax Error "invalid character in the source";
    E0002 Syntax Error "unterminated string literal or block comment";
    E0003 Syntax Error "source file is not valid utf-8";
    E0004 Syntax Error "unexpected token";
    E0005 Syntax Error "unexpected end of file";
    E0006 Syntax Error "nesting too deep";
    E0007 Syntax Error "input too large";
    E0008 Syntax Error "malformed number";
    E0010 Syntax Error "required attribute missing";
    E0011 Syntax Error "attribute stated twice";
    E0012 Syntax Error "clause outside an agreement";
    E0013 Syntax Error "more than one agreement in a file";
    E0101 Names Error "unknown name";
    E0102 Names Error "duplicate definition";
    E0103 Names Error "imported file not found or unreadable";
    E0104 Names Error "import cycle";
    E0105 Names Error "import outside the checked folders";
    E0106 Names Error "territory group defined in terms of itself";
    // rights (issue 15): diligence milestones
    E0107 Names Error "unknown diligence milestone";
    // pools (issue 15, round 2)
    E0108 Names Error "unknown standard";
    E0201 Values Error "not a calendar date";
    E0202 Values Error "empty or inverted term";
    E0203 Values Error "grant term outside the agreement term";
    E0204 Values Error "amount out of range";
    E0205 Values Error "inconsistent royalty tiers or currencies";
    E0206 Values Error "unknown currency code";
    E0207 Values Error "patent jurisdiction unknown";
    E0208 Values Error "capture period lists a patent filed outside it";
    E0209 Values Error "number too large or too precise";
    E0210 Values Error "unknown purpose";
    // rights (issue 15): diligence milestones, exclusivity that converts
    E0211 Values Error "diligence date outside the grant's term";
    E0212 Values Error "non-exclusive grant that converts";
    E0215 Values Error "royalty steps overlap";
    E0216 Values Error "royalty ends before it starts";
    // pools (issue 15, round 2)
    E0217 Values Error "pool membership ends before it starts";
    E0218 Values Error "pool membership date outside the agreement term";
    // terms (issue 15, part 3)
    E0220 Values Error "clause of a kind an agreement holds once stated twice";
    E0221 Values Error "shares that do not add up to 100%";
    // terms (issue 15, royalty terms round 2)
    E0222 Values Error "royalty paid less often than it is reported";
    // clauses (issue 15, round 3): first refusal and negotiation
    E0223 Values Error "first right with a period of zero";
    E0224 Values Error "first right outside the agreement term";
    // terms (issue 15, round 5): minimum commitments
    E0225 Values Error "commitment outside the grant's term";
    E0226 Values Error "commitment to nothing";
    // terms (issue 15, round 6): a missed commitment converting exclusivity
    E0227 Values Error "converting commitment that cannot be missed during the license";
    // terms (issue 15, round 7): a most-favoured-licensee promise on part of a grant
    E0228 Values Error "most-favoured-licensee scope outside the grant";
    E0301 Conflict Error "exclusivity conflict";
    E0302 Conflict Error "grant covers a reserved scope";
    E0303 Conflict Error "licensor has no right to grant";
    E0304 Conflict Error "grant scope is empty";
    E0305 Conflict Error "conflicting improvement ownership";
    E0306 Conflict Error "duplicate or orphaned sunset clause";
    E0307 Conflict Error "wind-down overlaps a later exclusive grant";
    E0308 Conflict Error "one patent declared with different facts";
    E0309 Conflict Error "sublicense more exclusive than the license held";
    E0310 Conflict Error "rights reserved for someone who does not own the asset";
    E0311 Conflict Error "exclusive license to several licensees";
    E0317 Conflict Error "termination right for someone outside the license";
    // pools (issue 15, round 2)
    E0318 Conflict Error "exclusive grant of a frand-committed patent";
    // reach (issue 20): affiliates by control in the conflict rules
    E0319 Conflict Error "exclusive grant overlapped by a grant to unnamed affiliates";
    // clauses (issue 15, round 3): first refusal and negotiation
    E0322 Conflict Error "first right on a scope licensed exclusively to another";
    E0323 Conflict Error "first right held by the owner of the assets";
    // clauses (issue 15, round 4): agreement-level payments
    E0324 Conflict Error "payment from a party to itself";
    E0325 Conflict Error "payment by or to a party outside the agreement";
    // terms (issue 15, round 5): minimum commitments
    E0326 Conflict Error "commitment by a party that is not a licensee";
    W0401 Policy Warning "grant-back covers all improvements";
    W0402 Policy Warning "exclusive grant-back";
    W0403 Policy Warning "grant-back without a sunset or outliving its license";
    W0404 Policy Warning "cross-license is not reciprocal";
    W0405 Policy Warning "redundant grant";
    W0406 Policy Warning "except removes nothing";
    W0407 Policy Warning "renewal could collide with an exclusive grant";
    W0408 Policy Warning "royalty runs past patent expiry";
    W0409 Policy Warning "grant conveys nothing under a patent asset";
    W0410 Policy Warning "co-owner licenses exclusively alone";
    W0411 Policy Warning "renewal runs past the agreement or the patents";
    W0412 Policy Warning "improvement rule without a base license";
    W0413 Policy Warning "grant-back of improvements the owner already owns";
    W0414 Policy Warning "party licenses itself";
    W0415 Policy Warning "payment due outside the term";
    W0416 Policy Warning "sublicensing to affiliates that do not exist";
    W0417 Policy Warning "surviving obligation the agreement does not contain";
    // rights (issue 15): pending applications
    W0418 Policy Warning "grant conveys no patent right until its applications are granted";
    // reach (issue 15, round 3): improvement rules cut by membership
    W0419 Policy Warning "improvement rule between parties never members together";
    W0423 Policy Warning "party may terminate on its own event";
    // pools (issue 15, round 2)
    W0424 Policy Warning "membership dates outside a pool";
    W0425 Policy Warning "most-favoured-licensee terms on an exclusive grant";
    // terms (issue 15, part 3)
    W0428 Policy Warning "royalty-bearing grant without an audit clause";
    W0429 Policy Warning "know-how or trade-secret grant without confidentiality";
    W0430 Policy Warning "committee that can deadlock";
    W0431 Policy Warning "royalty payment due after the next period ends";
    W0432 Policy Warning "a royalty's caps and floors count different years";
    // clauses (issue 15, round 4): agreement-level payments
    W0433 Policy Warning "payment in instalments of different currencies";
    // terms (issue 15, round 6)
    W0434 Policy Warning "royalty from expiry that is never due";
}

impl Code {
    pub fn family(self) -> Family {
        self.info().family
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    pub fn title(self) -> &'static str {
        self.info().title
    }

    pub fn explanation(self) -> &'static str {
        self.info().explanation
    }

    /// Reported where the front end could not read the text as written and had to
    /// skip, recover or guess (a character, a token, a clause, a missing attribute):
    /// every syntax code except E0003, whose lossy decoding keeps the text readable.
    /// Policy warnings about such a file are about clauses the parser guessed at.
    pub fn guesses(self) -> bool {
        self.family() == Family::Syntax && self != Code::E0003
    }

    /// Reported where the parse tree is incomplete: text the lexer skipped (E0001,
    /// E0002), tokens the parser recovered from (E0004, E0005), nesting cut off
    /// (E0006). A file without these has a complete tree for editor features.
    pub fn breaks_tree(self) -> bool {
        matches!(
            self,
            Code::E0001 | Code::E0002 | Code::E0004 | Code::E0005 | Code::E0006
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The project's home page: SARIF's `tool.driver.informationUri`.
pub const PROJECT_URL: &str = "https://github.com/xlic/xlic";

/// Where a code's explanation is published, by default: its page in the repository
/// (the same text `xlic explain` prints). A template: `{code}` is replaced by the code.
/// The language server's `codeDescription` and SARIF's `helpUri` share it; both can be
/// pointed elsewhere (`codeDocs`, `--code-docs`).
pub const DEFAULT_DOCS_URL: &str =
    "https://github.com/xlic/xlic/blob/main/src/diagnostics/codes/{code}.md";

/// The URL of `code`'s explanation under `template` (see [`DEFAULT_DOCS_URL`]).
pub fn docs_url(template: &str, code: Code) -> String {
    template.replace("{code}", code.as_str())
}

/// Checks that `template` makes absolute URLs: a scheme (`https:`, `file:`, …) and no
/// blanks or control characters; `{code}` is optional (without it every code links to
/// the same page).
pub fn check_docs_template(template: &str) -> Result<(), String> {
    let scheme = template.split_once(':').map_or("", |(s, _)| s);
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(format!(
            "`{template}` is not an absolute URL (it needs a scheme such as `https:`)"
        ));
    }
    if template
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!("`{template}` is not a URL: it holds a blank"));
    }
    Ok(())
}

/// The rule name of a code for tools that want an identifier (SARIF's `rule.name`): its
/// title in PascalCase, `exclusivity conflict` → `ExclusivityConflict`.
pub fn rule_name(code: Code) -> String {
    let mut name = String::new();
    for word in code
        .title()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// Looks a code up, ignoring ASCII case (`e0101` finds `E0101`) and surrounding blanks.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    let wanted = code.trim();
    ALL.iter()
        .find(|info| info.code.as_str().eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_pascal_case_identifiers() {
        assert_eq!(rule_name(Code::E0301), "ExclusivityConflict");
        assert_eq!(rule_name(Code::E0003), "SourceFileIsNotValidUtf8");
        let mut seen = std::collections::BTreeSet::new();
        for info in ALL {
            let name = rule_name(info.code);
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "{name}"
            );
            assert!(seen.insert(name.clone()), "{name} twice");
        }
    }

    #[test]
    fn docs_urls_name_the_code_and_templates_are_checked() {
        assert_eq!(
            docs_url(DEFAULT_DOCS_URL, Code::E0101),
            "https://github.com/xlic/xlic/blob/main/src/diagnostics/codes/E0101.md"
        );
        assert_eq!(
            docs_url("https://x.test/all", Code::E0101),
            "https://x.test/all"
        );
        assert!(check_docs_template(DEFAULT_DOCS_URL).is_ok());
        assert!(check_docs_template("file:///srv/docs/{code}.html").is_ok());
        for bad in [
            "",
            "docs/{code}.md",
            "://x",
            "https://a b/{code}",
            "1http://x",
        ] {
            assert!(check_docs_template(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code.as_str() < pair[1].code.as_str(),
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
            assert!(pair[0].code < pair[1].code, "variant order is code order");
        }
    }

    #[test]
    fn every_required_code_is_present() {
        let mut wanted: Vec<String> = Vec::new();
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13] {
            wanted.push(format!("E{n:04}"));
        }
        for n in 101..=106 {
            wanted.push(format!("E{n:04}"));
        }
        for n in 201..=209 {
            wanted.push(format!("E{n:04}"));
        }
        // rights (issue 15)
        wanted.push("E0210".to_string());
        for n in 301..=311 {
            wanted.push(format!("E{n:04}"));
        }
        for n in 401..=417 {
            wanted.push(format!("W{n:04}"));
        }
        // pools (issue 15, part 2): royalty terms, who may terminate
        wanted.extend(["E0215", "E0216", "E0317", "W0423"].map(String::from));
        // pools (issue 15, round 2)
        wanted.extend(["E0108", "E0217", "E0218", "E0318", "W0424", "W0425"].map(String::from));
        // terms (issue 15, part 3)
        wanted.extend(["E0220", "E0221", "W0428", "W0429", "W0430"].map(String::from));
        // rights (issue 15, round 2)
        wanted.extend(["E0107", "E0211", "E0212", "W0418"].map(String::from));
        // terms (issue 15, royalty terms round 2)
        wanted.extend(["E0222", "W0431", "W0432"].map(String::from));
        // clauses (issue 15, round 3): first refusal and negotiation
        wanted.extend(["E0223", "E0224", "E0322", "E0323"].map(String::from));
        // clauses (issue 15, round 4): agreement-level payments
        wanted.extend(["E0324", "E0325", "W0433"].map(String::from));
        // terms (issue 15, round 5): minimum commitments
        wanted.extend(["E0225", "E0226", "E0326"].map(String::from));
        // terms (issue 15, round 6)
        wanted.extend(["E0227", "W0434"].map(String::from));
        // terms (issue 15, round 7)
        wanted.extend(["E0228"].map(String::from));
        // reach (issue 15, round 3)
        wanted.extend(["E0319", "W0419"].map(String::from));
        for code in &wanted {
            assert!(lookup(code).is_some(), "missing {code}");
        }
        assert_eq!(ALL.len(), wanted.len());
    }

    #[test]
    fn info_is_the_entry_in_all() {
        for info in ALL {
            assert_eq!(info.code.info(), info);
        }
    }

    #[test]
    fn entries_are_well_formed() {
        for info in ALL {
            let code = info.code.as_str();
            assert_eq!(code.len(), 5, "{code}");
            let expected_family = match &code[..3] {
                "E00" => Family::Syntax,
                "E01" => Family::Names,
                "E02" => Family::Values,
                "E03" => Family::Conflict,
                "W04" => Family::Policy,
                _ => panic!("no family for the prefix of {code}"),
            };
            assert_eq!(info.family, expected_family, "{code}");
            let expected_severity = if code.starts_with('W') {
                Severity::Warning
            } else {
                Severity::Error
            };
            assert_eq!(info.severity, expected_severity, "{code}");
            assert!(!info.title.is_empty());
            assert_eq!(info.title, info.title.to_lowercase(), "{code}");
            assert!(!info.title.ends_with('.'), "{code}");
            let text = info.explanation;
            assert!(text.contains("\nWrong"), "{code} lacks Wrong:");
            assert!(text.contains("\nFixed"), "{code} lacks Fixed:");
            assert!(
                text.contains("Wrong:") || text.contains("Wrong ("),
                "{code}"
            );
            assert!(text.find("Wrong") < text.find("Fixed"), "{code}");
            let lines = text.lines().count();
            assert!((8..=30).contains(&lines), "{code} has {lines} lines");
            assert!(!text.ends_with('\n') && !text.starts_with('\n'), "{code}");
            for line in text.lines() {
                assert_eq!(line, line.trim_end(), "{code}: trailing blank");
            }
        }
    }

    #[test]
    fn explanations_mention_wrong_and_fixed_sections() {
        for info in ALL {
            let has = |word: &str| {
                info.explanation
                    .lines()
                    .any(|l| l.starts_with(word) && l.trim_end().ends_with(':'))
            };
            assert!(has("Wrong"), "{}", info.code);
            assert!(has("Fixed"), "{}", info.code);
        }
    }

    #[test]
    fn lookup_ignores_case() {
        let code = |s: &str| lookup(s).map(|i| i.code);
        assert_eq!(code("E0101"), Some(Code::E0101));
        assert_eq!(code("e0101"), Some(Code::E0101));
        assert_eq!(code("w0408"), Some(Code::W0408));
        assert_eq!(code(" E0301 "), Some(Code::E0301));
        assert!(lookup("E9999").is_none());
        assert!(lookup("").is_none());
        assert!(lookup("0101").is_none());
    }

    #[test]
    fn the_two_syntax_predicates_nest() {
        for info in ALL {
            if info.code.breaks_tree() {
                assert!(info.code.guesses(), "{}", info.code);
            }
        }
        assert!(!Code::E0003.guesses());
        assert!(Code::E0010.guesses() && !Code::E0010.breaks_tree());
    }
}
