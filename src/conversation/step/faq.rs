//! FAQ answers: matching a question, the topic menu, and the trainer's own figures added
//! to answers about fees and deadlines.

use super::status_reply;
use crate::conversation::replies;
use crate::conversation::{Button, Context, Effect, Outcome, Reply, State, handoff};
use crate::faq::FaqMatch;

/// A personal question before registration: the general answer if the FAQ has one,
/// then a request for the expiration date.
pub(super) fn unregistered_question(t: &str, ctx: &Context<'_>) -> Outcome {
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

pub(super) fn topics(ctx: &Context<'_>) -> Outcome {
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

pub(super) fn faq(text: &str, ctx: &Context<'_>) -> Outcome {
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

pub(super) fn faq_answer(id: &str, ctx: &Context<'_>) -> Outcome {
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
