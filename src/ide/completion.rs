//! Completion that knows the context, judged from the tokens before the cursor:
//! parties after `->`, field paths after `field` (children after `robotics.`), ISO codes
//! and groups after `territory`, asset names after `assets`, grant ids after `sunset`,
//! and otherwise the keywords that may start an attribute of the enclosing clause.
//! Approximate by design: it reads tokens, not the grammar.

use super::Analysis;
use crate::source::FileId;
use crate::syntax::ast::{AgreementKind, Item};
use crate::syntax::token::Token;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Keyword,
    Party,
    Asset,
    Field,
    Country,
    Group,
    Grant,
    Reservation,
    /// reach (issue 15/20): a standard (`essential to`, `for standard`).
    Standard,
    /// A fixed word of an attribute (`affiliates`, `improver`, a right).
    Value,
    /// A whole block to fill in (see [`CompletionItem::snippet`]).
    Snippet,
}

/// One proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// For [`CompletionKind::Snippet`]: the text to insert instead of the label, in the
    /// snippet syntax of the Language Server Protocol (`${1:default}`, `${1|a,b|}`,
    /// `$0` for the final cursor).
    pub snippet: Option<String>,
}

fn item(label: impl Into<String>, kind: CompletionKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.into(),
        kind,
        detail,
        snippet: None,
    }
}

/// The block the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Top,
    Agreement,
    Party,
    Fields,
    Asset,
    Grant,
    Reserve,
    Improvements,
    Rule,
    Sunset,
    Tiers,
    // terms: the bodies of obligation clauses
    Audit,
    Confidentiality,
    Disputes,
    Liability,
    Prosecution,
    Enforcement,
    Committee,
    Escrow,
    // clauses (issue 15): a first refusal or negotiation
    FirstRight,
    // clauses (issue 15, round 4): an agreement-level payment
    Payment,
    // terms (issue 15, round 7): the scope after `most favoured licensee`
    MostFavoured,
    Other,
}

/// Tokens that may appear inside a list of names after an attribute keyword.
fn in_expression(t: Token) -> bool {
    matches!(
        t,
        Token::Ident
            | Token::Dot
            | Token::Comma
            | Token::KwExcept
            | Token::LBracket
            | Token::RBracket
            | Token::Plus
            | Token::KwWorldwide
            | Token::KwAll
    )
}

/// The completions at byte `offset` of `text`, the current text of `file` (the analysis
/// may be of an older text: it only supplies the names).
pub fn completion(
    analysis: &Analysis,
    file: FileId,
    text: &str,
    offset: u32,
) -> Vec<CompletionItem> {
    let mut at = (offset as usize).min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let prefix = text.get(..at).unwrap_or("");
    let lexed = super::lex(file, prefix);
    // Inside a comment or a string: nothing.
    let in_comment = lexed.comments.last().is_some_and(|c| {
        c.span.end as usize == prefix.len()
            && (!c.block || !prefix.ends_with("*/") || c.span.len() < 4)
    });
    if in_comment {
        return Vec::new();
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(lexed.tokens.len());
    let mut last_end = 0usize;
    for &(_, t, e) in &lexed.tokens {
        tokens.push(t);
        last_end = e;
    }
    // Inside a string not closed before the cursor.
    if tokens.last() == Some(&Token::Str(false)) && last_end == prefix.len() {
        return Vec::new();
    }
    // The word being typed is not context.
    let typing = last_end == prefix.len()
        && tokens
            .last()
            .is_some_and(|t| *t == Token::Ident || t.is_keyword());
    if typing {
        tokens.pop();
    }
    let block = enclosing_block(&tokens);
    let names = Names { analysis, file };
    let last = tokens.last().copied();
    let before_last = tokens
        .len()
        .checked_sub(2)
        .and_then(|i| tokens.get(i))
        .copied();

    // The head of the name list the cursor is in, and whether a `[` is open.
    let mut head_at = tokens.len();
    while head_at > 0 && tokens.get(head_at - 1).copied().is_some_and(in_expression) {
        head_at -= 1;
    }
    let head = head_at.checked_sub(1).and_then(|i| tokens.get(i)).copied();
    let before_head = head_at.checked_sub(2).and_then(|i| tokens.get(i)).copied();
    let expr = tokens.get(head_at..).unwrap_or(&[]);
    let opens = expr.iter().filter(|t| **t == Token::LBracket).count();
    let closes = expr.iter().filter(|t| **t == Token::RBracket).count();
    let in_brackets = opens > closes;
    // The expression so far ends with a complete operand (not after `,`, `except`, …).
    let complete = matches!(
        last,
        Some(Token::Ident | Token::RBracket | Token::KwWorldwide | Token::KwAll)
    ) && head_at < tokens.len()
        && !in_brackets;

    if last == Some(Token::Arrow) {
        let mut out = names.parties();
        if names.is_pool() {
            out.push(item(
                "members",
                CompletionKind::Keyword,
                Some("every other party of the pool".into()),
            ));
        }
        return out;
    }
    match head {
        Some(Token::KwField) if !complete => {
            // After `robotics.`: its children.
            if last == Some(Token::Dot) {
                let path = dotted_path_before(prefix, &lexed.tokens);
                return names.field_children(&path);
            }
            return names.field_paths();
        }
        Some(Token::KwField) => {
            return vec![item("except", CompletionKind::Keyword, None)];
        }
        Some(Token::KwTerritory) if block != Block::Top && !complete => {
            return names.territories(in_brackets);
        }
        Some(Token::Eq) if before_head == Some(Token::Ident) && !complete => {
            return names.territories(in_brackets);
        }
        Some(Token::KwIn) if block == Block::Asset && !complete => {
            return names.territories(in_brackets);
        }
        Some(Token::KwTerritory | Token::Eq | Token::KwIn) if complete => {
            return vec![
                item("except", CompletionKind::Keyword, None),
                item("+", CompletionKind::Keyword, None),
            ];
        }
        Some(Token::KwAssets) if !complete => return names.assets(),
        Some(Token::KwReserve) if block == Block::Top && !complete => return names.assets(),
        Some(Token::Colon)
            if block == Block::Top && before_head == Some(Token::Ident) && !complete =>
        {
            let item_kw = head_at.checked_sub(3).and_then(|i| tokens.get(i)).copied();
            match item_kw {
                Some(Token::KwReserve) => return names.assets(),
                Some(Token::KwGrant | Token::KwCovenant | Token::KwPayment) => {
                    return names.parties()
                }
                _ => {}
            }
        }
        Some(Token::KwOn) if before_head == Some(Token::KwImprovements) && !complete => {
            return names.assets();
        }
        Some(Token::KwSunset) if block == Block::Top && !complete => return names.grants(),
        // clauses (issue 15): `first refusal` / `first negotiation`
        Some(Token::KwFirst) if block == Block::Top && !complete => {
            return values(&["refusal", "negotiation"]);
        }
        Some(Token::KwTo) if before_head == Some(Token::KwSubject) && !complete => {
            return names.reservations();
        }
        // reach (issue 15/20): the standards after `essential to` and `for standard`.
        Some(Token::KwTo) if before_head == Some(Token::KwEssential) && !complete => {
            return names.standards();
        }
        Some(Token::KwStandard) if before_head == Some(Token::KwFor) && !complete => {
            return names.standards();
        }
        Some(Token::KwParties) if !complete => return names.parties(),
        Some(Token::KwOf) if is_asset_kind(before_head) && !complete => return names.parties(),
        Some(Token::KwFor) if block == Block::Top && !complete => return names.parties(),
        Some(Token::KwBack | Token::KwForward) if !complete => {
            // `members` and `owner` stand for several parties (issue 15).
            let mut out = names.parties();
            out.push(item(
                "owner",
                CompletionKind::Keyword,
                Some("the owners of the base assets".into()),
            ));
            if names.is_pool() {
                out.push(item(
                    "members",
                    CompletionKind::Keyword,
                    Some("every member of the pool".into()),
                ));
            }
            return out;
        }
        // Who may terminate: `terminate on breach of P by P`.
        Some(Token::KwBy | Token::KwOf) if block == Block::Sunset && !complete => {
            return names.parties();
        }
        Some(Token::KwRights) if !complete => return rights(),
        _ => {}
    }
    match last {
        Some(Token::KwSublicense) => {
            return values(&["none", "affiliates", "with consent", "free"]);
        }
        Some(Token::KwKind) => return values(&["cross-license", "license", "pool"]),
        Some(Token::KwOwner) => return values(&["improver", "base owner", "joint"]),
        Some(Token::KwCovers) => return values(&["collaboration", "all"]),
        Some(Token::KwTerm) => {
            return values(&["until", "for", "from", "perpetual", "until expiry"])
        }
        Some(Token::KwExclusive) if block == Block::Grant => {
            let mut v = values(&["subject to"]);
            v.extend(keywords(block));
            return v;
        }
        Some(Token::KwSunset) if block == Block::Rule => return values(&["after"]),
        Some(Token::KwRenew) => return values(&["automatically", "by mutual consent"]),
        Some(Token::KwWind) => return values(&["down"]),
        Some(Token::KwRelease) => return values(&["from"]),
        Some(Token::KwTerminate) => return values(&["on"]),
        Some(Token::KwRenegotiate) => return values(&["every"]),
        Some(Token::KwImprovements) if block == Block::Top => return values(&["on"]),
        Some(Token::KwGoverning) => return values(&["law"]),
        Some(Token::KwConsent) => return values(&["required", "not required"]),
        Some(Token::KwGrant) if block == Block::Improvements => return values(&["back"]),
        Some(Token::KwLicense) if block == Block::Improvements => return values(&["forward"]),
        Some(Token::KwRoyalty) => return values(&["tiered of net sales"]),
        // rights (issue 15)
        Some(Token::KwPurpose) => {
            return values(&crate::vocab::Purpose::WORDS);
        }
        Some(Token::KwLump) => return values(&["sum"]),
        Some(Token::KwUntil) => return values(&["expiry"]),
        Some(Token::KwAnd) if before_last.is_some_and(|t| t == Token::Ident) => {
            return values(&["affiliates"]);
        }
        Some(Token::Number | Token::Percent | Token::Date) => return Vec::new(),
        _ => {}
    }
    if block == Block::Fields {
        // Field names are being declared.
        return Vec::new();
    }
    let mut out = keywords(block);
    // Between items: each block whole, to fill in.
    if block == Block::Top {
        out.extend(block_snippets(&names));
    }
    out
}

/// A snippet choice of names (`${n|a,b|}`), or a placeholder when there is none.
fn choice(n: u32, names: &[CompletionItem], placeholder: &str) -> String {
    if names.is_empty() {
        format!("${{{n}:{placeholder}}}")
    } else {
        let list: Vec<&str> = names.iter().map(|i| i.label.as_str()).collect();
        format!("${{{n}|{}|}}", list.join(","))
    }
}

/// The snippets of every top-level block, with the names the file sees offered as
/// choices where a party or an asset goes.
fn block_snippets(names: &Names) -> Vec<CompletionItem> {
    let parties = names.parties();
    let assets = names.assets();
    let snippet = |label: &str, detail: &str, body: String| CompletionItem {
        label: label.to_string(),
        kind: CompletionKind::Snippet,
        detail: Some(detail.to_string()),
        snippet: Some(body),
    };
    vec![
        snippet("import", "import a file", "import \"${1:registry.xlic}\"\n$0".into()),
        snippet(
            "agreement",
            "agreement block",
            "agreement \"${1:Title}\" {\n  effective ${2:2026-01-01}\n  term ${3:10} years\n  kind ${4|cross-license,license,pool|}\n}\n$0".into(),
        ),
        snippet("party", "party declaration", "party ${1:name} \"${2:Legal Name}\"\n$0".into()),
        snippet(
            "fields",
            "fields of use",
            "fields {\n  ${1:root} \"${2:Root field}\" {\n    ${3:child} \"${4:Child field}\"\n  }\n}\n$0".into(),
        ),
        snippet("territory", "territory group", "territory ${1:name} = [${2:DE, FR}]\n$0".into()),
        snippet(
            "asset",
            "asset declaration",
            format!(
                "asset ${{1:name}}: ${{2|patent family,know-how,trade secret,software,data|}} of {}\n$0",
                choice(3, &parties, "owner")
            ),
        ),
        snippet(
            "grant",
            "grant block",
            format!(
                "grant ${{1:name}}: {} -> {} {{\n  assets {}\n  territory ${{5:worldwide}}\n  ${{6|non-exclusive,exclusive,sole|}}\n}}\n$0",
                choice(2, &parties, "licensor"),
                choice(3, &parties, "licensee"),
                choice(4, &assets, "asset")
            ),
        ),
        snippet(
            "reserve",
            "reservation",
            format!(
                "reserve {} for {} {{\n  territory ${{3:worldwide}}\n}}\n$0",
                choice(1, &assets, "asset"),
                choice(2, &parties, "holder")
            ),
        ),
        snippet(
            "improvements",
            "improvements block with a grant-back",
            format!(
                "improvements on {} {{\n  owner ${{2|improver,base owner,joint|}}\n  grant back {} -> {} {{\n    ${{5|non-exclusive,exclusive|}}\n    sunset after ${{6:3}} years\n  }}\n}}\n$0",
                choice(1, &assets, "asset"),
                choice(3, &parties, "licensee"),
                choice(4, &parties, "licensor")
            ),
        ),
        snippet(
            "sunset",
            "sunset block",
            format!(
                "sunset {} {{\n  wind down ${{2:180}} days\n}}\n$0",
                choice(1, &names.grants(), "grant")
            ),
        ),
    ]
}

fn is_asset_kind(t: Option<Token>) -> bool {
    matches!(
        t,
        Some(
            Token::KwPatent
                | Token::KwFamily
                | Token::KwKnowHow
                | Token::KwSecret
                | Token::KwSoftware
                | Token::KwData
                | Token::KwPatents
        )
    )
}

/// The dotted path written just before a trailing `.` (`robotics.consumer.` →
/// `robotics.consumer`).
fn dotted_path_before(prefix: &str, tokens: &[(usize, Token, usize)]) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut expect_dot = true;
    for &(s, t, e) in tokens.iter().rev() {
        match (expect_dot, t) {
            (true, Token::Dot) => expect_dot = false,
            (false, Token::Ident) => {
                segments.push(prefix.get(s..e).unwrap_or(""));
                expect_dot = true;
            }
            _ => break,
        }
    }
    segments.reverse();
    segments.join(".")
}

/// The block the cursor is in, from the braces before it.
fn enclosing_block(tokens: &[Token]) -> Block {
    let mut stack: Vec<Block> = Vec::new();
    let mut item = Block::Top;
    let mut prev = None;
    for &t in tokens {
        let before = prev;
        prev = Some(t);
        match t {
            Token::LBrace => {
                let kind = match stack.last() {
                    None => item,
                    Some(Block::Fields) => Block::Fields,
                    Some(Block::Improvements) => Block::Rule,
                    // terms (issue 15, round 7): `most favoured licensee { … }`
                    Some(Block::Grant) if before == Some(Token::KwLicensee) => Block::MostFavoured,
                    Some(Block::Grant) => Block::Tiers,
                    Some(_) => Block::Other,
                };
                stack.push(kind);
            }
            Token::RBrace => {
                stack.pop();
            }
            t if stack.is_empty() && t.starts_item() => {
                item = match t {
                    Token::KwAgreement => Block::Agreement,
                    Token::KwParty => Block::Party,
                    Token::KwFields => Block::Fields,
                    Token::KwAsset => Block::Asset,
                    Token::KwGrant | Token::KwCovenant | Token::KwRelease => Block::Grant,
                    Token::KwReserve => Block::Reserve,
                    Token::KwFirst => Block::FirstRight,
                    Token::KwPayment => Block::Payment,
                    Token::KwImprovements => Block::Improvements,
                    Token::KwSunset => Block::Sunset,
                    Token::KwAudit => Block::Audit,
                    Token::KwConfidentiality => Block::Confidentiality,
                    Token::KwDisputes => Block::Disputes,
                    Token::KwLiability => Block::Liability,
                    Token::KwProsecution => Block::Prosecution,
                    Token::KwEnforcement => Block::Enforcement,
                    Token::KwCommittee => Block::Committee,
                    Token::KwEscrow => Block::Escrow,
                    _ => Block::Other,
                };
            }
            _ => {}
        }
    }
    stack.last().copied().unwrap_or(Block::Top)
}

fn values(words: &[&str]) -> Vec<CompletionItem> {
    words
        .iter()
        .map(|w| item(*w, CompletionKind::Value, None))
        .collect()
}

fn rights() -> Vec<CompletionItem> {
    let mut v: Vec<CompletionItem> = crate::syntax::ast::Right::ALL
        .iter()
        .map(|r| item(r.keyword(), CompletionKind::Value, Some("right".into())))
        .collect();
    v.push(item(
        "all",
        CompletionKind::Value,
        Some("every right".into()),
    ));
    v
}

/// The keywords that may start an attribute of a block (or an item at the top level).
fn keywords(block: Block) -> Vec<CompletionItem> {
    let words: &[&str] = match block {
        Block::Top => &[
            "import",
            "agreement",
            "party",
            "fields",
            "territory",
            "asset",
            "grant",
            "covenant",
            "release",
            "reserve",
            "improvements on",
            "sunset",
            "first refusal",
            "first negotiation",
            "payment",
            "audit",
            "confidentiality",
            "disputes",
            "liability",
            "warranty",
            "provision",
            "prosecution",
            "enforcement",
            "committee",
            "insurance",
            "escrow",
            "non-compete",
            "non-solicit",
            "beneficiaries",
        ],
        Block::Agreement => &[
            "effective",
            "release from",
            "term",
            "governing law",
            "kind",
            "parties",
            "note",
            "define",
            "standard",
        ],
        Block::Party => &[
            "short",
            "affiliate",
            "affiliates by control",
            "joins",
            "leaves",
        ],
        Block::Fields => &[],
        Block::Asset => &[
            "patent",
            "expires",
            "filed",
            "in",
            "background",
            "foreground",
            "note",
            "essential to",
        ],
        Block::Grant => &[
            "assets",
            "rights",
            "field",
            "territory",
            "term",
            "exclusive",
            "sole",
            "non-exclusive",
            "sublicense",
            "personal",
            "non-transferable",
            "transferable",
            "royalty",
            "royalty-free",
            "lump sum",
            "milestone",
            "note",
            "purpose",
            // rights (issue 15)
            "diligence",
            "for standard",
            "most favoured licensee",
            // terms (issue 15, round 5)
            "commit",
        ],
        Block::Reserve => &["rights", "field", "territory", "term", "purpose"],
        // clauses (issue 15)
        // clauses (issue 15, round 4)
        Block::Payment => &["pay", "note"],
        Block::FirstRight => &[
            "rights",
            "field",
            "territory",
            "term",
            "purpose",
            "within",
            "note",
        ],
        Block::Improvements => &["owner", "grant back", "license forward"],
        Block::Rule => &[
            "covers",
            "exclusive",
            "sole",
            "non-exclusive",
            "royalty",
            "royalty-free",
            "sunset after",
            "consent required",
            "consent not required",
        ],
        Block::Sunset => &[
            "renew automatically",
            "renew by mutual consent",
            "renegotiate every",
            "wind down",
            "terminate on",
            "survives",
        ],
        Block::Tiers => &["from"],
        Block::MostFavoured => &["field", "territory"],
        Block::Audit => &["every", "look back", "costs shift at"],
        Block::Confidentiality => &["covers", "survives", "disclose to"],
        Block::Disputes => &["escalate", "mediation", "arbitration", "seat", "courts"],
        Block::Liability => &["cap", "uncapped", "liquidated damages"],
        Block::Prosecution => &["controlled by", "costs", "abandon notice", "step in"],
        Block::Enforcement => &[
            "first right",
            "step in",
            "costs",
            "recoveries",
            "settle with consent",
        ],
        Block::Committee => &["members", "chair rotates", "casting vote", "decides"],
        Block::Escrow => &["agent", "release on"],
        Block::Other => &[],
    };
    words
        .iter()
        .map(|w| item(*w, CompletionKind::Keyword, None))
        .collect()
}

/// The names a file sees.
struct Names<'a> {
    analysis: &'a Analysis,
    file: FileId,
}

impl Names<'_> {
    fn view(&self) -> Option<super::View<'_>> {
        self.analysis.index().view(self.file)
    }

    fn symbol_items(
        &self,
        map: impl Fn(&super::View<'_>) -> Vec<usize>,
        kind: CompletionKind,
    ) -> Vec<CompletionItem> {
        let Some(view) = self.view() else {
            return Vec::new();
        };
        map(&view)
            .into_iter()
            .filter_map(|id| self.analysis.index().symbol(id))
            .map(|s| item(s.name.clone(), kind, Some(self.detail(s))))
            .collect()
    }

    fn detail(&self, s: &super::Symbol) -> String {
        let model = &self.analysis.compilation.model;
        match s.kind {
            super::SymbolKind::Party | super::SymbolKind::Affiliate => model
                .parties
                .iter()
                .find(|p| p.span == s.decl)
                .map(|p| p.legal_name.clone())
                .unwrap_or_else(|| s.kind.noun().to_string()),
            super::SymbolKind::Asset => model
                .assets
                .iter()
                .find(|a| a.span == s.decl)
                .map(|a| a.kind.keyword().to_string())
                .unwrap_or_else(|| "asset".to_string()),
            super::SymbolKind::Field => model
                .fields
                .nodes
                .iter()
                .find(|n| n.span == s.decl)
                .and_then(|n| n.label.clone())
                .unwrap_or_else(|| "field".to_string()),
            k => k.noun().to_string(),
        }
    }

    fn parties(&self) -> Vec<CompletionItem> {
        self.symbol_items(|v| v.parties(), CompletionKind::Party)
    }

    fn assets(&self) -> Vec<CompletionItem> {
        self.symbol_items(|v| v.assets(), CompletionKind::Asset)
    }

    fn grants(&self) -> Vec<CompletionItem> {
        self.symbol_items(|v| v.grants(), CompletionKind::Grant)
    }

    fn reservations(&self) -> Vec<CompletionItem> {
        self.symbol_items(|v| v.reservations(), CompletionKind::Reservation)
    }

    /// reach (issue 15/20): every declared standard (one namespace for all files),
    /// with its title.
    fn standards(&self) -> Vec<CompletionItem> {
        self.analysis
            .compilation
            .model
            .standards
            .iter()
            .map(|s| {
                item(
                    s.name.clone(),
                    CompletionKind::Standard,
                    Some(s.title.clone()),
                )
            })
            .collect()
    }

    fn is_pool(&self) -> bool {
        self.analysis.ast(self.file).is_some_and(|ast| {
            ast.items().any(|i| match i {
                Item::Agreement(a) => a
                    .kind
                    .as_ref()
                    .is_some_and(|k| k.node == AgreementKind::Pool),
                _ => false,
            })
        })
    }

    fn field_paths(&self) -> Vec<CompletionItem> {
        self.analysis
            .index()
            .field_paths(self.file)
            .into_iter()
            .filter_map(|id| self.analysis.index().symbol(id))
            .map(|s| item(s.path.clone(), CompletionKind::Field, Some(self.detail(s))))
            .collect()
    }

    fn field_children(&self, path: &str) -> Vec<CompletionItem> {
        let Some(id) = self.analysis.index().field_by_path(self.file, path) else {
            return Vec::new();
        };
        self.analysis
            .index()
            .field_children(id)
            .iter()
            .filter_map(|(_, c)| self.analysis.index().symbol(*c))
            .map(|s| item(s.name.clone(), CompletionKind::Field, Some(self.detail(s))))
            .collect()
    }

    fn territories(&self, codes_only: bool) -> Vec<CompletionItem> {
        let mut out: Vec<CompletionItem> = crate::iso::COUNTRIES
            .iter()
            .map(|c| item(c.code, CompletionKind::Country, Some(c.name.to_string())))
            .collect();
        if codes_only {
            return out;
        }
        out.push(item(
            "worldwide",
            CompletionKind::Group,
            Some("every country".into()),
        ));
        out.push(item(
            "EU",
            CompletionKind::Group,
            Some("the European Union".into()),
        ));
        out.push(item(
            "EEA",
            CompletionKind::Group,
            Some("the European Economic Area".into()),
        ));
        out.extend(self.symbol_items(|v| v.groups(), CompletionKind::Group));
        out
    }
}
