//! The trainer's side of a hand-off, as far as the pure step goes: what they are told
//! on asking for a person, and leaving a message while advisors are away. Tickets are
//! opened by the service ([`crate::handoff`]).

use super::{Button, Content, Context, Effect, Outcome, Reply, State, replies};
use crate::domain::Action;
use crate::rules::hours;

/// What the trainer is told on asking for a person.
#[must_use]
pub fn reply(ctx: &Context<'_>) -> Reply {
    let h = &ctx.policy.hours;
    let phone = &ctx.policy.contact.phone;
    if hours::is_open(h, ctx.now) {
        return Reply::text(if ctx.advisors {
            format!("I'm passing you to a support advisor. You can also call {phone}.")
        } else {
            format!("Our advisors are available now at {phone}.")
        });
    }
    let text = format!(
        "{} Hours: {}. Call {phone} during those hours{}",
        replies::hours_now(ctx.policy, ctx.now),
        hours::describe(h),
        if ctx.advisors {
            ", or leave a message here and an advisor will reply when they open."
        } else {
            "."
        }
    );
    if ctx.advisors {
        Reply::with_buttons(
            text,
            vec![Button::new("Leave a message", Action::LeaveMessage)],
        )
    } else {
        Reply::text(text)
    }
}

/// The trainer pressed "Leave a message".
#[must_use]
pub fn prompt_message() -> Outcome {
    Outcome::reply(
        State::LeavingMessage,
        Reply::text(
            "Type your message for the advisors and I'll pass it on when they open. (/cancel to skip.)",
        ),
    )
}

/// The message itself.
#[must_use]
pub fn leave(input: &Content, ctx: &Context<'_>) -> Outcome {
    let text = match input {
        Content::Text(t) | Content::Voice { transcript: t } if !t.trim().is_empty() => t.trim(),
        _ => return prompt_message(),
    };
    let when = hours::next_opening(&ctx.policy.hours, ctx.now)
        .map(|t| format!(", {}", hours::describe_instant(t)))
        .unwrap_or_default();
    Outcome::reply(
        State::Idle,
        Reply::text(format!(
            "Thanks, I've kept your message. The advisors will get it when they open{when} and reply here."
        )),
    )
    .with_effect(Effect::LeaveMessage { text: text.chars().take(2000).collect() })
}
