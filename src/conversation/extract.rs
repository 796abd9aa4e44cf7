//! Reading continuing education out of free text: amount, area, completion date,
//! provider and course title. Pure: the message's instant and the trainer's time zone
//! come in as arguments.

//!
//! Only the first [`MAX_SCAN_CHARS`] characters of a message are read (Telegram's
//! message limit), so every scan is bounded and linear in that prefix. Nothing here
//! panics on any input.

mod amount;
mod area;
mod courses;
mod cues;
mod dates;
mod day;
mod relative;
// The one tokenizer, shared with the classifier and the FAQ matcher.
use crate::understand::tokens;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::rules::{Area, Ceu, Provider};

pub use courses::{MAX_COURSES, courses};
pub use day::Sought;
pub use tokens::MAX_SCAN_CHARS;

/// A date the trainer mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateMention {
    /// A real calendar date (relative words already resolved).
    On(NaiveDate),
    /// Looked like a date but is not one ("Feb 30", "13/45/2026"): the text as written.
    Invalid(String),
}

/// An amount the trainer mentioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountMention {
    /// An exact, positive amount.
    Amount(Ceu),
    /// Zero ("0 hours").
    Zero,
    /// Negative ("-2 hours").
    Negative,
    /// Too large to represent or finer than a contact minute (400 digits, 0.0001 CEU).
    Unreadable,
    /// Credits that are neither hours nor CEUs ("3 credit class", "3 semester credits"):
    /// asked about, never stored as CEUs.
    Credits,
}

/// Everything found in one message; absent parts are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Every distinct amount mentioned, in order. Two or more different ones are a
    /// contradiction the dialogue must ask about.
    pub amounts: Vec<AmountMention>,
    pub area: Option<Area>,
    pub date: Option<DateMention>,
    pub provider: Option<Provider>,
    pub title: Option<String>,
    /// The tense the message was said in (its dates are read in it).
    pub tense: Tense,
}

impl Extracted {
    /// Whether anything at all was found.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.amounts.is_empty()
            && self.area.is_none()
            && self.date.is_none()
            && self.provider.is_none()
            && self.title.is_none()
    }
}

/// Why a message's CE details cannot be stored as they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No amount with a unit.
    NoAmount,
    /// Two or more different amounts ("2 hours or 3 hours").
    Contradiction(Vec<AmountMention>),
    Zero,
    Negative,
    Unreadable,
    /// Credits that are neither hours nor CEUs.
    Credits,
    /// More than the policy allows for one course.
    Implausible(Ceu),
    /// A date that does not exist, as written.
    InvalidDate(String),
    /// A completion date after the trainer's today.
    FutureDate(NaiveDate),
}

impl Extracted {
    /// The first reason these details cannot be logged as a completed course on
    /// `today` (the trainer's calendar day) with at most `max` per course (the policy's
    /// `certification.max_course_hours`, the limit the dialogue applies); `None` when
    /// amount and date (if any) are fine. A missing area or date is not a problem here:
    /// the dialogue asks for it.
    #[must_use]
    pub fn problem(&self, today: NaiveDate, max: Ceu) -> Option<Problem> {
        let amount_problem = match self.amounts.as_slice() {
            [] => Some(Problem::NoAmount),
            [AmountMention::Zero] => Some(Problem::Zero),
            [AmountMention::Negative] => Some(Problem::Negative),
            [AmountMention::Unreadable] => Some(Problem::Unreadable),
            [AmountMention::Credits] => Some(Problem::Credits),
            [AmountMention::Amount(c)] if *c > max => Some(Problem::Implausible(*c)),
            [AmountMention::Amount(_)] => None,
            many => Some(Problem::Contradiction(many.to_vec())),
        };
        amount_problem.or_else(|| match &self.date {
            Some(DateMention::Invalid(raw)) => Some(Problem::InvalidDate(raw.clone())),
            Some(DateMention::On(d)) if *d > today => Some(Problem::FutureDate(*d)),
            _ => None,
        })
    }
}

/// Reads CE details from `text`, sent at `now`; relative dates ("yesterday", "last
/// Friday", "on the 10th") resolve in `tz` to the most recent such day, and a date
/// without a year to its most recent past occurrence.
#[must_use]
pub fn extract(text: &str, now: DateTime<Utc>, tz: Tz) -> Extracted {
    let toks = tokens::tokenize(text);
    let local = now.with_timezone(&tz);
    let anchor = dates::Anchor {
        today: local.date_naive(),
        now: Some(local),
        sought: Sought::Completion,
        year: None,
    };
    Extracted {
        amounts: amount::amounts(&toks),
        area: area::find(&toks),
        date: dates::scan(&toks, &anchor),
        provider: cues::provider(&toks),
        title: cues::title(text),
        tense: tense_of(&toks),
    }
}

/// The trainer's calendar day at `now` in `tz`.
#[must_use]
pub fn local_today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// Finds one date in `text` ("March 15, 2027", "3/15/2027", "2027-03-15", "yesterday").
/// `today` anchors relative words; a date without a year is the nearest such date, the
/// way `sought` says.
#[must_use]
pub fn find_date(text: &str, today: NaiveDate, sought: Sought) -> Option<DateMention> {
    let anchor = dates::Anchor {
        today,
        now: None,
        sought,
        year: None,
    };
    dates::scan(&tokens::tokenize(text), &anchor)
}

/// The tense a message is said in, as far as dates go: "it expired oct 1" is the past,
/// "it expires oct 1" the future.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tense {
    /// "expired", "lapsed", "ran out", "was due", "did", "took", "finished".
    Past,
    /// Neither said.
    #[default]
    Present,
    /// "expires", "will", "is expiring", "next".
    Future,
}

/// The tense of `text`: past when it says "expired", "lapsed", "ran out", "ended",
/// "was due", "did", "took" or "finished" (and nothing of the future), future when it
/// says "expires", "will", "expiring" or "next", else the present.
#[must_use]
pub fn tense(text: &str) -> Tense {
    tense_of(&tokens::tokenize(text))
}

fn tense_of(toks: &[tokens::Token]) -> Tense {
    let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    let past = words.iter().enumerate().any(|(i, w)| {
        matches!(
            *w,
            "expired"
                | "lapsed"
                | "ended"
                | "ran"
                | "passed"
                | "elapsed"
                | "did"
                | "took"
                | "finished"
                | "completed"
                | "attended"
        ) || (*w == "was" && words.get(i + 1).is_some_and(|n| *n == "due"))
    });
    let future = words.iter().any(|w| {
        matches!(
            *w,
            "will" | "expires" | "expiring" | "expire" | "lapses" | "next" | "upcoming"
        )
    });
    match (past, future) {
        (true, false) => Tense::Past,
        (_, true) => Tense::Future,
        (false, false) => Tense::Present,
    }
}

/// An expiration date in `text`, read in the tense it was said in: "it expired oct 1"
/// is the most recent Oct 1, "it expires oct 1" the next one; a year the trainer gave
/// is the year used. Dates announced as an expiration are what is wanted here.
#[must_use]
pub fn expiry_date(text: &str, today: NaiveDate) -> (Option<DateMention>, Tense) {
    let tense = tense(text);
    let anchor = dates::Anchor {
        today,
        now: None,
        sought: if tense == Tense::Past {
            Sought::Past
        } else {
            Sought::Upcoming
        },
        year: None,
    };
    (dates::scan(&tokens::tokenize(text), &anchor), tense)
}

/// Whether `text` corrects something said before: "actually", "not", "wrong", "hold
/// on", "should be", "I meant", "oops".
#[must_use]
pub fn is_correction(text: &str) -> bool {
    cues::correction(&tokens::tokenize(text))
}

/// The year a message gives on its own ("its 2028 not 2027" gives 2028), if any.
#[must_use]
pub fn year_in(text: &str) -> Option<i32> {
    dates::given_year(&tokens::tokenize(text))
}

/// Whether `text` names a date outright ("March 15, 2027", "3/15/2027"), not only a
/// weekday or a relative word ("on sunday", "yesterday").
#[must_use]
pub fn has_explicit_date(text: &str, today: NaiveDate) -> bool {
    let anchor = dates::Anchor {
        today,
        now: None,
        sought: Sought::Upcoming,
        year: None,
    };
    dates::explicit(&tokens::tokenize(text), &anchor).is_some()
}

/// The area a word or phrase names, with synonyms ("business" = client relations and
/// administration; "corrective exercise" = exercise technique).
#[must_use]
pub fn find_area(text: &str) -> Option<Area> {
    area::find(&tokens::tokenize(text))
}

/// Whether `text` logs continuing education (as opposed to asking about it): an amount
/// with a unit, a completion verb with a course word, or "log/add/record" with either.
/// A question mark, a question word first, or "need/left/still" rule it out unless the
/// trainer explicitly asks to log.
#[must_use]
pub fn looks_like_ce_log(text: &str, found: &Extracted) -> bool {
    cues::looks_like_log(&tokens::tokenize(text), !found.amounts.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn expiration_dates_are_read_in_their_tense() {
        let today = d("2026-12-01");
        let cases = [
            ("it expired oct 1", "2026-10-01", Tense::Past),
            ("my cert expires oct 1", "2027-10-01", Tense::Future),
            (
                "it lapsed on the 3rd of november",
                "2026-11-03",
                Tense::Past,
            ),
            ("it ran out in august, the 9th", "2026-08-09", Tense::Past),
        ];
        for (text, want, tense) in cases {
            assert_eq!(
                expiry_date(text, today),
                (Some(DateMention::On(d(want))), tense),
                "{text}"
            );
        }
    }

    #[test]
    fn weekdays_are_not_explicit_dates() {
        let today = d("2026-12-01");
        assert!(!has_explicit_date("are u open on sunday", today));
        assert!(!has_explicit_date("yesterday", today));
        assert!(has_explicit_date("3/15/2027", today));
        assert!(has_explicit_date("March 15", today));
    }
}
