//! Hostile shapes of `.xlic` input (issue 14), shared by `benches/hostile.rs`, which
//! times them, and `tests/robustness.rs`, which checks what xlic makes of them.

/// `territory g0 = g1`, `g1 = g2`, …: `n` groups, the last one `last`.
pub fn group_chain(n: usize, last: &str) -> String {
    let mut s: String = (0..n.saturating_sub(1))
        .map(|i| format!("territory g{i} = g{}\n", i + 1))
        .collect();
    s.push_str(&format!("territory g{} = {last}\n", n.saturating_sub(1)));
    s
}

/// `n` parties `party_00000`… and `n` grants to `party_00000x`…, each an unknown
/// name one edit away from a declared one.
pub fn unknown_names(n: usize) -> String {
    let mut text = String::from(
        "agreement \"A\" { effective 2026-01-01 }\nfields { robotics }\nparty acme \"Acme\"\nasset p: know-how of acme\n",
    );
    for i in 0..n {
        text.push_str(&format!("party party_{i:05} \"P\"\n"));
    }
    for i in 0..n {
        text.push_str(&format!(
            "grant g{i}: acme -> party_{i:05}x {{ assets p field robotics territory [DE] non-exclusive }}\n"
        ));
    }
    text
}
