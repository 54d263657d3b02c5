[
  (agreement)
  (party_body)
  (fields)
  (field_node)
  (asset_body)
  (grant)
  (covenant)
  (release_clause)
  (reserve)
  (first_right)
  (payment)
  (improvements)
  (flow_rule)
  (royalty_tiered)
  (sunset)
  (obligation)
] @fold

(comment) @fold
