//! Emitters: everything the compiler writes from a checked [`crate::model::Model`].

pub mod json;

pub mod cedar;
pub mod decisions;
pub mod odrl;
pub mod prose;
pub mod rego;
