; Highlights for .xlic with Helix scope names: the same patterns as
; editors/tree-sitter-xlic/queries/highlights.scm (nvim-treesitter names).
; Keep the two in step; editors/tree-sitter-xlic/test.sh checks both compile.

(comment) @comment

(string) @string
(number) @constant.numeric
(percentage) @constant.numeric
(date) @string.special
(money currency: (identifier) @type)

; ISO 3166-1 codes and named territories
(territory_code (identifier) @constant)
(territory_expression (identifier) @constant)
(territory_except (identifier) @constant)
(worldwide) @constant.builtin

; declarations
(party name: (identifier) @type)
(affiliate name: (identifier) @type)
(field_node name: (identifier) @label)
(territory_declaration name: (identifier) @constant)
(asset name: (identifier) @variable.other.member)
(grant name: (identifier) @function)
(covenant name: (identifier) @function)
(diligence name: (identifier) @function)
(converts milestone: (identifier) @function)
(release_clause name: (identifier) @function)
(reserve name: (identifier) @function)
(first_right name: (identifier) @function)
(payment name: (identifier) @function)
(agreement id: (identifier) @function)
(sunset grant: (identifier) @function)

; references
(assets (identifier) @variable.other.member)
(reserve asset: (identifier) @variable.other.member)
(improvements asset: (identifier) @variable.other.member)
(first_right asset: (identifier) @variable.other.member)
(field_path (identifier) @label)
(grant licensor: (identifier) @type)
(grant licensee: (identifier) @type)
(covenant licensor: (identifier) @type)
(covenant licensee: (identifier) @type)
(diligence party: (identifier) @type)
(commitment party: (identifier) @type)
(release_clause licensor: (identifier) @type)
(release_clause licensee: (identifier) @type)
(flow_rule from: (identifier) @type)
(flow_rule to: (identifier) @type)
(owners (identifier) @type)
(parties (identifier) @type)
(reserve holder: (identifier) @type)
(first_right holder: (identifier) @type)
(payment payer: (identifier) @type)
(payment payee: (identifier) @type)
(exclusivity (identifier) @function)
(trigger (identifier) @constant)
(survives (identifier) @constant)
(define name: (identifier) @constant)
;; pools (issue 15): standards
(standard name: (identifier) @constant)
(essential standard: (identifier) @constant)
(for_standard standard: (identifier) @constant)
(obligation auditor: (identifier) @type)
(obligation audited: (identifier) @type)
(obligation_items (identifier) @constant)
(purpose (identifier) @constant)
(obligation asset: (identifier) @variable)
(obligation name: (identifier) @function)
(shares (identifier) @type)
(counts (identifier) @type)
(obligation party: (identifier) @type)

; top-level items
[
  "agreement"
  "party"
  "fields"
  "territory"
  "asset"
  "grant"
  "covenant"
  "reserve"
  "negotiation"
  "refusal"
  "payment"
  "improvements"
  "sunset"
  "audit"
  "confidentiality"
  "disputes"
  "liability"
  "provision"
  "warranty"
  "prosecution"
  "enforcement"
  "committee"
  "insurance"
  "escrow"
  "non-compete"
  "non-solicit"
  "beneficiaries"
] @keyword

"import" @keyword.control.import

[
  "affiliate" "affiliates" "after" "all" "and" "assets" "at" "automatically"
  "back" "background" "base" "before" "breach" "by" "cap" "collaboration" "consent" "customers"
  "covers" "cross-license" "cure" "data" "day" "days" "diligence" "distribute" "down"
  "effective" "every" "except" "exclusive" "expires" "expiry" "family" "field"
  "filed" "floor" "for" "foreground" "forward" "free" "from" "governing" "have"
  "improver" "in" "insolvency" "joint" "kind" "know-how" "law" "lease"
  "license" "lump" "made" "make" "milestone" "missed" "modify" "month" "months" "most"
  "mutual" "net" "non-commercial" "non-exclusive" "non-transferable" "none" "not" "note"
  "notice" "of" "offer" "on" "owner" "parties" "patent" "pay" "pending" "per"
  "perpetual" "personal" "pool" "purpose" "release" "renegotiate" "renew" "reproduce" "required"
  "rights" "royalty" "sales" "secret" "sell" "short" "software" "sole"
  "subject" "sublicense" "sum" "survives" "term" "terminate" "tiered" "times"
  "to" "trade" "transferable" "unit" "until" "use" "wind" "with" "year"
  "years"
  "arbitration" "costs" "courts" "define" "disclose" "escalate" "look"
  "mediation" "seat" "shift" "uncapped"
  "abandon" "casting" "chair" "controlled" "decides" "first" "recoveries" "right"
  "rotates" "settle" "step" "vote" "agent" "damages" "liquidated"
  "as" "common" "control" "controlling" "under"
  "joins" "leaves" "essential" "frand" "standard" "favoured" "licensee"
  "commit" "purchase" "spend" "units"
  "annually" "calendar" "monthly" "payable" "quarterly" "report" "within"
] @keyword

(royalty_free) @keyword
(asset_kind) @keyword ; includes the leaf `patents`
(members) @keyword

["->" "=" "+"] @operator
["{" "}" "[" "]"] @punctuation.bracket
["," ":" ";" "."] @punctuation.delimiter
