//! Prose emitters: the agreement as numbered articles and clauses a licensing lawyer
//! would recognise (`xlic build --emit markdown`, `--emit html`, `--emit docx`).
//!
//! All three formats render the same document ([`doc`]), built by [`build`] from the
//! resolved [`crate::model::Model`] (never the syntax tree): a preamble with the parties
//! and their defined short names, recitals from the agreement's notes, Article 1
//! (definitions of the licensed assets with their patents, the fields of use and the
//! territories), one clause per grant written as a full sentence, reservations,
//! improvements and grant-backs, term / renewal / renegotiation / wind-down /
//! termination / survival, governing law, and schedules (the license matrix and a
//! clause index). The English words come from [`crate::text`].
//!
//! **Clause ids.** Every clause carries an id so that prose, JSON policy and source can
//! be traced to each other. Ids mirror what the source writes in the clause's header:
//!
//! | clause | id |
//! |---|---|
//! | grant | its name, `acme_to_globex` |
//! | a pool's grants to members stated once (`build/pool.rs`) | `members`, `members (2)` |
//! | named reservation | its name, `research` |
//! | unnamed reservation | `reserve ASSETS [for HOLDER]`, `reserve acme_core` |
//! | improvements clause | `improvements on ASSETS`, `improvements on acme_motion` |
//! | grant-back / license-forward rule | `grant back FROM -> TO`, `license forward FROM -> TO` |
//! | sunset clause | `sunset GRANT`, `sunset acme_to_globex` |
//! | asset definition | the asset's name |
//! | agreement block (term, governing law) | `agreement` |

mod build;
pub(crate) mod doc;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod statement;

pub(crate) use build::{build, clause_texts, grant_sentence};
pub(crate) use doc::*;
pub use doc::{flow_id, improvements_id, reservation_id, sunset_id, Paper, ProseOptions};
pub use docx::{docx, docx_with};
pub use html::{html, html_with};
pub use markdown::{markdown, markdown_with};
pub use statement::{statements, FieldGroup, Period, Statement, StatementKind};
