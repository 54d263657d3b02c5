//! From text to syntax tree: tokens (logos), the LALR grammar (lalrpop), the tree.

pub mod ast;
pub mod build;
pub mod lexer;
pub mod parser;
pub mod shift;
pub mod token;

pub use parser::{parse, Parsed};
