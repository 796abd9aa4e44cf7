//! Proactive deadline reminders: on time, once, never lost.
//!
//! - [`plan`]: pure: which due reminder to send today, which to skip and why.
//! - [`text`]: pure: the personal message and its buttons.
//! - [`sweep`]: reads only trainers whose precomputed next date has come, records each
//!   decision under the key (trainer, cycle, kind) and queues the message in the outbox
//!   in the same transaction.
//! - [`delivery`]: sends the outbox through a transport, retrying failures.
//!
//! The interval loop that runs them inside `recert-bot telegram` is the app's
//! (`app::run_scheduler`): this service knows the store and the policy, not the app.

pub mod delivery;
pub mod plan;
pub mod sweep;
pub mod text;

pub use delivery::{DeliveryReport, deliver};
pub use sweep::{Queued, SweepOptions, SweepReport, refresh_next, sweep, sweep_batch};
