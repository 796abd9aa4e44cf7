//! Interruptions: a question or change of subject in the middle of a dialogue is handled,
//! then the pending question is asked again.

use super::text;
use crate::conversation::extract;
use crate::conversation::intent::{self, Intent};
use crate::conversation::reading::Reading;
use crate::conversation::{Content, Context, Outcome, Reply, State, logging, records};
use crate::rules::status;
use crate::understand::Label;

/// Inside a dialogue, a message that is not an answer but a question or a change of
/// subject is handled as such, and then the pending question is asked again.
pub(super) fn interruption(
    state: &State,
    t: &str,
    reading: &Reading,
    ctx: &Context<'_>,
) -> Option<Outcome> {
    if !interruptible(state) {
        return None;
    }
    let today = status::today(ctx.policy, ctx.now);
    if matches!(
        reading.first().label,
        Label::Answer(_) | Label::Yes | Label::No | Label::Cancel | Label::Edit
    ) {
        return None;
    }
    let intent = intent::classify(t, reading, today);
    let question = matches!(
        intent,
        Intent::Question | Intent::Topic { .. } | Intent::Fees
    );
    if !intent::interrupts(&intent) || (question && !reading.question) {
        return None;
    }
    if answers(state, t, reading, today, ctx) {
        return None;
    }
    let o = text(t, reading, ctx);
    if o.state == State::Idle {
        return Some(resume(o, state.clone(), ctx));
    }
    Some(o)
}

/// `o` (an answer given inside a dialogue) followed by the dialogue's pending question
/// asked again, so what the trainer confirms next is what was just shown; the dialogue
/// goes on in `state`.
pub(super) fn resume(mut o: Outcome, state: State, ctx: &Context<'_>) -> Outcome {
    let again = reprompt(state, ctx);
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
    o
}

/// Whether a question or change of subject in this state is an interruption (the
/// pending question is asked again after it). Where the bot waits for a date or a
/// free message, anything else is simply handled as usual.
fn interruptible(state: &State) -> bool {
    match state {
        State::Idle
        | State::AwaitingExpiration { .. }
        | State::AwaitingCprDate
        | State::LeavingMessage => false,
        State::Asking { .. }
        | State::ChoosingAmount { .. }
        | State::Confirming { .. }
        | State::ChoosingEdit { .. }
        | State::ConfirmingDuplicate { .. }
        | State::ConfirmingDelete { .. }
        | State::ChoosingDocument { .. }
        | State::ConfirmingForget
        | State::ConfirmingApplication { .. }
        | State::AwaitingNewExpiration { .. }
        | State::ConfirmingAuditSent { .. }
        | State::ConfirmingChange { .. } => true,
    }
}

/// Whether the text is a usable answer in this state.
fn answers(
    state: &State,
    t: &str,
    reading: &Reading,
    today: chrono::NaiveDate,
    ctx: &Context<'_>,
) -> bool {
    let found = &reading.found;
    let consent = reading.consent().is_some();
    match state {
        State::Asking { field, .. } => logging::understands(*field, t, ctx),
        State::Confirming { .. } => consent || !found.is_empty(),
        State::ChoosingAmount { .. } => !found.amounts.is_empty(),
        State::ConfirmingDelete { .. }
        | State::ConfirmingDuplicate { .. }
        | State::ConfirmingForget
        | State::ConfirmingApplication { .. }
        | State::ConfirmingAuditSent { .. } => consent,
        State::ChoosingEdit { .. } => !found.is_empty(),
        State::AwaitingNewExpiration { .. } => consent || found.date.is_some(),
        State::ConfirmingChange { .. } => {
            consent || extract::has_explicit_date(t, today) || extract::year_in(t).is_some()
        }
        // A file is the only answer to "what is this document for?" besides its buttons.
        State::ChoosingDocument { .. } => false,
        State::Idle
        | State::AwaitingExpiration { .. }
        | State::AwaitingCprDate
        | State::LeavingMessage => false,
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
        State::ConfirmingApplication { on } => records::confirm_application(on, ctx),
        State::AwaitingNewExpiration { .. } => records::ask_new_expiration(None, ctx),
        State::ConfirmingAuditSent { on } => records::confirm_audit_sent(on, ctx),
        State::ConfirmingChange { change } => records::read_back(change, ctx),
        // Not interruptible: nothing pending to ask again.
        other @ (State::Idle
        | State::AwaitingExpiration { .. }
        | State::AwaitingCprDate
        | State::LeavingMessage) => Outcome {
            replies: Vec::new(),
            effects: Vec::new(),
            state: other,
        },
    }
}
