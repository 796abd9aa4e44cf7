//! The one reading of a message, built at the top of the step: the requests it makes
//! (each with the classifier's confidence), the details found in it, whether it corrects
//! something and whether it asks a question. Every dialogue state reads this value;
//! none classifies again. Pure.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::consent;
use super::extract::{self, Extracted};
use super::intent::looks_like_question;
use super::records::Change;
use super::{Field, State};
use crate::faq::Faq;
use crate::understand::{Expecting, Guess, Label, Slot, normalize};

/// Below this confidence a request is not acted on: the bot asks what was meant.
pub const SURE: f32 = 0.45;

/// A no in other words than the plain ones counts at this confidence.
pub const CONSENT_SURE: f32 = 0.8;

/// What one message says.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The requests, in the order made; never empty.
    pub requests: Vec<Guess>,
    /// Amounts, area, date, provider and title found in the message.
    pub found: Extracted,
    /// The message corrects something said before ("no, 2028 not 2027").
    pub correction: bool,
    /// The message asks a question.
    pub question: bool,
    /// Every label for the whole message, most likely first.
    pub ranking: Vec<Guess>,
    /// Yes or no said in so many words ("yep", "ugh no nevermind", "👍"): the message is
    /// nothing but that answer.
    pub plain: Option<bool>,
    /// The FAQ entry the matcher answers the message with, when it is confident.
    pub topic: Option<String>,
    /// The message names another organisation's certification ("how much is the NSCA
    /// renewal"): no answer about this one's fees and rules fits it.
    pub outside: bool,
}

impl Reading {
    /// The first request.
    #[must_use]
    pub fn first(&self) -> &Guess {
        &self.requests[0]
    }

    /// Whether the first request is confident enough to act on.
    #[must_use]
    pub fn sure(&self) -> bool {
        self.first().confidence >= SURE
    }

    /// Whether any request is `label`.
    #[must_use]
    pub fn asks(&self, label: &Label) -> bool {
        self.requests.iter().any(|g| &g.label == label)
    }

    /// The classifier's confidence in `label` for the whole message.
    #[must_use]
    pub fn confidence(&self, label: &Label) -> f32 {
        self.ranking
            .iter()
            .find(|g| &g.label == label)
            .map_or(0.0, |g| g.confidence)
    }

    /// The answer to a pending yes/no question. A yes is only ever said in so many words
    /// ("yep", "looks good", "👍"): it stores what was read back, so it is never the
    /// classifier's guess. A no, which stores nothing, may also be read with confidence
    /// ("I would prefer not to record this entry at present"). A correction ("no, it's
    /// 2028") is neither.
    #[must_use]
    pub fn consent(&self) -> Option<bool> {
        if self.plain.is_some() {
            return self.plain;
        }
        // The whole message must read as the answer, not one part of it (a part of digits
        // and symbols can look like a "yes").
        let whole = self.ranking.first()?;
        if whole.confidence < CONSENT_SURE
            || self.correction
            || self.requests.len() != 1
            || self.first().label != whole.label
        {
            return None;
        }
        match whole.label {
            Label::No | Label::Cancel => Some(false),
            _ => None,
        }
    }

    /// The requests' names (`log_ceu`, `faq:petition`, `answer`), in order.
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        self.requests.iter().map(|g| g.label.name()).collect()
    }
}

/// Reads `text`, sent at `now` (dates resolve in `tz`), while the bot is `expecting`.
#[must_use]
pub fn read(text: &str, expecting: Expecting, faq: &Faq, now: DateTime<Utc>, tz: Tz) -> Reading {
    let understanding = faq.understanding();
    let found = extract::extract(text, now, tz);
    let mut requests = understanding.requests(text, expecting);
    let ranked = understanding.classify(text, expecting);
    if let Expecting::Answer(slot) = expecting {
        answer_first(&mut requests, slot, &found);
    }
    if matches!(expecting, Expecting::Confirmation | Expecting::DateCheck) {
        settle(&mut requests, expecting, &found);
    }
    let correction = requests.iter().any(|g| g.label == Label::Edit);
    Reading {
        ranking: ranked,
        requests,
        question: looks_like_question(&normalize(text)),
        outside: faq.names_outside(text),
        topic: match faq.lookup(text) {
            crate::faq::FaqMatch::Answer { id, .. } => Some(id),
            _ => None,
        },
        plain: consent::yes_no(text),
        correction,
        found,
    }
}

/// While the dialogue waits for `slot`, a message giving it is the answer, unless it
/// clearly asks for something else (a correction, a cancel, a person).
fn answer_first(requests: &mut [Guess], slot: Slot, found: &Extracted) {
    let given = match slot {
        Slot::Hours => !found.amounts.is_empty(),
        Slot::Area => found.area.is_some(),
        Slot::Date => found.date.is_some(),
        Slot::Provider => found.provider.is_some(),
    };
    let first = &mut requests[0];
    let plain = matches!(
        first.label,
        Label::LogCeu | Label::Other | Label::Answer(_) | Label::Yes | Label::No
    ) || first.confidence < SURE;
    if given && plain {
        first.label = Label::Answer(slot);
        first.confidence = first.confidence.max(SURE);
    }
}

/// The reply to a pending yes/no question, said in several parts, as the one thing it
/// asks: "No. Not 2027, is 2028" (a no and a new date) corrects the date read back;
/// "no, the date is wrong" is a correction; "yes, delete all please" at /forget is a
/// yes; a correction followed by "save" still shows the summary again first.
fn settle(requests: &mut Vec<Guess>, expecting: Expecting, found: &Extracted) {
    let dated = found.date.is_some();
    let date_news = |l: &Label| matches!(l, Label::SetExpiration | Label::CprCard);
    if expecting == Expecting::DateCheck
        && dated
        && requests
            .iter()
            .any(|g| date_news(&g.label) || matches!(g.label, Label::No | Label::Edit))
    {
        let confidence = requests.iter().map(|g| g.confidence).fold(0.0, f32::max);
        requests.retain(|g| {
            !(date_news(&g.label) || matches!(g.label, Label::No | Label::Cancel | Label::Edit))
        });
        requests.insert(
            0,
            Guess {
                label: Label::Edit,
                confidence,
            },
        );
    }
    let declines = |l: &Label| matches!(l, Label::No | Label::Cancel);
    if requests.len() >= 2 && requests.iter().any(|g| g.label == Label::Edit) {
        // A correction: the no before it and a save or a course's details after it.
        requests.retain(|g| {
            g.label == Label::Edit
                || !(declines(&g.label) || matches!(g.label, Label::Yes | Label::LogCeu))
        });
    }
    if let Some(first) = requests.first().map(|g| g.label.clone()) {
        let restates = |l: &Label| match first {
            Label::Yes => matches!(l, Label::Yes | Label::Forget | Label::Delete),
            Label::No | Label::Cancel => declines(l),
            _ => false,
        };
        let mut i = 1;
        while i < requests.len() {
            if restates(&requests[i].label) {
                requests.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// What the bot waits for in `state`: the field the logging dialogue asked for, a yes
/// or no, or nothing.
#[must_use]
pub const fn expecting(state: &State) -> Expecting {
    match state {
        State::Asking { field, .. } => match field {
            Field::Amount => Expecting::Answer(Slot::Hours),
            Field::Area => Expecting::Answer(Slot::Area),
            Field::Date => Expecting::Answer(Slot::Date),
            Field::Provider => Expecting::Answer(Slot::Provider),
            Field::Title => Expecting::Nothing,
        },
        State::ConfirmingChange {
            change: Change::Expiration { .. } | Change::CprDate { .. },
        }
        | State::AwaitingNewExpiration { .. } => Expecting::DateCheck,
        State::Confirming { .. }
        | State::ConfirmingChange { .. }
        | State::ConfirmingDelete { .. }
        | State::ConfirmingDuplicate { .. }
        | State::ConfirmingForget
        | State::ConfirmingApplication { .. }
        | State::ConfirmingAuditSent { .. } => Expecting::Confirmation,
        _ => Expecting::Nothing,
    }
}
