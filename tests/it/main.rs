//! align's integration tests: one binary, one module per area, shared helpers in `support`.

mod support;

mod bad_input;
mod cli;
mod example;
mod language;
mod loading;
mod rules;
