//! xlic: the compiler for intellectual-property cross-license agreements written as code.
//!
//! The library is the compiler; the `xlic` binary and the language server are thin
//! front ends over it.

pub mod date;
pub mod diagnostics;
pub mod iso;
pub mod source;
pub mod syntax;
pub mod territory;
