//! Reminder wording for a sample trainer: what is missing, the fees, the buttons.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::rules::status::status;
use crate::rules::units::{Area, Ceu, Provider};
use crate::rules::{CeEntry, Certification};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cert() -> Certification {
    Certification {
        expires_on: d(2027, 3, 15),
        cpr_expires_on: Some(d(2027, 1, 31)),
        recertify_for_life: false,
        audit_selected_on: Some(d(2026, 12, 1)),
        applied_on: None,
        audit_closed_on: None,
    }
}

fn entry() -> CeEntry {
    CeEntry {
        id: 1,
        completed_on: d(2026, 6, 1),
        amount: Ceu::from_hours(4),
        area: Area::Nutrition,
        provider: Provider::Nasm,
        title: None,
        petition_approved: false,
        petition_declined: false,
        has_document: false,
    }
}

/// The message of `kind` on `date` at noon Pacific.
fn text_on(kind: ReminderKind, date: NaiveDate) -> Reply {
    let policy = Policy::embedded();
    let now = Utc.from_utc_datetime(&date.and_hms_opt(20, 0, 0).unwrap());
    let s = status(&cert(), &[entry()], &policy, now);
    message(kind, &s, (true, false), false, &policy)
}

#[test]
fn each_kind_says_what_is_due_and_what_is_missing() {
    use ReminderKind::*;
    let cases: [(ReminderKind, NaiveDate, &[&str]); 7] = [
        (
            BeforeExpiration(30),
            d(2027, 2, 13),
            &[
                "expires in 30 days, on Mon, Mar 15, 2027",
                "0.4 of 2.0 CEUs earned; still needed: 1.6 CEUs (16 contact hours)",
                "By area: nutrition 0.4",
                "Certificates missing for 1 of your entries",
                "Fees if you apply now: $99.",
                "After Mon, Mar 15, 2027: $129.",
            ],
        ),
        (
            BeforeExpiration(1),
            d(2027, 3, 14),
            &["expires tomorrow (Mon, Mar 15, 2027)"],
        ),
        (
            ExpirationDay,
            d(2027, 3, 15),
            &["expires today (Mon, Mar 15, 2027)"],
        ),
        (
            LateFee,
            d(2027, 3, 16),
            &[
                "expired on Mon, Mar 15, 2027",
                "until Sun, Jun 13, 2027, now with the $30 late fee",
                "Fees if you apply now: $129",
                "After Sun, Jun 13, 2027: $179.",
            ],
        ),
        (
            AdditionalFeeNear,
            d(2027, 6, 4),
            &["Renew within 9 days, on Sun, Jun 13, 2027 to avoid the additional $50 fee"],
        ),
        (
            FinalDeadlineNear,
            d(2028, 2, 13),
            &[
                "only until Tue, Mar 14, 2028 (30 days left)",
                "After Tue, Mar 14, 2028 it can no longer be recertified.",
            ],
        ),
        (
            CprExpiring(7),
            d(2027, 1, 24),
            &["CPR/AED card expires in 7 days, on Sun, Jan 31, 2027"],
        ),
    ];
    for (kind, date, wanted) in cases {
        let r = text_on(kind, date);
        for w in wanted {
            assert!(r.text.contains(w), "{kind:?}: missing {w:?} in\n{}", r.text);
        }
        assert!(r.text.contains("/reminders off"), "{kind:?}");
        assert_eq!(
            r.buttons,
            vec![
                Button::new("Log CEUs", "log"),
                Button::new("Talk to a person", "human")
            ]
        );
    }
}

#[test]
fn an_audit_reminder_lists_the_checklist_without_fees() {
    let r = text_on(ReminderKind::AuditDeadline(7), d(2026, 12, 24));
    for w in [
        "Audit: your documents are due in 7 days, on Thu, Dec 31, 2026.",
        "Checklist: certificates 0/1; CPR/AED card front done; back missing.",
    ] {
        assert!(r.text.contains(w), "missing {w:?} in\n{}", r.text);
    }
    assert!(!r.text.contains("Fees"));
}
