//! Every built-in rule: a fixture where it fires and one where it must not.
