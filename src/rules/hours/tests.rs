//! Support hours at the edges: every opening and closing in winter (PST, UTC−8) and
//! summer (PDT, UTC−7), the DST switch days, closed dates, and the next opening. All
//! instants are written in UTC so the offsets themselves are under test.

use chrono::TimeZone;

use super::*;
use crate::rules::Policy;

fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

fn one_second_before(t: DateTime<Utc>) -> DateTime<Utc> {
    t - TimeDelta::seconds(1)
}

#[test]
fn default_hours_read_like_the_page() {
    let policy = Policy::embedded();
    assert_eq!(
        describe(&policy.hours),
        "Mon–Thu 5:00 AM–6:00 PM, Fri 5:00 AM–5:00 PM, Sat–Sun 7:00 AM–4:00 PM Pacific time"
    );
}

#[test]
fn open_exactly_from_opening_until_closing() {
    let hours = Policy::embedded().hours;
    // (what, opening instant in UTC, closing instant in UTC)
    let cases = [
        (
            "Tue Jan 13 PST 5-18",
            utc(2026, 1, 13, 13, 0),
            utc(2026, 1, 14, 2, 0),
        ),
        (
            "Tue Jul 14 PDT 5-18",
            utc(2026, 7, 14, 12, 0),
            utc(2026, 7, 15, 1, 0),
        ),
        (
            "Mon Jan 12 PST 5-18",
            utc(2026, 1, 12, 13, 0),
            utc(2026, 1, 13, 2, 0),
        ),
        (
            "Thu Jul 16 PDT 5-18",
            utc(2026, 7, 16, 12, 0),
            utc(2026, 7, 17, 1, 0),
        ),
        (
            "Fri Jan 16 PST 5-17",
            utc(2026, 1, 16, 13, 0),
            utc(2026, 1, 17, 1, 0),
        ),
        (
            "Fri Jul 17 PDT 5-17",
            utc(2026, 7, 17, 12, 0),
            utc(2026, 7, 18, 0, 0),
        ),
        (
            "Sat Jan 17 PST 7-16",
            utc(2026, 1, 17, 15, 0),
            utc(2026, 1, 18, 0, 0),
        ),
        (
            "Sun Jan 18 PST 7-16",
            utc(2026, 1, 18, 15, 0),
            utc(2026, 1, 19, 0, 0),
        ),
        (
            "Sat Jul 18 PDT 7-16",
            utc(2026, 7, 18, 14, 0),
            utc(2026, 7, 18, 23, 0),
        ),
        (
            "Sun Jul 19 PDT 7-16",
            utc(2026, 7, 19, 14, 0),
            utc(2026, 7, 19, 23, 0),
        ),
        // Spring forward at 02:00 on Sunday 2026-03-08: the day opens in PDT.
        (
            "Sat Mar 7 PST",
            utc(2026, 3, 7, 15, 0),
            utc(2026, 3, 8, 0, 0),
        ),
        (
            "Sun Mar 8 PDT",
            utc(2026, 3, 8, 14, 0),
            utc(2026, 3, 8, 23, 0),
        ),
        (
            "Mon Mar 9 PDT",
            utc(2026, 3, 9, 12, 0),
            utc(2026, 3, 10, 1, 0),
        ),
        // Fall back at 02:00 on Sunday 2026-11-01: the day opens in PST.
        (
            "Sat Oct 31 PDT",
            utc(2026, 10, 31, 14, 0),
            utc(2026, 10, 31, 23, 0),
        ),
        (
            "Sun Nov 1 PST",
            utc(2026, 11, 1, 15, 0),
            utc(2026, 11, 2, 0, 0),
        ),
        (
            "Mon Nov 2 PST",
            utc(2026, 11, 2, 13, 0),
            utc(2026, 11, 3, 2, 0),
        ),
    ];
    for (what, open, close) in cases {
        assert!(
            !is_open(&hours, one_second_before(open)),
            "{what}: before opening"
        );
        assert!(is_open(&hours, open), "{what}: at opening");
        assert!(
            is_open(&hours, one_second_before(close)),
            "{what}: before closing"
        );
        assert!(!is_open(&hours, close), "{what}: at closing");
        assert_eq!(
            closes_at(&hours, open),
            Some(close.with_timezone(&hours.timezone))
        );
        assert_eq!(closes_at(&hours, close), None, "{what}");
        assert_eq!(
            next_opening(&hours, one_second_before(open)),
            Some(open.with_timezone(&hours.timezone)),
            "{what}: next opening just before"
        );
    }
}

#[test]
fn a_closed_date_is_closed_all_day() {
    let hours = Policy::embedded().hours;
    // Thanksgiving, Thursday 2026-11-26 (PST): would be 13:00Z to 02:00Z.
    for t in [
        utc(2026, 11, 26, 13, 0),
        utc(2026, 11, 26, 20, 0),
        utc(2026, 11, 27, 1, 59),
    ] {
        assert!(!is_open(&hours, t), "{t}");
        assert_eq!(closes_at(&hours, t), None);
    }
    assert!(is_open(&hours, utc(2026, 11, 25, 20, 0)));
    assert!(is_open(&hours, utc(2026, 11, 27, 20, 0)));
}

#[test]
fn next_opening_skips_evenings_weekends_and_holidays() {
    let hours = Policy::embedded().hours;
    let cases = [
        // Friday evening -> Saturday 07:00
        (
            "Fri Jan 16 18:00 PST",
            utc(2026, 1, 17, 2, 0),
            utc(2026, 1, 17, 15, 0),
        ),
        (
            "Fri Jul 17 18:00 PDT",
            utc(2026, 7, 18, 1, 0),
            utc(2026, 7, 18, 14, 0),
        ),
        // Thanksgiving -> Friday 05:00
        (
            "Thanksgiving morning",
            utc(2026, 11, 26, 16, 0),
            utc(2026, 11, 27, 13, 0),
        ),
        (
            "Wed before Thanksgiving, evening",
            utc(2026, 11, 26, 3, 0),
            utc(2026, 11, 27, 13, 0),
        ),
        // While open, or exactly at opening: the next day's opening
        (
            "Tue Jan 13 noon",
            utc(2026, 1, 13, 20, 0),
            utc(2026, 1, 14, 13, 0),
        ),
        (
            "Tue Jan 13 at opening",
            utc(2026, 1, 13, 13, 0),
            utc(2026, 1, 14, 13, 0),
        ),
        // Saturday before the spring switch -> Sunday 07:00 PDT
        (
            "Sat Mar 7 evening",
            utc(2026, 3, 8, 1, 0),
            utc(2026, 3, 8, 14, 0),
        ),
        // Saturday before the fall switch -> Sunday 07:00 PST
        (
            "Sat Oct 31 evening",
            utc(2026, 11, 1, 1, 0),
            utc(2026, 11, 1, 15, 0),
        ),
        // Christmas Eve and Christmas -> Saturday Dec 26 07:00 PST
        (
            "Christmas",
            utc(2026, 12, 25, 18, 0),
            utc(2026, 12, 26, 15, 0),
        ),
    ];
    for (what, now, expected) in cases {
        let next = next_opening(&hours, now).unwrap();
        assert_eq!(next, expected.with_timezone(&hours.timezone), "{what}");
        assert!(next > now);
    }
    let from_friday = next_opening(&hours, utc(2026, 1, 17, 2, 0)).unwrap();
    assert_eq!(
        describe_instant(from_friday),
        "Saturday, Jan 17 at 7:00 AM Pacific time"
    );
}

#[test]
fn hours_that_never_open_have_no_next_opening() {
    let mut hours = Policy::embedded().hours;
    hours.monday = None;
    hours.tuesday = None;
    hours.wednesday = None;
    hours.thursday = None;
    hours.friday = None;
    hours.saturday = None;
    hours.sunday = None;
    let now = utc(2026, 1, 13, 20, 0);
    assert!(!is_open(&hours, now));
    assert_eq!(next_opening(&hours, now), None);
}

#[test]
fn an_opening_inside_the_spring_gap_moves_past_it() {
    let mut hours = Policy::embedded().hours;
    hours.sunday = Some(DayHours {
        open: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
        close: NaiveTime::from_hms_opt(4, 0, 0).unwrap(),
    });
    // 02:30 does not exist on 2026-03-08; 03:30 PDT (10:30Z) is the first instant after.
    let (open, close) = opening_on(&hours, NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()).unwrap();
    assert_eq!(open, utc(2026, 3, 8, 10, 30));
    assert_eq!(close, utc(2026, 3, 8, 11, 0));
}

#[test]
fn open_now_and_closed_now_say_when_in_a_few_words() {
    let hours = Policy::embedded().hours;
    let cases = [
        // Mon Nov 23, 2026, 10:00 PST
        (utc(2026, 11, 23, 18, 0), "open now, until 6:00 PM Pacific"),
        // Sun Nov 22, 2026, 20:00 PST: opens Monday at five
        (
            utc(2026, 11, 23, 4, 0),
            "closed now, opens Mon 5:00 AM Pacific",
        ),
        // Thanksgiving, Thu Nov 26, 2026, 10:00 PST
        (
            utc(2026, 11, 26, 18, 0),
            "closed today, Thu, Nov 26 (Thanksgiving), opens Fri 5:00 AM Pacific",
        ),
    ];
    for (now, want) in cases {
        assert_eq!(now_text(&hours, now), want);
    }
}

#[test]
fn closed_dates_near_are_named() {
    let hours = Policy::embedded().hours;
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let near: Vec<String> = closures_after(&hours, today, NEAR_DAYS)
        .into_iter()
        .map(closed_day)
        .collect();
    assert_eq!(near, ["Thu, Nov 26 (Thanksgiving)"]);
    let far = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
    assert!(closures_after(&hours, far, NEAR_DAYS).is_empty());
}

#[test]
fn a_later_opening_is_dated() {
    let hours = Policy::embedded().hours;
    let now = utc(2026, 11, 23, 18, 0);
    let next_week = hours
        .timezone
        .with_ymd_and_hms(2026, 12, 1, 5, 0, 0)
        .unwrap();
    assert_eq!(short_instant(next_week, now), "Tue, Dec 1, 5:00 AM Pacific");
}
