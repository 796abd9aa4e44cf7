//! The step function: dispatches on the dialogue state, then on the message's intent.

use super::extract;
use super::intent::{self, Command, Intent};
use super::replies;
use super::{
    Button, Content, Context, Effect, Outcome, Reply, State, VoiceFailure, handoff, logging,
    records,
};
use crate::faq::FaqMatch;
use crate::rules::status;

/// One turn of the dialogue: what to reply, what to change, and the next state.
#[must_use]
pub fn step(state: State, input: &Content, ctx: &Context<'_>) -> Outcome {
    match input {
        Content::Unsupported => {
            return Outcome::reply(
                state,
                Reply::text(
                    "I can't read that kind of message, but I'm happy to help in text. Type /help to see what I can do.",
                ),
            );
        }
        Content::VoiceFailed { reason } => {
            return Outcome::reply(state, Reply::text(voice_failed(*reason)));
        }
        Content::Text(t) | Content::Voice { transcript: t } => {
            if let Some(cmd) = intent::command(t) {
                return command_in(state, cmd, ctx);
            }
            if t.chars().count() > intent::MAX_MESSAGE_CHARS {
                return Outcome::reply(
                    state,
                    Reply::text(format!(
                        "That message is too long for me (over {} characters). Could you send a shorter one?",
                        intent::MAX_MESSAGE_CHARS
                    )),
                );
            }
        }
        _ => {}
    }
    if let Content::Text(t) | Content::Voice { transcript: t } = input
        && let Some(o) = interruption(&state, t, ctx)
    {
        return o;
    }
    match state {
        State::Idle => idle(input, ctx),
        State::AwaitingExpiration { pending } => awaiting_expiration(pending, input, ctx),
        State::Asking { draft, field } => logging::answer(draft, field, input, ctx),
        State::ChoosingAmount { draft, options } => {
            logging::choose_amount(draft, options, input, ctx)
        }
        State::Confirming { draft } => logging::confirm(draft, input, ctx),
        State::ChoosingEdit { draft } => logging::choose_edit(draft, input, ctx),
        State::ConfirmingDuplicate { draft } => logging::duplicate(draft, input, ctx),
        State::ConfirmingDelete { entry_id } => records::delete_answer(entry_id, input, ctx),
        State::ChoosingDocument { reference } => records::document_choice(reference, input, ctx),
        State::ConfirmingForget => records::forget_answer(input),
        State::LeavingMessage => handoff::leave(input, ctx),
    }
}

/// Inside a dialogue, a message that is not an answer but a question or a change of
/// subject is handled as such, and then the pending question is asked again.
fn interruption(state: &State, t: &str, ctx: &Context<'_>) -> Option<Outcome> {
    if matches!(
        state,
        State::Idle | State::AwaitingExpiration { .. } | State::LeavingMessage
    ) {
        return None;
    }
    let today = status::today(ctx.policy, ctx.now);
    let found = extract::extract(t, ctx.now, ctx.policy.contact.trainer_timezone);
    let intent = intent::classify(t, today, &found);
    let question = matches!(intent, Intent::Question);
    if !intent::interrupts(&intent)
        || (question && !intent::looks_like_question(&intent::normalize(t)))
    {
        return None;
    }
    if answers(state, t, &found, ctx) {
        return None;
    }
    let mut o = text(t, ctx);
    if o.state == State::Idle {
        let again = reprompt(state.clone(), ctx);
        for (i, r) in again.replies.into_iter().enumerate() {
            let r = if i == 0 {
                Reply {
                    text: format!("Back to what we were doing: {}", r.text),
                    ..r
                }
            } else {
                r
            };
            o.replies.push(r);
        }
        o.state = again.state;
    }
    Some(o)
}

/// Whether the text is a usable answer in this state.
fn answers(state: &State, t: &str, found: &extract::Extracted, ctx: &Context<'_>) -> bool {
    match state {
        State::Asking { field, .. } => logging::understands(*field, t, ctx),
        State::Confirming { .. } => {
            super::yes_no(t).is_some() || t.trim().eq_ignore_ascii_case("edit") || !found.is_empty()
        }
        State::ChoosingAmount { .. } => !found.amounts.is_empty(),
        State::ConfirmingDelete { .. }
        | State::ConfirmingDuplicate { .. }
        | State::ConfirmingForget => super::yes_no(t).is_some(),
        State::ChoosingEdit { .. } => !found.is_empty(),
        _ => false,
    }
}

/// The pending question of a dialogue state, asked again.
fn reprompt(state: State, ctx: &Context<'_>) -> Outcome {
    match state {
        State::Asking { draft, field } => logging::ask(draft, field, ctx, None),
        State::ChoosingAmount { draft, options } => logging::amount_choice(draft, options, None),
        State::Confirming { draft } => logging::confirm_prompt(draft, ctx),
        State::ChoosingEdit { draft } => logging::choose_edit_prompt(draft),
        State::ConfirmingDuplicate { draft } => logging::duplicate_prompt(draft, None),
        State::ConfirmingDelete { entry_id } => {
            match ctx.profile.entries.iter().find(|e| e.id == entry_id) {
                Some(e) => records::confirm_delete(e),
                None => Outcome {
                    replies: Vec::new(),
                    effects: Vec::new(),
                    state: State::Idle,
                },
            }
        }
        State::ChoosingDocument { reference } => {
            records::document_choice(reference, &Content::Unsupported, ctx)
        }
        State::ConfirmingForget => records::confirm_forget(),
        other => Outcome {
            replies: Vec::new(),
            effects: Vec::new(),
            state: other,
        },
    }
}

/// A slash command arriving in any state: `/cancel` leaves the dialogue, `/help` and
/// `/status` answer and keep it, anything else leaves it and runs.
fn command_in(state: State, cmd: Command, ctx: &Context<'_>) -> Outcome {
    match (cmd, state) {
        (Command::Cancel, State::Idle) => Outcome::reply(
            State::Idle,
            Reply::text("Nothing to cancel. Type /help to see what I can do."),
        ),
        (Command::Cancel, _) => {
            Outcome::reply(State::Idle, Reply::text("Cancelled. Nothing was saved."))
        }
        (Command::Help, state) => Outcome::reply(state, Reply::text(replies::help(ctx.policy))),
        (Command::Status, state) => {
            let mut o = status_reply(ctx);
            if state != State::Idle && !matches!(o.state, State::AwaitingExpiration { .. }) {
                o.state = state;
            }
            o
        }
        (cmd, _) => command(cmd, ctx),
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

fn idle(input: &Content, ctx: &Context<'_>) -> Outcome {
    match input {
        Content::Button(data) => button(data, ctx),
        Content::File { reference, caption } => records::file(reference, caption.as_deref(), ctx),
        Content::Text(t) | Content::Voice { transcript: t } => text(t, ctx),
        Content::Unsupported | Content::VoiceFailed { .. } => {
            Outcome::reply(State::Idle, Reply::text("Type /help to see what I can do."))
        }
    }
}

fn text(t: &str, ctx: &Context<'_>) -> Outcome {
    let today = status::today(ctx.policy, ctx.now);
    let found = extract::extract(t, ctx.now, ctx.policy.contact.trainer_timezone);
    match intent::classify(t, today, &found) {
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
        Intent::Register { cpr, date } => records::register(cpr, date, None, ctx),
        Intent::RecertifyForLife => records::recertify_for_life(ctx),
        Intent::Audit { on } => records::audit(on, ctx),
        Intent::PetitionApproved => records::petition_approved(ctx),
        Intent::UndoLast => undo(ctx),
        Intent::Reminders(on) => records::reminders(Some(on), ctx),
        Intent::Log(found) => logging::begin(&found, ctx),
        Intent::Question => faq(t, ctx),
    }
}

fn awaiting_expiration(
    pending: Option<super::Draft>,
    input: &Content,
    ctx: &Context<'_>,
) -> Outcome {
    if let Content::Text(t) | Content::Voice { transcript: t } = input {
        let today = status::today(ctx.policy, ctx.now);
        let t_lower = intent::normalize(t);
        let is_cpr = t_lower.contains("cpr") || t_lower.contains("aed");
        if let Some(date) = extract::find_date(t, today, false) {
            return records::register(is_cpr, Some(date), pending, ctx);
        }
    }
    idle(input, ctx)
}

fn button(data: &str, ctx: &Context<'_>) -> Outcome {
    let (kind, arg) = data.split_once(':').unwrap_or((data, ""));
    match kind {
        "faq" => match ctx.faq.entry(arg) {
            Some(_) => faq_answer(arg, ctx),
            None => topics(ctx),
        },
        "menu" => topics(ctx),
        "human" => human(ctx, "asked for a person from the FAQ fallback"),
        "status" => status_reply(ctx),
        "leave_message" => handoff::prompt_message(),
        "log" => logging::begin(&extract::Extracted::default(), ctx),
        "reminders" => records::reminders(Some(arg == "on"), ctx),
        "petok" => match owned_entry(arg, ctx) {
            Some(e) => records::approve(e),
            None => stale_button(),
        },
        _ => stale_button(),
    }
}

/// One of the trainer's own entries by id; another trainer's id finds nothing.
fn owned_entry<'a>(id: &str, ctx: &Context<'a>) -> Option<&'a crate::rules::CeEntry> {
    let id: i64 = id.parse().ok()?;
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
            Reply::text(replies::status_text(&s, ctx.profile, ctx.policy)),
        ),
        None => Outcome::reply(
            State::AwaitingExpiration { pending: None },
            Reply::text(
                "I don't know your expiration date yet. When does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")",
            ),
        ),
    }
}

/// A personal question before registration: the general answer if the FAQ has one,
/// then a request for the expiration date.
fn unregistered_question(t: &str, ctx: &Context<'_>) -> Outcome {
    let ask = "Tell me when your NASM-CPT certification expires (e.g. \"March 15, 2027\") and I'll work out your own status.";
    match ctx.faq.lookup(t) {
        FaqMatch::Answer { id, .. } => {
            let mut o = faq_answer(&id, ctx).then(Reply::text(ask));
            o.state = State::AwaitingExpiration { pending: None };
            o
        }
        _ => status_reply(ctx),
    }
}

fn entries_reply(ctx: &Context<'_>) -> Outcome {
    let entries = records::cycle_entries(ctx);
    let text = replies::entries_text(&entries).unwrap_or_else(|| {
        "You haven't logged any continuing education this cycle yet. Tell me about a course, e.g. \"did a 4 hour nutrition workshop yesterday\".".into()
    });
    Outcome::reply(State::Idle, Reply::text(text))
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

fn topics(ctx: &Context<'_>) -> Outcome {
    let buttons = ctx
        .faq
        .entries()
        .iter()
        .map(|e| Button::new(e.title.clone(), format!("faq:{}", e.id)))
        .collect();
    Outcome::reply(
        State::Idle,
        Reply::with_buttons("Here's what I can answer. Pick a topic:", buttons),
    )
}

fn faq(text: &str, ctx: &Context<'_>) -> Outcome {
    match ctx.faq.lookup(text) {
        FaqMatch::Answer { id, .. } => faq_answer(&id, ctx),
        FaqMatch::Ambiguous { candidates } => {
            let buttons = candidates
                .iter()
                .filter_map(|(id, _)| ctx.faq.entry(id))
                .map(|e| Button::new(e.title.clone(), format!("faq:{}", e.id)))
                .collect();
            Outcome::reply(State::Idle, Reply::with_buttons("I want to be sure I answer the right question. Did you mean one of these?", buttons))
        }
        FaqMatch::Miss { best } => Outcome::reply(
            State::Idle,
            Reply::with_buttons(
                "Sorry, I'm not sure I understood that. I can show you the topics I know about, or get you a person.",
                vec![Button::new("Show topics", "menu"), Button::new("Talk to a person", "human")],
            ),
        )
        .with_effect(Effect::RecordFaqMiss { text: text.chars().take(500).collect(), best }),
    }
}

/// Topics whose answer gains from the trainer's own phase and fees.
const PERSONAL_TOPICS: [&str; 5] = [
    "expired",
    "late_fee",
    "cost",
    "requirements",
    "recertify_for_life",
];

fn faq_answer(id: &str, ctx: &Context<'_>) -> Outcome {
    let Some(entry) = ctx.faq.entry(id) else {
        return topics(ctx);
    };
    let mut o = Outcome::reply(State::Idle, Reply::text(entry.answer.clone()));
    if PERSONAL_TOPICS.contains(&id)
        && let Some(s) = replies::current_status(ctx.profile, ctx.policy, ctx.now)
    {
        let mut t = format!(
            "For you: your certification {} {}; phase: {}.\nCEUs: {} of {} CEUs.\n",
            if s.days_to_expiration < 0 {
                "expired"
            } else {
                "expires"
            },
            replies::date(s.expires_on),
            replies::phase(s.phase, ctx.policy),
            s.earned,
            s.required
        );
        t.push_str(&replies::fees_text(&s));
        o.replies.push(Reply::text(t.trim_end().to_string()));
        if s.phase == crate::rules::Phase::Lapsed {
            o = o.with_effect(Effect::RequestHuman {
                reason: "certification expired more than one year ago".into(),
            });
            o.replies.push(handoff::reply(ctx));
        }
    }
    o
}

fn voice_failed(reason: VoiceFailure) -> String {
    match reason {
        VoiceFailure::NotConfigured => "I can't listen to voice notes here yet. Could you type your message instead?".into(),
        VoiceFailure::Unavailable => "Sorry, I couldn't make out that voice note just now. Could you type it instead?".into(),
        VoiceFailure::TooLarge => "That voice note is too long for me (the limit is 20 MB). Could you type it, or send a shorter one?".into(),
        VoiceFailure::UnsupportedFormat => "I can't play that audio format. Could you type your message, or send a regular voice note?".into(),
    }
}
