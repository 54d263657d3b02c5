/**
 * Tree-sitter grammar for `.xlic`, the cross-license agreement language.
 *
 * Mirrors grammar/xlic.lalrpop (the source of truth) and the tokens of
 * src/syntax/token.rs. Like the LALRPOP grammar, clause bodies are lists of
 * attributes; which attributes are required or repeated is checked by the
 * compiler, not here. Keywords are extracted from `identifier` (the `word`
 * token), so a keyword is recognised only where the grammar allows it.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));
const plusSep1 = (rule) => seq(rule, repeat(seq('+', rule)));
const semi = () => optional(';');

module.exports = grammar({
  name: 'xlic',

  word: ($) => $.identifier,

  extras: ($) => [/[ \t\r\n\f\uFEFF]/, $.comment],

  rules: {
    source_file: ($) => repeat(choice($._item, ';')),

    _item: ($) =>
      choice(
        $.import,
        $.agreement,
        $.party,
        $.fields,
        $.territory_declaration,
        $.asset,
        $.grant,
        $.covenant,
        $.release_clause,
        $.reserve,
        $.improvements,
        $.sunset,
        $.obligation,
        $.first_right,
        $.payment,
      ),

    // ------------------------------------------------------------ lexical

    identifier: (_) => /[A-Za-z_][A-Za-z0-9_]*/,
    string: (_) => token(seq('"', repeat(choice(/[^"\\\r\n]/, /\\./)), '"')),
    number: (_) => /[0-9][0-9_]*(\.[0-9_]*)*/,
    percentage: (_) => /[0-9][0-9_]*(\.[0-9_]*)*%/,
    date: (_) => /[0-9]+-[0-9]+-[0-9]+/,
    comment: (_) =>
      token(choice(seq('//', /[^\r\n]*/), seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'))),

    money: ($) => seq(field('amount', $.number), field('currency', $.identifier)),
    duration: ($) =>
      seq(field('amount', $.number), field('unit', choice('day', 'days', 'month', 'months', 'year', 'years'))),
    per_year: (_) => seq('per', choice('year', 'years')),
    note: ($) => seq('note', $.string, semi()),

    // ------------------------------------------------------------ import

    import: ($) => seq('import', field('path', $.string)),

    // ------------------------------------------------------------ agreement

    agreement: ($) =>
      // outputs: the agreement's id written in the source (`agreement acme_globex_2024 "…"`)
      seq('agreement', optional(field('id', $.identifier)), field('title', $.string), '{', repeat($._agreement_attribute), '}'),

    _agreement_attribute: ($) =>
      choice(
        $.effective,
        $.release,
        $.term,
        $.governing_law,
        $.agreement_kind,
        $.parties,
        $.note,
        $.define,
        $.standard,
      ),

    effective: ($) => seq('effective', $.date, semi()),
    release: ($) => seq('release', 'from', $.date, semi()),
    governing_law: ($) => seq('governing', 'law', $.string, semi()),
    agreement_kind: ($) => seq('kind', choice('cross-license', 'license', 'pool'), semi()),
    parties: ($) => seq('parties', commaSep1($.identifier), semi()),
    define: ($) => seq('define', field('name', $.identifier), field('text', $.string), semi()),
    // pools (issue 15): a standard the agreement's assets may be essential to
    standard: ($) => seq('standard', field('name', $.identifier), field('title', $.string), semi()),

    // ------------------------------------------------------------ parties

    party: ($) =>
      seq(
        'party',
        field('name', $.identifier),
        field('legal_name', $.string),
        optional(field('body', $.party_body)),
      ),

    party_body: ($) => seq('{', repeat(choice($.short_name, $.affiliate, $.control_affiliates, $.membership)), '}'),
    short_name: ($) => seq('short', $.string, semi()),
    // pools (issue 15): a pool member's dated membership
    membership: ($) => seq(choice('joins', 'leaves'), $.date, semi()),
    affiliate: ($) =>
      seq(
        'affiliate',
        field('name', $.identifier),
        field('legal_name', $.string),
        optional(field('label', $.string)),
        semi(),
      ),

    // terms (issue 15): affiliates by control.
    control_affiliates: ($) =>
      seq(
        'affiliates',
        choice(seq('by', 'control'), commaSep1($.control_kind)),
        optional(seq('as', 'of', field('as_of', $.date))),
        semi(),
      ),
    control_kind: (_) => choice(seq('controlled', 'by'), 'controlling', seq('under', 'common', 'control')),

    // ------------------------------------------------------------ fields

    fields: ($) => seq('fields', '{', repeat($.field_node), '}'),

    field_node: ($) =>
      seq(
        field('name', $.identifier),
        optional(field('label', $.string)),
        optional(seq('{', repeat($.field_node), '}')),
      ),

    field_path: ($) => seq($.identifier, repeat(seq('.', $.identifier))),

    field_expression: ($) =>
      seq(choice('all', commaSep1($.field_path)), optional($.field_except)),
    field_except: ($) => seq('except', commaSep1($.field_path)),

    // ------------------------------------------------------------ territories

    territory_declaration: ($) =>
      seq('territory', field('name', $.identifier), '=', field('value', $.territory_expression)),

    territory_expression: ($) =>
      seq(plusSep1($._territory_term), optional($.territory_except)),
    territory_except: ($) => seq('except', plusSep1($._territory_term)),

    _territory_term: ($) => choice($.worldwide, $.identifier, $.territory_list),
    worldwide: (_) => 'worldwide',
    territory_list: ($) => seq('[', optional(commaSep1($.territory_code)), ']'),
    territory_code: ($) => $.identifier,

    // ------------------------------------------------------------ assets

    asset: ($) =>
      seq(
        'asset',
        field('name', $.identifier),
        optional(field('label', $.string)),
        ':',
        choice(
          seq(field('kind', $.asset_kind), 'of', $.owners),
          seq(
            field('kind', alias('patents', $.asset_kind)),
            'of',
            $.owners,
            'filed',
            field('from', $.date),
            'until',
            field('until', $.date),
          ),
        ),
        optional(field('body', $.asset_body)),
      ),

    asset_kind: (_) =>
      choice('patent', seq('patent', 'family'), 'know-how', seq('trade', 'secret'), 'software', 'data'),

    owners: ($) => seq($.identifier, repeat(seq(choice(',', 'and'), $.identifier))),

    asset_body: ($) => seq('{', repeat(choice($.patent, $.origin, $.note, $.essential)), '}'),
    // pools (issue 15): `essential to aurora, frand`
    essential: ($) =>
      seq('essential', 'to', field('standard', $.identifier), optional(seq(',', 'frand')), semi()),

    patent: ($) =>
      seq(
        'patent',
        field('number', $.string),
        repeat(choice($.patent_expires, $.patent_filed, $.patent_territory, $.patent_pending)),
        semi(),
      ),
    patent_expires: ($) => seq('expires', $.date),
    patent_filed: ($) => seq('filed', $.date),
    patent_territory: ($) => seq('in', $.territory_expression),
    // rights (issue 15): a pending application
    patent_pending: (_) => seq('pending'),

    origin: (_) => seq(choice('background', 'foreground'), semi()),

    // ------------------------------------------------------------ scope attributes

    rights: ($) => seq('rights', choice('all', commaSep1($.right)), semi()),
    right: (_) =>
      choice(
        'make',
        seq('have', 'made'),
        'use',
        'sell',
        'offer',
        'import',
        'lease',
        'reproduce',
        'modify',
        'distribute',
      ),

    field_attribute: ($) => seq('field', $.field_expression, semi()),
    territory_attribute: ($) => seq('territory', $.territory_expression, semi()),

    term: ($) =>
      seq(
        'term',
        optional(field('start', choice($.date, seq('from', $.date)))),
        field('end', $.term_end),
        semi(),
      ),
    term_end: ($) =>
      choice(
        seq('until', $.date),
        seq('until', 'expiry'),
        seq('for', $.duration),
        $.duration,
        'perpetual',
      ),

    _scope_attribute: ($) =>
      choice($.rights, $.field_attribute, $.territory_attribute, $.term, $.purpose),

    // rights (issue 15): `purpose research, educational`
    purpose: ($) => seq('purpose', commaSep1(choice($.identifier, 'non-commercial')), semi()),

    // ------------------------------------------------------------ grants

    grant: ($) =>
      seq(
        'grant',
        field('name', $.identifier),
        optional(field('label', $.string)),
        ':',
        field('licensor', $.identifier),
        '->',
        field('licensee', choice($.identifier, $.members)),
        optional($.and_affiliates),
        '{',
        repeat($._grant_attribute),
        '}',
      ),
    members: (_) => 'members',
    and_affiliates: (_) => seq('and', 'affiliates'),

    // rights (issue 15): a covenant not to sue, written like a grant
    covenant: ($) =>
      seq(
        'covenant',
        field('name', $.identifier),
        ':',
        field('licensor', $.identifier),
        '->',
        field('licensee', $.identifier),
        optional($.and_customers),
        '{',
        repeat($._grant_attribute),
        '}',
      ),
    and_customers: (_) => seq('and', 'customers'),

    // rights (issue 15): a release of past infringement, written like a grant
    release_clause: ($) =>
      seq(
        'release',
        field('name', $.identifier),
        ':',
        field('licensor', $.identifier),
        '->',
        field('licensee', $.identifier),
        optional($.and_affiliates),
        '{',
        repeat(choice($._grant_attribute, $.before)),
        '}',
      ),
    before: ($) => seq('before', $.date, semi()),

    _grant_attribute: ($) =>
      choice(
        $.assets,
        $._scope_attribute,
        $.exclusivity,
        $.sublicense,
        $.transfer,
        $.consideration,
        $.note,
        $.diligence,
        $.for_standard,
        $.most_favoured,
        $.commitment,
      ),

    // terms (issue 15, round 5): a minimum purchase or spend commitment; round 6: an
    // optional name, so that a missed one can convert the exclusivity
    commitment: ($) =>
      seq(
        'commit',
        optional(seq(field('name', $.identifier), ':')),
        field('party', $.identifier),
        choice(
          seq('purchase', field('units', $.number), choice('unit', 'units')),
          seq('spend', field('amount', $.money)),
        ),
        optional(choice($.per_year, $.per_calendar_year)),
        'on',
        field('subject', $.string),
        repeat(seq(',', choice(seq('from', $.date), seq('until', $.date)))),
        semi(),
      ),

    // rights (issue 15): a diligence milestone, and exclusivity that converts
    diligence: ($) =>
      seq(
        'diligence',
        field('name', $.identifier),
        ':',
        field('party', $.identifier),
        $.string,
        'by',
        $.date,
        semi(),
      ),
    converts: ($) => seq('until', 'diligence', commaSep1(field('milestone', $.identifier)), 'missed'),

    // pools (issue 15): `for standard aurora` ties the grant's fields to a standard
    for_standard: ($) => seq('for', 'standard', field('standard', $.identifier), semi()),
    // pools (issue 15): most-favoured-licensee terms; terms (issue 15, round 7): limited
    // to part of the grant's scope by a block of field and territory lines
    most_favoured: ($) =>
      seq(
        'most',
        'favoured',
        'licensee',
        optional(seq('{', repeat(choice($.field_attribute, $.territory_attribute)), '}')),
        semi(),
      ),

    assets: ($) => seq('assets', commaSep1($.identifier), semi()),

    exclusivity: ($) =>
      seq(
        choice(
          'exclusive',
          seq('exclusive', 'subject', 'to', commaSep1($.identifier)),
          'sole',
          'non-exclusive',
        ),
        optional($.converts),
        semi(),
      ),

    sublicense: (_) =>
      seq('sublicense', choice('none', 'affiliates', seq('with', 'consent'), 'free'), semi()),

    transfer: (_) =>
      seq(commaSep1(choice('personal', 'non-transferable', 'transferable')), semi()),

    // ------------------------------------------------------------ consideration

    consideration: ($) => seq($._consideration, semi()),

    _consideration: ($) =>
      choice(
        $.royalty_free,
        $.royalty_percent,
        $.royalty_per_unit,
        $.royalty_tiered,
        $.lump_sum,
        $.milestone,
      ),

    royalty_free: (_) => 'royalty-free',
    royalty_percent: ($) =>
      seq(
        'royalty',
        field('rate', $.percentage),
        'of',
        choice(seq('net', 'sales'), seq(field('base', $.identifier), optional('sales'))),
        repeat(seq(',', $._royalty_option)),
      ),
    royalty_per_unit: ($) =>
      seq('royalty', field('amount', $.money), 'per', 'unit', repeat(seq(',', $._royalty_option))),
    royalty_tiered: ($) =>
      seq(
        'royalty',
        'tiered',
        'of',
        'net',
        'sales',
        optional($.per_year),
        '{',
        repeat($.tier),
        '}',
        repeat(seq(',', $._royalty_option)),
      ),
    tier: ($) =>
      seq(
        'from',
        field('from', $.money),
        optional(seq('to', field('to', $.money))),
        'at',
        field('rate', $.percentage),
        semi(),
      ),
    lump_sum: ($) =>
      seq('lump', 'sum', field('amount', $.money), optional(seq('on', field('due', $.date)))),
    milestone: ($) => seq('milestone', field('amount', $.money), 'on', field('event', $.string)),

    limit: ($) => seq(choice('cap', 'floor'), field('amount', $.money), optional(choice($.per_year, $.per_calendar_year))),
    // terms (issue 15): a cap or floor per calendar year.
    per_calendar_year: (_) => seq('per', 'calendar', choice('year', 'years')),
    // Royalty terms (issue 15): when a running royalty is payable.
    _royalty_option: ($) => choice($.limit, $.royalty_period, $.payable, $.report),
    // terms (issue 15): payment timing and reports.
    payable: ($) => seq('payable', $.frequency, optional(seq('within', $.duration))),
    report: ($) => seq('report', $.frequency),
    frequency: (_) => choice('monthly', 'quarterly', 'annually'),
    royalty_period: ($) =>
      choice(
        seq('from', choice($.date, 'expiry')),
        seq('until', choice($.date, 'expiry')),
        seq('for', $.duration),
      ),

    // ------------------------------------------------------------ reservations

    reserve: ($) =>
      seq(
        'reserve',
        optional(seq(field('name', $.identifier), ':')),
        commaSep1(field('asset', $.identifier)),
        optional(seq('for', field('holder', $.identifier))),
        optional(seq('{', repeat($._scope_attribute), '}')),
      ),

    // clauses (issue 15): a right of first refusal or negotiation on a scope
    first_right: ($) =>
      seq(
        'first',
        field('kind', choice('refusal', 'negotiation')),
        field('name', $.identifier),
        ':',
        field('holder', $.identifier),
        'on',
        commaSep1(field('asset', $.identifier)),
        '{',
        repeat(choice($._scope_attribute, $.within, $.note)),
        '}',
      ),
    within: ($) => seq('within', $.duration, semi()),

    // clauses (issue 15, round 4): a payment the agreement provides for, in one sum or
    // in instalments (two or more `pay` lines)
    payment: ($) =>
      seq(
        'payment',
        field('name', $.identifier),
        optional(field('label', $.string)),
        ':',
        field('payer', $.identifier),
        '->',
        field('payee', $.identifier),
        '{',
        repeat(choice($.pay, $.note)),
        '}',
      ),
    pay: ($) => seq('pay', field('amount', $.money), 'on', field('due', $.date), semi()),

    // ------------------------------------------------------------ improvements

    improvements: ($) =>
      seq(
        'improvements',
        'on',
        commaSep1(field('asset', $.identifier)),
        '{',
        repeat(choice($.improvement_owner, $.flow_rule)),
        '}',
      ),

    improvement_owner: (_) =>
      seq('owner', choice('improver', seq('base', 'owner'), 'joint'), semi()),

    flow_rule: ($) =>
      seq(
        field('direction', $.flow_direction),
        field('from', choice($.identifier, 'members', 'owner')),
        '->',
        field('to', choice($.identifier, 'members', 'owner')),
        '{',
        repeat($._flow_attribute),
        '}',
      ),
    flow_direction: (_) => choice(seq('grant', 'back'), seq('license', 'forward')),

    _flow_attribute: ($) =>
      choice($.covers, $.exclusivity, $.consideration, $.sunset_after, $.consent),

    covers: (_) => seq('covers', choice('collaboration', 'all'), semi()),
    sunset_after: ($) => seq('sunset', 'after', $.duration, semi()),
    consent: (_) => seq('consent', optional('not'), 'required', semi()),

    // ------------------------------------------------------------ sunsets

    sunset: ($) =>
      seq('sunset', field('grant', $.identifier), '{', repeat($._sunset_attribute), '}'),

    _sunset_attribute: ($) =>
      choice($.renew, $.renegotiate, $.wind_down, $.terminate, $.survives),

    renew: ($) =>
      seq(
        'renew',
        choice('automatically', seq('by', 'mutual', 'consent')),
        optional('for'),
        field('period', $.duration),
        repeat(seq(',', choice($.max_times, $.notice))),
        semi(),
      ),
    max_times: ($) => seq('at', 'most', $.number, 'times'),
    notice: ($) => seq('notice', $.duration),
    cure: ($) => seq('cure', $.duration),

    renegotiate: ($) =>
      seq('renegotiate', 'every', field('every', $.duration), optional(seq(',', $.notice)), semi()),

    wind_down: ($) => seq('wind', 'down', $.duration, semi()),

    terminate: ($) => seq('terminate', 'on', commaSep1($.trigger), semi()),
    trigger: ($) =>
      seq(
        repeat1(choice($.identifier, $.string, 'breach', 'control', 'insolvency', 'of')),
        optional(seq('by', field('by', $.identifier))),
        repeat(choice($.cure, $.notice)),
      ),

    survives: ($) =>
      seq(
        'survives',
        commaSep1(
          choice($.identifier, $.string, 'improvements', 'audit', 'confidentiality', 'liability', 'warranty'),
        ),
        semi(),
      ),

    // ------------------------------------------------------------ obligations (terms)

    obligation: ($) =>
      choice(
        seq(
          'audit',
          field('auditor', $.identifier),
          'of',
          field('audited', $.identifier),
          optional(seq('{', repeat($._audit_attribute), '}')),
        ),
        seq('confidentiality', '{', repeat($._confidentiality_attribute), '}'),
        seq('disputes', '{', repeat($._disputes_attribute), '}'),
        seq('liability', '{', repeat($._liability_attribute), '}'),
        seq('warranty', $.duration),
        seq('provision', field('title', $.string), field('text', $.string)),
        seq('prosecution', field('asset', $.identifier), '{', repeat($._prosecution_attribute), '}'),
        seq('enforcement', field('asset', $.identifier), '{', repeat($._enforcement_attribute), '}'),
        seq('committee', field('name', $.identifier), '{', repeat($._committee_attribute), '}'),
        seq('insurance', field('party', $.identifier), $.money, optional(field('risk', $.string))),
        seq('escrow', field('asset', $.identifier), '{', repeat($._escrow_attribute), '}'),
        seq('non-compete', field('party', $.identifier), $.duration, optional(field('scope', $.string))),
        seq('non-solicit', commaSep1(field('party', $.identifier)), $.duration),
        seq('beneficiaries', $.obligation_items),
      ),

    _escrow_attribute: ($) =>
      choice(seq('agent', $.string, semi()), seq('release', 'on', $.obligation_items, semi())),

    shares: ($) => commaSep1(seq($.identifier, $.percentage)),
    counts: ($) => commaSep1(seq($.identifier, $.number)),
    step_in: ($) =>
      seq('step', 'in', $.obligation_items, optional(seq('after', $.duration)), semi()),

    _prosecution_attribute: ($) =>
      choice(
        seq('controlled', 'by', $.obligation_items, semi()),
        seq('costs', $.shares, semi()),
        seq('abandon', 'notice', $.duration, semi()),
        $.step_in,
      ),

    _enforcement_attribute: ($) =>
      choice(
        seq('first', 'right', $.obligation_items, semi()),
        $.step_in,
        seq('costs', $.shares, semi()),
        seq('recoveries', $.shares, semi()),
        seq('settle', 'with', 'consent', semi()),
      ),

    _committee_attribute: ($) =>
      choice(
        seq('members', $.counts, semi()),
        seq('chair', 'rotates', $.duration, semi()),
        seq('casting', 'vote', $.obligation_items, semi()),
        seq('decides', $.obligation_items, semi()),
      ),

    _audit_attribute: ($) =>
      choice(
        seq('every', $.duration, optional(seq(',', $.notice)), semi()),
        seq('look', 'back', $.duration, semi()),
        seq('costs', 'shift', 'at', $.percentage, semi()),
      ),

    obligation_items: ($) =>
      commaSep1(
        choice(
          $.identifier,
          $.string,
          'affiliates',
          'breach',
          'confidentiality',
          'data',
          'insolvency',
          'know-how',
          'software',
          seq('trade', 'secret'),
        ),
      ),

    _confidentiality_attribute: ($) =>
      choice(
        seq('covers', $.obligation_items, semi()),
        seq('survives', $.duration, semi()),
        seq('disclose', 'to', $.obligation_items, semi()),
      ),

    _disputes_attribute: ($) =>
      choice(
        seq('escalate', $.duration, semi()),
        seq('mediation', optional($.string), semi()),
        seq('arbitration', $.string, semi()),
        seq('seat', $.string, semi()),
        seq('courts', $.string, semi()),
      ),

    _liability_attribute: ($) =>
      choice(
        seq('cap', $.money, semi()),
        seq('liquidated', 'damages', $.money, optional(seq('on', $.string)), semi()),
        seq('uncapped', $.obligation_items, semi()),
      ),
  },
});
