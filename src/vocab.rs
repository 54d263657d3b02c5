//! The vocabulary of the language: the closed sets of words a clause chooses from
//! (kinds of agreement and asset, rights, exclusivity, sublicensing, transfer, limits,
//! improvements). The syntax tree, the model and every output share these types; this
//! module depends on nothing else of the crate, so the model need not import the syntax
//! tree for them. Their English lives in `crate::text`.

/// `kind cross-license`, `kind license` (one way) or `kind pool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementKind {
    CrossLicense,
    /// A one-way license: only some parties grant; not expected to be reciprocal.
    License,
    Pool,
}

/// The kind of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetKind {
    Patent,
    PatentFamily,
    KnowHow,
    TradeSecret,
    Software,
    Data,
    /// Every patent of the owner filed within a capture period.
    PatentsFiled,
}

impl AssetKind {
    pub fn is_patent(self) -> bool {
        matches!(
            self,
            AssetKind::Patent | AssetKind::PatentFamily | AssetKind::PatentsFiled
        )
    }

    pub fn keyword(self) -> &'static str {
        match self {
            AssetKind::Patent => "patent",
            AssetKind::PatentFamily => "patent family",
            AssetKind::KnowHow => "know-how",
            AssetKind::TradeSecret => "trade secret",
            AssetKind::Software => "software",
            AssetKind::Data => "data",
            AssetKind::PatentsFiled => "patents filed",
        }
    }
}

/// `background` or `foreground`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Background,
    Foreground,
}

/// A right a license conveys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Right {
    Make,
    HaveMade,
    Use,
    Sell,
    Offer,
    Import,
    Lease,
    Reproduce,
    Modify,
    Distribute,
}

impl Right {
    pub const ALL: [Right; 10] = [
        Right::Make,
        Right::HaveMade,
        Right::Use,
        Right::Sell,
        Right::Offer,
        Right::Import,
        Right::Lease,
        Right::Reproduce,
        Right::Modify,
        Right::Distribute,
    ];

    /// The rights a patent confers: to make, have made, use, sell, offer for sale and
    /// import. A grant of patents that lists no rights grants these.
    pub const PATENT: [Right; 6] = [
        Right::Make,
        Right::HaveMade,
        Right::Use,
        Right::Sell,
        Right::Offer,
        Right::Import,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            Right::Make => "make",
            Right::HaveMade => "have made",
            Right::Use => "use",
            Right::Sell => "sell",
            Right::Offer => "offer",
            Right::Import => "import",
            Right::Lease => "lease",
            Right::Reproduce => "reproduce",
            Right::Modify => "modify",
            Right::Distribute => "distribute",
        }
    }
}

/// `exclusive`, `sole` or `non-exclusive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExclusivityKind {
    Exclusive,
    Sole,
    NonExclusive,
}

impl ExclusivityKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ExclusivityKind::Exclusive => "exclusive",
            ExclusivityKind::Sole => "sole",
            ExclusivityKind::NonExclusive => "non-exclusive",
        }
    }
}

/// Who the licensee may sublicense to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sublicense {
    None,
    Affiliates,
    WithConsent,
    Free,
}

/// `personal, non-transferable` / `transferable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Transfer {
    pub personal: bool,
    pub transferable: bool,
}

/// `cap …` or `floor …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitKind {
    Cap,
    Floor,
}

/// Who owns improvements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImprovementOwner {
    Improver,
    BaseOwner,
    Joint,
}

/// Which improvements a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coverage {
    Collaboration,
    All,
}

/// `grant back` (licensee → licensor) or `license forward` (licensor → licensee).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowDirection {
    GrantBack,
    LicenseForward,
}

/// The words each choice is written with in `.xlic` (and, for the kinds, in the JSON
/// policy), defined once.
impl AgreementKind {
    pub fn keyword(self) -> &'static str {
        match self {
            AgreementKind::CrossLicense => "cross-license",
            AgreementKind::License => "license",
            AgreementKind::Pool => "pool",
        }
    }
}

impl Origin {
    pub fn keyword(self) -> &'static str {
        match self {
            Origin::Background => "background",
            Origin::Foreground => "foreground",
        }
    }
}

impl LimitKind {
    pub fn keyword(self) -> &'static str {
        match self {
            LimitKind::Cap => "cap",
            LimitKind::Floor => "floor",
        }
    }
}

impl ImprovementOwner {
    pub fn keyword(self) -> &'static str {
        match self {
            ImprovementOwner::Improver => "improver",
            ImprovementOwner::BaseOwner => "base owner",
            ImprovementOwner::Joint => "joint",
        }
    }
}

impl Coverage {
    pub fn keyword(self) -> &'static str {
        match self {
            Coverage::Collaboration => "collaboration",
            Coverage::All => "all",
        }
    }
}

impl FlowDirection {
    pub fn keyword(self) -> &'static str {
        match self {
            FlowDirection::GrantBack => "grant back",
            FlowDirection::LicenseForward => "license forward",
        }
    }
}

// ---- terms: obligations and governance (issue 15, part 3)

/// The kind of an obligation or governance clause: what it says, not a right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObligationKind {
    /// `audit acme of globex { … }`: who may audit whom, how often, at whose cost.
    Audit,
    /// `confidentiality { … }`: what is confidential, for how long, to whom it may go.
    Confidentiality,
    /// `disputes { … }`: escalation, mediation, arbitration, courts.
    Disputes,
    /// `liability { … }`: the cap and the liabilities it does not limit.
    Liability,
    /// `provision "Title" "text"`: anything else, as written.
    Provision,
    /// `warranty 2 years`: how long the warranties run.
    Warranty,
    /// `prosecution ASSET { … }`: who files and maintains the patents, at whose cost.
    Prosecution,
    /// `enforcement ASSET { … }`: who may sue infringers, and who shares the costs and
    /// the recoveries.
    Enforcement,
    /// `committee NAME { … }`: a governance committee, its members, votes and chair.
    Committee,
    /// `insurance acme 5_000_000 USD "product liability"`: cover a party maintains.
    Insurance,
    /// `escrow ASSET { agent "…"; release on … }`: source materials held in escrow.
    Escrow,
    /// `non-compete globex 2 years "…"`: a party does not compete, during the term and
    /// for a period after it.
    NonCompete,
    /// `non-solicit acme, globex 12 months`: the parties do not solicit each other's
    /// employees.
    NonSolicit,
    /// `beneficiaries acme_de, "…"`: third parties who may enforce the agreement.
    Beneficiaries,
}

impl ObligationKind {
    /// The keyword that begins the clause (the JSON policy writes `_` for its `-`).
    pub fn keyword(self) -> &'static str {
        match self {
            ObligationKind::Audit => "audit",
            ObligationKind::Confidentiality => "confidentiality",
            ObligationKind::Disputes => "disputes",
            ObligationKind::Liability => "liability",
            ObligationKind::Provision => "provision",
            ObligationKind::Warranty => "warranty",
            ObligationKind::Prosecution => "prosecution",
            ObligationKind::Enforcement => "enforcement",
            ObligationKind::Committee => "committee",
            ObligationKind::Insurance => "insurance",
            ObligationKind::Escrow => "escrow",
            ObligationKind::NonCompete => "non-compete",
            ObligationKind::NonSolicit => "non-solicit",
            ObligationKind::Beneficiaries => "beneficiaries",
        }
    }

    /// Whether an agreement may hold more than one clause of the kind.
    pub fn repeatable(self) -> bool {
        matches!(
            self,
            ObligationKind::Audit
                | ObligationKind::Provision
                | ObligationKind::Prosecution
                | ObligationKind::Enforcement
                | ObligationKind::Committee
                | ObligationKind::Insurance
                | ObligationKind::Escrow
                | ObligationKind::NonCompete
        )
    }
}

/// One parameter of an obligation clause, named as in the JSON policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObligationKey {
    /// `every 1 year`: how often an audit may take place.
    Every,
    /// `notice 30 days`: the notice before an audit.
    Notice,
    /// `look back 3 years`: how far back an audit may reach.
    LookBack,
    /// `costs shift at 5%`: the underpayment above which the audited party pays.
    CostsShift,
    /// `covers know-how, trade secret, gan`: what confidentiality covers.
    Covers,
    /// `survives 5 years`: how long confidentiality lasts after the agreement ends.
    Survives,
    /// `disclose to affiliates, advisors`: who may receive confidential information.
    DiscloseTo,
    /// `escalate 30 days`: executives' negotiation before anything else.
    Escalate,
    /// `mediation ["institution"]`.
    Mediation,
    /// `arbitration "ICC"`: the arbitral institution or rules.
    Arbitration,
    /// `seat "Geneva"`: the seat of arbitration.
    Seat,
    /// `courts "New York"`: the courts with jurisdiction.
    Courts,
    /// `cap 10_000_000 USD`: the liability cap.
    Cap,
    /// `uncapped confidentiality, indemnity`: liabilities the cap does not limit.
    Uncapped,
    /// `warranty 2 years`: how long the warranties run.
    Period,
    /// The text of a `provision`.
    Text,
    /// `controlled by acme`: who files, prosecutes and maintains the patents.
    ControlledBy,
    /// `costs acme 50%, globex 50%`: each party's share of the costs.
    Costs,
    /// `abandon notice 60 days`: the notice before a patent is abandoned.
    AbandonNotice,
    /// `step in globex`: who may take over (prosecution or an action).
    StepIn,
    /// `step in globex after 90 days`: how long the first party has to act.
    StepInAfter,
    /// `first right acme`: who may sue first.
    FirstRight,
    /// `recoveries acme 50%, globex 50%`: each party's share of damages recovered.
    Recoveries,
    /// `settle with consent`: no settlement without the other party's consent.
    SettleWithConsent,
    /// `members acme 2, globex 2`: each party's members (and votes).
    Members,
    /// `chair rotates 1 year`: how often the chair passes to the other party.
    ChairRotates,
    /// `casting vote acme`: who breaks a tie.
    CastingVote,
    /// `decides "…", "…"`: what the committee decides.
    Decides,
    /// `liquidated damages 50_000 USD`: the amount agreed in advance.
    LiquidatedDamages,
    /// `… on "late delivery"`: what the liquidated damages are owed for.
    LiquidatedOn,
    /// The minimum cover of an `insurance` clause.
    Cover,
    /// What an `insurance` clause insures against.
    Risk,
    /// `agent "NCC Group"`: the escrow agent.
    Agent,
    /// `release on insolvency, "…"`: when the escrow is released.
    ReleaseOn,
    /// What a `non-compete` forbids, as written.
    Scope,
    /// The third-party beneficiaries.
    Beneficiaries,
}

impl ObligationKey {
    /// The key in the JSON policy and the words in `xlic diff`.
    pub fn name(self) -> &'static str {
        match self {
            ObligationKey::Every => "every",
            ObligationKey::Notice => "notice",
            ObligationKey::LookBack => "look_back",
            ObligationKey::CostsShift => "costs_shift",
            ObligationKey::Covers => "covers",
            ObligationKey::Survives => "survives",
            ObligationKey::DiscloseTo => "disclose_to",
            ObligationKey::Escalate => "escalate",
            ObligationKey::Mediation => "mediation",
            ObligationKey::Arbitration => "arbitration",
            ObligationKey::Seat => "seat",
            ObligationKey::Courts => "courts",
            ObligationKey::Cap => "cap",
            ObligationKey::Uncapped => "uncapped",
            ObligationKey::Period => "period",
            ObligationKey::Text => "text",
            ObligationKey::ControlledBy => "controlled_by",
            ObligationKey::Costs => "costs",
            ObligationKey::AbandonNotice => "abandon_notice",
            ObligationKey::StepIn => "step_in",
            ObligationKey::StepInAfter => "step_in_after",
            ObligationKey::FirstRight => "first_right",
            ObligationKey::Recoveries => "recoveries",
            ObligationKey::SettleWithConsent => "settle_with_consent",
            ObligationKey::Members => "members",
            ObligationKey::ChairRotates => "chair_rotates",
            ObligationKey::CastingVote => "casting_vote",
            ObligationKey::Decides => "decides",
            ObligationKey::LiquidatedDamages => "liquidated_damages",
            ObligationKey::LiquidatedOn => "liquidated_on",
            ObligationKey::Cover => "cover",
            ObligationKey::Risk => "risk",
            ObligationKey::Agent => "agent",
            ObligationKey::ReleaseOn => "release_on",
            ObligationKey::Scope => "scope",
            ObligationKey::Beneficiaries => "beneficiaries",
        }
    }

    /// How the attribute is written in `.xlic`.
    pub fn keyword(self) -> &'static str {
        match self {
            ObligationKey::LookBack => "look back",
            ObligationKey::CostsShift => "costs shift at",
            ObligationKey::DiscloseTo => "disclose to",
            ObligationKey::Period => "warranty",
            ObligationKey::ControlledBy => "controlled by",
            ObligationKey::AbandonNotice => "abandon notice",
            ObligationKey::StepIn => "step in",
            ObligationKey::StepInAfter => "step in … after",
            ObligationKey::FirstRight => "first right",
            ObligationKey::SettleWithConsent => "settle with consent",
            ObligationKey::ChairRotates => "chair rotates",
            ObligationKey::CastingVote => "casting vote",
            ObligationKey::LiquidatedDamages => "liquidated damages",
            ObligationKey::LiquidatedOn => "liquidated damages … on",
            ObligationKey::ReleaseOn => "release on",
            other => other.name(),
        }
    }
}

// ---------------------------------------------------------------- royalty terms (issue 15)

/// What a percentage royalty is a percentage of: `of net sales`, `of gross sales`,
/// `of revenue`, `of profits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RoyaltyBase {
    #[default]
    NetSales,
    GrossSales,
    Revenue,
    Profits,
}

impl RoyaltyBase {
    /// As written after `of`.
    pub fn keyword(self) -> &'static str {
        match self {
            RoyaltyBase::NetSales => "net sales",
            RoyaltyBase::GrossSales => "gross sales",
            RoyaltyBase::Revenue => "revenue",
            RoyaltyBase::Profits => "profits",
        }
    }
}
// ---------------------------------------------------------------- purpose (rights: issue 15)

/// What a license or a reservation may be exercised for: `purpose research, …`. A clause
/// without a `purpose` line covers all four. `non-commercial` is shorthand for research
/// and education; internal use is its own purpose (a company's own operations may well
/// be commercial), and `commercial` is every other exploitation (making, selling and
/// using for profit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    Commercial,
    Research,
    Educational,
    Internal,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Purpose::Commercial,
        Purpose::Research,
        Purpose::Educational,
        Purpose::Internal,
    ];

    /// The purposes `non-commercial` stands for.
    pub const NON_COMMERCIAL: [Purpose; 2] = [Purpose::Research, Purpose::Educational];

    pub fn keyword(self) -> &'static str {
        match self {
            Purpose::Commercial => "commercial",
            Purpose::Research => "research",
            Purpose::Educational => "educational",
            Purpose::Internal => "internal",
        }
    }

    /// The purposes a word of a `purpose` line (or of a query) stands for.
    pub fn from_word(word: &str) -> Option<&'static [Purpose]> {
        Some(match word {
            "commercial" => &[Purpose::Commercial],
            "research" => &[Purpose::Research],
            "educational" => &[Purpose::Educational],
            "internal" => &[Purpose::Internal],
            "non-commercial" => &Purpose::NON_COMMERCIAL,
            _ => return None,
        })
    }

    /// Every word a `purpose` line accepts.
    pub const WORDS: [&'static str; 5] = [
        "research",
        "educational",
        "internal",
        "commercial",
        "non-commercial",
    ];
}

// ---------------------------------------------------------------- affiliates by control (terms: issue 15)

/// How an unnamed entity is related to a party by control, in `affiliates by control`
/// (every kind) or `affiliates controlled by, controlling, under common control`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ControlKind {
    /// An entity the party controls (a subsidiary).
    ControlledBy,
    /// An entity that controls the party (a parent).
    Controlling,
    /// An entity controlled by an entity that also controls the party (a sister).
    CommonControl,
}

impl ControlKind {
    pub const ALL: [ControlKind; 3] = [
        ControlKind::ControlledBy,
        ControlKind::Controlling,
        ControlKind::CommonControl,
    ];

    /// As written in a party block.
    pub fn keyword(self) -> &'static str {
        match self {
            ControlKind::ControlledBy => "controlled by",
            ControlKind::Controlling => "controlling",
            ControlKind::CommonControl => "under common control",
        }
    }

    /// As the JSON policy and `xlic query --control` spell it.
    pub fn word(self) -> &'static str {
        match self {
            ControlKind::ControlledBy => "controlled",
            ControlKind::Controlling => "controlling",
            ControlKind::CommonControl => "common",
        }
    }

    pub fn from_word(word: &str) -> Option<ControlKind> {
        ControlKind::ALL.into_iter().find(|k| k.word() == word)
    }
}

// ---------------------------------------------------------------- payment timing (terms: issue 15)

/// How often a running royalty is paid or reported: `payable quarterly`, `report
/// monthly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Annually,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::Annually,
    ];

    /// As written, and as the JSON policy spells it.
    pub fn keyword(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annually => "annually",
        }
    }

    /// The length of one period in months.
    pub fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::Annually => 12,
        }
    }

    /// The most days one calendar period of this length has (31, 92, 366).
    pub fn max_days(self) -> u64 {
        match self {
            Frequency::Monthly => 31,
            Frequency::Quarterly => 92,
            Frequency::Annually => 366,
        }
    }

    /// The period as a noun: `month`, `calendar quarter`, `year`.
    pub fn period_noun(self) -> &'static str {
        match self {
            Frequency::Monthly => "calendar month",
            Frequency::Quarterly => "calendar quarter",
            Frequency::Annually => "calendar year",
        }
    }
}

// ---------------------------------------------------------------- first refusal and negotiation (clauses: issue 15)

/// `first refusal` or `first negotiation`: which first chance a holder has to take a
/// license in a scope from the owners of its assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FirstRightKind {
    /// Match a third party's offer within the period.
    Refusal,
    /// Negotiate exclusively for the period before the owner may deal with others.
    Negotiation,
}

impl FirstRightKind {
    /// As written after `first`, and as the JSON policy spells it.
    pub fn keyword(self) -> &'static str {
        match self {
            FirstRightKind::Refusal => "refusal",
            FirstRightKind::Negotiation => "negotiation",
        }
    }

    /// The right's name in prose: `right of first refusal`.
    pub fn title(self) -> &'static str {
        match self {
            FirstRightKind::Refusal => "right of first refusal",
            FirstRightKind::Negotiation => "right of first negotiation",
        }
    }
}
