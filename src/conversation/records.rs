//! Changes to the trainer's record other than logging: registration (expiration,
//! CPR/AED, Recertify for Life), deleting entries, attaching documents, audits,
//! petition approvals, reminders and forgetting.
//!
//! - `documents`: certificates and CPR/AED card photos attached to the record.
//! - `account`: reminders, `/export` and `/forget`.
//! - `cycle`: the end of a cycle: applied, the new expiration date, audit documents sent.

use chrono::{Months, NaiveDate};

use super::extract::DateMention;
pub use super::replies::entry_label;
use super::replies::{self, date};
use super::{
    Button, Content, Context, Effect, Expiring, Outcome, Reply, State, answer_yes, logging,
};
use crate::domain::{Action, EntryId};
use crate::rules::status::{self, EntryWindow};
use crate::rules::{CeEntry, Certification, Provider};

mod account;
mod confirm;
mod cycle;
mod documents;

pub use confirm::{Change, Ruling, answer as change_answer, read_back};

pub use account::{confirm_forget, export, forget_answer, reminders};
pub use cycle::{
    application_answer, application_recorded, ask_new_expiration, audit_sent_answer,
    confirm_application, confirm_audit_sent, new_expiration_answer,
};
pub use documents::{document_choice, file};

/// The entries of the current cycle (all entries before registration), in the order
/// `/ceus` numbers them.
#[must_use]
pub fn cycle_entries<'a>(ctx: &Context<'a>) -> Vec<&'a CeEntry> {
    let entries = &ctx.profile.entries;
    match &ctx.profile.cert {
        None => entries.iter().collect(),
        Some(c) => entries
            .iter()
            .filter(|e| {
                matches!(
                    c.window(e.completed_on, ctx.policy),
                    EntryWindow::InCycle | EntryWindow::Grace
                )
            })
            .collect(),
    }
}

/// How far past a full cycle from today an expiration date may lie (a renewal just
/// recorded early).
const EXPIRY_SLACK_MONTHS: u32 = 1;

/// How long ago an expiration date may lie ("more than five years ago" is refused).
const OLDEST_EXPIRY_MONTHS: u32 = 60;

/// "My certification expires …" or "my CPR card expires …".
#[must_use]
pub fn register(
    expiring: Expiring,
    mention: Option<DateMention>,
    pending: Option<super::Draft>,
    ctx: &Context<'_>,
) -> Outcome {
    let ask_again = |problem: String| {
        let state = match expiring {
            Expiring::CprCard => State::AwaitingCprDate,
            Expiring::Certification => State::AwaitingExpiration {
                pending: pending.clone(),
            },
        };
        Outcome::reply(
            state,
            Reply::text(format!(
                "{problem} Please send the date again, e.g. \"March 15, 2027\"."
            )),
        )
    };
    let day = match mention {
        Some(DateMention::On(d)) => d,
        Some(DateMention::Invalid(t)) => return ask_again(format!("\"{t}\" isn't a real date.")),
        None => return ask_again("I need the full date: the day, the month and the year.".into()),
    };
    let today = status::today(ctx.policy, ctx.now);
    let cycle = Months::new(ctx.policy.certification.cycle_months);
    let too_late = today
        .checked_add_months(cycle)
        .and_then(|d| d.checked_add_months(Months::new(EXPIRY_SLACK_MONTHS)));
    let too_early = today.checked_sub_months(Months::new(OLDEST_EXPIRY_MONTHS));
    if too_late.is_some_and(|l| day > l) {
        return ask_again(format!(
            "{} is more than {} months away; certifications run {} months.",
            date(day),
            ctx.policy.certification.cycle_months,
            ctx.policy.certification.cycle_months
        ));
    }
    if too_early.is_some_and(|e| day < e) {
        return ask_again(format!("{} is more than five years ago.", date(day)));
    }
    match expiring {
        Expiring::CprCard if ctx.profile.cert.is_none() => first_the_expiration(
            "Thanks! First, when does your NASM-CPT certification expire? Then send the CPR/AED date again.",
        ),
        Expiring::CprCard => confirm::read_back(Change::CprDate { on: day }, ctx),
        Expiring::Certification => confirm::read_back(Change::Expiration { on: day, pending }, ctx),
    }
}

/// The confirmed expiration date: stored, the standing told, and a draft that waited
/// behind the question resumed.
fn save_expiration(day: NaiveDate, pending: Option<super::Draft>, ctx: &Context<'_>) -> Outcome {
    let cert = ctx.profile.cert.as_ref().map_or_else(
        || Certification::new(day),
        |prior| prior.with_expiration(day),
    );
    let s = status::status(&cert, &ctx.profile.entries, ctx.policy, ctx.now);
    let mut text = format!(
        "Got it: your NASM-CPT certification {}.\n{}CEUs: {} of {} CEUs so far.",
        replies::expiry(s.today, day),
        replies::headline(&s, ctx.policy),
        s.earned,
        s.required
    );
    if cert.cpr_expires_on.is_none() {
        text.push_str(
            "\nWhen does your CPR/AED card expire? (e.g. \"my CPR expires June 2, 2027\")",
        );
    }
    text.push_str("\nSend /status any time for your full standing.");
    let mut o = Outcome::reply(State::Idle, Reply::text(text))
        .with_effect(Effect::SaveCertification(cert.clone()));
    if s.standing.cannot_recertify() {
        o = o.with_effect(Effect::RequestHuman {
            reason: "certification can no longer be recertified".into(),
        });
        o.replies.push(super::handoff::reply(ctx));
    }
    if let Some(draft) = pending {
        let ctx2 = Context {
            profile: &with_cert(ctx, cert),
            ..*ctx
        };
        let next = logging::advance(draft, &ctx2, None);
        o.replies.extend(next.replies);
        o.effects.extend(next.effects);
        o.state = next.state;
    }
    o
}

fn first_the_expiration(text: &str) -> Outcome {
    Outcome::reply(
        State::AwaitingExpiration { pending: None },
        Reply::text(text),
    )
}

fn with_cert(ctx: &Context<'_>, cert: Certification) -> super::Profile {
    let mut p = ctx.profile.clone();
    p.cert = Some(cert);
    p
}

/// The confirmed CPR/AED date, stored.
fn save_cpr(day: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let Some(mut cert) = ctx.profile.cert.clone() else {
        return first_the_expiration(
            "Thanks! First, when does your NASM-CPT certification expire? Then send the CPR/AED date again.",
        );
    };
    cert.cpr_expires_on = Some(day);
    let today = status::today(ctx.policy, ctx.now);
    let mut text = format!(
        "Got it: your CPR/AED certification is valid until {}.",
        date(day)
    );
    if day < today {
        text.push_str(" That has passed: you'll need a current adult CPR and AED certification (with a hands-on component) to recertify.");
    } else if day < cert.expires_on {
        text.push_str(" It expires before your NASM-CPT does, so plan to renew it first.");
    }
    text.push_str(
        " For your application (and any audit), send a photo of the card's front and back.",
    );
    Outcome::reply(State::Idle, Reply::text(text)).with_effect(Effect::SaveCertification(cert))
}

/// "I'm a Recertify for Life member".
#[must_use]
pub fn recertify_for_life(ctx: &Context<'_>) -> Outcome {
    if ctx.profile.cert.is_none() {
        return first_the_expiration(
            "Good to know! First, when does your NASM-CPT certification expire? Then tell me again about Recertify for Life.",
        );
    }
    confirm::read_back(Change::Membership, ctx)
}

/// The confirmed membership, stored.
fn save_membership(ctx: &Context<'_>) -> Outcome {
    let Some(mut cert) = ctx.profile.cert.clone() else {
        return first_the_expiration("First, when does your NASM-CPT certification expire?");
    };
    cert.recertify_for_life = true;
    let late = if ctx.policy.fees.late_fees_apply_to_members {
        "The late fees still apply if you renew after your expiration date"
    } else {
        "Under our current policy no late fees apply to members either"
    };
    Outcome::reply(
        State::Idle,
        Reply::text(format!("Noted: you're a Recertify for Life member, so no renewal fee applies. You still need the CEUs and a current CPR/AED every cycle. {late}; an advisor can confirm this for your membership.")),
    )
    .with_effect(Effect::SaveCertification(cert))
}

/// "I was selected for an audit".
#[must_use]
pub fn audit(on: Option<NaiveDate>, ctx: &Context<'_>) -> Outcome {
    if ctx.profile.cert.is_none() {
        return Outcome::reply(
            State::AwaitingExpiration { pending: None },
            Reply::text(format!(
                "Once selected for an audit, you have {} days to send all supporting documents (certificates of completion, and the front and back of your CPR/AED card) to NASM's Recertification Department, the way NASM's audit notice asks. I can track the deadline and checklist for you: first, when does your NASM-CPT certification expire? Then tell me about the audit again.",
                ctx.policy.audit.window_days
            )),
        );
    }
    let today = status::today(ctx.policy, ctx.now);
    let selected = on.filter(|d| *d <= today).unwrap_or(today);
    confirm::read_back(Change::Audit { on: selected }, ctx)
}

/// The confirmed audit selection, stored with its deadline and checklist.
fn save_audit(selected: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let Some(mut cert) = ctx.profile.cert.clone() else {
        return first_the_expiration("First, when does your NASM-CPT certification expire?");
    };
    cert.audit_selected_on = Some(selected);
    cert.audit_closed_on = None;
    let s = status::status(&cert, &ctx.profile.entries, ctx.policy, ctx.now);
    let text = format!(
        "Noted: you have {} days from {} to send NASM all supporting documents.\n{}Send me a photo or file of each certificate to keep them together; /status shows what is still missing.",
        ctx.policy.audit.window_days,
        date(selected),
        replies::status::audit(&s, ctx.profile, ctx.policy)
    );
    Outcome::reply(State::Idle, Reply::text(text)).with_effect(Effect::SaveCertification(cert))
}

/// "My petition was approved" (or, with `approved` false, declined): read back for
/// the one pending petition, or a choice among several.
#[must_use]
pub fn petition_outcome(ruling: Ruling, ctx: &Context<'_>) -> Outcome {
    let pending: Vec<&CeEntry> = ctx
        .profile
        .entries
        .iter()
        .filter(|e| {
            e.provider == Provider::Petition && !e.petition_approved && !e.petition_declined
        })
        .collect();
    match pending.as_slice() {
        [] => Outcome::reply(
            State::Idle,
            Reply::text("I don't have a pending petition on your record."),
        ),
        [one] => petition_read_back(one, ruling, ctx),
        many => {
            let (question, action): (_, fn(EntryId) -> Action) = match ruling {
                Ruling::Approved => ("Which petition was approved?", Action::ApprovePetition),
                Ruling::Declined => ("Which petition was declined?", Action::DeclinePetition),
            };
            let buttons = many
                .iter()
                .map(|e| Button::new(entry_label(e), action(e.id)))
                .collect();
            Outcome::reply(State::Idle, Reply::with_buttons(question, buttons))
        }
    }
}

/// Reads one petition's outcome back (button `petok:ID` / `petno:ID`, owner checked by
/// the caller) before it is stored.
#[must_use]
pub fn petition_read_back(e: &CeEntry, ruling: Ruling, ctx: &Context<'_>) -> Outcome {
    confirm::read_back(Change::Petition { id: e.id, ruling }, ctx)
}

/// Asks before deleting one of the trainer's entries.
#[must_use]
pub fn confirm_delete(e: &CeEntry) -> Outcome {
    Outcome::reply(
        State::ConfirmingDelete { entry_id: e.id },
        Reply::with_buttons(
            format!("Delete this entry? {}", entry_label(e)),
            vec![
                Button::new("Delete", Action::Yes),
                Button::new("Keep it", Action::No),
            ],
        ),
    )
}

/// The answer to "Delete this entry?".
#[must_use]
pub fn delete_answer(entry_id: EntryId, input: &Content, ctx: &Context<'_>) -> Outcome {
    let Some(entry) = ctx.profile.entries.iter().find(|e| e.id == entry_id) else {
        return Outcome::reply(State::Idle, Reply::text("That entry is already gone."));
    };
    match answer_yes(input, ctx) {
        Some(true) => Outcome::reply(
            State::Idle,
            Reply::text(format!("Deleted: {}.", entry_label(entry))),
        )
        .with_effect(Effect::DeleteEntry { id: entry_id }),
        Some(false) => Outcome::reply(State::Idle, Reply::text("OK, I kept it.")),
        None => confirm_delete(entry),
    }
}
