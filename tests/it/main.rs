//! align's integration tests: one binary, one module per area, shared helpers in `support`.

mod support;

mod authoring;
mod bad_input;
mod claims;
mod cli;
mod example;
mod gate;
mod language;
mod library;
mod loading;
mod lsp;
mod map;
mod pages;
mod parity;
mod rules;
mod scale;
mod schema;
