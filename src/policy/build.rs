//! Writing the policy from a resolved model and its rights ledger: names resolved,
//! fields expanded to node ids, territories to sorted ISO codes, relative dates
//! computed, `except` applied, and each grant's effective scope and sell-off taken
//! from the ledger's pieces.

use super::*;
use crate::date::Duration;
use crate::ledger::{Clause, Ledger, Piece, PieceKind};
use crate::model::{
    AgreementModel, ConsiderationModel, FieldSet, GrantModel, Interval, LimitModel, Model,
    MoneyValue, PartyId, TermModel,
};
use crate::source::{SourceMap, Span};

struct Builder<'a> {
    model: &'a Model,
    ledger: &'a Ledger,
    sources: &'a SourceMap,
    /// outputs: the declared groups, the bases of a compact territory.
    groups: Vec<(String, TerritorySet)>,
    /// The compact form ([`Policy::compact`]).
    compact: bool,
}

impl<'a> Builder<'a> {
    fn new(
        model: &'a Model,
        ledger: &'a Ledger,
        sources: &'a SourceMap,
        compact: bool,
    ) -> Builder<'a> {
        Builder {
            compact,
            model,
            ledger,
            sources,
            groups: model
                .groups
                .iter()
                .map(|g| (g.name.clone(), g.set))
                .collect(),
        }
    }

    fn loc(&self, span: Span) -> SourceLoc {
        let start = self.sources.line_col(span.file, span.start);
        let end = self.sources.line_col(span.file, span.end);
        SourceLoc {
            // `/` on every platform, so the bytes do not depend on it.
            file: self.sources.document_name(span.file).replace('\\', "/"),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    fn party(&self, p: PartyId) -> String {
        self.model.party_name(p).to_string()
    }

    fn parties(&self, list: &[PartyId]) -> Vec<String> {
        list.iter().map(|p| self.party(*p)).collect()
    }

    /// outputs: a territory as its shortest expression (version 5).
    fn compact(&self, set: TerritorySet) -> Option<String> {
        crate::territory::Compact::of(set, &self.groups).map(|c| c.text())
    }

    fn fields(&self, set: &FieldSet) -> Vec<String> {
        set.ids()
            .map(|id| self.model.fields.path(id).to_string())
            .collect()
    }

    /// The compact form of a set of whole subtrees: the nodes whose subtrees they
    /// are, in pre-order; `None` when a node of the set lacks a descendant of its
    /// own (never for a grant's fields as named, or named after `except`).
    fn field_roots(&self, set: &FieldSet) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for &(start, end) in &set.ranges {
            let mut at = start;
            while at < end {
                let node = self.model.fields.get(crate::model::FieldId(at))?;
                if node.end > end || node.end <= at {
                    return None;
                }
                out.push(node.path.clone());
                at = node.end;
            }
        }
        Some(out)
    }

    /// A grant's territory in the compact form: the text, and the codes too when the
    /// text would not read back as them (a group named like a country) or there is no
    /// country.
    fn compact_territory(&self, set: TerritorySet) -> (Option<String>, Option<Countries>) {
        match self.compact(set) {
            Some(text)
                if crate::territory::Compact::parse(&text, &self.groups).ok() == Some(set) =>
            {
                (Some(text), None)
            }
            text => (text, Some(codes(set))),
        }
    }
}

fn codes(t: TerritorySet) -> Countries {
    Countries(t)
}

fn period(i: Interval) -> PeriodOut {
    PeriodOut {
        start: i.start,
        end: i.end,
    }
}

/// terms (issue 15): a royalty's `payable` line.
fn payment_out(period: &crate::model::RoyaltyPeriod) -> Option<PaymentOut> {
    period.payable.map(|p| PaymentOut {
        every: p.every.into(),
        within: p.within.map(duration),
    })
}

fn duration(d: Duration) -> DurationOut {
    DurationOut {
        amount: d.amount,
        unit: d.unit,
    }
}

fn money(m: &MoneyValue) -> MoneyOut {
    MoneyOut {
        amount: Dec(m.amount),
        currency: m.currency.clone(),
    }
}

/// A grant's commitment (terms: issue 15, round 5).
fn commitment(b: &Builder<'_>, c: &crate::model::CommitmentModel) -> crate::policy::CommitmentOut {
    use crate::model::CommitmentAmount;
    use crate::policy::CommitmentKindOut;
    let (kind, units, amount) = match &c.amount {
        CommitmentAmount::Units(n) => (CommitmentKindOut::Purchase, Some(Dec(*n)), None),
        CommitmentAmount::Spend(m) => (CommitmentKindOut::Spend, None, Some(money(m))),
    };
    crate::policy::CommitmentOut {
        id: c.name.clone(),
        party: b.party(c.party),
        kind,
        units,
        amount,
        per: c.period.into(),
        on: c.subject.clone(),
        from: c.from,
        until: c.until,
        source: b.loc(c.span),
    }
}

fn limits(list: &[LimitModel]) -> Vec<LimitOut> {
    list.iter()
        .map(|l| LimitOut {
            kind: l.kind,
            amount: money(&l.amount),
            per_year: l.per_year,
            calendar_year: l.calendar,
        })
        .collect()
}

/// The consideration of a clause, in the policy's form.
pub fn consideration(list: &[ConsiderationModel]) -> Vec<ConsiderationOut> {
    list.iter()
        .map(|c| match c {
            ConsiderationModel::RoyaltyFree => ConsiderationOut::RoyaltyFree,
            ConsiderationModel::Percent {
                rate,
                limits: l,
                base,
                period,
            } => ConsiderationOut::Royalty {
                rate: Dec(*rate),
                base: *base,
                limits: limits(l),
                from: period.from,
                until: period.until,
                until_expiry: period.until_expiry,
                from_expiry: period.from_expiry,
                payable: payment_out(period),
                report: period.report.map(FrequencyOut::from),
            },
            ConsiderationModel::PerUnit {
                amount,
                limits: l,
                period,
            } => ConsiderationOut::PerUnit {
                amount: money(amount),
                limits: limits(l),
                from: period.from,
                until: period.until,
                until_expiry: period.until_expiry,
                from_expiry: period.from_expiry,
                payable: payment_out(period),
                report: period.report.map(FrequencyOut::from),
            },
            ConsiderationModel::Tiered {
                per_year,
                tiers,
                limits: l,
                period,
            } => ConsiderationOut::Tiered {
                from: period.from,
                until: period.until,
                until_expiry: period.until_expiry,
                from_expiry: period.from_expiry,
                payable: payment_out(period),
                report: period.report.map(FrequencyOut::from),
                base: RoyaltyBase::NetSales,
                per_year: *per_year,
                tiers: tiers
                    .iter()
                    .map(|t| TierOut {
                        from: money(&t.from),
                        to: t.to.as_ref().map(money),
                        rate: Dec(t.rate),
                    })
                    .collect(),
                limits: limits(l),
            },
            ConsiderationModel::LumpSum { amount, due } => ConsiderationOut::LumpSum {
                amount: money(amount),
                due: *due,
            },
            ConsiderationModel::Milestone { amount, event } => ConsiderationOut::Milestone {
                amount: money(amount),
                event: event.clone(),
            },
        })
        .collect()
}

/// Agreement ids: the id written in the source (`agreement acme_globex_2024 "…"`);
/// otherwise the file's stem, or its whole path where the stem is taken (another file
/// of the same name, or an id written in the source); a path still taken gets `#2`,
/// `#3`, … so ids stay unique.
fn agreement_ids(model: &Model, sources: &SourceMap) -> Vec<String> {
    let names: Vec<String> = model
        .agreements
        .iter()
        .map(|a| sources.document_name(a.file))
        .collect();
    let stem = |n: &str| {
        std::path::Path::new(n)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| n.to_string())
    };
    // Sets and counts, not lists: a folder of thousands of agreement files without
    // ids would otherwise compare every stem with every other.
    let written: std::collections::HashSet<&str> = model
        .agreements
        .iter()
        .filter_map(|a| a.id.as_deref())
        .collect();
    let mut fallback: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, n) in model
        .agreements
        .iter()
        .zip(&names)
        .filter(|(a, _)| a.id.is_none())
    {
        *fallback.entry(stem(n)).or_insert(0) += 1;
    }
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(names.len());
    for (a, n) in model.agreements.iter().zip(&names) {
        let base = match &a.id {
            Some(id) => id.clone(),
            None => {
                let s = stem(n);
                let shared =
                    fallback.get(&s).is_some_and(|n| *n > 1) || written.contains(s.as_str());
                if shared {
                    n.trim_end_matches(".xlic").to_string()
                } else {
                    s
                }
            }
        };
        let mut id = base.clone();
        let mut k = 1u32;
        while taken.contains(&id) {
            k += 1;
            id = format!("{base}#{k}");
        }
        taken.insert(id.clone());
        out.push(id);
    }
    out
}

/// Builds the policy of a model and its ledger (which should have no errors).
pub fn build(model: &Model, ledger: &Ledger, sources: &SourceMap) -> Policy {
    let b = Builder::new(model, ledger, sources, false);
    let parts = parts(&b);
    let ids = agreement_ids(model, sources);
    let agreements = model
        .agreements
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            let grants = a
                .grants
                .iter()
                .enumerate()
                .map(|(gi, g)| grant(&b, &ids, (ai, a), gi, g, None))
                .collect();
            agreement_out(&b, &ids, ai, a, grants)
        })
        .collect();
    Policy {
        xlic_policy: POLICY_VERSION,
        compact: false,
        tables_date: crate::iso::MEMBERSHIP_TABLES_DATE.to_string(),
        parties: parts.parties,
        fields: parts.fields,
        territory_groups: parts.territory_groups,
        assets: parts.assets,
        agreements,
        manifest: Some(manifest(sources)),
        standards: parts.standards,
    }
}

/// Writes the policy of a model and its ledger as [`super::write_json`] writes
/// [`build`]'s, the same bytes, but builds each agreement's other clauses when its
/// turn comes and each grant only as it is written, dropping it after: the policy of
/// a large portfolio is never held whole (`xlic build --emit json`; at 100k grants
/// its values took more memory than the model and the ledger together). Give it a
/// buffered writer. With `compact`, the compact form ([`Policy::compact`]), whose
/// grants are written without what the ledger derives (nor is it computed).
pub fn write_streamed<W: std::io::Write>(
    model: &Model,
    ledger: &Ledger,
    sources: &SourceMap,
    compact: bool,
    w: W,
) -> std::io::Result<()> {
    let b = Builder::new(model, ledger, sources, compact);
    let streamed = Streamed {
        parts: parts(&b),
        ids: agreement_ids(model, sources),
        manifest: manifest(sources),
        b: &b,
    };
    super::layout::write(&streamed, super::layout_of(compact), w)
}

/// A policy's members other than its agreements and manifest.
struct Parts {
    parties: Vec<PartyOut>,
    fields: Vec<FieldOut>,
    territory_groups: Vec<GroupOut>,
    assets: Vec<AssetOut>,
    standards: Vec<StandardOut>,
}

/// What [`write_streamed`] serialises: [`Policy`]'s members in [`Policy`]'s order, under the
/// same conditions, with the agreements built as they are written.
struct Streamed<'a> {
    parts: Parts,
    ids: Vec<String>,
    manifest: ManifestOut,
    b: &'a Builder<'a>,
}

/// Every member of [`Policy`] named (no `..`): a member added to `Policy` fails to
/// compile here until [`Streamed`] writes it in its place.
const _: fn(&Policy) = |p| {
    let Policy {
        xlic_policy: _,
        compact: _,
        tables_date: _,
        parties: _,
        fields: _,
        territory_groups: _,
        assets: _,
        agreements: _,
        manifest: _,
        standards: _,
    } = p;
};

impl serde::Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let standards = !self.parts.standards.is_empty();
        let compact = self.b.compact;
        let len = 8 + usize::from(standards) + usize::from(compact);
        let mut st = s.serialize_struct("Policy", len)?;
        st.serialize_field("xlic_policy", &POLICY_VERSION)?;
        if compact {
            st.serialize_field("compact", &true)?;
        } else {
            st.skip_field("compact")?;
        }
        st.serialize_field("tables_date", crate::iso::MEMBERSHIP_TABLES_DATE)?;
        st.serialize_field("parties", &self.parts.parties)?;
        st.serialize_field("fields", &self.parts.fields)?;
        st.serialize_field("territory_groups", &self.parts.territory_groups)?;
        st.serialize_field("assets", &self.parts.assets)?;
        st.serialize_field("agreements", &Agreements(self))?;
        st.serialize_field("manifest", &self.manifest)?;
        if standards {
            st.serialize_field("standards", &self.parts.standards)?;
        } else {
            st.skip_field("standards")?;
        }
        st.end()
    }
}

/// The agreements of a [`Streamed`] policy, each built when it is serialised.
struct Agreements<'s, 'a>(&'s Streamed<'a>);

impl serde::Serialize for Agreements<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let b = self.0.b;
        let ids = &self.0.ids;
        let mut seq = s.serialize_seq(Some(b.model.agreements.len()))?;
        for (ai, a) in b.model.agreements.iter().enumerate() {
            seq.serialize_element(&StreamedAgreement {
                out: agreement_out(b, ids, ai, a, Vec::new()),
                grants: Grants { b, ids, ai, a },
            })?;
        }
        seq.end()
    }
}

/// One agreement of a [`Streamed`] policy: its clauses other than grants built (one
/// agreement may hold every grant of a portfolio), its grants built as they are
/// written. Serialised as [`AgreementOut`] is, member for member.
struct StreamedAgreement<'s, 'a> {
    /// The agreement with no grants.
    out: AgreementOut,
    grants: Grants<'s, 'a>,
}

impl serde::Serialize for StreamedAgreement<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every member named, so that a member added to `AgreementOut` fails to compile
        // here until it is written in its place (the test `streamed_policy_is_built`
        // compares the bytes with `build`'s on every example).
        let AgreementOut {
            id,
            title,
            kind,
            effective,
            release_from,
            term,
            term_until_expiry,
            governing_law,
            parties,
            notes,
            grants: _,
            reservations,
            improvements,
            sunsets,
            definitions,
            obligations,
            first_rights,
            payments,
            source,
        } = &self.out;
        let optional = [
            definitions.is_empty(),
            obligations.is_empty(),
            first_rights.is_empty(),
            payments.is_empty(),
        ];
        let len = 19 - optional.iter().filter(|empty| **empty).count();
        let mut st = s.serialize_struct("AgreementOut", len)?;
        st.serialize_field("id", id)?;
        st.serialize_field("title", title)?;
        st.serialize_field("kind", kind)?;
        st.serialize_field("effective", effective)?;
        st.serialize_field("release_from", release_from)?;
        st.serialize_field("term", term)?;
        st.serialize_field("term_until_expiry", term_until_expiry)?;
        st.serialize_field("governing_law", governing_law)?;
        st.serialize_field("parties", parties)?;
        st.serialize_field("notes", notes)?;
        st.serialize_field("grants", &self.grants)?;
        st.serialize_field("reservations", reservations)?;
        st.serialize_field("improvements", improvements)?;
        st.serialize_field("sunsets", sunsets)?;
        skip_if_empty(&mut st, "definitions", definitions)?;
        skip_if_empty(&mut st, "obligations", obligations)?;
        skip_if_empty(&mut st, "first_rights", first_rights)?;
        skip_if_empty(&mut st, "payments", payments)?;
        st.serialize_field("source", source)?;
        st.end()
    }
}

/// A member `#[serde(skip_serializing_if = "Vec::is_empty")]` would leave out.
fn skip_if_empty<St: serde::ser::SerializeStruct, T: serde::Serialize>(
    st: &mut St,
    key: &'static str,
    list: &Vec<T>,
) -> Result<(), St::Error> {
    if list.is_empty() {
        st.skip_field(key)
    } else {
        st.serialize_field(key, list)
    }
}

/// The grants of one agreement of a [`Streamed`] policy, each built when written.
struct Grants<'s, 'a> {
    b: &'s Builder<'a>,
    ids: &'s [String],
    ai: usize,
    a: &'a AgreementModel,
}

impl serde::Serialize for Grants<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.a.grants.len()))?;
        for (gi, g) in self.a.grants.iter().enumerate() {
            let roots = match self.b.compact.then(|| compact_fields(self.b, g)) {
                Some(None) => {
                    return Err(serde::ser::Error::custom(format!(
                        "the fields of grant `{}` are not whole subtrees: it has no compact form",
                        g.id
                    )))
                }
                Some(roots) => roots,
                None => None,
            };
            seq.serialize_element(&grant(self.b, self.ids, (self.ai, self.a), gi, g, roots))?;
        }
        seq.end()
    }
}

/// The policy's form of one agreement with the grants given and its clause ids
/// assigned (which do not depend on the grants).
fn agreement_out(
    b: &Builder<'_>,
    ids: &[String],
    ai: usize,
    a: &AgreementModel,
    grants: Vec<GrantOut>,
) -> AgreementOut {
    let id = ids.get(ai).cloned().unwrap_or_default();
    let mut out = agreement(b, a, id, grants);
    super::ids::assign(&mut out);
    out
}

fn parts(b: &Builder<'_>) -> Parts {
    let model = b.model;
    let parties = model
        .parties
        .iter()
        .map(|p| PartyOut {
            id: p.name.clone(),
            legal_name: p.legal_name.clone(),
            short_name: p.short_name.clone(),
            parent: p.parent.map(|x| b.party(x)),
            affiliates: b.parties(&p.affiliates),
            affiliates_by_control: p.control.as_ref().map(|c| ControlOut {
                kinds: c.kinds.iter().map(|k| ControlKindOut::from(*k)).collect(),
                as_of: c.as_of,
            }),
            joins: p.membership.joins,
            leaves: p.membership.leaves,
            source: b.loc(p.span),
        })
        .collect();
    let fields = model
        .fields
        .nodes
        .iter()
        .map(|f| FieldOut {
            id: f.path.clone(),
            label: f.label.clone(),
            parent: f.parent.map(|p| model.fields.path(p).to_string()),
            source: b.loc(f.span),
        })
        .collect();
    let territory_groups = model
        .groups
        .iter()
        .map(|g| GroupOut {
            id: g.name.clone(),
            territories: codes(g.set),
            source: b.loc(g.span),
        })
        .collect();
    let assets = model
        .assets
        .iter()
        .map(|a| AssetOut {
            id: a.name.clone(),
            kind: a.kind,
            owners: b.parties(&a.owners),
            origin: a.origin,
            patents: a
                .patents
                .iter()
                .map(|p| PatentOut {
                    number: p.number.clone(),
                    territories: codes(p.territory),
                    filed: p.filed,
                    expires: p.expires,
                    pending: p.pending,
                    source: b.loc(p.span),
                })
                .collect(),
            capture: a.capture.map(|(s, e)| PeriodOut {
                start: s,
                end: Some(e),
            }),
            notes: a.notes.clone(),
            label: a.label.clone(),
            essential: a
                .essential
                .iter()
                .map(|e| EssentialOut {
                    standard: standard_id(model, e.standard),
                    frand: e.frand,
                })
                .collect(),
            source: b.loc(a.span),
        })
        .collect();
    Parts {
        parties,
        fields,
        territory_groups,
        assets,
        standards: model
            .standards
            .iter()
            .map(|s| StandardOut {
                id: s.name.clone(),
                title: s.title.clone(),
                source: b.loc(s.span),
            })
            .collect(),
    }
}

/// pools (issue 15): the id of a standard of the model.
fn standard_id(model: &Model, i: usize) -> String {
    model
        .standards
        .get(i)
        .map_or_else(|| "?".to_string(), |s| s.name.clone())
}

/// The compiler's version and the SHA-256 of every source, named as the policy's
/// source locations name them.
fn manifest(sources: &SourceMap) -> ManifestOut {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let files = sources
        .files()
        .iter()
        .map(|f| {
            let digest = Sha256::digest(f.text.as_bytes());
            let mut hex = String::with_capacity(64);
            for b in digest {
                let _ = write!(hex, "{b:02x}");
            }
            SourceDigest {
                file: sources.document_name(f.id).replace('\\', "/"),
                sha256: hex,
            }
        })
        .collect();
    ManifestOut {
        compiler: env!("CARGO_PKG_VERSION").to_string(),
        sources: files,
    }
}
fn agreement(
    b: &Builder<'_>,
    a: &AgreementModel,
    id: String,
    grants: Vec<GrantOut>,
) -> AgreementOut {
    let model = b.model;
    AgreementOut {
        id,
        title: a.title.clone(),
        kind: a.kind,
        effective: a.effective,
        release_from: a.release_from,
        term: a.term.map(period),
        term_until_expiry: a.term_until_expiry,
        governing_law: a.governing_law.clone(),
        parties: b.parties(&a.parties),
        notes: a.notes.clone(),
        grants,
        reservations: a
            .reservations
            .iter()
            .map(|r| ReservationOut {
                id: r.name.clone(),
                kind: if r.holder.is_some() {
                    ReservationKind::Retained
                } else {
                    ReservationKind::Hard
                },
                holder: r.holder.map(|h| b.party(h)),
                assets: r
                    .assets
                    .iter()
                    .map(|x| model.asset_name(*x).to_string())
                    .collect(),
                rights: r.rights.iter().collect(),
                fields: if r.all_fields {
                    None
                } else {
                    Some(b.fields(&r.fields))
                },
                territories: codes(r.territory),
                territories_compact: b.compact(r.territory),
                term: period(r.term),
                purposes: purposes_out(r.purposes),
                source: b.loc(r.span),
            })
            .collect(),
        improvements: a
            .improvements
            .iter()
            .map(|imp| ImprovementsOut {
                id: None,
                assets: imp
                    .assets
                    .iter()
                    .map(|x| model.asset_name(*x).to_string())
                    .collect(),
                owner: imp.owner,
                rules: imp
                    .rules
                    .iter()
                    .map(|r| FlowOut {
                        id: None,
                        direction: r.direction,
                        from: b.party(r.from),
                        to: b.party(r.to),
                        covers: r.covers,
                        exclusivity: r.exclusivity,
                        consideration: consideration(&r.consideration),
                        sunset: r.sunset,
                        consent_required: r.consent_required.unwrap_or(false),
                        membership: model
                            .flow_window(a.kind, r.from, r.to)
                            .map(FlowMembershipOut::from),
                        source: b.loc(r.span),
                    })
                    .collect(),
                source: b.loc(imp.span),
            })
            .collect(),
        sunsets: a
            .sunsets
            .iter()
            .map(|s| SunsetOut {
                id: None,
                grant: s.grant_name.clone(),
                renewals: s
                    .renewals
                    .iter()
                    .map(|r| RenewalOut {
                        automatic: r.automatic,
                        period: duration(r.period),
                        max_times: r.max_times,
                        notice: r.notice.map(duration),
                    })
                    .collect(),
                renegotiations: s
                    .renegotiate_every
                    .iter()
                    .enumerate()
                    .map(|(i, every)| RenegotiationOut {
                        every: duration(*every),
                        notice: s.renegotiate_notice.get(i).copied().flatten().map(duration),
                    })
                    .collect(),
                wind_down: s.wind_down.map(duration),
                terminations: s
                    .terminations
                    .iter()
                    .map(|t| TriggerOut {
                        event: t.event.clone(),
                        by: t.by.map(|p| b.party(p)),
                        of: t.of.map(|p| b.party(p)),
                        cure: t.cure.map(duration),
                        notice: t.notice.map(duration),
                    })
                    .collect(),
                survives: s.survives.clone(),
                source: b.loc(s.span),
            })
            .collect(),
        definitions: a
            .definitions
            .iter()
            .map(|d| DefinitionOut {
                id: d.name.clone(),
                term: crate::text::title_case(&d.name),
                text: d.text.clone(),
                source: b.loc(d.span),
            })
            .collect(),
        obligations: a.obligations.iter().map(|o| obligation(b, o)).collect(),
        first_rights: a.first_rights.iter().map(|f| first_right(b, f)).collect(),
        payments: a.payments.iter().map(|p| payment(b, p)).collect(),
        source: b.loc(a.span),
    }
}

/// clauses (issue 15, version 7): an agreement-level payment.
fn payment(b: &Builder<'_>, p: &crate::model::AgreementPaymentModel) -> AgreementPaymentOut {
    AgreementPaymentOut {
        id: p.id.clone(),
        label: p.label.clone(),
        payer: b.party(p.payer),
        payee: b.party(p.payee),
        instalments: p
            .instalments
            .iter()
            .map(|i| InstalmentOut {
                amount: money(&i.amount),
                due: i.due,
            })
            .collect(),
        total: p.totals().iter().map(money).collect(),
        notes: p.notes.clone(),
        source: b.loc(p.span),
    }
}

/// clauses (issue 15, version 6): a right of first refusal or negotiation.
fn first_right(b: &Builder<'_>, f: &crate::model::FirstRightModel) -> FirstRightOut {
    let model = b.model;
    FirstRightOut {
        id: f.id.clone(),
        kind: f.kind.into(),
        holder: b.party(f.holder),
        grantors: f.grantors.iter().map(|p| b.party(*p)).collect(),
        assets: f
            .assets
            .iter()
            .map(|x| model.asset_name(*x).to_string())
            .collect(),
        rights: f.rights.iter().collect(),
        fields: (!f.all_fields).then(|| b.fields(&f.fields)),
        territories: codes(f.territory),
        territories_compact: b.compact(f.territory),
        term: period(f.term),
        purposes: purposes_out(f.purposes),
        within: f.within.map(duration),
        notes: f.notes.clone(),
        source: b.loc(f.span),
    }
}

/// terms: an obligation clause, its parameters by name.
fn obligation(b: &Builder<'_>, o: &crate::model::ObligationModel) -> ObligationOut {
    use crate::model::{ObligationEntry, ObligationValue};
    let terms = o
        .params
        .iter()
        .map(|p| {
            let value = match &p.value {
                ObligationValue::Flag => ObligationValueOut::Flag(true),
                ObligationValue::Duration(d) => ObligationValueOut::Duration(duration(*d)),
                ObligationValue::Percent(x) => ObligationValueOut::Percent(Dec(*x)),
                ObligationValue::Money(m) => ObligationValueOut::Money(money(m)),
                ObligationValue::Text(t) => ObligationValueOut::Text(t.clone()),
                ObligationValue::Shares(v) => ObligationValueOut::Shares(
                    v.iter()
                        .map(|(p, x)| ShareOut {
                            party: b.party(*p),
                            value: Dec(*x),
                        })
                        .collect(),
                ),
                ObligationValue::Items(items) => ObligationValueOut::Items(
                    items
                        .iter()
                        .map(|e| match e {
                            ObligationEntry::Party(x) => ObligationEntryOut::Party(b.party(*x)),
                            ObligationEntry::Asset(x) => {
                                ObligationEntryOut::Asset(b.model.asset_name(*x).to_string())
                            }
                            ObligationEntry::Kind(k) => ObligationEntryOut::Kind(*k),
                            ObligationEntry::Word(w) => ObligationEntryOut::Word(w.clone()),
                        })
                        .collect(),
                ),
            };
            (p.key.name().to_string(), value)
        })
        .collect();
    ObligationOut {
        id: o.id.clone(),
        kind: o.kind,
        parties: b.parties(&o.parties),
        title: o.title.clone(),
        asset: o.asset.map(|x| b.model.asset_name(x).to_string()),
        terms,
        source: b.loc(o.span),
    }
}

/// One piece of the ledger as a policy entry.
fn piece_out(b: &Builder<'_>, p: &Piece) -> EffectiveOut {
    let subject = b.ledger.subject(p.subject);
    EffectiveOut {
        asset: b.model.asset_name(p.asset).to_string(),
        patent: subject.filter(|s| s.is_patent()).map(|s| s.label.clone()),
        territories: codes(p.territory),
        start: p.time.start,
        end: p.time.end,
        licensees: p.member_names(b.model),
    }
}

/// One grant for the policy; `roots` are its fields in the compact form
/// ([`compact_fields`]), `None` in the full form.
fn grant(
    b: &Builder<'_>,
    ids: &[String],
    (ai, a): (usize, &AgreementModel),
    gi: usize,
    g: &GrantModel,
    roots: Option<(Vec<String>, Vec<String>)>,
) -> GrantOut {
    let model = b.model;
    let entry = b.ledger.grant_index(ai, gi).and_then(|i| b.ledger.grant(i));
    let time = entry.map_or(
        Interval {
            start: g.term.start(),
            end: None,
        },
        |e| e.time,
    );
    let reach = entry
        .map(|e| e.reach.clone())
        .unwrap_or_else(|| g.licensees.clone());
    let pieces: &[Piece] = entry.map(|e| b.ledger.pieces_of(e)).unwrap_or(&[]);
    // What the ledger derives, left out of the compact form (and not computed).
    let derived = |kind: PieceKind| -> Option<Vec<EffectiveOut>> {
        (!b.compact).then(|| {
            pieces
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| piece_out(b, p))
                .collect()
        })
    };
    let effective_scope = derived(PieceKind::Term);
    let normalized_scope = effective_scope
        .as_deref()
        .map(super::normalize::normalize)
        .unwrap_or_default();
    let sell_off_scope = derived(PieceKind::SellOff);
    let (fields, fields_excepted) = match roots {
        Some(roots) => roots,
        None => (
            b.fields(&g.fields),
            b.fields(&g.field_include.intersection(&g.field_exclude)),
        ),
    };
    let (territories_compact, territories) = if b.compact {
        b.compact_territory(g.territory)
    } else {
        (b.compact(g.territory), Some(codes(g.territory)))
    };
    let wind_down = entry.and_then(|e| {
        let d = e.wind_down?;
        let end = time
            .end
            .map_or(e.window.end, |t| Some(e.window.end.map_or(t, |w| t.min(w))))?;
        Some(PeriodOut {
            start: end,
            end: end.add_duration(d),
        })
    });
    let subject_to_grants = entry
        .map(|e| {
            e.subject_to_grants
                .iter()
                .filter_map(|&i| {
                    let other = b.ledger.grant(i)?;
                    let m = b.ledger.grant_model(model, other)?;
                    Some(GrantRef {
                        agreement: ids.get(other.agreement).cloned().unwrap_or_default(),
                        grant: m.id.clone(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let _ = Clause::Grant(0);
    GrantOut {
        id: g.id.clone(),
        licensor: b.party(g.licensor),
        licensees: b.parties(&g.licensees),
        to_members: g.to_members,
        to_affiliates: g.to_affiliates,
        reach: (!b.compact).then(|| b.parties(&reach)),
        assets: g
            .assets
            .iter()
            .map(|x| model.asset_name(*x).to_string())
            .collect(),
        rights: g.rights.iter().collect(),
        fields,
        fields_excepted,
        territories,
        territories_compact,
        territories_excepted: codes(g.territory_include.intersection(g.territory_exclude)),
        term: GrantTermOut {
            start: time.start,
            end: time.end,
            until_expiry: matches!(g.term, TermModel::UntilExpiry { .. }),
        },
        exclusivity: g.exclusivity,
        purposes: purposes_out(g.purposes),
        release: g.release.map(|before| crate::policy::ReleaseOut { before }),
        // rights (issue 15): diligence milestones and the conversion they trigger
        diligence: g
            .diligence
            .iter()
            .map(|d| crate::policy::DiligenceOut {
                id: d.name.clone(),
                party: d.party.map(|p| b.party(p)).unwrap_or_default(),
                event: d.event.clone(),
                by: d.by,
                source: b.loc(d.span),
            })
            .collect(),
        commitments: g.commitments.iter().map(|c| commitment(b, c)).collect(),
        converts: (!g.converts.is_empty()).then(|| crate::policy::ConversionOut {
            to: crate::vocab::ExclusivityKind::NonExclusive,
            if_missed: g
                .converts
                .iter()
                .filter_map(|&c| g.conversion_name(c).map(str::to_string))
                .collect(),
        }),
        covenant: g.covenant.then_some(crate::policy::CovenantOut {
            customers: g.to_customers,
        }),
        subject_to: g
            .subject_to
            .iter()
            .filter_map(|i| a.reservations.get(*i).and_then(|r| r.name.clone()))
            .collect(),
        subject_to_grants,
        sublicense: g.sublicense,
        transferable: g.transfer.transferable,
        personal: g.transfer.personal,
        consideration: consideration(&g.consideration),
        effective_scope,
        normalized_scope,
        wind_down,
        sell_off_scope,
        survives_agreement: entry.is_some_and(|e| e.survives),
        notes: g.notes.clone(),
        standard: g.standard.map(|i| standard_id(model, i)),
        most_favoured: g.most_favoured.is_some(),
        most_favoured_scope: g.most_favoured_scope.as_deref().and_then(|m| {
            (m.fields.is_some() || m.territory.is_some()).then(|| {
                crate::policy::MostFavouredScopeOut {
                    fields: m.fields.as_ref().map(|f| b.fields(f)),
                    territories: m.territory.map(codes),
                    territories_compact: m.territory.and_then(|t| b.compact(t)),
                }
            })
        }),
        label: g.label.clone(),
        source: b.loc(g.span),
    }
}

/// A grant's `fields` and `fields_excepted` in the compact form: the nodes named
/// (before `except`) and the nodes `except` took from them, as subtree roots.
fn compact_fields(b: &Builder<'_>, g: &GrantModel) -> Option<(Vec<String>, Vec<String>)> {
    let excepted = g.field_include.intersection(&g.field_exclude);
    Some((b.field_roots(&g.field_include)?, b.field_roots(&excepted)?))
}

/// A clause's purposes for the policy: absent when it covers every purpose.
fn purposes_out(p: crate::model::PurposeSet) -> Option<Vec<crate::vocab::Purpose>> {
    (!p.is_all()).then(|| p.iter().collect())
}
