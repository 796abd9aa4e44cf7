//! Dates given relative to today: "yesterday", "tonight", "last Friday", "on the 10th",
//! "2 days ago", "3 hours ago". All calendar arithmetic is chrono's.

use chrono::{Datelike, Days, Months, NaiveDate, TimeDelta, Weekday};

use super::DateMention;
use super::day::{Anchor, Toward, day_number, raw_text};
use super::tokens::{Kind, Token};

/// The relative date starting at token `i`, if any.
pub(super) fn relative_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
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
        "last" if word(1, "night") || word(1, "nite") => a.today.pred_opt(),
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
    let (start, toward) = match modifier.text.as_str() {
        "last" | "past" => (a.today.pred_opt()?, Toward::Past),
        "next" => (a.today.succ_opt()?, Toward::Future),
        _ => (a.today, a.sought.toward()),
    };
    let step = |d: NaiveDate| match toward {
        Toward::Past => d.pred_opt(),
        Toward::Future => d.succ_opt(),
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
        let month = match a.sought.toward() {
            Toward::Past => first.checked_sub_months(Months::new(k)),
            Toward::Future => first.checked_add_months(Months::new(k)),
        };
        month?.with_day(day).filter(|d| match a.sought.toward() {
            Toward::Past => *d <= a.today,
            Toward::Future => *d >= a.today,
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
