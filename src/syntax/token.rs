//! The token set of `.xlic`, lexed by logos; every keyword is reserved.

use logos::Logos;

/// What a lexing callback found wrong with a token; the adapter turns it into a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LexProblem {
    /// A character that starts no token.
    #[default]
    InvalidChar,
}

/// One token. Literal text is recovered from the span, so tokens stay `Copy`.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[logos(error = LexProblem)]
#[logos(skip r"[ \t\r\n\f\u{FEFF}]+")]
pub enum Token {
    // ---- trivia (split off by the adapter) ----
    #[regex(r"//[^\r\n]*", allow_greedy = true)]
    LineComment,
    /// `true` when the comment is closed.
    #[token("/*", block_comment)]
    BlockComment(bool),

    // ---- literals ----
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    /// `true` when the string is closed on its line.
    #[token("\"", string_literal)]
    Str(bool),
    #[regex(r"[0-9][0-9_]*(\.[0-9_]*)*")]
    Number,
    #[regex(r"[0-9][0-9_]*(\.[0-9_]*)*%")]
    Percent,
    /// Anything shaped like a date; the value check decides whether it is one.
    #[regex(r"[0-9]+-[0-9]+-[0-9]+")]
    Date,

    // ---- punctuation ----
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
    #[token(".")]
    Dot,
    #[token("->")]
    Arrow,
    #[token("+")]
    Plus,
    #[token("=")]
    Eq,

    // ---- keywords ----
    #[token("abandon")]
    KwAbandon,
    #[token("affiliate")]
    KwAffiliate,
    #[token("affiliates")]
    KwAffiliates,
    #[token("after")]
    KwAfter,
    #[token("agent")]
    KwAgent,
    #[token("agreement")]
    KwAgreement,
    #[token("all")]
    KwAll,
    #[token("and")]
    KwAnd,
    #[token("annually")]
    KwAnnually,
    #[token("arbitration")]
    KwArbitration,
    #[token("as")]
    KwAs,
    #[token("asset")]
    KwAsset,
    #[token("assets")]
    KwAssets,
    #[token("at")]
    KwAt,
    #[token("audit")]
    KwAudit,
    #[token("automatically")]
    KwAutomatically,
    #[token("back")]
    KwBack,
    #[token("background")]
    KwBackground,
    #[token("base")]
    KwBase,
    #[token("before")]
    KwBefore,
    #[token("beneficiaries")]
    KwBeneficiaries,
    #[token("breach")]
    KwBreach,
    #[token("by")]
    KwBy,
    #[token("calendar")]
    KwCalendar,
    #[token("cap")]
    KwCap,
    #[token("casting")]
    KwCasting,
    #[token("chair")]
    KwChair,
    #[token("collaboration")]
    KwCollaboration,
    #[token("committee")]
    KwCommittee,
    #[token("commit")]
    KwCommit,
    #[token("common")]
    KwCommon,
    #[token("confidentiality")]
    KwConfidentiality,
    #[token("consent")]
    KwConsent,
    #[token("control")]
    KwControl,
    #[token("controlled")]
    KwControlled,
    #[token("controlling")]
    KwControlling,
    #[token("costs")]
    KwCosts,
    #[token("courts")]
    KwCourts,
    #[token("covenant")]
    KwCovenant,
    #[token("covers")]
    KwCovers,
    #[token("cross-license")]
    KwCrossLicense,
    #[token("cure")]
    KwCure,
    #[token("customers")]
    KwCustomers,
    #[token("damages")]
    KwDamages,
    #[token("data")]
    KwData,
    #[regex("days?")]
    KwDays,
    #[token("decides")]
    KwDecides,
    #[token("define")]
    KwDefine,
    #[token("diligence")]
    KwDiligence,
    #[token("disclose")]
    KwDisclose,
    #[token("disputes")]
    KwDisputes,
    #[token("distribute")]
    KwDistribute,
    #[token("down")]
    KwDown,
    #[token("effective")]
    KwEffective,
    #[token("enforcement")]
    KwEnforcement,
    #[token("escalate")]
    KwEscalate,
    #[token("escrow")]
    KwEscrow,
    #[token("essential")]
    KwEssential,
    #[token("every")]
    KwEvery,
    #[token("except")]
    KwExcept,
    #[token("exclusive")]
    KwExclusive,
    #[token("expires")]
    KwExpires,
    #[token("expiry")]
    KwExpiry,
    #[token("family")]
    KwFamily,
    #[token("favoured")]
    KwFavoured,
    #[token("field")]
    KwField,
    #[token("fields")]
    KwFields,
    #[token("filed")]
    KwFiled,
    #[token("first")]
    KwFirst,
    #[token("floor")]
    KwFloor,
    #[token("for")]
    KwFor,
    #[token("foreground")]
    KwForeground,
    #[token("forward")]
    KwForward,
    #[token("frand")]
    KwFrand,
    #[token("free")]
    KwFree,
    #[token("from")]
    KwFrom,
    #[token("governing")]
    KwGoverning,
    #[token("grant")]
    KwGrant,
    #[token("have")]
    KwHave,
    #[token("import")]
    KwImport,
    #[token("improvements")]
    KwImprovements,
    #[token("improver")]
    KwImprover,
    #[token("in")]
    KwIn,
    #[token("insolvency")]
    KwInsolvency,
    #[token("insurance")]
    KwInsurance,
    #[token("joins")]
    KwJoins,
    #[token("joint")]
    KwJoint,
    #[token("kind")]
    KwKind,
    #[token("know-how")]
    KwKnowHow,
    #[token("law")]
    KwLaw,
    #[token("lease")]
    KwLease,
    #[token("leaves")]
    KwLeaves,
    #[token("liability")]
    KwLiability,
    #[token("license")]
    KwLicense,
    #[token("licensee")]
    KwLicensee,
    #[token("liquidated")]
    KwLiquidated,
    #[token("look")]
    KwLook,
    #[token("lump")]
    KwLump,
    #[token("made")]
    KwMade,
    #[token("make")]
    KwMake,
    #[token("mediation")]
    KwMediation,
    #[token("members")]
    KwMembers,
    #[token("milestone")]
    KwMilestone,
    #[token("missed")]
    KwMissed,
    #[token("modify")]
    KwModify,
    #[regex("months?")]
    KwMonths,
    #[token("monthly")]
    KwMonthly,
    #[token("most")]
    KwMost,
    #[token("mutual")]
    KwMutual,
    #[token("negotiation")]
    KwNegotiation,
    #[token("net")]
    KwNet,
    #[token("non-commercial")]
    KwNonCommercial,
    #[token("non-compete")]
    KwNonCompete,
    #[token("non-exclusive")]
    KwNonExclusive,
    #[token("non-solicit")]
    KwNonSolicit,
    #[token("non-transferable")]
    KwNonTransferable,
    #[token("none")]
    KwNone,
    #[token("not")]
    KwNot,
    #[token("note")]
    KwNote,
    #[token("notice")]
    KwNotice,
    #[token("of")]
    KwOf,
    #[token("offer")]
    KwOffer,
    #[token("on")]
    KwOn,
    #[token("owner")]
    KwOwner,
    #[token("parties")]
    KwParties,
    #[token("party")]
    KwParty,
    #[token("patent")]
    KwPatent,
    #[token("patents")]
    KwPatents,
    // clauses (issue 15): an agreement-level payment and its `pay` lines
    #[token("pay")]
    KwPay,
    #[token("payable")]
    KwPayable,
    #[token("payment")]
    KwPayment,
    #[token("pending")]
    KwPending,
    #[token("per")]
    KwPer,
    #[token("perpetual")]
    KwPerpetual,
    #[token("personal")]
    KwPersonal,
    #[token("pool")]
    KwPool,
    #[token("prosecution")]
    KwProsecution,
    #[token("provision")]
    KwProvision,
    #[token("purchase")]
    KwPurchase,
    #[token("purpose")]
    KwPurpose,
    #[token("quarterly")]
    KwQuarterly,
    #[token("recoveries")]
    KwRecoveries,
    #[token("refusal")]
    KwRefusal,
    #[token("release")]
    KwRelease,
    #[token("renegotiate")]
    KwRenegotiate,
    #[token("renew")]
    KwRenew,
    #[token("report")]
    KwReport,
    #[token("reproduce")]
    KwReproduce,
    #[token("required")]
    KwRequired,
    #[token("reserve")]
    KwReserve,
    #[token("right")]
    KwRight,
    #[token("rights")]
    KwRights,
    #[token("rotates")]
    KwRotates,
    #[token("royalty")]
    KwRoyalty,
    #[token("royalty-free")]
    KwRoyaltyFree,
    #[token("sales")]
    KwSales,
    #[token("seat")]
    KwSeat,
    #[token("secret")]
    KwSecret,
    #[token("sell")]
    KwSell,
    #[token("settle")]
    KwSettle,
    #[token("shift")]
    KwShift,
    #[token("short")]
    KwShort,
    #[token("software")]
    KwSoftware,
    #[token("sole")]
    KwSole,
    #[token("spend")]
    KwSpend,
    #[token("standard")]
    KwStandard,
    #[token("step")]
    KwStep,
    #[token("subject")]
    KwSubject,
    #[token("sublicense")]
    KwSublicense,
    #[token("sum")]
    KwSum,
    #[token("sunset")]
    KwSunset,
    #[token("survives")]
    KwSurvives,
    #[token("term")]
    KwTerm,
    #[token("terminate")]
    KwTerminate,
    #[token("territory")]
    KwTerritory,
    #[token("tiered")]
    KwTiered,
    #[token("times")]
    KwTimes,
    #[token("to")]
    KwTo,
    #[token("trade")]
    KwTrade,
    #[token("transferable")]
    KwTransferable,
    #[token("uncapped")]
    KwUncapped,
    #[token("under")]
    KwUnder,
    /// `unit`, and `units` in a purchase commitment (terms: issue 15).
    #[regex("units?")]
    KwUnit,
    #[token("until")]
    KwUntil,
    #[token("use")]
    KwUse,
    #[token("vote")]
    KwVote,
    #[token("warranty")]
    KwWarranty,
    #[token("wind")]
    KwWind,
    #[token("with")]
    KwWith,
    #[token("within")]
    KwWithin,
    #[token("worldwide")]
    KwWorldwide,
    #[regex("years?")]
    KwYears,
}

fn block_comment(lex: &mut logos::Lexer<'_, Token>) -> bool {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            true
        }
        None => {
            lex.bump(rest.len());
            false
        }
    }
}

fn string_literal(lex: &mut logos::Lexer<'_, Token>) -> bool {
    let rest = lex.remainder();
    let mut escaped = false;
    for (i, ch) in rest.char_indices() {
        match ch {
            // A string ends at the end of its line, whichever line end that is.
            '\n' | '\r' => {
                lex.bump(i);
                return false;
            }
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                lex.bump(i + 1);
                return true;
            }
            _ => escaped = false,
        }
    }
    lex.bump(rest.len());
    false
}

impl Token {
    /// Whether the token begins a top-level item (`grant`, `party`, …).
    pub fn starts_item(self) -> bool {
        matches!(
            self,
            Token::KwImport
                | Token::KwAgreement
                | Token::KwParty
                | Token::KwFields
                | Token::KwTerritory
                | Token::KwAsset
                | Token::KwGrant
                | Token::KwCovenant
                | Token::KwRelease
                | Token::KwReserve
                | Token::KwImprovements
                | Token::KwSunset
                // clauses (issue 15): `first refusal` / `first negotiation`
                | Token::KwFirst
                // clauses (issue 15): an agreement-level payment
                | Token::KwPayment
        ) || self.starts_obligation()
    }

    /// Whether the token begins an obligation or governance clause (`audit`,
    /// `confidentiality`, `provision`, …).
    pub fn starts_obligation(self) -> bool {
        matches!(
            self,
            Token::KwAudit
                | Token::KwConfidentiality
                | Token::KwDisputes
                | Token::KwLiability
                | Token::KwProvision
                | Token::KwWarranty
                | Token::KwProsecution
                | Token::KwEnforcement
                | Token::KwCommittee
                | Token::KwInsurance
                | Token::KwEscrow
                | Token::KwNonCompete
                | Token::KwNonSolicit
                | Token::KwBeneficiaries
        )
    }

    /// Whether the token is a reserved word.
    pub fn is_keyword(self) -> bool {
        self.keyword_text().is_some()
    }

    /// How the token is written, for messages ("`{`", "keyword `grant`", "a name").
    pub fn describe(self) -> String {
        match self {
            Token::LineComment | Token::BlockComment(_) => "a comment".into(),
            Token::Ident => "a name".into(),
            Token::Str(_) => "a string".into(),
            Token::Number => "a number".into(),
            Token::Percent => "a percentage".into(),
            Token::Date => "a date".into(),
            other => match other.keyword_text() {
                Some(k) => format!("keyword `{k}`"),
                None => format!("`{}`", other.punct_text().unwrap_or("?")),
            },
        }
    }

    /// The text of a punctuation token.
    pub fn punct_text(self) -> Option<&'static str> {
        Some(match self {
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Comma => ",",
            Token::Colon => ":",
            Token::Semi => ";",
            Token::Dot => ".",
            Token::Arrow => "->",
            Token::Plus => "+",
            Token::Eq => "=",
            _ => return None,
        })
    }

    /// The text of a keyword token (plural spelling for the unit keywords).
    pub fn keyword_text(self) -> Option<&'static str> {
        KEYWORDS
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(text, _)| *text)
    }
}

/// Every keyword with its token, for completion, highlighting and messages.
pub static KEYWORDS: &[(&str, Token)] = &[
    ("abandon", Token::KwAbandon),
    ("affiliate", Token::KwAffiliate),
    ("affiliates", Token::KwAffiliates),
    ("after", Token::KwAfter),
    ("agent", Token::KwAgent),
    ("agreement", Token::KwAgreement),
    ("all", Token::KwAll),
    ("and", Token::KwAnd),
    ("annually", Token::KwAnnually),
    ("arbitration", Token::KwArbitration),
    ("as", Token::KwAs),
    ("asset", Token::KwAsset),
    ("assets", Token::KwAssets),
    ("at", Token::KwAt),
    ("audit", Token::KwAudit),
    ("automatically", Token::KwAutomatically),
    ("back", Token::KwBack),
    ("background", Token::KwBackground),
    ("base", Token::KwBase),
    ("before", Token::KwBefore),
    ("beneficiaries", Token::KwBeneficiaries),
    ("breach", Token::KwBreach),
    ("by", Token::KwBy),
    ("calendar", Token::KwCalendar),
    ("cap", Token::KwCap),
    ("casting", Token::KwCasting),
    ("chair", Token::KwChair),
    ("collaboration", Token::KwCollaboration),
    ("commit", Token::KwCommit),
    ("committee", Token::KwCommittee),
    ("common", Token::KwCommon),
    ("confidentiality", Token::KwConfidentiality),
    ("consent", Token::KwConsent),
    ("control", Token::KwControl),
    ("controlled", Token::KwControlled),
    ("controlling", Token::KwControlling),
    ("costs", Token::KwCosts),
    ("courts", Token::KwCourts),
    ("covenant", Token::KwCovenant),
    ("covers", Token::KwCovers),
    ("cross-license", Token::KwCrossLicense),
    ("cure", Token::KwCure),
    ("customers", Token::KwCustomers),
    ("damages", Token::KwDamages),
    ("data", Token::KwData),
    ("days", Token::KwDays),
    ("decides", Token::KwDecides),
    ("define", Token::KwDefine),
    ("diligence", Token::KwDiligence),
    ("disclose", Token::KwDisclose),
    ("disputes", Token::KwDisputes),
    ("distribute", Token::KwDistribute),
    ("down", Token::KwDown),
    ("effective", Token::KwEffective),
    ("enforcement", Token::KwEnforcement),
    ("escalate", Token::KwEscalate),
    ("escrow", Token::KwEscrow),
    ("essential", Token::KwEssential),
    ("every", Token::KwEvery),
    ("except", Token::KwExcept),
    ("exclusive", Token::KwExclusive),
    ("expires", Token::KwExpires),
    ("expiry", Token::KwExpiry),
    ("family", Token::KwFamily),
    ("favoured", Token::KwFavoured),
    ("field", Token::KwField),
    ("fields", Token::KwFields),
    ("filed", Token::KwFiled),
    ("first", Token::KwFirst),
    ("floor", Token::KwFloor),
    ("for", Token::KwFor),
    ("foreground", Token::KwForeground),
    ("forward", Token::KwForward),
    ("frand", Token::KwFrand),
    ("free", Token::KwFree),
    ("from", Token::KwFrom),
    ("governing", Token::KwGoverning),
    ("grant", Token::KwGrant),
    ("have", Token::KwHave),
    ("import", Token::KwImport),
    ("improvements", Token::KwImprovements),
    ("improver", Token::KwImprover),
    ("in", Token::KwIn),
    ("insolvency", Token::KwInsolvency),
    ("insurance", Token::KwInsurance),
    ("joins", Token::KwJoins),
    ("joint", Token::KwJoint),
    ("kind", Token::KwKind),
    ("know-how", Token::KwKnowHow),
    ("law", Token::KwLaw),
    ("lease", Token::KwLease),
    ("leaves", Token::KwLeaves),
    ("liability", Token::KwLiability),
    ("license", Token::KwLicense),
    ("licensee", Token::KwLicensee),
    ("liquidated", Token::KwLiquidated),
    ("look", Token::KwLook),
    ("lump", Token::KwLump),
    ("made", Token::KwMade),
    ("make", Token::KwMake),
    ("mediation", Token::KwMediation),
    ("members", Token::KwMembers),
    ("milestone", Token::KwMilestone),
    ("missed", Token::KwMissed),
    ("modify", Token::KwModify),
    ("monthly", Token::KwMonthly),
    ("months", Token::KwMonths),
    ("most", Token::KwMost),
    ("mutual", Token::KwMutual),
    ("negotiation", Token::KwNegotiation),
    ("net", Token::KwNet),
    ("non-commercial", Token::KwNonCommercial),
    ("non-compete", Token::KwNonCompete),
    ("non-exclusive", Token::KwNonExclusive),
    ("non-solicit", Token::KwNonSolicit),
    ("non-transferable", Token::KwNonTransferable),
    ("none", Token::KwNone),
    ("not", Token::KwNot),
    ("note", Token::KwNote),
    ("notice", Token::KwNotice),
    ("of", Token::KwOf),
    ("offer", Token::KwOffer),
    ("on", Token::KwOn),
    ("owner", Token::KwOwner),
    ("parties", Token::KwParties),
    ("party", Token::KwParty),
    ("patent", Token::KwPatent),
    ("patents", Token::KwPatents),
    ("pay", Token::KwPay),
    ("payable", Token::KwPayable),
    ("payment", Token::KwPayment),
    ("pending", Token::KwPending),
    ("per", Token::KwPer),
    ("perpetual", Token::KwPerpetual),
    ("personal", Token::KwPersonal),
    ("pool", Token::KwPool),
    ("prosecution", Token::KwProsecution),
    ("provision", Token::KwProvision),
    ("purchase", Token::KwPurchase),
    ("purpose", Token::KwPurpose),
    ("quarterly", Token::KwQuarterly),
    ("recoveries", Token::KwRecoveries),
    ("refusal", Token::KwRefusal),
    ("release", Token::KwRelease),
    ("renegotiate", Token::KwRenegotiate),
    ("renew", Token::KwRenew),
    ("report", Token::KwReport),
    ("reproduce", Token::KwReproduce),
    ("required", Token::KwRequired),
    ("reserve", Token::KwReserve),
    ("right", Token::KwRight),
    ("rights", Token::KwRights),
    ("rotates", Token::KwRotates),
    ("royalty", Token::KwRoyalty),
    ("royalty-free", Token::KwRoyaltyFree),
    ("sales", Token::KwSales),
    ("seat", Token::KwSeat),
    ("secret", Token::KwSecret),
    ("sell", Token::KwSell),
    ("settle", Token::KwSettle),
    ("shift", Token::KwShift),
    ("short", Token::KwShort),
    ("software", Token::KwSoftware),
    ("sole", Token::KwSole),
    ("spend", Token::KwSpend),
    ("standard", Token::KwStandard),
    ("step", Token::KwStep),
    ("subject", Token::KwSubject),
    ("sublicense", Token::KwSublicense),
    ("sum", Token::KwSum),
    ("sunset", Token::KwSunset),
    ("survives", Token::KwSurvives),
    ("term", Token::KwTerm),
    ("terminate", Token::KwTerminate),
    ("territory", Token::KwTerritory),
    ("tiered", Token::KwTiered),
    ("times", Token::KwTimes),
    ("to", Token::KwTo),
    ("trade", Token::KwTrade),
    ("transferable", Token::KwTransferable),
    ("uncapped", Token::KwUncapped),
    ("under", Token::KwUnder),
    ("unit", Token::KwUnit),
    ("until", Token::KwUntil),
    ("use", Token::KwUse),
    ("vote", Token::KwVote),
    ("warranty", Token::KwWarranty),
    ("wind", Token::KwWind),
    ("with", Token::KwWith),
    ("within", Token::KwWithin),
    ("worldwide", Token::KwWorldwide),
    ("years", Token::KwYears),
];
