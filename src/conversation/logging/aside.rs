//! A question asked in passing while a course is being logged ("yesterday, does a
//! webinar even count?"): the answer part goes to the dialogue as usual, and the
//! question gets its FAQ answer first, so the log goes on and nothing is ignored.

use crate::conversation::intent::{looks_like_question, normalize};
use crate::conversation::{Context, Outcome, Reply};
use crate::faq::FaqMatch;

/// The question clauses of `text` and the rest, when it has both.
#[must_use]
pub fn split(text: &str) -> Option<(String, String)> {
    let clauses: Vec<&str> = text
        .split_inclusive(['?', ',', ';', '.', '!'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let (questions, told): (Vec<&str>, Vec<&str>) = clauses
        .into_iter()
        .partition(|c| looks_like_question(&normalize(c)));
    (!questions.is_empty() && !told.is_empty()).then(|| (questions.join(" "), told.join(" ")))
}

/// `o` with the FAQ's answer to `question` before its replies, when the FAQ is sure.
#[must_use]
pub fn answered_first(mut o: Outcome, question: &str, ctx: &Context<'_>) -> Outcome {
    if let FaqMatch::Answer { id, .. } = ctx.faq.lookup(question)
        && let Some(entry) = ctx.faq.entry(&id)
    {
        o.replies.insert(0, Reply::text(entry.answer.clone()));
    }
    o
}
