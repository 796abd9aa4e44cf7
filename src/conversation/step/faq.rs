//! FAQ answers: matching a question, the topic menu, and the trainer's own figures added
//! to answers about fees and deadlines.

use super::status_reply;
use crate::conversation::reading::Reading;
use crate::conversation::replies;
use crate::conversation::{Button, Context, Effect, Outcome, Reply, State};
use crate::domain::Action;
use crate::faq::FaqMatch;
use crate::understand::Label;

/// How much of an unanswered question is kept for the support team.
const MAX_MISS_CHARS: usize = 500;

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

/// Topics per menu page: six fit a phone screen, plus "More topics".
const MENU_PAGE: usize = 6;

pub(super) fn topics(ctx: &Context<'_>) -> Outcome {
    topics_page(0, ctx)
}

/// Page `page` of the topic menu (0 first): at most [`MENU_PAGE`] topics, then "More
/// topics" while any are left (the last page leads back to the first).
pub(super) fn topics_page(page: usize, ctx: &Context<'_>) -> Outcome {
    let all = ctx.faq.entries();
    let pages = all.len().div_ceil(MENU_PAGE).max(1);
    let page = page % pages;
    let mut buttons: Vec<Button> = all
        .iter()
        .skip(page * MENU_PAGE)
        .take(MENU_PAGE)
        .map(|e| Button::new(e.title.clone(), Action::Faq(e.id.clone())))
        .collect();
    if pages > 1 {
        buttons.push(Button::new("More topics", Action::Menu((page + 1) % pages)));
    }
    let text = if page == 0 {
        "Here's what I can answer. Pick a topic:"
    } else {
        "More topics:"
    };
    Outcome::reply(State::Idle, Reply::with_buttons(text, buttons))
}

pub(super) fn faq(text: &str, ctx: &Context<'_>) -> Outcome {
    match ctx.faq.lookup(text) {
        FaqMatch::Answer { id, .. } => faq_answer(&id, ctx),
        FaqMatch::Ambiguous { candidates } => {
            let buttons = candidates
                .iter()
                .filter_map(|(id, _)| ctx.faq.entry(id))
                .map(|e| Button::new(e.title.clone(), Action::Faq(e.id.clone())))
                .collect();
            Outcome::reply(State::Idle, Reply::with_buttons("I want to be sure I answer the right question. Did you mean one of these?", buttons))
        }
        FaqMatch::Miss { best } => Outcome::reply(
            State::Idle,
            Reply::with_buttons(
                "Sorry, I'm not sure I understood that. I can show you the topics I know about, or get you a person.",
                vec![Button::new("Show topics", Action::Menu(0)), Button::new("Talk to a person", Action::Human)],
            ),
        )
        .with_effect(Effect::RecordFaqMiss { text: text.chars().take(MAX_MISS_CHARS).collect(), best }),
    }
}

pub(super) fn faq_answer(id: &str, ctx: &Context<'_>) -> Outcome {
    let Some(entry) = ctx.faq.entry(id) else {
        return topics(ctx);
    };
    let mut o = Outcome::reply(State::Idle, Reply::text(entry.answer.clone()));
    if let Some(s) = replies::current_status(ctx.profile, ctx.policy, ctx.now)
        && let Some((mine, replaces)) = replies::for_topic(id, &s, ctx.profile, ctx.policy)
    {
        if replaces {
            o.replies.clear();
        }
        o.replies.push(mine);
    }
    if id == "hours" {
        o.replies
            .push(Reply::text(replies::hours_now(ctx.policy, ctx.now)));
    }
    o
}

/// The classifier's topic is taken when the matcher has no confident answer from this
/// confidence...
const TOPIC_SURE: f32 = 0.6;
/// ... and over the matcher's different answer from this one.
const TOPIC_OVERRULES: f32 = 0.85;

/// A question the classifier puts to the FAQ entry `id` with `confidence`. The matcher
/// reads it too: when both agree, or the classifier is sure enough, that entry answers;
/// else the matcher decides (and asks or misses as usual).
pub(super) fn topic(
    text: &str,
    id: &str,
    confidence: f32,
    reading: &Reading,
    ctx: &Context<'_>,
) -> Outcome {
    if ctx.faq.entry(id).is_none() {
        return faq(text, ctx);
    }
    let take = match ctx.faq.lookup(text) {
        FaqMatch::Answer { id: other, .. } => {
            // The matcher's entry wins unless the classifier all but rules it out.
            let theirs = reading.confidence(&Label::Faq(other.clone()));
            other == id
                || confidence >= TOPIC_OVERRULES
                || (confidence >= TOPIC_SURE && theirs < confidence / 5.0)
        }
        _ => confidence >= TOPIC_SURE,
    };
    if take {
        faq_answer(id, ctx)
    } else {
        faq(text, ctx)
    }
}

/// "What will I pay?": the late-fee answer when the matcher reads one, else the cost
/// answer; both add the trainer's own figures when the bot knows their date.
pub(super) fn fees(text: &str, ctx: &Context<'_>) -> Outcome {
    let id = match ctx.faq.lookup(text) {
        FaqMatch::Answer { id, .. } if id == "late_fee" => "late_fee",
        _ => "cost",
    };
    faq_answer(id, ctx)
}

/// An unsure reading is kept for the support team with the intent guessed (`faq
/// misses`), to become an example; a miss the matcher already records gets the guess
/// when it has none of its own.
pub(super) fn note_unsure(mut o: Outcome, text: &str, reading: &Reading) -> Outcome {
    let guess = Some((reading.first().label.name(), reading.first().confidence));
    match o.effects.iter_mut().find_map(|e| match e {
        Effect::RecordFaqMiss { best, .. } => Some(best),
        _ => None,
    }) {
        Some(best) => *best = best.take().or(guess),
        None => o.effects.push(Effect::RecordFaqMiss {
            text: text.chars().take(500).collect(),
            best: guess,
        }),
    }
    o
}
