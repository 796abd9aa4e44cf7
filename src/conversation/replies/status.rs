//! The words of a trainer's own situation: what to do now (by [`Standing`]), the CEUs,
//! CPR/AED, certificates and the audit (the fees are in `answers`). Status replies, FAQ
//! answers about fees and deadlines, and reminders all build on these, so they never
//! disagree. Pure.

use std::fmt::Write as _;

pub use super::answers::{fees_text, for_topic, for_you};
use super::words::{count, date, dated, days, expiry};
use crate::conversation::{Button, Profile, Reply};
use crate::domain::{Action, CardOnFile};
use crate::rules::status::{Standing, Status};
use crate::rules::{CprStatus, Phase, Policy};

/// The whole status: the expiration, what to do now, CEUs, CPR/AED, certificates,
/// audit and fees; with a button to reach a person when only an advisor can help.
#[must_use]
pub fn status_reply(s: &Status, profile: &Profile, policy: &Policy) -> Reply {
    Reply::with_buttons(status_text(s, profile, policy), next_step_buttons(s))
}

/// The buttons for the trainer's next step: a person when only an advisor can help,
/// "I've applied" when they are ready, the new date once applied, the audit sent.
#[must_use]
pub fn next_step_buttons(s: &Status) -> Vec<Button> {
    let mut out = Vec::new();
    match s.standing {
        Standing::ReadyToApply => out.push(Button::new("I've applied", Action::Applied)),
        Standing::Applied { .. } => out.push(Button::new("I have my new date", Action::NewCycle)),
        st if st.cannot_recertify() => out.push(Button::new("Talk to a person", Action::Human)),
        _ => {}
    }
    if s.audit.is_some_and(|a| a.closed_on.is_none()) {
        out.push(Button::new("I sent my audit documents", Action::AuditSent));
    }
    out
}

/// The status as text (see [`status_reply`]).
#[must_use]
pub fn status_text(s: &Status, profile: &Profile, policy: &Policy) -> String {
    let mut t = String::from("Your NASM-CPT recertification status\n");
    let _ = writeln!(t, "Your certification {}.", expiry(s.today, s.expires_on));
    t.push_str(&headline(s, policy));
    t.push_str(&ceus(s));
    if !closed(s) {
        let _ = writeln!(t, "CPR/AED: {}", cpr(s.cpr, profile.cpr_card));
        t.push_str(&certificates(s));
    }
    if !s.standing.cannot_recertify() {
        // An audit checks an application that can still succeed; past that, an
        // advisor helps with everything.
        t.push_str(&audit(s, profile, policy));
    }
    if !closed(s) {
        t.push_str(&fees_text(s, policy));
    }
    t.trim_end().to_string()
}

/// Nothing more can be done for this cycle here: applied, or cannot recertify.
pub(super) fn closed(s: &Status) -> bool {
    s.standing.cannot_recertify() || matches!(s.standing, Standing::Applied { .. })
}

/// What the trainer should do now, in one short paragraph ending in a newline.
#[must_use]
pub fn headline(s: &Status, policy: &Policy) -> String {
    let phone = &policy.contact.phone;
    let advisor = format!(
        "No fee is due. An advisor can talk you through your options: call {phone}, or send /human."
    );
    match s.standing {
        Standing::Applied { on } => format!(
            "You told me you applied on {}. {} When NASM confirms your renewal, tell me your new expiration date (normally {}) and I'll start tracking your next cycle.\n",
            date(on),
            policy.application.after_applying,
            date(next_expiration(s, policy))
        ),
        Standing::TooLate => format!(
            "The last day to apply was {}, one year after expiration, so this certification can no longer be recertified. {advisor}\n",
            date(s.final_date)
        ),
        Standing::CoursesTooLate => format!(
            "Courses had to be completed by {}, {} after expiration, and {} were still missing then. So this certification can no longer be recertified. {advisor}\n",
            date(s.completion_deadline),
            days(i64::from(policy.certification.completion_grace_days)),
            ceus_of(s.remaining)
        ),
        Standing::PetitionsPending => format!(
            "Courses had to be completed by {}, so no new course counts now. Your petitions waiting for approval would make up the remaining {}: if NASM approves them, you can still apply until {}. If they are declined, this certification can no longer be recertified.\n",
            date(s.completion_deadline),
            ceus_of(s.remaining),
            date(s.final_date)
        ),
        Standing::ReadyToApply => ready_to_apply(s, policy),
        Standing::Working => working(s, policy),
    }
}

/// The standing in a few words, for advisors: "ready to apply", "applied on …".
#[must_use]
pub fn standing_words(st: Standing) -> String {
    match st {
        Standing::Applied { on } => format!("applied on {}", date(on)),
        Standing::Working => "still working on the requirements".into(),
        Standing::ReadyToApply => "every requirement met, ready to apply".into(),
        Standing::PetitionsPending => "waiting for petitions, past the completion deadline".into(),
        Standing::CoursesTooLate => {
            "cannot recertify: CEUs missing at the completion deadline".into()
        }
        Standing::TooLate => "cannot recertify: past the last day to apply".into(),
    }
}

/// "0.8 CEUs": an amount is always written with its decimal, so the unit is plural.
fn ceus_of(a: crate::rules::Ceu) -> String {
    format!("{a} CEUs")
}

/// The new expiration date NASM normally gives: one cycle after the current one.
#[must_use]
pub fn next_expiration(s: &Status, policy: &Policy) -> chrono::NaiveDate {
    s.expires_on
        .checked_add_months(chrono::Months::new(policy.certification.cycle_months))
        .unwrap_or(s.expires_on)
}

/// The last day to apply at the current fee, or the last day at all.
pub(super) fn apply_by(s: &Status) -> chrono::NaiveDate {
    s.phase_ends_on.unwrap_or(s.final_date)
}

fn ready_to_apply(s: &Status, policy: &Policy) -> String {
    let mut t = format!(
        "You've met every requirement: {} of {} CEUs and a current CPR/AED card. Apply now, by {}:\n",
        s.earned,
        s.required,
        date(if s.phase == Phase::Current {
            s.expires_on
        } else {
            s.final_date
        })
    );
    for (i, step) in policy.application.steps.iter().enumerate() {
        let _ = writeln!(t, "  {}. {step}", i + 1);
    }
    let _ = writeln!(
        t,
        "{} Once you've applied, tell me (\"I applied\") and I'll stop the reminders.",
        policy.application.after_applying
    );
    t
}

fn working(s: &Status, policy: &Policy) -> String {
    let mut todo = Vec::new();
    if !s.remaining.is_zero() {
        let by = if s.phase == Phase::Current {
            String::new()
        } else {
            format!(
                " by {} (courses completed later don't count)",
                date(s.completion_deadline)
            )
        };
        todo.push(format!(
            "complete the remaining {} ({} contact hours){by}",
            ceus_of(s.remaining),
            s.remaining.hours_text()
        ));
    }
    match s.cpr {
        CprStatus::Unknown => todo.push("tell me when your CPR/AED card expires".into()),
        CprStatus::Expired { .. } => {
            todo.push("renew your adult CPR and AED certification (with a hands-on part)".into());
        }
        CprStatus::Current { .. } => {}
    }
    let late_fees = !s.member || policy.fees.late_fees_apply_to_members;
    let when = if s.phase == Phase::Current && late_fees {
        format!("apply by {} to avoid the late fee", date(s.expires_on))
    } else if s.phase == Phase::Current {
        format!("apply by {}", date(s.expires_on))
    } else {
        format!(
            "apply by {}, the last day applications are accepted",
            date(s.final_date)
        )
    };
    let late = if s.phase == Phase::Current {
        ""
    } else {
        "You can still recertify late. "
    };
    format!("{late}To do: {}, then {when}.\n", todo.join(" and "))
}

/// The CEU lines: earned of required, what is still needed, by area, pending,
/// declined and entries outside the cycle.
#[must_use]
pub fn ceus(s: &Status) -> String {
    let mut t = format!("CEUs: {} of {} CEUs earned", s.earned, s.required);
    if s.remaining.is_zero() {
        t.push_str(": CE requirement met.\n");
    } else if s.standing == Standing::Working {
        let _ = writeln!(t, "; still needed: {}.", ceus_of(s.remaining));
    } else {
        t.push_str(".\n");
    }
    if let Some(areas) = super::areas_earned(s) {
        let _ = writeln!(t, "  By area: {areas}");
    }
    if !s.pending.is_zero() {
        let _ = writeln!(
            t,
            "  Pending petition approval: {}, not counted yet.",
            ceus_of(s.pending)
        );
    }
    if !s.declined.is_empty() {
        let n = s.declined.len();
        let _ = writeln!(
            t,
            "  {} declined by NASM: {} not count.",
            count(n, "petition", "petitions"),
            if n == 1 { "it does" } else { "they do" }
        );
    }
    let late = s.completed_too_late.len();
    if late > 0 {
        let _ = writeln!(
            t,
            "  {} completed after {}, too late to count.",
            count(late, "entry was", "entries were"),
            date(s.completion_deadline)
        );
    }
    let before = s.not_counted.len() - late;
    if before > 0 {
        let _ = writeln!(
            t,
            "  {} from before this cycle, which began on {}, and {} not count.",
            count(before, "entry is", "entries are"),
            date(s.cycle_start),
            if before == 1 { "does" } else { "do" }
        );
    }
    t
}

#[must_use]
pub fn cpr(c: CprStatus, card: CardOnFile) -> String {
    let sides = match (card.front, card.back) {
        (true, true) => "; card front and back on file",
        (true, false) => "; send me the back of your card too",
        (false, true) => "; send me the front of your card too",
        (false, false) => "; send me a photo of the card's front and back",
    };
    match c {
        CprStatus::Unknown => "not on file yet: tell me when your CPR/AED card expires".to_string(),
        CprStatus::Current { expires_on } => format!("current until {}{sides}", date(expires_on)),
        CprStatus::Expired { expired_on } => format!(
            "expired on {}: renew your adult CPR and AED before recertifying",
            date(expired_on)
        ),
    }
}

#[must_use]
pub fn certificates(s: &Status) -> String {
    let n = s.missing_documents.len();
    if n == 0 {
        return String::new();
    }
    format!(
        "Certificates: none on file here for {}. Keep one for every course in case NASM audits your application; you can send me photos to keep them together.\n",
        count(n, "entry", "entries")
    )
}

/// The audit of this cycle: where the documents go, the deadline as a date, and the
/// bot's checklist (which only helps gather them). Closed: no deadline any more.
#[must_use]
pub fn audit(s: &Status, profile: &Profile, policy: &Policy) -> String {
    let Some(a) = s.audit else {
        return String::new();
    };
    if let Some(closed) = a.closed_on {
        return format!(
            "Audit: you told me you sent your documents to NASM on {}. Nothing more is due for it here.\n",
            date(closed)
        );
    }
    let due = match a.days_left {
        0 => format!("today, {}", date(a.deadline)),
        d if d > 0 => dated(s.today, a.deadline),
        _ => String::new(),
    };
    let mut t = if a.days_left >= 0 {
        format!(
            "Audit: selected on {}. Send all supporting documents to NASM's Recertification Department, the way NASM's audit notice asks, by {due}.\n",
            date(a.selected_on)
        )
    } else {
        format!(
            "Audit: the documents were due at NASM's Recertification Department on {}. If you have sent them, tell me \"I sent my audit documents\". If not, send them now the way NASM's audit notice asks, and call {} if you need more time.\n",
            dated(s.today, a.deadline),
            policy.contact.phone
        )
    };
    let _ = writeln!(
        t,
        "  My checklist, to help you gather them (I don't send anything to NASM): {}.",
        audit_checklist(s, profile).join("; ")
    );
    if a.days_left >= 0 {
        t.push_str(
            "  Once you've sent everything to NASM, tell me (\"I sent my audit documents\").\n",
        );
    }
    t
}

/// The audit's checklist: each entry's certificate and both sides of the CPR/AED card,
/// as gathered here.
#[must_use]
pub fn audit_checklist(s: &Status, profile: &Profile) -> Vec<String> {
    let total = s.counted.len();
    let missing = s.missing_documents.len();
    let mark = |ok: bool| if ok { "gathered" } else { "missing" };
    vec![
        format!("certificates {} of {total} gathered", total - missing),
        format!("CPR/AED card front {}", mark(profile.cpr_card.front)),
        format!("back {}", mark(profile.cpr_card.back)),
    ]
}

#[cfg(test)]
mod tests;
