//! Hand-off to live advisors. Pure parts here (what an advisor typed, the words of
//! cards, relays and the queue); the [`Desk`] service drives tickets through the store.
//!
//! A ticket is `waiting` until an advisor claims it, then `claimed`: while a trainer has
//! an open ticket the bot stays silent and relays their messages to the advisors' chat,
//! tagged `[#ID]`. `/done ID` hands the chat back to the bot.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::conversation::replies;
use crate::domain::{Action, TicketId};
use crate::rules::Status;
use crate::store::messages::TranscriptLine;
use crate::store::tickets::{Ticket, TicketState};

pub mod desk;

pub use desk::{Desk, REFUSED};

/// What a trainer is told when the advisors cannot be reached through the bot.
#[must_use]
pub fn unreachable_desk(ticket: TicketId, phone: &str) -> String {
    format!(
        "Sorry, I couldn't reach our advisors just now. Please call {phone}; your request #{ticket} stays open."
    )
}

/// The longest a transcript line is shown on a ticket's card, in characters.
const CARD_LINE_CHARS: usize = 160;

/// What an advisor can do from the advisors' chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorCommand {
    Claim(TicketId),
    /// Put a claimed ticket back in line for another advisor.
    Release(TicketId),
    Reply(TicketId, String),
    Done(TicketId),
    /// Hand the trainer to the bot's CEU-logging dialogue.
    AssistLog(TicketId),
    Queue,
    Lookup(TicketId),
    Help,
    /// A known command without its arguments: that command's usage line.
    Usage(&'static str),
}

/// Each advisor command's usage line, as `/help` lists them.
const USAGE: [(&[&str], &str); 6] = [
    (&["claim"], "/claim ID: take a ticket (or press Claim)"),
    (
        &["release"],
        "/release ID: put a claimed ticket back in line",
    ),
    (
        &["r", "reply"],
        "/r ID text: reply to the trainer (or reply to a relayed [#ID] message)",
    ),
    (
        &["done", "close"],
        "/done ID: hand the chat back to the bot",
    ),
    (
        &["assist"],
        "/assist ID log: hand the trainer to the bot's CEU logging",
    ),
    (&["lookup"], "/lookup ID: the trainer's status"),
];

/// Parses an advisor's message (`/claim 12`, `/r 12 text`, `/done #12`, …) or button
/// (`claim:12`); `None` for ordinary chatter among advisors.
#[must_use]
pub fn parse(text: &str) -> Option<AdvisorCommand> {
    if let Ok(Action::Claim(id)) = text.parse::<Action>() {
        return Some(AdvisorCommand::Claim(id));
    }
    let rest = text.trim().strip_prefix('/')?;
    let (name, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = name.split('@').next().unwrap_or("").to_lowercase();
    let args = args.trim();
    let (first, tail) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let id = first
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .map(TicketId);
    Some(match (name.as_str(), id) {
        ("claim", Some(id)) => AdvisorCommand::Claim(id),
        ("release", Some(id)) => AdvisorCommand::Release(id),
        ("r" | "reply", Some(id)) if !tail.trim().is_empty() => {
            AdvisorCommand::Reply(id, tail.trim().to_string())
        }
        ("done" | "close", Some(id)) => AdvisorCommand::Done(id),
        ("assist", Some(id)) if tail.trim().eq_ignore_ascii_case("log") => {
            AdvisorCommand::AssistLog(id)
        }
        ("queue", _) => AdvisorCommand::Queue,
        ("lookup", Some(id)) => AdvisorCommand::Lookup(id),
        (name, _) => USAGE
            .iter()
            .find(|(names, _)| names.contains(&name))
            .map_or(AdvisorCommand::Help, |(_, usage)| {
                AdvisorCommand::Usage(usage)
            }),
    })
}

/// The ticket id written in a relayed message (`[#12] …`), for replies to it.
#[must_use]
pub fn tagged_ticket(text: &str) -> Option<TicketId> {
    let start = text.find("[#")? + 2;
    let end = text[start..].find(']')? + start;
    text[start..end].parse().ok().map(TicketId)
}

/// The advisors' commands, for `/help` in their chat.
#[must_use]
pub fn advisor_help() -> String {
    let mut t = String::from("Advisor commands:\n/queue: waiting and claimed tickets");
    for (_, usage) in USAGE {
        t.push('\n');
        t.push_str(usage);
    }
    t
}

/// A one-paragraph status for advisors: CEUs, expiration, phase, fees, audit.
#[must_use]
pub fn status_summary(status: Option<&Status>) -> String {
    let Some(s) = status else {
        return "Status: not registered (no expiration date given).".to_string();
    };
    let audit = audit_words(s);
    format!(
        "Status: {} of {} CEUs, {} pending; {}; {}; fees due {}; audit: {audit}; missing certificates: {}",
        s.earned,
        s.required,
        s.pending,
        replies::expiry(s.today, s.expires_on),
        replies::status::standing_words(s.standing),
        s.fees.total,
        s.missing_documents.len()
    )
}

/// Where the trainer's audit stands, in a few words.
fn audit_words(s: &Status) -> String {
    match s.audit {
        None => "none".to_string(),
        Some(a) if a.closed_on.is_some() => "documents sent to NASM".to_string(),
        Some(a) if a.days_left >= 0 => {
            format!("documents due {}", replies::dated(s.today, a.deadline))
        }
        Some(a) => format!("documents were due {}", replies::dated(s.today, a.deadline)),
    }
}

/// An advisor's name at the start of a sentence ("An advisor", "Ana").
#[must_use]
pub fn sentence_start(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// What an advisor without a display name is called mid-sentence.
pub const NO_NAME: &str = "an advisor";

/// Where a ticket stands, as its card shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardState<'a> {
    /// Waiting: the card offers the Claim button.
    Waiting,
    Claimed {
        by: &'a str,
    },
    Closed,
}

/// Who the card is about: name and a way to reach them (`tg://user?id=` over Telegram).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardTrainer<'a> {
    pub name: &'a str,
    pub channel: &'a str,
    pub user: &'a str,
}

/// A ticket's card in the advisors' chat: short lines a busy person can read (who, how
/// to reach them, the reason, CEUs, expiration, phase, fees, audit, the last messages)
/// and where the ticket stands. No button data is shown.
#[must_use]
pub fn card(
    ticket: TicketId,
    who: CardTrainer<'_>,
    reason: &str,
    status: Option<&Status>,
    history: &[TranscriptLine],
    state: CardState<'_>,
) -> String {
    let head = match state {
        CardState::Waiting => "New hand-off",
        CardState::Claimed { .. } => "Hand-off",
        CardState::Closed => "Closed hand-off",
    };
    let link = if who.channel == "telegram" {
        format!("tg://user?id={}", who.user)
    } else {
        format!("user {}", who.user)
    };
    let mut t = format!(
        "{head} [#{ticket}]\n{} ({link})\nReason: {reason}\n",
        who.name
    );
    for line in card_facts(status) {
        let _ = writeln!(t, "{line}");
    }
    if !history.is_empty() {
        t.push_str("Last messages:\n");
        for line in history {
            let who = if line.from_bot { "bot" } else { "trainer" };
            let _ = writeln!(t, "  {who}: {}", one_line(&line.text, CARD_LINE_CHARS));
        }
    }
    let _ = match state {
        CardState::Waiting => write!(t, "Claim with the button or /claim {ticket}."),
        CardState::Claimed { by } => write!(
            t,
            "[#{ticket}] claimed by {by}. Reply with /r {ticket} text, and /done {ticket} when finished."
        ),
        CardState::Closed => write!(t, "[#{ticket}] closed; the bot is back with the trainer."),
    };
    t
}

/// The trainer's standing as a card's lines.
fn card_facts(status: Option<&Status>) -> Vec<String> {
    let Some(s) = status else {
        return vec!["Not registered (no expiration date given).".to_string()];
    };
    let audit = audit_words(s);
    vec![
        format!(
            "Earned: {} of {} CEUs ({} pending)",
            s.earned, s.required, s.pending
        ),
        format!("Expiration: {}", replies::expiry(s.today, s.expires_on)),
        format!("Phase: {}", replies::status::standing_words(s.standing)),
        format!("Fees due: {}", s.fees.total),
        format!("Audit: {audit}"),
    ]
}

/// A message folded onto one line and cut to `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}

/// The queue for `/queue`: each open ticket with its age ("13 h 4 min").
#[must_use]
pub fn queue_text(tickets: &[Ticket], now: DateTime<Utc>) -> String {
    if tickets.is_empty() {
        return "No open tickets.".to_string();
    }
    let mut t = String::from("Open tickets:\n");
    for k in tickets {
        let age = replies::duration((now - k.opened_at).num_minutes());
        let who = k.trainer_name.as_deref().unwrap_or("(no name)");
        let state = match (k.state, &k.advisor_name) {
            (TicketState::Claimed, Some(a)) => format!("claimed by {a}"),
            (TicketState::Claimed, None) => "claimed".to_string(),
            _ => "waiting".to_string(),
        };
        let _ = writeln!(t, "[#{}] {who}: {state}, {age}, {}", k.id, k.reason);
    }
    t.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advisor_commands_parse() {
        let cases = [
            ("/claim 12", Some(AdvisorCommand::Claim(TicketId(12)))),
            ("/claim #12", Some(AdvisorCommand::Claim(TicketId(12)))),
            ("claim:7", Some(AdvisorCommand::Claim(TicketId(7)))),
            (
                "/r 3 Hello there",
                Some(AdvisorCommand::Reply(TicketId(3), "Hello there".into())),
            ),
            ("/r 3", Some(AdvisorCommand::Usage(USAGE[2].1))),
            ("/release 3", Some(AdvisorCommand::Release(TicketId(3)))),
            ("/done 4", Some(AdvisorCommand::Done(TicketId(4)))),
            (
                "/assist 5 log",
                Some(AdvisorCommand::AssistLog(TicketId(5))),
            ),
            ("/queue", Some(AdvisorCommand::Queue)),
            ("/lookup 9", Some(AdvisorCommand::Lookup(TicketId(9)))),
            ("/claim", Some(AdvisorCommand::Usage(USAGE[0].1))),
            ("coffee anyone?", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text}");
        }
    }

    #[test]
    fn relayed_messages_carry_their_ticket() {
        assert_eq!(tagged_ticket("[#12] Ana: hello"), Some(TicketId(12)));
        assert_eq!(tagged_ticket("no tag"), None);
        assert_eq!(tagged_ticket("[#x]"), None);
    }

    #[test]
    fn the_queue_shows_ages_as_hours_and_minutes_and_who_claimed() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap();
        let ticket = |id: i64, minutes: i64, state: TicketState, advisor: Option<&str>| Ticket {
            id: TicketId(id),
            trainer_id: crate::domain::TrainerId(id),
            reason: "asked for a person".into(),
            state,
            advisor_name: advisor.map(str::to_string),
            opened_at: now - chrono::Duration::minutes(minutes),
            chat_ref: format!("c{id}").into(),
            user_ref: format!("c{id}"),
            trainer_name: Some(format!("T{id}")),
            timeout_notified: false,
            closing_notified: false,
        };
        let text = queue_text(
            &[
                ticket(1, 784, TicketState::Waiting, None),
                ticket(2, 5, TicketState::Claimed, Some(NO_NAME)),
                ticket(3, 60, TicketState::Claimed, Some("Ana")),
            ],
            now,
        );
        assert!(text.contains("[#1] T1: waiting, 13 h 4 min,"), "{text}");
        assert!(
            text.contains("[#2] T2: claimed by an advisor, 5 min,"),
            "{text}"
        );
        assert!(text.contains("[#3] T3: claimed by Ana, 1 h,"), "{text}");
        assert!(
            !text.contains(" min min") && !text.contains("784"),
            "{text}"
        );
    }

    #[test]
    fn names_start_sentences_with_a_capital() {
        assert_eq!(sentence_start(NO_NAME), "An advisor");
        assert_eq!(sentence_start("ana"), "Ana");
        assert_eq!(sentence_start(""), "");
    }
}
