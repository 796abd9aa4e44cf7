//! Dates in a message: explicit ones ("Nov 5, 2026", "11/15/2026", "2026-10-30",
//! "5th of November") and relative ones ("yesterday", "last Friday", "on the 10th",
//! "2 days ago"). All calendar arithmetic is chrono's.

use chrono::{Datelike, Days, NaiveDate};

use super::DateMention;
pub use super::day::{Anchor, Sought};
use super::day::{Toward, day_number, raw_text};
use super::relative;
use super::tokens::{Kind, Token};

/// The first explicit date in `tokens`, else the first relative one.
/// Looking for a completion date ([`Sought::Completion`]), a date announced as an
/// expiration or a deadline ("my cert expires March 15") is passed over.
#[must_use]
pub fn scan(tokens: &[Token], anchor: &Anchor) -> Option<DateMention> {
    let wanted = |i: &usize| !(anchor.sought == Sought::Completion && about_expiry(tokens, *i));
    let anchor = &Anchor {
        year: given_year(tokens),
        ..*anchor
    };
    (0..tokens.len())
        .filter(wanted)
        .find_map(|i| explicit_at(tokens, i, anchor))
        .or_else(|| {
            (0..tokens.len())
                .filter(wanted)
                .find_map(|i| relative::relative_at(tokens, i, anchor))
        })
}

/// A year the trainer gave on its own ("sometime in march 2028? march 3rd"): four
/// digits from 2000 to 2099, not inside a full date and not the year of a correction
/// ("2028 not 2027" gives 2028).
/// The first explicit date in `tokens` (no relative words, no weekdays).
#[must_use]
pub fn explicit(tokens: &[Token], anchor: &Anchor) -> Option<DateMention> {
    (0..tokens.len()).find_map(|i| explicit_at(tokens, i, anchor))
}

pub(super) fn given_year(tokens: &[Token]) -> Option<i32> {
    (0..tokens.len()).find_map(|i| {
        let t = &tokens[i];
        let year = i32::try_from(t.int()?)
            .ok()
            .filter(|y| t.text.len() == 4 && (2000..2100).contains(y))?;
        let numeric_sym = |k: &Token| k.is_sym('/') || k.is_sym('-') || k.is_sym('.');
        let before = |k: usize| i.checked_sub(k).map(|j| &tokens[j]);
        let after_day = match before(1) {
            Some(p) if p.is_sym(',') => before(2).is_some_and(|q| q.kind == Kind::Num),
            Some(p) => p.kind == Kind::Num || (t.glued && numeric_sym(p)),
            None => false,
        } || before(1)
            .is_some_and(|p| ["st", "nd", "rd", "th"].contains(&p.text.as_str()));
        let inside = tokens.get(i + 1).is_some_and(|n| n.glued && numeric_sym(n));
        let negated = before(1).is_some_and(|p| p.is_word("not"));
        (!after_day && !inside && !negated).then_some(year)
    })
}

fn about_expiry(tokens: &[Token], i: usize) -> bool {
    tokens[i.saturating_sub(3)..i].iter().any(|t| {
        matches!(
            t.text.as_str(),
            "expire"
                | "expires"
                | "expired"
                | "expiring"
                | "expiration"
                | "exp"
                | "renew"
                | "renewal"
                | "due"
                | "deadline"
        )
    })
}

fn explicit_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    numeric_at(tokens, i, a)
        .or_else(|| dotted_at(tokens, i))
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

/// "11.20.2026": read by the tokenizer as `11.20` and `.2026`.
fn dotted_at(tokens: &[Token], i: usize) -> Option<DateMention> {
    let (md, y) = (tokens.get(i)?, tokens.get(i + 1)?);
    if md.kind != Kind::Num || y.kind != Kind::Num || !y.glued {
        return None;
    }
    let (m, d) = md.text.split_once('.')?;
    let year = y.text.strip_prefix('.')?;
    if m.is_empty() || m.len() > 2 || d.len() > 2 || ![2, 4].contains(&year.len()) {
        return None;
    }
    let (m, d, y): (u32, u32, u32) = (m.parse().ok()?, d.parse().ok()?, year.parse().ok()?);
    let y = if y < 100 { y + 2000 } else { y };
    Some(exact(y, m, d, format!("{}{}", md.text, y)))
}

/// "Nov 5, 2026", "November 5th", "nov. 16", "Oct 3rd 2026".
fn month_first_at(tokens: &[Token], i: usize, a: &Anchor) -> Option<DateMention> {
    let month = month(tokens.get(i)?)?;
    let mut j = i + 1;
    if tokens.get(j).is_some_and(|t| t.is_sym('.')) {
        j += 1;
    }
    // "in january, the 20th": the comma only before "the" and an ordinal day.
    let comma = tokens.get(j).is_some_and(|t| t.is_sym(','))
        && tokens.get(j + 1).is_some_and(|t| t.is_word("the"));
    j += usize::from(comma);
    if tokens.get(j).is_some_and(|t| t.is_word("the")) {
        j += 1;
    }
    let (day, end) = day_number(tokens, j)?;
    if comma && end != j + 2 {
        return None;
    }
    finish(tokens, i, end, month, day, a)
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
/// A day that exists in no year within eight ("Feb 30") is invalid. Looking for a past
/// date, one that falls in the coming week stays in this year (a future date the
/// dialogue questions) rather than silently becoming last year's.
fn without_year(month: u32, day: u32, raw: String, a: &Anchor) -> DateMention {
    if let Some(d) = a.year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day)) {
        return DateMention::On(d);
    }
    let soon = NaiveDate::from_ymd_opt(a.today.year(), month, day).filter(|d| {
        a.sought.toward() == Toward::Past
            && *d > a.today
            && a.today.checked_add_days(Days::new(7)) >= Some(*d)
    });
    if let Some(d) = soon {
        return DateMention::On(d);
    }
    let found = (0..=8).find_map(|back: i32| {
        let year = match a.sought.toward() {
            Toward::Past => a.today.year() - back,
            Toward::Future => a.today.year() + back,
        };
        NaiveDate::from_ymd_opt(year, month, day).filter(|d| match a.sought.toward() {
            Toward::Past => *d <= a.today,
            Toward::Future => *d >= a.today,
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

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(text: &str, today: &str, sought: Sought) -> Option<DateMention> {
        let a = Anchor {
            today: d(today),
            now: None,
            sought,
            year: None,
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
            ("11/25", "2026-11-25"),
            ("Dec 2", "2025-12-02"),
            (
                "did 2 hrs. my cert expires march 15. yesterday",
                "2026-11-22",
            ),
            ("the 5th of November", "2026-11-05"),
            ("9th nov 2026", "2026-11-09"),
            ("2 days ago", "2026-11-21"),
            ("a week ago", "2026-11-16"),
            ("day before yesterday", "2026-11-21"),
            ("tomorrow", "2026-11-24"),
            ("Nov 16 2026", "2026-11-16"),
            ("11.20.2026", "2026-11-20"),
            ("last nite", "2026-11-22"),
        ];
        for (text, want) in cases {
            assert_eq!(
                at(text, "2026-11-23", Sought::Completion),
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
                at(text, "2026-11-23", Sought::Upcoming),
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
                at(text, "2026-11-23", Sought::Completion),
                Some(DateMention::Invalid(raw.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn leap_day_without_year_finds_a_leap_year() {
        assert_eq!(
            at("feb 29", "2026-11-23", Sought::Completion),
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
            assert_eq!(at(text, "2026-11-23", Sought::Completion), None, "{text}");
        }
    }

    #[test]
    fn a_year_given_apart_is_the_year_used() {
        let cases = [
            (
                "umm i think its sometime in march 2028? march 3rd",
                "2028-03-03",
            ),
            ("march 3rd 2028", "2028-03-03"),
            ("in january, the 20th", "2027-01-20"),
            ("its 2028 not 2027, march 15", "2028-03-15"),
        ];
        for (text, want) in cases {
            assert_eq!(
                at(text, "2026-12-01", Sought::Upcoming),
                Some(DateMention::On(d(want))),
                "{text}"
            );
        }
        // a year inside a full date is that date's alone
        assert_eq!(
            at(
                "did 2 hrs nov 5; cert expires march 15, 2027",
                "2026-12-01",
                Sought::Completion
            ),
            Some(DateMention::On(d("2026-11-05")))
        );
        // "january, 3 hours" is no date
        assert_eq!(
            at("in january, 3 hours", "2026-12-01", Sought::Completion),
            None
        );
    }

    #[test]
    fn explicit_date_beats_relative_words() {
        let got = at(
            "from last week's seminar, finished Nov 16",
            "2026-11-23",
            Sought::Completion,
        );
        assert_eq!(got, Some(DateMention::On(d("2026-11-16"))));
    }
}
