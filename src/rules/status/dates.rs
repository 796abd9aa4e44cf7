//! The calendar of a cycle: today in the trainer's zone, the phase by days after
//! expiration, the last day to apply (calendar months), the completion deadline, the
//! cycle's start and where a completion date falls. Pure.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

use super::{EntryWindow, Phase};
use crate::rules::policy::Policy;

/// Today's calendar date in the trainer's time zone (`policy.contact.trainer_timezone`).
#[must_use]
pub fn today(policy: &Policy, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&policy.contact.trainer_timezone)
        .date_naive()
}

/// The phase on `today` for a certification expiring on `expires_on`: by days after
/// expiration, 0 or fewer is Current (the expiration day itself included), up to
/// `late_fee_days` Late, up to the [`final_date`] LateAdditional, then Lapsed.
#[must_use]
pub fn phase(expires_on: NaiveDate, today: NaiveDate, policy: &Policy) -> Phase {
    let c = &policy.certification;
    let late_by = days_between(expires_on, today);
    if late_by <= 0 {
        Phase::Current
    } else if late_by <= i64::from(c.late_fee_days) {
        Phase::Late
    } else if today <= final_date(expires_on, policy) {
        Phase::LateAdditional
    } else {
        Phase::Lapsed
    }
}

/// The last day to apply: applications "must be received before one year after
/// credential expiration", counted in calendar months (`final_deadline_months`), so
/// the day before the same date a year later: Mar 15, 2027 gives Mar 14, 2028 and
/// Mar 15, 2026 gives Mar 14, 2027. A date the later month lacks (Feb 29) has its
/// anniversary on the next day (Mar 1), so Feb 29, 2028 gives Feb 28, 2029.
#[must_use]
pub fn final_date(expires_on: NaiveDate, policy: &Policy) -> NaiveDate {
    let months = Months::new(policy.certification.final_deadline_months);
    let Some(same_day) = expires_on.checked_add_months(months) else {
        return NaiveDate::MAX;
    };
    let anniversary = if same_day.day() == expires_on.day() {
        same_day
    } else {
        same_day.succ_opt().unwrap_or(NaiveDate::MAX)
    };
    anniversary.pred_opt().unwrap_or(anniversary)
}

/// The last day a course may be completed and still count:
/// `completion_grace_days` after expiration.
#[must_use]
pub fn completion_deadline(expires_on: NaiveDate, policy: &Policy) -> NaiveDate {
    add_days(expires_on, policy.certification.completion_grace_days)
}

/// Where a completion date falls relative to the cycle ending on `expires_on`: before
/// [`cycle_start`], in the cycle (through the expiration day), within
/// `completion_grace_days` after it, or later.
#[must_use]
pub fn entry_window(
    expires_on: NaiveDate,
    completed_on: NaiveDate,
    policy: &Policy,
) -> EntryWindow {
    let grace_ends = add_days(expires_on, policy.certification.completion_grace_days);
    if completed_on < cycle_start(expires_on, policy) {
        EntryWindow::BeforeCycle
    } else if completed_on <= expires_on {
        EntryWindow::InCycle
    } else if completed_on <= grace_ends {
        EntryWindow::Grace
    } else {
        EntryWindow::AfterGrace
    }
}

/// First day of the cycle ending on `expires_on`: `cycle_months` earlier, plus one day
/// (the day after the previous expiration).
#[must_use]
pub fn cycle_start(expires_on: NaiveDate, policy: &Policy) -> NaiveDate {
    expires_on
        .checked_sub_months(Months::new(policy.certification.cycle_months))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(NaiveDate::MIN)
}

/// The last day of `phase` for a certification expiring on `expires_on`; `None` once
/// lapsed.
#[must_use]
pub fn phase_ends_on(expires_on: NaiveDate, phase: Phase, policy: &Policy) -> Option<NaiveDate> {
    let c = &policy.certification;
    match phase {
        Phase::Current => Some(expires_on),
        Phase::Late => Some(add_days(expires_on, c.late_fee_days)),
        Phase::LateAdditional => Some(final_date(expires_on, policy)),
        Phase::Lapsed => None,
    }
}

/// `date + days`, saturating at the end of the calendar.
pub(crate) fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}
