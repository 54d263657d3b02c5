//! The JSON policy emitter: the policy's types and builder live in [`crate::policy`];
//! this module keeps the emitter's entry points for callers that hold a model only.

pub use crate::policy::*;

use crate::model::Model;
use crate::source::SourceMap;

/// Builds the policy of a model, deriving its rights ledger (callers holding a
/// [`crate::Compilation`] should use [`crate::policy::build`] with its ledger).
pub fn policy(model: &Model, sources: &SourceMap) -> Policy {
    crate::policy::build(model, &crate::ledger::Ledger::build(model), sources)
}
