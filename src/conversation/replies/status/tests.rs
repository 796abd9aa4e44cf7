//! The status text, the reminders and the fee answers at every phase boundary (day −1,
//! 0, 1, 90, 91, the last day to apply and the day after, in leap years too), in every
//! state of the trainer: done or not, audit none, open or closed, member or not,
//! applied or not. Each reply must state what is true and nothing that is not.

use chrono::{Days, NaiveDate, TimeZone, Utc};

use super::*;
use crate::domain::EntryId;
use crate::reminders::text::message;
use crate::rules::status::{final_date, status};
use crate::rules::units::{Area, Ceu, Provider};
use crate::rules::{CeEntry, Certification, ReminderKind};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Expiration dates: an ordinary year, one whose last day to apply is Feb 29 (leap),
/// one whose day 90 is Feb 29, and Feb 29 itself.
const EXPIRATIONS: [(i32, u32, u32); 4] =
    [(2027, 3, 15), (2027, 3, 1), (2027, 12, 1), (2028, 2, 29)];

#[derive(Debug, Clone, Copy)]
struct Trainer {
    done: bool,
    /// 0: no audit, 1: open, 2: closed.
    audit: u8,
    member: bool,
    applied: bool,
}

fn trainers() -> Vec<Trainer> {
    let mut out = Vec::new();
    for done in [false, true] {
        for audit in 0..3 {
            for member in [false, true] {
                for applied in [false, true] {
                    out.push(Trainer {
                        done,
                        audit,
                        member,
                        applied,
                    });
                }
            }
        }
    }
    out
}

fn record(exp: NaiveDate, tr: Trainer) -> (Certification, Vec<CeEntry>) {
    let mut c = Certification::new(exp);
    c.cpr_expires_on = Some(d(2031, 1, 1));
    c.recertify_for_life = tr.member;
    c.applied_on = tr.applied.then(|| exp - Days::new(3));
    if tr.audit > 0 {
        c.audit_selected_on = Some(exp - Days::new(10));
    }
    if tr.audit == 2 {
        c.audit_closed_on = Some(exp - Days::new(5));
    }
    let hours = if tr.done { 20 } else { 12 };
    let e = CeEntry {
        id: EntryId(1),
        completed_on: exp - Days::new(100),
        amount: Ceu::from_hours(hours),
        area: Area::Nutrition,
        provider: Provider::Approved,
        title: None,
        petition_approved: false,
        petition_declined: false,
        has_document: true,
    };
    (c, vec![e])
}

/// The days to look at: −1, 0, 1, 90, 91 after expiration, the last day to apply and
/// the day after.
fn boundaries(exp: NaiveDate, policy: &Policy) -> Vec<(&'static str, NaiveDate)> {
    let last = final_date(exp, policy);
    vec![
        ("day -1", exp - Days::new(1)),
        ("day 0", exp),
        ("day 1", exp + Days::new(1)),
        ("day 90", exp + Days::new(90)),
        ("day 91", exp + Days::new(91)),
        ("last day", last),
        ("day after the last", last + Days::new(1)),
    ]
}

/// The standing the rules must give, worked out from the domain table alone.
fn expected(tr: Trainer, exp: NaiveDate, today: NaiveDate, policy: &Policy) -> Standing {
    if tr.applied {
        Standing::Applied {
            on: exp - Days::new(3),
        }
    } else if today > final_date(exp, policy) {
        Standing::TooLate
    } else if today > exp + Days::new(90) && !tr.done {
        Standing::CoursesTooLate
    } else if tr.done {
        Standing::ReadyToApply
    } else {
        Standing::Working
    }
}

/// The total due if applying today, in dollars, when a fee can be due.
fn expected_total(tr: Trainer, exp: NaiveDate, today: NaiveDate) -> i64 {
    let late = if today <= exp {
        0
    } else if today <= exp + Days::new(90) {
        30
    } else {
        80
    };
    late + if tr.member { 0 } else { 99 }
}

/// Wording faults any reply could have.
fn faults(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if text.contains(" 1 days") || text.contains("(1 days") {
        out.push("1 days");
    }
    if regex::Regex::new(r"-\d+ days?").unwrap().is_match(text) {
        out.push("negative day count");
    }
    let mut depth = 0i32;
    for c in text.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth > 1 {
            out.push("nested parentheses");
            break;
        }
    }
    if text.contains("+10000") || text.contains("  .") {
        out.push("broken number or sentence");
    }
    out
}

fn check_truth(
    what: &str,
    text: &str,
    st: Standing,
    tr: Trainer,
    exp: NaiveDate,
    today: NaiveDate,
) {
    let ctx = format!("{what} {tr:?} expires {exp} on {today}:\n{text}");
    assert!(faults(text).is_empty(), "{:?} in {ctx}", faults(text));
    let cannot = st.cannot_recertify();
    assert_eq!(
        text.contains("can no longer be recertified") && cannot,
        cannot,
        "{ctx}"
    );
    if cannot || tr.applied {
        assert!(!text.contains("Total:"), "a fee shown as due: {ctx}");
        assert!(
            !text.contains("Apply now") && !text.contains("apply by"),
            "{ctx}"
        );
    }
    if cannot {
        assert!(text.contains("1-800-460-6276"), "no phone: {ctx}");
    }
    if tr.applied {
        assert!(text.contains("applied on"), "{ctx}");
        assert!(!text.contains("still needed"), "{ctx}");
    }
    assert_eq!(
        text.contains("Apply now"),
        st == Standing::ReadyToApply,
        "{ctx}"
    );
    if today > exp {
        assert!(
            !text.contains("expires on") && !text.contains("expires today"),
            "{ctx}"
        );
    } else {
        assert!(!text.contains("expired on"), "{ctx}");
    }
    if tr.audit == 2 || cannot {
        assert!(
            !text.contains("overdue") && !text.contains("were due"),
            "{ctx}"
        );
    }
}

#[test]
fn status_and_fee_answers_tell_the_truth_at_every_boundary_in_every_state() {
    let policy = Policy::embedded();
    let mut checked = 0;
    for (y, m, day) in EXPIRATIONS {
        let exp = d(y, m, day);
        for (label, today) in boundaries(exp, &policy) {
            let now = Utc.from_utc_datetime(&today.and_hms_opt(19, 0, 0).unwrap());
            for tr in trainers() {
                let (c, entries) = record(exp, tr);
                let s = status(&c, &entries, &policy, now);
                let want = expected(tr, exp, today, &policy);
                assert_eq!(s.standing, want, "{label} {tr:?} expires {exp}");
                let profile = Profile {
                    cpr_card: CardOnFile::BOTH,
                    ..Profile::default()
                };
                let text = status_text(&s, &profile, &policy);
                check_truth("status", &text, want, tr, exp, today);
                let fee = for_you(&s, &policy);
                check_truth("fee answer", &fee, want, tr, exp, today);
                if matches!(want, Standing::Working | Standing::ReadyToApply) {
                    let total = format!("Total: ${}", expected_total(tr, exp, today));
                    let none = expected_total(tr, exp, today) == 0;
                    assert!(
                        text.contains(&total) || (none && text.contains(": none.")),
                        "{label} {tr:?}: want {total} in\n{text}"
                    );
                }
                if tr.member && !tr.applied && !want.cannot_recertify() {
                    assert!(
                        text.contains("no renewal fee") && text.contains("advisor can confirm"),
                        "{text}"
                    );
                }
                if want == Standing::Working && today > exp {
                    let by = date(exp + Days::new(90));
                    assert!(
                        text.contains(&format!(
                            "complete the remaining 0.8 CEUs (8 contact hours) by {by}"
                        )),
                        "{text}"
                    );
                    assert!(text.contains(&date(final_date(exp, &policy))), "{text}");
                }
                if tr.audit == 1 && !want.cannot_recertify() {
                    assert!(text.contains("NASM's Recertification Department"), "{text}");
                }
                if tr.audit == 2 && !want.cannot_recertify() {
                    assert!(text.contains("you sent your documents to NASM"), "{text}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 7 * 24);
}

#[test]
fn reminders_tell_the_truth_at_every_boundary() {
    use ReminderKind::*;
    let policy = Policy::embedded();
    for (y, m, day) in EXPIRATIONS {
        let exp = d(y, m, day);
        for (label, today) in boundaries(exp, &policy) {
            let kind = match label {
                "day -1" => BeforeExpiration(1),
                "day 0" => ExpirationDay,
                "day 1" => LateFee,
                "day 90" => AdditionalFeeNear,
                _ => FinalDeadlineNear,
            };
            let now = Utc.from_utc_datetime(&today.and_hms_opt(19, 0, 0).unwrap());
            for tr in trainers().into_iter().filter(|t| !t.applied) {
                let (c, entries) = record(exp, tr);
                let s = status(&c, &entries, &policy, now);
                let r = message(kind, &s, CardOnFile::BOTH, &policy);
                check_truth("reminder", &r.text, s.standing, tr, exp, today);
                if s.standing == Standing::ReadyToApply {
                    assert!(r.text.contains("CPT Recertification Portal"), "{}", r.text);
                }
            }
        }
    }
}

#[test]
fn the_last_day_to_apply_is_counted_in_calendar_years() {
    let policy = Policy::embedded();
    let cases = [
        (d(2027, 3, 15), d(2028, 3, 14)),
        (d(2026, 3, 15), d(2027, 3, 14)),
        (d(2027, 3, 1), d(2028, 2, 29)),
        (d(2028, 2, 29), d(2029, 2, 28)),
        (d(2027, 12, 31), d(2028, 12, 30)),
        (d(2027, 1, 1), d(2027, 12, 31)),
    ];
    for (exp, last) in cases {
        assert_eq!(final_date(exp, &policy), last, "expires {exp}");
    }
}
