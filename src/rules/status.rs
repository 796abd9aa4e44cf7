//! A trainer's standing on a given day: the phase of their certification, the CEUs that
//! count toward this cycle, CPR/AED, documents and audit. Pure.
//!
//! - `dates`: the cycle's calendar (phase, last day to apply, completion deadline).
//! - `tally`: which entries count.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::fees::{FeeBreakdown, fees};
use super::policy::Policy;
use super::units::{Area, Ceu, Provider};
use crate::domain::EntryId;
pub use crate::domain::Phase;

mod dates;
mod tally;

use dates::{add_days, days_between};
pub use dates::{
    completion_deadline, cycle_start, entry_window, final_date, phase, phase_ends_on, today,
};
use tally::Tally;

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
    /// The day the trainer said they applied (renewed and paid) for this cycle.
    pub applied_on: Option<NaiveDate>,
    /// The day the trainer said they sent every audit document to NASM.
    pub audit_closed_on: Option<NaiveDate>,
    /// The first completion date that counts toward this cycle, when later than its
    /// start: after a late renewal, the old grace period's courses belong to the old
    /// cycle.
    #[serde(default)]
    pub counts_from: Option<NaiveDate>,
}

impl Certification {
    /// A record with only the expiration date known.
    #[must_use]
    pub const fn new(expires_on: NaiveDate) -> Self {
        Self {
            expires_on,
            cpr_expires_on: None,
            recertify_for_life: false,
            audit_selected_on: None,
            applied_on: None,
            audit_closed_on: None,
            counts_from: None,
        }
    }

    /// The record with a new expiration date. A date a year or more after the old one
    /// starts the next cycle: the application and the audit belonged to the old cycle
    /// and are cleared. A nearer date corrects the current cycle and keeps them.
    #[must_use]
    pub fn with_expiration(&self, expires_on: NaiveDate) -> Self {
        let next_cycle = self
            .expires_on
            .checked_add_months(Months::new(12))
            .is_some_and(|year_later| expires_on >= year_later);
        let mut out = self.clone();
        out.expires_on = expires_on;
        if next_cycle {
            // Applied after expiring: the courses up to the application renewed the old
            // cycle and must not count again.
            out.counts_from = self
                .applied_on
                .filter(|on| *on > self.expires_on)
                .and_then(|on| on.succ_opt());
            out.applied_on = None;
            out.audit_selected_on = None;
            out.audit_closed_on = None;
        }
        out
    }

    /// Where an entry completed on `completed_on` falls for this certification's
    /// cycle: [`entry_window`], with courses before `counts_from` counted as before
    /// the cycle.
    #[must_use]
    pub fn window(&self, completed_on: NaiveDate, policy: &Policy) -> EntryWindow {
        if self.counts_from.is_some_and(|from| completed_on < from) {
            return EntryWindow::BeforeCycle;
        }
        entry_window(self.expires_on, completed_on, policy)
    }
}

/// One continuing-education record as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeEntry {
    pub id: EntryId,
    pub completed_on: NaiveDate,
    pub amount: Ceu,
    pub area: Area,
    pub provider: Provider,
    pub title: Option<String>,
    /// For [`Provider::Petition`]: the trainer said the petition was approved.
    pub petition_approved: bool,
    /// For [`Provider::Petition`]: the trainer said NASM declined it; it never counts.
    pub petition_declined: bool,
    /// A certificate (file reference) is attached.
    pub has_document: bool,
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
    /// The trainer sent every document to NASM on this day: nothing is due any more.
    pub closed_on: Option<NaiveDate>,
}

/// What the trainer can do now, the one fact every reply about their case leads with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// They applied for this cycle: NASM's verification email, then the new date.
    Applied { on: NaiveDate },
    /// CEUs or CPR/AED still missing, with time left to finish them.
    Working,
    /// Every requirement met: apply now.
    ReadyToApply,
    /// The completion deadline passed and only pending petitions could still fill the
    /// gap: no new course counts, an approval might.
    PetitionsPending,
    /// The completion deadline passed with CEUs missing: cannot be recertified.
    CoursesTooLate,
    /// The last day to apply passed: cannot be recertified.
    TooLate,
}

impl Standing {
    /// The certification can no longer be recertified: no fee is due, an advisor helps.
    #[must_use]
    pub const fn cannot_recertify(self) -> bool {
        matches!(self, Self::CoursesTooLate | Self::TooLate)
    }
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
    /// The last day of the current phase (expiration, +90, the last day to apply),
    /// `None` when lapsed.
    pub phase_ends_on: Option<NaiveDate>,
    /// The last day a course may be completed and still count (expiration + 90 days).
    pub completion_deadline: NaiveDate,
    /// The last day the late fee alone applies (expiration + 90 days).
    pub late_fee_ends: NaiveDate,
    /// The last day an application is accepted (one calendar year after expiration,
    /// less a day).
    pub final_date: NaiveDate,
    /// What the trainer can do now.
    pub standing: Standing,
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
    pub counted: Vec<EntryId>,
    /// Ids of entries outside the cycle and its grace period.
    pub not_counted: Vec<EntryId>,
    /// Of those, the ones completed after the completion deadline.
    pub completed_too_late: Vec<EntryId>,
    /// Ids of petitioned entries NASM declined (in the cycle, never counted).
    pub declined: Vec<EntryId>,
    /// Ids of counted entries without a certificate attached.
    pub missing_documents: Vec<EntryId>,
    /// Petitioned courses in the cycle (each carries the petition fee).
    pub petitions: usize,
    pub cpr: CprStatus,
    /// The audit of this cycle, if the trainer was selected.
    pub audit: Option<AuditStatus>,
    /// Fees due if they apply now: none once applied or when they cannot recertify.
    pub fees: FeeBreakdown,
    /// Earned >= required and CPR/AED current.
    pub requirements_met: bool,
    /// A Recertify for Life member.
    pub member: bool,
}

/// The CPR/AED card's standing on `today`: valid through its expiration date.
#[must_use]
pub fn cpr_status(cpr_expires_on: Option<NaiveDate>, today: NaiveDate) -> CprStatus {
    match cpr_expires_on {
        None => CprStatus::Unknown,
        Some(d) if today <= d => CprStatus::Current { expires_on: d },
        Some(d) => CprStatus::Expired { expired_on: d },
    }
}

/// The audit's document deadline (`selected_on + window_days`) and the days left.
#[must_use]
pub fn audit_status(selected_on: NaiveDate, today: NaiveDate, policy: &Policy) -> AuditStatus {
    let deadline = add_days(selected_on, policy.audit.window_days);
    AuditStatus {
        selected_on,
        deadline,
        days_left: days_between(today, deadline),
        closed_on: None,
    }
}

/// The audit of the cycle ending on `cert.expires_on`: an audit selected before the
/// cycle began belonged to an earlier one and is not shown.
fn cycle_audit(cert: &Certification, today: NaiveDate, policy: &Policy) -> Option<AuditStatus> {
    let selected_on = cert.audit_selected_on?;
    if selected_on < cycle_start(cert.expires_on, policy) {
        return None;
    }
    let mut audit = audit_status(selected_on, today, policy);
    audit.closed_on = cert.audit_closed_on;
    Some(audit)
}

/// What the trainer can do now (see [`Standing`]): applying ends the cycle's work; past
/// the last day nothing can be done; past the completion deadline only CEUs completed
/// in time (and petitions still pending) count.
fn standing_of(cert: &Certification, s: &Status) -> Standing {
    if let Some(on) = cert.applied_on {
        return Standing::Applied { on };
    }
    if s.phase == Phase::Lapsed {
        return Standing::TooLate;
    }
    if s.today > s.completion_deadline && !s.remaining.is_zero() {
        return if s.pending >= s.remaining {
            Standing::PetitionsPending
        } else {
            Standing::CoursesTooLate
        };
    }
    if s.requirements_met {
        Standing::ReadyToApply
    } else {
        Standing::Working
    }
}

/// The trainer's full standing at `now`.
#[must_use]
pub fn status(
    cert: &Certification,
    entries: &[CeEntry],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Status {
    let today = today(policy, now);
    let expires_on = cert.expires_on;
    let phase = phase(expires_on, today, policy);
    let tally = Tally::of(cert, entries, policy);
    let required = policy.certification.required_ceus;
    let cpr = cpr_status(cert.cpr_expires_on, today);
    let mut s = Status {
        today,
        expires_on,
        cycle_start: cycle_start(expires_on, policy),
        phase,
        days_to_expiration: days_between(today, expires_on),
        phase_ends_on: phase_ends_on(expires_on, phase, policy),
        completion_deadline: completion_deadline(expires_on, policy),
        late_fee_ends: add_days(expires_on, policy.certification.late_fee_days),
        final_date: final_date(expires_on, policy),
        standing: Standing::Working,
        required,
        earned: tally.earned,
        pending: tally.pending,
        remaining: required.saturating_sub(tally.earned),
        by_area: tally.by_area,
        counted: tally.counted,
        not_counted: tally.not_counted,
        completed_too_late: tally.completed_too_late,
        declined: tally.declined,
        missing_documents: tally.missing_documents,
        petitions: tally.petitions,
        cpr,
        audit: cycle_audit(cert, today, policy),
        fees: FeeBreakdown::default(),
        requirements_met: tally.earned >= required && matches!(cpr, CprStatus::Current { .. }),
        member: cert.recertify_for_life,
    };
    s.standing = standing_of(cert, &s);
    if !s.standing.cannot_recertify() && !matches!(s.standing, Standing::Applied { .. }) {
        s.fees = fees(phase, cert.recertify_for_life, s.petitions, policy);
    }
    s
}

#[cfg(test)]
mod tests;
