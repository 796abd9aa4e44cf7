//! The bot's words for status, entry lists, summaries and help. Pure: built from the
//! rules module's results, so replies and reminders say the same thing.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Draft, Profile};
use crate::rules::status::{self, Status};
use crate::rules::{CeEntry, CprStatus, Phase, Policy};

/// "Mon, Nov 23, 2026".
#[must_use]
pub fn date(d: NaiveDate) -> String {
    d.format("%a, %b %-d, %Y").to_string()
}

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
        Phase::Late => format!("expired, within {} days: you can still renew with the late fee", c.late_fee_days),
        Phase::LateAdditional => format!(
            "expired more than {} days ago: you can still renew until one year after expiration, with the late and additional fees",
            c.late_fee_days
        ),
        Phase::Lapsed => "expired more than one year ago: it can no longer be recertified. An advisor can help with your options".to_string(),
    }
}

/// The whole status: CEUs, expiration, days, phase, CPR/AED, documents, audit, fees.
#[must_use]
pub fn status_text(s: &Status, profile: &Profile, policy: &Policy) -> String {
    let mut t = String::from("Your NASM-CPT recertification status\n");
    let days = s.days_to_expiration;
    let when = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        d if d > 0 => format!("{d} days left"),
        d => format!("{} days ago", -d),
    };
    let _ = writeln!(t, "Expiration: {} ({when})", date(s.expires_on));
    let _ = writeln!(t, "Phase: {}", phase(s.phase, policy));
    if let (Some(end), true) = (s.phase_ends_on, s.phase != Phase::Current) {
        let _ = writeln!(t, "Apply by: {}", date(end));
    }
    let _ = writeln!(t, "CEUs: {} of {} CEUs earned", s.earned, s.required);
    if s.remaining.is_zero() {
        let _ = writeln!(t, "  CE requirement met.");
    } else {
        let _ = writeln!(
            t,
            "  Still needed: {} CEUs ({} contact hours)",
            s.remaining,
            s.remaining.hours_text()
        );
    }
    if let Some(areas) = areas_earned(s) {
        let _ = writeln!(t, "  By area: {areas}");
    }
    if !s.pending.is_zero() {
        let _ = writeln!(
            t,
            "  Pending petition approval: {} CEUs (not counted yet)",
            s.pending
        );
    }
    if !s.not_counted.is_empty() {
        let _ = writeln!(
            t,
            "  {} entries fall outside this cycle and do not count.",
            s.not_counted.len()
        );
    }
    let _ = writeln!(t, "CPR/AED: {}", cpr(s.cpr, profile.cpr_card));
    if !s.missing_documents.is_empty() {
        let _ = writeln!(
            t,
            "Certificates missing for {} of your entries (an audit needs every one): send a photo or file of each.",
            s.missing_documents.len()
        );
    }
    if let Some(a) = s.audit {
        let left = if a.days_left >= 0 {
            format!("{} days left", a.days_left)
        } else {
            format!("{} days overdue", -a.days_left)
        };
        let _ = writeln!(t, "Audit: documents due {} ({left})", date(a.deadline));
        let _ = writeln!(t, "  Checklist: {}", audit_checklist(s, profile).join("; "));
    }
    t.push_str(&fees_text(s));
    t.trim_end().to_string()
}

fn cpr(c: CprStatus, card: (bool, bool)) -> String {
    let sides = match card {
        (true, true) => " (card front and back on file)",
        (true, false) => " (send the back of your card too)",
        (false, true) => " (send the front of your card too)",
        (false, false) => " (send a photo of the card's front and back)",
    };
    match c {
        CprStatus::Unknown => "not on file yet: tell me when your CPR/AED card expires".to_string(),
        CprStatus::Current { expires_on } => format!("current until {}{sides}", date(expires_on)),
        CprStatus::Expired { expired_on } => {
            format!(
                "EXPIRED on {}: renew your adult CPR and AED before recertifying",
                date(expired_on)
            )
        }
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

/// The audit's checklist: each entry's certificate and both sides of the CPR/AED card.
#[must_use]
pub fn audit_checklist(s: &Status, profile: &Profile) -> Vec<String> {
    let total = s.counted.len();
    let missing = s.missing_documents.len();
    let mark = |ok: bool| if ok { "done" } else { "missing" };
    vec![
        format!("certificates {}/{} ", total - missing, total)
            .trim_end()
            .to_string(),
        format!("CPR/AED card front {}", mark(profile.cpr_card.0)),
        format!("back {}", mark(profile.cpr_card.1)),
    ]
}

/// The fee lines with a total.
#[must_use]
pub fn fees_text(s: &Status) -> String {
    let mut t = String::from("Fees due if you apply now:\n");
    for line in &s.fees.lines {
        let _ = writeln!(t, "  {}: {}", line.label, line.amount);
    }
    let _ = writeln!(t, "  Total: {}", s.fees.total);
    for note in &s.fees.notes {
        let _ = writeln!(t, "Note: {note}");
    }
    t
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
        let pending = if e.provider == crate::rules::Provider::Petition && !e.petition_approved {
            ", petition pending"
        } else {
            ""
        };
        let doc = if e.has_document {
            ""
        } else {
            " [no certificate]"
        };
        let _ = writeln!(
            t,
            "{}. {} ({}{pending}){doc}",
            i + 1,
            entry_label(e),
            e.provider
        );
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

/// Today's status for a registered trainer, or `None`.
#[must_use]
pub fn current_status(
    profile: &Profile,
    policy: &Policy,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Status> {
    profile
        .cert
        .as_ref()
        .map(|c| status::status(c, &profile.entries, policy, now))
}
