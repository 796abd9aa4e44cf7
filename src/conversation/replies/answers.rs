//! The fee answers: what the trainer owes if they apply now and after the next
//! boundary, and their own case added to (or instead of) a general FAQ answer. Pure.

use std::fmt::Write as _;

use super::status::{apply_by, audit, closed, headline, next_step_buttons};
use super::words::{date, expiry};
use crate::conversation::{Profile, Reply};
use crate::rules::fees::fees;
use crate::rules::status::{Standing, Status};
use crate::rules::{Phase, Policy};

/// The fees if the trainer applies now, itemised, with when the amount changes next;
/// for a trainer who applied or cannot recertify, that nothing is due.
#[must_use]
pub fn fees_text(s: &Status, policy: &Policy) -> String {
    if s.standing.cannot_recertify() {
        return "No fee is due: this certification can no longer be recertified.\n".to_string();
    }
    if let Standing::Applied { on } = s.standing {
        return format!(
            "No fee is due here: you told me you applied on {}.\n",
            date(on)
        );
    }
    let mut t = format!("Fees if you apply by {}:", date(apply_by(s)));
    if s.fees.lines.is_empty() {
        t.push_str(" none.\n");
    } else {
        t.push('\n');
        for line in &s.fees.lines {
            let _ = writeln!(t, "  {}: {}", line.label, line.amount);
        }
        let _ = writeln!(t, "  Total: {}", s.fees.total);
    }
    t.push_str(&next_fees(s, policy));
    for note in &s.fees.notes {
        let _ = writeln!(t, "Note: {note}");
    }
    t
}

/// What applying costs after the current phase ends, or that it no longer can be.
fn next_fees(s: &Status, policy: &Policy) -> String {
    let Some(end) = s.phase_ends_on else {
        return String::new();
    };
    let after = end.succ_opt().unwrap_or(end);
    match s.phase {
        Phase::Current => {
            let later = fees(Phase::Late, s.member, s.petitions, policy);
            format!("From {}: {} in total.\n", date(after), later.total)
        }
        Phase::Late => {
            let later = fees(Phase::LateAdditional, s.member, s.petitions, policy);
            format!(
                "From {}: {} in total, until {}, the last day to apply.\n",
                date(after),
                later.total,
                date(s.final_date)
            )
        }
        Phase::LateAdditional => format!(
            "After {} it can no longer be recertified.\n",
            date(s.final_date)
        ),
        Phase::Lapsed => String::new(),
    }
}

/// FAQ topics about fees: a trainer who applied or cannot recertify gets their own case
/// instead of the general amounts, which would mislead them.
const FEE_TOPICS: [&str; 3] = ["expired", "late_fee", "cost"];
/// FAQ topics whose general answer gains from the trainer's deadline and next step.
const PLAN_TOPICS: [&str; 3] = ["requirements", "recertify_for_life", "frequency"];
/// FAQ topics about audits and proof: the trainer's own audit, if any.
const AUDIT_TOPICS: [&str; 2] = ["audit", "documentation"];

/// The trainer's own case for an FAQ topic, and whether it replaces the general answer.
#[must_use]
pub fn for_topic(
    topic: &str,
    s: &Status,
    profile: &Profile,
    policy: &Policy,
) -> Option<(Reply, bool)> {
    if AUDIT_TOPICS.contains(&topic) {
        let text = audit(s, profile, policy);
        return (!text.is_empty()).then(|| (Reply::text(text.trim_end().to_string()), false));
    }
    if !FEE_TOPICS.contains(&topic) && !PLAN_TOPICS.contains(&topic) {
        return None;
    }
    let replaces = FEE_TOPICS.contains(&topic) && closed(s);
    let reply = Reply::with_buttons(for_you(s, policy), next_step_buttons(s));
    Some((reply, replaces))
}

/// The trainer's own case added to a general answer about fees and deadlines.
#[must_use]
pub fn for_you(s: &Status, policy: &Policy) -> String {
    let mut t = format!(
        "For you: your certification {}. CEUs: {} of {} CEUs.\n",
        expiry(s.today, s.expires_on),
        s.earned,
        s.required
    );
    t.push_str(&headline(s, policy));
    if !closed(s) {
        t.push_str(&fees_text(s, policy));
    }
    t.trim_end().to_string()
}
