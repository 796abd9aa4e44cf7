//! Reading continuing education out of free text: amount, area, completion date,
//! provider and course title. Pure: the message's instant and the trainer's time zone
//! come in as arguments.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::rules::{Area, Ceu, Provider};

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

/// Reads CE details from `text`, sent at `now`; relative dates ("yesterday", "last
/// Friday", "on the 10th") resolve in `tz` to the most recent such day.
#[must_use]
pub fn extract(text: &str, now: DateTime<Utc>, tz: Tz) -> Extracted {
    let _ = (text, now, tz);
    todo!("extraction helper")
}

/// Finds one date in `text` ("March 15, 2027", "3/15/2027", "2027-03-15", "yesterday").
/// `today` anchors relative words; a date without a year is the nearest such date
/// (`prefer_past` picks the most recent past one, else the next future one).
#[must_use]
pub fn find_date(text: &str, today: NaiveDate, prefer_past: bool) -> Option<DateMention> {
    let _ = (text, today, prefer_past);
    todo!("extraction helper")
}

/// The area a word or phrase names, with synonyms ("business" = client relations and
/// administration; "corrective exercise" = exercise technique).
#[must_use]
pub fn find_area(text: &str) -> Option<Area> {
    let _ = text;
    todo!("extraction helper")
}

/// Whether a message reports continuing education (rather than asking about it).
#[must_use]
pub fn looks_like_ce_log(text: &str, found: &Extracted) -> bool {
    let _ = (text, found);
    todo!("extraction helper")
}
