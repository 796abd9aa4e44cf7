//! Fees owed, itemised, in integer cents (policy `[fees]`). Pure.

use serde::{Deserialize, Serialize};

use super::policy::Policy;
use super::status::Phase;
use super::units::Cents;

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
/// members), late and additional fees by phase, and the petition fee per petitioned
/// course. Lapsed certifications owe nothing here: they cannot be recertified.
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
    if phase >= Phase::Late {
        let label = format!(
            "Late fee (renewing 1 to {} days after expiration)",
            c.late_fee_days
        );
        out.push(FeeKind::Late, label, f.late);
    }
    if phase >= Phase::LateAdditional {
        let label = format!(
            "Additional fee (renewing {} to {} days after expiration, on top of the late fee)",
            c.late_fee_days + 1,
            c.final_deadline_days
        );
        out.push(FeeKind::Additional, label, f.additional);
    }
    if recertify_for_life && phase >= Phase::Late {
        out.notes.push(RFL_LATE_NOTE.to_string());
    }
    if petitions > 0 {
        out.push_petitions(petitions, f.petition);
    }
    out
}

/// Recertify-for-Life members pay no renewal fee (seed page); the edge cases are the
/// organisation's call.
pub const RFL_NOTE: &str = "Recertify for Life members pay no renewal fee. \
If anything about your membership is unusual, please ask an advisor to confirm.";

/// Late and additional fees are not covered by the membership, as far as the policy says.
pub const RFL_LATE_NOTE: &str = "Recertify for Life covers the renewal fee, not the late \
fees: these still apply when renewing after expiration. Please ask an advisor to confirm.";

fn lapsed_note(policy: &Policy) -> String {
    format!(
        "More than {} days have passed since the expiration date, so this certification \
can no longer be recertified. An advisor needs to help with the next steps.",
        policy.certification.final_deadline_days
    )
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
        let label =
            format!("Petition fee ({count} {courses} at {each} per course, non-refundable)");
        self.push(FeeKind::Petition { count }, label, amount);
    }
}

#[cfg(test)]
mod tests;
