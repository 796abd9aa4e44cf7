//! A trainer's standing on a given day: the phase of their certification, the CEUs that
//! count toward this cycle, CPR/AED, documents and audit. Pure.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::fees::FeeBreakdown;
use super::policy::Policy;
use super::units::{Area, Ceu, Provider};

/// What the trainer told us about their certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// The NASM-CPT expiration date (a calendar date; valid through that day).
    pub expires_on: NaiveDate,
    /// The CPR/AED card's expiration date, if known.
    pub cpr_expires_on: Option<NaiveDate>,
    /// Member of Recertify for Life (no renewal fee).
    pub recertify_for_life: bool,
    /// The day the trainer was told they were selected for audit, if they were.
    pub audit_selected_on: Option<NaiveDate>,
}

/// One continuing-education record as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeEntry {
    pub id: i64,
    pub completed_on: NaiveDate,
    pub amount: Ceu,
    pub area: Area,
    pub provider: Provider,
    pub title: Option<String>,
    /// For [`Provider::Petition`]: the trainer said the petition was approved.
    pub petition_approved: bool,
    /// A certificate (file reference) is attached.
    pub has_document: bool,
}

/// Where a certification stands, by days after its expiration date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// On or before the expiration date.
    Current,
    /// 1 to `late_fee_days` (90) days after expiration: accepted with the late fee.
    Late,
    /// `late_fee_days + 1` (91) to `final_deadline_days` (365) days after: late fee plus
    /// the additional fee.
    LateAdditional,
    /// More than `final_deadline_days` after: cannot be recertified; an advisor must help.
    Lapsed,
}

/// Where an entry's completion date falls relative to the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWindow {
    /// Before the cycle began (on or before the previous expiration date).
    BeforeCycle,
    /// Inside the cycle, up to and including the expiration date.
    InCycle,
    /// Within the grace period after expiration (counts for a late renewal).
    Grace,
    /// Later than the grace period: does not count.
    AfterGrace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CprStatus {
    Unknown,
    /// Valid through this date (inclusive) and still valid today.
    Current {
        expires_on: NaiveDate,
    },
    Expired {
        expired_on: NaiveDate,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditStatus {
    pub selected_on: NaiveDate,
    /// `selected_on + window_days`.
    pub deadline: NaiveDate,
    /// Negative once the deadline has passed.
    pub days_left: i64,
}

/// Everything the bot says about a trainer's standing, computed in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Today in the trainer's time zone.
    pub today: NaiveDate,
    pub expires_on: NaiveDate,
    /// First day of the current cycle (the day after the previous expiration).
    pub cycle_start: NaiveDate,
    pub phase: Phase,
    /// Days from today to the expiration date; negative once expired.
    pub days_to_expiration: i64,
    /// The last day of the current phase (expiration, +90, +365), `None` when lapsed.
    pub phase_ends_on: Option<NaiveDate>,
    pub required: Ceu,
    /// CEUs that count: in the cycle or its grace period, petitions only once approved.
    pub earned: Ceu,
    /// Petitioned CEUs awaiting approval (counted neither as earned nor as missing).
    pub pending: Ceu,
    /// `required - earned`, never below zero.
    pub remaining: Ceu,
    /// Earned CEUs per area, all six areas in [`Area::ALL`] order.
    pub by_area: Vec<(Area, Ceu)>,
    /// Ids of entries that count (earned or pending).
    pub counted: Vec<i64>,
    /// Ids of entries outside the cycle and its grace period.
    pub not_counted: Vec<i64>,
    /// Ids of counted entries without a certificate attached.
    pub missing_documents: Vec<i64>,
    /// Petitioned courses in the cycle (each carries the petition fee).
    pub petitions: usize,
    pub cpr: CprStatus,
    pub audit: Option<AuditStatus>,
    pub fees: FeeBreakdown,
    /// Earned >= required and CPR/AED current.
    pub requirements_met: bool,
}

/// Today's calendar date in the trainer's time zone (`policy.contact.trainer_timezone`).
#[must_use]
pub fn today(policy: &Policy, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&policy.contact.trainer_timezone)
        .date_naive()
}

/// The phase on `today` for a certification expiring on `expires_on`.
#[must_use]
pub fn phase(expires_on: NaiveDate, today: NaiveDate, policy: &Policy) -> Phase {
    let _ = (expires_on, today, policy);
    todo!("rules helper")
}

/// Where a completion date falls relative to the cycle ending on `expires_on`.
#[must_use]
pub fn entry_window(
    expires_on: NaiveDate,
    completed_on: NaiveDate,
    policy: &Policy,
) -> EntryWindow {
    let _ = (expires_on, completed_on, policy);
    todo!("rules helper")
}

/// The trainer's full standing at `now`.
#[must_use]
pub fn status(
    cert: &Certification,
    entries: &[CeEntry],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Status {
    let _ = (cert, entries, policy, now);
    todo!("rules helper")
}
