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
    let _ = (phase, recertify_for_life, petitions, policy);
    todo!("rules helper")
}
