//! Hover: what the thing under the cursor is and means, in Markdown.
//!
//! A grant shows its sentence, its scope and its effective scope; a party, asset, field
//! or territory group what it is; an ISO code its country; a date its long form (and a
//! term given as a duration the dates it works out to); a diagnostic code, in a comment
//! or under a diagnostic, its explanation.

use super::hints::computed_dates;
use super::index::{Symbol, SymbolId, SymbolKind};
use super::{touches, Analysis};
use crate::date::Date;
use crate::diagnostics::codes;
use crate::model::Model;
use crate::source::FileId;
use crate::syntax::ast::Item;
use crate::syntax::token::Token;
use crate::text::{join_list, territory_in_words};

/// At most this many lines list the boxes of an effective scope.
const MAX_BOXES: usize = 8;

/// The Markdown hover for the byte offset `offset` of `file`, if there is anything to
/// say there.
pub fn hover(analysis: &Analysis, file: FileId, offset: u32) -> Option<String> {
    let text = analysis.text(file);
    let lexed = analysis.lexed(file);
    let mut parts: Vec<String> = Vec::new();
    let in_comment = lexed
        .comments
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end);
    if let Some(comment) = in_comment {
        if let Some(info) = code_in_comment(text, comment.span.start, comment.span.end, offset) {
            parts.push(explain(info));
        }
    } else if let Some(occ) = analysis.index().at(file, offset) {
        parts.extend(symbol_hover(analysis, occ.symbol));
    } else if let Some(link) = super::links::import_at(analysis, file, offset) {
        parts.push(super::links::import_hover(analysis, link));
    } else {
        let token = lexed
            .tokens
            .iter()
            .enumerate()
            .find(|(_, (s, _, e))| *s as u32 <= offset && offset < *e as u32)
            .or_else(|| {
                lexed
                    .tokens
                    .iter()
                    .enumerate()
                    .find(|(_, (s, _, e))| *s as u32 <= offset && offset == *e as u32)
            });
        if let Some((i, &(start, tok, end))) = token {
            let word = text.get(start..end).unwrap_or("");
            let prev = i
                .checked_sub(1)
                .and_then(|p| lexed.tokens.get(p))
                .map(|t| t.1);
            parts.extend(token_hover(
                analysis,
                file,
                offset,
                start as u32,
                tok,
                word,
                prev,
            ));
        }
    }
    // The explanation of every diagnostic under the cursor.
    let mut seen = Vec::new();
    for d in analysis.diagnostics_in(file) {
        if touches(d.primary.span, file, offset) && !seen.contains(&d.code) {
            seen.push(d.code);
            parts.push(explain(d.code.info()));
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n---\n\n"))
    }
}

/// A diagnostic code such as `E0301` under the cursor in a comment.
fn code_in_comment(
    text: &str,
    start: u32,
    end: u32,
    offset: u32,
) -> Option<&'static codes::CodeInfo> {
    let comment = text.get(start as usize..end as usize)?;
    let at = (offset - start) as usize;
    let mut pos = 0usize;
    for word in comment.split(|c: char| !c.is_ascii_alphanumeric()) {
        let w_end = pos + word.len();
        if pos <= at && at <= w_end && word.len() == 5 {
            let bytes = word.as_bytes();
            let shaped = matches!(bytes.first(), Some(b'E' | b'W'))
                && bytes.iter().skip(1).all(u8::is_ascii_digit);
            if shaped {
                return codes::lookup(word);
            }
        }
        // Every separator is one ASCII byte: the comment's other characters are in words.
        pos = w_end
            + comment
                .get(w_end..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
    }
    None
}

fn explain(info: &codes::CodeInfo) -> String {
    format!(
        "**{}** ({}): {}\n\n{}",
        info.code, info.family, info.title, info.explanation
    )
}

fn token_hover(
    analysis: &Analysis,
    file: FileId,
    offset: u32,
    start: u32,
    tok: Token,
    word: &str,
    prev: Option<Token>,
) -> Vec<String> {
    let mut out = Vec::new();
    // A duration a date is computed from.
    if let Some(c) = computed_dates(analysis, file)
        .into_iter()
        .find(|c| touches(c.span, file, offset))
    {
        let mut s = match c.start {
            Some(start) if c.what.contains("term") => format!(
                "**{}**: from {} until {} (its last day is {})",
                c.what,
                start.long_form(),
                c.date.long_form(),
                c.date.pred().unwrap_or(c.date).long_form()
            ),
            _ => format!("**{}**: {}", c.what, c.date.long_form()),
        };
        s.push_str(&format!("\n\n{}", c.explanation));
        out.push(s);
        return out;
    }
    match tok {
        Token::Date => out.push(date_hover(word, prev)),
        Token::KwRelease => out.push(release_hover(analysis, file)),
        Token::KwWorldwide => out.push(format!(
            "**worldwide**: every country with an ISO 3166-1 alpha-2 code ({})",
            crate::iso::COUNTRIES.len()
        )),
        Token::Ident => {
            if let Some(t) = analysis.index().territory_name_at(file, offset) {
                out.push(territory_name_hover(&t.name));
            }
        }
        Token::KwGrant | Token::KwCovenant => {
            // The `grant` (or `covenant`) keyword of a grant's header.
            let grant = analysis.ast(file).and_then(|ast| {
                ast.items().find_map(|i| match i {
                    Item::Grant(g) if g.span.start == start => Some(g),
                    _ => None,
                })
            });
            if let Some(g) = grant {
                let symbol = analysis
                    .index()
                    .symbols
                    .iter()
                    .position(|s| s.kind == SymbolKind::Grant && s.decl == g.name.span);
                if let Some(id) = symbol {
                    out.extend(symbol_hover(analysis, id));
                }
            }
        }
        // clauses (issue 15): `first refusal` / `first negotiation` says what the right is.
        Token::KwFirst | Token::KwRefusal | Token::KwNegotiation => {
            out.extend(first_right_hover(analysis, file, offset));
        }
        // clauses (issue 15, round 4): a payment's keyword or a `pay` line says it in
        // words.
        Token::KwPayment | Token::KwPay => {
            out.extend(payment_hover(analysis, file, offset));
        }
        // terms (issue 15, round 5): a commitment's keyword says it in the prose's words.
        Token::KwCommit => out.extend(commitment_hover(analysis, file, offset)),
        // terms (issue 15, round 7): `most favoured licensee` says what it covers.
        Token::KwMost | Token::KwFavoured | Token::KwLicensee => {
            out.extend(most_favoured_hover(analysis, file, offset));
        }
        // terms: the keyword of an obligation clause shows the clause in words.
        t if t.starts_obligation() => out.extend(obligation_hover(analysis, file, start)),
        _ => {}
    }
    out
}

/// clauses (issue 15): the first right whose header holds `offset`: who holds it, from
/// whom, and for how long the holder may answer. It grants no right.
fn first_right_hover(analysis: &Analysis, file: FileId, offset: u32) -> Option<String> {
    let model = &analysis.compilation.model;
    let f = model
        .agreements
        .iter()
        .filter(|a| a.file == file)
        .flat_map(|a| &a.first_rights)
        .find(|f| touches(f.header, file, offset))?;
    let grantors: Vec<String> = f
        .grantors
        .iter()
        .map(|p| format!("`{}`", model.party_name(*p)))
        .collect();
    let period = f.within.map_or_else(|| "—".to_string(), |d| d.to_string());
    let what = match f.kind {
        crate::vocab::FirstRightKind::Refusal => {
            "before licensing the scope to a third party, the owner must offer the holder the same terms; the holder may accept"
        }
        crate::vocab::FirstRightKind::Negotiation => {
            "before dealing with others over the scope, the owner must negotiate exclusively with the holder"
        }
    };
    Some(format!(
        "**first {}** (`{}`): `{}` holds a {} from {}: {what} within {period}. It grants no license: `xlic query` does not read it.",
        f.kind.keyword(),
        f.id,
        model.party_name(f.holder),
        f.kind.title(),
        join_list(&grantors),
    ))
}

/// clauses (issue 15, round 4): the agreement-level payment that holds `offset`, in the
/// prose's words, with its total when it is paid in instalments.
fn payment_hover(analysis: &Analysis, file: FileId, offset: u32) -> Option<String> {
    let model = &analysis.compilation.model;
    let p = model
        .agreements
        .iter()
        .filter(|a| a.file == file)
        .flat_map(|a| &a.payments)
        .find(|p| touches(p.span, file, offset))?;
    let sentence = crate::text::payment_sentence(
        &format!("`{}`", model.party_name(p.payer)),
        &format!("`{}`", model.party_name(p.payee)),
        p,
    );
    Some(format!(
        "**payment** (`{}`): {sentence} It changes no right: `xlic query` does not read it.",
        p.id
    ))
}

/// terms (issue 15, round 5): the commitment of a grant that holds `offset`, in the
/// prose's words.
fn commitment_hover(analysis: &Analysis, file: FileId, offset: u32) -> Option<String> {
    let model = &analysis.compilation.model;
    let c = model
        .agreements
        .iter()
        .filter(|a| a.file == file)
        .flat_map(|a| &a.grants)
        .flat_map(|g| &g.commitments)
        .find(|c| touches(c.span, file, offset))?;
    let sentence = crate::text::commitment_sentence(&format!("`{}`", model.party_name(c.party)), c);
    Some(format!(
        "**minimum commitment**: {sentence} It changes no right: `xlic query` does not read it."
    ))
}

/// terms (issue 15, round 7): the grant whose `most favoured licensee` holds `offset`:
/// what the promise covers, the grant's whole scope or the part its block names.
fn most_favoured_hover(analysis: &Analysis, file: FileId, offset: u32) -> Option<String> {
    let model = &analysis.compilation.model;
    let g = model
        .agreements
        .iter()
        .filter(|a| a.file == file)
        .flat_map(|a| &a.grants)
        .find(|g| g.most_favoured.is_some_and(|s| touches(s, file, offset)))?;
    let scope = g.most_favoured_scope.as_deref();
    let fields = match scope.and_then(|m| m.fields.as_ref()) {
        Some(f) => crate::text::field_phrase(&model.fields, f),
        None => "in the grant's whole field".to_string(),
    };
    let territory = match scope.and_then(|m| m.territory) {
        Some(t) => territory_in_words(t),
        None => "throughout the grant's territory".to_string(),
    };
    Some(format!(
        "**most-favoured licensee** (grant `{}`): if the licensor licenses the same scope to another licensee on better terms, it must offer them to this grant's licensees; it covers the license {fields}, {territory}. A term, not a right: `xlic query` does not read it.",
        g.id
    ))
}

/// terms: an obligation clause whose header starts at `start`, as the documents say it.
fn obligation_hover(analysis: &Analysis, file: FileId, start: u32) -> Option<String> {
    let model = &analysis.compilation.model;
    let o = model
        .agreements
        .iter()
        .filter(|a| a.file == file)
        .flat_map(|a| &a.obligations)
        .find(|o| o.header.file == file && o.header.start == start)?;
    let mut s = format!(
        "**{}** (`{}`, {})",
        crate::text::obligation_heading(&crate::text::Words::of(model), o),
        o.id,
        o.kind.keyword()
    );
    for para in crate::text::obligation_paragraphs(&crate::text::Words::of(model), o) {
        s.push_str("\n\n");
        s.push_str(&para);
    }
    s.push_str("\n\nAn obligation: it changes no right the agreement grants.");
    Some(s)
}

/// `release from DATE` in an agreement: what it allows, with the agreement's dates.
fn release_hover(analysis: &Analysis, file: FileId) -> String {
    let mut s = "**release from**: the agreement's licenses may reach back before its effective date, to this date. A grant whose own term starts earlier than the effective date (not earlier than this one) licenses, and so releases, the acts done since its start; a grant without a term of its own starts on the effective date.".to_string();
    let agreement = analysis
        .compilation
        .model
        .agreements
        .iter()
        .find(|a| a.file == file);
    if let Some((release, effective)) = agreement.and_then(|a| a.release_from.zip(a.effective)) {
        s.push_str(&format!(
            "\n\nHere: acts from {} may be released; the agreement is effective on {}.",
            release.long_form(),
            effective.long_form()
        ));
    }
    s
}

fn weekday(d: Date) -> &'static str {
    // 1970-01-01 was a Thursday.
    match d.days().rem_euclid(7) {
        0 => "Thursday",
        1 => "Friday",
        2 => "Saturday",
        3 => "Sunday",
        4 => "Monday",
        5 => "Tuesday",
        _ => "Wednesday",
    }
}

fn date_hover(word: &str, prev: Option<Token>) -> String {
    match Date::parse(word) {
        Ok(d) => {
            let mut s = format!("**{word}**: {}, {}", weekday(d), d.long_form());
            if prev == Some(Token::KwUntil) {
                if let Some(last) = d.pred() {
                    s.push_str(&format!(
                        "\n\nTerms are half-open: the term ends before this day, so its last day is {}.",
                        last.long_form()
                    ));
                }
            }
            s
        }
        Err(e) => format!("`{word}` is not a calendar date: {e}"),
    }
}

fn territory_name_hover(name: &str) -> String {
    match name {
        "EU" => format!(
            "**EU**: the {} member states of the European Union (as of {}): {}",
            crate::iso::EU.len(),
            crate::iso::MEMBERSHIP_TABLES_DATE,
            names(crate::iso::EU)
        ),
        "EEA" => format!(
            "**EEA**: the {} states of the European Economic Area (as of {}), the EU with Iceland, Liechtenstein and Norway: {}",
            crate::iso::EEA.len(),
            crate::iso::MEMBERSHIP_TABLES_DATE,
            names(crate::iso::EEA)
        ),
        code => match crate::iso::country_name(code) {
            Some(country) => {
                let mut s = format!("**{code}**: {country}");
                if crate::iso::EU.contains(&code) {
                    s.push_str(" (EU member state)");
                } else if crate::iso::EEA.contains(&code) {
                    s.push_str(" (EEA state)");
                }
                s
            }
            None => format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
        },
    }
}

fn names(codes: &[&str]) -> String {
    let v: Vec<String> = codes
        .iter()
        .filter_map(|c| crate::iso::country_name(c))
        .map(str::to_string)
        .collect();
    join_list(&v)
}

fn symbol_hover(analysis: &Analysis, id: SymbolId) -> Vec<String> {
    let model = &analysis.compilation.model;
    let mut out = Vec::new();
    let Some(symbol) = analysis.index().symbol(id) else {
        return out;
    };
    match symbol.kind {
        SymbolKind::Party | SymbolKind::Affiliate => {
            let Some((id, p)) = model
                .parties
                .iter()
                .enumerate()
                .find(|(_, p)| p.span == symbol.decl)
            else {
                out.push(format!("**{}** `{}`", symbol.kind.noun(), symbol.name));
                return out;
            };
            let mut s = match p.parent {
                Some(parent) => format!(
                    "**affiliate** `{}` of `{}`: {}",
                    p.name,
                    model.party_name(parent),
                    p.legal_name
                ),
                None => format!("**party** `{}`: {}", p.name, p.legal_name),
            };
            if let Some(short) = &p.short_name {
                s.push_str(&format!(" (\u{201c}{short}\u{201d})"));
            }
            if !p.affiliates.is_empty() {
                let list: Vec<String> = p
                    .affiliates
                    .iter()
                    .filter_map(|a| model.party(*a))
                    .map(|a| format!("`{}` ({})", a.name, a.legal_name))
                    .collect();
                s.push_str(&format!("\n\nAffiliates: {}", join_list(&list)));
            }
            // terms (issue 15): affiliates by control.
            if let Some(c) = &p.control {
                let kinds: Vec<&str> = c
                    .kinds
                    .iter()
                    .map(|k| match k {
                        crate::vocab::ControlKind::CommonControl => "under common control with",
                        other => other.keyword(),
                    })
                    .collect();
                s.push_str(&format!(
                    "\n\nAffiliates by control: every entity {} `{}`{}",
                    crate::text::join_with(&kinds, "or"),
                    p.name,
                    c.as_of.map(|d| format!(" as of {d}")).unwrap_or_default()
                ));
            }
            let pid = crate::model::PartyId(u32::try_from(id).unwrap_or(u32::MAX));
            // pools (issue 15): a dated pool membership.
            if let Some(m) = model.membership(pid) {
                let mut parts = Vec::new();
                parts.extend(m.joins.map(|d| format!("joins the pool on {d}")));
                parts.extend(m.leaves.map(|d| format!("leaves it on {d}")));
                s.push_str(&format!("\n\nPool membership: {}", parts.join(", ")));
            }
            let owned: Vec<String> = model
                .assets
                .iter()
                .filter(|a| a.owners.contains(&pid))
                .map(|a| format!("`{}`", a.name))
                .collect();
            if !owned.is_empty() {
                s.push_str(&format!("\n\nOwns {}", join_list(&owned)));
            }
            out.push(s);
        }
        SymbolKind::Asset => {
            let Some(a) = model.assets.iter().find(|a| a.span == symbol.decl) else {
                out.push(format!("**asset** `{}`", symbol.name));
                return out;
            };
            let owners: Vec<String> = a
                .owners
                .iter()
                .map(|o| format!("`{}`", model.party_name(*o)))
                .collect();
            let mut s = format!("**asset** `{}`: {}", a.name, a.kind.keyword());
            if !owners.is_empty() {
                s.push_str(&format!(" of {}", join_list(&owners)));
            }
            match a.origin {
                Some(crate::syntax::ast::Origin::Background) => s.push_str(", background"),
                Some(crate::syntax::ast::Origin::Foreground) => s.push_str(", foreground"),
                None => {}
            }
            if let Some((from, until)) = a.capture {
                s.push_str(&format!(
                    "\n\nEvery patent filed from {} until {}",
                    from.long_form(),
                    until.long_form()
                ));
            }
            for p in a.patents.iter().take(12) {
                let expiry = match (p.expires, p.pending) {
                    (Some(e), false) => format!(", expires {}", e.long_form()),
                    (Some(e), true) => format!(", expected to expire {}", e.long_form()),
                    (None, _) => String::new(),
                };
                // rights (issue 15): a pending application is not in force.
                let what = if p.pending {
                    "pending application"
                } else {
                    "patent"
                };
                s.push_str(&format!(
                    "\n- {what} {}: {}{expiry}",
                    p.number,
                    p.territory.describe()
                ));
            }
            if a.patents.len() > 12 {
                s.push_str(&format!("\n- and {} more patents", a.patents.len() - 12));
            }
            if a.kind.is_patent() && a.patents.is_empty() && a.capture.is_none() {
                s.push_str(
                    "\n\nLists no patents: taken to exist everywhere, for the whole agreement.",
                );
            }
            out.push(s);
        }
        SymbolKind::Field => {
            let node = model.fields.nodes.iter().find(|n| n.span == symbol.decl);
            let mut s = format!("**field** `{}`", symbol.path);
            if let Some(label) = node.and_then(|n| n.label.as_ref()) {
                s.push_str(&format!(": {label}"));
            }
            let kids: Vec<String> = analysis
                .index()
                .field_children(id)
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect();
            if kids.is_empty() {
                s.push_str("\n\nA leaf of the fields tree.");
            } else {
                s.push_str(&format!(
                    "\n\nCovers itself and everything below it: {}",
                    join_list(&kids)
                ));
            }
            out.push(s);
        }
        SymbolKind::Group => {
            let set = model
                .groups
                .iter()
                .find(|g| g.span == symbol.decl)
                .map(|g| g.set)
                .unwrap_or_default();
            out.push(format!(
                "**territory group** `{}`: {} ({})",
                symbol.name,
                territory_in_words(set).trim_start_matches("in "),
                set.describe()
            ));
        }
        SymbolKind::Grant => out.push(grant_hover(analysis, symbol)),
        SymbolKind::Standard => out.push(standard_hover(analysis, symbol)),
        SymbolKind::Reservation => {
            let r = model
                .agreements
                .iter()
                .filter(|a| a.file == symbol.decl.file)
                .flat_map(|a| a.reservations.iter())
                .find(|r| r.header.start <= symbol.decl.start && symbol.decl.end <= r.header.end);
            let mut s = format!("**reservation** `{}`", symbol.name);
            if let Some(r) = r {
                let assets: Vec<String> = r
                    .assets
                    .iter()
                    .map(|a| format!("`{}`", model.asset_name(*a)))
                    .collect();
                match r.holder {
                    Some(h) => s.push_str(&format!(
                        ": rights `{}` retains in {}; `exclusive subject to {}` carves them out of an exclusive grant",
                        model.party_name(h),
                        join_list(&assets),
                        symbol.name
                    )),
                    None => s.push_str(&format!(
                        ": {} may not be licensed in this scope",
                        join_list(&assets)
                    )),
                }
                let every = crate::model::FieldSet::from_ranges(vec![(
                    0,
                    u32::try_from(model.fields.nodes.len()).unwrap_or(u32::MAX),
                )]);
                for a in &r.assets {
                    let b = crate::scope::ScopeBox {
                        asset: *a,
                        rights: r.rights,
                        fields: if r.all_fields {
                            every.clone()
                        } else {
                            r.fields.clone()
                        },
                        territory: r.territory,
                        time: r.term,
                    };
                    s.push_str(&format!("\n- {}", b.describe(model)));
                }
            }
            out.push(s);
        }
    }
    out
}

fn grant_hover(analysis: &Analysis, symbol: &Symbol) -> String {
    let model: &Model = &analysis.compilation.model;
    let mut s = format!("**grant** `{}`", symbol.name);
    let found = model
        .agreements
        .iter()
        .filter(|a| a.file == symbol.decl.file)
        .find_map(|a| {
            a.grants
                .iter()
                .position(|g| {
                    g.header.start <= symbol.decl.start && symbol.decl.end <= g.header.end
                })
                .map(|i| (a, i))
        });
    let Some((agreement, index, g)) = found.and_then(|(a, i)| a.grants.get(i).map(|g| (a, i, g)))
    else {
        s.push_str("\n\nThe grant could not be resolved; see its diagnostics.");
        return s;
    };
    if g.covenant {
        s = s.replacen("**grant**", "**covenant not to sue**", 1);
    }
    if g.release.is_some() {
        s = s.replacen("**grant**", "**release**", 1);
    }
    let licensees: Vec<String> = g
        .licensees
        .iter()
        .map(|p| format!("`{}`", model.party_name(*p)))
        .collect();
    s.push_str(&format!(
        ": `{}` → {}",
        model.party_name(g.licensor),
        if g.to_members {
            format!("members ({})", join_list(&licensees))
        } else {
            join_list(&licensees)
        }
    ));
    // The sentence of the grant's clause in the prose, from the same builder.
    let sources = &analysis.compilation.sources;
    let ledger = &analysis.compilation.ledger;
    if let Some(t) = crate::emit::prose::grant_sentence(model, ledger, sources, agreement, index) {
        s.push_str(&format!("\n\n{}", crate::emit::prose::markdown::inline(&t)));
    }
    // The grant as written, with its term as the ledger resolved it (`until expiry`: the
    // last expiry of its patents in its territory).
    let Some(ai) = model
        .agreements
        .iter()
        .position(|a| std::ptr::eq(a, agreement))
    else {
        return s;
    };
    let entry = ledger
        .grant_index(ai, index)
        .and_then(|i| ledger.grants.get(i));
    let time = entry.map_or_else(
        || crate::model::Interval {
            start: g.term.start(),
            end: None,
        },
        |e| e.time,
    );
    s.push_str("\n\n**Scope**");
    for asset in &g.assets {
        let b = crate::scope::ScopeBox {
            asset: *asset,
            rights: g.rights,
            fields: g.fields.clone(),
            territory: g.territory,
            time,
        };
        s.push_str(&format!("\n- {}", b.describe(model)));
    }
    if !g.purposes.is_all() {
        s.push_str(&format!("\n- purpose {}", g.purposes.words().join(", ")));
    }
    // rights (issue 15): diligence milestones and the conversion they trigger.
    for (i, d) in g.diligence.iter().enumerate() {
        let converts = if g.converts.contains(&crate::model::Conversion::Milestone(i)) {
            "; if missed, the exclusivity becomes non-exclusive"
        } else {
            ""
        };
        s.push_str(&format!(
            "\n- diligence `{}`: {} by {}{converts}",
            d.name,
            d.event,
            d.by.long_form()
        ));
    }
    // terms (issue 15, round 5): minimum commitments.
    for c in &g.commitments {
        let sentence =
            crate::text::commitment_sentence(&format!("`{}`", model.party_name(c.party)), c);
        s.push_str(&format!("\n- commitment: {sentence}"));
    }
    // The rights ledger's pieces: per patent, where and while it is in force and within
    // the agreement's term, as the checker and `xlic query` read them.
    let pieces = entry.map_or(&[][..], |e| ledger.pieces_of(e));
    let effective: Vec<String> = pieces
        .iter()
        .map(|p| {
            let b = crate::scope::ScopeBox {
                asset: p.asset,
                rights: p.rights,
                fields: g.fields.clone(),
                territory: p.territory,
                time: p.time,
            };
            let what = match ledger.subject(p.subject) {
                Some(sub) if sub.is_patent() => format!("patent {}, ", sub.label),
                _ => String::new(),
            };
            let kind = match p.kind {
                crate::ledger::PieceKind::Term => "",
                crate::ledger::PieceKind::SellOff => "wind-down: ",
            };
            format!("{kind}{what}{}", b.describe(model))
        })
        .collect();
    s.push_str("\n\n**Effective scope** (per patent, where and while it is in force, within the agreement)");
    if effective.is_empty() {
        s.push_str("\n- none: the grant conveys nothing");
    }
    for line in effective.iter().take(MAX_BOXES) {
        s.push_str(&format!("\n- {line}"));
    }
    if effective.len() > MAX_BOXES {
        s.push_str(&format!("\n- and {} more", effective.len() - MAX_BOXES));
    }
    s
}

/// reach (issue 15/20): a standard's title, the assets declared essential to it (with
/// their FRAND commitments) and the grants limited to it.
fn standard_hover(analysis: &Analysis, symbol: &Symbol) -> String {
    let model = &analysis.compilation.model;
    let Some((i, st)) = model
        .standards
        .iter()
        .enumerate()
        .find(|(_, s)| s.span == symbol.decl)
    else {
        return format!("**standard** `{}`", symbol.name);
    };
    let mut s = format!("**standard** `{}`: {}", st.name, st.title);
    let essential: Vec<String> = model
        .assets
        .iter()
        .filter_map(|a| {
            let e = a.essential.iter().find(|e| e.standard == i)?;
            Some(if e.frand {
                format!("`{}` (FRAND)", a.name)
            } else {
                format!("`{}`", a.name)
            })
        })
        .collect();
    if !essential.is_empty() {
        s.push_str(&format!("\n\nessential: {}", join_list(&essential)));
    }
    let grants: Vec<String> = model
        .agreements
        .iter()
        .flat_map(|a| a.grants.iter())
        .filter(|g| g.standard == Some(i))
        .map(|g| format!("`{}`", g.id))
        .collect();
    if !grants.is_empty() {
        s.push_str(&format!("\n\nlicensed for it by {}", join_list(&grants)));
    }
    s
}
