//! The words of a reminder: personal (days left, CEUs missing by area, CPR/AED,
//! certificates, fees now and after the next boundary), with buttons to log CEUs or
//! reach a person. Pure: built from the rules' [`Status`], like the status reply.

use std::fmt::Write as _;

use crate::conversation::replies::{audit_checklist, date};
use crate::conversation::{Button, Profile, Reply};
use crate::rules::fees::fees;
use crate::rules::{CprStatus, Phase, Policy, ReminderKind, Status};

/// The reminder of `kind` for a trainer whose standing today is `s`. `card` says which
/// sides of the CPR/AED card are on file; `recertify_for_life` decides the renewal fee.
#[must_use]
pub fn message(
    kind: ReminderKind,
    s: &Status,
    card: (bool, bool),
    recertify_for_life: bool,
    policy: &Policy,
) -> Reply {
    let mut t = headline(kind, s, policy);
    t.push('\n');
    if let ReminderKind::AuditDeadline(_) = kind {
        let profile = Profile {
            cpr_card: card,
            ..Profile::default()
        };
        let _ = writeln!(t, "Checklist: {}.", audit_checklist(s, &profile).join("; "));
    } else {
        t.push_str(&missing(s));
    }
    if kind.is_about_renewal() {
        t.push_str(&fees_now_and_next(s, recertify_for_life, policy));
    }
    let _ = write!(
        t,
        "Advisors are available now if you want to talk it through (phone {}). \
         Send /reminders off to stop these reminders.",
        policy.contact.phone
    );
    Reply::with_buttons(
        t,
        vec![
            Button::new("Log CEUs", "log"),
            Button::new("Talk to a person", "human"),
        ],
    )
}

/// "in 30 days, on Mon, Mar 15, 2027", "tomorrow", "today".
fn in_days(days: i64, on: chrono::NaiveDate) -> String {
    match days {
        0 => format!("today ({})", date(on)),
        1 => format!("tomorrow ({})", date(on)),
        d => format!("in {d} days, on {}", date(on)),
    }
}

fn headline(kind: ReminderKind, s: &Status, policy: &Policy) -> String {
    let f = &policy.fees;
    let end = s.phase_ends_on.unwrap_or(s.expires_on);
    let to_end = (end - s.today).num_days();
    match kind {
        ReminderKind::BeforeExpiration(_) | ReminderKind::ExpirationDay => format!(
            "Reminder: your NASM-CPT certification expires {}. Renew by then to avoid the {} late fee.",
            in_days(s.days_to_expiration, s.expires_on),
            f.late
        ),
        ReminderKind::LateFee => format!(
            "Your NASM-CPT certification expired on {}. You can still renew until {}, now with the {} late fee.",
            date(s.expires_on),
            date(end),
            f.late
        ),
        ReminderKind::AdditionalFeeNear => format!(
            "Renew {} to avoid the additional {} fee, which applies on top of the late fee after that.",
            in_days(to_end, end).replacen("in ", "within ", 1),
            f.additional
        ),
        ReminderKind::FinalDeadlineNear => format!(
            "Final deadline: your NASM-CPT certification can be recertified only until {} ({to_end} days left). After that it cannot be renewed.",
            date(end)
        ),
        ReminderKind::CprExpiring(_) => match s.cpr {
            CprStatus::Current { expires_on } => format!(
                "Your CPR/AED card expires {}, before your certification. A current adult CPR and AED card is required to recertify.",
                in_days((expires_on - s.today).num_days(), expires_on)
            ),
            _ => "Your CPR/AED card needs renewing: a current adult CPR and AED card is required to recertify.".into(),
        },
        ReminderKind::AuditDeadline(_) => match s.audit {
            Some(a) => format!(
                "Audit: your documents are due {}.",
                in_days(a.days_left, a.deadline)
            ),
            None => "Audit: your documents are due soon.".into(),
        },
    }
}

/// CEUs (earned of required, by area), CPR/AED and certificates.
fn missing(s: &Status) -> String {
    let mut t = format!("CEUs: {} of {} CEUs earned", s.earned, s.required);
    if s.remaining.is_zero() {
        t.push_str(" (done).\n");
    } else {
        let _ = writeln!(
            t,
            "; still needed: {} CEUs ({} contact hours).",
            s.remaining,
            s.remaining.hours_text()
        );
    }
    if let Some(areas) = crate::conversation::replies::areas_earned(s) {
        let _ = writeln!(t, "By area: {areas}.");
    }
    let cpr = match s.cpr {
        CprStatus::Unknown => "not on file yet (tell me when your card expires)".to_string(),
        CprStatus::Current { expires_on } => format!("current until {}", date(expires_on)),
        CprStatus::Expired { expired_on } => {
            format!(
                "EXPIRED on {}: renew it before recertifying",
                date(expired_on)
            )
        }
    };
    let _ = writeln!(t, "CPR/AED: {cpr}.");
    if !s.missing_documents.is_empty() {
        let _ = writeln!(
            t,
            "Certificates missing for {} of your entries: send a photo or file of each.",
            s.missing_documents.len()
        );
    }
    t
}

/// The total if applying now, and from the day after the current phase ends.
fn fees_now_and_next(s: &Status, recertify_for_life: bool, policy: &Policy) -> String {
    let mut t = format!("Fees if you apply now: {}", s.fees.total);
    let items: Vec<String> = s
        .fees
        .lines
        .iter()
        .map(|l| format!("{} {}", l.label, l.amount))
        .collect();
    if items.len() > 1 {
        let _ = write!(t, " ({})", items.join(" + "));
    }
    t.push_str(".\n");
    let next = match s.phase {
        Phase::Current => Some(Phase::Late),
        Phase::Late => Some(Phase::LateAdditional),
        Phase::LateAdditional => Some(Phase::Lapsed),
        Phase::Lapsed => None,
    };
    if let (Some(next), Some(end)) = (next, s.phase_ends_on) {
        let after = date(end);
        if next == Phase::Lapsed {
            let _ = writeln!(t, "After {after} it can no longer be recertified.");
        } else {
            let later = fees(next, recertify_for_life, s.petitions, policy);
            let _ = writeln!(t, "After {after}: {}.", later.total);
        }
    }
    t
}

#[cfg(test)]
mod tests;
