//! Free-text CE extraction judged on the shared dev set (must be perfect) and on our own
//! phrasings written before tuning (accuracy reported), plus a never-panics property.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Los_Angeles;
use proptest::prelude::*;
use recert_bot::conversation::extract::{
    AmountMention, DateMention, Extracted, Sought, extract, find_date, local_today,
    looks_like_ce_log,
};
use recert_bot::rules::{Ceu, Policy};

use crate::support::{CeCase as Case, jsonl};

/// The most one course may log, as the dialogue checks it (the policy's limit).
fn max_course() -> Ceu {
    Ceu::from_hours(Policy::embedded().certification.max_course_hours)
}

/// `None` when the case passes, else what went wrong.
fn judge(case: &Case) -> Option<String> {
    let found = extract(&case.text, case.at, Los_Angeles);
    let today = local_today(case.at, Los_Angeles);
    let problem = found.problem(today, max_course());
    let e = &case.expect;
    if e.reject {
        let shown = problem
            .as_ref()
            .is_some_and(|p| !matches!(p, recert_bot::conversation::extract::Problem::NoAmount));
        return (!shown).then(|| format!("no problem shown: {found:?}"));
    }
    let want_ceu = e
        .ceus
        .as_deref()
        .map(|c| Ceu::parse_ceus(c).expect("expected CEUs"));
    let checks = [
        (
            found.amounts
                == want_ceu
                    .map(AmountMention::Amount)
                    .into_iter()
                    .collect::<Vec<_>>(),
            "amount",
        ),
        (found.area.map(|a| a.label().to_string()) == e.area, "area"),
        (found.date == e.completed_on.map(DateMention::On), "date"),
        (problem.is_none(), "no problem"),
        (looks_like_ce_log(&case.text, &found), "looks like a log"),
    ];
    let failed: Vec<&str> = checks
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, what)| *what)
        .collect();
    (!failed.is_empty()).then(|| format!("{failed:?}: {found:?}"))
}

fn failures(path: &str) -> (usize, Vec<String>) {
    let cases = jsonl::<Case>(path);
    let failed = cases
        .iter()
        .filter_map(|c| judge(c).map(|why| format!("{} -> {why}", c.text)))
        .collect();
    (cases.len(), failed)
}

#[test]
fn dev_set_is_read_perfectly() {
    let (total, failed) = failures("tests/data/ceu_dev.jsonl");
    assert!(total >= 9);
    assert!(
        failed.is_empty(),
        "{} of {total} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn own_phrasings_accuracy() {
    let (total, failed) = failures("tests/data/ceu_own.jsonl");
    assert!(total >= 45);
    let right = total - failed.len();
    println!("own set: {right}/{total} right\n{}", failed.join("\n"));
    assert!(
        right * 10 >= total * 9,
        "below 90%: {right}/{total}\n{}",
        failed.join("\n")
    );
}

#[test]
fn questions_do_not_look_like_logs() {
    let at: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().unwrap();
    for text in [
        "how many CEUs is a 10 hour course?",
        "what is a CEU",
        "What's a CEU worth in hours",
        "do webinars count for CEUs?",
        "I still need 6 hours of nutrition",
        "how many hours do I have left",
        "when does my certification expire",
    ] {
        let found = extract(text, at, Los_Angeles);
        assert!(!looks_like_ce_log(text, &found), "{text}");
    }
}

#[test]
fn expiration_dates_prefer_the_future() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let got = find_date(
        "my certification expires on March 15",
        today,
        Sought::Upcoming,
    );
    assert_eq!(
        got,
        Some(DateMention::On(
            NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
        ))
    );
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{100,2000}( hours| CEUs| min|/|-)?",
        "[\u{200E}\u{200F}\u{202E}\u{0000}-\u{001F}a-z0-9 ./-]{0,300}",
        "(-|minus |\\.|0\\.)?[0-9]{0,30}(\\.[0-9]{0,30})? ?(h|hrs|hours|min|ceu|ceus)? (on )?(the )?[0-9]{0,3}(st|th|/[0-9]{0,3}(/[0-9]{0,5})?)?",
        "(jan|feb|nov|yesterday|last friday|on the|[0-9]{1,3}) ?[0-9]{0,12},? ?[0-9]{0,12} (days|weeks|hours) ago",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(text in any_text()) {
        let at: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().unwrap();
        let found: Extracted = extract(&text, at, Los_Angeles);
        let _ = looks_like_ce_log(&text, &found);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for sought in [Sought::Completion, Sought::Past, Sought::Upcoming] {
            // without digits every date is relative or yearless: near today
            if let Some(DateMention::On(d)) = find_date(&text, today, sought)
                && !text.contains(|c: char| c.is_ascii_digit())
            {
                prop_assert!(d.signed_duration_since(today).num_days().abs() <= 9 * 366);
            }
        }
        let _ = found.problem(today, max_course());
    }
}

#[test]
fn huge_and_hostile_input_is_read_without_panic() {
    let at: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().unwrap();
    let big = "did 4 hours of nutrition yesterday \u{202E}\u{0007} ".repeat(3000);
    let found = extract(&big, at, Los_Angeles);
    assert_eq!(
        found.amounts,
        vec![AmountMention::Amount(Ceu::from_hours(4))]
    );
    // past the scan limit nothing is read, so a 100 000-digit number is not seen at all
    let digits = format!("{} hours", "9".repeat(100_000));
    assert!(extract(&digits, at, Los_Angeles).amounts.is_empty());
    let digits = format!("{} hours", "9".repeat(400));
    assert_eq!(
        extract(&digits, at, Los_Angeles).amounts,
        vec![AmountMention::Unreadable]
    );
}
