//! Advisor support hours in Pacific clock time (America/Los_Angeles, DST-aware), with
//! closed dates from the policy. Pure.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::policy::SupportHours;

/// Whether advisors are available at `now`.
#[must_use]
pub fn is_open(hours: &SupportHours, now: DateTime<Utc>) -> bool {
    let _ = (hours, now);
    todo!("rules helper")
}

/// The next instant strictly after `now` at which advisors open, in the hours' zone;
/// `None` if no day in the coming year is open.
#[must_use]
pub fn next_opening(hours: &SupportHours, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let _ = (hours, now);
    todo!("rules helper")
}

/// When open at `now`: the instant the current opening ends.
#[must_use]
pub fn closes_at(hours: &SupportHours, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let _ = (hours, now);
    todo!("rules helper")
}

/// The weekly hours in words, e.g. "Mon–Thu 5:00 AM–6:00 PM, Fri 5:00 AM–5:00 PM,
/// Sat–Sun 7:00 AM–4:00 PM Pacific time".
#[must_use]
pub fn describe(hours: &SupportHours) -> String {
    let _ = hours;
    todo!("rules helper")
}

/// An instant as trainers read it: "Tuesday, Nov 24 at 5:00 AM Pacific time".
#[must_use]
pub fn describe_instant(at: DateTime<Tz>) -> String {
    let _ = at;
    todo!("rules helper")
}
