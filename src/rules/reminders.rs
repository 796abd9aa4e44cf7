//! Which reminders a certification calls for, and which one is due on a given day
//! (policy `[reminders]`). Pure: the reminder service stores what was sent.

use chrono::{Days, NaiveDate};
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

/// The independent reminder streams: at most one reminder per stream is due at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    Renewal,
    Cpr,
    Audit,
}

impl ReminderKind {
    /// The stream this reminder belongs to.
    #[must_use]
    pub const fn stream(self) -> Stream {
        match self {
            Self::CprExpiring(_) => Stream::Cpr,
            Self::AuditDeadline(_) => Stream::Audit,
            _ => Stream::Renewal,
        }
    }

    /// For "N days before" reminders, N: the event they announce is `due_on + N`.
    #[must_use]
    pub const fn days_ahead(self) -> Option<u32> {
        match self {
            Self::BeforeExpiration(n) | Self::CprExpiring(n) | Self::AuditDeadline(n) => Some(n),
            _ => None,
        }
    }
}

/// Every reminder the certification calls for in its current cycle, sorted by date:
/// N days before expiration, on the day, when the late fee starts, before the
/// additional fee and the final deadline; CPR/AED only for a card expiring before the
/// certification (neither once the trainer applied); audit reminders before the
/// document deadline (none once the audit is closed).
#[must_use]
pub fn schedule(cert: &Certification, policy: &Policy) -> Vec<ScheduledReminder> {
    let r = &policy.reminders;
    let mut out = Vec::new();
    // Once the trainer applied, the cycle's renewal and CPR/AED reminders have nothing
    // left to ask for; an audit (which follows the application) still has its own.
    if cert.applied_on.is_none() {
        out = renewal(cert.expires_on, policy);
        if let Some(cpr) = cert.cpr_expires_on.filter(|d| *d < cert.expires_on) {
            for n in &r.cpr_days_before {
                out.push((ReminderKind::CprExpiring(*n), minus(cpr, *n)));
            }
        }
    }
    if let Some(deadline) = cert
        .audit_selected_on
        .filter(|_| cert.audit_closed_on.is_none())
        .and_then(|d| plus(d, policy.audit.window_days))
    {
        for n in &r.audit_days_before_deadline {
            out.push((ReminderKind::AuditDeadline(*n), minus(deadline, *n)));
        }
    }
    let mut out: Vec<ScheduledReminder> = out
        .into_iter()
        .filter_map(|(kind, due_on)| due_on.map(|due_on| ScheduledReminder { kind, due_on }))
        .collect();
    out.sort_by_key(|r| (r.due_on, r.kind));
    out
}

/// The renewal stream for a cycle ending on `exp` (dates off the calendar are `None`).
fn renewal(exp: NaiveDate, policy: &Policy) -> Vec<(ReminderKind, Option<NaiveDate>)> {
    let r = &policy.reminders;
    let c = &policy.certification;
    let mut out: Vec<_> = r
        .days_before_expiration
        .iter()
        .map(|n| (ReminderKind::BeforeExpiration(*n), minus(exp, *n)))
        .collect();
    if r.on_expiration_day {
        out.push((ReminderKind::ExpirationDay, Some(exp)));
    }
    out.push((ReminderKind::LateFee, plus(exp, r.late_fee_days_after)));
    // The additional fee starts on day late_fee_days + 1.
    let additional_starts = plus(exp, c.late_fee_days.saturating_add(1));
    out.push((
        ReminderKind::AdditionalFeeNear,
        additional_starts.and_then(|d| minus(d, r.additional_fee_warning_days)),
    ));
    let final_date = super::status::final_date(exp, policy);
    out.push((
        ReminderKind::FinalDeadlineNear,
        minus(final_date, r.final_deadline_warning_days),
    ));
    out
}

/// The reminders to send on `today`, sorted by date: per stream (renewal, CPR, audit)
/// only the latest with `due_on <= today`, and only if not `sent` already. Older ones in
/// a stream are never sent (after downtime, one reminder, not a burst), nor is an
/// "N days before" reminder whose event (`due_on + N`) is already past.
#[must_use]
pub fn due(
    schedule: &[ScheduledReminder],
    today: NaiveDate,
    sent: &dyn Fn(ReminderKind) -> bool,
) -> Vec<ScheduledReminder> {
    let mut latest: Vec<ScheduledReminder> = Vec::new();
    for r in schedule.iter().filter(|r| r.due_on <= today) {
        match latest
            .iter_mut()
            .find(|l| l.kind.stream() == r.kind.stream())
        {
            Some(l) if (l.due_on, l.kind) < (r.due_on, r.kind) => *l = *r,
            Some(_) => {}
            None => latest.push(*r),
        }
    }
    latest.retain(|r| !sent(r.kind) && !is_past_event(r, today));
    latest.sort_by_key(|r| (r.due_on, r.kind));
    latest
}

fn is_past_event(r: &ScheduledReminder, today: NaiveDate) -> bool {
    r.kind
        .days_ahead()
        .and_then(|n| plus(r.due_on, n))
        .is_some_and(|event| event < today)
}

fn plus(date: NaiveDate, days: u32) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(u64::from(days)))
}

fn minus(date: NaiveDate, days: u32) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(u64::from(days)))
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

#[cfg(test)]
mod tests;
