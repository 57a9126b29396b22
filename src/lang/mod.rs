//! The align rule language: syntax (pest, confined to `syntax`) → typed AST → checked rules
//! → evaluation, with the text functions rules use to find words and numbers.

pub mod ast;
pub mod builtins;
pub(crate) mod check;
pub(crate) mod depth;
pub(crate) mod error;
pub(crate) mod eval;
pub(crate) mod facts;
pub(crate) mod fold;
pub mod functions;
pub(crate) mod lazy_regex;
pub(crate) mod library;
pub mod numbers;
pub(crate) mod patterns;
pub(crate) mod prefilter;
pub(crate) mod substantiation;
pub(crate) mod syntax;
pub(crate) mod value;
pub mod words;

pub(crate) use error::RuleError;
