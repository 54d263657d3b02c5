//! The `xlic` command line.
fn main() {}
