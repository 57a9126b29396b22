//! align keeps marketing, product and sales aligned: it reads a team's go-to-market YAML
//! (segments, needs, evidence, features, propositions, messages, claims), runs rules written in the
//! align rule language over it, and reports every proposition no customer evidence supports
//! and every message that promises more than the product does, at the exact line and word.
//!
//! The flow is walk → load → index → evaluate → report; `ARCHITECTURE.md` maps it to modules.

pub(crate) mod chars;
pub mod cli;
pub mod date;
pub mod engine;
pub mod expect;
pub mod finding;
pub mod lang;
pub mod lsp;
pub mod map;
pub mod model;
pub mod output;
pub mod page;
pub mod parallel;
pub mod project;
pub mod rules;
pub mod source;
