//! Several requests in one message: after the first is acted on, the questions that
//! follow it are answered too.

use super::faq::faq_answer;
use super::status_reply;
use crate::conversation::reading::{self, Reading};
use crate::conversation::{Context, Outcome, Reply, State, replies};
use crate::understand::Label;

/// "What's my status and how much do I owe?": after the first request is acted on, the
/// questions that follow it (the standing, the fees, a topic, help) are answered too, in
/// the order asked, before any question the first one left pending. A course logged with
/// a question is the logging dialogue's own case (`mixed`).
pub(super) fn also_answered(mut o: Outcome, reading: &Reading, ctx: &Context<'_>) -> Outcome {
    let mut asked = reading
        .requests
        .iter()
        .skip_while(|g| g.label == Label::Greeting);
    let Some(first) = asked.next().map(|g| &g.label) else {
        return o;
    };
    if *first == Label::LogCeu || reading.outside {
        return o;
    }
    let mut extra: Vec<Reply> = Vec::new();
    for g in asked {
        if g.confidence < reading::SURE || g.label == *first {
            continue;
        }
        let answer = match &g.label {
            Label::Status if ctx.profile.cert.is_some() => status_reply(ctx),
            Label::Fees => faq_answer("cost", ctx),
            Label::Faq(id) => faq_answer(id, ctx),
            Label::Help => Outcome::reply(State::Idle, Reply::text(replies::help(ctx.policy))),
            _ => continue,
        };
        // An answer already given (the first request may have been this one) is not
        // given twice.
        for r in answer.replies {
            if !o.replies.iter().chain(&extra).any(|had| had.text == r.text) {
                extra.push(r);
            }
        }
    }
    let at = if o.state == State::Idle {
        o.replies.len()
    } else {
        o.replies.len().saturating_sub(1)
    };
    o.replies.splice(at..at, extra);
    o
}
