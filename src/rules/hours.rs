//! Advisor support hours in Pacific clock time (America/Los_Angeles, DST-aware), with
//! closed dates from the policy. Pure.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::policy::{ClosedDate, DayHours, SupportHours};

/// How far ahead [`next_opening`] looks before giving up.
pub const SEARCH_DAYS: u32 = 400;

/// Whether advisors are available at `now`: inside the local day's `[open, close)`, on a
/// day that is not a closed date.
#[must_use]
pub fn is_open(hours: &SupportHours, now: DateTime<Utc>) -> bool {
    closes_at(hours, now).is_some()
}

/// The next instant strictly after `now` at which advisors open, in the hours' zone;
/// `None` if no day in the coming year is open.
#[must_use]
pub fn next_opening(hours: &SupportHours, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let first = now.with_timezone(&hours.timezone).date_naive();
    first
        .iter_days()
        .take(SEARCH_DAYS as usize)
        .filter_map(|date| opening_on(hours, date))
        .map(|(open, _)| open)
        .find(|open| *open > now)
}

/// When open at `now`: the instant the current opening ends.
#[must_use]
pub fn closes_at(hours: &SupportHours, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let date = now.with_timezone(&hours.timezone).date_naive();
    let (open, close) = opening_on(hours, date)?;
    (open <= now && now < close).then_some(close)
}

/// The opening and closing instants on a local calendar date; `None` when the weekday
/// is closed or the date is a closed date.
#[must_use]
pub fn opening_on(hours: &SupportHours, date: NaiveDate) -> Option<(DateTime<Tz>, DateTime<Tz>)> {
    if closed_on(hours, date).is_some() {
        return None;
    }
    let day = hours.week()[date.weekday().num_days_from_monday() as usize]?;
    let open = local_instant(hours.timezone, date.and_time(day.open))?;
    let close = local_instant(hours.timezone, date.and_time(day.close))?;
    Some((open, close))
}

/// A local clock reading as an instant: the earlier one when clocks fall back; when
/// clocks spring forward over it, the first instant after the gap.
fn local_instant(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&local).earliest().or_else(|| {
        let after_gap = local.checked_add_signed(TimeDelta::hours(1))?;
        tz.from_local_datetime(&after_gap).earliest()
    })
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

/// The closed date (holiday) on a local calendar date, if it is one.
#[must_use]
pub fn closed_on(hours: &SupportHours, date: NaiveDate) -> Option<&ClosedDate> {
    hours.closed_dates.iter().find(|c| c.date == date)
}

/// How many days ahead [`closures_near`] looks by default.
pub const NEAR_DAYS: u64 = 14;

/// The closed dates after `from` up to `days` later (local dates), by date.
#[must_use]
pub fn closures_after(hours: &SupportHours, from: NaiveDate, days: u64) -> Vec<&ClosedDate> {
    let last = from
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    let mut near: Vec<&ClosedDate> = hours
        .closed_dates
        .iter()
        .filter(|c| c.date > from && c.date <= last)
        .collect();
    near.sort_by_key(|c| c.date);
    near
}

/// A closed date as trainers read it: "Thu, Nov 26 (Thanksgiving)", or "Thu, Nov 26"
/// without a name.
#[must_use]
pub fn closed_day(c: &ClosedDate) -> String {
    let day = c.date.format("%a, %b %-d").to_string();
    match &c.name {
        Some(name) => format!("{day} ({name})"),
        None => day,
    }
}

/// Whether advisors are there right now, in a few words: "open now, until 6:00 PM
/// Pacific", "closed now, opens Mon 5:00 AM Pacific", or on a holiday "closed today,
/// Thu, Nov 26 (Thanksgiving), opens Fri 5:00 AM Pacific".
#[must_use]
pub fn now_text(hours: &SupportHours, now: DateTime<Utc>) -> String {
    if let Some(close) = closes_at(hours, now) {
        return format!(
            "open now, until {} {}",
            clock(close.time()),
            short_zone(close.timezone())
        );
    }
    let today = now.with_timezone(&hours.timezone).date_naive();
    let closed = match closed_on(hours, today) {
        Some(c) => format!("closed today, {}", closed_day(c)),
        None => "closed now".to_string(),
    };
    match next_opening(hours, now) {
        Some(open) => format!("{closed}, opens {}", short_instant(open, now)),
        None => closed,
    }
}

/// An instant soon after `now`, briefly: "Mon 5:00 AM Pacific" within six days,
/// "Mon, Dec 7, 5:00 AM Pacific" later.
#[must_use]
pub fn short_instant(at: DateTime<Tz>, now: DateTime<Utc>) -> String {
    let day = if at.with_timezone(&Utc) - now < TimeDelta::days(6) {
        at.format("%a").to_string()
    } else {
        at.format("%a, %b %-d,").to_string()
    };
    format!("{day} {} {}", clock(at.time()), short_zone(at.timezone()))
}

/// "Pacific" for the Pacific zone, else the IANA name.
fn short_zone(tz: Tz) -> String {
    if tz == chrono_tz::America::Los_Angeles {
        "Pacific".to_string()
    } else {
        tz.name().to_string()
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
mod tests;
