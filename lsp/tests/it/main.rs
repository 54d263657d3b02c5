//! The language server's integration tests, as one test binary (a module per former
//! test file); `common` is the small LSP client they share.

mod common;

mod editing;
mod features;
mod in_process;
mod multi_file;
mod random_edits;
mod robustness;
