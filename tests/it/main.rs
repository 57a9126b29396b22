//! align's integration tests: one binary, one module per area, shared helpers in `support`.

// Test code may unwrap, expect, index and panic: a failure here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

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
