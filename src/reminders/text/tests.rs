//! Reminder wording for sample trainers: what is due, what is missing, the fees, the
//! buttons; and for trainers who are done or can no longer recertify, what is true.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::domain::EntryId;
use crate::rules::status::status;
use crate::rules::units::{Area, Ceu, Provider};
use crate::rules::{CeEntry, Certification};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cert() -> Certification {
    let mut c = Certification::new(d(2027, 3, 15));
    c.cpr_expires_on = Some(d(2027, 1, 31));
    c.audit_selected_on = Some(d(2026, 12, 1));
    c
}

fn entry(hours: u32, completed_on: NaiveDate) -> CeEntry {
    CeEntry {
        id: EntryId(1),
        completed_on,
        amount: Ceu::from_hours(hours),
        area: Area::Nutrition,
        provider: Provider::Nasm,
        title: None,
        petition_approved: false,
        petition_declined: false,
        has_document: false,
    }
}

/// The message of `kind` on `date` at noon Pacific.
fn text_for(c: &Certification, entries: &[CeEntry], kind: ReminderKind, date: NaiveDate) -> Reply {
    let policy = Policy::embedded();
    let now = Utc.from_utc_datetime(&date.and_hms_opt(20, 0, 0).unwrap());
    let s = status(c, entries, &policy, now);
    message(
        kind,
        &s,
        CardOnFile {
            front: true,
            back: false,
        },
        &policy,
    )
}

fn text_on(kind: ReminderKind, date: NaiveDate) -> Reply {
    text_for(&cert(), &[entry(4, d(2026, 6, 1))], kind, date)
}

fn check(r: &Reply, kind: ReminderKind, wanted: &[&str], unwanted: &[&str]) {
    for w in wanted {
        assert!(r.text.contains(w), "{kind:?}: missing {w:?} in\n{}", r.text);
    }
    for w in unwanted {
        assert!(
            !r.text.contains(w),
            "{kind:?}: {w:?} should not be in\n{}",
            r.text
        );
    }
    assert!(r.text.contains("/reminders off"), "{kind:?}");
    assert!(
        !r.text.contains("1 days") && !r.text.contains("-1"),
        "{}",
        r.text
    );
}

#[test]
fn each_kind_says_what_is_due_and_what_is_missing() {
    use ReminderKind::*;
    let cases: [(ReminderKind, NaiveDate, &[&str]); 7] = [
        (
            BeforeExpiration(30),
            d(2027, 2, 13),
            &[
                "expires on Mon, Mar 15, 2027, in 30 days",
                "complete the remaining 1.6 CEUs (16 contact hours)",
                "0.4 of 2.0 CEUs earned; still needed: 1.6 CEUs",
                "By area: nutrition 0.4",
                "Certificates: none on file here for 1 entry",
                "Fees if you apply by Mon, Mar 15, 2027:",
                "Total: $99",
                "From Tue, Mar 16, 2027: $129 in total.",
            ],
        ),
        (
            BeforeExpiration(1),
            d(2027, 3, 14),
            &["expires tomorrow, Mon, Mar 15, 2027"],
        ),
        (
            ExpirationDay,
            d(2027, 3, 15),
            &["expires today, Mon, Mar 15, 2027"],
        ),
        (
            LateFee,
            d(2027, 3, 16),
            &[
                "expired yesterday, Mon, Mar 15, 2027. The $30 late fee now applies.",
                "complete the remaining 1.6 CEUs (16 contact hours) by Sun, Jun 13, 2027",
                "apply by Tue, Mar 14, 2028, the last day",
                "Total: $129",
                "From Mon, Jun 14, 2027: $179 in total, until Tue, Mar 14, 2028",
            ],
        ),
        (
            AdditionalFeeNear,
            d(2027, 6, 4),
            &[
                "10 days left. Courses completed after Sun, Jun 13, 2027 don't count",
                "from Mon, Jun 14, 2027 the additional $50 fee applies",
            ],
        ),
        (
            CprExpiring(7),
            d(2027, 1, 24),
            &["CPR/AED card expires on Sun, Jan 31, 2027, in 7 days"],
        ),
        (
            BeforeExpiration(60),
            d(2027, 1, 14),
            &["expires on Mon, Mar 15, 2027, in 60 days"],
        ),
    ];
    for (kind, date, wanted) in cases {
        let r = text_on(kind, date);
        check(&r, kind, wanted, &["(in ", "(("]);
        assert_eq!(
            r.buttons,
            vec![
                Button::new("Log CEUs", Action::Log),
                Button::new("Talk to a person", Action::Human)
            ]
        );
    }
}

#[test]
fn a_trainer_who_is_done_is_told_to_apply_now_with_the_steps_and_fee() {
    let mut c = cert();
    c.cpr_expires_on = Some(d(2028, 6, 1));
    c.audit_selected_on = None;
    let done = [entry(20, d(2026, 6, 1))];
    let cases: [(ReminderKind, NaiveDate, &[&str]); 3] = [
        (
            ReminderKind::BeforeExpiration(7),
            d(2027, 3, 8),
            &[
                "Apply now, by Mon, Mar 15, 2027",
                "CPT Recertification Portal",
                "Total: $99",
            ],
        ),
        (
            ReminderKind::LateFee,
            d(2027, 3, 16),
            &["Apply now, by Tue, Mar 14, 2028", "Total: $129"],
        ),
        (
            ReminderKind::FinalDeadlineNear,
            d(2028, 2, 13),
            &[
                "accepted only until Tue, Mar 14, 2028, in 30 days",
                "Total: $179",
                "After Tue, Mar 14, 2028 it can no longer be recertified.",
            ],
        ),
    ];
    for (kind, date, wanted) in cases {
        let r = text_for(&c, &done, kind, date);
        check(&r, kind, wanted, &["still needed", "remaining"]);
        assert!(r.text.contains("tell me (\"I applied\")"), "{}", r.text);
        assert_eq!(
            r.buttons,
            vec![Button::new("Talk to a person", Action::Human)]
        );
    }
}

#[test]
fn past_day_90_with_ceus_missing_the_reminder_says_it_cannot_be_recertified() {
    let r = text_on(ReminderKind::FinalDeadlineNear, d(2028, 2, 13));
    check(
        &r,
        ReminderKind::FinalDeadlineNear,
        &[
            "can no longer be recertified",
            "No fee is due",
            "1-800-460-6276",
        ],
        &["$179", "$129", "Apply by", "apply by", "Total"],
    );
}

#[test]
fn an_audit_reminder_sends_the_trainer_to_nasm_with_the_checklist_without_fees() {
    let r = text_on(ReminderKind::AuditDeadline(7), d(2026, 12, 24));
    check(
        &r,
        ReminderKind::AuditDeadline(7),
        &[
            "due at NASM on Thu, Dec 31, 2026, in 7 days",
            "NASM's Recertification Department",
            "certificates 0 of 1 gathered; CPR/AED card front gathered; back missing",
            "I don't send anything to NASM",
        ],
        &["Fees", "overdue"],
    );
}
