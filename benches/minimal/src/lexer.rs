//! Tokens borrowed from the source (`&'s str`, never an owned string), produced on
//! demand as the parser asks for them: no token vector is materialised.

use logos::Logos;

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Tok<'s> {
    // Items.
    #[token("agreement")]
    Agreement,
    #[token("party")]
    Party,
    #[token("fields")]
    Fields,
    #[token("territory")]
    Territory,
    #[token("asset")]
    Asset,
    #[token("grant")]
    Grant,
    #[token("reserve")]
    Reserve,
    #[token("improvements")]
    Improvements,
    #[token("sunset")]
    Sunset,
    #[token("audit")]
    Audit,
    #[token("confidentiality")]
    Confidentiality,

    // Words the grant subset gives a meaning to.
    #[token("effective")]
    Effective,
    #[token("assets")]
    Assets,
    #[token("rights")]
    Rights,
    #[token("field")]
    Field,
    #[token("term")]
    Term,
    #[token("exclusive")]
    Exclusive,
    #[token("sole")]
    Sole,
    #[token("non-exclusive")]
    NonExclusive,
    #[token("subject")]
    Subject,
    #[token("to")]
    To,
    #[token("except")]
    Except,
    #[token("all")]
    All,
    #[token("worldwide")]
    Worldwide,
    #[token("from")]
    From,
    #[token("for")]
    For,
    #[token("until")]
    Until,
    #[token("year")]
    #[token("years")]
    Years,
    #[token("and")]
    And,
    #[token("affiliates")]
    Affiliates,
    #[token("patent")]
    Patent,
    #[token("expires")]
    Expires,
    #[token("in")]
    In,
    #[token("of")]
    Of,

    /// The first word of a grant attribute the sweep does not read (sublicensing,
    /// transfer, consideration): the attribute runs to the next such word.
    #[token("sublicense")]
    #[token("royalty")]
    #[token("royalty-free")]
    #[token("lump")]
    #[token("milestone")]
    #[token("personal")]
    #[token("transferable")]
    #[token("non-transferable")]
    OtherAttr,

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
    #[token(".")]
    Dot,
    #[token("=")]
    Eq,
    #[token("+")]
    Plus,
    #[token("->")]
    Arrow,

    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", |l| l.slice())]
    Date(&'s str),
    #[regex(r"[0-9][0-9_]*(\.[0-9]+)?%?", |l| l.slice())]
    Number(&'s str),
    #[regex(r#""([^"\\\n]|\\.)*""#, |l| l.slice())]
    Str(&'s str),
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*", |l| l.slice())]
    Ident(&'s str),
}

/// What the parser reads: `(start, token, end)` in bytes, or the offset of a
/// character no token starts with.
pub type Spanned<'s> = Result<(usize, Tok<'s>, usize), usize>;

/// The token stream over `src`.
pub fn tokens(src: &str) -> impl Iterator<Item = Spanned<'_>> {
    Tok::lexer(src).spanned().map(|(t, span)| match t {
        Ok(t) => Ok((span.start, t, span.end)),
        Err(()) => Err(span.start),
    })
}
