//! Documents: certificates of completion attached to entries, and the two sides of the
//! CPR/AED card.

use super::{cycle_entries, entry_label};
use crate::conversation::{Button, Content, Context, Effect, Outcome, Reply, State};
use crate::domain::{Action, CardSide};
use crate::rules::CeEntry;

/// At most this many recent entries are offered for a file (with the card's two sides
/// and Cancel, the keyboard stays on one screen).
const DOCUMENT_CHOICES: usize = 6;

/// A photo or document arrived.
#[must_use]
pub fn file(reference: &str, caption: Option<&str>, ctx: &Context<'_>) -> Outcome {
    let caption = caption.unwrap_or("").to_lowercase();
    if caption.contains("cpr") || caption.contains("aed") || caption.contains("card") {
        let back =
            caption.contains("back") || (ctx.profile.cpr_card.front && !caption.contains("front"));
        let side = if back {
            CardSide::Back
        } else {
            CardSide::Front
        };
        return attach_cpr(side, reference, ctx);
    }
    let newest_without = ctx
        .profile
        .entries
        .iter()
        .filter(|e| !e.has_document)
        .max_by_key(|e| e.id);
    match newest_without {
        Some(e) if ctx.profile.entries.iter().map(|x| x.id).max() == Some(e.id) => {
            attach(e, reference)
        }
        _ => choose_document(reference.to_string(), ctx),
    }
}

/// The trainer picked what a file belongs to (an entry, a side of the CPR/AED card).
#[must_use]
pub fn document_choice(reference: String, input: &Content, ctx: &Context<'_>) -> Outcome {
    match input.action() {
        Some(Action::CprCard(side)) => attach_cpr(side, &reference, ctx),
        Some(Action::Document(id)) => match ctx.profile.entries.iter().find(|e| e.id == id) {
            Some(e) => attach(e, &reference),
            None => choose_document(reference, ctx),
        },
        Some(Action::Cancel) => Outcome::reply(State::Idle, Reply::text("OK, I didn't attach it.")),
        _ => choose_document(reference, ctx),
    }
}

fn choose_document(reference: String, ctx: &Context<'_>) -> Outcome {
    let mut buttons: Vec<Button> = cycle_entries(ctx)
        .into_iter()
        .rev()
        .take(DOCUMENT_CHOICES)
        .map(|e| Button::new(entry_label(e), Action::Document(e.id)))
        .collect();
    if ctx.profile.cert.is_some() {
        buttons.push(Button::new(
            "CPR/AED card, front",
            Action::CprCard(CardSide::Front),
        ));
        buttons.push(Button::new(
            "CPR/AED card, back",
            Action::CprCard(CardSide::Back),
        ));
    }
    if buttons.is_empty() {
        return Outcome::reply(
            State::Idle,
            Reply::text(
                "Thanks! Log the course first (e.g. \"4 hour nutrition course yesterday\"), then send its certificate.",
            ),
        );
    }
    buttons.push(Button::new("Cancel", Action::Cancel));
    Outcome::reply(
        State::ChoosingDocument { reference },
        Reply::with_buttons("What is this document for?", buttons),
    )
}

fn attach(e: &CeEntry, reference: &str) -> Outcome {
    Outcome::reply(
        State::Idle,
        Reply::text(format!("Attached the certificate to {}.", entry_label(e))),
    )
    .with_effect(Effect::AttachDocument {
        entry_id: e.id,
        reference: reference.to_string(),
    })
}

fn attach_cpr(side: CardSide, reference: &str, ctx: &Context<'_>) -> Outcome {
    if ctx.profile.cert.is_none() {
        return Outcome::reply(
            State::AwaitingExpiration { pending: None },
            Reply::text(
                "Thanks! First, when does your NASM-CPT certification expire? Then send the card again.",
            ),
        );
    }
    let (this, other, next) = match side {
        CardSide::Front => ("front", CardSide::Back, "Please send the back too."),
        CardSide::Back => ("back", CardSide::Front, "Please send the front too."),
    };
    let next = if ctx.profile.cpr_card.has(other) {
        "Both sides are on file now."
    } else {
        next
    };
    Outcome::reply(
        State::Idle,
        Reply::text(format!("Saved the {this} of your CPR/AED card. {next}")),
    )
    .with_effect(Effect::AttachCprCard {
        side,
        reference: reference.to_string(),
    })
}
