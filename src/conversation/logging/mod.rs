//! The CEU-logging dialogue: details read from the trainer's words fill a [`Draft`];
//! missing ones are asked for one at a time; every detail is checked (amount, date,
//! cycle); the summary is confirmed before anything is stored.
//!
//! - `prompts`: the questions and the summary, each with its buttons.
//! - `checks`: reading answers and checking each detail.
//! - `save`: the confirmed draft stored, with the new total.

use super::extract::{self, AmountMention, DateMention, Extracted};
use super::replies::date;
use super::{Content, Context, Draft, Field, Outcome, Reply, State, answer_yes};
use crate::domain::Action;
use crate::rules::status;
use crate::rules::{CeEntry, Ceu};
use crate::understand::Label;

pub mod aside;
mod checks;
mod prompts;
mod save;

pub use checks::understands;
use checks::{
    apply_button, check_amount, clean_title, field_from_key, fill_rest, is_duplicate, read_answer,
};
pub use prompts::ask;
pub(crate) use prompts::{amount_choice, choose_edit_prompt, confirm_prompt, duplicate_prompt};
use save::save;

/// Starts (or restarts) logging from what the first message said.
#[must_use]
pub fn begin(found: &Extracted, ctx: &Context<'_>) -> Outcome {
    absorb_and_advance(Draft::default(), found, ctx, None)
}

/// Starts logging several courses from one message: the first now, the others queued
/// (each gets its own summary and confirmation in turn).
#[must_use]
pub fn begin_courses(courses: &[Extracted], ctx: &Context<'_>) -> Outcome {
    let Some((first, rest)) = courses.split_first() else {
        return begin(&Extracted::default(), ctx);
    };
    let queue = rest.iter().map(|f| prefill(f, ctx)).collect();
    let mut o = absorb_and_advance(
        Draft {
            queue,
            ..Draft::default()
        },
        first,
        ctx,
        None,
    );
    if !rest.is_empty() {
        o.replies.insert(
            0,
            Reply::text(format!(
                "You told me about {} courses. I'll log them one at a time; here is the first.",
                courses.len()
            )),
        );
    }
    o
}

/// A queued course's details, each kept only if it passes its check (the others are
/// asked for when its turn comes).
fn prefill(found: &Extracted, ctx: &Context<'_>) -> Draft {
    let mut d = Draft::default();
    if let [one] = found.amounts.as_slice() {
        d.amount = check_amount(*one, ctx).ok();
    }
    fill_rest(&mut d, found, ctx, &mut Vec::new());
    d
}

/// After one course is saved or dropped, the next queued one (if any) starts.
pub(super) fn then_next(mut o: Outcome, mut queue: Vec<Draft>, ctx: &Context<'_>) -> Outcome {
    if queue.is_empty() {
        return o;
    }
    let mut next = queue.remove(0);
    next.queue = queue;
    let left = next.queue.len() + 1;
    let more = advance(
        next,
        ctx,
        Some(format!(
            "Next course ({left} still to log from your message):"
        )),
    );
    o.replies.extend(more.replies);
    o.effects.extend(more.effects);
    o.state = more.state;
    o
}

/// Continues a draft with the trainer's answer to the question about `field`; a
/// question asked along with the answer is answered first.
#[must_use]
pub fn answer(draft: Draft, field: Field, input: &Content, ctx: &Context<'_>) -> Outcome {
    if let Content::Text(t) | Content::Voice { transcript: t } = input
        && let Some((question, told)) = aside::split(t)
        && understands(field, &told, ctx)
    {
        let o = answer_only(draft, field, &Content::Text(told), ctx);
        return aside::answered_first(o, &question, ctx);
    }
    answer_only(draft, field, input, ctx)
}

fn answer_only(draft: Draft, field: Field, input: &Content, ctx: &Context<'_>) -> Outcome {
    let mut draft = draft;
    match input {
        Content::Button(_) => {
            if let Some(problem) = apply_button(&mut draft, input.action(), ctx) {
                return ask(draft, field, ctx, Some(problem));
            }
            advance(draft, ctx, None)
        }
        Content::Text(text) | Content::Voice { transcript: text } => {
            if let Some(o) = correction(&draft, field, text, ctx) {
                return o;
            }
            let found = read_answer(text, field, ctx);
            if field == Field::Title && !text.trim().is_empty() {
                draft.title = Some(clean_title(text));
                return advance(draft, ctx, None);
            }
            if found.is_empty() {
                return ask(draft, field, ctx, Some("Sorry, I didn't get that.".into()));
            }
            absorb_and_advance(draft, &found, ctx, Some(field))
        }
        _ => ask(draft, field, ctx, None),
    }
}

/// The trainer picked one of two contradictory amounts.
#[must_use]
pub fn choose_amount(
    draft: Draft,
    options: Vec<Ceu>,
    input: &Content,
    ctx: &Context<'_>,
) -> Outcome {
    let chosen = match input {
        Content::Button(_) => match input.action() {
            Some(Action::Amount(minutes)) => {
                Some(Ceu::from_minutes(minutes)).filter(|c| options.contains(c))
            }
            _ => None,
        },
        Content::Text(_) | Content::Voice { .. } => match ctx.found().amounts.as_slice() {
            [AmountMention::Amount(a)] if options.contains(a) => Some(*a),
            _ => None,
        },
        _ => None,
    };
    match chosen {
        Some(a) => {
            let mut draft = draft;
            draft.amount = Some(a);
            advance(draft, ctx, None)
        }
        None => amount_choice(
            draft,
            options,
            Some("Please pick one of the amounts.".into()),
        ),
    }
}

/// Save / Edit / Cancel on the summary (text answers work too).
#[must_use]
pub fn confirm(draft: Draft, input: &Content, ctx: &Context<'_>) -> Outcome {
    let choice = match input {
        Content::Button(_) => input.action(),
        Content::Text(_) | Content::Voice { .. } => match answer_yes(input, ctx) {
            Some(true) => Some(Action::Save),
            Some(false) => Some(Action::Cancel),
            // "edit", "I need to change something": which detail is asked next.
            None if wants_edit(ctx) => Some(Action::Edit),
            None => None,
        },
        _ => None,
    };
    match choice {
        Some(Action::Save | Action::Yes) => save(draft, ctx),
        Some(Action::Edit) => choose_edit_prompt(draft),
        Some(Action::Cancel | Action::No) => then_next(
            Outcome::reply(State::Idle, Reply::text("Cancelled. Nothing was saved.")),
            draft.queue,
            ctx,
        ),
        _ => {
            // "actually it was 3 hours": the correction's details change the draft.
            let found = ctx.found();
            if !found.is_empty() {
                return absorb_and_advance(draft, found, ctx, None);
            }
            let mut o = confirm_prompt(draft, ctx);
            o.replies.insert(
                0,
                Reply::text("Please choose Save, Edit or Cancel (or reply yes or no)."),
            );
            o
        }
    }
}

/// Which detail to change.
#[must_use]
pub fn choose_edit(draft: Draft, input: &Content, ctx: &Context<'_>) -> Outcome {
    let field = match input {
        Content::Button(_) => match input.action() {
            Some(Action::Field(key)) => field_from_key(&key),
            _ => None,
        },
        Content::Text(t) | Content::Voice { transcript: t } => {
            field_from_key(&t.trim().to_lowercase())
        }
        _ => None,
    };
    let Some(field) = field else {
        let found = ctx.found();
        if !found.is_empty() {
            return absorb_and_advance(draft, found, ctx, None);
        }
        return choose_edit_prompt(draft);
    };
    ask(draft, field, ctx, None)
}

/// "You already logged this; log it again?"
#[must_use]
pub fn duplicate(draft: Draft, input: &Content, ctx: &Context<'_>) -> Outcome {
    match answer_yes(input, ctx) {
        Some(true) => confirm_prompt(draft, ctx),
        Some(false) => then_next(
            Outcome::reply(State::Idle, Reply::text("OK, I didn't log it again.")),
            draft.queue,
            ctx,
        ),
        None => duplicate_prompt(draft, None),
    }
}

/// Whether the turn's text asks to change the summary without saying to what ("edit",
/// "hmm I need to fix something").
fn wants_edit(ctx: &Context<'_>) -> bool {
    ctx.reading
        .is_some_and(|r| r.sure() && r.first().label == Label::Edit && r.found.is_empty())
}

/// Resumes a draft (after registration, or an interruption).
#[must_use]
pub fn advance(draft: Draft, ctx: &Context<'_>, note: Option<String>) -> Outcome {
    if ctx.profile.cert.is_none() {
        let mut text = note.map(|n| format!("{n}\n")).unwrap_or_default();
        text.push_str(
            "Before I log this, when does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")",
        );
        return Outcome::reply(
            State::AwaitingExpiration {
                pending: Some(draft),
            },
            Reply::text(text),
        );
    }
    let missing = [Field::Amount, Field::Area, Field::Date, Field::Provider]
        .into_iter()
        .find(|f| match f {
            Field::Amount => draft.amount.is_none(),
            Field::Area => draft.area.is_none(),
            Field::Date => draft.completed_on.is_none(),
            Field::Provider => draft.provider.is_none(),
            Field::Title => false,
        });
    if let Some(field) = missing {
        return ask(draft, field, ctx, note);
    }
    if draft.editing.is_none() && is_duplicate(&draft, &ctx.profile.entries) {
        return duplicate_prompt(draft, note);
    }
    let mut o = confirm_prompt(draft, ctx);
    if let Some(n) = note {
        o.replies.insert(0, Reply::text(n));
    }
    o
}

/// Starts editing an existing entry: its details fill the draft, and the trainer picks
/// what to change.
#[must_use]
pub fn edit_entry(entry: &CeEntry) -> Outcome {
    choose_edit_prompt(Draft {
        amount: Some(entry.amount),
        area: Some(entry.area),
        completed_on: Some(entry.completed_on),
        provider: Some(entry.provider),
        title: entry.title.clone(),
        editing: Some(entry.id),
        queue: Vec::new(),
    })
}
/// A correction while a question is pending ("hold on, it was actually 2 hours not 5",
/// "the area should be assessment"): the details it names change and the dialogue goes
/// on; it never answers the pending question unless that is all it names.
fn correction(draft: &Draft, field: Field, text: &str, ctx: &Context<'_>) -> Option<Outcome> {
    if field == Field::Title || !extract::is_correction(text) {
        return None;
    }
    let mut found = extract::extract(text, ctx.now, ctx.policy.contact.trainer_timezone);
    let names_other = !found.amounts.is_empty() && field != Field::Amount
        || found.area.is_some() && field != Field::Area
        || found.date.is_some() && field != Field::Date
        || found.provider.is_some() && field != Field::Provider;
    if !names_other {
        return None;
    }
    match field {
        Field::Amount => found.amounts.clear(),
        Field::Area => found.area = None,
        Field::Date => found.date = None,
        Field::Provider => found.provider = None,
        Field::Title => {}
    }
    let mut o = absorb_and_advance(draft.clone(), &found, ctx, None);
    o.replies.insert(0, Reply::text("OK, I've changed that."));
    Some(o)
}

/// A course said to be completed on a future day is not logged (the next queued one
/// starts, if any).
fn not_yet_completed(day: chrono::NaiveDate, queue: Vec<Draft>, ctx: &Context<'_>) -> Outcome {
    let refused = Outcome::reply(
        State::Idle,
        Reply::text(format!(
            "{} is in the future, and I can only log courses you have already completed. Tell me about it again once you've finished it. Nothing was saved.",
            date(day)
        )),
    );
    then_next(refused, queue, ctx)
}

/// Merges what was found into the draft, checks each detail, and moves on.
fn absorb_and_advance(
    mut draft: Draft,
    found: &Extracted,
    ctx: &Context<'_>,
    asked: Option<Field>,
) -> Outcome {
    let today = status::today(ctx.policy, ctx.now);
    if let (None, Some(DateMention::On(day))) = (asked, &found.date)
        && *day > today
    {
        return not_yet_completed(*day, draft.queue, ctx);
    }
    let mut problems: Vec<String> = Vec::new();
    let amounts: Vec<AmountMention> = found.amounts.clone();
    match amounts.as_slice() {
        [] => {}
        [one] => match check_amount(*one, ctx) {
            Ok(a) => draft.amount = Some(a),
            Err(p) => {
                draft.amount = None;
                problems.push(p);
            }
        },
        many => {
            let options: Vec<Ceu> = many
                .iter()
                .filter_map(|m| match m {
                    AmountMention::Amount(a) => Some(*a),
                    _ => None,
                })
                .collect();
            if options.len() >= 2 {
                fill_rest(&mut draft, found, ctx, &mut problems);
                let note = (!problems.is_empty()).then(|| problems.join("\n"));
                return amount_choice(draft, options, note);
            }
            problems.push("I found more than one amount there and couldn't read them all.".into());
        }
    }
    fill_rest(&mut draft, found, ctx, &mut problems);
    if problems.is_empty() {
        return advance(draft, ctx, None);
    }
    let note = problems.join("\n");
    // Ask again for the first detail that was refused (or the one asked about).
    let field = if draft.amount.is_none() && !amounts.is_empty() {
        Field::Amount
    } else if draft.completed_on.is_none() && found.date.is_some() {
        Field::Date
    } else {
        asked.unwrap_or(Field::Amount)
    };
    ask(draft, field, ctx, Some(note))
}
