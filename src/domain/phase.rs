//! Where a certification stands by days after its expiration date (decided by
//! `rules::status`, named here so every layer speaks of it the same way).

use serde::{Deserialize, Serialize};

/// Where a certification stands, by days after its expiration date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// On or before the expiration date.
    Current,
    /// 1 to `late_fee_days` (90) days after expiration: accepted with the late fee.
    Late,
    /// From `late_fee_days + 1` (91) days after to the last day to apply (the day before
    /// the same date `final_deadline_months` later): late fee plus the additional fee.
    LateAdditional,
    /// After the last day to apply: cannot be recertified; an advisor must help.
    Lapsed,
}
