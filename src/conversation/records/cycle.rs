//! The end of a cycle, as dialogue: the trainer applied (read back, then recorded,
//! which stops the cycle's reminders), NASM's new expiration date (offered, read back,
//! then the new cycle starts), and the audit documents sent to NASM (read back, then
//! the audit is closed). Each change is confirmed before it is stored.
//!
//! Entry points for other dialogues: [`confirm_application`] reads "I applied" back,
//! [`application_recorded`] follows a confirmed application, [`ask_new_expiration`]
//! asks for the new date, [`confirm_audit_sent`] reads "I sent everything" back.

use chrono::{Months, NaiveDate};

use crate::conversation::extract::{self, DateMention};
use crate::conversation::replies::{self, date};
use crate::conversation::{Button, Content, Context, Effect, Outcome, Reply, State, answer_yes};
use crate::domain::Action;
use crate::rules::status;

/// Yes or no, where only the Yes / No / Not yet buttons answer (another button is a
/// change of subject, `None`).
fn yes_no(input: &Content, ctx: &Context<'_>) -> Option<bool> {
    match input {
        Content::Button(_) => match input.action() {
            Some(Action::Yes) => Some(true),
            Some(Action::No | Action::Later) => Some(false),
            _ => None,
        },
        other => answer_yes(other, ctx),
    }
}

/// "I applied" (on `on`, normally today): read back before anything is stored.
#[must_use]
pub fn confirm_application(on: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let Some(cert) = &ctx.profile.cert else {
        return no_certification();
    };
    if let Some(before) = cert.applied_on {
        return ask_new_expiration(
            Some(format!("You told me you applied on {}.", date(before))),
            ctx,
        );
    }
    Outcome::reply(
        State::ConfirmingApplication { on },
        Reply::with_buttons(
            format!(
                "Just to check: you applied (and paid) in the NASM portal on {}, for the certification that {}?",
                date(on),
                replies::expiry(status::today(ctx.policy, ctx.now), cert.expires_on)
            ),
            vec![
                Button::new("Yes, I applied", Action::Yes),
                Button::new("No", Action::No),
            ],
        ),
    )
}

/// The answer to "you applied on …?".
#[must_use]
pub fn application_answer(on: NaiveDate, input: &Content, ctx: &Context<'_>) -> Outcome {
    match yes_no(input, ctx) {
        Some(true) => application_recorded(on, ctx),
        Some(false) => Outcome::reply(
            State::Idle,
            Reply::text("OK, I haven't recorded anything. /status shows what is left to do."),
        ),
        None => confirm_application(on, ctx),
    }
}

/// A confirmed application: record it (the cycle's reminders stop), say what comes
/// next, and ask whether NASM already gave the new expiration date.
#[must_use]
pub fn application_recorded(on: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let said = format!(
        "Recorded: you applied on {}. I've stopped this cycle's reminders. {}",
        date(on),
        ctx.policy.application.after_applying
    );
    let mut o = ask_new_expiration(Some(said), ctx);
    o.effects.insert(0, Effect::RecordApplication { on });
    o
}

/// Asks for the new expiration date, offering the usual one (one cycle after the
/// current) as a button; `intro` goes before the question.
#[must_use]
pub fn ask_new_expiration(intro: Option<String>, ctx: &Context<'_>) -> Outcome {
    let Some(cert) = &ctx.profile.cert else {
        return no_certification();
    };
    let suggested = usual_next(cert.expires_on, ctx);
    let question = format!(
        "Once NASM confirms your renewal, your new expiration date is normally {}. Is that your new date? If NASM gave you another one, send it to me; if you haven't heard yet, press \"Not yet\".",
        date(suggested)
    );
    let text = intro.map_or(question.clone(), |i| format!("{i}\n{question}"));
    Outcome::reply(
        State::AwaitingNewExpiration { suggested },
        new_date_buttons(text, suggested),
    )
}

/// Waiting for the new expiration date: Yes takes the date offered, a date is read
/// back, "not yet" leaves it for later; anything else is handled as usual by `other`.
#[must_use]
pub fn new_expiration_answer(
    suggested: NaiveDate,
    input: &Content,
    ctx: &Context<'_>,
    other: fn(&Content, &Context<'_>) -> Outcome,
) -> Outcome {
    if let Some(yes) = yes_no(input, ctx) {
        return if yes {
            start_cycle(suggested, ctx)
        } else {
            later()
        };
    }
    let (Content::Text(t) | Content::Voice { transcript: t }) = input else {
        return other(input, ctx);
    };
    let today = status::today(ctx.policy, ctx.now);
    if crate::conversation::intent::normalize(t).contains("not yet") {
        return later();
    }
    match extract::find_date(t, today, extract::Sought::Upcoming) {
        Some(DateMention::On(day)) => read_back(day, ctx),
        Some(DateMention::Invalid(bad)) => Outcome::reply(
            State::AwaitingNewExpiration { suggested },
            new_date_buttons(
                format!(
                    "\"{bad}\" isn't a real date. Is your new expiration date {}?",
                    date(suggested)
                ),
                suggested,
            ),
        ),
        None => other(input, ctx),
    }
}

/// A new date given in words: checked, then read back with a Yes button.
fn read_back(day: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let Some(cert) = &ctx.profile.cert else {
        return no_certification();
    };
    let usual = usual_next(cert.expires_on, ctx);
    let earliest = cert
        .expires_on
        .checked_add_months(Months::new(12))
        .unwrap_or(cert.expires_on);
    let latest = usual.checked_add_months(Months::new(12)).unwrap_or(usual);
    if day < earliest || day > latest {
        return Outcome::reply(
            State::AwaitingNewExpiration { suggested: usual },
            new_date_buttons(
                format!(
                    "{} can't be the new expiration date: it comes at least a year after your current one, {}, and is normally {}. Please check the date NASM gave you.",
                    date(day),
                    date(cert.expires_on),
                    date(usual)
                ),
                usual,
            ),
        );
    }
    Outcome::reply(
        State::AwaitingNewExpiration { suggested: day },
        new_date_buttons(
            format!("So your new expiration date is {}?", date(day)),
            day,
        ),
    )
}

/// The confirmed new date starts the next cycle: the old cycle's CEUs stay in the
/// record but count toward it only.
fn start_cycle(day: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let Some(cert) = &ctx.profile.cert else {
        return no_certification();
    };
    let next = cert.with_expiration(day);
    let s = status::status(&next, &ctx.profile.entries, ctx.policy, ctx.now);
    let text = format!(
        "Your new cycle has started: your NASM-CPT certification {}. The courses you logged before stay in your record, but they counted toward your last renewal; this cycle you need {} CEUs again ({} so far). I'll remind you before the new deadline.",
        replies::expiry(s.today, day),
        s.required,
        s.earned
    );
    Outcome::reply(State::Idle, Reply::text(text)).with_effect(Effect::SaveCertification(next))
}

fn later() -> Outcome {
    Outcome::reply(
        State::Idle,
        Reply::with_buttons(
            "OK. When NASM confirms your renewal, send me your new expiration date, or press the button below then.",
            vec![Button::new("I have my new date", Action::NewCycle)],
        ),
    )
}

fn new_date_buttons(text: String, day: NaiveDate) -> Reply {
    Reply::with_buttons(
        text,
        vec![
            Button::new(format!("Yes, {}", day.format("%b %-d, %Y")), Action::Yes),
            Button::new("Not yet", Action::Later),
        ],
    )
}

/// The usual next expiration: one cycle after the current one.
fn usual_next(expires_on: NaiveDate, ctx: &Context<'_>) -> NaiveDate {
    expires_on
        .checked_add_months(Months::new(ctx.policy.certification.cycle_months))
        .unwrap_or(expires_on)
}

/// "I sent everything to NASM": read back before the audit is closed.
#[must_use]
pub fn confirm_audit_sent(on: NaiveDate, ctx: &Context<'_>) -> Outcome {
    let open = replies::current_status(ctx.profile, ctx.policy, ctx.now)
        .and_then(|s| s.audit)
        .filter(|a| a.closed_on.is_none());
    let Some(audit) = open else {
        return Outcome::reply(
            State::Idle,
            Reply::text(
                "I don't have an open audit on your record. If NASM selected you, tell me when (e.g. \"I was selected for an audit on March 20\").",
            ),
        );
    };
    Outcome::reply(
        State::ConfirmingAuditSent { on },
        Reply::with_buttons(
            format!(
                "Just to check: on {} you sent NASM's Recertification Department every document of the audit you were selected for on {}?",
                date(on),
                date(audit.selected_on)
            ),
            vec![
                Button::new("Yes, all sent", Action::Yes),
                Button::new("No", Action::No),
            ],
        ),
    )
}

/// The answer to "you sent every audit document?".
#[must_use]
pub fn audit_sent_answer(on: NaiveDate, input: &Content, ctx: &Context<'_>) -> Outcome {
    match yes_no(input, ctx) {
        Some(true) => Outcome::reply(
            State::Idle,
            Reply::text(format!(
                "Recorded: you sent your audit documents to NASM on {}. I won't remind you about the audit again; NASM will contact you if they need anything else.",
                date(on)
            )),
        )
        .with_effect(Effect::CloseAudit { on }),
        Some(false) => Outcome::reply(
            State::Idle,
            Reply::text("OK, the audit stays open. /status shows the deadline and the checklist."),
        ),
        None => confirm_audit_sent(on, ctx),
    }
}

fn no_certification() -> Outcome {
    Outcome::reply(
        State::AwaitingExpiration { pending: None },
        Reply::text(
            "First, when does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")",
        ),
    )
}
