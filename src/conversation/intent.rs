//! What an idle message asks for, read from the message's one [`Reading`] into an
//! [`Intent`] and dispatched with a `match` in the step. The classifier chooses; regular
//! expressions only find slots (a month named without its day). Pure.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::Expiring;
use super::extract::{self, DateMention, Extracted};
use super::reading::{Reading, SURE};
use crate::domain::Switch;
use crate::understand::Label;

mod question;
pub use crate::understand::normalize;
pub use question::looks_like_question;

/// The longest message the bot reads; longer ones get a polite request to shorten.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// A slash command (`/status`, `/delete 2`, `/reminders off`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Status,
    Ceus,
    Cancel,
    Human,
    Reminders(Option<Switch>),
    Forget,
    Export,
    Undo,
    Delete(Option<usize>),
    Edit(Option<usize>),
    Log,
    Topics,
    Unknown(String),
}

/// A lone word that means a command ("help", "cancel", "status", "menu").
fn bare_command(text: &str) -> Option<Command> {
    let word = normalize(text);
    Some(match word.trim_end_matches(['.', '!']) {
        "help" | "help me" | "help please" | "can you help me" | "can you help" | "i need help"
        | "what can you do" | "what do you do" => Command::Help,
        "cancel" | "never mind" | "nevermind" | "forget it" | "stop" | "stop that" | "quit"
        | "exit" => Command::Cancel,
        "status" | "my status" => Command::Status,
        "menu" | "topics" | "faq" => Command::Topics,
        "delete everything" | "delete my data" | "delete all my data" | "delete my account"
        | "erase my data" | "forget me" | "remove my data" => Command::Forget,
        "undo" => Command::Undo,
        _ => return None,
    })
}

/// Whether an intent is strong enough to interrupt a dialogue (the trainer changed
/// the subject) rather than being read as an answer.
#[must_use]
pub const fn interrupts(intent: &Intent) -> bool {
    matches!(
        intent,
        Intent::Human
            | Intent::Status
            | Intent::Reminders(_)
            | Intent::UndoLast
            | Intent::Audit { .. }
            | Intent::AuditSent
            | Intent::Applied
            | Intent::RecertifyForLife
            | Intent::PetitionApproved
            | Intent::PetitionDeclined
            | Intent::Register { .. }
            | Intent::Question
            | Intent::Topic { .. }
            | Intent::Fees
    )
}

/// What an idle message asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Command(Command),
    Empty,
    TooLong,
    Greeting,
    Thanks,
    Human,
    Status,
    /// "What will I pay?": the fee answer with the trainer's own figures.
    Fees,
    /// "My certification expires on …" (or the CPR/AED card's date).
    Register {
        of: Expiring,
        date: Option<DateMention>,
    },
    RecertifyForLife,
    /// "I was selected for an audit" (on the date given, or today).
    Audit {
        on: Option<NaiveDate>,
    },
    /// "I sent my audit documents".
    AuditSent,
    /// "I renewed".
    Applied,
    PetitionApproved,
    /// "My petition got denied".
    PetitionDeclined,
    UndoLast,
    /// "Wrong amount on the last one": edit the newest entry.
    EditLast,
    Reminders(Switch),
    /// "I need to add some CEUs": start the logging dialogue with what was found.
    Log(Extracted),
    /// A general question the classifier puts to one FAQ entry, with its confidence.
    Topic {
        id: String,
        confidence: f32,
    },
    /// Anything else: a question for the FAQ matcher.
    Question,
}

/// A month named without its day ("expires in April"): asked for, not guessed.
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\bnext (month|year)\b|\bin \d+ (months|weeks)\b")
        .expect("valid regex")
});

/// Parses a slash command, or `None` when `text` is not one.
#[must_use]
pub fn command(text: &str) -> Option<Command> {
    let text = text.trim();
    if let Some(cmd) = bare_command(text) {
        return Some(cmd);
    }
    let rest = text.strip_prefix('/')?;
    let mut words = rest.split_whitespace();
    let name = words
        .next()
        .unwrap_or("")
        .split('@')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let arg = words.next().map(str::to_lowercase);
    let number = arg
        .as_deref()
        .and_then(|a| a.trim_start_matches('#').parse().ok());
    Some(match name.as_str() {
        "start" => Command::Start,
        "help" => Command::Help,
        "status" => Command::Status,
        "ceus" | "entries" | "list" => Command::Ceus,
        "cancel" | "stop" => Command::Cancel,
        "human" | "advisor" | "agent" => Command::Human,
        "reminders" => Command::Reminders(match arg.as_deref() {
            Some("on") => Some(Switch::On),
            Some("off") => Some(Switch::Off),
            _ => None,
        }),
        "forget" => Command::Forget,
        "export" => Command::Export,
        "undo" => Command::Undo,
        "delete" => Command::Delete(number),
        "edit" => Command::Edit(number),
        "log" | "add" => Command::Log,
        "topics" | "faq" | "menu" => Command::Topics,
        _ => Command::Unknown(name),
    })
}

/// What an idle message asks for, from its reading. `today` anchors dates ("expires
/// next March 15").
#[must_use]
pub fn classify(text: &str, reading: &Reading, today: NaiveDate) -> Intent {
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Intent::TooLong;
    }
    if let Some(cmd) = command(text) {
        return Intent::Command(cmd);
    }
    let t = normalize(text);
    let first = reading.first();
    // Punctuation alone says nothing; an emoji ("👍") is read.
    let blank = t.chars().all(|c| !c.is_alphanumeric() && c.is_ascii());
    if blank || (t.chars().all(|c| !c.is_alphanumeric()) && first.label == Label::Other) {
        return Intent::Empty;
    }
    // "hey quick q, how many …": the greeting opens the request, it is not one; nor is
    // "my cert expires soon, …" without a date.
    let dated = extract::expiry_date(&t, today).0.is_some() || MONTH.is_match(&t);
    let n = reading.requests.len();
    let first = reading
        .requests
        .iter()
        .enumerate()
        .find(|(i, g)| {
            let opener = g.label == Label::Greeting
                || (matches!(g.label, Label::SetExpiration | Label::CprCard) && !dated);
            i + 1 == n || !opener
        })
        .map_or(first, |(_, g)| g);
    // A message that reads as a CE log ("3 credit anatomy class yesterday") is one,
    // whatever topic its words also touch, and however unsure the classifier is that it
    // logs; a correction names what it corrects ("change", "wrong", "the last one").
    let logs =
        !reading.found.amounts.is_empty() && extract::looks_like_ce_log(text, &reading.found);
    let loose = match first.label {
        Label::Faq(_) | Label::Other | Label::LogCeu => true,
        Label::Edit => !extract::is_correction(text) && !refers_to_an_entry(&t),
        _ => false,
    };
    if logs && !reading.question && loose {
        return Intent::Log(reading.found.clone());
    }
    let elsewhere = reading.outside && matches!(first.label, Label::Faq(_) | Label::Fees);
    if first.confidence < SURE || elsewhere || (reading.question && unsure_news(first)) {
        return Intent::Question;
    }
    of_label(&first.label, &t, reading, today)
}

/// Whether the text points at an entry already logged ("the last one", "change the
/// hours of my webinar").
fn refers_to_an_entry(t: &str) -> bool {
    const REFERENCES: &[&str] = &["last", "entry", "logged", "added", "recorded", "previous"];
    const VERBS: &[&str] = &["chang", "fix", "edit", "updat", "amend", "correct"];
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| REFERENCES.contains(&w) || VERBS.iter().any(|v| w.starts_with(v)))
}

/// News about the trainer ("my petition was approved", "I renewed") asked as a question
/// ("is the petition fee refundable?") is taken as news only when the classifier is sure.
fn unsure_news(g: &crate::understand::Guess) -> bool {
    const NEWS_SURE: f32 = 0.75;
    matches!(
        g.label,
        Label::PetitionApproved
            | Label::PetitionDeclined
            | Label::Applied
            | Label::AuditSelected
            | Label::AuditSent
            | Label::LifetimeMember
    ) && g.confidence < NEWS_SURE
}

fn of_label(label: &Label, t: &str, reading: &Reading, today: NaiveDate) -> Intent {
    match label {
        Label::LogCeu => Intent::Log(reading.found.clone()),
        Label::Status => Intent::Status,
        Label::Fees => Intent::Fees,
        Label::SetExpiration | Label::CprCard => {
            let date = extract::expiry_date(t, today).0;
            if date.is_some() || MONTH.is_match(t) {
                let of = if *label == Label::CprCard {
                    Expiring::CprCard
                } else {
                    Expiring::Certification
                };
                Intent::Register { of, date }
            } else {
                Intent::Question
            }
        }
        Label::Delete => Intent::UndoLast,
        Label::Edit => Intent::EditLast,
        Label::Cancel => Intent::Command(Command::Cancel),
        Label::Handoff => Intent::Human,
        Label::RemindersOff => Intent::Reminders(Switch::Off),
        Label::RemindersOn => Intent::Reminders(Switch::On),
        Label::AuditSelected => Intent::Audit {
            on: match extract::find_date(t, today, extract::Sought::Completion) {
                Some(DateMention::On(d)) => Some(d),
                _ => None,
            },
        },
        Label::AuditSent => Intent::AuditSent,
        Label::PetitionApproved => Intent::PetitionApproved,
        Label::PetitionDeclined => Intent::PetitionDeclined,
        Label::Applied => Intent::Applied,
        Label::LifetimeMember => Intent::RecertifyForLife,
        Label::Forget => Intent::Command(Command::Forget),
        Label::Export => Intent::Command(Command::Export),
        Label::Help => Intent::Command(Command::Help),
        Label::Greeting => Intent::Greeting,
        Label::Thanks => Intent::Thanks,
        Label::Faq(id) => Intent::Topic {
            id: id.clone(),
            confidence: reading
                .requests
                .iter()
                .find(|g| g.label == *label)
                .map_or(0.0, |g| g.confidence),
        },
        Label::Yes | Label::No | Label::Answer(_) | Label::Other | Label::Background => {
            Intent::Question
        }
    }
}
