//! Small pieces of wording shared by every reply and reminder: dates, day counts,
//! plurals and durations, so "1 day", "in 3 days", "13 h 4 min" read the same
//! everywhere. Pure.

use chrono::NaiveDate;

/// "Mon, Nov 23, 2026".
#[must_use]
pub fn date(d: NaiveDate) -> String {
    d.format("%a, %b %-d, %Y").to_string()
}

/// `n` and the noun in agreement: "1 day", "3 days", "0 entries".
#[must_use]
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// [`count`] for a signed number of days, never below zero.
#[must_use]
pub fn days(n: i64) -> String {
    count(
        usize::try_from(n.max(0)).unwrap_or(usize::MAX),
        "day",
        "days",
    )
}

/// How far `d` is from `today`, in the right tense: "today", "tomorrow", "yesterday",
/// "in 3 days", "3 days ago".
#[must_use]
pub fn relative(today: NaiveDate, d: NaiveDate) -> String {
    match (d - today).num_days() {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        n if n > 1 => format!("in {}", days(n)),
        n => format!("{} ago", days(-n)),
    }
}

/// A date with how far it is: "Mon, Mar 15, 2027, in 30 days"; "today, Mon, Mar 15,
/// 2027"; "Mon, Mar 15, 2027, 3 days ago".
#[must_use]
pub fn dated(today: NaiveDate, d: NaiveDate) -> String {
    match (d - today).num_days() {
        -1..=1 => format!("{}, {}", relative(today, d), date(d)),
        _ => format!("{}, {}", date(d), relative(today, d)),
    }
}

/// The certification's expiration in the right tense: "expires on Mon, Mar 15, 2027,
/// in 30 days", "expires today, Mon, Mar 15, 2027", "expired on Mon, Mar 15, 2027,
/// 40 days ago".
#[must_use]
pub fn expiry(today: NaiveDate, expires_on: NaiveDate) -> String {
    match (expires_on - today).num_days() {
        0 => format!("expires today, {}", date(expires_on)),
        1 => format!("expires tomorrow, {}", date(expires_on)),
        -1 => format!("expired yesterday, {}", date(expires_on)),
        n if n > 1 => format!("expires on {}", dated(today, expires_on)),
        _ => format!("expired on {}", dated(today, expires_on)),
    }
}

/// A span of minutes as people read it: "45 min", "2 h", "13 h 4 min", "2 days 3 h".
#[must_use]
pub fn duration(minutes: i64) -> String {
    let m = minutes.max(0);
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(days(d));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if min > 0 && d == 0 {
        parts.push(format!("{min} min"));
    }
    if parts.is_empty() {
        "0 min".to_string()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(2, "person", "people"), "2 people");
        assert_eq!(count(0, "entry", "entries"), "0 entries");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(-480), "0 days");
    }

    #[test]
    fn dates_are_told_in_the_right_tense() {
        let today = d(2027, 3, 15);
        let cases = [
            (d(2027, 3, 15), "expires today, Mon, Mar 15, 2027"),
            (d(2027, 3, 16), "expires tomorrow, Tue, Mar 16, 2027"),
            (d(2027, 4, 14), "expires on Wed, Apr 14, 2027, in 30 days"),
            (d(2027, 3, 14), "expired yesterday, Sun, Mar 14, 2027"),
            (d(2027, 3, 13), "expired on Sat, Mar 13, 2027, 2 days ago"),
            (d(2025, 8, 1), "expired on Fri, Aug 1, 2025, 591 days ago"),
        ];
        for (exp, want) in cases {
            assert_eq!(expiry(today, exp), want);
        }
        assert_eq!(relative(today, d(2027, 3, 14)), "yesterday");
        assert_eq!(relative(today, d(2027, 3, 12)), "3 days ago");
        assert_eq!(relative(today, d(2027, 3, 17)), "in 2 days");
    }

    #[test]
    fn durations_read_like_a_clock() {
        let cases = [
            (0, "0 min"),
            (-5, "0 min"),
            (1, "1 min"),
            (45, "45 min"),
            (60, "1 h"),
            (784, "13 h 4 min"),
            (1440, "1 day"),
            (3060, "2 days 3 h"),
        ];
        for (m, want) in cases {
            assert_eq!(duration(m), want, "{m}");
        }
    }
}
