//! The rules of NASM-CPT recertification, as pure functions: no IO, no clock. Every
//! decision that depends on the time takes `now` (or `today`) as an argument, so replies,
//! reminders and tests all agree.
//!
//! - [`units`]: exact CEUs, money, areas and providers (they live in [`crate::domain`];
//!   re-exported here, where the rules use them).
//! - [`policy`]: the editable numbers, loaded from `faq/policy.toml`.
//! - [`status`]: a trainer's standing: phase, CEUs counted, CPR/AED, audit, documents.
//! - [`fees`]: what is owed in each phase, itemised.
//! - [`hours`]: whether advisors are open at an instant, and when they open next.
//! - [`reminders`]: which reminders a certification calls for, and which is due.

pub mod fees;
pub mod hours;
pub mod policy;
pub mod reminders;
pub mod status;

pub use crate::domain::units;
pub use crate::domain::{Area, Cents, Ceu, Phase, Provider};
pub use fees::{FeeBreakdown, FeeKind, FeeLine};
pub use policy::{Policy, PolicyError};
pub use reminders::{ReminderKind, ScheduledReminder, Stream};
pub use status::{AuditStatus, CeEntry, Certification, CprStatus, EntryWindow, Status};
