//! The questions the logging dialogue asks and the summary it confirms, each with the
//! buttons that answer it.

use crate::conversation::replies;
use crate::conversation::{Button, Context, Draft, Field, Outcome, Reply, State};
use crate::domain::{Action, Day};
use crate::rules::{Area, Ceu, Provider};

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
                .map(|a| Button::new(capitalize(a.label()), Action::Area(a.key().into())))
                .collect(),
        ),
        Field::Date => (
            "When did you complete it? For example \"yesterday\" or \"Nov 5\".".to_string(),
            vec![
                Button::new("Today", Action::Date(Day::Today)),
                Button::new("Yesterday", Action::Date(Day::Yesterday)),
            ],
        ),
        Field::Provider => (
            format!(
                "Who offered the course? Courses that are not preapproved go through a petition ({} per course, non-refundable).",
                ctx.policy.fees.petition
            ),
            Provider::ALL
                .iter()
                .map(|p| Button::new(capitalize(p.label()), Action::Provider(p.key().into())))
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
        Button::new("Save", Action::Save),
        Button::new("Edit", Action::Edit),
        Button::new("Cancel", Action::Cancel),
    ];
    Outcome::reply(
        State::Confirming { draft },
        Reply::with_buttons(text, buttons),
    )
}

pub(crate) fn choose_edit_prompt(draft: Draft) -> Outcome {
    let buttons = Field::ALL
        .into_iter()
        .map(|f| Button::new(capitalize(f.key()), Action::Field(f.key().into())))
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
            vec![
                Button::new("Log it again", Action::Yes),
                Button::new("No", Action::No),
            ],
        ),
    )
}

pub(crate) fn amount_choice(draft: Draft, options: Vec<Ceu>, note: Option<String>) -> Outcome {
    let mut text = note.map(|n| format!("{n}\n")).unwrap_or_default();
    text.push_str(
        "You mentioned more than one amount. Which one is this entry? (Separate courses are logged one at a time.)",
    );
    let buttons = options
        .iter()
        .map(|a| Button::new(replies::amount(*a), Action::Amount(a.minutes())))
        .collect();
    Outcome::reply(
        State::ChoosingAmount { draft, options },
        Reply::with_buttons(text, buttons),
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
