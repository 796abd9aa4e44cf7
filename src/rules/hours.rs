//! Advisor support hours in Pacific clock time (America/Los_Angeles, DST-aware), with
//! closed dates from the policy. Pure.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::policy::{DayHours, SupportHours};

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
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let days = hours.week();
    let mut groups: Vec<(usize, usize, Option<DayHours>)> = Vec::new();
    for (i, day) in days.iter().enumerate() {
        match groups.last_mut() {
            Some((_, end, h)) if *h == *day => *end = i,
            _ => groups.push((i, i, *day)),
        }
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(start, end, h)| {
            let span = if start == end {
                NAMES[start].to_string()
            } else {
                format!("{}–{}", NAMES[start], NAMES[end])
            };
            match h {
                Some(h) => format!("{span} {}–{}", clock(h.open), clock(h.close)),
                None => format!("{span} closed"),
            }
        })
        .collect();
    format!("{} {}", parts.join(", "), zone_name(hours.timezone))
}

/// "5:00 AM", "6:00 PM".
fn clock(t: NaiveTime) -> String {
    t.format("%-I:%M %p").to_string()
}

/// "Pacific time" for the Pacific zone, else the IANA name.
fn zone_name(tz: Tz) -> String {
    if tz == chrono_tz::America::Los_Angeles {
        "Pacific time".to_string()
    } else {
        format!("({})", tz.name())
    }
}

/// An instant as trainers read it: "Tuesday, Nov 24 at 5:00 AM Pacific time".
#[must_use]
pub fn describe_instant(at: DateTime<Tz>) -> String {
    format!(
        "{} at {} {}",
        at.format("%A, %b %-d"),
        clock(at.time()),
        zone_name(at.timezone())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Policy;

    #[test]
    fn default_hours_read_like_the_page() {
        let policy = Policy::embedded();
        assert_eq!(
            describe(&policy.hours),
            "Mon–Thu 5:00 AM–6:00 PM, Fri 5:00 AM–5:00 PM, Sat–Sun 7:00 AM–4:00 PM Pacific time"
        );
    }
}
