//! The date pieces both readers of dates share (explicit dates in `dates`, relative
//! ones in `relative`): what a date is resolved against, a day-of-month number, and
//! tokens written back as text. Its own module so neither reader imports the other's.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use super::tokens::{Kind, Token};

/// What relative words are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    /// The trainer's calendar day.
    pub today: NaiveDate,
    /// The trainer's local instant, when known ("3 hours ago" needs it).
    pub now: Option<DateTime<Tz>>,
    /// Which date the reader is after.
    pub sought: Sought,
    /// A year the trainer gave on its own, used for a date written without one (set by
    /// `dates::scan`).
    pub year: Option<i32>,
}

/// Which date a reader is after, and so which way a date without a year (or a bare
/// weekday) resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sought {
    /// A completion date: the most recent past one; a date announced as an expiration or
    /// a deadline ("my cert expires March 15") is passed over.
    Completion,
    /// A date said in the past tense ("it expired oct 1"): the most recent past one.
    Past,
    /// A date to come: the next one from today.
    Upcoming,
}

/// Which way from today a date without a year (or a bare weekday) is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Toward {
    Past,
    Future,
}

impl Sought {
    pub(super) const fn toward(self) -> Toward {
        match self {
            Self::Completion | Self::Past => Toward::Past,
            Self::Upcoming => Toward::Future,
        }
    }
}

/// A day of the month: `5`, `5th`, `3rd` (one or two digits).
pub(super) fn day_number(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    let t = tokens
        .get(i)
        .filter(|t| t.kind == Kind::Num && t.text.len() <= 2)?;
    let day = t.int()?;
    let ordinal = tokens
        .get(i + 1)
        .is_some_and(|s| s.glued && ["st", "nd", "rd", "th"].contains(&s.text.as_str()));
    Some((day, i + 1 + usize::from(ordinal)))
}

/// Tokens as text again, for an invalid date's message.
pub(super) fn raw_text(tokens: &[Token]) -> String {
    let mut s = String::new();
    for t in tokens {
        if !t.glued && !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}
