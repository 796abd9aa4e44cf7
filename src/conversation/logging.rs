//! The CEU-logging dialogue: details read from the trainer's words fill a [`Draft`];
//! missing ones are asked for one at a time; every detail is checked (amount, date,
//! cycle); the summary is confirmed before anything is stored.

use chrono::NaiveDate;

use super::extract::{self, AmountMention, DateMention, Extracted};
use super::replies::{self, date};
use super::{
    Button, Content, Context, Draft, Effect, Field, NewEntry, Outcome, Reply, State, yes_no,
};
use crate::rules::status::{self, EntryWindow};
use crate::rules::{Area, CeEntry, Ceu, Provider};

/// Starts (or restarts) logging from what the first message said.
#[must_use]
pub fn begin(found: &Extracted, ctx: &Context<'_>) -> Outcome {
    absorb_and_advance(Draft::default(), found, ctx, None)
}

/// Continues a draft with the trainer's answer to the question about `field`.
#[must_use]
pub fn answer(draft: Draft, field: Field, input: &Content, ctx: &Context<'_>) -> Outcome {
    let mut draft = draft;
    match input {
        Content::Button(data) => {
            if let Some(problem) = apply_button(&mut draft, data, ctx) {
                return ask(draft, field, ctx, Some(problem));
            }
            advance(draft, ctx, None)
        }
        Content::Text(text) | Content::Voice { transcript: text } => {
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
        Content::Button(data) => data
            .strip_prefix("amount:")
            .and_then(|m| m.parse::<u32>().ok())
            .map(Ceu::from_minutes)
            .filter(|c| options.contains(c)),
        Content::Text(t) | Content::Voice { transcript: t } => {
            let found = extract::extract(t, ctx.now, ctx.policy.contact.trainer_timezone);
            match found.amounts.as_slice() {
                [AmountMention::Amount(a)] if options.contains(a) => Some(*a),
                _ => None,
            }
        }
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
        Content::Button(d) => Some(d.as_str()),
        Content::Text(t) | Content::Voice { transcript: t } => match yes_no(t) {
            Some(true) => Some("save"),
            Some(false) => Some("cancel"),
            None if t.trim().eq_ignore_ascii_case("edit") => Some("edit"),
            None => None,
        },
        _ => None,
    };
    match choice {
        Some("save" | "yes") => save(draft, ctx),
        Some("edit") => choose_edit_prompt(draft),
        Some("cancel" | "no") => {
            Outcome::reply(State::Idle, Reply::text("Cancelled. Nothing was saved."))
        }
        _ => {
            // "actually it was 3 hours": read corrections straight from the text.
            if let Content::Text(t) | Content::Voice { transcript: t } = input {
                let found = extract::extract(t, ctx.now, ctx.policy.contact.trainer_timezone);
                if !found.is_empty() {
                    return absorb_and_advance(draft, &found, ctx, None);
                }
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
        Content::Button(d) => field_from_key(d.strip_prefix("field:").unwrap_or(d)),
        Content::Text(t) | Content::Voice { transcript: t } => {
            field_from_key(&t.trim().to_lowercase())
        }
        _ => None,
    };
    let Some(field) = field else {
        if let Content::Text(t) | Content::Voice { transcript: t } = input {
            let found = extract::extract(t, ctx.now, ctx.policy.contact.trainer_timezone);
            if !found.is_empty() {
                return absorb_and_advance(draft, &found, ctx, None);
            }
        }
        return choose_edit_prompt(draft);
    };
    ask(draft, field, ctx, None)
}

/// "You already logged this; log it again?"
#[must_use]
pub fn duplicate(draft: Draft, input: &Content, ctx: &Context<'_>) -> Outcome {
    let yes = match input {
        Content::Button(d) => Some(d == "yes"),
        Content::Text(t) | Content::Voice { transcript: t } => yes_no(t),
        _ => None,
    };
    match yes {
        Some(true) => confirm_prompt(draft, ctx),
        Some(false) => Outcome::reply(State::Idle, Reply::text("OK, I didn't log it again.")),
        None => duplicate_prompt(draft, None),
    }
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
    })
}

/// The question about `field`, with buttons where the answers are few.
#[must_use]
pub fn ask(draft: Draft, field: Field, ctx: &Context<'_>, note: Option<String>) -> Outcome {
    let (question, buttons) = match field {
        Field::Amount => (
            "How long was it? For example \"4 hours\", \"90 minutes\" or \"0.4 CEUs\".".to_string(),
            Vec::new(),
        ),
        Field::Area => (
            "Which area does it cover?".to_string(),
            Area::ALL
                .iter()
                .map(|a| Button::new(capitalize(a.label()), format!("area:{}", a.key())))
                .collect(),
        ),
        Field::Date => (
            "When did you complete it? For example \"yesterday\" or \"Nov 5\".".to_string(),
            vec![
                Button::new("Today", "date:today"),
                Button::new("Yesterday", "date:yesterday"),
            ],
        ),
        Field::Provider => (
            format!(
                "Who offered the course? Courses that are not preapproved go through a petition ({} per course, non-refundable).",
                ctx.policy.fees.petition
            ),
            Provider::ALL
                .iter()
                .map(|p| Button::new(capitalize(p.label()), format!("prov:{}", p.key())))
                .collect(),
        ),
        Field::Title => ("What is the course title?".to_string(), Vec::new()),
    };
    let text = match note {
        Some(n) => format!("{n}\n{question}"),
        None => question,
    };
    Outcome::reply(
        State::Asking { draft, field },
        Reply::with_buttons(text, buttons),
    )
}

pub(crate) fn confirm_prompt(draft: Draft, ctx: &Context<'_>) -> Outcome {
    let text = replies::summary(&draft, ctx.policy);
    let buttons = vec![
        Button::new("Save", "save"),
        Button::new("Edit", "edit"),
        Button::new("Cancel", "cancel"),
    ];
    Outcome::reply(
        State::Confirming { draft },
        Reply::with_buttons(text, buttons),
    )
}

pub(crate) fn choose_edit_prompt(draft: Draft) -> Outcome {
    let buttons = [
        ("Amount", "amount"),
        ("Area", "area"),
        ("Date", "date"),
        ("Provider", "provider"),
        ("Title", "title"),
    ]
    .into_iter()
    .map(|(l, k)| Button::new(l, format!("field:{k}")))
    .collect();
    Outcome::reply(
        State::ChoosingEdit { draft },
        Reply::with_buttons("What would you like to change?", buttons),
    )
}

pub(crate) fn duplicate_prompt(draft: Draft, note: Option<String>) -> Outcome {
    let mut text = note.map(|n| format!("{n}\n")).unwrap_or_default();
    text.push_str("You already logged this course (same title, date and amount). Log it again?");
    Outcome::reply(
        State::ConfirmingDuplicate { draft },
        Reply::with_buttons(
            text,
            vec![Button::new("Log it again", "yes"), Button::new("No", "no")],
        ),
    )
}

pub(crate) fn amount_choice(draft: Draft, options: Vec<Ceu>, note: Option<String>) -> Outcome {
    let mut text = note.map(|n| format!("{n}\n")).unwrap_or_default();
    text.push_str("You mentioned more than one amount. Which is right?");
    let buttons = options
        .iter()
        .map(|a| Button::new(replies::amount(*a), format!("amount:{}", a.minutes())))
        .collect();
    Outcome::reply(
        State::ChoosingAmount { draft, options },
        Reply::with_buttons(text, buttons),
    )
}

fn save(draft: Draft, ctx: &Context<'_>) -> Outcome {
    let (Some(amount), Some(area), Some(completed_on), Some(provider)) =
        (draft.amount, draft.area, draft.completed_on, draft.provider)
    else {
        return advance(draft, ctx, None);
    };
    let entry = NewEntry {
        completed_on,
        amount,
        area,
        provider,
        title: draft.title.clone(),
    };
    let mut after = ctx.profile.entries.clone();
    after.retain(|e| Some(e.id) != draft.editing);
    after.push(CeEntry {
        id: i64::MAX,
        completed_on,
        amount,
        area,
        provider,
        title: entry.title.clone(),
        petition_approved: false,
        has_document: false,
    });
    let total = ctx
        .profile
        .cert
        .as_ref()
        .map(|c| status::status(c, &after, ctx.policy, ctx.now))
        .map(|s| format!(" You now have {} of {} CEUs.", s.earned, s.required))
        .unwrap_or_default();
    let (effect, verb) = match draft.editing {
        Some(id) => (Effect::UpdateEntry { id, entry }, "Updated"),
        None => (Effect::SaveEntry(entry), "Saved"),
    };
    let pending = if provider == Provider::Petition {
        " It counts once your petition is approved."
    } else {
        ""
    };
    let text = format!(
        "{verb}: {} of {area}, completed {}.{pending}{total}\nIf you have the certificate of completion, send a photo or file of it now to attach it.",
        replies::amount(amount),
        date(completed_on),
    );
    Outcome::reply(State::Idle, Reply::text(text)).with_effect(effect)
}

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
        return Outcome::reply(
            State::Idle,
            Reply::text(format!(
                "{} is in the future, and I can only log courses you have already completed. Tell me about it again once you've finished it. Nothing was saved.",
                date(*day)
            )),
        );
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

fn fill_rest(draft: &mut Draft, found: &Extracted, ctx: &Context<'_>, problems: &mut Vec<String>) {
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
fn check_amount(m: AmountMention, ctx: &Context<'_>) -> Result<Ceu, String> {
    let max = Ceu::from_hours(ctx.policy.certification.max_course_hours);
    match m {
        AmountMention::Amount(a) if a > max => Err(format!(
            "{} is more than any single course carries (at most {} hours per course), so I can't log it. Please check the amount.",
            replies::amount(a),
            ctx.policy.certification.max_course_hours
        )),
        AmountMention::Amount(a) if a.is_zero() => Err("A course of zero hours can't be logged.".into()),
        AmountMention::Amount(a) => Ok(a),
        AmountMention::Zero => Err("A course of zero hours can't be logged.".into()),
        AmountMention::Negative => Err("An amount can't be negative.".into()),
        AmountMention::Unreadable => Err(
            "I couldn't read that amount. Please write it like \"4 hours\", \"90 minutes\" or \"0.4 CEUs\"."
                .into(),
        ),
    }
}

/// A completion date: real, not in the future, inside the cycle or its grace period.
fn check_date(d: &DateMention, ctx: &Context<'_>) -> Result<NaiveDate, String> {
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
    match status::entry_window(cert.expires_on, day, ctx.policy) {
        EntryWindow::InCycle | EntryWindow::Grace => Ok(day),
        EntryWindow::BeforeCycle => Err(format!(
            "{} is before your current cycle (your certification expires {}), so it can't count toward this renewal.",
            date(day),
            date(cert.expires_on)
        )),
        EntryWindow::AfterGrace => Err(format!(
            "{} is more than {grace} days after your expiration date ({}), so it can't count toward this renewal.",
            date(day),
            date(cert.expires_on)
        )),
    }
}

/// Reads an answer to one question: the whole extractor first, then the bare forms a
/// short answer takes ("4" for hours, "nasm", "not approved").
fn read_answer(text: &str, field: Field, ctx: &Context<'_>) -> Extracted {
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
            found.date = extract::find_date(&t, status::today(ctx.policy, ctx.now), true);
        }
        Field::Provider if found.provider.is_none() => {
            found.provider = if t.contains("not") || t.contains("petition") {
                Some(Provider::Petition)
            } else if t.contains("nasm") {
                Some(Provider::Nasm)
            } else if t.contains("approved") || t == "yes" {
                Some(Provider::Approved)
            } else {
                None
            };
        }
        _ => {}
    }
    found
}

/// Applies a button press (`area:…`, `prov:…`, `date:…`); `Some(problem)` if refused.
fn apply_button(draft: &mut Draft, data: &str, ctx: &Context<'_>) -> Option<String> {
    let today = status::today(ctx.policy, ctx.now);
    if let Some(k) = data.strip_prefix("area:") {
        draft.area = Some(Area::from_key(k)?);
    } else if let Some(k) = data.strip_prefix("prov:") {
        draft.provider = Some(Provider::from_key(k)?);
    } else if let Some(k) = data.strip_prefix("date:") {
        let day = match k {
            "today" => today,
            "yesterday" => today.pred_opt()?,
            _ => return Some("Please type the date.".into()),
        };
        match check_date(&DateMention::On(day), ctx) {
            Ok(d) => draft.completed_on = Some(d),
            Err(p) => return Some(p),
        }
    } else {
        return Some("That button doesn't belong to this question.".into());
    }
    None
}

fn is_duplicate(d: &Draft, entries: &[CeEntry]) -> bool {
    entries.iter().any(|e| {
        Some(e.completed_on) == d.completed_on
            && Some(e.amount) == d.amount
            && e.title.as_deref().map(str::to_lowercase)
                == d.title.as_deref().map(str::to_lowercase)
    })
}

fn field_from_key(k: &str) -> Option<Field> {
    match k {
        "amount" | "hours" | "ceus" => Some(Field::Amount),
        "area" => Some(Field::Area),
        "date" => Some(Field::Date),
        "provider" => Some(Field::Provider),
        "title" | "name" => Some(Field::Title),
        _ => None,
    }
}

fn clean_title(t: &str) -> String {
    t.trim()
        .trim_matches(['"', '\'', '“', '”'])
        .chars()
        .take(120)
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
