//! Phases at every boundary, entry windows at the cycle edges, and the CEU tally.

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::domain::EntryId;
use crate::rules::fees::FeeKind;
use crate::rules::units::Cents;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Noon-ish in Pacific time on `date` (20:00 UTC is 12:00 PST or 13:00 PDT).
fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(20, 0, 0).unwrap())
}

const EXPIRES: (i32, u32, u32) = (2026, 6, 30);

fn expires() -> NaiveDate {
    d(EXPIRES.0, EXPIRES.1, EXPIRES.2)
}

fn cert() -> Certification {
    Certification {
        expires_on: expires(),
        cpr_expires_on: Some(d(2027, 1, 15)),
        recertify_for_life: false,
        audit_selected_on: None,
        applied_on: None,
        audit_closed_on: None,
        counts_from: None,
    }
}

fn ids(ids: &[i64]) -> Vec<EntryId> {
    ids.iter().copied().map(EntryId).collect()
}

fn entry(id: i64, completed_on: NaiveDate, minutes: u32, provider: Provider) -> CeEntry {
    CeEntry {
        id: EntryId(id),
        completed_on,
        amount: Ceu::from_minutes(minutes),
        area: Area::ALL[usize::try_from(id).unwrap_or(0) % 6],
        provider,
        title: None,
        petition_approved: false,
        petition_declined: false,
        has_document: id % 2 == 0,
    }
}

#[test]
fn today_is_the_trainers_calendar_date_in_pacific_time() {
    let policy = Policy::embedded();
    let late_evening = Utc.with_ymd_and_hms(2026, 7, 1, 6, 30, 0).unwrap();
    assert_eq!(today(&policy, late_evening), d(2026, 6, 30));
    let winter_evening = Utc.with_ymd_and_hms(2026, 1, 2, 7, 30, 0).unwrap();
    assert_eq!(today(&policy, winter_evening), d(2026, 1, 1));
    let winter_morning = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
    assert_eq!(today(&policy, winter_morning), d(2026, 1, 2));
}

#[test]
fn phases_change_on_the_documented_days() {
    let policy = Policy::embedded();
    let cases = [
        (-400, Phase::Current),
        (-1, Phase::Current),
        (0, Phase::Current),
        (1, Phase::Late),
        (40, Phase::Late),
        (90, Phase::Late),
        (91, Phase::LateAdditional),
        (120, Phase::LateAdditional),
        // Expires Jun 30, 2026: the last day to apply is Jun 29, 2027, day 364.
        (364, Phase::LateAdditional),
        (365, Phase::Lapsed),
        (3000, Phase::Lapsed),
    ];
    for (after, expected) in cases {
        let day = expires() + chrono::Duration::days(after);
        assert_eq!(
            phase(expires(), day, &policy),
            expected,
            "{after} days after"
        );
    }
}

#[test]
fn each_phase_ends_on_its_last_day() {
    let policy = Policy::embedded();
    let cases = [
        (Phase::Current, Some(d(2026, 6, 30))),
        (Phase::Late, Some(d(2026, 9, 28))),
        (Phase::LateAdditional, Some(d(2027, 6, 29))),
        (Phase::Lapsed, None),
    ];
    for (p, ends) in cases {
        assert_eq!(phase_ends_on(expires(), p, &policy), ends, "{p:?}");
        if let Some(last) = ends {
            assert_eq!(phase(expires(), last, &policy), p);
            assert_ne!(phase(expires(), last.succ_opt().unwrap(), &policy), p);
        }
    }
}

#[test]
fn cycles_start_the_day_after_the_previous_expiration() {
    let policy = Policy::embedded();
    let cases = [
        (d(2026, 6, 30), d(2024, 7, 1)),
        (d(2026, 12, 31), d(2025, 1, 1)),
        (d(2026, 2, 28), d(2024, 2, 29)),
        (d(2028, 2, 29), d(2026, 3, 1)),
        (d(2026, 3, 31), d(2024, 4, 1)),
    ];
    for (exp, start) in cases {
        assert_eq!(cycle_start(exp, &policy), start, "expires {exp}");
    }
}

#[test]
fn entry_windows_at_the_cycle_edges() {
    let policy = Policy::embedded();
    let cases = [
        (d(2024, 6, 30), EntryWindow::BeforeCycle),
        (d(2024, 7, 1), EntryWindow::InCycle),
        (d(2026, 6, 30), EntryWindow::InCycle),
        (d(2026, 7, 1), EntryWindow::Grace),
        (d(2026, 9, 28), EntryWindow::Grace),
        (d(2026, 9, 29), EntryWindow::AfterGrace),
    ];
    for (completed, expected) in cases {
        assert_eq!(
            entry_window(expires(), completed, &policy),
            expected,
            "{completed}"
        );
    }
}

#[test]
fn status_tallies_what_counts() {
    let policy = Policy::embedded();
    let mut approved = entry(4, d(2025, 5, 1), 120, Provider::Petition);
    approved.petition_approved = true;
    let entries = [
        entry(1, d(2024, 6, 30), 600, Provider::Nasm), // before the cycle
        entry(2, d(2024, 7, 1), 90, Provider::Nasm),   // first day: 0.15 CEU
        entry(3, d(2025, 1, 1), 300, Provider::Petition), // pending
        approved,
        entry(5, d(2026, 7, 15), 30, Provider::Approved), // grace
        entry(6, d(2026, 10, 1), 600, Provider::Nasm),    // after grace
    ];
    let s = status(&cert(), &entries, &policy, noon(d(2026, 5, 1)));
    assert_eq!(s.cycle_start, d(2024, 7, 1));
    assert_eq!(s.phase, Phase::Current);
    assert_eq!(s.days_to_expiration, 60);
    assert_eq!(s.earned, Ceu::from_minutes(240));
    assert_eq!(s.earned.to_string(), "0.4");
    assert_eq!(s.pending, Ceu::from_minutes(300));
    assert_eq!(s.remaining, Ceu::from_minutes(960));
    assert_eq!(s.counted, ids(&[2, 3, 4, 5]));
    assert_eq!(s.not_counted, ids(&[1, 6]));
    assert_eq!(s.missing_documents, ids(&[3, 5]));
    assert_eq!(s.petitions, 2);
    let areas: Vec<Area> = s.by_area.iter().map(|(a, _)| *a).collect();
    assert_eq!(areas, Area::ALL);
    let area_sum: Ceu = s.by_area.iter().map(|(_, c)| *c).sum();
    assert_eq!(area_sum, s.earned);
    assert_eq!(s.by_area[2], (Area::ProgramDesign, Ceu::from_minutes(90)));
    assert_eq!(s.fees.total, Cents::dollars(99 + 50));
    assert!(!s.requirements_met);
}

#[test]
fn requirements_need_both_ceus_and_a_current_cpr_card() {
    let policy = Policy::embedded();
    let enough = [entry(2, d(2025, 1, 1), 1200, Provider::Nasm)];
    let short = [entry(2, d(2025, 1, 1), 1199, Provider::Nasm)];
    let now = noon(d(2026, 5, 1));
    let mut no_cpr = cert();
    no_cpr.cpr_expires_on = None;
    let mut old_cpr = cert();
    old_cpr.cpr_expires_on = Some(d(2026, 4, 30));
    let cases = [
        (cert(), &enough[..], true),
        (cert(), &short[..], false),
        (no_cpr, &enough[..], false),
        (old_cpr, &enough[..], false),
    ];
    for (c, entries, met) in cases {
        let s = status(&c, entries, &policy, now);
        assert_eq!(
            s.requirements_met, met,
            "{:?} {:?}",
            c.cpr_expires_on, s.earned
        );
    }
    assert_eq!(status(&cert(), &enough, &policy, now).remaining, Ceu::ZERO);
}

#[test]
fn cpr_is_valid_through_its_expiration_day() {
    let card = Some(d(2026, 4, 30));
    assert_eq!(cpr_status(None, d(2026, 4, 30)), CprStatus::Unknown);
    assert_eq!(
        cpr_status(card, d(2026, 4, 30)),
        CprStatus::Current {
            expires_on: d(2026, 4, 30)
        }
    );
    assert_eq!(
        cpr_status(card, d(2026, 5, 1)),
        CprStatus::Expired {
            expired_on: d(2026, 4, 30)
        }
    );
}

#[test]
fn audits_give_thirty_days() {
    let policy = Policy::embedded();
    let mut c = cert();
    c.audit_selected_on = Some(d(2026, 5, 1));
    let cases = [
        (d(2026, 5, 1), 30),
        (d(2026, 5, 31), 0),
        (d(2026, 6, 2), -2),
    ];
    for (day, left) in cases {
        let audit = status(&c, &[], &policy, noon(day)).audit.unwrap();
        assert_eq!(audit.deadline, d(2026, 5, 31));
        assert_eq!(audit.days_left, left, "{day}");
    }
    assert_eq!(
        status(&cert(), &[], &policy, noon(d(2026, 5, 1))).audit,
        None
    );
}

#[test]
fn late_renewals_carry_their_fees_and_phase_end() {
    let policy = Policy::embedded();
    let cases = [
        (40, Phase::Late, 129, Some(d(2026, 9, 28))),
        (120, Phase::LateAdditional, 179, Some(d(2027, 6, 29))),
        (400, Phase::Lapsed, 0, None),
    ];
    // Every CEU completed in time, so renewing late stays possible until the last day.
    let done = [entry(1, d(2026, 1, 10), 1200, Provider::Nasm)];
    for (late, p, dollars, ends) in cases {
        let day = expires() + chrono::Duration::days(late);
        let s = status(&cert(), &done, &policy, noon(day));
        assert_eq!(s.phase, p);
        assert_eq!(s.days_to_expiration, -late);
        assert_eq!(s.fees.total, Cents::dollars(dollars), "{late} days late");
        assert_eq!(s.phase_ends_on, ends);
    }
    let mut member = cert();
    member.recertify_for_life = true;
    let s = status(&member, &[], &policy, noon(expires()));
    assert!(s.fees.lines.is_empty());
    assert!(!s.fees.notes.is_empty());
    let s = status(&member, &[], &policy, noon(d(2026, 8, 1)));
    assert_eq!(
        s.fees.lines.iter().map(|l| l.kind).collect::<Vec<_>>(),
        [FeeKind::Late]
    );
}

fn any_entry() -> impl Strategy<Value = CeEntry> {
    (
        1i64..1000,
        0i64..1200,
        0u32..3000,
        0usize..3,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(id, offset, minutes, p, approved, doc)| CeEntry {
            id: EntryId(id),
            completed_on: d(2024, 3, 1) + chrono::Duration::days(offset),
            amount: Ceu::from_minutes(minutes),
            area: Area::ALL[usize::try_from(id).unwrap_or(0) % 6],
            provider: Provider::ALL[p],
            title: None,
            petition_approved: approved,
            petition_declined: false,
            has_document: doc,
        })
}

proptest! {
    #[test]
    fn earned_is_exactly_the_minutes_that_count(
        entries in proptest::collection::vec(any_entry(), 0..40),
        day in 0i64..900,
    ) {
        let policy = Policy::embedded();
        let now = noon(d(2025, 1, 1) + chrono::Duration::days(day));
        let s = status(&cert(), &entries, &policy, now);
        let counts = |e: &CeEntry| matches!(
            entry_window(expires(), e.completed_on, &policy),
            EntryWindow::InCycle | EntryWindow::Grace
        );
        let earned: u32 = entries
            .iter()
            .filter(|e| counts(e))
            .filter(|e| e.provider != Provider::Petition || e.petition_approved)
            .map(|e| e.amount.minutes())
            .sum();
        prop_assert_eq!(s.earned.minutes(), earned);
        let by_area: u32 = s.by_area.iter().map(|(_, c)| c.minutes()).sum();
        prop_assert_eq!(by_area, earned);
        prop_assert_eq!(s.counted.len() + s.not_counted.len(), entries.len());
        prop_assert_eq!(s.remaining, s.required.saturating_sub(s.earned));
        prop_assert!(s.fees.total >= Cents::ZERO);
    }
}

#[test]
fn past_the_completion_deadline_only_pending_petitions_can_still_fill_the_gap() {
    let policy = Policy::embedded();
    let day_100 = noon(expires() + chrono::Duration::days(100));
    let mut entries = vec![
        entry(1, d(2026, 1, 10), 900, Provider::Nasm),
        entry(2, d(2026, 2, 10), 300, Provider::Petition),
    ];
    let s = status(&cert(), &entries, &policy, day_100);
    assert_eq!(s.standing, Standing::PetitionsPending);
    assert_eq!(s.fees.total, Cents::dollars(179 + 25));
    entries[1].petition_declined = true;
    let s = status(&cert(), &entries, &policy, day_100);
    assert_eq!(s.standing, Standing::CoursesTooLate);
    assert_eq!(s.declined, ids(&[2]));
    assert_eq!(s.fees.total, Cents::ZERO);
    assert!(s.fees.lines.is_empty());
    entries[1].petition_declined = false;
    entries[1].petition_approved = true;
    let s = status(&cert(), &entries, &policy, day_100);
    assert_eq!(
        s.standing,
        Standing::ReadyToApply,
        "approved: every CEU was in time"
    );
}
