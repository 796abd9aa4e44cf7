//! Decisions for one trainer on chosen days: one reminder per stream, skips and why.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::domain::EntryId;
use crate::rules::reminders::schedule;
use crate::rules::status::status;
use crate::rules::units::{Area, Ceu, Provider};
use crate::rules::{CeEntry, Policy};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cert(cpr: Option<NaiveDate>) -> Certification {
    Certification {
        expires_on: d(2027, 3, 15),
        cpr_expires_on: cpr,
        recertify_for_life: false,
        audit_selected_on: None,
        applied_on: None,
        audit_closed_on: None,
        counts_from: None,
    }
}

fn full_ceus() -> Vec<CeEntry> {
    vec![CeEntry {
        id: EntryId(1),
        completed_on: d(2026, 6, 1),
        amount: Ceu::from_hours(20),
        area: Area::ALL[0],
        provider: Provider::Nasm,
        title: None,
        petition_approved: false,
        petition_declined: false,
        has_document: true,
    }]
}

/// The decisions on `today` (noon Pacific) with nothing handled yet.
fn decide(c: &Certification, entries: &[CeEntry], today: NaiveDate, on: bool) -> Plan {
    let policy = Policy::embedded();
    let now = Utc.from_utc_datetime(&today.and_hms_opt(20, 0, 0).unwrap());
    let st = status(c, entries, &policy, now);
    let sched = schedule(c, &policy);
    let facts = Facts {
        schedule: &sched,
        status: &st,
        reminders_enabled: on,
        apply_now_days_before: 7,
    };
    plan(&facts, &|_| false)
}

fn sent(p: &Plan) -> Vec<ReminderKind> {
    p.decisions
        .iter()
        .filter(|x| x.outcome == Verdict::Send)
        .map(|x| x.reminder.kind)
        .collect()
}

fn skipped(p: &Plan, why: SkipReason) -> Vec<ReminderKind> {
    p.decisions
        .iter()
        .filter(|x| x.outcome == Verdict::Skip(why))
        .map(|x| x.reminder.kind)
        .collect()
}

#[test]
fn each_day_sends_the_latest_due_reminder_and_supersedes_the_rest() {
    use ReminderKind::*;
    let c = cert(Some(d(2028, 1, 1)));
    // (today, sent, superseded, next date)
    let cases = [
        (d(2026, 12, 14), vec![], vec![], Some(d(2026, 12, 15))),
        (
            d(2026, 12, 15),
            vec![BeforeExpiration(90)],
            vec![],
            Some(d(2027, 1, 14)),
        ),
        (
            d(2027, 3, 9),
            vec![BeforeExpiration(7)],
            vec![
                BeforeExpiration(90),
                BeforeExpiration(60),
                BeforeExpiration(30),
                BeforeExpiration(14),
            ],
            Some(d(2027, 3, 14)),
        ),
        (
            d(2027, 3, 16),
            vec![LateFee],
            vec![
                BeforeExpiration(90),
                BeforeExpiration(60),
                BeforeExpiration(30),
                BeforeExpiration(14),
                BeforeExpiration(7),
                BeforeExpiration(1),
                ExpirationDay,
            ],
            Some(d(2027, 6, 4)),
        ),
    ];
    for (today, want_sent, want_superseded, next) in cases {
        let p = decide(&c, &[], today, true);
        assert_eq!(sent(&p), want_sent, "{today}");
        assert_eq!(
            skipped(&p, SkipReason::Superseded),
            want_superseded,
            "{today}"
        );
        assert_eq!(p.next_on, next, "{today}");
    }
}

/// (CPR/AED expiration, entries, today, reminders on, expected reason, skipped kind).
type Case = (
    Option<NaiveDate>,
    Vec<CeEntry>,
    NaiveDate,
    bool,
    SkipReason,
    ReminderKind,
);

#[test]
fn skip_reasons_apply_in_order() {
    use ReminderKind::*;
    let cpr_ok = Some(d(2028, 1, 1));
    let cases: [Case; 4] = [
        (
            cpr_ok,
            vec![],
            d(2026, 12, 15),
            false,
            SkipReason::OptedOut,
            BeforeExpiration(90),
        ),
        (
            cpr_ok,
            full_ceus(),
            d(2026, 12, 15),
            true,
            SkipReason::RequirementsMet,
            BeforeExpiration(90),
        ),
        // Swept only after the additional fee started: "late fee now applies" is stale.
        (
            cpr_ok,
            vec![],
            d(2027, 6, 20),
            true,
            SkipReason::Stale,
            AdditionalFeeNear,
        ),
        // Swept a year and a half late: lapsed, the final-deadline warning is stale.
        (
            cpr_ok,
            vec![],
            d(2028, 9, 1),
            true,
            SkipReason::Stale,
            FinalDeadlineNear,
        ),
    ];
    for (cpr, entries, today, on, why, kind) in cases {
        let p = decide(&cert(cpr), &entries, today, on);
        assert_eq!(skipped(&p, why), vec![kind], "{today} {why:?}");
        assert!(sent(&p).is_empty(), "{today}");
    }
}

#[test]
fn a_trainer_with_every_requirement_met_still_hears_about_an_expiring_cpr_card() {
    let mut entries = full_ceus();
    entries[0].completed_on = d(2026, 1, 10);
    // CPR current but expiring before the certification: the CPR stream still runs.
    let p = decide(&cert(Some(d(2027, 1, 31))), &entries, d(2027, 1, 1), true);
    assert_eq!(sent(&p), vec![ReminderKind::CprExpiring(30)]);
}

#[test]
fn a_handled_reminder_is_not_decided_again() {
    let policy = Policy::embedded();
    let c = cert(None);
    let st = status(
        &c,
        &[],
        &policy,
        Utc.with_ymd_and_hms(2026, 12, 15, 20, 0, 0).unwrap(),
    );
    let sched = schedule(&c, &policy);
    let facts = Facts {
        schedule: &sched,
        status: &st,
        reminders_enabled: true,
        apply_now_days_before: 7,
    };
    let p = plan(&facts, &|k| k == ReminderKind::BeforeExpiration(90));
    assert!(p.decisions.is_empty());
}

#[test]
fn after_a_change_an_unhandled_due_reminder_keeps_its_date() {
    let policy = Policy::embedded();
    let sched = schedule(&cert(None), &policy);
    let today = d(2026, 12, 20);
    assert_eq!(
        next_after_change(&sched, today, &|_| false),
        Some(d(2026, 12, 15))
    );
    assert_eq!(
        next_after_change(&sched, today, &|_| true),
        Some(d(2027, 1, 14))
    );
}

#[test]
fn cpr_and_audit_keys_carry_their_anchor_date() {
    let mut c = cert(Some(d(2027, 1, 31)));
    c.audit_selected_on = Some(d(2026, 10, 1));
    let cases = [
        (ReminderKind::BeforeExpiration(30), "before:30"),
        (ReminderKind::CprExpiring(7), "cpr:7@2027-01-31"),
        (ReminderKind::AuditDeadline(1), "audit:1@2026-10-01"),
    ];
    for (kind, key) in cases {
        assert_eq!(kind_key(kind, &c), key);
    }
}

#[test]
fn a_trainer_who_is_done_hears_apply_now_from_the_week_before_and_after() {
    use ReminderKind::*;
    let c = cert(Some(d(2028, 1, 1)));
    // (today, the reminder due that day, sent or skipped because requirements are met)
    let cases = [
        (d(2026, 12, 15), BeforeExpiration(90), false),
        (d(2027, 3, 1), BeforeExpiration(14), false),
        (d(2027, 3, 8), BeforeExpiration(7), true),
        (d(2027, 3, 14), BeforeExpiration(1), true),
        (d(2027, 3, 15), ExpirationDay, true),
        (d(2027, 3, 16), LateFee, true),
        (d(2027, 6, 4), AdditionalFeeNear, true),
        (d(2028, 2, 13), FinalDeadlineNear, true),
    ];
    for (today, kind, apply_now) in cases {
        let p = decide(&c, &full_ceus(), today, true);
        if apply_now {
            assert_eq!(sent(&p), vec![kind], "{today}");
        } else {
            assert_eq!(
                skipped(&p, SkipReason::RequirementsMet),
                vec![kind],
                "{today}"
            );
        }
    }
}

#[test]
fn applied_trainers_get_only_their_audit_and_closed_audits_nothing() {
    let policy = Policy::embedded();
    let mut c = cert(Some(d(2027, 1, 31)));
    c.applied_on = Some(d(2027, 3, 1));
    c.audit_selected_on = Some(d(2027, 3, 10));
    let kinds: Vec<ReminderKind> = schedule(&c, &policy).iter().map(|r| r.kind).collect();
    assert!(
        kinds
            .iter()
            .all(|k| matches!(k, ReminderKind::AuditDeadline(_))),
        "{kinds:?}"
    );
    assert_eq!(kinds.len(), 3);
    c.audit_closed_on = Some(d(2027, 3, 20));
    assert!(schedule(&c, &policy).is_empty());
}
