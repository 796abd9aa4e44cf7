//! Reading the trainer's answers and checking each detail (amount, date, cycle) before
//! it goes into the draft.

use chrono::NaiveDate;

use crate::conversation::extract::{self, AmountMention, DateMention, Extracted};
use crate::conversation::replies::{self, date};
use crate::conversation::{Context, Draft, Field};
use crate::domain::{Action, Day};
use crate::rules::status::{self, EntryWindow};
use crate::rules::{Area, CeEntry, Ceu, Provider};

/// Whether `text` answers the question about `field` (so it is not a change of subject).
#[must_use]
pub fn understands(field: Field, text: &str, ctx: &Context<'_>) -> bool {
    let found = read_answer(text, field, ctx);
    match field {
        Field::Amount => !found.amounts.is_empty(),
        Field::Area => found.area.is_some(),
        Field::Date => found.date.is_some(),
        Field::Provider => found.provider.is_some(),
        Field::Title => true,
    }
}

pub(super) fn fill_rest(
    draft: &mut Draft,
    found: &Extracted,
    ctx: &Context<'_>,
    problems: &mut Vec<String>,
) {
    if let Some(a) = found.area {
        draft.area = Some(a);
    }
    if let Some(p) = found.provider {
        draft.provider = Some(p);
    }
    if let Some(t) = &found.title {
        draft.title = Some(clean_title(t));
    }
    if let Some(d) = &found.date {
        match check_date(d, ctx) {
            Ok(d) => draft.completed_on = Some(d),
            Err(p) => {
                draft.completed_on = None;
                problems.push(p);
            }
        }
    }
}

/// An amount one course can carry: positive and at most the policy's maximum.
pub(super) fn check_amount(m: AmountMention, ctx: &Context<'_>) -> Result<Ceu, String> {
    let max = Ceu::from_hours(ctx.policy.certification.max_course_hours);
    match m {
        AmountMention::Amount(a) if a > max => Err(format!(
            "{}: that's more hours than I can record for one course. Please check the amount; if it is right, an advisor can help (send /human).",
            replies::amount(a)
        )),
        AmountMention::Amount(a) if a.is_zero() => Err("A course of zero hours can't be logged.".into()),
        AmountMention::Amount(a) => Ok(a),
        AmountMention::Zero => Err("A course of zero hours can't be logged.".into()),
        AmountMention::Negative => Err("An amount can't be negative.".into()),
        AmountMention::Credits => Err(
            "Credits can mean different things (a college's semester credits are not CEUs). How many contact hours was it (e.g. \"3 hours\"), or how many NASM CEUs (e.g. \"0.3 CEUs\")?"
                .into(),
        ),
        AmountMention::Unreadable => Err(
            "I couldn't read that amount. Please write it like \"4 hours\", \"90 minutes\" or \"0.4 CEUs\"."
                .into(),
        ),
    }
}

/// A completion date: real, not in the future, inside the cycle or its grace period.
pub(super) fn check_date(d: &DateMention, ctx: &Context<'_>) -> Result<NaiveDate, String> {
    let day = match d {
        DateMention::Invalid(text) => return Err(format!("\"{text}\" isn't a real date.")),
        DateMention::On(day) => *day,
    };
    let today = status::today(ctx.policy, ctx.now);
    if day > today {
        return Err(format!(
            "{} is in the future. I can only log courses you have already completed.",
            date(day)
        ));
    }
    let Some(cert) = &ctx.profile.cert else {
        return Ok(day);
    };
    let grace = ctx.policy.certification.completion_grace_days;
    match cert.window(day, ctx.policy) {
        EntryWindow::InCycle | EntryWindow::Grace => Ok(day),
        EntryWindow::BeforeCycle => Err(format!(
            "{} is before your current cycle, which counts courses from {}, so it can't count toward this renewal.",
            date(day),
            date(
                cert.counts_from
                    .unwrap_or_else(|| status::cycle_start(cert.expires_on, ctx.policy))
            )
        )),
        EntryWindow::AfterGrace => Err(format!(
            "{} is more than {grace} days after your expiration date, {}: courses had to be completed by {} to count toward this renewal.",
            date(day),
            date(cert.expires_on),
            date(status::completion_deadline(cert.expires_on, ctx.policy))
        )),
    }
}

/// Reads an answer to one question: the whole extractor first, then the bare forms a
/// short answer takes ("4" for hours, "nasm", "not approved").
pub(super) fn read_answer(text: &str, field: Field, ctx: &Context<'_>) -> Extracted {
    let tz = ctx.policy.contact.trainer_timezone;
    let mut found = extract::extract(text, ctx.now, tz);
    let t = text.trim().to_lowercase();
    match field {
        Field::Amount if found.amounts.is_empty() => {
            if let Ok(a) = Ceu::parse_hours(&t) {
                found.amounts.push(if a.is_zero() {
                    AmountMention::Zero
                } else {
                    AmountMention::Amount(a)
                });
            }
        }
        Field::Area if found.area.is_none() => found.area = extract::find_area(&t),
        Field::Date if found.date.is_none() => {
            found.date = extract::find_date(
                &t,
                status::today(ctx.policy, ctx.now),
                extract::Sought::Completion,
            );
        }
        // "not approved" and "petition" are read by the extractor; a bare "not" or
        // "no" answers nothing ("hold on, it was 2 hours not 5" is a correction).
        Field::Provider if found.provider.is_none() => {
            let words: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).collect();
            found.provider = if words.contains(&"nasm") {
                Some(Provider::Nasm)
            } else if words.contains(&"approved") || t == "yes" {
                Some(Provider::Approved)
            } else {
                None
            };
        }
        _ => {}
    }
    found
}

/// Applies a button press (an area, a provider, a day); `Some(problem)` if refused.
pub(super) fn apply_button(
    draft: &mut Draft,
    action: Option<Action>,
    ctx: &Context<'_>,
) -> Option<String> {
    let today = status::today(ctx.policy, ctx.now);
    match action {
        Some(Action::Area(k)) => draft.area = Some(Area::from_key(&k)?),
        Some(Action::Provider(k)) => draft.provider = Some(Provider::from_key(&k)?),
        Some(Action::Date(day)) => {
            let day = match day {
                Day::Today => today,
                Day::Yesterday => today.pred_opt()?,
            };
            match check_date(&DateMention::On(day), ctx) {
                Ok(d) => draft.completed_on = Some(d),
                Err(p) => return Some(p),
            }
        }
        _ => return Some("That button doesn't belong to this question.".into()),
    }
    None
}

pub(super) fn is_duplicate(d: &Draft, entries: &[CeEntry]) -> bool {
    entries.iter().any(|e| {
        Some(e.completed_on) == d.completed_on
            && Some(e.amount) == d.amount
            && e.title.as_deref().map(str::to_lowercase)
                == d.title.as_deref().map(str::to_lowercase)
    })
}

pub(super) fn field_from_key(k: &str) -> Option<Field> {
    let key = |w: &str| match w {
        "amount" | "hours" | "hour" | "ceus" | "ceu" | "length" | "time" | "duration" => {
            Some(Field::Amount)
        }
        "area" | "topic" | "category" => Some(Field::Area),
        "date" | "day" | "when" => Some(Field::Date),
        "provider" | "approved" | "petition" => Some(Field::Provider),
        "title" | "name" => Some(Field::Title),
        _ => None,
    };
    // "the date", "change the hours": the one field a short answer names.
    let words: Vec<&str> = k
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 5 {
        return None;
    }
    let mut fields = words.iter().filter_map(|w| key(w));
    let first = fields.next()?;
    fields.all(|f| f == first).then_some(first)
}

pub(super) fn clean_title(t: &str) -> String {
    t.trim()
        .trim_matches(['"', '\'', '“', '”'])
        .chars()
        .take(120)
        .collect()
}
