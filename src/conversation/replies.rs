//! The bot's words for status, entry lists, summaries and help. Pure: built from the
//! rules module's results, so replies and reminders say the same thing.
//!
//! - [`status`]: the trainer's own situation: what to do now, CEUs, CPR/AED, audit.
//! - [`answers`]: the fees, and the trainer's case in answers about fees and deadlines.
//! - [`words`]: dates in the right tense, day counts, plurals, durations.

use std::fmt::Write as _;

use super::{Draft, Profile};
use crate::rules::status::{self as rules_status, Status};
use crate::rules::{CeEntry, Phase, Policy, hours};

pub mod answers;
pub mod status;
pub mod words;

pub use status::{
    audit_checklist, fees_text, for_topic, for_you, headline, status_reply, status_text,
};
pub use words::{count, date, dated, days, duration, expiry, relative};

/// "0.4 CEUs (4 hours)".
#[must_use]
pub fn amount(a: crate::rules::Ceu) -> String {
    let hours = a.hours_text();
    let unit = if hours == "1" { "hour" } else { "hours" };
    if hours.contains("min") {
        format!("{a} CEUs ({hours})")
    } else {
        format!("{a} CEUs ({hours} {unit})")
    }
}

/// Plain words for a phase.
#[must_use]
pub fn phase(p: Phase, policy: &Policy) -> String {
    let c = &policy.certification;
    match p {
        Phase::Current => "current".to_string(),
        Phase::Late => format!(
            "expired, within {} days: you can still renew with the late fee",
            c.late_fee_days
        ),
        Phase::LateAdditional => format!(
            "expired more than {} days ago: renewal is possible only if every course was completed in time, with the late and additional fees",
            c.late_fee_days
        ),
        Phase::Lapsed => "expired more than one year ago: it can no longer be recertified. An advisor can help with your options".to_string(),
    }
}

/// The areas with CEUs earned, e.g. "nutrition 0.4, assessment 0.2"; `None` before any.
#[must_use]
pub fn areas_earned(s: &Status) -> Option<String> {
    let areas: Vec<String> = s
        .by_area
        .iter()
        .filter(|(_, c)| !c.is_zero())
        .map(|(a, c)| format!("{a} {c}"))
        .collect();
    (!areas.is_empty()).then(|| areas.join(", "))
}

/// The trainer's entries of the current cycle, numbered as `/delete N` and `/edit N`
/// expect; `None` when there are none.
#[must_use]
pub fn entries_text(entries: &[&CeEntry]) -> Option<String> {
    if entries.is_empty() {
        return None;
    }
    let mut t = String::from("Your continuing education this cycle:\n");
    for (i, e) in entries.iter().enumerate() {
        let provider = match (e.provider, e.petition_approved, e.petition_declined) {
            (crate::rules::Provider::Petition, _, true) => "petition declined, does not count",
            (crate::rules::Provider::Petition, true, _) => "petition approved",
            (crate::rules::Provider::Petition, false, _) => "petition pending",
            (p, _, _) => p.label(),
        };
        let doc = if e.has_document {
            ""
        } else {
            ", no certificate yet"
        };
        let _ = writeln!(t, "{}. {}: {provider}{doc}", i + 1, entry_label(e));
    }
    t.push_str("To change one, send /edit N; to remove one, /delete N.");
    Some(t)
}

/// "Nov 22, 2026: 0.4 CEUs nutrition".
#[must_use]
pub fn entry_label(e: &CeEntry) -> String {
    let title = e
        .title
        .as_deref()
        .map(|t| format!(" \"{t}\""))
        .unwrap_or_default();
    format!(
        "{}: {} CEUs {}{title}",
        e.completed_on.format("%b %-d, %Y"),
        e.amount,
        e.area
    )
}

/// The summary shown before saving.
#[must_use]
pub fn summary(d: &Draft, policy: &Policy) -> String {
    let mut t = String::from(if d.editing.is_some() {
        "Here is the corrected entry:\n"
    } else {
        "Here is what I'll save:\n"
    });
    if let Some(a) = d.amount {
        let _ = writeln!(t, "• Amount: {}", amount(a));
    }
    if let Some(a) = d.area {
        let _ = writeln!(t, "• Area: {a}");
    }
    if let Some(c) = d.completed_on {
        let _ = writeln!(t, "• Completed: {}", date(c));
    }
    if let Some(p) = d.provider {
        let _ = writeln!(t, "• Provider: {p}");
        if p == crate::rules::Provider::Petition {
            let _ = writeln!(
                t,
                "  A course that is not preapproved is reviewed by petition: {} per course, non-refundable. It counts once the petition is approved.",
                policy.fees.petition
            );
        }
    }
    let _ = writeln!(
        t,
        "• Title: {}",
        d.title.as_deref().unwrap_or("(none given)")
    );
    t.push_str("Save?");
    t
}

/// Whether advisors are there now, and the closed dates of the coming two weeks:
/// "Advisors: closed now, opens Mon 5:00 AM Pacific. Closed days coming up: Thu, Nov 26
/// (Thanksgiving)."
#[must_use]
pub fn hours_now(policy: &Policy, now: chrono::DateTime<chrono::Utc>) -> String {
    let h = &policy.hours;
    let mut t = format!("Advisors: {}.", hours::now_text(h, now));
    let today = now.with_timezone(&h.timezone).date_naive();
    let ahead: Vec<String> = hours::closures_after(h, today, hours::NEAR_DAYS)
        .into_iter()
        .map(hours::closed_day)
        .collect();
    if !ahead.is_empty() {
        let _ = write!(t, " Closed days coming up: {}.", ahead.join(", "));
    }
    t
}

/// What the bot can do.
#[must_use]
pub fn help(policy: &Policy) -> String {
    format!(
        "I can help you recertify your NASM-CPT:\n\
         • Tell me when your certification expires, e.g. \"my certification expires March 15, 2027\", and your CPR/AED card's date.\n\
         • Log continuing education the way you'd say it: \"did a 4 hour nutrition workshop yesterday\".\n\
         • /status: your CEUs, deadline, phase and fees.\n\
         • /ceus: your entries, to edit or delete one. \"undo\" removes the last one.\n\
         • Ask questions: CEUs, petitions, audits, late fees, Recertify for Life…  /topics lists them.\n\
         • Send a photo or file of a certificate right after logging to attach it.\n\
         • /reminders on or off; /human to reach an advisor (phone {}); /cancel to stop what we're doing.\n\
         • /export sends you your record as a file; /forget deletes everything I keep about you.",
        policy.contact.phone
    )
}

/// The status of a trainer whose expiration date is not known: the CEUs logged so
/// far, and the question for the date (no fee or deadline is guessed).
#[must_use]
pub fn unregistered_status(profile: &Profile, policy: &Policy) -> String {
    let logged = profile
        .entries
        .iter()
        .filter(|e| e.provider != crate::rules::Provider::Petition || e.petition_approved)
        .fold(crate::rules::Ceu::ZERO, |sum, e| sum + e.amount);
    let mut t = String::new();
    if !profile.entries.is_empty() {
        let _ = write!(
            t,
            "So far you've logged {logged} of {} CEUs. ",
            policy.certification.required_ceus
        );
    }
    t.push_str("I don't know your expiration date yet, so I can't work out your deadlines or fees. When does your NASM-CPT certification expire? (e.g. \"March 15, 2027\")");
    t
}

/// Today's status for a registered trainer, or `None` (also for an expiration date no
/// certification could have, such as a placeholder in year 9999: better to ask again).
#[must_use]
pub fn current_status(
    profile: &Profile,
    policy: &Policy,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Status> {
    let cert = profile.cert.as_ref()?;
    let today = rules_status::today(policy, now);
    let latest = today
        .checked_add_months(chrono::Months::new(policy.certification.cycle_months + 12))
        .unwrap_or(chrono::NaiveDate::MAX);
    (cert.expires_on <= latest).then(|| rules_status::status(cert, &profile.entries, policy, now))
}

/// The reply to a voice note that could not be turned into text.
#[must_use]
pub fn voice_failed(reason: super::VoiceFailure) -> String {
    match reason {
        super::VoiceFailure::NotConfigured => "I can't listen to voice notes here yet. Could you type your message instead?".into(),
        super::VoiceFailure::Unavailable => "Sorry, I couldn't make out that voice note just now. Could you type it instead?".into(),
        super::VoiceFailure::TooLarge => "That voice note is too long for me (the limit is 20 MB). Could you type it, or send a shorter one?".into(),
        super::VoiceFailure::UnsupportedFormat => "I can't play that audio format. Could you type your message, or send a regular voice note?".into(),
    }
}
