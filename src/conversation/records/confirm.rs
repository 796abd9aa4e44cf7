//! Read-back before a change to the record: the expiration date, the CPR/AED date, an
//! audit, a petition's outcome and a membership are each said back in plain words and
//! stored only after Yes. A date given instead of Yes (a correction: "no, it's 2028 not
//! 2027") is read back again; No stores nothing.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{entry_label, register, save_audit, save_cpr, save_expiration, save_membership};
use crate::conversation::extract::{self, DateMention};
use crate::conversation::replies::{self, date};
use crate::conversation::{
    Button, Content, Context, Draft, Effect, Expiring, Outcome, Reply, State, answer_yes,
};
use crate::domain::{Action, EntryId};
use crate::rules::status;

/// What NASM decided on a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ruling {
    Approved,
    Declined,
}

/// A change to the record waiting for the trainer's Yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The NASM-CPT expiration date (a draft may wait behind it).
    Expiration {
        on: NaiveDate,
        pending: Option<Draft>,
    },
    /// The CPR/AED card's expiration date.
    CprDate { on: NaiveDate },
    /// Selected for an audit on this day.
    Audit { on: NaiveDate },
    /// NASM approved (or declined) the petition of this entry.
    Petition { id: EntryId, ruling: Ruling },
    /// A Recertify for Life member.
    Membership,
}

/// Says the change back and asks Yes or No.
#[must_use]
pub fn read_back(change: Change, ctx: &Context<'_>) -> Outcome {
    let today = status::today(ctx.policy, ctx.now);
    let text = match &change {
        Change::Expiration { on, .. } => format!(
            "Just to check: your NASM-CPT certification {}. Is that right?",
            replies::expiry(today, *on)
        ),
        Change::CprDate { on } => format!(
            "Just to check: your CPR/AED certification is valid until {}. Is that right?",
            date(*on)
        ),
        Change::Audit { on } => format!(
            "Just to check: NASM selected you for an audit on {}? You then have {} days to send them every supporting document.",
            date(*on),
            ctx.policy.audit.window_days
        ),
        Change::Petition { id, ruling } => {
            let label = ctx
                .profile
                .entries
                .iter()
                .find(|e| e.id == *id)
                .map_or_else(|| "that course".to_string(), entry_label);
            let verb = match ruling {
                Ruling::Approved => "approved",
                Ruling::Declined => "declined",
            };
            format!("Just to check: NASM {verb} your petition for {label}?")
        }
        Change::Membership => {
            "Just to check: you're a Recertify for Life member (so no renewal fee applies)?"
                .to_string()
        }
    };
    Outcome::reply(
        State::ConfirmingChange { change },
        Reply::with_buttons(
            text,
            vec![
                Button::new("Yes, that's right", Action::Yes),
                Button::new("No", Action::No),
            ],
        ),
    )
}

/// The answer to a read-back: Yes stores the change, No stores nothing, a corrected
/// date is read back again.
#[must_use]
pub fn answer(change: Change, input: &Content, ctx: &Context<'_>) -> Outcome {
    match answer_yes(input, ctx) {
        Some(true) => return apply(change, ctx),
        Some(false) => return declined(change),
        None => {}
    }
    if let Some(corrected) = corrected_date(&change, input, ctx) {
        let (expiring, pending) = match change {
            Change::Expiration { pending, .. } => (Expiring::Certification, pending),
            _ => (Expiring::CprCard, None),
        };
        return register(expiring, Some(corrected), pending, ctx);
    }
    let mut o = read_back(change, ctx);
    o.replies.insert(
        0,
        Reply::text("Please press Yes or No (or reply yes or no)."),
    );
    o
}

/// A date change answered with another date ("no, March 3rd 2028") or only another
/// year ("its 2028 not 2027"): the date to read back instead.
fn corrected_date(change: &Change, input: &Content, ctx: &Context<'_>) -> Option<DateMention> {
    let on = match change {
        Change::Expiration { on, .. } | Change::CprDate { on } => *on,
        _ => return None,
    };
    let (Content::Text(t) | Content::Voice { transcript: t }) = input else {
        return None;
    };
    let today = status::today(ctx.policy, ctx.now);
    if extract::has_explicit_date(t, today) {
        return extract::expiry_date(t, today).0;
    }
    let year = extract::year_in(t)?;
    Some(
        on.with_year(year)
            .map_or_else(|| DateMention::Invalid(year.to_string()), DateMention::On),
    )
}

fn apply(change: Change, ctx: &Context<'_>) -> Outcome {
    match change {
        Change::Expiration { on, pending } => save_expiration(on, pending, ctx),
        Change::CprDate { on } => save_cpr(on, ctx),
        Change::Audit { on } => save_audit(on, ctx),
        Change::Membership => save_membership(ctx),
        Change::Petition { id, ruling } => petition_recorded(id, ruling, ctx),
    }
}

fn declined(change: Change) -> Outcome {
    match change {
        Change::Expiration { pending, .. } => Outcome::reply(
            State::AwaitingExpiration { pending },
            Reply::text(
                "OK, I haven't saved it. When does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")",
            ),
        ),
        Change::CprDate { .. } => Outcome::reply(
            State::AwaitingCprDate,
            Reply::text(
                "OK, I haven't saved it. When does your CPR/AED card expire? (e.g. \"June 2, 2027\")",
            ),
        ),
        _ => Outcome::reply(State::Idle, Reply::text("OK, I haven't changed anything.")),
    }
}

fn petition_recorded(id: EntryId, ruling: Ruling, ctx: &Context<'_>) -> Outcome {
    let Some(e) = ctx.profile.entries.iter().find(|e| e.id == id) else {
        return Outcome::reply(
            State::Idle,
            Reply::text("That entry is no longer on your record."),
        );
    };
    let (text, effect) = if ruling == Ruling::Approved {
        (
            format!(
                "Great news! {} now counts toward your CEUs.",
                entry_label(e)
            ),
            Effect::ApprovePetition { id },
        )
    } else {
        (
            format!(
                "Recorded: NASM declined the petition for {}. It doesn't count toward your CEUs; /status shows what you still need.",
                entry_label(e)
            ),
            Effect::DeclinePetition { id },
        )
    };
    Outcome::reply(State::Idle, Reply::text(text)).with_effect(effect)
}
