//! The step function: reads the message once (the [`Reading`]), then dispatches on the
//! dialogue state, then on the message's intent.
//!
//! - `interrupt`: questions and changes of subject in the middle of a dialogue.
//! - `faq`: FAQ answers, the topic menu, and personal touches on general answers.

use super::extract;
use super::intent::{self, Command, Intent};
use super::reading::{self, Reading};
use super::records::Ruling;
use super::replies;
use super::{Content, Context, Effect, Expiring, Outcome, Reply, State, handoff, logging, records};
use crate::domain::{Action, EntryId};
use crate::rules::status;

mod faq;
mod interrupt;
mod mixed;
mod several;

use faq::{faq, faq_answer, fees, note_unsure, topic, topics, topics_page, unregistered_question};
use interrupt::{interruption, resume};
use several::also_answered;

/// One turn of the dialogue: what to reply, what to change, and the next state.
#[must_use]
pub fn step(state: State, input: &Content, ctx: &Context<'_>) -> Outcome {
    if let Some(o) = unread(&state, input, ctx) {
        return o;
    }
    let reading = match input {
        Content::Text(t) | Content::Voice { transcript: t } => Some(read(t, &state, ctx)),
        _ => None,
    };
    let turn;
    let ctx = match &reading {
        Some(r) => {
            turn = ctx.with_reading(r);
            &turn
        }
        None => ctx,
    };
    if let (Content::Text(t) | Content::Voice { transcript: t }, Some(r)) = (input, &reading)
        && let Some(o) = interruption(&state, t, r, ctx)
    {
        return o;
    }
    match state {
        State::Idle => idle_read(input, reading.as_ref(), ctx),
        State::AwaitingExpiration { pending } => {
            awaiting_date(Expiring::Certification, pending, input, ctx)
        }
        State::AwaitingCprDate => awaiting_date(Expiring::CprCard, None, input, ctx),
        State::Asking { draft, field } => logging::answer(draft, field, input, ctx),
        State::ChoosingAmount { draft, options } => {
            logging::choose_amount(draft, options, input, ctx)
        }
        State::Confirming { draft } => logging::confirm(draft, input, ctx),
        State::ChoosingEdit { draft } => logging::choose_edit(draft, input, ctx),
        State::ConfirmingDuplicate { draft } => logging::duplicate(draft, input, ctx),
        State::ConfirmingDelete { entry_id } => records::delete_answer(entry_id, input, ctx),
        State::ChoosingDocument { reference } => records::document_choice(reference, input, ctx),
        State::ConfirmingForget => records::forget_answer(input, ctx),
        State::LeavingMessage => handoff::leave(input, ctx),
        State::ConfirmingApplication { on } => records::application_answer(on, input, ctx),
        State::AwaitingNewExpiration { suggested } => {
            records::new_expiration_answer(suggested, input, ctx, idle)
        }
        State::ConfirmingAuditSent { on } => records::audit_sent_answer(on, input, ctx),
        State::ConfirmingChange { change } => records::change_answer(change, input, ctx),
    }
}

/// What is answered before any reading: a message the bot cannot read, a failed voice
/// note, a slash command, a text over the length limit.
fn unread(state: &State, input: &Content, ctx: &Context<'_>) -> Option<Outcome> {
    match input {
        Content::Unsupported => Some(Outcome::reply(
            state.clone(),
            Reply::text(
                "I can't read that kind of message, but I'm happy to help in text. Type /help to see what I can do.",
            ),
        )),
        Content::VoiceFailed { reason } => Some(Outcome::reply(
            state.clone(),
            Reply::text(replies::voice_failed(*reason)),
        )),
        Content::Text(t) | Content::Voice { transcript: t } => {
            if let Some(cmd) = intent::command(t) {
                return Some(command_in(state.clone(), cmd, ctx));
            }
            (t.chars().count() > intent::MAX_MESSAGE_CHARS).then(|| {
                Outcome::reply(
                    state.clone(),
                    Reply::text(format!(
                        "That message is too long for me (over {} characters). Could you send a shorter one?",
                        intent::MAX_MESSAGE_CHARS
                    )),
                )
            })
        }
        _ => None,
    }
}

/// A slash command arriving in any state: `/cancel` leaves the dialogue, `/help` and
/// `/status` answer and keep it, anything else leaves it and runs.
fn command_in(state: State, cmd: Command, ctx: &Context<'_>) -> Outcome {
    match cmd {
        Command::Cancel if state == State::Idle => Outcome::reply(
            State::Idle,
            Reply::text(
                "Nothing to cancel. To stop reminders, send /reminders off; /help shows what I can do.",
            ),
        ),
        Command::Cancel => {
            Outcome::reply(State::Idle, Reply::text("Cancelled. Nothing was saved."))
        }
        Command::Help => {
            let help = Outcome::reply(State::Idle, Reply::text(replies::help(ctx.policy)));
            resume(help, state, ctx)
        }
        // The standing, then the dialogue's pending question again (a summary is shown
        // again before Save can store it); registering takes over an unregistered trainer.
        Command::Status => {
            let o = status_reply(ctx);
            if state == State::Idle || o.state.awaits_registration() {
                return o;
            }
            resume(o, state, ctx)
        }
        cmd => command(cmd, ctx),
    }
}

fn command(cmd: Command, ctx: &Context<'_>) -> Outcome {
    match cmd {
        Command::Start => start(ctx),
        Command::Help => Outcome::reply(State::Idle, Reply::text(replies::help(ctx.policy))),
        Command::Status => status_reply(ctx),
        Command::Ceus => entries_reply(ctx),
        Command::Cancel => Outcome::reply(State::Idle, Reply::text("Cancelled.")),
        Command::Human => human(ctx, "asked for a person"),
        Command::Reminders(on) => records::reminders(on, ctx),
        Command::Forget => records::confirm_forget(),
        Command::Undo => undo(ctx),
        Command::Delete(n) => numbered(n, ctx, records::confirm_delete, "delete"),
        Command::Edit(n) => numbered(n, ctx, logging::edit_entry, "edit"),
        Command::Log => logging::begin(&extract::Extracted::default(), ctx),
        Command::Topics => topics(ctx),
        Command::Export => records::export(),
        Command::Unknown(_) => Outcome::reply(
            State::Idle,
            Reply::text("I don't know that command. Type /help to see what I can do."),
        ),
    }
}

/// The one reading of a text message in `state`.
fn read(t: &str, state: &State, ctx: &Context<'_>) -> Reading {
    let tz = ctx.policy.contact.trainer_timezone;
    reading::read(t, reading::expecting(state), ctx.faq, ctx.now, tz)
}

/// A message a waiting state does not take, handled as if nothing were pending (on the
/// reading the step made).
fn idle(input: &Content, ctx: &Context<'_>) -> Outcome {
    idle_read(input, ctx.reading, ctx)
}

fn idle_read(input: &Content, reading: Option<&Reading>, ctx: &Context<'_>) -> Outcome {
    match (input, reading) {
        (Content::Button(data), _) => button(data, ctx),
        (Content::File { reference, caption }, _) => {
            records::file(reference, caption.as_deref(), ctx)
        }
        (Content::Text(t) | Content::Voice { transcript: t }, Some(r)) => text(t, r, ctx),
        _ => Outcome::reply(State::Idle, Reply::text("Type /help to see what I can do.")),
    }
}

fn text(t: &str, reading: &Reading, ctx: &Context<'_>) -> Outcome {
    let o = also_answered(act(t, reading, ctx), reading, ctx);
    let blank = t.chars().all(|c| !c.is_alphanumeric());
    if reading.sure() || blank || intent::command(t).is_some() {
        return o;
    }
    note_unsure(o, t, reading)
}

fn act(t: &str, reading: &Reading, ctx: &Context<'_>) -> Outcome {
    let today = status::today(ctx.policy, ctx.now);
    match intent::classify(t, reading, today) {
        Intent::Command(cmd) => command(cmd, ctx),
        Intent::Empty => Outcome::reply(
            State::Idle,
            Reply::text("I didn't catch anything there. Type /help to see what I can do."),
        ),
        Intent::TooLong => Outcome::reply(
            State::Idle,
            Reply::text("That message is too long for me. Could you send a shorter one?"),
        ),
        Intent::Greeting => greet(ctx),
        Intent::Thanks => Outcome::reply(
            State::Idle,
            Reply::text("You're welcome! Anything else, just ask."),
        ),
        Intent::Human => human(ctx, "asked for a person"),
        Intent::Status if ctx.profile.cert.is_none() => unregistered_question(t, ctx),
        Intent::Status => status_reply(ctx),
        Intent::Fees => fees(t, ctx),
        Intent::AuditSent => records::confirm_audit_sent(today, ctx),
        Intent::Applied => records::confirm_application(today, ctx),
        Intent::Topic { id, confidence } => topic(t, &id, confidence, reading, ctx),
        Intent::Register { of, date } => records::register(of, date, None, ctx),
        Intent::RecertifyForLife => records::recertify_for_life(ctx),
        Intent::Audit { on } => records::audit(on, ctx),
        Intent::PetitionApproved => records::petition_outcome(Ruling::Approved, ctx),
        Intent::PetitionDeclined => records::petition_outcome(Ruling::Declined, ctx),
        Intent::UndoLast => undo(ctx),
        Intent::EditLast => match ctx.profile.entries.iter().max_by_key(|e| e.id) {
            Some(e) => logging::edit_entry(e),
            None => entries_reply(ctx),
        },
        Intent::Reminders(on) => records::reminders(Some(on), ctx),
        Intent::Log(_) => mixed::log_and_answer(t, ctx).unwrap_or_else(|| {
            logging::begin_courses(
                &extract::courses(t, ctx.now, ctx.policy.contact.trainer_timezone),
                ctx,
            )
        }),
        Intent::Question if ctx.profile.cert.is_none() && is_just_a_date(t, ctx) => {
            records::register(
                Expiring::Certification,
                extract::expiry_date(t, today).0,
                None,
                ctx,
            )
        }
        Intent::Question => mixed::log_and_answer(t, ctx).unwrap_or_else(|| faq(t, ctx)),
    }
}

/// Waiting for the expiration date of `expiring`: a date registers it (a message that
/// names the CPR/AED card registers the card's); anything else is handled as usual.
fn awaiting_date(
    expiring: Expiring,
    pending: Option<super::Draft>,
    input: &Content,
    ctx: &Context<'_>,
) -> Outcome {
    if let Content::Text(t) | Content::Voice { transcript: t } = input
        && let Some(date) = expiration_in(t, ctx)
    {
        let t_lower = intent::normalize(t);
        let expiring = if t_lower.contains("cpr") || t_lower.contains("aed") {
            Expiring::CprCard
        } else {
            expiring
        };
        return records::register(expiring, Some(date), pending, ctx);
    }
    idle(input, ctx)
}

/// The expiration date a message gives while one is asked for, read in its tense. A
/// message that reads as a CE log ("did a 2 hour workshop yesterday") or a question
/// without a date in it ("are u open on sunday") gives none.
fn expiration_in(t: &str, ctx: &Context<'_>) -> Option<extract::DateMention> {
    let today = status::today(ctx.policy, ctx.now);
    let found = ctx.found();
    if !found.amounts.is_empty() && extract::looks_like_ce_log(t, found) {
        return None;
    }
    let explicit = extract::has_explicit_date(t, today);
    if !explicit && intent::looks_like_question(&intent::normalize(t)) {
        return None;
    }
    extract::expiry_date(t, today).0
}

fn button(data: &str, ctx: &Context<'_>) -> Outcome {
    let Ok(action) = data.parse::<Action>() else {
        return stale_button();
    };
    match action {
        Action::Faq(id) => match ctx.faq.entry(&id) {
            Some(_) => faq_answer(&id, ctx),
            None => topics(ctx),
        },
        Action::Menu(page) => topics_page(page, ctx),
        Action::Human => human(ctx, "asked for a person from the FAQ fallback"),
        Action::Status => status_reply(ctx),
        Action::LeaveMessage => handoff::prompt_message(),
        Action::Log => logging::begin(&extract::Extracted::default(), ctx),
        Action::Reminders(switch) => records::reminders(Some(switch), ctx),
        Action::Applied => records::confirm_application(status::today(ctx.policy, ctx.now), ctx),
        Action::NewCycle => records::ask_new_expiration(None, ctx),
        Action::AuditSent => records::confirm_audit_sent(status::today(ctx.policy, ctx.now), ctx),
        Action::ApprovePetition(id) => match owned_entry(id, ctx) {
            Some(e) => records::petition_read_back(e, Ruling::Approved, ctx),
            None => stale_button(),
        },
        Action::DeclinePetition(id) => match owned_entry(id, ctx) {
            Some(e) => records::petition_read_back(e, Ruling::Declined, ctx),
            None => stale_button(),
        },
        // Answers to a question no longer asked (the dialogue has moved on).
        Action::Yes
        | Action::No
        | Action::Later
        | Action::Save
        | Action::Edit
        | Action::Cancel
        | Action::Area(_)
        | Action::Provider(_)
        | Action::Date(_)
        | Action::Field(_)
        | Action::Amount(_)
        | Action::Document(_)
        | Action::CprCard(_)
        | Action::Claim(_) => stale_button(),
    }
}

/// One of the trainer's own entries by id; another trainer's id finds nothing.
fn owned_entry<'a>(id: EntryId, ctx: &Context<'a>) -> Option<&'a crate::rules::CeEntry> {
    ctx.profile.entries.iter().find(|e| e.id == id)
}

fn stale_button() -> Outcome {
    Outcome::reply(
        State::Idle,
        Reply::text("That button is no longer active. Type /help to see what I can do."),
    )
}

fn start(ctx: &Context<'_>) -> Outcome {
    let hello = ctx
        .profile
        .name
        .as_deref()
        .map(|n| format!("Hi {n}! "))
        .unwrap_or_else(|| "Hi! ".into());
    if ctx.profile.cert.is_some() {
        let mut o = status_reply(ctx);
        o.replies.insert(
            0,
            Reply::text(format!("{hello}Welcome back. Here's where you stand:")),
        );
        return o;
    }
    Outcome::reply(
        State::AwaitingExpiration { pending: None },
        Reply::text(format!(
            "{hello}I'm the NASM-CPT recertification assistant. I answer recertification questions, keep track of your continuing education and remind you before deadlines.\n\
             To start, when does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")"
        )),
    )
}

fn greet(ctx: &Context<'_>) -> Outcome {
    if ctx.profile.cert.is_none() {
        return start(ctx);
    }
    let hello = ctx
        .profile
        .name
        .as_deref()
        .map(|n| format!("Hi {n}!"))
        .unwrap_or_else(|| "Hi!".into());
    Outcome::reply(
        State::Idle,
        Reply::text(format!(
            "{hello} How can I help? You can log CE, ask a question, or send /status."
        )),
    )
}

fn status_reply(ctx: &Context<'_>) -> Outcome {
    match replies::current_status(ctx.profile, ctx.policy, ctx.now) {
        Some(s) => Outcome::reply(
            State::Idle,
            replies::status_reply(&s, ctx.profile, ctx.policy),
        ),
        None => Outcome::reply(
            State::AwaitingExpiration { pending: None },
            Reply::text(replies::unregistered_status(ctx.profile, ctx.policy)),
        ),
    }
}

fn entries_reply(ctx: &Context<'_>) -> Outcome {
    let entries = records::cycle_entries(ctx);
    let text = replies::entries_text(&entries).unwrap_or_else(|| {
        "You haven't logged any continuing education this cycle yet. Tell me about a course, e.g. \"did a 4 hour nutrition workshop yesterday\".".into()
    });
    Outcome::reply(State::Idle, Reply::text(text))
}

/// A short message that is essentially a date ("April 20 2027"): before registration,
/// that is the expiration date the bot keeps asking for.
fn is_just_a_date(t: &str, ctx: &Context<'_>) -> bool {
    let today = status::today(ctx.policy, ctx.now);
    t.chars().count() <= 24
        && extract::has_explicit_date(t, today)
        && !intent::looks_like_question(&intent::normalize(t))
}

fn undo(ctx: &Context<'_>) -> Outcome {
    match ctx.profile.entries.iter().max_by_key(|e| e.id) {
        Some(e) => records::confirm_delete(e),
        None => Outcome::reply(
            State::Idle,
            Reply::text("There's nothing to undo: you have no entries."),
        ),
    }
}

fn numbered(
    n: Option<usize>,
    ctx: &Context<'_>,
    then: fn(&crate::rules::CeEntry) -> Outcome,
    verb: &str,
) -> Outcome {
    let entries = records::cycle_entries(ctx);
    match n
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| entries.get(i))
    {
        Some(e) => then(e),
        None => {
            let mut o = entries_reply(ctx);
            o.replies.insert(
                0,
                Reply::text(format!(
                    "Which entry? Send /{verb} with its number from this list."
                )),
            );
            o
        }
    }
}

fn human(ctx: &Context<'_>, reason: &str) -> Outcome {
    Outcome::reply(State::Idle, handoff::reply(ctx)).with_effect(Effect::RequestHuman {
        reason: reason.into(),
    })
}
