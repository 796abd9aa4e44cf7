//! recert-bot: a support bot for NASM-CPT recertification.
//!
//! # Layout
//!
//! - [`rules`]: pure rules: exact units, the policy, status, phases, fees, support hours,
//!   reminder schedules. No IO, no clock.
//! - [`faq`]: the FAQ loaded from `faq/`, with a pure matcher.
//! - [`conversation`]: the dialogue as a pure step function, and free-text extraction.

pub mod conversation;
pub mod faq;
pub mod rules;
