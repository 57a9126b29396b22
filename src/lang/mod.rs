//! The align rule language: syntax (pest, confined to `syntax`) → typed AST → checked rules
//! → evaluation, with the text functions rules use to find words and numbers.

pub mod ast;
pub mod check;
pub mod depth;
pub mod error;
pub mod eval;
pub mod functions;
pub mod prefilter;
pub mod syntax;
pub mod text;
pub mod time;
pub mod value;

pub use error::RuleError;
