//! Integration tests, one binary: the real App on a fresh database per test (SQLite,
//! or PostgreSQL when `RECERT_TEST_PG` is set).

mod actions;
mod architecture;
mod binary;
mod confirmed;
mod core;
mod crash;
mod cycle_record;
mod db;
mod extract_eval;
mod fake_telegram;
mod faq_engine;
mod faq_eval;
mod fuzz;
mod handoff;
mod hardening;
mod instances;
mod jsonl_protocol;
mod logging;
mod nlu_eval;
mod phrasings;
mod privacy;
mod readback;
mod reminders;
mod several;
mod status_scenarios;
mod support;
mod telegram;
mod telegram_crash;
mod voice;
