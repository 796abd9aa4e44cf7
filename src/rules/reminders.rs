//! Which reminders a certification calls for, and which one is due on a given day
//! (policy `[reminders]`). Pure: the reminder service stores what was sent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::policy::Policy;
use super::status::Certification;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReminderKind {
    /// N days before expiration.
    BeforeExpiration(u32),
    ExpirationDay,
    /// The day after expiration (or `late_fee_days_after`): the late fee applies now.
    LateFee,
    /// `additional_fee_warning_days` before the additional fee starts.
    AdditionalFeeNear,
    /// `final_deadline_warning_days` before the final deadline.
    FinalDeadlineNear,
    /// N days before a CPR/AED card that expires before the certification.
    CprExpiring(u32),
    /// N days before the audit's document deadline.
    AuditDeadline(u32),
}

impl ReminderKind {
    /// A stable key; with the trainer and the cycle (expiration date) it identifies a
    /// reminder for exactly-once sending, e.g. `before:30`, `audit:7`.
    #[must_use]
    pub fn key(self) -> String {
        match self {
            Self::BeforeExpiration(d) => format!("before:{d}"),
            Self::ExpirationDay => "expiration_day".into(),
            Self::LateFee => "late_fee".into(),
            Self::AdditionalFeeNear => "additional_fee_near".into(),
            Self::FinalDeadlineNear => "final_deadline_near".into(),
            Self::CprExpiring(d) => format!("cpr:{d}"),
            Self::AuditDeadline(d) => format!("audit:{d}"),
        }
    }

    /// Reminders about the renewal itself (CEUs, fees); a trainer who has met every
    /// requirement does not get these.
    #[must_use]
    pub const fn is_about_renewal(self) -> bool {
        !matches!(self, Self::CprExpiring(_) | Self::AuditDeadline(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledReminder {
    pub kind: ReminderKind,
    pub due_on: NaiveDate,
}

/// Every reminder the certification calls for in its current cycle, sorted by date.
#[must_use]
pub fn schedule(cert: &Certification, policy: &Policy) -> Vec<ScheduledReminder> {
    let _ = (cert, policy);
    todo!("rules helper")
}

/// The reminder to send on `today`, if any: the most recent of each stream (renewal,
/// CPR, audit) with `due_on <= today`; stale older ones are never sent (after downtime,
/// one reminder, not a burst). `sent` says whether a key was already sent this cycle.
#[must_use]
pub fn due(
    schedule: &[ScheduledReminder],
    today: NaiveDate,
    sent: &dyn Fn(ReminderKind) -> bool,
) -> Vec<ScheduledReminder> {
    let _ = (schedule, today, sent);
    todo!("rules helper")
}

/// The first date after `today` on which [`due`] could return something new: the
/// precomputed next-due date the sweep indexes on.
#[must_use]
pub fn next_due_on(schedule: &[ScheduledReminder], today: NaiveDate) -> Option<NaiveDate> {
    schedule
        .iter()
        .map(|r| r.due_on)
        .filter(|d| *d > today)
        .min()
}
