//! Fees owed, itemised, in integer cents (policy `[fees]`). Pure.

use serde::{Deserialize, Serialize};

use super::policy::Policy;
use super::units::Cents;
use crate::domain::Phase;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeeKind {
    Recertification,
    Late,
    Additional,
    /// `count` petitioned courses at the petition fee each.
    Petition {
        count: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub kind: FeeKind,
    /// Plain words for the trainer, e.g. "Late fee (up to 90 days after expiration)".
    pub label: String,
    pub amount: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeeBreakdown {
    pub lines: Vec<FeeLine>,
    pub total: Cents,
    /// Caveats the reply must carry (e.g. Recertify-for-Life edge cases: ask an advisor;
    /// lapsed: cannot recertify).
    pub notes: Vec<String>,
}

/// What a trainer in `phase` owes: recertification (waived for Recertify-for-Life
/// members), late and additional fees by phase (for members only if the policy's
/// `late_fees_apply_to_members` says so), and the petition fee per petitioned course.
/// Lapsed certifications owe nothing here: they cannot be recertified.
#[must_use]
pub fn fees(
    phase: Phase,
    recertify_for_life: bool,
    petitions: usize,
    policy: &Policy,
) -> FeeBreakdown {
    let mut out = FeeBreakdown::default();
    if phase == Phase::Lapsed {
        out.notes.push(lapsed_note(policy));
        return out;
    }
    let c = &policy.certification;
    let f = &policy.fees;
    if recertify_for_life {
        out.notes.push(RFL_NOTE.to_string());
    } else {
        out.push(
            FeeKind::Recertification,
            "Recertification fee".into(),
            f.recertification,
        );
    }
    let late_applies = !recertify_for_life || f.late_fees_apply_to_members;
    if phase >= Phase::Late && late_applies {
        let label = format!(
            "Late fee, renewing 1 to {} days after expiration",
            c.late_fee_days
        );
        out.push(FeeKind::Late, label, f.late);
    }
    if phase >= Phase::LateAdditional && late_applies {
        let label = format!(
            "Additional fee, renewing from day {} until {} after expiration, on top of the late fee",
            c.late_fee_days + 1,
            span(c.final_deadline_months)
        );
        out.push(FeeKind::Additional, label, f.additional);
    }
    if recertify_for_life && phase >= Phase::Late {
        let note = if late_applies {
            RFL_LATE_NOTE
        } else {
            RFL_NO_LATE_NOTE
        };
        out.notes.push(note.to_string());
    }
    if petitions > 0 {
        out.push_petitions(petitions, f.petition);
    }
    out
}

/// Recertify-for-Life members pay no renewal fee (seed page); the edge cases are the
/// organisation's call.
pub const RFL_NOTE: &str = "Recertify for Life members pay no renewal fee. \
If anything about your membership is unusual, an advisor can confirm.";

/// Late fees for members, when the policy applies them (the default: the fee schedule
/// charges everyone renewing late, and no source exempts members).
pub const RFL_LATE_NOTE: &str = "Recertify for Life covers the renewal fee; the late fees \
still apply when renewing after expiration. An advisor can confirm this for your membership.";

/// Late fees for members, when the policy waives them.
pub const RFL_NO_LATE_NOTE: &str = "As a Recertify for Life member you pay no renewal fee \
and, under our current policy, no late fees. An advisor can confirm this for your membership.";

fn lapsed_note(policy: &Policy) -> String {
    format!(
        "More than {} has passed since the expiration date, so this certification \
can no longer be recertified. An advisor can help with the next steps.",
        span(policy.certification.final_deadline_months)
    )
}

/// "one year", "18 months".
#[must_use]
pub fn span(months: u32) -> String {
    match months {
        12 => "one year".to_string(),
        m if m % 12 == 0 => format!("{} years", m / 12),
        1 => "one month".to_string(),
        m => format!("{m} months"),
    }
}

impl FeeBreakdown {
    fn push(&mut self, kind: FeeKind, label: String, amount: Cents) {
        self.total = self.total + amount;
        self.lines.push(FeeLine {
            kind,
            label,
            amount,
        });
    }

    /// Petition fee: per course or event, non-refundable (seed page).
    fn push_petitions(&mut self, count: usize, each: Cents) {
        let count_i64 = i64::try_from(count).unwrap_or(i64::MAX);
        let amount = Cents(each.0.saturating_mul(count_i64));
        let courses = if count == 1 { "course" } else { "courses" };
        let label = format!("Petition fee, {count} {courses} at {each} each, non-refundable");
        self.push(FeeKind::Petition { count }, label, amount);
    }
}

#[cfg(test)]
mod tests;
