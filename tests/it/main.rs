//! Integration tests, one binary: the real App on a fresh database per test.

mod core;
mod extract_eval;
mod faq_engine;
mod handoff;
mod logging;
mod support;
