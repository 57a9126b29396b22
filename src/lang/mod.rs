//! The align rule language: syntax (pest, confined to `syntax`) → typed AST → checked rules
//! → evaluation, with the text functions rules use to find words and numbers.

pub mod ast;
pub mod builtins;
pub mod check;
pub mod depth;
pub mod error;
pub mod eval;
pub mod facts;
pub mod functions;
pub mod library;
pub mod numbers;
pub mod patterns;
pub mod prefilter;
pub mod substantiation;
pub mod syntax;
pub mod value;
pub mod words;

pub use error::RuleError;
