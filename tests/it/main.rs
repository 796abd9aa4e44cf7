//! Integration tests, one binary: the real App on a fresh database per test.

mod core;
mod extract_eval;
mod handoff;
mod reminders;
mod support;
