//! The words of a reminder: personal, built from the same pieces as the status reply
//! (what to do now by the trainer's standing, CEUs missing by area, CPR/AED,
//! certificates, fees now and after the next boundary), with buttons to log CEUs or
//! reach a person. Pure: built from the rules' [`Status`].

use std::fmt::Write as _;

use crate::conversation::replies::status::{audit, certificates, ceus, cpr, fees_text, headline};
use crate::conversation::replies::{date, dated, days, expiry};
use crate::conversation::{Button, Profile, Reply};
use crate::domain::{Action, CardOnFile};
use crate::rules::status::Standing;
use crate::rules::{CprStatus, Policy, ReminderKind, Status};

/// The reminder of `kind` for a trainer whose standing today is `s`. `card` says which
/// sides of the CPR/AED card are on file.
#[must_use]
pub fn message(kind: ReminderKind, s: &Status, card: CardOnFile, policy: &Policy) -> Reply {
    let profile = Profile {
        cpr_card: card,
        ..Profile::default()
    };
    let mut t = opening(kind, s, policy);
    t.push('\n');
    if let ReminderKind::AuditDeadline(_) = kind {
        t.push_str(&audit(s, &profile, policy));
    } else {
        t.push_str(&headline(s, policy));
        if !s.standing.cannot_recertify() {
            t.push_str(&ceus(s));
            let _ = writeln!(t, "CPR/AED: {}", cpr(s.cpr, card));
            t.push_str(&certificates(s));
            if kind.is_about_renewal() {
                t.push_str(&fees_text(s, policy));
            }
        }
    }
    let _ = write!(
        t,
        "Advisors are available now if you want to talk it through, or call {}. Send /reminders off to stop these reminders.",
        policy.contact.phone
    );
    let mut buttons = Vec::new();
    if s.standing == Standing::Working {
        buttons.push(Button::new("Log CEUs", Action::Log));
    }
    buttons.push(Button::new("Talk to a person", Action::Human));
    Reply::with_buttons(t, buttons)
}

/// The first line: what this reminder is about, dated.
fn opening(kind: ReminderKind, s: &Status, policy: &Policy) -> String {
    let f = &policy.fees;
    let cert = format!(
        "your NASM-CPT certification {}",
        expiry(s.today, s.expires_on)
    );
    if s.standing.cannot_recertify() {
        return format!(
            "Your NASM-CPT certification {}.",
            expiry(s.today, s.expires_on)
        );
    }
    match kind {
        ReminderKind::BeforeExpiration(_) | ReminderKind::ExpirationDay => {
            format!("Reminder: {cert}.")
        }
        ReminderKind::LateFee => format!("Reminder: {cert}. The {} late fee now applies.", f.late),
        ReminderKind::AdditionalFeeNear => format!(
            "Reminder: {} left. Courses completed after {} don't count, and from {} the additional {} fee applies on top of the late fee.",
            days((s.completion_deadline.min(s.late_fee_ends) - s.today).num_days() + 1),
            date(s.completion_deadline),
            date(s.late_fee_ends.succ_opt().unwrap_or(s.late_fee_ends)),
            f.additional
        ),
        ReminderKind::FinalDeadlineNear => format!(
            "Final deadline: applications are accepted only until {}. After that this certification can no longer be recertified.",
            dated(s.today, s.final_date)
        ),
        ReminderKind::CprExpiring(_) => match s.cpr {
            CprStatus::Current { expires_on } => format!(
                "Your CPR/AED card expires on {}, before your certification. A current adult CPR and AED card is required to recertify.",
                dated(s.today, expires_on)
            ),
            _ => "Your CPR/AED card needs renewing: a current adult CPR and AED card is required to recertify.".into(),
        },
        ReminderKind::AuditDeadline(_) => match s.audit {
            Some(a) => format!("Audit reminder: your documents are due at NASM {}.", on_day(s, a.deadline)),
            None => "Audit reminder: your documents are due soon.".into(),
        },
    }
}

/// "on Thu, Dec 31, 2026, in 7 days", "today, Thu, Dec 31, 2026".
fn on_day(s: &Status, d: chrono::NaiveDate) -> String {
    match (d - s.today).num_days() {
        0 | 1 => dated(s.today, d),
        _ => format!("on {}", dated(s.today, d)),
    }
}

#[cfg(test)]
mod tests;
