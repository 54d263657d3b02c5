//! Checks over the resolved model, one file per rule family.

pub mod values;
