//! Integration tests, one binary: the real App on a fresh database per test.

mod core;
mod extract_eval;
mod faq_engine;
mod faq_eval;
mod handoff;
mod jsonl_protocol;
mod logging;
mod reminders;
mod support;
