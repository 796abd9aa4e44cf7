//! Reminder schedules for a sample certification, and what is due after downtime.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use ReminderKind::{
    AdditionalFeeNear, AuditDeadline, BeforeExpiration, CprExpiring, ExpirationDay,
    FinalDeadlineNear, LateFee,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Expires 2026-06-30; CPR card expires earlier (2026-03-15); audited on 2026-04-01.
fn cert() -> Certification {
    Certification {
        expires_on: d(2026, 6, 30),
        cpr_expires_on: Some(d(2026, 3, 15)),
        recertify_for_life: false,
        audit_selected_on: Some(d(2026, 4, 1)),
        applied_on: None,
        audit_closed_on: None,
        counts_from: None,
    }
}

fn kinds(rs: &[ScheduledReminder]) -> Vec<ReminderKind> {
    rs.iter().map(|r| r.kind).collect()
}

fn never_sent(_: ReminderKind) -> bool {
    false
}

#[test]
fn a_sample_certification_is_reminded_on_these_days() {
    let policy = Policy::embedded();
    let expected = [
        (CprExpiring(30), d(2026, 2, 13)),
        (CprExpiring(7), d(2026, 3, 8)),
        (BeforeExpiration(90), d(2026, 4, 1)),
        (AuditDeadline(21), d(2026, 4, 10)),
        (AuditDeadline(7), d(2026, 4, 24)),
        (AuditDeadline(1), d(2026, 4, 30)),
        (BeforeExpiration(60), d(2026, 5, 1)),
        (BeforeExpiration(30), d(2026, 5, 31)),
        (BeforeExpiration(14), d(2026, 6, 16)),
        (BeforeExpiration(7), d(2026, 6, 23)),
        (BeforeExpiration(1), d(2026, 6, 29)),
        (ExpirationDay, d(2026, 6, 30)),
        (LateFee, d(2026, 7, 1)),
        // the additional fee starts on day 91 (2026-09-29); warned 10 days before
        (AdditionalFeeNear, d(2026, 9, 19)),
        // the last day to apply is 2027-06-29 (the day before the same date a year
        // later); warned 30 days before
        (FinalDeadlineNear, d(2027, 5, 30)),
    ];
    let got: Vec<(ReminderKind, NaiveDate)> = schedule(&cert(), &policy)
        .iter()
        .map(|r| (r.kind, r.due_on))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn cpr_reminders_only_for_a_card_expiring_before_the_certification() {
    let policy = Policy::embedded();
    let cases = [
        (Some(d(2026, 3, 15)), true),
        (Some(d(2026, 6, 29)), true),
        (Some(d(2026, 6, 30)), false),
        (Some(d(2027, 1, 1)), false),
        (None, false),
    ];
    for (card, expected) in cases {
        let mut c = cert();
        c.cpr_expires_on = card;
        let has_cpr = schedule(&c, &policy)
            .iter()
            .any(|r| matches!(r.kind, CprExpiring(_)));
        assert_eq!(has_cpr, expected, "{card:?}");
    }
}

#[test]
fn no_audit_no_audit_reminders_and_the_expiration_day_is_optional() {
    let mut policy = Policy::embedded();
    policy.reminders.on_expiration_day = false;
    let mut c = cert();
    c.audit_selected_on = None;
    let ks = kinds(&schedule(&c, &policy));
    assert!(!ks.iter().any(|k| matches!(k, AuditDeadline(_))));
    assert!(!ks.contains(&ExpirationDay));
    assert!(ks.contains(&LateFee));
}

#[test]
fn after_downtime_only_the_latest_of_each_stream_is_due() {
    let policy = Policy::embedded();
    let s = schedule(&cert(), &policy);
    // (today, reminders due). CPR and audit reminders whose event has passed are dropped.
    let cases: [(NaiveDate, &[ReminderKind]); 9] = [
        (d(2026, 1, 1), &[]),
        (d(2026, 2, 13), &[CprExpiring(30)]),
        (d(2026, 3, 10), &[CprExpiring(7)]),
        (d(2026, 3, 16), &[]),
        (d(2026, 4, 25), &[BeforeExpiration(90), AuditDeadline(7)]),
        (d(2026, 6, 5), &[BeforeExpiration(30)]),
        (d(2026, 6, 30), &[ExpirationDay]),
        (d(2026, 8, 15), &[LateFee]),
        (d(2028, 1, 1), &[FinalDeadlineNear]),
    ];
    for (today, expected) in cases {
        assert_eq!(kinds(&due(&s, today, &never_sent)), expected, "{today}");
    }
}

#[test]
fn a_sent_reminder_is_not_sent_again_and_older_ones_do_not_resurface() {
    let policy = Policy::embedded();
    let s = schedule(&cert(), &policy);
    let today = d(2026, 6, 5);
    let sent = |k: ReminderKind| k == BeforeExpiration(30);
    assert!(due(&s, today, &sent).is_empty());
    let sent_90 = |k: ReminderKind| k == BeforeExpiration(90);
    assert_eq!(kinds(&due(&s, today, &sent_90)), [BeforeExpiration(30)]);
}

#[test]
fn the_next_due_date_is_the_first_one_after_today() {
    let s = schedule(&cert(), &Policy::embedded());
    assert_eq!(next_due_on(&s, d(2026, 6, 5)), Some(d(2026, 6, 16)));
    assert_eq!(next_due_on(&s, d(2026, 6, 16)), Some(d(2026, 6, 23)));
    assert_eq!(next_due_on(&s, d(2027, 5, 31)), None);
}

#[test]
fn keys_are_stable_and_distinct() {
    let s = schedule(&cert(), &Policy::embedded());
    let keys: HashSet<String> = s.iter().map(|r| r.kind.key()).collect();
    assert_eq!(keys.len(), s.len());
    assert_eq!(BeforeExpiration(30).key(), "before:30");
    assert_eq!(AuditDeadline(7).key(), "audit:7");
}

proptest! {
    #[test]
    fn at_most_one_unsent_reminder_per_stream_and_never_a_future_one(
        offset in -800i64..800,
        cpr_offset in -400i64..400,
        audit_offset in -400i64..400,
        sent_mask in any::<u32>(),
    ) {
        let policy = Policy::embedded();
        let exp = d(2026, 6, 30);
        let c = Certification {
            expires_on: exp,
            cpr_expires_on: Some(exp + chrono::Duration::days(cpr_offset)),
            recertify_for_life: false,
            audit_selected_on: Some(exp + chrono::Duration::days(audit_offset)),
            applied_on: None,
            audit_closed_on: None,
            counts_from: None,
        };
        let s = schedule(&c, &policy);
        let today = exp + chrono::Duration::days(offset);
        let sent = |k: ReminderKind| {
            s.iter().position(|r| r.kind == k).is_some_and(|i| sent_mask & (1 << (i % 32)) != 0)
        };
        let got = due(&s, today, &sent);
        let streams: HashSet<Stream> = got.iter().map(|r| r.kind.stream()).collect();
        prop_assert_eq!(streams.len(), got.len());
        for r in &got {
            prop_assert!(r.due_on <= today);
            prop_assert!(!sent(r.kind));
            let newer_in_stream = s.iter().any(|o| {
                o.kind.stream() == r.kind.stream() && o.due_on <= today && o.due_on > r.due_on
            });
            prop_assert!(!newer_in_stream);
        }
    }
}
