//! recert-bot: a support bot for NASM-CPT recertification.
//!
//! # Layout
//!
//! In layers; a module imports only from the layers above it (no import circle between
//! top-level modules: `tests/it/architecture.rs` checks it from the sources).
//!
//! - [`domain`]: ids, the exact units (CEUs, cents, areas, providers), the phase, the
//!   new-entry type, messages in and out, content, button actions ([`domain::Action`],
//!   the only code that writes or reads button data), where a personal message may go,
//!   and the [`domain::Transport`] trait. Imports nothing of ours.
//! - [`error`]: the cause chain for the log. [`retry`]: the one backoff rule.
//! - [`config`]: one `Settings` from the command line (clap reads the environment too).
//! - [`rules`]: pure rules: the policy, status (which phase), fees, support hours,
//!   reminder schedules, over the domain's units. No IO, no clock.
//! - [`understand`]: the one tokenizer and normaliser, the FAQ speller and the
//!   extractors' word mending, and the intent classifier learned from
//!   `faq/intents.toml`. Pure.
//! - [`faq`]: the FAQ loaded from `faq/`, with a pure matcher.
//! - [`conversation`]: the dialogue as a pure step function, and free-text extraction.
//! - [`store`]: SQLite or PostgreSQL through sqlx; small query functions over a
//!   transaction (one `Conn` for both backends), rows read with `FromRow`.
//! - [`handoff`]: the advisors' desk, a service over the store: tickets, claims, relays,
//!   hand-back, support hours.
//! - [`reminders`]: the reminder service: plan, messages, sweep, outbox delivery.
//! - [`stt`]: speech-to-text for voice notes (an OpenAI-compatible transcription API).
//! - [`app`]: the service every transport calls: `handle` and `tick`, one `apply` for
//!   the effects, the scheduler loop.
//! - [`ops`]: `/healthz` and `/metrics` (Prometheus text), over the store.
//! - [`transport`]: the `Handler` trait and the console, JSONL and Telegram adapters.

pub mod app;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod error;
pub mod faq;
pub mod handoff;
pub mod ops;
pub mod reminders;
pub mod retry;
pub mod rules;
pub mod store;
pub mod stt;
pub mod transport;
pub mod understand;
