//! What to do with a trainer's reminders on a given day: send the one due per stream,
//! or skip it for a reason, and mark everything older as superseded so nothing stale
//! ever comes back. Pure.

use chrono::NaiveDate;

use crate::rules::reminders::{due, next_due_on};
use crate::rules::status::Standing;
use crate::rules::{Certification, Phase, ReminderKind, ScheduledReminder, Status};

/// Why a due reminder is recorded without being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// A later reminder of the same stream is due (after downtime, one, not a burst).
    Superseded,
    /// The trainer turned reminders off.
    OptedOut,
    /// Every requirement is met and expiration is still far: "apply now" comes later.
    RequirementsMet,
    /// The phase it announces is already over (e.g. swept after a long downtime).
    Stale,
}

impl SkipReason {
    /// The word stored in `reminders_sent.outcome`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Superseded => "superseded",
            Self::OptedOut => "opted_out",
            Self::RequirementsMet => "requirements_met",
            Self::Stale => "stale",
        }
    }
}

/// Send it, or record it as skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Send,
    Skip(SkipReason),
}

impl Verdict {
    /// The word stored in `reminders_sent.outcome`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Send => "queued",
            Self::Skip(r) => r.key(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub reminder: ScheduledReminder,
    pub outcome: Verdict,
}

/// Today's decisions and the next date worth looking again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub decisions: Vec<Decision>,
    /// The certification's next reminder date (strictly after today), if any.
    pub next_on: Option<NaiveDate>,
}

/// What the plan needs to know about the trainer today.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub schedule: &'a [ScheduledReminder],
    pub status: &'a Status,
    pub reminders_enabled: bool,
    /// A trainer who met every requirement hears "apply now" from this many days before
    /// expiration (policy `reminders.apply_now_days_before`).
    pub apply_now_days_before: u32,
}

/// The decisions for `facts.status.today`: per stream the latest due reminder not yet
/// handled (see [`due`]) is sent unless a skip reason applies; every other unhandled
/// reminder due by today is superseded.
#[must_use]
pub fn plan(facts: &Facts<'_>, handled: &dyn Fn(ReminderKind) -> bool) -> Plan {
    let today = facts.status.today;
    let due_now = due(facts.schedule, today, handled);
    let mut decisions: Vec<Decision> = facts
        .schedule
        .iter()
        .filter(|r| r.due_on <= today && !handled(r.kind) && !due_now.contains(r))
        .map(|r| Decision {
            reminder: *r,
            outcome: Verdict::Skip(SkipReason::Superseded),
        })
        .collect();
    decisions.extend(due_now.iter().map(|r| Decision {
        reminder: *r,
        outcome: outcome(r.kind, facts),
    }));
    Plan {
        decisions,
        next_on: next_due_on(facts.schedule, today),
    }
}

/// The next reminder date after a change to the record made on `today`: a reminder
/// already due and not yet handled keeps its date (so it is never skipped), else the
/// next scheduled one.
#[must_use]
pub fn next_after_change(
    schedule: &[ScheduledReminder],
    today: NaiveDate,
    handled: &dyn Fn(ReminderKind) -> bool,
) -> Option<NaiveDate> {
    due(schedule, today, handled)
        .iter()
        .map(|r| r.due_on)
        .min()
        .or_else(|| next_due_on(schedule, today))
}

/// The key stored for a reminder within its cycle: the kind's key, and for CPR/AED and
/// audit reminders the date they count down to, so a new card or a new audit within the
/// same cycle gets its own reminders.
#[must_use]
pub fn kind_key(kind: ReminderKind, cert: &Certification) -> String {
    let anchor = match kind {
        ReminderKind::CprExpiring(_) => cert.cpr_expires_on,
        ReminderKind::AuditDeadline(_) => cert.audit_selected_on,
        _ => None,
    };
    match anchor {
        Some(d) => format!("{}@{d}", kind.key()),
        None => kind.key(),
    }
}

fn outcome(kind: ReminderKind, facts: &Facts<'_>) -> Verdict {
    let s = facts.status;
    let renewal = kind.is_about_renewal();
    let skip = if !facts.reminders_enabled {
        Some(SkipReason::OptedOut)
    } else if renewal && s.phase > phase_of(kind) {
        Some(SkipReason::Stale)
    } else if s.standing == Standing::ReadyToApply
        && kind
            .days_ahead()
            .is_some_and(|n| renewal && n > facts.apply_now_days_before)
    {
        Some(SkipReason::RequirementsMet)
    } else {
        None
    };
    skip.map_or(Verdict::Send, Verdict::Skip)
}

/// The last phase in which a renewal reminder still says something true.
const fn phase_of(kind: ReminderKind) -> Phase {
    match kind {
        ReminderKind::LateFee | ReminderKind::AdditionalFeeNear => Phase::Late,
        ReminderKind::FinalDeadlineNear => Phase::LateAdditional,
        _ => Phase::Current,
    }
}

#[cfg(test)]
mod tests;
