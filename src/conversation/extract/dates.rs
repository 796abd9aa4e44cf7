//! Dates in a message: explicit ones ("Nov 5, 2026", "11/15/2026", "2026-10-30",
//! "5th of November") and relative ones ("yesterday", "last Friday", "on the 10th",
//! "2 days ago"). All calendar arithmetic is chrono's.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeDelta, Weekday};
use chrono_tz::Tz;

use super::DateMention;
use super::tokens::{Kind, Token};

/// What relative words are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    /// The trainer's calendar day.
    pub today: NaiveDate,
    /// The trainer's local instant, when known ("3 hours ago" needs it).
    pub now: Option<DateTime<Tz>>,
    /// A date without a year (or a bare weekday) is the most recent past one, else the
    /// next one from today.
    pub prefer_past: bool,
}

/// The first explicit date in `tokens`, else the first relative one.
#[must_use]
pub fn scan(tokens: &[Token], anchor: &Anchor) -> Option<DateMention> {
    (0..tokens.len())
        .find_map(|i| explicit_at(tokens, i, anchor))
        .or_else(|| (0..tokens.len()).find_map(|i| relative_at(tokens, i, anchor)))
}

fn explicit_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    numeric_at(tokens, i, a)
        .or_else(|| month_first_at(tokens, i, a))
        .or_else(|| day_first_at(tokens, i, a))
}

/// "2026-10-30", "2026/10/30", "11/15/2026", "11-15-2026", "11/15/26", "11/15".
fn numeric_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    if i > 0 && tokens[i].glued && matches!(tokens[i - 1].kind, Kind::Num | Kind::Word) {
        return None;
    }
    let first = tokens.get(i).filter(|t| t.kind == Kind::Num)?;
    let sep = tokens
        .get(i + 1)
        .filter(|t| t.glued && (t.is_sym('/') || t.is_sym('-')))?;
    let second = tokens.get(i + 2).filter(|t| t.glued)?.int()?;
    let third = tokens
        .get(i + 3)
        .filter(|t| t.glued && t.text == sep.text)
        .and_then(|_| tokens.get(i + 4).filter(|t| t.glued))
        .and_then(Token::int);
    let end = if third.is_some() { i + 5 } else { i + 3 };
    if is_unit_or_glued_word(tokens, end) {
        return None; // "1/2 hour", "9-11am": not a date
    }
    let raw = raw_text(&tokens[i..end]);
    let first_len = first.text.len();
    let first = first.int()?;
    match third {
        Some(d) if first_len == 4 => Some(exact(first, second, d, raw)),
        Some(y) if [2, 4].contains(&tokens[i + 4].text.len()) && first_len <= 2 => {
            let year = if y < 100 { y + 2000 } else { y };
            Some(exact(year, first, second, raw))
        }
        None if sep.is_sym('/') && first_len <= 2 && tokens[i + 2].text.len() <= 2 => {
            Some(without_year(first, second, raw, a))
        }
        _ => None,
    }
}

/// "Nov 5, 2026", "November 5th", "nov. 16", "Oct 3rd 2026".
fn month_first_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let month = month(tokens.get(i)?)?;
    let mut j = i + 1;
    if tokens.get(j).is_some_and(|t| t.is_sym('.')) {
        j += 1;
    }
    if tokens.get(j).is_some_and(|t| t.is_word("the")) {
        j += 1;
    }
    let (day, j) = day_number(tokens, j)?;
    finish(tokens, i, j, month, day, a)
}

/// "5 November", "9th november", "the 5th of Nov 2026".
fn day_first_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let (day, mut j) = day_number(tokens, i)?;
    if tokens.get(j).is_some_and(|t| t.is_word("of")) {
        j += 1;
    }
    let month = month(tokens.get(j)?)?;
    j += 1;
    if tokens.get(j).is_some_and(|t| t.is_sym('.')) {
        j += 1;
    }
    finish(tokens, i, j, month, day, a)
}

/// Reads an optional ", 2026" after month and day and resolves the date.
fn finish(
    tokens: &[Token],
    i: usize,
    mut j: usize,
    month: u32,
    day: u32,
    a: &Anchor,
) -> Option<DateMention> {
    let comma = usize::from(tokens.get(j).is_some_and(|t| t.is_sym(',')));
    let year = tokens
        .get(j + comma)
        .filter(|t| t.kind == Kind::Num && t.text.len() == 4)
        .and_then(Token::int);
    if year.is_some() {
        j += comma + 1;
    }
    let raw = raw_text(&tokens[i..j]);
    Some(match year {
        Some(y) => exact(y, month, day, raw),
        None => without_year(month, day, raw, a),
    })
}

/// A day of the month: `5`, `5th`, `3rd` (one or two digits).
fn day_number(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    let t = tokens
        .get(i)
        .filter(|t| t.kind == Kind::Num && t.text.len() <= 2)?;
    let day = t.int()?;
    let ordinal = tokens
        .get(i + 1)
        .is_some_and(|s| s.glued && ["st", "nd", "rd", "th"].contains(&s.text.as_str()));
    Some((day, i + 1 + usize::from(ordinal)))
}

fn month(t: &Token) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if t.kind != Kind::Word {
        return None;
    }
    let w = t.text.as_str();
    let found = NAMES
        .iter()
        .position(|n| *n == w || (w.len() >= 3 && w.len() <= 4 && n.starts_with(w)))?;
    u32::try_from(found + 1).ok()
}

fn exact(year: u32, month: u32, day: u32, raw: String) -> DateMention {
    i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .map_or(DateMention::Invalid(raw), DateMention::On)
}

/// A month and day without a year: the most recent past (or next future) such date.
/// A day that exists in no year within eight ("Feb 30") is invalid.
fn without_year(month: u32, day: u32, raw: String, a: &Anchor) -> DateMention {
    let found = (0..=8).find_map(|back: i32| {
        let year = if a.prefer_past {
            a.today.year() - back
        } else {
            a.today.year() + back
        };
        NaiveDate::from_ymd_opt(year, month, day).filter(|d| {
            if a.prefer_past {
                *d <= a.today
            } else {
                *d >= a.today
            }
        })
    });
    found.map_or(DateMention::Invalid(raw), DateMention::On)
}

fn is_unit_or_glued_word(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| {
        t.kind == Kind::Word
            && (t.glued
                || [
                    "h", "hr", "hrs", "hour", "hours", "min", "mins", "minutes", "ceu", "ceus",
                ]
                .contains(&t.text.as_str()))
    })
}

/// Tokens as text again, for an invalid date's message.
fn raw_text(tokens: &[Token]) -> String {
    let mut s = String::new();
    for t in tokens {
        if !t.glued && !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

fn relative_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let t = tokens.get(i)?;
    let word = |k: usize, w: &str| tokens.get(i + k).is_some_and(|t| t.is_word(w));
    let day = match t.text.as_str() {
        "today" | "tonight" | "tonite" | "tdy" => Some(a.today),
        "this"
            if ["morning", "afternoon", "evening"]
                .iter()
                .any(|w| word(1, w)) =>
        {
            Some(a.today)
        }
        "day" if word(1, "before") && word(2, "yesterday") => {
            a.today.checked_sub_days(Days::new(2))
        }
        "yesterday" | "yday" | "yest" | "ystd" | "yesterdy" => a.today.pred_opt(),
        "last" if word(1, "night") => a.today.pred_opt(),
        "tomorrow" | "tmrw" | "tmr" | "tmw" | "tomorow" => a.today.succ_opt(),
        "last" | "next" | "this" | "on" | "past" => return weekday_at(tokens, i + 1, t, a),
        "the" => return day_of_month_at(tokens, i + 1, a),
        _ if t.kind == Kind::Word && weekday(t).is_some() && !prev_is_modifier(tokens, i) => {
            return weekday_at(tokens, i, t, a);
        }
        _ => return ago_at(tokens, i, a),
    };
    day.map(DateMention::On)
}

fn prev_is_modifier(tokens: &[Token], i: usize) -> bool {
    i > 0 && ["last", "next", "this", "on", "past"].contains(&tokens[i - 1].text.as_str())
}

/// "friday", "last Friday", "on fri", "next monday".
fn weekday_at(tokens: &[Token], i: usize, modifier: &Token, a: &Anchor) -> Option<DateMention> {
    let target = weekday(tokens.get(i)?)?;
    let (start, backwards) = match modifier.text.as_str() {
        "last" | "past" => (a.today.pred_opt()?, true),
        "next" => (a.today.succ_opt()?, false),
        _ => (a.today, a.prefer_past),
    };
    let step = |d: NaiveDate| {
        if backwards {
            d.pred_opt()
        } else {
            d.succ_opt()
        }
    };
    std::iter::successors(Some(start), |d| step(*d))
        .take(7)
        .find(|d| d.weekday() == target)
        .map(DateMention::On)
}

fn weekday(t: &Token) -> Option<Weekday> {
    let day = match t.text.as_str() {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" | "weds" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// "the 10th": the most recent past (or next) 10th of a month.
fn day_of_month_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let (day, j) = day_number(tokens, i)?;
    let ordinal = j == i + 2;
    let next_is_word = tokens
        .get(j)
        .is_some_and(|t| t.kind == Kind::Word && !t.is_word("at"));
    if !ordinal || next_is_word {
        return None;
    }
    let first = a.today.with_day(1)?;
    let found = (0..=12).find_map(|k| {
        let month = if a.prefer_past {
            first.checked_sub_months(Months::new(k))
        } else {
            first.checked_add_months(Months::new(k))
        };
        month?.with_day(day).filter(|d| {
            if a.prefer_past {
                *d <= a.today
            } else {
                *d >= a.today
            }
        })
    });
    Some(found.map_or_else(
        || DateMention::Invalid(raw_text(&tokens[i - 1..j])),
        DateMention::On,
    ))
}

/// "2 days ago", "a week ago", "three weeks ago", "3 hours ago".
fn ago_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let t = tokens.get(i)?;
    let n: i64 = match t.text.as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        _ => i64::from(t.int()?),
    };
    let unit = tokens.get(i + 1)?.text.as_str();
    if !tokens.get(i + 2).is_some_and(|t| t.is_word("ago")) {
        return None;
    }
    let date = match unit {
        "day" | "days" => a.today.checked_sub_signed(TimeDelta::try_days(n)?),
        "week" | "weeks" | "wk" | "wks" => a.today.checked_sub_signed(TimeDelta::try_weeks(n)?),
        "hour" | "hours" | "hr" | "hrs" | "h" | "min" | "mins" | "minutes" => {
            let delta = if unit.starts_with('h') {
                TimeDelta::try_hours(n)?
            } else {
                TimeDelta::try_minutes(n)?
            };
            Some(a.now.map_or(Some(a.today), |now| {
                now.checked_sub_signed(delta).map(|d| d.date_naive())
            })?)
        }
        _ => None,
    };
    date.map(DateMention::On)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(text: &str, today: &str, prefer_past: bool) -> Option<DateMention> {
        let a = Anchor {
            today: d(today),
            now: None,
            prefer_past,
        };
        scan(&tokenize(text), &a)
    }

    #[test]
    fn reads_each_date_form() {
        // 2026-11-23 is a Monday
        let cases = [
            ("yesterday", "2026-11-22"),
            ("today", "2026-11-23"),
            ("this morning", "2026-11-23"),
            ("tonight", "2026-11-23"),
            ("last Friday", "2026-11-20"),
            ("on Friday", "2026-11-20"),
            ("last monday", "2026-11-16"),
            ("on the 10th", "2026-11-10"),
            ("the 30th", "2026-10-30"),
            ("Nov 5, 2026", "2026-11-05"),
            ("November 5th", "2026-11-05"),
            ("nov. 16", "2026-11-16"),
            ("11/15/2026", "2026-11-15"),
            ("11/15/26", "2026-11-15"),
            ("11/15", "2026-11-15"),
            ("11-15-2026", "2026-11-15"),
            ("2026-10-30", "2026-10-30"),
            ("November 1", "2026-11-01"),
            ("Dec 1", "2025-12-01"),
            ("the 5th of November", "2026-11-05"),
            ("9th nov 2026", "2026-11-09"),
            ("2 days ago", "2026-11-21"),
            ("a week ago", "2026-11-16"),
            ("day before yesterday", "2026-11-21"),
            ("tomorrow", "2026-11-24"),
            ("Nov 16 2026", "2026-11-16"),
        ];
        for (text, want) in cases {
            assert_eq!(
                at(text, "2026-11-23", true),
                Some(DateMention::On(d(want))),
                "{text}"
            );
        }
    }

    #[test]
    fn future_preference_for_expirations() {
        let cases = [
            ("my certification expires on March 15", "2027-03-15"),
            ("expires 11/30", "2026-11-30"),
            ("expires on friday", "2026-11-27"),
            ("on the 10th", "2026-12-10"),
        ];
        for (text, want) in cases {
            assert_eq!(
                at(text, "2026-11-23", false),
                Some(DateMention::On(d(want))),
                "{text}"
            );
        }
    }

    #[test]
    fn invalid_dates_are_reported_as_written() {
        for (text, raw) in [
            ("Feb 30", "feb 30"),
            ("13/45/2026", "13/45/2026"),
            ("2026-02-30", "2026-02-30"),
        ] {
            assert_eq!(
                at(text, "2026-11-23", true),
                Some(DateMention::Invalid(raw.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn leap_day_without_year_finds_a_leap_year() {
        assert_eq!(
            at("feb 29", "2026-11-23", true),
            Some(DateMention::On(d("2024-02-29")))
        );
    }

    #[test]
    fn amounts_and_vague_words_are_not_dates() {
        for text in [
            "1/2 hour",
            "4 hours",
            "last week",
            "in 2026",
            "the 2nd course",
            "may I log",
        ] {
            assert_eq!(at(text, "2026-11-23", true), None, "{text}");
        }
    }

    #[test]
    fn explicit_date_beats_relative_words() {
        let got = at(
            "from last week's seminar, finished Nov 16",
            "2026-11-23",
            true,
        );
        assert_eq!(got, Some(DateMention::On(d("2026-11-16"))));
    }
}
