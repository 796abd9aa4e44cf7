//! A message that logs a course and asks a question ("i did a 4 hr nutrition workshop
//! last weekend thru nasm, how do i log it"): the question is answered and the course
//! is logged (read back and confirmed as always), instead of one derailing the other.

use super::faq::faq;
use crate::conversation::intent::{looks_like_question, normalize};
use crate::conversation::{Context, Outcome, Reply, extract, logging};

/// The log and the answer, when `t` is a CE log with a question in it.
pub(super) fn log_and_answer(t: &str, ctx: &Context<'_>) -> Option<Outcome> {
    let clauses: Vec<&str> = t
        .split_inclusive(['?', ',', ';', '.', '!'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let (questions, told): (Vec<&str>, Vec<&str>) = clauses
        .into_iter()
        .partition(|c| looks_like_question(&normalize(c)));
    if questions.is_empty() || told.is_empty() {
        return None;
    }
    let log = told.join(" ");
    let tz = ctx.policy.contact.trainer_timezone;
    let found = extract::extract(&log, ctx.now, tz);
    if found.amounts.is_empty() || !extract::looks_like_ce_log(&log, &found) {
        return None;
    }
    let mut o = logging::begin_courses(&extract::courses(&log, ctx.now, tz), ctx);
    let question = questions.join(" ");
    let about_logging = ["log", "add", "record", "enter", "submit", "count"]
        .iter()
        .any(|w| {
            normalize(&question)
                .split(' ')
                .any(|q| q.trim_matches('?') == *w)
        });
    let answer = if about_logging {
        vec![Reply::text("I can log it for you right here.")]
    } else {
        let a = faq(&question, ctx);
        let plain = a.effects.is_empty() && a.replies.iter().all(|r| r.buttons.is_empty());
        if plain { a.replies } else { Vec::new() }
    };
    o.replies.splice(0..0, answer);
    Some(o)
}
