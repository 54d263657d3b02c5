//! The integration tests, as one test binary: each module was once its own file under
//! `tests/`, and every one of them linked the whole library again. Shared helpers live
//! in `common`; snapshots in `tests/it/snapshots/` (named `it__<module>__<name>.snap`).

mod common;

mod cancel;
mod ci;
mod cli;
mod diff;
mod docx;
mod engines;
mod fixes;
mod fixtures;
mod fmt;
mod keywords;
mod layers;
mod odrl;
mod oracle;
mod outputs;
mod parts;
mod policy;
mod prose;
mod prose_oracle;
mod query;
mod query_cases;
mod query_oracle;
mod reparse;
mod report;
mod robustness;
mod sarif;
