//! recert-bot: a support bot for NASM-CPT recertification.
//!
//! # Layout
//!
//! - [`rules`]: pure rules: exact units, the policy, status, phases, fees, support hours,
//!   reminder schedules. No IO, no clock.
//! - [`faq`]: the FAQ loaded from `faq/`, with a pure matcher.
//! - [`conversation`]: the dialogue as a pure step function, and free-text extraction.
//! - [`store`]: SQLite through sqlx; small query functions over a transaction.
//! - [`handoff`]: tickets for live advisors: claim, relay, hand back; support hours.
//! - [`reminders`]: the reminder service: sweep, outbox delivery, messages, scheduler.
//! - [`app`]: the service every transport calls: load, step, commit, reply.
//! - [`transport`]: the `Transport` trait and the console, JSONL and Telegram adapters.
//! - [`config`]: settings from arguments and environment.
//! - [`stt`]: speech-to-text for voice notes (an OpenAI-compatible transcription API).

pub mod app;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod error;
pub mod faq;
pub mod handoff;
pub mod reminders;
pub mod retry;
pub mod rules;
pub mod store;
pub mod stt;
pub mod transport;
