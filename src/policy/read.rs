//! Reading a policy back: the typed JSON turned into the model it was written from, so
//! that the rights ledger — and with it every answer of the evaluator — is derived by
//! the same code whether the portfolio was compiled now or loaded from a file.
//!
//! Everything the schema cannot say is checked here: every party, asset, field and
//! grant a clause names exists; the fields are in pre-order; percentages lie in
//! (0, 100] and amounts are more than zero, in ISO 4217 currencies; terms are not
//! inverted and a `release_from` comes before the effective date; and each grant's
//! effective scope is the one its clauses give (a policy whose scope was edited would
//! otherwise answer one thing in `xlic query` and another downstream).

use super::*;
use crate::date::Duration;
use crate::ledger::{Ledger, PieceKind};
use crate::model::{
    AgreementModel, AssetDecl, AssetId, ConsiderationModel, FieldDecl, FieldForest, FieldId,
    FieldSet, FlowModel, GrantModel, GroupDecl, ImprovementsModel, Interval, LimitModel, Model,
    MoneyValue, PartyDecl, PartyId, PatentDecl, RenewalModel, ReservationModel, RightSet,
    RoyaltyPeriod, SunsetModel, TermModel, TierModel, TriggerModel,
};
use crate::source::Span;
use crate::vocab::Transfer;
use rust_decimal::Decimal;
// foldhash, not SipHash: reading a policy looks up every field, party and asset name
// of every clause (the 10k portfolio's policy: 1.4 million lookups).
use foldhash::{HashMap, HashMapExt};

/// Why a policy cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}

fn fail<T>(message: String) -> Result<T, PolicyError> {
    Err(PolicyError { message })
}

/// A policy read back: its model and the rights ledger derived from it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub ledger: Ledger,
}

fn idx32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// "grant `ID` of agreement `A`", as the errors about a grant name it.
struct GrantOf<'a> {
    id: &'a str,
    agreement: &'a dyn std::fmt::Display,
}

impl std::fmt::Display for GrantOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "grant `{}` of {}", self.id, self.agreement)
    }
}

struct Names<'p> {
    parties: HashMap<&'p str, PartyId>,
    assets: HashMap<&'p str, AssetId>,
    fields: HashMap<&'p str, FieldId>,
}

impl Names<'_> {
    fn party(&self, name: &str, whose: &dyn std::fmt::Display) -> Result<PartyId, PolicyError> {
        match self.parties.get(name) {
            Some(p) => Ok(*p),
            None => fail(format!("{whose} names the unknown party `{name}`")),
        }
    }

    fn parties(
        &self,
        list: &[String],
        whose: &dyn std::fmt::Display,
    ) -> Result<Vec<PartyId>, PolicyError> {
        list.iter().map(|p| self.party(p, whose)).collect()
    }

    fn assets(
        &self,
        list: &[String],
        whose: &dyn std::fmt::Display,
    ) -> Result<Vec<AssetId>, PolicyError> {
        list.iter()
            .map(|a| match self.assets.get(a.as_str()) {
                Some(x) => Ok(*x),
                None => fail(format!("{whose} names the unknown asset `{a}`")),
            })
            .collect()
    }

    fn fields(
        &self,
        list: &[String],
        whose: &dyn std::fmt::Display,
    ) -> Result<FieldSet, PolicyError> {
        let mut ranges = Vec::with_capacity(list.len());
        for f in list {
            match self.fields.get(f.as_str()) {
                Some(id) => ranges.push((id.0, id.0 + 1)),
                None => return fail(format!("{whose} names the unknown field `{f}`")),
            }
        }
        Ok(FieldSet::from_ranges(ranges))
    }

    /// The compact form's fields ([`Policy::compact`]): each node with its subtree.
    fn fields_under(
        &self,
        list: &[String],
        forest: &FieldForest,
        whose: &dyn std::fmt::Display,
    ) -> Result<FieldSet, PolicyError> {
        let mut ranges = Vec::with_capacity(list.len());
        for f in list {
            let id = self.fields.get(f.as_str());
            match id.and_then(|id| Some((id.0, forest.get(*id)?.end))) {
                Some(range) => ranges.push(range),
                None => return fail(format!("{whose} names the unknown field `{f}`")),
            }
        }
        Ok(FieldSet::from_ranges(ranges))
    }
}

fn rights(list: &[crate::vocab::Right]) -> RightSet {
    RightSet::of(list.iter().copied())
}

fn period(p: &PeriodOut, whose: &dyn std::fmt::Display) -> Result<Interval, PolicyError> {
    if let Some(e) = p.end {
        if e <= p.start {
            return fail(format!(
                "{whose}: the period {} until {e} is empty or inverted",
                p.start
            ));
        }
    }
    Ok(Interval {
        start: p.start,
        end: p.end,
    })
}

/// pools (issue 15): the position of a standard the policy lists.
fn standard_index(
    model: &Model,
    id: &str,
    whose: &dyn std::fmt::Display,
) -> Result<usize, PolicyError> {
    match model.standards.iter().position(|s| s.name == id) {
        Some(i) => Ok(i),
        None => fail(format!("{whose}: the standard `{id}` is not listed")),
    }
}

/// terms (issue 15): a royalty's `payable` line.
fn payment(p: &PaymentOut) -> crate::model::PaymentModel {
    crate::model::PaymentModel {
        every: p.every.into(),
        within: p.within.as_ref().map(duration),
    }
}

fn duration(d: &DurationOut) -> Duration {
    Duration {
        amount: d.amount,
        unit: d.unit,
    }
}

fn money(m: &MoneyOut, whose: &dyn std::fmt::Display) -> Result<MoneyValue, PolicyError> {
    if crate::iso::currencies::currency(&m.currency).is_none() {
        return fail(format!(
            "{whose}: `{}` is not an ISO 4217 currency code",
            m.currency
        ));
    }
    if m.amount.0 <= Decimal::ZERO {
        return fail(format!("{whose}: an amount must be more than zero"));
    }
    Ok(MoneyValue {
        amount: m.amount.0,
        currency: m.currency.clone(),
    })
}

fn rate(r: Dec, whose: &dyn std::fmt::Display) -> Result<Decimal, PolicyError> {
    if r.0 <= Decimal::ZERO || r.0 > Decimal::ONE_HUNDRED {
        return fail(format!(
            "{whose}: a percentage must lie in (0, 100], not {}",
            r.0.normalize()
        ));
    }
    Ok(r.0)
}

fn limits(
    list: &[LimitOut],
    whose: &dyn std::fmt::Display,
) -> Result<Vec<LimitModel>, PolicyError> {
    list.iter()
        .map(|l| {
            Ok(LimitModel {
                kind: l.kind,
                amount: money(&l.amount, whose)?,
                per_year: l.per_year,
                calendar: l.calendar_year,
            })
        })
        .collect()
}

fn consideration(
    list: &[ConsiderationOut],
    whose: &dyn std::fmt::Display,
) -> Result<Vec<ConsiderationModel>, PolicyError> {
    list.iter()
        .map(|c| {
            Ok(match c {
                ConsiderationOut::RoyaltyFree => ConsiderationModel::RoyaltyFree,
                ConsiderationOut::Royalty {
                    rate: r,
                    limits: l,
                    base,
                    from,
                    until,
                    until_expiry,
                    from_expiry,
                    payable,
                    report,
                } => ConsiderationModel::Percent {
                    rate: rate(*r, whose)?,
                    limits: limits(l, whose)?,
                    base: *base,
                    period: RoyaltyPeriod {
                        from: *from,
                        until: *until,
                        until_expiry: *until_expiry,
                        from_expiry: *from_expiry,
                        payable: payable.as_ref().map(payment),
                        report: report.map(Into::into),
                    },
                },
                ConsiderationOut::PerUnit {
                    amount,
                    limits: l,
                    from,
                    until,
                    until_expiry,
                    from_expiry,
                    payable,
                    report,
                } => ConsiderationModel::PerUnit {
                    amount: money(amount, whose)?,
                    limits: limits(l, whose)?,
                    period: RoyaltyPeriod {
                        from: *from,
                        until: *until,
                        until_expiry: *until_expiry,
                        from_expiry: *from_expiry,
                        payable: payable.as_ref().map(payment),
                        report: report.map(Into::into),
                    },
                },
                ConsiderationOut::Tiered {
                    per_year,
                    tiers,
                    limits: l,
                    from,
                    until,
                    until_expiry,
                    from_expiry,
                    payable,
                    report,
                    ..
                } => ConsiderationModel::Tiered {
                    period: RoyaltyPeriod {
                        from: *from,
                        until: *until,
                        until_expiry: *until_expiry,
                        from_expiry: *from_expiry,
                        payable: payable.as_ref().map(payment),
                        report: report.map(Into::into),
                    },
                    per_year: *per_year,
                    tiers: tiers
                        .iter()
                        .map(|t| {
                            Ok(TierModel {
                                from: MoneyValue {
                                    amount: t.from.amount.0,
                                    currency: t.from.currency.clone(),
                                },
                                to: t.to.as_ref().map(|m| money(m, whose)).transpose()?,
                                rate: rate(t.rate, whose)?,
                            })
                        })
                        .collect::<Result<_, PolicyError>>()?,
                    limits: limits(l, whose)?,
                },
                ConsiderationOut::LumpSum { amount, due } => ConsiderationModel::LumpSum {
                    amount: money(amount, whose)?,
                    due: *due,
                },
                ConsiderationOut::Milestone { amount, event } => ConsiderationModel::Milestone {
                    amount: money(amount, whose)?,
                    event: event.clone(),
                },
            })
        })
        .collect()
}

/// The fields in pre-order, each node's subtree the contiguous range after it.
fn forest(fields: &[FieldOut]) -> Result<(FieldForest, HashMap<&str, FieldId>), PolicyError> {
    let mut ids: HashMap<&str, FieldId> = HashMap::new();
    let mut nodes: Vec<FieldDecl> = Vec::with_capacity(fields.len());
    // The chain of open ancestors while walking in pre-order.
    let mut open: Vec<usize> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if ids.contains_key(f.id.as_str()) {
            return fail(format!("the field `{}` is listed twice", f.id));
        }
        let parent = match &f.parent {
            None => None,
            Some(p) => match ids.get(p.as_str()) {
                Some(id) => Some(*id),
                None => {
                    return fail(format!(
                    "the field `{}` comes before its parent `{p}` (fields are listed in pre-order)",
                    f.id
                ))
                }
            },
        };
        // Close the subtrees this node is not inside.
        while let Some(&top) = open.last() {
            if Some(FieldId(idx32(top))) == parent {
                break;
            }
            if let Some(n) = nodes.get_mut(top) {
                n.end = idx32(i);
            }
            open.pop();
        }
        if parent.is_some() && open.is_empty() {
            return fail(format!(
                "the field `{}` is not listed right after its parent's subtree (fields are listed in pre-order)",
                f.id
            ));
        }
        let name = f.id.rsplit('.').next().unwrap_or(&f.id).to_string();
        nodes.push(FieldDecl {
            name,
            path: f.id.clone(),
            label: f.label.clone(),
            parent,
            end: idx32(i + 1),
            implicit: f.id == "all" && fields.len() == 1,
            span: Span::default(),
        });
        ids.insert(f.id.as_str(), FieldId(idx32(i)));
        open.push(i);
    }
    for top in open {
        if let Some(n) = nodes.get_mut(top) {
            n.end = idx32(fields.len());
        }
    }
    Ok((FieldForest { nodes }, ids))
}

/// Reads a policy back into its model and ledger.
pub fn load(policy: &Policy) -> Result<Loaded, PolicyError> {
    // Version 10 is version 11's full form (11 added the compact one): still read.
    let full_10 = policy.xlic_policy == 10 && !policy.compact;
    if policy.xlic_policy != POLICY_VERSION && !full_10 {
        return fail(format!(
            "policy format version {} is not supported (this xlic reads version {POLICY_VERSION}); rebuild it with `xlic build`",
            policy.xlic_policy
        ));
    }
    let (fields, field_ids) = forest(&policy.fields)?;
    let mut names = Names {
        parties: HashMap::new(),
        assets: HashMap::new(),
        fields: field_ids,
    };
    for (i, p) in policy.parties.iter().enumerate() {
        if names
            .parties
            .insert(p.id.as_str(), PartyId(idx32(i)))
            .is_some()
        {
            return fail(format!("the party `{}` is listed twice", p.id));
        }
    }
    for (i, a) in policy.assets.iter().enumerate() {
        if names
            .assets
            .insert(a.id.as_str(), AssetId(idx32(i)))
            .is_some()
        {
            return fail(format!("the asset `{}` is listed twice", a.id));
        }
    }
    let mut model = Model {
        fields,
        // pools (issue 15): the standards, by position.
        standards: policy
            .standards
            .iter()
            .map(|s| crate::model::StandardModel {
                name: s.id.clone(),
                title: s.title.clone(),
                span: Span::default(),
            })
            .collect(),
        ..Model::default()
    };
    for p in &policy.parties {
        let whose = format!("party `{}`", p.id);
        model.parties.push(PartyDecl {
            name: p.id.clone(),
            legal_name: p.legal_name.clone(),
            short_name: p.short_name.clone(),
            parent: p
                .parent
                .as_deref()
                .map(|x| names.party(x, &whose))
                .transpose()?,
            affiliates: names.parties(&p.affiliates, &whose)?,
            control: p
                .affiliates_by_control
                .as_ref()
                .map(|c| crate::model::ControlDecl {
                    kinds: {
                        let mut k: Vec<crate::vocab::ControlKind> =
                            c.kinds.iter().map(|k| (*k).into()).collect();
                        k.sort();
                        k.dedup();
                        k
                    },
                    as_of: c.as_of,
                    span: Span::default(),
                }),
            membership: crate::model::Membership {
                joins: p.joins,
                leaves: p.leaves,
                joins_span: None,
                leaves_span: None,
            },
            span: Span::default(),
        });
    }
    for g in &policy.territory_groups {
        model.groups.push(GroupDecl {
            name: g.id.clone(),
            set: g.territories.0,
            span: Span::default(),
        });
    }
    for a in &policy.assets {
        let whose = format!("asset `{}`", a.id);
        let mut patents = Vec::with_capacity(a.patents.len());
        for p in &a.patents {
            if let (Some(f), Some(e)) = (p.filed, p.expires) {
                if e <= f {
                    return fail(format!(
                        "{whose}: patent `{}` expires on {e}, not after it was filed on {f}",
                        p.number
                    ));
                }
            }
            patents.push(PatentDecl {
                number: p.number.clone(),
                territory: p.territories.0,
                filed: p.filed,
                expires: p.expires,
                pending: p.pending,
                span: Span::default(),
            });
        }
        let capture = match &a.capture {
            None => None,
            Some(c) => {
                let i = period(c, &whose)?;
                match i.end {
                    Some(e) => Some((i.start, e)),
                    None => return fail(format!("{whose}: a capture period needs an end")),
                }
            }
        };
        let essential = a
            .essential
            .iter()
            .map(|e| {
                let standard = standard_index(&model, &e.standard, &whose)?;
                Ok(crate::model::EssentialModel {
                    standard,
                    frand: e.frand,
                    span: Span::default(),
                })
            })
            .collect::<Result<Vec<_>, PolicyError>>()?;
        model.assets.push(AssetDecl {
            essential,
            name: a.id.clone(),
            label: a.label.clone(),
            kind: a.kind,
            owners: names.parties(&a.owners, &whose)?,
            origin: a.origin,
            patents,
            capture,
            notes: a.notes.clone(),
            span: Span::default(),
        });
    }
    for a in &policy.agreements {
        model
            .agreements
            .push(agreement(&names, &model, a, policy.compact)?);
    }
    // Grants named after `subject to` in other agreements are bound by the ledger from
    // their ids, as when compiling; check they exist.
    for a in &policy.agreements {
        for g in &a.grants {
            for r in &g.subject_to_grants {
                let found = policy
                    .agreements
                    .iter()
                    .any(|x| x.id == r.agreement && x.grants.iter().any(|y| y.id == r.grant));
                if !found {
                    return fail(format!(
                        "grant `{}` is subject to the unknown grant `{}` of agreement `{}`",
                        g.id, r.grant, r.agreement
                    ));
                }
            }
        }
    }
    let ledger = Ledger::build(&model);
    same_scope(policy, &model, &ledger)?;
    Ok(Loaded { model, ledger })
}

fn agreement(
    names: &Names<'_>,
    model: &Model,
    a: &AgreementOut,
    compact: bool,
) -> Result<AgreementModel, PolicyError> {
    let whose = format!("agreement `{}`", a.id);
    let term = a.term.as_ref().map(|t| period(t, &whose)).transpose()?;
    if let (Some(release), Some(effective)) = (a.release_from, a.effective) {
        if release >= effective {
            return fail(format!(
                "{whose}: `release_from` {release} is not before the effective date {effective}"
            ));
        }
    }
    // outputs (version 5): a compact territory must say what the list says.
    let groups: Vec<(String, crate::territory::TerritorySet)> = model
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.set))
        .collect();
    // The grants' countries: their list, or in the compact form the text alone.
    let mut territories = Vec::with_capacity(a.grants.len());
    for g in &a.grants {
        let set = match (g.territories, &g.territories_compact) {
            (Some(list), _) => list.0,
            (None, Some(text)) if compact => crate::territory::Compact::parse(text, &groups)
                .map_err(|e| PolicyError {
                    message: format!(
                        "grant `{}` of {whose}: `territories_compact` `{text}`: {e}",
                        g.id
                    ),
                })?,
            (None, _) => {
                return fail(format!(
                    "grant `{}` of {whose} has no `territories`{}",
                    g.id,
                    if compact {
                        " nor `territories_compact`"
                    } else {
                        " (only a compact policy leaves them out)"
                    }
                ))
            }
        };
        territories.push(set);
    }
    // A compact text must say what its list says; where the compact form leaves the
    // list out, the text is what the countries were read from.
    let compacts = a
        .grants
        .iter()
        .filter_map(|g| Some((&g.id, g.territories?, &g.territories_compact)))
        .chain(a.reservations.iter().map(|r| {
            let id = r.id.as_ref().unwrap_or(&a.id);
            (id, r.territories, &r.territories_compact)
        }))
        // clauses (issue 15, version 6): a first right's too.
        .chain(
            a.first_rights
                .iter()
                .map(|f| (&f.id, f.territories, &f.territories_compact)),
        )
        // terms (issue 15, version 10): a most-favoured-licensee scope's.
        .chain(a.grants.iter().filter_map(|g| {
            let m = g.most_favoured_scope.as_ref()?;
            Some((&g.id, m.territories?, &m.territories_compact))
        }));
    for (id, set, written) in compacts {
        let want = crate::territory::Compact::of(set.0, &groups).map(|c| c.text());
        if let Some(w) = written {
            if want.as_ref() != Some(w) {
                return fail(format!(
                    "clause `{id}` of {whose}: `territories_compact` `{w}` is not its territories ({})",
                    want.unwrap_or_else(|| "none".to_string())
                ));
            }
        }
    }
    // clauses (issue 15, version 7): a payment names known parties and its total is
    // the sum of its instalments.
    for p in &a.payments {
        let of = format!("payment `{}` of {whose}", p.id);
        names.party(&p.payer, &of)?;
        names.party(&p.payee, &of)?;
        let mut sums: std::collections::BTreeMap<&str, rust_decimal::Decimal> =
            std::collections::BTreeMap::new();
        for i in &p.instalments {
            let slot = sums.entry(i.amount.currency.as_str()).or_default();
            *slot = slot.saturating_add(i.amount.amount.0);
        }
        let want: Vec<(&str, rust_decimal::Decimal)> = sums.into_iter().collect();
        let found: Vec<(&str, rust_decimal::Decimal)> = p
            .total
            .iter()
            .map(|m| (m.currency.as_str(), m.amount.0))
            .collect();
        if want != found {
            return fail(format!("{of}: `total` is not the sum of its instalments"));
        }
    }
    if let Some((what, found, want)) = super::ids::check(a) {
        return fail(format!(
            "{whose}: the {what} id `{found}` is not the one its clause derives (`{want}`)"
        ));
    }
    let mut out = AgreementModel {
        file: crate::source::FileId(0),
        title: a.title.clone(),
        kind: a.kind,
        effective: a.effective,
        release_from: a.release_from,
        term,
        term_until_expiry: a.term_until_expiry,
        governing_law: a.governing_law.clone(),
        parties: names.parties(&a.parties, &whose)?,
        contracting: Vec::new(),
        notes: a.notes.clone(),
        grants: Vec::new(),
        reservations: Vec::new(),
        improvements: Vec::new(),
        sunsets: Vec::new(),
        definitions: a
            .definitions
            .iter()
            .map(|d| crate::model::DefinitionModel {
                name: d.id.clone(),
                text: d.text.clone(),
                span: Span::default(),
            })
            .collect(),
        // terms: obligations change no right, and the evaluator reads rights only; the
        // diff compares them in the policy itself.
        obligations: Vec::new(),
        first_rights: Vec::new(),
        payments: Vec::new(),
        id: Some(a.id.clone()),
        header: Span::default(),
        term_span: None,
        span: Span::default(),
    };
    for r in &a.reservations {
        let whose = format!(
            "reservation `{}` of {whose}",
            r.id.as_deref().unwrap_or("(unnamed)")
        );
        let holder = r
            .holder
            .as_deref()
            .map(|h| names.party(h, &whose))
            .transpose()?;
        if (r.kind == ReservationKind::Retained) != holder.is_some() {
            return fail(format!(
                "{whose}: a retained reservation has a holder, a hard one none"
            ));
        }
        let (fields, all_fields) = match &r.fields {
            Some(list) => (names.fields(list, &whose)?, false),
            None => (
                FieldSet::from_ranges(vec![(0, idx32(model.fields.nodes.len()))]),
                true,
            ),
        };
        out.reservations.push(ReservationModel {
            // outputs: a derived id (version 5) is no name the sources wrote.
            name: r.id.clone().filter(|id| !super::ids::is_derived(id)),
            assets: names.assets(&r.assets, &whose)?,
            holder,
            rights: rights(&r.rights),
            fields,
            all_fields,
            territory: r.territories.0,
            term: period(&r.term, &whose)?,
            purposes: purposes_in(r.purposes.as_deref()),
            header: Span::default(),
            span: Span::default(),
        });
    }
    // Clauses named by id, looked up once each (issue 19: a linear search per sunset and
    // per `subject to` was quadratic, 39 % of loading the 100k-grant policy); the first
    // clause of an id, as a search in order would find.
    let mut reservation_ids: HashMap<&str, usize> = HashMap::new();
    for (i, r) in a.reservations.iter().enumerate() {
        if let Some(id) = r.id.as_deref() {
            reservation_ids.entry(id).or_insert(i);
        }
    }
    let mut grant_ids: HashMap<&str, usize> = HashMap::new();
    for (i, g) in a.grants.iter().enumerate() {
        grant_ids.entry(g.id.as_str()).or_insert(i);
    }
    for (g, territory) in a.grants.iter().zip(territories) {
        // Written out only in an error: a `String` per grant was 3 % of reading a policy.
        let whose = GrantOf {
            id: &g.id,
            agreement: &whose,
        };
        // `reach` is derived (licensees and, with `and affiliates`, theirs); it must
        // name known parties, and is compared with the derivation once the ledger is built.
        // So are the effective and sell-off scopes; only the compact form leaves them out.
        match &g.reach {
            Some(reach) => names.parties(reach, &whose)?,
            None if compact => Vec::new(),
            None => {
                return fail(format!(
                    "{whose} has no `reach` (only a compact policy leaves it out)"
                ))
            }
        };
        if !compact {
            for (key, given) in [
                ("effective_scope", g.effective_scope.is_some()),
                ("sell_off_scope", g.sell_off_scope.is_some()),
            ] {
                if !given {
                    return fail(format!(
                        "{whose} has no `{key}` (only a compact policy leaves it out)"
                    ));
                }
            }
        }
        let (fields, excepted, include) = if compact {
            // The nodes named and the nodes `except` took, each with its subtree.
            let include = names.fields_under(&g.fields, &model.fields, &whose)?;
            let excepted = names.fields_under(&g.fields_excepted, &model.fields, &whose)?;
            if !excepted.difference(&include).is_empty() {
                return fail(format!(
                    "{whose}: `fields_excepted` names a field that is not under `fields`"
                ));
            }
            (include.difference(&excepted), excepted, include)
        } else {
            let fields = names.fields(&g.fields, &whose)?;
            let excepted = names.fields(&g.fields_excepted, &whose)?;
            let include = FieldSet::from_ranges(
                fields
                    .ranges
                    .iter()
                    .chain(excepted.ranges.iter())
                    .copied()
                    .collect(),
            );
            (fields, excepted, include)
        };
        let mut subject_to = Vec::new();
        for name in &g.subject_to {
            match reservation_ids.get(name.as_str()).copied() {
                Some(i) => subject_to.push(i),
                None => {
                    return fail(format!(
                        "{whose} is subject to the unknown reservation `{name}`"
                    ))
                }
            }
        }
        let term = if g.term.until_expiry {
            TermModel::UntilExpiry {
                start: g.term.start,
            }
        } else {
            TermModel::Dates(period(
                &PeriodOut {
                    start: g.term.start,
                    end: g.term.end,
                },
                &whose,
            )?)
        };
        let most_favoured_scope = most_favoured_in(g, (&fields, territory), names, &whose)?;
        out.grants.push(GrantModel {
            most_favoured: g.most_favoured.then(Span::default),
            most_favoured_scope,
            standard: g
                .standard
                .as_deref()
                .map(|s| standard_index(model, s, &whose))
                .transpose()?,
            id: g.id.clone(),
            label: g.label.clone(),
            licensor: names.party(&g.licensor, &whose)?,
            licensees: names.parties(&g.licensees, &whose)?,
            to_members: g.to_members,
            to_affiliates: g.to_affiliates,
            assets: names.assets(&g.assets, &whose)?,
            rights: rights(&g.rights),
            field_include: include,
            field_exclude: excepted,
            fields,
            territory_include: territory.union(g.territories_excepted.0),
            territory_exclude: g.territories_excepted.0,
            territory,
            field_except: None,
            territory_except: None,
            term,
            term_span: Span::default(),
            exclusivity: g.exclusivity,
            purposes: purposes_in(g.purposes.as_deref()),
            covenant: g.covenant.is_some(),
            release: g.release.as_ref().map(|r| r.before),
            to_customers: g.covenant.as_ref().is_some_and(|c| c.customers),
            subject_to,
            subject_to_unresolved: false,
            subject_to_grants: g
                .subject_to_grants
                .iter()
                .map(|r| (r.grant.clone(), Span::default()))
                .collect(),
            sublicense: g.sublicense,
            transfer: Transfer {
                personal: g.personal,
                transferable: g.transferable,
            },
            consideration: consideration(&g.consideration, &whose)?,
            notes: g.notes.clone(),
            diligence: diligence_in(&g.diligence, names, &whose)?,
            converts: converts_in(g, &whose)?,
            commitments: commitments_in(&g.commitments, names, &whose)?,
            header: Span::default(),
            span: Span::default(),
        });
    }
    for imp in &a.improvements {
        let whose = format!("an improvements clause of {whose}");
        let mut rules = Vec::new();
        for r in &imp.rules {
            rules.push(FlowModel {
                direction: r.direction,
                covers_span: Span::default(),
                exclusivity_span: Span::default(),
                from: names.party(&r.from, &whose)?,
                to: names.party(&r.to, &whose)?,
                covers: r.covers,
                exclusivity: r.exclusivity,
                consideration: consideration(&r.consideration, &whose)?,
                sunset: r.sunset,
                consent_required: Some(r.consent_required),
                header: Span::default(),
                span: Span::default(),
            });
        }
        out.improvements.push(ImprovementsModel {
            assets: names.assets(&imp.assets, &whose)?,
            owner: imp.owner,
            owner_span: None,
            rules,
            header: Span::default(),
            span: Span::default(),
        });
    }
    for s in &a.sunsets {
        let grant = grant_ids.get(s.grant.as_str()).copied();
        if grant.is_none() {
            return fail(format!(
                "a sunset clause of agreement `{}` names the unknown grant `{}`",
                a.id, s.grant
            ));
        }
        let whose = format!("a termination trigger of the sunset of `{}`", s.grant);
        let mut terminations = Vec::new();
        for t in &s.terminations {
            let who = |p: &Option<String>| p.as_deref().map(|p| names.party(p, &whose));
            terminations.push(TriggerModel {
                event: t.event.clone(),
                by: who(&t.by).transpose()?,
                of: who(&t.of).transpose()?,
                by_span: None,
                of_span: None,
                cure: t.cure.as_ref().map(duration),
                notice: t.notice.as_ref().map(duration),
                span: Span::default(),
            });
        }
        out.sunsets.push(SunsetModel {
            grant,
            grant_name: s.grant.clone(),
            renewals: s
                .renewals
                .iter()
                .map(|r| RenewalModel {
                    automatic: r.automatic,
                    period: duration(&r.period),
                    max_times: r.max_times,
                    notice: r.notice.as_ref().map(duration),
                    span: Span::default(),
                })
                .collect(),
            renegotiate_every: s
                .renegotiations
                .iter()
                .map(|r| duration(&r.every))
                .collect(),
            renegotiate_notice: s
                .renegotiations
                .iter()
                .map(|r| r.notice.as_ref().map(duration))
                .collect(),
            wind_down: s.wind_down.as_ref().map(duration),
            wind_down_span: None,
            terminations,
            survives: s.survives.clone(),
            header: Span::default(),
            span: Span::default(),
        });
    }
    // The policy does not say which parties the `parties` line listed: an affiliate
    // that grants nothing and owes nothing is taken as its party's.
    out.contracting = out.contracting_parties(model, &[]);
    Ok(out)
}

/// Each grant's effective and sell-off scope in the policy must be what its clauses
/// give: the same pieces, in the same order.
fn same_scope(policy: &Policy, model: &Model, ledger: &Ledger) -> Result<(), PolicyError> {
    // reach (version 6): an improvement rule's membership is the one its parties give.
    for (a, m) in policy.agreements.iter().zip(&model.agreements) {
        let rules = a.improvements.iter().flat_map(|i| &i.rules);
        for (r, mr) in rules.zip(m.improvements.iter().flat_map(|i| &i.rules)) {
            let want = model
                .flow_window(m.kind, mr.from, mr.to)
                .map(super::FlowMembershipOut::from);
            if r.membership != want {
                return fail(format!(
                    "the membership of the improvement rule `{}` -> `{}` in agreement `{}` is not the one its parties' `joins` and `leaves` give; the policy was edited: rebuild it with `xlic build`",
                    r.from, r.to, a.id
                ));
            }
        }
    }
    for (ai, a) in policy.agreements.iter().enumerate() {
        for (gi, g) in a.grants.iter().enumerate() {
            let Some(entry) = ledger.grant_index(ai, gi).and_then(|i| ledger.grant(i)) else {
                return fail(format!("grant `{}` could not be read", g.id));
            };
            let reach: Vec<&str> = entry.reach.iter().map(|p| model.party_name(*p)).collect();
            // The compact form leaves the derived values out: there is nothing to compare.
            if g.reach
                .as_ref()
                .is_some_and(|given| reach != given.iter().map(String::as_str).collect::<Vec<_>>())
            {
                return fail(format!(
                    "the reach of grant `{}` in agreement `{}` is not the one its licensees give; the policy was edited: rebuild it with `xlic build`",
                    g.id, a.id
                ));
            }
            let pieces = ledger.pieces_of(entry);
            let derive = |kind: PieceKind| -> Vec<EffectiveOut> {
                pieces
                    .iter()
                    .filter(|p| p.kind == kind)
                    .map(|p| EffectiveOut {
                        asset: model.asset_name(p.asset).to_string(),
                        patent: ledger
                            .subject(p.subject)
                            .filter(|s| s.is_patent())
                            .map(|s| s.label.clone()),
                        territories: Countries(p.territory),
                        start: p.time.start,
                        end: p.time.end,
                        licensees: p.member_names(model),
                    })
                    .collect()
            };
            // outputs (version 5): the normalized scope is the one the effective scope
            // gives (and is left out only where that is empty, or with the effective
            // scope in the compact form).
            let effective_wrong = match &g.effective_scope {
                Some(given) => {
                    derive(PieceKind::Term) != *given
                        || super::normalize::normalize(given) != g.normalized_scope
                }
                None => !g.normalized_scope.is_empty(),
            };
            let sell_off_wrong = g
                .sell_off_scope
                .as_ref()
                .is_some_and(|given| derive(PieceKind::SellOff) != *given);
            if effective_wrong || sell_off_wrong {
                return fail(format!(
                    "the effective scope of grant `{}` in agreement `{}` is not the one its clauses give; the policy was edited or written by another version: rebuild it with `xlic build`",
                    g.id, a.id
                ));
            }
        }
    }
    Ok(())
}

/// A clause's purposes read back: every purpose when absent (or, as written by no
/// compiler, an empty list).
fn purposes_in(p: Option<&[crate::vocab::Purpose]>) -> crate::model::PurposeSet {
    match p {
        Some(list) if !list.is_empty() => crate::model::PurposeSet::of(list.iter().copied()),
        _ => crate::model::PurposeSet::all(),
    }
}

/// A grant's most-favoured-licensee scope read back (terms: issue 15, version 10): only
/// with `most_favoured`, naming something, its fields among the grant's and its
/// countries among the grant's.
fn most_favoured_in(
    g: &crate::policy::GrantOut,
    (grant_fields, grant_territory): (&FieldSet, crate::territory::TerritorySet),
    names: &Names<'_>,
    whose: &dyn std::fmt::Display,
) -> Result<Option<Box<crate::model::MostFavouredScope>>, PolicyError> {
    let Some(m) = &g.most_favoured_scope else {
        return Ok(None);
    };
    if !g.most_favoured {
        return fail(format!(
            "{whose}: `most_favoured_scope` without `most_favoured`"
        ));
    }
    if m.fields.is_none() && m.territories.is_none() {
        return fail(format!(
            "{whose}: `most_favoured_scope` names neither `fields` nor `territories` (leave it out for the whole scope)"
        ));
    }
    if m.territories.is_none() && m.territories_compact.is_some() {
        return fail(format!(
            "{whose}: `most_favoured_scope` has `territories_compact` without `territories`"
        ));
    }
    let fields = match &m.fields {
        Some(list) => {
            let set = names.fields(list, whose)?;
            if !set.difference(grant_fields).is_empty() {
                return fail(format!(
                    "{whose}: `most_favoured_scope.fields` names a field the grant does not license"
                ));
            }
            Some(set)
        }
        None => None,
    };
    if let Some(t) = m.territories {
        if !t.0.is_subset(&grant_territory) {
            return fail(format!(
                "{whose}: `most_favoured_scope.territories` names a country the grant does not license ({})",
                t.0.difference(grant_territory).describe()
            ));
        }
    }
    Ok(Some(Box::new(crate::model::MostFavouredScope {
        fields,
        territory: m.territories.map(|t| t.0),
        span: Span::default(),
    })))
}

/// A grant's commitments read back (terms: issue 15, round 5): a purchase has units
/// and no amount, a spend an amount and no units, either more than zero.
fn commitments_in(
    list: &[crate::policy::CommitmentOut],
    names: &Names<'_>,
    whose: &dyn std::fmt::Display,
) -> Result<Vec<crate::model::CommitmentModel>, PolicyError> {
    use crate::model::CommitmentAmount;
    use crate::policy::CommitmentKindOut;
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        let amount = match (c.kind, &c.units, &c.amount) {
            (CommitmentKindOut::Purchase, Some(n), None) if n.0 > Decimal::ZERO => {
                CommitmentAmount::Units(n.0)
            }
            (CommitmentKindOut::Spend, None, Some(m)) => CommitmentAmount::Spend(money(m, whose)?),
            _ => {
                return fail(format!(
                    "{whose}: a purchase commitment has `units` (more than zero) and a spend commitment an `amount`, not both"
                ))
            }
        };
        if let (Some(f), Some(u)) = (c.from, c.until) {
            if u <= f {
                return fail(format!("{whose}: a commitment ends before it starts"));
            }
        }
        out.push(crate::model::CommitmentModel {
            name: c.id.clone(),
            party: names.party(&c.party, whose)?,
            amount,
            period: c.per.into(),
            subject: c.on.clone(),
            from: c.from,
            until: c.until,
            span: Span::default(),
        });
    }
    Ok(out)
}

/// A grant's diligence milestones read back (rights: issue 15).
fn diligence_in(
    list: &[crate::policy::DiligenceOut],
    names: &Names<'_>,
    whose: &dyn std::fmt::Display,
) -> Result<Vec<crate::model::DiligenceModel>, PolicyError> {
    let mut out = Vec::with_capacity(list.len());
    for d in list {
        out.push(crate::model::DiligenceModel {
            name: d.id.clone(),
            party: Some(names.party(&d.party, whose)?),
            event: d.event.clone(),
            by: d.by,
            span: Span::default(),
        });
    }
    Ok(out)
}

/// The milestones and commitments whose miss converts a grant's exclusivity (rights:
/// issue 15; commitments, version 9). A name both lists hold is refused, as the
/// checker refuses it.
fn converts_in(
    g: &GrantOut,
    whose: &dyn std::fmt::Display,
) -> Result<Vec<crate::model::Conversion>, PolicyError> {
    use crate::model::Conversion;
    let Some(c) = &g.converts else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(c.if_missed.len());
    for name in &c.if_missed {
        let milestone = g.diligence.iter().position(|d| &d.id == name);
        let commitment = g
            .commitments
            .iter()
            .position(|m| m.id.as_ref() == Some(name));
        match (milestone, commitment) {
            (Some(i), None) => out.push(Conversion::Milestone(i)),
            (None, Some(i)) => out.push(Conversion::Commitment(i)),
            (Some(_), Some(_)) => {
                return fail(format!(
                    "{whose}: `{name}` names both a diligence milestone and a commitment"
                ))
            }
            (None, None) => {
                return fail(format!(
                "{whose}: `converts` names `{name}`, which is not one of its diligence milestones or commitments"
            ))
            }
        }
    }
    Ok(out)
}
