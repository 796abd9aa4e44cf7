//! The trainer's account: reminders on or off, `/export` of the record, and `/forget`.

use super::super::answer_yes;
use crate::conversation::{Button, Content, Context, Effect, Outcome, Reply, State};
use crate::domain::{Action, Switch};

/// Asks before deleting everything.
#[must_use]
pub fn confirm_forget() -> Outcome {
    Outcome::reply(
        State::ConfirmingForget,
        Reply::with_buttons(
            "This deletes everything I have stored about you: your certification dates, CE entries, document references, conversation and reminders. It cannot be undone. Delete it all?",
            vec![
                Button::new("Delete everything", Action::Yes),
                Button::new("Keep my data", Action::No),
            ],
        ),
    )
}

/// The answer to "Delete it all?".
#[must_use]
pub fn forget_answer(input: &Content, ctx: &Context<'_>) -> Outcome {
    match answer_yes(input, ctx) {
        Some(true) => Outcome::reply(State::Idle, Reply::text("Done: everything about you has been deleted. Send /start if you want to begin again."))
            .with_effect(Effect::Forget),
        Some(false) => Outcome::reply(State::Idle, Reply::text("OK, nothing was deleted.")),
        None => confirm_forget(),
    }
}

/// `/export`: the trainer's own record, attached by the service as a JSON file.
#[must_use]
pub fn export() -> Outcome {
    Outcome::reply(
        State::Idle,
        Reply::text(
            "Here is everything I have stored about you, as a JSON file: your certification, CE entries, document references, reminder setting and recent conversation.",
        ),
    )
    .with_effect(Effect::Export)
}

/// Reminders on or off.
#[must_use]
pub fn reminders(on: Option<Switch>, ctx: &Context<'_>) -> Outcome {
    match on {
        Some(Switch::On) => Outcome::reply(State::Idle, Reply::text("Reminders are on. I'll remind you before your deadlines, during advisor hours.")).with_effect(Effect::SetReminders(Switch::On)),
        Some(Switch::Off) => Outcome::reply(State::Idle, Reply::text("Reminders are off; I won't send any more. Send /reminders on to turn them back on.")).with_effect(Effect::SetReminders(Switch::Off)),
        None => {
            let now = if ctx.profile.reminders_enabled { "on" } else { "off" };
            Outcome::reply(
                State::Idle,
                Reply::with_buttons(
                    format!("Reminders are {now}."),
                    vec![Button::new("Turn on", Action::Reminders(Switch::On)), Button::new("Turn off", Action::Reminders(Switch::Off))],
                ),
            )
        }
    }
}
